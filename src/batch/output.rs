//! Writing result records, and reading back what an interrupted run completed.
//!
//! Records go out whole: each is serialised to one line on a worker thread and
//! written by the single writer, so lines never interleave. The writer flushes
//! every [`FLUSH_INTERVAL`] and syncs the file at the end, so a killed run
//! loses at most the records of its last fraction of a second, and at worst the
//! file ends in a torn line.
//!
//! [`OutputSink::resume`] reads such a file back ([`super::resume`]): it collects
//! the positions of the complete records, cuts the file after the last one that
//! parses (a torn or garbled tail is discarded and redone) and appends from
//! there. A file whose first complete line is not an unspun record is never
//! touched.
//!
//! Two guards keep a run from destroying data: the output file is locked while
//! a run writes it (a second run is refused), and an output that is one of the
//! inputs, under any name (a symbolic or hard link), is refused before it is
//! opened ([`refuse_output_among_inputs`]).

use super::record::BatchRecord;
use super::resume::{scan_complete, Completed, ResumeState};
use super::source::{io_reason, Input};
use super::BatchError;
use std::fs::{File, OpenOptions};
use std::io::{self, BufWriter, Seek, SeekFrom, Write};
use std::path::Path;
use std::time::Duration;

/// How often buffered records are pushed to the output.
pub const FLUSH_INTERVAL: Duration = Duration::from_millis(200);

/// The result formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OutputFormat {
    /// One JSON object per line ([`BatchRecord`]).
    #[default]
    Jsonl,
    /// CSV with a header; spans summarised in the `top` column.
    Csv,
}

/// The CSV output's columns.
pub const CSV_HEADER: &str = "id,title,link,score,verdict,words,spans,top,error,input,record";

impl OutputFormat {
    /// Serialises `record` as one line, line break included. CSV fields never
    /// contain line breaks (they become spaces), so one line is one record.
    pub fn line(self, record: &BatchRecord) -> Vec<u8> {
        match self {
            OutputFormat::Jsonl => {
                let mut line = serde_json::to_vec(record).expect("a record serialises");
                line.push(b'\n');
                line
            }
            OutputFormat::Csv => {
                let number = |n: Option<usize>| n.map(|n| n.to_string()).unwrap_or_default();
                let top = record
                    .top
                    .iter()
                    .map(|s| {
                        format!(
                            "{} -> {} ({})",
                            s.text,
                            s.suggestions.join(" | "),
                            s.confidence
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("; ");
                let fields = [
                    record.id.clone(),
                    record.title.clone().unwrap_or_default(),
                    record.link.clone().unwrap_or_default(),
                    record.score.map(|s| s.to_string()).unwrap_or_default(),
                    record
                        .verdict
                        .map(|v| v.as_str().to_string())
                        .unwrap_or_default(),
                    number(record.words),
                    number(record.spans),
                    top,
                    record.error.clone().unwrap_or_default(),
                    record.input.clone(),
                    record.record.to_string(),
                ];
                let mut writer = csv::WriterBuilder::new().from_writer(Vec::new());
                writer
                    .write_record(fields.iter().map(|f| single_line(f).into_owned()))
                    .expect("writing to memory");
                writer.into_inner().expect("writing to memory")
            }
        }
    }
}

/// `text` with line breaks turned into spaces (CSV output keeps one record per line).
pub(crate) fn single_line(text: &str) -> std::borrow::Cow<'_, str> {
    if text.contains(['\n', '\r']) {
        text.replace(['\n', '\r'], " ").into()
    } else {
        text.into()
    }
}

/// Refuses an `output` that is one of the `inputs` (compared by device and
/// inode, so a symbolic or hard link to an input is caught too), or a document
/// file inside an input directory tree (the run would read its own results).
/// Call it before [`OutputSink::create`] or [`OutputSink::resume`]: those open
/// and may truncate the file.
pub fn refuse_output_among_inputs(output: &Path, inputs: &[Input]) -> Result<(), BatchError> {
    let refuse = |what: String| BatchError::Output {
        target: output.display().to_string(),
        reason: format!(
            "{what}; writing the results there would destroy it; choose another --output"
        ),
    };
    let Ok(meta) = std::fs::metadata(output) else {
        // No such file yet: it can only clash by being inside an input tree.
        return refuse_inside_tree(output, inputs).map_err(refuse);
    };
    for input in inputs {
        let same = match input {
            Input::Path(path) => std::fs::metadata(path).is_ok_and(|m| same_file(&m, &meta)),
            Input::Stdin => stdin_metadata().is_some_and(|m| same_file(&m, &meta)),
        };
        if same {
            return Err(refuse(format!("is the input {}", input.name())));
        }
    }
    refuse_inside_tree(output, inputs).map_err(refuse)
}

fn refuse_inside_tree(output: &Path, inputs: &[Input]) -> Result<(), String> {
    if !super::source::is_document(output) {
        return Ok(());
    }
    let (Some(parent), Some(name)) = (output.parent(), output.file_name()) else {
        return Ok(());
    };
    let parent = if parent.as_os_str().is_empty() {
        Path::new(".")
    } else {
        parent
    };
    let Ok(resolved) = parent.canonicalize().map(|p| p.join(name)) else {
        return Ok(());
    };
    for input in inputs {
        if let Input::Path(path) = input {
            if path.is_dir()
                && path
                    .canonicalize()
                    .is_ok_and(|root| resolved.starts_with(root))
            {
                return Err(format!(
                    "is a document file inside the input tree {}",
                    input.name()
                ));
            }
        }
    }
    Ok(())
}

#[cfg(unix)]
fn same_file(a: &std::fs::Metadata, b: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    a.dev() == b.dev() && a.ino() == b.ino()
}

#[cfg(not(unix))]
fn same_file(_: &std::fs::Metadata, _: &std::fs::Metadata) -> bool {
    false
}

/// What standard input is, when it is a file (`< archive.jsonl`).
#[cfg(unix)]
fn stdin_metadata() -> Option<std::fs::Metadata> {
    use std::os::fd::AsFd;
    let fd = io::stdin().as_fd().try_clone_to_owned().ok()?;
    File::from(fd).metadata().ok()
}

#[cfg(not(unix))]
fn stdin_metadata() -> Option<std::fs::Metadata> {
    None
}

/// Where result records go: standard output or a file, in one format.
///
/// A file is held under an exclusive advisory lock (`flock`) for as long as the
/// sink lives, so a second run on the same output is refused instead of
/// interleaving its records with the first one's.
pub struct OutputSink {
    target: String,
    format: OutputFormat,
    writer: BufWriter<Box<dyn Write>>,
    file: Option<File>,
    completed: Completed,
    earlier_ids: Vec<u64>,
    resumed: ResumeState,
}

const WRITE_BUFFER: usize = 1 << 20;

fn output_error(path: &Path, e: &io::Error) -> BatchError {
    BatchError::Output {
        target: path.display().to_string(),
        reason: io_reason(e),
    }
}

/// Opens `path` for reading and writing without truncating it, and takes the
/// exclusive lock that says a run is writing it.
fn open_locked(path: &Path) -> Result<File, BatchError> {
    let file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(path)
        .map_err(|e| output_error(path, &e))?;
    match lock_exclusive(&file) {
        Ok(()) => Ok(file),
        Err(e) if e.kind() == io::ErrorKind::WouldBlock => Err(BatchError::Output {
            target: path.display().to_string(),
            reason: "another unspun batch run is writing this file; wait for it to end \
                     (then --resume finishes its work) or stop it first"
                .into(),
        }),
        Err(e) => Err(BatchError::Output {
            target: path.display().to_string(),
            reason: format!("cannot lock: {}", io_reason(&e)),
        }),
    }
}

/// Takes an exclusive `flock` on `file` without waiting (`WouldBlock` when
/// another open file holds one). Released when the last handle closes.
#[cfg(unix)]
fn lock_exclusive(file: &File) -> io::Result<()> {
    use rustix::fs::{flock, FlockOperation};
    flock(file, FlockOperation::NonBlockingLockExclusive).map_err(io::Error::from)
}

/// No advisory lock on this platform.
#[cfg(not(unix))]
fn lock_exclusive(_: &File) -> io::Result<()> {
    Ok(())
}

impl OutputSink {
    /// Writes to standard output.
    pub fn stdout(format: OutputFormat) -> Self {
        Self::new(
            "standard output".into(),
            Box::new(io::stdout()),
            None,
            format,
            ResumeState::default(),
            true,
        )
    }

    /// Creates `path` for a new run. An existing non-empty file is refused
    /// unless `overwrite` is set: it is likely an interrupted run to resume. A
    /// file another run is writing is refused, before anything is truncated.
    /// Call [`refuse_output_among_inputs`] first: this cannot know the inputs.
    pub fn create(path: &Path, format: OutputFormat, overwrite: bool) -> Result<Self, BatchError> {
        let file = open_locked(path)?;
        let length = file.metadata().map_err(|e| output_error(path, &e))?.len();
        if !overwrite && length > 0 {
            return Err(BatchError::Output {
                target: path.display().to_string(),
                reason: "already exists; pass --resume to finish that run, or --overwrite to start again"
                    .into(),
            });
        }
        file.set_len(0).map_err(|e| output_error(path, &e))?;
        let writer = file.try_clone().map_err(|e| output_error(path, &e))?;
        Ok(Self::new(
            path.display().to_string(),
            Box::new(writer),
            Some(file),
            format,
            ResumeState::default(),
            true,
        ))
    }

    /// Opens `path` to finish an interrupted run (or starts it if absent): keeps
    /// the complete records, cuts a torn or garbled tail, and appends. A file
    /// another run is writing is refused.
    pub fn resume(path: &Path, format: OutputFormat) -> Result<Self, BatchError> {
        let mut file = open_locked(path)?;
        let scan = scan_complete(&file, format).map_err(|reason| BatchError::Output {
            target: path.display().to_string(),
            reason,
        })?;
        if scan.keep < scan.end {
            file.set_len(scan.keep)
                .map_err(|e| output_error(path, &e))?;
            file.sync_all().map_err(|e| output_error(path, &e))?;
        }
        file.seek(SeekFrom::Start(scan.keep))
            .map_err(|e| output_error(path, &e))?;
        let writer = file.try_clone().map_err(|e| output_error(path, &e))?;
        let resumed = ResumeState {
            complete: scan.records,
            discarded_bytes: scan.end - scan.keep,
        };
        let mut sink = Self::new(
            path.display().to_string(),
            Box::new(writer),
            Some(file),
            format,
            resumed,
            !scan.has_header,
        );
        sink.completed = scan.completed;
        sink.earlier_ids = scan.ids;
        Ok(sink)
    }

    fn new(
        target: String,
        writer: Box<dyn Write>,
        file: Option<File>,
        format: OutputFormat,
        resumed: ResumeState,
        needs_header: bool,
    ) -> Self {
        let mut writer = BufWriter::with_capacity(WRITE_BUFFER, writer);
        if needs_header && format == OutputFormat::Csv {
            // Into the buffer: cannot fail; errors show at the first flush.
            let _ = writeln!(writer, "{CSV_HEADER}");
        }
        OutputSink {
            target,
            format,
            writer,
            file,
            completed: Completed::new(format),
            earlier_ids: Vec::new(),
            resumed,
        }
    }

    /// The output format.
    pub fn format(&self) -> OutputFormat {
        self.format
    }

    /// The records an earlier run completed, by position (empty unless resuming).
    pub fn completed(&self) -> &Completed {
        &self.completed
    }

    /// Moves the completed positions and the earlier records' id hashes out
    /// (the reader and the summary use them while the writer holds the sink).
    pub(crate) fn take_completed(&mut self) -> (Completed, Vec<u64>) {
        (
            std::mem::take(&mut self.completed),
            std::mem::take(&mut self.earlier_ids),
        )
    }

    /// What resuming found.
    pub fn resumed(&self) -> &ResumeState {
        &self.resumed
    }

    fn fail(&self, e: io::Error) -> BatchError {
        if e.kind() == io::ErrorKind::BrokenPipe {
            BatchError::Closed
        } else {
            BatchError::Output {
                target: self.target.clone(),
                reason: io_reason(&e),
            }
        }
    }

    /// Writes one serialised record (a whole line).
    pub(crate) fn write_line(&mut self, line: &[u8]) -> Result<(), BatchError> {
        self.writer.write_all(line).map_err(|e| self.fail(e))
    }

    /// Pushes buffered records to the output.
    pub(crate) fn flush(&mut self) -> Result<(), BatchError> {
        self.writer.flush().map_err(|e| self.fail(e))
    }

    /// Flushes and, for a file, waits until the data is on disk.
    pub(crate) fn finish(&mut self) -> Result<(), BatchError> {
        self.flush()?;
        if let Some(file) = &self.file {
            file.sync_all().map_err(|e| self.fail(e))?;
        }
        Ok(())
    }
}
