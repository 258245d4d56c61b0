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

/// Parses and checks a document.
pub fn analyze(text: &str, registry: Option<&Registry>) -> Analysis {
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
    let diagnostics = apply_severities(diagnostics, registry);
    let (mut diagnostics, unused_allows) = suppress::apply(text, &doc, diagnostics);
    diagnostics.extend(apply_severities(unused_allows, registry));
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
) -> Vec<Diagnostic> {
    suppress::filter(text, doc, apply_severities(found, registry))
}

/// Gives each diagnostic the severity its rule has under the registry, and
/// drops those whose rule is off.
pub fn apply_severities(
    diagnostics: Vec<Diagnostic>,
    registry: Option<&Registry>,
) -> Vec<Diagnostic> {
    let Some(registry) = registry else {
        return diagnostics;
    };
    diagnostics
        .into_iter()
        .filter_map(|mut d| {
            d.severity = registry.severity(d.rule)?;
            Some(d)
        })
        .collect()
}
