//! Throughput of a whole check (tokenize, look up, context scoring, spans, fixed
//! text, diff), in bytes per second, next to the floor measured on the same
//! machine over the same text (`floor/split-lowercase-lookup`: split on
//! non-alphanumerics, lower-case, one hash-set probe per word against 5,000
//! artifacts), so that the figure can be read on any machine as a share of
//! what the hardware allows.
//!
//! Input: the BBC news corpus from `../shared/corpora/bbc-news` when it is there
//! (or `UNSPUN_BENCH_CORPUS`), otherwise English-like text sampled from the
//! embedded context model with a fixed seed, so the benchmark runs anywhere.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::path::Path;
use unspun::{CheckOptions, Checker};

fn corpus() -> (String, Vec<String>) {
    let dir = std::env::var("UNSPUN_BENCH_CORPUS").unwrap_or_else(|_| {
        concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpora/bbc-news").into()
    });
    let mut docs = Vec::new();
    if Path::new(&dir).is_dir() {
        let mut files: Vec<_> = walk(Path::new(&dir));
        files.sort();
        for f in files {
            if let Ok(text) = std::fs::read_to_string(&f) {
                docs.push(text);
            }
        }
        eprintln!("bench corpus: {} documents from {dir}", docs.len());
    } else {
        eprintln!("bench corpus: {dir} not found; using sampled text");
        docs = unspun_bench_support::sampled_documents(2_500, 400);
    }
    (dir, docs)
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = entry.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else if p.extension().is_some_and(|e| e == "txt") {
            out.push(p);
        }
    }
    out
}

mod unspun_bench_support {
    /// English-like documents drawn from the embedded bigram counts (a random walk,
    /// seeded): realistic word lengths and frequencies without shipping a corpus.
    pub fn sampled_documents(count: usize, words: usize) -> Vec<String> {
        let bigrams = unspun::dict::embedded::MODEL_BIGRAMS;
        let mut next: std::collections::BTreeMap<&str, Vec<(&str, u32)>> = Default::default();
        for line in bigrams.lines().filter(|l| !l.starts_with('#')) {
            let mut f = line.split('\t');
            if let (Some(a), Some(b), Some(c)) = (f.next(), f.next(), f.next()) {
                next.entry(a).or_default().push((b, c.parse().unwrap_or(1)));
            }
        }
        let mut state: u64 = 0x9E3779B97F4A7C15;
        let mut rand = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let mut docs = Vec::with_capacity(count);
        for _ in 0..count {
            let mut doc = String::new();
            let mut word = "<b>";
            for _ in 0..words {
                let Some(options) = next.get(word) else {
                    word = "<b>";
                    continue;
                };
                let total: u64 = options.iter().map(|o| u64::from(o.1)).sum();
                let mut pick = rand() % total.max(1);
                let mut chosen = options[0].0;
                for (w, c) in options {
                    if pick < u64::from(*c) {
                        chosen = w;
                        break;
                    }
                    pick -= u64::from(*c);
                }
                match chosen {
                    "<b>" => doc.push_str(". "),
                    "<num>" => doc.push_str("42 "),
                    w => {
                        doc.push_str(w);
                        doc.push(' ');
                    }
                }
                word = chosen;
            }
            docs.push(doc);
        }
        docs
    }
}

fn bench(c: &mut Criterion) {
    let checker = Checker::new();
    let (_, docs) = corpus();
    let total: usize = docs.iter().map(String::len).sum();
    let options = CheckOptions::default();
    let mut group = c.benchmark_group("check");
    group.sample_size(10);
    group.throughput(Throughput::Bytes(total as u64));
    group.bench_function(
        format!("documents/{}x{}B", docs.len(), total / docs.len().max(1)),
        |b| {
            b.iter(|| {
                let mut spans = 0;
                for d in &docs {
                    spans += checker.check_with(d, &options).unwrap().spans.len();
                }
                spans
            })
        },
    );
    let one: String = docs.join("\n\n");
    group.throughput(Throughput::Bytes(one.len() as u64));
    group.bench_function(format!("one-text/{}B", one.len()), |b| {
        b.iter(|| checker.check_with(&one, &options).unwrap().spans.len())
    });
    let scan_only = CheckOptions {
        include_fixed: false,
        include_diff: false,
        ..Default::default()
    };
    group.throughput(Throughput::Bytes(total as u64));
    group.bench_function("documents-without-fixed-and-diff", |b| {
        b.iter(|| {
            docs.iter()
                .map(|d| checker.check_with(d, &scan_only).unwrap().spans.len())
                .sum::<usize>()
        })
    });
    group.finish();
    floor(c, &docs, total);
    c.bench_function("startup/Checker::new", |b| b.iter(Checker::new));
}

/// The speed floor: the least any dictionary check must do per word.
fn floor(c: &mut Criterion, docs: &[String], total: usize) {
    let (_, spun_words) = unspun::dict::embedded::SPUN_WORDS;
    let patterns: rustc_hash::FxHashSet<&str> = spun_words
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .filter_map(|l| l.split('\t').next())
        .take(5_000)
        .collect();
    let mut group = c.benchmark_group("floor");
    group.sample_size(10);
    group.throughput(Throughput::Bytes(total as u64));
    group.bench_function("split-lowercase-lookup", |b| {
        b.iter(|| split_lowercase_lookup(docs, |w| patterns.contains(w)))
    });
    // The same with the standard library's hash set (SipHash): the floor
    // that the target of 100 MB/s for a whole check was set against (151-165
    // MB/s where it was set), so it tells how this machine compares.
    let std_patterns: std::collections::HashSet<&str> = patterns.iter().copied().collect();
    group.bench_function("split-lowercase-lookup-std-hash", |b| {
        b.iter(|| split_lowercase_lookup(docs, |w| std_patterns.contains(w)))
    });
    group.finish();
}

/// Splits every document on non-alphanumerics, lower-cases each word and
/// counts the words `is_pattern` accepts.
fn split_lowercase_lookup(docs: &[String], is_pattern: impl Fn(&str) -> bool) -> usize {
    let mut word = String::new();
    let mut hits = 0usize;
    for d in docs {
        for w in d
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
        {
            word.clear();
            word.push_str(w);
            word.make_ascii_lowercase();
            hits += usize::from(is_pattern(word.as_str()));
        }
    }
    hits
}

criterion_group!(benches, bench);
criterion_main!(benches);
