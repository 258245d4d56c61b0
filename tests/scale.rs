//! The server with large inputs, over stdio, as an editor drives it (not
//! timed: the harness measures speed): completion and workspace symbols on
//! a registry of 100,000 entities are capped, ranked and say when they are
//! incomplete; a cancelled request is answered with RequestCancelled
//! (-32800); a storm of watched-file events is applied once; a client that
//! stops reading does not make the server's memory grow; files opened
//! together that share an `id` are published about once each; `exit` ends
//! the server while its output waits for a client that reads nothing; memory
//! freed after a burst of opened documents is given back; an unopened file
//! changed on disk is seen as changed, and once opened, as the editor has it.

mod common;

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::Duration;

use common::{Enc, Server, TempDir, editor_capabilities, file_uri, find, position};
use serde_json::{Value, json};

const BIN: &str = env!("CARGO_BIN_EXE_transcript-ls");
const ENTITIES: usize = 100_000;

/// A registry of `ENTITIES` people: `p0` … named "Person 0 Surname0 …".
fn big_registry() -> String {
    let mut out = String::from("{\n  \"entities\": {\n");
    for i in 0..ENTITIES {
        let sep = if i + 1 < ENTITIES { "," } else { "" };
        out.push_str(&format!(
            "    \"p{i}\": {{ \"name\": \"Person {i} Surname{}\", \"type\": \"person\", \"aliases\": [\"P. {i}\"] }}{sep}\n",
            i % 97
        ));
    }
    out.push_str("  }\n}\n");
    out
}

fn start(dir: &TempDir, args: &[&str], options: Value) -> Server {
    let mut server = Server::spawn_with_args(BIN, args);
    let root = file_uri(dir.path());
    server.request_ok(
        "initialize",
        json!({"processId": null, "rootUri": root,
               "workspaceFolders": [{"uri": root, "name": "ws"}],
               "initializationOptions": options,
               "capabilities": editor_capabilities()}),
    );
    server.notify("initialized", json!({}));
    server
}

fn at(uri: &str, text: &str, offset: usize) -> Value {
    json!({"textDocument": {"uri": uri}, "position": position(text, offset, Enc::Utf16)})
}

#[test]
fn completion_and_symbols_on_a_large_registry_are_capped_and_ranked() {
    let dir = TempDir::new("big-registry");
    dir.write("transcripts.json", big_registry());
    let text = "---\ntitle: T\ndate: 2016-07-26\n---\n\nQuestion: Did [Mr X]{p12";
    let uri = dir.uri("a.transcript");
    let mut server = start(&dir, &[], json!(null));
    server.did_open(&uri, 1, text);

    // Inside `{…}`: 1,111 ids start with `p12`: at most 200 of them, the
    // exact id first, and "incomplete", so that the editor asks again.
    let list = server.request_ok("textDocument/completion", at(&uri, text, text.len()));
    let items = list["items"].as_array().unwrap();
    let entities = |items: &[Value]| items.iter().filter(|i| i["kind"] == 20).count();
    assert_eq!(entities(items), 200);
    assert_eq!(list["isIncomplete"], true);
    assert_eq!(items[0]["label"], "p12", "{:#}", items[0]);
    let labels: Vec<&str> = items.iter().filter_map(|i| i["label"].as_str()).collect();
    assert!(
        labels.contains(&"p120"),
        "prefix matches follow: {labels:?}"
    );
    // Typing on: 11 ids start with `p1234`; they come first (the exact one
    // first), then ids a typo away, and the list is complete.
    let longer = format!("{text}34");
    server.did_change(&uri, 2, vec![json!({"text": longer})]);
    let list = server.request_ok("textDocument/completion", at(&uri, &longer, longer.len()));
    let items = list["items"].as_array().unwrap();
    assert_eq!(list["isIncomplete"], false);
    let labels: Vec<&str> = items.iter().filter_map(|i| i["label"].as_str()).collect();
    assert_eq!(labels[0], "p1234");
    assert!(
        labels[..11].iter().all(|l| l.starts_with("p1234")),
        "{labels:?}"
    );
    assert!(labels[11..].contains(&"p1235"), "typos follow: {labels:?}");

    // With a smaller cap set by the client.
    let mut small = start(&dir, &[], json!({"maxItems": 10}));
    small.did_open(&uri, 1, text);
    small.wait_for_diagnostics(&uri, |_| true);
    let list = small.request_ok("textDocument/completion", at(&uri, text, text.len()));
    let entities = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["kind"] == 20)
        .count();
    assert_eq!(entities, 10, "{list:#}");
    small.shutdown_and_exit();

    // Workspace symbols: by name, word start and typo, capped.
    for (query, first) in [
        ("Person 4242 ", "Person 4242 Surname71 (p4242)"),
        ("Surname13", "Person 13 Surname13 (p13)"),
        ("p.", "Person 0 Surname0 (p0)"),
    ] {
        let found = server.request_ok("workspace/symbol", json!({"query": query}));
        let found = found.as_array().unwrap();
        assert!(
            !found.is_empty() && found.len() <= 200,
            "{query}: {}",
            found.len()
        );
        assert_eq!(found[0]["name"], first, "{query}");
    }
    let typo = server.request_ok("workspace/symbol", json!({"query": "Persn 4242 Surname71"}));
    assert!(
        typo.as_array()
            .unwrap()
            .iter()
            .any(|s| s["name"] == "Person 4242 Surname71 (p4242)"),
        "{typo:#}"
    );
    server.shutdown_and_exit();
}

#[test]
fn a_cancelled_request_is_answered_with_request_cancelled() {
    let dir = TempDir::with_empty_registry("cancel");
    let text =
        "---\ntitle: T\ndate: 2016-07-26\n---\n\nSergey Lavrov: [x]{person} and [y]{person}.\n";
    dir.write("a.transcript", text);
    let uri = dir.uri("a.transcript");
    let mut server = start(&dir, &[], json!(null));
    server.did_open(&uri, 1, text);
    // A pending change makes the search wait for it: the cancel comes first.
    server.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": dir.uri("b.transcript"), "type": 1}]}),
    );
    let id = server.next_request_id();
    let mut params = at(&uri, text, find(text, "Sergey").start + 1);
    params["context"] = json!({"includeDeclaration": true});
    server
        .send_value(&json!({"jsonrpc": "2.0", "id": id, "method": "textDocument/references", "params": params}))
        .unwrap();
    server
        .send_value(&json!({"jsonrpc": "2.0", "method": "$/cancelRequest", "params": {"id": id}}))
        .unwrap();
    let responses = server.responses_until(&json!(id));
    let answer = responses.iter().find(|r| r["id"] == json!(id)).unwrap();
    assert_eq!(answer["error"]["code"], -32800, "{answer:#}");
    // The server goes on answering, and answers the cancelled request once.
    let hover = id + 1000;
    server
        .send_value(&json!({"jsonrpc": "2.0", "id": hover, "method": "textDocument/hover", "params": at(&uri, text, 7)}))
        .unwrap();
    let responses = server.responses_until(&json!(hover));
    assert!(
        responses.iter().all(|r| r["id"] != json!(id)),
        "{responses:#?}"
    );
    let hover = responses.iter().find(|r| r["id"] == json!(hover)).unwrap();
    assert!(hover["result"]["contents"].is_object(), "{hover:#}");
    server.shutdown_and_exit();
}

#[test]
fn a_storm_of_watched_file_events_is_applied_once() {
    let dir = TempDir::new("storm");
    dir.write(
        "transcripts.json",
        "{\"entities\": {\"kerry\": {\"name\": \"John Kerry\"}}}",
    );
    let text = "---\ntitle: T\ndate: 2016-07-26\n---\n\nSergey Lavrov: [Mr K]{kerry}.\n";
    dir.write("a.transcript", text);
    let mut server = start(&dir, &["--log", "info"], json!(null));
    let uri = dir.uri("a.transcript");
    server.did_open(&uri, 1, text);
    server.wait_for_diagnostics(&uri, |_| true);
    // A branch switch: the registry changes a hundred times in a burst.
    for i in 0..100 {
        dir.write(
            "transcripts.json",
            format!(
                "{{\"entities\": {{\"kerry{}\": {{\"name\": \"John Kerry\"}}}}}}",
                i % 2
            ),
        );
        server.notify(
            "workspace/didChangeWatchedFiles",
            json!({"changes": [{"uri": dir.uri("transcripts.json"), "type": 2}]}),
        );
    }
    // Asking about the collection waits for the changes to be applied.
    server.request_ok("workspace/symbol", json!({"query": "x"}));
    // The log line is read by another thread: give it a moment.
    let mut log = server.stderr();
    for _ in 0..50 {
        if log.contains("watched-file events") {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
        log = server.stderr();
    }
    let applied: Vec<&str> = log
        .lines()
        .filter(|l| l.contains("watched-file events"))
        .collect();
    assert_eq!(applied.len(), 1, "{log}");
    assert!(
        applied[0].contains("applied 100 watched-file events"),
        "{log}"
    );
    // The document was checked against the last registry: `kerry` is gone.
    let last = server.wait_for_diagnostics(&uri, |p| {
        p["diagnostics"]
            .as_array()
            .is_some_and(|d| d.iter().any(|d| d["code"] == "unknown-entity"))
    });
    assert!(
        last["diagnostics"].to_string().contains("kerry1"),
        "{last:#}"
    );
    server.shutdown_and_exit();
}

/// The server on pipes, for a client that reads its output when it likes
/// (or never): not the common helper, whose thread always reads.
fn raw_server() -> std::process::Child {
    Command::new(BIN)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

/// A message as it goes over the pipe.
fn frame(message: Value) -> String {
    let body = message.to_string();
    format!("Content-Length: {}\r\n\r\n{body}", body.len())
}

/// Writes a message to the server.
fn send(stdin: &mut impl Write, message: Value) -> std::io::Result<()> {
    stdin.write_all(frame(message).as_bytes())
}

/// `initialize` and `initialized`, as a client starts.
fn start_raw(stdin: &mut impl Write) -> std::io::Result<()> {
    send(
        stdin,
        json!({"jsonrpc": "2.0", "id": 0, "method": "initialize", "params": {"capabilities": {}}}),
    )?;
    send(
        stdin,
        json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}),
    )
}

/// A `didOpen` notification of version 1 of a document.
fn did_open(uri: &str, text: &str) -> Value {
    json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {"uri": uri, "languageId": "transcript", "version": 1, "text": text}}})
}

/// The resident memory of a process, in KiB.
fn rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

#[test]
fn a_client_that_stops_reading_does_not_make_the_server_grow() {
    let mut child = raw_server();
    let pid = child.id();
    let mut stdin = child.stdin.take().unwrap();
    let text = format!(
        "---\ntitle: T\ndate: 2016-07-26\n---\n\n{}",
        "Question: Why?\n\nSergey Lavrov: Because.\n\n".repeat(200)
    );
    // The writer blocks once the server stops reading: it runs on its own thread.
    std::thread::spawn(move || {
        start_raw(&mut stdin)?;
        send(&mut stdin, did_open("untitled:big", &text))?;
        for id in 1..200_000 {
            send(
                &mut stdin,
                json!({"jsonrpc": "2.0", "id": id, "method": "textDocument/documentSymbol", "params": {"textDocument": {"uri": "untitled:big"}}}),
            )?;
        }
        Ok::<(), std::io::Error>(())
    });
    // Nobody reads the server's output; its memory must stay bounded.
    let _stdout = child.stdout.take();
    std::thread::sleep(Duration::from_secs(4));
    let first = rss_kib(pid);
    std::thread::sleep(Duration::from_secs(4));
    let second = rss_kib(pid);
    let _ = child.kill();
    let _ = child.wait();
    assert!(first > 0, "no memory reading");
    assert!(second < 200 * 1024, "{second} KiB");
    assert!(
        second < first + 20 * 1024,
        "still growing: {first} -> {second} KiB"
    );
}

#[test]
fn files_opened_together_that_share_an_id_are_published_about_once_each() {
    // Each opened file changes the others' `duplicate-id` (how many others
    // there are): published for every pair, that was 40 × 39 / 2 messages
    // (and, at 2,000 files, gigabytes waiting for the client).
    const N: usize = 40;
    let dir = TempDir::new("same-id-burst");
    let text = "---\ntitle: T\ndate: 2016-07-26\nid: same\n---\n\nSergey Lavrov: Hello.\n";
    let mut server = start(&dir, &[], json!(null));
    let uris: Vec<String> = (0..N)
        .map(|i| dir.uri(&format!("f{i:02}.transcript")))
        .collect();
    for uri in &uris {
        server.did_open(uri, 1, text);
    }
    let all_others = format!("and {} other transcripts", N - 1 - 3);
    for uri in &uris {
        server.wait_for_diagnostics(uri, |p| p["diagnostics"].to_string().contains(&all_others));
    }
    // Unsaved documents are no file of the collection: nobody's duplicate.
    for i in 0..N {
        server.did_open(&format!("untitled:u{i}"), 1, text);
    }
    server.wait_for_diagnostics(&format!("untitled:u{}", N - 1), |_| true);
    std::thread::sleep(Duration::from_millis(500));
    server.request_ok("workspace/symbol", json!({"query": "zzz"}));
    let files = server
        .published
        .iter()
        .filter(|(u, _)| u.starts_with("file:"))
        .count();
    assert!(files <= 3 * N, "{files} publications for {N} files");
    assert!(files >= N);
    server.shutdown_and_exit();
}

#[test]
fn exit_ends_the_server_even_when_the_client_reads_nothing() {
    let mut child = raw_server();
    let mut stdin = child.stdin.take().unwrap();
    let _stdout = child.stdout.take();
    // Enough diagnostics to fill the pipe nobody reads.
    let text = format!(
        "---\ntitle: T\ndate: 2016-07-26\n---\n\n{}",
        "Question: Why [x]{nobody}?\n\n".repeat(300)
    );
    std::thread::spawn(move || {
        start_raw(&mut stdin)?;
        for i in 0..50 {
            send(&mut stdin, did_open(&format!("untitled:{i}"), &text))?;
        }
        send(
            &mut stdin,
            json!({"jsonrpc": "2.0", "id": 1, "method": "shutdown", "params": null}),
        )?;
        send(
            &mut stdin,
            json!({"jsonrpc": "2.0", "method": "exit", "params": null}),
        )?;
        // The input stays open, as an editor's would.
        std::thread::sleep(Duration::from_secs(120));
        Ok::<(), std::io::Error>(())
    });
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break Some(status);
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            break None;
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(
        status.is_some(),
        "the server still runs a minute after `exit`"
    );
}

#[test]
fn memory_freed_after_a_burst_of_opened_documents_is_given_back() {
    // As the harness drives it: 1,000 documents opened while the client reads
    // nothing, then everything read. The analyses built meanwhile are freed,
    // but stayed in the allocator's heaps (about 6× the text) until trimmed.
    const N: usize = 1000;
    let mut child = raw_server();
    let mut stdin = child.stdin.take().unwrap();
    let mut stdout = std::io::BufReader::new(child.stdout.take().unwrap());
    // The examples' text, about 50 KB, under one header per document.
    let example = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/moscow-2017.transcript"),
    )
    .unwrap();
    let (header, rest) = example.split_once("\n---\n").unwrap();
    let body = rest.repeat(5);
    start_raw(&mut stdin).unwrap();
    let mut total = 0;
    for i in 0..N {
        let text = format!("{header}\nid: doc-{i}\n---\n{body}");
        total += text.len();
        send(&mut stdin, did_open(&format!("untitled:d{i}"), &text)).unwrap();
    }
    // Now read until the last document's diagnostics.
    let last = format!("\"untitled:d{}\"", N - 1);
    loop {
        let mut length = 0;
        let mut line = String::new();
        while {
            line.clear();
            std::io::BufRead::read_line(&mut stdout, &mut line).unwrap() > 0 && line != "\r\n"
        } {
            if let Some(n) = line.strip_prefix("Content-Length: ") {
                length = n.trim().parse().unwrap();
            }
        }
        let mut message = vec![0; length];
        std::io::Read::read_exact(&mut stdout, &mut message).unwrap();
        let message = String::from_utf8(message).unwrap();
        if message.contains("publishDiagnostics") && message.contains(&last) {
            break;
        }
    }
    std::thread::sleep(Duration::from_secs(2));
    let rss = rss_kib(child.id()) as usize * 1024;
    let _ = child.kill();
    let _ = child.wait();
    // Each document keeps its rope and line index, a little over its text.
    assert!(
        rss < 3 * total + (16 << 20),
        "{} MiB for {} MiB of text",
        rss >> 20,
        total >> 20
    );
}

#[test]
fn files_changed_on_disk_then_opened() {
    let dir = TempDir::new("disk-then-open");
    dir.write(
        "transcripts.json",
        "{\"entities\": {\"kerry\": {\"name\": \"John Kerry\"}}}",
    );
    let a = "---\ntitle: A\ndate: 2016-07-26\n---\n\nSergey Lavrov: [K]{kerry}.\n";
    dir.write("a.transcript", a);
    dir.write(
        "b.transcript",
        "---\ntitle: B\ndate: 2016-07-26\n---\n\nText.\n",
    );
    let mut server = start(&dir, &[], json!(null));
    let uri_a = dir.uri("a.transcript");
    let uri_b = dir.uri("b.transcript");
    server.did_open(&uri_a, 1, a);
    let refs = |server: &mut Server| {
        let mut params = at(&uri_a, a, find(a, "{kerry}").start + 1);
        params["context"] = json!({"includeDeclaration": false});
        let found = server.request_ok("textDocument/references", params);
        found
            .as_array()
            .unwrap()
            .iter()
            .filter(|l| l["uri"] == json!(uri_b))
            .count()
    };
    assert_eq!(refs(&mut server), 0);
    // b changes on disk: the index sees its two mentions.
    dir.write(
        "b.transcript",
        "---\ntitle: B\ndate: 2016-07-26\n---\n\nText [K]{kerry} and [K]{kerry}.\n",
    );
    server.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri_b, "type": 2}]}),
    );
    assert_eq!(refs(&mut server), 2);
    // Opened with other (unsaved) text, the editor's text counts.
    server.did_open(
        &uri_b,
        1,
        "---\ntitle: B\ndate: 2016-07-26\n---\n\nOnly [K]{kerry}.\n",
    );
    assert_eq!(refs(&mut server), 1);
    server.did_close(&uri_b);
    assert_eq!(refs(&mut server), 2);
    server.shutdown_and_exit();
}
