//! Helpers shared by the tests that keep generated files in step.
#![allow(dead_code)]

#[path = "../../../tests/common/skip.rs"]
mod skip;
#[allow(unused_imports)]
pub use skip::{skip, under_ci};

/// Describes the first line where two versions of a file differ, so a failure
/// does not dump megabytes of text.
pub fn first_difference(committed: &str, generated: &str) -> String {
    let mut c = committed.lines();
    let mut g = generated.lines();
    for number in 1.. {
        match (c.next(), g.next()) {
            (None, None) => return "no line differs (line endings?)".into(),
            (a, b) if a == b => continue,
            (a, b) => return format!("line {number}: committed {a:?}, regenerated {b:?}"),
        }
    }
    unreachable!()
}

#[test]
fn first_difference_names_the_line_and_both_versions() {
    assert_eq!(
        first_difference("a\nb\nc\n", "a\nx\nc\n"),
        "line 2: committed Some(\"b\"), regenerated Some(\"x\")"
    );
    assert_eq!(
        first_difference("a\n", "a\nb\n"),
        "line 2: committed None, regenerated Some(\"b\")"
    );
}
