//! One-letter typos in phrase words: an index of single deletions of every
//! phrase word as written, built on the first look-up (most short texts never
//! need one, and its 45,000 keys would cost a start-up a third of what the
//! whole prebuilt engine does), and the look-up of an unknown word of a text
//! through it (optimal string alignment distance via `strsim`).

use super::{variants, Engine, Lex, NONE};
use crate::text::{self, Word};
use rustc_hash::FxHashMap;

/// Single deletions (and the forms themselves) of the phrase words as
/// written, each to the indices of the forms in `typo_forms` it comes from.
pub(super) type TypoIndex = FxHashMap<Box<str>, Vec<u32>>;

/// Words this short are never matched with a typo.
pub(super) const MIN_TYPO_LEN: usize = 6;
/// Words this long are never matched with a typo (no dictionary word is that
/// long, and the deletion search grows with the square of the length).
pub(super) const MAX_TYPO_LEN: usize = 32;

impl Engine {
    /// The typo index, built on first use.
    fn typo_index(&self) -> &TypoIndex {
        self.typo_index.get_or_init(|| {
            let mut typo_index = TypoIndex::default();
            for (index, word) in self.typo_forms.iter().enumerate() {
                if word.chars().count() < MIN_TYPO_LEN || !word.chars().all(char::is_alphabetic)
                {
                    continue;
                }
                variants::for_each_deletion(word, |form| {
                    typo_index
                        .entry(form.into())
                        .or_default()
                        .push(index as u32)
                });
                typo_index
                    .entry(Box::from(&**word))
                    .or_default()
                    .push(index as u32);
            }
            for ids in typo_index.values_mut() {
                ids.sort_unstable();
                ids.dedup();
            }
            typo_index
        })
    }

    /// A phrase word within one edit (insertion, deletion, substitution or swap of
    /// neighbours) of an unknown word `form` of six letters or more.
    pub(super) fn typo_match(&self, form: &str) -> Vec<u32> {
        if form.len() > MAX_TYPO_LEN
            || form.chars().count() < MIN_TYPO_LEN
            || !form.chars().all(char::is_alphabetic)
        {
            return Vec::new();
        }
        let mut found: Vec<u32> = Vec::new();
        let mut consider = |ids: Option<&Vec<u32>>| {
            for &index in ids.into_iter().flatten() {
                let candidate = &self.typo_forms[index as usize];
                if strsim::osa_distance(form, candidate) <= 1 {
                    let id = self.lexicon.get(candidate).map_or(NONE, |l| l.word);
                    if id != NONE && !found.contains(&id) {
                        found.push(id);
                    }
                }
            }
        };
        let typo_index = self.typo_index();
        consider(typo_index.get(form));
        variants::for_each_deletion(form, |deletion| consider(typo_index.get(deletion)));
        found.sort_unstable();
        found
    }

    /// Reads the unknown words at `unknown` (ascending) through a one-letter
    /// typo, and returns those that stand for a phrase word with the words
    /// they may stand for. A typo is looked for only beside a word of a phrase
    /// spelled right (a phrase is found with a typo in one of its words), and
    /// not in a capitalised word inside a sentence: most unknown words of
    /// ordinary text are such names, and their deletion probes are saved.
    pub(super) fn find_typos(
        &self,
        words: &[Word],
        lex: &mut [Lex],
        unknown: &[usize],
    ) -> Vec<(usize, Vec<u32>)> {
        let mut typo = Vec::new();
        let mut buf = String::new();
        for &i in unknown {
            let beside_phrase_word = (i > 0 && lex[i - 1].word != NONE)
                || lex.get(i + 1).is_some_and(|l| l.word != NONE);
            // A capitalised unknown word inside a sentence is a name (most of
            // the unknown words of news copy are), not a mistyped phrase word.
            let name = !words[i].break_before && words[i].is_capitalized();
            if !beside_phrase_word || name {
                continue;
            }
            let found = self.typo_match(text::lowercase_into(words[i].text, &mut buf));
            if let Some(&first) = found.first() {
                lex[i].word = first;
                typo.push((i, found));
            }
        }
        typo
    }
}
