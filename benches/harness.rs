//! The performance harness: `cargo bench --bench harness` (add `-- --quick`
//! for a shorter run).
//!
//! It builds its inputs under `target/bench-inputs` (large documents from the
//! examples, a folder of 4,000 transcripts), drives the release binary over
//! stdio as an editor would, times `transcript-ls check` against `wc -w` over
//! the same files in the same run, reads the server's memory from
//! `/proc/<pid>/status`, and prints a table of medians and 90th percentiles
//! with the budget each figure meets or misses.
//!
//! Nothing here asserts: the figures depend on the machine and its load.

#[path = "harness/collection.rs"]
mod collection;
mod common;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use common::{KIB, MIB, REPO, Rng};

const BIN: &str = env!("CARGO_BIN_EXE_transcript-ls");

/// Bump when the generated inputs change, so that old ones are rebuilt.
const INPUTS_VERSION: &str = "4";
const FOLDER_FILES: usize = 4000;

struct Options {
    quick: bool,
    markdown: bool,
    /// With `--only GROUP`: only that group of figures (for profiling).
    only: Option<String>,
}

impl Options {
    fn runs(&self, group: &str) -> bool {
        self.only.as_deref().is_none_or(|o| o == group)
    }
}

/// How many times each figure is measured.
struct Counts {
    startups: usize,
    keystrokes_1m: usize,
    keystrokes_10m: usize,
    requests_1m: usize,
    requests_10m: usize,
    check_runs: usize,
}

impl Counts {
    fn new(quick: bool) -> Counts {
        if quick {
            Counts {
                startups: 8,
                keystrokes_1m: 30,
                keystrokes_10m: 10,
                requests_1m: 10,
                requests_10m: 5,
                check_runs: 3,
            }
        } else {
            Counts {
                startups: 20,
                keystrokes_1m: 100,
                keystrokes_10m: 40,
                requests_1m: 30,
                requests_10m: 10,
                check_runs: 7,
            }
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "--help" || a == "-h") {
        println!(
            "cargo bench --bench harness [-- --quick] [-- --markdown]\n\n\
             --quick     fewer repetitions (about a minute)\n\
             --markdown  print the table as Markdown (for the README)\n\
             --only G    only one group of figures: startup, 1m, 10m, check or collection\n\
             TRANSCRIPT_LS_BENCH_WRAP=\"perf record -g --\" runs the server under a profiler"
        );
        return;
    }
    let options = Options {
        quick: args.iter().any(|a| a == "--quick"),
        markdown: args.iter().any(|a| a == "--markdown"),
        only: args
            .iter()
            .position(|a| a == "--only")
            .and_then(|i| args.get(i + 1).cloned()),
    };
    let counts = Counts::new(options.quick);
    let started = Instant::now();
    println!("transcript-ls performance harness");
    println!("binary: {BIN}");
    println!("machine: {}", machine());
    let inputs = Inputs::prepare();
    println!(
        "inputs: {} ({}), {} ({}), folder of {} files ({}, {} of them imported from ../shared/corpus) in {}",
        inputs.doc_1m.display(),
        bytes(inputs.size_1m),
        inputs.doc_10m.display(),
        bytes(inputs.size_10m),
        inputs.folder_files.len(),
        bytes(inputs.folder_bytes),
        inputs.imported,
        inputs.folder.display(),
    );
    println!("{}", inputs.diagnostics_summary);
    println!();

    let mut rows = Vec::new();
    if options.runs("startup") {
        eprintln!("measuring start-up…");
        rows.push(startup(counts.startups));
    }
    // Each document: its group, file, keystrokes, requests, label, latency budget and size.
    let documents = [
        (
            "1m",
            &inputs.doc_1m,
            counts.keystrokes_1m,
            counts.requests_1m,
            "1 MiB",
            10,
            inputs.size_1m,
        ),
        (
            "10m",
            &inputs.doc_10m,
            counts.keystrokes_10m,
            counts.requests_10m,
            "10 MiB",
            100,
            inputs.size_10m,
        ),
    ];
    for (group, path, keystrokes, requests, label, budget_ms, size) in documents {
        if options.runs(group) {
            eprintln!("measuring the server on the {label} document…");
            let figures = server_figures(path, keystrokes, requests, label);
            rows.extend(figures.rows(Duration::from_millis(budget_ms)));
            rows.extend(figures.memory_rows(size));
        }
    }
    if options.runs("check") {
        eprintln!("timing check against wc -w…");
        rows.extend(check_vs_wc(&inputs, counts.check_runs));
    }
    if options.runs("collection") {
        rows.extend(collection::figures(options.quick));
    }
    println!();
    print_table(&rows, options.markdown);
    println!();
    let met = rows.iter().filter(|r| r.verdict == Verdict::Pass).count();
    let missed = rows.iter().filter(|r| r.verdict == Verdict::Miss).count();
    println!(
        "{met} budgets met, {missed} missed; {} s in all. The figures are from one run on a shared machine: expect a few percent of noise, more under load.",
        started.elapsed().as_secs()
    );
}

// ---------------------------------------------------------------- inputs

struct Inputs {
    doc_1m: PathBuf,
    doc_10m: PathBuf,
    size_1m: usize,
    size_10m: usize,
    folder: PathBuf,
    /// The folder's transcripts, relative to it, in a stable order.
    folder_files: Vec<PathBuf>,
    folder_bytes: usize,
    imported: usize,
    diagnostics_summary: String,
}

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(REPO).join("target"))
}

impl Inputs {
    fn prepare() -> Inputs {
        let root = target_dir().join("bench-inputs");
        let docs = root.join("docs");
        let folder = root.join("folder");
        let corpus = Path::new(REPO).join("../shared/corpus/kremlin");
        let stamp_path = root.join("STAMP");
        let stamp = format!(
            "{INPUTS_VERSION} {} corpus={}",
            examples_fingerprint(),
            corpus.is_dir()
        );
        if std::fs::read_to_string(&stamp_path).ok().as_deref() != Some(stamp.as_str()) {
            eprintln!("generating inputs in {}…", root.display());
            let _ = std::fs::remove_dir_all(&root);
            std::fs::create_dir_all(&docs).unwrap();
            std::fs::write(docs.join("transcripts.json"), common::registry_text()).unwrap();
            std::fs::write(
                docs.join("large-1m.transcript"),
                common::large_document(MIB, 1),
            )
            .unwrap();
            std::fs::write(
                docs.join("large-10m.transcript"),
                common::large_document(10 * MIB, 10),
            )
            .unwrap();
            generate_folder(&folder, &corpus);
            std::fs::write(&stamp_path, &stamp).unwrap();
        }
        let mut folder_files = Vec::new();
        list_transcripts(&folder, Path::new(""), &mut folder_files);
        folder_files.sort();
        let folder_bytes = folder_files
            .iter()
            .map(|f| std::fs::metadata(folder.join(f)).unwrap().len() as usize)
            .sum();
        let imported = folder_files
            .iter()
            .filter(|f| f.starts_with("kremlin"))
            .count();
        let doc_1m = docs.join("large-1m.transcript");
        let doc_10m = docs.join("large-10m.transcript");
        let diagnostics_summary = format!(
            "diagnostics: large documents {}; folder {}",
            diagnostics(&docs),
            diagnostics(&folder)
        );
        Inputs {
            size_1m: std::fs::metadata(&doc_1m).unwrap().len() as usize,
            size_10m: std::fs::metadata(&doc_10m).unwrap().len() as usize,
            doc_1m,
            doc_10m,
            folder,
            folder_files,
            folder_bytes,
            imported,
            diagnostics_summary,
        }
    }
}

fn examples_fingerprint() -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut names: Vec<PathBuf> = std::fs::read_dir(Path::new(REPO).join("examples"))
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    names.sort();
    for p in names {
        for b in std::fs::read(&p).unwrap_or_default() {
            h = (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3);
        }
    }
    format!("{h:016x}")
}

/// 4,000 transcripts in 40 sub-folders, with the examples' registry at the
/// root; the corpus pages, when present, imported into `kremlin/` and counted
/// among the 4,000.
fn generate_folder(folder: &Path, corpus: &Path) {
    std::fs::create_dir_all(folder).unwrap();
    std::fs::write(folder.join("transcripts.json"), common::registry_text()).unwrap();
    let mut imported = 0;
    if corpus.is_dir() {
        let mut raw: Vec<PathBuf> = std::fs::read_dir(corpus)
            .unwrap()
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "txt"))
            .collect();
        raw.sort();
        let out = folder.join("kremlin");
        let status = Command::new(BIN)
            .arg("import")
            .arg("-o")
            .arg(&out)
            .args(&raw)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        if status.is_ok() {
            let mut found = Vec::new();
            list_transcripts(&out, Path::new(""), &mut found);
            imported = found.len();
        } else {
            eprintln!("could not import the corpus: {status:?}");
        }
    }
    let examples = common::examples();
    let mut rng = Rng::new(4000);
    for n in 0..FOLDER_FILES - imported {
        let dir = folder.join(format!("set-{:02}", n % 40));
        if n < 40 {
            std::fs::create_dir_all(&dir).unwrap();
        }
        let text = common::folder_file(n, &examples, &mut rng);
        std::fs::write(dir.join(format!("t{n:05}.transcript")), text).unwrap();
    }
}

fn list_transcripts(root: &Path, rel: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(root.join(rel)) else {
        return;
    };
    for e in entries.flatten() {
        let name = rel.join(e.file_name());
        let t = e.file_type().unwrap();
        if t.is_dir() {
            list_transcripts(root, &name, out);
        } else if name.extension().is_some_and(|x| x == "transcript") {
            out.push(name);
        }
    }
}

/// What `check --format json` finds in a folder, by severity.
fn diagnostics(dir: &Path) -> String {
    let out = Command::new(BIN)
        .args(["check", "--format", "json", "."])
        .current_dir(dir)
        .stderr(Stdio::null())
        .output()
        .expect("check runs");
    let Ok(Value::Array(all)) = serde_json::from_slice::<Value>(&out.stdout) else {
        return "(no JSON output)".to_string();
    };
    let mut by: BTreeMap<String, usize> = BTreeMap::new();
    for d in &all {
        let key = d["severity"].as_str().unwrap_or("?").to_string();
        *by.entry(key).or_default() += 1;
    }
    if by.is_empty() {
        return "none".to_string();
    }
    by.iter()
        .map(|(k, v)| format!("{v} {k}"))
        .collect::<Vec<_>>()
        .join(", ")
}

// ---------------------------------------------------------------- the LSP client

/// The client side of a server on stdio, single-threaded: it reads only
/// while it waits for something, and answers requests from the server.
struct Lsp {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
    next_id: i64,
    /// The server's log lines, when [`Lsp::spawn_logging`] started it.
    log: Option<std::sync::mpsc::Receiver<String>>,
}

impl Lsp {
    fn spawn() -> Lsp {
        Lsp::spawn_with(&[], false)
    }

    /// A server whose log (at info level) is read line by line.
    fn spawn_logging() -> Lsp {
        Lsp::spawn_with(&["--log", "info"], true)
    }

    /// Waits for a log line containing `needle`; the line, or `None` after `limit`.
    fn wait_for_log(&self, needle: &str, limit: Duration) -> Option<String> {
        let log = self.log.as_ref()?;
        let deadline = Instant::now() + limit;
        while let Ok(line) = log.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
            if line.contains(needle) {
                return Some(line);
            }
        }
        None
    }

    fn spawn_with(args: &[&str], log: bool) -> Lsp {
        // A profiler may wrap the server: TRANSCRIPT_LS_BENCH_WRAP="perf record -g --".
        let wrap = std::env::var("TRANSCRIPT_LS_BENCH_WRAP").unwrap_or_default();
        let mut words = wrap.split_whitespace();
        let mut command = match words.next() {
            Some(program) => {
                let mut c = Command::new(program);
                c.args(words).arg(BIN);
                c
            }
            None => Command::new(BIN),
        };
        let mut child = command
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(if log {
                Stdio::piped()
            } else {
                Stdio::inherit()
            })
            .spawn()
            .expect("the server starts");
        let stdin = child.stdin.take().unwrap();
        let stdout = BufReader::with_capacity(1 << 20, child.stdout.take().unwrap());
        let log = child.stderr.take().map(|stderr| {
            let (tx, rx) = std::sync::mpsc::channel();
            std::thread::spawn(move || {
                for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                    if tx.send(line).is_err() {
                        break;
                    }
                }
            });
            rx
        });
        Lsp {
            child,
            stdin,
            stdout,
            next_id: 1,
            log,
        }
    }

    fn pid(&self) -> u32 {
        self.child.id()
    }

    fn frame(message: &Value) -> Vec<u8> {
        let body = serde_json::to_vec(message).unwrap();
        let mut frame = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
        frame.extend(body);
        frame
    }

    fn write(&mut self, frame: &[u8]) {
        self.stdin.write_all(frame).unwrap();
        self.stdin.flush().unwrap();
    }

    /// The next message and the moment its last byte was read.
    fn read(&mut self) -> (Value, Instant) {
        let mut length = None;
        let mut line = String::new();
        loop {
            line.clear();
            if self.stdout.read_line(&mut line).unwrap() == 0 {
                panic!("the server closed its output");
            }
            let l = line.trim_end();
            if l.is_empty() {
                break;
            }
            if let Some(v) = l.strip_prefix("Content-Length:") {
                length = Some(v.trim().parse::<usize>().unwrap());
            }
        }
        let mut body = vec![0; length.expect("a Content-Length header")];
        self.stdout.read_exact(&mut body).unwrap();
        let at = Instant::now();
        let message: Value = serde_json::from_slice(&body).unwrap();
        if message.get("method").is_some()
            && let Some(id) = message.get("id")
        {
            // A request from the server: answer it.
            let answer = Lsp::frame(&json!({"jsonrpc": "2.0", "id": id, "result": null}));
            self.write(&answer);
        }
        (message, at)
    }

    fn notify(&mut self, method: &str, params: Value) {
        let frame = Lsp::frame(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
        self.write(&frame);
    }

    /// Sends a request; its result and the time from sending to the answer.
    fn request(&mut self, method: &str, params: Value) -> (Value, Duration) {
        let id = self.next_id;
        self.next_id += 1;
        let frame =
            Lsp::frame(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        let start = Instant::now();
        self.write(&frame);
        loop {
            let (message, at) = self.read();
            if message.get("method").is_none() && message.get("id") == Some(&json!(id)) {
                if let Some(e) = message.get("error") {
                    panic!("{method} failed: {e}");
                }
                return (message["result"].clone(), at - start);
            }
        }
    }

    /// Sends a notification about a document; the time until
    /// `publishDiagnostics` for that document's `version` (other documents'
    /// publications before it are read and passed over).
    fn notify_until_published(&mut self, method: &str, params: Value, version: i64) -> Duration {
        let uri = params["textDocument"]["uri"].clone();
        let frame = Lsp::frame(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
        let start = Instant::now();
        self.write(&frame);
        loop {
            let (message, at) = self.read();
            if message["method"] == "textDocument/publishDiagnostics"
                && message["params"]["uri"] == uri
                && message["params"]["version"] == json!(version)
            {
                return at - start;
            }
        }
    }

    fn initialize(&mut self) -> Duration {
        self.initialize_at(Path::new(REPO))
    }

    /// Initializes with `root` as the workspace folder.
    fn initialize_at(&mut self, root: &Path) -> Duration {
        let (_, took) = self.request(
            "initialize",
            json!({
                "processId": std::process::id(),
                "rootUri": uri(root),
                "workspaceFolders": [{"uri": uri(root), "name": "bench"}],
                "capabilities": {
                    "textDocument": {
                        "documentSymbol": { "hierarchicalDocumentSymbolSupport": true },
                        "hover": { "contentFormat": ["markdown", "plaintext"] },
                        "publishDiagnostics": { "versionSupport": true, "relatedInformation": true },
                    },
                },
            }),
        );
        self.notify("initialized", json!({}));
        took
    }

    fn finish(mut self) {
        self.request("shutdown", Value::Null);
        self.notify("exit", Value::Null);
        drop(self.stdin);
        let _ = self.child.wait();
    }
}

fn uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

/// VmRSS and VmHWM of a process, in bytes.
fn memory(pid: u32) -> (usize, usize) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<usize>().ok())
            .map_or(0, |kb| kb * 1024)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

// ---------------------------------------------------------------- server figures

fn startup(runs: usize) -> Row {
    let mut times = Vec::new();
    for _ in 0..runs {
        let start = Instant::now();
        let mut lsp = Lsp::spawn();
        let _ = lsp.initialize();
        times.push(start.elapsed());
        lsp.finish();
    }
    Row::timed(
        "start-up to the initialize answer",
        &times,
        Budget::P90(Duration::from_millis(50)),
        "p90 < 50 ms",
    )
}

struct ServerFigures {
    label: &'static str,
    open: Duration,
    keystrokes: Vec<Duration>,
    outline: Vec<Duration>,
    /// The outline's symbols and the size of its JSON.
    outline_size: (usize, usize),
    hover_mention: Vec<Duration>,
    hover_speaker: Vec<Duration>,
    rss_idle: usize,
    /// After the document was opened.
    rss_open: usize,
    /// After the keystrokes.
    rss_typed: usize,
    /// At the end, after the outline and hover requests.
    rss: usize,
    hwm: usize,
}

/// The positions (line, UTF-16 column) of places to type at and to hover on.
struct Places {
    /// Ends of paragraph lines spread over the document.
    typing: Vec<(usize, usize)>,
    mention: (usize, usize),
    speaker: (usize, usize),
}

fn count_symbols(symbols: &Value) -> usize {
    symbols.as_array().map_or(0, |a| {
        a.iter().map(|s| 1 + count_symbols(&s["children"])).sum()
    })
}

fn utf16_len(s: &str) -> usize {
    s.chars().map(char::len_utf16).sum()
}

fn places(text: &str) -> Places {
    let lines: Vec<&str> = text.split('\n').collect();
    let n = lines.len();
    let paragraph_line_near = |from: usize| {
        (from..n)
            .chain(0..from)
            .find(|&i| lines[i].len() > 80 && !lines[i].starts_with(['#', '-', '/']))
            .expect("a paragraph line")
    };
    let typing = [n / 4, n / 2, 3 * n / 4, n.saturating_sub(20)]
        .iter()
        .map(|&i| {
            let l = paragraph_line_near(i);
            (l, utf16_len(lines[l]))
        })
        .collect();
    let mid = n / 2;
    let mention = (mid..n)
        .find_map(|i| {
            let at = lines[i].find("]{asean}")?;
            let open = lines[i][..at].rfind('[')?;
            Some((i, utf16_len(&lines[i][..open]) + 2))
        })
        .expect("a mention of asean");
    let speaker = (mid..n)
        .find(|&i| lines[i].starts_with("Sergey Lavrov: "))
        .map(|i| (i, 3))
        .expect("a turn of Sergey Lavrov");
    Places {
        typing,
        mention,
        speaker,
    }
}

fn server_figures(
    path: &Path,
    keystrokes: usize,
    requests: usize,
    label: &'static str,
) -> ServerFigures {
    let text = std::fs::read_to_string(path).unwrap();
    let places = places(&text);
    let uri = uri(path);
    let mut lsp = Lsp::spawn();
    lsp.initialize();
    let (rss_idle, _) = memory(lsp.pid());
    let open = lsp.notify_until_published(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "transcript", "version": 1, "text": text}}),
        1,
    );
    drop(text);
    let (rss_open, _) = memory(lsp.pid());
    // Typing: at each place, five characters typed and then deleted, one
    // keystroke per change, as an editor sends them.
    let mut version = 1;
    let mut times = Vec::new();
    let word = "draft";
    'typing: for &(line, col) in places.typing.iter().cycle() {
        for i in 0..10 {
            if times.len() == keystrokes {
                break 'typing;
            }
            let (range, new_text) = if i < 5 {
                let at = json!({"line": line, "character": col + i});
                (json!({"start": at, "end": at}), word[i..=i].to_string())
            } else {
                let typed = 10 - i;
                let start = json!({"line": line, "character": col + typed - 1});
                let end = json!({"line": line, "character": col + typed});
                (json!({"start": start, "end": end}), String::new())
            };
            version += 1;
            let took = lsp.notify_until_published(
                "textDocument/didChange",
                json!({
                    "textDocument": {"uri": uri, "version": version},
                    "contentChanges": [{"range": range, "text": new_text}],
                }),
                version,
            );
            times.push(took);
        }
    }
    let (rss_typed, _) = memory(lsp.pid());
    let doc = json!({"uri": uri});
    let mut outline_size = (0, 0);
    let outline = (0..requests)
        .map(|_| {
            let (result, took) =
                lsp.request("textDocument/documentSymbol", json!({"textDocument": doc}));
            assert!(result.as_array().is_some_and(|a| !a.is_empty()));
            outline_size = (count_symbols(&result), result.to_string().len());
            took
        })
        .collect();
    let hover = |lsp: &mut Lsp, (line, character): (usize, usize)| -> Vec<Duration> {
        (0..requests)
            .map(|_| {
                let (result, took) = lsp.request(
                    "textDocument/hover",
                    json!({"textDocument": doc, "position": {"line": line, "character": character}}),
                );
                assert!(result.is_object(), "a hover at {line}:{character}");
                took
            })
            .collect()
    };
    let hover_mention = hover(&mut lsp, places.mention);
    let hover_speaker = hover(&mut lsp, places.speaker);
    let (rss, hwm) = memory(lsp.pid());
    lsp.finish();
    ServerFigures {
        label,
        open,
        keystrokes: times,
        outline,
        hover_mention,
        hover_speaker,
        outline_size,
        rss_idle,
        rss_open,
        rss_typed,
        rss,
        hwm,
    }
}

impl ServerFigures {
    fn rows(&self, budget: Duration) -> Vec<Row> {
        let ms = budget.as_millis();
        let l = self.label;
        vec![
            Row::timed(
                &format!("open → diagnostics, {l}"),
                &[self.open],
                Budget::None,
                "",
            ),
            Row::timed(
                &format!("keystroke → diagnostics, {l}"),
                &self.keystrokes,
                Budget::P90(budget),
                &format!("p90 ≤ {ms} ms"),
            ),
            {
                let mut row = Row::timed(
                    &format!("outline, {l}"),
                    &self.outline,
                    Budget::P90(budget),
                    &format!("p90 ≤ {ms} ms"),
                );
                let (symbols, json) = self.outline_size;
                row.ratio = format!("{}; {symbols} symbols, {}", row.ratio, bytes(json));
                row
            },
            Row::timed(
                &format!("hover on a mention, {l}"),
                &self.hover_mention,
                Budget::P90(budget),
                &format!("p90 ≤ {ms} ms"),
            ),
            Row::timed(
                &format!("hover on a speaker, {l}"),
                &self.hover_speaker,
                Budget::P90(budget),
                &format!("p90 ≤ {ms} ms"),
            ),
        ]
    }

    /// The server's resident memory at three moments, as a multiple of the
    /// text; judged against the budget on the 10 MiB document only.
    fn memory_rows(&self, text: usize) -> Vec<Row> {
        let judged = self.label == "10 MiB";
        let l = self.label;
        let row = |figure: String, rss: usize, extra: String| {
            let ratio = rss as f64 / text as f64;
            Row {
                figure,
                n: 1,
                median: bytes(rss),
                p90: String::new(),
                ratio: format!("{ratio:.1}× text{extra}"),
                budget: if judged {
                    "≤ 4× text".to_string()
                } else {
                    String::new()
                },
                verdict: if !judged {
                    Verdict::Info
                } else if ratio <= 4.0 {
                    Verdict::Pass
                } else {
                    Verdict::Miss
                },
            }
        };
        vec![
            row(
                format!("server RSS, {l} opened"),
                self.rss_open,
                format!(" (idle server {})", bytes(self.rss_idle)),
            ),
            row(
                format!("server RSS, {l} after typing"),
                self.rss_typed,
                String::new(),
            ),
            row(
                format!("server RSS, {l} after outline+hover"),
                self.rss,
                format!(
                    " (peak {}, {:.1}×)",
                    bytes(self.hwm),
                    self.hwm as f64 / text as f64
                ),
            ),
        ]
    }
}

// ---------------------------------------------------------------- check vs wc -w

fn check_vs_wc(inputs: &Inputs, runs: usize) -> Vec<Row> {
    let wc = || {
        let start = Instant::now();
        let status = Command::new("wc")
            .arg("-w")
            .args(&inputs.folder_files)
            .current_dir(&inputs.folder)
            .stdout(Stdio::null())
            .status()
            .expect("wc runs");
        assert!(status.success(), "wc -w failed");
        start.elapsed()
    };
    let check = || {
        let start = Instant::now();
        let status = Command::new(BIN)
            .args(["check", "."])
            .current_dir(&inputs.folder)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .expect("check runs");
        assert!(status.code().is_some_and(|c| c <= 1), "check failed");
        start.elapsed()
    };
    // One of each to warm the page cache, then alternately.
    wc();
    check();
    let (mut w, mut c) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        w.push(wc());
        c.push(check());
    }
    let ratio = median(&c).as_secs_f64() / median(&w).as_secs_f64();
    let ratio_p90 = percentile(&c, 90).as_secs_f64() / percentile(&w, 90).as_secs_f64();
    let files = inputs.folder_files.len();
    // Bytes read per second, at the median time.
    let rate = |times: &[Duration]| {
        let per_second = inputs.folder_bytes as f64 / median(times).as_secs_f64();
        format!("{}/s", bytes(per_second as usize))
    };
    let mut check_row = Row::timed(
        &format!("check, {files} files"),
        &c,
        Budget::None,
        "≤ 1.5× wc -w",
    );
    check_row.ratio = format!("{ratio:.2}× wc -w (p90 {ratio_p90:.2}×); {}", rate(&c));
    check_row.verdict = if ratio <= 1.5 {
        Verdict::Pass
    } else {
        Verdict::Miss
    };
    let mut wc_row = Row::timed(
        &format!("wc -w, the same {files} files"),
        &w,
        Budget::None,
        "",
    );
    wc_row.ratio = rate(&w);
    vec![check_row, wc_row]
}

// ---------------------------------------------------------------- the table

#[derive(Clone, Copy, PartialEq)]
enum Verdict {
    Pass,
    Miss,
    Info,
}

enum Budget {
    None,
    P90(Duration),
}

struct Row {
    figure: String,
    n: usize,
    median: String,
    p90: String,
    ratio: String,
    budget: String,
    verdict: Verdict,
}

impl Row {
    fn timed(figure: &str, times: &[Duration], budget: Budget, budget_text: &str) -> Row {
        let (med, p90) = (median(times), percentile(times, 90));
        let (verdict, ratio) = match budget {
            Budget::None => (Verdict::Info, String::new()),
            Budget::P90(b) => (
                if p90 <= b {
                    Verdict::Pass
                } else {
                    Verdict::Miss
                },
                format!("{:.2}× budget", p90.as_secs_f64() / b.as_secs_f64()),
            ),
        };
        Row {
            figure: figure.to_string(),
            n: times.len(),
            median: duration(med),
            p90: if times.len() > 1 {
                duration(p90)
            } else {
                String::new()
            },
            ratio,
            budget: budget_text.to_string(),
            verdict,
        }
    }
}

fn median(times: &[Duration]) -> Duration {
    percentile(times, 50)
}

/// The nearest-rank percentile.
fn percentile(times: &[Duration], p: usize) -> Duration {
    let mut sorted = times.to_vec();
    sorted.sort();
    let rank = (p * sorted.len()).div_ceil(100).max(1);
    sorted[rank - 1]
}

fn duration(d: Duration) -> String {
    let ms = d.as_secs_f64() * 1000.0;
    if ms >= 1000.0 {
        format!("{:.2} s", ms / 1000.0)
    } else if ms >= 10.0 {
        format!("{ms:.1} ms")
    } else {
        format!("{ms:.2} ms")
    }
}

fn bytes(n: usize) -> String {
    if n >= MIB {
        format!("{:.1} MiB", n as f64 / MIB as f64)
    } else {
        format!("{:.0} KiB", n as f64 / KIB as f64)
    }
}

fn print_table(rows: &[Row], markdown: bool) {
    let header = ["figure", "n", "median", "p90", "ratio", "budget", "verdict"];
    let cells: Vec<[String; 7]> = rows
        .iter()
        .map(|r| {
            [
                r.figure.clone(),
                r.n.to_string(),
                r.median.clone(),
                r.p90.clone(),
                r.ratio.clone(),
                r.budget.clone(),
                match r.verdict {
                    Verdict::Pass => "PASS",
                    Verdict::Miss => "MISS",
                    Verdict::Info => "",
                }
                .to_string(),
            ]
        })
        .collect();
    let width = |i: usize| {
        cells
            .iter()
            .map(|c| c[i].chars().count())
            .chain([header[i].len()])
            .max()
            .unwrap()
    };
    let widths: Vec<usize> = (0..7).map(width).collect();
    let line = |cells: &[&str]| {
        let mut s = String::new();
        for (i, c) in cells.iter().enumerate() {
            let pad = widths[i] - c.chars().count();
            if markdown {
                s.push_str("| ");
            } else if i > 0 {
                s.push_str("  ");
            }
            if i == 1 {
                write!(s, "{}{c}", " ".repeat(pad)).unwrap();
            } else {
                write!(s, "{c}{}", " ".repeat(pad)).unwrap();
            }
            if markdown {
                s.push(' ');
            }
        }
        if markdown {
            s.push('|');
        }
        s
    };
    println!("{}", line(&header));
    if markdown {
        let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
        let rule: Vec<&str> = rule.iter().map(String::as_str).collect();
        println!("{}", line(&rule));
    } else {
        let total: usize = widths.iter().sum::<usize>() + 2 * 6;
        println!("{}", "-".repeat(total));
    }
    for c in &cells {
        let refs: Vec<&str> = c.iter().map(String::as_str).collect();
        println!("{}", line(&refs));
    }
}

fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|c| {
            c.lines().find_map(|l| {
                l.strip_prefix("model name")
                    .map(|v| v.trim_start_matches([' ', '\t', ':']).to_string())
            })
        })
        .unwrap_or_else(|| "unknown CPU".to_string());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let mem = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| {
            m.lines().find_map(|l| {
                l.strip_prefix("MemTotal:")
                    .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<usize>().ok())
            })
        })
        .map_or_else(
            || "? GiB".to_string(),
            |kb| format!("{:.0} GiB", kb as f64 / 1048576.0),
        );
    let load = std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| l.split_whitespace().next().map(str::to_string))
        .unwrap_or_default();
    format!("{cpu}, {cores} cores, {mem} RAM, load average {load}")
}
