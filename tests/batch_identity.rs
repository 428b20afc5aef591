//! Every input record comes out exactly once, whatever its id: `--resume`
//! goes by the record's position (input and ordinal), and the id is only data.
//! Archives scraped from the web repeat ids, a malformed line's positional id
//! `line:3` may also be some record's explicit id, and `7` and `"7"` read the
//! same; none of that may lose or repeat a record.

use serde_json::Value;
use std::path::Path;
use std::process::{Command, Stdio};

const CLEAN: &str = "The minister will travel to Mexico on Friday to meet the president.";
const SPUN: &str = "The travel comes arsenic Mexico has worked to negociate with the Trump medication. Counterfeit consciousness is big.";

/// Seven records whose ids collide in every way an id can: `a` twice, a
/// malformed line 3 (positional id `line:3`) beside an explicit `line:3`, and
/// the number `7` beside the string `"7"`.
fn colliding_archive() -> Vec<String> {
    vec![
        serde_json::json!({"id": "a", "text": CLEAN}).to_string(),
        serde_json::json!({"id": "a", "text": SPUN}).to_string(),
        "{\"id\": broken".to_string(),
        serde_json::json!({"id": "line:3", "text": CLEAN}).to_string(),
        serde_json::json!({"id": 7, "text": SPUN}).to_string(),
        serde_json::json!({"id": "7", "text": CLEAN}).to_string(),
        serde_json::json!({"id": "b", "text": CLEAN}).to_string(),
    ]
}

fn batch(input: &Path, output: &Path, format: &str) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_unspun"));
    command
        .arg("batch")
        .arg(input)
        .arg("--output")
        .arg(output)
        .args([
            "--output-format",
            format,
            "--progress",
            "never",
            "--jobs",
            "2",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    command
}

/// (id, record ordinal) of each output record, in output order.
fn records(output: &Path, format: &str) -> Vec<(String, u64)> {
    let text = std::fs::read_to_string(output).unwrap();
    if format == "csv" {
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        reader
            .records()
            .map(|r| {
                let r = r.unwrap();
                (r[0].to_string(), r[10].parse().unwrap())
            })
            .collect()
    } else {
        text.lines()
            .map(|l| {
                let v: Value = serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}"));
                (
                    v["id"].as_str().unwrap().to_string(),
                    v["record"].as_u64().unwrap_or(0),
                )
            })
            .collect()
    }
}

#[test]
fn resume_after_the_first_of_seven_colliding_ids_writes_all_seven_once() {
    for format in ["jsonl", "csv"] {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("archive.jsonl");
        let output = dir.path().join(format!("scores.{format}"));
        let lines = colliding_archive();
        // The first run gets as far as the first record...
        std::fs::write(&input, format!("{}\n", lines[0])).unwrap();
        let first = batch(&input, &output, format).output().unwrap();
        assert_eq!(first.status.code(), Some(0), "{first:?}");
        // ...and the resumed run sees the whole archive.
        std::fs::write(&input, lines.join("\n") + "\n").unwrap();
        let summary_file = dir.path().join("summary.json");
        let second = batch(&input, &output, format)
            .arg("--resume")
            .arg("--summary")
            .arg(&summary_file)
            .output()
            .unwrap();
        assert_eq!(second.status.code(), Some(1), "{second:?}");

        let got = records(&output, format);
        let ids: Vec<&str> = got.iter().map(|(id, _)| id.as_str()).collect();
        assert_eq!(
            ids,
            ["a", "a", "line:3", "line:3", "7", "7", "b"],
            "{format}: every record once, in input order"
        );
        let ordinals: Vec<u64> = got.iter().map(|(_, r)| *r).collect();
        assert_eq!(ordinals, [1, 2, 3, 4, 5, 6, 7], "{format}");

        let summary: Value =
            serde_json::from_str(&std::fs::read_to_string(&summary_file).unwrap()).unwrap();
        assert_eq!(summary["skipped"], 1, "{format}: only the first was done");
        assert_eq!(summary["documents"], 6, "{format}");
        assert_eq!(
            summary["repeated_ids"], 3,
            "{format}: `a`, `line:3` and `7` each repeat once"
        );
        let stderr = String::from_utf8_lossy(&second.stderr);
        assert!(
            stderr.contains("3 record(s) repeat an id"),
            "{format}: {stderr}"
        );
    }
}

#[test]
fn records_carry_their_input_and_ordinal_and_the_id_stays_as_given() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("archive.jsonl");
    let output = dir.path().join("scores.jsonl");
    std::fs::write(&input, colliding_archive().join("\n") + "\n").unwrap();
    let run = batch(&input, &output, "jsonl").output().unwrap();
    assert_eq!(run.status.code(), Some(1), "{run:?}");
    let text = std::fs::read_to_string(&output).unwrap();
    let first: Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
    assert_eq!(first["input"], input.display().to_string());
    assert_eq!(first["record"], 1);
    let fifth: Value = serde_json::from_str(text.lines().nth(4).unwrap()).unwrap();
    assert_eq!(fifth["id"], "7", "a numeric id is written as its text");
    assert_eq!(fifth["record"], 5);
}

#[test]
fn an_output_without_record_positions_is_not_resumed() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("archive.jsonl");
    let output = dir.path().join("scores.jsonl");
    std::fs::write(&input, colliding_archive().join("\n") + "\n").unwrap();
    // A record as an earlier release wrote it: no `input`, no `record`.
    let old = "{\"id\":\"a\",\"score\":0.0,\"verdict\":\"clean\",\"words\":12,\"spans\":0,\"top\":[],\"error\":null}\n";
    std::fs::write(&output, old).unwrap();
    let run = batch(&input, &output, "jsonl")
        .arg("--resume")
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(2), "{run:?}");
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.contains("not touching it"), "{stderr}");
    assert_eq!(std::fs::read_to_string(&output).unwrap(), old);
}

#[test]
fn resuming_with_an_input_named_differently_is_refused_not_redone() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("archive.jsonl");
    let output = dir.path().join("scores.jsonl");
    std::fs::write(&input, colliding_archive().join("\n") + "\n").unwrap();
    let first = batch(&input, &output, "jsonl").output().unwrap();
    assert_eq!(first.status.code(), Some(1), "{first:?}");
    let before = std::fs::read_to_string(&output).unwrap();
    // The same file, by another name: its records would not be recognised.
    let renamed = dir.path().join(".").join("archive.jsonl");
    let run = batch(&renamed, &output, "jsonl")
        .arg("--resume")
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(2), "{run:?}");
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.contains("resume with the inputs of the first run"),
        "{stderr}"
    );
    assert_eq!(std::fs::read_to_string(&output).unwrap(), before);
}
