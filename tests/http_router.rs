//! The HTTP API called in-process (the router as a tower service): what each
//! endpoint answers, offsets in every unit, and every error as problem details.

#![cfg(feature = "server")]

mod http_common;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use bytes::Bytes;
use http_common::{app, app_with, call, config, get, post_json, request};
use serde_json::{json, Value};
use std::convert::Infallible;
use unspun::server::budget::Lane;
use unspun::server::problem::PROBLEM_TYPES;
use unspun::server::ServeConfig;

/// Spun text the checker flags whatever its tuning: "arsenic" for "as" and
/// "connected" for "on" (the library's own examples).
const SPUN: &str = "The travel comes arsenic Mexico has worked to negociate with the Trump medication. Noem will travel to Mexico connected Friday to conscionable with Sheinbaum.";

fn span_texts(report: &Value) -> Vec<&str> {
    report["spans"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["text"].as_str().unwrap())
        .collect()
}

fn span<'a>(report: &'a Value, text: &str) -> &'a Value {
    report["spans"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["text"] == text)
        .unwrap_or_else(|| panic!("no span {text} in {report}"))
}

#[tokio::test]
async fn check_returns_spans_with_suggestions_and_the_fixed_text() {
    let reply = call(&app(), post_json("/v1/check", &json!({ "text": SPUN }))).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.content_type(), "application/json");
    let report = reply.json();
    assert_eq!(report["offset_unit"], "utf8");
    assert_eq!(span(&report, "arsenic")["suggestions"][0], "as");
    assert_eq!(span(&report, "connected")["suggestions"][0], "on");
    assert_eq!(span(&report, "connected")["kind"], "spun-word");
    let fixed = report["fixed"].as_str().unwrap();
    assert!(fixed.starts_with("The travel comes as Mexico"), "{fixed}");
    assert!(fixed.contains("Mexico on Friday"), "{fixed}");
    assert!(report.get("diff").is_none(), "diff is left out by default");
    assert_eq!(report["words"], 24);
    assert!(["suspicious", "spun"].contains(&report["verdict"].as_str().unwrap()));
}

#[tokio::test]
async fn include_options_add_the_diff_and_drop_the_fixed_text() {
    let body = json!({ "text": SPUN, "include_fixed": false, "include_diff": true });
    let report = call(&app(), post_json("/v1/check", &body)).await.json();
    assert!(report.get("fixed").is_none());
    let diff = report["diff"].as_str().unwrap();
    assert!(
        diff.contains("-The travel comes arsenic") && diff.contains("+The travel comes as"),
        "{diff}"
    );
}

#[tokio::test]
async fn allow_and_min_confidence_filter_spans() {
    let body = json!({ "text": SPUN, "allow": ["Arsenic"] });
    let report = call(&app(), post_json("/v1/check", &body)).await.json();
    assert!(!span_texts(&report).contains(&"arsenic"), "{report}");
    assert!(span_texts(&report).contains(&"connected"), "{report}");

    let body = json!({ "text": SPUN, "min_confidence": 0.99 });
    let report = call(&app(), post_json("/v1/check", &body)).await.json();
    for span in report["spans"].as_array().unwrap() {
        assert!(span["confidence"].as_f64().unwrap() >= 0.99, "{span}");
    }
}

#[tokio::test]
async fn dictionaries_option_limits_the_dictionaries_used() {
    let body = json!({ "text": SPUN, "dictionaries": [] });
    let report = call(&app(), post_json("/v1/check", &body)).await.json();
    assert_eq!(report["spans"], json!([]), "no dictionary, no span");
}

/// Slices `text` from `start` to `end` counted in `unit`.
fn slice(text: &str, unit: &str, start: usize, end: usize) -> String {
    match unit {
        "utf8" => {
            String::from_utf8(text.as_bytes()[start..end].to_vec()).expect("a UTF-8 boundary")
        }
        "char" => text.chars().skip(start).take(end - start).collect(),
        "utf16" => {
            let units: Vec<u16> = text.encode_utf16().collect();
            String::from_utf16(&units[start..end]).expect("a UTF-16 boundary")
        }
        _ => unreachable!(),
    }
}

#[tokio::test]
async fn offsets_slice_to_the_span_text_in_every_unit() {
    let text = "👩‍👩‍👧 Café au lait, 東京の記者: The travel comes arsenic Mexico 🇲🇽 has worked to negociate with the Trump medication.\n\
                Ünïcödé 😀 line: Noem will travel to Mexico connected Friday to conscionable with Sheinbaum. ½ 𝄞";
    let mut starts = Vec::new();
    for unit in ["utf8", "char", "utf16"] {
        let body = json!({ "text": text, "offset_unit": unit });
        let report = call(&app(), post_json("/v1/check", &body)).await.json();
        assert_eq!(report["offset_unit"], unit);
        let spans = report["spans"].as_array().unwrap();
        assert!(
            span_texts(&report).contains(&"arsenic") && span_texts(&report).contains(&"connected")
        );
        for span in spans {
            let (start, end) = (
                span["start"].as_u64().unwrap() as usize,
                span["end"].as_u64().unwrap() as usize,
            );
            assert_eq!(
                slice(text, unit, start, end),
                span["text"],
                "{unit}: {span}"
            );
            // The column counts in the same unit from the start of the line.
            let line = span["line"].as_u64().unwrap() as usize;
            let line_start: usize = text
                .split_inclusive('\n')
                .take(line - 1)
                .map(|l| unit_len(l, unit))
                .sum();
            assert_eq!(
                span["column"].as_u64().unwrap() as usize,
                start - line_start + 1,
                "{unit}: {span}"
            );
        }
        starts.push(span(&report, "connected")["start"].clone());
    }
    // The three units really differ on this text, so each conversion was exercised.
    assert_ne!(starts[0], starts[1]);
    assert_ne!(starts[1], starts[2]);
}

fn unit_len(s: &str, unit: &str) -> usize {
    match unit {
        "utf8" => s.len(),
        "char" => s.chars().count(),
        _ => s.encode_utf16().count(),
    }
}

// ---- errors -------------------------------------------------------------

#[tokio::test]
async fn malformed_json_is_a_400_problem() {
    for body in [
        "{\"text\": ",
        "",
        "{\"text\": \"a\"} trailing",
        "{'text': 'a'}",
    ] {
        let reply = call(
            &app(),
            request(Method::POST, "/v1/check", Some("application/json"), body),
        )
        .await;
        reply.assert_problem(400, "malformed-json");
    }
}

#[tokio::test]
async fn missing_text_and_wrong_types_are_invalid_requests() {
    let cases = [
        (json!({}), "missing field `text`"),
        (
            json!({ "text": 5 }),
            "text: invalid type: integer `5`, expected a string",
        ),
        (
            json!(["a"]),
            "invalid type: sequence, expected a JSON object",
        ),
        (json!({ "text": null }), "text: invalid type: null"),
    ];
    for (body, detail) in cases {
        let problem = call(&app(), post_json("/v1/check", &body))
            .await
            .assert_problem(400, "invalid-request");
        assert!(
            problem["detail"].as_str().unwrap().starts_with(detail),
            "{problem}"
        );
    }
}

#[tokio::test]
async fn unknown_options_are_refused_and_named() {
    let body = json!({ "text": "a", "min_confidense": 0.2 });
    let problem = call(&app(), post_json("/v1/check", &body))
        .await
        .assert_problem(400, "unknown-option");
    assert_eq!(problem["option"], "min_confidense");
    let detail = problem["detail"].as_str().unwrap();
    assert!(
        detail.contains("`min_confidense`") && detail.contains("`min_confidence`"),
        "{detail}"
    );
}

#[tokio::test]
async fn option_values_of_the_wrong_type_or_range_are_invalid_options() {
    let cases = [
        (
            json!({ "text": "a", "min_confidence": "high" }),
            "min_confidence",
        ),
        (
            json!({ "text": "a", "min_confidence": 1.5 }),
            "min_confidence",
        ),
        (
            json!({ "text": "a", "fix_threshold": -0.1 }),
            "fix_threshold",
        ),
        (
            json!({ "text": "a", "offset_unit": "utf32" }),
            "offset_unit",
        ),
        (
            json!({ "text": "a", "include_fixed": null }),
            "include_fixed",
        ),
        (json!({ "text": "a", "allow": "arsenic" }), "allow"),
        (
            json!({ "text": "a", "dictionaries": ["no-such-dictionary"] }),
            "dictionaries",
        ),
    ];
    for (body, option) in cases {
        let problem = call(&app(), post_json("/v1/check", &body))
            .await
            .assert_problem(400, "invalid-option");
        assert_eq!(problem["option"], option, "{problem}");
    }
}

#[tokio::test]
async fn invalid_utf8_is_a_400_problem_with_the_offset() {
    let body = Bytes::from_static(b"{\"text\": \"caf\xe9\"}");
    let reply = call(
        &app(),
        request(Method::POST, "/v1/check", Some("application/json"), body),
    )
    .await;
    let problem = reply.assert_problem(400, "invalid-utf8");
    assert!(
        problem["detail"].as_str().unwrap().contains("offset 13"),
        "{problem}"
    );
}

#[tokio::test]
async fn unknown_routes_are_404_problems() {
    for path in ["/", "/v3/check", "/v1/check/", "/problems/no-such-problem"] {
        call(&app(), get(path))
            .await
            .assert_problem(404, "not-found");
    }
}

#[tokio::test]
async fn wrong_methods_are_405_problems_with_allow() {
    let reply = call(&app(), get("/v1/check")).await;
    reply.assert_problem(405, "method-not-allowed");
    assert_eq!(reply.headers["allow"], "POST");
    let reply = call(
        &app(),
        request(Method::DELETE, "/healthz", None, Body::empty()),
    )
    .await;
    reply.assert_problem(405, "method-not-allowed");
    assert!(reply.headers["allow"].to_str().unwrap().contains("GET"));
}

fn small_limits() -> ServeConfig {
    ServeConfig {
        max_body_bytes: 64,
        ..config()
    }
}

#[tokio::test]
async fn a_body_over_the_limit_is_a_413_problem_with_the_limit() {
    let (app, _) = app_with(&small_limits());
    let body = json!({ "text": "x".repeat(100) });
    let problem = call(&app, post_json("/v1/check", &body))
        .await
        .assert_problem(413, "payload-too-large");
    assert_eq!(problem["limit_bytes"], 64);
    assert!(
        problem["detail"].as_str().unwrap().contains("64 bytes"),
        "{problem}"
    );

    // Without a Content-Length (chunked), counted as it arrives.
    let chunks = (0..10).map(|_| Ok::<_, Infallible>(Bytes::from_static(b"0123456789")));
    let body = Body::from_stream(futures_util::stream::iter(chunks));
    let reply = call(
        &app,
        request(Method::POST, "/v1/check", Some("application/json"), body),
    )
    .await;
    reply.assert_problem(413, "payload-too-large");

    // The batch endpoint has the same limit for JSON bodies.
    let body = json!({ "documents": [{ "text": "x".repeat(100) }] });
    call(&app, post_json("/v1/check/batch", &body))
        .await
        .assert_problem(413, "payload-too-large");
}

#[tokio::test]
async fn a_body_that_is_not_json_is_a_415_problem() {
    for content_type in [
        Some("text/plain"),
        Some("application/x-www-form-urlencoded"),
        None,
    ] {
        let reply = call(
            &app(),
            request(Method::POST, "/v1/check", content_type, "text=a"),
        )
        .await;
        let problem = reply.assert_problem(415, "unsupported-media-type");
        assert!(problem["detail"]
            .as_str()
            .unwrap()
            .contains("application/json"));
        let reply = call(
            &app(),
            request(Method::POST, "/v1/check/batch", content_type, "text=a"),
        )
        .await;
        let problem = reply.assert_problem(415, "unsupported-media-type");
        assert!(problem["detail"]
            .as_str()
            .unwrap()
            .contains("application/x-ndjson"));
    }
}

fn short_timeout() -> ServeConfig {
    ServeConfig {
        timeout_ms: 50,
        ..config()
    }
}

#[tokio::test]
async fn a_body_not_received_in_time_is_a_408_problem() {
    let (app, _) = app_with(&short_timeout());
    let first = futures_util::stream::once(async {
        Ok::<_, Infallible>(Bytes::from_static(b"{\"text\": \""))
    });
    let body = Body::from_stream(first.chain(futures_util::stream::pending()));
    let started = std::time::Instant::now();
    let reply = call(
        &app,
        request(Method::POST, "/v1/check", Some("application/json"), body),
    )
    .await;
    let problem = reply.assert_problem(408, "request-timeout");
    assert_eq!(problem["limit_ms"], 50);
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
}

#[tokio::test]
async fn a_check_past_the_time_limit_is_a_503_problem() {
    let (app, _) = app_with(&ServeConfig {
        timeout_ms: 5,
        ..config()
    });
    let text = format!("{SPUN} ").repeat(4000);
    let problem = call(&app, post_json("/v1/check", &json!({ "text": text })))
        .await
        .assert_problem(503, "check-timeout");
    assert_eq!(problem["limit_ms"], 5);
}

#[tokio::test]
async fn over_the_concurrency_limit_a_request_gets_503_with_retry_after() {
    let (app, state) = app_with(&ServeConfig {
        max_concurrent: 1,
        ..config()
    });
    let slot = state.limits().slots.try_take(Lane::Small).unwrap();
    let reply = call(&app, post_json("/v1/check", &json!({ "text": SPUN }))).await;
    reply.assert_problem(503, "overloaded");
    assert_eq!(reply.headers["retry-after"], "1");
    drop(slot);
    let reply = call(&app, post_json("/v1/check", &json!({ "text": SPUN }))).await;
    assert_eq!(reply.status, StatusCode::OK);
}

// ---- batch --------------------------------------------------------------

const EMOJI_SPUN: &str =
    "😀 Noem will travel to Mexico connected Friday to conscionable with Sheinbaum.";

#[tokio::test]
async fn json_batch_answers_each_document_in_order_with_its_id() {
    let body = json!({
        "offset_unit": "char",
        "documents": [
            { "id": "a", "text": EMOJI_SPUN },
            { "id": 2, "text": "A clean sentence." },
            { "text": EMOJI_SPUN, "offset_unit": "utf16" },
        ]
    });
    let reply = call(&app(), post_json("/v1/check/batch", &body)).await;
    assert_eq!(reply.status, StatusCode::OK);
    let results = reply.json()["results"].as_array().unwrap().clone();
    assert_eq!(results.len(), 3);
    assert_eq!(results[0]["id"], "a");
    assert_eq!(results[0]["report"]["offset_unit"], "char");
    let before = &EMOJI_SPUN[..EMOJI_SPUN.find("connected").unwrap()];
    let (chars, utf16) = (before.chars().count(), before.encode_utf16().count());
    assert_ne!(chars, utf16);
    assert_eq!(span(&results[0]["report"], "connected")["start"], chars);
    assert_eq!(results[1]["id"], 2);
    assert_eq!(results[1]["report"]["spans"], json!([]));
    assert_eq!(results[2]["id"], Value::Null);
    assert_eq!(
        span(&results[2]["report"], "connected")["start"],
        utf16,
        "own option wins"
    );
}

#[tokio::test]
async fn json_batch_refuses_bad_options_and_unknown_members_whole() {
    let body = json!({ "documents": [{ "text": "a" }], "min_confidence": 2 });
    call(&app(), post_json("/v1/check/batch", &body))
        .await
        .assert_problem(400, "invalid-option");
    let body = json!({ "documents": [{ "text": "a" }, { "id": "b", "text": "b", "dictionaries": ["none"] }] });
    let problem = call(&app(), post_json("/v1/check/batch", &body))
        .await
        .assert_problem(400, "invalid-option");
    assert_eq!(problem["option"], "dictionaries");
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .starts_with("documents[1]: unknown dictionary"),
        "{problem}"
    );
    let body = json!({ "documents": [{ "text": "a" }, { "text": "b", "colour": "red" }] });
    let problem = call(&app(), post_json("/v1/check/batch", &body))
        .await
        .assert_problem(400, "unknown-option");
    assert_eq!(problem["option"], "colour");
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .starts_with("documents[1]: unknown option `colour`"),
        "{problem}"
    );
    let body = json!({ "documents": [{ "id": null, "text": "a" }] });
    let problem = call(&app(), post_json("/v1/check/batch", &body))
        .await
        .assert_problem(400, "invalid-request");
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .starts_with("documents[0].id: invalid type: null"),
        "{problem}"
    );
    let body = json!({ "texts": ["a"] });
    call(&app(), post_json("/v1/check/batch", &body))
        .await
        .assert_problem(400, "unknown-option");
}

fn ndjson(body: impl Into<Body>) -> Request<Body> {
    request(
        Method::POST,
        "/v1/check/batch",
        Some("application/x-ndjson"),
        body,
    )
}

fn lines(text: &str) -> Vec<Value> {
    text.lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[tokio::test]
async fn ndjson_batch_answers_each_line_in_order_and_bad_lines_with_errors() {
    let mut body = Vec::new();
    body.extend_from_slice(
        json!({ "id": "first", "text": SPUN })
            .to_string()
            .as_bytes(),
    );
    body.extend_from_slice(b"\n");
    body.extend_from_slice(b"\n");
    body.extend_from_slice(b"this is not json\n");
    body.extend_from_slice(b"{\"id\": 4, \"text\": \"caf\xe9\"}\r\n");
    body.extend_from_slice(b"{\"id\": 5, \"text\": \"a\", \"bogus\": true}\n");
    body.extend_from_slice(b"{\"id\": 6, \"text\": \"a\", \"dictionaries\": [\"none\"]}\n");
    body.extend_from_slice(b"{\"id\": 7}\n");
    body.extend_from_slice(
        b"{\"id\": 8, \"text\": \"The travel comes arsenic Mexico.\", \"offset_unit\": \"utf16\"}",
    );
    let reply = call(&app(), ndjson(body)).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.content_type(), "application/x-ndjson");
    assert!(reply.text().ends_with('\n'));
    let results = lines(&reply.text());
    let summary: Vec<(Value, Value, Value)> = results
        .iter()
        .map(|r| {
            (
                r["id"].clone(),
                r["line"].clone(),
                r.get("error").map_or(json!("ok"), |e| e["type"].clone()),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (json!("first"), json!(1), json!("ok")),
            (json!(null), json!(3), json!("/problems/malformed-json")),
            (json!(null), json!(4), json!("/problems/invalid-utf8")),
            (json!(5), json!(5), json!("/problems/unknown-option")),
            (json!(6), json!(6), json!("/problems/invalid-option")),
            (json!(7), json!(7), json!("/problems/invalid-request")),
            (json!(8), json!(8), json!("ok")),
        ]
    );
    assert_eq!(
        span(&results[0]["report"], "connected")["suggestions"][0],
        "on"
    );
    assert_eq!(results[6]["report"]["offset_unit"], "utf16");
}

#[tokio::test]
async fn ndjson_lines_over_the_limit_get_an_error_and_the_stream_goes_on() {
    let (app, _) = app_with(&small_limits());
    let long = json!({ "id": "long", "text": "x".repeat(100) }).to_string();
    let body = format!("{long}\n{{\"id\": \"short\", \"text\": \"ok\"}}\n");
    let results = lines(&call(&app, ndjson(body)).await.text());
    assert_eq!(results.len(), 2);
    assert_eq!(results[0]["error"]["type"], "/problems/payload-too-large");
    assert_eq!(results[0]["error"]["limit_bytes"], 64);
    assert_eq!(results[0]["line"], 1);
    assert_eq!(results[1]["id"], "short");
    assert!(results[1].get("report").is_some());
}

#[tokio::test]
async fn ndjson_stream_that_stalls_ends_with_a_timeout_record() {
    let (app, _) = app_with(&short_timeout());
    let first = futures_util::stream::once(async {
        Ok::<_, Infallible>(Bytes::from_static(
            b"{\"id\": 1, \"text\": \"a\"}\n{\"id\": 2",
        ))
    });
    let body = Body::from_stream(first.chain(futures_util::stream::pending()));
    let results = lines(&call(&app, ndjson(body)).await.text());
    assert_eq!(results.len(), 2);
    assert!(results[0].get("report").is_some());
    assert_eq!(results[1]["error"]["type"], "/problems/request-timeout");
    assert_eq!(results[1]["line"], 2);
}

// ---- service endpoints --------------------------------------------------

#[tokio::test]
async fn dictionaries_lists_name_kind_entries_source_and_licence() {
    let reply = call(&app(), get("/v1/dictionaries")).await;
    assert_eq!(reply.status, StatusCode::OK);
    let dictionaries = reply.json()["dictionaries"].as_array().unwrap().clone();
    let names: Vec<&str> = dictionaries
        .iter()
        .map(|d| d["name"].as_str().unwrap())
        .collect();
    assert!(
        names.contains(&"spun-words") && names.contains(&"tortured-phrases"),
        "{names:?}"
    );
    assert!(dictionaries
        .iter()
        .any(|d| d["entries"].as_u64().unwrap() > 0));
    for dictionary in &dictionaries {
        assert!(dictionary["entries"].is_u64(), "{dictionary}");
        for key in ["kind", "source", "licence"] {
            assert!(dictionary[key].is_string(), "{dictionary}");
        }
    }
}

#[tokio::test]
async fn healthz_and_head_answer() {
    let reply = call(&app(), get("/healthz")).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.json(), json!({ "status": "ok" }));
    let reply = call(
        &app(),
        request(Method::HEAD, "/healthz", None, Body::empty()),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(reply.body.is_empty());
}

#[tokio::test]
async fn openapi_yaml_is_the_file_in_the_repository() {
    let reply = call(&app(), get("/openapi.yaml")).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.content_type(), "application/yaml");
    let file =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/openapi.yaml")).unwrap();
    assert_eq!(reply.text(), file);
}

#[tokio::test]
async fn every_problem_type_is_explained_at_its_uri() {
    for kind in PROBLEM_TYPES {
        let reply = call(&app(), get(&format!("/problems/{}", kind.slug))).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", kind.slug);
        assert!(reply.text().starts_with(kind.title));
    }
}

#[tokio::test]
async fn cors_preflight_is_answered_and_errors_carry_cors_headers() {
    let (app, _) = http_common::app_with(&ServeConfig {
        cors_origins: vec!["https://editor.example".into()],
        ..config()
    });
    let preflight = Request::builder()
        .method(Method::OPTIONS)
        .uri("/v1/check")
        .header("origin", "https://editor.example")
        .header("access-control-request-method", "POST")
        .header("access-control-request-headers", "content-type")
        .body(Body::empty())
        .unwrap();
    let reply = call(&app, preflight).await;
    assert!(reply.status.is_success(), "{:?}", reply.status);
    assert_eq!(
        reply.headers["access-control-allow-origin"],
        "https://editor.example"
    );
    assert!(reply.headers["access-control-allow-methods"]
        .to_str()
        .unwrap()
        .contains("POST"));
    assert!(reply.headers.contains_key("access-control-allow-headers"));
    assert!(reply.headers.contains_key("access-control-max-age"));

    let mut request = post_json("/v1/check", &json!({ "nope": 1 }));
    request
        .headers_mut()
        .insert("origin", "https://editor.example".parse().unwrap());
    let reply = call(&app, request).await;
    reply.assert_problem(400, "unknown-option");
    assert_eq!(
        reply.headers["access-control-allow-origin"],
        "https://editor.example"
    );
    assert!(reply.headers["access-control-expose-headers"]
        .to_str()
        .unwrap()
        .contains("retry-after"));
}

use futures_util::StreamExt as _;

/// Collects what the log subscriber writes.
#[derive(Clone, Default)]
struct Captured(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test(flavor = "current_thread")]
async fn each_request_is_logged_on_one_line_without_its_text() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    let secret = "Unpublished draft: the minister resigns arsenic of Friday.";
    let reply = call(&app(), post_json("/v1/check", &json!({ "text": secret }))).await;
    assert_eq!(reply.status, StatusCode::OK);
    call(&app(), get("/nowhere"))
        .await
        .assert_problem(404, "not-found");

    let log = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    let lines: Vec<&str> = log.lines().collect();
    assert_eq!(lines.len(), 2, "{log}");
    for (line, (path, status)) in lines.iter().zip([("/v1/check", 200), ("/nowhere", 404)]) {
        for field in [format!("path={path}"), format!("status={status}")] {
            assert!(line.contains(&field), "{line}");
        }
        assert!(
            line.contains("method=")
                && line.contains("latency_ms=")
                && line.contains("response_bytes="),
            "{line}"
        );
    }
    assert!(lines[0].contains(&format!(
        "request_bytes={}",
        json!({ "text": secret }).to_string().len()
    )));
    assert!(
        !log.contains("Unpublished") && !log.contains("arsenic"),
        "{log}"
    );
}

#[tokio::test]
async fn server_defaults_apply_where_a_request_gives_no_option() {
    let defaults = unspun::CheckOptions {
        allow: vec!["arsenic".into()],
        dictionaries: Some(vec![]),
        ..Default::default()
    };
    let state =
        unspun::server::AppState::with_defaults(http_common::checker(), defaults, &config())
            .unwrap();
    let app = unspun::server::router(state);
    let report = call(&app, post_json("/v1/check", &json!({ "text": SPUN })))
        .await
        .json();
    assert_eq!(report["spans"], json!([]), "no dictionary by default");

    let body = json!({ "text": SPUN, "dictionaries": ["spun-words"], "allow": ["conscionable"] });
    let report = call(&app, post_json("/v1/check", &body)).await.json();
    let texts = span_texts(&report);
    assert!(texts.contains(&"connected"), "{report}");
    assert!(
        !texts.contains(&"arsenic"),
        "the server's allow list still holds: {report}"
    );
    assert!(
        !texts.contains(&"conscionable"),
        "the request's allow list adds to it: {report}"
    );
}
