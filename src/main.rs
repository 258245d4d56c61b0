//! The binary: parses the arguments and hands over to the server or the command line.

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use transcript_ls::cli;

/// Language server and checker for annotated transcripts (`.transcript` files).
///
/// With no command, runs the language server on standard input and output.
#[derive(Parser)]
#[command(name = "transcript-ls", version)]
struct Args {
    #[command(subcommand)]
    command: Option<Command>,
    /// Server log level on standard error: error, warn, info, debug or trace
    /// (default: the TRANSCRIPT_LS_LOG environment variable, else warn).
    #[arg(long, global = true, value_name = "LEVEL")]
    log: Option<String>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the language server on standard input and output (the default).
    Serve,
    /// Check transcripts, as in CI.
    Check(cli::check::CheckArgs),
    /// Format transcripts: canonical header order, spacing, blank lines.
    Fmt(cli::fmt::FmtArgs),
    /// Convert raw scraped transcript pages into .transcript files.
    Import(cli::import::ImportArgs),
    /// List every rule with its default severity.
    Rules,
    /// Export transcripts to JSON, TSV, TEI or WebVTT.
    Export(cli::export::ExportArgs),
    /// Count turns, words, questions, speakers, outlets and entities.
    Stats(cli::stats::StatsArgs),
}

fn main() -> ExitCode {
    let args = Args::parse();
    match args.command.unwrap_or(Command::Serve) {
        Command::Serve => transcript_ls::server::run(args.log.as_deref()),
        Command::Check(check) => cli::check::run(&check),
        Command::Fmt(fmt) => cli::fmt::run(&fmt),
        Command::Import(import) => cli::import::run(&import),
        Command::Rules => cli::rules::run(),
        Command::Export(export) => cli::export::run(&export),
        Command::Stats(stats) => cli::stats::run(&stats),
    }
}
