//! A batch run that cannot read all of its input says so, and one that is
//! stopped tells how to finish: an input truncated while it is read is an input
//! error (exit 2), blank lines are counted, and Ctrl-C leaves a whole output
//! and prints the command that resumes it.

use serde_json::Value;
use std::collections::BTreeMap;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};
use unspun::batch::{self, BatchOptions, Input, OutputFormat, OutputSink};
use unspun::Checker;

const SENTENCES: &[&str] = &[
    "The minister will travel to Mexico on Friday to meet the president.",
    "The travel comes arsenic Mexico has worked to negociate with the Trump medication.",
    "Counterfeit consciousness is changing how banks judge loans.",
    "Shares rose sharply after the company reported strong quarterly profits.",
];

/// `n` JSON Lines records of a dozen sentences each.
fn archive(n: usize) -> String {
    (0..n)
        .map(|i| {
            let text: Vec<&str> = (0..12)
                .map(|k| SENTENCES[(i + k) % SENTENCES.len()])
                .collect();
            format!(
                "{}\n",
                serde_json::json!({"id": format!("doc-{i}"), "text": text.join(" ")})
            )
        })
        .collect()
}

#[test]
fn an_input_truncated_while_it_is_read_is_an_input_error() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("archive.jsonl");
    std::fs::write(&input, archive(4000)).unwrap();
    let output = dir.path().join("scores.jsonl");
    let sink = OutputSink::create(&output, OutputFormat::Jsonl, false).unwrap();
    // One record in flight at a time, so the reader is far from the end when
    // the file is cut where it has read to.
    let options = BatchOptions {
        jobs: 1,
        memory_budget: 1,
        ..BatchOptions::default()
    };
    let cut = AtomicBool::new(false);
    let summary = batch::run(
        &Checker::new(),
        &[Input::Path(input.clone())],
        &options,
        sink,
        &|p| {
            if !p.finished && p.documents > 0 && !cut.swap(true, Ordering::SeqCst) {
                let file = std::fs::OpenOptions::new()
                    .write(true)
                    .open(&input)
                    .unwrap();
                file.set_len(p.bytes_read).unwrap();
            }
        },
    )
    .unwrap();
    assert!(cut.load(Ordering::SeqCst), "the run ended before the cut");
    assert_eq!(summary.input_errors.len(), 1, "{summary:?}");
    assert!(
        summary.input_errors[0].contains("shrank"),
        "{:?}",
        summary.input_errors
    );
    assert!(summary.documents < 4000);
    assert!(summary.render_text().contains("input error:"));
}

#[test]
fn blank_lines_yield_no_record_and_are_counted() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("archive.jsonl");
    let records = archive(2);
    let mut lines = records.lines();
    let text = format!(
        "\n{}\n   \n\t\r\n{}\n\n",
        lines.next().unwrap(),
        lines.next().unwrap()
    );
    std::fs::write(&input, text).unwrap();
    let output = dir.path().join("scores.jsonl");
    let sink = OutputSink::create(&output, OutputFormat::Jsonl, false).unwrap();
    let summary = batch::run(
        &Checker::new(),
        &[Input::Path(input)],
        &BatchOptions::default(),
        sink,
        &|_| {},
    )
    .unwrap();
    assert_eq!(summary.documents, 2);
    assert_eq!(summary.blank_lines, 4, "{summary:?}");
    assert!(
        summary.render_text().contains("4 blank line(s): no record"),
        "{}",
        summary.render_text()
    );
    assert_eq!(std::fs::read_to_string(&output).unwrap().lines().count(), 2);
}

#[cfg(unix)]
#[test]
fn ctrl_c_says_how_many_records_are_complete_and_prints_the_command_that_finishes() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("archive.jsonl");
    const DOCS: usize = 6000;
    std::fs::write(&input, archive(DOCS)).unwrap();
    let output = dir.path().join("scores.jsonl");
    let child = Command::new(env!("CARGO_BIN_EXE_unspun"))
        .arg("batch")
        .arg(&input)
        .arg("--output")
        .arg(&output)
        .args(["--overwrite", "--jobs", "1", "--progress", "never"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    while std::fs::metadata(&output).map_or(0, |m| m.len()) == 0 {
        assert!(Instant::now() < deadline, "nothing written in a minute");
        std::thread::sleep(Duration::from_millis(5));
    }
    let kill = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    let stopped = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&stopped.stderr).into_owned();
    assert_eq!(
        stopped.status.code(),
        Some(130),
        "the run must stop on SIGINT (the archive may be too small for this machine): {stderr}"
    );
    let written = std::fs::read_to_string(&output).unwrap();
    assert!(written.ends_with('\n'), "whole records only");
    let complete = written.lines().count();
    assert!(complete < DOCS, "{complete}");
    assert!(
        stderr.contains(&format!("interrupted; {complete} record(s) complete in")),
        "{stderr}"
    );
    let command = stderr
        .split("To finish the run:\n")
        .nth(1)
        .and_then(|rest| rest.lines().next())
        .unwrap_or_else(|| panic!("no resume command in: {stderr}"));
    let words = shlex::split(command.trim()).unwrap();
    assert!(words.contains(&"--resume".to_string()), "{command}");
    assert!(!words.contains(&"--overwrite".to_string()), "{command}");
    let resumed = Command::new(&words[0])
        .args(&words[1..])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    assert!(matches!(resumed.status.code(), Some(0 | 1)), "{resumed:?}");

    let mut seen: BTreeMap<u64, usize> = BTreeMap::new();
    for line in std::fs::read_to_string(&output).unwrap().lines() {
        let record: Value = serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}"));
        *seen.entry(record["record"].as_u64().unwrap()).or_default() += 1;
    }
    assert_eq!(seen.len(), DOCS, "every record");
    assert!(seen.values().all(|&n| n == 1), "each once");
}
