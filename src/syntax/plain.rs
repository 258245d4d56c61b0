//! The readable text of paragraphs: what a person reads, without markup.

use super::model::{Inline, Paragraph};

/// The paragraph's text with mentions reduced to their surface text, notes
/// left out, escapes resolved and whitespace runs folded to one space.
pub fn plain_text(src: &str, paragraph: &Paragraph) -> String {
    let mut out = String::new();
    for_each_word(src, paragraph, |word, glued, escaped| {
        if !out.is_empty() && !glued {
            out.push(' ');
        }
        if escaped && word.contains('\\') {
            out.push_str(&word.replace("\\[", "[").replace("\\]", "]"));
        } else {
            out.push_str(word);
        }
    });
    out
}

/// The number of words of the paragraphs, as `plain_text` reads them.
pub fn word_count<'a>(src: &str, paragraphs: impl IntoIterator<Item = &'a Paragraph>) -> usize {
    let mut count = 0;
    for p in paragraphs {
        // A word glued to the one before it (`[ASEAN]{asean}’s`) is not a new word.
        let mut words = 0;
        for_each_word(src, p, |_, glued, _| {
            if !(glued && words > 0) {
                words += 1;
            }
        });
        count += words;
    }
    count
}

/// Calls `f` with each whitespace-separated word of the paragraph's readable
/// text, whether it continues the word before it (a piece glues to the one
/// before when nothing separates them), and whether it is text whose escapes
/// `\[` and `\]` are still to be resolved (a mention's surface is taken as it is).
fn for_each_word(src: &str, paragraph: &Paragraph, mut f: impl FnMut(&str, bool, bool)) {
    let mut separated = false;
    for inline in &paragraph.inlines {
        let (piece, escaped) = match inline {
            Inline::Text(span) => (&src[span.clone()], true),
            Inline::Mention(m) => (m.surface.as_str(), false),
            Inline::Note(_) => {
                separated = true;
                continue;
            }
        };
        for (i, word) in piece.split_whitespace().enumerate() {
            f(
                word,
                i == 0 && !separated && !piece.starts_with(char::is_whitespace),
                escaped,
            );
        }
        separated = piece.ends_with(char::is_whitespace) || (separated && piece.trim().is_empty());
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::syntax::{LabelContext, parse};

    #[test]
    fn mentions_glue_and_notes_separate() {
        let text = "---\ntitle: t\ndate: 2017-06-16\n---\n\nA [ASEAN]{asean}’s  \\[sic\\] plan [applause]next.\n";
        let doc = parse(text, &LabelContext::default());
        let p = doc.paragraphs().next().unwrap();
        assert_eq!(plain_text(text, p), "A ASEAN’s [sic] plan next.");
        assert_eq!(word_count(text, [p]), 5);
    }

    proptest! {
        /// `word_count` counts without building the text: it must agree with it.
        #[test]
        fn word_count_counts_the_plain_text(
            pieces in proptest::collection::vec(
                prop_oneof![
                    Just("[x y]{org}"), Just("[note]"), Just("[01:02]"), Just(" "), Just("\t"),
                    Just("\\["), Just("\\]"), Just("word"), Just("’s"), Just("\n"), Just("[ a]{b}"),
                    Just("\u{a0}"), Just("["), Just("]"),
                ],
                0..30,
            )
        ) {
            let text = format!("---\ntitle: t\ndate: 2017-06-16\n---\n\n{}\n", pieces.concat());
            let doc = parse(&text, &LabelContext::default());
            for p in doc.paragraphs() {
                prop_assert_eq!(
                    word_count(&text, [p]),
                    plain_text(&text, p).split_whitespace().count()
                );
            }
        }
    }
}
