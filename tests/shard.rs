//! `transcript-ls check --shard K/N`: the shards partition the files, each
//! file's shard depends only on its path relative to the folder named on the
//! command line, registry problems are reported by exactly one shard, and a
//! malformed K/N is a usage error (exit 2).

mod common;

use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Command, Output};

use common::TempDir;
use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_transcript-ls");

fn run(cwd: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs")
}

/// Each file has one warning-free error (an unknown entity), so that the JSON
/// output names every file checked.
fn transcript(n: usize) -> String {
    format!(
        "---\ntitle: Briefing {n}\ndate: 2017-06-16\nid: t{n}\n---\n\nSergey Lavrov: Hello, [x]{{nobody{n}}}.\n"
    )
}

/// A corpus of `count` files in a few sub-folders, with an empty registry.
fn corpus(name: &str, count: usize) -> TempDir {
    let dir = TempDir::new(name);
    dir.write("corpus/transcripts.json", "{}\n");
    for n in 0..count {
        dir.write(
            &format!("corpus/set-{}/t{n:03}.transcript", n % 4),
            transcript(n),
        );
    }
    dir
}

/// The files a run reported, from its JSON output.
fn files_of(output: &Output) -> BTreeSet<String> {
    let all: Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}):\n{}\nstderr:\n{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    });
    all.as_array()
        .unwrap()
        .iter()
        .map(|d| d["file"].as_str().unwrap().to_string())
        .collect()
}

fn shard(cwd: &Path, path: &str, k: usize, n: usize) -> BTreeSet<String> {
    let out = run(
        cwd,
        &[
            "check",
            "--format",
            "json",
            "--shard",
            &format!("{k}/{n}"),
            path,
        ],
    );
    assert_eq!(
        out.status.code(),
        Some(1),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    files_of(&out)
}

#[test]
fn shards_partition_the_files() {
    let dir = corpus("partition", 60);
    let all = files_of(&run(dir.path(), &["check", "--format", "json", "corpus"]));
    assert_eq!(all.len(), 60);
    for n in [1, 2, 3, 7] {
        let mut union = BTreeSet::new();
        let mut sizes = Vec::new();
        for k in 1..=n {
            let part = shard(dir.path(), "corpus", k, n);
            assert!(
                union.is_disjoint(&part),
                "shard {k}/{n} overlaps an earlier one"
            );
            sizes.push(part.len());
            union.extend(part);
        }
        assert_eq!(union, all, "the {n} shards together are every file");
        if n == 3 {
            // 60 files in 3 shards: none is empty or holds nearly all of them.
            assert!(sizes.iter().all(|&s| (8..=32).contains(&s)), "{sizes:?}");
        }
    }
}

#[test]
fn a_shard_depends_only_on_paths_below_the_named_folder() {
    let a = corpus("stable-a", 30);
    let b = corpus("stable-b", 30);
    // The same files in another place, named another way, give the same shard.
    let first = shard(a.path(), "corpus", 2, 3);
    let again = shard(a.path(), "corpus", 2, 3);
    let elsewhere = shard(b.path().join("corpus").as_path(), ".", 2, 3);
    let absolute = shard(
        Path::new("/"),
        b.path().join("corpus").to_str().unwrap(),
        2,
        3,
    );
    assert_eq!(first, again);
    let below = |set: &BTreeSet<String>| -> BTreeSet<String> {
        set.iter()
            .map(|f| {
                let i = f.find("set-").unwrap();
                f[i..].to_string()
            })
            .collect()
    };
    assert_eq!(below(&first), below(&elsewhere));
    assert_eq!(below(&first), below(&absolute));
}

#[test]
fn the_summary_names_the_shard() {
    let dir = corpus("summary", 10);
    let out = run(dir.path(), &["check", "--shard", "1/1", "corpus"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.ends_with("checked 10 of 10 files (shard 1/1): 10 errors, 0 warnings\n"),
        "{stderr}"
    );
}

#[test]
fn registry_problems_are_reported_by_one_shard() {
    let dir = corpus("registry", 12);
    // An unknown rule: a problem of the registry itself.
    dir.write(
        "corpus/transcripts.json",
        "{ \"rules\": { \"no-such-rule\": \"off\" } }\n",
    );
    let n = 4;
    let reporting: Vec<usize> = (1..=n)
        .filter(|&k| {
            let out = run(
                dir.path(),
                &[
                    "check",
                    "--format",
                    "json",
                    "--shard",
                    &format!("{k}/{n}"),
                    "corpus",
                ],
            );
            files_of(&out)
                .iter()
                .any(|f| f.ends_with("transcripts.json"))
        })
        .collect();
    assert_eq!(
        reporting.len(),
        1,
        "shards reporting the registry: {reporting:?}"
    );
}

#[test]
fn malformed_shards_are_usage_errors() {
    let dir = corpus("usage", 2);
    for (bad, says) in [
        ("0/3", "K must be between 1 and N"),
        ("4/3", "K must be between 1 and N"),
        ("1/0", "N must be at least 1"),
        ("2", "expected K/N"),
        ("a/3", "K must be a whole number"),
        ("1/x", "N must be a whole number"),
    ] {
        let out = run(dir.path(), &["check", "--shard", bad, "corpus"]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "--shard {bad}: {stderr}");
        assert!(stderr.contains("--shard"), "--shard {bad}: {stderr}");
        assert!(stderr.contains(says), "--shard {bad}: {stderr}");
        assert!(out.stdout.is_empty());
    }
}

#[test]
fn standard_input_cannot_be_sharded() {
    let dir = corpus("stdin", 1);
    let out = run(dir.path(), &["check", "--shard", "1/2", "-"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("standard input"), "{stderr}");
}
