//! Slot cues: what the neighbours say about the kind of word that belongs
//! between them.
//!
//! The bigram counts know nothing of names they never saw ("connected
//! Sheinbaum", "contempt Sheinbaum's efforts"), yet the slot says a lot: a
//! capitalised word, a number or a determiner after it calls for a preposition,
//! an auxiliary before it for an adverb or a verb. These cues come from the
//! closed-class word list in `dictionaries/function-words.tsv`.

use super::lexicon::WordMap;
use crate::text::Word;

/// The grammatical class of a closed-class word; `Content` for all others.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub enum WordClass {
    /// Nouns, verbs, adjectives and most adverbs.
    #[default]
    Content,
    /// "on", "in", "despite".
    Preposition,
    /// "as", "while", "where".
    Conjunction,
    /// "also", "just".
    Adverb,
    /// "will", "can".
    Modal,
    /// "is", "has".
    Auxiliary,
    /// "the", "some", "many".
    Determiner,
    /// "she", "their".
    Pronoun,
    /// "there".
    Existential,
}

impl WordClass {
    /// Every class, in declaration order (the order of their image bytes).
    const ALL: [WordClass; 9] = [
        WordClass::Content,
        WordClass::Preposition,
        WordClass::Conjunction,
        WordClass::Adverb,
        WordClass::Modal,
        WordClass::Auxiliary,
        WordClass::Determiner,
        WordClass::Pronoun,
        WordClass::Existential,
    ];

    /// The class's byte in an image.
    pub(super) fn to_byte(self) -> u8 {
        self as u8
    }

    /// The class of an image byte.
    pub(super) fn from_byte(b: u8) -> Option<Self> {
        Self::ALL.get(usize::from(b)).copied()
    }

    fn parse(name: &str) -> Option<Self> {
        Some(match name {
            "preposition" => WordClass::Preposition,
            "conjunction" => WordClass::Conjunction,
            "adverb" => WordClass::Adverb,
            "modal" => WordClass::Modal,
            "auxiliary" => WordClass::Auxiliary,
            "determiner" => WordClass::Determiner,
            "pronoun" => WordClass::Pronoun,
            "existential" => WordClass::Existential,
            _ => return None,
        })
    }
}

/// Closed-class words and their classes.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
#[serde(bound(deserialize = "'de: 'static"))]
pub struct FunctionWords {
    pub(super) classes: WordMap<WordClass>,
}

impl FunctionWords {
    /// Parses `word<TAB>class` lines; `#` lines are comments.
    pub fn from_tsv(text: &str) -> Result<Self, String> {
        let mut classes = WordMap::default();
        for (i, line) in text.lines().enumerate() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let (word, class) = line
                .split_once('\t')
                .ok_or_else(|| format!("function words line {}: expected word<TAB>class", i + 1))?;
            let class = WordClass::parse(class.trim())
                .ok_or_else(|| format!("function words line {}: unknown class `{class}`", i + 1))?;
            *classes.entry_or_insert_with(word, WordClass::default) = class;
        }
        Ok(FunctionWords { classes })
    }

    /// Calls `f` with every word (lower case) and its class.
    pub fn for_each(&self, mut f: impl FnMut(&str, WordClass)) {
        self.classes.for_each(|word, &class| f(word, class));
    }

    /// The class of `word` (any case).
    pub fn class(&self, word: &str) -> WordClass {
        self.classes.get(word).unwrap_or_default()
    }
}

/// What the slot around a candidate looks like.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Cues {
    /// The next word opens a noun phrase: a name, a number, a determiner or a
    /// possessive ("connected Friday", "successful Mexico", "arsenic the").
    pub next_opens_noun_phrase: bool,
    /// The previous word is a determiner or possessive ("the connected
    /// devices": the artifact is used as an adjective, as written).
    pub after_determiner: bool,
    /// The previous word is an auxiliary, modal or "not" ("is besides", "not
    /// conscionable").
    pub after_auxiliary: bool,
    /// The previous word is a name or a pronoun ("Sheinbaum volition").
    pub after_subject: bool,
}

impl Cues {
    /// The cues around word `i` of `words`.
    /// `class_of(k)` is the class of word `k` (looked up once for the whole
    /// text by the caller, with the lexicon).
    pub fn at(words: &[Word], i: usize, class_of: impl Fn(usize) -> WordClass) -> Self {
        let prev = (!words[i].break_before && i > 0).then(|| i - 1);
        let next = Some(i + 1).filter(|&k| words.get(k).is_some_and(|w| !w.break_before));
        let mut cues = Cues::default();
        if let Some(k) = next {
            let n = &words[k];
            cues.next_opens_noun_phrase = n.is_capitalized()
                || n.has_digit()
                || matches!(class_of(k), WordClass::Determiner)
                || matches!(
                    n.text,
                    "his" | "her" | "their" | "its" | "my" | "our" | "your"
                );
        }
        if let Some(k) = prev {
            let p = &words[k];
            let c = class_of(k);
            cues.after_determiner = c == WordClass::Determiner
                || matches!(
                    p.text,
                    "his" | "her" | "their" | "its" | "my" | "our" | "your"
                );
            cues.after_auxiliary = matches!(c, WordClass::Auxiliary | WordClass::Modal)
                || p.text.eq_ignore_ascii_case("not");
            cues.after_subject = p.is_capitalized() || c == WordClass::Pronoun;
        }
        cues
    }
}

impl super::lexicon::FixedBytes for WordClass {
    const SIZE: usize = 1;

    fn put(&self, out: &mut Vec<u8>) {
        out.push(self.to_byte());
    }

    fn take(bytes: &[u8]) -> Option<Self> {
        WordClass::from_byte(*bytes.first()?)
    }
}
