//! The command line: `check` (with its reporters), `fmt`, `import` and `rules`. Each command
//! reads files, calls the analysis and prints; none decides what is a problem.

pub mod check;
pub mod fmt;
pub mod import;
mod inputs;
mod report;
pub mod rules;
