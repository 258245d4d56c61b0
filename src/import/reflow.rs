//! Hard-wrapped text re-flowed: the lines of a paragraph joined into one,
//! with no word lost or glued to its neighbour, runs of spaces (the two
//! spaces after a sentence, no-break or not) made one, and a line that opens
//! with a speaker or question label after a finished sentence starting a
//! paragraph of its own even without a blank line before it.

use super::lines::{Line, Paragraph};

/// Paragraphs of `lines`, each one line; `opens` says whether a line opens
/// a turn.
pub(crate) fn paragraphs(lines: &[Line], opens: impl Fn(&str) -> bool) -> Vec<Paragraph> {
    let mut out: Vec<Paragraph> = Vec::new();
    let mut current: Option<Line> = None;
    for line in lines {
        let after_sentence = current.as_ref().is_none_or(|l| {
            l.text.ends_with([
                '.', '?', '!', '—', '–', '-', ':', ';', '”', '"', '’', ')', ']', '*',
            ])
        });
        if line.is_blank() || (after_sentence && opens(&line.text)) {
            out.extend(current.take().map(|l| Paragraph { lines: vec![l] }));
        }
        if line.is_blank() {
            continue;
        }
        match &mut current {
            Some(l) => {
                l.text.push(' ');
                l.text.push_str(&line.text);
            }
            None => current = Some(line.clone()),
        }
    }
    out.extend(current.map(|l| Paragraph { lines: vec![l] }));
    for p in &mut out {
        for l in &mut p.lines {
            l.text = squeeze(&l.text);
        }
    }
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
            l.starts_with("Q\u{a0}") || l.starts_with("MS.")
        });
        let texts: Vec<&str> = paras.iter().map(|p| p.first()).collect();
        assert_eq!(
            texts,
            [
                "MS. PSAKI: Good afternoon. President Biden is here.",
                "Q Thanks, Jen.",
                "Next\u{a0}one."
            ]
        );
        assert_eq!(paras[1].first_no(), 3);
    }
}
