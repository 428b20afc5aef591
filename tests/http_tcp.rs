//! A real server on a free loopback port, called over TCP: streaming, limits that
//! only show on a socket (huge uploads, slow clients) and graceful shutdown.
//! Every loop here is bounded in count and time.

#![cfg(feature = "server")]

mod http_common;

use axum::body::Body;
use axum::http::{Method, StatusCode};
use bytes::Bytes;
use http_body_util::BodyExt;
use http_common::{config, post_json, request, TestServer};
use serde_json::{json, Value};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use unspun::server::ServeConfig;

/// Spun text the checker flags whatever its tuning (the library's own examples).
const SPUN: &str = "The travel comes arsenic Mexico has worked to negociate with the Trump medication. Noem will travel to Mexico connected Friday to conscionable with Sheinbaum.";

#[tokio::test]
async fn check_over_tcp_returns_the_report() {
    let server = TestServer::start(config()).await;
    let reply = server
        .send(post_json("/v1/check", &json!({ "text": SPUN })))
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    let report = reply.json();
    assert!(
        report["fixed"]
            .as_str()
            .unwrap()
            .contains("comes as Mexico"),
        "{report}"
    );
    let reply = server.send(http_common::get("/nowhere")).await;
    reply.assert_problem(404, "not-found");
}

/// A response as raw bytes, read from a socket: status and the body after the head.
struct RawResponse {
    status: u16,
    head: String,
    body: Vec<u8>,
}

/// Reads one response with a `Content-Length` from `stream`.
async fn read_response(stream: &mut TcpStream) -> RawResponse {
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 8192];
    let head_end = loop {
        if let Some(i) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        let n = stream.read(&mut chunk).await.expect("read");
        assert!(n > 0, "connection closed before a response head");
        buffer.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8(buffer[..head_end].to_vec()).unwrap();
    let status = head[9..12].parse().unwrap();
    let length: usize = head
        .lines()
        .find_map(|l| {
            let (name, value) = l.split_once(':')?;
            name.eq_ignore_ascii_case("content-length")
                .then(|| value.trim().parse().unwrap())
        })
        .expect("a content-length");
    let mut body = buffer[head_end..].to_vec();
    while body.len() < length {
        let n = stream.read(&mut chunk).await.expect("read");
        assert!(n > 0, "connection closed inside the body");
        body.extend_from_slice(&chunk[..n]);
    }
    RawResponse { status, head, body }
}

fn problem_of(response: &RawResponse) -> Value {
    assert!(
        response
            .head
            .to_ascii_lowercase()
            .contains("content-type: application/problem+json"),
        "{}",
        response.head
    );
    serde_json::from_slice(&response.body).unwrap()
}

const HUNDRED_MB: u64 = 100 * 1024 * 1024;

#[tokio::test]
async fn a_declared_100_mb_body_is_refused_before_it_is_sent() {
    let server = TestServer::start(config()).await;
    let mut stream = TcpStream::connect(server.addr).await.unwrap();
    let head = format!(
        "POST /v1/check HTTP/1.1\r\nhost: test\r\ncontent-type: application/json\r\ncontent-length: {HUNDRED_MB}\r\n\r\n"
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    // Not a byte of the body is sent: the answer comes from the head alone.
    let response = tokio::time::timeout(Duration::from_secs(5), read_response(&mut stream))
        .await
        .expect("413 arrives without the body");
    assert_eq!(response.status, 413);
    let problem = problem_of(&response);
    assert_eq!(problem["type"], "/problems/payload-too-large");
    assert_eq!(problem["limit_bytes"], config().max_body_bytes);
}

#[tokio::test]
async fn a_chunked_100_mb_body_is_refused_long_before_its_end() {
    let server = TestServer::start(config()).await;
    let stream = TcpStream::connect(server.addr).await.unwrap();
    let (mut reader, mut writer) = stream.into_split();
    let sent = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
    let counter = sent.clone();
    let upload = tokio::spawn(async move {
        let head = "POST /v1/check HTTP/1.1\r\nhost: test\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n";
        writer.write_all(head.as_bytes()).await?;
        let chunk = vec![b' '; 64 * 1024];
        let framed = [
            format!("{:x}\r\n", chunk.len()).into_bytes(),
            chunk,
            b"\r\n".to_vec(),
        ]
        .concat();
        while counter.load(std::sync::atomic::Ordering::Relaxed) < HUNDRED_MB {
            writer.write_all(&framed).await?;
            counter.fetch_add(64 * 1024, std::sync::atomic::Ordering::Relaxed);
        }
        writer.write_all(b"0\r\n\r\n").await
    });
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 4096];
    let deadline = Instant::now() + Duration::from_secs(10);
    while !buffer.windows(4).any(|w| w == b"\r\n\r\n") && Instant::now() < deadline {
        match tokio::time::timeout(Duration::from_secs(10), reader.read(&mut chunk)).await {
            Ok(Ok(n)) if n > 0 => buffer.extend_from_slice(&chunk[..n]),
            _ => break,
        }
    }
    let sent_when_refused = sent.load(std::sync::atomic::Ordering::Relaxed);
    upload.abort();
    let text = String::from_utf8_lossy(&buffer);
    assert!(text.starts_with("HTTP/1.1 413"), "{text}");
    assert!(text.contains("payload-too-large"), "{text}");
    assert!(
        sent_when_refused < HUNDRED_MB / 4,
        "refused only after {sent_when_refused} bytes"
    );
}

#[tokio::test]
async fn two_hundred_slow_clients_do_not_stop_a_fast_one() {
    let server = TestServer::start(ServeConfig {
        timeout_ms: 3_000,
        max_concurrent: 4,
        ..config()
    })
    .await;
    // 200 clients that announce a body and send it one byte at a time.
    let mut slow = Vec::new();
    for _ in 0..200 {
        let mut stream = TcpStream::connect(server.addr).await.unwrap();
        let head = "POST /v1/check HTTP/1.1\r\nhost: test\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{";
        stream.write_all(head.as_bytes()).await.unwrap();
        slow.push(stream);
    }
    let trickle = tokio::spawn(async move {
        for _ in 0..5 {
            for stream in &mut slow {
                let _ = stream.write_all(b" ").await;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        slow
    });
    for _ in 0..5 {
        let started = Instant::now();
        let reply = server
            .send(post_json("/v1/check", &json!({ "text": SPUN })))
            .await;
        assert_eq!(reply.status, StatusCode::OK);
        assert!(
            started.elapsed() < Duration::from_secs(2),
            "fast client waited {:?}",
            started.elapsed()
        );
    }
    // The slow ones are cut off at the time limit with 408.
    let mut slow = trickle.await.unwrap();
    let response = tokio::time::timeout(Duration::from_secs(10), read_response(&mut slow[0]))
        .await
        .expect("the slow client gets an answer");
    assert_eq!(response.status, 408);
    assert_eq!(problem_of(&response)["type"], "/problems/request-timeout");
}

#[tokio::test]
async fn ndjson_results_stream_back_while_the_request_is_still_being_sent() {
    let server = TestServer::start(config()).await;
    let (lines_in, receiver) = tokio::sync::mpsc::channel::<Bytes>(4);
    let body_stream = futures_util::stream::unfold(receiver, |mut receiver| async move {
        receiver
            .recv()
            .await
            .map(|line| (Ok::<_, std::convert::Infallible>(line), receiver))
    });
    let mut request = request(
        Method::POST,
        "/v1/check/batch",
        Some("application/x-ndjson"),
        Body::from_stream(body_stream),
    );
    request
        .headers_mut()
        .insert("host", "test".parse().unwrap());
    let mut sender = server.connect().await;
    let response = tokio::spawn(async move { sender.send_request(request).await.unwrap() });
    lines_in
        .send(Bytes::from(format!(
            "{}\n",
            json!({ "id": 0, "text": SPUN })
        )))
        .await
        .unwrap();
    let response = response.await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "application/x-ndjson");
    let mut body = response.into_body();
    let mut pending = Vec::new();
    // Each result arrives before the next line is sent: nothing waits for the end.
    for id in 0..20 {
        let line = loop {
            if let Some(i) = pending.iter().position(|&b| b == b'\n') {
                let line: Vec<u8> = pending.drain(..=i).collect();
                break line;
            }
            let frame = tokio::time::timeout(Duration::from_secs(5), body.frame())
                .await
                .expect("a result before the next line is sent")
                .expect("more frames")
                .unwrap();
            if let Ok(data) = frame.into_data() {
                pending.extend_from_slice(&data);
            }
        };
        let result: Value = serde_json::from_slice(&line).unwrap();
        assert_eq!(result["id"], id);
        assert_eq!(result["line"], id + 1);
        let fixed = result["report"]["fixed"].as_str().unwrap();
        assert!(fixed.contains("comes as Mexico"), "{fixed}");
        if id < 19 {
            lines_in
                .send(Bytes::from(format!(
                    "{}\n",
                    json!({ "id": id + 1, "text": SPUN })
                )))
                .await
                .unwrap();
        }
    }
    drop(lines_in);
    let rest = body.collect().await.unwrap().to_bytes();
    assert!(rest.is_empty(), "{rest:?}");
}

#[tokio::test]
async fn shutdown_finishes_the_request_in_flight_then_returns_ok() {
    let mut server = TestServer::start(config()).await;
    let mut stream = TcpStream::connect(server.addr).await.unwrap();
    let body = json!({ "text": SPUN }).to_string();
    let head = format!(
        "POST /v1/check HTTP/1.1\r\nhost: test\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    stream.write_all(&body.as_bytes()[..10]).await.unwrap();
    tokio::time::sleep(Duration::from_millis(100)).await;
    server.signal_shutdown();
    tokio::time::sleep(Duration::from_millis(100)).await;
    // The server no longer accepts connections ...
    assert!(
        TcpStream::connect(server.addr).await.is_err(),
        "still accepting after shutdown"
    );
    // ... but the request in flight is answered.
    stream.write_all(&body.as_bytes()[10..]).await.unwrap();
    let response = tokio::time::timeout(Duration::from_secs(5), read_response(&mut stream))
        .await
        .unwrap();
    assert_eq!(response.status, 200);
    let task = server.task.take().unwrap();
    let result = tokio::time::timeout(Duration::from_secs(5), task)
        .await
        .expect("the server stops once the request is answered")
        .unwrap();
    assert!(result.is_ok(), "{result:?}");
}

/// Reads until the server closes the connection; panics if it stays open `limit`.
async fn assert_closed_within(stream: &mut TcpStream, limit: Duration) {
    let mut buffer = [0u8; 4096];
    let closed = tokio::time::timeout(limit, async {
        loop {
            match stream.read(&mut buffer).await {
                Ok(0) | Err(_) => break,
                Ok(_) => continue,
            }
        }
    })
    .await;
    assert!(
        closed.is_ok(),
        "the connection is still open after {limit:?}"
    );
}

#[tokio::test]
async fn connections_stalled_in_the_request_head_or_idle_are_closed() {
    let server = TestServer::start(ServeConfig {
        timeout_ms: 300,
        ..config()
    })
    .await;
    let mut stalled = TcpStream::connect(server.addr).await.unwrap();
    stalled
        .write_all(b"POST /v1/check HTTP/1.1\r\nhost: te")
        .await
        .unwrap();
    let mut idle = TcpStream::connect(server.addr).await.unwrap();
    idle.write_all(b"GET /healthz HTTP/1.1\r\nhost: test\r\n\r\n")
        .await
        .unwrap();
    assert_eq!(read_response(&mut idle).await.status, 200);
    let started = Instant::now();
    assert_closed_within(&mut stalled, Duration::from_secs(5)).await;
    assert_closed_within(&mut idle, Duration::from_secs(5)).await;
    assert!(started.elapsed() >= Duration::from_millis(100));
}

#[tokio::test]
async fn requests_the_http_layer_cannot_parse_get_problem_bodies() {
    let server = TestServer::start(config()).await;
    let long_uri = format!(
        "GET /v2/check?text={} HTTP/1.1\r\nhost: test\r\n\r\n",
        "a".repeat(70_000)
    );
    let many_headers = format!(
        "GET /healthz HTTP/1.1\r\nhost: test\r\n{}\r\n",
        (0..150)
            .map(|i| format!("x-h{i}: 1\r\n"))
            .collect::<String>()
    );
    let huge_header = format!(
        "GET /healthz HTTP/1.1\r\nhost: test\r\nx-filler: {}\r\n\r\n",
        "a".repeat(1100 * 1024)
    );
    for (raw, status, slug) in [
        ("NOT HTTP AT ALL\r\n\r\n".to_string(), 400, "malformed-http"),
        (
            "GET /healthz HTTP/1.1\r\nbad header\r\n\r\n".to_string(),
            400,
            "malformed-http",
        ),
        (long_uri, 414, "uri-too-long"),
        (many_headers, 431, "headers-too-large"),
        (huge_header, 431, "headers-too-large"),
    ] {
        let mut stream = TcpStream::connect(server.addr).await.unwrap();
        // The server may answer before it has read everything: ignore a reset.
        let _ = stream.write_all(raw.as_bytes()).await;
        let response = tokio::time::timeout(Duration::from_secs(5), read_response(&mut stream))
            .await
            .expect("an answer");
        assert_eq!(response.status, status, "{}", response.head);
        let problem = problem_of(&response);
        assert_eq!(problem["type"], format!("/problems/{slug}"));
        assert_eq!(problem["status"], status);
        assert!(
            response
                .head
                .to_ascii_lowercase()
                .contains("x-content-type-options: nosniff"),
            "{}",
            response.head
        );
    }
}
