//! The command line: `check` (with its reporters), `fmt` and `rules`. Each command
//! reads files, calls the analysis and prints; none decides what is a problem.

pub mod check;
pub mod fmt;
mod inputs;
mod report;
pub mod rules;
