//! Reporters for `check`: the same diagnostics as text for people (`human`),
//! JSON, GitHub workflow commands and SARIF. Lines and columns are 1-based;
//! columns count Unicode characters.

mod github;
mod human;
mod json;
mod sarif;

use std::borrow::Cow;
use std::cell::Cell;

use crate::diagnostic::Diagnostic;
use crate::syntax::Span;
use crate::text::{Cursor, Encoding, LineCol, LineIndex};

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Human,
    Json,
    Github,
    Sarif,
}

/// One checked file: its name as shown, its text and its diagnostics.
pub struct FileReport {
    pub path: String,
    pub text: String,
    pub index: LineIndex,
    pub diagnostics: Vec<Diagnostic>,
    /// Where the last start and the last end were found.
    starts: Cell<Option<(usize, LineCol)>>,
    ends: Cell<Option<(usize, LineCol)>>,
}

impl FileReport {
    pub fn new(path: String, text: String, diagnostics: Vec<Diagnostic>) -> Self {
        FileReport {
            index: LineIndex::new(&text),
            path,
            text,
            diagnostics,
            starts: Cell::new(None),
            ends: Cell::new(None),
        }
    }

    /// 1-based start and end (exclusive) of a span, in characters. Spans
    /// come in order: each end is counted on from the previous one (a
    /// `text::Cursor` each), so many on one long line cost one pass.
    pub fn location(&self, span: &Span) -> Location {
        // A byte order mark is not a character people see or count.
        let bom = u32::from(self.text.starts_with('\u{feff}'));
        let column = |cell: &Cell<Option<(usize, LineCol)>>, offset: usize| {
            let mut cursor = Cursor::resume(&self.index, &self.text, Encoding::Chars, cell.get());
            let mut lc = cursor.line_col(offset);
            cell.set(cursor.last());
            if lc.line == 0 {
                lc.col = lc.col.saturating_sub(bom);
            }
            lc
        };
        let (start, end) = (
            column(&self.starts, span.start),
            column(&self.ends, span.end),
        );
        Location {
            line: start.line as usize + 1,
            column: start.col as usize + 1,
            end_line: end.line as usize + 1,
            end_column: end.col as usize + 1,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Location {
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
}

/// A related place of a diagnostic (the first declaration of a duplicate),
/// with its location when its file is among the reports.
pub struct Place<'a> {
    pub message: &'a str,
    pub path: Cow<'a, str>,
    pub location: Option<Location>,
}

impl Place<'_> {
    /// `first declared here (file:line:col)`, or only the file when its lines are unknown.
    pub fn note(&self) -> String {
        match &self.location {
            Some(loc) => format!(
                "{} ({}:{}:{})",
                self.message, self.path, loc.line, loc.column
            ),
            None => format!("{} ({})", self.message, self.path),
        }
    }
}

/// The related places of `d`, a diagnostic of `report`. A place in another
/// file is found in that file's report (a cross-file duplicate has one,
/// since both files have the diagnostic).
pub fn related<'a>(
    reports: &'a [FileReport],
    report: &'a FileReport,
    d: &'a Diagnostic,
) -> Vec<Place<'a>> {
    d.related
        .iter()
        .map(|r| {
            let other = r.file.as_ref().map(|file| {
                let name = file.to_string_lossy();
                (reports.iter().find(|o| o.path == name), file)
            });
            let (path, location) = match other {
                None => (report.path.as_str().into(), Some(report.location(&r.span))),
                Some((Some(o), _)) => (o.path.as_str().into(), Some(o.location(&r.span))),
                Some((None, file)) => (file.to_string_lossy(), None),
            };
            Place {
                message: &r.message,
                path,
                location,
            }
        })
        .collect()
}

pub fn render(format: Format, reports: &[FileReport], color: bool) -> String {
    match format {
        Format::Human => human::render(reports, color),
        Format::Json => json::render(reports),
        Format::Github => github::render(reports),
        Format::Sarif => sarif::render(reports),
    }
}
