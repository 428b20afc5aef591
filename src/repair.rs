//! Repair: the fixed text and the diffs that show it.
//!
//! Fixes are spliced into the input in one forward pass, so everything outside
//! the spans stays byte-identical; the diffs are computed afterwards from the two
//! texts with `similar`.

use crate::report::Span;
use similar::{ChangeTag, TextDiff};
use std::ops::Range;

/// Applies the top suggestion of every span at or above `threshold` whose top
/// suggestion is safe to apply (see [`Span`] and [`crate::CheckOptions`]).
/// `spans` must be in text order and must not overlap.
///
/// ```
/// use unspun::repair::apply;
/// let checker = unspun::Checker::new();
/// let text = "It comes arsenic Mexico has worked to negociate with the Trump medication to debar tariffs.";
/// let report = checker.check(text);
/// let fixed = apply(text, &report.spans, 0.5, |_| true);
/// assert_eq!(fixed, "It comes as Mexico has worked to negotiate with the Trump administration to avoid tariffs.");
/// ```
pub fn apply(
    text: &str,
    spans: &[Span],
    threshold: f64,
    mut safe: impl FnMut(&Span) -> bool,
) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for span in spans {
        if !safe(span) || span.confidence < threshold || span.start < at {
            continue;
        }
        let Some(replacement) = span.suggestions.first() else {
            continue;
        };
        out.push_str(&text[at..span.start]);
        out.push_str(replacement);
        at = span.end;
    }
    out.push_str(&text[at..]);
    out
}

/// Like [`apply`], for a source whose spans were found in a projection (see
/// [`crate::markup`]): `pieces[i]` holds the source ranges of span `i`'s text
/// and whether its fix is safe. The top suggestion goes into the first range
/// and the other ranges are emptied, so the markup between them (tags,
/// attributes, character references outside the artifact) stays byte-identical.
pub fn apply_pieces(
    source: &str,
    spans: &[Span],
    pieces: &[(Vec<Range<usize>>, bool)],
    threshold: f64,
) -> String {
    let mut out = String::with_capacity(source.len());
    let mut at = 0;
    for (span, (ranges, safe)) in spans.iter().zip(pieces) {
        let (Some(first), Some(replacement)) = (ranges.first(), span.suggestions.first()) else {
            continue;
        };
        if !safe || span.confidence < threshold || first.start < at {
            continue;
        }
        for (i, range) in ranges.iter().enumerate() {
            out.push_str(&source[at..range.start]);
            if i == 0 {
                out.push_str(replacement);
            }
            at = range.end;
        }
    }
    out.push_str(&source[at..]);
    out
}

/// A unified diff of `old` against `new`, with `a/<name>` and `b/<name>` headers,
/// or an empty string when they are equal.
///
/// ```
/// let diff = unspun::repair::unified_diff("doc.txt", "connected Friday\n", "on Friday\n");
/// assert!(diff.contains("-connected Friday\n+on Friday\n"));
/// ```
pub fn unified_diff(name: &str, old: &str, new: &str) -> String {
    if old == new {
        return String::new();
    }
    TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(1)
        .header(&format!("a/{name}"), &format!("b/{name}"))
        .to_string()
}

/// One piece of a word-level diff.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WordChange<'a> {
    /// Text in both.
    Same(&'a str),
    /// Text only in the input (the artifact).
    Removed(&'a str),
    /// Text only in the fixed text (the original).
    Added(&'a str),
}

/// A word-level diff for terminals that can colour removed and added words.
///
/// ```
/// use unspun::repair::{word_diff, WordChange};
/// let d = word_diff("comes arsenic Mexico", "comes as Mexico");
/// assert!(d.contains(&WordChange::Removed("arsenic")));
/// assert!(d.contains(&WordChange::Added("as")));
/// ```
pub fn word_diff<'a>(old: &'a str, new: &'a str) -> Vec<WordChange<'a>> {
    let diff = TextDiff::from_words(old, new);
    diff.iter_all_changes()
        .map(|c| {
            let v = c.value();
            match c.tag() {
                ChangeTag::Equal => WordChange::Same(v),
                ChangeTag::Delete => WordChange::Removed(v),
                ChangeTag::Insert => WordChange::Added(v),
            }
        })
        .collect()
}
