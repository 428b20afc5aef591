//! Pruning bounds: upper bounds of a candidate's logit from what is known
//! before its neighbours are read, so that the scorer skips the candidates
//! that cannot reach the threshold (most of them) unscored.

use super::compile::SpunWord;
use super::cues::{Cues, WordClass};
use super::features::{Features, SHORTFALL_REACH};
use super::judge::CONTEXT_LIMIT;
use super::{Engine, Tuning};

/// The first cut's bounds ([`SpunBounds::any`]) of every artifact, level by
/// level (`level * artifacts + id`), as `f32` bits: read for every
/// candidate, so kept dense, away from the rest of each artifact. Filled on
/// first use like [`SpunWord::bounds`]; threads that race store the same
/// value.
#[derive(Debug, Default)]
pub(super) struct FirstCut(Box<[std::sync::atomic::AtomicU32]>);

impl FirstCut {
    /// Not computed yet (a NaN no bound has).
    pub(super) const UNSET: u32 = u32::MAX;

    pub(super) fn new(artifacts: usize) -> Self {
        FirstCut(
            (0..artifacts * DENSITY_LEVELS.len())
                .map(|_| std::sync::atomic::AtomicU32::new(Self::UNSET))
                .collect(),
        )
    }
}

impl Clone for FirstCut {
    fn clone(&self) -> Self {
        FirstCut(
            self.0
                .iter()
                .map(|b| {
                    std::sync::atomic::AtomicU32::new(b.load(std::sync::atomic::Ordering::Relaxed))
                })
                .collect(),
        )
    }
}

/// [`SpunWord::bounds`]: upper bounds of its logit at each of the
/// [`DENSITY_LEVELS`].
#[derive(Debug, Clone, Copy)]
pub(super) struct SpunBounds {
    /// However often the artifact occurs in the section.
    pub(super) any: [f32; DENSITY_LEVELS.len()],
    /// When it occurs at most [`FEW_OCCURRENCES`] times.
    pub(super) few: [f32; DENSITY_LEVELS.len()],
}

/// [`SpunBounds::few`] holds for artifacts that occur at most this often:
/// most do, and repetition counts for little below it.
pub(super) const FEW_OCCURRENCES: u32 = 2;

/// Densities at which [`SpunWord::bounds`] are kept; the last is replaced by
/// [`Tuning::max_density`].
pub(super) const DENSITY_LEVELS: [f64; 5] = [0.0, 0.25, 0.5, 1.0, f64::INFINITY];

impl Engine {
    /// [`SpunBounds::any`] of artifact `id` at density `level`, from
    /// [`Engine::first_cut`].
    #[inline]
    pub(super) fn first_cut_bound(&self, id: u32, level: usize) -> f32 {
        let n = self.spun.len();
        let at = |level: usize| &self.first_cut.0[level * n + id as usize];
        let bits = at(level).load(std::sync::atomic::Ordering::Relaxed);
        if bits != FirstCut::UNSET {
            return f32::from_bits(bits);
        }
        let bounds = self.spun_bounds(&self.spun[id as usize]);
        for (l, bound) in bounds.any.iter().enumerate() {
            at(l).store(bound.to_bits(), std::sync::atomic::Ordering::Relaxed);
        }
        bounds.any[level]
    }

    /// `spun`'s [`SpunWord::bounds`] for the current tuning.
    pub(super) fn spun_bounds<'s>(&self, spun: &'s SpunWord) -> &'s SpunBounds {
        spun.bounds.get_or_init(|| {
            let t = &self.tuning;
            // The cues and capitalisation that raise the logit most.
            let cues = Cues {
                next_opens_noun_phrase: t.weights[Features::PREP_BEFORE_NP] > 0.0,
                after_determiner: t.weights[Features::PREP_AFTER_DET] > 0.0,
                after_auxiliary: t.weights[Features::ADVERB_AFTER_AUX] > 0.0,
                after_subject: t.weights[Features::MODAL_AFTER_SUBJECT] > 0.0,
            };
            let capitalized = t.weights[Features::CAPITALIZED] > 0.0;
            let levels = DENSITY_LEVELS.map(|level| level.min(t.max_density));
            // Rounded up: a bound must never fall below the logit.
            let bounds = |occurrences: f64| {
                t.logit_bounds(spun, &cues, capitalized, levels, occurrences, None)
                    .map(|bound| bound as f32 + 1e-3)
            };
            SpunBounds {
                any: bounds(f64::INFINITY),
                few: bounds(f64::from(FEW_OCCURRENCES)),
            }
        })
    }
}

impl Tuning {
    /// An upper bound of [`Tuning::logit`] for any occurrence of `spun` with
    /// these cues, whatever its context, in a section of `section_words`
    /// words whose density is at most `density` and where it occurs
    /// `occurrences` times.
    pub(super) fn logit_bound(
        &self,
        spun: &SpunWord,
        cues: &Cues,
        capitalized: bool,
        density: f64,
        (occurrences, section_words): (u32, u32),
    ) -> f64 {
        let occurrences = f64::from(occurrences);
        self.logit_bounds(
            spun,
            cues,
            capitalized,
            [density],
            occurrences,
            Some(section_words),
        )[0]
    }

    /// [`Tuning::logit_bound`] at several densities in one pass, where the
    /// artifact occurs `occurrences` times (at most, without `section_words`:
    /// in a section of any length).
    pub(super) fn logit_bounds<const N: usize>(
        &self,
        spun: &SpunWord,
        cues: &Cues,
        capitalized: bool,
        densities: [f64; N],
        occurrences: f64,
        section_words: Option<u32>,
    ) -> [f64; N] {
        let mut best = [f64::NEG_INFINITY; N];
        for o in &spun.originals {
            let features = Features {
                context: 0.0,
                gap: f64::from(o.zipf - spun.zipf),
                artifact_zipf: f64::from(spun.zipf),
                original_closed: o.class != WordClass::Content,
                artifact_closed: false,
                capitalized,
                // Its penalty only lowers the logit: a bound may leave it out.
                sentence_start: false,
                density: 0.0,
                artifact_association: 0.0,
                cues: *cues,
                original_class: o.class,
                curated: spun.dict_is_curated,
                // Read only with `section_words`, where it is exact.
                occurrences: occurrences as u32,
                section_words: section_words.unwrap_or(0),
            };
            let x = features.vector();
            let fixed: f64 = self.weights.iter().zip(x).map(|(w, v)| w * v).sum();
            // Density enters linearly through its interactions with the gap
            // and the original's class (the one with the context is counted
            // in the context's room below), and through the spun-document
            // boosts, which step up at `spun_density`: the maximum over
            // 0..=density is at an end or at the step.
            let w = &self.weights;
            let slope = w[Features::DENSITY_X_GAP] * features.gap
                + w[Features::DENSITY_X_CLOSED] * x[Features::ORIGINAL_CLOSED];
            let boosts = if features.original_closed {
                self.spun_doc_closed_boost
            } else {
                0.0
            } + if features.curated {
                self.spun_doc_curated_boost
            } else {
                0.0
            };
            let evidence_boost = if features.original_closed {
                self.evidence_closed_boost
            } else {
                0.0
            };
            let with_density = |d: f64| {
                slope * d
                    + if d > 0.0 { evidence_boost } else { 0.0 }
                    + if d >= self.spun_density { boosts } else { 0.0 }
            };
            for (best, density) in best.iter_mut().zip(densities) {
                let mut density_part = with_density(density).max(with_density(0.0));
                if density > 0.0 {
                    // Just above zero: the evidence step without the slope.
                    density_part = density_part.max(evidence_boost);
                }
                if self.spun_density <= density {
                    density_part = density_part.max(with_density(self.spun_density));
                }
                // Pooling may count the context more than once.
                let context_room = (w[Features::CONTEXT].abs()
                    + density * w[Features::DENSITY_X_CONTEXT].abs()
                    + x[Features::ORIGINAL_CLOSED] * w[Features::CLOSED_X_CONTEXT].abs())
                    * CONTEXT_LIMIT
                    * (1.0 + self.repetition(occurrences, features.original_closed))
                    + w[Features::ARTIFACT_ASSOCIATION].abs() * CONTEXT_LIMIT
                    + w[Features::ARTIFACT_CLOSED].max(0.0);
                // A function word's content-word stand-in gains most when it
                // occurs as often as the original would; without a section,
                // assume it does.
                let shortfall_room = if !features.original_closed || spun.closed {
                    0.0
                } else if section_words.is_some() {
                    Self::shortfall_term(self.shortfall_gain(&features), density)
                } else {
                    Self::shortfall_term(self.shortfall_weight * SHORTFALL_REACH, density)
                };
                let z = self.intercept - self.prior_shift
                    + fixed
                    + density_part
                    + context_room
                    + shortfall_room;
                *best = best.max(z);
            }
        }
        best
    }
}
