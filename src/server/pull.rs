//! Pull diagnostics (LSP 3.17): a document's report on request
//! (`textDocument/diagnostic`), and every file of the collection's report
//! (`workspace/diagnostic`): the open documents and registries from memory,
//! the other indexed files read and checked off the main thread in chunks,
//! streamed as partial results when the client asks for them. Each report
//! has a result id; a report the client already has is answered
//! `unchanged` (for an unopened file, without reading it: its size, time,
//! registry and the files sharing its `id` are the same).

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::path::PathBuf;
use std::sync::Arc;

use tower_lsp_server::ls_types::*;

use super::convert;
use super::publish;
use super::state::State;
use crate::analysis::{self, UserRules, workspace as workspace_rules};
use crate::cancel::{Cancel, Cancellable};
use crate::files;
use crate::registry::Loaded;
use crate::syntax::Span;
use crate::text::{Encoding, LineIndex};

/// Files checked at once before a partial result is sent.
pub const CHUNK: usize = 256;

/// The longest a workspace pull that would answer nothing new is held
/// before it is answered anyway (files may change unwatched).
pub const HOLD: std::time::Duration = std::time::Duration::from_secs(30);

/// What a workspace pull answered or names as already given: its files'
/// result ids, as one hash.
pub fn given<'a>(ids: impl Iterator<Item = (&'a Uri, &'a str)>) -> u64 {
    let mut ids: Vec<(&str, &str)> = ids.map(|(u, id)| (u.as_str(), id)).collect();
    ids.sort_unstable();
    let mut h = std::collections::hash_map::DefaultHasher::new();
    ids.hash(&mut h);
    h.finish()
}

/// A report's file and result id.
pub fn id_of(report: &WorkspaceDocumentDiagnosticReport) -> Option<(&Uri, &str)> {
    match report {
        WorkspaceDocumentDiagnosticReport::Full(r) => Some((
            &r.uri,
            r.full_document_diagnostic_report.result_id.as_deref()?,
        )),
        WorkspaceDocumentDiagnosticReport::Unchanged(r) => Some((
            &r.uri,
            r.unchanged_document_diagnostic_report.result_id.as_str(),
        )),
    }
}

fn hash_id(value: &impl Hash) -> String {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    value.hash(&mut h);
    format!("{:016x}", h.finish())
}

/// The id of a report: a hash of its diagnostics.
fn result_id(items: &[Diagnostic]) -> String {
    hash_id(&serde_json::to_string(items).unwrap_or_default())
}

/// A report, full or unchanged against the id the client has.
fn report(items: Vec<Diagnostic>, previous: Option<&str>) -> DocumentDiagnosticReportKind {
    let id = result_id(&items);
    if previous == Some(id.as_str()) {
        return DocumentDiagnosticReportKind::Unchanged(UnchangedDocumentDiagnosticReport {
            result_id: id,
        });
    }
    DocumentDiagnosticReportKind::Full(FullDocumentDiagnosticReport {
        result_id: Some(id),
        items,
    })
}

/// The registry loaded from `uri`'s file, if one is.
fn registry_at(state: &State, uri: &Uri) -> Option<Arc<Loaded>> {
    let path = files::canonical(&uri.to_file_path()?);
    state.docs.registries().into_iter().find(|r| r.path == path)
}

/// `textDocument/diagnostic`: an open document's diagnostics, or a
/// registry's own problems; nothing for a file that is neither.
pub fn document(
    state: &mut State,
    uri: &Uri,
    previous: Option<&str>,
) -> DocumentDiagnosticReportResult {
    let items = if let Some(snapshot) = state.docs.peek(uri.as_str()) {
        publish::diagnostics(state, uri, &snapshot)
    } else if let Some(loaded) = registry_at(state, uri) {
        publish::registry_diagnostics(&loaded, uri, state.encoding())
    } else {
        Vec::new()
    };
    let kind = report(items, previous);
    DocumentDiagnosticReportResult::Report(match kind {
        DocumentDiagnosticReportKind::Full(full) => {
            DocumentDiagnosticReport::Full(RelatedFullDocumentDiagnosticReport {
                related_documents: None,
                full_document_diagnostic_report: full,
            })
        }
        DocumentDiagnosticReportKind::Unchanged(unchanged) => {
            DocumentDiagnosticReport::Unchanged(RelatedUnchangedDocumentDiagnosticReport {
                related_documents: None,
                unchanged_document_diagnostic_report: unchanged,
            })
        }
    })
}

fn workspace_item(
    uri: Uri,
    version: Option<i64>,
    kind: DocumentDiagnosticReportKind,
) -> WorkspaceDocumentDiagnosticReport {
    match kind {
        DocumentDiagnosticReportKind::Full(full) => {
            WorkspaceDocumentDiagnosticReport::Full(WorkspaceFullDocumentDiagnosticReport {
                uri,
                version,
                full_document_diagnostic_report: full,
            })
        }
        DocumentDiagnosticReportKind::Unchanged(unchanged) => {
            WorkspaceDocumentDiagnosticReport::Unchanged(
                WorkspaceUnchangedDocumentDiagnosticReport {
                    uri,
                    version,
                    unchanged_document_diagnostic_report: unchanged,
                },
            )
        }
    }
}

/// An indexed file that is not open, as much as its report needs.
pub struct DiskFile {
    uri: Uri,
    path: PathBuf,
    registry: Option<Arc<Loaded>>,
    /// The other files with the same `id` (the first few) and how many there are.
    same_id: (Vec<PathBuf>, usize),
    /// What the report depends on besides the text: unchanged, so is the report.
    stamp: String,
}

/// The reports of the open documents and the registries, and what the
/// other indexed files' reports need (to be made off the main thread).
pub fn workspace(
    state: &mut State,
    previous: &HashMap<Uri, String>,
) -> (Vec<WorkspaceDocumentDiagnosticReport>, Vec<DiskFile>) {
    let mut items = Vec::new();
    let (open, open_paths) = state.open_files();
    for file in &open {
        if let super::navigation::File::Open(uri, snapshot) = file {
            let diagnostics = publish::diagnostics(state, uri, snapshot);
            let kind = report(diagnostics, previous.get(uri).map(String::as_str));
            items.push(workspace_item(
                uri.clone(),
                Some(snapshot.version.into()),
                kind,
            ));
        }
    }
    let encoding = state.encoding();
    for loaded in state.docs.registries() {
        if let Some(uri) = convert::file_uri(&loaded.path) {
            let diagnostics = publish::registry_diagnostics(&loaded, &uri, encoding);
            let kind = report(diagnostics, previous.get(&uri).map(String::as_str));
            items.push(workspace_item(uri, None, kind));
        }
    }
    let disk = state
        .workspace
        .files()
        .filter(|f| !open_paths.contains(&*f.path))
        .filter_map(|f| {
            let uri = convert::file_uri(&f.path)?;
            let same_id = f.facts.id.as_ref().map_or((Vec::new(), 0), |id| {
                let others: Vec<PathBuf> = state
                    .workspace
                    .with_id(&id.name)
                    .iter()
                    .filter(|o| o.path != f.path)
                    .map(|o| o.path.to_path_buf())
                    .collect();
                let total = others.len();
                (
                    others
                        .into_iter()
                        .take(workspace_rules::MAX_RELATED)
                        .collect(),
                    total,
                )
            });
            let meta = std::fs::metadata(&f.path).ok();
            let stamp = hash_id(&(
                meta.as_ref().map(|m| m.len()),
                meta.and_then(|m| m.modified().ok()),
                f.registry.as_ref().map(|r| Arc::as_ptr(r) as usize),
                &same_id,
            ));
            Some(DiskFile {
                uri,
                path: f.path.to_path_buf(),
                registry: f.registry.clone(),
                same_id,
                stamp,
            })
        })
        .collect();
    (items, disk)
}

/// The reports of unopened files: unchanged ones without reading them,
/// the others read and checked as `check` would.
pub fn disk_reports(
    files: &[DiskFile],
    previous: &HashMap<Uri, String>,
    encoding: Encoding,
    limit: u64,
    rules: &UserRules,
    cancel: &Cancel,
) -> Cancellable<Vec<WorkspaceDocumentDiagnosticReport>> {
    let mut out = Vec::with_capacity(files.len());
    for file in files {
        cancel.check()?;
        // The result id of a file on disk is its stamp.
        if previous.get(&file.uri) == Some(&file.stamp) {
            out.push(workspace_item(
                file.uri.clone(),
                None,
                DocumentDiagnosticReportKind::Unchanged(UnchangedDocumentDiagnosticReport {
                    result_id: file.stamp.clone(),
                }),
            ));
            continue;
        }
        let Ok(text) = files::read_text(&file.path, limit) else {
            continue;
        };
        let registry = file.registry.as_deref().map(|r| &r.registry);
        let analysis = analysis::analyze_with(&text, registry, rules);
        let mut diagnostics = analysis.diagnostics;
        if let Some((id, span)) = workspace_rules::id_of(&analysis.syntax) {
            let others: Vec<(&std::path::Path, Span)> =
                file.same_id.0.iter().map(|p| (p.as_path(), 0..0)).collect();
            let found = workspace_rules::duplicate_id(id, span, &others, file.same_id.1);
            diagnostics.extend(analysis::cross_file(
                &text,
                &analysis.syntax,
                found.into_iter().collect(),
                registry,
                rules,
            ));
            diagnostics.sort_by_key(|d| (d.span.start, d.span.end));
        }
        let index = LineIndex::new(&text);
        let items = diagnostics
            .iter()
            .map(|d| convert::diagnostic(d, &index, &text, &file.uri, encoding, &|_, _| None))
            .collect();
        out.push(workspace_item(
            file.uri.clone(),
            None,
            DocumentDiagnosticReportKind::Full(FullDocumentDiagnosticReport {
                result_id: Some(file.stamp.clone()),
                items,
            }),
        ));
    }
    Ok(out)
}

/// A partial result of a request, sent as `$/progress` on its token.
pub enum PartialResult {}

impl notification::Notification for PartialResult {
    type Params = serde_json::Value;
    const METHOD: &'static str = "$/progress";
}

/// The `$/progress` params carrying partial workspace diagnostics.
pub fn partial(
    token: &ProgressToken,
    items: Vec<WorkspaceDocumentDiagnosticReport>,
) -> serde_json::Value {
    serde_json::json!({
        "token": token,
        "value": WorkspaceDiagnosticReportPartialResult { items },
    })
}
