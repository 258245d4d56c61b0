//! The workspace registry `transcripts.json`: finding it, reading it with
//! serde_json, and validating it. A malformed registry is reported with
//! positions in the JSON text and still yields whatever could be read.

mod cache;
mod json_spans;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

pub use cache::Cache;
pub use json_spans::JsonSpans;

use crate::diagnostic::{Diagnostic, Rule, Severity, did_you_mean};
use crate::syntax::Span;

pub const FILE_NAME: &str = "transcripts.json";

/// The built-in entity types, usable as a mention's reference.
pub const ENTITY_TYPES: &[&str] = &["person", "org", "place", "event", "work", "law", "misc"];

#[derive(Debug, Clone, Default)]
pub struct Registry {
    pub entities: BTreeMap<String, Entity>,
    pub speakers: BTreeMap<String, RegistrySpeaker>,
    /// Question labels added to `Question`.
    pub question_labels: Vec<String>,
    /// Replaces the default required keys when present.
    pub required_keys: Option<Vec<String>>,
    /// Header keys added to the standard ones.
    pub extra_keys: Vec<String>,
    /// Severity overrides; `None` turns a rule off.
    pub rules: BTreeMap<Rule, Option<Severity>>,
    /// Problems of the registry itself, with spans into its text.
    pub problems: Vec<Diagnostic>,
    pub spans: JsonSpans,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Entity {
    pub id: String,
    pub name: String,
    pub kind: Option<String>,
    pub description: Option<String>,
    pub aliases: Vec<String>,
    pub wikidata: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RegistrySpeaker {
    pub role: Option<String>,
    pub entity: Option<String>,
}

/// A registry with the file it was read from and its text (positions in its
/// problems are byte offsets into `text`).
#[derive(Debug)]
pub struct Loaded {
    pub path: PathBuf,
    pub text: String,
    pub registry: Registry,
}

impl Loaded {
    pub fn new(path: PathBuf, text: String) -> Self {
        Loaded {
            registry: Registry::parse(&text),
            path,
            text,
        }
    }
}

/// The nearest `transcripts.json` in `dir` or a folder above it. A folder of
/// that name is not a registry; anything else of that name counts (a FIFO,
/// a device, a dangling link): reading it then says what is wrong, rather
/// than another registry applying silently.
pub fn find(dir: &Path) -> Option<PathBuf> {
    dir.ancestors().map(|d| d.join(FILE_NAME)).find(|p| {
        std::fs::symlink_metadata(p).is_ok() && !std::fs::metadata(p).is_ok_and(|m| m.is_dir())
    })
}

impl Registry {
    /// The severity a rule has under this registry; `None` when it is off.
    pub fn severity(&self, rule: Rule) -> Option<Severity> {
        self.rules
            .get(&rule)
            .copied()
            .unwrap_or(Some(rule.default_severity()))
    }

    /// The entity whose id is `id`.
    pub fn entity(&self, id: &str) -> Option<&Entity> {
        self.entities.get(id)
    }

    /// Reads a registry from its text. Never fails: problems are in `problems`.
    pub fn parse(text: &str) -> Registry {
        let mut reg = Registry::default();
        // A leading BOM is accepted, as in transcripts; offsets stay those of `text`.
        let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
        let value: Value = match serde_json::from_str(&text[start..]) {
            Ok(v) => v,
            Err(e) => {
                let at = start + offset_of(&text[start..], e.line(), e.column());
                let end = text[at..].chars().next().map_or(at, |c| at + c.len_utf8());
                // serde_json's message ends with its own position, in bytes: the
                // diagnostic's range says where, in the client's unit.
                let message = e.to_string();
                let what = message.split(" at line ").next().unwrap_or(&message);
                reg.problems.push(
                    Diagnostic::new(Rule::InvalidRegistry, at..end, format!("{FILE_NAME} is not valid JSON: {what}"))
                        .help("fix the JSON syntax; until then no entity, speaker or rule of this registry applies"),
                );
                return reg;
            }
        };
        reg.spans = JsonSpans::new(text);
        let mut v = Validator {
            reg: &mut reg,
            len: text.len(),
        };
        v.root(&value);
        let Registry {
            rules, problems, ..
        } = &mut reg;
        problems.retain_mut(|d| match rules.get(&d.rule) {
            Some(None) => false,
            Some(Some(s)) => {
                d.severity = *s;
                true
            }
            None => true,
        });
        reg
    }
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

const TOP_KEYS: &[&str] = &[
    "entities",
    "speakers",
    "questionLabels",
    "metadata",
    "rules",
];
const ENTITY_KEYS: &[&str] = &["name", "type", "description", "aliases", "wikidata"];
const SPEAKER_KEYS: &[&str] = &["role", "entity"];
const METADATA_KEYS: &[&str] = &["required", "keys"];

struct Validator<'a> {
    reg: &'a mut Registry,
    len: usize,
}

impl Validator<'_> {
    fn key_span(&self, path: &[&str]) -> Span {
        self.reg.spans.key(path).unwrap_or(0..self.len.min(1))
    }

    fn value_span(&self, path: &[&str]) -> Span {
        self.reg.spans.value(path).unwrap_or(0..self.len.min(1))
    }

    fn problem(&mut self, d: Diagnostic) {
        self.reg.problems.push(d);
    }

    fn shape(&mut self, path: &[&str], expected: &str) {
        let span = self.value_span(path);
        let what = path.join(".");
        self.problem(
            Diagnostic::new(
                Rule::InvalidRegistry,
                span,
                format!("`{what}` must be {expected}"),
            )
            .help("the registry's fields are described in docs/format.md, under \"The registry\""),
        );
    }

    fn object<'v>(
        &mut self,
        value: &'v Value,
        path: &[&str],
        known: &[&str],
    ) -> Option<&'v Map<String, Value>> {
        let Some(map) = value.as_object() else {
            if path.is_empty() {
                self.problem(Diagnostic::new(
                    Rule::InvalidRegistry,
                    0..self.len,
                    format!("{FILE_NAME} must hold a JSON object"),
                ));
            } else {
                self.shape(path, "an object");
            }
            return None;
        };
        if !known.is_empty() {
            for key in map.keys().filter(|k| !known.contains(&k.as_str())) {
                let mut p = path.to_vec();
                p.push(key);
                let where_ = if path.is_empty() {
                    "at the top level".to_string()
                } else {
                    format!("in `{}`", path.join("."))
                };
                let d = Diagnostic::new(
                    Rule::InvalidRegistry,
                    self.key_span(&p),
                    format!("unknown field `{key}` {where_}"),
                )
                .help(format!("the fields here are {}", list(known)))
                .suggest(did_you_mean(key, known.iter().copied()));
                self.problem(d);
            }
        }
        Some(map)
    }

    fn string(&mut self, value: &Value, path: &[&str]) -> Option<String> {
        match value.as_str() {
            Some(s) => Some(s.to_string()),
            None => {
                self.shape(path, "a string");
                None
            }
        }
    }

    fn strings(&mut self, value: &Value, path: &[&str]) -> Vec<String> {
        let Some(items) = value.as_array() else {
            self.shape(path, "an array of strings");
            return Vec::new();
        };
        items
            .iter()
            .enumerate()
            .filter_map(|(i, item)| {
                let index = i.to_string();
                let mut p = path.to_vec();
                p.push(&index);
                self.string(item, &p)
            })
            .collect()
    }

    fn root(&mut self, value: &Value) {
        let Some(root) = self.object(value, &[], TOP_KEYS) else {
            return;
        };
        if let Some(rules) = root.get("rules") {
            self.rules(rules);
        }
        if let Some(entities) = root.get("entities") {
            self.entities(entities);
        }
        if let Some(speakers) = root.get("speakers") {
            self.speakers(speakers);
        }
        if let Some(labels) = root.get("questionLabels") {
            self.reg.question_labels = self.strings(labels, &["questionLabels"]);
        }
        if let Some(meta) = root.get("metadata") {
            self.metadata(meta);
        }
    }

    fn rules(&mut self, value: &Value) {
        let Some(map) = self.object(value, &["rules"], &[]) else {
            return;
        };
        for (name, level) in map {
            let path = ["rules", name.as_str()];
            let Some(rule) = Rule::from_name(name) else {
                let d = Diagnostic::new(
                    Rule::InvalidRegistry,
                    self.key_span(&path),
                    format!("unknown rule `{name}`"),
                )
                .help("`transcript-ls rules` lists the rules")
                .suggest(did_you_mean(name, Rule::ALL.iter().map(|r| r.name())));
                self.problem(d);
                continue;
            };
            match level.as_str().and_then(Severity::parse_level) {
                Some(severity) => {
                    self.reg.rules.insert(rule, severity);
                }
                None => self.shape(
                    &path,
                    "one of \"error\", \"warning\", \"info\", \"hint\", \"off\"",
                ),
            }
        }
    }

    fn entities(&mut self, value: &Value) {
        let Some(map) = self.object(value, &["entities"], &[]) else {
            return;
        };
        // Every name and alias, lowercased, with the entity and span that has it first.
        let mut names: BTreeMap<String, (String, Span)> = BTreeMap::new();
        for (id, value) in map {
            let path = ["entities", id.as_str()];
            let Some(fields) = self.object(value, &path, ENTITY_KEYS) else {
                continue;
            };
            let id_span = self.key_span(&path);
            if ENTITY_TYPES.contains(&id.as_str()) {
                self.problem(
                    Diagnostic::new(
                        Rule::InvalidEntity,
                        id_span.clone(),
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
                        id_span.clone(),
                        format!("the entity id is unusable: {why}"),
                    )
                    .help("choose an id of letters, digits and `-`, such as `john-kerry`"),
                );
            }
            let field = |k: &'static str| [path[0], path[1], k];
            let name = match fields.get("name") {
                Some(v) => self.string(v, &field("name")),
                None => {
                    self.problem(
                        Diagnostic::new(
                            Rule::InvalidEntity,
                            id_span.clone(),
                            format!("the entity `{id}` has no name"),
                        )
                        .help("add a \"name\" field with the entity's full name"),
                    );
                    None
                }
            };
            let kind = fields
                .get("type")
                .and_then(|v| self.string(v, &field("type")));
            if let Some(k) = &kind
                && !ENTITY_TYPES.contains(&k.as_str())
            {
                let d = Diagnostic::new(
                    Rule::InvalidEntity,
                    self.value_span(&field("type")),
                    format!("unknown entity type `{k}`"),
                )
                .help(format!("the types are {}", list(ENTITY_TYPES)))
                .suggest(did_you_mean(k, ENTITY_TYPES.iter().copied()));
                self.problem(d);
            }
            let wikidata = fields
                .get("wikidata")
                .and_then(|v| self.string(v, &field("wikidata")));
            if let Some(w) = &wikidata
                && !is_wikidata_id(w)
            {
                self.problem(
                    Diagnostic::new(
                        Rule::InvalidEntity,
                        self.value_span(&field("wikidata")),
                        format!("`{w}` is not a Wikidata item id"),
                    )
                    .help("write the item id: `Q` followed by digits, as in \"Q42\""),
                );
            }
            let description = fields
                .get("description")
                .and_then(|v| self.string(v, &field("description")));
            let aliases = fields
                .get("aliases")
                .map(|v| self.strings(v, &field("aliases")))
                .unwrap_or_default();

            let mut own: Vec<(String, Span)> = Vec::new();
            if let Some(n) = &name {
                own.push((n.clone(), self.value_span(&field("name"))));
            }
            for (i, alias) in aliases.iter().enumerate() {
                let index = i.to_string();
                own.push((
                    alias.clone(),
                    self.key_span(&[path[0], path[1], "aliases", &index]),
                ));
            }
            let mut seen_here = Vec::new();
            for (text, span) in own {
                let folded = text.to_lowercase();
                if seen_here.contains(&folded) {
                    continue;
                }
                seen_here.push(folded.clone());
                match names.get(&folded) {
                    Some((other, first)) => {
                        let d = Diagnostic::new(
                            Rule::DuplicateAlias,
                            span,
                            format!("`{text}` names both `{other}` and `{id}`"),
                        )
                        .help("an alias must lead to one entity: remove it from one of them")
                        .related(first.clone(), format!("`{other}` has it here"));
                        self.problem(d);
                    }
                    None => {
                        names.insert(folded, (id.clone(), span));
                    }
                }
            }
            self.reg.entities.insert(
                id.clone(),
                Entity {
                    id: id.clone(),
                    name: name.unwrap_or_else(|| id.clone()),
                    kind,
                    description,
                    aliases,
                    wikidata,
                },
            );
        }
    }

    fn speakers(&mut self, value: &Value) {
        let Some(map) = self.object(value, &["speakers"], &[]) else {
            return;
        };
        for (name, value) in map {
            let path = ["speakers", name.as_str()];
            let Some(fields) = self.object(value, &path, SPEAKER_KEYS) else {
                continue;
            };
            let role = fields
                .get("role")
                .and_then(|v| self.string(v, &[path[0], path[1], "role"]));
            let entity = fields
                .get("entity")
                .and_then(|v| self.string(v, &[path[0], path[1], "entity"]));
            if let Some(e) = &entity
                && !self.reg.entities.contains_key(e)
            {
                let span = self.value_span(&[path[0], path[1], "entity"]);
                let d = Diagnostic::new(
                    Rule::UnknownEntity,
                    span,
                    format!("the speaker `{name}` refers to `{e}`, which is not an entity here"),
                )
                .help("add the entity under \"entities\" or correct the id")
                .suggest(did_you_mean(
                    e,
                    self.reg.entities.keys().map(String::as_str),
                ));
                self.problem(d);
            }
            self.reg
                .speakers
                .insert(name.clone(), RegistrySpeaker { role, entity });
        }
    }

    fn metadata(&mut self, value: &Value) {
        let Some(map) = self.object(value, &["metadata"], METADATA_KEYS) else {
            return;
        };
        if let Some(required) = map.get("required") {
            self.reg.required_keys = Some(self.strings(required, &["metadata", "required"]));
        }
        if let Some(keys) = map.get("keys") {
            self.reg.extra_keys = self.strings(keys, &["metadata", "keys"]);
        }
        let bad: Vec<(usize, String, &str)> = [
            (
                "required",
                &self.reg.required_keys.clone().unwrap_or_default(),
            ),
            ("keys", &self.reg.extra_keys.clone()),
        ]
        .into_iter()
        .flat_map(|(field, keys)| {
            keys.iter()
                .enumerate()
                .filter(|(_, k)| !crate::syntax::is_valid_key(k))
                .map(move |(i, k)| (i, k.clone(), field))
                .collect::<Vec<_>>()
        })
        .collect();
        for (i, key, field) in bad {
            let index = i.to_string();
            let span = self.key_span(&["metadata", field, &index]);
            self.problem(
                Diagnostic::new(
                    Rule::InvalidRegistry,
                    span,
                    format!("`{key}` is not a valid header key"),
                )
                .help("header keys are lowercase ASCII letters, digits and `-`"),
            );
        }
    }
}

/// Why `id` cannot be an entity id, if it cannot: it must be read back
/// exactly from a mention (`[text]{id}`: no `}`, no surrounding spaces,
/// nothing the parser would read otherwise), have no control or bidi
/// characters, and not be a built-in type name.
pub fn entity_id_problem(id: &str) -> Option<String> {
    if id.is_empty() {
        return Some("an entity id cannot be empty".to_string());
    }
    if ENTITY_TYPES.contains(&id) {
        return Some(format!(
            "`{id}` is a built-in type name: {} are reserved for ad-hoc mentions",
            list(ENTITY_TYPES)
        ));
    }
    if id.chars().any(crate::escape::is_unsafe_char) {
        return Some(format!(
            "`{}` holds control or bidi characters, which no one can type or see",
            crate::escape::shown(id)
        ));
    }
    let probe = format!("[x]{{{id}}}\n");
    let doc = crate::syntax::parse(&probe, &crate::syntax::LabelContext::default());
    let mentions: Vec<&str> = doc.mentions().map(|m| m.reference.as_str()).collect();
    if mentions != [id] {
        return Some(format!(
            "`{id}` cannot be written in a mention as `[…]{{{id}}}`: no `}}` and no spaces at either end"
        ));
    }
    None
}

/// Whether `s` is a Wikidata item id: `Q` and digits.
pub fn is_wikidata_id(s: &str) -> bool {
    s.strip_prefix('Q')
        .is_some_and(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()))
}

/// `a`, `b` and `c`
pub(crate) fn list(items: &[&str]) -> String {
    let quoted: Vec<String> = items.iter().map(|i| format!("`{i}`")).collect();
    match quoted.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => quoted.concat(),
    }
}
