//! Replays the inputs kept in `fuzz/regressions/<target>/` through the same
//! assertions the fuzz targets make (`fuzz/src/lib.rs`, included here), so
//! that what a fuzzer once found stays fixed, in CI and without a nightly
//! toolchain. Every kept input must pass.

#[allow(dead_code)]
#[path = "../fuzz/src/lib.rs"]
mod fuzz;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

/// The kept inputs of a target: (path, bytes), sorted by name.
fn inputs(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/regressions")
        .join(target);
    let mut out: Vec<(PathBuf, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            !name.starts_with('.')
        })
        .map(|p| {
            let bytes = std::fs::read(&p).unwrap();
            (p, bytes)
        })
        .collect();
    out.sort();
    out
}

/// Runs `check` on every kept input of `target`; fails naming each input
/// that fails, with its message. There must be at least one input.
fn replay(target: &str, check: fn(&[u8])) {
    let inputs = inputs(target);
    assert!(!inputs.is_empty(), "no inputs kept for {target}");
    let failures: Vec<String> = inputs
        .iter()
        .filter_map(|(path, bytes)| {
            let outcome = catch_unwind(AssertUnwindSafe(|| check(bytes)));
            outcome.err().map(|e| {
                let message = e
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_default();
                format!("{}: {message}", path.display())
            })
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} kept {target} inputs fail:\n{}",
        failures.len(),
        inputs.len(),
        failures.join("\n\n")
    );
}

#[test]
fn parse_regressions() {
    replay("parse", fuzz::parse);
}

#[test]
fn edits_regressions() {
    replay("edits", fuzz::edits);
}

#[test]
fn import_regressions() {
    replay("import", fuzz::import_raw);
}

#[test]
fn format_regressions() {
    replay("format", fuzz::format);
}

/// The fuzz targets' checks catch what they claim to: a broken formatter, a
/// wrong position or a span outside the text fails them.
#[test]
fn the_checks_fail_on_bad_results() {
    let fails = |f: &dyn Fn()| catch_unwind(AssertUnwindSafe(f)).is_err();
    let prev = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let text = "abc";
    let results = [
        (
            "a span past the end",
            fails(&|| fuzz::valid(text, &(0..4), "x")),
        ),
        (
            "a reversed span",
            fails(&|| fuzz::valid(text, &std::ops::Range { start: 2, end: 1 }, "x")),
        ),
        (
            "a span inside a character",
            fails(&|| fuzz::valid("é", &(0..1), "x")),
        ),
        (
            "a different word set",
            fuzz::words("title: a b") != fuzz::words("title: a c"),
        ),
        (
            "the model's offset of a half surrogate pair",
            fuzz::model_offset("😀", 0, 1, fuzz::Unit::Utf16) == 0,
        ),
    ];
    std::panic::set_hook(prev);
    for (what, caught) in results {
        assert!(caught, "{what} was not caught");
    }
}

#[test]
fn write_regressions() {
    replay("write", fuzz::write);
}
