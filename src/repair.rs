//! Repair: the fixed text and the diffs that show it.
//!
//! Fixes are spliced into the input in one forward pass, so everything outside
//! the spans stays byte-identical; the diffs are computed afterwards from the two
//! texts with `similar`.

use crate::report::Span;
use similar::udiff::UnifiedHunkHeader;
use similar::{ChangeTag, DiffOp, TextDiff};
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
    let (old_lines, new_lines) = (lines(old), lines(new));
    if old_lines.len() != new_lines.len() {
        // A fix that adds or removes a line break: no line-for-line pairing.
        return whole_unified_diff(name, old, new);
    }
    let mut out = format!("--- a/{name}\n+++ b/{name}\n");
    for lines in changed_regions(old, &old_lines, new, &new_lines) {
        // Every region starts on the same line in both texts.
        let (first, last) = (lines.start, lines.end - 1);
        let old_part = &old[old_lines[first].start..old_lines[last].end];
        let new_part = &new[new_lines[first].start..new_lines[last].end];
        let diff = TextDiff::from_lines(old_part, new_part);
        for hunk in diff
            .unified_diff()
            .context_radius(DIFF_CONTEXT)
            .iter_hunks()
        {
            let shifted: Vec<DiffOp> = hunk.ops().iter().map(|op| shift(op, first)).collect();
            let text = hunk.to_string();
            // Each hunk's first line is its header, numbered within the region.
            let body = text.split_once('\n').map_or("", |(_, body)| body);
            out.push_str(&format!("{}\n{body}", UnifiedHunkHeader::new(&shifted)));
        }
    }
    out
}

/// Lines of context around each change in [`unified_diff`].
const DIFF_CONTEXT: usize = 1;

/// [`unified_diff`] of the whole texts at once: what it gives too, faster,
/// when every line pairs with the line of the same number.
fn whole_unified_diff(name: &str, old: &str, new: &str) -> String {
    TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(DIFF_CONTEXT)
        .header(&format!("a/{name}"), &format!("b/{name}"))
        .to_string()
}

/// The byte range of each line of `text`, with its line break: a line ends
/// at "\n", "\r\n" or a lone "\r", as `similar` splits lines.
fn lines(text: &str) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(text.len() / 64 + 1);
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        let end = match bytes[i] {
            b'\r' if bytes.get(i + 1) == Some(&b'\n') => i + 2,
            b'\r' | b'\n' => i + 1,
            _ => {
                i += 1;
                continue;
            }
        };
        out.push(start..end);
        start = end;
        i = end;
    }
    if start < bytes.len() {
        out.push(start..bytes.len());
    }
    out
}

/// The line ranges to diff, for two texts with as many lines: each changed
/// line with its context, lines close enough to share a hunk together. Far
/// apart, they are diffed alone, so a few fixes in a long text cost a few
/// small diffs, not one over every line.
fn changed_regions(
    old: &str,
    old_lines: &[Range<usize>],
    new: &str,
    new_lines: &[Range<usize>],
) -> Vec<Range<usize>> {
    let n = old_lines.len();
    let mut regions: Vec<Range<usize>> = Vec::new();
    for (i, (o, w)) in old_lines.iter().zip(new_lines).enumerate() {
        if old[o.clone()] == new[w.clone()] {
            continue;
        }
        let start = i.saturating_sub(DIFF_CONTEXT);
        let end = (i + 1 + DIFF_CONTEXT).min(n);
        match regions.last_mut() {
            // Context that touches or overlaps makes one hunk, as in a diff
            // of the whole texts.
            Some(last) if start <= last.end => last.end = end,
            _ => regions.push(start..end),
        }
    }
    regions
}

/// `op` of a region that starts at line `first`, numbered in the whole text.
fn shift(op: &DiffOp, first: usize) -> DiffOp {
    match *op {
        DiffOp::Equal {
            old_index,
            new_index,
            len,
        } => DiffOp::Equal {
            old_index: old_index + first,
            new_index: new_index + first,
            len,
        },
        DiffOp::Delete {
            old_index,
            old_len,
            new_index,
        } => DiffOp::Delete {
            old_index: old_index + first,
            old_len,
            new_index: new_index + first,
        },
        DiffOp::Insert {
            old_index,
            new_index,
            new_len,
        } => DiffOp::Insert {
            old_index: old_index + first,
            new_index: new_index + first,
            new_len,
        },
        DiffOp::Replace {
            old_index,
            old_len,
            new_index,
            new_len,
        } => DiffOp::Replace {
            old_index: old_index + first,
            old_len,
            new_index: new_index + first,
            new_len,
        },
    }
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

#[cfg(test)]
mod tests {
    use super::{unified_diff, whole_unified_diff};

    /// `lines` lines of text, with the lines in `changed` spun, and a final
    /// line break or not.
    fn texts(lines: usize, changed: &[usize], final_break: bool) -> (String, String) {
        let mut old = String::new();
        let mut new = String::new();
        for i in 0..lines {
            let line = format!("Line {i} says the vote takes place on Friday.");
            old.push_str(&line);
            if changed.contains(&i) {
                new.push_str(&line.replace(" on ", " connected "));
            } else {
                new.push_str(&line);
            }
            if i + 1 < lines || final_break {
                old.push('\n');
                new.push('\n');
            }
        }
        (old, new)
    }

    /// Asserts that the region diff of `old` and `new` is the whole-text diff.
    fn assert_diff_is_whole(old: &str, new: &str, case: &str) {
        assert_eq!(
            unified_diff("doc.txt", old, new),
            whole_unified_diff("doc.txt", old, new),
            "{case}"
        );
    }

    #[test]
    fn diffing_changed_regions_gives_the_diff_of_the_whole_texts() {
        let patterns: &[&[usize]] = &[
            &[0],
            &[39],
            &[0, 39],
            &[5, 6],
            &[5, 7],
            &[5, 8],
            &[5, 9],
            &[5, 10],
            &[1, 4, 7, 10, 14, 19, 25, 38],
            &(0..40).collect::<Vec<_>>(),
        ];
        for changed in patterns {
            for final_break in [true, false] {
                let (old, new) = texts(40, changed, final_break);
                let case = format!("lines {changed:?}, final break {final_break}");
                assert_diff_is_whole(&old, &new, &case);
            }
        }
    }

    #[test]
    fn lines_end_where_similar_ends_them() {
        for line_break in ["\r\n", "\r"] {
            let (old, new) = texts(40, &[3, 20, 39], true);
            // The first lines end in `line_break`, the others in "\n": the
            // hunks after them are numbered right only if both count alike.
            let mixed = |text: &str| {
                let (head, tail) = text.split_at(text.match_indices('\n').nth(9).unwrap().0);
                head.replace('\n', line_break) + tail
            };
            let (old, new) = (mixed(&old), mixed(&new));
            assert_diff_is_whole(&old, &new, &format!("line break {line_break:?}"));
        }
    }

    #[test]
    fn a_fix_that_changes_the_line_count_is_diffed_whole() {
        let old = "one\ntwo\nthree\n";
        let new = "one\ntwo and\nmore\nthree\n";
        assert_diff_is_whole(old, new, "a line added");
        let diff = unified_diff("doc.txt", old, new);
        assert!(diff.contains("-two\n+two and\n+more\n"), "{diff}");
    }
}
