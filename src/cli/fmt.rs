//! `transcript-ls fmt`: formats `.transcript` files in place (through the
//! safe writer), or with `--check` lists the files that are not formatted.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::inputs::{self, EXTENSION, FileArgs, Source};
use super::terminal::{self, say};
use super::write::{self, Updated};
use crate::escape::shown;
use crate::format::format_text;
use crate::syntax::LabelContext;

#[derive(clap::Args, Debug)]
pub struct FmtArgs {
    /// Files and folders to format (`-` formats standard input to standard output). Default: the current folder.
    pub paths: Vec<PathBuf>,
    /// Change nothing; list the files that are not formatted and exit 1 if there are any.
    #[arg(long)]
    pub check: bool,
    #[command(flatten)]
    pub files: FileArgs,
}

fn formatted(text: &str) -> String {
    format_text(text, &LabelContext::default())
}

pub fn run(args: &FmtArgs) -> ExitCode {
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    // A file named on the command line must be a transcript: formatting
    // Markdown or code as a transcript would change it.
    let others: Vec<&PathBuf> = paths
        .iter()
        .filter(|p| p.as_os_str() != "-" && !p.is_dir())
        .filter(|p| p.extension().is_none_or(|x| x != EXTENSION))
        .collect();
    if !others.is_empty() {
        for p in others {
            say!(
                "error: {} is not a .transcript file; fmt formats only transcripts",
                shown(&p.display().to_string())
            );
        }
        return ExitCode::from(2);
    }
    let (sources, errors) = inputs::collect(&paths, args.files.walk());
    if !errors.is_empty() {
        for e in &errors {
            say!("error: {e}");
        }
        return ExitCode::from(2);
    }
    let limit = args.files.limits().file;
    let mut failed = false;
    let mut unformatted = 0;
    let mut files = 0;
    for source in &sources {
        let result = match source {
            Source::Stdin => stdin(args.check, limit),
            Source::File(path) => {
                files += 1;
                file(path, args.check, limit)
            }
        };
        match result {
            Ok(changed) => unformatted += usize::from(changed),
            Err(e) => {
                say!("error: {e}");
                failed = true;
            }
        }
    }
    if args.check {
        say!(
            "{unformatted} of {} would be reformatted",
            plural_files(sources.len())
        );
    } else if files > 0 {
        say!("reformatted {unformatted} of {}", plural_files(files));
    }
    if failed {
        ExitCode::from(2)
    } else if args.check && unformatted > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// Standard input: with `--check`, whether it is unformatted; otherwise the
/// formatted text goes to standard output.
fn stdin(check: bool, limit: u64) -> Result<bool, String> {
    let text = inputs::read(&Source::Stdin, limit)?;
    let new = formatted(&text);
    if !check {
        // A reader that went away wants no more: not an error.
        let _ = terminal::print(new.as_bytes());
    }
    Ok(new != text)
}

/// One file: with `--check`, whether it is unformatted (and its name on
/// standard output); otherwise whether it was rewritten.
fn file(path: &Path, check: bool, limit: u64) -> Result<bool, String> {
    if check {
        let text = inputs::read(&Source::File(path.to_path_buf()), limit)?;
        let changed = formatted(&text) != text;
        if changed {
            let _ = terminal::print(format!("{}\n", shown(&path.display().to_string())).as_bytes());
        }
        return Ok(changed);
    }
    match write::update(path, limit, |text| Some(formatted(text))) {
        Ok(done) => Ok(done == Updated::Written),
        Err(e) => Err(e.to_string()),
    }
}

fn plural_files(n: usize) -> String {
    format!("{n} file{}", if n == 1 { "" } else { "s" })
}
