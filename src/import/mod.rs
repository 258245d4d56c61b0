//! The importer: turns a raw scraped transcript page (text) into the text of a
//! `.transcript` file plus a report of what was done and what was uncertain.
//!
//! Pure: text in, text and report out; no files, terminal or LSP types. The
//! work is split by job:
//!
//! - [`lines`]: the raw text as numbered lines and paragraphs;
//! - [`layout`]: which page layout this is, where the header lines, the lead,
//!   the body and the trailing site navigation are;
//! - [`header`]: dates, times, places, languages and the rendered header;
//! - [`labels`]: speaker labels, split into name, role and context;
//! - [`body`]: the body's paragraphs classified and rendered as turns,
//!   narration, notes and sections;
//! - [`markup`]: escaping raw text so the parser reads it as plain text;
//! - [`entities`]: annotating known names as entity mentions;
//! - [`report`]: the report and its human-readable summary.

mod body;
mod entities;
mod header;
mod labels;
mod layout;
mod lines;
mod markup;
mod report;

pub use layout::PageLayout;
pub use report::{ImportReport, SpeakerSummary};

/// A registry entity as the importer sees it: its id and the names (the
/// entity's name and its aliases) to annotate as mentions of it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EntityNames {
    pub id: String,
    pub names: Vec<String>,
}

/// What the importer may use beyond the raw text.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// Known entities: with none, no `{id}` mentions are written.
    pub entities: Vec<EntityNames>,
}

/// The result of an import: the `.transcript` text and the report.
#[derive(Debug, Clone)]
pub struct Imported {
    pub text: String,
    pub report: ImportReport,
}

/// Converts one raw page into a transcript. Never panics; any input (empty,
/// binary-looking, unknown layout) gives a transcript with a header.
pub fn import(raw: &str, options: &ImportOptions) -> Imported {
    let lines = lines::split_lines(raw);
    let page = layout::analyse(&lines);
    let mut report = ImportReport {
        layout: page.layout,
        ..ImportReport::default()
    };
    report.lines_dropped = page.dropped_lines;
    report.trailer_line = page.trailer_start.as_ref().map(|(no, _)| *no);
    if page.dropped_lines > 0
        && let Some((no, first)) = &page.trailer_start
    {
        report.note(format!(
            "dropped {} of site navigation from line {no} (`{first}`) to the end",
            if page.dropped_lines == 1 {
                "1 line".to_string()
            } else {
                format!("{} lines", page.dropped_lines)
            }
        ));
    }
    report.notes.extend(page.notes.iter().cloned());

    let body = body::build(&page, options, &mut report);
    let header = header::render(&page.header, &body.speakers, &mut report);

    let mut text = header;
    text.push('\n');
    text.push_str(&body.text);
    if page.dropped_lines > 0 {
        if !body.text.is_empty() {
            text.push('\n');
        }
        let what = page
            .trailer_start
            .as_ref()
            .map(|(_, first)| format!(" (from `{}`)", first.replace('\n', " ")))
            .unwrap_or_default();
        text.push_str(&format!(
            "// Import: {} lines of site navigation after the transcript{what} were dropped.\n",
            page.dropped_lines
        ));
    }
    report.title = page.header.title.clone();
    report.errors = self_check(&text, !options.entities.is_empty());
    Imported { text, report }
}

/// The errors `check` finds in the output, as `line N: message (rule)`.
/// With entities, `unknown-entity` is left to the check against the real
/// registry.
fn self_check(text: &str, with_entities: bool) -> Vec<String> {
    let analysis = crate::analysis::analyze(text, None);
    analysis
        .diagnostics
        .iter()
        .filter(|d| d.severity == crate::analysis::Severity::Error)
        .filter(|d| !(with_entities && d.rule.name() == "unknown-entity"))
        .map(|d| {
            let line = text
                .get(..d.span.start)
                .map_or(0, |s| s.matches('\n').count())
                + 1;
            format!("line {line}: {} ({})", d.message, d.rule.name())
        })
        .collect()
}
