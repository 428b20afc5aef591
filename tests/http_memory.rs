//! A 100 MB upload costs the server at most its body limit in memory.
//!
//! Alone in its test binary so that no other test's allocations blur the
//! process's peak resident size (`VmHWM` in `/proc/self/status`), which is read
//! before and after streaming 100 MB to a real server in this same process.

#![cfg(feature = "server")]

mod common;
mod http_common;

use http_common::{config, post_json, TestServer};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Peak resident set size of this process in KiB, where Linux reports it.
fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

#[tokio::test]
async fn a_100_mb_upload_is_refused_with_413_and_memory_stays_flat() {
    let Some(_) = peak_rss_kib() else {
        return common::skip("/proc/self/status has no VmHWM on this system");
    };
    let server = TestServer::start(config()).await;
    // Warm up: the checker, the runtime and a connection exist before measuring.
    let reply = server
        .send(post_json(
            "/v1/check",
            &serde_json::json!({ "text": "warm up" }),
        ))
        .await;
    assert!(reply.status.is_success());
    let before = peak_rss_kib().unwrap();

    for chunked in [false, true] {
        let stream = TcpStream::connect(server.addr).await.unwrap();
        let (mut reader, mut writer) = stream.into_split();
        let upload = tokio::spawn(async move {
            let total: usize = 100 * 1024 * 1024;
            let framing = if chunked {
                "transfer-encoding: chunked".to_string()
            } else {
                format!("content-length: {total}")
            };
            let head = format!("POST /v1/check HTTP/1.1\r\nhost: test\r\ncontent-type: application/json\r\n{framing}\r\n\r\n");
            writer.write_all(head.as_bytes()).await?;
            let chunk = vec![b' '; 64 * 1024];
            let mut sent = 0;
            while sent < total {
                if chunked {
                    writer
                        .write_all(format!("{:x}\r\n", chunk.len()).as_bytes())
                        .await?;
                }
                writer.write_all(&chunk).await?;
                if chunked {
                    writer.write_all(b"\r\n").await?;
                }
                sent += chunk.len();
            }
            if chunked {
                writer.write_all(b"0\r\n\r\n").await?;
            }
            Ok::<_, std::io::Error>(())
        });
        let mut response = Vec::new();
        let mut buffer = [0u8; 4096];
        while !response.windows(4).any(|w| w == b"\r\n\r\n") {
            match tokio::time::timeout(Duration::from_secs(10), reader.read(&mut buffer)).await {
                Ok(Ok(n)) if n > 0 => response.extend_from_slice(&buffer[..n]),
                other => panic!("no response head: {other:?}"),
            }
        }
        upload.abort();
        let text = String::from_utf8_lossy(&response);
        assert!(
            text.starts_with("HTTP/1.1 413"),
            "chunked={chunked}: {text}"
        );
    }

    let growth_kib = peak_rss_kib().unwrap().saturating_sub(before);
    let limit_kib = config().max_body_bytes / 1024;
    eprintln!("peak RSS grew by {growth_kib} KiB (body limit {limit_kib} KiB)");
    assert!(
        growth_kib < limit_kib + 6 * 1024,
        "peak RSS grew by {growth_kib} KiB for a refused 100 MB upload"
    );
}
