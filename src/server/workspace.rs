//! The workspace index: the facts of every `.transcript` file under the
//! workspace folders (walked as `check` walks), kept instead of the files:
//! places as lines and columns in the session's unit, names shared between
//! files; with inverted maps from entity ids and transcript ids to the files
//! that use them, so that references, rename and `duplicate-id` never scan
//! the collection. Built in parallel at start, then kept up to date file by
//! file. Open documents are not read from here: their snapshots are newer.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

use rayon::prelude::*;

use crate::analysis::index::{FileFacts, Interner, Range, file_facts};
use crate::analysis::label_context;
use crate::cancel::{Cancel, Cancellable};
use crate::files;
use crate::registry::{Cache, Loaded};
use crate::syntax::{self, Span};
use crate::text::{Encoding, LineIndex};

/// A file on disk, read and indexed.
#[derive(Debug)]
pub struct IndexedFile {
    /// Its canonical path.
    pub path: Arc<Path>,
    pub facts: FileFacts<Range>,
    pub registry: Option<Arc<Loaded>>,
}

#[derive(Debug, Default)]
pub struct Workspace {
    pub roots: Vec<PathBuf>,
    slots: Vec<Option<Arc<IndexedFile>>>,
    free: Vec<u32>,
    by_path: HashMap<Arc<Path>, u32>,
    /// The files that mention each entity id.
    by_entity: HashMap<Arc<str>, Vec<u32>>,
    /// The files that have each `id`.
    by_id: HashMap<Box<str>, Vec<u32>>,
    names: Interner,
}

impl Workspace {
    pub fn len(&self) -> usize {
        self.by_path.len()
    }

    pub fn get(&self, path: &Path) -> Option<&Arc<IndexedFile>> {
        let slot = *self.by_path.get(path)?;
        self.slots[slot as usize].as_ref()
    }

    /// Every indexed file.
    pub fn files(&self) -> impl Iterator<Item = &Arc<IndexedFile>> {
        self.slots.iter().flatten()
    }

    fn at(&self, slots: Option<&Vec<u32>>) -> Vec<Arc<IndexedFile>> {
        slots
            .into_iter()
            .flatten()
            .filter_map(|&s| self.slots[s as usize].clone())
            .collect()
    }

    /// The files that mention entity `id`.
    pub fn mentioning(&self, id: &str) -> Vec<Arc<IndexedFile>> {
        self.at(self.by_entity.get(id))
    }

    /// The files whose `id` is `id`.
    pub fn with_id(&self, id: &str) -> Vec<Arc<IndexedFile>> {
        self.at(self.by_id.get(id))
    }

    /// Adds a file, or replaces the one at its path; returns the replaced one.
    pub fn insert(&mut self, file: IndexedFile) -> Option<Arc<IndexedFile>> {
        let old = self.remove(&file.path);
        let IndexedFile {
            path,
            facts,
            registry,
        } = file;
        // Names shared with every other file of the index.
        let names = &mut self.names;
        let mut share = |list: Vec<(Arc<str>, Range)>| -> Vec<(Arc<str>, Range)> {
            list.into_iter().map(|(k, p)| (names.get(&k), p)).collect()
        };
        let facts = FileFacts {
            mentions: share(facts.mentions),
            speakers: share(facts.speakers),
            declared: share(facts.declared),
            ..facts
        };
        let slot = match self.free.pop() {
            Some(slot) => slot,
            None => {
                self.slots.push(None);
                (self.slots.len() - 1) as u32
            }
        };
        let mut last: Option<&Arc<str>> = None;
        for (entity, _) in &facts.mentions {
            if last != Some(entity) {
                self.by_entity.entry(entity.clone()).or_default().push(slot);
                last = Some(entity);
            }
        }
        if let Some(id) = &facts.id {
            self.by_id.entry(id.name.clone()).or_default().push(slot);
        }
        self.by_path.insert(path.clone(), slot);
        self.slots[slot as usize] = Some(Arc::new(IndexedFile {
            path,
            facts,
            registry,
        }));
        old
    }

    /// Removes the file at `path`; returns it.
    pub fn remove(&mut self, path: &Path) -> Option<Arc<IndexedFile>> {
        let slot = self.by_path.remove(path)?;
        let old = self.slots[slot as usize].take()?;
        let mut last: Option<&Arc<str>> = None;
        for (entity, _) in &old.facts.mentions {
            if last != Some(entity) {
                if let Some(files) = self.by_entity.get_mut(entity) {
                    files.retain(|&s| s != slot);
                    if files.is_empty() {
                        self.by_entity.remove(entity);
                    }
                }
                last = Some(entity);
            }
        }
        if let Some(id) = &old.facts.id
            && let Some(files) = self.by_id.get_mut(&id.name)
        {
            files.retain(|&s| s != slot);
            if files.is_empty() {
                self.by_id.remove(&id.name);
            }
        }
        self.free.push(slot);
        Some(old)
    }

    /// Replaces every file with `files` (a new index of the roots).
    pub fn replace_all(&mut self, files: Vec<IndexedFile>) {
        *self = Workspace {
            roots: std::mem::take(&mut self.roots),
            ..Workspace::default()
        };
        for file in files {
            self.insert(file);
        }
        self.names.shrink();
    }
}

/// How the index reads and places files.
#[derive(Debug, Clone, Copy)]
pub struct Reading {
    pub encoding: Encoding,
    /// The largest file read.
    pub limit: u64,
}

/// Reads and indexes one file; `None` when it cannot be read (not a
/// regular file, too large, not UTF-8 text).
pub fn index_file(
    path: &Path,
    registries: &Cache,
    reading: Reading,
    names: &mut Interner,
) -> Option<IndexedFile> {
    let text = files::read_text(path, reading.limit)
        .map_err(|e| tracing::info!("not indexed: {e}"))
        .ok()?;
    let registry = registries.for_file(path);
    let doc = syntax::parse(
        &text,
        &label_context(registry.as_deref().map(|r| &r.registry)),
    );
    let index = LineIndex::new(&text);
    let range = |span: Span| Range {
        start: index.line_col(&text, span.start, reading.encoding),
        end: index.line_col(&text, span.end, reading.encoding),
    };
    Some(IndexedFile {
        path: Arc::from(path),
        facts: file_facts(&text, &doc, names).map(range),
        registry,
    })
}

/// How far an index build is: the files found (set once the folders are
/// walked) and the files read so far.
#[derive(Debug, Default)]
pub struct Progress {
    pub found: OnceLock<usize>,
    pub read: AtomicUsize,
}

/// Every `.transcript` file under the roots, by canonical path (a file
/// under two roots once), read and indexed in parallel.
pub fn index_roots(
    roots: &[PathBuf],
    registries: &Cache,
    reading: Reading,
    cancel: &Cancel,
    progress: &Progress,
) -> Cancellable<Vec<IndexedFile>> {
    let mut paths: Vec<PathBuf> = Vec::new();
    for root in roots {
        cancel.check()?;
        let (found, errors) = files::transcripts_in(root, files::WalkOptions::default());
        for e in errors {
            tracing::warn!("{}", e.0);
        }
        paths.extend(found.iter().map(|p| files::canonical(p)));
    }
    paths.sort();
    paths.dedup();
    let _ = progress.found.set(paths.len());
    // The registries first, each read once here: a rayon worker that needs
    // one does not wait for another thread's read (see `Cache::for_dir`), so
    // the workers would read a large registry again, beside an editor's
    // request reading it too.
    let mut last_dir = None;
    for path in &paths {
        if last_dir != path.parent() {
            cancel.check()?;
            registries.for_file(path);
            last_dir = path.parent();
        }
    }
    let indexed: Cancellable<Vec<Option<IndexedFile>>> = paths
        .par_iter()
        .map_init(Interner::default, |names, path| {
            cancel.check()?;
            let file = index_file(path, registries, reading, names);
            progress.read.fetch_add(1, Ordering::Relaxed);
            Ok(file)
        })
        .collect();
    Ok(indexed?.into_iter().flatten().collect())
}
