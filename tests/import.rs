//! The importer on its fixtures (the two seeds and corpus pages of different
//! shapes, in `tests/fixtures/import/`, White House pages in its
//! `whitehouse/` folder): snapshots of the output and the report, the output
//! checks (no errors, questions, turns' words), the seeds against their hand
//! conversions, entity annotation with a registry, tricky inputs, a made-up
//! source read through a profile (`profile/`), profile validation, and
//! property tests: any input imports to a clean transcript, White House-like
//! pages keep their words, random profiles never panic or hang.

#[path = "import_check.rs"]
mod import_check;

use std::path::{Path, PathBuf};

use import_check::{
    errors, output_questions, questions_of, raw_questions, turns_preserved, whitehouse, words_kept,
};
use proptest::prelude::*;
use transcript_ls::analysis::{Severity, analyze};
use transcript_ls::import::{
    EntityNames, ImportOptions, Imported, Layout, Layouts, import, import_as, profile,
};
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
    transcript_ls::cli::import::entity_names(registry)
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

// ---------------------------------------------------------------------------
// The White House layout

fn whitehouse_fixtures() -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(fixtures().join("whitehouse"))
        .expect("White House fixtures")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "md") && !p.ends_with("README.md"))
        .collect();
    paths.sort();
    paths
}

#[test]
fn whitehouse_snapshots_and_checks() {
    let paths = whitehouse_fixtures();
    assert!(paths.len() >= 15, "expected fifteen White House pages");
    let source = whitehouse();
    for path in paths {
        let stem = path.file_stem().unwrap().to_string_lossy().to_string();
        let raw = read(&path);
        let imported = import_plain(&raw);
        let text = &imported.text;
        assert_eq!(imported.report.layout, "whitehouse", "{stem}");
        let errs = errors(text);
        assert!(errs.is_empty(), "{stem}: {}", errs.join("\n"));
        assert_eq!(
            output_questions(text),
            questions_of(&raw, &source),
            "{stem}: questions"
        );
        assert_eq!(imported.report.questions, output_questions(text), "{stem}");
        if let Err(e) = words_kept(&raw, &imported, &source) {
            panic!("{stem}: {e}");
        }
        insta::assert_snapshot!(format!("whitehouse-{stem}"), text);
        insta::assert_snapshot!(
            format!("whitehouse-{stem}.report"),
            imported.report.to_string()
        );
    }
}

#[test]
fn whitehouse_header_and_speakers() {
    let raw = read(&fixtures().join("whitehouse/briefing-with-guest.md"));
    let t = &import_plain(&raw).text;
    assert_eq!(header_value(t, "date"), ["2022-06-21"]);
    assert_eq!(header_value(t, "time"), ["13:07-04:00"]);
    assert_eq!(
        header_value(t, "place"),
        ["James S. Brady Press Briefing Room"]
    );
    assert_eq!(header_value(t, "tags"), ["press-briefings"]);
    assert_eq!(
        header_value(t, "source"),
        [
            "https://bidenwhitehouse.archives.gov/briefing-room/press-briefings/2022/06/21/press-briefing-by-press-secretary-karine-jean-pierre-and-nsc-coordinator-for-strategic-communications-john-kirby-2/"
        ]
    );
    let speakers = header_value(t, "speaker");
    assert!(
        speakers.contains(&"Karine Jean-Pierre (Press Secretary)".to_string()),
        "{speakers:?}"
    );
    assert!(
        speakers.contains(&"John Kirby (NSC Coordinator for Strategic Communications)".to_string()),
        "{speakers:?}"
    );
    assert!(
        t.contains("\nQuestion: "),
        "questions are `Question:` turns"
    );
    assert!(!t.contains("\nQ "), "no `Q` left as text");

    let t = &import_plain(&read(
        &fixtures().join("whitehouse/exchange-with-the-president.md"),
    ))
    .text;
    assert_eq!(
        header_value(t, "speaker"),
        ["Joe Biden (President of the United States)"]
    );
    assert!(t.contains("[Laughter.]"), "{t}");

    let imported = import_plain(&read(&fixtures().join("whitehouse/unknown-time-zone.md")));
    let t = &imported.text;
    assert_eq!(header_value(t, "x-time-zone"), ["AST"]);
    assert!(!header_value(t, "time")[0].contains(['+', '-']));
    assert!(imported.report.to_string().contains("`AST`"));

    let imported = import_plain(&read(&fixtures().join("whitehouse/covid-response-team.md")));
    assert!(
        imported
            .text
            .contains("\n// After the transcript: To view the COVID Press Briefing slides"),
        "{}",
        imported.text
    );
    assert!(imported.report.lines_dropped >= 1);

    let t = &import_plain(&read(&fixtures().join("whitehouse/corrections.md"))).text;
    assert!(!t.contains("<s>"), "HTML tags are removed");
}

#[test]
fn whitehouse_markdown_and_wrapping() {
    let raw = "---\ntitle: \"Press Briefing by Press Secretary Jen\\_Psaki, May\\\n  \\ 3, 2021\"\ndate: '2021-05-03'\nsource_url: https://bidenwhitehouse.archives.gov/x/\n---\n\n*Via Teleconference*\n\n1:07 P.M. EDT\n\nMS. PSAKI:\u{a0} Good afternoon.\u{a0} The \\[senior\nadministration official\\] said\n*hello* (Laughter.)  \nQ\u{a0}\u{a0}\u{a0} Thanks, Jen.\n\nMS.\u{a0} PSAKI:\u{a0} Sure.\n\nEND\u{a0}\u{a0} 1:24 P.M.\nEDT\n\n\\###\n";
    let imported = import_plain(raw);
    let t = &imported.text;
    assert_eq!(
        header_value(t, "title"),
        ["Press Briefing by Press Secretary Jen Psaki, May 3, 2021"]
    );
    assert_eq!(header_value(t, "time"), ["13:07-04:00"]);
    assert_eq!(header_value(t, "place"), ["Via Teleconference"]);
    assert_eq!(header_value(t, "speaker"), ["Jen Psaki (Press Secretary)"]);
    assert!(
        t.contains("\nJen Psaki: Good afternoon. The [senior administration official] said hello [Laughter.]\n"),
        "{t}"
    );
    assert!(
        t.contains("\nQuestion: Thanks, Jen.\n\nJen Psaki: Sure.\n"),
        "{t}"
    );
    assert!(
        !t.contains("END") && !t.contains("###") && !t.contains("1:24"),
        "{t}"
    );
    assert_eq!(imported.report.lines_dropped, 3);
    assert!(errors(t).is_empty(), "{:?}", errors(t));
}

#[test]
fn a_question_with_a_colon_stays_a_question() {
    // Issue 14: this line once became a turn of a speaker called "Tyre Nichols".
    let raw = "---\ntitle: Press Briefing by Press Secretary Karine Jean-Pierre\ndate: '2023-01-30'\nsource_url: https://www.whitehouse.gov/briefing-room/press-briefings/2023/01/30/x/\n---\n\nJames S. Brady Press Briefing Room\n\n2:31 P.M. EST\n\nQ\u{a0}\u{a0}\u{a0} On Tyre Nichols: The negotiations are stalled.\n\nMS. JEAN-PIERRE:\u{a0} Thank you.\n";
    let t = &import_plain(raw).text;
    assert!(
        t.contains("\nQuestion: On Tyre Nichols: The negotiations are stalled.\n"),
        "{t}"
    );
    assert_eq!(
        header_value(t, "speaker"),
        ["Karine Jean-Pierre (Press Secretary)"]
    );
    assert_eq!(header_value(t, "time"), ["14:31-05:00"]);
    assert!(errors(t).is_empty(), "{:?}", errors(t));
}

// ---------------------------------------------------------------------------
// Profiles

fn riverside() -> (String, String) {
    let dir = fixtures().join("profile");
    (
        read(&dir.join("riverside.json")),
        read(&dir.join("riverside.txt")),
    )
}

#[test]
fn a_made_up_source_through_a_profile() {
    let (json, raw) = riverside();
    let p = profile::from_file_text(&json).expect("a valid profile");
    // No built-in layout fits the page.
    assert!(Layouts::default().detect(&raw).is_none());
    let mut layouts = Layouts::default();
    layouts
        .add(Layout::from_profile(p, "riverside.json"))
        .unwrap();
    let layout = layouts.detect(&raw).expect("the profile fits");
    assert_eq!(layout.name(), "riverside");
    let imported = import_as(&raw, layout, &ImportOptions::default());
    let t = &imported.text;
    insta::assert_snapshot!("profile-riverside", t);
    insta::assert_snapshot!("profile-riverside.report", imported.report.to_string());
    assert!(errors(t).is_empty(), "{:?}", errors(t));
    assert_eq!(header_value(t, "date"), ["2024-03-14"]);
    assert_eq!(header_value(t, "time"), ["10:30"]);
    assert_eq!(header_value(t, "place"), ["Council Chamber, Riverside"]);
    assert_eq!(
        header_value(t, "speaker"),
        [
            "Rosa Alvarez (Mayor of Riverside)",
            "Wei Chen (Deputy Mayor of Riverside)"
        ]
    );
    assert!(t.contains("\nQuestion (Riverside Gazette): Mayor, what did"));
    assert!(!t.contains("Share this") && !t.contains("©"));
    assert_eq!(imported.report.questions, 2);
    // A name taken by a built-in layout is refused.
    let mut again = Layouts::default();
    let mut taken = profile::from_file_text(&json).unwrap();
    taken.name = "kremlin".into();
    assert!(
        again
            .add(Layout::from_profile(taken, "x.json"))
            .unwrap_err()
            .contains("taken")
    );
}

#[test]
fn the_worked_example_in_the_docs_is_the_fixture() {
    let docs = read(&PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("docs/import.md"));
    let (json, raw) = riverside();
    assert!(
        docs.contains(json.trim()),
        "docs/import.md must show tests/fixtures/import/profile/riverside.json"
    );
    assert!(
        docs.contains(raw.trim()),
        "docs/import.md must show tests/fixtures/import/profile/riverside.txt"
    );
}

/// A profile's problems as `LINE:COL: message (help)`.
fn problems(json: &str, errors: &[profile::ProfileError]) -> String {
    errors
        .iter()
        .map(|e| {
            let before = &json[..e.span.start];
            let line = before.matches('\n').count() + 1;
            let col = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
            format!(
                "{line}:{col}: {}{}",
                e.message,
                e.help
                    .as_deref()
                    .map(|h| format!(" ({h})"))
                    .unwrap_or_default()
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn profile_problems_are_reported_where_they_are() {
    let json = r#"{
  "name": "Bad Name",
  "detcet": ["^x"],
  "header": [
    { "match": "(unclosed" },
    { "match": "^(?<when>.+)$", "within": 99 },
    { "optional": true }
  ],
  "labels": { "speaker": "^(?<who>[A-Z]+):", "people": [{ "name": "A (B)", "labels": ["A"], "from": "2021-13-01" }] },
  "drop": ["(?:\\w{100}){100}", 7],
  "zones": { "EDT": "-4" },
  "hard_wrapped": "yes"
}"#;
    let errors = profile::from_file_text(json).unwrap_err();
    insta::assert_snapshot!("profile-problems", problems(json, &errors));

    let registry =
        r#"{ "entities": {}, "import": { "profile": [], "profiles": [ { "name": "a" } ] } }"#;
    let errors = profile::from_registry_text(registry).unwrap_err();
    insta::assert_snapshot!("profile-problems-in-registry", problems(registry, &errors));

    let errors = profile::from_file_text("{ \"name\": ").unwrap_err();
    assert!(
        errors[0].message.starts_with("not valid JSON"),
        "{errors:?}"
    );
    // The registry's own check accepts the `import` field.
    assert!(Registry::parse(registry).problems().is_empty());
    assert!(profile::from_registry_text("{}").unwrap().is_empty());
}

/// Lines of a White House page's body, to build random pages from.
fn whitehouse_fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("MS. PSAKI:\u{a0} Good afternoon.\u{a0} We".to_string()),
        Just("Q\u{a0}\u{a0}\u{a0} Thanks, Jen.".to_string()),
        Just("Q: Does he".to_string()),
        Just("THE PRESIDENT:\u{a0} Well, (laughter)".to_string()),
        Just(
            "SENIOR ADMINISTRATION OFFICIAL:\u{a0} \\[senior administration official\\] said"
                .to_string()
        ),
        Just("MODERATOR:".to_string()),
        Just("(Cross-talk.)".to_string()),
        Just("*Q\u{a0}\u{a0}\u{a0} Hi, Karine.*".to_string()),
        Just("<s>lowe</s>r \\[slower\\] deliveries".to_string()),
        Just("visit: <https://example.gov/a_b>".to_string()),
        Just("END\u{a0}\u{a0} 1:24 P.M.".to_string()),
        Just("EST".to_string()),
        Just("\\###".to_string()),
        Just("12:54 P.M. BST".to_string()),
        Just("<figure><img src=\"x.gif\"></figure>".to_string()),
        Just("COVID:".to_string()),
        Just("# not a heading".to_string()),
        Just("// not a comment".to_string()),
        Just(String::new()),
        "[A-Za-z .,:;?!’“”()\\[\\]*_#/\u{a0}-]{0,60}",
    ]
}

/// Strings for random profiles: pattern pieces, names, values.
fn profile_piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("^".to_string()),
        Just("$".to_string()),
        Just("(?<title>.+)".to_string()),
        Just("(?<label>[A-Z]+)".to_string()),
        Just("(?<year>\\\\d{4})".to_string()),
        Just("(?<month>\\\\w+)".to_string()),
        Just("(?<day>\\\\d+)".to_string()),
        Just("(?<hour>\\\\d+):(?<minute>\\\\d+)".to_string()),
        Just("(?<rest>.*)".to_string()),
        Just("(?<note>[a-z]+)".to_string()),
        Just(".*".to_string()),
        Just("(a+)+".to_string()),
        Just("[".to_string()),
        Just("\\\\".to_string()),
        Just("Q\\\\s".to_string()),
        Just(":".to_string()),
        "[A-Za-z(){}\\[\\]*+?|.^$ -]{0,12}",
    ]
}

/// A random profile, as JSON text: known fields with values of the right
/// kind or not, and unknown ones.
fn pattern() -> impl Strategy<Value = String> {
    proptest::collection::vec(profile_piece(), 0..6).prop_map(|p| p.concat())
}

fn random_profile() -> impl Strategy<Value = String> {
    let value = prop_oneof![
        pattern().prop_map(serde_json::Value::String),
        proptest::collection::vec(pattern(), 0..3)
            .prop_map(serde_json::Value::from),
        any::<bool>().prop_map(serde_json::Value::Bool),
        (0u64..100).prop_map(serde_json::Value::from),
        (pattern(), 0u64..5, any::<bool>()).prop_map(|(m, w, o)| {
            serde_json::json!([{ "match": m, "within": w, "optional": o, "skipped": "place" }])
        }),
        (pattern(), pattern()).prop_map(|(q, s)| {
            serde_json::json!({ "question": q, "speaker": s, "people": [{ "name": "X Y", "labels": ["A"] }] })
        }),
    ];
    let fields = proptest::sample::select(vec![
        "detect",
        "detect_lines",
        "front_matter",
        "header",
        "title_place",
        "hard_wrapped",
        "markdown",
        "labels",
        "drop",
        "drop_blocks",
        "comments",
        "end",
        "asides",
        "captions",
        "pull_quotes",
        "zones",
        "opening_remarks",
        "link_blocks",
        "nonsense",
    ]);
    (proptest::collection::vec((fields, value), 0..8), pattern()).prop_map(|(pairs, detect)| {
        let mut map = serde_json::Map::new();
        map.insert("name".into(), "random".into());
        map.insert("detect".into(), serde_json::Value::from(vec![detect]));
        for (k, v) in pairs {
            map.insert(k.to_string(), v);
        }
        serde_json::Value::Object(map).to_string()
    })
}

/// Found by the property below: a line ending in markup (`A) _`) ends a
/// sentence, so the label on the next line opens a turn.
#[test]
fn a_label_after_a_line_ending_in_markup_opens_a_turn() {
    let mut raw = String::from(
        "---\ntitle: \"Press Briefing by Press Secretary Jen\\_Psaki\"\ndate: '2021-05-03'\nsource_url: https://bidenwhitehouse.archives.gov/x/\n---\n\n1:07 P.M. EDT\n\nCOVID:\n# not a heading\n",
    );
    for _ in 0..20 {
        raw.push_str("MS. PSAKI:\u{a0} Good afternoon.\u{a0} We\n");
    }
    raw.push_str("A) _\nMS. PSAKI:\u{a0} Good afternoon.\u{a0} We\n");
    let imported = import_plain(&raw);
    assert!(
        imported
            .text
            .ends_with("We A)\n\nJen Psaki: Good afternoon. We\n"),
        "{}",
        imported.text
    );
    assert_eq!(words_kept(&raw, &imported, &whitehouse()), Ok(()));
}

/// Found by the property below: a label glued to its text (`Q:a`) is a
/// turn whose words are the text's, and the check finds them in the page.
#[test]
fn a_label_glued_to_its_text_keeps_the_text() {
    let raw = "---\ntitle: \"Press Briefing by Press Secretary Jen\\_Psaki\"\ndate: '2021-05-03'\nsource_url: https://bidenwhitehouse.archives.gov/x/\n---\n\n1:07 P.M. EDT\n\nQ:a\n";
    let imported = import_plain(raw);
    assert!(
        imported.text.ends_with("\nQuestion: a\n"),
        "{}",
        imported.text
    );
    assert_eq!(words_kept(raw, &imported, &whitehouse()), Ok(()));
}

/// Found by the property below: a label after Markdown emphasis (`_A:`)
/// is a label, so its word is the speaker's name, not lost text.
#[test]
fn a_label_after_emphasis_is_a_label() {
    let raw = "---\ntitle: \"Press Briefing by Press Secretary Jen\\_Psaki\"\ndate: '2021-05-03'\nsource_url: https://bidenwhitehouse.archives.gov/x/\n---\n\n1:07 P.M. EDT\n\nMS. PSAKI:\u{a0} Good afternoon.\n\nEND\u{a0}\u{a0} 1:24 P.M.\n\n_A:\u{a0}\n";
    let imported = import_plain(raw);
    assert!(imported.text.ends_with("\nA:\n"), "{}", imported.text);
    assert_eq!(words_kept(raw, &imported, &whitehouse()), Ok(()));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn whitehouse_like_pages_import_clean_and_complete(
        lines in proptest::collection::vec(whitehouse_fragment(), 0..30),
        blank in proptest::collection::vec(any::<bool>(), 30),
    ) {
        let mut raw = String::from("---\ntitle: \"Press Briefing by Press Secretary Jen\\_Psaki\"\ndate: '2021-05-03'\nsource_url: https://bidenwhitehouse.archives.gov/x/\n---\n\nJames S. Brady Press Briefing Room\n\n1:07 P.M. EDT\n\n");
        for (k, line) in lines.iter().enumerate() {
            // Lines that are dropped or kept as comments stand alone, as on the site.
            let alone = line.starts_with("END") || line.contains("###") || line.contains("<figure>")
                || line.starts_with("12:54") || line == "EST";
            if alone {
                raw.push('\n');
            }
            raw.push_str(line);
            raw.push_str(if blank[k] || alone { "\n\n" } else { "\n" });
        }
        let imported = import_plain(&raw);
        prop_assert_eq!(&imported.report.layout, "whitehouse");
        let errs = errors(&imported.text);
        prop_assert!(errs.is_empty(), "{:?}\n{}", errs, imported.text);
        prop_assert_eq!(output_questions(&imported.text), imported.report.questions);
        prop_assert!(words_kept(&raw, &imported, &whitehouse()).is_ok(), "{:?}\n{}", words_kept(&raw, &imported, &whitehouse()), imported.text);
    }

    #[test]
    fn any_text_under_the_whitehouse_layout_has_no_errors(body in any::<String>()) {
        let raw = format!("---\ntitle: T\ndate: '2021-05-03'\nsource_url: https://bidenwhitehouse.archives.gov/x/\n---\n{body}");
        let imported = import_plain(&raw);
        prop_assert_eq!(&imported.report.layout, "whitehouse");
        let errs = errors(&imported.text);
        prop_assert!(errs.is_empty(), "{:?}\n{}", errs, imported.text);
    }

    #[test]
    fn any_text_as_a_profile_is_read_or_refused(text in any::<String>()) {
        // Never a panic: a profile or its problems, each inside the text.
        match profile::from_file_text(&text) {
            Ok(_) => {}
            Err(errors) => {
                prop_assert!(!errors.is_empty());
                for e in errors {
                    prop_assert!(e.span.end <= text.len().max(1), "{:?}", e);
                }
            }
        }
        let _ = profile::from_registry_text(&text);
    }

    #[test]
    fn random_profiles_never_panic_or_hang(
        json in random_profile(),
        lines in proptest::collection::vec(prop_oneof![whitehouse_fragment(), fragment()], 0..20),
    ) {
        let started = std::time::Instant::now();
        let raw = lines.join("\n");
        if let Ok(p) = profile::from_file_text(&json) {
            let layout = Layout::from_profile(p, "random.json");
            let mut layouts = Layouts::default();
            layouts.add(layout.clone()).unwrap();
            let _ = layouts.detect(&raw);
            let imported = import_as(&raw, &layout, &ImportOptions::default());
            let errs = errors(&imported.text);
            prop_assert!(errs.is_empty(), "{:?}\n{}\n{}", errs, json, imported.text);
        }
        prop_assert!(started.elapsed() < std::time::Duration::from_secs(5), "slow: {json}");
    }
}
