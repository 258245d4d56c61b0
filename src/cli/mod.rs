//! The command line: `check` (with its reporters), `fmt`, `import` and `rules`. Each command
//! reads files, calls the analysis and prints; none decides what is a problem.
//! Files are read through `inputs` (and `crate::files`), written only through
//! `write`, and messages go out through `terminal`.

pub mod check;
mod diff;
pub mod export;
pub mod fmt;
pub mod import;
mod inputs;
mod report;
pub mod rules;
pub mod stats;
mod terminal;
pub mod write;
