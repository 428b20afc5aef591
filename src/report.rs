//! The report: what the checker found, how sure it is, and the repaired text.
//!
//! These types are the library's answer and also the JSON the CLI and the HTTP API
//! print, so their field names are part of the public interface.

use serde::{Deserialize, Serialize};

/// The family an artifact belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SpanKind {
    /// A single word (or short phrase) swapped for a wrong-sense thesaurus synonym,
    /// as in spun web and news copy ("connected Friday").
    SpunWord,
    /// A fixed multi-word phrase from the tortured-phrase catalogue of the
    /// Problematic Paper Screener ("counterfeit consciousness").
    TorturedPhrase,
}

impl SpanKind {
    /// The kebab-case name used in JSON and rule ids.
    pub fn as_str(self) -> &'static str {
        match self {
            SpanKind::SpunWord => "spun-word",
            SpanKind::TorturedPhrase => "tortured-phrase",
        }
    }
}

/// One flagged artifact.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Span {
    /// Byte offset of the first byte of the artifact in the input.
    pub start: usize,
    /// Byte offset one past the artifact's last byte.
    pub end: usize,
    /// 1-based line of `start`.
    pub line: usize,
    /// 1-based column of `start`, in code points.
    pub column: usize,
    /// The artifact as a reader sees it: for plain text the input's bytes
    /// `start..end`; for markup the prose only (tags left out, character
    /// references decoded), while `start..end` still cover the source bytes.
    pub text: String,
    /// Which family of artifact this is.
    pub kind: SpanKind,
    /// A stable rule id: `<kind>/<dictionary>/<artifact>`, e.g.
    /// `spun-word/spun-words/connected`. Usable in allow and disable lists.
    pub rule: String,
    /// How sure the checker is that this is an artifact, in 0..1.
    pub confidence: f64,
    /// A sentence for people: what was found and why.
    pub message: String,
    /// Likely originals, best first, with the artifact's casing.
    pub suggestions: Vec<String>,
    /// Whether `fixed` (and `unspun fix`) applies the top suggestion:
    /// confidence at or above the fix threshold and an original that is not a
    /// guess. A span that is not fixable is reported for a person to judge;
    /// faces offer one-click fixes only for fixable spans.
    #[serde(default)]
    pub fixable: bool,
}

/// The document-level judgement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// No evidence of spinning worth a look.
    Clean,
    /// Some artifacts: worth a human look.
    Suspicious,
    /// Dense, strong artifacts: the text was very likely spun.
    Spun,
}

impl Verdict {
    /// The lower-case name used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Clean => "clean",
            Verdict::Suspicious => "suspicious",
            Verdict::Spun => "spun",
        }
    }
}

/// The full answer for one text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// Spinning score of the document in 0..1 (see [`crate::score`]).
    pub score: f64,
    /// `clean`, `suspicious` or `spun`.
    pub verdict: Verdict,
    /// Number of words in the text.
    pub words: usize,
    /// Flagged artifacts in text order.
    pub spans: Vec<Span>,
    /// The text with the top suggestion applied for every span at or above the fix
    /// threshold; everything else byte-identical. Absent when not asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fixed: Option<String>,
    /// Unified diff of the input against `fixed`. Absent when not asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub diff: Option<String>,
}
