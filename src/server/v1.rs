//! The `/v1` endpoints and the service endpoints (`/healthz`, `/openapi.yaml`,
//! `/problems/{slug}`): request and response bodies, and the handlers.
//!
//! The request bodies mirror [`CheckOptions`] with two server-side choices: offsets
//! come in the unit the client asks for (editors in JavaScript need UTF-16, Python
//! code points), and `diff` is left out unless asked for (editors apply spans; the
//! diff is for people).

use super::budget::{Reservation, ReservedBody};
use super::limits::Limits;
use super::problem::{problem_type, ApiError};
use super::request::{parse_json, require_json};
use super::AppState;
use crate::report::{Report, Span, SpanKind, Verdict};
use crate::text::{LineIndex, OffsetUnit};
use crate::{Cancel, CheckOptions, Checker};
use axum::body::Body;
use axum::extract::{Path, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};

/// The OpenAPI document, served as is by `GET /openapi.yaml`.
pub const OPENAPI_YAML: &str = include_str!("../../openapi.yaml");

/// Names of the per-check options, as they appear in request bodies.
pub const OPTION_NAMES: &[&str] = &[
    "offset_unit",
    "min_confidence",
    "fix_threshold",
    "dictionaries",
    "allow",
    "include_fixed",
    "include_diff",
    "markup",
    "skip_quotes",
];

/// Declares a request body struct that has the per-check options as members
/// besides its own, so every endpoint spells the options the same way and
/// refuses unknown members (serde's `flatten` cannot be combined with that).
macro_rules! with_check_options {
    (
        $(#[$meta:meta])*
        pub struct $name:ident { $($(#[$fmeta:meta])* pub $field:ident : $ty:ty,)* }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Deserialize)]
        #[serde(deny_unknown_fields)]
        pub struct $name {
            $($(#[$fmeta])* pub $field: $ty,)*
            /// Unit of `start`, `end` and `column` in the response.
            #[serde(default, deserialize_with = "crate::server::request::present")]
            pub offset_unit: Option<$crate::text::OffsetUnit>,
            /// Spans below this confidence are left out.
            #[serde(default, deserialize_with = "crate::server::request::present")]
            pub min_confidence: Option<f64>,
            /// Spans at or above this confidence are fixed in `fixed`.
            #[serde(default, deserialize_with = "crate::server::request::present")]
            pub fix_threshold: Option<f64>,
            /// Dictionaries to use, by name; all loaded ones when absent.
            #[serde(default, deserialize_with = "crate::server::request::present")]
            pub dictionaries: Option<Vec<String>>,
            /// Words, phrases or rule ids never to flag.
            #[serde(default, deserialize_with = "crate::server::request::present")]
            pub allow: Option<Vec<String>>,
            /// Whether to include `fixed` (default true).
            #[serde(default, deserialize_with = "crate::server::request::present")]
            pub include_fixed: Option<bool>,
            /// Whether to include `diff` (default false).
            #[serde(default, deserialize_with = "crate::server::request::present")]
            pub include_diff: Option<bool>,
            /// How to read the text: `text` (default), `markdown` or `html`.
            #[serde(default, deserialize_with = "crate::server::request::present")]
            pub markup: Option<$crate::markup::Markup>,
            /// Leave quoted material (block quotes, `<q>`) unchecked.
            #[serde(default, deserialize_with = "crate::server::request::present")]
            pub skip_quotes: Option<bool>,
        }

        impl $name {
            /// The options given in this body; absent ones stay `None`.
            pub fn options(&self) -> $crate::server::v1::RequestOptions {
                $crate::server::v1::RequestOptions {
                    offset_unit: self.offset_unit,
                    min_confidence: self.min_confidence,
                    fix_threshold: self.fix_threshold,
                    dictionaries: self.dictionaries.clone(),
                    allow: self.allow.clone(),
                    include_fixed: self.include_fixed,
                    include_diff: self.include_diff,
                    markup: self.markup,
                    skip_quotes: self.skip_quotes,
                }
            }
        }
    };
}
pub(crate) use with_check_options;

with_check_options! {
    /// Body of `POST /v1/check`.
    pub struct CheckRequest {
        /// The text to check.
        pub text: String,
    }
}

/// Per-check options as sent; `None` means "not given".
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RequestOptions {
    /// See [`CheckRequest::offset_unit`].
    pub offset_unit: Option<OffsetUnit>,
    /// See [`CheckOptions::min_confidence`].
    pub min_confidence: Option<f64>,
    /// See [`CheckOptions::fix_threshold`].
    pub fix_threshold: Option<f64>,
    /// See [`CheckOptions::dictionaries`].
    pub dictionaries: Option<Vec<String>>,
    /// See [`CheckOptions::allow`].
    pub allow: Option<Vec<String>>,
    /// See [`CheckOptions::include_fixed`].
    pub include_fixed: Option<bool>,
    /// See [`CheckOptions::include_diff`].
    pub include_diff: Option<bool>,
    /// See [`CheckOptions::markup`].
    pub markup: Option<crate::markup::Markup>,
    /// See [`CheckOptions::skip_quotes`].
    pub skip_quotes: Option<bool>,
}

impl RequestOptions {
    /// These options, with those not given taken from `defaults`.
    pub fn or(self, defaults: &RequestOptions) -> RequestOptions {
        RequestOptions {
            offset_unit: self.offset_unit.or(defaults.offset_unit),
            min_confidence: self.min_confidence.or(defaults.min_confidence),
            fix_threshold: self.fix_threshold.or(defaults.fix_threshold),
            dictionaries: self.dictionaries.or_else(|| defaults.dictionaries.clone()),
            allow: self.allow.or_else(|| defaults.allow.clone()),
            include_fixed: self.include_fixed.or(defaults.include_fixed),
            include_diff: self.include_diff.or(defaults.include_diff),
            markup: self.markup.or(defaults.markup),
            skip_quotes: self.skip_quotes.or(defaults.skip_quotes),
        }
    }

    /// The offset unit and library options these stand for, checked against what
    /// the checker has loaded. Options not given take the server's defaults
    /// ([`AppState::defaults`]: the library's unless the operator set others);
    /// `allow` adds to the server's list. Offsets default to UTF-8 bytes, and the
    /// report has `fixed` but not `diff` unless asked otherwise.
    pub fn resolve(self, state: &AppState) -> Result<(OffsetUnit, CheckOptions), ApiError> {
        let defaults = state.defaults();
        let mut allow = defaults.allow.clone();
        allow.extend(self.allow.unwrap_or_default());
        let options = CheckOptions {
            min_confidence: self.min_confidence.unwrap_or(defaults.min_confidence),
            fix_threshold: self.fix_threshold.unwrap_or(defaults.fix_threshold),
            allow,
            dictionaries: self.dictionaries.or_else(|| defaults.dictionaries.clone()),
            include_fixed: self.include_fixed.unwrap_or(true),
            include_diff: self.include_diff.unwrap_or(false),
            diff_name: defaults.diff_name.clone(),
            markup: self.markup.unwrap_or(defaults.markup),
            skip_quotes: self.skip_quotes.unwrap_or(defaults.skip_quotes),
        };
        state.checker().validate(&options)?;
        Ok((self.offset_unit.unwrap_or_default(), options))
    }
}

/// A report as the API returns it: offsets in the unit asked for.
#[derive(Debug, Serialize)]
pub struct ReportBody<'a> {
    /// The unit of `start`, `end` and `column`.
    pub offset_unit: OffsetUnit,
    /// See [`Report::score`].
    pub score: f64,
    /// See [`Report::verdict`].
    pub verdict: Verdict,
    /// See [`Report::words`].
    pub words: usize,
    /// The spans, offsets converted.
    pub spans: Vec<SpanBody<'a>>,
    /// See [`Report::fixed`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fixed: Option<&'a str>,
    /// See [`Report::diff`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub diff: Option<&'a str>,
}

/// A span as the API returns it.
#[derive(Debug, Serialize)]
pub struct SpanBody<'a> {
    /// Offset of the artifact's start, in the report's unit.
    pub start: usize,
    /// Offset one past the artifact's end, in the report's unit.
    pub end: usize,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, counted in the report's unit.
    pub column: usize,
    /// See [`Span::text`].
    pub text: &'a str,
    /// See [`Span::kind`].
    pub kind: SpanKind,
    /// See [`Span::rule`].
    pub rule: &'a str,
    /// See [`Span::confidence`].
    pub confidence: f64,
    /// See [`Span::message`].
    pub message: &'a str,
    /// See [`Span::suggestions`].
    pub suggestions: &'a [String],
    /// See [`Span::fixable`].
    pub fixable: bool,
}

impl<'a> ReportBody<'a> {
    /// Converts `report` on `text` into the API's form with offsets in `unit`.
    pub fn new(text: &str, report: &'a Report, unit: OffsetUnit) -> Self {
        // start, end and line start of every span, converted in one pass; the
        // line starts come from one index, not a search back per span (which
        // cost spans x line length on a long line).
        let lines = (!report.spans.is_empty()).then(|| LineIndex::new(text));
        let mut bytes = Vec::with_capacity(report.spans.len() * 3);
        for span in &report.spans {
            let line_start = lines.as_ref().map_or(0, |l| l.line_start(span.line));
            bytes.extend([span.start, span.end, line_start]);
        }
        let units = unit.convert_all(text, &bytes);
        let spans = report
            .spans
            .iter()
            .zip(units.chunks_exact(3))
            .map(|(span, u): (&'a Span, _)| SpanBody {
                start: u[0],
                end: u[1],
                line: span.line,
                column: u[0] - u[2] + 1,
                text: &span.text,
                kind: span.kind,
                rule: &span.rule,
                confidence: span.confidence,
                message: &span.message,
                suggestions: &span.suggestions,
                fixable: span.fixable,
            })
            .collect();
        ReportBody {
            offset_unit: unit,
            score: report.score,
            verdict: report.verdict,
            words: report.words,
            spans,
            fixed: report.fixed.as_deref(),
            diff: report.diff.as_deref(),
        }
    }
}

/// Checks one text and serializes the API's report, appending to `out`.
/// Gives up with the check-timeout error once `cancel` says so.
pub fn check_into(
    out: &mut Vec<u8>,
    state: &AppState,
    text: &str,
    unit: OffsetUnit,
    options: &CheckOptions,
    cancel: &Cancel,
) -> Result<(), ApiError> {
    let report = state
        .checker()
        .check_cancellable(text, options, cancel)?
        .ok_or_else(|| ApiError::CheckTimeout {
            limit_ms: state.limits().timeout_ms(),
        })?;
    state.metrics().count_spans(&report.spans);
    serde_json::to_writer(out, &ReportBody::new(text, &report, unit))
        .map_err(|e| ApiError::Internal(format!("the report could not be serialized: {e}")))
}

/// A `200 OK` with a JSON body.
pub fn json_response(body: Vec<u8>) -> Response {
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        body,
    )
        .into_response()
}

/// A `200 OK` with a JSON body that holds `reservation` until it is sent.
pub fn reserved_json_response(body: Vec<u8>, reservation: Reservation) -> Response {
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        Body::new(ReservedBody::new(body, reservation)),
    )
        .into_response()
}

/// `POST /v1/check`: checks one text.
pub async fn check(State(state): State<AppState>, request: Request) -> Result<Response, ApiError> {
    let limits: &Limits = state.limits();
    let deadline = limits.deadline();
    let (parts, body) = request.into_parts();
    require_json(&parts.headers)?;
    let (bytes, mut reservation) = limits.read_body(&parts.headers, body, deadline).await?;
    let slot = limits.admit(&mut reservation, bytes.len())?;
    let shared = state.clone();
    let size = bytes.len();
    let body = limits
        .run_blocking(slot, deadline, size, move |cancel| {
            let request: CheckRequest = parse_json(&bytes, OPTION_NAMES)?;
            drop(bytes);
            let (unit, options) = request.options().resolve(&shared)?;
            let mut out = Vec::with_capacity(1024 + request.text.len() * 2);
            check_into(&mut out, &shared, &request.text, unit, &options, cancel)?;
            Ok::<_, ApiError>(out)
        })
        .await??;
    Ok(reserved_json_response(body, reservation))
}

/// `GET /v1/dictionaries`: what the checker has loaded.
pub async fn dictionaries(State(state): State<AppState>) -> Response {
    json_response(state.dictionaries_json().to_vec())
}

/// The body of `GET /v1/dictionaries`.
pub fn dictionaries_json(checker: &Checker) -> Vec<u8> {
    #[derive(Serialize)]
    struct Dictionaries<'a> {
        dictionaries: &'a [crate::dict::DictionaryInfo],
    }
    serde_json::to_vec(&Dictionaries {
        dictionaries: checker.dictionaries(),
    })
    .expect("dictionary infos serialize")
}

/// `GET /healthz`: the process is up and serving.
pub async fn healthz() -> Response {
    json_response(br#"{"status":"ok"}"#.to_vec())
}

/// `GET /openapi.yaml`: the API description, the file in the repository as is.
pub async fn openapi() -> Response {
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/yaml"),
        )],
        OPENAPI_YAML,
    )
        .into_response()
}

/// `GET /problems/{slug}`: what a problem type means, for people.
pub async fn problem_doc(Path(slug): Path<String>) -> Result<Response, ApiError> {
    let kind = problem_type(&slug).ok_or_else(|| ApiError::NotFound {
        path: format!("/problems/{slug}"),
    })?;
    let text = format!(
        "{} ({} {})\n\n{}\n",
        kind.title,
        kind.status.as_u16(),
        kind.status.canonical_reason().unwrap_or_default(),
        kind.explanation
    );
    Ok((
        StatusCode::OK,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/plain; charset=utf-8"),
        )],
        Body::from(text),
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_fall_back_to_the_defaults_member_by_member() {
        let shared = RequestOptions {
            offset_unit: Some(OffsetUnit::Utf16),
            min_confidence: Some(0.7),
            ..Default::default()
        };
        let own = RequestOptions {
            min_confidence: Some(0.2),
            include_diff: Some(true),
            ..Default::default()
        };
        let merged = own.or(&shared);
        assert_eq!(merged.offset_unit, Some(OffsetUnit::Utf16));
        assert_eq!(merged.min_confidence, Some(0.2));
        assert_eq!(merged.include_diff, Some(true));
    }

    #[test]
    fn api_defaults_include_fixed_but_not_diff() {
        let state = AppState::new(Checker::new(), &crate::server::ServeConfig::default()).unwrap();
        let (unit, options) = RequestOptions::default().resolve(&state).unwrap();
        assert_eq!(unit, OffsetUnit::Utf8);
        assert!(options.include_fixed);
        assert!(!options.include_diff);
    }

    #[test]
    fn columns_count_in_the_offset_unit() {
        let text = "😀 line one\n東京 é The travel comes arsenic Mexico has worked to negociate with the Trump medication.";
        let checker = Checker::new();
        let report = checker.check(text);
        let span = report
            .spans
            .iter()
            .find(|s| s.text == "arsenic")
            .expect("arsenic is flagged");
        for (unit, column) in [
            (OffsetUnit::Utf8, 28),
            (OffsetUnit::Char, 23),
            (OffsetUnit::Utf16, 23),
        ] {
            let body = ReportBody::new(text, &report, unit);
            let s = body.spans.iter().find(|s| s.text == "arsenic").unwrap();
            assert_eq!((s.line, s.column), (2, column), "{unit:?}");
        }
        assert_eq!(span.line, 2);
    }
}
