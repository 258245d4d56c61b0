//! A hostile or unusual workspace, end to end over stdio: one identity per
//! file (a workspace opened through a symbolic link while the editor opens
//! files by their real path), renames that keep the collection valid (ids
//! named by registry speakers; names and ids the format would misread
//! refused with a reason), hovers that show registry text as text, and URIs
//! that are not valid answered with a logged error and a message.

mod common;

use std::os::unix::fs::symlink;

use common::{Enc, Server, TempDir, apply_edits, editor_capabilities, file_uri, find, position};
use serde_json::{Value, json};
use transcript_ls::analysis::analyze;
use transcript_ls::registry::Registry;

const BIN: &str = env!("CARGO_BIN_EXE_transcript-ls");

const REGISTRY: &str = r#"{
  "entities": {
    "kerry": { "name": "John Kerry", "type": "person" },
    "lavrov": {
      "name": "Sergey Lavrov",
      "type": "person",
      "description": "[click](command:workbench.action.terminal.new) ![x](https://evil.example/x.png) <img src=x onerror=alert(1)> **bold** https://evil.example",
      "wikidata": "Q1) [owned](command:x"
    }
  },
  "speakers": {
    "Sergey Lavrov": { "role": "Minister", "entity": "lavrov" },
    "Maria Zakharova": { "role": "Spokeswoman" }
  }
}
"#;

fn transcript(i: usize) -> String {
    format!(
        "---\ntitle: T{i}\ndate: 2016-07-26\n---\n\nQuestion: Did you meet [Mr Kerry]{{kerry}}?\n\nSergey Lavrov: Yes, [Lavrov]{{lavrov}} met him.\n\nMaria Zakharova: Indeed.\n"
    )
}

/// Starts a server on `root` (a workspace folder URI) and waits until
/// `count` files are indexed.
fn start(root: &str, count: usize) -> Server {
    let mut server = Server::spawn(BIN);
    server.request_ok(
        "initialize",
        json!({"processId": null, "rootUri": root,
               "workspaceFolders": [{"uri": root, "name": "ws"}],
               "capabilities": editor_capabilities()}),
    );
    server.notify("initialized", json!({}));
    for _ in 0..200 {
        let found = server.request_ok("workspace/symbol", json!({"query": "Did you meet"}));
        if found.as_array().is_some_and(|a| a.len() >= count) {
            return server;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    panic!("the workspace was never indexed: {}", server.stderr());
}

fn at(uri: &str, text: &str, offset: usize) -> Value {
    json!({"textDocument": {"uri": uri}, "position": position(text, offset, Enc::Utf16)})
}

#[test]
fn a_workspace_opened_through_a_link_is_one_collection() {
    let dir = TempDir::new("linked");
    let real = dir.path().join("real");
    std::fs::create_dir(&real).unwrap();
    std::fs::write(real.join("transcripts.json"), REGISTRY).unwrap();
    for i in 0..30 {
        std::fs::write(real.join(format!("t{i:02}.transcript")), transcript(i)).unwrap();
    }
    let link = dir.path().join("link");
    symlink(&real, &link).unwrap();
    // The editor opens the folder through the link, and a file by its real path.
    let mut server = start(&file_uri(&link), 30);
    let text = transcript(0);
    let uri = file_uri(&real.join("t00.transcript"));
    server.did_open(&uri, 1, &text);
    let offset = find(&text, "{kerry}").start + 2;
    let mut params = at(&uri, &text, offset);
    params["context"] = json!({"includeDeclaration": false});
    let refs = server.request_ok("textDocument/references", params);
    let mut files: Vec<&str> = refs
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["uri"].as_str().unwrap())
        .collect();
    files.sort();
    let places = files.len();
    files.dedup();
    assert_eq!((places, files.len()), (30, 30), "{refs:#}");

    let mut params = at(&uri, &text, offset);
    params["newName"] = json!("john-kerry");
    let edit = server.request_ok("textDocument/rename", params);
    let changes = edit["changes"].as_object().unwrap();
    // 30 transcripts and the registry, each once.
    assert_eq!(
        changes.len(),
        31,
        "{:#?}",
        changes.keys().collect::<Vec<_>>()
    );
    server.shutdown_and_exit();
}

/// The workspace of the rename tests: the registry and two transcripts, one open.
fn small_workspace() -> (TempDir, Server, String, String) {
    let dir = TempDir::new("renames");
    dir.write("transcripts.json", REGISTRY);
    dir.write("a.transcript", transcript(1));
    dir.write("b.transcript", transcript(2));
    let mut server = start(&file_uri(dir.path()), 2);
    let uri = dir.uri("a.transcript");
    let text = transcript(1);
    server.did_open(&uri, 1, &text);
    (dir, server, uri, text)
}

#[test]
fn renaming_an_entity_updates_the_speakers_that_name_it() {
    let (dir, mut server, uri, text) = small_workspace();
    let offset = find(&text, "{lavrov}").start + 2;
    let mut params = at(&uri, &text, offset);
    params["newName"] = json!("sergey-lavrov");
    let edit = server.request_ok("textDocument/rename", params);
    let changes = &edit["changes"];
    let registry = apply_edits(
        REGISTRY,
        changes[&dir.uri("transcripts.json")].as_array().unwrap(),
    );
    let parsed = Registry::parse(&registry);
    // The registry's one deliberate problem (its odd Wikidata id), and no other.
    let rules = |r: &Registry| r.problems().iter().map(|d| d.rule).collect::<Vec<_>>();
    assert_eq!(
        rules(&parsed),
        rules(&Registry::parse(REGISTRY)),
        "{registry}"
    );
    assert_eq!(
        parsed.speakers["Sergey Lavrov"].entity.as_deref(),
        Some("sergey-lavrov")
    );
    for (name, i) in [("a.transcript", 1), ("b.transcript", 2)] {
        let renamed = apply_edits(&transcript(i), changes[&dir.uri(name)].as_array().unwrap());
        let after = analyze(&renamed, Some(&parsed));
        assert!(
            after.diagnostics.is_empty(),
            "{name}: {:#?}",
            after.diagnostics
        );
    }
    server.shutdown_and_exit();
}

#[test]
fn renames_the_format_would_misread_are_refused_with_a_reason() {
    let (_dir, mut server, uri, text) = small_workspace();
    let speaker = find(&text, "Maria Zakharova:").start + 2;
    for bad in [
        "Question",
        "Question (TASS)",
        "# Heading",
        "// note",
        "\\Anna",
        "[x] Anna",
        "Anna:",
        "Sergey Lavrov",
    ] {
        let mut params = at(&uri, &text, speaker);
        params["newName"] = json!(bad);
        let error = server
            .request("textDocument/rename", params)
            .expect_err(bad);
        let message = error["message"].as_str().unwrap();
        assert!(
            message.contains("cannot be a speaker's name") || message.contains("would merge"),
            "{bad}: {message}"
        );
    }
    let entity = find(&text, "{kerry}").start + 2;
    for bad in [
        "a}b",
        " kerry",
        "k\u{1b}[31m",
        "person",
        "lavrov",
        "two words",
        "",
    ] {
        let mut params = at(&uri, &text, entity);
        params["newName"] = json!(bad);
        let error = server
            .request("textDocument/rename", params)
            .expect_err(bad);
        assert!(
            !error["message"].as_str().unwrap().is_empty(),
            "{bad}: {error:#}"
        );
    }
    // A speaker declared in the registry: its key and every file's labels.
    let mut params = at(&uri, &text, speaker);
    params["newName"] = json!("Maria V. Zakharova");
    let edit = server.request_ok("textDocument/rename", params);
    let changes = edit["changes"].as_object().unwrap();
    assert_eq!(changes.len(), 3, "{edit:#}");
    server.shutdown_and_exit();
}

#[test]
fn hovers_show_registry_text_as_text() {
    let (_dir, mut server, uri, text) = small_workspace();
    let offset = find(&text, "[Lavrov]").start + 2;
    let (line, col) = common::line_col(&text, offset, Enc::Utf16);
    let hover = server.hover(&uri, line, col);
    let md = hover["contents"]["value"].as_str().unwrap();
    // Live: written without a backslash before it.
    let live = |raw: &str| {
        md.match_indices(raw)
            .any(|(i, _)| i == 0 || md.as_bytes()[i - 1] != b'\\')
    };
    for raw in [
        "[click](",
        "![x](",
        "<img",
        "**bold**",
        "https://evil",
        "[owned](",
        "](https://www.wikidata.org",
    ] {
        assert!(!live(raw), "{raw:?} is live Markdown in {md:?}");
    }
    for shown in [
        "\\[click\\](command:",
        "\\<img",
        "\\*\\*bold\\*\\*",
        "https\\://evil",
    ] {
        assert!(md.contains(shown), "{shown:?} not in {md:?}");
    }
    server.shutdown_and_exit();
}

#[test]
fn a_uri_that_is_not_valid_gets_a_logged_error_and_a_message() {
    let mut server = Server::spawn(BIN);
    server.initialize(editor_capabilities());
    let text = transcript(0);
    server.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": "file:///tmp/a b.transcript", "languageId": "transcript", "version": 1, "text": text}}),
    );
    let shown = server.wait_for_notification("window/showMessage", |_| true);
    assert_eq!(shown["type"], 1, "{shown:#}");
    let message = shown["message"].as_str().unwrap();
    assert!(
        message.contains("file:///tmp/a b.transcript") && message.contains("%20"),
        "{message}"
    );
    // A request with such a URI is answered with an error that says why.
    let error = server
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": "file:///tmp/a b.transcript"}, "position": {"line": 0, "character": 0}}),
        )
        .unwrap_err();
    assert!(
        error["message"]
            .as_str()
            .unwrap()
            .contains("not a valid URI"),
        "{error:#}"
    );
    // And logged, at the default level.
    let logged = (0..100).any(|_| {
        std::thread::sleep(std::time::Duration::from_millis(20));
        server
            .stderr()
            .contains("textDocument/didOpen: `file:///tmp/a b.transcript` is not a valid URI")
    });
    assert!(logged, "{}", server.stderr());
    server.shutdown_and_exit();
}
