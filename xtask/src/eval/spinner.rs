//! The test spinner: makes labelled spun text from clean text, the way real
//! article spinners behave, so that recall, precision and fix accuracy can be
//! measured where every substitution is known.
//!
//! A testing tool, not a user feature. It models:
//! - several thesaurus families, one per document: the WordNet rule, the first
//!   WordNet sense in noun-first order (`in -> indiana`), the first MyThes
//!   synonym (`on -> connected`), and a random pick among MyThes's leading
//!   synonyms;
//! - exact, case-sensitive lookup: capitalised words are never changed;
//! - a stoplist (`a`, `the`, `not`, `but`, ...);
//! - one fixed replacement per word within a document, though not every
//!   occurrence is spun;
//! - spin rates from 10 % to 60 % of the spinnable words;
//! - double spinning: a second pass over the spun text with another family.

use crate::spun_words::{is_single_word, MyThes, WordNet, UNSPUN_WORDS};
use rustc_hash::FxHashMap;

/// A small seeded random generator (xorshift64*), so that every run of the
/// harness makes the same documents.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator from a seed (any value but zero works; zero is remapped).
    pub fn new(seed: u64) -> Self {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A float in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// An index in 0..n.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }
}

/// Which thesaurus a simulated spinner uses and how it picks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// The deterministic WordNet rule (adjective first, first other lemma).
    WordNetRule,
    /// WordNet in its own sense order, noun first, first other lemma.
    WordNetNounFirst,
    /// The first single-word synonym of the first MyThes sense.
    MyThesFirst,
    /// A random pick among the first MyThes sense's leading plain synonyms.
    MyThesRandom,
}

impl Family {
    /// All families.
    pub const ALL: [Family; 4] = [
        Family::WordNetRule,
        Family::WordNetNounFirst,
        Family::MyThesFirst,
        Family::MyThesRandom,
    ];
}

/// One substitution the spinner made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Substitution {
    /// Byte offset of the artifact in the spun text.
    pub start: usize,
    /// The artifact as written in the spun text.
    pub artifact: String,
    /// The word of the clean text it replaced.
    pub original: String,
}

/// A spun document with its labels.
#[derive(Debug, Clone)]
pub struct SpunText {
    /// The spun text.
    pub text: String,
    /// Every substitution, in text order.
    pub substitutions: Vec<Substitution>,
}

/// The spinner's thesauri.
pub struct Spinner<'a> {
    wordnet: &'a WordNet,
    mythes: &'a MyThes,
}

impl<'a> Spinner<'a> {
    /// A spinner over the loaded thesauri.
    pub fn new(wordnet: &'a WordNet, mythes: &'a MyThes) -> Self {
        Spinner { wordnet, mythes }
    }

    /// What `family` turns the lower-case word `form` into, if anything.
    fn pick(&self, family: Family, form: &str, rng: &mut Rng) -> Option<String> {
        let pick = match family {
            Family::WordNetRule => self.wordnet.rule_pick(form),
            Family::WordNetNounFirst => self.wordnet.sense_picks(form).into_iter().next(),
            Family::MyThesFirst => self.mythes.sense_terms(form).next().and_then(|terms| {
                terms
                    .into_iter()
                    .find(|t| is_single_word(&t.text))
                    .map(|t| t.text.to_lowercase())
            }),
            Family::MyThesRandom => self.mythes.sense_terms(form).next().and_then(|terms| {
                let plain: Vec<String> = terms
                    .into_iter()
                    .filter(|t| t.plain && is_single_word(&t.text))
                    .take(4)
                    .map(|t| t.text.to_lowercase())
                    .collect();
                (!plain.is_empty()).then(|| plain[rng.below(plain.len())].clone())
            }),
        };
        pick.filter(|p| p != form && is_single_word(p))
    }

    /// Spins `text` with `family` at `rate`: each distinct spinnable word is
    /// chosen with probability `rate`, and then 90 % of its occurrences are
    /// replaced by its one artifact.
    pub fn spin(&self, text: &str, family: Family, rate: f64, rng: &mut Rng) -> SpunText {
        let mut choice: FxHashMap<String, Option<String>> = FxHashMap::default();
        let mut out = String::with_capacity(text.len() + text.len() / 8);
        let mut substitutions = Vec::new();
        let mut at = 0;
        for word in unspun::text::words(text) {
            out.push_str(&text[at..word.start]);
            at = word.end;
            let w = word.text;
            let spinnable = w.bytes().all(|b| b.is_ascii_lowercase()) && !UNSPUN_WORDS.contains(&w);
            if spinnable {
                let pick = choice
                    .entry(w.to_string())
                    .or_insert_with(|| {
                        if rng.unit() < rate {
                            self.pick(family, w, rng)
                        } else {
                            None
                        }
                    })
                    .clone();
                if let Some(artifact) = pick {
                    if rng.unit() < 0.9 {
                        substitutions.push(Substitution {
                            start: out.len(),
                            artifact: artifact.clone(),
                            original: w.to_string(),
                        });
                        out.push_str(&artifact);
                        continue;
                    }
                }
            }
            out.push_str(w);
        }
        out.push_str(&text[at..]);
        SpunText {
            text: out,
            substitutions,
        }
    }

    /// Spins twice: a second family over the first's output. Labels keep the
    /// clean text's original for words spun twice, and are dropped for words
    /// the second pass turned back into their original.
    pub fn spin_twice(
        &self,
        text: &str,
        first: Family,
        second: Family,
        rate: f64,
        rng: &mut Rng,
    ) -> SpunText {
        let once = self.spin(text, first, rate, rng);
        let twice = self.spin(&once.text, second, rate, rng);
        // Map offsets of the first pass to the second pass's text.
        let mut originals: FxHashMap<usize, String> = FxHashMap::default();
        let mut words_once = unspun::text::words(&once.text).map(|w| w.start).enumerate();
        let index_of: FxHashMap<usize, usize> = words_once.by_ref().map(|(i, s)| (s, i)).collect();
        let starts_twice: Vec<usize> = unspun::text::words(&twice.text).map(|w| w.start).collect();
        for s in &once.substitutions {
            if let Some(&i) = index_of.get(&s.start) {
                originals.insert(starts_twice[i], s.original.clone());
            }
        }
        let mut substitutions: Vec<Substitution> = Vec::new();
        for s in &twice.substitutions {
            let original = originals
                .remove(&s.start)
                .unwrap_or_else(|| s.original.clone());
            substitutions.push(Substitution {
                start: s.start,
                artifact: s.artifact.clone(),
                original,
            });
        }
        for (start, original) in originals {
            let artifact = unspun::text::words(&twice.text[start..])
                .next()
                .map(|w| w.text.to_string())
                .unwrap_or_default();
            substitutions.push(Substitution {
                start,
                artifact,
                original,
            });
        }
        // A word spun back to its clean form ("at -> astatine -> at") is no
        // longer an artifact.
        substitutions.retain(|s| !s.artifact.eq_ignore_ascii_case(&s.original));
        substitutions.sort_by_key(|s| s.start);
        SpunText {
            text: twice.text,
            substitutions,
        }
    }
}
