//! Completion: what may be typed at a byte offset, and which text it replaces.
//!
//! Four places offer items; everywhere else there are none:
//!
//! - the start of a header line, before its `:`: the header keys (standard
//!   ones with their meaning and form, and the registry's), except the keys
//!   that may appear only once and already do; the item inserts `key: `;
//! - the value of `language`, or an item of `languages`: common BCP 47 tags;
//! - the start of a paragraph in the body (its first line or an empty line,
//!   before any `:`): the speakers (declared in the header, in the registry,
//!   or already used as labels in the file) and the question labels; the item
//!   inserts `Name: ` (after a line break on an empty line just under a
//!   paragraph's line, which would otherwise continue that paragraph). Items
//!   are offered only while what is typed before the cursor is the beginning
//!   of one of them, so ordinary prose gets none;
//! - between the braces of a mention, `[surface]{…}` (also before the `}` is
//!   typed): the registry's entity ids, those whose name or alias is the
//!   surface text first, then the built-in types.
//!
//! All items of a context are returned; the client filters them by the text
//! of `replace` before the cursor. Any offset is accepted: past the end, or
//! inside a character, it is moved back to a character boundary.

use super::keys::KEYS;
use crate::escape::{code_span, markdown as md};
use crate::registry::{ENTITY_TYPES, Entity, Registry};
use crate::syntax::{Document, Item, LabelKind, Span, is_valid_key, split_speaker};
use crate::text::floor_char_boundary;

/// The items offered at an offset and the text an accepted item replaces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completion {
    /// The range an item's `insert_text` replaces; on the cursor's line, and
    /// containing the cursor. Empty at the cursor when there are no items.
    pub replace: Span,
    pub items: Vec<CompletionItem>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompletionItem {
    pub label: String,
    pub kind: CompletionKind,
    pub detail: Option<String>,
    /// Markdown.
    pub documentation: Option<String>,
    pub insert_text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompletionKind {
    /// A header key.
    Key,
    /// A header value (a language tag).
    Value,
    /// A speaker's label.
    Speaker,
    /// A question label.
    QuestionLabel,
    /// A registry entity id.
    Entity,
    /// A built-in entity type.
    EntityType,
}

/// Common BCP 47 tags offered for `language` and `languages`, with their names.
pub const LANGUAGE_TAGS: &[(&str, &str)] = &[
    ("en", "English"),
    ("en-GB", "English (United Kingdom)"),
    ("en-US", "English (United States)"),
    ("ru", "Russian"),
    ("ru-RU", "Russian (Russia)"),
    ("fr", "French"),
    ("fr-FR", "French (France)"),
    ("de", "German"),
    ("de-DE", "German (Germany)"),
    ("es", "Spanish"),
    ("es-ES", "Spanish (Spain)"),
    ("es-419", "Spanish (Latin America)"),
    ("zh", "Chinese"),
    ("zh-CN", "Chinese (China)"),
    ("zh-TW", "Chinese (Taiwan)"),
    ("ar", "Arabic"),
    ("ja", "Japanese"),
    ("ko", "Korean"),
    ("pt", "Portuguese"),
    ("pt-BR", "Portuguese (Brazil)"),
    ("pt-PT", "Portuguese (Portugal)"),
    ("it", "Italian"),
    ("uk", "Ukrainian"),
    ("be", "Belarusian"),
    ("kk", "Kazakh"),
    ("pl", "Polish"),
    ("cs", "Czech"),
    ("nl", "Dutch"),
    ("sv", "Swedish"),
    ("fi", "Finnish"),
    ("el", "Greek"),
    ("sr", "Serbian"),
    ("sr-Latn", "Serbian (Latin script)"),
    ("tr", "Turkish"),
    ("fa", "Persian"),
    ("he", "Hebrew"),
    ("hi", "Hindi"),
    ("lo", "Lao"),
    ("vi", "Vietnamese"),
    ("th", "Thai"),
    ("km", "Khmer"),
    ("my", "Burmese"),
    ("ms", "Malay"),
    ("id", "Indonesian"),
];

/// What each built-in type is for, as `docs/format.md` says.
const TYPE_DOCS: &[(&str, &str)] = &[
    ("person", "people"),
    (
        "org",
        "organisations: states' institutions, international bodies, companies, parties, armed groups",
    ),
    ("place", "countries, cities, regions, geographical features"),
    ("event", "summits, meetings, conferences, elections, wars"),
    ("work", "publications, reports, speeches, articles, films"),
    (
        "law",
        "laws, treaties, agreements, declarations, resolutions",
    ),
    ("misc", "anything else: programmes, initiatives, concepts"),
];

/// The completion at byte `offset` of `text`, whose model is `doc`.
pub fn complete(
    text: &str,
    doc: &Document,
    registry: Option<&Registry>,
    offset: usize,
) -> Completion {
    let cursor = Cursor::new(text, offset);
    let found = match region(text, doc, cursor.line.start) {
        Region::Header => header(text, doc, registry, &cursor),
        Region::Delimiter => None,
        Region::Body => mention(text, registry, &cursor)
            .or_else(|| paragraph_start(text, doc, registry, &cursor)),
    };
    found.filter(|c| !c.items.is_empty()).unwrap_or(Completion {
        replace: cursor.offset..cursor.offset,
        items: Vec::new(),
    })
}

/// The cursor, on a character boundary, and its line without the line ending.
struct Cursor {
    offset: usize,
    line: Span,
}

impl Cursor {
    fn new(text: &str, offset: usize) -> Self {
        let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
        let offset = floor_char_boundary(text, offset).max(bom);
        let start = text[..offset].rfind('\n').map_or(bom, |i| i + 1);
        let mut end = text.len();
        if let Some(lf) = text[offset..].find('\n') {
            end = offset + lf;
            // The CR of a CRLF ends the line; a lone CR is text.
            if end > start && text.as_bytes()[end - 1] == b'\r' {
                end -= 1;
            }
        }
        Cursor {
            // Between a CR and its LF: at the end of the line.
            offset: offset.min(end),
            line: start..end,
        }
    }

    /// The line's text before the cursor.
    fn before<'t>(&self, text: &'t str) -> &'t str {
        &text[self.line.start..self.offset]
    }

    /// The line's text after the cursor.
    fn after<'t>(&self, text: &'t str) -> &'t str {
        &text[self.offset..self.line.end]
    }
}

#[derive(Debug, PartialEq)]
enum Region {
    Header,
    /// The header's `---` lines.
    Delimiter,
    Body,
}

/// Where the line starting at `line_start` is. In a header without its
/// closing `---`, the line just after the header lines still counts as a
/// header line: it is the one being typed.
fn region(text: &str, doc: &Document, line_start: usize) -> Region {
    let Some(header) = &doc.header else {
        return Region::Body;
    };
    if line_start <= header.open.start {
        return Region::Delimiter;
    }
    match &header.close {
        Some(close) if line_start < close.start => Region::Header,
        Some(close) if line_start <= close.end => Region::Delimiter,
        Some(_) => Region::Body,
        None => {
            let next = text[header.span.end..]
                .find('\n')
                .map_or(text.len(), |i| header.span.end + i + 1);
            if line_start <= next {
                Region::Header
            } else {
                Region::Body
            }
        }
    }
}

fn is_comment(line: &str) -> bool {
    line.trim_start().starts_with("//")
}

fn is_heading(line: &str) -> bool {
    let level = line.bytes().take_while(|&b| b == b'#').count();
    let rest = &line[level..];
    (1..=6).contains(&level) && (rest.is_empty() || rest.starts_with([' ', '\t']))
}

/// Characters of a header key being typed (uppercase too: it is still a key,
/// if an invalid one).
fn is_key_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '-' || c == '_'
}

/// Characters of a language tag being typed.
fn is_tag_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '-' || c == '_'
}

/// Characters of an entity id being typed after the cursor.
fn is_id_char(c: char) -> bool {
    c.is_alphanumeric() || c == '-' || c == '_'
}

/// The length of the run of `accept` characters at the start of `s`.
fn run(s: &str, accept: impl Fn(char) -> bool) -> usize {
    s.find(|c: char| !accept(c)).unwrap_or(s.len())
}

fn header(
    text: &str,
    doc: &Document,
    registry: Option<&Registry>,
    cursor: &Cursor,
) -> Option<Completion> {
    let line = &text[cursor.line.clone()];
    if is_comment(line) {
        return None;
    }
    match line.find(':') {
        Some(colon) if cursor.line.start + colon < cursor.offset => {
            let key = line[..colon].trim();
            language_tag(text, doc, key, cursor.line.start + colon + 1, cursor)
        }
        _ => header_key(text, doc, registry, cursor),
    }
}

fn header_key(
    text: &str,
    doc: &Document,
    registry: Option<&Registry>,
    cursor: &Cursor,
) -> Option<Completion> {
    let before = cursor.before(text);
    let word = before.trim_start();
    if !word.chars().all(is_key_char) {
        return None;
    }
    let start = cursor.offset - word.len();
    // The rest of the key, and the `:` and spaces after it, are replaced too.
    let after = cursor.after(text);
    let mut end = cursor.offset + run(after, is_key_char);
    let rest = &text[end..cursor.line.end];
    let spaced = rest.trim_start_matches([' ', '\t']);
    if let Some(value) = spaced.strip_prefix(':') {
        end = cursor.line.end - value.len();
        end += run(value, |c| c == ' ' || c == '\t');
    }
    // Keys of the other lines.
    let present: Vec<&str> = doc
        .header
        .iter()
        .flat_map(|h| &h.entries)
        .filter(|e| e.line_span.start != cursor.line.start)
        .map(|e| e.key.as_str())
        .collect();
    let required = |key: &str, default: bool| {
        registry
            .and_then(|r| r.required_keys.as_ref())
            .map_or(default, |keys| keys.iter().any(|k| k == key))
    };
    let mut items = Vec::new();
    for spec in KEYS {
        if !spec.repeatable && present.contains(&spec.key) {
            continue;
        }
        let detail = if required(spec.key, spec.required) {
            "required"
        } else if spec.repeatable {
            "repeatable"
        } else {
            "optional"
        };
        let mut documentation = format!("{}\n\nExpected: {}.", spec.meaning, spec.form);
        if spec.repeatable {
            documentation.push_str(" May be repeated.");
        }
        items.push(key_item(spec.key, detail, documentation));
    }
    if let Some(r) = registry {
        let mut added: Vec<&str> = Vec::new();
        for key in r.extra_keys.iter().chain(r.required_keys.iter().flatten()) {
            let key = key.as_str();
            if !is_valid_key(key) || KEYS.iter().any(|s| s.key == key) || added.contains(&key) {
                continue;
            }
            added.push(key);
            let detail = if required(key, false) {
                "required · transcripts.json"
            } else {
                "transcripts.json"
            };
            items.push(key_item(
                key,
                detail,
                "A key added by `metadata` in transcripts.json. Expected: a value. May be repeated."
                    .to_string(),
            ));
        }
    }
    Some(Completion {
        replace: start..end,
        items,
    })
}

fn key_item(key: &str, detail: &str, documentation: String) -> CompletionItem {
    CompletionItem {
        label: key.to_string(),
        kind: CompletionKind::Key,
        detail: Some(detail.to_string()),
        documentation: Some(documentation),
        insert_text: format!("{key}: "),
    }
}

/// A tag in the value of `language`, or in an item of `languages`; the value
/// starts at `value_start` (just after the colon).
fn language_tag(
    text: &str,
    doc: &Document,
    key: &str,
    value_start: usize,
    cursor: &Cursor,
) -> Option<Completion> {
    let list = match key {
        "language" => false,
        "languages" => true,
        _ => return None,
    };
    let value = &text[value_start..cursor.line.end];
    let before = &text[value_start..cursor.offset];
    let item_start = if list {
        before
            .rfind(',')
            .map_or(value_start, |i| value_start + i + 1)
    } else {
        value_start
    };
    let typed = text[item_start..cursor.offset].trim_start();
    if !typed.chars().all(is_tag_char) {
        return None;
    }
    let start = cursor.offset - typed.len();
    let end = cursor.offset + run(cursor.after(text), is_tag_char);
    // Tags written elsewhere in the value (the other items of `languages`).
    let others: Vec<String> = if list {
        let rel = start - value_start..end - value_start;
        let mut others = Vec::new();
        let mut at = 0;
        for item in value.split(',') {
            let range = at..at + item.len();
            at += item.len() + 1;
            let edited = range.start <= rel.start && rel.end <= range.end;
            if !edited && !item.trim().is_empty() {
                others.push(item.trim().to_ascii_lowercase());
            }
        }
        others
    } else {
        Vec::new()
    };
    let mut items: Vec<CompletionItem> = Vec::new();
    let mut push = |tag: &str, detail: String| {
        let folded = tag.to_ascii_lowercase();
        if others.contains(&folded) || items.iter().any(|i| i.label.to_ascii_lowercase() == folded)
        {
            return;
        }
        items.push(CompletionItem {
            label: tag.to_string(),
            kind: CompletionKind::Value,
            detail: Some(detail),
            documentation: None,
            insert_text: tag.to_string(),
        });
    };
    let name_of = |tag: &str| {
        LANGUAGE_TAGS
            .iter()
            .find(|(t, _)| t.eq_ignore_ascii_case(tag))
            .map(|(_, name)| *name)
    };
    if !list {
        // The languages the transcript is published in come first.
        let listed = doc
            .header
            .iter()
            .flat_map(|h| h.get("languages"))
            .flat_map(|e| e.value.split(','))
            .map(str::trim)
            .filter(|t| !t.is_empty());
        for tag in listed {
            let detail = match name_of(tag) {
                Some(name) => format!("{name} · in `languages`"),
                None => "in `languages`".to_string(),
            };
            push(tag, detail);
        }
    }
    for (tag, name) in LANGUAGE_TAGS {
        push(tag, name.to_string());
    }
    Some(Completion {
        replace: start..end,
        items,
    })
}

/// Between the braces of a mention: `[surface]{ref`, closed or not.
fn mention(text: &str, registry: Option<&Registry>, cursor: &Cursor) -> Option<Completion> {
    let line = &text[cursor.line.clone()];
    if is_comment(line) || is_heading(line) {
        return None;
    }
    let before = cursor.before(text);
    let brace = before.rfind(['{', '}'])?;
    let bytes = before.as_bytes();
    if bytes[brace] != b'{' || brace == 0 || bytes[brace - 1] != b']' {
        return None;
    }
    let close = brace - 1;
    if close > 0 && bytes[close - 1] == b'\\' {
        return None;
    }
    let open = open_bracket(bytes, close)?;
    let surface = before[open + 1..close].trim();
    let typed = before[brace + 1..].trim_start();
    if typed.contains(['[', ']']) {
        return None;
    }
    let start = cursor.offset - typed.len();
    let after = cursor.after(text);
    let (end, closed) = match after.find(['}', '{', '[', ']']) {
        Some(i) if after.as_bytes()[i] == b'}' => {
            let inside = after[..i].trim_end();
            (cursor.offset + inside.len(), true)
        }
        _ => (cursor.offset + run(after, is_id_char), false),
    };
    let closing = if closed { "" } else { "}" };
    let mut items = Vec::new();
    if let Some(r) = registry {
        let folded = surface.to_lowercase();
        let names = |e: &Entity| {
            e.id.to_lowercase() == folded
                || e.name.to_lowercase() == folded
                || e.aliases.iter().any(|a| a.to_lowercase() == folded)
        };
        // Entities the surface text names first, then the others, by id.
        let (named, others): (Vec<&Entity>, Vec<&Entity>) = r
            .entities
            .values()
            .partition(|e| !folded.is_empty() && names(e));
        for e in named.into_iter().chain(others) {
            if ENTITY_TYPES.contains(&e.id.as_str()) {
                continue;
            }
            items.push(CompletionItem {
                label: e.id.clone(),
                kind: CompletionKind::Entity,
                detail: Some(e.name.clone()),
                documentation: Some(super::hover::entity_markdown(e)),
                insert_text: format!("{}{closing}", e.id),
            });
        }
    }
    for (ty, what) in TYPE_DOCS {
        items.push(CompletionItem {
            label: ty.to_string(),
            kind: CompletionKind::EntityType,
            detail: Some("built-in type".to_string()),
            documentation: Some(format!(
                "An ad-hoc mention of {what}; its name is the surface text."
            )),
            insert_text: format!("{ty}{closing}"),
        });
    }
    Some(Completion {
        replace: start..end,
        items,
    })
}

/// The `[` that the unescaped `]` at `close` closes, on the same line.
fn open_bracket(bytes: &[u8], close: usize) -> Option<usize> {
    let escaped = |i: usize| i > 0 && bytes[i - 1] == b'\\';
    (0..close)
        .rev()
        .find(|&i| matches!(bytes[i], b'[' | b']') && !escaped(i))
        .filter(|&i| bytes[i] == b'[')
}

/// At the start of a paragraph: a turn's label.
fn paragraph_start(
    text: &str,
    doc: &Document,
    registry: Option<&Registry>,
    cursor: &Cursor,
) -> Option<Completion> {
    let line = &text[cursor.line.clone()];
    let before = cursor.before(text);
    if before.contains(':') || line.starts_with('\\') || is_comment(line) || is_heading(line) {
        return None;
    }
    // A label starts at the very beginning of the line: spaces before the
    // cursor are replaced, text after spaces is not a label.
    let typed = if before.trim().is_empty() { "" } else { before };
    if typed.starts_with(char::is_whitespace) {
        return None;
    }
    let starts_paragraph = follows_paragraph_break(text, doc, cursor.line.start);
    if !line.trim().is_empty() && !starts_paragraph {
        return None;
    }
    let mut candidates = labels(text, doc, registry, cursor.line.start);
    if !starts_paragraph {
        // An empty line just under a paragraph's line would continue that
        // paragraph: the item first ends it with a blank line.
        let newline = if text[..cursor.line.start].ends_with("\r\n") {
            "\r\n"
        } else {
            "\n"
        };
        for item in &mut candidates {
            item.insert_text.insert_str(0, newline);
        }
    }
    let folded = typed.to_lowercase();
    if !candidates
        .iter()
        .any(|c| c.label.to_lowercase().starts_with(&folded))
    {
        return None;
    }
    // An existing label is replaced with its colon and the spaces after it.
    let label_end = doc
        .turns()
        .find(|t| t.label.span.start == cursor.line.start)
        .map(|t| t.label.span.end)
        .filter(|&end| end >= cursor.offset && text[end..].starts_with(':'));
    let end = match label_end {
        Some(end) => {
            let after = &text[end + 1..cursor.line.end];
            end + 1 + run(after, |c| c == ' ' || c == '\t')
        }
        None => cursor.offset,
    };
    Some(Completion {
        replace: cursor.line.start..end,
        items: candidates,
    })
}

/// Whether the line starting at `line_start` (in the body) starts a
/// paragraph: the line before it is blank, a comment, a heading or not in
/// the body, or there is none.
fn follows_paragraph_break(text: &str, doc: &Document, line_start: usize) -> bool {
    if line_start == 0 || !text[..line_start].ends_with('\n') {
        return true;
    }
    let prev_end = line_start - 1;
    let prev_start = text[..prev_end].rfind('\n').map_or(0, |i| i + 1);
    let prev = text[prev_start..prev_end]
        .strip_suffix('\r')
        .unwrap_or(&text[prev_start..prev_end]);
    prev.trim().is_empty()
        || is_comment(prev)
        || is_heading(prev)
        || region(text, doc, prev_start) != Region::Body
}

/// The labels a turn may start with: the speakers of the header, of the
/// registry and of the file's other turns, then the question labels.
fn labels(
    text: &str,
    doc: &Document,
    registry: Option<&Registry>,
    line_start: usize,
) -> Vec<CompletionItem> {
    let mut items: Vec<CompletionItem> = Vec::new();
    let mut push =
        |name: &str, kind: CompletionKind, detail: Option<String>, documentation: String| {
            if name.is_empty() || name.contains(':') || items.iter().any(|i| i.label == name) {
                return;
            }
            items.push(CompletionItem {
                label: name.to_string(),
                kind,
                detail,
                documentation: Some(documentation),
                insert_text: format!("{name}: "),
            });
        };
    for entry in doc.header.iter().flat_map(|h| h.get("speaker")) {
        let (name, role) = split_speaker(&entry.value);
        push(
            name,
            CompletionKind::Speaker,
            role.map(str::to_string),
            speaker_doc(name, role, "Declared in the header."),
        );
    }
    if let Some(r) = registry {
        for (name, speaker) in &r.speakers {
            let entity = speaker
                .entity
                .as_deref()
                .and_then(|id| r.entity(id))
                .map(|e| format!(" Entity: {} ({}).", md(&e.name), code_span(&e.id)))
                .unwrap_or_default();
            push(
                name,
                CompletionKind::Speaker,
                speaker.role.clone(),
                speaker_doc(
                    name,
                    speaker.role.as_deref(),
                    &format!("Declared in transcripts.json.{entity}"),
                ),
            );
        }
    }
    for item in &doc.items {
        if let Item::Turn(turn) = item
            && turn.label.kind == LabelKind::Speaker
            && turn.label.span.start != line_start
        {
            let name = &text[turn.label.name_span.clone()];
            push(
                name,
                CompletionKind::Speaker,
                None,
                speaker_doc(name, None, "A speaker of this file."),
            );
        }
    }
    let question_labels = std::iter::once("Question").chain(
        registry
            .into_iter()
            .flat_map(|r| r.question_labels.iter().map(String::as_str)),
    );
    for label in question_labels {
        push(
            label,
            CompletionKind::QuestionLabel,
            Some("question label".to_string()),
            format!(
                "Opens a question; the turns after it are its answers. \
                 An attribution may follow: {}.",
                code_span(&format!("{label} (RIA Novosti):"))
            ),
        );
    }
    items
}

fn speaker_doc(name: &str, role: Option<&str>, origin: &str) -> String {
    match role {
        Some(role) => format!("**{}** — {}\n\n{origin}", md(name), md(role)),
        None => format!("**{}**\n\n{origin}", md(name)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::label_context;
    use crate::syntax::{LabelContext, parse};

    /// Completion at the `|` of `marked`, which is removed.
    fn at(marked: &str, registry: Option<&Registry>) -> (String, Completion) {
        let offset = marked.find('|').expect("a cursor mark");
        let text = marked.replacen('|', "", 1);
        let doc = parse(&text, &label_context(registry));
        let c = complete(&text, &doc, registry, offset);
        (text, c)
    }

    fn labels(c: &Completion) -> Vec<&str> {
        c.items.iter().map(|i| i.label.as_str()).collect()
    }

    #[test]
    fn header_key_in_an_unclosed_header() {
        let (text, c) = at("---\ntitle: T\nda|", None);
        assert_eq!(&text[c.replace.clone()], "da");
        assert!(labels(&c).contains(&"date"));
        assert!(!labels(&c).contains(&"title"));
    }

    #[test]
    fn replacing_an_existing_key_takes_its_colon() {
        let (text, c) = at("---\nti|tle: T\n---\n", None);
        assert_eq!(&text[c.replace.clone()], "title: ");
        // The line's own key is offered again.
        assert!(labels(&c).contains(&"title"));
    }

    #[test]
    fn nothing_on_delimiters_comments_or_values() {
        for marked in [
            "|---\ntitle: T\n---\n",
            "---\ntitle: T\n-|--\n",
            "---\n// a comm|ent\n---\n",
            "---\ntitle: T|\n---\n",
            "---\nsome words |\n---\n",
        ] {
            let (_, c) = at(marked, None);
            assert!(c.items.is_empty(), "{marked:?}: {c:?}");
        }
    }

    #[test]
    fn language_lists_the_published_languages_first() {
        let (text, c) = at("---\nlanguages: ru-RU, lo\nlanguage: |\n---\n", None);
        assert_eq!(c.replace.start, c.replace.end);
        assert_eq!(&labels(&c)[..2], ["ru-RU", "lo"]);
        assert_eq!(labels(&c).iter().filter(|l| **l == "lo").count(), 1);
        let (_, c) = at("---\nlanguage: en-|GB\n---\n", None);
        assert_eq!(c.replace, 14..19, "{text:?}");
    }

    #[test]
    fn entity_after_a_bracket_only() {
        let (_, c) = at("Sergey Lavrov: a {|", None);
        assert!(c.items.is_empty());
        let (_, c) = at("Sergey Lavrov: a \\]{|", None);
        assert!(c.items.is_empty());
        let (_, c) = at("Sergey Lavrov: [a]{b} c|", None);
        assert!(c.items.is_empty());
        let (text, c) = at("Sergey Lavrov: [a]{ pe|r }.", None);
        assert_eq!(&text[c.replace.clone()], "per");
        assert_eq!(c.items[0].insert_text, "person");
        let (text, c) = at("Sergey Lavrov: [a]{pe|r and more", None);
        assert_eq!(&text[c.replace.clone()], "per");
        assert_eq!(c.items[0].insert_text, "person}");
    }

    #[test]
    fn offsets_anywhere() {
        let text = "\u{feff}---\ntitle: “T”\r\n---\r\n\r\nA B: [x]{😀\r\n";
        let doc = parse(text, &LabelContext::default());
        for offset in 0..text.len() + 3 {
            let c = complete(text, &doc, None, offset);
            assert!(c.replace.start <= c.replace.end && c.replace.end <= text.len());
            assert!(text.is_char_boundary(c.replace.start) && text.is_char_boundary(c.replace.end));
        }
    }
}
