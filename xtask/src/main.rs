//! Generators for the data under `dictionaries/`.
//!
//! Each generator reads its sources (system packages, npm packages, the PPS data)
//! and writes a text file under `dictionaries/`. The committed files are what the
//! checker embeds; tests in `xtask/tests/` regenerate each file and fail when the
//! committed copy differs, wherever the sources are installed.
//!
//! Usage: `cargo run -p xtask -- <generator> [options]`, see `--help`.

mod spun_words;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some(spun_words::GENERATOR) => {
            let repo_root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
            std::process::exit(spun_words::run(&repo_root, &args[1..]))
        }
        _ => {
            eprintln!("usage: cargo run -p xtask -- <generator>");
            std::process::exit(2);
        }
    }
}
