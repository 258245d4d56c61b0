//! `transcript-ls check`: reads the files, analyses them in parallel, adds
//! the cross-file rules and the registries' own problems, and reports.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use rayon::prelude::*;

use super::inputs::{self, FileArgs, Shard, Source};
use super::report::{self, FileReport, Format};
use super::terminal::{self, say};
use crate::analysis::{self, Severity, workspace};
use crate::diagnostic::Diagnostic;
use crate::registry::{self, Loaded};
use crate::syntax::Document;

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
    let mut registries = registry::Cache::default();
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
    // Each file is read and analysed on one thread, in parallel.
    let results: Vec<Result<Checked, String>> = selected
        .into_par_iter()
        .map(|(source, registry)| {
            let text = inputs::read(&source, limits.file)?;
            let registry = registry?;
            let analysis = analysis::analyze(&text, registry.as_deref().map(|r| &r.registry));
            Ok(Checked {
                name: display_name(&source, cwd.as_deref()),
                text,
                diagnostics: analysis.diagnostics,
                // Only the header is kept: `duplicate-id` compares the files' ids.
                header: Document {
                    header: analysis.syntax.header,
                    ..Document::default()
                },
                registry,
            })
        })
        .collect();
    let mut files = Vec::with_capacity(results.len());
    for result in results {
        match result {
            Ok(checked) => files.push(checked),
            Err(e) => errors.push(e),
        }
    }
    if !errors.is_empty() {
        for e in &errors {
            say!("error: {e}");
        }
        return ExitCode::from(2);
    }
    let mut loaded = registries.loaded();
    if let Some(shard) = args.shard {
        loaded.retain(|r| {
            shard.contains(&inputs::shard_key(Path::new(&relative(
                &r.path,
                cwd.as_deref(),
            ))))
        });
    }
    let checked = files.len();
    let reports = reports(files, &loaded, cwd.as_deref());
    let color = args.format == Format::Human
        && std::io::stdout().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let out = report::render(args.format, &reports, color);
    // A reader that went away (`| head -1`) wants no more; the status stands.
    let _ = terminal::print(out.as_bytes());
    let count = |s: Severity| {
        reports
            .iter()
            .flat_map(|r| &r.diagnostics)
            .filter(|d| d.severity == s)
            .count()
    };
    let (errors, warnings) = (count(Severity::Error), count(Severity::Warning));
    let files = match args.shard {
        None => plural(checked, "file"),
        Some(s) => format!(
            "{checked} of {} (shard {}/{})",
            plural(total, "file"),
            s.index,
            s.count
        ),
    };
    say!("{}", summary(&files, errors, warnings));
    let failed = errors > 0 || (args.deny == Some(Deny::Warnings) && warnings > 0);
    if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
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

/// A file read and analysed.
struct Checked {
    name: String,
    text: String,
    diagnostics: Vec<Diagnostic>,
    /// The file's model with its header only.
    header: Document,
    registry: Option<Arc<Loaded>>,
}

/// The report of every file that has diagnostics, then of every registry
/// that has problems. Cross-file rules are added here.
fn reports(
    mut files: Vec<Checked>,
    registries: &[Arc<Loaded>],
    cwd: Option<&Path>,
) -> Vec<FileReport> {
    let duplicates = {
        let names: Vec<PathBuf> = files.iter().map(|f| PathBuf::from(&f.name)).collect();
        let docs: Vec<(&Path, &Document)> = names
            .iter()
            .map(PathBuf::as_path)
            .zip(files.iter().map(|f| &f.header))
            .collect();
        workspace::duplicate_ids(&docs)
    };
    for (i, d) in duplicates {
        let f = &mut files[i];
        let registry = f.registry.as_deref().map(|r| &r.registry);
        f.diagnostics
            .extend(analysis::apply_severities(vec![d], registry));
        f.diagnostics.sort_by_key(|d| (d.span.start, d.span.end));
    }
    // Only files with something to say need a report (and its line index).
    let mut reports: Vec<FileReport> = files
        .into_par_iter()
        .filter(|f| !f.diagnostics.is_empty())
        .map(|f| FileReport::new(f.name, f.text, f.diagnostics))
        .collect();
    for reg in registries
        .iter()
        .filter(|r| !r.registry.problems.is_empty())
    {
        reports.push(FileReport::new(
            relative(&reg.path, cwd),
            reg.text.clone(),
            reg.registry.problems.clone(),
        ));
    }
    reports
}

fn display_name(source: &Source, cwd: Option<&Path>) -> String {
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
