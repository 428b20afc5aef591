//! The HTTP service: `unspun serve`, a thin face over [`Checker`].
//!
//! CMS plugins and editorial tools call the checker over HTTP. This module knows
//! HTTP and nothing of the CLI: the CLI builds a [`Checker`] (with the user's
//! dictionaries and allowlists) and a [`ServeConfig`] from its flags, and calls
//! [`serve`].
//!
//! | Endpoint | What it does |
//! | --- | --- |
//! | `POST /v1/check` | checks one text, returns the report ([`v1`]) |
//! | `POST /v1/check/batch` | checks many, as a JSON array or NDJSON streamed in and out ([`batch`]) |
//! | `GET /v1/dictionaries` | the loaded dictionaries |
//! | `GET /healthz` | liveness |
//! | `/v2/check`, `/v2/languages`, `/v2/info`, `/v2/healthcheck` | the LanguageTool API v2, for existing editor plugins ([`languagetool`]) |
//! | `GET /openapi.yaml` | the API description (the repository's `openapi.yaml`) |
//! | `GET /problems/{slug}` | what an error type means |
//! | `GET /metrics` | counters and histograms for Prometheus ([`metrics`]) |
//!
//! Every error is `application/problem+json` ([`problem`]). The [`limits`] (body
//! size, time, concurrent checks) come from [`ServeConfig`]. For a server that is
//! exposed, the operator adds API keys ([`access`]), rate limits per key or
//! client ([`rate`]) and the web origins allowed to call it ([`origin`]); every
//! response has an `X-Request-Id` that its log line shares ([`trace`]).
//!
//! Each request passes, in order: the log line and request id, metrics, CORS,
//! the origin policy, the API key, the rate limits, then its handler. So a
//! refused request is logged, counted and readable by an allowed page, and the
//! rate limits are kept per key.
//!
//! ```no_run
//! # async fn run() -> std::io::Result<()> {
//! let checker = unspun::Checker::new();
//! unspun::server::serve(checker, unspun::server::ServeConfig::default()).await
//! # }
//! ```

pub mod access;
pub mod batch;
pub mod budget;
pub mod config;
pub mod io;
pub mod languagetool;
pub mod limits;
pub mod metrics;
pub mod origin;
pub mod problem;
pub mod rate;
pub mod request;
pub mod route;
pub mod trace;
pub mod v1;

pub use config::{LogFormat, ServeConfig, SetupError};

use crate::{CheckOptions, Checker};
use axum::extract::Request;
use axum::http::header;
use axum::middleware::from_fn_with_state;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use limits::{Limits, Slots};
use problem::ApiError;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;
use tower_http::catch_panic::CatchPanicLayer;

/// What every handler shares: the checker and the limits. Cheap to clone.
#[derive(Debug, Clone)]
pub struct AppState {
    inner: Arc<Shared>,
}

#[derive(Debug)]
struct Shared {
    checker: Checker,
    defaults: CheckOptions,
    limits: Limits,
    dictionaries_json: Vec<u8>,
    batch_parallelism: usize,
    api_keys: Option<access::ApiKeys>,
    require_key_everywhere: bool,
    rate_limits: Option<rate::RateLimits>,
    origin_policy: origin::OriginPolicy,
    metrics: metrics::Metrics,
}

impl AppState {
    /// State for a server checking with `checker` under the limits and
    /// policies of `config`, with the library's default options. Fails when
    /// the key file cannot be read or a flag's value is not usable.
    pub fn new(checker: Checker, config: &ServeConfig) -> Result<Self, SetupError> {
        AppState::with_defaults(checker, CheckOptions::default(), config)
    }

    /// Like [`AppState::new`], with `defaults` for the options a request does not
    /// give: `min_confidence`, `fix_threshold` and `dictionaries` are replaced by
    /// a request's own, `allow` is added to. (`include_fixed` and `include_diff`
    /// keep the API's defaults: fixed text yes, diff no.)
    pub fn with_defaults(
        checker: Checker,
        defaults: CheckOptions,
        config: &ServeConfig,
    ) -> Result<Self, SetupError> {
        let api_keys = config
            .api_key_file
            .as_deref()
            .map(access::ApiKeys::load)
            .transpose()?;
        let rate_limits = rate::RateLimits::from_config(config).map_err(SetupError::RateLimit)?;
        let origin_policy =
            origin::OriginPolicy::from_flags(&config.cors_origins).map_err(SetupError::Origin)?;
        let dictionaries_json = v1::dictionaries_json(&checker);
        let max_concurrent = usize::try_from(config.max_concurrent).unwrap_or(usize::MAX);
        let batch_parallelism = std::thread::available_parallelism()
            .map_or(2, |n| n.get())
            .min(max_concurrent);
        Ok(AppState {
            inner: Arc::new(Shared {
                checker,
                defaults,
                limits: Limits {
                    max_body_bytes: config.max_body_bytes,
                    timeout: config.timeout(),
                    slots: Slots::new(max_concurrent),
                    memory: budget::MemoryBudget::new(config.max_memory_bytes),
                },
                dictionaries_json,
                batch_parallelism,
                api_keys,
                require_key_everywhere: config.require_key_everywhere,
                rate_limits,
                origin_policy,
                metrics: metrics::Metrics::new(),
            }),
        })
    }

    /// The checker.
    pub fn checker(&self) -> &Checker {
        &self.inner.checker
    }

    /// The options used where a request gives none.
    pub fn defaults(&self) -> &CheckOptions {
        &self.inner.defaults
    }

    /// The limits in force.
    pub fn limits(&self) -> &Limits {
        &self.inner.limits
    }

    /// The pre-rendered body of `GET /v1/dictionaries`.
    fn dictionaries_json(&self) -> &[u8] {
        &self.inner.dictionaries_json
    }

    /// The API keys, if the server requires them.
    pub fn api_keys(&self) -> Option<&access::ApiKeys> {
        self.inner.api_keys.as_ref()
    }

    /// Whether the routes that are otherwise open need a key too.
    fn require_key_everywhere(&self) -> bool {
        self.inner.require_key_everywhere
    }

    /// The rate limits, if any are set.
    fn rate_limits(&self) -> Option<&rate::RateLimits> {
        self.inner.rate_limits.as_ref()
    }

    /// The web origins allowed to call the service.
    fn origin_policy(&self) -> &origin::OriginPolicy {
        &self.inner.origin_policy
    }

    /// The service's metrics.
    pub fn metrics(&self) -> &metrics::Metrics {
        &self.inner.metrics
    }

    /// How many lines of one NDJSON stream are checked at once.
    fn batch_parallelism(&self) -> usize {
        self.inner.batch_parallelism
    }
}

/// The whole service as an axum [`Router`]: routes, error fallbacks, the
/// access policies, panic catching, metrics and request logs. Tests call it
/// in-process; [`serve`] runs it.
pub fn router(state: AppState) -> Router {
    let cors = state.origin_policy().cors_layer();
    let routes = Router::new()
        .route("/v1/check", post(v1::check))
        .route("/v1/check/batch", post(batch::check_batch))
        .route("/v1/dictionaries", get(v1::dictionaries))
        .route(
            "/v2/check",
            get(languagetool::check).post(languagetool::check),
        )
        .route("/v2/languages", get(languagetool::languages))
        .route("/v2/healthcheck", get(languagetool::healthcheck))
        .route("/v2/info", get(languagetool::info))
        .route("/healthz", get(v1::healthz))
        .route("/openapi.yaml", get(v1::openapi))
        .route("/problems/{slug}", get(v1::problem_doc))
        .route("/metrics", get(metrics::serve_metrics))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .with_state(state.clone())
        .layer(CatchPanicLayer::custom(panic_to_problem))
        .layer(from_fn_with_state(state.clone(), rate::limit))
        .layer(from_fn_with_state(state.clone(), access::authenticate))
        .layer(from_fn_with_state(
            state.clone(),
            origin::refuse_foreign_pages,
        ));
    let routes = match cors {
        Some(cors) => routes.layer(cors),
        None => routes,
    };
    routes
        .layer(from_fn_with_state(state, metrics::measure))
        .layer(axum::middleware::from_fn(no_sniffing))
        .layer(axum::middleware::from_fn(trace::log_request))
}

/// Sets `X-Content-Type-Options: nosniff` on every response, so that no browser
/// reads a plain-text error (which may quote a request) as HTML.
async fn no_sniffing(request: Request, next: axum::middleware::Next) -> Response {
    let mut response = next.run(request).await;
    response.headers_mut().insert(
        header::X_CONTENT_TYPE_OPTIONS,
        header::HeaderValue::from_static("nosniff"),
    );
    response
}

async fn not_found(request: Request) -> ApiError {
    ApiError::NotFound {
        path: request.uri().path().to_owned(),
    }
}

async fn method_not_allowed(request: Request) -> ApiError {
    ApiError::MethodNotAllowed {
        method: request.method().to_string(),
        path: request.uri().path().to_owned(),
    }
}

fn panic_to_problem(_panic: Box<dyn std::any::Any + Send + 'static>) -> Response {
    ApiError::Internal("the server failed while handling the request".into()).into_response()
}

/// Serves on `config.addr` until SIGINT or SIGTERM, then stops accepting,
/// finishes the requests in flight and returns `Ok(())`.
///
/// Installs a stderr log subscriber (`RUST_LOG`, default `info`) unless the
/// program has one.
pub async fn serve(checker: Checker, config: ServeConfig) -> std::io::Result<()> {
    serve_with(checker, CheckOptions::default(), config, Duration::ZERO).await
}

/// Like [`serve`], with server-wide `defaults` for the per-request options (see
/// [`AppState::with_defaults`]), e.g. from the CLI's `--min-confidence`, and
/// the time building `checker` took (`unspun_model_load_seconds`).
pub async fn serve_with(
    checker: Checker,
    defaults: CheckOptions,
    config: ServeConfig,
    model_load: Duration,
) -> std::io::Result<()> {
    trace::init_logging(config.log_format);
    let state = AppState::with_defaults(checker, defaults, &config)?;
    state.metrics().set_model_load_time(model_load);
    let listener = tokio::net::TcpListener::bind(config.addr).await?;
    serve_state_on(listener, state, config, shutdown_signal()).await
}

/// Serves on an already bound `listener` until `shutdown` completes, then stops
/// accepting and finishes the requests in flight. Requests end within the time
/// limit; a connection still open after that (an NDJSON stream, say) is dropped.
///
/// Connections are HTTP/1.1. A connection that sends no complete request head
/// within the time limit (a client that stalls mid-head, or an idle keep-alive
/// connection) is closed, so stalled clients cannot pile up.
pub async fn serve_on(
    listener: tokio::net::TcpListener,
    checker: Checker,
    config: ServeConfig,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let state = AppState::new(checker, &config)?;
    serve_state_on(listener, state, config, shutdown).await
}

/// Like [`serve_on`], with a state made beforehand (so that the caller can
/// watch its limits, e.g. the memory in use). `state` should be made from
/// `config`.
pub async fn serve_state_on(
    listener: tokio::net::TcpListener,
    state: AppState,
    config: ServeConfig,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    use hyper_util::rt::{TokioIo, TokioTimer};
    use hyper_util::service::TowerToHyperService;

    let address = listener.local_addr()?;
    let grace = config.timeout() + Duration::from_secs(1);
    #[cfg(unix)]
    if state.api_keys().is_some() {
        tokio::spawn(reload_keys_on_hangup(state.clone()));
    }
    let app = router(state);
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(config.timeout());
    let connections = hyper_util::server::graceful::GracefulShutdown::new();
    tracing::info!("unspun listening on http://{address}");
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    // Out of file descriptors and the like: wait rather than spin.
                    tracing::warn!("accepting a connection failed: {error}");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        // Small answers must not wait for Nagle's algorithm.
        let _ = stream.set_nodelay(true);
        let service = tower::ServiceExt::map_request(
            app.clone(),
            move |mut request: hyper::Request<hyper::body::Incoming>| {
                request.extensions_mut().insert(rate::ClientAddress(peer));
                request
            },
        );
        let service = TowerToHyperService::new(service);
        let stream = io::WriteTimeout::new(io::ParseErrors::new(stream), config.timeout());
        let connection = http.serve_connection(TokioIo::new(stream), service);
        let connection = connections.watch(connection);
        tokio::spawn(async move {
            if let Err(error) = connection.await {
                tracing::debug!("connection ended with an error: {error}");
            }
        });
    }
    drop(listener);
    tracing::info!("shutting down: finishing the requests in flight");
    if tokio::time::timeout(grace, connections.shutdown())
        .await
        .is_err()
    {
        tracing::warn!("connections still open after {grace:?}; closing them");
    }
    Ok(())
}

/// Reads the API key file again on every SIGHUP; a bad file leaves the keys
/// in force as they were.
#[cfg(unix)]
async fn reload_keys_on_hangup(state: AppState) {
    use tokio::signal::unix::{signal, SignalKind};
    let Ok(mut hangups) = signal(SignalKind::hangup()) else {
        tracing::warn!("cannot listen for SIGHUP: the API keys will not be reloaded");
        return;
    };
    while hangups.recv().await.is_some() {
        let Some(keys) = state.api_keys() else { return };
        match keys.reload() {
            Ok(count) => tracing::info!("SIGHUP: API keys reloaded, {count} in force"),
            Err(error) => tracing::warn!("SIGHUP: {error}; the keys in force are kept"),
        }
    }
}

/// Completes on SIGINT (Ctrl-C) or, on Unix, SIGTERM.
pub async fn shutdown_signal() {
    let interrupt = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {}
        () = terminate => {}
    }
}
