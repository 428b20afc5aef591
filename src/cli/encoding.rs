//! How a file's bytes become the text that is checked, and back.
//!
//! The checker works on UTF-8 text. Files written by Windows tools often start
//! with a byte-order mark (BOM) or are UTF-16; a BOM counted as a character
//! would put every column of the first line one off, and UTF-16 read as UTF-8
//! would pass as a text of NULs with nothing to flag. So the BOM is taken off
//! before checking (offsets, lines and columns refer to the text without it,
//! as editors show it), UTF-16 with a BOM is decoded, and `fix` writes the
//! fixed text back in the file's own encoding, BOM included. UTF-16 without a
//! BOM is refused rather than guessed at.

use unspun::text::LineIndex;

/// The UTF-8 byte-order mark.
const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// How many leading bytes [`sniff`] needs to recognise BOM-less UTF-16.
pub const SNIFF_BYTES: usize = 4096;

/// The encoding a file was read in, so that it can be written back the same way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-8 without a byte-order mark.
    Utf8,
    /// UTF-8 with a byte-order mark.
    Utf8Bom,
    /// UTF-16, little-endian, with a byte-order mark.
    Utf16Le,
    /// UTF-16, big-endian, with a byte-order mark.
    Utf16Be,
}

impl Encoding {
    /// True for the encodings whose text is the file's bytes after the BOM.
    pub fn is_utf8(self) -> bool {
        matches!(self, Encoding::Utf8 | Encoding::Utf8Bom)
    }

    /// How many bytes the byte-order mark takes.
    pub fn bom_len(self) -> usize {
        match self {
            Encoding::Utf8 => 0,
            Encoding::Utf8Bom => 3,
            Encoding::Utf16Le | Encoding::Utf16Be => 2,
        }
    }

    /// The file's bytes for `text`: the BOM, then the text in this encoding.
    pub fn encode(self, text: &str) -> Vec<u8> {
        match self {
            Encoding::Utf8 => text.as_bytes().to_vec(),
            Encoding::Utf8Bom => [UTF8_BOM, text.as_bytes()].concat(),
            Encoding::Utf16Le => utf16_bytes(&[0xFF, 0xFE], text, u16::to_le_bytes),
            Encoding::Utf16Be => utf16_bytes(&[0xFE, 0xFF], text, u16::to_be_bytes),
        }
    }
}

fn utf16_bytes(bom: &[u8], text: &str, bytes: fn(u16) -> [u8; 2]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bom.len() + text.len() * 2);
    out.extend_from_slice(bom);
    for unit in text.encode_utf16() {
        out.extend_from_slice(&bytes(unit));
    }
    out
}

/// Recognises the encoding from the first bytes of a file (up to
/// [`SNIFF_BYTES`]), or explains why the file is refused.
pub fn sniff(head: &[u8]) -> Result<Encoding, String> {
    if head.starts_with(UTF8_BOM) {
        return Ok(Encoding::Utf8Bom);
    }
    if head.starts_with(&[0xFF, 0xFE]) {
        return Ok(Encoding::Utf16Le);
    }
    if head.starts_with(&[0xFE, 0xFF]) {
        return Ok(Encoding::Utf16Be);
    }
    if let Some(order) = bomless_utf16(head) {
        return Err(format!(
            "looks like UTF-16 ({order}) without a byte-order mark (NUL in every other byte); \
             convert it to UTF-8 (iconv -f UTF-16{} -t UTF-8) or save it with a byte-order mark",
            if order == "little-endian" { "LE" } else { "BE" }
        ));
    }
    Ok(Encoding::Utf8)
}

/// The byte order of text that looks like BOM-less UTF-16: NUL bytes in at
/// least a third of one byte position of each pair and in almost none of the
/// other (ASCII and Latin text in UTF-16 has a NUL high byte; a file of NULs
/// has them in both and is not UTF-16).
fn bomless_utf16(head: &[u8]) -> Option<&'static str> {
    let pairs = head.len() / 2;
    if pairs < 2 {
        return None;
    }
    let nul_at = |parity: usize| {
        head.chunks_exact(2)
            .filter(|pair| pair[parity] == 0)
            .count()
    };
    let (even, odd) = (nul_at(0), nul_at(1));
    let mostly = |n: usize| n * 3 >= pairs;
    let hardly = |n: usize| n * 20 <= pairs;
    if mostly(odd) && hardly(even) {
        Some("little-endian")
    } else if mostly(even) && hardly(odd) {
        Some("big-endian")
    } else {
        None
    }
}

/// Where UTF-8 validation stopped: `text` (the bytes after a BOM of `bom`
/// bytes) is valid up to `valid_up_to`; the line and column are those of the
/// text, the byte offset that of the file.
pub fn invalid_utf8(text: &[u8], valid_up_to: usize, bom: usize) -> String {
    let valid = std::str::from_utf8(&text[..valid_up_to]).unwrap_or_default();
    let (line, column) = LineIndex::new(valid).line_column(valid, valid.len());
    format!(
        "invalid UTF-8 at line {line}, column {column} (byte offset {})",
        bom + valid_up_to
    )
}

/// Decodes a whole file in `encoding` into its text, without the BOM.
pub fn decode(mut bytes: Vec<u8>, encoding: Encoding) -> Result<String, String> {
    bytes.drain(..encoding.bom_len());
    let big_endian = match encoding {
        Encoding::Utf8 | Encoding::Utf8Bom => {
            return String::from_utf8(bytes).map_err(|e| {
                let valid_up_to = e.utf8_error().valid_up_to();
                invalid_utf8(e.as_bytes(), valid_up_to, encoding.bom_len())
            })
        }
        Encoding::Utf16Le => false,
        Encoding::Utf16Be => true,
    };
    if bytes.len() % 2 == 1 {
        return Err(format!(
            "UTF-16 with an odd number of bytes ({}): the last character is cut off",
            bytes.len() + encoding.bom_len()
        ));
    }
    let units = bytes.chunks_exact(2).map(|pair| {
        let pair = [pair[0], pair[1]];
        if big_endian {
            u16::from_be_bytes(pair)
        } else {
            u16::from_le_bytes(pair)
        }
    });
    let mut text = String::with_capacity(bytes.len() / 2);
    for c in char::decode_utf16(units) {
        match c {
            Ok(c) => text.push(c),
            Err(e) => {
                let (line, column) = LineIndex::new(&text).line_column(&text, text.len());
                return Err(format!(
                    "invalid UTF-16 at line {line}, column {column}: unpaired surrogate {:#06x}",
                    e.unpaired_surrogate()
                ));
            }
        }
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_encoding_round_trips_through_its_own_bytes() {
        let text = "naïve 😀 café\r\nline two";
        for encoding in [
            Encoding::Utf8,
            Encoding::Utf8Bom,
            Encoding::Utf16Le,
            Encoding::Utf16Be,
        ] {
            let bytes = encoding.encode(text);
            assert_eq!(sniff(&bytes), Ok(encoding), "{encoding:?}");
            assert_eq!(decode(bytes, encoding).as_deref(), Ok(text), "{encoding:?}");
        }
    }

    #[test]
    fn bomless_utf16_is_refused_and_a_file_of_nuls_is_not_taken_for_it() {
        let le: Vec<u8> = Encoding::Utf16Le.encode("plain words")[2..].to_vec();
        let be: Vec<u8> = Encoding::Utf16Be.encode("plain words")[2..].to_vec();
        assert!(sniff(&le).unwrap_err().contains("little-endian"));
        assert!(sniff(&be).unwrap_err().contains("big-endian"));
        assert_eq!(sniff(&[0; 64]), Ok(Encoding::Utf8));
        assert_eq!(sniff(b"a\0"), Ok(Encoding::Utf8));
    }

    #[test]
    fn an_unpaired_surrogate_is_reported_by_line_and_column() {
        let mut bytes = Encoding::Utf16Le.encode("ab\ncd");
        bytes.extend_from_slice(&0xD800u16.to_le_bytes());
        let err = decode(bytes, Encoding::Utf16Le).unwrap_err();
        assert_eq!(
            err,
            "invalid UTF-16 at line 2, column 3: unpaired surrogate 0xd800"
        );
    }
}
