//! Helpers shared by the HTTP tests: calling the router in-process, running a real
//! server on a free loopback port, a minimal HTTP/1.1 client, problem-body checks
//! and validation of responses against `openapi.yaml`.

#![allow(dead_code)]

use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode};
use bytes::Bytes;
use http_body_util::BodyExt;
use serde_json::Value;
use std::net::SocketAddr;
use std::sync::OnceLock;
use tower::ServiceExt;
use unspun::server::{router, AppState, ServeConfig};
use unspun::Checker;

/// One checker for the whole test binary: building it parses the dictionaries.
pub fn checker() -> Checker {
    static CHECKER: OnceLock<Checker> = OnceLock::new();
    CHECKER.get_or_init(Checker::new).clone()
}

/// Settings for a test server: loopback, free port.
pub fn config() -> ServeConfig {
    ServeConfig {
        addr: "127.0.0.1:0".parse().unwrap(),
        ..ServeConfig::default()
    }
}

/// A response, fully read.
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Reply {
    /// The body as JSON.
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "body is not JSON ({e}): {}",
                String::from_utf8_lossy(&self.body)
            )
        })
    }

    /// The body as text.
    pub fn text(&self) -> String {
        String::from_utf8(self.body.to_vec()).expect("body is UTF-8")
    }

    /// The `Content-Type` header.
    pub fn content_type(&self) -> &str {
        self.headers
            .get("content-type")
            .map(|v| v.to_str().unwrap())
            .unwrap_or("")
    }

    /// Asserts a problem-details body with this status and type slug; returns it.
    pub fn assert_problem(&self, status: u16, slug: &str) -> Value {
        assert_eq!(
            self.status.as_u16(),
            status,
            "status; body: {}",
            String::from_utf8_lossy(&self.body)
        );
        assert_eq!(self.content_type(), "application/problem+json");
        let problem = self.json();
        assert_eq!(problem["type"], format!("/problems/{slug}"), "{problem}");
        assert_eq!(problem["status"], status, "{problem}");
        assert!(
            problem["title"].as_str().is_some_and(|t| !t.is_empty()),
            "{problem}"
        );
        assert!(
            problem["detail"].as_str().is_some_and(|d| !d.is_empty()),
            "{problem}"
        );
        problem
    }
}

/// Calls `app` in-process.
pub async fn call(app: &axum::Router, request: Request<Body>) -> Reply {
    let response = app
        .clone()
        .oneshot(request)
        .await
        .expect("the router never fails");
    let (parts, body) = response.into_parts();
    Reply {
        status: parts.status,
        headers: parts.headers,
        body: body.collect().await.expect("body reads").to_bytes(),
    }
}

/// A request with a body and content type.
pub fn request(
    method: Method,
    path: &str,
    content_type: Option<&str>,
    body: impl Into<Body>,
) -> Request<Body> {
    let mut builder = Request::builder().method(method).uri(path);
    if let Some(content_type) = content_type {
        builder = builder.header("content-type", content_type);
    }
    builder.body(body.into()).unwrap()
}

/// `POST path` with a JSON body.
pub fn post_json(path: &str, body: &Value) -> Request<Body> {
    request(
        Method::POST,
        path,
        Some("application/json"),
        body.to_string(),
    )
}

/// `GET path`.
pub fn get(path: &str) -> Request<Body> {
    request(Method::GET, path, None, Body::empty())
}

/// A router over the shared checker with `config`'s limits, and its state.
pub fn app_with(config: &ServeConfig) -> (axum::Router, AppState) {
    let state = AppState::new(checker(), config).expect("the test configuration is usable");
    (router(state.clone()), state)
}

/// A router with the default limits.
pub fn app() -> axum::Router {
    app_with(&config()).0
}

/// A real server on a free loopback port; stops when dropped.
pub struct TestServer {
    pub addr: SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    pub task: Option<tokio::task::JoinHandle<std::io::Result<()>>>,
}

impl TestServer {
    /// Starts a server with `config` (its address is ignored: a free port is used).
    pub async fn start(config: ServeConfig) -> TestServer {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(unspun::server::serve_on(
            listener,
            checker(),
            config,
            async {
                let _ = stopped.await;
            },
        ));
        TestServer {
            addr,
            stop: Some(stop),
            task: Some(task),
        }
    }

    /// Starts a server like [`TestServer::start`], and gives its state too,
    /// so that a test can watch the limits (slots and memory in use).
    pub async fn start_with_state(config: ServeConfig) -> (TestServer, AppState) {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let state = AppState::new(checker(), &config).expect("the test configuration is usable");
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(unspun::server::serve_state_on(
            listener,
            state.clone(),
            config,
            async {
                let _ = stopped.await;
            },
        ));
        let server = TestServer {
            addr,
            stop: Some(stop),
            task: Some(task),
        };
        (server, state)
    }

    /// Sends the shutdown signal; the server finishes requests in flight.
    pub fn signal_shutdown(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }

    /// Opens an HTTP/1.1 connection.
    pub async fn connect(&self) -> hyper::client::conn::http1::SendRequest<Body> {
        connect_to(self.addr).await
    }

    /// Sends one request on a new connection and reads the whole response.
    pub async fn send(&self, request: Request<Body>) -> Reply {
        send_to(self.addr, request).await
    }
}

/// Opens an HTTP/1.1 connection to `addr` (for tasks that cannot borrow the
/// [`TestServer`]).
pub async fn connect_to(addr: SocketAddr) -> hyper::client::conn::http1::SendRequest<Body> {
    let stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    stream.set_nodelay(true).unwrap();
    let (sender, connection) =
        hyper::client::conn::http1::handshake(hyper_util::rt::TokioIo::new(stream))
            .await
            .unwrap();
    tokio::spawn(async move {
        let _ = connection.await;
    });
    sender
}

/// Sends one request on a new connection to `addr` and reads the whole
/// response.
pub async fn send_to(addr: SocketAddr, request: Request<Body>) -> Reply {
    try_send_to(addr, request).await.expect("response")
}

/// Like [`send_to`], but hands back the client's error: a server that refuses
/// a request before reading its body closes the connection, and a client still
/// uploading may see that as a broken pipe rather than the answer.
pub async fn try_send_to(
    addr: SocketAddr,
    mut request: Request<Body>,
) -> Result<Reply, hyper::Error> {
    let mut sender = connect_to(addr).await;
    request
        .headers_mut()
        .insert("host", addr.to_string().parse().unwrap());
    let response = sender.send_request(request).await?;
    let (parts, body) = response.into_parts();
    Ok(Reply {
        status: parts.status,
        headers: parts.headers,
        body: body.collect().await?.to_bytes(),
    })
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.signal_shutdown();
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}

/// The repository's OpenAPI document, as JSON.
pub fn openapi() -> &'static Value {
    static SPEC: OnceLock<Value> = OnceLock::new();
    SPEC.get_or_init(|| {
        let yaml = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/openapi.yaml"))
            .expect("openapi.yaml is at the repository root");
        serde_norway::from_str(&yaml).expect("openapi.yaml is valid YAML")
    })
}

/// Follows a `$ref` to a component of the OpenAPI document, if `node` is one.
pub fn resolve(node: &Value) -> &Value {
    match node.get("$ref").and_then(Value::as_str) {
        Some(reference) => {
            let pointer = reference.strip_prefix('#').expect("local $ref");
            resolve(
                openapi()
                    .pointer(pointer)
                    .unwrap_or_else(|| panic!("dangling $ref {reference}")),
            )
        }
        None => node,
    }
}

/// A JSON Schema validator for `schema` (a schema object of the OpenAPI document),
/// with the document's components reachable by `$ref`.
pub fn validator(schema: &Value) -> jsonschema::Validator {
    let mut root = schema.clone();
    let object = root.as_object_mut().expect("schemas are objects");
    object.insert("components".into(), openapi()["components"].clone());
    object.insert(
        "$schema".into(),
        Value::from("https://json-schema.org/draft/2020-12/schema"),
    );
    jsonschema::options()
        .should_validate_formats(true)
        .build(&root)
        .unwrap_or_else(|e| panic!("schema does not compile: {e}"))
}

/// Validates `instance` against the component schema `name`.
pub fn assert_matches_component(name: &str, instance: &Value) {
    let schema = serde_json::json!({ "$ref": format!("#/components/schemas/{name}") });
    assert_valid(&validator(&schema), instance, name);
}

fn assert_valid(validator: &jsonschema::Validator, instance: &Value, what: &str) {
    let errors: Vec<String> = validator
        .iter_errors(instance)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "{what}: {instance} breaks the schema: {errors:#?}"
    );
}

/// Asserts that `reply` to `method path_template` is documented in `openapi.yaml`
/// (status and media type) and that its body matches the documented schema. NDJSON
/// bodies are read as an array of their lines, as the document describes them.
/// Panics with what differs.
pub fn assert_documented(method: &str, path_template: &str, reply: &Reply) {
    let spec = openapi();
    let operation = &spec["paths"][path_template][method.to_ascii_lowercase()];
    assert!(
        operation.is_object(),
        "{method} {path_template} is not in openapi.yaml"
    );
    let status = reply.status.as_u16().to_string();
    let response =
        resolve(operation["responses"].get(&status).unwrap_or_else(|| {
            panic!("{method} {path_template}: status {status} is not documented")
        }));
    for (name, header) in response
        .get("headers")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        if header.get("required").and_then(Value::as_bool) == Some(true) {
            assert!(
                reply.headers.contains_key(name.as_str()),
                "{name} header is required"
            );
        }
    }
    let media_type = reply
        .content_type()
        .split(';')
        .next()
        .unwrap()
        .trim()
        .to_string();
    let media = response["content"].get(&media_type).unwrap_or_else(|| {
        panic!("{method} {path_template} {status}: media type {media_type} is not documented")
    });
    if media_type == "application/x-ndjson" {
        let lines: Vec<Value> = reply
            .text()
            .lines()
            .map(|line| serde_json::from_str(line).expect("NDJSON lines are JSON"))
            .collect();
        assert_valid(
            &validator(&media["schema"]),
            &Value::Array(lines),
            &format!("{method} {path_template} {status}"),
        );
    } else if media_type.ends_with("json") {
        assert_valid(
            &validator(&media["schema"]),
            &reply.json(),
            &format!("{method} {path_template} {status}"),
        );
    } else {
        assert_valid(
            &validator(&media["schema"]),
            &Value::from(reply.text()),
            &format!("{method} {path_template} {status}"),
        );
    }
}
