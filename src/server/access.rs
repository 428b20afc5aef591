//! API keys: who may use a server that is exposed beyond loopback.
//!
//! The operator lists keys in a file (`--api-key-file`), one `NAME KEY` pair
//! per line. A request presents its key as `Authorization: Bearer KEY` or, for
//! LanguageTool clients, as the `apiKey` parameter of `/v2/check` (query string
//! or form body). The key's *name* is what the rest of the server sees: rate
//! limits are kept per name and logs never hold a key.
//!
//! Keys are kept only as SHA-256 digests and a presented key is compared with
//! every digest in constant time, so neither the comparison's timing nor the
//! position of a match tells an attacker anything about the keys.
//!
//! ```
//! use unspun::server::access::KeyRing;
//! let ring = KeyRing::parse("# name key\ncms-prod 3c1d9a0e6b2f4a7c8d5e\n").unwrap();
//! assert_eq!(ring.name_of("3c1d9a0e6b2f4a7c8d5e").as_deref(), Some("cms-prod"));
//! assert_eq!(ring.name_of("3c1d9a0e6b2f4a7c8d5f"), None);
//! ```

use super::problem::ApiError;
use super::rate::Caller;
use super::route::Route;
use super::AppState;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use subtle::ConstantTimeEq;

/// Shortest key accepted: 16 characters, about 80 bits from a base-32 alphabet.
pub const MIN_KEY_CHARS: usize = 16;

/// Why a key file was refused. Never quotes a key.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum KeyFileError {
    /// The file could not be read.
    #[error("cannot read the API key file {path}: {message}")]
    Unreadable {
        /// The file.
        path: PathBuf,
        /// The system's reason.
        message: String,
    },
    /// A line is not `NAME KEY`.
    #[error("line {line} of the API key file: {problem}")]
    BadLine {
        /// 1-based line number.
        line: usize,
        /// What is wrong with it.
        problem: String,
    },
    /// The file has no key at all.
    #[error("the API key file has no keys")]
    Empty,
}

/// A set of named keys, as digests.
#[derive(Clone)]
pub struct KeyRing {
    keys: Vec<(Arc<str>, [u8; 32])>,
}

impl std::fmt::Debug for KeyRing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names: Vec<&str> = self.keys.iter().map(|(name, _)| &**name).collect();
        f.debug_struct("KeyRing").field("names", &names).finish()
    }
}

fn digest(key: &str) -> [u8; 32] {
    Sha256::digest(key.as_bytes()).into()
}

impl KeyRing {
    /// Parses a key file: `NAME KEY` per line, separated by spaces or tabs;
    /// blank lines and lines starting with `#` are skipped. Names and keys
    /// must be unique, keys at least [`MIN_KEY_CHARS`] long.
    pub fn parse(text: &str) -> Result<KeyRing, KeyFileError> {
        let mut keys: Vec<(Arc<str>, [u8; 32])> = Vec::new();
        for (index, raw) in text.lines().enumerate() {
            let line = index + 1;
            let trimmed = raw.trim();
            if trimmed.is_empty() || trimmed.starts_with('#') {
                continue;
            }
            let bad = |problem: &str| KeyFileError::BadLine {
                line,
                problem: problem.to_owned(),
            };
            let mut fields = trimmed.split_whitespace();
            let (Some(name), Some(key), None) = (fields.next(), fields.next(), fields.next())
            else {
                return Err(bad("expected a name and a key separated by a space"));
            };
            if key.chars().count() < MIN_KEY_CHARS {
                return Err(bad(&format!(
                    "the key of {name} is shorter than {MIN_KEY_CHARS} characters"
                )));
            }
            if !name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '@'))
            {
                return Err(bad(
                    "a name may hold only letters, digits and - _ . @ (it is written to logs and metrics)",
                ));
            }
            let hashed = digest(key);
            if keys.iter().any(|(known, _)| &**known == name) {
                return Err(bad(&format!("the name {name} is used twice")));
            }
            if keys
                .iter()
                .any(|(_, known)| bool::from(known.ct_eq(&hashed)))
            {
                return Err(bad(&format!(
                    "the key of {name} is also another name's key"
                )));
            }
            keys.push((Arc::from(name), hashed));
        }
        if keys.is_empty() {
            return Err(KeyFileError::Empty);
        }
        Ok(KeyRing { keys })
    }

    /// Reads and parses a key file.
    pub fn load(path: &Path) -> Result<KeyRing, KeyFileError> {
        let text = std::fs::read_to_string(path).map_err(|e| KeyFileError::Unreadable {
            path: path.to_owned(),
            message: e.to_string(),
        })?;
        KeyRing::parse(&text)
    }

    /// The name of `presented`'s key, if it is one of the ring's. Every key is
    /// compared, in constant time.
    pub fn name_of(&self, presented: &str) -> Option<Arc<str>> {
        let hashed = digest(presented);
        let mut found = None;
        for (name, key) in &self.keys {
            if bool::from(key.ct_eq(&hashed)) {
                found = Some(name.clone());
            }
        }
        found
    }

    /// How many keys the ring holds.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Whether the ring is empty (a parsed ring never is).
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }
}

/// The server's keys: a ring read from a file, replaced whole on reload.
#[derive(Debug)]
pub struct ApiKeys {
    path: PathBuf,
    ring: RwLock<Arc<KeyRing>>,
}

impl ApiKeys {
    /// Reads the keys from `path`.
    pub fn load(path: &Path) -> Result<ApiKeys, KeyFileError> {
        Ok(ApiKeys {
            path: path.to_owned(),
            ring: RwLock::new(Arc::new(KeyRing::load(path)?)),
        })
    }

    /// Reads the file again. On an error the keys in force stay as they are.
    /// Returns how many keys are now in force.
    pub fn reload(&self) -> Result<usize, KeyFileError> {
        let ring = KeyRing::load(&self.path)?;
        let count = ring.len();
        *self.ring.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(ring);
        Ok(count)
    }

    /// The name of `presented`'s key, if it is one of the keys in force.
    pub fn name_of(&self, presented: &str) -> Option<Arc<str>> {
        let ring = self.ring.read().unwrap_or_else(|e| e.into_inner()).clone();
        ring.name_of(presented)
    }
}

/// The key `Authorization: Bearer KEY` carries, if any (the scheme's case is
/// not significant).
fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, key) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| key.trim())
}

/// The `apiKey` parameter of a query string or form body.
fn api_key_parameter(form: &[u8]) -> Option<String> {
    super::languagetool::parse_form(form)
        .ok()?
        .into_iter()
        .find_map(|(name, value)| (name == "apiKey").then_some(value))
}

fn is_form(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|v| {
            v.trim()
                .eq_ignore_ascii_case("application/x-www-form-urlencoded")
        })
}

/// Middleware: with keys configured, answers 401 to a request without a known
/// key, and marks the others with their key's name ([`Caller::Key`]) for the
/// rate limits. A LanguageTool form post may carry its key in the body: the
/// body is then read here (under the server's size and time limits) and
/// passed on.
pub async fn authenticate(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let Some(keys) = state.api_keys() else {
        return next.run(request).await;
    };
    let route = Route::of(request.uri().path());
    if route.open_without_key() && !state.require_key_everywhere() {
        return next.run(request).await;
    }
    let mut request = request;
    let mut presented = bearer(request.headers()).map(str::to_owned);
    if presented.is_none() && route == Route::LanguageToolCheck {
        presented = request
            .uri()
            .query()
            .and_then(|query| api_key_parameter(query.as_bytes()));
        if presented.is_none() && request.method() == Method::POST && is_form(request.headers()) {
            let (parts, body) = request.into_parts();
            let limits = state.limits();
            let read = limits
                .read_body(&parts.headers, body, limits.deadline())
                .await;
            let bytes = match read {
                Ok((bytes, _reservation)) => bytes,
                Err(error) => return error.into_response(),
            };
            presented = api_key_parameter(&bytes);
            request = Request::from_parts(parts, Body::from(bytes));
        }
    }
    let Some(presented) = presented else {
        return ApiError::Unauthorized { key_sent: false }.into_response();
    };
    match keys.name_of(&presented) {
        Some(name) => {
            request.extensions_mut().insert(Caller::Key(name));
            next.run(request).await
        }
        None => ApiError::Unauthorized { key_sent: true }.into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_name_and_key_and_comments_are_skipped() {
        let ring = KeyRing::parse(
            "# newsroom keys\n\ncms   aaaaaaaaaaaaaaaa1\n\teditors\tbbbbbbbbbbbbbbbb2  \n",
        )
        .unwrap();
        assert_eq!(ring.len(), 2);
        assert_eq!(ring.name_of("aaaaaaaaaaaaaaaa1").as_deref(), Some("cms"));
        assert_eq!(
            ring.name_of("bbbbbbbbbbbbbbbb2").as_deref(),
            Some("editors")
        );
        assert_eq!(ring.name_of("cms"), None);
        assert_eq!(ring.name_of(""), None);
    }

    #[test]
    fn bad_files_are_refused_by_line_without_quoting_the_key() {
        let error = |text: &str| KeyRing::parse(text).unwrap_err().to_string();
        assert!(error("cms\n").contains("line 1"));
        assert!(error("cms aaaaaaaaaaaaaaaa extra\n").contains("line 1"));
        let short = error("# c\ncms secret123\n");
        assert!(
            short.contains("line 2") && short.contains("shorter than 16"),
            "{short}"
        );
        assert!(!short.contains("secret123"), "{short}");
        assert!(error("a aaaaaaaaaaaaaaaa\na bbbbbbbbbbbbbbbb\n").contains("used twice"));
        let reused = error("a aaaaaaaaaaaaaaaa\nb aaaaaaaaaaaaaaaa\n");
        assert!(
            reused.contains("another name") && !reused.contains("aaaa"),
            "{reused}"
        );
        assert!(error("a\"b aaaaaaaaaaaaaaaa\n").contains("letters, digits"));
        assert_eq!(
            KeyRing::parse("# nothing\n").unwrap_err(),
            KeyFileError::Empty
        );
    }

    #[test]
    fn a_key_of_exactly_the_minimum_length_is_accepted() {
        let key = "k".repeat(MIN_KEY_CHARS);
        assert!(KeyRing::parse(&format!("cms {key}")).is_ok());
        let short = "k".repeat(MIN_KEY_CHARS - 1);
        assert!(KeyRing::parse(&format!("cms {short}")).is_err());
    }

    #[test]
    fn debug_output_names_keys_but_never_shows_them() {
        let ring = KeyRing::parse("cms aaaaaaaaaaaaaaaa1").unwrap();
        let shown = format!("{ring:?}");
        assert!(shown.contains("cms") && !shown.contains("aaaa"), "{shown}");
    }

    #[test]
    fn reload_replaces_the_keys_and_keeps_them_on_a_bad_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keys");
        std::fs::write(&path, "cms aaaaaaaaaaaaaaaa1\n").unwrap();
        let keys = ApiKeys::load(&path).unwrap();
        std::fs::write(&path, "editors bbbbbbbbbbbbbbbb2\n").unwrap();
        assert_eq!(keys.reload(), Ok(1));
        assert_eq!(keys.name_of("aaaaaaaaaaaaaaaa1"), None);
        assert_eq!(
            keys.name_of("bbbbbbbbbbbbbbbb2").as_deref(),
            Some("editors")
        );
        std::fs::write(&path, "broken\n").unwrap();
        assert!(keys.reload().is_err());
        assert_eq!(
            keys.name_of("bbbbbbbbbbbbbbbb2").as_deref(),
            Some("editors")
        );
    }
}
