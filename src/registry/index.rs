//! The registry's search index, built once per registry: finite-state
//! transducers (the `fst` crate) of the normalised ids, and of the names and
//! aliases from each word start, each key leading to the entities that have
//! it. Queries walk the transducer, so they cost what the answer costs, not
//! the size of the registry: prefixes and word starts by a range of keys,
//! typos by a Levenshtein automaton. Answers are ranked (exact, prefix, word
//! start, typo; then shorter names) and capped, and say when they are not
//! complete, so that an editor asks again as the user types.
//!
//! The same sorted keys give the registry's `duplicate-alias` problems.

use fst::automaton::{Automaton, Levenshtein, Str as Prefix};
use fst::{IntoStreamer, Map, MapBuilder, Streamer};

use super::entities::{Entities, Entity};
use super::problems::Duplicate;
use crate::syntax::Span;

/// How many postings a query looks at before it calls its answer incomplete.
const CANDIDATES: usize = 4000;

#[derive(Clone, Default)]
pub struct NameIndex {
    /// Lowercased ids.
    ids: Keyed,
    /// Lowercased names and aliases, whole.
    names: Keyed,
    /// Lowercased names and aliases from each later word start.
    words: Keyed,
}

/// A transducer from keys to runs of entity indices.
#[derive(Clone, Default)]
struct Keyed {
    map: Map<Vec<u8>>,
    /// Entity indices; a key's value is where its run starts and how long it is.
    postings: Vec<u32>,
}

impl Keyed {
    fn run(&self, value: u64) -> &[u32] {
        let start = (value >> 24) as usize;
        let count = (value & ((1 << 24) - 1)) as usize;
        self.postings.get(start..start + count).unwrap_or(&[])
    }

    /// Collects the entities of the keys an automaton accepts, up to `cap`
    /// postings; `false` when it stopped early.
    fn collect<A: Automaton>(&self, automaton: A, out: &mut Vec<u32>, cap: usize) -> bool {
        let mut stream = self.map.search(automaton).into_stream();
        while let Some((_, value)) = stream.next() {
            for &e in self.run(value) {
                if out.len() >= cap {
                    return false;
                }
                out.push(e);
            }
        }
        true
    }
}

impl std::fmt::Debug for NameIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NameIndex")
            .field("ids", &self.ids.map.len())
            .field("names", &self.names.map.len())
            .field("words", &self.words.map.len())
            .finish()
    }
}

/// How well an entity matches a query, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Match {
    /// The id, the name or an alias is the query (ignoring case).
    Exact,
    /// One of them starts with the query.
    Prefix,
    /// A word of the name or an alias starts with the query.
    WordStart,
    /// Within a few typos of one of them.
    Typo,
}

/// The answer to a search: entities (by index, in id order of the table)
/// ranked best first, and whether every match was looked at.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Found {
    pub hits: Vec<(usize, Match)>,
    pub complete: bool,
}

/// Lowercase, with runs of white space as one space.
pub fn normalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    normalize_into(&mut out, s);
    out
}

fn normalize_into(out: &mut String, s: &str) {
    let mut space = false;
    for c in s.trim().chars() {
        if c.is_whitespace() {
            space = true;
            continue;
        }
        if space {
            out.push(' ');
            space = false;
        }
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else {
            out.extend(c.to_lowercase());
        }
    }
}

/// Where words start in a normalised string (after the first): after a
/// space, a hyphen or another punctuation character.
fn word_starts(s: &str) -> impl Iterator<Item = usize> + '_ {
    let mut prev_boundary = false;
    s.char_indices().filter_map(move |(i, c)| {
        let boundary = c == ' ' || (c.is_ascii_punctuation() && c != '\'');
        let start = prev_boundary && !boundary && i > 0;
        prev_boundary = boundary;
        start.then_some(i)
    })
}

/// One key while building: a slice of the arena and the entity it leads to.
struct Key {
    /// The first sixteen bytes, for fast sorting.
    head: u128,
    start: u32,
    len: u32,
    entity: u32,
    /// For whole names: 0 for the name, 1 + n for alias n; else `u32::MAX`.
    order: u32,
}

/// The first sixteen bytes of a key as a number that sorts as they do.
pub(super) fn head(bytes: &[u8]) -> u128 {
    let mut b = [0u8; 16];
    let n = bytes.len().min(16);
    b[..n].copy_from_slice(&bytes[..n]);
    u128::from_be_bytes(b)
}

struct Keys {
    arena: String,
    keys: Vec<Key>,
}

impl Keys {
    fn with_capacity(n: usize) -> Keys {
        Keys {
            arena: String::with_capacity(n * 16),
            keys: Vec::with_capacity(n),
        }
    }

    /// Adds a normalised string whole, or (with `suffixes`) from each of its
    /// later word starts.
    fn add(&mut self, s: &str, entity: usize, order: u32, suffixes: bool) {
        let start = self.arena.len();
        normalize_into(&mut self.arena, s);
        let normalized = &self.arena[start..];
        if normalized.is_empty() {
            return;
        }
        let mut push = |from: usize, order: u32| {
            let bytes = &normalized.as_bytes()[from..];
            self.keys.push(Key {
                head: head(bytes),
                start: (start + from) as u32,
                len: bytes.len() as u32,
                entity: entity as u32,
                order,
            });
        };
        if suffixes {
            for at in word_starts(normalized) {
                push(at, u32::MAX);
            }
        } else {
            push(0, order);
        }
    }

    /// Whether two keys are the same (their heads tell most apart).
    fn same(&self, a: &Key, b: &Key) -> bool {
        a.head == b.head && a.len == b.len && (a.len <= 16 || self.bytes(a) == self.bytes(b))
    }

    fn bytes(&self, k: &Key) -> &[u8] {
        &self.arena.as_bytes()[k.start as usize..(k.start + k.len) as usize]
    }

    fn sort(&mut self) {
        use rayon::slice::ParallelSliceMut;
        let Keys { arena, keys } = self;
        let bytes = |k: &Key| &arena.as_bytes()[k.start as usize..(k.start + k.len) as usize];
        keys.par_sort_unstable_by(|a, b| {
            a.head
                .cmp(&b.head)
                .then_with(|| bytes(a).cmp(bytes(b)))
                .then(a.entity.cmp(&b.entity))
                .then(a.order.cmp(&b.order))
        });
    }

    /// A transducer of the sorted keys, each to its run of entities.
    fn build(&self) -> Keyed {
        let mut postings = Vec::with_capacity(self.keys.len());
        let mut builder = MapBuilder::memory();
        let mut i = 0;
        while i < self.keys.len() {
            let key = self.bytes(&self.keys[i]);
            let start = postings.len();
            let mut j = i;
            while j < self.keys.len() && self.same(&self.keys[i], &self.keys[j]) {
                let entity = self.keys[j].entity;
                if postings.len() == start || postings.last() != Some(&entity) {
                    postings.push(entity);
                }
                j += 1;
            }
            let count = (postings.len() - start) as u64;
            // Keys are sorted and distinct, so insertion cannot fail.
            let _ = builder.insert(key, ((start as u64) << 24) | count.min((1 << 24) - 1));
            i = j;
        }
        postings.shrink_to_fit();
        Keyed {
            map: Map::new(builder.into_inner().unwrap_or_default()).unwrap_or_default(),
            postings,
        }
    }
}

impl NameIndex {
    /// Builds the index of `entities`, and the `duplicate-alias` problems:
    /// a name or alias (ignoring case) of two entities is reported on each
    /// entity after the first (in id order), pointing at the first.
    pub(super) fn build(entities: &Entities) -> (NameIndex, Vec<Duplicate>) {
        let n = entities.len();
        let keys = |whole: bool| {
            let mut keys = Keys::with_capacity(n * 2);
            for e in entities.iter() {
                for (i, name) in e.names().enumerate() {
                    keys.add(name, e.index(), i as u32, !whole);
                }
            }
            keys.sort();
            keys
        };
        // The three transducers are built at once, on as many threads.
        let (ids, (names, words)) = rayon::join(
            || {
                let mut ids = Keys::with_capacity(n);
                for e in entities.iter() {
                    ids.add(e.id(), e.index(), 0, false);
                }
                ids.sort();
                ids.build()
            },
            || {
                rayon::join(
                    || {
                        let names = keys(true);
                        (names.build(), duplicates(&names))
                    },
                    || keys(false).build(),
                )
            },
        );
        let (names, problems) = names;
        (NameIndex { ids, names, words }, problems)
    }

    /// The entities matching `query`, ranked, at most `limit`.
    pub fn search(&self, entities: &Entities, query: &str, limit: usize) -> Found {
        let q = normalize(query);
        if q.is_empty() {
            return Found {
                hits: (0..entities.len().min(limit))
                    .map(|i| (i, Match::Prefix))
                    .collect(),
                complete: entities.len() <= limit,
            };
        }
        let mut candidates = Vec::new();
        let cap = CANDIDATES.max(limit);
        let mut complete = true;
        for keyed in [&self.ids, &self.names, &self.words] {
            complete &= keyed.collect(Prefix::new(&q).starts_with(), &mut candidates, cap);
        }
        let chars = q.chars().count();
        if candidates.len() < limit && chars >= 3 {
            let distance = if chars >= 6 { 2 } else { 1 };
            for keyed in [&self.names, &self.words] {
                if let Ok(lev) = Levenshtein::new(&q, distance) {
                    complete &= keyed.collect(lev.starts_with(), &mut candidates, cap);
                }
            }
            if let Ok(lev) = Levenshtein::new(&q, distance) {
                complete &= self.ids.collect(lev, &mut candidates, cap);
            }
        }
        candidates.sort_unstable();
        candidates.dedup();
        let mut hits: Vec<(usize, Match, usize)> = candidates
            .into_iter()
            .filter_map(|i| {
                let e = entities.at(i as usize)?;
                Some((i as usize, rank(&e, &q), e.name().chars().count()))
            })
            .collect();
        hits.sort_by(|a, b| {
            (a.1, a.2).cmp(&(b.1, b.2)).then_with(|| {
                entities
                    .at(a.0)
                    .map(|e| e.name())
                    .cmp(&entities.at(b.0).map(|e| e.name()))
            })
        });
        complete &= hits.len() <= limit;
        hits.truncate(limit);
        Found {
            hits: hits.into_iter().map(|(i, m, _)| (i, m)).collect(),
            complete,
        }
    }

    /// The entity whose name or an alias is `name` (ignoring case), the
    /// first in id order.
    pub fn by_name<'e>(&self, entities: &'e Entities, name: &str) -> Option<Entity<'e>> {
        let q = normalize(name);
        let value = self.names.map.get(&q)?;
        self.names
            .run(value)
            .iter()
            .filter_map(|&i| entities.at(i as usize))
            .find(|e| e.names().any(|n| normalize(n) == q))
    }

    /// Ids within a few edits of `id` (ignoring case), closest first, at
    /// most `max`: a third of the length, at least one, at most two.
    pub fn similar_ids(&self, entities: &Entities, id: &str, max: usize) -> Vec<String> {
        let q = normalize(id);
        let len = q.chars().count();
        let distance = (len / 3).clamp(1, 2) as u32;
        let mut candidates = Vec::new();
        if let Ok(lev) = Levenshtein::new(&q, distance) {
            self.ids.collect(lev, &mut candidates, 1000);
        }
        // Levenshtein counts two letters swapped as two edits; look up each
        // such swap exactly, so `loas` finds `laos`.
        let chars: Vec<char> = q.chars().collect();
        for i in 1..chars.len() {
            let mut swapped = chars.clone();
            swapped.swap(i - 1, i);
            let swapped: String = swapped.into_iter().collect();
            if let Some(value) = self.ids.map.get(&swapped) {
                candidates.extend_from_slice(self.ids.run(value));
            }
        }
        let mut scored: Vec<(usize, &str)> = candidates
            .into_iter()
            .filter_map(|i| entities.at(i as usize).map(|e| e.id()))
            .filter(|c| *c != id)
            .filter_map(|c| {
                let d = strsim::osa_distance(&q, &c.to_lowercase());
                let limit = (len.max(c.chars().count()) / 3).max(1);
                (d <= limit).then_some((d, c))
            })
            .collect();
        scored.sort();
        scored.dedup_by(|a, b| a.1 == b.1);
        scored
            .into_iter()
            .take(max)
            .map(|(_, c)| c.to_string())
            .collect()
    }

    /// Where names and aliases of entities are written in `text` as whole
    /// words, exactly (with their case): the longest at each place, never
    /// two overlapping; each with the entity, the first in id order.
    pub fn names_in(&self, entities: &Entities, text: &str) -> Vec<(Span, usize)> {
        let fst = self.names.map.as_fst();
        let is_word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
        let mut out = Vec::new();
        let mut from = 0;
        for (start, c) in text.char_indices() {
            if start < from || is_word(text[..start].chars().next_back()) || c.is_whitespace() {
                continue;
            }
            // Walk the transducer along the lowercased text; keep the longest
            // name that ends at a word boundary.
            let mut node = fst.root();
            let mut output = fst::raw::Output::zero();
            let mut best: Option<(usize, u64)> = None;
            'walk: for (i, c) in text[start..].char_indices() {
                let mut buf = [0u8; 4];
                let space = c.is_whitespace().then_some(' ');
                for l in space
                    .into_iter()
                    .chain(c.to_lowercase().filter(|_| space.is_none()))
                {
                    for &b in l.encode_utf8(&mut buf).as_bytes() {
                        let Some(t) = node.find_input(b) else {
                            break 'walk;
                        };
                        let t = node.transition(t);
                        output = output.cat(t.out);
                        node = fst.node(t.addr);
                    }
                }
                let end = start + i + c.len_utf8();
                if node.is_final() && !is_word(text[end..].chars().next()) {
                    best = Some((end, output.cat(node.final_output()).value()));
                }
            }
            let Some((end, value)) = best else { continue };
            let written = &text[start..end];
            let entity = self
                .names
                .run(value)
                .iter()
                .filter_map(|&i| entities.at(i as usize))
                .find(|e| e.names().any(|n| n == written));
            if let Some(e) = entity {
                out.push((start..end, e.index()));
                from = end;
            }
        }
        out
    }
}

/// How `e` matches the normalised query `q`.
fn rank(e: &Entity, q: &str) -> Match {
    let mut best = Match::Typo;
    for s in std::iter::once(e.id()).chain(e.names()) {
        let n = normalize(s);
        let m = if n == q {
            Match::Exact
        } else if n.starts_with(q) {
            Match::Prefix
        } else if word_starts(&n).any(|i| n[i..].starts_with(q)) {
            Match::WordStart
        } else {
            Match::Typo
        };
        best = best.min(m);
    }
    best
}

/// The names and aliases that an entity has after another (`duplicate-alias`
/// problems), from the sorted keys of whole names.
fn duplicates(words: &Keys) -> Vec<Duplicate> {
    let whole: Vec<&Key> = words.keys.iter().filter(|k| k.order != u32::MAX).collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < whole.len() {
        let mut j = i;
        while j < whole.len() && words.same(whole[i], whole[j]) {
            j += 1;
        }
        // Sorted by entity: the first is the one that has it first.
        let first = whole[i];
        let mut last_entity = first.entity;
        for k in &whole[i + 1..j] {
            if k.entity == last_entity {
                continue;
            }
            last_entity = k.entity;
            out.push(Duplicate {
                first: first.entity,
                first_order: first.order,
                other: k.entity,
                order: k.order,
            });
        }
        i = j;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalising_and_word_starts() {
        assert_eq!(normalize("  John   KERRY "), "john kerry");
        let n = normalize("Jean-Yves Le Drian");
        let starts: Vec<&str> = word_starts(&n).map(|i| &n[i..]).collect();
        assert_eq!(starts, ["yves le drian", "le drian", "drian"]);
    }
}
