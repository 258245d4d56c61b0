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

/// How many of the other files with the same `id` a `duplicate-id`
/// diagnostic names and points at; the rest are counted. Keeps a report
/// linear in the number of files however many share an id.
pub const MAX_RELATED: usize = 3;

/// The diagnostic for a document whose `id` (at `span`) `total` other
/// documents have too, of which `others` (each its path and the span of its
/// id) are the first few; at most [`MAX_RELATED`] of them are named.
pub fn duplicate_id(
    id: &str,
    span: Span,
    others: &[(&Path, Span)],
    total: usize,
) -> Option<Diagnostic> {
    if others.is_empty() || total == 0 {
        return None;
    }
    let named = &others[..others.len().min(MAX_RELATED)];
    let mut names: Vec<String> = named.iter().map(|(p, _)| p.display().to_string()).collect();
    let more = total.saturating_sub(named.len());
    let list = match (names.pop(), more) {
        (Some(last), 0) if names.is_empty() => last,
        (Some(last), 0) => format!("{} and {last}", names.join(", ")),
        (Some(last), n) => {
            names.push(last);
            let other = if n == 1 {
                "other transcript"
            } else {
                "other transcripts"
            };
            format!("{} and {n} {other}", names.join(", "))
        }
        (None, _) => String::new(),
    };
    let mut d = Diagnostic::new(
        Rule::DuplicateId,
        span,
        format!("the id `{id}` is also used by {list}"),
    )
    .help("give each transcript its own id");
    d.related = named
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
/// to add to it, by the document's index in `docs`. Linear in the number of
/// documents: each names at most [`MAX_RELATED`] others.
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
        let group = &by_id[id];
        let others: Vec<(&Path, Span)> = group
            .iter()
            .filter(|&&j| j != i)
            .take(MAX_RELATED)
            .filter_map(|&j| Some((docs[j].0, ids[j].as_ref()?.1.clone())))
            .collect();
        out.extend(duplicate_id(id, span.clone(), &others, group.len() - 1).map(|d| (i, d)));
    }
    out
}
