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
//!   Texts of [`LARGE_TEXT`] or more also need one of a few large-text slots
//!   (half the cores): a flood of long texts keeps at most those cores busy,
//!   and short checks are answered from the others meanwhile.
//! - Cancellation: a check past its deadline is told to stop ([`Cancel`]) and
//!   gives its slot back within one stage of its work, not when it would have
//!   finished; so does a check whose client has gone.
//! - Memory: every request reserves what it will hold from the
//!   [`MemoryBudget`] before the work (see [`super::budget`]).
//! - Writing: a connection whose client takes no part of the response for the
//!   time limit is closed ([`super::io`]), which frees the response.

use super::budget::{release_free_memory, Lane, MemoryBudget, Reservation, LARGE_TEXT};
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
    /// it is read; the reservation comes back with the body. A body that
    /// declares [`LARGE_TEXT`] or more is refused unread while
    /// every large-text slot is busy.
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
        let lane = Lane::of(expected);
        // A large text whose lane is full would be refused once it is in:
        // refuse it before its body is read, so a flood of long texts costs
        // the server their headers, not their bodies.
        // (A chunked body is read: its size is known only once it is in.)
        if declared.is_some_and(|len| Lane::of(len) == Lane::Large) && self.slots.large_all_busy() {
            return Err(self.slots.large_overloaded());
        }
        let reservation = self.memory.reserve(expected, lane)?;
        let limit = usize::try_from(self.max_body_bytes).unwrap_or(usize::MAX);
        let collect = Limited::new(body, limit).collect();
        match tokio::time::timeout_at(deadline, collect).await {
            Err(_elapsed) => Err(ApiError::RequestTimeout {
                limit_ms: self.timeout_ms(),
            }),
            Ok(Ok(collected)) => Ok((collected.to_bytes(), reservation)),
            Ok(Err(error)) if error.is::<LengthLimitError>() => Err(too_large),
            Ok(Err(error)) => Err(super::rate::body_read_error(&*error)),
        }
    }

    /// Takes a check slot and reserves the memory a check of `body_bytes`
    /// needs on top of `reservation`, or refuses (503, or 413 if it could never
    /// fit) before any work.
    pub fn admit(
        &self,
        reservation: &mut Reservation,
        body_bytes: usize,
    ) -> Result<Slot, ApiError> {
        let slot = self.slots.try_take(Lane::of(body_bytes as u64))?;
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
        slot: Slot,
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
        if text_bytes < LARGE_TEXT {
            let task = tokio::task::spawn_blocking(move || {
                let result = work(&cancel);
                drop(slot);
                result
            });
            return match tokio::time::timeout_at(deadline, task).await {
                Err(_elapsed) => Err(self.check_timeout()),
                Ok(Ok(value)) => Ok(value),
                Ok(Err(join_error)) => Err(ApiError::Internal(if join_error.is_panic() {
                    "the check failed unexpectedly".into()
                } else {
                    "the check was cancelled".into()
                })),
            };
        }
        // A large text is checked on a thread of its own at a lower CPU
        // priority: while long texts keep their cores busy, a short check
        // that needs a core gets it at once instead of waiting its turn.
        // (Its slot bounds how many such threads exist; one thread per text
        // costs microseconds against a check of 256 KiB or more.)
        let (answer, answered) = tokio::sync::oneshot::channel();
        let spawned = std::thread::Builder::new()
            .name("unspun-large-check".into())
            .spawn(move || {
                lower_this_threads_priority();
                let result = work(&cancel);
                drop(slot);
                release_free_memory();
                // The request may have ended meanwhile; then nobody listens.
                let _ = answer.send(result);
            });
        if spawned.is_err() {
            return Err(ApiError::Internal(
                "no thread could be started for the check".into(),
            ));
        }
        match tokio::time::timeout_at(deadline, answered).await {
            Err(_elapsed) => Err(self.check_timeout()),
            Ok(Ok(value)) => Ok(value),
            // The thread ended without an answer: the check panicked.
            Ok(Err(_)) => Err(ApiError::Internal("the check failed unexpectedly".into())),
        }
    }

    fn check_timeout(&self) -> ApiError {
        ApiError::CheckTimeout {
            limit_ms: self.timeout_ms(),
        }
    }
}

/// How much lower than the server's own the CPU priority of a large-text
/// check is (a `nice` increment).
#[cfg(target_os = "linux")]
const LARGE_CHECK_NICENESS: i32 = 10;

/// Lowers the calling thread's CPU priority by [`LARGE_CHECK_NICENESS`]. On
/// Linux a priority belongs to a thread, so the rest of the server keeps its
/// own; where that does not hold, or the call fails, the check just runs at
/// the server's priority.
fn lower_this_threads_priority() {
    #[cfg(target_os = "linux")]
    // SAFETY: both calls take plain integers and touch no memory of ours.
    unsafe {
        let thread = libc::syscall(libc::SYS_gettid) as libc::id_t;
        let current = libc::getpriority(libc::PRIO_PROCESS, thread);
        libc::setpriority(libc::PRIO_PROCESS, thread, current + LARGE_CHECK_NICENESS);
    }
}

/// Cancels its [`Cancel`] when dropped.
struct CancelOnDrop(Cancel);

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        self.0.cancel();
    }
}

/// The check slots: a semaphore with as many permits as checks may run at
/// once, and a smaller one that texts of [`LARGE_TEXT`] or more need as well.
#[derive(Debug, Clone)]
pub struct Slots {
    semaphore: Arc<Semaphore>,
    max: usize,
    large: Arc<Semaphore>,
    large_max: usize,
}

/// A check slot, held while a check runs; given back when dropped.
#[derive(Debug)]
pub struct Slot {
    _any: OwnedSemaphorePermit,
    _large: Option<OwnedSemaphorePermit>,
}

impl Slots {
    /// `max` slots, all free, of which half the machine's cores (at least
    /// one) may check large texts.
    pub fn new(max: usize) -> Self {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Slots::with_large(max, cores / 2)
    }

    /// `max` slots, of which `large_max` (at least one, at most `max`) may
    /// check large texts at once.
    pub fn with_large(max: usize, large_max: usize) -> Self {
        let large_max = large_max.clamp(1, max.max(1));
        Slots {
            semaphore: Arc::new(Semaphore::new(max)),
            max,
            large: Arc::new(Semaphore::new(large_max)),
            large_max,
        }
    }

    /// Takes a slot for a check in `lane` if one is free, or says the server
    /// (or its share for large texts) is overloaded.
    pub fn try_take(&self, lane: Lane) -> Result<Slot, ApiError> {
        let large = match lane {
            Lane::Small => None,
            Lane::Large => Some(
                self.large
                    .clone()
                    .try_acquire_owned()
                    .map_err(|_| self.large_overloaded())?,
            ),
        };
        let any = self
            .semaphore
            .clone()
            .try_acquire_owned()
            .map_err(|_| self.overloaded())?;
        Ok(Slot {
            _any: any,
            _large: large,
        })
    }

    /// Waits up to `patience` for a slot in `lane`. Used by NDJSON streams,
    /// which check one line at a time and would rather wait briefly than fail
    /// a line.
    pub async fn take_within(&self, patience: Duration, lane: Lane) -> Result<Slot, ApiError> {
        let take = async {
            let large = match lane {
                Lane::Small => None,
                Lane::Large => Some(self.large.clone().acquire_owned().await.ok()?),
            };
            let any = self.semaphore.clone().acquire_owned().await.ok()?;
            Some(Slot {
                _any: any,
                _large: large,
            })
        };
        match tokio::time::timeout(patience, take).await {
            Ok(Some(slot)) => Ok(slot),
            _ if lane == Lane::Large => Err(self.large_overloaded()),
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

    /// The slots for large texts.
    pub fn large_max(&self) -> usize {
        self.large_max
    }

    /// Whether every large-text slot is taken right now.
    pub fn large_all_busy(&self) -> bool {
        self.large.available_permits() == 0
    }

    fn overloaded(&self) -> ApiError {
        ApiError::Overloaded {
            max_concurrent: self.max,
            large_texts: false,
        }
    }

    fn large_overloaded(&self) -> ApiError {
        ApiError::Overloaded {
            max_concurrent: self.large_max,
            large_texts: true,
        }
    }
}
