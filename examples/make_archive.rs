//! Generates a JSON Lines archive of English news-like documents for the batch
//! benchmark (`bench/batch.sh`): shuffled paragraphs, about one document in ten
//! spun (common words swapped for the artifacts of the embedded spun-word
//! dictionaries), seeded so the same arguments give the same bytes.
//!
//! ```text
//! cargo run --release --example make_archive -- --bytes 1000000000 --out archive.jsonl \
//!     [--corpus ../shared/corpora/bbc-news] [--seed 1]
//! ```
//!
//! Paragraphs come from the `.txt` files under `--corpus` when it exists (the BBC
//! news corpus by default), otherwise from a random walk over the embedded
//! bigram counts, so the benchmark runs anywhere.

use std::collections::BTreeMap;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

struct Args {
    bytes: u64,
    out: PathBuf,
    corpus: PathBuf,
    seed: u64,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        bytes: 1_000_000_000,
        out: PathBuf::from("archive.jsonl"),
        corpus: PathBuf::from(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../shared/corpora/bbc-news"
        )),
        seed: 1,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or(format!("{flag} needs a value"));
        match flag.as_str() {
            "--bytes" => args.bytes = value()?.parse().map_err(|e| format!("--bytes: {e}"))?,
            "--out" => args.out = value()?.into(),
            "--corpus" => args.corpus = value()?.into(),
            "--seed" => args.seed = value()?.parse().map_err(|e| format!("--seed: {e}"))?,
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok(args)
}

/// Paragraphs of the `.txt` files under `dir`, in sorted file order.
fn corpus_paragraphs(dir: &Path) -> Vec<String> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = entry.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|e| e == "txt") {
                files.push(p);
            }
        }
    }
    files.sort();
    let mut paragraphs = Vec::new();
    for f in files {
        let Ok(text) = std::fs::read_to_string(&f) else {
            continue;
        };
        paragraphs.extend(
            text.split("\n\n")
                .map(str::trim)
                .filter(|p| p.split_whitespace().count() >= 8)
                .map(str::to_string),
        );
    }
    paragraphs
}

/// English-like paragraphs from a random walk over the embedded bigram counts.
fn sampled_paragraphs(rng: &mut Rng, count: usize) -> Vec<String> {
    let mut next: BTreeMap<&str, Vec<(&str, u64)>> = BTreeMap::new();
    for line in unspun::dict::embedded::MODEL_BIGRAMS
        .lines()
        .filter(|l| !l.starts_with('#'))
    {
        let mut f = line.split('\t');
        if let (Some(a), Some(b), Some(c)) = (f.next(), f.next(), f.next()) {
            next.entry(a).or_default().push((b, c.parse().unwrap_or(1)));
        }
    }
    let mut paragraphs = Vec::with_capacity(count);
    for _ in 0..count {
        let mut paragraph = String::new();
        let mut word = "<b>";
        let mut capital = true;
        for _ in 0..40 + rng.below(80) {
            let Some(options) = next.get(word) else {
                word = "<b>";
                continue;
            };
            let total: u64 = options.iter().map(|o| o.1).sum();
            let mut pick = rng.next() % total.max(1);
            let mut chosen = options[0].0;
            for (w, c) in options {
                if pick < *c {
                    chosen = w;
                    break;
                }
                pick -= c;
            }
            match chosen {
                "<b>" => {
                    paragraph.push_str(". ");
                    capital = true;
                }
                "<num>" => paragraph.push_str("42 "),
                w => {
                    if capital {
                        let mut c = w.chars();
                        paragraph.extend(c.next().map(|f| f.to_ascii_uppercase()));
                        paragraph.push_str(c.as_str());
                        capital = false;
                    } else {
                        paragraph.push_str(w);
                    }
                    paragraph.push(' ');
                }
            }
            word = chosen;
        }
        paragraphs.push(paragraph.trim_end().to_string() + ".");
    }
    paragraphs
}

/// Original word -> one artifact a spinner writes for it, from the embedded
/// spun-word dictionaries (single words only).
fn spin_table() -> BTreeMap<String, String> {
    let mut table = BTreeMap::new();
    for (name, text) in unspun::dict::embedded::ALL {
        if !name.starts_with("spun-words") {
            continue;
        }
        for line in text
            .lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty())
        {
            let mut fields = line.split('\t');
            let (Some(artifact), Some(originals)) = (fields.next(), fields.next()) else {
                continue;
            };
            let original = originals.split('|').next().unwrap_or("");
            let single = |w: &str| !w.is_empty() && w.chars().all(|c| c.is_ascii_lowercase());
            if single(artifact) && single(original) {
                table
                    .entry(original.to_string())
                    .or_insert_with(|| artifact.to_string());
            }
        }
    }
    table
}

/// Swaps about half the words that have an artifact for it.
fn spin(text: &str, table: &BTreeMap<String, String>, rng: &mut Rng) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String, rng: &mut Rng| {
        if word.is_empty() {
            return;
        }
        let lower = word.to_lowercase();
        match table.get(&lower) {
            Some(artifact) if rng.below(2) == 0 => {
                if word.starts_with(|c: char| c.is_uppercase()) {
                    let mut c = artifact.chars();
                    out.extend(c.next().map(|f| f.to_ascii_uppercase()));
                    out.push_str(c.as_str());
                } else {
                    out.push_str(artifact);
                }
            }
            _ => out.push_str(word),
        }
        word.clear();
    };
    for c in text.chars() {
        if c.is_alphabetic() {
            word.push(c);
        } else {
            flush(&mut word, &mut out, rng);
            out.push(c);
        }
    }
    flush(&mut word, &mut out, rng);
    out
}

fn main() {
    let args = parse_args().unwrap_or_else(|e| {
        eprintln!("make_archive: {e}");
        std::process::exit(2);
    });
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ args.seed.wrapping_mul(0x2545_F491_4F6C_DD1D));
    let mut paragraphs = corpus_paragraphs(&args.corpus);
    if paragraphs.is_empty() {
        eprintln!(
            "make_archive: no corpus at {}; sampling text from the bigram model",
            args.corpus.display()
        );
        paragraphs = sampled_paragraphs(&mut rng, 20_000);
    } else {
        eprintln!(
            "make_archive: {} paragraphs from {}",
            paragraphs.len(),
            args.corpus.display()
        );
    }
    let table = spin_table();
    let file = std::fs::File::create(&args.out).unwrap_or_else(|e| {
        eprintln!("make_archive: {}: {e}", args.out.display());
        std::process::exit(2);
    });
    let mut out = BufWriter::with_capacity(1 << 20, file);
    let mut written = 0u64;
    let mut docs = 0u64;
    while written < args.bytes {
        let count = 3 + rng.below(10);
        let mut text = (0..count)
            .map(|_| paragraphs[rng.below(paragraphs.len())].as_str())
            .collect::<Vec<_>>()
            .join("\n\n");
        if rng.below(10) == 0 {
            text = spin(&text, &table, &mut rng);
        }
        let mut line =
            serde_json::to_vec(&serde_json::json!({"id": format!("doc-{docs}"), "text": text}))
                .expect("serialises");
        line.push(b'\n');
        out.write_all(&line).expect("writing the archive");
        written += line.len() as u64;
        docs += 1;
    }
    out.flush().expect("writing the archive");
    eprintln!(
        "make_archive: {docs} documents, {written} bytes in {}",
        args.out.display()
    );
}
