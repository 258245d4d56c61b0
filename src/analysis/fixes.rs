//! Quick fixes: the edits that fix a diagnostic, routed on its rule (never on
//! its message), and annotating a plain-text name of a registry entity.

use super::Diagnostic;
use crate::diagnostic::Rule;
use crate::registry::Registry;
use crate::syntax::{Document, Inline, Span};

/// A named set of edits to one document's text.
#[derive(Debug, Clone, PartialEq)]
pub struct Fix {
    pub title: String,
    pub edits: Vec<(Span, String)>,
    /// The one fix an editor may apply without asking (the best suggestion).
    pub preferred: bool,
}

impl Fix {
    fn new(title: String, edits: Vec<(Span, String)>, preferred: bool) -> Self {
        Fix {
            title,
            edits,
            preferred,
        }
    }

    /// The text with the edits applied (edits must not overlap).
    pub fn apply(&self, text: &str) -> String {
        let mut edits = self.edits.clone();
        edits.sort_by_key(|(span, _)| std::cmp::Reverse(span.start));
        let mut out = text.to_string();
        for (span, new) in edits {
            out.replace_range(span, &new);
        }
        out
    }
}

/// The file's line ending, as its first line has it.
fn eol(text: &str) -> &'static str {
    match text.find('\n') {
        Some(i) if i > 0 && text.as_bytes()[i - 1] == b'\r' => "\r\n",
        _ => "\n",
    }
}

/// Inserts a header line before the closing `---`.
fn header_line(text: &str, doc: &Document, line: String) -> Option<(Span, String)> {
    let close = doc.header.as_ref()?.close.as_ref()?;
    Some((close.start..close.start, format!("{line}{}", eol(text))))
}

pub fn fixes(text: &str, doc: &Document, d: &Diagnostic) -> Vec<Fix> {
    let mut out: Vec<Fix> = d
        .suggestions
        .iter()
        .enumerate()
        .map(|(i, s)| {
            Fix::new(
                format!("Replace with `{s}`"),
                vec![(d.span.clone(), s.clone())],
                i == 0,
            )
        })
        .collect();
    match d.rule {
        Rule::MissingKey => {
            if let Some(key) = &d.subject
                && let Some(edit) = header_line(text, doc, format!("{key}: "))
            {
                out.push(Fix::new(
                    format!("Add `{key}:` to the header"),
                    vec![edit],
                    false,
                ));
            }
        }
        Rule::UndeclaredSpeaker => {
            let name = &text[d.span.clone()];
            if let Some(edit) = header_line(text, doc, format!("speaker: {name}")) {
                out.push(Fix::new(
                    format!("Declare `{name}` in the header"),
                    vec![edit],
                    out.is_empty(),
                ));
            }
        }
        Rule::UnclosedHeader => {
            if let Some(h) = &doc.header {
                let end = h.span.end;
                out.push(Fix::new(
                    "Close the header with `---`".to_string(),
                    vec![(end..end, format!("{}---", eol(text)))],
                    true,
                ));
            }
        }
        _ => {}
    }
    out
}

/// Fixes that annotate a registry entity's name or alias written as plain
/// text where `range` touches it: `Mr Kerry` -> `[Mr Kerry]{kerry}`.
pub fn annotations(text: &str, doc: &Document, registry: &Registry, range: Span) -> Vec<Fix> {
    let mut out = Vec::new();
    for p in doc
        .paragraphs()
        .filter(|p| p.span.start <= range.end && range.start <= p.span.end)
    {
        for inline in &p.inlines {
            let Inline::Text(span) = inline else { continue };
            if span.end < range.start || range.end < span.start {
                continue;
            }
            let segment = &text[span.clone()];
            for (found, entity) in registry.index.names_in(&registry.entities, segment) {
                let found = span.start + found.start..span.start + found.end;
                let touches = found.start <= range.end && range.start <= found.end;
                let Some(e) = registry.entities.at(entity).filter(|_| touches) else {
                    continue;
                };
                let (name, id) = (&text[found.clone()], e.id());
                out.push(Fix::new(
                    format!("Annotate `{name}` as a mention of `{id}`"),
                    vec![(found, format!("[{name}]{{{id}}}"))],
                    false,
                ));
            }
        }
    }
    out
}
