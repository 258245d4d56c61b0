//! Splitting text into lines, counting the line endings on the way.

use super::model::{LineEndings, Span};

/// One line: its content (without the line ending) and where the next one starts.
#[derive(Debug, Clone, Copy)]
pub struct Line {
    pub start: usize,
    pub end: usize,
}

impl Line {
    pub fn span(&self) -> Span {
        self.start..self.end
    }
}

/// The lines of `text` from `start` on, and the tally of their line endings.
pub fn split(text: &str, start: usize) -> (Vec<Line>, LineEndings) {
    let bytes = text.as_bytes();
    let mut lines = Vec::new();
    let mut endings = LineEndings::default();
    let mut first_crlf: Option<bool> = None;
    let mut line_start = start;
    // `str::find` with a one-byte character searches with `memchr`.
    while let Some(k) = text[line_start..].find('\n') {
        let i = line_start + k;
        let crlf = i > line_start && bytes[i - 1] == b'\r';
        let end = if crlf { i - 1 } else { i };
        if crlf {
            endings.crlf += 1;
        } else {
            endings.lf += 1;
        }
        match first_crlf {
            None => first_crlf = Some(crlf),
            Some(first) if first != crlf && endings.first_odd.is_none() => {
                endings.first_odd = Some(end..i + 1);
            }
            _ => {}
        }
        lines.push(Line {
            start: line_start,
            end,
        });
        line_start = i + 1;
    }
    lines.push(Line {
        start: line_start,
        end: text.len(),
    });
    (lines, endings)
}
