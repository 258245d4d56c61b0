//! Text -> model: the header, then the body's headings, paragraphs, turns and
//! comments. One pass over the lines; never fails.

use super::inline;
use super::label::{LabelContext, parse_label};
use super::lines::{self, Line};
use super::model::*;

/// Parses a document. `ctx` brings the question labels and speakers that the
/// registry declares; speakers declared in the header are found here.
pub fn parse(text: &str, ctx: &LabelContext) -> Document {
    let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let (lines, line_endings) = lines::split(text, start);
    let mut doc = Document {
        line_endings,
        ..Document::default()
    };
    let body_start = parse_header(text, &lines, &mut doc);
    let declared: Vec<String> = doc
        .header
        .iter()
        .flat_map(|h| h.get("speaker"))
        .map(|e| speaker_name(&e.value).to_string())
        .collect();
    Body {
        text,
        ctx,
        declared: &declared,
        doc: &mut doc,
        lines: &lines[body_start..],
        paragraph: None,
        turn: None,
    }
    .parse();
    doc.items.shrink_to_fit();
    doc
}

/// Parses only the header: a document with no body, for facts of a whole
/// collection (such as each file's `id`) read without the cost of the body.
pub fn parse_header_only(text: &str) -> Document {
    let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let (lines, line_endings) = lines::split(text, start);
    let mut doc = Document {
        line_endings,
        ..Document::default()
    };
    parse_header(text, &lines, &mut doc);
    doc
}

/// The name of a `speaker:` value `Name (role)`.
pub fn speaker_name(value: &str) -> &str {
    split_speaker(value).0
}

/// `Name (role)` -> (`Name`, Some(`role`)); a value without a final
/// parenthesis is all name.
pub fn split_speaker(value: &str) -> (&str, Option<&str>) {
    if let Some(inner) = value.strip_suffix(')')
        && let Some(open) = inner.rfind(" (")
    {
        return (inner[..open].trim_end(), Some(&inner[open + 2..]));
    }
    (value, None)
}

fn text_of<'t>(text: &'t str, line: &Line) -> &'t str {
    &text[line.span()]
}

fn is_delimiter(s: &str) -> bool {
    s.trim_end() == "---"
}

fn is_comment(s: &str) -> bool {
    s.trim_start().starts_with("//")
}

/// Parses the header, if any; returns the index of the first body line.
fn parse_header(text: &str, lines: &[Line], doc: &mut Document) -> usize {
    let first = &lines[0];
    if !is_delimiter(text_of(text, first)) {
        doc.problems.push(SyntaxProblem {
            kind: ProblemKind::MissingHeader,
            span: first.span(),
        });
        return 0;
    }
    let close = lines[1..]
        .iter()
        .position(|l| is_delimiter(text_of(text, l)))
        .map(|i| i + 1);
    // Without a closing `---`, the header is the run of lines that look like it.
    let end = close.unwrap_or_else(|| {
        lines[1..]
            .iter()
            .position(|l| {
                let s = text_of(text, l);
                !(s.trim().is_empty()
                    || is_comment(s)
                    || key_value(s).is_some_and(|(k, _)| !k.contains(char::is_whitespace)))
            })
            .map_or(lines.len(), |i| i + 1)
    });
    let mut header = Header {
        span: first.start..first.end,
        open: first.span(),
        close: close.map(|i| lines[i].span()),
        entries: Vec::new(),
    };
    for line in &lines[1..end] {
        let s = text_of(text, line);
        if s.trim().is_empty() {
            continue;
        }
        if is_comment(s) {
            doc.comments.push(line.span());
            continue;
        }
        let Some((key, value)) = key_value(s) else {
            doc.problems.push(SyntaxProblem {
                kind: ProblemKind::MalformedHeaderLine,
                span: line.span(),
            });
            continue;
        };
        let key_start = line.start + (s.len() - s.trim_start().len());
        let key_span = key_start..key_start + key.len();
        if !is_valid_key(key) {
            doc.problems.push(SyntaxProblem {
                kind: ProblemKind::InvalidKey {
                    key: key.to_string(),
                },
                span: key_span,
            });
            continue;
        }
        let value_start = value.as_ptr() as usize - text.as_ptr() as usize;
        header.entries.push(HeaderEntry {
            key: key.to_string(),
            key_span,
            value: value.to_string(),
            value_span: value_start..value_start + value.len(),
            line_span: line.span(),
        });
    }
    match close {
        Some(i) => header.span.end = lines[i].end,
        None => {
            header.span.end = lines[end - 1].end;
            doc.problems.push(SyntaxProblem {
                kind: ProblemKind::UnclosedHeader,
                span: first.span(),
            });
        }
    }
    doc.header = Some(header);
    close.map_or(end, |i| i + 1)
}

/// `key: value` -> (key, trimmed value); `None` without a colon or a key.
fn key_value(s: &str) -> Option<(&str, &str)> {
    let (key, value) = s.split_once(':')?;
    let key = key.trim();
    (!key.is_empty()).then(|| (key, value.trim()))
}

pub fn is_valid_key(key: &str) -> bool {
    !key.is_empty()
        && key
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// The state of the body pass.
struct Body<'a> {
    text: &'a str,
    ctx: &'a LabelContext,
    declared: &'a [String],
    doc: &'a mut Document,
    /// The body's lines.
    lines: &'a [Line],
    /// The paragraph being read: the indices of its first and last lines.
    paragraph: Option<(usize, usize)>,
    turn: Option<Turn>,
}

impl Body<'_> {
    fn parse(mut self) {
        for (i, line) in self.lines.iter().enumerate() {
            let s = text_of(self.text, line);
            if s.trim().is_empty() {
                self.end_paragraph();
            } else if is_comment(s) {
                self.end_paragraph();
                self.doc.comments.push(line.span());
            } else if let Some(heading) = heading(s, line) {
                self.end_paragraph();
                self.end_turn();
                self.doc.items.push(Item::Heading(heading));
            } else {
                let first = self.paragraph.map_or(i, |(first, _)| first);
                self.paragraph = Some((first, i));
            }
        }
        self.end_paragraph();
        self.end_turn();
    }

    fn end_turn(&mut self) {
        if let Some(mut turn) = self.turn.take() {
            turn.paragraphs.shrink_to_fit();
            self.doc.items.push(Item::Turn(turn));
        }
    }

    fn end_paragraph(&mut self) {
        let Some((first_line, last_line)) = self.paragraph.take() else {
            return;
        };
        let text = self.text;
        let lines = &self.lines[first_line..=last_line];
        let (start, end) = (lines[0].start, lines[lines.len() - 1].end);
        // The first line, up to a carriage return (a lone one included).
        let first = &text[lines[0].span()];
        let first = first.find('\r').map_or(first, |i| &first[..i]);
        let (label, content) = if first.starts_with('\\') {
            (None, start + 1)
        } else {
            match parse_label(first, start, self.ctx, self.declared) {
                Some((label, content)) => (Some(label), content),
                None => (None, start),
            }
        };
        let paragraph = self.paragraph_inlines(lines, content);
        match (label, &mut self.turn) {
            (Some(label), _) => {
                self.end_turn();
                self.turn = Some(Turn {
                    span: label.span.start..end,
                    label,
                    paragraphs: vec![paragraph],
                });
            }
            (None, Some(turn)) => {
                turn.span.end = end;
                turn.paragraphs.push(paragraph);
            }
            (None, None) => self.doc.items.push(Item::Narration(paragraph)),
        }
    }

    /// The inlines of a paragraph's lines, from `content` (in the first line) on.
    fn paragraph_inlines(&mut self, lines: &[Line], content: usize) -> Paragraph {
        let mut inlines = Vec::new();
        let last = lines.len() - 1;
        for (i, line) in lines.iter().enumerate() {
            let start = line.start.max(content);
            let mut piece = &self.text[start..line.end];
            // The paragraph ends before a carriage return that ends its last line.
            if i == last {
                piece = piece.strip_suffix('\r').unwrap_or(piece);
            }
            inline::parse_line(piece, start, &mut inlines, &mut self.doc.problems);
        }
        // The model lives as long as the document is open: no spare capacity.
        inlines.shrink_to_fit();
        Paragraph {
            span: content..lines[last].end,
            inlines,
        }
    }
}

fn heading(s: &str, line: &Line) -> Option<Heading> {
    let level = s.bytes().take_while(|&b| b == b'#').count();
    let rest = &s[level..];
    if !(1..=6).contains(&level) || !(rest.is_empty() || rest.starts_with([' ', '\t'])) {
        return None;
    }
    let title = rest.trim();
    let title_start = line.start + level + (rest.len() - rest.trim_start().len());
    Some(Heading {
        level,
        text: title.to_string(),
        text_span: title_start..title_start + title.len(),
        span: line.span(),
    })
}
