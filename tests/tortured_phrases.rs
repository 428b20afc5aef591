//! Every catalogued tortured phrase is found in an ordinary sentence, and so are
//! its inflected, hyphenated, line-broken and one-typo variants.

use unspun::dict::{embedded, parse_dictionary, Entry};
use unspun::{CheckOptions, Checker, SpanKind};

fn entries() -> Vec<Entry> {
    let (name, text) = embedded::TORTURED_PHRASES;
    parse_dictionary(name, text).unwrap().entries
}

/// An ordinary sentence around `phrase`, plus a second sentence that meets the
/// entry's `requires` conditions.
fn sentence(entry: &Entry, phrase: &str) -> String {
    let mut text = format!("In this work, {phrase} was studied with care.");
    for group in &entry.conditions.requires {
        text.push_str(&format!(" We compare it with {} as well.", group[0]));
    }
    text
}

/// The artifact's words, as the checker tokenizes them.
fn words(phrase: &str) -> Vec<String> {
    unspun::text::words(phrase)
        .map(|w| w.text.to_string())
        .collect()
}

fn find_all(checker: &Checker, variant: &str, make: impl Fn(&Entry) -> Option<String>) {
    let options = CheckOptions {
        include_diff: false,
        include_fixed: false,
        ..Default::default()
    };
    let mut missed = Vec::new();
    let mut tried = 0;
    for entry in entries() {
        let Some(phrase) = make(&entry) else { continue };
        tried += 1;
        let text = sentence(&entry, &phrase);
        let start = text.find(&phrase).unwrap();
        let end = start + phrase.len();
        let report = checker.check_with(&text, &options).unwrap();
        let found = report
            .spans
            .iter()
            .any(|s| s.kind == SpanKind::TorturedPhrase && s.start < end && s.end > start);
        if !found {
            missed.push(format!("{:?} (entry {:?})", phrase, entry.artifact));
        }
    }
    assert!(tried > 100, "{variant}: only {tried} entries tried");
    assert!(
        missed.is_empty(),
        "{variant}: {} of {tried} missed, e.g. {:?}",
        missed.len(),
        &missed[..missed.len().min(20)]
    );
}

#[test]
fn every_catalogued_phrase_is_found_as_written() {
    let checker = Checker::new();
    find_all(&checker, "as written", |e| Some(e.artifact.clone()));
}

#[test]
fn inflected_variants_are_found() {
    let checker = Checker::new();
    find_all(&checker, "inflected", |e| {
        let mut w = words(&e.artifact);
        let last = w.last_mut()?;
        if last.len() < 4 || !last.bytes().all(|b| b.is_ascii_lowercase()) {
            return None;
        }
        let vowel = |c: u8| b"aeiou".contains(&c);
        let b = last.as_bytes();
        let before_last = b[b.len() - 2];
        if last.ends_with("ed")
            || last.ends_with("ing")
            || last.ends_with("ss")
            || last.ends_with("us")
            || last.ends_with("is")
        {
            return None;
        } else if ["sses", "xes", "ches", "shes"]
            .iter()
            .any(|e| last.ends_with(e))
        {
            last.truncate(last.len() - 2);
        } else if let Some(stem) = last.strip_suffix("ies") {
            *last = format!("{stem}y");
        } else if last.ends_with('s') {
            last.pop();
        } else if ["x", "z", "ch", "sh"].iter().any(|e| last.ends_with(e)) {
            last.push_str("es");
        } else if last.ends_with('y') && !vowel(before_last) {
            *last = format!("{}ies", &last[..last.len() - 1]);
        } else {
            last.push('s');
        }
        Some(w.join(" "))
    });
}

#[test]
fn hyphenated_and_line_broken_variants_are_found() {
    let checker = Checker::new();
    find_all(&checker, "hyphenated", |e| {
        let w = words(&e.artifact);
        (w.len() > 1).then(|| w.join("-"))
    });
    find_all(&checker, "line-broken", |e| {
        let w = words(&e.artifact);
        (w.len() > 1).then(|| w.join("\n"))
    });
}

#[test]
fn a_one_letter_typo_in_a_long_word_is_found() {
    let checker = Checker::new();
    find_all(&checker, "typo", |e| {
        let w = words(&e.artifact);
        if w.len() < 2 {
            return None;
        }
        // Double the fourth letter of the first word of 6+ ASCII letters.
        let i = w
            .iter()
            .position(|x| x.len() >= 6 && x.bytes().all(|b| b.is_ascii_lowercase()))?;
        let mut typo = w.clone();
        let x = &w[i];
        typo[i] = format!("{}{}", &x[..4], &x[3..]);
        Some(typo.join(" "))
    });
}

#[test]
fn well_known_tortured_phrases_and_their_variants_are_found() {
    let checker = Checker::new();
    for (text, artifact, fix) in [
        (
            "We apply counterfeit consciousness to images.",
            "counterfeit consciousness",
            "artificial intelligence",
        ),
        (
            "We apply counterfeit-consciousness to images.",
            "counterfeit-consciousness",
            "artificial intelligence",
        ),
        (
            "Models trained with profound learnings beat older deep learning models.",
            "profound learnings",
            "deep learning",
        ),
        (
            "The colossal informations era began.",
            "colossal informations",
            "big data",
        ),
        (
            "An irregular woodland classifier was used.",
            "irregular woodland",
            "random forest",
        ),
    ] {
        let report = checker.check(text);
        let span = report
            .spans
            .iter()
            .find(|s| s.text == artifact)
            .unwrap_or_else(|| panic!("{artifact} not found in {text:?}: {:?}", report.spans));
        assert_eq!(span.kind, SpanKind::TorturedPhrase);
        assert_eq!(span.suggestions[0].to_lowercase(), fix, "{text}");
    }
}

#[test]
fn fingerprint_with_unknown_original_is_flagged_without_a_fix() {
    // "advantage gizmos": a PPS fingerprint whose correction nobody gave.
    let text = "The advantage gizmos were tested in the field.";
    let report = Checker::new()
        .check_with(text, &CheckOptions::default())
        .unwrap();
    let span = report
        .spans
        .iter()
        .find(|s| s.text == "advantage gizmos")
        .expect("the fingerprint is flagged");
    assert_eq!(span.kind, SpanKind::TorturedPhrase);
    assert!(span.suggestions.is_empty());
    assert!(
        span.message.contains("original is not known"),
        "{}",
        span.message
    );
    assert_eq!(report.fixed.as_deref(), Some(text), "nothing to apply");
}
