//! Makes the allocator give freed memory back to the system: large blocks
//! at once, and the small ones once the server is quiet after work.
//!
//! glibc serves a large allocation with its own mapping, returned on free,
//! but after the first such free it raises that threshold to the freed
//! block's size, so the next document-sized buffers (a version's text, a
//! long answer) come from the heap and stay resident after use. A server
//! with a 10 MiB document open then kept ~20 MiB it no longer used.
//! Fixing the threshold keeps the original behaviour.
//!
//! Small blocks freed after a burst (the analyses of 2,000 documents opened
//! at once, each built, published and dropped) stay in glibc's heaps: the
//! server held 563 MiB for 97 MiB of text, 164 MiB once trimmed. So half a
//! second after the last publication, the heaps are trimmed.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// glibc's default threshold: blocks from 128 KiB up get their own mapping.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
const MMAP_THRESHOLD: libc::c_int = 128 * 1024;

/// Fixes the threshold; call it before the server allocates anything large.
pub fn return_large_blocks() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets an allocator parameter; glibc serialises it
    // with its own locks, and it is called before any other thread starts.
    unsafe {
        if libc::mallopt(libc::M_MMAP_THRESHOLD, MMAP_THRESHOLD) != 1 {
            tracing::debug!("mallopt(M_MMAP_THRESHOLD) refused");
        }
    }
}

/// How long the server must be quiet before the heaps are trimmed.
const QUIET: Duration = Duration::from_millis(500);

/// When work last freed memory (milliseconds since the first call), and whether a
/// trim is waiting for the quiet moment.
static LAST_WORK: AtomicU64 = AtomicU64::new(0);
static WAITING: AtomicBool = AtomicBool::new(false);

fn now_ms() -> u64 {
    static START: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();
    START.get_or_init(Instant::now).elapsed().as_millis() as u64
}

/// Notes that work just freed memory; the heaps are trimmed once the server
/// has been quiet for [`QUIET`]. Call it from within the runtime.
pub fn after_work() {
    LAST_WORK.store(now_ms(), Ordering::Relaxed);
    if WAITING.swap(true, Ordering::AcqRel) {
        return;
    }
    tokio::spawn(async {
        loop {
            tokio::time::sleep(QUIET).await;
            let quiet = now_ms().saturating_sub(LAST_WORK.load(Ordering::Relaxed));
            if quiet >= QUIET.as_millis() as u64 {
                break;
            }
        }
        WAITING.store(false, Ordering::Release);
        trim();
    });
}

/// Returns the heaps' free memory to the system.
fn trim() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only releases free memory; glibc takes its locks.
    unsafe {
        libc::malloc_trim(0);
    }
}
