//! `transcript-ls export`: reads transcripts (folders walked as `check`
//! walks them), analyses each with its registry, and writes it in a format
//! of `crate::export`: to standard output (one file; JSON Lines or one TSV
//! table for several), or with `-o DIR` one file per transcript through the
//! safe writer. Files with errors are skipped unless `--allow-errors`.

use std::collections::HashSet;
use std::io::IsTerminal;
use std::path::{Component, Path, PathBuf};
use std::process::ExitCode;

use super::check::display_name;
use super::inputs::{self, FileArgs, Keyed, Source};
use super::terminal::{self, say};
use super::write::{self, WriteError};
use crate::analysis::{self, Severity};
use crate::escape::{json_safe, push_shown, shown};
use crate::export::{Facts, json, tei, tsv, webvtt};
use crate::registry;
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
    if keyed.is_empty() {
        say!("error: no .transcript files found");
        return ExitCode::from(2);
    }
    if args.output.is_none()
        && keyed.len() > 1
        && matches!(format, ExportFormat::Tei | ExportFormat::Webvtt)
    {
        say!(
            "error: {} files found; --to {} writes one document per transcript: give a folder with -o DIR",
            keyed.len(),
            format
                .extension()
                .replace("xml", "tei")
                .replace("vtt", "webvtt")
        );
        return ExitCode::from(2);
    }
    if let Some(dir) = &args.output
        && let Err(e) = std::fs::create_dir_all(dir)
    {
        say!("error: cannot create {}: {e}", name(dir));
        return ExitCode::from(2);
    }
    let mut run = Run {
        args,
        format,
        registries: registry::Cache::default(),
        written: HashSet::new(),
        stdout: StdoutState {
            terminal: std::io::stdout().is_terminal(),
            header_done: false,
            closed: false,
        },
        cwd: std::env::current_dir().ok(),
    };
    let (mut exported, mut skipped, mut failed) = (0, 0, 0);
    for k in &keyed {
        match run.one(k) {
            Outcome::Exported => exported += 1,
            Outcome::Skipped => skipped += 1,
            Outcome::Failed => failed += 1,
        }
    }
    if keyed.len() > 1 || args.output.is_some() {
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

struct StdoutState {
    /// Output to a terminal has its unsafe characters made visible.
    terminal: bool,
    /// The TSV header row went out.
    header_done: bool,
    /// The reader went away: nothing more is written, the work goes on.
    closed: bool,
}

struct Run<'a> {
    args: &'a ExportArgs,
    format: ExportFormat,
    registries: registry::Cache,
    /// Output files written in this run, so that two inputs never share one.
    written: HashSet<PathBuf>,
    stdout: StdoutState,
    cwd: Option<PathBuf>,
}

impl Run<'_> {
    fn one(&mut self, keyed: &Keyed) -> Outcome {
        let limits = self.args.files.limits();
        let source = &keyed.source;
        let shown_name = display_name(source, self.cwd.as_deref());
        let registry = match self.registries.for_dir(&inputs::folder_of(source), |path| {
            inputs::read_registry(path, limits.registry)
        }) {
            Ok(r) => r,
            Err(e) => {
                say!("error: {e}");
                return Outcome::Failed;
            }
        };
        let text = match inputs::read(source, limits.file) {
            Ok(t) => t,
            Err(e) => {
                say!("error: {e}");
                return Outcome::Failed;
            }
        };
        let registry = registry.as_deref().map(|r| &r.registry);
        let analysis = analysis::analyze(&text, registry);
        let errors: Vec<_> = analysis
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .collect();
        if let Some(first) = errors.first()
            && !self.args.allow_errors
        {
            let line = LineIndex::new(&text).line_of(first.span.start) + 1;
            say!(
                "error: {}: not exported: {} (first: line {}: {}); see `transcript-ls check`, or export anyway with --allow-errors",
                shown(&shown_name),
                if errors.len() == 1 {
                    "1 error".to_string()
                } else {
                    format!("{} errors", errors.len())
                },
                line,
                shown(&first.message)
            );
            return Outcome::Skipped;
        }
        let facts = Facts::new(&shown_name, &text, &analysis, registry);
        let to_file = self.args.output.is_some();
        let output = match self.format {
            ExportFormat::Json => json::render(&facts, to_file) + "\n",
            ExportFormat::Tsv if to_file => tsv::render(&facts),
            ExportFormat::Tsv => {
                let mut rows = String::new();
                if !std::mem::replace(&mut self.stdout.header_done, true) {
                    rows.push_str(&tsv::header());
                }
                rows + &tsv::rows(&facts)
            }
            ExportFormat::Tei => tei::render(&facts),
            ExportFormat::Webvtt => match webvtt::render(&facts) {
                Ok(vtt) => vtt,
                Err(e) => {
                    say!("error: {}: not exported to WebVTT: {e}", shown(&shown_name));
                    return Outcome::Skipped;
                }
            },
        };
        match &self.args.output {
            None => {
                self.print(output);
                Outcome::Exported
            }
            Some(dir) => self.write(dir, keyed, &shown_name, output),
        }
    }

    fn print(&mut self, output: String) {
        if self.stdout.closed {
            return;
        }
        let output = if self.format == ExportFormat::Json {
            json_safe(output)
        } else if self.stdout.terminal {
            visible(&output)
        } else {
            output
        };
        if terminal::print(output.as_bytes()).is_err() {
            self.stdout.closed = true;
        }
    }

    fn write(&mut self, dir: &Path, keyed: &Keyed, shown_name: &str, output: String) -> Outcome {
        let dest = dir.join(destination(keyed, self.format.extension()));
        if !self.written.insert(dest.clone()) {
            say!(
                "error: {} was already written from another transcript of the same name; {} not exported",
                name(&dest),
                shown(shown_name)
            );
            return Outcome::Skipped;
        }
        if let Some(parent) = dest.parent()
            && let Err(e) = std::fs::create_dir_all(parent)
        {
            say!("error: cannot create {}: {e}", name(parent));
            return Outcome::Failed;
        }
        match write::create(&dest, output.as_bytes(), self.args.force) {
            Ok(()) => Outcome::Exported,
            Err(e @ WriteError::Exists(_)) => {
                say!("error: {e}");
                Outcome::Skipped
            }
            Err(e) => {
                say!("error: {e}");
                Outcome::Failed
            }
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
