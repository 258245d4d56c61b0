//! The server's state behind one lock: the open documents, the workspace
//! index, the registries, what the client can do, the session's settings,
//! and the changes waiting to be applied. Handlers lock it briefly, take
//! what they need (snapshots are shared, immutable versions) and work
//! without it.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};

use tower_lsp_server::ls_types::Uri;

use super::documents::{Documents, Snapshot};
use super::navigation::File;
use super::publish::Delivery;
use super::settings::Editor;
use super::workspace::{Reading, Workspace};
use crate::analysis::MAX_ITEMS;
use crate::cancel::Cancel;
use crate::files::Limits;
use crate::registry::Cache;
use crate::text::Encoding;

/// What the user may set at start (`initializationOptions`).
#[derive(Debug, Clone, Copy)]
pub struct Settings {
    /// The most items an answer that grows with the collection holds.
    pub max_items: usize,
    pub limits: Limits,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            max_items: MAX_ITEMS,
            limits: Limits::default(),
        }
    }
}

pub struct State {
    pub docs: Documents,
    /// Shared by the documents and the index: a registry is read once.
    pub registries: Arc<Cache>,
    pub encoding: Option<Encoding>,
    pub hierarchical_symbols: bool,
    pub dynamic_watch: bool,
    /// The client shows work in progress (`window.workDoneProgress`).
    pub work_done_progress: bool,
    /// Whether the client pulls diagnostics.
    pub delivery: Delivery,
    /// Registries whose problems were published, to clear them when fixed.
    pub published_registries: HashSet<PathBuf>,
    pub workspace: Workspace,
    pub settings: Settings,
    /// What the user sets in the editor (lenses, hints; rule severities
    /// live in the documents, which are checked with them).
    pub editor: Editor,
    /// The client answers `workspace/configuration`.
    pub configuration: bool,
    /// The client accepts `workspace/codeLens/refresh` and `workspace/inlayHint/refresh`.
    pub lens_refresh: bool,
    pub hint_refresh: bool,
    /// Each open document's `id` as last published, for `duplicate-id`.
    pub ids: HashMap<String, Option<Box<str>>>,
    /// Open documents to check again (their `duplicate-id` changed), each
    /// once however often it was marked; and whether a task is at it.
    pub stale: BTreeSet<String>,
    pub flushing: bool,
    /// Counts changes to what diagnostics depend on (documents, files on
    /// disk, registries, settings): a workspace pull that would answer
    /// nothing new waits for the next, and documents marked `stale` are
    /// checked once it has not moved for a moment.
    pub changes: tokio::sync::watch::Sender<u64>,
    /// The index being built, cancelled when a newer build starts.
    pub indexing: Option<Cancel>,
}

impl Default for State {
    fn default() -> Self {
        let registries = Arc::new(Cache::default());
        State {
            docs: Documents::new(registries.clone()),
            registries,
            encoding: None,
            hierarchical_symbols: false,
            dynamic_watch: false,
            work_done_progress: false,
            delivery: Delivery::default(),
            published_registries: HashSet::new(),
            workspace: Workspace::default(),
            settings: Settings::default(),
            editor: Editor::default(),
            configuration: false,
            lens_refresh: false,
            hint_refresh: false,
            ids: HashMap::new(),
            stale: BTreeSet::new(),
            flushing: false,
            changes: tokio::sync::watch::Sender::new(0),
            indexing: None,
        }
    }
}

impl State {
    /// Something diagnostics depend on changed (see [`State::changes`]).
    pub fn changed(&self) {
        self.changes.send_modify(|n| *n += 1);
    }

    pub fn encoding(&self) -> Encoding {
        self.encoding.unwrap_or(Encoding::Utf16)
    }

    /// Starts afresh with these settings (at `initialize`).
    pub fn configure(&mut self, settings: Settings) {
        self.settings = settings;
        self.registries = Arc::new(Cache::with_limit(settings.limits.registry));
        self.docs = Documents::new(self.registries.clone());
    }

    pub fn reading(&self) -> Reading {
        Reading {
            encoding: self.encoding(),
            limit: self.settings.limits.file,
        }
    }

    /// The open documents as files of the collection, and their paths.
    pub fn open_files(&self) -> (Vec<File>, HashSet<PathBuf>) {
        let mut files = Vec::new();
        let mut paths = HashSet::new();
        for (key, path, snapshot) in self.docs.all() {
            if let Some(path) = path {
                paths.insert(path.to_path_buf());
            }
            if let Ok(uri) = key.parse::<Uri>() {
                files.push(File::Open(uri, snapshot));
            }
        }
        (files, paths)
    }

    /// Every file of the collection once: the open documents, then the
    /// indexed files that are not open.
    pub fn all_files(&self) -> Vec<File> {
        let (mut files, open) = self.open_files();
        files.extend(
            self.workspace
                .files()
                .filter(|f| !open.contains(&*f.path))
                .cloned()
                .map(File::Disk),
        );
        files
    }

    /// A document's current version (marked as recently used).
    pub fn snapshot(&mut self, uri: &Uri) -> Option<Arc<Snapshot>> {
        self.docs.get(uri.as_str())
    }
}

/// Locks the state. A handler that panicked cannot leave the store
/// half-changed in a way worse than refusing every later request, so a
/// poisoned lock is recovered.
pub fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    state.lock().unwrap_or_else(|e| e.into_inner())
}
