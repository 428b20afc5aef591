//! The founding example: a real spun news article.

mod common;

use unspun::{Checker, Verdict};

/// (artifact, expected top suggestion at each of its uses, in text order)
const MUST_FIND: &[(&str, &[&str])] = &[
    ("connected", &["on"; 6]),
    ("arsenic", &["as", "as"]),
    ("successful", &["in"]),
    ("volition", &["will"]),
    ("besides", &["also", "also", "also"]),
    ("contempt", &["despite"]),
    ("negociate", &["negotiate"]),
    ("medication", &["administration", "administration"]),
    ("wherever", &["where", "where"]),
    // "to conscionable with" was "to meet with"; "not conscionable" was "not just".
    ("conscionable", &["meet", "just"]),
    ("debar", &["avoid", "avoid"]),
];

/// Names and ordinary words of the article that must stay unflagged, among
/// them words a thesaurus lists for a function word ("improving" for "up"),
/// words the bigram counts saw too rarely to place ("underscore", quoted
/// from the original statement) and words a context model misreads in text
/// this densely spun ("cooperation").
const NEVER_FLAG: &[&str] = &[
    "improving",
    "underscore",
    "cooperation",
    "Mexico",
    "tariff",
    "deportation",
    "President",
    "Trump",
    "Sheinbaum",
    "Noem",
    "Homeland",
    "Security",
    "Wednesday",
    "Friday",
    "immigration",
    "government",
    "Bukele",
    "Salvador",
    "Colombian",
];

#[test]
fn seed_article_is_spun_and_its_artifacts_get_the_right_fix() {
    let Some(text) = common::shared_file("data/seed/spun-news-article.txt") else {
        return;
    };
    let report = Checker::new().check(&text);
    assert_eq!(report.verdict, Verdict::Spun, "score {}", report.score);
    for &(artifact, fixes) in MUST_FIND {
        let hits: Vec<_> = report
            .spans
            .iter()
            .filter(|s| s.text.eq_ignore_ascii_case(artifact))
            .collect();
        assert_eq!(
            hits.len(),
            fixes.len(),
            "{artifact}: flagged {} times, want {}",
            hits.len(),
            fixes.len()
        );
        for (s, fix) in hits.iter().zip(fixes) {
            assert_eq!(
                s.suggestions[0].to_lowercase(),
                *fix,
                "{artifact} at {}:{}",
                s.line,
                s.column
            );
        }
    }
    for word in NEVER_FLAG {
        assert!(
            !report.spans.iter().any(|s| s.text.contains(word)),
            "{word} must not be flagged"
        );
    }
}

#[test]
fn seed_article_spans_point_at_their_text() {
    let Some(text) = common::shared_file("data/seed/spun-news-article.txt") else {
        return;
    };
    let report = Checker::new().check(&text);
    for s in &report.spans {
        assert_eq!(&text[s.start..s.end], s.text);
        let line = text.lines().nth(s.line - 1).unwrap();
        let col_byte = line
            .char_indices()
            .nth(s.column - 1)
            .map(|(b, _)| b)
            .unwrap();
        assert!(line[col_byte..].starts_with(&s.text));
    }
}

#[test]
fn fixed_seed_article_reads_as_the_unspun_text() {
    let Some(text) = common::shared_file("data/seed/spun-news-article.txt") else {
        return;
    };
    let report = Checker::new().check(&text);
    let fixed = report.fixed.unwrap();
    for expected in [
        "to Mexico on Friday",
        "comes as Mexico has worked",
        "to negotiate with the Trump administration to avoid tariff threats",
        "However, despite Sheinbaum",
        "on Wednesday",
        "interest in Mexico",
        "Noem and Sheinbaum will",
        "Noem is also expected",
        "not just",
        "areas where",
    ] {
        assert!(
            fixed.contains(expected),
            "fixed text lacks {expected:?}:\n{fixed}"
        );
    }
    let diff = report.diff.unwrap();
    assert!(diff.starts_with("--- a/text\n+++ b/text\n"), "{diff}");
    assert!(diff
        .lines()
        .any(|l| l.starts_with('+') && l.contains("on Friday")));
}
