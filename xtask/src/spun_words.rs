//! Generator for `dictionaries/spun-words.tsv`: the inverted thesaurus of spun words.
//!
//! # Why this exists
//!
//! A thesaurus spinner replaces each word it finds in its thesaurus by a synonym
//! picked without regard to sense, so `on Friday` becomes `connected Friday` and
//! `as Mexico` becomes `arsenic Mexico`. To suggest the original, the checker needs
//! the reverse mapping: for every word a spinner can *produce*, the words it can
//! have *replaced*, best first. Real spinners differ in thesaurus and sense order,
//! so the same original leaves several known artifacts (`in -> successful`,
//! `in -> indiana`, `in -> inwards`). This generator simulates the spinner
//! families observed in spun copy on a set of plausible originals, then inverts.
//!
//! # Plausible originals
//!
//! Spinners look words up by exact surface form, so originals are lower-case
//! surface forms (no lemmatising: `increased` is spun only because `increased` is
//! itself a thesaurus entry). The set is every English function word (listed in
//! [`FUNCTION_WORDS`], because spun news is dominated by spun prepositions,
//! conjunctions, modals and adverbs) plus every alphabetic word with at least
//! [`DEFAULT_MIN_COUNT`] occurrences in the unigram counts of clean English
//! (`dictionaries/model/unigrams.tsv`, about 3.1 million tokens of Brown and
//! nlp-corpus), which is about 3 per million words: rarer originals mostly add
//! originals to artifacts that are already listed, and lines for artifacts that
//! news copy practically never contains. Left out are words that spinners leave
//! alone ([`UNSPUN_WORDS`]: `a`, `the`, `not`, `but`, the capital-only `i`) and
//! names, which WordNet has only capitalised (`london`, `american`): the counts are
//! lower-cased, but a capitalised word is never spun.
//!
//! # Spinner families (the `via=` tags)
//!
//! - `wn-rule`: the deterministic WordNet rule that reproduces most measured
//!   artifacts: among the synsets that contain the form, prefer adjective, then
//!   noun, then verb, then adverb synsets; take the first synset in WordNet sense
//!   order with another single-word lemma and use its first such lemma; an
//!   adjective synset without another lemma yields the alphabetically first lemma
//!   of its "similar to" synsets (`in -> successful`).
//! - `wn-senses`: spinners that walk WordNet in its own part-of-speech order (noun,
//!   verb, adjective, adverb) and keep a few senses: the first other single-word
//!   lemma of each of the first [`SENSES_PER_POS`] synsets of every part of speech
//!   (`in -> inch|indiana`, `or -> oregon`, `can -> tin`, `will -> testament`,
//!   `be -> beryllium`, `us -> america`).
//! - `mythes`: the first single-word term of every sense in the LibreOffice English
//!   thesaurus (MyThes format), which is what "first synonym" spinners built on it
//!   insert (`on -> connected`, `as -> arsenic`, `crime -> transgression`,
//!   `negotiate -> negociate`; `border -> borderline` skips `boundary line`).
//! - `mythes-more`: the next [`MYTHES_EXTRA_TERMS`] plain synonyms of every sense,
//!   for spinners that pick at random among the leading synonyms.
//! - `two-hop`: text spun twice. Each hop is a single-choice spin (the `wn-rule`
//!   pick, or the first single-word term of the first MyThes sense), applied to the
//!   result of the first (`there -> location -> placement`).
//!
//! Lookups ignore case on the thesaurus side, as real spinners do (`us -> america`
//! comes from the synset of "US"). Antonyms listed by MyThes are never used;
//! "generic", "similar" and "related" terms are, since spinners strip those
//! labels. Terms with spaces, hyphens, digits or other non-letters are not single
//! words to the checker's tokenizer and are dropped.
//!
//! # Inversion and ranking
//!
//! Every (artifact, original) pair collects the families that produce it and a
//! *spin chance*: the chance that a spinner drawn from the families turns the
//! original into the artifact, each family picking uniformly among its candidates
//! for that original, with the families weighted by how common such spinners are
//! ([`Family::weight`]: random picks and double spins count less). An artifact's
//! originals are ranked by spin chance times the square root of the original's
//! count (a damped posterior: how likely that original is behind an occurrence of
//! the artifact), then by count, then alphabetically. The first [`MAX_ORIGINALS`]
//! originals are kept, and any function word below them (`person -> have`, the
//! sixth); the checker picks among them by context.
//!
//! A pair is dropped when it is not evidence of spinning: the artifact equals the
//! original or is not a single word, or the artifact is used, in a sense that
//! could stand for the original, at least [`COMMON_RATIO`] times as often as the
//! original is used at all (a shared WordNet synset weighted by its share of the
//! artifact's tagged uses: `simply -> just` and `inch -> in` go, `argue -> reason`
//! stays because `reason` is mostly a noun; for function-word artifacts, any
//! sense: `fire -> on` goes). Everything else stays, including common words such
//! as `connected`, `successful` or `interest`: deciding whether a given occurrence
//! is spun is the checker's job, by context.
//!
//! # Size
//!
//! With the default count threshold the file has about 19,000 artifact lines and
//! 42,000 pairs (a threshold of 5 gives 23,000 lines, 20 gives 16,000): every word
//! a spinner makes from a common news word is there, and one line per artifact
//! keeps it reviewable. `--explain WORD` shows how a line came about. Artifacts no
//! thesaurus explains are kept by hand in `dictionaries/spun-words-curated.tsv`.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use rustc_hash::{FxHashMap, FxHashSet};

/// Name of the generator on the `xtask` command line.
pub const GENERATOR: &str = "spun-words";
/// Path of the generated dictionary, relative to the repository root.
pub const OUTPUT_PATH: &str = "dictionaries/spun-words.tsv";
/// Where Debian's `wordnet-base` installs the WordNet 3.0 database.
pub const DEFAULT_WORDNET_DIR: &str = "/usr/share/wordnet";
/// Where Debian's `mythes-en-us` installs the LibreOffice English thesaurus.
pub const DEFAULT_MYTHES_FILE: &str = "/usr/share/mythes/th_en_US_v2.dat";
/// Unigram counts of clean English, relative to the repository root.
pub const DEFAULT_UNIGRAMS_PATH: &str = "dictionaries/model/unigrams.tsv";
/// Minimum unigram count for a content word to count as a plausible original.
pub const DEFAULT_MIN_COUNT: u64 = 10;
/// Synsets per part of speech that the `wn-senses` family looks at.
pub const SENSES_PER_POS: usize = 3;
/// Terms after the first that the `mythes-more` family takes from each sense.
pub const MYTHES_EXTRA_TERMS: usize = 2;
/// Originals kept per artifact.
pub const MAX_ORIGINALS: usize = 5;
/// A synonym this many times more frequent than its original is not evidence.
pub const COMMON_RATIO: u64 = 5;
/// Package names to install when the sources are missing.
pub const INSTALL_HINT: &str = "apt-get install wordnet-base mythes-en-us";

/// English function words, by class: always plausible originals, whatever their count.
pub const FUNCTION_WORDS: &[(&str, &str)] = &[
    (
        "prepositions",
        "aboard about above across after against along alongside amid amidst among \
         amongst around as at atop before behind below beneath beside besides between \
         beyond by concerning considering despite down during except following for from \
         in inside into like minus near of off on onto opposite out outside over past per \
         plus regarding round since than through throughout till to toward towards under \
         underneath unlike until up upon versus via with within without",
    ),
    (
        "conjunctions and subordinators",
        "and or nor so yet because although though if unless whether while whilst whereas \
         once that when whenever where wherever whereby lest",
    ),
    (
        "modals and auxiliaries",
        "can could may might must shall should will would ought be is am are was were \
         been being have has had having do does did done doing get gets got getting",
    ),
    (
        "determiners and quantifiers",
        "all another any both each either every few fewer less little many more most much \
         neither no other others own same several some such these this those what which \
         whose enough certain various",
    ),
    (
        "pronouns",
        "he she it we you they me him her us them my your his its our their mine yours \
         hers ours theirs myself yourself himself herself itself ourselves themselves who \
         whom one ones someone somebody something anyone anybody anything everyone \
         everybody everything nobody nothing none",
    ),
    (
        "adverbs a news writer leans on",
        "also just only still even already again ever never always often sometimes \
         usually now then there here very too quite rather almost nearly however \
         therefore thus instead perhaps maybe really well soon later earlier ago away \
         back far further together else how why otherwise meanwhile moreover indeed \
         particularly especially mostly largely mainly recently previously currently \
         finally simply exactly directly likely apparently reportedly first last next",
    ),
];

/// Words spinners leave alone (and the pronoun `I`, which is never lower case).
pub const UNSPUN_WORDS: &[&str] = &["a", "an", "the", "not", "but", "i"];

/// A thesaurus family that spinners are built on; the tag goes into `via=`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Family {
    /// The deterministic adjective-first WordNet rule.
    WordNetRule,
    /// First lemma of the first few synsets of every part of speech.
    WordNetSenses,
    /// First single-word term of every MyThes sense.
    MyThes,
    /// The next few plain synonyms of every MyThes sense.
    MyThesMore,
    /// Two single-choice spins in a row.
    TwoHop,
}

impl Family {
    /// All families, in the order their tags are written.
    pub const ALL: [Family; 5] = [
        Family::WordNetRule,
        Family::WordNetSenses,
        Family::MyThes,
        Family::MyThesMore,
        Family::TwoHop,
    ];

    /// The tag written in the `via=` attribute.
    pub fn tag(self) -> &'static str {
        match self {
            Family::WordNetRule => "wn-rule",
            Family::WordNetSenses => "wn-senses",
            Family::MyThes => "mythes",
            Family::MyThesMore => "mythes-more",
            Family::TwoHop => "two-hop",
        }
    }

    /// How common spinners of this family are, relative to the single-pick
    /// families: picking among further synonyms is rarer than taking the first,
    /// and spinning a text twice rarer still.
    pub fn weight(self) -> f64 {
        match self {
            Family::WordNetRule | Family::WordNetSenses | Family::MyThes => 1.0,
            Family::MyThesMore => 0.5,
            Family::TwoHop => 0.25,
        }
    }

    fn bit(self) -> u8 {
        1 << (self as u8)
    }
}

/// The repository root (the parent of the `xtask` crate).
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives inside the repository")
        .to_path_buf()
}

/// Where the generator reads its sources from.
#[derive(Debug, Clone)]
pub struct Sources {
    /// Directory with the WordNet 3.0 `data.*` and `index.*` files.
    pub wordnet_dir: PathBuf,
    /// The MyThes `.dat` thesaurus file.
    pub mythes_file: PathBuf,
    /// `word<TAB>count` unigram counts.
    pub unigrams_file: PathBuf,
    /// Minimum count for a content word to be a plausible original.
    pub min_count: u64,
}

impl Sources {
    /// The default sources, with repository-relative paths resolved against `repo_root`.
    pub fn defaults(repo_root: &Path) -> Self {
        Sources {
            wordnet_dir: PathBuf::from(DEFAULT_WORDNET_DIR),
            mythes_file: PathBuf::from(DEFAULT_MYTHES_FILE),
            unigrams_file: repo_root.join(DEFAULT_UNIGRAMS_PATH),
            min_count: DEFAULT_MIN_COUNT,
        }
    }

    /// True when the system thesauri (WordNet and MyThes) are there.
    pub fn thesauri_installed(&self) -> bool {
        ["data.noun", "index.noun", "cntlist.rev"]
            .iter()
            .all(|file| self.wordnet_dir.join(file).is_file())
            && self.mythes_file.is_file()
    }
}

/// Part of speech of a WordNet file pair, in the adjective-first order of the rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Pos {
    Adjective,
    Noun,
    Verb,
    Adverb,
}

impl Pos {
    /// The order of the `wn-rule` family.
    const ADJECTIVE_FIRST: [Pos; 4] = [Pos::Adjective, Pos::Noun, Pos::Verb, Pos::Adverb];
    /// WordNet's own order, used by the `wn-senses` family.
    const NOUN_FIRST: [Pos; 4] = [Pos::Noun, Pos::Verb, Pos::Adjective, Pos::Adverb];

    fn file_suffix(self) -> &'static str {
        match self {
            Pos::Adjective => "adj",
            Pos::Noun => "noun",
            Pos::Verb => "verb",
            Pos::Adverb => "adv",
        }
    }
}

/// One WordNet synset: its lemmas and, for adjectives, its "similar to" synsets.
#[derive(Debug, Default)]
struct Synset {
    /// Lemmas as written (case kept, underscores turned into spaces).
    lemmas: Vec<String>,
    /// Offsets of "similar to" (`&`) adjective synsets.
    similar: Vec<u32>,
}

/// The parts of WordNet 3.0 the spinner families need.
#[derive(Debug, Default)]
pub struct WordNet {
    synsets: FxHashMap<(Pos, u32), Synset>,
    /// Lower-case lemma -> synset offsets in sense order, per part of speech.
    index: FxHashMap<(String, Pos), Vec<u32>>,
    /// (lemma, part of speech, sense number from 1) -> times tagged in the
    /// semantic concordance (`cntlist.rev`): how often the lemma means that sense.
    tag_counts: FxHashMap<(String, Pos, usize), u32>,
}

impl WordNet {
    /// Reads the `data.*`, `index.*` and `cntlist.rev` files of a WordNet 3.0
    /// database directory.
    pub fn load(dir: &Path) -> io::Result<WordNet> {
        let mut wordnet = WordNet::default();
        for pos in Pos::ADJECTIVE_FIRST {
            let data_path = dir.join(format!("data.{}", pos.file_suffix()));
            for line in read_latin1(&data_path)?.lines() {
                if line.starts_with("  ") || line.is_empty() {
                    continue; // licence header
                }
                let (offset, synset) =
                    parse_data_line(line).ok_or_else(|| bad_line(&data_path, line))?;
                wordnet.synsets.insert((pos, offset), synset);
            }
            let index_path = dir.join(format!("index.{}", pos.file_suffix()));
            for line in read_latin1(&index_path)?.lines() {
                if line.starts_with("  ") || line.is_empty() {
                    continue;
                }
                let (lemma, offsets) =
                    parse_index_line(line).ok_or_else(|| bad_line(&index_path, line))?;
                wordnet.index.insert((lemma, pos), offsets);
            }
        }
        let counts_path = dir.join("cntlist.rev");
        for line in read_latin1(&counts_path)?.lines() {
            let (key, count) =
                parse_count_line(line).ok_or_else(|| bad_line(&counts_path, line))?;
            *wordnet.tag_counts.entry(key).or_default() += count;
        }
        Ok(wordnet)
    }

    fn senses(&self, form: &str, pos: Pos) -> impl Iterator<Item = &Synset> + '_ {
        self.index
            .get(&(form.to_string(), pos))
            .into_iter()
            .flatten()
            .filter_map(move |offset| self.synsets.get(&(pos, *offset)))
    }

    /// True when `form` is in WordNet only as a capitalised lemma ("London",
    /// "American"): a name, which text never has in lower case.
    fn only_capitalised(&self, form: &str) -> bool {
        let mut lemmas = Pos::ADJECTIVE_FIRST
            .into_iter()
            .flat_map(|pos| self.senses(form, pos))
            .flat_map(|synset| synset.lemmas.iter())
            .filter(|lemma| lemma.eq_ignore_ascii_case(form))
            .peekable();
        lemmas.peek().is_some() && lemmas.all(|lemma| lemma != form)
    }

    /// The pick of a synset for `form`: its first other single-word lemma, or for an
    /// adjective synset without one, the alphabetically first single-word lemma of
    /// its "similar to" synsets.
    fn pick_from(&self, synset: &Synset, form: &str, pos: Pos) -> Option<String> {
        if let Some(lemma) = synset
            .lemmas
            .iter()
            .find_map(|l| other_single_word(l, form))
        {
            return Some(lemma);
        }
        if pos != Pos::Adjective {
            return None;
        }
        synset
            .similar
            .iter()
            .filter_map(|offset| self.synsets.get(&(Pos::Adjective, *offset)))
            .flat_map(|similar| similar.lemmas.iter())
            .filter_map(|l| other_single_word(l, form))
            .min()
    }

    /// The `wn-rule` family: one replacement, adjective senses first.
    pub(crate) fn rule_pick(&self, form: &str) -> Option<String> {
        Pos::ADJECTIVE_FIRST.into_iter().find_map(|pos| {
            self.senses(form, pos)
                .find_map(|synset| self.pick_from(synset, form, pos))
        })
    }

    /// The `wn-senses` family: one pick per leading synset of every part of speech.
    pub(crate) fn sense_picks(&self, form: &str) -> Vec<String> {
        Pos::NOUN_FIRST
            .into_iter()
            .flat_map(|pos| {
                self.senses(form, pos)
                    .take(SENSES_PER_POS)
                    .filter_map(move |synset| self.pick_from(synset, form, pos))
            })
            .collect()
    }

    /// The share of `word`'s uses in senses where `synonym` is a lemma of the same
    /// synset, estimated from the semantic-concordance tag counts (add-one smoothed
    /// over all senses of `word`); 0 when the two share no synset.
    fn synonymous_share(&self, word: &str, synonym: &str) -> f64 {
        let mut shared = 0.0;
        let mut total = 0.0;
        for pos in Pos::ADJECTIVE_FIRST {
            for (sense, synset) in self.senses(word, pos).enumerate() {
                let tagged = self
                    .tag_counts
                    .get(&(word.to_string(), pos, sense + 1))
                    .copied()
                    .unwrap_or(0);
                let weight = f64::from(tagged) + 1.0;
                total += weight;
                if synset
                    .lemmas
                    .iter()
                    .any(|l| l.eq_ignore_ascii_case(synonym))
                {
                    shared += weight;
                }
            }
        }
        if total == 0.0 {
            0.0
        } else {
            shared / total
        }
    }
}

/// Parses a `data.*` line: offset, lemmas and "similar to" pointers.
fn parse_data_line(line: &str) -> Option<(u32, Synset)> {
    let fields = line.split(" | ").next()?;
    let mut tokens = fields.split_ascii_whitespace();
    let offset = tokens.next()?.parse().ok()?;
    let _lex_file = tokens.next()?;
    let _synset_type = tokens.next()?;
    let word_count = usize::from_str_radix(tokens.next()?, 16).ok()?;
    let mut synset = Synset::default();
    for _ in 0..word_count {
        let word = tokens.next()?;
        let _lex_id = tokens.next()?;
        // Adjectives may carry a syntactic marker: "in(p)", "such(a)", "galore(ip)".
        let word = word.split('(').next()?;
        synset.lemmas.push(word.replace('_', " "));
    }
    let pointer_count: usize = tokens.next()?.parse().ok()?;
    for _ in 0..pointer_count {
        let symbol = tokens.next()?;
        let target = tokens.next()?.parse().ok()?;
        let target_pos = tokens.next()?;
        let _source_target = tokens.next()?;
        if symbol == "&" && (target_pos == "a" || target_pos == "s") {
            synset.similar.push(target);
        }
    }
    Some((offset, synset))
}

/// Parses a `cntlist.rev` line: `lemma%ss_type:... sense_number tag_count`.
fn parse_count_line(line: &str) -> Option<((String, Pos, usize), u32)> {
    let mut tokens = line.split_ascii_whitespace();
    let sense_key = tokens.next()?;
    let sense_number = tokens.next()?.parse().ok()?;
    let count = tokens.next()?.parse().ok()?;
    let (lemma, rest) = sense_key.split_once('%')?;
    let pos = match rest.as_bytes().first()? {
        b'1' => Pos::Noun,
        b'2' => Pos::Verb,
        b'3' | b'5' => Pos::Adjective,
        b'4' => Pos::Adverb,
        _ => return None,
    };
    Some(((lemma.replace('_', " "), pos, sense_number), count))
}

/// Parses an `index.*` line: the lemma and its synset offsets in sense order.
fn parse_index_line(line: &str) -> Option<(String, Vec<u32>)> {
    let tokens: Vec<&str> = line.split_ascii_whitespace().collect();
    let lemma = tokens.first()?.replace('_', " ");
    let synset_count: usize = tokens.get(2)?.parse().ok()?;
    let pointer_count: usize = tokens.get(3)?.parse().ok()?;
    // lemma pos synset_cnt p_cnt [ptr_symbol...] sense_cnt tagsense_cnt offsets...
    let first_offset = 4 + pointer_count + 2;
    let offsets = tokens
        .get(first_offset..first_offset + synset_count)?
        .iter()
        .map(|t| t.parse().ok())
        .collect::<Option<Vec<u32>>>()?;
    Some((lemma, offsets))
}

/// One term of a MyThes sense.
#[derive(Debug)]
pub(crate) struct Term {
    /// The term with its label ("(generic term)" ...) removed.
    pub(crate) text: String,
    /// True for a plain synonym, false for a generic, similar or related term.
    pub(crate) plain: bool,
}

/// The LibreOffice English thesaurus: entry -> senses -> terms (antonyms dropped).
#[derive(Debug, Default)]
pub struct MyThes {
    entries: FxHashMap<String, Vec<Vec<Term>>>,
}

impl MyThes {
    /// Reads a MyThes `.dat` file (first line: its encoding; then `word|count`
    /// followed by `count` lines `(pos)|term|term...`).
    pub fn load(path: &Path) -> io::Result<MyThes> {
        let bytes = read_bytes(path)?;
        let first_line_end = bytes
            .iter()
            .position(|&b| b == b'\n')
            .unwrap_or(bytes.len());
        let encoding = String::from_utf8_lossy(&bytes[..first_line_end])
            .trim()
            .to_ascii_uppercase();
        let text = match encoding.as_str() {
            "UTF-8" | "UTF8" => String::from_utf8(bytes)
                .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?,
            "ISO8859-1" | "ISO-8859-1" | "LATIN1" => bytes.iter().map(|&b| b as char).collect(),
            other => {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!("{}: unsupported encoding {other:?}", path.display()),
                ))
            }
        };
        let mut thesaurus = MyThes::default();
        let mut lines = text.lines().skip(1);
        while let Some(line) = lines.next() {
            if line.is_empty() {
                continue;
            }
            let (entry, count) = line.rsplit_once('|').ok_or_else(|| bad_line(path, line))?;
            let count: usize = count.parse().map_err(|_| bad_line(path, line))?;
            let mut senses = Vec::with_capacity(count);
            for _ in 0..count {
                let sense_line = lines.next().ok_or_else(|| bad_line(path, line))?;
                let terms = sense_line
                    .split('|')
                    .skip(1) // "(noun)"
                    .filter(|t| !t.ends_with("(antonym)"))
                    .map(parse_term)
                    .collect();
                senses.push(terms);
            }
            thesaurus.entries.insert(entry.to_string(), senses);
        }
        Ok(thesaurus)
    }

    fn senses(&self, form: &str) -> &[Vec<Term>] {
        self.entries.get(form).map(Vec::as_slice).unwrap_or(&[])
    }

    /// The terms of each sense of `form` other than `form` itself, in order.
    pub(crate) fn sense_terms<'a>(
        &'a self,
        form: &'a str,
    ) -> impl Iterator<Item = Vec<&'a Term>> + 'a {
        self.senses(form).iter().map(move |terms| {
            terms
                .iter()
                .filter(|t| !t.text.eq_ignore_ascii_case(form))
                .collect()
        })
    }
}

fn parse_term(raw: &str) -> Term {
    for label in [" (generic term)", " (similar term)", " (related term)"] {
        if let Some(text) = raw.strip_suffix(label) {
            return Term {
                text: text.to_string(),
                plain: false,
            };
        }
    }
    Term {
        text: raw.to_string(),
        plain: true,
    }
}

/// Word counts of clean English.
#[derive(Debug, Default)]
pub struct Unigrams {
    counts: FxHashMap<String, u64>,
}

impl Unigrams {
    /// Reads `word<TAB>count` lines; lines starting with `#` are headers.
    pub fn load(path: &Path) -> io::Result<Unigrams> {
        let text = String::from_utf8(read_bytes(path)?).map_err(|e| {
            io::Error::new(
                io::ErrorKind::InvalidData,
                format!("{}: {e}", path.display()),
            )
        })?;
        let mut counts = FxHashMap::default();
        for line in text.lines() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let (word, count) = line.split_once('\t').ok_or_else(|| bad_line(path, line))?;
            let count = count.trim().parse().map_err(|_| bad_line(path, line))?;
            counts.insert(word.to_string(), count);
        }
        Ok(Unigrams { counts })
    }

    /// The count of `word`, 0 when unseen.
    pub fn count(&self, word: &str) -> u64 {
        self.counts.get(word).copied().unwrap_or(0)
    }
}

/// `lemma` lower-cased, when it is a single word of letters other than `form`.
fn other_single_word(lemma: &str, form: &str) -> Option<String> {
    let lower = lemma.to_lowercase();
    (lower != form && is_single_word(&lower)).then_some(lower)
}

/// True when the checker's tokenizer sees `text` as exactly one word of letters.
pub(crate) fn is_single_word(text: &str) -> bool {
    let mut words = unspun::text::words(text);
    match (words.next(), words.next()) {
        (Some(word), None) => {
            word.text.len() == text.len() && word.text.chars().all(char::is_alphabetic)
        }
        _ => false,
    }
}

/// The single-choice spins the `two-hop` family chains: the `wn-rule` pick, then
/// the first single-word term of the first MyThes sense.
fn single_choice_picks(form: &str, wordnet: &WordNet, mythes: &MyThes) -> Vec<String> {
    let rule = wordnet.rule_pick(form);
    let first_synonym = mythes.sense_terms(form).next().and_then(|terms| {
        terms
            .into_iter()
            .find(|t| is_single_word(&t.text))
            .map(|t| t.text.to_lowercase())
    });
    let mut picks = Vec::with_capacity(2);
    for pick in rule.into_iter().chain(first_synonym) {
        if pick != form && is_single_word(&pick) && !picks.contains(&pick) {
            picks.push(pick);
        }
    }
    picks
}

/// Every artifact the simulated spinners make from `form`, with the family that
/// makes it; a family may repeat an artifact (one per sense that yields it).
fn spins_of(form: &str, wordnet: &WordNet, mythes: &MyThes) -> Vec<(String, Family)> {
    let mut spins = Vec::new();
    let mut push = |artifact: String, family| {
        if artifact != form && is_single_word(&artifact) {
            spins.push((artifact, family));
        }
    };
    if let Some(pick) = wordnet.rule_pick(form) {
        push(pick, Family::WordNetRule);
    }
    for pick in wordnet.sense_picks(form) {
        push(pick, Family::WordNetSenses);
    }
    for terms in mythes.sense_terms(form) {
        // One-for-one spinners skip multi-word terms: `border -> borderline`
        // rather than `boundary line`, `administration -> medication`.
        let mut terms = terms.into_iter().filter(|t| is_single_word(&t.text));
        if let Some(first) = terms.next() {
            push(first.text.to_lowercase(), Family::MyThes);
        }
        // Spinners choosing among several synonyms draw from the plain synonyms,
        // which MyThes lists before any labelled (generic, similar) term.
        for more in terms.filter(|t| t.plain).take(MYTHES_EXTRA_TERMS) {
            push(more.text.to_lowercase(), Family::MyThesMore);
        }
    }
    for middle in single_choice_picks(form, wordnet, mythes) {
        for artifact in single_choice_picks(&middle, wordnet, mythes) {
            push(artifact, Family::TwoHop);
        }
    }
    spins
}

/// Every word of [`FUNCTION_WORDS`].
fn function_words() -> impl Iterator<Item = &'static str> {
    FUNCTION_WORDS
        .iter()
        .flat_map(|(_, words)| words.split_ascii_whitespace())
}

/// The plausible originals: function words plus frequent alphabetic words that
/// are written in lower case (`is_name` tells the names: `london` is counted,
/// but "London" is never spun).
fn plausible_originals(
    unigrams: &Unigrams,
    min_count: u64,
    is_name: impl Fn(&str) -> bool,
) -> BTreeSet<String> {
    let unspun: FxHashSet<&str> = UNSPUN_WORDS.iter().copied().collect();
    let frequent = unigrams
        .counts
        .iter()
        .filter(|(word, count)| **count >= min_count && word.len() >= 2)
        .map(|(word, _)| word.as_str())
        .filter(|word| word.chars().all(|c| c.is_ascii_lowercase()) && !is_name(word));
    let mut originals: BTreeSet<String> = function_words().map(str::to_string).collect();
    originals.extend(frequent.map(str::to_string));
    originals.retain(|word| !unspun.contains(word.as_str()));
    originals
}

/// Evidence for one (artifact, original) pair.
#[derive(Debug, Clone, Copy, Default)]
struct PairEvidence {
    /// Bit set of [`Family::bit`].
    families: u8,
    /// Chance that a spinner drawn from the families (in proportion to
    /// [`Family::weight`]) turns the original into the artifact, each family
    /// picking uniformly among its distinct candidates for that original.
    spin_chance: f64,
}

/// Counts reported in the file header.
#[derive(Debug, Default, Clone)]
struct Stats {
    /// Plausible originals looked up.
    originals: usize,
    /// Artifact lines written.
    artifacts: usize,
    /// (artifact, original) pairs written.
    pairs: usize,
    /// Pairs dropped because the artifact is too common to show a spin.
    dropped_too_common: usize,
    /// Per family: pairs it produces, and lines whose top original it produces.
    per_family: Vec<(Family, usize, usize)>,
}

/// The simulated spins of every plausible original, before inversion.
struct Spins {
    wordnet: WordNet,
    unigrams: Unigrams,
    function_words: FxHashSet<&'static str>,
    originals: BTreeSet<String>,
    /// artifact -> original -> evidence.
    pairs: BTreeMap<String, BTreeMap<String, PairEvidence>>,
}

impl Spins {
    fn collect(sources: &Sources) -> io::Result<Spins> {
        let wordnet = WordNet::load(&sources.wordnet_dir)?;
        let mythes = MyThes::load(&sources.mythes_file)?;
        let unigrams = Unigrams::load(&sources.unigrams_file)?;
        let is_name = |word: &str| wordnet.only_capitalised(word);
        let originals = plausible_originals(&unigrams, sources.min_count, is_name);
        let mut pairs: BTreeMap<String, BTreeMap<String, PairEvidence>> = BTreeMap::new();
        let total_weight: f64 = Family::ALL.iter().map(|f| f.weight()).sum();
        for original in &originals {
            let spins = spins_of(original, &wordnet, &mythes);
            let distinct: BTreeSet<(Family, &str)> = spins
                .iter()
                .map(|(artifact, family)| (*family, artifact.as_str()))
                .collect();
            let candidates = |family: Family| distinct.iter().filter(|(f, _)| *f == family).count();
            for (family, artifact) in &distinct {
                let evidence = pairs
                    .entry(artifact.to_string())
                    .or_default()
                    .entry(original.clone())
                    .or_default();
                evidence.families |= family.bit();
                evidence.spin_chance +=
                    family.weight() / (candidates(*family) as f64 * total_weight);
            }
        }
        Ok(Spins {
            wordnet,
            function_words: function_words().collect(),
            unigrams,
            originals,
            pairs,
        })
    }

    /// True when `artifact` would not show that `original` was spun, because
    /// it is used, in a sense that could stand for `original`, so much more often
    /// than `original` is used at all that a writer could have chosen it. Such a
    /// sense is a synset the two share (`simply -> just`, `inch -> in`; but
    /// `argue -> reason` stays, `reason` is mostly a noun), or any sense at all
    /// when the artifact is a function word (`fire -> on`, `leave -> will`):
    /// nothing about a common function word in a sentence can point to a spin.
    fn is_not_evidence(&self, artifact: &str, original: &str) -> bool {
        let share = if self.function_words.contains(artifact) {
            1.0
        } else {
            self.wordnet.synonymous_share(artifact, original)
        };
        let uses_in_shared_sense = self.unigrams.count(artifact) as f64 * share;
        let original_uses = self.unigrams.count(original).max(1) as f64;
        share > 0.0 && uses_in_shared_sense >= COMMON_RATIO as f64 * original_uses
    }

    /// How likely `original` is behind an occurrence of the artifact: the chance
    /// that a spinner turns `original` into it, times the square root of how
    /// common `original` is. A full frequency prior would let `the`-like words
    /// win every weak two-hop path; no prior would let rare words with one
    /// thesaurus entry outrank the common word the artifact is known for.
    fn score(&self, original: &str, evidence: &PairEvidence) -> f64 {
        evidence.spin_chance * (self.unigrams.count(original).max(1) as f64).sqrt()
    }

    /// All originals of `artifact` that are evidence, best first (not truncated).
    fn ranked_originals(&self, artifact: &str) -> Vec<(&str, PairEvidence)> {
        let Some(by_original) = self.pairs.get(artifact) else {
            return Vec::new();
        };
        let mut ranked: Vec<(&str, PairEvidence)> = by_original
            .iter()
            .filter(|(original, _)| !self.is_not_evidence(artifact, original))
            .map(|(original, evidence)| (original.as_str(), *evidence))
            .collect();
        ranked.sort_by(|(a, ea), (b, eb)| {
            self.score(b, eb)
                .total_cmp(&self.score(a, ea))
                .then(self.unigrams.count(b).cmp(&self.unigrams.count(a)))
                .then(a.cmp(b))
        });
        ranked
    }

    /// Cuts `ranked` to the first [`MAX_ORIGINALS`] originals, plus every
    /// function-word original further down. A function word is what spinners
    /// replace most often, so even a pair that is rare among its senses is
    /// common in spun text (`have -> person`, sixth for "person"); the checker
    /// tells it apart by context.
    fn keep_best(&self, ranked: &mut Vec<(&str, PairEvidence)>) {
        let mut position = 0;
        ranked.retain(|(original, _)| {
            position += 1;
            self.is_kept(position - 1, original)
        });
    }

    /// Whether the original at `position` (from 0) of a ranked list is kept.
    fn is_kept(&self, position: usize, original: &str) -> bool {
        position < MAX_ORIGINALS || self.function_words.contains(original)
    }

    /// A human-readable account of how `artifact` is produced, for tuning.
    fn explain(&self, artifact: &str) -> String {
        let mut out = format!("{artifact} (count {})\n", self.unigrams.count(artifact));
        let Some(by_original) = self.pairs.get(artifact) else {
            out.push_str("  produced from no plausible original\n");
            return out;
        };
        let ranked = self.ranked_originals(artifact);
        let describe = |original: &str, evidence: &PairEvidence| {
            let tags: Vec<&str> = Family::ALL
                .iter()
                .filter(|f| evidence.families & f.bit() != 0)
                .map(|f| f.tag())
                .collect();
            format!(
                "{original} (count {}, chance {:.3}, score {:.3}, via {})",
                self.unigrams.count(original),
                evidence.spin_chance,
                self.score(original, evidence),
                tags.join(",")
            )
        };
        for (position, (original, evidence)) in ranked.iter().enumerate() {
            let kept = if self.is_kept(position, original) {
                "kept"
            } else {
                "cut"
            };
            let _ = writeln!(out, "  {kept}: {}", describe(original, evidence));
        }
        for (original, evidence) in by_original {
            if self.is_not_evidence(artifact, original) {
                let _ = writeln!(
                    out,
                    "  dropped, too common to show a spin: {}",
                    describe(original, evidence)
                );
            }
        }
        out
    }
}

/// Generates the dictionary text and its statistics.
fn generate_with_stats(sources: &Sources) -> io::Result<(String, Stats)> {
    let spins = Spins::collect(sources)?;
    let mut stats = Stats {
        originals: spins.originals.len(),
        per_family: Family::ALL.iter().map(|f| (*f, 0, 0)).collect(),
        ..Stats::default()
    };
    let mut body = String::new();
    for (artifact, by_original) in &spins.pairs {
        let mut ranked = spins.ranked_originals(artifact);
        stats.dropped_too_common += by_original.len() - ranked.len();
        if ranked.is_empty() {
            continue;
        }
        spins.keep_best(&mut ranked);
        let via: u8 = ranked.iter().fold(0, |acc, (_, e)| acc | e.families);
        for (family, produced, top) in &mut stats.per_family {
            *produced += ranked
                .iter()
                .filter(|(_, e)| e.families & family.bit() != 0)
                .count();
            if ranked[0].1.families & family.bit() != 0 {
                *top += 1;
            }
        }
        stats.artifacts += 1;
        stats.pairs += ranked.len();
        let originals: Vec<&str> = ranked.iter().map(|(o, _)| *o).collect();
        let tags: Vec<&str> = Family::ALL
            .iter()
            .filter(|f| via & f.bit() != 0)
            .map(|f| f.tag())
            .collect();
        let _ = writeln!(
            body,
            "{artifact}\t{}\tvia={}",
            originals.join("|"),
            tags.join(",")
        );
    }

    let mut out = String::new();
    out.push_str("#! name: spun-words\n");
    out.push_str("#! kind: spun-word\n");
    out.push_str(
        "#! source: WordNet 3.0 (Princeton University); LibreOffice English thesaurus \
         th_en_US_v2 (MyThes); unigram counts dictionaries/model/unigrams.tsv\n",
    );
    out.push_str(
        "#! licence: WordNet 3.0 licence (permissive, Princeton University); \
         LibreOffice English dictionaries licence (permissive, see the Debian \
         mythes-en-us copyright file)\n",
    );
    out.push_str("#! generator: cargo run -p xtask -- spun-words\n");
    out.push_str("# Words a thesaurus spinner produces from common English words, with the\n");
    out.push_str("# words they replace, best first. Do not edit: regenerate instead, and put\n");
    out.push_str("# hand-found artifacts into spun-words-curated.tsv.\n");
    let _ = writeln!(
        out,
        "# {} originals, {} artifacts, {} pairs; {} pairs dropped as too common to show a spin.",
        stats.originals, stats.artifacts, stats.pairs, stats.dropped_too_common
    );
    out.push_str("# family: pairs produced, artifacts whose first original it produces\n");
    for (family, produced, top) in &stats.per_family {
        let _ = writeln!(out, "#   {}: {produced}, {top}", family.tag());
    }
    out.push_str(&body);
    Ok((out, stats))
}

/// Generates the dictionary text.
pub fn generate(sources: &Sources) -> io::Result<String> {
    generate_with_stats(sources).map(|(text, _)| text)
}

/// The `spun-words` command: writes the dictionary, or with `--check` compares it.
///
/// Flags: `--wordnet DIR`, `--mythes FILE`, `--unigrams FILE`, `--min-count N`,
/// `--output FILE`, `--check`, `--explain ARTIFACT` (prints how an artifact is
/// produced and ranked, instead of writing). Returns the process exit code.
pub fn run(args: &[String]) -> i32 {
    let repo_root = repo_root();
    let mut sources = Sources::defaults(&repo_root);
    let mut output = repo_root.join(OUTPUT_PATH);
    let mut check = false;
    let mut explain = Vec::new();
    let mut args = args.iter();
    while let Some(flag) = args.next() {
        if flag == "--check" {
            check = true;
            continue;
        }
        if flag == "--help" || flag == "-h" {
            return usage("");
        }
        let Some(value) = args.next() else {
            return usage(&format!("{flag} needs a value, or is unknown"));
        };
        match flag.as_str() {
            "--wordnet" => sources.wordnet_dir = PathBuf::from(value),
            "--mythes" => sources.mythes_file = PathBuf::from(value),
            "--unigrams" => sources.unigrams_file = PathBuf::from(value),
            "--output" => output = PathBuf::from(value),
            "--min-count" => match value.parse() {
                Ok(n) => sources.min_count = n,
                Err(_) => return usage("--min-count needs a number"),
            },
            "--explain" => explain.push(value.to_lowercase()),
            other => return usage(&format!("unknown option {other}")),
        }
    }
    if !sources.thesauri_installed() {
        eprintln!(
            "{GENERATOR}: WordNet or MyThes not found ({}, {}); install them with {INSTALL_HINT}",
            sources.wordnet_dir.display(),
            sources.mythes_file.display()
        );
        return 1;
    }
    if !explain.is_empty() {
        return match Spins::collect(&sources) {
            Ok(spins) => {
                explain
                    .iter()
                    .for_each(|word| print!("{}", spins.explain(word)));
                0
            }
            Err(e) => {
                eprintln!("{GENERATOR}: {e}");
                1
            }
        };
    }
    let text = match generate(&sources) {
        Ok(text) => text,
        Err(e) => {
            eprintln!("{GENERATOR}: {e}");
            return 1;
        }
    };
    if check {
        let committed = fs::read_to_string(&output).unwrap_or_default();
        if committed != text {
            eprintln!(
                "{GENERATOR}: {} is out of date; run cargo run -p xtask -- {GENERATOR}",
                output.display()
            );
            return 1;
        }
        eprintln!("{GENERATOR}: {} is up to date", output.display());
        return 0;
    }
    if let Some(parent) = output.parent() {
        if let Err(e) = fs::create_dir_all(parent) {
            eprintln!("{GENERATOR}: {}: {e}", parent.display());
            return 1;
        }
    }
    if let Err(e) = fs::write(&output, &text) {
        eprintln!("{GENERATOR}: {}: {e}", output.display());
        return 1;
    }
    let artifacts = text.lines().filter(|l| !l.starts_with('#')).count();
    eprintln!(
        "{GENERATOR}: wrote {} ({artifacts} artifacts)",
        output.display()
    );
    0
}

fn usage(problem: &str) -> i32 {
    if !problem.is_empty() {
        eprintln!("{GENERATOR}: {problem}");
    }
    eprintln!(
        "usage: cargo run -p xtask -- {GENERATOR} [--wordnet DIR] [--mythes FILE] \
         [--unigrams FILE] [--min-count N] [--output FILE] [--check] [--explain ARTIFACT]...\n\
         defaults: --wordnet {DEFAULT_WORDNET_DIR} --mythes {DEFAULT_MYTHES_FILE} \
         --unigrams {DEFAULT_UNIGRAMS_PATH} --min-count {DEFAULT_MIN_COUNT} --output {OUTPUT_PATH}"
    );
    2
}

/// Reads a file whose bytes are ASCII or Latin-1 (WordNet's database files).
fn read_latin1(path: &Path) -> io::Result<String> {
    let bytes = read_bytes(path)?;
    Ok(match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => e.into_bytes().iter().map(|&b| b as char).collect(),
    })
}

/// Reads a file, naming it in the error.
fn read_bytes(path: &Path) -> io::Result<Vec<u8>> {
    fs::read(path).map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", path.display())))
}

fn bad_line(path: &Path, line: &str) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        format!("{}: cannot parse line {line:?}", path.display()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_line_keeps_lemmas_without_markers_and_similar_pointers() {
        let line = "02332205 00 s 01 in(p) 0 001 & 02331263 a 0000 | holding office";
        let (offset, synset) = parse_data_line(line).unwrap();
        assert_eq!(offset, 2332205);
        assert_eq!(synset.lemmas, ["in"]);
        assert_eq!(synset.similar, [2331263]);
    }

    #[test]
    fn data_line_turns_underscores_into_spaces() {
        let line =
            "14641223 27 n 03 indium 0 In 0 atomic_number_49 0 001 @ 14625458 n 0000 | a metal";
        let (_, synset) = parse_data_line(line).unwrap();
        assert_eq!(synset.lemmas, ["indium", "In", "atomic number 49"]);
        assert!(synset.similar.is_empty());
    }

    #[test]
    fn index_line_lists_offsets_in_sense_order() {
        let line = "in n 3 5 @ #s #p %p ; 3 1 13649791 14641223 09084750  ";
        let (lemma, offsets) = parse_index_line(line).unwrap();
        assert_eq!(lemma, "in");
        assert_eq!(offsets, [13649791, 14641223, 9084750]);
    }

    #[test]
    fn mythes_labels_are_stripped_and_marked_not_plain() {
        let term = parse_term("location (generic term)");
        assert_eq!(term.text, "location");
        assert!(!term.plain);
        assert!(parse_term("arsenic").plain);
    }

    #[test]
    fn single_words_are_letters_only_and_one_token() {
        assert!(is_single_word("arsenic"));
        assert!(!is_single_word("tin can"));
        assert!(!is_single_word("a-one"));
        assert!(!is_single_word("u.s."));
        assert!(!is_single_word("49ers"));
    }

    #[test]
    fn unspun_words_are_never_originals() {
        let unigrams = Unigrams {
            counts: [("the", 100), ("on", 50), ("rare", 1)]
                .into_iter()
                .map(|(w, c)| (w.to_string(), c))
                .collect(),
        };
        let originals = plausible_originals(&unigrams, 10, |word| word == "london");
        assert!(originals.contains("on"));
        assert!(!originals.contains("the"));
        assert!(!originals.contains("rare"));
        assert!(
            originals.contains("despite"),
            "function words need no count"
        );
    }
}
