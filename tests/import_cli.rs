//! `transcript-ls import` end to end: standard output for one file, `-o DIR`
//! for several, no overwriting without `--force`, the summary on standard
//! error, `--registry` annotation, and the outputs passing `check`. Skipped
//! (with a message) while the binary has no `import` subcommand.

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

fn available() -> bool {
    let ok = bin()
        .args(["import", "--help"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        println!("skipped: this build has no `import` subcommand");
    }
    ok
}

/// A fresh folder to work in, removed when dropped; `None` (with a message)
/// while the binary has no `import` subcommand.
fn scratch(name: &str) -> Option<TempDir> {
    available().then(|| TempDir::new(&format!("import-{name}")))
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
    let Some(temp) = scratch("stdout") else {
        return;
    };
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
        stderr.contains("foreign ministry page: 2 questions"),
        "{stderr}"
    );
    assert!(stderr.contains("6 lines dropped"), "{stderr}");
    // Nothing written next to it.
    assert!(std::fs::read_dir(dir).unwrap().next().is_none());
}

#[test]
fn a_folder_of_pages_never_overwritten_without_force() {
    let Some(temp) = scratch("folder") else {
        return;
    };
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
    let Some(temp) = scratch("registry") else {
        return;
    };
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
    let Some(temp) = scratch("missing") else {
        return;
    };
    let dir = temp.path();
    let out = run(&["import", "-o", "out", "no-such-file.txt"], dir);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("no-such-file.txt"));
}
