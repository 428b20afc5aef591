//! The document score and verdict.
//!
//! The evidence is the sum of the confidences of the reported spans. Its density
//! per 100 words (a text shorter than 100 words counts as 100 words, so one
//! artifact in a short snippet does not read as a flood) gives the score:
//!
//! ```text
//! density = 100 * sum(confidence) / max(words, 100)
//! score   = 1 - exp(-density)          (0 for no evidence, 0.63 at one per 100 words)
//! ```
//!
//! and the verdict:
//!
//! | verdict      | rule                                                        |
//! |--------------|-------------------------------------------------------------|
//! | `spun`       | density >= [`SPUN_DENSITY`] and at least [`SPUN_MIN_SPANS`] spans |
//! | `suspicious` | at least one span                                           |
//! | `clean`      | no span                                                     |
//!
//! Spun news copy carries several artifacts per hundred words; clean text almost
//! never carries one, so a density of one per hundred words separates them with
//! a wide margin.

use crate::report::{Span, Verdict};

/// Evidence per 100 words from which a text is judged `spun`.
pub const SPUN_DENSITY: f64 = 1.0;
/// Fewest spans for a `spun` verdict.
pub const SPUN_MIN_SPANS: usize = 3;

/// Scores a text of `words` words with the reported `spans`.
///
/// ```
/// use unspun::{score::judge, Verdict};
/// assert_eq!(judge(&[], 500), (0.0, Verdict::Clean));
/// ```
pub fn judge(spans: &[Span], words: usize) -> (f64, Verdict) {
    if spans.is_empty() {
        return (0.0, Verdict::Clean);
    }
    let evidence: f64 = spans.iter().map(|s| s.confidence).sum();
    let density = 100.0 * evidence / (words.max(100) as f64);
    let score = ((1.0 - (-density).exp()) * 1000.0).round() / 1000.0;
    let verdict = if density >= SPUN_DENSITY && spans.len() >= SPUN_MIN_SPANS {
        Verdict::Spun
    } else {
        Verdict::Suspicious
    };
    (score, verdict)
}
