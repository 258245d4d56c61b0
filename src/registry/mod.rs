//! The workspace registry `transcripts.json`: finding it, reading it (one
//! pass, into a compact table of entities and a search index), and
//! validating it. A malformed registry is reported with positions in the
//! JSON text and still yields whatever could be read.

mod cache;
mod entities;
mod index;
mod load;
mod problems;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use cache::Cache;
pub use entities::{Entities, Entity};
pub use index::{Found, Match, NameIndex, normalize};

use crate::diagnostic::{Rule, Severity};
use crate::syntax::Span;

pub const FILE_NAME: &str = "transcripts.json";

/// The built-in entity types, usable as a mention's reference.
pub const ENTITY_TYPES: &[&str] = &["person", "org", "place", "event", "work", "law", "misc"];

#[derive(Debug, Clone, Default)]
pub struct Registry {
    /// The JSON text; the entities' strings are spans of it.
    pub text: Arc<str>,
    pub entities: Entities,
    /// Search by id, name and alias.
    pub index: NameIndex,
    pub speakers: BTreeMap<String, RegistrySpeaker>,
    /// Question labels added to `Question`.
    pub question_labels: Vec<String>,
    /// Replaces the default required keys when present.
    pub required_keys: Option<Vec<String>>,
    /// Header keys added to the standard ones.
    pub extra_keys: Vec<String>,
    /// Severity overrides; `None` turns a rule off.
    pub rules: BTreeMap<Rule, Option<Severity>>,
    /// Problems of the registry itself, with spans into its text: see
    /// [`Registry::problems`].
    problems: problems::Problems,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RegistrySpeaker {
    pub role: Option<String>,
    pub entity: Option<String>,
    /// The name's key in the registry text, quotes included.
    pub key_span: Span,
    /// The `entity` value, quotes included.
    pub entity_span: Option<Span>,
}

/// A registry with the file it was read from (positions in its problems
/// are byte offsets into `registry.text`).
#[derive(Debug)]
pub struct Loaded {
    pub path: PathBuf,
    pub registry: Registry,
    /// Built the first time a position in the registry is needed.
    lines: std::sync::OnceLock<crate::text::LineIndex>,
    /// The entities in the order of their keys in the text, built the
    /// first time an entity is looked up by place.
    by_place: std::sync::OnceLock<Vec<u32>>,
}

impl Loaded {
    pub fn new(path: PathBuf, text: String) -> Self {
        Loaded {
            registry: Registry::from_text(text),
            path,
            lines: std::sync::OnceLock::new(),
            by_place: std::sync::OnceLock::new(),
        }
    }

    /// The registry's text.
    pub fn text(&self) -> &str {
        &self.registry.text
    }

    /// The line index of the registry's text.
    pub fn lines(&self) -> &crate::text::LineIndex {
        self.lines
            .get_or_init(|| crate::text::LineIndex::new(&self.registry.text))
    }

    /// The entity whose key is at byte `offset` of the text (its quotes
    /// included, its end too).
    pub fn entity_at(&self, offset: usize) -> Option<Entity<'_>> {
        let entities = &self.registry.entities;
        let order = self.by_place.get_or_init(|| {
            let mut order: Vec<u32> = (0..entities.len() as u32).collect();
            order.sort_unstable_by_key(|&i| entities.at(i as usize).map(|e| e.key_span().start));
            order
        });
        let after = order.partition_point(|&i| {
            entities
                .at(i as usize)
                .is_some_and(|e| e.key_span().start <= offset)
        });
        let entity = entities.at(*order.get(after.checked_sub(1)?)? as usize)?;
        (offset <= entity.key_span().end).then_some(entity)
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
    /// Reads a registry from its text. Never fails: problems are in `problems`.
    pub fn parse(text: &str) -> Registry {
        load::load(Arc::from(text))
    }

    /// As [`Registry::parse`], taking the text without copying it again.
    pub fn from_text(text: String) -> Registry {
        load::load(Arc::from(text.into_boxed_str()))
    }

    /// The severity a rule has under this registry; `None` when it is off.
    pub fn severity(&self, rule: Rule) -> Option<Severity> {
        self.rules
            .get(&rule)
            .copied()
            .unwrap_or(Some(rule.default_severity()))
    }

    /// The entity whose id is `id`.
    pub fn entity(&self, id: &str) -> Option<Entity<'_>> {
        self.entities.get(id)
    }

    /// The entities matching `query` by id, name or alias, ranked, at most `limit`.
    pub fn search(&self, query: &str, limit: usize) -> Found {
        self.index.search(&self.entities, query, limit)
    }

    /// Ids close to `id`, for did-you-mean, at most `max`.
    pub fn similar_ids(&self, id: &str, max: usize) -> Vec<String> {
        self.index.similar_ids(&self.entities, id, max)
    }

    /// The entity that has `name` as its name or an alias (ignoring case).
    pub fn entity_named(&self, name: &str) -> Option<Entity<'_>> {
        self.index.by_name(&self.entities, name)
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
    // Letters, digits, `-`, `_` and `.` are read back as they are: the
    // parser is asked only about the others (a million ids would otherwise
    // be a million parses).
    if id
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
    {
        return None;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_entity_at_a_place_is_the_one_whose_key_is_there() {
        let text = "{ \"entities\": {\n  \"zeta\": { \"name\": \"Zeta – “Z” 😀\" },\n  \"alpha\": {}, \"m\\u0069d\": {}\n} }";
        let loaded = Loaded::new(PathBuf::from("transcripts.json"), text.to_string());
        let id_at = |needle: &str, delta: usize| {
            let at = text.find(needle).unwrap() + delta;
            loaded.entity_at(at).map(|e| e.id().to_string())
        };
        assert_eq!(id_at("\"zeta\"", 0).as_deref(), Some("zeta"));
        assert_eq!(
            id_at("\"zeta\"", 6).as_deref(),
            Some("zeta"),
            "the end is on it"
        );
        assert_eq!(id_at("\"alpha\"", 3).as_deref(), Some("alpha"));
        assert_eq!(id_at("\"m\\u0069d\"", 4).as_deref(), Some("mid"));
        assert_eq!(id_at("\"name\"", 1), None, "a value's key is no entity");
        assert_eq!(id_at("{ \"entities\"", 0), None);
        assert!(loaded.entity_at(text.len() + 10).is_none());
    }

    proptest::proptest! {
        /// The ids the parser is not asked about are read back from a mention.
        #[test]
        fn plain_ids_are_read_back_from_a_mention(id in "[A-Za-z0-9._-]{1,12}") {
            let probe = format!("[x]{{{id}}}\n");
            let doc = crate::syntax::parse(&probe, &crate::syntax::LabelContext::default());
            let read: Vec<&str> = doc.mentions().map(|m| m.reference.as_str()).collect();
            proptest::prop_assert_eq!(read, [id.as_str()]);
            proptest::prop_assert_eq!(entity_id_problem(&id).is_some(), ENTITY_TYPES.contains(&id.as_str()));
        }
    }

    #[test]
    fn similar_ids_include_two_letters_swapped() {
        let text = r#"{ "entities": { "laos": {}, "lagos": {}, "kerry": {}, "kery-x": {} } }"#;
        let loaded = Loaded::new(PathBuf::from("transcripts.json"), text.to_string());
        let registry = &loaded.registry;
        assert_eq!(registry.similar_ids("loas", 3), ["laos"]);
        assert_eq!(registry.similar_ids("LAGSO", 3), ["lagos"]);
        assert_eq!(registry.similar_ids("kerry", 3), Vec::<String>::new());
        assert_eq!(registry.similar_ids("kerr", 3), ["kerry"]);
    }
}
