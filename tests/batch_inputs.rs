//! `unspun batch` end to end: every input kind, every bad-record kind, both
//! output formats, and the one-result-per-record rule. Fixtures are generated in
//! temporary directories.

use serde_json::Value;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use unspun::batch::{self, BatchOptions, Input, OutputFormat, OutputSink, Summary};
use unspun::Checker;

const SPUN: &str = "The travel comes arsenic Mexico has worked to negociate with the Trump medication. Counterfeit consciousness is big.";
const CLEAN: &str = "The minister will travel to Mexico on Friday to meet the president.";

fn checker() -> &'static Checker {
    static CHECKER: OnceLock<Checker> = OnceLock::new();
    CHECKER.get_or_init(Checker::new)
}

/// Runs a batch over `inputs` into a fresh file; returns the output text and summary.
fn run(inputs: &[Input], options: &BatchOptions, format: OutputFormat) -> (String, Summary) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let sink = OutputSink::create(&out, format, false).unwrap();
    let summary = batch::run(checker(), inputs, options, sink, &|_| {}).unwrap();
    (std::fs::read_to_string(&out).unwrap(), summary)
}

fn run_jsonl(inputs: &[Input], options: &BatchOptions) -> (Vec<Value>, Summary) {
    let (text, summary) = run(inputs, options, OutputFormat::Jsonl);
    let records = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    (records, summary)
}

fn path(p: &Path) -> Input {
    Input::Path(p.to_path_buf())
}

fn ids(records: &[Value]) -> Vec<&str> {
    records.iter().map(|r| r["id"].as_str().unwrap()).collect()
}

fn jsonl_archive(n: usize) -> String {
    (0..n)
        .map(|i| {
            let text = if i % 3 == 0 { SPUN } else { CLEAN };
            format!(
                "{}\n",
                serde_json::json!({"id": format!("doc-{i}"), "text": text})
            )
        })
        .collect()
}

fn write(dir: &Path, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
    let p = dir.join(name);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(&p, bytes).unwrap();
    p
}

#[test]
fn jsonl_yields_one_scored_record_per_line_in_input_order() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "a.jsonl", jsonl_archive(50));
    let (records, summary) = run_jsonl(&[path(&file)], &BatchOptions::default());
    let expected: Vec<String> = (0..50).map(|i| format!("doc-{i}")).collect();
    assert_eq!(ids(&records), expected);
    for (i, r) in records.iter().enumerate() {
        assert_eq!(r["error"], Value::Null);
        let verdict = r["verdict"].as_str().unwrap();
        if i % 3 == 0 {
            assert_ne!(verdict, "clean", "{r}");
            let arsenic = r["top"]
                .as_array()
                .unwrap()
                .iter()
                .find(|s| s["text"] == "arsenic");
            assert_eq!(arsenic.unwrap()["suggestions"][0], "as", "{r}");
        } else {
            assert_eq!(verdict, "clean", "{r}");
        }
    }
    assert_eq!(summary.documents, 50);
    assert_eq!(summary.verdicts.clean, 33);
    assert_eq!(summary.errors, 0);
    assert_eq!(summary.top_artifacts[0].count, 17);
}

#[test]
fn a_byte_order_mark_before_the_first_json_line_is_ignored() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "bom.jsonl",
        format!("\u{feff}{}", jsonl_archive(2)),
    );
    let (records, summary) = run_jsonl(&[path(&file)], &BatchOptions::default());
    assert_eq!(ids(&records), ["doc-0", "doc-1"]);
    assert_eq!(summary.errors, 0);
}

#[test]
fn gzip_and_zstd_archives_read_like_the_plain_file() {
    let dir = tempfile::tempdir().unwrap();
    let archive = jsonl_archive(20);
    let plain = write(dir.path(), "a.jsonl", &archive);
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(archive.as_bytes()).unwrap();
    let gz = write(dir.path(), "a.jsonl.gz", gz.finish().unwrap());
    let zst = write(
        dir.path(),
        "a.jsonl.zst",
        zstd::encode_all(archive.as_bytes(), 3).unwrap(),
    );
    // Compression is told by content, not name.
    let odd = write(dir.path(), "renamed.jsonl", std::fs::read(&zst).unwrap());
    let options = BatchOptions::default();
    // The same records, but for the input each names.
    let without_input = |text: String| -> Vec<Value> {
        text.lines()
            .map(|l| {
                let mut r: Value = serde_json::from_str(l).unwrap();
                r.as_object_mut().unwrap().remove("input");
                r
            })
            .collect()
    };
    let (expected, _) = run(&[path(&plain)], &options, OutputFormat::Jsonl);
    let expected = without_input(expected);
    for input in [gz, zst, odd] {
        let (got, summary) = run(&[path(&input)], &options, OutputFormat::Jsonl);
        assert_eq!(without_input(got), expected, "{}", input.display());
        assert_eq!(summary.input_bytes, archive.len() as u64);
    }
}

#[test]
fn output_is_the_same_whatever_the_number_of_jobs() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "a.jsonl", jsonl_archive(200));
    let one = BatchOptions {
        jobs: 1,
        ..Default::default()
    };
    // A tiny budget forces the reader to wait for the writer all the time.
    let three = BatchOptions {
        jobs: 3,
        memory_budget: 200_000,
        ..Default::default()
    };
    let (a, _) = run(&[path(&file)], &one, OutputFormat::Jsonl);
    let (b, summary) = run(&[path(&file)], &three, OutputFormat::Jsonl);
    assert_eq!(a, b);
    assert_eq!(summary.jobs, 3);
}

#[test]
fn csv_input_reads_named_columns_and_quoted_multiline_text() {
    let dir = tempfile::tempdir().unwrap();
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["slug", "year", "body"]).unwrap();
    w.write_record([
        "first",
        "2019",
        &format!("{SPUN}\n\nSecond paragraph, \"quoted\"."),
    ])
    .unwrap();
    w.write_record(["second", "2020", CLEAN]).unwrap();
    w.write_record(["", "2021", CLEAN]).unwrap();
    // Spreadsheets start their CSV exports with a byte-order mark.
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend(w.into_inner().unwrap());
    let file = write(dir.path(), "posts.csv", bytes);
    let options = BatchOptions {
        id_field: "slug".into(),
        text_field: "body".into(),
        ..Default::default()
    };
    let (records, summary) = run_jsonl(&[path(&file)], &options);
    // An empty id falls back to the line where the row starts.
    assert_eq!(ids(&records), ["first", "second", "line:6"]);
    assert_eq!(records[0]["top"][0]["line"], 1);
    assert_eq!(records[0]["verdict"], "spun");
    assert_eq!(summary.errors, 0);
}

#[test]
fn csv_input_without_the_text_column_is_an_input_error() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "posts.csv", "id,body\n1,hello\n");
    let (records, summary) = run_jsonl(&[path(&file)], &BatchOptions::default());
    assert!(records.is_empty());
    assert_eq!(summary.input_errors.len(), 1);
    assert!(
        summary.input_errors[0].contains("no `text` column (columns: id, body)"),
        "{:?}",
        summary.input_errors
    );
}

#[test]
fn directory_tree_yields_one_record_per_text_file_with_its_relative_path() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    write(&root, "2019/spun.txt", SPUN);
    write(&root, "2019/notes.md", format!("# Notes\n\n{CLEAN}"));
    write(&root, "2020/page.HTML", format!("<p>{SPUN}</p>"));
    write(&root, "2020/photo.png", [0x89, b'P', b'N', b'G']);
    write(&root, "2020/latin1.txt", b"caf\xe9 au lait");
    write(&root, "empty.txt", "");
    write(&root, "huge.txt", "word ".repeat(400));
    let options = BatchOptions {
        max_bytes: 1000,
        ..Default::default()
    };
    let (records, summary) = run_jsonl(&[path(&root)], &options);
    assert_eq!(
        ids(&records),
        [
            "2019/notes.md",
            "2019/spun.txt",
            "2020/latin1.txt",
            "2020/page.HTML",
            "empty.txt",
            "huge.txt"
        ]
    );
    let error = |i: usize| records[i]["error"].as_str().unwrap_or("").to_string();
    assert_eq!(records[1]["verdict"], "spun");
    assert_eq!(records[3]["verdict"], "spun");
    assert!(
        error(2).starts_with("invalid UTF-8: at byte 3"),
        "{}",
        error(2)
    );
    assert_eq!(error(4), "empty text");
    assert_eq!(
        error(5),
        "text of 2000 bytes is over the limit of 1000 bytes"
    );
    assert_eq!(summary.errors, 3);
}

const WXR: &str = r#"<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0"
	xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
	xmlns:content="http://purl.org/rss/1.0/modules/content/"
	xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
	<title>A news site</title>
	<link>https://news.example</link>
	<item>
		<title>Minister &amp; the talks</title>
		<link>https://news.example/?p=11</link>
		<content:encoded><![CDATA[<p>SPUN</p>]]></content:encoded>
		<excerpt:encoded><![CDATA[An excerpt that is not the text.]]></excerpt:encoded>
		<wp:post_id>11</wp:post_id>
		<wp:post_type><![CDATA[post]]></wp:post_type>
		<wp:postmeta><wp:meta_key>views</wp:meta_key><wp:meta_value>12</wp:meta_value></wp:postmeta>
	</item>
	<item>
		<title>A photo</title>
		<link>https://news.example/photo</link>
		<content:encoded><![CDATA[]]></content:encoded>
		<wp:post_id>12</wp:post_id>
		<wp:post_type><![CDATA[attachment]]></wp:post_type>
	</item>
	<item>
		<title>About us</title>
		<link>https://news.example/about</link>
		<content:encoded>CLEAN It&#8217;s &lt;fine&gt;.</content:encoded>
		<wp:post_id>13</wp:post_id>
		<wp:post_type>page</wp:post_type>
	</item>
	<item>
		<title>A draft without text</title>
		<wp:post_id>14</wp:post_id>
		<wp:post_type>post</wp:post_type>
	</item>
	<item>
		<title>Imported without id</title>
		<content:encoded><![CDATA[CLEAN]]></content:encoded>
	</item>
</channel>
</rss>
"#;

#[test]
fn wordpress_export_yields_one_record_per_post_or_page_with_title_and_link() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "export.xml",
        WXR.replace("SPUN", SPUN).replace("CLEAN", CLEAN),
    );
    let (records, summary) = run_jsonl(&[path(&file)], &BatchOptions::default());
    assert_eq!(ids(&records), ["11", "13", "14", "item:5"]);
    assert_eq!(records[0]["title"], "Minister & the talks");
    assert_eq!(records[0]["link"], "https://news.example/?p=11");
    assert_eq!(records[0]["verdict"], "spun");
    assert_eq!(records[1]["verdict"], "clean");
    assert_eq!(
        records[2]["error"],
        "the post has no <content:encoded> element"
    );
    assert_eq!(records[3]["error"], Value::Null);
    assert_eq!(summary.ignored_items, 1);
    // Entities are resolved in the text: the span offsets refer to it.
    let (fixed, _) = run_jsonl(
        &[path(&write(
            dir.path(),
            "one.xml",
            format!("<rss><channel><item><wp:post_id>1</wp:post_id><content:encoded>It&#8217;s &amp; {SPUN}</content:encoded></item></channel></rss>"),
        ))],
        &BatchOptions::default(),
    );
    let spans = fixed[0]["top"].as_array().unwrap();
    let arsenic = spans.iter().find(|s| s["text"] == "arsenic").unwrap();
    assert_eq!(
        arsenic["start"],
        "It\u{2019}s & The travel comes ".len(),
        "{arsenic}"
    );
}

/// Every kind of bad record gets exactly one output record saying why.
#[test]
fn every_bad_record_yields_one_record_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let mut archive: Vec<u8> = Vec::new();
    let mut line = |bytes: &[u8]| {
        archive.extend_from_slice(bytes);
        archive.push(b'\n');
    };
    line(br#"{"id":"ok","text":"A plain sentence."}"#);
    line(br#"{"id":"truncated","text":"A plain sen"#);
    line(b"");
    line(br#"{"id":"no-text"}"#);
    line(br#"{"id":"null-text","text":null}"#);
    line(br#"{"id":"number-text","text":12}"#);
    line(b"{\"id\":\"latin1\",\"text\":\"caf\xe9\"}");
    line(br#"{"id":"empty","text":" \n "}"#);
    line(format!(r#"{{"id":"big","text":"{}"}}"#, "a".repeat(300)).as_bytes());
    line(format!(r#"{{"id":"huge-line","text":"{}"}}"#, "a".repeat(2000)).as_bytes());
    line(b"[\"not\", \"an object\"]");
    line(br#"{"id":5,"text":"Numbers are ids too."}"#);
    let file = write(dir.path(), "bad.jsonl", &archive);
    let options = BatchOptions {
        max_bytes: 256,
        ..Default::default()
    };
    // Lines are held up to twice the limit plus 1 MiB: "huge-line" is still
    // parsed, so its record keeps its id.
    let (records, summary) = run_jsonl(&[path(&file)], &options);
    let got: Vec<(&str, &str)> = records
        .iter()
        .map(|r| {
            (
                r["id"].as_str().unwrap(),
                r["error"].as_str().unwrap_or("-"),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("ok", "-"),
            (
                "line:2",
                "malformed JSON: EOF while parsing a string at line 1 column 37"
            ),
            ("no-text", "missing field `text`"),
            ("null-text", "missing field `text`"),
            (
                "number-text",
                "field `text` is a number where a string was expected"
            ),
            ("latin1", "invalid UTF-8: at byte 26 of line 7"),
            ("empty", "empty text"),
            ("big", "text of 300 bytes is over the limit of 256 bytes"),
            (
                "huge-line",
                "text of 2000 bytes is over the limit of 256 bytes"
            ),
            ("line:11", "malformed JSON: expected an object, found array"),
            ("5", "-"),
        ]
    );
    for r in &records {
        if r["error"].is_string() {
            assert_eq!(r["score"], Value::Null);
            assert_eq!(r["verdict"], Value::Null);
            assert_eq!(r["top"], serde_json::json!([]));
        }
    }
    assert_eq!(summary.documents, 11);
    assert_eq!(summary.errors, 9);
    let kinds: Vec<(&str, u64)> = summary
        .errors_by_kind
        .iter()
        .map(|(k, n)| (k.as_str(), *n))
        .collect();
    assert_eq!(
        kinds,
        [
            ("empty-text", 1),
            ("invalid-utf8", 1),
            ("malformed-json", 2),
            ("missing-field", 3),
            ("too-large", 2)
        ]
    );
}

#[test]
fn a_line_too_long_to_hold_is_skipped_unread_with_its_line_number() {
    let dir = tempfile::tempdir().unwrap();
    let big = "x".repeat(3 << 20);
    let archive =
        format!("{{\"id\":\"a\",\"text\":\"{big}\"}}\n{{\"id\":\"b\",\"text\":\"Fine.\"}}\n");
    let file = write(dir.path(), "long.jsonl", archive);
    let options = BatchOptions {
        max_bytes: 1000,
        ..Default::default()
    };
    let (records, _) = run_jsonl(&[path(&file)], &options);
    assert_eq!(ids(&records), ["line:1", "b"]);
    assert_eq!(
        records[0]["error"],
        format!(
            "text of {} bytes is over the limit of 1000 bytes",
            big.len() + 20
        )
    );
}

#[test]
fn nested_fields_are_reached_with_dots() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "nested.jsonl",
        format!(
            "{}\n",
            serde_json::json!({"meta": {"id": "n-1"}, "body": {"text": SPUN}})
        ),
    );
    let options = BatchOptions {
        id_field: "meta.id".into(),
        text_field: "body.text".into(),
        ..Default::default()
    };
    let (records, _) = run_jsonl(&[path(&file)], &options);
    assert_eq!(records[0]["id"], "n-1");
    assert_eq!(records[0]["verdict"], "spun");
}

#[test]
fn spans_are_the_top_n_by_confidence_or_all_in_text_order() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "a.jsonl", jsonl_archive(1));
    let top2 = BatchOptions {
        top: 2,
        ..Default::default()
    };
    let (records, _) = run_jsonl(&[path(&file)], &top2);
    let total = records[0]["spans"].as_u64().unwrap() as usize;
    assert!(total > 2);
    let top = records[0]["top"].as_array().unwrap();
    assert_eq!(top.len(), 2);
    assert!(top[0]["confidence"].as_f64() >= top[1]["confidence"].as_f64());
    let all = BatchOptions {
        all_spans: true,
        top: 1,
        ..Default::default()
    };
    let (records, _) = run_jsonl(&[path(&file)], &all);
    let spans = records[0]["top"].as_array().unwrap();
    assert_eq!(spans.len(), total);
    let starts: Vec<u64> = spans.iter().map(|s| s["start"].as_u64().unwrap()).collect();
    assert!(starts.windows(2).all(|w| w[0] < w[1]), "{starts:?}");
}

#[test]
fn csv_output_has_a_header_and_one_line_per_record() {
    let dir = tempfile::tempdir().unwrap();
    let archive = format!(
        "{}\n{}\n{}\n",
        serde_json::json!({"id": "spun", "text": SPUN}),
        serde_json::json!({"id": "two\nlines", "text": CLEAN}),
        serde_json::json!({"id": "empty", "text": ""}),
    );
    let file = write(dir.path(), "a.jsonl", archive);
    let (text, _) = run(&[path(&file)], &BatchOptions::default(), OutputFormat::Csv);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 4, "{text}");
    assert_eq!(
        lines[0],
        "id,title,link,score,verdict,words,spans,top,error,input,record"
    );
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(&rows[0][0], "spun");
    assert_eq!(&rows[0][4], "spun");
    assert!(rows[0][7].contains("arsenic -> as | "), "{}", &rows[0][7]);
    assert_eq!(&rows[1][0], "two lines");
    assert_eq!(&rows[1][4], "clean");
    assert_eq!(&rows[2][8], "empty text");
    assert_eq!(&rows[2][3], "");
}

#[test]
fn several_inputs_prefix_positional_ids_with_the_input_name() {
    let dir = tempfile::tempdir().unwrap();
    let a = write(dir.path(), "a.jsonl", "oops\n");
    let b = write(
        dir.path(),
        "b.jsonl",
        format!("oops\n{}\n", serde_json::json!({"id": "x", "text": CLEAN})),
    );
    let (records, _) = run_jsonl(&[path(&a), path(&b)], &BatchOptions::default());
    let expected = [
        format!("{}:line:1", a.display()),
        format!("{}:line:1", b.display()),
        "x".to_string(),
    ];
    assert_eq!(ids(&records), expected);
}

#[test]
fn resume_cuts_a_torn_tail_and_finishes_with_each_record_once() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "a.jsonl", jsonl_archive(30));
    let options = BatchOptions::default();
    let (full, _) = run(&[path(&file)], &options, OutputFormat::Jsonl);
    for format in [OutputFormat::Jsonl, OutputFormat::Csv] {
        let (complete, _) = run(&[path(&file)], &options, format);
        let out = dir.path().join("partial");
        // Cut in the middle of the 11th record.
        let cut: usize = complete
            .lines()
            .take(10)
            .map(|l| l.len() + 1)
            .sum::<usize>()
            + 7;
        std::fs::write(&out, &complete[..cut]).unwrap();
        let sink = OutputSink::resume(&out, format).unwrap();
        let state = sink.resumed().clone();
        let expected_done = if format == OutputFormat::Csv { 9 } else { 10 };
        assert_eq!(state.complete, expected_done);
        assert_eq!(state.discarded_bytes, 7);
        let summary = batch::run(checker(), &[path(&file)], &options, sink, &|_| {}).unwrap();
        assert_eq!(summary.skipped, expected_done);
        assert_eq!(std::fs::read_to_string(&out).unwrap(), complete);
        if format == OutputFormat::Jsonl {
            assert_eq!(complete, full);
        }
    }
}

#[test]
fn resume_refuses_a_file_that_is_not_batch_output_and_create_refuses_to_clobber() {
    let dir = tempfile::tempdir().unwrap();
    let notes = write(dir.path(), "notes.txt", "my precious notes\nmore\n");
    let err = OutputSink::resume(&notes, OutputFormat::Jsonl)
        .err()
        .unwrap()
        .to_string();
    assert!(err.contains("not touching it"), "{err}");
    let err = OutputSink::resume(&notes, OutputFormat::Csv)
        .err()
        .unwrap()
        .to_string();
    assert!(err.contains("not touching it"), "{err}");
    let err = OutputSink::create(&notes, OutputFormat::Jsonl, false)
        .err()
        .unwrap()
        .to_string();
    assert!(err.contains("--resume"), "{err}");
    assert_eq!(
        std::fs::read_to_string(&notes).unwrap(),
        "my precious notes\nmore\n"
    );
}

fn unspun() -> Command {
    Command::new(env!("CARGO_BIN_EXE_unspun"))
}

#[test]
fn the_cli_reads_standard_input_and_writes_a_json_summary() {
    let dir = tempfile::tempdir().unwrap();
    let summary_file = dir.path().join("summary.json");
    let mut child = unspun()
        .args(["batch", "--progress", "always", "--jobs", "2", "--summary"])
        .arg(&summary_file)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(jsonl_archive(9).as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(1), "flagged documents exit 1");
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert_eq!(stdout.lines().count(), 9);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("clean 6, suspicious 0, spun 3, not scored 0"),
        "{stderr}"
    );
    let summary: Value =
        serde_json::from_str(&std::fs::read_to_string(&summary_file).unwrap()).unwrap();
    assert_eq!(summary["documents"], 9);
    assert_eq!(summary["verdicts"]["spun"], 3);
    assert_eq!(summary["jobs"], 2);
    assert_eq!(summary["worst_documents"][0]["id"], "doc-0");
    assert_eq!(summary["top_artifacts"][0]["documents"], 3);
}

#[test]
fn the_cli_exit_code_says_flagged_unless_exit_zero_and_two_for_unreadable_input() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "a.jsonl", jsonl_archive(3));
    let status = |args: &[&str]| {
        unspun()
            .arg("batch")
            .args(args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .unwrap()
            .code()
    };
    let f = file.to_str().unwrap();
    assert_eq!(status(&[f]), Some(1));
    assert_eq!(status(&[f, "--exit-zero"]), Some(0));
    assert_eq!(status(&["no/such/archive.jsonl"]), Some(2));
    assert_eq!(status(&[f, "--resume"]), Some(2), "--resume needs --output");
}

#[test]
fn markdown_and_html_files_of_a_tree_are_read_as_markup() {
    let dir = tempfile::tempdir().unwrap();
    let prose = "The travel comes arsenic Mexico has worked to negociate with the Trump medication to debar tariff threats.";
    let code = "arsenic connected conscionable debar negociate antecedently";
    write(
        dir.path(),
        "page.html",
        format!("<p>{prose}</p><script>var s = '{code}';</script>"),
    );
    write(
        dir.path(),
        "notes.md",
        format!("{prose}\n\n```\n{code}\n```\n"),
    );
    write(dir.path(), "plain.txt", prose);
    let (records, _) = run_jsonl(&[path(dir.path())], &BatchOptions::default());
    let spans = |id: &str| {
        records
            .iter()
            .find(|r| r["id"] == id)
            .unwrap_or_else(|| panic!("{id}: {records:?}"))["spans"]
            .as_u64()
            .unwrap()
    };
    let in_prose = spans("plain.txt");
    assert!(in_prose > 0);
    // The script and the code block are never checked.
    assert_eq!(spans("page.html"), in_prose);
    assert_eq!(spans("notes.md"), in_prose);
}
