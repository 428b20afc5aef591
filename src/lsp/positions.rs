//! LSP positions: 0-based lines and UTF-16 code units within the line, as the
//! protocol requires by default, from and to byte offsets of the text.
//!
//! Lines end at `\n`, `\r\n` or a lone `\r`, as LSP defines them.

use tower_lsp_server::ls_types::{Position, Range};

/// The line starts of a text, to convert byte offsets to positions.
#[derive(Debug, Clone)]
pub struct Lines<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> Lines<'a> {
    /// Indexes `text`.
    pub fn new(text: &'a str) -> Lines<'a> {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        let mut i = 0;
        while let Some(at) = memchr::memchr2(b'\n', b'\r', &bytes[i..]) {
            let at = i + at;
            let next = if bytes[at] == b'\r' && bytes.get(at + 1) == Some(&b'\n') {
                at + 2
            } else {
                at + 1
            };
            starts.push(next);
            i = next;
        }
        Lines { text, starts }
    }

    /// The position of byte `offset` (on a char boundary).
    pub fn position(&self, offset: usize) -> Position {
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let start = self.starts[line];
        let character: usize = self.text[start..offset].chars().map(char::len_utf16).sum();
        Position::new(line as u32, character as u32)
    }

    /// The range of bytes `start..end`.
    pub fn range(&self, start: usize, end: usize) -> Range {
        Range::new(self.position(start), self.position(end))
    }
}

/// Whether two ranges overlap or touch (a cursor at a span's edge asks for
/// its fixes).
pub fn touches(a: &Range, b: &Range) -> bool {
    let before = |x: &Position, y: &Position| (x.line, x.character) < (y.line, y.character);
    !(before(&a.end, &b.start) || before(&b.end, &a.start))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_utf16_units_and_every_line_break_counts() {
        let text = "a\r\n😀 b\rc\nd";
        let lines = Lines::new(text);
        assert_eq!(lines.position(0), Position::new(0, 0));
        let b = text.find('b').unwrap();
        assert_eq!(lines.position(b), Position::new(1, 3));
        assert_eq!(lines.position(text.find('c').unwrap()), Position::new(2, 0));
        assert_eq!(lines.position(text.len()), Position::new(3, 1));
    }

    #[test]
    fn ranges_touch_at_their_edges() {
        let r = |a: u32, b: u32| Range::new(Position::new(0, a), Position::new(0, b));
        assert!(touches(&r(2, 5), &r(5, 5)));
        assert!(touches(&r(2, 5), &r(0, 9)));
        assert!(!touches(&r(2, 5), &r(6, 7)));
    }
}
