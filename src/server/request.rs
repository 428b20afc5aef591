//! Decoding request bodies: media types, UTF-8 and JSON, each failure a problem.
//!
//! axum's own `Json` extractor answers errors in plain text; these functions give
//! the same checks with problem-details errors, and tell apart the mistakes a
//! client can fix differently: not JSON at all, JSON of the wrong shape, an
//! unknown option (named), an option with a bad value (named).

use super::problem::ApiError;
use axum::http::{header, HeaderMap};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};

/// The body is a JSON document.
pub const JSON: &str = "application/json";
/// The body is newline-delimited JSON: one document per line.
pub const NDJSON: &str = "application/x-ndjson";

/// What a request body says it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyKind {
    /// `application/json` (or any `application/*+json`).
    Json,
    /// `application/x-ndjson` (also accepted: `application/ndjson`,
    /// `application/jsonl`, `application/x-jsonlines`).
    Ndjson,
}

/// Reads the `Content-Type` of a request. `None` when absent or neither kind.
pub fn body_kind(headers: &HeaderMap) -> Option<BodyKind> {
    let value = headers.get(header::CONTENT_TYPE)?.to_str().ok()?;
    let essence = value
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    match essence.as_str() {
        "application/json" => Some(BodyKind::Json),
        "application/x-ndjson"
        | "application/ndjson"
        | "application/jsonl"
        | "application/x-jsonlines" => Some(BodyKind::Ndjson),
        other if other.starts_with("application/") && other.ends_with("+json") => {
            Some(BodyKind::Json)
        }
        _ => None,
    }
}

/// The 415 error for a request whose body is not of the `expected` kinds.
pub fn unsupported(headers: &HeaderMap, expected: &'static str) -> ApiError {
    ApiError::UnsupportedMediaType {
        got: headers
            .get(header::CONTENT_TYPE)
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned()),
        expected,
    }
}

/// Requires a JSON body.
pub fn require_json(headers: &HeaderMap) -> Result<(), ApiError> {
    match body_kind(headers) {
        Some(BodyKind::Json) => Ok(()),
        _ => Err(unsupported(headers, JSON)),
    }
}

/// Checks that `bytes` are UTF-8.
pub fn utf8(bytes: &[u8]) -> Result<&str, ApiError> {
    std::str::from_utf8(bytes).map_err(|e| ApiError::InvalidUtf8 {
        offset: e.valid_up_to(),
    })
}

/// Parses a JSON object body into `T`, with errors that say where and what.
/// `option_names` are the members whose bad values are `invalid-option` errors.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8], option_names: &[&str]) -> Result<T, ApiError> {
    let text = utf8(bytes)?;
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let Object(value) = serde_path_to_error::deserialize(&mut deserializer)
        .map_err(|e| classify(e, option_names))?;
    deserializer
        .end()
        .map_err(|e| ApiError::MalformedJson(e.to_string()))?;
    Ok(value)
}

/// A `T` that must be written as a JSON object. serde's derived structs also
/// accept an array of their members in order; the API documents objects only,
/// so this refuses arrays rather than guess what their elements mean.
#[derive(Debug, Clone, PartialEq)]
pub struct Object<T>(pub T);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Object<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ObjectVisitor<T>(std::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de>> serde::de::Visitor<'de> for ObjectVisitor<T> {
            type Value = T;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
                T::deserialize(serde::de::value::MapAccessDeserializer::new(map))
            }
        }
        deserializer
            .deserialize_map(ObjectVisitor(std::marker::PhantomData))
            .map(Object)
    }
}

fn classify(
    error: serde_path_to_error::Error<serde_json::Error>,
    option_names: &[&str],
) -> ApiError {
    use serde_path_to_error::Segment;
    let inner = error.inner();
    if !inner.is_data() {
        return ApiError::MalformedJson(inner.to_string());
    }
    let message = without_position(&inner.to_string());
    let segments: Vec<&Segment> = error.path().iter().collect();
    if let Some(rest) = message.strip_prefix("unknown field `") {
        // The path ends with the unknown member itself: say where it was found.
        let option = rest.split('`').next().unwrap_or_default().to_string();
        let message = message.replacen("unknown field", "unknown option", 1);
        let detail = locate(&segments[..segments.len().saturating_sub(1)], &message);
        return ApiError::UnknownOption { option, detail };
    }
    let located = locate(&segments, &message);
    let last_key = segments.last().and_then(|segment| match segment {
        Segment::Map { key } => Some(key.as_str()),
        _ => None,
    });
    match last_key {
        Some(key) if option_names.contains(&key) => ApiError::InvalidOption {
            option: key.to_string(),
            detail: located,
        },
        _ => ApiError::InvalidRequest(located),
    }
}

/// Prefixes `message` with the member path (`documents[2].text: ...`), if any.
fn locate(segments: &[&serde_path_to_error::Segment], message: &str) -> String {
    use serde_path_to_error::Segment;
    let mut path = String::new();
    for segment in segments {
        match segment {
            Segment::Seq { index } => path.push_str(&format!("[{index}]")),
            Segment::Map { key } | Segment::Enum { variant: key } => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(key);
            }
            Segment::Unknown => path.push_str(if path.is_empty() { "?" } else { ".?" }),
        }
    }
    if path.is_empty() {
        message.to_string()
    } else {
        format!("{path}: {message}")
    }
}

/// serde_json appends " at line L column C" to messages; for errors about the
/// shape of the data the member path says more.
fn without_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

/// `deserialize_with` for optional members that may be left out but not `null`:
/// an explicit `null` is refused rather than read as "use the default".
pub fn present<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    T::deserialize(deserializer).map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Body {
        text: String,
        #[serde(default, deserialize_with = "present")]
        min_confidence: Option<f64>,
    }

    fn parse(json: &str) -> Result<Body, ApiError> {
        parse_json(json.as_bytes(), &["min_confidence"])
    }

    #[test]
    fn unknown_member_is_an_unknown_option_named_in_the_error() {
        match parse(r#"{"text": "a", "min_confidense": 0.5}"#) {
            Err(ApiError::UnknownOption { option, detail }) => {
                assert_eq!(option, "min_confidense");
                assert!(
                    detail.starts_with("unknown option `min_confidense`"),
                    "{detail}"
                );
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn wrong_type_or_null_for_an_option_is_an_invalid_option() {
        for body in [
            r#"{"text": "a", "min_confidence": "high"}"#,
            r#"{"text": "a", "min_confidence": null}"#,
        ] {
            match parse(body) {
                Err(ApiError::InvalidOption { option, detail }) => {
                    assert_eq!(option, "min_confidence");
                    assert!(
                        detail.starts_with("min_confidence: invalid type"),
                        "{detail}"
                    );
                }
                other => panic!("{other:?}"),
            }
        }
    }

    #[test]
    fn shape_syntax_and_encoding_errors_are_told_apart() {
        assert!(matches!(
            parse(r#"{"text": "a""#),
            Err(ApiError::MalformedJson(_))
        ));
        assert!(matches!(
            parse(r#"{"text": "a"} x"#),
            Err(ApiError::MalformedJson(_))
        ));
        assert_eq!(
            parse(r#"{}"#).unwrap_err(),
            ApiError::InvalidRequest("missing field `text`".into())
        );
        assert_eq!(
            parse(r#"{"text": 5}"#).unwrap_err(),
            ApiError::InvalidRequest("text: invalid type: integer `5`, expected a string".into())
        );
        assert_eq!(
            parse_json::<Body>(b"{\"text\": \"\xff\"}", &[]).unwrap_err(),
            ApiError::InvalidUtf8 { offset: 10 }
        );
    }

    #[test]
    fn media_types_are_matched_on_their_essence() {
        let mut headers = HeaderMap::new();
        assert_eq!(body_kind(&headers), None);
        for (value, kind) in [
            ("application/json", Some(BodyKind::Json)),
            ("Application/JSON; charset=utf-8", Some(BodyKind::Json)),
            ("application/merge-patch+json", Some(BodyKind::Json)),
            ("application/x-ndjson", Some(BodyKind::Ndjson)),
            ("text/plain", None),
        ] {
            headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(value));
            assert_eq!(body_kind(&headers), kind, "{value}");
        }
    }
}
