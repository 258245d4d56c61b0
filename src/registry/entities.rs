//! The registry's entities, held compactly: every string is a span of the
//! registry's text (a JSON string written without escapes is read in place;
//! the few with escapes are decoded once into a side table), so that a
//! registry of a million entities costs little more than its text. Entities
//! are sorted by id; [`Entity`] is a view of one.

use std::collections::HashMap;
use std::num::NonZeroU32;
use std::sync::Arc;

use crate::syntax::Span;

/// A JSON string of the registry text: its span, quotes included, and
/// whether it was written with escapes (then its text is in the side table).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Str {
    start: u32,
    /// The length (never 0: the quotes count); the top bit says the string
    /// has escapes. Non-zero, so that an `Option<Str>` takes no more room.
    len: NonZeroU32,
}

const ESCAPED: u32 = 1 << 31;

impl Str {
    /// The string whose `"…"` is at `span` (the registry text is less than 2 GiB).
    pub(super) fn new(span: &Span, escaped: bool) -> Str {
        let len = (span.end - span.start).max(2) as u32 | if escaped { ESCAPED } else { 0 };
        Str {
            start: span.start as u32,
            len: NonZeroU32::new(len).unwrap_or(NonZeroU32::MIN),
        }
    }

    pub(super) fn span(self) -> Span {
        let len = self.len.get() & !ESCAPED;
        self.start as usize..(self.start + len) as usize
    }

    fn is_escaped(self) -> bool {
        self.len.get() & ESCAPED != 0
    }
}

/// One entity as stored.
#[derive(Debug, Clone)]
pub(super) struct Record {
    pub id: Str,
    /// The id itself when the entity has no name (a problem reported at load).
    pub name: Option<Str>,
    pub kind: Option<Str>,
    pub description: Option<Str>,
    pub wikidata: Option<Str>,
    /// Index of the first alias in [`Entities::aliases`], and how many.
    pub aliases: (u32, u32),
}

/// Every entity of a registry, sorted by id.
#[derive(Debug, Clone, Default)]
pub struct Entities {
    text: Arc<str>,
    records: Vec<Record>,
    aliases: Vec<Str>,
    /// Strings written with escapes, decoded, by the start of their span.
    escaped: HashMap<u32, Box<str>>,
}

impl Entities {
    pub(super) fn new(
        text: Arc<str>,
        records: Vec<Record>,
        aliases: Vec<Str>,
        escaped: HashMap<u32, Box<str>>,
    ) -> Entities {
        use rayon::slice::ParallelSliceMut;
        let mut entities = Entities {
            text,
            records,
            aliases,
            escaped,
        };
        // By id; of the same id written twice, the last one counts, as in JSON.
        let mut order: Vec<(u128, u32)> = {
            let e = &entities;
            (0..e.records.len() as u32)
                .map(|i| {
                    (
                        super::index::head(e.str(e.records[i as usize].id).as_bytes()),
                        i,
                    )
                })
                .collect()
        };
        {
            let e = &entities;
            let id = |i: u32| e.str(e.records[i as usize].id);
            order.par_sort_unstable_by(|a, b| {
                a.0.cmp(&b.0)
                    .then_with(|| id(a.1).cmp(id(b.1)))
                    .then(a.1.cmp(&b.1))
            });
            order.dedup_by(|later, earlier| {
                let same = later.0 == earlier.0 && id(later.1) == id(earlier.1);
                if same {
                    earlier.1 = later.1;
                }
                same
            });
        }
        let mut slots: Vec<Option<Record>> = std::mem::take(&mut entities.records)
            .into_iter()
            .map(Some)
            .collect();
        entities.records = order
            .into_iter()
            .filter_map(|(_, i)| slots[i as usize].take())
            .collect();
        entities
    }

    /// The text of a string.
    pub(super) fn str(&self, s: Str) -> &str {
        if s.is_escaped()
            && let Some(decoded) = self.escaped.get(&s.start)
        {
            return decoded;
        }
        let span = s.span();
        &self.text[span.start + 1..span.end - 1]
    }

    pub fn len(&self) -> usize {
        self.records.len()
    }

    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// The entity at `index` (in id order).
    pub fn at(&self, index: usize) -> Option<Entity<'_>> {
        let record = self.records.get(index)?;
        Some(Entity {
            entities: self,
            record,
            index,
        })
    }

    /// The index of the entity whose id is `id`.
    pub fn position(&self, id: &str) -> Option<usize> {
        self.records
            .binary_search_by(|r| self.str(r.id).cmp(id))
            .ok()
    }

    pub fn get(&self, id: &str) -> Option<Entity<'_>> {
        self.at(self.position(id)?)
    }

    pub fn contains(&self, id: &str) -> bool {
        self.position(id).is_some()
    }

    /// Every entity, in id order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = Entity<'_>> + '_ {
        (0..self.records.len()).map(|i| Entity {
            entities: self,
            record: &self.records[i],
            index: i,
        })
    }

    /// Every id, in order.
    pub fn ids(&self) -> impl ExactSizeIterator<Item = &str> + '_ {
        self.records.iter().map(|r| self.str(r.id))
    }
}

/// One entity: its id, name, type, description, aliases and Wikidata id, and
/// where its id is written in the registry.
#[derive(Clone, Copy)]
pub struct Entity<'a> {
    entities: &'a Entities,
    record: &'a Record,
    index: usize,
}

impl std::fmt::Debug for Entity<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Entity")
            .field("id", &self.id())
            .field("name", &self.name())
            .field("kind", &self.kind())
            .finish()
    }
}

impl<'a> Entity<'a> {
    /// The entity's place in id order.
    pub fn index(&self) -> usize {
        self.index
    }

    pub fn id(&self) -> &'a str {
        self.entities.str(self.record.id)
    }

    /// The name; the id when the registry gives none (reported as a problem).
    pub fn name(&self) -> &'a str {
        self.entities
            .str(self.record.name.unwrap_or(self.record.id))
    }

    /// The `type`, as written (an unknown type is reported as a problem).
    pub fn kind(&self) -> Option<&'a str> {
        self.record.kind.map(|s| self.entities.str(s))
    }

    pub fn description(&self) -> Option<&'a str> {
        self.record.description.map(|s| self.entities.str(s))
    }

    pub fn wikidata(&self) -> Option<&'a str> {
        self.record.wikidata.map(|s| self.entities.str(s))
    }

    pub fn aliases(&self) -> impl ExactSizeIterator<Item = &'a str> + Clone + 'a {
        let (start, count) = self.record.aliases;
        let entities = self.entities;
        entities.aliases[start as usize..(start + count) as usize]
            .iter()
            .map(move |s| entities.str(*s))
    }

    /// The name, then the aliases.
    pub fn names(&self) -> impl Iterator<Item = &'a str> + 'a {
        std::iter::once(self.name()).chain(self.aliases())
    }

    /// The span of the id's key in the registry text, quotes included.
    pub fn key_span(&self) -> Span {
        self.record.id.span()
    }

    /// The span of the name's value (quotes included); the key's without one.
    pub fn name_span(&self) -> Span {
        self.record.name.unwrap_or(self.record.id).span()
    }

    /// The span of each alias (quotes included).
    pub fn alias_spans(&self) -> impl Iterator<Item = Span> + 'a {
        let (start, count) = self.record.aliases;
        self.entities.aliases[start as usize..(start + count) as usize]
            .iter()
            .map(|s| s.span())
    }
}
