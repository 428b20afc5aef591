//! Prints every spun-word candidate of the texts named on the command line, with
//! the parts of its evidence, as TSV: a tool for studying the scoring.
//!
//! `cargo run --release --example candidates -- FILE...`

use unspun::detect::Evidence;

fn main() {
    let checker = unspun::Checker::new();
    println!("file\toffset\tartifact\toriginal\tconfidence\tadvantage\tcontext\trarity\tartifact_zipf\toriginal_zipf\tleft\tright\tartifact_association\tclass\tnext_np\tafter_det\tafter_aux\tafter_subject");
    for path in std::env::args().skip(1) {
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        for f in checker.findings(&text) {
            if let Evidence::Context { advantage, context, rarity, artifact_zipf, original_zipf, left, right, artifact_association, cues, original_class } = &f.evidence {
                println!(
                    "{path}\t{}\t{}\t{}\t{:.3}\t{advantage:.2}\t{context:.2}\t{rarity:.2}\t{artifact_zipf}\t{original_zipf}\t{left}\t{right}\t{artifact_association:.2}\t{:?}\t{}\t{}\t{}\t{}",
                    f.start, &text[f.start..f.end], f.suggestions[0], f.confidence, original_class, cues.next_opens_noun_phrase as u8, cues.after_determiner as u8, cues.after_auxiliary as u8, cues.after_subject as u8
                );
            }
        }
    }
}
