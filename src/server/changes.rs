//! Changes from outside the editor: the workspace indexed at start (in
//! parallel, off the main thread, cancelled by a newer build), and
//! watched-file events merged: a branch switch sends hundreds of events for
//! the same files, so they wait for a quiet period, then one pass over the
//! union of what changed runs off the main thread while the server keeps
//! answering. A changed transcript re-indexes that file; a changed registry
//! re-checks the open documents that use it and re-reads only the indexed
//! files whose labels it changes.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rayon::prelude::*;
use tower_lsp_server::Client;
use tower_lsp_server::ls_types::NumberOrString;

use super::publish::{self, Publish, deliver};
use super::state::{State, lock};
use super::workspace::{IndexedFile, index_file, index_roots};
use crate::analysis::index::Interner;
use crate::cancel::Cancel;
use crate::registry::{Loaded, Registry};

/// How long events must stop before the changes are applied.
pub const QUIET: Duration = Duration::from_millis(100);

/// How long work over the collection waits for pending changes to apply
/// before answering with the index as it is.
const SETTLE: Duration = Duration::from_secs(3);

/// Changes waiting for the quiet period.
pub struct Pending {
    inner: Mutex<Waiting>,
    /// `true` while changes wait or are being applied.
    busy: tokio::sync::watch::Sender<bool>,
}

impl Default for Pending {
    fn default() -> Self {
        Pending {
            inner: Mutex::new(Waiting::default()),
            busy: tokio::sync::watch::Sender::new(false),
        }
    }
}

#[derive(Default)]
struct Waiting {
    /// Transcripts that changed, with whether they are gone.
    files: HashMap<PathBuf, bool>,
    registries: HashSet<PathBuf>,
    /// How many events came (several may name the same file).
    events: usize,
    last: Option<Instant>,
    /// A task is waiting for the quiet period or applying changes.
    scheduled: bool,
}

impl Pending {
    fn lock(&self) -> std::sync::MutexGuard<'_, Waiting> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Waits until the changes received so far are applied (at most
    /// [`SETTLE`]), so that an answer about the collection reflects the
    /// events the client sent before asking.
    pub async fn settled(&self) {
        let mut busy = self.busy.subscribe();
        let _ = tokio::time::timeout(SETTLE, busy.wait_for(|b| !*b)).await;
    }
}

/// Notes changed transcripts (`true`: deleted) and registries; applies them
/// all once events stop for [`QUIET`].
pub fn note(
    pending: &Arc<Pending>,
    state: &Arc<Mutex<State>>,
    client: &Client,
    files: Vec<(PathBuf, bool)>,
    registries: Vec<PathBuf>,
) {
    let start = {
        let mut waiting = pending.lock();
        waiting.events += files.len() + registries.len();
        waiting.files.extend(files);
        waiting.registries.extend(registries);
        waiting.last = Some(Instant::now());
        pending.busy.send_replace(true);
        !std::mem::replace(&mut waiting.scheduled, true)
    };
    if !start {
        return;
    }
    let (pending, state, client) = (pending.clone(), state.clone(), client.clone());
    tokio::spawn(async move {
        loop {
            // Wait until no event came for the quiet period.
            loop {
                let last = pending.lock().last.unwrap_or_else(Instant::now);
                let wait = (last + QUIET).saturating_duration_since(Instant::now());
                if wait.is_zero() {
                    break;
                }
                tokio::time::sleep(wait).await;
            }
            let (files, registries, events) = {
                let mut waiting = pending.lock();
                if waiting.files.is_empty() && waiting.registries.is_empty() {
                    waiting.scheduled = false;
                    pending.busy.send_replace(false);
                    return;
                }
                (
                    std::mem::take(&mut waiting.files),
                    std::mem::take(&mut waiting.registries),
                    std::mem::take(&mut waiting.events),
                )
            };
            apply(&state, &client, files, registries, events).await;
        }
    });
}

/// Applies one batch of changes (`events` events named these files).
async fn apply(
    state: &Arc<Mutex<State>>,
    client: &Client,
    files: HashMap<PathBuf, bool>,
    registries: HashSet<PathBuf>,
    events: usize,
) {
    let started = Instant::now();
    let mut reindexed = 0;
    if !registries.is_empty() {
        // The registries are read again off the main thread and outside the
        // lock (a large one takes seconds); the documents then adopt them.
        let (cache, paths) = {
            let state = lock(state);
            (state.registries.clone(), state.docs.paths())
        };
        let _ = tokio::task::spawn_blocking(move || {
            for path in &registries {
                cache.forget(Some(path));
            }
            for path in &paths {
                cache.for_file(path);
            }
        })
        .await;
        let publishes = {
            let mut state = lock(state);
            state.changed();
            let fresh = state.docs.adopt_registries();
            let mut out: Vec<Publish> = fresh
                .iter()
                .filter_map(|(key, snapshot)| {
                    Some(publish::document(&mut state, &key.parse().ok()?, snapshot))
                })
                .collect();
            out.extend(publish::registries(&mut state, true));
            out
        };
        let delivery = lock(state).delivery;
        deliver(client, delivery, publishes).await;
        reindexed += registries_changed(state).await;
    }
    if !files.is_empty() {
        reindexed += files_changed(state, client, files).await;
    }
    tracing::info!(
        "applied {events} watched-file events: {reindexed} files re-indexed in {} ms",
        started.elapsed().as_millis()
    );
}

/// Whether a file parsed under `a` would be parsed the same under `b`: the
/// same extra question labels and registry speakers.
fn same_labels(a: Option<&Registry>, b: Option<&Registry>) -> bool {
    let labels = |r: Option<&Registry>| {
        r.map(|r| {
            (
                r.question_labels.clone(),
                r.speakers.keys().cloned().collect::<Vec<_>>(),
            )
        })
    };
    labels(a) == labels(b)
}

fn same(a: Option<&Arc<Loaded>>, b: Option<&Arc<Loaded>>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => Arc::ptr_eq(a, b),
        (None, None) => true,
        _ => false,
    }
}

/// After registries changed: every indexed file takes the registry that now
/// applies; a file is read again only if its labels change.
async fn registries_changed(state: &Arc<Mutex<State>>) -> usize {
    let (files, cache, reading) = {
        let state = lock(state);
        let files: Vec<Arc<IndexedFile>> = state.workspace.files().cloned().collect();
        (files, state.registries.clone(), state.reading())
    };
    let updated = tokio::task::spawn_blocking(move || {
        files
            .par_iter()
            .map_init(Interner::default, |names, f| {
                let registry = cache.for_file(&f.path);
                if same(registry.as_ref(), f.registry.as_ref()) {
                    return None;
                }
                let unchanged = same_labels(
                    registry.as_deref().map(|r| &r.registry),
                    f.registry.as_deref().map(|r| &r.registry),
                );
                Some(if unchanged {
                    (
                        false,
                        Some(IndexedFile {
                            path: f.path.clone(),
                            facts: f.facts.clone(),
                            registry,
                        }),
                    )
                } else {
                    (true, index_file(&f.path, &cache, reading, names))
                })
            })
            .flatten()
            .collect::<Vec<_>>()
    })
    .await
    .unwrap_or_default();
    let reread = updated.iter().filter(|(r, _)| *r).count();
    let mut state = lock(state);
    state.changed();
    for (_, file) in updated.into_iter() {
        if let Some(file) = file {
            state.workspace.insert(file);
        }
    }
    reread
}

/// After transcripts changed on disk: each is read again (or removed), and
/// the open documents whose `duplicate-id` depends on its `id` are checked
/// again.
async fn files_changed(
    state: &Arc<Mutex<State>>,
    client: &Client,
    files: HashMap<PathBuf, bool>,
) -> usize {
    let (cache, reading) = {
        let state = lock(state);
        (state.registries.clone(), state.reading())
    };
    let changed: Vec<(PathBuf, bool)> = files.into_iter().collect();
    let count = changed.len();
    let read = tokio::task::spawn_blocking(move || {
        changed
            .par_iter()
            .map_init(Interner::default, |names, (path, deleted)| {
                let file = (!deleted)
                    .then(|| index_file(path, &cache, reading, names))
                    .flatten();
                (path.clone(), file)
            })
            .collect::<Vec<_>>()
    })
    .await
    .unwrap_or_default();
    let flush = {
        let mut state = lock(state);
        state.changed();
        // Each file's id before and after.
        let mut ids = Vec::new();
        for (path, file) in read {
            let new = file
                .as_ref()
                .and_then(|f| f.facts.id.as_ref().map(|id| id.name.clone()));
            let old = match file {
                Some(file) => state.workspace.insert(file),
                None => state.workspace.remove(&path),
            };
            let old = old.and_then(|f| f.facts.id.as_ref().map(|id| id.name.clone()));
            ids.push((old, new));
        }
        let mut flush = false;
        for (old, new) in ids {
            flush |= publish::same_id(&mut state, "", old, new);
        }
        flush
    };
    if flush {
        publish::flush_stale(state.clone(), client.clone()).await;
    }
    count
}

/// Indexes the workspace folders off the main thread (cancelling a build
/// still running), showing its progress when the client can, then swaps
/// the new index in and checks again the open documents whose `id` the
/// collection has too.
pub fn index_workspace(state: &Arc<Mutex<State>>, client: &Client) {
    let (roots, cache, reading, cancel, show_progress) = {
        let mut state = lock(state);
        if state.workspace.roots.is_empty() {
            return;
        }
        let cancel = Cancel::default();
        if let Some(old) = state.indexing.replace(cancel.clone()) {
            old.cancel();
        }
        (
            state.workspace.roots.clone(),
            state.registries.clone(),
            state.reading(),
            cancel,
            state.work_done_progress,
        )
    };
    let progress = Arc::new(Progress::default());
    let (state, client) = (state.clone(), client.clone());
    tokio::spawn(async move {
        let started = Instant::now();
        let shown = show_progress.then(|| {
            let (client, progress) = (client.clone(), progress.clone());
            tokio::spawn(async move { show(&client, &progress).await })
        });
        let (task_cancel, task_progress) = (cancel.clone(), progress.clone());
        let built = tokio::task::spawn_blocking(move || {
            index_roots(&roots, &cache, reading, &task_cancel, &task_progress)
        })
        .await;
        let publishes = match built {
            Ok(Ok(files)) if !cancel.is_cancelled() => {
                let mut state = lock(&state);
                state.indexing = None;
                state.changed();
                state.workspace.replace_all(files);
                tracing::info!(
                    "indexed {} transcripts in {} ms",
                    state.workspace.len(),
                    started.elapsed().as_millis()
                );
                again_with_ids(&mut state)
            }
            _ => {
                tracing::info!("indexing the workspace was cancelled or failed");
                Vec::new()
            }
        };
        progress
            .done
            .store(true, std::sync::atomic::Ordering::Relaxed);
        if let Some(shown) = shown {
            let _ = shown.await;
        }
        let (delivery, lens_refresh) = {
            let state = lock(&state);
            (state.delivery, state.lens_refresh && state.editor.code_lens)
        };
        deliver(&client, delivery, publishes).await;
        // Lenses count mentions in the index: now there is one.
        if lens_refresh && let Err(e) = client.code_lens_refresh().await {
            tracing::info!("the client refused to refresh code lenses: {e}");
        }
    });
}

/// The open documents whose `id` the collection has too, published again.
fn again_with_ids(state: &mut State) -> Vec<Publish> {
    let open: Vec<String> = state
        .ids
        .iter()
        .filter(|(_, id)| {
            id.as_deref()
                .is_some_and(|id| !state.workspace.with_id(id).is_empty())
        })
        .map(|(key, _)| key.clone())
        .collect();
    open.into_iter()
        .filter_map(|key| {
            let snapshot = state.docs.peek(&key)?;
            let uri = key.parse().ok()?;
            Some(publish::document(state, &uri, &snapshot))
        })
        .collect()
}

/// An index build as the client shows work in progress: begun with the
/// number of files, reported as they are read, ended with what was done.
async fn show(client: &Client, progress: &Progress) {
    let token = NumberOrString::String(format!(
        "transcript-ls/indexing/{}",
        INDEXING.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    ));
    if client
        .create_work_done_progress(token.clone())
        .await
        .is_err()
    {
        return;
    }
    let started = Instant::now();
    // The files are counted first (a walk of the folders).
    let found = loop {
        if let Some(found) = progress.found.get() {
            break *found;
        }
        if progress.done.load(std::sync::atomic::Ordering::Relaxed) {
            break 0;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    let ongoing = client
        .progress(token, "Indexing transcripts")
        .with_message(format!("{found} transcripts"))
        .with_percentage(0)
        .begin()
        .await;
    while !progress.done.load(std::sync::atomic::Ordering::Relaxed) {
        tokio::time::sleep(Duration::from_millis(200)).await;
        let read = progress.read.load(std::sync::atomic::Ordering::Relaxed);
        let percent = (read * 100).checked_div(found).unwrap_or(100) as u32;
        ongoing
            .report_with_message(format!("{read} of {found} transcripts"), percent.min(100))
            .await;
    }
    let read = progress.read.load(std::sync::atomic::Ordering::Relaxed);
    ongoing
        .finish_with_message(format!(
            "indexed {read} transcripts in {} ms",
            started.elapsed().as_millis()
        ))
        .await;
}

/// Numbers the progress tokens of index builds.
static INDEXING: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// How an index build is going, for its progress report.
#[derive(Default)]
struct Progress {
    inner: super::workspace::Progress,
    done: std::sync::atomic::AtomicBool,
}

impl std::ops::Deref for Progress {
    type Target = super::workspace::Progress;
    fn deref(&self) -> &Self::Target {
        &self.inner
    }
}
