//! What the harness counts: span precision, recall and fix accuracy by class
//! of substitution, document ROC AUC, and false flags in clean text, for one
//! set of labelled samples; and, when asked, the commonest misses.

use super::spinner;
use super::Sample;
use unspun::{CheckOptions, Checker, SpanKind};

/// Class of a substitution, for the split figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    FunctionWord,
    RareArtifact,
    Other,
}

pub const CLASSES: [(Class, &str); 3] = [
    (Class::FunctionWord, "original is a function word"),
    (Class::RareArtifact, "artifact 100x rarer than original"),
    (Class::Other, "other"),
];

pub struct Classifier {
    function_words: rustc_hash::FxHashSet<String>,
    zipf: rustc_hash::FxHashMap<String, f32>,
}

impl Classifier {
    /// The function-word list and frequencies the checker embeds.
    pub fn new() -> Self {
        let function_words = unspun::dict::embedded::FUNCTION_WORDS
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| l.split('\t').next())
            .map(String::from)
            .collect();
        let zipf = unspun::dict::embedded::MODEL_FREQUENCIES
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| l.split_once('\t'))
            .filter_map(|(w, z)| Some((w.to_string(), z.parse().ok()?)))
            .collect();
        Classifier {
            function_words,
            zipf,
        }
    }

    /// The class of replacing `original` with `artifact`.
    pub fn class(&self, original: &str, artifact: &str) -> Class {
        let z = |w: &str| self.zipf.get(w).copied().unwrap_or(1.0);
        if self.function_words.contains(&original.to_lowercase()) {
            Class::FunctionWord
        } else if z(original) - z(&artifact.to_lowercase()) >= 2.0 {
            Class::RareArtifact
        } else {
            Class::Other
        }
    }
}

/// Substitutions of one class: how many, found, fixed right.
#[derive(Debug, Default, Clone, Copy)]
pub struct Counts {
    /// Substitutions made.
    pub substitutions: usize,
    /// Of them, flagged by a spun-word span at the same start.
    pub found: usize,
    /// Of those, with the original as the top suggestion.
    pub fixed: usize,
}

impl std::ops::Add for Counts {
    type Output = Counts;
    fn add(self, c: Counts) -> Counts {
        Counts {
            substitutions: self.substitutions + c.substitutions,
            found: self.found + c.found,
            fixed: self.fixed + c.fixed,
        }
    }
}

/// What one set of labelled samples measured.
#[derive(Default)]
pub struct Figures {
    /// Spun (and as many clean) documents checked.
    pub samples: usize,
    /// Counts per [`Class`], in [`CLASSES`] order.
    pub by_class: [Counts; 3],
    /// Spun-word spans in spun text.
    pub flagged_in_spun: usize,
    /// Of them, at a substitution.
    pub true_flags: usize,
    /// Words of the clean documents.
    pub clean_words: usize,
    /// Spans in the clean documents.
    pub clean_flags: usize,
    /// Clean documents judged `spun`.
    pub clean_spun_verdicts: usize,
    /// Scores of spun documents of >= 150 words spun >= 20 %.
    pub positives: Vec<f64>,
    /// Scores of their clean versions.
    pub negatives: Vec<f64>,
    /// The misses, when asked for.
    pub misses: Misses,
}

/// `a / b`, 0 when `b` is 0.
pub fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

impl Figures {
    /// All classes together.
    pub fn total(&self) -> Counts {
        self.by_class.iter().fold(Counts::default(), |a, &c| a + c)
    }

    /// Share of spun-word spans in spun text that sit at a substitution.
    pub fn precision(&self) -> f64 {
        ratio(self.true_flags, self.flagged_in_spun)
    }

    /// Share of `class`'s substitutions found.
    pub fn recall(&self, class: Class) -> f64 {
        let c = self.by_class[class as usize];
        ratio(c.found, c.substitutions)
    }

    /// Share of found substitutions whose top suggestion is the original.
    pub fn fix_accuracy(&self) -> f64 {
        let t = self.total();
        ratio(t.fixed, t.found)
    }

    /// Spans per 1,000 words of clean text.
    pub fn clean_flag_rate(&self) -> f64 {
        1000.0 * ratio(self.clean_flags, self.clean_words)
    }

    /// Document ROC AUC, spun against clean.
    pub fn auc(&self) -> f64 {
        auc(&self.positives, &self.negatives)
    }

    /// Prints the figures as the harness's one-corpus table.
    pub fn print(&self, list_misses: usize) {
        let total = self.total();
        println!(
            "documents: {} spun and {} clean (test split)",
            self.samples, self.samples
        );
        println!();
        println!("| measure | value |");
        println!("|---|---|");
        println!(
            "| span precision (spun-word spans at a substitution) | {:.4} |",
            self.precision()
        );
        println!(
            "| recall, all substitutions ({}) | {:.4} |",
            total.substitutions,
            ratio(total.found, total.substitutions)
        );
        for (class, name) in CLASSES {
            let c = self.by_class[class as usize];
            println!(
                "| recall, {name} ({}) | {:.4} |",
                c.substitutions,
                ratio(c.found, c.substitutions)
            );
        }
        println!(
            "| fix accuracy (top suggestion = original, of found) | {:.4} |",
            self.fix_accuracy()
        );
        for (class, name) in CLASSES {
            let c = self.by_class[class as usize];
            println!("| fix accuracy, {name} | {:.4} |", ratio(c.fixed, c.found));
        }
        println!(
            "| document ROC AUC (>= 150 words, spun >= 20 %; {} pairs) | {:.4} |",
            self.positives.len(),
            self.auc()
        );
        println!(
            "| true-positive rate at 1 % false positives | {:.4} |",
            tpr_at(&self.positives, &self.negatives, 0.01)
        );
        println!(
            "| false flags per 1,000 words of clean text | {:.4} |",
            self.clean_flag_rate()
        );
        println!(
            "| clean documents judged spun | {} |",
            self.clean_spun_verdicts
        );
        if list_misses > 0 {
            self.misses.print(list_misses);
        }
    }
}

/// Checks every sample, spun and clean, and tallies what was found. With
/// `list_misses`, also collects the misses and false flags.
pub fn measure(checker: &Checker, samples: &[Sample], list_misses: bool) -> Figures {
    let options = CheckOptions {
        include_diff: false,
        include_fixed: false,
        ..Default::default()
    };
    let classifier = Classifier::new();
    let mut f = Figures {
        samples: samples.len(),
        ..Figures::default()
    };
    for sample in samples {
        let candidates = if list_misses {
            checker.findings(&sample.spun.text)
        } else {
            Vec::new()
        };
        let report = checker
            .check_with(&sample.spun.text, &options)
            .expect("valid options");
        let spans: Vec<_> = report
            .spans
            .iter()
            .filter(|s| s.kind == SpanKind::SpunWord)
            .collect();
        f.flagged_in_spun += spans.len();
        for sub in &sample.spun.substitutions {
            let class = classifier.class(&sub.original, &sub.artifact) as usize;
            f.by_class[class].substitutions += 1;
            if let Some(span) = spans.iter().find(|s| s.start == sub.start) {
                f.by_class[class].found += 1;
                if span
                    .suggestions
                    .first()
                    .is_some_and(|s| s.eq_ignore_ascii_case(&sub.original))
                {
                    f.by_class[class].fixed += 1;
                }
            } else if list_misses {
                let candidate = candidates.iter().find(|c| c.start == sub.start);
                f.misses.add(class, sub, candidate.map(|c| c.confidence));
            }
        }
        for span in &spans {
            let right = sample
                .spun
                .substitutions
                .iter()
                .any(|sub| sub.start == span.start);
            f.true_flags += usize::from(right);
            if list_misses {
                f.misses.add_flag(span, right);
            }
        }
        let clean = checker
            .check_with(&sample.clean, &options)
            .expect("valid options");
        f.clean_words += clean.words;
        f.clean_flags += clean.spans.len();
        f.clean_spun_verdicts += usize::from(clean.verdict == unspun::Verdict::Spun);
        if sample.words >= 150 && sample.rate >= 0.2 {
            f.positives.push(report.score);
            f.negatives.push(clean.score);
        }
    }
    f
}

/// Missed substitutions by class, for finding where recall is lost.
#[derive(Default)]
pub struct Misses {
    /// (class, "artifact -> original") -> its tally.
    pairs: std::collections::HashMap<(usize, String), MissTally>,
    /// Spans in spun text by "artifact -> top suggestion".
    flags: std::collections::HashMap<String, FlagTally>,
}

/// How often one "artifact -> suggestion" was flagged in spun text.
#[derive(Default)]
struct FlagTally {
    /// At a substitution.
    right: usize,
    /// Where nothing was substituted.
    wrong: usize,
    /// Sum of the wrong flags' confidences.
    wrong_confidence: f64,
}

/// How one artifact -> original pair was missed.
#[derive(Default)]
struct MissTally {
    /// The checker had no candidate at the substitution.
    unseen: usize,
    /// It had one, scored below the threshold.
    below: usize,
    /// Sum of those candidates' confidences.
    below_confidence: f64,
}

impl Misses {
    fn add(&mut self, class: usize, sub: &spinner::Substitution, confidence: Option<f64>) {
        let key = format!("{} -> {}", sub.artifact.to_lowercase(), sub.original);
        let tally = self.pairs.entry((class, key)).or_default();
        match confidence {
            None => tally.unseen += 1,
            Some(c) => {
                tally.below += 1;
                tally.below_confidence += c;
            }
        }
    }

    /// Tallies a span in spun text, at a substitution (`true`) or not.
    fn add_flag(&mut self, span: &unspun::Span, at_substitution: bool) {
        let key = format!(
            "{} -> {}",
            span.text.to_lowercase(),
            span.suggestions.first().map_or("", |s| s.as_str())
        );
        let tally = self.flags.entry(key).or_default();
        if at_substitution {
            tally.right += 1;
        } else {
            tally.wrong += 1;
            tally.wrong_confidence += span.confidence;
        }
    }

    fn print(&self, top: usize) {
        let mut rows: Vec<_> = self.flags.iter().filter(|(_, t)| t.wrong > 0).collect();
        let total: usize = rows.iter().map(|(_, t)| t.wrong).sum();
        println!();
        println!("false flags in spun text (no substitution there): {total}");
        rows.sort_by_key(|(k, t)| (std::cmp::Reverse(t.wrong), (*k).clone()));
        for (pair, t) in rows.into_iter().take(top) {
            println!(
                "  {pair}: {} wrong, {} right (mean confidence of the wrong {:.2})",
                t.wrong,
                t.right,
                t.wrong_confidence / t.wrong as f64
            );
        }
        for (class, name) in CLASSES {
            let mut rows: Vec<_> = self
                .pairs
                .iter()
                .filter(|((c, _), _)| *c == class as usize)
                .collect();
            let unseen: usize = rows.iter().map(|(_, t)| t.unseen).sum();
            let below: usize = rows.iter().map(|(_, t)| t.below).sum();
            println!();
            println!(
                "misses, {name}: {unseen} without a candidate, {below} scored below the threshold"
            );
            rows.sort_by_key(|(k, t)| (std::cmp::Reverse(t.unseen + t.below), k.1.clone()));
            for ((_, pair), t) in rows.into_iter().take(top) {
                let mean = if t.below > 0 {
                    t.below_confidence / t.below as f64
                } else {
                    0.0
                };
                println!(
                    "  {pair}: {} no candidate, {} below (mean confidence {mean:.2})",
                    t.unseen, t.below
                );
            }
        }
    }
}

/// Area under the ROC curve: the chance that a spun document scores above a
/// clean one (ties count half).
pub fn auc(positives: &[f64], negatives: &[f64]) -> f64 {
    if positives.is_empty() || negatives.is_empty() {
        return 0.0;
    }
    let mut wins = 0.0;
    let mut sorted = negatives.to_vec();
    sorted.sort_by(f64::total_cmp);
    for &p in positives {
        let below = sorted.partition_point(|&n| n < p);
        let ties = sorted[below..].partition_point(|&n| n <= p);
        wins += below as f64 + 0.5 * ties as f64;
    }
    wins / (positives.len() * negatives.len()) as f64
}

/// Share of spun documents scoring above the clean score that only `fpr` of
/// clean documents exceed.
pub fn tpr_at(positives: &[f64], negatives: &[f64], fpr: f64) -> f64 {
    if positives.is_empty() || negatives.is_empty() {
        return 0.0;
    }
    let mut sorted = negatives.to_vec();
    sorted.sort_by(|a, b| b.total_cmp(a));
    let k = ((negatives.len() as f64) * fpr).floor() as usize;
    let threshold = sorted[k.min(sorted.len() - 1)];
    positives.iter().filter(|&&p| p > threshold).count() as f64 / positives.len() as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auc_is_one_for_separated_scores_and_half_for_equal_ones() {
        assert_eq!(auc(&[0.9, 0.8], &[0.1, 0.2]), 1.0);
        assert_eq!(auc(&[0.5], &[0.5]), 0.5);
    }

    #[test]
    fn a_capitalised_original_is_classed_like_its_lower_case_form() {
        let c = Classifier::new();
        assert_eq!(
            c.class("Despite", "Contempt"),
            c.class("despite", "contempt")
        );
        assert_eq!(c.class("on", "connected"), Class::FunctionWord);
    }
}
