//! `check --fix`, `--unsafe-fixes`, `--diff` and `--statistics`, run as a
//! program: what is written (and what is not), the report of what remains,
//! the summary, the exit codes; and, as a property over folders of
//! generated files, that `--fix` leaves only problems that were there and
//! were not fixed, and that a second run changes nothing.

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Stdio};

use common::TempDir;
#[path = "common/documents.rs"]
mod documents;
use proptest::prelude::*;
use transcript_ls::analysis::fixes::{Applicability, fix_all};
use transcript_ls::analysis::{self};
use transcript_ls::registry::Registry;

const BIN: &str = env!("CARGO_BIN_EXE_transcript-ls");

const REGISTRY: &str = r#"{ "entities": {
    "kerry": { "name": "John Kerry", "type": "person", "aliases": ["Mr Kerry"] },
    "kerrey": { "name": "Bob Kerrey", "type": "person" } } }"#;

/// A long-form date, a misspelt key and entity id (one candidate each): safe.
/// A speaker with two close declared names: unsafe.
const FIXABLE: &str = "---\ntitle: T\ndate: 16 June 2017\nplcae: Moscow\n\
    speaker: Ann Lee\nspeaker: Ann Lea\n---\n\n\
    Ann Le: We met “[Mr Kerry]{kery}” 😀.\n\nAnn Lee: Yes.\n\nAnn Lea: No.\n";

const FIXED_SAFE: &str = "---\ntitle: T\ndate: 2017-06-16\nplace: Moscow\n\
    speaker: Ann Lee\nspeaker: Ann Lea\n---\n\n\
    Ann Le: We met “[Mr Kerry]{kerry}” 😀.\n\nAnn Lee: Yes.\n\nAnn Lea: No.\n";

/// An impossible date: an error no fix knows.
const UNFIXABLE: &str = "---\ntitle: T\ndate: 2017-02-30\n---\n\nAnn Lee: Hi.\n";

const CLEAN: &str = "---\ntitle: T\ndate: 2017-06-16\n---\n\nAnn Lee: Hi.\n";

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run_in(dir: &Path, args: &[&str], stdin: Option<&str>) -> Run {
    let mut child = Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    if let Some(input) = stdin {
        common::feed(&mut child, input);
    }
    let out = child.wait_with_output().unwrap();
    Run {
        code: out.status.code().expect("exited"),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

fn run(dir: &TempDir, args: &[&str]) -> Run {
    run_in(dir.path(), args, None)
}

fn read(dir: &TempDir, name: &str) -> String {
    std::fs::read_to_string(dir.path().join(name)).unwrap()
}

fn folder(name: &str, files: &[(&str, &str)]) -> TempDir {
    let dir = TempDir::new(name);
    dir.write("transcripts.json", REGISTRY);
    for (name, text) in files {
        dir.write(name, text);
    }
    dir
}

#[test]
fn fix_writes_the_safe_fixes_and_reports_what_remains() {
    let dir = folder("fix", &[("a.transcript", FIXABLE), ("b.transcript", CLEAN)]);
    let before = run(&dir, &["check"]);
    assert_eq!(before.code, 1, "two errors: {}", before.stderr);

    let fixed = run(&dir, &["check", "--fix", "--format", "github"]);
    assert_eq!(read(&dir, "a.transcript"), FIXED_SAFE);
    assert_eq!(read(&dir, "b.transcript"), CLEAN);
    assert_eq!(
        fixed.stdout,
        "::warning file=a.transcript,line=9,col=1,endLine=9,endColumn=7,title=undeclared-speaker::`Ann Le` is not a declared speaker\
         %0Ahelp: did you mean `Ann Lea`? declare it in the header with `speaker: Ann Le`, or correct the label\n",
        "only what remains is reported, at its place in the fixed file"
    );
    assert_eq!(
        fixed.stderr,
        "checked 2 files: 0 errors, 1 warning\nfixed 3 problems in 1 file, 1 remains\n"
    );
    assert_eq!(fixed.code, 0, "the errors were fixed");

    // Nothing left to fix: a second run writes nothing.
    let again = run(&dir, &["check", "--fix"]);
    assert!(
        again
            .stderr
            .ends_with("fixed 0 problems in 0 files, 1 remains\n"),
        "{}",
        again.stderr
    );
    assert_eq!(read(&dir, "a.transcript"), FIXED_SAFE);
}

#[test]
fn the_exit_status_says_what_remains() {
    let dir = folder(
        "fix-remains",
        &[("a.transcript", FIXABLE), ("c.transcript", UNFIXABLE)],
    );
    let fixed = run(&dir, &["check", "--fix"]);
    assert_eq!(
        fixed.code, 1,
        "the impossible date remains: {}",
        fixed.stderr
    );
    assert!(fixed.stdout.contains("error[invalid-date]"));
    assert!(fixed.stdout.contains("c.transcript:3:7"));
    assert!(!fixed.stdout.contains("a.transcript:3"), "{}", fixed.stdout);
    assert!(
        fixed.stderr.ends_with(
            "checked 2 files: 1 error, 1 warning\nfixed 3 problems in 1 file, 2 remain\n"
        ),
        "{}",
        fixed.stderr
    );

    let warnings = run(&dir, &["check", "--fix", "--deny", "warnings"]);
    assert_eq!(warnings.code, 1);
    std::fs::write(dir.path().join("c.transcript"), CLEAN).unwrap();
    assert_eq!(run(&dir, &["check", "--fix"]).code, 0);
    assert_eq!(
        run(&dir, &["check", "--fix", "--deny", "warnings"]).code,
        1,
        "a warning remains"
    );
}

#[test]
fn unsafe_fixes_are_applied_only_when_asked() {
    let dir = folder("unsafe", &[("a.transcript", FIXABLE)]);
    let fixed = run(&dir, &["check", "--fix", "--unsafe-fixes"]);
    assert_eq!(fixed.code, 0, "{}", fixed.stderr);
    assert_eq!(
        read(&dir, "a.transcript"),
        FIXED_SAFE.replace("Ann Le: We met", "Ann Lea: We met"),
        "the first of the two candidates"
    );
    assert_eq!(
        fixed.stderr,
        "checked 1 file: 0 errors, 0 warnings\nfixed 4 problems in 1 file, 0 remain\n"
    );

    let alone = run(&dir, &["check", "--unsafe-fixes"]);
    assert_eq!(alone.code, 2, "--unsafe-fixes needs --fix or --diff");
    assert!(alone.stderr.contains("--fix|--diff"), "{}", alone.stderr);
}

#[test]
fn diff_prints_the_fixes_and_writes_nothing() {
    let dir = folder(
        "diff",
        &[("a.transcript", FIXABLE), ("b.transcript", CLEAN)],
    );
    let listing = dir.listing();
    let diff = run(&dir, &["check", "--diff"]);
    assert_eq!(dir.listing(), listing);
    assert_eq!(read(&dir, "a.transcript"), FIXABLE);
    assert_eq!(
        diff.stdout,
        "--- a.transcript\n+++ a.transcript\n\
         @@ -1,12 +1,12 @@\n \
         ---\n \
         title: T\n\
         -date: 16 June 2017\n\
         -plcae: Moscow\n\
         +date: 2017-06-16\n\
         +place: Moscow\n \
         speaker: Ann Lee\n \
         speaker: Ann Lea\n \
         ---\n \
         \n\
         -Ann Le: We met “[Mr Kerry]{kery}” 😀.\n\
         +Ann Le: We met “[Mr Kerry]{kerry}” 😀.\n \
         \n \
         Ann Lee: Yes.\n \
         \n"
    );
    assert_eq!(
        diff.stderr,
        "checked 2 files: 0 errors, 1 warning\nwould fix 3 problems in 1 file, 1 would remain\n"
    );
    assert_eq!(diff.code, 0, "no error would remain");

    let unsafe_ = run(&dir, &["check", "--diff", "--unsafe-fixes"]);
    assert!(
        unsafe_.stdout.contains("\n+Ann Lea: We met"),
        "{}",
        unsafe_.stdout
    );
    assert_eq!(read(&dir, "a.transcript"), FIXABLE);

    // The diff applies: `patch` turns the file into what --fix writes.
    if Command::new("patch").arg("--version").output().is_ok() {
        let patched = TempDir::new("diff-patch");
        patched.write("a.transcript", FIXABLE);
        let mut child = Command::new("patch")
            .args(["-s", "-p0"])
            .current_dir(patched.path())
            .stdin(Stdio::piped())
            .spawn()
            .unwrap();
        common::feed(&mut child, &diff.stdout);
        assert!(child.wait().unwrap().success());
        assert_eq!(
            std::fs::read_to_string(patched.path().join("a.transcript")).unwrap(),
            FIXED_SAFE
        );
    } else {
        eprintln!("patch is not installed: the diff is not applied");
    }

    let mixed = folder(
        "diff-mixed",
        &[(
            "m.transcript",
            "---\r\ntitle: T\ndate: 2017-06-16\r\n---\r\n",
        )],
    );
    let out = run(&mixed, &["check", "--diff"]);
    assert_eq!(
        out.stdout,
        "--- m.transcript\n+++ m.transcript\n@@ -1,4 +1,4 @@\n ---\r\n-title: T\n+title: T\r\n date: 2017-06-16\r\n ---\r\n",
        "a pipe gets the line ends as they are"
    );
}

#[test]
fn standard_input_is_diffed_never_fixed() {
    let dir = folder("stdin", &[]);
    let fix = run_in(dir.path(), &["check", "--fix", "-"], Some(FIXABLE));
    assert_eq!(fix.code, 2);
    assert_eq!(
        fix.stderr,
        "error: --fix cannot write standard input (`-`): use --diff to see the fixes\n"
    );
    let diff = run_in(dir.path(), &["check", "--diff", "-"], Some(FIXABLE));
    assert_eq!(diff.code, 0, "{}", diff.stderr);
    assert!(
        diff.stdout
            .starts_with("--- <stdin>\n+++ <stdin>\n@@ -1,12 +1,12 @@\n"),
        "{}",
        diff.stdout
    );
    assert!(
        diff.stderr
            .ends_with("would fix 3 problems in 1 file, 1 would remain\n")
    );
}

#[test]
fn statistics_count_each_rule_most_frequent_first() {
    let dir = folder(
        "statistics",
        &[
            ("a.transcript", FIXABLE),
            (
                "b.transcript",
                "---\ntitle: T\ndate: 16 June 2017\nplcae: x\nPlace: y\n---\n\n[x]{nobody} [y]{nobody}.\n",
            ),
        ],
    );
    let stats = run(&dir, &["check", "--statistics"]);
    assert_eq!(
        stats.stdout,
        "3  unknown-entity\n2  invalid-date\n2  unknown-key\n1  invalid-key\n1  undeclared-speaker\n"
    );
    assert_eq!(stats.code, 1);
    assert_eq!(stats.stderr, "checked 2 files: 6 errors, 3 warnings\n");

    let after = run(&dir, &["check", "--fix", "--statistics"]);
    // `plcae` and `Place` cannot both become `place`: the second stays.
    assert_eq!(
        after.stdout,
        "2  unknown-entity\n1  invalid-key\n1  undeclared-speaker\n"
    );
    assert_eq!(after.code, 1);

    let json = run(&dir, &["check", "--statistics", "--format", "json"]);
    assert_eq!(json.code, 2, "statistics are text: {}", json.stderr);
    let clean = folder("statistics-clean", &[("c.transcript", CLEAN)]);
    let none = run(&clean, &["check", "--statistics"]);
    assert_eq!((none.code, none.stdout.as_str()), (0, ""));
}

#[cfg(unix)]
#[test]
fn a_read_only_file_is_only_an_error_when_it_needs_fixing() {
    use std::os::unix::fs::PermissionsExt;
    let dir = folder("read-only", &[("b.transcript", CLEAN)]);
    let ro = std::fs::Permissions::from_mode(0o444);
    std::fs::set_permissions(dir.path().join("b.transcript"), ro.clone()).unwrap();
    assert_eq!(run(&dir, &["check", "--fix"]).code, 0);

    dir.write("a.transcript", FIXABLE);
    std::fs::set_permissions(dir.path().join("a.transcript"), ro).unwrap();
    let out = run(&dir, &["check", "--fix"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .contains("a.transcript is read-only; not changed"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .ends_with("fixed 0 problems in 0 files before stopping\n"),
        "{}",
        out.stderr
    );
    assert_eq!(read(&dir, "a.transcript"), FIXABLE);
}

#[test]
fn an_allow_silences_duplicate_ids_in_check() {
    let dir = folder(
        "duplicate-allow",
        &[
            (
                "a.transcript",
                "---\ntitle: T\ndate: 16 June 2017\n// transcript-ls: allow duplicate-id\nid: same\n---\n",
            ),
            (
                "b.transcript",
                "---\ntitle: T\ndate: 2017-06-16\nid: same\n---\n",
            ),
        ],
    );
    let out = run(&dir, &["check", "--fix", "--format", "github"]);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines.len(), 1, "{}", out.stdout);
    assert!(
        lines[0].starts_with("::error file=b.transcript,line=4,col=5,"),
        "{}",
        out.stdout
    );
    assert!(lines[0].contains("duplicate-id"));
}

fn by_rule(rules: impl Iterator<Item = &'static str>) -> BTreeMap<&'static str, usize> {
    let mut out = BTreeMap::new();
    for r in rules {
        *out.entry(r).or_default() += 1;
    }
    out
}

fn piece() -> impl Strategy<Value = &'static str> {
    prop::sample::select(
        &[
            "Question: Why?\n\n",
            "Question:\n\n",
            "Ann Lee: Because – “quoted”.\n\n",
            "Ann Le: Two candidates 😀.\n\n",
            "We met [Mr Kerry]{kery} and [Bob]{kerre}.\n\n",
            "# Section\n\n",
            "// transcript-ls: allow emtpy-turn\nQuestion:\n\n",
            "// transcript-ls: allow empty-section\nAnn Lee: Hi.\n\n",
        ][..],
    )
}

fn file() -> impl Strategy<Value = String> {
    (
        prop::sample::select(
            &[
                "date: 16 June 2017\n",
                "date: 2017-06-16\n",
                "date: 2017-02-30\n",
            ][..],
        ),
        prop::sample::select(&["", "plcae: x\n", "place: x\nPlace: x\n"][..]),
        any::<bool>(),
        prop::collection::vec(piece(), 0..5),
        0..3u8,
    )
        .prop_map(|(date, key, closed, body, endings)| {
            let text = format!(
                "---\ntitle: T\n{date}{key}speaker: Ann Lee\nspeaker: Ann Lea\n{}\n{}",
                if closed { "---\n" } else { "" },
                body.concat()
            );
            documents::line_ends(text, endings)
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn fix_leaves_what_was_there_less_what_was_fixed_and_is_idempotent(
        files in prop::collection::vec(file(), 1..4),
        unsafe_ in any::<bool>(),
    ) {
        let registry = Registry::parse(REGISTRY);
        let level = if unsafe_ { Applicability::Unsafe } else { Applicability::Safe };
        let dir = folder("fix-property", &[]);
        let names: Vec<String> = (0..files.len()).map(|i| format!("f{i}.transcript")).collect();
        for (name, text) in names.iter().zip(&files) {
            dir.write(name, text);
        }
        let mut args = vec!["check", "--fix", "--format", "json"];
        if unsafe_ {
            args.push("--unsafe-fixes");
        }
        let first = run(&dir, &args);
        prop_assert!(first.code == 0 || first.code == 1, "{}", first.stderr);

        let (mut fixed_total, mut remaining) = (0, 0);
        for (name, text) in names.iter().zip(&files) {
            let before = analysis::analyze(text, Some(&registry));
            let before = by_rule(before.diagnostics.iter().map(|d| d.rule.name()));
            let written = read(&dir, name);
            let core = fix_all(text, Some(&registry), level);
            prop_assert_eq!(&written, &core.text, "the file is what the core fixes");
            let after = analysis::analyze(&written, Some(&registry));
            let fixed = by_rule(core.fixed.iter().map(|f| f.rule.name()));
            for (rule, n) in by_rule(after.diagnostics.iter().map(|d| d.rule.name())) {
                let had = before.get(rule).copied().unwrap_or(0);
                let gone = fixed.get(rule).copied().unwrap_or(0);
                prop_assert!(n + gone <= had, "{name} {rule}: {had} before, {gone} fixed, {n} after");
            }
            fixed_total += core.fixed.len();
            remaining += after.diagnostics.len();
        }
        let report: serde_json::Value = serde_json::from_str(&first.stdout).unwrap();
        prop_assert_eq!(report.as_array().unwrap().len(), remaining, "the report lists what remains");
        let files_fixed = names.iter().zip(&files).filter(|(n, t)| read(&dir, n) != **t).count();
        let expected = format!(
            "fixed {fixed_total} problem{} in {files_fixed} file{}, {remaining} ",
            if fixed_total == 1 { "" } else { "s" },
            if files_fixed == 1 { "" } else { "s" },
        );
        prop_assert!(first.stderr.contains(&expected), "{}\nexpected {}", first.stderr, expected);

        let contents: Vec<String> = names.iter().map(|n| read(&dir, n)).collect();
        let second = run(&dir, &args);
        prop_assert!(second.stderr.contains("fixed 0 problems in 0 files"), "{}", second.stderr);
        prop_assert_eq!(second.stdout, first.stdout);
        let again: Vec<String> = names.iter().map(|n| read(&dir, n)).collect();
        prop_assert_eq!(again, contents);
    }
}
