//! The registry's own problems, in the order of its text: those found while
//! reading it, as diagnostics, and its names and aliases that another
//! entity has first, held as pairs of entities (16 bytes each: a registry
//! of a million entities built from Wikidata may have hundreds of thousands
//! of namesakes, 400 bytes each as diagnostics) and made diagnostics only
//! when asked for.

use super::Registry;
use super::entities::{Entities, Entity};
use crate::diagnostic::{Diagnostic, Rule, Severity};
use crate::syntax::Span;

#[derive(Debug, Clone, Default)]
pub(super) struct Problems {
    /// Found while reading, in the order of the text.
    pub found: Vec<Diagnostic>,
    /// In the order of the text.
    pub duplicates: Vec<Duplicate>,
    /// The severity of `duplicate-alias` under the registry's rules.
    pub duplicate_severity: Option<Severity>,
}

/// Entity `other`'s name (`order` 0) or alias `order - 1`, which entity
/// `first` has too, as its name or alias `first_order`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Duplicate {
    pub first: u32,
    pub first_order: u32,
    pub other: u32,
    pub order: u32,
}

impl Duplicate {
    pub(super) fn span(&self, entities: &Entities) -> Span {
        entities
            .at(self.other as usize)
            .map_or(0..0, |e| name_span(&e, self.order))
    }

    fn diagnostic(&self, entities: &Entities, severity: Severity) -> Option<Diagnostic> {
        let a = entities.at(self.first as usize)?;
        let b = entities.at(self.other as usize)?;
        let text = name_at(&b, self.order);
        let mut d = Diagnostic::new(
            Rule::DuplicateAlias,
            name_span(&b, self.order),
            format!("`{text}` names both `{}` and `{}`", a.id(), b.id()),
        )
        .help("an alias must lead to one entity: remove it from one of them")
        .related(
            name_span(&a, self.first_order),
            format!("`{}` has it here", a.id()),
        );
        d.severity = severity;
        Some(d)
    }
}

fn name_at<'e>(e: &Entity<'e>, order: u32) -> &'e str {
    match order {
        0 => e.name(),
        n => e.aliases().nth(n as usize - 1).unwrap_or_default(),
    }
}

fn name_span(e: &Entity, order: u32) -> Span {
    match order {
        0 => e.name_span(),
        n => e
            .alias_spans()
            .nth(n as usize - 1)
            .unwrap_or_else(|| e.key_span()),
    }
}

/// One problem before it is made a diagnostic.
enum Item<'r> {
    Found(&'r Diagnostic),
    Duplicate(&'r Duplicate),
}

impl Registry {
    /// How many problems the registry has.
    pub fn problem_count(&self) -> usize {
        let p = &self.problems;
        p.found.len() + p.duplicates.len()
    }

    /// Every problem of the registry, in the order of its text.
    pub fn problems(&self) -> Vec<Diagnostic> {
        self.most_severe_problems(usize::MAX)
    }

    /// The `max` most severe problems (the first in the text among equals),
    /// in the order of the text.
    pub fn most_severe_problems(&self, max: usize) -> Vec<Diagnostic> {
        let p = &self.problems;
        let severity = p.duplicate_severity.unwrap_or(Severity::Warning);
        let mut items: Vec<(Severity, Span, Item)> = p
            .found
            .iter()
            .map(|d| (d.severity, d.span.clone(), Item::Found(d)))
            .chain(p.duplicates.iter().map(|d| {
                let span = d.span(&self.entities);
                (severity, span, Item::Duplicate(d))
            }))
            .collect();
        if items.len() > max {
            items.sort_by_key(|(s, span, _)| (*s, span.start));
            items.truncate(max);
        }
        items.sort_by_key(|(_, span, _)| (span.start, span.end));
        items
            .into_iter()
            .filter_map(|(_, _, item)| match item {
                Item::Found(d) => Some(d.clone()),
                Item::Duplicate(d) => d.diagnostic(&self.entities, severity),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn registry(rules: &str) -> Registry {
        Registry::parse(&format!(
            r#"{{ "entities": {{ "a": {{ "name": "Ann Lee", "aliases": ["Lee"] }}, "b": {{ "name": "Lee" }}, "c": {{ "type": "nonsense", "name": "C" }} }}{rules} }}"#
        ))
    }

    #[test]
    fn a_duplicate_name_is_reported_on_the_second_entity_pointing_at_the_first() {
        let reg = registry("");
        let problems = reg.problems();
        assert_eq!(reg.problem_count(), 2);
        let d = problems
            .iter()
            .find(|d| d.rule == Rule::DuplicateAlias)
            .unwrap();
        assert_eq!(d.message, "`Lee` names both `a` and `b`");
        assert_eq!(d.severity, Severity::Warning);
        assert_eq!(&reg.text[d.span.clone()], "\"Lee\"");
        assert_eq!(d.related[0].message, "`a` has it here");
        assert!(d.related[0].span.start < d.span.start);
        // In the order of the text: the invalid type of `c` comes after.
        assert!(problems.is_sorted_by_key(|d| d.span.start));
        assert_eq!(problems.last().unwrap().rule, Rule::InvalidEntity);
    }

    #[test]
    fn the_registry_rules_set_the_severity_of_duplicates() {
        let reg = registry(r#", "rules": { "duplicate-alias": "error" }"#);
        assert!(
            reg.problems()
                .iter()
                .any(|d| d.rule == Rule::DuplicateAlias && d.severity == Severity::Error)
        );
        let reg = registry(r#", "rules": { "duplicate-alias": "off" }"#);
        assert_eq!(reg.problem_count(), 1);
        assert!(
            reg.problems()
                .iter()
                .all(|d| d.rule != Rule::DuplicateAlias)
        );
    }

    #[test]
    fn the_most_severe_come_first_when_not_all_are_wanted() {
        let reg = registry("");
        let shown = reg.most_severe_problems(1);
        assert_eq!(shown.len(), 1);
        assert_eq!(shown[0].rule, Rule::InvalidEntity);
    }
}
