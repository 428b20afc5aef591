//! `unspun check`: a readable report on a terminal, or JSON for machines.

use super::input;
use super::CheckerArgs;
use clap::{Args, ValueEnum};
use std::io::{IsTerminal, Write};
use unspun::text::LineIndex;
use unspun::{Report, Verdict};

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files to check; `-` or none reads standard input.
    #[arg(value_name = "FILES")]
    files: Vec<String>,
    /// Output format: `text` for people, `json` for one JSON object per file and line.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// When to colour the text report.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    color: Color,
    #[command(flatten)]
    input: input::InputArgs,
    #[command(flatten)]
    checker: CheckerArgs,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Format {
    Text,
    Json,
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

pub fn run(args: CheckArgs) -> Result<i32, String> {
    let (checker, mut options) = args.checker.build()?;
    let colour = args.color.enabled();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let paths = input::paths(&args.files);
    let outcome = input::check_files(
        &paths,
        &checker,
        &mut options,
        &args.checker,
        &args.input,
        |input, report| {
            let written = match args.format {
                Format::Json => serde_json::to_string(&FileReport {
                    path: &input.path,
                    report: &report,
                })
                .map_err(|e| e.to_string())
                .and_then(|line| writeln!(out, "{line}").map_err(|e| e.to_string())),
                Format::Text => print_text(&mut out, &input.path, &input.text, &report, colour)
                    .map_err(|e| e.to_string()),
            };
            match written {
                Ok(()) => Ok(true),
                Err(e) if e.contains("Broken pipe") => Ok(false),
                Err(e) => Err(format!("writing the report: {e}")),
            }
        },
    )?;
    Ok(outcome.exit_code())
}

struct Paint(bool);

impl Paint {
    fn wrap(&self, code: &str, s: &str) -> String {
        if self.0 {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }
}

fn print_text(
    out: &mut impl Write,
    path: &str,
    text: &str,
    report: &Report,
    colour: bool,
) -> std::io::Result<()> {
    let paint = Paint(colour);
    let lines = LineIndex::new(text);
    for span in &report.spans {
        let fix = span.suggestions.first().map(String::as_str).unwrap_or("?");
        writeln!(
            out,
            "{}: {} -> {}  [{}, confidence {:.2}]",
            paint.wrap("1", &format!("{path}:{}:{}", span.line, span.column)),
            paint.wrap("31", &span.text),
            paint.wrap("32", fix),
            span.rule,
            span.confidence
        )?;
        let range = lines.line_range(text, span.line);
        let line = &text[range.clone()];
        // Show at most ~60 characters either side of the span.
        let rel_start = span.start - range.start;
        let rel_end = (span.end - range.start).min(line.len());
        let before = tail_chars(&line[..rel_start], 60);
        let after = head_chars(&line[rel_end..], 60);
        writeln!(
            out,
            "    {}{}{}",
            before,
            paint.wrap("4;31", &line[rel_start..rel_end]),
            after
        )?;
        if !colour {
            writeln!(
                out,
                "    {}{}",
                " ".repeat(before.chars().count()),
                "^".repeat(line[rel_start..rel_end].chars().count().max(1))
            )?;
        }
        writeln!(out, "    {}", span.message)?;
        if span.suggestions.len() > 1 {
            writeln!(
                out,
                "    other suggestions: {}",
                span.suggestions[1..].join(", ")
            )?;
        }
    }
    let verdict = match report.verdict {
        Verdict::Clean => paint.wrap("32", "clean"),
        Verdict::Suspicious => paint.wrap("33", "suspicious"),
        Verdict::Spun => paint.wrap("1;31", "spun"),
    };
    writeln!(
        out,
        "{path}: {verdict} (score {:.2}; {} artifact{} in {} words)",
        report.score,
        report.spans.len(),
        if report.spans.len() == 1 { "" } else { "s" },
        report.words
    )
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
