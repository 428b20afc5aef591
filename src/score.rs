//! The document score and verdict.
//!
//! The evidence is the sum of the confidences of the reported spans, plus
//! [`NEAR_MISS_WEIGHT`] times the sum of the confidences of the candidates that
//! were scored and fell below the threshold. Its density per 100 words (a text
//! shorter than 100 words counts as 100 words, so one artifact in a short
//! snippet does not read as a flood) gives the score:
//!
//! ```text
//! evidence = sum(span confidence) + NEAR_MISS_WEIGHT * sum(near-miss confidence)
//! density  = 100 * evidence / max(words, 100)
//! score    = 1 - exp(-density)        (0 for no evidence, 0.63 at one per 100 words)
//! ```
//!
//! The verdict reads the reported spans only, so a text is never called
//! suspicious or spun for evidence it is not shown:
//!
//! | verdict      | rule                                                        |
//! |--------------|-------------------------------------------------------------|
//! | `spun`       | span density >= [`SPUN_DENSITY`] and at least [`SPUN_MIN_SPANS`] spans |
//! | `suspicious` | at least one span                                           |
//! | `clean`      | no span                                                     |
//!
//! Spun news copy carries several artifacts per hundred words; clean text almost
//! never carries one, so a density of one per hundred words separates them with
//! a wide margin.
//!
//! Near misses matter for ranking documents. A text spun with thesaurus words
//! that each fit their context just well enough can hold a hundred candidates
//! at confidence 0.2 to 0.45 and no span; clean text holds few candidates, and
//! those score low. Without them such a text would score 0, tied with clean
//! text (in the evaluation harness, 22 of 732 spun documents did).

use crate::report::{Span, Verdict};

/// Evidence per 100 words from which a text is judged `spun`.
pub const SPUN_DENSITY: f64 = 1.0;
/// Fewest spans for a `spun` verdict.
pub const SPUN_MIN_SPANS: usize = 3;
/// Weight of a candidate scored below the threshold, against a reported span
/// of the same confidence. The harness's document AUC is 0.9986 to 0.9991 for
/// any weight from 0.05 to 1 (0.9845 at 0), so the choice is not delicate.
pub const NEAR_MISS_WEIGHT: f64 = 0.25;

/// Scores a text of `words` words with the reported `spans` and the summed
/// confidence of the candidates that fell below the threshold.
///
/// ```
/// use unspun::{score::judge, Verdict};
/// assert_eq!(judge(&[], 500, 0.0), (0.0, Verdict::Clean));
/// // Near misses raise the score but never the verdict.
/// let (score, verdict) = judge(&[], 200, 8.0);
/// assert!(score > 0.6);
/// assert_eq!(verdict, Verdict::Clean);
/// ```
pub fn judge(spans: &[Span], words: usize, near_misses: f64) -> (f64, Verdict) {
    let per_100 = 100.0 / (words.max(100) as f64);
    let evidence: f64 = spans.iter().map(|s| s.confidence).sum();
    let density = (evidence + NEAR_MISS_WEIGHT * near_misses) * per_100;
    let score = ((1.0 - (-density).exp()) * 1000.0).round() / 1000.0;
    let verdict = if spans.is_empty() {
        Verdict::Clean
    } else if evidence * per_100 >= SPUN_DENSITY && spans.len() >= SPUN_MIN_SPANS {
        Verdict::Spun
    } else {
        Verdict::Suspicious
    };
    (score, verdict)
}
