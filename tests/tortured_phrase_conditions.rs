//! A PPS fingerprint's `requires` condition ("profound learning" only where
//! "deep learning" also occurs) keeps an ordinary phrase of clean text
//! unflagged; in a fully paraphrased text it fails exactly where the
//! paraphrase is complete, so other tortured-phrase evidence in the document
//! meets it too. `excludes` conditions still hold.

use unspun::{Checker, SpanKind};

/// The tortured phrases flagged in `text`, as written.
fn tortured(text: &str) -> Vec<String> {
    Checker::new()
        .check(text)
        .spans
        .into_iter()
        .filter(|s| s.kind == SpanKind::TorturedPhrase)
        .map(|s| s.text)
        .collect()
}

#[test]
fn a_failed_requires_condition_is_met_by_another_tortured_phrase_in_the_document() {
    let found = tortured("Results of profound-learning and the irregular woodland classifier.");
    assert_eq!(
        found,
        ["profound-learning", "irregular woodland"],
        "{found:?}"
    );
}

#[test]
fn a_failed_requires_condition_without_other_evidence_leaves_the_phrase_unflagged() {
    let found = tortured("It was a profound learning experience for the students.");
    assert!(found.is_empty(), "{found:?}");
}

#[test]
fn two_occurrences_of_one_conditional_phrase_are_not_evidence_for_each_other() {
    let found = tortured(
        "It was a profound learning experience. Another profound learning moment followed.",
    );
    assert!(found.is_empty(), "{found:?}");
}

#[test]
fn the_condition_still_met_as_written_gives_the_conditional_reason() {
    let report = Checker::new().check("Profound learning beats older deep learning models.");
    let span = report
        .spans
        .iter()
        .find(|s| s.text == "Profound learning")
        .expect("flagged");
    assert!(
        span.message.contains("document conditions are met"),
        "{}",
        span.message
    );
}

#[test]
fn other_evidence_does_not_override_an_excludes_condition() {
    // "backward probability" (posterior probability) is excluded where
    // "markov" occurs; "irregular woodland" is unconditional.
    let found = tortured(
        "The irregular woodland classifier and the backward probability of the Markov chain.",
    );
    assert_eq!(found, ["irregular woodland"], "{found:?}");
}
