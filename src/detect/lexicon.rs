//! The lexicon's hash map, tuned for the one probe per word that sets the speed
//! of the whole check.
//!
//! Most words are short ASCII. Those are packed, lower-cased, into a `u128` key
//! stored inline in the table: the probe hashes two integers and compares two
//! integers, with no pointer to chase and no string to compare. Longer or
//! non-ASCII words go to an ordinary string-keyed map.

use rustc_hash::FxHashMap;

/// A map from a word's lower-case form to `V`, looked up by the word as written.
#[derive(Debug, Clone)]
pub struct WordMap<V> {
    short: FxHashMap<u128, V>,
    long: FxHashMap<Box<str>, V>,
}

impl<V> Default for WordMap<V> {
    fn default() -> Self {
        WordMap {
            short: FxHashMap::default(),
            long: FxHashMap::default(),
        }
    }
}

/// Packs a word of at most 16 ASCII bytes, lower-cased, into an integer.
/// `None` for longer or non-ASCII words.
#[inline]
fn pack(word: &str) -> Option<u128> {
    let bytes = word.as_bytes();
    if bytes.len() > 16 || bytes.is_empty() {
        return None;
    }
    let mut buf = [0u8; 16];
    buf[..bytes.len()].copy_from_slice(bytes);
    let mut key = u128::from_le_bytes(buf);
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

impl<V> WordMap<V> {
    /// Reserves room for `n` more words.
    pub fn reserve(&mut self, n: usize) {
        self.short.reserve(n);
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
        for (i, w) in ["arsenic", "supercalifragilistic", "été", "a", "z@[`{"].iter().enumerate() {
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
    fn packing_lowercases_exactly_the_ascii_letters() {
        for b in 0u8..128 {
            let s = (b as char).to_string();
            let expected = pack(&s.to_ascii_lowercase());
            assert_eq!(pack(&s), expected, "byte {b}");
        }
    }
}
