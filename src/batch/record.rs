//! The unit of a batch run: a decoded input document, and the result record
//! written for it.
//!
//! [`BatchRecord`]'s field names are the JSON Lines output format, so they are
//! part of the public interface.

use crate::report::{Report, Span, Verdict};
use serde::{Deserialize, Serialize};

/// One input document after decoding: its id, optional metadata, and its text
/// or the reason it has none.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// The document's id (from the id field, the relative path, the post id, or
    /// `line:<n>` when none could be read).
    pub id: String,
    /// Title, when the archive has one (WordPress exports).
    pub title: Option<String>,
    /// Permalink, when the archive has one (WordPress exports).
    pub link: Option<String>,
    /// The text to check, or why there is none.
    pub text: Result<String, RecordError>,
}

/// Why one record could not be scored. The run goes on; the output record
/// carries the reason in `error`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RecordError {
    /// A JSON Lines line that is not a JSON object.
    #[error("malformed JSON: {0}")]
    MalformedJson(String),
    /// The id or text field is absent, null or not a string.
    #[error("{0}")]
    MissingField(String),
    /// The text (or the whole line) is not valid UTF-8.
    #[error("invalid UTF-8: {0}")]
    InvalidUtf8(String),
    /// The text is empty or only white space.
    #[error("empty text")]
    EmptyText,
    /// The text is larger than the `--max-bytes` limit.
    #[error("text of {bytes} bytes is over the limit of {limit} bytes")]
    TooLarge {
        /// Size of the text (or the line or file holding it), in bytes.
        bytes: u64,
        /// The limit in force.
        limit: usize,
    },
    /// The document's file could not be read.
    #[error("cannot read: {0}")]
    Unreadable(String),
    /// The checker failed on this text (a bug: please report the document).
    #[error("internal error while checking: {0}")]
    Internal(String),
}

impl RecordError {
    /// A short kebab-case name for counting errors by kind.
    pub fn kind(&self) -> &'static str {
        match self {
            RecordError::MalformedJson(_) => "malformed-json",
            RecordError::MissingField(_) => "missing-field",
            RecordError::InvalidUtf8(_) => "invalid-utf8",
            RecordError::EmptyText => "empty-text",
            RecordError::TooLarge { .. } => "too-large",
            RecordError::Unreadable(_) => "unreadable",
            RecordError::Internal(_) => "internal",
        }
    }
}

/// One span in a result record: the artifact and what to write instead.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TopSpan {
    /// The artifact as written.
    pub text: String,
    /// Likely originals, best first.
    pub suggestions: Vec<String>,
    /// How sure the checker is, 0..1.
    pub confidence: f64,
    /// The rule id (usable with `--allow`).
    pub rule: String,
    /// 1-based line of the artifact in the text.
    pub line: usize,
    /// 1-based column (in code points) of the artifact.
    pub column: usize,
    /// Byte offset of the artifact in the text.
    pub start: usize,
    /// Byte offset one past the artifact.
    pub end: usize,
}

impl From<&Span> for TopSpan {
    fn from(span: &Span) -> Self {
        TopSpan {
            text: span.text.clone(),
            suggestions: span.suggestions.clone(),
            confidence: span.confidence,
            rule: span.rule.clone(),
            line: span.line,
            column: span.column,
            start: span.start,
            end: span.end,
        }
    }
}

/// Where a record comes from: the input as named on the command line and the
/// record's 1-based ordinal in it (the n-th JSON line that is not blank, CSV
/// row, file of the tree in name order, or post). This, not the document id,
/// identifies a record when a run is resumed: archives repeat ids, and an id is
/// only data.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Position {
    /// The input's name ([`Input::name`](super::Input::name)).
    pub input: String,
    /// 1-based ordinal of the record in its input.
    pub record: u64,
}

/// The result written for one input record. Scored records have `error: null`;
/// the others have `score`, `verdict`, `words` and `spans` null and say why in
/// `error`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BatchRecord {
    /// The document id, as the archive gives it (ids may repeat).
    pub id: String,
    /// The input the record comes from.
    pub input: String,
    /// The record's 1-based ordinal in its input: with `input`, what resuming
    /// goes by.
    pub record: u64,
    /// The post title (WordPress exports only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The post permalink (WordPress exports only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
    /// Spinning score in 0..1.
    pub score: Option<f64>,
    /// `clean`, `suspicious` or `spun`.
    pub verdict: Option<Verdict>,
    /// Number of words in the text.
    pub words: Option<usize>,
    /// Number of spans found.
    pub spans: Option<usize>,
    /// The most confident spans (or all of them, in text order, with `--spans all`).
    pub top: Vec<TopSpan>,
    /// Why the record was not scored; null when it was.
    pub error: Option<String>,
}

impl BatchRecord {
    /// The record for a scored document, listing `top` spans (most confident
    /// first, then in text order) or every span in text order when `all` is set.
    pub fn scored(
        document: &Document,
        position: &Position,
        report: &Report,
        top: usize,
        all: bool,
    ) -> Self {
        let listed: Vec<TopSpan> = if all {
            report.spans.iter().map(TopSpan::from).collect()
        } else {
            let mut ranked: Vec<&Span> = report.spans.iter().collect();
            ranked.sort_by(|a, b| {
                b.confidence
                    .total_cmp(&a.confidence)
                    .then(a.start.cmp(&b.start))
            });
            ranked.into_iter().take(top).map(TopSpan::from).collect()
        };
        BatchRecord {
            id: document.id.clone(),
            input: position.input.clone(),
            record: position.record,
            title: document.title.clone(),
            link: document.link.clone(),
            score: Some(report.score),
            verdict: Some(report.verdict),
            words: Some(report.words),
            spans: Some(report.spans.len()),
            top: listed,
            error: None,
        }
    }

    /// The record for a document that could not be scored.
    pub fn failed(document: &Document, position: &Position, error: &RecordError) -> Self {
        BatchRecord {
            id: document.id.clone(),
            input: position.input.clone(),
            record: position.record,
            title: document.title.clone(),
            link: document.link.clone(),
            score: None,
            verdict: None,
            words: None,
            spans: None,
            top: Vec::new(),
            error: Some(error.to_string()),
        }
    }
}
