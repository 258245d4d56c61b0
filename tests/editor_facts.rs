//! The editor facts of issue 16 on arbitrary text: inlay hints, code lenses,
//! highlights, selection ranges, the allow quick fixes and `fix_all` never
//! panic, and every offset and span they give lies in the text on character
//! boundaries; selection ranges nest; an allow fix silences its diagnostic.

use proptest::prelude::*;
use transcript_ls::analysis::code_lens::{CodeLensConfig, code_lenses};
use transcript_ls::analysis::fixes::{Applicability, fix_all};
use transcript_ls::analysis::highlight::highlights;
use transcript_ls::analysis::inlay_hints::{InlayHintConfig, inlay_hints};
use transcript_ls::analysis::selection::selection_ranges;
use transcript_ls::analysis::{self, suppress};
use transcript_ls::registry::Registry;

const REGISTRY: &str = r#"{ "entities": { "kerry": { "name": "John Kerry", "type": "person", "aliases": ["Mr Kerry"] } } }"#;

/// Text made of the format's pieces and awkward characters.
fn text() -> impl Strategy<Value = String> {
    let piece = prop::sample::select(
        &[
            "---\n",
            "title: T\n",
            "date: 16 June 2017\n",
            "speaker: Ann Lee\n",
            "id: x\n",
            "\n",
            "\r\n",
            "# H\n",
            "## Sub\n",
            "Question: ",
            "Question (TASS): ",
            "Ann Lee: ",
            "[Mr Kerry]{kerry}",
            "[Kerry]{kery}",
            "[Laos]{place}",
            "[",
            "]",
            "{",
            "}",
            "\\",
            "[00:01:00]",
            "Why? ",
            "Yes. ",
            "“quoted”",
            "’",
            "–",
            "\u{a0}",
            "😀",
            "\u{301}",
            "// transcript-ls: allow empty-turn\n",
            "// transcript-ls: allow-file emtpy-turn\n",
            "// transcript-ls:",
            "// note\n",
            "text ",
            ":",
            "\u{feff}",
        ][..],
    );
    prop::collection::vec(piece, 0..40).prop_map(|p| p.concat())
}

fn valid(text: &str, span: &std::ops::Range<usize>) -> bool {
    span.start <= span.end
        && span.end <= text.len()
        && text.is_char_boundary(span.start)
        && text.is_char_boundary(span.end)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn facts_stay_in_the_text(text in text(), at in any::<prop::sample::Index>()) {
        let registry = Registry::parse(REGISTRY);
        let analysis = analysis::analyze(&text, Some(&registry));
        let doc = &analysis.syntax;
        let whole = 0..text.len();
        for h in inlay_hints(doc, Some(&registry), whole.clone(), InlayHintConfig::default()) {
            prop_assert!(valid(&text, &(h.offset..h.offset)), "{h:?}");
        }
        for l in code_lenses(&text, doc, whole.clone(), CodeLensConfig::default()) {
            prop_assert!(valid(&text, &l.span), "{l:?}");
        }
        let mut offset = at.index(text.len() + 1);
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        for h in highlights(doc, offset) {
            prop_assert!(valid(&text, &h.span), "{h:?}");
        }
        for chain in selection_ranges(&text, doc, &[offset, 0, text.len()]) {
            prop_assert_eq!(chain.last(), Some(&whole));
            for pair in chain.windows(2) {
                prop_assert!(valid(&text, &pair[0]));
                prop_assert!(pair[1].start <= pair[0].start && pair[0].end <= pair[1].end && pair[0] != pair[1], "{chain:?}");
            }
        }
        for d in &analysis.diagnostics {
            for fix in suppress::allow_fixes(&text, doc, d) {
                prop_assert!(fix.edits.iter().all(|(s, _)| valid(&text, s)));
                // The comment silences the diagnostic: one fewer of its rule.
                let fixed = fix.apply(&text);
                let count = |a: &analysis::Analysis| a.diagnostics.iter().filter(|x| x.rule == d.rule).count();
                let after = analysis::analyze(&fixed, Some(&registry));
                prop_assert!(count(&after) < count(&analysis), "{} not silenced by {:?}:\n{text:?}\n->\n{fixed:?}", d.rule.name(), fix.title);
            }
        }
        for level in [Applicability::Safe, Applicability::Unsafe] {
            let out = fix_all(&text, Some(&registry), level);
            for d in &out.analysis.diagnostics {
                prop_assert!(valid(&out.text, &d.span));
            }
        }
    }
}
