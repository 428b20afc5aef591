//! Reading archives as a stream of records, whatever their format and
//! compression.
//!
//! Reading is split in two so that it never limits the workers: the reader
//! thread only cuts the input into [`Raw`] records (a JSON line, a CSV row, a
//! file's bytes, a WordPress post's fields), and [`decode`] turns a raw record
//! into a [`Document`] on a worker thread (JSON parsing, UTF-8 validation,
//! limits). Nothing holds more than one record of an input in memory.
//!
//! Ids that come from a record's position (`line:<n>` for a line whose id cannot
//! be read, `item:<n>` for a post without an id, a file's relative path) are
//! prefixed with the input's name when a run has several inputs, so they stay
//! unique across the run.

use super::record::{Document, RecordError};
use super::{BatchError, BatchOptions};
use serde_json::{Map, Value};
use std::borrow::Cow;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// One input of a batch run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// Standard input (JSON Lines unless the format says otherwise).
    Stdin,
    /// A file (possibly `.gz` or `.zst` compressed) or a directory tree.
    Path(PathBuf),
}

impl Input {
    /// `-` is standard input; anything else a path.
    pub fn from_arg(arg: &str) -> Input {
        if arg == "-" {
            Input::Stdin
        } else {
            Input::Path(PathBuf::from(arg))
        }
    }

    /// The input as a person would name it in a message.
    pub fn name(&self) -> String {
        match self {
            Input::Stdin => "standard input".into(),
            Input::Path(p) => p.display().to_string(),
        }
    }
}

/// The archive formats `unspun batch` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum InputFormat {
    /// Guess: a directory is a tree, then the file extension (ignoring `.gz` and
    /// `.zst`), then the first byte (`{` JSON Lines, `<` WordPress XML).
    #[default]
    Auto,
    /// One JSON object per line, with id and text fields.
    Jsonl,
    /// CSV with a header row naming the id and text columns.
    Csv,
    /// A directory tree of `.txt`, `.md` and `.html` files; id = relative path.
    Dir,
    /// A WordPress export (WXR): one record per post or page; id = post id.
    Wxr,
}

impl InputFormat {
    /// The lower-case name used on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            InputFormat::Auto => "auto",
            InputFormat::Jsonl => "jsonl",
            InputFormat::Csv => "csv",
            InputFormat::Dir => "dir",
            InputFormat::Wxr => "wxr",
        }
    }
}

/// File extensions read from a directory tree (Markdown and HTML are checked as
/// plain text for now).
pub const DIRECTORY_EXTENSIONS: &[&str] = &["txt", "text", "md", "markdown", "html", "htm"];

/// Settles the format of `input`: the one asked for, or a guess. Fails when the
/// input cannot be opened or its format cannot be told.
pub fn resolve_format(input: &Input, asked: InputFormat) -> Result<InputFormat, BatchError> {
    let fail = |reason: String| BatchError::Input {
        input: input.name(),
        reason,
    };
    let path = match input {
        Input::Stdin if asked == InputFormat::Dir => {
            return Err(fail(
                "a directory tree cannot come from standard input".into(),
            ))
        }
        Input::Stdin if asked == InputFormat::Auto => return Ok(InputFormat::Jsonl),
        Input::Stdin => return Ok(asked),
        Input::Path(path) => path,
    };
    let meta = std::fs::metadata(path).map_err(|e| fail(io_reason(&e)))?;
    if meta.is_dir() {
        return match asked {
            InputFormat::Auto | InputFormat::Dir => Ok(InputFormat::Dir),
            other => Err(fail(format!(
                "is a directory; --format {} reads a file",
                other.as_str()
            ))),
        };
    }
    match asked {
        InputFormat::Dir => return Err(fail("is not a directory".into())),
        InputFormat::Auto => {}
        other => return Ok(other),
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let name = name
        .strip_suffix(".gz")
        .or_else(|| name.strip_suffix(".zst"))
        .unwrap_or(&name);
    let by_extension = match name.rsplit_once('.').map(|(_, ext)| ext) {
        Some("jsonl" | "ndjson" | "json") => Some(InputFormat::Jsonl),
        Some("csv") => Some(InputFormat::Csv),
        Some("xml" | "wxr") => Some(InputFormat::Wxr),
        _ => None,
    };
    if let Some(format) = by_extension {
        return Ok(format);
    }
    let counters = ReadCounters::default();
    let mut reader = open(input, &counters).map_err(|e| fail(io_reason(&e)))?;
    let mut head = [0u8; 4096];
    let n = read_up_to(&mut reader, &mut head).map_err(|e| fail(io_reason(&e)))?;
    match head[..n]
        .iter()
        .find(|b| !b.is_ascii_whitespace() && **b != 0xEF && **b != 0xBB && **b != 0xBF)
    {
        Some(b'{') => Ok(InputFormat::Jsonl),
        Some(b'<') => Ok(InputFormat::Wxr),
        _ => Err(fail(
            "cannot tell the archive format from the name or content; pass --format".into(),
        )),
    }
}

fn read_up_to(reader: &mut dyn Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match reader.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

/// The total size of the inputs on disk (compressed sizes for compressed files),
/// when every input is a file or directory: the denominator of the progress bar.
pub fn total_size(inputs: &[Input], formats: &[InputFormat]) -> Option<u64> {
    let mut total = 0;
    for (input, format) in inputs.iter().zip(formats) {
        let Input::Path(path) = input else {
            return None;
        };
        if *format == InputFormat::Dir {
            for entry in walk(path).flatten() {
                if is_document(entry.path()) {
                    total += entry.metadata().map_or(0, |m| m.len());
                }
            }
        } else {
            total += std::fs::metadata(path).ok()?.len();
        }
    }
    Some(total)
}

/// Bytes read so far, shared between the reader thread and the progress display.
#[derive(Debug, Default)]
pub struct ReadCounters {
    /// Bytes read from disk or standard input (compressed, if compressed).
    pub stored: AtomicU64,
    /// Bytes after decompression.
    pub decoded: AtomicU64,
}

struct Counting<'a, R> {
    inner: R,
    counter: &'a AtomicU64,
}

impl<R: Read> Read for Counting<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.counter.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

const GZIP_MAGIC: &[u8] = &[0x1f, 0x8b];
const ZSTD_MAGIC: &[u8] = &[0x28, 0xb5, 0x2f, 0xfd];
const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";
const READ_BUFFER: usize = 256 << 10;

/// Opens a file or standard input, decompressing gzip and zstd (told by their
/// magic bytes, so a compressed stream on standard input works too).
fn open<'a>(input: &Input, counters: &'a ReadCounters) -> io::Result<Box<dyn BufRead + 'a>> {
    let stored: Box<dyn Read> = match input {
        Input::Stdin => Box::new(io::stdin().lock()),
        Input::Path(path) => Box::new(File::open(path)?),
    };
    let mut stored = BufReader::with_capacity(
        READ_BUFFER,
        Counting {
            inner: stored,
            counter: &counters.stored,
        },
    );
    let head = loop {
        match stored.fill_buf() {
            Ok(head) => break head,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    };
    let decoded: Box<dyn Read + 'a> = if head.starts_with(GZIP_MAGIC) {
        Box::new(flate2::bufread::MultiGzDecoder::new(stored))
    } else if head.starts_with(ZSTD_MAGIC) {
        Box::new(zstd::stream::read::Decoder::with_buffer(stored)?)
    } else {
        Box::new(stored)
    };
    Ok(Box::new(BufReader::with_capacity(
        READ_BUFFER,
        Counting {
            inner: decoded,
            counter: &counters.decoded,
        },
    )))
}

/// A record as the reader thread cuts it, before decoding.
#[derive(Debug)]
pub enum Raw {
    /// A JSON Lines line (without its line break).
    JsonLine {
        /// 1-based line number in the input.
        line: u64,
        /// The line's bytes.
        bytes: Vec<u8>,
    },
    /// A line longer than the reader keeps in memory.
    LongLine {
        /// 1-based line number in the input.
        line: u64,
        /// The line's length in bytes.
        bytes: u64,
    },
    /// A CSV data row.
    CsvRow {
        /// 1-based line number where the row starts.
        line: u64,
        /// The row's fields.
        row: csv::ByteRecord,
        /// Where the id and text columns are.
        columns: Arc<CsvColumns>,
    },
    /// A document whose id is known and whose text is still bytes (a file, a post).
    Fields {
        /// The document id.
        id: String,
        /// Title, if any.
        title: Option<String>,
        /// Link, if any.
        link: Option<String>,
        /// The text's bytes, or why there are none.
        text: Result<Vec<u8>, RecordError>,
    },
}

impl Raw {
    /// The memory this record may need until it is written: the checker's
    /// working memory for its text plus 1 KiB of bookkeeping. For the budget of
    /// records in flight.
    pub fn cost(&self) -> usize {
        const OVERHEAD: usize = 1024;
        OVERHEAD
            + super::WORKING_MEMORY_PER_TEXT_BYTE
                * match self {
                    Raw::JsonLine { bytes, .. } => bytes.len(),
                    Raw::LongLine { .. } => 0,
                    Raw::CsvRow { row, .. } => row.as_slice().len(),
                    Raw::Fields { text, .. } => text.as_ref().map_or(0, Vec::len),
                }
    }
}

/// Column positions of a CSV input, from its header.
#[derive(Debug)]
pub struct CsvColumns {
    id: Option<usize>,
    text: usize,
    text_name: String,
}

/// What one input contributes to a run, besides its records.
#[derive(Debug, Default)]
pub struct InputReport {
    /// WordPress items that are neither posts nor pages (attachments, menu items...).
    pub ignored_items: u64,
    /// Lines of a JSON Lines input that are empty or only white space: they
    /// yield no record, and are counted so that no line goes unaccounted.
    pub blank_lines: u64,
}

/// Reads `input` to its end, handing each raw record to `emit` (which returns
/// false to stop early). Fails when the input cannot be read to its end (a read
/// error, a truncated compressed stream, or a file that shrank while it was
/// read); the records before the failure have been emitted.
pub fn read(
    input: &Input,
    format: InputFormat,
    options: &BatchOptions,
    prefix: Option<&str>,
    counters: &ReadCounters,
    emit: &mut dyn FnMut(Raw) -> bool,
) -> Result<InputReport, String> {
    match format {
        InputFormat::Dir => {
            let Input::Path(root) = input else {
                return Err("a directory tree cannot come from standard input".into());
            };
            read_dir(root, options, prefix, counters, emit)
        }
        format => {
            // The file as opened, to tell afterwards whether it shrank.
            let opened = match input {
                Input::Path(path) => {
                    let file = File::open(path).map_err(|e| io_reason(&e))?;
                    let length = file.metadata().map_err(|e| io_reason(&e))?.len();
                    Some((file, length))
                }
                Input::Stdin => None,
            };
            let reader = open(input, counters).map_err(|e| io_reason(&e))?;
            let mut stopped = false;
            let mut emit = |raw: Raw| {
                let more = emit(raw);
                stopped |= !more;
                more
            };
            let report = match format {
                InputFormat::Csv => read_csv(reader, options, &mut emit),
                InputFormat::Wxr => read_wxr(reader, options, prefix, &mut emit),
                _ => read_jsonl(reader, options, &mut emit),
            }?;
            if let (Some((file, length)), false) = (opened, stopped) {
                let now = file.metadata().map_err(|e| io_reason(&e))?.len();
                if now < length {
                    return Err(format!(
                        "the file shrank from {length} to {now} bytes while it was read: \
                         the records past byte {now} are missing"
                    ));
                }
            }
            Ok(report)
        }
    }
}

fn read_jsonl(
    mut reader: Box<dyn BufRead + '_>,
    options: &BatchOptions,
    emit: &mut dyn FnMut(Raw) -> bool,
) -> Result<InputReport, String> {
    // A line may hold escapes, so allow it twice the text limit (and some).
    let cap = options.max_bytes.saturating_mul(2).saturating_add(1 << 20);
    let mut line_no = 0u64;
    let mut report = InputReport::default();
    loop {
        let mut bytes = Vec::new();
        let Some(length) = read_line_capped(&mut reader, &mut bytes, cap)
            .map_err(|e| format!("after line {line_no}: {}", io_reason(&e)))?
        else {
            return Ok(report);
        };
        line_no += 1;
        let raw = if length > bytes.len() as u64 {
            Raw::LongLine {
                line: line_no,
                bytes: length,
            }
        } else {
            if bytes.last() == Some(&b'\r') {
                bytes.pop();
            }
            if line_no == 1 && bytes.starts_with(UTF8_BOM) {
                bytes.drain(..UTF8_BOM.len());
            }
            if bytes.iter().all(u8::is_ascii_whitespace) {
                report.blank_lines += 1;
                continue;
            }
            Raw::JsonLine {
                line: line_no,
                bytes,
            }
        };
        if !emit(raw) {
            return Ok(report);
        }
    }
}

/// Reads one line into `buf` (without the line break), keeping at most `cap`
/// bytes; returns the line's full length, or `None` at the end of the input.
fn read_line_capped(
    reader: &mut dyn BufRead,
    buf: &mut Vec<u8>,
    cap: usize,
) -> io::Result<Option<u64>> {
    let mut length = 0u64;
    let mut any = false;
    loop {
        let available = match reader.fill_buf() {
            Ok(b) => b,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if available.is_empty() {
            return Ok(any.then_some(length));
        }
        any = true;
        let (chunk, used, done) = match memchr::memchr(b'\n', available) {
            Some(i) => (&available[..i], i + 1, true),
            None => (available, available.len(), false),
        };
        let room = cap.saturating_sub(buf.len());
        buf.extend_from_slice(&chunk[..chunk.len().min(room)]);
        length += chunk.len() as u64;
        reader.consume(used);
        if done {
            return Ok(Some(length));
        }
    }
}

fn read_csv(
    reader: Box<dyn BufRead + '_>,
    options: &BatchOptions,
    emit: &mut dyn FnMut(Raw) -> bool,
) -> Result<InputReport, String> {
    let mut csv = csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(true)
        .from_reader(reader);
    let header = csv
        .byte_headers()
        .map_err(|e| format!("reading the CSV header: {e}"))?;
    let column = |name: &str| header.iter().position(|h| h == name.as_bytes());
    let names = || {
        header
            .iter()
            .map(|h| String::from_utf8_lossy(h).into_owned())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let Some(text) = column(&options.text_field) else {
        return Err(format!(
            "the CSV header has no `{}` column (columns: {}); name the text column with --text-field",
            options.text_field,
            names()
        ));
    };
    let columns = Arc::new(CsvColumns {
        id: column(&options.id_field),
        text,
        text_name: options.text_field.clone(),
    });
    let mut row = csv::ByteRecord::new();
    loop {
        match csv.read_byte_record(&mut row) {
            Ok(false) => return Ok(InputReport::default()),
            Ok(true) => {}
            Err(e) => return Err(format!("reading CSV: {e}")),
        }
        let line = row.position().map_or(0, |p| p.line());
        let raw = Raw::CsvRow {
            line,
            row: std::mem::take(&mut row),
            columns: Arc::clone(&columns),
        };
        if !emit(raw) {
            return Ok(InputReport::default());
        }
    }
}

fn walk(root: &Path) -> walkdir::IntoIter {
    walkdir::WalkDir::new(root).sort_by_file_name().into_iter()
}

pub(crate) fn is_document(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| DIRECTORY_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

fn relative_id(root: &Path, path: &Path, prefix: Option<&str>) -> String {
    let relative = path.strip_prefix(root).unwrap_or(path);
    let mut id: Vec<String> = Vec::new();
    if let Some(prefix) = prefix {
        id.push(prefix.trim_end_matches('/').to_string());
    }
    id.extend(
        relative
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    id.join("/")
}

fn read_dir(
    root: &Path,
    options: &BatchOptions,
    prefix: Option<&str>,
    counters: &ReadCounters,
    emit: &mut dyn FnMut(Raw) -> bool,
) -> Result<InputReport, String> {
    for entry in walk(root) {
        let raw = match entry {
            Err(e) => {
                // An unreadable subdirectory or file still yields one record.
                let Some(path) = e.path() else {
                    return Err(e.to_string());
                };
                Raw::Fields {
                    id: relative_id(root, path, prefix),
                    title: None,
                    link: None,
                    text: Err(RecordError::Unreadable(
                        e.io_error().map_or_else(|| e.to_string(), io_reason),
                    )),
                }
            }
            Ok(entry) => {
                if !entry.file_type().is_file() || !is_document(entry.path()) {
                    continue;
                }
                let id = relative_id(root, entry.path(), prefix);
                let size = entry.metadata().map_or(0, |m| m.len());
                let text = if size > options.max_bytes as u64 {
                    Err(RecordError::TooLarge {
                        bytes: size,
                        limit: options.max_bytes,
                    })
                } else {
                    std::fs::read(entry.path()).map_err(|e| RecordError::Unreadable(io_reason(&e)))
                };
                counters.stored.fetch_add(size, Ordering::Relaxed);
                counters.decoded.fetch_add(size, Ordering::Relaxed);
                Raw::Fields {
                    id,
                    title: None,
                    link: None,
                    text,
                }
            }
        };
        if !emit(raw) {
            break;
        }
    }
    Ok(InputReport::default())
}

/// The post fields of a WordPress export that a record uses.
#[derive(Clone, Copy, PartialEq)]
enum WxrField {
    Title,
    Link,
    Content,
    PostId,
    PostType,
}

impl WxrField {
    fn from_name(name: &[u8]) -> Option<WxrField> {
        Some(match name {
            b"title" => WxrField::Title,
            b"link" => WxrField::Link,
            b"content:encoded" => WxrField::Content,
            b"wp:post_id" => WxrField::PostId,
            b"wp:post_type" => WxrField::PostType,
            _ => return None,
        })
    }
}

#[derive(Default)]
struct WxrItem {
    title: Option<Vec<u8>>,
    link: Option<Vec<u8>>,
    content: Option<Vec<u8>>,
    content_bytes: u64,
    post_id: Option<Vec<u8>>,
    post_type: Option<Vec<u8>>,
}

impl WxrItem {
    fn slot(&mut self, field: WxrField) -> &mut Option<Vec<u8>> {
        match field {
            WxrField::Title => &mut self.title,
            WxrField::Link => &mut self.link,
            WxrField::Content => &mut self.content,
            WxrField::PostId => &mut self.post_id,
            WxrField::PostType => &mut self.post_type,
        }
    }
}

fn trimmed_string(bytes: Option<Vec<u8>>) -> Option<String> {
    let text = String::from_utf8_lossy(&bytes?).trim().to_string();
    (!text.is_empty()).then_some(text)
}

fn read_wxr(
    reader: Box<dyn BufRead + '_>,
    options: &BatchOptions,
    prefix: Option<&str>,
    emit: &mut dyn FnMut(Raw) -> bool,
) -> Result<InputReport, String> {
    use quick_xml::events::Event;
    let mut xml = quick_xml::Reader::from_reader(reader);
    let mut report = InputReport::default();
    let mut buf = Vec::new();
    let mut item: Option<WxrItem> = None;
    let mut depth = 0usize;
    let mut capture: Option<WxrField> = None;
    let mut items = 0u64;
    loop {
        buf.clear();
        let event = xml
            .read_event_into(&mut buf)
            .map_err(|e| format!("invalid XML near byte {}: {e}", xml.error_position()))?;
        let Some(current) = item.as_mut() else {
            match event {
                Event::Start(e) if e.name().as_ref() == b"item" => {
                    item = Some(WxrItem::default());
                    depth = 0;
                    capture = None;
                }
                Event::Eof => return Ok(report),
                _ => {}
            }
            continue;
        };
        let append = |current: &mut WxrItem, bytes: &[u8]| {
            if let Some(field) = capture {
                if field == WxrField::Content {
                    current.content_bytes += bytes.len() as u64;
                    if current.content_bytes > options.max_bytes as u64 {
                        // Keep counting, stop keeping: the record will say it is too large.
                        return;
                    }
                }
                current
                    .slot(field)
                    .get_or_insert_with(Vec::new)
                    .extend_from_slice(bytes);
            }
        };
        match event {
            Event::Start(e) => {
                depth += 1;
                if depth == 1 {
                    capture = WxrField::from_name(e.name().as_ref());
                    if let Some(field) = capture {
                        *current.slot(field) = Some(Vec::new());
                    }
                }
            }
            Event::Empty(e) if depth == 0 => {
                if let Some(field) = WxrField::from_name(e.name().as_ref()) {
                    *current.slot(field) = Some(Vec::new());
                }
            }
            Event::Text(t) => append(current, &t),
            Event::CData(t) => append(current, &t),
            Event::GeneralRef(r) => {
                let resolved = match r.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    _ => match &*r as &[u8] {
                        b"amp" => "&".into(),
                        b"lt" => "<".into(),
                        b"gt" => ">".into(),
                        b"quot" => "\"".into(),
                        b"apos" => "'".into(),
                        other => format!("&{};", String::from_utf8_lossy(other)),
                    },
                };
                append(current, resolved.as_bytes());
            }
            Event::End(_) if depth > 0 => {
                if depth == 1 {
                    capture = None;
                }
                depth -= 1;
            }
            Event::End(_) => {
                let done = item.take().unwrap_or_default();
                items += 1;
                let post_type = trimmed_string(done.post_type.clone());
                if !matches!(post_type.as_deref(), None | Some("post") | Some("page")) {
                    report.ignored_items += 1;
                    continue;
                }
                if !emit(wxr_record(done, items, options, prefix)) {
                    return Ok(report);
                }
            }
            Event::Eof => return Err("the export ends inside an <item>".into()),
            _ => {}
        }
    }
}

fn wxr_record(item: WxrItem, index: u64, options: &BatchOptions, prefix: Option<&str>) -> Raw {
    let id = trimmed_string(item.post_id).unwrap_or_else(|| positional_id(prefix, "item", index));
    let text = match item.content {
        None => Err(RecordError::MissingField(
            "the post has no <content:encoded> element".into(),
        )),
        Some(_) if item.content_bytes > options.max_bytes as u64 => Err(RecordError::TooLarge {
            bytes: item.content_bytes,
            limit: options.max_bytes,
        }),
        Some(content) => Ok(content),
    };
    Raw::Fields {
        id,
        title: trimmed_string(item.title),
        link: trimmed_string(item.link),
        text,
    }
}

/// `line:<n>` (or `<input>:line:<n>` when the run has several inputs).
fn positional_id(prefix: Option<&str>, what: &str, n: u64) -> String {
    match prefix {
        Some(p) => format!("{p}:{what}:{n}"),
        None => format!("{what}:{n}"),
    }
}

/// Turns a raw record into a document: parses JSON, finds the fields,
/// validates UTF-8 and applies the size limit. Runs on worker threads.
pub fn decode(raw: Raw, options: &BatchOptions, prefix: Option<&str>) -> Document {
    match raw {
        Raw::JsonLine { line, bytes } => decode_json_line(line, &bytes, options, prefix),
        Raw::LongLine { line, bytes } => Document {
            id: positional_id(prefix, "line", line),
            title: None,
            link: None,
            text: Err(RecordError::TooLarge {
                bytes,
                limit: options.max_bytes,
            }),
        },
        Raw::CsvRow { line, row, columns } => decode_csv_row(line, &row, &columns, options, prefix),
        Raw::Fields {
            id,
            title,
            link,
            text,
        } => Document {
            id,
            title,
            link,
            text: text.and_then(|bytes| text_from_bytes(bytes, options.max_bytes)),
        },
    }
}

fn text_from_bytes(bytes: Vec<u8>, max_bytes: usize) -> Result<String, RecordError> {
    if bytes.len() > max_bytes {
        return Err(RecordError::TooLarge {
            bytes: bytes.len() as u64,
            limit: max_bytes,
        });
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        RecordError::InvalidUtf8(format!(
            "at byte {} of the text",
            e.utf8_error().valid_up_to()
        ))
    })?;
    checked_text(text, max_bytes)
}

fn checked_text(text: String, max_bytes: usize) -> Result<String, RecordError> {
    if text.len() > max_bytes {
        Err(RecordError::TooLarge {
            bytes: text.len() as u64,
            limit: max_bytes,
        })
    } else if text.trim().is_empty() {
        Err(RecordError::EmptyText)
    } else {
        Ok(text)
    }
}

fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Takes the field named `path` out of `object`: the key itself if present,
/// else a dotted path into nested objects (`meta.id`).
fn take_field(object: &mut Map<String, Value>, path: &str) -> Option<Value> {
    if let Some(value) = object.remove(path) {
        return Some(value);
    }
    let (first, rest) = path.split_once('.')?;
    match object.get_mut(first)? {
        Value::Object(inner) => take_field(inner, rest),
        _ => None,
    }
}

fn decode_json_line(
    line: u64,
    bytes: &[u8],
    options: &BatchOptions,
    prefix: Option<&str>,
) -> Document {
    let fallback_id = || positional_id(prefix, "line", line);
    let failed = |id: String, error: RecordError| Document {
        id,
        title: None,
        link: None,
        text: Err(error),
    };
    // Invalid UTF-8: parse a repaired copy anyway, to recover the id.
    let (source, bad_utf8) = match std::str::from_utf8(bytes) {
        Ok(s) => (Cow::Borrowed(s), None),
        Err(e) => (String::from_utf8_lossy(bytes), Some(e.valid_up_to())),
    };
    let mut object = match serde_json::from_str::<Value>(&source) {
        Ok(Value::Object(object)) => object,
        Ok(other) => {
            return failed(
                fallback_id(),
                RecordError::MalformedJson(format!(
                    "expected an object, found {}",
                    json_kind(&other)
                )),
            )
        }
        Err(e) => {
            return failed(
                fallback_id(),
                match bad_utf8 {
                    Some(at) => RecordError::InvalidUtf8(format!("at byte {at} of line {line}")),
                    None => RecordError::MalformedJson(e.to_string()),
                },
            )
        }
    };
    let id = match take_field(&mut object, &options.id_field) {
        Some(Value::String(s)) if !s.is_empty() => s,
        Some(Value::Number(n)) => n.to_string(),
        _ => fallback_id(),
    };
    if let Some(at) = bad_utf8 {
        return failed(
            id,
            RecordError::InvalidUtf8(format!("at byte {at} of line {line}")),
        );
    }
    let field = &options.text_field;
    let text = match take_field(&mut object, field) {
        Some(Value::String(text)) => checked_text(text, options.max_bytes),
        None | Some(Value::Null) => Err(RecordError::MissingField(format!(
            "missing field `{field}`"
        ))),
        Some(other) => Err(RecordError::MissingField(format!(
            "field `{field}` is a {} where a string was expected",
            json_kind(&other)
        ))),
    };
    Document {
        id,
        title: None,
        link: None,
        text,
    }
}

fn decode_csv_row(
    line: u64,
    row: &csv::ByteRecord,
    columns: &CsvColumns,
    options: &BatchOptions,
    prefix: Option<&str>,
) -> Document {
    let id = columns
        .id
        .and_then(|i| row.get(i))
        .map(|raw| String::from_utf8_lossy(raw).trim().to_string())
        .filter(|id| !id.is_empty())
        .unwrap_or_else(|| positional_id(prefix, "line", line));
    let text = match row.get(columns.text) {
        None => Err(RecordError::MissingField(format!(
            "row has {} field(s), no `{}` column",
            row.len(),
            columns.text_name
        ))),
        Some(bytes) => text_from_bytes(bytes.to_vec(), options.max_bytes),
    };
    Document {
        id,
        title: None,
        link: None,
        text,
    }
}

/// A one-line reason for an I/O error.
pub(crate) fn io_reason(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::NotFound => "no such file or directory".into(),
        io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}
