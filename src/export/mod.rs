//! Export: a transcript in the formats of the tools researchers use — JSON
//! (with a JSON Schema), TSV for dataframes, TEI for corpus tools, WebVTT
//! for media players. Each format is a pure function of the [`Facts`] that
//! this module reads off the core's model and analysis (the outline's
//! sections and questions, the plain text of paragraphs), so every format
//! agrees with the others and with what the editor shows. No files, no
//! terminal: `cli/export.rs` does the reading and writing.

pub mod json;
pub mod tei;
pub mod tsv;
pub mod webvtt;

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::NaiveDate;

use crate::analysis::turns::{self, Body, BodyTurn};
use crate::analysis::{Analysis, Rule, parse_date};
use crate::registry::{ENTITY_TYPES, Entity, Registry};
use crate::syntax::{
    Document, HeaderEntry, Label, LabelKind, Mark, Mention, Note, Span, plain_text_marked,
    split_speaker, word_count,
};

/// Everything the formats are written from, for one transcript.
pub struct Facts<'a> {
    /// The file's name as the user gave it (relative path), `<stdin>` for standard input.
    pub file: &'a str,
    pub doc: &'a Document,
    pub registry: Option<&'a Registry>,
    pub metadata: Metadata<'a>,
    pub body: Body<'a>,
    /// One for each of `body.turns`.
    pub turns: Vec<TurnFacts<'a>>,
    /// Everyone who has a turn or is declared in the header, declared ones
    /// first, then in the order of their first turn. Question labels are
    /// not speakers.
    pub speakers: Vec<Speaker>,
    /// The registry entities the file refers to (mentions and speakers), by id.
    pub entities: Vec<Entity<'a>>,
}

/// The header, with the typed values of the standard keys. A value the
/// analysis finds invalid (an `invalid-…` diagnostic on it) has no typed value.
pub struct Metadata<'a> {
    /// Every header line, in order.
    pub entries: &'a [HeaderEntry],
    pub title: Option<&'a str>,
    pub date: Option<NaiveDate>,
    pub time: Option<&'a str>,
    pub place: Option<&'a str>,
    pub event: Option<&'a str>,
    pub language: Option<&'a str>,
    pub languages: Vec<&'a str>,
    pub source: Option<&'a str>,
    pub tags: Vec<&'a str>,
    pub id: Option<&'a str>,
}

/// A speaker: the name of the turn labels, the role (from the header's
/// declaration, else the registry's) and the registry entity.
#[derive(Debug, Clone, PartialEq)]
pub struct Speaker {
    pub name: String,
    pub role: Option<String>,
    pub entity: Option<String>,
}

/// A turn's text: its paragraphs' plain text, and the turn's figures.
pub struct TurnFacts<'a> {
    pub paragraphs: Vec<PlainParagraph<'a>>,
    /// Words as the editor counts them (`word_count`).
    pub words: usize,
    /// The index of the speaker in [`Facts::speakers`] (a speaker's turn).
    pub speaker: Option<usize>,
    /// The first time code in the turn, in seconds.
    pub time: Option<u32>,
}

/// A paragraph's plain text, with where its mentions and notes are (byte offsets).
pub struct PlainParagraph<'a> {
    pub text: String,
    pub marks: Vec<Mark<'a>>,
}

/// A mark of a turn's joined text: a mention's byte range or a note's offset.
#[derive(Debug, Clone, PartialEq)]
pub enum TurnMark<'a> {
    Mention(&'a Mention, Span),
    Note(&'a Note, usize),
}

/// How the paragraphs of a turn are joined in its text.
pub const PARAGRAPH_BREAK: &str = "\n";

impl<'a> TurnFacts<'a> {
    /// The turn's text: the plain text of its paragraphs that have any, one
    /// line each ([`PARAGRAPH_BREAK`]); with its mentions and notes, offsets
    /// in bytes into that text. A note in a paragraph without text stands at
    /// the end of the text before it.
    pub fn joined(&self) -> (String, Vec<TurnMark<'a>>) {
        let mut text = String::new();
        let mut marks = Vec::new();
        for p in &self.paragraphs {
            let shift = if p.text.is_empty() || text.is_empty() {
                text.len()
            } else {
                text.len() + PARAGRAPH_BREAK.len()
            };
            for mark in &p.marks {
                marks.push(match mark {
                    Mark::Mention(m, r) => TurnMark::Mention(m, r.start + shift..r.end + shift),
                    Mark::Note(n, at) => {
                        TurnMark::Note(n, if p.text.is_empty() { shift } else { at + shift })
                    }
                });
            }
            if !p.text.is_empty() {
                if !text.is_empty() {
                    text.push_str(PARAGRAPH_BREAK);
                }
                text.push_str(&p.text);
            }
        }
        (text, marks)
    }
}

/// What a mention refers to, resolved against the registry.
pub struct Resolved<'a> {
    /// The registry entity, if the reference is one.
    pub entity: Option<Entity<'a>>,
    /// The built-in type of an ad-hoc mention, or the entity's type.
    pub kind: Option<&'a str>,
}

pub fn resolve<'a>(mention: &'a Mention, registry: Option<&'a Registry>) -> Resolved<'a> {
    let r = mention.reference.as_str();
    if ENTITY_TYPES.contains(&r) {
        return Resolved {
            entity: None,
            kind: Some(r),
        };
    }
    let entity = registry.and_then(|reg| reg.entity(r));
    Resolved {
        entity,
        kind: entity.and_then(|e| e.kind()),
    }
}

impl<'a> Facts<'a> {
    /// Reads the facts of a transcript off its analysis.
    pub fn new(
        file: &'a str,
        text: &'a str,
        analysis: &'a Analysis,
        registry: Option<&'a Registry>,
    ) -> Facts<'a> {
        let doc = &analysis.syntax;
        let body = turns::body(text, doc);
        let speakers = speakers(doc, &body, registry);
        let by_name: HashMap<&str, usize> = speakers
            .iter()
            .enumerate()
            .map(|(i, s)| (s.name.as_str(), i))
            .collect();
        let turns = body
            .turns
            .iter()
            .map(|t| turn_facts(text, t, &by_name))
            .collect();
        Facts {
            file,
            doc,
            registry,
            metadata: metadata(doc, analysis),
            entities: used_entities(doc, &speakers, registry),
            speakers,
            body,
            turns,
        }
    }

    /// The speaker of a turn's label: a known speaker, or a question label
    /// as a speaker with no role or entity.
    pub fn speaker_of(&self, index: usize) -> Option<Speaker> {
        let label = self.body.turns[index].label?;
        Some(match self.turns[index].speaker {
            Some(s) => self.speakers[s].clone(),
            None => Speaker {
                name: label.name.clone(),
                role: None,
                entity: None,
            },
        })
    }
}

/// A turn's facts; `speakers` gives the index of each speaker by name.
fn turn_facts<'a>(
    text: &str,
    turn: &BodyTurn<'a>,
    speakers: &HashMap<&str, usize>,
) -> TurnFacts<'a> {
    let paragraphs: Vec<PlainParagraph> = turn
        .paragraphs
        .iter()
        .map(|p| {
            let (text, marks) = plain_text_marked(text, p);
            PlainParagraph { text, marks }
        })
        .collect();
    let time = paragraphs
        .iter()
        .flat_map(|p| &p.marks)
        .find_map(|m| match m {
            Mark::Note(n, _) => n.time_code,
            Mark::Mention(..) => None,
        });
    TurnFacts {
        words: word_count(text, turn.paragraphs),
        speaker: turn
            .label
            .filter(|l| l.kind == LabelKind::Speaker)
            .and_then(|l| speakers.get(l.name.as_str()).copied()),
        time,
        paragraphs,
    }
}

fn speakers(doc: &Document, body: &Body, registry: Option<&Registry>) -> Vec<Speaker> {
    let mut out: Vec<Speaker> = Vec::new();
    let mut seen: HashSet<&str> = HashSet::new();
    let declared = doc
        .header
        .iter()
        .flat_map(|h| h.get("speaker"))
        .filter(|e| !e.value.is_empty())
        .map(|e| split_speaker(&e.value));
    let labels = body
        .turns
        .iter()
        .filter_map(|t| t.label)
        .filter(|l| l.kind == LabelKind::Speaker)
        .map(|l: &Label| (l.name.as_str(), None));
    for (name, role) in declared.chain(labels) {
        if !seen.insert(name) {
            continue;
        }
        let known = registry.and_then(|r| r.speakers.get(name));
        out.push(Speaker {
            name: name.to_string(),
            role: role
                .map(str::to_string)
                .or_else(|| known.and_then(|k| k.role.clone())),
            entity: known
                .and_then(|k| k.entity.clone())
                .filter(|e| registry.is_some_and(|r| r.entity(e).is_some())),
        });
    }
    out
}

fn used_entities<'a>(
    doc: &Document,
    speakers: &[Speaker],
    registry: Option<&'a Registry>,
) -> Vec<Entity<'a>> {
    let Some(registry) = registry else {
        return Vec::new();
    };
    let mut used: BTreeMap<&'a str, Entity<'a>> = BTreeMap::new();
    let ids = doc
        .mentions()
        .map(|m| m.reference.as_str())
        .chain(speakers.iter().filter_map(|s| s.entity.as_deref()));
    for id in ids {
        if let Some(e) = registry.entity(id) {
            used.insert(e.id(), e);
        }
    }
    used.into_values().collect()
}

/// The rules that say a header value is not of its type.
const INVALID_VALUE: &[Rule] = &[
    Rule::InvalidTime,
    Rule::InvalidLanguageTag,
    Rule::InvalidUrl,
    Rule::InvalidId,
];

fn metadata<'a>(doc: &'a Document, analysis: &Analysis) -> Metadata<'a> {
    let entries: &[HeaderEntry] = doc.header.as_ref().map_or(&[], |h| &h.entries);
    let invalid = |span: &Span| {
        analysis.diagnostics.iter().any(|d| {
            INVALID_VALUE.contains(&d.rule) && d.span.start >= span.start && d.span.end <= span.end
        })
    };
    // The first entry of a key, as the analysis reads it (later ones are duplicates).
    let first = |key: &str| {
        entries
            .iter()
            .find(|e| e.key == key)
            .filter(|e| !e.value.is_empty())
    };
    let valid = |key: &str| {
        first(key)
            .filter(|e| !invalid(&e.value_span))
            .map(|e| e.value.as_str())
    };
    let list = |key: &str, check: bool| -> Vec<&'a str> {
        let Some(e) = first(key) else {
            return Vec::new();
        };
        let mut items = Vec::new();
        let mut at = e.value_span.start;
        for piece in e.value.split(',') {
            let item = piece.trim();
            let start = at + (piece.len() - piece.trim_start().len());
            at += piece.len() + 1;
            let bad = check && invalid(&(start..start + item.len()));
            if !item.is_empty() && !bad {
                items.push(item);
            }
        }
        items
    };
    Metadata {
        entries,
        title: first("title").map(|e| e.value.as_str()),
        date: first("date").and_then(|e| parse_date(&e.value, e.value_span.clone()).ok()),
        time: valid("time"),
        place: first("place").map(|e| e.value.as_str()),
        event: first("event").map(|e| e.value.as_str()),
        language: valid("language"),
        languages: list("languages", true),
        source: valid("source"),
        tags: list("tags", false),
        id: valid("id"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::analyze;

    #[test]
    fn joined_text_places_marks_across_paragraphs() {
        let text = "---\ntitle: t\ndate: 2017-06-16\n---\n\n\
            Sergey Lavrov: [00:01:02] Hello [Laos]{place}.\n\n[applause]\n\n“Quoted” [Кремль]{org} 😀.\n";
        let analysis = analyze(text, None);
        let facts = Facts::new("f", text, &analysis, None);
        let (joined, marks) = facts.turns[0].joined();
        assert_eq!(joined, "Hello Laos.\n“Quoted” Кремль 😀.");
        let cut: Vec<String> = marks
            .iter()
            .map(|m| match m {
                TurnMark::Mention(m, r) => format!("{}={}", m.reference, &joined[r.clone()]),
                TurnMark::Note(n, at) => format!("{}@{at}", n.text),
            })
            .collect();
        assert_eq!(
            cut,
            ["00:01:02@0", "place=Laos", "applause@11", "org=Кремль"]
        );
        assert_eq!(facts.turns[0].time, Some(62));
        assert_eq!(facts.turns[0].words, 4, "the emoji alone is no word");
    }

    #[test]
    fn invalid_values_are_not_typed() {
        let text = "---\ntitle: t\ndate: 2017-02-29\ntime: 25:00\nlanguages: en-GB, en_GB\nid: a b\nsource: https://example.org/x\n---\n";
        let analysis = analyze(text, None);
        let facts = Facts::new("f", text, &analysis, None);
        let m = &facts.metadata;
        assert_eq!((m.date, m.time, m.id), (None, None, None));
        assert_eq!(m.languages, ["en-GB"]);
        assert_eq!(m.source, Some("https://example.org/x"));
        assert_eq!(m.entries.len(), 6);
    }
}
