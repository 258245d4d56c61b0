//! rustc-style reports for people: `file:line:col`, severity, code, message,
//! the source lines with markers under the problem, the help and notes.
//!
//! Columns on screen are display columns, as rustc counts them: a wide (CJK)
//! character takes two, a tab is shown as four spaces, and a character that
//! must not reach a terminal raw (an escape sequence, a bidi override) is
//! shown escaped, as `\u{1b}`, and takes the columns its escape takes; so the
//! markers are always under the problem. Long lines are cut around it.

use std::fmt::Write;

use unicode_width::UnicodeWidthChar;

use super::{Elsewhere, FileReport, Place, related};
use crate::diagnostic::{Diagnostic, Severity};
use crate::escape::{is_unsafe_char, push_shown, shown, shown_width};

/// Display columns of source shown per line; longer lines are cut around the problem.
const MAX_COLUMNS: usize = 120;
/// Columns of context kept before the problem when a line is cut.
const LEAD_COLUMNS: usize = 40;
/// Lines of a multi-line problem shown in full; more are elided in the middle.
const MAX_LINES: usize = 4;
/// Display width of a tab.
const TAB: usize = 4;

/// ANSI styles, or none.
struct Style {
    color: bool,
}

impl Style {
    fn paint(&self, code: &str, text: &str) -> String {
        if self.color {
            format!("\u{1b}[{code}m{text}\u{1b}[0m")
        } else {
            text.to_string()
        }
    }

    fn level(&self, s: Severity) -> String {
        let (name, code) = match s {
            Severity::Error => ("error", "1;31"),
            Severity::Warning => ("warning", "1;33"),
            Severity::Info => ("info", "1;32"),
            Severity::Hint => ("note", "1;32"),
        };
        self.paint(code, name)
    }

    fn marker_code(s: Severity) -> &'static str {
        match s {
            Severity::Error => "1;31",
            Severity::Warning => "1;33",
            Severity::Info | Severity::Hint => "1;32",
        }
    }

    fn gutter(&self, text: &str) -> String {
        self.paint("1;34", text)
    }
}

/// One report per diagnostic of a file.
pub fn render(report: &FileReport, elsewhere: &Elsewhere, color: bool) -> Vec<String> {
    let style = Style { color };
    report
        .diagnostics
        .iter()
        .map(|d| {
            let mut out = String::new();
            render_one(&mut out, &style, elsewhere, report, d);
            out
        })
        .collect()
}

fn render_one(
    out: &mut String,
    style: &Style,
    elsewhere: &Elsewhere,
    report: &FileReport,
    d: &Diagnostic,
) {
    let text = &report.text;
    let index = &report.index;
    // The lines the span covers; a span that ends with a line ending stays on its line.
    let first = index.line_of(d.span.start);
    let last = index.line_of(d.span.end.saturating_sub(1).max(d.span.start));
    let shown_lines: Vec<Option<usize>> = if last - first < MAX_LINES {
        (first..=last).map(Some).collect()
    } else {
        vec![Some(first), Some(first + 1), None, Some(last)]
    };
    let width = (last + 1).to_string().len();
    let pad = " ".repeat(width);
    let loc = report.location(&d.span);
    let _ = write!(
        out,
        "{}{}: {}\n{pad}{} {}:{}:{}\n{pad} {}",
        style.level(d.severity),
        style.paint("1", &format!("[{}]", d.rule.name())),
        style.paint("1", &shown(&d.message)),
        style.gutter("-->"),
        shown(&report.path),
        loc.line,
        loc.column,
        style.gutter("|"),
    );
    for line in shown_lines {
        let Some(line) = line else {
            let _ = write!(out, "\n{}", style.gutter("..."));
            continue;
        };
        let range = index
            .line_range(text, line)
            .unwrap_or(text.len()..text.len());
        let start = d.span.start.clamp(range.start, range.end) - range.start;
        let end = d.span.end.clamp(range.start, range.end) - range.start;
        let (source, markers) = excerpt(&text[range], start..end);
        let number = format!("{:>width$}", line + 1);
        let _ = write!(
            out,
            "\n{} {source}\n{pad} {}",
            style.gutter(&format!("{number} |")),
            style.gutter("|")
        );
        if !markers.trim().is_empty() {
            let marker = if d.severity == Severity::Error {
                '^'
            } else {
                '-'
            };
            let markers = markers.replace('^', &marker.to_string());
            let (lead, marks) = markers.split_at(markers.len() - markers.trim_start().len());
            let _ = write!(
                out,
                " {lead}{}",
                style.paint(Style::marker_code(d.severity), marks)
            );
        }
    }
    let _ = write!(out, "\n{pad} {}", style.gutter("|"));
    if let Some(help) = &d.help {
        let _ = write!(
            out,
            "\n{pad} {} {}: {}",
            style.gutter("="),
            style.paint("1", "help"),
            shown(help)
        );
    }
    for place in related(report, d, elsewhere) {
        let _ = write!(
            out,
            "\n{pad} {} {}: {}",
            style.gutter("="),
            style.paint("1", "note"),
            shown(&Place::note(&place))
        );
    }
}

/// One source line as shown, and the marker line under it (`^` under the
/// bytes `span` of the line, at least one). Cut to [`MAX_COLUMNS`] around
/// the span, with `...` where something was cut.
fn excerpt(line: &str, span: std::ops::Range<usize>) -> (String, String) {
    // Each character's display text and columns.
    let cells: Vec<(usize, usize)> = line
        .char_indices()
        .map(|(at, c)| (at, cell_width(c)))
        .collect();
    let column_of = |byte: usize| -> usize {
        cells
            .iter()
            .take_while(|(at, _)| *at < byte)
            .map(|(_, w)| w)
            .sum()
    };
    let total: usize = cells.iter().map(|(_, w)| w).sum();
    let (start_col, end_col) = (column_of(span.start), column_of(span.end));
    let end_col = end_col.max(start_col + 1);
    let left = if total > MAX_COLUMNS {
        start_col.saturating_sub(LEAD_COLUMNS)
    } else {
        0
    };
    let right = left + MAX_COLUMNS;
    let mut source = String::new();
    let mut col = 0;
    if left > 0 {
        source.push_str("...");
    }
    let mut shown_from = None;
    for (&(_, w), c) in cells.iter().zip(line.chars()) {
        if col >= left && col + w <= right {
            shown_from.get_or_insert(col);
            push_cell(&mut source, c);
        }
        col += w;
    }
    if total > right {
        source.push_str("...");
    }
    let first = shown_from.unwrap_or(left);
    let offset = if left > 0 { 3 } else { 0 };
    let from = (start_col.max(first) - first) + offset;
    let to = (end_col.min(right).max(start_col.max(first) + 1) - first) + offset;
    let markers = format!("{}{}", " ".repeat(from), "^".repeat(to - from));
    (source, markers)
}

/// The columns a character takes as shown.
fn cell_width(c: char) -> usize {
    if c == '\t' {
        TAB
    } else if is_unsafe_char(c) {
        shown_width(c)
    } else {
        c.width().unwrap_or(0)
    }
}

fn push_cell(out: &mut String, c: char) {
    if c == '\t' {
        out.push_str(&" ".repeat(TAB));
    } else {
        push_shown(out, c);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(line: &str, what: &str) -> std::ops::Range<usize> {
        let i = line.find(what).unwrap();
        i..i + what.len()
    }

    #[test]
    fn markers_sit_under_wide_characters_tabs_and_escapes() {
        let line = "漢字漢字\tkey: \u{1b}[31mbad";
        let (source, markers) = excerpt(line, at(line, "bad"));
        assert_eq!(source, "漢字漢字    key: \\u{1b}[31mbad");
        // 8 columns of CJK, 4 of tab, `key: ` 5, the escape 6, `[31m` 4.
        assert_eq!(markers, format!("{}^^^", " ".repeat(8 + 4 + 5 + 6 + 4)));
    }

    #[test]
    fn long_lines_are_cut_around_the_problem() {
        let line = format!("{}ERROR{}", "字".repeat(100), "x".repeat(200));
        let (source, markers) = excerpt(&line, at(&line, "ERROR"));
        assert!(
            source.starts_with("...") && source.ends_with("..."),
            "{source}"
        );
        let caret = markers.find('^').unwrap();
        // The markers are under ERROR, counted in display columns.
        let before: usize = source[..source.find("ERROR").unwrap()]
            .chars()
            .map(|c| c.width().unwrap_or(0))
            .sum();
        assert_eq!(caret, before);
        assert_eq!(markers.trim(), "^^^^^");
    }

    #[test]
    fn an_empty_span_gets_one_marker() {
        let (_, markers) = excerpt("abc", 3..3);
        assert_eq!(markers, "   ^");
    }
}
