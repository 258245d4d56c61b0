//! Reading `transcripts.json` in one pass over its text: serde_json checks
//! the syntax (with its own messages and positions, and without building a
//! value), then a walk reads the entities one at a time straight into the
//! compact table, and the small parts (speakers, rules, metadata, question
//! labels) as small trees, validating each against the registry's shape
//! with the exact span of every problem. No value of the whole file is ever
//! built, so a registry of a million entities loads in about a second.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use serde::de::IgnoredAny;

use super::entities::{Entities, Record, Str};
use super::index::NameIndex;
use super::problems::Problems;
use super::{
    ENTITY_TYPES, FILE_NAME, Registry, RegistrySpeaker, entity_id_problem, is_wikidata_id, list,
};
use crate::diagnostic::{Diagnostic, Rule, Severity, did_you_mean};
use crate::syntax::Span;

const TOP_KEYS: &[&str] = &[
    "entities",
    "speakers",
    "questionLabels",
    "metadata",
    "rules",
    // The importer's profiles: read and checked by `import` (src/import/profile).
    "import",
];
const ENTITY_KEYS: &[&str] = &["name", "type", "description", "aliases", "wikidata"];
const SPEAKER_KEYS: &[&str] = &["role", "entity"];
const METADATA_KEYS: &[&str] = &["required", "keys"];

/// Reads a registry from its text. Never fails: problems are in `problems`.
pub(super) fn load(text: Arc<str>) -> Registry {
    // A leading BOM is accepted, as in transcripts; offsets stay those of `text`.
    let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let mut loader = Loader {
        reader: Reader {
            text: &text,
            pos: start,
            depth: 0,
        },
        problems: Vec::new(),
        records: Vec::new(),
        aliases: Vec::new(),
        escaped: HashMap::new(),
        speakers: BTreeMap::new(),
        question_labels: Vec::new(),
        required_keys: None,
        extra_keys: Vec::new(),
        rules: BTreeMap::new(),
    };
    // serde_json checks the syntax, and the nesting is checked (bounded, as
    // serde_json bounds it when it builds values), while the walk reads the
    // registry: on any text the walk ends, going no deeper than that bound,
    // and what it read is dropped when the text is not JSON.
    let check = || {
        let deep = too_deep(&text, start);
        (serde_json::from_str::<IgnoredAny>(&text[start..]), deep)
    };
    let ((valid, deep), ()) = rayon::join(check, || loader.root());
    if let Err(e) = valid {
        return invalid(&text, start, &e);
    }
    if let Some(at) = deep {
        let mut reg = Registry {
            text: text.clone(),
            ..Registry::default()
        };
        let end = (at + 1).min(text.len());
        reg.problems.found.push(
            Diagnostic::new(
                Rule::InvalidRegistry,
                at..end,
                format!("{FILE_NAME} is not valid JSON: nested more than {MAX_DEPTH} levels deep"),
            )
            .help("a registry is a few levels deep: remove the extra nesting"),
        );
        return reg;
    }
    let Loader {
        mut problems,
        records,
        aliases,
        escaped,
        speakers,
        question_labels,
        required_keys,
        extra_keys,
        rules,
        ..
    } = loader;
    let entities = Entities::new(text.clone(), records, aliases, escaped);
    let (index, mut duplicates) = NameIndex::build(&entities);
    let mut reg = Registry {
        text,
        entities,
        index,
        speakers,
        question_labels,
        required_keys,
        extra_keys,
        rules,
        problems: Problems::default(),
    };
    // A speaker's entity is checked once every entity is known.
    for (name, speaker) in &reg.speakers {
        if let (Some(e), Some(span)) = (&speaker.entity, &speaker.entity_span)
            && !reg.entities.contains(e)
        {
            problems.push(
                Diagnostic::new(
                    Rule::UnknownEntity,
                    span.clone(),
                    format!("the speaker `{name}` refers to `{e}`, which is not an entity here"),
                )
                .help("add the entity under \"entities\" or correct the id")
                .suggest(reg.index.similar_ids(&reg.entities, e, 3)),
            );
        }
    }
    problems.retain_mut(|d| match reg.rules.get(&d.rule) {
        Some(None) => false,
        Some(Some(s)) => {
            d.severity = *s;
            true
        }
        None => true,
    });
    problems.sort_by_key(|d| (d.span.start, d.span.end));
    let duplicate_severity = reg.severity(Rule::DuplicateAlias);
    if duplicate_severity.is_none() {
        duplicates = Vec::new();
    }
    duplicates.sort_by_cached_key(|d| {
        let span = d.span(&reg.entities);
        (span.start, span.end)
    });
    reg.problems = Problems {
        found: problems,
        duplicates,
        duplicate_severity,
    };
    reg
}

/// A registry that is not JSON: no entities, one problem at `e`.
fn invalid(text: &Arc<str>, start: usize, e: &serde_json::Error) -> Registry {
    let at = start + offset_of(&text[start..], e.line(), e.column());
    let end = text[at..].chars().next().map_or(at, |c| at + c.len_utf8());
    // serde_json's message ends with its own position, in bytes: the
    // diagnostic's range says where, in the client's unit.
    let message = e.to_string();
    let what = message.split(" at line ").next().unwrap_or(&message);
    let mut reg = Registry {
        text: text.clone(),
        ..Registry::default()
    };
    reg.problems.found.push(
        Diagnostic::new(
            Rule::InvalidRegistry,
            at..end,
            format!("{FILE_NAME} is not valid JSON: {what}"),
        )
        .help(
            "fix the JSON syntax; until then no entity, speaker or rule of this registry applies",
        ),
    );
    reg
}

/// How deep objects and arrays may nest (serde_json's own limit).
const MAX_DEPTH: usize = 128;

/// Where the nesting of objects and arrays first goes deeper than
/// [`MAX_DEPTH`], if it does (strings skipped).
fn too_deep(text: &str, start: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut i = start;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
            }
            b'{' | b'[' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Some(i);
                }
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    None
}

/// serde_json reports a 1-based line and a 1-based column counted in bytes.
fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let line_start = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum::<usize>();
    crate::text::floor_char_boundary(text, line_start + column.saturating_sub(1))
}

/// A JSON value read from the text: small parts only (an entity, the
/// speakers, the rules), never the whole file.
#[derive(Debug)]
struct Node<'t> {
    span: Span,
    kind: Kind<'t>,
}

#[derive(Debug)]
enum Kind<'t> {
    Str(JsonStr<'t>),
    Object(Vec<(JsonStr<'t>, Node<'t>)>),
    Array(Vec<Node<'t>>),
    /// A number, `true`, `false` or `null`.
    Other,
}

/// A string: its span (quotes included), its text, and whether it had escapes.
#[derive(Debug)]
struct JsonStr<'t> {
    span: Span,
    text: Cow<'t, str>,
}

impl JsonStr<'_> {
    fn escaped(&self) -> bool {
        matches!(self.text, Cow::Owned(_))
    }
}

impl<'t> Node<'t> {
    fn as_str(&self) -> Option<&JsonStr<'t>> {
        match &self.kind {
            Kind::Str(s) => Some(s),
            _ => None,
        }
    }
}

/// Reads JSON from a position, while serde_json checks it: on valid JSON
/// it reads what serde_json would; on any other text it still moves on at
/// every step and ends (what it read is then dropped).
struct Reader<'t> {
    text: &'t str,
    pos: usize,
    /// How many objects and arrays the walk is in.
    depth: usize,
}

impl<'t> Reader<'t> {
    fn peek(&mut self) -> Option<u8> {
        let bytes = self.text.as_bytes();
        while self.pos < bytes.len() && matches!(bytes[self.pos], b' ' | b'\t' | b'\n' | b'\r') {
            self.pos += 1;
        }
        bytes.get(self.pos).copied()
    }

    /// Steps over the next character, one that starts nothing here.
    fn skip(&mut self) {
        self.pos += self.text[self.pos..]
            .chars()
            .next()
            .map_or(1, char::len_utf8);
    }

    /// Steps over `byte` if it is next.
    fn eat(&mut self, byte: u8) -> bool {
        let next = self.peek() == Some(byte);
        if next {
            self.pos += 1;
        }
        next
    }

    fn string(&mut self) -> JsonStr<'t> {
        self.peek();
        let start = self.pos;
        let bytes = self.text.as_bytes();
        let mut i = start + 1;
        let mut escapes = false;
        // The closing quote: the next `"` not escaped (or the end).
        loop {
            match memchr::memchr2(b'"', b'\\', &bytes[i.min(bytes.len())..]) {
                Some(k) if bytes[i + k] == b'"' => {
                    i += k;
                    break;
                }
                Some(k) => {
                    escapes = true;
                    i += k + 2;
                }
                None => {
                    i = bytes.len();
                    break;
                }
            }
        }
        self.pos = (i + 1).min(bytes.len());
        let span = start..self.pos;
        let raw = &self.text[span.clone()];
        let text = if escapes {
            Cow::Owned(serde_json::from_str::<String>(raw).unwrap_or_default())
        } else {
            let inner = &raw[1..];
            Cow::Borrowed(inner.strip_suffix('"').unwrap_or(inner))
        };
        JsonStr { span, text }
    }

    fn node(&mut self) -> Node<'t> {
        let start = match self.peek() {
            Some(_) => self.pos,
            None => {
                return Node {
                    span: self.pos..self.pos,
                    kind: Kind::Other,
                };
            }
        };
        let nests = matches!(self.text.as_bytes()[start], b'{' | b'[');
        if nests && self.depth >= MAX_DEPTH {
            // Too deep to be this registry (reported by the check): the walk ends.
            self.pos = self.text.len();
            return Node {
                span: start..self.pos,
                kind: Kind::Other,
            };
        }
        self.depth += usize::from(nests);
        let kind = match self.text.as_bytes()[start] {
            b'"' => Kind::Str(self.string()),
            b'{' => {
                self.pos += 1;
                let mut fields = Vec::new();
                while !self.eat(b'}') && self.peek().is_some() {
                    self.eat(b',');
                    if self.peek() != Some(b'"') {
                        self.skip();
                        continue;
                    }
                    let key = self.string();
                    self.eat(b':');
                    fields.push((key, self.node()));
                }
                Kind::Object(fields)
            }
            b'[' => {
                self.pos += 1;
                let mut items = Vec::new();
                while !self.eat(b']') && self.peek().is_some() {
                    self.eat(b',');
                    if self.peek() == Some(b']') {
                        continue;
                    }
                    items.push(self.node());
                }
                Kind::Array(items)
            }
            _ => {
                let bytes = self.text.as_bytes();
                while self.pos < bytes.len()
                    && !matches!(
                        bytes[self.pos],
                        b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r'
                    )
                {
                    self.pos += 1;
                }
                if self.pos == start {
                    self.skip();
                }
                Kind::Other
            }
        };
        self.depth -= usize::from(nests);
        Node {
            span: start..self.pos,
            kind,
        }
    }
}

struct Loader<'t> {
    reader: Reader<'t>,
    problems: Vec<Diagnostic>,
    records: Vec<Record>,
    aliases: Vec<Str>,
    escaped: HashMap<u32, Box<str>>,
    speakers: BTreeMap<String, RegistrySpeaker>,
    question_labels: Vec<String>,
    required_keys: Option<Vec<String>>,
    extra_keys: Vec<String>,
    rules: BTreeMap<Rule, Option<Severity>>,
}

impl<'t> Loader<'t> {
    fn problem(&mut self, d: Diagnostic) {
        self.problems.push(d);
    }

    fn shape(&mut self, span: &Span, path: &[&str], expected: &str) {
        let what = path.join(".");
        self.problem(
            Diagnostic::new(
                Rule::InvalidRegistry,
                span.clone(),
                format!("`{what}` must be {expected}"),
            )
            .help("the registry's fields are described in docs/format.md, under \"The registry\""),
        );
    }

    /// The fields of an object node, with a problem for each unknown one
    /// (when `known` is not empty); a problem and `None` when it is not an object.
    fn object<'n>(
        &mut self,
        node: &'n Node<'t>,
        path: &[&str],
        known: &[&str],
    ) -> Option<&'n [(JsonStr<'t>, Node<'t>)]> {
        let Kind::Object(fields) = &node.kind else {
            self.shape(&node.span, path, "an object");
            return None;
        };
        if !known.is_empty() {
            for (key, _) in fields
                .iter()
                .filter(|(k, _)| !known.contains(&k.text.as_ref()))
            {
                let where_ = if path.is_empty() {
                    "at the top level".to_string()
                } else {
                    format!("in `{}`", path.join("."))
                };
                let d = Diagnostic::new(
                    Rule::InvalidRegistry,
                    key.span.clone(),
                    format!("unknown field `{}` {where_}", key.text),
                )
                .help(format!("the fields here are {}", list(known)))
                .suggest(did_you_mean(&key.text, known.iter().copied()));
                self.problem(d);
            }
        }
        Some(fields)
    }

    fn string(&mut self, node: &Node<'t>, path: &[&str]) -> Option<String> {
        match node.as_str() {
            Some(s) => Some(s.text.to_string()),
            None => {
                self.shape(&node.span, path, "a string");
                None
            }
        }
    }

    /// The strings of an array node, each with its span.
    fn strings(&mut self, node: &Node<'t>, path: &[&str]) -> Vec<(String, Span)> {
        let Kind::Array(items) = &node.kind else {
            self.shape(&node.span, path, "an array of strings");
            return Vec::new();
        };
        items
            .iter()
            .enumerate()
            .filter_map(|(i, item)| {
                let index = i.to_string();
                let mut p = path.to_vec();
                p.push(&index);
                Some((self.string(item, &p)?, item.span.clone()))
            })
            .collect()
    }

    /// A string kept in the entity table.
    fn keep(&mut self, s: &JsonStr<'t>) -> Str {
        if let Cow::Owned(decoded) = &s.text {
            self.escaped
                .insert(s.span.start as u32, decoded.clone().into_boxed_str());
        }
        Str::new(&s.span, s.escaped())
    }

    fn root(&mut self) {
        if self.reader.peek() != Some(b'{') {
            let end = self.reader.text.len();
            self.problem(Diagnostic::new(
                Rule::InvalidRegistry,
                0..end,
                format!("{FILE_NAME} must hold a JSON object"),
            ));
            return;
        }
        self.reader.pos += 1;
        while !self.reader.eat(b'}') && self.reader.peek().is_some() {
            self.reader.eat(b',');
            if self.reader.peek() != Some(b'"') {
                self.reader.skip();
                continue;
            }
            let key = self.reader.string();
            self.reader.eat(b':');
            // The entities are read one at a time, never as one tree.
            if key.text == "entities" && self.reader.peek() == Some(b'{') {
                self.entities();
                continue;
            }
            let value = self.reader.node();
            match key.text.as_ref() {
                "entities" => self.shape(&value.span, &["entities"], "an object"),
                "speakers" => self.speakers(&value),
                "rules" => self.rules(&value),
                "metadata" => self.metadata(&value),
                // Read by `import`, which checks it (src/import/profile).
                "import" => {}
                "questionLabels" => {
                    self.question_labels = self
                        .strings(&value, &["questionLabels"])
                        .into_iter()
                        .map(|(s, _)| s)
                        .collect();
                }
                other => {
                    let d = Diagnostic::new(
                        Rule::InvalidRegistry,
                        key.span.clone(),
                        format!("unknown field `{other}` at the top level"),
                    )
                    .help(format!("the fields here are {}", list(TOP_KEYS)))
                    .suggest(did_you_mean(other, TOP_KEYS.iter().copied()));
                    self.problem(d);
                }
            }
        }
    }

    fn entities(&mut self) {
        self.reader.pos += 1;
        while !self.reader.eat(b'}') && self.reader.peek().is_some() {
            self.reader.eat(b',');
            if self.reader.peek() != Some(b'"') {
                self.reader.skip();
                continue;
            }
            let key = self.reader.string();
            self.reader.eat(b':');
            let value = self.reader.node();
            self.entity(&key, &value);
        }
    }

    fn entity(&mut self, key: &JsonStr<'t>, value: &Node<'t>) {
        let id = key.text.as_ref();
        let path = ["entities", id];
        let Some(fields) = self.object(value, &path, ENTITY_KEYS) else {
            return;
        };
        if ENTITY_TYPES.contains(&id) {
            self.problem(
                Diagnostic::new(
                    Rule::InvalidEntity,
                    key.span.clone(),
                    format!("the entity id `{id}` is a built-in type name"),
                )
                .help(format!(
                    "choose another id: {} are reserved for ad-hoc mentions",
                    list(ENTITY_TYPES)
                )),
            );
        } else if let Some(why) = entity_id_problem(id) {
            self.problem(
                Diagnostic::new(
                    Rule::InvalidEntity,
                    key.span.clone(),
                    format!("the entity id is unusable: {why}"),
                )
                .help("choose an id of letters, digits and `-`, such as `john-kerry`"),
            );
        }
        let field = |name: &str| fields.iter().find(|(k, _)| k.text == name).map(|(_, v)| v);
        let name = match field("name") {
            Some(v) => match v.as_str() {
                Some(s) => Some(self.keep(s)),
                None => {
                    self.shape(&v.span, &["entities", id, "name"], "a string");
                    None
                }
            },
            None => {
                self.problem(
                    Diagnostic::new(
                        Rule::InvalidEntity,
                        key.span.clone(),
                        format!("the entity `{id}` has no name"),
                    )
                    .help("add a \"name\" field with the entity's full name"),
                );
                None
            }
        };
        let string_field = |this: &mut Self, name: &str| -> Option<&JsonStr<'t>> {
            let v = field(name)?;
            match v.as_str() {
                Some(s) => Some(s),
                None => {
                    this.shape(&v.span, &["entities", id, name], "a string");
                    None
                }
            }
        };
        let kind = string_field(self, "type");
        if let Some(k) = kind
            && !ENTITY_TYPES.contains(&k.text.as_ref())
        {
            let d = Diagnostic::new(
                Rule::InvalidEntity,
                k.span.clone(),
                format!("unknown entity type `{}`", k.text),
            )
            .help(format!("the types are {}", list(ENTITY_TYPES)))
            .suggest(did_you_mean(&k.text, ENTITY_TYPES.iter().copied()));
            self.problem(d);
        }
        let wikidata = string_field(self, "wikidata");
        if let Some(w) = wikidata
            && !is_wikidata_id(&w.text)
        {
            self.problem(
                Diagnostic::new(
                    Rule::InvalidEntity,
                    w.span.clone(),
                    format!("`{}` is not a Wikidata item id", w.text),
                )
                .help("write the item id: `Q` followed by digits, as in \"Q42\""),
            );
        }
        let description = string_field(self, "description");
        let kind = kind.map(|s| self.keep(s));
        let wikidata = wikidata.map(|s| self.keep(s));
        let description = description.map(|s| self.keep(s));
        let first_alias = self.aliases.len() as u32;
        if let Some(v) = field("aliases") {
            match &v.kind {
                Kind::Array(items) => {
                    for (i, item) in items.iter().enumerate() {
                        match item.as_str() {
                            Some(s) => {
                                let kept = self.keep(s);
                                self.aliases.push(kept);
                            }
                            None => self.shape(
                                &item.span,
                                &["entities", id, "aliases", &i.to_string()],
                                "a string",
                            ),
                        }
                    }
                }
                _ => self.shape(&v.span, &["entities", id, "aliases"], "an array of strings"),
            }
        }
        let id = self.keep(key);
        let count = self.aliases.len() as u32 - first_alias;
        self.records.push(Record {
            id,
            name,
            kind,
            description,
            wikidata,
            aliases: (first_alias, count),
        });
    }

    fn speakers(&mut self, node: &Node<'t>) {
        let Some(map) = self.object(node, &["speakers"], &[]) else {
            return;
        };
        for (key, value) in map {
            let name = key.text.as_ref();
            let Some(fields) = self.object(value, &["speakers", name], SPEAKER_KEYS) else {
                continue;
            };
            let field = |f: &str| fields.iter().find(|(k, _)| k.text == f).map(|(_, v)| v);
            let role = field("role").and_then(|v| self.string(v, &["speakers", name, "role"]));
            let entity_node = field("entity");
            let entity = entity_node.and_then(|v| self.string(v, &["speakers", name, "entity"]));
            self.speakers.insert(
                name.to_string(),
                RegistrySpeaker {
                    role,
                    entity_span: entity.as_ref().and(entity_node).map(|v| v.span.clone()),
                    entity,
                    key_span: key.span.clone(),
                },
            );
        }
    }

    fn rules(&mut self, node: &Node<'t>) {
        let Some(map) = self.object(node, &["rules"], &[]) else {
            return;
        };
        for (key, level) in map {
            let name = key.text.as_ref();
            let Some(rule) = Rule::from_name(name) else {
                let d = Diagnostic::new(
                    Rule::InvalidRegistry,
                    key.span.clone(),
                    format!("unknown rule `{name}`"),
                )
                .help("`transcript-ls rules` lists the rules")
                .suggest(did_you_mean(name, Rule::ALL.iter().map(|r| r.name())));
                self.problem(d);
                continue;
            };
            match level.as_str().and_then(|s| Severity::parse_level(&s.text)) {
                Some(severity) => {
                    self.rules.insert(rule, severity);
                }
                None => self.shape(
                    &level.span,
                    &["rules", name],
                    "one of \"error\", \"warning\", \"info\", \"hint\", \"off\"",
                ),
            }
        }
    }

    fn metadata(&mut self, node: &Node<'t>) {
        let Some(map) = self.object(node, &["metadata"], METADATA_KEYS) else {
            return;
        };
        let field = |f: &str| map.iter().find(|(k, _)| k.text == f).map(|(_, v)| v);
        let required = field("required").map(|v| self.strings(v, &["metadata", "required"]));
        let keys = field("keys").map(|v| self.strings(v, &["metadata", "keys"]));
        for (key, span) in required.iter().chain(keys.iter()).flatten() {
            if !crate::syntax::is_valid_key(key) {
                self.problem(
                    Diagnostic::new(
                        Rule::InvalidRegistry,
                        span.clone(),
                        format!("`{key}` is not a valid header key"),
                    )
                    .help("header keys are lowercase ASCII letters, digits and `-`"),
                );
            }
        }
        if let Some(required) = required {
            self.required_keys = Some(required.into_iter().map(|(k, _)| k).collect());
        }
        if let Some(keys) = keys {
            self.extra_keys = keys.into_iter().map(|(k, _)| k).collect();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `text` gives no entities and one problem: it is not valid JSON.
    fn assert_refused(text: &str) {
        let reg = load(Arc::from(text));
        assert_eq!(reg.entities.len(), 0, "{text}");
        let problems = reg.problems();
        assert_eq!(problems.len(), 1, "{text}: {problems:?}");
        assert!(
            problems[0].message.contains("is not valid JSON"),
            "{text}: {problems:?}"
        );
    }

    /// The walk runs while serde_json checks the text: on text that is not
    /// JSON it must end, without a panic, and what it read is dropped.
    #[test]
    fn text_that_is_not_json_is_walked_to_its_end_and_refused() {
        for text in [
            "{ 1 }",
            "[}]",
            "{\"entities\": {é}}",
            "{\"entities\": {\"a\": {\"name\": \"x\\",
            "{\"entities\": {\"a\": {\"name\": \"Zoë",
            "{\"entities\": {\"a\": {\"aliases\": [}, \"b\"]}}}",
            "{\"a\" \"b\" : : , }",
            "\"",
            "{\"",
            "{\"entities\": {\"a\": {\"name\": \"\\é\"}}",
        ] {
            assert_refused(text);
        }
    }

    #[test]
    fn nesting_deeper_than_the_bound_is_refused_and_not_walked_into() {
        for (open, close) in [("[", "]"), ("{\"a\":", "}")] {
            // Valid JSON deeper than serde_json allows, and far deeper.
            for n in [MAX_DEPTH + 2, 100_000] {
                assert_refused(&format!(
                    "{{\"entities\": {{\"x\": {{\"name\": {}1{}}}}}}}",
                    open.repeat(n),
                    close.repeat(n)
                ));
            }
        }
    }

    #[test]
    fn strings_with_escapes_are_read_whole() {
        let reg = load(Arc::from(
            r#"{"entities": {"a\"b": {"name": "Zoë \\ \"Z\" \u00e9"}, "c": {"name": "\\"}}}"#,
        ));
        assert!(reg.problems().is_empty(), "{:?}", reg.problems());
        assert_eq!(reg.entity("a\"b").unwrap().name(), "Zoë \\ \"Z\" é");
        assert_eq!(reg.entity("c").unwrap().name(), "\\");
    }
}
