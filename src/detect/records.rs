//! The engine's artifacts (single words and phrases), decoded one by one when
//! first used.
//!
//! The default engine holds about 19,000 single-word artifacts, each with its
//! own list of originals, and 8,000 phrases. Decoding them all from the
//! embedded image was most of what a start-up cost (tens of millions of
//! instructions and as many allocations), while a text meets a few hundred of
//! them at most. So the image stores each artifact as its own `postcard`
//! record behind a table of offsets, and a [`Records`] table decoded from it
//! keeps the records in place and decodes an artifact the first time it is
//! asked for (once, shared by every thread). A compiled engine holds its
//! artifacts decoded, as before.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::sync::OnceLock;

/// Artifacts of one kind, by id.
#[derive(Debug, Clone)]
pub(super) enum Records<T> {
    /// Compiled: every artifact decoded.
    Owned(Vec<T>),
    /// From an image: records in place, decoded on first use.
    Image(ImageTable<T>),
}

/// Artifacts as records of an image.
#[derive(Clone)]
pub(super) struct ImageTable<T> {
    /// The end of each record in `records`, as little-endian `u32`s.
    ends: &'static [u8],
    records: &'static [u8],
    decoded: Box<[OnceLock<Box<T>>]>,
}

impl<T> std::fmt::Debug for ImageTable<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let decoded = self.decoded.iter().filter(|d| d.get().is_some()).count();
        f.debug_struct("ImageTable")
            .field("len", &self.decoded.len())
            .field("decoded", &decoded)
            .finish()
    }
}

impl<T> Default for Records<T> {
    fn default() -> Self {
        Records::Owned(Vec::new())
    }
}

impl<T: Deserialize<'static>> ImageTable<T> {
    fn end(&self, id: usize) -> usize {
        let at = id * 4;
        u32::from_le_bytes(self.ends[at..at + 4].try_into().expect("four bytes")) as usize
    }

    fn get(&self, id: usize) -> &T {
        self.decoded[id].get_or_init(|| {
            let start = if id == 0 { 0 } else { self.end(id - 1) };
            let record = &self.records[start..self.end(id)];
            Box::new(
                postcard::from_bytes(record)
                    .expect("records were checked when the image was decoded"),
            )
        })
    }
}

impl<T: Deserialize<'static>> Records<T> {
    /// How many artifacts there are.
    pub(super) fn len(&self) -> usize {
        match self {
            Records::Owned(all) => all.len(),
            Records::Image(table) => table.decoded.len(),
        }
    }

    /// Artifact `id`, if there is one.
    pub(super) fn get(&self, id: usize) -> Option<&T> {
        match self {
            Records::Owned(all) => all.get(id),
            Records::Image(table) => (id < table.decoded.len()).then(|| table.get(id)),
        }
    }

    /// The compiled artifacts, to add to or change while compiling.
    ///
    /// # Panics
    /// On a table decoded from an image, which is never compiled further.
    pub(super) fn owned_mut(&mut self) -> &mut Vec<T> {
        match self {
            Records::Owned(all) => all,
            Records::Image(_) => panic!("an engine decoded from its image is not compiled"),
        }
    }

    /// Every artifact decoded so far, to change (see [`super::Engine::set_tuning`]).
    pub(super) fn decoded_mut(&mut self) -> Box<dyn Iterator<Item = &mut T> + '_> {
        match self {
            Records::Owned(all) => Box::new(all.iter_mut()),
            Records::Image(table) => Box::new(
                table
                    .decoded
                    .iter_mut()
                    .filter_map(|cell| cell.get_mut().map(|b| &mut **b)),
            ),
        }
    }
}

impl<T: Deserialize<'static>> std::ops::Index<usize> for Records<T> {
    type Output = T;

    fn index(&self, id: usize) -> &T {
        self.get(id)
            .unwrap_or_else(|| panic!("no artifact {id} of {}", self.len()))
    }
}

/// In an image: the count, each record's end, then the records.
impl<T: Serialize + Deserialize<'static>> Serialize for Records<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let n = self.len();
        let mut ends = Vec::with_capacity(4 + n * 4);
        ends.extend_from_slice(&(n as u32).to_le_bytes());
        let mut records = Vec::new();
        for id in 0..n {
            let word = &self[id];
            postcard::to_io(word, &mut records).map_err(serde::ser::Error::custom)?;
            let end = u32::try_from(records.len()).map_err(serde::ser::Error::custom)?;
            ends.extend_from_slice(&end.to_le_bytes());
        }
        ends.extend_from_slice(&records);
        serializer.serialize_bytes(&ends)
    }
}

impl<'de: 'static, T> Deserialize<'de> for Records<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let bytes = <&'static [u8]>::deserialize(deserializer)?;
        let n = bytes
            .get(..4)
            .map(|b| u32::from_le_bytes(b.try_into().expect("four bytes")) as usize)
            .ok_or_else(|| D::Error::custom("the artifact table has no count"))?;
        let table_end = 4 + n.checked_mul(4).ok_or_else(|| D::Error::custom("count"))?;
        if bytes.len() < table_end {
            return Err(D::Error::custom("the artifact table is cut short"));
        }
        let ends = &bytes[4..table_end];
        let records = &bytes[table_end..];
        let mut previous = 0usize;
        for end in ends.chunks_exact(4) {
            let end = u32::from_le_bytes(end.try_into().expect("four bytes")) as usize;
            if end < previous || end > records.len() {
                return Err(D::Error::custom("an artifact record is out of bounds"));
            }
            previous = end;
        }
        if previous != records.len() {
            return Err(D::Error::custom(
                "the artifact records do not fill the table",
            ));
        }
        let decoded = (0..n).map(|_| OnceLock::new()).collect();
        Ok(Records::Image(ImageTable {
            ends,
            records,
            decoded,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::super::prebuilt::{compile_default_engine, EMBEDDED_IMAGE};
    use super::*;

    #[test]
    fn a_decoded_table_gives_the_compiled_artifacts_and_decodes_only_those_asked_for() {
        let compiled = compile_default_engine();
        let phrases: &'static [u8] = postcard::to_allocvec(&compiled.phrases).unwrap().leak();
        let phrases: Records<super::super::compile::Phrase> =
            postcard::from_bytes(phrases).unwrap();
        let last = phrases.len() - 1;
        assert_eq!(
            format!("{:?}", phrases[last]),
            format!("{:?}", compiled.phrases[last])
        );
        let image: &'static [u8] = postcard::to_allocvec(&compiled.spun).unwrap().leak();
        let table: Records<super::super::compile::SpunWord> = postcard::from_bytes(image).unwrap();
        assert_eq!(table.len(), compiled.spun.len());
        let Records::Image(inner) = &table else {
            panic!("decoded as an image table")
        };
        for id in [0, table.len() / 2, table.len() - 1] {
            assert_eq!(
                format!("{:?}", table[id]),
                format!("{:?}", compiled.spun[id])
            );
        }
        assert_eq!(
            inner.decoded.iter().filter(|d| d.get().is_some()).count(),
            3
        );
        assert!(table.get(table.len()).is_none());
        assert!(!EMBEDDED_IMAGE.is_empty());
    }

    #[test]
    fn damaged_tables_are_refused() {
        let decode = |bytes: Vec<u8>| {
            let framed: &'static [u8] = postcard::to_allocvec(&bytes).unwrap().leak();
            postcard::from_bytes::<Records<super::super::compile::SpunWord>>(framed).is_err()
        };
        assert!(decode(vec![]));
        assert!(decode(vec![2, 0, 0, 0, 1, 0, 0, 0]));
        // Ends that go back, or past the records.
        assert!(decode(vec![2, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 9, 9]));
        assert!(decode(vec![1, 0, 0, 0, 5, 0, 0, 0, 9]));
    }
}
