//! Compiles the embedded context model and frequency table into the images the
//! checker reads in place, so that starting it parses and hashes nothing; and
//! hashes the dictionary and model files into the key that tells whether the
//! prebuilt engine image (`src/detect/prebuilt.rs`) was compiled from them.
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

/// The files the prebuilt engine image is compiled from, in a fixed order.
const ENGINE_DATA: [&str; 7] = [
    "dictionaries/function-words.tsv",
    "dictionaries/spun-words-curated.tsv",
    "dictionaries/spun-words.tsv",
    "dictionaries/tortured-phrases.tsv",
    "dictionaries/model/unigrams.tsv",
    "dictionaries/model/bigrams.tsv",
    "dictionaries/model/frequencies.tsv",
];

/// FNV-1a over each file's name, length and bytes: a key, not a defence.
fn data_key() -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |bytes: &[u8]| {
        for &b in bytes {
            hash = (hash ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
        }
    };
    for path in ENGINE_DATA {
        let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("reading {path}: {e}"));
        eat(path.as_bytes());
        eat(&(bytes.len() as u64).to_le_bytes());
        eat(&bytes);
    }
    format!("{hash:016x}")
}

fn main() {
    for path in ENGINE_DATA {
        println!("cargo:rerun-if-changed={path}");
    }
    println!("cargo:rustc-env=UNSPUN_DATA_KEY={}", data_key());
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
