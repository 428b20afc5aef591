//! A scan: one lexicon probe per word of the text, then the phrase stage and
//! the spun-word scorer on the few words that hit a dictionary.

use super::cues::Cues;
use super::findings::Scan;
use super::sections::SectionArtifacts;
use super::trie::{bit_is_set, set_bit};
use super::typos::{MAX_TYPO_LEN, MIN_TYPO_LEN};
use super::{lexicon, Engine, Lex, EMPTY_LEX, NONE};
use crate::text::{self, Word};
use crate::Cancel;

/// [`Engine::scan_cancellable`] reads its [`Cancel`] once per this many words
/// while it looks them up, and again between its stages.
const CANCEL_POLL_WORDS: usize = 1 << 13;

/// The per-word vectors of a scan, kept per thread and reused, so that a
/// check allocates (and the system maps fresh pages for) only what grows.
#[derive(Debug, Default)]
pub(super) struct ScanBuffers {
    pub(super) lex: Vec<Lex>,
    pub(super) unknown: Vec<usize>,
    pub(super) spun_at: Vec<usize>,
    pub(super) covered: Vec<bool>,
    pub(super) artifacts: SectionArtifacts,
}

pub(super) struct Document<'a, 't> {
    /// The text the words are slices of.
    pub(super) text: &'t str,
    pub(super) words: &'a [Word<'t>],
    pub(super) lex: &'a [Lex],
    /// Words read through a typo, with the trie words they may stand for.
    pub(super) typo: &'a [(usize, Vec<u32>)],
    /// The positions in `typo`, one bit per word: asked at every phrase word.
    pub(super) typo_at: &'a [u64],
    /// The words that are spun artifacts, in text order.
    pub(super) spun_at: &'a [usize],
    /// The artifacts (`Lex::spun`) that the text also writes capitalised
    /// inside a sentence, sorted: there they are names ("Best", "Will"),
    /// so a capitalised occurrence at a sentence start is taken for one too.
    pub(super) names: &'a [u32],
}

/// Whether `words[i]` of `text` starts a sentence, a heading or a quotation:
/// see [`Document::sentence_start`].
fn starts_sentence(text: &str, words: &[Word], i: usize) -> bool {
    let Some(before) = i.checked_sub(1) else {
        return true;
    };
    let gap = text.get(words[before].end..words[i].start).unwrap_or("");
    gap.contains([
        '.', '!', '?', ':', '\n', '\r', '"', '\u{201c}', '\u{2018}', '(', '[', '\u{ab}',
    ])
}

/// A capital letter followed by lower-case letters only ("Despite"; not "I",
/// "NATO" or "McCain").
fn capital_then_lower_case(word: &str) -> bool {
    let mut chars = word.chars();
    chars.next().is_some_and(char::is_uppercase)
        && word.chars().nth(1).is_some()
        && chars.all(char::is_lowercase)
}

impl Document<'_, '_> {
    /// Whether word `i` was read through a typo (and may stand for several
    /// trie words).
    #[inline]
    pub(super) fn has_typo(&self, i: usize) -> bool {
        bit_is_set(self.typo_at, i)
    }

    /// Whether word `i` starts a sentence, a heading or a quotation: it is
    /// the first word, or what separates it from the word before holds a
    /// full stop, question or exclamation mark, colon, line break, opening
    /// quote or bracket. Such a word is capitalised whatever it is.
    pub(super) fn sentence_start(&self, i: usize) -> bool {
        starts_sentence(self.text, self.words, i)
    }

    /// Whether word `i`, an artifact, is read as its lower-case form: it is
    /// capitalised only because it starts a sentence ("Contempt strong
    /// support, ..."). A word in capitals or with a capital inside is an
    /// acronym or a name, and so is one the text also capitalises inside a
    /// sentence, or one followed by another capitalised word ("Best Buy").
    pub(super) fn capital_read_lower(&self, i: usize) -> bool {
        let word = &self.words[i];
        capital_then_lower_case(word.text)
            && self.sentence_start(i)
            && self.names.binary_search(&self.lex[i].spun).is_err()
            && self
                .words
                .get(i + 1)
                .is_none_or(|next| next.break_before || !next.is_capitalized())
    }

    /// The slot cues around word `i`, from the classes already looked up.
    pub(super) fn cues(&self, i: usize) -> Cues {
        Cues::at(self.words, i, |k| self.lex[k].class)
    }
}

impl Engine {
    /// Finds the candidates in `text` and scores them. Spun-word candidates
    /// whose confidence cannot reach `min_confidence` are skipped (pass 0 to
    /// get every candidate).
    pub fn scan(&self, text: &str, enabled: &dyn Fn(usize) -> bool, min_confidence: f64) -> Scan {
        self.scan_until(text, enabled, min_confidence, None)
            .expect("a scan nobody cancels runs to its end")
    }

    /// Like [`Engine::scan`], but gives up once `cancel` says so (`None`
    /// then): it is read every few thousand words while they are looked up,
    /// and between the stages (typos, phrases, spun words), so a cancelled
    /// scan of a long text stops within one stage.
    ///
    /// ```
    /// use unspun::detect::context::{ContextModel, Frequencies};
    /// // An engine without dictionaries is enough to show cancellation.
    /// let engine = unspun::detect::Engine::new(Vec::new(), ContextModel::embedded(), &Frequencies::embedded(0.5));
    /// let cancel = unspun::Cancel::new();
    /// cancel.cancel();
    /// assert!(engine.scan_cancellable("He came connected Friday.", &|_| true, 0.0, &cancel).is_none());
    /// ```
    pub fn scan_cancellable(
        &self,
        text: &str,
        enabled: &dyn Fn(usize) -> bool,
        min_confidence: f64,
        cancel: &Cancel,
    ) -> Option<Scan> {
        self.scan_until(text, enabled, min_confidence, Some(cancel))
    }

    fn scan_until(
        &self,
        text: &str,
        enabled: &dyn Fn(usize) -> bool,
        min_confidence: f64,
        cancel: Option<&Cancel>,
    ) -> Option<Scan> {
        thread_local! {
            static BUFFERS: std::cell::RefCell<ScanBuffers> = Default::default();
        }
        // Taken for this scan and given back after it (a scan that panics
        // leaves new ones behind), unless a long text grew them: a thread
        // keeps at most this much.
        const RETAINED_WORDS: usize = 1 << 18;
        let mut buffers = BUFFERS.take();
        let scan = self.scan_with(text, enabled, min_confidence, cancel, &mut buffers);
        if buffers.lex.capacity() <= RETAINED_WORDS {
            BUFFERS.set(buffers);
        }
        scan
    }

    /// [`Engine::scan`] with this thread's reusable vectors.
    pub(super) fn scan_with(
        &self,
        text: &str,
        enabled: &dyn Fn(usize) -> bool,
        min_confidence: f64,
        cancel: Option<&Cancel>,
        buffers: &mut ScanBuffers,
    ) -> Option<Scan> {
        let cancelled = || cancel.is_some_and(Cancel::is_cancelled);
        // Ordinary English averages about six bytes a word with its space.
        let mut words: Vec<Word> = Vec::with_capacity(text.len() / 5 + 1);
        words.extend(text::words(text));
        let ScanBuffers {
            lex,
            unknown,
            spun_at,
            covered,
            artifacts,
        } = buffers;
        lex.clear();
        lex.reserve(words.len());
        unknown.clear();
        spun_at.clear();
        for (i, w) in words.iter().enumerate() {
            if i % CANCEL_POLL_WORDS == CANCEL_POLL_WORDS - 1 && cancelled() {
                return None;
            }
            // One probe answers everything about the word: its context-model
            // id, phrase word, artifact and class. (A filter in front, to skip
            // the probe for words of no dictionary, cost more than it saved:
            // two thirds of the words of English are in some dictionary.)
            let entry = match lexicon::pack(w.text) {
                Some(key) => self.lexicon.get_packed(key),
                None => self.lexicon.get(w.text),
            };
            let entry = match entry {
                Some(l) => l,
                None if w.has_digit() => Lex {
                    model: self.number_id,
                    ..EMPTY_LEX
                },
                None => {
                    // Typos are looked for in words no lexicon knows.
                    if (MIN_TYPO_LEN..=MAX_TYPO_LEN).contains(&w.text.len()) {
                        unknown.push(i);
                    }
                    EMPTY_LEX
                }
            };
            if entry.spun != NONE {
                spun_at.push(i);
            }
            lex.push(entry);
        }
        if cancelled() {
            return None;
        }
        let mut names: Vec<u32> = spun_at
            .iter()
            .filter(|&&i| words[i].is_capitalized() && !starts_sentence(text, &words, i))
            .map(|&i| lex[i].spun)
            .collect();
        names.sort_unstable();
        names.dedup();
        let typo = self.find_typos(&words, lex, unknown);
        if cancelled() {
            return None;
        }
        let mut typo_at = Vec::new();
        for &(i, _) in &typo {
            set_bit(&mut typo_at, i);
        }
        let doc = Document {
            text,
            words: &words,
            lex,
            typo: &typo,
            typo_at: &typo_at,
            spun_at,
            names: &names,
        };
        covered.clear();
        covered.resize(words.len(), false);
        // Asked for every candidate: answered from a table, not a call.
        let enabled: Vec<bool> = (0..self.dicts.len()).map(enabled).collect();
        let mut findings = self.find_phrases(&doc, &enabled, covered);
        if cancelled() {
            return None;
        }
        let min_logit = if min_confidence <= 0.0 {
            f64::NEG_INFINITY
        } else if min_confidence >= 1.0 {
            f64::INFINITY
        } else {
            (min_confidence / (1.0 - min_confidence)).ln()
        };
        let (spun_findings, near_misses) =
            self.score_spun_words(&doc, covered, &enabled, &findings, min_logit, artifacts);
        findings.extend(spun_findings);
        findings.sort_by_key(|f| (f.start, f.end));
        Some(Scan {
            words: words.len(),
            findings,
            near_misses,
        })
    }
}
