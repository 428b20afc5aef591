//! What a scan returns: the candidates found in a text and why each was
//! found, before the checker renders them as spans.

use super::Features;
use crate::report::SpanKind;

/// Why a candidate was flagged; the checker turns it into a message.
#[derive(Debug, Clone, PartialEq)]
pub enum Evidence {
    /// A catalogued phrase, possibly matched with inflection or a typo.
    Phrase {
        /// Number of words matched through a one-letter typo.
        typos: usize,
        /// Papers the PPS fingerprint retrieved.
        papers: Option<u32>,
        /// The entry had document conditions and they were met.
        conditional: bool,
        /// The entry's `requires` condition failed, and another tortured
        /// phrase that holds on its own in the document met it.
        corroborated: bool,
    },
    /// A spun word judged by its context.
    Context {
        /// The numbers the scorer read.
        features: Features,
        /// How much better the top original fits the slot, in nats, before
        /// the scorer clamps it (the clamped value is in `features`).
        context: f64,
        /// Zipf frequency of the artifact in English at large.
        artifact_zipf: f32,
        /// Zipf frequency of the top original.
        original_zipf: f32,
        /// Words on either side, as written (empty at a text edge or break).
        left: String,
        /// Word to the right, as written.
        right: String,
    },
}

/// A candidate artifact with its confidence, before it is rendered as a span.
#[derive(Debug, Clone)]
pub struct Finding {
    /// Byte range in the text.
    pub start: usize,
    /// End of the byte range.
    pub end: usize,
    /// Family.
    pub kind: SpanKind,
    /// Index of the dictionary in [`Engine::dictionaries`].
    pub dict: usize,
    /// The dictionary's artifact (lower case).
    pub artifact: String,
    /// Ranked originals, lower case as in the dictionary.
    pub suggestions: Vec<String>,
    /// 0..1.
    pub confidence: f64,
    /// The top suggestion is a guess: never applied automatically.
    pub uncertain: bool,
    /// Why.
    pub evidence: Evidence,
}

/// Candidates in one text, with the word count.
#[derive(Debug, Clone, Default)]
pub struct Scan {
    /// Number of words.
    pub words: usize,
    /// Findings in text order (all of them, whatever their confidence).
    pub findings: Vec<Finding>,
    /// Sum of the confidences of the spun-word candidates that were scored
    /// and fell below the threshold. Candidates whose best possible
    /// confidence could not reach the threshold are skipped unscored and add
    /// nothing.
    pub near_misses: f64,
}
