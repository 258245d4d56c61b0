//! `transcript-ls check` on inputs that cannot be read or are not what they
//! should be: invalid UTF-8, empty files, unreadable files and folders,
//! symbolic link loops, a folder where a file is expected (and the other way
//! round), FIFOs, and a 100 MB file. Unreadable input: a message on standard
//! error naming the path, exit status 2, nothing on standard output, no file
//! written. Every run has a time limit, so a hang fails the test.

mod common;

use std::io::Read;
use std::os::unix::fs::{PermissionsExt, symlink};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::TempDir;

const BIN: &str = env!("CARGO_BIN_EXE_transcript-ls");

const CLEAN: &str =
    "---\ntitle: Press conference\ndate: 2017-06-16\n---\n\nSergey Lavrov: Good afternoon.\n";

/// How long one `check` may take before the test calls it a hang.
const LIMIT: Duration = Duration::from_secs(60);

/// A fresh folder (readable by everyone, for runs as `nobody`) holding an
/// empty registry, removed when dropped.
fn temp_dir(name: &str) -> TempDir {
    TempDir::with_empty_registry(name).readable_by_all()
}

#[derive(Debug)]
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
    took: Duration,
}

/// Runs `check` in `cwd` with a time limit; `stdin` is a file to read from
/// (none: empty input); `as_nobody` drops to the `nobody` user (uid 65534),
/// running a link to the binary that user can reach wherever the clone is.
fn check_in(cwd: &Path, args: &[&str], stdin: Option<&Path>, as_nobody: bool) -> Run {
    let (_program_dir, program) = match as_nobody {
        true => {
            let (dir, program) = TempDir::with_program_for_all(BIN);
            (Some(dir), program)
        }
        false => (None, PathBuf::from(BIN)),
    };
    let mut cmd = Command::new(program);
    cmd.arg("check")
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    match stdin {
        Some(path) => cmd.stdin(std::fs::File::open(path).unwrap()),
        None => cmd.stdin(Stdio::null()),
    };
    if as_nobody {
        cmd.uid(65534).gid(65534);
    }
    let started = Instant::now();
    let mut child = cmd
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {BIN}: {e}"));
    let (mut out, mut err) = (child.stdout.take().unwrap(), child.stderr.take().unwrap());
    let out_thread = std::thread::spawn(move || {
        let mut s = Vec::new();
        out.read_to_end(&mut s).unwrap();
        s
    });
    let err_thread = std::thread::spawn(move || {
        let mut s = Vec::new();
        err.read_to_end(&mut s).unwrap();
        s
    });
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            panic!("`check {args:?}` did not finish within {LIMIT:?}");
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let took = started.elapsed();
    let stdout = String::from_utf8(out_thread.join().unwrap()).expect("stdout is UTF-8");
    let stderr = String::from_utf8(err_thread.join().unwrap()).expect("stderr is UTF-8");
    assert!(
        !stderr.contains("panicked"),
        "`check {args:?}` panicked:\n{stderr}"
    );
    Run {
        code: status
            .code()
            .unwrap_or_else(|| panic!("`check {args:?}` was killed by a signal: {status}")),
        stdout,
        stderr,
        took,
    }
}

fn check(dir: &TempDir, args: &[&str]) -> Run {
    check_in(dir.path(), args, None, false)
}

/// Exit 2, nothing on standard output, every `needle` on standard error,
/// and no file added or changed in `dir`.
fn assert_refused(dir: &TempDir, run: &Run, needles: &[&str], before: &[(PathBuf, u64)]) {
    assert_eq!(run.code, 2, "exit status; {run:#?}");
    assert_eq!(run.stdout, "", "partial output on stdout; {run:#?}");
    for needle in needles {
        assert!(
            run.stderr.contains(needle),
            "stderr does not say {needle:?}: {}",
            run.stderr
        );
    }
    assert!(
        run.stderr.lines().all(|l| l.starts_with("error: ")),
        "every line is an error message: {}",
        run.stderr
    );
    assert_eq!(dir.listing(), before, "files changed");
}

/// The standard error of a run with the folder's path replaced, for snapshots.
fn redacted(dir: &TempDir, run: &Run) -> String {
    let path = dir.path().display().to_string();
    format!(
        "exit {}\nstdout: {:?}\n{}",
        run.code,
        run.stdout,
        run.stderr.replace(&path, "[DIR]")
    )
}

#[test]
fn unreadable_inputs_exit_2_name_the_path_and_print_nothing() {
    let dir = temp_dir("refused");
    dir.write("ok.transcript", CLEAN);
    // Invalid UTF-8 in the middle, at the very start (a UTF-16 file with its
    // BOM), and a sequence cut short at the end.
    let mut middle = CLEAN.as_bytes().to_vec();
    middle.insert(20, 0xC3);
    dir.write("latin1.transcript", &middle);
    let mut utf16 = vec![0xFF, 0xFE];
    for unit in CLEAN.encode_utf16() {
        utf16.extend_from_slice(&unit.to_le_bytes());
    }
    dir.write("utf16.transcript", &utf16);
    let mut cut = CLEAN.as_bytes().to_vec();
    cut.extend_from_slice(&"😀".as_bytes()[..3]);
    dir.write("cut.transcript", &cut);
    symlink("loop.transcript", dir.path().join("loop.transcript")).unwrap();
    symlink("loop-b", dir.path().join("loop-a")).unwrap();
    symlink("loop-a", dir.path().join("loop-b")).unwrap();
    symlink("nowhere.transcript", dir.path().join("dangling.transcript")).unwrap();
    std::fs::create_dir(dir.path().join("folder")).unwrap();
    let before = dir.listing();

    let cut_at = format!("offset {}", CLEAN.len());
    let cases: Vec<(&str, Vec<&str>, Vec<&str>)> = vec![
        (
            "invalid UTF-8 in the middle",
            vec!["ok.transcript", "latin1.transcript"],
            vec!["latin1.transcript", "not valid UTF-8", "offset 20"],
        ),
        (
            "a UTF-16 file",
            vec!["utf16.transcript"],
            vec!["utf16.transcript", "offset 0"],
        ),
        (
            "a character cut short at the end",
            vec!["cut.transcript"],
            vec!["cut.transcript", &cut_at],
        ),
        (
            "a missing file",
            vec!["ok.transcript", "missing.transcript"],
            vec!["missing.transcript", "No such file"],
        ),
        (
            "a symbolic link to itself",
            vec!["loop.transcript"],
            vec!["loop.transcript", "symbolic links"],
        ),
        (
            "two folder links pointing at each other",
            vec!["loop-a"],
            vec!["loop-a", "symbolic links"],
        ),
        (
            "a dangling symbolic link",
            vec!["dangling.transcript"],
            vec!["dangling.transcript", "No such file"],
        ),
        (
            "a file where a folder is expected",
            vec!["ok.transcript/"],
            vec!["ok.transcript/", "Not a directory"],
        ),
        (
            "every bad file at once, in a folder walk",
            vec!["."],
            vec![
                "latin1.transcript",
                "utf16.transcript",
                "cut.transcript",
                "offset 20",
            ],
        ),
    ];
    let mut report = String::new();
    for (what, args, needles) in &cases {
        let run = check(&dir, args);
        assert_refused(&dir, &run, needles, &before);
        report.push_str(&format!("## {what}: check {}\n", args.join(" ")));
        report.push_str(&redacted(&dir, &run));
        report.push('\n');
    }
    // A folder on standard input (`check - < folder`).
    let run = check_in(dir.path(), &["-"], Some(&dir.path().join("folder")), false);
    assert_refused(&dir, &run, &["standard input", "Is a directory"], &before);
    report.push_str("## a folder on standard input: check - < folder\n");
    report.push_str(&redacted(&dir, &run));
    insta::assert_snapshot!("messages", report);
}

#[test]
fn an_unreadable_registry_or_registry_folder_stops_the_run() {
    let dir = temp_dir("registry");
    dir.write("a/ok.transcript", CLEAN);
    // Invalid UTF-8 in the registry: exit 2, naming the registry.
    dir.write("a/transcripts.json", b"{\"rules\": \"\xff\"}");
    let before = dir.listing();
    let run = check(&dir, &["a/ok.transcript"]);
    assert_refused(
        &dir,
        &run,
        &["transcripts.json", "not valid UTF-8"],
        &before,
    );
    // A folder named transcripts.json is not a registry: the one above applies.
    std::fs::remove_file(dir.path().join("a/transcripts.json")).unwrap();
    std::fs::create_dir(dir.path().join("a/transcripts.json")).unwrap();
    dir.write(
        "transcripts.json",
        "{\"rules\": {\"unknown-key\": \"error\"}}",
    );
    dir.write(
        "a/ok.transcript",
        CLEAN.replace("title:", "x-y: 1\nbogus: 1\ntitle:"),
    );
    let run = check(&dir, &["a/ok.transcript"]);
    assert_eq!(run.code, 1, "{run:#?}");
    assert!(
        run.stdout.contains("unknown-key") && run.stdout.contains("a/ok.transcript"),
        "{run:#?}"
    );
}

#[test]
fn empty_and_blank_files_are_checked_with_the_path_named() {
    let dir = temp_dir("empty");
    dir.write("empty.transcript", "");
    dir.write("bom.transcript", "\u{feff}");
    dir.write("blank.transcript", "\n\r\n  \t\n");
    let mut report = String::new();
    for name in ["empty.transcript", "bom.transcript", "blank.transcript"] {
        let run = check(&dir, &[name]);
        assert_eq!(run.code, 1, "{run:#?}");
        assert!(
            run.stdout.contains(&format!("{name}:1:")) && run.stdout.contains("missing-header"),
            "{run:#?}"
        );
        assert!(
            run.stderr.starts_with("checked 1 file: 1 error, "),
            "{run:#?}"
        );
        let run = check(&dir, &["--format", "json", name]);
        let json: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON output");
        assert_eq!(json[0]["file"], name, "{json:#}");
        assert_eq!(json[0]["code"], "missing-header");
        report.push_str(&format!("## {name}\n{}\n", run.stdout));
    }
    insta::assert_snapshot!("empty_files", report);
}

#[test]
fn symlink_loops_and_fifos_in_a_walked_folder_do_not_hang() {
    let dir = temp_dir("walk");
    dir.write("top/a.transcript", CLEAN);
    dir.write("top/sub/b.transcript", CLEAN);
    // A folder link back to an ancestor, two links to each other, a link to
    // itself named like a transcript, and a FIFO named like one (reading it
    // would wait for a writer forever).
    symlink("..", dir.path().join("top/sub/up")).unwrap();
    symlink("../top", dir.path().join("top/sub/top-again")).unwrap();
    symlink("loop-y", dir.path().join("top/loop-x")).unwrap();
    symlink("loop-x", dir.path().join("top/loop-y")).unwrap();
    symlink("self.transcript", dir.path().join("top/self.transcript")).unwrap();
    let fifo = dir.path().join("top/pipe.transcript");
    let made = Command::new("mkfifo").arg(&fifo).status();
    assert!(
        made.is_ok_and(|s| s.success()),
        "mkfifo is needed for this test"
    );
    let before = dir.listing();
    let run = check(&dir, &["top"]);
    assert_eq!(run.code, 0, "{run:#?}");
    assert_eq!(
        run.stderr, "checked 2 files: 0 errors, 0 warnings\n",
        "{run:#?}"
    );
    assert_eq!(dir.listing(), before);
    // Through the link, the same two files (the walk does not follow links
    // inside the folder, so it ends).
    let run = check(&dir, &["top/sub/up"]);
    assert_eq!(
        run.stderr, "checked 2 files: 0 errors, 0 warnings\n",
        "{run:#?}"
    );
}

/// Whether this process runs as root (then permission bits do not stop it).
fn is_root() -> bool {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0)
}

#[test]
fn unreadable_files_and_folders_exit_2() {
    // Root reads any file whatever its mode, so as root the check runs as
    // the `nobody` user, for whom mode 000 means unreadable.
    let as_nobody = is_root();
    let dir = temp_dir("locked");
    dir.write("ok.transcript", CLEAN);
    let locked = dir.write("locked.transcript", CLEAN);
    dir.write("closed/inside.transcript", CLEAN);
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    std::fs::set_permissions(
        dir.path().join("closed"),
        std::fs::Permissions::from_mode(0o000),
    )
    .unwrap();
    let before = dir.listing();
    let run = check_in(
        dir.path(),
        &["ok.transcript", "locked.transcript"],
        None,
        as_nobody,
    );
    assert_refused(
        &dir,
        &run,
        &["cannot read locked.transcript", "Permission denied"],
        &before,
    );
    let run = check_in(dir.path(), &["."], None, as_nobody);
    assert_refused(
        &dir,
        &run,
        &["locked.transcript", "closed", "Permission denied"],
        &before,
    );
}

/// Writes a 100 MB transcript: a header, then paragraphs with mentions,
/// typographic characters and emoji; `tail` is appended at the end.
fn write_100_mb(path: &Path, tail: &[u8]) {
    use std::io::Write;
    let paragraph = "Sergey Lavrov: Good afternoon, [John Kerry]{person}. “Quoted” text, é and 😀, [12:30] and more words here.\n\n";
    let mut block = String::new();
    while block.len() < 1 << 20 {
        block.push_str(paragraph);
    }
    let mut f = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    f.write_all(b"---\ntitle: Big\ndate: 2017-06-16\n---\n\n")
        .unwrap();
    for _ in 0..100 {
        f.write_all(block.as_bytes()).unwrap();
    }
    f.write_all(tail).unwrap();
    f.flush().unwrap();
}

#[test]
fn a_100_mb_file_with_a_bad_byte_at_the_end_is_refused_quickly() {
    let dir = temp_dir("big-bad");
    let path = dir.path().join("big.transcript");
    write_100_mb(&path, b"last words \xFF\n");
    let size = std::fs::metadata(&path).unwrap().len();
    assert!(size > 100_000_000, "{size}");
    let before = dir.listing();
    let run = check(&dir, &["--max-file-size", "200MiB", "big.transcript"]);
    let offset = format!("offset {}", size - 2);
    assert_refused(&dir, &run, &["big.transcript", &offset], &before);
    eprintln!("100 MB with a bad last byte: {:?}", run.took);
}

#[test]
fn a_100_mb_file_is_checked() {
    let dir = temp_dir("big");
    let path = dir.path().join("big.transcript");
    // One unknown entity at the very end, so the whole file must be read.
    write_100_mb(&path, "Sergey Lavrov: [Mr X]{kery}.\n".as_bytes());
    let before = dir.listing();
    // Past the default limit: refused, saying how to raise it.
    let run = check(&dir, &["big.transcript"]);
    assert_refused(
        &dir,
        &run,
        &["big.transcript", "100.0 MiB", "64 MiB", "--max-file-size"],
        &before,
    );
    let run = check(
        &dir,
        &[
            "--format",
            "json",
            "--max-file-size",
            "200MiB",
            "big.transcript",
        ],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON output");
    let all = json.as_array().unwrap();
    assert_eq!(all.len(), 1, "{:#}", json);
    assert_eq!(all[0]["code"], "unknown-entity");
    assert_eq!(all[0]["file"], "big.transcript");
    assert!(all[0]["line"].as_u64().unwrap() > 1_000_000, "{:#}", all[0]);
    assert_eq!(run.stderr, "checked 1 file: 1 error, 0 warnings\n");
    assert_eq!(dir.listing(), before);
    eprintln!("100 MB checked in {:?}", run.took);
}

#[test]
fn a_reader_that_goes_away_is_not_a_panic() {
    // `check … | head -1`: the report is larger than a pipe's buffer and the
    // reader closes its end at once. The check must end, without a panic.
    let dir = temp_dir("pipe");
    let text = format!("{CLEAN}{}", "Sergey Lavrov: [x]{nobody}.\n\n".repeat(5000));
    dir.write("many.transcript", text);
    let mut child = Command::new(BIN)
        .args(["check", "many.transcript"])
        .current_dir(dir.path())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    let started = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        assert!(started.elapsed() < LIMIT, "check did not end");
        std::thread::sleep(Duration::from_millis(10));
    };
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(!status.success(), "{status}: {stderr}");
}
