//! `transcript-ls check`: reads the files, analyses them in parallel, adds
//! the cross-file rules and the registries' own problems, and reports.
//! With `--fix` it first applies the fixes (through the safe writer) and
//! reports what remains; with `--diff` it prints them and writes nothing;
//! with `--statistics` it counts the problems by rule instead of listing them.

use std::collections::{BTreeMap, HashMap};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use rayon::prelude::*;

use super::diff;
use super::inputs::{self, FileArgs, Shard, Source};
use super::report::{self, FileReport, Format, Location};
use super::terminal::{self, say};
use super::write;
use crate::analysis::fixes::{self, Applicability};
use crate::analysis::{self, Rule, Severity, workspace};
use crate::diagnostic::Diagnostic;
use crate::escape::shown;
use crate::registry::{self, Loaded, Registry};
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
    /// Apply the safe fixes, write the files that change (never standard
    /// input), and report what remains.
    #[arg(long, group = "fixing")]
    pub fix: bool,
    /// Print the fixes as a unified diff; write nothing, report nothing else.
    #[arg(long, group = "fixing", conflicts_with_all = ["statistics", "format"])]
    pub diff: bool,
    /// With --fix or --diff: apply the unsafe fixes too (guesses that may change what the text says).
    #[arg(long, requires = "fixing")]
    pub unsafe_fixes: bool,
    /// Instead of the problems, one line per rule with its count, most frequent first.
    #[arg(long, conflicts_with = "format")]
    pub statistics: bool,
    #[command(flatten)]
    pub files: FileArgs,
}

/// What `--fix` and `--diff` do.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Fixing {
    /// Write the fixed files.
    Write(Applicability),
    /// Print the diff of the fixes.
    Diff(Applicability),
}

impl CheckArgs {
    fn fixing(&self) -> Option<Fixing> {
        let level = if self.unsafe_fixes {
            Applicability::Unsafe
        } else {
            Applicability::Safe
        };
        match (self.fix, self.diff) {
            (true, _) => Some(Fixing::Write(level)),
            (_, true) => Some(Fixing::Diff(level)),
            _ => None,
        }
    }
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
    let fixing = args.fixing();
    if matches!(fixing, Some(Fixing::Write(_)))
        && keyed.iter().any(|k| matches!(k.source, Source::Stdin))
    {
        say!("error: --fix cannot write standard input (`-`): use --diff to see the fixes");
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
    // cannot be read stops the run before anything is printed. The fixes
    // are made here, so that the ids compared are those of the fixed files.
    let firsts: Vec<Result<First, String>> = selected
        .par_iter()
        .map(|(source, registry)| {
            let name = display_name(source, cwd.as_deref());
            let loaded = registry.clone()?;
            let registry = loaded.as_deref().map(|r| &r.registry);
            let stdin = |text: &str| matches!(source, Source::Stdin).then(|| text.to_string());
            Ok(match (fixing, source) {
                (Some(Fixing::Write(level)), Source::File(path)) => {
                    let (text, fixed) = fix_in_place(path, limits.file, registry, level)?;
                    First::new(name, text, None, fixed)
                }
                (Some(Fixing::Diff(level)), _) => {
                    let text = inputs::read(source, limits.file)?;
                    let out = fixes::fix_all(&text, registry, level);
                    First::new(name, out.text, stdin(&text), out.fixed.len())
                }
                _ => {
                    let text = inputs::read(source, limits.file)?;
                    let kept = stdin(&text);
                    First::new(name, text, kept, 0)
                }
            })
        })
        .collect();
    let mut files = Vec::with_capacity(firsts.len());
    for first in firsts {
        match first {
            Ok(first) => files.push(first),
            Err(e) => errors.push(e),
        }
    }
    let (fixed, fixed_files) = (
        files.iter().map(|f| f.fixed).sum::<usize>(),
        files.iter().filter(|f| f.fixed > 0).count(),
    );
    if !errors.is_empty() {
        for e in &errors {
            say!("error: {e}");
        }
        if matches!(fixing, Some(Fixing::Write(_))) {
            say!(
                "fixed {} in {} before stopping",
                plural(fixed, "problem"),
                plural(fixed_files, "file")
            );
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
    let terminal_out = std::io::stdout().is_terminal();
    let color = args.format == Format::Human
        && terminal_out
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    // Pass two: in chunks, read and analysed in parallel and written in
    // order, so that memory holds one chunk, however many problems there are.
    let mut out = if matches!(fixing, Some(Fixing::Diff(_))) {
        Output::Plain(true)
    } else if args.statistics {
        Output::Nothing
    } else {
        Output::begin(args.format)
    };
    let mut counts = Counts::default();
    let mut failed_reads = Vec::new();
    let reporting = matches!(out, Output::Report(_));
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
                // With --diff, what the fixes would leave; with --fix, the
                // file is read as pass one wrote it.
                let (text, analysis, diff) = match fixing {
                    Some(Fixing::Diff(level)) => {
                        let out = fixes::fix_all(&text, registry, level);
                        let diff = diff::unified(&files[i].name, &text, &out.text, !terminal_out);
                        (out.text, out.analysis, diff)
                    }
                    _ => {
                        let analysis = analysis::analyze(&text, registry);
                        (text, analysis, None)
                    }
                };
                let mut diagnostics = analysis.diagnostics;
                if let Some(d) = duplicates.diagnostics.get(&i) {
                    diagnostics.extend(analysis::cross_file(
                        &text,
                        &analysis.syntax,
                        vec![d.clone()],
                        registry,
                        &analysis::UserRules::new(),
                    ));
                    diagnostics.sort_by_key(|d| (d.span.start, d.span.end));
                }
                let counts = Counts::of(&diagnostics);
                if !reporting || diagnostics.is_empty() {
                    return Ok((diff.into_iter().collect(), counts));
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
                    counts.add(&c);
                    out.items(&items);
                }
                Err(e) => failed_reads.push(e),
            }
        }
    }
    for reg in loaded.iter().filter(|r| r.registry.problem_count() > 0) {
        let report = FileReport::new(
            relative(&reg.path, cwd.as_deref()),
            reg.text().to_string(),
            reg.registry.problems(),
        );
        counts.add(&Counts::of(&report.diagnostics));
        if reporting {
            out.items(&report::render(
                args.format,
                &report,
                &duplicates.places,
                color,
            ));
        }
    }
    out.end();
    if args.statistics {
        let _ = terminal::print(statistics(&counts.by_rule).as_bytes());
    }
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
    if let Some(fixing) = fixing {
        let (did, left) = match fixing {
            Fixing::Diff(_) => ("would fix", "would remain"),
            Fixing::Write(_) if counts.total == 1 => ("fixed", "remains"),
            Fixing::Write(_) => ("fixed", "remain"),
        };
        say!(
            "{did} {} in {}, {} {left}",
            plural(fixed, "problem"),
            plural(fixed_files, "file"),
            counts.total
        );
    }
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

/// A file after pass one: its name as the reports give it, its `id`, its
/// text when it came from standard input (which cannot be read twice), and
/// how many problems `--fix` or `--diff` fixed in it.
struct First {
    name: String,
    /// The header only: `duplicate-id` compares the files' ids.
    header: Document,
    /// The id's place, for the reports of the other files that share it.
    id_place: Option<(Span, Location)>,
    stdin: Option<String>,
    fixed: usize,
}

impl First {
    /// `text` is the file as checked (fixed, with `--fix` or `--diff`).
    fn new(name: String, text: String, stdin: Option<String>, fixed: usize) -> First {
        let header = syntax::parse_header_only(&text);
        let id_place = workspace::id_of(&header).map(|(_, span)| {
            let report = FileReport::new(String::new(), text, Vec::new());
            let location = report.location(&span);
            (span, location)
        });
        First {
            name,
            header,
            id_place,
            stdin,
            fixed,
        }
    }
}

/// Applies the fixes of `level` to a file, through the safe writer (which
/// reads it again under a lock and fixes that text): its text as it is
/// now, and how many problems were fixed. A file with nothing to fix is
/// only read, so that read-only files with nothing to fix are no error.
fn fix_in_place(
    path: &Path,
    limit: u64,
    registry: Option<&Registry>,
    level: Applicability,
) -> Result<(String, usize), String> {
    let text = inputs::read(&Source::File(path.to_path_buf()), limit)?;
    if fixes::fix_all(&text, registry, level).fixed.is_empty() {
        return Ok((text, 0));
    }
    let mut done = None;
    write::update(path, limit, |text| {
        let out = fixes::fix_all(text, registry, level);
        let new = (out.text != text).then(|| out.text.clone());
        done = Some((out.text, out.fixed.len()));
        new
    })
    .map_err(|e| e.to_string())?;
    // The writer gives the text to the edit before it returns.
    done.ok_or_else(|| format!("{}: not read", shown(&path.display().to_string())))
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

/// Problems counted: errors, warnings, all, and by rule.
#[derive(Default, Clone)]
struct Counts {
    errors: usize,
    warnings: usize,
    total: usize,
    by_rule: BTreeMap<Rule, usize>,
}

impl Counts {
    fn of(diagnostics: &[Diagnostic]) -> Counts {
        let count = |s: Severity| diagnostics.iter().filter(|d| d.severity == s).count();
        let mut by_rule = BTreeMap::new();
        for d in diagnostics {
            *by_rule.entry(d.rule).or_default() += 1;
        }
        Counts {
            errors: count(Severity::Error),
            warnings: count(Severity::Warning),
            total: diagnostics.len(),
            by_rule,
        }
    }

    fn add(&mut self, other: &Counts) {
        self.errors += other.errors;
        self.warnings += other.warnings;
        self.total += other.total;
        for (rule, n) in &other.by_rule {
            *self.by_rule.entry(*rule).or_default() += n;
        }
    }
}

/// `--statistics`: one line per rule, its count then its name, most
/// frequent first (then by name).
fn statistics(by_rule: &BTreeMap<Rule, usize>) -> String {
    let mut rows: Vec<(&Rule, &usize)> = by_rule.iter().collect();
    rows.sort_by(|a, b| b.1.cmp(a.1).then_with(|| a.0.name().cmp(b.0.name())));
    let width = rows.first().map_or(1, |(_, n)| n.to_string().len());
    rows.iter()
        .map(|(rule, n)| format!("{n:>width$}  {}\n", rule.name()))
        .collect()
}

/// What goes to standard output as it goes: the report, the diffs of
/// `--diff` as they are, or nothing (`--statistics` comes at the end). A
/// reader that went away (`| head -1`) wants no more, and the status stands.
enum Output {
    Report(Option<report::Writer<std::io::StdoutLock<'static>>>),
    /// Whether standard output is still open.
    Plain(bool),
    Nothing,
}

impl Output {
    fn begin(format: Format) -> Output {
        Output::Report(report::Writer::begin(format, std::io::stdout().lock()).ok())
    }

    fn items(&mut self, items: &[String]) {
        match self {
            Output::Report(writer) => {
                if let Some(w) = writer
                    && w.items(items).is_err()
                {
                    *writer = None;
                }
            }
            Output::Plain(open) => {
                for item in items {
                    *open = *open && terminal::print(item.as_bytes()).is_ok();
                }
            }
            Output::Nothing => {}
        }
    }

    fn end(self) {
        if let Output::Report(Some(w)) = self {
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
