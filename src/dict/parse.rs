//! Parsing of dictionary and allowlist files, with errors that name the file,
//! line and reason.

use super::{Conditions, Dictionary, DictionaryInfo, Entry};
use crate::error::{Error, Result};
use crate::report::SpanKind;

/// Parses a dictionary file. `path` is only used in error messages and as the
/// default name (file stem) when the header has no `#! name:`.
///
/// ```
/// let text = "#! name: demo\n#! kind: spun-word\narsenic\tas\nconnected\ton|about\tvia=mythes\n";
/// let dict = unspun::dict::parse_dictionary("demo.tsv", text).unwrap();
/// assert_eq!(dict.info.name, "demo");
/// assert_eq!(dict.entries[1].originals, ["on", "about"]);
///
/// let err = unspun::dict::parse_dictionary("bad.tsv", "arsenic\n").unwrap_err();
/// assert_eq!(err.to_string(), "bad.tsv:1: expected `artifact<TAB>original`, found no TAB");
/// ```
pub fn parse_dictionary(path: &str, text: &str) -> Result<Dictionary> {
    let fail = |line: usize, reason: String| Error::Dictionary {
        path: path.to_string(),
        line,
        reason,
    };
    let stem = std::path::Path::new(path)
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or(path)
        .to_string();
    let mut info = DictionaryInfo {
        name: stem,
        kind: SpanKind::SpunWord,
        entries: 0,
        source: String::from("user file"),
        licence: String::from("unknown"),
        embedded: false,
    };
    let mut entries = Vec::new();
    let mut seen = rustc_hash::FxHashMap::default();
    for (index, raw) in text.lines().enumerate() {
        let n = index + 1;
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        if let Some(directive) = line.strip_prefix("#!") {
            let (key, value) = directive
                .split_once(':')
                .ok_or_else(|| fail(n, "header directive must be `#! key: value`".into()))?;
            let value = value.trim().to_string();
            match key.trim() {
                "name" => {
                    if value.is_empty() || value.contains(char::is_whitespace) {
                        return Err(fail(
                            n,
                            format!("dictionary name `{value}` must be one word"),
                        ));
                    }
                    info.name = value
                }
                "kind" => {
                    info.kind = match value.as_str() {
                        "spun-word" => SpanKind::SpunWord,
                        "tortured-phrase" => SpanKind::TorturedPhrase,
                        other => {
                            return Err(fail(
                                n,
                                format!(
                                "unknown kind `{other}` (expected spun-word or tortured-phrase)"
                            ),
                            ))
                        }
                    }
                }
                "source" => info.source = value,
                "licence" | "license" => info.licence = value,
                "generator" => {}
                other => return Err(fail(n, format!("unknown header directive `{other}`"))),
            }
            continue;
        }
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let mut fields = line.split('\t');
        let artifact = fields.next().unwrap_or_default();
        let originals = fields
            .next()
            .ok_or_else(|| fail(n, "expected `artifact<TAB>original`, found no TAB".into()))?;
        let attributes = fields.next();
        if fields.next().is_some() {
            return Err(fail(n, "too many TAB-separated fields (at most 3)".into()));
        }
        let artifact = normalize_phrase(artifact);
        // An ASCII letter or digit is a word; only other artifacts need the tokenizer.
        let has_word = artifact.bytes().any(|b| b.is_ascii_alphanumeric())
            || crate::text::words(&artifact).any(|_| true);
        if artifact.is_empty() || !has_word {
            return Err(fail(n, "the artifact has no word in it".into()));
        }
        // `?`: a catalogued artifact whose original nobody worked out. It is
        // flagged without a suggestion (never for a spun word, which is judged
        // by how its originals fit the context).
        let unknown_original = originals.trim() == "?";
        if unknown_original && info.kind != SpanKind::TorturedPhrase {
            return Err(fail(
                n,
                "`?` (original unknown) is only allowed in a tortured-phrase dictionary".into(),
            ));
        }
        let originals: Vec<String> = if unknown_original {
            Vec::new()
        } else {
            originals
                .split('|')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(String::from)
                .collect()
        };
        if originals.is_empty() && !unknown_original {
            return Err(fail(
                n,
                "no original given after the TAB (write `?` when it is unknown)".into(),
            ));
        }
        if let Some(first) = seen.insert(artifact.clone(), n) {
            return Err(fail(
                n,
                format!("`{artifact}` is already defined on line {first}"),
            ));
        }
        let mut entry = Entry {
            artifact,
            originals,
            conditions: Conditions::default(),
            papers: None,
            uncertain: unknown_original,
            via: Vec::new(),
            line: n,
        };
        if let Some(attributes) = attributes {
            parse_attributes(attributes, &mut entry).map_err(|reason| fail(n, reason))?;
        }
        entries.push(entry);
    }
    info.entries = entries.len();
    Ok(Dictionary { info, entries })
}

fn parse_attributes(attributes: &str, entry: &mut Entry) -> std::result::Result<(), String> {
    let phrases = |value: &str| -> std::result::Result<Vec<String>, String> {
        let list: Vec<String> = value
            .split('|')
            .map(normalize_phrase)
            .filter(|s| !s.is_empty())
            .collect();
        if list.is_empty() {
            Err("empty phrase list".into())
        } else {
            Ok(list)
        }
    };
    for item in attributes
        .split(';')
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        let (key, value) = match item.split_once('=') {
            Some((k, v)) => (k.trim(), Some(v.trim())),
            None => (item, None),
        };
        match (key, value) {
            ("requires", Some(v)) => entry.conditions.requires.push(phrases(v)?),
            ("excludes", Some(v)) => entry.conditions.excludes.extend(phrases(v)?),
            ("within", Some(v)) => {
                let slop: u32 = v
                    .parse()
                    .map_err(|_| format!("within={v}: expected a whole number"))?;
                if slop > 1000 {
                    return Err(format!("within={v}: at most 1000"));
                }
                entry.conditions.within = Some(slop);
            }
            ("papers", Some(v)) => {
                entry.papers = Some(
                    v.parse()
                        .map_err(|_| format!("papers={v}: expected a whole number"))?,
                )
            }
            ("via", Some(v)) => {
                entry.via = v
                    .split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(String::from)
                    .collect()
            }
            ("uncertain", None) => entry.uncertain = true,
            ("requires" | "excludes" | "within" | "papers" | "via", None) => {
                return Err(format!("attribute `{key}` needs a value (`{key}=...`)"))
            }
            ("uncertain", Some(_)) => return Err("`uncertain` is a flag and takes no value".into()),
            _ => return Err(format!("unknown attribute `{key}`")),
        }
    }
    Ok(())
}

/// Lower case, single spaces: the canonical written form of an artifact or phrase.
fn normalize_phrase(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        if word.is_ascii() {
            // The shipped files are ASCII: lower-cased in place, byte by byte.
            let start = out.len();
            out.push_str(word);
            out[start..].make_ascii_lowercase();
        } else {
            out.extend(word.chars().flat_map(char::to_lowercase));
        }
    }
    out
}

/// Parses an allowlist: one word or phrase per line that must never be flagged;
/// `#` starts a comment line.
///
/// ```
/// let allow = unspun::dict::parse_allowlist("allow.txt", "# chemistry journal\narsenic\nSurface Region\n").unwrap();
/// assert_eq!(allow, ["arsenic", "surface region"]);
/// ```
pub fn parse_allowlist(path: &str, text: &str) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if line.contains('\t') {
            return Err(Error::Dictionary {
                path: path.to_string(),
                line: index + 1,
                reason: "an allowlist line is one word or phrase, without TABs".into(),
            });
        }
        out.push(normalize_phrase(line));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attributes_become_conditions() {
        let d = parse_dictionary(
            "pps.tsv",
            "#! kind: tortured-phrase\nsurface region\tsurface area\trequires=surface area; papers=42682\n\
             pc helped\tcomputer-aided\trequires=be that as it|on the off chance; excludes=specular; within=5; uncertain\n",
        )
        .unwrap();
        assert_eq!(d.info.kind, SpanKind::TorturedPhrase);
        assert_eq!(
            d.entries[0].conditions.requires,
            vec![vec!["surface area".to_string()]]
        );
        assert_eq!(d.entries[0].papers, Some(42682));
        let e = &d.entries[1];
        assert_eq!(
            e.conditions.requires[0],
            ["be that as it", "on the off chance"]
        );
        assert_eq!(e.conditions.excludes, ["specular"]);
        assert_eq!(e.conditions.within, Some(5));
        assert!(e.uncertain);
    }

    #[test]
    fn question_mark_is_a_tortured_phrase_with_an_unknown_original() {
        let d = parse_dictionary(
            "pps.tsv",
            "#! kind: tortured-phrase\nadvantage gizmos\t?\tpapers=3\n",
        )
        .unwrap();
        let e = &d.entries[0];
        assert!(e.originals.is_empty());
        assert!(e.uncertain, "never fixed automatically");
        assert_eq!(e.papers, Some(3));
    }

    #[test]
    fn artifacts_are_lower_cased_with_single_spaces_in_ascii_and_beyond() {
        let d = parse_dictionary(
            "user.tsv",
            "  Counterfeit \u{b}  CONSCIOUSNESS \tAI\nÉTÉ Brûlant\tsummer\n",
        )
        .unwrap();
        assert_eq!(d.entries[0].artifact, "counterfeit consciousness");
        assert_eq!(d.entries[1].artifact, "été brûlant");
    }

    #[test]
    fn malformed_lines_name_file_line_and_reason() {
        let cases = [
            ("a\tb\tbogus=1", "1: unknown attribute `bogus`"),
            ("a\t", "1: no original given after the TAB"),
            ("\tb", "1: the artifact has no word in it"),
            ("-- ?!\tb", "1: the artifact has no word in it"),
            ("#! kind: verb\n", "1: unknown kind `verb`"),
            ("a\tb\na\tc", "2: `a` is already defined on line 1"),
            ("a\tb\twithin=x", "1: within=x: expected a whole number"),
            ("a\tb\tc\td", "1: too many TAB-separated fields"),
            (
                "a\t?",
                "1: `?` (original unknown) is only allowed in a tortured-phrase",
            ),
        ];
        for (text, expected) in cases {
            let err = parse_dictionary("user.tsv", text).unwrap_err().to_string();
            assert!(err.starts_with("user.tsv:"), "{err}");
            assert!(err.contains(expected), "{err} should contain {expected}");
        }
    }
}
