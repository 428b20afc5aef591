//! The limits that keep the server responsive under abuse and load.
//!
//! - Body size: a `Content-Length` over the limit is refused before a byte of the
//!   body is read; a chunked body is counted as it arrives and refused as soon as
//!   it passes the limit, so a 100 MB upload costs the server at most the limit.
//! - Time: a request has one deadline, fixed when it arrives. Receiving the body
//!   past it gives 408; checking past it gives 503.
//! - Concurrency: checks run on tokio's blocking pool (they are CPU work, and a
//!   long one must not stall the connections served by the async workers). A
//!   semaphore caps how many run at once; over the cap a request gets 503 with
//!   `Retry-After` at once instead of waiting in an unbounded queue. A slot is taken
//!   only once the body is in, so slow clients hold a connection but never a slot.

use super::problem::ApiError;
use axum::body::Body;
use axum::http::{header, HeaderMap};
use bytes::Bytes;
use http_body_util::{BodyExt, LengthLimitError, Limited};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::time::Instant;

/// The limits in force, shared by every request.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Largest body (or NDJSON line) in bytes.
    pub max_body_bytes: u64,
    /// Time limit per request (per line for NDJSON).
    pub timeout: Duration,
    /// The check slots.
    pub slots: Slots,
}

impl Limits {
    /// The deadline of a request arriving now.
    pub fn deadline(&self) -> Instant {
        Instant::now() + self.timeout
    }

    /// The time limit in whole milliseconds, for problem details.
    pub fn timeout_ms(&self) -> u64 {
        self.timeout.as_millis().try_into().unwrap_or(u64::MAX)
    }

    /// Reads a whole request body, refusing it past the size limit or the deadline.
    pub async fn read_body(
        &self,
        headers: &HeaderMap,
        body: Body,
        deadline: Instant,
    ) -> Result<Bytes, ApiError> {
        let too_large = ApiError::PayloadTooLarge {
            limit: self.max_body_bytes,
            what: "request body",
        };
        let declared = headers
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<u64>().ok());
        if declared.is_some_and(|len| len > self.max_body_bytes) {
            return Err(too_large);
        }
        let limit = usize::try_from(self.max_body_bytes).unwrap_or(usize::MAX);
        let collect = Limited::new(body, limit).collect();
        match tokio::time::timeout_at(deadline, collect).await {
            Err(_elapsed) => Err(ApiError::RequestTimeout {
                limit_ms: self.timeout_ms(),
            }),
            Ok(Ok(collected)) => Ok(collected.to_bytes()),
            Ok(Err(error)) if error.is::<LengthLimitError>() => Err(too_large),
            Ok(Err(error)) => Err(ApiError::InvalidRequest(format!(
                "the request body could not be read: {error}"
            ))),
        }
    }

    /// Runs `work` on the blocking pool while holding `slot`, and waits for it
    /// until `deadline`. The slot is released when the work ends, even if the
    /// request has given up on it.
    pub async fn run_blocking<T, F>(
        &self,
        slot: OwnedSemaphorePermit,
        deadline: Instant,
        work: F,
    ) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce() -> T + Send + 'static,
    {
        let task = tokio::task::spawn_blocking(move || {
            let result = work();
            drop(slot);
            result
        });
        match tokio::time::timeout_at(deadline, task).await {
            Err(_elapsed) => Err(ApiError::CheckTimeout {
                limit_ms: self.timeout_ms(),
            }),
            Ok(Ok(value)) => Ok(value),
            Ok(Err(join_error)) => Err(ApiError::Internal(if join_error.is_panic() {
                "the check failed unexpectedly".into()
            } else {
                "the check was cancelled".into()
            })),
        }
    }
}

/// The check slots: a semaphore with as many permits as checks may run at once.
#[derive(Debug, Clone)]
pub struct Slots {
    semaphore: Arc<Semaphore>,
    max: usize,
}

impl Slots {
    /// `max` slots, all free.
    pub fn new(max: usize) -> Self {
        Slots {
            semaphore: Arc::new(Semaphore::new(max)),
            max,
        }
    }

    /// Takes a slot if one is free, or says the server is overloaded.
    pub fn try_take(&self) -> Result<OwnedSemaphorePermit, ApiError> {
        self.semaphore
            .clone()
            .try_acquire_owned()
            .map_err(|_| self.overloaded())
    }

    /// Waits up to `patience` for a slot. Used by NDJSON streams, which check one
    /// line at a time and would rather wait briefly than fail a line.
    pub async fn take_within(&self, patience: Duration) -> Result<OwnedSemaphorePermit, ApiError> {
        match tokio::time::timeout(patience, self.semaphore.clone().acquire_owned()).await {
            Ok(Ok(permit)) => Ok(permit),
            _ => Err(self.overloaded()),
        }
    }

    fn overloaded(&self) -> ApiError {
        ApiError::Overloaded {
            max_concurrent: self.max,
        }
    }
}
