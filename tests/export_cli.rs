//! `transcript-ls export` run as a program: standard output (JSON Lines, one
//! TSV table), `-o` and `--force`, `--allow-errors`, WebVTT without time
//! codes, `--schema`, exit codes, and what reaches a terminal.

mod common;

use std::path::Path;
use std::process::{Command, Output, Stdio};

use common::TempDir;

const BIN: &str = env!("CARGO_BIN_EXE_transcript-ls");
const REPO: &str = env!("CARGO_MANIFEST_DIR");

const CLEAN: &str = "---\ntitle: Press conference\ndate: 2017-06-16\n---\n\nSergey Lavrov: Good afternoon, [Laos]{place}.\n\nQuestion (TASS): Why?\n\nSergey Lavrov: Because.\n";

const TIMED: &str = "---\ntitle: Timed\ndate: 2017-06-16\n---\n\nSergey Lavrov: [00:00:05] Good afternoon.\n\nQuestion: [00:00:09] Why?\n";

/// Two errors: an impossible date (line 3) and an unknown entity (line 6).
const TWO_ERRORS: &str =
    "---\ntitle: Press conference\ndate: 2017-02-30\n---\n\nSergey Lavrov: Hello, [x]{nobody}.\n";

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl From<Output> for Run {
    fn from(o: Output) -> Run {
        Run {
            code: o.status.code().expect("terminated by a signal"),
            stdout: String::from_utf8(o.stdout).expect("stdout is UTF-8"),
            stderr: String::from_utf8(o.stderr).expect("stderr is UTF-8"),
        }
    }
}

fn run(cwd: &Path, args: &[&str]) -> Run {
    Command::new(BIN)
        .args(args)
        .current_dir(cwd)
        .stdin(Stdio::null())
        .output()
        .unwrap()
        .into()
}

#[test]
fn several_files_are_json_lines_on_standard_output() {
    let dir = TempDir::with_empty_registry("export jsonl");
    dir.write("a.transcript", CLEAN);
    dir.write("sub/b.transcript", TIMED);
    let r = run(dir.path(), &["export", "--to", "json", "."]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{}", r.stdout);
    let files: Vec<String> = lines
        .iter()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            v["file"].as_str().unwrap().to_string()
        })
        .collect();
    assert_eq!(files, ["a.transcript", "sub/b.transcript"]);
    assert!(
        r.stderr.contains("export: 2 of 2 files exported"),
        "{}",
        r.stderr
    );

    // One file: one line, a JSON document of its own.
    let r = run(dir.path(), &["export", "--to", "json", "a.transcript"]);
    assert_eq!(r.code, 0);
    assert_eq!(r.stdout.lines().count(), 1);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["turns"][1]["attribution"], "TASS");
    assert!(r.stderr.is_empty(), "{}", r.stderr);
}

#[test]
fn several_files_are_one_tsv_table() {
    let dir = TempDir::with_empty_registry("export tsv");
    dir.write("a.transcript", CLEAN);
    dir.write("b.transcript", TIMED);
    let r = run(
        dir.path(),
        &["export", "--to", "tsv", "a.transcript", "b.transcript"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert!(lines[0].starts_with("file\tid\tdate\tturn"));
    assert_eq!(lines.iter().filter(|l| l.starts_with("file\t")).count(), 1);
    assert_eq!(lines.len(), 1 + 3 + 2);
}

#[test]
fn output_folder_mirrors_the_inputs_and_never_overwrites_without_force() {
    let dir = TempDir::with_empty_registry("export out");
    dir.write("corpus/a.transcript", CLEAN);
    dir.write("corpus/2021/b.transcript", TIMED);
    let r = run(
        dir.path(),
        &["export", "--to", "tei", "-o", "out", "corpus"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let a = dir.path().join("out/a.xml");
    let b = dir.path().join("out/2021/b.xml");
    assert!(a.is_file() && b.is_file(), "{}", r.stderr);
    assert!(
        r.stderr.contains("2 of 2 files exported to out"),
        "{}",
        r.stderr
    );

    std::fs::write(&a, "mine").unwrap();
    let r = run(
        dir.path(),
        &["export", "--to", "tei", "-o", "out", "corpus"],
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("exists; not overwritten (use --force to overwrite)"),
        "{}",
        r.stderr
    );
    assert_eq!(std::fs::read_to_string(&a).unwrap(), "mine");

    let r = run(
        dir.path(),
        &["export", "--to", "tei", "-o", "out", "--force", "corpus"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(std::fs::read_to_string(&a).unwrap().starts_with("<?xml"));
}

#[test]
fn files_with_errors_are_skipped_unless_allowed() {
    let dir = TempDir::with_empty_registry("export errors");
    dir.write("bad.transcript", TWO_ERRORS);
    dir.write("good.transcript", CLEAN);
    let r = run(dir.path(), &["export", "--to", "tsv", "."]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("bad.transcript: not exported: 2 errors (first: line 3:"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("--allow-errors"), "{}", r.stderr);
    assert!(r.stderr.contains("1 of 2 files exported"), "{}", r.stderr);
    assert!(!r.stdout.contains("bad.transcript"));
    assert_eq!(r.stdout.lines().count(), 1 + 3);

    let r = run(
        dir.path(),
        &["export", "--to", "tsv", "--allow-errors", "."],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("bad.transcript\t\t\t1\t"), "{}", r.stdout);
}

#[test]
fn webvtt_needs_time_codes() {
    let dir = TempDir::with_empty_registry("export vtt");
    dir.write("timed.transcript", TIMED);
    dir.write("plain.transcript", CLEAN);
    let r = run(
        dir.path(),
        &["export", "--to", "webvtt", "plain.transcript"],
    );
    assert_eq!(r.code, 1);
    assert!(r.stdout.is_empty());
    assert!(
        r.stderr
            .contains("plain.transcript: not exported to WebVTT: it has no time codes"),
        "{}",
        r.stderr
    );

    let r = run(dir.path(), &["export", "--to", "webvtt", "-o", "vtt", "."]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let vtt = std::fs::read_to_string(dir.path().join("vtt/timed.vtt")).unwrap();
    assert!(
        vtt.starts_with(
            "WEBVTT\n\n1\n00:00:05.000 --> 00:00:09.000\n<v Sergey Lavrov>Good afternoon.</v>\n"
        ),
        "{vtt}"
    );
    assert!(!dir.path().join("vtt/plain.vtt").exists());
}

#[test]
fn usage_errors_exit_2() {
    let dir = TempDir::with_empty_registry("export usage");
    dir.write("a.transcript", CLEAN);
    dir.write("b.transcript", CLEAN);
    let r = run(dir.path(), &["export", "--to", "tei", "."]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("give a folder with -o DIR"),
        "{}",
        r.stderr
    );
    let r = run(dir.path(), &["export", "a.transcript"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    let r = run(
        dir.path(),
        &["export", "--to", "json", "missing.transcript"],
    );
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("cannot read missing.transcript"),
        "{}",
        r.stderr
    );
}

#[test]
fn schema_is_the_published_one() {
    let r = run(Path::new(REPO), &["export", "--schema"]);
    assert_eq!(r.code, 0);
    let published =
        std::fs::read_to_string(Path::new(REPO).join("docs/export.schema.json")).unwrap();
    assert_eq!(r.stdout, published);
}

#[test]
fn standard_input_is_exported_as_stdin() {
    let dir = TempDir::with_empty_registry("export stdin");
    let mut child = Command::new(BIN)
        .args(["export", "--to", "tsv", "-"])
        .current_dir(dir.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    common::feed(&mut child, CLEAN);
    let r: Run = child.wait_with_output().unwrap().into();
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.lines().nth(1).unwrap().starts_with("<stdin>\t"),
        "{}",
        r.stdout
    );
}

#[test]
fn control_characters_never_reach_standard_output_raw_in_json() {
    let dir = TempDir::with_empty_registry("export controls");
    dir.write(
        "a.transcript",
        "---\ntitle: T\u{1b}c\ndate: 2017-06-16\n---\n\nSergey Lavrov: Red\u{1b}c \u{202e}text\u{9b}.\n",
    );
    let r = run(dir.path(), &["export", "--to", "json", "a.transcript"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        !r.stdout.contains(['\u{1b}', '\u{202e}', '\u{9b}']),
        "{:?}",
        r.stdout
    );
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["turns"][0]["text"], "Red\u{1b}c \u{202e}text\u{9b}.");
}

/// Runs a command with its output on a pseudo-terminal (util-linux
/// `script`); `None` when that cannot be done here.
fn on_a_terminal(dir: &Path, args: &str) -> Option<String> {
    let script = Path::new("/usr/bin/script");
    if !script.exists() {
        return None;
    }
    let out = Command::new(script)
        .args(["-qec", &format!("'{BIN}' {args}"), "/dev/null"])
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()
        .ok()?;
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn control_characters_are_shown_escaped_on_a_terminal() {
    let dir = TempDir::with_empty_registry("export tty");
    dir.write(
        "a.transcript",
        "---\ntitle: T\ndate: 2017-06-16\n---\n\nSergey Lavrov: Red\u{1b}c text.\n",
    );
    let Some(out) = on_a_terminal(dir.path(), "export --to tsv a.transcript") else {
        eprintln!("skipped: /usr/bin/script not found");
        return;
    };
    assert!(!out.contains('\u{1b}'), "{out:?}");
    assert!(out.contains("Red\\u{1b}c text."), "{out:?}");
}
