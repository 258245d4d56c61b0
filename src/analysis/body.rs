//! Body rules: entity references, speakers, questions, turns, sections, time
//! codes and line endings.

use std::collections::HashSet;

use crate::diagnostic::{Diagnostic, Rule, did_you_mean};
use crate::registry::{ENTITY_TYPES, Registry};
use crate::syntax::{Document, Inline, Item, LabelKind, Turn, speaker_name};

pub fn check(text: &str, doc: &Document, registry: Option<&Registry>, out: &mut Vec<Diagnostic>) {
    entities(doc, registry, out);
    speakers(doc, registry, out);
    structure(text, doc, out);
    time_codes(doc, out);
    if let Some(span) = &doc.line_endings.first_odd {
        let (this, first) = if doc.line_endings.crlf > 0 && span.len() == 2 {
            ("CRLF", "LF")
        } else {
            ("LF", "CRLF")
        };
        out.push(
            Diagnostic::new(Rule::MixedLineEndings, span.clone(), format!("this line ends with {this}, but the file's first line ends with {first}"))
                .help("use one kind of line ending throughout the file (`transcript-ls fmt` keeps the first one)"),
        );
    }
}

fn entities(doc: &Document, registry: Option<&Registry>, out: &mut Vec<Diagnostic>) {
    for m in doc.mentions() {
        let r = m.reference.as_str();
        if ENTITY_TYPES.contains(&r) || registry.is_some_and(|reg| reg.entity(r).is_some()) {
            continue;
        }
        // Ids within a few typos (from the registry's index), and the id of
        // an entity whose name or alias was written where the id belongs.
        let mut suggestions = registry.map_or_else(Vec::new, |reg| reg.similar_ids(r, 3));
        suggestions.extend(did_you_mean(r, ENTITY_TYPES.iter().copied()));
        suggestions.truncate(3);
        if let Some(e) = registry.and_then(|reg| reg.entity_named(r)) {
            suggestions.retain(|s| s != e.id());
            suggestions.insert(0, e.id().to_string());
        }
        let help = match registry {
            Some(_) => format!(
                "add `{r}` to the entities of transcripts.json, or use a built-in type ({})",
                ENTITY_TYPES.join(", ")
            ),
            None => format!(
                "no transcripts.json was found above this file; use a built-in type ({}) or create a registry",
                ENTITY_TYPES.join(", ")
            ),
        };
        out.push(
            Diagnostic::new(
                Rule::UnknownEntity,
                m.reference_span.clone(),
                format!("unknown entity `{r}`"),
            )
            .help(help)
            .suggest(suggestions),
        );
    }
}

fn speakers(doc: &Document, registry: Option<&Registry>, out: &mut Vec<Diagnostic>) {
    let declarations: Vec<_> = doc
        .header
        .iter()
        .flat_map(|h| h.get("speaker"))
        .filter(|e| !e.value.is_empty())
        .collect();
    let mut declared: Vec<&str> = declarations
        .iter()
        .map(|e| speaker_name(&e.value))
        .collect();
    declared.extend(
        registry
            .into_iter()
            .flat_map(|r| r.speakers.keys().map(String::as_str)),
    );
    let mut used = HashSet::new();
    for turn in doc.turns() {
        if turn.label.kind != LabelKind::Speaker {
            continue;
        }
        let name = turn.label.name.as_str();
        used.insert(name);
        if !declared.is_empty() && !declared.contains(&name) {
            out.push(
                Diagnostic::new(
                    Rule::UndeclaredSpeaker,
                    turn.label.name_span.clone(),
                    format!("`{name}` is not a declared speaker"),
                )
                .help(format!(
                    "declare it in the header with `speaker: {name}`, or correct the label"
                ))
                .suggest(did_you_mean(name, declared.iter().copied())),
            );
        }
    }
    for entry in declarations {
        let name = speaker_name(&entry.value);
        if !used.contains(name) {
            out.push(
                Diagnostic::new(
                    Rule::UnusedSpeaker,
                    entry.value_span.clone(),
                    format!("the speaker `{name}` has no turn"),
                )
                .help(format!(
                    "remove the declaration, or label their turns `{name}: `"
                )),
            );
        }
    }
}

fn structure(text: &str, doc: &Document, out: &mut Vec<Diagnostic>) {
    let mut open_question: Option<&Turn> = None;
    let close_question = |q: Option<&Turn>, out: &mut Vec<Diagnostic>| {
        if let Some(q) = q {
            out.push(
                Diagnostic::new(Rule::QuestionWithoutAnswer, q.label.span.clone(), "this question has no answer")
                    .help("add the answer as a turn labelled with its speaker, or mark the silence with a note such as `[no answer]`"),
            );
        }
    };
    for (i, item) in doc.items.iter().enumerate() {
        match item {
            Item::Heading(h) => {
                close_question(open_question.take(), out);
                let nothing_under = doc.items[i + 1..]
                    .iter()
                    .map_while(|next| match next {
                        Item::Heading(n) if n.level > h.level => Some(true),
                        Item::Heading(_) => None,
                        _ => Some(false),
                    })
                    .all(|is_heading| is_heading);
                if nothing_under {
                    let name = if h.text.is_empty() {
                        "this heading".to_string()
                    } else {
                        format!("`{}`", h.text)
                    };
                    out.push(
                        Diagnostic::new(
                            Rule::EmptySection,
                            h.span.clone(),
                            format!("the section {name} is empty"),
                        )
                        .help("add its text under the heading, or remove the heading"),
                    );
                }
            }
            Item::Turn(turn) => {
                if turn.is_question() {
                    close_question(open_question.take(), out);
                    open_question = Some(turn);
                } else {
                    open_question = None;
                }
                if !turn.paragraphs.iter().any(|p| has_text(text, &p.inlines)) {
                    out.push(
                        Diagnostic::new(
                            Rule::EmptyTurn,
                            turn.label.span.clone(),
                            format!("the turn of `{}` has no text", turn.label.name),
                        )
                        .help("write what was said after the label, or remove the label"),
                    );
                }
            }
            Item::Narration(_) => {}
        }
    }
    close_question(open_question, out);
}

fn time_codes(doc: &Document, out: &mut Vec<Diagnostic>) {
    let mut previous: Option<(u32, &crate::syntax::Note)> = None;
    for note in doc.notes() {
        let Some(t) = note.time_code else { continue };
        if let Some((p, prev)) = previous
            && t < p
        {
            out.push(
                Diagnostic::new(
                    Rule::TimeCodeBackwards,
                    note.span.clone(),
                    format!(
                        "the time code [{}] is earlier than the one before it, [{}]",
                        note.text, prev.text
                    ),
                )
                .help("time codes must not go backwards: check both against the recording")
                .related(prev.span.clone(), "the previous time code"),
            );
        }
        previous = Some((t, note));
    }
}

/// Whether a paragraph's inlines hold anything but whitespace.
fn has_text(src: &str, inlines: &[Inline]) -> bool {
    inlines.iter().any(|i| match i {
        Inline::Text(span) => !src[span.clone()].trim().is_empty(),
        _ => true,
    })
}
