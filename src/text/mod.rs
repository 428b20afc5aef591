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

mod directives;
mod offsets;

pub use directives::Ignored;
pub use offsets::{LineColumns, LineIndex, OffsetUnit};

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
        match self.text.as_bytes().first() {
            Some(b) if b.is_ascii() => b.is_ascii_uppercase(),
            _ => self.text.chars().next().is_some_and(char::is_uppercase),
        }
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
/// The text is read in blocks of 64 bytes. Each block becomes one bit mask,
/// a bit per byte that belongs to a word, built eight bytes at a time with
/// integer arithmetic (non-ASCII characters, rare in English, are decoded and
/// their bytes marked as a whole). Every word of the block then comes from
/// two `trailing_zeros`: where the next run of bits starts and where it ends.
/// Only the separators between words are looked at byte by byte, for a break.
#[derive(Debug, Clone)]
pub struct Words<'a> {
    text: &'a str,
    /// Byte offset of the block whose mask is loaded.
    block: usize,
    /// The word bytes of that block; bits past the end of the text are 0.
    word: u64,
    /// Bits below this one in `word` have been read (0..=64).
    cursor: u32,
    /// Where the previous word ended: the separators since then decide the
    /// next word's `break_before`.
    gap_start: usize,
    first: bool,
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

/// The word bits of the 64-byte block of `text` at `block`: its ASCII
/// letters and digits, and every byte of its non-ASCII word characters.
#[inline]
fn word_mask(text: &str, block: usize) -> u64 {
    let bytes = text.as_bytes();
    let m = BlockMasks::of(&bytes[block..(block + BLOCK).min(bytes.len())]);
    if m.non_ascii == 0 {
        m.word
    } else {
        m.word | non_ascii_word_bits(text, block, m.non_ascii)
    }
}

/// The bits of the bytes of non-ASCII word characters in the block at `block`,
/// whose non-ASCII bytes are `non_ascii`. A character that straddles the
/// block's start or end marks the bytes it has in the block.
#[cold]
fn non_ascii_word_bits(text: &str, block: usize, non_ascii: u64) -> u64 {
    let bytes = text.as_bytes();
    let mut bits = 0u64;
    let mut rest = non_ascii;
    while rest != 0 {
        let k = rest.trailing_zeros() as usize;
        // The character's first byte: here, or up to three bytes back (before
        // the block, for a character that began in the block before).
        let mut at = block + k;
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        let c = text[at..].chars().next().unwrap_or('\u{FFFD}');
        let end = at + c.len_utf8();
        let first_bit = at.max(block) - block;
        let last_bit = end.min(block + BLOCK).min(bytes.len()) - block;
        let char_bits = if last_bit - first_bit == 64 {
            u64::MAX
        } else {
            ((1u64 << (last_bit - first_bit)) - 1) << first_bit
        };
        if classify_char(c) == Class::Word {
            bits |= char_bits;
        }
        rest &= !char_bits;
    }
    bits
}

/// True when a break stands among the separators `gap` (whole characters).
#[inline]
fn gap_breaks(gap: &[u8]) -> bool {
    for &b in gap {
        match BYTES[b as usize] {
            Byte::Break => return true,
            Byte::NonAscii => return gap_breaks_decoded(gap),
            _ => {}
        }
    }
    false
}

#[cold]
fn gap_breaks_decoded(gap: &[u8]) -> bool {
    String::from_utf8_lossy(gap).chars().any(|c| {
        if c.is_ascii() {
            BYTES[c as usize] == Byte::Break
        } else {
            classify_char(c) == Class::Break
        }
    })
}

/// Splits `text` into words with byte offsets.
pub fn words(text: &str) -> Words<'_> {
    Words {
        text,
        block: 0,
        word: word_mask(text, 0),
        cursor: 0,
        gap_start: 0,
        first: true,
    }
}

impl<'a> Words<'a> {
    /// Loads the next block's mask; false past the end of the text.
    #[inline]
    fn next_block(&mut self) -> bool {
        self.block += BLOCK;
        self.cursor = 0;
        if self.block >= self.text.len() {
            self.block = self.text.len();
            self.word = 0;
            self.cursor = BLOCK as u32;
            return false;
        }
        self.word = word_mask(self.text, self.block);
        true
    }
}

impl<'a> Iterator for Words<'a> {
    type Item = Word<'a>;

    #[inline(always)]
    fn next(&mut self) -> Option<Word<'a>> {
        // The next run of word bits at or after the cursor.
        let rest = loop {
            let rest = if self.cursor < BLOCK as u32 {
                self.word & (u64::MAX << self.cursor)
            } else {
                0
            };
            if rest != 0 {
                break rest;
            }
            if !self.next_block() {
                return None;
            }
        };
        let first_bit = rest.trailing_zeros();
        let start = self.block + first_bit as usize;
        // Bits shifted in from above are 0, so the run ends at the block's end
        // at the latest; then it may go on in the next blocks.
        let run = (!(self.word >> first_bit)).trailing_zeros();
        let end = if first_bit + run < BLOCK as u32 {
            self.cursor = first_bit + run;
            self.block + self.cursor as usize
        } else {
            loop {
                if !self.next_block() {
                    break self.text.len();
                }
                let run = (!self.word).trailing_zeros();
                if run < BLOCK as u32 {
                    self.cursor = run;
                    break self.block + run as usize;
                }
            }
        };
        let break_before = self.first || gap_breaks(&self.text.as_bytes()[self.gap_start..start]);
        self.first = false;
        self.gap_start = end;
        Some(Word {
            text: &self.text[start..end],
            start,
            end,
            break_before,
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
    // Two or more letters, all upper case (read without collecting them: this
    // runs for every suggestion of every span).
    let mut letters = 0;
    let all_upper = original.chars().filter(|c| c.is_alphabetic()).all(|c| {
        letters += 1;
        c.is_uppercase()
    }) && letters > 1;
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
        // Multi-byte characters (word, break and joiner) across a block's edge.
        for pad in 58..70 {
            for c in ["é", "😀", "東京", "—", "\u{2019}", "cafe\u{301}"] {
                for text in [
                    format!("{}{c}x", "a".repeat(pad)),
                    format!("{} {c} y", " ".repeat(pad)),
                    format!("{}.{c}{}", "b".repeat(pad), "z".repeat(70)),
                ] {
                    assert_eq!(block_words(&text), reference_words(&text), "{text:?}");
                }
            }
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
