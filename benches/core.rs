//! Micro-benchmarks of the core on large documents built from the examples:
//! `cargo bench --bench core` (divan; add `-- parse` to run only some).
//!
//! Each benchmark runs on a 1 MiB and a 10 MiB document, with the examples'
//! registry, as the server does on every change.

mod common;

use std::sync::LazyLock;

use divan::{Bencher, black_box};
use transcript_ls::analysis::{self, Analysis};
use transcript_ls::format::format;
use transcript_ls::registry::Registry;
use transcript_ls::syntax;
use transcript_ls::text::LineIndex;

use common::MIB;

struct Input {
    text: String,
    analysis: Analysis,
}

static REGISTRY: LazyLock<Registry> = LazyLock::new(|| Registry::parse(&common::registry_text()));

fn input(size: usize) -> Input {
    let text = common::large_document(size, size as u64);
    let analysis = analysis::analyze(&text, Some(&REGISTRY));
    Input { text, analysis }
}

static ONE: LazyLock<Input> = LazyLock::new(|| input(MIB));
static TEN: LazyLock<Input> = LazyLock::new(|| input(10 * MIB));

const SIZES: &[&str] = &["1MiB", "10MiB"];

fn get(size: &str) -> &'static Input {
    match size {
        "1MiB" => &ONE,
        _ => &TEN,
    }
}

fn main() {
    divan::main();
}

#[divan::bench(args = SIZES, sample_count = 20, sample_size = 1)]
fn parse(bencher: Bencher, size: &str) {
    let input = get(size);
    let ctx = analysis::label_context(Some(&REGISTRY));
    bencher
        .counter(divan::counter::BytesCount::new(input.text.len()))
        .bench(|| syntax::parse(black_box(&input.text), &ctx));
}

#[divan::bench(args = SIZES, sample_count = 20, sample_size = 1)]
fn analyze(bencher: Bencher, size: &str) {
    let input = get(size);
    bencher
        .counter(divan::counter::BytesCount::new(input.text.len()))
        .bench(|| analysis::analyze(black_box(&input.text), Some(&REGISTRY)));
}

#[divan::bench(args = SIZES, sample_count = 20, sample_size = 1)]
fn line_index(bencher: Bencher, size: &str) {
    let input = get(size);
    bencher.bench(|| LineIndex::new(black_box(&input.text)));
}

#[divan::bench(args = SIZES, sample_count = 20, sample_size = 1)]
fn outline(bencher: Bencher, size: &str) {
    let input = get(size);
    bencher.bench(|| analysis::outline(black_box(&input.text), &input.analysis.syntax));
}

#[divan::bench(args = SIZES, sample_count = 20, sample_size = 1)]
fn format_document(bencher: Bencher, size: &str) {
    let input = get(size);
    bencher.bench(|| format(black_box(&input.text), &input.analysis.syntax));
}

/// A hover on the label of the document's main speaker: counts their words in the whole file.
#[divan::bench(args = SIZES, sample_count = 20, sample_size = 1)]
fn hover_speaker(bencher: Bencher, size: &str) {
    hover_at(bencher, size, |text| {
        text.find("\nSergey Lavrov: ").expect("a turn") + 2
    });
}

/// A hover on an entity mention: counts its mentions in the whole file.
#[divan::bench(args = SIZES, sample_count = 20, sample_size = 1)]
fn hover_mention(bencher: Bencher, size: &str) {
    hover_at(bencher, size, |text| {
        text.find("]{asean}").expect("a mention") - 2
    });
}

/// A hover at the offset `at` finds in the text.
fn hover_at(bencher: Bencher, size: &str, at: impl Fn(&str) -> usize) {
    let input = get(size);
    let offset = at(&input.text);
    bencher.bench(|| {
        analysis::hover(
            black_box(&input.text),
            &input.analysis.syntax,
            Some(&REGISTRY),
            offset,
        )
    });
}
