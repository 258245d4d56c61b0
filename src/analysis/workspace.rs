//! Rules across documents: `duplicate-id`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::diagnostic::{Diagnostic, Related, Rule};
use crate::syntax::{Document, Span};

/// The `id` of a document and the span of its value, when it has one.
pub fn id_of(doc: &Document) -> Option<(&str, Span)> {
    let entry = doc.header.as_ref()?.first("id")?;
    (!entry.value.is_empty()).then(|| (entry.value.as_str(), entry.value_span.clone()))
}

/// The diagnostic for a document whose `id` (at `span`) other documents
/// have too: each other one as its path and the span of its id.
pub fn duplicate_id(id: &str, span: Span, others: &[(&Path, Span)]) -> Option<Diagnostic> {
    if others.is_empty() {
        return None;
    }
    let names: Vec<String> = others
        .iter()
        .map(|(p, _)| p.display().to_string())
        .collect();
    let mut d = Diagnostic::new(
        Rule::DuplicateId,
        span,
        format!("the id `{id}` is also used by {}", names.join(", ")),
    )
    .help("give each transcript its own id");
    d.related = others
        .iter()
        .map(|(path, span)| Related {
            file: Some(PathBuf::from(path)),
            span: span.clone(),
            message: format!("`{id}` is also the id of this transcript"),
        })
        .collect();
    Some(d)
}

/// For every document whose `id` another document has too, the diagnostic
/// to add to it, by the document's index in `docs`.
pub fn duplicate_ids(docs: &[(&Path, &Document)]) -> Vec<(usize, Diagnostic)> {
    let ids: Vec<Option<(&str, Span)>> = docs.iter().map(|(_, d)| id_of(d)).collect();
    let mut by_id: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, id) in ids.iter().enumerate() {
        if let Some((id, _)) = id {
            by_id.entry(id).or_default().push(i);
        }
    }
    let mut out = Vec::new();
    for (i, id) in ids.iter().enumerate() {
        let Some((id, span)) = id else { continue };
        let others: Vec<(&Path, Span)> = by_id[id]
            .iter()
            .filter(|&&j| j != i)
            .filter_map(|&j| Some((docs[j].0, ids[j].as_ref()?.1.clone())))
            .collect();
        out.extend(duplicate_id(id, span.clone(), &others).map(|d| (i, d)));
    }
    out
}
