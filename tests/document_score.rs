//! The document score counts candidates that fell below the threshold at a
//! quarter of their weight, so a text spun with words that each just fit their
//! context still ranks above clean text; the verdict reads the reported spans
//! only, so no text is called suspicious for evidence it is not shown.

use unspun::{Checker, Verdict};

#[test]
fn a_candidate_below_the_threshold_raises_the_score_but_not_the_verdict() {
    let checker = Checker::default();
    // "arsenic" is a candidate (spinners write it for "as"), but here it is
    // the chemical: its slot favours it as written, and it scores under the
    // default threshold.
    let report = checker.check("The chemist said arsenic levels in the water were high.");
    assert!(
        report.spans.is_empty(),
        "precondition: no span, got {:?}",
        report.spans
    );
    assert_eq!(report.verdict, Verdict::Clean);
    assert!(report.score > 0.0, "score {}", report.score);
    assert!(report.score < 0.2, "score {}", report.score);
}

#[test]
fn text_without_candidates_scores_zero() {
    let text = "Ministers met in Lisbon on Friday.";
    let checker = Checker::default();
    assert!(
        checker.findings(text).is_empty(),
        "precondition: no candidate"
    );
    let report = checker.check(text);
    assert_eq!((report.score, report.verdict), (0.0, Verdict::Clean));
}

#[test]
fn near_misses_do_not_count_when_every_candidate_is_reported() {
    // At threshold 0 every candidate is a span: nothing is below it.
    let checker = Checker::default();
    let options = unspun::CheckOptions {
        min_confidence: 0.0,
        ..unspun::CheckOptions::default()
    };
    let report = checker
        .check_with("The vote takes place connected Tuesday.", &options)
        .unwrap();
    let evidence: f64 = report.spans.iter().map(|s| s.confidence).sum();
    let expected = 1.0 - (-evidence).exp();
    assert!(
        (report.score - expected).abs() < 0.002,
        "score {} against {expected} from {} spans",
        report.score,
        report.spans.len()
    );
}
