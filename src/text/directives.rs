//! Inline ignores: comments in the checked file that switch checking off for a
//! line or a stretch, in any format and any comment syntax.
//!
//! A directive is the word `unspun:` and its name, anywhere on a line (in an
//! HTML comment, after `//` or `#`, in a Markdown comment, or alone on a line
//! of plain text):
//!
//! - `unspun:ignore-line`: no span starts on this line;
//! - `unspun:ignore-next-line`: no span starts on the next line;
//! - `unspun:disable` ... `unspun:enable`: no span starts between the two (to
//!   the end of the text when no `enable` follows).
//!
//! Spans are dropped by where they start in the source, after the check, so
//! the words around an ignored line still serve as context. (Markup's own
//! `<!-- unspun:ignore -->`, which leaves out the rest of an element, is
//! handled by the projection; see [`crate::markup`].)
//!
//! ```
//! use unspun::text::Ignored;
//! let text = "one\ntwo // unspun:ignore-line\nthree\n";
//! let ignored = Ignored::find(text);
//! assert!(!ignored.covers(0));
//! assert!(ignored.covers(4));      // "two"
//! assert!(!ignored.covers(30));    // "three"
//! ```

use std::ops::Range;

/// The byte ranges of a text where directives switch checking off.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Ignored {
    ranges: Vec<Range<usize>>,
}

const PREFIX: &[u8] = b"unspun:";

/// The line around byte `at`: from its start to its end (without the line
/// break).
fn line_around(text: &[u8], at: usize) -> Range<usize> {
    let start = memchr::memrchr2(b'\n', b'\r', &text[..at]).map_or(0, |i| i + 1);
    let end = memchr::memchr2(b'\n', b'\r', &text[at..]).map_or(text.len(), |i| at + i);
    start..end
}

/// The line after the line break at `end` (a `\r\n` is one break); empty at
/// the end of the text.
fn next_line(text: &[u8], end: usize) -> Range<usize> {
    let start = match (text.get(end), text.get(end + 1)) {
        (None, _) => return end..end,
        (Some(b'\r'), Some(b'\n')) => end + 2,
        _ => end + 1,
    };
    let stop = memchr::memchr2(b'\n', b'\r', &text[start..]).map_or(text.len(), |i| start + i);
    start..stop
}

impl Ignored {
    /// The directives of `text`. Costs one search for `unspun:` when there
    /// are none.
    pub fn find(text: &str) -> Ignored {
        let bytes = text.as_bytes();
        let mut ranges = Vec::new();
        let mut disabled_from: Option<usize> = None;
        for at in memchr::memmem::find_iter(bytes, PREFIX) {
            // A directive starts a word: `xunspun:` is not one.
            if at > 0 && (bytes[at - 1].is_ascii_alphanumeric() || bytes[at - 1] == b'-') {
                continue;
            }
            let name_start = at + PREFIX.len();
            let name_end = bytes[name_start..]
                .iter()
                .position(|b| !(b.is_ascii_lowercase() || *b == b'-'))
                .map_or(bytes.len(), |i| name_start + i);
            match &bytes[name_start..name_end] {
                b"ignore-line" => ranges.push(line_around(bytes, at)),
                b"ignore-next-line" => {
                    let line = line_around(bytes, at);
                    ranges.push(next_line(bytes, line.end));
                }
                b"disable" => {
                    disabled_from.get_or_insert(at);
                }
                b"enable" => {
                    if let Some(from) = disabled_from.take() {
                        ranges.push(from..at);
                    }
                }
                _ => {}
            }
        }
        if let Some(from) = disabled_from {
            ranges.push(from..bytes.len());
        }
        Ignored { ranges }
    }

    /// Whether a span starting at byte `at` is switched off.
    pub fn covers(&self, at: usize) -> bool {
        self.ranges.iter().any(|r| r.contains(&at))
    }

    /// Whether the text has no directive.
    pub fn is_empty(&self) -> bool {
        self.ranges.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn covered(text: &str, word: &str) -> bool {
        Ignored::find(text).covers(text.find(word).expect("the word is in the text"))
    }

    #[test]
    fn ignore_line_covers_its_own_line_only() {
        let text = "alpha\nbeta <!-- unspun:ignore-line -->\ngamma";
        assert!(!covered(text, "alpha"));
        assert!(covered(text, "beta"));
        assert!(!covered(text, "gamma"));
    }

    #[test]
    fn ignore_next_line_covers_the_next_line_with_any_line_break() {
        for br in ["\n", "\r\n", "\r"] {
            let text = format!("# unspun:ignore-next-line{br}beta{br}gamma");
            assert!(covered(&text, "beta"), "{br:?}");
            assert!(!covered(&text, "gamma"), "{br:?}");
        }
        // At the end of the text there is no next line.
        assert!(!Ignored::find("x unspun:ignore-next-line").covers(0));
    }

    #[test]
    fn disable_runs_to_enable_or_to_the_end() {
        let text =
            "ALPHA\nunspun:disable\nBETA\nGAMMA\nunspun:enable\nDELTA\n// unspun:disable\nEPSILON";
        assert!(!covered(text, "ALPHA"));
        assert!(covered(text, "BETA") && covered(text, "GAMMA"));
        assert!(!covered(text, "DELTA"));
        assert!(covered(text, "EPSILON"));
    }

    #[test]
    fn only_whole_directive_names_count() {
        let text = "a unspun:ignore-lines b\nxunspun:ignore-line c\nunspun:ignore d";
        assert!(Ignored::find(text).is_empty());
    }
}
