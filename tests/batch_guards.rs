//! `unspun batch` never destroys data: a second run on an output that a run is
//! writing is refused (the output is locked), and an output that is one of the
//! inputs, under any of its names, is refused before anything is truncated.

#![cfg(unix)]

use std::io::Write;
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

const CLEAN: &str = "The minister will travel to Mexico on Friday to meet the president.";

fn unspun() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_unspun"));
    command.args(["batch", "--progress", "never"]);
    command
}

fn archive(n: usize) -> String {
    (0..n)
        .map(|i| {
            format!(
                "{}\n",
                serde_json::json!({"id": format!("doc-{i}"), "text": CLEAN})
            )
        })
        .collect()
}

fn lines(path: &Path) -> usize {
    std::fs::read_to_string(path).map_or(0, |t| t.lines().count())
}

/// A run that reads standard input and holds `output` until its input closes.
fn run_holding(output: &Path) -> Child {
    let mut child = unspun()
        .arg("--output")
        .arg(output)
        .arg("--resume")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdin = child.stdin.as_mut().unwrap();
    stdin.write_all(archive(1).as_bytes()).unwrap();
    stdin.flush().unwrap();
    // Once its first record is out, the run has its output open (and locked).
    let deadline = Instant::now() + Duration::from_secs(60);
    while lines(output) < 1 {
        assert!(Instant::now() < deadline, "the first run wrote nothing");
        std::thread::sleep(Duration::from_millis(20));
    }
    child
}

fn assert_refused(run: &Output, why: &str) {
    assert_eq!(run.status.code(), Some(2), "{run:?}");
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.contains(why), "expected {why:?} in: {stderr}");
}

#[test]
fn a_second_run_on_an_output_being_written_is_refused_and_leaves_it_alone() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("archive.jsonl");
    std::fs::write(&input, archive(50)).unwrap();
    let output = dir.path().join("scores.jsonl");
    let mut first = run_holding(&output);
    let before = std::fs::read(&output).unwrap();

    for extra in [&["--resume"][..], &["--overwrite"][..]] {
        let second = unspun()
            .arg(&input)
            .arg("--output")
            .arg(&output)
            .args(extra)
            .output()
            .unwrap();
        assert_refused(&second, "another unspun batch run is writing this file");
        assert_eq!(std::fs::read(&output).unwrap(), before, "{extra:?}");
    }

    drop(first.stdin.take());
    assert!(first.wait().unwrap().success());
    assert_eq!(lines(&output), 1);
    // Once the first run is over, resuming works again.
    let after = unspun()
        .arg(&input)
        .arg("--output")
        .arg(&output)
        .arg("--overwrite")
        .output()
        .unwrap();
    assert_eq!(after.status.code(), Some(0), "{after:?}");
    assert_eq!(lines(&output), 50);
}

#[test]
fn an_output_that_is_an_input_under_any_name_is_refused_before_truncating() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("archive.jsonl");
    let content = archive(5);
    std::fs::write(&input, &content).unwrap();
    let symlink = dir.path().join("link.jsonl");
    std::os::unix::fs::symlink(&input, &symlink).unwrap();
    let hard = dir.path().join("hard.jsonl");
    std::fs::hard_link(&input, &hard).unwrap();

    for output in [&input, &symlink, &hard] {
        for mode in ["--overwrite", "--resume"] {
            let run = unspun()
                .arg(&input)
                .arg("--output")
                .arg(output)
                .arg(mode)
                .output()
                .unwrap();
            assert_refused(&run, "is the input");
            assert_eq!(
                std::fs::read_to_string(&input).unwrap(),
                content,
                "{output:?} {mode}"
            );
        }
    }
    // The input given through its link, the output by its real name.
    let run = unspun()
        .arg(&symlink)
        .arg("--output")
        .arg(&input)
        .arg("--overwrite")
        .output()
        .unwrap();
    assert_refused(&run, "is the input");
    // Standard input redirected from the output file.
    let run = unspun()
        .arg("--output")
        .arg(&input)
        .arg("--overwrite")
        .stdin(std::fs::File::open(&input).unwrap())
        .output()
        .unwrap();
    assert_refused(&run, "is the input standard input");
    assert_eq!(std::fs::read_to_string(&input).unwrap(), content);
}

#[test]
fn an_output_inside_an_input_tree_that_the_tree_would_read_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let tree = dir.path().join("site");
    std::fs::create_dir(&tree).unwrap();
    std::fs::write(tree.join("post.txt"), CLEAN).unwrap();
    let run = unspun()
        .arg(&tree)
        .arg("--output")
        .arg(tree.join("scores.txt"))
        .output()
        .unwrap();
    assert_refused(&run, "inside the input tree");
    assert!(!tree.join("scores.txt").exists());
    // A JSON Lines output there is not read by the tree walk: allowed.
    let run = unspun()
        .arg(&tree)
        .arg("--output")
        .arg(tree.join("scores.jsonl"))
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(0), "{run:?}");
}
