//! A one-sentence text is judged by the evidence of its own slots: the
//! trigram model's verdict stands without the document-level prior, a
//! capitalised word at a sentence start is read as its lower-case form, and
//! names and acronyms stay what they are.

use unspun::{CheckOptions, Checker, Span};

fn check(text: &str) -> (Vec<Span>, String) {
    let options = CheckOptions {
        include_fixed: true,
        ..CheckOptions::default()
    };
    let report = Checker::default()
        .check_with(text, &options)
        .expect("default options are valid");
    (
        report.spans,
        report.fixed.expect("asked for the fixed text"),
    )
}

fn flagged(spans: &[Span]) -> Vec<(&str, &str)> {
    spans
        .iter()
        .map(|s| (s.text.as_str(), s.suggestions[0].as_str()))
        .collect()
}

#[test]
fn both_swaps_of_the_mayor_sentence_are_flagged_and_fixed() {
    let (spans, fixed) = check("The mayor volition visit Lisbon connected Friday.");
    assert_eq!(flagged(&spans), [("volition", "will"), ("connected", "on")]);
    assert_eq!(fixed, "The mayor will visit Lisbon on Friday.");
}

#[test]
fn a_swap_at_a_sentence_start_is_read_in_lower_case_and_fixed_with_its_capital() {
    let (spans, fixed) = check("Successful a statement, the ministry said it would act.");
    assert_eq!(flagged(&spans), [("Successful", "In")]);
    assert_eq!(fixed, "In a statement, the ministry said it would act.");
    // After an opening quote too.
    let (spans, _) = check("\"Successful a statement, the ministry said it would act.\"");
    assert_eq!(flagged(&spans), [("Successful", "In")]);
}

#[test]
fn the_word_where_it_fits_at_a_sentence_start_stays_unflagged() {
    let (spans, _) = check("Successful companies hire more staff.");
    assert!(spans.is_empty(), "{spans:?}");
}

#[test]
fn names_and_acronyms_at_a_sentence_start_stay_unflagged() {
    // Written capitalised inside a sentence elsewhere: a name.
    let text = "Successful a statement, the ministry said it would act. \
                Its chairman met the Successful board.";
    let (spans, _) = check(text);
    assert!(spans.is_empty(), "{spans:?}");
    // In capitals: an acronym or a shouted heading, not a sentence start.
    let (spans, _) = check("SUCCESSFUL a statement, the ministry said it would act.");
    assert!(spans.is_empty(), "{spans:?}");
    // Followed by another capitalised word: a name of several words.
    let (spans, _) = check("Successful Holdings said it would act.");
    assert!(spans.is_empty(), "{spans:?}");
}

#[test]
fn an_honest_use_of_an_artifact_word_is_left_alone() {
    // "arsenic" stands for "as" in spun text; here it is the chemical.
    let (spans, _) = check("The chemist said arsenic levels in the water were high.");
    assert!(spans.is_empty(), "{spans:?}");
}
