//! Selection ranges: for an offset, the nested spans that "expand selection"
//! steps through, innermost first: mention → sentence → paragraph → turn →
//! question with its answers → section (and the sections around it) →
//! document; in the header, key or value → line → header → document.

use super::outline::{Symbol, outline};
use crate::syntax::{Document, Inline, Item, LabelKind, Paragraph, Span};

/// For each offset, its spans from the innermost to the whole document,
/// each strictly inside the next. Ends are included: an offset just after a
/// mention is on it.
pub fn selection_ranges(text: &str, doc: &Document, offsets: &[usize]) -> Vec<Vec<Span>> {
    let symbols = outline(text, doc);
    offsets
        .iter()
        .map(|&offset| {
            let offset = offset.min(text.len());
            let mut spans = Vec::new();
            element_spans(text, doc, offset, &mut spans);
            symbol_spans(&symbols, offset, &mut spans);
            spans.push(0..text.len());
            nested(spans)
        })
        .collect()
}

fn contains(span: &Span, offset: usize) -> bool {
    span.start <= offset && offset <= span.end
}

/// The spans of the header line, heading or turn at `offset`, and within it.
fn element_spans(text: &str, doc: &Document, offset: usize, out: &mut Vec<Span>) {
    if let Some(h) = doc.header.as_ref().filter(|h| contains(&h.span, offset)) {
        if let Some(e) = h.entries.iter().find(|e| contains(&e.line_span, offset)) {
            out.extend(
                [&e.key_span, &e.value_span]
                    .into_iter()
                    .filter(|s| contains(s, offset))
                    .cloned(),
            );
            out.push(e.line_span.clone());
        }
        out.push(h.span.clone());
        return;
    }
    // The items are in document order: the last one starting at or before.
    let i = doc
        .items
        .partition_point(|item| item_span(item).start <= offset);
    let Some(item) = i.checked_sub(1).map(|i| &doc.items[i]) else {
        return;
    };
    match item {
        Item::Heading(h) => {
            if contains(&h.span, offset) {
                out.push(h.text_span.clone());
                out.push(h.span.clone());
            }
        }
        Item::Narration(p) => paragraph_spans(text, p, offset, out),
        Item::Turn(t) => {
            if !contains(&t.span, offset) {
                return;
            }
            if contains(&t.label.span, offset) {
                let attribution = match &t.label.kind {
                    LabelKind::Question {
                        attribution: Some((_, span)),
                    } => Some(span),
                    _ => None,
                };
                out.extend(
                    [Some(&t.label.name_span), attribution]
                        .into_iter()
                        .flatten()
                        .filter(|s| contains(s, offset))
                        .cloned(),
                );
                out.push(t.label.span.clone());
            }
            if let Some(p) = t.paragraphs.iter().find(|p| contains(&p.span, offset)) {
                paragraph_spans(text, p, offset, out);
            }
            out.push(t.span.clone());
        }
    }
}

fn item_span(item: &Item) -> Span {
    match item {
        Item::Heading(h) => h.span.clone(),
        Item::Narration(p) => p.span.clone(),
        Item::Turn(t) => t.span.clone(),
    }
}

/// A mention or note (and its parts), its sentence and the paragraph.
fn paragraph_spans(text: &str, p: &Paragraph, offset: usize, out: &mut Vec<Span>) {
    if !contains(&p.span, offset) {
        return;
    }
    for inline in &p.inlines {
        match inline {
            Inline::Mention(m) if contains(&m.span, offset) => {
                out.extend(
                    [&m.surface_span, &m.reference_span]
                        .into_iter()
                        .filter(|s| contains(s, offset))
                        .cloned(),
                );
                out.push(m.span.clone());
            }
            Inline::Note(n) if contains(&n.span, offset) => {
                out.push(n.text_span.clone());
                out.push(n.span.clone());
            }
            _ => {}
        }
    }
    out.extend(
        sentences(text, p)
            .into_iter()
            .filter(|s| contains(s, offset)),
    );
    out.push(p.span.clone());
}

/// The sentences of a paragraph: each ends after `.`, `?`, `!` or `…` (and
/// the closing quotes or brackets after it) that a space or the end
/// follows. Never inside a mention or a note. Abbreviations (`Mr.`) end
/// a sentence too.
fn sentences(text: &str, p: &Paragraph) -> Vec<Span> {
    let protected: Vec<&Span> = p
        .inlines
        .iter()
        .filter_map(|i| match i {
            Inline::Mention(m) => Some(&m.span),
            Inline::Note(n) => Some(&n.span),
            Inline::Text(_) => None,
        })
        .collect();
    let inside = |at: usize| protected.iter().any(|s| s.start <= at && at < s.end);
    let base = p.span.start;
    let s = &text[p.span.clone()];
    let mut out = Vec::new();
    let mut start = None;
    let mut chars = s.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if start.is_none() && !c.is_whitespace() {
            start = Some(base + i);
        }
        if !matches!(c, '.' | '?' | '!' | '…') || inside(base + i) {
            continue;
        }
        let mut end = base + i + c.len_utf8();
        while let Some(&(j, d)) = chars.peek() {
            if !matches!(d, '”' | '’' | '"' | '\'' | ')' | '»') {
                break;
            }
            end = base + j + d.len_utf8();
            chars.next();
        }
        if chars.peek().is_none_or(|(_, d)| d.is_whitespace())
            && let Some(first) = start.take()
        {
            out.push(first..end);
        }
    }
    if let Some(first) = start {
        out.push(first..base + s.trim_end().len());
    }
    out
}

/// The outline's spans around `offset`: sections, the question with its
/// answers, the answer.
fn symbol_spans(symbols: &[Symbol], offset: usize, out: &mut Vec<Span>) {
    if let Some(s) = symbols.iter().find(|s| contains(&s.span, offset)) {
        out.push(s.span.clone());
        symbol_spans(&s.children, offset, out);
    }
}

/// The spans from the smallest, each keeping only those that strictly
/// contain the one before.
fn nested(mut spans: Vec<Span>) -> Vec<Span> {
    spans.sort_by_key(|s| (s.len(), s.start));
    let mut out: Vec<Span> = Vec::new();
    for s in spans {
        if out
            .last()
            .is_none_or(|last| *last != s && s.start <= last.start && last.end <= s.end)
        {
            out.push(s);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::{LabelContext, parse};

    const TEXT: &str = "---\ntitle: Press “conference”\ndate: 2017-06-16\n---\n\
        # Questions\n\n## Russian media\n\n\
        Question (TASS): Did you meet [Mr. Kerry]{kerry}? Where – in “Vientiane”?\n\n\
        Sergey Lavrov: Yes. We met [applause] 😀 twice!\n\nAnd again.\n\n\
        Question: Next?\n";

    fn chain(at: &str, plus: usize) -> Vec<String> {
        let doc = parse(TEXT, &LabelContext::default());
        let offset = TEXT.find(at).unwrap() + plus;
        let all = selection_ranges(TEXT, &doc, &[offset]);
        all[0].iter().map(|s| TEXT[s.clone()].to_string()).collect()
    }

    #[test]
    fn from_a_mention_to_the_document() {
        let question = "Question (TASS): Did you meet [Mr. Kerry]{kerry}? Where – in “Vientiane”?";
        let answers = "Sergey Lavrov: Yes. We met [applause] 😀 twice!\n\nAnd again.";
        let russian = format!("## Russian media\n\n{question}\n\n{answers}\n\nQuestion: Next?");
        assert_eq!(
            chain("Mr.", 1),
            [
                "Mr. Kerry".to_string(),
                "[Mr. Kerry]{kerry}".to_string(),
                "Did you meet [Mr. Kerry]{kerry}?".to_string(),
                "Did you meet [Mr. Kerry]{kerry}? Where – in “Vientiane”?".to_string(),
                question.to_string(),
                format!("{question}\n\n{answers}"),
                russian.clone(),
                format!("# Questions\n\n{russian}"),
                TEXT.to_string(),
            ]
        );
    }

    #[test]
    fn sentences_end_after_closing_quotes_and_skip_notes() {
        let c = chain("Vientiane", 0);
        assert_eq!(c[0], "Where – in “Vientiane”?");
        let c = chain("twice", 0);
        assert_eq!(c[0], "We met [applause] 😀 twice!");
        assert_eq!(c[1], "Yes. We met [applause] 😀 twice!");
        assert_eq!(
            c[2], "Sergey Lavrov: Yes. We met [applause] 😀 twice!\n\nAnd again.",
            "then the turn"
        );
        let c = chain("applause", 0);
        assert_eq!(
            &c[..3],
            ["applause", "[applause]", "We met [applause] 😀 twice!"]
        );
    }

    #[test]
    fn labels_headings_and_the_header() {
        let c = chain("TASS", 0);
        assert_eq!(
            &c[..3],
            [
                "TASS",
                "Question (TASS)",
                "Question (TASS): Did you meet [Mr. Kerry]{kerry}? Where – in “Vientiane”?"
            ]
        );
        let c = chain("Russian", 0);
        assert_eq!(&c[..2], ["Russian media", "## Russian media"]);
        let c = chain("conference", 0);
        assert_eq!(
            c,
            [
                "Press “conference”",
                "title: Press “conference”",
                "---\ntitle: Press “conference”\ndate: 2017-06-16\n---",
                TEXT,
            ]
        );
        let doc = parse(TEXT, &LabelContext::default());
        let many = selection_ranges(TEXT, &doc, &[0, TEXT.len(), TEXT.len() + 10]);
        assert_eq!(many.len(), 3);
        assert_eq!(many[2], vec![0..TEXT.len()], "past the end: the document");
    }
}
