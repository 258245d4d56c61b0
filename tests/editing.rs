//! Editing power, end to end over stdio on a small workspace of several
//! transcripts and a registry: definition, references and rename across
//! files, workspace symbols, quick fixes, formatting, and the index kept up
//! to date from watched-file events.

mod common;

use common::{Enc, Server, TempDir, editor_capabilities, find, find_nth, position};
use serde_json::{Value, json};

const BIN: &str = env!("CARGO_BIN_EXE_transcript-ls");

const REGISTRY: &str = r#"{
  "entities": {
    "kerry": {
      "name": "John Kerry",
      "type": "person",
      "aliases": ["Mr Kerry"],
      "wikidata": "Q22316"
    },
    "asean": { "name": "Association of Southeast Asian Nations", "type": "org", "aliases": ["ASEAN"] }
  }
}
"#;

const A: &str = "---\ntitle: A\ndate: 2016-07-26\nspeaker: Sergey Lavrov (Minister)\n---\n\n# Questions and answers\n\nQuestion: Did you meet [John Kerry]{kerry}?\n\nSergey Lavrov: Yes, [Mr Kerry]{kerry} and I met. Mr Kerry agreed.\n\nSergey Lavrov: More.\n";
const B: &str = "---\ntitle: B\ndate: 2016-07-27\n---\n\nQuestion: What was the outcome of the [ASEAN]{asean} talks with [Kerry]{kerry}?\n\nSergey Lavrov: Good.\n";
const C: &str = "---\ntitle: C\ndate: 2016-07-28\n---\n\nQuestion: And [Kerry]{kerry} again?\n\nSergey Lavrov: Again.\n";

struct Workspace {
    dir: TempDir,
    server: Server,
}

/// A workspace folder with the registry, a.transcript (opened), b.transcript
/// and sub/c.transcript (on disk only), indexed.
fn workspace() -> Workspace {
    let dir = TempDir::new("editing");
    dir.write("transcripts.json", REGISTRY);
    dir.write("a.transcript", A);
    dir.write("b.transcript", B);
    std::fs::create_dir_all(dir.path().join("sub")).unwrap();
    dir.write("sub/c.transcript", C);
    let mut server = Server::spawn(BIN);
    let root = common::file_uri(dir.path());
    server.request_ok(
        "initialize",
        json!({"processId": null, "rootUri": root, "workspaceFolders": [{"uri": root, "name": "ws"}], "capabilities": editor_capabilities()}),
    );
    server.notify("initialized", json!({}));
    server.did_open(&dir.uri("a.transcript"), 1, A);
    let mut ws = Workspace { dir, server };
    // The index is built in the background: wait until a file that is not open is found.
    for _ in 0..100 {
        let found = ws
            .server
            .request_ok("workspace/symbol", json!({"query": "outcome"}));
        if found.as_array().is_some_and(|a| !a.is_empty()) {
            return ws;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    panic!("the workspace was never indexed: {}", ws.server.stderr());
}

fn at(uri: &str, text: &str, offset: usize) -> Value {
    json!({"textDocument": {"uri": uri}, "position": position(text, offset, Enc::Utf16)})
}

fn line_of(text: &str, needle: &str) -> u64 {
    text[..find(text, needle).start].matches('\n').count() as u64
}

#[test]
fn definition_of_an_entity_is_its_registry_entry() {
    let mut ws = workspace();
    let uri = ws.dir.uri("a.transcript");
    let offset = find(A, "[John Kerry]").start + 2;
    let loc = ws
        .server
        .request_ok("textDocument/definition", at(&uri, A, offset));
    assert_eq!(loc["uri"], ws.dir.uri("transcripts.json"), "{loc:#}");
    let line = line_of(REGISTRY, "\"kerry\"");
    let key_col = REGISTRY
        .lines()
        .nth(line as usize)
        .unwrap()
        .find("kerry")
        .unwrap() as u64;
    assert_eq!(
        loc["range"]["start"],
        json!({"line": line, "character": key_col}),
        "{loc:#}"
    );
    assert_eq!(
        loc["range"]["end"],
        json!({"line": line, "character": key_col + 5}),
        "{loc:#}"
    );

    // From a speaker label to its declaration in the header.
    let label = find_nth(A, "Sergey Lavrov:", 0).start + 3;
    let loc = ws
        .server
        .request_ok("textDocument/definition", at(&uri, A, label));
    assert_eq!(loc["uri"], uri);
    assert_eq!(loc["range"]["start"]["line"], line_of(A, "speaker: Sergey"));
    assert_eq!(loc["range"]["start"]["character"], 9);
    ws.server.shutdown_and_exit();
}

#[test]
fn references_cross_files_and_include_the_registry_entry() {
    let mut ws = workspace();
    let uri = ws.dir.uri("a.transcript");
    let offset = find_nth(A, "{kerry}", 0).start + 1;
    let mut params = at(&uri, A, offset);
    params["context"] = json!({"includeDeclaration": true});
    let locations = ws
        .server
        .request_ok("textDocument/references", params.clone());
    let mut uris: Vec<String> = locations
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["uri"].as_str().unwrap().to_string())
        .collect();
    uris.sort();
    let mut expected = vec![
        ws.dir.uri("a.transcript"),
        ws.dir.uri("a.transcript"),
        ws.dir.uri("b.transcript"),
        ws.dir.uri("sub/c.transcript"),
        ws.dir.uri("transcripts.json"),
    ];
    expected.sort();
    assert_eq!(uris, expected, "{locations:#}");
    params["context"] = json!({"includeDeclaration": false});
    let without = ws.server.request_ok("textDocument/references", params);
    assert_eq!(without.as_array().unwrap().len(), 4);

    // A speaker's turns in the file.
    let label = find_nth(A, "Sergey Lavrov:", 1).start;
    let mut params = at(&uri, A, label);
    params["context"] = json!({"includeDeclaration": false});
    let turns = ws.server.request_ok("textDocument/references", params);
    assert_eq!(turns.as_array().unwrap().len(), 2, "{turns:#}");
    ws.server.shutdown_and_exit();
}

#[test]
fn a_search_answers_about_the_version_it_was_asked_about() {
    let mut ws = workspace();
    let uri = ws.dir.uri("a.transcript");
    let mut params = at(&uri, A, find_nth(A, "{kerry}", 0).start + 1);
    params["context"] = json!({"includeDeclaration": true});
    // The request and an edit that takes the mention away, read together.
    let edited = A.replace("[John Kerry]{kerry}", "John Kerry");
    let mut frames = Vec::new();
    for message in [
        json!({"jsonrpc": "2.0", "id": 9001, "method": "textDocument/references", "params": params}),
        json!({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
            "textDocument": {"uri": uri, "version": 2},
            "contentChanges": [{"text": edited}]}}),
    ] {
        let body = message.to_string();
        frames.extend(format!("Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes());
    }
    ws.server.send_raw(&frames).unwrap();
    let responses = ws.server.responses_until(&json!(9001));
    let answer = responses.last().unwrap();
    // Either the places of version 1, or "the document changed: ask again";
    // never an answer about version 2's text at version 1's position.
    match answer.get("result") {
        Some(places) => assert_eq!(places.as_array().map(Vec::len), Some(5), "{answer:#}"),
        None => assert_eq!(answer["error"]["code"], -32801, "{answer:#}"),
    }
    ws.server.shutdown_and_exit();
}

#[test]
fn rename_an_entity_id_everywhere_in_one_edit() {
    let mut ws = workspace();
    let uri = ws.dir.uri("a.transcript");
    let offset = find_nth(A, "{kerry}", 0).start + 2;
    let prepared = ws
        .server
        .request_ok("textDocument/prepareRename", at(&uri, A, offset));
    assert_eq!(prepared["placeholder"], "kerry", "{prepared:#}");
    let plain = find(A, "Yes,").start;
    assert!(
        ws.server
            .request("textDocument/prepareRename", at(&uri, A, plain))
            .is_err()
    );

    let mut params = at(&uri, A, offset);
    params["newName"] = json!("john-kerry");
    let edit = ws.server.request_ok("textDocument/rename", params.clone());
    let changes = edit["changes"].as_object().expect("changes");
    let texts = [
        ("a.transcript", A),
        ("b.transcript", B),
        ("sub/c.transcript", C),
        ("transcripts.json", REGISTRY),
    ];
    assert_eq!(changes.len(), texts.len(), "{edit:#}");
    for (name, text) in texts {
        let edits = changes[&ws.dir.uri(name)].as_array().unwrap();
        let renamed = common::apply_edits(text, edits);
        assert!(
            !renamed.contains("{kerry}") && !renamed.contains("\"kerry\""),
            "{name}: {renamed}"
        );
        assert!(renamed.contains("john-kerry"), "{name}: {renamed}");
    }
    let renamed_registry = common::apply_edits(
        REGISTRY,
        changes[&ws.dir.uri("transcripts.json")].as_array().unwrap(),
    );
    assert!(
        serde_json::from_str::<Value>(&renamed_registry).is_ok(),
        "{renamed_registry}"
    );

    for bad in ["person", "asean", "two words", ""] {
        params["newName"] = json!(bad);
        assert!(
            ws.server
                .request("textDocument/rename", params.clone())
                .is_err(),
            "{bad:?} was accepted"
        );
    }
    ws.server.shutdown_and_exit();
}

#[test]
fn rename_a_speaker_in_the_file() {
    let mut ws = workspace();
    let uri = ws.dir.uri("a.transcript");
    let mut params = at(&uri, A, find_nth(A, "Sergey Lavrov:", 0).start);
    params["newName"] = json!("S. Lavrov");
    let edit = ws.server.request_ok("textDocument/rename", params);
    let renamed = common::apply_edits(A, edit["changes"][&uri].as_array().unwrap());
    assert_eq!(renamed.matches("S. Lavrov").count(), 3, "{renamed}");
    assert!(!renamed.contains("Sergey"), "{renamed}");
    ws.server.shutdown_and_exit();
}

#[test]
fn workspace_symbols_find_questions_sections_and_entities() {
    let mut ws = workspace();
    let found = ws
        .server
        .request_ok("workspace/symbol", json!({"query": "outcome"}));
    let names: Vec<&str> = found
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["Q1 · What was the outcome of the ASEAN talks with Kerry?"],
        "{found:#}"
    );
    assert_eq!(found[0]["location"]["uri"], ws.dir.uri("b.transcript"));
    let found = ws
        .server
        .request_ok("workspace/symbol", json!({"query": "questions and"}));
    assert!(
        found
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["name"] == "Questions and answers"),
        "{found:#}"
    );
    let found = ws
        .server
        .request_ok("workspace/symbol", json!({"query": "john kerry"}));
    let entity = found
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "John Kerry (kerry)")
        .unwrap_or_else(|| panic!("{found:#}"));
    assert_eq!(entity["location"]["uri"], ws.dir.uri("transcripts.json"));
    ws.server.shutdown_and_exit();
}

/// Asks for the code actions of the first diagnostic with `code`, applies the
/// one titled `title`, sends the result as a new version and returns the
/// diagnostics published for it.
fn fix(
    server: &mut Server,
    uri: &str,
    text: &str,
    code: &str,
    title: &str,
) -> (String, Vec<Value>) {
    let diagnostics = server.diagnostics_for_version(uri, 1);
    let d = diagnostics
        .iter()
        .find(|d| d["code"] == code)
        .unwrap_or_else(|| panic!("no {code}: {diagnostics:#?}"))
        .clone();
    let actions = server.request_ok(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": d["range"], "context": {"diagnostics": [d]}}),
    );
    let action = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"] == title)
        .unwrap_or_else(|| panic!("no action {title:?} in {actions:#}"))
        .clone();
    assert_eq!(action["kind"], "quickfix");
    let fixed = common::apply_edits(text, action["edit"]["changes"][uri].as_array().unwrap());
    server.did_change(uri, 2, vec![json!({"text": fixed})]);
    let after = server.diagnostics_for_version(uri, 2);
    (fixed, after)
}

#[test]
fn quick_fixes_remove_the_diagnostic_they_fix() {
    let cases = [
        (
            "---\ntitle: T\ndate: 16 June 2017\n---\n\nText.\n",
            "invalid-date",
            "Replace with `2017-06-16`",
        ),
        (
            "---\ntitle: T\ndate: 2016-07-26\nplcae: Moscow\n---\n\nText.\n",
            "unknown-key",
            "Replace with `place`",
        ),
        (
            "---\ntitle: T\n---\n\nText.\n",
            "missing-key",
            "Add `date:` to the header",
        ),
        (
            "---\ntitle: T\ndate: 2016-07-26\nspeaker: Sergey Lavrov\n---\n\nSergey Lavrv: Hi.\n",
            "undeclared-speaker",
            "Replace with `Sergey Lavrov`",
        ),
        (
            "---\ntitle: T\ndate: 2016-07-26\nspeaker: Sergey Lavrov\n---\n\nSergey Lavrov: Hi.\n\nMaria Zakharova: Hello.\n",
            "undeclared-speaker",
            "Declare `Maria Zakharova` in the header",
        ),
        (
            "---\ntitle: T\ndate: 2016-07-26\n\nText.\n",
            "unclosed-header",
            "Close the header with `---`",
        ),
        (
            "---\ntitle: T\ndate: 2016-07-26\n---\n\nWe met [Mr Kerry]{kery}.\n",
            "unknown-entity",
            "Replace with `kerry`",
        ),
    ];
    let mut ws = workspace();
    for (i, (text, code, title)) in cases.iter().enumerate() {
        let uri = ws.dir.uri(&format!("fix{i}.transcript"));
        ws.server.did_open(&uri, 1, text);
        let (fixed, after) = fix(&mut ws.server, &uri, text, code, title);
        assert!(
            after.iter().all(|d| d["code"] != *code),
            "{code}: still there after {title:?}:\n{fixed}\n{after:#?}"
        );
    }
    ws.server.shutdown_and_exit();
}

#[test]
fn a_plain_text_alias_can_be_annotated() {
    let mut ws = workspace();
    let uri = ws.dir.uri("a.transcript");
    let at_alias = find(A, "Mr Kerry agreed").start + 3;
    let p = position(A, at_alias, Enc::Utf16);
    let actions = ws.server.request_ok(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": {"start": p, "end": p}, "context": {"diagnostics": []}}),
    );
    let action = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"] == "Annotate `Mr Kerry` as a mention of `kerry`")
        .unwrap_or_else(|| panic!("{actions:#}"));
    let annotated = common::apply_edits(A, action["edit"]["changes"][&uri].as_array().unwrap());
    assert!(
        annotated.contains("met. [Mr Kerry]{kerry} agreed."),
        "{annotated}"
    );
    ws.server.shutdown_and_exit();
}

#[test]
fn formatting_a_messy_file_over_the_protocol() {
    let mut ws = workspace();
    let messy =
        "---\ndate:2016-07-26\ntitle:  T \n---\n# Head\nSergey Lavrov: Hi.  \n\n\n\nMore.\n";
    let uri = ws.dir.uri("messy.transcript");
    ws.server.did_open(&uri, 1, messy);
    let edits = ws.server.request_ok(
        "textDocument/formatting",
        json!({"textDocument": {"uri": uri}, "options": {"tabSize": 4, "insertSpaces": true}}),
    );
    let formatted = common::apply_edits(messy, edits.as_array().unwrap());
    assert_eq!(
        formatted,
        "---\ntitle: T\ndate: 2016-07-26\n---\n\n# Head\n\nSergey Lavrov: Hi.\n\nMore.\n"
    );
    ws.server
        .did_change(&uri, 2, vec![json!({"text": formatted})]);
    let again = ws.server.request_ok(
        "textDocument/formatting",
        json!({"textDocument": {"uri": uri}, "options": {"tabSize": 4, "insertSpaces": true}}),
    );
    assert_eq!(again, json!([]), "formatting twice changed something");
    ws.server.shutdown_and_exit();
}

#[test]
fn the_index_follows_files_changed_on_disk() {
    let mut ws = workspace();
    let uri = ws.dir.uri("a.transcript");
    let with_more = format!("{C}\nSergey Lavrov: And [Kerry]{{kerry}} once more.\n");
    ws.dir.write("sub/c.transcript", &with_more);
    ws.server.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": ws.dir.uri("sub/c.transcript"), "type": 2}]}),
    );
    let mut params = at(&uri, A, find_nth(A, "{kerry}", 0).start + 1);
    params["context"] = json!({"includeDeclaration": false});
    let refs = ws
        .server
        .request_ok("textDocument/references", params.clone());
    let in_c = refs
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["uri"] == ws.dir.uri("sub/c.transcript"))
        .count();
    assert_eq!(in_c, 2, "{refs:#}");
    std::fs::remove_file(ws.dir.path().join("sub/c.transcript")).unwrap();
    ws.server.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": ws.dir.uri("sub/c.transcript"), "type": 3}]}),
    );
    let refs = ws.server.request_ok("textDocument/references", params);
    assert!(
        refs.as_array()
            .unwrap()
            .iter()
            .all(|l| l["uri"] != ws.dir.uri("sub/c.transcript")),
        "{refs:#}"
    );
    ws.server.shutdown_and_exit();
}

#[test]
fn duplicate_ids_are_found_across_the_workspace() {
    let mut ws = workspace();
    let other = "---\ntitle: D\ndate: 2016-07-26\nid: lavrov-2016\n---\n\nText.\n";
    ws.dir.write("d.transcript", other);
    ws.server.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": ws.dir.uri("d.transcript"), "type": 1}]}),
    );
    let mine = "---\ntitle: E\ndate: 2016-07-26\nid: lavrov-2016\n---\n\nText.\n";
    let uri = ws.dir.uri("e.transcript");
    ws.server.did_open(&uri, 1, mine);
    let diagnostics = ws.server.diagnostics_for_version(&uri, 1);
    let d = diagnostics
        .iter()
        .find(|d| d["code"] == "duplicate-id")
        .unwrap_or_else(|| panic!("{diagnostics:#?}"));
    assert_eq!(d["range"]["start"], json!({"line": 3, "character": 4}));
    let related = &d["relatedInformation"][0]["location"];
    assert_eq!(related["uri"], ws.dir.uri("d.transcript"));
    assert_eq!(
        related["range"],
        json!({"start": {"line": 3, "character": 4}, "end": {"line": 3, "character": 15}})
    );
    ws.server.shutdown_and_exit();
}

#[test]
fn other_open_documents_follow_a_changed_id() {
    let mut ws = workspace();
    let text = |title: &str, id: &str| {
        format!("---\ntitle: {title}\ndate: 2016-07-26\nid: {id}\n---\n\nText.\n")
    };
    let duplicate = |p: &Value| {
        p["diagnostics"]
            .as_array()
            .is_some_and(|a| a.iter().any(|d| d["code"] == "duplicate-id"))
    };
    let (e, f) = (ws.dir.uri("e.transcript"), ws.dir.uri("f.transcript"));
    ws.server.did_open(&e, 1, &text("E", "shared-id"));
    let alone = ws.server.diagnostics_for_version(&e, 1);
    assert!(
        alone.iter().all(|d| d["code"] != "duplicate-id"),
        "{alone:#?}"
    );
    // A second document opened with the same id: both say so.
    ws.server.did_open(&f, 1, &text("F", "shared-id"));
    ws.server.wait_for_diagnostics(&f, duplicate);
    ws.server.wait_for_diagnostics(&e, duplicate);
    // The other's id edited away, back again, then the other closed.
    ws.server
        .did_change(&f, 2, vec![json!({"text": text("F", "other-id")})]);
    ws.server.wait_for_diagnostics(&e, |p| !duplicate(p));
    ws.server
        .did_change(&f, 3, vec![json!({"text": text("F", "shared-id")})]);
    ws.server.wait_for_diagnostics(&e, duplicate);
    ws.server.did_close(&f);
    ws.server.wait_for_diagnostics(&e, |p| !duplicate(p));
    // A file on disk that takes the id, then is deleted.
    let d = ws
        .dir
        .write("d.transcript", text("D", "shared-id").as_str());
    let watched = |typ: u32| json!({"changes": [{"uri": common::file_uri(&d), "type": typ}]});
    ws.server
        .notify("workspace/didChangeWatchedFiles", watched(1));
    ws.server.wait_for_diagnostics(&e, duplicate);
    std::fs::remove_file(&d).unwrap();
    ws.server
        .notify("workspace/didChangeWatchedFiles", watched(3));
    ws.server.wait_for_diagnostics(&e, |p| !duplicate(p));
    ws.server.shutdown_and_exit();
}

fn labels(items: &Value) -> Vec<String> {
    items
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["label"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn completion_of_keys_speakers_and_entity_ids() {
    let mut ws = workspace();
    let text = "---\ntitle: T\nda\n---\n\nQuestion: Did you meet [Mr Kerry]{ke}?\n\n\n";
    let uri = ws.dir.uri("complete.transcript");
    ws.server.did_open(&uri, 1, text);

    let key = find(text, "da\n").start + 2;
    let items = ws
        .server
        .request_ok("textDocument/completion", at(&uri, text, key))["items"]
        .clone();
    let date = items
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["label"] == "date")
        .unwrap_or_else(|| panic!("{items:#}"));
    assert_eq!(date["textEdit"]["newText"], "date: ");
    assert_eq!(
        date["textEdit"]["range"]["start"],
        position(text, key - 2, Enc::Utf16)
    );
    assert!(
        !labels(&items).contains(&"title".to_string()),
        "title is there already: {items:#}"
    );

    let id = find(text, "{ke}").start + 3;
    let list = ws
        .server
        .request_ok("textDocument/completion", at(&uri, text, id));
    // Every entity fits: the list is complete.
    assert_eq!(list["isIncomplete"], false, "{list:#}");
    let items = list["items"].clone();
    let kerry = items
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["label"] == "kerry")
        .unwrap_or_else(|| panic!("{items:#}"));
    assert_eq!(kerry["detail"], "John Kerry");
    assert!(labels(&items).contains(&"person".to_string()), "{items:#}");

    let paragraph = text.len() - 1;
    let items = ws
        .server
        .request_ok("textDocument/completion", at(&uri, text, paragraph))["items"]
        .clone();
    assert!(
        labels(&items).contains(&"Question".to_string()),
        "{items:#}"
    );
    ws.server.shutdown_and_exit();
}

#[test]
fn folding_ranges_links_and_semantic_tokens() {
    let mut ws = workspace();
    let uri = ws.dir.uri("a.transcript");
    let folds = ws.server.request_ok(
        "textDocument/foldingRange",
        json!({"textDocument": {"uri": uri}}),
    );
    let spans: Vec<(u64, u64)> = folds
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["startLine"].as_u64().unwrap(),
                f["endLine"].as_u64().unwrap(),
            )
        })
        .collect();
    assert!(spans.contains(&(0, 4)), "the header: {folds:#}");
    assert!(spans.contains(&(6, 12)), "the section: {folds:#}");

    let text = "---\ntitle: T\ndate: 2016-07-26\nsource: https://example.org/a\n---\n\nQuestion: “Hi” 😀 – [Mr Kerry]{kerry}?\n\nSergey Lavrov: Yes.\n";
    let uri = ws.dir.uri("tokens.transcript");
    ws.server.did_open(&uri, 1, text);
    let links = ws.server.request_ok(
        "textDocument/documentLink",
        json!({"textDocument": {"uri": uri}}),
    );
    let targets: Vec<&str> = links
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["target"].as_str().unwrap())
        .collect();
    assert_eq!(
        targets,
        [
            "https://example.org/a",
            "https://www.wikidata.org/wiki/Q22316"
        ],
        "{links:#}"
    );
    assert_eq!(
        links[1]["range"],
        common::range(
            text,
            find(text, "kerry}").start..find(text, "kerry}").start + 5,
            Enc::Utf16
        )
    );

    let result = ws.server.request_ok(
        "textDocument/semanticTokens/full",
        json!({"textDocument": {"uri": uri}}),
    );
    let data: Vec<u64> = result["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_u64().unwrap())
        .collect();
    let (mut line, mut col) = (0, 0);
    let mut decoded = Vec::new();
    for t in data.chunks(5) {
        if t[0] > 0 {
            line += t[0];
            col = t[1];
        } else {
            col += t[1];
        }
        decoded.push((line, col, t[2], t[3]));
    }
    let surface = find(text, "Mr Kerry");
    let p = position(text, surface.start, Enc::Utf16);
    let variable = 5; // the index of "variable" in the legend
    assert!(
        decoded.contains(&(
            p["line"].as_u64().unwrap(),
            p["character"].as_u64().unwrap(),
            8,
            variable
        )),
        "no token for the surface at {p}: {decoded:?}"
    );
    ws.server.shutdown_and_exit();
}
