//! A request's cost is bounded by the request and ends with it: checks past
//! their deadline, clients that never read their answer, and shutdown with
//! checks in flight (the long-line attack has its own binary,
//! `http_attack.rs`). Each test is a bounded, self-stopping load
//! on a real server on a loopback port.

#![cfg(feature = "server")]

mod http_common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_common::{config, post_json, TestServer};
use serde_json::json;
use std::net::SocketAddr;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use unspun::server::budget::{Lane, LARGE_TEXT};
use unspun::server::{AppState, ServeConfig};

/// Spun text the checker flags whatever its tuning (the library's own examples).
const SPUN: &str = "The travel comes arsenic Mexico has worked to negociate with the Trump medication. Noem will travel to Mexico connected Friday to conscionable with Sheinbaum.";

/// About `bytes` of dense spun prose on one line: thousands of spans, no line
/// break (the case that cost spans x line length).
fn one_line(bytes: usize) -> String {
    let mut text = format!("{SPUN} ").repeat(bytes / (SPUN.len() + 1));
    text.truncate(text.trim_end().len());
    text
}

/// Sends `request` on a new connection to `addr`; the status and body.
async fn send(addr: SocketAddr, request: Request<Body>) -> (StatusCode, bytes::Bytes) {
    let reply = http_common::send_to(addr, request).await;
    (reply.status, reply.body)
}

/// Waits up to `limit` until every check slot is free and no memory is
/// reserved; how long it took, or `None`.
async fn settles_within(state: &AppState, limit: Duration) -> Option<Duration> {
    let started = Instant::now();
    let limits = state.limits();
    while started.elapsed() < limit {
        if limits.slots.available() == limits.slots.max() && limits.memory.in_use_bytes() == 0 {
            return Some(started.elapsed());
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    None
}

#[tokio::test]
async fn a_check_past_its_deadline_stops_and_gives_its_slot_back() {
    let config = ServeConfig {
        timeout_ms: 100,
        max_concurrent: 1,
        ..config()
    };
    let (server, state) = TestServer::start_with_state(config).await;
    let long = json!({ "text": one_line(1_900_000), "include_diff": true });
    let started = Instant::now();
    let (status, body) = send(server.addr, post_json("/v1/check", &long)).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(String::from_utf8_lossy(&body).contains("check-timeout"));
    // Unfinished, the check would go on rendering thousands of spans, fixing and
    // diffing 1.9 MB; stopped, it gives its slot back within one stage.
    let freed = settles_within(&state, Duration::from_secs(30))
        .await
        .expect("the slot comes back");
    eprintln!(
        "503 after {:?}, slot free {freed:?} later",
        started.elapsed()
    );
    let (status, _) = send(
        server.addr,
        post_json("/v1/check", &json!({ "text": SPUN })),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
}

/// A connection whose receive window is a few KB, so that the server's writes
/// stall as soon as the kernel's buffers are full.
async fn narrow_connection(addr: SocketAddr) -> tokio::net::TcpStream {
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.set_recv_buffer_size(4096).unwrap();
    socket.connect(addr).await.unwrap()
}

#[tokio::test]
async fn while_the_large_text_slots_are_busy_a_long_body_is_refused_before_it_is_sent() {
    let (server, state) = TestServer::start_with_state(config()).await;
    let slots = &state.limits().slots;
    let held: Vec<_> = (0..slots.large_max())
        .map(|_| slots.try_take(Lane::Large).unwrap())
        .collect();
    // Headers that declare a long text, and not a byte of it: the answer
    // comes without the body, long before the request's time limit.
    let mut stream = tokio::net::TcpStream::connect(server.addr).await.unwrap();
    let head = format!(
        "POST /v1/check HTTP/1.1\r\nhost: test\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
        LARGE_TEXT + 1_000
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let started = Instant::now();
    let mut answer = vec![0u8; 4096];
    let read = tokio::time::timeout(Duration::from_secs(5), stream.read(&mut answer))
        .await
        .expect("answered without the body")
        .unwrap();
    let answer = String::from_utf8_lossy(&answer[..read]);
    assert!(answer.starts_with("HTTP/1.1 503"), "{answer}");
    assert!(
        answer.contains("shorter texts are still checked"),
        "{answer}"
    );
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!(state.limits().memory.in_use_bytes(), 0);
    drop(held);
}

#[tokio::test]
async fn clients_that_never_read_are_cut_off_and_their_memory_freed() {
    let config = ServeConfig {
        timeout_ms: 5_000,
        ..config()
    };
    let (server, state) = TestServer::start_with_state(config).await;
    // Fixed text, diff and spans: an answer of several MB per request.
    let body = json!({ "text": one_line(300_000), "include_diff": true }).to_string();
    let mut clients = Vec::new();
    for _ in 0..8 {
        let mut stream = narrow_connection(server.addr).await;
        let head = format!(
            "POST /v1/check HTTP/1.1\r\nhost: test\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
            body.len()
        );
        stream.write_all(head.as_bytes()).await.unwrap();
        stream.write_all(body.as_bytes()).await.unwrap();
        clients.push(stream);
    }
    // Nobody reads. The server gives up on each at the write time limit.
    let settled = settles_within(&state, Duration::from_secs(60)).await;
    assert!(
        settled.is_some(),
        "{} bytes still reserved for unread answers",
        state.limits().memory.in_use_bytes()
    );
    // Reading now, a client finds its answer cut short and the connection closed.
    let mut cut = 0;
    for mut stream in clients {
        let mut got = Vec::new();
        let read =
            tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut got)).await;
        assert!(read.is_ok(), "the connection is still open");
        let head_end = got.windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 4;
        let head = String::from_utf8_lossy(&got[..head_end]).to_ascii_lowercase();
        if !head.starts_with("http/1.1 200") {
            continue;
        }
        let length: usize = head
            .lines()
            .find_map(|l| l.strip_prefix("content-length: "))
            .unwrap()
            .trim()
            .parse()
            .unwrap();
        assert!(
            got.len() - head_end < length,
            "the whole answer of {length} bytes was kept for a client that did not read"
        );
        cut += 1;
    }
    assert!(cut > 0, "no check was answered");
}

#[tokio::test]
async fn shutdown_with_checks_in_flight_ends_within_the_grace() {
    let config = ServeConfig {
        timeout_ms: 1_000,
        ..config()
    };
    let grace = Duration::from_millis(1_000 + 1_000);
    let (mut server, state) = TestServer::start_with_state(config).await;
    let long = std::sync::Arc::new(json!({ "text": one_line(1_900_000), "include_diff": true }));
    let mut checks = Vec::new();
    for _ in 0..4 {
        let long = long.clone();
        let addr = server.addr;
        checks.push(tokio::spawn(async move {
            send(addr, post_json("/v1/check", &long)).await
        }));
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    let started = Instant::now();
    server.signal_shutdown();
    let task = server.task.take().unwrap();
    let result = tokio::time::timeout(grace + Duration::from_secs(2), task)
        .await
        .expect("the server stops within its grace")
        .unwrap();
    assert!(result.is_ok(), "{result:?}");
    eprintln!("stopped {:?} after the signal", started.elapsed());
    // The checks were stopped too, not left running on the blocking pool: each
    // ends with the stage it is in (at most one scan of its text).
    let settled = settles_within(&state, Duration::from_secs(30)).await;
    assert!(settled.is_some(), "checks still hold slots after shutdown");
    eprintln!("slots free {settled:?} after the server stopped");
    for check in checks {
        check.abort();
    }
}

#[tokio::test]
async fn while_the_large_text_slots_are_busy_short_texts_are_still_checked() {
    let (app, state) = http_common::app_with(&config());
    let slots = &state.limits().slots;
    let held: Vec<_> = (0..slots.large_max())
        .map(|_| slots.try_take(Lane::Large).unwrap())
        .collect();
    // A text of 256 KiB or more waits for a large-text slot: 503 at once ...
    let long = json!({ "text": one_line(LARGE_TEXT + 1_000) });
    let reply = http_common::call(&app, post_json("/v1/check", &long)).await;
    let problem = reply.assert_problem(503, "overloaded");
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("shorter texts are still checked"),
        "{problem}"
    );
    assert!(reply.headers.contains_key("retry-after"));
    // ... one just under it is checked.
    let short = json!({ "text": one_line(LARGE_TEXT - 1_000) });
    assert_eq!(
        http_common::call(&app, post_json("/v1/check", &short))
            .await
            .status,
        StatusCode::OK
    );
    drop(held);
    assert_eq!(
        http_common::call(&app, post_json("/v1/check", &long))
            .await
            .status,
        StatusCode::OK
    );
}
