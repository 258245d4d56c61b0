//! The outline: the header as `metadata`, sections nested by level, questions
//! (`Q<n> · first words…`) under their section, answers under their question.

use crate::syntax::{Document, Item, LabelKind, Span, Turn, plain_text};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SymbolKind {
    Metadata,
    Section,
    Question,
    Answer,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Symbol {
    pub name: String,
    pub detail: Option<String>,
    pub kind: SymbolKind,
    /// The whole element.
    pub span: Span,
    /// The part to select and reveal: a heading's text, a label.
    pub selection: Span,
    pub children: Vec<Symbol>,
}

/// About how long a question's name may be, in characters.
const NAME_CHARS: usize = 60;

pub fn outline(text: &str, doc: &Document) -> Vec<Symbol> {
    let mut builder = Builder::default();
    if let Some(header) = &doc.header {
        let title = header
            .first("title")
            .map(|e| e.value.clone())
            .filter(|t| !t.is_empty());
        builder.root.push(Symbol {
            name: "metadata".to_string(),
            detail: title,
            kind: SymbolKind::Metadata,
            span: header.span.clone(),
            selection: header.open.clone(),
            children: Vec::new(),
        });
    }
    let mut questions = 0;
    for item in &doc.items {
        match item {
            Item::Heading(h) => {
                builder.close_question();
                builder.close_sections(h.level);
                let name = if h.text.is_empty() {
                    "(untitled)".to_string()
                } else {
                    h.text.clone()
                };
                builder.sections.push((
                    h.level,
                    symbol(
                        name,
                        None,
                        SymbolKind::Section,
                        h.span.clone(),
                        h.text_span.clone(),
                    ),
                ));
            }
            Item::Turn(turn) => match &turn.label.kind {
                LabelKind::Question { attribution } => {
                    builder.close_question();
                    questions += 1;
                    let name = question_name(questions, text, turn);
                    let detail = attribution.as_ref().map(|(a, _)| a.clone());
                    builder.question = Some(symbol(
                        name,
                        detail,
                        SymbolKind::Question,
                        turn.span.clone(),
                        turn.label.span.clone(),
                    ));
                }
                LabelKind::Speaker => {
                    if let Some(q) = &mut builder.question {
                        q.span.end = turn.span.end;
                        let answer = symbol(
                            turn.label.name.clone(),
                            None,
                            SymbolKind::Answer,
                            turn.span.clone(),
                            turn.label.span.clone(),
                        );
                        q.children.push(answer);
                    }
                }
            },
            Item::Narration(_) => {}
        }
        builder.extend_sections(item_end(item));
    }
    builder.close_question();
    builder.close_sections(0);
    builder.root
}

fn item_end(item: &Item) -> usize {
    match item {
        Item::Heading(h) => h.span.end,
        Item::Narration(p) => p.span.end,
        Item::Turn(t) => t.span.end,
    }
}

fn symbol(
    name: String,
    detail: Option<String>,
    kind: SymbolKind,
    span: Span,
    selection: Span,
) -> Symbol {
    Symbol {
        name,
        detail,
        kind,
        span,
        selection,
        children: Vec::new(),
    }
}

/// `Q3 · first words of the question…`
pub fn question_name(n: usize, text: &str, turn: &Turn) -> String {
    let words = turn
        .paragraphs
        .first()
        .map(|p| plain_text(text, p))
        .unwrap_or_default();
    if words.is_empty() {
        return format!("Q{n}");
    }
    format!("Q{n} · {}", shorten(&words, NAME_CHARS))
}

/// `s` cut at a word boundary to about `max` characters, with `…` when cut.
pub fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut out = String::new();
    for word in s.split(' ') {
        if !out.is_empty() && out.chars().count() + 1 + word.chars().count() > max {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    if out.chars().count() > max || out.is_empty() {
        out = s.chars().take(max).collect();
    }
    let trimmed = out.trim_end_matches([',', ';', ':', '.', ' ']).len();
    out.truncate(trimmed);
    out.push('…');
    out
}

#[derive(Default)]
struct Builder {
    root: Vec<Symbol>,
    /// Open sections, outermost first, with their levels.
    sections: Vec<(usize, Symbol)>,
    question: Option<Symbol>,
}

impl Builder {
    fn container(&mut self) -> &mut Vec<Symbol> {
        match self.sections.last_mut() {
            Some((_, s)) => &mut s.children,
            None => &mut self.root,
        }
    }

    fn close_question(&mut self) {
        if let Some(q) = self.question.take() {
            self.container().push(q);
        }
    }

    /// Closes the open sections of `level` or deeper.
    fn close_sections(&mut self, level: usize) {
        while self.sections.last().is_some_and(|(l, _)| *l >= level) {
            let (_, section) = self.sections.pop().expect("checked above");
            self.container().push(section);
        }
    }

    fn extend_sections(&mut self, end: usize) {
        for (_, s) in &mut self.sections {
            s.span.end = s.span.end.max(end);
        }
    }
}
