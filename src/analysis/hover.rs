//! What a hover shows, as Markdown with the range of the hovered element: an
//! entity mention, a speaker label, a header key or a `date` value.

use super::header::parse_date;
use super::keys;
use crate::escape::{code_span, markdown as md};
use crate::registry::{ENTITY_TYPES, Entity, Registry};
use crate::syntax::{
    Document, HeaderEntry, Inline, Item, LabelKind, Mention, Span, Turn, split_speaker, word_count,
};

#[derive(Debug, Clone, PartialEq)]
pub struct HoverInfo {
    pub span: Span,
    pub markdown: String,
}

/// The hover at byte `offset`, if an element that has one is there.
pub fn hover(
    text: &str,
    doc: &Document,
    registry: Option<&Registry>,
    offset: usize,
) -> Option<HoverInfo> {
    if let Some(header) = &doc.header
        && header.span.contains(&offset)
    {
        let entry = header
            .entries
            .iter()
            .find(|e| e.line_span.contains(&offset))?;
        return header_hover(entry, registry, offset);
    }
    let item = item_at(doc, offset)?;
    let Item::Turn(turn) = item else {
        return mention_at(item_paragraphs(item), offset).map(|m| mention_hover(doc, registry, m));
    };
    if turn.label.span.contains(&offset) {
        return match turn.label.kind {
            LabelKind::Speaker => Some(speaker_hover(text, doc, registry, turn)),
            LabelKind::Question { .. } => None,
        };
    }
    mention_at(&turn.paragraphs, offset).map(|m| mention_hover(doc, registry, m))
}

/// The body item whose span holds `offset` (items are in document order).
fn item_at(doc: &Document, offset: usize) -> Option<&Item> {
    let span = |item: &Item| match item {
        Item::Heading(h) => h.span.clone(),
        Item::Narration(p) => p.span.clone(),
        Item::Turn(t) => t.span.clone(),
    };
    let i = doc.items.partition_point(|item| span(item).start <= offset);
    let item = doc.items.get(i.checked_sub(1)?)?;
    span(item).contains(&offset).then_some(item)
}

fn item_paragraphs(item: &Item) -> &[crate::syntax::Paragraph] {
    match item {
        Item::Narration(p) => std::slice::from_ref(p),
        Item::Turn(t) => &t.paragraphs,
        Item::Heading(_) => &[],
    }
}

fn mention_at(paragraphs: &[crate::syntax::Paragraph], offset: usize) -> Option<&Mention> {
    paragraphs
        .iter()
        .filter(|p| p.span.contains(&offset))
        .flat_map(|p| &p.inlines)
        .find_map(|i| match i {
            Inline::Mention(m) if m.span.contains(&offset) => Some(&**m),
            _ => None,
        })
}

fn times(n: usize) -> String {
    match n {
        1 => "once".to_string(),
        2 => "twice".to_string(),
        n => format!("{n} times"),
    }
}

fn mention_hover(doc: &Document, registry: Option<&Registry>, m: &Mention) -> HoverInfo {
    let r = m.reference.as_str();
    let markdown = if ENTITY_TYPES.contains(&r) {
        let count = doc
            .mentions()
            .filter(|o| o.reference == r && o.surface == m.surface)
            .count();
        format!(
            "**{}** · {r} (ad-hoc mention)\n\nMentioned {} in this file.",
            md(&m.surface),
            times(count)
        )
    } else if let Some(e) = registry.and_then(|reg| reg.entity(r)) {
        let count = doc.mentions().filter(|o| o.reference == r).count();
        let mut md = entity_markdown(e);
        md.push_str(&format!("\n\nMentioned {} in this file.", times(count)));
        md
    } else {
        format!(
            "**{}** · unknown entity {}\n\nNo built-in type or registry entity has this id.",
            md(&m.surface),
            code_span(r)
        )
    };
    HoverInfo {
        span: m.span.clone(),
        markdown,
    }
}

/// A registry entity as Markdown: name, type, id, description, aliases,
/// Wikidata link. What the registry says is shown as text; the only link is
/// the one built here, to a well-formed Wikidata item.
pub fn entity_markdown(e: &Entity) -> String {
    let mut out = format!("**{}**", md(&e.name));
    if let Some(kind) = &e.kind {
        out.push_str(&format!(" · {}", md(kind)));
    }
    out.push_str(&format!(" · {}", code_span(&e.id)));
    if let Some(d) = &e.description {
        out.push_str(&format!("\n\n{}", md(d)));
    }
    if !e.aliases.is_empty() {
        let aliases: Vec<String> = e.aliases.iter().map(|a| md(a)).collect();
        out.push_str(&format!("\n\nAliases: {}", aliases.join(", ")));
    }
    match &e.wikidata {
        Some(w) if crate::registry::is_wikidata_id(w) => out.push_str(&format!(
            "\n\nWikidata: [{w}](https://www.wikidata.org/wiki/{w})"
        )),
        Some(w) => out.push_str(&format!("\n\nWikidata: {}", md(w))),
        None => {}
    }
    out
}

fn speaker_hover(
    text: &str,
    doc: &Document,
    registry: Option<&Registry>,
    turn: &Turn,
) -> HoverInfo {
    let name = turn.label.name.as_str();
    let declared_role = doc
        .header
        .iter()
        .flat_map(|h| h.get("speaker"))
        .map(|e| split_speaker(&e.value))
        .find(|(n, _)| *n == name)
        .and_then(|(_, role)| role.map(str::to_string));
    let role = declared_role.or_else(|| {
        registry
            .and_then(|r| r.speakers.get(name))
            .and_then(|s| s.role.clone())
    });
    let turns: Vec<&Turn> = doc
        .turns()
        .filter(|t| t.label.kind == LabelKind::Speaker && t.label.name == name)
        .collect();
    let words = word_count(text, turns.iter().flat_map(|t| &t.paragraphs));
    let mut out = format!("**{}**", md(name));
    if let Some(role) = role {
        out.push_str(&format!(" — {}", md(&role)));
    }
    let n = turns.len();
    out.push_str(&format!(
        "\n\n{n} turn{} and {words} word{} in this file.",
        plural(n),
        plural(words)
    ));
    HoverInfo {
        span: turn.label.name_span.clone(),
        markdown: out,
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn header_hover(
    entry: &HeaderEntry,
    registry: Option<&Registry>,
    offset: usize,
) -> Option<HoverInfo> {
    if entry.key_span.contains(&offset) {
        let key = entry.key.as_str();
        let markdown = if let Some(spec) = keys::spec(key) {
            let mut md = format!("**{key}** — {}\n\nExpected: {}.", spec.meaning, spec.form);
            let required = registry
                .and_then(|r| r.required_keys.as_ref())
                .map_or(spec.required, |keys| keys.iter().any(|k| k == key));
            if required {
                md.push_str(" Required.");
            }
            if spec.repeatable {
                md.push_str(" May be repeated.");
            }
            md
        } else if keys::is_extension(key) {
            format!(
                "**{}** — a user extension key: any value, never checked.",
                md(key)
            )
        } else if registry.is_some_and(|r| r.extra_keys.iter().any(|k| k == key)) {
            format!(
                "**{}** — a key added by `metadata.keys` in transcripts.json.",
                md(key)
            )
        } else {
            format!("**{}** — not a known key.", md(key))
        };
        return Some(HoverInfo {
            span: entry.key_span.clone(),
            markdown,
        });
    }
    if entry.key == "date" && entry.value_span.contains(&offset) {
        let date = parse_date(&entry.value, entry.value_span.clone()).ok()?;
        let markdown = format!("**{}**", date.format("%A, %-d %B %Y"));
        return Some(HoverInfo {
            span: entry.value_span.clone(),
            markdown,
        });
    }
    None
}
