//! The LanguageTool HTTP API v2 (`/v2/...`), so that editors, browser add-ons and
//! CMS plugins that already speak it can show spinning artifacts inline with no new
//! client code: the user points them at an unspun server instead of LanguageTool.
//!
//! The protocol is followed as real clients use it, not as one might wish:
//!
//! - `/v2/check` reads its POST body as `application/x-www-form-urlencoded`
//!   whatever the `Content-Type` says (several clients send a JSON type with a
//!   form body), and query-string parameters override body parameters.
//! - Offsets and lengths are UTF-16 code units (Java string indices).
//! - Errors are plain text, `Error: ...`, with LanguageTool's status codes.
//!
//! Artifacts become matches under two stable rules, one per kind, each in its own
//! category, so a client can turn a whole family off:
//!
//! | rule id | category id | what |
//! | --- | --- | --- |
//! | `UNSPUN_SPUN_WORD` | `UNSPUN_SPUN_WORDS` | a word swapped for a wrong-sense synonym ("connected Friday") |
//! | `UNSPUN_TORTURED_PHRASE` | `UNSPUN_TORTURED_PHRASES` | a tortured phrase ("counterfeit consciousness") |
//!
//! `disabledRules` also takes unspun's own fine-grained rule ids (the match's
//! `rule.subId`, e.g. `spun-word/spun-words/arsenic`) and plain words or phrases,
//! which are never flagged then (they go to the checker's allow list).

use super::budget::ReservedBody;
use super::problem::ApiError;
use super::v1::RequestOptions;
use super::AppState;
use crate::report::{Span, SpanKind};
use crate::text::OffsetUnit;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;

/// The rule id of spun words.
pub const SPUN_WORD_RULE: &str = "UNSPUN_SPUN_WORD";
/// The rule id of tortured phrases.
pub const TORTURED_PHRASE_RULE: &str = "UNSPUN_TORTURED_PHRASE";
/// The category of spun words.
pub const SPUN_WORDS_CATEGORY: &str = "UNSPUN_SPUN_WORDS";
/// The category of tortured phrases.
pub const TORTURED_PHRASES_CATEGORY: &str = "UNSPUN_TORTURED_PHRASES";

/// The languages checked: `(code, longCode, name)`, as `GET /v2/languages` lists them.
pub const LANGUAGES: &[(&str, &str, &str)] = &[
    ("en", "en", "English"),
    ("en", "en-US", "English (US)"),
    ("en", "en-GB", "English (GB)"),
    ("en", "en-AU", "English (Australian)"),
    ("en", "en-CA", "English (Canadian)"),
    ("en", "en-NZ", "English (New Zealand)"),
    ("en", "en-ZA", "English (South African)"),
];

/// Characters of context shown on each side of a match.
pub const CONTEXT_CHARS: usize = 40;

/// Characters of a match's `sentence` kept on each side of the match: a text
/// without sentence punctuation is one sentence, and copying it whole into
/// every match made the response grow with matches x text length.
pub const SENTENCE_CHARS: usize = 100;

/// The longest client-given value an error message repeats; longer ones, and
/// any with characters beyond letters, digits, `-`, `_` and `.`, are not
/// echoed, so an error body never carries a client's markup.
const ECHO_CHARS: usize = 32;

/// An error in LanguageTool's form: a status and a plain-text `Error: ...` body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LtError {
    /// The HTTP status.
    pub status: StatusCode,
    /// What went wrong, without the `Error: ` prefix.
    pub message: String,
}

impl LtError {
    fn bad_request(message: impl Into<String>) -> Self {
        LtError {
            status: StatusCode::BAD_REQUEST,
            message: message.into(),
        }
    }
}

impl From<ApiError> for LtError {
    fn from(error: ApiError) -> Self {
        LtError {
            status: error.status(),
            message: error.problem().detail,
        }
    }
}

/// `value` quoted for an error message, if it is short and plain; otherwise a
/// placeholder (see [`ECHO_CHARS`]).
fn echo(value: &str) -> String {
    let plain = value.len() <= ECHO_CHARS
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if plain {
        format!("'{value}'")
    } else {
        "the value given".to_string()
    }
}

impl IntoResponse for LtError {
    fn into_response(self) -> Response {
        let overloaded = self.status == StatusCode::SERVICE_UNAVAILABLE;
        let mut response = (
            self.status,
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/plain; charset=utf-8"),
            )],
            Body::from(format!("Error: {}", self.message)),
        )
            .into_response();
        if overloaded {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        }
        response
    }
}

/// Decodes an `application/x-www-form-urlencoded` string into its pairs, in order.
pub fn parse_form(input: &[u8]) -> Result<Vec<(String, String)>, LtError> {
    fn decode(part: &[u8]) -> Result<String, LtError> {
        let mut out = Vec::with_capacity(part.len());
        let mut i = 0;
        while i < part.len() {
            match part[i] {
                b'+' => out.push(b' '),
                b'%' if i + 2 < part.len() => {
                    let hex = std::str::from_utf8(&part[i + 1..i + 3]).ok();
                    match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                        Some(byte) => {
                            out.push(byte);
                            i += 2;
                        }
                        None => out.push(b'%'),
                    }
                }
                byte => out.push(byte),
            }
            i += 1;
        }
        String::from_utf8(out)
            .map_err(|_| LtError::bad_request("the parameters are not valid UTF-8"))
    }
    input
        .split(|&b| b == b'&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (key, value) = match pair.iter().position(|&b| b == b'=') {
                Some(eq) => (&pair[..eq], &pair[eq + 1..]),
                None => (pair, &b""[..]),
            };
            Ok((decode(key)?, decode(value)?))
        })
        .collect()
}

/// The text to check: the whole annotated text, the prose projection the checker
/// sees, and where each projected byte lies in the whole text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Annotated {
    /// The whole text, markup included: offsets refer to it.
    pub full: String,
    /// What is checked: text items, and `interpretAs` in place of markup.
    pub projected: String,
    /// For each projected byte, the full-text offset where it starts.
    starts: Vec<usize>,
    /// For each projected byte, the full-text offset where it ends.
    ends: Vec<usize>,
}

impl Annotated {
    /// Plain text: checked as it is.
    pub fn plain(text: &str) -> Self {
        let mut annotated = Annotated::default();
        annotated.push_text(text);
        annotated
    }

    /// The `data` parameter: `{"text": ...}` or `{"annotation": [...]}`.
    pub fn from_data(data: &str) -> Result<Self, LtError> {
        let value: Value = serde_json::from_str(data)
            .map_err(|e| LtError::bad_request(format!("'data' is not valid JSON: {e}")))?;
        if let Some(text) = value.get("text") {
            let text = text
                .as_str()
                .ok_or_else(|| LtError::bad_request("'data.text' must be a string"))?;
            return Ok(Annotated::plain(text));
        }
        let items = value
            .get("annotation")
            .and_then(Value::as_array)
            .ok_or_else(|| {
                LtError::bad_request("'data' needs a 'text' string or an 'annotation' array")
            })?;
        let mut annotated = Annotated::default();
        for item in items {
            let field = |name: &str| -> Result<Option<&str>, LtError> {
                match item.get(name) {
                    None => Ok(None),
                    Some(v) => v.as_str().map(Some).ok_or_else(|| {
                        LtError::bad_request(format!("annotation '{name}' must be a string"))
                    }),
                }
            };
            match (field("text")?, field("markup")?, field("interpretAs")?) {
                (Some(_), Some(_), _) => {
                    return Err(LtError::bad_request(
                        "an annotation item has either 'text' or 'markup', not both",
                    ))
                }
                (Some(_), None, Some(_)) => {
                    return Err(LtError::bad_request(
                        "'interpretAs' is only valid together with 'markup'",
                    ))
                }
                (Some(text), None, None) => annotated.push_text(text),
                (None, Some(markup), interpret_as) => {
                    annotated.push_markup(markup, interpret_as.unwrap_or(""))
                }
                (None, None, _) => {
                    return Err(LtError::bad_request(
                        "an annotation item needs 'text' or 'markup'",
                    ))
                }
            }
        }
        Ok(annotated)
    }

    fn push_text(&mut self, text: &str) {
        let base = self.full.len();
        self.full.push_str(text);
        self.projected.push_str(text);
        self.starts.extend((0..text.len()).map(|i| base + i));
        self.ends.extend((1..=text.len()).map(|i| base + i));
    }

    fn push_markup(&mut self, markup: &str, interpret_as: &str) {
        let start = self.full.len();
        self.full.push_str(markup);
        let end = self.full.len();
        self.projected.push_str(interpret_as);
        self.starts
            .extend(std::iter::repeat_n(start, interpret_as.len()));
        self.ends
            .extend(std::iter::repeat_n(end, interpret_as.len()));
    }

    /// The full-text byte range of the projected range `start..end`.
    pub fn to_full(&self, start: usize, end: usize) -> (usize, usize) {
        if start >= end {
            let at = self.starts.get(start).copied().unwrap_or(self.full.len());
            return (at, at);
        }
        (self.starts[start], self.ends[end - 1])
    }
}

/// The request parameters: body pairs, then query pairs over them.
fn parameters(query: Option<&str>, body: &[u8]) -> Result<BTreeMap<String, String>, LtError> {
    let mut params: BTreeMap<String, String> = parse_form(body)?.into_iter().collect();
    params.extend(parse_form(query.unwrap_or("").as_bytes())?);
    Ok(params)
}

/// A comma-separated list parameter, items trimmed, empty ones dropped.
fn list<'a>(params: &'a BTreeMap<String, String>, name: &str) -> Vec<&'a str> {
    params
        .get(name)
        .map(|v| {
            v.split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .collect()
        })
        .unwrap_or_default()
}

/// The rule and category of a kind of artifact, with their descriptions.
fn rule_of(kind: SpanKind) -> (&'static str, &'static str, &'static str, &'static str) {
    match kind {
        SpanKind::SpunWord => (
            SPUN_WORD_RULE,
            "A word swapped for a wrong-sense synonym by an article spinner",
            SPUN_WORDS_CATEGORY,
            "Spun words",
        ),
        SpanKind::TorturedPhrase => (
            TORTURED_PHRASE_RULE,
            "A tortured phrase: an established term replaced by a synonym phrase",
            TORTURED_PHRASES_CATEGORY,
            "Tortured phrases",
        ),
    }
}

/// The language a code names: `(code, name)`, or LanguageTool's 400.
fn language(code: &str) -> Result<(&'static str, &'static str), LtError> {
    if code.eq_ignore_ascii_case("auto") {
        return Ok(("en-US", "English (US)"));
    }
    LANGUAGES
        .iter()
        .find(|(_, long, _)| long.eq_ignore_ascii_case(&code.replace('_', "-")))
        .map(|&(_, long, name)| (long, name))
        .ok_or_else(|| {
            let known: Vec<&str> = LANGUAGES.iter().map(|(_, long, _)| *long).collect();
            LtError::bad_request(format!(
                "{} is not a language code unspun checks: it finds spinning artifacts in English only. Supported language codes are: {}, auto",
                echo(code),
                known.join(", ")
            ))
        })
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Software {
    name: &'static str,
    version: &'static str,
    build_date: &'static str,
    api_version: u32,
    premium: bool,
    status: &'static str,
}

const SOFTWARE: Software = Software {
    name: "unspun",
    version: env!("CARGO_PKG_VERSION"),
    build_date: "",
    api_version: 1,
    premium: false,
    status: "",
};

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct CheckResponse {
    software: Software,
    warnings: Warnings,
    language: LanguageBody,
    matches: Vec<Match>,
    sentence_ranges: Vec<[usize; 2]>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Warnings {
    incomplete_results: bool,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LanguageBody {
    name: &'static str,
    code: &'static str,
    detected_language: DetectedLanguage,
}

#[derive(Serialize)]
struct DetectedLanguage {
    name: &'static str,
    code: &'static str,
    confidence: f64,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Match {
    message: String,
    short_message: &'static str,
    replacements: Vec<Replacement>,
    offset: usize,
    length: usize,
    context: Context,
    sentence: String,
    #[serde(rename = "type")]
    kind: TypeName,
    rule: Rule,
    ignore_for_incomplete_sentence: bool,
    context_for_sure_match: i32,
}

#[derive(Serialize)]
struct Replacement {
    value: String,
}

#[derive(Serialize)]
struct Context {
    text: String,
    offset: usize,
    length: usize,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct TypeName {
    type_name: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule {
    id: &'static str,
    sub_id: String,
    description: &'static str,
    issue_type: &'static str,
    category: Category,
}

#[derive(Serialize)]
struct Category {
    id: &'static str,
    name: &'static str,
}

fn utf16_len(text: &str) -> usize {
    text.encode_utf16().count()
}

/// The sentence ranges of `text` as byte ranges: split after `.`, `!` or `?`
/// followed by white space, and at blank lines.
fn sentences(text: &str) -> Vec<(usize, usize)> {
    let mut ranges = Vec::new();
    let mut start = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let next = chars.peek().map(|&(_, n)| n);
        let ends = (matches!(c, '.' | '!' | '?') && next.is_some_and(char::is_whitespace))
            || (c == '\n' && next == Some('\n'));
        if ends {
            let end = i + c.len_utf8();
            if !text[start..end].trim().is_empty() {
                ranges.push((start, end));
            }
            start = end;
            while let Some(&(j, n)) = chars.peek() {
                if !n.is_whitespace() {
                    break;
                }
                chars.next();
                start = j + n.len_utf8();
            }
        }
    }
    if !text[start..].trim().is_empty() {
        ranges.push((start, text.trim_end().len().max(start)));
    }
    ranges
}

/// The context of `start..end` in `text`: up to [`CONTEXT_CHARS`] characters on
/// each side, `...` where cut, line breaks as spaces; offsets in UTF-16.
fn context(text: &str, start: usize, end: usize) -> Context {
    let before = text[..start]
        .char_indices()
        .rev()
        .nth(CONTEXT_CHARS - 1)
        .map_or(0, |(i, _)| i);
    let after = text[end..]
        .char_indices()
        .nth(CONTEXT_CHARS)
        .map_or(text.len(), |(i, _)| end + i);
    let mut shown = String::new();
    if before > 0 {
        shown.push_str("...");
    }
    let offset = utf16_len(&shown) + utf16_len(&text[before..start]);
    shown.push_str(&text[before..after]);
    if after < text.len() {
        shown.push_str("...");
    }
    Context {
        text: shown.replace(['\n', '\r', '\t'], " "),
        offset,
        length: utf16_len(&text[start..end]),
    }
}

/// The `sentence` of a match at `start..end`: its sentence among `ranges`
/// (sorted, disjoint), found by binary search, cut to [`SENTENCE_CHARS`] on
/// each side of the match; empty if the match is in no sentence.
fn sentence_around<'t>(
    text: &'t str,
    ranges: &[(usize, usize)],
    start: usize,
    end: usize,
) -> &'t str {
    let i = ranges.partition_point(|&(_, e)| e <= start);
    let Some(&(s, e)) = ranges.get(i).filter(|&&(s, _)| s <= start) else {
        return "";
    };
    let from = text[s..start]
        .char_indices()
        .rev()
        .nth(SENTENCE_CHARS - 1)
        .map_or(s, |(i, _)| s + i);
    let end = end.min(e);
    let to = text[end..e]
        .char_indices()
        .nth(SENTENCE_CHARS)
        .map_or(e, |(i, _)| end + i);
    &text[from..to]
}

/// What a check request asks for, once its parameters are read.
struct CheckPlan {
    text: Annotated,
    language: (&'static str, &'static str),
    disabled_kinds: Vec<SpanKind>,
    allow: Vec<String>,
}

fn plan(params: &BTreeMap<String, String>) -> Result<CheckPlan, LtError> {
    let text = match (params.get("text"), params.get("data")) {
        (Some(_), Some(_)) => {
            return Err(LtError::bad_request("Set only 'text' or 'data', not both"))
        }
        (Some(text), None) => Annotated::plain(text),
        (None, Some(data)) => Annotated::from_data(data)?,
        (None, None) => return Err(LtError::bad_request("Missing 'text' or 'data' parameter")),
    };
    let code = params
        .get("language")
        .ok_or_else(|| LtError::bad_request("Missing 'language' parameter"))?;
    let language = language(code)?;
    match params.get("level").map(String::as_str) {
        None | Some("default") | Some("picky") => {}
        Some(other) => {
            return Err(LtError::bad_request(format!(
                "'level' must be 'default' or 'picky', not {}",
                echo(other)
            )))
        }
    }
    let kinds = [SpanKind::SpunWord, SpanKind::TorturedPhrase];
    let disabled_rules = list(params, "disabledRules");
    let disabled_categories = list(params, "disabledCategories");
    let mut disabled_kinds: Vec<SpanKind> = kinds
        .into_iter()
        .filter(|&kind| {
            let (rule, _, category, _) = rule_of(kind);
            disabled_rules.contains(&rule) || disabled_categories.contains(&category)
        })
        .collect();
    let enabled_only = match params.get("enabledOnly").map(String::as_str) {
        None | Some("false") => false,
        Some("true") => true,
        Some(other) => {
            return Err(LtError::bad_request(format!(
                "'enabledOnly' must be 'true' or 'false', not {}",
                echo(other)
            )))
        }
    };
    if enabled_only {
        let enabled_rules = list(params, "enabledRules");
        let enabled_categories = list(params, "enabledCategories");
        if enabled_rules.is_empty() && enabled_categories.is_empty() {
            return Err(LtError::bad_request(
                "You cannot specify 'enabledOnly' without 'enabledRules' or 'enabledCategories'",
            ));
        }
        for kind in kinds {
            let (rule, _, category, _) = rule_of(kind);
            if !enabled_rules.contains(&rule) && !enabled_categories.contains(&category) {
                disabled_kinds.push(kind);
            }
        }
    }
    // Other disabled rule ids are unspun's own rule ids or words: allowed.
    let allow = disabled_rules
        .iter()
        .filter(|id| !id.starts_with("UNSPUN_"))
        .map(|id| id.to_string())
        .collect();
    Ok(CheckPlan {
        text,
        language,
        disabled_kinds,
        allow,
    })
}

fn render(plan: &CheckPlan, spans: &[Span]) -> CheckResponse {
    let full = &plan.text.full;
    let ranges = sentences(full);
    let spans: Vec<(&Span, usize, usize)> = spans
        .iter()
        .filter(|s| !plan.disabled_kinds.contains(&s.kind))
        .map(|s| {
            let (start, end) = plan.text.to_full(s.start, s.end);
            (s, start, end)
        })
        .collect();
    let mut bytes: Vec<usize> = spans.iter().flat_map(|&(_, s, e)| [s, e]).collect();
    bytes.extend(ranges.iter().flat_map(|&(s, e)| [s, e]));
    let units = OffsetUnit::Utf16.convert_all(full, &bytes);
    let matches = spans
        .iter()
        .zip(units.chunks_exact(2))
        .map(|(&(span, start, end), u)| {
            let (id, description, category, category_name) = rule_of(span.kind);
            let sentence = sentence_around(full, &ranges, start, end);
            Match {
                message: span.message.clone(),
                short_message: match span.kind {
                    SpanKind::SpunWord => "Spun word",
                    SpanKind::TorturedPhrase => "Tortured phrase",
                },
                // Only the fixes `fixed` makes are offered as replacements, so
                // a client's automatic correction equals /v1/check's `fixed`;
                // an uncertain original is still named in the message.
                replacements: if span.fixable {
                    span.suggestions
                        .iter()
                        .map(|value| Replacement {
                            value: value.clone(),
                        })
                        .collect()
                } else {
                    Vec::new()
                },
                offset: u[0],
                length: u[1] - u[0],
                context: context(full, start, end),
                sentence: sentence.to_owned(),
                kind: TypeName { type_name: "Other" },
                rule: Rule {
                    id,
                    sub_id: span.rule.clone(),
                    description,
                    issue_type: "style",
                    category: Category {
                        id: category,
                        name: category_name,
                    },
                },
                ignore_for_incomplete_sentence: false,
                context_for_sure_match: 0,
            }
        })
        .collect();
    let (code, name) = plan.language;
    CheckResponse {
        software: SOFTWARE,
        warnings: Warnings {
            incomplete_results: false,
        },
        language: LanguageBody {
            name,
            code,
            detected_language: DetectedLanguage {
                name,
                code,
                confidence: 1.0,
            },
        },
        matches,
        sentence_ranges: units[spans.len() * 2..]
            .chunks_exact(2)
            .map(|u| [u[0], u[1]])
            .collect(),
    }
}

fn json(value: &impl Serialize) -> Response {
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        serde_json::to_vec(value).expect("the response serializes"),
    )
        .into_response()
}

/// `GET|POST /v2/check`: checks `text` or `data` and answers LanguageTool matches.
pub async fn check(State(state): State<AppState>, request: Request) -> Result<Response, LtError> {
    let limits = state.limits();
    let deadline = limits.deadline();
    let (parts, body) = request.into_parts();
    let (body, mut reservation) = limits.read_body(&parts.headers, body, deadline).await?;
    let query = parts.uri.query().map(str::to_owned);
    let size = body.len() + query.as_ref().map_or(0, String::len);
    let slot = limits.admit(&mut reservation, size)?;
    let shared = state.clone();
    // Decoding a form of megabytes is work like the check: it runs on the
    // blocking pool too, so long requests never hold the async workers.
    let response = limits
        .run_blocking(slot, deadline, size, move |cancel| {
            let params = parameters(query.as_deref(), &body)?;
            drop(body);
            let plan = plan(&params)?;
            drop(params);
            let (_, mut options) = RequestOptions::default().resolve(&shared)?;
            options.include_fixed = false;
            options.include_diff = false;
            options.allow.extend(plan.allow.iter().cloned());
            let timeout = || ApiError::CheckTimeout {
                limit_ms: shared.limits().timeout_ms(),
            };
            let report = shared
                .checker()
                .check_cancellable(&plan.text.projected, &options, cancel)
                .map_err(ApiError::from)?
                .ok_or_else(timeout)?;
            if cancel.is_cancelled() {
                return Err(timeout().into());
            }
            shared.metrics().count_spans(&report.spans);
            let response = render(&plan, &report.spans);
            Ok::<_, LtError>(serde_json::to_vec(&response).expect("the response serializes"))
        })
        .await??;
    Ok((
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        Body::new(ReservedBody::new(response, reservation)),
    )
        .into_response())
}

/// `GET /v2/languages`: the English variants unspun checks.
pub async fn languages() -> Response {
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Language {
        name: &'static str,
        code: &'static str,
        long_code: &'static str,
    }
    let list: Vec<Language> = LANGUAGES
        .iter()
        .map(|&(code, long_code, name)| Language {
            name,
            code,
            long_code,
        })
        .collect();
    json(&list)
}

/// `GET /v2/healthcheck`: plain `OK`.
pub async fn healthcheck() -> Response {
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/plain; charset=utf-8"),
        )],
        "OK",
    )
        .into_response()
}

/// `GET /v2/info`: what software answers.
pub async fn info() -> Response {
    #[derive(Serialize)]
    struct Info {
        software: Software,
    }
    json(&Info { software: SOFTWARE })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_decoding_handles_plus_percent_and_bare_keys() {
        let pairs = parse_form(b"text=a+b%20%F0%9F%98%80&x&language=en-US&p=%zz").unwrap();
        assert_eq!(
            pairs,
            vec![
                ("text".into(), "a b 😀".into()),
                ("x".into(), String::new()),
                ("language".into(), "en-US".into()),
                ("p".into(), "%zz".into()),
            ]
        );
    }

    #[test]
    fn annotation_maps_projected_offsets_into_the_full_text() {
        let data = r#"{"annotation":[{"text":"ab "},{"markup":"<b>","interpretAs":"","x":1},{"text":"cd"},{"markup":"<p>","interpretAs":"\n\n"},{"text":"é"}]}"#;
        let a = Annotated::from_data(data).unwrap();
        assert_eq!(a.full, "ab <b>cd<p>é");
        assert_eq!(a.projected, "ab cd\n\né");
        assert_eq!(a.to_full(3, 5), (6, 8));
        assert_eq!(a.to_full(7, 9), (11, 13));
    }

    #[test]
    fn a_long_sentence_is_cut_around_the_match() {
        let text = format!(
            "Short one. {} arsenic {} end. Last.",
            "x ".repeat(300),
            "y ".repeat(300)
        );
        let ranges = sentences(&text);
        let start = text.find("arsenic").unwrap();
        let sentence = sentence_around(&text, &ranges, start, start + 7);
        assert_eq!(sentence.chars().count(), 2 * SENTENCE_CHARS + 7);
        assert!(sentence.contains("arsenic"));
        let short = sentence_around(&text, &ranges, 0, 5);
        assert_eq!(short, "Short one.");
        let last = text.find("Last").unwrap();
        assert_eq!(sentence_around(&text, &ranges, last, last + 4), "Last.");
    }

    #[test]
    fn error_messages_echo_only_short_plain_values() {
        assert_eq!(echo("de-DE"), "'de-DE'");
        assert_eq!(echo("<script>alert(1)</script>"), "the value given");
        assert_eq!(echo(&"a".repeat(ECHO_CHARS + 1)), "the value given");
        let error = language("<b>x</b>").unwrap_err();
        assert!(!error.message.contains('<'), "{}", error.message);
    }

    #[test]
    fn context_marks_cuts_and_counts_utf16() {
        let text = format!("😀 {} word {}", "x".repeat(50), "y".repeat(50));
        let start = text.find("word").unwrap();
        let c = context(&text, start, start + 4);
        assert!(c.text.starts_with("...") && c.text.ends_with("..."));
        assert_eq!(c.length, 4);
        let units: Vec<u16> = c.text.encode_utf16().collect();
        assert_eq!(
            String::from_utf16(&units[c.offset..c.offset + 4]).unwrap(),
            "word"
        );
    }
}
