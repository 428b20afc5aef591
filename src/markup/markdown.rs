//! Markdown through `pulldown-cmark`'s offset iterator.
//!
//! Every text event carries its source range; text that differs from its
//! source slice (character references) is aligned so that the rest still maps
//! byte for byte. Raw HTML inside Markdown is not checked, but comments in it
//! carry directives.

use super::{directive, Builder, Directive, Projection};
use pulldown_cmark::{Event, LinkType, Options, Parser, Tag, TagEnd};

pub(super) fn project(source: &str, skip_quotes: bool) -> Projection<'static> {
    let mut b = Builder::new(source);
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS
        | Options::ENABLE_PLUSES_DELIMITED_METADATA_BLOCKS;
    let mut depth = 0usize;
    // Text is left out while the container depth is at least this.
    let mut skip_from: Option<usize> = None;
    let skip = |skip_from: &mut Option<usize>, depth: usize| {
        if skip_from.is_none_or(|d| d > depth) {
            *skip_from = Some(depth);
        }
    };
    for (event, range) in Parser::new_ext(source, options).into_offset_iter() {
        match event {
            Event::Start(tag) => {
                depth += 1;
                let inline = matches!(
                    tag,
                    Tag::Emphasis
                        | Tag::Strong
                        | Tag::Strikethrough
                        | Tag::Link { .. }
                        | Tag::Superscript
                        | Tag::Subscript
                );
                if !inline {
                    b.block_break();
                }
                let skipped = match tag {
                    Tag::CodeBlock(_) | Tag::MetadataBlock(_) | Tag::Image { .. } => true,
                    Tag::BlockQuote(_) => skip_quotes,
                    Tag::Link { link_type, .. } => {
                        matches!(link_type, LinkType::Autolink | LinkType::Email)
                    }
                    _ => false,
                };
                if skipped {
                    skip(&mut skip_from, depth);
                }
            }
            Event::End(tag) => {
                let inline = matches!(
                    tag,
                    TagEnd::Emphasis
                        | TagEnd::Strong
                        | TagEnd::Strikethrough
                        | TagEnd::Link
                        | TagEnd::Superscript
                        | TagEnd::Subscript
                );
                if !inline {
                    b.block_break();
                }
                depth = depth.saturating_sub(1);
                if skip_from.is_some_and(|d| depth < d) {
                    skip_from = None;
                }
            }
            Event::Text(text) => {
                if skip_from.is_none() {
                    b.aligned(&text, range);
                }
            }
            Event::Code(_) | Event::InlineMath(_) | Event::DisplayMath(_) => b.block_break(),
            Event::SoftBreak | Event::HardBreak => b.space(),
            Event::Rule => b.block_break(),
            Event::Html(html) => {
                // A comment in an HTML block speaks for the block's parent.
                let parent = depth.saturating_sub(1);
                comments(
                    &mut b,
                    &html,
                    range.start,
                    |d| skip(&mut skip_from, d),
                    parent,
                );
            }
            Event::InlineHtml(html) => {
                comments(
                    &mut b,
                    &html,
                    range.start,
                    |d| skip(&mut skip_from, d),
                    depth,
                );
                if html.get(..3).is_some_and(|t| t.eq_ignore_ascii_case("<br")) {
                    b.space();
                }
            }
            Event::FootnoteReference(_) | Event::TaskListMarker(_) => {}
        }
    }
    b.finish()
}

/// Acts on the directives in the comments of a piece of raw HTML that starts
/// at source offset `start`; `ignore` is called with the depth an
/// `unspun:ignore` covers.
fn comments(
    b: &mut Builder<'_>,
    html: &str,
    start: usize,
    mut ignore: impl FnMut(usize),
    depth: usize,
) {
    let mut rest = html;
    let mut offset = start;
    while let Some(open) = rest.find("<!--") {
        let body = &rest[open + 4..];
        let comment_len = body.find("-->").unwrap_or(body.len());
        let after = (comment_len + 3).min(body.len());
        let end = offset + open + 4 + after;
        match directive(&body[..comment_len]) {
            Some(Directive::Ignore) => ignore(depth),
            Some(Directive::IgnoreNextLine) => b.ignore_next_line(end),
            None => {}
        }
        rest = &body[after..];
        offset = end;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emphasis_keeps_words_adjacent_and_blocks_break() {
        let p = project(
            "# Title\n\n**counterfeit** consciousness and `arsenic`\n",
            false,
        );
        assert_eq!(p.text, "Title\n\u{b6}\ncounterfeit consciousness and ");
    }
}
