//! Text in: words with byte offsets, line/column lookup and offset units.
//!
//! Everything downstream (dictionary matching, context scoring, fixes) works on
//! [`Word`]s: borrowed slices of the input that carry their byte range, so a span
//! can always be mapped back to the exact bytes the user sent. The tokenizer is a
//! single forward pass with an ASCII fast path, because it runs over every byte of
//! every document and sets the speed floor of the whole check.
//!
//! A *word* is a maximal run of alphanumeric characters (Unicode-aware, combining
//! marks included). Everything else separates words. What separates two words
//! matters to the context model: whitespace, hyphens and apostrophes keep two words
//! *adjacent* ("counterfeit-consciousness", "Sheinbaum's"), any other character
//! (punctuation, quotes, brackets) puts a *break* between them.

mod offsets;

pub use offsets::{LineIndex, OffsetUnit};

/// One word of the input.
///
/// ```
/// let words: Vec<_> = unspun::text::words("Hello, wide-world!").collect();
/// assert_eq!(words[1].text, "wide");
/// assert_eq!((words[1].start, words[1].end), (7, 11));
/// assert!(words[1].break_before);   // the comma
/// assert!(!words[2].break_before);  // only a hyphen between "wide" and "world"
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Word<'a> {
    /// The word as it stands in the input.
    pub text: &'a str,
    /// Byte offset of the first byte.
    pub start: usize,
    /// Byte offset one past the last byte.
    pub end: usize,
    /// True when something other than whitespace, hyphens or apostrophes stands
    /// between this word and the previous one (or when it is the first word).
    pub break_before: bool,
}

impl Word<'_> {
    /// True when the first character is upper case ("Mexico", "In").
    pub fn is_capitalized(&self) -> bool {
        self.text.chars().next().is_some_and(char::is_uppercase)
    }

    /// True when the word contains a decimal digit ("25", "2004", "N2").
    pub fn has_digit(&self) -> bool {
        self.text.bytes().any(|b| b.is_ascii_digit())
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    Word,
    Joiner,
    Space,
    Break,
}

/// What one byte tells the tokenizer on its own.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Byte {
    /// An ASCII letter or digit.
    Word,
    /// ASCII whitespace, hyphen or apostrophe: a separator that keeps the
    /// words on either side adjacent.
    Adjacent,
    /// Any other ASCII byte: a separator that breaks.
    Break,
    /// The first or a later byte of a multi-byte character: decode it.
    NonAscii,
}

/// The class of every byte, so that the loops over each byte of the text are
/// one table load and one comparison.
const fn byte_classes() -> [Byte; 256] {
    let mut table = [Byte::NonAscii; 256];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        table[b] = if c.is_ascii_alphanumeric() {
            Byte::Word
        } else if matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 0x0c | b'-' | b'\'') {
            Byte::Adjacent
        } else {
            Byte::Break
        };
        b += 1;
    }
    table
}

static BYTES: [Byte; 256] = byte_classes();

fn classify_char(c: char) -> Class {
    if c.is_alphanumeric() || is_combining_mark(c) {
        Class::Word
    } else if c.is_whitespace() {
        Class::Space
    } else if matches!(
        c,
        '\u{2019}' | '\u{2018}' | '\u{2010}' | '\u{2011}' | '\u{00AD}' | '\u{200B}'
    ) {
        // Typographic apostrophes, hyphens, soft hyphen and zero-width space join
        // words the same way their ASCII counterparts do.
        Class::Joiner
    } else {
        Class::Break
    }
}

fn is_combining_mark(c: char) -> bool {
    matches!(c as u32,
        0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F
        | 0x0591..=0x05C7 | 0x0610..=0x061A | 0x064B..=0x065F | 0x0900..=0x0903
        | 0x093A..=0x094F | 0x0E31 | 0x0E34..=0x0E3A | 0x0E47..=0x0E4E)
}

/// Iterator over the [`Word`]s of a text. See [`words`].
///
/// The text is read in blocks of 64 bytes, each turned into two bit masks (one
/// bit per byte: ASCII word byte, non-ASCII byte) eight bytes at a time with
/// integer arithmetic; word edges are then found with `trailing_zeros` instead
/// of a test per byte. Only the separators between words are looked at one by
/// one (for a break), and only non-ASCII characters are decoded.
#[derive(Debug, Clone)]
pub struct Words<'a> {
    text: &'a str,
    pos: usize,
    first: bool,
    /// Byte offset of the block whose masks are loaded, or `usize::MAX`.
    block: usize,
    masks: BlockMasks,
}

/// One bit per byte of a 64-byte block; bits past the end of the text are 0.
#[derive(Debug, Clone, Copy, Default)]
struct BlockMasks {
    word: u64,
    non_ascii: u64,
}

const BLOCK: usize = 64;

/// 0x01 in every byte of a `u64`.
const LANES: u64 = 0x0101_0101_0101_0101;

/// Bit 7 of each byte of `lanes` (every other bit clear), gathered into the
/// low eight bits: byte k's bit lands at bit k. The multiplier puts each of
/// the eight bits at a distinct position, so no sum carries into the top byte.
#[inline]
fn gather_high_bits(lanes: u64) -> u64 {
    ((lanes >> 7).wrapping_mul(0x0102_0408_1020_4080)) >> 56
}

impl BlockMasks {
    fn of(bytes: &[u8]) -> BlockMasks {
        let mut padded = [0u8; BLOCK];
        let block: &[u8] = if bytes.len() == BLOCK {
            bytes
        } else {
            padded[..bytes.len()].copy_from_slice(bytes);
            &padded
        };
        let mut m = BlockMasks::default();
        for (k, chunk) in block.chunks_exact(8).enumerate() {
            let x = u64::from_le_bytes(chunk.try_into().unwrap_or([0; 8]));
            let high = x & (LANES * 0x80);
            // Per byte, with bit 7 cleared, adding 0x80 - c sets bit 7 exactly
            // when the byte is at least c, and never carries into the next.
            let y = x & (LANES * 0x7f);
            let at_least = |v: u64, c: u64| v + LANES * (0x80 - c);
            let digit = at_least(y, b'0' as u64) & !at_least(y, b'9' as u64 + 1);
            let folded = y | (LANES * 0x20); // 'A'..='Z' onto 'a'..='z'
            let letter = at_least(folded, b'a' as u64) & !at_least(folded, b'z' as u64 + 1);
            let word = (digit | letter) & !high & (LANES * 0x80);
            m.word |= gather_high_bits(word) << (8 * k);
            m.non_ascii |= gather_high_bits(high) << (8 * k);
        }
        m
    }
}

/// Splits `text` into words with byte offsets.
pub fn words(text: &str) -> Words<'_> {
    Words {
        text,
        pos: 0,
        first: true,
        block: usize::MAX,
        masks: BlockMasks::default(),
    }
}

impl<'a> Words<'a> {
    /// The class and width of the (non-ASCII) character at byte `pos`, which is
    /// always on a character boundary: the tokenizer only advances by whole
    /// characters.
    #[cold]
    fn char_at(&self, pos: usize) -> (Class, usize) {
        let c = self.text[pos..].chars().next().unwrap_or('\u{FFFD}');
        (classify_char(c), c.len_utf8())
    }

    /// The masks of the block holding byte `pos`, shifted so that bit 0 is
    /// `pos`, and the offset of the next block.
    #[inline]
    fn masks_from(&mut self, pos: usize) -> (BlockMasks, usize) {
        let block = pos & !(BLOCK - 1);
        if block != self.block {
            let bytes = self.text.as_bytes();
            self.masks = BlockMasks::of(&bytes[block..(block + BLOCK).min(bytes.len())]);
            self.block = block;
        }
        let shift = pos - block;
        let m = self.masks;
        (
            BlockMasks {
                word: m.word >> shift,
                non_ascii: m.non_ascii >> shift,
            },
            block + BLOCK,
        )
    }

    /// Skips ASCII separators from `pos` to the next ASCII word byte or
    /// non-ASCII byte (or the end); says whether a break was among them.
    #[inline]
    fn skip_ascii_separators(&mut self, mut pos: usize) -> (usize, bool) {
        let bytes = self.text.as_bytes();
        let len = bytes.len();
        let mut broke = false;
        while pos < len {
            let (m, next_block) = self.masks_from(pos);
            let stop = m.word | m.non_ascii;
            let end = if stop != 0 {
                pos + stop.trailing_zeros() as usize
            } else {
                next_block.min(len)
            };
            // Separators are few (a space, a comma): test them one by one.
            broke |= bytes[pos..end]
                .iter()
                .any(|&b| BYTES[b as usize] == Byte::Break);
            if stop != 0 {
                return (end, broke);
            }
            pos = next_block;
        }
        (len, broke)
    }

    /// The end of the run of ASCII word bytes that starts at `pos`.
    #[inline]
    fn ascii_run_end(&mut self, mut pos: usize) -> usize {
        let len = self.text.len();
        while pos < len {
            let (m, next_block) = self.masks_from(pos);
            let ended = !m.word;
            // Past the block's end the shifted-in bits are 0, so `ended` is
            // set there: the run may continue in the next block.
            let n = ended.trailing_zeros() as usize;
            if pos + n < next_block.min(len) {
                return pos + n;
            }
            pos = next_block;
        }
        len
    }
}

impl<'a> Iterator for Words<'a> {
    type Item = Word<'a>;

    #[inline(always)]
    fn next(&mut self) -> Option<Word<'a>> {
        let bytes = self.text.as_bytes();
        let mut broke = self.first;
        // Skip separators, remembering whether one of them was a break.
        loop {
            let (pos, ascii_break) = self.skip_ascii_separators(self.pos);
            self.pos = pos;
            broke |= ascii_break;
            let b = *bytes.get(self.pos)?;
            if BYTES[b as usize] == Byte::Word {
                break;
            }
            let (class, width) = self.char_at(self.pos);
            match class {
                Class::Word => break,
                Class::Break => broke = true,
                Class::Space | Class::Joiner => {}
            }
            self.pos += width;
        }
        let start = self.pos;
        loop {
            // The ASCII run, then a decoded character if one follows.
            self.pos = self.ascii_run_end(self.pos);
            match bytes.get(self.pos) {
                Some(&b) if BYTES[b as usize] == Byte::NonAscii => {
                    let (class, width) = self.char_at(self.pos);
                    if class != Class::Word {
                        break;
                    }
                    self.pos += width;
                }
                _ => break,
            }
        }
        self.first = false;
        Some(Word {
            text: &self.text[start..self.pos],
            start,
            end: self.pos,
            break_before: broke,
        })
    }
}

/// Writes the lower-case form of `word` into `buf` and returns it, without
/// allocating for ASCII words.
///
/// ```
/// let mut buf = String::new();
/// assert_eq!(unspun::text::lowercase_into("Arsenic", &mut buf), "arsenic");
/// assert_eq!(unspun::text::lowercase_into("ÉTÉ", &mut buf), "été");
/// ```
#[inline]
pub fn lowercase_into<'b>(word: &str, buf: &'b mut String) -> &'b str {
    buf.clear();
    if word.is_ascii() {
        buf.push_str(word);
        buf.make_ascii_lowercase();
    } else {
        for c in word.chars() {
            buf.extend(c.to_lowercase());
        }
    }
    buf.as_str()
}

/// Gives `replacement` the casing of `original`: "Arsenic" -> "As", "ARSENIC" -> "AS",
/// "arsenic" -> "as".
///
/// ```
/// use unspun::text::match_case;
/// assert_eq!(match_case("Arsenic", "as"), "As");
/// assert_eq!(match_case("CONNECTED", "on"), "ON");
/// assert_eq!(match_case("connected", "on"), "on");
/// assert_eq!(match_case("Counterfeit Consciousness", "artificial intelligence"), "Artificial Intelligence");
/// ```
pub fn match_case(original: &str, replacement: &str) -> String {
    let letters: Vec<char> = original.chars().filter(|c| c.is_alphabetic()).collect();
    let all_upper = letters.len() > 1 && letters.iter().all(|c| c.is_uppercase());
    if all_upper {
        return replacement.to_uppercase();
    }
    let first_upper = original.chars().next().is_some_and(char::is_uppercase);
    if !first_upper {
        return replacement.to_string();
    }
    // Title case each word if every word of the original is capitalised.
    let title_all = original.split_whitespace().count() > 1
        && original
            .split_whitespace()
            .all(|w| w.chars().next().is_some_and(char::is_uppercase));
    let mut out = String::with_capacity(replacement.len());
    let mut at_word_start = true;
    let mut first_done = false;
    for c in replacement.chars() {
        if at_word_start && c.is_alphabetic() && (!first_done || title_all) {
            out.extend(c.to_uppercase());
            first_done = true;
        } else {
            out.push(c);
        }
        at_word_start = c.is_whitespace();
    }
    out
}

/// The form under which the context model counts a word: lower case, and every
/// word that contains a digit folded into `<num>`. The generator of the shipped
/// counts and the checker both use this, so their keys agree.
///
/// ```
/// use unspun::text::model_form;
/// assert_eq!(model_form("Friday"), "friday");
/// assert_eq!(model_form("2025"), "<num>");
/// assert_eq!(model_form("N2"), "<num>");
/// ```
pub fn model_form(word: &str) -> String {
    if word.bytes().any(|b| b.is_ascii_digit()) {
        return NUMBER_TOKEN.to_string();
    }
    let mut buf = String::with_capacity(word.len());
    lowercase_into(word, &mut buf);
    buf
}

/// Context-model token standing for any word with a digit in it.
pub const NUMBER_TOKEN: &str = "<num>";
/// Context-model token standing for a break (punctuation, start or end of text)
/// between two words.
pub const BREAK_TOKEN: &str = "<b>";

/// The word stream the context model counts: [`model_form`]s, with
/// [`BREAK_TOKEN`] wherever a word has `break_before` and once more at the end.
///
/// ```
/// let stream = unspun::text::model_stream("On Friday, in 2025 it rained.");
/// assert_eq!(stream, ["<b>", "on", "friday", "<b>", "in", "<num>", "it", "rained", "<b>"]);
/// ```
pub fn model_stream(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for w in words(text) {
        if w.break_before {
            out.push(BREAK_TOKEN.to_string());
        }
        out.push(model_form(w.text));
    }
    out.push(BREAK_TOKEN.to_string());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(s: &str) -> Vec<&str> {
        words(s).map(|w| w.text).collect()
    }

    #[test]
    fn splits_on_non_alphanumerics_and_keeps_unicode_words_whole() {
        assert_eq!(
            texts("Noem's tour—of 3 nations."),
            ["Noem", "s", "tour", "of", "3", "nations"]
        );
        assert_eq!(
            texts("café naïve 東京 😀 مرحبا"),
            ["café", "naïve", "東京", "مرحبا"]
        );
        assert_eq!(texts("cafe\u{301} x"), ["cafe\u{301}", "x"]);
        assert!(texts("").is_empty());
        assert!(texts("  \n\t ").is_empty());
    }

    #[test]
    fn break_before_marks_punctuation_but_not_hyphens_or_line_breaks() {
        let ws: Vec<_> = words("counterfeit-\nconsciousness, and more").collect();
        assert!(ws[0].break_before);
        assert!(!ws[1].break_before);
        assert!(ws[2].break_before);
        assert!(!ws[3].break_before);
    }

    /// The tokenizer's rule read one character at a time, with no blocks or
    /// masks: what the block tokenizer must agree with.
    fn reference_words(text: &str) -> Vec<(usize, usize, bool)> {
        let mut out = Vec::new();
        let mut broke = true;
        let mut start = None;
        for (i, c) in text.char_indices() {
            let class = if c.is_ascii() {
                match BYTES[c as usize] {
                    Byte::Word => Class::Word,
                    Byte::Adjacent => Class::Space,
                    _ => Class::Break,
                }
            } else {
                classify_char(c)
            };
            if class == Class::Word {
                start.get_or_insert(i);
                continue;
            }
            if let Some(s) = start.take() {
                out.push((s, i, broke));
                broke = false;
            }
            broke |= class == Class::Break;
        }
        if let Some(s) = start {
            out.push((s, text.len(), broke));
        }
        out
    }

    fn block_words(text: &str) -> Vec<(usize, usize, bool)> {
        words(text)
            .map(|w| (w.start, w.end, w.break_before))
            .collect()
    }

    #[test]
    fn block_tokenizer_agrees_with_a_character_by_character_reading() {
        let long_word = "x".repeat(200);
        let cases = [
            String::new(),
            "a".repeat(64),
            "a".repeat(65),
            format!("{} {}", "a".repeat(63), "b".repeat(70)),
            format!("{}, {}", "-".repeat(130), "é".repeat(40)),
            format!("{long_word}é{long_word}"),
            format!("{}😀x", " ".repeat(62)),
            "Noem's tour—of 3 nations.\ncafé naïve 東京 😀 مرحبا cafe\u{301} x".repeat(5),
        ];
        for text in &cases {
            assert_eq!(block_words(text), reference_words(text), "{text:?}");
        }
    }

    #[test]
    fn block_masks_classify_every_byte_in_every_lane() {
        for b in 0..=255u8 {
            for lane in [0, 5, 7, 8, 30, 63] {
                let mut block = [b'a'; BLOCK];
                block[lane] = b;
                let m = BlockMasks::of(&block);
                let bit = |mask: u64| mask & (1 << lane) != 0;
                assert_eq!(bit(m.word), BYTES[b as usize] == Byte::Word, "byte {b:#x}");
                assert_eq!(bit(m.non_ascii), b >= 0x80, "byte {b:#x}");
                // Every other lane holds a word byte.
                assert_eq!(m.word | (1 << lane), u64::MAX, "byte {b:#x}");
            }
        }
        // A short last block is padded with bits that are clear.
        let m = BlockMasks::of(b"ab");
        assert_eq!((m.word, m.non_ascii), (0b11, 0));
    }

    proptest::proptest! {
        #[test]
        fn block_tokenizer_agrees_on_any_text(
            text in "([a-zA-Z0-9]{0,70}|[ ,.\\-'\n\t\u{0}\u{b}@\\[`{/:9Zz]{0,5}|[éü—’😀東\u{301}\u{2010}]){0,40}"
        ) {
            proptest::prop_assert_eq!(block_words(&text), reference_words(&text));
        }
    }

    #[test]
    fn offsets_slice_back_to_the_word() {
        let s = "Ünïcödé — 😀 text, ok";
        for w in words(s) {
            assert_eq!(&s[w.start..w.end], w.text);
        }
    }
}
