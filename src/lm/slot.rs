//! Slot scores: how well a candidate fills its place between its neighbours.
//!
//! To tell an artifact from the word it replaced, a caller scores both in the
//! same slot. A word changes the probability of exactly the trigrams it stands
//! in: the ones that end at it, the one with it in the middle and the one that
//! starts with it, that is the terms for the word itself and for the two words
//! after it. Their sum is the slot score; the difference between two
//! candidates' scores is the log10 likelihood ratio of the two readings of the
//! text, since every other term is the same for both.

use super::model::{TrigramModel, WordId};

impl TrigramModel<'_> {
    /// The log10 probability of the terms a candidate changes: `candidate`'s
    /// words after the last two words of `left`, and the first two words of
    /// `right` after the candidate. `candidate` may have several words (a
    /// phrase and its original need not have the same length).
    pub fn slot_log10(&self, left: &[WordId], candidate: &[WordId], right: &[WordId]) -> f64 {
        let left = &left[left.len().saturating_sub(2)..];
        let right = &right[..right.len().min(2)];
        let mut words = Vec::with_capacity(left.len() + candidate.len() + right.len());
        words.extend_from_slice(left);
        words.extend_from_slice(candidate);
        words.extend_from_slice(right);
        self.sequence_log10(&words, left.len())
    }

    /// [`TrigramModel::slot_log10`] over spellings. A left neighbour the model
    /// does not know cuts the history there (only the known words after it
    /// count), a right neighbour it does not know ends the right context; a
    /// candidate word it does not know gives `None`.
    pub fn slot_log10_text(
        &self,
        left: &[&str],
        candidate: &[&str],
        right: &[&str],
    ) -> Option<f64> {
        let mut left_ids = Vec::with_capacity(2);
        for w in &left[left.len().saturating_sub(2)..] {
            match self.word(w) {
                Some(id) => left_ids.push(id),
                None => left_ids.clear(),
            }
        }
        let candidate_ids = candidate
            .iter()
            .map(|w| self.word(w))
            .collect::<Option<Vec<_>>>()?;
        let right_ids: Vec<WordId> = right.iter().take(2).map_while(|w| self.word(w)).collect();
        Some(self.slot_log10(&left_ids, &candidate_ids, &right_ids))
    }
}
