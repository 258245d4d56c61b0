//! `transcript-ls stats` run as a program: the human table (snapshot, and
//! aligned by display width), the JSON (speakers' words add up to the
//! total, files add up to the collection, and the numbers agree with the
//! JSON export and the editor's outline), and exit codes.

mod common;

use std::path::Path;
use std::process::{Command, Stdio};

use common::TempDir;
use serde_json::Value;
use transcript_ls::analysis::{SymbolKind, analyze, outline};
use transcript_ls::registry::Registry;
use unicode_width::UnicodeWidthStr;

const BIN: &str = env!("CARGO_BIN_EXE_transcript-ls");
const REPO: &str = env!("CARGO_MANIFEST_DIR");

fn run(cwd: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(BIN)
        .args(args)
        .current_dir(cwd)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn sum(list: &Value, field: &str) -> u64 {
    list.as_array()
        .unwrap()
        .iter()
        .map(|x| x[field].as_u64().unwrap())
        .sum()
}

#[test]
fn human_table_of_the_examples() {
    let (code, out, err) = run(Path::new(REPO), &["stats", "examples"]);
    assert_eq!(code, 0, "{err}");
    insta::assert_snapshot!("examples_human", out);
}

#[test]
fn speakers_words_add_up_and_agree_with_export_and_outline() {
    let repo = Path::new(REPO);
    let (code, out, err) = run(repo, &["stats", "--format", "json", "examples"]);
    assert_eq!(code, 0, "{err}");
    let stats: Value = serde_json::from_str(&out).unwrap();
    let files = stats["files"].as_array().unwrap();
    assert_eq!(files.len(), 2);
    let total = &stats["total"];
    for counts in files.iter().chain([total]) {
        assert_eq!(
            sum(&counts["speakers"], "words"),
            counts["words"].as_u64().unwrap()
        );
        assert_eq!(
            sum(&counts["speakers"], "turns"),
            counts["turns"].as_u64().unwrap()
        );
        assert_eq!(
            sum(&counts["outlets"], "questions"),
            counts["questions"].as_u64().unwrap()
        );
        let shares: f64 = counts["speakers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["share"].as_f64().unwrap())
            .sum();
        assert!((shares - 1.0).abs() < 1e-9, "{shares}");
    }
    for field in [
        "turns",
        "questions",
        "words",
        "narration",
        "narration_words",
    ] {
        let by_file: u64 = files.iter().map(|f| f[field].as_u64().unwrap()).sum();
        assert_eq!(by_file, total[field].as_u64().unwrap(), "{field}");
    }

    // The JSON export and the editor's outline count the same.
    let registry =
        Registry::parse(&std::fs::read_to_string(repo.join("examples/transcripts.json")).unwrap());
    let (code, lines, err) = run(repo, &["export", "--to", "json", "examples"]);
    assert_eq!(code, 0, "{err}");
    for (line, counts) in lines.lines().zip(files) {
        let export: Value = serde_json::from_str(line).unwrap();
        assert_eq!(export["file"], counts["file"]);
        let turns: Vec<&Value> = export["turns"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|t| t["kind"] != "narration")
            .collect();
        let words: u64 = turns.iter().map(|t| t["words"].as_u64().unwrap()).sum();
        let questions = turns.iter().filter(|t| t["kind"] == "question").count() as u64;
        assert_eq!(turns.len() as u64, counts["turns"].as_u64().unwrap());
        assert_eq!(words, counts["words"].as_u64().unwrap());
        assert_eq!(questions, counts["questions"].as_u64().unwrap());

        let text = std::fs::read_to_string(repo.join(counts["file"].as_str().unwrap())).unwrap();
        let analysis = analyze(&text, Some(&registry));
        let mut in_outline = 0;
        let mut stack = outline(&text, &analysis.syntax);
        while let Some(s) = stack.pop() {
            in_outline += u64::from(s.kind == SymbolKind::Question);
            stack.extend(s.children);
        }
        assert_eq!(in_outline, questions);
    }
}

#[test]
fn wide_names_are_aligned_by_display_width() {
    let dir = TempDir::with_empty_registry("stats wide");
    dir.write(
        "a.transcript",
        "---\ntitle: T\ndate: 2017-06-16\nspeaker: 習近平\n---\n\n\
         習近平: 你好 世界\n\nSergey Lavrov: Good afternoon, [Łódź]{place}.\n\n\
         Question (Синьхуа): Why?\n\n習近平: 因为\n",
    );
    let (code, out, err) = run(dir.path(), &["stats", "a.transcript"]);
    assert_eq!(code, 0, "{err}");
    let tables: Vec<&str> = out.split("\n\n").collect();
    for table in &tables {
        let lines: Vec<&str> = table
            .lines()
            .filter(|l| !l.starts_with("narration"))
            .collect();
        let width = lines[0].width();
        for line in &lines {
            // Every row's last (right-aligned) column ends where the header's does.
            assert_eq!(line.width(), width, "{table}");
        }
    }
    let speakers = tables[1];
    assert!(speakers.contains("習近平"), "{speakers}");
    assert!(out.contains("Синьхуа"), "{out}");
}

#[test]
fn unreadable_input_exits_2() {
    let dir = TempDir::with_empty_registry("stats missing");
    let (code, _, err) = run(dir.path(), &["stats", "missing.transcript"]);
    assert_eq!(code, 2);
    assert!(err.contains("cannot read missing.transcript"), "{err}");
}
