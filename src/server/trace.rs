//! Request logs: one line per request, for operators.
//!
//! Each line has the method, path, status, latency and the request and response
//! sizes. It never has the text, the query string or any header value: the texts
//! people check are often unpublished drafts.

use axum::body::HttpBody as _;
use axum::extract::Request;
use axum::http::header;
use axum::middleware::Next;
use axum::response::Response;
use std::io::IsTerminal as _;
use std::time::Instant;

/// Middleware that logs one line per request at `info` level, target
/// `unspun::server::request`. Latency is to the response head: a streamed NDJSON
/// answer is still being written when its line is logged, so its size is absent.
pub async fn log_request(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let request_bytes = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok())
        .or_else(|| request.body().size_hint().exact());
    let response = next.run(request).await;
    let latency_ms = started.elapsed().as_secs_f64() * 1000.0;
    tracing::info!(
        target: "unspun::server::request",
        method = %method,
        path = %path,
        status = response.status().as_u16(),
        latency_ms = format_args!("{latency_ms:.3}"),
        request_bytes,
        response_bytes = response.body().size_hint().exact(),
    );
    response
}

/// Installs a log subscriber writing to stderr, filtered by `RUST_LOG` (default
/// `info`). Does nothing if the program already installed one.
pub fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .with_target(false)
        .try_init();
}
