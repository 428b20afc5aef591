//! A long text is weighed in sections of 2,000 to 4,000 words: the document-level
//! evidence (how dense the strong artifacts are, how often an artifact recurs)
//! is a section's, so that a book or an archive dump is read like the articles
//! or chapters it is made of, and one spun chapter does not lift the weak
//! candidates of every other.

use unspun::{Checker, Span};

/// Six words each, so that texts made of them have known word counts.
const SPUN: &str = "Officials called it conscionable astatine noon. ";
const CLEAN: &str = "The council reviewed the annual figures. ";
const NEAR_MISS: &str = "The vote takes place connected Tuesday. ";

fn spans_at(spans: &[Span], word: &str) -> usize {
    spans.iter().filter(|s| s.text == word).count()
}

#[test]
fn strong_evidence_lifts_weak_candidates_in_its_own_section_only() {
    let checker = Checker::default();
    let spun_part = SPUN.repeat(400); // 2,400 words
    let clean_part = CLEAN.repeat(399) + NEAR_MISS; // 2,400 words
    let alone = checker.check(&clean_part);
    assert_eq!(
        spans_at(&alone.spans, "connected"),
        0,
        "precondition: 'connected Tuesday' alone is under the threshold"
    );
    let short_mix = SPUN.repeat(30) + &CLEAN.repeat(30) + NEAR_MISS;
    assert_eq!(
        spans_at(&checker.check(&short_mix).spans, "connected"),
        1,
        "precondition: beside strong artifacts in one section it is flagged"
    );

    let both = format!("{spun_part}{clean_part}");
    let report = checker.check(&both);
    let offset = spun_part.len();
    let second: Vec<(usize, usize, String)> = report
        .spans
        .iter()
        .filter(|s| s.start >= offset)
        .map(|s| (s.start - offset, s.end - offset, s.text.clone()))
        .collect();
    let expected: Vec<(usize, usize, String)> = alone
        .spans
        .iter()
        .map(|s| (s.start, s.end, s.text.clone()))
        .collect();
    assert_eq!(second, expected, "the clean half is judged as if alone");
    let first: Vec<(usize, usize)> = report
        .spans
        .iter()
        .filter(|s| s.start < offset)
        .map(|s| (s.start, s.end))
        .collect();
    let spun_alone: Vec<(usize, usize)> = checker
        .check(&spun_part)
        .spans
        .iter()
        .map(|s| (s.start, s.end))
        .collect();
    assert_eq!(first, spun_alone, "the spun half is judged as if alone");
    assert!(!first.is_empty(), "the spun half has spans");
}

#[test]
fn a_text_under_four_thousand_words_is_one_section() {
    let checker = Checker::default();
    // 3,600 words: the strong artifacts at the start still count at the end.
    let text = SPUN.repeat(100) + &CLEAN.repeat(399) + NEAR_MISS;
    assert_eq!(spans_at(&checker.check(&text).spans, "connected"), 1);
}
