//! The readable text of paragraphs: what a person reads, without markup,
//! and where each mention and note falls in it.

use std::ops::Range;

use super::model::{Inline, Mention, Note, Paragraph};

/// The paragraph's text with mentions reduced to their surface text, notes
/// left out, escapes resolved and whitespace runs folded to one space.
pub fn plain_text(src: &str, paragraph: &Paragraph) -> String {
    build(src, paragraph, None)
}

/// Where a mention or a note of a paragraph falls in its plain text.
#[derive(Debug, Clone, PartialEq)]
pub enum Mark<'a> {
    /// The byte range of the mention's surface words (folded as in the text).
    Mention(&'a Mention, Range<usize>),
    /// The byte offset where the note stood: after the words before it.
    Note(&'a Note, usize),
}

/// [`plain_text`], with the place of each mention and note in it, in order.
pub fn plain_text_marked<'a>(src: &str, paragraph: &'a Paragraph) -> (String, Vec<Mark<'a>>) {
    let mut marks = Vec::new();
    let text = build(src, paragraph, Some(&mut marks));
    (text, marks)
}

fn build<'a>(src: &str, paragraph: &'a Paragraph, mut marks: Option<&mut Vec<Mark<'a>>>) -> String {
    let mut out = String::new();
    // The inline whose words are being written, and where its first word starts.
    let mut current: Option<(usize, usize)> = None;
    for_each_word(src, paragraph, |inline, event| {
        let Event::Word {
            word,
            glued,
            escaped,
        } = event
        else {
            if let (Some(marks), Inline::Note(n)) =
                (marks.as_deref_mut(), &paragraph.inlines[inline])
            {
                marks.push(Mark::Note(n, out.len()));
            }
            return;
        };
        if !out.is_empty() && !glued {
            out.push(' ');
        }
        if current.is_none_or(|(i, _)| i != inline) {
            current = Some((inline, out.len()));
        }
        if escaped && word.contains('\\') {
            out.push_str(&word.replace("\\[", "[").replace("\\]", "]"));
        } else {
            out.push_str(word);
        }
        if let (Some(marks), Inline::Mention(m), Some((_, start))) =
            (marks.as_deref_mut(), &paragraph.inlines[inline], current)
        {
            // The mention's range grows word by word: the last push has it whole.
            match marks.last_mut() {
                Some(Mark::Mention(last, range)) if std::ptr::eq(*last, &**m) => {
                    range.end = out.len();
                }
                _ => marks.push(Mark::Mention(m, start..out.len())),
            }
        }
    });
    out
}

/// The number of words of the paragraphs, as `plain_text` reads them: the
/// whitespace-separated pieces with a letter or digit in them (a dash, an
/// emoji or a quote mark alone is not a word).
pub fn word_count<'a>(src: &str, paragraphs: impl IntoIterator<Item = &'a Paragraph>) -> usize {
    let mut count = 0;
    for p in paragraphs {
        // Whether the piece being read is counted already: a piece glued to
        // the one before it (`“[ASEAN]{asean}’s`) is the same word.
        let mut counted = false;
        for_each_word(src, p, |_, event| match event {
            Event::Word { word, glued, .. } => {
                counted &= glued;
                if !counted && word.chars().any(char::is_alphanumeric) {
                    count += 1;
                    counted = true;
                }
            }
            Event::Note => counted = false,
        });
    }
    count
}

/// What [`for_each_word`] meets in a paragraph.
enum Event<'s> {
    /// A whitespace-separated word of the readable text; whether it continues
    /// the word before it (a piece glues to the one before when nothing
    /// separates them), and whether it is text whose escapes `\[` and `\]`
    /// are still to be resolved (a mention's surface is taken as it is).
    Word {
        word: &'s str,
        glued: bool,
        escaped: bool,
    },
    /// A note, which separates the words around it.
    Note,
}

/// Calls `f` with the index of the inline and each event of the paragraph, in order.
fn for_each_word<'s>(src: &'s str, paragraph: &'s Paragraph, mut f: impl FnMut(usize, Event<'s>)) {
    let mut separated = false;
    for (index, inline) in paragraph.inlines.iter().enumerate() {
        let (piece, escaped) = match inline {
            Inline::Text(span) => (&src[span.clone()], true),
            Inline::Mention(m) => (m.surface.as_str(), false),
            Inline::Note(_) => {
                separated = true;
                f(index, Event::Note);
                continue;
            }
        };
        for (i, word) in piece.split_whitespace().enumerate() {
            let glued = i == 0 && !separated && !piece.starts_with(char::is_whitespace);
            f(
                index,
                Event::Word {
                    word,
                    glued,
                    escaped,
                },
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

    #[test]
    fn dashes_emoji_and_quote_marks_alone_are_not_words() {
        let text = "---\ntitle: t\ndate: 2017-06-16\n---\n\n😀 We met – “[Laos]{laos}” and 5 « »\n";
        let doc = parse(text, &LabelContext::default());
        let p = doc.paragraphs().next().unwrap();
        assert_eq!(word_count(text, [p]), 5);
    }

    #[test]
    fn marks_cut_out_mentions_and_place_notes() {
        let text = "---\ntitle: t\ndate: 2017-06-16\n---\n\nSaid [the  “UN”]{un}’s [applause] chief \\[x\\] [Кремль]{org}.\n";
        let doc = parse(text, &LabelContext::default());
        let p = doc.paragraphs().next().unwrap();
        let (plain, marks) = plain_text_marked(text, p);
        assert_eq!(plain, plain_text(text, p));
        assert_eq!(plain, "Said the “UN”’s chief [x] Кремль.");
        let cut: Vec<String> = marks
            .iter()
            .map(|m| match m {
                Mark::Mention(m, r) => format!("{}={}", m.reference, &plain[r.clone()]),
                Mark::Note(n, at) => format!("{}@{}", n.text, &plain[..*at]),
            })
            .collect();
        assert_eq!(
            cut,
            ["un=the “UN”", "applause@Said the “UN”’s", "org=Кремль"]
        );
    }

    proptest! {
        /// `word_count` counts without building the text: it must agree with it.
        #[test]
        fn word_count_counts_the_plain_text(
            pieces in proptest::collection::vec(
                prop_oneof![
                    Just("[x y]{org}"), Just("[note]"), Just("[01:02]"), Just(" "), Just("\t"),
                    Just("\\["), Just("\\]"), Just("word"), Just("’s"), Just("\n"), Just("[ a]{b}"),
                    Just("\u{a0}"), Just("["), Just("]"), Just("–"), Just("😀"), Just("“"),
                ],
                0..30,
            )
        ) {
            let text = format!("---\ntitle: t\ndate: 2017-06-16\n---\n\n{}\n", pieces.concat());
            let doc = parse(&text, &LabelContext::default());
            for p in doc.paragraphs() {
                prop_assert_eq!(
                    word_count(&text, [p]),
                    plain_text(&text, p)
                        .split_whitespace()
                        .filter(|w| w.chars().any(char::is_alphanumeric))
                        .count()
                );
            }
        }
    }
}
