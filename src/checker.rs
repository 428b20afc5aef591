//! The library's front door: [`Checker`] turns a text into a [`Report`].

use crate::cancel::Cancel;
use crate::detect::context::{ContextModel, Frequencies};
use crate::detect::{prebuilt, Engine, Finding, Tuning};
use crate::dict::{self, Dictionary, DictionaryInfo};
use crate::error::{Error, Result};
use crate::markup::Markup;
use crate::report::{Report, Span};
use crate::text::{match_case, LineColumns};
use crate::{repair, score};
use rustc_hash::{FxHashMap, FxHashSet};
use std::sync::Arc;

/// Spans below this confidence are not reported unless asked for.
pub const DEFAULT_MIN_CONFIDENCE: f64 = 0.5;
/// Spans at or above this confidence have their top suggestion applied in `fixed`.
pub const DEFAULT_FIX_THRESHOLD: f64 = 0.5;
/// [`Checker::check_cancellable`] reads its [`Cancel`] once per this many
/// findings while it renders them.
pub const CANCEL_POLL_SPANS: usize = 256;

/// Per-check options. `Default` gives the documented defaults.
///
/// ```
/// let text = "The travel comes arsenic Mexico has worked to negociate with the Trump medication to debar tariff threats.";
/// let options = unspun::CheckOptions { allow: vec!["arsenic".into()], ..Default::default() };
/// let report = unspun::Checker::new().check_with(text, &options).unwrap();
/// assert!(!report.spans.is_empty());
/// assert!(report.spans.iter().all(|s| s.text != "arsenic"));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct CheckOptions {
    /// Spans below this confidence are left out of the report (0..1).
    pub min_confidence: f64,
    /// Spans at or above this confidence are fixed in `fixed` (0..1).
    pub fix_threshold: f64,
    /// Words, phrases or rule ids never to flag (case-insensitive).
    pub allow: Vec<String>,
    /// Names of the dictionaries to use; `None` uses all loaded ones.
    pub dictionaries: Option<Vec<String>>,
    /// Put the fixed text in the report.
    pub include_fixed: bool,
    /// Put a unified diff of input against fixed text in the report.
    pub include_diff: bool,
    /// File name shown in the diff headers.
    pub diff_name: String,
    /// The format of the text: spans and fixes always refer to the text as
    /// given, whatever the format (see [`crate::markup`]).
    pub markup: Markup,
    /// Leave quoted material (block quotes, `<q>`) unchecked. Off by default:
    /// spinners spin quotes too.
    pub skip_quotes: bool,
}

impl Default for CheckOptions {
    fn default() -> Self {
        CheckOptions {
            min_confidence: DEFAULT_MIN_CONFIDENCE,
            fix_threshold: DEFAULT_FIX_THRESHOLD,
            allow: Vec::new(),
            dictionaries: None,
            include_fixed: true,
            include_diff: true,
            diff_name: "text".into(),
            markup: Markup::Text,
            skip_quotes: false,
        }
    }
}

/// Checks texts for spinning artifacts. Cheap to clone (the compiled
/// dictionaries are shared) and safe to use from many threads.
///
/// ```
/// let checker = unspun::Checker::new();
/// let report = checker.check("Noem will travel to Mexico connected Friday to conscionable with Sheinbaum.");
/// let found: Vec<_> = report.spans.iter().map(|s| (s.text.as_str(), s.suggestions[0].as_str())).collect();
/// assert_eq!(found, [("connected", "on"), ("conscionable", "meet")]);
/// ```
#[derive(Debug, Clone)]
pub struct Checker {
    engine: Arc<Engine>,
    allow: Arc<FxHashSet<String>>,
}

/// Builds a [`Checker`] from the embedded dictionaries and/or files.
#[derive(Debug, Default)]
pub struct CheckerBuilder {
    /// Each user dictionary with the path it was read from.
    user: Vec<(String, Dictionary)>,
    allow: Vec<String>,
    no_defaults: bool,
    tuning: Option<Tuning>,
}

impl CheckerBuilder {
    /// Adds a dictionary file's contents (see [`crate::dict`] for the format).
    /// `path` names it in errors.
    pub fn dictionary_text(mut self, path: &str, text: &str) -> Result<Self> {
        let mut d = dict::parse_dictionary(path, text)?;
        d.info.embedded = false;
        self.user.push((path.to_string(), d));
        Ok(self)
    }

    /// Reads and adds a dictionary file.
    pub fn dictionary_file(self, path: &str) -> Result<Self> {
        let text = read(path)?;
        self.dictionary_text(path, &text)
    }

    /// Adds an allowlist file's contents: words or phrases never to flag.
    pub fn allowlist_text(mut self, path: &str, text: &str) -> Result<Self> {
        self.allow.extend(dict::parse_allowlist(path, text)?);
        Ok(self)
    }

    /// Reads and adds an allowlist file.
    pub fn allowlist_file(self, path: &str) -> Result<Self> {
        let text = read(path)?;
        self.allowlist_text(path, &text)
    }

    /// Leaves out the embedded artifact dictionaries (the context model stays).
    pub fn without_default_dictionaries(mut self) -> Self {
        self.no_defaults = true;
        self
    }

    /// Replaces the spun-word scorer's weights (for the evaluation harness).
    pub fn tuning(mut self, tuning: Tuning) -> Self {
        self.tuning = Some(tuning);
        self
    }

    /// Compiles everything into a checker.
    pub fn build(self) -> Result<Checker> {
        let mut dicts = Vec::new();
        let mut names = FxHashSet::default();
        let mut user_paths = FxHashMap::default();
        // User dictionaries first: their originals rank first.
        for (path, d) in self.user {
            user_paths.insert(d.info.name.clone(), path);
            if !names.insert(d.info.name.clone()) {
                return Err(Error::Dictionary {
                    path: d.info.name.clone(),
                    line: 1,
                    reason: format!("a dictionary named `{}` is already loaded", d.info.name),
                });
            }
            dicts.push(d);
        }
        let mut engine = if dicts.is_empty() && !self.no_defaults {
            // The defaults alone: the engine compiled ahead of time.
            prebuilt::default_engine()
        } else {
            let defaults = if self.no_defaults {
                Vec::new()
            } else {
                prebuilt::embedded_dictionaries()
            };
            for d in defaults {
                if let Some(path) = user_paths.remove(&d.info.name) {
                    return Err(Error::DictionaryNameTaken {
                        path,
                        name: d.info.name,
                    });
                }
                dicts.push(d);
            }
            let frequencies = Frequencies::embedded(prebuilt::FREQUENCY_FLOOR);
            Engine::new(dicts, ContextModel::embedded(), &frequencies)
        };
        if let Some(tuning) = self.tuning {
            engine.set_tuning(tuning);
        }
        Ok(Checker {
            engine: Arc::new(engine),
            allow: Arc::new(self.allow.into_iter().collect()),
        })
    }
}

fn read(path: &str) -> Result<String> {
    let bytes = std::fs::read(path).map_err(|source| Error::Io {
        path: path.to_string(),
        source,
    })?;
    String::from_utf8(bytes).map_err(|e| Error::Dictionary {
        path: path.to_string(),
        line: 1 + e.as_bytes()[..e.utf8_error().valid_up_to()]
            .iter()
            .filter(|&&b| b == b'\n')
            .count(),
        reason: "not valid UTF-8".into(),
    })
}

impl Default for Checker {
    fn default() -> Self {
        Checker::new()
    }
}

impl Checker {
    /// A checker with the embedded default dictionaries.
    pub fn new() -> Self {
        CheckerBuilder::default()
            .build()
            .expect("embedded dictionaries are valid")
    }

    /// Starts a [`CheckerBuilder`] for custom dictionaries and allowlists.
    pub fn builder() -> CheckerBuilder {
        CheckerBuilder::default()
    }

    /// The loaded dictionaries.
    pub fn dictionaries(&self) -> &[DictionaryInfo] {
        self.engine.dictionaries()
    }

    /// Every candidate in `text` with its confidence and evidence, before
    /// thresholds, allowlists and rendering: for studying the scoring.
    pub fn findings(&self, text: &str) -> Vec<Finding> {
        self.engine.scan(text, &|_| true, 0.0).findings
    }

    /// Checks `text` with the default options.
    pub fn check(&self, text: &str) -> Report {
        self.check_with(text, &CheckOptions::default())
            .expect("default options are valid")
    }

    /// Checks `options` without checking a text: the errors [`Checker::check_with`]
    /// would give.
    pub fn validate(&self, options: &CheckOptions) -> Result<()> {
        for (option, value) in [
            ("min_confidence", options.min_confidence),
            ("fix_threshold", options.fix_threshold),
        ] {
            if !(0.0..=1.0).contains(&value) {
                return Err(Error::InvalidOption {
                    option,
                    reason: format!("{value} is not between 0 and 1"),
                });
            }
        }
        if let Some(names) = &options.dictionaries {
            for name in names {
                if !self.dictionaries().iter().any(|d| &d.name == name) {
                    return Err(Error::UnknownDictionary {
                        name: name.clone(),
                        known: self
                            .dictionaries()
                            .iter()
                            .map(|d| d.name.as_str())
                            .collect::<Vec<_>>()
                            .join(", "),
                    });
                }
            }
        }
        Ok(())
    }

    /// Checks `text` with `options`. Fails only on invalid options.
    pub fn check_with(&self, text: &str, options: &CheckOptions) -> Result<Report> {
        Ok(self
            .check_cancellable(text, options, &Cancel::new())?
            .expect("a check nobody cancels runs to its end"))
    }

    /// Like [`Checker::check_with`], but gives up once `cancel` says so:
    /// `Ok(None)` then. `cancel` is read between the stages of the check
    /// (inside the scan between its stages, every [`CANCEL_POLL_SPANS`]
    /// spans, before the fix and the diff), so a cancelled check stops within one stage and
    /// frees what it holds.
    ///
    /// ```
    /// let checker = unspun::Checker::new();
    /// let cancel = unspun::Cancel::new();
    /// cancel.cancel();
    /// let report = checker.check_cancellable("Noem will travel connected Friday.", &Default::default(), &cancel);
    /// assert!(report.unwrap().is_none());
    /// ```
    pub fn check_cancellable(
        &self,
        text: &str,
        options: &CheckOptions,
        cancel: &Cancel,
    ) -> Result<Option<Report>> {
        self.validate(options)?;
        if cancel.is_cancelled() {
            return Ok(None);
        }
        let dicts = self.dictionaries();
        let enabled: Vec<bool> = dicts
            .iter()
            .map(|d| {
                options
                    .dictionaries
                    .as_ref()
                    .is_none_or(|names| names.contains(&d.name))
            })
            .collect();
        let projection = options.markup.project(text, options.skip_quotes);
        let checked: &str = &projection.text;
        let Some(scan) =
            self.engine
                .scan_cancellable(checked, &|d| enabled[d], options.min_confidence, cancel)
        else {
            return Ok(None);
        };
        if cancel.is_cancelled() {
            return Ok(None);
        }
        let allow: FxHashSet<String> = options.allow.iter().map(|a| a.to_lowercase()).collect();
        // Inline ignores in the source (`unspun:ignore-line` and the like).
        let ignored = crate::text::Ignored::find(text);
        // Built on the first span: most texts have none. The findings come in
        // text order, so the cursor walks the text once for all of them.
        let mut lines: Option<LineColumns> = None;
        let mut spans = Vec::new();
        let mut edits: Vec<(Vec<std::ops::Range<usize>>, bool)> = Vec::new();
        for (n, finding) in scan.findings.iter().enumerate() {
            if n % CANCEL_POLL_SPANS == CANCEL_POLL_SPANS - 1 && cancel.is_cancelled() {
                return Ok(None);
            }
            if finding.confidence < options.min_confidence {
                continue;
            }
            let rule = format!(
                "{}/{}/{}",
                finding.kind.as_str(),
                dicts[finding.dict].name,
                finding.artifact.replace(' ', "-")
            );
            let written = checked[finding.start..finding.end].to_lowercase();
            let allowed = |set: &FxHashSet<String>| {
                set.contains(&finding.artifact) || set.contains(&written) || set.contains(&rule)
            };
            if allowed(&allow) || allowed(&self.allow) {
                continue;
            }
            let source = projection.source_range(finding.start..finding.end);
            if ignored.covers(source.start) {
                continue;
            }
            let (line, column) = lines
                .get_or_insert_with(|| LineColumns::new(text))
                .line_column(source.start);
            let mut span = self.render(&checked[finding.start..finding.end], finding, rule);
            span.start = source.start;
            span.end = source.end;
            span.line = line;
            span.column = column;
            span.fixable = !finding.uncertain
                && span.confidence >= options.fix_threshold
                && !span.suggestions.is_empty();
            spans.push(span);
            edits.push((
                projection.source_pieces(finding.start..finding.end),
                !finding.uncertain,
            ));
        }
        let words = scan.words;
        let (score, verdict) = score::judge(&spans, words, scan.near_misses);
        if cancel.is_cancelled() {
            return Ok(None);
        }
        let fixed = if options.markup == Markup::Text {
            let mut safe = edits.iter().map(|(_, safe)| *safe);
            repair::apply(text, &spans, options.fix_threshold, |_| {
                safe.next().unwrap_or(false)
            })
        } else {
            repair::apply_pieces(text, &spans, &edits, options.fix_threshold)
        };
        if options.include_diff && cancel.is_cancelled() {
            return Ok(None);
        }
        let diff = options
            .include_diff
            .then(|| repair::unified_diff(&options.diff_name, text, &fixed));
        Ok(Some(Report {
            score,
            verdict,
            words,
            spans,
            fixed: options.include_fixed.then_some(fixed),
            diff,
        }))
    }

    /// The span for finding `f`, whose text as read is `written`; the caller
    /// sets its position in the source.
    fn render(&self, written: &str, f: &Finding, rule: String) -> Span {
        let (line, column) = (0, 0);
        let suggestions: Vec<String> = f
            .suggestions
            .iter()
            .map(|s| match_case(written, s))
            .collect();
        let top = suggestions.first().map_or("", String::as_str);
        let message = crate::explain::message(f, written, top);
        Span {
            start: f.start,
            end: f.end,
            line,
            column,
            text: written.to_string(),
            kind: f.kind,
            rule,
            confidence: (f.confidence * 1000.0).round() / 1000.0,
            message,
            suggestions,
            fixable: false,
        }
    }
}
