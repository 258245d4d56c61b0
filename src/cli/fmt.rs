//! `transcript-ls fmt`: formats files in place, or with `--check` lists the
//! files that are not formatted.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use super::inputs::{self, Source};
use crate::format::format_text;
use crate::syntax::LabelContext;

#[derive(clap::Args, Debug)]
pub struct FmtArgs {
    /// Files and folders to format (`-` formats standard input to standard output). Default: the current folder.
    pub paths: Vec<PathBuf>,
    /// Change nothing; list the files that are not formatted and exit 1 if there are any.
    #[arg(long)]
    pub check: bool,
}

pub fn run(args: &FmtArgs) -> ExitCode {
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    let (sources, mut errors) = inputs::collect(&paths);
    let mut changes = Vec::new();
    for source in &sources {
        match inputs::read(source) {
            Err(e) => errors.push(e),
            Ok(text) => {
                let formatted = format_text(&text, &LabelContext::default());
                changes.push((source, text != formatted, formatted));
            }
        }
    }
    if !errors.is_empty() {
        for e in &errors {
            eprintln!("error: {e}");
        }
        return ExitCode::from(2);
    }
    let mut unformatted = 0;
    for (source, changed, formatted) in changes {
        match source {
            Source::Stdin => {
                if args.check {
                    unformatted += usize::from(changed);
                } else if std::io::stdout().write_all(formatted.as_bytes()).is_err() {
                    return ExitCode::from(2);
                }
            }
            Source::File(path) if changed => {
                unformatted += 1;
                if args.check {
                    println!("{}", path.display());
                } else if let Err(e) = write_atomically(path, &formatted) {
                    eprintln!("error: cannot write {}: {e}", path.display());
                    return ExitCode::from(2);
                }
            }
            Source::File(_) => {}
        }
    }
    let files = sources
        .iter()
        .filter(|s| matches!(s, Source::File(_)))
        .count();
    if args.check {
        eprintln!(
            "{unformatted} of {} would be reformatted",
            plural_files(sources.len())
        );
        return if unformatted > 0 {
            ExitCode::from(1)
        } else {
            ExitCode::SUCCESS
        };
    }
    if files > 0 {
        eprintln!("reformatted {unformatted} of {}", plural_files(files));
    }
    ExitCode::SUCCESS
}

fn plural_files(n: usize) -> String {
    format!("{n} file{}", if n == 1 { "" } else { "s" })
}

/// Writes beside the file, then renames over it, so a failure never leaves half a file.
fn write_atomically(path: &std::path::Path, text: &str) -> std::io::Result<()> {
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".fmt-tmp");
    let tmp = PathBuf::from(tmp);
    std::fs::write(&tmp, text)?;
    std::fs::rename(&tmp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}
