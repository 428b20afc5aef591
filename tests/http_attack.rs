//! The long-line attack: 64 clients that keep posting 1.9 MB of spun text on
//! one line (the body that once took 8 s and gigabytes to check) while an
//! editor checks 2 KB articles. The server must keep answering the editor
//! quickly, refuse what it cannot hold, and stay within its memory bound.
//!
//! Its own test binary, so that nothing else runs beside it: the latency and
//! the process's peak memory are this load's alone.

#![cfg(feature = "server")]

mod http_common;

use axum::body::Body;
use axum::http::{Method, StatusCode};
use bytes::Bytes;
use http_common::{config, request, TestServer};
use serde_json::json;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use unspun::server::ServeConfig;

/// Spun text the checker flags whatever its tuning (the library's own examples).
const SPUN: &str = "The travel comes arsenic Mexico has worked to negociate with the Trump medication. Noem will travel to Mexico connected Friday to conscionable with Sheinbaum.";

/// How many clients attack at once.
const ATTACKERS: usize = 64;

/// How long the attack lasts.
const ATTACK: Duration = Duration::from_secs(4);

/// The p99 latency of a 2 KB check under the attack that this test holds the
/// server to. The target (50 ms) is for the release server with its
/// clients elsewhere (bench/attack.sh measures it); here the 64 clients share
/// the test process and its two workers with the server, which measured
/// 58-102 ms on a loaded 2-core machine. The bound catches the stall (a
/// server without the large-text lane answers in seconds), not the target.
const P99_LIMIT: Duration = Duration::from_millis(250);

/// About `bytes` of dense spun prose on one line.
fn one_line(bytes: usize) -> String {
    let mut text = format!("{SPUN} ").repeat(bytes / (SPUN.len() + 1));
    text.truncate(text.trim_end().len());
    text
}

fn post(path: &str, body: &Bytes) -> axum::http::Request<Body> {
    request(
        Method::POST,
        path,
        Some("application/json"),
        Body::from(body.clone()),
    )
}

/// The process's peak resident memory so far, in bytes (Linux only).
fn peak_rss() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// Keeps posting `body` to `path` until `stop`, counting the answers by status.
async fn attack(
    addr: SocketAddr,
    body: Bytes,
    stop: Arc<AtomicBool>,
    ok: Arc<AtomicUsize>,
    refused: Arc<AtomicUsize>,
) {
    while !stop.load(Ordering::Relaxed) {
        let reply = match http_common::try_send_to(addr, post("/v1/check", &body)).await {
            Ok(reply) => reply,
            // Refused before its body was read, the connection closed while this
            // client was still uploading: a refusal the client saw as a cut.
            Err(cut) if cut.is_body_write_aborted() || is_connection_cut(&cut) => {
                refused.fetch_add(1, Ordering::Relaxed);
                continue;
            }
            Err(other) => panic!("attacker: {other:?}"),
        };
        match reply.status {
            StatusCode::OK => ok.fetch_add(1, Ordering::Relaxed),
            StatusCode::SERVICE_UNAVAILABLE => refused.fetch_add(1, Ordering::Relaxed),
            other => panic!("{other}: {}", reply.text()),
        };
    }
}

/// Whether the client's error is the server closing the connection under it
/// (a broken pipe or reset while writing, or the connection ending early).
fn is_connection_cut(error: &hyper::Error) -> bool {
    use std::error::Error as _;
    if error.is_incomplete_message() || error.is_closed() {
        return true;
    }
    let mut source = error.source();
    while let Some(inner) = source {
        if let Some(io) = inner.downcast_ref::<std::io::Error>() {
            return matches!(
                io.kind(),
                std::io::ErrorKind::BrokenPipe | std::io::ErrorKind::ConnectionReset
            );
        }
        source = inner.source();
    }
    false
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn small_checks_stay_fast_while_64_clients_post_long_lines() {
    let config = ServeConfig {
        timeout_ms: 10_000,
        ..config()
    };
    let budget = config.max_memory_bytes;
    let (server, state) = TestServer::start_with_state(config).await;
    let long = Bytes::from(json!({ "text": one_line(1_900_000) }).to_string());
    let article = Bytes::from(json!({ "text": one_line(2_000) }).to_string());
    // Warm: the first check loads what the checker loads lazily.
    let warm = http_common::send_to(server.addr, post("/v1/check", &article)).await;
    assert_eq!(warm.status, StatusCode::OK);
    let idle_rss = peak_rss();

    let stop = Arc::new(AtomicBool::new(false));
    let (ok, refused) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
    let attackers: Vec<_> = (0..ATTACKERS)
        .map(|_| {
            tokio::spawn(attack(
                server.addr,
                long.clone(),
                stop.clone(),
                ok.clone(),
                refused.clone(),
            ))
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(300)).await;

    // The editor: one 2 KB check after another, for as long as the attack lasts.
    let mut latencies = Vec::new();
    let started = Instant::now();
    while started.elapsed() < ATTACK {
        let sent = Instant::now();
        let reply = http_common::send_to(server.addr, post("/v1/check", &article)).await;
        latencies.push(sent.elapsed());
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    stop.store(true, Ordering::Relaxed);
    for attacker in attackers {
        tokio::time::timeout(Duration::from_secs(60), attacker)
            .await
            .expect("every attacker is answered")
            .unwrap();
    }

    latencies.sort();
    let at = |q: f64| latencies[((latencies.len() - 1) as f64 * q).round() as usize];
    let (p50, p99) = (at(0.5), at(0.99));
    let (ok, refused) = (ok.load(Ordering::Relaxed), refused.load(Ordering::Relaxed));
    eprintln!(
        "{} small checks during the attack: p50 {p50:?}, p99 {p99:?}, max {:?}; long lines: {ok} checked, {refused} refused",
        latencies.len(),
        latencies.last().unwrap()
    );
    assert!(
        latencies.len() >= 20,
        "only {} small checks",
        latencies.len()
    );
    assert!(p99 < P99_LIMIT, "p99 of a 2 KB check under attack: {p99:?}");
    // The server keeps working on the long lines it can hold, and refuses the rest.
    assert!(ok >= 1, "no long line was checked");
    assert!(
        refused >= ok,
        "{ok} long lines checked, only {refused} refused"
    );

    // Memory: the server holds at most its budget on top of its idle size; the
    // test's own clients hold each attacker's body and at most one answer.
    if let (Some(idle), Some(peak)) = (idle_rss, peak_rss()) {
        let clients = (ATTACKERS as u64) * (long.len() as u64) * 3;
        let bound = idle + budget + clients;
        eprintln!(
            "peak RSS {} MB (idle {} MB, bound {} MB)",
            peak >> 20,
            idle >> 20,
            bound >> 20
        );
        assert!(peak < bound, "peak RSS {peak} over {bound}");
    }
    let limits = state.limits();
    let settled = Instant::now();
    while limits.slots.available() < limits.slots.max() || limits.memory.in_use_bytes() > 0 {
        assert!(
            settled.elapsed() < Duration::from_secs(10),
            "slots or memory still held after every answer"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}
