//! The word trie over the dictionaries' phrases (tortured phrases, multi-word
//! entries, PPS condition phrases): almost every word of a text takes one step
//! into it, so dead ends are answered from bit sets before any hashing.

use super::records::Records;
use super::NONE;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
pub(super) enum Terminal {
    Phrase(u32),
    Condition(u32),
}

/// A word trie over the phrases. Most words of ordinary English are the first
/// word of some phrase, and almost every walk ends one step later: the bit
/// sets below answer those dead ends from the cache, before the edge map or
/// the terminal lists are touched.
///
/// In the prebuilt image the bit sets and the roots are runs of little-endian
/// integers (copied, not decoded one varint at a time) and the terminal lists
/// are records decoded when a walk first reaches them ([`Records`]).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(bound(deserialize = "'de: 'static"))]
pub(super) struct Trie {
    pub(super) edges: FxHashMap<(u32, u32), u32>,
    /// Bits set at a hash of every edge key: a clear bit means no edge.
    #[serde(with = "little_endian::u64s")]
    pub(super) edge_bits: Vec<u64>,
    /// The edges from the root, by word: every walk starts there, most end
    /// there, and an array answers without hashing.
    #[serde(with = "little_endian::u32s")]
    pub(super) roots: Vec<u32>,
    pub(super) terminals: Records<Vec<Terminal>>,
    /// Nodes with a terminal, one bit each.
    #[serde(with = "little_endian::u64s")]
    pub(super) terminal_bits: Vec<u64>,
}

/// Integer vectors as one run of little-endian bytes in an image.
pub(super) mod little_endian {
    macro_rules! vector_as_bytes {
        ($name:ident, $int:ty) => {
            pub(in super::super) mod $name {
                use serde::{Deserialize, Deserializer, Serializer};
                const SIZE: usize = std::mem::size_of::<$int>();

                pub(in super::super::super) fn serialize<S: Serializer>(
                    values: &[$int],
                    s: S,
                ) -> Result<S::Ok, S::Error> {
                    let bytes: Vec<u8> = values.iter().flat_map(|v| v.to_le_bytes()).collect();
                    s.serialize_bytes(&bytes)
                }

                pub(in super::super::super) fn deserialize<'de, D: Deserializer<'de>>(
                    d: D,
                ) -> Result<Vec<$int>, D::Error> {
                    let bytes = <&'de [u8]>::deserialize(d)?;
                    if bytes.len() % SIZE != 0 {
                        return Err(serde::de::Error::custom("a partial integer"));
                    }
                    Ok(bytes
                        .chunks_exact(SIZE)
                        .map(|b| <$int>::from_le_bytes(b.try_into().expect("whole integers")))
                        .collect())
                }
            }
        };
    }
    vector_as_bytes!(u64s, u64);
    vector_as_bytes!(u32s, u32);
}

/// log2 of the number of bits in [`Trie::edge_bits`]: 128 KiB, of which the
/// catalogue's 17,000 edges set under 2 %.
pub(super) const EDGE_BITS_LOG2: u32 = 20;

pub(super) fn edge_bit(node: u32, word: u32) -> usize {
    let key = (u64::from(node) << 32) | u64::from(word);
    (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - EDGE_BITS_LOG2)) as usize
}

/// Sets bit `i` of a bit set, growing it as needed.
pub(super) fn set_bit(bits: &mut Vec<u64>, i: usize) {
    if bits.len() <= i / 64 {
        bits.resize(i / 64 + 1, 0);
    }
    bits[i / 64] |= 1 << (i % 64);
}

/// Whether bit `i` of a bit set is set (false past its end).
#[inline(always)]
pub(super) fn bit_is_set(bits: &[u64], i: usize) -> bool {
    bits.get(i / 64).is_some_and(|b| b & (1 << (i % 64)) != 0)
}

impl Trie {
    pub(super) fn new() -> Self {
        Trie {
            edges: FxHashMap::default(),
            edge_bits: vec![0; 1 << (EDGE_BITS_LOG2 - 6)],
            roots: Vec::new(),
            terminals: Records::Owned(vec![Vec::new()]),
            terminal_bits: Vec::new(),
        }
    }

    /// Whether a phrase or condition ends at `node`.
    #[inline]
    pub(super) fn ends_at(&self, node: u32) -> bool {
        bit_is_set(&self.terminal_bits, node as usize)
    }

    pub(super) fn insert(&mut self, words: &[u32], terminal: Terminal) {
        let mut node = 0u32;
        for &w in words {
            let next = self.terminals.len() as u32;
            let parent = node;
            node = *self.edges.entry((parent, w)).or_insert_with(|| next);
            set_bit(&mut self.edge_bits, edge_bit(parent, w));
            if node == next {
                self.terminals.owned_mut().push(Vec::new());
                if parent == 0 {
                    let slot = w as usize;
                    if self.roots.len() <= slot {
                        self.roots.resize(slot + 1, NONE);
                    }
                    self.roots[slot] = node;
                }
            }
        }
        self.terminals.owned_mut()[node as usize].push(terminal);
        set_bit(&mut self.terminal_bits, node as usize);
    }

    #[inline(always)]
    pub(super) fn step(&self, node: u32, word: u32) -> Option<u32> {
        if node == 0 {
            return self
                .roots
                .get(word as usize)
                .copied()
                .filter(|&n| n != NONE);
        }
        if !bit_is_set(&self.edge_bits, edge_bit(node, word)) {
            return None;
        }
        self.edges.get(&(node, word)).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::{Terminal, Trie};

    #[test]
    fn the_tries_bit_sets_never_hide_an_edge_or_a_terminal() {
        let mut trie = Trie::new();
        // Enough edges for the bit set to see collisions.
        let phrase = |a: u32| [a, a * 7 + 1, a * 13 + 2];
        for a in 0..20_000 {
            trie.insert(&phrase(a), Terminal::Phrase(a));
        }
        for a in 0..20_000 {
            let [x, y, z] = phrase(a);
            let first = trie.step(0, x).expect("root edge");
            assert!(!trie.ends_at(first));
            let second = trie.step(first, y).expect("second edge");
            assert!(!trie.ends_at(second));
            let third = trie.step(second, z).expect("third edge");
            assert!(trie.ends_at(third));
            assert_eq!(trie.step(third, z), None);
        }
    }
}
