//! The open documents: ropes with their versions, edits applied in order, and
//! for each version a snapshot of the rope and its analysis. Also the
//! registries the documents use, found by walking up from each file.
//!
//! The rope is the only copy of a document kept between requests. The core
//! reads contiguous text, so a version's text is built from its rope when
//! needed and shared by everything using it at the same time; it is freed
//! when the last of them is done, which halves the memory a large document
//! costs (measured by `cargo bench --bench harness`).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock, Weak};

use ropey::Rope;

use crate::analysis::{self, Analysis, Symbol};
use crate::registry::{self, Loaded};
use crate::syntax::Span;
use crate::text::{Encoding, LineCol, LineIndex, column_width};

/// One version of a document, analysed.
#[derive(Debug)]
pub struct Snapshot {
    pub version: i32,
    /// This version's text; shares its unchanged parts with the other versions.
    rope: Rope,
    /// The contiguous text while anything holds it (see [`Snapshot::text`]).
    text: Mutex<Weak<String>>,
    pub index: LineIndex,
    pub analysis: Analysis,
    pub registry: Option<Arc<Loaded>>,
    /// Computed on the first request for this version: editors ask several times.
    outline: OnceLock<Vec<Symbol>>,
}

/// A new snapshot and its text, which the caller keeps while it uses the
/// snapshot (publishing its diagnostics) so that the text is not built twice.
pub struct Fresh {
    pub snapshot: Arc<Snapshot>,
    pub text: Arc<String>,
}

impl Snapshot {
    fn analyse(version: i32, rope: Rope, registry: Option<Arc<Loaded>>) -> Fresh {
        let text = rope_text(&rope);
        let analysis = analysis::analyze(&text, registry.as_deref().map(|r| &r.registry));
        let snapshot = Arc::new(Snapshot {
            version,
            rope,
            text: Mutex::new(Arc::downgrade(&text)),
            index: LineIndex::new(&text),
            analysis,
            registry,
            outline: OnceLock::new(),
        });
        Fresh { snapshot, text }
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
            .get_or_init(|| analysis::outline(&self.text(), &self.analysis.syntax))
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

#[derive(Default)]
pub struct Documents {
    docs: HashMap<String, Document>,
    registries: registry::Cache,
}

impl Documents {
    /// Opens (or reopens) a document and analyses it.
    pub fn open(
        &mut self,
        key: String,
        path: Option<PathBuf>,
        version: i32,
        text: String,
    ) -> Fresh {
        let registry = path.as_deref().and_then(|p| self.registries.for_file(p));
        let rope = Rope::from_str(&text);
        drop(text);
        let fresh = Snapshot::analyse(version, rope.clone(), registry);
        self.docs.insert(
            key,
            Document {
                rope,
                path,
                snapshot: fresh.snapshot.clone(),
            },
        );
        fresh
    }

    /// Applies edits in order and analyses the result; `None` for a document that is not open.
    pub fn change(
        &mut self,
        key: &str,
        version: i32,
        edits: Vec<Edit>,
        encoding: Encoding,
    ) -> Option<Fresh> {
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
        // Let go of the previous version before analysing the new one (unless
        // a request still holds it), so that two analyses are not alive at once.
        doc.snapshot = Snapshot::analyse(version, Rope::new(), None).snapshot;
        let fresh = Snapshot::analyse(version, doc.rope.clone(), registry);
        doc.snapshot = fresh.snapshot.clone();
        Some(fresh)
    }

    pub fn close(&mut self, key: &str) -> bool {
        self.docs.remove(key).is_some()
    }

    pub fn get(&self, key: &str) -> Option<Arc<Snapshot>> {
        self.docs.get(key).map(|d| d.snapshot.clone())
    }

    /// Every open document: its key (URI), file path if any, and snapshot.
    pub fn all(&self) -> impl Iterator<Item = (&str, Option<&Path>, Arc<Snapshot>)> {
        self.docs
            .iter()
            .map(|(k, d)| (k.as_str(), d.path.as_deref(), d.snapshot.clone()))
    }

    /// Forgets every registry read and re-analyses every open document with
    /// the registry that now applies to it. Returns the new snapshots.
    pub fn reload_registries(&mut self) -> Vec<(String, Fresh)> {
        self.registries = registry::Cache::default();
        let mut out = Vec::new();
        for (key, doc) in &mut self.docs {
            let registry = doc
                .path
                .as_deref()
                .and_then(|p| self.registries.for_file(p));
            let fresh = Snapshot::analyse(doc.snapshot.version, doc.rope.clone(), registry);
            doc.snapshot = fresh.snapshot.clone();
            out.push((key.clone(), fresh));
        }
        out
    }

    /// Every registry the open documents use.
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
            let mut docs = Documents::default();
            let snapshot = docs.open("untitled:p".into(), None, 1, text.clone()).snapshot;
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
        let mut docs = Documents::default();
        let fresh = docs.open("untitled:a".into(), None, 1, "Q: “Why?”\n".into());
        assert!(Arc::ptr_eq(&fresh.text, &fresh.snapshot.text()));
        let edit = Edit {
            range: Some((LineCol { line: 0, col: 4 }, LineCol { line: 0, col: 8 })),
            text: "How".into(),
        };
        let fresh = docs
            .change("untitled:a", 2, vec![edit], Encoding::Utf16)
            .unwrap();
        let snapshot = fresh.snapshot.clone();
        assert_eq!(*fresh.text, "Q: “How”\n");
        drop(fresh);
        // Nothing holds the text now: it is built again from the rope.
        assert!(snapshot.text.lock().unwrap().upgrade().is_none());
        assert_eq!(*snapshot.text(), "Q: “How”\n");
    }
}
