//! Checks of the exports shared by the export tests (included with
//! `#[path]`): the JSON against the committed schema, the TEI read back with
//! quick-xml, the TSV's rows, the stats' sums, and the corpus pages imported.
#![allow(dead_code)]

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use quick_xml::events::Event;
use quick_xml::{Reader, XmlVersion};
use rayon::prelude::*;
use transcript_ls::analysis::stats::Stats;
use transcript_ls::analysis::{Analysis, analyze};
use transcript_ls::export::{Facts, json, tei, tsv};
use transcript_ls::registry::Registry;

pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

pub fn examples_registry() -> Registry {
    Registry::parse(&std::fs::read_to_string(root().join("examples/transcripts.json")).unwrap())
}

/// The example transcripts, with their names and texts.
pub fn examples() -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = std::fs::read_dir(root().join("examples"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "transcript"))
        .map(|p| {
            let name = format!("examples/{}", p.file_name().unwrap().to_string_lossy());
            (name, std::fs::read_to_string(&p).unwrap())
        })
        .collect();
    out.sort();
    out
}

/// The committed JSON Schema, compiled once.
pub fn validator() -> &'static jsonschema::Validator {
    static VALIDATOR: OnceLock<jsonschema::Validator> = OnceLock::new();
    VALIDATOR.get_or_init(|| {
        let text = std::fs::read_to_string(root().join("docs/export.schema.json")).unwrap();
        let schema: serde_json::Value = serde_json::from_str(&text).unwrap();
        jsonschema::draft202012::new(&schema).expect("the committed schema compiles")
    })
}

/// The JSON export's validation errors against the committed schema.
pub fn schema_errors(json_text: &str) -> Vec<String> {
    let value: serde_json::Value = serde_json::from_str(json_text).expect("the export is JSON");
    validator()
        .iter_errors(&value)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

/// What the TEI says, read back: its `u` elements and every reference.
#[derive(Debug, Default)]
pub struct TeiRead {
    pub utterances: usize,
    pub ids: HashSet<String>,
    /// Pointers (`who`, `ref`, `ana`, `corresp`) that point to no `xml:id`.
    pub dangling: Vec<String>,
    /// Text of the `name` elements of the body with their `ref`, in order.
    pub names: Vec<(Option<String>, String)>,
    pub root_namespace: Option<String>,
}

/// Reads a TEI export with quick-xml; an error if it is not well-formed or
/// has a duplicate `xml:id`.
pub fn read_tei(xml: &str) -> Result<TeiRead, String> {
    let mut reader = Reader::from_str(xml);
    let mut read = TeiRead::default();
    let mut pointers = Vec::new();
    let mut in_name: Option<(Option<String>, String)> = None;
    let mut depth = 0usize;
    let mut in_body = false;
    loop {
        let event = reader
            .read_event()
            .map_err(|e| format!("not well-formed: {e}"))?;
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let is_start = matches!(event, Event::Start(_));
                let name = e.name().as_ref().to_string();
                let mut reference = None;
                for a in e.attributes() {
                    let a = a.map_err(|e| format!("bad attribute: {e}"))?;
                    let key = a.key.as_ref().to_string();
                    let value = a
                        .normalized_value(XmlVersion::Implicit1_0)
                        .map_err(|e| format!("bad value: {e}"))?
                        .into_owned();
                    match key.as_str() {
                        "xml:id" if !read.ids.insert(value.clone()) => {
                            return Err(format!("duplicate xml:id {value}"));
                        }
                        "who" | "ref" | "ana" | "corresp" => {
                            if key == "ref" {
                                reference = Some(value.clone());
                            }
                            pointers.extend(value.split_whitespace().map(str::to_string));
                        }
                        "xmlns" if depth == 0 => read.root_namespace = Some(value),
                        _ => {}
                    }
                }
                if name == "u" {
                    read.utterances += 1;
                }
                in_body |= name == "body";
                if name == "name" && is_start && in_body {
                    in_name = Some((reference, String::new()));
                }
                if is_start {
                    depth += 1;
                }
            }
            Event::Text(t) => {
                if let Some((_, text)) = &mut in_name {
                    text.push_str(&t.xml10_content());
                }
            }
            Event::GeneralRef(r) => {
                if let Some((_, text)) = &mut in_name {
                    let entity = r.into_inner();
                    text.push_str(match entity.as_ref() {
                        "amp" => "&",
                        "lt" => "<",
                        "gt" => ">",
                        "quot" => "\"",
                        "apos" => "'",
                        other => return Err(format!("unexpected entity &{other};")),
                    });
                }
            }
            Event::End(e) => {
                depth -= 1;
                if e.name().as_ref() == "name"
                    && let Some(done) = in_name.take()
                {
                    read.names.push(done);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if depth != 0 {
        return Err("unclosed elements".to_string());
    }
    read.dangling = pointers
        .into_iter()
        .filter(|p| !p.strip_prefix('#').is_some_and(|id| read.ids.contains(id)))
        .collect();
    Ok(read)
}

/// Checks every export of one transcript against the others and the core:
/// the JSON validates, the TSV has a row per turn, the TEI reads back with
/// every pointer resolved and a `u` per labelled turn, and the stats agree.
/// Returns the problems found, prefixed with the file's name.
pub fn check_exports(name: &str, text: &str, registry: Option<&Registry>) -> Vec<String> {
    let analysis: Analysis = analyze(text, registry);
    let facts = Facts::new(name, text, &analysis, registry);
    let mut problems = Vec::new();
    let json_text = json::render(&facts, false);
    problems.extend(
        schema_errors(&json_text)
            .into_iter()
            .map(|e| format!("{name}: schema: {e}")),
    );
    let value: serde_json::Value = serde_json::from_str(&json_text).unwrap();
    let turns = value["turns"].as_array().unwrap();
    let table = tsv::render(&facts);
    let rows = table.lines().count() - 1;
    if rows != turns.len() {
        problems.push(format!("{name}: {rows} TSV rows for {} turns", turns.len()));
    }
    let labelled = analysis.syntax.turns().count();
    match read_tei(&tei::render(&facts)) {
        Err(e) => problems.push(format!("{name}: TEI: {e}")),
        Ok(read) => {
            if read.utterances != labelled {
                problems.push(format!(
                    "{name}: {} <u> for {labelled} turns",
                    read.utterances
                ));
            }
            if !read.dangling.is_empty() {
                problems.push(format!(
                    "{name}: TEI pointers to nothing: {:?}",
                    read.dangling
                ));
            }
        }
    }
    let stats = Stats::of_file(text, &analysis.syntax, registry);
    let speaker_words: usize = stats.speakers.values().map(|t| t.words).sum();
    let json_words: usize = turns
        .iter()
        .filter(|t| t["kind"] != "narration")
        .map(|t| t["words"].as_u64().unwrap() as usize)
        .sum();
    let json_questions = turns.iter().filter(|t| t["kind"] == "question").count();
    if speaker_words != stats.words || json_words != stats.words {
        problems.push(format!(
            "{name}: words: speakers {speaker_words}, JSON {json_words}, total {}",
            stats.words
        ));
    }
    if stats.turns != labelled || json_questions != stats.questions {
        problems.push(format!(
            "{name}: stats {} turns {} questions, core {labelled} turns, JSON {json_questions} questions",
            stats.turns, stats.questions
        ));
    }
    problems
}

/// The pages of a corpus folder (`../shared/corpus`: `kremlin/*.txt`,
/// `whitehouse/*.md`) imported, as (name, transcript).
pub fn imported_corpus(dir: &Path) -> Vec<(String, String)> {
    let mut pages: Vec<PathBuf> = Vec::new();
    for sub in ["kremlin", "whitehouse"] {
        let folder = dir.join(sub);
        let entries =
            std::fs::read_dir(&folder).unwrap_or_else(|e| panic!("{}: {e}", folder.display()));
        for entry in entries {
            let path = entry.expect("a folder entry").path();
            if path.extension().is_some_and(|x| x == "txt" || x == "md") {
                pages.push(path);
            }
        }
    }
    pages.sort();
    let options = transcript_ls::import::ImportOptions::default();
    pages
        .par_iter()
        .map(|p| {
            let raw = String::from_utf8_lossy(&std::fs::read(p).unwrap()).into_owned();
            let name = p.strip_prefix(dir).unwrap().display().to_string();
            (name, transcript_ls::import::import(&raw, &options).text)
        })
        .collect()
}
