//! Markup in: the text a reader sees, with a map back to the bytes that were sent.
//!
//! CMS content is HTML and editorial repositories keep Markdown. The detector
//! works on plain text, so each markup format is *projected*: the checkable
//! prose is copied into a plain [`Projection::text`], and every projected byte
//! remembers the source bytes it came from. Spans found in the projection are
//! mapped back ([`Projection::source_range`]), so offsets, lines and columns
//! refer to the document as sent, and fixes are spliced into the source piece by
//! piece ([`Projection::source_pieces`]) so that tags, attributes and character
//! references around an artifact stay byte-identical.
//!
//! What the projection leaves out: code (spans, blocks, `pre`, `code`, `kbd`,
//! `samp`, `var`), `script`, `style`, `textarea`, `template`, `svg`, `math`,
//! attribute values, URLs (autolinks), image alt text, front matter and
//! comments. Block boundaries (paragraphs, headings, list items, table cells)
//! become breaks, so no phrase is matched across two blocks; inline markup
//! (`<em>`, `**`, links) leaves the words adjacent, so
//! `<em>counterfeit</em> consciousness` is still one phrase.
//!
//! Inline directives, written in an HTML comment (in Markdown too):
//! - `<!-- unspun:ignore -->` leaves out the rest of the enclosing element or
//!   block (the rest of a paragraph when written inside one; the rest of a list
//!   item, block quote or HTML element; the rest of the document at top level);
//! - `<!-- unspun:ignore-next-line -->` leaves out the source line after the one
//!   the comment ends on.

mod html;
mod markdown;

use std::borrow::Cow;
use std::ops::Range;
use std::path::Path;
use std::str::FromStr;

/// The format of a document to check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Markup {
    /// Plain text: checked as it is.
    #[default]
    Text,
    /// CommonMark with tables, footnotes, strikethrough and YAML/TOML front matter.
    Markdown,
    /// HTML (a document or a fragment).
    Html,
}

impl Markup {
    /// The format's name as the CLI and the server spell it.
    pub fn as_str(self) -> &'static str {
        match self {
            Markup::Text => "text",
            Markup::Markdown => "markdown",
            Markup::Html => "html",
        }
    }

    /// The format a file name suggests: `.md`/`.markdown` are Markdown,
    /// `.html`/`.htm`/`.xhtml` are HTML, anything else is text.
    ///
    /// ```
    /// use unspun::markup::Markup;
    /// assert_eq!(Markup::from_path("notes/post.MD"), Markup::Markdown);
    /// assert_eq!(Markup::from_path("index.htm"), Markup::Html);
    /// assert_eq!(Markup::from_path("-"), Markup::Text);
    /// ```
    pub fn from_path(path: impl AsRef<Path>) -> Markup {
        let ext = path
            .as_ref()
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or("")
            .to_ascii_lowercase();
        match ext.as_str() {
            "md" | "markdown" | "mdown" | "mkd" => Markup::Markdown,
            "html" | "htm" | "xhtml" => Markup::Html,
            _ => Markup::Text,
        }
    }

    /// Projects `source` to checkable text. `skip_quotes` leaves out quoted
    /// material (block quotes, `<q>`).
    ///
    /// ```
    /// use unspun::markup::Markup;
    /// let source = "<p>Tools for <em>counterfeit</em> consciousness &amp; more</p>";
    /// let p = Markup::Html.project(source, false);
    /// assert!(p.text.contains("Tools for counterfeit consciousness & more"));
    /// let at = p.text.find("counterfeit consciousness").unwrap();
    /// let range = p.source_range(at..at + "counterfeit consciousness".len());
    /// assert_eq!(&source[range], "counterfeit</em> consciousness");
    /// ```
    pub fn project(self, source: &str, skip_quotes: bool) -> Projection<'_> {
        match self {
            Markup::Text => Projection::identity(source),
            Markup::Markdown => markdown::project(source, skip_quotes),
            Markup::Html => html::project(source, skip_quotes),
        }
    }
}

impl FromStr for Markup {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        match s.to_ascii_lowercase().as_str() {
            "text" | "plain" | "txt" => Ok(Markup::Text),
            "markdown" | "md" => Ok(Markup::Markdown),
            "html" | "htm" => Ok(Markup::Html),
            other => Err(format!(
                "unknown markup `{other}` (expected text, markdown or html)"
            )),
        }
    }
}

impl std::fmt::Display for Markup {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What stands between two blocks in a projection: a line break for readers of
/// the projected text and a pilcrow, which the tokenizer counts as a break.
pub const BLOCK_BREAK: &str = "\n\u{b6}\n";

/// One run of projected text that came from the source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Piece {
    proj: usize,
    proj_end: usize,
    src: usize,
    src_end: usize,
    /// Byte-for-byte the same as the source; otherwise a decoded character
    /// reference (or escape) that maps as a whole.
    verbatim: bool,
}

/// Checkable plain text projected from a marked-up source, with the map back.
#[derive(Debug, Clone)]
pub struct Projection<'a> {
    /// The text to check: prose only, character references decoded, blocks
    /// separated by [`BLOCK_BREAK`].
    pub text: Cow<'a, str>,
    pieces: Vec<Piece>,
}

impl<'a> Projection<'a> {
    /// The projection of plain text: the text itself.
    pub fn identity(source: &'a str) -> Self {
        Projection {
            text: Cow::Borrowed(source),
            pieces: vec![Piece {
                proj: 0,
                proj_end: source.len(),
                src: 0,
                src_end: source.len(),
                verbatim: true,
            }],
        }
    }

    fn piece_at(&self, proj: usize) -> Option<usize> {
        let i = self.pieces.partition_point(|p| p.proj_end <= proj);
        (i < self.pieces.len()).then_some(i)
    }

    /// The source range a projected range came from: from the source of its
    /// first mapped byte to the end of the source of its last. Text the
    /// projection inserted (block breaks, spaces) maps to nothing, so a range
    /// should start and end on projected words.
    pub fn source_range(&self, proj: Range<usize>) -> Range<usize> {
        let Some(first) = self.piece_at(proj.start) else {
            let end = self.pieces.last().map_or(0, |p| p.src_end);
            return end..end;
        };
        let p = self.pieces[first];
        let start = if p.verbatim && proj.start >= p.proj {
            p.src + (proj.start - p.proj)
        } else {
            p.src
        };
        let last_byte = proj.end.saturating_sub(1).max(proj.start);
        let last = self
            .pieces
            .partition_point(|q| q.proj <= last_byte)
            .saturating_sub(1)
            .max(first);
        let q = self.pieces[last];
        let end = if q.verbatim && proj.end <= q.proj_end && proj.end >= q.proj {
            q.src + (proj.end - q.proj)
        } else {
            q.src_end
        };
        start..end.max(start)
    }

    /// The source ranges of the text inside a projected range, in order: one per
    /// run of text between tags or character references. Replacing the first
    /// with a fix and emptying the others changes exactly the artifact's text.
    pub fn source_pieces(&self, proj: Range<usize>) -> Vec<Range<usize>> {
        let mut out: Vec<Range<usize>> = Vec::new();
        let Some(first) = self.piece_at(proj.start) else {
            return out;
        };
        for p in &self.pieces[first..] {
            if p.proj >= proj.end {
                break;
            }
            let range = if p.verbatim {
                let from = proj.start.max(p.proj);
                let to = proj.end.min(p.proj_end);
                p.src + (from - p.proj)..p.src + (to - p.proj)
            } else {
                p.src..p.src_end
            };
            match out.last_mut() {
                Some(prev) if prev.end == range.start => prev.end = range.end,
                _ => out.push(range),
            }
        }
        out
    }
}

/// Builds a [`Projection`] from pieces of source in source order.
struct Builder<'s> {
    source: &'s str,
    text: String,
    pieces: Vec<Piece>,
    /// Source ranges left out by `ignore-next-line`.
    ignored_lines: Vec<Range<usize>>,
    pending_break: bool,
}

impl<'s> Builder<'s> {
    fn new(source: &'s str) -> Self {
        Builder {
            source,
            text: String::with_capacity(source.len() / 2),
            pieces: Vec::new(),
            ignored_lines: Vec::new(),
            pending_break: false,
        }
    }

    /// Asks for a break before the next text.
    fn block_break(&mut self) {
        if !self.text.is_empty() {
            self.pending_break = true;
        }
    }

    fn flush_break(&mut self) {
        if self.pending_break {
            self.text.push_str(BLOCK_BREAK);
            self.pending_break = false;
        }
    }

    /// Inserted whitespace that maps to no source (soft line breaks, `<br>`).
    fn space(&mut self) {
        if !self.pending_break && !self.text.is_empty() {
            self.text.push('\n');
        }
    }

    /// Source text copied as it is, minus lines an `ignore-next-line` covers.
    fn verbatim(&mut self, src: Range<usize>) {
        if self.ignored_lines.is_empty() {
            return self.push_verbatim(src);
        }
        let mut at = src.start;
        let lines = std::mem::take(&mut self.ignored_lines);
        for line in lines
            .iter()
            .filter(|l| l.end > src.start && l.start < src.end)
        {
            if line.start > at {
                self.push_verbatim(at..line.start);
            }
            self.block_break();
            at = at.max(line.end);
        }
        if at < src.end {
            self.push_verbatim(at..src.end);
        }
        self.ignored_lines = lines;
    }

    fn push_verbatim(&mut self, src: Range<usize>) {
        if src.is_empty() {
            return;
        }
        self.flush_break();
        let proj = self.text.len();
        self.text.push_str(&self.source[src.clone()]);
        let proj_end = self.text.len();
        if let Some(last) = self.pieces.last_mut() {
            if last.verbatim && last.src_end == src.start && last.proj_end == proj {
                last.src_end = src.end;
                last.proj_end = proj_end;
                return;
            }
        }
        self.pieces.push(Piece {
            proj,
            proj_end,
            src: src.start,
            src_end: src.end,
            verbatim: true,
        });
    }

    /// Decoded text (a character reference) that stands for `src` as a whole.
    fn decoded(&mut self, text: &str, src: Range<usize>) {
        if text.is_empty() || self.ignored_lines.iter().any(|l| l.contains(&src.start)) {
            return;
        }
        self.flush_break();
        let proj = self.text.len();
        self.text.push_str(text);
        self.pieces.push(Piece {
            proj,
            proj_end: self.text.len(),
            src: src.start,
            src_end: src.end,
            verbatim: false,
        });
    }

    /// Text whose decoded form `decoded` may differ from the source slice
    /// `src` by character references or escapes: aligned so that everything
    /// outside the references maps byte for byte.
    fn aligned(&mut self, decoded: &str, src: Range<usize>) {
        let raw = &self.source[src.clone()];
        if raw == decoded {
            return self.verbatim(src);
        }
        let (mut i, mut k) = (0, 0);
        let rb = raw.as_bytes();
        let db = decoded.as_bytes();
        let mut run = 0;
        while i < rb.len() {
            if rb[i] == b'&' {
                if let Some((len, text)) = reference_at(&raw[i..]) {
                    if decoded[k..].starts_with(text.as_ref()) {
                        self.verbatim(src.start + run..src.start + i);
                        self.decoded(&text, src.start + i..src.start + i + len);
                        i += len;
                        k += text.len();
                        run = i;
                        continue;
                    }
                }
            }
            if k < db.len() && rb[i] == db[k] {
                i += 1;
                k += 1;
                continue;
            }
            // Out of step: map the rest coarsely (common suffix byte for byte).
            self.verbatim(src.start + run..src.start + i);
            let rest_raw = &raw[i..];
            let rest_dec = &decoded[k..];
            let mut suffix = rest_raw
                .bytes()
                .rev()
                .zip(rest_dec.bytes().rev())
                .take_while(|(a, b)| a == b)
                .count()
                .min(rest_raw.len())
                .min(rest_dec.len());
            while !rest_raw.is_char_boundary(rest_raw.len() - suffix)
                || !rest_dec.is_char_boundary(rest_dec.len() - suffix)
            {
                suffix -= 1;
            }
            let mid_end = src.end - suffix;
            self.decoded(&rest_dec[..rest_dec.len() - suffix], src.start + i..mid_end);
            self.verbatim(mid_end..src.end);
            return;
        }
        self.verbatim(src.start + run..src.end);
        if k < decoded.len() {
            self.decoded(&decoded[k..], src.end..src.end);
        }
    }

    /// Records an `ignore-next-line` directive in a comment ending at `end`.
    fn ignore_next_line(&mut self, end: usize) {
        let rest = &self.source[end..];
        let Some(nl) = rest.find('\n') else { return };
        let start = end + nl + 1;
        let stop = self.source[start..]
            .find('\n')
            .map_or(self.source.len(), |n| start + n);
        self.ignored_lines.push(start..stop);
    }

    fn finish(self) -> Projection<'static> {
        Projection {
            text: Cow::Owned(self.text),
            pieces: self.pieces,
        }
    }
}

/// The directive in a comment's text, if any.
fn directive(comment: &str) -> Option<Directive> {
    let at = comment.find("unspun:ignore")?;
    let rest = &comment[at + "unspun:ignore".len()..];
    if rest.starts_with("-next-line") {
        Some(Directive::IgnoreNextLine)
    } else if rest.starts_with(|c: char| c.is_alphanumeric() || c == '-') {
        None
    } else {
        Some(Directive::Ignore)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Directive {
    Ignore,
    IgnoreNextLine,
}

/// The character reference at the start of `s` (which starts with `&`): its
/// length in `s` and the text it stands for.
fn reference_at(s: &str) -> Option<(usize, Cow<'static, str>)> {
    let b = s.as_bytes();
    let mut j = 1;
    if b.get(1) == Some(&b'#') {
        j = 2;
        if matches!(b.get(2), Some(b'x' | b'X')) {
            j = 3;
        }
    }
    let body = j;
    while j < b.len() && b[j].is_ascii_alphanumeric() {
        j += 1;
    }
    if j == body {
        return None;
    }
    if b.get(j) == Some(&b';') {
        j += 1;
    }
    let candidate = &s[..j];
    let decoded = html_escape::decode_html_entities(candidate);
    if decoded != candidate {
        return Some((j, Cow::Owned(decoded.into_owned())));
    }
    // A named reference without its semicolon, as HTML parsers read the
    // legacy ones ("&gta" is ">" and a literal "a"): the longest name that
    // decodes, its tail left as text of its own so that words in it map back
    // to their own bytes.
    if body != 1 {
        return None;
    }
    // (Names are tried with the semicolon the source left out; the caller
    // keeps a reference only where the parser's text agrees.)
    let name_end = if b.get(j - 1) == Some(&b';') {
        j - 1
    } else {
        j
    };
    let longest = name_end.min(body + 32);
    (body + 1..=longest).rev().find_map(|end| {
        let named = format!("{};", &s[..end]);
        let decoded = html_escape::decode_html_entities(&named);
        (decoded != named).then(|| (end, Cow::Owned(decoded.into_owned())))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reference_without_its_semicolon_covers_only_its_name() {
        assert_eq!(reference_at("&gta&amp;"), Some((3, Cow::Owned(">".into()))));
        assert_eq!(reference_at("&amp;x"), Some((5, Cow::Owned("&".into()))));
        assert_eq!(
            reference_at("&notit;"),
            Some((4, Cow::Owned("\u{ac}".into())))
        );
        assert_eq!(reference_at("&#65;"), Some((5, Cow::Owned("A".into()))));
        assert_eq!(reference_at("&bogus;"), None);
        let p = Markup::Html.project("&gta&amp;", false);
        assert_eq!(p.text, ">a&");
        assert_eq!(p.source_pieces(1..2), vec![3..4]);
    }

    #[test]
    fn identity_maps_every_byte_to_itself() {
        let p = Projection::identity("comes arsenic Mexico");
        assert_eq!(p.source_range(6..13), 6..13);
        assert_eq!(p.source_pieces(6..13), vec![6..13]);
    }

    #[test]
    fn directives_are_recognised_exactly() {
        assert_eq!(directive(" unspun:ignore "), Some(Directive::Ignore));
        assert_eq!(
            directive("unspun:ignore-next-line"),
            Some(Directive::IgnoreNextLine)
        );
        assert_eq!(directive("unspun:ignored"), None);
        assert_eq!(directive("nothing"), None);
    }

    #[test]
    fn references_decode_with_their_source_length() {
        assert_eq!(
            reference_at("&amp; x").map(|(l, t)| (l, t.into_owned())),
            Some((5, "&".into()))
        );
        assert_eq!(
            reference_at("&#8217;s").map(|(l, t)| (l, t.into_owned())),
            Some((7, "\u{2019}".into()))
        );
        assert_eq!(reference_at("& x"), None);
    }
}
