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
//! - Cancellation: a check past its deadline is told to stop ([`Cancel`]) and
//!   gives its slot back within one stage of its work, not when it would have
//!   finished; so does a check whose client has gone.
//! - Memory: every request reserves what it will hold from the
//!   [`MemoryBudget`] before the work (see [`super::budget`]).
//! - Writing: a connection whose client takes no part of the response for the
//!   time limit is closed ([`super::io`]), which frees the response.

use super::budget::{release_free_memory, MemoryBudget, Reservation, LARGE_TEXT};
use super::problem::ApiError;
use crate::Cancel;
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
    /// The memory budget.
    pub memory: MemoryBudget,
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

    /// Reads a whole request body, refusing it past the size limit or the
    /// deadline, or when the memory budget cannot hold it. The body's memory is
    /// reserved (its declared length, or the limit if chunked) before a byte of
    /// it is read; the reservation comes back with the body.
    pub async fn read_body(
        &self,
        headers: &HeaderMap,
        body: Body,
        deadline: Instant,
    ) -> Result<(Bytes, Reservation), ApiError> {
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
        // A body without a length is chunked (up to the limit) or absent.
        let chunked = headers.contains_key(header::TRANSFER_ENCODING);
        let expected = declared.unwrap_or(if chunked { self.max_body_bytes } else { 0 });
        let reservation = self.memory.reserve(expected)?;
        let limit = usize::try_from(self.max_body_bytes).unwrap_or(usize::MAX);
        let collect = Limited::new(body, limit).collect();
        match tokio::time::timeout_at(deadline, collect).await {
            Err(_elapsed) => Err(ApiError::RequestTimeout {
                limit_ms: self.timeout_ms(),
            }),
            Ok(Ok(collected)) => Ok((collected.to_bytes(), reservation)),
            Ok(Err(error)) if error.is::<LengthLimitError>() => Err(too_large),
            Ok(Err(error)) => Err(ApiError::InvalidRequest(format!(
                "the request body could not be read: {error}"
            ))),
        }
    }

    /// Takes a check slot and reserves the memory a check of `body_bytes`
    /// needs on top of `reservation`, or refuses (503, or 413 if it could never
    /// fit) before any work.
    pub fn admit(
        &self,
        reservation: &mut Reservation,
        body_bytes: usize,
    ) -> Result<OwnedSemaphorePermit, ApiError> {
        let slot = self.slots.try_take()?;
        self.memory
            .grow(reservation, MemoryBudget::check_cost(body_bytes as u64))?;
        Ok(slot)
    }

    /// Runs `work` on the blocking pool while holding `slot`, and waits for it
    /// until `deadline`. `work` gets a [`Cancel`] that says stop from the
    /// deadline on, or as soon as the request is given up (its client gone);
    /// the slot is released when the work ends. `text_bytes` is the size of
    /// what is checked: after a large text the freed memory goes back to the
    /// system.
    pub async fn run_blocking<T, F>(
        &self,
        slot: OwnedSemaphorePermit,
        deadline: Instant,
        text_bytes: usize,
        work: F,
    ) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&Cancel) -> T + Send + 'static,
    {
        let cancel = Cancel::with_deadline(deadline.into_std());
        // Raised when this future ends, however: answered, timed out or dropped.
        let _stop_on_exit = CancelOnDrop(cancel.clone());
        let task = tokio::task::spawn_blocking(move || {
            let result = work(&cancel);
            drop(slot);
            if text_bytes >= LARGE_TEXT {
                release_free_memory();
            }
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

/// Cancels its [`Cancel`] when dropped.
struct CancelOnDrop(Cancel);

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        self.0.cancel();
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

    /// Slots free right now.
    pub fn available(&self) -> usize {
        self.semaphore.available_permits()
    }

    /// All slots, free or not.
    pub fn max(&self) -> usize {
        self.max
    }

    fn overloaded(&self) -> ApiError {
        ApiError::Overloaded {
            max_concurrent: self.max,
        }
    }
}
