//! Document highlight: on a mention, every mention of the same entity in
//! the file (the same id, or for an ad-hoc mention the same type and words);
//! on a speaker's turn label or `speaker:` declaration, every turn label of
//! that speaker and the declaration, which is the one place written.

use super::stats::Mentioned;
use crate::syntax::{Document, LabelKind, Span, speaker_name};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HighlightKind {
    /// A use: a mention, a turn label.
    Read,
    /// The declaration: a `speaker:` line's name.
    Write,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Highlight {
    pub span: Span,
    pub kind: HighlightKind,
}

/// The highlights for the element at `offset` (ends included), in document
/// order; none where there is nothing to highlight.
pub fn highlights(doc: &Document, offset: usize) -> Vec<Highlight> {
    let at = |span: &Span| span.start <= offset && offset <= span.end;
    if let Some(m) = doc.mentions().find(|m| at(&m.span)) {
        let key = Mentioned::of(m, None);
        return doc
            .mentions()
            .filter(|other| Mentioned::of(other, None) == key)
            .map(|other| Highlight {
                span: other.span.clone(),
                kind: HighlightKind::Read,
            })
            .collect();
    }
    let declarations = || {
        doc.header.iter().flat_map(|h| h.get("speaker")).map(|e| {
            let name = speaker_name(&e.value);
            (name, e.value_span.start..e.value_span.start + name.len())
        })
    };
    let labels = || {
        doc.turns()
            .filter(|t| t.label.kind == LabelKind::Speaker)
            .map(|t| (t.label.name.as_str(), t.label.name_span.clone()))
    };
    let Some(name) = declarations()
        .chain(labels())
        .find(|(name, span)| !name.is_empty() && at(span))
        .map(|(name, _)| name)
    else {
        return Vec::new();
    };
    let writes = declarations()
        .filter(|(n, _)| *n == name)
        .map(|(_, span)| Highlight {
            span,
            kind: HighlightKind::Write,
        });
    let reads = labels()
        .filter(|(n, _)| *n == name)
        .map(|(_, span)| Highlight {
            span,
            kind: HighlightKind::Read,
        });
    writes.chain(reads).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::{LabelContext, parse};

    const TEXT: &str = "---\ntitle: T\ndate: 2017-06-16\nspeaker: Sergey Lavrov (Minister)\n---\n\
        Sergey Lavrov: We met [Mr Kerry]{kerry} and “[Laos]{place}”.\n\n\
        Question: And [John Kerry]{kerry} in [Laos]{place}, not [Vientiane]{place}?\n\n\
        Maria Zakharova: 😀\n\nSergey Lavrov: Yes.\n";

    fn shown(offset_of: &str, nth: usize) -> Vec<(String, HighlightKind)> {
        let doc = parse(TEXT, &LabelContext::default());
        let offset = TEXT.match_indices(offset_of).nth(nth).unwrap().0 + 1;
        highlights(&doc, offset)
            .into_iter()
            .map(|h| (TEXT[h.span].to_string(), h.kind))
            .collect()
    }

    #[test]
    fn every_mention_of_the_entity() {
        use HighlightKind::Read;
        assert_eq!(
            shown("[John Kerry]", 0),
            [
                ("[Mr Kerry]{kerry}".to_string(), Read),
                ("[John Kerry]{kerry}".to_string(), Read)
            ]
        );
        // Ad-hoc mentions: the same type and the same words.
        assert_eq!(
            shown("{place}", 0),
            [
                ("[Laos]{place}".to_string(), Read),
                ("[Laos]{place}".to_string(), Read)
            ]
        );
    }

    #[test]
    fn every_turn_of_the_speaker_and_the_declaration() {
        use HighlightKind::{Read, Write};
        let lavrov = [
            ("Sergey Lavrov".to_string(), Write),
            ("Sergey Lavrov".to_string(), Read),
            ("Sergey Lavrov".to_string(), Read),
        ];
        assert_eq!(shown("Sergey Lavrov", 0), lavrov, "on the declaration");
        assert_eq!(shown("Sergey Lavrov", 2), lavrov, "on the last turn");
        assert_eq!(shown("Maria", 0), [("Maria Zakharova".to_string(), Read)]);
        assert!(shown("We met", 0).is_empty(), "plain text has none");
        assert!(shown("Question", 0).is_empty(), "nor a question label");
    }
}
