//! Rules across documents: `duplicate-id`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::diagnostic::{Diagnostic, Related, Rule};
use crate::syntax::Document;

/// For every document whose `id` another document has too, the diagnostic
/// to add to it, by the document's index in `docs`.
pub fn duplicate_ids(docs: &[(&Path, &Document)]) -> Vec<(usize, Diagnostic)> {
    let mut by_id: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, (_, doc)) in docs.iter().enumerate() {
        if let Some(entry) = doc.header.as_ref().and_then(|h| h.first("id"))
            && !entry.value.is_empty()
        {
            by_id.entry(entry.value.as_str()).or_default().push(i);
        }
    }
    let id_span = |i: usize| {
        docs[i]
            .1
            .header
            .as_ref()
            .and_then(|h| h.first("id"))
            .map(|e| e.value_span.clone())
            .unwrap_or_default()
    };
    let mut out = Vec::new();
    for (id, holders) in by_id.into_iter().filter(|(_, h)| h.len() > 1) {
        for &i in &holders {
            let others: Vec<usize> = holders.iter().copied().filter(|&j| j != i).collect();
            let names: Vec<String> = others
                .iter()
                .map(|&j| docs[j].0.display().to_string())
                .collect();
            let mut d = Diagnostic::new(
                Rule::DuplicateId,
                id_span(i),
                format!("the id `{id}` is also used by {}", names.join(", ")),
            )
            .help("give each transcript its own id");
            d.related = others
                .iter()
                .map(|&j| Related {
                    file: Some(PathBuf::from(docs[j].0)),
                    span: id_span(j),
                    message: format!("`{id}` is also the id of this transcript"),
                })
                .collect();
            out.push((i, d));
        }
    }
    out.sort_by_key(|(i, _)| *i);
    out
}
