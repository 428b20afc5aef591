//! The memory budget: what requests in flight may hold at once.
//!
//! The concurrency cap alone does not bound memory: a check's working set grows
//! with its text, and a response waits in memory until the client has read it.
//! So every request reserves, before it does the work, what the work will cost
//! at most, and keeps the reservation until its response has been handed to the
//! connection (or the connection is gone):
//!
//! - while its body arrives: the body's declared length (a chunked body: the
//!   body limit), taken before a byte is read;
//! - for the check: [`CHECK_BYTES_PER_BYTE`] times the body's length on top,
//!   taken when the body is in and before the check starts.
//!
//! A reservation the budget cannot give at that moment is refused with 503
//! (`over-memory-budget`, `Retry-After`) before the work; one larger than the
//! whole budget could never be given and is refused with 413. The sum of
//! reservations never passes the budget, so the server's memory is its idle
//! size plus at most the budget (plus per-connection buffers; see the README).
//!
//! A request for a large text ([`Lane::Large`]) must leave an eighth of the
//! budget free when it reserves: however many long texts arrive at once, the
//! short ones that most clients send still find memory for their check.

use super::problem::ApiError;
use bytes::Bytes;
use hyper::body::{Body as HttpBody, Frame, SizeHint};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// Bytes a check may hold per byte of its request body, at most: the body, its
/// decoded text, the words and their lexicon entries, the spans and the
/// response (report, fixed text, diff) together. The measured peak for dense
/// spun text on one line is about 70 (see the README's HTTP section).
pub const CHECK_BYTES_PER_BYTE: u64 = 96;

/// What any check holds whatever its size (buffers, report scaffolding).
pub const CHECK_BASE_BYTES: u64 = 256 * 1024;

/// The budget is counted in units of this many bytes (a semaphore's permits).
const UNIT: u64 = 1024;

/// Texts from this size on leave enough freed memory behind to be worth
/// handing back to the system once checked.
pub const LARGE_TEXT: usize = 256 << 10;

/// One budget unit in this many is kept for [`Lane::Small`] requests: a
/// large one is refused if its reservation would leave less free.
const SMALL_SHARE: u64 = 8;

/// Which share of the server's resources a request may take, by the size of
/// its text: the long texts of an attack (or of a batch) must not starve the
/// short checks of everyone else.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lane {
    /// A text under [`LARGE_TEXT`]: may use the whole budget.
    Small,
    /// A text of [`LARGE_TEXT`] or more: must leave the small requests' share
    /// of the budget free, and takes one of the few large-text check slots.
    Large,
}

impl Lane {
    /// The lane of a request whose text (or body) is `bytes` long.
    ///
    /// ```
    /// use unspun::server::budget::{Lane, LARGE_TEXT};
    /// assert_eq!(Lane::of(2_000), Lane::Small);
    /// assert_eq!(Lane::of(LARGE_TEXT as u64), Lane::Large);
    /// ```
    pub fn of(bytes: u64) -> Lane {
        if bytes >= LARGE_TEXT as u64 {
            Lane::Large
        } else {
            Lane::Small
        }
    }
}

/// The memory budget shared by every request. Cheap to clone.
#[derive(Debug, Clone)]
pub struct MemoryBudget {
    semaphore: Arc<Semaphore>,
    units: u64,
    /// Units a [`Lane::Large`] reservation must leave free.
    small_share: u64,
}

impl MemoryBudget {
    /// A budget of `bytes` (rounded down to whole KiB, at least one).
    pub fn new(bytes: u64) -> Self {
        let units = (bytes / UNIT)
            .clamp(1, Semaphore::MAX_PERMITS as u64)
            .min(u64::from(u32::MAX));
        MemoryBudget {
            semaphore: Arc::new(Semaphore::new(units as usize)),
            units,
            small_share: units / SMALL_SHARE,
        }
    }

    /// The whole budget in bytes.
    pub fn total_bytes(&self) -> u64 {
        self.units * UNIT
    }

    /// Bytes reserved right now by requests in flight.
    pub fn in_use_bytes(&self) -> u64 {
        (self.units - self.semaphore.available_permits() as u64) * UNIT
    }

    /// What a check of a body of `body_bytes` reserves on top of the body.
    pub fn check_cost(body_bytes: u64) -> u64 {
        CHECK_BASE_BYTES.saturating_add(body_bytes.saturating_mul(CHECK_BYTES_PER_BYTE))
    }

    /// The largest body whose reception and check fit in the whole budget
    /// (less the small requests' share, if it is a large text).
    pub fn largest_body(&self) -> u64 {
        let fits = |units: u64| {
            let mut body =
                (units * UNIT).saturating_sub(CHECK_BASE_BYTES) / (CHECK_BYTES_PER_BYTE + 1);
            // The body and its check are each rounded up to whole units.
            let needs = |b: u64| b.div_ceil(UNIT).max(1) + Self::check_cost(b).div_ceil(UNIT);
            while body > 0 && needs(body) > units {
                body -= 1;
            }
            body
        };
        let large = fits(self.units - self.small_share);
        if large >= LARGE_TEXT as u64 {
            large
        } else {
            fits(self.units).min(LARGE_TEXT as u64 - 1)
        }
    }

    /// Units a reservation in `lane` may take, at most, of an empty budget.
    fn most_units(&self, lane: Lane) -> u64 {
        match lane {
            Lane::Small => self.units,
            Lane::Large => self.units - self.small_share,
        }
    }

    /// Reserves `bytes` now for a request in `lane`, or refuses: 413 if the
    /// budget (less the small requests' share, for a large one) is smaller,
    /// 503 if it is only taken at the moment.
    pub fn reserve(&self, bytes: u64, lane: Lane) -> Result<Reservation, ApiError> {
        let units = bytes.div_ceil(UNIT).max(1);
        if units > self.most_units(lane) {
            return Err(self.never_fits());
        }
        // A large request takes the small share with its own and gives the
        // share back at once: it succeeds only while the share is free.
        let keep_free = match lane {
            Lane::Small => 0,
            Lane::Large => self.small_share,
        };
        let units32 = u32::try_from(units + keep_free).expect("no larger than the budget");
        let mut permit = self
            .semaphore
            .clone()
            .try_acquire_many_owned(units32)
            .map_err(|_| self.exhausted(bytes))?;
        if keep_free > 0 {
            drop(permit.split(keep_free as usize));
        }
        Ok(Reservation {
            permit: Some(permit),
            lane,
        })
    }

    /// Reserves `bytes` more for the holder of `reservation`, in its lane: 413
    /// if the two together are more than that lane may hold, 503 if it is only
    /// taken now.
    pub fn grow(&self, reservation: &mut Reservation, bytes: u64) -> Result<(), ApiError> {
        let held = reservation
            .permit
            .as_ref()
            .map_or(0, |p| p.num_permits() as u64);
        if held + bytes.div_ceil(UNIT).max(1) > self.most_units(reservation.lane) {
            return Err(self.never_fits());
        }
        let more = self.reserve(bytes, reservation.lane)?;
        match (&mut reservation.permit, more.permit) {
            (Some(mine), Some(more)) => mine.merge(more),
            (mine, more) => *mine = more,
        }
        Ok(())
    }

    fn never_fits(&self) -> ApiError {
        ApiError::PayloadTooLarge {
            limit: self.largest_body(),
            what: "request body (with the memory its check needs)",
        }
    }

    fn exhausted(&self, bytes: u64) -> ApiError {
        ApiError::OverMemoryBudget {
            needed: bytes,
            budget: self.total_bytes(),
        }
    }
}

/// Memory reserved from a [`MemoryBudget`]; given back when dropped.
#[derive(Debug)]
pub struct Reservation {
    permit: Option<OwnedSemaphorePermit>,
    lane: Lane,
}

/// A response body that keeps its request's [`Reservation`] until the
/// connection has taken the last of it, so a response waiting for a slow
/// reader stays counted. Handed out in pieces of [`PIECE`] bytes, which share
/// the one buffer.
#[derive(Debug)]
pub struct ReservedBody {
    data: Bytes,
    reservation: Option<Reservation>,
}

/// The size of the pieces a [`ReservedBody`] is written in.
pub const PIECE: usize = 64 * 1024;

impl ReservedBody {
    /// `data`, holding `reservation` until it is all taken or dropped.
    pub fn new(data: impl Into<Bytes>, reservation: Reservation) -> Self {
        ReservedBody {
            data: data.into(),
            reservation: Some(reservation),
        }
    }
}

impl HttpBody for ReservedBody {
    type Data = Bytes;
    type Error = std::convert::Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        if self.data.is_empty() {
            self.reservation = None;
            return Poll::Ready(None);
        }
        let take = self.data.len().min(PIECE);
        let piece = self.data.split_to(take);
        Poll::Ready(Some(Ok(Frame::data(piece))))
    }

    fn is_end_stream(&self) -> bool {
        self.data.is_empty()
    }

    fn size_hint(&self) -> SizeHint {
        SizeHint::with_exact(self.data.len() as u64)
    }
}

/// Hands memory freed by a check back to the system. glibc keeps freed memory
/// in per-thread arenas, so without this each blocking thread would keep the
/// peak of the largest text it ever checked, outside the budget.
pub fn release_free_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only returns free pages to the system; it takes no
    // pointers and is safe to call from any thread at any time.
    unsafe {
        libc::malloc_trim(0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reservations_add_up_to_the_budget_and_come_back_when_dropped() {
        let budget = MemoryBudget::new(10 * 1024);
        let mut first = budget.reserve(4 * 1024, Lane::Small).unwrap();
        assert_eq!(budget.in_use_bytes(), 4 * 1024);
        budget.grow(&mut first, 6 * 1024).unwrap();
        assert_eq!(budget.in_use_bytes(), 10 * 1024);
        // At the limit: one byte more is refused now, with 503 ...
        let refused = budget.reserve(1, Lane::Small).unwrap_err();
        assert_eq!(refused.status().as_u16(), 503);
        drop(first);
        assert_eq!(budget.in_use_bytes(), 0);
        // ... the whole budget fits, and more than it never will: 413.
        drop(budget.reserve(10 * 1024, Lane::Small).unwrap());
        let never = budget.reserve(10 * 1024 + 1, Lane::Small).unwrap_err();
        assert_eq!(never.status().as_u16(), 413);
    }

    #[test]
    fn large_texts_leave_an_eighth_of_the_budget_to_small_ones() {
        let budget = MemoryBudget::new(64 << 20);
        let large = LARGE_TEXT as u64;
        // Large reservations stop at seven eighths of the budget ...
        let mut held = Vec::new();
        while let Ok(reservation) = budget.reserve(large, Lane::Large) {
            held.push(reservation);
        }
        assert_eq!(
            budget
                .reserve(large, Lane::Large)
                .unwrap_err()
                .status()
                .as_u16(),
            503
        );
        assert!(budget.in_use_bytes() <= (64 << 20) / 8 * 7);
        assert!(budget.in_use_bytes() > (64 << 20) / 8 * 7 - large);
        // ... and the last eighth is there for small ones, down to the last unit.
        let mut small = Vec::new();
        while let Ok(reservation) = budget.reserve(4 * 1024, Lane::Small) {
            small.push(reservation);
        }
        assert_eq!(budget.in_use_bytes(), budget.total_bytes());
        drop(held);
        drop(small);
        assert_eq!(budget.in_use_bytes(), 0);
        // A large check that fits only in the whole budget never fits: 413.
        let refused = budget
            .reserve((64 << 20) / 8 * 7 + 1024, Lane::Large)
            .unwrap_err();
        assert_eq!(refused.status().as_u16(), 413);
    }

    #[test]
    fn the_largest_body_fits_the_budget_and_one_byte_more_does_not() {
        let budget = MemoryBudget::new(64 << 20);
        let largest = budget.largest_body();
        let mut reservation = budget.reserve(largest, Lane::of(largest)).unwrap();
        budget
            .grow(&mut reservation, MemoryBudget::check_cost(largest))
            .unwrap();
        drop(reservation);
        let mut reservation = budget.reserve(largest + 1, Lane::of(largest + 1)).unwrap();
        let refused = budget
            .grow(&mut reservation, MemoryBudget::check_cost(largest + 1))
            .unwrap_err();
        assert_eq!(refused.status().as_u16(), 413);
    }

    #[tokio::test]
    async fn a_reserved_body_gives_its_reservation_back_with_its_last_piece() {
        use http_body_util::BodyExt;
        let budget = MemoryBudget::new(1 << 20);
        let data = vec![b'x'; PIECE * 2 + 10];
        let mut body = ReservedBody::new(data, budget.reserve(100_000, Lane::Small).unwrap());
        assert_eq!(body.size_hint().exact(), Some(PIECE as u64 * 2 + 10));
        let mut total = 0;
        while let Some(frame) = body.frame().await {
            assert!(budget.in_use_bytes() > 0);
            total += frame.unwrap().into_data().unwrap().len();
        }
        assert_eq!(total, PIECE * 2 + 10);
        assert_eq!(budget.in_use_bytes(), 0);
    }
}
