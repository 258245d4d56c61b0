//! `transcript-ls stats`: reads transcripts as `check` does, counts each
//! with `analysis::stats`, adds the counts up, and prints them as compact
//! aligned tables (`human`) or as JSON (documented in docs/export.md).

use std::path::PathBuf;
use std::process::ExitCode;

use rayon::prelude::*;
use serde::Serialize;
use unicode_width::UnicodeWidthStr;

use super::check::display_name;
use super::inputs::{self, FileArgs, Source};
use super::terminal::{self, say};
use crate::analysis::stats::{EntityTally, Mentioned, Stats};
use crate::analysis::{self};
use crate::escape::{json_safe, shown};
use crate::registry::{self, Loaded};

#[derive(clap::Args, Debug)]
pub struct StatsArgs {
    /// Files and folders to count (`-` reads standard input). Default: the current folder.
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = StatsFormat::Human)]
    pub format: StatsFormat,
    #[command(flatten)]
    pub files: FileArgs,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum StatsFormat {
    Human,
    Json,
}

pub fn run(args: &StatsArgs) -> ExitCode {
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    let (sources, mut errors) = inputs::collect(&paths, args.files.walk());
    let limits = args.files.limits();
    let registries = registry::Cache::default();
    let with_registry: Vec<(Source, RegistryFound)> = sources
        .into_iter()
        .map(|source| {
            let registry = registries.for_dir(&inputs::folder_of(&source), |path| {
                inputs::read_registry(path, limits.registry)
            });
            (source, registry)
        })
        .collect();
    let cwd = std::env::current_dir().ok();
    let counted: Vec<Result<(String, Stats), String>> = with_registry
        .into_par_iter()
        .map(|(source, registry)| {
            let text = inputs::read(&source, limits.file)?;
            let registry = registry?;
            let registry = registry.as_deref().map(|r| &r.registry);
            let analysis = analysis::analyze(&text, registry);
            Ok((
                display_name(&source, cwd.as_deref()),
                Stats::of_file(&text, &analysis.syntax, registry),
            ))
        })
        .collect();
    let mut files = Vec::with_capacity(counted.len());
    for c in counted {
        match c {
            Ok(f) => files.push(f),
            Err(e) => errors.push(e),
        }
    }
    if !errors.is_empty() {
        for e in &errors {
            say!("error: {e}");
        }
        return ExitCode::from(2);
    }
    let mut total = Stats::default();
    for (_, s) in &files {
        total.add(s);
    }
    let out = match args.format {
        StatsFormat::Human => human(&files, &total),
        StatsFormat::Json => json(&files, &total),
    };
    let _ = terminal::print(out.as_bytes());
    ExitCode::SUCCESS
}

/// The registry that applies to a file, or why it could not be read.
type RegistryFound = Result<Option<std::sync::Arc<Loaded>>, String>;

/// The JSON output: every file's counts, then the collection's.
#[derive(Serialize)]
struct JsonStats<'a> {
    version: &'static str,
    files: Vec<JsonCounts<'a>>,
    total: JsonCounts<'a>,
}

#[derive(Serialize)]
struct JsonCounts<'a> {
    /// The file's name; absent in the total.
    #[serde(skip_serializing_if = "Option::is_none")]
    file: Option<&'a str>,
    files: usize,
    turns: usize,
    questions: usize,
    words: usize,
    narration: usize,
    narration_words: usize,
    speakers: Vec<JsonSpeaker<'a>>,
    outlets: Vec<JsonOutlet<'a>>,
    entities: Vec<JsonEntity<'a>>,
}

#[derive(Serialize)]
struct JsonSpeaker<'a> {
    name: &'a str,
    turns: usize,
    words: usize,
    /// The speaker's words over all the words of the turns.
    share: f64,
}

#[derive(Serialize)]
struct JsonOutlet<'a> {
    outlet: Option<&'a str>,
    questions: usize,
}

#[derive(Serialize)]
struct JsonEntity<'a> {
    id: Option<&'a str>,
    name: Option<&'a str>,
    #[serde(rename = "type")]
    kind: Option<&'a str>,
    /// The reference as written, for one that is neither an entity nor a type.
    reference: Option<&'a str>,
    mentions: usize,
    files: usize,
}

fn json(files: &[(String, Stats)], total: &Stats) -> String {
    let out = JsonStats {
        version: "1",
        files: files
            .iter()
            .map(|(name, s)| counts(Some(name), s))
            .collect(),
        total: counts(None, total),
    };
    let mut json = serde_json::to_string_pretty(&out).expect("stats serialise");
    json.push('\n');
    json_safe(json)
}

fn counts<'a>(file: Option<&'a str>, s: &'a Stats) -> JsonCounts<'a> {
    JsonCounts {
        file,
        files: s.files,
        turns: s.turns,
        questions: s.questions,
        words: s.words,
        narration: s.narration,
        narration_words: s.narration_words,
        speakers: speakers(s)
            .into_iter()
            .map(|(name, t)| JsonSpeaker {
                name,
                turns: t.turns,
                words: t.words,
                share: share(t.words, s.words),
            })
            .collect(),
        outlets: outlets(s)
            .into_iter()
            .map(|(outlet, questions)| JsonOutlet { outlet, questions })
            .collect(),
        entities: entities(s)
            .into_iter()
            .map(|(m, t)| {
                let (id, name, kind, reference) = match m {
                    Mentioned::Entity { id, name, kind } => (
                        Some(id.as_str()),
                        Some(name.as_str()),
                        kind.as_deref(),
                        None,
                    ),
                    Mentioned::AdHoc { kind, surface } => {
                        (None, Some(surface.as_str()), Some(kind.as_str()), None)
                    }
                    Mentioned::Unknown { reference } => {
                        (None, None, None, Some(reference.as_str()))
                    }
                };
                JsonEntity {
                    id,
                    name,
                    kind,
                    reference,
                    mentions: t.mentions,
                    files: t.files,
                }
            })
            .collect(),
    }
}

fn share(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

/// Speakers, most words first.
fn speakers(s: &Stats) -> Vec<(&str, crate::analysis::stats::Tally)> {
    let mut v: Vec<_> = s.speakers.iter().map(|(n, t)| (n.as_str(), *t)).collect();
    v.sort_by(|a, b| b.1.words.cmp(&a.1.words).then(a.0.cmp(b.0)));
    v
}

/// Outlets, most questions first; questions without attribution last.
fn outlets(s: &Stats) -> Vec<(Option<&str>, usize)> {
    let mut v: Vec<_> = s.outlets.iter().map(|(o, n)| (o.as_deref(), *n)).collect();
    v.sort_by(|a, b| {
        a.0.is_none()
            .cmp(&b.0.is_none())
            .then(b.1.cmp(&a.1))
            .then(a.0.cmp(&b.0))
    });
    v
}

/// Entities, most mentions first.
fn entities(s: &Stats) -> Vec<(&Mentioned, EntityTally)> {
    let mut v: Vec<_> = s.entities.iter().map(|(m, t)| (m, *t)).collect();
    v.sort_by(|a, b| b.1.mentions.cmp(&a.1.mentions).then(a.0.cmp(b.0)));
    v
}

fn human(files: &[(String, Stats)], total: &Stats) -> String {
    let mut out = String::new();
    let mut rows: Vec<Vec<String>> = files
        .iter()
        .map(|(name, s)| {
            vec![
                name.clone(),
                s.turns.to_string(),
                s.questions.to_string(),
                s.words.to_string(),
            ]
        })
        .collect();
    rows.push(vec![
        format!("total ({})", plural(total.files, "file")),
        total.turns.to_string(),
        total.questions.to_string(),
        total.words.to_string(),
    ]);
    out.push_str(&table(&["file", "turns", "questions", "words"], rows));
    if total.narration > 0 {
        out.push_str(&format!(
            "narration outside turns: {}, {} (not in the words above)\n",
            plural(total.narration, "paragraph"),
            plural(total.narration_words, "word")
        ));
    }
    let rows = speakers(total)
        .into_iter()
        .map(|(name, t)| {
            vec![
                name.to_string(),
                t.turns.to_string(),
                t.words.to_string(),
                format!("{:.1}%", share(t.words, total.words) * 100.0),
            ]
        })
        .collect();
    out.push('\n');
    out.push_str(&table(&["speaker", "turns", "words", "share"], rows));
    if !total.outlets.is_empty() {
        let rows = outlets(total)
            .into_iter()
            .map(|(o, n)| vec![o.unwrap_or("(no attribution)").to_string(), n.to_string()])
            .collect();
        out.push('\n');
        out.push_str(&table(&["outlet", "questions"], rows));
    }
    if !total.entities.is_empty() {
        let rows = entities(total)
            .into_iter()
            .map(|(m, t)| {
                let (name, kind) = match m {
                    Mentioned::Entity { id, name, kind } => {
                        (format!("{name} ({id})"), kind.clone().unwrap_or_default())
                    }
                    Mentioned::AdHoc { kind, surface } => (surface.clone(), kind.clone()),
                    Mentioned::Unknown { reference } => {
                        (format!("{{{reference}}}"), "unknown".to_string())
                    }
                };
                vec![name, kind, t.mentions.to_string(), t.files.to_string()]
            })
            .collect();
        out.push('\n');
        out.push_str(&table(&["entity", "type", "mentions", "files"], rows));
    }
    out
}

/// Rows under a header, columns two spaces apart, by display width (wide
/// characters take two columns): names and types left-aligned, numbers
/// right-aligned. Text from files is shown escaped.
fn table(header: &[&str], rows: Vec<Vec<String>>) -> String {
    let rows: Vec<Vec<String>> = std::iter::once(header.iter().map(|h| h.to_string()).collect())
        .chain(rows)
        .map(|row| row.iter().map(|c| shown(c).into_owned()).collect())
        .collect();
    let widths: Vec<usize> = (0..header.len())
        .map(|i| rows.iter().map(|r| r[i].width()).max().unwrap_or(0))
        .collect();
    let mut out = String::new();
    for row in &rows {
        let mut line = String::new();
        for (i, cell) in row.iter().enumerate() {
            let pad = " ".repeat(widths[i] - cell.width());
            if i > 0 {
                line.push_str("  ");
            }
            if i == 0 || header[i] == "type" {
                line.push_str(cell);
                line.push_str(&pad);
            } else {
                line.push_str(&pad);
                line.push_str(cell);
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}
