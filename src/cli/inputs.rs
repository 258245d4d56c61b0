//! Finding and reading the files to check: folders walked as git would
//! (respecting `.gitignore`), `-` for standard input, and the folder whose
//! registry applies to each (the registries themselves are read once each
//! through `registry::Cache`, as the server does).

use std::io::Read;
use std::path::{Component, Path, PathBuf};

pub const EXTENSION: &str = "transcript";

/// Where a file's text comes from.
#[derive(Debug, Clone)]
pub enum Source {
    File(PathBuf),
    Stdin,
}

/// The files named by `paths`, in a stable order, or the errors that stop the run.
pub fn collect(paths: &[PathBuf]) -> (Vec<Source>, Vec<String>) {
    let (keyed, errors) = collect_keyed(paths);
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

/// As [`collect`], with each file's shard key.
pub fn collect_keyed(paths: &[PathBuf]) -> (Vec<Keyed>, Vec<String>) {
    let mut sources = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            sources.push(Keyed {
                source: Source::Stdin,
                key: "-".to_string(),
            });
            continue;
        }
        match std::fs::metadata(path) {
            Err(e) => errors.push(format!("cannot read {}: {e}", path.display())),
            Ok(m) if m.is_dir() => {
                let mut found = Vec::new();
                let walker = ignore::WalkBuilder::new(path).require_git(false).build();
                for entry in walker {
                    match entry {
                        Ok(e) if is_transcript(&e) => found.push(e.into_path()),
                        Ok(_) => {}
                        Err(e) => errors.push(format!("cannot read {}: {e}", path.display())),
                    }
                }
                found.sort();
                sources.extend(found.into_iter().map(|file| Keyed {
                    key: shard_key(file.strip_prefix(path).unwrap_or(&file)),
                    source: Source::File(without_dot(file)),
                }));
            }
            Ok(_) => sources.push(Keyed {
                source: Source::File(path.clone()),
                key: shard_key(path),
            }),
        }
    }
    (sources, errors)
}

/// A `.transcript` file found by the walk. Symbolic links are not followed,
/// as ripgrep does (a link to a file checked elsewhere would report its
/// `id` twice); a link named on the command line is checked.
fn is_transcript(entry: &ignore::DirEntry) -> bool {
    entry.file_type().is_some_and(|t| t.is_file())
        && entry.path().extension().is_some_and(|x| x == EXTENSION)
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

/// Reads a file as UTF-8; the error names the path and, for invalid UTF-8, the byte offset.
pub fn read(source: &Source) -> Result<String, String> {
    let (name, bytes) = match source {
        Source::File(path) => (
            path.display().to_string(),
            std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?,
        ),
        Source::Stdin => {
            let mut bytes = Vec::new();
            std::io::stdin()
                .read_to_end(&mut bytes)
                .map_err(|e| format!("cannot read standard input: {e}"))?;
            ("<stdin>".to_string(), bytes)
        }
    };
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "{name} is not valid UTF-8: invalid byte at offset {}; save the file as UTF-8",
            e.utf8_error().valid_up_to()
        )
    })
}

/// The folder whose registry applies to a source.
pub fn folder_of(source: &Source) -> PathBuf {
    match source {
        Source::File(path) => {
            let parent = path
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(Path::new("."));
            std::path::absolute(parent).unwrap_or_else(|_| parent.to_path_buf())
        }
        Source::Stdin => std::env::current_dir().unwrap_or_else(|_| PathBuf::from(".")),
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
