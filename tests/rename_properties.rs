//! Renames keep the collection valid: on random workspaces (a registry with
//! entities and speakers, several transcripts with declared, registry and
//! undeclared speakers and mentions), a rename the core accepts, applied to
//! every file and the registry, adds no diagnostic and keeps every outline's
//! shape; a rename it refuses comes with a reason, and only for names that
//! are invalid or taken.

use proptest::prelude::*;
use transcript_ls::analysis::index::{FileFacts, Interner, file_facts};
use transcript_ls::analysis::navigate::{Target, target_at};
use transcript_ls::analysis::rename::{Collection, Edit, rename};
use transcript_ls::analysis::{Symbol, analyze, label_context, outline};
use transcript_ls::registry::{Loaded, Registry};
use transcript_ls::syntax::{looks_like_name, parse};

const ENTITIES: &[&str] = &["kerry", "lavrov", "asean", "un", "e-4"];
const REGISTRY_SPEAKERS: &[&str] = &["Maria Zakharova", "Anna Smith"];
const HEADER_SPEAKERS: &[&str] = &["Sergey Lavrov", "S. Lavrov", "John Kerry"];
const UNDECLARED: &[&str] = &["Jen Psaki", "Wang Yi"];
const NEW_NAMES: &[&str] = &[
    // Usable as a name or an id, unless taken.
    "Anna",
    "Jen Psaki",
    "Maria V. Zakharova",
    "S. Lavrov",
    "Mária O’Brien",
    "张伟",
    "john-kerry",
    "kerry",
    "lavrov",
    "Kerry2",
    "x.y_z",
    // Never usable as one or the other.
    "Question",
    "Question (TASS)",
    "# Heading",
    "// note",
    "\\Anna",
    "[x] Anna",
    "Anna:",
    " Anna",
    "a}b",
    "person",
    "k\u{1b}x",
    "two words",
    "",
];

fn registry_text() -> String {
    let entities: Vec<String> = ENTITIES
        .iter()
        .map(|id| format!("    \"{id}\": {{ \"name\": \"Name of {id}\", \"type\": \"person\" }}"))
        .collect();
    format!(
        "{{\n  \"entities\": {{\n{}\n  }},\n  \"speakers\": {{\n    \"Maria Zakharova\": {{ \"role\": \"Spokeswoman\", \"entity\": \"lavrov\" }},\n    \"Anna Smith\": {{ \"entity\": \"kerry\" }}\n  }}\n}}\n",
        entities.join(",\n")
    )
}

/// A paragraph: a question or a turn of some speaker, with mentions.
fn paragraph(declared: Vec<&'static str>) -> impl Strategy<Value = String> {
    let speakers: Vec<&'static str> = declared
        .into_iter()
        .chain(REGISTRY_SPEAKERS.iter().copied())
        .chain(UNDECLARED.iter().copied())
        .collect();
    (
        prop::sample::select(speakers),
        any::<bool>(),
        prop::collection::vec(
            (
                prop::sample::select(ENTITIES),
                prop::sample::select(&["’ “x” –", "😀", "\u{a0}", "word"][..]),
            ),
            0..3,
        ),
    )
        .prop_map(|(speaker, question, mentions)| {
            let label = if question { "Question (TASS)" } else { speaker };
            let body: Vec<String> = mentions
                .iter()
                .map(|(id, text)| format!("{text} [Mr {id}]{{{id}}}"))
                .collect();
            format!("{label}: Said {}.\n", body.join(" and "))
        })
}

fn transcript() -> impl Strategy<Value = String> {
    prop::sample::subsequence(HEADER_SPEAKERS, 0..=HEADER_SPEAKERS.len()).prop_flat_map(
        |declared| {
            let header: String = declared.iter().map(|s| format!("speaker: {s}\n")).collect();
            (
                prop::collection::vec(paragraph(declared.clone()), 1..6),
                any::<bool>(),
            )
                .prop_map(move |(paragraphs, section)| {
                    let heading = if section {
                        "# Questions and answers\n\n"
                    } else {
                        ""
                    };
                    format!(
                        "---\ntitle: T\ndate: 2016-07-26\n{header}---\n\n{heading}{}",
                        paragraphs.join("\n")
                    )
                })
        },
    )
}

/// Kinds and nesting of an outline, without names.
fn shape(symbols: &[Symbol]) -> Vec<(String, Vec<String>)> {
    symbols
        .iter()
        .map(|s| {
            (
                format!("{:?}", s.kind),
                shape(&s.children)
                    .into_iter()
                    .map(|(k, c)| format!("{k}{c:?}"))
                    .collect(),
            )
        })
        .collect()
}

/// `text` with the replacements made (they never overlap).
fn apply(text: &str, edits: &[(std::ops::Range<usize>, &str)]) -> String {
    let mut edits = edits.to_vec();
    edits.sort_by_key(|(span, _)| std::cmp::Reverse(span.start));
    let mut out = text.to_string();
    for (span, new) in edits {
        out.replace_range(span, new);
    }
    out
}

/// Every diagnostic rule with its severity, per file, sorted.
fn problems(texts: &[String], registry: &Registry) -> Vec<Vec<String>> {
    texts
        .iter()
        .map(|t| {
            let mut d: Vec<String> = analyze(t, Some(registry))
                .diagnostics
                .iter()
                .map(|d| format!("{}:{}", d.rule.name(), d.severity))
                .collect();
            d.sort();
            d
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn renames_keep_the_collection_valid(
        texts in prop::collection::vec(transcript(), 1..4),
        pick in any::<prop::sample::Index>(),
        new in prop::sample::select(NEW_NAMES),
    ) {
        let registry_text = registry_text();
        let loaded = Loaded::new("/ws/transcripts.json".into(), registry_text.clone());
        let ctx = label_context(Some(&loaded.registry));
        let docs: Vec<_> = texts.iter().map(|t| parse(t, &ctx)).collect();
        // A target in the first file: a mention or a label, picked at random.
        let targets: Vec<usize> = (0..texts[0].len())
            .filter(|&o| texts[0].is_char_boundary(o) && target_at(&docs[0], o).is_some())
            .collect();
        prop_assume!(!targets.is_empty());
        let (target, _) = target_at(&docs[0], targets[pick.index(targets.len())]).unwrap();
        let mut names = Interner::default();
        let facts: Vec<FileFacts> = texts.iter().zip(&docs).map(|(t, d)| file_facts(t, d, &mut names)).collect();
        let facts: Vec<&FileFacts> = facts.iter().collect();
        let collection = Collection { files: &facts, current: 0, registry: Some(&loaded) };
        match rename(&target, new, &ctx, &collection) {
            Ok(edits) => {
                let registry_edits: Vec<(std::ops::Range<usize>, &str)> = edits
                    .iter()
                    .filter_map(|e| match e {
                        Edit::Registry { span, text } => Some((span.clone(), text.as_str())),
                        Edit::File { .. } => None,
                    })
                    .collect();
                let new_registry_text = apply(&registry_text, &registry_edits);
                let new_registry = Registry::parse(&new_registry_text);
                prop_assert!(new_registry.problem_count() == 0, "{new_registry_text}");
                let renamed: Vec<String> = texts
                    .iter()
                    .enumerate()
                    .map(|(i, t)| {
                        let mine: Vec<(std::ops::Range<usize>, &str)> = edits
                            .iter()
                            .filter_map(|e| match e {
                                Edit::File { file, at, text } if *file == i => Some((at.clone(), text.as_str())),
                                _ => None,
                            })
                            .collect();
                        apply(t, &mine)
                    })
                    .collect();
                prop_assert_eq!(
                    problems(&renamed, &new_registry),
                    problems(&texts, &loaded.registry),
                    "{:?} -> {:?}\n{:#?}", target, new, renamed
                );
                let new_ctx = label_context(Some(&new_registry));
                for (before, after) in texts.iter().zip(&renamed) {
                    prop_assert_eq!(
                        shape(&outline(after, &parse(after, &new_ctx))),
                        shape(&outline(before, &parse(before, &ctx))),
                        "{:?} -> {:?}\n{}", target, new, after
                    );
                }
            }
            Err(why) => {
                prop_assert!(!why.is_empty());
                // Refused only when invalid (the tail of NEW_NAMES) or taken.
                let invalid = NEW_NAMES.iter().position(|n| *n == new).unwrap() >= 11;
                let taken = match &target {
                    Target::Entity(old) => new != old && ENTITIES.contains(&new),
                    Target::Speaker(old) => new != old && (
                        REGISTRY_SPEAKERS.contains(&new)
                            || texts.iter().any(|t| t.contains(&format!("{new}:")) || t.contains(&format!("speaker: {new}\n")))
                    ),
                };
                let undeclared_needs_a_name = matches!(&target, Target::Speaker(s) if UNDECLARED.contains(&s.as_str()))
                    && !looks_like_name(new);
                let id_form = matches!(target, Target::Entity(_)) && !new.chars().all(|c| c.is_alphanumeric() || "-._".contains(c));
                prop_assert!(
                    invalid || taken || undeclared_needs_a_name || id_form,
                    "{:?} -> {:?} refused: {}", target, new, why
                );
            }
        }
    }
}
