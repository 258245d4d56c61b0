//! The editing features of the core, without a server: completion, folding,
//! semantic tokens and document links, on small texts, the examples and
//! arbitrary strings.

use std::path::Path;

use proptest::prelude::*;
use transcript_ls::analysis::completion::{Completion, CompletionKind, complete};
use transcript_ls::analysis::folding::{FoldKind, folding_ranges};
use transcript_ls::analysis::links::document_links;
use transcript_ls::analysis::semantic_tokens::{
    DECLARATION, DEFAULT_LIBRARY, READONLY, TOKEN_MODIFIERS, TOKEN_TYPES, Token, TokenKind,
    semantic_tokens,
};
use transcript_ls::analysis::{MAX_ITEMS, label_context};
use transcript_ls::registry::Registry;
use transcript_ls::syntax::{Document, parse};
use transcript_ls::text::{Encoding, LineIndex};

const REPO: &str = env!("CARGO_MANIFEST_DIR");

fn example(name: &str) -> String {
    std::fs::read_to_string(Path::new(REPO).join("examples").join(name))
        .expect("the example is readable")
}

fn examples_registry() -> Registry {
    Registry::parse(&example("transcripts.json"))
}

/// A registry with every field the editing features use.
const REGISTRY: &str = r#"{
  "entities": {
    "kerry": {
      "name": "John Kerry",
      "type": "person",
      "description": "US Secretary of State (2013-2017)",
      "aliases": ["Mr Kerry"],
      "wikidata": "Q42"
    },
    "asean": { "name": "Association of Southeast Asian Nations", "type": "org", "aliases": ["ASEAN"] },
    "broken": { "name": "Broken Link", "type": "misc", "wikidata": "42" }
  },
  "speakers": {
    "Maria Zakharova": { "role": "Spokeswoman", "entity": "kerry" }
  },
  "questionLabels": ["Вопрос"],
  "metadata": { "required": ["title", "date", "place"], "keys": ["interpreter"] }
}"#;

fn registry() -> Registry {
    let r = Registry::parse(REGISTRY);
    let problems: Vec<_> = r.problems().iter().map(|d| d.message.clone()).collect();
    assert_eq!(problems, ["`42` is not a Wikidata item id"]);
    r
}

fn parsed(text: &str, registry: Option<&Registry>) -> Document {
    parse(text, &label_context(registry))
}

/// Completion at the `|` of `marked`; returns the text without the mark.
fn complete_at(marked: &str, registry: Option<&Registry>) -> (String, Completion) {
    let offset = marked.find('|').expect("a cursor mark");
    let text = marked.replacen('|', "", 1);
    let doc = parsed(&text, registry);
    let c = complete(&text, &doc, registry, offset, MAX_ITEMS);
    (text, c)
}

fn labels(c: &Completion) -> Vec<&str> {
    c.items.iter().map(|i| i.label.as_str()).collect()
}

fn replaced<'t>(text: &'t str, c: &Completion) -> &'t str {
    &text[c.replace.clone()]
}

// --- completion ---

#[test]
fn header_keys_at_the_start_of_a_line() {
    let (text, c) = complete_at("---\ntitle: T\n|\n---\n", None);
    assert_eq!(replaced(&text, &c), "");
    assert_eq!(
        labels(&c),
        [
            "date",
            "time",
            "place",
            "event",
            "language",
            "languages",
            "source",
            "speaker",
            "tags",
            "id"
        ]
    );
    let date = &c.items[0];
    assert_eq!(date.kind, CompletionKind::Key);
    assert_eq!(date.insert_text, "date: ");
    assert_eq!(date.detail.as_deref(), Some("required"));
    let doc = date.documentation.as_deref().unwrap();
    assert!(
        doc.contains("The day of the event.") && doc.contains("YYYY-MM-DD"),
        "{doc}"
    );
}

#[test]
fn a_partial_key_is_replaced() {
    let (text, c) = complete_at("---\ntitle: T\n  lan|\n---\n", None);
    assert_eq!(replaced(&text, &c), "lan");
    assert_eq!(c.replace, 15..18);
    assert!(labels(&c).contains(&"language") && labels(&c).contains(&"languages"));
}

#[test]
fn keys_that_may_not_repeat_are_not_offered_twice() {
    let reg = registry();
    let marked =
        "---\ntitle: T\ndate: 2017-06-16\nspeaker: A\nx-a: 1\ninterpreter: B\nplace: P\n|\n---\n";
    let (_, c) = complete_at(marked, Some(&reg));
    let l = labels(&c);
    for gone in ["title", "date", "place"] {
        assert!(!l.contains(&gone), "{gone} offered again: {l:?}");
    }
    // `speaker` and the registry's keys repeat.
    assert!(
        l.contains(&"speaker") && l.contains(&"interpreter"),
        "{l:?}"
    );
    let interpreter = c.items.iter().find(|i| i.label == "interpreter").unwrap();
    assert_eq!(interpreter.detail.as_deref(), Some("transcripts.json"));
    // Under this registry `place` is required.
    let (_, c) = complete_at("---\ntitle: T\n|\n---\n", Some(&reg));
    let place = c.items.iter().find(|i| i.label == "place").unwrap();
    assert_eq!(place.detail.as_deref(), Some("required"));
}

#[test]
fn language_tags_after_a_comma() {
    let (text, c) = complete_at("---\nlanguages: en-GB, r|\n---\n", None);
    assert_eq!(replaced(&text, &c), "r");
    let l = labels(&c);
    assert!(l.contains(&"ru-RU") && l.contains(&"ru"), "{l:?}");
    assert!(
        !l.contains(&"en-GB"),
        "a listed tag is not offered again: {l:?}"
    );
    assert!(c.items.iter().all(|i| i.kind == CompletionKind::Value));
    let ru = c.items.iter().find(|i| i.label == "ru-RU").unwrap();
    assert_eq!(ru.detail.as_deref(), Some("Russian (Russia)"));
    // Right after the colon too, and for `language`.
    let (text, c) = complete_at("---\nlanguage:|\n---\n", None);
    assert_eq!(replaced(&text, &c), "");
    assert_eq!(labels(&c)[0], "en");
    // Not in other values.
    let (_, c) = complete_at("---\nplace: Mos|\n---\n", None);
    assert!(c.items.is_empty());
}

#[test]
fn speakers_and_question_labels_at_the_start_of_a_paragraph() {
    let reg = registry();
    let head = "---\ntitle: T\nspeaker: Sergey Lavrov (Minister of Foreign Affairs)\n---\n\n";
    let (_, c) = complete_at(
        &format!("{head}Sergey Lavrov: Hello.\n\nAnna Ivanova: Hi.\n\n|"),
        Some(&reg),
    );
    assert_eq!(
        labels(&c),
        [
            "Sergey Lavrov",
            "Maria Zakharova",
            "Anna Ivanova",
            "Question",
            "Вопрос"
        ]
    );
    let lavrov = &c.items[0];
    assert_eq!(lavrov.kind, CompletionKind::Speaker);
    assert_eq!(lavrov.insert_text, "Sergey Lavrov: ");
    assert_eq!(
        lavrov.detail.as_deref(),
        Some("Minister of Foreign Affairs")
    );
    assert_eq!(c.items[1].detail.as_deref(), Some("Spokeswoman"));
    assert_eq!(c.items[3].kind, CompletionKind::QuestionLabel);
    assert_eq!(c.items[3].insert_text, "Question: ");

    // A partial label, at the start of the body and after a heading.
    let (text, c) = complete_at(&format!("{head}Ser|"), Some(&reg));
    assert_eq!(replaced(&text, &c), "Ser");
    assert_eq!(labels(&c)[0], "Sergey Lavrov");
    let (text, c) = complete_at(&format!("{head}# Questions\nqu|"), None);
    assert_eq!(replaced(&text, &c), "qu");
    assert!(labels(&c).contains(&"Question"));
    // An existing label is replaced with its colon and space.
    let (text, c) = complete_at(&format!("{head}Serg|ey Lavrov: Hello."), None);
    assert_eq!(replaced(&text, &c), "Sergey Lavrov: ");
}

#[test]
fn entity_ids_after_a_closing_bracket() {
    let reg = examples_registry();
    let (text, c) = complete_at("Sergey Lavrov: We met [Mr Kerry]{|}.", Some(&reg));
    assert_eq!(replaced(&text, &c), "");
    // The entity the surface text names comes first.
    assert_eq!(c.items[0].label, "kerry");
    assert_eq!(c.items[0].kind, CompletionKind::Entity);
    assert_eq!(c.items[0].detail.as_deref(), Some("John Kerry"));
    assert_eq!(c.items[0].insert_text, "kerry");
    let doc = c.items[0].documentation.as_deref().unwrap();
    assert!(
        doc.contains("person") && doc.contains("US Secretary of State") && doc.contains("Mr Kerry"),
        "{doc}"
    );
    let l = labels(&c);
    assert_eq!(l.len(), reg.entities.len() + 7, "{l:?}");
    for ty in ["person", "org", "place", "event", "work", "law", "misc"] {
        assert!(l.contains(&ty), "{ty} missing: {l:?}");
    }
    let person = c.items.iter().find(|i| i.label == "person").unwrap();
    assert_eq!(person.kind, CompletionKind::EntityType);
    // Without a registry, the types.
    let (_, c) = complete_at("[Geneva]{|}", None);
    assert_eq!(
        labels(&c),
        ["person", "org", "place", "event", "work", "law", "misc"]
    );
}

#[test]
fn a_partial_reference_is_replaced() {
    let reg = examples_registry();
    let marked = "Question: What about [John Kerry]{ke|";
    let (text, c) = complete_at(marked, Some(&reg));
    assert_eq!(c.replace, 34..36);
    assert_eq!(replaced(&text, &c), "ke");
    let kerry = c.items.iter().find(|i| i.label == "kerry").unwrap();
    // The brace is not closed yet: the item closes it.
    assert_eq!(kerry.insert_text, "kerry}");
    // Closed, the replaced text runs to the brace.
    let (text, c) = complete_at("A B: [x]{ke|rry }, more", Some(&reg));
    assert_eq!(replaced(&text, &c), "kerry");
    let kerry = c.items.iter().find(|i| i.label == "kerry").unwrap();
    assert_eq!(kerry.insert_text, "kerry");
}

#[test]
fn nothing_in_the_middle_of_prose() {
    let reg = examples_registry();
    let text = example("vientiane-2016.transcript");
    let doc = parsed(&text, Some(&reg));
    for needle in [
        "is hosting events",            // after a label
        "meeting between Russia",       // a continuation paragraph
        "outcome of your talks",        // a question's text
        "Questions and answers",        // a heading
        "Additional materials",         // a comment
        "Vientiane, Laos",              // a header value
        "ientiane]{place}",             // a mention's surface
        "[Sochi Summit]{event} of May", // after a mention
    ] {
        let offset = text.find(needle).expect(needle) + 3;
        let c = complete(&text, &doc, Some(&reg), offset, MAX_ITEMS);
        assert!(c.items.is_empty(), "{needle}: {:?}", labels(&c));
        assert_eq!(c.replace, offset..offset);
    }
    // Narration that does not start like a label.
    let (_, c) = complete_at("We have he|ld talks.", Some(&reg));
    assert!(c.items.is_empty(), "{:?}", labels(&c));
    // The second line of a paragraph.
    let (_, c) = complete_at("Sergey Lavrov: One.\nSer|", Some(&reg));
    assert!(c.items.is_empty(), "{:?}", labels(&c));
}

#[test]
fn an_empty_line_under_a_paragraph_gets_a_blank_line_first() {
    let (text, c) = complete_at("Sergey Lavrov: One.\r\n|", None);
    assert_eq!(replaced(&text, &c), "");
    assert_eq!(c.items[0].insert_text, "\r\nSergey Lavrov: ");
    let (_, c) = complete_at("Sergey Lavrov: One.\n\n|", None);
    assert_eq!(c.items[0].insert_text, "Sergey Lavrov: ");
}

// --- folding ---

fn line_of(index: &LineIndex, text: &str, offset: usize) -> u32 {
    index.line_col(text, offset, Encoding::Utf8).line + 1
}

#[test]
fn folding_the_vientiane_example() {
    let text = example("vientiane-2016.transcript");
    let doc = parsed(&text, Some(&examples_registry()));
    let index = LineIndex::new(&text);
    let folds: Vec<String> = folding_ranges(&text, &doc)
        .iter()
        .map(|f| {
            let first: String = text[f.span.clone()].chars().take(40).collect();
            let first = first.lines().next().unwrap_or_default().to_string();
            format!(
                "{:?} {}-{} {first}",
                f.kind,
                line_of(&index, &text, f.span.start),
                line_of(&index, &text, f.span.end)
            )
        })
        .collect();
    insta::assert_snapshot!("folding_vientiane", folds.join("\n"));
}

#[test]
fn folding_crlf_comments_and_an_unclosed_header() {
    let text = "---\r\ntitle: T\r\n// a\r\n// b\r\n\r\nA B: x\r\n\r\ny\r\n";
    let doc = parsed(text, None);
    let folds: Vec<(FoldKind, &str)> = folding_ranges(text, &doc)
        .into_iter()
        .map(|f| (f.kind, &text[f.span]))
        .collect();
    assert_eq!(
        folds,
        [
            (FoldKind::Header, "---\r\ntitle: T\r\n// a\r\n// b\r\n"),
            (FoldKind::Comment, "// a\r\n// b"),
        ]
    );
}

// --- semantic tokens ---

const EVERY_CONSTRUCT: &str = "\u{feff}---
title: Press conference
date: 2017-06-16
time: 13:25
place: Moscow, Russia
language: en-GB
source: https://example.org/press
speaker: Sergey Lavrov (Minister of Foreign Affairs)
speaker: Moderator
interpreter: Anna
x-note: anything
// a header comment
---

// A body comment
# Opening remarks

[The ministers enter.] Narration with “quotes”.

Sergey Lavrov: We met [Mr Kerry]{kerry} in [Geneva]{place}. [applause]
[00:14:20] The talks went well with [someone]{nobody}.

\\Note: escaped, with \\[literal\\] brackets.

## Questions

Question (RIA Novosti): What about [ASEAN]{ asean }’s role?
// between paragraphs
Maria Zakharova: Next.

Вопрос: Спасибо?

Moderator:
";

fn render_tokens(text: &str, tokens: &[Token]) -> String {
    let index = LineIndex::new(text);
    tokens
        .iter()
        .map(|t| {
            let at = index.line_col(text, t.span.start, Encoding::Chars);
            let mods: Vec<&str> = TOKEN_MODIFIERS
                .iter()
                .enumerate()
                .filter(|(i, _)| t.modifiers & (1 << i) != 0)
                .map(|(_, m)| *m)
                .collect();
            let mods = if mods.is_empty() {
                String::new()
            } else {
                format!(" [{}]", mods.join(", "))
            };
            format!(
                "{}:{} {}{mods} {:?}",
                at.line + 1,
                at.col + 1,
                t.kind.name(),
                &text[t.span.clone()]
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn tokens_of_every_construct() {
    let reg = registry();
    let doc = parsed(EVERY_CONSTRUCT, Some(&reg));
    let tokens = semantic_tokens(EVERY_CONSTRUCT, &doc, Some(&reg));
    check_tokens(EVERY_CONSTRUCT, &tokens);
    insta::assert_snapshot!(
        "tokens_every_construct",
        render_tokens(EVERY_CONSTRUCT, &tokens)
    );
}

#[test]
fn the_legend() {
    assert_eq!(TOKEN_TYPES.len(), 12);
    assert_eq!(TokenKind::Parameter.index() as usize, TOKEN_TYPES.len() - 1);
    assert_eq!(
        TOKEN_MODIFIERS,
        ["declaration", "readonly", "defaultLibrary"]
    );
    assert_eq!((DECLARATION, READONLY, DEFAULT_LIBRARY), (1, 2, 4));
}

/// Tokens are sorted, disjoint, non-empty, on character boundaries, and each
/// within one line (no LF, no CR of a CRLF).
fn check_tokens(text: &str, tokens: &[Token]) {
    let mut last_end = 0;
    for t in tokens {
        assert!(t.span.start < t.span.end, "empty token {t:?}");
        assert!(t.span.start >= last_end, "overlap or disorder at {t:?}");
        assert!(t.span.end <= text.len());
        assert!(text.is_char_boundary(t.span.start) && text.is_char_boundary(t.span.end));
        let s = &text[t.span.clone()];
        assert!(!s.contains('\n'), "token across lines: {t:?} {s:?}");
        assert!(
            !(s.ends_with('\r') && text[t.span.end..].starts_with('\n')),
            "token with a line ending: {t:?}"
        );
        last_end = t.span.end;
    }
}

#[test]
fn tokens_grow_linearly_with_the_document() {
    let reg = registry();
    let head = "---\ntitle: T\ndate: 2017-06-16\nspeaker: Sergey Lavrov (Minister)\n---\n\n";
    let block = "## Part\n\nQuestion (TASS): Ask [A]{person} about [B]{kerry}? [01:00]\n// note\n\nSergey Lavrov: Answer [laughter]\nand a second line with [C]{asean}.\n\n";
    let tokens = |n: usize| {
        let text = format!("{head}{}", block.repeat(n));
        let doc = parsed(&text, Some(&reg));
        let tokens = semantic_tokens(&text, &doc, Some(&reg));
        check_tokens(&text, &tokens);
        tokens
    };
    let (one, two) = (tokens(1), tokens(2));
    let per_block = two.len() - one.len();
    let header = one.len() - per_block;
    assert_eq!((header, per_block), (7, 13));
    let n = 3000;
    let many = tokens(n);
    assert_eq!(many.len(), header + n * per_block);
    // Every block has the same tokens, shifted by its position.
    let first = &one[header..];
    for (k, chunk) in many[header..].chunks(per_block).enumerate() {
        let shift = k * block.len();
        for (a, b) in first.iter().zip(chunk) {
            assert_eq!((a.kind, a.modifiers), (b.kind, b.modifiers));
            assert_eq!(a.span.start + shift, b.span.start, "block {k}");
            assert_eq!(a.span.len(), b.span.len(), "block {k}");
        }
    }
}

// --- links ---

#[test]
fn links_to_the_source_and_wikidata() {
    let reg = registry();
    let text = "---\ntitle: T\nsource: https://example.org/press/2017\nx-wikidata: Q42\n---\n\nA B: [Mr Kerry]{kerry}, [ASEAN]{asean}, [X]{broken}, [Y]{person} and [John]{ kerry }.\n";
    let doc = parsed(text, Some(&reg));
    let links: Vec<String> = document_links(&doc, Some(&reg))
        .iter()
        .map(|l| {
            format!(
                "{} -> {} ({:?})",
                &text[l.span.clone()],
                l.target,
                l.tooltip
            )
        })
        .collect();
    assert_eq!(
        links,
        [
            "https://example.org/press/2017 -> https://example.org/press/2017 (Some(\"Open the published source\"))",
            "kerry -> https://www.wikidata.org/wiki/Q42 (Some(\"John Kerry on Wikidata (Q42)\"))",
            "kerry -> https://www.wikidata.org/wiki/Q42 (Some(\"John Kerry on Wikidata (Q42)\"))",
        ]
    );
    // Without a registry, only the source; the examples have no Wikidata ids.
    assert_eq!(document_links(&doc, None).len(), 1);
    let vientiane = example("vientiane-2016.transcript");
    let reg = examples_registry();
    assert!(document_links(&parsed(&vientiane, Some(&reg)), Some(&reg)).is_empty());
}

// --- arbitrary text ---

/// Texts made of the format's pieces, so that most constructs occur.
fn transcript_like() -> impl Strategy<Value = String> {
    let piece = prop::sample::select(vec![
        "---\n",
        "title: T\n",
        "date: 2017-06-16\n",
        "speaker: A B (r)\n",
        "languages: en, ",
        "# H\n",
        "## ",
        "Question: ",
        "Question (x): ",
        "A B: ",
        "Вопрос: ",
        "[",
        "]",
        "{",
        "}",
        "\\",
        "[x]{person}",
        "[y]{kerry}",
        "[ z ]{ asean }",
        "[01:02]",
        "[applause]",
        "// c\n",
        "\n",
        "\n\n",
        "\r\n",
        "\r",
        " ",
        "\t",
        "é",
        "😀",
        "’",
        ":",
        "text",
        "\u{feff}",
    ]);
    prop::collection::vec(piece, 0..60).prop_map(|pieces| pieces.concat())
}

fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![
        transcript_like(),
        any::<String>(),
        "[-#:\\[\\]{}\\\\/ a-zA-Zé😀\r\n]{0,80}"
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn tokens_are_well_formed(text in any_text(), with_registry in any::<bool>()) {
        let reg = registry();
        let reg = with_registry.then_some(&reg);
        let doc = parsed(&text, reg);
        check_tokens(&text, &semantic_tokens(&text, &doc, reg));
    }

    #[test]
    fn completion_at_every_offset(text in any_text(), with_registry in any::<bool>()) {
        let reg = registry();
        let reg = with_registry.then_some(&reg);
        let doc = parsed(&text, reg);
        for offset in 0..text.len() + 3 {
            let c = complete(&text, &doc, reg, offset, MAX_ITEMS);
            let r = c.replace.clone();
            prop_assert!(r.start <= r.end && r.end <= text.len());
            prop_assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end));
            prop_assert!(!text[r.clone()].contains('\n'), "replace across lines: {r:?}");
            let mut cursor = (0..=offset.min(text.len())).rev().find(|&i| text.is_char_boundary(i)).unwrap();
            if text.starts_with('\u{feff}') {
                cursor = cursor.max(3);
            }
            // The replaced text holds the cursor (moved before the CR of a CRLF).
            prop_assert!(r.start <= cursor, "{r:?} after the cursor {cursor}");
            prop_assert!(r.end >= cursor || &text[r.end..cursor] == "\r", "{r:?} before the cursor {cursor}");
            if c.items.is_empty() {
                prop_assert_eq!(r.start, r.end);
            }
            // Only a leading line break, to end the paragraph above.
            prop_assert!(c.items.iter().all(|i| !i.insert_text.trim_start_matches(['\r', '\n']).contains('\n')));
        }
    }

    #[test]
    fn folds_are_multi_line_and_ordered(text in any_text()) {
        let doc = parsed(&text, None);
        let folds = folding_ranges(&text, &doc);
        for pair in folds.windows(2) {
            prop_assert!(pair[0].span.start <= pair[1].span.start);
        }
        for f in &folds {
            let s = text.get(f.span.clone());
            prop_assert!(s.is_some_and(|s| s.contains('\n')), "{f:?}");
        }
    }
}
