//! Formatting: a messy file comes out tidy; formatting is idempotent, keeps
//! every word in order and keeps the line endings.

use proptest::prelude::*;
use transcript_ls::format::format_text;
use transcript_ls::syntax::LabelContext;

fn fmt(text: &str) -> String {
    format_text(text, &LabelContext::default())
}

#[test]
fn a_messy_file_comes_out_tidy() {
    let messy = "---  \nspeaker: Sergey Lavrov\nx-note: kept\ndate:2016-07-26\n\n// the title\ntitle:   T  \n---\n# Opening\nSergey Lavrov: Hello “there” –\u{a0}  \n\n\n\nmore\t\n// a comment\n\n\n";
    let tidy = "---\n// the title\ntitle: T\ndate: 2016-07-26\nspeaker: Sergey Lavrov\nx-note: kept\n---\n\n# Opening\n\nSergey Lavrov: Hello “there” –\u{a0}\n\nmore\n// a comment\n";
    assert_eq!(fmt(messy), tidy);
}

#[test]
fn crlf_files_stay_crlf_and_the_bom_stays() {
    let text = "\u{feff}---\r\ndate: 2016-07-26\r\ntitle: T\r\n---\r\nA B: x  \r\n";
    assert_eq!(
        fmt(text),
        "\u{feff}---\r\ntitle: T\r\ndate: 2016-07-26\r\n---\r\n\r\nA B: x\r\n"
    );
}

#[test]
fn a_broken_header_is_not_reordered() {
    let text = "---\ndate: 2016-07-26\nTitle: T\n---\n\nText.\n";
    assert_eq!(fmt(text), text);
}

#[test]
fn the_examples_are_formatted() {
    for name in ["vientiane-2016", "moscow-2017"] {
        let path = format!("{}/examples/{name}.transcript", env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(fmt(&text), text, "{path} is not formatted");
    }
}

/// Words, with the colon of `key:value` as a separator (formatting adds a space after it).
fn words(s: &str) -> Vec<&str> {
    s.split(|c: char| c.is_whitespace() || c == ':')
        .filter(|w| !w.is_empty() && *w != "---")
        .collect()
}

fn pieces() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("---\n".to_string()),
        Just("title:  T \n".to_string()),
        Just("date:2016-07-26\n".to_string()),
        Just("speaker: A B\n".to_string()),
        Just("# Head\n".to_string()),
        Just("Question: why?\n".to_string()),
        Just("A B: yes  \n".to_string()),
        Just("// note\n".to_string()),
        Just("\n".to_string()),
        Just("\r\n".to_string()),
        Just("  \t\n".to_string()),
        Just("[x]{person} ’ “ ” \u{a0}😀".to_string()),
        "[a-zA-Z:#\\[\\]{} ]{0,12}",
    ];
    prop::collection::vec(piece, 0..30).prop_map(|v| v.concat())
}

proptest! {
    #[test]
    fn formatting_is_idempotent_and_keeps_the_words(text in pieces()) {
        let once = fmt(&text);
        prop_assert_eq!(fmt(&once), once.clone(), "not idempotent");
        let (mut before, mut after) = (words(&text), words(&once));
        before.sort();
        after.sort();
        prop_assert_eq!(before, after, "words changed");
    }

    #[test]
    fn formatting_never_panics_on_any_string(text in any::<String>()) {
        let once = fmt(&text);
        prop_assert_eq!(fmt(&once), once);
    }
}
