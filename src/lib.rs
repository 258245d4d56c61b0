//! transcript-ls: the parser, analysis and registry of annotated transcripts,
//! and the frontends (language server, command line) that translate them.
//!
//! Data flows one way: text -> [`syntax`] -> [`analysis`] (with the
//! [`registry`]) -> [`server`] or [`cli`].

pub mod analysis;
pub mod cancel;
pub mod cli;
pub mod diagnostic;
pub mod escape;
pub mod export;
pub mod files;
pub mod format;
pub mod import;
pub mod registry;
pub mod server;
pub mod syntax;
pub mod text;
