//! Generator of the embedded trigram model, `dictionaries/model/trigrams.bin`.
//!
//! The source is the CMU Sphinx US English model of the Debian package
//! `pocketsphinx-en-us` (`en-us.lm.bin`, a "Trie Language Model"). Sphinx's own
//! converter fails an assertion when asked for ARPA text, so this generator
//! reads the binary trie itself ([`SphinxTrie::parse`]) and writes it into the
//! layout of `unspun::lm::layout`, which the checker uses in place: the same
//! quantised probabilities and backoff weights (nothing is re-estimated, so the
//! checker's numbers are Sphinx's), with fixed-width arrays instead of
//! bit-packed records, a per-block base for the trigram pointers and a hash
//! table for the vocabulary.
//!
//! Run `cargo run -p xtask -- trigrams [--lm PATH] [--out FILE] [--check]`.

use std::fs;
use std::path::{Path, PathBuf};

use unspun::lm::layout::{word_hash, Counts, Layout, Section, MAX_WORDS, TABLE_ENTRIES};

use crate::args::GeneratorArgs;

/// Generator name on the command line.
pub const NAME: &str = "trigrams";

/// Where Debian's `pocketsphinx-en-us` installs the model.
pub const DEFAULT_LM: &str = "/usr/share/pocketsphinx/model/en-us/en-us.lm.bin";

/// Bigrams per trigram base entry: small enough that a block's trigrams fit
/// the `u16` offsets (at most 2,897 in the Sphinx model), large enough that
/// the bases cost little (128 KB).
pub const TRIGRAM_BLOCK: u32 = 64;

/// The committed model file.
pub fn default_output() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../dictionaries/model/trigrams.bin")
}

const SPHINX_MAGIC: &[u8] = b"Trie Language Model";

/// A Sphinx trie model, unpacked. The trie is keyed by the predicted word
/// first: unigram `w` owns the bigrams "v w" (children `v`), and bigram "v w"
/// owns the trigrams "u v w" (children `u`), as Sphinx looks them up.
#[derive(Debug, Clone, PartialEq)]
pub struct SphinxTrie {
    /// Bigram log-probabilities, bigram backoffs, trigram log-probabilities
    /// (log base 1.0001), indexed by the records' 16-bit fields.
    pub tables: [Vec<f32>; 3],
    /// Per word: log-probability, backoff, first bigram.
    pub unigrams: Vec<(f32, f32, u32)>,
    /// Per bigram "v w" under `w`: `v`, backoff index (of "v w" as a
    /// history), probability index, first trigram; one closing record more
    /// than there are bigrams.
    pub bigrams: Vec<(u32, u16, u16, u32)>,
    /// Per trigram "u v w" under "v w": `u`, probability index.
    pub trigrams: Vec<(u32, u16)>,
    /// The vocabulary in id order.
    pub words: Vec<Vec<u8>>,
    /// How many continuation lists the source had out of order (sorted here).
    pub unsorted_lists: usize,
}

/// Reads `width` bits (at most 32) at bit offset `bit` of `block`,
/// little-endian; bytes past the end read as zero.
fn bits(block: &[u8], bit: usize, width: u32) -> u32 {
    let mut buf = [0u8; 8];
    let at = bit / 8;
    let avail = block.len().saturating_sub(at).min(8);
    buf[..avail].copy_from_slice(&block[at..at + avail]);
    ((u64::from_le_bytes(buf) >> (bit % 8)) & ((1u64 << width) - 1)) as u32
}

/// Number of bits needed to write `n`.
fn bit_length(n: u32) -> u32 {
    32 - n.leading_zeros()
}

/// A cursor over the source file that names what is missing when it ends.
struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize, what: &str) -> Result<&'a [u8], String> {
        let end = self
            .at
            .checked_add(n)
            .filter(|&end| end <= self.bytes.len())
            .ok_or_else(|| {
                format!(
                    "the file ends at byte {} inside the {what} (needs {n} bytes from byte {})",
                    self.bytes.len(),
                    self.at
                )
            })?;
        let out = &self.bytes[self.at..end];
        self.at = end;
        Ok(out)
    }

    fn u32(&mut self, what: &str) -> Result<u32, String> {
        Ok(u32::from_le_bytes(self.take(4, what)?.try_into().unwrap()))
    }

    fn f32s(&mut self, n: usize, what: &str) -> Result<Vec<f32>, String> {
        Ok(self
            .take(4 * n, what)?
            .chunks_exact(4)
            .map(|c| f32::from_le_bytes(c.try_into().unwrap()))
            .collect())
    }
}

impl SphinxTrie {
    /// Unpacks a Sphinx trie model file, laid out as sphinxbase's `lm_trie`
    /// writes it: the magic and order, three `u32` counts, the quantisation
    /// type, three tables of 65,536 `f32`, the unigram records (`f32`
    /// log-probability, `f32` backoff, `u32` first bigram), bit-packed bigram
    /// records (word, backoff index, probability index, first trigram) and
    /// trigram records (word, probability index), each block followed by 8
    /// bytes of padding, then the NUL-separated vocabulary after its `i32`
    /// length.
    pub fn parse(bytes: &[u8]) -> Result<SphinxTrie, String> {
        let mut r = Reader { bytes, at: 0 };
        if r.take(SPHINX_MAGIC.len(), "magic")? != SPHINX_MAGIC {
            return Err("not a Sphinx trie model (no \"Trie Language Model\" magic)".into());
        }
        let order = r.take(1, "order")?[0];
        if order != 3 {
            return Err(format!(
                "an order-{order} model; this generator reads trigram models"
            ));
        }
        let n1 = r.u32("unigram count")?;
        let n2 = r.u32("bigram count")?;
        let n3 = r.u32("trigram count")?;
        let quant = r.u32("quantisation type")?;
        if quant != 1 {
            return Err(format!(
                "quantisation type {quant}; this generator reads 16-bit quantised models (type 1)"
            ));
        }
        if n1 == 0 || n1 > MAX_WORDS {
            return Err(format!(
                "{n1} words; the checker's layout holds 1 to {MAX_WORDS}"
            ));
        }
        let tables = [
            r.f32s(TABLE_ENTRIES, "bigram probability table")?,
            r.f32s(TABLE_ENTRIES, "bigram backoff table")?,
            r.f32s(TABLE_ENTRIES, "trigram probability table")?,
        ];
        let unigrams: Vec<(f32, f32, u32)> = r
            .take(12 * (n1 as usize + 1), "unigram records")?
            .chunks_exact(12)
            .map(|c| {
                (
                    f32::from_le_bytes(c[0..4].try_into().unwrap()),
                    f32::from_le_bytes(c[4..8].try_into().unwrap()),
                    u32::from_le_bytes(c[8..12].try_into().unwrap()),
                )
            })
            .collect();

        let (wb, nb) = (bit_length(n1), bit_length(n3));
        let bigram_bits = (wb + 16 + 16 + nb) as usize;
        let block = r.take(
            ((n2 as usize + 1) * bigram_bits).div_ceil(8) + 8,
            "bigram records",
        )?;
        // The header's bigram count may exceed what the unigrams point at (by 6
        // in en-us.lm.bin); the closing unigram record says how many are used.
        let used_bigrams = unigrams[n1 as usize].2;
        if used_bigrams > n2 {
            return Err(format!(
                "the unigrams point at {used_bigrams} bigrams; the header says {n2}"
            ));
        }
        let bigrams: Vec<(u32, u16, u16, u32)> = (0..=used_bigrams as usize)
            .map(|j| {
                let at = j * bigram_bits;
                (
                    bits(block, at, wb),
                    bits(block, at + wb as usize, 16) as u16,
                    bits(block, at + wb as usize + 16, 16) as u16,
                    bits(block, at + wb as usize + 32, nb),
                )
            })
            .collect();
        let trigram_bits = (wb + 16) as usize;
        let block = r.take(
            ((n3 as usize + 1) * trigram_bits).div_ceil(8) + 8,
            "trigram records",
        )?;
        let used_trigrams = bigrams[used_bigrams as usize].3;
        if used_trigrams > n3 {
            return Err(format!(
                "the bigrams point at {used_trigrams} trigrams; the header says {n3}"
            ));
        }
        let trigrams: Vec<(u32, u16)> = (0..used_trigrams as usize)
            .map(|k| {
                let at = k * trigram_bits;
                (
                    bits(block, at, wb),
                    bits(block, at + wb as usize, 16) as u16,
                )
            })
            .collect();

        let len = r.u32("vocabulary length")? as usize;
        let blob = r.take(len, "vocabulary")?;
        if r.at != bytes.len() {
            return Err(format!("{} bytes after the vocabulary", bytes.len() - r.at));
        }
        let mut words: Vec<Vec<u8>> = blob.split(|&b| b == 0).map(<[u8]>::to_vec).collect();
        if words.last().is_some_and(Vec::is_empty) {
            words.pop();
        }
        if words.len() != n1 as usize {
            return Err(format!(
                "the vocabulary has {} words; the header says {n1}",
                words.len()
            ));
        }
        let mut trie = SphinxTrie {
            tables,
            unigrams,
            bigrams,
            trigrams,
            words,
            unsorted_lists: 0,
        };
        trie.sort_continuations()?;
        trie.check()?;
        Ok(trie)
    }

    /// Sorts each node's children by word id, carrying each bigram's trigrams
    /// along, and returns how many lists were out of order. Sphinx writes them
    /// sorted but for a few (in en-us.lm.bin, of the words before "and
    /// bullhorns", "whips" comes before "teased"), which a binary search would
    /// miss.
    fn sort_continuations(&mut self) -> Result<usize, String> {
        let mut unsorted = 0;
        let mut bigrams = Vec::with_capacity(self.bigrams.len());
        let mut trigrams = Vec::with_capacity(self.trigrams.len());
        let n3 = self.trigrams.len();
        for u in self.unigrams.windows(2) {
            let (start, end) = (u[0].2 as usize, u[1].2 as usize);
            if start > end || end >= self.bigrams.len() {
                return Err(format!(
                    "a unigram's bigrams {start}..{end} are out of range"
                ));
            }
            let mut order: Vec<usize> = (start..end).collect();
            if !order
                .windows(2)
                .all(|w| self.bigrams[w[0]].0 < self.bigrams[w[1]].0)
            {
                unsorted += 1;
                order.sort_by_key(|&j| self.bigrams[j].0);
            }
            for j in order {
                let (word, backoff, prob, first) = self.bigrams[j];
                let (first, last) = (first as usize, self.bigrams[j + 1].3 as usize);
                if first > last || last > n3 {
                    return Err(format!(
                        "bigram {j}: its trigrams {first}..{last} are out of range"
                    ));
                }
                let mut own = self.trigrams[first..last].to_vec();
                if !own.windows(2).all(|w| w[0].0 < w[1].0) {
                    unsorted += 1;
                    own.sort_by_key(|t| t.0);
                }
                bigrams.push((word, backoff, prob, trigrams.len() as u32));
                trigrams.extend(own);
            }
        }
        bigrams.push((0, 0, 0, trigrams.len() as u32));
        self.bigrams = bigrams;
        self.trigrams = trigrams;
        self.unsorted_lists = unsorted;
        Ok(unsorted)
    }

    /// Checks what the checker's binary searches rely on: ranges that nest and
    /// grow, words in range, and each history's words strictly increasing.
    fn check(&self) -> Result<(), String> {
        let n1 = self.words.len() as u32;
        let sorted_runs = |starts: &mut dyn Iterator<Item = (usize, usize)>,
                           word: &dyn Fn(usize) -> u32,
                           what: &str|
         -> Result<(), String> {
            for (i, (start, end)) in starts.enumerate() {
                if start > end {
                    return Err(format!("{what} {i}: its range ends before it starts"));
                }
                for k in start..end {
                    if word(k) >= n1 {
                        return Err(format!(
                            "{what} {i}: word id {} past the vocabulary",
                            word(k)
                        ));
                    }
                    if k > start && word(k - 1) >= word(k) {
                        return Err(format!(
                            "{what} {i}: its continuations are not sorted by word id"
                        ));
                    }
                }
            }
            Ok(())
        };
        let u = &self.unigrams;
        sorted_runs(
            &mut u.windows(2).map(|w| (w[0].2 as usize, w[1].2 as usize)),
            &|j| self.bigrams[j].0,
            "unigram",
        )?;
        let b = &self.bigrams;
        sorted_runs(
            &mut b.windows(2).map(|w| (w[0].3 as usize, w[1].3 as usize)),
            &|k| self.trigrams[k].0,
            "bigram",
        )?;
        if u[0].2 != 0 || b[0].3 != 0 {
            return Err("the first unigram or bigram does not start at 0".into());
        }
        Ok(())
    }

    /// Writes the model in the checker's layout.
    pub fn to_layout(&self) -> Result<Vec<u8>, String> {
        let n1 = self.words.len();
        let n2 = self.bigrams.len() - 1;
        let n3 = self.trigrams.len();
        let hash_slots = (2 * n1).next_power_of_two();
        let vocab_bytes: usize = self.words.iter().map(Vec::len).sum();
        let counts = Counts {
            words: n1 as u32,
            bigrams: n2 as u32,
            trigrams: n3 as u32,
            block: TRIGRAM_BLOCK,
            hash_slots: hash_slots as u32,
            vocab_bytes: u32::try_from(vocab_bytes).map_err(|_| "vocabulary over 4 GB")?,
        };
        let layout = Layout::new(counts);
        let mut out = vec![0u8; layout.total()];
        out[..layout.header().len()].copy_from_slice(&layout.header());
        let mut put = |section: Section, data: Vec<u8>| {
            let range = layout.range(section);
            assert_eq!(
                data.len(),
                range.len(),
                "{section:?} has the layout's length"
            );
            out[range].copy_from_slice(&data);
        };
        let f32s = |it: &mut dyn Iterator<Item = f32>| -> Vec<u8> {
            it.flat_map(f32::to_le_bytes).collect()
        };
        let u32s = |it: &mut dyn Iterator<Item = u32>| -> Vec<u8> {
            it.flat_map(u32::to_le_bytes).collect()
        };
        let u16s = |it: &mut dyn Iterator<Item = u16>| -> Vec<u8> {
            it.flat_map(u16::to_le_bytes).collect()
        };
        let high_bits = |it: &mut dyn Iterator<Item = u32>, n: usize| -> Vec<u8> {
            let mut bits = vec![0u8; n.div_ceil(8)];
            for (i, w) in it.enumerate() {
                bits[i / 8] |= (((w >> 16) & 1) as u8) << (i % 8);
            }
            bits
        };

        put(
            Section::BigramProbTable,
            f32s(&mut self.tables[0].iter().copied()),
        );
        put(
            Section::BigramBackoffTable,
            f32s(&mut self.tables[1].iter().copied()),
        );
        put(
            Section::TrigramProbTable,
            f32s(&mut self.tables[2].iter().copied()),
        );
        put(
            Section::UnigramProb,
            f32s(&mut self.unigrams[..n1].iter().map(|u| u.0)),
        );
        put(
            Section::UnigramBackoff,
            f32s(&mut self.unigrams[..n1].iter().map(|u| u.1)),
        );
        put(
            Section::BigramStart,
            u32s(&mut self.unigrams.iter().map(|u| u.2)),
        );
        let bigrams = &self.bigrams[..n2];
        put(
            Section::BigramWord,
            u16s(&mut bigrams.iter().map(|b| b.0 as u16)),
        );
        put(
            Section::BigramWordHigh,
            high_bits(&mut bigrams.iter().map(|b| b.0), n2),
        );
        put(Section::BigramProb, u16s(&mut bigrams.iter().map(|b| b.2)));
        put(
            Section::BigramBackoff,
            u16s(&mut bigrams.iter().map(|b| b.1)),
        );
        let base: Vec<u32> = (0..=n2 / TRIGRAM_BLOCK as usize)
            .map(|block| self.bigrams[block * TRIGRAM_BLOCK as usize].3)
            .collect();
        let mut offsets = Vec::with_capacity(n2 + 1);
        for (j, b) in self.bigrams.iter().enumerate() {
            let offset = b.3 - base[j / TRIGRAM_BLOCK as usize];
            offsets.push(u16::try_from(offset).map_err(|_| {
                format!(
                    "bigrams {}..{} own {offset} trigrams or more, past the u16 offsets; lower TRIGRAM_BLOCK",
                    j / TRIGRAM_BLOCK as usize * TRIGRAM_BLOCK as usize,
                    j + 1
                )
            })?);
        }
        put(Section::TrigramBase, u32s(&mut base.into_iter()));
        put(Section::TrigramOffset, u16s(&mut offsets.into_iter()));
        put(
            Section::TrigramWord,
            u16s(&mut self.trigrams.iter().map(|t| t.0 as u16)),
        );
        put(
            Section::TrigramWordHigh,
            high_bits(&mut self.trigrams.iter().map(|t| t.0), n3),
        );
        put(
            Section::TrigramProb,
            u16s(&mut self.trigrams.iter().map(|t| t.1)),
        );

        let mut at = 0u32;
        let mut vocab_offsets = vec![0u32];
        for w in &self.words {
            at += w.len() as u32;
            vocab_offsets.push(at);
        }
        put(Section::VocabOffsets, u32s(&mut vocab_offsets.into_iter()));
        put(Section::VocabBytes, self.words.concat());
        let mut slots = vec![0u32; hash_slots];
        for (id, w) in self.words.iter().enumerate() {
            let mut slot = word_hash(w) as usize & (hash_slots - 1);
            while slots[slot] != 0 {
                if self.words[slots[slot] as usize - 1] == *w {
                    return Err(format!(
                        "{:?} is in the vocabulary twice",
                        String::from_utf8_lossy(w)
                    ));
                }
                slot = (slot + 1) & (hash_slots - 1);
            }
            slots[slot] = id as u32 + 1;
        }
        put(Section::VocabHash, u32s(&mut slots.into_iter()));
        Ok(out)
    }
}

/// Reads and unpacks the Sphinx model at `lm`.
pub fn read_source(lm: &Path) -> Result<SphinxTrie, String> {
    let bytes = fs::read(lm).map_err(|e| format!("{}: {e}", lm.display()))?;
    SphinxTrie::parse(&bytes).map_err(|e| format!("{}: {e}", lm.display()))
}

const USAGE: &str = "usage: cargo run -p xtask -- trigrams [--lm PATH] [--out FILE] [--check]
  --lm PATH   the CMU Sphinx trie model (default: the one Debian's
              pocketsphinx-en-us installs, /usr/share/pocketsphinx/model/en-us/en-us.lm.bin)
  --out FILE  where the model goes (default: dictionaries/model/trigrams.bin)
  --check     compare with --out instead of writing; exit 1 on difference";

/// Entry point of `cargo run -p xtask -- trigrams`; returns the exit code.
pub fn run(args: &[String]) -> i32 {
    let args = match GeneratorArgs::parse(args, &["--lm", "--out"], USAGE) {
        Ok(args) => args,
        Err(code) => return code,
    };
    let lm = PathBuf::from(args.value("--lm").unwrap_or(DEFAULT_LM));
    let out = args
        .value("--out")
        .map_or_else(default_output, PathBuf::from);
    let model = match read_source(&lm).and_then(|trie| {
        eprintln!(
            "{}: {} words, {} bigrams, {} trigrams; {} continuation lists sorted",
            lm.display(),
            trie.words.len(),
            trie.bigrams.len() - 1,
            trie.trigrams.len(),
            trie.unsorted_lists
        );
        trie.to_layout()
    }) {
        Ok(model) => model,
        Err(e) => {
            eprintln!("trigrams: {e}\ninstall the model with `apt-get install pocketsphinx-en-us`");
            return 1;
        }
    };
    if args.check {
        if fs::read(&out).ok().as_deref() != Some(model.as_slice()) {
            eprintln!(
                "{} is out of date; run cargo run -p xtask -- trigrams",
                out.display()
            );
            return 1;
        }
        return 0;
    }
    if let Err(e) = fs::write(&out, &model) {
        eprintln!("{}: {e}", out.display());
        return 1;
    }
    eprintln!("wrote {} ({} bytes)", out.display(), model.len());
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bit_fields_read_little_endian_from_any_bit_offset() {
        // 0b1011_0110, 0b0000_0001: 5 bits at offset 3 are 0b10110, 4 bits at
        // offset 6 cross into the second byte: 0b0110.
        let block = [0b1011_0110u8, 0b0000_0001];
        assert_eq!(bits(&block, 3, 5), 0b10110);
        assert_eq!(bits(&block, 6, 4), 0b0110);
        assert_eq!(bits(&block, 16, 8), 0, "past the end reads zero");
        assert_eq!(bit_length(72_547), 17);
        assert_eq!(bit_length(1_669_625), 21);
    }

    #[test]
    fn a_file_that_is_not_a_sphinx_trie_is_refused_with_the_reason() {
        assert!(SphinxTrie::parse(b"ARPA")
            .unwrap_err()
            .contains("ends at byte 4"));
        assert!(SphinxTrie::parse(b"Something else here!!")
            .unwrap_err()
            .contains("magic"));
        let mut four_gram = SPHINX_MAGIC.to_vec();
        four_gram.push(4);
        assert!(SphinxTrie::parse(&four_gram)
            .unwrap_err()
            .contains("order-4"));
        let mut truncated = SPHINX_MAGIC.to_vec();
        truncated.push(3);
        truncated.extend([2u32, 1, 1, 1].iter().flat_map(|n| n.to_le_bytes()));
        let e = SphinxTrie::parse(&truncated).unwrap_err();
        assert!(e.contains("bigram probability table"), "{e}");
    }

    /// A trie over `words` whose tables hold `-(index)` at each index (so a
    /// score names the entry it came from) and whose records are given.
    fn trie(
        words: &[&str],
        unigrams: Vec<(f32, f32, u32)>,
        bigrams: Vec<(u32, u16, u16, u32)>,
        trigrams: Vec<(u32, u16)>,
    ) -> SphinxTrie {
        let table: Vec<f32> = (0..TABLE_ENTRIES).map(|i| -(i as f32)).collect();
        SphinxTrie {
            tables: [
                table.clone(),
                table.iter().map(|v| v / 10.0).collect(),
                table.iter().map(|v| v * 10.0).collect(),
            ],
            unigrams,
            bigrams,
            trigrams,
            words: words.iter().map(|w| w.as_bytes().to_vec()).collect(),
            unsorted_lists: 0,
        }
    }

    #[test]
    fn the_reader_backs_off_through_the_written_tables_as_katz_backoff_does() {
        // Sphinx keys the trie by the predicted word, then the words before it:
        // "b" is preceded by "a" and "c" (bigrams "a b", "c b"), "c" by "a"
        // ("a c"), and "c a b" is a trigram.
        let trie = trie(
            &["</s>", "<s>", "a", "b", "c"],
            vec![
                (-1000.0, -1.0, 0),
                (-2000.0, -2.0, 0),
                (-3000.0, -3.0, 0),
                (-4000.0, -4.0, 0),
                (-5000.0, -5.0, 2),
                (0.0, 0.0, 3),
            ],
            vec![(2, 7, 11, 0), (4, 8, 12, 1), (2, 9, 13, 1), (0, 0, 0, 1)],
            vec![(4, 20)],
        );
        trie.check().unwrap();
        let bytes = trie.to_layout().unwrap();
        let lm = unspun::lm::TrigramModel::from_bytes(&bytes).unwrap();
        let id = |w: &str| lm.word(w).unwrap();
        let (a, b, c) = (id("a"), id("b"), id("c"));
        assert_eq!(lm.text(c), Some("c"));
        assert_eq!(lm.word("d"), None);
        // A trigram: its own probability (table 2, index 20).
        assert_eq!(lm.raw_log_prob(&[c, a], b), -200.0);
        // Bigrams: their probabilities (table 0, indexes 11 and 12).
        assert_eq!(lm.raw_log_prob(&[a], b), -11.0);
        assert_eq!(lm.raw_log_prob(&[c], b), -12.0);
        assert_eq!(
            lm.raw_log_prob(&[b, a], b),
            -11.0,
            "no bigram b a: no backoff weight"
        );
        // Trigram "a c b" missing: backoff of "a c" (table 1, index 9) + P(b | c).
        assert_eq!(lm.raw_log_prob(&[a, c], b), -0.9 + -12.0);
        // Bigram "b c" missing: backoff of "a b" (index 7) + backoff(b) + P(c).
        assert_eq!(lm.raw_log_prob(&[a, b], c), -0.7 + -4.0 + -5000.0);
        // No history: the unigram.
        assert_eq!(lm.raw_log_prob(&[], a), -3000.0);
    }

    /// A trie whose first bigram owns `n` trigrams, followed by a second bigram
    /// in the same block of [`TRIGRAM_BLOCK`].
    fn trie_with_a_long_trigram_list(n: usize) -> SphinxTrie {
        let words: Vec<String> = (0..=n).map(|i| format!("w{i:06}")).collect();
        let words: Vec<&str> = words.iter().map(String::as_str).collect();
        let mut unigrams = vec![(0.0, 0.0, 0)];
        unigrams.extend((1..=words.len()).map(|_| (0.0, 0.0, 2)));
        let bigrams = vec![(0, 0, 0, 0), (1, 0, 0, n as u32), (0, 0, 0, n as u32)];
        let trigrams = (0..n as u32).map(|w| (w, 5)).collect();
        trie(&words, unigrams, bigrams, trigrams)
    }

    #[test]
    fn a_block_of_bigrams_owning_65535_trigrams_fits_and_65536_is_refused() {
        let fits = trie_with_a_long_trigram_list(65_535);
        fits.check().unwrap();
        let bytes = fits.to_layout().unwrap();
        let lm = unspun::lm::TrigramModel::from_bytes(&bytes).unwrap();
        let (w0, last) = (lm.word("w000000").unwrap(), lm.word("w065534").unwrap());
        // The trigram "w065534 w000000 w000000", the last of the list.
        assert_eq!(
            lm.raw_log_prob(&[last, w0], w0),
            -50.0,
            "the last trigram is found"
        );

        let over = trie_with_a_long_trigram_list(65_536);
        over.check().unwrap();
        let e = over.to_layout().unwrap_err();
        assert!(e.contains("past the u16 offsets"), "{e}");
    }

    #[test]
    fn continuations_out_of_order_in_the_source_are_sorted_and_found() {
        // "a" is preceded by "c" then "b" (out of order); "c a" by "b" then "a".
        let mut trie = trie(
            &["</s>", "<s>", "a", "b", "c"],
            vec![
                (-1.0, 0.0, 0),
                (-1.0, 0.0, 0),
                (-1.0, 0.0, 0),
                (-1.0, 0.0, 2),
                (-1.0, 0.0, 2),
                (0.0, 0.0, 2),
            ],
            vec![(4, 0, 1, 0), (3, 0, 2, 2), (0, 0, 0, 3)],
            vec![(3, 1), (2, 2), (4, 3)],
        );
        assert!(trie.check().is_err(), "the unsorted source fails the check");
        assert_eq!(trie.sort_continuations().unwrap(), 2);
        trie.check().unwrap();
        let bytes = trie.to_layout().unwrap();
        let lm = unspun::lm::TrigramModel::from_bytes(&bytes).unwrap();
        let id = |w: &str| lm.word(w).unwrap();
        let (a, b, c) = (id("a"), id("b"), id("c"));
        assert_eq!(lm.raw_log_prob(&[c], a), -1.0);
        assert_eq!(lm.raw_log_prob(&[b], a), -2.0);
        assert_eq!(lm.raw_log_prob(&[b, c], a), -10.0);
        assert_eq!(lm.raw_log_prob(&[a, c], a), -20.0);
        assert_eq!(lm.raw_log_prob(&[c, b], a), -30.0);
    }
}
