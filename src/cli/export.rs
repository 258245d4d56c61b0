//! `transcript-ls export`: reads transcripts (folders walked as `check`
//! walks them), analyses each with its registry, and writes it in a format
//! of `crate::export`: to standard output (one file; JSON Lines or one TSV
//! table for several), or with `-o DIR` one file per transcript through the
//! safe writer. Files with errors are skipped unless `--allow-errors`.

use std::collections::HashSet;
use std::io::IsTerminal;
use std::path::{Component, Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use rayon::prelude::*;

use super::check::display_name;
use super::inputs::{self, FileArgs, Keyed, Source};
use super::terminal::{self, say};
use super::write::{self, WriteError};
use crate::analysis::{self, Severity};
use crate::escape::{json_safe, push_shown, shown};
use crate::export::{Facts, json, tei, tsv, webvtt};
use crate::registry::{self, Loaded};
use crate::text::LineIndex;

#[derive(clap::Args, Debug)]
pub struct ExportArgs {
    /// Transcripts and folders to export (`-` reads standard input).
    #[arg(required_unless_present = "schema")]
    pub paths: Vec<PathBuf>,
    /// The format: json, tsv, tei or webvtt.
    #[arg(long = "to", value_enum, required_unless_present = "schema")]
    pub to: Option<ExportFormat>,
    /// Folder for one output file per transcript (created if missing),
    /// named after it: `a/b.transcript` becomes `DIR/a/b.json`. Without it,
    /// the output goes to standard output.
    #[arg(short = 'o', long = "output", value_name = "DIR")]
    pub output: Option<PathBuf>,
    /// Overwrite existing output files.
    #[arg(long)]
    pub force: bool,
    /// Export files that have errors under `check` too.
    #[arg(long)]
    pub allow_errors: bool,
    /// Print the JSON Schema of `--to json` and exit.
    #[arg(long, conflicts_with_all = ["paths", "to", "output"])]
    pub schema: bool,
    #[command(flatten)]
    pub files: FileArgs,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportFormat {
    Json,
    Tsv,
    Tei,
    Webvtt,
}

impl ExportFormat {
    fn extension(self) -> &'static str {
        match self {
            ExportFormat::Json => "json",
            ExportFormat::Tsv => "tsv",
            ExportFormat::Tei => "xml",
            ExportFormat::Webvtt => "vtt",
        }
    }
}

/// What happened to one transcript.
enum Outcome {
    Exported,
    /// Not exported, for a reason in the file (errors, no time codes) or an
    /// output that exists: exit 1.
    Skipped,
    /// A file that could not be read or written: exit 2.
    Failed,
}

pub fn run(args: &ExportArgs) -> ExitCode {
    if args.schema {
        let _ = terminal::print(json::schema().as_bytes());
        return ExitCode::SUCCESS;
    }
    let Some(format) = args.to else {
        say!("error: say which format to export to with --to");
        return ExitCode::from(2);
    };
    let (keyed, errors) = inputs::collect_keyed(&args.paths, args.files.walk());
    if !errors.is_empty() {
        for e in &errors {
            say!("error: {e}");
        }
        return ExitCode::from(2);
    }
    if args.output.is_none()
        && keyed.len() > 1
        && matches!(format, ExportFormat::Tei | ExportFormat::Webvtt)
    {
        say!(
            "error: {} files found; --to {} writes one document per transcript: give a folder with -o DIR",
            keyed.len(),
            clap::ValueEnum::to_possible_value(&format)
                .map_or_else(String::new, |v| v.get_name().to_string())
        );
        return ExitCode::from(2);
    }
    if let Some(dir) = &args.output
        && let Err(e) = std::fs::create_dir_all(dir)
    {
        say!("error: cannot create {}: {e}", name(dir));
        return ExitCode::from(2);
    }
    let cwd = std::env::current_dir().ok();
    let jobs = jobs(args, format, &keyed, cwd.as_deref());
    let mut stdout = Stdout {
        format,
        terminal: std::io::stdout().is_terminal(),
        header_done: false,
        closed: false,
    };
    let (mut exported, mut skipped, mut failed) = (0, 0, 0);
    // Files are read, analysed, rendered (and written, with -o) in parallel,
    // a chunk at a time so that memory stays bounded; what goes to standard
    // output or standard error goes in the order of the files.
    for chunk in jobs.chunks(CHUNK) {
        let done: Vec<Done> = chunk
            .par_iter()
            .map(|job| export_one(args, format, job))
            .collect();
        for d in done {
            for message in &d.messages {
                say!("{message}");
            }
            if let Some(output) = d.output {
                stdout.print(output);
            }
            match d.outcome {
                Outcome::Exported => exported += 1,
                Outcome::Skipped => skipped += 1,
                Outcome::Failed => failed += 1,
            }
        }
    }
    if keyed.len() != 1 || args.output.is_some() {
        let to = args
            .output
            .as_deref()
            .map_or("standard output".to_string(), name);
        say!(
            "export: {exported} of {} exported to {to}{}{}",
            plural(keyed.len()),
            if skipped > 0 {
                format!(", {skipped} skipped")
            } else {
                String::new()
            },
            if failed > 0 {
                format!(", {failed} failed")
            } else {
                String::new()
            },
        );
    }
    if failed > 0 {
        ExitCode::from(2)
    } else if skipped > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// How many files are in memory at once.
const CHUNK: usize = 256;

/// One transcript to export: where from, its registry, where to.
struct Job {
    source: Source,
    name: String,
    registry: Result<Option<Arc<Loaded>>, String>,
    /// The output file (with -o), or why there is none.
    dest: Option<Result<PathBuf, String>>,
}

/// The jobs of the run, with each file's registry (read once each) and
/// output file; an output file that two inputs would share goes to the first.
fn jobs(args: &ExportArgs, format: ExportFormat, keyed: &[Keyed], cwd: Option<&Path>) -> Vec<Job> {
    let limits = args.files.limits();
    let registries = registry::Cache::default();
    let mut written: HashSet<PathBuf> = HashSet::new();
    keyed
        .iter()
        .map(|k| {
            let name = display_name(&k.source, cwd);
            let dest = args.output.as_deref().map(|dir| {
                let dest = dir.join(destination(k, format.extension()));
                if written.insert(dest.clone()) {
                    Ok(dest)
                } else {
                    Err(format!(
                        "error: {} is written from another transcript of the same name; {} not exported",
                        shown(&dest.display().to_string()),
                        shown(&name)
                    ))
                }
            });
            Job {
                registry: registries.for_dir(&inputs::folder_of(&k.source), |path| {
                    inputs::read_registry(path, limits.registry)
                }),
                source: k.source.clone(),
                name,
                dest,
            }
        })
        .collect()
}

/// What became of one transcript: the outcome, messages for standard
/// error, and the output for standard output.
struct Done {
    outcome: Outcome,
    messages: Vec<String>,
    output: Option<String>,
}

impl Done {
    fn new(outcome: Outcome, message: String) -> Done {
        Done {
            outcome,
            messages: vec![message],
            output: None,
        }
    }
}

fn export_one(args: &ExportArgs, format: ExportFormat, job: &Job) -> Done {
    let dest = match &job.dest {
        Some(Err(e)) => return Done::new(Outcome::Skipped, e.clone()),
        Some(Ok(dest)) => Some(dest),
        None => None,
    };
    let registry = match &job.registry {
        Ok(r) => r.as_deref().map(|r| &r.registry),
        Err(e) => return Done::new(Outcome::Failed, format!("error: {e}")),
    };
    let text = match inputs::read(&job.source, args.files.limits().file) {
        Ok(t) => t,
        Err(e) => return Done::new(Outcome::Failed, format!("error: {e}")),
    };
    let analysis = analysis::analyze(&text, registry);
    let errors: Vec<_> = analysis
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    if let Some(first) = errors.first()
        && !args.allow_errors
    {
        let line = LineIndex::new(&text).line_of(first.span.start) + 1;
        return Done::new(
            Outcome::Skipped,
            format!(
                "error: {}: not exported: {} (first: line {line}: {}); see `transcript-ls check`, or export anyway with --allow-errors",
                shown(&job.name),
                if errors.len() == 1 {
                    "1 error".to_string()
                } else {
                    format!("{} errors", errors.len())
                },
                shown(&first.message)
            ),
        );
    }
    let facts = Facts::new(&job.name, &text, &analysis, registry);
    let output = match format {
        ExportFormat::Json => json::render(&facts, dest.is_some()) + "\n",
        ExportFormat::Tsv if dest.is_some() => tsv::render(&facts),
        // On standard output the header row goes once, before the first rows.
        ExportFormat::Tsv => tsv::rows(&facts),
        ExportFormat::Tei => tei::render(&facts),
        ExportFormat::Webvtt => match webvtt::render(&facts) {
            Ok(vtt) => vtt,
            Err(e) => {
                return Done::new(
                    Outcome::Skipped,
                    format!("error: {}: not exported to WebVTT: {e}", shown(&job.name)),
                );
            }
        },
    };
    let Some(dest) = dest else {
        return Done {
            outcome: Outcome::Exported,
            messages: Vec::new(),
            output: Some(output),
        };
    };
    if let Some(parent) = dest.parent()
        && let Err(e) = std::fs::create_dir_all(parent)
    {
        return Done::new(
            Outcome::Failed,
            format!("error: cannot create {}: {e}", name(parent)),
        );
    }
    match write::create(dest, output.as_bytes(), args.force) {
        Ok(()) => Done {
            outcome: Outcome::Exported,
            messages: Vec::new(),
            output: None,
        },
        Err(e @ WriteError::Exists(_)) => Done::new(Outcome::Skipped, format!("error: {e}")),
        Err(e) => Done::new(Outcome::Failed, format!("error: {e}")),
    }
}

/// Standard output: JSON made safe to print, other formats with unsafe
/// characters shown escaped on a terminal; the TSV header row once; nothing
/// more once the reader has gone away (the work goes on, its status stands).
struct Stdout {
    format: ExportFormat,
    terminal: bool,
    header_done: bool,
    closed: bool,
}

impl Stdout {
    fn print(&mut self, mut output: String) {
        if self.closed {
            return;
        }
        if self.format == ExportFormat::Tsv && !std::mem::replace(&mut self.header_done, true) {
            output = tsv::header() + &output;
        }
        let output = if self.format == ExportFormat::Json {
            json_safe(output)
        } else if self.terminal {
            visible(&output)
        } else {
            output
        };
        if terminal::print(output.as_bytes()).is_err() {
            self.closed = true;
        }
    }
}

/// Where a transcript's output goes in the output folder: its path below
/// the folder named on the command line (or as named, for a file), with the
/// format's extension; a path that is absolute or goes up (`..`) keeps only
/// its file name; standard input is `stdin`.
fn destination(keyed: &Keyed, extension: &str) -> PathBuf {
    let path = match &keyed.source {
        Source::Stdin => PathBuf::from("stdin"),
        Source::File(_) => {
            let key = Path::new(&keyed.key);
            if key
                .components()
                .all(|c| matches!(c, Component::Normal(_) | Component::CurDir))
            {
                key.to_path_buf()
            } else {
                PathBuf::from(key.file_name().unwrap_or(key.as_os_str()))
            }
        }
    };
    path.with_extension(extension)
}

/// Output for a terminal: unsafe characters other than tabs and line
/// breaks shown as escapes.
fn visible(output: &str) -> String {
    let mut out = String::with_capacity(output.len());
    for c in output.chars() {
        if matches!(c, '\n' | '\t') {
            out.push(c);
        } else {
            push_shown(&mut out, c);
        }
    }
    out
}

fn name(path: &Path) -> String {
    shown(&path.display().to_string()).into_owned()
}

fn plural(n: usize) -> String {
    format!("{n} file{}", if n == 1 { "" } else { "s" })
}
