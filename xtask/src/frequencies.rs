//! Generator of `dictionaries/model/frequencies.tsv`: how common each English word
//! is, on the Zipf scale.
//!
//! The context model's own counts (`unigrams.tsv`) come from about three million
//! words, too few to tell a rare-but-real word ("conscionable") from one that never
//! occurs, or to rank the candidates a spinner could have replaced. Robyn Speer's
//! `wordfreq` combines many large corpora (Wikipedia, subtitles, news, books, web
//! text, Twitter, Reddit) into one smoothed frequency list, which fills that gap.
//!
//! The list ships inside the Python package as `wordfreq/data/large_en.msgpack.gz`
//! in wordfreq's "cBpack" format: gzipped msgpack holding a list whose first element
//! is a header map (`{"format": "cB", "version": 1}`) and whose element `i + 1` is the
//! alphabetical list of words with a frequency of `-i` centibels, i.e. `10^(-i/100)`.
//! The Zipf value (log10 of occurrences per billion words) is therefore exactly
//! `(900 - i) / 100`, computed here in integers so the output never depends on
//! floating-point formatting.
//!
//! Each word goes through [`unspun::text::model_form`], the function the checker
//! uses, so lookups agree with it. Only words made of lower-case letters (with
//! internal apostrophes or hyphens) at or above [`MIN_ZIPF_CENTI`] are kept.
//!
//! Install the data with `python3 -m venv .venv && .venv/bin/pip install
//! wordfreq==3.1.1` at the repository root, then run
//! `cargo run -p xtask -- frequencies` (or `-- frequencies --check`).

use crate::args::GeneratorArgs;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use flate2::read::GzDecoder;
use rmpv::Value;
use unspun::text::{model_form, NUMBER_TOKEN};

/// Generator name on the `xtask` command line.
pub const NAME: &str = "frequencies";

/// The wordfreq release the committed file is generated from.
pub const WORDFREQ_VERSION: &str = "3.1.1";

/// Words below this Zipf value, in hundredths, are left out. 1.10 keeps the file
/// under 4 MB (Zipf 1.00 would keep every listed word and take about 4.1 MB).
pub const MIN_ZIPF_CENTI: i32 = 110;

/// The command that installs the data, quoted in error and skip messages.
pub const INSTALL_COMMAND: &str = "python3 -m venv .venv && .venv/bin/pip install wordfreq==3.1.1";

/// The command that regenerates the file, written into its header.
const GENERATOR_COMMAND: &str = "cargo run -p xtask -- frequencies";

/// The English list inside the package directory.
const ENGLISH_LIST: &str = "data/large_en.msgpack.gz";

/// Python snippet printing the installed package's directory.
const LOCATE_SNIPPET: &str = "import wordfreq, os; print(os.path.dirname(wordfreq.__file__))";

/// Root of the repository (where `.venv` lives).
fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Path of the committed file.
pub fn default_output_path() -> PathBuf {
    repo_root().join("dictionaries/model/frequencies.tsv")
}

/// The installed `wordfreq` package directory, as reported by the repository's
/// `.venv/bin/python3` if it has wordfreq, else by `python3` on `PATH`.
pub fn find_wordfreq_dir() -> Result<PathBuf, String> {
    let venv_python = repo_root().join(".venv/bin/python3");
    let mut interpreters = Vec::new();
    if venv_python.is_file() {
        interpreters.push(venv_python.into_os_string());
    }
    interpreters.push("python3".into());
    for python in interpreters {
        let Ok(output) = Command::new(&python).args(["-c", LOCATE_SNIPPET]).output() else {
            continue;
        };
        if !output.status.success() {
            continue;
        }
        let dir = String::from_utf8_lossy(&output.stdout).trim().to_string();
        if !dir.is_empty() && Path::new(&dir).join(ENGLISH_LIST).is_file() {
            return Ok(PathBuf::from(dir));
        }
    }
    Err(format!(
        "the Python package wordfreq is not installed (looked in .venv/bin/python3 and \
         python3 on PATH); install it at the repository root with {INSTALL_COMMAND}"
    ))
}

/// Version of the wordfreq package in `dir`, read from the `wordfreq-*.dist-info`
/// directory pip installs next to it.
pub fn installed_version(dir: &Path) -> Result<String, String> {
    let parent = dir
        .parent()
        .ok_or_else(|| format!("{}: no parent directory", dir.display()))?;
    let mut infos: Vec<PathBuf> = fs::read_dir(parent)
        .map_err(|e| format!("{}: {e}", parent.display()))?
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| {
            path.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("wordfreq-") && n.ends_with(".dist-info"))
        })
        .collect();
    infos.sort();
    let info = infos.first().ok_or_else(|| {
        format!(
            "no wordfreq-*.dist-info next to {}; cannot tell which wordfreq this is",
            dir.display()
        )
    })?;
    let metadata = info.join("METADATA");
    let text = fs::read_to_string(&metadata).map_err(|e| format!("{}: {e}", metadata.display()))?;
    text.lines()
        .find_map(|line| line.strip_prefix("Version:"))
        .map(|v| v.trim().to_string())
        .ok_or_else(|| format!("{}: no Version field", metadata.display()))
}

/// Decodes a cBpack file (gzipped msgpack) into its frequency bins: element `i`
/// holds the words at `-i` centibels.
pub fn read_cbpack(gzipped: &[u8]) -> Result<Vec<Vec<String>>, String> {
    let mut bytes = Vec::new();
    GzDecoder::new(gzipped)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("gzip: {e}"))?;
    let value =
        rmpv::decode::read_value(&mut bytes.as_slice()).map_err(|e| format!("msgpack: {e}"))?;
    let Value::Array(items) = value else {
        return Err("cBpack: the top level is not a list".into());
    };
    let mut items = items.into_iter();
    let header = items.next().ok_or("cBpack: empty list")?;
    let field = |key: &str| {
        header.as_map().and_then(|map| {
            map.iter()
                .find(|(k, _)| k.as_str() == Some(key))
                .map(|(_, v)| v.clone())
        })
    };
    if field("format").as_ref().and_then(Value::as_str) != Some("cB")
        || field("version").as_ref().and_then(Value::as_i64) != Some(1)
    {
        return Err(format!("cBpack: unexpected header {header}"));
    }
    items
        .enumerate()
        .map(|(bin, words)| {
            let Value::Array(words) = words else {
                return Err(format!("cBpack: bin {bin} is not a list"));
            };
            words
                .into_iter()
                .map(|w| match w {
                    Value::String(s) if s.is_str() => Ok(s.into_str().unwrap_or_default()),
                    other => Err(format!("cBpack: bin {bin} holds a non-string {other}")),
                })
                .collect()
        })
        .collect()
}

/// Whether a model form is a word worth listing: lower-case letters, possibly
/// joined by single apostrophes or hyphens ("don't", "well-known"), with no digits,
/// other symbols, or letters of scripts without case.
pub fn is_listed_word(form: &str) -> bool {
    form.split(['\'', '-'])
        .all(|part| !part.is_empty() && part.chars().all(|c| c.is_alphabetic() && c.is_lowercase()))
}

/// Formats a value in hundredths with two decimals ("702" -> "7.02").
fn format_centi(centi: i32) -> String {
    let sign = if centi < 0 { "-" } else { "" };
    let abs = centi.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

/// The file's contents for the given wordfreq `version` and frequency `bins`.
pub fn render(version: &str, bins: &[Vec<String>]) -> String {
    // Model form -> Zipf in hundredths. Bins go from most to least frequent, so
    // when two entries share a model form the first (more frequent) one is kept.
    let mut zipf: BTreeMap<String, i32> = BTreeMap::new();
    for (bin, words) in bins.iter().enumerate() {
        let centi = 900 - i32::try_from(bin).expect("fewer than 2^31 bins");
        if centi < MIN_ZIPF_CENTI {
            break;
        }
        for word in words {
            let form = model_form(word);
            if form != NUMBER_TOKEN && is_listed_word(&form) {
                zipf.entry(form).or_insert(centi);
            }
        }
    }
    let mut rows: Vec<(i32, String)> = zipf.into_iter().map(|(w, z)| (z, w)).collect();
    rows.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));

    let mut out = String::with_capacity(rows.len() * 16 + 2048);
    out.push_str("#! name: model-frequencies\n#! kind: model\n");
    let _ = writeln!(
        out,
        "#! source: wordfreq {version} by Robyn Speer (PyPI package wordfreq=={version}, file \
         wordfreq/{ENGLISH_LIST}), compiled by Exquisite Corpus from Wikipedia, OPUS \
         OpenSubtitles 2018 and SUBTLEX-US/UK (Marc Brysbaert et al.), NewsCrawl 2014 and \
         GlobalVoices, Google Books Ngrams 2012 (http://books.google.com/ngrams), OSCAR web \
         text, Twitter and Reddit"
    );
    out.push_str(
        "#! licence: CC BY-SA 4.0 (data) https://creativecommons.org/licenses/by-sa/4.0/, \
         so this file is CC BY-SA 4.0 too; wordfreq's code is Apache-2.0; SUBTLEX is freely \
         available data, credited to its authors and redistributed with Marc Brysbaert's \
         permission; subtitles data attributed to OpenSubtitles (http://www.opensubtitles.org/)\n",
    );
    let _ = writeln!(out, "#! generator: {GENERATOR_COMMAND}");
    let _ = writeln!(out, "#! min-zipf: {}", format_centi(MIN_ZIPF_CENTI));
    out.push_str(
        "# word<TAB>zipf; zipf = log10(occurrences per billion words), e.g. 3.00 = once per \
         million; most frequent first\n",
    );
    for (centi, word) in rows {
        let _ = writeln!(out, "{word}\t{}", format_centi(centi));
    }
    out
}

/// Reads the English list from the wordfreq package directory `dir` and renders
/// the file.
pub fn generate(dir: &Path) -> Result<String, String> {
    let version = installed_version(dir)?;
    let path = dir.join(ENGLISH_LIST);
    let gzipped = fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let bins = read_cbpack(&gzipped).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(render(&version, &bins))
}

const USAGE: &str =
    "usage: cargo run -p xtask -- frequencies [--wordfreq DIR] [--out FILE] [--check]
  --wordfreq DIR  the installed wordfreq package directory (default: asks .venv/bin/python3
                  at the repository root, else python3 on PATH)
  --out FILE      where to write (default: dictionaries/model/frequencies.tsv)
  --check         compare with --out instead of writing; exit 1 on difference";

/// Entry point of `cargo run -p xtask -- frequencies`; `args` are the arguments
/// after the generator name. Returns the process exit code.
pub fn run(args: &[String]) -> i32 {
    let args = match GeneratorArgs::parse(args, &["--wordfreq", "--out"], USAGE) {
        Ok(args) => args,
        Err(code) => return code,
    };
    let wordfreq_dir = args.value("--wordfreq").map(PathBuf::from);
    let out_path = args
        .value("--out")
        .map_or_else(default_output_path, PathBuf::from);
    let check = args.check;

    let wordfreq_dir = match wordfreq_dir.map_or_else(find_wordfreq_dir, Ok) {
        Ok(dir) => dir,
        Err(e) => {
            eprintln!("{NAME}: {e}");
            return 1;
        }
    };
    if let Ok(version) = installed_version(&wordfreq_dir) {
        if version != WORDFREQ_VERSION {
            eprintln!(
                "{NAME}: warning: wordfreq {version} is installed, the committed file comes \
                 from {WORDFREQ_VERSION}; {INSTALL_COMMAND}"
            );
        }
    }
    let contents = match generate(&wordfreq_dir) {
        Ok(contents) => contents,
        Err(e) => {
            eprintln!("{NAME}: {e}");
            return 1;
        }
    };
    if check {
        if fs::read_to_string(&out_path).ok().as_deref() != Some(contents.as_str()) {
            eprintln!(
                "{} is out of date; run {GENERATOR_COMMAND}",
                out_path.display()
            );
            return 1;
        }
        return 0;
    }
    if let Err(e) = out_path
        .parent()
        .map_or(Ok(()), fs::create_dir_all)
        .and_then(|()| fs::write(&out_path, &contents))
    {
        eprintln!("{}: {e}", out_path.display());
        return 1;
    }
    eprintln!("wrote {} ({} bytes)", out_path.display(), contents.len());
    0
}
