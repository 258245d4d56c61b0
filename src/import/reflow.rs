//! Hard-wrapped text re-flowed: the lines of a paragraph joined into one,
//! with no word lost or glued to its neighbour, runs of spaces (the two
//! spaces after a sentence, no-break or not) made one, and a line that opens
//! with a speaker or question label after a finished sentence starting a
//! paragraph of its own even without a blank line before it.

use super::lines::{Line, Paragraph};

/// Paragraphs of `lines`, each one line; `opens` says whether a line opens
/// a turn. Lines are squeezed before they are joined, and each paragraph
/// records where its first line ended.
pub(crate) fn paragraphs(lines: &[Line], opens: impl Fn(&str) -> bool) -> Vec<Paragraph> {
    let mut out: Vec<Paragraph> = Vec::new();
    let mut current: Option<(Line, usize)> = None;
    let close = |current: &mut Option<(Line, usize)>, out: &mut Vec<Paragraph>| {
        if let Some((line, first)) = current.take() {
            out.push(Paragraph {
                lines: vec![line],
                joined_at: Some(first),
            });
        }
    };
    for line in lines {
        let text = squeeze(&line.text);
        let after_sentence = current.as_ref().is_none_or(|(l, _)| {
            l.text.ends_with([
                '.', '?', '!', '—', '–', '-', ':', ';', '”', '"', '’', ')', ']', '*',
            ])
        });
        if text.is_empty() || (after_sentence && opens(&text)) {
            close(&mut current, &mut out);
        }
        if text.is_empty() {
            continue;
        }
        match &mut current {
            Some((l, _)) => {
                l.text.push(' ');
                l.text.push_str(&text);
            }
            None => {
                let first = text.len();
                current = Some((Line { no: line.no, text }, first));
            }
        }
    }
    close(&mut current, &mut out);
    out
}

/// Runs of two or more whitespace characters made one space; a single one
/// (a no-break space between words) is kept.
pub(crate) fn squeeze(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut run: Option<(char, usize)> = None;
    for c in text.chars() {
        if c.is_whitespace() {
            run = Some(match run {
                None => (c, 1),
                Some((first, n)) => (first, n + 1),
            });
            continue;
        }
        if let Some((first, n)) = run.take() {
            out.push(if n == 1 { first } else { ' ' });
        }
        out.push(c);
    }
    out.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::super::lines::split_lines;
    use super::*;

    #[test]
    fn wrapped_lines_become_one_and_labels_open_paragraphs() {
        let raw = "MS. PSAKI:\u{a0} Good afternoon.\u{a0} President\nBiden is here.  \nQ\u{a0}\u{a0}\u{a0} Thanks, against\nMS. COVID:\n\nNext\u{a0}one.";
        let paras = paragraphs(&split_lines(raw), |l| {
            l.starts_with("Q ") || l.starts_with("MS.")
        });
        let texts: Vec<&str> = paras.iter().map(|p| p.first()).collect();
        assert_eq!(
            texts,
            [
                "MS. PSAKI: Good afternoon. President Biden is here.",
                "Q Thanks, against MS. COVID:",
                "Next\u{a0}one."
            ]
        );
        assert_eq!(paras[1].first_no(), 3);
        assert_eq!(paras[1].joined_at, Some("Q Thanks, against".len()));
    }
}
