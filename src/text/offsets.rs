//! Offsets in the units editors use.
//!
//! The checker works in UTF-8 byte offsets. Vim and Rust want bytes, Python wants
//! code points, JavaScript and Java (and so LanguageTool clients) want UTF-16 code
//! units. Converting is a walk over the text; [`OffsetUnit::convert_all`] does it
//! in one pass for many offsets.

use serde::{Deserialize, Serialize};

/// The unit in which offsets are reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OffsetUnit {
    /// UTF-8 bytes (Rust, Go, Vim).
    #[default]
    Utf8,
    /// Unicode scalar values, i.e. code points (Python).
    Char,
    /// UTF-16 code units (JavaScript, Java, LanguageTool).
    Utf16,
}

impl OffsetUnit {
    /// The length of `s` in this unit.
    ///
    /// ```
    /// use unspun::text::OffsetUnit;
    /// assert_eq!(OffsetUnit::Utf8.len("😀é"), 6);
    /// assert_eq!(OffsetUnit::Char.len("😀é"), 2);
    /// assert_eq!(OffsetUnit::Utf16.len("😀é"), 3);
    /// ```
    pub fn len(self, s: &str) -> usize {
        match self {
            OffsetUnit::Utf8 => s.len(),
            OffsetUnit::Char => s.chars().count(),
            OffsetUnit::Utf16 => s.chars().map(char::len_utf16).sum(),
        }
    }

    /// Converts one byte offset (on a char boundary) of `text` into this unit.
    pub fn convert(self, text: &str, byte_offset: usize) -> usize {
        self.len(&text[..byte_offset])
    }

    /// Converts many byte offsets at once. `byte_offsets` may come in any order;
    /// the answer is in the same order. Runs in one pass over the text.
    pub fn convert_all(self, text: &str, byte_offsets: &[usize]) -> Vec<usize> {
        if self == OffsetUnit::Utf8 {
            return byte_offsets.to_vec();
        }
        let mut order: Vec<usize> = (0..byte_offsets.len()).collect();
        order.sort_unstable_by_key(|&i| byte_offsets[i]);
        let mut out = vec![0; byte_offsets.len()];
        let mut byte = 0;
        let mut unit = 0;
        let mut chars = text.char_indices().peekable();
        for i in order {
            let target = byte_offsets[i];
            while byte < target {
                match chars.next() {
                    Some((_, c)) => {
                        byte += c.len_utf8();
                        unit += if self == OffsetUnit::Char {
                            1
                        } else {
                            c.len_utf16()
                        };
                    }
                    None => break,
                }
            }
            out[i] = unit;
        }
        out
    }
}

/// Maps byte offsets to 1-based line and column numbers.
///
/// Lines end at `\n`, `\r\n` or a lone `\r`. Columns count code points, the
/// way most editors display them.
///
/// ```
/// let index = unspun::text::LineIndex::new("one\ntwo é three");
/// assert_eq!(index.line_column("one\ntwo é three", 10), (2, 6));
/// ```
#[derive(Debug, Clone)]
pub struct LineIndex {
    line_starts: Vec<usize>,
}

impl LineIndex {
    /// Indexes the line starts of `text`.
    pub fn new(text: &str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(memchr_newlines(text.as_bytes()));
        LineIndex { line_starts }
    }

    /// The 1-based line and column (in code points) of `byte_offset`.
    pub fn line_column(&self, text: &str, byte_offset: usize) -> (usize, usize) {
        let line = self.line_starts.partition_point(|&s| s <= byte_offset);
        let start = self.line_starts[line - 1];
        let column = text[start..byte_offset].chars().count() + 1;
        (line, column)
    }

    /// The byte range of the 1-based `line`, without its line terminator.
    pub fn line_range(&self, text: &str, line: usize) -> std::ops::Range<usize> {
        let start = self.line_starts[line - 1];
        let mut end = self.line_starts.get(line).map_or(text.len(), |&s| s - 1);
        if end > start && text.as_bytes()[end - 1] == b'\r' {
            end -= 1;
        }
        start..end
    }
}

/// The start of every line after the first: after each `\n`, and after each
/// `\r` not followed by `\n` (old Mac OS line ends).
fn memchr_newlines(bytes: &[u8]) -> impl Iterator<Item = usize> + '_ {
    bytes
        .iter()
        .enumerate()
        .filter(|&(i, &b)| b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n')))
        .map(|(i, _)| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn convert_all_matches_convert_in_every_unit() {
        let text = "a😀b é東京 🇫🇷 x";
        let offsets: Vec<usize> = text.char_indices().map(|(i, _)| i).rev().collect();
        for unit in [OffsetUnit::Utf8, OffsetUnit::Char, OffsetUnit::Utf16] {
            let all = unit.convert_all(text, &offsets);
            for (o, c) in offsets.iter().zip(all) {
                assert_eq!(unit.convert(text, *o), c);
            }
        }
    }

    #[test]
    fn line_range_drops_crlf() {
        let text = "ab\r\ncd\nef";
        let index = LineIndex::new(text);
        assert_eq!(&text[index.line_range(text, 1)], "ab");
        assert_eq!(&text[index.line_range(text, 2)], "cd");
        assert_eq!(&text[index.line_range(text, 3)], "ef");
        assert_eq!(index.line_column(text, 4), (2, 1));
    }

    #[test]
    fn a_lone_carriage_return_ends_a_line() {
        let text = "ab\rcd\r\ref\r\n";
        let index = LineIndex::new(text);
        assert_eq!(&text[index.line_range(text, 2)], "cd");
        assert_eq!(&text[index.line_range(text, 3)], "");
        assert_eq!(&text[index.line_range(text, 4)], "ef");
        assert_eq!(index.line_column(text, 4), (2, 2));
        assert_eq!(index.line_column(text, 7), (4, 1));
    }
}
