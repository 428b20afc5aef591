//! Compiling dictionary entries into the engine: single-word artifacts with
//! their likely originals, phrases into the trie, PPS conditions into ids.

use super::bounds::SpunBounds;
use super::context::Frequencies;
use super::cues::WordClass;
use super::judge::{STRONG_MAX_ZIPF, STRONG_MIN_GAP};
use super::prebuilt::{borrowed, Text};
use super::trie::{set_bit, Terminal};
use super::{lower, variants, Engine, NONE};
use crate::dict::Entry;
use crate::report::SpanKind;
use crate::text;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

/// A likely original of a single-word artifact.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(bound(deserialize = "'de: 'static"))]
pub(super) struct Original {
    #[serde(deserialize_with = "borrowed::text")]
    pub(super) text: Text,
    pub(super) model: u32,
    pub(super) zipf: f32,
    pub(super) class: WordClass,
    /// Listed by a curated dictionary: observed in real spun text.
    pub(super) curated: bool,
}

/// A single-word spun artifact, merged over all dictionaries that list it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(bound(deserialize = "'de: 'static"))]
pub(super) struct SpunWord {
    #[serde(deserialize_with = "borrowed::text")]
    pub(super) artifact: Text,
    pub(super) model: u32,
    pub(super) zipf: f32,
    pub(super) originals: Vec<Original>,
    pub(super) dict: u16,
    pub(super) dict_is_curated: bool,
    pub(super) uncertain: bool,
    /// The artifact is a closed-class word itself.
    pub(super) closed: bool,
    /// Upper bounds of the logit of any occurrence, whatever its slot, in a
    /// document whose density is at most the matching [`DENSITY_LEVELS`]
    /// entry: cuts that need no look at the neighbours. Computed on first
    /// use (most artifacts never occur), and reset with the tuning.
    #[serde(skip)]
    pub(super) bounds: std::sync::OnceLock<SpunBounds>,
    /// [`SpunWord::possibly_strong`], set once every dictionary is merged:
    /// read for every candidate, so not recomputed from the originals.
    pub(super) strong: bool,
}

impl SpunWord {
    /// Could this artifact count as strong evidence ([`Scored::is_strong`])?
    pub(super) fn possibly_strong(&self) -> bool {
        f64::from(self.zipf) <= STRONG_MAX_ZIPF
            && self
                .originals
                .iter()
                .any(|o| f64::from(o.zipf - self.zipf) >= STRONG_MIN_GAP)
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(super) struct CompiledConditions {
    pub(super) requires: Vec<Vec<u32>>,
    pub(super) excludes: Vec<u32>,
    pub(super) within: Option<u32>,
}

/// A phrase entry (or a single-word tortured phrase) matched through the trie.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(bound(deserialize = "'de: 'static"))]
pub(super) struct Phrase {
    #[serde(deserialize_with = "borrowed::text")]
    pub(super) artifact: Text,
    pub(super) words: Vec<u32>,
    /// Whether punctuation stands before each word inside the artifact.
    pub(super) breaks: Vec<bool>,
    #[serde(deserialize_with = "borrowed::texts")]
    pub(super) originals: Vec<Text>,
    pub(super) dict: u16,
    pub(super) kind: SpanKind,
    pub(super) conditions: CompiledConditions,
    pub(super) uncertain: bool,
    pub(super) papers: Option<u32>,
}

impl Engine {
    /// The trie word for `form`. A form and its regular inflections share one
    /// trie word, whichever of them is interned first.
    pub(super) fn phrase_word(&mut self, form: &str) -> u32 {
        if self.written_forms.insert(Box::from(form)) {
            self.typo_forms.push(Text::Owned(form.to_string()));
        } else if let Some(lex) = self.lexicon.get(form) {
            // Seen before: it and its inflections have their id already.
            if lex.word != NONE {
                return lex.word;
            }
        }
        let forms = variants::inflections(form);
        // The form may already stand for another word ("cloth" for
        // "clothes"); its own inflections ("cloths") must then join it too.
        let id = std::iter::once(form)
            .chain(forms.iter().map(String::as_str))
            .filter_map(|f| self.lexicon.get(f).map(|l| l.word))
            .find(|&w| w != NONE)
            .unwrap_or_else(|| {
                self.phrase_words.push(Box::from(form));
                (self.phrase_words.len() - 1) as u32
            });
        for f in std::iter::once(form).chain(forms.iter().map(String::as_str)) {
            let lex = self.lex_mut(f);
            if lex.word == NONE {
                lex.word = id;
            }
        }
        id
    }

    /// Trie words of a phrase, and for each word whether punctuation stands
    /// before it inside the phrase ("accuracy, precision").
    pub(super) fn phrase_ids(&mut self, phrase: &str) -> (Vec<u32>, Vec<bool>) {
        let words: Vec<(String, bool)> = text::words(phrase)
            .enumerate()
            .map(|(i, w)| (lower(w.text), i > 0 && w.break_before))
            .collect();
        let ids = words.iter().map(|(f, _)| self.phrase_word(f)).collect();
        (ids, words.into_iter().map(|(_, b)| b).collect())
    }

    pub(super) fn add_entry(
        &mut self,
        dict: u16,
        kind: SpanKind,
        entry: &Entry,
        condition_ids: &mut FxHashMap<String, u32>,
        frequencies: &Frequencies,
    ) {
        let word_count = text::words(&entry.artifact).count();
        if kind == SpanKind::SpunWord && word_count == 1 && entry.conditions.is_empty() {
            let form = lower(text::words(&entry.artifact).next().expect("one word").text);
            let originals: Vec<Original> = entry
                .originals
                .iter()
                .map(|o| Original {
                    text: Text::Owned(o.clone()),
                    model: self.model.id(&text::model_form(o)),
                    zipf: frequencies.zipf(&o.to_lowercase()),
                    class: self.classes.class(o),
                    curated: self.dicts[dict as usize].name.ends_with("-curated"),
                })
                .collect();
            let model = self.model.id(&form);
            let existing = self.lex_mut(&form).spun;
            if existing == NONE {
                let index = self.spun.len() as u32;
                self.spun.owned_mut().push(SpunWord {
                    zipf: frequencies.zipf(&form),
                    artifact: Text::Owned(form.clone()),
                    model,
                    originals,
                    dict,
                    dict_is_curated: self.dicts[dict as usize].name.ends_with("-curated"),
                    uncertain: entry.uncertain,
                    closed: self.classes.class(&form) != WordClass::Content,
                    bounds: std::sync::OnceLock::new(),
                    strong: false,
                });
                self.lex_mut(&form).spun = index;
            } else {
                let spun = &mut self.spun.owned_mut()[existing as usize];
                for o in originals {
                    if !spun.originals.iter().any(|x| x.text == o.text) {
                        spun.originals.push(o);
                    }
                }
            }
            return;
        }
        let (words, breaks) = self.phrase_ids(&entry.artifact);
        let mut conditions = CompiledConditions {
            within: entry.conditions.within,
            ..Default::default()
        };
        let mut condition = |engine: &mut Engine, phrase: &str| -> u32 {
            if let Some(&id) = condition_ids.get(phrase) {
                return id;
            }
            let id = condition_ids.len() as u32;
            condition_ids.insert(phrase.to_string(), id);
            let (ids, breaks) = engine.phrase_ids(phrase);
            if !ids.is_empty() {
                engine.trie.insert(&ids, Terminal::Condition(id));
                engine.condition_breaks.push(breaks);
            } else {
                engine.condition_breaks.push(Vec::new());
            }
            id
        };
        for group in &entry.conditions.requires {
            let ids = group.iter().map(|p| condition(self, p)).collect();
            conditions.requires.push(ids);
        }
        for phrase in &entry.conditions.excludes {
            let id = condition(self, phrase);
            conditions.excludes.push(id);
        }
        let index = self.phrases.len() as u32;
        if conditions.within.is_some() && words.len() > 1 {
            self.proximity.entry(words[0]).or_default().push(index);
            set_bit(&mut self.proximity_first, words[0] as usize);
        } else {
            self.trie.insert(&words, Terminal::Phrase(index));
        }
        self.phrases.owned_mut().push(Phrase {
            artifact: Text::Owned(entry.artifact.clone()),
            words,
            breaks,
            originals: entry.originals.iter().cloned().map(Text::Owned).collect(),
            dict,
            kind,
            conditions,
            uncertain: entry.uncertain,
            papers: entry.papers,
        });
    }
}
