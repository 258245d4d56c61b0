//! The readable text of paragraphs: what a person reads, without markup.

use super::model::{Inline, Paragraph};

/// The paragraph's text with mentions reduced to their surface text, notes
/// left out, escapes resolved and whitespace runs folded to one space.
pub fn plain_text(src: &str, paragraph: &Paragraph) -> String {
    let mut out = String::new();
    // Whether the next piece starts a new word (a piece glues to the one
    // before it when nothing separates them: `[ASEAN]{asean}’s` reads `ASEAN’s`).
    let mut separated = false;
    for inline in &paragraph.inlines {
        let piece = match inline {
            Inline::Text(span) => src[span.clone()].replace("\\[", "[").replace("\\]", "]"),
            Inline::Mention(m) => m.surface.clone(),
            Inline::Note(_) => {
                separated = true;
                continue;
            }
        };
        for (i, word) in piece.split_whitespace().enumerate() {
            let glue = i == 0 && !separated && !piece.starts_with(char::is_whitespace);
            if !out.is_empty() && !glue {
                out.push(' ');
            }
            out.push_str(word);
        }
        separated = piece.ends_with(char::is_whitespace) || (separated && piece.trim().is_empty());
    }
    out
}

/// The number of words of the paragraphs, as `plain_text` reads them.
pub fn word_count<'a>(src: &str, paragraphs: impl IntoIterator<Item = &'a Paragraph>) -> usize {
    paragraphs
        .into_iter()
        .map(|p| plain_text(src, p).split_whitespace().count())
        .sum()
}
