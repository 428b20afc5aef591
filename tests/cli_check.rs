//! `unspun check` over many files: checked on several threads, printed in the
//! order the files were named, whatever the number of jobs; unreadable files
//! reported in their place; a closed pipe ends the run quietly.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const SPUN: &str = include_str!("../examples/spun-sample.txt");
const CLEAN: &str = "The minister will visit Lisbon on Tuesday to meet European ministers.\n";

/// Writes `count` files, every third one spun, each with its number in the
/// text so that a mix-up of outputs shows; returns their paths in order.
fn corpus(dir: &Path, count: usize) -> Vec<PathBuf> {
    (0..count)
        .map(|i| {
            let path = dir.join(format!("doc-{i:03}.txt"));
            let body = if i % 3 == 0 { SPUN } else { CLEAN };
            std::fs::write(&path, format!("Report number {i}.\n{body}")).unwrap();
            path
        })
        .collect()
}

fn check(args: &[&str], files: &[PathBuf]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_unspun"))
        .arg("check")
        .args(args)
        .args(files)
        .output()
        .expect("running unspun")
}

fn json_paths(stdout: &[u8]) -> Vec<String> {
    String::from_utf8_lossy(stdout)
        .lines()
        .map(|line| {
            let value: serde_json::Value = serde_json::from_str(line).expect("one JSON per line");
            value["path"].as_str().expect("path").to_string()
        })
        .collect()
}

#[test]
fn json_output_follows_input_order_and_is_the_same_for_any_number_of_jobs() {
    let dir = tempfile::tempdir().unwrap();
    let mut files = corpus(dir.path(), 40);
    // An unreadable file and a directory in the middle: reported, the run goes on.
    files.insert(7, dir.path().join("missing.txt"));
    files.insert(20, dir.path().to_path_buf());
    let one = check(&["--format", "json", "--jobs", "1"], &files);
    let many = check(&["--format", "json", "--jobs", "4"], &files);
    let default = check(&["--format", "json"], &files);
    let expected: Vec<String> = files
        .iter()
        .filter(|p| p.is_file())
        .map(|p| p.display().to_string())
        .collect();
    assert_eq!(json_paths(&one.stdout), expected);
    for other in [&many, &default] {
        assert_eq!(other.stdout, one.stdout, "same bytes whatever the jobs");
        assert_eq!(other.stderr, one.stderr);
        assert_eq!(other.status.code(), Some(2), "a file could not be read");
    }
    let stderr = String::from_utf8_lossy(&one.stderr);
    let errors: Vec<&str> = stderr.lines().collect();
    assert_eq!(errors.len(), 2, "{stderr}");
    assert!(errors[0].contains("missing.txt: no such file"), "{stderr}");
    assert!(errors[1].contains("is a directory"), "{stderr}");
    // Each record belongs to its file: the number in the text matches the name.
    for line in String::from_utf8_lossy(&many.stdout).lines() {
        let value: serde_json::Value = serde_json::from_str(line).unwrap();
        let path = value["path"].as_str().unwrap();
        let number: usize = path[path.len() - 7..path.len() - 4].parse().unwrap();
        let fixed = value["fixed"].as_str().unwrap();
        assert!(
            fixed.starts_with(&format!("Report number {number}.\n")),
            "{path}"
        );
        assert_eq!(
            value["spans"].as_array().unwrap().is_empty(),
            number % 3 != 0
        );
    }
}

#[test]
fn text_output_follows_input_order_for_any_number_of_jobs() {
    let dir = tempfile::tempdir().unwrap();
    let files = corpus(dir.path(), 25);
    let one = check(&["--color", "never", "--jobs", "1"], &files);
    let many = check(&["--color", "never", "--jobs", "3"], &files);
    assert_eq!(one.status.code(), Some(1), "artifacts found");
    assert_eq!(many.status.code(), Some(1));
    assert_eq!(many.stdout, one.stdout);
    let text = String::from_utf8_lossy(&one.stdout);
    let verdicts: Vec<&str> = text
        .lines()
        .filter(|l| l.contains(": clean (") || l.contains(": spun ("))
        .collect();
    assert_eq!(verdicts.len(), files.len());
    for (line, path) in verdicts.iter().zip(&files) {
        assert!(line.starts_with(&format!("{}: ", path.display())), "{line}");
    }
}

#[test]
fn zero_jobs_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let files = corpus(dir.path(), 1);
    let out = check(&["--jobs", "0"], &files);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--jobs"));
    assert!(out.stdout.is_empty());
}

#[test]
fn a_closed_pipe_ends_the_run_without_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let files = corpus(dir.path(), 300);
    let mut child = Command::new(env!("CARGO_BIN_EXE_unspun"))
        .args(["check", "--format", "json", "--jobs", "2"])
        .args(&files)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    // The reader goes away after one record.
    assert!(first.contains("doc-000.txt"), "{first}");
    let out = child.wait_with_output().unwrap();
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(out.status.code(), Some(1), "the first file was spun");
}

#[test]
fn the_context_line_shows_at_most_sixty_characters_either_side() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("long.txt");
    // One long line: the artifact sits far from both ends.
    let filler = "the team said the plan would work well ".repeat(20);
    std::fs::write(
        &path,
        format!("{filler}counterfeit consciousness {filler}\n"),
    )
    .unwrap();
    let out = check(&["--color", "never"], std::slice::from_ref(&path));
    let text = String::from_utf8_lossy(&out.stdout);
    let context = text
        .lines()
        .find(|l| l.contains("counterfeit consciousness") && l.starts_with("    "))
        .expect("context line");
    let shown = &context[4..];
    assert_eq!(
        shown.chars().count(),
        60 + "counterfeit consciousness".len() + 60,
        "{shown}"
    );
    let caret = text.lines().find(|l| l.contains('^')).expect("caret line");
    assert_eq!(caret.trim_start().len(), "counterfeit consciousness".len());
    assert_eq!(caret.len() - caret.trim_start().len(), 4 + 60);
}
