//! Import profiles: what a source's pages look like, as data. A profile says
//! how to recognise a page (patterns near the top), where the title, date,
//! time and place are (YAML front matter keys and patterns over the first
//! lines), which paragraph prefixes are questions and speaker labels, how
//! labels map to people, which lines and blocks to drop, where the
//! transcript ends, and whether lines are hard-wrapped or Markdown. Profiles
//! are read from JSON ([`read`]): the built-in ones from
//! `src/import/profiles/*.json`, a user's from a file (`--profile`) or from
//! the registry (`import.profiles`). Patterns are compiled by the `regex`
//! crate (linear time) within size limits, so no profile can hang the tool.

mod json_spans;
mod read;

use std::collections::BTreeMap;

use chrono::NaiveDate;
use regex::Regex;

pub(crate) use read::builtin;
pub use read::{MAX_PROFILE_BYTES, ProfileError, from_file_text, from_registry_text};

/// A source described as data.
#[derive(Debug, Clone, Default)]
pub struct Profile {
    /// The layout name (`--layout NAME`): lowercase letters, digits and `-`.
    pub name: String,
    /// One line for `--list-layouts`.
    pub description: String,
    /// Each must match one of the first `detect_lines` lines.
    pub(crate) detect: Vec<Regex>,
    pub(crate) detect_lines: usize,
    /// Header fields from YAML front matter: field -> front matter key.
    pub(crate) front_matter: Option<BTreeMap<String, String>>,
    /// Patterns over the first lines, in order.
    pub(crate) header: Vec<Step>,
    /// A pattern over the title whose `place` group is the place, when no
    /// line gives one.
    pub(crate) title_place: Option<Regex>,
    /// Lines are wrapped inside paragraphs: each paragraph is joined into one
    /// line, and a line that opens with a label opens a new paragraph.
    pub(crate) hard_wrapped: bool,
    /// The text is Markdown: escapes undone, emphasis and HTML tags removed,
    /// links written as text.
    pub(crate) markdown: bool,
    pub(crate) question: Option<Regex>,
    pub(crate) speaker: Option<Regex>,
    pub(crate) people: Vec<Person>,
    /// Lines dropped wherever they are.
    pub(crate) drop: Vec<Regex>,
    /// Blocks dropped wherever they are: from a line matching the first to
    /// one matching the second.
    pub(crate) drop_blocks: Vec<(Regex, Regex)>,
    /// Lines kept as comments wherever they are.
    pub(crate) comments: Vec<Regex>,
    /// The transcript ends at the last line matching one of these; the lines
    /// from there are dropped when they match `drop` or `end`, kept as
    /// comments otherwise.
    pub(crate) end: Vec<Regex>,
    /// Site navigation after the transcript (dropped from the first line
    /// that is one of these to the end of the page).
    pub(crate) trailer_starts: Vec<String>,
    /// Headings of navigation blocks just before the trailer, dropped too.
    pub(crate) trailer_headings: Vec<String>,
    /// The trailer line after which the publication date stands.
    pub(crate) publication_date: Option<String>,
    /// Headings of link blocks inside the text, kept as comments.
    pub(crate) link_blocks: Vec<String>,
    /// Inline asides written as editorial notes (the `note` group, or the
    /// match without its outer brackets).
    pub(crate) asides: Vec<Regex>,
    /// A one-line paragraph starting so (and not speech) is a photo caption,
    /// kept as an editorial note.
    pub(crate) captions: Option<Regex>,
    /// A quoted paragraph repeating words said near it is the site's pull
    /// quote, kept as an editorial note.
    pub(crate) pull_quotes: bool,
    /// Time zone abbreviations and their UTC offsets.
    pub(crate) zones: BTreeMap<String, String>,
    /// Unlabelled speech before the first turn is the main speaker's.
    pub(crate) opening_remarks: bool,
}

/// One step over the first lines of a page.
#[derive(Debug, Clone)]
pub(crate) struct Step {
    pub pattern: Regex,
    /// How many non-blank lines to look through.
    pub within: usize,
    pub optional: bool,
    /// What the lines passed over become.
    pub skipped: Skipped,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Skipped {
    Lead,
    Place,
    Drop,
}

/// A person a profile knows by their labels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Person {
    pub name: String,
    pub role: Option<String>,
    /// Labels as written, compared without regard to case and spacing.
    pub labels: Vec<String>,
    pub from: Option<NaiveDate>,
    pub until: Option<NaiveDate>,
}

impl Person {
    /// Whether the person holds the label on `date` (any date when unknown).
    pub fn holds(&self, label: &str, date: Option<NaiveDate>) -> bool {
        let in_range = date
            .is_none_or(|d| self.from.is_none_or(|f| d >= f) && self.until.is_none_or(|u| d < u));
        in_range && self.labels.iter().any(|l| same_label(l, label))
    }
}

/// Labels compared without regard to case and spacing.
pub(crate) fn same_label(a: &str, b: &str) -> bool {
    let norm = |s: &str| {
        s.split_whitespace()
            .map(str::to_uppercase)
            .collect::<Vec<_>>()
            .join(" ")
    };
    norm(a) == norm(b)
}

impl Profile {
    /// Whether the profile says how to recognise its pages, so that it can
    /// be chosen by detection (the built-in layouts written in code don't).
    pub(crate) fn detects(&self) -> bool {
        !self.detect.is_empty() || self.header.iter().any(|s| !s.optional)
    }
}
