//! `eval --matrix`: the figures users get, for every installed corpus and
//! every member of the spinner family in one table, with what the model was
//! trained and tuned on beside them, then clean text per corpus and the
//! single-sentence measure.

use super::corpus::{self, Role};
use super::measure::{self, Class};
use super::spinner::{Spinner, STYLES};
use super::{load_corpora, make_samples, sample_count, sentences, Options};
use unspun::{CheckOptions, Checker};

/// The spinners of the single-sentence measure, as indices into [`STYLES`]:
/// the classic one and all behaviours at once.
const SENTENCE_STYLES: [usize; 2] = [0, STYLES.len() - 1];

/// Prints the matrix; returns the exit code.
pub fn run(
    options: &Options,
    locations: &corpus::Locations,
    spinner: &Spinner,
    checker: &Checker,
    tuned_on: &str,
) -> i32 {
    let names: Vec<String> = options
        .corpora
        .clone()
        .unwrap_or_else(|| corpus::NAMES.iter().map(|n| n.to_string()).collect());
    let corpora = load_corpora(locations, &names);
    if corpora.is_empty() {
        eprintln!(
            "eval: none of the corpora {} is installed",
            names.join(", ")
        );
        return 2;
    }
    println!(
        "context counts: {}; scorer weights fitted on the even half of {tuned_on}",
        corpus::CONTEXT_COUNT_CORPORA
    );
    println!();
    println!("| corpus | source | role |");
    println!("|---|---|---|");
    for c in &corpora {
        let role = match c.role {
            Role::Split if c.name == tuned_on => "tuned on its other half; tested on the odd half",
            Role::Split => "tested on the odd half; not tuned on",
            Role::HeldOut => "held out: never trained or tuned on; tested whole",
        };
        println!("| {} | {} | {role} |", c.name, c.source);
    }
    println!();
    println!(
        "| corpus | spinner | documents | substitutions | precision | recall, function word | \
         recall, 100x rarer | recall, other | fix accuracy | document ROC AUC | clean versions judged spun |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|---|");
    for c in &corpora {
        let test = c.test_documents();
        for style in &STYLES {
            let started = std::time::Instant::now();
            let samples = make_samples(
                spinner,
                &test,
                options.seed.wrapping_add(1000),
                style,
                sample_count(test.len()),
            );
            let f = measure::measure(checker, &samples, false);
            let t = f.total();
            println!(
                "| {} | {} | {} | {} | {:.3} | {:.3} | {:.3} | {:.3} | {:.3} | {:.4} | {} |",
                c.name,
                style.name,
                f.samples,
                t.substitutions,
                f.precision(),
                f.recall(Class::FunctionWord),
                f.recall(Class::RareArtifact),
                f.recall(Class::Other),
                f.fix_accuracy(),
                f.auc(),
                f.clean_spun_verdicts
            );
            eprintln!(
                "  {} / {}: {:.1} s",
                c.name,
                style.name,
                started.elapsed().as_secs_f64()
            );
        }
    }
    println!();
    println!(
        "| corpus | clean test documents | words | flags | flags per 1,000 words | judged spun |"
    );
    println!("|---|---|---|---|---|---|");
    let check = CheckOptions {
        include_diff: false,
        include_fixed: false,
        ..Default::default()
    };
    for c in &corpora {
        let (mut words, mut flags, mut spun) = (0, 0, 0);
        let test = c.test_documents();
        for doc in &test {
            let report = checker.check_with(doc, &check).expect("valid options");
            words += report.words;
            flags += report.spans.len();
            spun += usize::from(report.verdict == unspun::Verdict::Spun);
        }
        println!(
            "| {} | {} | {words} | {flags} | {:.3} | {spun} |",
            c.name,
            test.len(),
            1000.0 * measure::ratio(flags, words)
        );
    }
    println!();
    println!(
        "| corpus | spinner | spun sentences (>= {} swaps) | all swaps flagged, right fixes | \
         all swaps flagged | a swap flagged | a false flag | clean original flagged |",
        sentences::MIN_SWAPS
    );
    println!("|---|---|---|---|---|---|---|---|");
    for c in &corpora {
        let test = c.test_documents();
        for style in SENTENCE_STYLES.map(|i| &STYLES[i]) {
            let f = sentences::measure(
                checker,
                spinner,
                style,
                &test,
                options.sentences,
                options.seed.wrapping_add(2000),
            );
            let share = |n: usize| measure::ratio(n, f.sentences);
            println!(
                "| {} | {} | {} | {:.3} | {:.3} | {:.3} | {:.3} | {:.3} |",
                c.name,
                style.name,
                f.sentences,
                share(f.all_fixed),
                share(f.all_flagged),
                share(f.any_flagged),
                share(f.false_flagged),
                share(f.clean_flagged)
            );
        }
    }
    0
}
