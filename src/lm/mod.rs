//! A trigram language model of English, read in place from the bytes the
//! binary embeds.
//!
//! Bigram counts from a few million words cannot say on their own whether a
//! word belongs in its sentence; a model trained on far more text can. This
//! one is the CMU Sphinx US English trigram model (72,547 words, 2.05 M
//! bigrams, 1.67 M trigrams, log-probabilities with backoff; see
//! `dictionaries/README.md` for its provenance and licence), converted by
//! `cargo run -p xtask -- trigrams` into a layout ([`layout`]) that is used
//! without parsing: opening it reads a 64-byte header, and each look-up
//! touches a few pages of the embedded file.
//!
//! ```
//! let lm = unspun::lm::embedded();
//! let on = lm.slot_log10_text(&["visit", "lisbon"], &["on"], &["friday"]).unwrap();
//! let connected = lm.slot_log10_text(&["visit", "lisbon"], &["connected"], &["friday"]).unwrap();
//! assert!(on > connected + 1.0, "'on Friday' is far likelier than 'connected Friday'");
//! ```

mod embedded;
pub mod layout;
mod model;
mod slot;

pub use embedded::{embedded, EMBEDDED_BYTES};
pub use model::{TrigramModel, WordId};
