//! The tree-sitter grammar (`editors/tree-sitter-transcript`) against the
//! core parser. For the examples, every page of the development corpus (raw
//! and imported), the seeds and random format-like documents, the grammar's
//! tree has no error and gives the core's header (delimiters, entries,
//! malformed lines), comments, headings, turns (labels, question
//! attributions, paragraphs), narration, mentions and notes, with the same
//! byte ranges. The grammar reads the default label context, so the core is
//! run with `LabelContext::default()`.
//!
//! Also: a tree reparsed after an edit is the tree of a fresh parse, and the
//! scanner's Unicode tables are Rust's (`UPDATE_UNICODE_TABLES=1` writes them).
//!
//! The corpus test needs `../shared`: a plain `cargo test` ignores it,
//! `.ci/run` runs it (`-- --ignored`).

#[path = "common/shared.rs"]
mod shared;

use std::io::Write as _;
use std::path::{Path, PathBuf};

use proptest::prelude::*;
use transcript_ls::import::{ImportOptions, import};
use transcript_ls::syntax::{
    self, Document, Inline, Item, LabelContext, LabelKind, Paragraph, ProblemKind, Span,
};
use tree_sitter::{InputEdit, Node, Parser, Point, Tree};

fn parser() -> Parser {
    let mut parser = Parser::new();
    parser
        .set_language(&tree_sitter_transcript::LANGUAGE.into())
        .expect("the runtime loads the grammar's ABI");
    parser
}

fn parse_tree(parser: &mut Parser, text: &str) -> Tree {
    parser.parse(text, None).expect("a parse without timeout")
}

/// The elements both parsers must agree on, one line each
/// (`kind start..end details`), sorted by position.
fn sorted(mut out: Vec<(Span, String)>) -> Vec<String> {
    out.sort_by(|(a, x), (b, y)| (a.start, b.end, x).cmp(&(b.start, a.end, y)));
    out.into_iter()
        .map(|(s, what)| format!("{what} {}..{}", s.start, s.end))
        .collect()
}

/// The content of the line holding byte `at`, without its line end.
fn line_around(text: &str, at: usize) -> Span {
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    let end = if text[..end].ends_with('\r') && end < text.len() {
        end - 1
    } else {
        end
    };
    start..end
}

fn span_text(what: &str, span: &Span) -> String {
    format!("{what} {}..{}", span.start, span.end)
}

/// The core parser's elements.
fn core_elements(text: &str) -> Vec<String> {
    let doc: Document = syntax::parse(text, &LabelContext::default());
    let mut out: Vec<(Span, String)> = Vec::new();
    if let Some(header) = &doc.header {
        out.push((header.open.clone(), "delimiter".into()));
        if let Some(close) = &header.close {
            out.push((close.clone(), "delimiter".into()));
            out.push((header.span.clone(), "header".into()));
        }
        for e in &header.entries {
            let value = if e.value.is_empty() {
                "no value".to_string()
            } else {
                span_text("value", &e.value_span)
            };
            out.push((
                e.line_span.clone(),
                format!("entry {} {value}", span_text("key", &e.key_span)),
            ));
        }
    }
    for p in &doc.problems {
        match p.kind {
            ProblemKind::MalformedHeaderLine => out.push((p.span.clone(), "malformed_line".into())),
            ProblemKind::InvalidKey { .. } => {
                out.push((line_around(text, p.span.start), "malformed_line".into()))
            }
            _ => {}
        }
    }
    for c in &doc.comments {
        out.push((c.clone(), "comment".into()));
    }
    let paragraph = |out: &mut Vec<(Span, String)>, p: &Paragraph, place: &str| {
        // An empty paragraph (a label or `\` alone) has no node.
        if !p.span.is_empty() {
            out.push((p.span.clone(), format!("paragraph in {place}")));
        }
        for inline in &p.inlines {
            match inline {
                Inline::Text(_) => {}
                Inline::Mention(m) => out.push((
                    m.span.clone(),
                    format!(
                        "mention {} {}",
                        span_text("surface", &m.surface_span),
                        span_text("reference", &m.reference_span)
                    ),
                )),
                Inline::Note(n) => out.push((
                    n.span.clone(),
                    format!(
                        "note {}",
                        span_text(
                            if n.time_code.is_some() {
                                "time_code"
                            } else {
                                "text"
                            },
                            &n.text_span
                        )
                    ),
                )),
            }
        }
    };
    for item in &doc.items {
        match item {
            Item::Heading(h) => {
                // An empty title has no node.
                let title = if h.text_span.is_empty() {
                    "no title".to_string()
                } else {
                    span_text("title", &h.text_span)
                };
                out.push((h.span.clone(), format!("heading {} {title}", h.level)));
            }
            Item::Narration(p) => paragraph(&mut out, p, "narration"),
            Item::Turn(t) => {
                out.push((t.span.clone(), "turn".into()));
                let label = &t.label;
                let kind = match &label.kind {
                    LabelKind::Speaker => span_text("name", &label.name_span),
                    LabelKind::Question { attribution: None } => {
                        span_text("question", &label.name_span)
                    }
                    LabelKind::Question {
                        attribution: Some((who, span)),
                    } => format!(
                        "{} {}",
                        span_text("question", &label.name_span),
                        if who.is_empty() {
                            "empty attribution".to_string()
                        } else {
                            span_text("attribution", span)
                        }
                    ),
                };
                out.push((label.span.clone(), format!("label {kind}")));
                for p in &t.paragraphs {
                    paragraph(&mut out, p, "turn");
                }
            }
        }
    }
    sorted(out)
}

fn child<'t>(node: &Node<'t>, kind: &str) -> Option<Node<'t>> {
    let mut cursor = node.walk();
    node.children(&mut cursor).find(|c| c.kind() == kind)
}

fn children<'t>(node: &Node<'t>, kind: &str) -> Vec<Node<'t>> {
    let mut cursor = node.walk();
    node.children(&mut cursor)
        .filter(|c| c.kind() == kind)
        .collect()
}

fn range(node: &Node) -> Span {
    node.byte_range()
}

fn node_text(what: &str, node: Option<Node>) -> String {
    node.map_or_else(|| format!("no {what}"), |n| span_text(what, &range(&n)))
}

/// The grammar's elements, read from the tree.
fn tree_elements(tree: &Tree) -> Vec<String> {
    let mut out: Vec<(Span, String)> = Vec::new();
    let mut stack = vec![tree.root_node()];
    while let Some(node) = stack.pop() {
        let mut cursor = node.walk();
        stack.extend(node.named_children(&mut cursor));
        let what = match node.kind() {
            "header" => {
                let delimiters = children(&node, "delimiter");
                if delimiters.len() == 2 {
                    out.push((range(&node), "header".into()));
                }
                continue;
            }
            "delimiter" | "malformed_line" | "comment" | "turn" => node.kind().to_string(),
            "entry" => {
                let value = child(&node, "value").map_or_else(
                    || "no value".to_string(),
                    |v| span_text("value", &range(&v)),
                );
                format!("entry {} {value}", node_text("key", child(&node, "key")))
            }
            "heading" => {
                let level = child(&node, "marker").map_or(0, |m| m.byte_range().len());
                format!(
                    "heading {level} {}",
                    node_text("title", child(&node, "title"))
                )
            }
            "label" => match child(&node, "question") {
                None => format!("label {}", node_text("name", child(&node, "name"))),
                Some(q) => {
                    let attribution = match (child(&node, "("), child(&node, "attribution")) {
                        (None, _) => String::new(),
                        (Some(_), None) => " empty attribution".to_string(),
                        (Some(_), a) => format!(" {}", node_text("attribution", a)),
                    };
                    format!("label {}{attribution}", span_text("question", &range(&q)))
                }
            },
            "paragraph" => {
                let place = match node.parent().map(|p| p.kind()) {
                    Some("turn") => "turn",
                    _ => "narration",
                };
                format!("paragraph in {place}")
            }
            "mention" => format!(
                "mention {} {}",
                node_text("surface", child(&node, "surface")),
                node_text("reference", child(&node, "reference"))
            ),
            "note" => match child(&node, "time_code") {
                Some(t) => format!("note {}", span_text("time_code", &range(&t))),
                None => format!("note {}", node_text("text", child(&node, "text"))),
            },
            _ => continue,
        };
        out.push((range(&node), what));
    }
    sorted(out)
}

/// Where the two lists first differ, with the lines around it and the text.
fn difference(text: &str, core: &[String], grammar: &[String]) -> Option<String> {
    if core == grammar {
        return None;
    }
    let i = core
        .iter()
        .zip(grammar)
        .position(|(a, b)| a != b)
        .unwrap_or(core.len().min(grammar.len()));
    let around =
        |list: &[String]| list[i.saturating_sub(2)..(i + 3).min(list.len())].join("\n    ");
    Some(format!(
        "first difference at element {i}\n  core:\n    {}\n  grammar:\n    {}\n  text: {:?}",
        around(core),
        around(grammar),
        text.chars().take(2000).collect::<String>(),
    ))
}

/// What is wrong with the grammar's reading of `text`, if anything.
fn disagreement(parser: &mut Parser, text: &str) -> Option<String> {
    let tree = parse_tree(parser, text);
    let root = tree.root_node();
    if root.has_error() {
        let mut sexp = root.to_sexp();
        sexp.truncate(3000);
        return Some(format!("the tree has an error: {sexp}\n  text: {text:?}"));
    }
    difference(text, &core_elements(text), &tree_elements(&tree))
}

fn assert_agree(parser: &mut Parser, name: &str, text: &str) {
    if let Some(problem) = disagreement(parser, text) {
        panic!("{name}: {problem}");
    }
}

/// Writes a line past the test harness's capture, so that the corpus
/// figures show in the output of `cargo test`.
fn say(line: &str) {
    let _ = writeln!(std::io::stderr().lock(), "{line}");
}

fn files(dir: &Path, extension: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("a folder entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == extension))
        .collect();
    files.sort();
    files
}

#[test]
fn the_examples_agree() {
    let mut parser = parser();
    let examples = files(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("examples"),
        "transcript",
    );
    assert!(examples.len() >= 2, "the examples are there");
    for path in examples {
        let text = std::fs::read_to_string(&path).expect("a readable example");
        assert_agree(&mut parser, &path.display().to_string(), &text);
        // And with CRLF line ends.
        assert_agree(
            &mut parser,
            &path.display().to_string(),
            &text.replace('\n', "\r\n"),
        );
    }
}

/// Every page of a corpus folder, as it is and imported; the number of pages.
fn corpus_agrees(parser: &mut Parser, dir: &Path, extension: &str) -> usize {
    let pages = files(dir, extension);
    let mut failures = Vec::new();
    for path in &pages {
        let raw = std::fs::read_to_string(path).expect("a readable page");
        let imported = import(&raw, &ImportOptions::default()).text;
        for (what, text) in [("raw", &raw), ("imported", &imported)] {
            if let Some(problem) = disagreement(parser, text) {
                failures.push(format!("{} ({what}): {problem}", path.display()));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} pages disagree; the first:\n{}",
        failures.len(),
        pages.len(),
        failures[0]
    );
    pages.len()
}

#[test]
#[cfg_attr(
    shared_absent,
    ignore = "needs ../shared beside the repository (then `touch build.rs`)"
)]
fn the_corpus_and_the_seeds_agree() {
    let mut parser = parser();
    let kremlin = corpus_agrees(&mut parser, &shared::folder("corpus/kremlin"), "txt");
    let whitehouse = corpus_agrees(&mut parser, &shared::folder("corpus/whitehouse"), "md");
    let seeds = corpus_agrees(&mut parser, &shared::folder("seeds"), "txt");
    assert!(
        kremlin > 0 && whitehouse > 0 && seeds > 0,
        "the corpus folders have pages"
    );
    say(&format!(
        "tree-sitter agreement: {kremlin} kremlin, {whitehouse} whitehouse pages and {seeds} seeds, raw and imported"
    ));
}

/// Cases the generator may miss: one document each, with what it exercises.
#[test]
fn edge_cases_agree() {
    let cases = [
        "",
        "\u{feff}---\ntitle: t\n---\nSergey Lavrov: hi",
        "---",
        "---\n",
        "--- \t\r\nkey: v\r\n---\r\n",
        "---\ntitle: t\n\n// c\nSergey Lavrov: not in the header\nmore",
        "---\ntitle: t\nno colon here\n---\n",
        "---\ntitle: t\nBad Key: v\nA: b\n",
        "---\n---x: y\n  --- \n",
        "---\nspeaker: Mr. Smith (host)\nspeaker: UN Secretary-General (via video) (x)\n---\nMr. Smith: yes\n\nUN Secretary-General (via video): hello\n\nMr. Jones: no",
        "---\n speaker : Dr. No\n---\nDr. No: declared with spaces around the key",
        "\n---\ntitle: not a header\n---\n",
        "Sergey Lavrov:\nthe text on the next line\n\nnext",
        "Sergey Lavrov:   \n\nQuestion ():\nQuestion ()):x\nQuestion (a)b):",
        "Question:\rafter a lone carriage return\r",
        "Name: \rx\n",
        "\\\n\\Note: escaped\n\\\\[x]",
        "# \n#\n##\tTwo\n#######\n#x\n#\r\n# Title \r",
        "  // indented comment\nText\n// comment ends the paragraph\nmore",
        "a [b]{c} [ ]{x} []{x} [x]{ } [x]{ [y] [z [w]{v [\\]]{r} \\[s\\] \\x",
        "[a]{ x [b]{c [d] [e]{f\n[g]{h}",
        "---\nmalformed\n\nBad Key: v\nmalformed\n---\nbody",
        "[ 00:14:20 ] [5:30] [125:00] [1:2] [12:60] [1:05:30] [100:00:00]",
        "Jean-Claude O’Brien: x\n\nStaffan de Mistura: y\n\nde Gaulle: z\n\nA B C D E F G: w",
        "𝔸lice: astral\n\n\u{a0}Lead: nbsp\n\nTime:12 no\n\nIn 2016: no",
        "Text\u{2028}more: x\u{85}\n\u{3000}\n",
    ];
    let mut parser = parser();
    for text in cases {
        assert_agree(&mut parser, &format!("{text:?}"), text);
    }
}

/// Editors may hold text that is not UTF-8: the grammar still reads it
/// without an error (the core only reads UTF-8).
#[test]
fn bytes_that_are_not_utf8_parse_without_error() {
    let mut parser = parser();
    for text in [
        &b"---\ntitle: \xff\n---\n\xfe: x\n\nSergey Lavrov: [a\xff]{b\xc3} [\xe2\x80]\n"[..],
        b"\xff\xff\n# \xc3\n\\\xff",
        b"Question (\xff): \x80",
    ] {
        let tree = parser.parse(text, None).expect("a parse");
        assert!(
            !tree.root_node().has_error(),
            "{text:?}: {}",
            tree.root_node().to_sexp()
        );
    }
}

/// Pieces of format-like text: labels, headings, comments, header lines,
/// mentions, notes, escapes, brackets, typography and astral characters.
#[rustfmt::skip]
const LINE_STARTS: &[&str] = &[
    "", "", "", "", "Sergey Lavrov: ", "Sergey Lavrov:", "Question: ", "Question (RIA Novosti): ",
    "Question ():", "Question (a)b):", "Question (", "Mr. Smith: ", "Dr. No:",
    "UN Secretary-General (via video): ", "Jean-Claude O’Brien:", "Staffan de Mistura:\t",
    "Maria della Rossi: ", "Ibn al Haytham: ", "Anna di: ", "Leonardo di Caprio: ", "In 2016: ",
    "Time:12 ", "𝔸lice: ", "Élise Ω: ", "de Gaulle: ", "Questioner: ", "A B C D E F: ",
    "A B C D E F G: ", "\\", "\\Note: ", "# ", "## Title", "###### Six", "#######", "#x", "#",
    "// note", "  //x", "/x: ", "---", "--- ", "  ", "\u{a0}", "\t", "title: x",
    " date : 2017-06-16", "speaker: Mr. Smith (host)", "speaker: Dr. No", "speaker: Sergey Lavrov",
    "Bad Key: v", "x-empty:", "---x: y", ": v",
];

#[rustfmt::skip]
const PIECES: &[&str] = &[
    "word", "word", "Word", " ", " ", "a b", "[Mr Kerry]{kerry}", "[ a ]{ b }", "[applause]",
    "[00:14:20]", "[ 5:30 ]", "[1:2]", "[12:60]", "[1:05:30]", "[125:00]", "[1:60:00]", "[]",
    "[ ]", "[]{x}", "[x]{ }", "[x]{", "[", "]", "{", "}", "]{", "\\[", "\\]", "\\", "’", "“", "”",
    "–", "\u{a0}", "😀", "𝔸", "7", ":", ": ", "\r", "\t", "(", ")", "#", "//", "-", ".", "\0",
    "\u{feff}", "\u{85}", "\u{2028}",
];

const LINE_ENDS: &[&str] = &["\n", "\n", "\n", "\r\n", "\r\n", "\r"];

fn line() -> impl Strategy<Value = String> {
    (
        prop::sample::select(LINE_STARTS),
        prop::collection::vec(prop::sample::select(PIECES), 0..7),
        prop::sample::select(LINE_ENDS),
    )
        .prop_map(|(start, pieces, end)| format!("{start}{}{end}", pieces.concat()))
}

fn document() -> impl Strategy<Value = String> {
    (
        prop::option::of(prop::collection::vec(line(), 0..5)),
        prop::sample::select(&["---\n", "---\r\n", "--- \n", ""][..]),
        prop::collection::vec(line(), 0..12),
        any::<bool>(),
    )
        .prop_map(|(header, close, body, trailing_end)| {
            let mut text = String::new();
            if let Some(lines) = header {
                text.push_str("---\n");
                text.push_str(&lines.concat());
                text.push_str(close);
            }
            text.push_str(&body.concat());
            if !trailing_end {
                while text.ends_with(['\n', '\r']) {
                    text.pop();
                }
            }
            text
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 4000, ..ProptestConfig::default() })]

    #[test]
    fn random_documents_agree(text in document()) {
        let mut parser = parser();
        if let Some(problem) = disagreement(&mut parser, &text) {
            prop_assert!(false, "{}", problem);
        }
    }
}

/// The edit that turns `old` into `new` (their common prefix and suffix kept).
fn edit(old: &str, new: &str) -> InputEdit {
    let prefix = old
        .char_indices()
        .zip(new.chars())
        .find(|((_, a), b)| a != b)
        .map_or(old.len().min(new.len()), |((i, _), _)| i);
    let suffix = old[prefix..]
        .chars()
        .rev()
        .zip(new[prefix..].chars().rev())
        .take_while(|(a, b)| a == b)
        .map(|(a, _)| a.len_utf8())
        .sum::<usize>();
    let point = |text: &str, at: usize| {
        let row = text[..at].matches('\n').count();
        let column = at - text[..at].rfind('\n').map_or(0, |i| i + 1);
        Point { row, column }
    };
    let (old_end, new_end) = (old.len() - suffix, new.len() - suffix);
    InputEdit {
        start_byte: prefix,
        old_end_byte: old_end,
        new_end_byte: new_end,
        start_position: point(old, prefix),
        old_end_position: point(old, old_end),
        new_end_position: point(new, new_end),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, ..ProptestConfig::default() })]

    /// Editors reparse after each change, reusing the old tree: the result
    /// must be the tree of a fresh parse (and so agree with the core).
    #[test]
    fn a_reparse_after_an_edit_is_a_fresh_parse(
        old in document(),
        at in any::<prop::sample::Index>(),
        removed in 0usize..12,
        inserted in prop::collection::vec(line(), 0..2),
    ) {
        let mut parser = parser();
        let mut tree = parse_tree(&mut parser, &old);
        let chars: Vec<usize> = old.char_indices().map(|(i, _)| i).chain([old.len()]).collect();
        let start = chars[at.index(chars.len())];
        let end = chars[(at.index(chars.len()) + removed).min(chars.len() - 1)];
        let new = format!("{}{}{}", &old[..start], inserted.concat(), &old[end..]);
        tree.edit(&edit(&old, &new));
        let reparsed = parser.parse(&new, Some(&tree)).expect("a reparse");
        let fresh = parse_tree(&mut parser, &new);
        prop_assert_eq!(reparsed.root_node().to_sexp(), fresh.root_node().to_sexp(), "{:?} -> {:?}", old, new);
        prop_assert_eq!(tree_elements(&reparsed), tree_elements(&fresh));
    }
}

/// The node names the queries, the editors and users rely on.
#[test]
fn the_node_types_have_their_stable_names() {
    let types: serde_json::Value =
        serde_json::from_str(tree_sitter_transcript::NODE_TYPES).expect("node-types.json");
    let named: Vec<&str> = types
        .as_array()
        .expect("a list of node types")
        .iter()
        .filter(|t| t["named"] == true)
        .filter_map(|t| t["type"].as_str())
        .collect();
    for name in [
        "document",
        "header",
        "delimiter",
        "entry",
        "key",
        "value",
        "malformed_line",
        "heading",
        "marker",
        "title",
        "turn",
        "label",
        "name",
        "question",
        "attribution",
        "paragraph",
        "mention",
        "surface",
        "reference",
        "note",
        "text",
        "time_code",
        "comment",
        "escape",
    ] {
        assert!(named.contains(&name), "no node type {name} in {named:?}");
    }
}

/// The queries shipped with the grammar are valid for it.
#[test]
fn the_queries_compile() {
    let language = tree_sitter_transcript::LANGUAGE.into();
    for (name, source) in [
        ("highlights", tree_sitter_transcript::HIGHLIGHTS_QUERY),
        ("folds", tree_sitter_transcript::FOLDS_QUERY),
    ] {
        if let Err(e) = tree_sitter::Query::new(&language, source) {
            panic!("queries/{name}.scm: {e}");
        }
    }
}

/// Lines that would make a careless scanner quadratic parse in linear time:
/// `[x]{` after `[x]{` with no `}`, `[` after `[`, a header of thousands of
/// malformed lines, one long paragraph.
#[test]
fn long_pathological_lines_parse_quickly() {
    let texts = [
        format!("x {}\n", "[a]{".repeat(20_000)),
        format!("x {}\n", "[a".repeat(20_000)),
        format!("---\n{}---\nx\n", "malformed\n".repeat(20_000)),
        format!("---\n{}Not a header line\n", "key: value\n".repeat(20_000)),
        format!("Sergey Lavrov: {}\n", "word ".repeat(100_000)),
    ];
    let mut parser = parser();
    for text in &texts {
        let start = std::time::Instant::now();
        let tree = parse_tree(&mut parser, text);
        let elapsed = start.elapsed();
        assert!(!tree.root_node().has_error());
        // Linear: tens of milliseconds; quadratic: tens of seconds.
        assert!(
            elapsed < std::time::Duration::from_secs(5),
            "{} bytes took {elapsed:?}",
            text.len()
        );
    }
}

/// The scanner's character tables (`src/unicode.h`), generated from Rust's
/// `char` methods, which the core uses: both must classify every character
/// alike (white space for trimming, letters and digits for the name heuristic).
#[test]
fn unicode_tables_are_rusts() {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("editors/tree-sitter-transcript/src/unicode.h");
    let expected = unicode_header();
    if std::env::var_os("UPDATE_UNICODE_TABLES").is_some() {
        std::fs::write(&path, &expected).expect("unicode.h written");
    }
    let actual = std::fs::read_to_string(&path).expect("unicode.h");
    assert!(
        actual == expected,
        "{} is not generated from this Rust's Unicode tables: write it again with \
         UPDATE_UNICODE_TABLES=1 cargo test --test tree_sitter unicode, then regenerate nothing else",
        path.display()
    );
}

fn ranges(predicate: fn(char) -> bool) -> Vec<(u32, u32)> {
    let mut out: Vec<(u32, u32)> = Vec::new();
    for c in (0..=0x10FFFF_u32)
        .filter_map(char::from_u32)
        .filter(|&c| predicate(c))
    {
        let c = c as u32;
        match out.last_mut() {
            Some((_, hi)) if *hi + 1 == c => *hi = c,
            _ => out.push((c, c)),
        }
    }
    out
}

type CharClass = fn(char) -> bool;

fn unicode_header() -> String {
    let (major, minor, update) = char::UNICODE_VERSION;
    let mut out = format!(
        "// Generated from Rust's `char` (Unicode {major}.{minor}.{update}) by the test\n\
         // `unicode_tables_are_rusts` in tests/tree_sitter.rs: do not edit. To write it\n\
         // again: UPDATE_UNICODE_TABLES=1 cargo test --test tree_sitter unicode\n\n\
         #ifndef TREE_SITTER_TRANSCRIPT_UNICODE_H_\n#define TREE_SITTER_TRANSCRIPT_UNICODE_H_\n\n\
         #include <stdint.h>\n\ntypedef struct {{\n  uint32_t lo;\n  uint32_t hi;\n}} UnicodeRange;\n"
    );
    // Each table: its name in C, the `char` method, the method.
    let tables: [(&str, &str, CharClass); 4] = [
        ("WHITE_SPACE", "is_whitespace", char::is_whitespace),
        ("NUMERIC", "is_numeric", char::is_numeric),
        ("UPPERCASE", "is_uppercase", char::is_uppercase),
        ("ALPHABETIC", "is_alphabetic", char::is_alphabetic),
    ];
    for (name, method, predicate) in tables {
        out.push_str(&format!(
            "\n// char::{method}\nstatic const UnicodeRange {name}[] = {{\n"
        ));
        for chunk in ranges(predicate).chunks(4) {
            let line: Vec<String> = chunk
                .iter()
                .map(|(lo, hi)| format!("{{0x{lo:x}, 0x{hi:x}}}"))
                .collect();
            out.push_str(&format!("  {},\n", line.join(", ")));
        }
        out.push_str("};\n");
    }
    out.push_str("\n#endif // TREE_SITTER_TRANSCRIPT_UNICODE_H_\n");
    out
}
