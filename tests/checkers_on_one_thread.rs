//! The scorer keeps per-thread scratch space between checks (a slot per
//! artifact of the section being scored). Checkers with different
//! dictionaries, used in turn on one thread, must not see each other's
//! state: each gives what it gives alone.

use unspun::{Checker, Span};

const TEXT: &str = "The curate volition sojourn Lisbon connected Tuesday to conscionable with \
European ministers. The travel comes arsenic Portugal has worked to negociate with the \
Brussels medication to debar fresh tariffs. Officials zorblat the plan connected Friday, \
and zorblat it again connected Monday.";

fn spans(checker: &Checker) -> Vec<(usize, usize, String, String)> {
    checker
        .check(TEXT)
        .spans
        .iter()
        .map(|s: &Span| {
            (
                s.start,
                s.end,
                s.text.clone(),
                format!("{:.6}", s.confidence),
            )
        })
        .collect()
}

#[test]
fn checkers_with_other_dictionaries_in_turn_on_one_thread_give_what_each_gives_alone() {
    let default = Checker::new();
    let custom = Checker::builder()
        .without_default_dictionaries()
        .dictionary_text(
            "mine.tsv",
            "#! name: mine\n#! kind: spun-word\nzorblat\tdiscussed\nconnected\ton\n",
        )
        .unwrap()
        .build()
        .unwrap();
    let default_alone = spans(&default);
    let custom_alone = spans(&custom);
    assert!(!default_alone.is_empty() && !custom_alone.is_empty());
    assert_ne!(default_alone, custom_alone, "precondition: they differ");
    for _ in 0..3 {
        assert_eq!(spans(&custom), custom_alone);
        assert_eq!(spans(&default), default_alone);
    }
}
