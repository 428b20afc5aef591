//! Inline ignores work in every format: `unspun:ignore-line`,
//! `unspun:ignore-next-line` and `unspun:disable` / `unspun:enable`, in the
//! comment syntax of the file or on a line of their own, leave the spans they
//! cover out of the report and out of the fixed text.

use unspun::{CheckOptions, Checker, Markup};

const SPUN: &str = "The mayor volition visit Lisbon connected Friday.";
const FIXED: &str = "The mayor will visit Lisbon on Friday.";

fn options(markup: Markup) -> CheckOptions {
    CheckOptions {
        markup,
        // Every artifact of the sentence, so that only the directives decide.
        min_confidence: 0.2,
        fix_threshold: 0.2,
        ..CheckOptions::default()
    }
}

/// The lines (1-based) that have spans.
fn flagged_lines(text: &str, markup: Markup) -> Vec<usize> {
    let report = Checker::new().check_with(text, &options(markup)).unwrap();
    let mut lines: Vec<usize> = report.spans.iter().map(|s| s.line).collect();
    lines.dedup();
    lines
}

fn fixed(text: &str, markup: Markup) -> String {
    Checker::new()
        .check_with(text, &options(markup))
        .unwrap()
        .fixed
        .unwrap()
}

#[test]
fn every_copy_of_the_sentence_is_flagged_without_directives() {
    let text = format!("{SPUN}\n{SPUN}\n{SPUN}\n");
    assert_eq!(flagged_lines(&text, Markup::Text), [1, 2, 3]);
    assert_eq!(fixed(SPUN, Markup::Text), FIXED);
}

#[test]
fn plain_text_directives_on_their_own_lines_or_after_the_text() {
    let text = format!("unspun:ignore-next-line\n{SPUN}\n{SPUN}\n");
    assert_eq!(flagged_lines(&text, Markup::Text), [3]);
    assert_eq!(
        fixed(&text, Markup::Text),
        format!("unspun:ignore-next-line\n{SPUN}\n{FIXED}\n")
    );
    let text = format!("{SPUN} (unspun:ignore-line)\n{SPUN}\n");
    assert_eq!(flagged_lines(&text, Markup::Text), [2]);
    let text = format!("unspun:disable\n{SPUN}\n{SPUN}\nunspun:enable\n{SPUN}\n");
    assert_eq!(flagged_lines(&text, Markup::Text), [5]);
}

#[test]
fn markdown_and_html_comments() {
    let md = format!(
        "# Visit\n\n<!-- unspun:ignore-next-line -->\n{SPUN}\n\n{SPUN} <!-- unspun:ignore-line -->\n\n{SPUN}\n"
    );
    assert_eq!(flagged_lines(&md, Markup::Markdown), [8]);
    let html = format!(
        "<p>{SPUN}</p>\n<!-- unspun:disable -->\n<p>{SPUN}</p>\n<p>{SPUN}</p>\n<!-- unspun:enable -->\n"
    );
    assert_eq!(flagged_lines(&html, Markup::Html), [1]);
    let html = format!("<p>{SPUN}</p><!-- unspun:ignore-line -->\n<p>{SPUN}</p>\n");
    assert_eq!(
        fixed(&html, Markup::Html),
        format!("<p>{SPUN}</p><!-- unspun:ignore-line -->\n<p>{FIXED}</p>\n")
    );
}

#[test]
fn other_comment_syntaxes() {
    for comment in ["//", "#", ";", "%%", "--", "/*"] {
        let text = format!("{comment} unspun:ignore-next-line\n{SPUN}\n{SPUN}\n");
        assert_eq!(flagged_lines(&text, Markup::Text), [3], "{comment}");
    }
}
