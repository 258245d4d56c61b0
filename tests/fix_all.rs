//! `fixes::fix_all`, on documents assembled from broken and sound pieces:
//! what remains is a subset of what was there less what was fixed, only
//! fixes of the chosen safety are applied, and a second run changes nothing.

use std::collections::BTreeMap;

#[path = "common/documents.rs"]
mod documents;

use proptest::prelude::*;
use transcript_ls::analysis::fixes::{Applicability, fix_all};
use transcript_ls::analysis::{self, Rule};
use transcript_ls::registry::Registry;

const REGISTRY: &str = r#"{ "entities": {
    "kerry": { "name": "John Kerry", "type": "person", "aliases": ["Mr Kerry"] },
    "kerrey": { "name": "Bob Kerrey", "type": "person" } } }"#;

fn header_line() -> impl Strategy<Value = &'static str> {
    prop::sample::select(
        &[
            "title: T\n",
            "date: 2016-07-26\n",
            "date: 16 June 2017\n",
            "date: June 16, 2017\n",
            "plcae: Moscow\n",
            "place: Moscow\n",
            "Place: Moscow\n",
            "language: en_GB\n",
            "id: a b\n",
            "speaker: Sergey Lavrov\n",
            "speaker: Sergey Lavrova\n",
            "// transcript-ls: allow unknown-key\n",
            "x-note: kept\n",
        ][..],
    )
}

fn body_paragraph() -> impl Strategy<Value = &'static str> {
    prop::sample::select(
        &[
            "Question: Why?\n\n",
            "Question:\n\n",
            "Sergey Lavrov: Because – “quoted”.\n\n",
            "Sergey Lavrv: Typo 😀.\n\n",
            "Sergey Lavro: Two candidates.\n\n",
            "Maria Zakharova: Hello.\n\n",
            "We met [Mr Kerry]{kery} and Mr Kerry.\n\n",
            "We met [John Kerry]{Mr Kerry}.\n\n",
            "We met [Bob]{kerre}.\n\n",
            "# Section\n\n",
            "// transcript-ls: allow empty-turn\nQuestion:\n\n",
            "// transcript-ls: allow emtpy-turn\nQuestion:\n\n",
            "// transcript-ls: allow empty-section, question-without-answer\nSergey Lavrov: Hi.\n\n",
            "// transcript-ls: alow empty-turn\n\n",
            "// transcript-ls: allow-file unclosed-mention\n\n",
        ][..],
    )
}

fn document() -> impl Strategy<Value = String> {
    documents::document(header_line(), body_paragraph())
}

fn by_rule<'a>(rules: impl Iterator<Item = &'a Rule>) -> BTreeMap<&'static str, usize> {
    let mut out = BTreeMap::new();
    for r in rules {
        *out.entry(r.name()).or_default() += 1;
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn what_remains_is_what_was_there_less_what_was_fixed(text in document()) {
        let registry = Registry::parse(REGISTRY);
        let before = analysis::analyze(&text, Some(&registry));
        let before = by_rule(before.diagnostics.iter().map(|d| &d.rule));
        for level in [Applicability::Safe, Applicability::Unsafe] {
            let out = fix_all(&text, Some(&registry), level);
            prop_assert!(out.fixed.iter().all(|f| f.applicability.applies_at(level)));
            let fixed = by_rule(out.fixed.iter().map(|f| &f.rule));
            let after = by_rule(out.analysis.diagnostics.iter().map(|d| &d.rule));
            for (rule, n) in &after {
                let had = before.get(rule).copied().unwrap_or(0);
                let gone = fixed.get(rule).copied().unwrap_or(0);
                prop_assert!(n + gone <= had, "{rule}: {had} before, {gone} fixed, {n} after:\n{text}\n->\n{}", out.text);
            }
            prop_assert_eq!(
                &analysis::analyze(&out.text, Some(&registry)).diagnostics,
                &out.analysis.diagnostics
            );
            prop_assert_eq!(out.text == text, out.fixed.is_empty());

            let again = fix_all(&out.text, Some(&registry), level);
            prop_assert_eq!(&again.text, &out.text, "not idempotent");
            prop_assert!(again.fixed.is_empty());
        }
    }
}

#[test]
fn the_generated_documents_get_fixes_at_each_level() {
    // The property above is not vacuous: a document with a fix of each
    // safety gets both levels applied differently.
    let registry = Registry::parse(REGISTRY);
    let text = "---\r\ndate: 16 June 2017\nspeaker: Sergey Lavrov\nspeaker: Sergey Lavrova\n---\n\
                Sergey Lavro: Two candidates.\n\n// transcript-ls: allow emtpy-turn\nQuestion:\n\nSergey Lavrov: Yes.\n";
    let safe = fix_all(text, Some(&registry), Applicability::Safe);
    let mut rules: Vec<&str> = safe.fixed.iter().map(|f| f.rule.name()).collect();
    rules.sort();
    assert_eq!(
        rules,
        ["invalid-date", "mixed-line-endings", "unused-allow"]
    );
    assert!(
        safe.text.contains("allow empty-turn\r\nQuestion:"),
        "{}",
        safe.text
    );
    let unsafe_ = fix_all(text, Some(&registry), Applicability::Unsafe);
    assert!(
        unsafe_
            .fixed
            .iter()
            .any(|f| f.rule == Rule::UndeclaredSpeaker)
    );
    assert!(unsafe_.text.contains("\r\nSergey Lavrov: Two candidates."));
}
