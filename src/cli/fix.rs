//! `unspun fix`: the fixed text, a unified diff, or an atomic rewrite in place.

use super::check::Color;
use super::input;
use super::CheckerArgs;
use clap::Args;
use std::io::Write;
use unspun::repair::{word_diff, WordChange};

#[derive(Debug, Args)]
pub struct FixArgs {
    /// Files to fix; `-` reads standard input (not with --write).
    #[arg(value_name = "FILES", required = true)]
    files: Vec<String>,
    /// Print a unified diff instead of the fixed text.
    #[arg(long, conflicts_with = "write")]
    diff: bool,
    /// Print a coloured word-level diff instead of the fixed text.
    #[arg(long, conflicts_with_all = ["write", "diff"])]
    word_diff: bool,
    /// Rewrite the files in place (atomically: a crash leaves the old or the new file, never half of one).
    #[arg(long)]
    write: bool,
    /// When to colour --word-diff.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    color: Color,
    #[command(flatten)]
    checker: CheckerArgs,
}

pub fn run(args: FixArgs) -> Result<i32, String> {
    if args.write && args.files.iter().any(|f| f == "-") {
        return Err("--write cannot rewrite standard input; name the files".into());
    }
    let (checker, mut options) = args.checker.build()?;
    options.include_diff = args.diff;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let colour = args.color.enabled();
    let outcome = input::check_files(
        &args.files,
        &checker,
        &mut options,
        &args.checker,
        |input, report| {
            let path = &input.path;
            let fixed = report.fixed.unwrap_or_default();
            let result = if args.write {
                if fixed != input.text {
                    write_atomically(path, &fixed)
                        .map_err(|e| format!("{path}: cannot rewrite: {e}"))?;
                    eprintln!("unspun: fixed {} artifact(s) in {path}", report.spans.len());
                }
                Ok(())
            } else if args.diff {
                out.write_all(report.diff.unwrap_or_default().as_bytes())
            } else if args.word_diff {
                print_word_diff(&mut out, &input.text, &fixed, colour)
            } else {
                out.write_all(fixed.as_bytes())
            };
            match result {
                Ok(()) => Ok(true),
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(false),
                Err(e) => Err(format!("writing the output: {e}")),
            }
        },
    )?;
    Ok(outcome.exit_code())
}

fn print_word_diff(
    out: &mut impl Write,
    old: &str,
    new: &str,
    colour: bool,
) -> std::io::Result<()> {
    for change in word_diff(old, new) {
        match change {
            WordChange::Same(s) => write!(out, "{s}")?,
            WordChange::Removed(s) if colour => write!(out, "\x1b[9;31m{s}\x1b[0m")?,
            WordChange::Added(s) if colour => write!(out, "\x1b[32m{s}\x1b[0m")?,
            WordChange::Removed(s) => write!(out, "[-{s}-]")?,
            WordChange::Added(s) => write!(out, "{{+{s}+}}")?,
        }
    }
    Ok(())
}

/// Writes `contents` to a temporary file beside `path`, flushes it to disk,
/// keeps the original's permissions, and renames it over `path`.
fn write_atomically(path: &str, contents: &str) -> std::io::Result<()> {
    let target = std::path::Path::new(path);
    let dir = target
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."));
    let name = target
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("file");
    let temp = dir.join(format!(".{name}.unspun-{}.tmp", std::process::id()));
    let result = (|| {
        let mut file = std::fs::File::create(&temp)?;
        file.write_all(contents.as_bytes())?;
        file.sync_all()?;
        if let Ok(meta) = std::fs::metadata(target) {
            std::fs::set_permissions(&temp, meta.permissions())?;
        }
        std::fs::rename(&temp, target)?;
        if let Ok(d) = std::fs::File::open(dir) {
            let _ = d.sync_all();
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result
}
