//! Keeps `dictionaries/model/frequencies.tsv` in step with its generator and checks
//! that the committed file ranks words sensibly.

#[allow(dead_code)]
#[path = "../src/args.rs"]
mod args;
mod common;
#[allow(dead_code)]
#[path = "../src/frequencies.rs"]
mod frequencies;

use common::first_difference;

use std::collections::HashMap;
use std::fs;
use std::io::Write as _;

fn committed() -> String {
    let path = frequencies::default_output_path();
    fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn committed_frequencies_match_regenerated_frequencies() {
    let skip = |why: String| {
        common::skip(&format!("{why}; {}", frequencies::INSTALL_COMMAND));
    };
    let Ok(dir) = frequencies::find_wordfreq_dir() else {
        return skip("wordfreq not installed".into());
    };
    match frequencies::installed_version(&dir) {
        Ok(v) if v == frequencies::WORDFREQ_VERSION => {}
        Ok(v) => {
            return skip(format!(
                "wordfreq {v} installed, not {}",
                frequencies::WORDFREQ_VERSION
            ))
        }
        Err(e) => return skip(e),
    }
    let generated = frequencies::generate(&dir).expect("the wordfreq data should be readable");
    let committed = committed();
    assert!(
        committed == generated,
        "dictionaries/model/frequencies.tsv is out of date ({}); run cargo run -p xtask -- frequencies",
        first_difference(&committed, &generated)
    );
}

/// The committed file's rows as word -> Zipf, checking format and order on the way.
fn committed_zipf() -> HashMap<String, f64> {
    let text = committed();
    let mut directives = HashMap::new();
    let mut zipf = HashMap::new();
    let mut previous: Option<(f64, String)> = None;
    for line in text.lines() {
        if let Some(directive) = line.strip_prefix("#!") {
            let (key, value) = directive.split_once(':').expect("directive with a colon");
            directives.insert(key.trim().to_string(), value.trim().to_string());
            continue;
        }
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let (word, value) = line.split_once('\t').expect("rows are word<TAB>zipf");
        let z: f64 = value.parse().unwrap_or_else(|e| panic!("{line:?}: {e}"));
        assert!(
            frequencies::is_listed_word(word),
            "{word:?} is not a plain lower-case word"
        );
        if let Some((pz, pw)) = &previous {
            assert!(
                *pz > z || (*pz == z && pw.as_str() < word),
                "sorted by zipf descending, then word: {pw} before {word}"
            );
        }
        assert!(
            zipf.insert(word.to_string(), z).is_none(),
            "{word} listed twice"
        );
        previous = Some((z, word.to_string()));
    }
    assert_eq!(directives["name"], "model-frequencies");
    assert_eq!(directives["kind"], "model");
    assert_eq!(directives["generator"], "cargo run -p xtask -- frequencies");
    assert!(directives["licence"].contains("CC BY-SA 4.0"));
    assert!(directives["source"].contains("Robyn Speer"));
    let min: f64 = directives["min-zipf"]
        .parse()
        .expect("min-zipf is a number");
    assert!(zipf.values().all(|&z| z >= min), "nothing below min-zipf");
    zipf
}

#[test]
fn committed_frequencies_rank_common_words_high_and_rare_words_low() {
    let zipf = committed_zipf();
    assert!(zipf["the"] > 7.0, "the: {}", zipf["the"]);
    assert!(
        zipf["spokesperson"] > 3.0,
        "spokesperson: {}",
        zipf["spokesperson"]
    );
    assert!(
        zipf["conscionable"] < 2.5,
        "conscionable: {}",
        zipf["conscionable"]
    );
    assert!(zipf["on"] > zipf["connected"]);
    assert!(!zipf.contains_key("<num>"));
}

#[test]
fn listed_words_are_lower_case_letters_with_inner_apostrophes_or_hyphens() {
    for word in ["the", "don't", "well-known", "café", "naïve"] {
        assert!(frequencies::is_listed_word(word), "{word}");
    }
    for word in [
        "The", "b2b", "'tis", "end-", "a--b", "c++", "", "東京", "x_y",
    ] {
        assert!(!frequencies::is_listed_word(word), "{word}");
    }
}

/// Builds a cBpack file: header, then one list of words per centibel bin.
fn cbpack(bins: &[&[&str]]) -> Vec<u8> {
    use rmpv::Value;
    let header = Value::Map(vec![
        (Value::from("format"), Value::from("cB")),
        (Value::from("version"), Value::from(1)),
    ]);
    let mut items = vec![header];
    items.extend(
        bins.iter()
            .map(|words| Value::Array(words.iter().map(|&w| Value::from(w)).collect())),
    );
    let mut packed = Vec::new();
    rmpv::encode::write_value(&mut packed, &Value::Array(items)).unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(&packed).unwrap();
    gz.finish().unwrap()
}

#[test]
fn cbpack_bins_become_zipf_rows_sorted_by_frequency_then_word() {
    let mut bins: Vec<&[&str]> = vec![&[]; 900];
    bins[27] = &["the"];
    bins[300] = &["zebra", "arsenic", "2nd", "c++"];
    bins[301] = &["Arsenic"]; // merges with the more frequent "arsenic"
    bins[899] = &["rare"]; // below the cut-off
    let decoded = frequencies::read_cbpack(&cbpack(&bins)).unwrap();
    assert_eq!(decoded.len(), 900);
    assert_eq!(decoded[27], ["the"]);
    let text = frequencies::render("0.0", &decoded);
    let rows: Vec<&str> = text.lines().filter(|l| !l.starts_with('#')).collect();
    assert_eq!(rows, ["the\t8.73", "arsenic\t6.00", "zebra\t6.00"]);
}

#[test]
fn cbpack_with_a_foreign_header_is_rejected() {
    let mut packed = Vec::new();
    rmpv::encode::write_value(&mut packed, &rmpv::Value::Array(vec![rmpv::Value::from(1)]))
        .unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(&packed).unwrap();
    let err = frequencies::read_cbpack(&gz.finish().unwrap()).unwrap_err();
    assert!(err.contains("unexpected header"), "{err}");
}
