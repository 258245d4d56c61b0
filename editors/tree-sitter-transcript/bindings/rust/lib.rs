//! The tree-sitter grammar of annotated transcripts (`.transcript`), for the
//! [tree-sitter] parsing library: give [`LANGUAGE`] to a `tree_sitter::Parser`
//! (`parser.set_language(&tree_sitter_transcript::LANGUAGE.into())`). The
//! node types are in [`NODE_TYPES`]; transcript-ls's test
//! `tests/tree_sitter.rs` checks the trees against its core parser.
//!
//! [tree-sitter]: https://tree-sitter.github.io/

use tree_sitter_language::LanguageFn;

unsafe extern "C" {
    fn tree_sitter_transcript() -> *const ();
}

/// The tree-sitter [`LanguageFn`] of the grammar.
pub const LANGUAGE: LanguageFn = unsafe { LanguageFn::from_raw(tree_sitter_transcript) };

/// The content of the grammar's `node-types.json`.
pub const NODE_TYPES: &str = include_str!("../../src/node-types.json");

/// The highlighting query (standard capture names: `@markup.heading`, `@label`, …).
pub const HIGHLIGHTS_QUERY: &str = include_str!("../../queries/highlights.scm");

/// The folding query.
pub const FOLDS_QUERY: &str = include_str!("../../queries/folds.scm");
