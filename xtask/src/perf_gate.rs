//! The performance gate: instruction counts of the release binary, under
//! valgrind's callgrind, against the committed baseline `bench/perf-baseline.json`.
//!
//! Wall-clock time on a shared CI machine varies by tens of percent between
//! runs; the number of instructions a run executes does not (callgrind counts
//! them, whatever else the machine does), so a small slowdown shows as a small,
//! repeatable increase. Four scenarios cover where the time goes:
//!
//! - `startup`: `unspun check` of one sentence, all instructions (what an
//!   editor hook or a pre-commit run over one file pays);
//! - `clean-2k`: the 2 KB article of `bench/article.txt`, checked 100 times
//!   in one run, per check, above start-up;
//! - `dense`: 256 KB of `examples/spun-sample.txt` repeated (about every third
//!   word an artifact), text report, above start-up;
//! - `text-5mb`: 5 MB of clean prose as one document (sentences of the article
//!   shuffled with a fixed seed), JSON report, above start-up.
//!
//! Every input is generated from files in the repository. All runs use one
//! worker (`--jobs 1`), so thread scheduling does not enter the counts.
//!
//! `cargo run -p xtask -- perf-gate` fails when a scenario grows more than
//! [`MARGIN_PERCENT`] over the baseline; `--update` rewrites the baseline
//! (do that only in a commit that says why the counts moved).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The command's name on the xtask command line.
pub const NAME: &str = "perf-gate";

/// How much a scenario may grow over its baseline before the gate fails.
/// Repeated runs of the same binary differ by less than 0.1 % (hash seeds and
/// allocation addresses), so 3 % is far above noise and well below the 10 %
/// of a real regression.
pub const MARGIN_PERCENT: f64 = 3.0;

/// How many times `clean-2k` checks the article in one run.
const CLEAN_REPEATS: usize = 100;

const USAGE: &str =
    "usage: cargo run -p xtask -- perf-gate [--update] [--bin PATH] [--baseline FILE]

Counts the instructions of the release binary in four scenarios with
valgrind --tool=callgrind and compares them with the baseline.
  --update          rewrite the baseline with the counts measured now
  --bin PATH        measure this binary instead of building target/release/unspun
  --baseline FILE   the baseline file (default bench/perf-baseline.json)";

/// One measured scenario.
struct Scenario {
    name: &'static str,
    what: &'static str,
    /// Arguments after `unspun`.
    args: Vec<String>,
    /// Subtract the start-up run's count and divide by this, or report the
    /// whole count when `None`.
    per: Option<usize>,
}

/// Runs the gate with `args` (after the command name); returns the exit code.
pub fn run(args: &[String]) -> i32 {
    let mut update = false;
    let mut bin = None;
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut baseline_path = root.join("bench/perf-baseline.json");
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--update" => update = true,
            "--bin" | "--baseline" => {
                let Some(value) = it.next() else {
                    eprintln!("{arg} needs a value\n{USAGE}");
                    return 2;
                };
                if arg == "--bin" {
                    bin = Some(PathBuf::from(value));
                } else {
                    baseline_path = PathBuf::from(value);
                }
            }
            "-h" | "--help" => {
                println!("{USAGE}");
                return 0;
            }
            other => {
                eprintln!("unknown argument {other:?}\n{USAGE}");
                return 2;
            }
        }
    }
    match gate(&root, bin, &baseline_path, update) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("perf-gate: {message}");
            2
        }
    }
}

fn gate(
    root: &Path,
    bin: Option<PathBuf>,
    baseline_path: &Path,
    update: bool,
) -> Result<i32, String> {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"));
    let bin = match bin {
        Some(bin) => bin,
        None => {
            let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
            let status = Command::new(cargo)
                .args(["build", "--release", "--quiet", "--bin", "unspun"])
                .current_dir(root)
                .status()
                .map_err(|e| format!("running cargo: {e}"))?;
            if !status.success() {
                return Err("cargo build --release failed".into());
            }
            target.join("release/unspun")
        }
    };
    let work = target.join("perf-gate");
    std::fs::create_dir_all(&work).map_err(|e| format!("{}: {e}", work.display()))?;
    let inputs = write_inputs(root, &work)?;
    let scenarios = scenarios(&inputs);

    let mut measured: BTreeMap<String, u64> = BTreeMap::new();
    let mut startup = 0;
    for s in &scenarios {
        let total = instructions(&bin, &s.args, &work.join(format!("{}.callgrind", s.name)))?;
        let count = match s.per {
            None => total,
            Some(n) => total.saturating_sub(startup) / n as u64,
        };
        if s.name == "startup" {
            startup = total;
        }
        measured.insert(s.name.to_string(), count);
    }

    if update {
        let json = serde_json::to_string_pretty(&Baseline {
            margin_percent: MARGIN_PERCENT,
            instructions: measured.clone(),
        })
        .expect("baseline serialises");
        std::fs::write(baseline_path, json + "\n")
            .map_err(|e| format!("{}: {e}", baseline_path.display()))?;
        print!("{}", table(&scenarios, &measured, None));
        println!("wrote {}", baseline_path.display());
        return Ok(0);
    }
    let text = std::fs::read_to_string(baseline_path).map_err(|e| {
        format!(
            "{}: {e} (record one with `cargo run -p xtask -- perf-gate --update`)",
            baseline_path.display()
        )
    })?;
    let baseline: Baseline =
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", baseline_path.display()))?;
    print!(
        "{}",
        table(&scenarios, &measured, Some(&baseline.instructions))
    );
    let over: Vec<&str> = scenarios
        .iter()
        .filter(|s| match baseline.instructions.get(s.name) {
            Some(&base) => change(base, measured[s.name]) > MARGIN_PERCENT,
            None => true,
        })
        .map(|s| s.name)
        .collect();
    if over.is_empty() {
        println!("perf gate passed: no scenario grew more than {MARGIN_PERCENT} %");
        Ok(0)
    } else {
        println!(
            "perf gate FAILED: {} grew more than {MARGIN_PERCENT} % (or has no baseline); \
             if the cost is intended, run `cargo run -p xtask -- perf-gate --update` \
             and say why in the commit",
            over.join(", ")
        );
        Ok(1)
    }
}

/// The committed baseline.
#[derive(serde::Serialize, serde::Deserialize)]
struct Baseline {
    /// The margin the counts were recorded for (informative).
    margin_percent: f64,
    /// Instructions per scenario, as the table reports them.
    instructions: BTreeMap<String, u64>,
}

/// The generated input files.
struct Inputs {
    sentence: PathBuf,
    article: PathBuf,
    dense: PathBuf,
    text_5mb: PathBuf,
}

fn scenarios(inputs: &Inputs) -> Vec<Scenario> {
    let check = |extra: &[&str]| -> Vec<String> {
        ["check", "--jobs", "1", "--color", "never"]
            .iter()
            .chain(extra)
            .map(|s| s.to_string())
            .collect()
    };
    let path = |p: &Path| p.display().to_string();
    let mut clean = check(&["--format", "json"]);
    clean.extend(std::iter::repeat_n(path(&inputs.article), CLEAN_REPEATS));
    let mut startup = check(&[]);
    startup.push(path(&inputs.sentence));
    let mut dense = check(&[]);
    dense.push(path(&inputs.dense));
    let mut big = check(&["--format", "json"]);
    big.push(path(&inputs.text_5mb));
    vec![
        Scenario {
            name: "startup",
            what: "check one sentence, whole run",
            args: startup,
            per: None,
        },
        Scenario {
            name: "clean-2k",
            what: "2 KB article, JSON, per check above start-up",
            args: clean,
            per: Some(CLEAN_REPEATS),
        },
        Scenario {
            name: "dense",
            what: "256 KB, every third word spun, text, above start-up",
            args: dense,
            per: Some(1),
        },
        Scenario {
            name: "text-5mb",
            what: "5 MB clean prose in one text, JSON, above start-up",
            args: big,
            per: Some(1),
        },
    ]
}

fn write_inputs(root: &Path, work: &Path) -> Result<Inputs, String> {
    let read = |p: &str| std::fs::read_to_string(root.join(p)).map_err(|e| format!("{p}: {e}"));
    let article = read("bench/article.txt")?;
    let spun = read("examples/spun-sample.txt")?;
    let write = |name: &str, text: &str| -> Result<PathBuf, String> {
        let path = work.join(name);
        std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
        Ok(path)
    };
    Ok(Inputs {
        sentence: write(
            "sentence.txt",
            "The minister will visit Lisbon on Tuesday.\n",
        )?,
        article: write("article.txt", &article)?,
        dense: write("dense.txt", &repeat_to(&spun, 256 * 1024))?,
        text_5mb: write("text-5mb.txt", &shuffled_prose(&article, 5_000_000))?,
    })
}

/// `text` repeated until it is at least `bytes` long.
fn repeat_to(text: &str, bytes: usize) -> String {
    let mut out = String::with_capacity(bytes + text.len());
    while out.len() < bytes {
        out.push_str(text);
    }
    out
}

/// At least `bytes` of paragraphs of 3 to 6 sentences drawn from `source`
/// with a fixed xorshift seed: the same bytes on every machine.
fn shuffled_prose(source: &str, bytes: usize) -> String {
    let sentences: Vec<&str> = source
        .split_inclusive(". ")
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = |n: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % n as u64) as usize
    };
    let mut out = String::with_capacity(bytes + 4096);
    while out.len() < bytes {
        let count = 3 + next(4);
        for i in 0..count {
            if i > 0 {
                out.push(' ');
            }
            out.push_str(sentences[next(sentences.len())]);
        }
        out.push_str("\n\n");
    }
    out
}

/// Runs `bin args` under callgrind and returns the instructions it executed.
fn instructions(bin: &Path, args: &[String], out_file: &Path) -> Result<u64, String> {
    let output = Command::new("valgrind")
        .arg("--tool=callgrind")
        .arg(format!("--callgrind-out-file={}", out_file.display()))
        .arg(bin)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .map_err(|e| format!("running valgrind (apt-get install valgrind): {e}"))?;
    // `unspun check` exits 1 when it flags something; 2 is an error.
    if !matches!(output.status.code(), Some(0 | 1)) {
        return Err(format!(
            "{} {} failed under valgrind:\n{}",
            bin.display(),
            args.join(" "),
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let profile =
        std::fs::read_to_string(out_file).map_err(|e| format!("{}: {e}", out_file.display()))?;
    let _ = std::fs::remove_file(out_file);
    profile
        .lines()
        .find_map(|l| l.strip_prefix("summary: "))
        .and_then(|n| n.trim().parse().ok())
        .ok_or_else(|| format!("no instruction summary in {}", out_file.display()))
}

/// The percentage by which `now` exceeds `base` (negative when smaller).
fn change(base: u64, now: u64) -> f64 {
    if base == 0 {
        return if now == 0 { 0.0 } else { f64::INFINITY };
    }
    (now as f64 - base as f64) / base as f64 * 100.0
}

fn table(
    scenarios: &[Scenario],
    measured: &BTreeMap<String, u64>,
    baseline: Option<&BTreeMap<String, u64>>,
) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<10} {:>15} {:>15} {:>8}  {:<5}  scenario",
        "name", "baseline", "measured", "change", ""
    );
    for s in scenarios {
        let now = measured[s.name];
        let (base, delta, verdict) = match baseline.map(|b| b.get(s.name)) {
            None => ("-".to_string(), "-".to_string(), "new"),
            Some(None) => ("none".to_string(), "-".to_string(), "FAIL"),
            Some(Some(&base)) => {
                let c = change(base, now);
                let verdict = if c > MARGIN_PERCENT { "FAIL" } else { "ok" };
                (group(base), format!("{c:+.2}%"), verdict)
            }
        };
        let _ = writeln!(
            out,
            "{:<10} {:>15} {:>15} {:>8}  {:<5}  {}",
            s.name,
            base,
            group(now),
            delta,
            verdict,
            s.what
        );
    }
    out
}

/// `1234567` as `1,234,567`.
fn group(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn change_is_relative_to_the_baseline() {
        assert_eq!(change(100, 103), 3.0);
        assert!(change(100, 104) > MARGIN_PERCENT);
        assert!(
            change(100, 103) <= MARGIN_PERCENT,
            "the margin itself passes"
        );
        assert_eq!(change(200, 100), -50.0);
        assert_eq!(change(0, 0), 0.0);
        assert!(change(0, 1).is_infinite());
    }

    #[test]
    fn generated_inputs_are_fixed_and_sized() {
        let a = shuffled_prose("One. Two two. Three three three. ", 10_000);
        assert!(a.len() >= 10_000 && a.len() < 10_000 + 200);
        assert_eq!(
            a,
            shuffled_prose("One. Two two. Three three three. ", 10_000)
        );
        let r = repeat_to("abc\n", 10);
        assert_eq!(r, "abc\nabc\nabc\n");
    }

    #[test]
    fn counts_are_grouped_in_thousands() {
        assert_eq!(group(0), "0");
        assert_eq!(group(999), "999");
        assert_eq!(group(1000), "1,000");
        assert_eq!(group(1234567), "1,234,567");
    }

    #[test]
    fn bad_arguments_are_usage_errors() {
        assert_eq!(run(&["--bogus".to_string()]), 2);
        assert_eq!(run(&["--bin".to_string()]), 2);
        assert_eq!(run(&["--help".to_string()]), 0);
    }
}
