//! Inlay hints: after a mention whose text is not its entity's name, the
//! name (`[Mr Kerry]{kerry}` → `John Kerry`); before each question label, the
//! question's number as the outline counts it (`Q3`). Plain data.

use crate::registry::Registry;
use crate::syntax::{Document, Inline, Span};

/// Which hints to give.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InlayHintConfig {
    pub entity_names: bool,
    pub question_numbers: bool,
}

impl Default for InlayHintConfig {
    fn default() -> Self {
        InlayHintConfig {
            entity_names: true,
            question_numbers: true,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InlayHintKind {
    /// The canonical name of a mention's entity, shown after the mention.
    EntityName,
    /// `Q<n>`, shown before a question label.
    QuestionNumber,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InlayHint {
    /// Where the hint is shown: the end of the mention, the start of the label.
    pub offset: usize,
    pub label: String,
    pub kind: InlayHintKind,
}

/// The hints whose offset is in `range` (ends included), in document order.
pub fn inlay_hints(
    doc: &Document,
    registry: Option<&Registry>,
    range: Span,
    config: InlayHintConfig,
) -> Vec<InlayHint> {
    let inside = |offset: usize| range.start <= offset && offset <= range.end;
    let mut out = Vec::new();
    if config.question_numbers {
        // Every question is counted, those before the range too.
        let questions = doc.turns().filter(|t| t.is_question());
        for (i, turn) in questions.enumerate() {
            let offset = turn.label.span.start;
            if offset > range.end {
                break;
            }
            if inside(offset) {
                out.push(InlayHint {
                    offset,
                    label: format!("Q{}", i + 1),
                    kind: InlayHintKind::QuestionNumber,
                });
            }
        }
    }
    if config.entity_names
        && let Some(registry) = registry
    {
        let paragraphs = doc
            .paragraphs()
            .skip_while(|p| p.span.end < range.start)
            .take_while(|p| p.span.start <= range.end);
        for p in paragraphs {
            let mentions = p.inlines.iter().filter_map(|i| match i {
                Inline::Mention(m) => Some(m),
                _ => None,
            });
            for m in mentions {
                let Some(entity) = registry.entity(&m.reference) else {
                    continue;
                };
                let surface: Vec<&str> = m.surface.split_whitespace().collect();
                if inside(m.span.end) && surface.join(" ") != entity.name() {
                    out.push(InlayHint {
                        offset: m.span.end,
                        label: entity.name().to_string(),
                        kind: InlayHintKind::EntityName,
                    });
                }
            }
        }
    }
    out.sort_by_key(|h| h.offset);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::turns::body;
    use crate::syntax::{LabelContext, parse};

    const REGISTRY: &str = r#"{ "entities": {
        "kerry": { "name": "John Kerry", "type": "person", "aliases": ["Mr Kerry"] },
        "lavrov": { "name": "Sergey Lavrov", "type": "person" } } }"#;

    fn hints(text: &str, range: Span, config: InlayHintConfig) -> Vec<(usize, String)> {
        let registry = Registry::parse(REGISTRY);
        let doc = parse(text, &LabelContext::default());
        inlay_hints(&doc, Some(&registry), range, config)
            .into_iter()
            .map(|h| (h.offset, h.label))
            .collect()
    }

    #[test]
    fn names_after_mentions_and_numbers_before_questions() {
        let text = "---\ntitle: T\ndate: 2017-06-16\n---\n\
                    Question: Did “[Mr  Kerry]{kerry}” meet [Sergey\u{a0}Lavrov]{lavrov}?\n\n\
                    Sergey Lavrov: Yes, [Kerry]{kerry} 😀 and [Laos]{place}.\n\n\
                    Question: And [someone]{nobody}?\n";
        let all = hints(text, 0..text.len(), InlayHintConfig::default());
        let after = |s: &str| text.find(s).unwrap() + s.len();
        assert_eq!(
            all,
            [
                (text.find("Question").unwrap(), "Q1".to_string()),
                (after("{kerry}”") - "”".len(), "John Kerry".to_string()),
                (after("[Kerry]{kerry}"), "John Kerry".to_string()),
                (text.rfind("Question").unwrap(), "Q2".to_string()),
            ],
            "the name itself (with a no-break space), types and unknown ids get none"
        );
        // The numbers are the outline's.
        let doc = parse(text, &LabelContext::default());
        let asks: Vec<usize> = body(text, &doc)
            .turns
            .iter()
            .filter_map(|t| t.asks())
            .collect();
        assert_eq!(asks, [1, 2]);
    }

    #[test]
    fn only_hints_in_the_range_and_of_the_kinds_asked() {
        let text = "---\ntitle: T\ndate: 2017-06-16\n---\n\
                    Question: [Mr Kerry]{kerry}?\n\nQuestion: Again?\n";
        let second = text.rfind("Question").unwrap();
        assert_eq!(
            hints(text, second..text.len(), InlayHintConfig::default()),
            [(second, "Q2".to_string())],
            "the second question is still the second"
        );
        let names_only = InlayHintConfig {
            question_numbers: false,
            ..InlayHintConfig::default()
        };
        assert_eq!(
            hints(text, 0..text.len(), names_only),
            [(text.find("?\n").unwrap(), "John Kerry".to_string())]
        );
    }
}
