//! 64 bodies of 2 MB at once stay within the server's memory budget, and the
//! memory comes back afterwards.
//!
//! Alone in its test binary so that no other test's allocations blur the
//! process's peak resident size (`VmHWM` in `/proc/self/status`), read before
//! and after the load on a real server in this same process.

#![cfg(feature = "server")]

mod http_common;

use axum::body::Body;
use axum::http::{Method, StatusCode};
use http_common::{config, request, TestServer};
use std::time::Duration;
use unspun::server::ServeConfig;

const SPUN: &str = "The travel comes arsenic Mexico has worked to negociate with the Trump medication. Noem will travel to Mexico connected Friday to conscionable with Sheinbaum.";

/// A field of `/proc/self/status` in KiB, where Linux reports it.
fn status_kib(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

const BUDGET: u64 = 256 << 20;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sixty_four_2_mb_bodies_stay_within_the_memory_budget() {
    if status_kib("VmHWM:").is_none() {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI runs on Linux: /proc/self/status must have VmHWM"
        );
        eprintln!("SKIPPED: /proc/self/status has no VmHWM on this system");
        return;
    }
    let config = ServeConfig {
        max_memory_bytes: BUDGET,
        timeout_ms: 20_000,
        ..config()
    };
    let (server, state) = TestServer::start_with_state(config.clone()).await;
    let text = format!("{SPUN} ").repeat(2_000_000 / (SPUN.len() + 1));
    let body = bytes::Bytes::from(serde_json::json!({ "text": text }).to_string());
    assert!(body.len() as u64 <= config.max_body_bytes);
    drop(text);
    let send = |body: bytes::Bytes| {
        let addr = server.addr;
        async move {
            let reply = http_common::send_to(
                addr,
                request(
                    Method::POST,
                    "/v1/check",
                    Some("application/json"),
                    Body::from(body),
                ),
            )
            .await;
            // Read and drop: only its length is kept.
            (reply.status, reply.body.len())
        }
    };
    // Warm up: the checker, the runtime and a check of this size exist first.
    let (status, _) = send(body.clone()).await;
    assert_eq!(status, StatusCode::OK);
    let before = status_kib("VmHWM:").unwrap();

    let load: Vec<_> = (0..64).map(|_| tokio::spawn(send(body.clone()))).collect();
    let (mut answered, mut refused) = (0, 0);
    for task in load {
        let (status, _) = tokio::time::timeout(Duration::from_secs(120), task)
            .await
            .expect("every request is answered")
            .unwrap();
        match status {
            StatusCode::OK => answered += 1,
            StatusCode::SERVICE_UNAVAILABLE => refused += 1,
            other => panic!("unexpected {other}"),
        }
    }
    let growth_kib = status_kib("VmHWM:").unwrap().saturating_sub(before);
    eprintln!(
        "64 x 2 MB: {answered} answered, {refused} refused; peak RSS grew by {} MiB (budget {} MiB)",
        growth_kib / 1024,
        BUDGET >> 20
    );
    assert!(answered >= 1, "the budget holds at least one such check");
    // The budget, plus the connections' buffers and the allocator's slack.
    let bound_kib = (BUDGET >> 10) + 96 * 1024;
    assert!(
        growth_kib < bound_kib,
        "peak RSS grew by {growth_kib} KiB, over {bound_kib} KiB"
    );
    assert_eq!(state.limits().memory.in_use_bytes(), 0);
    // Memory freed by the checks goes back to the system.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let now_kib = status_kib("VmRSS:").unwrap();
    let peak_kib = status_kib("VmHWM:").unwrap();
    eprintln!(
        "RSS now {} MiB, peak {} MiB",
        now_kib / 1024,
        peak_kib / 1024
    );
    assert!(
        now_kib < before + 128 * 1024,
        "{now_kib} KiB still resident after the load (before: {before} KiB)"
    );
}
