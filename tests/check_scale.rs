//! `check` on many files sharing one `id`: every report names at most a few
//! of the others (then counts them), in all four formats, so the output
//! grows linearly with the files, not with their square.

mod common;

use std::process::{Command, Stdio};

use common::TempDir;
use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_transcript-ls");
const FILES: usize = 60;

fn check(dir: &TempDir, format: &str) -> String {
    let out = Command::new(BIN)
        .args(["check", "--format", format, "."])
        .current_dir(dir.path())
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(
        stderr,
        format!("checked {FILES} files: {FILES} errors, 0 warnings\n")
    );
    String::from_utf8(out.stdout).unwrap()
}

fn collection() -> TempDir {
    let dir = TempDir::with_empty_registry("same-id");
    for i in 0..FILES {
        dir.write(
            &format!("t{i:03}.transcript"),
            format!("---\ntitle: T{i}\ndate: 2016-07-26\nid: same\n---\n\nSergey Lavrov: Hi.\n"),
        );
    }
    dir
}

#[test]
fn related_places_are_capped_in_every_format() {
    let dir = collection();
    let more = format!("and {} other transcripts", FILES - 1 - 3);

    let json: Value = serde_json::from_str(&check(&dir, "json")).unwrap();
    let items = json.as_array().unwrap();
    assert_eq!(items.len(), FILES);
    for item in items {
        assert_eq!(item["code"], "duplicate-id");
        assert_eq!(item["related"].as_array().unwrap().len(), 3, "{item:#}");
        assert!(
            item["message"].as_str().unwrap().ends_with(&more),
            "{item:#}"
        );
        // The places in other files are located.
        assert!(item["related"][0]["line"].is_u64(), "{item:#}");
    }
    assert_eq!(items[0]["related"][0]["file"], "t001.transcript");

    let sarif: Value = serde_json::from_str(&check(&dir, "sarif")).unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), FILES);
    assert!(
        results
            .iter()
            .all(|r| r["relatedLocations"].as_array().unwrap().len() == 3)
    );

    let github = check(&dir, "github");
    assert_eq!(github.lines().count(), FILES);
    assert!(
        github.lines().all(|l| l.matches("%0Anote: ").count() == 3),
        "{github}"
    );

    let human = check(&dir, "human");
    assert_eq!(human.matches("= note: ").count(), FILES * 3);
    assert_eq!(human.matches(&more).count(), FILES);
}

#[test]
fn the_output_grows_linearly_with_the_files() {
    let dir = collection();
    let small = check(&dir, "json").len();
    for i in FILES..FILES * 3 {
        dir.write(
            &format!("t{i:03}.transcript"),
            format!("---\ntitle: T{i}\ndate: 2016-07-26\nid: same\n---\n\nSergey Lavrov: Hi.\n"),
        );
    }
    let out = Command::new(BIN)
        .args(["check", "--format", "json", "."])
        .current_dir(dir.path())
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let large = out.stdout.len();
    // Three times the files, about three times the output (not nine).
    assert!(large < small * 4, "{small} -> {large}");
}
