//! Reading the texts to check: files or standard input, with errors that say
//! which file and where.
//!
//! A check reads the whole text before it judges any of it (a verdict and the
//! evidence density are document-wide), so what can be bounded is how much is
//! read: every input is read in chunks up to `--max-bytes` and refused past
//! it, so that `check /dev/urandom`, an endless pipe or a huge file costs a
//! bounded amount of memory and ends with a one-line error. Invalid UTF-8 is
//! caught chunk by chunk, so binary input fails at its first bad byte.

use super::encoding::{self, Encoding, SNIFF_BYTES};
use super::write::FileStamp;
use clap::Args;
use std::io::Read;

/// The default of `--max-bytes`: a long book fits, and the check of that much
/// text stays within a few hundred megabytes of memory.
pub const DEFAULT_MAX_BYTES: usize = 10_000_000;

/// How much is read at a time.
const CHUNK: usize = 64 * 1024;

/// Options on reading the inputs of `check` and `fix`.
#[derive(Debug, Clone, Args)]
pub struct InputArgs {
    /// Refuse (exit 2) a file or standard input of more than this many bytes.
    #[arg(long, value_name = "BYTES", default_value_t = DEFAULT_MAX_BYTES)]
    pub max_bytes: usize,
}

/// One text to check.
pub struct Input {
    /// The file name as given, or `-` for standard input.
    pub path: String,
    /// The text, without a byte-order mark.
    pub text: String,
    /// The encoding the file was read in.
    pub encoding: Encoding,
    /// The identity and state of the regular file that was read (none for
    /// standard input and other streams): `fix --write` replaces the file only
    /// while it still is this one, unchanged.
    pub stamp: Option<FileStamp>,
}

/// Reads `path` (`-` is standard input) as text of at most `max_bytes` bytes,
/// or explains in one line why not.
pub fn read(path: &str, max_bytes: usize) -> Result<Input, String> {
    let name = if path == "-" { "standard input" } else { path };
    let fail = |reason: String| format!("{name}: {reason}");
    let (bytes, stamp) = if path == "-" {
        let bytes = read_limited(std::io::stdin().lock(), max_bytes, CHUNK).map_err(fail)?;
        (bytes, None)
    } else {
        let file = std::fs::File::open(path).map_err(|e| fail(io_reason(&e)))?;
        let meta = file.metadata().map_err(|e| fail(io_reason(&e)))?;
        if meta.is_dir() {
            return Err(fail("is a directory, expected a text file".into()));
        }
        if meta.is_file() && meta.len() > max_bytes as u64 {
            return Err(fail(format!(
                "{} bytes, over the limit of {max_bytes} bytes (raise it with --max-bytes)",
                meta.len()
            )));
        }
        let stamp = meta.is_file().then(|| FileStamp::of(&meta));
        // A regular file is read in one chunk of its size (and one read that
        // finds its end): no 64 KiB buffer to zero for a 2 KB article.
        let expected = if meta.is_file() {
            meta.len() as usize + 1
        } else {
            CHUNK
        };
        (
            read_limited(file, max_bytes, expected).map_err(fail)?,
            stamp,
        )
    };
    let encoding = encoding::sniff(&bytes[..bytes.len().min(SNIFF_BYTES)]).map_err(fail)?;
    let text = encoding::decode(bytes, encoding).map_err(fail)?;
    Ok(Input {
        path: path.to_string(),
        text,
        encoding,
        stamp,
    })
}

/// Reads all of `reader` up to `max_bytes`, stopping early at the first
/// invalid UTF-8 of a text that is not UTF-16. `expected` is how many bytes
/// the reader is thought to hold (the chunk read at a time, at most 64 KiB).
fn read_limited(
    mut reader: impl Read,
    max_bytes: usize,
    expected: usize,
) -> Result<Vec<u8>, String> {
    let mut bytes = Vec::with_capacity(expected.min(CHUNK));
    let mut chunk = vec![0; expected.clamp(SNIFF_BYTES, CHUNK)];
    let mut utf8: Option<bool> = None;
    // UTF-8 is valid up to here (after the BOM).
    let mut checked = 0;
    loop {
        let n = match reader.read(&mut chunk) {
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(io_reason(&e)),
        };
        if bytes.len() + n > max_bytes {
            return Err(format!(
                "more than the limit of {max_bytes} bytes (raise it with --max-bytes)"
            ));
        }
        bytes.extend_from_slice(&chunk[..n]);
        let end = n == 0;
        if utf8.is_none() && (bytes.len() >= SNIFF_BYTES || end) {
            let encoding = encoding::sniff(&bytes[..bytes.len().min(SNIFF_BYTES)])?;
            utf8 = Some(encoding.is_utf8());
            checked = encoding.bom_len();
        }
        if utf8 == Some(true) {
            match std::str::from_utf8(&bytes[checked..]) {
                Ok(_) => checked = bytes.len(),
                // A sequence cut by the chunk's end is completed by the next one.
                Err(e) if e.error_len().is_none() && !end => checked += e.valid_up_to(),
                Err(e) => {
                    let bom = usize::from(bytes.starts_with(b"\xEF\xBB\xBF")) * 3;
                    return Err(encoding::invalid_utf8(
                        &bytes[bom..],
                        checked + e.valid_up_to() - bom,
                        bom,
                    ));
                }
            }
        }
        if end {
            return Ok(bytes);
        }
    }
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

/// The files named on the command line, or standard input when there are none.
pub fn paths(files: &[String]) -> Vec<String> {
    if files.is_empty() {
        vec!["-".to_string()]
    } else {
        files.to_vec()
    }
}

/// What a run over several files found, as the exit code says it.
#[derive(Debug, Default, Clone, Copy)]
pub struct Outcome {
    /// Some file had an artifact.
    pub flagged: bool,
    /// Some file could not be read (or written back).
    pub failed: bool,
}

impl Outcome {
    /// 2 when a file could not be read, 1 when an artifact was found, else 0.
    pub fn exit_code(self) -> i32 {
        if self.failed {
            2
        } else if self.flagged {
            1
        } else {
            0
        }
    }
}

/// Reads and checks each of `paths` in turn, each with its setup (the
/// configuration nearest to it) and the markup its name suggests, and hands
/// the input and its report to `each`. A file that cannot
/// be read is reported on standard error and the run goes on; `each`
/// answering `Ok(false)` ends the run early (the reader closed the pipe).
pub fn check_files(
    paths: &[String],
    setups: &super::Setups,
    include_diff: bool,
    limits: &InputArgs,
    mut each: impl FnMut(&Input, unspun::Report) -> Result<bool, String>,
) -> Result<Outcome, String> {
    let mut outcome = Outcome::default();
    for path in paths {
        let input = match read(path, limits.max_bytes) {
            Ok(i) => i,
            Err(message) => {
                eprintln!("unspun: {message}");
                outcome.failed = true;
                continue;
            }
        };
        let setup = setups.of(path);
        let mut options = setup.options.clone();
        options.include_diff = include_diff;
        options.diff_name = input.path.clone();
        options.markup = setup.args.markup_for(&input.path);
        let report = setup
            .checker
            .check_with(&input.text, &options)
            .map_err(|e| e.to_string())?;
        outcome.flagged |= !report.spans.is_empty();
        if !each(&input, report)? {
            break;
        }
    }
    Ok(outcome)
}

/// The files `git ls-files` lists under the configuration's folder that are
/// prose unspun reads (Markdown, HTML, plain text, or a format the
/// configuration's `[markup]` names), in git's order.
pub fn tracked_files(
    config: &unspun::config::Config,
    markup_for: impl Fn(&str) -> unspun::Markup,
) -> Result<Vec<String>, String> {
    let output = std::process::Command::new("git")
        .arg("-C")
        .arg(&config.root)
        .args(["ls-files", "-z", "--full-name", "--", "."])
        .output()
        .map_err(|e| format!("no files named, and git could not list the project's files: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "no files named, and {} is not in a git repository: name the files to check",
            config.root.display()
        ));
    }
    let top = std::process::Command::new("git")
        .arg("-C")
        .arg(&config.root)
        .args(["rev-parse", "--show-toplevel"])
        .output()
        .map_err(|e| format!("git: {e}"))?;
    let top = std::path::PathBuf::from(String::from_utf8_lossy(&top.stdout).trim());
    let current = std::env::current_dir().map_err(|e| format!("the current folder: {e}"))?;
    Ok(output
        .stdout
        .split(|&b| b == 0)
        .filter(|name| !name.is_empty())
        .filter_map(|name| std::str::from_utf8(name).ok())
        .map(|name| top.join(name))
        .map(|path| {
            path.strip_prefix(&current)
                .map(|p| p.to_path_buf())
                .unwrap_or(path)
                .to_string_lossy()
                .into_owned()
        })
        .filter(|path| {
            let lower = path.to_ascii_lowercase();
            markup_for(path) != unspun::Markup::Text || lower.ends_with(".txt")
        })
        .collect())
}
