//! Keeps `dictionaries/tortured-phrases.tsv` in step with its generator: the
//! test regenerates the file from the Problematic Paper Screener data and fails
//! when the committed copy differs.
//!
//! The data lives outside the repository: `$UNSPUN_PPS_DIR`, else
//! `../shared/data/tortured-phrases` relative to the repository root. Without
//! it the test is skipped, visibly (and fails under CI).

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

fn pps_dir() -> PathBuf {
    match std::env::var_os("UNSPUN_PPS_DIR") {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/data/tortured-phrases"),
    }
}

#[test]
fn committed_tortured_phrases_match_the_generator() {
    let dir = pps_dir();
    let present = [
        "pps-fingerprints-with-paper-counts.csv",
        "pps-tortured-phrases.json",
    ]
    .iter()
    .all(|f| dir.join(f).is_file());
    if !present {
        return common::skip(&format!(
            "PPS data not found at {}; pass UNSPUN_PPS_DIR",
            dir.display()
        ));
    }
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["tortured-phrases", "--check", "--pps"])
        .arg(&dir)
        .output()
        .expect("xtask runs");
    assert!(
        output.status.success(),
        "dictionaries/tortured-phrases.tsv is out of step with its generator:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}
