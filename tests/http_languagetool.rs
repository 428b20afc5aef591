//! The LanguageTool API v2 (`/v2/...`) as editor plugins use it: every field
//! strict clients require, UTF-16 offsets, annotated `data` with markup, form
//! bodies under any Content-Type, query over body, and plain-text 400s.

#![cfg(feature = "server")]

mod http_common;

use axum::http::{Method, StatusCode};
use http_common::{app, call, get, request};
use serde_json::Value;

const SPUN: &str = "😀😀 The travel comes arsenic Mexico has worked to negociate with the Trump medication to debar tariff threats.";

fn form(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            b' ' => "+".into(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

async fn check(content_type: Option<&str>, path: &str, body: String) -> (StatusCode, String) {
    let reply = call(&app(), request(Method::POST, path, content_type, body)).await;
    (reply.status, reply.text().to_string())
}

async fn matches(path: &str, pairs: &[(&str, &str)]) -> Value {
    let (status, body) = check(Some("application/x-www-form-urlencoded"), path, form(pairs)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    serde_json::from_str(&body).unwrap()
}

/// The UTF-16 slice `offset..offset+length` of `text`.
fn utf16_slice(text: &str, offset: u64, length: u64) -> String {
    let units: Vec<u16> = text.encode_utf16().collect();
    String::from_utf16(&units[offset as usize..(offset + length) as usize]).unwrap()
}

fn find<'a>(response: &'a Value, text: &str, word: &str) -> &'a Value {
    response["matches"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| {
            utf16_slice(
                text,
                m["offset"].as_u64().unwrap(),
                m["length"].as_u64().unwrap(),
            ) == word
        })
        .unwrap_or_else(|| panic!("{word} not matched: {response}"))
}

#[tokio::test]
async fn every_field_strict_clients_require_is_present_and_typed() {
    let r = matches("/v2/check", &[("text", SPUN), ("language", "en-US")]).await;
    for key in ["name", "version", "buildDate", "status"] {
        assert!(r["software"][key].is_string(), "software.{key}");
    }
    assert_eq!(r["software"]["apiVersion"], 1);
    assert_eq!(r["software"]["premium"], false);
    assert_eq!(r["warnings"]["incompleteResults"], false);
    assert_eq!(r["language"]["code"], "en-US");
    assert!(r["language"]["detectedLanguage"]["name"].is_string());
    assert!(r["language"]["detectedLanguage"]["confidence"].is_number());
    let m = find(&r, SPUN, "arsenic");
    for key in ["message", "shortMessage", "sentence"] {
        assert!(m[key].is_string(), "{key}");
    }
    assert_eq!(m["replacements"][0]["value"], "as");
    assert_eq!(m["type"]["typeName"], "Other");
    assert_eq!(m["rule"]["id"], "UNSPUN_SPUN_WORD");
    assert_eq!(m["rule"]["category"]["id"], "UNSPUN_SPUN_WORDS");
    assert!(m["rule"]["description"].is_string() && m["rule"]["issueType"].is_string());
    assert!(m["rule"]["category"]["name"].is_string());
    assert_eq!(m["ignoreForIncompleteSentence"], false);
    assert!(m["contextForSureMatch"].is_i64());
    let context = m["context"]["text"].as_str().unwrap();
    let (offset, length) = (
        m["context"]["offset"].as_u64().unwrap(),
        m["context"]["length"].as_u64().unwrap(),
    );
    assert_eq!(utf16_slice(context, offset, length), "arsenic");
}

#[tokio::test]
async fn offsets_after_astral_characters_count_utf16_units() {
    let r = matches("/v2/check", &[("text", SPUN), ("language", "en")]).await;
    let m = find(&r, SPUN, "arsenic");
    // Two emoji are two UTF-16 units each: 4 + " The travel comes " (18).
    assert_eq!(m["offset"], 22);
    assert_eq!(m["length"], 7);
}

#[tokio::test]
async fn annotated_markup_is_never_checked_and_offsets_point_into_the_full_text() {
    let data = serde_json::json!({"annotation": [
        {"markup": "<p class=\"arsenic connected\">", "unknown": true},
        {"text": "😀 The travel comes arsenic Mexico has worked to "},
        {"markup": "<b>"},
        {"text": "negociate"},
        {"markup": "</b>"},
        {"text": " with the Trump medication to debar tariff threats."},
        {"markup": "<br>", "interpretAs": "\n"},
        {"text": "Noem will travel to Mexico connected Friday to conscionable with Sheinbaum."},
        {"markup": "</p>"}
    ]});
    let full: String = data["annotation"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i.get("text").or(i.get("markup")).unwrap().as_str().unwrap())
        .collect();
    let r = matches(
        "/v2/check",
        &[("data", &data.to_string()), ("language", "en-US")],
    )
    .await;
    let markup_end = utf16_slice(&full, 0, 29);
    assert_eq!(markup_end, "<p class=\"arsenic connected\">");
    for m in r["matches"].as_array().unwrap() {
        assert!(
            m["offset"].as_u64().unwrap() >= 29,
            "match inside markup: {m}"
        );
    }
    find(&r, &full, "arsenic");
    find(&r, &full, "negociate");
    find(&r, &full, "connected");
}

#[tokio::test]
async fn a_form_body_is_read_whatever_the_content_type_says() {
    for content_type in [Some("application/json"), Some("text/plain"), None] {
        let (status, body) = check(
            content_type,
            "/v2/check",
            form(&[("text", SPUN), ("language", "en-US")]),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{content_type:?}: {body}");
        let r: Value = serde_json::from_str(&body).unwrap();
        find(&r, SPUN, "arsenic");
    }
}

#[tokio::test]
async fn query_parameters_override_body_parameters() {
    let (status, body) = check(
        None,
        "/v2/check?language=en-GB",
        form(&[("text", SPUN), ("language", "xx")]),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let r: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(r["language"]["code"], "en-GB");
    let reply = call(
        &app(),
        get(&format!("/v2/check?language=auto&text={}", encode(SPUN))),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK);
    find(&reply.json(), SPUN, "arsenic");
}

#[tokio::test]
async fn bad_language_level_or_missing_text_give_plain_text_400() {
    for pairs in [
        vec![("text", SPUN), ("language", "de-DE")],
        vec![("text", SPUN), ("language", "en-US"), ("level", "strict")],
        vec![("language", "en-US")],
        vec![("text", SPUN)],
        vec![("data", "{not json"), ("language", "en-US")],
    ] {
        let reply = call(
            &app(),
            request(Method::POST, "/v2/check", None, form(&pairs)),
        )
        .await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{pairs:?}");
        assert!(reply.content_type().starts_with("text/plain"));
        assert!(reply.text().starts_with("Error: "), "{}", reply.text());
    }
}

#[tokio::test]
async fn disabled_categories_and_rules_turn_a_family_or_an_artifact_off() {
    let all = matches("/v2/check", &[("text", SPUN), ("language", "en-US")]).await;
    assert!(!all["matches"].as_array().unwrap().is_empty());
    for (name, value) in [
        ("disabledCategories", "UNSPUN_SPUN_WORDS"),
        ("disabledRules", "UNSPUN_SPUN_WORD"),
    ] {
        let r = matches(
            "/v2/check",
            &[("text", SPUN), ("language", "en-US"), (name, value)],
        )
        .await;
        assert!(
            r["matches"]
                .as_array()
                .unwrap()
                .iter()
                .all(|m| m["rule"]["id"] != "UNSPUN_SPUN_WORD"),
            "{name}: {r}"
        );
    }
    let r = matches(
        "/v2/check",
        &[
            ("text", SPUN),
            ("language", "en-US"),
            ("disabledRules", "spun-word/spun-words/arsenic"),
        ],
    )
    .await;
    assert!(!r.to_string().contains("\"spun-word/spun-words/arsenic\""));
}

#[tokio::test]
async fn languages_healthcheck_and_info_answer_like_languagetool() {
    let reply = call(&app(), get("/v2/languages")).await;
    let languages = reply.json();
    assert!(languages
        .as_array()
        .unwrap()
        .iter()
        .any(|l| l["longCode"] == "en-US" && l["code"] == "en" && l["name"].is_string()));
    let reply = call(&app(), get("/v2/healthcheck")).await;
    assert_eq!(
        (reply.status, reply.text()),
        (StatusCode::OK, "OK".to_string())
    );
    let reply = call(&app(), get("/v2/info")).await;
    assert_eq!(reply.json()["software"]["name"], "unspun");
}

#[tokio::test]
async fn answers_match_the_openapi_document() {
    use http_common::assert_documented;
    let ok = call(
        &app(),
        request(
            Method::POST,
            "/v2/check",
            Some("application/x-www-form-urlencoded"),
            form(&[("text", SPUN), ("language", "en-US")]),
        ),
    )
    .await;
    assert_documented("POST", "/v2/check", &ok);
    let bad = call(
        &app(),
        request(Method::POST, "/v2/check", None, form(&[("language", "fr")])),
    )
    .await;
    assert_documented("POST", "/v2/check", &bad);
    for path in ["/v2/languages", "/v2/info", "/v2/healthcheck"] {
        assert_documented("GET", path, &call(&app(), get(path)).await);
    }
}

#[tokio::test]
async fn errors_never_echo_markup_and_every_answer_says_nosniff() {
    let reply = call(
        &app(),
        request(
            Method::POST,
            "/v2/check",
            None,
            form(&[("text", SPUN), ("language", "<script>alert(1)</script>")]),
        ),
    )
    .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert!(!reply.text().contains('<'), "{}", reply.text());
    assert_eq!(reply.headers["x-content-type-options"], "nosniff");
    // A short plain code is still named, so the client sees its mistake.
    let reply = call(
        &app(),
        request(
            Method::POST,
            "/v2/check",
            None,
            form(&[("text", SPUN), ("language", "de-DE")]),
        ),
    )
    .await;
    assert!(reply.text().contains("'de-DE'"), "{}", reply.text());
    for path in ["/v2/languages", "/healthz", "/nowhere"] {
        let reply = call(&app(), get(path)).await;
        assert_eq!(reply.headers["x-content-type-options"], "nosniff", "{path}");
    }
}

/// Bytes of JSON a match may take besides its message: context and sentence
/// are cut (40 and 100 characters each side), the rest is fixed.
const MATCH_BYTES: usize = 1_500;

#[tokio::test]
async fn without_sentence_punctuation_the_response_stays_linear_in_the_text() {
    // 50 KB of spun prose with no sentence punctuation is one sentence: copying
    // it into each of its matches made the answer matches x 50 KB (over 100 MB).
    let unpunctuated = SPUN.replace(['.', '😀'], "");
    let text = format!("{unpunctuated} ").repeat(50_000 / unpunctuated.len());
    let body = form(&[("text", &text), ("language", "en-US")]);
    let reply = call(
        &app(),
        request(Method::POST, "/v2/check", None, body.clone()),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK);
    let response = reply.json();
    let matches = response["matches"].as_array().unwrap();
    assert!(matches.len() > 500, "{} matches", matches.len());
    for m in matches {
        let sentence = m["sentence"].as_str().unwrap();
        let length = m["length"].as_u64().unwrap() as usize;
        assert!(
            sentence.chars().count() <= 2 * 100 + length,
            "a sentence of {} characters",
            sentence.chars().count()
        );
        let message = m["message"].as_str().unwrap().len();
        let size = serde_json::to_vec(m).unwrap().len();
        assert!(size <= MATCH_BYTES + 2 * message, "a match of {size} bytes");
    }
    let bound = matches.len() * MATCH_BYTES * 2 + 64 * 1024;
    assert!(
        reply.body.len() <= bound,
        "{} bytes answered for {} bytes asked",
        reply.body.len(),
        body.len()
    );
}
