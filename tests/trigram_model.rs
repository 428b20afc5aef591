//! The embedded trigram model gives the numbers of the CMU Sphinx model it
//! was converted from.
//!
//! The expected figures were printed by Sphinx's own evaluator on the Debian
//! model (`apt-get install sphinxbase-utils pocketsphinx-en-us`):
//!
//! ```text
//! sphinx_lm_eval -lm /usr/share/pocketsphinx/model/en-us/en-us.lm.bin \
//!     -verbose yes -text "<s> such as the </s>"
//! ```
//!
//! which prints one `log P(word|history) = N` line per word in log base
//! 1.0001 (rounded to an integer) and the perplexity over the words after
//! `<s>`. They are written here so the test runs without the package.

use unspun::lm::{embedded, TrigramModel, WordId};

/// Sphinx prints integer scores; the reader adds the same float terms.
const SCORE_TOLERANCE: f64 = 1.0;

fn ids(lm: &TrigramModel<'_>, sentence: &str) -> Vec<WordId> {
    sentence
        .split(' ')
        .map(|w| {
            lm.word(w)
                .unwrap_or_else(|| panic!("{w:?} is in the vocabulary"))
        })
        .collect()
}

/// Checks each word's score against Sphinx's (given in sentence order), their
/// sum against Sphinx's `lm score`, and the sentence's perplexity. Sphinx
/// derives the perplexity through its own log tables, which puts it up to
/// 1.2e-4 (relative) off the perplexity of its printed `lm score`.
fn assert_matches_sphinx(sentence: &str, scores: &[i64], lm_score: i64, perplexity: f64) {
    let lm = embedded();
    let words = ids(lm, sentence);
    assert_eq!(
        words.len(),
        scores.len() + 1,
        "one score per word after <s>"
    );
    for (i, &expected) in scores.iter().enumerate() {
        let at = i + 1;
        let got = f64::from(lm.raw_log_prob(&words[at.saturating_sub(2)..at], words[at]));
        assert!(
            (got - expected as f64).abs() <= SCORE_TOLERANCE,
            "{sentence:?} word {at} ({:?}): {got} against Sphinx's {expected}",
            lm.text(words[at])
        );
    }
    assert_eq!(
        scores.iter().sum::<i64>(),
        lm_score,
        "the scores add up to Sphinx's total"
    );
    let total: f64 = (1..words.len())
        .map(|at| f64::from(lm.raw_log_prob(&words[at.saturating_sub(2)..at], words[at])))
        .sum();
    assert!(
        (total - lm_score as f64).abs() <= SCORE_TOLERANCE * scores.len() as f64,
        "{sentence:?}: total {total} against Sphinx's lm score {lm_score}"
    );
    let log10 = lm.sequence_log10(&words, 1);
    let got = 10f64.powf(-log10 / scores.len() as f64);
    assert!(
        (got - perplexity).abs() / perplexity < 2e-4,
        "{sentence:?}: perplexity {got} against Sphinx's {perplexity}"
    );
}

#[test]
fn perplexity_of_a_short_phrase_matches_sphinx() {
    assert_matches_sphinx(
        "<s> such as the </s>",
        &[-78677, -18266, -20673, -48025],
        -165641,
        62.852642,
    );
}

#[test]
fn words_whose_ids_need_the_17th_bit_score_as_in_sphinx() {
    // "we", "with", "you" and "tilghman" have ids above 65,535.
    assert_matches_sphinx(
        "<s> we will work with you until the work is done </s>",
        &[
            -42437, -38816, -51911, -24477, -34215, -61590, -24113, -74423, -31154, -31829, -14988,
        ],
        -429953,
        49.819406,
    );
    assert_matches_sphinx(
        "<s> zebra tilghman quantum aardvark </s>",
        &[-136204, -172853, -124143, -173020, -14397],
        -620617,
        245654.025935,
    );
}

#[test]
fn a_news_sentence_scores_as_in_sphinx() {
    assert_matches_sphinx(
        "<s> the trip comes as mexico has worked to negotiate with the trump administration </s>",
        &[
            -29219, -84100, -98149, -49340, -118482, -42835, -58523, -40294, -88885, -15659,
            -15143, -118069, -106492, -15509,
        ],
        -880699,
        539.361205,
    );
}

#[test]
fn an_unknown_word_cuts_the_history_as_in_sphinx() {
    // Sphinx on "... worked to negociate with the ...", where "negociate" is
    // unknown: "log P(with|to (null)) = -52210", "log P(the|(null) with) = -17934".
    let lm = embedded();
    assert_eq!(lm.word("negociate"), None);
    let with = lm.word("with").unwrap();
    let the = lm.word("the").unwrap();
    let to = lm.word("to").unwrap();
    assert!((f64::from(lm.raw_log_prob(&[], with)) + 52210.0).abs() <= SCORE_TOLERANCE);
    assert!((f64::from(lm.raw_log_prob(&[with], the)) + 17934.0).abs() <= SCORE_TOLERANCE);
    // The text form of the slot score cuts at the unknown word the same way:
    // only "with" is left of "the", nothing is right of it before "xqzv".
    let slot = lm
        .slot_log10_text(&["to", "negociate", "with"], &["the"], &["xqzv", "trump"])
        .unwrap();
    assert!((slot - lm.log10_prob(&[with], the)).abs() < 1e-9);
    assert_ne!(lm.log10_prob(&[to, with], the), lm.log10_prob(&[with], the));
    assert_eq!(lm.slot_log10_text(&["to"], &["negociate"], &["with"]), None);
}

#[test]
fn a_slot_score_sums_the_three_trigrams_a_word_stands_in() {
    // sphinx_lm_eval on "<s> the minister will visit lisbon on friday </s>":
    // P(on|visit lisbon) = -54574, P(friday|lisbon on) = -59935,
    // P(</s>|on friday) = -12092; with "connected" for "on": -109091,
    // -115300, -14543.
    let lm = embedded();
    let base = 4.342_727_686_266_964_6e-5; // log10(1.0001)
    let on = lm
        .slot_log10_text(&["will", "visit", "lisbon"], &["on"], &["friday", "</s>"])
        .unwrap();
    let connected = lm
        .slot_log10_text(
            &["visit", "lisbon"],
            &["connected"],
            &["friday", "</s>", "the"],
        )
        .unwrap();
    assert!((on - (-54574.0 - 59935.0 - 12092.0) * base).abs() < 3.0 * base);
    assert!((connected - (-109091.0 - 115300.0 - 14543.0) * base).abs() < 3.0 * base);
    // The reading with "on" is about 10^4.9 times likelier.
    assert!(on - connected > 4.5, "{on} against {connected}");
}

#[test]
fn a_phrase_candidate_is_scored_as_its_words_in_turn() {
    let lm = embedded();
    let left = ids(lm, "<s> research on");
    let phrase = ids(lm, "artificial intelligence");
    let right = ids(lm, "and deep");
    let mut all = left.clone();
    all.extend(&phrase);
    all.extend(&right);
    let expected = lm.sequence_log10(&all, left.len());
    assert!((lm.slot_log10(&left, &phrase, &right) - expected).abs() < 1e-12);
    let tortured = ids(lm, "counterfeit consciousness");
    assert!(lm.slot_log10(&left, &phrase, &right) > lm.slot_log10(&left, &tortured, &right) + 3.0);
}

#[test]
fn the_vocabulary_round_trips_and_the_counts_are_sphinx_s() {
    let lm = embedded();
    assert_eq!(lm.words(), 72_547);
    assert_eq!(lm.bigrams(), 2_051_541);
    assert_eq!(lm.trigrams(), 1_669_625);
    for id in [0, 1, 65_535, 65_536, 72_546] {
        let id = WordId::new(id);
        let text = lm.text(id).unwrap();
        assert_eq!(lm.word(text), Some(id), "{text}");
    }
    assert_eq!(lm.text(WordId::new(72_547)), None);
    assert!(lm.sentence_start().is_some() && lm.sentence_end().is_some());
    assert_eq!(lm.word("The"), None, "the vocabulary is lower case");
    assert_eq!(lm.word(""), None);
}

#[test]
fn a_damaged_file_is_refused_with_the_reason() {
    let bytes = unspun::lm::EMBEDDED_BYTES;
    let short = TrigramModel::from_bytes(&bytes[..bytes.len() - 1]).unwrap_err();
    assert!(short.contains("this one has"), "{short}");
    assert!(TrigramModel::from_bytes(b"not a model").is_err());
}
