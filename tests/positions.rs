//! Exact positions on lines holding typographic characters (’ “ ” –),
//! no-break spaces and characters outside the Basic Multilingual Plane
//! (😀, 𝄞) before the flagged element, in the three column units: UTF-16
//! code units (LSP default), UTF-8 bytes and characters (what `check` prints).
//!
//! The expected columns are counted by hand in the comments: ’ “ ” – are one
//! character, one UTF-16 unit and three bytes; a no-break space is one
//! character, one unit and two bytes; 😀 and 𝄞 are one character, two units
//! (a surrogate pair) and four bytes.

use transcript_ls::analysis::{Diagnostic, analyze};
use transcript_ls::diagnostic::Rule;
use transcript_ls::syntax::Span;
use transcript_ls::text::{Encoding, LineCol, LineIndex};

/// Line and column of a byte offset in characters, UTF-16 units and bytes.
#[derive(Debug, PartialEq, Eq)]
struct At {
    line: u32,
    chars: u32,
    utf16: u32,
    utf8: u32,
}

fn at(line: u32, chars: u32, utf16: u32, utf8: u32) -> At {
    At {
        line,
        chars,
        utf16,
        utf8,
    }
}

fn locate(text: &str, offset: usize) -> At {
    let index = LineIndex::new(text);
    let lc = |e| index.line_col(text, offset, e);
    let (c, u16, u8) = (lc(Encoding::Chars), lc(Encoding::Utf16), lc(Encoding::Utf8));
    assert_eq!(c.line, u16.line);
    assert_eq!(c.line, u8.line);
    at(c.line, c.col, u16.col, u8.col)
}

/// The diagnostics of `text` (no registry) with `rule`.
fn of_rule(text: &str, rule: Rule) -> Vec<Diagnostic> {
    analyze(text, None)
        .diagnostics
        .into_iter()
        .filter(|d| d.rule == rule)
        .collect()
}

fn only(text: &str, rule: Rule) -> Diagnostic {
    let mut found = of_rule(text, rule);
    assert_eq!(found.len(), 1, "{rule:?} in {text:?}: {found:#?}");
    found.remove(0)
}

fn assert_span(text: &str, span: &Span, start: At, end: At) {
    assert_eq!(locate(text, span.start), start, "start of {span:?}");
    assert_eq!(locate(text, span.end), end, "end of {span:?}");
}

/// offset -> line and column -> offset gives the same offset, in every unit.
fn assert_round_trip(text: &str, offset: usize) {
    let index = LineIndex::new(text);
    for e in [Encoding::Utf16, Encoding::Utf8, Encoding::Chars] {
        let lc = index.line_col(text, offset, e);
        assert_eq!(
            index.offset(text, lc, e),
            offset,
            "{e:?} round trip of {offset} via {lc:?} in {text:?}"
        );
    }
}

/// Every range of every diagnostic of `text` (and of its related places)
/// lies on character boundaries and survives the round trip.
fn assert_all_round_trip(text: &str) {
    let analysis = analyze(text, None);
    assert!(!analysis.diagnostics.is_empty());
    for d in &analysis.diagnostics {
        let spans = std::iter::once(&d.span).chain(d.related.iter().map(|r| &r.span));
        for span in spans {
            assert!(span.start <= span.end && span.end <= text.len(), "{d:?}");
            for offset in [span.start, span.end] {
                assert!(text.is_char_boundary(offset), "{d:?}");
                assert_round_trip(text, offset);
            }
        }
    }
}

const HEAD: &str = "---\ntitle: T\ndate: 2017-06-16\n---\n\n";

#[test]
fn unknown_entity_after_quotes_dashes_nbsp_and_astral_characters() {
    let text = format!("{HEAD}Sergey Lavrov: “We’re” –\u{a0}😀 𝄞 [Mr X]{{nobody}}.\n");
    let d = only(&text, Rule::UnknownEntity);
    assert_eq!(&text[d.span.clone()], "nobody");
    // Before `nobody` on line 5:
    //   `Sergey Lavrov: `  15 chars, 15 units, 15 bytes
    //   `“We’re”`           7 chars,  7 units, 13 bytes (3 three-byte characters)
    //   ` – ` minus its last space: ` –`  2 chars, 2 units, 4 bytes
    //   no-break space      1 char,   1 unit,   2 bytes
    //   `😀 𝄞 `             4 chars,  6 units, 10 bytes
    //   `[Mr X]{`           7 chars,  7 units,  7 bytes
    //   total              36 chars, 38 units, 51 bytes
    assert_span(&text, &d.span, at(5, 36, 38, 51), at(5, 42, 44, 57));
    assert_all_round_trip(&text);
}

/// Three lines of one turn, and a CRLF in an LF file.
fn body_text() -> String {
    format!(
        "{HEAD}\
         Sergey Lavrov: [00:12:10] “Yes” – 😀 [00:11:58] ok.\n\
         “No” –\u{a0}𝄞 [inaudible\n\
         ’Tis 😀😀 [ ] and [x]{{ }}.\r\n\
         Last line.\n"
    )
}

#[test]
fn time_code_backwards_and_its_related_span() {
    let text = body_text();
    let d = only(&text, Rule::TimeCodeBackwards);
    assert_eq!(&text[d.span.clone()], "[00:11:58]");
    // `Sergey Lavrov: [00:12:10] ` 26; `“Yes”` 5 chars / 9 bytes; ` – ` 3 / 5;
    // `😀 ` 2 chars, 3 units, 5 bytes: 36 chars, 37 units, 45 bytes.
    assert_span(&text, &d.span, at(5, 36, 37, 45), at(5, 46, 47, 55));
    let [related] = d.related.as_slice() else {
        panic!("{d:?}")
    };
    assert_eq!(&text[related.span.clone()], "[00:12:10]");
    assert_span(&text, &related.span, at(5, 15, 15, 15), at(5, 25, 25, 25));
}

#[test]
fn unclosed_bracket_after_a_no_break_space_and_an_astral_character() {
    let text = body_text();
    let d = only(&text, Rule::UnclosedMention);
    assert_eq!(&text[d.span.clone()], "[inaudible");
    // `“No” ` 5 chars / 9 bytes; `–` 1 / 3; no-break space 1 / 2; `𝄞 ` 2
    // chars, 3 units, 5 bytes: 9 chars, 10 units, 19 bytes. To the end of the line.
    assert_span(&text, &d.span, at(6, 9, 10, 19), at(6, 19, 20, 29));
}

#[test]
fn empty_brackets_and_empty_reference_after_two_emoji() {
    let text = body_text();
    let found = of_rule(&text, Rule::EmptyMention);
    let [brackets, reference] = found.as_slice() else {
        panic!("{found:#?}")
    };
    assert_eq!(&text[brackets.span.clone()], "[ ]");
    // `’Tis ` 5 chars / 7 bytes; `😀😀 ` 3 chars, 5 units, 9 bytes.
    assert_span(&text, &brackets.span, at(7, 8, 10, 16), at(7, 11, 13, 19));
    assert_eq!(&text[reference.span.clone()], "[x]{ }");
    // ` and ` 5 more.
    assert_span(&text, &reference.span, at(7, 16, 18, 24), at(7, 22, 24, 30));
}

#[test]
fn mixed_line_endings_at_the_end_of_a_line_with_emoji() {
    let text = body_text();
    let d = only(&text, Rule::MixedLineEndings);
    assert_eq!(&text[d.span.clone()], "\r\n");
    // After `[x]{ }.`: 23 chars, 25 units, 31 bytes; the span ends at the
    // start of the next line.
    assert_span(&text, &d.span, at(7, 23, 25, 31), at(8, 0, 0, 0));
}

#[test]
fn every_body_range_round_trips() {
    assert_all_round_trip(&body_text());
}

/// Header values and keys holding typographic and astral characters: the
/// flagged element starts after ASCII, but ends after them.
const HEADER: &str = "---\n\
title: “Russia’s partners” – 😀 talks\n\
date: 16 “June” 2017 😀\n\
id: moscow–2017 𝄞\n\
\u{a0}“Place”: Moscow\n\
speaker: O’Brien (“PM”)\n\
speaker: O’Brien (Minister – 😀)\n\
language: en–GB\n\
---\n\
\n\
O’Brien: Hello.\n";

#[test]
fn header_rules_in_the_expected_order() {
    let rules: Vec<Rule> = analyze(HEADER, None)
        .diagnostics
        .iter()
        .map(|d| d.rule)
        .collect();
    assert_eq!(
        rules,
        [
            Rule::InvalidDate,
            Rule::InvalidId,
            Rule::InvalidKey,
            Rule::DuplicateSpeaker,
            Rule::InvalidLanguageTag,
        ]
    );
}

#[test]
fn invalid_date_value_with_quotes_and_emoji() {
    let d = only(HEADER, Rule::InvalidDate);
    assert_eq!(&HEADER[d.span.clone()], "16 “June” 2017 😀");
    // `16 ` 3; `“June”` 6 chars / 10 bytes; ` 2017 ` 6; `😀` 1 char, 2 units,
    // 4 bytes: 16 chars, 17 units, 23 bytes after `date: ` (6).
    assert_span(HEADER, &d.span, at(2, 6, 6, 6), at(2, 22, 23, 29));
}

#[test]
fn invalid_id_with_a_dash_and_a_musical_symbol() {
    let d = only(HEADER, Rule::InvalidId);
    // `moscow` 6; `–` 1 / 3; `2017 ` 5; `𝄞` 1 char, 2 units, 4 bytes:
    // 13 chars, 14 units, 18 bytes after `id: ` (4).
    assert_span(HEADER, &d.span, at(3, 4, 4, 4), at(3, 17, 18, 22));
}

#[test]
fn invalid_key_after_a_leading_no_break_space() {
    let d = only(HEADER, Rule::InvalidKey);
    assert_eq!(&HEADER[d.span.clone()], "“Place”");
    // The no-break space is trimmed: 1 char, 1 unit, 2 bytes before the key;
    // `“Place”` is 7 chars, 7 units, 11 bytes.
    assert_span(HEADER, &d.span, at(4, 1, 1, 2), at(4, 8, 8, 13));
}

#[test]
fn duplicate_speaker_and_the_first_declaration() {
    let d = only(HEADER, Rule::DuplicateSpeaker);
    assert_eq!(&HEADER[d.span.clone()], "O’Brien (Minister – 😀)");
    // After `speaker: ` (9): `O’Brien` 7 chars / 9 bytes; ` (Minister ` 11;
    // `–` 1 / 3; ` ` 1; `😀` 1 char, 2 units, 4 bytes; `)` 1:
    // 22 chars, 23 units, 29 bytes.
    assert_span(HEADER, &d.span, at(6, 9, 9, 9), at(6, 31, 32, 38));
    let [first] = d.related.as_slice() else {
        panic!("{d:?}")
    };
    // `O’Brien (“PM”)`: 14 chars, 14 units, 20 bytes.
    assert_span(HEADER, &first.span, at(5, 9, 9, 9), at(5, 23, 23, 29));
}

#[test]
fn invalid_language_tag_with_an_en_dash() {
    let d = only(HEADER, Rule::InvalidLanguageTag);
    // After `language: ` (10): `en–GB` 5 chars, 5 units, 7 bytes.
    assert_span(HEADER, &d.span, at(7, 10, 10, 10), at(7, 15, 15, 17));
}

#[test]
fn every_header_range_round_trips() {
    assert_all_round_trip(HEADER);
}

#[test]
fn a_bom_is_a_column_of_the_first_line_in_the_byte_model() {
    // The model keeps byte offsets into the text as given, BOM included; the
    // BOM is one character, one UTF-16 unit and three bytes.
    let text = "\u{feff}Sergey Lavrov: [x]{nobody}\n";
    let d = only(text, Rule::UnknownEntity);
    assert_eq!(&text[d.span.clone()], "nobody");
    assert_span(text, &d.span, at(0, 20, 20, 22), at(0, 26, 26, 28));
    let missing = only(text, Rule::MissingHeader);
    assert_eq!(missing.span.start, 3);
    assert_all_round_trip(text);
}

#[test]
fn line_and_column_to_offset_in_the_middle_of_a_surrogate_pair() {
    let text = format!("{HEAD}A: 😀[x]{{nobody}}\n");
    let index = LineIndex::new(&text);
    let emoji = text.find('😀').unwrap();
    // UTF-16 column 4 is between the two halves of 😀 (which starts at 3):
    // it lands on the character's start.
    let pos = LineCol { line: 5, col: 4 };
    assert_eq!(index.offset(&text, pos, Encoding::Utf16), emoji);
    // Column 5 is the `[` after it.
    let pos = LineCol { line: 5, col: 5 };
    assert_eq!(index.offset(&text, pos, Encoding::Utf16), emoji + 4);
    // A UTF-8 column inside the emoji lands on its start too.
    let pos = LineCol { line: 5, col: 5 };
    assert_eq!(index.offset(&text, pos, Encoding::Utf8), emoji);
}
