//! Property tests of the tokenizer and the offset helpers (`unspun::text`) on
//! generated text: any Unicode, English-like prose with punctuation and
//! hyphens, and the ASCII bytes the block scanner treats specially.

mod common;

use proptest::prelude::*;
use unspun::text::{words, LineIndex, OffsetUnit};

fn config() -> ProptestConfig {
    ProptestConfig::with_cases(common::proptest_cases())
}

/// Prose-like text: words, spaces, punctuation, hyphens, apostrophes, digits,
/// line breaks, accented and wide characters, emoji.
fn prose() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            4 => "[A-Za-z]{1,12}",
            2 => Just(" ".to_string()),
            1 => prop::sample::select(vec![
                ",", ".", "-", "'", "\u{2019}", "\n", "\t", "!", "?", ";", "\u{b6}",
                "--", " - ", "(", ")", "\"", "\u{2014}", "3", "2004", "N2",
            ])
            .prop_map(str::to_string),
            1 => prop::sample::select(vec!["é", "ü", "東京", "😀", "ß", "İ", "\u{301}", "\u{0E31}"])
                .prop_map(str::to_string),
        ],
        0..80,
    )
    .prop_map(|parts| parts.concat())
}

fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![prose(), any::<String>(), "[ -~\n]{0,200}"]
}

fn check_words(text: &str) -> Result<(), TestCaseError> {
    let mut previous_end = 0;
    for (i, word) in words(text).enumerate() {
        prop_assert!(word.start < word.end, "{word:?}");
        prop_assert!(word.end <= text.len());
        prop_assert!(text.is_char_boundary(word.start) && text.is_char_boundary(word.end));
        prop_assert_eq!(word.text, &text[word.start..word.end]);
        prop_assert!(
            word.start >= previous_end,
            "words in order, apart: {word:?}"
        );
        prop_assert!(!word.text.chars().any(char::is_whitespace), "{word:?}");
        if i == 0 {
            prop_assert!(word.break_before, "the first word starts after a break");
        }
        previous_end = word.end;
    }
    Ok(())
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn words_are_in_order_on_char_boundaries_and_slice_the_text(text in any_text()) {
        check_words(&text)?;
    }

    #[test]
    fn every_letter_of_ascii_prose_is_in_exactly_one_word(text in "[a-z ,.\n-]{0,300}") {
        let mut covered = vec![false; text.len()];
        for word in words(&text) {
            for flag in &mut covered[word.start..word.end] {
                prop_assert!(!*flag);
                *flag = true;
            }
        }
        for (i, b) in text.bytes().enumerate() {
            prop_assert_eq!(covered[i], b.is_ascii_lowercase(), "byte {} of {:?}", i, text);
        }
    }

    #[test]
    fn a_word_is_found_the_same_whatever_text_comes_before_it(
        before in prose(),
        word in "[a-z]{1,10}",
    ) {
        // After a full stop and a space, the word starts a new run wherever the
        // 64-byte block boundaries fall.
        let text = format!("{before}. {word}");
        let last = words(&text).last().unwrap();
        prop_assert_eq!(last.text, word.as_str());
        prop_assert!(last.break_before);
    }

    #[test]
    fn offsets_convert_the_same_one_by_one_and_all_at_once(text in any_text()) {
        let offsets: Vec<usize> = text
            .char_indices()
            .map(|(i, _)| i)
            .chain(std::iter::once(text.len()))
            .rev()
            .collect();
        for unit in [OffsetUnit::Utf8, OffsetUnit::Char, OffsetUnit::Utf16] {
            let all = unit.convert_all(&text, &offsets);
            for (&o, &c) in offsets.iter().zip(&all) {
                prop_assert_eq!(unit.convert(&text, o), c);
            }
        }
        prop_assert_eq!(OffsetUnit::Utf16.len(&text), text.encode_utf16().count());
        prop_assert_eq!(OffsetUnit::Char.len(&text), text.chars().count());
    }

    #[test]
    fn line_and_column_count_line_feeds_and_code_points(text in any_text()) {
        // Line feeds only: what a lone carriage return means is another question.
        let text = text.replace('\r', "");
        let index = LineIndex::new(&text);
        for (offset, _) in text.char_indices().chain(std::iter::once((text.len(), ' '))) {
            let before = &text[..offset];
            let line = before.matches('\n').count() + 1;
            let line_start = before.rfind('\n').map_or(0, |i| i + 1);
            let column = text[line_start..offset].chars().count() + 1;
            prop_assert_eq!(index.line_column(&text, offset), (line, column), "at {}", offset);
        }
    }
}
