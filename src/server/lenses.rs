//! Code lenses, translated: the core's above a transcript's speaker
//! declarations and sections, and above each entity of a registry how often
//! the collection mentions it, counted from the workspace index and the
//! open documents (never by reading the files). A lens's command
//! (`transcript.showReferences`, with the document and a position) is for
//! the editor to open the references; one with nothing to open has an
//! empty command, so it shows as text.

use std::collections::HashSet;
use std::sync::Arc;

use tower_lsp_server::ls_types::{CodeLens, Command, Position, Uri};

use super::convert;
use super::documents::Snapshot;
use super::navigation;
use super::state::State;
use crate::analysis::Analysis;
use crate::analysis::code_lens::{self, CodeLensConfig, CodeLensKind};
use crate::registry::Loaded;
use crate::text::Encoding;

/// The command the editor runs to show references (arguments: a document
/// URI and a position in it).
pub const SHOW_REFERENCES: &str = "transcript.showReferences";

/// Above how many entities a registry's lenses are only for the entities
/// the collection mentions (a registry of a million would need a million).
pub const ALL_ENTITIES: usize = 10_000;

fn lens(
    range: tower_lsp_server::ls_types::Range,
    title: String,
    at: Option<(&Uri, Position)>,
) -> CodeLens {
    let (command, arguments) = match at {
        Some((uri, position)) => (
            SHOW_REFERENCES.to_string(),
            Some(vec![
                serde_json::to_value(uri).unwrap_or_default(),
                serde_json::to_value(position).unwrap_or_default(),
            ]),
        ),
        None => (String::new(), None),
    };
    CodeLens {
        range,
        command: Some(Command {
            title,
            command,
            arguments,
        }),
        data: None,
    }
}

/// A transcript's lenses.
pub fn transcript(
    snapshot: &Snapshot,
    analysis: &Analysis,
    text: &str,
    uri: &Uri,
    encoding: Encoding,
) -> Vec<CodeLens> {
    let lenses = code_lens::code_lenses(
        text,
        &analysis.syntax,
        0..text.len(),
        CodeLensConfig::default(),
    );
    lenses
        .into_iter()
        .map(|l| {
            let range = convert::range(snapshot, &l.span, encoding);
            // A speaker's lens opens its turns: references at its name.
            let at = match l.kind {
                CodeLensKind::Speaker => {
                    let name_start = text[l.span.clone()].find(':').map_or(l.span.start, |i| {
                        let after = &text[l.span.start + i + 1..l.span.end];
                        l.span.start + i + 1 + (after.len() - after.trim_start().len())
                    });
                    let lc = snapshot.line_col(name_start, encoding);
                    Some((uri, Position::new(lc.line, lc.col)))
                }
                CodeLensKind::Section => None,
            };
            lens(range, l.title, at)
        })
        .collect()
}

/// A registry's lenses: above each entity (or, for a very large registry,
/// each mentioned one), how often the collection mentions it.
pub fn registry(state: &State, loaded: &Arc<Loaded>, uri: &Uri) -> Vec<CodeLens> {
    let encoding = state.encoding();
    let entities = &loaded.registry.entities;
    let (open, open_paths) = state.open_files();
    let ours = |r: Option<&std::sync::Arc<Loaded>>| r.is_some_and(|r| r.path == loaded.path);
    let chosen: Vec<usize> = if entities.len() <= ALL_ENTITIES {
        (0..entities.len()).collect()
    } else {
        let mut mentioned: Vec<usize> = state
            .workspace
            .files()
            .filter(|f| ours(f.registry.as_ref()))
            .flat_map(|f| f.facts.mentions.iter().map(|(id, _)| id.clone()))
            .collect::<HashSet<_>>()
            .into_iter()
            .filter_map(|id| entities.position(&id))
            .collect();
        mentioned.sort_unstable();
        mentioned.truncate(ALL_ENTITIES);
        mentioned
    };
    let positions = convert::Text(loaded.lines(), loaded.text());
    chosen
        .into_iter()
        .filter_map(|i| {
            let e = entities.at(i)?;
            let id = e.id();
            let files = navigation::mentioning(
                id,
                Some(loaded),
                &open,
                &open_paths,
                |id| state.workspace.mentioning(id),
                encoding,
            );
            let mentions: usize = files
                .iter()
                .map(|f| f.facts(encoding).mentions_of(id).count())
                .sum();
            let range = convert::range(&positions, &e.key_span(), encoding);
            let at = (mentions > 0).then_some((
                uri,
                Position::new(range.start.line, range.start.character + 1),
            ));
            Some(lens(
                range,
                code_lens::mentions_title(mentions, files.len()),
                at,
            ))
        })
        .collect()
}
