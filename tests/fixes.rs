//! Property: every quick fix, applied to the text, removes the diagnostic it
//! fixes (one fewer diagnostic of that rule), and has the safety its rule
//! states, on documents assembled from broken and sound pieces.

#[path = "common/documents.rs"]
mod documents;

use proptest::prelude::*;
use transcript_ls::analysis::fixes::FixKind;
use transcript_ls::analysis::{self, Rule, fixes};
use transcript_ls::registry::Registry;

const REGISTRY: &str = r#"{ "entities": { "kerry": { "name": "John Kerry", "type": "person", "aliases": ["Mr Kerry"] } } }"#;

fn header_line() -> impl Strategy<Value = &'static str> {
    prop_oneof![
        Just("title: T\n"),
        Just("date: 2016-07-26\n"),
        Just("date: 16 June 2017\n"),
        Just("date: June 16, 2017\n"),
        Just("plcae: Moscow\n"),
        Just("Place: Moscow\n"),
        Just("language: en_GB\n"),
        Just("id: a b\n"),
        Just("speaker: Sergey Lavrov\n"),
        Just("x-note: kept\n"),
    ]
}

fn body_paragraph() -> impl Strategy<Value = &'static str> {
    prop_oneof![
        Just("Question: Why?\n\n"),
        Just("Sergey Lavrov: Because.\n\n"),
        Just("Sergey Lavrv: Typo.\n\n"),
        Just("Maria Zakharova: Hello.\n\n"),
        Just("We met [Mr Kerry]{kery} and Mr Kerry.\n\n"),
        Just("We met [John Kerry]{Mr Kerry}.\n\n"),
        Just("# Section\n\n"),
        Just("// transcript-ls: allow emtpy-turn\nQuestion:\n\n"),
        Just("// transcript-ls: allow empty-section, empty-turn\nQuestion:\n\n"),
        Just("// transcript-ls: alow empty-turn\nQuestion:\n\n"),
    ]
}

fn document() -> impl Strategy<Value = String> {
    documents::document(header_line(), body_paragraph())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn a_fix_removes_its_diagnostic(text in document()) {
        let registry = Registry::parse(REGISTRY);
        let analysis = analysis::analyze(&text, Some(&registry));
        for d in &analysis.diagnostics {
            let before = analysis.diagnostics.iter().filter(|x| x.rule == d.rule).count();
            for fix in fixes::fixes(&text, &analysis.syntax, d) {
                // The safety its rule states for this kind of fix.
                let stated = fixes::rule_fixes(d.rule).iter().find(|(k, _)| *k == fix.kind);
                prop_assert_eq!(stated.map(|(_, s)| s.applicability(d.suggestions.len())), Some(fix.applicability));
                let fixed = fix.apply(&text);
                let found = analysis::analyze(&fixed, Some(&registry)).diagnostics;
                let after = found.iter().filter(|x| x.rule == d.rule).count();
                // A misspelt allow, corrected, may silence nothing all the
                // same: then it is reported for that, not for the spelling.
                let corrected = d.rule == Rule::UnusedAllow
                    && fix.kind == FixKind::Replace
                    && found.iter().filter(|x| x.message == d.message).count()
                        < analysis.diagnostics.iter().filter(|x| x.message == d.message).count();
                prop_assert!(after < before || corrected, "{} not fixed by {:?}:\n{}\n->\n{}", d.rule.name(), fix.title, text, fixed);
            }
        }
    }

    #[test]
    fn annotating_an_alias_makes_a_known_mention(text in document()) {
        let registry = Registry::parse(REGISTRY);
        let analysis = analysis::analyze(&text, Some(&registry));
        for fix in fixes::annotations(&text, &analysis.syntax, &registry, 0..text.len()) {
            let fixed = fix.apply(&text);
            let after = analysis::analyze(&fixed, Some(&registry));
            let mentions = |a: &analysis::Analysis| a.syntax.mentions().filter(|m| m.reference == "kerry").count();
            prop_assert_eq!(mentions(&after), mentions(&analysis) + 1, "{}", fixed);
        }
    }
}

#[test]
fn every_kind_of_fix_is_offered() {
    let registry = Registry::parse(REGISTRY);
    let text = "---\ndate: 16 June 2017\nplcae: x\nPlace: y\nlanguage: en_GB\nid: a b\nspeaker: Sergey Lavrov\n\nSergey Lavrv: Hi.\n\nMaria Zakharova: Hello.\n\nWe met [K]{kery}.\n";
    let analysis = analysis::analyze(text, Some(&registry));
    let mut titles: Vec<String> = analysis
        .diagnostics
        .iter()
        .flat_map(|d| fixes::fixes(text, &analysis.syntax, d))
        .map(|f| f.title)
        .collect();
    titles.sort();
    assert_eq!(
        titles,
        [
            "Close the header with `---`",
            "Replace with `2017-06-16`",
            "Replace with `Sergey Lavrov`",
            "Replace with `a-b`",
            "Replace with `en-GB`",
            "Replace with `kerry`",
            "Replace with `place`",
            "Replace with `place`",
        ],
        "{:#?}",
        analysis.diagnostics
    );
}
