//! `transcript-ls import` end to end: standard output for one file, `-o DIR`
//! for several, no overwriting without `--force`, the summary on standard
//! error naming each file's layout, `--registry` annotation and the registry
//! copied beside the outputs, `--layout`, `--list-layouts`, `--profile`, a
//! page no layout fits, a folder of pages, profile problems, and the outputs
//! passing `check`.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::TempDir;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_transcript-ls"))
}

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/import")
        .join(name)
}

fn run(args: &[&str], dir: &Path) -> Output {
    bin()
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run transcript-ls")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A fresh folder to work in, removed when dropped.
fn scratch(name: &str) -> TempDir {
    TempDir::new(&format!("import-{name}"))
}

/// `check <path>` in `dir` passes: the imported files are clean.
fn assert_check_passes(dir: &Path, path: &str) {
    let check = run(&["check", path], dir);
    assert!(
        check.status.success(),
        "{}{}",
        text(&check.stdout),
        text(&check.stderr)
    );
}

#[test]
fn one_file_goes_to_standard_output() {
    let temp = scratch("stdout");
    let dir = temp.path();
    let seed = fixture("000_b6cd861ff3b78f22.txt");
    let out = run(&["import", seed.to_str().unwrap()], dir);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(
        stdout.starts_with("---\ntitle: Foreign Minister Sergey Lavrov’s"),
        "{stdout}"
    );
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("(detected)\n  layout foreign-ministry: 2 questions"),
        "{stderr}"
    );
    assert!(stderr.contains("6 lines dropped"), "{stderr}");
    // Nothing written next to it.
    assert!(std::fs::read_dir(dir).unwrap().next().is_none());
}

#[test]
fn a_folder_of_pages_never_overwritten_without_force() {
    let temp = scratch("folder");
    let dir = temp.path();
    let out_dir = dir.join("out");
    let a = fixture("kremlin-17404.txt");
    let b = fixture("kremlin-60412.txt");
    let args = [
        "import",
        "-o",
        "out",
        a.to_str().unwrap(),
        b.to_str().unwrap(),
    ];
    let first = run(&args, dir);
    assert!(first.status.success(), "{}", text(&first.stderr));
    for stem in ["kremlin-17404", "kremlin-60412"] {
        let path = out_dir.join(format!("{stem}.transcript"));
        assert!(path.is_file(), "{} missing", path.display());
    }
    let stderr = text(&first.stderr);
    assert!(stderr.contains("2 converted"), "{stderr}");

    // Again: both exist, nothing is overwritten, exit 1.
    std::fs::write(out_dir.join("kremlin-60412.transcript"), "mine").unwrap();
    let second = run(&args, dir);
    assert_eq!(second.status.code(), Some(1), "{}", text(&second.stderr));
    assert!(text(&second.stderr).contains("--force"));
    assert_eq!(
        std::fs::read_to_string(out_dir.join("kremlin-60412.transcript")).unwrap(),
        "mine"
    );

    // With --force they are replaced.
    let mut forced: Vec<&str> = args.to_vec();
    forced.push("--force");
    let third = run(&forced, dir);
    assert!(third.status.success(), "{}", text(&third.stderr));
    assert!(
        std::fs::read_to_string(out_dir.join("kremlin-60412.transcript"))
            .unwrap()
            .starts_with("---\n")
    );

    // The outputs pass check.
    assert_check_passes(dir, "out");
}

#[test]
fn registry_entities_are_annotated() {
    let temp = scratch("registry");
    let dir = temp.path();
    let registry = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples/transcripts.json");
    std::fs::copy(&registry, dir.join("transcripts.json")).unwrap();
    let seed = fixture("000_b6cd861ff3b78f22.txt");
    let out = run(
        &[
            "import",
            "--registry",
            "transcripts.json",
            "-o",
            ".",
            seed.to_str().unwrap(),
        ],
        dir,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let written = std::fs::read_to_string(dir.join("000_b6cd861ff3b78f22.transcript")).unwrap();
    assert!(written.contains("[ASEAN]{asean}"), "{written}");
    assert_check_passes(dir, ".");
}

#[test]
fn unreadable_input_is_an_error() {
    let temp = scratch("missing");
    let dir = temp.path();
    let out = run(&["import", "-o", "out", "no-such-file.txt"], dir);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("no-such-file.txt"));
}

fn profile_fixture(name: &str) -> PathBuf {
    fixture(&format!("profile/{name}"))
}

#[test]
fn a_mixed_folder_each_page_with_its_layout() {
    let temp = scratch("mixed");
    let dir = temp.path();
    let raw = dir.join("raw");
    std::fs::create_dir_all(&raw).unwrap();
    for (from, to) in [
        (fixture("000_b6cd861ff3b78f22.txt"), "seed.txt"),
        (fixture("kremlin-17108.txt"), "kremlin.txt"),
        (fixture("whitehouse/background-call.md"), "call.md"),
        (profile_fixture("riverside.txt"), "riverside.txt"),
    ] {
        std::fs::copy(from, raw.join(to)).unwrap();
    }
    let pages = [
        "raw/call.md",
        "raw/kremlin.txt",
        "raw/riverside.txt",
        "raw/seed.txt",
    ];
    let mut args = vec!["import", "-o", "out"];
    args.extend(pages);
    // Without the profile, the fourth source fits no layout: loud, nothing written.
    let first = run(&args, dir);
    let stderr = text(&first.stderr);
    assert_eq!(first.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("raw/riverside.txt: no layout fits this page"),
        "{stderr}"
    );
    assert!(stderr.contains("--profile FILE"), "{stderr}");
    assert!(!dir.join("out/riverside.transcript").exists());
    for (page, layout) in [
        ("call", "whitehouse"),
        ("kremlin", "kremlin"),
        ("seed", "foreign-ministry"),
    ] {
        assert!(
            stderr.contains(&format!(
                "out/{page}.transcript (detected)\n  layout {layout}:"
            )),
            "{page}: {stderr}"
        );
    }
    // With it, the fourth is read too, without touching the code.
    let profile = profile_fixture("riverside.json");
    let mut args = vec![
        "import",
        "--profile",
        profile.to_str().unwrap(),
        "-o",
        "out2",
    ];
    args.extend(pages);
    let second = run(&args, dir);
    let stderr = text(&second.stderr);
    assert!(second.status.success(), "{stderr}");
    assert!(
        stderr.contains("out2/riverside.transcript (detected)\n  layout riverside:"),
        "{stderr}"
    );
    assert!(
        stderr.contains("4 converted, 0 not overwritten, 0 failed"),
        "{stderr}"
    );
    assert_check_passes(dir, "out2");
}

#[test]
fn a_folder_stands_for_the_pages_in_it() {
    let temp = scratch("folder");
    let dir = temp.path();
    let raw = dir.join("raw");
    std::fs::create_dir_all(raw.join("2017")).unwrap();
    std::fs::copy(fixture("kremlin-17108.txt"), raw.join("kremlin.txt")).unwrap();
    std::fs::copy(
        fixture("whitehouse/background-call.md"),
        raw.join("2017/call.md"),
    )
    .unwrap();
    std::fs::write(raw.join("logo.png"), b"\x89PNG\r\n\x1a\n\0\0").unwrap();
    std::fs::write(raw.join("notes.txt"), "to do: the 2017 pages\n").unwrap();
    std::fs::write(raw.join(".draft.txt"), "hidden\n").unwrap();
    std::fs::write(raw.join("old.transcript"), "---\n").unwrap();
    let out = run(&["import", "raw", "-o", "out"], dir);
    let stderr = text(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("raw/2017/call.md -> out/2017-call.transcript (detected)"),
        "a page in a subfolder is named after it: {stderr}"
    );
    assert!(
        stderr.contains("out/kremlin.transcript (detected)"),
        "{stderr}"
    );
    assert!(
        stderr.contains("note: raw/notes.txt: no layout fits this page"),
        "{stderr}"
    );
    assert!(
        stderr.contains("raw/logo.png is not valid UTF-8"),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "2 converted, 0 not overwritten, 0 failed, 2 skipped (not a page), of 4 files"
        ),
        "hidden and .transcript files are not pages: {stderr}"
    );
    let mut written: Vec<String> = std::fs::read_dir(dir.join("out"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    written.sort();
    assert_eq!(written, ["2017-call.transcript", "kremlin.transcript"]);
    assert_check_passes(dir, "out");

    // Without -o, each is written beside its page, never to standard output.
    let beside = run(&["import", "raw"], dir);
    assert!(beside.status.success(), "{}", text(&beside.stderr));
    assert!(beside.stdout.is_empty());
    assert!(raw.join("2017/call.transcript").is_file());
    assert!(raw.join("kremlin.transcript").is_file());
}

#[test]
fn layouts_listed_and_forced() {
    let temp = scratch("layouts");
    let dir = temp.path();
    let profile = profile_fixture("riverside.json");
    let list = run(
        &[
            "import",
            "--list-layouts",
            "--profile",
            profile.to_str().unwrap(),
        ],
        dir,
    );
    assert!(list.status.success(), "{}", text(&list.stderr));
    let names: Vec<String> = text(&list.stdout)
        .lines()
        .map(|l| l.split_whitespace().next().unwrap_or("").to_string())
        .collect();
    assert_eq!(
        names,
        [
            "riverside",
            "whitehouse",
            "foreign-ministry",
            "kremlin",
            "plain"
        ]
    );
    assert!(text(&list.stdout).contains("never detected"));

    // A page forced into a layout; `plain` reads anything.
    let notes = dir.join("notes.txt");
    std::fs::write(&notes, "Notes of a meeting\n\nSomeone said something.\n").unwrap();
    let plain = run(&["import", "--layout", "plain", "notes.txt"], dir);
    assert!(plain.status.success(), "{}", text(&plain.stderr));
    assert!(text(&plain.stdout).starts_with("---\ntitle: Notes of a meeting\n"));
    assert!(text(&plain.stderr).contains("(as asked with --layout)\n  layout plain:"));

    let unknown = run(&["import", "--layout", "kremln", "notes.txt"], dir);
    assert_eq!(unknown.status.code(), Some(2));
    let stderr = text(&unknown.stderr);
    assert!(
        stderr.contains("no layout is named `kremln`; did you mean `kremlin`?"),
        "{stderr}"
    );
}

#[test]
fn profile_problems_are_errors_with_positions() {
    let temp = scratch("bad-profile");
    let dir = temp.path();
    std::fs::write(
        dir.join("bad.json"),
        "{\n  \"name\": \"bad\",\n  \"detect\": [\"(unclosed\"],\n  \"hardwrapped\": true\n}\n",
    )
    .unwrap();
    std::fs::write(dir.join("page.txt"), "Title\n\nText.\n").unwrap();
    let out = run(&["import", "--profile", "bad.json", "page.txt"], dir);
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("error: bad.json:3:14: this pattern does not compile: unclosed group"),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "error: bad.json:4:3: unknown field `hardwrapped`\n  help: did you mean `hard_wrapped`?"
        ),
        "{stderr}"
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn registry_profiles_and_the_registry_beside_the_outputs() {
    let temp = scratch("registry-beside");
    let dir = temp.path();
    let profile: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(profile_fixture("riverside.json")).unwrap())
            .unwrap();
    let mut registry: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples/transcripts.json"),
        )
        .unwrap(),
    )
    .unwrap();
    registry["import"] = serde_json::json!({ "profiles": [profile] });
    let registry_text = serde_json::to_string_pretty(&registry).unwrap();
    std::fs::create_dir_all(dir.join("reg")).unwrap();
    std::fs::write(dir.join("reg/transcripts.json"), &registry_text).unwrap();
    std::fs::copy(profile_fixture("riverside.txt"), dir.join("riverside.txt")).unwrap();
    std::fs::copy(fixture("000_b6cd861ff3b78f22.txt"), dir.join("seed.txt")).unwrap();

    // The registry's profile reads the page; the registry is copied beside the outputs.
    let args = [
        "import",
        "--registry",
        "reg/transcripts.json",
        "-o",
        "out",
        "riverside.txt",
        "seed.txt",
    ];
    let first = run(&args, dir);
    let stderr = text(&first.stderr);
    assert!(first.status.success(), "{stderr}");
    assert!(stderr.contains("layout riverside:"), "{stderr}");
    assert!(
        stderr.contains("copied reg/transcripts.json to out/transcripts.json"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("out/transcripts.json")).unwrap(),
        registry_text
    );
    let seed = std::fs::read_to_string(dir.join("out/seed.transcript")).unwrap();
    assert!(seed.contains("[ASEAN]{asean}"), "{seed}");
    assert_check_passes(dir, "out");

    // Never over a registry that is there: a different one is named, with what to do.
    std::fs::write(dir.join("out/transcripts.json"), "{}").unwrap();
    let mut forced = args.to_vec();
    forced.push("--force");
    let second = run(&forced, dir);
    let stderr = text(&second.stderr);
    assert!(second.status.success(), "{stderr}");
    assert_eq!(
        std::fs::read_to_string(dir.join("out/transcripts.json")).unwrap(),
        "{}"
    );
    assert!(
        stderr.contains("warning: `check` reads out/transcripts.json for the transcripts in out, not reg/transcripts.json"),
        "{stderr}"
    );
    assert!(
        stderr.contains("Add those entities to out/transcripts.json"),
        "{stderr}"
    );

    // The registry with its `import` field is a valid registry for `check`.
    assert_check_passes(dir, "reg");
}
