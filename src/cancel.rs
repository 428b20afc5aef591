//! Stopping a check that is no longer wanted.
//!
//! A server gives each check a time limit; once it has answered "timed out",
//! the work must stop too, or a client that sends long texts keeps the
//! server's check slots (and their memory) busy long after its answers went
//! out. [`Cancel`] is what the caller hands to
//! [`crate::Checker::check_cancellable`]: a flag it can raise from another
//! thread and an optional deadline, both read between the stages of a check
//! (before and after the scan, every few hundred spans, before the fix and
//! the diff). Reading it costs an atomic load and, with a deadline, a clock
//! read, so it is polled often without showing in the check's cost.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Instant;

/// A request to stop a check early: a shared flag and an optional deadline.
/// Cheap to clone; clones share the flag.
///
/// ```
/// let cancel = unspun::Cancel::new();
/// let other = cancel.clone();
/// assert!(!cancel.is_cancelled());
/// other.cancel();
/// assert!(cancel.is_cancelled());
/// ```
#[derive(Debug, Clone, Default)]
pub struct Cancel {
    flag: Arc<AtomicBool>,
    deadline: Option<Instant>,
}

impl Cancel {
    /// Not cancelled until [`Cancel::cancel`] is called.
    pub fn new() -> Self {
        Cancel::default()
    }

    /// Cancelled from `deadline` on, or earlier by [`Cancel::cancel`].
    pub fn with_deadline(deadline: Instant) -> Self {
        Cancel {
            flag: Arc::default(),
            deadline: Some(deadline),
        }
    }

    /// Asks every holder of this flag to stop.
    pub fn cancel(&self) {
        self.flag.store(true, Ordering::Relaxed);
    }

    /// Whether the work should stop: the flag is raised or the deadline passed.
    pub fn is_cancelled(&self) -> bool {
        self.flag.load(Ordering::Relaxed) || self.deadline.is_some_and(|d| Instant::now() >= d)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn a_past_deadline_cancels_and_a_future_one_does_not() {
        let now = Instant::now();
        assert!(Cancel::with_deadline(now).is_cancelled());
        let later = Cancel::with_deadline(now + Duration::from_secs(3600));
        assert!(!later.is_cancelled());
        later.clone().cancel();
        assert!(later.is_cancelled());
    }
}
