//! Compiles the embedded context model and frequency table into the images the
//! checker reads in place, so that starting it parses and hashes nothing.
//!
//! The text files under `dictionaries/model/` stay the source of truth; the
//! images are derived from them here, with the library's own compiler
//! (`src/detect/context/compile.rs`), on every build that changes either. A
//! library test compiles the same files again at run time and compares the
//! bytes, so the image cannot drift from the text or from the code reading it.

use std::path::PathBuf;

#[allow(dead_code)]
#[path = "src/detect/image.rs"]
mod image;

#[allow(dead_code)]
#[path = "src/detect/context/compile.rs"]
mod compile;

/// The model form of a break (`crate::text::BREAK_TOKEN`; the library test
/// comparing the images fails if the two ever differ).
const BREAK_TOKEN: &str = "<b>";

fn main() {
    for path in [
        "build.rs",
        "src/detect/image.rs",
        "src/detect/context/compile.rs",
        "dictionaries/model/unigrams.tsv",
        "dictionaries/model/bigrams.tsv",
        "dictionaries/model/frequencies.tsv",
    ] {
        println!("cargo:rerun-if-changed={path}");
    }
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let read = |path: &str| {
        std::fs::read_to_string(path).unwrap_or_else(|e| panic!("reading {path}: {e}"))
    };
    let model = compile::model(
        &read("dictionaries/model/unigrams.tsv"),
        &read("dictionaries/model/bigrams.tsv"),
        BREAK_TOKEN,
    )
    .unwrap_or_else(|e| panic!("dictionaries/model: {e}"));
    let frequencies = compile::frequencies(&read("dictionaries/model/frequencies.tsv"))
        .unwrap_or_else(|e| panic!("dictionaries/model/frequencies.tsv: {e}"));
    for (name, bytes) in [
        ("context-model.bin", model),
        ("frequencies.bin", frequencies),
    ] {
        let path = out.join(name);
        std::fs::write(&path, bytes).unwrap_or_else(|e| panic!("writing {}: {e}", path.display()));
    }
}
