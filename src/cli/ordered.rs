//! Work on every core, output in input order: the pipeline behind
//! `unspun check FILES...`.
//!
//! ```text
//! feeder --(jobs, bounded)--> workers --(one slot per item)--> writer
//!    \--------(slots in input order, bounded)-------------------^
//! ```
//!
//! The feeder hands each item to the workers together with a one-result slot
//! and queues the slot's receiving end for the writer, in input order. The
//! writer (the calling thread) takes the slots in that order and waits on
//! each, so output is the same whatever the number of jobs, and results that
//! finish early wait at most `WINDOW_PER_JOB * jobs` items ahead of the writer:
//! memory stays bounded however many files there are.

use crossbeam_channel::{bounded, Receiver, Sender};
use std::sync::atomic::{AtomicBool, Ordering};

/// How many items each worker may run ahead of the writer.
const WINDOW_PER_JOB: usize = 4;

/// The number of worker threads to use when none is asked for: one per core.
pub fn default_jobs() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// Runs `work` on each of `items` with `jobs` threads and hands the results to
/// `write` in the order of `items`. `write` answering `false` stops the run:
/// no further item is started and no further result is written. With one job
/// everything happens on the calling thread.
pub fn for_each_ordered<I, T, W, F>(items: &[I], jobs: usize, work: W, mut write: F)
where
    I: Sync,
    T: Send,
    W: Fn(&I) -> T + Sync,
    F: FnMut(T) -> bool,
{
    if jobs <= 1 || items.len() <= 1 {
        for item in items {
            if !write(work(item)) {
                break;
            }
        }
        return;
    }
    let window = WINDOW_PER_JOB * jobs;
    let stopped = AtomicBool::new(false);
    std::thread::scope(|scope| {
        let (job_tx, job_rx) = bounded::<(&I, Sender<T>)>(window);
        let (slot_tx, slot_rx) = bounded::<Receiver<T>>(window);
        scope.spawn(move || {
            for item in items {
                let (tx, rx) = bounded(1);
                if slot_tx.send(rx).is_err() || job_tx.send((item, tx)).is_err() {
                    break;
                }
            }
        });
        for _ in 0..jobs.min(items.len()) {
            let (job_rx, work, stopped) = (job_rx.clone(), &work, &stopped);
            scope.spawn(move || {
                for (item, tx) in job_rx {
                    if stopped.load(Ordering::Relaxed) {
                        break;
                    }
                    // The writer may have stopped meanwhile: nobody to tell.
                    let _ = tx.send(work(item));
                }
            });
        }
        drop(job_rx);
        for slot in slot_rx {
            // A closed slot means its worker panicked; the scope re-raises it.
            let Ok(result) = slot.recv() else { break };
            if !write(result) {
                stopped.store(true, Ordering::Relaxed);
                break;
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;

    #[test]
    fn results_come_in_input_order_for_any_number_of_jobs() {
        let items: Vec<u64> = (0..500).collect();
        for jobs in [1, 2, 3, 8] {
            let mut seen = Vec::new();
            // Uneven work, so that later items often finish first.
            for_each_ordered(
                &items,
                jobs,
                |&i| {
                    if i % 7 == 0 {
                        std::thread::sleep(std::time::Duration::from_micros(200));
                    }
                    i * 2
                },
                |r| {
                    seen.push(r);
                    true
                },
            );
            assert_eq!(seen, items.iter().map(|i| i * 2).collect::<Vec<_>>());
        }
    }

    #[test]
    fn a_stopped_writer_ends_the_run_within_the_window() {
        let items: Vec<usize> = (0..10_000).collect();
        let started = AtomicUsize::new(0);
        let mut written = 0;
        for_each_ordered(
            &items,
            2,
            |&i| {
                started.fetch_add(1, Ordering::Relaxed);
                i
            },
            |_| {
                written += 1;
                written < 3
            },
        );
        assert_eq!(written, 3);
        // Items queued or running when the writer stopped, and no more.
        let started = started.load(Ordering::Relaxed);
        assert!(started <= 3 + 2 * WINDOW_PER_JOB * 2 + 2, "{started}");
    }

    #[test]
    fn no_items_and_one_item_are_fine() {
        let mut seen = Vec::new();
        for_each_ordered(
            &[] as &[u8],
            4,
            |&i| i,
            |r| {
                seen.push(r);
                true
            },
        );
        for_each_ordered(
            &[9u8],
            4,
            |&i| i,
            |r| {
                seen.push(r);
                true
            },
        );
        assert_eq!(seen, vec![9]);
    }
}
