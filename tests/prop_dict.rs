//! Property tests of the dictionary and allowlist formats
//! (`unspun::dict::parse_dictionary`, `parse_allowlist`): any text either
//! parses or gives an error that names the file and a line of it, and
//! dictionaries written from generated entries read back to the same entries.

mod common;

use proptest::prelude::*;
use std::collections::BTreeSet;
use unspun::dict::{parse_allowlist, parse_dictionary};
use unspun::Error;

fn config() -> ProptestConfig {
    ProptestConfig::with_cases(common::proptest_cases())
}

/// A phrase of one to three words, in any case.
fn phrase() -> impl Strategy<Value = String> {
    prop::collection::vec("[a-zA-Z]{1,8}", 1..4).prop_map(|w| w.join(" "))
}

#[derive(Debug, Clone)]
struct Generated {
    artifact: String,
    originals: Vec<String>,
    papers: Option<u32>,
    within: Option<u32>,
    uncertain: bool,
}

fn entry() -> impl Strategy<Value = Generated> {
    (
        phrase(),
        prop::collection::vec(phrase(), 1..4),
        prop::option::of(any::<u32>()),
        prop::option::of(0u32..=1000),
        any::<bool>(),
    )
        .prop_map(
            |(artifact, originals, papers, within, uncertain)| Generated {
                artifact,
                originals,
                papers,
                within,
                uncertain,
            },
        )
}

/// Lower case character by character, single spaces: the documented
/// canonical form of an artifact.
fn lowered(s: &str) -> String {
    s.split_whitespace()
        .map(|w| w.chars().flat_map(char::to_lowercase).collect::<String>())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The file text for `entries`, with decorations a person might add: spacing,
/// comments, blank lines, CRLF line ends.
fn render(entries: &[Generated], crlf: bool, padding: &str) -> String {
    let end = if crlf { "\r\n" } else { "\n" };
    let mut text =
        format!("#! name: generated{end}#! kind: tortured-phrase{end}# a comment{end}{end}");
    for e in entries {
        let mut attributes = Vec::new();
        if let Some(p) = e.papers {
            attributes.push(format!("papers={p}"));
        }
        if let Some(w) = e.within {
            attributes.push(format!("within={w}"));
        }
        if e.uncertain {
            attributes.push("uncertain".to_string());
        }
        text.push_str(&format!(
            "{padding}{}{padding}\t{}",
            e.artifact,
            e.originals.join(&format!("{padding}|{padding}"))
        ));
        if !attributes.is_empty() {
            text.push('\t');
            text.push_str(&attributes.join("; "));
        }
        text.push_str(end);
    }
    text
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn generated_dictionaries_read_back_to_their_entries(
        entries in prop::collection::vec(entry(), 0..30),
        crlf in any::<bool>(),
        padding in prop::sample::select(vec!["", " ", "  "]),
    ) {
        // Artifacts are unique per file (a repeat is an error, tested below).
        let mut seen = BTreeSet::new();
        let entries: Vec<Generated> = entries
            .into_iter()
            .filter(|e| seen.insert(lowered(&e.artifact)))
            .collect();
        let text = render(&entries, crlf, padding);
        let dict = parse_dictionary("generated.tsv", &text).unwrap();
        prop_assert_eq!(dict.info.name, "generated");
        prop_assert_eq!(dict.entries.len(), entries.len());
        prop_assert_eq!(dict.info.entries, entries.len());
        for (parsed, e) in dict.entries.iter().zip(&entries) {
            prop_assert_eq!(&parsed.artifact, &lowered(&e.artifact));
            let originals: Vec<String> = e.originals.iter().map(|o| o.trim().to_string()).collect();
            prop_assert_eq!(&parsed.originals, &originals);
            prop_assert_eq!(parsed.papers, e.papers);
            prop_assert_eq!(parsed.conditions.within, e.within);
            prop_assert_eq!(parsed.uncertain, e.uncertain);
            prop_assert_eq!(&text.lines().nth(parsed.line - 1).unwrap().trim_end_matches('\r')
                .split('\t').next().unwrap().trim().to_lowercase(), &lowered(&e.artifact));
        }
    }

    #[test]
    fn a_repeated_artifact_is_refused_naming_both_lines(
        artifact in phrase(),
        first in phrase(),
        second in phrase(),
        between in 0usize..5,
    ) {
        let mut text = format!("{artifact}\t{first}\n");
        for i in 0..between {
            text.push_str(&format!("filler{}\tx\n", "z".repeat(i + 1)));
        }
        text.push_str(&format!("{}\t{second}\n", artifact.to_uppercase()));
        let err = parse_dictionary("d.tsv", &text).unwrap_err();
        let line = between + 2;
        prop_assert_eq!(
            err.to_string(),
            format!("d.tsv:{line}: `{}` is already defined on line 1", lowered(&artifact))
        );
    }

    #[test]
    fn any_text_parses_or_names_the_file_and_one_of_its_lines(text in any_text()) {
        match parse_dictionary("any.tsv", &text) {
            Ok(dict) => {
                for e in &dict.entries {
                    prop_assert!(e.line >= 1 && e.line <= text.lines().count());
                    prop_assert!(!e.artifact.is_empty());
                    prop_assert_eq!(&e.artifact, &lowered(&e.artifact));
                }
            }
            Err(Error::Dictionary { path, line, reason }) => {
                prop_assert_eq!(path, "any.tsv");
                prop_assert!(line >= 1 && line <= text.lines().count(), "line {} of {:?}", line, text);
                prop_assert!(!reason.is_empty());
            }
            Err(other) => prop_assert!(false, "unexpected error kind: {other}"),
        }
        match parse_allowlist("allow.txt", &text) {
            Ok(phrases) => prop_assert!(phrases.iter().all(|p| *p == lowered(p) && !p.is_empty())),
            Err(Error::Dictionary { line, .. }) => prop_assert!(line >= 1 && line <= text.lines().count()),
            Err(other) => prop_assert!(false, "unexpected error kind: {other}"),
        }
    }
}

/// Arbitrary text, and text made of the format's own pieces in any order.
fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        prop::collection::vec(
            prop::sample::select(vec![
                "#! name: x",
                "#! kind: spun-word",
                "#! kind: tortured-phrase",
                "#! kind: other",
                "#!",
                "#! nope: 1",
                "# c",
                "\t",
                "\n",
                "\r\n",
                "a",
                "b c",
                "|",
                "?",
                ";",
                "papers=3",
                "papers=x",
                "within=2000",
                "within=7",
                "uncertain",
                "uncertain=1",
                "requires=a|b",
                "excludes=",
                "via=wordnet,mythes",
                "bogus=1",
                " ",
                "é",
                "😀",
            ]),
            0..40,
        )
        .prop_map(|parts| parts.concat()),
    ]
}
