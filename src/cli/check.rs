//! `transcript-ls check`: reads the files, analyses them in parallel, adds
//! the cross-file rules and the registries' own problems, and reports.

use std::collections::HashMap;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use rayon::prelude::*;

use super::inputs::{self, FileArgs, Shard, Source};
use super::report::{self, FileReport, Format, Location};
use super::terminal::say;
use crate::analysis::{self, Severity, workspace};
use crate::diagnostic::Diagnostic;
use crate::registry::{self, Loaded};
use crate::syntax::{self, Document, Span};

#[derive(clap::Args, Debug)]
pub struct CheckArgs {
    /// Files and folders to check (`-` reads standard input). Default: the current folder.
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Fail (exit 1) on warnings too: `--deny warnings`.
    #[arg(long, value_enum, value_name = "LEVEL")]
    pub deny: Option<Deny>,
    /// Check only shard K of N (numbered from 1): a stable share of the files,
    /// chosen by a hash of each file's path relative to the folder named on
    /// the command line, so that N CI jobs check every file exactly once.
    #[arg(long, value_name = "K/N", value_parser = Shard::parse)]
    pub shard: Option<Shard>,
    #[command(flatten)]
    pub files: FileArgs,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq)]
pub enum Deny {
    Warnings,
}

pub fn run(args: &CheckArgs) -> ExitCode {
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    let (keyed, mut errors) = inputs::collect_keyed(&paths, args.files.walk());
    let limits = args.files.limits();
    let total = keyed.len();
    if let Some(shard) = args.shard
        && keyed.iter().any(|k| matches!(k.source, Source::Stdin))
    {
        say!(
            "error: --shard {}/{} cannot check standard input (`-`): name files or folders",
            shard.index,
            shard.count
        );
        return ExitCode::from(2);
    }
    // Every file's registry is found, in or out of the shard, so that each
    // registry's own problems are reported by exactly one shard.
    let registries = registry::Cache::default();
    let selected: Vec<(Source, RegistryFound)> = keyed
        .into_iter()
        .filter_map(|k| {
            let registry = registries.for_dir(&inputs::folder_of(&k.source), |path| {
                inputs::read_registry(path, limits.registry)
            });
            let mine = args.shard.is_none_or(|s| s.contains(&k.key));
            mine.then_some((k.source, registry))
        })
        .collect();
    let cwd = std::env::current_dir().ok();
    // Pass one: every file read, in parallel, for its `id` only, so that
    // `duplicate-id` is known before any report is written; and a file that
    // cannot be read stops the run before anything is printed.
    let firsts: Vec<Result<First, String>> = selected
        .par_iter()
        .map(|(source, registry)| {
            let text = inputs::read(source, limits.file)?;
            registry.clone()?;
            Ok(First::new(
                display_name(source, cwd.as_deref()),
                text,
                source,
            ))
        })
        .collect();
    let mut files = Vec::with_capacity(firsts.len());
    for first in firsts {
        match first {
            Ok(first) => files.push(first),
            Err(e) => errors.push(e),
        }
    }
    if !errors.is_empty() {
        for e in &errors {
            say!("error: {e}");
        }
        return ExitCode::from(2);
    }
    let duplicates = duplicates(&files);
    let mut loaded = registries.loaded();
    if let Some(shard) = args.shard {
        loaded.retain(|r| {
            shard.contains(&inputs::shard_key(Path::new(&relative(
                &r.path,
                cwd.as_deref(),
            ))))
        });
    }
    let color = args.format == Format::Human
        && std::io::stdout().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    // Pass two: in chunks, read and analysed in parallel and written in
    // order, so that memory holds one chunk, however many problems there are.
    let mut out = Output::begin(args.format);
    let mut counts = Counts::default();
    let mut failed_reads = Vec::new();
    let indices: Vec<usize> = (0..files.len()).collect();
    for chunk in indices.chunks(CHUNK) {
        let rendered: Vec<Result<(Vec<String>, Counts), String>> = chunk
            .par_iter()
            .map(|&i| {
                let (source, registry) = &selected[i];
                let text = match files[i].stdin.clone() {
                    Some(text) => text,
                    None => inputs::read(source, limits.file)?,
                };
                let registry = registry.clone()?;
                let registry = registry.as_deref().map(|r| &r.registry);
                let mut diagnostics = analysis::analyze(&text, registry).diagnostics;
                if let Some(d) = duplicates.diagnostics.get(&i) {
                    diagnostics.extend(analysis::apply_severities(vec![d.clone()], registry));
                    diagnostics.sort_by_key(|d| (d.span.start, d.span.end));
                }
                let counts = Counts::of(&diagnostics);
                if diagnostics.is_empty() {
                    return Ok((Vec::new(), counts));
                }
                let report = FileReport::new(files[i].name.clone(), text, diagnostics);
                Ok((
                    report::render(args.format, &report, &duplicates.places, color),
                    counts,
                ))
            })
            .collect();
        for result in rendered {
            match result {
                Ok((items, c)) => {
                    counts.add(c);
                    out.items(&items);
                }
                Err(e) => failed_reads.push(e),
            }
        }
    }
    for reg in loaded.iter().filter(|r| !r.registry.problems.is_empty()) {
        let report = FileReport::new(
            relative(&reg.path, cwd.as_deref()),
            reg.text().to_string(),
            reg.registry.problems.clone(),
        );
        counts.add(Counts::of(&report.diagnostics));
        out.items(&report::render(
            args.format,
            &report,
            &duplicates.places,
            color,
        ));
    }
    out.end();
    // A file that could be read in pass one and not in pass two changed meanwhile.
    for e in &failed_reads {
        say!("error: {e}");
    }
    let checked = files.len();
    let files = match args.shard {
        None => plural(checked, "file"),
        Some(s) => format!(
            "{checked} of {} (shard {}/{})",
            plural(total, "file"),
            s.index,
            s.count
        ),
    };
    say!("{}", summary(&files, counts.errors, counts.warnings));
    if !failed_reads.is_empty() {
        return ExitCode::from(2);
    }
    let failed = counts.errors > 0 || (args.deny == Some(Deny::Warnings) && counts.warnings > 0);
    if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// Files read, analysed and rendered at once in pass two.
const CHUNK: usize = 256;

/// A file after pass one: its name as the reports give it, its `id`, and
/// its text when it came from standard input (which cannot be read twice).
struct First {
    name: String,
    /// The header only: `duplicate-id` compares the files' ids.
    header: Document,
    /// The id's place, for the reports of the other files that share it.
    id_place: Option<(Span, Location)>,
    stdin: Option<String>,
}

impl First {
    fn new(name: String, text: String, source: &Source) -> First {
        let header = syntax::parse_header_only(&text);
        let (text, id_place) = match workspace::id_of(&header) {
            Some((_, span)) => {
                let report = FileReport::new(String::new(), text, Vec::new());
                let location = report.location(&span);
                (report.text, Some((span, location)))
            }
            None => (text, None),
        };
        First {
            name,
            header,
            id_place,
            stdin: matches!(source, Source::Stdin).then_some(text),
        }
    }
}

/// `duplicate-id` across the run: the diagnostic of each file whose id
/// another file has (capped, however many share it), and the located ids
/// those diagnostics point at.
struct Duplicates {
    diagnostics: HashMap<usize, Diagnostic>,
    places: report::Elsewhere,
}

fn duplicates(files: &[First]) -> Duplicates {
    let names: Vec<PathBuf> = files.iter().map(|f| PathBuf::from(&f.name)).collect();
    let docs: Vec<(&Path, &Document)> = names
        .iter()
        .map(PathBuf::as_path)
        .zip(files.iter().map(|f| &f.header))
        .collect();
    let diagnostics: HashMap<usize, Diagnostic> =
        workspace::duplicate_ids(&docs).into_iter().collect();
    let places = diagnostics
        .keys()
        .filter_map(|&i| Some((files[i].name.clone(), files[i].id_place.clone()?)))
        .collect();
    Duplicates {
        diagnostics,
        places,
    }
}

/// Errors and warnings counted.
#[derive(Default, Clone, Copy)]
struct Counts {
    errors: usize,
    warnings: usize,
}

impl Counts {
    fn of(diagnostics: &[Diagnostic]) -> Counts {
        let count = |s: Severity| diagnostics.iter().filter(|d| d.severity == s).count();
        Counts {
            errors: count(Severity::Error),
            warnings: count(Severity::Warning),
        }
    }

    fn add(&mut self, other: Counts) {
        self.errors += other.errors;
        self.warnings += other.warnings;
    }
}

/// The report on standard output, written as it goes; a reader that went
/// away (`| head -1`) wants no more, and the status stands.
struct Output(Option<report::Writer<std::io::StdoutLock<'static>>>);

impl Output {
    fn begin(format: Format) -> Output {
        Output(report::Writer::begin(format, std::io::stdout().lock()).ok())
    }

    fn items(&mut self, items: &[String]) {
        if let Some(w) = &mut self.0
            && w.items(items).is_err()
        {
            self.0 = None;
        }
    }

    fn end(self) {
        if let Some(w) = self.0 {
            let _ = w.end();
        }
    }
}

fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

fn summary(files: &str, errors: usize, warnings: usize) -> String {
    format!(
        "checked {files}: {}, {}",
        plural(errors, "error"),
        plural(warnings, "warning")
    )
}

/// The registry that applies to a file, or why it could not be read.
type RegistryFound = Result<Option<Arc<Loaded>>, String>;

/// A file's name in messages and reports: relative to the current folder
/// where it is below it; `<stdin>` for standard input.
pub(super) fn display_name(source: &Source, cwd: Option<&Path>) -> String {
    match source {
        Source::File(p) => relative(p, cwd),
        Source::Stdin => "<stdin>".to_string(),
    }
}

/// A path relative to the current folder where it is below it.
fn relative(path: &Path, cwd: Option<&Path>) -> String {
    let shown = cwd.and_then(|c| path.strip_prefix(c).ok()).unwrap_or(path);
    shown
        .strip_prefix("./")
        .unwrap_or(shown)
        .display()
        .to_string()
}
