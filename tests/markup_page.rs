//! A page shaped like a real news site: navigation, scripts, inline styles and
//! an article body. Its artifacts must be those of the same paragraphs as plain
//! text, at the right bytes of the page.

mod common;

use common::found;
use unspun::{CheckOptions, Checker, Markup};

const PARAGRAPHS: &[&str] = &[
    "Homeland Security Secretary will question to Mexico connected Friday to conscionable with the Mexican President.",
    "The travel comes arsenic Mexico has worked to negociate with the Trump medication to debar tariff threats.",
    "Officials reason that the tariff impacts not conscionable commercialized jobs but besides cooperation connected migration.",
];

/// Escapes text for HTML the way CMS editors do: ampersands, and typographic
/// apostrophes as numeric references.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('\u{2019}', "&#8217;")
}

fn page(paragraphs: &[&str]) -> String {
    let mut body = String::new();
    for (i, p) in paragraphs.iter().enumerate() {
        if i == 1 {
            body.push_str("<figure><img src=\"/a.jpg\" alt=\"comes arsenic Mexico\"><figcaption>Photo</figcaption></figure>\n");
        }
        body.push_str(&format!(
            "<p style=\"margin:0 0 1em\" class=\"para\">{}</p>\n",
            escape(p)
        ));
    }
    format!(
        r#"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>News</title>
<style>body {{ font: 16px/1.4 serif }} .para::before {{ content: "arsenic" }}</style>
<script>window.dataLayer = [{{ "event": "comes arsenic Mexico", "medication": 1 }}]; if (a < b && c) {{ go(); }}</script>
</head>
<body>
<nav class="top"><ul><li><a href="/">Home</a></li><li><a href="/world?x=1&amp;y=2">World</a></li></ul></nav>
<main><article>
<header><h1 style="color:#333">Noem to visit Mexico</h1><span class="byline">By Staff</span></header>
{body}</article></main>
<footer><p>&copy; 2025 News &amp; Co.</p><script src="/app.js"></script></footer>
</body>
</html>
"#
    )
}

fn same_artifacts_as_plain_text(paragraphs: &[&str]) {
    let checker = Checker::new();
    // The page's heading, byline and caption are text too, so its document
    // is a few words longer than the paragraphs alone, and a confidence at
    // the default threshold may move in the third place: the two are
    // compared a little above it.
    let plain_options = CheckOptions {
        min_confidence: 0.51,
        fix_threshold: 0.51,
        ..Default::default()
    };
    let plain = paragraphs.join("\n");
    let plain_report = checker.check_with(&plain, &plain_options).unwrap();
    let html = page(paragraphs);
    let options = CheckOptions {
        markup: Markup::Html,
        ..plain_options
    };
    let html_report = checker.check_with(&html, &options).unwrap();
    let from_plain: Vec<_> = plain_report
        .spans
        .iter()
        .map(|s| (s.text.clone(), s.suggestions[0].clone()))
        .collect();
    let from_html: Vec<_> = html_report
        .spans
        .iter()
        .map(|s| (s.text.clone(), s.suggestions[0].clone()))
        .collect();
    assert!(!from_plain.is_empty());
    assert_eq!(from_plain, from_html);
    // Single words without references sit at exactly their bytes of the page.
    for ((text, _), span) in found(&html, &html_report).iter().zip(&html_report.spans) {
        if !span.text.contains(' ') && !text.contains('&') {
            assert_eq!(text, &span.text);
        }
        let line_start = html[..span.start].rfind('\n').map_or(0, |n| n + 1);
        assert_eq!(span.line, 1 + html[..span.start].matches('\n').count());
        assert_eq!(
            span.column,
            1 + html[line_start..span.start].chars().count()
        );
    }
    // The fixed page is the page with the plain fixes applied inside the paragraphs.
    let fixed_plain = plain_report.fixed.unwrap();
    let fixed_paragraphs: Vec<&str> = fixed_plain.split('\n').collect();
    assert_eq!(html_report.fixed.unwrap(), page(&fixed_paragraphs));
}

#[test]
fn a_news_page_gives_the_artifacts_of_its_paragraphs_as_plain_text() {
    same_artifacts_as_plain_text(PARAGRAPHS);
}

#[test]
fn the_seed_article_as_a_news_page_gives_the_artifacts_of_the_plain_article() {
    let Some(article) = common::shared_file("data/seed/spun-news-article.txt") else {
        return;
    };
    let paragraphs: Vec<&str> = article.lines().filter(|l| !l.trim().is_empty()).collect();
    same_artifacts_as_plain_text(&paragraphs);
}
