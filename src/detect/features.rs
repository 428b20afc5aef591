//! The features of a spun-word candidate: its evidence as the numbers the
//! fitted logistic model reads.

use super::cues::{Cues, WordClass};

/// A shorter text is read as this long for its density and
/// [`Features::shortfall`]: a sentence says little about how often strong
/// artifacts or function words occur in the text it comes from.
pub(super) const MIN_READ_WORDS: u32 = 100;

/// The evidence of one spun-word candidate as numbers: what the fitted model
/// reads. The evaluation harness (`cargo run -p xtask -- eval --fit`) collects
/// these from labelled text to fit [`Tuning::weights`].
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Features {
    /// Context advantage of the top original over the artifact, in nats.
    pub context: f64,
    /// How much commoner the original is, in Zipf units.
    pub gap: f64,
    /// The artifact's own Zipf frequency.
    pub artifact_zipf: f64,
    /// The original is a closed-class word.
    pub original_closed: bool,
    /// The artifact is a closed-class word.
    pub artifact_closed: bool,
    /// The artifact is capitalised, and not only because it starts a
    /// sentence (see `sentence_start`).
    pub capitalized: bool,
    /// The artifact is capitalised because it starts a sentence, a heading
    /// or a quotation, and is read as its lower-case form ("Contempt strong
    /// support" for "Despite strong support"). Not an entry of
    /// [`Features::vector`]: the fitted weights never saw it, and
    /// [`Tuning::sentence_start_penalty`](super::Tuning::sentence_start_penalty)
    /// is set by hand.
    pub sentence_start: bool,
    /// Strong artifacts per 100 words elsewhere in the document (capped).
    pub density: f64,
    /// How strongly the neighbours attract the artifact itself, in nats.
    pub artifact_association: f64,
    /// The slot's cues.
    pub cues: Cues,
    /// The class of the top original.
    pub original_class: WordClass,
    /// The artifact comes from a curated dictionary.
    pub curated: bool,
    /// How often the artifact occurs in the section it was read in.
    pub occurrences: u32,
    /// Words in that section.
    pub section_words: u32,
}

impl Features {
    /// Number of entries in [`Features::vector`].
    pub const LEN: usize = 15;
    /// Names of the entries of [`Features::vector`], in order.
    pub const NAMES: [&'static str; Features::LEN] = [
        "context",
        "gap",
        "artifact_zipf",
        "original_closed",
        "artifact_closed",
        "capitalized",
        "density_x_context",
        "artifact_association",
        "density_x_gap",
        "prep_before_np",
        "prep_after_det",
        "adverb_after_aux",
        "modal_after_subject",
        "density_x_closed",
        "closed_x_context",
    ];
    // Positions in the vector that the bounds and the cue choice read.
    pub(super) const CONTEXT: usize = 0;
    pub(super) const ORIGINAL_CLOSED: usize = 3;
    pub(super) const ARTIFACT_CLOSED: usize = 4;
    pub(super) const CAPITALIZED: usize = 5;
    pub(super) const DENSITY_X_CONTEXT: usize = 6;
    pub(super) const ARTIFACT_ASSOCIATION: usize = 7;
    pub(super) const DENSITY_X_GAP: usize = 8;
    pub(super) const PREP_BEFORE_NP: usize = 9;
    pub(super) const PREP_AFTER_DET: usize = 10;
    pub(super) const ADVERB_AFTER_AUX: usize = 11;
    pub(super) const MODAL_AFTER_SUBJECT: usize = 12;
    pub(super) const DENSITY_X_CLOSED: usize = 13;
    pub(super) const CLOSED_X_CONTEXT: usize = 14;

    /// How many times more often (in powers of ten) the top original would
    /// occur in a clean section of this length than the artifact does. A
    /// spinner replaces a chosen word at nearly every occurrence, so a
    /// stand-in for a function word is likeliest when it occurs about as
    /// often as that word would ([`Tuning::shortfall_weight`]): one written
    /// once where the original would stand ten times is more likely the
    /// author's own word, and one written ten times where the original would
    /// stand once is more likely a topic ("technology" for "it").
    ///
    /// ```
    /// use unspun::detect::Features;
    /// // "up" (Zipf 6.4) would occur about 1.5 times in 600 words; the artifact occurs once.
    /// let f = Features { artifact_zipf: 4.4, gap: 2.0, occurrences: 1, section_words: 600, ..Features::default() };
    /// assert!((f.shortfall() - 0.18).abs() < 0.01);
    /// ```
    pub fn shortfall(&self) -> f64 {
        let words = f64::from(self.section_words.max(MIN_READ_WORDS));
        let occurrences = f64::from(self.occurrences.max(1));
        words.log10() + self.artifact_zipf + self.gap - 9.0 - occurrences.log10()
    }

    /// A common word written once where a thesaurus guess (not a curated
    /// pair) says it stands for a function word, and where the context
    /// favours it over that word: the rest of the document being spun says
    /// nothing about this slot, so it is read as in a clean document. Spun
    /// function words repeat (one spun "on" in an article is rarely alone)
    /// or stand in slots that suit the original; in the harness, single
    /// occurrences like this one in dense documents were right less than
    /// half the time.
    pub fn stands_alone_against_context(&self) -> bool {
        self.original_closed
            && !self.artifact_closed
            && !self.curated
            && self.occurrences == 1
            && self.context < LONE_MAX_CONTEXT
            && self.artifact_zipf >= LONE_MIN_ZIPF
    }

    /// The inputs of the logistic model.
    pub fn vector(&self) -> [f64; Features::LEN] {
        let flag = |b: bool| if b { 1.0 } else { 0.0 };
        let d = self.density;
        let class = self.original_class;
        let prep = matches!(class, WordClass::Preposition | WordClass::Conjunction);
        [
            self.context,
            self.gap,
            self.artifact_zipf,
            flag(self.original_closed),
            flag(self.artifact_closed),
            flag(self.capitalized),
            d * self.context,
            self.artifact_association,
            d * self.gap,
            flag(prep && self.cues.next_opens_noun_phrase),
            flag(prep && self.cues.after_determiner),
            flag(class == WordClass::Adverb && self.cues.after_auxiliary),
            flag(class == WordClass::Modal && self.cues.after_subject),
            d * flag(self.original_closed),
            // A function word's bigrams are counted often enough to trust.
            flag(self.original_closed) * self.context,
        ]
    }
}

/// The [`Features::shortfall`] at which a function word's stand-in gains
/// most: in the harness, spans of the same kind were right most often from
/// -0.5 to 0 (where the artifact occurs one to three times as often as the
/// original would), and ever less often on either side.
pub(super) const SHORTFALL_BEST: f64 = -0.25;
/// How far from [`SHORTFALL_BEST`] it still gains; beyond, it loses.
pub(super) const SHORTFALL_REACH: f64 = 0.5;
/// [`Features::stands_alone_against_context`]: the context favours the
/// artifact by more than this many nats ...
pub(super) const LONE_MAX_CONTEXT: f64 = -0.5;
/// ... and the artifact is at least this common (Zipf; 1 in 300,000 words).
pub(super) const LONE_MIN_ZIPF: f64 = 3.5;

#[cfg(test)]
mod tests {
    use super::Features;

    #[test]
    fn feature_positions_name_the_entries_they_index() {
        for (position, name) in [
            (Features::CONTEXT, "context"),
            (Features::ORIGINAL_CLOSED, "original_closed"),
            (Features::ARTIFACT_CLOSED, "artifact_closed"),
            (Features::CAPITALIZED, "capitalized"),
            (Features::DENSITY_X_CONTEXT, "density_x_context"),
            (Features::ARTIFACT_ASSOCIATION, "artifact_association"),
            (Features::DENSITY_X_GAP, "density_x_gap"),
            (Features::PREP_BEFORE_NP, "prep_before_np"),
            (Features::PREP_AFTER_DET, "prep_after_det"),
            (Features::ADVERB_AFTER_AUX, "adverb_after_aux"),
            (Features::MODAL_AFTER_SUBJECT, "modal_after_subject"),
            (Features::DENSITY_X_CLOSED, "density_x_closed"),
            (Features::CLOSED_X_CONTEXT, "closed_x_context"),
        ] {
            assert_eq!(Features::NAMES[position], name);
        }
    }
}
