//! Request logs: one line per request, for operators.
//!
//! Each line has the request id, the method, path, status, latency and the
//! request and response sizes. It never has the text, the query string or any
//! header value: the texts people check are often unpublished drafts, and the
//! query string and headers may hold an API key.
//!
//! Every response carries `X-Request-Id`: the client's own if it sent a
//! usable one (1 to 64 letters, digits, `-`, `_`, `.` or `:`), else one made
//! here, so that a client's report and the server's log line can be matched.

use axum::body::HttpBody as _;
use axum::extract::Request;
use axum::http::{header, HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use std::hash::{BuildHasher, RandomState};
use std::io::IsTerminal as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;
use std::time::Instant;

/// The request-id header.
pub static X_REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// A request's id, in its extensions for handlers that log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestId(pub HeaderValue);

fn usable(id: &HeaderValue) -> bool {
    let bytes = id.as_bytes();
    (1..=64).contains(&bytes.len())
        && bytes
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.:".contains(b))
}

/// A new id: 16 hex digits, unpredictable and unique within the process (a
/// counter through a keyed hash seeded at random once).
fn new_id() -> HeaderValue {
    static SEED: OnceLock<RandomState> = OnceLock::new();
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let hashed = SEED.get_or_init(RandomState::new).hash_one(n);
    HeaderValue::try_from(format!("{hashed:016x}")).expect("hex is a header value")
}

/// Middleware that logs one line per request at `info` level, target
/// `unspun::server::request`. Latency is to the response head: a streamed NDJSON
/// answer is still being written when its line is logged, so its size is absent.
pub async fn log_request(mut request: Request, next: Next) -> Response {
    let started = Instant::now();
    let id = match request.headers().get(&X_REQUEST_ID) {
        Some(id) if usable(id) => id.clone(),
        _ => new_id(),
    };
    request.extensions_mut().insert(RequestId(id.clone()));
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let request_bytes = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok())
        .or_else(|| request.body().size_hint().exact());
    let mut response = next.run(request).await;
    let latency_ms = started.elapsed().as_secs_f64() * 1000.0;
    tracing::info!(
        target: "unspun::server::request",
        request_id = %String::from_utf8_lossy(id.as_bytes()),
        method = %method,
        path = %path,
        status = response.status().as_u16(),
        latency_ms = format_args!("{latency_ms:.3}"),
        request_bytes,
        response_bytes = response.body().size_hint().exact(),
    );
    response.headers_mut().insert(X_REQUEST_ID.clone(), id);
    response
}

/// Installs a log subscriber writing to stderr, filtered by `RUST_LOG` (default
/// `info`), as text or as one JSON object per line. Does nothing if the
/// program already installed one.
pub fn init_logging(format: super::config::LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _ = match format {
        super::config::LogFormat::Text => builder
            .with_ansi(std::io::stderr().is_terminal())
            .with_target(false)
            .try_init(),
        super::config::LogFormat::Json => builder
            .json()
            .flatten_event(true)
            .with_current_span(false)
            .with_span_list(false)
            .try_init(),
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_client_id_is_kept_only_if_it_is_short_and_plain() {
        assert!(usable(&HeaderValue::from_static("req-42.a:b_c")));
        assert!(usable(&HeaderValue::from_str(&"a".repeat(64)).unwrap()));
        assert!(!usable(&HeaderValue::from_str(&"a".repeat(65)).unwrap()));
        assert!(!usable(&HeaderValue::from_static("")));
        assert!(!usable(&HeaderValue::from_static("a b")));
        assert!(!usable(&HeaderValue::from_static("a\"b")));
    }

    #[test]
    fn made_ids_differ() {
        assert_ne!(new_id(), new_id());
        assert_eq!(new_id().len(), 16);
    }
}
