//! The import report: what the importer found and did (layout, questions,
//! speakers, dropped lines, mentions) and what it was unsure of, with a
//! human-readable summary for the command line.

use std::fmt;

/// A speaker as declared in the output header.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SpeakerSummary {
    /// The label used in the body.
    pub name: String,
    pub role: Option<String>,
    /// Number of turns with this label.
    pub turns: usize,
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportReport {
    /// The name of the layout the page was read with.
    pub layout: String,
    pub title: Option<String>,
    /// `Question` turns written.
    pub questions: usize,
    /// All turns written (questions included).
    pub turns: usize,
    /// Declared speakers, main speaker first.
    pub speakers: Vec<SpeakerSummary>,
    /// Non-blank lines of site navigation dropped.
    pub lines_dropped: usize,
    /// The raw line (1-based) where the dropped navigation starts.
    pub trailer_line: Option<usize>,
    /// Errors that `check` would report on the output (none, normally).
    pub errors: Vec<String>,
    /// Entity mentions written.
    pub mentions: usize,
    /// Editorial notes written (separators, asides, captions, pull quotes, label context).
    pub notes_written: usize,
    /// What the importer was unsure of or changed, one sentence each.
    pub notes: Vec<String>,
}

impl ImportReport {
    pub(crate) fn note(&mut self, s: impl Into<String>) {
        self.notes.push(s.into());
    }
}

impl fmt::Display for ImportReport {
    /// A short summary: one line of figures, then the speakers and the notes.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let plural =
            |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        writeln!(
            f,
            "layout {}: {}, {}, {}, {} dropped, {}",
            self.layout,
            plural(self.questions, "question", "questions"),
            plural(self.turns, "turn", "turns"),
            plural(self.speakers.len(), "speaker", "speakers"),
            plural(self.lines_dropped, "line", "lines"),
            plural(self.mentions, "mention", "mentions"),
        )?;
        for s in &self.speakers {
            match &s.role {
                Some(role) => writeln!(
                    f,
                    "  speaker: {} ({role}), {}",
                    s.name,
                    plural(s.turns, "turn", "turns")
                )?,
                None => writeln!(
                    f,
                    "  speaker: {}, {}",
                    s.name,
                    plural(s.turns, "turn", "turns")
                )?,
            }
        }
        for n in &self.notes {
            writeln!(f, "  note: {n}")?;
        }
        for e in &self.errors {
            writeln!(f, "  error in the output: {e}")?;
        }
        Ok(())
    }
}
