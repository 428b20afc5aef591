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
        let meta = std::fs::metadata(path).map_err(|e| format!("{path}: {}", io_reason(&e)))?;
        if meta.is_dir() {
            return Err(format!("{path}: is a directory, expected a text file"));
        }
        std::fs::read(path).map_err(|e| format!("{path}: {}", io_reason(&e)))?
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
