//! Read-only lookup tables laid out in one byte buffer and read where they lie.
//!
//! The embedded model is compiled into this form when the crate is built
//! (`build.rs`), so that starting the checker parses and hashes nothing: a
//! table is a few offsets into bytes that are part of the binary, and only the
//! pages a lookup touches are ever read. The same writer serves models built
//! at run time from text, so one reader serves both.
//!
//! All numbers are little-endian. Two kinds of table:
//!
//! - a string index ([`StrIndex`]): strings numbered 0.. in the order given,
//!   found by open addressing over a power-of-two slot array;
//! - a pair table ([`PairTable`]): `u64` keys with `u32` values, open
//!   addressing with linear probing, key and value side by side so that a
//!   probe touches one cache line.

use std::sync::Arc;

/// The bytes of an image: part of the binary, or built at run time.
#[derive(Debug, Clone)]
pub enum Bytes {
    /// Compiled into the binary.
    Static(&'static [u8]),
    /// Built at run time (shared by clones).
    Shared(Arc<[u8]>),
}

impl std::ops::Deref for Bytes {
    type Target = [u8];

    #[inline]
    fn deref(&self) -> &[u8] {
        match self {
            Bytes::Static(b) => b,
            Bytes::Shared(b) => b,
        }
    }
}

/// The `u32` at byte `at`.
#[inline]
pub fn u32_at(bytes: &[u8], at: usize) -> u32 {
    let mut b = [0; 4];
    b.copy_from_slice(&bytes[at..at + 4]);
    u32::from_le_bytes(b)
}

/// The `u64` at byte `at`.
#[inline]
pub fn u64_at(bytes: &[u8], at: usize) -> u64 {
    let mut b = [0; 8];
    b.copy_from_slice(&bytes[at..at + 8]);
    u64::from_le_bytes(b)
}

/// Hash of a string's bytes; fixed, because images built at compile time are
/// read with it at run time.
#[inline]
pub fn hash_str(s: &[u8]) -> u64 {
    let mut h = 0x243F_6A88_85A3_08D3_u64 ^ s.len() as u64;
    let mut chunks = s.chunks_exact(8);
    for chunk in &mut chunks {
        h = mix(h ^ u64_at(chunk, 0));
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut b = [0; 8];
        b[..rest.len()].copy_from_slice(rest);
        h = mix(h ^ u64::from_le_bytes(b));
    }
    finish(h)
}

#[inline]
fn mix(h: u64) -> u64 {
    h.wrapping_mul(0x9E37_79B9_7F4A_7C15).rotate_left(31)
}

#[inline]
fn finish(mut h: u64) -> u64 {
    h ^= h >> 33;
    h = h.wrapping_mul(0xFF51_AFD7_ED55_8CCD);
    h ^ (h >> 33)
}

/// Hash of a pair-table key (its top bits pick the slot).
#[inline]
fn hash_key(key: u64) -> u64 {
    finish(key.wrapping_mul(0x9E37_79B9_7F4A_7C15))
}

/// The smallest power of two holding `n` items at most `max_load` percent
/// full, as log2.
fn slots_log2(n: usize, max_load: usize) -> u32 {
    let wanted = (n * 100 / max_load + 1).max(2);
    wanted.next_power_of_two().trailing_zeros()
}

/// How full a string index may be: it is read while the checker is built,
/// mostly for words it holds.
const STR_MAX_LOAD: usize = 70;

/// How full a pair table may be: most probes of a check are for pairs never
/// seen, and a miss reads on to the next empty slot (2.5 slots on average at
/// half full, 6 at 70 %; at 70 % callgrind put the pair lookups of a check
/// at 3.5 times those of the hash map they replace).
const PAIR_MAX_LOAD: usize = 50;

/// The slot `hash` starts its probe at, of `1 << log2`.
#[inline]
fn first_slot(hash: u64, log2: u32) -> usize {
    (hash >> (64 - log2)) as usize
}

/// Appends the sections of an image.
#[derive(Debug, Default)]
pub struct Writer {
    /// The image so far.
    pub bytes: Vec<u8>,
}

impl Writer {
    /// Appends a `u32`.
    pub fn u32(&mut self, v: u32) {
        self.bytes.extend_from_slice(&v.to_le_bytes());
    }

    /// Appends a `u64`.
    pub fn u64(&mut self, v: u64) {
        self.bytes.extend_from_slice(&v.to_le_bytes());
    }

    /// Appends a `u32` array.
    pub fn u32s(&mut self, values: &[u32]) {
        for &v in values {
            self.u32(v);
        }
    }

    /// Appends a string index of `strings`, numbered in order. Strings must be
    /// distinct.
    pub fn str_index<S: AsRef<str>>(&mut self, strings: &[S]) {
        let log2 = slots_log2(strings.len(), STR_MAX_LOAD);
        let mut slots = vec![u32::MAX; 1 << log2];
        let mask = slots.len() - 1;
        let mut offsets = Vec::with_capacity(strings.len() + 1);
        let mut text_len = 0u32;
        for (i, s) in strings.iter().enumerate() {
            let s = s.as_ref().as_bytes();
            offsets.push(text_len);
            text_len += s.len() as u32;
            let mut slot = first_slot(hash_str(s), log2);
            while slots[slot] != u32::MAX {
                slot = (slot + 1) & mask;
            }
            slots[slot] = i as u32;
        }
        offsets.push(text_len);
        self.u32(strings.len() as u32);
        self.u32(log2);
        self.u32s(&offsets);
        self.u32s(&slots);
        for s in strings {
            self.bytes.extend_from_slice(s.as_ref().as_bytes());
        }
    }

    /// Appends a pair table of `pairs`. Keys must be distinct and not
    /// `u64::MAX` (the empty slot).
    pub fn pair_table(&mut self, pairs: &[(u64, u32)]) {
        let log2 = slots_log2(pairs.len(), PAIR_MAX_LOAD);
        let mut slots = vec![(u64::MAX, 0u32); 1 << log2];
        let mask = slots.len() - 1;
        for &(key, value) in pairs {
            let mut slot = first_slot(hash_key(key), log2);
            while slots[slot].0 != u64::MAX {
                slot = (slot + 1) & mask;
            }
            slots[slot] = (key, value);
        }
        self.u32(log2);
        for (key, value) in slots {
            self.u64(key);
            self.u32(value);
        }
    }
}

/// Reads the sections of an image in order, checking that each fits.
#[derive(Debug)]
pub struct Reader<'b> {
    bytes: &'b [u8],
    /// Offset of the next section.
    pub at: usize,
}

impl<'b> Reader<'b> {
    /// A reader at the start of `bytes`.
    pub fn new(bytes: &'b [u8]) -> Self {
        Reader { bytes, at: 0 }
    }

    fn take(&mut self, n: usize) -> Result<usize, String> {
        let start = self.at;
        let end = start
            .checked_add(n)
            .filter(|&end| end <= self.bytes.len())
            .ok_or_else(|| format!("image truncated at byte {start} (needs {n} more)"))?;
        self.at = end;
        Ok(start)
    }

    /// Reads a `u32`.
    pub fn u32(&mut self) -> Result<u32, String> {
        let at = self.take(4)?;
        Ok(u32_at(self.bytes, at))
    }

    /// Reads a `u64`.
    pub fn u64(&mut self) -> Result<u64, String> {
        let at = self.take(8)?;
        Ok(u64_at(self.bytes, at))
    }

    /// Skips an array of `n` `u32`s and returns where it starts.
    pub fn u32s(&mut self, n: usize) -> Result<U32s, String> {
        let at = self.take(n.checked_mul(4).ok_or("array too long")?)?;
        Ok(U32s { at, len: n })
    }

    /// Reads a string index.
    pub fn str_index(&mut self) -> Result<StrIndex, String> {
        let len = self.u32()? as usize;
        let log2 = self.u32()?;
        if !(1..32).contains(&log2) {
            return Err(format!("string index with 2^{log2} slots"));
        }
        let offsets = self.u32s(len + 1)?;
        let slots = self.u32s(1 << log2)?;
        let text_len = offsets.get(self.bytes, len) as usize;
        let text = self.take(text_len)?;
        Ok(StrIndex {
            len: len as u32,
            log2,
            offsets: offsets.at,
            slots: slots.at,
            text,
        })
    }

    /// Reads a pair table.
    pub fn pair_table(&mut self) -> Result<PairTable, String> {
        let log2 = self.u32()?;
        if !(1..32).contains(&log2) {
            return Err(format!("pair table with 2^{log2} slots"));
        }
        let slots = self.take((1usize << log2) * 12)?;
        Ok(PairTable { log2, slots })
    }
}

/// An array of `u32` inside an image.
#[derive(Debug, Clone, Copy, Default)]
pub struct U32s {
    at: usize,
    len: usize,
}

impl U32s {
    /// Number of items.
    pub fn len(&self) -> usize {
        self.len
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Item `i` (panics past the end).
    #[inline]
    pub fn get(&self, bytes: &[u8], i: usize) -> u32 {
        assert!(i < self.len, "index {i} past an array of {}", self.len);
        u32_at(bytes, self.at + 4 * i)
    }
}

/// Distinct strings numbered 0.., inside an image.
#[derive(Debug, Clone, Copy, Default)]
pub struct StrIndex {
    len: u32,
    log2: u32,
    offsets: usize,
    slots: usize,
    text: usize,
}

impl StrIndex {
    /// Number of strings.
    pub fn len(&self) -> usize {
        self.len as usize
    }

    /// True when it holds no string.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// String `i`.
    pub fn key<'b>(&self, bytes: &'b [u8], i: u32) -> &'b str {
        let start = u32_at(bytes, self.offsets + 4 * i as usize) as usize;
        let end = u32_at(bytes, self.offsets + 4 * (i as usize + 1)) as usize;
        std::str::from_utf8(&bytes[self.text + start..self.text + end])
            .expect("image strings are UTF-8")
    }

    /// The number of `s`, if it is one of the strings.
    #[inline]
    pub fn get(&self, bytes: &[u8], s: &str) -> Option<u32> {
        if self.is_empty() {
            return None;
        }
        let mask = (1usize << self.log2) - 1;
        let mut slot = first_slot(hash_str(s.as_bytes()), self.log2);
        loop {
            let i = u32_at(bytes, self.slots + 4 * slot);
            if i == u32::MAX {
                return None;
            }
            let start = u32_at(bytes, self.offsets + 4 * i as usize) as usize;
            let end = u32_at(bytes, self.offsets + 4 * (i as usize + 1)) as usize;
            if &bytes[self.text + start..self.text + end] == s.as_bytes() {
                return Some(i);
            }
            slot = (slot + 1) & mask;
        }
    }
}

/// `u64` keys with `u32` values, inside an image.
#[derive(Debug, Clone, Copy, Default)]
pub struct PairTable {
    log2: u32,
    slots: usize,
}

impl PairTable {
    /// The value of `key`.
    #[inline]
    pub fn get(&self, bytes: &[u8], key: u64) -> Option<u32> {
        if self.log2 == 0 {
            return None;
        }
        let mask = (1usize << self.log2) - 1;
        let mut slot = first_slot(hash_key(key), self.log2);
        loop {
            let at = self.slots + 12 * slot;
            let k = u64_at(bytes, at);
            if k == key {
                return Some(u32_at(bytes, at + 8));
            }
            if k == u64::MAX {
                return None;
            }
            slot = (slot + 1) & mask;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_string_is_found_under_its_number_and_no_other_string_is() {
        let words: Vec<String> = (0..5000).map(|i| format!("w{i}")).collect();
        let mut w = Writer::default();
        w.u32(7);
        w.str_index(&words);
        let mut r = Reader::new(&w.bytes);
        assert_eq!(r.u32().unwrap(), 7);
        let index = r.str_index().unwrap();
        assert_eq!(r.at, w.bytes.len(), "the index ends where it was written");
        assert_eq!(index.len(), 5000);
        for (i, word) in words.iter().enumerate() {
            assert_eq!(index.get(&w.bytes, word), Some(i as u32));
            assert_eq!(index.key(&w.bytes, i as u32), word);
        }
        for absent in ["", "w", "w5000", "w12345", "x0"] {
            assert_eq!(index.get(&w.bytes, absent), None, "{absent}");
        }
    }

    #[test]
    fn an_empty_index_and_table_find_nothing() {
        let mut w = Writer::default();
        w.str_index::<&str>(&[]);
        w.pair_table(&[]);
        let mut r = Reader::new(&w.bytes);
        let (index, table) = (r.str_index().unwrap(), r.pair_table().unwrap());
        assert_eq!(index.get(&w.bytes, "the"), None);
        assert_eq!(table.get(&w.bytes, 0), None);
    }

    #[test]
    fn every_pair_key_finds_its_value_and_others_find_none() {
        let pairs: Vec<(u64, u32)> = (0..20_000u64)
            .map(|i| (((i % 300) << 32) | (i / 300), i as u32 * 3))
            .collect();
        let mut w = Writer::default();
        w.pair_table(&pairs);
        let table = Reader::new(&w.bytes).pair_table().unwrap();
        for &(key, value) in &pairs {
            assert_eq!(table.get(&w.bytes, key), Some(value));
        }
        assert_eq!(table.get(&w.bytes, 300 << 32), None);
        assert_eq!(table.get(&w.bytes, u64::MAX - 1), None);
    }

    #[test]
    fn a_truncated_image_is_an_error_not_a_panic() {
        let mut w = Writer::default();
        w.str_index(&["on", "friday"]);
        for cut in [0, 3, 8, w.bytes.len() - 1] {
            let err = Reader::new(&w.bytes[..cut]).str_index().unwrap_err();
            assert!(err.contains("truncated"), "{cut}: {err}");
        }
    }
}
