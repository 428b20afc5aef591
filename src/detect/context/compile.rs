//! Compiles the context model's text files into the image the checker reads in
//! place ([`super::ContextModel`], [`super::Frequencies`]).
//!
//! Everything the model derives from the counts is derived here, once: the
//! rare-word class, the inflection families and the pair counts pooled over
//! both. `build.rs` runs this on the embedded files when the crate is built
//! (so a start-up does none of it), and the library runs the same code on
//! model text given at run time, so both read the same image the same way.
//! This file uses nothing from the crate but the image writer beside it.

use super::image::Writer;
use rustc_hash::FxHashMap;

/// First bytes of a context-model image.
pub const MODEL_MAGIC: u64 = u64::from_le_bytes(*b"unspunCM");
/// First bytes of a frequency-table image.
pub const FREQUENCIES_MAGIC: u64 = u64::from_le_bytes(*b"unspunZF");
/// Version of both image layouts; bumped when either changes.
pub const VERSION: u32 = 1;

/// Words seen fewer times than this are pooled into one "rare word" class when
/// they stand as a neighbour.
pub const RARE_BELOW: u32 = 30;

/// A base shorter than this is not inflected: "bed" is no past of "be".
const MIN_BASE_LEN: usize = 4;

/// Compiles `unigrams.tsv` (`word<TAB>count`) and `bigrams.tsv`
/// (`w1<TAB>w2<TAB>count`) text into a model image; `break_token` is the
/// form that stands for a break. Lines starting with `#` are skipped;
/// malformed lines and words listed twice are errors naming the line.
///
/// Layout: magic, version, total (`f64` bits), break id, rare id; the string
/// index of the words (id = line order); the counts of every id (words, then
/// the rare class, then the families); the family of every id; the pair
/// counts, keyed `left << 32 | right`.
pub fn model(unigrams: &str, bigrams: &str, break_token: &str) -> Result<Vec<u8>, String> {
    let mut forms: Vec<&str> = Vec::with_capacity(unigrams.len() / 10);
    let mut ids: FxHashMap<&str, u32> = FxHashMap::default();
    ids.reserve(unigrams.len() / 10);
    let mut unigram: Vec<u32> = Vec::with_capacity(unigrams.len() / 10);
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
        if ids.insert(word, id).is_some() {
            return Err(format!("unigrams line {}: `{word}` is listed twice", i + 1));
        }
        forms.push(word);
        unigram.push(count);
        total += f64::from(count);
    }
    let mut bigram: FxHashMap<u64, u32> = FxHashMap::default();
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
    let break_id = ids.get(break_token).copied().unwrap_or(u32::MAX);
    let rare_id = unigram.len() as u32;
    let families = inflection_families(&forms, &ids, &unigram, rare_id + 1);
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
    // Sorted, so that the image depends on the counts alone.
    let mut pairs: Vec<(u64, u32)> = bigram.into_iter().collect();
    pairs.sort_unstable();

    let mut w = Writer::default();
    w.u64(MODEL_MAGIC);
    w.u32(VERSION);
    w.u64(f64::max(total, 1.0).to_bits());
    w.u32(break_id);
    w.u32(rare_id);
    w.str_index(&forms);
    w.u32(unigram.len() as u32);
    w.u32s(&unigram);
    w.u32s(&family);
    w.pair_table(&pairs);
    Ok(w.bytes)
}

/// Compiles `frequencies.tsv` text (`word<TAB>zipf`, `#` lines skipped) into
/// a frequency image: magic, version, the string index of the words, their
/// Zipf values as `f32` bits. Malformed lines and words listed twice are
/// errors naming the line.
pub fn frequencies(text: &str) -> Result<Vec<u8>, String> {
    let mut words: Vec<&str> = Vec::with_capacity(text.len() / 12);
    let mut values: Vec<u32> = Vec::with_capacity(text.len() / 12);
    let mut seen: FxHashMap<&str, usize> = FxHashMap::default();
    seen.reserve(text.len() / 12);
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
        if let Some(first) = seen.insert(word, i + 1) {
            return Err(format!(
                "frequencies line {}: `{word}` is already listed on line {first}",
                i + 1
            ));
        }
        words.push(word);
        values.push(value.to_bits());
    }
    let mut w = Writer::default();
    w.u64(FREQUENCIES_MAGIC);
    w.u32(VERSION);
    w.str_index(&words);
    w.u32s(&values);
    Ok(w.bytes)
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

/// Calls `visit` with each regular inflection of `base` that could exist,
/// itself first: "underscore", "underscores", "underscored", "underscoring".
/// (Built in one reused buffer: this runs for every rare word.)
pub fn for_each_inflection(base: &str, buffer: &mut String, mut visit: impl FnMut(&str)) {
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
pub fn for_each_base(form: &str, buffer: &mut String, mut visit: impl FnMut(&str)) {
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
/// `ContextModel::suspect_association`. Of the bases a rare word could
/// come from, the family with the most occurrences is taken, if it has
/// other members. Words are visited in id order, so families are numbered
/// the same way at every build.
fn inflection_families(
    forms: &[&str],
    ids: &FxHashMap<&str, u32>,
    unigram: &[u32],
    first_id: u32,
) -> Families {
    let mut families = Families::default();
    let mut by_base: FxHashMap<String, u32> = FxHashMap::default();
    let (mut base_buffer, mut form_buffer) = (String::new(), String::new());
    let mut members: Vec<u32> = Vec::new();
    for (id, &form) in forms.iter().enumerate() {
        let id = id as u32;
        if unigram[id as usize] >= RARE_BELOW || !form.bytes().all(|b| b.is_ascii_lowercase()) {
            continue;
        }
        // (family count, base, members) of the best base so far.
        let mut best: Option<(u32, String, Vec<u32>)> = None;
        for_each_base(form, &mut base_buffer, |base| {
            if base != form && !ids.contains_key(base) {
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

/// The pair-table key of the pair `a b`.
#[inline]
pub fn pair_key(a: u32, b: u32) -> u64 {
    (u64::from(a) << 32) | u64::from(b)
}
