//! Reading the trigram model in place: word look-up, n-gram search, and the
//! backoff rule that gives log10 P(w | u v).
//!
//! Every accessor reads little-endian values straight out of the file's bytes,
//! so opening a model costs one header check and the pages of the embedded
//! file are touched only where a look-up lands. Ranges read from the file are
//! clamped to their arrays, so a damaged file gives wrong numbers, never a
//! panic or a read out of bounds.

use super::layout::{word_hash, Layout, Section};

/// log10(1.0001): the model stores log-probabilities in base 1.0001.
const LOG10_BASE: f64 = 4.342_727_686_266_964_6e-5;

/// A word of the model's vocabulary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct WordId(pub(crate) u32);

impl WordId {
    /// The word at position `index` of a model's vocabulary (which may be
    /// past its end: look-ups then find nothing).
    pub const fn new(index: u32) -> WordId {
        WordId(index)
    }

    /// The id as a number (the word's position in the vocabulary).
    pub fn index(self) -> u32 {
        self.0
    }
}

/// A trigram language model with backoff, read in place from its bytes.
#[derive(Debug, Clone, Copy)]
pub struct TrigramModel<'a> {
    bytes: &'a [u8],
    layout: Layout,
}

impl<'a> TrigramModel<'a> {
    /// Opens a model file (the output of `cargo run -p xtask -- trigrams`).
    /// Only the header is read; an error says what is wrong with it.
    pub fn from_bytes(bytes: &'a [u8]) -> Result<Self, String> {
        let layout = Layout::from_header(bytes)?;
        Ok(TrigramModel { bytes, layout })
    }

    /// Vocabulary size.
    pub fn words(&self) -> u32 {
        self.layout.counts.words
    }

    /// Number of bigrams.
    pub fn bigrams(&self) -> u32 {
        self.layout.counts.bigrams
    }

    /// Number of trigrams.
    pub fn trigrams(&self) -> u32 {
        self.layout.counts.trigrams
    }

    fn u16_at(&self, section: Section, i: usize) -> u16 {
        let at = self.layout.range(section).start + 2 * i;
        u16::from_le_bytes([self.bytes[at], self.bytes[at + 1]])
    }

    fn u32_at(&self, section: Section, i: usize) -> u32 {
        let at = self.layout.range(section).start + 4 * i;
        u32::from_le_bytes(self.bytes[at..at + 4].try_into().unwrap())
    }

    fn f32_at(&self, section: Section, i: usize) -> f32 {
        f32::from_bits(self.u32_at(section, i))
    }

    fn bit_at(&self, section: Section, i: usize) -> u32 {
        let at = self.layout.range(section).start + i / 8;
        u32::from((self.bytes[at] >> (i % 8)) & 1)
    }

    /// The id of `word` (exactly as the vocabulary spells it: lower case,
    /// `<s>` and `</s>` for the sentence edges), or `None` when the model does
    /// not know it.
    pub fn word(&self, word: &str) -> Option<WordId> {
        let slots = self.layout.counts.hash_slots as usize;
        let mask = slots - 1;
        let mut slot = word_hash(word.as_bytes()) as usize & mask;
        for _ in 0..slots {
            let entry = self.u32_at(Section::VocabHash, slot);
            if entry == 0 {
                return None;
            }
            let id = WordId(entry - 1);
            if self.spelling(id) == Some(word.as_bytes()) {
                return Some(id);
            }
            slot = (slot + 1) & mask;
        }
        None
    }

    fn spelling(&self, id: WordId) -> Option<&'a [u8]> {
        if id.0 >= self.words() {
            return None;
        }
        let blob = self.layout.range(Section::VocabBytes);
        let start = self.u32_at(Section::VocabOffsets, id.0 as usize) as usize;
        let end = self.u32_at(Section::VocabOffsets, id.0 as usize + 1) as usize;
        let (start, end) = (start.min(blob.len()), end.min(blob.len()));
        self.bytes
            .get(blob.start + start..blob.start + end.max(start))
    }

    /// The spelling of a word id, `None` for an id past the vocabulary.
    pub fn text(&self, id: WordId) -> Option<&'a str> {
        std::str::from_utf8(self.spelling(id)?).ok()
    }

    /// The sentence-start marker `<s>`, if the vocabulary has it.
    pub fn sentence_start(&self) -> Option<WordId> {
        self.word("<s>")
    }

    /// The sentence-end marker `</s>`, if the vocabulary has it.
    pub fn sentence_end(&self) -> Option<WordId> {
        self.word("</s>")
    }

    fn bigram_word(&self, j: usize) -> u32 {
        u32::from(self.u16_at(Section::BigramWord, j))
            | self.bit_at(Section::BigramWordHigh, j) << 16
    }

    fn trigram_word(&self, k: usize) -> u32 {
        u32::from(self.u16_at(Section::TrigramWord, k))
            | self.bit_at(Section::TrigramWordHigh, k) << 16
    }

    /// The bigrams that end in `w` (the trie is keyed by the predicted word
    /// first, then by the words before it, nearest first, as Sphinx stores it).
    fn bigrams_of(&self, w: WordId) -> std::ops::Range<usize> {
        let n = self.bigrams() as usize;
        if w.0 >= self.words() {
            return 0..0;
        }
        let start = (self.u32_at(Section::BigramStart, w.0 as usize) as usize).min(n);
        let end = (self.u32_at(Section::BigramStart, w.0 as usize + 1) as usize).min(n);
        start..end.max(start)
    }

    fn trigram_start(&self, j: usize) -> usize {
        let block = self.layout.counts.block as usize;
        let base = self.u32_at(Section::TrigramBase, j / block) as usize;
        let start = base + usize::from(self.u16_at(Section::TrigramOffset, j));
        start.min(self.trigrams() as usize)
    }

    fn trigrams_of(&self, j: usize) -> std::ops::Range<usize> {
        let (start, end) = (self.trigram_start(j), self.trigram_start(j + 1));
        start..end.max(start)
    }

    /// The index of the entry for `w` in `range`, whose words (read by `word`)
    /// are sorted.
    fn search(range: std::ops::Range<usize>, w: u32, word: impl Fn(usize) -> u32) -> Option<usize> {
        let (mut lo, mut hi) = (range.start, range.end);
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            match word(mid).cmp(&w) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => return Some(mid),
            }
        }
        None
    }

    /// The bigram "`v` `w`".
    fn find_bigram(&self, v: WordId, w: WordId) -> Option<usize> {
        Self::search(self.bigrams_of(w), v.0, |j| self.bigram_word(j))
    }

    /// The trigram "`u` v w", given the bigram "v w".
    fn find_trigram(&self, u: WordId, bigram: usize) -> Option<usize> {
        Self::search(self.trigrams_of(bigram), u.0, |k| self.trigram_word(k))
    }

    fn bigram_prob(&self, j: usize) -> f32 {
        let q = self.u16_at(Section::BigramProb, j);
        self.f32_at(Section::BigramProbTable, usize::from(q))
    }

    fn bigram_backoff(&self, j: usize) -> f32 {
        let q = self.u16_at(Section::BigramBackoff, j);
        self.f32_at(Section::BigramBackoffTable, usize::from(q))
    }

    fn unigram_backoff(&self, v: WordId) -> f32 {
        if v.0 >= self.words() {
            return 0.0;
        }
        self.f32_at(Section::UnigramBackoff, v.0 as usize)
    }

    /// log10 P(`word` | `history`) with Katz backoff over the last two words
    /// of `history` (fewer for a shorter history): the trigram's probability if
    /// the model has it, else the backoff weight of the history's last two
    /// words plus the bigram estimate, which in turn backs off to the unigram
    /// probability plus the last word's backoff weight. This is the rule of
    /// ARPA models and of CMU Sphinx, whose numbers it reproduces.
    pub fn log10_prob(&self, history: &[WordId], word: WordId) -> f64 {
        f64::from(self.raw_log_prob(history, word)) * LOG10_BASE
    }

    /// The same in the file's own unit, log base 1.0001 (the unit Sphinx tools
    /// print).
    pub fn raw_log_prob(&self, history: &[WordId], word: WordId) -> f32 {
        if word.0 >= self.words() {
            return f32::NEG_INFINITY;
        }
        let unigram = || self.f32_at(Section::UnigramProb, word.0 as usize);
        match history {
            [] => unigram(),
            [v] => match self.find_bigram(*v, word) {
                Some(j) => self.bigram_prob(j),
                None => self.unigram_backoff(*v) + unigram(),
            },
            [.., u, v] => {
                // The weight of "u v" as a history, if the model has that bigram.
                let context_backoff = || {
                    self.find_bigram(*u, *v)
                        .map_or(0.0, |j| self.bigram_backoff(j))
                };
                match self.find_bigram(*v, word) {
                    Some(j) => match self.find_trigram(*u, j) {
                        Some(k) => {
                            let q = self.u16_at(Section::TrigramProb, k);
                            self.f32_at(Section::TrigramProbTable, usize::from(q))
                        }
                        None => context_backoff() + self.bigram_prob(j),
                    },
                    None => context_backoff() + self.unigram_backoff(*v) + unigram(),
                }
            }
        }
    }

    /// The log10 probability of `words[from..]` given what precedes each of
    /// them in `words`: the sum of [`TrigramModel::log10_prob`] over those
    /// positions.
    pub fn sequence_log10(&self, words: &[WordId], from: usize) -> f64 {
        (from..words.len())
            .map(|i| self.log10_prob(&words[i.saturating_sub(2)..i], words[i]))
            .sum()
    }
}
