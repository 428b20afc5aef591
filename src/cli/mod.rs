//! Subcommands of the `unspun` binary, one module each.
//!
//! Exit codes, for every subcommand: 0 nothing flagged, 1 something flagged,
//! 2 a usage or input error (reported as one line on standard error).

mod batch;
mod check;
mod ci_report;
mod encoding;
mod fix;
mod input;
#[cfg(feature = "lsp")]
mod lsp;
mod ordered;
mod serve;
mod write;

use clap::{Args, Parser, Subcommand};
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;
use unspun::{CheckOptions, Checker, Markup};

/// Finds article-spinning artifacts (spun words, tortured phrases) and gives back the unspun text.
#[derive(Debug, Parser)]
#[command(name = "unspun", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Report the artifacts in files (or standard input) with suggested fixes.
    Check(check::CheckArgs),
    /// Print the fixed text, a unified diff, or rewrite files in place.
    Fix(fix::FixArgs),
    /// Score a whole archive (JSON Lines, CSV, WordPress export, directory): one result per document.
    Batch(batch::BatchArgs),
    /// List the loaded dictionaries with their size, source and licence.
    Dictionaries(DictionaryArgs),
    /// Serve the HTTP API (POST /v1/check and friends; see openapi.yaml).
    Serve(serve::ServeArgs),
    /// Run the language server on standard input and output, for editors.
    #[cfg(feature = "lsp")]
    Lsp(lsp::LspArgs),
}

/// Options shared by every subcommand that checks text.
#[derive(Debug, Clone, Args)]
pub struct CheckerArgs {
    /// Add a dictionary file (format: dictionaries/README.md); repeatable. Its
    /// name must differ from the built-in ones unless --no-default-dicts.
    #[arg(long = "dict", value_name = "FILE")]
    dictionaries: Vec<String>,
    /// Add an allowlist file: one word or phrase per line never to flag; repeatable.
    #[arg(long = "allow-file", value_name = "FILE")]
    allow_files: Vec<String>,
    /// A word, phrase or rule id never to flag; repeatable.
    #[arg(long = "allow", value_name = "WORD")]
    allow: Vec<String>,
    /// Use only the dictionaries added with --dict (the context model stays).
    #[arg(long)]
    no_default_dicts: bool,
    /// Use only these dictionaries (by name; see `unspun dictionaries`); repeatable.
    #[arg(long = "only", value_name = "NAME")]
    only: Vec<String>,
    /// Report spans with at least this confidence (0..1; default 0.5, or the
    /// configuration file's).
    #[arg(long, value_name = "X")]
    min_confidence: Option<f64>,
    /// Fix spans with at least this confidence (0..1; default 0.5, or the
    /// configuration file's).
    #[arg(long, value_name = "X")]
    fix_threshold: Option<f64>,
    /// The input format; `auto` goes by file extension (.md/.markdown: markdown,
    /// .html/.htm: html, anything else and standard input: text).
    #[arg(long, value_name = "FORMAT", default_value = "auto", value_parser = ["auto", "text", "markdown", "html"])]
    markup: String,
    /// Leave quoted material (block quotes, <q>) in Markdown and HTML unchecked.
    #[arg(long)]
    skip_quotes: bool,
    /// Read this configuration file instead of looking for unspun.toml (or
    /// .unspun.toml) from the first file's folder upward (`check` and `fix`).
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    config: Option<String>,
    /// Read no configuration file.
    #[arg(long)]
    no_config: bool,
    /// The configuration file in force, once looked for.
    #[arg(skip)]
    loaded: Option<Arc<unspun::config::Config>>,
}

/// What checking one file takes: the flags with the configuration file that
/// applies to it, and the checker and options they give.
pub struct Setup {
    pub args: CheckerArgs,
    pub checker: Checker,
    pub options: CheckOptions,
}

/// The setups of a run: each file's, by the configuration file nearest to it.
pub struct Setups {
    by_file: HashMap<String, Arc<Setup>>,
    /// The setup from the current folder (standard input, no files named).
    pub here: Arc<Setup>,
}

impl Setups {
    /// The setup of `path` (one of the files the setups were made for).
    pub fn of(&self, path: &str) -> &Setup {
        self.by_file.get(path).unwrap_or(&self.here)
    }
}

impl CheckerArgs {
    /// The configuration file that applies from `folder`: `--config`, else
    /// the first `unspun.toml` or `.unspun.toml` from `folder` upward; none
    /// with `--no-config`.
    pub fn config_from(&self, folder: &Path) -> Result<Option<unspun::config::Config>, String> {
        if self.no_config {
            return Ok(None);
        }
        match &self.config {
            Some(path) => unspun::config::Config::read(Path::new(path)).map(Some),
            None => unspun::config::Config::discover(folder),
        }
    }

    /// The setup of every file of `files` (`-` is standard input, checked with
    /// the current folder's configuration): one checker per configuration
    /// file in force, built once.
    pub fn setups(&self, files: &[String]) -> Result<Setups, String> {
        let mut by_config: HashMap<Option<std::path::PathBuf>, Arc<Setup>> = HashMap::new();
        let mut by_folder: HashMap<std::path::PathBuf, Arc<Setup>> = HashMap::new();
        let mut setup_for = |folder: &Path| -> Result<Arc<Setup>, String> {
            if let Some(setup) = by_folder.get(folder) {
                return Ok(setup.clone());
            }
            let config = self.config_from(folder)?;
            let key = config.as_ref().map(|c| c.path.clone());
            let setup = match by_config.get(&key) {
                Some(setup) => setup.clone(),
                None => {
                    let mut args = self.clone();
                    args.loaded = config.map(Arc::new);
                    let (checker, options) = args.build()?;
                    let setup = Arc::new(Setup {
                        args,
                        checker,
                        options,
                    });
                    by_config.insert(key, setup.clone());
                    setup
                }
            };
            by_folder.insert(folder.to_owned(), setup.clone());
            Ok(setup)
        };
        let here = setup_for(Path::new("."))?;
        let mut by_file = HashMap::new();
        for file in files {
            let folder = Path::new(file)
                .parent()
                .filter(|p| *file != "-" && !p.as_os_str().is_empty())
                .unwrap_or(Path::new("."));
            by_file.insert(file.clone(), setup_for(folder)?);
        }
        Ok(Setups { by_file, here })
    }

    /// The configuration file in force, if any.
    pub fn config(&self) -> Option<&unspun::config::Config> {
        self.loaded.as_deref()
    }

    /// Whether the configuration leaves the file at `path` unchecked.
    pub fn ignores(&self, path: &str) -> bool {
        path != "-" && self.config().is_some_and(|c| c.ignores(Path::new(path)))
    }

    /// Builds the checker and the options, or a one-line error. Flags go
    /// over the configuration file (lists are added to its lists).
    pub fn build(&self) -> Result<(Checker, CheckOptions), String> {
        let file = self.config();
        let mut builder = Checker::builder();
        if self.no_default_dicts || file.is_some_and(|c| c.no_default_dictionaries) {
            builder = builder.without_default_dictionaries();
        }
        let from_file = |pick: fn(&unspun::config::Config) -> &Vec<String>| {
            file.map(pick).into_iter().flatten().cloned()
        };
        let dictionaries: Vec<String> = from_file(|c| &c.dictionaries)
            .chain(self.dictionaries.iter().cloned())
            .collect();
        for path in &dictionaries {
            builder = builder.dictionary_file(path).map_err(|e| e.to_string())?;
        }
        let allow_files: Vec<String> = from_file(|c| &c.allow_files)
            .chain(self.allow_files.iter().cloned())
            .collect();
        for path in &allow_files {
            builder = builder.allowlist_file(path).map_err(|e| e.to_string())?;
        }
        let checker = builder.build().map_err(|e| e.to_string())?;
        // The command's checker lives until the process exits: a copy kept
        // here means its tables are never freed one allocation at a time just
        // before the exit (a third of the work of checking one sentence).
        static KEPT_UNTIL_EXIT: std::sync::OnceLock<Checker> = std::sync::OnceLock::new();
        let _ = KEPT_UNTIL_EXIT.set(checker.clone());
        let only: Vec<String> = from_file(|c| &c.only)
            .chain(self.only.iter().cloned())
            .collect();
        let options = CheckOptions {
            min_confidence: self
                .min_confidence
                .or(file.and_then(|c| c.min_confidence))
                .unwrap_or(unspun::DEFAULT_MIN_CONFIDENCE),
            fix_threshold: self
                .fix_threshold
                .or(file.and_then(|c| c.fix_threshold))
                .unwrap_or(unspun::DEFAULT_FIX_THRESHOLD),
            allow: from_file(|c| &c.allow)
                .chain(self.allow.iter().cloned())
                .collect(),
            dictionaries: (!only.is_empty()).then_some(only),
            skip_quotes: self.skip_quotes || file.is_some_and(|c| c.skip_quotes),
            ..CheckOptions::default()
        };
        checker.validate(&options).map_err(|e| e.to_string())?;
        Ok((checker, options))
    }
}

impl CheckerArgs {
    /// The markup of the input read from `path` (`-` is standard input): the
    /// flag's, else the configuration's `[markup]` globs, else the extension's.
    pub fn markup_for(&self, path: &str) -> Markup {
        match self.markup.parse() {
            Ok(markup) => markup,
            // `auto`: by the configuration, then by extension.
            Err(_) => self
                .config()
                .filter(|_| path != "-")
                .and_then(|c| c.markup_for(Path::new(path)))
                .unwrap_or_else(|| Markup::from_path(path)),
        }
    }
}

#[derive(Debug, Args)]
struct DictionaryArgs {
    #[command(flatten)]
    checker: CheckerArgs,
}

/// Parses the command line, runs the subcommand and returns the exit code.
pub fn run() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return code;
        }
    };
    let result = match cli.command {
        Command::Check(args) => check::run(args),
        Command::Fix(args) => fix::run(args),
        Command::Batch(args) => batch::run(args),
        Command::Dictionaries(args) => list_dictionaries(args),
        Command::Serve(args) => serve::run(args),
        #[cfg(feature = "lsp")]
        Command::Lsp(args) => lsp::run(args),
    };
    match result {
        Ok(code) => code,
        Err(message) => {
            eprintln!("unspun: {message}");
            2
        }
    }
}

fn list_dictionaries(args: DictionaryArgs) -> Result<i32, String> {
    let (checker, _) = args.checker.build()?;
    println!(
        "{:<22} {:<16} {:>8}  source; licence",
        "name", "kind", "entries"
    );
    for d in checker.dictionaries() {
        println!(
            "{:<22} {:<16} {:>8}  {}; {}",
            d.name,
            d.kind.as_str(),
            d.entries,
            d.source,
            d.licence
        );
    }
    println!(
        "A --dict file adds to these and needs a name of its own: one named like a \
         built-in dictionary is refused, unless --no-default-dicts leaves the built-ins out."
    );
    Ok(0)
}
