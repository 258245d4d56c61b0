//! The open documents: ropes with their versions, edits applied in order, and
//! for each version a snapshot of the text and its analysis. Also the
//! registries the documents use, found by walking up from each file.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use ropey::Rope;

use crate::analysis::{self, Analysis, Symbol};
use crate::registry::{self, Loaded};
use crate::text::{Encoding, LineCol, LineIndex};

/// One version of a document, analysed.
#[derive(Debug)]
pub struct Snapshot {
    pub version: i32,
    pub text: String,
    pub index: LineIndex,
    pub analysis: Analysis,
    pub registry: Option<Arc<Loaded>>,
    /// Computed on the first request for this version: editors ask several times.
    outline: OnceLock<Vec<Symbol>>,
}

impl Snapshot {
    fn new(version: i32, text: String, registry: Option<Arc<Loaded>>) -> Self {
        let analysis = analysis::analyze(&text, registry.as_deref().map(|r| &r.registry));
        Snapshot {
            version,
            index: LineIndex::new(&text),
            text,
            analysis,
            registry,
            outline: OnceLock::new(),
        }
    }

    pub fn outline(&self) -> &[Symbol] {
        self.outline
            .get_or_init(|| analysis::outline(&self.text, &self.analysis.syntax))
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
    ) -> Arc<Snapshot> {
        let registry = path.as_deref().and_then(|p| self.registries.for_file(p));
        let rope = Rope::from_str(&text);
        let snapshot = Arc::new(Snapshot::new(version, text, registry));
        self.docs.insert(
            key,
            Document {
                rope,
                path,
                snapshot: snapshot.clone(),
            },
        );
        snapshot
    }

    /// Applies edits in order and analyses the result; `None` for a document that is not open.
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
        // Let go of the previous version before analysing the new one (unless
        // a request still holds it), so that two analyses are not alive at once.
        doc.snapshot = Arc::new(Snapshot::new(version, String::new(), None));
        doc.snapshot = Arc::new(Snapshot::new(version, rope_text(&doc.rope), registry));
        Some(doc.snapshot.clone())
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
    pub fn reload_registries(&mut self) -> Vec<(String, Arc<Snapshot>)> {
        self.registries = registry::Cache::default();
        let mut out = Vec::new();
        for (key, doc) in &mut self.docs {
            let registry = doc
                .path
                .as_deref()
                .and_then(|p| self.registries.for_file(p));
            let old = &doc.snapshot;
            doc.snapshot = Arc::new(Snapshot::new(old.version, old.text.clone(), registry));
            out.push((key.clone(), doc.snapshot.clone()));
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
fn rope_text(rope: &Rope) -> String {
    let mut text = String::with_capacity(rope.len_bytes());
    rope.chunks().for_each(|chunk| text.push_str(chunk));
    text
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
