//! Files of a collection that may be hostile: reading them (regular files
//! only, also behind symbolic links; at most a set size; UTF-8 text without
//! NUL bytes), one canonical identity per file, and the walk that finds the
//! transcripts in a folder. Shared by every frontend: `check`, `fmt`,
//! `import`, `export` and the server's index read and walk only through here.

use std::fmt;
use std::fs::File;
use std::io::Read;
use std::path::{Component, Path, PathBuf};

use crate::escape::shown;

/// The extension of transcript files.
pub const EXTENSION: &str = "transcript";

/// The largest transcript read by default (`--max-file-size` raises it).
pub const DEFAULT_MAX_FILE: u64 = 64 << 20;
/// The largest registry read by default (`--max-registry-size` raises it).
pub const DEFAULT_MAX_REGISTRY: u64 = 1 << 30;

/// How large a file may be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub file: u64,
    pub registry: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            file: DEFAULT_MAX_FILE,
            registry: DEFAULT_MAX_REGISTRY,
        }
    }
}

/// Why a file was not read. Its message names the file (with control
/// characters escaped) and says what to do.
#[derive(Debug)]
pub enum ReadError {
    Io(PathBuf, std::io::Error),
    /// A FIFO, a device, a socket or a folder.
    NotRegular(PathBuf, &'static str),
    /// A file of the system (`/proc`, `/sys`): regular to `stat`, but not a document.
    System(PathBuf),
    TooLarge {
        path: PathBuf,
        size: u64,
        limit: u64,
    },
    NotUtf8 {
        path: PathBuf,
        offset: usize,
        /// It starts with a UTF-16 byte order mark.
        utf16: bool,
    },
    Nul {
        path: PathBuf,
        offset: usize,
    },
}

impl ReadError {
    pub fn path(&self) -> &Path {
        match self {
            ReadError::Io(p, _) | ReadError::NotRegular(p, _) | ReadError::System(p) => p,
            ReadError::TooLarge { path, .. }
            | ReadError::NotUtf8 { path, .. }
            | ReadError::Nul { path, .. } => path,
        }
    }
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = shown(&self.path().display().to_string()).into_owned();
        match self {
            ReadError::Io(_, e) => write!(f, "cannot read {path}: {e}"),
            ReadError::NotRegular(_, kind) => write!(
                f,
                "{path} is {kind}, not a regular file; only regular files are read"
            ),
            ReadError::System(_) => write!(
                f,
                "{path} is a file of the operating system (/proc or /sys), not a document; it is not read"
            ),
            ReadError::TooLarge { size, limit, .. } => write!(
                f,
                "{path} is {}, more than the limit of {}; it is not read",
                size_text(*size),
                size_text(*limit)
            ),
            ReadError::NotUtf8 { offset, utf16, .. } => write!(
                f,
                "{path} is not valid UTF-8: invalid byte at offset {offset}{}; save the file as UTF-8",
                if *utf16 {
                    " (it looks like UTF-16)"
                } else {
                    ""
                }
            ),
            ReadError::Nul { offset, .. } => write!(
                f,
                "{path} is not a text file: it holds a NUL byte at offset {offset}"
            ),
        }
    }
}

/// `64 MiB`, `1.5 KiB`, `12 bytes`.
pub fn size_text(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["KiB", "MiB", "GiB", "TiB"];
    if bytes < 1024 {
        return format!("{bytes} bytes");
    }
    let mut value = bytes as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    if value.fract() == 0.0 {
        format!("{value} {}", UNITS[unit])
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

/// A size with an optional unit: `1000`, `64KiB`, `64KB`, `64K`, `2MiB`, `1G`.
/// Binary units (powers of 1024) whether or not the `i` is written.
pub fn parse_size(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (digits, unit) = t.split_at(split);
    let n: u64 = digits.parse().map_err(|_| {
        format!(
            "`{}` is not a size: write a number with an optional unit, such as 64MiB",
            shown(s)
        )
    })?;
    let shift = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 0,
        "k" | "kb" | "kib" => 10,
        "m" | "mb" | "mib" => 20,
        "g" | "gb" | "gib" => 30,
        "t" | "tb" | "tib" => 40,
        _ => {
            return Err(format!(
                "unknown size unit in `{}`: use KiB, MiB or GiB",
                shown(s)
            ));
        }
    };
    n.checked_mul(1 << shift)
        .ok_or_else(|| format!("`{}` is too large", shown(s)))
}

/// Reads a file as UTF-8 text: a regular file (a symbolic link is followed
/// to one), at most `limit` bytes, without NUL bytes.
pub fn read_text(path: &Path, limit: u64) -> Result<String, ReadError> {
    let bytes = read_bytes(path, limit)?;
    text(path, bytes)
}

/// Reads a regular file's bytes, at most `limit` of them.
pub fn read_bytes(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    let io = |e| ReadError::Io(path.to_path_buf(), e);
    // Checked before opening: opening a FIFO for reading would wait for a writer.
    let meta = std::fs::metadata(path).map_err(io)?;
    if let Some(kind) = not_regular(&meta) {
        return Err(ReadError::NotRegular(path.to_path_buf(), kind));
    }
    let file = open_for_reading(path).map_err(io)?;
    read_open(path, &file, limit)
}

/// Reads a file opened from `path` as text, with the checks of [`read_text`].
pub fn read_open_text(path: &Path, file: &File, limit: u64) -> Result<String, ReadError> {
    text(path, read_open(path, file, limit)?)
}

/// Reads an open file's bytes, at most `limit` of them, after checking that
/// it is a regular file and not a file of the system.
fn read_open(path: &Path, mut file: &File, limit: u64) -> Result<Vec<u8>, ReadError> {
    let io = |e| ReadError::Io(path.to_path_buf(), e);
    // The file opened may not be the one looked at (replaced in between).
    let meta = file.metadata().map_err(io)?;
    if let Some(kind) = not_regular(&meta) {
        return Err(ReadError::NotRegular(path.to_path_buf(), kind));
    }
    if is_system_file(file) {
        return Err(ReadError::System(path.to_path_buf()));
    }
    if meta.len() > limit {
        return Err(ReadError::TooLarge {
            path: path.to_path_buf(),
            size: meta.len(),
            limit,
        });
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    (&mut file)
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge {
            path: path.to_path_buf(),
            size: bytes.len() as u64,
            limit,
        });
    }
    // A pseudo-file (of /proc, say) reports no size yet yields bytes.
    if meta.len() == 0 && !bytes.is_empty() {
        return Err(ReadError::System(path.to_path_buf()));
    }
    Ok(bytes)
}

/// Reads standard input or another stream as text, with the same checks as a file.
pub fn read_stream(name: &Path, mut input: impl Read, limit: u64) -> Result<String, ReadError> {
    let mut bytes = Vec::new();
    (&mut input)
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| ReadError::Io(name.to_path_buf(), e))?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge {
            path: name.to_path_buf(),
            size: bytes.len() as u64,
            limit,
        });
    }
    text(name, bytes)
}

/// Bytes as text: UTF-8, without NUL bytes.
fn text(path: &Path, bytes: Vec<u8>) -> Result<String, ReadError> {
    let utf16 = bytes.starts_with(&[0xff, 0xfe]) || bytes.starts_with(&[0xfe, 0xff]);
    let text = String::from_utf8(bytes).map_err(|e| ReadError::NotUtf8 {
        path: path.to_path_buf(),
        offset: e.utf8_error().valid_up_to(),
        utf16,
    })?;
    match text.as_bytes().iter().position(|&b| b == 0) {
        Some(offset) => Err(ReadError::Nul {
            path: path.to_path_buf(),
            offset,
        }),
        None => Ok(text),
    }
}

/// What a file is when it is not a regular file.
pub fn not_regular(meta: &std::fs::Metadata) -> Option<&'static str> {
    let t = meta.file_type();
    if t.is_file() {
        return None;
    }
    if t.is_dir() {
        return Some("a folder");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return Some("a FIFO (named pipe)");
        }
        if t.is_char_device() || t.is_block_device() {
            return Some("a device");
        }
        if t.is_socket() {
            return Some("a socket");
        }
    }
    Some("not a regular file")
}

#[cfg(unix)]
fn open_for_reading(path: &Path) -> std::io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    // Non-blocking, so that a FIFO swapped in after the check cannot stall the read.
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
}

#[cfg(not(unix))]
fn open_for_reading(path: &Path) -> std::io::Result<File> {
    File::open(path)
}

/// Whether an open file lives in /proc or /sys.
#[cfg(target_os = "linux")]
fn is_system_file(file: &File) -> bool {
    use std::os::fd::AsRawFd;
    const PROC_SUPER_MAGIC: i64 = 0x9fa0;
    const SYSFS_MAGIC: i64 = 0x6265_6572;
    let mut fs = std::mem::MaybeUninit::<libc::statfs>::uninit();
    // SAFETY: the descriptor is open for the call's duration and `fs` is
    // written by the kernel when it returns 0.
    let fs = unsafe {
        if libc::fstatfs(file.as_raw_fd(), fs.as_mut_ptr()) != 0 {
            return false;
        }
        fs.assume_init()
    };
    #[allow(clippy::unnecessary_cast)] // `f_type`'s type differs between targets.
    let kind = fs.f_type as i64;
    kind == PROC_SUPER_MAGIC || kind == SYSFS_MAGIC
}

#[cfg(not(target_os = "linux"))]
fn is_system_file(_: &File) -> bool {
    false
}

/// The one identity of a file however it was reached (symbolic links,
/// `..`, a relative path): its canonical path; for a file that does not
/// exist (any more), its folder's canonical path and its name; else the
/// absolute path with `.` and `..` resolved.
pub fn canonical(path: &Path) -> PathBuf {
    if let Ok(real) = std::fs::canonicalize(path) {
        return real;
    }
    let path = lexically_absolute(path);
    match (path.parent(), path.file_name()) {
        (Some(dir), Some(name)) => match std::fs::canonicalize(dir) {
            Ok(dir) => dir.join(name),
            Err(_) => path,
        },
        _ => path,
    }
}

fn lexically_absolute(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut out = PathBuf::new();
    for c in absolute.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// Which files a walk finds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WalkOptions {
    /// Skip hidden files and folders (names starting with `.`). By default
    /// they are walked, as git tracks them; `.git` itself never is.
    pub skip_hidden: bool,
}

/// A problem met while walking a folder (an unreadable subfolder).
#[derive(Debug)]
pub struct WalkError(pub String);

/// The `.transcript` files below `dir`, sorted, respecting `.gitignore`
/// (also outside a git repository). Symbolic links are not followed, as
/// ripgrep does: a link to a file checked elsewhere would count it twice.
pub fn transcripts_in(dir: &Path, options: WalkOptions) -> (Vec<PathBuf>, Vec<WalkError>) {
    files_in(dir, options, |p| {
        p.extension().is_some_and(|x| x == EXTENSION)
    })
}

/// The regular files below `dir` that `keep` accepts, walked as
/// [`transcripts_in`] walks.
pub fn files_in(
    dir: &Path,
    options: WalkOptions,
    keep: impl Fn(&Path) -> bool,
) -> (Vec<PathBuf>, Vec<WalkError>) {
    let mut found = Vec::new();
    let mut errors = Vec::new();
    let walker = ignore::WalkBuilder::new(dir)
        .require_git(false)
        .hidden(options.skip_hidden)
        .filter_entry(|e| e.file_name() != ".git")
        .build();
    for entry in walker {
        match entry {
            Ok(e) if e.file_type().is_some_and(|t| t.is_file()) && keep(e.path()) => {
                found.push(e.into_path());
            }
            Ok(_) => {}
            Err(e) => errors.push(WalkError(format!(
                "cannot read {}: {}",
                shown(&dir.display().to_string()),
                shown(&e.to_string())
            ))),
        }
    }
    found.sort();
    (found, errors)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_as_people_write_them() {
        assert_eq!(size_text(12), "12 bytes");
        assert_eq!(size_text(64 << 20), "64 MiB");
        assert_eq!(size_text(1536), "1.5 KiB");
        assert_eq!(size_text(1 << 30), "1 GiB");
    }

    #[test]
    fn missing_paths_get_a_lexical_identity() {
        let a = canonical(Path::new("/nonexistent-x/a/../b/./c.transcript"));
        assert_eq!(a, Path::new("/nonexistent-x/b/c.transcript"));
    }

    #[test]
    fn nul_bytes_and_invalid_utf8_are_not_text() {
        let name = Path::new("x");
        let e = read_stream(name, &b"ab\0c"[..], 100).unwrap_err();
        assert!(matches!(e, ReadError::Nul { offset: 2, .. }), "{e}");
        let e = read_stream(name, &b"ab\xffc"[..], 100).unwrap_err();
        assert!(matches!(e, ReadError::NotUtf8 { offset: 2, .. }), "{e}");
        let e = read_stream(name, &b"abcdef"[..], 3).unwrap_err();
        assert!(matches!(e, ReadError::TooLarge { .. }), "{e}");
        assert_eq!(read_stream(name, &b"abc"[..], 3).unwrap(), "abc");
    }
}
