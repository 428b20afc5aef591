//! Rate limits: one client cannot take the whole service.
//!
//! Each caller (its API key's name, or without keys its address) has two token
//! buckets ([`governor`]'s GCRA): one of requests, one of request-body bytes.
//! A request over either gets 429 with `Retry-After`, and every limited
//! response says where the caller stands in the `RateLimit-Policy` and
//! `RateLimit` headers of the IETF draft (`"requests";q=20;w=1`: a quota of 20
//! that refills in 1 s; `"requests";r=7;t=1`: 7 left, full again in 1 s).
//!
//! A body with a `Content-Length` is charged before it is read; a chunked body
//! is charged as its chunks arrive, and reading it stops at the first chunk
//! over the rate. Health checks and `/metrics` are not limited.

use super::problem::ApiError;
use super::route::Route;
use super::{AppState, ServeConfig};
use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, HeaderMap, HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use governor::clock::{Clock, DefaultClock};
use governor::middleware::StateInformationMiddleware;
use governor::state::keyed::DashMapStateStore;
use governor::{Quota, RateLimiter};
use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// Who a request is charged to.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Caller {
    /// The name of the request's API key.
    Key(Arc<str>),
    /// The client's address (without keys).
    Address(IpAddr),
    /// No address is known (a router called in-process).
    Unknown,
}

/// The peer address of a connection, put in each request's extensions by the
/// server loop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientAddress(pub SocketAddr);

type Limiter =
    RateLimiter<Caller, DashMapStateStore<Caller>, DefaultClock, StateInformationMiddleware>;

/// One bucket per caller, of requests or of bytes.
struct Bucket {
    /// `requests` or `bytes`: the policy's name in the headers.
    name: &'static str,
    limiter: Limiter,
    per_second: u32,
    burst: u32,
}

impl std::fmt::Debug for Bucket {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Bucket")
            .field("name", &self.name)
            .field("per_second", &self.per_second)
            .field("burst", &self.burst)
            .finish()
    }
}

impl Bucket {
    fn new(name: &'static str, per_second: NonZeroU32, burst: NonZeroU32) -> Bucket {
        let quota = Quota::per_second(per_second).allow_burst(burst);
        Bucket {
            name,
            limiter: RateLimiter::dashmap(quota).with_middleware::<StateInformationMiddleware>(),
            per_second: per_second.get(),
            burst: burst.get(),
        }
    }

    /// Seconds for an empty bucket to fill.
    fn window(&self) -> u64 {
        u64::from(self.burst)
            .div_ceil(u64::from(self.per_second))
            .max(1)
    }

    fn policy(&self) -> String {
        format!("\"{}\";q={};w={}", self.name, self.burst, self.window())
    }

    /// Seconds until a bucket with `remaining` left is full again.
    fn refill_seconds(&self, remaining: u32) -> u64 {
        u64::from(self.burst.saturating_sub(remaining)).div_ceil(u64::from(self.per_second))
    }

    /// Takes `n` tokens for `caller`: `Ok(remaining)`, or `Err(seconds to wait)`.
    fn take(&self, caller: &Caller, n: u32) -> Result<u32, u64> {
        let Some(n) = NonZeroU32::new(n) else {
            return Ok(self.burst);
        };
        match self.limiter.check_key_n(caller, n) {
            Ok(Ok(snapshot)) => Ok(snapshot.remaining_burst_capacity()),
            Ok(Err(not_until)) => {
                let wait = not_until.wait_time_from(self.limiter.clock().now());
                Err(whole_seconds(wait))
            }
            // More than the bucket holds: it could never pass, so it is not
            // charged here (the body-size limit answers it).
            Err(_insufficient) => Ok(0),
        }
    }
}

fn whole_seconds(wait: Duration) -> u64 {
    let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
    seconds.max(1)
}

/// The rate limits in force.
#[derive(Debug)]
pub struct RateLimits {
    requests: Option<Bucket>,
    bytes: Option<Bucket>,
    address_header: Option<HeaderName>,
    policy: HeaderValue,
    decisions: AtomicU64,
}

/// Callers whose buckets have refilled are forgotten every this many decisions,
/// so that a stream of new addresses cannot grow the server's memory.
const FORGET_EVERY: u64 = 4096;

impl RateLimits {
    /// The limits `config` asks for, or `None` if it sets none. Fails on a
    /// client-address header that is not a header name.
    pub fn from_config(config: &ServeConfig) -> Result<Option<RateLimits>, String> {
        let requests = config
            .rate_limit_requests
            .map(|rate| Bucket::new("requests", rate, config.rate_limit_burst.unwrap_or(rate)));
        let bytes = config.rate_limit_bytes.map(|rate| {
            let body = u32::try_from(config.max_body_bytes).unwrap_or(u32::MAX);
            let burst = NonZeroU32::new(rate.get().max(body)).unwrap_or(rate);
            Bucket::new("bytes", rate, burst)
        });
        if requests.is_none() && bytes.is_none() {
            return Ok(None);
        }
        let address_header = config
            .client_address_header
            .as_deref()
            .map(|name| {
                HeaderName::try_from(name)
                    .map_err(|_| format!("--client-address-header {name:?} is not a header name"))
            })
            .transpose()?;
        let policy: Vec<String> = [&requests, &bytes]
            .into_iter()
            .flatten()
            .map(Bucket::policy)
            .collect();
        let policy = HeaderValue::try_from(policy.join(", ")).expect("policies are ASCII");
        Ok(Some(RateLimits {
            requests,
            bytes,
            address_header,
            policy,
            decisions: AtomicU64::new(0),
        }))
    }

    /// Who `request` is charged to: its key's name if it has one, else the
    /// address from the configured header, else the connection's peer.
    fn caller_of(&self, request: &Request) -> Caller {
        if let Some(caller) = request.extensions().get::<Caller>() {
            return caller.clone();
        }
        if let Some(name) = &self.address_header {
            let forwarded = request
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.rsplit(',').next())
                .and_then(|v| v.trim().parse::<IpAddr>().ok());
            if let Some(address) = forwarded {
                return Caller::Address(address);
            }
        }
        match request.extensions().get::<ClientAddress>() {
            Some(ClientAddress(peer)) => Caller::Address(peer.ip()),
            None => Caller::Unknown,
        }
    }

    fn forget_idle_callers(&self) {
        if self.decisions.fetch_add(1, Ordering::Relaxed) % FORGET_EVERY == FORGET_EVERY - 1 {
            for bucket in [&self.requests, &self.bytes].into_iter().flatten() {
                bucket.limiter.retain_recent();
                bucket.limiter.shrink_to_fit();
            }
        }
    }

    fn refuse(&self, bucket: &Bucket, retry_after: u64) -> Response {
        let what = if bucket.name == "bytes" {
            "request-body bytes"
        } else {
            "requests"
        };
        let mut response = ApiError::RateLimited { what, retry_after }.into_response();
        let state = format!("\"{}\";r=0;t={retry_after}", bucket.name);
        self.add_headers(response.headers_mut(), state);
        response
    }

    fn add_headers(&self, headers: &mut HeaderMap, state: String) {
        headers.insert(RATELIMIT_POLICY.clone(), self.policy.clone());
        if let Ok(value) = HeaderValue::try_from(state) {
            headers.insert(RATELIMIT.clone(), value);
        }
    }
}

static RATELIMIT_POLICY: HeaderName = HeaderName::from_static("ratelimit-policy");
static RATELIMIT: HeaderName = HeaderName::from_static("ratelimit");

/// Middleware: charges each request to its caller, or answers 429.
pub async fn limit(
    axum::extract::State(state): axum::extract::State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let Some(limits) = state.rate_limits() else {
        return next.run(request).await;
    };
    if Route::of(request.uri().path()).exempt_from_rate_limits() {
        return next.run(request).await;
    }
    limits.forget_idle_callers();
    let caller = limits.caller_of(&request);
    let mut standing = Vec::new();
    if let Some(bucket) = &limits.requests {
        match bucket.take(&caller, 1) {
            Ok(remaining) => standing.push(format!(
                "\"requests\";r={remaining};t={}",
                bucket.refill_seconds(remaining)
            )),
            Err(retry_after) => return limits.refuse(bucket, retry_after),
        }
    }
    let mut request = request;
    if let Some(bucket) = &limits.bytes {
        let declared = request
            .headers()
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<u64>().ok());
        match declared {
            Some(length) => {
                let n = u32::try_from(length).unwrap_or(u32::MAX);
                match bucket.take(&caller, n) {
                    Ok(remaining) => standing.push(format!(
                        "\"bytes\";r={remaining};t={}",
                        bucket.refill_seconds(remaining)
                    )),
                    Err(retry_after) => return limits.refuse(bucket, retry_after),
                }
            }
            None => {
                let state = state.clone();
                request = request.map(|body| charged(body, state, caller.clone()));
            }
        }
    }
    let mut response = next.run(request).await;
    limits.add_headers(response.headers_mut(), standing.join(", "));
    response
}

/// The error a chunked body gives when a chunk is over the caller's byte rate.
#[derive(Debug, thiserror::Error)]
#[error("over the rate limit of request-body bytes per second; retry after {retry_after} s")]
pub struct BodyOverRate {
    /// Seconds until the chunk would be allowed.
    pub retry_after: u64,
}

/// A body that charges each chunk to `caller`'s byte bucket as it arrives.
fn charged(body: Body, state: AppState, caller: Caller) -> Body {
    let stream = body.into_data_stream();
    let stream = futures_util::StreamExt::map(stream, move |chunk: Result<Bytes, axum::Error>| {
        let chunk = chunk.map_err(axum::Error::new)?;
        let bucket = state
            .rate_limits()
            .and_then(|limits| limits.bytes.as_ref())
            .expect("charged bodies exist only with a byte limit");
        let n = u32::try_from(chunk.len()).unwrap_or(u32::MAX);
        match bucket.take(&caller, n) {
            Ok(_) => Ok(chunk),
            Err(retry_after) => Err(axum::Error::new(BodyOverRate { retry_after })),
        }
    });
    Body::from_stream(stream)
}

/// The answer to a request whose body could not be read: 429 if a chunk was
/// over the byte rate, else 400 naming the error.
pub fn body_read_error(error: &(dyn std::error::Error + 'static)) -> ApiError {
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(current) = cause {
        if let Some(over) = current.downcast_ref::<BodyOverRate>() {
            return ApiError::RateLimited {
                what: "request-body bytes",
                retry_after: over.retry_after,
            };
        }
        cause = current.source();
    }
    ApiError::InvalidRequest(format!("the request body could not be read: {error}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(requests: u32, burst: u32) -> ServeConfig {
        ServeConfig {
            rate_limit_requests: NonZeroU32::new(requests),
            rate_limit_burst: NonZeroU32::new(burst),
            ..ServeConfig::default()
        }
    }

    #[test]
    fn no_limit_configured_means_no_limiter() {
        assert!(RateLimits::from_config(&ServeConfig::default())
            .unwrap()
            .is_none());
    }

    #[test]
    fn a_caller_gets_its_burst_then_waits_while_others_are_served() {
        let limits = RateLimits::from_config(&config(1, 3)).unwrap().unwrap();
        let bucket = limits.requests.as_ref().unwrap();
        let a = Caller::Key("a".into());
        assert_eq!(bucket.take(&a, 1), Ok(2));
        assert_eq!(bucket.take(&a, 1), Ok(1));
        assert_eq!(bucket.take(&a, 1), Ok(0));
        assert_eq!(bucket.take(&a, 1), Err(1));
        assert_eq!(bucket.take(&Caller::Key("b".into()), 1), Ok(2));
        assert_eq!(bucket.policy(), "\"requests\";q=3;w=3");
    }

    #[test]
    fn the_byte_burst_holds_the_largest_body() {
        let limits = RateLimits::from_config(&ServeConfig {
            rate_limit_bytes: NonZeroU32::new(1000),
            max_body_bytes: 5000,
            ..ServeConfig::default()
        })
        .unwrap()
        .unwrap();
        let bucket = limits.bytes.as_ref().unwrap();
        let a = Caller::Unknown;
        assert_eq!(bucket.take(&a, 5000), Ok(0));
        assert!(bucket.take(&a, 1000).is_err());
        assert_eq!(limits.policy, "\"bytes\";q=5000;w=5");
    }

    #[test]
    fn a_bad_address_header_name_is_refused() {
        let mut bad = config(1, 1);
        bad.client_address_header = Some("X Real IP".into());
        assert!(RateLimits::from_config(&bad).is_err());
    }
}
