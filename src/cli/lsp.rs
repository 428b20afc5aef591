//! `unspun lsp`: the language server. The CLI only builds the checker from its
//! dictionary flags and hands it to `unspun::lsp`.

use clap::Args;

#[derive(Debug, Args)]
pub struct LspArgs {
    /// Add a dictionary file; repeatable (the client's `dictionaries`
    /// setting replaces these).
    #[arg(long = "dict", value_name = "FILE")]
    dictionaries: Vec<String>,
}

pub fn run(args: LspArgs) -> Result<i32, String> {
    let mut builder = unspun::Checker::builder();
    for path in &args.dictionaries {
        builder = builder.dictionary_file(path).map_err(|e| e.to_string())?;
    }
    let checker = builder.build().map_err(|e| e.to_string())?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the async runtime: {e}"))?;
    runtime.block_on(unspun::lsp::serve_stdio(checker));
    Ok(0)
}
