//! Checks the files named on the command line, one document each, and prints
//! the throughput: a quick companion to `cargo bench --bench check` for
//! profiling (`perf record`, `valgrind --tool=callgrind`).
//!
//! `cargo run --release --example throughput -- FILE...`

use std::time::Instant;

fn main() {
    let checker = unspun::Checker::new();
    let docs: Vec<String> = std::env::args()
        .skip(1)
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .collect();
    let bytes: usize = docs.iter().map(String::len).sum();
    let options = unspun::CheckOptions::default();
    let start = Instant::now();
    let mut spans = 0;
    for d in &docs {
        spans += checker
            .check_with(d, &options)
            .map(|r| r.spans.len())
            .unwrap_or(0);
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "{} documents, {} bytes, {spans} spans in {secs:.3} s: {:.1} MB/s",
        docs.len(),
        bytes,
        bytes as f64 / secs / 1e6
    );
}
