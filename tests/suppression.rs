//! Inline suppression, through `analyze`: an allow removes exactly the named
//! rules on exactly the paragraph, heading or header line after it, and
//! reports the names that removed nothing; the examples of docs/format.md
//! do what the text around them says.

use std::path::Path;

use proptest::prelude::*;
use transcript_ls::analysis::{self, Rule, suppress};
use transcript_ls::registry::Registry;

const REGISTRY: &str = r#"{ "entities": { "kerry": { "name": "John Kerry", "type": "person", "aliases": ["Mr Kerry"] } } }"#;

/// Header lines: sound, and with problems of several rules.
const HEADER: &[&str] = &[
    "title: T\n",
    "date: 16 June 2017\n",
    "date: 2017-06-16\n",
    "plcae: Moscow\n",
    "speaker: Sergey Lavrov\n",
    "speaker: Ann Lee\n",
    "id: a b\n",
    "language: en_GB\n",
    "Bad Key: x\n",
];

/// Body paragraphs and headings, each followed by a blank line.
const BODY: &[&str] = &[
    "Question: Why?\n",
    "Question:\n",
    "Sergey Lavrov: Because.\n",
    "Sergey Lavrv: Typo, “quoted” – and 😀.\n",
    "We met [Mr Kerry]{kery} and [x]{nobody}.\n",
    "Sergey Lavrov: Because.\nAnd [y]{nobody} on the next line.\n",
    "# Section\n",
    "[00:10:00] Later.\n",
    "[00:05:00] Earlier.\n",
    "Bad [unclosed and [Mr Kerry]{kery}\n",
    "Maria Zakharova:\n",
];

/// Names an allow may hold: rules the pieces break, one they never break,
/// a syntax rule, a misspelt name.
const NAMES: &[&str] = &[
    "unknown-key",
    "invalid-date",
    "unused-speaker",
    "invalid-id",
    "invalid-language-tag",
    "question-without-answer",
    "empty-turn",
    "undeclared-speaker",
    "unknown-entity",
    "empty-section",
    "time-code-backwards",
    "missing-key",
    "duplicate-key",
    "unclosed-mention",
    "invalid-key",
    "mixed-line-endings",
    "emtpy-turn",
];

#[derive(Debug, Clone)]
struct Case {
    header: Vec<&'static str>,
    body: Vec<&'static str>,
    /// Before which piece the allow goes (header lines first, then the body).
    target: usize,
    names: Vec<&'static str>,
    /// 0: LF; 1: CRLF; 2: CRLF on the first line only (`mixed-line-endings`).
    endings: u8,
}

fn case() -> impl Strategy<Value = Case> {
    (
        prop::collection::vec(prop::sample::select(HEADER), 1..5),
        prop::collection::vec(prop::sample::select(BODY), 1..7),
        any::<prop::sample::Index>(),
        prop::sample::subsequence(NAMES, 1..4),
        0..3u8,
    )
        .prop_map(|(header, body, target, names, endings)| Case {
            target: target.index(header.len() + body.len()),
            header,
            body,
            names,
            endings,
        })
}

/// The line end of all lines but the first.
fn eol(case: &Case) -> &'static str {
    if case.endings == 1 { "\r\n" } else { "\n" }
}

/// The line end of the first line.
fn allow_eol(case: &Case) -> &'static str {
    if case.endings == 0 { "\n" } else { "\r\n" }
}

/// The text, and where the target piece is: from its start to the end of
/// its last line's line end.
fn assemble(case: &Case, allow: Option<&str>) -> (String, std::ops::Range<usize>) {
    let eol = eol(case);
    let mut text = format!("---{}", allow_eol(case));
    let mut target = 0..0;
    let pieces = case
        .header
        .iter()
        .map(|p| (*p, ""))
        .chain(case.body.iter().map(|p| (*p, "\n")));
    for (i, (piece, after)) in pieces.enumerate() {
        if i == case.header.len() {
            text.push_str("---");
            text.push_str(eol);
        }
        if i == case.target {
            if let Some(allow) = allow {
                // Ended as the first line is, as the quick fix writes it.
                text.push_str(allow);
                text.push_str(allow_eol(case));
            }
            target = text.len()..text.len() + piece.replace('\n', eol).len();
        }
        text.push_str(&piece.replace('\n', eol));
        text.push_str(&after.replace('\n', eol));
    }
    (text, target)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn an_allow_removes_exactly_its_rules_on_exactly_the_next_piece(case in case()) {
        let registry = Registry::parse(REGISTRY);
        let allow = format!("// transcript-ls: allow {}", case.names.join(", "));
        let (plain, target) = assemble(&case, None);
        let (allowed, _) = assemble(&case, Some(&allow));
        let inserted = allow.len() + allow_eol(&case).len();
        let before = analysis::analyze(&plain, Some(&registry)).diagnostics;
        let after = analysis::analyze(&allowed, Some(&registry)).diagnostics;

        let silenced = |d: &analysis::Diagnostic| {
            case.names.contains(&d.rule.name())
                && suppress::suppressible(d.rule)
                && target.contains(&d.span.start)
        };
        // What stays, where it is after the insertion.
        let expected: Vec<(&str, usize)> = before
            .iter()
            .filter(|d| !silenced(d))
            .map(|d| {
                let start = if d.span.start >= target.start { d.span.start + inserted } else { d.span.start };
                (d.rule.name(), start)
            })
            .collect();
        let found: Vec<(&str, usize)> = after
            .iter()
            .filter(|d| d.rule != Rule::UnusedAllow)
            .map(|d| (d.rule.name(), d.span.start))
            .collect();
        prop_assert_eq!(&found, &expected, "\n{}", allowed);

        // The names reported unused: those that silenced nothing.
        let mut unused: Vec<&str> = after
            .iter()
            .filter(|d| d.rule == Rule::UnusedAllow)
            .map(|d| &allowed[d.span.clone()])
            .collect();
        unused.sort();
        let mut expected_unused: Vec<&str> = case
            .names
            .iter()
            .copied()
            .filter(|n| !before.iter().any(|d| d.rule.name() == *n && silenced(d)))
            .collect();
        expected_unused.sort();
        prop_assert_eq!(unused, expected_unused, "\n{}", allowed);
    }
}

fn docs() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/format.md")).unwrap()
}

/// The `transcript` examples of a section of docs/format.md.
fn examples(docs: &str, heading: &str) -> Vec<String> {
    let section = docs
        .split(&format!("\n{heading}\n"))
        .nth(1)
        .unwrap_or_else(|| panic!("no `{heading}` in docs/format.md"));
    let section = section.split("\n## ").next().unwrap();
    section
        .split("```transcript\n")
        .skip(1)
        .map(|s| s.split("```").next().unwrap().to_string())
        .collect()
}

#[test]
fn the_documented_example_is_silenced_completely() {
    let docs = docs();
    let examples = examples(&docs, "## Suppressing a diagnostic");
    assert_eq!(examples.len(), 1);
    let text = &examples[0];
    let found = analysis::analyze(text, None).diagnostics;
    assert!(found.is_empty(), "{found:#?}");
    // Without the allows, two problems.
    let bare: String = text
        .lines()
        .filter(|l| !l.starts_with("// transcript-ls:"))
        .map(|l| format!("{l}\n"))
        .collect();
    let rules: Vec<&str> = analysis::analyze(&bare, None)
        .diagnostics
        .iter()
        .map(|d| d.rule.name())
        .collect();
    assert_eq!(rules, ["unknown-key", "question-without-answer"]);
}

#[test]
fn the_documented_unused_allows_are_reported() {
    let docs = docs();
    let examples = examples(&docs, "### unused-allow");
    let text = &examples[0];
    let diagnostics = analysis::analyze(text, None).diagnostics;
    let found: Vec<(&str, &str, Option<&str>)> = diagnostics
        .iter()
        .map(|d| {
            (
                d.rule.name(),
                &text[d.span.clone()],
                d.suggestions.first().map(String::as_str),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            ("unused-allow", "empty-turn", None),
            (
                "unused-allow",
                "question-without-answr",
                Some("question-without-answer")
            ),
            ("question-without-answer", "Question", None),
        ]
    );
}

#[test]
fn a_registry_severity_applies_to_unused_allows() {
    let text = "---\ntitle: T\ndate: 2017-06-16\n---\n// transcript-ls: allow empty-turn\nHello.\n";
    let found = analysis::analyze(text, None).diagnostics;
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].severity, analysis::Severity::Hint);
    let warn = Registry::parse(r#"{ "rules": { "unused-allow": "warning" } }"#);
    let found = analysis::analyze(text, Some(&warn)).diagnostics;
    assert_eq!(found[0].severity, analysis::Severity::Warning);
    let off = Registry::parse(r#"{ "rules": { "unused-allow": "off" } }"#);
    assert!(analysis::analyze(text, Some(&off)).diagnostics.is_empty());
    // A rule turned off is not reported, so its allow silences nothing.
    let quiet = Registry::parse(r#"{ "rules": { "empty-turn": "off" } }"#);
    let text = "---\ntitle: T\ndate: 2017-06-16\n---\n// transcript-ls: allow empty-turn\nQuestion:\n\nAnn Lee: Yes.\n";
    let rules: Vec<&str> = analysis::analyze(text, Some(&quiet))
        .diagnostics
        .iter()
        .map(|d| d.rule.name())
        .collect();
    assert_eq!(rules, ["unused-allow"]);
}

#[test]
fn cross_file_problems_are_silenced_on_the_id_line() {
    let text = "---\ntitle: T\ndate: 2017-06-16\n// transcript-ls: allow duplicate-id\nid: same\n---\nHello.\n";
    let analysis = analysis::analyze(text, None);
    assert!(
        analysis.diagnostics.is_empty(),
        "never reported unused: {:#?}",
        analysis.diagnostics
    );
    let other = analysis::analyze("---\ntitle: U\ndate: 2017-06-16\nid: same\n---\n", None);
    let docs = [
        (Path::new("a.transcript"), &analysis.syntax),
        (Path::new("b.transcript"), &other.syntax),
    ];
    let duplicates = analysis::workspace::duplicate_ids(&docs);
    assert_eq!(duplicates.len(), 2);
    let mine: Vec<_> = duplicates
        .into_iter()
        .filter(|(i, _)| *i == 0)
        .map(|(_, d)| d)
        .collect();
    assert_eq!(mine.len(), 1);
    assert!(suppress::filter(text, &analysis.syntax, mine).is_empty());
}
