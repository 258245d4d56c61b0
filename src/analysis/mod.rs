//! The analysis layer: model (+ registry) -> diagnostics, outline and hover
//! facts. Pure and synchronous; the server and the command line only translate.

mod body;
pub mod code_lens;
pub mod completion;
pub mod fixes;
pub mod folding;
mod header;
pub mod highlight;
pub mod hover;
pub mod index;
pub mod inlay_hints;
pub mod keys;
pub mod links;
pub mod navigate;
pub mod outline;
pub mod rename;
pub mod selection;
pub mod semantic_tokens;
pub mod stats;
pub mod suppress;
mod syntax_problems;
pub mod turns;
pub mod workspace;

pub use crate::diagnostic::{Diagnostic, Related, Rule, Severity};
pub use header::{long_form_date, parse_date};
pub use hover::{HoverInfo, hover};
pub use outline::{Symbol, SymbolKind, outline};

use std::collections::BTreeMap;

use crate::registry::Registry;
use crate::syntax::{self, Document, LabelContext};

/// How many items an answer that can grow with the registry or the
/// collection (completion of entities, workspace symbols) holds by default.
pub const MAX_ITEMS: usize = 200;

/// A document's model and its diagnostics.
#[derive(Debug, Clone)]
pub struct Analysis {
    pub syntax: Document,
    /// Sorted by position, with the registry's severities applied and the
    /// file's allows (see [`suppress`]) taken into account.
    pub diagnostics: Vec<Diagnostic>,
}

/// The labels the parser recognises under a registry.
pub fn label_context(registry: Option<&Registry>) -> LabelContext {
    let mut ctx = LabelContext::default();
    if let Some(r) = registry {
        for label in &r.question_labels {
            if !ctx.question_labels.contains(label) {
                ctx.question_labels.push(label.clone());
            }
        }
        ctx.speakers = r.speakers.keys().cloned().collect();
    }
    ctx
}

/// Rule severities the user sets (in the editor's settings), under the
/// registry's: a rule the registry sets has the registry's severity.
pub type UserRules = BTreeMap<Rule, Option<Severity>>;

/// Parses and checks a document.
pub fn analyze(text: &str, registry: Option<&Registry>) -> Analysis {
    analyze_with(text, registry, &UserRules::new())
}

/// Parses and checks a document, with the user's rule severities under the registry's.
pub fn analyze_with(text: &str, registry: Option<&Registry>, user: &UserRules) -> Analysis {
    let doc = syntax::parse(text, &label_context(registry));
    let mut diagnostics: Vec<Diagnostic> = doc
        .problems
        .iter()
        .map(|p| syntax_problems::diagnostic(text, p))
        .collect();
    if let Some(h) = &doc.header {
        header::check(h, registry, &mut diagnostics);
    }
    body::check(text, &doc, registry, &mut diagnostics);
    let diagnostics = apply_severities_with(diagnostics, registry, user);
    let (mut diagnostics, unused_allows) = suppress::apply(text, &doc, diagnostics);
    diagnostics.extend(apply_severities_with(unused_allows, registry, user));
    diagnostics.sort_by_key(|d| (d.span.start, d.span.end));
    Analysis {
        syntax: doc,
        diagnostics,
    }
}

/// Diagnostics of a document found across files (`duplicate-id`), as
/// `analyze` gives its own: with the registry's severities, and without
/// those the document's allows silence. The caller adds and sorts them.
pub fn cross_file(
    text: &str,
    doc: &Document,
    found: Vec<Diagnostic>,
    registry: Option<&Registry>,
    user: &UserRules,
) -> Vec<Diagnostic> {
    suppress::filter(text, doc, apply_severities_with(found, registry, user))
}

/// Gives each diagnostic the severity its rule has under the registry, and
/// drops those whose rule is off.
pub fn apply_severities(
    diagnostics: Vec<Diagnostic>,
    registry: Option<&Registry>,
) -> Vec<Diagnostic> {
    apply_severities_with(diagnostics, registry, &UserRules::new())
}

/// As [`apply_severities`], with the user's severities for the rules the
/// registry does not set.
pub fn apply_severities_with(
    diagnostics: Vec<Diagnostic>,
    registry: Option<&Registry>,
    user: &UserRules,
) -> Vec<Diagnostic> {
    if registry.is_none() && user.is_empty() {
        return diagnostics;
    }
    diagnostics
        .into_iter()
        .filter_map(|mut d| {
            let level = registry
                .and_then(|r| r.rules.get(&d.rule).copied())
                .or_else(|| user.get(&d.rule).copied())
                .unwrap_or(Some(d.rule.default_severity()));
            d.severity = level?;
            Some(d)
        })
        .collect()
}
