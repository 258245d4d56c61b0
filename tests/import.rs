//! The importer on its fixtures (the two seeds and corpus pages of different
//! shapes, in `tests/fixtures/import/`): snapshots of the output and the
//! report, the output checks (no errors, questions, turns' words), the seeds
//! against their hand conversions, entity annotation with a registry, tricky
//! inputs, and a property test that any input imports to a clean transcript.

#[path = "import_check.rs"]
mod import_check;

use std::path::{Path, PathBuf};

use import_check::{errors, output_questions, raw_questions, turns_preserved};
use proptest::prelude::*;
use transcript_ls::analysis::{Severity, analyze};
use transcript_ls::import::{EntityNames, ImportOptions, Imported, import};
use transcript_ls::registry::Registry;
use transcript_ls::syntax::{Inline, Item, Paragraph};

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import")
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn import_plain(raw: &str) -> Imported {
    import(raw, &ImportOptions::default())
}

/// Every output check on one raw page.
fn assert_sound(name: &str, raw: &str, imported: &Imported) {
    let errs = errors(&imported.text);
    assert!(
        errs.is_empty(),
        "{name}: errors under check:\n{}",
        errs.join("\n")
    );
    assert_eq!(
        output_questions(&imported.text),
        raw_questions(raw),
        "{name}: questions"
    );
    assert_eq!(
        imported.report.questions,
        raw_questions(raw),
        "{name}: reported questions"
    );
    if let Err(e) = turns_preserved(raw, imported) {
        panic!("{name}: {e}");
    }
    assert!(
        imported.report.errors.is_empty(),
        "{name}: {:?}",
        imported.report.errors
    );
}

#[test]
fn fixtures_snapshots_and_checks() {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(fixtures())
        .expect("fixtures folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    paths.sort();
    assert!(
        paths.len() >= 14,
        "expected the seeds and a dozen corpus pages"
    );
    for path in paths {
        let stem = path.file_stem().unwrap().to_string_lossy().to_string();
        let raw = read(&path);
        let imported = import_plain(&raw);
        assert_sound(&stem, &raw, &imported);
        insta::assert_snapshot!(stem.clone(), imported.text);
        insta::assert_snapshot!(format!("{stem}.report"), imported.report.to_string());
    }
}

/// Turns as (label, plain words) with mentions reduced to their surface.
fn turns(text: &str) -> Vec<(String, String)> {
    let doc = analyze(text, None).syntax;
    let plain = |p: &Paragraph| -> String {
        let mut s = String::new();
        for i in &p.inlines {
            match i {
                Inline::Text(span) => s.push_str(&text[span.clone()]),
                Inline::Mention(m) => s.push_str(&m.surface),
                Inline::Note(n) => s.push_str(&format!("[{}]", n.text)),
            }
        }
        s.split_whitespace().collect::<Vec<_>>().join(" ")
    };
    doc.items
        .iter()
        .filter_map(|item| match item {
            Item::Turn(t) => Some((
                text[t.label.span.clone()].to_string(),
                t.paragraphs.iter().map(plain).collect::<Vec<_>>().join(" "),
            )),
            _ => None,
        })
        .collect()
}

fn headings(text: &str) -> Vec<String> {
    analyze(text, None)
        .syntax
        .items
        .iter()
        .filter_map(|i| match i {
            Item::Heading(h) => Some(h.text.clone()),
            _ => None,
        })
        .collect()
}

fn header_value(text: &str, key: &str) -> Vec<String> {
    let doc = analyze(text, None).syntax;
    doc.header
        .map(|h| h.get(key).map(|e| e.value.clone()).collect())
        .unwrap_or_default()
}

#[test]
fn seeds_match_their_hand_conversions() {
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    for (seed, example) in [
        (
            "000_b6cd861ff3b78f22.txt",
            "examples/vientiane-2016.transcript",
        ),
        (
            "003_c51b0da999bfdefd.txt",
            "examples/moscow-2017.transcript",
        ),
    ] {
        let raw = read(&fixtures().join(seed));
        let ours = import_plain(&raw).text;
        let hand = read(&repo.join(example));
        assert_eq!(
            turns(&ours),
            turns(&hand),
            "{seed}: turns differ from {example}"
        );
        assert_eq!(headings(&ours), headings(&hand), "{seed}: sections");
        for key in ["date", "time", "language", "languages"] {
            assert_eq!(
                header_value(&ours, key),
                header_value(&hand, key),
                "{seed}: {key}"
            );
        }
    }
}

#[test]
fn seed_header_and_report() {
    let raw = read(&fixtures().join("000_b6cd861ff3b78f22.txt"));
    let imported = import_plain(&raw);
    let t = &imported.text;
    assert!(t.starts_with("---\ntitle: Foreign Minister Sergey Lavrov’s opening remarks"));
    assert_eq!(header_value(t, "date"), ["2016-07-26"]);
    assert_eq!(header_value(t, "time"), ["11:31"]);
    assert_eq!(header_value(t, "place"), ["Vientiane"]);
    assert_eq!(header_value(t, "languages"), ["en-GB, ru-RU"]);
    assert_eq!(
        header_value(t, "speaker"),
        ["Sergey Lavrov (Foreign Minister)"]
    );
    let r = &imported.report;
    assert_eq!(r.layout, "foreign-ministry");
    assert_eq!(r.questions, 2);
    assert_eq!(r.turns, 5);
    assert_eq!(r.lines_dropped, 6);
    assert_eq!(r.trailer_line, Some(52));
    let summary = r.to_string();
    assert!(summary.contains("6 lines dropped"), "{summary}");
    assert!(
        summary.contains("attributed to the main speaker, Sergey Lavrov"),
        "{summary}"
    );
}

#[test]
fn kremlin_header_speakers_and_notes() {
    let raw = read(&fixtures().join("kremlin-17108.txt"));
    let imported = import_plain(&raw);
    let t = &imported.text.replace('\u{a0}', " ");
    assert_eq!(header_value(t, "date"), ["2012-12-10"]);
    assert_eq!(header_value(t, "time"), ["17:15"]);
    assert_eq!(header_value(t, "place"), ["Moscow"]);
    assert_eq!(
        header_value(t, "source"),
        ["http://en.kremlin.ru/events/president/news/17108"]
    );
    let speakers = header_value(t, "speaker");
    assert_eq!(speakers[0], "Vladimir Putin (President of Russia)");
    assert!(
        speakers.contains(&"Eduard Bagirov (Writer)".to_string()),
        "{speakers:?}"
    );
    assert!(t.contains(
        "\nVladimir Putin: [responding to remarks by test pilot Magomed Tolboyev] First of all"
    ));
    assert!(t.contains("\n[* * *]\n"));
    assert!(t.contains("\n[…]\n"));
    assert!(t.contains("\n[Pull quote: “"));
}

#[test]
fn long_labels_become_name_and_role() {
    let raw = "Meeting\n\nSeptember 5, 2016\n\n17:20\n\nHangzhou\n\n\
        Research Director of the Foundation for Development and Support of the Valdai Discussion Club, moderator Fyodor Lukyanov: Friends, guests,\n\n\
        President of Russia Vladimir Putin: Good afternoon.\n\n\
        Fyodor Lukyanov: Thank you.\n\n\
        Vladmir Putin: Please.\n\n\
        Question: Why?\n\n\
        Vladimir Putin: Because.\n";
    let imported = import_plain(raw);
    let t = &imported.text;
    assert_eq!(header_value(t, "place"), ["Hangzhou"]);
    let speakers = header_value(t, "speaker");
    assert_eq!(
        speakers,
        [
            "Fyodor Lukyanov (Research Director of the Foundation for Development and Support of the Valdai Discussion Club, moderator)",
            "Vladimir Putin (President of Russia)",
            "Vladmir Putin",
        ]
    );
    assert!(t.contains("\nFyodor Lukyanov: Friends, guests,\n"));
    assert!(t.contains("\nVladimir Putin: Good afternoon.\n"));
    let summary = imported.report.to_string();
    assert!(
        summary.contains("`Vladmir Putin`") && summary.contains("misspelling of `Vladimir Putin`"),
        "{summary}"
    );
    assert_eq!(headings(t), ["Opening remarks", "Questions and answers"]);
    assert!(errors(t).is_empty(), "{:?}", errors(t));
}

#[test]
fn label_like_text_is_escaped_and_brackets_kept() {
    let raw = "Title\n\nSeptember 5, 2016\n\n\
        Vladimir Putin: We read the ruling.\n\n\
        Germany: “This is a matter of self-determination.”\n\n\
        France: “It does not forbid it.”\n\n\
        Moscow, June 16: nothing here is a label.\n\n\
        The sum [in roubles] is large [sic.\n\n\
        # not a heading\n\n\
        // not a comment\n";
    let imported = import_plain(raw);
    let t = &imported.text;
    assert!(t.contains("\n\\Germany: “This"), "{t}");
    assert!(t.contains("\n\\France: “It"), "{t}");
    assert!(t.contains("\nMoscow, June 16: nothing"), "{t}");
    assert!(t.contains(r"The sum \[in roubles\] is large \[sic."), "{t}");
    assert!(t.contains("\n\\# not a heading"), "{t}");
    assert!(t.contains("\n\\// not a comment"), "{t}");
    assert_eq!(turns(t).len(), 1, "{t}");
    assert!(errors(t).is_empty(), "{:?}", errors(t));
}

#[test]
fn empty_and_unknown_inputs() {
    for raw in [
        "",
        "\n\n",
        "\u{feff}",
        "just one line",
        "Question: what?\r\nAnswer",
        "[",
        "]{x}",
    ] {
        let imported = import_plain(raw);
        assert!(
            imported.text.starts_with("---\ntitle: "),
            "{raw:?}: {}",
            imported.text
        );
        assert!(
            errors(&imported.text).is_empty(),
            "{raw:?}: {:?}",
            errors(&imported.text)
        );
    }
    let imported = import_plain("");
    assert_eq!(imported.report.layout, "plain");
    assert!(imported.report.to_string().contains("placeholder"));
}

fn registry_entities(registry: &Registry) -> Vec<EntityNames> {
    registry
        .entities
        .values()
        .map(|e| {
            let mut names = vec![e.name.clone()];
            names.extend(e.aliases.iter().cloned());
            EntityNames {
                id: e.id.clone(),
                names,
            }
        })
        .collect()
}

#[test]
fn entities_annotated_with_a_registry() {
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let registry = Registry::parse(&read(&repo.join("examples/transcripts.json")));
    let options = ImportOptions {
        entities: registry_entities(&registry),
    };
    let raw = read(&fixtures().join("000_b6cd861ff3b78f22.txt"));
    let imported = import(&raw, &options);
    let t = &imported.text;
    assert!(t.contains("[ASEAN]{asean}’s partnership"), "{t}");
    // The longest name wins.
    assert!(
        t.contains("US [Secretary of State John Kerry]{kerry}?"),
        "{t}"
    );
    assert!(
        t.contains("[President Vladimir Putin]{putin}’s initiatives"),
        "{t}"
    );
    assert!(t.contains("[Mr Kerry]{kerry} on the sidelines"), "{t}");
    // Labels stay labels; the header is untouched.
    assert!(t.contains("\nSergey Lavrov: "));
    assert!(imported.report.mentions > 0);
    let analysis = analyze(t, Some(&registry));
    let errs: Vec<_> = analysis
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    assert!(errs.is_empty(), "{errs:?}");
    // The words are the same as without annotation.
    assert_eq!(
        turns(t).iter().map(|(_, w)| w.clone()).collect::<Vec<_>>(),
        turns(&import_plain(&raw).text)
            .iter()
            .map(|(_, w)| w.clone())
            .collect::<Vec<_>>()
    );
}

#[test]
fn whole_words_only_and_never_nested() {
    let options = ImportOptions {
        entities: vec![
            EntityNames {
                id: "kerry".into(),
                names: vec!["Kerry".into(), "Mr Kerry".into()],
            },
            EntityNames {
                id: "laughter".into(),
                names: vec!["Laughter".into()],
            },
        ],
    };
    let raw =
        "T\n\nSeptember 5, 2016\n\nVladimir Putin: Mr Kerry and Kerryson (Laughter) [Kerry].\n";
    let t = import(raw, &options).text;
    assert!(
        t.contains("[Mr Kerry]{kerry} and Kerryson [Laughter] \\[[Kerry]{kerry}\\]."),
        "{t}"
    );
}

/// Lines a raw page might have, to build structured random inputs from.
fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("26 July 201611:31".to_string()),
        Just("September 5, 2016".to_string()),
        Just("17:20".to_string()),
        Just("Hangzhou".to_string()),
        Just("  • en-GB1 ru-RU1".to_string()),
        Just("Question: Why?".to_string()),
        Just("Question (RIA Novosti): And?".to_string()),
        Just("Vladimir Putin: Yes.".to_string()),
        Just("President of Russia Vladimir Putin: Good afternoon.".to_string()),
        Just("Minister Sergey Lavrov     Lavrov SergeyMinister : Hello".to_string()),
        Just("* * *".to_string()),
        Just("<…>".to_string()),
        Just("(Laughter)".to_string()),
        Just("“A quoted line that repeats itself in the text nearby, more or less.”".to_string()),
        Just("See also".to_string()),
        Just("Publication status".to_string()),
        Just("Additional materials".to_string()),
        Just("Geography".to_string()),
        Just("http://en.kremlin.ru/d/1".to_string()),
        Just("# heading".to_string()),
        Just("// comment".to_string()),
        Just("---".to_string()),
        Just("\\".to_string()),
        Just("[x]{y} [z] [12:30] \\[".to_string()),
        Just("Germany: text".to_string()),
        Just(String::new()),
        "[A-Za-z \\[\\]{}():#/\\\\*<>…“”'\u{a0}-]{0,40}",
        any::<String>(),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn any_text_imports_without_errors(raw in any::<String>()) {
        let imported = import_plain(&raw);
        prop_assert!(imported.text.starts_with("---\n"));
        let errs = errors(&imported.text);
        prop_assert!(errs.is_empty(), "{:?}\n{}", errs, imported.text);
    }

    #[test]
    fn page_like_text_imports_without_errors(
        lines in proptest::collection::vec(fragment(), 0..30),
        crlf in any::<bool>(),
    ) {
        let raw = lines.join(if crlf { "\r\n\r\n" } else { "\n\n" });
        let imported = import_plain(&raw);
        let errs = errors(&imported.text);
        prop_assert!(errs.is_empty(), "{:?}\n{}", errs, imported.text);
        prop_assert_eq!(output_questions(&imported.text), imported.report.questions);
    }
}
