//! What `unspun check` and `unspun fix` accept as input, run as a process:
//! the size limit, byte-order marks and UTF-16, line ends, and dictionary
//! names. Every refusal is one line on standard error and exit code 2.
#![cfg(target_os = "linux")]

use std::fs;
use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

const SPUN: &str = "Noem will travel to Mexico connected Friday to conscionable with Sheinbaum.\n";
const FIXED: &str = "Noem will travel to Mexico on Friday to meet with Sheinbaum.\n";

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_unspun"))
}

fn unspun(args: &[&str]) -> Output {
    bin().args(args).output().expect("the unspun binary runs")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn path_str(path: &Path) -> &str {
    path.to_str().expect("temporary paths are UTF-8")
}

/// The spans of `check --format json` on one file, as (text, line, column, start, end).
fn spans(output: &Output) -> Vec<(String, u64, u64, usize, usize)> {
    let stdout = String::from_utf8(output.stdout.clone()).unwrap();
    let report: serde_json::Value = serde_json::from_str(stdout.trim())
        .unwrap_or_else(|e| panic!("{e}: {stdout} {}", stderr(output)));
    report["spans"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["text"].as_str().unwrap().to_string(),
                s["line"].as_u64().unwrap(),
                s["column"].as_u64().unwrap(),
                s["start"].as_u64().unwrap() as usize,
                s["end"].as_u64().unwrap() as usize,
            )
        })
        .collect()
}

fn write_file(dir: &Path, name: &str, bytes: &[u8]) -> String {
    let path = dir.join(name);
    fs::write(&path, bytes).unwrap();
    path_str(&path).to_string()
}

/// Runs `unspun args`, killing it if its resident memory passes `max_rss_mb`
/// or it runs past a generous deadline (a hang guard, not a speed target).
/// Returns the exit code, standard error and the peak resident memory in MB.
fn run_bounded(args: &[&str], max_rss_mb: u64) -> (Option<i32>, String, u64) {
    let mut child = bin()
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut err_pipe = child.stderr.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = err_pipe.read_to_string(&mut s);
        s
    });
    let pid = child.id() as libc::pid_t;
    let deadline = Instant::now() + Duration::from_secs(120);
    let mut status = 0;
    // SAFETY: rusage is plain data, filled in by wait4.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: waits for our own child with valid out-pointers.
        let reaped = unsafe { libc::wait4(pid, &mut status, libc::WNOHANG, &mut usage) };
        if reaped == pid {
            break;
        }
        let rss_kb = fs::read_to_string(format!("/proc/{pid}/status"))
            .ok()
            .and_then(|s| {
                s.lines()
                    .find(|l| l.starts_with("VmRSS:"))
                    .and_then(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
            })
            .unwrap_or(0);
        if rss_kb > max_rss_mb * 1024 || Instant::now() > deadline {
            let _ = child.kill();
            // SAFETY: as above; reaps the killed child.
            unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
            panic!(
                "unspun {args:?} killed at {} MB resident after {:?}",
                rss_kb / 1024,
                Instant::now() - (deadline - Duration::from_secs(120))
            );
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let code = libc::WIFEXITED(status).then(|| libc::WEXITSTATUS(status));
    (code, reader.join().unwrap(), usage.ru_maxrss as u64 / 1024)
}

/// Peak resident memory of checking a clean one-line file: the cost of the
/// checker itself, which every bound below is relative to.
fn baseline_rss_mb() -> u64 {
    let dir = tempfile::tempdir().unwrap();
    let small = write_file(dir.path(), "small.txt", b"plain words\n");
    let (code, err, rss) = run_bounded(&["check", &small], 4096);
    assert_eq!(code, Some(0), "{err}");
    rss
}

#[test]
fn a_file_at_the_byte_limit_is_checked_and_one_byte_more_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let limit = SPUN.len().to_string();
    let at = write_file(dir.path(), "at.txt", SPUN.as_bytes());
    let over = write_file(dir.path(), "over.txt", format!("{SPUN} ").as_bytes());
    let out = unspun(&["check", "--max-bytes", &limit, &at]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let out = unspun(&["check", "--max-bytes", &limit, &over]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        format!(
            "unspun: {over}: {} bytes, over the limit of {limit} bytes (raise it with --max-bytes)\n",
            SPUN.len() + 1
        )
    );
    let out = unspun(&["fix", "--max-bytes", &limit, "--write", &over]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(fs::read(&over).unwrap(), format!("{SPUN} ").as_bytes());
}

#[test]
fn standard_input_past_the_limit_is_refused() {
    let limit = SPUN.len().to_string();
    for (input, code) in [(SPUN.to_string(), 1), (format!("{SPUN} "), 2)] {
        let mut child = bin()
            .args(["check", "--max-bytes", &limit])
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // The child may stop reading (and close the pipe) once past the limit.
        let _ = child.stdin.take().unwrap().write_all(input.as_bytes());
        let out = child.wait_with_output().unwrap();
        assert_eq!(out.status.code(), Some(code), "{}", stderr(&out));
        if code == 2 {
            assert!(
                stderr(&out).ends_with(&format!(
                    "standard input: more than the limit of {limit} bytes (raise it with --max-bytes)\n"
                )),
                "{}",
                stderr(&out)
            );
        }
    }
}

#[test]
fn the_default_limit_is_stated_in_the_help() {
    let out = unspun(&["check", "--help"]);
    let help = String::from_utf8_lossy(&out.stdout);
    assert!(help.contains("--max-bytes <BYTES>"), "{help}");
    assert!(help.contains("[default: 10000000]"), "{help}");
}

#[test]
fn an_endless_stream_of_valid_text_is_refused_at_the_limit_with_bounded_memory() {
    let base = baseline_rss_mb();
    // NUL bytes are valid UTF-8: only the limit stops this input.
    let (code, err, rss) = run_bounded(&["check", "/dev/zero"], base + 500);
    assert_eq!(code, Some(2), "{err}");
    assert_eq!(
        err,
        "unspun: /dev/zero: more than the limit of 10000000 bytes (raise it with --max-bytes)\n"
    );
    // The text read is at most the limit; allow twice that for the buffer's growth.
    assert!(rss <= base + 25, "peak {rss} MB, checker alone {base} MB");
}

#[test]
fn random_bytes_are_refused_at_the_first_invalid_byte() {
    let base = baseline_rss_mb();
    let (code, err, rss) = run_bounded(&["check", "/dev/urandom"], base + 500);
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.starts_with("unspun: /dev/urandom: invalid UTF-8 at line "),
        "{err}"
    );
    assert!(rss <= base + 5, "peak {rss} MB, checker alone {base} MB");
}

#[test]
fn a_utf8_byte_order_mark_is_not_counted_in_columns_and_fix_keeps_it() {
    let dir = tempfile::tempdir().unwrap();
    let plain = write_file(dir.path(), "plain.txt", SPUN.as_bytes());
    let with_bom = write_file(dir.path(), "bom.txt", format!("\u{feff}{SPUN}").as_bytes());
    let expected = spans(&unspun(&["check", "--format", "json", &plain]));
    assert_eq!(expected[0].0, "connected");
    assert_eq!((expected[0].1, expected[0].2), (1, 28));
    let found = spans(&unspun(&["check", "--format", "json", &with_bom]));
    // Offsets, lines and columns refer to the text without the BOM.
    assert_eq!(found, expected);
    let out = unspun(&["check", &with_bom]);
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("bom.txt:1:28: connected -> on"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    // The fixed file is the file as written, BOM and all.
    let out = unspun(&["fix", &with_bom]);
    assert_eq!(out.stdout, format!("\u{feff}{FIXED}").as_bytes());
    let out = unspun(&["fix", "--diff", &with_bom]);
    let diff = String::from_utf8(out.stdout).unwrap();
    assert!(diff.contains(&format!("-\u{feff}{SPUN}")), "{diff}");
    assert!(diff.contains(&format!("+\u{feff}{FIXED}")), "{diff}");
    let out = unspun(&["fix", "--write", &with_bom]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(
        fs::read(&with_bom).unwrap(),
        format!("\u{feff}{FIXED}").as_bytes()
    );
}

fn utf16(text: &str, big_endian: bool, bom: bool) -> Vec<u8> {
    let mut out = Vec::new();
    let units = bom.then_some(0xFEFF).into_iter().chain(text.encode_utf16());
    for unit in units {
        out.extend_from_slice(&if big_endian {
            unit.to_be_bytes()
        } else {
            unit.to_le_bytes()
        });
    }
    out
}

#[test]
fn utf16_with_a_byte_order_mark_is_checked_and_written_back_as_utf16() {
    let dir = tempfile::tempdir().unwrap();
    let text = format!("First line é.\n{SPUN}");
    for big_endian in [false, true] {
        let file = write_file(dir.path(), "wide.txt", &utf16(&text, big_endian, true));
        let found = spans(&unspun(&["check", "--format", "json", &file]));
        let first = &found[0];
        assert_eq!(
            (first.0.as_str(), first.1, first.2),
            ("connected", 2, 28),
            "big-endian: {big_endian}"
        );
        // Offsets are in the decoded text, as for any other file.
        assert_eq!(&text[first.3..first.4], "connected");
        let out = unspun(&["fix", &file]);
        assert_eq!(
            out.stdout,
            utf16(&text.replace(SPUN, FIXED), big_endian, true)
        );
        let out = unspun(&["fix", "--write", &file]);
        assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
        assert_eq!(
            fs::read(&file).unwrap(),
            utf16(&text.replace(SPUN, FIXED), big_endian, true)
        );
    }
}

#[test]
fn utf16_without_a_byte_order_mark_is_refused_not_passed_as_clean() {
    let dir = tempfile::tempdir().unwrap();
    for (big_endian, order, iconv) in [(false, "little-endian", "LE"), (true, "big-endian", "BE")] {
        let file = write_file(dir.path(), "wide.txt", &utf16(SPUN, big_endian, false));
        let out = unspun(&["check", &file]);
        assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
        assert_eq!(
            stderr(&out),
            format!(
                "unspun: {file}: looks like UTF-16 ({order}) without a byte-order mark \
                 (NUL in every other byte); convert it to UTF-8 (iconv -f UTF-16{iconv} -t UTF-8) \
                 or save it with a byte-order mark\n"
            )
        );
    }
}

#[test]
fn carriage_return_line_ends_count_as_lines() {
    let dir = tempfile::tempdir().unwrap();
    let file = write_file(
        dir.path(),
        "mac.txt",
        format!("A first line.\r\r{}", SPUN.replace('\n', "\r")).as_bytes(),
    );
    let found = spans(&unspun(&["check", "--format", "json", &file]));
    assert_eq!(
        (found[0].0.as_str(), found[0].1, found[0].2),
        ("connected", 3, 28)
    );
    let out = unspun(&["check", &file]);
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(report.contains("mac.txt:3:28: connected -> on"), "{report}");
    // The excerpt is the span's own line, not the whole file.
    assert!(report.contains(&format!("\n    {}", SPUN)), "{report}");
}

#[test]
fn a_dictionary_named_like_a_built_in_one_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let dict = write_file(
        dir.path(),
        "mine.tsv",
        b"#! name: spun-words\n#! kind: spun-word\nsojourn\tvisit\n",
    );
    let sample = write_file(dir.path(), "sample.txt", SPUN.as_bytes());
    let out = unspun(&["check", "--dict", &dict, &sample]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_eq!(
        stderr(&out),
        format!(
            "unspun: {dict}: the dictionary name `spun-words` is taken by a built-in dictionary; \
             give the file a name of its own (`#! name: ...`), or leave the built-in dictionaries \
             out to use it instead\n"
        )
    );
    // Without the built-ins there is nothing to replace: the file is used.
    let out = unspun(&["dictionaries", "--no-default-dicts", "--dict", &dict]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let listing = String::from_utf8_lossy(&out.stdout);
    assert!(listing.contains("spun-words"), "{listing}");
    // And the listing says the rule.
    let out = unspun(&["dictionaries"]);
    let listing = String::from_utf8_lossy(&out.stdout);
    assert!(
        listing.contains("one named like a built-in dictionary is refused"),
        "{listing}"
    );
}
