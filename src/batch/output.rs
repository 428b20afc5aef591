//! Writing result records, and reading back what an interrupted run completed.
//!
//! Records go out whole: each is serialised to one line on a worker thread and
//! written by the single writer, so lines never interleave. The writer flushes
//! every [`FLUSH_INTERVAL`] and syncs the file at the end, so a killed run
//! loses at most the records of its last fraction of a second, and at worst the
//! file ends in a torn line.
//!
//! [`OutputSink::resume`] reads such a file back: it collects the ids of the
//! complete records, cuts the file after the last one that parses (a torn or
//! garbled tail is discarded and redone) and appends from there. A file whose
//! first complete line is not an unspun record is never touched.

use super::record::BatchRecord;
use super::source::io_reason;
use super::BatchError;
use std::fs::{File, OpenOptions};
use std::hash::{Hash, Hasher};
use std::io::{self, BufRead, BufReader, BufWriter, Seek, SeekFrom, Write};
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
pub const CSV_HEADER: &str = "id,title,link,score,verdict,words,spans,top,error";

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
fn single_line(text: &str) -> std::borrow::Cow<'_, str> {
    if text.contains(['\n', '\r']) {
        text.replace(['\n', '\r'], " ").into()
    } else {
        text.into()
    }
}

/// The ids already complete in an output file, as 128-bit hashes (16 bytes per
/// id however long the ids are; a false match is a 1 in 2^100 event even for
/// billions of ids).
#[derive(Debug, Clone, Default)]
pub struct CompletedIds {
    keys: Vec<u128>,
    csv: bool,
}

fn id_key(id: &str) -> u128 {
    let half = |salt: u8| {
        let mut h = std::hash::DefaultHasher::new();
        salt.hash(&mut h);
        id.hash(&mut h);
        h.finish()
    };
    (u128::from(half(1)) << 64) | u128::from(half(2))
}

impl CompletedIds {
    fn new(mut keys: Vec<u128>, format: OutputFormat) -> Self {
        keys.sort_unstable();
        keys.dedup();
        CompletedIds {
            keys,
            csv: format == OutputFormat::Csv,
        }
    }

    /// Whether the record `id` is already complete.
    pub fn contains(&self, id: &str) -> bool {
        if self.keys.is_empty() {
            return false;
        }
        let key = if self.csv {
            id_key(&single_line(id))
        } else {
            id_key(id)
        };
        self.keys.binary_search(&key).is_ok()
    }

    /// How many distinct ids are complete.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Whether no id is complete.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }
}

/// What resuming found in the output file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ResumeState {
    /// Complete records kept.
    pub complete: u64,
    /// Bytes of torn or unreadable tail cut off.
    pub discarded_bytes: u64,
}

/// Where result records go: standard output or a file, in one format.
pub struct OutputSink {
    target: String,
    format: OutputFormat,
    writer: BufWriter<Box<dyn Write>>,
    file: Option<File>,
    completed: CompletedIds,
    resumed: ResumeState,
}

const WRITE_BUFFER: usize = 1 << 20;

fn output_error(path: &Path, e: &io::Error) -> BatchError {
    BatchError::Output {
        target: path.display().to_string(),
        reason: io_reason(e),
    }
}

impl OutputSink {
    /// Writes to standard output.
    pub fn stdout(format: OutputFormat) -> Self {
        Self::new(
            "standard output".into(),
            Box::new(io::stdout()),
            None,
            format,
            CompletedIds::default(),
            ResumeState::default(),
            true,
        )
    }

    /// Creates `path` for a new run. An existing non-empty file is refused
    /// unless `overwrite` is set: it is likely an interrupted run to resume.
    pub fn create(path: &Path, format: OutputFormat, overwrite: bool) -> Result<Self, BatchError> {
        if !overwrite && std::fs::metadata(path).is_ok_and(|meta| meta.len() > 0) {
            return Err(BatchError::Output {
                target: path.display().to_string(),
                reason: "already exists; pass --resume to finish that run, or --overwrite to start again"
                    .into(),
            });
        }
        let file = File::create(path).map_err(|e| output_error(path, &e))?;
        let writer = file.try_clone().map_err(|e| output_error(path, &e))?;
        Ok(Self::new(
            path.display().to_string(),
            Box::new(writer),
            Some(file),
            format,
            CompletedIds::default(),
            ResumeState::default(),
            true,
        ))
    }

    /// Opens `path` to finish an interrupted run (or starts it if absent): keeps
    /// the complete records, cuts a torn or garbled tail, and appends.
    pub fn resume(path: &Path, format: OutputFormat) -> Result<Self, BatchError> {
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(path)
            .map_err(|e| output_error(path, &e))?;
        let length = file.metadata().map_err(|e| output_error(path, &e))?.len();
        let scan = scan_complete(&file, format).map_err(|reason| BatchError::Output {
            target: path.display().to_string(),
            reason,
        })?;
        if scan.keep < length {
            file.set_len(scan.keep)
                .map_err(|e| output_error(path, &e))?;
            file.sync_all().map_err(|e| output_error(path, &e))?;
        }
        file.seek(SeekFrom::Start(scan.keep))
            .map_err(|e| output_error(path, &e))?;
        let writer = file.try_clone().map_err(|e| output_error(path, &e))?;
        let resumed = ResumeState {
            complete: scan.ids.len() as u64,
            discarded_bytes: length - scan.keep,
        };
        Ok(Self::new(
            path.display().to_string(),
            Box::new(writer),
            Some(file),
            format,
            CompletedIds::new(scan.ids, format),
            resumed,
            !scan.has_header,
        ))
    }

    fn new(
        target: String,
        writer: Box<dyn Write>,
        file: Option<File>,
        format: OutputFormat,
        completed: CompletedIds,
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
            completed,
            resumed,
        }
    }

    /// The output format.
    pub fn format(&self) -> OutputFormat {
        self.format
    }

    /// The ids an earlier run completed (empty unless resuming).
    pub fn completed(&self) -> &CompletedIds {
        &self.completed
    }

    /// Moves the completed ids out (the workers share them while the writer
    /// holds the sink).
    pub(crate) fn take_completed(&mut self) -> CompletedIds {
        std::mem::take(&mut self.completed)
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

struct Scan {
    ids: Vec<u128>,
    keep: u64,
    has_header: bool,
}

/// Reads an output file: the keys of its complete records, and the length up to
/// the end of the last one (everything after is torn or garbled).
fn scan_complete(file: &File, format: OutputFormat) -> Result<Scan, String> {
    let mut reader = BufReader::with_capacity(WRITE_BUFFER, file);
    let mut scan = Scan {
        ids: Vec::new(),
        keep: 0,
        has_header: false,
    };
    let mut line = Vec::new();
    let mut offset = 0u64;
    let mut first = true;
    loop {
        line.clear();
        let n = reader
            .read_until(b'\n', &mut line)
            .map_err(|e| io_reason(&e))?;
        if n == 0 || line.last() != Some(&b'\n') {
            return Ok(scan); // the end, or a torn last line
        }
        let body = &line[..n - 1];
        let id = match format {
            OutputFormat::Jsonl => json_record_id(body),
            OutputFormat::Csv if first => {
                if body.strip_suffix(b"\r").unwrap_or(body) != CSV_HEADER.as_bytes() {
                    return Err(format!(
                        "does not start with the CSV header of unspun batch output (`{CSV_HEADER}`); not touching it"
                    ));
                }
                scan.has_header = true;
                first = false;
                offset += n as u64;
                scan.keep = offset;
                continue;
            }
            OutputFormat::Csv => csv_record_id(body),
        };
        match id {
            Some(id) => scan.ids.push(id_key(&id)),
            None if first => {
                return Err(format!(
                    "its first line is not a {} record of unspun batch; not touching it",
                    match format {
                        OutputFormat::Jsonl => "JSON Lines",
                        OutputFormat::Csv => "CSV",
                    }
                ))
            }
            None => return Ok(scan), // garbled: redo everything from here
        }
        first = false;
        offset += n as u64;
        scan.keep = offset;
    }
}

fn json_record_id(line: &[u8]) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct Complete {
        id: String,
        error: Option<String>,
        verdict: Option<serde_json::Value>,
    }
    let record: Complete = serde_json::from_slice(line).ok()?;
    // A record is complete when it is scored or says why not.
    (record.error.is_some() || record.verdict.is_some()).then_some(record.id)
}

fn csv_record_id(line: &[u8]) -> Option<String> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(line);
    let record = reader.records().next()?.ok()?;
    (record.len() == CSV_HEADER.split(',').count()).then(|| record[0].to_string())
}
