//! The evaluation harness: how many artifacts does the checker find, how rarely
//! does it flag honest text, and how often is its fix the original?
//!
//! `cargo run --release -p xtask -- eval [--clean DIR] [--seed N] [--fit] [--prior-shift X] [--pooling X] [--misses N]`
//!
//! Clean articles (default `../shared/corpora/bbc-news`, read at evaluation time
//! and never copied into the project) are split by position: even articles train
//! (`--fit`), odd articles test. From each split it builds documents of 50 to
//! 2,000 words, spins each with the test spinner ([`spinner`]) at a rate of 10
//! to 60 % (a quarter of them twice), and checks both the spun documents and the
//! clean ones. It prints span precision, recall and fix accuracy overall and by
//! class, document ROC AUC and the true-positive rate at 1 % false positives,
//! and false flags per 1,000 words of clean text. With `--fit` it first fits the
//! spun-word scorer's logistic weights on the training split and prints them as
//! the `Tuning::default` values, then evaluates with them. With `--misses N` it
//! also lists, per class, the N most frequent missed substitutions and whether
//! the checker had no candidate there or scored one below the threshold.

pub mod spinner;

use crate::spun_words::{repo_root, MyThes, Sources, WordNet};
use spinner::{Family, Rng, Spinner, SpunText};
use std::path::{Path, PathBuf};
use unspun::detect::{Evidence, Features, Tuning};
use unspun::{CheckOptions, Checker, SpanKind};

/// Generator name on the xtask command line.
pub const NAME: &str = "eval";

const LENGTHS: [usize; 5] = [50, 150, 400, 1000, 2000];
const RATES: [f64; 5] = [0.1, 0.2, 0.3, 0.45, 0.6];
const DOUBLE_SPIN_SHARE: f64 = 0.25;

/// One labelled document.
struct Sample {
    spun: SpunText,
    clean: String,
    rate: f64,
    words: usize,
}

/// Runs the harness with command-line `args`; returns the exit code.
pub fn run(args: &[String]) -> i32 {
    let mut clean_dir = repo_root().join("../shared/corpora/bbc-news");
    let mut seed = 1u64;
    let mut fit = false;
    let mut prior_shift: Option<f64> = None;
    let mut pooling: Option<f64> = None;
    let mut misses = 0usize;
    let mut i = 0;
    while i < args.len() {
        match args[i].as_str() {
            "--clean" => {
                i += 1;
                clean_dir = PathBuf::from(&args[i]);
            }
            "--seed" => {
                i += 1;
                seed = args[i].parse().unwrap_or(1);
            }
            "--fit" => fit = true,
            "--pooling" => {
                i += 1;
                pooling = args[i].parse().ok();
            }
            "--prior-shift" => {
                i += 1;
                prior_shift = args[i].parse().ok();
            }
            "--misses" => {
                i += 1;
                misses = args[i].parse().unwrap_or(20);
            }
            other => {
                eprintln!("eval: unknown argument {other}; usage: eval [--clean DIR] [--seed N] [--fit] [--prior-shift X] [--pooling X] [--misses N]");
                return 2;
            }
        }
        i += 1;
    }
    let sources = Sources::defaults(&repo_root());
    if !sources.thesauri_installed() {
        eprintln!("eval: WordNet/MyThes not installed; apt-get install wordnet-base mythes-en-us");
        return 2;
    }
    let articles = match read_articles(&clean_dir) {
        Ok(a) if !a.is_empty() => a,
        _ => {
            eprintln!(
                "eval: no clean .txt articles under {}; pass --clean DIR",
                clean_dir.display()
            );
            return 2;
        }
    };
    let wordnet = WordNet::load(&sources.wordnet_dir).expect("WordNet loads");
    let mythes = MyThes::load(&sources.mythes_file).expect("MyThes loads");
    let spinner = Spinner::new(&wordnet, &mythes);
    let train: Vec<&String> = articles.iter().step_by(2).collect();
    let test: Vec<&String> = articles.iter().skip(1).step_by(2).collect();
    let mut tuning = Tuning::default();
    if fit {
        let samples = make_samples(&spinner, &train, seed);
        let checker = Checker::new();
        tuning = fit_tuning(&checker, &samples);
        print_tuning(&tuning);
    }
    if let Some(shift) = prior_shift {
        tuning.prior_shift = shift;
    }
    if let Some(p) = pooling {
        tuning.pooling = p;
    }
    let checker = Checker::builder()
        .tuning(tuning)
        .build()
        .expect("embedded dictionaries load");
    let samples = make_samples(&spinner, &test, seed.wrapping_add(1000));
    evaluate(&checker, &samples, misses);
    0
}

fn read_articles(dir: &Path) -> std::io::Result<Vec<String>> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d)? {
            let p = entry?.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|e| e == "txt")
                && p.file_name().is_some_and(|n| n != "README.TXT")
            {
                files.push(p);
            }
        }
    }
    files.sort();
    Ok(files
        .iter()
        .filter_map(|p| std::fs::read(p).ok())
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .collect())
}

/// Cuts a document of about `words` words from `articles`, starting at `first`
/// and running on into the next articles when one is too short.
fn cut_document(articles: &[&String], first: usize, words: usize) -> String {
    let mut out = String::new();
    let mut count = 0;
    let mut k = first;
    while count < words && k < first + 20 {
        let article = articles[k % articles.len()];
        for paragraph in article.split("\n\n") {
            if count >= words {
                break;
            }
            let n = unspun::text::words(paragraph).count();
            if n == 0 {
                continue;
            }
            if !out.is_empty() {
                out.push_str("\n\n");
            }
            out.push_str(paragraph.trim());
            count += n;
        }
        k += 1;
    }
    out
}

fn make_samples(spinner: &Spinner, articles: &[&String], seed: u64) -> Vec<Sample> {
    let mut rng = Rng::new(seed);
    let mut samples = Vec::with_capacity(articles.len());
    for first in 0..articles.len() {
        let words = LENGTHS[rng.below(LENGTHS.len())];
        let clean = cut_document(articles, first, words);
        let rate = RATES[rng.below(RATES.len())];
        let family = Family::ALL[rng.below(Family::ALL.len())];
        let spun = if rng.unit() < DOUBLE_SPIN_SHARE {
            let second = Family::ALL[rng.below(Family::ALL.len())];
            spinner.spin_twice(&clean, family, second, rate, &mut rng)
        } else {
            spinner.spin(&clean, family, rate, &mut rng)
        };
        let words = unspun::text::words(&clean).count();
        samples.push(Sample {
            spun,
            clean,
            rate,
            words,
        });
    }
    samples
}

/// Class of a substitution, for the split figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    FunctionWord,
    RareArtifact,
    Other,
}

const CLASSES: [(Class, &str); 3] = [
    (Class::FunctionWord, "original is a function word"),
    (Class::RareArtifact, "artifact 100x rarer than original"),
    (Class::Other, "other"),
];

struct Classifier {
    function_words: rustc_hash::FxHashSet<String>,
    zipf: rustc_hash::FxHashMap<String, f32>,
}

impl Classifier {
    fn new() -> Self {
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

    fn class(&self, original: &str, artifact: &str) -> Class {
        let z = |w: &str| self.zipf.get(w).copied().unwrap_or(1.0);
        if self.function_words.contains(original) {
            Class::FunctionWord
        } else if z(original) - z(&artifact.to_lowercase()) >= 2.0 {
            Class::RareArtifact
        } else {
            Class::Other
        }
    }
}

#[derive(Default, Clone, Copy)]
struct Counts {
    substitutions: usize,
    found: usize,
    fixed: usize,
}

fn evaluate(checker: &Checker, samples: &[Sample], list_misses: usize) {
    let options = CheckOptions {
        include_diff: false,
        include_fixed: false,
        ..Default::default()
    };
    let classifier = Classifier::new();
    let mut by_class = [Counts::default(); 3];
    let mut flagged_in_spun = 0usize;
    let mut true_flags = 0usize;
    let mut clean_words = 0usize;
    let mut clean_flags = 0usize;
    let mut clean_spun_verdicts = 0usize;
    let mut positives: Vec<f64> = Vec::new();
    let mut negatives: Vec<f64> = Vec::new();
    let mut missed = Misses::default();
    for sample in samples {
        let candidates = if list_misses > 0 {
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
        flagged_in_spun += spans.len();
        for sub in &sample.spun.substitutions {
            let class = classifier.class(&sub.original, &sub.artifact) as usize;
            by_class[class].substitutions += 1;
            if let Some(span) = spans.iter().find(|s| s.start == sub.start) {
                by_class[class].found += 1;
                if span
                    .suggestions
                    .first()
                    .is_some_and(|f| f.eq_ignore_ascii_case(&sub.original))
                {
                    by_class[class].fixed += 1;
                }
            } else if list_misses > 0 {
                let candidate = candidates.iter().find(|f| f.start == sub.start);
                missed.add(class, sub, candidate.map(|f| f.confidence));
            }
        }
        for span in &spans {
            if sample
                .spun
                .substitutions
                .iter()
                .any(|sub| sub.start == span.start)
            {
                true_flags += 1;
                if list_misses > 0 {
                    missed.add_flag(span, true);
                }
            } else if list_misses > 0 {
                missed.add_flag(span, false);
            }
        }
        let clean = checker
            .check_with(&sample.clean, &options)
            .expect("valid options");
        clean_words += clean.words;
        clean_flags += clean.spans.len();
        clean_spun_verdicts += usize::from(clean.verdict == unspun::Verdict::Spun);
        if sample.words >= 150 && sample.rate >= 0.2 {
            positives.push(report.score);
            negatives.push(clean.score);
        }
    }
    let total = by_class.iter().fold(Counts::default(), |a, c| Counts {
        substitutions: a.substitutions + c.substitutions,
        found: a.found + c.found,
        fixed: a.fixed + c.fixed,
    });
    let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
    println!(
        "documents: {} spun and {} clean (test split)",
        samples.len(),
        samples.len()
    );
    println!();
    println!("| measure | value |");
    println!("|---|---|");
    println!(
        "| span precision (spun-word spans at a substitution) | {:.4} |",
        ratio(true_flags, flagged_in_spun)
    );
    println!(
        "| recall, all substitutions ({}) | {:.4} |",
        total.substitutions,
        ratio(total.found, total.substitutions)
    );
    for (class, name) in CLASSES {
        let c = by_class[class as usize];
        println!(
            "| recall, {name} ({}) | {:.4} |",
            c.substitutions,
            ratio(c.found, c.substitutions)
        );
    }
    println!(
        "| fix accuracy (top suggestion = original, of found) | {:.4} |",
        ratio(total.fixed, total.found)
    );
    for (class, name) in CLASSES {
        let c = by_class[class as usize];
        println!("| fix accuracy, {name} | {:.4} |", ratio(c.fixed, c.found));
    }
    println!(
        "| document ROC AUC (>= 150 words, spun >= 20 %; {} pairs) | {:.4} |",
        positives.len(),
        auc(&positives, &negatives)
    );
    println!(
        "| true-positive rate at 1 % false positives | {:.4} |",
        tpr_at(&positives, &negatives, 0.01)
    );
    println!(
        "| false flags per 1,000 words of clean text | {:.4} |",
        1000.0 * ratio(clean_flags, clean_words)
    );
    println!("| clean documents judged spun | {clean_spun_verdicts} |");
    if list_misses > 0 {
        missed.print(list_misses);
    }
}

/// Missed substitutions by class, for finding where recall is lost.
#[derive(Default)]
struct Misses {
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
fn auc(positives: &[f64], negatives: &[f64]) -> f64 {
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
fn tpr_at(positives: &[f64], negatives: &[f64], fpr: f64) -> f64 {
    if positives.is_empty() || negatives.is_empty() {
        return 0.0;
    }
    let mut sorted = negatives.to_vec();
    sorted.sort_by(|a, b| b.total_cmp(a));
    let k = ((negatives.len() as f64) * fpr).floor() as usize;
    let threshold = sorted[k.min(sorted.len() - 1)];
    positives.iter().filter(|&&p| p > threshold).count() as f64 / positives.len() as f64
}

/// Fits the logistic weights of the spun-word scorer on the training samples:
/// every spun-word candidate of the spun documents (label: at a substitution)
/// and of the clean documents (label 0).
fn fit_tuning(checker: &Checker, samples: &[Sample]) -> Tuning {
    let mut xs: Vec<[f64; Features::LEN]> = Vec::new();
    let mut ys: Vec<f64> = Vec::new();
    for sample in samples {
        for (text, labels) in [
            (&sample.spun.text, Some(&sample.spun.substitutions)),
            (&sample.clean, None),
        ] {
            for finding in checker.findings(text) {
                if let Evidence::Context { features, .. } = &finding.evidence {
                    let label =
                        labels.is_some_and(|subs| subs.iter().any(|s| s.start == finding.start));
                    xs.push(features.vector());
                    ys.push(if label { 1.0 } else { 0.0 });
                }
            }
        }
    }
    eprintln!(
        "fitting on {} candidates ({} artifacts)",
        xs.len(),
        ys.iter().filter(|&&y| y > 0.5).count()
    );
    let (weights, intercept) = logistic_regression(&xs, &ys, 1e-2, 25);
    Tuning {
        weights,
        intercept,
        ..Tuning::default()
    }
}

/// L2-regularised logistic regression by Newton's method.
fn logistic_regression(
    xs: &[[f64; Features::LEN]],
    ys: &[f64],
    l2: f64,
    iterations: usize,
) -> ([f64; Features::LEN], f64) {
    const N: usize = Features::LEN + 1;
    let mut beta = [0.0f64; N];
    for _ in 0..iterations {
        let mut gradient = [0.0f64; N];
        let mut hessian = [[0.0f64; N]; N];
        for (x, &y) in xs.iter().zip(ys) {
            let mut row = [1.0f64; N];
            row[1..].copy_from_slice(x);
            let z: f64 = row.iter().zip(&beta).map(|(a, b)| a * b).sum();
            let p = 1.0 / (1.0 + (-z).exp());
            let w = (p * (1.0 - p)).max(1e-9);
            for i in 0..N {
                gradient[i] += (y - p) * row[i];
                for j in 0..N {
                    hessian[i][j] += w * row[i] * row[j];
                }
            }
        }
        for i in 1..N {
            gradient[i] -= l2 * beta[i];
            hessian[i][i] += l2;
        }
        let step = solve(hessian, gradient);
        let mut change = 0.0;
        for i in 0..N {
            beta[i] += step[i];
            change += step[i].abs();
        }
        if change < 1e-6 {
            break;
        }
    }
    let mut weights = [0.0; Features::LEN];
    weights.copy_from_slice(&beta[1..]);
    (weights, beta[0])
}

/// Solves `a x = b` by Gaussian elimination with partial pivoting.
fn solve<const N: usize>(mut a: [[f64; N]; N], mut b: [f64; N]) -> [f64; N] {
    for col in 0..N {
        let pivot = (col..N)
            .max_by(|&i, &j| a[i][col].abs().total_cmp(&a[j][col].abs()))
            .unwrap_or(col);
        a.swap(col, pivot);
        b.swap(col, pivot);
        let d = a[col][col];
        if d.abs() < 1e-12 {
            continue;
        }
        for row in col + 1..N {
            let f = a[row][col] / d;
            let pivot_row = a[col];
            for (x, p) in a[row][col..].iter_mut().zip(&pivot_row[col..]) {
                *x -= f * p;
            }
            b[row] -= f * b[col];
        }
    }
    let mut x = [0.0; N];
    for row in (0..N).rev() {
        let s: f64 = (row + 1..N).map(|k| a[row][k] * x[k]).sum();
        x[row] = if a[row][row].abs() < 1e-12 {
            0.0
        } else {
            (b[row] - s) / a[row][row]
        };
    }
    x
}

fn print_tuning(tuning: &Tuning) {
    println!("fitted weights (Tuning::default):");
    for (name, w) in Features::NAMES.iter().zip(tuning.weights) {
        println!("  {name}: {w:.4}");
    }
    println!("  intercept: {:.4}", tuning.intercept);
    println!(
        "  weights: [{}],",
        tuning
            .weights
            .iter()
            .map(|w| format!("{w:.4}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    println!();
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
    fn logistic_regression_recovers_a_separating_direction() {
        let xs: Vec<[f64; Features::LEN]> = (0..200)
            .map(|i| {
                let mut x = [0.0; Features::LEN];
                x[0] = (i as f64 - 100.0) / 10.0;
                x
            })
            .collect();
        let ys: Vec<f64> = (0..200).map(|i| if i >= 100 { 1.0 } else { 0.0 }).collect();
        let (w, _) = logistic_regression(&xs, &ys, 1e-2, 25);
        assert!(w[0] > 1.0, "{w:?}");
    }

    #[test]
    fn spinning_twice_labels_only_words_that_differ_from_their_original() {
        let sources = Sources::defaults(&repo_root());
        if !sources.thesauri_installed() {
            eprintln!("skipping: WordNet/MyThes not installed (apt-get install wordnet-base mythes-en-us)");
            return;
        }
        let wordnet = WordNet::load(&sources.wordnet_dir).expect("WordNet loads");
        let mythes = MyThes::load(&sources.mythes_file).expect("MyThes loads");
        let spinner = Spinner::new(&wordnet, &mythes);
        let clean = "the minister will travel to the city on friday to meet the president \
                     and discuss trade as the talks continue in the capital while officials \
                     say the visit is important for the economy and for security";
        let mut labels = 0;
        for seed in 0..40 {
            let mut rng = Rng::new(seed);
            for first in Family::ALL {
                for second in Family::ALL {
                    let spun = spinner.spin_twice(clean, first, second, 0.6, &mut rng);
                    for sub in &spun.substitutions {
                        labels += 1;
                        assert!(
                            !sub.artifact.eq_ignore_ascii_case(&sub.original),
                            "{sub:?} in {:?}",
                            spun.text
                        );
                        assert!(spun.text[sub.start..].starts_with(&sub.artifact));
                    }
                }
            }
        }
        assert!(
            labels > 1000,
            "the spinner spun too little to test ({labels} labels)"
        );
    }
}
