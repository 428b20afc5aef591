//! A server a newsroom can expose: API keys (401 without one), rate limits per
//! key or client address (429 with Retry-After), the CORS policy (no headers
//! and 403 for pages on origins not allowed), `/metrics`, request ids, JSON
//! logs that never hold a key, and the key file reloaded on SIGHUP.

mod http_common;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use bytes::Bytes;
use http_common::{app_with, call, config, get, post_json, request, send_to, Reply, TestServer};
use serde_json::json;
use std::collections::BTreeMap;
use std::convert::Infallible;
use std::num::NonZeroU32;
use std::path::PathBuf;
use unspun::server::ServeConfig;

const CMS_KEY: &str = "cms-3f9a1c7e5b2d8046";
const EDITORS_KEY: &str = "ed-91b4e0a2c6d83f57";
const SPUN: &str = "The mayor volition visit Lisbon connected Friday.";

/// A key file with the two keys, in a folder kept for the test's length.
fn key_file() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("keys");
    std::fs::write(
        &path,
        format!("# name key\ncms {CMS_KEY}\neditors {EDITORS_KEY}\n"),
    )
    .unwrap();
    (dir, path)
}

fn with_key(mut request: Request<Body>, key: &str) -> Request<Body> {
    request
        .headers_mut()
        .insert("authorization", format!("Bearer {key}").parse().unwrap());
    request
}

fn check() -> Request<Body> {
    post_json("/v1/check", &json!({ "text": SPUN }))
}

fn form(body: &str) -> Request<Body> {
    request(
        Method::POST,
        "/v2/check",
        Some("application/x-www-form-urlencoded"),
        body.to_owned(),
    )
}

#[tokio::test]
async fn a_request_without_a_key_gets_401_and_with_one_200() {
    let (_dir, keys) = key_file();
    let (app, _) = app_with(&ServeConfig {
        api_key_file: Some(keys),
        ..config()
    });
    let reply = call(&app, check()).await;
    let problem = reply.assert_problem(401, "unauthorized");
    assert!(problem["detail"].as_str().unwrap().contains("Bearer"));
    assert_eq!(reply.headers["www-authenticate"], "Bearer realm=\"unspun\"");

    let reply = call(&app, with_key(check(), "cms-3f9a1c7e5b2d8047")).await;
    let problem = reply.assert_problem(401, "unauthorized");
    assert!(!problem.to_string().contains("cms-3f9a"), "{problem}");

    let reply = call(&app, with_key(check(), CMS_KEY)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    assert!(!reply.json()["spans"].as_array().unwrap().is_empty());
    // The scheme's case does not matter.
    let mut lower = check();
    lower.headers_mut().insert(
        "authorization",
        format!("bearer {EDITORS_KEY}").parse().unwrap(),
    );
    assert_eq!(call(&app, lower).await.status, StatusCode::OK);

    // Open without a key: health, the API description, problem explanations.
    for path in [
        "/healthz",
        "/v2/healthcheck",
        "/openapi.yaml",
        "/problems/unauthorized",
    ] {
        assert_eq!(call(&app, get(path)).await.status, StatusCode::OK, "{path}");
    }
    // Closed: everything else, metrics and unknown paths included.
    for path in [
        "/metrics",
        "/v1/dictionaries",
        "/v2/languages",
        "/wp-login.php",
    ] {
        call(&app, get(path))
            .await
            .assert_problem(401, "unauthorized");
    }
}

#[tokio::test]
async fn languagetool_clients_send_the_key_as_the_apikey_parameter() {
    let (_dir, keys) = key_file();
    let (app, _) = app_with(&ServeConfig {
        api_key_file: Some(keys),
        ..config()
    });
    let text = "text=The+mayor+volition+visit+Lisbon+connected+Friday.&language=en-US";
    let reply = call(&app, form(&format!("username=me&apiKey={CMS_KEY}&{text}"))).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    assert!(!reply.json()["matches"].as_array().unwrap().is_empty());
    let reply = call(&app, form(&format!("apiKey=wrong-key-0000000000&{text}"))).await;
    reply.assert_problem(401, "unauthorized");
    call(&app, form(text))
        .await
        .assert_problem(401, "unauthorized");
    let reply = call(&app, get(&format!("/v2/check?{text}&apiKey={EDITORS_KEY}"))).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
}

#[tokio::test]
async fn a_flag_closes_the_open_routes_too() {
    let (_dir, keys) = key_file();
    let (app, _) = app_with(&ServeConfig {
        api_key_file: Some(keys),
        require_key_everywhere: true,
        ..config()
    });
    for path in ["/healthz", "/openapi.yaml", "/problems/unauthorized"] {
        call(&app, get(path))
            .await
            .assert_problem(401, "unauthorized");
        let reply = call(&app, with_key(get(path), CMS_KEY)).await;
        assert_eq!(reply.status, StatusCode::OK, "{path}");
    }
}

#[test]
fn an_unusable_key_file_stops_the_server_from_starting() {
    let dir = tempfile::tempdir().unwrap();
    let missing = ServeConfig {
        api_key_file: Some(dir.path().join("nope")),
        ..config()
    };
    let error = unspun::server::AppState::new(http_common::checker(), &missing).unwrap_err();
    assert!(error.to_string().contains("cannot read"), "{error}");
    let short = dir.path().join("short");
    std::fs::write(&short, "cms tooshort\n").unwrap();
    let error = unspun::server::AppState::new(
        http_common::checker(),
        &ServeConfig {
            api_key_file: Some(short),
            ..config()
        },
    )
    .unwrap_err();
    assert!(error.to_string().contains("line 1"), "{error}");
    assert!(!error.to_string().contains("tooshort"), "{error}");
}

fn rate_limited(requests: u32, burst: u32) -> ServeConfig {
    ServeConfig {
        rate_limit_requests: NonZeroU32::new(requests),
        rate_limit_burst: NonZeroU32::new(burst),
        ..config()
    }
}

#[tokio::test]
async fn a_key_over_its_rate_gets_429_with_retry_after_while_another_key_is_served() {
    let (_dir, keys) = key_file();
    let (app, _) = app_with(&ServeConfig {
        api_key_file: Some(keys),
        ..rate_limited(1, 3)
    });
    // The burst, exactly: three requests pass, each saying what is left.
    for left in [2, 1, 0] {
        let reply = call(&app, with_key(get("/v1/dictionaries"), CMS_KEY)).await;
        assert_eq!(reply.status, StatusCode::OK);
        assert_eq!(reply.headers["ratelimit-policy"], "\"requests\";q=3;w=3");
        let standing = reply.headers["ratelimit"].to_str().unwrap();
        assert!(
            standing.starts_with(&format!("\"requests\";r={left};t=")),
            "{standing}"
        );
    }
    let reply = call(&app, with_key(check(), CMS_KEY)).await;
    let problem = reply.assert_problem(429, "rate-limited");
    let retry: u64 = reply.headers["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(retry, 1, "{problem}");
    assert_eq!(reply.headers["ratelimit"], "\"requests\";r=0;t=1");
    // Another key has its own bucket.
    let reply = call(&app, with_key(check(), EDITORS_KEY)).await;
    assert_eq!(reply.status, StatusCode::OK);
    // Health checks are never limited.
    assert_eq!(call(&app, get("/healthz")).await.status, StatusCode::OK);
    // After the wait the key is served again.
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let reply = call(&app, with_key(check(), CMS_KEY)).await;
    assert_eq!(reply.status, StatusCode::OK);
}

#[tokio::test]
async fn without_keys_the_limits_are_per_client_address() {
    let (app, _) = app_with(&ServeConfig {
        client_address_header: Some("x-real-ip".into()),
        ..rate_limited(1, 1)
    });
    let from = |address: &str| {
        let mut request = get("/v1/dictionaries");
        request
            .headers_mut()
            .insert("x-real-ip", address.parse().unwrap());
        request
    };
    assert_eq!(call(&app, from("203.0.113.7")).await.status, StatusCode::OK);
    call(&app, from("203.0.113.7"))
        .await
        .assert_problem(429, "rate-limited");
    assert_eq!(call(&app, from("203.0.113.8")).await.status, StatusCode::OK);

    // Over TCP, the connection's peer address.
    let server = TestServer::start(rate_limited(1, 1)).await;
    assert_eq!(
        server.send(get("/v1/dictionaries")).await.status,
        StatusCode::OK
    );
    server
        .send(get("/v1/dictionaries"))
        .await
        .assert_problem(429, "rate-limited");
}

#[tokio::test]
async fn request_bytes_are_limited_per_second_declared_or_chunked() {
    let limited = ServeConfig {
        rate_limit_bytes: NonZeroU32::new(1000),
        max_body_bytes: 4000,
        ..config()
    };
    let (app, _) = app_with(&limited);
    let body = |len: usize| {
        let text = "a".repeat(len - 11);
        json!({ "text": text }).to_string()
    };
    // The burst is the largest body: one of 4000 bytes passes, then nothing.
    let reply = call(
        &app,
        request(Method::POST, "/v1/check", Some("application/json"), {
            let b = body(4000);
            assert_eq!(b.len(), 4000);
            b
        }),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    let mut declared = request(
        Method::POST,
        "/v1/check",
        Some("application/json"),
        body(100),
    );
    declared
        .headers_mut()
        .insert("content-length", "100".parse().unwrap());
    let reply = call(&app, declared).await;
    reply.assert_problem(429, "rate-limited");
    assert!(reply.text().contains("request-body bytes"));

    // A chunked body is charged as it arrives.
    let (app, _) = app_with(&limited);
    let chunks: Vec<Result<Bytes, Infallible>> = vec![
        Ok(Bytes::from_static(b"{\"text\": \"")),
        Ok(Bytes::from("a".repeat(3000))),
        Ok(Bytes::from("b".repeat(980))),
        Ok(Bytes::from_static(b"\"}")),
    ];
    let first = request(
        Method::POST,
        "/v1/check",
        Some("application/json"),
        Body::from_stream(futures_util::stream::iter(chunks.clone())),
    );
    assert_eq!(call(&app, first).await.status, StatusCode::OK);
    let second = request(
        Method::POST,
        "/v1/check",
        Some("application/json"),
        Body::from_stream(futures_util::stream::iter(chunks)),
    );
    let reply = call(&app, second).await;
    reply.assert_problem(429, "rate-limited");
    assert!(reply.headers.contains_key("retry-after"));
}

#[tokio::test]
async fn a_page_on_a_disallowed_origin_gets_no_cors_headers_and_its_form_post_is_refused() {
    let text = "text=The+mayor+volition+visit+Lisbon.&language=en-US";
    let from = |origin: &str, mut request: Request<Body>| {
        request
            .headers_mut()
            .insert("origin", origin.parse().unwrap());
        request
    };
    // Default: no CORS at all; cross-site form posts refused; programs pass.
    let (app, _) = app_with(&config());
    let reply = call(&app, from("https://evil.example", form(text))).await;
    reply.assert_problem(403, "origin-not-allowed");
    assert!(!reply.headers.contains_key("access-control-allow-origin"));
    assert_eq!(call(&app, form(text)).await.status, StatusCode::OK);
    // The server's own pages are same-origin.
    let mut own = from("http://unspun.internal:8080", form(text));
    own.headers_mut()
        .insert("host", "unspun.internal:8080".parse().unwrap());
    assert_eq!(call(&app, own).await.status, StatusCode::OK);
    let mut fetched = from("http://proxy.example", form(text));
    fetched
        .headers_mut()
        .insert("sec-fetch-site", "same-origin".parse().unwrap());
    assert_eq!(call(&app, fetched).await.status, StatusCode::OK);

    // A list: the listed origin gets CORS answers, another does not.
    let (app, _) = app_with(&ServeConfig {
        cors_origins: vec!["https://cms.example.org".into()],
        ..config()
    });
    let reply = call(&app, from("https://cms.example.org", form(text))).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(
        reply.headers["access-control-allow-origin"],
        "https://cms.example.org"
    );
    let preflight = Request::builder()
        .method(Method::OPTIONS)
        .uri("/v1/check")
        .header("origin", "https://evil.example")
        .header("access-control-request-method", "POST")
        .body(Body::empty())
        .unwrap();
    let reply = call(&app, preflight).await;
    assert!(!reply.headers.contains_key("access-control-allow-origin"));
    let reply = call(&app, from("https://evil.example", form(text))).await;
    reply.assert_problem(403, "origin-not-allowed");
    assert!(!reply.headers.contains_key("access-control-allow-origin"));

    // `*`: every origin.
    let (app, _) = app_with(&ServeConfig {
        cors_origins: vec!["*".into()],
        ..config()
    });
    let reply = call(&app, from("https://anyone.example", form(text))).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.headers["access-control-allow-origin"], "*");
}

/// The samples of a Prometheus text exposition, by name with labels.
fn samples(exposition: &str) -> BTreeMap<String, f64> {
    exposition
        .lines()
        .filter(|line| !line.starts_with('#') && !line.is_empty())
        .map(|line| {
            let (name, value) = line.rsplit_once(' ').expect("name value");
            (name.to_owned(), value.parse().expect("a number"))
        })
        .collect()
}

#[tokio::test]
async fn metrics_count_what_the_tests_sent() {
    let (app, state) = app_with(&rate_limited(100, 3));
    state
        .metrics()
        .set_model_load_time(std::time::Duration::from_millis(25));
    let body = json!({ "text": SPUN }).to_string();
    for _ in 0..2 {
        let reply = call(&app, check()).await;
        assert_eq!(reply.status, StatusCode::OK);
    }
    call(&app, get("/nope"))
        .await
        .assert_problem(404, "not-found");
    call(&app, check())
        .await
        .assert_problem(429, "rate-limited");
    let reply = call(&app, get("/metrics")).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(reply
        .content_type()
        .starts_with("text/plain; version=0.0.4"));
    let got = samples(&reply.text());
    let sample = |name: &str| {
        *got.get(name)
            .unwrap_or_else(|| panic!("{name} in\n{}", reply.text()))
    };
    assert_eq!(
        sample("unspun_http_requests_total{route=\"/v1/check\",method=\"POST\",status=\"200\"}"),
        2.0
    );
    assert_eq!(
        sample("unspun_http_requests_total{route=\"/v1/check\",method=\"POST\",status=\"429\"}"),
        1.0
    );
    assert_eq!(
        sample("unspun_http_requests_total{route=\"unmatched\",method=\"GET\",status=\"404\"}"),
        1.0
    );
    assert_eq!(
        sample("unspun_rejected_total{reason=\"rate-limited\"}"),
        1.0
    );
    // Two checks were read whole; the refused one was not read at all.
    assert_eq!(
        sample("unspun_http_request_bytes_total{route=\"/v1/check\"}"),
        2.0 * body.len() as f64
    );
    assert!(sample("unspun_http_response_bytes_total{route=\"/v1/check\"}") > 0.0);
    assert_eq!(
        sample("unspun_http_request_duration_seconds_count{route=\"/v1/check\"}"),
        3.0
    );
    // "volition" and "connected", in each of the two checks.
    assert_eq!(sample("unspun_spans_total{kind=\"spun-word\"}"), 4.0);
    assert_eq!(sample("unspun_checks_in_flight"), 0.0);
    assert_eq!(sample("unspun_check_slots"), 64.0);
    assert_eq!(sample("unspun_model_load_seconds"), 0.025);
}

#[tokio::test]
async fn every_response_carries_a_request_id_and_a_plain_client_id_is_kept() {
    let (app, _) = app_with(&config());
    let first = call(&app, get("/healthz")).await;
    let second = call(&app, get("/nope")).await;
    let id = |reply: &Reply| reply.headers["x-request-id"].to_str().unwrap().to_owned();
    assert_eq!(id(&first).len(), 16);
    assert_ne!(id(&first), id(&second));
    let mut own = get("/healthz");
    own.headers_mut()
        .insert("x-request-id", "cms-7f3a.1".parse().unwrap());
    assert_eq!(id(&call(&app, own).await), "cms-7f3a.1");
    let mut hostile = get("/healthz");
    hostile
        .headers_mut()
        .insert("x-request-id", "a\"b} injected".parse().unwrap());
    assert_ne!(id(&call(&app, hostile).await), "a\"b} injected");
}

/// `unspun serve` as a user runs it, with stderr collected.
struct Served {
    child: std::process::Child,
    addr: std::net::SocketAddr,
}

impl Served {
    fn start(args: &[&str]) -> Served {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let addr: std::net::SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
        let child = std::process::Command::new(env!("CARGO_BIN_EXE_unspun"))
            .args(["serve", "--addr", &addr.to_string()])
            .args(args)
            .env("RUST_LOG", "debug")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("the unspun binary starts");
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
        while std::net::TcpStream::connect(addr).is_err() {
            assert!(
                std::time::Instant::now() < deadline,
                "the server did not listen"
            );
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        Served { child, addr }
    }

    /// Stops the server (SIGTERM) and returns what it wrote to stderr.
    fn stop(mut self) -> String {
        let _ = std::process::Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let output = std::mem::replace(
            &mut self.child,
            std::process::Command::new("true").spawn().unwrap(),
        )
        .wait_with_output()
        .unwrap();
        String::from_utf8_lossy(&output.stderr).into_owned()
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn keys_reload_on_sighup_and_appear_in_no_log_line() {
    let (dir, keys) = key_file();
    let served = Served::start(&[
        "--api-key-file",
        keys.to_str().unwrap(),
        "--log-format",
        "json",
    ]);
    let addr = served.addr;
    let text = "text=The+mayor+volition+visit+Lisbon.&language=en-US";
    let wrong = "wrong-key-5c2e9f0a71d3";
    let posted = |key: &str| {
        request(
            Method::POST,
            "/v2/check",
            Some("application/x-www-form-urlencoded"),
            format!("apiKey={key}&{text}"),
        )
    };
    assert_eq!(
        send_to(addr, with_key(check(), CMS_KEY)).await.status,
        StatusCode::OK
    );
    assert_eq!(
        send_to(addr, posted(EDITORS_KEY)).await.status,
        StatusCode::OK
    );
    let query = get(&format!("/v2/check?{text}&apiKey={CMS_KEY}"));
    assert_eq!(send_to(addr, query).await.status, StatusCode::OK);
    send_to(addr, with_key(check(), wrong))
        .await
        .assert_problem(401, "unauthorized");
    send_to(addr, posted(wrong))
        .await
        .assert_problem(401, "unauthorized");

    // A new file, then SIGHUP: the new key works, the removed one does not.
    let fresh = "fresh-8d1c4a6e0b9f2735";
    std::fs::write(dir.path().join("keys"), format!("cms {fresh}\n")).unwrap();
    let hup = std::process::Command::new("kill")
        .args(["-HUP", &served.child.id().to_string()])
        .status()
        .unwrap();
    assert!(hup.success());
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let reply = send_to(addr, with_key(check(), fresh)).await;
        if reply.status == StatusCode::OK {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the keys were not reloaded"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    send_to(addr, with_key(check(), EDITORS_KEY))
        .await
        .assert_problem(401, "unauthorized");
    // A broken file keeps the keys in force.
    std::fs::write(dir.path().join("keys"), "broken\n").unwrap();
    std::process::Command::new("kill")
        .args(["-HUP", &served.child.id().to_string()])
        .status()
        .unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(
        send_to(addr, with_key(check(), fresh)).await.status,
        StatusCode::OK
    );

    let log = served.stop();
    let mut request_lines = 0;
    for line in log.lines() {
        let entry: serde_json::Value = serde_json::from_str(line)
            .unwrap_or_else(|e| panic!("a log line that is not JSON ({e}): {line}"));
        if entry["request_id"].is_string() {
            request_lines += 1;
            assert!(entry["status"].is_number(), "{line}");
        }
    }
    assert!(request_lines >= 8, "{log}");
    assert!(log.contains("API keys reloaded, 1 in force"), "{log}");
    for secret in [CMS_KEY, EDITORS_KEY, wrong, fresh, "3f9a1c7e", "5c2e9f0a"] {
        assert!(!log.contains(secret), "the log holds {secret}:\n{log}");
    }
}

#[tokio::test]
async fn refusals_are_answered_as_openapi_yaml_documents_them() {
    let (_dir, keys) = key_file();
    let (app, _) = app_with(&ServeConfig {
        api_key_file: Some(keys),
        ..rate_limited(1, 1)
    });
    let unauthorized = call(&app, check()).await;
    http_common::assert_documented("post", "/v1/check", &unauthorized);
    let mut foreign = with_key(form("text=a&language=en-US"), CMS_KEY);
    foreign
        .headers_mut()
        .insert("origin", "https://evil.example".parse().unwrap());
    http_common::assert_documented("post", "/v2/check", &call(&app, foreign).await);
    let first = call(&app, with_key(check(), CMS_KEY)).await;
    http_common::assert_documented("post", "/v1/check", &first);
    let limited = call(&app, with_key(check(), CMS_KEY)).await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
    http_common::assert_documented("post", "/v1/check", &limited);
    let metrics = call(&app, with_key(get("/metrics"), CMS_KEY)).await;
    http_common::assert_documented("get", "/metrics", &metrics);
}
