//! `--to json`: one JSON document per transcript. The types below are the
//! format: they write it (serde) and describe it (schemars), so the JSON
//! Schema in `docs/export.schema.json` cannot drift from the output.
//! Offsets count Unicode code points.

use schemars::{JsonSchema, schema_for};
use serde::Serialize;

use super::{Facts, TurnMark, resolve};
use crate::analysis::turns::TurnKind;
use crate::registry;

/// A transcript exported by `transcript-ls export --to json`.
#[derive(Debug, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
#[schemars(title = "transcript-ls export")]
pub struct Transcript {
    /// The version of this format.
    pub version: Version,
    /// The unit of every `start`, `end` and `at` offset: Unicode code points
    /// (not bytes, not UTF-16 code units) into the turn's `text`.
    pub offset_unit: OffsetUnit,
    /// The file, as named on the command line (`<stdin>` for standard input).
    pub file: String,
    pub metadata: Metadata,
    /// Every header line, in order, as written.
    pub header: Vec<HeaderLine>,
    /// The sections, nested by heading level, in order.
    pub sections: Vec<Section>,
    /// The turns and the narration paragraphs between them, in order.
    pub turns: Vec<Turn>,
    /// The registry entities the file refers to (in mentions or as a
    /// speaker's entity), by id.
    pub entities: Vec<Entity>,
}

#[derive(Debug, Clone, Copy, Serialize, JsonSchema)]
pub enum Version {
    #[serde(rename = "1")]
    V1,
}

#[derive(Debug, Clone, Copy, Serialize, JsonSchema)]
pub enum OffsetUnit {
    #[serde(rename = "code_point")]
    CodePoint,
}

/// The header's standard keys, typed. A key that is missing, or whose value
/// the checker reports invalid, is `null` (or an empty list); `header` has
/// every line as written.
#[derive(Debug, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Metadata {
    pub title: Option<String>,
    /// `YYYY-MM-DD`, a real calendar date.
    #[schemars(extend("format" = "date"))]
    pub date: Option<String>,
    /// `HH:MM` or `HH:MM:SS`, 24-hour, with an optional offset `Z` or `±HH:MM`.
    pub time: Option<String>,
    pub place: Option<String>,
    pub event: Option<String>,
    /// The language of the text, a BCP 47 tag.
    pub language: Option<String>,
    /// The languages the transcript is published in, BCP 47 tags.
    pub languages: Vec<String>,
    #[schemars(extend("format" = "uri"))]
    pub source: Option<String>,
    /// Everyone declared in the header or with a turn: declared ones first,
    /// then in the order of their first turn.
    pub speakers: Vec<Speaker>,
    pub tags: Vec<String>,
    pub id: Option<String>,
}

#[derive(Debug, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct HeaderLine {
    pub key: String,
    pub value: String,
}

/// A speaker, or a question label (`Question`) as the speaker of a question.
#[derive(Debug, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Speaker {
    /// The name as in the turn labels.
    pub name: String,
    /// From the header's `speaker:` line, else from the registry's `speakers`.
    pub role: Option<String>,
    /// The registry entity id of the speaker.
    pub entity: Option<String>,
}

#[derive(Debug, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Section {
    /// The section's number in document order, from 0; turns refer to it.
    pub index: usize,
    /// The heading's text.
    pub title: String,
    /// 1 for `#`, 2 for `##`, …
    pub level: usize,
    pub sections: Vec<Section>,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Question,
    Answer,
    Remark,
    Narration,
}

#[derive(Debug, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Turn {
    /// The turn's number in the file, from 1 (the TSV's `turn`).
    pub index: usize,
    /// `question`: a turn with a question label; `answer`: a speaker's turn
    /// after a question, up to the next question or heading; `remark`: any
    /// other speaker's turn; `narration`: a paragraph outside any turn.
    pub kind: Kind,
    /// The `index` of the innermost section the turn is in.
    pub section: Option<usize>,
    /// The titles of the sections it is in, outermost first.
    pub section_path: Vec<String>,
    /// `null` for narration.
    pub speaker: Option<Speaker>,
    /// A question's number in the file, from 1 (`Q1` in the editor's outline).
    pub question: Option<usize>,
    /// A question's attribution: `RIA Novosti` in `Question (RIA Novosti):`.
    pub attribution: Option<String>,
    /// The number of the question an answer answers.
    pub answers: Option<usize>,
    /// The plain text: mentions as their surface text, notes left out,
    /// escapes undone, spaces folded, one line per paragraph.
    pub text: String,
    /// Whitespace-separated words of `text`, as the editor counts them.
    pub words: usize,
    pub mentions: Vec<Mention>,
    pub notes: Vec<Note>,
    /// The first time code in the turn, in seconds from the start.
    pub time: Option<u32>,
}

/// An entity mention: `text[start..end]` (in code points) is `surface`.
#[derive(Debug, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Mention {
    /// Offset of the first code point of the surface in `text`.
    pub start: usize,
    /// Offset just past the surface's last code point.
    pub end: usize,
    pub surface: String,
    /// The reference as written between the braces.
    pub reference: String,
    /// The registry entity id; `null` for ad-hoc mentions (`{place}`).
    pub entity: Option<String>,
    /// The built-in type of an ad-hoc mention, or the entity's type.
    #[serde(rename = "type")]
    pub kind: Option<String>,
    /// The entity's name in the registry.
    pub name: Option<String>,
}

/// An editorial note (`[applause]`) or a time code (`[00:14:20]`).
#[derive(Debug, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Note {
    /// Where the note stood in `text`, in code points: after the words before it.
    pub at: usize,
    pub text: String,
    /// A time code's seconds from the start.
    pub time: Option<u32>,
}

/// A registry entity.
#[derive(Debug, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Entity {
    pub id: String,
    pub name: String,
    /// `person`, `org`, `place`, `event`, `work`, `law` or `misc`.
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub description: Option<String>,
    pub aliases: Vec<String>,
    /// A Wikidata item id, `Q` and digits.
    pub wikidata: Option<String>,
}

/// The JSON Schema (draft 2020-12) of the export, as pretty JSON with a final line break.
pub fn schema() -> String {
    let mut json =
        serde_json::to_string_pretty(&schema_for!(Transcript)).expect("a schema serialises");
    json.push('\n');
    json
}

/// The transcript as JSON: pretty (for a file of its own) or on one line
/// (a line of JSON Lines).
pub fn render(facts: &Facts, pretty: bool) -> String {
    let value = transcript(facts);
    let json = if pretty {
        serde_json::to_string_pretty(&value)
    } else {
        serde_json::to_string(&value)
    };
    json.expect("the export serialises")
}

pub fn transcript(facts: &Facts) -> Transcript {
    let m = &facts.metadata;
    let owned = |s: Option<&str>| s.map(str::to_string);
    let list = |v: &[&str]| v.iter().map(|s| s.to_string()).collect();
    Transcript {
        version: Version::V1,
        offset_unit: OffsetUnit::CodePoint,
        file: facts.file.to_string(),
        metadata: Metadata {
            title: owned(m.title),
            date: m.date.map(|d| d.format("%Y-%m-%d").to_string()),
            time: owned(m.time),
            place: owned(m.place),
            event: owned(m.event),
            language: owned(m.language),
            languages: list(&m.languages),
            source: owned(m.source),
            speakers: facts.speakers.iter().map(speaker).collect(),
            tags: list(&m.tags),
            id: owned(m.id),
        },
        header: m
            .entries
            .iter()
            .map(|e| HeaderLine {
                key: e.key.clone(),
                value: e.value.clone(),
            })
            .collect(),
        sections: sections(facts, None),
        turns: (0..facts.turns.len()).map(|i| turn(facts, i)).collect(),
        entities: facts.entities.iter().map(|e| entity(e)).collect(),
    }
}

fn speaker(s: &super::Speaker) -> Speaker {
    Speaker {
        name: s.name.clone(),
        role: s.role.clone(),
        entity: s.entity.clone(),
    }
}

fn sections(facts: &Facts, parent: Option<usize>) -> Vec<Section> {
    facts
        .body
        .sections
        .iter()
        .enumerate()
        .filter(|(_, s)| s.parent == parent)
        .map(|(index, s)| Section {
            index,
            title: s.heading.text.clone(),
            level: s.heading.level,
            sections: sections(facts, Some(index)),
        })
        .collect()
}

fn turn(facts: &Facts, index: usize) -> Turn {
    let t = &facts.body.turns[index];
    let f = &facts.turns[index];
    let (text, marks) = f.joined();
    let mut chars = CharOffsets::new(&text);
    let mut mentions = Vec::new();
    let mut notes = Vec::new();
    for mark in marks {
        match mark {
            TurnMark::Mention(m, range) => {
                let resolved = resolve(m, facts.registry);
                mentions.push(Mention {
                    start: chars.at(range.start),
                    end: chars.at(range.end),
                    surface: text[range].to_string(),
                    reference: m.reference.clone(),
                    entity: resolved.entity.map(|e| e.id().to_string()),
                    kind: resolved.kind.map(str::to_string),
                    name: resolved.entity.map(|e| e.name().to_string()),
                });
            }
            TurnMark::Note(n, at) => notes.push(Note {
                at: chars.at(at),
                text: n.text.clone(),
                time: n.time_code,
            }),
        }
    }
    Turn {
        index: index + 1,
        kind: kind(t.kind),
        section: t.section,
        section_path: facts
            .body
            .section_path(t.section)
            .into_iter()
            .map(str::to_string)
            .collect(),
        speaker: facts.speaker_of(index).as_ref().map(speaker),
        question: t.asks(),
        attribution: t.attribution().map(str::to_string),
        answers: t.answers(),
        words: f.words,
        time: f.time,
        text,
        mentions,
        notes,
    }
}

pub fn kind(k: TurnKind) -> Kind {
    match k {
        TurnKind::Question => Kind::Question,
        TurnKind::Answer => Kind::Answer,
        TurnKind::Remark => Kind::Remark,
        TurnKind::Narration => Kind::Narration,
    }
}

fn entity(e: &registry::Entity) -> Entity {
    Entity {
        id: e.id().to_string(),
        name: e.name().to_string(),
        kind: e.kind().map(str::to_string),
        description: e.description().map(str::to_string),
        aliases: e.aliases().map(str::to_string).collect(),
        wikidata: e.wikidata().map(str::to_string),
    }
}

/// Byte offsets into a text as code point offsets, for offsets that mostly
/// come in increasing order (each is counted on from the one before).
struct CharOffsets<'t> {
    text: &'t str,
    byte: usize,
    chars: usize,
}

impl<'t> CharOffsets<'t> {
    fn new(text: &'t str) -> Self {
        CharOffsets {
            text,
            byte: 0,
            chars: 0,
        }
    }

    fn at(&mut self, byte: usize) -> usize {
        if byte < self.byte {
            self.byte = 0;
            self.chars = 0;
        }
        self.chars += self.text[self.byte..byte].chars().count();
        self.byte = byte;
        self.chars
    }
}
