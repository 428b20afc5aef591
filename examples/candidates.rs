//! Prints every spun-word candidate of the texts named on the command line, with
//! the features the scorer read, as TSV: a tool for studying the scoring.
//!
//! `cargo run --release --example candidates -- FILE...`

use unspun::detect::{Evidence, Features};

fn main() {
    let checker = unspun::Checker::new();
    println!(
        "file\toffset\tartifact\toriginal\tconfidence\t{}\tleft\tright",
        Features::NAMES.join("\t")
    );
    for path in std::env::args().skip(1) {
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        for f in checker.findings(&text) {
            if let Evidence::Context {
                features,
                left,
                right,
                ..
            } = &f.evidence
            {
                let values: Vec<String> = features
                    .vector()
                    .iter()
                    .map(|v| format!("{v:.3}"))
                    .collect();
                println!(
                    "{path}\t{}\t{}\t{}\t{:.3}\t{}\t{left}\t{right}",
                    f.start,
                    &text[f.start..f.end],
                    f.suggestions[0],
                    f.confidence,
                    values.join("\t")
                );
            }
        }
    }
}
