//! `unspun batch`: score a whole archive, one result record per document.
//!
//! A thin face over [`unspun::batch`]: parses the options, prepares the output
//! (new, or resumed; never one of the inputs), shows a progress bar on a
//! terminal, and prints the summary on standard error. Ctrl-C stops the run at
//! the next record with a whole, resumable output, and prints the command that
//! finishes it; a second Ctrl-C stops at once (the output is still resumable:
//! a torn last line is redone).

use super::CheckerArgs;
use clap::{Args, ValueEnum};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use unspun::batch::{self, BatchError, BatchOptions, Input, InputFormat, OutputFormat, OutputSink};

#[derive(Debug, Args)]
pub struct BatchArgs {
    /// Archives to score: JSON Lines, CSV, WordPress export (.xml), or a directory
    /// of .txt/.md/.html files; .gz and .zst are read directly. `-` or none reads
    /// JSON Lines from standard input.
    #[arg(value_name = "INPUT")]
    inputs: Vec<String>,
    /// Archive format (auto: from the name, then the first byte).
    #[arg(long, value_enum, default_value_t = FormatArg::Auto)]
    format: FormatArg,
    /// JSON field or CSV column holding the document id (dots reach into nested
    /// JSON objects).
    #[arg(long, value_name = "FIELD", default_value = "id")]
    id_field: String,
    /// JSON field or CSV column holding the text.
    #[arg(long, value_name = "FIELD", default_value = "text")]
    text_field: String,
    /// Write the results to FILE instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    output: Option<PathBuf>,
    /// Result format.
    #[arg(long, value_enum, value_name = "FORMAT", default_value_t = OutputFormatArg::Jsonl)]
    output_format: OutputFormatArg,
    /// Finish an interrupted run: keep the complete records in --output, discard a
    /// torn last line, skip the records already done (by input and position,
    /// not by id) and append the rest.
    #[arg(long, requires = "output")]
    resume: bool,
    /// Replace an existing --output file instead of refusing to.
    #[arg(long, requires = "output", conflicts_with = "resume")]
    overwrite: bool,
    /// Worker threads (default: one per core).
    #[arg(long, short = 'j', value_name = "N")]
    jobs: Option<usize>,
    /// How many spans each record lists, most confident first.
    #[arg(long, value_name = "N", default_value_t = batch::DEFAULT_TOP)]
    top: usize,
    /// `all` lists every span, in text order, instead of the --top most confident.
    #[arg(long, value_enum, value_name = "WHICH", default_value_t = SpansArg::Top)]
    spans: SpansArg,
    /// Texts over this many bytes are not checked (their record says so).
    #[arg(long, value_name = "BYTES", default_value_t = batch::DEFAULT_MAX_BYTES)]
    max_bytes: usize,
    /// Also write the summary as JSON to FILE.
    #[arg(long, value_name = "FILE")]
    summary: Option<PathBuf>,
    /// When to show a progress bar on standard error.
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = ProgressArg::Auto)]
    progress: ProgressArg,
    /// Exit 0 even when documents are flagged (for pipe stages that treat any
    /// other exit code as a failure).
    #[arg(long)]
    exit_zero: bool,
    #[command(flatten)]
    checker: CheckerArgs,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum FormatArg {
    Auto,
    Jsonl,
    Csv,
    Dir,
    Wxr,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum OutputFormatArg {
    Jsonl,
    Csv,
}

#[derive(Debug, Clone, Copy, PartialEq, ValueEnum)]
enum SpansArg {
    Top,
    All,
}

#[derive(Debug, Clone, Copy, PartialEq, ValueEnum)]
enum ProgressArg {
    Auto,
    Always,
    Never,
}

pub fn run(args: BatchArgs) -> Result<i32, String> {
    let (checker, check) = args.checker.build()?;
    let options = BatchOptions {
        format: match args.format {
            FormatArg::Auto => InputFormat::Auto,
            FormatArg::Jsonl => InputFormat::Jsonl,
            FormatArg::Csv => InputFormat::Csv,
            FormatArg::Dir => InputFormat::Dir,
            FormatArg::Wxr => InputFormat::Wxr,
        },
        id_field: args.id_field,
        text_field: args.text_field,
        jobs: args.jobs.unwrap_or(0),
        top: args.top,
        all_spans: args.spans == SpansArg::All,
        max_bytes: args.max_bytes,
        check,
        stop: stop_on_ctrl_c(),
        ..BatchOptions::default()
    };
    let output_format = match args.output_format {
        OutputFormatArg::Jsonl => OutputFormat::Jsonl,
        OutputFormatArg::Csv => OutputFormat::Csv,
    };
    let inputs: Vec<Input> = if args.inputs.is_empty() {
        vec![Input::Stdin]
    } else {
        args.inputs.iter().map(|a| Input::from_arg(a)).collect()
    };
    if let Some(path) = &args.output {
        batch::refuse_output_among_inputs(path, &inputs).map_err(|e| e.to_string())?;
    }
    let mut earlier = 0;
    let sink = match &args.output {
        None => OutputSink::stdout(output_format),
        Some(path) if args.resume => {
            let sink = OutputSink::resume(path, output_format).map_err(|e| e.to_string())?;
            let state = sink.resumed();
            earlier = state.complete;
            if state.complete > 0 || state.discarded_bytes > 0 {
                eprintln!(
                    "unspun: resuming {}: {} record(s) already complete{}",
                    path.display(),
                    state.complete,
                    if state.discarded_bytes > 0 {
                        format!(
                            "; discarded a torn tail of {} byte(s)",
                            state.discarded_bytes
                        )
                    } else {
                        String::new()
                    }
                );
            }
            sink
        }
        Some(path) => {
            OutputSink::create(path, output_format, args.overwrite).map_err(|e| e.to_string())?
        }
    };

    let show = match args.progress {
        ProgressArg::Always => true,
        ProgressArg::Never => false,
        ProgressArg::Auto => std::io::stderr().is_terminal(),
    };
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
    if !show {
        bar.set_draw_target(ProgressDrawTarget::hidden());
    }
    bar.set_style(unsized_style());
    let on_progress = |p: &batch::Progress| {
        if let Some(total) = p.total_bytes {
            if bar.length() != Some(total) {
                bar.set_length(total);
                bar.set_style(sized_style());
            }
        }
        bar.set_position(p.bytes_read);
        let rate = p.documents as f64 / p.elapsed.as_secs_f64().max(1e-3);
        bar.set_message(format!("{} docs ({rate:.0}/s)", p.documents));
    };
    let result = batch::run(&checker, &inputs, &options, sink, &on_progress);
    bar.finish_and_clear();
    let summary = match result {
        Ok(summary) => summary,
        Err(BatchError::Closed) => return Ok(0),
        Err(e) => return Err(e.to_string()),
    };
    eprintln!("{}", summary.render_text());
    if let Some(path) = &args.summary {
        let json = serde_json::to_string_pretty(&summary).map_err(|e| e.to_string())?;
        std::fs::write(path, json + "\n").map_err(|e| format!("{}: {e}", path.display()))?;
    }
    if summary.interrupted {
        eprintln!(
            "{}",
            interrupted_message(&args.output, earlier + summary.documents)
        );
        return Ok(130);
    }
    Ok(if !summary.input_errors.is_empty() {
        2
    } else if summary.flagged() && !args.exit_zero {
        1
    } else {
        0
    })
}

fn sized_style() -> ProgressStyle {
    ProgressStyle::with_template(
        "{spinner} [{elapsed_precise}] {wide_bar} {decimal_bytes}/{decimal_total_bytes} {decimal_bytes_per_sec} ETA {eta} {msg}",
    )
    .expect("valid template")
}

fn unsized_style() -> ProgressStyle {
    ProgressStyle::with_template(
        "{spinner} [{elapsed_precise}] {decimal_bytes} read {decimal_bytes_per_sec} {msg}",
    )
    .expect("valid template")
}

/// What an interrupted run tells: how many records the output holds, and the
/// command that finishes the run (this one, with `--resume` for `--overwrite`).
fn interrupted_message(output: &Option<PathBuf>, complete: u64) -> String {
    let Some(path) = output else {
        return format!(
            "unspun: interrupted; {complete} record(s) written to standard output. \
             Runs that write with --output FILE can be resumed."
        );
    };
    let mut words: Vec<String> = std::env::args()
        .filter(|a| a != "--overwrite" && a != "--resume")
        .collect();
    words.push("--resume".into());
    let command =
        shlex::try_join(words.iter().map(String::as_str)).unwrap_or_else(|_| words.join(" "));
    format!(
        "unspun: interrupted; {complete} record(s) complete in {}. To finish the run:\n  {command}",
        path.display()
    )
}

/// Installs the Ctrl-C handler: the first SIGINT asks the run to stop at the
/// next record, the second ends the process at once (exit 130).
#[cfg(unix)]
fn stop_on_ctrl_c() -> Option<Arc<AtomicBool>> {
    use std::sync::atomic::Ordering;
    let stop = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&stop);
    const NOTE: &[u8] =
        b"\nunspun: stopping after the records in flight (Ctrl-C again to stop at once)\n";
    // SAFETY: the action only swaps an atomic, writes a constant to standard
    // error and, the second time, calls `_exit`: all async-signal-safe.
    let registered = unsafe {
        signal_hook_registry::register(libc::SIGINT, move || {
            if flag.swap(true, Ordering::SeqCst) {
                libc::_exit(130);
            }
            libc::write(2, NOTE.as_ptr().cast(), NOTE.len());
        })
    };
    registered.ok().map(|_| stop)
}

#[cfg(not(unix))]
fn stop_on_ctrl_c() -> Option<Arc<AtomicBool>> {
    None
}
