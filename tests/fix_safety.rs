//! docs/format.md states each rule's automatic fixes and their safety as the
//! code has them, and the documented examples get fixes of that safety.

use std::path::Path;

use transcript_ls::analysis::fixes::{self, Applicability, FixKind};
use transcript_ls::analysis::{self, Rule};

fn docs() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/format.md")).unwrap()
}

/// A rule's section, up to the next heading of any level.
fn section(docs: &str, rule: Rule) -> Option<&str> {
    let rest = docs.split(&format!("\n### {}\n", rule.name())).nth(1)?;
    Some(rest.split("\n#").next().unwrap_or(rest))
}

#[test]
fn every_rule_states_its_fixes_as_the_code_has_them() {
    let docs = docs();
    let mut wrong = Vec::new();
    for rule in Rule::ALL {
        let line = fixes::documented(*rule);
        match section(&docs, *rule) {
            None => wrong.push(format!("{}: no section", rule.name())),
            Some(s) if !s.contains(&format!("\n{line}\n")) => {
                let stated = s.lines().find(|l| l.starts_with("Automatic fix:"));
                wrong.push(format!(
                    "{}:\n  code: {line}\n  docs: {}",
                    rule.name(),
                    stated.unwrap_or("(nothing)")
                ));
            }
            Some(_) => {}
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn the_levels_named_in_the_docs_are_the_code_s() {
    let docs = docs();
    let levels = docs
        .split("\n## Fixing problems automatically\n")
        .nth(1)
        .expect("the section on fixes");
    for a in [
        Applicability::Safe,
        Applicability::Unsafe,
        Applicability::DisplayOnly,
    ] {
        assert!(
            levels.contains(&format!("- **{}**:", a.name())),
            "{} is not explained",
            a.name()
        );
    }
}

/// The fixes of a rule's first documented example, with their safety.
fn example_fixes(docs: &str, rule: Rule) -> Vec<(FixKind, Applicability)> {
    let s = section(docs, rule).unwrap();
    let example = s
        .split("```transcript\n")
        .nth(1)
        .and_then(|e| e.split("```").next())
        .unwrap_or_else(|| panic!("{}: no transcript example", rule.name()));
    let analysis = analysis::analyze(example, None);
    analysis
        .diagnostics
        .iter()
        .filter(|d| d.rule == rule)
        .flat_map(|d| fixes::fixes(example, &analysis.syntax, d))
        .map(|f| (f.kind, f.applicability))
        .collect()
}

#[test]
fn the_documented_examples_get_fixes_of_the_stated_safety() {
    use Applicability::*;
    use FixKind::*;
    let docs = docs();
    assert_eq!(example_fixes(&docs, Rule::InvalidDate), [(Replace, Safe)]);
    assert_eq!(example_fixes(&docs, Rule::UnknownKey), [(Replace, Safe)]);
    assert_eq!(example_fixes(&docs, Rule::InvalidId), [(Replace, Unsafe)]);
    assert_eq!(
        example_fixes(&docs, Rule::MissingKey),
        [(AddKey, DisplayOnly)]
    );
    assert_eq!(
        example_fixes(&docs, Rule::UnclosedHeader),
        [(CloseHeader, Safe)]
    );
    assert_eq!(
        example_fixes(&docs, Rule::UndeclaredSpeaker),
        [(DeclareSpeaker, Unsafe)]
    );
    assert_eq!(
        example_fixes(&docs, Rule::UnusedAllow),
        [
            (RemoveAllow, Safe),
            (Replace, Safe),
            (RemoveBrokenAllow, Unsafe)
        ]
    );
    assert_eq!(example_fixes(&docs, Rule::EmptyTurn), []);
}
