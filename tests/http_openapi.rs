//! `openapi.yaml` is true: real responses of every endpoint, successes and every
//! kind of error, are validated against the schemas it documents for their path,
//! method, status and media type. So the document cannot drift from the code.

#![cfg(feature = "server")]

mod http_common;

use axum::body::Body;
use axum::http::{Method, Request};
use bytes::Bytes;
use http_common::{
    app, app_with, assert_documented, assert_matches_component, call, config, get, openapi,
    post_json, request, resolve, validator,
};
use serde_json::{json, Value};
use std::convert::Infallible;
use unspun::server::budget::Lane;
use unspun::server::problem::PROBLEM_TYPES;
use unspun::server::ServeConfig;

const SPUN: &str = "😀 The travel comes arsenic Mexico has worked to negociate with the Trump medication.\nCafé 東京: Noem will travel to Mexico connected Friday to conscionable with Sheinbaum.";

#[test]
fn the_document_is_openapi_3_1_and_every_schema_compiles() {
    let spec = openapi();
    assert_eq!(spec["openapi"], "3.1.0");
    for (name, schema) in spec["components"]["schemas"].as_object().unwrap() {
        let _ = validator(&json!({ "$ref": format!("#/components/schemas/{name}") }));
        assert!(schema.is_object(), "{name}");
    }
    // Every $ref anywhere in the document resolves.
    fn walk(node: &Value) {
        match node {
            Value::Object(map) => {
                if map.contains_key("$ref") {
                    resolve(node);
                }
                map.values().for_each(walk);
            }
            Value::Array(items) => items.iter().for_each(walk),
            _ => {}
        }
    }
    walk(spec);
}

#[test]
fn problem_types_in_the_document_are_exactly_those_of_the_server() {
    let documented: Vec<&str> = openapi()["components"]["schemas"]["Problem"]["properties"]["type"]
        ["enum"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    let served: Vec<String> = PROBLEM_TYPES
        .iter()
        .map(|t| format!("/problems/{}", t.slug))
        .collect();
    assert_eq!(documented, served);
}

/// Every path and method of the document, by template, with a concrete path.
fn documented_operations() -> Vec<(String, String, String)> {
    let mut operations = Vec::new();
    for (template, item) in openapi()["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            let concrete = template.replace("{slug}", "overloaded");
            operations.push((method.to_ascii_uppercase(), template.clone(), concrete));
        }
    }
    operations
}

#[tokio::test]
async fn every_documented_operation_exists_and_undocumented_methods_are_405() {
    for (method, template, path) in documented_operations() {
        let method: Method = method.parse().unwrap();
        let reply = call(
            &app(),
            request(method.clone(), &path, Some("application/json"), "{}"),
        )
        .await;
        assert!(
            reply.status != 404 && reply.status != 405,
            "{method} {template} is documented but answers {}",
            reply.status
        );
        for other in [Method::PUT, Method::DELETE, Method::PATCH] {
            let request = request(other.clone(), &path, None, Body::empty());
            let reply = check_documented(&app(), other.as_str(), &template, request).await;
            reply.assert_problem(405, "method-not-allowed");
        }
    }
}

async fn check_documented(
    app: &axum::Router,
    method: &str,
    template: &str,
    request: Request<Body>,
) -> http_common::Reply {
    let reply = call(app, request).await;
    // A 405 answers a method the path lacks; it is documented on the path's methods.
    let documented_method = if reply.status == 405 {
        openapi()["paths"][template]
            .as_object()
            .unwrap()
            .keys()
            .next()
            .unwrap()
            .to_ascii_uppercase()
    } else {
        method.to_string()
    };
    assert_documented(&documented_method, template, &reply);
    reply
}

#[tokio::test]
async fn successful_responses_match_their_schemas() {
    let app = app();
    for unit in ["utf8", "char", "utf16"] {
        for (fixed, diff) in [(true, false), (false, true)] {
            let body = json!({ "text": SPUN, "offset_unit": unit, "include_fixed": fixed, "include_diff": diff });
            let reply =
                check_documented(&app, "POST", "/v1/check", post_json("/v1/check", &body)).await;
            assert_eq!(reply.status, 200);
            assert!(!reply.json()["spans"].as_array().unwrap().is_empty());
        }
    }
    let batch = json!({
        "offset_unit": "utf16",
        "documents": [
            { "id": "a", "text": SPUN },
            { "id": 7, "text": "clean", "include_diff": true },
            { "text": "x", "dictionaries": [] },
        ]
    });
    let reply = check_documented(
        &app,
        "POST",
        "/v1/check/batch",
        post_json("/v1/check/batch", &batch),
    )
    .await;
    assert_eq!(reply.status, 200);
    let ndjson = format!(
        "{}\nnot json\n{}\n\n{}\n",
        json!({ "id": 1, "text": SPUN }),
        json!({ "id": "two", "text": SPUN, "colour": "red" }),
        json!({ "text": SPUN, "min_confidence": 3 })
    );
    let reply = check_documented(
        &app,
        "POST",
        "/v1/check/batch",
        request(
            Method::POST,
            "/v1/check/batch",
            Some("application/x-ndjson"),
            ndjson,
        ),
    )
    .await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.text().lines().count(), 4);
    for (path, template) in [
        ("/v1/dictionaries", "/v1/dictionaries"),
        ("/healthz", "/healthz"),
        ("/openapi.yaml", "/openapi.yaml"),
        ("/problems/invalid-utf8", "/problems/{slug}"),
    ] {
        let reply = check_documented(&app, "GET", template, get(path)).await;
        assert_eq!(reply.status, 200, "{path}");
    }
}

#[tokio::test]
async fn every_kind_of_error_response_matches_its_schema() {
    let app = app();
    let json_post = |body: &'static [u8]| {
        request(
            Method::POST,
            "/v1/check",
            Some("application/json"),
            Bytes::from_static(body),
        )
    };
    let cases: Vec<(&str, &str, Request<Body>, u16)> = vec![
        ("POST", "/v1/check", json_post(b"{\"text\": "), 400),
        ("POST", "/v1/check", json_post(b"{}"), 400),
        (
            "POST",
            "/v1/check",
            json_post(b"{\"text\": \"a\", \"bogus\": 1}"),
            400,
        ),
        (
            "POST",
            "/v1/check",
            json_post(b"{\"text\": \"a\", \"min_confidence\": 9}"),
            400,
        ),
        ("POST", "/v1/check", json_post(b"{\"text\": \"\xff\"}"), 400),
        (
            "POST",
            "/v1/check",
            request(Method::POST, "/v1/check", Some("text/plain"), "a"),
            415,
        ),
        (
            "POST",
            "/v1/check/batch",
            request(Method::POST, "/v1/check/batch", None, "a"),
            415,
        ),
        (
            "POST",
            "/v1/check/batch",
            post_json("/v1/check/batch", &json!({ "documents": 1 })),
            400,
        ),
        (
            "POST",
            "/v1/check/batch",
            post_json(
                "/v1/check/batch",
                &json!({ "documents": [{ "text": "a", "fix_threshold": 2 }] }),
            ),
            400,
        ),
        ("GET", "/v1/check", get("/v1/check"), 405),
        (
            "POST",
            "/healthz",
            request(Method::POST, "/healthz", None, Body::empty()),
            405,
        ),
        ("GET", "/problems/{slug}", get("/problems/nothing"), 404),
    ];
    for (method, template, request, status) in cases {
        let reply = check_documented(&app, method, template, request).await;
        assert_eq!(
            reply.status,
            status,
            "{method} {template}: {}",
            reply.text()
        );
    }

    let (small, _) = app_with(&ServeConfig {
        max_body_bytes: 16,
        ..config()
    });
    let reply = check_documented(
        &small,
        "POST",
        "/v1/check",
        post_json("/v1/check", &json!({ "text": SPUN })),
    )
    .await;
    assert_eq!(reply.status, 413);
    let reply = check_documented(
        &small,
        "POST",
        "/v1/check/batch",
        post_json(
            "/v1/check/batch",
            &json!({ "documents": [] , "allow": ["a long word"] }),
        ),
    )
    .await;
    assert_eq!(reply.status, 413);

    let (slow, _) = app_with(&ServeConfig {
        timeout_ms: 20,
        ..config()
    });
    let stalled = Body::from_stream(futures_util::stream::pending::<Result<Bytes, Infallible>>());
    let reply = check_documented(
        &slow,
        "POST",
        "/v1/check",
        request(Method::POST, "/v1/check", Some("application/json"), stalled),
    )
    .await;
    assert_eq!(reply.status, 408);
    let (tiny, _) = app_with(&ServeConfig {
        timeout_ms: 1,
        ..config()
    });
    let long = json!({ "text": SPUN.repeat(3000) });
    let reply = check_documented(&tiny, "POST", "/v1/check", post_json("/v1/check", &long)).await;
    assert_eq!(reply.status, 503);

    let (busy, state) = app_with(&ServeConfig {
        max_concurrent: 1,
        ..config()
    });
    let _slot = state.limits().slots.try_take(Lane::Small).unwrap();
    let reply = check_documented(
        &busy,
        "POST",
        "/v1/check/batch",
        post_json("/v1/check/batch", &json!({ "documents": [] })),
    )
    .await;
    assert_eq!(reply.status, 503);
    assert!(reply.headers.contains_key("retry-after"));
}

#[test]
fn component_schemas_refuse_what_the_server_refuses() {
    // The request schemas say what the server accepts: spot-check the edges.
    assert_matches_component(
        "CheckRequest",
        &json!({ "text": "a", "offset_unit": "char" }),
    );
    let refused = [
        json!({ "text": "a", "bogus": 1 }),
        json!({ "text": "a", "min_confidence": 1.5 }),
        json!({ "offset_unit": "char" }),
    ];
    let check_request = validator(&json!({ "$ref": "#/components/schemas/CheckRequest" }));
    for body in refused {
        assert!(!check_request.is_valid(&body), "{body}");
    }
}

#[test]
fn response_schemas_catch_a_report_that_drifted() {
    let report = validator(&json!({ "$ref": "#/components/schemas/Report" }));
    let good =
        json!({ "offset_unit": "utf8", "score": 0.5, "verdict": "clean", "words": 1, "spans": [] });
    assert!(report.is_valid(&good));
    let mut renamed = good.clone();
    renamed["verdict"] = json!("maybe");
    assert!(!report.is_valid(&renamed));
    let mut extra = good.clone();
    extra["matches"] = json!([]);
    assert!(!report.is_valid(&extra));
}

#[test]
#[should_panic(expected = "status 418 is not documented")]
fn an_undocumented_status_fails_the_check() {
    let reply = http_common::Reply {
        status: axum::http::StatusCode::IM_A_TEAPOT,
        headers: Default::default(),
        body: Bytes::from_static(b"{}"),
    };
    assert_documented("GET", "/healthz", &reply);
}
