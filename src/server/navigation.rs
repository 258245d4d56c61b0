//! Navigation across the collection, translated into LSP: definition,
//! references, rename and workspace symbols. The facts come from the core
//! (`analysis::navigate`, `analysis::index`, `analysis::rename`); this file
//! gathers them from the open documents and the workspace index and
//! converts positions. Work over the collection checks a cancellation token.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tower_lsp_server::ls_types::*;

use super::convert;
use super::documents::Snapshot;
use super::workspace::IndexedFile;
use crate::analysis::index::{FileFacts, Range as Place, matches_query};
use crate::analysis::label_context;
use crate::analysis::navigate::{self, Target};
use crate::analysis::rename;
use crate::cancel::{Cancel, Cancellable};
use crate::registry::Loaded;
use crate::syntax::Span;
use crate::text::Encoding;

/// One file of the collection: an open document or a file from the index.
#[derive(Clone)]
pub enum File {
    Open(Uri, Arc<Snapshot>),
    Disk(Arc<IndexedFile>),
}

impl File {
    pub fn uri(&self) -> Option<Uri> {
        match self {
            File::Open(uri, _) => Some(uri.clone()),
            File::Disk(f) => convert::file_uri(&f.path),
        }
    }

    pub fn facts(&self, encoding: Encoding) -> &FileFacts<Place> {
        match self {
            File::Open(_, s) => s.facts(encoding),
            File::Disk(f) => &f.facts,
        }
    }

    pub fn registry(&self) -> Option<&Arc<Loaded>> {
        match self {
            File::Open(_, s) => s.registry.as_ref(),
            File::Disk(f) => f.registry.as_ref(),
        }
    }
}

fn same_registry(a: Option<&Arc<Loaded>>, b: Option<&Arc<Loaded>>) -> bool {
    a.map(|r| &r.path) == b.map(|r| &r.path)
}

fn registry_location(reg: &Loaded, span: &Span, encoding: Encoding) -> Option<Location> {
    Some(Location::new(
        convert::file_uri(&reg.path)?,
        convert::range(&convert::Text(reg.lines(), reg.text()), span, encoding),
    ))
}

/// Where the target at `offset` is declared.
pub fn definition(
    snapshot: &Snapshot,
    doc: &crate::syntax::Document,
    uri: &Uri,
    offset: usize,
    encoding: Encoding,
) -> Option<Location> {
    match navigate::target_at(doc, offset)?.0 {
        Target::Entity(id) => {
            let reg = snapshot.registry.as_ref()?;
            registry_location(reg, &navigate::entity_declaration(reg, &id)?, encoding)
        }
        Target::Speaker(name) => match navigate::speaker_declaration(doc, &name) {
            Some(span) => Some(Location::new(
                uri.clone(),
                convert::range(snapshot, &span, encoding),
            )),
            None => {
                let reg = snapshot.registry.as_ref()?;
                let key = reg.registry.speakers.get(&name)?.key_span.clone();
                registry_location(reg, &(key.start + 1..key.end - 1), encoding)
            }
        },
    }
}

/// The files that may hold uses of `target`: for an entity, the open
/// documents and the indexed files that mention it, sharing this document's
/// registry; for a speaker, this document alone (the current one first).
/// `open` are the open documents, `open_paths` their files (an indexed file
/// that is open is taken from the editor).
pub fn candidates(
    target: &Target,
    this: &File,
    open: &[File],
    open_paths: &HashSet<PathBuf>,
    index: impl FnOnce(&str) -> Vec<Arc<IndexedFile>>,
    encoding: Encoding,
) -> Vec<File> {
    let mut out = vec![this.clone()];
    if let Target::Entity(id) = target {
        let mut others = mentioning(id, this.registry(), open, open_paths, index, encoding);
        let this_uri = this.uri();
        others.retain(|f| !matches!(f, File::Open(uri, _) if Some(uri) == this_uri.as_ref()));
        out.extend(others);
    }
    out
}

/// The files under `registry` that mention entity `id`: the open ones that
/// do, then those of the index (`index(id)`, the files that did when read)
/// that are not open.
pub fn mentioning(
    id: &str,
    registry: Option<&Arc<Loaded>>,
    open: &[File],
    open_paths: &HashSet<PathBuf>,
    index: impl FnOnce(&str) -> Vec<Arc<IndexedFile>>,
    encoding: Encoding,
) -> Vec<File> {
    let mut out: Vec<File> = open
        .iter()
        .filter(|f| {
            same_registry(f.registry(), registry)
                && f.facts(encoding).mentions_of(id).next().is_some()
        })
        .cloned()
        .collect();
    for f in index(id) {
        if !open_paths.contains(&*f.path) && same_registry(f.registry.as_ref(), registry) {
            out.push(File::Disk(f));
        }
    }
    out
}

/// Every use of the target: an entity's mentions across `files` (and its
/// registry entry when the declaration is included), or a speaker's labels
/// (and declaration) in the current document, `files[0]`.
pub fn references(
    target: &Target,
    files: &[File],
    include_declaration: bool,
    encoding: Encoding,
    cancel: &Cancel,
) -> Cancellable<Vec<Location>> {
    let Some(this) = files.first() else {
        return Ok(Vec::new());
    };
    let name = match target {
        Target::Entity(id) => {
            let registry = this.registry().map(|r| &**r);
            return entity_references(id, registry, files, include_declaration, encoding, cancel);
        }
        Target::Speaker(name) => name,
    };
    let mut out = Vec::new();
    let (Some(uri), facts) = (this.uri(), this.facts(encoding)) else {
        return Ok(out);
    };
    if include_declaration {
        out.extend(
            facts
                .declaration_of(name)
                .map(|p| Location::new(uri.clone(), convert::lsp_range(p))),
        );
    }
    out.extend(
        facts
            .labels_of(name)
            .map(|p| Location::new(uri.clone(), convert::lsp_range(p))),
    );
    Ok(out)
}

/// The mentions of entity `id` across `files`, after its entry in
/// `registry` when the declaration is included.
pub fn entity_references(
    id: &str,
    registry: Option<&Loaded>,
    files: &[File],
    include_declaration: bool,
    encoding: Encoding,
    cancel: &Cancel,
) -> Cancellable<Vec<Location>> {
    let mut out = Vec::new();
    if include_declaration
        && let Some(reg) = registry
        && let Some(span) = navigate::entity_declaration(reg, id)
    {
        out.extend(registry_location(reg, &span, encoding));
    }
    for (n, file) in files.iter().enumerate() {
        if n % 256 == 0 {
            cancel.check()?;
        }
        let Some(uri) = file.uri() else { continue };
        out.extend(
            file.facts(encoding)
                .mentions_of(id)
                .map(|p| Location::new(uri.clone(), convert::lsp_range(p))),
        );
    }
    Ok(out)
}

/// The range and current name of what would be renamed at `offset`.
pub fn prepare_rename(
    snapshot: &Snapshot,
    doc: &crate::syntax::Document,
    offset: usize,
    encoding: Encoding,
) -> Result<(Range, String), String> {
    let (target, span) = navigate::target_at(doc, offset)
        .ok_or("nothing to rename here: place the cursor on an entity id or a speaker")?;
    if let Target::Entity(id) = &target {
        rename::check_entity(snapshot.registry.as_deref(), id, id)?;
    }
    let name = snapshot.slice(span.clone());
    Ok((convert::range(snapshot, &span, encoding), name))
}

/// The edits that rename `target` to `new_name`, computed by the core over
/// `files` (the current document first; for a speaker declared in the
/// registry, every file that shares it).
pub fn rename(
    target: &Target,
    new_name: &str,
    files: &[File],
    encoding: Encoding,
) -> Result<WorkspaceEdit, String> {
    let this = &files[0];
    let facts: Vec<&FileFacts<Place>> = files.iter().map(|f| f.facts(encoding)).collect();
    let registry = this.registry().map(Arc::as_ref);
    let collection = rename::Collection {
        files: &facts,
        current: 0,
        registry,
    };
    let ctx = label_context(registry.map(|r| &r.registry));
    let edits = rename::rename(target, new_name, &ctx, &collection)?;
    // Each file's URI once, not once per edit (250,000 edits in 50,000 files).
    let mut uris: Vec<Option<Option<Uri>>> = vec![None; files.len()];
    let mut changes: HashMap<Uri, Vec<TextEdit>> = HashMap::new();
    for edit in edits {
        let (uri, range, text) = match edit {
            rename::Edit::File { file, at, text } => {
                let Some(uri) = uris[file].get_or_insert_with(|| files[file].uri()).clone() else {
                    continue;
                };
                (uri, convert::lsp_range(&at), text)
            }
            rename::Edit::Registry { span, text } => {
                let Some(reg) = registry else { continue };
                let Some(loc) = registry_location(reg, &span, encoding) else {
                    continue;
                };
                (loc.uri, loc.range, text)
            }
        };
        changes
            .entry(uri)
            .or_default()
            .push(TextEdit::new(range, text));
    }
    Ok(WorkspaceEdit {
        changes: Some(changes),
        ..Default::default()
    })
}

/// Questions (by their text), sections and registry entities matching
/// `query`, best first, at most `limit`: entities from each registry's
/// index; questions and sections ranked by where the query matches.
#[allow(deprecated)] // `deprecated` is a required field of the LSP types.
pub fn workspace_symbols(
    query: &str,
    files: &[File],
    limit: usize,
    encoding: Encoding,
    cancel: &Cancel,
) -> Cancellable<Vec<SymbolInformation>> {
    let symbol = |name: String, kind: SymbolKind, location: Location, container: Option<String>| {
        SymbolInformation {
            name,
            kind,
            tags: None,
            deprecated: None,
            location,
            container_name: container,
        }
    };
    // Ranked: a match at the start, then at a word start, then anywhere in order.
    let mut found: Vec<(u8, SymbolInformation)> = Vec::new();
    let folded = query.to_lowercase();
    let rank = |name: &str| -> Option<u8> {
        if !matches_query(name, query) {
            return None;
        }
        let lower = name.to_lowercase();
        Some(if lower.starts_with(&folded) {
            0
        } else if lower.contains(&format!(" {folded}")) {
            1
        } else {
            2
        })
    };
    let mut registries: HashMap<&Path, &Loaded> = HashMap::new();
    for (n, file) in files.iter().enumerate() {
        if n % 256 == 0 {
            cancel.check()?;
        }
        let Some(uri) = file.uri() else { continue };
        let facts = file.facts(encoding);
        let file_name = uri.as_str().rsplit('/').next().map(str::to_string);
        let named = facts
            .questions
            .iter()
            .map(|q| (q, SymbolKind::EVENT))
            .chain(facts.sections.iter().map(|s| (s, SymbolKind::MODULE)));
        for (item, kind) in named {
            if let Some(r) = rank(&item.name) {
                let location = Location::new(uri.clone(), convert::lsp_range(&item.span));
                found.push((
                    r,
                    symbol(item.name.to_string(), kind, location, file_name.clone()),
                ));
            }
        }
        // Keep the best few as we go, so that the list stays small.
        if found.len() > limit * 4 {
            found.sort_by_key(|(r, _)| *r);
            found.truncate(limit);
        }
        if let Some(reg) = file.registry() {
            registries.insert(&reg.path, reg);
        }
    }
    let mut out: Vec<(u8, SymbolInformation)> = Vec::new();
    for reg in registries.values() {
        let hits = reg.registry.search(query, limit);
        for (i, m) in hits.hits {
            let Some(e) = reg.registry.entities.at(i) else {
                continue;
            };
            let key = e.key_span();
            if let Some(loc) = registry_location(reg, &(key.start + 1..key.end - 1), encoding) {
                let r = match m {
                    crate::registry::Match::Exact | crate::registry::Match::Prefix => 0,
                    crate::registry::Match::WordStart => 1,
                    crate::registry::Match::Typo => 2,
                };
                out.push((
                    r,
                    symbol(
                        format!("{} ({})", e.name(), e.id()),
                        SymbolKind::OBJECT,
                        loc,
                        e.kind().map(str::to_string),
                    ),
                ));
            }
        }
    }
    out.extend(found);
    out.sort_by_key(|(r, _)| *r);
    out.truncate(limit);
    Ok(out.into_iter().map(|(_, s)| s).collect())
}
