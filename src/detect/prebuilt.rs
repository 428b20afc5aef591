//! The default engine, compiled ahead of time so that starting costs nothing.
//!
//! Compiling the embedded dictionaries (parsing 28,000 entries, generating
//! their inflections, building the lexicon, the phrase trie and the typo
//! index) costs about 390 M instructions, twenty times what checking a
//! sentence costs: a CLI run, an editor integration or a pre-commit hook would
//! pay it every time. So the generator (`cargo run -p xtask -- engine-image`)
//! runs that compiler once and writes the engine it builds to
//! `dictionaries/engine.bin` (the context model is left out: it is an image
//! read in place already). The binary embeds that file and decodes it at
//! start-up, which allocates but parses and infers nothing.
//!
//! The image's header carries a key of the data it was compiled from (the
//! dictionary and model files, hashed by `build.rs`). A binary whose data
//! differs from the image's, because a dictionary changed and the image was
//! not regenerated, does not use it and compiles the dictionaries as before:
//! slower to start, never stale. A library test compiles the dictionaries and
//! compares the bytes with the committed image, so a change to the data or to
//! the compiler cannot land without the image that goes with it.
//!
//! User dictionaries (`--dict`, [`crate::CheckerBuilder::dictionary_file`])
//! are still compiled at run time, with the embedded ones, by [`Engine::new`].

use super::context::{ContextModel, Frequencies};
use super::{Engine, FirstCut};
use crate::dict::{self, Dictionary};

/// A text of the engine: owned when it is compiled, borrowed from the
/// embedded image when it is decoded (77,000 strings a start-up need not
/// allocate and copy).
pub(super) type Text = std::borrow::Cow<'static, str>;

/// Deserializers that borrow the engine's texts from a `'static` image.
pub(super) mod borrowed {
    use super::Text;
    use serde::{Deserialize, Deserializer};

    pub(in super::super) fn text<D: Deserializer<'static>>(d: D) -> Result<Text, D::Error> {
        <&'static str>::deserialize(d).map(Text::Borrowed)
    }

    pub(in super::super) fn bytes<D: Deserializer<'static>>(
        d: D,
    ) -> Result<std::borrow::Cow<'static, [u8]>, D::Error> {
        <&'static [u8]>::deserialize(d).map(std::borrow::Cow::Borrowed)
    }

    pub(in super::super) fn texts<D: Deserializer<'static>>(d: D) -> Result<Vec<Text>, D::Error> {
        Vec::<&'static str>::deserialize(d).map(|v| v.into_iter().map(Text::Borrowed).collect())
    }
}

/// Where the generator writes the image, relative to the repository root.
pub const IMAGE_PATH: &str = "dictionaries/engine.bin";

/// The image compiled into the binary.
pub static EMBEDDED_IMAGE: &[u8] = include_bytes!("../../dictionaries/engine.bin");

/// What the image's header starts with; the number is the layout's version.
const MAGIC: &[u8; 8] = b"unspun2\n";

/// The key of the data the binary embeds: a hash of the dictionary and model
/// files, computed by `build.rs` (16 hexadecimal digits).
pub const DATA_KEY: &str = env!("UNSPUN_DATA_KEY");

/// Zipf value given to words below the frequency table's cut-off.
pub const FREQUENCY_FLOOR: f32 = 0.5;

/// The embedded artifact dictionaries, parsed, in load order.
pub fn embedded_dictionaries() -> Vec<Dictionary> {
    dict::embedded::ALL
        .iter()
        .map(|(name, text)| {
            let mut d = dict::parse_dictionary(name, text)
                .unwrap_or_else(|e| panic!("embedded dictionary is invalid: {e}"));
            d.info.embedded = true;
            d
        })
        .collect()
}

/// The engine over the embedded dictionaries and model: decoded from the
/// embedded image when it was compiled from the data this binary embeds,
/// compiled from the dictionaries otherwise.
///
/// ```
/// let engine = unspun::detect::prebuilt::default_engine();
/// assert_eq!(engine.dictionaries().len(), unspun::dict::embedded::ALL.len());
/// ```
pub fn default_engine() -> Engine {
    Engine::from_image(EMBEDDED_IMAGE, ContextModel::embedded())
        .unwrap_or_else(compile_default_engine)
}

/// The engine over the embedded dictionaries and model, compiled from the
/// dictionaries' text (what the generator writes, and the fallback).
pub fn compile_default_engine() -> Engine {
    Engine::new(
        embedded_dictionaries(),
        ContextModel::embedded(),
        &Frequencies::embedded(FREQUENCY_FLOOR),
    )
}

/// The image of the default engine, as the generator writes it.
pub fn default_engine_image() -> Vec<u8> {
    compile_default_engine().to_image()
}

impl Engine {
    /// This engine as an image: the header (magic and [`DATA_KEY`]), then the
    /// engine without its context model, in `postcard`'s compact encoding.
    pub fn to_image(&self) -> Vec<u8> {
        let mut bytes = Vec::with_capacity(8 << 20);
        bytes.extend_from_slice(MAGIC);
        bytes.extend_from_slice(DATA_KEY.as_bytes());
        postcard::to_io(self, &mut bytes).expect("writing to memory cannot fail");
        bytes
    }

    /// The engine an image holds, with `model` as its context model. `None`
    /// when the image is not one, or was compiled from other data than this
    /// binary embeds (its key differs from [`DATA_KEY`]), or does not decode.
    pub fn from_image(bytes: &'static [u8], model: ContextModel) -> Option<Engine> {
        let header = MAGIC.len() + DATA_KEY.len();
        if bytes.len() < header
            || &bytes[..MAGIC.len()] != MAGIC
            || &bytes[MAGIC.len()..header] != DATA_KEY.as_bytes()
        {
            return None;
        }
        let mut engine: Engine = postcard::from_bytes(&bytes[header..]).ok()?;
        engine.model = model;
        engine.first_cut = FirstCut::new(engine.spun.len());
        Some(engine)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_committed_engine_image_is_the_one_the_dictionaries_compile_to() {
        let compiled = default_engine_image();
        assert!(
            compiled == EMBEDDED_IMAGE,
            "{IMAGE_PATH} is stale ({} bytes compiled, {} committed): run `cargo run -p xtask -- engine-image` and commit it",
            compiled.len(),
            EMBEDDED_IMAGE.len()
        );
    }

    #[test]
    fn an_engine_decoded_from_its_image_finds_what_the_compiled_one_finds() {
        let compiled = compile_default_engine();
        let image: &'static [u8] = compiled.to_image().leak();
        let decoded = Engine::from_image(image, ContextModel::embedded()).expect("decodes");
        // (Its own image may differ: a decoded hash map iterates in another order.)
        let text =
            "The travel comes arsenic Mexico has worked to negociate with the Trump medication. \
                    Noem will travel to Mexico connected Friday to conscionable with Sheinbaum. \
                    Results of profound learning and the irregular woodland classifier. \
                    A counterfeit consciusness model, with profound lerning.";
        let a = compiled.scan(text, &|_| true, 0.0);
        let b = decoded.scan(text, &|_| true, 0.0);
        assert!(!a.findings.is_empty());
        assert_eq!(format!("{:?}", a.findings), format!("{:?}", b.findings));
    }

    #[test]
    fn every_record_the_embedded_image_probes_in_place_decodes() {
        let engine = Engine::from_image(EMBEDDED_IMAGE, ContextModel::empty())
            .expect("the embedded image decodes");
        assert!(engine.lexicon.records_decode());
        assert!(engine.classes.classes.records_decode());
        for id in 0..engine.spun.len() {
            let _ = &engine.spun[id];
        }
        for id in 0..engine.phrases.len() {
            let _ = &engine.phrases[id];
        }
    }

    #[test]
    fn an_image_of_other_data_or_damaged_is_not_used() {
        let image: &'static [u8] = compile_default_engine().to_image().leak();
        let mut other_key = image.to_vec();
        other_key[MAGIC.len()] ^= 1;
        assert!(Engine::from_image(other_key.leak(), ContextModel::empty()).is_none());
        let truncated = &image[..image.len() / 2];
        assert!(Engine::from_image(truncated, ContextModel::empty()).is_none());
        assert!(Engine::from_image(b"", ContextModel::empty()).is_none());
        assert!(Engine::from_image(b"unspun0\nxxxxxxxxxxxxxxxx", ContextModel::empty()).is_none());
    }
}
