//! Navigation across the collection, translated into LSP: definition,
//! references, rename and workspace symbols. The facts come from the core
//! (`analysis::navigate`, `analysis::index`); this file gathers them from
//! the open documents and the workspace index and converts positions.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::Arc;

use tower_lsp_server::ls_types::*;

use super::convert;
use super::documents::{Documents, Snapshot};
use super::workspace::{IndexedFile, Workspace};
use crate::analysis::index::{FileFacts, file_facts, matches_query};
use crate::analysis::label_context;
use crate::analysis::navigate::{self, Target};
use crate::analysis::rename;
use crate::registry::Loaded;
use crate::syntax::Span;
use crate::text::{Encoding, LineIndex};

/// One file of the collection: an open document or a file from the index.
pub enum File {
    Open(Arc<Snapshot>),
    Disk(Arc<IndexedFile>),
}

impl File {
    fn facts(&self) -> Cow<'_, FileFacts> {
        match self {
            File::Open(s) => Cow::Owned(file_facts(&s.text(), &s.analysis.syntax)),
            File::Disk(f) => Cow::Borrowed(&f.facts),
        }
    }

    fn registry(&self) -> Option<&Arc<Loaded>> {
        match self {
            File::Open(s) => s.registry.as_ref(),
            File::Disk(f) => f.registry.as_ref(),
        }
    }

    fn range(&self, span: &Span, encoding: Encoding) -> Range {
        match self {
            File::Open(s) => convert::range(&**s, span, encoding),
            File::Disk(f) => convert::range(&convert::Text(&f.index, &f.text), span, encoding),
        }
    }
}

/// Every file of the collection once, open documents first; an indexed
/// file that is open is taken from the editor. Paths are canonical, so a
/// file opened through a link is the file the index has.
pub fn files(docs: &Documents, workspace: &Workspace) -> Vec<(Uri, File)> {
    let mut out = Vec::new();
    let mut open_paths: HashSet<&Path> = HashSet::new();
    for (key, path, snapshot) in docs.all() {
        if path.is_some_and(|p| !open_paths.insert(p)) {
            continue;
        }
        if let Ok(uri) = key.parse() {
            out.push((uri, File::Open(snapshot)));
        }
    }
    for (path, file) in &workspace.files {
        if !open_paths.contains(path.as_path())
            && let Some(uri) = convert::file_uri(path)
        {
            out.push((uri, File::Disk(file.clone())));
        }
    }
    out
}

fn same_registry(a: Option<&Arc<Loaded>>, b: Option<&Arc<Loaded>>) -> bool {
    a.map(|r| &r.path) == b.map(|r| &r.path)
}

fn registry_location(reg: &Loaded, span: &Span, encoding: Encoding) -> Option<Location> {
    let index = LineIndex::new(&reg.text);
    Some(Location::new(
        convert::file_uri(&reg.path)?,
        convert::range(&convert::Text(&index, &reg.text), span, encoding),
    ))
}

/// Where the target at `offset` is declared.
pub fn definition(
    snapshot: &Snapshot,
    uri: &Uri,
    offset: usize,
    encoding: Encoding,
) -> Option<Location> {
    let doc = &snapshot.analysis.syntax;
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
                let key = reg.registry.spans.key(&["speakers", &name])?;
                registry_location(reg, &(key.start + 1..key.end - 1), encoding)
            }
        },
    }
}

/// Every use of the target at `offset`: an entity's mentions across the
/// files that share this document's registry, or a speaker's turns in this file.
pub fn references(
    snapshot: &Snapshot,
    uri: &Uri,
    offset: usize,
    include_declaration: bool,
    all: &[(Uri, File)],
    encoding: Encoding,
) -> Vec<Location> {
    let doc = &snapshot.analysis.syntax;
    let Some((target, _)) = navigate::target_at(doc, offset) else {
        return Vec::new();
    };
    let here = |span: &Span| Location::new(uri.clone(), convert::range(snapshot, span, encoding));
    match target {
        Target::Entity(id) => {
            let mut out = Vec::new();
            if include_declaration
                && let Some(reg) = &snapshot.registry
                && let Some(span) = navigate::entity_declaration(reg, &id)
            {
                out.extend(registry_location(reg, &span, encoding));
            }
            for (file_uri, file) in all
                .iter()
                .filter(|(_, f)| same_registry(f.registry(), snapshot.registry.as_ref()))
            {
                if let Some(spans) = file.facts().mentions.get(&id) {
                    out.extend(
                        spans
                            .iter()
                            .map(|s| Location::new(file_uri.clone(), file.range(s, encoding))),
                    );
                }
            }
            out
        }
        Target::Speaker(name) => {
            let mut out: Vec<Location> = Vec::new();
            if include_declaration {
                out.extend(navigate::speaker_declaration(doc, &name).map(|s| here(&s)));
            }
            out.extend(navigate::speaker_labels(doc, &name).iter().map(here));
            out
        }
    }
}

/// The range and current name of what would be renamed at `offset`.
pub fn prepare_rename(
    snapshot: &Snapshot,
    offset: usize,
    encoding: Encoding,
) -> Result<(Range, String), String> {
    let doc = &snapshot.analysis.syntax;
    let (target, span) = navigate::target_at(doc, offset)
        .ok_or("nothing to rename here: place the cursor on an entity id or a speaker")?;
    if let Target::Entity(id) = &target {
        rename::check_entity(snapshot.registry.as_deref(), id, id)?;
    }
    let name = snapshot.slice(span.clone());
    Ok((convert::range(snapshot, &span, encoding), name))
}

/// The edits that rename the target at `offset` to `new_name`, computed by
/// the core over this document and the files that share its registry.
pub fn rename(
    snapshot: &Arc<Snapshot>,
    uri: &Uri,
    offset: usize,
    new_name: &str,
    all: &[(Uri, File)],
    encoding: Encoding,
) -> Result<WorkspaceEdit, String> {
    let doc = &snapshot.analysis.syntax;
    let (target, _) = navigate::target_at(doc, offset)
        .ok_or("nothing to rename here: place the cursor on an entity id or a speaker")?;
    let mut sharing: Vec<(&Uri, &File)> = all
        .iter()
        .filter(|(_, f)| same_registry(f.registry(), snapshot.registry.as_ref()))
        .map(|(u, f)| (u, f))
        .collect();
    let this = File::Open(snapshot.clone());
    let current = match sharing.iter().position(|(u, _)| *u == uri) {
        Some(i) => i,
        None => {
            sharing.push((uri, &this));
            sharing.len() - 1
        }
    };
    let facts: Vec<Cow<FileFacts>> = sharing.iter().map(|(_, f)| f.facts()).collect();
    let facts: Vec<&FileFacts> = facts.iter().map(|f| f.as_ref()).collect();
    let registry = snapshot.registry.as_deref();
    let collection = rename::Collection {
        files: &facts,
        current,
        registry,
    };
    let ctx = label_context(registry.map(|r| &r.registry));
    let edits = rename::rename(&target, new_name, doc, &ctx, &collection)?;
    let mut changes: HashMap<Uri, Vec<TextEdit>> = HashMap::new();
    let registry_index = registry.map(|r| (r, LineIndex::new(&r.text)));
    for edit in edits {
        let (uri, range) = match edit.place {
            rename::Place::File(i) => (
                sharing[i].0.clone(),
                sharing[i].1.range(&edit.span, encoding),
            ),
            rename::Place::Registry => {
                let Some((reg, index)) = &registry_index else {
                    continue;
                };
                let Some(uri) = convert::file_uri(&reg.path) else {
                    continue;
                };
                (
                    uri,
                    convert::range(&convert::Text(index, &reg.text), &edit.span, encoding),
                )
            }
        };
        changes
            .entry(uri)
            .or_default()
            .push(TextEdit::new(range, edit.text));
    }
    Ok(WorkspaceEdit {
        changes: Some(changes),
        ..Default::default()
    })
}

/// At most this many workspace symbols are returned for one query.
const MAX_SYMBOLS: usize = 1000;

/// Questions (by their text), sections and registry entities matching `query`.
#[allow(deprecated)] // `deprecated` is a required field of the LSP types.
pub fn workspace_symbols(
    query: &str,
    all: &[(Uri, File)],
    encoding: Encoding,
) -> Vec<SymbolInformation> {
    let mut out = Vec::new();
    let mut push =
        |name: String, kind: SymbolKind, location: Location, container: Option<String>| {
            out.push(SymbolInformation {
                name,
                kind,
                tags: None,
                deprecated: None,
                location,
                container_name: container,
            });
        };
    let mut registries: HashMap<&Path, &Loaded> = HashMap::new();
    for (uri, file) in all {
        let facts = file.facts();
        let file_name = uri.as_str().rsplit('/').next().map(str::to_string);
        for q in facts
            .questions
            .iter()
            .filter(|q| matches_query(&q.name, query))
        {
            push(
                q.name.clone(),
                SymbolKind::EVENT,
                Location::new(uri.clone(), file.range(&q.span, encoding)),
                file_name.clone(),
            );
        }
        for s in facts
            .sections
            .iter()
            .filter(|s| matches_query(&s.name, query))
        {
            push(
                s.name.clone(),
                SymbolKind::MODULE,
                Location::new(uri.clone(), file.range(&s.span, encoding)),
                file_name.clone(),
            );
        }
        if let Some(reg) = file.registry() {
            registries.insert(&reg.path, reg);
        }
    }
    for reg in registries.values() {
        for e in reg
            .registry
            .entities
            .values()
            .filter(|e| matches_query(&e.name, query) || matches_query(&e.id, query))
        {
            if let Some(span) = navigate::entity_declaration(reg, &e.id)
                && let Some(loc) = registry_location(reg, &span, encoding)
            {
                push(
                    format!("{} ({})", e.name, e.id),
                    SymbolKind::OBJECT,
                    loc,
                    e.kind.clone(),
                );
            }
        }
    }
    out.truncate(MAX_SYMBOLS);
    out
}
