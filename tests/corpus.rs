//! The development corpus (`../shared/corpus/kremlin`, raw transcripts as
//! scraped) and the seeds (`../shared/seeds`): raw text is not a valid
//! transcript, but analysing it must not panic and every range must be valid.
//! Ignored by a plain `cargo test`; `.ci/run` runs them (`-- --ignored`).

#[path = "common/shared.rs"]
mod shared;

use std::path::{Path, PathBuf};

use transcript_ls::analysis::{Symbol, analyze, outline};
use transcript_ls::registry::Registry;
use transcript_ls::syntax::Span;

/// The `.txt` files of a folder, sorted.
fn txt_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    files.sort();
    files
}

fn assert_valid(text: &str, span: &Span, what: &str, file: &Path) {
    assert!(
        span.start <= span.end
            && span.end <= text.len()
            && text.is_char_boundary(span.start)
            && text.is_char_boundary(span.end),
        "{}: {what} {span:?} is not a valid range",
        file.display()
    );
}

fn assert_symbols(text: &str, symbols: &[Symbol], file: &Path) {
    for s in symbols {
        assert_valid(text, &s.span, "symbol", file);
        assert_valid(text, &s.selection, "symbol selection", file);
        assert!(
            s.span.start <= s.selection.start && s.selection.end <= s.span.end,
            "{}: selection {:?} outside {:?}",
            file.display(),
            s.selection,
            s.span
        );
        assert_symbols(text, &s.children, file);
    }
}

/// Analyses every file with and without the examples' registry; returns the
/// number of diagnostics without it.
fn analyse_all(files: &[PathBuf]) -> usize {
    let registry_text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/transcripts.json"),
    )
    .unwrap();
    let registry = Registry::parse(&registry_text);
    let mut diagnostics = 0;
    for file in files {
        let bytes = std::fs::read(file).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        for (i, reg) in [None, Some(&registry)].into_iter().enumerate() {
            let analysis = analyze(&text, reg);
            if i == 0 {
                diagnostics += analysis.diagnostics.len();
            }
            for d in &analysis.diagnostics {
                assert_valid(&text, &d.span, d.rule.name(), file);
                for r in &d.related {
                    assert_valid(&text, &r.span, "related", file);
                }
            }
            for p in analysis.syntax.paragraphs() {
                assert_valid(&text, &p.span, "paragraph", file);
            }
            assert_symbols(&text, &outline(&text, &analysis.syntax), file);
        }
    }
    diagnostics
}

#[test]
#[cfg_attr(
    shared_absent,
    ignore = "needs ../shared beside the repository (then `touch build.rs`)"
)]
fn kremlin_corpus() {
    let dir = shared::folder("corpus/kremlin");
    let files = txt_files(&dir);
    assert!(!files.is_empty(), "no .txt files in {}", dir.display());
    let diagnostics = analyse_all(&files);
    eprintln!("corpus: {} files, {diagnostics} diagnostics", files.len());
}

#[test]
#[cfg_attr(
    shared_absent,
    ignore = "needs ../shared beside the repository (then `touch build.rs`)"
)]
fn seeds() {
    let dir = shared::folder("seeds");
    let files = txt_files(&dir);
    assert!(!files.is_empty(), "no .txt files in {}", dir.display());
    let diagnostics = analyse_all(&files);
    eprintln!("seeds: {} files, {diagnostics} diagnostics", files.len());
}
