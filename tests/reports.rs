//! The four report formats of `check`, run through the binary: snapshots of
//! one fixture with many problems (on lines holding ’ “ ” – no-break spaces and
//! emoji, so that columns counted in characters are visible), the SARIF 2.1.0
//! shape, the JSON fields, and the escaping of GitHub workflow commands.
//!
//! Update the snapshots with `INSTA_UPDATE=always cargo test --test reports`
//! and read the `.snap` files before committing them.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use common::TempDir;
use serde_json::Value;
use transcript_ls::diagnostic::Rule;

const BIN: &str = env!("CARGO_BIN_EXE_transcript-ls");
const FIXTURE: &str = "several-problems.transcript";

fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/cli")
}

/// `check --format <format> <args>` in `cwd`: exit code and standard output.
fn check_in(cwd: &Path, format: &str, args: &[&str]) -> (i32, String) {
    let out = Command::new(BIN)
        .arg("check")
        .args(["--format", format])
        .args(args)
        .current_dir(cwd)
        .env_remove("NO_COLOR")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.starts_with("checked "),
        "unexpected standard error: {stderr}"
    );
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
    )
}

/// The fixture's report in `format`; the fixture has errors, so `check` fails.
fn report(format: &str) -> String {
    let (code, out) = check_in(&fixture_dir(), format, &[FIXTURE]);
    assert_eq!(code, 1, "{out}");
    out
}

#[test]
fn the_fixture_is_what_the_snapshots_assume() {
    let text = std::fs::read_to_string(fixture_dir().join(FIXTURE)).unwrap();
    // One CRLF line (git must not normalise it: see .gitattributes).
    assert_eq!(text.matches("\r\n").count(), 1);
    for c in ['’', '“', '”', '–', '\u{a0}', '😀'] {
        assert!(text.contains(c), "{c:?}");
    }
}

#[test]
fn human() {
    insta::assert_snapshot!("human", report("human"));
}

#[test]
fn json() {
    insta::assert_snapshot!("json", report("json"));
}

#[test]
fn github() {
    insta::assert_snapshot!("github", report("github"));
}

#[test]
fn sarif() {
    // The tool's version changes with every release; the rest must not.
    let out = report("sarif").replace(
        &format!("\"version\": \"{}\"", env!("CARGO_PKG_VERSION")),
        "\"version\": \"[version]\"",
    );
    insta::assert_snapshot!("sarif", out);
}

fn positive(v: &Value, what: &str) -> u64 {
    let n = v
        .as_u64()
        .unwrap_or_else(|| panic!("{what} is not a number: {v}"));
    assert!(n >= 1, "{what} is {n}");
    n
}

#[test]
fn sarif_has_the_2_1_0_shape() {
    let log: Value = serde_json::from_str(&report("sarif")).unwrap();
    assert_eq!(log["version"], "2.1.0");
    assert!(
        log["$schema"]
            .as_str()
            .is_some_and(|s| s.starts_with("https://") && s.contains("sarif")),
        "{}",
        log["$schema"]
    );
    let runs = log["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1);
    let run = &runs[0];
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "transcript-ls");
    let rules = driver["rules"].as_array().unwrap();
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    let all: Vec<&str> = Rule::ALL.iter().map(|r| r.name()).collect();
    assert_eq!(ids, all, "every rule, in order");
    for (r, rule) in rules.iter().zip(Rule::ALL) {
        assert_eq!(r["shortDescription"]["text"], rule.description());
        let level = r["defaultConfiguration"]["level"].as_str().unwrap();
        assert!(["error", "warning", "note"].contains(&level), "{level}");
        let expected = match rule.default_severity().name() {
            "error" => "error",
            "warning" => "warning",
            _ => "note",
        };
        assert_eq!(level, expected, "{}", rule.name());
    }
    if let Some(kind) = run.get("columnKind") {
        assert_eq!(
            kind, "unicodeCodePoints",
            "columns are counted in characters"
        );
    }
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), 12);
    for result in results {
        let id = result["ruleId"].as_str().unwrap();
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], id, "ruleIndex points at the rule");
        let level = result["level"].as_str().unwrap();
        assert!(
            ["error", "warning", "note", "none"].contains(&level),
            "{level}"
        );
        assert!(!result["message"]["text"].as_str().unwrap().is_empty());
        let location = &result["locations"][0]["physicalLocation"];
        let uri = location["artifactLocation"]["uri"].as_str().unwrap();
        assert!(
            uri == FIXTURE || uri == "transcripts.json",
            "relative URI: {uri}"
        );
        let region = &location["region"];
        let start = (
            positive(&region["startLine"], "startLine"),
            positive(&region["startColumn"], "startColumn"),
        );
        let end = (
            positive(&region["endLine"], "endLine"),
            positive(&region["endColumn"], "endColumn"),
        );
        assert!(start <= end, "{region}");
    }
    // The registry's severity override shows as a note.
    assert!(
        results
            .iter()
            .any(|r| r["ruleId"] == "empty-section" && r["level"] == "note")
    );
}

#[test]
fn json_objects_have_exactly_the_documented_fields() {
    let documented: BTreeSet<&str> = [
        "file",
        "line",
        "column",
        "endLine",
        "endColumn",
        "severity",
        "code",
        "message",
        "help",
        "suggestions",
        "related",
        "url",
    ]
    .into();
    let items: Value = serde_json::from_str(&report("json")).unwrap();
    let items = items.as_array().unwrap();
    assert_eq!(items.len(), 12);
    for item in items {
        let object = item.as_object().unwrap();
        let fields: BTreeSet<&str> = object.keys().map(String::as_str).collect();
        assert_eq!(fields, documented);
        assert!(item["file"].is_string());
        let start = (
            positive(&item["line"], "line"),
            positive(&item["column"], "column"),
        );
        let end = (
            positive(&item["endLine"], "endLine"),
            positive(&item["endColumn"], "endColumn"),
        );
        assert!(start <= end, "{item}");
        let severity = item["severity"].as_str().unwrap();
        assert!(
            ["error", "warning", "info", "hint"].contains(&severity),
            "{severity}"
        );
        let rule = Rule::from_name(item["code"].as_str().unwrap()).expect("a rule name");
        assert!(!item["message"].as_str().unwrap().is_empty());
        assert!(item["help"].is_string() || item["help"].is_null());
        assert!(
            item["suggestions"]
                .as_array()
                .unwrap()
                .iter()
                .all(Value::is_string)
        );
        for place in item["related"].as_array().unwrap() {
            let fields: BTreeSet<&str> = place
                .as_object()
                .unwrap()
                .keys()
                .map(String::as_str)
                .collect();
            let want = ["message", "file", "line", "column", "endLine", "endColumn"];
            assert_eq!(fields, want.into(), "{place}");
            assert!(place["message"].is_string() && place["file"].is_string());
        }
        assert_eq!(item["url"].as_str().unwrap(), rule.docs_url());
        assert!(rule.docs_url().ends_with(&format!("#{}", rule.name())));
    }
}

#[test]
fn github_escapes_as_the_workflow_command_spec_says() {
    // Properties (file=, title=) escape `%`, CR, LF, `:` and `,`; the message
    // escapes `%`, CR and LF only.
    let dir = TempDir::with_empty_registry("github");
    let name = "odd,name: 100%.transcript";
    let text = "---\ntitle: x\ndate: 2017\r06-16\n---\n\nSergey Lavrov: [x]{50%,a:b}\n";
    dir.write(name, text);
    let (code, out) = check_in(dir.path(), "github", &[name]);
    assert_eq!(code, 1);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2, "one line per annotation:\n{out}");
    let file = "file=odd%2Cname%3A 100%25.transcript";
    assert_eq!(
        lines[0],
        format!(
            "::error {file},line=3,col=7,endLine=3,endColumn=17,title=invalid-date::\
             `2017%0D06-16` is not a date in the form YYYY-MM-DD%0A\
             help: write the date as year, month and day, e.g. `2016-07-26`"
        )
    );
    let (head, message) = lines[1].split_once("::unknown entity").unwrap();
    assert_eq!(
        head,
        format!("::error {file},line=6,col=20,endLine=6,endColumn=27,title=unknown-entity")
    );
    assert!(
        message.starts_with(" `50%25,a:b`%0Ahelp: "),
        "the message keeps `,` and `:`: {message}"
    );
    for line in &lines {
        // Every `%` is an escape.
        for (i, _) in line.match_indices('%') {
            let escape = &line[i..(i + 3).min(line.len())];
            assert!(
                ["%25", "%0D", "%0A", "%3A", "%2C"].contains(&escape),
                "{escape} in {line}"
            );
        }
        assert!(!line.contains('\r'));
    }
}
