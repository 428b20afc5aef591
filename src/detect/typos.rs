//! One-letter typos in phrase words: an index of single deletions of every
//! phrase word as written, built when the engine is compiled (and so part of
//! the prebuilt image), and the look-up of an unknown word of a text through
//! it (optimal string alignment distance via `strsim`).
//!
//! The index is flat: its 45,000 keys sorted and concatenated, with their ends
//! and their form indices as little-endian `u32` arrays, searched by bisection.
//! Decoded from the image it borrows all of that in place; as a hash map of
//! boxed keys it cost a start-up 36 M instructions to rebuild.

use super::prebuilt::{borrowed, Text};
use super::{variants, Engine, Lex, NONE};
use crate::text::{self, Word};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::BTreeMap;

/// Words this short are never matched with a typo.
pub(super) const MIN_TYPO_LEN: usize = 6;
/// Words this long are never matched with a typo (no dictionary word is that
/// long, and the deletion search grows with the square of the length).
pub(super) const MAX_TYPO_LEN: usize = 32;

/// Single deletions (and the forms themselves) of the phrase words as
/// written, each to the indices of the forms in `typo_forms` it comes from.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(bound(deserialize = "'de: 'static"))]
pub(super) struct TypoIndex {
    /// The keys in byte order, one after another.
    #[serde(deserialize_with = "borrowed::text")]
    keys: Text,
    /// Where each key ends in `keys`.
    key_ends: U32s,
    /// Where each key's form indices end in `forms`.
    form_ends: U32s,
    /// Indices into `typo_forms`, ascending within each key.
    forms: U32s,
}

/// Little-endian `u32`s, borrowed from the image when decoded.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(bound(deserialize = "'de: 'static"))]
struct U32s(
    #[serde(serialize_with = "as_bytes", deserialize_with = "borrowed::bytes")] Cow<'static, [u8]>,
);

fn as_bytes<S: serde::Serializer>(bytes: &Cow<'static, [u8]>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_bytes(bytes)
}

impl U32s {
    fn from_values(values: impl IntoIterator<Item = u32>) -> Self {
        U32s(Cow::Owned(
            values.into_iter().flat_map(u32::to_le_bytes).collect(),
        ))
    }

    fn len(&self) -> usize {
        self.0.len() / 4
    }

    #[inline]
    fn get(&self, i: usize) -> u32 {
        let b = &self.0[i * 4..i * 4 + 4];
        u32::from_le_bytes([b[0], b[1], b[2], b[3]])
    }
}

impl TypoIndex {
    /// The index over `forms` (the phrase words as written).
    pub(super) fn build(forms: &[Text]) -> Self {
        let mut map: BTreeMap<String, Vec<u32>> = BTreeMap::new();
        for (index, word) in forms.iter().enumerate() {
            if word.chars().count() < MIN_TYPO_LEN || !word.chars().all(char::is_alphabetic) {
                continue;
            }
            variants::for_each_deletion(word, |form| {
                map.entry(form.to_string()).or_default().push(index as u32)
            });
            map.entry(word.to_string()).or_default().push(index as u32);
        }
        let (mut keys, mut key_ends, mut form_ends, mut all) =
            (String::new(), Vec::new(), Vec::new(), Vec::new());
        for (key, mut ids) in map {
            ids.sort_unstable();
            ids.dedup();
            keys.push_str(&key);
            key_ends.push(keys.len() as u32);
            all.extend(ids);
            form_ends.push(all.len() as u32);
        }
        TypoIndex {
            keys: Text::Owned(keys),
            key_ends: U32s::from_values(key_ends),
            form_ends: U32s::from_values(form_ends),
            forms: U32s::from_values(all),
        }
    }

    fn key(&self, i: usize) -> &str {
        let start = if i == 0 {
            0
        } else {
            self.key_ends.get(i - 1) as usize
        };
        &self.keys[start..self.key_ends.get(i) as usize]
    }

    /// The form indices of `key`, if it is one.
    fn get(&self, key: &str) -> Option<impl Iterator<Item = u32> + '_> {
        let (mut lo, mut hi) = (0, self.key_ends.len());
        while lo < hi {
            let mid = (lo + hi) / 2;
            match self.key(mid).cmp(key) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => {
                    let start = if mid == 0 {
                        0
                    } else {
                        self.form_ends.get(mid - 1) as usize
                    };
                    let end = self.form_ends.get(mid) as usize;
                    return Some((start..end).map(|j| self.forms.get(j)));
                }
            }
        }
        None
    }
}

impl Engine {
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
        let mut consider = |key: &str| {
            for index in self.typo_index.get(key).into_iter().flatten() {
                let candidate = &self.typo_forms[index as usize];
                if strsim::osa_distance(form, candidate) <= 1 {
                    let id = self.lexicon.get(candidate).map_or(NONE, |l| l.word);
                    if id != NONE && !found.contains(&id) {
                        found.push(id);
                    }
                }
            }
        };
        consider(form);
        variants::for_each_deletion(form, &mut consider);
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

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(index: &TypoIndex, key: &str) -> Option<Vec<u32>> {
        index.get(key).map(Iterator::collect)
    }

    #[test]
    fn the_flat_typo_index_finds_each_form_and_its_single_deletions_and_nothing_else() {
        let forms: Vec<Text> = ["learning", "leaning", "forest", "woodland"]
            .into_iter()
            .map(|f| Text::Owned(f.to_string()))
            .collect();
        let index = TypoIndex::build(&forms);
        assert_eq!(ids(&index, "learning"), Some(vec![0]));
        // "leaning" is both a form and a deletion of "learning".
        assert_eq!(ids(&index, "leaning"), Some(vec![0, 1]));
        assert_eq!(ids(&index, "woodlnd"), Some(vec![3]));
        // Six letters, the shortest form indexed.
        assert_eq!(ids(&index, "forest"), Some(vec![2]));
        assert_eq!(ids(&index, "fores"), Some(vec![2]));
        // Not one deletion away from any form.
        assert_eq!(ids(&index, "wood"), None);
        assert_eq!(ids(&index, ""), None);
        assert_eq!(ids(&index, "zzzzzzzz"), None);
        // Decoded from its image, it answers the same.
        let bytes: &'static [u8] = postcard::to_allocvec(&index).unwrap().leak();
        let back: TypoIndex = postcard::from_bytes(bytes).unwrap();
        for key in ["learning", "leaning", "woodlnd", "fores", "wood"] {
            assert_eq!(ids(&back, key), ids(&index, key), "{key}");
        }
    }
}
