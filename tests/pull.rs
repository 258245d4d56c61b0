//! Pull diagnostics and work-done progress, over stdio: a client that pulls
//! gets each document's report on request (full, then unchanged), every
//! file's report including files never opened (unchanged ones without
//! reading them, streamed as partial results when asked), a refresh request
//! when the registry changes, and no pushed diagnostics; a client that does
//! not pull is pushed to as before; indexing reports its progress to a
//! client that shows it.

mod common;

use std::time::Duration;

use common::{Server, TempDir, editor_capabilities, file_uri};
use serde_json::{Value, json};

const BIN: &str = env!("CARGO_BIN_EXE_transcript-ls");

const REGISTRY: &str = r#"{ "entities": { "kerry": { "name": "John Kerry" } } }"#;
const OPENED: &str = "---\ntitle: A\ndate: 2016-02-30\n---\n\nSergey Lavrov: [K]{kerry}.\n";
const CLOSED: &str = "---\ntitle: B\ndate: 2016-07-26\n---\n\nSergey Lavrov: [K]{kery}.\n";
const CLEAN: &str = "---\ntitle: C\ndate: 2016-07-26\n---\n\nSergey Lavrov: Hello.\n";

fn pulling() -> Value {
    let mut caps = editor_capabilities();
    caps["textDocument"]["diagnostic"] =
        json!({"dynamicRegistration": false, "relatedDocumentSupport": false});
    caps["workspace"]["diagnostics"] = json!({"refreshSupport": true});
    caps["window"] = json!({"workDoneProgress": true});
    caps
}

fn collection() -> TempDir {
    let dir = TempDir::new("pull");
    dir.write("transcripts.json", REGISTRY);
    dir.write("a.transcript", OPENED);
    dir.write("sub/b.transcript", CLOSED);
    dir.write("c.transcript", CLEAN);
    dir
}

fn start(dir: &TempDir, caps: Value) -> Server {
    let mut server = Server::spawn(BIN);
    let root = file_uri(dir.path());
    server.request_ok(
        "initialize",
        json!({"processId": null, "rootUri": root,
               "workspaceFolders": [{"uri": root, "name": "ws"}], "capabilities": caps}),
    );
    server.notify("initialized", json!({}));
    server
}

fn codes(items: &Value) -> Vec<String> {
    let mut codes: Vec<String> = items
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap().to_string())
        .collect();
    codes.sort();
    codes
}

/// Pulls the workspace's reports until the index holds every file.
fn workspace_reports(server: &mut Server, previous: Value) -> Vec<Value> {
    for _ in 0..100 {
        let report = server.request_ok(
            "workspace/diagnostic",
            json!({"previousResultIds": previous}),
        );
        let items = report["items"].as_array().unwrap().clone();
        if items.len() >= 4 {
            return items;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("the workspace was never indexed");
}

#[test]
fn a_pulling_client_gets_reports_on_request_and_no_pushes() {
    let dir = collection();
    let mut server = start(&dir, pulling());
    let uri = dir.uri("a.transcript");
    server.did_open(&uri, 1, OPENED);

    let first = server.request_ok(
        "textDocument/diagnostic",
        json!({"textDocument": {"uri": uri}}),
    );
    assert_eq!(first["kind"], "full", "{first:#}");
    assert_eq!(codes(&first["items"]), ["invalid-date"]);
    let id = first["resultId"].as_str().unwrap().to_string();
    let again = server.request_ok(
        "textDocument/diagnostic",
        json!({"textDocument": {"uri": uri}, "previousResultId": id}),
    );
    assert_eq!(again, json!({"kind": "unchanged", "resultId": id}));
    // Fixed: a new report.
    server.did_change(
        &uri,
        2,
        vec![json!({"text": OPENED.replace("02-30", "02-28")})],
    );
    let fixed = server.request_ok(
        "textDocument/diagnostic",
        json!({"textDocument": {"uri": uri}, "previousResultId": id}),
    );
    assert_eq!(fixed["kind"], "full");
    assert_eq!(fixed["items"], json!([]));

    // Every file, open or not, and the registry.
    let items = workspace_reports(&mut server, json!([]));
    let by_uri = |u: &str| {
        items
            .iter()
            .find(|i| i["uri"] == u)
            .cloned()
            .unwrap_or_else(|| panic!("{u}: {items:#?}"))
    };
    assert_eq!(
        codes(&by_uri(&dir.uri("sub/b.transcript"))["items"]),
        ["unknown-entity"]
    );
    assert_eq!(by_uri(&dir.uri("c.transcript"))["items"], json!([]));
    assert_eq!(by_uri(&uri)["version"], 2);
    assert_eq!(by_uri(&dir.uri("sub/b.transcript"))["version"], Value::Null);
    // Asked again with the ids: everything unchanged.
    let previous: Vec<Value> = items
        .iter()
        .map(|i| json!({"uri": i["uri"], "value": i["resultId"]}))
        .collect();
    // Asked again with those ids, nothing new to say: the request is held
    // (clients pull again at once) until something changes.
    let held = json!(9001);
    server
        .send_value(
            &json!({"jsonrpc": "2.0", "id": held, "method": "workspace/diagnostic",
                            "params": {"previousResultIds": previous}}),
        )
        .unwrap();
    let early = server.next_message(Duration::from_millis(500));
    assert!(
        early.as_ref().is_none_or(|m| m.get("id") != Some(&held)),
        "answered at once: {early:#?}"
    );
    server.did_change(&uri, 3, vec![json!({"text": OPENED})]);
    let answer = server.responses_until(&held).pop().unwrap();
    let again = answer["result"]["items"].as_array().unwrap();
    let changed: Vec<&Value> = again.iter().filter(|i| i["kind"] != "unchanged").collect();
    assert_eq!(changed.len(), 1, "{again:#?}");
    assert_eq!(changed[0]["uri"], uri);
    assert_eq!(codes(&changed[0]["items"]), ["invalid-date"]);

    // Nothing was pushed.
    assert!(
        server.published.is_empty(),
        "pushed to a client that pulls: {:?}",
        server.published
    );
    server.shutdown_and_exit();
}

#[test]
fn partial_results_are_streamed_and_the_registry_refreshes() {
    let dir = collection();
    let mut server = start(&dir, pulling());
    let uri = dir.uri("a.transcript");
    server.did_open(&uri, 1, OPENED);
    workspace_reports(&mut server, json!([]));
    let id = server.next_request_id();
    server
        .send_value(
            &json!({"jsonrpc": "2.0", "id": id, "method": "workspace/diagnostic",
            "params": {"previousResultIds": [], "partialResultToken": "partial-1"}}),
        )
        .unwrap();
    let responses = server.responses_until(&json!(id));
    let answer = responses.iter().find(|r| r["id"] == json!(id)).unwrap();
    assert_eq!(answer["result"]["items"], json!([]), "{answer:#}");
    let streamed: Vec<&Value> = server
        .pending_notifications()
        .iter()
        .filter(|n| n["method"] == "$/progress" && n["params"]["token"] == "partial-1")
        .collect();
    let uris: Vec<&Value> = streamed
        .iter()
        .flat_map(|n| n["params"]["value"]["items"].as_array().unwrap())
        .map(|i| &i["uri"])
        .collect();
    assert!(
        uris.contains(&&json!(dir.uri("sub/b.transcript"))),
        "{streamed:#?}"
    );
    assert!(uris.contains(&&json!(uri)), "{streamed:#?}");

    // The registry changes on disk: the client is asked to pull again.
    dir.write(
        "transcripts.json",
        r#"{ "entities": { "kery": { "name": "J. Kery" } } }"#,
    );
    server.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": dir.uri("transcripts.json"), "type": 2}]}),
    );
    server.request_ok("workspace/symbol", json!({"query": "x"}));
    for _ in 0..100 {
        if server
            .server_requests
            .iter()
            .any(|r| r["method"] == "workspace/diagnostic/refresh")
        {
            break;
        }
        server.request_ok("workspace/symbol", json!({"query": "x"}));
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(
        server
            .server_requests
            .iter()
            .any(|r| r["method"] == "workspace/diagnostic/refresh"),
        "{:#?}",
        server.server_requests
    );
    let items = workspace_reports(&mut server, json!([]));
    let b = items
        .iter()
        .find(|i| i["uri"] == dir.uri("sub/b.transcript"))
        .unwrap();
    assert_eq!(b["items"], json!([]), "kery is an entity now: {b:#}");
    server.shutdown_and_exit();
}

#[test]
fn a_client_that_does_not_pull_is_pushed_to() {
    let dir = collection();
    let mut server = start(&dir, editor_capabilities());
    let uri = dir.uri("a.transcript");
    server.did_open(&uri, 1, OPENED);
    let pushed = server.wait_for_diagnostics(&uri, |p| p["version"] == 1);
    assert_eq!(codes(&pushed["diagnostics"]), ["invalid-date"]);
    server.shutdown_and_exit();
}

#[test]
fn indexing_shows_its_progress() {
    let dir = collection();
    let mut server = start(&dir, pulling());
    let end = server.wait_for_notification("$/progress", |p| p["value"]["kind"] == "end");
    let message = end["value"]["message"].as_str().unwrap();
    assert!(
        message.starts_with("indexed 3 transcripts in "),
        "{message}"
    );
    let create = server
        .server_requests
        .iter()
        .find(|r| r["method"] == "window/workDoneProgress/create")
        .expect("a progress token was created");
    assert_eq!(create["params"]["token"], end["token"]);
    server.shutdown_and_exit();
}
