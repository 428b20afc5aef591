//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

mod skip;
pub use skip::{skip, under_ci};

/// The `shared/` folder of reference material beside the checkout (or
/// `UNSPUN_SHARED_DIR`), if present. Tests that need it skip ([`skip`]) when it
/// is absent, since users cloning the project do not have it; under CI they
/// fail instead.
pub fn shared_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("UNSPUN_SHARED_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared"));
    dir.is_dir().then_some(dir)
}

/// Reads a file under `shared/`, or skips the test ([`skip`]).
pub fn shared_file(relative: &str) -> Option<String> {
    match shared_dir() {
        Some(dir) => Some(
            std::fs::read_to_string(dir.join(relative))
                .unwrap_or_else(|e| panic!("reading shared/{relative}: {e}")),
        ),
        None => {
            skip(SHARED_MISSING);
            None
        }
    }
}

const SHARED_MISSING: &str =
    "the shared/ reference material is not beside the checkout (set UNSPUN_SHARED_DIR)";

/// All `.txt` files under `shared/<relative>`, sorted.
pub fn shared_texts(relative: &str) -> Option<Vec<(PathBuf, String)>> {
    let Some(dir) = shared_dir() else {
        skip(SHARED_MISSING);
        return None;
    };
    let mut files = Vec::new();
    let mut stack = vec![dir.join(relative)];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap_or_else(|e| panic!("{}: {e}", d.display())) {
            let p = entry.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|e| e == "txt")
                && p.file_name().is_some_and(|n| n != "README.TXT")
            {
                files.push(p);
            }
        }
    }
    files.sort();
    Some(
        files
            .into_iter()
            .map(|p| {
                let bytes = std::fs::read(&p).unwrap();
                let text = String::from_utf8_lossy(&bytes).into_owned();
                (p, text)
            })
            .collect(),
    )
}

/// A short spun sentence used by the markup tests.
pub const SPUN: &str = "The travel comes arsenic Mexico has worked to negociate with the Trump medication to debar tariff threats.";

/// Checks `source` read as `markup`, with otherwise default options.
pub fn check_markup(source: &str, markup: unspun::Markup) -> unspun::Report {
    check_markup_with(source, markup, unspun::CheckOptions::default())
}

/// Checks `source` read as `markup` with `options`.
pub fn check_markup_with(
    source: &str,
    markup: unspun::Markup,
    options: unspun::CheckOptions,
) -> unspun::Report {
    let options = unspun::CheckOptions { markup, ..options };
    unspun::Checker::new().check_with(source, &options).unwrap()
}

/// (the source at each span's range, its top suggestion), in order.
pub fn found(source: &str, report: &unspun::Report) -> Vec<(String, String)> {
    report
        .spans
        .iter()
        .map(|s| (source[s.start..s.end].to_string(), s.suggestions[0].clone()))
        .collect()
}

/// How many cases each property test generates: `PROPTEST_CASES` when set,
/// else 2,048 under CI and 256 otherwise (a quick local run).
pub fn proptest_cases() -> u32 {
    if let Some(n) = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
    {
        return n;
    }
    if under_ci() {
        2048
    } else {
        256
    }
}
