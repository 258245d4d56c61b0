//! The JSON Schema of the export (`docs/export.schema.json`) is the one the
//! Rust types generate, and the exports of the examples and of every
//! imported corpus page hold to it and to each other (TSV rows, TEI read
//! back, stats).
//!
//! The corpus test needs `../shared`: a plain `cargo test` ignores it,
//! `.ci/run` runs it (`-- --ignored`).

#[path = "export_common.rs"]
mod export_common;
#[path = "common/shared.rs"]
mod shared;

use export_common::{check_exports, examples, examples_registry, imported_corpus, root};
use rayon::prelude::*;
use transcript_ls::export::json;

#[test]
fn the_committed_schema_is_the_generated_one() {
    let committed = std::fs::read_to_string(root().join("docs/export.schema.json")).unwrap();
    assert!(
        committed == json::schema(),
        "docs/export.schema.json differs from the schema the Rust types generate; \
         regenerate it with `cargo run -- export --schema > docs/export.schema.json`"
    );
}

#[test]
fn the_schema_is_draft_2020_12_and_names_the_offset_unit() {
    let schema: serde_json::Value = serde_json::from_str(&json::schema()).unwrap();
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    let unit = &schema["$defs"]["OffsetUnit"];
    assert_eq!(unit["enum"], serde_json::json!(["code_point"]), "{unit}");
    let start = &schema["$defs"]["Mention"]["properties"]["start"]["description"];
    assert!(start.as_str().unwrap().contains("code point"), "{start}");
}

#[test]
fn examples_export_consistently() {
    let registry = examples_registry();
    let mut problems = Vec::new();
    for (name, text) in examples() {
        problems.extend(check_exports(&name, &text, Some(&registry)));
        problems.extend(check_exports(&name, &text, None));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn a_wrong_export_fails_the_schema() {
    let registry = examples_registry();
    let (name, text) = &examples()[0];
    let analysis = transcript_ls::analysis::analyze(text, Some(&registry));
    let facts = transcript_ls::export::Facts::new(name, text, &analysis, Some(&registry));
    let mut value: serde_json::Value = serde_json::from_str(&json::render(&facts, false)).unwrap();
    value["turns"][0]["mentions"][0]["start"] = serde_json::json!(-1);
    value["turns"][0]["kind"] = serde_json::json!("speech");
    value["offset_unit"] = serde_json::json!("byte");
    value["extra"] = serde_json::json!(1);
    let errors = export_common::schema_errors(&value.to_string());
    assert_eq!(errors.len(), 4, "{errors:#?}");
}

#[test]
#[cfg_attr(
    shared_absent,
    ignore = "needs ../shared beside the repository (then `touch build.rs`)"
)]
fn imported_corpus_pages_export_consistently() {
    let pages = imported_corpus(&shared::folder("corpus"));
    let problems: Vec<String> = pages
        .par_iter()
        .flat_map(|(name, text)| check_exports(name, text, None))
        .collect();
    println!("export corpus: {} imported pages checked", pages.len());
    assert!(!pages.is_empty(), "the corpus folders have no pages");
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}
