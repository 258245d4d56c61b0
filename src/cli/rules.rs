//! `transcript-ls rules`: every rule with its default severity and description.

use std::process::ExitCode;

use crate::diagnostic::Rule;

pub fn run() -> ExitCode {
    // A reader that went away (`rules | head -1`) wants no more.
    let _ = super::terminal::print(table().as_bytes());
    ExitCode::SUCCESS
}

pub fn table() -> String {
    let width = Rule::ALL.iter().map(|r| r.name().len()).max().unwrap_or(0);
    Rule::ALL
        .iter()
        .map(|r| {
            format!(
                "{:width$}  {:7}  {}\n",
                r.name(),
                r.default_severity().name(),
                r.description()
            )
        })
        .collect()
}
