//! rustc-style reports: `file:line:col`, severity, code, message, the source
//! lines with a caret underline, and the help.

use annotate_snippets::{Level, Renderer, Snippet};

use super::{FileReport, Place, related};
use crate::diagnostic::{Diagnostic, Severity};

fn level(s: Severity) -> Level {
    match s {
        Severity::Error => Level::Error,
        Severity::Warning => Level::Warning,
        Severity::Info => Level::Info,
        Severity::Hint => Level::Note,
    }
}

pub fn render(reports: &[FileReport], color: bool) -> String {
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let mut out = String::new();
    for report in reports {
        for d in &report.diagnostics {
            out.push_str(&render_one(&renderer, reports, report, d));
            out.push_str("\n\n");
        }
    }
    out
}

fn render_one(
    renderer: &Renderer,
    reports: &[FileReport],
    report: &FileReport,
    d: &Diagnostic,
) -> String {
    let text = &report.text;
    let index = &report.index;
    // The lines the span covers; a span that ends with a line ending stays on its line.
    let first = index.line_of(d.span.start);
    let last = index.line_of(d.span.end.saturating_sub(1).max(d.span.start));
    let start = index
        .line_range(text, first)
        .map_or(text.len(), |r| r.start);
    let end = index
        .line_range(text, last)
        .map_or(text.len(), |r| r.end)
        .max(start);
    let excerpt = &text[start..end];
    let span_start = d.span.start.clamp(start, end) - start;
    let span_end = d.span.end.clamp(start, end) - start;
    let title = d.message.clone();
    let help = d.help.clone().unwrap_or_default();
    let mut message = level(d.severity).title(&title).id(d.rule.name()).snippet(
        Snippet::source(excerpt)
            .line_start(first + 1)
            .origin(&report.path)
            .annotation(level(d.severity).span(span_start..span_end.max(span_start))),
    );
    if d.help.is_some() {
        message = message.footer(Level::Help.title(&help));
    }
    let notes: Vec<String> = related(reports, report, d)
        .iter()
        .map(Place::note)
        .collect();
    message = message.footers(notes.iter().map(|n| Level::Note.title(n)));
    renderer.render(message).to_string()
}
