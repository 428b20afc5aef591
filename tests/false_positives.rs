//! Clean English must stay clean: the BBC news corpus (2,225 articles, 2004-2005)
//! read from `../shared/corpora/bbc-news`, never copied into the project.

mod common;

use unspun::{Checker, Verdict};

/// At most this many flagged spans per 1,000 words at the default threshold.
const MAX_FLAGS_PER_1000_WORDS: f64 = 0.1;

#[test]
fn bbc_news_has_few_false_flags_and_no_spun_article() {
    let Some(docs) = common::shared_texts("corpora/bbc-news") else {
        return;
    };
    assert!(
        docs.len() >= 2000,
        "expected the whole corpus, found {}",
        docs.len()
    );
    let checker = Checker::new();
    let mut words = 0;
    let mut flags = Vec::new();
    let mut spun = Vec::new();
    for (path, text) in &docs {
        let report = checker.check(text);
        words += report.words;
        for s in &report.spans {
            flags.push(format!(
                "{}: {} -> {} ({:.2})",
                path.display(),
                s.text,
                s.suggestions[0],
                s.confidence
            ));
        }
        if report.verdict == Verdict::Spun {
            spun.push(path.display().to_string());
        }
    }
    let rate = 1000.0 * flags.len() as f64 / words as f64;
    eprintln!(
        "{} flags in {words} words: {rate:.3} per 1,000 words",
        flags.len()
    );
    for f in flags.iter().take(200) {
        eprintln!("  {f}");
    }
    assert!(spun.is_empty(), "articles judged spun: {spun:?}");
    assert!(
        rate <= MAX_FLAGS_PER_1000_WORDS,
        "{rate:.3} flags per 1,000 words"
    );
}
