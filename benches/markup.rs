//! Throughput of checking HTML and Markdown against the same prose as plain
//! text. Throughput is counted in bytes of *prose* for every format, so the
//! figures compare the cost of the same reading work; the target is HTML within
//! a factor 2 of plain text.
//!
//! The document is self-contained: spun and clean news paragraphs written for
//! this benchmark, wrapped in a page with navigation, scripts, inline styles and
//! inline markup.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::hint::black_box;
use unspun::{CheckOptions, Checker, Markup};

const PARAGRAPHS: &[&str] = &[
    "The travel comes arsenic Mexico has worked to negociate with the Trump medication to debar tariff threats.",
    "Homeland Security officials will travel to Mexico on Friday to meet with the president, with a focus on immigration and trade.",
    "Officials said the tariff affects not just trade and jobs but also cooperation on migration and security, areas where both countries had found common ground.",
    "Researchers in counterfeit consciousness said the profound learning model was trained on large information sets last year.",
    "The city council voted on Tuesday to extend the library's opening hours and to fund two new community centres in the north of the city.",
];

/// (plain text, Markdown, HTML) carrying the same prose.
fn documents(paragraphs: usize) -> (String, String, String) {
    let chosen: Vec<&str> = PARAGRAPHS
        .iter()
        .cycle()
        .take(paragraphs)
        .copied()
        .collect();
    let plain = chosen.join("\n\n");
    let mut markdown = String::from("---\ntitle: News\n---\n\n# News of the day\n\n");
    let mut html = String::from(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>News</title><style>body{font:16px serif}.p{margin:0}</style><script>window.data=[1,2,3];if(a<b){go()}</script></head><body><nav><ul><li><a href=\"/\">Home</a></li><li><a href=\"/world?a=1&amp;b=2\">World</a></li></ul></nav><main><article>\n",
    );
    for (i, p) in chosen.iter().enumerate() {
        // Some inline markup on a word in every other paragraph.
        let (md, tagged) = match p.split_once(" the ") {
            Some((a, b)) if i % 2 == 0 => {
                (format!("{a} *the* {b}"), format!("{a} <em>the</em> {b}"))
            }
            _ => (p.to_string(), p.replace('\'', "&#8217;")),
        };
        markdown.push_str(&md);
        markdown.push_str("\n\n");
        html.push_str(&format!(
            "<p class=\"p\" style=\"color:#222\">{tagged}</p>\n"
        ));
    }
    html.push_str("</article></main><footer>&copy; News</footer><script src=\"/app.js\"></script></body></html>\n");
    (plain, markdown, html)
}

fn bench(c: &mut Criterion) {
    let checker = Checker::new();
    let (plain, markdown, html) = documents(200);
    let mut group = c.benchmark_group("markup");
    group.throughput(Throughput::Bytes(plain.len() as u64));
    for (name, markup, text) in [
        ("text", Markup::Text, &plain),
        ("markdown", Markup::Markdown, &markdown),
        ("html", Markup::Html, &html),
    ] {
        let options = CheckOptions {
            markup,
            ..Default::default()
        };
        group.bench_function(name, |b| {
            b.iter(|| checker.check_with(black_box(text), &options).unwrap())
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
