//! Trigram evidence for one candidate: how much likelier the embedded trigram
//! model ([`crate::lm`]) finds the text with the original in the artifact's
//! place, reading the two words on either side.
//!
//! The bigram counts of [`super::context`] come from a few million words and
//! see one neighbour each side; "connected Friday" and "on Friday" may both be
//! unseen there. The trigram model was estimated on far more text and scores
//! every term the swap changes (the ones ending at the candidate, spanning it
//! and starting after it), so its log10 likelihood ratio is evidence that
//! stands on its own, without the document-level prior: a one-sentence text
//! can be judged by it.

use super::judge::Scored;
use super::scan::Document;
use super::scorer::NEIGHBOUR_REPLACE_LOGIT;
use super::Engine;
use crate::lm::{TrigramModel, WordId};
use crate::text;

/// The words around one candidate as the trigram model reads them: up to two
/// on each side within the candidate's stretch of text (a break, such as a
/// comma or a full stop, ends it), neighbours already read as their originals
/// in their original form. A capitalised word at a break is read as a
/// sentence start.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct TrigramSlot {
    left: [Option<WordId>; 2],
    right: [Option<WordId>; 2],
}

impl TrigramSlot {
    fn left(&self) -> impl Iterator<Item = WordId> + '_ {
        self.left.iter().flatten().copied()
    }

    fn right(&self) -> impl Iterator<Item = WordId> + '_ {
        self.right.iter().map_while(|w| *w)
    }

    /// log10 P of the terms `candidate` changes in this slot: what
    /// [`TrigramModel::slot_log10`] gives, without its allocation.
    pub(super) fn log10(&self, lm: &TrigramModel<'_>, candidate: &[WordId]) -> f64 {
        let mut words = [WordId::new(0); 4 + FORM_WORDS];
        let mut n = 0;
        for w in self.left() {
            words[n] = w;
            n += 1;
        }
        let from = n;
        for &w in candidate.iter().take(FORM_WORDS) {
            words[n] = w;
            n += 1;
        }
        for w in self.right() {
            words[n] = w;
            n += 1;
        }
        lm.sequence_log10(&words[..n], from)
    }
}

/// The model's ids of a dictionary form of up to [`FORM_WORDS`] words: kept
/// on the stack, since a form is looked up for every original of every
/// scored candidate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct FormIds {
    ids: [WordId; FORM_WORDS],
    len: usize,
}

/// Longest form [`form_ids`] reads; a longer one is treated as unknown.
pub(super) const FORM_WORDS: usize = 4;

impl std::ops::Deref for FormIds {
    type Target = [WordId];
    fn deref(&self) -> &[WordId] {
        &self.ids[..self.len]
    }
}

/// The model's id of one word in any case; `buf` is used only when the word
/// is not already lower-case ASCII.
fn word_id(lm: &TrigramModel<'_>, word: &str, buf: &mut String) -> Option<WordId> {
    if word
        .bytes()
        .all(|b| !b.is_ascii_uppercase() && b.is_ascii())
    {
        lm.word(word)
    } else {
        text::lowercase_into(word, buf);
        lm.word(buf)
    }
}

/// The model's ids of a dictionary form (one or more words, any case), or
/// `None` when it does not know one of them.
pub(super) fn form_ids(lm: &TrigramModel<'_>, form: &str, buf: &mut String) -> Option<FormIds> {
    let mut out = FormIds {
        ids: [WordId::new(0); FORM_WORDS],
        len: 0,
    };
    for w in form.split_whitespace() {
        if out.len == FORM_WORDS {
            return None;
        }
        out.ids[out.len] = word_id(lm, w, buf)?;
        out.len += 1;
    }
    (out.len > 0).then_some(out)
}

impl Engine {
    /// The trigram model's reading of the slot of word `i`; `read_as(k)`
    /// gives the model id of the original that neighbour `k` is read as, or
    /// `None` when it is read as written.
    pub(super) fn trigram_slot(
        &self,
        doc: &Document,
        i: usize,
        read_as: &dyn Fn(usize) -> Option<WordId>,
        buf: &mut String,
    ) -> TrigramSlot {
        let lm = crate::lm::embedded();
        let words = doc.words;
        let mut id_of = |k: usize| read_as(k).or_else(|| word_id(lm, words[k].text, buf));
        let mut slot = TrigramSlot::default();
        // Left: nearest first, then reversed into reading order. A word the
        // model does not know cuts the history there; a sentence start is
        // read as the model's sentence-start marker.
        let mut left = [None; 2];
        let mut k = i;
        for place in &mut left {
            if words[k].break_before {
                if doc.sentence_start(k) {
                    *place = lm.sentence_start();
                }
                break;
            }
            k -= 1;
            match id_of(k) {
                Some(id) => *place = Some(id),
                None => break,
            }
        }
        slot.left = [left[1], left[0]];
        for place in 0..2 {
            let k = i + 1 + place;
            match words.get(k) {
                Some(w) if !w.break_before => match id_of(k) {
                    Some(id) => slot.right[place] = Some(id),
                    None => break,
                },
                _ => break,
            }
        }
        slot
    }

    /// How much better, in powers of ten, `original` suits the place of word
    /// `i` than the word as written does, by the trigram model and with each
    /// word's own frequency taken out (the likelihood ratio of the two
    /// readings over the ratio of their unigram probabilities), or `None`
    /// when the model does not know one of them.
    pub(super) fn trigram_ratio(
        &self,
        doc: &Document,
        i: usize,
        original: &str,
        read_as: &dyn Fn(usize) -> Option<WordId>,
    ) -> Option<f64> {
        let lm = crate::lm::embedded();
        let mut buf = String::new();
        let artifact = form_ids(lm, doc.words[i].text, &mut buf)?;
        let original = form_ids(lm, original, &mut buf)?;
        let slot = self.trigram_slot(doc, i, read_as, &mut buf);
        let unigrams =
            |form: &FormIds| -> f64 { form.iter().map(|&w| lm.log10_prob(&[], w)).sum() };
        // Frequency taken out (the scorer weighs the Zipf gap on its own):
        // how much better the slot suits the original than its base rate
        // says, against the same for the word as written.
        Some(
            (slot.log10(lm, &original) - unigrams(&original))
                - (slot.log10(lm, &artifact) - unigrams(&artifact)),
        )
    }
}

impl Engine {
    /// The most [`Engine::trigram_verdicts`] can raise a logit: a candidate
    /// is cut unscored only when its bound falls short of the threshold by
    /// more.
    pub(super) fn trigram_room(&self) -> f64 {
        let t = &self.tuning;
        (t.trigram_for * t.trigram_limit - t.trigram_shift).max(0.0)
    }

    /// The trigram verdict on a section's scored candidates (in text order,
    /// after pooling): each one whose logit reaches the tuning's
    /// `trigram_floor` reads its own slot in the trigram model, and the log10
    /// likelihood ratio of its top original against it, clamped to
    /// `trigram_limit`, moves its logit by `trigram_for` (ratio above zero)
    /// or `trigram_against` (below) per power of ten, less `trigram_shift`
    /// (the bigram scorer's prior was set for candidates judged by it alone). It is per occurrence:
    /// an occurrence whose own slot favours the word as written is judged by
    /// that slot, whatever the other occurrences say. Neighbours that are
    /// flagged are read as their top originals. A candidate that even the
    /// largest gain ([`Engine::trigram_room`]) could not lift to `min_logit`
    /// is not read: it is not reported either way, and its model lookups
    /// (random reads in a 27 MB file) are most of the stage's cost in clean
    /// text; it counts as a near miss at its bigram logit.
    pub(super) fn trigram_verdicts(&self, doc: &Document, scored: &mut [Scored], min_logit: f64) {
        let t = &self.tuning;
        if t.trigram_for == 0.0 && t.trigram_against == 0.0 {
            return;
        }
        let lm = crate::lm::embedded();
        let room = self.trigram_room();
        let original_of = |s: &Scored| {
            let spun = &self.spun[doc.lex[s.index].spun as usize];
            &*spun.originals[s.ranked[0].rank].text
        };
        let deltas: Vec<f64> = {
            let scored = &*scored;
            let read_as = |k: usize| {
                let pos = scored.binary_search_by_key(&k, |s| s.index).ok()?;
                let s = &scored[pos];
                if s.logit < NEIGHBOUR_REPLACE_LOGIT {
                    return None;
                }
                let mut buf = String::new();
                match form_ids(lm, original_of(s), &mut buf)?.as_ref() {
                    [one] => Some(*one),
                    _ => None,
                }
            };
            scored
                .iter()
                .map(|s| {
                    if s.logit < t.trigram_floor || s.logit + room < min_logit {
                        return 0.0;
                    }
                    let Some(ratio) = self.trigram_ratio(doc, s.index, original_of(s), &read_as)
                    else {
                        return 0.0;
                    };
                    let ratio = ratio.clamp(-t.trigram_limit, t.trigram_limit);
                    let weight = if ratio >= 0.0 {
                        t.trigram_for
                    } else {
                        t.trigram_against
                    };
                    weight * ratio - t.trigram_shift
                })
                .collect()
        };
        for (s, d) in scored.iter_mut().zip(deltas) {
            s.logit += d;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(words: &[&str]) -> Vec<WordId> {
        let lm = crate::lm::embedded();
        words.iter().map(|w| lm.word(w).unwrap()).collect()
    }

    #[test]
    fn a_slot_reads_two_words_each_side_and_scores_the_swap_like_the_model() {
        let lm = crate::lm::embedded();
        let slot = TrigramSlot {
            left: [Some(ids(&["to"])[0]), Some(ids(&["mexico"])[0])],
            right: [Some(ids(&["friday"])[0]), None],
        };
        let on = slot.log10(lm, &ids(&["on"]));
        let connected = slot.log10(lm, &ids(&["connected"]));
        let direct = lm
            .slot_log10_text(&["to", "mexico"], &["on"], &["friday"])
            .unwrap();
        assert!((on - direct).abs() < 1e-9);
        assert!(on > connected + 1.0, "{on} against {connected}");
    }

    #[test]
    fn a_form_the_model_does_not_know_has_no_ids() {
        let lm = crate::lm::embedded();
        let mut buf = String::new();
        assert_eq!(
            form_ids(lm, "In", &mut buf).as_deref(),
            Some(&ids(&["in"])[..])
        );
        assert_eq!(
            form_ids(lm, "in front of", &mut buf).map(|v| v.len()),
            Some(3)
        );
        assert_eq!(form_ids(lm, "qzxqzxq", &mut buf), None);
    }
}
