//! Property tests of the markup projection (`Markup::project`) on generated
//! HTML and Markdown: it never panics, and every projected word maps back to
//! the source bytes it came from, on character boundaries, in order.

mod common;

use proptest::prelude::*;
use unspun::markup::Markup;

fn config() -> ProptestConfig {
    ProptestConfig::with_cases(common::proptest_cases())
}

fn html_piece() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => "[a-z]{1,9}",
        3 => Just(" ".to_string()),
        4 => prop::sample::select(vec![
            "<p>", "</p>", "<em>", "</em>", "<b>", "</b>", "<a href=\"x y\">", "</a>",
            "<br>", "<br/>", "<h2>", "</h2>", "<li>", "</li>", "<div class=a>", "</div>",
            "<script>var s = 'arsenic';</script>", "<style>p { x: y }</style>",
            "<!-- note -->", "<!-- unspun:ignore -->", "<!-- unspun:ignore-next-line -->",
            "<code>x y</code>", "<pre>a\nb</pre>", "<q>", "</q>", "<blockquote>",
            "</blockquote>", "&amp;", "&lt;", "&gt;", "&#8217;", "&nbsp;", "&eacute;",
            "&#x2014;", "&bogus;", "&", "<", ">", "\n", ".", ",", "-", "'", "é", "😀",
            "<img alt=\"counterfeit consciousness\">", "<textarea>t</textarea>",
            "<svg><text>z</text></svg>", "<!DOCTYPE html>", "</p", "<p", "<!--",
        ])
        .prop_map(str::to_string),
    ]
}

fn markdown_piece() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => "[a-z]{1,9}",
        3 => Just(" ".to_string()),
        4 => prop::sample::select(vec![
            "\n", "\n\n", "# ", "## ", "- ", "1. ", "> ", "*", "**", "_", "`", "```\n",
            "[", "](http://x.y/z)", "]", "(", ")", "<http://a.b>", "![alt text](i.png)",
            "\\*", "\\_", "&amp;", "&lt;", "&#8217;", "<em>", "</em>", "<!-- c -->",
            "<!-- unspun:ignore -->", "<!-- unspun:ignore-next-line -->", "---\n", "| a | b |\n",
            "|---|---|\n", "~~", "[^1]", "[^1]: note\n", "    indented code\n", ".", ",",
            "-", "'", "é", "😀", "+++\n",
        ])
        .prop_map(str::to_string),
    ]
}

fn document(piece: impl Strategy<Value = String>) -> impl Strategy<Value = String> {
    prop::collection::vec(piece, 0..60).prop_map(|parts| parts.concat())
}

/// What every projection must satisfy, whatever its source.
fn check_projection(markup: Markup, source: &str, skip_quotes: bool) -> Result<(), TestCaseError> {
    let projection = markup.project(source, skip_quotes);
    let text: &str = &projection.text;
    let mut previous_start = 0;
    for word in unspun::text::words(text) {
        let range = projection.source_range(word.start..word.end);
        prop_assert!(
            range.start <= range.end && range.end <= source.len(),
            "{range:?}"
        );
        prop_assert!(source.is_char_boundary(range.start) && source.is_char_boundary(range.end));
        prop_assert!(
            range.start >= previous_start,
            "words map back in order: {word:?} {range:?}"
        );
        previous_start = range.start;
        let pieces = projection.source_pieces(word.start..word.end);
        prop_assert!(!pieces.is_empty(), "{word:?}");
        let mut last_end = range.start;
        for piece in &pieces {
            prop_assert!(
                piece.start >= last_end && piece.start <= piece.end,
                "{pieces:?}"
            );
            prop_assert!(piece.end <= range.end, "{pieces:?} within {range:?}");
            prop_assert!(
                source.is_char_boundary(piece.start) && source.is_char_boundary(piece.end)
            );
            last_end = piece.end;
        }
        if word.text.bytes().all(|b| b.is_ascii_alphabetic()) {
            // Letters come from the source as they are: the pieces spell the
            // word, and the range starts and ends on its first and last letter.
            let spelled: String = pieces.iter().map(|p| &source[p.clone()]).collect();
            prop_assert_eq!(&spelled, word.text, "pieces {:?} of {:?}", pieces, source);
            prop_assert!(source[range.clone()].starts_with(&word.text[..1]));
            prop_assert!(source[range].ends_with(&word.text[word.text.len() - 1..]));
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn html_words_map_back_to_the_source_bytes(source in document(html_piece()), quotes in any::<bool>()) {
        check_projection(Markup::Html, &source, quotes)?;
    }

    #[test]
    fn markdown_words_map_back_to_the_source_bytes(source in document(markdown_piece()), quotes in any::<bool>()) {
        check_projection(Markup::Markdown, &source, quotes)?;
    }

    #[test]
    fn any_string_projects_without_panicking(source in any::<String>()) {
        for markup in [Markup::Text, Markup::Html, Markup::Markdown] {
            check_projection(markup, &source, false)?;
        }
    }

    #[test]
    fn plain_text_projects_to_itself(source in any::<String>()) {
        let projection = Markup::Text.project(&source, false);
        prop_assert_eq!(&*projection.text, source.as_str());
        prop_assert_eq!(projection.source_range(0..source.len()), 0..source.len());
    }

    #[test]
    fn html_script_and_attribute_text_never_reaches_the_projection(
        words in prop::collection::vec("[a-y]{1,8}", 1..8),
    ) {
        let prose = words.join(" ");
        let source = format!(
            "<p title=\"zzattr\">{prose}</p><script>zzscript()</script><code>zzcode</code>"
        );
        let projection = Markup::Html.project(&source, false);
        prop_assert!(projection.text.contains(&prose));
        prop_assert!(!projection.text.contains("zz"), "{:?}", projection.text);
    }
}
