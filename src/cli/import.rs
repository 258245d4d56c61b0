//! `transcript-ls import`: reads raw scraped transcript pages, reads each
//! with the layout that fits it (or the one `--layout` names), converts it
//! with [`crate::import`], writes `DIR/<stem>.transcript` (standard output
//! for a single file without `-o`), never overwriting without `--force`, and
//! prints what it did and what it was unsure of on standard error. A page no
//! layout fits is an error, not a guess. Profiles (`--profile`, the
//! registry's `import.profiles`) add layouts; `--list-layouts` lists them.
//! With `--registry`, the registry is copied beside the outputs when no
//! registry is there, so that `check` knows the entities the mentions name.

use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::terminal::{self, say};
use super::write::{self, WriteError};
use crate::diagnostic::did_you_mean;
use crate::escape::shown;
use crate::files;
use crate::import::profile::{self, MAX_PROFILE_BYTES, ProfileError};
use crate::import::{EntityNames, ImportOptions, Layout, Layouts, import_as};
use crate::registry::{self, Registry};
use crate::text::{Encoding, LineIndex};

#[derive(clap::Args, Debug)]
pub struct ImportArgs {
    /// Raw transcript pages to convert (`-` reads standard input). A folder
    /// stands for the files below it, but for hidden, ignored (`.gitignore`),
    /// `.transcript` and `.json` files; those no layout fits are skipped.
    #[arg(required_unless_present = "list_layouts", value_name = "RAW")]
    pub raw: Vec<PathBuf>,
    /// Folder for the `.transcript` files, created if missing. Without it, a
    /// single file is written to standard output, and several files each
    /// next to its raw file.
    #[arg(short = 'o', long = "output", value_name = "DIR")]
    pub output: Option<PathBuf>,
    /// A registry (`transcripts.json`) whose entity names and aliases are
    /// annotated as mentions of their ids; its `import.profiles` add layouts,
    /// and it is copied into the output folder when no registry applies there.
    #[arg(long, value_name = "FILE")]
    pub registry: Option<PathBuf>,
    /// Overwrite existing `.transcript` files.
    #[arg(long)]
    pub force: bool,
    /// Read every page with this layout instead of the one detected
    /// (`--list-layouts` lists them; `plain` reads any text).
    #[arg(long, value_name = "NAME")]
    pub layout: Option<String>,
    /// A profile (JSON) describing a source the built-in layouts do not
    /// know; may be given several times. See docs/import.md.
    #[arg(long = "profile", value_name = "FILE")]
    pub profiles: Vec<PathBuf>,
    /// List the layouts (built in, and from `--profile` and the registry)
    /// and exit.
    #[arg(long)]
    pub list_layouts: bool,
}

/// The names to annotate for each entity of a registry: its name and aliases.
pub fn entity_names(registry: &Registry) -> Vec<EntityNames> {
    registry
        .entities
        .iter()
        .map(|e| {
            let mut names: Vec<String> = e.names().map(str::to_string).collect();
            names.retain(|n| !n.trim().is_empty());
            EntityNames {
                id: e.id().to_string(),
                names,
            }
        })
        .collect()
}

enum Outcome {
    Written,
    Refused,
    Failed,
    /// A file found in a folder that is not a page (no layout fits, not text).
    Skipped,
}

/// A raw page to convert: named on the command line, or found in a folder
/// named there.
struct Raw {
    path: PathBuf,
    /// For a page found in a folder, its subfolders there joined with `-`
    /// and a `-` (`a/b/x.txt` -> `a-b-`), which start its name in `-o DIR`.
    found_in: Option<String>,
}

/// The pages the arguments name, folders walked; problems walking them are
/// reported and counted in the second value.
fn raw_pages(args: &[PathBuf]) -> (Vec<Raw>, usize) {
    let mut pages = Vec::new();
    let mut failed = 0;
    for arg in args {
        if arg == Path::new("-") || !arg.is_dir() {
            pages.push(Raw {
                path: arg.clone(),
                found_in: None,
            });
            continue;
        }
        let walk = files::WalkOptions { skip_hidden: true };
        let (found, errors) = files::files_in(arg, walk, |p| {
            !p.extension()
                .is_some_and(|x| x == files::EXTENSION || x == "json")
        });
        for e in errors {
            say!("error: {}", e.0);
            failed += 1;
        }
        if found.is_empty() {
            say!(
                "warning: {} has no raw pages (files other than .transcript and .json)",
                name(arg)
            );
        }
        for path in found {
            let within = path.strip_prefix(arg).unwrap_or(&path);
            let prefix: String = within
                .parent()
                .into_iter()
                .flat_map(Path::components)
                .map(|c| format!("{}-", c.as_os_str().to_string_lossy()))
                .collect();
            pages.push(Raw {
                path,
                found_in: Some(prefix),
            });
        }
    }
    (pages, failed)
}

/// Prints a profile's problems as `FILE:LINE:COL: error: message`, with help.
fn report_profile_errors(path: &Path, text: &str, errors: &[ProfileError]) {
    let index = LineIndex::new(text);
    for e in errors {
        let at = index.line_col(text, e.span.start, Encoding::Chars);
        say!(
            "error: {}:{}:{}: {}",
            name(path),
            at.line + 1,
            at.col + 1,
            shown(&e.message)
        );
        if let Some(help) = &e.help {
            say!("  help: {}", shown(help));
        }
    }
}

/// The layouts to choose from: the built-in ones, the registry's profiles
/// and the `--profile` files. `Err` after the problems have been printed.
fn layouts(args: &ImportArgs, registry: Option<(&Path, &str)>) -> Result<Layouts, ()> {
    let mut layouts = Layouts::default();
    let mut ok = true;
    let add = |layouts: &mut Layouts, layout: Layout| {
        if let Err(e) = layouts.add(layout) {
            say!("error: {}", shown(&e));
            false
        } else {
            true
        }
    };
    if let Some((path, text)) = registry {
        match profile::from_registry_text(text) {
            Ok(profiles) => {
                for p in profiles {
                    let origin = format!("profile in {}", name(path));
                    ok &= add(&mut layouts, Layout::from_profile(p, origin));
                }
            }
            Err(errors) => {
                report_profile_errors(path, text, &errors);
                ok = false;
            }
        }
    }
    for path in &args.profiles {
        let text = match files::read_text(path, MAX_PROFILE_BYTES) {
            Ok(t) => t,
            Err(e) => {
                say!("error: cannot use the profile: {e}");
                ok = false;
                continue;
            }
        };
        match profile::from_file_text(&text) {
            Ok(p) => ok &= add(&mut layouts, Layout::from_profile(p, name(path))),
            Err(errors) => {
                report_profile_errors(path, &text, &errors);
                ok = false;
            }
        }
    }
    if ok { Ok(layouts) } else { Err(()) }
}

fn list_layouts(layouts: &Layouts) -> ExitCode {
    let width = layouts
        .all()
        .iter()
        .map(|l| l.name().len())
        .max()
        .unwrap_or(0);
    let mut out = String::new();
    for l in layouts.all() {
        let detected = if !l.detectable() {
            ", never detected"
        } else {
            ""
        };
        out.push_str(&format!(
            "{:width$}  {} ({}{detected})\n",
            l.name(),
            shown(l.description()),
            shown(l.origin()),
        ));
    }
    match terminal::print(out.as_bytes()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(_) => ExitCode::SUCCESS,
    }
}

pub fn run(args: &ImportArgs) -> ExitCode {
    let mut options = ImportOptions::default();
    let mut registry_text: Option<String> = None;
    if let Some(path) = &args.registry {
        let text = match files::read_text(path, files::DEFAULT_MAX_REGISTRY) {
            Ok(t) => t,
            Err(e) => {
                say!("error: cannot use the registry: {e}");
                return ExitCode::from(2);
            }
        };
        let registry = Registry::parse(&text);
        for p in &registry.problems() {
            say!("warning: {}: {}", name(path), shown(&p.message));
        }
        options.entities = entity_names(&registry);
        registry_text = Some(text);
    }
    let registry = args.registry.as_deref().zip(registry_text.as_deref());
    let Ok(layouts) = layouts(args, registry) else {
        return ExitCode::from(2);
    };
    if args.list_layouts {
        return list_layouts(&layouts);
    }
    let forced = match &args.layout {
        Some(wanted) => match layouts.get(wanted) {
            Some(l) => Some(l),
            None => {
                let names: Vec<&str> = layouts.all().iter().map(|l| l.name()).collect();
                let hint = match did_you_mean(wanted, names.iter().copied()).first() {
                    Some(s) => format!("did you mean `{s}`? "),
                    None => String::new(),
                };
                say!(
                    "error: no layout is named `{}`; {hint}the layouts are {}",
                    shown(wanted),
                    names.join(", ")
                );
                return ExitCode::from(2);
            }
        },
        None => None,
    };
    if let Some(dir) = &args.output
        && let Err(e) = std::fs::create_dir_all(dir)
    {
        say!("error: cannot create {}: {e}", name(dir));
        return ExitCode::from(2);
    }
    let (pages, mut failed) = raw_pages(&args.raw);
    let to_stdout = args.output.is_none() && args.raw.len() == 1 && pages.len() == 1;
    let to_stdout = to_stdout && pages[0].found_in.is_none();
    let mut written: HashSet<PathBuf> = HashSet::new();
    let (mut ok, mut refused, mut skipped) = (0, 0, 0);
    let job = Job {
        args,
        options: &options,
        layouts: &layouts,
        forced,
        to_stdout,
    };
    for raw in &pages {
        match job.convert(raw, &mut written) {
            Outcome::Written => ok += 1,
            Outcome::Refused => refused += 1,
            Outcome::Failed => failed += 1,
            Outcome::Skipped => skipped += 1,
        }
    }
    if pages.len() > 1 || pages.iter().any(|p| p.found_in.is_some()) {
        let skipped = match skipped {
            0 => String::new(),
            n => format!(", {n} skipped (not a page)"),
        };
        say!(
            "import: {ok} converted, {refused} not overwritten, {failed} failed{skipped}, of {} files",
            pages.len()
        );
    }
    if let (Some(path), Some(text)) = (&args.registry, &registry_text) {
        let dirs: BTreeSet<PathBuf> = written
            .iter()
            .filter_map(|p| p.parent().map(Path::to_path_buf))
            .collect();
        for dir in dirs {
            if !registry_beside(path, text, &dir) {
                failed += 1;
            }
        }
    }
    if failed > 0 {
        ExitCode::from(2)
    } else if refused > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// Makes the registry the one `check` finds for the transcripts written in
/// `dir`: copies it there when no registry applies to `dir`; when another
/// one does, says what to do. `false` when the copy failed.
fn registry_beside(source: &Path, text: &str, dir: &Path) -> bool {
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    match registry::find(&files::canonical(dir)) {
        None => {
            let dest = dir.join(registry::FILE_NAME);
            match write::create(&dest, text.as_bytes(), false) {
                Ok(()) => {
                    say!(
                        "import: copied {} to {} so that `check` knows the entities the mentions name",
                        name(source),
                        name(&dest)
                    );
                    true
                }
                Err(e) => {
                    say!("error: {e}");
                    false
                }
            }
        }
        Some(found) => {
            // Named as the user named the folder when it is the folder's own.
            let found = if found.parent() == Some(files::canonical(dir).as_path()) {
                dir.join(registry::FILE_NAME)
            } else {
                found
            };
            let same_file = files::canonical(&found) == files::canonical(source);
            let same_text = !same_file
                && files::read_text(&found, files::DEFAULT_MAX_REGISTRY).is_ok_and(|t| t == text);
            if !(same_file || same_text) {
                say!(
                    "warning: `check` reads {} for the transcripts in {}, not {}: the mentions written name entities of {}. Add those entities to {}, or import again with `--registry {}`",
                    name(&found),
                    name(dir),
                    name(source),
                    name(source),
                    name(&found),
                    name(&found)
                );
            }
            true
        }
    }
}

/// One run's settings.
struct Job<'a> {
    args: &'a ImportArgs,
    options: &'a ImportOptions,
    layouts: &'a Layouts,
    forced: Option<&'a Layout>,
    to_stdout: bool,
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
fn destination(raw: &Raw, args: &ImportArgs) -> PathBuf {
    let path = &raw.path;
    let stem = if path == Path::new("-") {
        "stdin".into()
    } else {
        path.file_stem()
            .map(|s| s.to_os_string())
            .unwrap_or_else(|| "transcript".into())
    };
    let mut file = stem;
    file.push(".transcript");
    match &args.output {
        Some(dir) => {
            let mut name = std::ffi::OsString::from(raw.found_in.as_deref().unwrap_or(""));
            name.push(file);
            dir.join(name)
        }
        None => path.with_file_name(file),
    }
}

impl Job<'_> {
    fn convert(&self, page: &Raw, written: &mut HashSet<PathBuf>) -> Outcome {
        let raw = page.path.as_path();
        let found = page.found_in.is_some();
        let text = match read_raw(raw) {
            Ok(t) => t,
            Err(e @ (files::ReadError::NotUtf8 { .. } | files::ReadError::Nul { .. })) if found => {
                say!("note: {e}; skipped");
                return Outcome::Skipped;
            }
            Err(e) => {
                say!("error: {e}");
                return Outcome::Failed;
            }
        };
        let (layout, how) = match self.forced {
            Some(l) => (l, "as asked with --layout"),
            None => match self.layouts.detect(&text) {
                Some(l) => (l, "detected"),
                None => {
                    let tried: Vec<&str> = self
                        .layouts
                        .all()
                        .iter()
                        .filter(|l| l.detectable())
                        .map(|l| l.name())
                        .collect();
                    if found {
                        say!(
                            "note: {}: no layout fits this page (tried {}); skipped. Name one with `--layout NAME`",
                            name(raw),
                            tried.join(", ")
                        );
                        return Outcome::Skipped;
                    }
                    say!(
                        "error: {}: no layout fits this page (tried {}); nothing written. Name one with `--layout NAME` (`--layout plain` takes the first line as the title and the rest as the body), or describe the source in a profile (`--profile FILE`, see docs/import.md)",
                        name(raw),
                        tried.join(", ")
                    );
                    return Outcome::Failed;
                }
            },
        };
        let imported = import_as(&text, layout, self.options);
        let summary = indent(&imported.report.to_string());
        if self.to_stdout {
            if terminal::print(imported.text.as_bytes()).is_err() {
                return Outcome::Failed;
            }
            say!(
                "import: {} -> standard output ({how})\n{summary}",
                name(raw)
            );
            return Outcome::Written;
        }
        let dest = destination(page, self.args);
        if written.contains(&dest) {
            say!(
                "error: {} was already written from another raw file with the same name; {} skipped",
                name(&dest),
                name(raw)
            );
            return Outcome::Refused;
        }
        match write::create(&dest, imported.text.as_bytes(), self.args.force) {
            Ok(()) => {
                written.insert(dest.clone());
                say!(
                    "import: {} -> {} ({how})\n{summary}",
                    name(raw),
                    name(&dest)
                );
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
}

/// The summary indented under its file's line, each line escaped on its own.
fn indent(s: &str) -> String {
    s.lines()
        .map(|l| format!("  {}", shown(l)))
        .collect::<Vec<_>>()
        .join("\n")
}
