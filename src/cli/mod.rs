//! The command line: `check` (with its reporters) and `rules`. Each command
//! reads files, calls the analysis and prints; none decides what is a problem.

pub mod check;
mod inputs;
mod report;
pub mod rules;
