//! Markdown input: spans point into the source and fixes round-trip through
//! the parser with only the artifact's text changed.

mod common;

use pulldown_cmark::{Event, Options, Parser};
use unspun::{Markup, Report};

use common::{found, SPUN};

fn check(source: &str) -> Report {
    common::check_markup(source, Markup::Markdown)
}

/// The parser's events with adjacent text merged.
fn events(source: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut text = String::new();
    for event in Parser::new_ext(
        source,
        Options::ENABLE_TABLES | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS,
    ) {
        if let Event::Text(t) = &event {
            text.push_str(t);
            continue;
        }
        if !text.is_empty() {
            out.push(format!("text {}", std::mem::take(&mut text)));
        }
        out.push(format!("{event:?}"));
    }
    out
}

#[test]
fn spans_inside_links_emphasis_lists_tables_and_headings_point_at_the_source_words() {
    let source = format!(
        "# Travel comes arsenic Mexico works\n\n- It comes [arsenic](https://example.com/arsenic) Mexico has worked to *negociate* with the Trump medication.\n\n| a | b |\n|---|---|\n| The Trump medication to **debar** tariff threats. | x |\n\n{SPUN}\n"
    );
    let report = check(&source);
    let got = found(&source, &report);
    for want in [
        ("negociate", "negotiate"),
        ("medication", "administration"),
        ("debar", "avoid"),
        ("arsenic", "as"),
    ] {
        assert!(
            got.contains(&(want.0.into(), want.1.into())),
            "{want:?} in {got:?}"
        );
    }
    assert!(report
        .spans
        .iter()
        .all(|s| !source[..s.start].ends_with("example.com/")));
}

#[test]
fn artifacts_in_code_front_matter_and_comments_are_never_flagged() {
    let source = format!("---\ntitle: {SPUN}\n---\n\nPlain words `{SPUN}` here.\n\n```\n{SPUN}\n```\n\n    {SPUN}\n\n<!-- {SPUN} -->\n\n<https://example.com/arsenic>\n");
    let report = check(&source);
    assert!(report.spans.is_empty(), "{:?}", report.spans);
}

#[test]
fn a_phrase_split_by_emphasis_is_one_artifact() {
    let source = "Work on **counterfeit** consciousness grows.\n";
    let report = check(source);
    assert_eq!(report.spans.len(), 1, "{:?}", report.spans);
    assert_eq!(report.spans[0].text, "counterfeit consciousness");
    assert_eq!(
        report.fixed.as_deref(),
        Some("Work on **artificial intelligence** grows.\n")
    );
}

#[test]
fn words_do_not_join_across_blocks() {
    let report = check("# Counterfeit\n\nConsciousness is studied.\n");
    assert!(report.spans.is_empty(), "{:?}", report.spans);
}

#[test]
fn a_fix_round_trips_through_the_parser_with_only_the_artifacts_changed() {
    let source = format!(
        "---\nkey: value\n---\n\n## Heading &amp; more\n\n> {SPUN}\n\n1. *{SPUN}*\n2. [{SPUN}](http://example.com \"title\")\n\n| col |\n|-----|\n| {SPUN} |\n"
    );
    let report = check(&source);
    let fixed = report.fixed.unwrap();
    let before = events(&source);
    let after = events(&fixed);
    assert_eq!(before.len(), after.len());
    for (b, a) in before.iter().zip(&after) {
        let mut expected = b.clone();
        for (old, new) in [
            ("travel", "trip"),
            ("arsenic", "as"),
            ("negociate", "negotiate"),
            ("medication", "administration"),
            ("debar", "avoid"),
        ] {
            expected = expected.replace(old, new);
        }
        assert_eq!(&expected, a);
    }
    assert_ne!(fixed, source);
}

#[test]
fn ignore_directives_work_in_markdown_comments() {
    let source = format!(
        "<!-- unspun:ignore-next-line -->\n{SPUN}\n\n- first item\n- <!-- unspun:ignore --> {SPUN}\n\nLastly it comes arsenic Mexico has worked to negociate with the Trump medication.\n"
    );
    let report = check(&source);
    let last = source.find("Lastly").unwrap();
    assert!(!report.spans.is_empty());
    assert!(
        report.spans.iter().all(|s| s.start > last),
        "{:?}",
        report.spans
    );
}
