//! Dictionaries: the reviewable text files that say which artifacts exist and what
//! they likely replaced.
//!
//! The file format is deliberately plain so that a person can review a change as a
//! diff of data, and a user can add their own list with a text editor:
//!
//! ```text
//! #! name: my-field
//! #! kind: tortured-phrase
//! # comments start with '#'
//! counterfeit consciousness<TAB>artificial intelligence
//! surface region<TAB>surface area<TAB>requires=surface area; papers=42682
//! ```
//!
//! Each entry is `artifact<TAB>originals[<TAB>attributes]`; originals are separated
//! by `|`, best first (`?` in a tortured-phrase dictionary: original unknown,
//! flagged without a suggestion); attributes are `key=value` items separated by `;`
//! (`requires`, `excludes`, `within`, `papers`, `via`, and the flag `uncertain`).
//! `dictionaries/README.md` documents the format and every shipped file.
//!
//! The default dictionaries are embedded in the binary ([`embedded`]) so the tool
//! works without any data files next to it.

mod parse;

pub use parse::{parse_allowlist, parse_dictionary};

use crate::report::SpanKind;
use serde::Serialize;

/// Where a dictionary came from, how big it is and under which licence it is used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct DictionaryInfo {
    /// Short unique name, used in rule ids and in the `dictionaries` option.
    pub name: String,
    /// The family of artifacts its entries describe.
    pub kind: SpanKind,
    /// Number of entries.
    pub entries: usize,
    /// Provenance, as stated in the file header.
    pub source: String,
    /// Licence, as stated in the file header.
    pub licence: String,
    /// True for the dictionaries built into the binary.
    pub embedded: bool,
}

/// A condition on the rest of the document, carried over from Problematic Paper
/// Screener queries (`"surface region" AND "surface area"`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Conditions {
    /// Every group must be met by at least one of its phrases appearing in the
    /// document (an AND of ORs).
    pub requires: Vec<Vec<String>>,
    /// The entry does not apply if any of these phrases appears in the document.
    pub excludes: Vec<String>,
    /// Proximity: the artifact's words may stand apart, all within a window of
    /// (word count + slop) words.
    pub within: Option<u32>,
}

impl Conditions {
    /// True when the entry applies without looking at the rest of the document.
    pub fn is_empty(&self) -> bool {
        self.requires.is_empty() && self.excludes.is_empty() && self.within.is_none()
    }
}

/// One artifact and its likely originals.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The artifact, lower case, words separated by single spaces.
    pub artifact: String,
    /// Likely originals, best first.
    pub originals: Vec<String>,
    /// Conditions on the rest of the document.
    pub conditions: Conditions,
    /// How many papers the PPS fingerprint retrieved, where known.
    pub papers: Option<u32>,
    /// The original is a guess: suggested, never applied automatically.
    pub uncertain: bool,
    /// Which sources produce this artifact (thesaurus families for spun words).
    pub via: Vec<String>,
    /// 1-based line in the file it came from.
    pub line: usize,
}

/// A parsed dictionary file.
#[derive(Debug, Clone)]
pub struct Dictionary {
    /// Name, kind, provenance.
    pub info: DictionaryInfo,
    /// Entries in file order.
    pub entries: Vec<Entry>,
}

/// The dictionaries built into the binary, as `(file name, contents)`.
pub mod embedded {
    /// Spun-word artifacts generated from WordNet 3.0 and the LibreOffice thesaurus.
    pub const SPUN_WORDS: (&str, &str) = (
        "spun-words.tsv",
        include_str!("../../dictionaries/spun-words.tsv"),
    );
    /// Hand-curated spun-word artifacts no thesaurus explains.
    pub const SPUN_WORDS_CURATED: (&str, &str) = (
        "spun-words-curated.tsv",
        include_str!("../../dictionaries/spun-words-curated.tsv"),
    );
    /// Tortured phrases from the Problematic Paper Screener.
    pub const TORTURED_PHRASES: (&str, &str) = (
        "tortured-phrases.tsv",
        include_str!("../../dictionaries/tortured-phrases.tsv"),
    );
    /// All artifact dictionaries above.
    pub const ALL: [(&str, &str); 3] = [SPUN_WORDS_CURATED, SPUN_WORDS, TORTURED_PHRASES];

    /// Unigram counts of the context model (Brown corpus and nlp-corpus).
    pub const MODEL_UNIGRAMS: &str = include_str!("../../dictionaries/model/unigrams.tsv");
    /// Bigram counts of the context model.
    pub const MODEL_BIGRAMS: &str = include_str!("../../dictionaries/model/bigrams.tsv");
    /// Zipf word frequencies of present-day English (wordfreq).
    pub const MODEL_FREQUENCIES: &str = include_str!("../../dictionaries/model/frequencies.tsv");
    /// The context model compiled from `MODEL_UNIGRAMS` and `MODEL_BIGRAMS`
    /// when the crate was built (`build.rs`), read in place.
    pub const MODEL_IMAGE: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/context-model.bin"));
    /// The frequency table compiled from `MODEL_FREQUENCIES` when the crate
    /// was built, read in place.
    pub const FREQUENCIES_IMAGE: &[u8] =
        include_bytes!(concat!(env!("OUT_DIR"), "/frequencies.bin"));
    /// Closed-class (function) words and their classes, used by the context cues.
    pub const FUNCTION_WORDS: &str = include_str!("../../dictionaries/function-words.tsv");
}
