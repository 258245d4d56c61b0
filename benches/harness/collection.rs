//! The `collection` group (`cargo bench --bench harness -- --only collection`):
//! the server and `check` on collections of the sizes users keep. Inputs are
//! generated once under `target/bench-inputs/collection`:
//!
//! - `workspace/`: 100,000 transcripts in 1,000 folders, with the examples'
//!   registry: time to index, memory against the text, references and rename
//!   across all, a hover behind 20 cancelled searches, and the next request
//!   after 100 registry change events;
//! - `registry/`: a registry of 1,000,000 entities and one transcript: time
//!   to load it (until the transcript's diagnostics come), memory against
//!   the JSON, workspace symbols and completion inside `{…}`;
//! - `same-id/`: 2,000 files sharing one `id`: `check --format json` output
//!   and peak memory;
//! - 2,000 open documents of 50 KB: memory against their text.

use std::fmt::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use super::common::{self, KIB, MIB, Rng};
use super::{BIN, Budget, Lsp, Row, Verdict, bytes, memory, target_dir, uri};

const FILES: usize = 100_000;
const ENTITIES: usize = 1_000_000;
const SAME_ID: usize = 2_000;
const OPEN: usize = 2_000;
/// Bump when the generated inputs change.
const VERSION: &str = "1";

pub fn figures(quick: bool) -> Vec<Row> {
    let root = target_dir().join("bench-inputs/collection");
    prepare(&root);
    let runs = if quick { 3 } else { 10 };
    let mut rows = Vec::new();
    eprintln!("measuring the server on {FILES} transcripts…");
    rows.extend(workspace(&root.join("workspace"), runs));
    eprintln!("measuring the server with a registry of {ENTITIES} entities…");
    rows.extend(registry(&root.join("registry"), runs * 3));
    eprintln!("checking {SAME_ID} files that share an id…");
    rows.extend(same_id(&root.join("same-id")));
    eprintln!("opening {OPEN} documents of 50 KB…");
    rows.push(open_documents());
    rows
}

/// A figure with a ratio to a budget (lower is better).
fn ratio_row(figure: String, value: String, ratio: f64, unit: &str, budget: f64) -> Row {
    Row {
        figure,
        n: 1,
        median: value,
        p90: String::new(),
        ratio: format!("{ratio:.2}{unit}"),
        budget: format!("≤ {budget}{unit}"),
        verdict: if ratio <= budget {
            Verdict::Pass
        } else {
            Verdict::Miss
        },
    }
}

fn timed(figure: &str, times: &[Duration], budget_ms: u64) -> Row {
    Row::timed(
        figure,
        times,
        Budget::P90(Duration::from_millis(budget_ms)),
        &format!("p90 ≤ {budget_ms} ms"),
    )
}

fn prepare(root: &Path) {
    let stamp = root.join("STAMP");
    if std::fs::read_to_string(&stamp).ok().as_deref() == Some(VERSION) {
        return;
    }
    eprintln!(
        "generating the collection inputs in {} (once)…",
        root.display()
    );
    let _ = std::fs::remove_dir_all(root);
    // 100,000 transcripts.
    let ws = root.join("workspace");
    std::fs::create_dir_all(&ws).unwrap();
    std::fs::write(ws.join("transcripts.json"), common::registry_text()).unwrap();
    let examples = common::examples();
    let mut rng = Rng::new(100_000);
    for n in 0..FILES {
        let dir = ws.join(format!("set-{:03}", n / 100));
        if n % 100 == 0 {
            std::fs::create_dir_all(&dir).unwrap();
        }
        let text = common::folder_file(n, &examples, &mut rng);
        std::fs::write(dir.join(format!("t{n:06}.transcript")), text).unwrap();
    }
    // A registry of a million entities, and a transcript that uses it.
    let reg = root.join("registry");
    std::fs::create_dir_all(&reg).unwrap();
    std::fs::write(reg.join("transcripts.json"), million()).unwrap();
    std::fs::write(
        reg.join("a.transcript"),
        "---\ntitle: A\ndate: 2016-07-26\n---\n\nQuestion: Did [Mr Kerry]{e12345} meet [Ms Li]{e777777}?\n\nSergey Lavrov: Yes, [him]{e1}.\n",
    )
    .unwrap();
    // 2,000 files with one id.
    let same = root.join("same-id");
    std::fs::create_dir_all(&same).unwrap();
    std::fs::write(same.join("transcripts.json"), "{}\n").unwrap();
    for n in 0..SAME_ID {
        std::fs::write(
            same.join(format!("t{n:04}.transcript")),
            format!("---\ntitle: T{n}\ndate: 2016-07-26\nid: the-same-id\n---\n\nSergey Lavrov: Good afternoon.\n"),
        )
        .unwrap();
    }
    std::fs::write(stamp, VERSION).unwrap();
}

/// A registry of a million people, organisations and places, shaped like
/// one built from Wikidata: names from first and last names, a type, a
/// short description, an alias and a Wikidata id.
fn million() -> String {
    const FIRST: &[&str] = &[
        "John", "Mary", "Sergey", "Anna", "Wang", "Maria", "Jean", "Li", "Ahmed", "Olga", "Peter",
        "Fatima", "Carlos", "Yuki", "Ivan", "Aisha", "Pedro", "Elena", "Kofi", "Ingrid",
    ];
    const LAST: &[&str] = &[
        "Kerry",
        "Lavrov",
        "Smith",
        "Zakharova",
        "Yi",
        "Dubois",
        "Nakamura",
        "García",
        "Ivanov",
        "Müller",
        "O’Brien",
        "Khan",
        "Rossi",
        "Kowalski",
        "Haddad",
        "Annan",
        "Svensson",
        "Okafor",
    ];
    const KINDS: &[&str] = &["person", "person", "person", "org", "place"];
    let mut rng = Rng::new(1_000_000);
    let mut out = String::with_capacity(ENTITIES * 170);
    out.push_str("{\n  \"entities\": {\n");
    for i in 0..ENTITIES {
        let (first, last) = (rng.pick(FIRST), rng.pick(LAST));
        let kind = rng.pick(KINDS);
        let name = match *kind {
            "person" => format!("{first} {last} {}", i % 1000),
            "org" => format!("{last} Institute {i}"),
            _ => format!("{last}ville {i}"),
        };
        let sep = if i + 1 < ENTITIES { "," } else { "" };
        writeln!(
            out,
            "    \"e{i}\": {{ \"name\": \"{name}\", \"type\": \"{kind}\", \"description\": \"entity number {i}, a {kind}\", \"aliases\": [\"{last} {i}\"], \"wikidata\": \"Q{}\" }}{sep}",
            i + 1
        )
        .unwrap();
    }
    out.push_str("  }\n}\n");
    out
}

/// The size of the transcripts under `dir`, each read once: the timing
/// that follows then measures the server, not the disk (this machine's
/// page cache does not keep 1 GiB between groups: a cold index of the
/// 100,000 files took 14–18 s, a warm one 6.5–8 s).
fn text_bytes(dir: &Path) -> usize {
    let mut total = 0;
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let path = e.path();
            if e.file_type().unwrap().is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|x| x == "transcript") {
                total += std::fs::read(&path).unwrap().len();
            }
        }
    }
    total
}

fn position(text: &str, offset: usize) -> Value {
    let before = &text[..offset];
    let line = before.matches('\n').count();
    let col: usize = before[before.rfind('\n').map_or(0, |i| i + 1)..]
        .chars()
        .map(char::len_utf16)
        .sum();
    json!({"line": line, "character": col})
}

fn at(uri: &str, text: &str, offset: usize) -> Value {
    json!({"textDocument": {"uri": uri}, "position": position(text, offset)})
}

fn workspace(dir: &Path, runs: usize) -> Vec<Row> {
    let text_size = text_bytes(dir);
    let mut rows = Vec::new();
    let mut lsp = Lsp::spawn_logging();
    let started = Instant::now();
    lsp.initialize_at(dir);
    let indexed = lsp
        .wait_for_log("indexed ", Duration::from_secs(600))
        .expect("the workspace is indexed");
    let took = started.elapsed();
    eprintln!("  {indexed}");
    rows.push(Row::timed(
        &format!("index {FILES} transcripts ({})", bytes(text_size)),
        &[took],
        Budget::P90(Duration::from_secs(10)),
        "≤ 10 s",
    ));
    let (rss, _) = memory(lsp.pid());
    rows.push(ratio_row(
        format!("server RSS, {FILES} transcripts indexed"),
        bytes(rss),
        rss as f64 / text_size as f64,
        "× text",
        0.3,
    ));
    // A file that mentions an entity the whole collection mentions.
    let path = dir.join("set-000/t000000.transcript");
    let text = std::fs::read_to_string(&path).unwrap();
    let file = uri(&path);
    lsp.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": file, "languageId": "transcript", "version": 1, "text": text}}),
    );
    let mention = text.find("]{").map(|i| i + 3).expect("a mention");
    let mut params = at(&file, &text, mention);
    params["context"] = json!({"includeDeclaration": true});
    let mut times = Vec::new();
    let mut found = 0;
    for _ in 0..runs {
        let (refs, took) = lsp.request("textDocument/references", params.clone());
        found = refs.as_array().map_or(0, Vec::len);
        times.push(took);
    }
    rows.push(timed(
        &format!("references across all ({found} places)"),
        &times,
        1000,
    ));
    let mut rename = at(&file, &text, mention);
    rename["newName"] = json!("renamed-entity");
    let mut times = Vec::new();
    let mut files = 0;
    for _ in 0..runs {
        let (edit, took) = lsp.request("textDocument/rename", rename.clone());
        files = edit["changes"].as_object().map_or(0, |c| c.len());
        times.push(took);
    }
    rows.push(timed(
        &format!("rename across all ({files} files)"),
        &times,
        1000,
    ));
    // A hover behind 20 cancelled searches.
    let hover = at(&file, &text, mention);
    let mut times = Vec::new();
    for _ in 0..runs {
        for _ in 0..20 {
            let id = lsp.next_id;
            lsp.next_id += 1;
            let request = json!({"jsonrpc": "2.0", "id": id, "method": "textDocument/references", "params": params});
            let cancel =
                json!({"jsonrpc": "2.0", "method": "$/cancelRequest", "params": {"id": id}});
            let mut frames = Lsp::frame(&request);
            frames.extend(Lsp::frame(&cancel));
            lsp.write(&frames);
        }
        let (_, took) = lsp.request("textDocument/hover", hover.clone());
        times.push(took);
    }
    rows.push(timed("hover behind 20 cancelled searches", &times, 50));
    // 100 registry change events (a branch switch), then a request.
    let registry = dir.join("transcripts.json");
    let registry_text = std::fs::read_to_string(&registry).unwrap();
    let mut times = Vec::new();
    for round in 0..runs.min(5) {
        for i in 0..100 {
            let changed = format!("{}{}", registry_text, " ".repeat((round * 100 + i) % 3));
            std::fs::write(&registry, changed).unwrap();
            lsp.notify(
                "workspace/didChangeWatchedFiles",
                json!({"changes": [{"uri": uri(&registry), "type": 2}]}),
            );
        }
        let (_, took) = lsp.request("textDocument/hover", hover.clone());
        times.push(took);
        lsp.wait_for_log("watched-file events", Duration::from_secs(120));
    }
    std::fs::write(&registry, registry_text).unwrap();
    rows.push(timed(
        "next request after 100 registry change events",
        &times,
        500,
    ));
    lsp.finish();
    rows
}

fn registry(dir: &Path, runs: usize) -> Vec<Row> {
    let json_size = std::fs::metadata(dir.join("transcripts.json"))
        .unwrap()
        .len() as usize;
    let path = dir.join("a.transcript");
    let text = std::fs::read_to_string(&path).unwrap();
    let file = uri(&path);
    let mut lsp = Lsp::spawn();
    lsp.initialize_at(dir);
    let (idle, _) = memory(lsp.pid());
    let took = lsp.notify_until_published(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": file, "languageId": "transcript", "version": 1, "text": text}}),
        1,
    );
    let mut rows = vec![Row::timed(
        &format!(
            "load a registry of {ENTITIES} entities ({})",
            bytes(json_size)
        ),
        &[took],
        Budget::P90(Duration::from_secs(3)),
        "≤ 3 s",
    )];
    let (rss, hwm) = memory(lsp.pid());
    let mut row = ratio_row(
        format!(
            "server RSS with {ENTITIES} entities (idle server {})",
            bytes(idle)
        ),
        format!("{} (peak {})", bytes(rss), bytes(hwm)),
        rss as f64 / json_size as f64,
        "× JSON",
        2.0,
    );
    row.ratio = format!("{} (peak {:.2}×)", row.ratio, hwm as f64 / json_size as f64);
    rows.push(row);
    let queries = [
        "John Kerry",
        "kerry",
        "Sergey Lavrov 12",
        "Lavrov",
        "Institute 4242",
        "e77",
        "Müller",
        "Smth",
        "Okafor 9",
        "ville 1234",
        "Ivan",
        "Zakharova 5",
    ];
    let mut times = Vec::new();
    let mut most = 0;
    for q in queries.iter().cycle().take(runs) {
        let (found, took) = lsp.request("workspace/symbol", json!({"query": q}));
        most = most.max(found.as_array().map_or(0, Vec::len));
        times.push(took);
    }
    rows.push(timed(
        &format!("workspace/symbol, {ENTITIES} entities (≤ {most} items)"),
        &times,
        50,
    ));
    let mut times = Vec::new();
    let mut most = 0;
    let mut version = 1;
    for prefix in ["", "e", "e1", "e12", "e123", "e1234", "e9", "e77"]
        .iter()
        .cycle()
        .take(runs)
    {
        version += 1;
        let edited = format!("{text}\nQuestion: And [x]{{{prefix}");
        lsp.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": file, "version": version}, "contentChanges": [{"text": edited}]}),
        );
        let (list, took) = lsp.request("textDocument/completion", at(&file, &edited, edited.len()));
        most = most.max(list["items"].as_array().map_or(0, Vec::len));
        times.push(took);
    }
    rows.push(timed(
        &format!("completion inside {{…}} (≤ {most} items)"),
        &times,
        20,
    ));
    lsp.finish();
    rows
}

/// The peak memory of a child process: its `VmHWM`, read every 2 ms until
/// it ends. (Not `wait4`'s `ru_maxrss`: Linux carries it over `exec`, so it
/// would report the harness's own size, copied at the fork.)
fn wait_peak(mut child: std::process::Child) -> usize {
    let status = format!("/proc/{}/status", child.id());
    let mut peak = 0;
    while child.try_wait().unwrap().is_none() {
        if let Ok(text) = std::fs::read_to_string(&status) {
            let hwm = text
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<usize>().ok());
            peak = peak.max(hwm.unwrap_or(0) * 1024);
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    peak
}

fn same_id(dir: &Path) -> Vec<Row> {
    let out_path = dir.join("report.json");
    let out = std::fs::File::create(&out_path).unwrap();
    let child = Command::new(BIN)
        .args(["check", "--format", "json", "."])
        .current_dir(dir)
        .stdout(out)
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let peak = wait_peak(child);
    let size = std::fs::metadata(&out_path).unwrap().len() as usize;
    let _ = std::fs::remove_file(&out_path);
    vec![
        ratio_row(
            format!("check --format json, {SAME_ID} files sharing an id: output"),
            bytes(size),
            size as f64 / MIB as f64,
            " MiB",
            5.0,
        ),
        ratio_row(
            format!("check --format json, {SAME_ID} files sharing an id: peak memory"),
            bytes(peak),
            peak as f64 / MIB as f64,
            " MiB",
            200.0,
        ),
    ]
}

fn open_documents() -> Row {
    let mut lsp = Lsp::spawn();
    lsp.initialize();
    let mut total = 0;
    for n in 0..OPEN {
        let text = common::large_document(50 * KIB, n as u64);
        total += text.len();
        let file = format!("untitled:open-{n}");
        let opened = json!({"textDocument": {"uri": file, "languageId": "transcript", "version": 1, "text": text}});
        if n + 1 == OPEN {
            lsp.notify_until_published("textDocument/didOpen", opened, 1);
        } else {
            lsp.notify("textDocument/didOpen", opened);
        }
    }
    // The last document was published, after the others; memory once the
    // server has been quiet for a second (it trims its heaps then).
    std::thread::sleep(Duration::from_secs(1));
    let (rss, _) = memory(lsp.pid());
    lsp.finish();
    ratio_row(
        format!(
            "server RSS, {OPEN} open documents of 50 KB ({})",
            bytes(total)
        ),
        bytes(rss),
        rss as f64 / total as f64,
        "× text",
        3.0,
    )
}
