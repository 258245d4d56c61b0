//! Cancelling long work: work over a whole collection (indexing, references,
//! rename, workspace symbols) takes a [`Cancel`] token and checks it as it
//! goes, returning [`Cancelled`] instead of finishing work nobody wants.
//! Std only; the server sets the token when a request is cancelled or its
//! answer is no longer awaited.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// A token that work checks; cheap to clone and share between threads.
#[derive(Debug, Clone, Default)]
pub struct Cancel(Arc<AtomicBool>);

/// The work was cancelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cancelled;

pub type Cancellable<T> = Result<T, Cancelled>;

impl Cancel {
    pub fn cancel(&self) {
        self.0.store(true, Ordering::Relaxed);
    }

    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }

    /// `Err(Cancelled)` once cancelled.
    pub fn check(&self) -> Cancellable<()> {
        if self.is_cancelled() {
            Err(Cancelled)
        } else {
            Ok(())
        }
    }

    /// A guard that cancels the token when dropped: held by whoever awaits
    /// the work, so that the work stops when its result is no longer wanted.
    pub fn on_drop(&self) -> CancelOnDrop {
        CancelOnDrop(self.clone())
    }
}

/// Cancels its token when dropped.
#[derive(Debug)]
pub struct CancelOnDrop(Cancel);

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        self.0.cancel();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dropped_guard_cancels() {
        let cancel = Cancel::default();
        assert_eq!(cancel.check(), Ok(()));
        drop(cancel.on_drop());
        assert_eq!(cancel.check(), Err(Cancelled));
    }
}
