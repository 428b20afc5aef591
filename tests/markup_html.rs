//! HTML input: spans point into the page as sent and fixes change only the
//! artifact's text.

mod common;

use html5gum::{Token, Tokenizer};
use unspun::{CheckOptions, Markup, Report};

use common::{found, SPUN};

fn check(source: &str) -> Report {
    common::check_markup(source, Markup::Html)
}

fn check_with(source: &str, options: CheckOptions) -> Report {
    common::check_markup_with(source, Markup::Html, options)
}

/// The page as a browser's tokenizer sees it: tags with attributes, comments
/// and text (adjacent text runs merged, character references decoded).
fn tokens(source: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut text = String::new();
    for token in Tokenizer::new(source) {
        let token = match token {
            Ok(t) => t,
            Err(never) => match never {},
        };
        if let Token::String(s) = &token {
            text.push_str(&String::from_utf8_lossy(s));
            continue;
        }
        if !text.is_empty() {
            out.push(format!("text {}", std::mem::take(&mut text)));
        }
        match token {
            Token::StartTag(t) => out.push(format!("<{:?} {:?}>", t.name, t.attributes)),
            Token::EndTag(t) => out.push(format!("</{:?}>", t.name)),
            Token::Comment(c) => out.push(format!("<!--{:?}-->", c)),
            Token::Doctype(d) => out.push(format!("{:?}", d.name)),
            _ => {}
        }
    }
    if !text.is_empty() {
        out.push(format!("text {text}"));
    }
    out
}

/// Asserts that `fixed` has the same tags, attributes and comments as
/// `source`, and that the texts differ only by `changes` (old, new).
fn assert_same_tree_except(source: &str, fixed: &str, changes: &[(&str, &str)]) {
    let before = tokens(source);
    let after = tokens(fixed);
    assert_eq!(before.len(), after.len(), "{before:#?}\n{after:#?}");
    for (b, a) in before.iter().zip(&after) {
        if b.starts_with("text ") {
            let mut expected = b.clone();
            for (old, new) in changes {
                expected = expected.replace(old, new);
            }
            assert_eq!(&expected, a);
        } else {
            assert_eq!(b, a, "markup changed");
        }
    }
}

#[test]
fn spans_inside_links_emphasis_lists_tables_and_headings_point_at_the_source_words() {
    let source = "<h2>Comes arsenic Mexico</h2>\n<ul><li>It comes <a href=\"/x?q=arsenic\">arsenic</a> Mexico has worked to <em>negociate</em> with the Trump medication.</li></ul>\n<table><tr><td>The Trump medication to <strong>debar</strong> tariff threats.</td></tr></table>";
    let report = check(source);
    let got = found(source, &report);
    for want in [
        ("negociate", "negotiate"),
        ("medication", "administration"),
        ("debar", "avoid"),
    ] {
        assert!(got.contains(&(want.0.into(), want.1.into())), "{got:?}");
    }
    // The link's attribute is never checked; its text is.
    let arsenic: Vec<_> = report
        .spans
        .iter()
        .filter(|s| s.text == "arsenic")
        .collect();
    assert!(arsenic.iter().all(|s| &source[s.start..s.end] == "arsenic"));
    assert!(arsenic.iter().all(|s| !source[..s.start].ends_with("q=")));
    assert!(arsenic.iter().any(|s| source[..s.start].ends_with("\">")));
    for s in &report.spans {
        let line_start = source[..s.start].rfind('\n').map_or(0, |n| n + 1);
        assert_eq!(s.line, 1 + source[..s.start].matches('\n').count());
        assert_eq!(s.column, 1 + source[line_start..s.start].chars().count());
    }
}

#[test]
fn artifacts_inside_code_scripts_styles_and_attributes_are_never_flagged() {
    let body = format!(
        "<pre>{SPUN}</pre><code>{SPUN}</code><kbd>{SPUN}</kbd><script>var s = \"{SPUN}\";</script><style>/* {SPUN} */</style><img alt=\"{SPUN}\"><p title=\"{SPUN}\">Plain words.</p><!-- {SPUN} -->"
    );
    let report = check(&body);
    assert!(report.spans.is_empty(), "{:?}", report.spans);
}

#[test]
fn a_phrase_split_by_inline_markup_is_one_artifact_and_its_fix_keeps_the_tags() {
    let source = "<p>Research on <em>counterfeit</em> <b>consciousness</b> grows.</p>";
    let report = check(source);
    assert_eq!(report.spans.len(), 1, "{:?}", report.spans);
    let span = &report.spans[0];
    assert_eq!(span.text, "counterfeit consciousness");
    assert_eq!(
        &source[span.start..span.end],
        "counterfeit</em> <b>consciousness"
    );
    let fixed = report.fixed.unwrap();
    assert_eq!(
        fixed,
        "<p>Research on <em>artificial intelligence</em><b></b> grows.</p>"
    );
}

#[test]
fn character_references_are_decoded_and_stay_byte_identical_around_fixes() {
    let source = "<p>Sheinbaum&#8217;s team &amp; the U.S.&nbsp;side: the travel comes arsenic Mexico has worked to negociate with the Trump medication &mdash; to debar tariff threats &#x2014; &quot;quickly&quot;.</p>";
    let report = check(source);
    let got = found(source, &report);
    assert!(got.contains(&("arsenic".into(), "as".into())), "{got:?}");
    assert!(got.contains(&("debar".into(), "avoid".into())), "{got:?}");
    let fixed = report.fixed.unwrap();
    for entity in [
        "&#8217;", "&amp;", "&nbsp;", "&mdash;", "&#x2014;", "&quot;",
    ] {
        assert_eq!(
            source.matches(entity).count(),
            fixed.matches(entity).count(),
            "{entity}"
        );
    }
    assert_same_tree_except(
        source,
        &fixed,
        &[
            ("travel", "trip"),
            ("arsenic", "as"),
            ("negociate", "negotiate"),
            ("medication", "administration"),
            ("debar", "avoid"),
        ],
    );
}

#[test]
fn an_artifact_written_with_a_character_reference_maps_to_the_whole_reference() {
    let source = "<p>The travel comes arsenic Mexico has worked to negoci&#97;te with the Trump medication to debar tariff threats.</p>";
    let report = check(source);
    let span = report
        .spans
        .iter()
        .find(|s| s.text == "negociate")
        .expect("found");
    assert_eq!(&source[span.start..span.end], "negoci&#97;te");
    assert!(report.fixed.unwrap().contains(" negotiate with"));
}

#[test]
fn a_fixed_page_parses_to_the_same_tree_with_only_the_artifacts_changed() {
    let source = format!(
        "<!doctype html><html><head><title>t</title></head><body><div class=\"a\" data-x='1 & 2'><p>{SPUN}</p><ul><li><a href=\"#\">{SPUN}</a></li></ul></div></body></html>"
    );
    let report = check(&source);
    assert!(report.spans.len() >= 8, "{:?}", report.spans);
    assert_same_tree_except(
        &source,
        &report.fixed.unwrap(),
        &[
            ("travel", "trip"),
            ("arsenic", "as"),
            ("negociate", "negotiate"),
            ("medication", "administration"),
            ("debar", "avoid"),
        ],
    );
}

#[test]
fn quotes_are_checked_unless_skipped() {
    let source = format!("<p>Plain words here.</p><blockquote><p>{SPUN}</p></blockquote><p>She said <q>{SPUN}</q></p>");
    assert!(!check(&source).spans.is_empty());
    let skipped = check_with(
        &source,
        CheckOptions {
            skip_quotes: true,
            ..Default::default()
        },
    );
    assert!(skipped.spans.is_empty(), "{:?}", skipped.spans);
}

#[test]
fn ignore_directives_leave_out_the_rest_of_the_element_or_the_next_line() {
    let source = format!(
        "<section><!-- unspun:ignore --><p>{SPUN}</p></section>\n<!-- unspun:ignore-next-line -->\n<p>{SPUN}</p>\n<p>Lastly it comes arsenic Mexico has worked to negociate.</p>"
    );
    let report = check(&source);
    let last_line = source.rfind("<p>Lastly").unwrap();
    assert!(!report.spans.is_empty());
    assert!(
        report.spans.iter().all(|s| s.start > last_line),
        "{:?}",
        report.spans
    );
}

#[test]
fn utf16_offsets_refer_to_the_page() {
    let source = "<p>\u{1F600} caf&eacute; — the travel comes arsenic Mexico has worked to negociate with the Trump medication.</p>";
    let report = check(source);
    let span = report.spans.iter().find(|s| s.text == "arsenic").unwrap();
    let utf16 = unspun::text::OffsetUnit::Utf16.convert_all(source, &[span.start, span.end]);
    let units: Vec<u16> = source.encode_utf16().collect();
    assert_eq!(
        String::from_utf16(&units[utf16[0]..utf16[1]]).unwrap(),
        "arsenic"
    );
}
