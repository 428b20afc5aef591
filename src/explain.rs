//! Span messages: what was found and why, in one sentence for people.
//!
//! A text dense with artifacts has a span every few words, so the message is
//! written into one string reserved at about its final size, without the
//! intermediate strings (reasons, contexts, numbers) that formatting each
//! piece on its own would allocate and copy.

use crate::detect::{Evidence, Finding};
use crate::report::SpanKind;
use std::fmt::Write as _;

const OPEN: &str = "\u{201c}";
const CLOSE: &str = "\u{201d}";

/// The message of finding `f`, whose text as read is `written` and whose
/// first suggestion (in the artifact's casing) is `top` (empty if none).
pub(crate) fn message(f: &Finding, written: &str, top: &str) -> String {
    let mut m = String::with_capacity(192 + 2 * written.len() + 2 * top.len());
    match &f.evidence {
        Evidence::Phrase {
            typos,
            papers,
            conditional,
            corroborated,
        } => {
            m.push_str(OPEN);
            m.push_str(written);
            m.push_str(CLOSE);
            if f.kind == SpanKind::SpunWord {
                m.push_str(" is a known spinner artifact for ");
                quoted(&mut m, top);
            } else if top.is_empty() {
                m.push_str(
                    " is a tortured phrase; its original is not known, so there is no suggestion",
                );
            } else {
                m.push_str(" is a tortured phrase for ");
                quoted(&mut m, top);
            }
            let mut reasons = Reasons::new(&mut m, " (");
            if let Some(p) = papers {
                let out = reasons.next();
                let _ = write!(
                    out,
                    "Problematic Paper Screener fingerprint seen in {p} papers"
                );
            }
            if *conditional {
                reasons.next().push_str("its document conditions are met");
            }
            if *corroborated {
                reasons
                    .next()
                    .push_str("the document holds other tortured phrases");
            }
            if *typos > 0 {
                let out = reasons.next();
                let _ = write!(out, "matched with {typos} one-letter typo(s)");
            }
            if reasons.any() {
                m.push(')');
            }
            if f.uncertain && !top.is_empty() {
                m.push_str("; the original is uncertain, so it is not fixed automatically");
            }
            m.push('.');
        }
        Evidence::Context {
            context: advantage,
            artifact_zipf,
            original_zipf,
            left,
            right,
            ..
        } => {
            quoted(&mut m, written);
            m.push_str(" looks like a thesaurus swap for ");
            quoted(&mut m, top);
            let mut reasons = Reasons::new(&mut m, ": ");
            if *artifact_zipf < 3.0 && original_zipf - artifact_zipf >= 2.0 {
                let out = reasons.next();
                out.push_str("it is rare in English (");
                per_words(out, *artifact_zipf);
                out.push_str(", against ");
                per_words(out, *original_zipf);
                out.push_str(" for ");
                quoted(out, top);
                out.push(')');
            }
            let fit = *advantage;
            if fit > 0.7 {
                let out = reasons.next();
                out.push_str(OPEN);
                in_context(out, left, top, right);
                out.push_str(CLOSE);
                out.push_str(" fits the context about ");
                likelihood_ratio(out, fit);
                out.push_str(" times better than ");
                out.push_str(OPEN);
                in_context(out, left, written, right);
                out.push_str(CLOSE);
                out.push_str(" in clean English");
            }
            if !reasons.any() {
                reasons.next().push_str(
                    "the slot suits the original's word class and the text shows other spinning artifacts",
                );
            }
            m.push('.');
        }
    }
    m
}

/// Reasons joined with "; " after an opening that is written only when
/// there is a first reason.
struct Reasons<'a> {
    out: &'a mut String,
    opening: &'static str,
    count: usize,
}

impl<'a> Reasons<'a> {
    fn new(out: &'a mut String, opening: &'static str) -> Self {
        Reasons {
            out,
            opening,
            count: 0,
        }
    }

    /// The string to write the next reason into.
    fn next(&mut self) -> &mut String {
        self.out
            .push_str(if self.count == 0 { self.opening } else { "; " });
        self.count += 1;
        self.out
    }

    fn any(&self) -> bool {
        self.count > 0
    }
}

fn quoted(out: &mut String, s: &str) {
    out.push_str(OPEN);
    out.push_str(s);
    out.push_str(CLOSE);
}

/// `left word right`, each side only if there is one.
fn in_context(out: &mut String, left: &str, word: &str, right: &str) {
    if !left.is_empty() {
        out.push_str(left);
        out.push(' ');
    }
    out.push_str(word);
    if !right.is_empty() {
        out.push(' ');
        out.push_str(right);
    }
}

/// "about 1 in 10 million words" for a Zipf frequency.
fn per_words(out: &mut String, zipf: f32) {
    let per = 10f64.powf(9.0 - f64::from(zipf));
    let rounded = 10f64.powf(per.log10().round());
    let n = rounded as u64;
    out.push_str(if zipf < 1.0 {
        "under 1 in "
    } else {
        "about 1 in "
    });
    let _ = match n {
        n if n >= 1_000_000_000 => write!(out, "{} billion", n / 1_000_000_000),
        n if n >= 1_000_000 => write!(out, "{} million", n / 1_000_000),
        n if n >= 1_000 => write!(out, "{},000", n / 1_000),
        n => write!(out, "{}", n.max(1)),
    };
    out.push_str(" words");
}

/// How many times likelier, rounded for reading: "35", "120", "a million".
fn likelihood_ratio(out: &mut String, advantage: f64) {
    let r = advantage.exp();
    let _ = if r >= 1e6 {
        write!(out, "a million")
    } else if r >= 100.0 {
        write!(out, "{}", (r / 10.0).round() as u64 * 10)
    } else {
        write!(out, "{}", r.round().max(1.0) as u64)
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(f: impl FnOnce(&mut String)) -> String {
        let mut s = String::new();
        f(&mut s);
        s
    }

    #[test]
    fn frequencies_and_ratios_read_as_round_numbers() {
        assert_eq!(written(|s| per_words(s, 3.0)), "about 1 in 1 million words");
        assert_eq!(written(|s| per_words(s, 6.0)), "about 1 in 1,000 words");
        assert_eq!(written(|s| per_words(s, 0.5)), "under 1 in 1 billion words");
        assert_eq!(written(|s| per_words(s, 9.5)), "about 1 in 1 words");
        assert_eq!(written(|s| likelihood_ratio(s, 35f64.ln())), "35");
        assert_eq!(written(|s| likelihood_ratio(s, 123f64.ln())), "120");
        assert_eq!(written(|s| likelihood_ratio(s, 2e6f64.ln())), "a million");
        assert_eq!(written(|s| likelihood_ratio(s, 0.0)), "1");
    }

    #[test]
    fn reasons_are_joined_after_an_opening_written_only_for_the_first() {
        let mut s = String::from("x");
        let mut reasons = Reasons::new(&mut s, " (");
        assert!(!reasons.any());
        reasons.next().push('a');
        reasons.next().push('b');
        assert!(reasons.any());
        assert_eq!(s, "x (a; b");
    }
}
