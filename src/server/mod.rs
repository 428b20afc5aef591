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
//!
//! Every error is `application/problem+json` ([`problem`]). The [`limits`] (body
//! size, time, concurrent checks) come from [`ServeConfig`]. CORS is open to every
//! origin (the API has no cookies or credentials, and browser extensions and web
//! editors on any origin are its clients), preflight answered and cached for a day.
//!
//! ```no_run
//! # async fn run() -> std::io::Result<()> {
//! let checker = unspun::Checker::new();
//! unspun::server::serve(checker, unspun::server::ServeConfig::default()).await
//! # }
//! ```

pub mod batch;
pub mod budget;
pub mod config;
pub mod io;
pub mod languagetool;
pub mod limits;
pub mod problem;
pub mod request;
pub mod trace;
pub mod v1;

pub use config::ServeConfig;

use crate::{CheckOptions, Checker};
use axum::extract::Request;
use axum::http::{header, Method};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use limits::{Limits, Slots};
use problem::ApiError;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::cors::{Any, CorsLayer};

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
}

impl AppState {
    /// State for a server checking with `checker` under the limits of `config`,
    /// with the library's default options.
    pub fn new(checker: Checker, config: &ServeConfig) -> Self {
        AppState::with_defaults(checker, CheckOptions::default(), config)
    }

    /// Like [`AppState::new`], with `defaults` for the options a request does not
    /// give: `min_confidence`, `fix_threshold` and `dictionaries` are replaced by
    /// a request's own, `allow` is added to. (`include_fixed` and `include_diff`
    /// keep the API's defaults: fixed text yes, diff no.)
    pub fn with_defaults(checker: Checker, defaults: CheckOptions, config: &ServeConfig) -> Self {
        let dictionaries_json = v1::dictionaries_json(&checker);
        let max_concurrent = usize::try_from(config.max_concurrent).unwrap_or(usize::MAX);
        let batch_parallelism = std::thread::available_parallelism()
            .map_or(2, |n| n.get())
            .min(max_concurrent);
        AppState {
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
            }),
        }
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

    /// How many lines of one NDJSON stream are checked at once.
    fn batch_parallelism(&self) -> usize {
        self.inner.batch_parallelism
    }
}

/// The whole service as an axum [`Router`]: routes, error fallbacks, CORS, panic
/// catching and request logs. Tests call it in-process; [`serve`] runs it.
pub fn router(state: AppState) -> Router {
    let cors = CorsLayer::new()
        .allow_origin(Any)
        .allow_methods([Method::GET, Method::POST])
        .allow_headers(Any)
        .expose_headers([header::RETRY_AFTER, header::CONTENT_LENGTH])
        .max_age(Duration::from_secs(24 * 60 * 60));
    Router::new()
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
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .with_state(state)
        .layer(CatchPanicLayer::custom(panic_to_problem))
        .layer(cors)
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
    serve_with(checker, CheckOptions::default(), config).await
}

/// Like [`serve`], with server-wide `defaults` for the per-request options (see
/// [`AppState::with_defaults`]), e.g. from the CLI's `--min-confidence`.
pub async fn serve_with(
    checker: Checker,
    defaults: CheckOptions,
    config: ServeConfig,
) -> std::io::Result<()> {
    trace::init_logging();
    let listener = tokio::net::TcpListener::bind(config.addr).await?;
    let state = AppState::with_defaults(checker, defaults, &config);
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
    let state = AppState::new(checker, &config);
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
    let app = router(state);
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(config.timeout());
    let connections = hyper_util::server::graceful::GracefulShutdown::new();
    tracing::info!("unspun listening on http://{address}");
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _peer)) => stream,
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
        let service = TowerToHyperService::new(app.clone());
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
