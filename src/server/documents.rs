//! The open documents: ropes with their versions, edits applied in order, and
//! for each version a snapshot of the rope, analysed when something needs it.
//! Also the registries the documents use, found by walking up from each
//! file (through the cache the workspace index shares).
//!
//! The rope is the only copy of a document kept between requests. The core
//! reads contiguous text, so a version's text is built from its rope when
//! needed and shared by everything using it at the same time; it is freed
//! when the last of them is done, which halves the memory a large document
//! costs. Likewise a version's analysis (its model, many times the size of
//! the text) is kept only for the documents in use: the few most recently
//! touched keep theirs; the others' is built again when asked for, so that
//! thousands of open documents cost little more than their text.

use std::collections::{HashMap, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock, Weak};

use ropey::Rope;

use crate::analysis::index::{FileFacts, Interner, Range, file_facts};
use crate::analysis::{self, Analysis, Symbol, UserRules};
use crate::registry::{Cache, Loaded};
use crate::syntax::Span;
use crate::text::{Encoding, LineCol, LineIndex, column_width};

/// How many documents keep their analysis between requests.
const KEPT: usize = 8;

/// One version of a document.
#[derive(Debug)]
pub struct Snapshot {
    pub version: i32,
    /// This version's text; shares its unchanged parts with the other versions.
    rope: Rope,
    /// The contiguous text while anything holds it (see [`Snapshot::text`]).
    text: Mutex<Weak<String>>,
    pub index: LineIndex,
    /// The analysis while anything holds it (see [`Snapshot::analysis`]).
    analysis: Mutex<Weak<Analysis>>,
    /// The analysis, held while the document is among the recently used
    /// (then `true` with it; `false` otherwise, and nothing is held).
    kept: Mutex<(bool, Option<Arc<Analysis>>)>,
    pub registry: Option<Arc<Loaded>>,
    /// The user's rule severities (under the registry's).
    rules: Arc<UserRules>,
    /// Computed on the first request for this version: editors ask several times.
    outline: OnceLock<Vec<Symbol>>,
    /// The facts the collection's features need, with positions.
    facts: OnceLock<FileFacts<Range>>,
}

impl Snapshot {
    fn new(
        version: i32,
        rope: Rope,
        registry: Option<Arc<Loaded>>,
        rules: Arc<UserRules>,
    ) -> Snapshot {
        let index = LineIndex::from_chunks(rope.chunks());
        Snapshot {
            version,
            rope,
            text: Mutex::new(Weak::new()),
            index,
            analysis: Mutex::new(Weak::new()),
            kept: Mutex::new((false, None)),
            registry,
            rules,
            outline: OnceLock::new(),
            facts: OnceLock::new(),
        }
    }

    /// The text of this version in one piece: the one in use if any, else
    /// built from the rope (a copy: 2–5 ms for 10 MiB). Hold on to it
    /// for the whole of a request rather than asking again.
    pub fn text(&self) -> Arc<String> {
        let mut shared = self.text.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(text) = shared.upgrade() {
            return text;
        }
        let text = rope_text(&self.rope);
        *shared = Arc::downgrade(&text);
        text
    }

    /// This version's analysis: the one in use if any, else analysed now
    /// (and kept while the document is among the recently used).
    pub fn analysis(&self) -> Arc<Analysis> {
        let mut shared = self.analysis.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(analysis) = shared.upgrade() {
            return analysis;
        }
        let text = self.text();
        let analysis = Arc::new(analysis::analyze_with(
            &text,
            self.registry.as_deref().map(|r| &r.registry),
            &self.rules,
        ));
        *shared = Arc::downgrade(&analysis);
        let mut kept = self.kept.lock().unwrap_or_else(|e| e.into_inner());
        if kept.0 {
            kept.1 = Some(analysis.clone());
        }
        analysis
    }

    /// The user's rule severities this version was analysed with.
    pub fn rules(&self) -> &UserRules {
        &self.rules
    }

    /// Lets go of the kept analysis (it is built again when asked for),
    /// and keeps none until [`Snapshot::hold`]; whether it was held.
    fn release(&self) -> bool {
        let mut kept = self.kept.lock().unwrap_or_else(|e| e.into_inner());
        let held = kept.0;
        *kept = (false, None);
        held
    }

    /// Keeps the analysis once built: the document is among the recently used.
    fn hold(&self) {
        self.kept.lock().unwrap_or_else(|e| e.into_inner()).0 = true;
    }

    /// The facts of this version that the collection's features use, with
    /// positions in `encoding` (fixed for a session).
    pub fn facts(&self, encoding: Encoding) -> &FileFacts<Range> {
        self.facts.get_or_init(|| {
            let text = self.text();
            let analysis = self.analysis();
            let facts = file_facts(&text, &analysis.syntax, &mut Interner::default());
            facts.map(|span: Span| Range {
                start: self.line_col(span.start, encoding),
                end: self.line_col(span.end, encoding),
            })
        })
    }

    /// The line and column of a byte offset, counted in the rope (no text in
    /// one piece needed); the same answer as `LineIndex::line_col` on the text.
    pub fn line_col(&self, offset: usize, encoding: Encoding) -> LineCol {
        let rope = &self.rope;
        let (chunk, chunk_start, _, _) = rope.chunk_at_byte(offset.min(rope.len_bytes()));
        // Clamped to the text; inside a character, the character's start.
        let mut at = offset.min(rope.len_bytes()) - chunk_start;
        while !chunk.is_char_boundary(at) {
            at -= 1;
        }
        let offset = chunk_start + at;
        let line = self.index.line_of(offset);
        let start = self.index.line_start(line);
        let col = if start >= chunk_start {
            column_width(&chunk[start - chunk_start..at], encoding)
        } else {
            // The line began in an earlier chunk.
            let before = rope.byte_slice(start..offset);
            before.chunks().map(|c| column_width(c, encoding)).sum()
        };
        LineCol {
            line: line as u32,
            col: col as u32,
        }
    }

    /// The byte offset of a line and column, as `LineIndex::offset` gives it.
    pub fn offset(&self, pos: LineCol, encoding: Encoding) -> usize {
        self.rope
            .char_to_byte(char_index(&self.rope, pos, encoding))
    }

    /// The text of a span (a small part of the document), copied out of the rope.
    pub fn slice(&self, span: Span) -> String {
        let rope = &self.rope;
        let char = |byte: usize| rope.byte_to_char(byte.min(rope.len_bytes()));
        let (start, end) = (char(span.start), char(span.end));
        rope.slice(start..end.max(start)).to_string()
    }

    pub fn outline(&self) -> &[Symbol] {
        self.outline
            .get_or_init(|| analysis::outline(&self.text(), &self.analysis().syntax))
    }
}

/// A text edit as the client sends it: a range (absent for the whole text) and the new text.
pub struct Edit {
    pub range: Option<(LineCol, LineCol)>,
    pub text: String,
}

struct Document {
    rope: Rope,
    path: Option<PathBuf>,
    snapshot: Arc<Snapshot>,
}

pub struct Documents {
    docs: HashMap<String, Document>,
    registries: Arc<Cache>,
    /// The user's rule severities, for new versions.
    rules: Arc<UserRules>,
    /// The documents touched last, most recent first: they keep their analysis.
    recent: VecDeque<String>,
}

impl Documents {
    /// An empty store that finds registries through `registries`.
    pub fn new(registries: Arc<Cache>) -> Documents {
        Documents {
            docs: HashMap::new(),
            registries,
            rules: Arc::default(),
            recent: VecDeque::new(),
        }
    }

    /// Opens (or reopens) a document.
    pub fn open(
        &mut self,
        key: String,
        path: Option<PathBuf>,
        version: i32,
        text: String,
    ) -> Arc<Snapshot> {
        let registry = path.as_deref().and_then(|p| self.registries.for_file(p));
        let rope = Rope::from_str(&text);
        drop(text);
        let snapshot = Arc::new(Snapshot::new(
            version,
            rope.clone(),
            registry,
            self.rules.clone(),
        ));
        self.docs.insert(
            key.clone(),
            Document {
                rope,
                path,
                snapshot: snapshot.clone(),
            },
        );
        self.touch(&key);
        snapshot
    }

    /// Applies edits in order; `None` for a document that is not open.
    pub fn change(
        &mut self,
        key: &str,
        version: i32,
        edits: Vec<Edit>,
        encoding: Encoding,
    ) -> Option<Arc<Snapshot>> {
        let doc = self.docs.get_mut(key)?;
        for edit in edits {
            match edit.range {
                None => doc.rope = Rope::from_str(&edit.text),
                Some((start, end)) => {
                    let start = char_index(&doc.rope, start, encoding);
                    let end = char_index(&doc.rope, end, encoding).max(start);
                    doc.rope.remove(start..end);
                    doc.rope.insert(start, &edit.text);
                }
            }
        }
        let registry = doc.snapshot.registry.clone();
        // The previous version lets go of its analysis (unless a request still holds it).
        doc.snapshot.release();
        doc.snapshot = Arc::new(Snapshot::new(
            version,
            doc.rope.clone(),
            registry,
            self.rules.clone(),
        ));
        let snapshot = doc.snapshot.clone();
        self.touch(key);
        Some(snapshot)
    }

    pub fn close(&mut self, key: &str) -> bool {
        self.recent.retain(|k| k != key);
        self.docs.remove(key).is_some()
    }

    /// The current version of a document, marked as recently used.
    pub fn get(&mut self, key: &str) -> Option<Arc<Snapshot>> {
        let snapshot = self.docs.get(key)?.snapshot.clone();
        self.touch(key);
        Some(snapshot)
    }

    /// The current version of a document, without marking it used.
    pub fn peek(&self, key: &str) -> Option<Arc<Snapshot>> {
        self.docs.get(key).map(|d| d.snapshot.clone())
    }

    /// Marks a document as recently used; the one that falls out of the
    /// recent few lets go of its analysis.
    fn touch(&mut self, key: &str) {
        if let Some(doc) = self.docs.get(key) {
            doc.snapshot.hold();
        }
        if self.recent.front().is_some_and(|k| k == key) {
            return;
        }
        self.recent.retain(|k| k != key);
        self.recent.push_front(key.to_string());
        while self.recent.len() > KEPT {
            if let Some(old) = self.recent.pop_back()
                && let Some(doc) = self.docs.get(&old)
            {
                doc.snapshot.release();
            }
        }
    }

    /// Every open document: its key (URI), file path if any, and snapshot.
    pub fn all(&self) -> impl Iterator<Item = (&str, Option<&Path>, Arc<Snapshot>)> {
        self.docs
            .iter()
            .map(|(k, d)| (k.as_str(), d.path.as_deref(), d.snapshot.clone()))
    }

    /// The file of an open document; `None` for an unsaved (`untitled:`) one.
    pub fn path(&self, key: &str) -> Option<&Path> {
        self.docs.get(key)?.path.as_deref()
    }

    /// The files of the open documents.
    pub fn paths(&self) -> Vec<PathBuf> {
        self.docs.values().filter_map(|d| d.path.clone()).collect()
    }

    /// Takes the registries that apply now (after registries were created,
    /// edited or deleted and forgotten by the cache) and gives every open
    /// document whose registry is not the one that now applies a new
    /// snapshot of the same version. Returns those documents. Registries not
    /// read yet are read here: read them beforehand, off the main thread.
    pub fn adopt_registries(&mut self) -> Vec<(String, Arc<Snapshot>)> {
        let mut out = Vec::new();
        for (key, doc) in &mut self.docs {
            let registry = doc
                .path
                .as_deref()
                .and_then(|p| self.registries.for_file(p));
            let same = match (&registry, &doc.snapshot.registry) {
                (Some(a), Some(b)) => Arc::ptr_eq(a, b),
                (None, None) => true,
                _ => false,
            };
            if same {
                continue;
            }
            let held = doc.snapshot.release();
            doc.snapshot = Arc::new(Snapshot::new(
                doc.snapshot.version,
                doc.rope.clone(),
                registry,
                self.rules.clone(),
            ));
            if held {
                doc.snapshot.hold();
            }
            out.push((key.clone(), doc.snapshot.clone()));
        }
        out
    }

    /// Takes the user's rule severities: every open document gets a new
    /// snapshot of the same version, checked with them. Returns them all.
    pub fn set_rules(&mut self, rules: UserRules) -> Vec<(String, Arc<Snapshot>)> {
        self.rules = Arc::new(rules);
        let mut out = Vec::new();
        for (key, doc) in &mut self.docs {
            let held = doc.snapshot.release();
            doc.snapshot = Arc::new(Snapshot::new(
                doc.snapshot.version,
                doc.rope.clone(),
                doc.snapshot.registry.clone(),
                self.rules.clone(),
            ));
            if held {
                doc.snapshot.hold();
            }
            out.push((key.clone(), doc.snapshot.clone()));
        }
        out
    }

    /// The user's rule severities.
    pub fn rules(&self) -> Arc<UserRules> {
        self.rules.clone()
    }

    /// Every registry read, in path order.
    pub fn registries(&self) -> Vec<Arc<Loaded>> {
        self.registries.loaded()
    }
}

/// The rope's text in one string of exactly its length (`to_string` would
/// grow it by doubling, a third more memory for a large document).
fn rope_text(rope: &Rope) -> Arc<String> {
    let mut text = String::with_capacity(rope.len_bytes());
    rope.chunks().for_each(|chunk| text.push_str(chunk));
    Arc::new(text)
}

/// The char index of an LSP position in a rope. Lines break at LF only (the
/// rope is built without CR line breaks, like the core's `LineIndex`); a
/// column past the end of its line is the end of the line, a line past the
/// end is the end of the text, and a column inside a character is its start.
pub fn char_index(rope: &Rope, pos: LineCol, encoding: Encoding) -> usize {
    let line = pos.line as usize;
    if line >= rope.len_lines() {
        return rope.len_chars();
    }
    let start = rope.line_to_char(line);
    let mut remaining = pos.col as usize;
    let mut index = start;
    let mut chars = rope.line(line).chars().peekable();
    while let Some(ch) = chars.next() {
        if ch == '\n' || (ch == '\r' && chars.peek() == Some(&'\n')) {
            break;
        }
        let width = match encoding {
            Encoding::Utf8 => ch.len_utf8(),
            Encoding::Utf16 => ch.len_utf16(),
            Encoding::Chars => 1,
        };
        if remaining < width {
            break;
        }
        remaining -= width;
        index += 1;
    }
    index
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// Positions counted in the rope are the ones the line index counts
        /// in the text, both ways and in every unit, over several rope chunks.
        #[test]
        fn positions_in_the_rope_are_those_of_the_text(
            text in "[ab \r\n’“”😀\u{a0}]{0,3000}",
        ) {
            let mut docs = Documents::new(Arc::default());
            let snapshot = docs.open("untitled:p".into(), None, 1, text.clone());
            let index = LineIndex::new(&text);
            for encoding in [Encoding::Utf8, Encoding::Utf16, Encoding::Chars] {
                for offset in 0..=text.len() + 2 {
                    prop_assert_eq!(
                        snapshot.line_col(offset, encoding),
                        index.line_col(&text, offset, encoding)
                    );
                }
                for line in 0..=index.line_count() as u32 + 1 {
                    for col in 0..8 {
                        let pos = LineCol { line, col };
                        prop_assert_eq!(
                            snapshot.offset(pos, encoding),
                            index.offset(&text, pos, encoding)
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn a_version_text_is_shared_while_held_and_rebuilt_after() {
        let mut docs = Documents::new(Arc::default());
        let snapshot = docs.open("untitled:a".into(), None, 1, "Q: “Why?”\n".into());
        let text = snapshot.text();
        assert!(Arc::ptr_eq(&text, &snapshot.text()));
        let edit = Edit {
            range: Some((LineCol { line: 0, col: 4 }, LineCol { line: 0, col: 8 })),
            text: "How".into(),
        };
        let snapshot = docs
            .change("untitled:a", 2, vec![edit], Encoding::Utf16)
            .unwrap();
        let text = snapshot.text();
        assert_eq!(*text, "Q: “How”\n");
        drop(text);
        // Nothing holds the text now: it is built again from the rope.
        assert!(snapshot.text.lock().unwrap().upgrade().is_none());
        assert_eq!(*snapshot.text(), "Q: “How”\n");
    }

    #[test]
    fn only_the_recently_used_documents_keep_their_analysis() {
        let mut docs = Documents::new(Arc::default());
        let key = |i: usize| format!("untitled:{i}");
        let snapshots: Vec<Arc<Snapshot>> = (0..KEPT + 3)
            .map(|i| {
                let s = docs.open(key(i), None, 1, format!("Sergey Lavrov: {i}.\n"));
                drop(s.analysis());
                s
            })
            .collect();
        let kept = |s: &Snapshot| s.analysis.lock().unwrap().upgrade().is_some();
        // The first three fell out of the recent ones: their models are gone.
        assert_eq!(snapshots.iter().filter(|s| kept(s)).count(), KEPT);
        assert!(!kept(&snapshots[0]));
        // Asked for again, the analysis is rebuilt, equal to the first one.
        let again = docs.get(&key(0)).unwrap().analysis();
        let fresh = analysis::analyze("Sergey Lavrov: 0.\n", None);
        assert_eq!(again.diagnostics, fresh.diagnostics);
        assert!(kept(&snapshots[0]));
    }

    #[test]
    fn an_analysis_built_after_the_document_fell_out_of_the_recent_ones_is_not_kept() {
        // As when publications are checked after a burst of opens.
        let mut docs = Documents::new(Arc::default());
        let key = |i: usize| format!("untitled:{i}");
        let snapshots: Vec<Arc<Snapshot>> = (0..KEPT + 3)
            .map(|i| docs.open(key(i), None, 1, format!("Sergey Lavrov: {i}.\n")))
            .collect();
        for s in &snapshots {
            drop(s.analysis());
        }
        let kept = |s: &Snapshot| s.analysis.lock().unwrap().upgrade().is_some();
        assert_eq!(snapshots.iter().filter(|s| kept(s)).count(), KEPT);
        assert!(!kept(&snapshots[2]) && kept(&snapshots[3]));
        // New snapshots of the same versions (new settings) keep as the old did.
        let renewed = docs.set_rules(UserRules::new());
        for (key, s) in &renewed {
            drop(s.analysis());
            let recent = docs.recent.contains(key);
            assert_eq!(kept(s), recent, "{key}");
        }
    }
}
