//! `POST /v1/check/batch`: many texts in one request.
//!
//! Two forms, chosen by `Content-Type`:
//!
//! - `application/json`: `{"documents": [{"id": .., "text": .., options..}], options..}`
//!   answered by `{"results": [..]}` in the same order. Options at the top apply to
//!   every document that does not set its own. The body is one request like
//!   `/v1/check`: under the body size and time limits, and refused whole (400)
//!   when any option in it is invalid.
//! - `application/x-ndjson`: one document per line, answered as NDJSON with one
//!   result line per input line, in order, streamed as soon as each is ready. The
//!   server reads a line, checks it and writes its result; it never holds more than
//!   a few lines, so a client can send thousands of documents over one connection.
//!   Limits apply per line: its size, the wait for it to arrive, and its check.
//!
//! A result is `{"id": .., "report": {..}}` or, when that document failed,
//! `{"id": .., "error": {problem details}}`; NDJSON results also carry the input's
//! 1-based `line`. In a stream, one bad line never fails the others.

use super::budget::{Lane, MemoryBudget, Reservation};
use super::limits::Limits;
use super::problem::{ApiError, Problem};
use super::request::{body_kind, parse_json, unsupported, utf8, BodyKind, Object};
use super::v1::{
    check_into, reserved_json_response, with_check_options, RequestOptions, OPTION_NAMES,
};
use super::AppState;
use crate::Cancel;
use axum::body::{Body, BodyDataStream};
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use bytes::{Bytes, BytesMut};
use futures_util::{stream, StreamExt};
use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};
use std::convert::Infallible;
use std::fmt;
use std::time::Duration;

/// The media types the batch endpoint reads.
const BATCH_MEDIA_TYPES: &str = "application/json or application/x-ndjson";

/// A document's identifier, echoed in its result: a string or an integer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DocumentId {
    /// A string id.
    Text(String),
    /// An integer id.
    Number(i64),
}

impl Serialize for DocumentId {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            DocumentId::Text(s) => serializer.serialize_str(s),
            DocumentId::Number(n) => serializer.serialize_i64(*n),
        }
    }
}

impl<'de> Deserialize<'de> for DocumentId {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct IdVisitor;
        impl Visitor<'_> for IdVisitor {
            type Value = DocumentId;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string or an integer")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<DocumentId, E> {
                Ok(DocumentId::Text(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<DocumentId, E> {
                Ok(DocumentId::Number(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<DocumentId, E> {
                i64::try_from(v)
                    .map(DocumentId::Number)
                    .map_err(|_| E::invalid_value(de::Unexpected::Unsigned(v), &self))
            }
            /// JSON Schema calls `7.0` an integer, so it is read as `7`. Integer
            /// literals past the range of i64 also arrive here, rounded: only
            /// floats that stand for one integer exactly (below 2^53) are taken.
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<DocumentId, E> {
                const EXACT: f64 = 9_007_199_254_740_992.0; // 2^53
                if v.fract() == 0.0 && v.abs() < EXACT {
                    Ok(DocumentId::Number(v as i64))
                } else {
                    Err(E::invalid_value(de::Unexpected::Float(v), &self))
                }
            }
        }
        deserializer.deserialize_any(IdVisitor)
    }
}

with_check_options! {
    /// One document of a batch: a `/v1/check` body with an `id`.
    pub struct BatchDocument {
        /// Echoed in the document's result; `null` there when absent.
        #[serde(default, deserialize_with = "crate::server::request::present")]
        pub id: Option<DocumentId>,
        /// The text to check.
        pub text: String,
    }
}

with_check_options! {
    /// Body of a JSON batch: the documents and options for all of them.
    pub struct BatchRequest {
        /// The documents, checked and answered in this order.
        pub documents: Vec<Object<BatchDocument>>,
    }
}

/// One result record.
#[derive(Serialize)]
struct ErrorRecord<'a> {
    id: Option<&'a DocumentId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<u64>,
    error: Problem,
}

/// `POST /v1/check/batch`.
pub async fn check_batch(
    State(state): State<AppState>,
    request: Request,
) -> Result<Response, ApiError> {
    match body_kind(request.headers()) {
        Some(BodyKind::Json) => json_batch(state, request).await,
        Some(BodyKind::Ndjson) => Ok(ndjson_batch(state, request)),
        None => Err(unsupported(request.headers(), BATCH_MEDIA_TYPES)),
    }
}

async fn json_batch(state: AppState, request: Request) -> Result<Response, ApiError> {
    let limits = state.limits();
    let deadline = limits.deadline();
    let (parts, body) = request.into_parts();
    let (bytes, mut reservation) = limits.read_body(&parts.headers, body, deadline).await?;
    let slot = limits.admit(&mut reservation, bytes.len())?;
    let state = state.clone();
    let size = bytes.len();
    let body = limits
        .run_blocking(slot, deadline, size, move |cancel| {
            let batch: BatchRequest = parse_json(&bytes, OPTION_NAMES)?;
            let shared = batch.options();
            // The body is one JSON document: an invalid option anywhere in it makes
            // the request invalid, as with /v1/check, before anything is checked.
            shared.clone().resolve(&state)?;
            for (i, Object(document)) in batch.documents.iter().enumerate() {
                document
                    .options()
                    .or(&shared)
                    .resolve(&state)
                    .map_err(|e| e.within(&format!("documents[{i}]")))?;
            }
            let mut out = Vec::with_capacity(bytes.len() * 2 + 64);
            out.extend_from_slice(b"{\"results\":[");
            for (i, Object(document)) in batch.documents.iter().enumerate() {
                if cancel.is_cancelled() {
                    // Past the deadline the client has its 503: stop here.
                    return Err(ApiError::CheckTimeout {
                        limit_ms: state.limits().timeout_ms(),
                    });
                }
                if i > 0 {
                    out.push(b',');
                }
                write_result(&mut out, &state, document, &shared, None, cancel);
            }
            out.extend_from_slice(b"]}");
            Ok::<_, ApiError>(out)
        })
        .await??;
    Ok(reserved_json_response(body, reservation))
}

/// Checks one document and appends its result record (report or error) to `out`.
fn write_result(
    out: &mut Vec<u8>,
    state: &AppState,
    document: &BatchDocument,
    shared: &RequestOptions,
    line: Option<u64>,
    cancel: &Cancel,
) {
    let id = document.id.as_ref();
    let mark = out.len();
    let outcome = document
        .options()
        .or(shared)
        .resolve(state)
        .and_then(|(unit, options)| {
            out.extend_from_slice(b"{\"id\":");
            serde_json::to_writer(&mut *out, &id).expect("ids serialize");
            if let Some(line) = line {
                out.extend_from_slice(format!(",\"line\":{line}").as_bytes());
            }
            out.extend_from_slice(b",\"report\":");
            check_into(out, state, &document.text, unit, &options, cancel)?;
            out.push(b'}');
            Ok(())
        });
    if let Err(error) = outcome {
        out.truncate(mark);
        write_error(out, id, line, &error);
    }
}

fn write_error(out: &mut Vec<u8>, id: Option<&DocumentId>, line: Option<u64>, error: &ApiError) {
    let record = ErrorRecord {
        id,
        line,
        error: error.problem(),
    };
    serde_json::to_writer(out, &record).expect("error records serialize");
}

/// An NDJSON input line, or why there is none.
enum Line {
    /// A line's bytes, without its terminator.
    Text { number: u64, bytes: Bytes },
    /// A line over the size limit; its bytes were dropped.
    TooLong { number: u64 },
    /// The input failed (idle too long, or the connection broke): the last item.
    Failed { number: u64, error: ApiError },
}

/// Splits a request body into lines without holding more than one line (of at
/// most `limit` bytes) plus one chunk.
struct LineReader {
    body: BodyDataStream,
    buffer: BytesMut,
    /// Bytes of `buffer` already searched for a newline.
    scanned: usize,
    /// Lines seen so far, blank ones included.
    number: u64,
    /// Inside a line already reported too long: drop bytes up to its newline.
    discarding: bool,
    ended: bool,
    limit: usize,
    patience: std::time::Duration,
    timeout_ms: u64,
}

impl LineReader {
    async fn next_line(&mut self) -> Option<Line> {
        loop {
            if let Some(pos) = memchr_newline(&self.buffer[self.scanned..]) {
                let line = self.buffer.split_to(self.scanned + pos + 1);
                self.scanned = 0;
                if std::mem::take(&mut self.discarding) {
                    continue;
                }
                self.number += 1;
                let content = trim_line_end(&line);
                if content.len() > self.limit {
                    return Some(Line::TooLong {
                        number: self.number,
                    });
                }
                if content.iter().all(u8::is_ascii_whitespace) {
                    continue;
                }
                let len = content.len();
                return Some(Line::Text {
                    number: self.number,
                    bytes: line.freeze().slice(..len),
                });
            }
            self.scanned = self.buffer.len();
            if self.discarding {
                self.buffer.clear();
                self.scanned = 0;
            } else if self.buffer.len() > self.limit {
                self.buffer.clear();
                self.scanned = 0;
                self.discarding = true;
                self.number += 1;
                return Some(Line::TooLong {
                    number: self.number,
                });
            }
            if self.ended {
                let rest = std::mem::take(&mut self.buffer);
                self.scanned = 0;
                if self.discarding || rest.iter().all(u8::is_ascii_whitespace) {
                    return None;
                }
                self.number += 1;
                let len = trim_line_end(&rest).len();
                return Some(Line::Text {
                    number: self.number,
                    bytes: rest.freeze().slice(..len),
                });
            }
            match tokio::time::timeout(self.patience, self.body.next()).await {
                Ok(Some(Ok(chunk))) => self.buffer.extend_from_slice(&chunk),
                Ok(None) => self.ended = true,
                Ok(Some(Err(error))) => {
                    self.stop();
                    return Some(Line::Failed {
                        number: self.number + 1,
                        error: super::rate::body_read_error(&error),
                    });
                }
                Err(_elapsed) => {
                    self.stop();
                    return Some(Line::Failed {
                        number: self.number + 1,
                        error: ApiError::RequestTimeout {
                            limit_ms: self.timeout_ms,
                        },
                    });
                }
            }
        }
    }
}

impl LineReader {
    /// Ends the input after a failure: what is buffered is dropped.
    fn stop(&mut self) {
        self.ended = true;
        self.discarding = true;
        self.buffer.clear();
        self.scanned = 0;
    }
}

fn memchr_newline(bytes: &[u8]) -> Option<usize> {
    bytes.iter().position(|&b| b == b'\n')
}

fn trim_line_end(line: &[u8]) -> &[u8] {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    line.strip_suffix(b"\r").unwrap_or(line)
}

fn ndjson_batch(state: AppState, request: Request) -> Response {
    let limits = state.limits().clone();
    let reader = LineReader {
        body: request.into_body().into_data_stream(),
        buffer: BytesMut::new(),
        scanned: 0,
        number: 0,
        discarding: false,
        ended: false,
        limit: usize::try_from(limits.max_body_bytes).unwrap_or(usize::MAX),
        patience: limits.timeout,
        timeout_ms: limits.timeout_ms(),
    };
    let lines = stream::unfold(reader, |mut reader| async move {
        reader.next_line().await.map(|line| (line, reader))
    });
    let parallelism = state.batch_parallelism();
    let results = lines
        .map(move |line| answer_line(state.clone(), line))
        .buffered(parallelism)
        .map(|mut record| {
            record.push(b'\n');
            Ok::<_, Infallible>(Bytes::from(record))
        });
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static(super::request::NDJSON),
        )],
        Body::from_stream(results),
    )
        .into_response()
}

/// The result record of one NDJSON line.
async fn answer_line(state: AppState, line: Line) -> Vec<u8> {
    let mut out = Vec::new();
    let (number, bytes) = match line {
        Line::Text { number, bytes } => (number, bytes),
        Line::TooLong { number } => {
            let error = ApiError::PayloadTooLarge {
                limit: state.limits().max_body_bytes,
                what: "NDJSON line",
            };
            write_error(&mut out, None, Some(number), &error);
            return out;
        }
        Line::Failed { number, error } => {
            write_error(&mut out, None, Some(number), &error);
            return out;
        }
    };
    let limits = state.limits();
    let slot = match limits
        .slots
        .take_within(limits.timeout, Lane::of(bytes.len() as u64))
        .await
    {
        Ok(slot) => slot,
        Err(error) => {
            write_error(&mut out, lenient_id(&bytes).as_ref(), Some(number), &error);
            return out;
        }
    };
    // The line's check reserves its memory like a request's; a stream would
    // rather wait briefly for it than fail the line.
    let reservation = reserve_within(limits, bytes.len(), limits.timeout).await;
    let _reservation = match reservation {
        Ok(reservation) => reservation,
        Err(error) => {
            write_error(&mut out, lenient_id(&bytes).as_ref(), Some(number), &error);
            return out;
        }
    };
    let shared = state.clone();
    let input = bytes.clone();
    let size = bytes.len();
    let answer = limits
        .run_blocking(slot, limits.deadline(), size, move |cancel| {
            let mut out = Vec::with_capacity(input.len() * 2 + 64);
            match parse_json::<BatchDocument>(&input, OPTION_NAMES) {
                Ok(document) => write_result(
                    &mut out,
                    &shared,
                    &document,
                    &RequestOptions::default(),
                    Some(number),
                    cancel,
                ),
                Err(error) => {
                    write_error(&mut out, lenient_id(&input).as_ref(), Some(number), &error)
                }
            }
            out
        })
        .await;
    answer.unwrap_or_else(|error| {
        write_error(&mut out, lenient_id(&bytes).as_ref(), Some(number), &error);
        out
    })
}

/// Reserves the memory a check of a line of `bytes` needs, retrying for up to
/// `patience` while requests in flight hold the budget.
async fn reserve_within(
    limits: &Limits,
    bytes: usize,
    patience: Duration,
) -> Result<Reservation, ApiError> {
    let cost = bytes as u64 + MemoryBudget::check_cost(bytes as u64);
    let give_up = tokio::time::Instant::now() + patience;
    loop {
        match limits.memory.reserve(cost, Lane::of(bytes as u64)) {
            Err(ApiError::OverMemoryBudget { .. }) if tokio::time::Instant::now() < give_up => {
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
            other => return other,
        }
    }
}

/// The `id` of a line that could not be read as a document, if it has one, so
/// the error record can still say which document failed.
fn lenient_id(line: &[u8]) -> Option<DocumentId> {
    #[derive(Deserialize)]
    struct IdOnly {
        id: Option<DocumentId>,
    }
    let text = utf8(line).ok()?;
    serde_json::from_str::<IdOnly>(text).ok()?.id
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn lines_of(chunks: &[&'static [u8]], limit: usize) -> Vec<String> {
        let chunks: Vec<Result<Bytes, Infallible>> =
            chunks.iter().map(|c| Ok(Bytes::from_static(c))).collect();
        let mut reader = LineReader {
            body: Body::from_stream(stream::iter(chunks)).into_data_stream(),
            buffer: BytesMut::new(),
            scanned: 0,
            number: 0,
            discarding: false,
            ended: false,
            limit,
            patience: std::time::Duration::from_secs(5),
            timeout_ms: 5000,
        };
        let mut out = Vec::new();
        while let Some(line) = reader.next_line().await {
            out.push(match line {
                Line::Text { number, bytes } => {
                    format!("{number}:{}", String::from_utf8_lossy(&bytes))
                }
                Line::TooLong { number } => format!("{number}:too long"),
                Line::Failed { number, .. } => format!("{number}:failed"),
            });
        }
        out
    }

    #[tokio::test]
    async fn lines_are_split_across_chunks_and_numbered_with_blank_lines_counted() {
        let lines = lines_of(&[b"ab", b"c\r\n\n  \nd", b"e\nf"], 100).await;
        assert_eq!(lines, ["1:abc", "4:de", "5:f"]);
    }

    #[tokio::test]
    async fn an_overlong_line_is_reported_once_and_the_next_line_still_read() {
        let lines = lines_of(&[b"12345", b"67890", b"abc\nok\n", b"123456789\nend"], 8).await;
        assert_eq!(lines, ["1:too long", "2:ok", "3:too long", "4:end"]);
    }

    #[test]
    fn ids_are_strings_or_integers() {
        let id: DocumentId = serde_json::from_str("\"a\"").unwrap();
        assert_eq!(id, DocumentId::Text("a".into()));
        let id: DocumentId = serde_json::from_str("7").unwrap();
        assert_eq!(serde_json::to_string(&id).unwrap(), "7");
        assert!(serde_json::from_str::<DocumentId>("1.5").is_err());
        let id: DocumentId = serde_json::from_str("-12.0").unwrap();
        assert_eq!(id, DocumentId::Number(-12));
        assert!(serde_json::from_str::<DocumentId>("1e19").is_err());
        assert!(serde_json::from_str::<DocumentId>("-9223372036854775809").is_err());
        assert!(serde_json::from_str::<DocumentId>("[1]").is_err());
    }
}
