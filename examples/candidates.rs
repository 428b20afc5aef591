//! Prints every spun-word candidate of the texts named on the command line, with
//! the parts of its evidence, as TSV: a tool for studying the scoring.
//!
//! `cargo run --release --example candidates -- FILE...`

use unspun::detect::Evidence;

fn main() {
    let checker = unspun::Checker::new();
    println!("file\toffset\tartifact\toriginal\tconfidence\tadvantage\tcontext\trarity\tartifact_zipf\toriginal_zipf\tleft\tright");
    for path in std::env::args().skip(1) {
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        for f in checker.findings(&text) {
            if let Evidence::Context { advantage, context, rarity, artifact_zipf, original_zipf, left, right } = &f.evidence {
                println!(
                    "{path}\t{}\t{}\t{}\t{:.3}\t{advantage:.2}\t{context:.2}\t{rarity:.2}\t{artifact_zipf}\t{original_zipf}\t{left}\t{right}",
                    f.start, &text[f.start..f.end], f.suggestions[0], f.confidence
                );
            }
        }
    }
}
