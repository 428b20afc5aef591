//! Property tests of the batch readers (`unspun::batch::source`): generated
//! JSON Lines, CSV and WordPress exports read back to one document per record
//! with the ids and texts that were written, blank lines are counted, and any
//! bytes in any format give records or an input error, never a panic.

mod common;

use proptest::prelude::*;
use serde_json::json;
use std::path::Path;
use unspun::batch::record::{Document, RecordError};
use unspun::batch::source::{self, InputReport, ReadCounters};
use unspun::batch::{BatchOptions, Input, InputFormat};

fn config() -> ProptestConfig {
    ProptestConfig::with_cases(common::proptest_cases())
}

/// Reads `bytes` as `format` from a file, decoding every record.
fn read_all(
    bytes: &[u8],
    format: InputFormat,
    options: &BatchOptions,
) -> (Result<InputReport, String>, Vec<Document>) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("input");
    std::fs::write(&path, bytes).unwrap();
    read_path(&path, format, options)
}

fn read_path(
    path: &Path,
    format: InputFormat,
    options: &BatchOptions,
) -> (Result<InputReport, String>, Vec<Document>) {
    let counters = ReadCounters::default();
    let mut documents = Vec::new();
    let input = Input::Path(path.to_path_buf());
    let result = source::read(&input, format, options, None, &counters, &mut |raw| {
        documents.push(source::decode(raw, options, None));
        true
    });
    (result, documents)
}

#[derive(Debug, Clone)]
enum Line {
    Record { id: Option<IdKind>, text: String },
    Malformed(String),
    Blank(String),
}

#[derive(Debug, Clone)]
enum IdKind {
    Text(String),
    Number(u32),
}

/// Texts with the characters JSON and CSV must escape.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z ]{1,40}[a-z]",
        any::<String>().prop_filter("not blank", |s| !s.trim().is_empty()),
        Just("quote \" comma , newline \n tab \t backslash \\ done".to_string()),
    ]
}

fn line() -> impl Strategy<Value = Line> {
    prop_oneof![
        6 => (
            prop::option::of(prop_oneof![
                "[a-z0-9:-]{1,12}".prop_map(IdKind::Text),
                any::<u32>().prop_map(IdKind::Number),
            ]),
            text(),
        )
            .prop_map(|(id, text)| Line::Record { id, text }),
        1 => prop::sample::select(vec!["{\"id\": broken", "[1, 2]", "nope", "{\"text\": 5}"])
            .prop_map(|s| Line::Malformed(s.to_string())),
        1 => prop::sample::select(vec!["", " ", "\t", "  \t "]).prop_map(|s| Line::Blank(s.to_string())),
    ]
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn json_lines_read_back_one_document_per_record_with_its_id_and_text(
        lines in prop::collection::vec(line(), 0..40),
        crlf in any::<bool>(),
    ) {
        let end = if crlf { "\r\n" } else { "\n" };
        let mut file = String::new();
        for l in &lines {
            match l {
                Line::Record { id, text } => {
                    let mut object = json!({"text": text});
                    match id {
                        Some(IdKind::Text(s)) => object["id"] = json!(s),
                        Some(IdKind::Number(n)) => object["id"] = json!(n),
                        None => {}
                    }
                    file.push_str(&object.to_string());
                }
                Line::Malformed(s) | Line::Blank(s) => file.push_str(s),
            }
            file.push_str(end);
        }
        let (result, documents) = read_all(file.as_bytes(), InputFormat::Jsonl, &BatchOptions::default());
        let report = result.unwrap();
        let blank = lines.iter().filter(|l| matches!(l, Line::Blank(_))).count();
        prop_assert_eq!(report.blank_lines as usize, blank);
        prop_assert_eq!(documents.len(), lines.len() - blank);
        let mut documents = documents.into_iter();
        for (n, l) in lines.iter().enumerate() {
            let positional = format!("line:{}", n + 1);
            match l {
                Line::Blank(_) => continue,
                Line::Record { id, text } => {
                    let d = documents.next().unwrap();
                    let expected = match id {
                        Some(IdKind::Text(s)) => s.clone(),
                        Some(IdKind::Number(n)) => n.to_string(),
                        None => positional,
                    };
                    prop_assert_eq!(&d.id, &expected);
                    prop_assert_eq!(d.text, Ok(text.clone()));
                }
                Line::Malformed(_) => {
                    let d = documents.next().unwrap();
                    prop_assert_eq!(&d.id, &positional);
                    prop_assert!(d.text.is_err());
                }
            }
        }
    }

    #[test]
    fn csv_rows_read_back_with_their_id_and_text(
        rows in prop::collection::vec(("[a-z0-9]{1,8}", text()), 0..30),
    ) {
        let mut writer = csv::Writer::from_writer(Vec::new());
        writer.write_record(["id", "text", "extra"]).unwrap();
        for (id, text) in &rows {
            writer.write_record([id.as_str(), text.as_str(), "x"]).unwrap();
        }
        let bytes = writer.into_inner().unwrap();
        let (result, documents) = read_all(&bytes, InputFormat::Csv, &BatchOptions::default());
        result.unwrap();
        prop_assert_eq!(documents.len(), rows.len());
        for (d, (id, text)) in documents.iter().zip(&rows) {
            prop_assert_eq!(&d.id, id);
            prop_assert_eq!(&d.text, &Ok(text.clone()));
        }
    }

    #[test]
    fn wordpress_posts_and_pages_are_records_and_other_items_are_counted(
        items in prop::collection::vec(
            (1u32..100_000, "[a-zA-Z ]{1,20}", text(), prop::sample::select(vec!["post", "page", "attachment", "nav_menu_item"])),
            0..15,
        ),
    ) {
        let mut xml = String::from("<?xml version=\"1.0\"?>\n<rss><channel><title>Site</title>\n");
        for (id, title, content, kind) in &items {
            let content = content.replace("]]>", "]]]]><![CDATA[>");
            xml.push_str(&format!(
                "<item><title>{}</title><wp:post_id>{id}</wp:post_id><wp:post_type>{kind}</wp:post_type>\
                 <content:encoded><![CDATA[{content}]]></content:encoded></item>\n",
                html_escape::encode_text(title)
            ));
        }
        xml.push_str("</channel></rss>\n");
        let (result, documents) = read_all(xml.as_bytes(), InputFormat::Wxr, &BatchOptions::default());
        let report = result.unwrap();
        let kept: Vec<_> = items.iter().filter(|i| i.3 == "post" || i.3 == "page").collect();
        prop_assert_eq!(report.ignored_items as usize, items.len() - kept.len());
        prop_assert_eq!(documents.len(), kept.len());
        for (d, (id, title, content, _)) in documents.iter().zip(kept) {
            prop_assert_eq!(&d.id, &id.to_string());
            prop_assert_eq!(d.title.as_deref(), Some(title.trim()).filter(|t| !t.is_empty()));
            prop_assert_eq!(&d.text, &Ok(content.clone()));
        }
    }

    #[test]
    fn any_bytes_in_any_format_give_records_or_an_input_error(
        bytes in prop_oneof![
            prop::collection::vec(any::<u8>(), 0..400),
            "[{}\\[\\]\",:a-z0-9 \n<>/!-]{0,300}".prop_map(String::into_bytes),
        ],
        max_bytes in prop_oneof![Just(unspun::batch::DEFAULT_MAX_BYTES), 1usize..64],
    ) {
        let options = BatchOptions { max_bytes, ..BatchOptions::default() };
        for format in [InputFormat::Jsonl, InputFormat::Csv, InputFormat::Wxr] {
            let (_, documents) = read_all(&bytes, format, &options);
            for d in documents {
                prop_assert!(!d.id.is_empty());
                match &d.text {
                    Ok(text) => {
                        prop_assert!(text.len() <= max_bytes);
                        prop_assert!(!text.trim().is_empty());
                    }
                    Err(RecordError::TooLarge { limit, .. }) => prop_assert_eq!(*limit, max_bytes),
                    Err(_) => {}
                }
            }
        }
    }

    #[test]
    fn a_text_at_the_byte_limit_is_read_and_one_byte_more_is_refused(limit in 1usize..300) {
        let options = BatchOptions { max_bytes: limit, ..BatchOptions::default() };
        let at = "a".repeat(limit);
        let over = "b".repeat(limit + 1);
        let file = format!(
            "{}\n{}\n",
            json!({"id": "at", "text": at}),
            json!({"id": "over", "text": over})
        );
        let (result, documents) = read_all(file.as_bytes(), InputFormat::Jsonl, &options);
        result.unwrap();
        prop_assert_eq!(&documents[0].text, &Ok(at));
        prop_assert_eq!(
            &documents[1].text,
            &Err(RecordError::TooLarge { bytes: limit as u64 + 1, limit })
        );
    }
}
