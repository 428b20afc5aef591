//! The no-record-lost property of `unspun batch --output FILE --resume`: kill the
//! process with SIGKILL at random points (seeded), run the same command again,
//! and every input id ends up in the output exactly once, on a line that parses.

#![cfg(unix)]

use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A seeded xorshift generator: the same kill points on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

const SENTENCES: &[&str] = &[
    "The minister will travel to Mexico on Friday to meet the president.",
    "The travel comes arsenic Mexico has worked to negociate with the Trump medication.",
    "Counterfeit consciousness is changing how banks judge loans.",
    "Shares rose sharply after the company reported strong quarterly profits.",
    "Noem will travel to Mexico connected Friday to conscionable with Sheinbaum.",
    "The council said the new road would open next spring, weather permitting.",
];

/// `docs` JSON Lines records of a few sentences each, ids `doc-<n>`, plus a
/// malformed line every 500 records (its id is `line:<n>`). Returns the archive
/// and the ids the output must hold.
fn archive(docs: usize, rng: &mut Rng) -> (String, Vec<String>) {
    let mut text = String::new();
    let mut ids = Vec::new();
    let mut line = 0;
    for i in 0..docs {
        line += 1;
        if i % 500 == 250 {
            text.push_str("{\"id\": broken\n");
            ids.push(format!("line:{line}"));
            continue;
        }
        let body: Vec<&str> = (0..4 + rng.below(12))
            .map(|_| SENTENCES[rng.below(SENTENCES.len() as u64) as usize])
            .collect();
        let id = format!("doc-{i}");
        text.push_str(&serde_json::json!({"id": id, "text": body.join(" ")}).to_string());
        text.push('\n');
        ids.push(id);
    }
    (text, ids)
}

fn batch(input: &Path, output: &Path, jobs: u64) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_unspun"));
    command
        .arg("batch")
        .arg(input)
        .arg("--output")
        .arg(output)
        .arg("--resume")
        .args(["--jobs", &jobs.to_string(), "--progress", "never"])
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    command
}

fn size(path: &Path) -> u64 {
    std::fs::metadata(path).map_or(0, |m| m.len())
}

#[test]
fn killed_runs_resume_to_every_id_exactly_once() {
    let mut rng = Rng(0x5EED_0FBA_7C40);
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("archive.jsonl");
    let output = dir.path().join("scores.jsonl");
    let (text, expected_ids) = archive(6000, &mut rng);
    std::fs::write(&input, text).unwrap();

    let mut partial_states = 0;
    for round in 0..6 {
        let before = size(&output);
        let mut child = batch(&input, &output, 1 + rng.below(2)).spawn().unwrap();
        // Kill once this round has written a random number of bytes more (up
        // to 64 KiB, a small share of the whole output): a point in the run's
        // progress rather than in time, so that a faster machine or checker
        // still gets killed mid-run (and often mid-line).
        let target = before + 1 + rng.below(64 * 1024);
        let deadline = Instant::now() + Duration::from_secs(60);
        while size(&output) < target && Instant::now() < deadline {
            if child.try_wait().unwrap().is_some() {
                break;
            }
            std::thread::sleep(Duration::from_millis(1));
        }
        let _ = child.kill(); // SIGKILL
        let status = child.wait().unwrap();
        let lines = std::fs::read_to_string(&output)
            .unwrap_or_default()
            .lines()
            .count();
        eprintln!("round {round}: {status}, {lines} line(s) in the output");
        if lines > 0 && lines < expected_ids.len() {
            partial_states += 1;
        }
    }
    assert!(partial_states >= 3, "too few kills landed mid-run ({partial_states}); the archive is too small for this machine");

    let status = batch(&input, &output, 2).status().unwrap();
    assert!(matches!(status.code(), Some(0 | 1)), "{status}");

    let text = std::fs::read_to_string(&output).unwrap();
    assert!(text.ends_with('\n'));
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for line in text.lines() {
        let record: Value = serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}"));
        let id = record["id"].as_str().unwrap().to_string();
        if id.starts_with("line:") {
            assert!(record["error"]
                .as_str()
                .unwrap()
                .starts_with("malformed JSON"));
        } else {
            assert_eq!(record["error"], Value::Null, "{line}");
            assert!(record["verdict"].is_string(), "{line}");
        }
        *seen.entry(id).or_default() += 1;
    }
    let duplicates: Vec<_> = seen.iter().filter(|(_, n)| **n > 1).collect();
    assert!(
        duplicates.is_empty(),
        "ids written more than once: {duplicates:?}"
    );
    let mut expected = expected_ids.clone();
    expected.sort();
    let got: Vec<String> = seen.into_keys().collect();
    assert_eq!(got.len(), expected.len(), "every input id, once");
    assert_eq!(got, expected);
}
