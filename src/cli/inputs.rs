//! Finding and reading the files to check: folders walked as git would
//! (respecting `.gitignore`), `-` for standard input, registries found by
//! walking up and read once each.

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::registry::{self, Loaded};

pub const EXTENSION: &str = "transcript";

/// Where a file's text comes from.
#[derive(Debug, Clone)]
pub enum Source {
    File(PathBuf),
    Stdin,
}

/// The files named by `paths`, in a stable order, or the errors that stop the run.
pub fn collect(paths: &[PathBuf]) -> (Vec<Source>, Vec<String>) {
    let mut sources = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            sources.push(Source::Stdin);
            continue;
        }
        match std::fs::metadata(path) {
            Err(e) => errors.push(format!("cannot read {}: {e}", path.display())),
            Ok(m) if m.is_dir() => {
                let mut found = Vec::new();
                let walker = ignore::WalkBuilder::new(path).require_git(false).build();
                for entry in walker {
                    match entry {
                        Ok(e)
                            if e.file_type().is_some_and(|t| t.is_file())
                                && e.path().extension().is_some_and(|x| x == EXTENSION) =>
                        {
                            found.push(e.into_path());
                        }
                        Ok(_) => {}
                        Err(e) => errors.push(format!("cannot read {}: {e}", path.display())),
                    }
                }
                found.sort();
                sources.extend(found.into_iter().map(Source::File));
            }
            Ok(_) => sources.push(Source::File(path.clone())),
        }
    }
    (sources, errors)
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

/// Finds and reads registries, each once.
#[derive(Default)]
pub struct Registries {
    by_dir: HashMap<PathBuf, Option<Arc<Loaded>>>,
    by_path: HashMap<PathBuf, Arc<Loaded>>,
}

impl Registries {
    /// The registry that applies to files in `dir`.
    pub fn for_dir(&mut self, dir: &Path) -> Result<Option<Arc<Loaded>>, String> {
        if let Some(found) = self.by_dir.get(dir) {
            return Ok(found.clone());
        }
        let found = match registry::find(dir) {
            None => None,
            Some(path) => match self.by_path.get(&path) {
                Some(r) => Some(r.clone()),
                None => {
                    let text = read(&Source::File(path.clone()))?;
                    let loaded = Arc::new(Loaded::new(path.clone(), text));
                    self.by_path.insert(path, loaded.clone());
                    Some(loaded)
                }
            },
        };
        self.by_dir.insert(dir.to_path_buf(), found.clone());
        Ok(found)
    }

    /// Every registry read, in path order.
    pub fn loaded(&self) -> Vec<Arc<Loaded>> {
        let mut all: Vec<_> = self.by_path.values().cloned().collect();
        all.sort_by(|a, b| a.path.cmp(&b.path));
        all
    }
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
