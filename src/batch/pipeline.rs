//! The streaming scorer: one reader thread, `jobs` workers, one writer.
//!
//! ```text
//! reader --(bounded queue of raw records)--> workers --(results)--> writer
//!    ^                                                                 |
//!    +------ memory budget: records read but not yet written ----------+
//! ```
//!
//! The reader numbers each record and waits while the records read but not yet
//! written would need more memory than
//! [`BatchOptions::memory_budget`](super::BatchOptions) (the estimate is the
//! checker's working memory for each text). Workers decode, check and serialise
//! records in any order; the writer puts them out in input order (holding early
//! finishers until their turn) and is the only thread that writes, so output
//! lines are whole and never interleaved. Memory is thus bounded by the budget,
//! or by one record when a single record needs more, whatever the archive size;
//! and the output of a run is the same whatever the number of jobs.

use super::output::{OutputSink, FLUSH_INTERVAL};
use super::record::{BatchRecord, Document, Position, RecordError};
use super::resume::Completed;
use super::source::{self, Input, InputFormat, Raw, ReadCounters};
use super::summary::{RecordStats, RunFacts, Scored, Summary, SummaryBuilder};
use super::{BatchError, BatchOptions};
use crate::Checker;
use crossbeam_channel::{bounded, unbounded, Receiver, RecvTimeoutError};
use std::collections::BTreeMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::Ordering;
use std::sync::{Condvar, Mutex};
use std::time::{Duration, Instant};

/// A progress report, sent about every 200 ms and once at the end.
#[derive(Debug, Clone, PartialEq)]
pub struct Progress {
    /// Bytes of the inputs read so far (compressed sizes for compressed inputs).
    pub bytes_read: u64,
    /// Total size of the inputs, when known (files and directories).
    pub total_bytes: Option<u64>,
    /// Records done (written or skipped as already done).
    pub documents: u64,
    /// Time since the start.
    pub elapsed: Duration,
    /// Set on the last report.
    pub finished: bool,
}

/// Caps the bytes of records read but not yet written.
struct Budget {
    state: Mutex<(usize, bool)>,
    freed: Condvar,
    limit: usize,
}

impl Budget {
    fn new(limit: usize) -> Self {
        Budget {
            state: Mutex::new((0, false)),
            freed: Condvar::new(),
            limit,
        }
    }

    /// Waits until `cost` fits (a record alone always fits); false once closed.
    fn acquire(&self, cost: usize) -> bool {
        let mut state = self.state.lock().expect("budget lock");
        while !state.1 && state.0 > 0 && state.0 + cost > self.limit {
            state = self.freed.wait(state).expect("budget lock");
        }
        state.0 += cost;
        !state.1
    }

    fn release(&self, cost: usize) {
        let mut state = self.state.lock().expect("budget lock");
        state.0 = state.0.saturating_sub(cost);
        self.freed.notify_all();
    }

    /// Wakes and refuses every waiting reader: the writer has stopped.
    fn close(&self) {
        self.state.lock().expect("budget lock").1 = true;
        self.freed.notify_all();
    }
}

struct Job {
    seq: u64,
    cost: usize,
    input: usize,
    position: Position,
    raw: Raw,
}

enum Outcome {
    Skipped,
    Written { line: Vec<u8>, stats: RecordStats },
}

struct Done {
    seq: u64,
    cost: usize,
    outcome: Outcome,
}

struct ReaderReport {
    input_errors: Vec<String>,
    ignored_items: u64,
    blank_lines: u64,
    interrupted: bool,
}

/// Scores every record of `inputs` and writes one result record per input
/// record to `sink`, skipping the records (by position) `sink` already holds.
/// `progress` is
/// called from the calling thread about every 200 ms and once at the end.
///
/// Fails on invalid options, unreadable inputs (before anything is written) and
/// output errors; an input that fails part-way is reported in
/// [`Summary::input_errors`] and the run goes on with the next one.
pub fn run(
    checker: &Checker,
    inputs: &[Input],
    options: &BatchOptions,
    mut sink: OutputSink,
    progress: &dyn Fn(&Progress),
) -> Result<Summary, BatchError> {
    checker.validate(&options.check)?;
    let formats = inputs
        .iter()
        .map(|input| source::resolve_format(input, options.format))
        .collect::<Result<Vec<InputFormat>, _>>()?;
    let prefixes: Vec<Option<String>> = inputs
        .iter()
        .map(|input| match input {
            Input::Path(p) if inputs.len() > 1 => Some(p.display().to_string()),
            Input::Stdin if inputs.len() > 1 => Some("-".into()),
            _ => None,
        })
        .collect();
    let total_bytes = source::total_size(inputs, &formats);
    let jobs = options.worker_count();
    let mut check = options.check.clone();
    check.include_fixed = false;
    check.include_diff = false;

    let started = Instant::now();
    let budget = Budget::new(options.memory_budget.max(1));
    let counters = ReadCounters::default();
    let (job_tx, job_rx) = bounded::<Job>(jobs * 4);
    let (done_tx, done_rx) = unbounded::<Done>();
    let (completed, earlier_ids) = sink.take_completed();
    refuse_other_inputs(&completed, inputs)?;
    let mut summary = SummaryBuilder::with_earlier_ids(earlier_ids);
    let format = sink.format();

    let (written, reader_report) = std::thread::scope(|scope| {
        let reader = {
            let (budget, counters, formats, prefixes) = (&budget, &counters, &formats, &prefixes);
            let (completed, skipped_tx) = (&completed, done_tx.clone());
            scope.spawn(move || {
                let mut report = ReaderReport {
                    input_errors: Vec::new(),
                    ignored_items: 0,
                    blank_lines: 0,
                    interrupted: false,
                };
                let stopped = || {
                    options
                        .stop
                        .as_ref()
                        .is_some_and(|s| s.load(Ordering::Relaxed))
                };
                let mut seq = 0u64;
                for (index, input) in inputs.iter().enumerate() {
                    let name = input.name();
                    let mut ordinal = 0u64;
                    let mut open = true;
                    let mut interrupted = false;
                    let mut emit = |raw: Raw| {
                        if stopped() {
                            interrupted = true;
                            open = false;
                            return false;
                        }
                        ordinal += 1;
                        if completed.contains(&name, ordinal) {
                            // Done by an earlier run: the writer only counts it.
                            let done = Done {
                                seq,
                                cost: 0,
                                outcome: Outcome::Skipped,
                            };
                            seq += 1;
                            open = skipped_tx.send(done).is_ok();
                            return open;
                        }
                        let cost = raw.cost();
                        let position = Position {
                            input: name.clone(),
                            record: ordinal,
                        };
                        open = budget.acquire(cost)
                            && job_tx
                                .send(Job {
                                    seq,
                                    cost,
                                    input: index,
                                    position,
                                    raw,
                                })
                                .is_ok();
                        seq += 1;
                        open
                    };
                    let result = source::read(
                        input,
                        formats[index],
                        options,
                        prefixes[index].as_deref(),
                        counters,
                        &mut emit,
                    );
                    match result {
                        Ok(r) => {
                            report.ignored_items += r.ignored_items;
                            report.blank_lines += r.blank_lines;
                        }
                        Err(reason) => report.input_errors.push(format!("{name}: {reason}")),
                    }
                    if interrupted || (!open && stopped()) {
                        report.interrupted = true;
                    }
                    if !open {
                        break;
                    }
                }
                drop(skipped_tx);
                report
            })
        };
        for _ in 0..jobs {
            let (job_rx, done_tx, check, prefixes) =
                (job_rx.clone(), done_tx.clone(), &check, &prefixes);
            scope.spawn(move || {
                for job in job_rx {
                    let document = source::decode(job.raw, options, prefixes[job.input].as_deref());
                    let (record, stats) = score(checker, check, options, document, &job.position);
                    let outcome = Outcome::Written {
                        line: format.line(&record),
                        stats,
                    };
                    let done = Done {
                        seq: job.seq,
                        cost: job.cost,
                        outcome,
                    };
                    if done_tx.send(done).is_err() {
                        break;
                    }
                }
            });
        }
        drop(job_rx);
        drop(done_tx);
        let written = write_in_order(
            done_rx,
            &mut sink,
            &budget,
            &mut summary,
            &|documents, finished| {
                progress(&Progress {
                    bytes_read: counters.stored.load(Ordering::Relaxed),
                    total_bytes,
                    documents,
                    elapsed: started.elapsed(),
                    finished,
                })
            },
        );
        // If the writer stopped early, let the reader and workers run out.
        budget.close();
        let report = reader.join().expect("the reader thread does not panic");
        (written, report)
    });
    written?;
    sink.finish()?;
    Ok(summary.finish(
        started.elapsed().as_secs_f64(),
        counters.decoded.load(Ordering::Relaxed),
        jobs,
        RunFacts {
            input_errors: reader_report.input_errors,
            ignored_items: reader_report.ignored_items,
            blank_lines: reader_report.blank_lines,
            interrupted: reader_report.interrupted,
        },
    ))
}

/// Refuses to resume an output that holds records of an input not given now:
/// records are matched by input name and ordinal, so a renamed or missing
/// input would have every record written again.
fn refuse_other_inputs(completed: &Completed, inputs: &[Input]) -> Result<(), BatchError> {
    let names: Vec<String> = inputs.iter().map(Input::name).collect();
    let mut other: Vec<&str> = completed
        .inputs()
        .filter(|i| !names.iter().any(|n| n == i))
        .collect();
    if other.is_empty() {
        return Ok(());
    }
    other.sort_unstable();
    Err(BatchError::Output {
        target: "--resume".into(),
        reason: format!(
            "the output holds records of {}, which the inputs now given do not name; \
             resume with the inputs of the first run, named the same way",
            other
                .iter()
                .map(|i| format!("`{i}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    })
}

/// Checks one document and builds its result record and summary facts.
fn score(
    checker: &Checker,
    check: &crate::CheckOptions,
    options: &BatchOptions,
    document: Document,
    position: &Position,
) -> (BatchRecord, RecordStats) {
    let text = match &document.text {
        Ok(text) => text,
        Err(error) => return failed(&document, position, error),
    };
    // Markup by source: files of a directory tree by their extension, WordPress
    // posts (which carry a permalink) as HTML; an explicit setting wins.
    let detected;
    let check = if check.markup == crate::markup::Markup::Text {
        let markup = if document.link.is_some() {
            crate::markup::Markup::Html
        } else {
            crate::markup::Markup::from_path(&document.id)
        };
        if markup == crate::markup::Markup::Text {
            check
        } else {
            detected = crate::CheckOptions {
                markup,
                ..check.clone()
            };
            &detected
        }
    } else {
        check
    };
    let report = match catch_unwind(AssertUnwindSafe(|| checker.check_with(text, check))) {
        Ok(Ok(report)) => report,
        Ok(Err(e)) => return failed(&document, position, &RecordError::Internal(e.to_string())),
        Err(panic) => {
            let why = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_else(|| "panic".into());
            return failed(&document, position, &RecordError::Internal(why));
        }
    };
    if text.len() >= LARGE_TEXT {
        release_free_memory();
    }
    let record = BatchRecord::scored(&document, position, &report, options.top, options.all_spans);
    let stats = RecordStats {
        id: document.id,
        text_bytes: text.len() as u64,
        outcome: Ok(Scored {
            score: report.score,
            verdict: report.verdict,
            words: report.words,
            artifacts: report
                .spans
                .iter()
                .map(|s| {
                    (
                        s.rule.clone(),
                        s.text.to_lowercase(),
                        s.suggestions
                            .first()
                            .map(|o| o.to_lowercase())
                            .unwrap_or_default(),
                    )
                })
                .collect(),
        }),
    };
    (record, stats)
}

/// Texts from this size on leave enough freed memory behind to be worth
/// handing back to the system.
const LARGE_TEXT: usize = 256 << 10;

/// Hands memory freed by the checker back to the system. glibc keeps freed
/// memory in per-thread arenas, so without this every worker would keep the peak
/// of the largest text it ever checked, and the memory budget would hold per
/// worker instead of per process.
fn release_free_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only returns free pages to the system; it takes no
    // pointers and is safe to call from any thread at any time.
    unsafe {
        libc::malloc_trim(0);
    }
}

fn failed(
    document: &Document,
    position: &Position,
    error: &RecordError,
) -> (BatchRecord, RecordStats) {
    (
        BatchRecord::failed(document, position, error),
        RecordStats {
            id: document.id.clone(),
            text_bytes: 0,
            outcome: Err(error.kind()),
        },
    )
}

/// The writer: puts results out in input order, flushing regularly.
fn write_in_order(
    results: Receiver<Done>,
    sink: &mut OutputSink,
    budget: &Budget,
    summary: &mut SummaryBuilder,
    progress: &dyn Fn(u64, bool),
) -> Result<(), BatchError> {
    let mut next = 0u64;
    let mut waiting: BTreeMap<u64, Done> = BTreeMap::new();
    let mut documents = 0u64;
    let mut last_flush = Instant::now();
    loop {
        match results.recv_timeout(FLUSH_INTERVAL) {
            Ok(done) => {
                waiting.insert(done.seq, done);
            }
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => break,
        }
        while let Some(done) = waiting.remove(&next) {
            next += 1;
            documents += 1;
            match done.outcome {
                Outcome::Skipped => summary.skip(),
                Outcome::Written { line, stats } => {
                    sink.write_line(&line)?;
                    summary.add(stats);
                }
            }
            budget.release(done.cost);
        }
        if last_flush.elapsed() >= FLUSH_INTERVAL {
            sink.flush()?;
            progress(documents, false);
            last_flush = Instant::now();
        }
    }
    // Only a worker that died could leave gaps; write what there is, in order.
    for (_, done) in waiting {
        documents += 1;
        if let Outcome::Written { line, stats } = done.outcome {
            sink.write_line(&line)?;
            summary.add(stats);
        }
    }
    sink.flush()?;
    progress(documents, true);
    Ok(())
}
