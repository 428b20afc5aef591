//! The byte layout of the trigram model file, shared by its writer (the
//! `trigrams` generator in `xtask`) and its reader ([`super::TrigramModel`]).
//!
//! The file is read in place from the bytes the binary embeds: nothing is
//! parsed or copied at start-up, so the layout is a fixed header followed by
//! little-endian arrays, each starting on an 8-byte boundary, whose offsets
//! follow from the counts in the header alone. Keeping the arithmetic in one
//! place is what keeps writer and reader in agreement.
//!
//! ```text
//! header (64 bytes): magic "unspunLM", version, words, bigrams, trigrams,
//!                    trigram block, hash slots, vocabulary bytes, zeros
//! quantisation tables: f32[65536] x 3 (bigram log-prob, bigram backoff,
//!                      trigram log-prob), in log base 1.0001
//! unigrams:  f32 log-prob[words], f32 backoff[words], u32 first bigram[words + 1]
//! bigrams:   u16 word (low 16 bits)[bigrams], 1 bit word (bit 16)[bigrams],
//!            u16 prob index[bigrams], u16 backoff index[bigrams],
//!            u32 trigram base[bigrams / block + 1], u16 trigram offset[bigrams + 1]
//! trigrams:  u16 word (low 16 bits)[trigrams], 1 bit word (bit 16)[trigrams],
//!            u16 prob index[trigrams]
//! vocabulary: u32 offset[words + 1], bytes, u32 hash slot[hash slots]
//! ```
//!
//! The trie is keyed as CMU Sphinx keys it, by the predicted word first, then
//! by the words before it, nearest first: unigram `w` owns the bigrams "v w",
//! `first[w]..first[w + 1]`, each holding `v`, P(w | v) and the backoff weight
//! of "v w" as a history, sorted by `v`; bigram `j` ("v w") owns the trigrams
//! "u v w", `start(j)..start(j + 1)`, each holding `u` and P(w | u v), sorted
//! by `u`, where
//! `start(j) = base[j / block] + offset[j]` (a `u32` per bigram would cost 4 MB
//! more). Word ids take 17 bits: the low 16 in a `u16` array, the 17th in a bit
//! array (bit `k % 8` of byte `k / 8`). Word `i` is the bytes
//! `offset[i]..offset[i + 1]` of the vocabulary; the hash table holds `id + 1`
//! (0 for an empty slot) at [`word_hash`]`(word) % slots`, then linear probing.

/// The first eight bytes of a model file.
pub const MAGIC: [u8; 8] = *b"unspunLM";
/// The layout version this reader and writer agree on.
pub const VERSION: u32 = 1;
/// Size of the header in bytes.
pub const HEADER_BYTES: usize = 64;
/// Entries in each quantisation table (the records hold 16-bit indexes).
pub const TABLE_ENTRIES: usize = 65_536;
/// Word ids must fit in 17 bits (16 in a `u16`, one in a bit array).
pub const MAX_WORDS: u32 = 1 << 17;

/// The counts in the header, from which every offset follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    /// Vocabulary size (unigrams).
    pub words: u32,
    /// Number of bigrams.
    pub bigrams: u32,
    /// Number of trigrams.
    pub trigrams: u32,
    /// Bigrams per trigram base entry.
    pub block: u32,
    /// Slots of the vocabulary hash table (a power of two above `words`).
    pub hash_slots: u32,
    /// Length of the vocabulary's concatenated word bytes.
    pub vocab_bytes: u32,
}

/// One array of the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    /// `f32[65536]`: bigram log-probabilities by index.
    BigramProbTable,
    /// `f32[65536]`: bigram backoff weights by index.
    BigramBackoffTable,
    /// `f32[65536]`: trigram log-probabilities by index.
    TrigramProbTable,
    /// `f32[words]`: unigram log-probabilities.
    UnigramProb,
    /// `f32[words]`: unigram backoff weights.
    UnigramBackoff,
    /// `u32[words + 1]`: each unigram's first bigram.
    BigramStart,
    /// `u16[bigrams]`: low 16 bits of each bigram's first word (`v` of "v w").
    BigramWord,
    /// `u8[ceil(bigrams / 8)]`: bit 16 of each bigram's first word.
    BigramWordHigh,
    /// `u16[bigrams]`: index into [`Section::BigramProbTable`].
    BigramProb,
    /// `u16[bigrams]`: index into [`Section::BigramBackoffTable`].
    BigramBackoff,
    /// `u32[bigrams / block + 1]`: first trigram of each block of bigrams.
    TrigramBase,
    /// `u16[bigrams + 1]`: first trigram of each bigram, from its block's base.
    TrigramOffset,
    /// `u16[trigrams]`: low 16 bits of each trigram's first word (`u` of "u v w").
    TrigramWord,
    /// `u8[ceil(trigrams / 8)]`: bit 16 of each trigram's first word.
    TrigramWordHigh,
    /// `u16[trigrams]`: index into [`Section::TrigramProbTable`].
    TrigramProb,
    /// `u32[words + 1]`: where each word starts in [`Section::VocabBytes`].
    VocabOffsets,
    /// The words, concatenated, in id order.
    VocabBytes,
    /// `u32[hash slots]`: `id + 1` of the word hashed there, 0 if empty.
    VocabHash,
}

impl Section {
    /// Every section, in file order.
    pub const ALL: [Section; 18] = [
        Section::BigramProbTable,
        Section::BigramBackoffTable,
        Section::TrigramProbTable,
        Section::UnigramProb,
        Section::UnigramBackoff,
        Section::BigramStart,
        Section::BigramWord,
        Section::BigramWordHigh,
        Section::BigramProb,
        Section::BigramBackoff,
        Section::TrigramBase,
        Section::TrigramOffset,
        Section::TrigramWord,
        Section::TrigramWordHigh,
        Section::TrigramProb,
        Section::VocabOffsets,
        Section::VocabBytes,
        Section::VocabHash,
    ];

    /// Length of the section in bytes (before padding).
    pub fn len(self, c: &Counts) -> usize {
        let (words, bigrams, trigrams) =
            (c.words as usize, c.bigrams as usize, c.trigrams as usize);
        match self {
            Section::BigramProbTable | Section::BigramBackoffTable | Section::TrigramProbTable => {
                4 * TABLE_ENTRIES
            }
            Section::UnigramProb | Section::UnigramBackoff => 4 * words,
            Section::BigramStart | Section::VocabOffsets => 4 * (words + 1),
            Section::BigramWord | Section::BigramProb | Section::BigramBackoff => 2 * bigrams,
            Section::BigramWordHigh => bigrams.div_ceil(8),
            Section::TrigramBase => 4 * (bigrams / c.block.max(1) as usize + 1),
            Section::TrigramOffset => 2 * (bigrams + 1),
            Section::TrigramWord | Section::TrigramProb => 2 * trigrams,
            Section::TrigramWordHigh => trigrams.div_ceil(8),
            Section::VocabBytes => c.vocab_bytes as usize,
            Section::VocabHash => 4 * c.hash_slots as usize,
        }
    }
}

/// Where each section starts, computed from the [`Counts`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Layout {
    /// The counts the offsets follow from.
    pub counts: Counts,
    starts: [usize; Section::ALL.len()],
    total: usize,
}

/// Rounds `n` up to a multiple of 8.
fn align8(n: usize) -> usize {
    n.div_ceil(8) * 8
}

impl Layout {
    /// Lays the sections out after the header, each on an 8-byte boundary.
    pub fn new(counts: Counts) -> Layout {
        let mut starts = [0; Section::ALL.len()];
        let mut at = HEADER_BYTES;
        for (i, section) in Section::ALL.iter().enumerate() {
            starts[i] = at;
            at = align8(at + section.len(&counts));
        }
        Layout {
            counts,
            starts,
            total: at,
        }
    }

    /// The byte range of `section` in the file.
    pub fn range(&self, section: Section) -> std::ops::Range<usize> {
        let start = self.starts[section as usize];
        start..start + section.len(&self.counts)
    }

    /// Total file size in bytes.
    pub fn total(&self) -> usize {
        self.total
    }

    /// The 64 header bytes for these counts.
    pub fn header(&self) -> [u8; HEADER_BYTES] {
        let c = &self.counts;
        let mut h = [0u8; HEADER_BYTES];
        h[..8].copy_from_slice(&MAGIC);
        let fields = [
            VERSION,
            c.words,
            c.bigrams,
            c.trigrams,
            c.block,
            c.hash_slots,
            c.vocab_bytes,
        ];
        for (i, v) in fields.iter().enumerate() {
            h[8 + 4 * i..12 + 4 * i].copy_from_slice(&v.to_le_bytes());
        }
        h
    }

    /// Reads the header of `bytes` and checks that the file has exactly the
    /// size its counts give.
    pub fn from_header(bytes: &[u8]) -> Result<Layout, String> {
        if bytes.len() < HEADER_BYTES {
            return Err(format!(
                "a trigram model file starts with a {HEADER_BYTES}-byte header; this one has {} bytes",
                bytes.len()
            ));
        }
        if bytes[..8] != MAGIC {
            return Err("not a trigram model file (wrong magic bytes)".to_string());
        }
        let field = |i: usize| u32::from_le_bytes(bytes[8 + 4 * i..12 + 4 * i].try_into().unwrap());
        if field(0) != VERSION {
            return Err(format!(
                "trigram model layout version {} (this reader knows version {VERSION})",
                field(0)
            ));
        }
        let counts = Counts {
            words: field(1),
            bigrams: field(2),
            trigrams: field(3),
            block: field(4),
            hash_slots: field(5),
            vocab_bytes: field(6),
        };
        if counts.words == 0 || counts.words > MAX_WORDS {
            return Err(format!(
                "{} words; a trigram model holds 1 to {MAX_WORDS}",
                counts.words
            ));
        }
        if counts.block == 0 {
            return Err("trigram block size 0".to_string());
        }
        if !counts.hash_slots.is_power_of_two() || counts.hash_slots <= counts.words {
            return Err(format!(
                "{} hash slots for {} words; the table needs a power of two above the word count",
                counts.hash_slots, counts.words
            ));
        }
        let layout = Layout::new(counts);
        if layout.total() != bytes.len() {
            return Err(format!(
                "the header's counts give a {}-byte file; this one has {} bytes",
                layout.total(),
                bytes.len()
            ));
        }
        Ok(layout)
    }
}

/// The hash of a word's bytes that places it in the vocabulary table (64-bit
/// FNV-1a: fixed, so a table written by the generator reads the same in any
/// build).
pub fn word_hash(word: &[u8]) -> u64 {
    const OFFSET_BASIS: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    word.iter()
        .fold(OFFSET_BASIS, |h, &b| (h ^ u64::from(b)).wrapping_mul(PRIME))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts() -> Counts {
        Counts {
            words: 5,
            bigrams: 7,
            trigrams: 3,
            block: 4,
            hash_slots: 8,
            vocab_bytes: 13,
        }
    }

    #[test]
    fn sections_follow_each_other_on_8_byte_boundaries_without_overlap() {
        let layout = Layout::new(counts());
        let mut end = HEADER_BYTES;
        for section in Section::ALL {
            let r = layout.range(section);
            assert_eq!(r.start % 8, 0, "{section:?} is aligned");
            assert!(r.start >= end, "{section:?} starts after the previous one");
            assert!(
                r.start - end < 8,
                "{section:?} leaves only padding before it"
            );
            end = r.end;
        }
        assert_eq!(layout.total(), end.div_ceil(8) * 8);
        // Bigrams 0..=7 span two blocks of 4, so the base array has 7 / 4 + 1 = 2 entries.
        assert_eq!(layout.range(Section::TrigramBase).len(), 8);
        assert_eq!(layout.range(Section::BigramWordHigh).len(), 1);
    }

    #[test]
    fn a_header_reads_back_into_the_same_layout_and_bad_headers_are_refused() {
        let layout = Layout::new(counts());
        let mut file = vec![0u8; layout.total()];
        file[..HEADER_BYTES].copy_from_slice(&layout.header());
        assert_eq!(Layout::from_header(&file), Ok(layout));

        let short = Layout::from_header(&file[..file.len() - 8]).unwrap_err();
        assert!(short.contains("this one has"), "{short}");
        let mut wrong = file.clone();
        wrong[0] = b'X';
        assert!(Layout::from_header(&wrong).unwrap_err().contains("magic"));
        let mut version = file.clone();
        version[8] = 2;
        assert!(Layout::from_header(&version)
            .unwrap_err()
            .contains("version 2"));
        assert!(Layout::from_header(&file[..10])
            .unwrap_err()
            .contains("64-byte header"));
    }

    #[test]
    fn word_ids_at_the_17_bit_limit_are_accepted_and_one_more_refused() {
        let at_limit = Counts {
            words: MAX_WORDS,
            hash_slots: MAX_WORDS * 2,
            ..counts()
        };
        let layout = Layout::new(at_limit);
        let mut file = vec![0u8; layout.total()];
        file[..HEADER_BYTES].copy_from_slice(&layout.header());
        assert!(Layout::from_header(&file).is_ok());

        let over = Counts {
            words: MAX_WORDS + 1,
            ..at_limit
        };
        let layout = Layout::new(over);
        let mut file = vec![0u8; layout.total()];
        file[..HEADER_BYTES].copy_from_slice(&layout.header());
        assert!(Layout::from_header(&file)
            .unwrap_err()
            .contains("1 to 131072"));
    }

    #[test]
    fn word_hash_is_fnv1a() {
        // Published FNV-1a 64 test vectors.
        assert_eq!(word_hash(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(word_hash(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(word_hash(b"foobar"), 0x8594_4171_f739_67e8);
    }
}
