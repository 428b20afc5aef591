//! Reading the texts to check: files or standard input, with errors that say
//! which file and where.

use std::io::Read;

/// One text to check.
pub struct Input {
    /// The file name as given, or `-` for standard input.
    pub path: String,
    /// The text.
    pub text: String,
}

/// Reads `path` (`-` is standard input) as UTF-8, or explains in one line why not.
pub fn read(path: &str) -> Result<Input, String> {
    let bytes = if path == "-" {
        let mut buf = Vec::new();
        std::io::stdin()
            .read_to_end(&mut buf)
            .map_err(|e| format!("standard input: {e}"))?;
        buf
    } else {
        // One open and one status call per file: the size sizes the buffer.
        let reason = |e: std::io::Error| format!("{path}: {}", io_reason(&e));
        let mut file = std::fs::File::open(path).map_err(reason)?;
        let meta = file.metadata().map_err(reason)?;
        if meta.is_dir() {
            return Err(format!("{path}: is a directory, expected a text file"));
        }
        let mut buf = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0) + 1);
        file.read_to_end(&mut buf).map_err(reason)?;
        buf
    };
    let text = String::from_utf8(bytes).map_err(|e| {
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let line = 1 + valid.iter().filter(|&&b| b == b'\n').count();
        let line_start = valid.iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1);
        let column = String::from_utf8_lossy(&valid[line_start..])
            .chars()
            .count()
            + 1;
        format!(
            "{path}: invalid UTF-8 at line {line}, column {column} (byte offset {})",
            valid.len()
        )
    })?;
    Ok(Input {
        path: path.to_string(),
        text,
    })
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
    /// Some file could not be read.
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

/// Reads and checks each of `paths` in turn, each with the markup its name
/// suggests, and hands the input and its report to `each`. A file that cannot
/// be read is reported on standard error and the run goes on; `each`
/// answering `Ok(false)` ends the run early (the reader closed the pipe).
pub fn check_files(
    paths: &[String],
    checker: &unspun::Checker,
    options: &mut unspun::CheckOptions,
    args: &super::CheckerArgs,
    mut each: impl FnMut(&Input, unspun::Report) -> Result<bool, String>,
) -> Result<Outcome, String> {
    let mut outcome = Outcome::default();
    for path in paths {
        let input = match read(path) {
            Ok(i) => i,
            Err(message) => {
                eprintln!("unspun: {message}");
                outcome.failed = true;
                continue;
            }
        };
        options.diff_name = input.path.clone();
        options.markup = args.markup_for(&input.path);
        let report = checker
            .check_with(&input.text, options)
            .map_err(|e| e.to_string())?;
        outcome.flagged |= !report.spans.is_empty();
        if !each(&input, report)? {
            break;
        }
    }
    Ok(outcome)
}
