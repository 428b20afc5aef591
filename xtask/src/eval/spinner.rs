//! The test spinner: makes labelled spun text from clean text, the way real
//! article spinners behave, so that recall, precision and fix accuracy can be
//! measured where every substitution is known.
//!
//! A testing tool, not a user feature. The classic spinner (the one the
//! default weights were tuned with) models:
//! - several thesaurus families, one per document: the WordNet rule, the first
//!   WordNet sense in noun-first order (`in -> indiana`), the first MyThes
//!   synonym (`on -> connected`), and a random pick among MyThes's leading
//!   synonyms;
//! - exact, case-sensitive lookup: capitalised words are never changed;
//! - a stoplist (`a`, `the`, `not`, `but`, ...);
//! - one fixed replacement per word within a document, though not every
//!   occurrence is spun;
//! - spin rates from 10 % to 60 % of the spinnable words;
//! - double spinning: a second pass over the spun text with another family.
//!
//! The broader family ([`STYLES`]) adds what other spinners do: capitalised
//! words at sentence starts ("Despite" -> "Contempt"), multi-word synonyms
//! both as artifacts ("lead" -> "atomic number 82") and as originals ("prime
//! minister" -> "premier"), number words both ways, also inside version
//! strings ("1.3" -> "1.three"), a random sense of a random thesaurus entry
//! instead of the first, and two passes over every document.

use crate::spun_words::{is_single_word, MyThes, WordNet, UNSPUN_WORDS};
use rustc_hash::FxHashMap;

/// A small seeded random generator (xorshift64*), so that every run of the
/// harness makes the same documents.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator from a seed (any value but zero works; zero is remapped).
    pub fn new(seed: u64) -> Self {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A float in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// An index in 0..n.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }
}

/// Which thesaurus a simulated spinner uses and how it picks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// The deterministic WordNet rule (adjective first, first other lemma).
    WordNetRule,
    /// WordNet in its own sense order, noun first, first other lemma.
    WordNetNounFirst,
    /// The first single-word synonym of the first MyThes sense.
    MyThesFirst,
    /// A random pick among the first MyThes sense's leading plain synonyms.
    MyThesRandom,
    /// A random one of WordNet's leading senses of each part of speech.
    WordNetRandomSense,
    /// A random term of a random MyThes sense.
    MyThesRandomSense,
}

impl Family {
    /// The classic spinner's families.
    pub const ALL: [Family; 4] = [
        Family::WordNetRule,
        Family::WordNetNounFirst,
        Family::MyThesFirst,
        Family::MyThesRandom,
    ];

    /// The families that pick a random sense.
    pub const RANDOM_SENSES: [Family; 2] = [Family::WordNetRandomSense, Family::MyThesRandomSense];
}

/// How a spinner treats the text beyond its thesaurus: one member of the
/// spinner family the harness reports on.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Style {
    /// Name in the report.
    pub name: &'static str,
    /// Also spins capitalised words at sentence starts, keeping the capital.
    pub capitals: bool,
    /// Takes multi-word synonyms and spins multi-word thesaurus entries.
    pub multiword: bool,
    /// Swaps number words and digits ("one" <-> "1", "3" -> "three").
    pub numbers: bool,
    /// Picks a random sense and term instead of the first.
    pub random_senses: bool,
    /// Share of documents spun a second time over the first pass's output.
    pub twice_share: f64,
}

/// The spinner the default weights were tuned with.
pub const CLASSIC: Style = Style {
    name: "classic",
    capitals: false,
    multiword: false,
    numbers: false,
    random_senses: false,
    twice_share: 0.25,
};

/// The spinner family the harness reports on: the classic spinner and one
/// member per behaviour it lacks, then all behaviours at once.
pub const STYLES: [Style; 7] = [
    CLASSIC,
    Style {
        name: "sentence starts",
        capitals: true,
        ..CLASSIC
    },
    Style {
        name: "multi-word",
        multiword: true,
        ..CLASSIC
    },
    Style {
        name: "number words",
        numbers: true,
        ..CLASSIC
    },
    Style {
        name: "random senses",
        random_senses: true,
        ..CLASSIC
    },
    Style {
        name: "two passes",
        twice_share: 1.0,
        ..CLASSIC
    },
    Style {
        name: "all of them",
        capitals: true,
        multiword: true,
        numbers: true,
        random_senses: true,
        twice_share: 0.5,
    },
];

impl Style {
    /// The families a document's passes draw from.
    pub fn families(&self) -> &'static [Family] {
        if self.random_senses {
            &Family::RANDOM_SENSES
        } else {
            &Family::ALL
        }
    }
}

/// Number words a number-word spinner swaps with digits, by value.
const NUMBER_WORDS: [&str; 11] = [
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
];

/// Longest multi-word original looked up, in words.
const LONGEST_PHRASE: usize = 3;

/// One substitution the spinner made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Substitution {
    /// Byte offset of the artifact in the spun text.
    pub start: usize,
    /// The artifact as written in the spun text (one word or several).
    pub artifact: String,
    /// The text of the clean document it replaced, as written there.
    pub original: String,
}

/// A spun document with its labels.
#[derive(Debug, Clone)]
pub struct SpunText {
    /// The spun text.
    pub text: String,
    /// Every substitution, in text order.
    pub substitutions: Vec<Substitution>,
}

/// Where one substitution of a pass came from: its byte range in the pass's
/// input.
#[derive(Debug, Clone, Copy)]
struct Source {
    start: usize,
    end: usize,
}

/// The spinner's thesauri.
pub struct Spinner<'a> {
    wordnet: &'a WordNet,
    mythes: &'a MyThes,
}

impl<'a> Spinner<'a> {
    /// A spinner over the loaded thesauri.
    pub fn new(wordnet: &'a WordNet, mythes: &'a MyThes) -> Self {
        Spinner { wordnet, mythes }
    }

    /// True when `form` (lower case, one word or several) is a thesaurus entry.
    fn is_entry(&self, form: &str) -> bool {
        self.mythes.sense_terms(form).next().is_some() || self.wordnet.rule_pick(form).is_some()
    }

    /// What `family` turns the lower-case `form` into, if anything; multi-word
    /// synonyms only under a multi-word `style`.
    fn pick(&self, family: Family, style: &Style, form: &str, rng: &mut Rng) -> Option<String> {
        let fits = |t: &str| is_single_word(t) || (style.multiword && is_phrase(t));
        let pick = match family {
            Family::WordNetRule => self.wordnet.rule_pick(form),
            Family::WordNetNounFirst => self.wordnet.sense_picks(form).into_iter().next(),
            Family::MyThesFirst => self.mythes.sense_terms(form).next().and_then(|terms| {
                terms
                    .into_iter()
                    .find(|t| fits(&t.text))
                    .map(|t| t.text.to_lowercase())
            }),
            Family::MyThesRandom => self.mythes.sense_terms(form).next().and_then(|terms| {
                let plain: Vec<String> = terms
                    .into_iter()
                    .filter(|t| t.plain && fits(&t.text))
                    .take(4)
                    .map(|t| t.text.to_lowercase())
                    .collect();
                (!plain.is_empty()).then(|| plain[rng.below(plain.len())].clone())
            }),
            Family::WordNetRandomSense => {
                let picks = self.wordnet.sense_picks(form);
                (!picks.is_empty()).then(|| picks[rng.below(picks.len())].clone())
            }
            Family::MyThesRandomSense => {
                let senses: Vec<Vec<String>> = self
                    .mythes
                    .sense_terms(form)
                    .map(|terms| {
                        terms
                            .into_iter()
                            .filter(|t| fits(&t.text))
                            .map(|t| t.text.to_lowercase())
                            .collect::<Vec<_>>()
                    })
                    .filter(|terms| !terms.is_empty())
                    .collect();
                (!senses.is_empty()).then(|| {
                    let sense = &senses[rng.below(senses.len())];
                    sense[rng.below(sense.len())].clone()
                })
            }
        };
        pick.filter(|p| p != form && fits(p))
    }

    /// Spins `text` once with `family` under `style` at `rate`: each distinct
    /// spinnable word (or thesaurus phrase) is chosen with probability `rate`,
    /// and then 90 % of its occurrences are replaced by its one artifact.
    pub fn spin_styled(
        &self,
        text: &str,
        family: Family,
        style: &Style,
        rate: f64,
        rng: &mut Rng,
    ) -> SpunText {
        self.pass(text, family, style, rate, rng, &[], &[]).0
    }

    /// One pass: the spun text with its substitutions, and where each came
    /// from in `text`. A word inside a `protected` byte range is left alone,
    /// and so is a phrase overlapping a `whole` range.
    #[allow(clippy::too_many_arguments)]
    fn pass(
        &self,
        text: &str,
        family: Family,
        style: &Style,
        rate: f64,
        rng: &mut Rng,
        protected: &[(usize, usize)],
        whole: &[(usize, usize)],
    ) -> (SpunText, Vec<Source>) {
        let words: Vec<unspun::text::Word> = unspun::text::words(text).collect();
        let overlaps = |ranges: &[(usize, usize)], start: usize, end: usize| {
            ranges.iter().any(|&(s, e)| start < e && s < end)
        };
        let mut choice: FxHashMap<String, Option<String>> = FxHashMap::default();
        let mut out = String::with_capacity(text.len() + text.len() / 8);
        let mut substitutions = Vec::new();
        let mut sources = Vec::new();
        let mut at = 0;
        let mut i = 0;
        while i < words.len() {
            let mut replaced = None;
            if style.multiword {
                replaced = self.phrase_at(&words, i, text, family, style, rate, rng, &mut choice);
                if let Some((n, _)) = &replaced {
                    let (start, end) = (words[i].start, words[i + n - 1].end);
                    if overlaps(whole, start, end) {
                        replaced = None;
                    }
                }
            }
            if replaced.is_none() {
                let word = &words[i];
                if !overlaps(protected, word.start, word.end) {
                    replaced = self
                        .word_at(word, text, family, style, rate, rng, &mut choice)
                        .map(|artifact| (1, artifact));
                }
            }
            let Some((n, artifact)) = replaced else {
                i += 1;
                continue;
            };
            let (start, end) = (words[i].start, words[i + n - 1].end);
            out.push_str(&text[at..start]);
            substitutions.push(Substitution {
                start: out.len(),
                artifact: artifact.clone(),
                original: text[start..end].to_string(),
            });
            sources.push(Source { start, end });
            out.push_str(&artifact);
            at = end;
            i += n;
        }
        out.push_str(&text[at..]);
        let spun = SpunText {
            text: out,
            substitutions,
        };
        (spun, sources)
    }

    /// The artifact for a multi-word thesaurus entry starting at word `i`, with
    /// its length in words: lower-case words separated by single spaces (the
    /// stoplist is for single words: "a lot" and "in the end" are spun).
    #[allow(clippy::too_many_arguments)]
    fn phrase_at(
        &self,
        words: &[unspun::text::Word],
        i: usize,
        text: &str,
        family: Family,
        style: &Style,
        rate: f64,
        rng: &mut Rng,
        choice: &mut FxHashMap<String, Option<String>>,
    ) -> Option<(usize, String)> {
        for n in (2..=LONGEST_PHRASE).rev() {
            let Some(run) = words.get(i..i + n) else {
                continue;
            };
            let plain = run
                .iter()
                .all(|w| w.text.bytes().all(|b| b.is_ascii_lowercase()))
                && run.windows(2).all(|p| &text[p[0].end..p[1].start] == " ");
            if !plain {
                continue;
            }
            let phrase = &text[run[0].start..run[n - 1].end];
            if !self.is_entry(phrase) {
                continue;
            }
            let pick = choice
                .entry(phrase.to_string())
                .or_insert_with(|| {
                    (rng.unit() < rate)
                        .then(|| self.pick(family, style, phrase, rng))
                        .flatten()
                })
                .clone();
            if let Some(artifact) = pick {
                if rng.unit() < 0.9 {
                    return Some((n, artifact));
                }
            }
            return None;
        }
        None
    }

    /// The artifact for one word, if this pass replaces it.
    #[allow(clippy::too_many_arguments)]
    fn word_at(
        &self,
        word: &unspun::text::Word,
        text: &str,
        family: Family,
        style: &Style,
        rate: f64,
        rng: &mut Rng,
        choice: &mut FxHashMap<String, Option<String>>,
    ) -> Option<String> {
        let w = word.text;
        let number = style.numbers && number_swap(w).is_some();
        let capital = style.capitals
            && !number
            && is_capitalised(w)
            && is_spinnable(&w.to_ascii_lowercase())
            && at_sentence_start(text, word.start);
        if !(number || capital || is_spinnable(w)) {
            return None;
        }
        let form = w.to_ascii_lowercase();
        let pick = choice
            .entry(form.clone())
            .or_insert_with(|| {
                if rng.unit() >= rate {
                    None
                } else if number {
                    number_swap(&form)
                } else {
                    self.pick(family, style, &form, rng)
                }
            })
            .clone()?;
        if rng.unit() >= 0.9 {
            return None;
        }
        Some(if capital { capitalise(&pick) } else { pick })
    }

    /// Spins twice under `style`: a second family over the first's output.
    /// Labels keep the clean text's original for words spun twice, and are
    /// dropped for words the second pass turned back into their original. A
    /// multi-word artifact of the first pass is left whole by the second; a
    /// one-word artifact may be spun again.
    pub fn spin_twice_styled(
        &self,
        text: &str,
        first: Family,
        second: Family,
        style: &Style,
        rate: f64,
        rng: &mut Rng,
    ) -> SpunText {
        let (once, _) = self.pass(text, first, style, rate, rng, &[], &[]);
        let artifacts: Vec<(usize, usize)> = once
            .substitutions
            .iter()
            .map(|s| (s.start, s.start + s.artifact.len()))
            .collect();
        let protected: Vec<(usize, usize)> = once
            .substitutions
            .iter()
            .filter(|s| s.artifact.contains(' '))
            .map(|s| (s.start, s.start + s.artifact.len()))
            .collect();
        // A second-pass phrase may not swallow any first-pass artifact.
        let (twice, sources) =
            self.pass(&once.text, second, style, rate, rng, &protected, &artifacts);
        // Where an offset of the first pass's text lands in the second's.
        let shift = |offset: usize| -> usize {
            let mut moved = offset as isize;
            for (sub, src) in twice.substitutions.iter().zip(&sources) {
                if src.end <= offset {
                    moved += sub.artifact.len() as isize - (src.end - src.start) as isize;
                }
            }
            moved as usize
        };
        let mut substitutions: Vec<Substitution> = Vec::new();
        let mut respun = vec![false; once.substitutions.len()];
        for (sub, src) in twice.substitutions.iter().zip(&sources) {
            let earlier = artifacts
                .iter()
                .position(|&(s, e)| s == src.start && e == src.end);
            let original = match earlier {
                Some(k) => {
                    respun[k] = true;
                    once.substitutions[k].original.clone()
                }
                None => sub.original.clone(),
            };
            substitutions.push(Substitution {
                start: sub.start,
                artifact: sub.artifact.clone(),
                original,
            });
        }
        for (k, sub) in once.substitutions.iter().enumerate() {
            if !respun[k] {
                substitutions.push(Substitution {
                    start: shift(sub.start),
                    artifact: sub.artifact.clone(),
                    original: sub.original.clone(),
                });
            }
        }
        // A word spun back to its clean form ("at -> astatine -> at") is no
        // longer an artifact.
        substitutions.retain(|s| !s.artifact.eq_ignore_ascii_case(&s.original));
        substitutions.sort_by_key(|s| s.start);
        SpunText {
            text: twice.text,
            substitutions,
        }
    }
}

/// A lower-case word the spinner may replace (not on the stoplist).
fn is_spinnable(w: &str) -> bool {
    !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase()) && !UNSPUN_WORDS.contains(&w)
}

/// Two to four words of letters or digits separated by single spaces.
fn is_phrase(t: &str) -> bool {
    let parts: Vec<&str> = t.split(' ').collect();
    (2..=4).contains(&parts.len())
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(char::is_alphanumeric))
}

/// A capital then lower-case ASCII letters ("Despite"; not "I", "NATO", "McCain").
fn is_capitalised(w: &str) -> bool {
    let mut bytes = w.bytes();
    w.len() >= 2
        && bytes.next().is_some_and(|b| b.is_ascii_uppercase())
        && bytes.all(|b| b.is_ascii_lowercase())
}

/// `w` with its first letter in upper case.
fn capitalise(w: &str) -> String {
    let mut chars = w.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// True when the word at `start` begins a sentence: nothing but spaces and
/// opening quotes or brackets since the start of the text, a line break, or
/// a sentence end (`.`, `!`, `?`, `:`).
fn at_sentence_start(text: &str, start: usize) -> bool {
    let mut line_break = false;
    for c in text[..start].chars().rev() {
        match c {
            '\n' => line_break = true,
            '"' | '\'' | '\u{201C}' | '\u{2018}' | '(' => {}
            '.' | '!' | '?' | ':' => return true,
            c if c.is_whitespace() => {}
            _ => return line_break,
        }
    }
    true
}

/// The other spelling of a number from zero to ten: digits for a number
/// word, a word for digits.
fn number_swap(w: &str) -> Option<String> {
    if let Some(value) = NUMBER_WORDS.iter().position(|&n| n == w) {
        return Some(value.to_string());
    }
    let value: usize = w
        .parse()
        .ok()
        .filter(|_| w.bytes().all(|b| b.is_ascii_digit()))?;
    NUMBER_WORDS.get(value).map(|n| n.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spun_words::{repo_root, Sources};
    use std::sync::OnceLock;

    /// The installed thesauri, loaded once for all tests; `None` (with a
    /// message) where they are not installed, which CI does not allow.
    fn thesauri() -> Option<&'static (WordNet, MyThes)> {
        static LOADED: OnceLock<Option<(WordNet, MyThes)>> = OnceLock::new();
        LOADED
            .get_or_init(|| {
                let sources = Sources::defaults(&repo_root());
                if !sources.thesauri_installed() {
                    assert!(
                        std::env::var("CI").as_deref() != Ok("true"),
                        "WordNet/MyThes must be installed under CI"
                    );
                    eprintln!("skipping: WordNet/MyThes not installed (apt-get install wordnet-base mythes-en-us)");
                    return None;
                }
                Some((
                    WordNet::load(&sources.wordnet_dir).expect("WordNet loads"),
                    MyThes::load(&sources.mythes_file).expect("MyThes loads"),
                ))
            })
            .as_ref()
    }

    const CLEAN: &str = "Despite strong support, the prime minister will travel to the city \
        on friday to meet the president. In the end they discuss trade as the talks continue \
        in the capital while officials say the visit is important for the economy.\n\n\
        Version 1.3 of the two programs came out in one year, and 3 more followed. \
        As expected, a lot of people in the world waited at least three weeks for them.";

    /// Puts every label's original back in place of its artifact.
    fn undo(spun: &SpunText) -> String {
        let mut text = spun.text.clone();
        for sub in spun.substitutions.iter().rev() {
            text.replace_range(sub.start..sub.start + sub.artifact.len(), &sub.original);
        }
        text
    }

    /// Every spin of `CLEAN` by every style, family and seed, once and twice.
    fn all_spins(spinner: &Spinner) -> Vec<(Style, SpunText)> {
        let mut out = Vec::new();
        for style in STYLES {
            for seed in 0..12 {
                let mut rng = Rng::new(seed);
                for (k, &first) in Family::ALL.iter().chain(&Family::RANDOM_SENSES).enumerate() {
                    let second = Family::ALL[k % 4];
                    out.push((
                        style,
                        spinner.spin_styled(CLEAN, first, &style, 0.7, &mut rng),
                    ));
                    let twice =
                        spinner.spin_twice_styled(CLEAN, first, second, &style, 0.7, &mut rng);
                    out.push((style, twice));
                }
            }
        }
        out
    }

    #[test]
    fn undoing_every_label_gives_back_the_clean_text_for_every_style_once_and_twice() {
        let Some((wordnet, mythes)) = thesauri() else {
            return;
        };
        let spinner = Spinner::new(wordnet, mythes);
        let mut labels = 0;
        for (style, spun) in all_spins(&spinner) {
            for sub in &spun.substitutions {
                labels += 1;
                assert!(
                    !sub.artifact.eq_ignore_ascii_case(&sub.original),
                    "{}: {sub:?} in {:?}",
                    style.name,
                    spun.text
                );
                assert!(spun.text[sub.start..].starts_with(&sub.artifact), "{sub:?}");
            }
            assert_eq!(
                undo(&spun),
                CLEAN,
                "{}: {:?}",
                style.name,
                spun.substitutions
            );
        }
        assert!(
            labels > 2000,
            "the spinner spun too little to test ({labels} labels)"
        );
    }

    #[test]
    fn each_style_makes_the_artifacts_it_is_named_for_and_the_classic_one_makes_none_of_them() {
        let Some((wordnet, mythes)) = thesauri() else {
            return;
        };
        let spinner = Spinner::new(wordnet, mythes);
        let spins = all_spins(&spinner);
        let any = |name: &str, test: &dyn Fn(&Substitution, &str) -> bool| {
            spins
                .iter()
                .filter(|(s, _)| s.name == name)
                .any(|(_, spun)| spun.substitutions.iter().any(|sub| test(sub, &spun.text)))
        };
        let capital = |sub: &Substitution, _: &str| sub.original.starts_with(char::is_uppercase);
        let phrase_artifact = |sub: &Substitution, _: &str| sub.artifact.contains(' ');
        let phrase_original = |sub: &Substitution, _: &str| sub.original.contains(' ');
        let version = |sub: &Substitution, text: &str| {
            sub.original == "3" && text[..sub.start].ends_with("1.")
                || sub.original == "1" && text[sub.start..].starts_with("one.")
        };
        let number = |sub: &Substitution, _: &str| {
            sub.original.bytes().all(|b| b.is_ascii_digit())
                || sub.artifact.bytes().all(|b| b.is_ascii_digit())
        };
        assert!(any("sentence starts", &capital), "no sentence start spun");
        assert!(
            any("multi-word", &phrase_artifact),
            "no multi-word artifact"
        );
        assert!(
            any("multi-word", &phrase_original),
            "no multi-word original"
        );
        assert!(
            any("number words", &version),
            "no number spun inside a version"
        );
        assert!(any("number words", &number), "no number word swapped");
        for test in [
            &capital as &dyn Fn(&Substitution, &str) -> bool,
            &phrase_artifact,
            &phrase_original,
            &number,
        ] {
            assert!(
                !any("classic", test),
                "the classic spinner changed its behaviour"
            );
        }
        // Only sentence starts: "Lisbon"-like capitals inside a sentence stay.
        for (style, spun) in &spins {
            for sub in &spun.substitutions {
                if sub.original.starts_with(char::is_uppercase) {
                    assert!(style.capitals, "{sub:?}");
                    assert!(
                        ["Despite", "In", "Version", "As"].contains(&sub.original.as_str()),
                        "{sub:?} is not at a sentence start"
                    );
                }
            }
        }
    }

    #[test]
    fn sentence_starts_follow_ends_line_breaks_and_opening_quotes_only() {
        let text = "Despite it. \u{201C}Yes\u{201D} said he.\n\nNew line, Paris: Then";
        let starts: Vec<&str> = unspun::text::words(text)
            .filter(|w| at_sentence_start(text, w.start))
            .map(|w| w.text)
            .collect();
        assert_eq!(starts, ["Despite", "Yes", "New", "Then"]);
    }

    #[test]
    fn numbers_swap_from_zero_to_ten_and_no_further() {
        assert_eq!(number_swap("3").as_deref(), Some("three"));
        assert_eq!(number_swap("ten").as_deref(), Some("10"));
        assert_eq!(number_swap("10").as_deref(), Some("ten"));
        assert_eq!(number_swap("11"), None);
        assert_eq!(number_swap("eleven"), None);
        assert_eq!(number_swap("03x"), None);
    }
}
