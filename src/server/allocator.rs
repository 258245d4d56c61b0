//! Makes the allocator give large freed blocks back to the system.
//!
//! glibc serves a large allocation with its own mapping, returned on free,
//! but after the first such free it raises that threshold to the freed
//! block's size, so the next document-sized buffers (a version's text, a
//! long answer) come from the heap and stay resident after use. A server
//! with a 10 MiB document open then kept ~20 MiB it no longer used.
//! Fixing the threshold keeps the original behaviour.

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
