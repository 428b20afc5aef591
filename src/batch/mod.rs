//! Batch scoring of whole archives: one result record per document, on every core,
//! in bounded memory, and resumable after any interruption.
//!
//! Publishers and archive owners want to know which of their years of articles
//! were spun. Checking one file at a time does not get there: an archive is a
//! multi-gigabyte JSON Lines dump, a CSV export, a directory tree or a WordPress
//! export, often compressed, and a run over it takes long enough to be
//! interrupted. This module turns such an archive into a stream of
//! [`BatchRecord`]s:
//!
//! - [`source`] reads the archive formats ([`InputFormat`]) as a stream of raw
//!   records, decompressing `.gz` and `.zst` on the fly;
//! - [`pipeline`] decodes and checks the records on `jobs` worker threads while one
//!   writer thread puts the results out **in input order**; the records in flight
//!   are capped by the memory they need ([`BatchOptions::memory_budget`]), so
//!   memory stays bounded whatever the archive size;
//! - [`output`] writes JSON Lines or CSV, flushes regularly, syncs at the end,
//!   locks the output file, and refuses an output that is one of the inputs;
//! - [`resume`] reads back what an earlier run completed (discarding a torn
//!   tail), by record position ([`Position`]), never by id;
//! - [`summary`] counts documents by verdict, errors by kind, throughput, the most
//!   frequent artifacts and the worst documents.
//!
//! Every input record yields exactly one output record: a record that cannot be
//! scored (malformed JSON, a missing field, invalid UTF-8, an empty or oversized
//! text) gets an output record with [`BatchRecord::error`] set, and the run goes
//! on.
//!
//! ```no_run
//! use unspun::batch::{self, BatchOptions, Input, OutputSink};
//! let checker = unspun::Checker::new();
//! let sink = OutputSink::stdout(Default::default());
//! let summary = batch::run(&checker, &[Input::Stdin], &BatchOptions::default(), sink, &|_| {}).unwrap();
//! eprintln!("{}", summary.render_text());
//! ```

pub mod output;
pub mod pipeline;
pub mod record;
pub mod resume;
pub mod source;
pub mod summary;

pub use output::{refuse_output_among_inputs, OutputFormat, OutputSink};
pub use pipeline::{run, Progress};
pub use record::{BatchRecord, Position, RecordError, TopSpan};
pub use resume::{Completed, ResumeState};
pub use source::{Input, InputFormat};
pub use summary::Summary;

use crate::CheckOptions;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

/// Default cap on the size of one text ([`BatchOptions::max_bytes`]): 2 MB.
///
/// Far above any article (a novel is about 1 MB), and low enough that checking
/// the largest text allowed keeps the process under 200 MB (see
/// [`WORKING_MEMORY_PER_TEXT_BYTE`]).
pub const DEFAULT_MAX_BYTES: usize = 2_000_000;
/// Default number of spans listed per record ([`BatchOptions::top`]).
pub const DEFAULT_TOP: usize = 5;
/// Default memory budget for records in flight ([`BatchOptions::memory_budget`]).
pub const DEFAULT_MEMORY_BUDGET: usize = 64 << 20;
/// Peak memory the checker needs per byte of text it checks (measured: about 47
/// bytes, for the words, their model forms, candidates and spans), used to
/// estimate what a record in flight costs.
pub const WORKING_MEMORY_PER_TEXT_BYTE: usize = 48;

/// How a batch run reads, checks and reports.
#[derive(Debug, Clone)]
pub struct BatchOptions {
    /// The archive format; [`InputFormat::Auto`] guesses from the name and content.
    pub format: InputFormat,
    /// JSON or CSV field holding the document id (dots reach into nested objects).
    pub id_field: String,
    /// JSON or CSV field holding the document text (dots reach into nested objects).
    pub text_field: String,
    /// Worker threads checking documents; 0 means one per available core.
    pub jobs: usize,
    /// How many spans each record lists, most confident first.
    pub top: usize,
    /// List every span, in text order, instead of the `top` most confident.
    pub all_spans: bool,
    /// Texts longer than this many bytes are not checked (the record says why).
    pub max_bytes: usize,
    /// Cap on the estimated memory of the records read but not yet written:
    /// [`WORKING_MEMORY_PER_TEXT_BYTE`] per byte of text plus 1 KiB per record.
    /// A record that needs more than the cap is still processed, alone.
    pub memory_budget: usize,
    /// Thresholds, allowlist and dictionary selection for each check. `fixed`
    /// and `diff` are never computed in batch mode.
    pub check: CheckOptions,
    /// When set (by a Ctrl-C handler, say), the run stops reading at the next
    /// record, writes every record already read, and returns a summary with
    /// [`Summary::interrupted`] set: the output is whole and resumable.
    pub stop: Option<Arc<AtomicBool>>,
}

impl Default for BatchOptions {
    fn default() -> Self {
        BatchOptions {
            format: InputFormat::Auto,
            id_field: "id".into(),
            text_field: "text".into(),
            jobs: 0,
            top: DEFAULT_TOP,
            all_spans: false,
            max_bytes: DEFAULT_MAX_BYTES,
            memory_budget: DEFAULT_MEMORY_BUDGET,
            check: CheckOptions::default(),
            stop: None,
        }
    }
}

impl BatchOptions {
    /// The number of worker threads this run will use.
    pub fn worker_count(&self) -> usize {
        if self.jobs > 0 {
            self.jobs
        } else {
            std::thread::available_parallelism().map_or(1, |n| n.get())
        }
    }
}

/// Why a batch run stopped or could not start. Problems with single records
/// are not errors of the run: they end up in the record's `error` field.
#[derive(Debug, thiserror::Error)]
pub enum BatchError {
    /// An input could not be opened or read to its end.
    #[error("{input}: {reason}")]
    Input {
        /// The input as named on the command line.
        input: String,
        /// What went wrong.
        reason: String,
    },
    /// The output could not be written or prepared.
    #[error("{target}: {reason}")]
    Output {
        /// The output file, or `standard output`.
        target: String,
        /// What went wrong.
        reason: String,
    },
    /// The output's reader went away (a closed pipe): not a failure of the run.
    #[error("the output was closed")]
    Closed,
    /// The check options are invalid.
    #[error(transparent)]
    Options(#[from] crate::Error),
}
