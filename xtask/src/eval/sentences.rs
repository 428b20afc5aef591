//! The single-sentence measure: what a user checking one sentence at a time
//! (a CMS that checks as the editor types) gets. Each sample is one sentence
//! of a corpus's test documents with two or more swaps; it counts as a hit
//! only when every swap is flagged with its original as the fix.

use super::corpus;
use super::spinner::{Rng, Spinner, Style};
use unspun::{CheckOptions, Checker, SpanKind};

/// Shortest and longest sentence sampled, in words.
const SENTENCE_WORDS: std::ops::RangeInclusive<usize> = 8..=40;
/// Spin rate of a sentence (high, so that two swaps are common).
const RATE: f64 = 0.5;
/// Tries at spinning a sentence before it is passed over.
const TRIES: usize = 6;
/// Fewest swaps a sampled sentence carries.
pub const MIN_SWAPS: usize = 2;

/// What the single-sentence measure counted.
#[derive(Debug, Default, Clone, Copy)]
pub struct SentenceFigures {
    /// Spun sentences checked (each with at least [`MIN_SWAPS`] swaps).
    pub sentences: usize,
    /// Of them, every swap flagged with the original as the top fix.
    pub all_fixed: usize,
    /// Every swap flagged, whatever the fix.
    pub all_flagged: usize,
    /// At least one swap flagged.
    pub any_flagged: usize,
    /// Spun sentences with a span where nothing was swapped.
    pub false_flagged: usize,
    /// Their clean originals with any span.
    pub clean_flagged: usize,
}

/// The sentences of `documents` of a length worth checking alone, in order.
pub fn candidate_sentences<'a>(documents: &[&'a String]) -> Vec<&'a str> {
    documents
        .iter()
        .flat_map(|d| d.split("\n\n"))
        .flat_map(corpus::sentences)
        .filter(|s| SENTENCE_WORDS.contains(&unspun::text::words(s).count()))
        .collect()
}

/// Spins up to `count` sentences spread evenly over `documents` with `style`
/// and checks each alone.
pub fn measure(
    checker: &Checker,
    spinner: &Spinner,
    style: &Style,
    documents: &[&String],
    count: usize,
    seed: u64,
) -> SentenceFigures {
    let options = CheckOptions {
        include_diff: false,
        include_fixed: false,
        ..Default::default()
    };
    let pool = candidate_sentences(documents);
    let step = (pool.len() / count.max(1)).max(1);
    let mut rng = Rng::new(seed);
    let mut f = SentenceFigures::default();
    for sentence in pool.iter().step_by(step).take(count) {
        let families = style.families();
        let spun = (0..TRIES)
            .map(|_| {
                let family = families[rng.below(families.len())];
                if rng.unit() < style.twice_share {
                    let second = families[rng.below(families.len())];
                    spinner.spin_twice_styled(sentence, family, second, style, RATE, &mut rng)
                } else {
                    spinner.spin_styled(sentence, family, style, RATE, &mut rng)
                }
            })
            .find(|s| s.substitutions.len() >= MIN_SWAPS);
        let Some(spun) = spun else {
            continue;
        };
        let report = checker
            .check_with(&spun.text, &options)
            .expect("valid options");
        let spans: Vec<_> = report
            .spans
            .iter()
            .filter(|s| s.kind == SpanKind::SpunWord)
            .collect();
        let span_at = |start: usize| spans.iter().find(|s| s.start == start);
        let flagged = spun
            .substitutions
            .iter()
            .filter(|sub| span_at(sub.start).is_some())
            .count();
        let fixed = spun
            .substitutions
            .iter()
            .filter(|sub| {
                span_at(sub.start).is_some_and(|s| {
                    s.suggestions
                        .first()
                        .is_some_and(|fix| fix.eq_ignore_ascii_case(&sub.original))
                })
            })
            .count();
        let n = spun.substitutions.len();
        f.sentences += 1;
        f.all_fixed += usize::from(fixed == n);
        f.all_flagged += usize::from(flagged == n);
        f.any_flagged += usize::from(flagged > 0);
        f.false_flagged += usize::from(
            spans
                .iter()
                .any(|s| !spun.substitutions.iter().any(|sub| sub.start == s.start)),
        );
        let clean = checker
            .check_with(sentence, &options)
            .expect("valid options");
        f.clean_flagged += usize::from(!clean.spans.is_empty());
    }
    f
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_of_the_shortest_and_longest_length_are_kept_and_one_word_beyond_is_not() {
        let sentence = |n: usize| {
            let mut s = vec!["word"; n].join(" ");
            s.insert_str(0, "A");
            s.push('.');
            s
        };
        for (n, kept) in [(7, false), (8, true), (40, true), (41, false)] {
            let doc = sentence(n);
            assert_eq!(unspun::text::words(&doc).count(), n);
            assert_eq!(
                candidate_sentences(&[&doc]).len(),
                usize::from(kept),
                "{n} words"
            );
        }
    }

    #[test]
    fn candidate_sentences_keep_only_lengths_worth_checking_alone() {
        let doc = "Short one. This sentence has exactly eight words in it.\n\n\
                   Another paragraph starts here and it is long enough to count."
            .to_string();
        let docs = [&doc];
        let got = candidate_sentences(&docs);
        assert_eq!(
            got,
            [
                "This sentence has exactly eight words in it.",
                "Another paragraph starts here and it is long enough to count."
            ]
        );
    }
}
