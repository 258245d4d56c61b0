//! Properties over arbitrary text: analysis, outline, hover and the registry
//! never panic, and every range they report lies within the text, on
//! character boundaries; the line index round-trips and clamps.
//!
//! The texts mix arbitrary characters with the pieces the format gives a
//! meaning to, so that headers, turns, mentions and their near misses occur.

// The model checks the fuzz targets make (every span a valid range, nested
// where it should be); a panic in them fails the property like `prop_assert!`.
#[allow(dead_code)]
#[path = "../fuzz/src/lib.rs"]
mod fuzz;

use fuzz::{check_document, check_symbols, valid};
use proptest::prelude::*;
use proptest::test_runner::Config;
use transcript_ls::analysis::{analyze, hover, outline};
use transcript_ls::registry::Registry;
use transcript_ls::text::{Encoding, LineCol, LineIndex};

const PIECES: &[&str] = &[
    "---\n",
    "---",
    "key: value\n",
    "title: T\n",
    "date: 2017-06-16\n",
    "date: 2017-02-29\n",
    "time: 13:25+03:00\n",
    "language: en-GB\n",
    "languages: en-GB, ru-RU\n",
    "source: https://example.org/x\n",
    "id: a b\n",
    "speaker: Sergey Lavrov (Minister)\n",
    "speaker: O’Brien\n",
    "Place: x\n",
    "x-note: y\n",
    "# ",
    "## ",
    "#",
    "Question: ",
    "Question (RIA Novosti): ",
    "Вопрос: ",
    "Sergey Lavrov: ",
    "O’Brien: ",
    "Speaker:",
    "[",
    "]",
    "{",
    "}",
    "\\",
    "\\[",
    "//",
    "// comment\n",
    "\r\n",
    "\n",
    "\n\n",
    "\r",
    " ",
    "\t",
    ":",
    "’",
    "“",
    "”",
    "–",
    "\u{a0}",
    "\u{feff}",
    "😀",
    "𝄞",
    "[12:30]",
    "[1:02:03]",
    "[00:11:58]",
    "[x]{kerry}",
    "[Mr Kerry]{person}",
    "[Mr X]{kery}",
    "[a]{Person}",
    "[“b”]{ lavrov }",
    "[]{x}",
    "[ ]",
    "[applause]",
    "{kerry}",
];

fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => proptest::sample::select(PIECES).prop_map(String::from),
        2 => any::<char>().prop_map(String::from),
        2 => "[A-Za-z]{1,7}",
        1 => "[a-z ,.]{1,12}",
    ]
}

/// Free-form text: the pieces in any order, often after a header's `---`.
fn free_text() -> impl Strategy<Value = String> {
    (
        prop_oneof![Just(""), Just("---\n"), Just("\u{feff}---\n")],
        proptest::collection::vec(piece(), 0..60),
    )
        .prop_map(|(start, pieces)| format!("{start}{}", pieces.concat()))
}

const HEADER_LINES: &[&str] = &[
    "title: “Russia’s partners” – 😀",
    "date: 2017-06-16",
    "date: 16 June 2017",
    "time: 25:00",
    "place: Moscow",
    "plase: Moscow",
    "language: en_GB",
    "languages: en-GB,, ru-RU",
    "source: www.example.org",
    "speaker: Sergey Lavrov (Minister)",
    "speaker: Sergey Lavrov",
    "speaker: O’Brien",
    "speaker:",
    "id: moscow–2017",
    "Title: x",
    "no colon here",
    "// a comment",
    "",
    "x-ext:",
];

const LINE_STARTS: &[&str] = &[
    "",
    "",
    "",
    "Sergey Lavrov: ",
    "Sergey Lavrov:",
    "O’Brien: ",
    "Speaker 2: ",
    "Question: ",
    "Question (RIA Novosti): ",
    "Вопрос: ",
    "Q (x): ",
    "# ",
    "### ",
    "#",
    "// ",
    "\\",
    "\\Note: ",
    "In 2016: ",
    " ",
];

const LINE_ENDS: &[&str] = &["\n", "\n", "\n\n", "\n\n", "\r\n", "\r\n\r\n", ""];

/// Text made of lines: a header of `key: value` lines (usually closed), then
/// body lines that open with labels, headings, comments or escapes.
fn structured_text() -> impl Strategy<Value = String> {
    let header = proptest::option::weighted(
        0.8,
        (
            proptest::collection::vec(
                prop_oneof![
                    4 => proptest::sample::select(HEADER_LINES).prop_map(String::from),
                    1 => "[a-z-]{1,8}: [^\n]{0,10}",
                ],
                0..8,
            ),
            proptest::bool::weighted(0.85),
        ),
    );
    let line = (
        proptest::sample::select(LINE_STARTS),
        proptest::collection::vec(piece(), 0..8),
        proptest::sample::select(LINE_ENDS),
    )
        .prop_map(|(start, pieces, end)| format!("{start}{}{end}", pieces.concat()));
    (header, proptest::collection::vec(line, 0..14)).prop_map(|(header, lines)| {
        let mut text = String::new();
        if let Some((entries, closed)) = header {
            text.push_str("---\n");
            for e in entries {
                text.push_str(&e);
                text.push('\n');
            }
            if closed {
                text.push_str("---\n\n");
            }
        }
        text.push_str(&lines.concat());
        text
    })
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![1 => free_text(), 3 => structured_text()]
}

/// A registry that declares speakers, question labels, keys and severities,
/// with names holding typographic characters.
const REGISTRY: &str = r#"{
  "entities": {
    "kerry": { "name": "John Kerry", "type": "person", "aliases": ["Mr Kerry", "JK"], "wikidata": "Q42" },
    "lavrov": { "name": "Sergey Lavrov", "type": "person", "description": "Minister – “FM” 😀" },
    "asean": { "name": "ASEAN", "type": "org" }
  },
  "speakers": {
    "Sergey Lavrov": { "role": "Minister", "entity": "lavrov" },
    "Speaker 2": {},
    "O’Brien (PM)": { "role": "Prime Minister" }
  },
  "questionLabels": ["Вопрос", "Q"],
  "metadata": { "required": ["title", "place"], "keys": ["interpreter"] },
  "rules": { "empty-section": "hint", "unused-speaker": "off" }
}"#;

fn registry() -> Registry {
    let r = Registry::parse(REGISTRY);
    assert!(r.problems().is_empty(), "{:#?}", r.problems());
    r
}

fn config(cases: u32) -> Config {
    Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    }
}

/// Analysis, outline and hover at every character boundary, with and
/// without a registry.
fn check_text(text: &str, registry: Option<&Registry>) -> Result<(), TestCaseError> {
    let analysis = analyze(text, registry);
    check_document(text, &analysis.syntax);
    for d in &analysis.diagnostics {
        valid(text, &d.span, d.rule.name());
        for r in &d.related {
            prop_assert!(r.file.is_none());
            valid(text, &r.span, "related");
        }
    }
    check_symbols(text, &outline(text, &analysis.syntax), None);
    for offset in (0..=text.len()).filter(|&o| text.is_char_boundary(o)) {
        if let Some(h) = hover(text, &analysis.syntax, registry, offset) {
            valid(text, &h.span, "hover");
            prop_assert!(
                h.span.start <= offset && offset < h.span.end,
                "hover at {offset} has the span {:?}",
                h.span
            );
            prop_assert!(!h.markdown.is_empty());
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(config(1500))]

    #[test]
    fn analysis_without_a_registry(text in text()) {
        check_text(&text, None)?;
    }

    #[test]
    fn analysis_with_a_registry(text in text()) {
        check_text(&text, Some(&registry()))?;
    }

    #[test]
    fn analysis_of_arbitrary_unicode(text in any::<String>()) {
        check_text(&text, None)?;
        check_text(&text, Some(&registry()))?;
    }
}

// ---------------------------------------------------------------------------
// The registry

const JSON_PIECES: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    ":",
    ",",
    " ",
    "\n",
    "\"",
    "\\",
    "\"entities\"",
    "\"speakers\"",
    "\"rules\"",
    "\"metadata\"",
    "\"questionLabels\"",
    "\"required\"",
    "\"keys\"",
    "\"name\"",
    "\"type\"",
    "\"aliases\"",
    "\"wikidata\"",
    "\"description\"",
    "\"role\"",
    "\"entity\"",
    "\"person\"",
    "\"place\"",
    "\"Q42\"",
    "\"off\"",
    "\"error\"",
    "\"x\"",
    "\"kerry\"",
    "\"Mr Kerry\"",
    "\"\\u00e9\\\"\"",
    "\"’😀\"",
    "12",
    "-1.5e3",
    "true",
    "null",
    "\u{feff}",
];

fn json_like() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            5 => proptest::sample::select(JSON_PIECES).prop_map(String::from),
            1 => any::<char>().prop_map(String::from),
        ],
        0..50,
    )
    .prop_map(|p| p.concat())
}

const KEYS: &[&str] = &[
    "entities",
    "speakers",
    "rules",
    "metadata",
    "questionLabels",
    "required",
    "keys",
    "name",
    "type",
    "aliases",
    "wikidata",
    "description",
    "role",
    "entity",
    "kerry",
    "lavrov",
    "person",
    "place",
    "Mr Kerry",
    "unknown-key",
    "empty-section",
    "x",
    "’😀 “q”",
    "a\"b\\c",
];

/// Valid JSON whose objects use the registry's field names.
fn json_value() -> impl Strategy<Value = serde_json::Value> {
    use serde_json::Value;
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i32>().prop_map(Value::from),
        proptest::sample::select(KEYS).prop_map(Value::from),
        proptest::sample::select(&["Q42", "off", "error", "warning", "hint", "1065"][..])
            .prop_map(Value::from),
        any::<String>().prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::Array),
            proptest::collection::vec((proptest::sample::select(KEYS), inner), 0..6).prop_map(
                |fields| {
                    serde_json::Value::Object(
                        fields
                            .into_iter()
                            .map(|(k, v)| (k.to_string(), v))
                            .collect(),
                    )
                }
            ),
        ]
    })
}

const IDS: &[&str] = &[
    "kerry", "lavrov", "asean", "person", "Kerry", "a b", "’😀", "",
];
const NAMES: &[&str] = &[
    "John Kerry",
    "Mr Kerry",
    "mr kerry",
    "ASEAN",
    "O’Brien",
    "“FM”",
    "",
];
const SPEAKERS: &[&str] = &[
    "Sergey Lavrov",
    "O’Brien",
    "Speaker 2",
    "Question",
    "Q",
    "a:b",
    "",
];
const RULE_NAMES: &[&str] = &[
    "unknown-key",
    "empty-section",
    "missing-key",
    "unused-speaker",
    "invalid-registry",
    "duplicate-alias",
    "bogus",
];
const LEVELS: &[&str] = &["error", "warning", "info", "hint", "off", "loud"];
const HEADER_KEYS: &[&str] = &[
    "title",
    "date",
    "place",
    "interpreter",
    "Bad Key",
    "x-y",
    "",
];

fn some_string(choices: &'static [&'static str]) -> impl Strategy<Value = String> {
    prop_oneof![
        4 => proptest::sample::select(choices).prop_map(String::from),
        1 => any::<String>(),
    ]
}

fn object(fields: Vec<(&str, Option<serde_json::Value>)>) -> serde_json::Value {
    serde_json::Value::Object(
        fields
            .into_iter()
            .filter_map(|(k, v)| Some((k.to_string(), v?)))
            .collect(),
    )
}

fn strings(v: Vec<String>) -> serde_json::Value {
    serde_json::Value::from(v)
}

/// JSON in the registry's shape, with arbitrary names, ids, types, rules
/// and keys: duplicate aliases, reserved ids, unknown types and rules occur.
fn registry_value() -> impl Strategy<Value = serde_json::Value> {
    use proptest::collection::vec;
    use proptest::option::of;
    use proptest::sample::select;
    let entity = (
        of(some_string(NAMES)),
        of(select(&["person", "org", "organisation", "place", ""][..])),
        of(some_string(NAMES)),
        of(vec(some_string(NAMES), 0..3)),
        of(select(&["Q42", "1065", "Q", "q7"][..])),
    )
        .prop_map(|(name, kind, description, aliases, wikidata)| {
            object(vec![
                ("name", name.map(Into::into)),
                ("type", kind.map(Into::into)),
                ("description", description.map(Into::into)),
                ("aliases", aliases.map(strings)),
                ("wikidata", wikidata.map(Into::into)),
            ])
        });
    let speaker = (of(some_string(NAMES)), of(some_string(IDS))).prop_map(|(role, entity)| {
        object(vec![
            ("role", role.map(Into::into)),
            ("entity", entity.map(Into::into)),
        ])
    });
    let keyed = |choices: &'static [&'static str]| some_string(choices);
    (
        of(vec((keyed(IDS), entity), 0..5)),
        of(vec((keyed(SPEAKERS), speaker), 0..4)),
        of(vec(some_string(SPEAKERS), 0..3)),
        of((
            of(vec(some_string(HEADER_KEYS), 0..3)),
            of(vec(some_string(HEADER_KEYS), 0..3)),
        )),
        of(vec((select(RULE_NAMES), select(LEVELS)), 0..4)),
    )
        .prop_map(|(entities, speakers, labels, metadata, rules)| {
            let map = |pairs: Vec<(String, serde_json::Value)>| {
                serde_json::Value::Object(pairs.into_iter().collect())
            };
            object(vec![
                ("entities", entities.map(map)),
                ("speakers", speakers.map(map)),
                ("questionLabels", labels.map(strings)),
                (
                    "metadata",
                    metadata.map(|(required, keys)| {
                        object(vec![
                            ("required", required.map(strings)),
                            ("keys", keys.map(strings)),
                        ])
                    }),
                ),
                (
                    "rules",
                    rules.map(|r| {
                        serde_json::Value::Object(
                            r.into_iter()
                                .map(|(k, v)| (k.to_string(), v.into()))
                                .collect(),
                        )
                    }),
                ),
            ])
        })
}

fn check_registry(json: &str) -> Result<Registry, TestCaseError> {
    let registry = Registry::parse(json);
    for d in &registry.problems() {
        valid(json, &d.span, d.rule.name());
        for r in &d.related {
            valid(json, &r.span, "related");
        }
    }
    Ok(registry)
}

proptest! {
    #![proptest_config(config(1000))]

    #[test]
    fn registry_of_arbitrary_text(json in any::<String>()) {
        check_registry(&json)?;
    }

    #[test]
    fn registry_of_json_like_text(json in json_like()) {
        check_registry(&json)?;
    }

    #[test]
    fn registry_of_valid_json(
        value in prop_oneof![json_value(), registry_value()],
        pretty in any::<bool>(),
    ) {
        let json = if pretty {
            serde_json::to_string_pretty(&value).unwrap()
        } else {
            serde_json::to_string(&value).unwrap()
        };
        let registry = check_registry(&json)?;
        // An unknown field is reported at its key, quoted as in the text.
        for d in &registry.problems() {
            if let Some(rest) = d.message.strip_prefix("unknown field `") {
                let key = &rest[..rest.find("` ").unwrap()];
                let quoted: String = serde_json::from_str(&json[d.span.clone()])
                    .map_err(|e| TestCaseError::fail(format!("{d:?}: {e}")))?;
                prop_assert_eq!(quoted.as_str(), key);
            }
        }
    }

    #[test]
    fn analysis_under_an_arbitrary_registry(
        value in prop_oneof![1 => json_value(), 3 => registry_value()],
        text in text(),
    ) {
        let registry = Registry::parse(&value.to_string());
        let analysis = analyze(&text, Some(&registry));
        check_document(&text, &analysis.syntax);
        for d in &analysis.diagnostics {
            valid(&text, &d.span, d.rule.name());
        }
        check_symbols(&text, &outline(&text, &analysis.syntax), None);
    }
}

// ---------------------------------------------------------------------------
// The line index

fn line_text() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            3 => proptest::sample::select(&["\n", "\r\n", "\r", "’", "😀", "𝄞", "\u{a0}", "a", " "][..])
                .prop_map(String::from),
            1 => any::<char>().prop_map(String::from),
        ],
        0..40,
    )
    .prop_map(|p| p.concat())
}

/// Offsets that are a place in the text: character boundaries, but not
/// between the `\r` and the `\n` of a CRLF (that is inside a line ending).
fn places(text: &str) -> impl Iterator<Item = usize> + '_ {
    (0..=text.len()).filter(|&o| {
        text.is_char_boundary(o)
            && !(o > 0 && text[..o].ends_with('\r') && text[o..].starts_with('\n'))
    })
}

const ENCODINGS: [Encoding; 3] = [Encoding::Utf16, Encoding::Utf8, Encoding::Chars];

proptest! {
    #![proptest_config(config(1000))]

    #[test]
    fn line_index_round_trips(text in line_text()) {
        let index = LineIndex::new(&text);
        for offset in places(&text) {
            for e in ENCODINGS {
                let lc = index.line_col(&text, offset, e);
                prop_assert_eq!(index.offset(&text, lc, e), offset, "{:?} via {:?}", e, lc);
            }
        }
    }

    #[test]
    fn line_index_columns_agree_with_the_units(text in line_text()) {
        let index = LineIndex::new(&text);
        for offset in places(&text) {
            let chars = index.line_col(&text, offset, Encoding::Chars);
            let utf16 = index.line_col(&text, offset, Encoding::Utf16);
            let utf8 = index.line_col(&text, offset, Encoding::Utf8);
            prop_assert_eq!(chars.line, utf16.line);
            prop_assert_eq!(chars.line, utf8.line);
            prop_assert_eq!(chars.line as usize, text[..offset].matches('\n').count());
            let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
            let before = &text[line_start..offset];
            prop_assert_eq!(utf8.col as usize, before.len());
            prop_assert_eq!(utf16.col as usize, before.encode_utf16().count());
            prop_assert_eq!(chars.col as usize, before.chars().count());
        }
    }

    #[test]
    fn line_index_clamps_positions_past_the_end(
        text in line_text(),
        line in 0u32..60,
        col in 0u32..200,
        past in 0usize..100,
    ) {
        let index = LineIndex::new(&text);
        for e in ENCODINGS {
            let offset = index.offset(&text, LineCol { line, col }, e);
            prop_assert!(offset <= text.len() && text.is_char_boundary(offset));
            let far = index.offset(&text, LineCol { line: u32::MAX, col: u32::MAX }, e);
            prop_assert_eq!(far, text.len());
            // Past the end, and inside a character, are moved back.
            let end = index.line_col(&text, text.len(), e);
            prop_assert_eq!(index.line_col(&text, text.len() + past, e), end);
            for o in 0..text.len() {
                let mut floor = o;
                while !text.is_char_boundary(floor) {
                    floor -= 1;
                }
                prop_assert_eq!(index.line_col(&text, o, e), index.line_col(&text, floor, e));
            }
        }
    }
}

#[test]
fn a_lone_cr_at_the_end_is_a_column() {
    // docs/format.md: a lone CR is not a line end. text.rs: a `\r` belongs to
    // the line ending only before a `\n`.
    let text = "ab\r";
    let index = LineIndex::new(text);
    for e in ENCODINGS {
        let lc = index.line_col(text, 3, e);
        assert_eq!(lc, LineCol { line: 0, col: 3 });
        assert_eq!(index.offset(text, lc, e), 3, "{e:?}");
    }
}
