//! Properties of the export over random documents: every mention's
//! `start`/`end` (code points) cut exactly its surface out of the turn's
//! text; the exported turns are the core's turns and narration, in order,
//! with the core's plain text and word counts; the JSON holds to the
//! schema; the TEI is well-formed with every pointer resolved.

#[path = "export_common.rs"]
mod export_common;

use proptest::prelude::*;
use proptest::test_runner::Config;
use transcript_ls::analysis::analyze;
use transcript_ls::export::{Facts, json, tei};
use transcript_ls::registry::Registry;
use transcript_ls::syntax::{Item, plain_text, word_count};

const REGISTRY: &str = r#"{
  "entities": {
    "kerry": { "name": "John Kerry", "type": "person", "wikidata": "Q22316" },
    "un": { "name": "United Nations", "type": "org" },
    "2016": { "name": "Summit – “2016” 😀", "type": "event" },
    "question": { "name": "Not a question", "type": "misc" }
  },
  "speakers": { "Sergey Lavrov": { "role": "Minister", "entity": "kerry" } },
  "questionLabels": ["Вопрос"]
}"#;

const STARTS: &[&str] = &[
    "",
    "",
    "Sergey Lavrov: ",
    "O’Brien: ",
    "Question: ",
    "Question (RIA “Novosti”): ",
    "Вопрос: ",
    "# ",
    "## Q&A <b> ",
    "\\",
    "\\\\[",
];

const PIECES: &[&str] = &[
    "word",
    " ",
    "  ",
    "\t",
    "\u{a0}",
    "’s",
    "“quoted”",
    "–",
    "😀",
    "𝄞",
    "&",
    "<",
    "\\[",
    "\\]",
    "[Mr\u{a0}Kerry]{kerry}",
    "[ John  Kerry ]{kerry}",
    "[U\\[N\\]]{un}",
    "[“UN”]{un}",
    "[Zoë 😀]{person}",
    "[Laos]{place}",
    "[x]{unknown-id}",
    "[2016]{2016}",
    "[q]{question}",
    "[applause]",
    "[00:01:02]",
    "[12:30]",
    "[a]",
    "[",
    "]",
];

fn line() -> impl Strategy<Value = String> {
    (
        proptest::sample::select(STARTS),
        proptest::collection::vec(proptest::sample::select(PIECES), 0..10),
        proptest::sample::select(&["\n", "\n\n", "\n\n", "\r\n\r\n"][..]),
    )
        .prop_map(|(start, pieces, end)| format!("{start}{}{end}", pieces.concat()))
}

fn document() -> impl Strategy<Value = String> {
    proptest::collection::vec(line(), 0..16).prop_map(|lines| {
        format!(
            "---\ntitle: T\ndate: 2017-06-16\nspeaker: Sergey Lavrov\n---\n\n{}",
            lines.concat()
        )
    })
}

proptest! {
    #![proptest_config(Config { cases: 200, ..Config::default() })]

    #[test]
    fn offsets_cut_out_surfaces_and_turns_are_the_cores(text in document()) {
        let registry = Registry::parse(REGISTRY);
        let analysis = analyze(&text, Some(&registry));
        let facts = Facts::new("random", &text, &analysis, Some(&registry));
        let out = json::transcript(&facts);

        // Offsets: code points into the text, cutting out exactly the surface.
        for turn in &out.turns {
            let chars: Vec<char> = turn.text.chars().collect();
            for m in &turn.mentions {
                prop_assert!(m.start < m.end && m.end <= chars.len(), "{m:?} in {:?}", turn.text);
                let cut: String = chars[m.start..m.end].iter().collect();
                prop_assert_eq!(&cut, &m.surface);
            }
            for n in &turn.notes {
                prop_assert!(n.at <= chars.len());
            }
        }
        let surfaces: Vec<String> = out.turns.iter().flat_map(|t| &t.mentions).map(|m| m.surface.clone()).collect();
        let core: Vec<String> = analysis.syntax.mentions()
            .map(|m| m.surface.split_whitespace().collect::<Vec<_>>().join(" "))
            .collect();
        prop_assert_eq!(surfaces, core);

        // Turns: the core's turns and narration, in order, with its text and words.
        let items: Vec<&Item> = analysis.syntax.items.iter().filter(|i| !matches!(i, Item::Heading(_))).collect();
        prop_assert_eq!(items.len(), out.turns.len());
        for (item, turn) in items.iter().zip(&out.turns) {
            let paragraphs = match item {
                Item::Turn(t) => {
                    prop_assert_eq!(&turn.speaker.as_ref().unwrap().name, &t.label.name);
                    prop_assert_eq!(turn.question.is_some(), t.is_question());
                    &t.paragraphs[..]
                }
                Item::Narration(p) => {
                    prop_assert!(turn.speaker.is_none());
                    std::slice::from_ref(p)
                }
                Item::Heading(_) => unreachable!(),
            };
            let texts: Vec<String> = paragraphs.iter().map(|p| plain_text(&text, p)).filter(|t| !t.is_empty()).collect();
            prop_assert_eq!(&turn.text, &texts.join("\n"));
            prop_assert_eq!(turn.words, word_count(&text, paragraphs));
        }
        let questions = out.turns.iter().filter_map(|t| t.question).collect::<Vec<_>>();
        prop_assert_eq!(questions, (1..=analysis.syntax.turns().filter(|t| t.is_question()).count()).collect::<Vec<_>>());

        // The JSON holds to the schema; the TEI reads back, every pointer resolved.
        let errors = export_common::schema_errors(&json::render(&facts, false));
        prop_assert!(errors.is_empty(), "{errors:?}");
        let read = export_common::read_tei(&tei::render(&facts));
        prop_assert!(read.is_ok(), "{read:?}");
        let read = read.unwrap();
        prop_assert!(read.dangling.is_empty(), "{:?}", read.dangling);
        prop_assert_eq!(read.utterances, analysis.syntax.turns().count());
        let names: Vec<String> = read.names.iter().map(|(_, t)| t.clone()).collect();
        let core: Vec<String> = out.turns.iter().flat_map(|t| &t.mentions).map(|m| m.surface.clone()).collect();
        prop_assert_eq!(names, core);
    }
}
