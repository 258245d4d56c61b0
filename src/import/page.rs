//! A raw page cut into its parts, as a layout leaves it for the shared steps
//! below: what the page says about itself (the header facts), the lead, the
//! body's paragraphs, and what was dropped or kept aside. A leaf: layouts
//! fill it, the body, the header and the report read it.

use chrono::NaiveDate;

use super::lines::Paragraph;

/// What the raw page says about itself.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct HeaderInfo {
    pub title: Option<String>,
    pub date: Option<NaiveDate>,
    /// `HH:MM`, or `HH:MM±HH:MM` when the page gives a known time zone.
    pub time: Option<String>,
    pub place: Option<String>,
    /// BCP 47 tags, in page order.
    pub languages: Vec<String>,
    pub source: Option<String>,
    pub tags: Vec<String>,
    /// Extension keys (`x-time-zone`), in order.
    pub extra: Vec<(String, String)>,
}

/// The page cut into its parts.
#[derive(Debug, Clone, Default)]
pub(crate) struct Page {
    pub header: HeaderInfo,
    /// Paragraphs between the title and the date (Kremlin layout).
    pub lead: Vec<Paragraph>,
    pub body: Vec<Paragraph>,
    /// Non-blank lines dropped: site navigation after the body, end marks,
    /// lines and blocks a profile drops.
    pub dropped_lines: usize,
    /// The first line of the trailing navigation or end marks, with its
    /// number: where the transcript ends.
    pub trailer_start: Option<(usize, String)>,
    /// Whether the trailer is site navigation (summarised in a comment) or
    /// end marks (`END`, the end time: counted only).
    pub trailer_is_navigation: bool,
    /// Lines kept as comments inside the body: (index of the body paragraph
    /// they stand before, text).
    pub comments: Vec<(usize, String)>,
    /// Paragraphs after the transcript's end, kept as comments.
    pub after: Vec<String>,
    pub notes: Vec<String>,
}
