//! The importer: turns a raw scraped transcript page (text) into the text of a
//! `.transcript` file plus a report of what was done and what was uncertain.
//!
//! Pure: text in, text and report out; no files, terminal or LSP types. The
//! work is split by job, layouts above the shared steps:
//!
//! - [`layouts`]: which layout a page has ([`Layouts::detect`]) and how each
//!   cuts a page into a [`page::Page`] (header facts, lead, body, what was
//!   dropped); one module per built-in layout behind one interface;
//! - [`profile`]: sources described as data (JSON), for the built-in layouts
//!   and for a user's;
//! - shared steps below them: [`lines`] (numbered lines and paragraphs),
//!   [`front_matter`] (YAML front matter), [`dates`] (dates, times, places),
//!   [`reflow`] (hard-wrapped lines joined), [`markdown`] (Markdown undone),
//!   [`trailer`] (site navigation and link blocks), [`labels`] (speaker
//!   labels: name, role, context, capitals), [`body`] (paragraphs as turns,
//!   narration, notes and sections), [`markup`] (escaping for the parser),
//!   [`entities`] (registry names as mentions), [`header`] (the rendered
//!   header) and [`report`] (what was done, and the summary).

mod body;
mod dates;
mod entities;
mod front_matter;
mod header;
mod labels;
mod layouts;
mod lines;
mod markdown;
mod markup;
mod page;
pub mod profile;
mod reflow;
mod report;
mod trailer;

pub use layouts::{Layout, Layouts};
pub use profile::{Profile, ProfileError};
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

/// Converts one raw page into a transcript with the built-in layout that
/// fits it, or the plain layout when none does (the report says so). Never
/// panics; any input gives a transcript with a header.
pub fn import(raw: &str, options: &ImportOptions) -> Imported {
    let layouts = Layouts::default();
    match layouts.detect(raw) {
        Some(layout) => import_as(raw, layout, options),
        None => {
            let mut imported = import_as(raw, layouts.plain(), options);
            imported.report.notes.insert(
                0,
                "no layout fits this page: read with the plain layout".into(),
            );
            imported
        }
    }
}

/// Converts one raw page into a transcript with the given layout. Never
/// panics; any input gives a transcript with a header.
pub fn import_as(raw: &str, layout: &Layout, options: &ImportOptions) -> Imported {
    let lines = lines::split_lines(raw);
    let page = layout.split(&lines);
    let mut report = ImportReport {
        layout: layout.name().to_string(),
        ..ImportReport::default()
    };
    report.lines_dropped = page.dropped_lines;
    report.trailer_line = page.trailer_start.as_ref().map(|(no, _)| *no);
    let lines_word = |n: usize| {
        if n == 1 {
            "1 line".to_string()
        } else {
            format!("{n} lines")
        }
    };
    if page.dropped_lines > 0 {
        match &page.trailer_start {
            Some((no, first)) if page.trailer_is_navigation => report.note(format!(
                "dropped {} of site navigation from line {no} (`{first}`) to the end",
                lines_word(page.dropped_lines)
            )),
            Some((no, first)) => report.note(format!(
                "dropped {} (the end marks from line {no}, `{first}`, and lines the profile drops)",
                lines_word(page.dropped_lines)
            )),
            None => report.note(format!(
                "dropped {} the profile drops",
                lines_word(page.dropped_lines)
            )),
        }
    }
    report.notes.extend(page.notes.iter().cloned());

    let body = body::build(&page, layout.profile(), options, &mut report);
    let header = header::render(&page.header, &body.speakers, &mut report);

    let mut text = header;
    text.push('\n');
    text.push_str(&body.text);
    let mut tail: Vec<String> = Vec::new();
    if !page.after.is_empty() {
        report.note(format!(
            "kept {} after the end of the transcript as comments",
            if page.after.len() == 1 {
                "1 paragraph".to_string()
            } else {
                format!("{} paragraphs", page.after.len())
            }
        ));
        tail.extend(
            page.after
                .iter()
                .map(|a| format!("// After the transcript: {a}")),
        );
    }
    if page.dropped_lines > 0
        && page.trailer_is_navigation
        && let Some((_, first)) = &page.trailer_start
    {
        tail.push(format!(
            "// Import: {} lines of site navigation after the transcript (from `{}`) were dropped.",
            page.dropped_lines,
            first.replace('\n', " ")
        ));
    }
    if !tail.is_empty() {
        if !body.text.is_empty() {
            text.push('\n');
        }
        text.push_str(&tail.join("\n"));
        text.push('\n');
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
