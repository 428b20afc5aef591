//! Hostile and degenerate input: no panic, bounded time, a defined result.

use unspun::{Checker, Verdict};

fn check(text: &str) -> unspun::Report {
    let report = Checker::new().check(text);
    for s in &report.spans {
        assert!(text.is_char_boundary(s.start) && text.is_char_boundary(s.end));
        assert_eq!(&text[s.start..s.end], s.text);
    }
    report
}

#[test]
fn empty_text_is_clean_with_zero_words() {
    let r = check("");
    assert_eq!((r.words, r.verdict, r.score), (0, Verdict::Clean, 0.0));
    assert_eq!(r.fixed.as_deref(), Some(""));
    assert_eq!(r.diff.as_deref(), Some(""));
}

#[test]
fn whitespace_only_is_clean_and_kept_byte_identical() {
    let text = " \n\t\r\n  \u{a0}\u{2003}\n";
    let r = check(text);
    assert_eq!((r.words, r.verdict), (0, Verdict::Clean));
    assert_eq!(r.fixed.as_deref(), Some(text));
}

#[test]
fn ten_megabytes_of_one_repeated_artifact_finishes() {
    let text = "arsenic ".repeat(10 * 1024 * 1024 / 8);
    let r = check(&text);
    assert_eq!(r.words, 10 * 1024 * 1024 / 8);
    // Whatever is flagged, the fixed text has the same shape.
    assert!(r.fixed.unwrap().len() <= text.len());
}

#[test]
fn ten_megabytes_of_one_ordinary_word_is_clean() {
    let text = "the ".repeat(10 * 1024 * 1024 / 4);
    let r = check(&text);
    assert_eq!(r.verdict, Verdict::Clean);
}

#[test]
fn random_bytes_read_lossily_never_panic() {
    let mut state: u64 = 0x2545F4914F6CDD1D;
    let mut bytes = Vec::with_capacity(1 << 20);
    for _ in 0..(1 << 20) {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        bytes.push((state >> 24) as u8);
    }
    let text = String::from_utf8_lossy(&bytes);
    let r = check(&text);
    assert!(r.words > 0);
}

#[test]
fn a_one_megabyte_line_without_spaces_is_one_word() {
    let text = "a".repeat(1 << 20);
    let r = check(&text);
    assert_eq!(r.words, 1);
    assert!(r.spans.is_empty());
    let mixed = "counterfeit".repeat((1 << 20) / 11);
    assert_eq!(check(&mixed).words, 1);
}

#[test]
fn mixed_scripts_emoji_and_rtl_keep_spans_on_char_boundaries() {
    let text = "😀😀 The trip comes arsenic Mexico 東京 مرحبا connected Friday, naïve café 🇫🇷 \u{202e}counterfeit consciousness\u{202c} שלום";
    let r = check(text);
    let flagged: Vec<&str> = r.spans.iter().map(|s| s.text.as_str()).collect();
    assert!(flagged.contains(&"arsenic"), "{flagged:?}");
    assert!(
        flagged.contains(&"counterfeit consciousness"),
        "{flagged:?}"
    );
}

#[test]
fn nul_and_control_characters_are_separators() {
    let r = check("comes\u{0}arsenic\u{7}Mexico\u{1b}[0m");
    assert!(r.words >= 3);
}
