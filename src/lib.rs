//! unspun finds article-spinning artifacts in text and gives back the unspun text.
//!
//! The pipeline, one module per stage:
//! [`text`] (words with byte offsets) -> [`dict`] (candidate matches from
//! dictionaries) -> [`detect`] (context scoring) -> [`report`] (spans with fixes,
//! document score) -> [`repair`] (fixed text and diffs).
//!
//! The CLI and the HTTP server are thin faces over [`Checker`].

pub mod report;
pub mod text;

pub use report::{Report, Span, SpanKind, Verdict};
