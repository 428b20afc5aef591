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
/// In the prebuilt image (see [`super::prebuilt`]) the packed words are one
/// run of fixed-size records ([`FixedBytes`]), read back in a tight loop
/// into a table reserved at its final size: 65,000 words, no per-field
/// decoding and no rehashing.
#[derive(Debug, Clone)]
pub struct WordMap<V> {
    short: HashMap<u128, V, BuildHasherDefault<PackedWordHasher>>,
    long: FxHashMap<Box<str>, V>,
}

impl<V> Default for WordMap<V> {
    fn default() -> Self {
        WordMap {
            short: HashMap::default(),
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

/// Serializes as bytes (postcard writes them as one length-prefixed run).
struct AsBytes<'a>(&'a [u8]);

impl serde::Serialize for AsBytes<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bytes(self.0)
    }
}

impl<V: FixedBytes + serde::Serialize> serde::Serialize for WordMap<V> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut records = Vec::with_capacity(self.short.len() * (16 + V::SIZE));
        for (key, value) in &self.short {
            records.extend_from_slice(&key.to_le_bytes());
            value.put(&mut records);
        }
        serde::Serialize::serialize(&(AsBytes(&records), &self.long), s)
    }
}

impl<'de, V: FixedBytes + serde::Deserialize<'de>> serde::Deserialize<'de> for WordMap<V> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let (records, long): (&'de [u8], FxHashMap<Box<str>, V>) =
            serde::Deserialize::deserialize(d)?;
        let size = 16 + V::SIZE;
        if records.len() % size != 0 {
            return Err(serde::de::Error::custom("word records of a partial size"));
        }
        let mut short = HashMap::default();
        short.reserve(records.len() / size);
        for record in records.chunks_exact(size) {
            let key = u128::from_le_bytes(record[..16].try_into().expect("16 bytes"));
            let value = V::take(&record[16..])
                .ok_or_else(|| serde::de::Error::custom("invalid word record"))?;
            short.insert(key, value);
        }
        Ok(WordMap { short, long })
    }
}

impl<V> WordMap<V> {
    /// Every lower-case form (of short ASCII words, unpacked) with its value.
    pub fn for_each(&self, mut f: impl FnMut(&str, &V)) {
        for (key, v) in &self.short {
            let bytes = key.to_le_bytes();
            let len = bytes.iter().position(|&b| b == 0).unwrap_or(16);
            if let Ok(s) = std::str::from_utf8(&bytes[..len]) {
                f(s, v);
            }
        }
        for (k, v) in &self.long {
            f(k, v);
        }
    }

    /// Every value, to change in place.
    pub fn for_each_mut(&mut self, mut f: impl FnMut(&mut V)) {
        self.short.values_mut().for_each(&mut f);
        self.long.values_mut().for_each(f);
    }

    /// Reserves room for `n` more words.
    pub fn reserve(&mut self, n: usize) {
        self.short.reserve(n);
    }

    /// The value for a word already [`pack`]ed.
    #[inline]
    pub fn get_packed(&self, key: u128) -> Option<&V> {
        self.short.get(&key)
    }

    /// The value for `word`, compared case-insensitively.
    #[inline]
    pub fn get(&self, word: &str) -> Option<&V> {
        match pack(word) {
            Some(key) => self.short.get(&key),
            None => {
                if word.bytes().any(|b| b.is_ascii_uppercase()) || !word.is_ascii() {
                    let lower = word.to_lowercase();
                    self.long.get(lower.as_str())
                } else {
                    self.long.get(word)
                }
            }
        }
    }

    /// The value for the lower-case `form`, inserted with `make` if missing.
    pub fn entry_or_insert_with(&mut self, form: &str, make: impl FnOnce() -> V) -> &mut V {
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
            *m.entry_or_insert_with(w, || 0) = i;
        }
        assert_eq!(m.get("ARSENIC"), Some(&0));
        assert_eq!(m.get("Arsenic"), Some(&0));
        assert_eq!(m.get("SuperCalifragilistic"), Some(&1));
        assert_eq!(m.get("Été"), Some(&2));
        assert_eq!(m.get("A"), Some(&3));
        // Letters fold; the bytes next to the letter range ('@', '[') do not.
        assert_eq!(m.get("Z@[`{"), Some(&4));
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
        let bytes = postcard::to_allocvec(&m).unwrap();
        let back: WordMap<WordClass> = postcard::from_bytes(&bytes).unwrap();
        for w in ["On", "SUPERCALIFRAGILISTIC", "Été", "despite"] {
            assert_eq!(back.get(w), m.get(w), "{w}");
        }
        assert_eq!(back.get("in"), None);
        // A class byte no class has: an error, not a wrong class.
        let mut damaged = bytes.clone();
        // One length byte, then the first record's 16-byte key and class byte.
        assert_eq!(usize::from(damaged[0]), 2 * 17);
        damaged[1 + 16] = 200;
        assert!(postcard::from_bytes::<WordMap<WordClass>>(&damaged).is_err());
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
