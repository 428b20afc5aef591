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

    /// The byte offset where the 1-based `line` starts.
    pub fn line_start(&self, line: usize) -> usize {
        self.line_starts[line - 1]
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
    memchr::memchr2_iter(b'\n', b'\r', bytes)
        .filter(|&i| bytes[i] == b'\n' || bytes.get(i + 1) != Some(&b'\n'))
        .map(|i| i + 1)
}

/// Line and column of many offsets of one text in one forward pass.
///
/// [`LineIndex::line_column`] counts the code points from the line's start to
/// the offset, so asking it for every span of a long line costs spans x line
/// length (a 2 MB text on one line has thousands of spans). This cursor goes on
/// from the offset it was last asked for: offsets asked in increasing order,
/// as a report's spans are, cost one walk over the text in all. An offset
/// before the last one is still answered right, from its line's start.
///
/// ```
/// let text = "one\ntwo é three é four";
/// let mut lines = unspun::text::LineColumns::new(text);
/// assert_eq!(lines.line_column(4), (2, 1));
/// assert_eq!(lines.line_column(10), (2, 6));
/// assert_eq!(lines.line_column(20), (2, 15));
/// assert_eq!(lines.line_column(0), (1, 1));
/// ```
#[derive(Debug, Clone)]
pub struct LineColumns<'a> {
    text: &'a str,
    index: LineIndex,
    /// The 1-based line of `at`.
    line: usize,
    /// The byte offset last asked for.
    at: usize,
    /// The 0-based column (in code points) of `at`.
    column: usize,
    /// Bytes walked over so far: the cost this type keeps linear.
    walked: usize,
}

impl<'a> LineColumns<'a> {
    /// A cursor at the start of `text`.
    pub fn new(text: &'a str) -> Self {
        LineColumns {
            text,
            index: LineIndex::new(text),
            line: 1,
            at: 0,
            column: 0,
            walked: 0,
        }
    }

    /// The 1-based line and column (in code points) of `byte_offset`, which
    /// must lie on a char boundary of the text.
    pub fn line_column(&mut self, byte_offset: usize) -> (usize, usize) {
        let line = self
            .index
            .line_starts
            .partition_point(|&s| s <= byte_offset);
        let start = self.index.line_starts[line - 1];
        if line != self.line || byte_offset < self.at {
            self.line = line;
            self.at = start;
            self.column = 0;
        }
        let walk = &self.text.as_bytes()[self.at..byte_offset];
        // Code points are the bytes that do not continue a UTF-8 sequence.
        self.column += walk.iter().filter(|&&b| (b as i8) >= -0x40).count();
        self.walked += walk.len();
        self.at = byte_offset;
        (line, self.column + 1)
    }

    /// The index of the text's line starts.
    pub fn index(&self) -> &LineIndex {
        &self.index
    }
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
    fn line_columns_agree_with_the_line_index_in_any_order() {
        let text = "a😀b\né東京 x\r\n\n🇫🇷 y z\nend";
        let index = LineIndex::new(text);
        let offsets: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
        let mut forward = LineColumns::new(text);
        for &o in &offsets {
            assert_eq!(forward.line_column(o), index.line_column(text, o), "{o}");
        }
        let mut backward = LineColumns::new(text);
        for &o in offsets.iter().rev() {
            assert_eq!(backward.line_column(o), index.line_column(text, o), "{o}");
        }
    }

    #[test]
    fn line_columns_walk_a_long_line_once_for_all_its_offsets() {
        // One line of 200,000 bytes with a span every 10 bytes: asking for each
        // from the line start would walk about 2 billion bytes.
        let text = "word word ".repeat(20_000);
        let mut lines = LineColumns::new(&text);
        for o in (0..text.len()).step_by(10) {
            assert_eq!(lines.line_column(o), (1, o + 1));
        }
        assert!(lines.walked <= text.len(), "walked {} bytes", lines.walked);
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
