//! `transcript-ls import`: reads raw scraped transcript pages, converts each
//! with [`crate::import`], writes `DIR/<stem>.transcript` (standard output
//! for a single file without `-o`), never overwriting without `--force`, and
//! prints what it did and what it was unsure of on standard error.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::terminal::{self, say};
use super::write::{self, WriteError};
use crate::escape::shown;
use crate::files;
use crate::import::{EntityNames, ImportOptions, import};
use crate::registry::Registry;

#[derive(clap::Args, Debug)]
pub struct ImportArgs {
    /// Raw transcript pages to convert (`-` reads standard input).
    #[arg(required = true, value_name = "RAW")]
    pub raw: Vec<PathBuf>,
    /// Folder for the `.transcript` files, created if missing. Without it, a
    /// single file is written to standard output, and several files each
    /// next to its raw file.
    #[arg(short = 'o', long = "output", value_name = "DIR")]
    pub output: Option<PathBuf>,
    /// A registry (`transcripts.json`) whose entity names and aliases are
    /// annotated as mentions of their ids.
    #[arg(long, value_name = "FILE")]
    pub registry: Option<PathBuf>,
    /// Overwrite existing `.transcript` files.
    #[arg(long)]
    pub force: bool,
}

/// The names to annotate for each entity of a registry: its name and aliases.
pub fn entity_names(registry: &Registry) -> Vec<EntityNames> {
    registry
        .entities
        .values()
        .map(|e| {
            let mut names = vec![e.name.clone()];
            names.extend(e.aliases.iter().cloned());
            names.retain(|n| !n.trim().is_empty());
            EntityNames {
                id: e.id.clone(),
                names,
            }
        })
        .collect()
}

enum Outcome {
    Written,
    Refused,
    Failed,
}

pub fn run(args: &ImportArgs) -> ExitCode {
    let mut options = ImportOptions::default();
    if let Some(path) = &args.registry {
        let text = match files::read_text(path, files::DEFAULT_MAX_REGISTRY) {
            Ok(t) => t,
            Err(e) => {
                say!("error: cannot use the registry: {e}");
                return ExitCode::from(2);
            }
        };
        let registry = Registry::parse(&text);
        for p in &registry.problems {
            say!("warning: {}: {}", name(path), shown(&p.message));
        }
        options.entities = entity_names(&registry);
    }
    if let Some(dir) = &args.output
        && let Err(e) = std::fs::create_dir_all(dir)
    {
        say!("error: cannot create {}: {e}", name(dir));
        return ExitCode::from(2);
    }
    let to_stdout = args.output.is_none() && args.raw.len() == 1;
    let mut written: HashSet<PathBuf> = HashSet::new();
    let (mut ok, mut refused, mut failed) = (0, 0, 0);
    for raw in &args.raw {
        match convert(raw, args, &options, to_stdout, &mut written) {
            Outcome::Written => ok += 1,
            Outcome::Refused => refused += 1,
            Outcome::Failed => failed += 1,
        }
    }
    if args.raw.len() > 1 {
        say!(
            "import: {ok} converted, {refused} not overwritten, {failed} failed, of {} files",
            args.raw.len()
        );
    }
    if failed > 0 {
        ExitCode::from(2)
    } else if refused > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// A path as messages show it.
fn name(path: &Path) -> String {
    shown(&path.display().to_string()).into_owned()
}

fn read_raw(raw: &Path) -> Result<String, files::ReadError> {
    if raw == Path::new("-") {
        let stdin = Path::new("standard input");
        files::read_stream(stdin, std::io::stdin().lock(), files::DEFAULT_MAX_FILE)
    } else {
        files::read_text(raw, files::DEFAULT_MAX_FILE)
    }
}

/// Where the transcript of `raw` goes.
fn destination(raw: &Path, args: &ImportArgs) -> PathBuf {
    let stem = if raw == Path::new("-") {
        "stdin".into()
    } else {
        raw.file_stem()
            .map(|s| s.to_os_string())
            .unwrap_or_else(|| "transcript".into())
    };
    let mut name = stem;
    name.push(".transcript");
    match &args.output {
        Some(dir) => dir.join(name),
        None => raw.with_file_name(name),
    }
}

fn convert(
    raw: &Path,
    args: &ImportArgs,
    options: &ImportOptions,
    to_stdout: bool,
    written: &mut HashSet<PathBuf>,
) -> Outcome {
    let text = match read_raw(raw) {
        Ok(t) => t,
        Err(e) => {
            say!("error: {e}");
            return Outcome::Failed;
        }
    };
    let imported = import(&text, options);
    let summary = indent(&shown(&imported.report.to_string()));
    if to_stdout {
        if terminal::print(imported.text.as_bytes()).is_err() {
            return Outcome::Failed;
        }
        say!("import: {} -> standard output\n{summary}", name(raw));
        return Outcome::Written;
    }
    let dest = destination(raw, args);
    if written.contains(&dest) {
        say!(
            "error: {} was already written from another raw file with the same name; {} skipped",
            name(&dest),
            name(raw)
        );
        return Outcome::Refused;
    }
    match write::create(&dest, imported.text.as_bytes(), args.force) {
        Ok(()) => {
            written.insert(dest.clone());
            say!("import: {} -> {}\n{summary}", name(raw), name(&dest));
            Outcome::Written
        }
        Err(e @ WriteError::Exists(_)) => {
            say!("error: {e}");
            Outcome::Refused
        }
        Err(e) => {
            say!("error: {e}");
            Outcome::Failed
        }
    }
}

fn indent(s: &str) -> String {
    s.lines()
        .map(|l| format!("  {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}
