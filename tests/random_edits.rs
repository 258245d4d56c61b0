//! Randomized incremental editing. The core edit path
//! (`transcript_ls::server::char_index` on a rope, exactly as the server's
//! document store applies a change) is run against a `String` model written
//! from the protocol's words, over thousands of random edits with
//! multi-byte and astral characters, CRLF, lone CRs and positions inside
//! characters or past the end: after every edit the texts are equal, and at
//! the end the outline and diagnostics equal a fresh analysis. A smaller
//! property runs the real server over stdio in UTF-16 and UTF-8.
//!
//! The model and the decoder of random edits are shared with the fuzz
//! targets (`fuzz/src/lib.rs`).

mod common;

#[allow(dead_code)]
#[path = "../fuzz/src/lib.rs"]
mod fuzz;

use common::{Enc, Server, assert_holds};
use fuzz::{Change, Unit, apply_to_model, apply_to_rope, check_position, line_ranges};
use proptest::prelude::*;
use proptest::test_runner::Config;
use ropey::Rope;
use serde_json::json;
use transcript_ls::analysis::{analyze, outline};
use transcript_ls::text::LineCol;

const BIN: &str = env!("CARGO_BIN_EXE_transcript-ls");

fn config(cases: u32) -> Config {
    Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    }
}

fn lc(line: u32, col: u32) -> LineCol {
    LineCol { line, col }
}

fn change(start: LineCol, end: LineCol, text: &str) -> Change {
    Change {
        range: Some((start, end)),
        text: text.to_string(),
    }
}

/// Applies one change to a rope (as the server) and to the model, checks the
/// positions agree, and returns the text both hold.
fn apply_both(text: &str, ch: &Change, unit: Unit) -> String {
    let mut rope = Rope::from_str(text);
    if let Some((s, e)) = ch.range {
        check_position(&rope, text, s, unit);
        check_position(&rope, text, e, unit);
    }
    apply_to_rope(&mut rope, ch, unit);
    let mut model = text.to_string();
    apply_to_model(&mut model, ch, unit);
    assert_eq!(rope.to_string(), model, "{ch:?} on {text:?} ({unit:?})");
    model
}

/// Edits that split, join or land inside multi-byte characters and line
/// endings, each with the text written out by hand: so the model itself is
/// checked, not only the agreement.
#[test]
fn edits_at_awkward_places_give_the_expected_text() {
    let u16 = Unit::Utf16;
    let u8 = Unit::Utf8;
    let cases: Vec<(&str, Change, Unit, &str)> = vec![
        // A lone CR at the end becomes a CRLF when an LF is typed after it.
        ("a\r", change(lc(0, 2), lc(0, 2), "\nb"), u16, "a\r\nb"),
        // Deleting what separates a CR from an LF joins them into one ending.
        ("a\rX\nb", change(lc(0, 2), lc(0, 3), ""), u16, "a\r\nb"),
        // A column past the end of a CRLF line is before the CR.
        (
            "ab\r\ncd",
            change(lc(0, 9), lc(0, 9), "!"),
            u16,
            "ab!\r\ncd",
        ),
        // Deleting the line ending of a CRLF line removes both characters.
        ("ab\r\ncd", change(lc(0, 2), lc(1, 0), ""), u16, "abcd"),
        // Inserting an LF before a CRLF's CR: the CR stays with its LF.
        (
            "ab\r\ncd",
            change(lc(0, 1), lc(0, 1), "\n"),
            u16,
            "a\nb\r\ncd",
        ),
        // The middle of a surrogate pair is the start of the character.
        ("x😀y", change(lc(0, 2), lc(0, 2), "|"), u16, "x|😀y"),
        // A range ending inside the pair keeps the emoji.
        ("x😀y", change(lc(0, 0), lc(0, 2), ""), u16, "😀y"),
        // A range starting inside it and ending after it removes it.
        ("x😀y", change(lc(0, 2), lc(0, 3), ""), u16, "xy"),
        // In UTF-8, a column inside a character is its start.
        ("é’z", change(lc(0, 1), lc(0, 4), "-"), u8, "-’z"),
        ("é’z", change(lc(0, 3), lc(0, 5), "-"), u8, "é-z"),
        // A combining accent is a character of its own.
        ("e\u{301}!", change(lc(0, 1), lc(0, 2), ""), u16, "e!"),
        // A BOM is a column like any other character.
        (
            "\u{feff}---",
            change(lc(0, 1), lc(0, 1), "x"),
            u16,
            "\u{feff}x---",
        ),
        // Lines past the end, huge columns, reversed ranges.
        ("a\nb", change(lc(7, 0), lc(9, 9), "c"), u16, "a\nbc"),
        (
            "a\nb",
            change(lc(0, u32::MAX), lc(u32::MAX, u32::MAX), ""),
            u16,
            "a",
        ),
        ("abc", change(lc(0, 2), lc(0, 1), "X"), u16, "abXc"),
        // A whole-text change.
        (
            "old",
            Change {
                range: None,
                text: "new\r\n".into(),
            },
            u16,
            "new\r\n",
        ),
    ];
    for (text, ch, unit, want) in cases {
        assert_eq!(apply_both(text, &ch, unit), want, "{ch:?} on {text:?}");
    }
}

/// Text pieces for edits and initial texts (from the fuzz targets' list).
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => proptest::sample::select(fuzz::PIECES).prop_map(String::from),
        1 => any::<char>().prop_map(String::from),
    ]
}

fn pieces(max: usize) -> impl Strategy<Value = String> {
    proptest::collection::vec(piece(), 0..=max).prop_map(|v| v.concat())
}

/// Where an edit goes, relative to the text it is applied to.
#[derive(Debug, Clone)]
enum Place {
    /// A line and column chosen as fractions of the line count and width.
    Within(u16, u16),
    /// A column past the end of its line.
    PastLine(u16, u8),
    /// A line past the end of the text.
    PastText(u8),
    Huge,
}

fn place() -> impl Strategy<Value = Place> {
    prop_oneof![
        12 => (any::<u16>(), any::<u16>()).prop_map(|(l, c)| Place::Within(l, c)),
        2 => (any::<u16>(), 1..5u8).prop_map(|(l, c)| Place::PastLine(l, c)),
        1 => (0..3u8).prop_map(Place::PastText),
        1 => Just(Place::Huge),
    ]
}

fn resolve(place: &Place, text: &str, unit: Unit) -> LineCol {
    let lines = line_ranges(text);
    let width = |line: usize| -> u32 {
        lines.get(line).map_or(0, |r| {
            text[r.clone()].chars().map(|c| unit.width(c) as u32).sum()
        })
    };
    let pick = |f: u16, n: usize| (f as usize * n) / (u16::MAX as usize + 1);
    match *place {
        Place::Within(l, c) => {
            let line = pick(l, lines.len());
            let col = pick(c, width(line) as usize + 1) as u32;
            lc(line as u32, col)
        }
        Place::PastLine(l, extra) => {
            let line = pick(l, lines.len());
            lc(line as u32, width(line) + extra as u32)
        }
        Place::PastText(extra) => lc(lines.len() as u32 + extra as u32, 0),
        Place::Huge => lc(u32::MAX, u32::MAX),
    }
}

#[derive(Debug, Clone)]
struct AbstractEdit {
    start: Place,
    /// `None`: an insertion at `start`.
    end: Option<Place>,
    text: String,
    whole: bool,
}

fn edit() -> impl Strategy<Value = AbstractEdit> {
    (
        place(),
        proptest::option::weighted(0.6, place()),
        pieces(4),
        proptest::bool::weighted(0.01),
    )
        .prop_map(|(start, end, text, whole)| AbstractEdit {
            start,
            end,
            text,
            whole,
        })
}

fn concrete(e: &AbstractEdit, text: &str, unit: Unit) -> Change {
    if e.whole {
        return Change {
            range: None,
            text: e.text.clone(),
        };
    }
    let start = resolve(&e.start, text, unit);
    let end = e.end.as_ref().map_or(start, |p| resolve(p, text, unit));
    // Ranges come in either order: a reversed one inserts at its start.
    Change {
        range: Some((start, end)),
        text: e.text.clone(),
    }
}

fn unit() -> impl Strategy<Value = Unit> {
    prop_oneof![Just(Unit::Utf16), Just(Unit::Utf8), Just(Unit::Chars)]
}

proptest! {
    #![proptest_config(config(64))]

    /// 64 runs of up to 300 edits each: about 9,500 edits per test run.
    #[test]
    fn random_edits_on_the_core_edit_path(
        unit in unit(),
        initial in pieces(40),
        edits in proptest::collection::vec(edit(), 1..300),
    ) {
        let mut rope = Rope::from_str(&initial);
        let mut model = initial.clone();
        for e in &edits {
            let ch = concrete(e, &model, unit);
            if let Some((s, end)) = ch.range {
                check_position(&rope, &model, s, unit);
                check_position(&rope, &model, end, unit);
            }
            apply_to_rope(&mut rope, &ch, unit);
            apply_to_model(&mut model, &ch, unit);
            prop_assert_eq!(rope.to_string(), model.clone(), "after {:?}", ch);
            prop_assert_eq!(rope.len_lines(), line_ranges(&model).len());
        }
        // The server analyses the rope's text; a fresh analysis the model's.
        let edited_text = rope.to_string();
        let edited = analyze(&edited_text, Some(fuzz::registry()));
        let fresh = analyze(&model, Some(fuzz::registry()));
        prop_assert_eq!(&edited.diagnostics, &fresh.diagnostics);
        prop_assert_eq!(outline(&edited_text, &edited.syntax), outline(&model, &fresh.syntax));
        fuzz::check_analysis(&edited_text, &edited, Some(fuzz::registry()));
    }

    /// The decoder of the `edits` fuzz target on random bytes: the same
    /// checks as the fuzzer, in CI.
    #[test]
    fn the_edits_fuzz_target_on_random_bytes(
        data in proptest::collection::vec(any::<u8>(), 0..3000),
    ) {
        fuzz::edits(&data);
    }
}

fn capabilities(enc: Enc) -> serde_json::Value {
    let mut caps = common::editor_capabilities();
    if enc == Enc::Utf8 {
        caps["general"] = json!({"positionEncodings": ["utf-8", "utf-16"]});
    }
    caps
}

proptest! {
    #![proptest_config(config(24))]

    /// The real server over stdio: random edits in batches of 1 to 4 changes
    /// per `didChange`, sent without waiting; then its diagnostics and
    /// outline equal the core's analysis of the model's text.
    #[test]
    fn random_edits_over_stdio(
        utf8 in any::<bool>(),
        initial in pieces(30),
        batches in proptest::collection::vec(proptest::collection::vec(edit(), 1..=4), 1..40),
    ) {
        let (enc, unit) = if utf8 { (Enc::Utf8, Unit::Utf8) } else { (Enc::Utf16, Unit::Utf16) };
        let mut server = Server::spawn(BIN);
        let result = server.initialize(capabilities(enc));
        let negotiated = if utf8 { "utf-8" } else { "utf-16" };
        prop_assert_eq!(&result["capabilities"]["positionEncoding"], &json!(negotiated));
        let uri = "untitled:random-edits";
        let mut model = initial.clone();
        server.did_open(uri, 1, &model);
        let mut version = 1;
        for batch in &batches {
            let mut changes = Vec::new();
            for e in batch {
                let ch = concrete(e, &model, unit);
                apply_to_model(&mut model, &ch, unit);
                changes.push(match ch.range {
                    None => json!({"text": ch.text}),
                    Some((s, end)) => json!({
                        "range": {
                            "start": {"line": s.line, "character": s.col},
                            "end": {"line": end.line, "character": end.col},
                        },
                        "text": ch.text,
                    }),
                });
            }
            version += 1;
            server.did_change(uri, version, changes);
        }
        assert_holds(&mut server, uri, version, &model, enc);
        server.assert_no_panic();
        server.shutdown_and_exit();
    }
}
