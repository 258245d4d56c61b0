//! The command line, run as a program: exit codes, inputs (files, folders,
//! standard input, `.gitignore`), error messages, the `rules` command, colours
//! and the summary line.

mod common;

use std::path::Path;
use std::process::{Command, Output, Stdio};

use common::TempDir;
use transcript_ls::diagnostic::Rule;

const BIN: &str = env!("CARGO_BIN_EXE_transcript-ls");
const REPO: &str = env!("CARGO_MANIFEST_DIR");

/// A clean transcript.
const CLEAN: &str =
    "---\ntitle: Press conference\ndate: 2017-06-16\n---\n\nSergey Lavrov: Good afternoon.\n";

/// Two errors: an impossible date (3:7) and an unknown entity (6:23).
const TWO_ERRORS: &str =
    "---\ntitle: Press conference\ndate: 2017-02-30\n---\n\nSergey Lavrov: Hello, [x]{nobody}.\n";

/// Warnings only: an empty section.
const WARNINGS_ONLY: &str =
    "---\ntitle: Press conference\ndate: 2017-06-16\n---\n\nSergey Lavrov: Hello.\n\n# Closing\n";

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

fn command(cwd: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.args(args)
        .current_dir(cwd)
        .env_remove("NO_COLOR")
        .stdin(Stdio::null());
    cmd
}

fn run(cwd: &Path, args: &[&str]) -> Run {
    command(cwd, args).output().unwrap().into()
}

fn run_with_stdin(cwd: &Path, args: &[&str], input: &str) -> Run {
    let mut child = command(cwd, args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    common::feed(&mut child, input);
    child.wait_with_output().unwrap().into()
}

#[test]
fn clean_examples_exit_0() {
    let files = std::fs::read_dir(Path::new(REPO).join("examples"))
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "transcript")
        })
        .count();
    assert!(files >= 2, "the examples folder has its transcripts");
    let r = run(Path::new(REPO), &["check", "examples"]);
    assert_eq!(r.code, 0, "stdout:\n{}\nstderr:\n{}", r.stdout, r.stderr);
    assert_eq!(r.stdout, "");
    assert_eq!(
        r.stderr,
        format!("checked {files} files: 0 errors, 0 warnings\n")
    );
}

#[test]
fn a_file_with_an_error_exits_1() {
    let dir = TempDir::with_empty_registry("error");
    dir.write("bad.transcript", TWO_ERRORS);
    let r = run(dir.path(), &["check", "bad.transcript"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stdout.contains("error[invalid-date]"),
        "stdout:\n{}",
        r.stdout
    );
    assert!(
        r.stdout.contains(" --> bad.transcript:3:7\n"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("error[unknown-entity]"), "{}", r.stdout);
    assert!(
        r.stdout.contains(" --> bad.transcript:6:27\n"),
        "{}",
        r.stdout
    );
}

#[test]
fn a_clean_file_exits_0() {
    let dir = TempDir::with_empty_registry("clean");
    dir.write("ok.transcript", CLEAN);
    let r = run(dir.path(), &["check", "ok.transcript"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert_eq!(r.stdout, "");
    assert_eq!(r.stderr, "checked 1 file: 0 errors, 0 warnings\n");
}

#[test]
fn no_path_checks_the_current_folder() {
    let dir = TempDir::with_empty_registry("default-path");
    dir.write("a.transcript", CLEAN);
    dir.write("sub/b.transcript", TWO_ERRORS);
    let r = run(dir.path(), &["check"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stdout.contains(" --> sub/b.transcript:3:7\n"),
        "{}",
        r.stdout
    );
    assert_eq!(r.stderr, "checked 2 files: 2 errors, 0 warnings\n");
}

#[test]
fn a_missing_path_exits_2_and_names_the_path() {
    let dir = TempDir::with_empty_registry("missing");
    dir.write("ok.transcript", CLEAN);
    let r = run(
        dir.path(),
        &["check", "ok.transcript", "no-such-file.transcript"],
    );
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
    assert_eq!(r.stdout, "", "nothing is reported when an input is missing");
    assert!(
        r.stderr.starts_with("error: ") && r.stderr.contains("no-such-file.transcript"),
        "stderr: {}",
        r.stderr
    );
}

#[test]
fn invalid_utf8_exits_2_with_the_file_and_byte_offset() {
    let dir = TempDir::with_empty_registry("utf8");
    // “ok” is 8 bytes, the space 1: the stray byte 0xFF is at byte 9 of the
    // first line, and the line starts after `---\n` (4 bytes): offset 13.
    let mut bytes = b"---\n".to_vec();
    bytes.extend_from_slice("“ok” ".as_bytes());
    assert_eq!(bytes.len(), 13);
    bytes.push(0xFF);
    bytes.extend_from_slice(b"\ntitle: x\n");
    dir.write("latin.transcript", &bytes);
    let r = run(dir.path(), &["check", "latin.transcript"]);
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
    assert!(r.stderr.contains("latin.transcript"), "{}", r.stderr);
    assert!(r.stderr.contains("UTF-8"), "{}", r.stderr);
    assert!(r.stderr.contains("offset 13"), "{}", r.stderr);

    // A multi-byte sequence cut short at the end of the file: the offset is
    // that of its first byte.
    let mut cut = "’ab".as_bytes().to_vec();
    cut.extend_from_slice(&"’".as_bytes()[..2]);
    dir.write("cut.transcript", &cut);
    let r = run(dir.path(), &["check", "cut.transcript"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("cut.transcript") && r.stderr.contains("offset 5"),
        "{}",
        r.stderr
    );

    // The same through a folder and through standard input.
    let r = run(dir.path(), &["check", "."]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("offset 13") && r.stderr.contains("offset 5"));
    let mut child = command(dir.path(), &["check", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    common::feed(&mut child, &bytes);
    let r: Run = child.wait_with_output().unwrap().into();
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("standard input") && r.stderr.contains("offset 13"),
        "{}",
        r.stderr
    );
}

#[test]
fn an_unknown_flag_is_a_usage_error() {
    let dir = TempDir::with_empty_registry("usage");
    let r = run(dir.path(), &["check", "--frobnicate"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("--frobnicate"), "{}", r.stderr);
    assert_eq!(r.stdout, "");

    let r = run(dir.path(), &["check", "--format", "xml", "."]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("xml"), "{}", r.stderr);

    let r = run(dir.path(), &["check", "--deny", "errors", "."]);
    assert_eq!(r.code, 2);
}

#[test]
fn dash_reads_standard_input() {
    let dir = TempDir::with_empty_registry("stdin");
    let r = run_with_stdin(dir.path(), &["check", "-"], TWO_ERRORS);
    assert_eq!(r.code, 1);
    assert!(r.stdout.contains(" --> <stdin>:3:7\n"), "{}", r.stdout);
    assert_eq!(r.stderr, "checked 1 file: 2 errors, 0 warnings\n");

    let r = run_with_stdin(dir.path(), &["check", "-"], CLEAN);
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert_eq!(r.stdout, "");

    // The registry of the current folder applies to standard input.
    let dir = TempDir::new("stdin-registry");
    dir.write(
        "transcripts.json",
        r#"{ "entities": { "nobody": { "name": "Nobody" } } }"#,
    );
    let r = run_with_stdin(dir.path(), &["check", "--format", "json", "-"], TWO_ERRORS);
    let json: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let codes: Vec<&str> = json
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["invalid-date"]);
}

#[test]
fn a_folder_is_searched_recursively_for_transcripts_only() {
    let dir = TempDir::with_empty_registry("walk");
    dir.write("top.transcript", CLEAN);
    dir.write("a/b/c/deep.transcript", TWO_ERRORS);
    // Not transcripts: none of these may be read.
    dir.write("notes.txt", "no header here [unclosed\n");
    dir.write("a/draft.transcript.bak", "no header here [unclosed\n");
    dir.write("a/transcript", "no header here [unclosed\n");
    dir.write("a/b/readme.md", "no header here [unclosed\n");
    let r = run(dir.path(), &["check", "."]);
    assert_eq!(r.code, 1);
    assert_eq!(r.stderr, "checked 2 files: 2 errors, 0 warnings\n");
    assert!(
        r.stdout.contains(" --> a/b/c/deep.transcript:3:7\n"),
        "{}",
        r.stdout
    );
    for not in ["notes.txt", "draft", "readme", "missing-header"] {
        assert!(!r.stdout.contains(not), "{not} in\n{}", r.stdout);
    }

    // A subfolder given by name.
    let r = run(dir.path(), &["check", "a"]);
    assert_eq!(r.stderr, "checked 1 file: 2 errors, 0 warnings\n");
    assert!(r.stdout.contains(" --> a/b/c/deep.transcript:3:7\n"));
}

#[test]
fn gitignore_excludes_files_in_a_folder_outside_git() {
    let dir = TempDir::with_empty_registry("gitignore");
    assert!(
        !dir.path().ancestors().any(|d| d.join(".git").exists()),
        "the temp folder must not be inside a git repository"
    );
    dir.write(".gitignore", "ignored.transcript\nbuild/\n");
    dir.write("kept.transcript", TWO_ERRORS);
    let ignored = "---\ntitle: x\ndate: 2017-06-16\n---\n\nA: [x]{ignoredentity}\n";
    dir.write("ignored.transcript", ignored);
    dir.write("build/out.transcript", ignored);
    let r = run(dir.path(), &["check", "."]);
    assert_eq!(r.code, 1);
    assert_eq!(r.stderr, "checked 1 file: 2 errors, 0 warnings\n");
    assert!(r.stdout.contains("kept.transcript"), "{}", r.stdout);
    assert!(!r.stdout.contains("ignoredentity"), "{}", r.stdout);
    assert!(!r.stdout.contains("ignored.transcript"), "{}", r.stdout);
    assert!(!r.stdout.contains("out.transcript"), "{}", r.stdout);

    // A file named on the command line is checked even when ignored.
    let r = run(dir.path(), &["check", "ignored.transcript"]);
    assert_eq!(r.code, 1);
    assert!(r.stdout.contains("ignoredentity"), "{}", r.stdout);
}

#[test]
fn deny_warnings_makes_warnings_fail() {
    let dir = TempDir::with_empty_registry("deny");
    dir.write("warn.transcript", WARNINGS_ONLY);
    let r = run(dir.path(), &["check", "warn.transcript"]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert!(r.stdout.contains("warning[empty-section]"), "{}", r.stdout);
    assert_eq!(r.stderr, "checked 1 file: 0 errors, 1 warning\n");

    let r = run(
        dir.path(),
        &["check", "--deny", "warnings", "warn.transcript"],
    );
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(r.stdout.contains("warning[empty-section]"));

    // Without warnings, `--deny warnings` passes.
    dir.write("ok.transcript", CLEAN);
    let r = run(
        dir.path(),
        &["check", "--deny", "warnings", "ok.transcript"],
    );
    assert_eq!(r.code, 0);

    // `info` and `hint` never fail, even with `--deny warnings`.
    let dir = TempDir::new("deny-info");
    dir.write(
        "transcripts.json",
        r#"{ "rules": { "empty-section": "info" } }"#,
    );
    dir.write("warn.transcript", WARNINGS_ONLY);
    let r = run(dir.path(), &["check", "--deny", "warnings", "."]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert!(r.stdout.contains("info[empty-section]"), "{}", r.stdout);
}

#[test]
fn rules_lists_every_rule_with_severity_and_description() {
    let r = run(Path::new(REPO), &["rules"]);
    assert_eq!(r.code, 0);
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(lines.len(), Rule::ALL.len(), "{}", r.stdout);
    for (line, rule) in lines.iter().zip(Rule::ALL) {
        let mut words = line.splitn(2, ' ');
        let name = words.next().unwrap();
        let rest = words.next().unwrap().trim_start();
        let (severity, description) = rest.split_once(' ').unwrap();
        assert_eq!(name, rule.name());
        assert_eq!(severity, rule.default_severity().name());
        assert_eq!(description.trim_start(), rule.description(), "{line}");
    }
}

/// The paragraph (lines up to a blank line, joined by spaces) that follows
/// `### name` in the format documentation.
fn documented_description(docs: &str, name: &str) -> Option<String> {
    let heading = format!("\n### {name}\n");
    let at = docs.find(&heading)? + heading.len();
    let paragraph: Vec<&str> = docs[at..]
        .lines()
        .skip_while(|l| l.trim().is_empty())
        .take_while(|l| !l.trim().is_empty())
        .map(str::trim)
        .collect();
    Some(paragraph.join(" "))
}

#[test]
fn every_rule_description_is_the_one_in_the_docs() {
    let docs = std::fs::read_to_string(Path::new(REPO).join("docs/format.md")).unwrap();
    let mut wrong = Vec::new();
    for rule in Rule::ALL {
        match documented_description(&docs, rule.name()) {
            None => wrong.push(format!("{}: no `### {}` heading", rule.name(), rule.name())),
            Some(d) if d != rule.description() => wrong.push(format!(
                "{}:\n  code: {}\n  docs: {d}",
                rule.name(),
                rule.description()
            )),
            Some(_) => {}
        }
        // The rules table says the same.
        let row = format!(
            "| [`{0}`](#{0}) | {1} | {2} |",
            rule.name(),
            rule.default_severity().name(),
            rule.description()
        );
        if !docs.contains(&row) {
            wrong.push(format!("{}: no table row `{row}`", rule.name()));
        }
        let severity = format!("Default severity: {}.", rule.default_severity().name());
        let section = docs
            .split(&format!("\n### {}\n", rule.name()))
            .nth(1)
            .and_then(|s| s.split("\n### ").next())
            .unwrap_or_default();
        if !section.contains(&severity) {
            wrong.push(format!("{}: the section lacks `{severity}`", rule.name()));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn registry_problems_are_reported_against_the_registry_file() {
    let dir = TempDir::new("registry");
    // A trailing comma: serde_json stops at the `}` on line 3. The line holds
    // “JK” (two characters of three bytes each) before it, so the column in
    // characters is 43 while the byte column is 47.
    let registry =
        "{\n  \"entities\": {\n    \"kerry\": { \"name\": \"John “JK” Kerry\", }\n  }\n}\n";
    let line3 = registry.lines().nth(2).unwrap();
    assert_eq!(line3.chars().position(|c| c == '}').unwrap() + 1, 43);
    dir.write("transcripts.json", registry);
    dir.write("sub/a.transcript", CLEAN);
    let r = run(dir.path(), &["check", "sub"]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(r.stdout.contains("error[invalid-registry]"), "{}", r.stdout);
    assert!(
        r.stdout.contains(" --> transcripts.json:3:43\n"),
        "{}",
        r.stdout
    );
    assert!(!r.stdout.contains("a.transcript"), "{}", r.stdout);

    let r = run(dir.path(), &["check", "--format", "json", "sub"]);
    let json: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let d = &json[0];
    assert_eq!(d["file"], "transcripts.json");
    assert_eq!(d["code"], "invalid-registry");
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(3), Some(43))
    );

    // Run from the parent folder: the path shown is relative to it.
    let parent = dir.path().parent().unwrap();
    let name = dir.path().file_name().unwrap().to_str().unwrap();
    let r = run(
        parent,
        &["check", "--format", "json", &format!("{name}/sub")],
    );
    let json: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(json[0]["file"], format!("{name}/transcripts.json"));

    // A registry of the wrong shape: the position of the unknown field.
    dir.write(
        "transcripts.json",
        "{\n  \"entities\": {},\n  \"speakrs\": {}\n}\n",
    );
    let r = run(dir.path(), &["check", "sub"]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(
        r.stdout.contains(" --> transcripts.json:3:3\n") && r.stdout.contains("speakrs"),
        "{}",
        r.stdout
    );
}

#[test]
fn a_json_syntax_error_message_agrees_with_its_column() {
    let dir = TempDir::new("registry-message");
    let registry =
        "{\n  \"entities\": {\n    \"kerry\": { \"name\": \"John “JK” Kerry\", }\n  }\n}\n";
    dir.write("transcripts.json", registry);
    dir.write("a.transcript", CLEAN);
    let r = run(dir.path(), &["check", "--format", "json", "."]);
    let json: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let d = &json[0];
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(3), Some(43))
    );
    let message = d["message"].as_str().unwrap();
    // The message may name the position, but then the same one.
    if let Some(at) = message.find(" column ") {
        assert!(
            message[at..].starts_with(" column 43"),
            "the message says {message:?}, the location 3:43"
        );
    }
}

#[test]
fn a_bom_is_not_a_column_in_check_output() {
    // docs/format.md: a BOM at the very start is accepted and ignored; editors
    // do not show it, so column 1 is the first character after it.
    let dir = TempDir::with_empty_registry("bom");
    dir.write("a.transcript", "\u{feff}Sergey Lavrov: [x]{nobody}\n");
    let r = run(dir.path(), &["check", "--format", "json", "a.transcript"]);
    let json: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let found: Vec<(&str, u64, u64)> = json
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap(),
                d["column"].as_u64().unwrap(),
                d["endColumn"].as_u64().unwrap(),
            )
        })
        .collect();
    // `Sergey Lavrov: [x]{` is 19 characters: `nobody` is at column 20.
    assert_eq!(
        found,
        [("missing-header", 1, 27), ("unknown-entity", 20, 26)]
    );
}

fn has_ansi(s: &str) -> bool {
    s.contains('\u{1b}')
}

#[test]
fn output_to_a_pipe_has_no_colours() {
    let dir = TempDir::with_empty_registry("pipe");
    dir.write("bad.transcript", TWO_ERRORS);
    for no_color in [None, Some("1")] {
        let mut cmd = command(dir.path(), &["check", "bad.transcript"]);
        if let Some(v) = no_color {
            cmd.env("NO_COLOR", v);
        }
        let r: Run = cmd.output().unwrap().into();
        assert_eq!(r.code, 1);
        assert!(r.stdout.contains("error[invalid-date]"));
        assert!(!has_ansi(&r.stdout), "{:?}", r.stdout);
        assert!(!has_ansi(&r.stderr), "{:?}", r.stderr);
    }
}

/// Runs `check` with its output on a pseudo-terminal, through util-linux
/// `script`; `None` when `script` is not available.
fn run_on_a_terminal(dir: &Path, no_color: Option<&str>) -> Option<String> {
    let script = Path::new("/usr/bin/script");
    if !script.exists() {
        return None;
    }
    let mut cmd = Command::new(script);
    cmd.args([
        "-qec",
        &format!("'{BIN}' check bad.transcript"),
        "/dev/null",
    ])
    .current_dir(dir)
    .env_remove("NO_COLOR")
    .stdin(Stdio::null());
    if let Some(v) = no_color {
        cmd.env("NO_COLOR", v);
    }
    let out = cmd.output().ok()?;
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn no_color_turns_colours_off_on_a_terminal() {
    let dir = TempDir::with_empty_registry("tty");
    dir.write("bad.transcript", TWO_ERRORS);
    let Some(coloured) = run_on_a_terminal(dir.path(), None) else {
        eprintln!("skipped: /usr/bin/script not found");
        return;
    };
    if !coloured.contains("invalid-date") {
        eprintln!("skipped: `script` could not run the check on a terminal: {coloured:?}");
        return;
    }
    assert!(
        has_ansi(&coloured),
        "on a terminal the report is coloured: {coloured:?}"
    );
    let plain = run_on_a_terminal(dir.path(), Some("1")).unwrap();
    assert!(plain.contains("error[invalid-date]"), "{plain:?}");
    assert!(!has_ansi(&plain), "{plain:?}");
}

#[test]
fn the_summary_line_is_on_stderr() {
    let dir = TempDir::with_empty_registry("summary");
    dir.write("bad.transcript", TWO_ERRORS);
    dir.write("warn.transcript", WARNINGS_ONLY);
    dir.write("ok.transcript", CLEAN);
    let r = run(dir.path(), &["check", "."]);
    assert_eq!(r.stderr, "checked 3 files: 2 errors, 1 warning\n");
    assert!(!r.stdout.contains("checked"), "{}", r.stdout);

    let r = run(dir.path(), &["check", "warn.transcript"]);
    assert_eq!(r.stderr, "checked 1 file: 0 errors, 1 warning\n");

    // Machine formats keep standard output parseable.
    for format in ["json", "sarif"] {
        let r = run(dir.path(), &["check", "--format", format, "."]);
        assert_eq!(r.stderr, "checked 3 files: 2 errors, 1 warning\n");
        serde_json::from_str::<serde_json::Value>(&r.stdout)
            .unwrap_or_else(|e| panic!("{format}: {e}\n{}", r.stdout));
    }
    let r = run(dir.path(), &["check", "--format", "github", "."]);
    assert!(
        r.stdout.lines().all(|l| l.starts_with("::")),
        "{}",
        r.stdout
    );
    assert_eq!(r.stderr, "checked 3 files: 2 errors, 1 warning\n");
}

#[test]
fn duplicate_ids_across_files_point_at_each_other() {
    let dir = TempDir::with_empty_registry("ids");
    let with_id = "---\ntitle: x\ndate: 2017-06-16\nid: moscow-2017\n---\n\nA: b\n";
    dir.write("en.transcript", with_id);
    dir.write("ru.transcript", with_id);
    let r = run(dir.path(), &["check", "--format", "json", "."]);
    assert_eq!(r.code, 1);
    let json: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let found: Vec<(String, String, u64, u64)> = json
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["file"].as_str().unwrap().to_string(),
                d["code"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            ("en.transcript".into(), "duplicate-id".into(), 4, 5),
            ("ru.transcript".into(), "duplicate-id".into(), 4, 5),
        ]
    );
    assert!(
        json[0]["message"]
            .as_str()
            .unwrap()
            .contains("ru.transcript")
    );
    assert!(
        json[1]["message"]
            .as_str()
            .unwrap()
            .contains("en.transcript")
    );
    // Each points at the other's id, with its position, in every format.
    let other = |file: &str| {
        serde_json::json!([{
            "message": "`moscow-2017` is also the id of this transcript",
            "file": file, "line": 4, "column": 5, "endLine": 4, "endColumn": 16,
        }])
    };
    assert_eq!(json[0]["related"], other("ru.transcript"));
    assert_eq!(json[1]["related"], other("en.transcript"));
    let human = run(dir.path(), &["check", "."]).stdout;
    assert!(
        human.contains(
            "= note: `moscow-2017` is also the id of this transcript (ru.transcript:4:5)"
        ),
        "{human}"
    );
    let sarif = run(dir.path(), &["check", "--format", "sarif", "."]).stdout;
    let sarif: serde_json::Value = serde_json::from_str(&sarif).unwrap();
    let place = &sarif["runs"][0]["results"][0]["relatedLocations"][0]["physicalLocation"];
    assert_eq!(place["artifactLocation"]["uri"], "ru.transcript");
    assert_eq!(
        place["region"],
        serde_json::json!({"startLine": 4, "startColumn": 5, "endLine": 4, "endColumn": 16})
    );
    let github = run(dir.path(), &["check", "--format", "github", "."]).stdout;
    assert!(
        github.contains(
            "%0Anote: `moscow-2017` is also the id of this transcript (ru.transcript:4:5)"
        ),
        "{github}"
    );
}
