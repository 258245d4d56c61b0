//! The facts of one file that the workspace index keeps: entity mentions,
//! questions, sections and the `id`, for navigation and workspace symbols
//! across a collection.

use std::collections::BTreeMap;

use super::outline::{question_name, shorten};
use crate::syntax::{Document, Item, LabelKind, Span, plain_text, speaker_name};

#[derive(Debug, Clone, Default, PartialEq)]
pub struct FileFacts {
    /// Reference spans of mentions, by entity id (built-in types included).
    pub mentions: BTreeMap<String, Vec<Span>>,
    pub questions: Vec<NamedSpan>,
    pub sections: Vec<NamedSpan>,
    /// The header's `id` value.
    pub id: Option<NamedSpan>,
    /// Name spans of speaker labels, by speaker.
    pub speakers: BTreeMap<String, Vec<Span>>,
    /// The speakers the header declares.
    pub declared: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NamedSpan {
    pub name: String,
    /// The whole element.
    pub span: Span,
    /// What to select: a label, a heading's text.
    pub selection: Span,
}

/// Characters of question text kept for workspace symbols.
const QUESTION_CHARS: usize = 120;

pub fn file_facts(text: &str, doc: &Document) -> FileFacts {
    let mut facts = FileFacts::default();
    for m in doc.mentions() {
        facts
            .mentions
            .entry(m.reference.clone())
            .or_default()
            .push(m.reference_span.clone());
    }
    let mut n = 0;
    for item in &doc.items {
        match item {
            Item::Heading(h) if !h.text.is_empty() => facts.sections.push(NamedSpan {
                name: h.text.clone(),
                span: h.span.clone(),
                selection: h.text_span.clone(),
            }),
            Item::Turn(t) if t.label.kind == LabelKind::Speaker => facts
                .speakers
                .entry(t.label.name.clone())
                .or_default()
                .push(t.label.name_span.clone()),
            Item::Turn(t) if t.is_question() => {
                n += 1;
                let words = t
                    .paragraphs
                    .first()
                    .map(|p| plain_text(text, p))
                    .unwrap_or_default();
                let name = if words.is_empty() {
                    question_name(n, text, t)
                } else {
                    format!("Q{n} · {}", shorten(&words, QUESTION_CHARS))
                };
                facts.questions.push(NamedSpan {
                    name,
                    span: t.span.clone(),
                    selection: t.label.span.clone(),
                });
            }
            _ => {}
        }
    }
    facts.declared = doc
        .header
        .iter()
        .flat_map(|h| h.get("speaker"))
        .map(|e| speaker_name(&e.value).to_string())
        .collect();
    facts.id = doc
        .header
        .as_ref()
        .and_then(|h| h.first("id"))
        .filter(|e| !e.value.is_empty())
        .map(|e| NamedSpan {
            name: e.value.clone(),
            span: e.line_span.clone(),
            selection: e.value_span.clone(),
        });
    facts
}

/// Whether `name` matches a workspace-symbol query: every character of the
/// query appears in order, ignoring case (an empty query matches everything).
pub fn matches_query(name: &str, query: &str) -> bool {
    let mut chars = name.chars().flat_map(char::to_lowercase);
    query
        .chars()
        .flat_map(char::to_lowercase)
        .filter(|c| !c.is_whitespace())
        .all(|q| chars.any(|c| c == q))
}
