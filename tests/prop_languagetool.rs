//! Property tests of the LanguageTool face's input parsing
//! (`unspun::server::languagetool`): form bodies decode to the pairs that were
//! encoded, any bytes get an answer rather than a panic, and annotated text
//! (`data={"annotation": [...]}`) maps every checked byte back into the whole
//! text on character boundaries.

#![cfg(feature = "server")]

mod common;

use proptest::prelude::*;
use serde_json::{json, Value};
use unspun::server::languagetool::{parse_form, Annotated};

fn config() -> ProptestConfig {
    ProptestConfig::with_cases(common::proptest_cases())
}

/// `application/x-www-form-urlencoded`, the way browsers write it: letters,
/// digits and `*-._` as they are, space as `+`, every other byte as `%XX`.
fn form_encode(s: &str, hex_case_upper: bool) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'*' | b'-' | b'.' | b'_' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            _ if hex_case_upper => out.push_str(&format!("%{b:02X}")),
            _ => out.push_str(&format!("%{b:02x}")),
        }
    }
    out
}

#[derive(Debug, Clone)]
enum Item {
    Text(String),
    Markup(String, Option<String>),
}

fn item() -> impl Strategy<Value = Item> {
    let text = prop_oneof![
        any::<String>(),
        "[a-z .,\n]{0,30}",
        Just("counterfeit consciousness".to_string())
    ];
    prop_oneof![
        text.clone().prop_map(Item::Text),
        (
            prop_oneof!["<[a-z]{1,5}>", "</[a-z]{1,5}>", any::<String>()],
            prop::option::of(prop_oneof![
                Just("\n\n".to_string()),
                Just(" ".to_string()),
                text
            ])
        )
            .prop_map(|(m, i)| Item::Markup(m, i)),
    ]
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn form_bodies_decode_to_the_pairs_that_were_encoded(
        pairs in prop::collection::vec((any::<String>(), any::<String>()), 0..8),
        upper in any::<bool>(),
    ) {
        let body = pairs
            .iter()
            .map(|(k, v)| format!("{}={}", form_encode(k, upper), form_encode(v, upper)))
            .collect::<Vec<_>>()
            .join("&");
        let decoded = parse_form(body.as_bytes()).unwrap();
        prop_assert_eq!(decoded, pairs);
    }

    #[test]
    fn any_bytes_decode_or_are_refused_without_panicking(body in prop::collection::vec(any::<u8>(), 0..200)) {
        if let Ok(pairs) = parse_form(&body) {
            // Decoding never makes a pair out of nothing.
            let nonempty = body.split(|&b| b == b'&').filter(|p| !p.is_empty()).count();
            prop_assert_eq!(pairs.len(), nonempty);
        }
    }

    #[test]
    fn annotated_text_maps_each_checked_byte_into_the_whole_text(items in prop::collection::vec(item(), 0..12)) {
        let annotation: Vec<Value> = items
            .iter()
            .map(|i| match i {
                Item::Text(t) => json!({"text": t}),
                Item::Markup(m, None) => json!({"markup": m}),
                Item::Markup(m, Some(a)) => json!({"markup": m, "interpretAs": a}),
            })
            .collect();
        let data = json!({"annotation": annotation}).to_string();
        let annotated = Annotated::from_data(&data).unwrap();

        let mut full = String::new();
        let mut projected = String::new();
        // Projected ranges that come from text items, and where they are in full.
        let mut texts = Vec::new();
        for i in &items {
            match i {
                Item::Text(t) => {
                    texts.push((projected.len(), full.len(), t.len()));
                    full.push_str(t);
                    projected.push_str(t);
                }
                Item::Markup(m, a) => {
                    full.push_str(m);
                    projected.push_str(a.as_deref().unwrap_or(""));
                }
            }
        }
        prop_assert_eq!(&annotated.full, &full);
        prop_assert_eq!(&annotated.projected, &projected);

        let boundaries: Vec<usize> = projected
            .char_indices()
            .map(|(i, _)| i)
            .chain(std::iter::once(projected.len()))
            .collect();
        for (k, &start) in boundaries.iter().enumerate() {
            for &end in boundaries[k..].iter().take(6) {
                let (a, b) = annotated.to_full(start, end);
                prop_assert!(a <= b && b <= full.len(), "{start}..{end} -> {a}..{b}");
                prop_assert!(full.is_char_boundary(a) && full.is_char_boundary(b));
            }
        }
        for (p, f, len) in texts {
            if len > 0 {
                prop_assert_eq!(annotated.to_full(p, p + len), (f, f + len));
            }
        }
    }

    #[test]
    fn malformed_data_is_a_clear_error_not_a_panic(data in prop_oneof![
        any::<String>(),
        Just("{\"annotation\": [{\"text\": 1}]}".to_string()),
        Just("{\"annotation\": [{}]}".to_string()),
        Just("{\"annotation\": {}}".to_string()),
        Just("{\"text\": null}".to_string()),
        Just("[]".to_string()),
    ]) {
        if let Ok(annotated) = Annotated::from_data(&data) {
            // Everything checked or reported comes from the strings of `data`.
            prop_assert!(annotated.full.len() <= data.len());
            prop_assert!(annotated.projected.len() <= data.len());
        }
    }
}
