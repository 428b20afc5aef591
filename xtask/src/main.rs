//! Generators for the data under `dictionaries/`.
//!
//! Each generator reads its sources (system packages, npm packages, the PPS data)
//! and writes a file under `dictionaries/` (text, but for the binary trigram
//! model). The committed files are what the checker embeds; tests in
//! `xtask/tests/` regenerate each file and fail when the committed copy
//! differs, wherever the sources are installed.
//!
//! Usage: `cargo run -p xtask -- <generator> [options]`, see `--help`.

mod args;
mod engine_image;
mod eval;
mod frequencies;
mod ngrams;
mod perf_gate;
mod spun_words;
mod tortured;
mod trigrams;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some(frequencies::NAME) => std::process::exit(frequencies::run(&args[1..])),
        Some("ngrams") => std::process::exit(ngrams::main(&args[1..])),
        Some(spun_words::GENERATOR) => std::process::exit(spun_words::run(&args[1..])),
        Some(tortured::NAME) => std::process::exit(tortured::run(&args[1..])),
        Some(trigrams::NAME) => std::process::exit(trigrams::run(&args[1..])),
        Some(engine_image::NAME) => std::process::exit(engine_image::run(&args[1..])),
        Some(eval::NAME) => std::process::exit(eval::run(&args[1..])),
        Some(perf_gate::NAME) => std::process::exit(perf_gate::run(&args[1..])),
        _ => {
            eprintln!("usage: cargo run -p xtask -- <generator>");
            std::process::exit(2);
        }
    }
}
