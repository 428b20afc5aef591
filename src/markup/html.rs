//! HTML through the WHATWG tokenizer of `html5gum`, with byte spans.
//!
//! A tokenizer is enough here: the projection needs the text runs, which
//! elements they sit in and where blocks start and end, not a corrected tree.
//! Elements are tracked on a simple stack (end tags close up to the matching
//! open element; void elements are never opened), which is how a browser sees
//! well-formed pages and close enough for the rest.

use super::{directive, Builder, Directive, Projection};
use html5gum::{DefaultEmitter, Token, Tokenizer};

/// Elements whose text is never checked.
const SKIPPED: &[&str] = &[
    "script", "style", "pre", "code", "kbd", "samp", "var", "textarea", "template", "svg", "math",
    "noscript", "iframe", "object", "select", "head",
];

/// Elements that start and end a block: words do not join across them.
const BLOCKS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "body",
    "caption",
    "dd",
    "details",
    "dialog",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "html",
    "legend",
    "li",
    "main",
    "menu",
    "nav",
    "ol",
    "p",
    "section",
    "summary",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "title",
    "tr",
    "ul",
    "button",
    "label",
    "option",
];

/// Elements that never have an end tag.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
];

/// Quoted material, left out with `skip_quotes`.
const QUOTES: &[&str] = &["blockquote", "q"];

pub(super) fn project(source: &str, skip_quotes: bool) -> Projection<'static> {
    let mut b = Builder::new(source);
    let mut emitter = DefaultEmitter::<usize>::new_with_span();
    emitter.naively_switch_states(true);
    let mut stack: Vec<Box<str>> = Vec::new();
    // Text is left out while the stack is at least this deep.
    let mut skip_from: Option<usize> = None;
    for token in Tokenizer::new_with_emitter(source, emitter) {
        let token = match token {
            Ok(token) => token,
            Err(never) => match never {},
        };
        match token {
            Token::StartTag(tag) => {
                let name = String::from_utf8_lossy(&tag.name).to_ascii_lowercase();
                let name = name.as_str();
                if BLOCKS.contains(&name) {
                    b.block_break();
                } else if name == "br" {
                    b.space();
                } else if name == "img" {
                    // An image stands where words would: no phrase across it.
                    b.block_break();
                }
                if VOID.contains(&name) || tag.self_closing {
                    continue;
                }
                // A new `p` or `li` closes an open one of the same kind.
                if matches!(
                    name,
                    "p" | "li" | "dt" | "dd" | "tr" | "td" | "th" | "option"
                ) && stack.last().is_some_and(|top| &**top == name)
                {
                    stack.pop();
                }
                stack.push(name.into());
                let skipped = SKIPPED.contains(&name) || (skip_quotes && QUOTES.contains(&name));
                if skipped && skip_from.is_none() {
                    skip_from = Some(stack.len());
                }
            }
            Token::EndTag(tag) => {
                let name = String::from_utf8_lossy(&tag.name).to_ascii_lowercase();
                if BLOCKS.contains(&name.as_str()) || name == "br" {
                    b.block_break();
                }
                if let Some(at) = stack.iter().rposition(|open| **open == *name) {
                    stack.truncate(at);
                    if skip_from.is_some_and(|depth| stack.len() < depth) {
                        skip_from = None;
                    }
                }
            }
            Token::String(text) => {
                if skip_from.is_none() {
                    let decoded = String::from_utf8_lossy(&text.value);
                    b.aligned(&decoded, text.span.start..text.span.end);
                }
            }
            Token::Comment(comment) => match directive(&String::from_utf8_lossy(&comment.value)) {
                Some(Directive::Ignore) => {
                    let depth = stack.len();
                    if skip_from.is_none_or(|d| d > depth) {
                        skip_from = Some(depth);
                    }
                    b.block_break();
                }
                Some(Directive::IgnoreNextLine) => b.ignore_next_line(comment.span.end),
                None => {}
            },
            Token::Doctype(_) | Token::Error(_) => {}
        }
    }
    b.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_script_and_attributes_are_left_out() {
        let p = project(
            "<p title=\"arsenic\">as <code>arsenic</code> x</p><script>arsenic()</script>",
            false,
        );
        assert!(!p.text.contains("arsenic"), "{:?}", p.text);
    }

    #[test]
    fn entities_decode_and_map_to_their_source() {
        let source = "<p>Caf&eacute; &amp; more&#8217;s</p>";
        let p = project(source, false);
        assert_eq!(p.text, "Café & more\u{2019}s");
        let at = p.text.find("more").unwrap();
        assert_eq!(&source[p.source_range(at..p.text.len())], "more&#8217;s");
    }

    #[test]
    fn ignore_directive_covers_the_rest_of_the_element() {
        let p = project(
            "<div><p>one</p><!-- unspun:ignore --><p>two</p></div><p>three</p>",
            false,
        );
        assert_eq!(p.text, "one\n\u{b6}\nthree");
    }
}
