//! The body as the units a researcher counts: every turn and every narration
//! paragraph, in document order, with its section, its kind (question,
//! answer, remark, narration) and the number of the question it asks or
//! answers. Read off the outline, so that sections, question numbers and
//! answers are the ones the editor shows. Plain data, for export and stats.

use std::collections::HashMap;

use super::outline::{Symbol, SymbolKind, outline};
use crate::syntax::{Document, Heading, Item, Label, LabelKind, Paragraph, Span};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TurnKind {
    /// A turn with a question label.
    Question,
    /// A speaker's turn after a question, before the next question or heading.
    Answer,
    /// A speaker's turn that answers no question (opening remarks).
    Remark,
    /// A paragraph outside any turn.
    Narration,
}

impl TurnKind {
    pub fn name(self) -> &'static str {
        match self {
            TurnKind::Question => "question",
            TurnKind::Answer => "answer",
            TurnKind::Remark => "remark",
            TurnKind::Narration => "narration",
        }
    }
}

/// A section: its heading and the section it is in.
#[derive(Debug, Clone, PartialEq)]
pub struct Section<'a> {
    pub heading: &'a Heading,
    /// The index of the enclosing section, in [`Body::sections`].
    pub parent: Option<usize>,
}

/// A turn or a narration paragraph.
#[derive(Debug, Clone, PartialEq)]
pub struct BodyTurn<'a> {
    pub kind: TurnKind,
    /// The label; `None` for narration.
    pub label: Option<&'a Label>,
    pub paragraphs: &'a [Paragraph],
    pub span: Span,
    /// The innermost section it is in, an index into [`Body::sections`].
    pub section: Option<usize>,
    /// The number (from 1, as in the outline's `Q<n>`) of the question this
    /// turn asks (a question) or answers (an answer).
    pub question: Option<usize>,
}

impl BodyTurn<'_> {
    /// The question's attribution: `RIA Novosti` in `Question (RIA Novosti):`.
    pub fn attribution(&self) -> Option<&str> {
        match &self.label?.kind {
            LabelKind::Question { attribution } => attribution.as_ref().map(|(a, _)| a.as_str()),
            LabelKind::Speaker => None,
        }
    }

    /// The number of the question this turn asks.
    pub fn asks(&self) -> Option<usize> {
        self.question.filter(|_| self.kind == TurnKind::Question)
    }

    /// The number of the question this turn answers.
    pub fn answers(&self) -> Option<usize> {
        self.question.filter(|_| self.kind == TurnKind::Answer)
    }
}

/// The sections (in document order, parents first) and the turns of a body.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Body<'a> {
    pub sections: Vec<Section<'a>>,
    pub turns: Vec<BodyTurn<'a>>,
}

impl Body<'_> {
    /// The titles of the sections from the outermost to `section`.
    pub fn section_path(&self, section: Option<usize>) -> Vec<&str> {
        let mut path = Vec::new();
        let mut at = section;
        while let Some(i) = at {
            path.push(self.sections[i].heading.text.as_str());
            at = self.sections[i].parent;
        }
        path.reverse();
        path
    }
}

/// What the outline says of the element it selects at a byte offset.
#[derive(Debug, Clone, Copy)]
enum Role {
    Section { index: usize, parent: Option<usize> },
    Question(usize),
    Answer(usize),
}

pub fn body<'a>(text: &str, doc: &'a Document) -> Body<'a> {
    let mut roles = HashMap::new();
    collect_roles(&outline(text, doc), None, &mut 0, &mut 0, &mut roles);
    let mut body = Body::default();
    let mut section = None;
    for item in &doc.items {
        match item {
            Item::Heading(h) => {
                if let Some(Role::Section { index, parent }) = roles.get(&h.text_span.start) {
                    debug_assert_eq!(*index, body.sections.len());
                    body.sections.push(Section {
                        heading: h,
                        parent: *parent,
                    });
                    section = Some(*index);
                }
            }
            Item::Narration(p) => body.turns.push(BodyTurn {
                kind: TurnKind::Narration,
                label: None,
                paragraphs: std::slice::from_ref(p),
                span: p.span.clone(),
                section,
                question: None,
            }),
            Item::Turn(t) => {
                let (kind, question) = match roles.get(&t.label.span.start) {
                    Some(Role::Question(n)) => (TurnKind::Question, Some(*n)),
                    Some(Role::Answer(n)) => (TurnKind::Answer, Some(*n)),
                    _ => (TurnKind::Remark, None),
                };
                body.turns.push(BodyTurn {
                    kind,
                    label: Some(&t.label),
                    paragraphs: &t.paragraphs,
                    span: t.span.clone(),
                    section,
                    question,
                });
            }
        }
    }
    body
}

/// Walks the outline in document order, numbering sections and questions,
/// and notes the role of each element by the start of its selection (a
/// heading's text, a label: no two elements share one).
fn collect_roles(
    symbols: &[Symbol],
    parent: Option<usize>,
    sections: &mut usize,
    questions: &mut usize,
    roles: &mut HashMap<usize, Role>,
) {
    for s in symbols {
        match s.kind {
            SymbolKind::Metadata => {}
            SymbolKind::Section => {
                let index = *sections;
                *sections += 1;
                roles.insert(s.selection.start, Role::Section { index, parent });
                collect_roles(&s.children, Some(index), sections, questions, roles);
            }
            SymbolKind::Question => {
                *questions += 1;
                roles.insert(s.selection.start, Role::Question(*questions));
                for answer in &s.children {
                    roles.insert(answer.selection.start, Role::Answer(*questions));
                }
            }
            SymbolKind::Answer => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::{LabelContext, parse};

    #[test]
    fn kinds_sections_and_question_numbers() {
        let text = "---\ntitle: t\ndate: 2017-06-16\n---\n\
            Before any section.\n\n\
            # Opening\n\nSergey Lavrov: Hello.\n\n\
            # Questions\n\n## Russian media\n\n\
            [Laughter]\n\nQuestion (RIA Novosti): Why?\n\nSergey Lavrov: Because.\n\n\
            Maria Zakharova: Indeed.\n\n\
            # Closing\n\nQuestion: Last one?\n";
        let doc = parse(text, &LabelContext::default());
        let body = body(text, &doc);
        let seen: Vec<String> = body
            .turns
            .iter()
            .map(|t| {
                format!(
                    "{} {:?} {:?} {:?} {}",
                    t.kind.name(),
                    t.label.map(|l| l.name.as_str()),
                    t.question,
                    t.attribution(),
                    body.section_path(t.section).join("/")
                )
            })
            .collect();
        assert_eq!(
            seen,
            [
                "narration None None None ",
                "remark Some(\"Sergey Lavrov\") None None Opening",
                "narration None None None Questions/Russian media",
                "question Some(\"Question\") Some(1) Some(\"RIA Novosti\") Questions/Russian media",
                "answer Some(\"Sergey Lavrov\") Some(1) None Questions/Russian media",
                "answer Some(\"Maria Zakharova\") Some(1) None Questions/Russian media",
                "question Some(\"Question\") Some(2) None Closing",
            ]
        );
        let parents: Vec<_> = body.sections.iter().map(|s| s.parent).collect();
        assert_eq!(parents, [None, None, Some(1), None]);
        assert_eq!(body.turns[4].answers(), Some(1));
        assert_eq!(body.turns[4].asks(), None);
        assert_eq!(body.turns[3].asks(), Some(1));
    }
}
