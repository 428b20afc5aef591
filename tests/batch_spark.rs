//! The Spark pipe job (`examples/spark/score_archive.py`) for real, in Spark
//! local mode: a sharded archive goes through `unspun batch` as an `RDD.pipe()`
//! stage and every record comes back scored.
//!
//! Needs PySpark in the project's virtual environment (`.venv`, from
//! `tests/requirements.txt`) and a Java runtime; skipped with a message
//! otherwise (`.ci/run` installs both).

mod common;

use serde_json::Value;
use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const SENTENCES: &[&str] = &[
    "The minister will travel to Mexico on Friday to meet the president.",
    "The travel comes arsenic Mexico has worked to negociate with the Trump medication.",
    "Counterfeit consciousness is changing how banks judge loans.",
    "Shares rose sharply after the company reported strong quarterly profits.",
];

fn python() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(".venv/bin/python3")
}

/// Why the test cannot run here, if it cannot.
fn missing_prerequisite() -> Option<String> {
    let has_pyspark = Command::new(python())
        .args(["-c", "import pyspark"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !has_pyspark {
        return Some(
            "PySpark is not installed in .venv; install it with \
             `python3 -m venv .venv && .venv/bin/pip install -r tests/requirements.txt`"
                .into(),
        );
    }
    let has_java = Command::new("java")
        .arg("-version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !has_java {
        return Some(
            "no `java` on PATH; install a Java runtime with `apt-get install default-jre-headless`"
                .into(),
        );
    }
    None
}

#[test]
fn spark_pipe_job_scores_every_record_of_a_sharded_archive() {
    if let Some(why) = missing_prerequisite() {
        return common::skip(&why);
    }
    let dir = tempfile::tempdir().unwrap();
    let shards = dir.path().join("archive");
    std::fs::create_dir(&shards).unwrap();
    let mut expected = BTreeSet::new();
    let mut spun = BTreeSet::new();
    for shard in 0..4 {
        let mut text = String::new();
        for i in 0..50 {
            let id = format!("s{shard}-doc-{i}");
            let sentence = SENTENCES[(shard + i) % SENTENCES.len()];
            if sentence.contains("arsenic") || sentence.contains("Counterfeit") {
                spun.insert(id.clone());
            }
            let body = format!("{sentence} {sentence}\n\n{}", SENTENCES[0]);
            text.push_str(&serde_json::json!({"id": id, "text": body}).to_string());
            text.push('\n');
            expected.insert(id);
        }
        // Half the shards compressed: Spark reads gzip itself.
        if shard % 2 == 0 {
            std::fs::write(shards.join(format!("part-{shard}.jsonl")), text).unwrap();
        } else {
            let file =
                std::fs::File::create(shards.join(format!("part-{shard}.jsonl.gz"))).unwrap();
            let mut gz = flate2::write::GzEncoder::new(file, flate2::Compression::default());
            gz.write_all(text.as_bytes()).unwrap();
            gz.finish().unwrap();
        }
    }
    let scores = dir.path().join("scores");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/spark/score_archive.py");
    let output = Command::new(python())
        .arg(script)
        .arg(format!("{}/part-*", shards.display()))
        .arg(&scores)
        .args(["--master", "local[2]", "--unspun"])
        .arg(env!("CARGO_BIN_EXE_unspun"))
        .env("PYSPARK_PYTHON", python())
        .env("SPARK_LOCAL_IP", "127.0.0.1")
        .env("SPARK_LOCAL_DIRS", dir.path())
        .output()
        .unwrap();
    let log = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "the Spark job failed:\n{log}");

    let mut got = BTreeSet::new();
    let mut parts: Vec<PathBuf> = std::fs::read_dir(&scores)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("part-")
        })
        .collect();
    parts.sort();
    assert!(
        !parts.is_empty(),
        "no result shards in {}",
        scores.display()
    );
    for part in parts {
        for line in std::fs::read_to_string(&part).unwrap().lines() {
            let record: Value =
                serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}"));
            let id = record["id"].as_str().unwrap().to_string();
            assert_eq!(record["error"], Value::Null, "{line}");
            let verdict = record["verdict"].as_str().unwrap();
            assert_eq!(verdict != "clean", spun.contains(&id), "{line}");
            assert!(got.insert(id), "written twice: {line}");
        }
    }
    assert_eq!(got, expected);
}
