//! The context model: how well does a word fit between its neighbours?
//!
//! A spinner swaps a word without regard to sense, so the artifact usually fits its
//! slot worse than the original did: "connected Friday" against "on Friday",
//! "Trump medication" against "Trump administration". The model scores how much
//! a word `w` is drawn to its left neighbour `p` and right neighbour `n`: for
//! each pair, the log ratio of the times it was seen to the times it would be
//! seen by chance, with one pseudo-pair added to both,
//!
//! ```text
//! association(p, w, n) = ln (c(p, w) + 1) / (c(p) c(w) / N + 1)
//!                      + ln (c(w, n) + 1) / (c(w) c(n) / N + 1)
//! ```
//!
//! and the checker compares `association(original) - association(artifact)`.
//! The ratio to the chance count keeps word frequency out of the comparison:
//! a pair never seen counts against a word only when the corpus should have
//! shown it ("connected Friday" against a common "connected" and a common
//! "Friday"), not when both words are too rare for the pair to turn up; a
//! rare suspect is also read through its regular inflections
//! ([`ContextModel::suspect_association`]). The
//! counts come from clean edited English (Brown corpus and nlp-corpus, see
//! `dictionaries/README.md`), shipped as text files and embedded in the binary.

use rustc_hash::FxHashMap;

/// Model id meaning "no information" (a word the model has never seen).
pub const UNKNOWN: u32 = u32::MAX;

/// Pseudo-count added to a pair's observed and expected counts in
/// [`ContextModel::association`].
const PSEUDO_PAIRS: f64 = 1.0;

/// Unigram and bigram counts with the association formula above.
#[derive(Debug, Clone)]
pub struct ContextModel {
    ids: FxHashMap<Box<str>, u32>,
    unigram: Vec<u32>,
    bigram: FxHashMap<u64, u32>,
    total: f64,
    break_id: u32,
    rare_id: u32,
    /// The inflection family of each word (its own id if it has none), see
    /// [`ContextModel::suspect_association`].
    family: Vec<u32>,
}

/// Words seen fewer times than this are pooled into one "rare word" class when
/// they stand as a neighbour.
pub const RARE_BELOW: u32 = 30;

/// How much a neighbour from the rare-word class counts in an association,
/// against 1 for a neighbour known by itself. The class pools thousands of
/// words, so what follows it in general says little about what follows this
/// one ("migration representation" is not likelier than "migration
/// cooperation" because "proportional representation" is common). Harness,
/// with the prior shift set again: rare-artifact recall 0.856 -> 0.875,
/// other 0.183 -> 0.198, function-word 0.900 -> 0.902, precision 0.9525 ->
/// 0.9524, clean flags 0.034 -> 0.033 (at 0: rare 0.887 but precision 0.952
/// with less function-word recall).
pub const RARE_NEIGHBOUR_WEIGHT: f64 = 0.5;

impl ContextModel {
    /// Builds the model from the text of `unigrams.tsv` (`word<TAB>count`) and
    /// `bigrams.tsv` (`w1<TAB>w2<TAB>count`). Lines starting with `#` are skipped.
    /// Malformed lines are an error naming the line.
    pub fn from_tsv(unigrams: &str, bigrams: &str) -> Result<Self, String> {
        // Sized from the text (about 12 bytes a line), so the maps never rehash.
        let mut ids = FxHashMap::default();
        ids.reserve(unigrams.len() / 10);
        let mut unigram = Vec::with_capacity(unigrams.len() / 10);
        let mut total = 0.0;
        for (i, line) in unigrams.lines().enumerate() {
            if line.starts_with('#') || line.is_empty() {
                continue;
            }
            let (word, count) = line
                .split_once('\t')
                .ok_or_else(|| format!("unigrams line {}: expected word<TAB>count", i + 1))?;
            let count: u32 = count
                .parse()
                .map_err(|_| format!("unigrams line {}: bad count", i + 1))?;
            let id = unigram.len() as u32;
            ids.insert(Box::from(word), id);
            unigram.push(count);
            total += f64::from(count);
        }
        let mut bigram = FxHashMap::default();
        bigram.reserve(bigrams.len() / 16);
        for (i, line) in bigrams.lines().enumerate() {
            if line.starts_with('#') || line.is_empty() {
                continue;
            }
            let mut fields = line.split('\t');
            let (Some(a), Some(b), Some(c)) = (fields.next(), fields.next(), fields.next()) else {
                return Err(format!(
                    "bigrams line {}: expected w1<TAB>w2<TAB>count",
                    i + 1
                ));
            };
            let count: u32 = c
                .parse()
                .map_err(|_| format!("bigrams line {}: bad count", i + 1))?;
            let (Some(&a), Some(&b)) = (ids.get(a), ids.get(b)) else {
                continue; // a pair whose words fell below the unigram cut-off
            };
            bigram.insert(pair_key(a, b), count);
        }
        let break_id = ids
            .get(crate::text::BREAK_TOKEN)
            .copied()
            .unwrap_or(UNKNOWN);
        let rare_id = unigram.len() as u32;
        let families = inflection_families(&ids, &unigram, rare_id + 1);
        // Rare words pool their counts into one class as neighbours, so that
        // "as Mexico" is judged by how often "as" precedes a rare word, not by
        // the absence of a pair the corpus was too small to hold; and each
        // inflection family counts the pairs of all its members.
        let neighbour = |id: u32| {
            if unigram[id as usize] < RARE_BELOW {
                rare_id
            } else {
                id
            }
        };
        // Listed, then added: the map cannot grow while it is read.
        let mut pooled: Vec<(u64, u32)> = Vec::new();
        for (&key, &count) in &bigram {
            let (a, b) = ((key >> 32) as u32, key as u32);
            let (a2, b2) = (neighbour(a), neighbour(b));
            if (a2, b2) != (a, b) {
                pooled.push((pair_key(a2, b2), count));
            }
            for &family in families.of.get(&a).into_iter().flatten() {
                pooled.push((pair_key(family, b2), count));
            }
            for &family in families.of.get(&b).into_iter().flatten() {
                pooled.push((pair_key(a2, family), count));
            }
        }
        for (key, count) in pooled {
            *bigram.entry(key).or_default() += count;
        }
        let rare_total: u32 = unigram.iter().filter(|&&c| c < RARE_BELOW).sum();
        unigram.push(rare_total);
        let mut family: Vec<u32> = (0..unigram.len() as u32).collect();
        for (&member, &id) in &families.read_as {
            family[member as usize] = id;
        }
        unigram.extend(&families.counts);
        family.extend(rare_id + 1..unigram.len() as u32);
        Ok(ContextModel {
            family,
            rare_id,
            ids,
            unigram,
            bigram,
            total: total.max(1.0),
            break_id,
        })
    }

    /// An empty model: every word fits every slot equally well.
    pub fn empty() -> Self {
        ContextModel::from_tsv("", "").expect("empty input parses")
    }

    /// The id of a model form (see [`crate::text::model_form`]), or [`UNKNOWN`].
    pub fn id(&self, model_form: &str) -> u32 {
        self.ids.get(model_form).copied().unwrap_or(UNKNOWN)
    }

    /// The id under which `id` counts as a neighbour: itself, or the rare-word
    /// class for rare and unknown words.
    pub fn neighbour(&self, id: u32) -> u32 {
        if id == UNKNOWN || self.unigram[id as usize] < RARE_BELOW {
            self.rare_id
        } else {
            id
        }
    }

    /// The id of the break token (punctuation or text edge).
    pub fn break_id(&self) -> u32 {
        self.break_id
    }

    /// Number of distinct words the model knows.
    pub fn len(&self) -> usize {
        self.unigram.len()
    }

    /// True when the model knows no word.
    pub fn is_empty(&self) -> bool {
        self.unigram.is_empty()
    }

    /// All model forms with their ids, for building the checker's lexicon.
    pub fn forms(&self) -> impl Iterator<Item = (&str, u32)> {
        self.ids.iter().map(|(k, &v)| (&**k, v))
    }

    /// How often the word occurred in the clean corpora.
    pub fn count(&self, id: u32) -> u32 {
        if id == UNKNOWN {
            0
        } else {
            self.unigram[id as usize]
        }
    }

    fn pair(&self, a: u32, b: u32) -> f64 {
        if a == UNKNOWN || b == UNKNOWN {
            return 0.0;
        }
        f64::from(self.bigram.get(&pair_key(a, b)).copied().unwrap_or(0))
    }

    /// How much the neighbours attract `w`, beyond its own frequency: for each
    /// known neighbour, the log ratio of how often the pair was seen to how
    /// often it would be seen by chance, both with one pseudo-pair added,
    ///
    /// ```text
    /// ln (c(p, w) + 1) / (c(p) c(w) / N + 1)  +  ln (c(w, n) + 1) / (c(w) c(n) / N + 1)
    /// ```
    ///
    /// A pair the corpus was too small to show (expected well under once) is
    /// no evidence either way; a pair expected many times and never seen is
    /// strong evidence against the word. An unknown neighbour adds nothing;
    /// a neighbour from the rare-word class adds its term times
    /// [`RARE_NEIGHBOUR_WEIGHT`].
    pub fn association(&self, p: u32, w: u32, n: u32) -> f64 {
        // One logarithm of the product of the ratios of the neighbours known
        // by themselves: it is read for every original of every candidate.
        let mut ratio = 1.0;
        let mut rare = 0.0;
        for (neighbour, pair) in [(p, (p, w)), (n, (w, n))] {
            if neighbour == self.rare_id {
                rare += self.pair_ratio(pair.0, pair.1).ln();
            } else if neighbour != UNKNOWN {
                ratio *= self.pair_ratio(pair.0, pair.1);
            }
        }
        ratio.ln() + RARE_NEIGHBOUR_WEIGHT * rare
    }

    /// [`ContextModel::association`] of a word suspected of standing in for
    /// another: a rare word gets the better of its own pairs and those of
    /// the family of its regular inflections (base, -s, -es, -ed or -d,
    /// -ing, -ies, -ied). Its own are too few to show every slot it fits
    /// ("underscore" was seen twice, "underscore the" never, though
    /// "underscores the" and "underscored the" were), so a slot its family
    /// fits is no evidence against it.
    pub fn suspect_association(&self, p: u32, w: u32, n: u32) -> f64 {
        let own = self.association(p, w, n);
        match self.family.get(w as usize) {
            Some(&family) if family != w => own.max(self.association(p, family, n)),
            _ => own,
        }
    }

    /// How much more often the pair was seen than chance would show it.
    fn pair_ratio(&self, a: u32, b: u32) -> f64 {
        let expected = f64::from(self.count(a)) * f64::from(self.count(b)) / self.total;
        (self.pair(a, b) + PSEUDO_PAIRS) / (expected + PSEUDO_PAIRS)
    }
}

/// Rare words with the families of their regular inflections
/// ([`inflection_families`]).
#[derive(Debug, Default)]
struct Families {
    /// The families each word belongs to.
    of: FxHashMap<u32, Vec<u32>>,
    /// The family of each rare word.
    read_as: FxHashMap<u32, u32>,
    /// Each family's count, by id from the first id given.
    counts: Vec<u32>,
}

/// A base shorter than this is not inflected: "bed" is no past of "be".
const MIN_BASE_LEN: usize = 4;

/// Calls `visit` with each regular inflection of `base` that could exist,
/// itself first: "underscore", "underscores", "underscored", "underscoring".
/// (Built in one reused buffer: this runs for every rare word at start-up.)
fn for_each_inflection(base: &str, buffer: &mut String, mut visit: impl FnMut(&str)) {
    let mut emit = |stem: &str, ending: &str| {
        buffer.clear();
        buffer.push_str(stem);
        buffer.push_str(ending);
        visit(buffer);
    };
    emit(base, "");
    emit(base, "s");
    emit(base, "es");
    match base.strip_suffix('e') {
        Some(stem) => {
            emit(base, "d");
            emit(stem, "ing");
        }
        None => {
            emit(base, "ed");
            emit(base, "ing");
        }
    }
    if let Some(stem) = base.strip_suffix('y') {
        emit(stem, "ies");
        emit(stem, "ied");
    }
}

/// Calls `visit` with each base `form` could be a regular inflection of,
/// itself first.
fn for_each_base(form: &str, buffer: &mut String, mut visit: impl FnMut(&str)) {
    const SUFFIXES: [(&str, &str); 8] = [
        ("ies", "y"),
        ("ied", "y"),
        ("es", ""),
        ("s", ""),
        ("ed", ""),
        ("d", ""),
        ("ing", ""),
        ("ing", "e"),
    ];
    visit(form);
    for (suffix, ending) in SUFFIXES {
        if let Some(stem) = form.strip_suffix(suffix) {
            if stem.len() + ending.len() >= MIN_BASE_LEN {
                buffer.clear();
                buffer.push_str(stem);
                buffer.push_str(ending);
                visit(buffer);
            }
        }
    }
}

/// The families of regular inflections of the words seen fewer than
/// [`RARE_BELOW`] times, with ids from `first_id`, for
/// [`ContextModel::suspect_association`]. Of the bases a rare word could
/// come from, the family with the most occurrences is taken, if it has
/// other members.
fn inflection_families(ids: &FxHashMap<Box<str>, u32>, unigram: &[u32], first_id: u32) -> Families {
    let mut families = Families::default();
    let mut by_base: FxHashMap<String, u32> = FxHashMap::default();
    let (mut base_buffer, mut form_buffer) = (String::new(), String::new());
    let mut members: Vec<u32> = Vec::new();
    for (form, &id) in ids {
        if unigram[id as usize] >= RARE_BELOW || !form.bytes().all(|b| b.is_ascii_lowercase()) {
            continue;
        }
        // (family count, base, members) of the best base so far.
        let mut best: Option<(u32, String, Vec<u32>)> = None;
        for_each_base(form, &mut base_buffer, |base| {
            if base != &**form && !ids.contains_key(base) {
                return;
            }
            members.clear();
            for_each_inflection(base, &mut form_buffer, |f| {
                if let Some(&m) = ids.get(f) {
                    members.push(m);
                }
            });
            let count: u32 = members.iter().map(|&m| unigram[m as usize]).sum();
            if members.len() > 1
                && members.contains(&id)
                && best.as_ref().is_none_or(|(most, _, _)| count > *most)
            {
                best = Some((count, base.to_string(), members.clone()));
            }
        });
        let Some((count, base, members)) = best else {
            continue;
        };
        let family = *by_base.entry(base).or_insert_with(|| {
            let family = first_id + families.counts.len() as u32;
            families.counts.push(count);
            for &m in &members {
                families.of.entry(m).or_default().push(family);
            }
            family
        });
        families.read_as.insert(id, family);
    }
    families
}

#[inline]
fn pair_key(a: u32, b: u32) -> u64 {
    (u64::from(a) << 32) | u64::from(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tiny() -> ContextModel {
        ContextModel::from_tsv(
            "<b>\t10000\non\t5000\nfriday\t1000\nconnected\t500\nto\t6000\nzebra\t3\n",
            "on\tfriday\t800\nconnected\tto\t400\n<b>\ton\t500\non\tzebra\t2\n",
        )
        .unwrap()
    }

    #[test]
    fn the_original_fits_its_slot_better_than_the_artifact() {
        let m = tiny();
        let (b, on, friday, connected, to) = (
            m.id("<b>"),
            m.id("on"),
            m.id("friday"),
            m.id("connected"),
            m.id("to"),
        );
        assert!(m.association(b, on, friday) > m.association(b, connected, friday) + 2.0);
        assert!(m.association(b, connected, to) > m.association(b, on, to));
    }

    #[test]
    fn rare_neighbours_are_pooled_into_one_class() {
        let m = tiny();
        assert_eq!(m.neighbour(m.id("zebra")), m.neighbour(UNKNOWN));
        assert_ne!(m.neighbour(m.id("friday")), m.neighbour(UNKNOWN));
    }

    #[test]
    fn unknown_words_and_pairs_too_rare_to_be_seen_are_no_evidence() {
        let m = tiny();
        let (on, zebra) = (m.id("on"), m.id("zebra"));
        assert_eq!(m.association(on, m.id("never-seen"), UNKNOWN), 0.0);
        // "zebra on": expected 3 * 5000 / 22503 = 0.67 times, never seen: ln 1/1.67.
        assert!(m.association(zebra, on, UNKNOWN) > -0.6);
        // "connected friday": expected 500 * 1000 / 22503 = 22 times, never seen.
        assert!(m.association(UNKNOWN, m.id("connected"), m.id("friday")) < -2.5);
    }

    #[test]
    fn a_neighbour_from_the_rare_class_counts_less_than_one_known_by_itself() {
        let m = ContextModel::from_tsv(
            "<b>\t10000\non\t5000\nfriday\t1000\nzebra\t3\nyak\t2\n",
            "zebra\tfriday\t2\nyak\tfriday\t2\non\tfriday\t800\n",
        )
        .unwrap();
        let (on, friday, rare) = (m.id("on"), m.id("friday"), m.neighbour(m.id("yak")));
        let known = m.pair_ratio(on, friday).ln();
        let pooled = m.pair_ratio(rare, friday).ln();
        assert!(pooled > 0.5, "the class does attract 'friday': {pooled}");
        assert!((m.association(on, friday, UNKNOWN) - known).abs() < 1e-12);
        assert!(
            (m.association(rare, friday, UNKNOWN) - RARE_NEIGHBOUR_WEIGHT * pooled).abs() < 1e-12
        );
        let both = m.association(rare, friday, on);
        let expected = RARE_NEIGHBOUR_WEIGHT * pooled + m.pair_ratio(friday, on).ln();
        assert!((both - expected).abs() < 1e-12, "{both} against {expected}");
    }

    #[test]
    fn a_rare_word_is_read_at_its_best_between_its_own_pairs_and_its_inflections() {
        let m = ContextModel::from_tsv(
            "<b>\t100000\nthe\t5000\nemphasize\t400\nunderscore\t2\nunderscores\t10\nunderscored\t12\nzebra\t3\n",
            "emphasize\tthe\t100\nunderscores\tthe\t5\nunderscored\tthe\t6\n",
        )
        .unwrap();
        let (the, underscore, zebra) = (m.id("the"), m.id("underscore"), m.id("zebra"));
        let own = m.association(UNKNOWN, underscore, the);
        let suspect = m.suspect_association(UNKNOWN, underscore, the);
        // Its own pairs say nothing ("underscore the" would be expected 0.09
        // times by chance); its family takes "the" 11 times in 24 (1.1).
        assert!(own.abs() < 0.5, "{own}");
        assert!(suspect > own + 1.0, "{suspect} against {own}");
        // A family that fits worse never counts against the word.
        let worse = m.suspect_association(the, underscore, UNKNOWN);
        assert!(worse >= m.association(the, underscore, UNKNOWN));
        // A word without inflections is read by its own pairs alone.
        assert_eq!(
            m.suspect_association(UNKNOWN, zebra, the),
            m.association(UNKNOWN, zebra, the)
        );
    }

    #[test]
    fn inflections_are_regular_and_come_from_bases_of_four_letters_or_more() {
        let mut buffer = String::new();
        let mut seen = Vec::new();
        for_each_inflection("underscore", &mut buffer, |f| seen.push(f.to_string()));
        assert_eq!(
            seen,
            [
                "underscore",
                "underscores",
                "underscorees",
                "underscored",
                "underscoring"
            ]
        );
        seen.clear();
        for_each_inflection("study", &mut buffer, |f| seen.push(f.to_string()));
        assert!(seen.iter().any(|f| f == "studies") && seen.iter().any(|f| f == "studied"));
        let bases = |form: &str| {
            let mut out = Vec::new();
            for_each_base(form, &mut String::new(), |b| out.push(b.to_string()));
            out
        };
        assert!(bases("underscored").contains(&"underscore".to_string()));
        assert!(bases("studies").contains(&"study".to_string()));
        // "bed" and "being" are no inflections of "be".
        assert_eq!(bases("bed"), ["bed"]);
        assert_eq!(bases("being"), ["being"]);
    }

    #[test]
    fn malformed_counts_are_errors() {
        assert!(ContextModel::from_tsv("on\tmany\n", "").is_err());
        assert!(ContextModel::from_tsv("on\t5\n", "on\n").is_err());
    }
}

/// How common words are in present-day English at large, on the Zipf scale
/// (log10 of occurrences per billion words: "the" is about 7.7, "spokesperson"
/// 3.6, "conscionable" under 2). Far larger sources than the bigram counts stand
/// behind it, so it tells a rare artifact ("conscionable") from a modern word
/// the bigram corpora never saw ("spokesperson").
#[derive(Debug, Clone, Default)]
pub struct Frequencies {
    zipf: FxHashMap<Box<str>, f32>,
    floor: f32,
}

impl Frequencies {
    /// Parses `word<TAB>zipf` lines (`#` lines skipped). Words below the file's
    /// cut-off get `floor`.
    pub fn from_tsv(text: &str, floor: f32) -> Result<Self, String> {
        let mut zipf = FxHashMap::default();
        zipf.reserve(text.len() / 12);
        for (i, line) in text.lines().enumerate() {
            if line.starts_with('#') || line.is_empty() {
                continue;
            }
            let (word, value) = line
                .split_once('\t')
                .ok_or_else(|| format!("frequencies line {}: expected word<TAB>zipf", i + 1))?;
            let value: f32 = value
                .parse()
                .map_err(|_| format!("frequencies line {}: bad zipf value", i + 1))?;
            zipf.insert(Box::from(word), value);
        }
        Ok(Frequencies { zipf, floor })
    }

    /// The Zipf frequency of a lower-case word or phrase (a phrase: its rarest word).
    pub fn zipf(&self, form: &str) -> f32 {
        if let Some(&z) = self.zipf.get(form) {
            return z;
        }
        let mut words = crate::text::words(form).peekable();
        if words.peek().is_none() {
            return self.floor;
        }
        let mut lowest = f32::MAX;
        let mut count = 0;
        for w in words {
            count += 1;
            lowest = lowest.min(self.zipf.get(w.text).copied().unwrap_or(self.floor));
        }
        if count == 1 {
            self.floor
        } else {
            lowest
        }
    }
}
