//! The LSP handlers. Each translates: protocol in, core call, protocol out.
//! Document notifications change the store before their first `.await`, so
//! edits apply in the order the client sent them; a change is analysed and
//! published once the burst of changes it belongs to is applied (a version
//! superseded meanwhile is never analysed). Work over the whole collection
//! (references, rename, workspace symbols) runs off the main thread, stops
//! when its request is cancelled, and answers `ContentModified` when the
//! document changed meanwhile. No handler waits on a request to the client.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use serde::Deserialize;
use serde_json::Value;
use tower_lsp_server::jsonrpc::{Error, ErrorCode, Result};
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, LanguageServer};

use super::changes::{self, Pending};
use super::documents::{Edit, Snapshot};
use super::navigation::{self, File};
use super::publish::{self, Delivery, Publish, deliver};
use super::pull;
use super::state::{Settings, State, lock};
use super::transport::{Direct, DirectAnswers, Outbox};
use super::{configure, convert, lenses, settings};
use crate::analysis;
use crate::analysis::fixes::{self, Fix};
use crate::analysis::{navigate, suppress};
use crate::cancel::{Cancel, Cancelled};
use crate::files;
use crate::format::format;
use crate::registry::{FILE_NAME, Loaded};
use crate::text::Encoding;

#[derive(Clone)]
pub struct Backend {
    client: Client,
    /// Straight to the client, in order with the answers (partial results).
    outbox: Outbox,
    state: Arc<Mutex<State>>,
    /// Watched-file changes waiting for the quiet period.
    pending: Arc<Pending>,
    /// Set by `shutdown`; an `exit` before it ends the process with status 1.
    shut_down: Arc<AtomicBool>,
    /// The last workspace pull's answer: the change count it was made at
    /// and its result ids (see [`pull::given`]).
    pulled: Arc<Mutex<Option<(u64, u64)>>>,
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

/// The answer to a request whose work was cancelled, or whose document
/// changed while it ran.
fn cancelled(_: Cancelled) -> Error {
    Error::request_cancelled()
}

fn content_modified() -> Error {
    Error {
        code: ErrorCode::ContentModified,
        message: "the document changed while the request ran; ask again".into(),
        data: None,
    }
}

impl Backend {
    pub fn new(client: Client, outbox: Outbox, shut_down: Arc<AtomicBool>) -> Self {
        Backend {
            client,
            outbox,
            state: Arc::new(Mutex::new(State::default())),
            pending: Arc::new(Pending::default()),
            shut_down,
            pulled: Arc::default(),
        }
    }

    fn state(&self) -> MutexGuard<'_, State> {
        lock(&self.state)
    }

    /// A document's current version and the encoding. Handlers that call
    /// the core hold its text and analysis for the request.
    fn snapshot(&self, uri: &Uri) -> Option<(Arc<Snapshot>, Encoding)> {
        let mut state = self.state();
        Some((state.snapshot(uri)?, state.encoding()))
    }

    /// What [`Backend::snapshot`] gives, and the byte offset of a position.
    fn at(&self, pos: &TextDocumentPositionParams) -> Option<(Arc<Snapshot>, Encoding, usize)> {
        let (snapshot, encoding) = self.snapshot(&pos.text_document.uri)?;
        let offset = snapshot.offset(convert::line_col(pos.position), encoding);
        Some((snapshot, encoding, offset))
    }

    /// Whether `snapshot` is still the current version of `uri`.
    fn current(&self, uri: &Uri, snapshot: &Snapshot) -> bool {
        self.state()
            .docs
            .peek(uri.as_str())
            .is_some_and(|s| s.version == snapshot.version)
    }

    /// Runs `work` on a blocking thread with a token that is cancelled when
    /// the request is (its future dropped), and answers `ContentModified`
    /// when the document changed while it ran.
    async fn off_thread<T: Send + 'static>(
        &self,
        uri: &Uri,
        snapshot: &Snapshot,
        work: impl FnOnce(&Cancel) -> std::result::Result<T, Error> + Send + 'static,
    ) -> Result<T> {
        let cancel = Cancel::default();
        let _guard = cancel.on_drop();
        let answer = tokio::task::spawn_blocking(move || work(&cancel))
            .await
            .map_err(|_| Error::internal_error())??;
        if !self.current(uri, snapshot) {
            return Err(content_modified());
        }
        Ok(answer)
    }
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
        let settings = match settings::read(params.initialization_options.as_ref()) {
            Ok(settings) => settings,
            Err(why) => {
                tracing::error!("initializationOptions: {why}; the defaults apply");
                Settings::default()
            }
        };
        {
            let mut state = self.state();
            state.configure(settings);
            state.encoding = Some(encoding);
            state.hierarchical_symbols = caps
                .text_document
                .as_ref()
                .and_then(|t| t.document_symbol.as_ref())
                .and_then(|s| s.hierarchical_document_symbol_support)
                .unwrap_or(false);
            state.workspace.roots = workspace_roots(&params);
            state.delivery = Delivery {
                pull: caps
                    .text_document
                    .as_ref()
                    .is_some_and(|t| t.diagnostic.is_some()),
                refresh: caps
                    .workspace
                    .as_ref()
                    .and_then(|w| w.diagnostics.as_ref())
                    .and_then(|d| d.refresh_support)
                    .unwrap_or(false),
            };
            let workspace = caps.workspace.as_ref();
            state.configuration = workspace.and_then(|w| w.configuration).unwrap_or(false);
            state.lens_refresh = workspace
                .and_then(|w| w.code_lens.as_ref())
                .and_then(|c| c.refresh_support)
                .unwrap_or(false);
            state.hint_refresh = workspace
                .and_then(|w| w.inlay_hint.as_ref())
                .and_then(|c| c.refresh_support)
                .unwrap_or(false);
            state.work_done_progress = caps
                .window
                .as_ref()
                .and_then(|w| w.work_done_progress)
                .unwrap_or(false);
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
                diagnostic_provider: Some(DiagnosticServerCapabilities::Options(
                    DiagnosticOptions {
                        identifier: Some("transcript-ls".to_string()),
                        inter_file_dependencies: true,
                        workspace_diagnostics: true,
                        work_done_progress_options: Default::default(),
                    },
                )),
                code_lens_provider: Some(CodeLensOptions {
                    resolve_provider: Some(false),
                }),
                inlay_hint_provider: Some(OneOf::Left(true)),
                document_highlight_provider: Some(OneOf::Left(true)),
                selection_range_provider: Some(SelectionRangeProviderCapability::Simple(true)),
                code_action_provider: Some(CodeActionProviderCapability::Options(
                    CodeActionOptions {
                        code_action_kinds: Some(vec![
                            CodeActionKind::QUICKFIX,
                            CodeActionKind::REFACTOR_REWRITE,
                            CodeActionKind::SOURCE_FIX_ALL,
                        ]),
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
        changes::index_workspace(&self.state, &self.client);
        let state = self.state.clone();
        let client = self.client.clone();
        tokio::spawn(async move { configure::ask(&state, &client).await });
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
        // Not awaited here: the client answers while we go on reading.
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
        let snapshot = {
            let mut state = self.state();
            let path = file_path(&doc.uri);
            let key = doc.uri.as_str().to_string();
            state.changed();
            state.docs.open(key, path, doc.version, doc.text)
        };
        self.publish_later(doc.uri, snapshot, true);
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        let uri = params.text_document.uri;
        let snapshot = {
            let mut state = self.state();
            let encoding = state.encoding();
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
            state.changed();
            state
                .docs
                .change(uri.as_str(), params.text_document.version, edits, encoding)
        };
        let Some(snapshot) = snapshot else {
            if !is_registry(&uri) {
                tracing::warn!(
                    "didChange for a document that is not open: {}",
                    uri.as_str()
                );
            }
            return;
        };
        self.publish_later(uri, snapshot, false);
    }

    async fn did_save(&self, params: DidSaveTextDocumentParams) {
        let uri = params.text_document.uri;
        if is_registry(&uri)
            && let Some(path) = file_path(&uri)
        {
            changes::note(
                &self.pending,
                &self.state,
                &self.client,
                Vec::new(),
                vec![path],
            );
        }
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        let uri = params.text_document.uri;
        let key = uri.as_str().to_string();
        let publishes = {
            let mut state = self.state();
            if !state.docs.close(&key) {
                return;
            }
            state.changed();
            let old = state.ids.remove(&key).flatten();
            let flush = publish::same_id(&mut state, &key, old, None);
            (state.delivery, vec![Publish::clear(uri)], flush)
        };
        if publishes.2 {
            tokio::spawn(publish::flush_stale(
                self.state.clone(),
                self.client.clone(),
            ));
        }
        deliver(&self.client, publishes.0, publishes.1).await;
    }

    async fn did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        let mut transcripts = Vec::new();
        let mut registries = Vec::new();
        for change in params.changes {
            let Some(path) = file_path(&change.uri) else {
                continue;
            };
            if is_registry(&change.uri) {
                registries.push(path);
            } else if path.extension().is_some_and(|x| x == files::EXTENSION) {
                transcripts.push((path, change.typ == FileChangeType::DELETED));
            }
        }
        changes::note(
            &self.pending,
            &self.state,
            &self.client,
            transcripts,
            registries,
        );
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
        let max_items = self.state().settings.max_items;
        let registry = snapshot.registry.as_deref().map(|r| &r.registry);
        let text = snapshot.text();
        let analysis = snapshot.analysis();
        let found =
            analysis::completion::complete(&text, &analysis.syntax, registry, offset, max_items);
        Ok(Some(convert::completion(&found, &snapshot, encoding)))
    }

    async fn folding_range(&self, params: FoldingRangeParams) -> Result<Option<Vec<FoldingRange>>> {
        let Some((snapshot, _)) = self.snapshot(&params.text_document.uri) else {
            return Ok(None);
        };
        let analysis = snapshot.analysis();
        let folds = analysis::folding::folding_ranges(&snapshot.text(), &analysis.syntax);
        Ok(Some(convert::folding_ranges(&folds, &snapshot)))
    }

    async fn document_link(&self, params: DocumentLinkParams) -> Result<Option<Vec<DocumentLink>>> {
        let Some((snapshot, encoding)) = self.snapshot(&params.text_document.uri) else {
            return Ok(None);
        };
        let registry = snapshot.registry.as_deref().map(|r| &r.registry);
        let links = analysis::links::document_links(&snapshot.analysis().syntax, registry);
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
        let analysis = snapshot.analysis();
        let location = navigation::definition(
            &snapshot,
            &analysis.syntax,
            &pos.text_document.uri,
            offset,
            encoding,
        );
        Ok(location.map(GotoDefinitionResponse::Scalar))
    }

    async fn references(&self, params: ReferenceParams) -> Result<Option<Vec<Location>>> {
        let pos = params.text_document_position;
        let uri = pos.text_document.uri.clone();
        if is_registry(&uri) {
            return self
                .registry_references(&pos, params.context.include_declaration)
                .await;
        }
        let Some((snapshot, encoding, offset)) = self.at(&pos) else {
            return Ok(None);
        };
        let Some((target, _)) = navigate::target_at(&snapshot.analysis().syntax, offset) else {
            return Ok(Some(Vec::new()));
        };
        self.before_searching().await;
        let files = self.candidates(&target, &uri, &snapshot);
        let include = params.context.include_declaration;
        let found = self
            .off_thread(&uri, &snapshot, move |cancel| {
                navigation::references(&target, &files, include, encoding, cancel)
                    .map_err(cancelled)
            })
            .await?;
        Ok(Some(found))
    }

    async fn prepare_rename(
        &self,
        params: TextDocumentPositionParams,
    ) -> Result<Option<PrepareRenameResponse>> {
        let Some((snapshot, encoding, offset)) = self.at(&params) else {
            return Ok(None);
        };
        let analysis = snapshot.analysis();
        match navigation::prepare_rename(&snapshot, &analysis.syntax, offset, encoding) {
            Ok((range, placeholder)) => Ok(Some(PrepareRenameResponse::RangeWithPlaceholder {
                range,
                placeholder,
            })),
            Err(why) => Err(Error::invalid_params(why)),
        }
    }

    async fn rename(&self, params: RenameParams) -> Result<Option<WorkspaceEdit>> {
        let pos = params.text_document_position;
        let uri = pos.text_document.uri.clone();
        let Some((snapshot, encoding, offset)) = self.at(&pos) else {
            return Ok(None);
        };
        let Some((target, _)) = navigate::target_at(&snapshot.analysis().syntax, offset) else {
            return Err(Error::invalid_params(
                "nothing to rename here: place the cursor on an entity id or a speaker",
            ));
        };
        self.before_searching().await;
        // A speaker declared in the registry is renamed in every file that uses it.
        let whole = match &target {
            navigate::Target::Speaker(name) => snapshot
                .registry
                .as_ref()
                .is_some_and(|r| r.registry.speakers.contains_key(name)),
            navigate::Target::Entity(_) => true,
        };
        let files = if whole {
            self.sharing(&uri, &snapshot, &target)
        } else {
            vec![File::Open(uri.clone(), snapshot.clone())]
        };
        let new_name = params.new_name;
        let edit = self
            .off_thread(&uri, &snapshot, move |cancel| {
                cancel.check().map_err(cancelled)?;
                navigation::rename(&target, &new_name, &files, encoding)
                    .map_err(Error::invalid_params)
            })
            .await?;
        Ok(Some(edit))
    }

    async fn symbol(
        &self,
        params: WorkspaceSymbolParams,
    ) -> Result<Option<WorkspaceSymbolResponse>> {
        self.before_searching().await;
        let (files, encoding, limit) = {
            let state = self.state();
            (
                state.all_files(),
                state.encoding(),
                state.settings.max_items,
            )
        };
        let cancel = Cancel::default();
        let _guard = cancel.on_drop();
        let query = params.query;
        let found = tokio::task::spawn_blocking(move || {
            navigation::workspace_symbols(&query, &files, limit, encoding, &cancel)
        })
        .await
        .map_err(|_| Error::internal_error())?
        .map_err(cancelled)?;
        Ok(Some(WorkspaceSymbolResponse::Flat(found)))
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        let uri = params.text_document.uri;
        let Some((snapshot, encoding)) = self.snapshot(&uri) else {
            return Ok(None);
        };
        let text = snapshot.text();
        let analysis = snapshot.analysis();
        let doc = &analysis.syntax;
        let action = |fix: &Fix, d: Option<&Diagnostic>, kind: Option<CodeActionKind>| {
            convert::code_action(fix, d.cloned(), kind, &snapshot, &uri, encoding)
        };
        let wanted = |kind: &CodeActionKind| {
            params.context.only.as_ref().is_none_or(|only| {
                only.iter().any(|o| {
                    kind.as_str() == o.as_str()
                        || kind.as_str().starts_with(&format!("{}.", o.as_str()))
                })
            })
        };
        let mut out = Vec::new();
        // Quick fixes of the client's diagnostics that are still current,
        // and for each, allowing it here or in the file.
        for client in &params.context.diagnostics {
            if let Some(d) = convert::current(client, &analysis, &snapshot, encoding) {
                for fix in fixes::fixes(&text, doc, d)
                    .iter()
                    .chain(&suppress::allow_fixes(&text, doc, d))
                {
                    out.push(action(fix, Some(client), None));
                }
            }
        }
        if let Some(reg) = &snapshot.registry {
            let start = snapshot.offset(convert::line_col(params.range.start), encoding);
            let end = snapshot
                .offset(convert::line_col(params.range.end), encoding)
                .max(start);
            for fix in fixes::annotations(&text, doc, &reg.registry, start..end) {
                out.push(action(&fix, None, None));
            }
        }
        // Every safe fix of the file at once.
        if wanted(&CodeActionKind::SOURCE_FIX_ALL) {
            let registry = snapshot.registry.as_deref().map(|r| &r.registry);
            let fixed = fixes::fix_all(&text, registry, fixes::Applicability::Safe);
            if let Some(fix) = fixed.as_fix(&text, fixes::Applicability::Safe) {
                out.push(action(&fix, None, Some(CodeActionKind::SOURCE_FIX_ALL)));
            }
        }
        Ok(Some(out))
    }

    async fn formatting(&self, params: DocumentFormattingParams) -> Result<Option<Vec<TextEdit>>> {
        Ok(self.format_document(&params.text_document.uri))
    }

    async fn diagnostic(
        &self,
        params: DocumentDiagnosticParams,
    ) -> Result<DocumentDiagnosticReportResult> {
        self.pending.settled().await;
        let mut state = self.state();
        Ok(pull::document(
            &mut state,
            &params.text_document.uri,
            params.previous_result_id.as_deref(),
        ))
    }

    async fn workspace_diagnostic(
        &self,
        params: WorkspaceDiagnosticParams,
    ) -> Result<WorkspaceDiagnosticReportResult> {
        self.pending.settled().await;
        let previous: HashMap<Uri, String> = params
            .previous_result_ids
            .into_iter()
            .map(|p| (p.uri, p.value))
            .collect();
        // The client has what we last answered, and nothing changed since:
        // held until something does (clients pull again at once).
        let mut changes = self.state().changes.subscribe();
        let asked = pull::given(previous.iter().map(|(u, id)| (u, id.as_str())));
        let last = *self.pulled.lock().unwrap_or_else(|e| e.into_inner());
        if !previous.is_empty() && last == Some((*changes.borrow_and_update(), asked)) {
            let _ = tokio::time::timeout(pull::HOLD, changes.changed()).await;
            self.pending.settled().await;
        }
        let at = *changes.borrow_and_update();
        let mut answered: Vec<(Uri, String)> = Vec::new();
        let mut note = |reports: &[WorkspaceDocumentDiagnosticReport]| {
            answered.extend(
                reports
                    .iter()
                    .filter_map(pull::id_of)
                    .map(|(u, id)| (u.clone(), id.to_string())),
            );
        };
        let (mut items, disk, encoding, limit, rules) = {
            let mut state = self.state();
            let (items, disk) = pull::workspace(&mut state, &previous);
            let rules = state.docs.rules();
            (
                items,
                disk,
                state.encoding(),
                state.settings.limits.file,
                rules,
            )
        };
        let token = params.partial_result_params.partial_result_token;
        let cancel = Cancel::default();
        let _guard = cancel.on_drop();
        let previous = Arc::new(previous);
        let mut disk = disk.into_iter();
        // Streamed: the open documents first, then the files in chunks.
        note(&items);
        if let Some(token) = &token {
            let first = std::mem::take(&mut items);
            self.outbox
                .notify::<pull::PartialResult>(pull::partial(token, first))
                .await;
        }
        loop {
            let chunk: Vec<pull::DiskFile> = disk.by_ref().take(pull::CHUNK).collect();
            if chunk.is_empty() {
                break;
            }
            let (previous, cancel, rules) = (previous.clone(), cancel.clone(), rules.clone());
            let reports = tokio::task::spawn_blocking(move || {
                pull::disk_reports(&chunk, &previous, encoding, limit, &rules, &cancel)
            })
            .await
            .map_err(|_| Error::internal_error())?
            .map_err(cancelled)?;
            note(&reports);
            match &token {
                Some(token) => {
                    self.outbox
                        .notify::<pull::PartialResult>(pull::partial(token, reports))
                        .await
                }
                None => items.extend(reports),
            }
        }
        let given = pull::given(answered.iter().map(|(u, id)| (u, id.as_str())));
        *self.pulled.lock().unwrap_or_else(|e| e.into_inner()) = Some((at, given));
        Ok(WorkspaceDiagnosticReportResult::Report(
            WorkspaceDiagnosticReport { items },
        ))
    }

    async fn code_lens(&self, params: CodeLensParams) -> Result<Option<Vec<CodeLens>>> {
        let uri = params.text_document.uri;
        if !self.state().editor.code_lens {
            return Ok(Some(Vec::new()));
        }
        if is_registry(&uri) {
            let Some(loaded) = self.registry_of(&uri) else {
                return Ok(None);
            };
            let state = self.state();
            return Ok(Some(lenses::registry(&state, &loaded, &uri)));
        }
        let Some((snapshot, encoding)) = self.snapshot(&uri) else {
            return Ok(None);
        };
        let analysis = snapshot.analysis();
        let text = snapshot.text();
        Ok(Some(lenses::transcript(
            &snapshot, &analysis, &text, &uri, encoding,
        )))
    }

    async fn inlay_hint(&self, params: InlayHintParams) -> Result<Option<Vec<InlayHint>>> {
        if !self.state().editor.inlay_hints {
            return Ok(Some(Vec::new()));
        }
        let Some((snapshot, encoding)) = self.snapshot(&params.text_document.uri) else {
            return Ok(None);
        };
        let start = snapshot.offset(convert::line_col(params.range.start), encoding);
        let end = snapshot
            .offset(convert::line_col(params.range.end), encoding)
            .max(start);
        let registry = snapshot.registry.as_deref().map(|r| &r.registry);
        let analysis = snapshot.analysis();
        let hints = analysis::inlay_hints::inlay_hints(
            &analysis.syntax,
            registry,
            start..end,
            Default::default(),
        );
        Ok(Some(convert::inlay_hints(&hints, &snapshot, encoding)))
    }

    async fn document_highlight(
        &self,
        params: DocumentHighlightParams,
    ) -> Result<Option<Vec<DocumentHighlight>>> {
        let Some((snapshot, encoding, offset)) = self.at(&params.text_document_position_params)
        else {
            return Ok(None);
        };
        let found = analysis::highlight::highlights(&snapshot.analysis().syntax, offset);
        Ok(Some(convert::highlights(&found, &snapshot, encoding)))
    }

    async fn selection_range(
        &self,
        params: SelectionRangeParams,
    ) -> Result<Option<Vec<SelectionRange>>> {
        let Some((snapshot, encoding)) = self.snapshot(&params.text_document.uri) else {
            return Ok(None);
        };
        let offsets: Vec<usize> = params
            .positions
            .iter()
            .map(|p| snapshot.offset(convert::line_col(*p), encoding))
            .collect();
        let text = snapshot.text();
        let analysis = snapshot.analysis();
        let found = analysis::selection::selection_ranges(&text, &analysis.syntax, &offsets);
        // One answer per position, as the protocol asks: where nothing
        // encloses it, the position itself.
        Ok(Some(
            found
                .iter()
                .zip(&offsets)
                .map(|(spans, &offset)| {
                    convert::selection_range(spans, &snapshot, encoding).unwrap_or_else(|| {
                        SelectionRange {
                            range: convert::range(&*snapshot, &(offset..offset), encoding),
                            parent: None,
                        }
                    })
                })
                .collect(),
        ))
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        // Not awaited here: asking the client for its settings would wait
        // on an answer while notifications must go on being read.
        let state = self.state.clone();
        let client = self.client.clone();
        tokio::spawn(async move { configure::changed(&state, &client, &params.settings).await });
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        let pos = params.text_document_position_params;
        let Some((snapshot, encoding, offset)) = self.at(&pos) else {
            return Ok(None);
        };
        let registry = snapshot.registry.as_deref().map(|r| &r.registry);
        let analysis = snapshot.analysis();
        let info = analysis::hover(&snapshot.text(), &analysis.syntax, registry, offset);
        Ok(info.map(|info| convert::hover(&info, &snapshot, encoding)))
    }
}

impl DirectAnswers for Backend {
    fn answer(&self, method: &str, params: &Value) -> Option<Direct> {
        // Before `initialize` and after `shutdown` the service answers with the errors.
        if self.state().encoding.is_none() || self.shut_down.load(Ordering::SeqCst) {
            return None;
        }
        fn encode<T: serde::Serialize>(result: Result<T>) -> Result<String> {
            serde_json::to_string(&result?).map_err(|e| {
                tracing::error!("cannot encode an answer: {e}");
                Error::internal_error()
            })
        }
        let json = match method {
            "textDocument/references" => {
                let (this, params) = (self.clone(), Deserialize::deserialize(params).ok()?);
                return Some(Direct::Later(Box::pin(async move {
                    encode(this.references(params).await)
                })));
            }
            "textDocument/rename" => {
                let (this, params) = (self.clone(), Deserialize::deserialize(params).ok()?);
                return Some(Direct::Later(Box::pin(async move {
                    encode(this.rename(params).await)
                })));
            }
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
            .map(Direct::Now)
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
    /// Before work over the collection: waits for pending changes, then
    /// lets the messages already received be read, so that a
    /// `$/cancelRequest` right behind the request stops it before it starts.
    async fn before_searching(&self) {
        self.pending.settled().await;
        tokio::task::yield_now().await;
    }

    /// Publishes a version's diagnostics once the changes already received
    /// are applied (the document's, and watched-file events, which
    /// `duplicate-id` depends on): a version superseded by then is never
    /// analysed. With `registries`, also the problems of registries not
    /// published yet.
    fn publish_later(&self, uri: Uri, snapshot: Arc<Snapshot>, registries: bool) {
        let (state, client, pending) = (
            self.state.clone(),
            self.client.clone(),
            self.pending.clone(),
        );
        tokio::spawn(async move {
            tokio::task::yield_now().await;
            pending.settled().await;
            let state_arc = &state;
            let publishes = {
                let mut state = lock(state_arc);
                let key = uri.as_str();
                if state
                    .docs
                    .peek(key)
                    .is_none_or(|s| s.version != snapshot.version)
                {
                    return;
                }
                let old = state.ids.get(key).cloned().flatten();
                let mut out = vec![publish::document(&mut state, &uri, &snapshot)];
                let new = state.ids.get(key).cloned().flatten();
                if publish::same_id(&mut state, key, old, new) {
                    tokio::spawn(publish::flush_stale(state_arc.clone(), client.clone()));
                }
                if registries {
                    out.extend(publish::registries(&mut state, false));
                }
                // A client that pulls asks for this document itself; the
                // others are refreshed when its id changed.
                if state.delivery.pull {
                    out.remove(0);
                }
                (state.delivery, out)
            };
            deliver(&client, publishes.0, publishes.1).await;
            super::allocator::after_work();
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
        let analysis = snapshot.analysis();
        let tokens = analysis::semantic_tokens::semantic_tokens(&text, &analysis.syntax, registry);
        Some(SemanticTokensResult::Tokens(convert::semantic_tokens(
            &tokens, &snapshot, &text, encoding,
        )))
    }

    /// The current document first, then the open documents and indexed
    /// files that may hold uses of `target`.
    fn candidates(
        &self,
        target: &navigate::Target,
        uri: &Uri,
        snapshot: &Arc<Snapshot>,
    ) -> Vec<File> {
        let state = self.state();
        let (open, open_paths) = state.open_files();
        let this = File::Open(uri.clone(), snapshot.clone());
        navigation::candidates(
            target,
            &this,
            &open,
            &open_paths,
            |id| state.workspace.mentioning(id),
            state.encoding(),
        )
    }

    /// The registry a registry URI names, read through the cache.
    fn registry_of(&self, uri: &Uri) -> Option<Arc<Loaded>> {
        let path = file_path(uri)?;
        let registries = self.state().registries.clone();
        registries.for_file(&path).filter(|l| l.path == path)
    }

    /// References from a registry: the mentions of the entity whose key is
    /// at the position, in the files under that registry.
    async fn registry_references(
        &self,
        pos: &TextDocumentPositionParams,
        include_declaration: bool,
    ) -> Result<Option<Vec<Location>>> {
        let Some(loaded) = self.registry_of(&pos.text_document.uri) else {
            return Ok(None);
        };
        let encoding = self.state().encoding();
        let offset =
            loaded
                .lines()
                .offset(loaded.text(), convert::line_col(pos.position), encoding);
        let Some(id) = loaded.entity_at(offset).map(|e| e.id().to_string()) else {
            return Ok(Some(Vec::new()));
        };
        self.before_searching().await;
        let files = {
            let state = self.state();
            let (open, open_paths) = state.open_files();
            navigation::mentioning(
                &id,
                Some(&loaded),
                &open,
                &open_paths,
                |id| state.workspace.mentioning(id),
                encoding,
            )
        };
        let cancel = Cancel::default();
        let _guard = cancel.on_drop();
        let found = tokio::task::spawn_blocking(move || {
            navigation::entity_references(
                &id,
                Some(&loaded),
                &files,
                include_declaration,
                encoding,
                &cancel,
            )
        })
        .await
        .map_err(|_| Error::internal_error())?
        .map_err(cancelled)?;
        Ok(Some(found))
    }

    /// The current document first, then every file of the collection that
    /// shares its registry (an entity's mentions only where it is mentioned).
    fn sharing(&self, uri: &Uri, snapshot: &Arc<Snapshot>, target: &navigate::Target) -> Vec<File> {
        if let navigate::Target::Entity(_) = target {
            return self.candidates(target, uri, snapshot);
        }
        let state = self.state();
        let this = File::Open(uri.clone(), snapshot.clone());
        let registry = snapshot.registry.as_ref().map(|r| r.path.clone());
        let mut files = vec![this];
        files.extend(state.all_files().into_iter().filter(|f| {
            f.registry().map(|r| r.path.clone()) == registry
                && !matches!(f, File::Open(u, _) if u == uri)
        }));
        files
    }

    /// Formats the current version of a document: one edit over the whole
    /// text, or none when it is formatted already.
    fn format_document(&self, uri: &Uri) -> Option<Vec<TextEdit>> {
        let (snapshot, encoding) = self.snapshot(uri)?;
        let text = snapshot.text();
        let formatted = format(&text, &snapshot.analysis().syntax);
        if formatted == *text {
            return Some(Vec::new());
        }
        let range = convert::range(&*snapshot, &(0..text.len()), encoding);
        Some(vec![TextEdit::new(range, formatted)])
    }
}
