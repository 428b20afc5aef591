//! Reports for continuous integration: GitHub Actions workflow commands
//! (`--format github`, one annotation per span on the pull request's diff)
//! and SARIF 2.1.0 (`--format sarif`, for GitHub code scanning and other
//! SARIF viewers).
//!
//! Both give each span's region as 1-based lines and columns in code points,
//! its rule id, message and suggestions; SARIF also carries the suggestion as
//! a fix where `unspun fix` would apply it.

use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::io::Write;
use unspun::text::LineColumns;
use unspun::{Report, Span};

/// Where a span ends: 1-based line and the column just past its last
/// character, for spans in text order.
fn ends<'a>(text: &'a str, spans: &'a [Span]) -> impl Iterator<Item = (usize, usize)> + 'a {
    let mut columns = LineColumns::new(text);
    spans.iter().map(move |span| columns.line_column(span.end))
}

/// Escapes a workflow command's message (`%`, CR and LF).
fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a workflow command's property (also `:` and `,`).
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// One `::warning` workflow command per span of `report`.
pub fn write_github(
    out: &mut impl Write,
    path: &str,
    text: &str,
    report: &Report,
) -> std::io::Result<()> {
    for (span, (end_line, end_column)) in report.spans.iter().zip(ends(text, &report.spans)) {
        let mut message = span.message.clone();
        if let (true, Some(fix)) = (span.fixable, span.suggestions.first()) {
            message.push_str(&format!(" Fix: {} -> {fix}.", span.text));
        }
        writeln!(
            out,
            "::warning file={},line={},col={},endLine={end_line},endColumn={end_column},title={}::{}",
            escape_property(path),
            span.line,
            span.column,
            escape_property(&format!("unspun {}", span.rule)),
            escape_data(&message),
        )?;
    }
    Ok(())
}

/// Percent-encodes a path as a relative URI reference (`/` kept).
fn uri_of(path: &str) -> String {
    let mut uri = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            uri.push(b as char);
        } else {
            uri.push_str(&format!("%{b:02X}"));
        }
    }
    uri
}

/// The SARIF results of one file, and the rules they use (id -> kind).
pub fn sarif_results(
    path: &str,
    text: &str,
    report: &Report,
    rules: &mut BTreeMap<String, &'static str>,
) -> Vec<Value> {
    let uri = uri_of(path);
    report
        .spans
        .iter()
        .zip(ends(text, &report.spans))
        .map(|(span, (end_line, end_column))| {
            rules
                .entry(span.rule.clone())
                .or_insert_with(|| span.kind.as_str());
            let region = json!({
                "startLine": span.line,
                "startColumn": span.column,
                "endLine": end_line,
                "endColumn": end_column,
                "snippet": { "text": span.text },
            });
            let mut result = json!({
                "ruleId": span.rule,
                "level": "warning",
                "message": { "text": span.message },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": uri },
                        "region": region,
                    }
                }],
                "properties": {
                    "confidence": span.confidence,
                    "suggestions": span.suggestions,
                    "fixable": span.fixable,
                },
            });
            if let (true, Some(fix)) = (span.fixable, span.suggestions.first()) {
                result["fixes"] = json!([{
                    "description": { "text": format!("Replace “{}” with “{fix}”", span.text) },
                    "artifactChanges": [{
                        "artifactLocation": { "uri": uri },
                        "replacements": [{
                            "deletedRegion": {
                                "startLine": span.line,
                                "startColumn": span.column,
                                "endLine": end_line,
                                "endColumn": end_column,
                            },
                            "insertedContent": { "text": fix },
                        }],
                    }],
                }]);
            }
            result
        })
        .collect()
}

/// The rule metadata of `tool.driver.rules`, one per rule id used.
fn sarif_rules(rules: &BTreeMap<String, &'static str>) -> Vec<Value> {
    rules
        .iter()
        .map(|(id, kind)| {
            let artifact = id.rsplit('/').next().unwrap_or(id);
            let (name, what) = match *kind {
                "tortured-phrase" => (
                    "TorturedPhrase",
                    "a tortured phrase from the Problematic Paper Screener's catalogue",
                ),
                _ => (
                    "SpunWord",
                    "a word swapped for a wrong-sense thesaurus synonym",
                ),
            };
            json!({
                "id": id,
                "name": name,
                "shortDescription": { "text": format!("“{artifact}”: {what}") },
                "fullDescription": {
                    "text": format!(
                        "“{artifact}” is listed as an article-spinning artifact: {what}. \
                         Allow it with --allow {artifact} where it is meant."
                    )
                },
                "defaultConfiguration": { "level": "warning" },
                "properties": { "tags": [kind] },
            })
        })
        .collect()
}

/// The SARIF log: one run with `results` and the rules they use.
pub fn sarif_log(results: Vec<Value>, rules: &BTreeMap<String, &'static str>) -> Value {
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "unspun",
                    "version": env!("CARGO_PKG_VERSION"),
                    "rules": sarif_rules(rules),
                }
            },
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workflow_command_values_are_escaped() {
        assert_eq!(escape_data("50% a\r\nb"), "50%25 a%0D%0Ab");
        assert_eq!(escape_property("a:b,c"), "a%3Ab%2Cc");
    }

    #[test]
    fn paths_become_uri_references() {
        assert_eq!(uri_of("docs/my article.md"), "docs/my%20article.md");
        assert_eq!(uri_of("a#b?c%"), "a%23b%3Fc%25");
        assert_eq!(uri_of("été.txt"), "%C3%A9t%C3%A9.txt");
    }
}
