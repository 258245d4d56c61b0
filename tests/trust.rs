//! A hostile or unusual collection, on the command line: the tool writes
//! only the files the user named, never through a link planted beside them,
//! keeps modes, owners and hard links, refuses read-only files and files
//! that are not transcripts, leaves no temporary file when killed, loses
//! nothing when two runs meet; reads only regular files of bounded size
//! that are text; never echoes control characters to a terminal; puts the
//! caret under the problem whatever characters come before it; checks a
//! file once however it is reached; and ends quietly when its reader goes
//! away. Where permissions matter and the tests run as root (CI), the
//! command runs as the `nobody` user.

mod common;

use std::io::{BufRead, BufReader};
use std::os::unix::fs::{MetadataExt, PermissionsExt, symlink};
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::TempDir;
use unicode_width::UnicodeWidthStr;

const BIN: &str = env!("CARGO_BIN_EXE_transcript-ls");

/// Not formatted: `fmt` changes it (header spacing, blank lines).
const MESSY: &str =
    "---\ntitle:   A\ndate: 2016-07-26\n---\nSergey Lavrov: Hello.   \n\n\n\nSergey Lavrov: Bye.\n";
const NOBODY: u32 = 65534;

#[derive(Debug)]
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn command(dir: &Path, args: &[&str]) -> Command {
    command_of(Path::new(BIN), dir, args)
}

/// [`command`] with another copy of the binary.
fn command_of(program: &Path, dir: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(program);
    cmd.args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null());
    cmd
}

/// Runs with a time limit, so that a hang (a FIFO read) fails the test.
fn run_cmd(mut cmd: Command) -> Run {
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            let out = child.wait_with_output().unwrap();
            return Run {
                code: status.code().expect("ended by a signal"),
                stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
                stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
            };
        }
        if started.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            panic!("{cmd:?} hung");
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

fn run(dir: &Path, args: &[&str]) -> Run {
    run_cmd(command(dir, args))
}

fn is_root() -> bool {
    std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0)
}

/// A folder every user may write in, for runs as `nobody`.
fn open_dir(name: &str) -> TempDir {
    let dir = TempDir::with_empty_registry(name);
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
    dir
}

fn formatted(text: &str) -> String {
    transcript_ls::format::format_text(text, &transcript_ls::syntax::LabelContext::default())
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap()
}

fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

// ---------------------------------------------------------------------------
// The safe writer, through `fmt` and `import`

#[test]
fn fmt_never_writes_through_a_link_planted_at_a_temporary_name() {
    let dir = TempDir::with_empty_registry("planted");
    let secret = dir.write("bashrc", "export SECRET=1\n");
    let a = dir.write("a.transcript", MESSY);
    for planted in [
        "a.transcript.fmt-tmp",
        ".a.transcript.tmp",
        "a.transcript.tmp",
        ".a.transcript.swp",
        "a.transcript~",
    ] {
        symlink(&secret, dir.path().join(planted)).unwrap();
    }
    let before = names(dir.path());
    let r = run(dir.path(), &["fmt", "a.transcript"]);
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(
        read(&secret),
        "export SECRET=1\n",
        "the link's target was written"
    );
    assert_eq!(read(&a), formatted(MESSY));
    assert!(!std::fs::symlink_metadata(&a).unwrap().is_symlink());
    assert_eq!(names(dir.path()), before, "no file left or removed");
}

#[test]
fn fmt_keeps_the_mode_and_the_owner() {
    let dir = open_dir("mode");
    let a = dir.write("a.transcript", MESSY);
    std::fs::set_permissions(&a, std::fs::Permissions::from_mode(0o600)).unwrap();
    if is_root() {
        std::os::unix::fs::chown(&a, Some(NOBODY), Some(NOBODY)).unwrap();
    }
    let r = run(dir.path(), &["fmt", "a.transcript"]);
    assert_eq!(r.code, 0, "{r:?}");
    let meta = std::fs::metadata(&a).unwrap();
    assert_eq!(meta.mode() & 0o7777, 0o600, "the mode was changed");
    if is_root() {
        assert_eq!(
            (meta.uid(), meta.gid()),
            (NOBODY, NOBODY),
            "the owner was changed"
        );
    }
    assert_eq!(read(&a), formatted(MESSY));
}

#[test]
fn fmt_refuses_read_only_files() {
    let dir = open_dir("read-only");
    let a = dir.write("a.transcript", MESSY);
    std::fs::set_permissions(&a, std::fs::Permissions::from_mode(0o444)).unwrap();
    let r = run(dir.path(), &["fmt", "a.transcript"]);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.stderr.contains("a.transcript is read-only"), "{r:?}");
    assert_eq!(read(&a), MESSY);

    // A file the user may not write, in a folder they may: renaming over it
    // would work, and must not be done.
    if is_root() {
        let b = dir.write("b.transcript", MESSY);
        std::fs::set_permissions(&b, std::fs::Permissions::from_mode(0o644)).unwrap();
        // A link to the binary that `nobody` can reach wherever the clone is.
        let (_program_dir, program) = TempDir::with_program_for_all(BIN);
        let mut cmd = command_of(&program, dir.path(), &["fmt", "b.transcript"]);
        cmd.uid(NOBODY).gid(NOBODY);
        let r = run_cmd(cmd);
        assert_eq!(r.code, 2, "{r:?}");
        assert!(r.stderr.contains("b.transcript is read-only"), "{r:?}");
        assert_eq!(read(&b), MESSY);
        assert_eq!(std::fs::metadata(&b).unwrap().uid(), 0);
    }
}

#[test]
fn fmt_through_a_symlink_writes_its_target_and_keeps_the_link() {
    let dir = TempDir::with_empty_registry("link");
    let real = dir.write("real/a.transcript", MESSY);
    let link = dir.path().join("link.transcript");
    symlink(&real, &link).unwrap();
    let r = run(dir.path(), &["fmt", "link.transcript"]);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(std::fs::symlink_metadata(&link).unwrap().is_symlink());
    assert_eq!(std::fs::read_link(&link).unwrap(), real);
    assert_eq!(read(&real), formatted(MESSY));
}

#[test]
fn fmt_keeps_hard_links() {
    let dir = TempDir::with_empty_registry("hard");
    let a = dir.write("a.transcript", MESSY);
    let b = dir.path().join("b.transcript");
    std::fs::hard_link(&a, &b).unwrap();
    let r = run(dir.path(), &["fmt", "a.transcript"]);
    assert_eq!(r.code, 0, "{r:?}");
    let (ma, mb) = (
        std::fs::metadata(&a).unwrap(),
        std::fs::metadata(&b).unwrap(),
    );
    assert_eq!(ma.ino(), mb.ino(), "the hard link was broken");
    assert_eq!(read(&b), formatted(MESSY));
}

#[test]
fn fmt_refuses_files_that_are_not_transcripts() {
    let dir = TempDir::with_empty_registry("markdown");
    let readme = dir.write("README.md", "line one  \nline two\n");
    let r = run(dir.path(), &["fmt", "README.md"]);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(
        r.stderr.contains("README.md is not a .transcript file"),
        "{r:?}"
    );
    assert_eq!(read(&readme), "line one  \nline two\n");
}

#[test]
fn fmt_killed_while_writing_leaves_no_temporary_file() {
    let dir = TempDir::with_empty_registry("killed");
    // Large enough that writing and syncing it takes a while.
    let big: String = MESSY.repeat(150_000);
    let path = dir.write("big.transcript", &big);
    let mut caught = 0;
    for signal in [libc::SIGTERM, libc::SIGINT, libc::SIGHUP] {
        std::fs::write(&path, &big).unwrap();
        let mut child = command(
            dir.path(),
            &["fmt", "--max-file-size", "1GiB", "big.transcript"],
        )
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
        // Wait for the temporary file to appear, then interrupt.
        let started = Instant::now();
        let mut seen = false;
        while child.try_wait().unwrap().is_none() && started.elapsed() < Duration::from_secs(120) {
            if names(dir.path())
                .iter()
                .any(|n| n.starts_with(".big.transcript."))
            {
                // SAFETY: sending a signal to our own child.
                unsafe { libc::kill(child.id() as i32, signal) };
                seen = true;
                break;
            }
            std::thread::sleep(Duration::from_micros(200));
        }
        let status = child.wait().unwrap();
        caught += usize::from(seen && status.code().is_none());
        assert_eq!(
            names(dir.path()),
            ["big.transcript", "transcripts.json"],
            "a temporary file survived"
        );
        let now = read(&path);
        assert!(now == big || now == formatted(&big), "half a file");
    }
    assert!(
        caught > 0,
        "no run was interrupted while writing: the test proves nothing"
    );
}

#[test]
fn two_runs_on_the_same_files_lose_nothing() {
    let dir = TempDir::with_empty_registry("concurrent");
    let mut texts = Vec::new();
    for i in 0..5 {
        let text = MESSY.replace("Hello", &format!("Hello {i}")).repeat(200);
        dir.write(&format!("t{i}.transcript"), &text);
        texts.push(text);
    }
    let children: Vec<_> = (0..8)
        .map(|_| {
            command(dir.path(), &["fmt", "."])
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    for (i, text) in texts.iter().enumerate() {
        assert_eq!(
            read(&dir.path().join(format!("t{i}.transcript"))),
            formatted(text)
        );
    }
    assert_eq!(names(dir.path()).len(), 6, "{:?}", names(dir.path()));
}

#[test]
fn import_never_writes_outside_its_output_folder() {
    let dir = TempDir::with_empty_registry("import");
    let outside = dir.write("outside.txt", "keep me\n");
    std::fs::create_dir(dir.path().join("out")).unwrap();
    symlink(&outside, dir.path().join("out/page.transcript")).unwrap();
    let raw = include_str!("fixtures/import/kremlin-17108.txt");
    dir.write("page.txt", raw);
    let r = run(dir.path(), &["import", "-o", "out", "page.txt"]);
    assert_eq!(r.code, 1, "{r:?}");
    assert!(r.stderr.contains("exists; not overwritten"), "{r:?}");
    let r = run(dir.path(), &["import", "--force", "-o", "out", "page.txt"]);
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(read(&outside), "keep me\n", "written through the link");
    let written = dir.path().join("out/page.transcript");
    assert!(!std::fs::symlink_metadata(&written).unwrap().is_symlink());
    assert!(read(&written).starts_with("---\n"));
}

// ---------------------------------------------------------------------------
// Reading: regular files only, bounded, text

const CLEAN: &str = "---\ntitle: A\ndate: 2016-07-26\n---\n\nSergey Lavrov: Hello.\n";

#[test]
fn a_registry_linked_to_a_system_file_is_refused_and_never_shown() {
    let dir = TempDir::new("environ");
    dir.write("a.transcript", CLEAN);
    symlink("/proc/self/environ", dir.path().join("transcripts.json")).unwrap();
    let mut cmd = command(dir.path(), &["check", "a.transcript"]);
    cmd.env("GITHUB_TOKEN", "ghp_very_secret_token");
    let r = run_cmd(cmd);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(!r.stdout.contains("ghp_very"), "{r:?}");
    assert!(!r.stderr.contains("ghp_very"), "{r:?}");
    assert!(r.stderr.contains("file of the operating system"), "{r:?}");
}

#[test]
fn fifos_and_devices_are_refused_without_waiting() {
    let dir = TempDir::new("fifo");
    dir.write("a.transcript", CLEAN);
    let fifo = std::ffi::CString::new(
        dir.path()
            .join("transcripts.json")
            .as_os_str()
            .as_encoded_bytes(),
    )
    .unwrap();
    // SAFETY: a valid C string path.
    assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o644) }, 0);
    let r = run(dir.path(), &["check", "a.transcript"]);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(
        r.stderr
            .contains("is a FIFO (named pipe), not a regular file"),
        "{r:?}"
    );

    let empty = TempDir::with_empty_registry("device");
    symlink("/dev/zero", empty.path().join("zero.transcript")).unwrap();
    for named in ["/dev/zero", "zero.transcript"] {
        let r = run(empty.path(), &["check", named]);
        assert_eq!(r.code, 2, "{r:?}");
        assert!(
            r.stderr.contains("is a device, not a regular file"),
            "{r:?}"
        );
    }
}

#[test]
fn files_with_nul_bytes_are_not_text_and_never_excerpted() {
    let dir = TempDir::new("nul");
    dir.write("a.transcript", CLEAN);
    dir.write("transcripts.json", "{\"entities\": {}}\0SECRET-TAIL");
    let r = run(dir.path(), &["check", "a.transcript"]);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(
        r.stderr
            .contains("transcripts.json is not a text file: it holds a NUL byte at offset 16"),
        "{r:?}"
    );
    assert!(
        !r.stderr.contains("SECRET") && !r.stdout.contains("SECRET"),
        "{r:?}"
    );
    let dir = TempDir::with_empty_registry("nul-transcript");
    dir.write("b.transcript", "---\ntitle: \0x\n---\n");
    let r = run(dir.path(), &["check", "b.transcript"]);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(
        r.stderr.contains("b.transcript is not a text file"),
        "{r:?}"
    );
}

// ---------------------------------------------------------------------------
// Output: nothing raw, carets in place

/// Characters that must never reach a terminal raw.
fn has_raw_controls(s: &str) -> bool {
    s.chars()
        .any(|c| c != '\n' && transcript_ls::escape::is_unsafe_char(c))
}

#[test]
fn escape_sequences_from_files_never_reach_the_terminal() {
    let dir = TempDir::with_empty_registry("escapes");
    let evil = "---\ntitle: \u{1b}]0;pwned\u{7}\u{1b}[31mred\u{202e}txt\ndate: 2016-02-30\npl\u{1b}[2Jce: x\n---\n\nSergey\u{9b}Lavrov: [x]{k\u{1b}[1my}\n";
    dir.write("a.transcript", evil);
    dir.write("b\u{1b}[2J.transcript", evil);
    for format in ["human", "github"] {
        let r = run(dir.path(), &["check", "--format", format, "."]);
        assert_eq!(r.code, 1, "{r:?}");
        assert!(!has_raw_controls(&r.stdout), "{format}: {:?}", r.stdout);
        assert!(!has_raw_controls(&r.stderr), "{format}: {:?}", r.stderr);
        assert!(
            r.stdout.contains("\\u{1b}"),
            "{format}: escapes are shown: {}",
            r.stdout
        );
    }
    for format in ["json", "sarif"] {
        let r = run(dir.path(), &["check", "--format", format, "."]);
        assert!(!has_raw_controls(&r.stdout), "{format}: {:?}", r.stdout);
        assert!(
            r.stdout.contains("pl\\u001b[2Jce"),
            "{format}: {}",
            r.stdout
        );
        let parsed: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
        // Escaped in the text, the same values once parsed.
        assert!(parsed.to_string().contains("pl\\u001b[2Jce"), "{parsed}");
    }
    let r = run(dir.path(), &["fmt", "--check", "."]);
    assert!(
        !has_raw_controls(&r.stdout) && !has_raw_controls(&r.stderr),
        "{r:?}"
    );
}

/// The display column of the first marker under the source line of a report.
fn marker_column(report: &str) -> (usize, usize) {
    let lines: Vec<&str> = report.lines().collect();
    let source = lines
        .iter()
        .position(|l| l.contains("[kery]") || l.contains("{kery}"))
        .expect("the source line");
    let gutter = lines[source].find("| ").unwrap() + 2;
    let shown = &lines[source][gutter..];
    let problem = shown.find("kery").unwrap();
    let expected = UnicodeWidthStr::width(&shown[..problem]);
    let markers = &lines[source + 1][gutter..];
    (markers.find('^').expect("markers"), expected)
}

#[test]
fn the_caret_is_under_the_problem_after_wide_characters_and_tabs() {
    let dir = TempDir::new("carets");
    dir.write(
        "transcripts.json",
        "{\"entities\": {\"kerry\": {\"name\": \"John Kerry\"}}}",
    );
    let prefixes = [
        "漢".repeat(100),
        "\t\tTabs\tand\ttext".to_string(),
        "’ “ ” – \u{a0} 😀 ".repeat(3),
        "字\t😀\u{1b}x".repeat(4),
    ];
    for (i, prefix) in prefixes.iter().enumerate() {
        let name = format!("t{i}.transcript");
        dir.write(
            &name,
            format!("---\ntitle: A\ndate: 2016-07-26\n---\n\n{prefix} [Mr X]{{kery}} said.\n"),
        );
        let r = run(dir.path(), &["check", &name]);
        assert_eq!(r.code, 1, "{r:?}");
        let (caret, expected) = marker_column(&r.stdout);
        assert_eq!(caret, expected, "prefix {i}:\n{}", r.stdout);
    }
}

// ---------------------------------------------------------------------------
// One identity per file

#[test]
fn a_file_reached_twice_is_checked_once() {
    let dir = TempDir::with_empty_registry("twice");
    dir.write(
        "a.transcript",
        "---\ntitle: A\ndate: 2016-07-26\nid: same\n---\n\nSergey Lavrov: Hi.\n",
    );
    dir.write(
        "sub/b.transcript",
        "---\ntitle: B\ndate: 2016-07-26\nid: other\n---\n\nSergey Lavrov: Hi.\n",
    );
    symlink(dir.path().join("sub"), dir.path().join("link")).unwrap();
    let r = run(
        dir.path(),
        &[
            "check",
            ".",
            "a.transcript",
            "./a.transcript",
            "sub/../a.transcript",
            "link",
            "link/b.transcript",
        ],
    );
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(r.stderr, "checked 2 files: 0 errors, 0 warnings\n");
}

// ---------------------------------------------------------------------------
// Hidden files

#[test]
fn hidden_files_are_checked_unless_skipped_and_git_never() {
    let dir = TempDir::with_empty_registry("hidden");
    let bad = "---\ntitle: A\ndate: 2016-02-30\n---\n";
    dir.write(".hidden.transcript", bad);
    dir.write(".dir/inside.transcript", bad);
    dir.write(".git/objects.transcript", bad);
    let r = run(dir.path(), &["check", "."]);
    assert_eq!(r.stderr, "checked 2 files: 2 errors, 0 warnings\n", "{r:?}");
    assert!(r.stdout.contains(".hidden.transcript") && r.stdout.contains(".dir/inside.transcript"));
    assert!(!r.stdout.contains(".git"), "{}", r.stdout);
    let r = run(dir.path(), &["check", "--skip-hidden", "."]);
    assert_eq!(r.stderr, "checked 0 files: 0 errors, 0 warnings\n", "{r:?}");
}

// ---------------------------------------------------------------------------
// Quiet pipes

/// Runs `bash -c "<command> 2>&1 | head -1"` and returns the command's own
/// exit status and what bash printed on its standard error.
fn through_head(dir: &Path, command: &str) -> (i32, String) {
    let script = format!("'{BIN}' {command} 2>&1 | head -c 1 >/dev/null; exit ${{PIPESTATUS[0]}}");
    let out = Command::new("bash")
        .args(["-c", &script])
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_reader_that_goes_away_ends_every_command_quietly() {
    let dir = TempDir::with_empty_registry("pipes");
    let bad = "---\ntitle: A\ndate: 2016-02-30\n---\n\nQuestion: [x]{nope} ".to_string();
    for i in 0..300 {
        dir.write(
            &format!("t{i:03}.transcript"),
            format!("{bad}{}\n", "[y]{nope} ".repeat(50)),
        );
    }
    dir.write(
        "page.txt",
        include_str!("fixtures/import/kremlin-17108.txt"),
    );
    for _ in 0..5 {
        for (command, status) in [
            ("check .", 1),
            ("check --format json .", 1),
            ("rules", 0),
            ("fmt --check .", 1),
            ("import page.txt", 0),
        ] {
            let (code, stderr) = through_head(dir.path(), command);
            assert_eq!(code, status, "{command}: {stderr}");
            assert!(!stderr.contains("panicked"), "{command}: {stderr}");
        }
    }
    // The same with the reader reading a line and leaving.
    let mut child = command(dir.path(), &["check", "."])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
}
