//! Benchmark inputs, built from the bundled examples so that they stay valid
//! transcripts: large documents (the examples' turns repeated under one header,
//! in numbered parts) and a folder of thousands of varied files.
//!
//! Everything is deterministic: the same seed gives the same bytes.

// Each bench target uses only some of these helpers.
#![allow(dead_code)]

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

pub const REPO: &str = env!("CARGO_MANIFEST_DIR");

pub const KIB: usize = 1024;
pub const MIB: usize = 1024 * 1024;

/// A small deterministic generator (splitmix64): no dependency, same numbers everywhere.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n`.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// One example transcript cut into pieces that can be recombined.
pub struct Example {
    /// Header lines between the `---` lines, without `speaker:` and `id:`.
    pub header: Vec<String>,
    /// Blocks of paragraphs: a block starts at a heading or at a question, so
    /// that each question keeps its answers and each heading has text under it.
    pub blocks: Vec<Vec<String>>,
}

/// The examples in `examples/`, in name order.
pub fn examples() -> Vec<Example> {
    let dir = Path::new(REPO).join("examples");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("examples/ is readable")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "transcript"))
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|p| parse_example(&std::fs::read_to_string(p).expect("an example is UTF-8")))
        .collect()
}

fn parse_example(text: &str) -> Example {
    let text = text.replace("\r\n", "\n");
    let rest = text.strip_prefix("---\n").expect("an example has a header");
    let (header, body) = rest.split_once("\n---\n").expect("the header is closed");
    let header = header
        .lines()
        .filter(|l| !l.starts_with("speaker:") && !l.starts_with("id:"))
        .map(str::to_string)
        .collect();
    let mut blocks: Vec<Vec<String>> = Vec::new();
    let mut previous_heading = false;
    for paragraph in body.split("\n\n").map(str::trim).filter(|p| !p.is_empty()) {
        // Comments (the importer's notes) are left out: they say things of the original page.
        if paragraph.starts_with("//") {
            continue;
        }
        let heading = paragraph.starts_with('#');
        let question = paragraph.starts_with("Question");
        if blocks.is_empty() || heading || (question && !previous_heading) {
            blocks.push(Vec::new());
        }
        blocks.last_mut().unwrap().push(paragraph.to_string());
        previous_heading = heading;
    }
    Example { header, blocks }
}

/// Speakers that generated files may use instead of the examples' one, with their roles.
const SPEAKERS: &[(&str, &str)] = &[
    (
        "Sergey Lavrov",
        "Minister of Foreign Affairs of the Russian Federation",
    ),
    (
        "Maria Zakharova",
        "Director of the Information and Press Department",
    ),
    (
        "Saleumxay Kommasith",
        "Minister of Foreign Affairs of the Lao PDR",
    ),
    ("Sergey Ryabkov", "Deputy Minister of Foreign Affairs"),
];
const OUTLETS: &[&str] = &["RIA Novosti", "TASS", "Interfax", "Kyodo", "Xinhua", "AFP"];
const NOTES: &[&str] = &["applause", "laughter", "inaudible", "in Russian"];

/// Rewrites one block: optionally another answering speaker, attributed
/// questions, time codes and notes. `clock` holds the last time code (seconds).
fn vary(block: &[String], rng: &mut Rng, clock: &mut u32, heading_level: usize) -> Vec<String> {
    let speaker = if rng.chance(30) {
        rng.pick(&SPEAKERS[1..]).0
    } else {
        SPEAKERS[0].0
    };
    block
        .iter()
        .map(|p| {
            let mut p = if let Some(title) = p.strip_prefix("# ") {
                format!("{} {title}", "#".repeat(heading_level))
            } else if let Some(rest) = p.strip_prefix("Sergey Lavrov: ") {
                format!("{speaker}: {rest}")
            } else if let Some(rest) = p.strip_prefix("Question: ") {
                let label = if rng.chance(30) {
                    format!("Question ({})", rng.pick(OUTLETS))
                } else {
                    "Question".to_string()
                };
                if rng.chance(50) {
                    *clock += 15 + rng.below(60) as u32;
                    let (h, m, s) = (*clock / 3600, *clock / 60 % 60, *clock % 60);
                    format!("{label}: [{h:02}:{m:02}:{s:02}] {rest}")
                } else {
                    format!("{label}: {rest}")
                }
            } else {
                p.clone()
            };
            if !p.starts_with('#') && rng.chance(5) {
                write!(p, " [{}]", rng.pick(NOTES)).unwrap();
            }
            p
        })
        .collect()
}

/// The speakers that label a turn in `paragraphs`.
fn used_speakers(paragraphs: &[String]) -> Vec<(&'static str, &'static str)> {
    SPEAKERS
        .iter()
        .copied()
        .filter(|(name, _)| {
            paragraphs
                .iter()
                .any(|p| p.strip_prefix(name).is_some_and(|r| r.starts_with(": ")))
        })
        .collect()
}

fn render(header: &[String], id: &str, body: &[String]) -> String {
    let mut out = String::from("---\n");
    for line in header {
        out.push_str(line);
        out.push('\n');
    }
    for (name, role) in used_speakers(body) {
        writeln!(out, "speaker: {name} ({role})").unwrap();
    }
    writeln!(out, "id: {id}").unwrap();
    out.push_str("---\n");
    for p in body {
        out.push('\n');
        out.push_str(p);
        out.push('\n');
    }
    out
}

/// One large document of at least `size` bytes: the first example's header,
/// then numbered parts `# Part N`, each holding every block of one example
/// (in turn), its headings one level down.
pub fn large_document(size: usize, seed: u64) -> String {
    let examples = examples();
    let mut rng = Rng::new(seed);
    let mut clock = 0;
    let mut body: Vec<String> = Vec::new();
    let mut len = 0;
    let mut part = 0;
    while len < size {
        part += 1;
        let example = &examples[(part - 1) % examples.len()];
        let heading = format!("# Part {part}");
        len += heading.len() + 2;
        body.push(heading);
        for block in &example.blocks {
            for p in vary(block, &mut rng, &mut clock, 2) {
                len += p.len() + 2;
                body.push(p);
            }
        }
    }
    render(&examples[0].header, &format!("bench-large-{size}"), &body)
}

/// A file of the folder: one example's header (its title numbered, a date of
/// its own), its first block, and a random selection of its other blocks
/// (some repeated) up to a random size around 10 KB.
pub fn folder_file(n: usize, examples: &[Example], rng: &mut Rng) -> String {
    let example = &examples[n % examples.len()];
    let target = KIB + rng.below(14 * KIB);
    let mut clock = 0;
    let mut body = Vec::new();
    let mut len = 0;
    let (first, others) = example.blocks.split_first().expect("an example has blocks");
    let mut take = |block: &[String], rng: &mut Rng, body: &mut Vec<String>| {
        for p in vary(block, rng, &mut clock, 1) {
            len += p.len() + 2;
            body.push(p);
        }
        len
    };
    take(first, rng, &mut body);
    // The block that opens the questions' section comes first among the others.
    let section_start = others.iter().position(|b| b[0].starts_with('#'));
    if let Some(i) = section_start {
        take(&others[i], rng, &mut body);
    }
    let rest: Vec<&Vec<String>> = others
        .iter()
        .enumerate()
        .filter(|(i, _)| Some(*i) != section_start)
        .map(|(_, b)| b)
        .collect();
    while !rest.is_empty() && take(rest[rng.below(rest.len())], rng, &mut body) < target {}
    let header: Vec<String> = example
        .header
        .iter()
        .map(|line| {
            if let Some(title) = line.strip_prefix("title: ") {
                format!("title: {title} (no. {n})")
            } else if line.starts_with("date: ") {
                let (y, m, d) = (1995 + rng.below(30), 1 + rng.below(12), 1 + rng.below(28));
                format!("date: {y}-{m:02}-{d:02}")
            } else {
                line.clone()
            }
        })
        .collect();
    render(&header, &format!("bench-{n:05}"), &body)
}

/// The registry the generated files use (the examples' one).
pub fn registry_text() -> String {
    std::fs::read_to_string(Path::new(REPO).join("examples/transcripts.json"))
        .expect("examples/transcripts.json is readable")
}
