//! Sections: a long text's document-level evidence is weighed in parts of
//! 2,000 to 4,000 words, like the chapters or articles it is made of, and the
//! per-section slots that count and pool each artifact's occurrences.

use super::NONE;
use crate::text::Word;

/// A section holds at least this many words (unless the text is shorter):
/// the labelled documents of the harness (up to 2,000 words) and nearly all
/// news articles are one section.
pub(super) const SECTION_WORDS: usize = 2_000;

/// The sections of a text whose document-level evidence is weighed together:
/// `n / SECTION_WORDS` of about equal length (so 2,000 to 4,000 words each),
/// each ending at a break (punctuation), where a word reads no neighbour
/// across. A text without a break past the cut stays one section.
pub(super) fn sections(words: &[Word]) -> Vec<std::ops::Range<usize>> {
    let n = words.len();
    let count = (n / SECTION_WORDS).max(1);
    let mut out = Vec::with_capacity(count);
    let mut start = 0;
    for k in 1..=count {
        let end = if k == count {
            n
        } else {
            let target = (n * k / count).max(start + 1);
            (target..n).find(|&i| words[i].break_before).unwrap_or(n)
        };
        if end > start {
            out.push(start..end);
            start = end;
        }
    }
    out
}

/// The artifacts of the section being scored, each in a slot of its own, so
/// that counting their occurrences and pooling their evidence need no
/// hashing. Kept per thread ([`ScanBuffers`]) and reused: `slot_of` (one
/// entry per artifact of the engine) is reset from `ids` when the next
/// section starts.
#[derive(Debug, Default)]
pub(super) struct SectionArtifacts {
    /// The slot of each artifact id, or [`NONE`].
    pub(super) slot_of: Vec<u32>,
    /// The artifact id in each slot.
    pub(super) ids: Vec<u32>,
    pub(super) keep: Vec<Keep>,
    pub(super) pooled: Vec<Pooled>,
}

impl SectionArtifacts {
    /// Empties every slot, for an engine of `artifacts` artifacts.
    pub(super) fn start(&mut self, artifacts: usize) {
        for &id in &self.ids {
            if let Some(slot) = self.slot_of.get_mut(id as usize) {
                *slot = NONE;
            }
        }
        if self.slot_of.len() < artifacts {
            self.slot_of.resize(artifacts, NONE);
        }
        self.ids.clear();
        self.keep.clear();
        self.pooled.clear();
    }

    /// The slot of artifact `id`, given one if it has none yet.
    #[inline]
    pub(super) fn slot(&mut self, id: u32) -> u32 {
        let slot = &mut self.slot_of[id as usize];
        if *slot == NONE {
            *slot = self.ids.len() as u32;
            self.ids.push(id);
            self.keep.push(Keep::default());
            self.pooled.push(Pooled::default());
        }
        *slot
    }
}

/// The second cut's view of one artifact in a document.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Keep {
    pub(super) occurrences: u32,
    pub(super) kept: bool,
}

/// The evidence of all occurrences of one artifact in a document, summed
/// (their number is in [`Keep`]).
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Pooled {
    pub(super) logit: f64,
    /// The part of `logit` that the context comparison makes.
    pub(super) context: f64,
}

#[cfg(test)]
mod tests {
    use super::{sections, SECTION_WORDS};
    use crate::text;

    #[test]
    fn sections_cover_the_text_in_order_and_end_at_breaks() {
        for (sentences, words_each) in [(0, 6), (1, 6), (600, 6), (1_000, 7), (2_001, 3)] {
            let text = "alpha beta gamma delta epsilon zeta eta "
                .split(' ')
                .take(words_each)
                .collect::<Vec<_>>()
                .join(" ")
                + ". ";
            let text = text.repeat(sentences);
            let words: Vec<_> = text::words(&text).collect();
            let found = sections(&words);
            let mut next = 0;
            for s in &found {
                assert_eq!(s.start, next, "contiguous");
                assert!(words[s.start].break_before, "starts after a break");
                next = s.end;
            }
            assert_eq!(next, words.len(), "covers every word");
            let n = words.len();
            if n < 2 * SECTION_WORDS {
                assert!(found.len() <= 1, "{n} words: one section");
            } else {
                for s in &found {
                    assert!(s.len() >= SECTION_WORDS, "{n} words: {s:?} too short");
                    assert!(s.len() < 2 * SECTION_WORDS + words_each, "{s:?} too long");
                }
            }
        }
    }

    #[test]
    fn a_text_without_breaks_is_one_section() {
        let text = "word ".repeat(10_000);
        let words: Vec<_> = text::words(&text).collect();
        assert_eq!(sections(&words), vec![0..10_000]);
    }
}
