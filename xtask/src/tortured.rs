//! Generator of `dictionaries/tortured-phrases.tsv` from the Problematic Paper
//! Screener data.
//!
//! Tortured phrases are what paper mills leave when they run a text through a
//! spinner: "counterfeit consciousness" for "artificial intelligence". The
//! Problematic Paper Screener (PPS; Cabanac, Labbé & Magazinov, arXiv 2107.06751)
//! catalogues them as search fingerprints. Two public exports exist and neither
//! is complete on its own:
//!
//! - a CSV of PPS search queries with the number of papers each retrieved
//!   (conditions such as `"surface region" AND "surface area"` included);
//! - a JSON list of `{tortured, correct}` pairs, a little larger, with the
//!   conditions flattened away (and some condition phrases listed as if they
//!   were tortured phrases themselves).
//!
//! This generator takes their union, keyed by the artifact's words as the
//! checker tokenizes them. From the CSV come the conditions and paper counts
//! ([`query`] reads each query); the correction is cleaned into plain text
//! ([`correction`]), from the CSV when it has one (it keeps acronyms' case),
//! with the JSON's as an alternative when it says something different. Every
//! input row ends up as an entry or as a `# dropped: ...` comment that says why,
//! and every reading that is not a literal translation is written as a comment
//! above its entry. The output is sorted and contains nothing run-dependent.
//!
//! Usage: `cargo run -p xtask -- tortured-phrases [--pps DIR] [--check]`.
//! `DIR` defaults to `$UNSPUN_PPS_DIR`, else `../shared/data/tortured-phrases`
//! relative to the repository root.

mod correction;
mod decisions;
mod query;

use crate::args::GeneratorArgs;
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use correction::{clean, condition_case, key, normalize_text};

/// The generator's name on the xtask command line.
pub const NAME: &str = "tortured-phrases";
/// Where the dictionary is written, relative to the repository root.
pub const OUTPUT: &str = "dictionaries/tortured-phrases.tsv";
/// Environment variable naming the PPS data directory.
pub const PPS_DIR_ENV: &str = "UNSPUN_PPS_DIR";
/// Default PPS data directory, relative to the repository root.
pub const DEFAULT_PPS_DIR: &str = "../shared/data/tortured-phrases";
/// The fingerprint export: PPS queries with paper counts.
pub const FINGERPRINTS_FILE: &str = "pps-fingerprints-with-paper-counts.csv";
/// The phrase-list export: `{tortured, correct}` pairs.
pub const PHRASES_FILE: &str = "pps-tortured-phrases.json";

const HEADER: &str = "\
#! name: tortured-phrases
#! kind: tortured-phrase
#! source: Problematic Paper Screener by Guillaume Cabanac, Cyril Labbé and Alexander Magazinov (\"Tortured phrases: A dubious writing style emerging in science\", arXiv 2107.06751); fingerprints with paper counts as exported in github.com/hahuyhoang411/tortured-phrase (data/tortured.csv); phrase list as packaged in github.com/giladfeldman/torturedcheck (src/data/tortured-phrases.json, 2026-03-06)
#! licence: CC BY 4.0, as stated by the packager of the phrase list
#! generator: cargo run -p xtask -- tortured-phrases
# Entries are the union of both exports, keyed by the artifact's words. papers= is the
# number of papers the PPS query retrieved. Corrections are rewritten as plain text: the
# source's acronyms, notes and links removed, slashes read as alternatives, \"?\" read as
# uncertain. Comments above an entry give each reading of a PPS query or correction
# that is not a literal translation; \"# dropped:\" lines say why a row is not an entry.
";

/// The repository root (the parent of the xtask crate).
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives inside the repository")
        .to_path_buf()
}

/// The PPS data directory: `$UNSPUN_PPS_DIR`, else the documented default.
pub fn default_pps_dir() -> PathBuf {
    match std::env::var_os(PPS_DIR_ENV) {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => repo_root().join(DEFAULT_PPS_DIR),
    }
}

/// True when both PPS files are present in `dir`.
pub fn pps_data_present(dir: &Path) -> bool {
    dir.join(FINGERPRINTS_FILE).is_file() && dir.join(PHRASES_FILE).is_file()
}

/// Counts that tell what the generator did with its input.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Summary {
    /// Entries written.
    pub entries: usize,
    /// Entries backed by a PPS query (with or without a phrase-list row).
    pub from_fingerprints: usize,
    /// Entries only the phrase list has.
    pub from_phrase_list_only: usize,
    /// Entries with at least one of `requires`, `excludes`, `within`.
    pub with_conditions: usize,
    /// Entries with `requires=`.
    pub with_requires: usize,
    /// Entries with `excludes=`.
    pub with_excludes: usize,
    /// Entries with `within=`.
    pub with_within: usize,
    /// Entries marked `uncertain`.
    pub uncertain: usize,
    /// Entries with more than one original.
    pub with_alternatives: usize,
    /// Entries whose correction was read by a hand-made decision.
    pub corrections_by_decision: usize,
    /// Entries that merge several PPS queries.
    pub merged_queries: usize,
    /// Comment lines explaining a reading.
    pub reading_comments: usize,
    /// Entries whose original nobody gave (`?`: flagged, no suggestion).
    pub without_original: usize,
    /// Rows dropped, by reason.
    pub dropped: BTreeMap<&'static str, usize>,
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{NAME}: {} entries ({} from PPS queries, {} from the phrase list only)",
            self.entries, self.from_fingerprints, self.from_phrase_list_only
        )?;
        writeln!(
            f,
            "  with conditions: {} (requires {}, excludes {}, within {})",
            self.with_conditions, self.with_requires, self.with_excludes, self.with_within
        )?;
        writeln!(
            f,
            "  original unknown: {}; uncertain: {}; with alternatives: {}; corrections read by hand: {}; merged queries: {}; reading comments: {}",
            self.without_original,
            self.uncertain,
            self.with_alternatives,
            self.corrections_by_decision,
            self.merged_queries,
            self.reading_comments
        )?;
        let total: usize = self.dropped.values().sum();
        write!(f, "  dropped: {total}")?;
        for (reason, n) in &self.dropped {
            write!(f, "; {reason}: {n}")?;
        }
        Ok(())
    }
}

/// The generated file and what went into it.
#[derive(Debug, Clone)]
pub struct Generated {
    /// The complete dictionary file.
    pub text: String,
    /// Counts for the log.
    pub summary: Summary,
}

#[derive(serde::Deserialize)]
struct FingerprintRow {
    tortured_phrase: String,
    expected_phrase: String,
    num_papers: String,
}

#[derive(serde::Deserialize)]
struct PhraseList {
    phrases: Vec<PhraseRow>,
}

#[derive(Debug, serde::Deserialize)]
struct PhraseRow {
    tortured: String,
    correct: String,
}

/// One artifact of one PPS query.
#[derive(Debug, Clone)]
struct QueryArtifact {
    query: String,
    artifact: String,
    within: Option<u32>,
    requires: Vec<Vec<String>>,
    excludes: Vec<String>,
    papers: u64,
    correction: String,
    notes: Vec<String>,
}

/// Everything the two sources say about one artifact key.
#[derive(Debug, Default)]
struct Group {
    queries: Vec<QueryArtifact>,
    phrases: Vec<PhraseRow>,
}

/// Conditions of an entry.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Conditions {
    within: Option<u32>,
    requires: Vec<Vec<String>>,
    excludes: Vec<String>,
}

#[derive(Debug)]
struct Entry {
    artifact: String,
    originals: Vec<String>,
    conditions: Conditions,
    papers: Option<u64>,
    uncertain: bool,
    comments: Vec<String>,
}

#[derive(Debug)]
enum Line {
    Entry(Entry),
    Dropped {
        artifact: String,
        reason: &'static str,
        detail: String,
    },
}

impl Line {
    fn artifact(&self) -> &str {
        match self {
            Line::Entry(e) => &e.artifact,
            Line::Dropped { artifact, .. } => artifact,
        }
    }
}

const DROPPED_IDENTICAL: &str = "original identical to the artifact";
const DROPPED_CONDITION: &str = "condition phrase of a PPS query, not a tortured phrase";
const DROPPED_EMPTY: &str = "empty artifact";

fn parse_papers(raw: &str) -> Result<u64, String> {
    raw.replace(',', "")
        .trim()
        .parse()
        .map_err(|_| format!("paper count {raw:?} is not a number"))
}

fn artifact_text(raw: &str) -> String {
    normalize_text(raw).to_lowercase()
}

/// Reads both PPS files from `pps_dir` and builds the dictionary file.
pub fn generate(pps_dir: &Path) -> Result<Generated, String> {
    let csv_path = pps_dir.join(FINGERPRINTS_FILE);
    let json_path = pps_dir.join(PHRASES_FILE);
    let mut reader = csv::Reader::from_path(&csv_path)
        .map_err(|e| format!("cannot read {}: {e}", csv_path.display()))?;
    let mut rows = Vec::new();
    for row in reader.deserialize::<FingerprintRow>() {
        rows.push(row.map_err(|e| format!("{}: {e}", csv_path.display()))?);
    }
    let json = std::fs::read_to_string(&json_path)
        .map_err(|e| format!("cannot read {}: {e}", json_path.display()))?;
    let list: PhraseList =
        serde_json::from_str(&json).map_err(|e| format!("{}: {e}", json_path.display()))?;
    build(&rows, list.phrases)
}

fn build(rows: &[FingerprintRow], phrases: Vec<PhraseRow>) -> Result<Generated, String> {
    let mut groups: BTreeMap<String, Group> = BTreeMap::new();
    // Condition phrase key -> the first query that uses it.
    let mut condition_of: BTreeMap<String, String> = BTreeMap::new();
    let mut lines = Vec::new();
    let mut summary = Summary::default();

    for row in rows {
        let q = &row.tortured_phrase;
        let parsed = query::parse(q).map_err(|e| format!("PPS query {q}: {e}"))?;
        let reading = query::interpret(&parsed, decisions::wildcard_forms)
            .map_err(|e| format!("PPS query {q}: {e}"))?;
        let papers = parse_papers(&row.num_papers)?;
        for phrase in &reading.condition_phrases {
            condition_of.entry(key(phrase)).or_insert_with(|| q.clone());
        }
        for term in &reading.artifacts {
            let k = key(&term.text);
            if k.is_empty() {
                lines.push(Line::Dropped {
                    artifact: artifact_text(&term.text),
                    reason: DROPPED_EMPTY,
                    detail: format!("PPS query {q}"),
                });
                continue;
            }
            groups.entry(k).or_default().queries.push(QueryArtifact {
                query: q.clone(),
                artifact: term.text.clone(),
                within: term.slop,
                requires: reading
                    .requires
                    .iter()
                    .map(|g| g.iter().map(|p| condition_case(p)).collect())
                    .collect(),
                excludes: reading.excludes.iter().map(|p| condition_case(p)).collect(),
                papers,
                correction: row.expected_phrase.clone(),
                notes: reading.notes.clone(),
            });
        }
    }

    for phrase in phrases {
        let k = key(&phrase.tortured);
        if k.is_empty() {
            lines.push(Line::Dropped {
                artifact: artifact_text(&phrase.tortured),
                reason: DROPPED_EMPTY,
                detail: format!("phrase list: {:?} -> {:?}", phrase.tortured, phrase.correct),
            });
            continue;
        }
        let is_query_artifact = groups.get(&k).is_some_and(|g| !g.queries.is_empty());
        match condition_of.get(&k) {
            Some(q) if !is_query_artifact => lines.push(Line::Dropped {
                artifact: artifact_text(&phrase.tortured),
                reason: DROPPED_CONDITION,
                detail: format!(
                    "in PPS query {q}; the phrase list gives {:?}",
                    normalize_text(&phrase.correct)
                ),
            }),
            _ => groups.entry(k).or_default().phrases.push(phrase),
        }
    }

    for (k, group) in groups {
        lines.push(resolve(&k, group, &mut summary));
    }
    lines.sort_by(|a, b| a.artifact().cmp(b.artifact()));

    let mut text = String::from(HEADER);
    text.push('\n');
    for line in &lines {
        match line {
            Line::Entry(entry) => {
                summary.entries += 1;
                summary.reading_comments += entry.comments.len();
                render_entry(entry, &mut text)?;
            }
            Line::Dropped {
                artifact,
                reason,
                detail,
            } => {
                *summary.dropped.entry(reason).or_default() += 1;
                text.push_str(&format!(
                    "# dropped: \"{artifact}\" - {reason} ({detail})\n"
                ));
            }
        }
    }
    Ok(Generated { text, summary })
}

/// Merges the conditions of several queries for the same artifact. Their union
/// is what PPS flags: with one query unconditional, the entry is; with each
/// requiring one phrase, the entry requires any of them.
fn merge_conditions(queries: &[QueryArtifact]) -> Option<Conditions> {
    let first = &queries[0];
    let same_rest = queries
        .iter()
        .all(|q| q.within == first.within && q.excludes == first.excludes);
    if !same_rest {
        return None;
    }
    if queries.iter().any(|q| q.requires.is_empty()) {
        return Some(Conditions {
            within: first.within,
            requires: Vec::new(),
            excludes: first.excludes.clone(),
        });
    }
    if !queries.iter().all(|q| q.requires.len() == 1) {
        return None;
    }
    let mut group: Vec<String> = Vec::new();
    for q in queries {
        for phrase in &q.requires[0] {
            if !group.iter().any(|p| key(p) == key(phrase)) {
                group.push(phrase.clone());
            }
        }
    }
    Some(Conditions {
        within: first.within,
        requires: vec![group],
        excludes: first.excludes.clone(),
    })
}

fn papers_phrase(n: u64) -> String {
    if n == 1 {
        "1 paper".to_string()
    } else {
        format!("{n} papers")
    }
}

fn describe_conditions(c: &Conditions) -> String {
    let attrs = condition_attributes(c);
    if attrs.is_empty() {
        "without conditions".to_string()
    } else {
        attrs.join("; ")
    }
}

fn condition_attributes(c: &Conditions) -> Vec<String> {
    let mut attrs = Vec::new();
    if let Some(n) = c.within {
        attrs.push(format!("within={n}"));
    }
    for group in &c.requires {
        attrs.push(format!("requires={}", group.join("|")));
    }
    if !c.excludes.is_empty() {
        attrs.push(format!("excludes={}", c.excludes.join("|")));
    }
    attrs
}

/// Decides the entry (or the reason for having none) for one artifact key.
fn resolve(artifact_key: &str, mut group: Group, summary: &mut Summary) -> Line {
    // Most-cited query first: it names the artifact and gives the best original.
    group.queries.sort_by_key(|q| std::cmp::Reverse(q.papers));
    let artifact = match (group.queries.first(), group.phrases.first()) {
        (Some(q), _) => artifact_text(&q.artifact),
        (None, Some(p)) => artifact_text(&p.tortured),
        (None, None) => unreachable!("a group has at least one source row"),
    };
    let mut comments = Vec::new();
    let mut conditions = Conditions::default();
    let mut papers = None;
    if let Some(top) = group.queries.first() {
        let mut seen_queries: Vec<&str> = Vec::new();
        for q in &group.queries {
            if seen_queries.contains(&q.query.as_str()) {
                continue;
            }
            seen_queries.push(&q.query);
            for note in &q.notes {
                comments.push(format!("# PPS query: {} ; read as {note}", q.query));
            }
        }
        papers = Some(top.papers);
        if group.queries.len() == 1 {
            conditions = Conditions {
                within: top.within,
                requires: top.requires.clone(),
                excludes: top.excludes.clone(),
            };
        } else {
            summary.merged_queries += 1;
            let listed: Vec<String> = group
                .queries
                .iter()
                .map(|q| format!("{} ({})", q.query, papers_phrase(q.papers)))
                .collect();
            let reading = match merge_conditions(&group.queries) {
                Some(merged) => {
                    let text = format!(
                        "one entry {} (any of the queries), papers= the largest count",
                        describe_conditions(&merged)
                    );
                    conditions = merged;
                    text
                }
                None => {
                    conditions = Conditions {
                        within: top.within,
                        requires: top.requires.clone(),
                        excludes: top.excludes.clone(),
                    };
                    format!(
                        "the most-cited query only, {}: the union of their conditions cannot be expressed",
                        describe_conditions(&conditions)
                    )
                }
            };
            comments.push(format!(
                "# PPS queries: {} ; read as {reading}",
                listed.join("; ")
            ));
        }
    }

    let mut originals: Vec<String> = Vec::new();
    let mut uncertain = false;
    let mut identical = false;
    let mut read_by_decision = false;
    // The phrase list is lower-cased throughout: where a query gives the same
    // correction, the query's spelling (with its capitals) is the one to read.
    let query_corrections: Vec<String> = group
        .queries
        .iter()
        .map(|q| normalize_text(&q.correction).to_lowercase())
        .collect();
    let corrections = group.queries.iter().map(|q| q.correction.as_str()).chain(
        group
            .phrases
            .iter()
            .map(|p| p.correct.as_str())
            .filter(|c| !query_corrections.contains(&normalize_text(c).to_lowercase())),
    );
    // Every correction is read against the best-written form of the artifact,
    // which carries the acronyms' case ("data technology (IT)").
    let source_artifact = match (group.queries.first(), group.phrases.first()) {
        (Some(q), _) => q.artifact.clone(),
        (None, Some(p)) => p.tortured.clone(),
        (None, None) => unreachable!(),
    };
    for correction in corrections {
        let Ok(cleaned) = clean(&source_artifact, correction) else {
            continue;
        };
        if cleaned.by_decision && !read_by_decision {
            read_by_decision = true;
            comments.push(format!(
                "# PPS correction: {} ; read as {}{}",
                normalize_text(correction),
                cleaned.originals.join("|"),
                if cleaned.uncertain {
                    " (uncertain)"
                } else {
                    ""
                }
            ));
        }
        let mut contributed = false;
        for original in cleaned.originals {
            let k = key(&original);
            if k == artifact_key {
                identical = true;
            } else if !originals.iter().any(|o| key(o) == k) {
                originals.push(original);
                contributed = true;
            }
        }
        if contributed && cleaned.uncertain {
            uncertain = true;
        }
    }

    if originals.is_empty() {
        let detail = match (group.queries.first(), group.phrases.first()) {
            (Some(q), _) => format!(
                "PPS query {}, correction {:?}",
                q.query,
                normalize_text(&q.correction)
            ),
            (None, Some(p)) => format!("phrase list gives {:?}", normalize_text(&p.correct)),
            (None, None) => unreachable!(),
        };
        if identical {
            return Line::Dropped {
                artifact,
                reason: DROPPED_IDENTICAL,
                detail,
            };
        }
        // Still a catalogued fingerprint: flagged, with `?` for the original.
        comments.push(format!("# original unknown: {detail}"));
        summary.without_original += 1;
    }

    if group.queries.is_empty() {
        summary.from_phrase_list_only += 1;
    } else {
        summary.from_fingerprints += 1;
    }
    let has_conditions = conditions != Conditions::default();
    summary.with_conditions += usize::from(has_conditions);
    summary.with_requires += usize::from(!conditions.requires.is_empty());
    summary.with_excludes += usize::from(!conditions.excludes.is_empty());
    summary.with_within += usize::from(conditions.within.is_some());
    summary.uncertain += usize::from(uncertain);
    summary.with_alternatives += usize::from(originals.len() > 1);
    summary.corrections_by_decision += usize::from(read_by_decision);
    Line::Entry(Entry {
        artifact,
        originals,
        conditions,
        papers,
        uncertain,
        comments,
    })
}

fn check_field(what: &str, value: &str, forbidden: &[char]) -> Result<(), String> {
    if value.is_empty() || value.contains(forbidden) || value.contains('\n') {
        return Err(format!(
            "{what} {value:?} is empty or contains one of {forbidden:?}"
        ));
    }
    Ok(())
}

fn render_entry(entry: &Entry, out: &mut String) -> Result<(), String> {
    for comment in &entry.comments {
        out.push_str(comment);
        out.push('\n');
    }
    check_field("artifact", &entry.artifact, &['\t'])?;
    for original in &entry.originals {
        check_field("original", original, &['\t', '|', ';'])?;
    }
    let c = &entry.conditions;
    for phrase in c.requires.iter().flatten().chain(&c.excludes) {
        check_field("condition phrase", phrase, &['\t', '|', ';'])?;
    }
    let mut attrs = condition_attributes(c);
    if let Some(n) = entry.papers {
        attrs.push(format!("papers={n}"));
    }
    if entry.uncertain {
        attrs.push("uncertain".to_string());
    }
    out.push_str(&entry.artifact);
    out.push('\t');
    if entry.originals.is_empty() {
        out.push('?');
    } else {
        out.push_str(&entry.originals.join("|"));
    }
    if !attrs.is_empty() {
        out.push('\t');
        out.push_str(&attrs.join("; "));
    }
    out.push('\n');
    Ok(())
}

const USAGE: &str = "\
usage: cargo run -p xtask -- tortured-phrases [--pps DIR] [--check]

Writes dictionaries/tortured-phrases.tsv from the Problematic Paper Screener data.
  --pps DIR  directory with pps-fingerprints-with-paper-counts.csv and
             pps-tortured-phrases.json (default: $UNSPUN_PPS_DIR, else
             ../shared/data/tortured-phrases relative to the repository root)
  --check    compare with the committed file instead of writing; exit 1 if it differs";

/// Runs the generator with the command-line arguments that follow its name;
/// returns the process exit code.
pub fn run(args: &[String]) -> i32 {
    let args = match GeneratorArgs::parse(args, &["--pps"], USAGE) {
        Ok(args) => args,
        Err(code) => return code,
    };
    let check = args.check;
    let pps_dir = args
        .value("--pps")
        .map_or_else(default_pps_dir, PathBuf::from);
    if !pps_data_present(&pps_dir) {
        eprintln!(
            "PPS data not found at {}; pass --pps DIR or set {PPS_DIR_ENV}",
            pps_dir.display()
        );
        return 1;
    }
    let generated = match generate(&pps_dir) {
        Ok(g) => g,
        Err(e) => {
            eprintln!("{NAME}: {e}");
            return 1;
        }
    };
    eprintln!("{}", generated.summary);
    let path = repo_root().join(OUTPUT);
    if check {
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        if committed == generated.text {
            eprintln!("{OUTPUT} is up to date");
            return 0;
        }
        let first_difference = committed
            .lines()
            .zip(generated.text.lines())
            .position(|(a, b)| a != b)
            .unwrap_or_else(|| {
                committed
                    .lines()
                    .count()
                    .min(generated.text.lines().count())
            });
        eprintln!(
            "{OUTPUT} differs from the generator output from line {}; regenerate with `cargo run -p xtask -- {NAME}`",
            first_difference + 1
        );
        return 1;
    }
    if let Some(parent) = path.parent() {
        if let Err(e) = std::fs::create_dir_all(parent) {
            eprintln!("cannot create {}: {e}", parent.display());
            return 1;
        }
    }
    if let Err(e) = std::fs::write(&path, &generated.text) {
        eprintln!("cannot write {}: {e}", path.display());
        return 1;
    }
    eprintln!("wrote {OUTPUT}");
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(query: &str, expected: &str, papers: &str) -> FingerprintRow {
        FingerprintRow {
            tortured_phrase: query.to_string(),
            expected_phrase: expected.to_string(),
            num_papers: papers.to_string(),
        }
    }

    fn phrase(tortured: &str, correct: &str) -> PhraseRow {
        PhraseRow {
            tortured: tortured.to_string(),
            correct: correct.to_string(),
        }
    }

    fn body(text: &str) -> Vec<&str> {
        text.lines()
            .filter(|l| !l.starts_with("#!") && !l.is_empty())
            .collect()
    }

    fn entry_lines(text: &str) -> Vec<&str> {
        text.lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty())
            .collect()
    }

    #[test]
    fn header_names_kind_source_licence_and_generator() {
        let g = build(&[], Vec::new()).unwrap();
        let header: Vec<&str> = g.text.lines().take_while(|l| l.starts_with("#!")).collect();
        assert_eq!(header[0], "#! name: tortured-phrases");
        assert_eq!(header[1], "#! kind: tortured-phrase");
        assert!(header[2].starts_with("#! source: ") && header[2].contains("arXiv 2107.06751"));
        assert!(header[2].contains("hahuyhoang411/tortured-phrase"));
        assert!(header[2].contains("giladfeldman/torturedcheck"));
        assert!(header[3].starts_with("#! licence: CC BY 4.0"));
        assert_eq!(
            header[4],
            "#! generator: cargo run -p xtask -- tortured-phrases"
        );
    }

    #[test]
    fn query_conditions_and_paper_counts_become_attributes() {
        let g = build(
            &[
                row(
                    "\"surface region\" AND \"surface area\"",
                    "surface area",
                    "42,682",
                ),
                row(
                    "\"extricating highlights\"~20 NOT specular",
                    "extracting [...] features",
                    "304",
                ),
                row(
                    "\"PC helped\" AND (\"be that as it\" OR \"on the off chance\")",
                    "Computer-aided (e.g., design CAD)",
                    "117",
                ),
            ],
            Vec::new(),
        )
        .unwrap();
        assert_eq!(
            entry_lines(&g.text),
            [
                "extricating highlights\textracting features\twithin=20; excludes=specular; papers=304",
                "pc helped\tcomputer-aided\trequires=be that as it|on the off chance; papers=117",
                "surface region\tsurface area\trequires=surface area; papers=42682",
            ]
        );
        assert_eq!(g.summary.with_conditions, 3);
    }

    #[test]
    fn both_sources_are_united_and_the_phrase_list_alone_has_no_paper_count() {
        let g = build(
            &[row(
                "\"grouping methods\"",
                "classification methods",
                "31,202",
            )],
            vec![
                phrase("grouping methods", "classification methods"),
                phrase("loss characteristic", "loss function"),
            ],
        )
        .unwrap();
        assert_eq!(
            entry_lines(&g.text),
            [
                "grouping methods\tclassification methods\tpapers=31202",
                "loss characteristic\tloss function",
            ]
        );
        assert_eq!(
            (g.summary.from_fingerprints, g.summary.from_phrase_list_only),
            (1, 1)
        );
    }

    #[test]
    fn condition_phrases_listed_as_tortured_phrases_are_dropped_with_the_reason() {
        let g = build(
            &[row(
                "\"android versatile\" NOT \"paranoid android\"",
                "Android mobile/phone",
                "46",
            )],
            vec![phrase("paranoid android", "android mobile/phone")],
        )
        .unwrap();
        assert_eq!(
            body(&g.text)[5..],
            [
                "android versatile\tAndroid mobile|Android phone\texcludes=paranoid android; papers=46",
                "# dropped: \"paranoid android\" - condition phrase of a PPS query, not a tortured phrase \
                 (in PPS query \"android versatile\" NOT \"paranoid android\"; the phrase list gives \"android mobile/phone\")",
            ]
        );
        assert_eq!(g.summary.dropped[DROPPED_CONDITION], 1);
    }

    #[test]
    fn fingerprints_without_an_original_become_question_mark_entries() {
        let g = build(
            &[
                row("\"built-interconnected\"", "???", "1"),
                row("\"innovative coronavirus\"", "innovative coronavirus", "3"),
            ],
            Vec::new(),
        )
        .unwrap();
        assert_eq!(entry_lines(&g.text), ["built-interconnected\t?\tpapers=1"]);
        assert_eq!(g.summary.without_original, 1);
        assert_eq!(g.summary.dropped[DROPPED_IDENTICAL], 1);
        assert!(g
            .text
            .contains("# original unknown: PPS query \"built-interconnected\""));
        // The checker reads the entry back.
        let dict = unspun::dict::parse_dictionary("tortured-phrases.tsv", &g.text).unwrap();
        assert!(dict.entries[0].originals.is_empty() && dict.entries[0].uncertain);
    }

    #[test]
    fn queries_for_one_artifact_merge_into_the_union_of_their_conditions() {
        let g = build(
            &[
                row("\"picture acknowledgment\"", "image recognition", "1,504"),
                row(
                    "\"picture acknowledgment\" AND \"image recognition\"",
                    "image recognition",
                    "130",
                ),
                row(
                    "\"cloud climate\" AND \"cloud computing\"",
                    "cloud environment",
                    "179",
                ),
                row(
                    "\"cloud climate\" AND \"wireless\"",
                    "cloud environment",
                    "116",
                ),
            ],
            Vec::new(),
        )
        .unwrap();
        assert_eq!(
            entry_lines(&g.text),
            [
                "cloud climate\tcloud environment\trequires=cloud computing|wireless; papers=179",
                "picture acknowledgment\timage recognition\tpapers=1504",
            ]
        );
        assert_eq!(g.summary.merged_queries, 2);
        assert!(g
            .text
            .contains("# PPS queries: \"cloud climate\" AND \"cloud computing\" (179 papers);"));
    }

    #[test]
    fn odd_readings_are_explained_in_a_comment_above_the_entry() {
        let g = build(
            &[row(
                "\"fit record\" OR \"fit file\" AND \"fit index\"",
                "Fit Index",
                "47",
            )],
            Vec::new(),
        )
        .unwrap();
        let lines = body(&g.text);
        let tail = &lines[lines.len() - 4..];
        assert!(tail[0].starts_with(
            "# PPS query: \"fit record\" OR \"fit file\" AND \"fit index\" ; read as (\"fit record\" OR \"fit file\") AND \"fit index\""
        ));
        assert_eq!(
            tail[1],
            "fit file\tfit index\trequires=fit index; papers=47"
        );
        assert_eq!(
            tail[3],
            "fit record\tfit index\trequires=fit index; papers=47"
        );
    }

    #[test]
    fn doubtful_corrections_mark_the_entry_uncertain() {
        let g = build(
            &[row("\"cadence design\"", "rythm pattern (?)", "11,384")],
            Vec::new(),
        )
        .unwrap();
        assert_eq!(
            entry_lines(&g.text),
            ["cadence design\trhythm pattern\tpapers=11384; uncertain"]
        );
    }

    #[test]
    fn entries_are_sorted_by_artifact_bytes() {
        let g = build(
            &[
                row("\"zeta\"", "z", "1"),
                row("\"Alpha beta\"", "a b", "1"),
                row("\"alpha\"", "a", "1"),
            ],
            Vec::new(),
        )
        .unwrap();
        let artifacts: Vec<&str> = entry_lines(&g.text)
            .iter()
            .map(|l| l.split('\t').next().unwrap())
            .collect();
        assert_eq!(artifacts, ["alpha", "alpha beta", "zeta"]);
    }

    #[test]
    fn unreadable_queries_stop_the_generator() {
        assert!(build(&[row("\"unclosed", "x", "1")], Vec::new()).is_err());
        assert!(build(&[row("\"a\" AND strange*", "x", "1")], Vec::new()).is_err());
    }

    /// The dictionary generated from the real PPS data (once per test run), or
    /// `None` (with a note) when the data is not installed.
    fn real_data() -> Option<&'static Generated> {
        static GENERATED: std::sync::OnceLock<Option<Generated>> = std::sync::OnceLock::new();
        let dir = default_pps_dir();
        if !pps_data_present(&dir) {
            eprintln!(
                "skipping: PPS data not found at {}; pass {PPS_DIR_ENV}",
                dir.display()
            );
            return None;
        }
        GENERATED
            .get_or_init(|| Some(generate(&dir).expect("the PPS data generates")))
            .as_ref()
    }

    fn load_sources() -> (Vec<FingerprintRow>, Vec<PhraseRow>) {
        let dir = default_pps_dir();
        let rows = csv::Reader::from_path(dir.join(FINGERPRINTS_FILE))
            .unwrap()
            .deserialize()
            .collect::<Result<Vec<FingerprintRow>, _>>()
            .unwrap();
        let json = std::fs::read_to_string(dir.join(PHRASES_FILE)).unwrap();
        let list: PhraseList = serde_json::from_str(&json).unwrap();
        (rows, list.phrases)
    }

    /// Artifact keys of entries, with each entry's attributes and the comment
    /// lines above it; and artifact keys of `# dropped:` lines.
    #[allow(clippy::type_complexity)]
    fn parse_output(
        text: &str,
    ) -> (
        BTreeMap<String, (String, Vec<String>)>,
        BTreeMap<String, String>,
    ) {
        let mut entries = BTreeMap::new();
        let mut dropped = BTreeMap::new();
        let mut comments = Vec::new();
        for line in text
            .lines()
            .filter(|l| !l.starts_with("#!") && !l.is_empty())
        {
            if let Some(rest) = line.strip_prefix("# dropped: \"") {
                let artifact = &rest[..rest.find("\" - ").unwrap()];
                dropped.insert(key(artifact), line.to_string());
            } else if line.starts_with('#') {
                comments.push(line.to_string());
            } else {
                let fields: Vec<&str> = line.split('\t').collect();
                let attrs = fields.get(2).copied().unwrap_or_default().to_string();
                entries.insert(key(fields[0]), (attrs, std::mem::take(&mut comments)));
            }
        }
        (entries, dropped)
    }

    #[test]
    fn every_fingerprint_and_every_listed_phrase_is_represented() {
        let Some(g) = real_data() else { return };
        let (rows, phrases) = load_sources();
        assert_eq!(rows.len(), 7644);
        assert_eq!(phrases.len(), 7942);
        let (entries, dropped) = parse_output(&g.text);
        for row in &rows {
            let parsed = query::parse(&row.tortured_phrase).unwrap();
            let reading = query::interpret(&parsed, decisions::wildcard_forms).unwrap();
            for term in &reading.artifacts {
                let k = key(&term.text);
                if dropped.contains_key(&k) {
                    continue;
                }
                let (attrs, comments) = entries
                    .get(&k)
                    .unwrap_or_else(|| panic!("PPS query {} has no entry", row.tortured_phrase));
                let has_conditions = term.slop.is_some()
                    || !reading.requires.is_empty()
                    || !reading.excludes.is_empty();
                if !has_conditions {
                    continue;
                }
                // The conditions are on the entry, or a comment above it names the
                // query and says how it was read.
                let mut expected: Vec<String> = Vec::new();
                if let Some(n) = term.slop {
                    expected.push(format!("within={n}"));
                }
                for group in &reading.requires {
                    let group: Vec<String> = group.iter().map(|p| condition_case(p)).collect();
                    expected.push(format!("requires={}", group.join("|")));
                }
                if !reading.excludes.is_empty() {
                    let phrases: Vec<String> =
                        reading.excludes.iter().map(|p| condition_case(p)).collect();
                    expected.push(format!("excludes={}", phrases.join("|")));
                }
                let literal = expected.iter().all(|a| attrs.split("; ").any(|x| x == a));
                let explained = comments
                    .iter()
                    .any(|c| c.contains(row.tortured_phrase.as_str()));
                assert!(
                    literal || explained,
                    "PPS query {} lost its conditions: {attrs}",
                    row.tortured_phrase
                );
            }
        }
        for p in &phrases {
            let k = key(&p.tortured);
            assert!(
                entries.contains_key(&k) || dropped.contains_key(&k),
                "phrase-list entry {:?} is not represented",
                p.tortured
            );
        }
    }

    #[test]
    fn every_line_follows_the_dictionary_format() {
        let Some(g) = real_data() else { return };
        let allowed = ["within", "requires", "excludes", "papers", "uncertain"];
        let mut previous = String::new();
        for line in entry_lines(&g.text) {
            let fields: Vec<&str> = line.split('\t').collect();
            assert!((2..=3).contains(&fields.len()), "{line:?}");
            let artifact = fields[0];
            assert_eq!(artifact, artifact.to_lowercase(), "{line:?}");
            assert_eq!(
                artifact,
                artifact.split_whitespace().collect::<Vec<_>>().join(" ")
            );
            assert!(previous.as_str() < artifact, "not sorted at {line:?}");
            previous = artifact.to_string();
            // `?`: a fingerprint whose original is unknown.
            for original in fields[1].split('|').filter(|&o| o != "?") {
                assert!(!original.is_empty() && !original.contains(';'), "{line:?}");
                assert!(
                    !original.contains('?') && !original.contains("http"),
                    "{line:?}"
                );
                assert_ne!(key(original), key(artifact), "{line:?}");
            }
            if let Some(attrs) = fields.get(2) {
                for attr in attrs.split("; ") {
                    let name = attr.split('=').next().unwrap();
                    assert!(allowed.contains(&name), "{line:?}");
                }
            }
        }
    }

    #[test]
    fn output_is_identical_across_runs() {
        let Some(first) = real_data() else { return };
        let second = generate(&default_pps_dir()).unwrap();
        assert_eq!(first.text, second.text);
    }

    #[test]
    fn every_hand_made_reading_still_matches_its_source() {
        if real_data().is_none() {
            return;
        }
        let (rows, phrases) = load_sources();
        let sources: Vec<(String, String)> = rows
            .iter()
            .flat_map(|r| {
                let reading = query::interpret(
                    &query::parse(&r.tortured_phrase).unwrap(),
                    decisions::wildcard_forms,
                )
                .unwrap();
                reading
                    .artifacts
                    .iter()
                    .map(|t| {
                        (
                            key(&t.text),
                            normalize_text(&r.expected_phrase).to_lowercase(),
                        )
                    })
                    .collect::<Vec<_>>()
            })
            .chain(
                phrases
                    .iter()
                    .map(|p| (key(&p.tortured), normalize_text(&p.correct).to_lowercase())),
            )
            .collect();
        for reading in decisions::CORRECTION_READINGS {
            let source = normalize_text(reading.source).to_lowercase();
            assert!(
                sources
                    .iter()
                    .any(|(k, c)| k == reading.artifact && *c == source),
                "the reading for {:?} no longer matches the data",
                reading.artifact
            );
        }
    }
}
