//! Helpers shared by the integration tests: a small LSP client for
//! end-to-end tests (it runs the server binary with piped standard streams,
//! frames JSON-RPC messages with `Content-Length` headers, and waits with a
//! timeout for responses and notifications), temporary folders, and LSP
//! positions computed independently of the server.
//!
//! Each test binary that uses the client passes in the binary's path:
//! `Server::spawn(env!("CARGO_BIN_EXE_transcript-ls"))`.

// Each test binary uses only some of these helpers.
#![allow(dead_code)]

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

mod oracle;

pub use oracle::line_ranges;

/// Writes `input` to a command's standard input and closes it. A command
/// that refuses its arguments exits without reading: the pipe it closed is
/// its answer, not the test's failure, so a broken pipe is not an error here.
pub fn feed(child: &mut Child, input: impl AsRef<[u8]>) {
    match child
        .stdin
        .take()
        .expect("stdin piped")
        .write_all(input.as_ref())
    {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => panic!("writing stdin: {e}"),
        _ => {}
    }
}

/// How long to wait for any one answer before failing the test.
pub const TIMEOUT: Duration = Duration::from_secs(10);

/// How long the server may take to exit after `exit` (or end of input).
pub const EXIT_TIMEOUT: Duration = Duration::from_secs(5);

/// A running server and the client side of its connection.
pub struct Server {
    child: Child,
    stdin: Option<ChildStdin>,
    incoming: Receiver<Value>,
    /// Notifications received but not consumed yet, in order.
    buffered: VecDeque<Value>,
    /// Every request the server sent to the client (each answered from
    /// `answers`, else with `null`).
    pub server_requests: Vec<Value>,
    /// What the client answers to a server request, by method (e.g. the
    /// settings for `workspace/configuration`).
    pub answers: std::collections::HashMap<String, Value>,
    /// The uri and version of every `publishDiagnostics`, in arrival order.
    pub published: Vec<(String, Option<i64>)>,
    /// The last messages received, for failure messages.
    recent: VecDeque<Value>,
    stderr: Arc<Mutex<String>>,
    stderr_thread: Option<JoinHandle<()>>,
    next_id: i64,
    finished: bool,
}

impl Server {
    /// Starts the language server (`transcript-ls` with no arguments).
    pub fn spawn(bin: &str) -> Server {
        Server::spawn_with_args(bin, &[])
    }

    /// Starts the binary with arguments (e.g. `["serve"]`).
    pub fn spawn_with_args(bin: &str, args: &[&str]) -> Server {
        Server::spawn_in(bin, args, None)
    }

    /// Starts the binary with arguments, in a working directory.
    pub fn spawn_in(bin: &str, args: &[&str], cwd: Option<&Path>) -> Server {
        let mut command = Command::new(bin);
        if let Some(cwd) = cwd {
            command.current_dir(cwd);
        }
        let mut child = command
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {bin}: {e}"));
        let stdin = child.stdin.take().expect("piped stdin");
        let stdout = child.stdout.take().expect("piped stdout");
        let stderr_pipe = child.stderr.take().expect("piped stderr");
        let (tx, incoming) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            while let Some(message) = read_frame(&mut reader) {
                if tx.send(message).is_err() {
                    break;
                }
            }
        });
        let stderr = Arc::new(Mutex::new(String::new()));
        let sink = stderr.clone();
        let stderr_thread = std::thread::spawn(move || {
            let mut reader = BufReader::new(stderr_pipe);
            let mut line = String::new();
            loop {
                line.clear();
                match reader.read_line(&mut line) {
                    Ok(0) | Err(_) => break,
                    Ok(_) => sink.lock().unwrap().push_str(&line),
                }
            }
        });
        Server {
            child,
            stdin: Some(stdin),
            incoming,
            buffered: VecDeque::new(),
            server_requests: Vec::new(),
            answers: Default::default(),
            published: Vec::new(),
            recent: VecDeque::new(),
            stderr,
            stderr_thread: Some(stderr_thread),
            next_id: 1,
            finished: false,
        }
    }

    /// Everything the server wrote on standard error so far.
    pub fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    fn send(&mut self, message: &Value) {
        let body = serde_json::to_string(message).expect("a JSON value serialises");
        let frame = format!("Content-Length: {}\r\n\r\n{body}", body.len());
        let stdin = self
            .stdin
            .as_mut()
            .expect("the server's input is still open");
        if let Err(e) = stdin
            .write_all(frame.as_bytes())
            .and_then(|()| stdin.flush())
        {
            panic!(
                "cannot write to the server ({e}); stderr so far:\n{}",
                self.stderr()
            );
        }
    }

    /// Sends a request and waits for its response: `Ok(result)` or `Err(error)`.
    /// Notifications that arrive meanwhile are kept for later `wait_for_*`
    /// calls; requests from the server are answered with a `null` result.
    pub fn request(&mut self, method: &str, params: Value) -> Result<Value, Value> {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        let what = format!("the response to `{method}` (id {id})");
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let message = self.receive(deadline, &what);
            if message.get("method").is_some() {
                self.buffered.push_back(message);
                continue;
            }
            if message.get("id") != Some(&json!(id)) {
                panic!("a response with an unexpected id while waiting for {what}: {message:#}");
            }
            assert_eq!(
                message.get("jsonrpc"),
                Some(&json!("2.0")),
                "response without jsonrpc 2.0: {message:#}"
            );
            if let Some(error) = message.get("error") {
                return Err(error.clone());
            }
            return Ok(message.get("result").cloned().unwrap_or_else(|| {
                panic!("a response with neither result nor error: {message:#}")
            }));
        }
    }

    /// A request that must succeed: its result.
    pub fn request_ok(&mut self, method: &str, params: Value) -> Value {
        match self.request(method, params.clone()) {
            Ok(result) => result,
            Err(error) => panic!(
                "`{method}` failed\n  params: {params}\n  error: {error:#}\n  stderr: {}",
                self.stderr()
            ),
        }
    }

    pub fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// The next message from the server (a response or a notification), or a
    /// test failure at `deadline`. Requests from the server are answered here.
    fn receive(&mut self, deadline: Instant, what: &str) -> Value {
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let message = match self.incoming.recv_timeout(left) {
                Ok(m) => m,
                Err(RecvTimeoutError::Timeout) => panic!(
                    "timed out after {TIMEOUT:?} waiting for {what}\n  last messages received:\n{}\n  stderr:\n{}",
                    self.recent_messages(),
                    self.stderr()
                ),
                Err(RecvTimeoutError::Disconnected) => {
                    let status = self.child.wait().ok();
                    self.finished = true;
                    panic!(
                        "the server closed its output (exit status {status:?}) while we waited for {what}\n  last messages received:\n{}\n  stderr:\n{}",
                        self.recent_messages(),
                        self.stderr()
                    )
                }
            };
            self.record(&message);
            if message.get("method").is_some() && message.get("id").is_some() {
                // A request from the server, e.g. client/registerCapability or
                // workspace/configuration: answer it and go on waiting.
                let id = message["id"].clone();
                let method = message["method"].as_str().unwrap_or_default();
                let result = self.answers.get(method).cloned().unwrap_or(Value::Null);
                self.server_requests.push(message);
                self.send(&json!({"jsonrpc": "2.0", "id": id, "result": result}));
                continue;
            }
            return message;
        }
    }

    /// Notes a message from the server: among the last few received (for
    /// failure messages) and, for published diagnostics, in `published`.
    fn record(&mut self, message: &Value) {
        if self.recent.len() == 8 {
            self.recent.pop_front();
        }
        self.recent.push_back(message.clone());
        if message["method"] == "textDocument/publishDiagnostics" {
            let params = &message["params"];
            self.published.push((
                params["uri"].as_str().unwrap_or_default().to_string(),
                params["version"].as_i64(),
            ));
        }
    }

    fn recent_messages(&self) -> String {
        self.recent
            .iter()
            .map(|m| format!("    {}", truncate(&m.to_string(), 400)))
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// The params of the first notification `method` whose params satisfy
    /// `predicate`, looking first at notifications already received. That
    /// notification and every earlier one with the same method are consumed.
    pub fn wait_for_notification(
        &mut self,
        method: &str,
        predicate: impl Fn(&Value) -> bool,
    ) -> Value {
        self.wait_for(method, &predicate, &format!("a `{method}` notification"))
    }

    fn wait_for(&mut self, method: &str, predicate: &dyn Fn(&Value) -> bool, what: &str) -> Value {
        let matches = |m: &Value| m["method"] == method && predicate(&m["params"]);
        if let Some(i) = self.buffered.iter().position(matches) {
            let found = self.buffered.remove(i).expect("index from position");
            self.drop_earlier(method, &found, i);
            return found["params"].clone();
        }
        let deadline = Instant::now() + TIMEOUT;
        let mut seen = Vec::new();
        loop {
            let message = self.receive(deadline, &format!("{what}; seen instead: {seen:#?}"));
            if message.get("method").is_none() {
                panic!("an unexpected response while waiting for {what}: {message:#}");
            }
            if matches(&message) {
                self.drop_earlier(method, &message, self.buffered.len());
                return message["params"].clone();
            }
            if message["method"] == method {
                seen.push(truncate(&message["params"].to_string(), 600));
            }
            self.buffered.push_back(message);
        }
    }

    /// Forgets buffered notifications of `method` (for the same uri, if the
    /// found one has one) that came before position `before`.
    fn drop_earlier(&mut self, method: &str, found: &Value, before: usize) {
        let uri = found["params"].get("uri").cloned();
        let mut i = 0;
        self.buffered.retain(|m| {
            let earlier = i < before;
            i += 1;
            let same =
                m["method"] == method && uri.as_ref().is_none_or(|u| &m["params"]["uri"] == u);
            !(earlier && same)
        });
    }

    /// The first `textDocument/publishDiagnostics` for `uri` whose params
    /// satisfy `predicate` (e.g. a version); earlier ones for `uri` are consumed.
    pub fn wait_for_diagnostics(&mut self, uri: &str, predicate: impl Fn(&Value) -> bool) -> Value {
        let method = "textDocument/publishDiagnostics";
        self.wait_for(
            method,
            &|p: &Value| p["uri"] == uri && predicate(p),
            &format!("diagnostics for {uri} matching the test's condition"),
        )
    }

    /// The diagnostics published for `uri` at `version`: the array.
    pub fn diagnostics_for_version(&mut self, uri: &str, version: i64) -> Vec<Value> {
        let params = self.wait_for_diagnostics(uri, |p| p["version"] == json!(version));
        params["diagnostics"]
            .as_array()
            .cloned()
            .unwrap_or_else(|| panic!("diagnostics are not an array: {params:#}"))
    }

    /// Buffered notifications not consumed yet.
    pub fn pending_notifications(&self) -> &VecDeque<Value> {
        &self.buffered
    }

    /// `initialize` with these client capabilities (and no workspace folder),
    /// then `initialized`. Returns the `InitializeResult`.
    pub fn initialize(&mut self, capabilities: Value) -> Value {
        let result = self.request_ok(
            "initialize",
            json!({
                "processId": std::process::id(),
                "clientInfo": {"name": "transcript-ls tests"},
                "rootUri": null,
                "capabilities": capabilities,
            }),
        );
        self.notify("initialized", json!({}));
        result
    }

    pub fn did_open(&mut self, uri: &str, version: i64, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "transcript", "version": version, "text": text}}),
        );
    }

    /// `didChange` with these content changes (each `{range, text}` or `{text}`).
    pub fn did_change(&mut self, uri: &str, version: i64, changes: Vec<Value>) {
        self.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": changes}),
        );
    }

    pub fn did_close(&mut self, uri: &str) {
        self.notify(
            "textDocument/didClose",
            json!({"textDocument": {"uri": uri}}),
        );
    }

    pub fn document_symbols(&mut self, uri: &str) -> Value {
        self.request_ok(
            "textDocument/documentSymbol",
            json!({"textDocument": {"uri": uri}}),
        )
    }

    pub fn hover(&mut self, uri: &str, line: u32, character: u32) -> Value {
        self.request_ok(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character}}),
        )
    }

    /// Panics if the server printed a panic on standard error.
    pub fn assert_no_panic(&self) {
        let stderr = self.stderr();
        assert!(
            !stderr.contains("panicked"),
            "the server panicked; its stderr:\n{stderr}"
        );
    }

    /// `shutdown` (answered with `null`), then `exit`: the process must exit
    /// within a few seconds with status 0 and without a panic on stderr.
    pub fn shutdown_and_exit(mut self) {
        let result = self.request_ok("shutdown", Value::Null);
        assert_eq!(result, Value::Null, "shutdown answers null");
        self.notify("exit", Value::Null);
        // Keep the input open: the server must exit on `exit` alone.
        let status = self.wait_for_exit();
        self.finish(status);
    }

    /// Closes the server's input (as a client that dies would) and expects it
    /// to exit within a few seconds with status 0, without a panic.
    pub fn close_input_and_wait(mut self) {
        self.stdin = None;
        let status = self.wait_for_exit();
        self.finish(status);
    }

    /// Waits (a few seconds at most) for the process to end; its status.
    /// Standard error must not show a panic.
    pub fn wait_for_exit_status(mut self) -> ExitStatus {
        let status = self.wait_for_exit();
        self.stdin = None;
        if let Some(t) = self.stderr_thread.take() {
            let _ = t.join();
        }
        self.assert_no_panic();
        status
    }

    fn wait_for_exit(&mut self) -> ExitStatus {
        let deadline = Instant::now() + EXIT_TIMEOUT;
        loop {
            match self.child.try_wait() {
                Ok(Some(status)) => {
                    self.finished = true;
                    return status;
                }
                Ok(None) if Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(10));
                }
                Ok(None) => {
                    let _ = self.child.kill();
                    let _ = self.child.wait();
                    self.finished = true;
                    panic!(
                        "the server did not exit within {EXIT_TIMEOUT:?}; stderr:\n{}",
                        self.stderr()
                    );
                }
                Err(e) => panic!("cannot wait for the server: {e}"),
            }
        }
    }

    fn finish(mut self, status: ExitStatus) {
        self.stdin = None;
        if let Some(t) = self.stderr_thread.take() {
            let _ = t.join();
        }
        let stderr = self.stderr();
        assert!(
            status.success(),
            "the server exited with {status}; stderr:\n{stderr}"
        );
        self.assert_no_panic();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if !self.finished {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// One `Content-Length` framed message, or `None` at the end of the stream.
fn read_frame(reader: &mut impl BufRead) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end_matches(['\r', '\n']);
        if line.is_empty() {
            if length.is_some() {
                break;
            }
            continue;
        }
        let (name, value) = line
            .split_once(':')
            .unwrap_or_else(|| panic!("a malformed header line from the server: {line:?}"));
        if name.trim().eq_ignore_ascii_case("content-length") {
            length = Some(
                value
                    .trim()
                    .parse::<usize>()
                    .unwrap_or_else(|_| panic!("a bad Content-Length from the server: {line:?}")),
            );
        }
    }
    let mut body = vec![0; length?];
    reader.read_exact(&mut body).ok()?;
    Some(serde_json::from_slice(&body).unwrap_or_else(|e| {
        panic!(
            "the server sent a body that is not JSON ({e}): {}",
            String::from_utf8_lossy(&body)
        )
    }))
}

fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut out: String = s.chars().take(max).collect();
    out.push('…');
    out
}

/// Client capabilities as an editor declares them: hierarchical symbols,
/// Markdown hovers, dynamic registration of file watchers.
pub fn editor_capabilities() -> Value {
    json!({
        "textDocument": {
            "documentSymbol": {"hierarchicalDocumentSymbolSupport": true},
            "hover": {"contentFormat": ["markdown", "plaintext"]},
            "publishDiagnostics": {"relatedInformation": true, "versionSupport": true},
            "synchronization": {"didSave": true}
        },
        "workspace": {
            "didChangeWatchedFiles": {"dynamicRegistration": true},
            "configuration": true
        }
    })
}

// ---------------------------------------------------------------------------
// URIs and temporary folders

/// The `file://` URI of an absolute path, percent-encoding every byte but
/// ASCII letters, digits, `-`, `.`, `_`, `~` and `/` (as editors do).
pub fn file_uri(path: &Path) -> String {
    assert!(
        path.is_absolute(),
        "not an absolute path: {}",
        path.display()
    );
    let mut uri = String::from("file://");
    for &b in path.to_str().expect("a UTF-8 path").as_bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            uri.push(b as char);
        } else {
            uri.push_str(&format!("%{b:02X}"));
        }
    }
    uri
}

/// A fresh folder under the system temp folder, removed when dropped. Its
/// name has a space, so that URIs of files in it need percent-encoding (and
/// paths in it on command lines, quoting).
pub struct TempDir(PathBuf);

impl TempDir {
    /// A fresh, empty folder.
    pub fn new(name: &str) -> TempDir {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let dir =
            std::env::temp_dir().join(format!("transcript-ls {name} {}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir)
            .unwrap_or_else(|e| panic!("cannot create {}: {e}", dir.display()));
        TempDir(dir)
    }

    /// A fresh folder holding an empty registry `{}`, so that no
    /// `transcripts.json` further up (in the temp folder) applies.
    pub fn with_empty_registry(name: &str) -> TempDir {
        let dir = TempDir::new(name);
        dir.write("transcripts.json", "{}\n");
        dir
    }

    /// The same folder, readable by every user (mode 755), for runs as
    /// another user.
    #[cfg(unix)]
    pub fn readable_by_all(self) -> TempDir {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&self.0, std::fs::Permissions::from_mode(0o755))
            .unwrap_or_else(|e| panic!("cannot open {} to all: {e}", self.0.display()));
        self
    }

    /// A folder readable by every user holding the program `bin` (a hard
    /// link to it, or a copy), for runs as another user (`nobody`): that
    /// user may not be allowed into the folders above the repository's
    /// `target/` (a clone in a mode 700 temporary folder). Returns the
    /// folder, which removes the program when dropped, and the program's path.
    #[cfg(unix)]
    pub fn with_program_for_all(bin: &str) -> (TempDir, PathBuf) {
        let dir = TempDir::new("program").readable_by_all();
        let program = dir
            .0
            .join(Path::new(bin).file_name().expect("a program's file name"));
        if std::fs::hard_link(bin, &program).is_err() {
            std::fs::copy(bin, &program)
                .unwrap_or_else(|e| panic!("cannot copy {bin} to {}: {e}", program.display()));
        }
        (dir, program)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }

    /// Writes a file at a relative path, making the folders on the way, and
    /// returns its path.
    pub fn write(&self, rel: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.0.join(rel);
        let parent = path.parent().expect("a file has a parent folder");
        std::fs::create_dir_all(parent)
            .unwrap_or_else(|e| panic!("cannot create {}: {e}", parent.display()));
        std::fs::write(&path, contents)
            .unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
        path
    }

    pub fn uri(&self, name: &str) -> String {
        file_uri(&self.0.join(name))
    }

    /// Every path below the folder (symbolic links not followed) with its
    /// size, sorted: compare two listings to prove nothing was written.
    pub fn listing(&self) -> Vec<(PathBuf, u64)> {
        fn walk(dir: &Path, out: &mut Vec<(PathBuf, u64)>) {
            let Ok(entries) = std::fs::read_dir(dir) else {
                return;
            };
            for e in entries.flatten() {
                let Ok(meta) = std::fs::symlink_metadata(e.path()) else {
                    continue;
                };
                out.push((e.path(), meta.len()));
                if meta.is_dir() {
                    walk(&e.path(), out);
                }
            }
        }
        let mut out = Vec::new();
        walk(&self.0, &mut out);
        out.sort();
        out
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        // Make folders a test locked removable again.
        #[cfg(unix)]
        for (path, _) in self.listing() {
            use std::os::unix::fs::PermissionsExt;
            if std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_dir()) {
                let _ = std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755));
            }
        }
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

// ---------------------------------------------------------------------------
// Positions, computed independently of the server

/// The unit of LSP columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Enc {
    Utf8,
    Utf16,
}

impl Enc {
    pub fn width(self, c: char) -> usize {
        match self {
            Enc::Utf8 => c.len_utf8(),
            Enc::Utf16 => c.len_utf16(),
        }
    }
}

/// The LSP position (line, column) of byte `offset`.
pub fn line_col(text: &str, offset: usize, enc: Enc) -> (u32, u32) {
    let lines = line_ranges(text);
    let line = lines
        .iter()
        .rposition(|r| r.start <= offset)
        .expect("line 0 starts at 0");
    let start = lines[line].start;
    let col: usize = text[start..offset].chars().map(|c| enc.width(c)).sum();
    (line as u32, col as u32)
}

/// `{"line", "character"}` of byte `offset`.
pub fn position(text: &str, offset: usize, enc: Enc) -> Value {
    let (line, character) = line_col(text, offset, enc);
    json!({"line": line, "character": character})
}

/// `{"start", "end"}` of a byte range.
pub fn range(text: &str, span: std::ops::Range<usize>, enc: Enc) -> Value {
    json!({"start": position(text, span.start, enc), "end": position(text, span.end, enc)})
}

/// The byte range of the `n`th (0-based) occurrence of `needle` in `text`.
pub fn find_nth(text: &str, needle: &str, n: usize) -> std::ops::Range<usize> {
    let start = text
        .match_indices(needle)
        .nth(n)
        .unwrap_or_else(|| panic!("{needle:?} occurs fewer than {} times", n + 1))
        .0;
    start..start + needle.len()
}

/// The byte range of the only occurrence of `needle` in `text`.
pub fn find(text: &str, needle: &str) -> std::ops::Range<usize> {
    let count = text.matches(needle).count();
    assert_eq!(count, 1, "{needle:?} occurs {count} times, not once");
    find_nth(text, needle, 0)
}

/// The byte offset of an LSP position, as the protocol defines it (see
/// [`oracle::offset_of`]).
/// `text` with LSP `TextEdit`s (UTF-16 positions) applied.
pub fn apply_edits(text: &str, edits: &[Value]) -> String {
    let mut spans: Vec<(usize, usize, String)> = edits
        .iter()
        .map(|e| {
            let p = |k: &str| {
                offset_of(
                    text,
                    e["range"][k]["line"].as_u64().unwrap() as u32,
                    e["range"][k]["character"].as_u64().unwrap() as u32,
                    Enc::Utf16,
                )
            };
            (
                p("start"),
                p("end"),
                e["newText"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    spans.sort_by_key(|(s, _, _)| std::cmp::Reverse(*s));
    let mut out = text.to_string();
    for (s, e, new) in spans {
        out.replace_range(s..e, &new);
    }
    out
}

pub fn offset_of(text: &str, line: u32, col: u32, enc: Enc) -> usize {
    oracle::offset_of(text, line, col, |c| enc.width(c))
}

// ---------------------------------------------------------------------------
// Raw protocol access, for tests that send what a well-behaved client would not

impl Server {
    /// Writes bytes to the server's input exactly as given (no framing), and
    /// flushes. An error means the server closed its input (it exited).
    pub fn send_raw(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        let stdin = self
            .stdin
            .as_mut()
            .expect("the server's input is still open");
        stdin.write_all(bytes)?;
        stdin.flush()
    }

    /// Frames any JSON value with a correct `Content-Length` and sends it
    /// (a request with a chosen id, an invalid message, a batch…).
    pub fn send_value(&mut self, message: &Value) -> std::io::Result<()> {
        let body = serde_json::to_string(message).expect("a JSON value serialises");
        self.send_raw(format!("Content-Length: {}\r\n\r\n{body}", body.len()).as_bytes())
    }

    /// The next message from the server within `timeout`, or `None` when
    /// none came or the server closed its output. Requests from the server
    /// are answered with `null` and not returned; published diagnostics are
    /// recorded in `published` as with the other helpers.
    pub fn next_message(&mut self, timeout: Duration) -> Option<Value> {
        let deadline = Instant::now() + timeout;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let message = self.incoming.recv_timeout(left).ok()?;
            self.record(&message);
            if message.get("method").is_some() && message.get("id").is_some() {
                let id = message["id"].clone();
                self.server_requests.push(message);
                let _ = self.send_value(&json!({"jsonrpc": "2.0", "id": id, "result": null}));
                continue;
            }
            return Some(message);
        }
    }

    /// Every response received until the one with `id` (included, last);
    /// notifications meanwhile are kept for the `wait_for_*` helpers. Fails
    /// the test when the answer does not come within [`TIMEOUT`] or the
    /// server exits first.
    pub fn responses_until(&mut self, id: &Value) -> Vec<Value> {
        let deadline = Instant::now() + TIMEOUT;
        let mut responses = Vec::new();
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let Some(message) = self.next_message(left) else {
                let status = self.child.try_wait().ok().flatten();
                panic!(
                    "no response with id {id} (server exit status: {status:?})\n  responses so far: {responses:#?}\n  last messages received:\n{}\n  stderr:\n{}",
                    self.recent_messages(),
                    self.stderr()
                );
            };
            if message.get("method").is_some() {
                self.buffered.push_back(message);
                continue;
            }
            let done = message.get("id") == Some(id);
            responses.push(message);
            if done {
                return responses;
            }
        }
    }

    /// The server's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Whether the server process is still running.
    pub fn is_running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// The id the next [`Server::request`] will use; ids below it are taken.
    pub fn next_request_id(&self) -> i64 {
        self.next_id
    }
}

impl Server {
    /// Closes the server's input and waits (a few seconds at most) for it to
    /// exit; its status, whatever it is. Standard error must not show a panic.
    pub fn close_input_and_wait_for_status(mut self) -> ExitStatus {
        self.stdin = None;
        self.wait_for_exit_status()
    }
}

/// LSP positions of many offsets of one text: the line ranges computed once
/// (as [`line_ranges`]), each lookup a binary search. For large texts, where
/// [`position`] per offset would be quadratic.
pub struct Positions<'a> {
    text: &'a str,
    lines: Vec<std::ops::Range<usize>>,
    enc: Enc,
}

impl<'a> Positions<'a> {
    pub fn new(text: &'a str, enc: Enc) -> Self {
        Positions {
            text,
            lines: line_ranges(text),
            enc,
        }
    }

    /// `{"line", "character"}` of byte `offset` (a character boundary).
    pub fn position(&self, offset: usize) -> Value {
        let line = self.lines.partition_point(|r| r.start <= offset) - 1;
        let start = self.lines[line].start;
        let col: usize = self.text[start..offset]
            .chars()
            .map(|c| self.enc.width(c))
            .sum();
        json!({"line": line, "character": col})
    }

    /// `{"start", "end"}` of a byte range.
    pub fn range(&self, span: std::ops::Range<usize>) -> Value {
        json!({"start": self.position(span.start), "end": self.position(span.end)})
    }
}

// ---------------------------------------------------------------------------
// What the server should answer, from the core directly (the analysis of
// an untitled document: no registry)

use transcript_ls::analysis::{Severity, Symbol, SymbolKind, analyze, outline};

pub fn severity(s: Severity) -> i64 {
    match s {
        Severity::Error => 1,
        Severity::Warning => 2,
        Severity::Info => 3,
        Severity::Hint => 4,
    }
}

pub fn symbol_kind(kind: SymbolKind) -> i64 {
    match kind {
        SymbolKind::Metadata => 3, // namespace
        SymbolKind::Section => 2,  // module
        SymbolKind::Question => 24,
        SymbolKind::Answer => 15,
    }
}

pub fn expected_symbols(text: &str, symbols: &[Symbol], enc: Enc) -> Value {
    symbols_at(&Positions::new(text, enc), symbols)
}

pub fn symbols_at(at: &Positions, symbols: &[Symbol]) -> Value {
    symbols
        .iter()
        .map(|s| {
            json!({
                "name": s.name,
                "detail": s.detail,
                "kind": symbol_kind(s.kind),
                "range": at.range(s.span.clone()),
                "selectionRange": at.range(s.selection.clone()),
                "children": symbols_at(at, &s.children),
            })
        })
        .collect()
}

/// The server's symbols with only the fields the core decides.
pub fn comparable_symbols(symbols: &Value) -> Value {
    symbols
        .as_array()
        .unwrap_or_else(|| panic!("symbols are not an array: {symbols:#}"))
        .iter()
        .map(|s| {
            json!({
                "name": s["name"],
                "detail": s.get("detail").cloned().unwrap_or(Value::Null),
                "kind": s["kind"],
                "range": s["range"],
                "selectionRange": s["selectionRange"],
                "children": comparable_symbols(s.get("children").unwrap_or(&json!([]))),
            })
        })
        .collect()
}

/// (range, severity, code, message) of each diagnostic, sorted.
pub fn expected_diagnostics(text: &str, enc: Enc) -> Vec<(String, i64, String, String)> {
    let at = Positions::new(text, enc);
    let mut out: Vec<_> = analyze(text, None)
        .diagnostics
        .iter()
        .map(|d| {
            (
                at.range(d.span.clone()).to_string(),
                severity(d.severity),
                d.rule.name().to_string(),
                d.message.clone(),
            )
        })
        .collect();
    out.sort();
    out
}

pub fn comparable_diagnostics(diagnostics: &[Value]) -> Vec<(String, i64, String, String)> {
    let mut out: Vec<_> = diagnostics
        .iter()
        .map(|d| {
            // The server appends the help to the message.
            let message = d["message"].as_str().unwrap_or_default();
            let message = message.split("\nhelp: ").next().unwrap_or_default();
            (
                d["range"].to_string(),
                d["severity"].as_i64().unwrap_or_default(),
                d["code"].as_str().unwrap_or_default().to_string(),
                message.to_string(),
            )
        })
        .collect();
    out.sort();
    out
}

/// The server's diagnostics for `version` and its outline of `uri` are the
/// core's analysis of `text`: so the server holds exactly `text`.
pub fn assert_holds(server: &mut Server, uri: &str, version: i64, text: &str, enc: Enc) {
    let published = server.diagnostics_for_version(uri, version);
    let got = comparable_diagnostics(&published);
    let want = expected_diagnostics(text, enc);
    assert!(
        got == want,
        "diagnostics of {uri} v{version} differ from the analysis of the expected text\n  got:  {got:?}\n  want: {want:?}"
    );
    assert_outline(server, uri, text, enc);
}

/// The server's outline of `uri` is the core's outline of `text`.
pub fn assert_outline(server: &mut Server, uri: &str, text: &str, enc: Enc) {
    let symbols = server.document_symbols(uri);
    let doc = analyze(text, None).syntax;
    let want = expected_symbols(text, &outline(text, &doc), enc);
    assert_eq!(
        comparable_symbols(&symbols),
        want,
        "the outline of {uri} differs from the analysis of the expected text"
    );
}
