//! The export formats on the examples and on a fixture with time codes
//! (`tests/fixtures/export/timed.transcript`): snapshots of each format,
//! the TSV's rows, the TEI read back, the WebVTT's cues in order.

#[path = "export_common.rs"]
mod export_common;

use export_common::{examples_registry, read_tei, root};
use transcript_ls::analysis::{Analysis, SymbolKind, analyze, outline};
use transcript_ls::export::webvtt::{self, WebVttError};
use transcript_ls::export::{Facts, json, tei, tsv};
use transcript_ls::registry::Registry;

struct Loaded {
    name: &'static str,
    text: String,
    registry: Registry,
}

impl Loaded {
    fn new(name: &'static str, registry: &str) -> Loaded {
        Loaded {
            name,
            text: std::fs::read_to_string(root().join(name)).unwrap(),
            registry: Registry::parse(&std::fs::read_to_string(root().join(registry)).unwrap()),
        }
    }

    fn analysis(&self) -> Analysis {
        analyze(&self.text, Some(&self.registry))
    }
}

fn timed() -> Loaded {
    Loaded::new(
        "tests/fixtures/export/timed.transcript",
        "tests/fixtures/export/transcripts.json",
    )
}

fn moscow() -> Loaded {
    Loaded::new(
        "examples/moscow-2017.transcript",
        "examples/transcripts.json",
    )
}

#[test]
fn snapshots_of_every_format() {
    for loaded in [timed(), moscow()] {
        let analysis = loaded.analysis();
        assert!(
            analysis.diagnostics.is_empty(),
            "{:?}",
            analysis.diagnostics
        );
        let facts = Facts::new(loaded.name, &loaded.text, &analysis, Some(&loaded.registry));
        let stem = loaded
            .name
            .rsplit('/')
            .next()
            .unwrap()
            .replace(".transcript", "");
        insta::assert_snapshot!(format!("{stem}.json"), json::render(&facts, true));
        insta::assert_snapshot!(format!("{stem}.tsv"), tsv::render(&facts));
        insta::assert_snapshot!(format!("{stem}.tei.xml"), tei::render(&facts));
        if stem == "timed" {
            insta::assert_snapshot!(format!("{stem}.vtt"), webvtt::render(&facts).unwrap());
        }
    }
}

#[test]
fn tsv_has_a_header_and_a_row_per_turn_on_one_line_each() {
    let registry = examples_registry();
    for (name, text) in export_common::examples()
        .into_iter()
        .chain([("timed".to_string(), timed().text)])
    {
        let analysis = analyze(&text, Some(&registry));
        let facts = Facts::new(&name, &text, &analysis, Some(&registry));
        let table = tsv::render(&facts);
        let lines: Vec<&str> = table.lines().collect();
        assert_eq!(lines[0], tsv::COLUMNS.join("\t"));
        assert_eq!(lines.len() - 1, facts.body.turns.len(), "{name}");
        for line in &lines {
            assert_eq!(line.split('\t').count(), tsv::COLUMNS.len(), "{line}");
        }
    }
    assert_eq!(tsv::escape("a\tb\nc\\n\r"), "a\\tb\\nc\\\\n\\r");
}

#[test]
fn tei_resolves_every_pointer_and_has_a_u_per_turn() {
    for loaded in [timed(), moscow()] {
        let analysis = loaded.analysis();
        let facts = Facts::new(loaded.name, &loaded.text, &analysis, Some(&loaded.registry));
        let read = read_tei(&tei::render(&facts)).unwrap();
        assert_eq!(read.root_namespace.as_deref(), Some(tei::NAMESPACE));
        assert!(read.dangling.is_empty(), "{:?}", read.dangling);
        assert_eq!(read.utterances, analysis.syntax.turns().count());
        let mentions: Vec<String> = analysis
            .syntax
            .mentions()
            .map(|m| m.surface.split_whitespace().collect::<Vec<_>>().join(" "))
            .collect();
        let names: Vec<String> = read.names.iter().map(|(_, t)| t.clone()).collect();
        assert_eq!(names, mentions);
        // Registry entities are pointed to; ad-hoc mentions are not.
        let refs: Vec<Option<String>> = analysis
            .syntax
            .mentions()
            .map(|m| {
                loaded.registry.entity(&m.reference).map(|e| {
                    let id = if tei::is_ncname(e.id()) {
                        e.id().to_string()
                    } else {
                        tei::slug(e.id())
                    };
                    format!("#{id}")
                })
            })
            .collect();
        let read_refs: Vec<Option<String>> = read.names.iter().map(|(r, _)| r.clone()).collect();
        assert_eq!(read_refs, refs);
    }
}

#[test]
fn hostile_text_makes_well_formed_tei() {
    let text = "---\ntitle: <&\u{1}>\ndate: 2017-06-16\nid: x\n---\n\n\
        A \u{1b}[31m: x\n\nB: \u{0}<![CDATA[ ]]> --> & [Mr \"x\"]{person} [\u{7}]\n";
    let analysis = analyze(text, None);
    let facts = Facts::new("f", text, &analysis, None);
    let xml = tei::render(&facts);
    let read = read_tei(&xml).unwrap();
    assert!(read.dangling.is_empty());
    assert!(!xml.contains('\u{0}') && !xml.contains('\u{1}') && !xml.contains('\u{7}'));
    assert!(xml.contains("&lt;![CDATA]&gt; --&gt; &amp;"), "{xml}");
}

#[test]
fn webvtt_cues_follow_the_time_codes_in_order() {
    let loaded = timed();
    let analysis = loaded.analysis();
    let facts = Facts::new(loaded.name, &loaded.text, &analysis, Some(&loaded.registry));
    let cues = webvtt::cues(&facts).unwrap();
    let times: Vec<(u32, u32)> = cues.iter().map(|c| (c.start, c.end)).collect();
    // Two cues at 00:01:40 are one; the last lasts as its words take.
    assert_eq!(
        times,
        [(5, 12), (12, 100), (100, 123), (123, 150), (150, 152)]
    );
    for pair in cues.windows(2) {
        assert!(pair[0].end == pair[1].start && pair[0].start < pair[1].start);
    }
    let voices: Vec<Option<&str>> = cues[2].lines.iter().map(|l| l.voice.as_deref()).collect();
    assert_eq!(voices, [Some("Question (Reuters)"), Some("Jen Psaki")]);
}

#[test]
fn webvtt_skips_backward_time_codes_and_needs_some() {
    let text = "---\ntitle: t\ndate: 2017-06-16\n---\n\nA: Before. [00:10] One. [00:05] Back. [00:20] Two.\n";
    let analysis = analyze(text, None);
    let facts = Facts::new("f", text, &analysis, None);
    let cues = webvtt::cues(&facts).unwrap();
    let seen: Vec<(u32, &str)> = cues
        .iter()
        .map(|c| (c.start, c.lines[0].text.as_str()))
        .collect();
    assert_eq!(seen, [(10, "One. Back."), (20, "Two.")]);

    let text = "---\ntitle: t\ndate: 2017-06-16\n---\n\nA: No time. [applause]\n";
    let analysis = analyze(text, None);
    let facts = Facts::new("f", text, &analysis, None);
    assert_eq!(webvtt::render(&facts), Err(WebVttError::NoTimeCodes));
}

#[test]
fn questions_and_answers_agree_with_the_outline() {
    let loaded = moscow();
    let analysis = loaded.analysis();
    let facts = Facts::new(loaded.name, &loaded.text, &analysis, Some(&loaded.registry));
    let out = json::transcript(&facts);
    let symbols = outline(&loaded.text, &analysis.syntax);
    let mut questions = Vec::new();
    let mut stack: Vec<&transcript_ls::analysis::Symbol> = symbols.iter().collect();
    while let Some(s) = stack.pop() {
        if s.kind == SymbolKind::Question {
            questions.push((
                s.name.split(' ').next().unwrap().to_string(),
                s.children.len(),
            ));
        }
        stack.extend(&s.children);
    }
    questions.sort();
    let mut exported: Vec<(String, usize)> = out
        .turns
        .iter()
        .filter_map(|t| t.question)
        .map(|q| {
            let answers = out.turns.iter().filter(|t| t.answers == Some(q)).count();
            (format!("Q{q}"), answers)
        })
        .collect();
    exported.sort();
    assert_eq!(exported, questions);
    assert_eq!(exported.len(), 3);
}
