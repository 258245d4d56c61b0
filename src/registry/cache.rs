//! Registries found by walking up and read once each: which registry applies
//! to a folder, and every registry read so far. Shared between threads (the
//! server's documents and its index use one cache, so a large registry is
//! held once); a registry is read outside the lock, so a slow read does not
//! hold up the others, and once: threads that need it meanwhile wait for
//! it (but rayon's workers).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use super::{Loaded, find};
use crate::files;

#[derive(Debug)]
pub struct Cache {
    inner: Mutex<Inner>,
    /// The largest registry [`Cache::for_file`] reads.
    limit: u64,
}

#[derive(Debug, Default)]
struct Inner {
    by_dir: HashMap<PathBuf, Option<PathBuf>>,
    by_path: HashMap<PathBuf, Arc<Loaded>>,
    /// Held while a registry is read, by path.
    reading: HashMap<PathBuf, Arc<Mutex<()>>>,
}

impl Default for Cache {
    fn default() -> Self {
        Cache::with_limit(files::DEFAULT_MAX_REGISTRY)
    }
}

impl Cache {
    pub fn with_limit(limit: u64) -> Self {
        Cache {
            inner: Mutex::new(Inner::default()),
            limit,
        }
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The path of the registry that applies to files in `dir`, if any. A
    /// registry reached through a symbolic link is known by its real path,
    /// so that it has one identity.
    pub fn path_for_dir(&self, dir: &Path) -> Option<PathBuf> {
        if let Some(found) = self.lock().by_dir.get(dir) {
            return found.clone();
        }
        let found = find(dir).map(|p| files::canonical(&p));
        self.lock().by_dir.insert(dir.to_path_buf(), found.clone());
        found
    }

    /// The registry that applies to files in `dir`, read with `read` the
    /// first time it is needed; a read error is returned, and asked again
    /// next time.
    pub fn for_dir<E>(
        &self,
        dir: &Path,
        read: impl FnOnce(&Path) -> Result<String, E>,
    ) -> Result<Option<Arc<Loaded>>, E> {
        let Some(path) = self.path_for_dir(dir) else {
            return Ok(None);
        };
        let reading = {
            let mut inner = self.lock();
            if let Some(loaded) = inner.by_path.get(&path) {
                return Ok(Some(loaded.clone()));
            }
            inner.reading.entry(path.clone()).or_default().clone()
        };
        // One thread reads it; the others wait, then take what it read. But
        // not a rayon worker: reading uses the rayon pool, which would wait
        // for its own workers; a worker reads it again, as all did before.
        let _reading = rayon::current_thread_index()
            .is_none()
            .then(|| reading.lock().unwrap_or_else(|e| e.into_inner()));
        if let Some(loaded) = self.lock().by_path.get(&path) {
            return Ok(Some(loaded.clone()));
        }
        let loaded = Arc::new(Loaded::new(path.clone(), read(&path)?));
        let mut inner = self.lock();
        inner.reading.remove(&path);
        let kept = inner.by_path.entry(path).or_insert(loaded).clone();
        Ok(Some(kept))
    }

    /// The registry for a file, read from disk; an unreadable one is logged and skipped.
    pub fn for_file(&self, file: &Path) -> Option<Arc<Loaded>> {
        let limit = self.limit;
        let read = |p: &Path| files::read_text(p, limit).map_err(|e| tracing::warn!("{e}"));
        self.for_dir(file.parent()?, read).ok().flatten()
    }

    /// Forgets the registry at `path` (and which folders it applies to), so
    /// that it is read again when next needed; with `None`, every registry.
    pub fn forget(&self, path: Option<&Path>) {
        let mut inner = self.lock();
        match path {
            Some(path) => {
                inner.by_path.remove(path);
                // A registry created or deleted changes which one applies to
                // folders below it: look them up again.
                let dir = path.parent().unwrap_or(path);
                inner.by_dir.retain(|d, _| !d.starts_with(dir));
            }
            None => *inner = Inner::default(),
        }
    }

    /// Every registry read, in path order.
    pub fn loaded(&self) -> Vec<Arc<Loaded>> {
        let mut all: Vec<_> = self.lock().by_path.values().cloned().collect();
        all.sort_by(|a, b| a.path.cmp(&b.path));
        all
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn a_registry_needed_by_several_threads_at_once_is_read_once() {
        let dir = tempfile::tempdir().unwrap();
        let registry = dir.path().join("transcripts.json");
        crate::cli::write::create(&registry, b"{\"entities\": {}}", false).unwrap();
        let cache = Cache::default();
        let reads = AtomicUsize::new(0);
        std::thread::scope(|s| {
            for _ in 0..4 {
                s.spawn(|| {
                    let read = |p: &Path| {
                        reads.fetch_add(1, Ordering::SeqCst);
                        std::thread::sleep(std::time::Duration::from_millis(100));
                        std::fs::read_to_string(p)
                    };
                    assert!(cache.for_dir(dir.path(), read).unwrap().is_some());
                });
            }
        });
        assert_eq!(reads.load(Ordering::SeqCst), 1);
        assert_eq!(cache.loaded().len(), 1);
    }
}
