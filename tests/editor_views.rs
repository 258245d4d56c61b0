//! Code lenses, inlay hints, document highlights, selection ranges, the
//! editor's `transcript` settings and the suppression and fix-all code
//! actions, over stdio as an editor drives them: positions exact in UTF-16
//! after curly quotes, dashes, no-break spaces and astral characters.

mod common;

use std::time::Duration;

use common::{
    Enc, Server, TempDir, apply_edits, editor_capabilities, file_uri, find, find_nth, position,
    range,
};
use serde_json::{Value, json};

const BIN: &str = env!("CARGO_BIN_EXE_transcript-ls");

const REGISTRY: &str = r#"{ "entities": {
  "kerry": { "name": "John Kerry", "type": "person", "aliases": ["Mr Kerry"] },
  "laos": { "name": "Laos", "type": "place" }
} }"#;

/// A transcript with two speakers, two sections and two questions; before
/// each interesting place a character that is two UTF-16 units or three
/// UTF-8 bytes.
const TEXT: &str = "---\ntitle: Talks – “Laos” 😀\ndate: 2017-06-16\nspeaker: Sergey Lavrov\nspeaker: Ann Lee\n---\n\n# Opening\n\nSergey Lavrov: 😀 We met [Mr Kerry]{kerry}\u{a0}– and [John Kerry]{kerry} agreed.\n\n# Questions\n\nQuestion (TASS): “Laos”? 😀 [Mr Kerry]{kerry}?\n\nSergey Lavrov: Yes.\n\nQuestion: And [Laos]{laos}?\n\nAnn Lee: No.\n";

fn capabilities() -> Value {
    let mut caps = editor_capabilities();
    caps["workspace"]["codeLens"] = json!({"refreshSupport": true});
    caps["workspace"]["inlayHint"] = json!({"refreshSupport": true});
    caps
}

fn collection() -> TempDir {
    let dir = TempDir::new("views");
    dir.write("transcripts.json", REGISTRY);
    dir.write("a.transcript", TEXT);
    dir.write(
        "sub/b.transcript",
        "---\ntitle: B\ndate: 2017-06-17\n---\n\nAnn Lee: [Kerry]{kerry} and [Mr Kerry]{kerry}.\n",
    );
    dir
}

/// A server on `dir` that answers `workspace/configuration` with `settings`.
fn start(dir: &TempDir, settings: Value) -> (Server, Value) {
    let mut server = Server::spawn(BIN);
    server
        .answers
        .insert("workspace/configuration".into(), json!([settings]));
    let root = file_uri(dir.path());
    let init = server.request_ok(
        "initialize",
        json!({"processId": null, "rootUri": root,
               "workspaceFolders": [{"uri": root, "name": "ws"}], "capabilities": capabilities()}),
    );
    server.notify("initialized", json!({}));
    (server, init)
}

fn open(server: &mut Server, dir: &TempDir) -> String {
    let uri = dir.uri("a.transcript");
    server.did_open(&uri, 1, TEXT);
    server.wait_for_diagnostics(&uri, |_| true);
    uri
}

fn requests(server: &Server, method: &str) -> usize {
    server
        .server_requests
        .iter()
        .filter(|r| r["method"] == method)
        .count()
}

/// Sends `workspace/symbol` requests (which answer at once) until the
/// server has sent `n` requests of `method`.
fn wait_for_requests(server: &mut Server, method: &str, n: usize) {
    for _ in 0..200 {
        if requests(server, method) >= n {
            return;
        }
        server.request_ok("workspace/symbol", json!({"query": "x"}));
        std::thread::sleep(Duration::from_millis(20));
    }
    panic!(
        "the server sent fewer than {n} {method}: {:#?}",
        server.server_requests
    );
}

fn lenses(server: &mut Server, uri: &str) -> Vec<Value> {
    server
        .request_ok(
            "textDocument/codeLens",
            json!({"textDocument": {"uri": uri}}),
        )
        .as_array()
        .unwrap()
        .clone()
}

fn hints(server: &mut Server, uri: &str) -> Vec<Value> {
    let whole = json!({"start": {"line": 0, "character": 0}, "end": {"line": 100, "character": 0}});
    server
        .request_ok(
            "textDocument/inlayHint",
            json!({"textDocument": {"uri": uri}, "range": whole}),
        )
        .as_array()
        .unwrap()
        .clone()
}

/// The next diagnostics published for `uri` that satisfy `predicate`.
fn published(server: &mut Server, uri: &str, predicate: impl Fn(&[Value]) -> bool) -> Vec<Value> {
    let params = server.wait_for_diagnostics(uri, |p| {
        p["diagnostics"].as_array().is_some_and(|d| predicate(d))
    });
    params["diagnostics"].as_array().unwrap().clone()
}

fn codes(diagnostics: &[Value]) -> Vec<String> {
    let mut codes: Vec<String> = diagnostics
        .iter()
        .map(|d| d["code"].as_str().unwrap().to_string())
        .collect();
    codes.sort();
    codes
}

#[test]
fn the_server_says_it_gives_lenses_hints_highlights_and_selection_ranges() {
    let dir = collection();
    let (server, init) = start(&dir, Value::Null);
    let caps = &init["capabilities"];
    assert_eq!(caps["codeLensProvider"], json!({"resolveProvider": false}));
    assert_eq!(caps["inlayHintProvider"], json!(true));
    assert_eq!(caps["documentHighlightProvider"], json!(true));
    assert_eq!(caps["selectionRangeProvider"], json!(true));
    assert!(
        caps["codeActionProvider"]["codeActionKinds"]
            .as_array()
            .unwrap()
            .contains(&json!("source.fixAll"))
    );
    server.shutdown_and_exit();
}

#[test]
fn lenses_above_speakers_and_sections_open_the_speakers_turns() {
    let dir = collection();
    let (mut server, _) = start(&dir, Value::Null);
    let uri = open(&mut server, &dir);
    let found = lenses(&mut server, &uri);
    let titles: Vec<&str> = found
        .iter()
        .map(|l| l["command"]["title"].as_str().unwrap())
        .collect();
    assert_eq!(
        titles,
        [
            "2 turns · 9 words",
            "1 turn · 1 word",
            "0 questions",
            "2 questions"
        ],
        "{found:#?}"
    );
    let lavrov = &found[0];
    let line = find(TEXT, "speaker: Sergey Lavrov");
    assert_eq!(lavrov["range"], range(TEXT, line.clone(), Enc::Utf16));
    assert_eq!(lavrov["command"]["command"], "transcript.showReferences");
    let name = find(TEXT, "Sergey Lavrov\nspeaker");
    assert_eq!(
        lavrov["command"]["arguments"],
        json!([uri, position(TEXT, name.start, Enc::Utf16)])
    );
    // The arguments are where references are: the speaker's turns.
    let refs = server.request_ok(
        "textDocument/references",
        json!({"textDocument": {"uri": uri}, "position": lavrov["command"]["arguments"][1],
               "context": {"includeDeclaration": false}}),
    );
    assert_eq!(refs.as_array().unwrap().len(), 2, "{refs:#}");
    // A section lens has nothing to open: it shows as text.
    assert_eq!(found[3]["command"]["command"], "");
    assert_eq!(
        found[3]["range"],
        range(TEXT, find(TEXT, "# Questions"), Enc::Utf16)
    );
    server.shutdown_and_exit();
}

#[test]
fn registry_lenses_count_mentions_in_open_and_unopened_files() {
    let dir = collection();
    let (mut server, _) = start(&dir, Value::Null);
    let uri = open(&mut server, &dir);
    // The index is built after `initialized`; the lenses are refreshed then.
    wait_for_requests(&mut server, "workspace/codeLens/refresh", 1);
    let registry = dir.uri("transcripts.json");
    let found = lenses(&mut server, &registry);
    let titles: Vec<&str> = found
        .iter()
        .map(|l| l["command"]["title"].as_str().unwrap())
        .collect();
    // a: three kerry, one laos; b: two kerry.
    assert_eq!(
        titles,
        ["mentioned 5 times in 2 files", "mentioned once in 1 file"]
    );
    let key = find(REGISTRY, "\"kerry\"");
    assert_eq!(found[0]["range"], range(REGISTRY, key.clone(), Enc::Utf16));
    assert_eq!(found[0]["command"]["command"], "transcript.showReferences");
    let refs = server.request_ok(
        "textDocument/references",
        json!({"textDocument": {"uri": registry}, "position": found[0]["command"]["arguments"][1],
               "context": {"includeDeclaration": false}}),
    );
    assert_eq!(refs.as_array().unwrap().len(), 5, "{refs:#}");
    // An edit in the open document is counted at once.
    let end = position(TEXT, TEXT.len(), Enc::Utf16);
    server.did_change(
        &uri,
        2,
        vec![json!({"range": {"start": end, "end": end}, "text": "\nAnn Lee: [Kerry]{kerry}.\n"})],
    );
    server.wait_for_diagnostics(&uri, |_| true);
    let found = lenses(&mut server, &registry);
    assert_eq!(found[0]["command"]["title"], "mentioned 6 times in 2 files");
    server.shutdown_and_exit();
}

#[test]
fn inlay_hints_name_the_entity_and_number_the_questions_at_exact_positions() {
    let dir = collection();
    let (mut server, _) = start(&dir, Value::Null);
    let uri = open(&mut server, &dir);
    let found = hints(&mut server, &uri);
    let shown: Vec<(Value, &str)> = found
        .iter()
        .map(|h| (h["position"].clone(), h["label"].as_str().unwrap()))
        .collect();
    let after = |needle: &str, n: usize| position(TEXT, find_nth(TEXT, needle, n).end, Enc::Utf16);
    let before =
        |needle: &str, n: usize| position(TEXT, find_nth(TEXT, needle, n).start, Enc::Utf16);
    assert_eq!(
        shown,
        [
            (after("[Mr Kerry]{kerry}", 0), "John Kerry"),
            (before("Question (", 0), "Q1"),
            (after("[Mr Kerry]{kerry}", 1), "John Kerry"),
            (before("Question:", 0), "Q2"),
        ],
        "{found:#?}"
    );
    // A range asks only for its hints; the questions keep their numbers.
    let second = find(TEXT, "Question: And");
    let part = server.request_ok(
        "textDocument/inlayHint",
        json!({"textDocument": {"uri": uri}, "range": range(TEXT, second, Enc::Utf16)}),
    );
    assert_eq!(part.as_array().unwrap().len(), 1);
    assert_eq!(part[0]["label"], "Q2");
    server.shutdown_and_exit();
}

#[test]
fn highlights_show_every_mention_of_the_entity_and_every_turn_of_the_speaker() {
    let dir = collection();
    let (mut server, _) = start(&dir, Value::Null);
    let uri = open(&mut server, &dir);
    let on =
        |needle: &str, n: usize| position(TEXT, find_nth(TEXT, needle, n).start + 1, Enc::Utf16);
    let got = server.request_ok(
        "textDocument/documentHighlight",
        json!({"textDocument": {"uri": uri}, "position": on("[John Kerry]", 0)}),
    );
    let expected: Vec<Value> = [
        find_nth(TEXT, "[Mr Kerry]{kerry}", 0),
        find(TEXT, "[John Kerry]{kerry}"),
        find_nth(TEXT, "[Mr Kerry]{kerry}", 1),
    ]
    .into_iter()
    .map(|span| json!({"range": range(TEXT, span, Enc::Utf16), "kind": 2}))
    .collect();
    assert_eq!(got, json!(expected));
    let got = server.request_ok(
        "textDocument/documentHighlight",
        json!({"textDocument": {"uri": uri}, "position": on("Sergey Lavrov:", 1)}),
    );
    let kinds: Vec<i64> = got
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["kind"].as_i64().unwrap())
        .collect();
    // The declaration is written (3), the turn labels read (2).
    assert_eq!(kinds, [3, 2, 2], "{got:#}");
    // Nothing to highlight in plain text.
    let got = server.request_ok(
        "textDocument/documentHighlight",
        json!({"textDocument": {"uri": uri}, "position": on("agreed", 0)}),
    );
    assert_eq!(got, json!([]));
    server.shutdown_and_exit();
}

#[test]
fn selection_ranges_grow_from_the_mention_to_the_document_one_answer_per_position() {
    let dir = collection();
    let (mut server, _) = start(&dir, Value::Null);
    let uri = open(&mut server, &dir);
    let mention = find_nth(TEXT, "[Mr Kerry]{kerry}", 1);
    let got = server.request_ok(
        "textDocument/selectionRange",
        json!({"textDocument": {"uri": uri}, "positions": [
            position(TEXT, mention.start + 2, Enc::Utf16),
            {"line": 500, "character": 9},
        ]}),
    );
    let got = got.as_array().unwrap();
    assert_eq!(got.len(), 2);
    let mut chain = Vec::new();
    let mut at = &got[0];
    while !at.is_null() {
        chain.push(at["range"].clone());
        at = &at["parent"];
    }
    // The mention's words, the mention, …
    let words = find_nth(TEXT, "Mr Kerry", 1);
    assert_eq!(chain[0], range(TEXT, words, Enc::Utf16), "{chain:#?}");
    assert_eq!(chain[1], range(TEXT, mention, Enc::Utf16), "{chain:#?}");
    assert_eq!(
        chain.last().unwrap(),
        &range(TEXT, 0..TEXT.len(), Enc::Utf16)
    );
    let question = find(TEXT, "Question (TASS): “Laos”? 😀 [Mr Kerry]{kerry}?");
    assert!(
        chain.contains(&range(TEXT, question, Enc::Utf16)),
        "{chain:#?}"
    );
    let section = find(TEXT, "# Questions").start..TEXT.len() - 1;
    assert!(
        chain.contains(&range(TEXT, section, Enc::Utf16)),
        "{chain:#?}"
    );
    // A position past the end gets the whole text, and nothing around it.
    assert_eq!(got[1]["range"], range(TEXT, 0..TEXT.len(), Enc::Utf16));
    assert!(got[1]["parent"].is_null(), "{:#}", got[1]);
    server.shutdown_and_exit();
}

#[test]
fn the_editors_settings_turn_lenses_and_hints_off_and_set_rule_severities() {
    let dir = collection();
    dir.write("a.transcript", TEXT.replace("{laos}", "{loas}"));
    let text = TEXT.replace("{laos}", "{loas}");
    let settings = json!({"codeLens": {"enable": false}, "inlayHints": {"enable": false},
                          "rules": {"unknown-entity": "hint"}});
    let (mut server, _) = start(&dir, settings);
    wait_for_requests(&mut server, "workspace/configuration", 1);
    let uri = dir.uri("a.transcript");
    server.did_open(&uri, 1, &text);
    let diagnostics = published(&mut server, &uri, |d| !d.is_empty());
    assert_eq!(codes(&diagnostics), ["unknown-entity"]);
    assert_eq!(diagnostics[0]["severity"], 4, "a hint, as the settings say");
    assert!(lenses(&mut server, &uri).is_empty());
    assert!(hints(&mut server, &uri).is_empty());

    // The user changes the settings: the rule is off, lenses and hints are
    // back; the diagnostics are published again and the views refreshed.
    server.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"transcript": {"rules": {"unknown-entity": "off"}}}}),
    );
    published(&mut server, &uri, |d| d.is_empty());
    wait_for_requests(&mut server, "workspace/inlayHint/refresh", 1);
    assert!(requests(&server, "workspace/codeLens/refresh") >= 1);
    assert_eq!(lenses(&mut server, &uri).len(), 4);
    assert_eq!(hints(&mut server, &uri).len(), 4);

    // A change without the section makes the server ask for it.
    server.answers.insert(
        "workspace/configuration".into(),
        json!([{"rules": {"unknown-entity": "warning"}}]),
    );
    let asked = requests(&server, "workspace/configuration");
    server.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": null}),
    );
    let diagnostics = published(&mut server, &uri, |d| !d.is_empty());
    assert_eq!(diagnostics[0]["severity"], 2);
    assert_eq!(requests(&server, "workspace/configuration"), asked + 1);

    // A bad setting is shown, naming it, and the settings stay.
    server.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"transcript": {"rules": {"unknown-entiy": "off"}}}}),
    );
    let shown = server.wait_for_notification("window/showMessage", |_| true);
    let message = shown["message"].as_str().unwrap();
    assert!(
        message.contains("unknown rule `unknown-entiy`"),
        "{message}"
    );
    assert!(
        message.contains("did you mean `unknown-entity`"),
        "{message}"
    );
    assert_eq!(shown["type"], 1);
    let report = server.request_ok(
        "textDocument/diagnostic",
        json!({"textDocument": {"uri": uri}}),
    );
    let items = report["items"].as_array().unwrap();
    assert_eq!(codes(items), ["unknown-entity"]);
    assert_eq!(items[0]["severity"], 2, "still a warning: {report:#}");
    server.shutdown_and_exit();
}

#[test]
fn a_problem_can_be_allowed_here_or_in_the_file_from_its_quick_fixes() {
    let dir = collection();
    let text = TEXT.replace("{laos}", "{loas}");
    dir.write("a.transcript", &text);
    let (mut server, _) = start(&dir, Value::Null);
    let uri = dir.uri("a.transcript");
    server.did_open(&uri, 1, &text);
    let diagnostics = published(&mut server, &uri, |d| !d.is_empty());
    let problem = diagnostics[0].clone();
    assert_eq!(problem["code"], "unknown-entity");
    let actions = server.request_ok(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": problem["range"],
               "context": {"diagnostics": [problem]}}),
    );
    let titles: Vec<&str> = actions
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["title"].as_str().unwrap())
        .collect();
    assert!(
        titles.contains(&"Allow `unknown-entity` here"),
        "{titles:?}"
    );
    assert!(
        titles.contains(&"Allow `unknown-entity` in this file"),
        "{titles:?}"
    );
    let allow = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"] == "Allow `unknown-entity` here")
        .unwrap();
    assert_eq!(allow["kind"], "quickfix");
    let edits = allow["edit"]["changes"][&uri].as_array().unwrap();
    let allowed = apply_edits(&text, edits);
    assert!(
        allowed.contains("// transcript-ls: allow unknown-entity\nQuestion: And [Laos]{loas}?"),
        "{allowed}"
    );
    server.did_change(&uri, 2, vec![json!({"text": allowed})]);
    let after = published(&mut server, &uri, |_| true);
    assert_eq!(
        after,
        Vec::<Value>::new(),
        "the allow silences it and is used"
    );
    server.shutdown_and_exit();
}

#[test]
fn fix_all_is_one_edit_of_the_changed_stretch_and_only_when_asked_for() {
    let dir = collection();
    // Two safe fixes (a misspelt header key with one suggestion, a
    // misspelt entity id with one) and one that needs a person.
    let text = TEXT.replace("title:", "titel:").replace("{laos}", "{loas}");
    dir.write("a.transcript", &text);
    let (mut server, _) = start(&dir, Value::Null);
    let uri = dir.uri("a.transcript");
    server.did_open(&uri, 1, &text);
    published(&mut server, &uri, |d| !d.is_empty());
    let actions = server.request_ok(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": range(&text, 0..0, Enc::Utf16),
               "context": {"diagnostics": [], "only": ["source.fixAll"]}}),
    );
    let actions = actions.as_array().unwrap();
    assert_eq!(actions.len(), 1, "{actions:#?}");
    assert_eq!(actions[0]["kind"], "source.fixAll");
    assert_eq!(actions[0]["title"], "Fix 2 problems (safe)");
    let edits = actions[0]["edit"]["changes"][&uri].as_array().unwrap();
    assert_eq!(edits.len(), 1);
    // The one edit spans from the first change to the last, no more.
    assert_eq!(
        edits[0]["range"]["start"],
        position(&text, find(&text, "titel").start + 3, Enc::Utf16)
    );
    assert_eq!(apply_edits(&text, edits), TEXT);
    // Quick fixes are not asked for: none is given.
    let only_quick = server.request_ok(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": range(&text, 0..0, Enc::Utf16),
               "context": {"diagnostics": [], "only": ["quickfix"]}}),
    );
    assert_eq!(only_quick, json!([]));
    // A clean file has nothing to fix.
    server.did_change(&uri, 2, vec![json!({"text": TEXT})]);
    server.wait_for_diagnostics(&uri, |_| true);
    let none = server.request_ok(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": range(TEXT, 0..0, Enc::Utf16),
               "context": {"diagnostics": [], "only": ["source.fixAll"]}}),
    );
    assert_eq!(none, json!([]));
    server.shutdown_and_exit();
}
