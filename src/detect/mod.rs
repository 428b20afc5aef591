//! Detection: candidate matches from the dictionaries, then context scoring.
//!
//! Building ([`Engine::new`]) compiles every dictionary into one lexicon, a hash
//! map from a word's lower-case surface form to what it can be: a word the
//! context model knows, a word of a dictionary phrase, a single-word spun
//! artifact. Checking then costs one hash probe per word of the text; only the
//! few words that hit a dictionary go on to the slower stages:
//!
//! 1. phrases (tortured phrases, multi-word user entries) are followed through a
//!    word trie; inflected forms ("learnings", "informations") map to the same
//!    trie word, hyphens and line breaks are separators like spaces, and a word
//!    of six letters or more that no lexicon knows, beside a phrase word spelled
//!    right and not capitalised inside a sentence, is matched with one typo
//!    (optimal string alignment distance via `strsim`);
//! 2. PPS conditions (`requires`, `excludes`, `within`) are checked against the
//!    phrases found anywhere in the document;
//! 3. single-word spun artifacts are scored by [`context`]: how much better the
//!    likely original fits between the neighbours than the artifact does, plus a
//!    document-level prior that grows with the strong evidence found elsewhere in
//!    the same text (spinners spin whole texts); a long text is weighed in
//!    sections of 2,000 to 4,000 words, like the chapters or articles it is
//!    made of.
//!
//! Each stage is a module of its own, in pipeline order: [`compile`] and
//! [`trie`] and [`typos`] build the engine; [`scan`] reads a text,
//! [`phrases`] matches the phrase dictionaries, [`sections`] splits a long
//! text, [`bounds`] prunes, [`judge`] weighs one candidate's context,
//! [`features`] and [`tuning`] turn it into a logit, and [`scorer`] decides a
//! section's candidates together.

mod bounds;
mod compile;
pub mod context;
pub mod cues;
mod features;
mod findings;
mod judge;
mod lexicon;
mod phrases;
pub mod prebuilt;
mod records;
mod scan;
mod scorer;
mod sections;
mod trie;
mod trigram;
mod tuning;
mod typos;
mod variants;

pub use features::Features;
pub use findings::{Evidence, Finding, Scan};
pub use tuning::Tuning;

use crate::dict::{Dictionary, DictionaryInfo};
use crate::text;
use bounds::FirstCut;
use compile::Phrase;
use context::{ContextModel, Frequencies, UNKNOWN};
use cues::{FunctionWords, WordClass};
use lexicon::WordMap;
use rustc_hash::FxHashMap;
use trie::Trie;

const NONE: u32 = u32::MAX;

/// What one lower-case surface form can be.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
struct Lex {
    /// Context-model id, or [`UNKNOWN`].
    model: u32,
    /// Phrase-word id in the trie, or [`NONE`].
    word: u32,
    /// Index into [`Engine::spun`], or [`NONE`].
    spun: u32,
    /// The closed class of the word, so that slot cues need no second lookup.
    class: WordClass,
    /// Copies of the artifact's [`compile::SpunWord::strong`] and [`compile::SpunWord::dict`]:
    /// read for every candidate, which this way needs no visit to the
    /// artifact itself (in the padding of the other fields).
    spun_strong: bool,
    spun_dict: u16,
}

impl lexicon::FixedBytes for Lex {
    const SIZE: usize = 16;

    fn put(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.model.to_le_bytes());
        out.extend_from_slice(&self.word.to_le_bytes());
        out.extend_from_slice(&self.spun.to_le_bytes());
        out.push(self.class.to_byte());
        out.push(u8::from(self.spun_strong));
        out.extend_from_slice(&self.spun_dict.to_le_bytes());
    }

    fn take(b: &[u8]) -> Option<Self> {
        if b.len() != Self::SIZE {
            return None;
        }
        let u32_at = |i: usize| u32::from_le_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]]);
        Some(Lex {
            model: u32_at(0),
            word: u32_at(4),
            spun: u32_at(8),
            class: WordClass::from_byte(b[12])?,
            spun_strong: match b[13] {
                0 => false,
                1 => true,
                _ => return None,
            },
            spun_dict: u16::from_le_bytes([b[14], b[15]]),
        })
    }
}

const EMPTY_LEX: Lex = Lex {
    model: UNKNOWN,
    word: NONE,
    spun: NONE,
    class: WordClass::Content,
    spun_strong: false,
    spun_dict: 0,
};

/// The compiled dictionaries and context model.
///
/// Serialized (without the model, which is an image of its own, and without
/// what is recomputed or only used while compiling) into the prebuilt image
/// of the default engine, see [`prebuilt`].
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
#[serde(bound(deserialize = "'de: 'static"))]
pub struct Engine {
    lexicon: WordMap<Lex>,
    #[serde(skip, default = "ContextModel::empty")]
    model: ContextModel,
    spun: records::Records<compile::SpunWord>,
    phrases: records::Records<Phrase>,
    trie: Trie,
    /// Only used while compiling (it numbers the phrase words).
    #[serde(skip)]
    phrase_words: Vec<Box<str>>,
    /// Phrase words as written in the dictionaries (not generated inflections):
    /// the forms a typo is measured against.
    #[serde(deserialize_with = "prebuilt::borrowed::texts")]
    typo_forms: Vec<prebuilt::Text>,
    /// Only used while compiling (emptied when the typo index is built).
    #[serde(skip)]
    written_forms: rustc_hash::FxHashSet<Box<str>>,
    /// Built from `typo_forms` once every dictionary is compiled (see [`typos`]).
    typo_index: typos::TypoIndex,
    proximity: FxHashMap<u32, Vec<u32>>,
    /// The first words of `proximity`'s keys, one bit per phrase word: asked
    /// at every phrase word of a text, answered without hashing.
    #[serde(with = "trie::little_endian::u64s")]
    proximity_first: Vec<u64>,
    conditions: usize,
    condition_breaks: Vec<Vec<bool>>,
    dicts: Vec<DictionaryInfo>,
    #[serde(skip)]
    tuning: Tuning,
    classes: FunctionWords,
    number_id: u32,
    /// Dense first-cut bounds, see [`FirstCut`].
    #[serde(skip)]
    first_cut: FirstCut,
}

impl Engine {
    /// Compiles `dicts` (earlier dictionaries rank their originals first when two
    /// list the same artifact) with the context `model`.
    pub fn new(dicts: Vec<Dictionary>, model: ContextModel, frequencies: &Frequencies) -> Self {
        let mut engine = Engine {
            lexicon: WordMap::default(),
            spun: records::Records::default(),
            phrases: records::Records::default(),
            trie: Trie::new(),
            phrase_words: Vec::new(),
            typo_forms: Vec::new(),
            written_forms: Default::default(),
            typo_index: Default::default(),
            proximity: FxHashMap::default(),
            proximity_first: Vec::new(),
            conditions: 0,
            condition_breaks: Vec::new(),
            tuning: Tuning::default(),
            first_cut: FirstCut::default(),
            number_id: model.id(text::NUMBER_TOKEN),
            classes: FunctionWords::from_tsv(crate::dict::embedded::FUNCTION_WORDS)
                .expect("embedded function-word list is valid"),
            dicts: dicts.iter().map(|d| d.info.clone()).collect(),
            model,
        };
        engine.lexicon.reserve(engine.model.len() + 16_384);
        let forms: Vec<(Box<str>, u32)> = engine
            .model
            .forms()
            .map(|(f, id)| (Box::from(f), id))
            .collect();
        for (form, id) in forms {
            engine
                .lexicon
                .entry_or_insert_with(&form, || EMPTY_LEX)
                .model = id;
        }
        let mut condition_ids: FxHashMap<String, u32> = FxHashMap::default();
        for (dict_index, dict) in dicts.iter().enumerate() {
            for entry in &dict.entries {
                engine.add_entry(
                    dict_index as u16,
                    dict.info.kind,
                    entry,
                    &mut condition_ids,
                    frequencies,
                );
            }
        }
        let classes = engine.classes.clone();
        classes.for_each(|word, class| engine.lex_mut(word).class = class);
        engine.conditions = condition_ids.len();
        engine.typo_index = typos::TypoIndex::build(&engine.typo_forms);
        // Only for compiling.
        engine.written_forms = Default::default();
        for spun in engine.spun.owned_mut() {
            spun.strong = spun.possibly_strong();
        }
        engine.first_cut = FirstCut::new(engine.spun.len());
        let spun = &engine.spun;
        engine.lexicon.for_each_mut(|lex| {
            if let Some(s) = spun.get(lex.spun as usize) {
                lex.spun_strong = s.strong;
                lex.spun_dict = s.dict;
            }
        });
        engine
    }

    /// Replaces the spun-word scorer's weights.
    pub fn set_tuning(&mut self, tuning: Tuning) {
        self.tuning = tuning;
        for spun in self.spun.decoded_mut() {
            spun.bounds = std::sync::OnceLock::new();
        }
        self.first_cut = FirstCut::new(self.spun.len());
    }

    /// The loaded dictionaries, in load order.
    pub fn dictionaries(&self) -> &[DictionaryInfo] {
        &self.dicts
    }

    fn lex_mut(&mut self, form: &str) -> &mut Lex {
        self.lexicon.entry_or_insert_with(form, || EMPTY_LEX)
    }
}

fn sigmoid(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

fn lower(s: &str) -> String {
    let mut buf = String::new();
    text::lowercase_into(s, &mut buf);
    buf
}
