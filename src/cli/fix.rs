//! `unspun fix`: the fixed text, a unified diff, or a rewrite in place
//! (`write.rs` says how a file is replaced).

use super::check::Color;
use super::encoding::Encoding;
use super::input::{self, InputArgs};
use super::write;
use super::CheckerArgs;
use clap::Args;
use std::io::Write;
use unspun::repair::{unified_diff, word_diff, WordChange};

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
    /// Rewrite the files in place: atomically, keeping owner and mode, through
    /// symbolic links; a file changed during the run or read-only is left as
    /// it is (README: "fix --write").
    #[arg(long)]
    write: bool,
    /// When to colour --word-diff.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    color: Color,
    #[command(flatten)]
    input: InputArgs,
    #[command(flatten)]
    checker: CheckerArgs,
}

pub fn run(args: FixArgs) -> Result<i32, String> {
    if args.write && args.files.iter().any(|f| f == "-") {
        return Err("--write cannot rewrite standard input; name the files".into());
    }
    let setups = args.checker.setups(&args.files)?;
    let files: Vec<String> = args
        .files
        .iter()
        .filter(|f| !setups.of(f).args.ignores(f))
        .cloned()
        .collect();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let colour = args.color.enabled();
    let mut unwritten = false;
    let outcome = input::check_files(&files, &setups, args.diff, &args.input, |input, report| {
        let path = &input.path;
        let fixed = report.fixed.unwrap_or_default();
        let result = if args.write {
            if fixed != input.text {
                match write_back(input, &fixed) {
                    Ok(()) => eprintln!(
                        "unspun: fixed {} artifact(s) in {path}",
                        report.spans.iter().filter(|s| s.fixable).count()
                    ),
                    Err(reason) => {
                        eprintln!("unspun: {path}: {reason}");
                        unwritten = true;
                    }
                }
            }
            Ok(())
        } else if args.diff {
            let diff = match input.encoding {
                // The diff applies to the file as written, BOM and all.
                Encoding::Utf8Bom => unified_diff(
                    path,
                    &format!("\u{feff}{}", input.text),
                    &format!("\u{feff}{fixed}"),
                ),
                _ => report.diff.unwrap_or_default(),
            };
            out.write_all(diff.as_bytes())
        } else if args.word_diff {
            print_word_diff(&mut out, &input.text, &fixed, colour)
        } else {
            out.write_all(&input.encoding.encode(&fixed))
        };
        match result {
            Ok(()) => Ok(true),
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(false),
            Err(e) => Err(format!("writing the output: {e}")),
        }
    })?;
    Ok(if unwritten { 2 } else { outcome.exit_code() })
}

/// Writes the fixed text over the file `input` was read from, in its encoding.
fn write_back(input: &input::Input, fixed: &str) -> Result<(), String> {
    let Some(stamp) = &input.stamp else {
        return Err("not a regular file; --write rewrites only regular files".into());
    };
    let original = input.encoding.encode(&input.text);
    write::rewrite(&input.path, stamp, &original, &input.encoding.encode(fixed))
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
