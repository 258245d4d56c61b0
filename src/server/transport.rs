//! The stdio transport. We frame messages ourselves instead of using
//! tower-lsp-server's `Server`, so that a malformed frame or bad JSON gets a
//! JSON-RPC error and the server reads on (its framed reader stops at the
//! first decode error), requests named `$/…` are answered, and a large
//! message's buffer is freed once handled instead of being kept for the
//! server's lifetime.
//!
//! Notifications are handled one after the other as they arrive, so every
//! edit reaches the document store before anything sent after it; requests
//! run concurrently.
//!
//! Requests whose answers grow with the document (outline, semantic tokens)
//! or the collection (references, rename) are answered by the backend as
//! JSON text directly: through the service, tower-lsp-server first turns a
//! result into a `serde_json::Value`, which for a 10 MiB document's outline
//! took most of the time and twice the document's size in memory, and for
//! 250,000 references 90% of two seconds. The transport cancels those that
//! run on (`$/cancelRequest`) itself, as the service does its own.

use std::collections::HashMap;
use std::future::poll_fn;
use std::sync::{Arc, Mutex};
use std::task::Poll;
use std::time::Duration;

use futures::future::BoxFuture;
use futures::{SinkExt, StreamExt};
use serde_json::Value;
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::sync::mpsc;
use tokio::task::{AbortHandle, JoinSet};
use tower_lsp_server::jsonrpc::{Error, Id, Request, Response};
use tower_lsp_server::ls_types::notification::Notification;
use tower_lsp_server::{ClientSocket, LanguageServer, LspService};
use tower_service::Service;

/// How many messages wait for the client at most: when it stops reading,
/// the server stops reading too, instead of queueing answers without limit.
const OUTBOX: usize = 64;
/// The largest message accepted; a larger one is refused and skipped.
const MAX_MESSAGE: usize = 1 << 30;
/// The longest header line accepted.
const MAX_HEADER_LINE: usize = 8 * 1024;
/// How long requests still running at exit may take to finish.
const DRAIN: Duration = Duration::from_secs(2);

/// The result of a request as JSON text, now or when its work is done.
pub enum Direct {
    Now(String),
    Later(BoxFuture<'static, Result<String, Error>>),
}

/// The requests a backend answers with JSON text, bypassing the service.
pub trait DirectAnswers {
    /// The result of `method`, or `None` to let the service answer (also
    /// for parameters it cannot read, so that the service reports them).
    fn answer(&self, method: &str, params: &Value) -> Option<Direct>;
}

/// The direct answers still running, by request id: whoever takes a
/// request out answers it, the task with its result or `$/cancelRequest`
/// with `RequestCancelled`, so a request is answered once.
#[derive(Clone, Default)]
struct Running(Arc<Mutex<HashMap<Id, AbortHandle>>>);

impl Running {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Id, AbortHandle>> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn take(&self, id: &Id) -> Option<AbortHandle> {
        self.lock().remove(id)
    }
}

/// The queue of messages to the client, in the order they are queued: the
/// answers, and the notifications that must reach the client before an
/// answer (partial results; those sent through tower-lsp-server's `Client`
/// take a detour and may arrive after it).
#[derive(Clone)]
pub struct Outbox(mpsc::Sender<String>);

/// What [`Outbox`] queues, for [`serve`] to write.
pub struct Bodies(mpsc::Receiver<String>);

pub fn outbox() -> (Outbox, Bodies) {
    let (out, bodies) = mpsc::channel(OUTBOX);
    (Outbox(out), Bodies(bodies))
}

impl Outbox {
    pub async fn notify<N: Notification>(&self, params: N::Params) {
        let message = serde_json::json!({"jsonrpc": "2.0", "method": N::METHOD, "params": params});
        send(&self.0, &message).await;
    }
}

/// One frame read from the input.
enum Frame {
    Message(Vec<u8>),
    /// A frame that could not be read; the reason, to log and answer.
    Malformed(String),
    End,
}

/// Serves the LSP service over `input` and `output` until `exit` or the end of the input.
pub async fn serve<S: LanguageServer + DirectAnswers>(
    mut service: LspService<S>,
    socket: ClientSocket,
    input: impl AsyncRead + Unpin,
    output: impl AsyncWrite + Unpin + Send + 'static,
    (Outbox(out), Bodies(bodies)): (Outbox, Bodies),
) {
    let writer = tokio::spawn(write_frames(bodies, output));
    let (mut to_client, mut from_client) = socket.split();
    let forward_out = out.clone();
    let forward = tokio::spawn(async move {
        while let Some(request) = to_client.next().await {
            send(&forward_out, &request).await;
        }
    });
    let mut input = BufReader::new(input);
    let mut requests = JoinSet::new();
    let running = Running::default();
    loop {
        let body = match read_frame(&mut input).await {
            Frame::Message(body) => body,
            Frame::Malformed(why) => {
                tracing::error!("malformed message: {why}");
                send(&out, &Response::from_error(Id::Null, Error::parse_error())).await;
                continue;
            }
            Frame::End => break,
        };
        let value: Value = match serde_json::from_slice(&body) {
            Ok(value) => value,
            Err(e) => {
                tracing::error!("a message that is not JSON: {e}");
                send(&out, &Response::from_error(Id::Null, Error::parse_error())).await;
                continue;
            }
        };
        drop(body);
        let Some(method) = value
            .get("method")
            .and_then(Value::as_str)
            .map(str::to_string)
        else {
            // A response to a request of ours.
            match serde_json::from_value::<Response>(value) {
                Ok(response) => {
                    let _ = from_client.send(response).await;
                }
                Err(e) => {
                    tracing::error!("an invalid message: {e}");
                    send(
                        &out,
                        &Response::from_error(Id::Null, Error::invalid_request()),
                    )
                    .await;
                }
            }
            continue;
        };
        let id: Option<Id> = value
            .get("id")
            .and_then(|id| serde_json::from_value(id.clone()).ok());
        let mut value = value;
        if let Some(why) = uri_problem(&method, &mut value) {
            tracing::error!("{method}: {why}");
            match &id {
                Some(id) => {
                    send(
                        &out,
                        &Response::from_error(id.clone(), invalid_params(&why)),
                    )
                    .await
                }
                None => {
                    send(
                        &out,
                        &show_error(&format!("transcript-ls ignored {method}: {why}")),
                    )
                    .await
                }
            }
            continue;
        }
        if method.starts_with("$/")
            && let Some(id) = id.clone()
        {
            // Optional requests the server does not implement: the protocol wants an answer.
            send(&out, &Response::from_error(id, Error::method_not_found())).await;
            continue;
        }
        if method == "$/cancelRequest"
            && let Some(cancelled) = value
                .pointer("/params/id")
                .and_then(|id| serde_json::from_value::<Id>(id.clone()).ok())
            && let Some(task) = running.take(&cancelled)
        {
            // Dropping the work's future cancels the work behind it.
            task.abort();
            let error = Response::from_error(cancelled, Error::request_cancelled());
            send(&out, &error).await;
            continue;
        }
        if let Some(id) = &id
            && let Some(answer) = service
                .inner()
                .answer(&method, value.get("params").unwrap_or(&Value::Null))
        {
            match answer {
                Direct::Now(result) => send_result(&out, id, &result).await,
                Direct::Later(mut work) => {
                    // Polled once here, as the service's requests are (below).
                    if let Poll::Ready(answer) =
                        poll_fn(|cx| Poll::Ready(work.as_mut().poll(cx))).await
                    {
                        send_answer(&out, id.clone(), answer).await;
                        continue;
                    }
                    let (out, mine, answering) = (out.clone(), running.clone(), id.clone());
                    // Held until the task is in the table, so that it finds itself there.
                    let mut table = running.lock();
                    let task = requests.spawn(async move {
                        let answer = work.await;
                        if mine.take(&answering).is_none() {
                            return; // Cancelled and answered already.
                        }
                        send_answer(&out, answering, answer).await;
                    });
                    table.retain(|_, task| !task.is_finished());
                    table.insert(id.clone(), task);
                }
            }
            continue;
        }
        let request: Request = match serde_json::from_value(value) {
            Ok(request) => request,
            Err(e) => {
                tracing::error!("an invalid request: {e}");
                send(
                    &out,
                    &Response::from_error(id.unwrap_or(Id::Null), Error::invalid_request()),
                )
                .await;
                continue;
            }
        };
        if poll_fn(|cx| service.poll_ready(cx)).await.is_err() {
            break;
        }
        let mut call = service.call(request);
        if id.is_none() {
            if let Ok(Some(response)) = call.await {
                send(&out, &response).await;
            }
            if method == "exit" {
                break;
            }
            continue;
        }
        // A request is polled once here, before the next message is read, so
        // it answers from the documents as they were when it arrived; only a
        // request that then waits goes on concurrently.
        match poll_fn(|cx| Poll::Ready(call.as_mut().poll(cx))).await {
            Poll::Ready(Ok(Some(response))) => send(&out, &response).await,
            Poll::Ready(_) => {}
            Poll::Pending => {
                let out = out.clone();
                requests.spawn(async move {
                    if let Ok(Some(response)) = call.await {
                        send(&out, &response).await;
                    }
                });
            }
        }
    }
    let _ = tokio::time::timeout(DRAIN, async {
        while requests.join_next().await.is_some() {}
    })
    .await;
    requests.shutdown().await;
    forward.abort();
    // The backend holds a sender too: the writer ends when both are gone,
    // and tasks still sending hold others. What the client does not read
    // by then is dropped: the process ends all the same.
    drop(service);
    drop(out);
    let _ = tokio::time::timeout(DRAIN, writer).await;
}

/// Why a message's URIs cannot be used, if they cannot: a string under a
/// `uri` key that is not a valid URI (raw spaces or `%`, say). In
/// `workspace/didChangeWatchedFiles`, bad changes are dropped and the rest kept.
fn uri_problem(method: &str, message: &mut Value) -> Option<String> {
    let params = message.get_mut("params")?;
    if method == "workspace/didChangeWatchedFiles"
        && let Some(changes) = params.get_mut("changes").and_then(Value::as_array_mut)
    {
        let mut problems = Vec::new();
        changes.retain(
            |c| match c.get("uri").and_then(Value::as_str).and_then(bad_uri) {
                Some(why) => {
                    problems.push(why);
                    false
                }
                None => true,
            },
        );
        for why in problems {
            tracing::error!("{method}: a change was ignored: {why}");
        }
        return None;
    }
    let mut found = None;
    find_uris(params, 0, &mut |uri| {
        if found.is_none() {
            found = bad_uri(uri);
        }
    });
    found
}

/// Calls `f` with every string under a `uri` key, to a bounded depth.
fn find_uris(value: &Value, depth: usize, f: &mut impl FnMut(&str)) {
    if depth > 6 {
        return;
    }
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                match (k.as_str(), v) {
                    ("uri", Value::String(s)) => f(s),
                    _ => find_uris(v, depth + 1, f),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| find_uris(v, depth + 1, f)),
        _ => {}
    }
}

/// Why a URI cannot be used, if it cannot. A `file:` URI with a fragment
/// or a query (a raw `#` or `?` in a file's name, most likely) is usable, as
/// a document without a file on disk, and logged.
fn bad_uri(uri: &str) -> Option<String> {
    let shown = crate::escape::shown(uri);
    let help =
        "spaces, `#`, `?` and `%` in a file's name must be percent-encoded (%20, %23, %3F, %25)";
    match uri.parse::<tower_lsp_server::ls_types::Uri>() {
        Err(e) => Some(format!("`{shown}` is not a valid URI ({e}): {help}")),
        Ok(u) => {
            if u.scheme().as_str().eq_ignore_ascii_case("file")
                && (u.fragment().is_some() || u.query().is_some())
            {
                tracing::warn!(
                    "`{shown}` has a fragment or a query, so it names no file: it is kept as a document without a file or registry; {help}"
                );
            }
            None
        }
    }
}

fn invalid_params(why: &str) -> Error {
    Error {
        code: tower_lsp_server::jsonrpc::ErrorCode::InvalidParams,
        message: why.to_string().into(),
        data: None,
    }
}

/// A `window/showMessage` notification of an error.
fn show_error(message: &str) -> Value {
    serde_json::json!({
        "jsonrpc": "2.0",
        "method": "window/showMessage",
        "params": { "type": 1, "message": message },
    })
}

/// Queues a message for the client; waits while the queue is full (the
/// client is not reading), which stops the reading of new messages.
async fn send(out: &mpsc::Sender<String>, message: &impl serde::Serialize) {
    match serde_json::to_string(message) {
        Ok(body) => {
            let _ = out.send(body).await;
        }
        Err(e) => tracing::error!("cannot encode a message: {e}"),
    }
}

/// A response whose result is JSON text already.
async fn send_result(out: &mpsc::Sender<String>, id: &Id, result: &str) {
    match serde_json::to_string(id) {
        Ok(id) => {
            let _ = out
                .send(format!(
                    r#"{{"jsonrpc":"2.0","id":{id},"result":{result}}}"#
                ))
                .await;
        }
        Err(e) => tracing::error!("cannot encode a message: {e}"),
    }
}

/// A direct answer: its result, or its error.
async fn send_answer(out: &mpsc::Sender<String>, id: Id, answer: Result<String, Error>) {
    match answer {
        Ok(result) => send_result(out, &id, &result).await,
        Err(e) => send(out, &Response::from_error(id, e)).await,
    }
}

async fn write_frames(mut bodies: mpsc::Receiver<String>, mut output: impl AsyncWrite + Unpin) {
    while let Some(body) = bodies.recv().await {
        let header = format!("Content-Length: {}\r\n\r\n", body.len());
        let written = async {
            output.write_all(header.as_bytes()).await?;
            output.write_all(body.as_bytes()).await?;
            output.flush().await
        };
        if let Err(e) = written.await {
            tracing::error!("cannot write to the client: {e}");
            return;
        }
    }
}

/// Reads the headers and the body of one message.
async fn read_frame(input: &mut (impl AsyncBufReadExt + Unpin)) -> Frame {
    let mut length: Option<usize> = None;
    let mut problem: Option<String> = None;
    let mut line = Vec::new();
    loop {
        line.clear();
        match (&mut *input)
            .take(MAX_HEADER_LINE as u64)
            .read_until(b'\n', &mut line)
            .await
        {
            Ok(0) => return Frame::End,
            Ok(_) => {}
            Err(e) => {
                tracing::error!("cannot read from the client: {e}");
                return Frame::End;
            }
        }
        if !line.ends_with(b"\n") {
            problem.get_or_insert_with(|| "a header line that is too long".to_string());
            continue;
        }
        let text = String::from_utf8_lossy(&line);
        let text = text.trim_end_matches(['\r', '\n']);
        if text.is_empty() {
            if length.is_none() && problem.is_none() {
                // Blank lines between messages are harmless.
                continue;
            }
            break;
        }
        // `Content-Length` is looked for anywhere on the line: after a frame
        // whose length was wrong, the next header may follow the leftover bytes.
        let lower = text.to_ascii_lowercase();
        if let Some(at) = lower.rfind("content-length:") {
            let value = text[at + "content-length:".len()..].trim();
            match value.parse::<usize>() {
                Ok(n) if n <= MAX_MESSAGE => {
                    length = Some(n);
                    // The leftover bytes before it were a broken frame; this one is sound.
                    problem = None;
                }
                _ => {
                    problem
                        .get_or_insert_with(|| format!("an unusable Content-Length: {value:.40}"));
                }
            }
        } else if !text.contains(':') {
            problem.get_or_insert_with(|| {
                format!("a header line that is not `Name: value`: {text:.60}")
            });
        }
    }
    if let Some(why) = problem {
        return Frame::Malformed(why);
    }
    let Some(length) = length else {
        return Frame::Malformed("a message without Content-Length".to_string());
    };
    let mut body = vec![0; length];
    match input.read_exact(&mut body).await {
        Ok(_) => Frame::Message(body),
        Err(_) => Frame::End,
    }
}
