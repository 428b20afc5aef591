//! The model file compiled into the binary.
//!
//! `include_bytes!` gives bytes with no alignment; wrapping them in an
//! 8-byte-aligned struct puts every array of the layout on its natural
//! boundary. The bytes sit in the read-only data of the executable, so the
//! operating system pages them in only where a look-up reads.

use std::sync::OnceLock;

use super::TrigramModel;

#[repr(C, align(8))]
struct Aligned<T: ?Sized>(T);

static ALIGNED: &Aligned<[u8]> = &Aligned(*include_bytes!("../../dictionaries/model/trigrams.bin"));

/// The embedded model file (`dictionaries/model/trigrams.bin`).
pub static EMBEDDED_BYTES: &[u8] = &ALIGNED.0;

/// The embedded model, opened on first use (a header check, nothing more).
pub fn embedded() -> &'static TrigramModel<'static> {
    static MODEL: OnceLock<TrigramModel<'static>> = OnceLock::new();
    MODEL.get_or_init(|| {
        TrigramModel::from_bytes(EMBEDDED_BYTES)
            .expect("the embedded trigram model is checked by the test suite")
    })
}
