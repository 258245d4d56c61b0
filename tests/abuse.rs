//! Protocol abuse over stdio: what a broken, hurried or hostile client may
//! send. After each abuse the server must still be running, answer a later
//! request correctly (its outline and diagnostics equal the core's analysis
//! of the text the test expects), exit cleanly on `shutdown` + `exit`, and
//! never print a panic.

mod common;

use std::time::{Duration, Instant};

use common::{
    Enc, Server, assert_holds, assert_outline, comparable_symbols, editor_capabilities,
    expected_symbols,
};
use serde_json::{Value, json};
use transcript_ls::analysis::{analyze, outline};

const BIN: &str = env!("CARGO_BIN_EXE_transcript-ls");

const DOC: &str = "---\ntitle: Press conference\ndate: 2017-06-16\n---\n\n# Opening\n\nSergey Lavrov: Good afternoon, [John Kerry]{person}.\n\nQuestion: Why “now”? 😀\n\nSergey Lavrov: Because.\n";

fn started() -> Server {
    let mut server = Server::spawn(BIN);
    server.initialize(editor_capabilities());
    server
}

/// A small deterministic random generator (xorshift64*), so failures replay.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// Any character: mostly ASCII and line endings, often multi-byte or
    /// astral, sometimes anything at all.
    fn char(&mut self) -> char {
        match self.below(10) {
            0 => ['\n', '\r', '\t', ' '][self.below(4)],
            1..=4 => (b' ' + self.below(95) as u8) as char,
            5 => ['é', '’', '“', '\u{a0}', '\u{feff}', 'Ж', '中'][self.below(7)],
            6 => ['😀', '𝄞', '🇷', '\u{1F3FB}'][self.below(4)],
            _ => loop {
                if let Some(c) = char::from_u32(self.below(0x11_0000) as u32) {
                    break c;
                }
            },
        }
    }

    fn text(&mut self, chars: usize) -> String {
        (0..chars).map(|_| self.char()).collect()
    }
}

/// Asserts the response is an error with this code.
fn assert_error(result: Result<Value, Value>, code: i64, what: &str) {
    match result {
        Err(e) => assert_eq!(e["code"], json!(code), "{what}: {e:#}"),
        Ok(v) => panic!("{what}: expected error {code}, got the result {v:#}"),
    }
}

// ---------------------------------------------------------------------------
// Requests in the wrong order, unknown methods, invalid params

#[test]
fn requests_before_initialize_are_refused_then_the_server_works() {
    let mut server = Server::spawn(BIN);
    let uri = "untitled:early";
    assert_error(
        server.request(
            "textDocument/documentSymbol",
            json!({"textDocument": {"uri": uri}}),
        ),
        -32002,
        "documentSymbol before initialize",
    );
    assert_error(
        server.request("shutdown", Value::Null),
        -32002,
        "shutdown before initialize",
    );
    // A notification before initialize is dropped, not remembered.
    server.did_open(uri, 1, DOC);
    server.initialize(editor_capabilities());
    assert_eq!(server.document_symbols(uri), Value::Null);
    server.did_open(uri, 2, DOC);
    assert_holds(&mut server, uri, 2, DOC, Enc::Utf16);
    // A second initialize is refused; the first one's settings stay.
    assert_error(
        server.request("initialize", json!({"capabilities": {}})),
        -32600,
        "a second initialize",
    );
    assert_outline(&mut server, uri, DOC, Enc::Utf16);
    server.shutdown_and_exit();
}

#[test]
fn unknown_methods_are_answered_or_ignored() {
    let mut server = started();
    assert_error(
        server.request("transcript/unknown", json!({})),
        -32601,
        "an unknown request",
    );
    server.notify("transcript/unknown", json!({"x": 1}));
    server.notify("$/unknown", json!(null));
    server.notify("$/cancelRequest", json!({"id": 12345}));
    server.notify("$/setTrace", json!({"value": "verbose"}));
    let uri = "untitled:unknown";
    server.did_open(uri, 1, DOC);
    assert_holds(&mut server, uri, 1, DOC, Enc::Utf16);
    server.shutdown_and_exit();
}

#[test]
fn an_unknown_dollar_request_is_answered_with_method_not_found() {
    let mut server = started();
    assert_error(
        server.request("$/unknown", json!({})),
        -32601,
        "an unknown $/ request",
    );
    server.shutdown_and_exit();
}

#[test]
fn invalid_params_are_refused_and_change_nothing() {
    let mut server = started();
    let uri = "untitled:params";
    server.did_open(uri, 1, DOC);
    server.diagnostics_for_version(uri, 1);
    for params in [
        json!({"bogus": 1}),
        json!(null),
        json!([1, 2]),
        json!({"textDocument": {"uri": uri}, "position": {"line": -1, "character": "x"}}),
    ] {
        assert_error(
            server.request("textDocument/hover", params.clone()),
            -32602,
            &format!("hover with {params}"),
        );
    }
    // The two requests the transport answers without the service (large
    // answers) refuse unreadable parameters the same way.
    for method in [
        "textDocument/documentSymbol",
        "textDocument/semanticTokens/full",
    ] {
        for params in [
            json!({"bogus": 1}),
            json!(null),
            json!([1, 2]),
            json!({"textDocument": {"uri": 5}}),
        ] {
            assert_error(
                server.request(method, params.clone()),
                -32602,
                &format!("{method} with {params}"),
            );
        }
    }
    // Broken notifications are dropped: no change, no close.
    server.notify("textDocument/didChange", json!({"bogus": 1}));
    server.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"range": {"start": 0}, "text": "x"}]}),
    );
    server.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": "x"}),
    );
    server.notify("textDocument/didClose", json!({"textDocument": {}}));
    server.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri}}),
    );
    server.notify("workspace/didChangeWatchedFiles", json!({"changes": 1}));
    server.did_change(uri, 3, vec![json!({"text": "x"})]);
    server.did_change(uri, 4, vec![json!({"text": DOC})]);
    assert_holds(&mut server, uri, 4, DOC, Enc::Utf16);
    server.shutdown_and_exit();
}

#[test]
fn requests_after_shutdown_are_refused_and_exit_is_clean() {
    let mut server = started();
    let uri = "untitled:after";
    server.did_open(uri, 1, DOC);
    server.diagnostics_for_version(uri, 1);
    assert_eq!(server.request_ok("shutdown", Value::Null), Value::Null);
    assert_error(
        server.request(
            "textDocument/documentSymbol",
            json!({"textDocument": {"uri": uri}}),
        ),
        -32600,
        "documentSymbol after shutdown",
    );
    server.notify("exit", Value::Null);
    let status = server.wait_for_exit_status();
    assert!(status.success(), "exit after shutdown: {status}");
}

// ---------------------------------------------------------------------------
// Broken framing and bodies

/// Frames a body with a correct `Content-Length`.
fn frame(body: &[u8]) -> Vec<u8> {
    let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    out.extend_from_slice(body);
    out
}

/// Frames a body with a `Content-Length` off by `delta`.
fn frame_with_length(body: &[u8], delta: isize) -> Vec<u8> {
    let mut out = format!(
        "Content-Length: {}\r\n\r\n",
        body.len().checked_add_signed(delta).unwrap()
    )
    .into_bytes();
    out.extend_from_slice(body);
    out
}

fn hover_body(id: &str) -> Vec<u8> {
    json!({"jsonrpc": "2.0", "id": id, "method": "textDocument/hover",
        "params": {"textDocument": {"uri": "untitled:nothing"}, "position": {"line": 0, "character": 0}}})
    .to_string()
    .into_bytes()
}

/// Malformed input a broken client can send between good messages.
fn malformed_frames() -> Vec<(&'static str, Vec<u8>)> {
    vec![
        ("a body that is not JSON", frame(b"{not json")),
        ("a body that is not UTF-8", frame(b"{\"a\": \"\xff\xfe\"}")),
        ("a JSON array (a batch)", frame(b"[]")),
        ("a JSON string", frame(b"\"hello\"")),
        (
            "jsonrpc 1.0",
            frame(br#"{"jsonrpc":"1.0","id":9,"method":"x"}"#),
        ),
        (
            "an object as id",
            frame(br#"{"jsonrpc":"2.0","id":{},"method":"x"}"#),
        ),
        ("a header without Content-Length", b"Foo: bar\r\n\r\n{}".to_vec()),
        (
            "a Content-Length that is not a number",
            b"Content-Length: abc\r\n\r\n{}".to_vec(),
        ),
        (
            "a Content-Length too large for any integer",
            b"Content-Length: 999999999999999999999999\r\n\r\n{}".to_vec(),
        ),
        (
            "an unsupported charset",
            b"Content-Length: 2\r\nContent-Type: application/vscode-jsonrpc; charset=latin1\r\n\r\n{}"
                .to_vec(),
        ),
        (
            "a Content-Length 5 bytes short",
            frame_with_length(&hover_body("short"), -5),
        ),
        (
            "a Content-Length 3 bytes long",
            frame_with_length(&hover_body("long"), 3),
        ),
        ("garbage between messages", b"garbage\r\n\r\n".to_vec()),
    ]
}

/// After `bad`, a sacrificial notification (a too-long frame eats the start
/// of the next message), then a request that must be answered correctly.
fn survives(bad: &[u8], answered: &[&str]) -> Result<(), String> {
    let mut server = started();
    let uri = "untitled:framing";
    server.did_open(uri, 1, DOC);
    server.diagnostics_for_version(uri, 1);
    let sacrificial = frame(br#"{"jsonrpc":"2.0","method":"$/sacrificial"}"#);
    for bytes in [bad, &sacrificial] {
        if let Err(e) = server.send_raw(bytes) {
            return Err(format!("the server closed its input: {e}"));
        }
    }
    std::thread::sleep(Duration::from_millis(100));
    if !server.is_running() {
        return Err(format!("the server exited; stderr:\n{}", server.stderr()));
    }
    let id = json!("after");
    let body = json!({"jsonrpc": "2.0", "id": id, "method": "textDocument/documentSymbol",
        "params": {"textDocument": {"uri": uri}}});
    server
        .send_value(&body)
        .map_err(|e| format!("the server closed its input: {e}"))?;
    let deadline = Instant::now() + common::TIMEOUT;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let Some(message) = server.next_message(left) else {
            return Err(format!(
                "no answer to a later request (running: {}); stderr:\n{}",
                server.is_running(),
                server.stderr()
            ));
        };
        if message.get("method").is_some() {
            continue;
        }
        if message["id"] == id {
            let want = expected_symbols(DOC, &outline(DOC, &analyze(DOC, None).syntax), Enc::Utf16);
            if comparable_symbols(&message["result"]) != want {
                return Err(format!("a wrong answer: {message:#}"));
            }
            break;
        }
        // Only an error for the bad input (with a null id, or the bad
        // message's own id) may come before, or an answer to a request whose
        // frame was cut (`answered`).
        let error_for_the_frame = message.get("error").is_some();
        let cut_request = answered.iter().any(|a| message["id"] == *a);
        if !(error_for_the_frame || cut_request) {
            return Err(format!("an unexpected response: {message:#}"));
        }
    }
    server.assert_no_panic();
    server.shutdown_and_exit();
    Ok(())
}

#[test]
fn malformed_frames_do_not_end_the_server() {
    let failures: Vec<String> = malformed_frames()
        .into_iter()
        .filter_map(|(what, bad)| {
            survives(&bad, &["short", "long"])
                .err()
                .map(|e| format!("{what}: {e}"))
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} malformed inputs broke the server:\n{}",
        failures.len(),
        malformed_frames().len(),
        failures.join("\n\n")
    );
}

#[test]
fn an_empty_frame_and_a_message_without_method_are_survived() {
    // The two malformed inputs that the transport does survive today.
    for bad in [
        b"Content-Length: 0\r\n\r\n".to_vec(),
        frame(br#"{"jsonrpc":"2.0","id":"orphan"}"#),
    ] {
        if let Err(e) = survives(&bad, &["orphan"]) {
            panic!("{:?}: {e}", String::from_utf8_lossy(&bad));
        }
    }
}

// ---------------------------------------------------------------------------
// Edits the server must apply without losing anything

#[test]
fn edits_with_ranges_past_the_end_are_clamped() {
    let mut server = started();
    let uri = "untitled:clamp";
    let mut text = "ab\r\ncd😀\nlast".to_string();
    server.did_open(uri, 1, &text);
    server.diagnostics_for_version(uri, 1);
    let r = |l1: u32, c1: u32, l2: u32, c2: u32| json!({"start": {"line": l1, "character": c1}, "end": {"line": l2, "character": c2}});
    let max = u32::MAX;
    // (range, new text, the expected text after it)
    let steps: Vec<(Value, &str, &str)> = vec![
        // A column past the end of a CRLF line is before the CR.
        (r(0, 99, 0, 99), "X", "abX\r\ncd😀\nlast"),
        // A line past the end is the end of the text.
        (r(99, 0, 99, 5), "Y", "abX\r\ncd😀\nlastY"),
        (r(max, max, max, max), "Z", "abX\r\ncd😀\nlastYZ"),
        // Half of the surrogate pair is the start of the emoji.
        (r(1, 3, 1, 3), "h", "abX\r\ncdh😀\nlastYZ"),
        (r(1, 4, 1, 5), "", "abX\r\ncdh\nlastYZ"),
        // A reversed range inserts at its start.
        (r(2, 2, 0, 1), "R", "abX\r\ncdh\nlaRstYZ"),
        // A range from inside the text to far past the end deletes to the end.
        (r(1, 1, max, 0), "!", "abX\r\nc!"),
        (r(0, max, max, max), "", "abX"),
    ];
    let mut version = 1;
    for (range, insert, expected) in steps {
        version += 1;
        server.did_change(uri, version, vec![json!({"range": range, "text": insert})]);
        text = expected.to_string();
        assert_holds(&mut server, uri, version, &text, Enc::Utf16);
    }
    server.shutdown_and_exit();
}

#[test]
fn stale_versions_still_apply_the_edit() {
    let mut server = started();
    let uri = "untitled:stale";
    server.did_open(uri, 10, DOC);
    server.diagnostics_for_version(uri, 10);
    let insert = "Sergey Lavrov: typed late.\n";
    let end = common::position(DOC, DOC.len(), Enc::Utf16);
    // An older version, then the same version again: what was typed is kept.
    server.did_change(
        uri,
        3,
        vec![json!({"range": {"start": end, "end": end}, "text": insert})],
    );
    let text = format!("{DOC}{insert}");
    assert_holds(&mut server, uri, 3, &text, Enc::Utf16);
    let end2 = common::position(&text, text.len(), Enc::Utf16);
    server.did_change(
        uri,
        3,
        vec![json!({"range": {"start": end2, "end": end2}, "text": "\n"})],
    );
    let text = format!("{text}\n");
    server.wait_for_diagnostics(uri, |p| p["version"] == json!(3));
    let symbols = server.document_symbols(uri);
    let want = expected_symbols(
        &text,
        &outline(&text, &analyze(&text, None).syntax),
        Enc::Utf16,
    );
    assert_eq!(comparable_symbols(&symbols), want);
    server.shutdown_and_exit();
}

#[test]
fn edits_to_documents_that_are_not_open_are_ignored() {
    let mut server = started();
    let open = "untitled:open";
    let closed = "untitled:never-opened";
    server.did_open(open, 1, DOC);
    server.diagnostics_for_version(open, 1);
    server.did_change(closed, 2, vec![json!({"text": "x"})]);
    server.did_change(
        closed,
        3,
        vec![json!({"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}, "text": "y"})],
    );
    server.did_close(closed);
    server.notify(
        "textDocument/didSave",
        json!({"textDocument": {"uri": closed}}),
    );
    assert_eq!(server.document_symbols(closed), Value::Null);
    assert_eq!(server.hover(closed, 0, 0), Value::Null);
    let formatting = server.request_ok(
        "textDocument/formatting",
        json!({"textDocument": {"uri": closed}, "options": {"tabSize": 4, "insertSpaces": true}}),
    );
    assert_eq!(formatting, Value::Null);
    // A closed document forgets its text: a change after close is ignored too.
    server.did_close(open);
    server.did_change(open, 2, vec![json!({"text": "gone"})]);
    assert_eq!(server.document_symbols(open), Value::Null);
    server.did_open(open, 5, DOC);
    assert_holds(&mut server, open, 5, DOC, Enc::Utf16);
    assert!(
        !server.published.iter().any(|(u, _)| u == closed),
        "diagnostics were published for a document that is not open: {:?}",
        server.published
    );
    server.shutdown_and_exit();
}

// ---------------------------------------------------------------------------
// Size and speed

#[test]
fn a_10_mb_single_line_and_an_edit_at_its_end() {
    let mut server = started();
    let uri = "untitled:huge-line";
    let header = "---\ntitle: T\ndate: 2017-06-16\n---\n\nSergey Lavrov: ";
    let unit = "word “quoted” [x]{person} é 😀 ";
    let mut text = String::with_capacity(10_500_000);
    text.push_str(header);
    while text.len() < 10_000_000 {
        text.push_str(unit);
    }
    let started = Instant::now();
    server.did_open(uri, 1, &text);
    let diagnostics = server.diagnostics_for_version(uri, 1);
    assert!(
        diagnostics.is_empty(),
        "unexpected diagnostics: {:?}",
        &diagnostics[..diagnostics.len().min(3)]
    );
    // Type at the end of the long line (UTF-16 column), then hover in its middle.
    let end = common::position(&text, text.len(), Enc::Utf16);
    server.did_change(
        uri,
        2,
        vec![json!({"range": {"start": end, "end": end}, "text": "[12:30] end."})],
    );
    text.push_str("[12:30] end.");
    assert_holds(&mut server, uri, 2, &text, Enc::Utf16);
    let middle = text[..text.len() / 2].rfind("[x]").unwrap() + 1;
    let (line, character) = common::line_col(&text, middle, Enc::Utf16);
    let hover = server.hover(uri, line, character);
    assert!(
        hover["contents"]["value"]
            .as_str()
            .is_some_and(|s| s.contains("person")),
        "no hover on a mention in the middle of the line: {hover:#}"
    );
    eprintln!(
        "10 MB line: open, edit, outline, hover in {:?}",
        started.elapsed()
    );
    server.shutdown_and_exit();
}

#[test]
fn a_huge_paste_in_the_middle_of_a_document() {
    let mut server = started();
    let uri = "untitled:paste";
    server.did_open(uri, 1, DOC);
    server.diagnostics_for_version(uri, 1);
    let mut paste = String::new();
    let mut n = 0;
    while paste.len() < 3_000_000 {
        n += 1;
        paste.push_str(&format!(
            "Question (Agency {n}): Is “this” 😀 question {n}?\r\n\r\nSergey Lavrov: Answer {n}, [Mr Kerry]{{person}}.\r\n\r\n"
        ));
    }
    let at = common::find(DOC, "# Opening").start;
    let pos = common::position(DOC, at, Enc::Utf16);
    server.did_change(
        uri,
        2,
        vec![json!({"range": {"start": pos, "end": pos}, "text": paste})],
    );
    let text = format!("{}{paste}{}", &DOC[..at], &DOC[at..]);
    assert_holds(&mut server, uri, 2, &text, Enc::Utf16);
    server.shutdown_and_exit();
}

#[test]
fn a_document_of_random_characters() {
    let mut rng = Rng(0x5eed_0001);
    let mut server = started();
    for (round, enc) in [(0, Enc::Utf16), (1, Enc::Utf16), (2, Enc::Utf16)] {
        let uri = format!("untitled:random-{round}");
        let mut text = rng.text(20_000);
        server.did_open(&uri, 1, &text);
        assert_holds(&mut server, &uri, 1, &text, enc);
        // Hovers anywhere, including inside surrogate pairs and past the end.
        let lines = common::line_ranges(&text).len() as u32;
        for _ in 0..200 {
            let line = rng.below(lines as usize + 2) as u32;
            let character = rng.below(200) as u32;
            let hover = server.hover(&uri, line, character);
            assert!(
                hover.is_null() || hover["contents"].is_object(),
                "{hover:#}"
            );
        }
        // Random replacements of random text, checked at the end.
        for version in 2..40 {
            let a = rng.below(text.len() + 1);
            let b = rng.below(text.len() + 1);
            let (start, end) = (a.min(b), a.max(b));
            let (start, end) = (floor(&text, start), floor(&text, end));
            let len = rng.below(30);
            let insert = rng.text(len);
            let range = common::range(&text, start..end, enc);
            server.did_change(&uri, version, vec![json!({"range": range, "text": insert})]);
            text.replace_range(start..end, &insert);
        }
        assert_holds(&mut server, &uri, 39, &text, enc);
        let formatting = server.request_ok(
            "textDocument/formatting",
            json!({"textDocument": {"uri": uri}, "options": {"tabSize": 4, "insertSpaces": true}}),
        );
        assert!(formatting.is_array(), "{formatting:#}");
        server.did_close(&uri);
    }
    server.shutdown_and_exit();
}

/// The nearest character boundary at or before `i`, not between a CR and
/// its LF (no LSP position names that place).
fn floor(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i)
        || (i > 0 && text.as_bytes()[i - 1] == b'\r' && text.as_bytes().get(i) == Some(&b'\n'))
    {
        i -= 1;
    }
    i
}

#[test]
fn thousands_of_changes_sent_without_waiting() {
    let mut rng = Rng(0x5eed_0002);
    let mut server = started();
    let uri = "untitled:typing";
    let mut text = DOC.to_string();
    server.did_open(uri, 1, &text);
    let changes = 3000;
    // Type, delete and paste at random places without reading anything back.
    for version in 2..=changes + 1 {
        let at = floor(&text, rng.below(text.len() + 1));
        let (end, insert) = match rng.below(10) {
            0..=5 => (
                at,
                ["a", " ", "é", "😀", "\r\n", "\n", "[", "}", ":"][rng.below(9)].to_string(),
            ),
            6..=8 => {
                let end = floor(&text, (at + rng.below(6)).min(text.len())).max(at);
                (end, String::new())
            }
            _ => (at, "\nQuestion: what?\n\nSergey Lavrov: Yes.\n".to_string()),
        };
        let range = common::range(&text, at..end, Enc::Utf16);
        server.did_change(
            uri,
            version as i64,
            vec![json!({"range": range, "text": insert})],
        );
        text.replace_range(at..end, &insert);
    }
    let last = changes as i64 + 1;
    assert_holds(&mut server, uri, last, &text, Enc::Utf16);
    // The diagnostics were published in the order of the versions, so the
    // editor never ends up showing those of an older text.
    let versions: Vec<i64> = server
        .published
        .iter()
        .filter(|(u, _)| u == uri)
        .filter_map(|(_, v)| *v)
        .collect();
    assert_eq!(versions.last(), Some(&last), "the last publication");
    let out_of_order = versions.windows(2).filter(|w| w[0] > w[1]).count();
    assert_eq!(
        out_of_order, 0,
        "publications out of version order: {out_of_order}"
    );
    server.shutdown_and_exit();
}

#[test]
fn many_documents_and_requests_interleaved_without_waiting() {
    let mut server = started();
    let n = 200;
    for i in 0..n {
        server.did_open(&format!("untitled:many-{i}"), 1, DOC);
    }
    for i in 0..n {
        let uri = format!("untitled:many-{i}");
        let end = common::position(DOC, DOC.len(), Enc::Utf16);
        server.did_change(
            &uri,
            2,
            vec![json!({"range": {"start": end, "end": end}, "text": format!("Sergey Lavrov: {i}.\n")})],
        );
        if i % 2 == 0 {
            server.did_close(&uri);
        }
    }
    for i in (1..n).step_by(2) {
        let uri = format!("untitled:many-{i}");
        let text = format!("{DOC}Sergey Lavrov: {i}.\n");
        assert_holds(&mut server, &uri, 2, &text, Enc::Utf16);
    }
    for i in (0..n).step_by(2) {
        assert_eq!(
            server.document_symbols(&format!("untitled:many-{i}")),
            Value::Null
        );
    }
    server.shutdown_and_exit();
}

#[test]
fn the_client_vanishing_mid_message_ends_the_server_quietly() {
    let mut server = started();
    server.did_open("untitled:vanish", 1, DOC);
    // Half a frame, then the input closes.
    server
        .send_raw(b"Content-Length: 500\r\n\r\n{\"jsonrpc\":\"2.0\",")
        .unwrap();
    let status = server.close_input_and_wait_for_status();
    assert_eq!(status.code(), Some(1), "exit without shutdown is status 1");
}

#[test]
fn odd_uris_are_opened_edited_and_answered() {
    let mut server = started();
    let long = format!("file://{}.transcript", "/a".repeat(3000));
    let uris = [
        "file:///a%20b.transcript",
        "file:///%FF%FE.transcript",
        "file://remote/share/x.transcript",
        "file:relative.transcript",
        "file:///",
        "file:///tmp/../../x.transcript",
        "file:///tmp/x.transcript?q=1#frag",
        "file:///C:/x.transcript",
        "foo:bar",
        "untitled:Untitled-1",
        "untitled:",
        long.as_str(),
    ];
    let text = "---\ntitle: T\ndate: 2017-06-16\n---\n\nSergey Lavrov: [x]{person}\n";
    for (i, uri) in uris.iter().enumerate() {
        server.did_open(uri, 1, text);
        let symbols = server.document_symbols(uri);
        assert!(
            symbols.as_array().is_some_and(|s| !s.is_empty()),
            "{uri}: {symbols:#}"
        );
        let hover = server.hover(uri, 5, 16);
        assert!(hover["contents"].is_object(), "{uri}: {hover:#}");
        server.did_change(uri, 2, vec![json!({"text": format!("{text}// {i}\n")})]);
        server.wait_for_diagnostics(uri, |p| p["version"] == json!(2));
        server.did_close(uri);
    }
    server.shutdown_and_exit();
}

#[test]
fn requests_see_every_change_sent_before_them() {
    let mut server = started();
    let uri = "untitled:read-your-writes";
    let mut text = DOC.to_string();
    server.did_open(uri, 1, &text);
    let rounds = 150;
    let mut expected = Vec::new();
    // A change, then at once a request: its answer must include the change.
    for round in 0..rounds {
        let end = common::position(&text, text.len(), Enc::Utf16);
        let insert = format!("Question: number {round}?\n\nSergey Lavrov: {round}.\n\n");
        server.did_change(
            uri,
            round + 2,
            vec![json!({"range": {"start": end, "end": end}, "text": insert})],
        );
        text.push_str(&insert);
        let id = format!("symbols-{round}");
        server
            .send_value(
                &json!({"jsonrpc": "2.0", "id": id, "method": "textDocument/documentSymbol",
                "params": {"textDocument": {"uri": uri}}}),
            )
            .unwrap();
        let want = expected_symbols(
            &text,
            &outline(&text, &analyze(&text, None).syntax),
            Enc::Utf16,
        );
        expected.push((id, want));
    }
    let last = json!(expected.last().unwrap().0);
    let responses = server.responses_until(&last);
    let mut stale = Vec::new();
    for (id, want) in &expected {
        let got = responses
            .iter()
            .find(|r| r["id"] == json!(id))
            .unwrap_or_else(|| panic!("no answer to {id}"));
        if comparable_symbols(&got["result"]) != *want {
            stale.push(id.clone());
        }
    }
    assert!(
        stale.is_empty(),
        "{} of {rounds} answers did not include the change sent before them: {stale:?}",
        stale.len()
    );
    server.shutdown_and_exit();
}

#[test]
fn a_long_line_full_of_errors_is_answered_quickly() {
    let mut server = started();
    let uri = "untitled:brackets";
    let text = format!(
        "---\ntitle: T\ndate: 2017-06-16\n---\n\nSergey Lavrov: {}\n",
        "[".repeat(30_000)
    );
    let started = Instant::now();
    server.did_open(uri, 1, &text);
    // The request waits behind the open: both within the client's timeout.
    let symbols = server.document_symbols(uri);
    assert!(symbols.is_array(), "{symbols:#}");
    let diagnostics = server.diagnostics_for_version(uri, 1);
    assert!(!diagnostics.is_empty());
    eprintln!(
        "{} diagnostics on one line in {:?}",
        diagnostics.len(),
        started.elapsed()
    );
    server.shutdown_and_exit();
}
