//! Judging one candidate: how well each likely original fits between the
//! neighbours against the artifact, and the originals ranked.

use super::compile::Original;
use super::cues::{Cues, WordClass};
use super::features::Features;
use super::scan::Document;
use super::{Engine, NONE};

/// Weight of the Zipf gap when ranking originals.
pub(super) const RANK_GAP_WEIGHT: f64 = 1.0;
/// Penalty per place down the dictionary's list when ranking originals.
pub(super) const RANK_ORDER_PENALTY: f64 = 2.0;
/// Places down the list that count: past the first three originals the
/// dictionary's order says little (the generator ranks them by weak
/// evidence), and a function word at sixth place ("person -> have") must be
/// able to win on context. Harness, with the function-word originals the
/// generator keeps past fifth place: function-word recall 0.865 -> 0.874,
/// precision 0.954 -> 0.953 (1 place: 0.880 at 0.949; 3 places: 0.867 at
/// 0.954).
pub(super) const RANK_ORDER_PLACES: usize = 2;

/// One original's standing against the artifact.
#[derive(Debug, Clone)]
pub(super) struct Ranked {
    pub(super) rank: usize,
    pub(super) context: f64,
    pub(super) gap: f64,
    pub(super) order: f64,
    pub(super) curated: bool,
}

/// A candidate's evidence.
#[derive(Debug, Clone)]
pub(crate) struct Scored {
    pub(super) index: usize,
    pub(super) ranked: Vec<Ranked>,
    pub(super) artifact_association: f64,
    pub(super) artifact_zipf: f64,
    pub(super) original_class: WordClass,
    pub(super) artifact_closed: bool,
    pub(super) capitalized: bool,
    pub(super) sentence_start: bool,
    pub(super) cues: Cues,
    pub(super) density: f64,
    /// How often the artifact occurs among the section's candidates.
    pub(super) occurrences: u32,
    /// Words in the section.
    pub(super) section_words: u32,
    pub(super) logit: f64,
}

impl Scored {
    pub(super) fn features(&self, curated: bool) -> Features {
        let top = &self.ranked[0];
        Features {
            context: top.context.clamp(-CONTEXT_LIMIT, CONTEXT_LIMIT),
            gap: top.gap,
            artifact_zipf: self.artifact_zipf,
            original_closed: self.original_class != WordClass::Content,
            artifact_closed: self.artifact_closed,
            capitalized: self.capitalized,
            sentence_start: self.sentence_start,
            density: self.density,
            artifact_association: self
                .artifact_association
                .clamp(-CONTEXT_LIMIT, CONTEXT_LIMIT),
            cues: self.cues,
            original_class: self.original_class,
            curated,
            occurrences: self.occurrences,
            section_words: self.section_words,
        }
    }

    pub(super) fn with_top_class(mut self, originals: &[Original]) -> Self {
        self.original_class = originals[self.ranked[0].rank].class;
        self
    }

    /// Strong evidence on its own: a rare word standing where a far commoner
    /// one fits at least as well ("conscionable", "debar", "antecedently").
    pub(super) fn is_strong(&self) -> bool {
        let top = &self.ranked[0];
        self.artifact_zipf <= STRONG_MAX_ZIPF && top.gap >= STRONG_MIN_GAP && top.context >= 0.0
    }
}

/// Context evidence (and the artifact's own association) is clamped to
/// plus or minus this many nats (a factor of 20): beyond it, counts from 3
/// million words tell little more (the harness gives the same precision and
/// recall, within 0.005, with a clamp at 3, 4 or 10 nats), and the tighter
/// the clamp, the more candidates the bound lets the scorer skip unscored
/// (a clamp at 10 nats made the whole check almost four times slower).
pub(super) const CONTEXT_LIMIT: f64 = 3.0;

/// A rare artifact is at most this common (Zipf) to count as strong evidence.
pub(super) const STRONG_MAX_ZIPF: f64 = 2.5;
/// ... and its original at least this much more common.
pub(super) const STRONG_MIN_GAP: f64 = 2.0;

impl Engine {
    pub(super) fn neighbour_ids(&self, doc: &Document, i: usize, replaced: &[u32]) -> (u32, u32) {
        let words = doc.words;
        let model_of = |k: usize| {
            if replaced[k] != NONE {
                replaced[k]
            } else {
                doc.lex[k].model
            }
        };
        let left = if words[i].break_before {
            self.model.break_id()
        } else {
            self.model.neighbour(model_of(i - 1))
        };
        let right = match words.get(i + 1) {
            None => self.model.break_id(),
            Some(w) if w.break_before => self.model.break_id(),
            Some(_) => self.model.neighbour(model_of(i + 1)),
        };
        (left, right)
    }

    /// The evidence for one candidate, before the document density is known,
    /// in a section of `section.1` words where its artifact occurs
    /// `section.0` times.
    pub(super) fn judge(
        &self,
        doc: &Document,
        i: usize,
        replaced: &[u32],
        section: (u32, u32),
    ) -> Scored {
        let spun = &self.spun[doc.lex[i].spun as usize];
        let sentence_start = doc.capital_read_lower(i);
        let (left, right) = self.neighbour_ids(doc, i, replaced);
        let artifact_association = self.model.suspect_association(left, spun.model, right);
        let mut ranked: Vec<Ranked> = spun
            .originals
            .iter()
            .enumerate()
            .map(|(rank, o)| {
                let context = self.model.association(left, o.model, right) - artifact_association;
                let gap = f64::from(o.zipf - spun.zipf);
                // Rank originals by fit, frequency and the dictionary's order
                // (which says how many spinner families produce the pair).
                let places_down = rank.min(RANK_ORDER_PLACES) as f64;
                let order = context + RANK_GAP_WEIGHT * gap - RANK_ORDER_PENALTY * places_down;
                Ranked {
                    rank,
                    context,
                    gap,
                    order,
                    curated: o.curated,
                }
            })
            .collect();
        // Originals observed in real spun text come before thesaurus guesses.
        ranked.sort_by(|a, b| b.curated.cmp(&a.curated).then(b.order.total_cmp(&a.order)));
        Scored {
            index: i,
            ranked,
            artifact_association,
            artifact_zipf: f64::from(spun.zipf),
            original_class: spun.originals[0].class,
            artifact_closed: spun.closed,
            capitalized: doc.words[i].is_capitalized() && !sentence_start,
            sentence_start,
            cues: doc.cues(i),
            density: 0.0,
            occurrences: section.0,
            section_words: section.1,
            logit: 0.0,
        }
        .with_top_class(&spun.originals)
    }
}
