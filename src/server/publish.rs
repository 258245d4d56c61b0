//! Which diagnostics the client gets and when: a document's own (from its
//! analysis) with `duplicate-id` against the collection (from the
//! workspace index and the other open documents, never a scan), the other
//! documents whose `duplicate-id` changes when an `id` does, and the
//! registries' own problems, published on the registry files.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tower_lsp_server::ls_types::{Diagnostic, Uri};

use super::convert;
use super::documents::Snapshot;
use super::state::{State, lock};
use crate::analysis::{self, Analysis, workspace as workspace_rules};
use crate::registry::Loaded;
use crate::syntax::Span;

/// How diagnostics reach the client: pushed, or (when it pulls) a request
/// to pull again, if it accepts one.
#[derive(Debug, Clone, Copy, Default)]
pub struct Delivery {
    pub pull: bool,
    pub refresh: bool,
}

/// Sends publications, in order; to a client that pulls, a
/// `workspace/diagnostic/refresh` instead (it is never also pushed to).
pub async fn deliver(
    client: &tower_lsp_server::Client,
    delivery: Delivery,
    publishes: Vec<Publish>,
) {
    if delivery.pull {
        if !publishes.is_empty() {
            ask_refresh(client, delivery);
        }
        return;
    }
    for p in publishes {
        client
            .publish_diagnostics(p.uri, p.diagnostics, p.version)
            .await;
    }
}

/// Asks a client that pulls, and accepts it, to pull again; not awaited:
/// the client answers while we go on.
fn ask_refresh(client: &tower_lsp_server::Client, delivery: Delivery) {
    if !delivery.refresh {
        return;
    }
    let client = client.clone();
    tokio::spawn(async move {
        if let Err(e) = client.workspace_diagnostic_refresh().await {
            tracing::info!("the client refused to refresh diagnostics: {e}");
        }
    });
}

/// A `publishDiagnostics` to send once the state is unlocked.
pub struct Publish {
    pub uri: Uri,
    pub diagnostics: Vec<Diagnostic>,
    pub version: Option<i32>,
}

impl Publish {
    /// No diagnostics (a closed document, a fixed registry).
    pub fn clear(uri: Uri) -> Publish {
        Publish {
            uri,
            diagnostics: Vec::new(),
            version: None,
        }
    }
}

/// A document's diagnostics, for pushing.
pub fn document(state: &mut State, uri: &Uri, snapshot: &Snapshot) -> Publish {
    Publish {
        uri: uri.clone(),
        diagnostics: diagnostics(state, uri, snapshot),
        version: Some(snapshot.version),
    }
}

/// A document's diagnostics: its analysis' and `duplicate-id`. Records the
/// document's `id` for the others' `duplicate-id`. Pushed and pulled alike.
pub fn diagnostics(state: &mut State, uri: &Uri, snapshot: &Snapshot) -> Vec<Diagnostic> {
    let analysis = snapshot.analysis();
    let text = snapshot.text();
    let encoding = state.encoding();
    let id = workspace_rules::id_of(&analysis.syntax).map(|(id, _)| Box::from(id));
    state.ids.insert(uri.as_str().to_string(), id);
    let extra = duplicate_id(state, uri, snapshot, &analysis);
    // A place in another file is the `id` of that file.
    let elsewhere = |path: &Path, _: &Span| id_range(state, path);
    convert::diagnostics(
        snapshot, &analysis, &text, &extra, uri, encoding, &elsewhere,
    )
}

/// The range of the `id` of another file of the collection.
fn id_range(state: &State, path: &Path) -> Option<tower_lsp_server::ls_types::Range> {
    let encoding = state.encoding();
    for (_, p, snapshot) in state.docs.all() {
        if p == Some(path) {
            return snapshot
                .facts(encoding)
                .id
                .as_ref()
                .map(|id| convert::lsp_range(&id.selection));
        }
    }
    let file = state.workspace.get(path)?;
    file.facts
        .id
        .as_ref()
        .map(|id| convert::lsp_range(&id.selection))
}

/// `duplicate-id` against the other open documents and the workspace index.
fn duplicate_id(
    state: &State,
    uri: &Uri,
    snapshot: &Snapshot,
    analysis: &Analysis,
) -> Vec<crate::diagnostic::Diagnostic> {
    let Some((id, span)) = workspace_rules::id_of(&analysis.syntax) else {
        return Vec::new();
    };
    let mut open = HashSet::new();
    let mut others: Vec<PathBuf> = Vec::new();
    for (key, path, _) in state.docs.all() {
        let Some(path) = path else { continue };
        open.insert(path.to_path_buf());
        if key != uri.as_str() && state.ids.get(key).and_then(|i| i.as_deref()) == Some(id) {
            others.push(path.to_path_buf());
        }
    }
    others.extend(
        state
            .workspace
            .with_id(id)
            .iter()
            .map(|f| f.path.to_path_buf())
            .filter(|p| !open.contains(p)),
    );
    others.sort();
    let total = others.len();
    // The spans are those of other files: their places are found by path.
    let named: Vec<(&Path, Span)> = others
        .iter()
        .take(workspace_rules::MAX_RELATED)
        .map(|p| (p.as_path(), 0..0))
        .collect();
    let found = workspace_rules::duplicate_id(id, span, &named, total)
        .into_iter()
        .collect();
    // An allow before the `id:` line silences it here as in `check`.
    analysis::cross_file(
        &snapshot.text(),
        &analysis.syntax,
        found,
        snapshot.registry.as_deref().map(|r| &r.registry),
        snapshot.rules(),
    )
}

/// When a document's `id` changes from `old` to `new` (opened, edited,
/// closed, changed on disk; `changed` is empty for a file not open), the
/// other open documents with either id are marked to be checked again:
/// their `duplicate-id` depends on it. An unsaved document is no file of
/// the collection, so no other's duplicate. `true` when a task must start
/// to check them ([`flush_stale`]).
pub fn same_id(
    state: &mut State,
    changed: &str,
    old: Option<Box<str>>,
    new: Option<Box<str>>,
) -> bool {
    let unsaved = state.docs.peek(changed).is_some() && state.docs.path(changed).is_none();
    if old == new || unsaved {
        return false;
    }
    let ids = [old, new];
    let affected: Vec<String> = state
        .ids
        .iter()
        .filter(|(key, id)| *key != changed && id.is_some() && ids.contains(id))
        .map(|(key, _)| key.clone())
        .collect();
    state.stale.extend(affected);
    !state.stale.is_empty() && !std::mem::replace(&mut state.flushing, true)
}

/// How many marked documents are checked and sent at a time.
const STALE_BATCH: usize = 16;
/// How long no document must be marked before the marked ones are checked,
/// and the longest wait for such a quiet moment.
const QUIET: Duration = Duration::from_millis(50);
const MOST: Duration = Duration::from_secs(1);

/// Checks again the documents [`same_id`] marked, once nothing has changed
/// for a moment, a few at a time, until none is left. A burst of
/// opened files that share an `id` costs one publication per file, not one
/// per pair, and while the client is slow to read, marks wait in a set no
/// larger than the open documents rather than as publications.
pub async fn flush_stale(state: Arc<Mutex<State>>, client: tower_lsp_server::Client) {
    let start = Instant::now();
    loop {
        // Every change that marks documents is counted in `changes` first.
        let changes = *lock(&state).changes.borrow();
        tokio::time::sleep(QUIET).await;
        if *lock(&state).changes.borrow() == changes || start.elapsed() >= MOST {
            break;
        }
    }
    loop {
        tokio::task::yield_now().await;
        let (delivery, publishes) = {
            let mut state = lock(&state);
            if state.delivery.pull {
                // It pulls each document itself: one refresh for them all.
                state.stale.clear();
                state.flushing = false;
                ask_refresh(&client, state.delivery);
                return;
            }
            let batch: Vec<String> = state.stale.iter().take(STALE_BATCH).cloned().collect();
            if batch.is_empty() {
                state.flushing = false;
                return;
            }
            let mut out = Vec::new();
            for key in batch {
                state.stale.remove(&key);
                let Some(snapshot) = state.docs.peek(&key) else {
                    continue;
                };
                if let Ok(uri) = key.parse() {
                    out.push(document(&mut state, &uri, &snapshot));
                }
            }
            (state.delivery, out)
        };
        deliver(&client, delivery, publishes).await;
    }
}

/// The registry's own problems, published on the registry file.
pub fn registry(loaded: &Loaded, encoding: crate::text::Encoding) -> Option<Publish> {
    let uri = convert::file_uri(&loaded.path)?;
    Some(Publish {
        diagnostics: registry_diagnostics(loaded, &uri, encoding),
        uri,
        version: None,
    })
}

/// The registry's own problems.
pub fn registry_diagnostics(
    loaded: &Loaded,
    uri: &Uri,
    encoding: crate::text::Encoding,
) -> Vec<Diagnostic> {
    let index = loaded.lines();
    let count = loaded.registry.problem_count();
    let mut out: Vec<Diagnostic> = loaded
        .registry
        .most_severe_problems(MAX_SHOWN)
        .iter()
        .map(|d| convert::diagnostic(d, index, loaded.text(), uri, encoding, &|_, _| None))
        .collect();
    if count > MAX_SHOWN {
        out.push(Diagnostic {
            severity: Some(tower_lsp_server::ls_types::DiagnosticSeverity::INFORMATION),
            source: Some("transcript-ls".to_string()),
            message: format!(
                "{MAX_SHOWN} of the {count} problems of this registry are shown, the most severe first; `transcript-ls check {}` lists them all",
                crate::registry::FILE_NAME
            ),
            ..Diagnostic::default()
        });
    }
    out
}

/// The most problems of a registry shown in the editor: a registry of a
/// million entities may have hundreds of thousands, which no one reads
/// there and which would take gigabytes to send.
pub const MAX_SHOWN: usize = 1000;

/// Publications for registries not published before (or all, after a
/// reload, clearing those gone).
pub fn registries(state: &mut State, all: bool) -> Vec<Publish> {
    let encoding = state.encoding();
    let current = state.docs.registries();
    let mut out = Vec::new();
    let mut now = HashSet::new();
    for loaded in &current {
        now.insert(loaded.path.clone());
        if all || !state.published_registries.contains(&loaded.path) {
            out.extend(registry(loaded, encoding));
        }
    }
    if all {
        for gone in state.published_registries.difference(&now) {
            out.extend(convert::file_uri(gone).map(Publish::clear));
        }
        state.published_registries = now;
    } else {
        state.published_registries.extend(now);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use tower_lsp_server::ls_types::DiagnosticSeverity;

    #[test]
    fn a_registry_shows_its_most_severe_problems_and_how_many_there_are() {
        let mut json = String::from("{\"entities\": {");
        for i in 0..1200 {
            json += &format!("\"e{i}\": {{\"name\": \"N{i}\", \"aliases\": [\"Same\"]}},");
        }
        json += "\"last\": {\"type\": \"nonsense\"}}}";
        let loaded = Loaded::new(PathBuf::from("/r/transcripts.json"), json);
        let problems = loaded.registry.problem_count();
        assert!(problems > MAX_SHOWN + 100, "{problems}");
        let uri: Uri = "file:///r/transcripts.json".parse().unwrap();
        let shown = registry_diagnostics(&loaded, &uri, crate::text::Encoding::Utf16);
        assert_eq!(shown.len(), MAX_SHOWN + 1);
        // The errors, last in the text, are among them.
        let errors = shown
            .iter()
            .filter(|d| d.severity == Some(DiagnosticSeverity::ERROR))
            .count();
        let all_errors = loaded
            .registry
            .problems()
            .iter()
            .filter(|d| d.severity == crate::diagnostic::Severity::Error)
            .count();
        assert!(all_errors > 0);
        assert_eq!(errors, all_errors);
        let note = shown.last().unwrap();
        assert!(
            note.message
                .starts_with(&format!("1000 of the {problems} problems")),
            "{}",
            note.message
        );
        // In the order of the text.
        let lines: Vec<u32> = shown[..MAX_SHOWN]
            .iter()
            .map(|d| d.range.start.line)
            .collect();
        assert!(lines.is_sorted());
    }
}
