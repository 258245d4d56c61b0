//! `--to tei`: TEI P5 XML in the style of ParlaMint, in the TEI namespace.
//!
//! The `teiHeader` has the title, date, place, source and languages; the
//! kinds of turn as a taxonomy (`encodingDesc`); the speakers and the
//! registry's people and organisations the file refers to in `particDesc`
//! (`listPerson`, `listOrg`), its places in `settingDesc` (`listPlace`), and
//! its other entities (events, works, laws, the rest) in a `standOff`. The
//! body has a `div` per section, a `u` per turn (`who` pointing to its
//! speaker, `ana` to its kind, an answer's `corresp` to its question), a
//! `seg` per paragraph, `name` for mentions, `note` for editorial notes and
//! `time` (empty, `dur-iso` the time from the start) for time codes; narration is a `note type="narration"`.
//!
//! Every `xml:id` is an NCName, unique in the file: an entity's id when it
//! is one, otherwise a slug of the id or the name. Every `who`, `ref`, `ana`
//! and `corresp` points to one. Text is escaped by quick-xml, and the
//! characters XML 1.0 forbids (most C0 controls) become U+FFFD.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap, HashSet};

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};

use super::{Facts, TurnMark, resolve};
use crate::analysis::turns::TurnKind;
use crate::registry::Entity;

pub const NAMESPACE: &str = "http://www.tei-c.org/ns/1.0";

/// The kinds of turn of the taxonomy, with their `xml:id`s as wanted and descriptions.
const KINDS: &[(TurnKind, &str, &str)] = &[
    (
        TurnKind::Question,
        "turn.question",
        "A question from the floor",
    ),
    (
        TurnKind::Answer,
        "turn.answer",
        "An answer to the question before it",
    ),
    (
        TurnKind::Remark,
        "turn.remark",
        "A statement that answers no question",
    ),
];

pub fn render(facts: &Facts) -> String {
    let ids = Ids::new(facts);
    let mut t = Tei {
        w: Writer::new(Vec::new()),
        depth: 0,
    };
    t.w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))
        .expect("in memory");
    let mut root = vec![("xmlns", NAMESPACE), ("xml:id", ids.root.as_str())];
    if let Some(lang) = facts.metadata.language {
        root.push(("xml:lang", lang));
    }
    t.open("TEI", &root);
    header(&mut t, facts, &ids);
    stand_off(&mut t, facts, &ids);
    t.open("text", &[]);
    t.open("body", &[]);
    body(&mut t, facts, &ids);
    t.close("body");
    t.close("text");
    t.close("TEI");
    t.newline();
    String::from_utf8(t.w.into_inner()).expect("UTF-8 text makes UTF-8 XML")
}

fn header(t: &mut Tei, facts: &Facts, ids: &Ids) {
    let m = &facts.metadata;
    t.open("teiHeader", &[]);
    t.open("fileDesc", &[]);
    t.open("titleStmt", &[]);
    t.leaf("title", &[], m.title.unwrap_or(facts.file));
    t.close("titleStmt");
    t.open("publicationStmt", &[]);
    t.leaf(
        "p",
        &[],
        &format!("Exported by transcript-ls from {}.", facts.file),
    );
    t.close("publicationStmt");
    t.open("sourceDesc", &[]);
    t.open("bibl", &[]);
    if let Some(title) = m.title {
        t.leaf("title", &[], title);
    }
    if let Some(source) = m.source {
        t.leaf("idno", &[("type", "URI")], source);
    }
    if let Some(date) = m.date {
        let when = date.format("%Y-%m-%d").to_string();
        t.leaf("date", &[("when", &when)], &when);
    }
    t.close("bibl");
    t.close("sourceDesc");
    t.close("fileDesc");

    t.open("encodingDesc", &[]);
    t.open("classDecl", &[]);
    t.open("taxonomy", &[("xml:id", ids.taxonomy.as_str())]);
    for (kind, _, description) in KINDS {
        t.open("category", &[("xml:id", ids.kinds[kind].as_str())]);
        t.leaf("catDesc", &[], &format!("{}: {description}", kind.name()));
        t.close("category");
    }
    t.close("taxonomy");
    t.close("classDecl");
    t.close("encodingDesc");

    t.open("profileDesc", &[]);
    t.open("settingDesc", &[]);
    t.open("setting", &[]);
    if let Some(place) = m.place {
        t.leaf("name", &[("type", "place")], place);
    }
    if let Some(event) = m.event {
        t.leaf("name", &[("type", "event")], event);
    }
    if let Some(date) = m.date {
        let mut when = date.format("%Y-%m-%d").to_string();
        if let Some(time) = m.time {
            when = format!("{when}T{}", time_of_day(time));
        }
        t.leaf("date", &[("when", &when)], &when);
    }
    t.close("setting");
    entities(t, facts, ids, "place", "listPlace", "place", "placeName");
    t.close("settingDesc");
    t.open("particDesc", &[]);
    t.open("listPerson", &[]);
    for s in &facts.speakers {
        if s.entity.is_none() {
            t.open("person", &[("xml:id", ids.speakers[&s.name].as_str())]);
            t.leaf("persName", &[], &s.name);
            if let Some(role) = &s.role {
                t.leaf("occupation", &[], role);
            }
            t.close("person");
        }
    }
    for (label, id) in &ids.questioners {
        t.open("person", &[("xml:id", id.as_str()), ("role", "questioner")]);
        t.leaf("persName", &[], label);
        t.close("person");
    }
    entity_list(t, facts, ids, "person", "person", "persName");
    t.close("listPerson");
    entities(t, facts, ids, "org", "listOrg", "org", "orgName");
    t.close("particDesc");
    if !m.languages.is_empty() || m.language.is_some() {
        t.open("langUsage", &[]);
        let mut seen = HashSet::new();
        for lang in m.language.iter().chain(&m.languages) {
            if seen.insert(lang.to_ascii_lowercase()) {
                t.leaf("language", &[("ident", lang)], lang);
            }
        }
        t.close("langUsage");
    }
    if !m.tags.is_empty() {
        t.open("textClass", &[]);
        t.open("keywords", &[]);
        for tag in &m.tags {
            t.leaf("term", &[], tag);
        }
        t.close("keywords");
        t.close("textClass");
    }
    t.close("profileDesc");
    t.close("teiHeader");
}

/// `HH:MM` as `HH:MM:00`: `date/@when` wants seconds.
fn time_of_day(time: &str) -> String {
    let clock = time.find(['Z', '+', '-']).map_or(time, |i| &time[..i]);
    let rest = &time[clock.len()..];
    if clock.len() == 5 {
        format!("{clock}:00{rest}")
    } else {
        time.to_string()
    }
}

/// The entities of a type, in a list element of their own (when there are any).
fn entities(
    t: &mut Tei,
    facts: &Facts,
    ids: &Ids,
    kind: &str,
    list: &str,
    element: &str,
    name: &str,
) {
    if facts.entities.iter().any(|e| entity_kind(e) == kind) {
        t.open(list, &[]);
        entity_list(t, facts, ids, kind, element, name);
        t.close(list);
    }
}

/// Each entity of a type as `<element xml:id><name>…` with its aliases,
/// description and Wikidata id; a speaker's entity with the speaker's role.
fn entity_list(t: &mut Tei, facts: &Facts, ids: &Ids, kind: &str, element: &str, name: &str) {
    for e in facts.entities.iter().filter(|e| entity_kind(e) == kind) {
        t.open(element, &[("xml:id", ids.entities[e.id()].as_str())]);
        t.leaf(name, &[], e.name());
        for alias in e.aliases() {
            t.leaf(name, &[("type", "alias")], alias);
        }
        let role = facts
            .speakers
            .iter()
            .find(|s| s.entity.as_deref() == Some(e.id()))
            .and_then(|s| s.role.as_deref());
        if let (Some(role), "person") = (role, element) {
            t.leaf("occupation", &[], role);
        }
        if let Some(q) = e.wikidata() {
            let url = format!("https://www.wikidata.org/wiki/{q}");
            t.leaf("idno", &[("type", "URI"), ("subtype", "wikidata")], &url);
        }
        if let Some(d) = e.description() {
            t.leaf("note", &[], d);
        }
        t.close(element);
    }
}

/// Where an entity goes: `person`, `org`, `place`, or `other`.
fn entity_kind<'a>(e: &Entity<'a>) -> &'a str {
    match e.kind() {
        Some(k @ ("person" | "org" | "place")) => k,
        _ => "other",
    }
}

/// A list of the `standOff`: its element, its members' element and name
/// element, and which entity types it holds.
struct StandOffList {
    list: &'static str,
    list_type: Option<&'static str>,
    element: &'static str,
    name: &'static str,
    holds: fn(Option<&str>) -> bool,
}

const STAND_OFF: &[StandOffList] = &[
    StandOffList {
        list: "listEvent",
        list_type: None,
        element: "event",
        name: "label",
        holds: |k| k == Some("event"),
    },
    StandOffList {
        list: "listBibl",
        list_type: None,
        element: "bibl",
        name: "title",
        holds: |k| matches!(k, Some("work" | "law")),
    },
    StandOffList {
        list: "list",
        list_type: Some("misc"),
        element: "item",
        name: "name",
        holds: |k| !matches!(k, Some("event" | "work" | "law")),
    },
];

/// Events, works, laws and the other entities, which the TEI header has no
/// list for: a `standOff` with `listEvent`, `listBibl` and `list`.
fn stand_off(t: &mut Tei, facts: &Facts, ids: &Ids) {
    let others: Vec<Entity> = facts
        .entities
        .iter()
        .copied()
        .filter(|e| entity_kind(e) == "other")
        .collect();
    if others.is_empty() {
        return;
    }
    t.open("standOff", &[]);
    for group in STAND_OFF {
        let members: Vec<&Entity> = others.iter().filter(|e| (group.holds)(e.kind())).collect();
        if members.is_empty() {
            continue;
        }
        let attrs: Vec<(&str, &str)> = group.list_type.map(|t| ("type", t)).into_iter().collect();
        t.open(group.list, &attrs);
        for e in members {
            let mut attrs = vec![("xml:id", ids.entities[e.id()].as_str())];
            if let Some(k) = e.kind().filter(|_| group.element == "bibl") {
                attrs.push(("type", k));
            }
            t.open(group.element, &attrs);
            t.leaf(group.name, &[], e.name());
            if let Some(d) = e.description() {
                t.leaf("note", &[], d);
            }
            t.close(group.element);
        }
        t.close(group.list);
    }
    t.close("standOff");
}

fn body(t: &mut Tei, facts: &Facts, ids: &Ids) {
    // Open sections, innermost last.
    let mut open: Vec<usize> = Vec::new();
    let mut next_section = 0;
    for (i, turn) in facts.body.turns.iter().enumerate() {
        // Sections with no turn before this one still get their div.
        while next_section < facts.body.sections.len()
            && facts.body.sections[next_section].heading.span.start < turn.span.start
        {
            open_section(t, facts, &mut open, next_section);
            next_section += 1;
        }
        utterance(t, facts, ids, i);
    }
    while next_section < facts.body.sections.len() {
        open_section(t, facts, &mut open, next_section);
        next_section += 1;
    }
    for _ in open {
        t.close("div");
    }
}

/// Closes the open sections that do not contain section `index`, and opens it.
fn open_section(t: &mut Tei, facts: &Facts, open: &mut Vec<usize>, index: usize) {
    let section = &facts.body.sections[index];
    while open.last().is_some_and(|&o| Some(o) != section.parent) {
        open.pop();
        t.close("div");
    }
    t.open("div", &[("type", "section")]);
    t.leaf("head", &[], &section.heading.text);
    open.push(index);
}

fn utterance(t: &mut Tei, facts: &Facts, ids: &Ids, index: usize) {
    let turn = &facts.body.turns[index];
    let f = &facts.turns[index];
    let Some(label) = turn.label else {
        t.open_inline_block("note", &[("type", "narration")]);
        for p in &f.paragraphs {
            paragraph(t, facts, ids, &p.text, p.marks.iter().map(TurnMark::from));
        }
        t.close_inline_block("note");
        return;
    };
    let who = match f.speaker {
        Some(s) => facts.speakers[s].entity.as_deref().map_or_else(
            || &ids.speakers[&facts.speakers[s].name],
            |e| &ids.entities[e],
        ),
        None => &ids.questioners[&label.name],
    };
    let who = format!("#{who}");
    let n = (index + 1).to_string();
    let mut attrs = vec![
        ("who", who.as_str()),
        ("xml:id", ids.turns[index].as_str()),
        ("n", n.as_str()),
    ];
    let ana = ids.kinds.get(&turn.kind).map(|k| format!("#{k}"));
    if let Some(ana) = &ana {
        attrs.push(("ana", ana));
    }
    let question = turn
        .answers()
        .and_then(|q| ids.questions.get(q - 1))
        .map(|&asked| format!("#{}", ids.turns[asked]));
    if let Some(q) = &question {
        attrs.push(("corresp", q));
    }
    t.open("u", &attrs);
    if let Some(attribution) = turn.attribution() {
        t.leaf("note", &[("type", "attribution")], attribution);
    }
    for p in &f.paragraphs {
        if p.text.is_empty() && p.marks.is_empty() {
            continue;
        }
        t.open_inline_block("seg", &[]);
        paragraph(t, facts, ids, &p.text, p.marks.iter().map(TurnMark::from));
        t.close_inline_block("seg");
    }
    t.close("u");
}

impl<'a> From<&crate::syntax::Mark<'a>> for TurnMark<'a> {
    fn from(mark: &crate::syntax::Mark<'a>) -> Self {
        match mark {
            crate::syntax::Mark::Mention(m, r) => TurnMark::Mention(m, r.clone()),
            crate::syntax::Mark::Note(n, at) => TurnMark::Note(n, *at),
        }
    }
}

/// A paragraph's text with its mentions as `name` and notes as `note` or `time`.
fn paragraph<'a>(
    t: &mut Tei,
    facts: &Facts,
    ids: &Ids,
    text: &str,
    marks: impl Iterator<Item = TurnMark<'a>>,
) {
    let mut at = 0;
    for mark in marks {
        match mark {
            TurnMark::Mention(m, range) => {
                t.text(&text[at..range.start]);
                let resolved = resolve(m, facts.registry);
                let reference = resolved
                    .entity
                    .map(|e| format!("#{}", ids.entities[e.id()]));
                let mut attrs = Vec::new();
                if let Some(r) = &reference {
                    attrs.push(("ref", r.as_str()));
                }
                if let Some(k) = resolved.kind {
                    attrs.push(("type", k));
                }
                if resolved.kind.is_none() && resolved.entity.is_none() {
                    // An unknown reference (exported with --allow-errors): kept as a key.
                    attrs.push(("key", m.reference.as_str()));
                }
                t.inline("name", &attrs, &text[range.clone()]);
                at = range.end;
            }
            TurnMark::Note(n, offset) => {
                t.text(&text[at..offset]);
                at = offset;
                match n.time_code {
                    Some(seconds) => {
                        let dur = format!("PT{seconds}S");
                        t.empty("time", &[("dur-iso", &dur), ("n", &n.text)]);
                    }
                    None => t.inline("note", &[], &n.text),
                }
            }
        }
    }
    t.text(&text[at..]);
}

/// The `xml:id`s of a file, allocated once, unique and NCNames.
struct Ids {
    root: String,
    taxonomy: String,
    kinds: HashMap<TurnKind, String>,
    entities: HashMap<String, String>,
    /// Speakers without an entity, by name.
    speakers: HashMap<String, String>,
    /// Question labels, by label, in order.
    questioners: BTreeMap<String, String>,
    turns: Vec<String>,
    /// The index of the turn that asks question `n`, at `n - 1`.
    questions: Vec<usize>,
}

impl Ids {
    fn new(facts: &Facts) -> Ids {
        let mut used = HashSet::new();
        // Entities first: their ids are kept whenever they are NCNames.
        let entities = facts
            .entities
            .iter()
            .map(|e| (e.id().to_string(), claim(&mut used, e.id())))
            .collect();
        let root_wanted = facts
            .metadata
            .id
            .map(str::to_string)
            .unwrap_or_else(|| file_stem(facts.file).to_string());
        let root = claim(&mut used, &root_wanted);
        let taxonomy = claim(&mut used, "turn-kinds");
        let kinds = KINDS
            .iter()
            .map(|(k, wanted, _)| (*k, claim(&mut used, wanted)))
            .collect();
        let speakers = facts
            .speakers
            .iter()
            .filter(|s| s.entity.is_none())
            .map(|s| (s.name.clone(), claim(&mut used, &slug(&s.name))))
            .collect();
        let mut questioners = BTreeMap::new();
        for turn in &facts.body.turns {
            if let Some(l) = turn.label.filter(|_| turn.kind == TurnKind::Question)
                && !questioners.contains_key(&l.name)
            {
                let id = claim(&mut used, &slug(&l.name));
                questioners.insert(l.name.clone(), id);
            }
        }
        let turns = (1..=facts.body.turns.len())
            .map(|n| claim(&mut used, &format!("{root}.u{n}")))
            .collect();
        let questions = facts
            .body
            .turns
            .iter()
            .enumerate()
            .filter(|(_, t)| t.asks().is_some())
            .map(|(i, _)| i)
            .collect();
        Ids {
            root,
            taxonomy,
            kinds,
            entities,
            speakers,
            questioners,
            turns,
            questions,
        }
    }
}

fn file_stem(file: &str) -> &str {
    let name = file.rsplit(['/', '\\']).next().unwrap_or(file);
    name.split('.')
        .next()
        .filter(|s| !s.is_empty())
        .unwrap_or("transcript")
}

/// `wanted` as an NCName not used yet: kept when it is one, else made one;
/// `-2`, `-3`, … added until it is new.
fn claim(used: &mut HashSet<String>, wanted: &str) -> String {
    let base = if is_ncname(wanted) {
        wanted.to_string()
    } else {
        slug(wanted)
    };
    let mut id = base.clone();
    let mut n = 1;
    while used.contains(&id) {
        n += 1;
        id = format!("{base}-{n}");
    }
    used.insert(id.clone());
    id
}

/// A lowercase NCName from any text: runs of characters that cannot be in
/// a name become `-`; `id-` goes in front of one that cannot start a name.
pub fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars().flat_map(char::to_lowercase) {
        if is_name_char(c) && c != '.' {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_matches('-');
    match out.chars().next() {
        Some(c) if is_name_start(c) => out.to_string(),
        _ => format!("id-{out}").trim_end_matches('-').to_string(),
    }
}

/// An XML 1.0 (fifth edition) name without a colon.
pub fn is_ncname(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(is_name_start) && chars.all(is_name_char)
}

fn is_name_start(c: char) -> bool {
    matches!(c,
        'A'..='Z' | '_' | 'a'..='z' | '\u{C0}'..='\u{D6}' | '\u{D8}'..='\u{F6}'
        | '\u{F8}'..='\u{2FF}' | '\u{370}'..='\u{37D}' | '\u{37F}'..='\u{1FFF}'
        | '\u{200C}'..='\u{200D}' | '\u{2070}'..='\u{218F}' | '\u{2C00}'..='\u{2FEF}'
        | '\u{3001}'..='\u{D7FF}' | '\u{F900}'..='\u{FDCF}' | '\u{FDF0}'..='\u{FFFD}'
        | '\u{10000}'..='\u{EFFFF}')
}

fn is_name_char(c: char) -> bool {
    is_name_start(c)
        || matches!(c, '-' | '.' | '0'..='9' | '\u{B7}' | '\u{300}'..='\u{36F}' | '\u{203F}'..='\u{2040}')
}

/// Text without the characters XML 1.0 does not allow (U+FFFD instead).
fn xml_chars(s: &str) -> Cow<'_, str> {
    let allowed = |c: char| matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..);
    if s.chars().all(allowed) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(
        s.chars()
            .map(|c| if allowed(c) { c } else { '\u{FFFD}' })
            .collect(),
    )
}

/// An element's start with its attributes.
fn element<'a>(name: &'a str, attrs: &[(&str, &str)]) -> BytesStart<'a> {
    let mut start = BytesStart::new(name);
    for (k, v) in attrs {
        start.push_attribute((*k, xml_chars(v).as_ref()));
    }
    start
}

/// The writer, with line breaks and indentation between block elements
/// only: inside a `seg` or a note, whitespace is text.
struct Tei {
    w: Writer<Vec<u8>>,
    depth: usize,
}

impl Tei {
    fn event(&mut self, event: Event) {
        self.w
            .write_event(event)
            .expect("writing to memory does not fail");
    }

    fn newline(&mut self) {
        let indent = format!("\n{}", "  ".repeat(self.depth));
        self.event(Event::Text(BytesText::from_escaped(indent)));
    }

    fn start(&mut self, name: &str, attrs: &[(&str, &str)]) {
        self.event(Event::Start(element(name, attrs)));
    }

    /// A block element on a line of its own, holding other block elements.
    fn open(&mut self, name: &str, attrs: &[(&str, &str)]) {
        self.newline();
        self.start(name, attrs);
        self.depth += 1;
    }

    fn close(&mut self, name: &str) {
        self.depth -= 1;
        self.newline();
        self.event(Event::End(BytesEnd::new(name)));
    }

    /// A block element on a line of its own, holding text and inline elements.
    fn open_inline_block(&mut self, name: &str, attrs: &[(&str, &str)]) {
        self.newline();
        self.start(name, attrs);
    }

    fn close_inline_block(&mut self, name: &str) {
        self.event(Event::End(BytesEnd::new(name)));
    }

    /// An element holding only text, on a line of its own.
    fn leaf(&mut self, name: &str, attrs: &[(&str, &str)], text: &str) {
        self.newline();
        self.inline(name, attrs, text);
    }

    /// An element holding only text, inside text.
    fn inline(&mut self, name: &str, attrs: &[(&str, &str)], text: &str) {
        self.start(name, attrs);
        self.text(text);
        self.event(Event::End(BytesEnd::new(name)));
    }

    /// An empty element, inside text.
    fn empty(&mut self, name: &str, attrs: &[(&str, &str)]) {
        self.event(Event::Empty(element(name, attrs)));
    }

    fn text(&mut self, text: &str) {
        if !text.is_empty() {
            self.event(Event::Text(BytesText::new(&xml_chars(text))));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_ncnames() {
        for (s, want) in [
            ("Sergey Lavrov", "sergey-lavrov"),
            ("Вопрос", "вопрос"),
            ("2016 summit", "id-2016-summit"),
            (
                "UN Secretary-General (via video)",
                "un-secretary-general-via-video",
            ),
            ("", "id"),
            ("...", "id"),
            ("a:b", "a-b"),
        ] {
            assert_eq!(slug(s), want);
            assert!(is_ncname(&slug(s)), "{s}");
        }
        let mut used = HashSet::new();
        assert_eq!(claim(&mut used, "un"), "un");
        assert_eq!(claim(&mut used, "un"), "un-2");
        assert_eq!(claim(&mut used, "U N"), "u-n");
        assert_eq!(claim(&mut used, "x.y"), "x.y");
    }

    #[test]
    fn forbidden_characters_are_replaced() {
        assert_eq!(xml_chars("a\u{1}b\tc\u{7f}"), "a\u{FFFD}b\tc\u{7f}");
    }
}
