//! The scorer skips spun-word candidates whose best possible confidence is
//! below `min_confidence` (a bound over their frequencies, slot cues and the
//! document's density). Skipping must be invisible: what a check reports at a
//! threshold equals what an unpruned check (threshold 0) reports above it.

mod common;

use unspun::{CheckOptions, Checker, Span};

const SAMPLE: &str = include_str!("../examples/spun-sample.txt");

fn spans(checker: &Checker, text: &str, min_confidence: f64) -> Vec<Span> {
    let options = CheckOptions {
        min_confidence,
        ..CheckOptions::default()
    };
    checker
        .check_with(text, &options)
        .expect("valid options")
        .spans
}

fn key(s: &Span) -> (usize, usize, String, Vec<String>) {
    (s.start, s.end, s.rule.clone(), s.suggestions.clone())
}

fn assert_pruning_is_invisible(checker: &Checker, text: &str) {
    let all = spans(checker, text, 0.0);
    for threshold in [0.3, 0.5, 0.8] {
        let pruned: Vec<_> = spans(checker, text, threshold).iter().map(key).collect();
        // Confidences are rounded to three places in a span: compare away
        // from the threshold's rounding edge.
        for span in all.iter().filter(|s| s.confidence > threshold + 0.001) {
            assert!(
                pruned.contains(&key(span)),
                "pruning at {threshold} lost {:?} ({})",
                span.text,
                span.confidence
            );
        }
        let unpruned: Vec<_> = all.iter().map(key).collect();
        for k in &pruned {
            assert!(
                unpruned.contains(k),
                "pruning at {threshold} invented {k:?}"
            );
        }
    }
}

#[test]
fn pruned_spun_sample_reports_what_an_unpruned_check_reports() {
    let checker = Checker::new();
    assert_pruning_is_invisible(&checker, SAMPLE);
    // Dense and sparse documents: the bound depends on the density.
    assert_pruning_is_invisible(&checker, &SAMPLE.repeat(3));
    let padded = format!(
        "{SAMPLE}\n{}",
        "The council met on Monday to discuss the budget for the coming year. ".repeat(40)
    );
    assert_pruning_is_invisible(&checker, &padded);
}

#[test]
fn pruned_seed_article_reports_what_an_unpruned_check_reports() {
    let Some(seed) = common::shared_file("data/seed/spun-news-article.txt") else {
        return;
    };
    assert_pruning_is_invisible(&Checker::new(), &seed);
}
