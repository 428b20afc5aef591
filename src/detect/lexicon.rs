//! The lexicon's hash map, tuned for the one probe per word that sets the speed
//! of the whole check.
//!
//! Most words are short ASCII. Those are packed, lower-cased, into a `u128` key
//! stored inline in the table: the probe hashes two integers and compares two
//! integers, with no pointer to chase and no string to compare. Longer or
//! non-ASCII words go to an ordinary string-keyed map.

use rustc_hash::FxHashMap;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// A map from a word's lower-case form to `V`, looked up by the word as written.
///
/// In the prebuilt image (see [`super::prebuilt`]) the packed words are an
/// open-addressing hash table of fixed-size records ([`FixedBytes`]), laid
/// out when the image is written and probed in place when it is read: a
/// start-up builds nothing for its 65,000 words, and a lookup hashes, probes
/// and decodes one 32-byte record. A compiled map (and any map that is
/// changed) keeps them in an ordinary hash map.
#[derive(Debug, Clone)]
pub struct WordMap<V> {
    short: HashMap<u128, V, BuildHasherDefault<PackedWordHasher>>,
    /// The packed words of an image, when this map was read from one.
    table: Option<Slots>,
    long: FxHashMap<Box<str>, V>,
}

/// An open-addressing table in an image: a power of two of slots, each a
/// 16-byte packed key (zero when empty) and the value's bytes, probed
/// linearly from the key's hash.
#[derive(Debug, Clone, Copy)]
struct Slots {
    bytes: &'static [u8],
    mask: usize,
}

/// The slot a key's probe starts at.
fn home(key: u128, mask: usize) -> usize {
    let mut hasher = PackedWordHasher::default();
    hasher.write_u128(key);
    hasher.finish() as usize & mask
}

impl<V> Default for WordMap<V> {
    fn default() -> Self {
        WordMap {
            short: HashMap::default(),
            table: None,
            long: FxHashMap::default(),
        }
    }
}

/// Hashes a packed word with a full 64-bit mix, so that words sharing their
/// first letters (whose low bits agree) still spread over the whole table.
#[derive(Debug, Default, Clone, Copy)]
pub struct PackedWordHasher(u64);

impl Hasher for PackedWordHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }

    #[inline]
    fn write_u64(&mut self, x: u64) {
        // splitmix64's finaliser over the running state.
        let mut z = (self.0 ^ x).wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        self.0 = z ^ (z >> 31);
    }

    #[inline]
    fn write_u128(&mut self, x: u128) {
        // A folded multiply: the high half of the 128-bit product depends on
        // every input bit, the low half keeps the low bits apart. Four
        // instructions, against the dozen of the 64-bit finaliser above.
        let x = self.0 ^ (x as u64) ^ ((x >> 64) as u64).rotate_left(29);
        let product = u128::from(x) * 0x9E37_79B9_7F4A_7C15_u128;
        self.0 = (product as u64) ^ ((product >> 64) as u64);
    }
}

/// Packs a word of at most 16 ASCII bytes, lower-cased, into an integer.
/// `None` for longer or non-ASCII words. Pack a word once and probe a
/// [`WordMap`] with the key.
#[inline]
pub fn pack(word: &str) -> Option<u128> {
    let mut key = load_le(word.as_bytes())?;
    // Any byte >= 0x80 means non-ASCII.
    if key & 0x8080_8080_8080_8080_8080_8080_8080_8080 != 0 {
        return None;
    }
    // Lower-case A-Z in all lanes at once: add 0x3f to each byte so that bytes
    // >= 'A' (0x41) reach bit 7, add 0x25 so that bytes > 'Z' (0x5a) reach it
    // too; uppercase letters are those with the first bit set and not the second.
    const LANES: u128 = 0x0101_0101_0101_0101_0101_0101_0101_0101;
    let ge_a = key.wrapping_add(LANES * 0x3f);
    let gt_z = key.wrapping_add(LANES * 0x25);
    let upper = ge_a & !gt_z & (LANES * 0x80);
    key |= upper >> 2; // 0x80 >> 2 == 0x20, the case bit
    Some(key)
}

/// The bytes of a word of 1 to 16 bytes as a little-endian integer, zero above
/// its length. Built from two overlapping fixed-size loads rather than a copy
/// of variable length, which would cost a call to `memcpy` per word.
#[inline]
fn load_le(bytes: &[u8]) -> Option<u128> {
    let n = bytes.len();
    let u64_at = |i: usize| u64::from_le_bytes(bytes[i..i + 8].try_into().unwrap_or([0; 8]));
    let u32_at = |i: usize| u32::from_le_bytes(bytes[i..i + 4].try_into().unwrap_or([0; 4]));
    Some(match n {
        0 => return None,
        // The first, middle and last bytes cover every length from 1 to 3.
        1..=3 => u128::from(
            u32::from(bytes[0])
                | u32::from(bytes[n / 2]) << (8 * (n / 2))
                | u32::from(bytes[n - 1]) << (8 * (n - 1)),
        ),
        // The second load overlaps the first; OR keeps the shared bytes.
        4..=8 => u128::from(u32_at(0) as u64 | (u64::from(u32_at(n - 4)) << (8 * (n - 4)))),
        9..=16 => u128::from(u64_at(0)) | (u128::from(u64_at(n - 8)) << (8 * (n - 8))),
        _ => return None,
    })
}

/// A value a [`WordMap`] stores in its image as `SIZE` bytes.
pub trait FixedBytes: Sized {
    /// The size of one value in the image.
    const SIZE: usize;
    /// Appends the value's `SIZE` bytes.
    fn put(&self, out: &mut Vec<u8>);
    /// The value of `SIZE` bytes, `None` if they are not one.
    fn take(bytes: &[u8]) -> Option<Self>;
}

impl FixedBytes for u32 {
    const SIZE: usize = 4;

    fn put(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.to_le_bytes());
    }

    fn take(bytes: &[u8]) -> Option<Self> {
        Some(u32::from_le_bytes(bytes.try_into().ok()?))
    }
}

/// Serializes as bytes (postcard writes them as one length-prefixed run).
struct AsBytes<'a>(&'a [u8]);

impl serde::Serialize for AsBytes<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bytes(self.0)
    }
}

impl<V: FixedBytes + Copy> WordMap<V> {
    fn record_size() -> usize {
        16 + V::SIZE
    }

    /// The packed words as a table of slots, at most half full.
    fn slot_bytes(&self) -> Vec<u8> {
        let size = Self::record_size();
        let mut entries: Vec<(u128, V)> = self.short_entries().collect();
        entries.sort_unstable_by_key(|&(key, _)| key);
        let slots = (entries.len() * 2).next_power_of_two().max(16);
        let mask = slots - 1;
        let mut bytes = vec![0u8; slots * size];
        let mut value = Vec::with_capacity(V::SIZE);
        for (key, v) in entries {
            let mut at = home(key, mask);
            while bytes[at * size..at * size + 16] != [0u8; 16] {
                at = (at + 1) & mask;
            }
            bytes[at * size..at * size + 16].copy_from_slice(&key.to_le_bytes());
            value.clear();
            v.put(&mut value);
            bytes[at * size + 16..(at + 1) * size].copy_from_slice(&value);
        }
        bytes
    }

    /// The packed words with their values, from the map or the table.
    fn short_entries(&self) -> Box<dyn Iterator<Item = (u128, V)> + '_> {
        match &self.table {
            None => Box::new(self.short.iter().map(|(&k, &v)| (k, v))),
            Some(slots) => {
                let size = Self::record_size();
                Box::new(slots.bytes.chunks_exact(size).filter_map(|record| {
                    let key = u128::from_le_bytes(record[..16].try_into().expect("16 bytes"));
                    (key != 0).then(|| (key, Self::value_of(record)))
                }))
            }
        }
    }

    fn value_of(record: &[u8]) -> V {
        V::take(&record[16..]).expect("an image's records decode (checked by the image's tests)")
    }

    /// Moves an image's table into the hash map, so that it can change.
    fn make_owned(&mut self) {
        if self.table.is_some() {
            let entries: Vec<(u128, V)> = self.short_entries().collect();
            self.table = None;
            self.short.extend(entries);
        }
    }

    /// Whether every record of an image's table decodes (it always does for
    /// an image this crate wrote; its tests check the embedded one).
    #[cfg(test)]
    pub(super) fn records_decode(&self) -> bool {
        let size = Self::record_size();
        self.table.is_none_or(|slots| {
            slots
                .bytes
                .chunks_exact(size)
                .all(|record| record[..16] == [0u8; 16] || V::take(&record[16..]).is_some())
        })
    }
}

impl<V: FixedBytes + Copy + serde::Serialize> serde::Serialize for WordMap<V> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let slots = self.slot_bytes();
        serde::Serialize::serialize(&(AsBytes(&slots), &self.long), s)
    }
}

impl<'de: 'static, V: FixedBytes + serde::Deserialize<'de>> serde::Deserialize<'de> for WordMap<V> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let (bytes, long): (&'static [u8], FxHashMap<Box<str>, V>) =
            serde::Deserialize::deserialize(d)?;
        let size = 16 + V::SIZE;
        let slots = bytes.len() / size;
        if bytes.len() % size != 0 || !slots.is_power_of_two() {
            return Err(serde::de::Error::custom(
                "the word table is not a power of two of whole records",
            ));
        }
        Ok(WordMap {
            short: HashMap::default(),
            table: Some(Slots {
                bytes,
                mask: slots - 1,
            }),
            long,
        })
    }
}

impl<V: FixedBytes + Copy> WordMap<V> {
    /// Every lower-case form (of short ASCII words, unpacked) with its value.
    pub fn for_each(&self, mut f: impl FnMut(&str, &V)) {
        for (key, v) in self.short_entries() {
            let bytes = key.to_le_bytes();
            let len = bytes.iter().position(|&b| b == 0).unwrap_or(16);
            if let Ok(s) = std::str::from_utf8(&bytes[..len]) {
                f(s, &v);
            }
        }
        for (k, v) in &self.long {
            f(k, v);
        }
    }

    /// Every value, to change in place.
    pub fn for_each_mut(&mut self, mut f: impl FnMut(&mut V)) {
        self.make_owned();
        self.short.values_mut().for_each(&mut f);
        self.long.values_mut().for_each(f);
    }

    /// Reserves room for `n` more words.
    pub fn reserve(&mut self, n: usize) {
        self.make_owned();
        self.short.reserve(n);
    }

    /// The value for a word already [`pack`]ed.
    #[inline]
    pub fn get_packed(&self, key: u128) -> Option<V> {
        let Some(slots) = &self.table else {
            return self.short.get(&key).copied();
        };
        let size = Self::record_size();
        let mut at = home(key, slots.mask);
        loop {
            let record = &slots.bytes[at * size..(at + 1) * size];
            let found = u128::from_le_bytes(record[..16].try_into().expect("16 bytes"));
            if found == key {
                return Some(Self::value_of(record));
            }
            if found == 0 {
                return None;
            }
            at = (at + 1) & slots.mask;
        }
    }

    /// The value for `word`, compared case-insensitively.
    #[inline]
    pub fn get(&self, word: &str) -> Option<V> {
        match pack(word) {
            Some(key) => self.get_packed(key),
            None => {
                if word.bytes().any(|b| b.is_ascii_uppercase()) || !word.is_ascii() {
                    let lower = word.to_lowercase();
                    self.long.get(lower.as_str()).copied()
                } else {
                    self.long.get(word).copied()
                }
            }
        }
    }

    /// The value for the lower-case `form`, inserted with `make` if missing.
    pub fn entry_or_insert_with(&mut self, form: &str, make: impl FnOnce() -> V) -> &mut V {
        self.make_owned();
        match pack(form) {
            Some(key) => self.short.entry(key).or_insert_with(make),
            None => self.long.entry(Box::from(form)).or_insert_with(make),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookup_ignores_ascii_case_and_handles_long_and_unicode_words() {
        let mut m = WordMap::default();
        for (i, w) in ["arsenic", "supercalifragilistic", "été", "a", "z@[`{"]
            .iter()
            .enumerate()
        {
            *m.entry_or_insert_with(w, || 0) = i as u32;
        }
        assert_eq!(m.get("ARSENIC"), Some(0));
        assert_eq!(m.get("Arsenic"), Some(0));
        assert_eq!(m.get("SuperCalifragilistic"), Some(1));
        assert_eq!(m.get("Été"), Some(2));
        assert_eq!(m.get("A"), Some(3));
        // Letters fold; the bytes next to the letter range ('@', '[') do not.
        assert_eq!(m.get("Z@[`{"), Some(4));
        assert_eq!(m.get("z`[`{"), None);
        assert_eq!(m.get("z@{`{"), None);
        assert_eq!(m.get("arsenics"), None);
    }

    #[test]
    fn a_word_map_reads_back_from_its_image_and_refuses_damaged_records() {
        use crate::detect::cues::WordClass;
        let mut m = WordMap::default();
        for (i, w) in ["on", "supercalifragilistic", "été", "despite"]
            .iter()
            .enumerate()
        {
            *m.entry_or_insert_with(w, || WordClass::Content) = [
                WordClass::Preposition,
                WordClass::Adverb,
                WordClass::Pronoun,
                WordClass::Preposition,
            ][i];
        }
        let bytes: &'static [u8] = postcard::to_allocvec(&m).unwrap().leak();
        let back: WordMap<WordClass> = postcard::from_bytes(bytes).unwrap();
        assert!(back.table.is_some() && back.records_decode());
        for w in ["On", "SUPERCALIFRAGILISTIC", "Été", "despite"] {
            assert_eq!(back.get(w), m.get(w), "{w}");
        }
        assert_eq!(back.get("in"), None);
        let mut words = Vec::new();
        back.for_each(|w, &class| words.push((w.to_owned(), class)));
        words.sort_by(|a, b| a.0.cmp(&b.0));
        assert_eq!(words.len(), 4);
        assert_eq!(words[0], ("despite".to_owned(), WordClass::Preposition));
        // The table: 16 slots (at most half full) of a 16-byte key and a class
        // byte, after a two-byte length.
        assert_eq!(&bytes[..2], &[0x90, 0x02]);
        let slot = (0..16)
            .find(|i| bytes[2 + i * 17..2 + i * 17 + 16] != [0u8; 16])
            .unwrap();
        // A class byte no class has is found by the check.
        let mut damaged = bytes.to_vec();
        damaged[2 + slot * 17 + 16] = 200;
        let damaged: WordMap<WordClass> = postcard::from_bytes(damaged.leak()).unwrap();
        assert!(!damaged.records_decode());
        // A table that is not a power of two of records is refused.
        let mut cut = vec![0x8f, 0x02];
        cut.extend_from_slice(&bytes[2..2 + 271]);
        cut.extend_from_slice(&bytes[2 + 272..]);
        assert!(postcard::from_bytes::<WordMap<WordClass>>(cut.leak()).is_err());
    }

    #[test]
    fn a_changed_image_map_moves_to_the_hash_map_and_keeps_its_words() {
        use crate::detect::cues::WordClass;
        let mut m = WordMap::default();
        *m.entry_or_insert_with("on", || WordClass::Content) = WordClass::Preposition;
        let bytes: &'static [u8] = postcard::to_allocvec(&m).unwrap().leak();
        let mut back: WordMap<WordClass> = postcard::from_bytes(bytes).unwrap();
        *back.entry_or_insert_with("in", || WordClass::Content) = WordClass::Preposition;
        assert!(back.table.is_none());
        assert_eq!(back.get("ON"), Some(WordClass::Preposition));
        assert_eq!(back.get("in"), Some(WordClass::Preposition));
    }

    #[test]
    fn packing_keeps_every_byte_of_words_of_every_length() {
        let word = "abcdefghijklmnopq";
        for n in 0..=word.len() {
            let mut buf = [0u8; 16];
            let expected = (1..=16).contains(&n).then(|| {
                buf[..n].copy_from_slice(&word.as_bytes()[..n]);
                u128::from_le_bytes(buf)
            });
            assert_eq!(pack(&word[..n]), expected, "length {n}");
        }
    }

    #[test]
    fn packing_lowercases_exactly_the_ascii_letters() {
        for b in 0u8..128 {
            let s = (b as char).to_string();
            let expected = pack(&s.to_ascii_lowercase());
            assert_eq!(pack(&s), expected, "byte {b}");
        }
    }
}
