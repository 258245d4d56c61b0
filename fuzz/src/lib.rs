//! The assertions of the fuzz targets, one public function per target, each
//! taking the raw input bytes and panicking when a property does not hold.
//!
//! The same file is compiled into the test suite (`tests/fuzz_regressions.rs`,
//! `tests/random_edits.rs` and `tests/properties.rs` include it with
//! `#[path]`), so a kept input is replayed through exactly the checks that
//! found it, and the property tests check the model the same way. It therefore uses
//! nothing but the standard library, `transcript_ls` and `ropey`.

// Positions as the protocol defines them, shared with tests/common (a test
// that includes both this file and tests/common loads it twice, harmlessly).
#[allow(clippy::duplicate_mod)]
#[path = "../../tests/common/oracle.rs"]
mod oracle;

use std::borrow::Cow;
use std::sync::OnceLock;

use ropey::Rope;
use transcript_ls::analysis::{self, Analysis, Symbol, analyze, hover, outline};
use transcript_ls::format::format_text;
use transcript_ls::import::{EntityNames, ImportOptions, import};
use transcript_ls::registry::Registry;
use transcript_ls::server::char_index;
use transcript_ls::syntax::{Document, Inline, Item, LabelKind, Paragraph, Span};
use transcript_ls::text::{Encoding, LineCol, LineIndex};

pub use oracle::line_ranges;

/// A registry that declares speakers, question labels, entities, keys and
/// severities, so that the registry-dependent paths run too.
pub const REGISTRY: &str = r#"{
  "entities": {
    "kerry": { "name": "John Kerry", "type": "person", "aliases": ["Mr Kerry", "Kerry"], "wikidata": "Q42" },
    "lavrov": { "name": "Sergey Lavrov", "type": "person", "description": "Minister – “FM” 😀" },
    "asean": { "name": "ASEAN", "type": "org", "aliases": ["Association of Southeast Asian Nations"] }
  },
  "speakers": {
    "Sergey Lavrov": { "role": "Minister", "entity": "lavrov" },
    "Speaker 2": {},
    "O’Brien (PM)": { "role": "Prime Minister" }
  },
  "questionLabels": ["Вопрос", "Q"],
  "metadata": { "required": ["title", "place"], "keys": ["interpreter"] },
  "rules": { "empty-section": "hint", "unused-speaker": "off" }
}"#;

pub fn registry() -> &'static Registry {
    static REG: OnceLock<Registry> = OnceLock::new();
    REG.get_or_init(|| {
        let r = Registry::parse(REGISTRY);
        assert!(
            r.problems().is_empty(),
            "the fuzz registry: {:#?}",
            r.problems()
        );
        r
    })
}

/// The input as text: invalid UTF-8 is replaced, as an editor would on opening.
pub fn text_of(data: &[u8]) -> Cow<'_, str> {
    String::from_utf8_lossy(data)
}

// ---------------------------------------------------------------------------
// parse: parse and analyse arbitrary bytes

/// Parses and analyses the text with and without a registry: no panic, every
/// range of the model, the diagnostics, the outline and hovers lies within
/// the text on character boundaries, ranges nest, the diagnostics are
/// sorted, positions round-trip in every unit, and analysing twice gives the
/// same result.
pub fn parse(data: &[u8]) {
    let text = text_of(data);
    for registry in [None, Some(registry())] {
        let analysis = analyze(&text, registry);
        check_analysis(&text, &analysis, registry);
        assert!(
            analyze(&text, registry).diagnostics == analysis.diagnostics,
            "analysis is not deterministic"
        );
    }
    // The registry parser takes arbitrary text too.
    let reg = Registry::parse(&text);
    for d in &reg.problems() {
        valid(&text, &d.span, "registry problem");
    }
}

/// Every span of an analysis is a valid range of `text`; see [`parse`].
pub fn check_analysis(text: &str, analysis: &Analysis, registry: Option<&Registry>) {
    check_document(text, &analysis.syntax);
    let mut previous = 0..0;
    for d in &analysis.diagnostics {
        valid(text, &d.span, d.rule.name());
        assert!(
            (previous.start, previous.end) <= (d.span.start, d.span.end),
            "diagnostics are not sorted: {previous:?} before {:?}",
            d.span
        );
        previous = d.span.clone();
        assert!(!d.message.is_empty(), "{} has no message", d.rule.name());
        for r in &d.related {
            assert!(r.file.is_none(), "a related place in another file");
            valid(text, &r.span, "related");
        }
    }
    check_symbols(text, &outline(text, &analysis.syntax), None);
    let index = LineIndex::new(text);
    // Hovers and positions at up to 64 offsets spread over the text.
    let step = (text.len() / 64).max(1);
    let mut offset = 0;
    while offset <= text.len() {
        let at = floor(text, offset);
        if let Some(h) = hover(text, &analysis.syntax, registry, at) {
            valid(text, &h.span, "hover");
            assert!(
                h.span.start <= at && at < h.span.end,
                "the hover at {at} has the span {:?}",
                h.span
            );
            assert!(!h.markdown.is_empty(), "an empty hover at {at}");
        }
        round_trip(text, &index, at);
        offset += step;
    }
    round_trip(text, &index, text.len());
}

/// A character boundary's line and column convert back to it in every unit,
/// unless it lies between a CR and its LF (which no position can name).
fn round_trip(text: &str, index: &LineIndex, offset: usize) {
    let inside_crlf = offset > 0
        && text.as_bytes().get(offset - 1) == Some(&b'\r')
        && text.as_bytes().get(offset) == Some(&b'\n');
    if inside_crlf {
        return;
    }
    for enc in [Encoding::Utf8, Encoding::Utf16, Encoding::Chars] {
        let lc = index.line_col(text, offset, enc);
        assert_eq!(
            index.offset(text, lc, enc),
            offset,
            "offset {offset} -> {lc:?} ({enc:?}) does not come back"
        );
    }
}

fn floor(text: &str, mut offset: usize) -> usize {
    offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// `span` is a range of `text` whose ends are character boundaries.
pub fn valid(text: &str, span: &Span, what: &str) {
    assert!(
        span.start <= span.end
            && span.end <= text.len()
            && text.is_char_boundary(span.start)
            && text.is_char_boundary(span.end),
        "{what} {span:?} is not a range of the {} bytes of the text",
        text.len()
    );
}

fn within(inner: &Span, outer: &Span, what: &str) {
    assert!(
        outer.start <= inner.start && inner.end <= outer.end,
        "{what}: {inner:?} is not within {outer:?}"
    );
}

fn check_paragraph(text: &str, p: &Paragraph) {
    valid(text, &p.span, "paragraph");
    for inline in &p.inlines {
        match inline {
            Inline::Text(s) => {
                valid(text, s, "text");
                within(s, &p.span, "text in paragraph");
            }
            Inline::Mention(m) => {
                for s in [&m.span, &m.surface_span, &m.reference_span] {
                    valid(text, s, "mention");
                }
                within(&m.span, &p.span, "mention in paragraph");
                within(&m.surface_span, &m.span, "surface in mention");
                within(&m.reference_span, &m.span, "reference in mention");
                assert_eq!(&text[m.reference_span.clone()], m.reference);
                assert_eq!(&text[m.surface_span.clone()], m.surface);
            }
            Inline::Note(n) => {
                valid(text, &n.span, "note");
                valid(text, &n.text_span, "note text");
                within(&n.span, &p.span, "note in paragraph");
                within(&n.text_span, &n.span, "text in note");
                assert_eq!(&text[n.text_span.clone()], n.text);
            }
        }
    }
}

/// Every span of the model is a valid range, nested where it should be.
pub fn check_document(text: &str, doc: &Document) {
    if let Some(h) = &doc.header {
        valid(text, &h.span, "header");
        valid(text, &h.open, "header open");
        within(&h.open, &h.span, "open in header");
        if let Some(close) = &h.close {
            valid(text, close, "header close");
            within(close, &h.span, "close in header");
        }
        for e in &h.entries {
            for s in [&e.key_span, &e.value_span, &e.line_span] {
                valid(text, s, "header entry");
            }
            within(&e.key_span, &e.line_span, "key in line");
            within(&e.value_span, &e.line_span, "value in line");
            within(&e.line_span, &h.span, "line in header");
            assert_eq!(&text[e.key_span.clone()], e.key);
            assert_eq!(&text[e.value_span.clone()], e.value);
        }
    }
    let mut previous_end = 0;
    for item in &doc.items {
        let span = match item {
            Item::Heading(h) => {
                valid(text, &h.span, "heading");
                valid(text, &h.text_span, "heading text");
                within(&h.text_span, &h.span, "text in heading");
                assert_eq!(&text[h.text_span.clone()], h.text);
                h.span.clone()
            }
            Item::Narration(p) => {
                check_paragraph(text, p);
                p.span.clone()
            }
            Item::Turn(t) => {
                valid(text, &t.span, "turn");
                valid(text, &t.label.span, "label");
                valid(text, &t.label.name_span, "label name");
                within(&t.label.span, &t.span, "label in turn");
                within(&t.label.name_span, &t.label.span, "name in label");
                assert_eq!(&text[t.label.name_span.clone()], t.label.name);
                if let LabelKind::Question {
                    attribution: Some((who, s)),
                } = &t.label.kind
                {
                    valid(text, s, "attribution");
                    within(s, &t.label.span, "attribution in label");
                    assert_eq!(&text[s.clone()], who);
                }
                for p in &t.paragraphs {
                    check_paragraph(text, p);
                    within(&p.span, &t.span, "paragraph in turn");
                }
                t.span.clone()
            }
        };
        assert!(
            span.start >= previous_end,
            "items overlap or are out of order at {span:?}"
        );
        previous_end = span.end;
    }
    for c in &doc.comments {
        valid(text, c, "comment");
    }
    for p in &doc.problems {
        valid(text, &p.span, "syntax problem");
    }
    if let Some(s) = &doc.line_endings.first_odd {
        valid(text, s, "line ending");
    }
}

pub fn check_symbols(text: &str, symbols: &[Symbol], parent: Option<&Span>) {
    for s in symbols {
        valid(text, &s.span, "symbol");
        valid(text, &s.selection, "symbol selection");
        assert!(
            !s.name.is_empty(),
            "a symbol without a name at {:?}",
            s.span
        );
        // LSP clients reject a selection range outside the symbol's range.
        within(&s.selection, &s.span, "selection in symbol");
        if let Some(parent) = parent {
            within(&s.span, parent, "symbol in its parent");
        }
        check_symbols(text, &s.children, Some(&s.span));
    }
}

// ---------------------------------------------------------------------------
// edits: arbitrary edit sequences, applied as the server applies them

/// Reads the fuzzer's bytes as choices; past the end every choice is 0.
pub struct Choices<'a> {
    data: &'a [u8],
    at: usize,
}

impl<'a> Choices<'a> {
    pub fn new(data: &'a [u8]) -> Self {
        Choices { data, at: 0 }
    }

    pub fn is_empty(&self) -> bool {
        self.at >= self.data.len()
    }

    pub fn byte(&mut self) -> u8 {
        let b = self.data.get(self.at).copied().unwrap_or(0);
        self.at += 1;
        b
    }

    /// A number below `n` (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        let v = (self.byte() as usize) << 8 | self.byte() as usize;
        v % n
    }
}

/// Pieces of text that matter to positions and to the format: line endings
/// (alone and as pairs), multi-byte and astral characters, a BOM, and the
/// format's own markers.
pub const PIECES: &[&str] = &[
    "\n",
    "\r\n",
    "\r",
    "\n\n",
    "\r\n\r\n",
    "a",
    "word ",
    " ",
    "\t",
    "é",
    "’",
    "“",
    "”",
    "–",
    "\u{a0}",
    "\u{feff}",
    "😀",
    "𝄞",
    "👩\u{200d}💻",
    "e\u{301}",
    "Вопрос",
    "中文",
    "---\n",
    "---\r\n",
    "title: T\n",
    "date: 2017-06-16\n",
    "speaker: Sergey Lavrov (Minister)\n",
    "# ",
    "## Heading\n",
    "Question: ",
    "Question (RIA Novosti): ",
    "Sergey Lavrov: ",
    "O’Brien: ",
    "[",
    "]",
    "{",
    "}",
    "\\",
    "//",
    ":",
    "[x]{kerry}",
    "[12:30]",
    "[applause]",
];

/// A piece of text chosen by the input: a piece, or one arbitrary character.
pub fn piece(c: &mut Choices) -> String {
    let n = c.below(PIECES.len() + 8);
    if n < PIECES.len() {
        return PIECES[n].to_string();
    }
    let v = (c.byte() as u32) << 16 | (c.byte() as u32) << 8 | c.byte() as u32;
    char::from_u32(v % 0x11_0000)
        .unwrap_or('\u{fffd}')
        .to_string()
}

fn pieces(c: &mut Choices, max: usize) -> String {
    let n = c.below(max + 1);
    (0..n).map(|_| piece(c)).collect()
}

/// The unit of LSP columns, as the server negotiates them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Utf8,
    Utf16,
    Chars,
}

impl Unit {
    pub fn encoding(self) -> Encoding {
        match self {
            Unit::Utf8 => Encoding::Utf8,
            Unit::Utf16 => Encoding::Utf16,
            Unit::Chars => Encoding::Chars,
        }
    }

    pub fn width(self, ch: char) -> usize {
        match self {
            Unit::Utf8 => ch.len_utf8(),
            Unit::Utf16 => ch.len_utf16(),
            Unit::Chars => 1,
        }
    }
}

/// The byte offset of an LSP position in `unit` (see [`oracle::offset_of`]).
pub fn model_offset(text: &str, line: u32, col: u32, unit: Unit) -> usize {
    oracle::offset_of(text, line, col, |ch| unit.width(ch))
}

/// One content change of a `didChange`: a range (none for the whole text)
/// and the new text.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub range: Option<(LineCol, LineCol)>,
    pub text: String,
}

/// Applies a change to the model: a reversed range inserts at its start, as
/// in the server.
pub fn apply_to_model(text: &mut String, change: &Change, unit: Unit) {
    match change.range {
        None => *text = change.text.clone(),
        Some((s, e)) => {
            let start = model_offset(text, s.line, s.col, unit);
            let end = model_offset(text, e.line, e.col, unit).max(start);
            text.replace_range(start..end, &change.text);
        }
    }
}

/// Applies a change to a rope exactly as the server's document store does.
pub fn apply_to_rope(rope: &mut Rope, change: &Change, unit: Unit) {
    match change.range {
        None => *rope = Rope::from_str(&change.text),
        Some((s, e)) => {
            let start = char_index(rope, s, unit.encoding());
            let end = char_index(rope, e, unit.encoding()).max(start);
            rope.remove(start..end);
            rope.insert(start, &change.text);
        }
    }
}

/// A position chosen by the input for `text`: usually on an existing line
/// near its width, sometimes past the end of the line or of the text, or huge.
pub fn position(c: &mut Choices, text: &str, unit: Unit) -> LineCol {
    let lines = line_ranges(text);
    let line = match c.byte() % 16 {
        0 => lines.len() as u32 + c.byte() as u32 % 3,
        1 => u32::MAX,
        _ => c.below(lines.len()) as u32,
    };
    let width = lines.get(line as usize).map_or(0, |r| {
        text[r.clone()].chars().map(|ch| unit.width(ch)).sum()
    });
    let col = match c.byte() % 16 {
        0 => u32::MAX,
        1 => width as u32 + 1 + c.byte() as u32 % 4,
        2 => width as u32,
        _ => c.below(width + 1) as u32,
    };
    LineCol { line, col }
}

/// A change chosen by the input: mostly a range near existing text with a few
/// pieces as the new text; sometimes the whole text, a reversed range, or a
/// deletion.
pub fn change(c: &mut Choices, text: &str, unit: Unit) -> Change {
    if c.byte().is_multiple_of(32) {
        return Change {
            range: None,
            text: pieces(c, 12),
        };
    }
    let a = position(c, text, unit);
    let b = match c.byte() % 4 {
        0 => a,
        _ => position(c, text, unit),
    };
    // Mostly in order; a reversed range now and then.
    let (start, end) = if a <= b || c.byte().is_multiple_of(8) {
        (a, b)
    } else {
        (b, a)
    };
    Change {
        range: Some((start, end)),
        text: pieces(c, 4),
    }
}

/// The text and unit of an edit run and its changes, in order, as decoded
/// from the input (each change chosen against the model's text so far).
pub struct EditRun {
    pub unit: Unit,
    pub initial: String,
    pub changes: Vec<Change>,
    /// The model's text after each change.
    pub texts: Vec<String>,
}

/// Decodes an edit run from bytes.
pub fn edit_run(data: &[u8]) -> EditRun {
    let mut c = Choices::new(data);
    let unit = match c.byte() % 3 {
        0 => Unit::Utf16,
        1 => Unit::Utf8,
        _ => Unit::Chars,
    };
    let initial = pieces(&mut c, 40);
    let mut text = initial.clone();
    let mut changes = Vec::new();
    let mut texts = Vec::new();
    while !c.is_empty() && changes.len() < 400 {
        let ch = change(&mut c, &text, unit);
        apply_to_model(&mut text, &ch, unit);
        changes.push(ch);
        texts.push(text.clone());
    }
    EditRun {
        unit,
        initial,
        changes,
        texts,
    }
}

/// Applies a decoded edit sequence to a rope as the server does and to a
/// `String` model: after every change the texts are equal, the server's
/// position mapping agrees with the model and with `LineIndex` (which hovers
/// use); at the end the analysis of the edited text equals a fresh one.
pub fn edits(data: &[u8]) {
    let run = edit_run(data);
    let mut rope = Rope::from_str(&run.initial);
    let mut before = run.initial.clone();
    for (change, after) in run.changes.iter().zip(&run.texts) {
        if let Some((s, e)) = change.range {
            for p in [s, e] {
                check_position(&rope, &before, p, run.unit);
            }
        }
        apply_to_rope(&mut rope, change, run.unit);
        let got = rope.to_string();
        assert!(
            got == *after,
            "after {change:?} on {before:?} ({:?}):\n  rope:  {got:?}\n  model: {after:?}",
            run.unit
        );
        before = got;
    }
    let text = rope.to_string();
    let edited = analyze(&text, Some(registry()));
    let fresh = analyze(&before, Some(registry()));
    assert!(edited.diagnostics == fresh.diagnostics);
    assert!(outline(&text, &edited.syntax) == outline(&before, &fresh.syntax));
    check_analysis(&text, &edited, Some(registry()));
}

/// The char index the server computes for a position equals the model's, and
/// `LineIndex::offset` (the hover path) gives the same place.
pub fn check_position(rope: &Rope, text: &str, p: LineCol, unit: Unit) {
    let model = model_offset(text, p.line, p.col, unit);
    let server = char_index(rope, p, unit.encoding());
    let model_chars = text[..model].chars().count();
    assert!(
        server == model_chars,
        "{p:?} ({unit:?}) in {text:?}: the server's char index is {server}, the model's {model_chars}"
    );
    let index = LineIndex::new(text);
    let line_index = index.offset(text, p, unit.encoding());
    assert!(
        line_index == model,
        "{p:?} ({unit:?}) in {text:?}: LineIndex gives byte {line_index}, the model {model}"
    );
}

// ---------------------------------------------------------------------------
// import: arbitrary raw text

fn entity_names() -> Vec<EntityNames> {
    let mut out: Vec<EntityNames> = registry()
        .entities
        .iter()
        .map(|e| EntityNames {
            id: e.id().to_string(),
            names: e.names().map(str::to_string).collect(),
        })
        .collect();
    out.sort_by(|a, b| a.id.cmp(&b.id));
    out
}

/// The errors a transcript has under `check` (with the entity registry when
/// entities were annotated).
fn errors(text: &str, registry: Option<&Registry>) -> Vec<String> {
    analyze(text, registry)
        .diagnostics
        .iter()
        .filter(|d| d.severity == analysis::Severity::Error)
        .map(|d| format!("{:?}: {} ({})", d.span, d.message, d.rule.name()))
        .collect()
}

/// Imports the text without and with known entities: no panic, the output
/// starts with a header, has no errors under `check` (with a registry that
/// declares the entities when they were used), its questions are those the
/// report counts, the report's own check agrees, and importing twice gives
/// the same output.
pub fn import_raw(data: &[u8]) {
    let raw = text_of(data);
    let entities = entity_names();
    // A registry with the entities only: speakers, labels and rules are the defaults.
    let mut only_entities = Registry::parse("{}");
    only_entities.entities = registry().entities.clone();
    for (options, reg) in [
        (ImportOptions::default(), None),
        (ImportOptions { entities }, Some(&only_entities)),
    ] {
        let imported = import(&raw, &options);
        let text = &imported.text;
        assert!(text.starts_with("---\n"), "no header:\n{text}");
        let errs = errors(text, reg);
        assert!(errs.is_empty(), "errors {errs:?} in the output:\n{text}");
        assert!(
            imported.report.errors.is_empty(),
            "the report has errors {:?}:\n{text}",
            imported.report.errors
        );
        let questions = analyze(text, reg)
            .syntax
            .turns()
            .filter(|t| t.is_question())
            .count();
        assert_eq!(
            questions, imported.report.questions,
            "questions in the output vs the report:\n{text}"
        );
        assert!(
            import(&raw, &options).text == *text,
            "import is not deterministic"
        );
    }
}

// ---------------------------------------------------------------------------
// format: arbitrary text

/// Words, with the colon of `key:value` as a separator (formatting adds a
/// space after it) and the header's `---` left out.
pub fn words(s: &str) -> Vec<&str> {
    let mut w: Vec<&str> = s
        .split(|c: char| c.is_whitespace() || c == ':')
        .filter(|w| !w.is_empty() && *w != "---")
        .collect();
    w.sort_unstable();
    w
}

/// Formats the text without and with a registry's labels: no panic,
/// formatting the result again changes nothing, every word is kept (the
/// header's entries may move, so as a multiset), and a file without CR
/// gets none.
pub fn format(data: &[u8]) {
    let text = text_of(data);
    let ctxs = [
        analysis::label_context(None),
        analysis::label_context(Some(registry())),
    ];
    for ctx in &ctxs {
        let once = format_text(&text, ctx);
        let twice = format_text(&once, ctx);
        assert!(
            twice == once,
            "formatting is not idempotent\n  input:  {text:?}\n  once:   {once:?}\n  twice:  {twice:?}"
        );
        assert!(
            words(&text) == words(&once),
            "formatting changed the words\n  input: {text:?}\n  once:  {once:?}"
        );
        if !text.contains('\r') {
            assert!(!once.contains('\r'), "a CR appeared: {once:?}");
        }
    }
}

/// The safe writer's property: in a folder holding whatever the input
/// plants there (symbolic links at any name, to files inside and outside it,
/// hard links, read-only modes), writing one file changes that file's
/// content and nothing else: every other file's content, every link, the
/// folder's entries and the file's mode stay as they were; a refused write
/// changes nothing at all.
pub fn write(data: &[u8]) {
    use std::os::unix::fs::{PermissionsExt, symlink};
    use std::path::{Path, PathBuf};
    use transcript_ls::cli::write::{create, update};

    static RUN: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = RUN.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let root = std::env::temp_dir().join(format!(
        "transcript-ls-fuzz-write-{}-{n}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&root);
    let dir = root.join("dir");
    std::fs::create_dir_all(&dir).unwrap();
    let outside = root.join("outside.txt");
    std::fs::write(&outside, "outside\n").unwrap();

    let mut c = Choices::new(data);
    let target = dir.join("t.transcript");
    let old = format!("old {}\n", c.byte());
    // What the target is: a file, a link to a file in a subfolder, or a file with a second link.
    let shape = c.below(3);
    let real = match shape {
        1 => {
            std::fs::create_dir(dir.join("real")).unwrap();
            let real = dir.join("real/t.transcript");
            std::fs::write(&real, &old).unwrap();
            symlink(&real, &target).unwrap();
            real
        }
        _ => {
            std::fs::write(&target, &old).unwrap();
            if shape == 2 {
                std::fs::hard_link(&target, dir.join("second.transcript")).unwrap();
            }
            target.clone()
        }
    };
    let mode = [0o644, 0o600, 0o640, 0o444, 0o755][c.below(5)];
    std::fs::set_permissions(&real, std::fs::Permissions::from_mode(mode)).unwrap();
    // Links planted at names a writer might use, to the outside file.
    for _ in 0..c.below(4) {
        let names = [
            ".t.transcript.tmp",
            "t.transcript.fmt-tmp",
            "t.transcript~",
            ".t.transcript.swp",
            "x.tmp",
        ];
        let _ = symlink(&outside, dir.join(names[c.below(names.len())]));
    }
    let new: String = (0..c.below(40)).map(|_| piece(&mut c)).collect();

    // Every entry of the folders and the content it reaches, before.
    fn snapshot(root: &Path) -> Vec<(PathBuf, bool, Option<Vec<u8>>)> {
        let mut out = Vec::new();
        let mut stack = vec![root.to_path_buf()];
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(&d).unwrap().flatten() {
                let p = e.path();
                let meta = std::fs::symlink_metadata(&p).unwrap();
                if meta.is_dir() {
                    stack.push(p.clone());
                }
                out.push((p.clone(), meta.is_symlink(), std::fs::read(&p).ok()));
            }
        }
        out.sort();
        out
    }
    let before = snapshot(&root);
    let is_update = c.below(2) == 0;
    let result = if is_update {
        update(&target, 1 << 20, |_| Some(new.clone())).map(|_| ())
    } else {
        create(&target, new.as_bytes(), c.below(2) == 0)
    };
    let after = snapshot(&root);
    let content = std::fs::read_to_string(&target).ok();
    match &result {
        Ok(()) => assert_eq!(
            content.as_deref(),
            Some(new.as_str()),
            "the target does not hold the new text"
        ),
        Err(_) => assert_eq!(
            before, after,
            "a refused write changed something: {result:?}"
        ),
    }
    // Nothing but the target (and, for `update`, what it reaches) changed.
    let changed: Vec<&PathBuf> = after
        .iter()
        .filter(|a| !before.contains(a))
        .map(|a| &a.0)
        .collect();
    let allowed = [target.clone(), real.clone(), dir.join("second.transcript")];
    assert!(
        changed.iter().all(|p| allowed.contains(p)),
        "changed beyond the target: {changed:?} ({result:?})"
    );
    assert_eq!(std::fs::read_to_string(&outside).unwrap(), "outside\n");
    assert_eq!(
        before.len(),
        after.len(),
        "entries added or removed: {after:?}"
    );
    // The mode is kept: of the link's target, or of the file replaced.
    if result.is_ok() && (is_update || shape != 1) {
        let written = if is_update { &real } else { &target };
        let now = std::fs::metadata(written).unwrap().permissions().mode() & 0o7777;
        assert_eq!(now, mode, "the mode changed");
    }
    if mode == 0o444 && shape != 1 {
        assert!(result.is_err(), "a read-only file was written");
    }
    let _ = std::fs::remove_dir_all(&root);
}
