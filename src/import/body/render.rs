//! Rendering the body's blocks as transcript text: asides as editorial
//! notes, known names as mentions, brackets escaped, and a paragraph that
//! would be misread (as a label, a heading, a comment) escaped with `\\`.

use regex::Regex;

use super::super::entities::{Annotator, Piece};
use super::super::markup::{escape_text, is_structure_line, needs_escape, note};
use super::Who;

pub(super) struct Renderer<'a> {
    pub(super) annotator: &'a Annotator,
    pub(super) asides: &'a [Regex],
    pub(super) declared: &'a [String],
    pub(super) mentions: usize,
    pub(super) notes: usize,
    /// Line numbers of paragraphs escaped with `\`.
    pub(super) escaped: Vec<usize>,
}

impl Renderer<'_> {
    /// A line of raw text: asides as notes, known names as mentions, brackets escaped.
    fn inline(&mut self, raw: &str) -> String {
        let mut out = String::new();
        let mut from = 0;
        // Every pattern's asides, in text order; where two overlap, the first.
        let mut found: Vec<(std::ops::Range<usize>, String)> = self
            .asides
            .iter()
            .flat_map(|re| re.captures_iter(raw))
            .filter_map(|c| {
                let whole = c.get(0)?;
                let inner = match c.name("note") {
                    Some(n) => n.as_str(),
                    None => {
                        let t = whole.as_str();
                        let mut chars = t.chars();
                        chars.next();
                        chars.next_back();
                        chars.as_str()
                    }
                };
                Some((whole.range(), inner.to_string()))
            })
            .collect();
        found.sort_by_key(|(r, _)| (r.start, std::cmp::Reverse(r.end)));
        for (whole, inner) in found {
            if whole.start < from || whole.is_empty() {
                continue;
            }
            let next_is_brace = raw[whole.end..].starts_with('{');
            let after_backslash = raw[..whole.start].ends_with('\\');
            let Some(n) = note(&inner).filter(|_| !next_is_brace && !after_backslash) else {
                continue;
            };
            self.plain(&raw[from..whole.start], &mut out);
            out.push_str(&n);
            self.notes += 1;
            from = whole.end;
        }
        self.plain(&raw[from..], &mut out);
        out
    }

    fn plain(&mut self, raw: &str, out: &mut String) {
        for piece in self.annotator.annotate(raw) {
            match piece {
                Piece::Text(t) => out.push_str(&escape_text(&t)),
                Piece::Mention { surface, id } => {
                    if out.ends_with('\\') {
                        out.push_str(&escape_text(&surface));
                    } else {
                        self.mentions += 1;
                        out.push_str(&format!("[{surface}]{{{id}}}"));
                    }
                }
            }
        }
    }

    /// Lines after the first: one that would read as a heading or comment is
    /// joined to the line before it.
    fn more_lines(&mut self, lines: &[String], out: &mut String) {
        for l in lines {
            if l.is_empty() {
                continue;
            }
            if is_structure_line(l) {
                out.push(' ');
            } else {
                out.push('\n');
            }
            out.push_str(&self.inline(l));
        }
    }

    pub(super) fn text_paragraph(&mut self, lines: &[String], line_no: usize) -> String {
        let Some(first) = lines.first() else {
            return String::new();
        };
        let mut out = String::new();
        let rendered = self.inline(first);
        // A paragraph starting with `\` (an escaped bracket too) needs its own
        // escape, or the parser takes that backslash for one.
        if needs_escape(first, self.declared) || rendered.starts_with('\\') {
            out.push('\\');
            self.escaped.push(line_no);
        }
        out.push_str(&rendered);
        self.more_lines(&lines[1..], &mut out);
        out
    }

    pub(super) fn turn(&mut self, who: &Who, context: Option<&str>, lines: &[String]) -> String {
        let mut out = String::new();
        let mut context_text: Option<String> = None;
        match who {
            Who::Speaker(name) => out.push_str(name),
            Who::Question(None) => out.push_str("Question"),
            Who::Question(Some(a)) => {
                let clean = !a.is_empty() && !a.contains([':', '(', ')', '[', ']', '\\']);
                if clean {
                    out.push_str(&format!("Question ({a})"));
                } else {
                    out.push_str("Question");
                    context_text = Some(a.clone());
                }
            }
        }
        out.push(':');
        let context = context.map(str::to_string).or(context_text);
        if let Some(c) = context {
            match note(&c) {
                Some(n) => {
                    self.notes += 1;
                    out.push(' ');
                    out.push_str(&n);
                }
                None => {
                    out.push_str(" (");
                    out.push_str(&escape_text(&c));
                    out.push(')');
                }
            }
        }
        let first = lines.first().map(String::as_str).unwrap_or("");
        if !first.is_empty() {
            out.push(' ');
            out.push_str(&self.inline(first));
        }
        if lines.len() > 1 {
            self.more_lines(&lines[1..], &mut out);
        }
        out
    }
}
