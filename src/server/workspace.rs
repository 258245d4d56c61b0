//! The workspace index: every `.transcript` file under the workspace folders
//! (respecting `.gitignore`), with its text and navigation facts, built in the
//! background at start and kept up to date from watched-file events. Open
//! documents are not read from here: their snapshots are newer.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::analysis::index::{FileFacts, file_facts};
use crate::analysis::label_context;
use crate::files;
use crate::registry::{Cache, Loaded};
use crate::syntax;
use crate::text::LineIndex;

/// A file on disk, read and indexed.
#[derive(Debug)]
pub struct IndexedFile {
    pub text: String,
    pub index: LineIndex,
    pub facts: FileFacts,
    pub registry: Option<Arc<Loaded>>,
}

#[derive(Debug, Default)]
pub struct Workspace {
    pub roots: Vec<PathBuf>,
    pub files: HashMap<PathBuf, Arc<IndexedFile>>,
}

/// Reads and indexes one file; `None` when it cannot be read (not a
/// regular file, too large, not UTF-8 text).
pub fn index_file(path: &Path, registries: &mut Cache) -> Option<IndexedFile> {
    let text = files::read_text(path, files::DEFAULT_MAX_FILE)
        .map_err(|e| tracing::info!("not indexed: {e}"))
        .ok()?;
    let registry = registries.for_file(path);
    let doc = syntax::parse(
        &text,
        &label_context(registry.as_deref().map(|r| &r.registry)),
    );
    Some(IndexedFile {
        facts: file_facts(&text, &doc),
        index: LineIndex::new(&text),
        text,
        registry,
    })
}

/// Every `.transcript` file under the roots (canonical paths), indexed by
/// its canonical path: a file under two roots is indexed once. Runs on a
/// blocking thread.
pub fn index_roots(roots: &[PathBuf]) -> HashMap<PathBuf, Arc<IndexedFile>> {
    let mut registries = Cache::default();
    let mut indexed = HashMap::new();
    for root in roots {
        let (found, errors) = files::transcripts_in(root, files::WalkOptions::default());
        for e in errors {
            tracing::warn!("{}", e.0);
        }
        for path in found {
            let path = files::canonical(&path);
            if !indexed.contains_key(&path)
                && let Some(file) = index_file(&path, &mut registries)
            {
                indexed.insert(path, Arc::new(file));
            }
        }
    }
    indexed
}
