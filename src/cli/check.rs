//! `transcript-ls check`: reads the files, analyses them in parallel, adds
//! the cross-file rules and the registries' own problems, and reports.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use rayon::prelude::*;

use super::inputs::{self, Registries, Source};
use super::report::{self, FileReport, Format};
use crate::analysis::{self, Severity, workspace};
use crate::registry::Loaded;

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
    let (sources, mut errors) = inputs::collect(&paths);
    let texts: Vec<Result<String, String>> = sources.par_iter().map(inputs::read).collect();
    let mut registries = Registries::default();
    let mut files = Vec::new();
    for (source, text) in sources.iter().zip(texts) {
        let registry = registries.for_dir(&inputs::folder_of(source));
        match (text, registry) {
            (Ok(text), Ok(registry)) => files.push((source, text, registry)),
            (Err(e), _) | (_, Err(e)) => errors.push(e),
        }
    }
    if !errors.is_empty() {
        for e in &errors {
            eprintln!("error: {e}");
        }
        return ExitCode::from(2);
    }
    let reports = analyse(&files, &registries.loaded());
    let color = args.format == Format::Human
        && std::io::stdout().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let out = report::render(args.format, &reports, color);
    let mut stdout = std::io::stdout().lock();
    if stdout
        .write_all(out.as_bytes())
        .and_then(|_| stdout.flush())
        .is_err()
    {
        return ExitCode::from(2);
    }
    let count = |s: Severity| {
        reports
            .iter()
            .flat_map(|r| &r.diagnostics)
            .filter(|d| d.severity == s)
            .count()
    };
    let (errors, warnings) = (count(Severity::Error), count(Severity::Warning));
    eprintln!("{}", summary(files.len(), errors, warnings));
    let failed = errors > 0 || (args.deny == Some(Deny::Warnings) && warnings > 0);
    if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn summary(files: usize, errors: usize, warnings: usize) -> String {
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    format!(
        "checked {}: {}, {}",
        plural(files, "file"),
        plural(errors, "error"),
        plural(warnings, "warning")
    )
}

type Checked<'a> = (&'a Source, String, Option<Arc<Loaded>>);

/// The report of every file, then of every registry that has problems.
fn analyse(files: &[Checked], registries: &[Arc<Loaded>]) -> Vec<FileReport> {
    let analyses: Vec<analysis::Analysis> = files
        .par_iter()
        .map(|(_, text, reg)| analysis::analyze(text, reg.as_deref().map(|r| &r.registry)))
        .collect();
    let names: Vec<PathBuf> = files
        .iter()
        .map(|(s, ..)| PathBuf::from(display_name(s)))
        .collect();
    let docs: Vec<(&Path, &crate::syntax::Document)> = names
        .iter()
        .map(PathBuf::as_path)
        .zip(analyses.iter().map(|a| &a.syntax))
        .collect();
    let mut reports: Vec<FileReport> = files
        .iter()
        .zip(analyses.iter())
        .map(|((source, text, _), a)| {
            FileReport::new(display_name(source), text.clone(), a.diagnostics.clone())
        })
        .collect();
    for (i, d) in workspace::duplicate_ids(&docs) {
        let registry = files[i].2.as_deref().map(|r| &r.registry);
        reports[i]
            .diagnostics
            .extend(analysis::apply_severities(vec![d], registry));
    }
    for r in &mut reports {
        r.diagnostics.sort_by_key(|d| (d.span.start, d.span.end));
    }
    for reg in registries
        .iter()
        .filter(|r| !r.registry.problems.is_empty())
    {
        reports.push(FileReport::new(
            relative(&reg.path),
            reg.text.clone(),
            reg.registry.problems.clone(),
        ));
    }
    reports
}

fn display_name(source: &Source) -> String {
    match source {
        Source::File(p) => relative(p),
        Source::Stdin => "<stdin>".to_string(),
    }
}

/// A path relative to the current folder where it is below it.
fn relative(path: &Path) -> String {
    let cwd = std::env::current_dir().ok();
    let shown = cwd
        .as_deref()
        .and_then(|c| path.strip_prefix(c).ok())
        .unwrap_or(path);
    shown
        .strip_prefix("./")
        .unwrap_or(shown)
        .display()
        .to_string()
}
