//! `GET /metrics`: what the service is doing, in the Prometheus text format.
//!
//! | Metric | Labels | What it counts |
//! | --- | --- | --- |
//! | `unspun_http_requests_total` | `route`, `method`, `status` | requests answered |
//! | `unspun_http_request_duration_seconds` | `route` | time to the response head |
//! | `unspun_http_request_bytes_total` | `route` | request-body bytes read |
//! | `unspun_http_response_bytes_total` | `route` | response-body bytes sent |
//! | `unspun_rejected_total` | `reason` | requests refused by a limit or a policy (the problem type) |
//! | `unspun_spans_total` | `kind` | spans found by the checks |
//! | `unspun_checks_in_flight` | | checks running now |
//! | `unspun_check_slots` | | checks that may run at once |
//! | `unspun_model_load_seconds` | | time to build the checker at start-up |
//!
//! Routes are a fixed set ([`Route::label`]), so probing paths cannot grow the
//! metrics. Bodies are counted as they stream, so an NDJSON batch's bytes
//! are counted as they are written.

use super::problem::ProblemSlug;
use super::route::Route;
use super::AppState;
use crate::{Span, SpanKind};
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use hyper::body::{Body as HttpBody, Frame, SizeHint};
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::Registry;
use std::pin::Pin;
use std::sync::atomic::AtomicU64;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    route: &'static str,
    method: &'static str,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabel {
    route: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ReasonLabel {
    reason: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct KindLabel {
    kind: &'static str,
}

/// The problem types that are a limit or a policy refusing a request.
const REJECTIONS: &[&str] = &[
    "unauthorized",
    "origin-not-allowed",
    "rate-limited",
    "payload-too-large",
    "request-timeout",
    "check-timeout",
    "overloaded",
    "over-memory-budget",
];

fn duration_histogram() -> Histogram {
    // 0.1 ms to about 13 s.
    Histogram::new(exponential_buckets(0.0001, 2.0, 18))
}

/// The service's metrics.
pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    durations: Family<RouteLabel, Histogram, fn() -> Histogram>,
    request_bytes: Family<RouteLabel, Counter>,
    response_bytes: Family<RouteLabel, Counter>,
    rejected: Family<ReasonLabel, Counter>,
    spans: Family<KindLabel, Counter>,
    in_flight: Gauge,
    slots: Gauge,
    model_load: Gauge<f64, AtomicU64>,
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Metrics").finish_non_exhaustive()
    }
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics::new()
    }
}

impl Metrics {
    /// Empty metrics, registered under the `unspun_` prefix.
    pub fn new() -> Metrics {
        let mut registry = Registry::with_prefix("unspun");
        let requests = Family::<RequestLabels, Counter>::default();
        let durations: Family<RouteLabel, Histogram, fn() -> Histogram> =
            Family::new_with_constructor(duration_histogram);
        let request_bytes = Family::<RouteLabel, Counter>::default();
        let response_bytes = Family::<RouteLabel, Counter>::default();
        let rejected = Family::<ReasonLabel, Counter>::default();
        let spans = Family::<KindLabel, Counter>::default();
        let in_flight = Gauge::default();
        let slots = Gauge::default();
        let model_load = Gauge::<f64, AtomicU64>::default();
        registry.register("http_requests", "Requests answered", requests.clone());
        registry.register(
            "http_request_duration_seconds",
            "Time from a request's arrival to its response head",
            durations.clone(),
        );
        registry.register(
            "http_request_bytes",
            "Request-body bytes read",
            request_bytes.clone(),
        );
        registry.register(
            "http_response_bytes",
            "Response-body bytes sent",
            response_bytes.clone(),
        );
        registry.register(
            "rejected",
            "Requests refused by a limit or a policy, by problem type",
            rejected.clone(),
        );
        registry.register("spans", "Spans found, by kind", spans.clone());
        registry.register("checks_in_flight", "Checks running now", in_flight.clone());
        registry.register("check_slots", "Checks that may run at once", slots.clone());
        registry.register(
            "model_load_seconds",
            "Time to build the checker (dictionaries and models) at start-up",
            model_load.clone(),
        );
        Metrics {
            registry,
            requests,
            durations,
            request_bytes,
            response_bytes,
            rejected,
            spans,
            in_flight,
            slots,
            model_load,
        }
    }

    /// Records how long building the checker took.
    pub fn set_model_load_time(&self, took: Duration) {
        self.model_load.set(took.as_secs_f64());
    }

    /// Counts the spans of one check.
    pub fn count_spans(&self, spans: &[Span]) {
        let mut by_kind = [0u64; 2];
        for span in spans {
            by_kind[usize::from(span.kind != SpanKind::SpunWord)] += 1;
        }
        for (kind, count) in [SpanKind::SpunWord, SpanKind::TorturedPhrase]
            .into_iter()
            .zip(by_kind)
        {
            if count > 0 {
                self.spans
                    .get_or_create(&KindLabel {
                        kind: kind.as_str(),
                    })
                    .inc_by(count);
            }
        }
    }

    /// The metrics in the Prometheus text format, with the gauges read now.
    pub fn render(&self, state: &AppState) -> String {
        let slots = state.limits().slots.max();
        let busy = slots.saturating_sub(state.limits().slots.available());
        self.slots.set(i64::try_from(slots).unwrap_or(i64::MAX));
        self.in_flight.set(i64::try_from(busy).unwrap_or(i64::MAX));
        let mut out = String::with_capacity(8 * 1024);
        prometheus_client::encoding::prometheus_text::encode(&mut out, &self.registry)
            .expect("writing to a String cannot fail");
        out
    }
}

/// `GET /metrics`.
pub async fn serve_metrics(State(state): State<AppState>) -> Response {
    let body = state.metrics().render(&state);
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static(prometheus_client::encoding::prometheus_text::CONTENT_TYPE),
        )],
        body,
    )
        .into_response()
}

/// Middleware: counts each request, its latency and its bytes.
pub async fn measure(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let route = Route::of(request.uri().path()).label();
    let method = method_label(request.method());
    let metrics_state = state.clone();
    let request = request.map(|body| {
        let counter = metrics_state
            .metrics()
            .request_bytes
            .get_or_create(&RouteLabel { route })
            .clone();
        Body::new(Counted::new(body, counter))
    });
    let response = next.run(request).await;
    let metrics = state.metrics();
    let status = response.status().as_u16();
    metrics
        .requests
        .get_or_create(&RequestLabels {
            route,
            method,
            status,
        })
        .inc();
    metrics
        .durations
        .get_or_create(&RouteLabel { route })
        .observe(started.elapsed().as_secs_f64());
    if let Some(ProblemSlug(slug)) = response.extensions().get::<ProblemSlug>() {
        if let Some(reason) = REJECTIONS.iter().find(|r| *r == slug) {
            metrics
                .rejected
                .get_or_create(&ReasonLabel { reason })
                .inc();
        }
    }
    let counter = metrics
        .response_bytes
        .get_or_create(&RouteLabel { route })
        .clone();
    response.map(|body| Body::new(Counted::new(body, counter)))
}

fn method_label(method: &axum::http::Method) -> &'static str {
    use axum::http::Method;
    match *method {
        Method::GET => "GET",
        Method::POST => "POST",
        Method::HEAD => "HEAD",
        Method::OPTIONS => "OPTIONS",
        Method::PUT => "PUT",
        Method::DELETE => "DELETE",
        Method::PATCH => "PATCH",
        _ => "other",
    }
}

/// A body that adds the bytes of its data frames to a counter as they pass.
struct Counted {
    inner: Body,
    counter: Counter,
}

impl Counted {
    fn new(inner: Body, counter: Counter) -> Counted {
        Counted { inner, counter }
    }
}

impl HttpBody for Counted {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Self::Data>, Self::Error>>> {
        let polled = Pin::new(&mut self.inner).poll_frame(cx);
        if let Poll::Ready(Some(Ok(frame))) = &polled {
            if let Some(data) = frame.data_ref() {
                self.counter.inc_by(data.len() as u64);
            }
        }
        polled
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}
