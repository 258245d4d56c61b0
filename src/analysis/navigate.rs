//! Navigation facts: what names the element at a position (an entity or a
//! speaker), where it is declared and where it is used (renaming is in
//! `rename`).
//! Everything here works on one document or on the facts of many; the
//! server supplies the workspace.

use crate::registry::{ENTITY_TYPES, Loaded};
use crate::syntax::{Document, Inline, Item, LabelKind, Span, split_speaker};

/// A name that can be followed to its declaration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A registry entity, by id.
    Entity(String),
    /// A speaker, by name.
    Speaker(String),
}

/// The target at `offset` and the span that names it there: a mention (its
/// reference for an entity id), a speaker label, or a `speaker:` declaration.
pub fn target_at(doc: &Document, offset: usize) -> Option<(Target, Span)> {
    if let Some(header) = &doc.header {
        for e in header.get("speaker") {
            let (name, _) = split_speaker(&e.value);
            let name_span = e.value_span.start..e.value_span.start + name.len();
            if name_span.contains(&offset) || (offset == name_span.end && !name.is_empty()) {
                return Some((Target::Speaker(name.to_string()), name_span));
            }
        }
    }
    for item in &doc.items {
        let (paragraphs, label) = match item {
            Item::Turn(t) => (t.paragraphs.as_slice(), Some(&t.label)),
            Item::Narration(p) => (std::slice::from_ref(p), None),
            Item::Heading(_) => continue,
        };
        if let Some(label) = label
            && label.kind == LabelKind::Speaker
            && (label.name_span.contains(&offset) || offset == label.name_span.end)
        {
            return Some((Target::Speaker(label.name.clone()), label.name_span.clone()));
        }
        for p in paragraphs
            .iter()
            .filter(|p| p.span.start <= offset && offset <= p.span.end)
        {
            for inline in &p.inlines {
                if let Inline::Mention(m) = inline
                    && (m.span.contains(&offset) || offset == m.span.end)
                    && !ENTITY_TYPES.contains(&m.reference.as_str())
                {
                    return Some((
                        Target::Entity(m.reference.clone()),
                        m.reference_span.clone(),
                    ));
                }
            }
        }
    }
    None
}

/// Where a speaker is declared in this document: the name in its `speaker:` line.
pub fn speaker_declaration(doc: &Document, name: &str) -> Option<Span> {
    doc.header.as_ref()?.get("speaker").find_map(|e| {
        let (n, _) = split_speaker(&e.value);
        (n == name).then(|| e.value_span.start..e.value_span.start + n.len())
    })
}

/// The label of every turn of `name` in this document.
pub fn speaker_labels(doc: &Document, name: &str) -> Vec<Span> {
    doc.turns()
        .filter(|t| t.label.kind == LabelKind::Speaker && t.label.name == name)
        .map(|t| t.label.name_span.clone())
        .collect()
}

/// The reference span of every mention of entity `id` in this document.
pub fn entity_references(doc: &Document, id: &str) -> Vec<Span> {
    doc.mentions()
        .filter(|m| m.reference == id)
        .map(|m| m.reference_span.clone())
        .collect()
}

/// The id of an entity in its registry file: the key's text without quotes.
pub fn entity_declaration(registry: &Loaded, id: &str) -> Option<Span> {
    let key = registry.registry.spans.key(&["entities", id])?;
    Some(key.start + 1..key.end - 1)
}
