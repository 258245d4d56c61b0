//! The language server end to end, driven over stdio as an editor drives it:
//! outline, hover, diagnostics, incremental edits in UTF-16 and UTF-8,
//! registry changes on disk, random edit sequences, and robustness.
//!
//! Expected positions are computed here from the text (see `common`), not
//! taken from the server's own conversion code.

mod common;

use std::path::{Path, PathBuf};

use common::*;
use serde_json::{Value, json};

const BIN: &str = env!("CARGO_BIN_EXE_transcript-ls");
const REPO: &str = env!("CARGO_MANIFEST_DIR");

// LSP symbol kinds.
const MODULE: u64 = 2;
const NAMESPACE: u64 = 3;
const STRING: u64 = 15;
const EVENT: u64 = 24;

/// A server, initialized as an editor would (hierarchical symbols, watchers).
fn start() -> Server {
    let mut server = Server::spawn(BIN);
    server.initialize(editor_capabilities());
    server
}

fn vientiane() -> (PathBuf, String) {
    let path = Path::new(REPO).join("examples/vientiane-2016.transcript");
    let text = std::fs::read_to_string(&path).expect("the example is readable");
    (path, text)
}

fn codes(diagnostics: &[Value]) -> Vec<String> {
    diagnostics
        .iter()
        .map(|d| d["code"].as_str().unwrap_or("<no code>").to_string())
        .collect()
}

fn markdown(hover: &Value) -> String {
    assert_eq!(
        hover["contents"]["kind"], "markdown",
        "hover contents are Markdown: {hover:#}"
    );
    hover["contents"]["value"]
        .as_str()
        .unwrap_or_else(|| panic!("hover without a value: {hover:#}"))
        .to_string()
}

fn assert_contains(haystack: &str, needle: &str) {
    assert!(
        haystack.contains(needle),
        "expected to find {needle:?}\n  in: {haystack:?}"
    );
}

// ---------------------------------------------------------------------------
// Outline

/// One symbol of the expected outline, in pre-order.
struct ExpectedSymbol {
    name: String,
    detail: Option<String>,
    kind: u64,
    range: Value,
    selection: Value,
    container: Option<String>,
    children: usize,
}

/// The outline of the Vientiane example, computed from its text.
fn expected_vientiane_outline(text: &str) -> Vec<ExpectedSymbol> {
    let enc = Enc::Utf16;
    let end_of = |needle: &str| find(text, needle).end;
    let title = text
        .lines()
        .find_map(|l| l.strip_prefix("title: "))
        .expect("a title")
        .to_string();
    let header_end = find_nth(text, "---", 1).end;
    let opening = find(text, "# Opening remarks");
    let opening_end = end_of("Now let’s proceed with the questions.");
    let qa = find(text, "# Questions and answers");
    let last_end = end_of("We have raised the issue with our Thai colleagues.");
    let q1 = find(text, "Question: What was the outcome").start;
    let a1 = find(text, "Sergey Lavrov: Secretary of State John Kerry").start;
    let q1_end = end_of("without any preconditions let alone ultimatums.");
    let q2 = find(text, "Question: Was the detention").start;
    let a2 = find(text, "Sergey Lavrov: This is not a subject").start;
    let q1_name = "Q1 · What was the outcome of your talks with US Secretary of…";
    let q2_name = "Q2 · Was the detention of Russian national Dmitry Ukrainsky at…";
    let sym = |name: &str,
               detail: Option<String>,
               kind: u64,
               span: std::ops::Range<usize>,
               selection: std::ops::Range<usize>,
               container: Option<&str>,
               children: usize| ExpectedSymbol {
        name: name.to_string(),
        detail,
        kind,
        range: range(text, span, enc),
        selection: range(text, selection, enc),
        container: container.map(str::to_string),
        children,
    };
    let label = |at: usize, len: usize| at..at + len;
    vec![
        sym(
            "metadata",
            Some(title),
            NAMESPACE,
            0..header_end,
            0..3,
            None,
            0,
        ),
        sym(
            "Opening remarks",
            None,
            MODULE,
            opening.start..opening_end,
            opening.start + 2..opening.end,
            None,
            0,
        ),
        sym(
            "Questions and answers",
            None,
            MODULE,
            qa.start..last_end,
            qa.start + 2..qa.end,
            None,
            2,
        ),
        sym(
            q1_name,
            None,
            EVENT,
            q1..q1_end,
            label(q1, "Question".len()),
            Some("Questions and answers"),
            1,
        ),
        sym(
            "Sergey Lavrov",
            None,
            STRING,
            a1..q1_end,
            label(a1, "Sergey Lavrov".len()),
            Some(q1_name),
            0,
        ),
        sym(
            q2_name,
            None,
            EVENT,
            q2..last_end,
            label(q2, "Question".len()),
            Some("Questions and answers"),
            1,
        ),
        sym(
            "Sergey Lavrov",
            None,
            STRING,
            a2..last_end,
            label(a2, "Sergey Lavrov".len()),
            Some(q2_name),
            0,
        ),
    ]
}

fn pos_key(p: &Value) -> (u64, u64) {
    (
        p["line"].as_u64().expect("a line"),
        p["character"].as_u64().expect("a character"),
    )
}

fn range_contains(outer: &Value, inner: &Value) -> bool {
    pos_key(&outer["start"]) <= pos_key(&inner["start"])
        && pos_key(&inner["end"]) <= pos_key(&outer["end"])
        && pos_key(&inner["start"]) <= pos_key(&inner["end"])
}

/// The symbols of a tree in pre-order, each with its parent's range.
fn preorder<'a>(
    symbols: &'a Value,
    parent: Option<&'a Value>,
    out: &mut Vec<(&'a Value, Option<&'a Value>)>,
) {
    for s in symbols.as_array().expect("an array of symbols") {
        out.push((s, parent));
        if let Some(children) = s.get("children") {
            preorder(children, Some(&s["range"]), out);
        }
    }
}

#[test]
fn outline_of_vientiane_as_a_tree() {
    let (path, text) = vientiane();
    let uri = file_uri(&path);
    let mut server = start();
    server.did_open(&uri, 1, &text);
    let diagnostics = server.diagnostics_for_version(&uri, 1);
    assert_eq!(diagnostics, Vec::<Value>::new(), "the example is clean");
    // The registry beside it was found; its (absent) problems are published on its URI.
    let registry = file_uri(&path.with_file_name("transcripts.json"));
    let published = server.wait_for_diagnostics(&registry, |_| true);
    assert_eq!(published["diagnostics"], json!([]), "{published:#}");

    let symbols = server.document_symbols(&uri);
    insta::assert_json_snapshot!("outline_vientiane", symbols);

    let mut actual = Vec::new();
    preorder(&symbols, None, &mut actual);
    let expected = expected_vientiane_outline(&text);
    let names: Vec<&str> = actual
        .iter()
        .map(|(s, _)| s["name"].as_str().unwrap())
        .collect();
    let expected_names: Vec<&str> = expected.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(names, expected_names, "the symbols in pre-order");
    for ((got, parent), want) in actual.iter().zip(&expected) {
        let name = &want.name;
        let detail = got.get("detail").filter(|d| !d.is_null());
        assert_eq!(
            detail.and_then(Value::as_str),
            want.detail.as_deref(),
            "detail of {name}"
        );
        assert_eq!(got["kind"], want.kind, "kind of {name}");
        assert_eq!(got["range"], want.range, "range of {name}");
        assert_eq!(
            got["selectionRange"], want.selection,
            "selection range of {name}"
        );
        let children = got
            .get("children")
            .and_then(Value::as_array)
            .map_or(0, Vec::len);
        assert_eq!(children, want.children, "number of children of {name}");
        assert!(
            range_contains(&got["range"], &got["selectionRange"]),
            "the selection range of {name} lies inside its range: {got:#}"
        );
        if let Some(parent) = parent {
            assert!(
                range_contains(parent, &got["range"]),
                "{name} lies inside its parent {parent}: {got:#}"
            );
        }
    }
    server.shutdown_and_exit();
}

#[test]
fn outline_is_flat_without_hierarchical_support() {
    let (path, text) = vientiane();
    let uri = file_uri(&path);
    let mut server = Server::spawn(BIN);
    server.initialize(json!({"textDocument": {"documentSymbol": {}}}));
    server.did_open(&uri, 1, &text);
    let symbols = server.document_symbols(&uri);
    let flat = symbols.as_array().expect("an array");
    let expected = expected_vientiane_outline(&text);
    assert_eq!(
        flat.len(),
        expected.len(),
        "one entry per symbol: {symbols:#}"
    );
    for (got, want) in flat.iter().zip(&expected) {
        let name = &want.name;
        assert_eq!(got["name"], json!(name), "name, in pre-order");
        assert_eq!(got["kind"], want.kind, "kind of {name}");
        assert!(
            got.get("children").is_none(),
            "a flat symbol has no children: {got:#}"
        );
        assert_eq!(got["location"]["uri"], json!(uri), "uri of {name}");
        assert_eq!(got["location"]["range"], want.range, "range of {name}");
        let container = got.get("containerName").filter(|c| !c.is_null());
        assert_eq!(
            container.and_then(Value::as_str),
            want.container.as_deref(),
            "containerName of {name}"
        );
    }
    server.shutdown_and_exit();
}

#[test]
fn outline_question_detail_is_its_attribution() {
    let dir = TempDir::new("attribution");
    dir.write("transcripts.json", "{}\n");
    let text = "---\ntitle: T\ndate: 2016-07-26\n---\n\nQuestion (RIA Novosti): Is it? Yes.\n\nSergey Lavrov: It is.\n\nQuestion:\n\nSergey Lavrov: Nothing to add.\n";
    let uri = dir.uri("a.transcript");
    let mut server = start();
    server.did_open(&uri, 1, text);
    let symbols = server.document_symbols(&uri);
    let q1 = &symbols[1];
    assert_eq!(q1["name"], "Q1 · Is it? Yes.", "{symbols:#}");
    assert_eq!(q1["detail"], "RIA Novosti", "{symbols:#}");
    let label = find(text, "Question (RIA Novosti)");
    assert_eq!(
        q1["selectionRange"],
        range(text, label, Enc::Utf16),
        "the selection is the whole label, attribution included"
    );
    let q2 = &symbols[2];
    assert_eq!(q2["name"], "Q2", "a question without text: {symbols:#}");
    assert!(q2.get("detail").is_none_or(Value::is_null), "{symbols:#}");
    server.shutdown_and_exit();
}

// ---------------------------------------------------------------------------
// Hover

/// Turns and words of `speaker` in a transcript, counted independently: a
/// turn runs from its label to the next label or heading; comments and notes
/// are not text; a mention counts as its surface.
fn speaker_stats(text: &str, speaker: &str) -> (usize, usize) {
    let mention = regex::Regex::new(r"\[([^\]]*)\]\{[^}]*\}").unwrap();
    let note = regex::Regex::new(r"\[[^\]]*\]").unwrap();
    let label = regex::Regex::new(r"^[A-Z][\w’' ()-]*: ").unwrap();
    let body = &text[find_nth(text, "---", 1).end..];
    let prefix = format!("{speaker}: ");
    let (mut turns, mut words, mut inside) = (0, 0, false);
    for line in body.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("//") {
            continue;
        }
        if trimmed.starts_with('#') {
            inside = false;
            continue;
        }
        let content = if let Some(rest) = line.strip_prefix(&prefix) {
            turns += 1;
            inside = true;
            rest
        } else if label.is_match(line) {
            inside = false;
            continue;
        } else if inside {
            line
        } else {
            continue;
        };
        let plain = mention.replace_all(content, "$1");
        let plain = note.replace_all(&plain, " ");
        words += plain
            .split_whitespace()
            .filter(|w| w.chars().any(char::is_alphanumeric))
            .count();
    }
    (turns, words)
}

fn times(n: usize) -> String {
    match n {
        1 => "once".to_string(),
        2 => "twice".to_string(),
        n => format!("{n} times"),
    }
}

#[test]
fn hover_on_vientiane() {
    let (path, text) = vientiane();
    let uri = file_uri(&path);
    let registry: Value = serde_json::from_str(
        &std::fs::read_to_string(path.with_file_name("transcripts.json")).unwrap(),
    )
    .unwrap();
    let enc = Enc::Utf16;
    let mut server = start();
    server.did_open(&uri, 1, &text);
    let at = |offset: usize| line_col(&text, offset, enc);

    // A registry entity: name, type, description, aliases, mention count.
    let mention = find(&text, "[John Kerry]{kerry}");
    let kerry = &registry["entities"]["kerry"];
    let count = text.matches("]{kerry}").count();
    for offset in [mention.start, mention.start + 6, mention.end - 3] {
        let (line, col) = at(offset);
        let hover = server.hover(&uri, line, col);
        let md = markdown(&hover);
        assert_contains(&md, &format!("**{}**", kerry["name"].as_str().unwrap()));
        assert_contains(&md, kerry["type"].as_str().unwrap());
        assert_contains(&md, kerry["description"].as_str().unwrap());
        let aliases: Vec<&str> = kerry["aliases"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a.as_str().unwrap())
            .collect();
        assert_contains(&md, &aliases.join(", "));
        assert_contains(&md, &format!("Mentioned {} in this file.", times(count)));
        assert_eq!(
            hover["range"],
            range(&text, mention.clone(), enc),
            "the mention's range"
        );
    }
    // The end of the mention is just past it: no hover there.
    let (line, col) = at(mention.end);
    assert_eq!(
        server.hover(&uri, line, col),
        Value::Null,
        "just past the mention"
    );

    // An ad-hoc mention: type and count.
    let vientiane = find(&text, "[Vientiane]{place}");
    let (line, col) = at(vientiane.start + 1);
    let hover = server.hover(&uri, line, col);
    let md = markdown(&hover);
    assert_contains(&md, "**Vientiane**");
    assert_contains(&md, "place");
    assert_contains(&md, "ad-hoc");
    assert_contains(
        &md,
        &format!(
            "Mentioned {} in this file.",
            times(text.matches("[Vientiane]{place}").count())
        ),
    );
    assert_eq!(hover["range"], range(&text, vientiane, enc));

    // A speaker label: role from the header, turns and words counted here.
    let (turns, words) = speaker_stats(&text, "Sergey Lavrov");
    assert_eq!(turns, 3, "the example has three turns of Sergey Lavrov");
    let label = find(&text, "Sergey Lavrov: This is not a subject").start;
    let name = label..label + "Sergey Lavrov".len();
    for offset in [name.start, name.start + 7, name.end - 1] {
        let (line, col) = at(offset);
        let hover = server.hover(&uri, line, col);
        let md = markdown(&hover);
        assert_contains(&md, "**Sergey Lavrov**");
        assert_contains(&md, "Minister of Foreign Affairs of the Russian Federation");
        assert_contains(
            &md,
            &format!("{turns} turns and {words} words in this file."),
        );
        assert_eq!(
            hover["range"],
            range(&text, name.clone(), enc),
            "the label's name"
        );
    }

    // The header key `date`: meaning and form.
    let key = find(&text, "date:");
    let key = key.start..key.start + 4;
    let spec = transcript_ls::analysis::keys::spec("date").expect("date is a standard key");
    let (line, col) = at(key.start + 2);
    let hover = server.hover(&uri, line, col);
    let md = markdown(&hover);
    assert_contains(&md, "**date**");
    assert_contains(&md, spec.meaning);
    assert_contains(&md, spec.form);
    assert_contains(&md, "Required.");
    assert_eq!(hover["range"], range(&text, key, enc));

    // The date value: its long form.
    let value = find(&text, "2016-07-26");
    let (line, col) = at(value.start + 5);
    let hover = server.hover(&uri, line, col);
    assert_eq!(markdown(&hover), "**Tuesday, 26 July 2016**");
    assert_eq!(hover["range"], range(&text, value, enc));

    // Plain text, a question label, a heading, a blank line, a comment: nothing.
    for (needle, delta) in [
        ("These days, the capital", 2),
        ("Question: Was", 2),
        ("# Opening", 2),
        ("\n\n# Questions", 1),
        ("// The site", 2),
        ("---\ntitle", 1),
    ] {
        let (line, col) = at(find(&text, needle).start + delta);
        let hover = server.hover(&uri, line, col);
        assert_eq!(hover, Value::Null, "no hover on {needle:?} ({line}:{col})");
    }
    server.shutdown_and_exit();
}

// ---------------------------------------------------------------------------
// Diagnostics

const BROKEN: &str = "---\ntitle: First\ndate: 2016-02-30\ntitel: typo\ntitle: Second\n---\n\nQuestion: Where were you?\n\nQuestion: And now?\n\nSergey Lavrov: See [the man]{nobody} and [oops.\n\nSergey Lavrov:\n";

fn severity_of(code: &str) -> u64 {
    match code {
        "unknown-key" | "question-without-answer" | "empty-turn" => 2,
        _ => 1,
    }
}

#[test]
fn diagnostics_on_open_of_a_broken_document() {
    let dir = TempDir::new("broken");
    dir.write("transcripts.json", "{}\n");
    let uri = dir.uri("broken.transcript");
    let text = BROKEN;
    let enc = Enc::Utf16;
    let mut server = start();
    server.did_open(&uri, 7, text);
    let params = server.wait_for_diagnostics(&uri, |_| true);
    assert_eq!(
        params["version"], 7,
        "the version of the document: {params:#}"
    );
    let diagnostics = params["diagnostics"].as_array().unwrap().clone();
    assert_eq!(
        codes(&diagnostics),
        [
            "invalid-date",
            "unknown-key",
            "duplicate-key",
            "question-without-answer",
            "unknown-entity",
            "unclosed-mention",
            "empty-turn"
        ],
        "codes in document order; got {diagnostics:#?}"
    );
    for d in &diagnostics {
        let code = d["code"].as_str().unwrap();
        assert_eq!(d["source"], "transcript-ls", "{d:#}");
        let href = d["codeDescription"]["href"]
            .as_str()
            .unwrap_or_else(|| panic!("no href: {d:#}"));
        assert!(
            href.starts_with("https://") && href.ends_with(&format!("#{code}")),
            "href {href:?} should end with #{code}"
        );
        assert_eq!(d["severity"], severity_of(code), "severity of {code}");
        assert!(
            !d["message"].as_str().unwrap_or("").is_empty(),
            "a message: {d:#}"
        );
    }
    let by_code = |code: &str| {
        diagnostics
            .iter()
            .find(|d| d["code"] == code)
            .unwrap_or_else(|| panic!("no {code}"))
            .clone()
    };
    assert_eq!(
        by_code("invalid-date")["range"],
        range(text, find(text, "2016-02-30"), enc)
    );
    assert_eq!(
        by_code("unknown-key")["range"],
        range(text, find(text, "titel"), enc)
    );
    let duplicate = by_code("duplicate-key");
    let first = find_nth(text, "title", 0);
    let second = find_nth(text, "title", 1);
    assert_eq!(
        duplicate["range"],
        range(text, second, enc),
        "on the second `title`"
    );
    let related = duplicate["relatedInformation"]
        .as_array()
        .unwrap_or_else(|| panic!("relatedInformation on duplicate-key: {duplicate:#}"));
    assert_eq!(related.len(), 1, "{duplicate:#}");
    assert_eq!(related[0]["location"]["uri"], json!(uri));
    assert_eq!(
        related[0]["location"]["range"],
        range(text, first, enc),
        "related information points at the first `title`"
    );
    assert!(!related[0]["message"].as_str().unwrap_or("").is_empty());
    let question = find(text, "Question: Where").start;
    assert_eq!(
        by_code("question-without-answer")["range"],
        range(text, question..question + "Question".len(), enc)
    );
    assert_eq!(
        by_code("unknown-entity")["range"],
        range(text, find(text, "nobody"), enc)
    );
    let unclosed = by_code("unclosed-mention");
    let bracket = find(text, "[oops").start;
    assert_eq!(
        unclosed["range"]["start"],
        position(text, bracket, enc),
        "unclosed-mention starts at its `[`: {unclosed:#}"
    );
    let empty = find(text, "Sergey Lavrov:\n").start;
    assert_eq!(
        by_code("empty-turn")["range"],
        range(text, empty..empty + "Sergey Lavrov".len(), enc)
    );
    server.shutdown_and_exit();
}

const SMALL: &str = "---\ntitle: Small\ndate: 2016-07-26\n---\n\nSergey Lavrov: Good afternoon, [Vientiane]{place}.\n";

#[test]
fn incremental_edits_break_and_fix_the_date() {
    let dir = TempDir::new("date");
    dir.write("transcripts.json", "{}\n");
    let uri = dir.uri("small.transcript");
    let mut server = start();
    server.did_open(&uri, 1, SMALL);
    assert_eq!(server.diagnostics_for_version(&uri, 1), Vec::<Value>::new());

    // `26` -> `32`: the date is line 2, columns 14..16.
    let day = find(SMALL, "26");
    assert_eq!(line_col(SMALL, day.start, Enc::Utf16), (2, 14));
    server.did_change(
        &uri,
        2,
        vec![json!({"range": range(SMALL, day.clone(), Enc::Utf16), "text": "32"})],
    );
    let broken = SMALL.replace("2016-07-26", "2016-07-32");
    let diagnostics = server.diagnostics_for_version(&uri, 2);
    assert_eq!(codes(&diagnostics), ["invalid-date"], "{diagnostics:#?}");
    assert_eq!(
        diagnostics[0]["range"],
        range(&broken, find(&broken, "2016-07-32"), Enc::Utf16)
    );

    // `32` -> `31`: fixed, published with no diagnostics for the next version.
    server.did_change(
        &uri,
        3,
        vec![json!({"range": range(&broken, day, Enc::Utf16), "text": "31"})],
    );
    assert_eq!(server.diagnostics_for_version(&uri, 3), Vec::<Value>::new());
    let hover = server.hover(&uri, 2, 8);
    assert_eq!(markdown(&hover), "**Sunday, 31 July 2016**");
    server.shutdown_and_exit();
}

// ---------------------------------------------------------------------------
// Position encodings

const WIDE: &str = "---\ntitle: Encodings\ndate: 2016-07-26\n---\n\nSergey Lavrov: It’s “quoted” 😀 — see [Kerry]{kery} and [Laos]{place} 😀.\n";

fn check_encoding(enc: Enc) {
    let dir = TempDir::new("encoding");
    dir.write("transcripts.json", "{}\n");
    let uri = dir.uri("wide.transcript");
    let mut server = Server::spawn(BIN);
    let mut caps = editor_capabilities();
    if enc == Enc::Utf8 {
        caps["general"] = json!({"positionEncodings": ["utf-8", "utf-16"]});
    }
    let init = server.initialize(caps);
    let negotiated = &init["capabilities"]["positionEncoding"];
    match enc {
        Enc::Utf8 => assert_eq!(negotiated, "utf-8", "{init:#}"),
        Enc::Utf16 => assert!(
            negotiated.is_null() || negotiated == "utf-16",
            "the default encoding: {init:#}"
        ),
    }
    let text = WIDE;
    server.did_open(&uri, 1, text);

    // The unknown entity after ’ “ ” and 😀.
    let diagnostics = server.diagnostics_for_version(&uri, 1);
    assert_eq!(codes(&diagnostics), ["unknown-entity"], "{diagnostics:#?}");
    let kery = find(text, "kery");
    assert_eq!(
        diagnostics[0]["range"],
        range(text, kery.clone(), enc),
        "{enc:?}"
    );

    // A hovered mention after them.
    let laos = find(text, "[Laos]{place}");
    let (line, col) = line_col(text, laos.start + 2, enc);
    let hover = server.hover(&uri, line, col);
    assert_contains(&markdown(&hover), "**Laos** · place");
    assert_eq!(hover["range"], range(text, laos, enc), "{enc:?}");

    // Inside the 😀 (between its surrogates, or inside its UTF-8 bytes): plain text.
    let smile = find_nth(text, "😀", 0);
    let (line, col) = line_col(text, smile.start, enc);
    assert_eq!(server.hover(&uri, line, col + 1), Value::Null);

    // An edit whose range is given in this encoding, after those characters.
    server.did_change(
        &uri,
        2,
        vec![json!({"range": range(text, kery.clone(), enc), "text": "person"})],
    );
    let text2 = text.replace("{kery}", "{person}");
    assert_eq!(
        server.diagnostics_for_version(&uri, 2),
        Vec::<Value>::new(),
        "{enc:?}"
    );
    let kerry = find(&text2, "[Kerry]{person}");
    let (line, col) = line_col(&text2, kerry.start + 1, enc);
    let hover = server.hover(&uri, line, col);
    assert_contains(&markdown(&hover), "**Kerry** · person");
    assert_eq!(hover["range"], range(&text2, kerry, enc), "{enc:?}");

    // An insertion just after the second 😀.
    let at = find_nth(&text2, "😀", 1).end;
    let inserted = " [Vientiane]{plac}";
    server.did_change(
        &uri,
        3,
        vec![json!({"range": range(&text2, at..at, enc), "text": inserted})],
    );
    let mut text3 = text2.clone();
    text3.insert_str(at, inserted);
    let diagnostics = server.diagnostics_for_version(&uri, 3);
    assert_eq!(codes(&diagnostics), ["unknown-entity"], "{diagnostics:#?}");
    assert_eq!(
        diagnostics[0]["range"],
        range(
            &text3,
            find(&text3, "plac}").start..find(&text3, "plac}").start + 4,
            enc
        )
    );
    server.shutdown_and_exit();
}

#[test]
fn ranges_and_edits_in_utf16() {
    check_encoding(Enc::Utf16);
}

#[test]
fn ranges_and_edits_in_utf8() {
    check_encoding(Enc::Utf8);
}

const CRLF: &str = "---\r\ntitle: CRLF\r\ndate: 2016-07-26\r\n---\r\n\r\nSergey Lavrov: Hello [x]{nobody}\r\n\r\nSergey Lavrov: Bye.\r\n";

#[test]
fn crlf_lines_and_columns_past_the_end() {
    let dir = TempDir::new("crlf");
    dir.write("transcripts.json", "{}\n");
    let uri = dir.uri("crlf.transcript");
    let enc = Enc::Utf16;
    let mut server = start();
    let text = CRLF;
    server.did_open(&uri, 1, text);
    let diagnostics = server.diagnostics_for_version(&uri, 1);
    assert_eq!(codes(&diagnostics), ["unknown-entity"], "{diagnostics:#?}");
    assert_eq!(
        diagnostics[0]["range"],
        range(text, find(text, "nobody"), enc)
    );

    // An insertion far past the end of a CRLF line lands before its `\r\n`.
    let added = " and [Laos]{place}.";
    server.did_change(
        &uri,
        2,
        vec![json!({"range": {"start": {"line": 5, "character": 999}, "end": {"line": 5, "character": 999}}, "text": added})],
    );
    let text2 = text.replace("{nobody}\r\n", &format!("{{nobody}}{added}\r\n"));
    let diagnostics = server.diagnostics_for_version(&uri, 2);
    assert_eq!(
        codes(&diagnostics),
        ["unknown-entity"],
        "no mixed-line-endings: the CRLF stays whole; {diagnostics:#?}"
    );
    let laos = find(&text2, "[Laos]{place}");
    let (line, col) = line_col(&text2, laos.start + 1, enc);
    assert_eq!(line, 5);
    let hover = server.hover(&uri, line, col);
    assert_contains(&markdown(&hover), "**Laos**");
    assert_eq!(hover["range"], range(&text2, laos, enc));

    // Deleting from past the end of the blank line 4 to the start of line 5
    // removes that line's CRLF: the turn moves up to line 4.
    server.did_change(
        &uri,
        3,
        vec![json!({"range": {"start": {"line": 4, "character": 50}, "end": {"line": 5, "character": 0}}, "text": ""})],
    );
    let text3 = text2.replacen("---\r\n\r\nSergey", "---\r\nSergey", 1);
    let diagnostics = server.diagnostics_for_version(&uri, 3);
    assert_eq!(
        diagnostics[0]["range"],
        range(&text3, find(&text3, "nobody"), enc)
    );
    assert_eq!(line_col(&text3, find(&text3, "nobody").start, enc).0, 4);
    let hover = server.hover(&uri, 4, 3);
    assert_contains(&markdown(&hover), "**Sergey Lavrov**");
    let (turns, words) = speaker_stats(&text3, "Sergey Lavrov");
    assert_eq!((turns, words), (2, 5));
    assert_contains(
        &markdown(&hover),
        &format!("{turns} turns and {words} words"),
    );
    assert_eq!(
        hover["range"],
        json!({"start": {"line": 4, "character": 0}, "end": {"line": 4, "character": 13}})
    );

    // The server now holds exactly `text3`: the same text opened fresh answers alike.
    let fresh = dir.uri("fresh.transcript");
    server.did_open(&fresh, 1, &text3);
    assert_eq!(
        without_uris(Value::Array(server.diagnostics_for_version(&fresh, 1))),
        without_uris(Value::Array(diagnostics))
    );
    assert_eq!(
        server.document_symbols(&fresh),
        server.document_symbols(&uri)
    );
    server.shutdown_and_exit();
}

// ---------------------------------------------------------------------------
// The registry on disk

const USES_FOO: &str =
    "---\ntitle: Registry\ndate: 2016-07-26\n---\n\nSergey Lavrov: Meet [Foo]{foo}.\n";

#[test]
fn registry_changes_recheck_open_documents() {
    let dir = TempDir::new("registry");
    let registry = dir.write(
        "transcripts.json",
        r#"{"entities": {"bar": {"name": "Bar", "type": "org"}}}"#,
    );
    let registry_uri = file_uri(&registry);
    assert!(
        registry_uri.contains("%20"),
        "the folder has a space: {registry_uri}"
    );
    let uri = dir.uri("uses foo.transcript");
    let text = USES_FOO;
    let mut server = start();
    server.did_open(&uri, 1, text);
    let diagnostics = server.diagnostics_for_version(&uri, 1);
    assert_eq!(codes(&diagnostics), ["unknown-entity"], "{diagnostics:#?}");
    assert_eq!(
        diagnostics[0]["range"],
        range(text, find(text, "foo"), Enc::Utf16)
    );
    let published = server.wait_for_diagnostics(&registry_uri, |_| true);
    assert_eq!(
        published["diagnostics"],
        json!([]),
        "a clean registry: {published:#}"
    );

    // Add `foo` on disk; the watcher reports the change.
    std::fs::write(
        &registry,
        r#"{"entities": {"foo": {"name": "Foo Corporation", "type": "org"}}}"#,
    )
    .unwrap();
    server.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": registry_uri, "type": 2}]}),
    );
    let republished = server.wait_for_diagnostics(&uri, |_| true);
    assert_eq!(
        republished["diagnostics"],
        json!([]),
        "re-checked with foo: {republished:#}"
    );
    let mention = find(text, "[Foo]{foo}");
    let (line, col) = line_col(text, mention.start + 1, Enc::Utf16);
    assert_contains(
        &markdown(&server.hover(&uri, line, col)),
        "**Foo Corporation**",
    );

    // Break the registry: its problem is published on its own URI, at the JSON error.
    let broken =
        "{\n  \"entities\": {\n    \"foo\": { \"name\": \"Foo\" \"type\": \"org\" }\n  }\n}\n";
    std::fs::write(&registry, broken).unwrap();
    server.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": registry_uri, "type": 2}]}),
    );
    let published = server.wait_for_diagnostics(&registry_uri, |p| p["diagnostics"] != json!([]));
    let problems = published["diagnostics"].as_array().unwrap();
    assert_eq!(codes(problems), ["invalid-registry"], "{published:#}");
    let error = find(broken, "\"type\"").start;
    assert_eq!(
        problems[0]["range"]["start"],
        position(broken, error, Enc::Utf16),
        "the JSON error is at the `\"type\"` after the missing comma: {published:#}"
    );
    assert!(
        published.get("version").is_none_or(Value::is_null),
        "{published:#}"
    );
    let republished = server.wait_for_diagnostics(&uri, |_| true);
    assert_eq!(
        codes(republished["diagnostics"].as_array().unwrap()),
        ["unknown-entity"],
        "no entity applies while the registry is broken: {republished:#}"
    );

    // Fix it and save it in the editor: the registry's problem is cleared.
    std::fs::write(
        &registry,
        r#"{"entities": {"foo": {"name": "Foo", "type": "org"}}}"#,
    )
    .unwrap();
    server.notify(
        "textDocument/didSave",
        json!({"textDocument": {"uri": registry_uri}}),
    );
    let cleared = server.wait_for_diagnostics(&registry_uri, |_| true);
    assert_eq!(cleared["diagnostics"], json!([]), "{cleared:#}");
    let republished = server.wait_for_diagnostics(&uri, |_| true);
    assert_eq!(republished["diagnostics"], json!([]), "{republished:#}");

    // The server asked the editor to watch registries.
    let registration = server
        .server_requests
        .iter()
        .find(|r| r["method"] == "client/registerCapability")
        .unwrap_or_else(|| {
            panic!(
                "no client/registerCapability among {:#?}",
                server.server_requests
            )
        });
    let registrations = &registration["params"]["registrations"];
    assert_eq!(
        registrations[0]["method"],
        "workspace/didChangeWatchedFiles"
    );
    assert_eq!(
        registrations[0]["registerOptions"]["watchers"][0]["globPattern"],
        "**/transcripts.json"
    );
    server.shutdown_and_exit();
}

#[test]
fn a_registry_created_nearer_applies_and_a_deleted_one_is_cleared() {
    let dir = TempDir::new("nearer");
    dir.write("transcripts.json", r#"{"entities": {}}"#);
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    let uri = dir.uri("sub/a.transcript");
    let mut server = start();
    server.did_open(&uri, 1, USES_FOO);
    let diagnostics = server.diagnostics_for_version(&uri, 1);
    assert_eq!(codes(&diagnostics), ["unknown-entity"], "{diagnostics:#?}");

    // A registry created in the document's own folder takes over.
    let nearer = dir.write(
        "sub/transcripts.json",
        r#"{"entities": {"foo": {"name": "Foo", "type": "org"}, "bad": {"type": "nope"}}}"#,
    );
    let nearer_uri = file_uri(&nearer);
    server.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": nearer_uri, "type": 1}]}),
    );
    let republished = server.wait_for_diagnostics(&uri, |_| true);
    assert_eq!(republished["diagnostics"], json!([]), "{republished:#}");
    let problems = server.wait_for_diagnostics(&nearer_uri, |_| true);
    let problems = codes(problems["diagnostics"].as_array().unwrap());
    assert!(
        !problems.is_empty() && problems.iter().all(|c| c == "invalid-entity"),
        "the new registry's own problems (entity `bad`): {problems:?}"
    );

    // Deleted again: the outer registry applies, the problem is cleared.
    std::fs::remove_file(&nearer).unwrap();
    server.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": nearer_uri, "type": 3}]}),
    );
    let republished = server.wait_for_diagnostics(&uri, |_| true);
    assert_eq!(
        codes(republished["diagnostics"].as_array().unwrap()),
        ["unknown-entity"],
        "{republished:#}"
    );
    let cleared = server.wait_for_diagnostics(&nearer_uri, |_| true);
    assert_eq!(cleared["diagnostics"], json!([]), "{cleared:#}");
    server.shutdown_and_exit();
}

#[test]
fn an_untitled_document_has_no_registry() {
    let dir = TempDir::new("cwd");
    dir.write(
        "transcripts.json",
        r#"{"entities": {"foo": {"name": "Foo", "type": "org"}}}"#,
    );
    let mut server = Server::spawn_in(BIN, &[], Some(dir.path()));
    server.initialize(editor_capabilities());
    let uri = "untitled:Untitled-1";
    server.did_open(uri, 1, USES_FOO);
    let diagnostics = server.diagnostics_for_version(uri, 1);
    assert_eq!(
        codes(&diagnostics),
        ["unknown-entity"],
        "an untitled document is in no folder, so no registry applies: {diagnostics:#?}"
    );
    server.shutdown_and_exit();
}

// ---------------------------------------------------------------------------
// Random incremental edits

/// SplitMix64: a small seeded generator, so that a failure can be replayed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const PIECES: &[&str] = &[
    "a",
    "b",
    "word ",
    " ",
    "’",
    "“",
    "”",
    "😀",
    "é",
    "—",
    "\n",
    "\r\n",
    "\n\n",
    "\r\n\r\n",
    "[",
    "]",
    "{",
    "}",
    "[Kerry]{kerry}",
    "[x]{place}",
    "[Vientiane]{plac}",
    "Question: ",
    "Sergey Lavrov: ",
    "# Heading ",
    "---",
    "date: ",
    ":",
    "// ",
    "[01:02]",
    "\\[",
    "Ünïcödé ",
    "𝔘",
];

const RANDOM_BASE: &str = "---\ntitle: Random “edits” 😀\ndate: 2016-07-26\nspeaker: Sergey Lavrov (Minister)\n---\n\n# Opening remarks\n\nSergey Lavrov: Good afternoon. [ASEAN]{asean}’s partners met in [Vientiane]{place} 😀.\r\n\r\nSecond paragraph with a [note] and [00:01:02] and “quotes”.\n\n# Questions and answers\n\nQuestion (RIA Novosti): What about [John Kerry]{kerry}? Will he — or won’t he?\n\nSergey Lavrov: We’ll see. [Mr Kerry]{kerry} said so.\n\nQuestion: And [Syria]{place}?\n\nSergey Lavrov: Ça va. 😀😀 The end.\n";

const RANDOM_REGISTRY: &str = r#"{"entities": {
  "asean": {"name": "ASEAN", "type": "org", "aliases": ["Association"]},
  "kerry": {"name": "John Kerry", "type": "person", "description": "US Secretary of State"}
}}"#;

fn random_text(rng: &mut Rng) -> String {
    let n = rng.below(4);
    (0..n).map(|_| rng.pick(PIECES)).collect()
}

/// A random position: on a character boundary, at the end of its line, or past it.
fn random_position(rng: &mut Rng, text: &str, line: Option<usize>, enc: Enc) -> (u32, u32) {
    let lines = line_ranges(text);
    let line = line
        .unwrap_or_else(|| rng.below(lines.len()))
        .min(lines.len() - 1);
    let content = &text[lines[line].clone()];
    let widths: Vec<usize> = content.chars().map(|c| enc.width(c)).collect();
    let full: usize = widths.iter().sum();
    let col = match rng.below(10) {
        0 => full,
        1 => full + 1 + rng.below(6),
        _ => widths[..rng.below(widths.len() + 1)].iter().sum(),
    };
    (line as u32, col as u32)
}

const BLOCKS: &[&str] = &[
    "Question: What about [Laos]{place} and 😀?\n\nSergey Lavrov: “Yes”, [Mr Kerry]{kerry} said.\n\n",
    "Question (TASS): Ça va? [01:02:03]\r\n\r\nSergey Lavrov: Fine — [ASEAN]{asean}’s.\r\n\r\n",
    "# Section ’n’ 😀\n\n",
    "Sergey Lavrov: A turn with [unknown]{nobody} and [an aside].\n\n",
    "// a comment “here”\n",
];

fn change_event(start: (u32, u32), end: (u32, u32), text: &str) -> Value {
    json!({
        "range": {
            "start": {"line": start.0, "character": start.1},
            "end": {"line": end.0, "character": end.1},
        },
        "text": text,
    })
}

/// A random change in `enc` columns, applied to `text`; returns its
/// `TextDocumentContentChangeEvent`. The mix resembles editing: mostly
/// typing and deleting a few characters, sometimes deleting or replacing
/// across lines or pasting whole turns, rarely replacing the whole text.
fn random_change(rng: &mut Rng, text: &mut String, enc: Enc) -> Value {
    if rng.below(1000) < 3 {
        let mut whole = RANDOM_BASE.to_string();
        whole.push_str(&random_text(rng));
        *text = whole.clone();
        return json!({"text": whole});
    }
    let a = random_position(rng, text, None, enc);
    let offset = |text: &str, p: (u32, u32)| offset_of(text, p.0, p.1, enc);
    let at = offset(text, a);
    // The position `n` characters after byte `from` (never inside a CRLF).
    let forward = |text: &str, from: usize, n: usize| {
        let mut to = text[from..]
            .char_indices()
            .nth(n)
            .map_or(text.len(), |(i, _)| from + i);
        let bytes = text.as_bytes();
        if to > 0 && to < text.len() && bytes[to - 1] == b'\r' && bytes[to] == b'\n' {
            to += 1;
        }
        line_col(text, to, enc)
    };
    let kind = rng.below(100);
    let (b, new) = if text.len() > 5000 {
        // Keep the text small: delete a good part of it.
        (forward(text, at, 200 + rng.below(800)), String::new())
    } else if kind < 45 {
        // Typing.
        (a, random_text(rng))
    } else if kind < 65 {
        // Deleting a few characters, maybe a line break.
        (forward(text, at, 1 + rng.below(3)), String::new())
    } else if kind < 71 {
        // Deleting across lines.
        let line = a.0 as usize + 1 + rng.below(3);
        (random_position(rng, text, Some(line), enc), String::new())
    } else if kind < 83 {
        // Replacing a range on the line, or up to a later one.
        let line = a.0 as usize + rng.below(2);
        (
            random_position(rng, text, Some(line), enc),
            random_text(rng),
        )
    } else {
        // Pasting whole lines at the start of a line.
        let block = rng.pick(BLOCKS);
        let from = offset(text, (a.0, 0));
        text.insert_str(from, block);
        return change_event((a.0, 0), (a.0, 0), block);
    };
    let (start, end) = if offset(text, a) <= offset(text, b) {
        (a, b)
    } else {
        (b, a)
    };
    let (from, to) = (offset(text, start), offset(text, end));
    text.replace_range(from..to, &new);
    change_event(start, end, &new)
}

/// Replaces every `uri` field, so that results for two documents compare.
fn without_uris(mut v: Value) -> Value {
    fn walk(v: &mut Value) {
        match v {
            Value::Object(map) => {
                for (k, x) in map.iter_mut() {
                    if k == "uri" {
                        *x = json!("<uri>");
                    } else {
                        walk(x);
                    }
                }
            }
            Value::Array(items) => items.iter_mut().for_each(walk),
            _ => {}
        }
    }
    walk(&mut v);
    v
}

/// A document edited at random, and the text it should hold.
struct RandomRun {
    server: Server,
    dir: TempDir,
    rng: Rng,
    enc: Enc,
    seed: u64,
    uri: String,
    text: String,
    version: i64,
    checkpoints: usize,
}

impl RandomRun {
    fn new(enc: Enc, seed: u64) -> RandomRun {
        let dir = TempDir::new("random");
        dir.write("transcripts.json", RANDOM_REGISTRY);
        let uri = dir.uri("edited.transcript");
        let mut server = Server::spawn(BIN);
        let mut caps = editor_capabilities();
        if enc == Enc::Utf8 {
            caps["general"] = json!({"positionEncodings": ["utf-8"]});
        }
        server.initialize(caps);
        let text = RANDOM_BASE.to_string();
        server.did_open(&uri, 1, &text);
        RandomRun {
            server,
            dir,
            rng: Rng(seed),
            enc,
            seed,
            uri,
            text,
            version: 1,
            checkpoints: 0,
        }
    }

    /// One `didChange` with one to three random changes.
    fn edit(&mut self) {
        let changes: Vec<Value> = (0..1 + self.rng.below(3))
            .map(|_| random_change(&mut self.rng, &mut self.text, self.enc))
            .collect();
        self.version += 1;
        self.server.did_change(&self.uri, self.version, changes);
    }

    /// The edited document and the same text opened fresh answer alike.
    /// Returns the number of symbols of the outline.
    fn compare_with_fresh(&mut self) -> usize {
        self.checkpoints += 1;
        let (uri, text, server) = (&self.uri, &self.text, &mut self.server);
        let context = format!(
            "{:?}, seed {}, checkpoint {}, version {}; text:\n{text:?}",
            self.enc, self.seed, self.checkpoints, self.version
        );
        let edited = server.diagnostics_for_version(uri, self.version);
        let fresh_uri = self
            .dir
            .uri(&format!("fresh {}.transcript", self.checkpoints));
        server.did_open(&fresh_uri, 1, text);
        let fresh = server.diagnostics_for_version(&fresh_uri, 1);
        assert_eq!(
            without_uris(Value::Array(edited)),
            without_uris(Value::Array(fresh)),
            "diagnostics of the edited document (left) and of the same text opened fresh (right); {context}"
        );
        let symbols = server.document_symbols(uri);
        assert_eq!(
            symbols,
            server.document_symbols(&fresh_uri),
            "outline of the edited document (left) and of the fresh one (right); {context}"
        );
        // Hovers at random places and on every mention and label.
        let mut probes: Vec<(u32, u32)> = (0..24)
            .map(|_| random_position(&mut self.rng, text, None, self.enc))
            .collect();
        for (i, _) in text.match_indices(['[', ':']) {
            let (line, col) = line_col(text, i + 1, self.enc);
            probes.extend([(line, col), (line, 0)]);
        }
        for (line, col) in probes {
            assert_eq!(
                server.hover(uri, line, col),
                server.hover(&fresh_uri, line, col),
                "hover at {line}:{col}, edited (left) and fresh (right); {context}"
            );
        }
        server.did_close(&fresh_uri);
        let mut all = Vec::new();
        preorder(&symbols, None, &mut all);
        all.len()
    }

    fn run(mut self, notifications: usize, every: usize) {
        let mut symbols = Vec::new();
        for n in 1..=notifications {
            self.edit();
            if n % every == 0 {
                symbols.push(self.compare_with_fresh());
            }
        }
        // Versions are published in order, each at most once; a version
        // superseded before its analysis ran is not published, the last is.
        let versions: Vec<i64> = self
            .server
            .published
            .iter()
            .filter(|(u, _)| *u == self.uri)
            .map(|(_, v)| v.expect("a version"))
            .collect();
        assert!(
            versions.windows(2).all(|w| w[0] < w[1]),
            "the versions published for the edited document, in order: {versions:?}"
        );
        assert_eq!(versions.last(), Some(&self.version), "{versions:?}");
        // The generator keeps some structure, so that outlines are compared too.
        assert!(
            symbols.iter().filter(|&&n| n >= 3).count() >= symbols.len() / 2,
            "symbols at each checkpoint: {symbols:?}"
        );
        self.server.shutdown_and_exit();
    }
}

/// The seed: `TRANSCRIPT_LS_TEST_SEED` to replay another sequence.
fn seed(default: u64) -> u64 {
    std::env::var("TRANSCRIPT_LS_TEST_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

#[test]
fn random_incremental_edits_match_a_fresh_open() {
    RandomRun::new(Enc::Utf16, seed(0x7261_6e64_6f6d)).run(300, 30);
}

#[test]
fn random_incremental_edits_in_utf8_match_a_fresh_open() {
    RandomRun::new(Enc::Utf8, seed(0x7574_6638)).run(150, 30);
}

// ---------------------------------------------------------------------------
// Robustness

#[test]
fn requests_for_documents_not_open_and_odd_positions() {
    let dir = TempDir::new("robust");
    dir.write("transcripts.json", "{}\n");
    let uri = dir.uri("open.transcript");
    let missing = dir.uri("not open.transcript");
    let mut server = start();

    assert_eq!(server.document_symbols(&missing), Value::Null);
    assert_eq!(server.hover(&missing, 0, 0), Value::Null);

    server.did_open(&uri, 1, SMALL);
    server.diagnostics_for_version(&uri, 1);
    // Far past the end of a line, past the last line, at the largest numbers.
    for (line, col) in [
        (5, 10_000),
        (2, 10_000),
        (6, 0),
        (1_000, 3),
        (u32::MAX, u32::MAX),
    ] {
        let answer = server.request(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": col}}),
        );
        assert!(answer.is_ok(), "hover at {line}:{col}: {answer:?}");
    }

    // An unknown method: JSON-RPC "method not found".
    let error = server
        .request("transcript/noSuchMethod", json!({}))
        .expect_err("an unknown method is an error");
    assert_eq!(error["code"], -32601, "{error:#}");

    // didChange for a document that is not open: ignored.
    server.did_change(
        &missing,
        2,
        vec![json!({"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}, "text": "x"})],
    );
    assert_eq!(server.document_symbols(&missing), Value::Null);
    let symbols = server.document_symbols(&uri);
    assert_eq!(
        symbols[0]["name"], "metadata",
        "the server keeps answering: {symbols:#}"
    );
    assert!(
        !server
            .pending_notifications()
            .iter()
            .any(|m| m["params"]["uri"] == json!(missing)),
        "nothing is published for a document that is not open"
    );

    // An unknown notification, a cancellation of nothing: no answer, no harm.
    server.notify("custom/somethingElse", json!({"x": 1}));
    server.notify("$/cancelRequest", json!({"id": 12345}));
    // Bad params: "invalid params", not a crash.
    let error = server
        .request("textDocument/hover", json!({"textDocument": {"uri": uri}}))
        .expect_err("a hover without a position is an error");
    assert_eq!(error["code"], -32602, "{error:#}");

    // An empty document.
    let empty = dir.uri("empty.transcript");
    server.did_open(&empty, 1, "");
    let diagnostics = server.diagnostics_for_version(&empty, 1);
    assert_eq!(codes(&diagnostics), ["missing-header"], "{diagnostics:#?}");
    assert_eq!(server.document_symbols(&empty), json!([]));
    assert_eq!(server.hover(&empty, 0, 0), Value::Null);
    assert_eq!(server.hover(&empty, 3, 7), Value::Null);

    // didClose publishes empty diagnostics and forgets the document.
    server.did_change(
        &uri,
        2,
        vec![json!({"range": range(SMALL, find(SMALL, "place"), Enc::Utf16), "text": "nowhere"})],
    );
    let diagnostics = server.diagnostics_for_version(&uri, 2);
    assert_eq!(codes(&diagnostics), ["unknown-entity"]);
    server.did_close(&uri);
    let closed = server.wait_for_diagnostics(&uri, |_| true);
    assert_eq!(closed["diagnostics"], json!([]), "{closed:#}");
    assert_eq!(server.document_symbols(&uri), Value::Null);
    assert_eq!(server.hover(&uri, 5, 3), Value::Null);
    server.shutdown_and_exit();
}

#[test]
fn shutdown_then_exit_ends_the_process() {
    let mut server = Server::spawn(BIN);
    let init = server.initialize(json!({}));
    assert_eq!(init["serverInfo"]["name"], "transcript-ls", "{init:#}");
    assert_eq!(
        init["capabilities"]["textDocumentSync"]["change"], 2,
        "incremental sync: {init:#}"
    );
    // Exits within EXIT_TIMEOUT of `exit`, with status 0 and no panic.
    server.shutdown_and_exit();
}

#[test]
fn serve_runs_the_server_and_ends_with_its_input() {
    let mut server = Server::spawn_with_args(BIN, &["serve"]);
    server.initialize(json!({}));
    let result = server.request_ok("shutdown", Value::Null);
    assert_eq!(result, Value::Null);
    // No `exit`: the end of the input ends the server.
    server.close_input_and_wait();
}

#[test]
fn exit_without_shutdown_is_an_error_exit() {
    let mut server = Server::spawn(BIN);
    server.initialize(json!({}));
    server.notify("exit", Value::Null);
    let status = server.wait_for_exit_status();
    assert_eq!(
        status.code(),
        Some(1),
        "LSP: \"The server should exit with success code 0 if the shutdown request has been received before; otherwise with error code 1.\""
    );
}
