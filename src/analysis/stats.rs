//! Counts of a transcript, added up over a collection: turns, questions and
//! words; per speaker turns and words; per outlet (a question's attribution)
//! questions; per entity mentions and files. Plain data read off
//! [`turns::body`](super::turns::body); `transcript-ls stats` renders it.

use std::collections::BTreeMap;

use super::turns::{TurnKind, body};
use crate::registry::{ENTITY_TYPES, Registry};
use crate::syntax::{Document, Mention, word_count};

/// The counts of one file or of several.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Stats {
    pub files: usize,
    /// Labelled turns (questions, answers, remarks), as the editor counts them.
    pub turns: usize,
    pub questions: usize,
    /// Words of the turns; the speakers' words add up to it.
    pub words: usize,
    /// Paragraphs outside any turn, and their words (not in `words`).
    pub narration: usize,
    pub narration_words: usize,
    /// By label: a speaker's name, or a question label (`Question`).
    pub speakers: BTreeMap<String, Tally>,
    /// Questions by attribution; `None` for questions without one.
    pub outlets: BTreeMap<Option<String>, usize>,
    pub entities: BTreeMap<Mentioned, EntityTally>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub turns: usize,
    pub words: usize,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct EntityTally {
    pub mentions: usize,
    /// Files with at least one mention.
    pub files: usize,
}

/// What a mention refers to.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Mentioned {
    /// An entity of the registry.
    Entity {
        id: String,
        name: String,
        kind: Option<String>,
    },
    /// An ad-hoc mention with a built-in type: the type and the surface text.
    AdHoc { kind: String, surface: String },
    /// A reference that is neither (a file with `unknown-entity` errors).
    Unknown { reference: String },
}

impl Mentioned {
    pub fn of(mention: &Mention, registry: Option<&Registry>) -> Mentioned {
        let r = mention.reference.as_str();
        if ENTITY_TYPES.contains(&r) {
            Mentioned::AdHoc {
                kind: r.to_string(),
                surface: mention
                    .surface
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" "),
            }
        } else if let Some(e) = registry.and_then(|reg| reg.entity(r)) {
            Mentioned::Entity {
                id: e.id().to_string(),
                name: e.name().to_string(),
                kind: e.kind().map(str::to_string),
            }
        } else {
            Mentioned::Unknown {
                reference: r.to_string(),
            }
        }
    }
}

impl Stats {
    /// The counts of one transcript.
    pub fn of_file(text: &str, doc: &Document, registry: Option<&Registry>) -> Stats {
        let mut stats = Stats {
            files: 1,
            ..Stats::default()
        };
        for turn in body(text, doc).turns {
            let words = word_count(text, turn.paragraphs);
            let Some(label) = turn.label else {
                stats.narration += 1;
                stats.narration_words += words;
                continue;
            };
            stats.turns += 1;
            stats.words += words;
            let tally = stats.speakers.entry(label.name.clone()).or_default();
            tally.turns += 1;
            tally.words += words;
            if turn.kind == TurnKind::Question {
                stats.questions += 1;
                *stats
                    .outlets
                    .entry(turn.attribution().map(str::to_string))
                    .or_default() += 1;
            }
        }
        for m in doc.mentions() {
            let tally = stats
                .entities
                .entry(Mentioned::of(m, registry))
                .or_default();
            tally.mentions += 1;
            tally.files = 1;
        }
        stats
    }

    /// Adds the counts of other files.
    pub fn add(&mut self, other: &Stats) {
        self.files += other.files;
        self.turns += other.turns;
        self.questions += other.questions;
        self.words += other.words;
        self.narration += other.narration;
        self.narration_words += other.narration_words;
        for (name, t) in &other.speakers {
            let mine = self.speakers.entry(name.clone()).or_default();
            mine.turns += t.turns;
            mine.words += t.words;
        }
        for (outlet, n) in &other.outlets {
            *self.outlets.entry(outlet.clone()).or_default() += n;
        }
        for (entity, t) in &other.entities {
            let mine = self.entities.entry(entity.clone()).or_default();
            mine.mentions += t.mentions;
            mine.files += t.files;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::{LabelContext, parse};

    #[test]
    fn counts_and_sums() {
        let text = "---\ntitle: t\ndate: 2017-06-16\n---\n\
            [Applause]\n\n\
            Sergey Lavrov: Hello [Kommasith]{kommasith} and [Laos]{place}.\n\n\
            Question (TASS): Why [Laos]{place}?\n\nSergey Lavrov: Because.\n\n\
            Question: And?\n";
        let registry = Registry::parse(
            r#"{"entities": {"kommasith": {"name": "Saleumxay Kommasith", "type": "person"}}}"#,
        );
        let doc = parse(text, &LabelContext::default());
        let one = Stats::of_file(text, &doc, Some(&registry));
        assert_eq!((one.turns, one.questions, one.words), (4, 2, 8));
        assert_eq!((one.narration, one.narration_words), (1, 0));
        assert_eq!(one.speakers["Sergey Lavrov"], Tally { turns: 2, words: 5 });
        assert_eq!(one.speakers["Question"], Tally { turns: 2, words: 3 });
        assert_eq!(one.outlets[&Some("TASS".to_string())], 1);
        assert_eq!(one.outlets[&None], 1);
        let laos = Mentioned::AdHoc {
            kind: "place".to_string(),
            surface: "Laos".to_string(),
        };
        assert_eq!(
            one.entities[&laos],
            EntityTally {
                mentions: 2,
                files: 1
            }
        );
        let mut all = one.clone();
        all.add(&one);
        assert_eq!((all.files, all.turns, all.words), (2, 8, 16));
        assert_eq!(
            all.entities[&laos],
            EntityTally {
                mentions: 4,
                files: 2
            }
        );
    }
}
