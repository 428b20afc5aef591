//! Skipping a test that lacks something from outside the repository, visibly.
//!
//! libtest shows a test's own output only when the test fails, and stable Rust
//! has no way for a test to mark itself ignored at run time, so a test that
//! returns early reports `ok` like one that ran. [`skip`] keeps that honest:
//!
//! - under CI (the `CI` environment variable set to anything but `false` or
//!   `0`) everything is installed, so a test that would skip **fails** instead;
//! - otherwise it writes `SKIPPED <test>: <reason>` straight to the process's
//!   standard error, which libtest does not capture (it captures only what the
//!   `print!` family writes), so the line shows in plain `cargo test` output
//!   next to the test's `ok`.
//!
//! Included by `tests/common` and `xtask/tests/common`.

use std::io::Write;

/// Whether the tests run under CI, where nothing may be skipped.
pub fn under_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0")
}

/// Skips the calling test for `reason` (say what is missing and how to get
/// it): panics under CI, else prints a `SKIPPED` line that `cargo test` shows.
/// The caller returns right after.
pub fn skip(reason: &str) {
    let name = std::thread::current()
        .name()
        .filter(|n| *n != "main")
        .unwrap_or("a test")
        .to_string();
    if under_ci() {
        panic!("{name} cannot run, and nothing may be skipped under CI (CI is set): {reason}");
    }
    let line = format!("\nSKIPPED {name}: {reason}\n");
    // Not `eprintln!`: libtest would capture it and show it only on failure.
    let _ = std::io::stderr().lock().write_all(line.as_bytes());
}
