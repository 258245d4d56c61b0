//! Reporters for `check`: the same diagnostics as text for people (`human`),
//! JSON, GitHub workflow commands and SARIF, written file by file as the
//! check goes (see [`Writer`]), so that memory does not grow with the number
//! of problems. Lines and columns are 1-based; columns count Unicode
//! characters.

mod github;
mod human;
mod json;
mod sarif;

use std::borrow::Cow;
use std::cell::Cell;
use std::collections::HashMap;
use std::io::Write;

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
/// with its location when its file is known.
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

/// Where places in other files are: the `id` of every file of the run
/// that shares it with another (the only places in other files a
/// diagnostic points at), located in pass one.
pub type Elsewhere = HashMap<String, (Span, Location)>;

/// The related places of `d`, a diagnostic of `report`; a place in another
/// file is located from `elsewhere`.
pub fn related<'a>(
    report: &'a FileReport,
    d: &'a Diagnostic,
    elsewhere: &'a Elsewhere,
) -> Vec<Place<'a>> {
    d.related
        .iter()
        .map(|r| match &r.file {
            None => Place {
                message: &r.message,
                path: report.path.as_str().into(),
                location: Some(report.location(&r.span)),
            },
            Some(file) => {
                let name = file.to_string_lossy();
                let location = elsewhere
                    .get(name.as_ref())
                    .filter(|(span, _)| *span == r.span)
                    .map(|(_, loc)| *loc);
                Place {
                    message: &r.message,
                    path: name,
                    location,
                }
            }
        })
        .collect()
}

/// One file's diagnostics in a format, as the writer puts them between its
/// framing (for JSON and SARIF: the array items, without separators).
pub fn render(
    format: Format,
    report: &FileReport,
    elsewhere: &Elsewhere,
    color: bool,
) -> Vec<String> {
    match format {
        Format::Human => human::render(report, elsewhere, color),
        Format::Json => json::render(report, elsewhere),
        Format::Github => github::render(report, elsewhere),
        Format::Sarif => sarif::render(report, elsewhere),
    }
}

/// Writes a report as it is produced, file by file, so that memory does not
/// grow with the number of problems: the format's opening, each file's
/// items (with the separators JSON needs), and its closing.
pub struct Writer<W: Write> {
    format: Format,
    out: W,
    items: usize,
}

impl<W: Write> Writer<W> {
    pub fn begin(format: Format, mut out: W) -> std::io::Result<Writer<W>> {
        match format {
            Format::Json => out.write_all(b"[")?,
            Format::Sarif => out.write_all(sarif::head().as_bytes())?,
            Format::Human | Format::Github => {}
        }
        Ok(Writer {
            format,
            out,
            items: 0,
        })
    }

    /// Writes the items [`render`] gave for one file.
    pub fn items(&mut self, items: &[String]) -> std::io::Result<()> {
        for item in items {
            match self.format {
                Format::Json | Format::Sarif => {
                    let indent = if self.format == Format::Json { 2 } else { 8 };
                    if self.items > 0 {
                        self.out.write_all(b",")?;
                    }
                    for line in item.lines() {
                        write!(self.out, "\n{:indent$}{line}", "")?;
                    }
                }
                Format::Human => write!(self.out, "{item}\n\n")?,
                Format::Github => writeln!(self.out, "{item}")?,
            }
            self.items += 1;
        }
        Ok(())
    }

    pub fn end(mut self) -> std::io::Result<()> {
        match self.format {
            Format::Json if self.items > 0 => self.out.write_all(b"\n]\n")?,
            Format::Json => self.out.write_all(b"]\n")?,
            Format::Sarif => {
                if self.items > 0 {
                    self.out.write_all(b"\n      ")?;
                }
                self.out.write_all(sarif::tail().as_bytes())?;
            }
            Format::Human | Format::Github => {}
        }
        self.out.flush()
    }
}
