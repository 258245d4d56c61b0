//! The one safe writer: every file the command line writes (`fmt`,
//! `import`, `check --fix`, `export -o`) is written here, and nowhere else.
//!
//! A new text goes to a temporary file with an unpredictable name, created
//! exclusively in the target's folder (so a symbolic link planted at a
//! temporary-looking name is never followed), with the target's mode bits
//! (and owner where we may set it); it is synced and renamed over the
//! target, so a failure or a kill never leaves half a file, and no
//! temporary file survives an error or SIGINT/SIGTERM/SIGHUP/SIGQUIT.
//!
//! Rewriting a file ([`update`]): a symbolic link named by the user is
//! resolved and its target written, the link kept; a file with several hard
//! links is written in place, so that every link sees the new text;
//! read-only files are refused; the file is locked and read again under the
//! lock, so that two runs on one file never lose an edit.
//!
//! Creating an output ([`create`]): never through what the folder holds
//! there (a symbolic link or a hard link is replaced, not written through),
//! and never over an existing file unless asked.

use std::fmt;
use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::escape::shown;
use crate::files::{self, ReadError};

/// Why a file was not written. Nothing was changed.
#[derive(Debug)]
pub enum WriteError {
    Read(ReadError),
    ReadOnly(PathBuf),
    Exists(PathBuf),
    Io(PathBuf, std::io::Error),
    /// The file kept changing under us.
    Busy(PathBuf),
}

impl fmt::Display for WriteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = |p: &Path| shown(&p.display().to_string()).into_owned();
        match self {
            WriteError::Read(e) => e.fmt(f),
            WriteError::ReadOnly(p) => write!(
                f,
                "{} is read-only; not changed (make it writable, e.g. `chmod u+w`, to write it)",
                name(p)
            ),
            WriteError::Exists(p) => write!(
                f,
                "{} exists; not overwritten (use --force to overwrite)",
                name(p)
            ),
            WriteError::Io(p, e) => write!(f, "cannot write {}: {e}", name(p)),
            WriteError::Busy(p) => write!(
                f,
                "{} kept being replaced while it was written; not changed, try again",
                name(p)
            ),
        }
    }
}

/// What [`update`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Updated {
    Unchanged,
    Written,
}

/// Rewrites an existing text file: `edit` gets its current text (read under
/// a lock, at most `limit` bytes) and returns the new text, or `None` to
/// leave it as it is.
pub fn update(
    path: &Path,
    limit: u64,
    mut edit: impl FnMut(&str) -> Option<String>,
) -> Result<Updated, WriteError> {
    // A link named by the user: its target is written, the link kept.
    let real = std::fs::canonicalize(path).map_err(|e| io(path, e))?;
    for _ in 0..10 {
        // Never opened for writing unless it is a regular file (not a device).
        let regular = |m: &std::fs::Metadata| match files::not_regular(m) {
            Some(kind) => Err(WriteError::Read(ReadError::NotRegular(
                path.to_path_buf(),
                kind,
            ))),
            None => Ok(()),
        };
        regular(&std::fs::metadata(&real).map_err(|e| io(path, e))?)?;
        let file = match open_existing(&real) {
            Ok(file) => file,
            Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => {
                return Err(WriteError::ReadOnly(path.to_path_buf()));
            }
            Err(e) if is_symlink_loop(&e) => continue,
            Err(e) => return Err(io(path, e)),
        };
        let meta = file.metadata().map_err(|e| io(path, e))?;
        regular(&meta)?;
        if meta.permissions().readonly() {
            return Err(WriteError::ReadOnly(path.to_path_buf()));
        }
        file.lock().map_err(|e| io(path, e))?;
        // Another run may have replaced the file before we held the lock.
        if !same_file(&file, &real) {
            continue;
        }
        let text = files::read_open_text(path, &file, limit).map_err(WriteError::Read)?;
        let Some(new) = edit(&text) else {
            return Ok(Updated::Unchanged);
        };
        if new == text {
            return Ok(Updated::Unchanged);
        }
        if links(&meta) > 1 {
            write_in_place(&file, new.as_bytes()).map_err(|e| io(path, e))?;
        } else {
            replace(&real, new.as_bytes(), Some(&meta), true).map_err(|e| io(path, e))?;
        }
        return Ok(Updated::Written);
    }
    Err(WriteError::Busy(path.to_path_buf()))
}

/// Creates the file `path` (an output of `import` or `export`) with
/// `contents`. Whatever `path` is now (a file, a symbolic link, a hard
/// link) is replaced when `overwrite` is set, never written through; without
/// it, an existing entry is an error.
pub fn create(path: &Path, contents: &[u8], overwrite: bool) -> Result<(), WriteError> {
    let existing = std::fs::symlink_metadata(path).ok();
    if existing.is_some() && !overwrite {
        return Err(WriteError::Exists(path.to_path_buf()));
    }
    if existing
        .as_ref()
        .is_some_and(|m| m.is_file() && m.permissions().readonly())
    {
        return Err(WriteError::ReadOnly(path.to_path_buf()));
    }
    // A regular file's mode is kept; a link's or a new file's is the default.
    let keep = existing.as_ref().filter(|m| m.is_file());
    replace(path, contents, keep, overwrite).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AlreadyExists {
            WriteError::Exists(path.to_path_buf())
        } else {
            io(path, e)
        }
    })
}

fn io(path: &Path, e: std::io::Error) -> WriteError {
    WriteError::Io(path.to_path_buf(), e)
}

/// Writes `contents` to a new temporary file beside `path` and renames it
/// over `path` (without `overwrite`: only if nothing is there).
fn replace(
    path: &Path,
    contents: &[u8],
    keep: Option<&std::fs::Metadata>,
    overwrite: bool,
) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let _one_at_a_time = cleanup::WRITING.lock().unwrap_or_else(|e| e.into_inner());
    let prefix = format!(".{name}.");
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".tmp");
    // Registered for the signal handler before it exists, so that no moment
    // passes with the file on disk and unknown to the handler.
    let registered = cleanup::Registered;
    let mut temp = builder.make_in(dir, |path| {
        registered.set(path);
        create_exclusively(path, keep)
    })?;
    #[cfg(unix)]
    if let Some(meta) = keep {
        keep_owner(temp.as_file(), meta);
    }
    temp.write_all(contents)?;
    temp.as_file().sync_all()?;
    if overwrite {
        temp.persist(path).map_err(|e| e.error)?;
    } else {
        temp.persist_noclobber(path).map_err(|e| e.error)?;
    }
    // The rename itself is durable once the folder is synced.
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

/// Creates a new file at a path nothing is at (never following a link
/// there), with the kept file's mode or the default one.
fn create_exclusively(path: &Path, keep: Option<&std::fs::Metadata>) -> std::io::Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        options.mode(mode_of(keep).mode());
    }
    #[cfg(not(unix))]
    let _ = keep;
    options.open(path)
}

/// Writes over a file's content, for a file with several hard links.
fn write_in_place(mut file: &File, contents: &[u8]) -> std::io::Result<()> {
    use std::io::Seek;
    file.seek(std::io::SeekFrom::Start(0))?;
    file.write_all(contents)?;
    file.set_len(contents.len() as u64)?;
    file.sync_all()
}

#[cfg(unix)]
fn open_existing(path: &Path) -> std::io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(path)
}

#[cfg(not(unix))]
fn open_existing(path: &Path) -> std::io::Result<File> {
    std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(path)
}

#[cfg(unix)]
fn is_symlink_loop(e: &std::io::Error) -> bool {
    e.raw_os_error() == Some(libc::ELOOP)
}

#[cfg(not(unix))]
fn is_symlink_loop(_: &std::io::Error) -> bool {
    false
}

/// Whether `file` is still the file at `path`.
#[cfg(unix)]
fn same_file(file: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), std::fs::symlink_metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn same_file(_: &File, _: &Path) -> bool {
    true
}

#[cfg(unix)]
fn links(meta: &std::fs::Metadata) -> u64 {
    std::os::unix::fs::MetadataExt::nlink(meta)
}

#[cfg(not(unix))]
fn links(_: &std::fs::Metadata) -> u64 {
    1
}

/// The mode of a kept file, or the default for a new one (the umask applies).
#[cfg(unix)]
fn mode_of(keep: Option<&std::fs::Metadata>) -> std::fs::Permissions {
    use std::os::unix::fs::PermissionsExt;
    let mode = keep.map_or(0o666, |m| m.permissions().mode() & 0o7777);
    std::fs::Permissions::from_mode(mode)
}

/// Gives the new file the old one's owner and group, where we may (as root,
/// or a group we belong to); otherwise it is ours, as any new file would be.
#[cfg(unix)]
fn keep_owner(file: &File, meta: &std::fs::Metadata) {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let _ = std::os::unix::fs::fchown(file, Some(meta.uid()), Some(meta.gid()));
    // Changing the owner clears set-id bits: set the mode again.
    let _ = file.set_permissions(std::fs::Permissions::from_mode(meta.mode() & 0o7777));
}

/// Removing the temporary file when the process is interrupted while it
/// exists: a handler for the signals that end a process, which unlinks the
/// registered temporary file and then ends the process as the signal would.
mod cleanup {
    use std::path::Path;
    use std::sync::Mutex;

    /// Held while a temporary file exists: one at a time.
    pub static WRITING: Mutex<()> = Mutex::new(());

    /// The temporary file of this moment, registered for the signal
    /// handler; unregistered when dropped.
    #[derive(Default)]
    pub struct Registered;

    #[cfg(unix)]
    mod imp {
        use std::ffi::{CString, c_char, c_int};
        use std::sync::Once;
        use std::sync::atomic::{AtomicPtr, Ordering};

        static TEMP: AtomicPtr<c_char> = AtomicPtr::new(std::ptr::null_mut());
        static INSTALL: Once = Once::new();
        const SIGNALS: [c_int; 4] = [libc::SIGINT, libc::SIGTERM, libc::SIGHUP, libc::SIGQUIT];

        extern "C" fn on_signal(sig: c_int) {
            // Only async-signal-safe calls: an atomic swap, unlink, signal, raise.
            let temp = TEMP.swap(std::ptr::null_mut(), Ordering::SeqCst);
            // SAFETY: `temp` is null or a C string leaked by `register` and
            // never freed while registered; the rest are plain libc calls.
            unsafe {
                if !temp.is_null() {
                    libc::unlink(temp);
                }
                libc::signal(sig, libc::SIG_DFL);
                libc::raise(sig);
            }
        }

        pub fn register(path: &std::path::Path) {
            INSTALL.call_once(|| {
                for sig in SIGNALS {
                    // SAFETY: installs a handler that only makes async-signal-safe calls.
                    unsafe {
                        libc::signal(sig, on_signal as *const () as libc::sighandler_t);
                    }
                }
            });
            use std::os::unix::ffi::OsStrExt;
            if let Ok(c) = CString::new(path.as_os_str().as_bytes()) {
                let old = TEMP.swap(c.into_raw(), Ordering::SeqCst);
                free(old);
            }
        }

        pub fn unregister() {
            free(TEMP.swap(std::ptr::null_mut(), Ordering::SeqCst));
        }

        fn free(p: *mut c_char) {
            if !p.is_null() {
                // SAFETY: `p` came from `CString::into_raw` and was taken out of TEMP.
                drop(unsafe { CString::from_raw(p) });
            }
        }
    }

    #[cfg(not(unix))]
    mod imp {
        pub fn register(_: &std::path::Path) {}
        pub fn unregister() {}
    }

    impl Registered {
        /// Registers `path` (in place of any path registered before).
        pub fn set(&self, path: &Path) {
            imp::register(path);
        }
    }

    impl Drop for Registered {
        fn drop(&mut self) {
            imp::unregister();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_dir() -> tempfile::TempDir {
        tempfile::tempdir().unwrap()
    }

    fn entries(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn update_writes_and_leaves_no_temporary_file() {
        let dir = temp_dir();
        let a = dir.path().join("a.transcript");
        std::fs::write(&a, "old").unwrap();
        let done = update(&a, 100, |old| Some(format!("{old} new"))).unwrap();
        assert_eq!(done, Updated::Written);
        assert_eq!(std::fs::read_to_string(&a).unwrap(), "old new");
        assert_eq!(entries(dir.path()), ["a.transcript"]);
        let same = update(&a, 100, |old| Some(old.to_string())).unwrap();
        assert_eq!(same, Updated::Unchanged);
    }

    #[test]
    fn create_refuses_what_exists_unless_asked() {
        let dir = temp_dir();
        let a = dir.path().join("a.transcript");
        create(&a, b"one", false).unwrap();
        assert!(matches!(
            create(&a, b"two", false),
            Err(WriteError::Exists(_))
        ));
        create(&a, b"two", true).unwrap();
        assert_eq!(std::fs::read_to_string(&a).unwrap(), "two");
        assert_eq!(entries(dir.path()), ["a.transcript"]);
    }

    #[cfg(unix)]
    #[test]
    fn create_replaces_a_planted_link_and_never_writes_through_it() {
        let dir = temp_dir();
        let outside = dir.path().join("outside");
        std::fs::write(&outside, "secret").unwrap();
        let out = dir.path().join("out");
        std::fs::create_dir(&out).unwrap();
        let a = out.join("a.transcript");
        std::os::unix::fs::symlink(&outside, &a).unwrap();
        assert!(matches!(
            create(&a, b"new", false),
            Err(WriteError::Exists(_))
        ));
        create(&a, b"new", true).unwrap();
        assert_eq!(std::fs::read_to_string(&outside).unwrap(), "secret");
        assert!(!std::fs::symlink_metadata(&a).unwrap().is_symlink());
        assert_eq!(std::fs::read_to_string(&a).unwrap(), "new");
    }
}
