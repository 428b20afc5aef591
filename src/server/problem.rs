//! Errors as problem details (RFC 9457).
//!
//! Every error the service gives, whatever produced it (a handler, the router's
//! fallbacks, a limit, a panic), is an `application/problem+json` body with `type`,
//! `title`, `status` and `detail`, so a client needs one error parser. Each kind of
//! problem has a stable `type` (`/problems/<slug>`, resolved against the server's
//! address) that the client can branch on; `GET /problems/<slug>` explains it.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// The media type of every error body.
pub const PROBLEM_JSON: &str = "application/problem+json";

/// Seconds a client is told to wait (`Retry-After`) when the server is at its
/// concurrency limit. Checks take milliseconds, so a second is plenty.
pub const RETRY_AFTER_SECONDS: u64 = 1;

/// Everything that can go wrong with a request.
#[derive(Debug, Clone, PartialEq)]
pub enum ApiError {
    /// The body is not JSON at all (syntax error, truncated document).
    MalformedJson(String),
    /// The body is JSON but not of the expected shape (missing `text`, wrong type).
    InvalidRequest(String),
    /// The body names an option the endpoint does not know.
    UnknownOption {
        /// The unknown option's name.
        option: String,
        /// The full explanation, with the known options.
        detail: String,
    },
    /// An option has a value the checker refuses (out of range, unknown dictionary).
    InvalidOption {
        /// The option's name.
        option: String,
        /// Why the value is refused.
        detail: String,
    },
    /// The body (or an NDJSON line) is not valid UTF-8.
    InvalidUtf8 {
        /// Byte offset of the first invalid byte.
        offset: usize,
    },
    /// No such route.
    NotFound {
        /// The path asked for.
        path: String,
    },
    /// The route exists, the method does not (`Allow` lists the methods that do).
    MethodNotAllowed {
        /// The method used.
        method: String,
        /// The path asked for.
        path: String,
    },
    /// The body (or one NDJSON line) is over the size limit.
    PayloadTooLarge {
        /// The limit in bytes.
        limit: u64,
        /// What the limit applies to: "request body" or "NDJSON line".
        what: &'static str,
    },
    /// The body is not of a media type the endpoint reads.
    UnsupportedMediaType {
        /// The `Content-Type` sent, if any.
        got: Option<String>,
        /// The media types the endpoint accepts.
        expected: &'static str,
    },
    /// The client did not send the whole body within the time limit.
    RequestTimeout {
        /// The limit in milliseconds.
        limit_ms: u64,
    },
    /// The check did not finish within the time limit.
    CheckTimeout {
        /// The limit in milliseconds.
        limit_ms: u64,
    },
    /// Every check slot is busy (or, for a large text, every large-text
    /// slot); try again after `Retry-After` seconds.
    Overloaded {
        /// The maximum number of concurrent checks (of large texts, if
        /// `large_texts`).
        max_concurrent: usize,
        /// Whether only the slots for large texts are busy.
        large_texts: bool,
    },
    /// The memory the request's check needs is reserved by requests in flight;
    /// try again after `Retry-After` seconds.
    OverMemoryBudget {
        /// The bytes the request would reserve.
        needed: u64,
        /// The server's whole memory budget in bytes.
        budget: u64,
    },
    /// The request is not HTTP the server can read; answered by the HTTP layer
    /// before any handler, with 400, 414 or 431 ([`super::io::ParseErrors`]).
    BadHttp(StatusCode),
    /// The request has no API key, or one the server does not know. The
    /// detail never includes the key.
    Unauthorized {
        /// Whether a key was sent at all.
        key_sent: bool,
    },
    /// The request comes from a web page on an origin the server does not allow.
    OriginNotAllowed {
        /// The request's `Origin`, shortened to 100 bytes.
        origin: String,
    },
    /// The client is over its rate limit; try again after `retry_after` seconds.
    RateLimited {
        /// What is limited: "requests" or "request-body bytes".
        what: &'static str,
        /// Seconds until the request would be allowed.
        retry_after: u64,
    },
    /// A bug: the server failed. The detail never includes the request's text.
    Internal(String),
}

/// One kind of problem: its `type` slug, `title` and status, and what it means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProblemType {
    /// The last segment of the `type` URI, `/problems/<slug>`.
    pub slug: &'static str,
    /// The `title` member: the same for every occurrence of this kind.
    pub title: &'static str,
    /// The HTTP status this kind of problem comes with.
    pub status: StatusCode,
    /// What it means and what the client can do, for `GET /problems/<slug>`.
    pub explanation: &'static str,
}

/// Every kind of problem the service reports.
pub const PROBLEM_TYPES: &[ProblemType] = &[
    ProblemType {
        slug: "malformed-json",
        title: "Malformed JSON",
        status: StatusCode::BAD_REQUEST,
        explanation: "The request body is not a JSON document: fix the syntax the detail points at.",
    },
    ProblemType {
        slug: "invalid-request",
        title: "Invalid request",
        status: StatusCode::BAD_REQUEST,
        explanation: "The body is JSON but not of the shape the endpoint expects: a required member such as `text` is missing, or a member has the wrong type. The detail names the member.",
    },
    ProblemType {
        slug: "unknown-option",
        title: "Unknown option",
        status: StatusCode::BAD_REQUEST,
        explanation: "The body has a member the endpoint does not know (often a misspelt option). The `option` member names it and the detail lists the known ones. Unknown options are refused rather than ignored so that a typo never silently changes the result.",
    },
    ProblemType {
        slug: "invalid-option",
        title: "Invalid option value",
        status: StatusCode::BAD_REQUEST,
        explanation: "An option has a value the checker refuses: a confidence outside 0..1, or a dictionary name that is not loaded (see GET /v1/dictionaries). The `option` member names it.",
    },
    ProblemType {
        slug: "invalid-utf8",
        title: "Invalid UTF-8",
        status: StatusCode::BAD_REQUEST,
        explanation: "The body (or an NDJSON line) is not valid UTF-8. The detail gives the byte offset of the first invalid byte.",
    },
    ProblemType {
        slug: "not-found",
        title: "Not found",
        status: StatusCode::NOT_FOUND,
        explanation: "No endpoint has this path. GET /openapi.yaml lists them all.",
    },
    ProblemType {
        slug: "method-not-allowed",
        title: "Method not allowed",
        status: StatusCode::METHOD_NOT_ALLOWED,
        explanation: "The path exists but not with this method. The `Allow` header lists the methods it has.",
    },
    ProblemType {
        slug: "payload-too-large",
        title: "Payload too large",
        status: StatusCode::PAYLOAD_TOO_LARGE,
        explanation: "The request body (or, for NDJSON batches, one line) is over the server's size limit, given in bytes in the `limit_bytes` member. Split the text, or ask the operator to raise --max-body-bytes.",
    },
    ProblemType {
        slug: "unsupported-media-type",
        title: "Unsupported media type",
        status: StatusCode::UNSUPPORTED_MEDIA_TYPE,
        explanation: "The Content-Type is not one the endpoint reads: application/json, and for batches also application/x-ndjson.",
    },
    ProblemType {
        slug: "request-timeout",
        title: "Request timeout",
        status: StatusCode::REQUEST_TIMEOUT,
        explanation: "The client did not send the whole request (or, in an NDJSON stream, the next line) within the server's time limit, given in `limit_ms`.",
    },
    ProblemType {
        slug: "check-timeout",
        title: "Check timeout",
        status: StatusCode::SERVICE_UNAVAILABLE,
        explanation: "The check did not finish within the server's time limit, given in `limit_ms`. Send a shorter text or ask the operator to raise --timeout-ms.",
    },
    ProblemType {
        slug: "overloaded",
        title: "Overloaded",
        status: StatusCode::SERVICE_UNAVAILABLE,
        explanation: "Every check slot is busy, or (for a text of 256 KiB or more) every slot for large texts, which are half the cores. Retry after the number of seconds in the `Retry-After` header.",
    },
    ProblemType {
        slug: "over-memory-budget",
        title: "Over the memory budget",
        status: StatusCode::SERVICE_UNAVAILABLE,
        explanation: "The memory this request's check needs (about 96 times its body, see `needed_bytes`) is held by requests in flight, and the server refuses work it could not finish within its memory budget (`limit_bytes`, --max-memory-bytes) instead of running out of memory. Retry after the number of seconds in the `Retry-After` header, or send a shorter text.",
    },
    ProblemType {
        slug: "malformed-http",
        title: "Malformed HTTP request",
        status: StatusCode::BAD_REQUEST,
        explanation: "The request is not HTTP/1.1 the server can read: a bad request line, method, version or header. The connection is closed.",
    },
    ProblemType {
        slug: "uri-too-long",
        title: "URI too long",
        status: StatusCode::URI_TOO_LONG,
        explanation: "The request's URI is longer than the server reads. Send long texts in the body (POST), not in the query string. The connection is closed.",
    },
    ProblemType {
        slug: "headers-too-large",
        title: "Request headers too large",
        status: StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
        explanation: "The request head (request line and headers) is over the server's limit of several hundred KB, or has more than 100 headers. The connection is closed.",
    },
    ProblemType {
        slug: "unauthorized",
        title: "Unauthorized",
        status: StatusCode::UNAUTHORIZED,
        explanation: "The server requires an API key and the request has none, or one it does not know. Send the key as `Authorization: Bearer KEY`, or as the `apiKey` parameter of /v2/check.",
    },
    ProblemType {
        slug: "origin-not-allowed",
        title: "Origin not allowed",
        status: StatusCode::FORBIDDEN,
        explanation: "The request was sent by a web page on another site (its `Origin` header names another host) and the server does not allow that origin. The operator can allow it with --cors-origin.",
    },
    ProblemType {
        slug: "rate-limited",
        title: "Rate limited",
        status: StatusCode::TOO_MANY_REQUESTS,
        explanation: "The API key (or, without keys, the client address) is over its rate of requests or of request-body bytes per second. Retry after the number of seconds in the `Retry-After` header; the `RateLimit` and `RateLimit-Policy` headers give the quota.",
    },
    ProblemType {
        slug: "internal-error",
        title: "Internal server error",
        status: StatusCode::INTERNAL_SERVER_ERROR,
        explanation: "The server failed while handling the request. This is a bug; the server goes on serving other requests.",
    },
];

/// Looks up a problem type by slug.
pub fn problem_type(slug: &str) -> Option<&'static ProblemType> {
    PROBLEM_TYPES.iter().find(|t| t.slug == slug)
}

/// A problem-details body (RFC 9457) with this service's extension members.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Problem {
    /// `/problems/<slug>`.
    #[serde(rename = "type")]
    pub type_uri: String,
    /// Short summary, the same for every occurrence of the type.
    pub title: &'static str,
    /// The HTTP status code.
    pub status: u16,
    /// What went wrong with this request.
    pub detail: String,
    /// The option at fault, for `unknown-option` and `invalid-option`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub option: Option<String>,
    /// The size limit in bytes, for `payload-too-large`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit_bytes: Option<u64>,
    /// The time limit in milliseconds, for `request-timeout` and `check-timeout`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit_ms: Option<u64>,
    /// The bytes the request would reserve, for `over-memory-budget`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub needed_bytes: Option<u64>,
}

impl ApiError {
    /// The slug of this error's problem type.
    pub fn slug(&self) -> &'static str {
        match self {
            ApiError::MalformedJson(_) => "malformed-json",
            ApiError::InvalidRequest(_) => "invalid-request",
            ApiError::UnknownOption { .. } => "unknown-option",
            ApiError::InvalidOption { .. } => "invalid-option",
            ApiError::InvalidUtf8 { .. } => "invalid-utf8",
            ApiError::NotFound { .. } => "not-found",
            ApiError::MethodNotAllowed { .. } => "method-not-allowed",
            ApiError::PayloadTooLarge { .. } => "payload-too-large",
            ApiError::UnsupportedMediaType { .. } => "unsupported-media-type",
            ApiError::RequestTimeout { .. } => "request-timeout",
            ApiError::CheckTimeout { .. } => "check-timeout",
            ApiError::Overloaded { .. } => "overloaded",
            ApiError::OverMemoryBudget { .. } => "over-memory-budget",
            ApiError::BadHttp(status) => match status.as_u16() {
                414 => "uri-too-long",
                431 => "headers-too-large",
                _ => "malformed-http",
            },
            ApiError::Unauthorized { .. } => "unauthorized",
            ApiError::OriginNotAllowed { .. } => "origin-not-allowed",
            ApiError::RateLimited { .. } => "rate-limited",
            ApiError::Internal(_) => "internal-error",
        }
    }

    /// The HTTP status of this error.
    pub fn status(&self) -> StatusCode {
        self.problem_type().status
    }

    fn problem_type(&self) -> &'static ProblemType {
        problem_type(self.slug()).expect("every slug is in PROBLEM_TYPES")
    }

    /// The problem-details body for this error.
    pub fn problem(&self) -> Problem {
        let kind = self.problem_type();
        let mut problem = Problem {
            type_uri: format!("/problems/{}", kind.slug),
            title: kind.title,
            status: kind.status.as_u16(),
            detail: String::new(),
            option: None,
            limit_bytes: None,
            limit_ms: None,
            needed_bytes: None,
        };
        problem.detail = match self {
            ApiError::MalformedJson(detail) | ApiError::InvalidRequest(detail) => detail.clone(),
            ApiError::UnknownOption { option, detail }
            | ApiError::InvalidOption { option, detail } => {
                problem.option = Some(option.clone());
                detail.clone()
            }
            ApiError::InvalidUtf8 { offset } => {
                format!("the body is not valid UTF-8: the byte at offset {offset} is invalid")
            }
            ApiError::NotFound { path } => {
                format!("no endpoint at {path}; GET /openapi.yaml lists the endpoints")
            }
            ApiError::MethodNotAllowed { method, path } => format!(
                "{method} is not allowed on {path}; the Allow header lists the methods that are"
            ),
            ApiError::PayloadTooLarge { limit, what } => {
                problem.limit_bytes = Some(*limit);
                format!("the {what} is over the limit of {limit} bytes")
            }
            ApiError::UnsupportedMediaType { got, expected } => match got {
                Some(got) => format!("Content-Type {got} is not supported here; send {expected}"),
                None => format!("the request has no Content-Type; send {expected}"),
            },
            ApiError::RequestTimeout { limit_ms } => {
                problem.limit_ms = Some(*limit_ms);
                format!("the request was not received within the time limit of {limit_ms} ms")
            }
            ApiError::CheckTimeout { limit_ms } => {
                problem.limit_ms = Some(*limit_ms);
                format!("the check did not finish within the time limit of {limit_ms} ms")
            }
            ApiError::Overloaded {
                max_concurrent,
                large_texts: false,
            } => format!(
                "all {max_concurrent} check slots are busy; retry after {RETRY_AFTER_SECONDS} s"
            ),
            ApiError::Overloaded {
                max_concurrent,
                large_texts: true,
            } => format!(
                "all {max_concurrent} check slots for texts of {} KiB or more are busy (shorter texts are still checked); retry after {RETRY_AFTER_SECONDS} s",
                super::budget::LARGE_TEXT >> 10
            ),
            ApiError::OverMemoryBudget { needed, budget } => {
                problem.limit_bytes = Some(*budget);
                problem.needed_bytes = Some(*needed);
                format!(
                    "the check needs {needed} bytes of the server's memory budget of {budget} bytes, which requests in flight hold; retry after {RETRY_AFTER_SECONDS} s"
                )
            }
            ApiError::BadHttp(_) => kind.explanation.to_string(),
            ApiError::Unauthorized { key_sent: false } => {
                "this server requires an API key: send it as `Authorization: Bearer KEY`".into()
            }
            ApiError::Unauthorized { key_sent: true } => "the API key is not valid".into(),
            ApiError::OriginNotAllowed { origin } => format!(
                "requests from web pages on {origin} are not allowed by this server"
            ),
            ApiError::RateLimited { what, retry_after } => {
                format!("over the rate limit of {what} per second; retry after {retry_after} s")
            }
            ApiError::Internal(detail) => detail.clone(),
        };
        problem
    }
}

impl ApiError {
    /// The same error, its detail prefixed with where in the body it was found
    /// (`documents[2]`), for errors about a part of a batch.
    pub fn within(self, location: &str) -> Self {
        match self {
            ApiError::InvalidOption { option, detail } => ApiError::InvalidOption {
                option,
                detail: format!("{location}: {detail}"),
            },
            ApiError::InvalidRequest(detail) => {
                ApiError::InvalidRequest(format!("{location}: {detail}"))
            }
            other => other,
        }
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.problem().detail)
    }
}

impl std::error::Error for ApiError {}

impl From<crate::Error> for ApiError {
    fn from(error: crate::Error) -> Self {
        match error {
            crate::Error::InvalidOption { option, .. } => ApiError::InvalidOption {
                option: option.to_string(),
                detail: error.to_string(),
            },
            crate::Error::UnknownDictionary { .. } => ApiError::InvalidOption {
                option: "dictionaries".into(),
                detail: error.to_string(),
            },
            other => ApiError::Internal(other.to_string()),
        }
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let body = serde_json::to_vec(&self).expect("a problem serializes");
        let mut response = (status, body).into_response();
        response
            .headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
        response
    }
}

/// Put in the extensions of every problem response: which problem it is, for
/// the metrics (`unspun_rejected_total`) without parsing the body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProblemSlug(pub &'static str);

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let overloaded = matches!(
            self,
            ApiError::Overloaded { .. } | ApiError::OverMemoryBudget { .. }
        );
        let slug = self.slug();
        let mut response = self.problem().into_response();
        let headers = response.headers_mut();
        if overloaded {
            headers.insert(header::RETRY_AFTER, HeaderValue::from(RETRY_AFTER_SECONDS));
        }
        match self {
            ApiError::RateLimited { retry_after, .. } => {
                headers.insert(header::RETRY_AFTER, HeaderValue::from(retry_after));
            }
            ApiError::Unauthorized { .. } => {
                headers.insert(
                    header::WWW_AUTHENTICATE,
                    HeaderValue::from_static("Bearer realm=\"unspun\""),
                );
            }
            _ => {}
        }
        response.extensions_mut().insert(ProblemSlug(slug));
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_problem_type_has_a_unique_slug_and_an_error_status() {
        let mut slugs: Vec<_> = PROBLEM_TYPES.iter().map(|t| t.slug).collect();
        slugs.sort_unstable();
        slugs.dedup();
        assert_eq!(slugs.len(), PROBLEM_TYPES.len());
        assert!(PROBLEM_TYPES.iter().all(|t| t.status.as_u16() >= 400));
    }

    #[test]
    fn problem_body_carries_type_title_status_and_the_limit() {
        let problem = ApiError::PayloadTooLarge {
            limit: 10,
            what: "request body",
        }
        .problem();
        let json = serde_json::to_value(&problem).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "type": "/problems/payload-too-large",
                "title": "Payload too large",
                "status": 413,
                "detail": "the request body is over the limit of 10 bytes",
                "limit_bytes": 10,
            })
        );
    }
}
