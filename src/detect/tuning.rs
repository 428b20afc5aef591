//! The scorer's weights and the logit they give a candidate's features.

use super::features::{Features, SHORTFALL_BEST, SHORTFALL_REACH};

/// The weights of the spun-word scorer: a logistic model over [`Features`],
/// fitted on labelled text made by the test spinner of the evaluation harness
/// (see the README's "Accuracy" section), then shifted for a lower prior than
/// the training set's, with document-level boosts the likelihood fit does not
/// set.
#[derive(Debug, Clone, PartialEq)]
pub struct Tuning {
    /// One weight per entry of [`Features::vector`].
    pub weights: [f64; Features::LEN],
    /// Intercept of the fitted model.
    pub intercept: f64,
    /// Subtracted from every logit: real texts are spun far less often than
    /// the training set.
    pub prior_shift: f64,
    /// For a closed-class original (a function word: "in", "on", "as") in a
    /// document with any other strong evidence: a step the fitted
    /// density-by-class weight, a straight line through zero, cannot make.
    pub evidence_closed_boost: f64,
    /// Density from which a document counts as spun for the boosts below.
    pub spun_density: f64,
    /// In a spun document: a closed-class original that the slot supports.
    pub spun_doc_closed_boost: f64,
    /// In a spun document: an artifact from a curated list (seen in the wild).
    pub spun_doc_curated_boost: f64,
    /// Density is capped here.
    pub max_density: f64,
    /// How many strong candidates one catalogued phrase counts for.
    pub phrase_weight: f64,
    /// Share of a candidate's logit taken from the mean over all occurrences
    /// of the same artifact in the document (0: none, 1: all).
    pub pooling: f64,
    /// Most times the mean context evidence of an artifact's occurrences
    /// counts: the square root of their number, up to this (1: once).
    pub repetition_max: f64,
    /// For a function-word original and a content-word artifact: added per
    /// power of ten that [`Features::shortfall`] is nearer to the best value
    /// than its reach (and taken away per power of ten beyond), so the gain
    /// is at most this weight times the reach.
    pub shortfall_weight: f64,
    /// Candidates whose logit reaches this are judged again by the trigram
    /// model ([`crate::lm`]), each occurrence by its own slot.
    pub trigram_floor: f64,
    /// The trigram model's log10 likelihood ratio (original against the word
    /// as written) is clamped to plus or minus this.
    pub trigram_limit: f64,
    /// Added to the logit per power of ten that the ratio favours the original.
    pub trigram_for: f64,
    /// ... and per power of ten that it favours the word as written.
    pub trigram_against: f64,
    /// Subtracted from the logit of every candidate the trigram model judges.
    pub trigram_shift: f64,
    /// Subtracted from the logit of a capitalised word read as lower case
    /// because it starts a sentence ([`Features::sentence_start`]): a
    /// sentence start is where a name or a title stands more often than
    /// elsewhere.
    pub sentence_start_penalty: f64,
}

impl Default for Tuning {
    fn default() -> Self {
        Tuning {
            // Fitted by `cargo run --release -p xtask -- eval --fit` with two
            // scoring passes and no repetition. A refit with three passes and
            // `repetition_max` gives precision 0.954 with less recall
            // (function words 0.893, rare 0.850, against 0.896 and 0.856 with
            // these), so these stay.
            weights: [
                0.3333, 0.6383, -0.3578, -0.4141, -0.4335, -10.7504, 0.3784, -0.2380, 0.8157,
                0.4510, -0.0164, -0.3708, 1.3838, 1.3867, 0.1353,
            ],
            intercept: -0.4026,
            // Set by hand, and measured by the harness and the tests: span
            // precision stays above 0.95 on the labelled set and false flags
            // under 0.1 per 1,000 words of BBC news, and the seed article's
            // ordinary words ("tariff") stay unflagged. Raised from 1.15
            // with the trigram verdict, which lifts candidates the prior
            // held down: at 1.5, BBC (classic spinner) precision 0.969, clean
            // flags 0.030 per 1,000 words, State of the Union 0.668; at 1.4,
            // 0.967, 0.044 and 0.774.
            prior_shift: 1.5,
            // Set by hand with the harness: function-word recall 0.810 ->
            // 0.853 while span precision stays at 0.951 to 0.956 on three
            // seeds (at 1.0 it fell to 0.946 on one) and clean text keeps its
            // false flags (the boost needs other evidence in the document).
            evidence_closed_boost: 0.6,
            spun_density: 1.0,
            spun_doc_closed_boost: 2.0,
            // Curated artifacts were seen in real spun copy; some ("Trump
            // medication") have no bigram evidence in the counts at all, nor
            // trigram evidence (the model predates the phrase): 3.0 -> 3.5
            // with the higher prior shift, so that they stay flagged in a
            // spun document (`tests/markup_html.rs`). The harness's spinners
            // use no curated pairs, so its figures do not move.
            spun_doc_curated_boost: 3.5,
            max_density: 2.0,
            phrase_weight: 1.0,
            pooling: 1.0,
            // Set with the harness: function-word recall 0.868 -> 0.900
            // (seeds 7 and 99: 0.904 and 0.906), precision 0.953 -> 0.952 (0.954,
            // 0.949); gating it on other evidence in the document gave 0.896
            // and 4 % fewer instructions. Counted for every class it also
            // lifted other recall (0.19 -> 0.23), but the looser pruning bound
            // made the check three times slower; 2 to 4 give the same.
            repetition_max: 3.0,
            // Set with the harness, with `stands_alone_against_context`:
            // precision 0.9524 -> 0.9550 and function-word recall 0.9021 ->
            // 0.9041 (seed 99: 0.9489 -> 0.9517, 0.9102 -> 0.9100), clean
            // flags 0.033 -> 0.031 per 1,000 words. Weights 1 to 3 give the
            // same within 0.002; a gain that does not wait for other evidence
            // flagged more BBC news (61 against 45 flags at a prior shift of
            // 1.1). A lower prior shift (1.1) buys rare-artifact recall
            // (0.881) but flags "tariff" in a one-sentence spun text.
            shortfall_weight: 2.0,
            // Set with the harness (BBC and State of the Union, classic
            // spinner). A clamp at 3 gave other-swap recall 0.216 against
            // 0.201 at 2, but the room it needs under the pruning cut (see
            // `Engine::trigram_room`) made a clean check 60 % dearer, at 2
            // 18 %; at 1.5 recall fell further (0.190).
            trigram_floor: -3.0,
            trigram_limit: 2.0,
            trigram_for: 0.4,
            trigram_against: 1.0,
            trigram_shift: 0.0,
            // Harness, "sentence starts" spinner: function-word recall
            // 0.776 -> 0.918 on BBC (State of the Union 0.779 -> 0.918) at a
            // penalty of 0 to 2, precision unchanged; clean flags change by
            // less than 0.02 per 1,000 words. 0.5 lets a lone "Successful
            // a statement, ..." be flagged.
            sentence_start_penalty: 0.5,
        }
    }
}

impl Tuning {
    /// How many times more than once the mean context evidence of `n`
    /// occurrences of one artifact counts when they are pooled: the square
    /// root of `n`, up to [`Tuning::repetition_max`], less one. Only for a
    /// function-word original: a spinner that turns every "by" into "past"
    /// leaves a dozen slots where "by" fits better, which is far stronger
    /// evidence than one such slot; for content words, repetition is mostly
    /// a document's topic.
    pub fn repetition(&self, n: f64, original_closed: bool) -> f64 {
        if original_closed {
            (n.sqrt().min(self.repetition_max) - 1.0).max(0.0)
        } else {
            0.0
        }
    }

    /// The part of [`Tuning::logit`] that is linear in the context comparison.
    pub fn context_logit(&self, f: &Features) -> f64 {
        let f = &Self::as_read(f);
        let w = &self.weights;
        let closed = if f.original_closed { 1.0 } else { 0.0 };
        f.context
            * (w[Features::CONTEXT]
                + f.density * w[Features::DENSITY_X_CONTEXT]
                + closed * w[Features::CLOSED_X_CONTEXT])
    }

    /// The log-odds that the candidate is an artifact.
    pub fn logit(&self, f: &Features) -> f64 {
        let f = &Self::as_read(f);
        let x = f.vector();
        let mut z = self.intercept - self.prior_shift
            + self.weights.iter().zip(x).map(|(w, v)| w * v).sum::<f64>();
        if f.original_closed && f.density > 0.0 {
            z += self.evidence_closed_boost;
        }
        if f.density >= self.spun_density {
            if f.original_closed && (f.context > 0.0 || f.cues.next_opens_noun_phrase) {
                z += self.spun_doc_closed_boost;
            }
            if f.curated {
                z += self.spun_doc_curated_boost;
            }
        }
        if f.original_closed && !f.artifact_closed {
            z += Self::shortfall_term(self.shortfall_gain(f), f.density);
        }
        if f.sentence_start {
            z -= self.sentence_start_penalty;
        }
        z
    }

    /// The part of a [`Tuning::shortfall_gain`] that counts at `density`: as
    /// for the evidence boost, what raises a function word's stand-in needs
    /// other evidence in the document; what lowers it does not.
    pub(super) fn shortfall_term(gain: f64, density: f64) -> f64 {
        if gain < 0.0 || density > 0.0 {
            gain
        } else {
            0.0
        }
    }

    /// What [`Features::shortfall`] adds to a function word's stand-in (a
    /// loss when negative).
    pub(super) fn shortfall_gain(&self, f: &Features) -> f64 {
        self.shortfall_weight * (SHORTFALL_REACH - (f.shortfall() - SHORTFALL_BEST).abs())
    }

    /// `f` as the scorer reads it: without the document's density for a
    /// candidate that [stands alone](Features::stands_alone_against_context).
    pub(super) fn as_read(f: &Features) -> Features {
        if f.stands_alone_against_context() {
            Features { density: 0.0, ..*f }
        } else {
            *f
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Tuning;
    use crate::detect::cues::WordClass;
    use crate::detect::features::{Features, MIN_READ_WORDS, SHORTFALL_BEST, SHORTFALL_REACH};

    #[test]
    fn repeated_context_counts_more_only_for_function_words() {
        let t = Tuning::default();
        assert_eq!(t.repetition(1.0, true), 0.0);
        assert!((t.repetition(4.0, true) - 1.0).abs() < 1e-12);
        assert_eq!(t.repetition(100.0, true), t.repetition_max - 1.0);
        assert_eq!(t.repetition(100.0, false), 0.0, "content-word original");
    }

    #[test]
    fn a_function_word_original_gains_the_evidence_boost_only_beside_other_evidence() {
        let tuning = Tuning {
            weights: [0.0; Features::LEN],
            intercept: 0.0,
            prior_shift: 0.0,
            evidence_closed_boost: 0.6,
            spun_doc_closed_boost: 0.0,
            spun_doc_curated_boost: 0.0,
            shortfall_weight: 0.0,
            ..Tuning::default()
        };
        let features = |original_closed: bool, density: f64| Features {
            original_closed,
            density,
            original_class: if original_closed {
                WordClass::Preposition
            } else {
                WordClass::Content
            },
            ..Features::default()
        };
        assert_eq!(tuning.logit(&features(true, 0.0)), 0.0);
        assert_eq!(tuning.logit(&features(true, 0.05)), 0.6);
        assert_eq!(tuning.logit(&features(false, 0.05)), 0.0);
    }

    /// A common content word read as a thesaurus stand-in for "up", written
    /// once in a 300-word section as dense as `density`.
    fn stand_in_for_up(density: f64, context: f64) -> Features {
        Features {
            context,
            gap: 2.0,
            artifact_zipf: 4.4,
            original_closed: true,
            density,
            original_class: WordClass::Preposition,
            occurrences: 1,
            section_words: 300,
            ..Features::default()
        }
    }

    #[test]
    fn a_lone_common_stand_in_its_context_favours_is_read_as_in_a_clean_document() {
        let tuning = Tuning::default();
        let lone = stand_in_for_up(2.0, -1.0);
        assert!(lone.stands_alone_against_context());
        let clean = Features {
            density: 0.0,
            ..lone
        };
        assert_eq!(tuning.logit(&lone), tuning.logit(&clean));
        // The document's density still counts where any of the conditions fails.
        for other in [
            Features {
                occurrences: 2,
                ..lone
            },
            Features {
                context: 0.0,
                ..lone
            },
            Features {
                curated: true,
                ..lone
            },
            Features {
                artifact_zipf: 3.0,
                ..lone
            },
        ] {
            assert!(!other.stands_alone_against_context(), "{other:?}");
            let clean = Features {
                density: 0.0,
                ..other
            };
            assert!(
                tuning.logit(&other) > tuning.logit(&clean) + 1.0,
                "{other:?}"
            );
        }
    }

    #[test]
    fn a_function_words_stand_in_gains_most_where_it_occurs_as_often_as_the_original_would() {
        let tuning = Tuning::default();
        let no_shortfall = Tuning {
            shortfall_weight: 0.0,
            ..Tuning::default()
        };
        // "up" (Zipf 6.4) would stand about 0.56 times in 224 words, where
        // the artifact stands once: the best shortfall. Ten times as many
        // words, or ten occurrences, are far from it.
        let in_words = |words: u32, density: f64| Features {
            section_words: words,
            ..stand_in_for_up(density, 1.0)
        };
        let best = in_words(224, 1.0);
        assert!((best.shortfall() - SHORTFALL_BEST).abs() < 0.01);
        let gain = |f: &Features| tuning.logit(f) - no_shortfall.logit(f);
        let reach = tuning.shortfall_weight * SHORTFALL_REACH;
        assert!((gain(&best) - reach).abs() < 0.01, "{}", gain(&best));
        let repeated = Features {
            occurrences: 10,
            ..best
        };
        for far in [in_words(2_240, 1.0), repeated] {
            assert!(gain(&far) < 0.0, "{far:?}: {}", gain(&far));
        }
        // Without other evidence in the document the gain waits; the loss does not.
        assert_eq!(gain(&in_words(224, 0.0)), 0.0);
        assert!(gain(&in_words(2_240, 0.0)) < 0.0);
        // A shorter text is read as `MIN_READ_WORDS` long.
        assert_eq!(
            in_words(6, 1.0).shortfall(),
            in_words(MIN_READ_WORDS, 1.0).shortfall()
        );
    }
}
