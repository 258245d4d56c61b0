//! Finding and reading the files a command works on: folders walked as git
//! would (respecting `.gitignore`), `-` for standard input, each file once
//! however it was reached, the folder whose registry applies to each (the
//! registries themselves are read once each through `registry::Cache`, as
//! the server does), and the options every such command shares.

use std::collections::HashSet;
use std::path::{Component, Path, PathBuf};

use crate::escape::shown;
use crate::files::{self, Limits, WalkOptions};

pub use crate::files::EXTENSION;

/// What every command that reads transcripts lets the user set: which
/// files a walk finds and how large a file may be.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct FileArgs {
    /// Skip hidden files and folders (names starting with `.`) when walking
    /// folders. By default they are checked, as git tracks them (`.git` never is).
    #[arg(long)]
    pub skip_hidden: bool,
    /// The largest transcript read, such as `64MiB` (the default), `200MB` or `1GiB`.
    #[arg(long, value_name = "SIZE", value_parser = files::parse_size)]
    pub max_file_size: Option<u64>,
    /// The largest `transcripts.json` read, such as `1GiB` (the default).
    #[arg(long, value_name = "SIZE", value_parser = files::parse_size)]
    pub max_registry_size: Option<u64>,
}

impl FileArgs {
    pub fn walk(&self) -> WalkOptions {
        WalkOptions {
            skip_hidden: self.skip_hidden,
        }
    }

    pub fn limits(&self) -> Limits {
        let default = Limits::default();
        Limits {
            file: self.max_file_size.unwrap_or(default.file),
            registry: self.max_registry_size.unwrap_or(default.registry),
        }
    }
}

/// Where a file's text comes from.
#[derive(Debug, Clone)]
pub enum Source {
    File(PathBuf),
    Stdin,
}

/// The files named by `paths`, in a stable order, or the errors that stop the run.
pub fn collect(paths: &[PathBuf], walk: WalkOptions) -> (Vec<Source>, Vec<String>) {
    let (keyed, errors) = collect_keyed(paths, walk);
    (keyed.into_iter().map(|k| k.source).collect(), errors)
}

/// A source and the name `--shard` hashes: for a file found in a folder, its
/// path relative to that folder; for a file named on the command line, the
/// path as written; for standard input, `-`. Separators are always `/`.
#[derive(Debug, Clone)]
pub struct Keyed {
    pub source: Source,
    pub key: String,
}

/// As [`collect`], with each file's shard key. A file reached twice (named
/// and found in a folder, through a symbolic link, with `..`) is taken once,
/// where it is first reached.
pub fn collect_keyed(paths: &[PathBuf], walk: WalkOptions) -> (Vec<Keyed>, Vec<String>) {
    let mut sources = Vec::new();
    let mut errors = Vec::new();
    let mut seen: HashSet<PathBuf> = HashSet::new();
    let mut stdin = false;
    for path in paths {
        if path.as_os_str() == "-" {
            if !std::mem::replace(&mut stdin, true) {
                sources.push(Keyed {
                    source: Source::Stdin,
                    key: "-".to_string(),
                });
            }
            continue;
        }
        match std::fs::metadata(path) {
            Err(e) => errors.push(format!(
                "cannot read {}: {e}",
                shown(&path.display().to_string())
            )),
            Ok(m) if m.is_dir() => {
                let (found, walk_errors) = files::transcripts_in(path, walk);
                errors.extend(walk_errors.into_iter().map(|e| e.0));
                for file in found {
                    if seen.insert(files::canonical(&file)) {
                        sources.push(Keyed {
                            key: shard_key(file.strip_prefix(path).unwrap_or(&file)),
                            source: Source::File(without_dot(file)),
                        });
                    }
                }
            }
            Ok(_) => {
                if seen.insert(files::canonical(path)) {
                    sources.push(Keyed {
                        source: Source::File(path.clone()),
                        key: shard_key(path),
                    });
                }
            }
        }
    }
    (sources, errors)
}

/// A walked path without the `./` that walking `.` puts in front, so that
/// messages name files as the reports do.
fn without_dot(path: PathBuf) -> PathBuf {
    match path.strip_prefix(".") {
        Ok(rest) => rest.to_path_buf(),
        Err(_) => path,
    }
}

/// A path's components joined with `/`, without `.` components: the same
/// key on every system and however the folder was named (`corpus`, `./corpus/`).
pub fn shard_key(path: &Path) -> String {
    let mut parts: Vec<std::borrow::Cow<str>> = Vec::new();
    let mut rooted = false;
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::RootDir => rooted = true,
            Component::Prefix(p) => parts.push(p.as_os_str().to_string_lossy()),
            Component::ParentDir => parts.push("..".into()),
            Component::Normal(s) => parts.push(s.to_string_lossy()),
        }
    }
    let joined = parts.join("/");
    if rooted { format!("/{joined}") } else { joined }
}

/// One of `count` shards, numbered from 1: `--shard K/N`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub index: u64,
    pub count: u64,
}

impl Shard {
    /// Parses `K/N`, with 1 ≤ K ≤ N.
    pub fn parse(s: &str) -> Result<Shard, String> {
        let (k, n) = s.split_once('/').ok_or_else(|| {
            "expected K/N, such as 1/4 (this run checks the first of four shards)".to_string()
        })?;
        let number = |what: &str, v: &str| {
            v.trim().parse::<u64>().map_err(|_| {
                format!("{what} must be a whole number, not `{v}` (expected K/N, such as 1/4)")
            })
        };
        let (index, count) = (number("K", k)?, number("N", n)?);
        if count == 0 {
            return Err("N must be at least 1".to_string());
        }
        if index == 0 || index > count {
            return Err(format!(
                "K must be between 1 and N ({count}): shards are numbered from 1"
            ));
        }
        Ok(Shard { index, count })
    }

    /// Whether the file with this key belongs to this shard: FNV-1a (64 bits)
    /// of the key's UTF-8 bytes, mixed by MurmurHash3's finaliser, modulo N,
    /// plus one. Stable across runs, machines, systems and releases.
    pub fn contains(&self, key: &str) -> bool {
        shard_of(key, self.count) == self.index
    }
}

/// The shard (1 to `count`) of a key.
pub fn shard_of(key: &str, count: u64) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in key.as_bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    // FNV-1a's low bits depend only on the bytes' low bits: mix before the modulo.
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^= h >> 33;
    h % count + 1
}

/// Reads a source as text (see [`files::read_text`]); the error names the
/// file and says what to do.
pub fn read(source: &Source, limit: u64) -> Result<String, String> {
    let read = match source {
        Source::File(path) => files::read_text(path, limit),
        Source::Stdin => {
            files::read_stream(Path::new("standard input"), std::io::stdin().lock(), limit)
        }
    };
    read.map_err(|e| with_hint(&e, "--max-file-size"))
}

/// Reads a registry as text; the error names the file and says what to do.
pub fn read_registry(path: &Path, limit: u64) -> Result<String, String> {
    files::read_text(path, limit).map_err(|e| with_hint(&e, "--max-registry-size"))
}

/// A read error's message, with the flag that raises a size limit.
fn with_hint(e: &files::ReadError, flag: &str) -> String {
    match e {
        files::ReadError::TooLarge { .. } => format!("{e} (raise the limit with {flag})"),
        _ => e.to_string(),
    }
}

/// The folder whose registry applies to a source: the real folder of the
/// file (symbolic links resolved), so that a registry has one identity.
pub fn folder_of(source: &Source) -> PathBuf {
    match source {
        Source::File(path) => {
            let real = files::canonical(path);
            real.parent().map(Path::to_path_buf).unwrap_or(real)
        }
        Source::Stdin => files::canonical(Path::new(".")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_use_slashes_and_skip_dots() {
        assert_eq!(shard_key(Path::new("./a/b.transcript")), "a/b.transcript");
        assert_eq!(shard_key(Path::new("a/./b.transcript")), "a/b.transcript");
        assert_eq!(
            shard_key(Path::new("../x/b.transcript")),
            "../x/b.transcript"
        );
        assert_eq!(
            shard_key(Path::new("/srv/b.transcript")),
            "/srv/b.transcript"
        );
    }

    #[test]
    fn the_hash_is_fixed() {
        // These values are part of the interface: CI matrices rely on them.
        let shards: Vec<u64> = ["a.transcript", "set-01/t00001.transcript", "-", ""]
            .iter()
            .map(|k| shard_of(k, 7))
            .collect();
        assert_eq!(shards, SHARDS_OF_7);
    }

    const SHARDS_OF_7: [u64; 4] = [3, 5, 3, 2];

    #[test]
    fn parse_and_reject() {
        assert_eq!(Shard::parse("2/3"), Ok(Shard { index: 2, count: 3 }));
        assert_eq!(Shard::parse("1/1"), Ok(Shard { index: 1, count: 1 }));
        for bad in ["0/3", "4/3", "1/0", "3", "a/b", "1/3/4", "-1/3", ""] {
            assert!(Shard::parse(bad).is_err(), "{bad}");
        }
    }
}
