//! Registries found by walking up and read once each: which registry applies
//! to a folder, and every registry read so far.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::{Loaded, find};
use crate::files;

#[derive(Debug)]
pub struct Cache {
    by_dir: HashMap<PathBuf, Option<PathBuf>>,
    by_path: HashMap<PathBuf, Arc<Loaded>>,
    /// The largest registry [`Cache::for_file`] reads.
    limit: u64,
}

impl Default for Cache {
    fn default() -> Self {
        Cache::with_limit(files::DEFAULT_MAX_REGISTRY)
    }
}

impl Cache {
    pub fn with_limit(limit: u64) -> Self {
        Cache {
            by_dir: HashMap::new(),
            by_path: HashMap::new(),
            limit,
        }
    }

    /// The registry that applies to files in `dir`, read with `read` the
    /// first time it is needed; a read error is returned, and asked again
    /// next time. A registry reached through a symbolic link is known by
    /// its real path, so that it has one identity.
    pub fn for_dir<E>(
        &mut self,
        dir: &Path,
        read: impl FnOnce(&Path) -> Result<String, E>,
    ) -> Result<Option<Arc<Loaded>>, E> {
        let Some(path) = self
            .by_dir
            .entry(dir.to_path_buf())
            .or_insert_with(|| find(dir).map(|p| files::canonical(&p)))
            .clone()
        else {
            return Ok(None);
        };
        if let Some(loaded) = self.by_path.get(&path) {
            return Ok(Some(loaded.clone()));
        }
        let loaded = Arc::new(Loaded::new(path.clone(), read(&path)?));
        self.by_path.insert(path, loaded.clone());
        Ok(Some(loaded))
    }

    /// The registry for a file, read from disk; an unreadable one is logged and skipped.
    pub fn for_file(&mut self, file: &Path) -> Option<Arc<Loaded>> {
        let limit = self.limit;
        let read = |p: &Path| files::read_text(p, limit).map_err(|e| tracing::warn!("{e}"));
        self.for_dir(file.parent()?, read).ok().flatten()
    }

    /// Every registry read, in path order.
    pub fn loaded(&self) -> Vec<Arc<Loaded>> {
        let mut all: Vec<_> = self.by_path.values().cloned().collect();
        all.sort_by(|a, b| a.path.cmp(&b.path));
        all
    }
}
