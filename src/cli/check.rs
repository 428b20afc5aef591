//! `unspun check`: a readable report on a terminal, JSON for machines, or
//! annotations for CI (GitHub workflow commands, SARIF).

use super::ci_report;
use super::input;
use super::ordered;
use super::CheckerArgs;
use clap::{Args, ValueEnum};
use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use unspun::text::LineIndex;
use unspun::{Report, Verdict};

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files to check; `-` or none reads standard input.
    #[arg(value_name = "FILES")]
    files: Vec<String>,
    /// Output format: `text` for people, `json` for one JSON object per file and
    /// line, `github` for GitHub Actions annotations, `sarif` for one SARIF
    /// 2.1.0 log of every file (GitHub code scanning).
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// When to colour the text report.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    color: Color,
    /// Worker threads (default: one per core); output stays in input order.
    #[arg(long, short = 'j', value_name = "N")]
    jobs: Option<std::num::NonZeroUsize>,
    #[command(flatten)]
    input: input::InputArgs,
    #[command(flatten)]
    checker: CheckerArgs,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Format {
    Text,
    Json,
    Github,
    Sarif,
}

#[derive(Debug, Clone, Copy, PartialEq, ValueEnum)]
pub enum Color {
    Auto,
    Always,
    Never,
}

impl Color {
    /// Colour only on a terminal, and never when NO_COLOR is set.
    pub fn enabled(self) -> bool {
        match self {
            Color::Always => true,
            Color::Never => false,
            Color::Auto => {
                std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
            }
        }
    }
}

#[derive(serde::Serialize)]
struct FileReport<'a> {
    path: &'a str,
    #[serde(flatten)]
    report: &'a Report,
}

/// A file's SARIF results and the rules they use.
type SarifPart = (Vec<serde_json::Value>, BTreeMap<String, &'static str>);

/// What a worker hands the writer for one file.
enum Done {
    /// The report, rendered (for SARIF: its results, written at the end);
    /// `flagged` when it has a span.
    Checked {
        out: Vec<u8>,
        sarif: Option<SarifPart>,
        flagged: bool,
    },
    /// The file could not be read: reported, and the run goes on.
    Unreadable(String),
    /// The check itself failed: the run stops.
    Failed(String),
}

pub fn run(args: CheckArgs) -> Result<i32, String> {
    let mut paths = if args.files.is_empty() && std::io::stdin().is_terminal() {
        match args.checker.config_from(std::path::Path::new("."))? {
            // No files, nothing piped, and a project: its tracked text files.
            Some(config) => input::tracked_files(&config, |p| {
                config
                    .markup_for(std::path::Path::new(p))
                    .unwrap_or_else(|| unspun::Markup::from_path(p))
            })?,
            None => input::paths(&args.files),
        }
    } else {
        input::paths(&args.files)
    };
    let setups = args.checker.setups(&paths)?;
    paths.retain(|p| !setups.of(p).args.ignores(p));
    let json = matches!(args.format, Format::Json);
    let colour = args.color.enabled();
    let jobs = args.jobs.map_or_else(ordered::default_jobs, |n| n.get());
    let work = |path: &String| {
        let input = match input::read(path, args.input.max_bytes) {
            Ok(input) => input,
            Err(message) => return Done::Unreadable(message),
        };
        let setup = setups.of(path);
        let mut options = setup.options.clone();
        if !json {
            // Only the JSON report shows them.
            options.include_fixed = false;
            options.include_diff = false;
        }
        options.diff_name.clone_from(&input.path);
        options.markup = setup.args.markup_for(&input.path);
        let report = match setup.checker.check_with(&input.text, &options) {
            Ok(report) => report,
            Err(e) => return Done::Failed(e.to_string()),
        };
        let mut out = Vec::with_capacity(256 + 256 * report.spans.len());
        let mut sarif = None;
        match args.format {
            Format::Json => {
                let record = FileReport {
                    path: &input.path,
                    report: &report,
                };
                serde_json::to_writer(&mut out, &record).expect("a report serialises");
                out.push(b'\n');
            }
            Format::Text => print_text(&mut out, &input.path, &input.text, &report, colour)
                .expect("writing to memory"),
            Format::Github => ci_report::write_github(&mut out, &input.path, &input.text, &report)
                .expect("writing to memory"),
            Format::Sarif => {
                let mut rules = BTreeMap::new();
                let results =
                    ci_report::sarif_results(&input.path, &input.text, &report, &mut rules);
                sarif = Some((results, rules));
            }
        }
        Done::Checked {
            out,
            sarif,
            flagged: !report.spans.is_empty(),
        }
    };
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let mut outcome = input::Outcome::default();
    let mut error = None;
    let mut sarif_results = Vec::new();
    let mut sarif_rules = BTreeMap::new();
    ordered::for_each_ordered(&paths, jobs, work, |done| match done {
        Done::Checked {
            out: bytes,
            sarif,
            flagged,
        } => {
            outcome.flagged |= flagged;
            if let Some((results, rules)) = sarif {
                sarif_results.extend(results);
                sarif_rules.extend(rules);
            }
            match out.write_all(&bytes) {
                Ok(()) => true,
                // The reader closed the pipe: stop quietly.
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => false,
                Err(e) => {
                    error = Some(format!("writing the report: {e}"));
                    false
                }
            }
        }
        Done::Unreadable(message) => {
            eprintln!("unspun: {message}");
            outcome.failed = true;
            true
        }
        Done::Failed(message) => {
            error = Some(message);
            false
        }
    });
    if matches!(args.format, Format::Sarif) && error.is_none() {
        let log = ci_report::sarif_log(sarif_results, &sarif_rules);
        let written = serde_json::to_writer_pretty(&mut out, &log)
            .map_err(std::io::Error::from)
            .and_then(|()| out.write_all(b"\n"));
        match written {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
            Err(e) => error = Some(format!("writing the report: {e}")),
        }
    }
    // The process ends here: freeing the model piece by piece would only cost
    // time (about 5 % of a one-file run), the system takes the memory back.
    std::mem::forget(setups);
    match error {
        Some(message) => Err(message),
        None => Ok(outcome.exit_code()),
    }
}

/// Writes `s` in the colour `code` when colour is on.
fn painted(out: &mut impl Write, colour: bool, code: &str, s: &str) -> std::io::Result<()> {
    if colour {
        write!(out, "\x1b[{code}m{s}\x1b[0m")
    } else {
        out.write_all(s.as_bytes())
    }
}

/// The text report of one file: each span with its context line (at most 60
/// characters either side), then the verdict. Linear in the spans: the line
/// index is built once per file, and each span reads only its own window.
fn print_text(
    out: &mut impl Write,
    path: &str,
    text: &str,
    report: &Report,
    colour: bool,
) -> std::io::Result<()> {
    let lines = (!report.spans.is_empty()).then(|| LineIndex::new(text));
    for span in &report.spans {
        let fix = span.suggestions.first().map(String::as_str).unwrap_or("?");
        // Written piece by piece: a dense text has a span every few words,
        // and `write!` costs more than the pieces.
        let mut numbers = itoa::Buffer::new();
        if colour {
            out.write_all(b"\x1b[1m")?;
        }
        out.write_all(path.as_bytes())?;
        out.write_all(b":")?;
        out.write_all(numbers.format(span.line).as_bytes())?;
        out.write_all(b":")?;
        out.write_all(numbers.format(span.column).as_bytes())?;
        out.write_all(if colour { b"\x1b[0m: " } else { b": " })?;
        painted(out, colour, "31", &span.text)?;
        out.write_all(b" -> ")?;
        painted(out, colour, "32", fix)?;
        writeln!(out, "  [{}, confidence {:.2}]", span.rule, span.confidence)?;
        let range = lines
            .as_ref()
            .expect("built when there are spans")
            .line_range(text, span.line);
        let line = &text[range.clone()];
        // Show at most ~60 characters either side of the span.
        let rel_start = span.start - range.start;
        let rel_end = (span.end - range.start).min(line.len());
        let before = tail_chars(&line[..rel_start], 60);
        let after = head_chars(&line[rel_end..], 60);
        let marked = &line[rel_start..rel_end];
        out.write_all(b"    ")?;
        out.write_all(before.as_bytes())?;
        painted(out, colour, "4;31", marked)?;
        out.write_all(after.as_bytes())?;
        out.write_all(b"\n")?;
        if !colour {
            out.write_all(b"    ")?;
            repeat(out, b' ', before.chars().count())?;
            repeat(out, b'^', marked.chars().count().max(1))?;
            out.write_all(b"\n")?;
        }
        out.write_all(b"    ")?;
        out.write_all(span.message.as_bytes())?;
        out.write_all(b"\n")?;
        if let Some((_, others)) = span
            .suggestions
            .split_first()
            .filter(|(_, o)| !o.is_empty())
        {
            out.write_all(b"    other suggestions: ")?;
            for (i, s) in others.iter().enumerate() {
                if i > 0 {
                    out.write_all(b", ")?;
                }
                out.write_all(s.as_bytes())?;
            }
            out.write_all(b"\n")?;
        }
    }
    write!(out, "{path}: ")?;
    match report.verdict {
        Verdict::Clean => painted(out, colour, "32", "clean")?,
        Verdict::Suspicious => painted(out, colour, "33", "suspicious")?,
        Verdict::Spun => painted(out, colour, "1;31", "spun")?,
    }
    writeln!(
        out,
        " (score {:.2}; {} artifact{} in {} words)",
        report.score,
        report.spans.len(),
        if report.spans.len() == 1 { "" } else { "s" },
        report.words
    )
}

fn repeat(out: &mut impl Write, byte: u8, n: usize) -> std::io::Result<()> {
    let chunk = [byte; 64];
    let mut left = n;
    while left > 0 {
        let take = left.min(chunk.len());
        out.write_all(&chunk[..take])?;
        left -= take;
    }
    Ok(())
}

fn tail_chars(s: &str, n: usize) -> &str {
    match s.char_indices().rev().nth(n) {
        Some((i, c)) => &s[i + c.len_utf8()..],
        None => s,
    }
}

fn head_chars(s: &str, n: usize) -> &str {
    match s.char_indices().nth(n) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}
