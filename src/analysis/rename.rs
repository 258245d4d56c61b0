//! Renaming across the collection, as plain edits (spans and new text):
//!
//! - an entity id: its key in the registry, every `speakers.*.entity` that
//!   names it, and its mentions in every file that shares the registry;
//! - a speaker declared in the file's header: the declaration and the
//!   file's turn labels;
//! - a speaker declared in the registry only: its key there and its turn
//!   labels in every file that uses the registry and does not declare the
//!   speaker itself;
//! - an undeclared speaker: the file's turn labels.
//!
//! A new name is checked by the format's own rules, with the parser as the
//! judge (a speaker's name must still be read as that speaker's label; an
//! id must be read back from a mention), and must not merge two speakers or
//! entities: a rename never changes what the files mean or adds a problem.

use super::index::FileFacts;
use super::navigate::Target;
use crate::registry::{self, Loaded};
use crate::syntax::{self, Item, LabelContext, LabelKind, Span, split_speaker};

/// Replace a place with `text`: in the registry's text, or in a file of
/// the [`Collection`] (its places are of the collection's kind: byte spans
/// of a document in hand, lines and columns in an index).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Edit<P> {
    Registry { span: Span, text: String },
    File { file: usize, at: P, text: String },
}

/// What a rename can reach: the files that share the current document's
/// registry (the current one among them), and that registry.
pub struct Collection<'a, P> {
    pub files: &'a [&'a FileFacts<P>],
    /// The current document's index in `files`.
    pub current: usize,
    pub registry: Option<&'a Loaded>,
}

/// The edits that rename `target` (found in the current document) to
/// `new`, or why it cannot be renamed so. No two edits overlap.
pub fn rename<P: Clone>(
    target: &Target,
    new: &str,
    ctx: &LabelContext,
    collection: &Collection<P>,
) -> Result<Vec<Edit<P>>, String> {
    match target {
        Target::Entity(old) => entity(old, new, collection),
        Target::Speaker(old) => speaker(old, new, ctx, collection),
    }
}

/// Why entity `old` cannot be renamed to `new` (to itself: whether it can
/// be renamed at all). Besides the format's rules for ids, a new id has no
/// spaces: the format allows them, but they are easy to mistype in `{…}`.
pub fn check_entity(registry: Option<&Loaded>, old: &str, new: &str) -> Result<(), String> {
    if let Some(why) = registry::entity_id_problem(new) {
        return Err(why);
    }
    if new.contains(char::is_whitespace) {
        return Err(format!(
            "`{new}` has spaces: a new id is easier to type without, such as `{}`",
            new.split_whitespace().collect::<Vec<_>>().join("-")
        ));
    }
    let Some(reg) = registry else {
        return Err("no transcripts.json declares this entity".to_string());
    };
    if reg.registry.entity(old).is_none() {
        return Err(format!("`{old}` is not an entity of {}", shown_path(reg)));
    }
    if new != old && reg.registry.entity(new).is_some() {
        return Err(format!(
            "`{new}` is already an entity of {}: renaming would merge two entities",
            shown_path(reg)
        ));
    }
    Ok(())
}

fn shown_path(reg: &Loaded) -> String {
    crate::escape::shown(&reg.path.display().to_string()).into_owned()
}

fn entity<P: Clone>(old: &str, new: &str, c: &Collection<P>) -> Result<Vec<Edit<P>>, String> {
    check_entity(c.registry, old, new)?;
    let reg = c.registry.ok_or("no registry")?;
    let json_text = json_string_content(new);
    let mut edits = Vec::new();
    let inner = |span: Span| span.start + 1..span.end - 1;
    if let Some(key) = reg.registry.entity(old).map(|e| e.key_span()) {
        edits.push(Edit::Registry {
            span: inner(key),
            text: json_text.clone(),
        });
    }
    for speaker in reg.registry.speakers.values() {
        if speaker.entity.as_deref() == Some(old)
            && let Some(value) = speaker.entity_span.clone()
        {
            edits.push(Edit::Registry {
                span: inner(value),
                text: json_text.clone(),
            });
        }
    }
    for (i, facts) in c.files.iter().enumerate() {
        for at in facts.mentions_of(old) {
            edits.push(Edit::File {
                file: i,
                at: at.clone(),
                text: new.to_string(),
            });
        }
    }
    Ok(edits)
}

/// The text between a JSON string's quotes that reads as `s`.
fn json_string_content(s: &str) -> String {
    let quoted = serde_json::to_string(s).unwrap_or_default();
    quoted[1..quoted.len() - 1].to_string()
}

/// Where a speaker is declared, which decides what the parser accepts as
/// its label (an undeclared label must look like a name).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Declared {
    Header,
    Registry,
    Nowhere,
}

/// Why `new` cannot be a speaker's name: it must be read back as a
/// speaker's turn label (and as a `speaker:` declaration where it is
/// declared), and be no question label, heading, comment, escape, note or
/// mention.
pub fn check_speaker_name(new: &str, ctx: &LabelContext, declared: Declared) -> Result<(), String> {
    let refuse = |why: &str| {
        Err(format!(
            "`{}` cannot be a speaker's name: {why}",
            crate::escape::shown(new)
        ))
    };
    if new.is_empty() || new.trim() != new {
        return refuse("no spaces at either end");
    }
    if new.chars().any(crate::escape::is_unsafe_char) {
        return refuse("no control or bidi characters");
    }
    if new.contains([':', '(', ')', '[', ']', '{', '}']) {
        return refuse("no colon, parentheses, brackets or braces");
    }
    if new.starts_with(['#', '\\', '-']) || new.starts_with("//") {
        return refuse("it would start a heading, an escape, a comment or a delimiter");
    }
    if ctx
        .question_labels
        .iter()
        .any(|q| new == q || new.starts_with(&format!("{q} (")))
    {
        return refuse("it is a question label");
    }
    // The parser is the judge: declared as it will be, is it read as this speaker?
    let mut ctx = ctx.clone();
    let header = match declared {
        Declared::Header => format!("speaker: {new}\n"),
        Declared::Registry => {
            ctx.speakers.push(new.to_string());
            String::new()
        }
        Declared::Nowhere => String::new(),
    };
    let probe = format!("---\n{header}---\n\n{new}: Yes.\n");
    let doc = syntax::parse(&probe, &ctx);
    let in_header: Vec<(&str, Option<&str>)> = doc
        .header
        .iter()
        .flat_map(|h| h.get("speaker"))
        .map(|e| split_speaker(&e.value))
        .collect();
    let header_ok = match declared {
        Declared::Header => in_header == [(new, None)],
        _ => in_header.is_empty(),
    };
    let read_back = matches!(doc.items.as_slice(),
        [Item::Turn(t)] if t.label.kind == LabelKind::Speaker && t.label.name == new);
    if !doc.problems.is_empty() || !header_ok || !read_back {
        return refuse(match declared {
            Declared::Nowhere => {
                "the parser would not read it as a label: an undeclared speaker's name must look like a name (declare it with `speaker:` first)"
            }
            _ => "the parser would not read it back as a speaker's label",
        });
    }
    Ok(())
}

fn speaker<P: Clone>(
    old: &str,
    new: &str,
    ctx: &LabelContext,
    c: &Collection<P>,
) -> Result<Vec<Edit<P>>, String> {
    let here = c
        .files
        .get(c.current)
        .ok_or("the document is not in the collection")?;
    let in_registry = c.registry.filter(|r| r.registry.speakers.contains_key(old));
    let declared = if here.declaration_of(old).is_some() {
        Declared::Header
    } else if in_registry.is_some() {
        Declared::Registry
    } else {
        Declared::Nowhere
    };
    check_speaker_name(new, ctx, declared)?;
    let merge = |what: &str| {
        Err(format!(
            "`{new}` is already a speaker {what}: renaming would merge two speakers"
        ))
    };
    if new != old && (here.declaration_of(new).is_some() || here.has_speaker(new)) {
        return merge("of this file");
    }
    let edit = |file: usize, at: &P| Edit::File {
        file,
        at: at.clone(),
        text: new.to_string(),
    };
    let labels = |i: usize| c.files[i].labels_of(old).map(move |at| edit(i, at));
    if let Some(at) = here.declaration_of(old) {
        let mut edits = vec![edit(c.current, at)];
        edits.extend(labels(c.current));
        return Ok(edits);
    }
    let Some(reg) = in_registry else {
        return Ok(labels(c.current).collect());
    };
    // Declared in the registry: its key, and the files that rely on it.
    if new != old && reg.registry.speakers.contains_key(new) {
        return merge(&format!("of {}", shown_path(reg)));
    }
    let users: Vec<usize> = (0..c.files.len())
        .filter(|&i| c.files[i].declaration_of(old).is_none())
        .collect();
    if new != old
        && users
            .iter()
            .any(|&i| c.files[i].has_speaker(new) || c.files[i].declaration_of(new).is_some())
    {
        return merge("in a file that uses this registry");
    }
    let mut edits = Vec::new();
    if let Some(key) = reg.registry.speakers.get(old).map(|s| s.key_span.clone()) {
        edits.push(Edit::Registry {
            span: key.start + 1..key.end - 1,
            text: json_string_content(new),
        });
    }
    for i in users {
        edits.extend(labels(i));
    }
    Ok(edits)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn speaker_names_the_parser_would_misread_are_refused() {
        let ctx = LabelContext::default();
        for bad in [
            "Question",
            "Question (TASS)",
            "# Heading",
            "// note",
            "\\Anna",
            "[x] Anna",
            " Anna",
            "Anna:",
            "Anna (host)",
            "A\u{1b}[31m",
            "",
        ] {
            for declared in [Declared::Header, Declared::Registry, Declared::Nowhere] {
                assert!(check_speaker_name(bad, &ctx, declared).is_err(), "{bad:?}");
            }
        }
        for good in ["Anna", "S. Lavrov", "Jen Psaki", "Mária O’Brien", "张伟"] {
            assert_eq!(
                check_speaker_name(good, &ctx, Declared::Header),
                Ok(()),
                "{good:?}"
            );
            assert_eq!(
                check_speaker_name(good, &ctx, Declared::Registry),
                Ok(()),
                "{good:?}"
            );
        }
        // Undeclared, a label must look like a name.
        assert!(check_speaker_name("S. Lavrov", &ctx, Declared::Nowhere).is_err());
        assert_eq!(
            check_speaker_name("Anna Smith", &ctx, Declared::Nowhere),
            Ok(())
        );
    }

    #[test]
    fn json_content_is_escaped() {
        assert_eq!(json_string_content("a\"b\\c"), "a\\\"b\\\\c");
        assert_eq!(json_string_content("kerry"), "kerry");
    }
}
