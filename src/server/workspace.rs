//! The workspace index: every `.transcript` file under the workspace folders
//! (respecting `.gitignore`), with its text and navigation facts, built in the
//! background at start and kept up to date from watched-file events. Open
//! documents are not read from here: their snapshots are newer.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::analysis::index::{FileFacts, file_facts};
use crate::analysis::label_context;
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

/// Reads and indexes one file; `None` when it cannot be read as UTF-8.
pub fn index_file(path: &Path, registries: &mut Cache) -> Option<IndexedFile> {
    let text = std::fs::read_to_string(path).ok()?;
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

/// Every `.transcript` file under the roots, indexed. Runs on a blocking thread.
pub fn index_roots(roots: &[PathBuf]) -> HashMap<PathBuf, Arc<IndexedFile>> {
    let mut registries = Cache::default();
    let mut files = HashMap::new();
    for root in roots {
        let walker = ignore::WalkBuilder::new(root).require_git(false).build();
        for entry in walker.flatten() {
            let path = entry.path();
            if entry.file_type().is_some_and(|t| t.is_file())
                && path.extension().is_some_and(|x| x == "transcript")
                && let Some(file) = index_file(path, &mut registries)
            {
                files.insert(path.to_path_buf(), Arc::new(file));
            }
        }
    }
    files
}
