//! Folding ranges: the header, each section (up to the end of its content,
//! subsections folding inside it), each question with its answers, and each
//! run of two or more consecutive comment lines. Only ranges that span more
//! than one line are returned.
//!
//! A section or a question ends where its last turn or paragraph ends, so
//! the blank lines and comments before the next heading stay outside it, as
//! in the outline.

use crate::syntax::{Document, Item, Span};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fold {
    /// From the start of the first line folded to the end of the last one's
    /// content (line ending excluded).
    pub span: Span,
    pub kind: FoldKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FoldKind {
    Header,
    Section,
    Question,
    Comment,
}

/// The folding ranges of a document, by start; an enclosing range comes
/// before the ranges it holds.
pub fn folding_ranges(text: &str, doc: &Document) -> Vec<Fold> {
    let mut folds = Vec::new();
    if let Some(header) = &doc.header {
        folds.push(Fold {
            span: header.span.clone(),
            kind: FoldKind::Header,
        });
    }
    // Open sections (level, start, end of content), outermost first, and the
    // open question (start, end of its last answer).
    let mut sections: Vec<(usize, Span)> = Vec::new();
    let mut question: Option<Span> = None;
    let close_question = |question: &mut Option<Span>, folds: &mut Vec<Fold>| {
        if let Some(span) = question.take() {
            folds.push(Fold {
                span,
                kind: FoldKind::Question,
            });
        }
    };
    for item in &doc.items {
        let span = match item {
            Item::Heading(h) => {
                close_question(&mut question, &mut folds);
                while sections.last().is_some_and(|(level, _)| *level >= h.level) {
                    let (_, span) = sections.pop().expect("checked above");
                    folds.push(section(span));
                }
                sections.push((h.level, h.span.clone()));
                h.span.clone()
            }
            Item::Turn(turn) => {
                if turn.is_question() {
                    close_question(&mut question, &mut folds);
                    question = Some(turn.span.clone());
                } else if let Some(q) = &mut question {
                    q.end = turn.span.end;
                }
                turn.span.clone()
            }
            Item::Narration(p) => p.span.clone(),
        };
        for (_, s) in &mut sections {
            s.end = s.end.max(span.end);
        }
    }
    close_question(&mut question, &mut folds);
    while let Some((_, span)) = sections.pop() {
        folds.push(section(span));
    }
    folds.extend(comment_runs(text, &doc.comments));
    folds.retain(|f| text.get(f.span.clone()).is_some_and(|s| s.contains('\n')));
    folds.sort_by_key(|f| (f.span.start, std::cmp::Reverse(f.span.end)));
    folds
}

fn section(span: Span) -> Fold {
    Fold {
        span,
        kind: FoldKind::Section,
    }
}

/// Runs of comment lines with nothing between them but their line endings.
fn comment_runs(text: &str, comments: &[Span]) -> Vec<Fold> {
    let mut runs: Vec<Fold> = Vec::new();
    let mut current: Option<Span> = None;
    for c in comments {
        match &mut current {
            Some(run) if matches!(text.get(run.end..c.start), Some("\n" | "\r\n")) => {
                run.end = c.end;
            }
            _ => {
                if let Some(run) = current.replace(c.clone()) {
                    runs.push(Fold {
                        span: run,
                        kind: FoldKind::Comment,
                    });
                }
            }
        }
    }
    runs.extend(current.map(|span| Fold {
        span,
        kind: FoldKind::Comment,
    }));
    runs
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::{LabelContext, parse};

    fn folds(text: &str) -> Vec<(FoldKind, &str)> {
        let doc = parse(text, &LabelContext::default());
        folding_ranges(text, &doc)
            .into_iter()
            .map(|f| (f.kind, &text[f.span]))
            .collect()
    }

    #[test]
    fn nested_sections_questions_and_comments() {
        let text = "---\ntitle: T\n---\n\n# A\n\n## B\n\nQuestion: q?\n\nX Y: a.\n\n// c1\n// c2\n\n# C\n\nQuestion: one line\n";
        assert_eq!(
            folds(text),
            [
                (FoldKind::Header, "---\ntitle: T\n---"),
                (FoldKind::Section, "# A\n\n## B\n\nQuestion: q?\n\nX Y: a."),
                (FoldKind::Section, "## B\n\nQuestion: q?\n\nX Y: a."),
                (FoldKind::Question, "Question: q?\n\nX Y: a."),
                (FoldKind::Comment, "// c1\n// c2"),
                (FoldKind::Section, "# C\n\nQuestion: one line"),
            ]
        );
    }

    #[test]
    fn one_line_elements_do_not_fold() {
        assert!(folds("# A\n// one comment\n\n// another\n").is_empty());
        assert!(folds("").is_empty());
    }
}
