//! Which web pages may call the service: CORS as a policy the operator sets.
//!
//! Browsers let any page send a "simple" request to any server: a form post of
//! `text/plain` or `application/x-www-form-urlencoded` needs no preflight, and
//! `/v2/check` reads form posts. So withholding CORS headers is not enough: a
//! request whose `Origin` names another site is refused (403) unless the
//! operator allowed that origin with `--cors-origin`. Requests from the
//! server's own pages (same origin) and from programs that send no `Origin`
//! pass; so does everything with `--cors-origin '*'`.
//!
//! Allowed origins get CORS answers: preflights answered and cached for a day,
//! any request header allowed (`Authorization` included, for keys), and
//! `Retry-After`, `RateLimit`, `RateLimit-Policy` and `X-Request-Id` exposed.

use super::problem::ApiError;
use super::AppState;
use axum::extract::{Request, State};
use axum::http::{header, HeaderName, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::time::Duration;
use tower_http::cors::{AllowOrigin, Any, CorsLayer};

/// The origins allowed to call the service from a browser.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OriginPolicy {
    /// Only the server's own pages (the default).
    SameOriginOnly,
    /// These origins, as `scheme://host[:port]`, and the server's own pages.
    Listed(Vec<HeaderValue>),
    /// Every origin (`--cors-origin '*'`).
    Any,
}

impl OriginPolicy {
    /// The policy of `--cors-origin` values. Each must be `*` alone or an origin
    /// `http(s)://host[:port]` with no path.
    pub fn from_flags(origins: &[String]) -> Result<OriginPolicy, String> {
        if origins.is_empty() {
            return Ok(OriginPolicy::SameOriginOnly);
        }
        if origins.iter().any(|o| o == "*") {
            if origins.len() > 1 {
                return Err("--cors-origin '*' allows every origin: give it alone".into());
            }
            return Ok(OriginPolicy::Any);
        }
        let mut listed = Vec::with_capacity(origins.len());
        for origin in origins {
            let origin = origin.trim_end_matches('/');
            let rest = origin
                .strip_prefix("https://")
                .or_else(|| origin.strip_prefix("http://"));
            let valid = rest.is_some_and(|host| {
                !host.is_empty()
                    && host
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b"-.:[]".contains(&b))
            });
            if !valid {
                return Err(format!(
                    "--cors-origin {origin:?} is not an origin: write scheme://host[:port], e.g. https://cms.example.org"
                ));
            }
            listed.push(HeaderValue::try_from(origin.to_ascii_lowercase()).expect("checked ASCII"));
        }
        Ok(OriginPolicy::Listed(listed))
    }

    fn allows(&self, origin: &HeaderValue) -> bool {
        match self {
            OriginPolicy::Any => true,
            OriginPolicy::SameOriginOnly => false,
            OriginPolicy::Listed(origins) => origins
                .iter()
                .any(|allowed| allowed.as_bytes().eq_ignore_ascii_case(origin.as_bytes())),
        }
    }

    /// The CORS layer of this policy: none for [`OriginPolicy::SameOriginOnly`].
    pub fn cors_layer(&self) -> Option<CorsLayer> {
        let allow_origin = match self {
            OriginPolicy::SameOriginOnly => return None,
            OriginPolicy::Any => AllowOrigin::from(Any),
            OriginPolicy::Listed(origins) => AllowOrigin::list(origins.iter().cloned()),
        };
        Some(
            CorsLayer::new()
                .allow_origin(allow_origin)
                .allow_methods([Method::GET, Method::POST])
                .allow_headers(Any)
                .expose_headers([
                    header::RETRY_AFTER,
                    header::CONTENT_LENGTH,
                    HeaderName::from_static("ratelimit"),
                    HeaderName::from_static("ratelimit-policy"),
                    HeaderName::from_static("x-request-id"),
                ])
                .max_age(Duration::from_secs(24 * 60 * 60)),
        )
    }
}

/// Whether `origin` is the origin of the server itself, as the request reached
/// it: the browser says so (`Sec-Fetch-Site: same-origin`, which pages cannot
/// forge), or the origin's host is the request's `Host`.
fn same_origin(request: &Request, origin: &HeaderValue) -> bool {
    let headers = request.headers();
    if headers
        .get("sec-fetch-site")
        .is_some_and(|v| v.as_bytes() == b"same-origin")
    {
        return true;
    }
    let Ok(origin) = origin.to_str() else {
        return false;
    };
    let host = origin
        .strip_prefix("https://")
        .or_else(|| origin.strip_prefix("http://"));
    let request_host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .or_else(|| request.uri().authority().map(|a| a.as_str()));
    matches!((host, request_host), (Some(a), Some(b)) if a.eq_ignore_ascii_case(b))
}

/// Middleware: refuses requests sent by pages on origins the policy does not
/// allow, before any other work.
pub async fn refuse_foreign_pages(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    if let Some(origin) = request.headers().get(header::ORIGIN) {
        let policy = state.origin_policy();
        if !policy.allows(origin) && !same_origin(&request, origin) {
            let shown: String = String::from_utf8_lossy(origin.as_bytes())
                .chars()
                .take(100)
                .collect();
            return ApiError::OriginNotAllowed { origin: shown }.into_response();
        }
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(flags: &[&str]) -> Result<OriginPolicy, String> {
        OriginPolicy::from_flags(&flags.iter().map(|s| s.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn flags_give_the_policy_and_bad_origins_are_refused() {
        assert_eq!(policy(&[]), Ok(OriginPolicy::SameOriginOnly));
        assert_eq!(policy(&["*"]), Ok(OriginPolicy::Any));
        assert!(policy(&["*", "https://a.example"]).is_err());
        assert!(policy(&["a.example"]).is_err());
        assert!(policy(&["https://a.example/path"]).is_err());
        assert!(policy(&["https://"]).is_err());
        let listed = policy(&["https://CMS.example.org/", "http://localhost:3000"]).unwrap();
        assert!(listed.allows(&HeaderValue::from_static("https://cms.example.org")));
        assert!(listed.allows(&HeaderValue::from_static("http://localhost:3000")));
        assert!(!listed.allows(&HeaderValue::from_static("https://evil.example")));
        assert!(!listed.allows(&HeaderValue::from_static("null")));
    }

    #[test]
    fn same_origin_is_the_request_host_or_the_browser_says_so() {
        let request = |host: &str, site: Option<&str>| {
            let mut builder = Request::builder().uri("/v2/check").header("host", host);
            if let Some(site) = site {
                builder = builder.header("sec-fetch-site", site);
            }
            builder.body(axum::body::Body::empty()).unwrap()
        };
        let own = HeaderValue::from_static("http://unspun.local:8080");
        assert!(same_origin(&request("unspun.local:8080", None), &own));
        assert!(!same_origin(&request("unspun.local", None), &own));
        assert!(same_origin(
            &request("internal:8080", Some("same-origin")),
            &own
        ));
        assert!(!same_origin(
            &request("internal:8080", Some("cross-site")),
            &own
        ));
    }
}
