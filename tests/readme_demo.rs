//! The README shows what `check` prints on `demo/` (transcripts with
//! deliberate problems) in each output format. This test runs the binary on
//! every command shown there and fails when the README's output is not what
//! it prints, so that the README cannot drift from the binary.
//!
//! Two kinds of block are checked:
//! - a fenced block that starts with `$ target/release/transcript-ls check …
//!   demo/` (or `$ transcript-ls check …`): the rest of the block is the
//!   whole output, standard output then standard error, as a terminal shows it;
//! - a fenced block right after `<!-- shows POINTER of: transcript-ls check …
//!   -->`: the JSON value at that JSON pointer (RFC 6901) of the command's
//!   standard output, pretty-printed.

use std::path::Path;
use std::process::{Command, Stdio};

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_transcript-ls");
const REPO: &str = env!("CARGO_MANIFEST_DIR");

/// A fenced block of the README: its first line's number (1-based), the
/// nearest non-blank line above its opening fence, and its content.
struct Block {
    line: usize,
    above: String,
    content: Vec<String>,
}

/// The fenced blocks of a Markdown text, also those indented in list items
/// (the fence's indentation is removed from its lines).
fn blocks(markdown: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let mut above = String::new();
    let mut open: Option<(usize, Block)> = None;
    for (i, line) in markdown.lines().enumerate() {
        let trimmed = line.trim_start();
        match &mut open {
            Some((indent, block)) => {
                if trimmed == "```" {
                    out.push(open.take().unwrap().1);
                } else {
                    let cut = line.len() - line.trim_start_matches(' ').len();
                    block.content.push(line[cut.min(*indent)..].to_string());
                }
            }
            None if trimmed.starts_with("```") => {
                let indent = line.len() - trimmed.len();
                let block = Block {
                    line: i + 2,
                    above: std::mem::take(&mut above),
                    content: Vec::new(),
                };
                open = Some((indent, block));
            }
            None if !trimmed.is_empty() => above = trimmed.to_string(),
            None => {}
        }
    }
    assert!(open.is_none(), "README.md has an unclosed ``` block");
    out
}

/// The arguments of a `transcript-ls check` command line naming `demo/`.
fn check_args(command: &str) -> Option<Vec<String>> {
    let mut words = command.split_whitespace();
    let program = words.next()?;
    let args: Vec<String> = words.map(str::to_string).collect();
    let ours = program == "transcript-ls" || program == "target/release/transcript-ls";
    (ours && args.first().is_some_and(|a| a == "check") && args.iter().any(|a| a == "demo/"))
        .then_some(args)
}

/// The output format a `check` command asks for.
fn format_of(args: &[String]) -> &str {
    args.windows(2)
        .find(|w| w[0] == "--format")
        .map_or("human", |w| w[1].as_str())
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(args: &[String]) -> Run {
    let out = Command::new(BIN)
        .args(args)
        .current_dir(REPO)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("cannot run {BIN}: {e}"));
    Run {
        code: out.status.code().expect("not killed by a signal"),
        stdout: String::from_utf8(out.stdout).expect("UTF-8 on standard output"),
        stderr: String::from_utf8(out.stderr).expect("UTF-8 on standard error"),
    }
}

/// Checks one block against the binary; returns the format it shows, or
/// `None` when the block shows no `check` of `demo/`.
fn check_block(block: &Block, problems: &mut Vec<String>) -> Option<String> {
    let shown = block.content.join("\n");
    if let Some(args) = block
        .content
        .first()
        .and_then(|l| l.strip_prefix("$ "))
        .and_then(check_args)
    {
        let r = run(&args);
        assert_eq!(r.code, 1, "`check` on demo/ finds errors: {}", r.stderr);
        let printed = format!("{}{}", r.stdout, r.stderr);
        let shown = block.content[1..].join("\n");
        if shown.trim_end() != printed.trim_end() {
            problems.push(format!(
                "README.md:{}: the output shown for `{}` is not what the binary prints, which is:\n{printed}",
                block.line,
                block.content[0]
            ));
        }
        return Some(format_of(&args).to_string());
    }
    let (pointer, command) = block
        .above
        .strip_prefix("<!-- shows ")?
        .strip_suffix("-->")?
        .split_once(" of: ")?;
    let args = check_args(command)
        .unwrap_or_else(|| panic!("README.md:{}: not a check of demo/: {command}", block.line));
    let r = run(&args);
    assert_eq!(r.code, 1, "`check` on demo/ finds errors: {}", r.stderr);
    let output: Value = serde_json::from_str(&r.stdout)
        .unwrap_or_else(|e| panic!("`{command}` prints JSON: {e}\n{}", r.stdout));
    match output.pointer(pointer.trim()) {
        None => problems.push(format!(
            "README.md:{}: the output of `{command}` has nothing at {pointer}",
            block.line
        )),
        Some(value) => {
            let printed = serde_json::to_string_pretty(value).unwrap();
            if shown.trim_end() != printed {
                problems.push(format!(
                    "README.md:{}: the excerpt shown for `{command}` at {pointer} is not what the binary prints, which is:\n{printed}",
                    block.line
                ));
            }
        }
    }
    Some(format_of(&args).to_string())
}

#[test]
fn the_readme_shows_what_check_prints_on_the_demo() {
    let readme = std::fs::read_to_string(Path::new(REPO).join("README.md")).unwrap();
    let mut problems = Vec::new();
    let mut formats: Vec<String> = blocks(&readme)
        .iter()
        .filter_map(|b| check_block(b, &mut problems))
        .collect();
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
    formats.sort();
    formats.dedup();
    assert_eq!(
        formats,
        ["github", "human", "json", "sarif"],
        "the README shows the demo in every output format"
    );
}

/// The checks above find what they should: a README block that differs from
/// the binary's output by one character, or an excerpt at the wrong place,
/// is reported.
#[test]
fn a_drifted_block_is_reported() {
    let readme = "\
```console
$ transcript-ls check --format github demo/
::error file=demo/elsewhere.transcript
```

<!-- shows /0/line of: transcript-ls check --format json demo/ -->
```json
999
```

```sh
$ transcript-ls check examples/
```
";
    let mut problems = Vec::new();
    let formats: Vec<String> = blocks(readme)
        .iter()
        .filter_map(|b| check_block(b, &mut problems))
        .collect();
    assert_eq!(formats, ["github", "json"]);
    assert_eq!(problems.len(), 2, "{problems:#?}");
    assert!(problems[0].starts_with("README.md:2: "), "{}", problems[0]);
    assert!(problems[1].starts_with("README.md:8: "), "{}", problems[1]);
}

/// Blocks indented in a list item are read without their indentation.
#[test]
fn indented_blocks_are_read() {
    let found = blocks("- item:\n\n  ```json\n  {\n    \"a\": 1\n  }\n  ```\n");
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].above, "- item:");
    assert_eq!(found[0].content, ["{", "  \"a\": 1", "}"]);
}
