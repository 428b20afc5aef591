//! The end-of-run summary: what the archive looks like, and how fast it went.
//!
//! Built by the writer thread from each record as it is written (in input order,
//! so ties in the rankings break the same way on every run); printed as text on
//! standard error and optionally saved as JSON.

use crate::report::Verdict;
use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// How many artifacts the summary ranks.
pub const TOP_ARTIFACTS: usize = 20;
/// How many documents the summary ranks.
pub const WORST_DOCUMENTS: usize = 10;

/// Documents per verdict.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct VerdictCounts {
    /// No artifact found.
    pub clean: u64,
    /// Some artifacts.
    pub suspicious: u64,
    /// Dense artifacts: very likely spun.
    pub spun: u64,
}

/// One artifact's frequency across the archive.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ArtifactCount {
    /// The rule id.
    pub rule: String,
    /// The artifact as first seen, in lower case.
    pub artifact: String,
    /// Its most likely original, as first seen.
    pub original: String,
    /// How many spans matched it.
    pub count: u64,
    /// In how many documents.
    pub documents: u64,
}

/// One of the highest-scoring documents.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WorstDocument {
    /// The document id.
    pub id: String,
    /// Its score.
    pub score: f64,
    /// Its verdict.
    pub verdict: Verdict,
    /// Number of spans.
    pub spans: usize,
    /// Number of words.
    pub words: usize,
}

/// The summary of a batch run. Counts cover the records written by this run;
/// `skipped` counts those an earlier run had completed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    /// Records written by this run.
    pub documents: u64,
    /// Records skipped because the output already had them (resume).
    pub skipped: u64,
    /// Records of the output (this run's and, when resuming, the earlier
    /// runs') whose id an earlier record of the output already has. Ids are
    /// only data: each record is identified by its position.
    pub repeated_ids: u64,
    /// Blank lines of JSON Lines inputs: no record, but counted so that input
    /// lines = records + blank lines.
    pub blank_lines: u64,
    /// The run was stopped (Ctrl-C) before the end of its inputs; every record
    /// read was written, so `--resume` finishes it.
    pub interrupted: bool,
    /// Scored documents per verdict.
    pub verdicts: VerdictCounts,
    /// Records that could not be scored.
    pub errors: u64,
    /// Those records by kind of error (`malformed-json`, `missing-field`, ...).
    pub errors_by_kind: BTreeMap<String, u64>,
    /// Inputs that could not be read to their end, with why.
    pub input_errors: Vec<String>,
    /// WordPress items that are not posts or pages (attachments, menu items...).
    pub ignored_items: u64,
    /// Bytes read from the inputs, after decompression.
    pub input_bytes: u64,
    /// Bytes of text scored.
    pub text_bytes: u64,
    /// Wall-clock duration of the run.
    pub seconds: f64,
    /// `input_bytes` per second.
    pub input_bytes_per_second: f64,
    /// `text_bytes` per second.
    pub text_bytes_per_second: f64,
    /// Records written per second.
    pub documents_per_second: f64,
    /// Worker threads used.
    pub jobs: usize,
    /// The most frequent artifacts, most frequent first.
    pub top_artifacts: Vec<ArtifactCount>,
    /// The highest-scoring documents, highest first.
    pub worst_documents: Vec<WorstDocument>,
}

/// What the summary needs to know about one written record.
#[derive(Debug, Clone)]
pub struct RecordStats {
    /// The document id.
    pub id: String,
    /// Size of the scored text (0 when not scored).
    pub text_bytes: u64,
    /// The outcome: scored, or the kind of error.
    pub outcome: Result<Scored, &'static str>,
}

/// Summary facts of a scored document.
#[derive(Debug, Clone)]
pub struct Scored {
    /// Its score.
    pub score: f64,
    /// Its verdict.
    pub verdict: Verdict,
    /// Number of words.
    pub words: usize,
    /// For each span: rule id, artifact in lower case, top suggestion.
    pub artifacts: Vec<(String, String, String)>,
}

#[derive(Debug, Default)]
struct Tally {
    first_seen: u64,
    artifact: String,
    original: String,
    count: u64,
    documents: u64,
}

/// Accumulates a [`Summary`] record by record.
#[derive(Debug, Default)]
pub struct SummaryBuilder {
    documents: u64,
    skipped: u64,
    ids: FxHashSet<u64>,
    repeated_ids: u64,
    verdicts: VerdictCounts,
    errors: u64,
    errors_by_kind: BTreeMap<String, u64>,
    text_bytes: u64,
    artifacts: FxHashMap<String, Tally>,
    worst: Vec<(WorstDocument, u64)>,
}

/// What only the run knows, for [`SummaryBuilder::finish`].
#[derive(Debug, Default)]
pub struct RunFacts {
    /// Inputs that could not be read to their end, with why.
    pub input_errors: Vec<String>,
    /// WordPress items that are not posts or pages.
    pub ignored_items: u64,
    /// Blank lines of JSON Lines inputs.
    pub blank_lines: u64,
    /// The run was stopped before the end of its inputs.
    pub interrupted: bool,
}

impl SummaryBuilder {
    /// A builder that counts repeated ids across the records an earlier run
    /// wrote (their id hashes, in output order) and those of this run.
    pub fn with_earlier_ids(earlier: Vec<u64>) -> Self {
        let mut builder = SummaryBuilder::default();
        for id in earlier {
            builder.note_id(id);
        }
        builder
    }

    fn note_id(&mut self, hash: u64) {
        if !self.ids.insert(hash) {
            self.repeated_ids += 1;
        }
    }

    /// Counts a record already present in the output.
    pub fn skip(&mut self) {
        self.skipped += 1;
    }

    /// Counts a written record.
    pub fn add(&mut self, stats: RecordStats) {
        let order = self.documents;
        self.documents += 1;
        self.note_id(super::resume::id_hash(&stats.id));
        let scored = match stats.outcome {
            Err(kind) => {
                self.errors += 1;
                *self.errors_by_kind.entry(kind.to_string()).or_default() += 1;
                return;
            }
            Ok(scored) => scored,
        };
        self.text_bytes += stats.text_bytes;
        match scored.verdict {
            Verdict::Clean => self.verdicts.clean += 1,
            Verdict::Suspicious => self.verdicts.suspicious += 1,
            Verdict::Spun => self.verdicts.spun += 1,
        }
        let mut seen_here: Vec<&str> = Vec::new();
        for (rule, artifact, original) in &scored.artifacts {
            let next = self.artifacts.len() as u64;
            let tally = self.artifacts.entry(rule.clone()).or_insert_with(|| Tally {
                first_seen: next,
                artifact: artifact.clone(),
                original: original.clone(),
                ..Tally::default()
            });
            tally.count += 1;
            if !seen_here.contains(&rule.as_str()) {
                tally.documents += 1;
                seen_here.push(rule);
            }
        }
        if scored.artifacts.is_empty() {
            return;
        }
        let candidate = WorstDocument {
            id: stats.id,
            score: scored.score,
            verdict: scored.verdict,
            spans: scored.artifacts.len(),
            words: scored.words,
        };
        let worse = |a: &(WorstDocument, u64), b: &(WorstDocument, u64)| {
            b.0.score
                .total_cmp(&a.0.score)
                .then(b.0.spans.cmp(&a.0.spans))
                .then(a.1.cmp(&b.1))
        };
        if self.worst.len() < WORST_DOCUMENTS
            || worse(
                &(candidate.clone(), order),
                self.worst.last().expect("full"),
            )
            .is_lt()
        {
            self.worst.push((candidate, order));
            self.worst.sort_by(worse);
            self.worst.truncate(WORST_DOCUMENTS);
        }
    }

    /// The summary, given the figures only the run knows.
    pub fn finish(self, seconds: f64, input_bytes: u64, jobs: usize, facts: RunFacts) -> Summary {
        let per_second = |x: f64| if seconds > 0.0 { x / seconds } else { 0.0 };
        let mut artifacts: Vec<(String, Tally)> = self.artifacts.into_iter().collect();
        artifacts.sort_by(|a, b| {
            b.1.count
                .cmp(&a.1.count)
                .then(a.1.first_seen.cmp(&b.1.first_seen))
        });
        Summary {
            documents: self.documents,
            skipped: self.skipped,
            repeated_ids: self.repeated_ids,
            blank_lines: facts.blank_lines,
            interrupted: facts.interrupted,
            verdicts: self.verdicts,
            errors: self.errors,
            errors_by_kind: self.errors_by_kind,
            input_errors: facts.input_errors,
            ignored_items: facts.ignored_items,
            input_bytes,
            text_bytes: self.text_bytes,
            seconds,
            input_bytes_per_second: per_second(input_bytes as f64),
            text_bytes_per_second: per_second(self.text_bytes as f64),
            documents_per_second: per_second(self.documents as f64),
            jobs,
            top_artifacts: artifacts
                .into_iter()
                .take(TOP_ARTIFACTS)
                .map(|(rule, t)| ArtifactCount {
                    rule,
                    artifact: t.artifact,
                    original: t.original,
                    count: t.count,
                    documents: t.documents,
                })
                .collect(),
            worst_documents: self.worst.into_iter().map(|(d, _)| d).collect(),
        }
    }
}

/// "1.2 MB", "345 kB", "12 B": decimal units.
fn bytes(n: f64) -> String {
    const UNITS: [&str; 5] = ["B", "kB", "MB", "GB", "TB"];
    let mut value = n;
    let mut unit = 0;
    while value >= 1000.0 && unit + 1 < UNITS.len() {
        value /= 1000.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{value:.0} {}", UNITS[unit])
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

impl Summary {
    /// Whether any scored document was flagged (suspicious or spun).
    pub fn flagged(&self) -> bool {
        self.verdicts.suspicious + self.verdicts.spun > 0
    }

    /// The summary for people, several lines, no trailing line break.
    pub fn render_text(&self) -> String {
        let mut out = String::new();
        let _ = write!(
            out,
            "unspun batch: {} record(s) written in {:.1} s",
            self.documents, self.seconds
        );
        if self.skipped > 0 {
            let _ = write!(out, "; {} already done before", self.skipped);
        }
        let v = &self.verdicts;
        let _ = write!(
            out,
            "\n  clean {}, suspicious {}, spun {}, not scored {}",
            v.clean, v.suspicious, v.spun, self.errors
        );
        if !self.errors_by_kind.is_empty() {
            let kinds: Vec<String> = self
                .errors_by_kind
                .iter()
                .map(|(k, n)| format!("{k} {n}"))
                .collect();
            let _ = write!(out, " ({})", kinds.join(", "));
        }
        if self.repeated_ids > 0 {
            let _ = write!(
                out,
                "\n  {} record(s) repeat an id of an earlier record (each is still its own record)",
                self.repeated_ids
            );
        }
        if self.blank_lines > 0 {
            let _ = write!(out, "\n  {} blank line(s): no record", self.blank_lines);
        }
        if self.interrupted {
            out.push_str("\n  interrupted before the end of the input(s)");
        }
        if self.ignored_items > 0 {
            let _ = write!(
                out,
                "\n  {} WordPress item(s) that are not posts or pages ignored",
                self.ignored_items
            );
        }
        let _ = write!(
            out,
            "\n  {} read ({} of text): {}/s of text, {:.1} documents/s, {} job(s)",
            bytes(self.input_bytes as f64),
            bytes(self.text_bytes as f64),
            bytes(self.text_bytes_per_second),
            self.documents_per_second,
            self.jobs
        );
        if !self.top_artifacts.is_empty() {
            out.push_str("\n  most frequent artifacts (spans, documents):");
            for a in self.top_artifacts.iter().take(10) {
                let _ = write!(
                    out,
                    "\n    {:>7} {:>7}  {} -> {}",
                    a.count, a.documents, a.artifact, a.original
                );
            }
        }
        if !self.worst_documents.is_empty() {
            out.push_str("\n  worst documents:");
            for d in &self.worst_documents {
                let _ = write!(
                    out,
                    "\n    {:.3} {:<10} {} ({} spans in {} words)",
                    d.score,
                    d.verdict.as_str(),
                    d.id,
                    d.spans,
                    d.words
                );
            }
        }
        for e in &self.input_errors {
            let _ = write!(out, "\n  input error: {e}");
        }
        out
    }
}
