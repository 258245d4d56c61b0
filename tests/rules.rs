//! Every rule: a failing case that asserts the code, the line and the column
//! range of the diagnostic, and a passing case where the rule stays silent.
//! `⟦…⟧` marks where the diagnostic must be.

use std::path::Path;

use transcript_ls::analysis::{self, Diagnostic, Rule, workspace};
use transcript_ls::registry::Registry;
use transcript_ls::text::{Encoding, LineCol, LineIndex};

const REGISTRY: &str = r#"{
  "entities": {
    "kerry": { "name": "John Kerry", "type": "person", "aliases": ["Mr Kerry"] },
    "lavrov": { "name": "Sergey Lavrov", "type": "person" }
  }
}"#;

/// The text without its markers, and the byte range they marked.
fn unmark(marked: &str) -> (String, std::ops::Range<usize>) {
    let start = marked.find('⟦').expect("no ⟦ marker");
    let text = marked.replacen('⟦', "", 1);
    let end = text.find('⟧').expect("no ⟧ marker");
    (text.replacen('⟧', "", 1), start..end)
}

fn lc(text: &str, offset: usize) -> LineCol {
    LineIndex::new(text).line_col(text, offset, Encoding::Utf16)
}

fn describe(text: &str, diagnostics: &[Diagnostic]) -> String {
    diagnostics
        .iter()
        .map(|d| {
            format!(
                "{} {:?}-{:?} {}",
                d.rule.name(),
                lc(text, d.span.start),
                lc(text, d.span.end),
                d.message
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Asserts that `rule` fires exactly at the marked range, with a message and
/// help, and that it does not fire on `passing`.
fn check_rule(rule: Rule, marked: &str, passing: &str, diagnose: impl Fn(&str) -> Vec<Diagnostic>) {
    let (text, expected) = unmark(marked);
    let found = diagnose(&text);
    let hits: Vec<&Diagnostic> = found.iter().filter(|d| d.rule == rule).collect();
    assert!(
        hits.iter().any(|d| d.span == expected),
        "{}: expected at {:?}-{:?} ({:?}); got:\n{}",
        rule.name(),
        lc(&text, expected.start),
        lc(&text, expected.end),
        &text[expected.clone()],
        describe(&text, &found)
    );
    for d in &hits {
        assert!(
            !d.message.is_empty() && d.help.as_deref().is_some_and(|h| !h.is_empty()),
            "{}: no message or help: {d:?}",
            rule.name()
        );
        assert_eq!(d.severity, rule.default_severity());
    }
    let clean = diagnose(passing);
    assert!(
        clean.iter().all(|d| d.rule != rule),
        "{}: fired on the passing case:\n{}",
        rule.name(),
        describe(passing, &clean)
    );
}

fn transcript(text: &str) -> Vec<Diagnostic> {
    let registry = Registry::parse(REGISTRY);
    analysis::analyze(text, Some(&registry)).diagnostics
}

fn registry(text: &str) -> Vec<Diagnostic> {
    Registry::parse(text).problems()
}

const HEAD: &str = "---\ntitle: T\ndate: 2016-07-26\nspeaker: Sergey Lavrov (Minister)\n---\n\n";
const BODY: &str = "Question: Why?\n\nSergey Lavrov: Because.\n";

/// A header with `line` added before the closing `---`, and the usual body.
fn with_header_line(line: &str) -> String {
    format!(
        "---\ntitle: T\ndate: 2016-07-26\nspeaker: Sergey Lavrov (Minister)\n{line}\n---\n\n{BODY}"
    )
}

fn with_body(body: &str) -> String {
    format!("{HEAD}{body}")
}

#[test]
fn the_passing_base_is_clean() {
    let text = with_body(BODY);
    assert_eq!(describe(&text, &transcript(&text)), "");
}

#[test]
fn header_rules() {
    let ok = with_body(BODY);
    check_rule(
        Rule::MissingHeader,
        "⟦Sergey Lavrov: Hello.⟧\n",
        &ok,
        transcript,
    );
    check_rule(
        Rule::UnclosedHeader,
        "⟦---⟧\ntitle: T\ndate: 2016-07-26\n\nSergey Lavrov: Hi.\n",
        &ok,
        transcript,
    );
    check_rule(
        Rule::MalformedHeaderLine,
        &with_header_line("⟦just some words⟧"),
        &with_header_line("// just some words"),
        transcript,
    );
    check_rule(
        Rule::InvalidKey,
        &with_header_line("⟦Place⟧: Moscow"),
        &with_header_line("place: Moscow"),
        transcript,
    );
    check_rule(
        Rule::UnknownKey,
        &with_header_line("⟦plcae⟧: Moscow"),
        &with_header_line("x-plcae: Moscow"),
        transcript,
    );
    check_rule(
        Rule::DuplicateKey,
        &with_header_line("⟦title⟧: Again"),
        &with_header_line("event: Again"),
        transcript,
    );
    check_rule(
        Rule::MissingKey,
        &format!("⟦---⟧\ntitle: T\n---\n\n{BODY}"),
        &ok,
        transcript,
    );
    check_rule(
        Rule::EmptyValue,
        &with_header_line("⟦place:⟧"),
        &with_header_line("x-place:"),
        transcript,
    );
    check_rule(
        Rule::InvalidDate,
        "---\ntitle: T\ndate: ⟦2017-02-30⟧\n---\n",
        "---\ntitle: T\ndate: 2016-02-29\n---\n",
        transcript,
    );
    check_rule(
        Rule::InvalidDate,
        "---\ntitle: T\ndate: ⟦16 June 2017⟧\n---\n",
        "---\ntitle: T\ndate: 2017-06-16\n---\n",
        transcript,
    );
    check_rule(
        Rule::InvalidTime,
        &with_header_line("time: ⟦25:61⟧"),
        &with_header_line("time: 23:59:59+03:00"),
        transcript,
    );
    check_rule(
        Rule::InvalidLanguageTag,
        &with_header_line("languages: en-GB, ⟦ru_RU⟧"),
        &with_header_line("languages: en-GB, ru-RU"),
        transcript,
    );
    check_rule(
        Rule::LanguageNotListed,
        &with_header_line("language: ⟦fr⟧\nlanguages: en-GB, ru-RU"),
        &with_header_line("language: en-gb\nlanguages: en-GB, ru-RU"),
        transcript,
    );
    check_rule(
        Rule::InvalidUrl,
        &with_header_line("source: ⟦kremlin.ru/events/1⟧"),
        &with_header_line("source: http://kremlin.ru/events/1"),
        transcript,
    );
    check_rule(
        Rule::InvalidId,
        &with_header_line("id: ⟦lavrov 2016⟧"),
        &with_header_line("id: lavrov-2016.07_26"),
        transcript,
    );
    check_rule(
        Rule::DuplicateSpeaker,
        &with_header_line("speaker: ⟦Sergey Lavrov⟧"),
        &ok,
        transcript,
    );
}

#[test]
fn body_rules() {
    let ok = with_body(BODY);
    check_rule(
        Rule::UnknownEntity,
        &with_body("Question: And [Mr Kerry]{⟦kery⟧}?\n\nSergey Lavrov: Yes.\n"),
        &with_body("Question: And [Mr Kerry]{kerry}?\n\nSergey Lavrov: Yes.\n"),
        transcript,
    );
    check_rule(
        Rule::UnclosedMention,
        &with_body("Question: And ⟦[Mr Kerry]{kerry⟧\n\nSergey Lavrov: Yes.\n"),
        &with_body("Question: And \\[Mr Kerry\\]?\n\nSergey Lavrov: Yes.\n"),
        transcript,
    );
    check_rule(
        Rule::UnclosedMention,
        &with_body("Question: And ⟦[Mr Kerry⟧\n\nSergey Lavrov: Yes.\n"),
        &ok,
        transcript,
    );
    check_rule(
        Rule::EmptyMention,
        &with_body("Question: And ⟦[]{kerry}⟧?\n\nSergey Lavrov: Yes.\n"),
        &ok,
        transcript,
    );
    check_rule(
        Rule::EmptyMention,
        &with_body("Question: And ⟦[Kerry]{ }⟧?\n\nSergey Lavrov: Yes.\n"),
        &ok,
        transcript,
    );
    check_rule(
        Rule::UndeclaredSpeaker,
        &with_body("Question: Why?\n\n⟦Sergey Lavrv⟧: Because.\n"),
        &ok,
        transcript,
    );
    check_rule(
        Rule::UnusedSpeaker,
        &with_header_line("speaker: ⟦Maria Zakharova⟧"),
        &ok,
        transcript,
    );
    check_rule(
        Rule::QuestionWithoutAnswer,
        &with_body("Sergey Lavrov: Hello.\n\n⟦Question (TASS)⟧: Why?\n"),
        &ok,
        transcript,
    );
    check_rule(
        Rule::EmptyTurn,
        &with_body("Question: Why?\n\n⟦Sergey Lavrov⟧:\n\n# Next\n\nNarration.\n"),
        &ok,
        transcript,
    );
    check_rule(
        Rule::EmptySection,
        &with_body("⟦# Opening⟧\n\n# Questions\n\nQuestion: Why?\n\nSergey Lavrov: Because.\n"),
        &ok,
        transcript,
    );
    check_rule(
        Rule::TimeCodeBackwards,
        &with_body("Question: Why? [01:00]\n\nSergey Lavrov: Because. ⟦[00:30]⟧\n"),
        &with_body("Question: Why? [00:30]\n\nSergey Lavrov: Because. [1:00:00]\n"),
        transcript,
    );
    check_rule(
        Rule::UnusedAllow,
        &with_body(
            "// transcript-ls: allow ⟦empty-turn⟧\nQuestion: Why?\n\nSergey Lavrov: Because.\n",
        ),
        &with_body("// transcript-ls: allow empty-turn\nQuestion:\n\nSergey Lavrov: Because.\n"),
        transcript,
    );
    check_rule(
        Rule::MixedLineEndings,
        "---\r\ntitle: T\r\ndate: 2016-07-26⟦\n⟧---\r\n",
        "---\r\ntitle: T\r\ndate: 2016-07-26\r\n---\r\n",
        transcript,
    );
}

#[test]
fn registry_rules() {
    let ok = r#"{ "entities": { "kerry": { "name": "John Kerry", "type": "person", "aliases": ["Mr Kerry"] } } }"#;
    check_rule(Rule::InvalidRegistry, "{ \"entities\": ⟦}⟧", ok, registry);
    check_rule(
        Rule::InvalidRegistry,
        r#"{ "entities": {}, ⟦"entites"⟧: {} }"#,
        ok,
        registry,
    );
    check_rule(
        Rule::InvalidRegistry,
        r#"{ "rules": { "empty-turn": ⟦"loud"⟧ } }"#,
        r#"{ "rules": { "empty-turn": "off" } }"#,
        registry,
    );
    check_rule(
        Rule::InvalidEntity,
        r#"{ "entities": { ⟦"kerry"⟧: { "type": "person" } } }"#,
        ok,
        registry,
    );
    check_rule(
        Rule::InvalidEntity,
        r#"{ "entities": { "kerry": { "name": "K", "type": ⟦"human"⟧ } } }"#,
        ok,
        registry,
    );
    check_rule(
        Rule::InvalidEntity,
        r#"{ "entities": { ⟦"person"⟧: { "name": "K" } } }"#,
        ok,
        registry,
    );
    check_rule(
        Rule::InvalidEntity,
        r#"{ "entities": { "kerry": { "name": "K", "wikidata": ⟦"42"⟧ } } }"#,
        ok,
        registry,
    );
    check_rule(
        Rule::DuplicateAlias,
        r#"{ "entities": { "a": { "name": "A", "aliases": ["Mr K"] }, "b": { "name": "B", "aliases": [⟦"mr k"⟧] } } }"#,
        r#"{ "entities": { "a": { "name": "A", "aliases": ["Mr K"] }, "b": { "name": "B", "aliases": ["Mr B"] } } }"#,
        registry,
    );
}

#[test]
fn duplicate_ids_across_the_workspace() {
    let a = with_header_line("id: lavrov-2016");
    let b = with_header_line("id: lavrov-2016");
    let c = with_header_line("id: other");
    let docs: Vec<_> = [&a, &b, &c]
        .iter()
        .map(|t| analysis::analyze(t, None).syntax)
        .collect();
    let named: Vec<(&Path, _)> = ["a.transcript", "b.transcript", "c.transcript"]
        .iter()
        .map(Path::new)
        .zip(&docs)
        .collect();
    let found = workspace::duplicate_ids(&named);
    let (_, expected) = unmark(&with_header_line("id: ⟦lavrov-2016⟧"));
    let hits: Vec<_> = found
        .iter()
        .map(|(i, d)| (*i, d.rule, d.span.clone()))
        .collect();
    assert_eq!(
        hits,
        [
            (0, Rule::DuplicateId, expected.clone()),
            (1, Rule::DuplicateId, expected)
        ]
    );
    assert_eq!(
        found[0].1.related[0].file.as_deref(),
        Some(Path::new("b.transcript"))
    );
}

#[test]
fn did_you_mean_suggestions() {
    let suggestions = |text: &str, rule: Rule| -> Vec<String> {
        transcript(text)
            .into_iter()
            .find(|d| d.rule == rule)
            .map(|d| d.suggestions)
            .unwrap_or_default()
    };
    assert_eq!(
        suggestions(&with_header_line("plcae: x"), Rule::UnknownKey),
        ["place"]
    );
    assert_eq!(
        suggestions(&with_header_line("Place: x"), Rule::InvalidKey),
        ["place"]
    );
    assert_eq!(
        suggestions(
            &with_body("Question: [K]{kery}?\n\nSergey Lavrov: Yes.\n"),
            Rule::UnknownEntity
        ),
        ["kerry"]
    );
    assert_eq!(
        suggestions(
            &with_body("Question: [K]{Mr Kerry}?\n\nSergey Lavrov: Yes.\n"),
            Rule::UnknownEntity
        ),
        ["kerry"]
    );
    assert_eq!(
        suggestions(
            &with_body("Question: Why?\n\nSergey Lavrv: Yes.\n"),
            Rule::UndeclaredSpeaker
        ),
        ["Sergey Lavrov"]
    );
    assert_eq!(
        suggestions(
            "---\ntitle: T\ndate: June 16, 2017\n---\n",
            Rule::InvalidDate
        ),
        ["2017-06-16"]
    );
}

#[test]
fn registry_rules_change_severities() {
    let reg = Registry::parse(
        r#"{ "rules": { "unknown-key": "error", "question-without-answer": "off" } }"#,
    );
    assert!(reg.problems().is_empty(), "{:?}", reg.problems());
    let text = with_header_line("plcae: x").replace(BODY, "Question: Why?\n");
    let found = analysis::analyze(&text, Some(&reg)).diagnostics;
    let unknown = found
        .iter()
        .find(|d| d.rule == Rule::UnknownKey)
        .expect("unknown-key");
    assert_eq!(unknown.severity, analysis::Severity::Error);
    assert!(found.iter().all(|d| d.rule != Rule::QuestionWithoutAnswer));
}

#[test]
fn registry_metadata_and_question_labels() {
    let reg = Registry::parse(
        r#"{ "metadata": { "required": ["title", "date", "place"], "keys": ["interpreter"] }, "questionLabels": ["Вопрос"] }"#,
    );
    let text = "---\ntitle: T\ndate: 2016-07-26\ninterpreter: A. B.\n---\n\nВопрос: Почему?\n\nSergey Lavrov: Because.\n";
    let found = analysis::analyze(text, Some(&reg)).diagnostics;
    let rules: Vec<_> = found.iter().map(|d| d.rule.name()).collect();
    assert_eq!(rules, ["missing-key"], "{}", describe(text, &found));
    assert!(found[0].message.contains("place"));
}

#[test]
fn every_rule_is_tested_here() {
    let source = include_str!("rules.rs");
    for rule in Rule::ALL {
        let variant = format!("{rule:?}");
        assert!(
            source.contains(&format!("Rule::{variant},"))
                || source.contains(&format!("Rule::{variant})")),
            "no test for {}",
            rule.name()
        );
    }
}

#[test]
fn a_bracket_after_the_label_escape_is_told_how_to_write_it() {
    // The paragraph's first backslash is the label escape, so the `[` after
    // it opens a mention; the help says to double the backslash.
    let text = with_body("\\[applause\\] Thank you.\n\nElsewhere [a note.\n");
    let unclosed: Vec<(String, Option<String>)> = analysis::analyze(&text, None)
        .diagnostics
        .into_iter()
        .filter(|d| d.rule == Rule::UnclosedMention)
        .map(|d| (text[d.span.start..d.span.start + 1].to_string(), d.help))
        .collect();
    assert_eq!(unclosed.len(), 2, "{unclosed:#?}");
    let help = |i: usize| unclosed[i].1.as_deref().unwrap_or_default();
    assert!(
        help(0).contains("write `\\\\[` for a literal bracket here"),
        "{}",
        help(0)
    );
    assert!(
        help(1).contains("write `\\[` for a literal bracket"),
        "{}",
        help(1)
    );
    assert!(!help(1).contains("here"), "{}", help(1));
}
