//! unspun finds article-spinning artifacts in text and gives back the unspun text.
//!
//! A spinner swaps words for thesaurus synonyms of the wrong sense ("as" becomes
//! "arsenic", "on Friday" becomes "connected Friday", "artificial intelligence"
//! becomes "counterfeit consciousness"). unspun flags each artifact as a [`Span`]
//! with the likely original as a suggestion, scores the document and repairs it.
//!
//! ```
//! let checker = unspun::Checker::new();
//! let report = checker.check(
//!     "The travel comes arsenic Mexico has worked to negociate with the Trump medication to debar tariff threats.",
//! );
//! assert_eq!(
//!     report.fixed.as_deref(),
//!     Some("The trip comes as Mexico has worked to negotiate with the Trump administration to avoid tariff threats.")
//! );
//! ```
//!
//! The pipeline, one module per stage:
//! [`text`] (words with byte offsets) -> [`dict`] (dictionary files) ->
//! [`detect`] (candidate matches and context scoring) -> [`score`] (document
//! verdict) -> [`report`] (spans with fixes) -> [`repair`] (fixed text and diffs).
//!
//! Markdown and HTML are checked through [`markup`], which projects the prose
//! out of the markup and maps every span back to the source bytes.
//!
//! The CLI and the HTTP server are thin faces over [`Checker`].

pub mod batch;
pub mod cancel;
pub mod checker;
pub mod config;
pub mod detect;
pub mod dict;
pub mod error;
mod explain;
pub mod lm;
#[cfg(feature = "lsp")]
pub mod lsp;
pub mod markup;
pub mod repair;
pub mod report;
pub mod score;
#[cfg(feature = "server")]
pub mod server;
pub mod text;

pub use cancel::Cancel;
pub use checker::{
    CheckOptions, Checker, CheckerBuilder, DEFAULT_FIX_THRESHOLD, DEFAULT_MIN_CONFIDENCE,
};
pub use error::{Error, Result};
pub use markup::Markup;
pub use report::{Report, Span, SpanKind, Verdict};
