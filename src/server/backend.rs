//! The LSP handlers. Each translates: protocol in, core call, protocol out.
//! Document notifications change the store before their first `.await`, so
//! edits apply in the order the client sent them; no handler waits on a
//! request to the client.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use serde::Deserialize;
use serde_json::Value;
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, LanguageServer};

use super::documents::{Documents, Edit, Fresh, Snapshot};
use super::transport::DirectAnswers;
use super::workspace::{Workspace, index_file, index_roots};
use super::{convert, navigation};
use crate::analysis;
use crate::analysis::workspace as workspace_rules;
use crate::files;
use crate::format::format;
use crate::registry::Cache;
use crate::registry::{FILE_NAME, Loaded};
use crate::syntax::Span;
use crate::text::Encoding;

pub struct Backend {
    client: Client,
    state: Arc<Mutex<State>>,
    /// Set by `shutdown`; an `exit` before it ends the process with status 1.
    shut_down: Arc<AtomicBool>,
}

#[derive(Default)]
struct State {
    docs: Documents,
    encoding: Option<Encoding>,
    hierarchical_symbols: bool,
    dynamic_watch: bool,
    /// Registries whose problems were published, to clear them when fixed.
    published_registries: HashSet<PathBuf>,
    workspace: Workspace,
}

impl State {
    fn encoding(&self) -> Encoding {
        self.encoding.unwrap_or(Encoding::Utf16)
    }
}

/// Locks the state. A handler that panicked cannot leave the store
/// half-changed in a way worse than refusing every later request, so a
/// poisoned lock is recovered.
fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    state.lock().unwrap_or_else(|e| e.into_inner())
}

/// A `publishDiagnostics` to send once the state is unlocked.
struct Publish {
    uri: Uri,
    diagnostics: Vec<Diagnostic>,
    version: Option<i32>,
}

fn key(uri: &Uri) -> String {
    uri.as_str().to_string()
}

/// The file of a `file:` URI, by its one identity (symbolic links and `..`
/// resolved: a folder opened through a link and a file opened by its real
/// path are the same file); other schemes (`untitled:`) have none, and so
/// no registry.
fn file_path(uri: &Uri) -> Option<PathBuf> {
    // With a fragment or a query it names no file (a raw `#` in a name).
    let is_file = uri.scheme().as_str().eq_ignore_ascii_case("file")
        && uri.fragment().is_none()
        && uri.query().is_none();
    let path = uri.to_file_path().filter(|_| is_file)?;
    path.is_absolute().then(|| files::canonical(&path))
}

fn is_registry(uri: &Uri) -> bool {
    uri.as_str().ends_with(&format!("/{FILE_NAME}"))
}

impl Backend {
    pub fn new(client: Client, shut_down: Arc<AtomicBool>) -> Self {
        Backend {
            client,
            state: Arc::new(Mutex::new(State::default())),
            shut_down,
        }
    }

    fn state(&self) -> MutexGuard<'_, State> {
        lock(&self.state)
    }

    async fn send(&self, publishes: Vec<Publish>) {
        for p in publishes {
            self.client
                .publish_diagnostics(p.uri, p.diagnostics, p.version)
                .await;
        }
    }

    /// A document's current version and the encoding. Handlers that call
    /// the core take its text with `Snapshot::text` and hold it for the request.
    fn snapshot(&self, uri: &Uri) -> Option<(Arc<Snapshot>, Encoding)> {
        let state = self.state();
        Some((state.docs.get(&key(uri))?, state.encoding()))
    }
}

fn publish_document(state: &State, uri: &Uri, fresh: &Fresh) -> Publish {
    publish_snapshot(state, uri, &fresh.snapshot, &fresh.text)
}

fn publish_snapshot(state: &State, uri: &Uri, snapshot: &Snapshot, text: &str) -> Publish {
    let encoding = state.encoding();
    let extra = duplicate_id(state, uri, snapshot);
    let elsewhere = |path: &Path, span: &Span| {
        let file = state.workspace.files.get(path)?;
        Some(convert::range(
            &convert::Text(&file.index, &file.text),
            span,
            encoding,
        ))
    };
    Publish {
        uri: uri.clone(),
        diagnostics: convert::diagnostics(snapshot, text, &extra, uri, encoding, &elsewhere),
        version: Some(snapshot.version),
    }
}

/// The `id` of an open document.
fn open_id(state: &State, key: &str) -> Option<String> {
    let snapshot = state.docs.get(key)?;
    Some(
        workspace_rules::id_of(&snapshot.analysis.syntax)?
            .0
            .to_string(),
    )
}

/// When a document's `id` changes from `old` to `new` (opened, edited,
/// closed, changed on disk), the other open documents with either id are
/// checked again: their `duplicate-id` depends on it.
fn same_id_publishes(
    state: &State,
    changed: &str,
    old: Option<String>,
    new: Option<String>,
) -> Vec<Publish> {
    if old == new {
        return Vec::new();
    }
    let ids = [old, new];
    state
        .docs
        .all()
        .filter(|(key, ..)| *key != changed)
        .filter_map(|(key, _, snapshot)| {
            let (id, _) = workspace_rules::id_of(&snapshot.analysis.syntax)?;
            if !ids.iter().flatten().any(|i| i == id) {
                return None;
            }
            let uri = key.parse().ok()?;
            Some(publish_snapshot(state, &uri, &snapshot, &snapshot.text()))
        })
        .collect()
}

/// `duplicate-id` against the other open documents and the workspace index.
fn duplicate_id(
    state: &State,
    uri: &Uri,
    snapshot: &Snapshot,
) -> Vec<crate::diagnostic::Diagnostic> {
    let Some((id, span)) = workspace_rules::id_of(&snapshot.analysis.syntax) else {
        return Vec::new();
    };
    let mut open = HashSet::new();
    let mut others: Vec<(PathBuf, Span)> = Vec::new();
    for (key, path, other) in state.docs.all() {
        let Some(path) = path else { continue };
        open.insert(path.to_path_buf());
        if key != uri.as_str()
            && let Some((other_id, other_span)) = workspace_rules::id_of(&other.analysis.syntax)
            && other_id == id
        {
            others.push((path.to_path_buf(), other_span));
        }
    }
    for (path, file) in state
        .workspace
        .files
        .iter()
        .filter(|(p, _)| !open.contains(*p))
    {
        if let Some(other) = &file.facts.id
            && other.name == id
        {
            others.push((path.clone(), other.selection.clone()));
        }
    }
    others.sort_by(|a, b| a.0.cmp(&b.0));
    let others: Vec<(&Path, Span)> = others
        .iter()
        .map(|(p, s)| (p.as_path(), s.clone()))
        .collect();
    let found = workspace_rules::duplicate_id(id, span, &others, others.len())
        .into_iter()
        .collect();
    analysis::apply_severities(found, snapshot.registry.as_deref().map(|r| &r.registry))
}

/// The registry's own problems, published on the registry file.
fn publish_registry(loaded: &Loaded, encoding: Encoding) -> Option<Publish> {
    let uri = convert::file_uri(&loaded.path)?;
    let index = loaded.lines();
    let diagnostics = loaded
        .registry
        .problems
        .iter()
        .map(|d| convert::diagnostic(d, index, loaded.text(), &uri, encoding, &|_, _| None))
        .collect();
    Some(Publish {
        uri,
        diagnostics,
        version: None,
    })
}

/// Publications for registries not published before (or all, after a reload).
fn registry_publishes(state: &mut State, all: bool) -> Vec<Publish> {
    let encoding = state.encoding();
    let current = state.docs.registries();
    let mut out = Vec::new();
    let mut now = HashSet::new();
    for loaded in &current {
        now.insert(loaded.path.clone());
        if all || !state.published_registries.contains(&loaded.path) {
            out.extend(publish_registry(loaded, encoding));
        }
    }
    if all {
        for gone in state.published_registries.difference(&now) {
            if let Some(uri) = convert::file_uri(gone) {
                out.push(Publish {
                    uri,
                    diagnostics: Vec::new(),
                    version: None,
                });
            }
        }
        state.published_registries = now;
    } else {
        state.published_registries.extend(now);
    }
    out
}

impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        let caps = &params.capabilities;
        let utf8 = caps
            .general
            .as_ref()
            .and_then(|g| g.position_encodings.as_ref())
            .is_some_and(|encodings| encodings.contains(&PositionEncodingKind::UTF8));
        let encoding = if utf8 {
            Encoding::Utf8
        } else {
            Encoding::Utf16
        };
        {
            let mut state = self.state();
            state.encoding = Some(encoding);
            state.hierarchical_symbols = caps
                .text_document
                .as_ref()
                .and_then(|t| t.document_symbol.as_ref())
                .and_then(|s| s.hierarchical_document_symbol_support)
                .unwrap_or(false);
            state.workspace.roots = workspace_roots(&params);
            state.dynamic_watch = caps
                .workspace
                .as_ref()
                .and_then(|w| w.did_change_watched_files.as_ref())
                .and_then(|w| w.dynamic_registration)
                .unwrap_or(false);
        }
        Ok(InitializeResult {
            capabilities: ServerCapabilities {
                position_encoding: Some(if utf8 {
                    PositionEncodingKind::UTF8
                } else {
                    PositionEncodingKind::UTF16
                }),
                text_document_sync: Some(TextDocumentSyncCapability::Options(
                    TextDocumentSyncOptions {
                        open_close: Some(true),
                        change: Some(TextDocumentSyncKind::INCREMENTAL),
                        save: Some(TextDocumentSyncSaveOptions::Supported(true)),
                        ..Default::default()
                    },
                )),
                hover_provider: Some(HoverProviderCapability::Simple(true)),
                document_symbol_provider: Some(OneOf::Left(true)),
                document_formatting_provider: Some(OneOf::Left(true)),
                definition_provider: Some(OneOf::Left(true)),
                completion_provider: Some(CompletionOptions {
                    trigger_characters: Some(["{", ":", ",", " "].map(String::from).to_vec()),
                    ..Default::default()
                }),
                folding_range_provider: Some(FoldingRangeProviderCapability::Simple(true)),
                document_link_provider: Some(DocumentLinkOptions {
                    resolve_provider: Some(false),
                    work_done_progress_options: Default::default(),
                }),
                semantic_tokens_provider: Some(
                    SemanticTokensServerCapabilities::SemanticTokensOptions(
                        SemanticTokensOptions {
                            legend: convert::semantic_tokens_legend(),
                            full: Some(SemanticTokensFullOptions::Bool(true)),
                            range: None,
                            work_done_progress_options: Default::default(),
                        },
                    ),
                ),
                references_provider: Some(OneOf::Left(true)),
                rename_provider: Some(OneOf::Right(RenameOptions {
                    prepare_provider: Some(true),
                    work_done_progress_options: Default::default(),
                })),
                workspace_symbol_provider: Some(OneOf::Left(true)),
                code_action_provider: Some(CodeActionProviderCapability::Options(
                    CodeActionOptions {
                        code_action_kinds: Some(vec![CodeActionKind::QUICKFIX]),
                        ..Default::default()
                    },
                )),
                ..Default::default()
            },
            offset_encoding: None,
            server_info: Some(ServerInfo {
                name: "transcript-ls".to_string(),
                version: Some(env!("CARGO_PKG_VERSION").to_string()),
            }),
        })
    }

    async fn initialized(&self, _: InitializedParams) {
        self.start_indexing();
        if !self.state().dynamic_watch {
            return;
        }
        let options = DidChangeWatchedFilesRegistrationOptions {
            watchers: [format!("**/{FILE_NAME}"), "**/*.transcript".to_string()]
                .into_iter()
                .map(|glob| FileSystemWatcher {
                    glob_pattern: GlobPattern::String(glob),
                    kind: None,
                })
                .collect(),
        };
        let registration = Registration {
            id: "transcript-ls/watch-files".to_string(),
            method: "workspace/didChangeWatchedFiles".to_string(),
            register_options: serde_json::to_value(options).ok(),
        };
        // The answer is not awaited here: a handler never waits on the client.
        let client = self.client.clone();
        tokio::spawn(async move {
            if let Err(e) = client.register_capability(vec![registration]).await {
                tracing::warn!("the client refused to watch files: {e}");
            }
        });
    }

    async fn shutdown(&self) -> Result<()> {
        self.shut_down.store(true, Ordering::SeqCst);
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        let doc = params.text_document;
        if is_registry(&doc.uri) {
            return;
        }
        let publishes = {
            let mut state = self.state();
            let path = file_path(&doc.uri);
            let key = key(&doc.uri);
            let old = open_id(&state, &key);
            let fresh = state.docs.open(key.clone(), path, doc.version, doc.text);
            let mut out = vec![publish_document(&state, &doc.uri, &fresh)];
            out.extend(same_id_publishes(&state, &key, old, open_id(&state, &key)));
            out.extend(registry_publishes(&mut state, false));
            out
        };
        self.send(publishes).await;
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        let uri = params.text_document.uri;
        let key = key(&uri);
        let publishes = {
            let mut state = self.state();
            let encoding = state.encoding();
            let old = open_id(&state, &key);
            let edits = params
                .content_changes
                .into_iter()
                .map(|c| Edit {
                    range: c
                        .range
                        .map(|r| (convert::line_col(r.start), convert::line_col(r.end))),
                    text: c.text,
                })
                .collect();
            match state
                .docs
                .change(&key, params.text_document.version, edits, encoding)
            {
                Some(fresh) => {
                    let mut out = vec![publish_document(&state, &uri, &fresh)];
                    let new = open_id(&state, &key);
                    out.extend(same_id_publishes(&state, &key, old, new));
                    out
                }
                None => {
                    if !is_registry(&uri) {
                        tracing::warn!(
                            "didChange for a document that is not open: {}",
                            uri.as_str()
                        );
                    }
                    return;
                }
            }
        };
        self.send(publishes).await;
    }

    async fn did_save(&self, params: DidSaveTextDocumentParams) {
        if is_registry(&params.text_document.uri) {
            self.reload_registries().await;
        }
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        let uri = params.text_document.uri;
        let key = key(&uri);
        let publishes = {
            let mut state = self.state();
            let old = open_id(&state, &key);
            if !state.docs.close(&key) {
                return;
            }
            let mut out = vec![Publish {
                uri,
                diagnostics: Vec::new(),
                version: None,
            }];
            out.extend(same_id_publishes(&state, &key, old, None));
            out
        };
        self.send(publishes).await;
    }

    async fn did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        if params.changes.iter().any(|c| is_registry(&c.uri)) {
            self.reload_registries().await;
            self.start_indexing();
            return;
        }
        let mut registries = Cache::default();
        let mut publishes = Vec::new();
        {
            let mut state = self.state();
            for change in &params.changes {
                let Some(path) = file_path(&change.uri)
                    .filter(|p| p.extension().is_some_and(|x| x == "transcript"))
                else {
                    continue;
                };
                let file = index_file(&path, &mut registries)
                    .filter(|_| change.typ != FileChangeType::DELETED);
                let new = file.as_ref().and_then(|f| f.facts.id.as_ref());
                let new = new.map(|id| id.name.clone());
                let old = match file {
                    Some(file) => state.workspace.files.insert(path, Arc::new(file)),
                    None => state.workspace.files.remove(&path),
                };
                let old = old.and_then(|f| f.facts.id.as_ref().map(|id| id.name.clone()));
                publishes.extend(same_id_publishes(&state, &key(&change.uri), old, new));
            }
        }
        self.send(publishes).await;
    }

    async fn document_symbol(
        &self,
        params: DocumentSymbolParams,
    ) -> Result<Option<DocumentSymbolResponse>> {
        Ok(self.outline(params))
    }

    async fn completion(&self, params: CompletionParams) -> Result<Option<CompletionResponse>> {
        let Some((snapshot, encoding, offset)) = self.at(&params.text_document_position) else {
            return Ok(None);
        };
        let registry = snapshot.registry.as_deref().map(|r| &r.registry);
        let text = snapshot.text();
        let found = analysis::completion::complete(
            &text,
            &snapshot.analysis.syntax,
            registry,
            offset,
            analysis::MAX_ITEMS,
        );
        Ok(Some(convert::completion(&found, &snapshot, encoding)))
    }

    async fn folding_range(&self, params: FoldingRangeParams) -> Result<Option<Vec<FoldingRange>>> {
        let Some((snapshot, _)) = self.snapshot(&params.text_document.uri) else {
            return Ok(None);
        };
        let folds = analysis::folding::folding_ranges(&snapshot.text(), &snapshot.analysis.syntax);
        Ok(Some(convert::folding_ranges(&folds, &snapshot)))
    }

    async fn document_link(&self, params: DocumentLinkParams) -> Result<Option<Vec<DocumentLink>>> {
        let Some((snapshot, encoding)) = self.snapshot(&params.text_document.uri) else {
            return Ok(None);
        };
        let registry = snapshot.registry.as_deref().map(|r| &r.registry);
        let links = analysis::links::document_links(&snapshot.analysis.syntax, registry);
        Ok(Some(convert::links(&links, &snapshot, encoding)))
    }

    async fn semantic_tokens_full(
        &self,
        params: SemanticTokensParams,
    ) -> Result<Option<SemanticTokensResult>> {
        Ok(self.semantic_tokens(params))
    }

    async fn goto_definition(
        &self,
        params: GotoDefinitionParams,
    ) -> Result<Option<GotoDefinitionResponse>> {
        let pos = params.text_document_position_params;
        let Some((snapshot, encoding, offset)) = self.at(&pos) else {
            return Ok(None);
        };
        let location = navigation::definition(&snapshot, &pos.text_document.uri, offset, encoding);
        Ok(location.map(GotoDefinitionResponse::Scalar))
    }

    async fn references(&self, params: ReferenceParams) -> Result<Option<Vec<Location>>> {
        let pos = params.text_document_position;
        let Some((snapshot, encoding, offset)) = self.at(&pos) else {
            return Ok(None);
        };
        let files = self.files();
        let include = params.context.include_declaration;
        Ok(Some(navigation::references(
            &snapshot,
            &pos.text_document.uri,
            offset,
            include,
            &files,
            encoding,
        )))
    }

    async fn prepare_rename(
        &self,
        params: TextDocumentPositionParams,
    ) -> Result<Option<PrepareRenameResponse>> {
        let Some((snapshot, encoding, offset)) = self.at(&params) else {
            return Ok(None);
        };
        match navigation::prepare_rename(&snapshot, offset, encoding) {
            Ok((range, placeholder)) => Ok(Some(PrepareRenameResponse::RangeWithPlaceholder {
                range,
                placeholder,
            })),
            Err(why) => Err(Error::invalid_params(why)),
        }
    }

    async fn rename(&self, params: RenameParams) -> Result<Option<WorkspaceEdit>> {
        let pos = params.text_document_position;
        let Some((snapshot, encoding, offset)) = self.at(&pos) else {
            return Ok(None);
        };
        let files = self.files();
        navigation::rename(
            &snapshot,
            &pos.text_document.uri,
            offset,
            &params.new_name,
            &files,
            encoding,
        )
        .map(Some)
        .map_err(Error::invalid_params)
    }

    async fn symbol(
        &self,
        params: WorkspaceSymbolParams,
    ) -> Result<Option<WorkspaceSymbolResponse>> {
        let encoding = self.state().encoding();
        let files = self.files();
        Ok(Some(WorkspaceSymbolResponse::Flat(
            navigation::workspace_symbols(&params.query, &files, encoding),
        )))
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        let uri = params.text_document.uri;
        let Some((snapshot, encoding)) = self.snapshot(&uri) else {
            return Ok(None);
        };
        Ok(Some(convert::code_actions(
            &snapshot,
            &snapshot.text(),
            &uri,
            &params.range,
            &params.context.diagnostics,
            encoding,
        )))
    }

    async fn formatting(&self, params: DocumentFormattingParams) -> Result<Option<Vec<TextEdit>>> {
        Ok(self.format_document(&params.text_document.uri).await)
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        let pos = params.text_document_position_params;
        let Some((snapshot, encoding, offset)) = self.at(&pos) else {
            return Ok(None);
        };
        let registry = snapshot.registry.as_deref().map(|r| &r.registry);
        let info = analysis::hover(
            &snapshot.text(),
            &snapshot.analysis.syntax,
            registry,
            offset,
        );
        Ok(info.map(|info| convert::hover(&info, &snapshot, encoding)))
    }
}

impl DirectAnswers for Backend {
    fn answer(&self, method: &str, params: &Value) -> Option<String> {
        // Before `initialize` and after `shutdown` the service answers with the errors.
        if self.state().encoding.is_none() || self.shut_down.load(Ordering::SeqCst) {
            return None;
        }
        let json = match method {
            "textDocument/documentSymbol" => {
                serde_json::to_string(&self.outline(Deserialize::deserialize(params).ok()?))
            }
            "textDocument/semanticTokens/full" => {
                serde_json::to_string(&self.semantic_tokens(Deserialize::deserialize(params).ok()?))
            }
            _ => return None,
        };
        json.inspect_err(|e| tracing::error!("cannot encode the answer to {method}: {e}"))
            .ok()
    }
}

/// The folders to index: the workspace folders, else the root URI.
fn workspace_roots(params: &InitializeParams) -> Vec<PathBuf> {
    match &params.workspace_folders {
        Some(folders) => folders.iter().filter_map(|f| file_path(&f.uri)).collect(),
        #[allow(deprecated)] // Older clients send only `rootUri`.
        None => params
            .root_uri
            .as_ref()
            .and_then(file_path)
            .into_iter()
            .collect(),
    }
}

impl Backend {
    /// Indexes the workspace folders on a blocking thread, then stores the result.
    fn start_indexing(&self) {
        let roots = self.state().workspace.roots.clone();
        if roots.is_empty() {
            return;
        }
        let state = self.state.clone();
        tokio::spawn(async move {
            match tokio::task::spawn_blocking(move || index_roots(&roots)).await {
                Ok(files) => {
                    tracing::info!("indexed {} transcripts", files.len());
                    lock(&state).workspace.files = files;
                }
                Err(e) => tracing::warn!("indexing the workspace failed: {e}"),
            }
        });
    }

    /// The outline, nested when the client supports it.
    fn outline(&self, params: DocumentSymbolParams) -> Option<DocumentSymbolResponse> {
        let uri = params.text_document.uri;
        let (snapshot, encoding) = self.snapshot(&uri)?;
        let symbols = snapshot.outline();
        if self.state().hierarchical_symbols {
            return Some(DocumentSymbolResponse::Nested(convert::document_symbols(
                symbols, &snapshot, encoding,
            )));
        }
        let mut flat = Vec::new();
        convert::symbol_information(symbols, &snapshot, &uri, encoding, None, &mut flat);
        Some(DocumentSymbolResponse::Flat(flat))
    }

    fn semantic_tokens(&self, params: SemanticTokensParams) -> Option<SemanticTokensResult> {
        let (snapshot, encoding) = self.snapshot(&params.text_document.uri)?;
        let text = snapshot.text();
        let registry = snapshot.registry.as_deref().map(|r| &r.registry);
        let tokens =
            analysis::semantic_tokens::semantic_tokens(&text, &snapshot.analysis.syntax, registry);
        Some(SemanticTokensResult::Tokens(convert::semantic_tokens(
            &tokens, &snapshot, &text, encoding,
        )))
    }

    /// What [`Backend::snapshot`] gives, and the byte offset of a position.
    fn at(&self, pos: &TextDocumentPositionParams) -> Option<(Arc<Snapshot>, Encoding, usize)> {
        let (snapshot, encoding) = self.snapshot(&pos.text_document.uri)?;
        let offset = snapshot.offset(convert::line_col(pos.position), encoding);
        Some((snapshot, encoding, offset))
    }

    /// Every file of the collection: open documents and the workspace index.
    fn files(&self) -> Vec<(Uri, navigation::File)> {
        let state = self.state();
        navigation::files(&state.docs, &state.workspace)
    }

    /// Formats the current version of a document: one edit over the whole
    /// text, or none when it is formatted already.
    async fn format_document(&self, uri: &Uri) -> Option<Vec<TextEdit>> {
        let (snapshot, encoding) = self.snapshot(uri)?;
        let text = snapshot.text();
        let formatted = format(&text, &snapshot.analysis.syntax);
        if formatted == *text {
            return Some(Vec::new());
        }
        let range = convert::range(&*snapshot, &(0..text.len()), encoding);
        Some(vec![TextEdit::new(range, formatted)])
    }

    /// Re-reads the registries and re-checks every open document.
    async fn reload_registries(&self) {
        let publishes = {
            let mut state = self.state();
            let fresh = state.docs.reload_registries();
            let mut out: Vec<Publish> = fresh
                .iter()
                .filter_map(|(k, s)| Some(publish_document(&state, &k.parse().ok()?, s)))
                .collect();
            out.extend(registry_publishes(&mut state, true));
            out
        };
        self.send(publishes).await;
    }
}
