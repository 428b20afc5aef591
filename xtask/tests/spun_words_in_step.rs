//! Keeps `dictionaries/spun-words.tsv` in step with its generator, and pins the
//! spun-news artifacts the two spun-word dictionaries must map to the right
//! original.
//!
//! Regenerating needs WordNet 3.0 and the LibreOffice English thesaurus from the
//! system packages; without them the in-step tests are skipped, visibly (and
//! fail under CI, see `tests/common/skip.rs`).

mod common;
#[allow(dead_code)]
#[path = "../src/spun_words.rs"]
mod spun_words;

use std::fs;

use spun_words::{Sources, INSTALL_HINT};
use unspun::dict::{parse_dictionary, Dictionary};

/// Artifacts seen in spun news copy and the original that must come first.
/// Several originals are accepted where one artifact stands for several words.
const KNOWN_ARTIFACTS: &[(&str, &[&str])] = &[
    ("connected", &["on"]),
    ("arsenic", &["as"]),
    ("successful", &["in"]),
    ("indiana", &["in"]),
    ("inwards", &["in"]),
    ("volition", &["will"]),
    ("testament", &["will"]),
    ("tin", &["can"]),
    ("oregon", &["or"]),
    ("besides", &["also"]),
    ("contempt", &["despite"]),
    ("wherever", &["where"]),
    ("conscionable", &["just"]),
    ("debar", &["avoid"]),
    ("astatine", &["at"]),
    ("beryllium", &["be"]),
    ("nobelium", &["no"]),
    ("portion", &["while"]),
    ("determination", &["there", "decision"]),
    ("medication", &["administration"]),
    ("commercialized", &["trade"]),
    ("accrued", &["increased"]),
    ("amazed", &["surprised"]),
    ("recovered", &["found"]),
    ("antecedently", &["previously"]),
    ("communal", &["common"]),
    ("borderline", &["border"]),
    ("sermon", &["discuss"]),
    ("reason", &["argue"]),
    ("practice", &["cooperation"]),
    ("transgression", &["crime"]),
    ("sojourn", &["visit"]),
    ("economical", &["economic"]),
    ("abrupt", &["sudden"]),
    ("specified", &["such"]),
    ("galore", &["many"]),
    ("immoderate", &["some"]),
    ("negociate", &["negotiate"]),
    ("america", &["us"]),
    ("surgery", &["or"]),
];

fn sources() -> Option<Sources> {
    let sources = Sources::defaults(&spun_words::repo_root());
    if sources.thesauri_installed() {
        Some(sources)
    } else {
        common::skip(&format!("WordNet/MyThes not installed; {INSTALL_HINT}"));
        None
    }
}

fn committed(relative: &str) -> String {
    let path = spun_words::repo_root().join(relative);
    fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn dictionary(relative: &str) -> Dictionary {
    parse_dictionary(relative, &committed(relative))
        .unwrap_or_else(|e| panic!("{relative} does not parse: {e}"))
}

fn originals_in<'d>(dictionary: &'d Dictionary, artifact: &str) -> Option<&'d [String]> {
    dictionary
        .entries
        .iter()
        .find(|e| e.artifact == artifact)
        .map(|e| e.originals.as_slice())
}

#[test]
fn committed_spun_words_match_the_generator() {
    let Some(sources) = sources() else { return };
    let generated = spun_words::generate(&sources).expect("sources read");
    if generated != committed(spun_words::OUTPUT_PATH) {
        panic!(
            "{} is out of step with its generator; run cargo run -p xtask -- {}",
            spun_words::OUTPUT_PATH,
            spun_words::GENERATOR
        );
    }
}

#[test]
fn generating_twice_gives_identical_bytes() {
    let Some(sources) = sources() else { return };
    let first = spun_words::generate(&sources).expect("sources read");
    let second = spun_words::generate(&sources).expect("sources read");
    assert!(first == second, "two runs differ");
}

#[test]
fn known_spun_news_artifacts_lead_with_their_original() {
    // Curated originals are the observed ones and come first.
    let curated = dictionary("dictionaries/spun-words-curated.tsv");
    let generated = dictionary(spun_words::OUTPUT_PATH);
    let mut wrong = Vec::new();
    for &(artifact, accepted) in KNOWN_ARTIFACTS {
        let originals = originals_in(&curated, artifact).or(originals_in(&generated, artifact));
        match originals.and_then(|o| o.first()) {
            Some(first) if accepted.contains(&first.as_str()) => {}
            Some(first) => wrong.push(format!("{artifact} -> {first}, want {accepted:?}")),
            None => wrong.push(format!("{artifact} is missing")),
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn generated_entries_are_single_lower_case_words() {
    let generated = dictionary(spun_words::OUTPUT_PATH);
    assert!(
        generated.entries.len() > 5_000,
        "{} entries",
        generated.entries.len()
    );
    for entry in &generated.entries {
        assert!(
            entry.artifact.chars().all(|c| c.is_lowercase()),
            "line {}: {}",
            entry.line,
            entry.artifact
        );
        assert!(
            !entry.originals.contains(&entry.artifact),
            "line {}",
            entry.line
        );
        assert!(!entry.via.is_empty(), "line {}: no via", entry.line);
    }
}

#[test]
fn curated_file_lists_each_artifact_once() {
    let curated = dictionary("dictionaries/spun-words-curated.tsv");
    let mut artifacts: Vec<&str> = curated
        .entries
        .iter()
        .map(|e| e.artifact.as_str())
        .collect();
    let all = artifacts.len();
    artifacts.sort_unstable();
    artifacts.dedup();
    assert_eq!(artifacts.len(), all, "an artifact is listed twice");
}
