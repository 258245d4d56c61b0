//! The facts of one file that a collection keeps instead of the file: its
//! entity mentions, speaker labels and declarations, questions, sections
//! and `id`, each with its place. The place is a byte span for a document in
//! hand, or, in a collection's index, a range of lines and columns (so that
//! the index holds no text). Repeated names are shared through an
//! [`Interner`], so a hundred thousand files that mention the same entity
//! hold its id once.

use std::collections::HashSet;
use std::sync::Arc;

use super::outline::{question_name, shorten};
use crate::syntax::{Document, Item, LabelKind, Span, plain_text, split_speaker};
use crate::text::LineCol;

/// A place as a range of lines and columns (in the collection's unit).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Range {
    pub start: LineCol,
    pub end: LineCol,
}

#[derive(Debug, Clone, PartialEq)]
pub struct FileFacts<P = Span> {
    /// Reference places of mentions, by entity id (built-in types
    /// included), sorted by id.
    pub mentions: Vec<(Arc<str>, P)>,
    pub questions: Vec<Named<P>>,
    pub sections: Vec<Named<P>>,
    /// The header's `id` value.
    pub id: Option<Named<P>>,
    /// Name places of speaker labels, by speaker, sorted by name.
    pub speakers: Vec<(Arc<str>, P)>,
    /// The speakers the header declares, with the place of each name.
    pub declared: Vec<(Arc<str>, P)>,
}

impl<P> Default for FileFacts<P> {
    fn default() -> Self {
        FileFacts {
            mentions: Vec::new(),
            questions: Vec::new(),
            sections: Vec::new(),
            id: None,
            speakers: Vec::new(),
            declared: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Named<P = Span> {
    pub name: Box<str>,
    /// The whole element.
    pub span: P,
    /// What to select: a label, a heading's text.
    pub selection: P,
}

/// The places under `key` in a list sorted by key.
fn under<'a, P>(list: &'a [(Arc<str>, P)], key: &'a str) -> impl Iterator<Item = &'a P> + 'a {
    let start = list.partition_point(|(k, _)| &**k < key);
    list[start..]
        .iter()
        .take_while(move |(k, _)| &**k == key)
        .map(|(_, p)| p)
}

impl<P> FileFacts<P> {
    /// The reference places of the mentions of `id`.
    pub fn mentions_of<'a>(&'a self, id: &'a str) -> impl Iterator<Item = &'a P> + 'a {
        under(&self.mentions, id)
    }

    /// The label places of the turns of speaker `name`.
    pub fn labels_of<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a P> + 'a {
        under(&self.speakers, name)
    }

    /// Whether the file has a turn of speaker `name`.
    pub fn has_speaker(&self, name: &str) -> bool {
        self.labels_of(name).next().is_some()
    }

    /// Where the header declares speaker `name`.
    pub fn declaration_of(&self, name: &str) -> Option<&P> {
        self.declared
            .iter()
            .find(|(n, _)| &**n == name)
            .map(|(_, p)| p)
    }

    /// The same facts with every place converted.
    pub fn map<Q>(self, mut f: impl FnMut(P) -> Q) -> FileFacts<Q> {
        let mut named = |n: Named<P>| Named {
            name: n.name,
            span: f(n.span),
            selection: f(n.selection),
        };
        let questions = self.questions.into_iter().map(&mut named).collect();
        let sections = self.sections.into_iter().map(&mut named).collect();
        let id = self.id.map(&mut named);
        let mut keyed = |list: Vec<(Arc<str>, P)>| -> Vec<(Arc<str>, Q)> {
            list.into_iter().map(|(k, p)| (k, f(p))).collect()
        };
        FileFacts {
            mentions: keyed(self.mentions),
            speakers: keyed(self.speakers),
            declared: keyed(self.declared),
            questions,
            sections,
            id,
        }
    }
}

/// Shares repeated names (entity ids, speakers) between the facts of many
/// files.
#[derive(Debug, Default)]
pub struct Interner(HashSet<Arc<str>>);

impl Interner {
    pub fn get(&mut self, s: &str) -> Arc<str> {
        if let Some(shared) = self.0.get(s) {
            return shared.clone();
        }
        let shared: Arc<str> = Arc::from(s);
        self.0.insert(shared.clone());
        shared
    }

    /// Forgets names no file uses any more.
    pub fn shrink(&mut self) {
        self.0.retain(|s| Arc::strong_count(s) > 1);
    }
}

/// Characters of question text kept for workspace symbols.
const QUESTION_CHARS: usize = 60;

/// The facts of a parsed document, with byte spans.
pub fn file_facts(text: &str, doc: &Document, names: &mut Interner) -> FileFacts {
    let mut facts = FileFacts::default();
    for m in doc.mentions() {
        facts
            .mentions
            .push((names.get(&m.reference), m.reference_span.clone()));
    }
    let mut n = 0;
    for item in &doc.items {
        match item {
            Item::Heading(h) if !h.text.is_empty() => facts.sections.push(Named {
                name: h.text.clone().into_boxed_str(),
                span: h.span.clone(),
                selection: h.text_span.clone(),
            }),
            Item::Turn(t) if t.label.kind == LabelKind::Speaker => facts
                .speakers
                .push((names.get(&t.label.name), t.label.name_span.clone())),
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
                facts.questions.push(Named {
                    name: name.into_boxed_str(),
                    span: t.span.clone(),
                    selection: t.label.span.clone(),
                });
            }
            _ => {}
        }
    }
    // Sorted by key, stably: places of one key stay in document order.
    facts.mentions.sort_by(|a, b| a.0.cmp(&b.0));
    facts.speakers.sort_by(|a, b| a.0.cmp(&b.0));
    if let Some(h) = &doc.header {
        for e in h.get("speaker") {
            let (name, _) = split_speaker(&e.value);
            let span = e.value_span.start..e.value_span.start + name.len();
            facts.declared.push((names.get(name), span));
        }
        facts.id = h
            .first("id")
            .filter(|e| !e.value.is_empty())
            .map(|e| Named {
                name: e.value.clone().into_boxed_str(),
                span: e.line_span.clone(),
                selection: e.value_span.clone(),
            });
    }
    facts.mentions.shrink_to_fit();
    facts.speakers.shrink_to_fit();
    facts.questions.shrink_to_fit();
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::{LabelContext, parse};

    #[test]
    fn facts_are_found_by_key_and_names_shared() {
        let text = "---\ntitle: T\ndate: 2016-07-26\nspeaker: Anna Smith (host)\nid: x\n---\n\n# Q&A\n\nQuestion: Did [Mr K]{kerry} and [A]{asean} meet [K]{kerry}?\n\nAnna Smith: Yes.\n\nAnna Smith: Twice.\n";
        let doc = parse(text, &LabelContext::default());
        let mut names = Interner::default();
        let a = file_facts(text, &doc, &mut names);
        let b = file_facts(text, &doc, &mut names);
        let spans: Vec<&str> = a.mentions_of("kerry").map(|s| &text[s.clone()]).collect();
        assert_eq!(spans, ["kerry", "kerry"]);
        assert_eq!(a.labels_of("Anna Smith").count(), 2);
        assert_eq!(
            a.declaration_of("Anna Smith").map(|s| &text[s.clone()]),
            Some("Anna Smith")
        );
        assert_eq!(a.id.as_ref().map(|n| &*n.name), Some("x"));
        assert_eq!(&*a.questions[0].name, "Q1 · Did Mr K and A meet K?");
        assert!(
            Arc::ptr_eq(&a.mentions[0].0, &b.mentions[0].0),
            "ids are shared"
        );
        let lines = a.map(|s| s.start);
        assert_eq!(lines.mentions.len(), 3);
    }
}
