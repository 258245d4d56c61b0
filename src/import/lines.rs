//! The raw text as numbered lines and paragraphs: a leading BOM is skipped,
//! any line end (LF, CRLF, lone CR) splits lines, lines are trimmed, and runs
//! of non-blank lines form paragraphs.

/// One raw line, trimmed, with its 1-based line number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Line {
    pub no: usize,
    pub text: String,
}

impl Line {
    pub fn is_blank(&self) -> bool {
        self.text.is_empty()
    }
}

/// A run of non-blank lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Paragraph {
    pub lines: Vec<Line>,
    /// For lines joined into one (hard-wrapped text): how many bytes of the
    /// first line were the first raw line's, where a label must end.
    pub joined_at: Option<usize>,
}

impl Paragraph {
    pub fn first(&self) -> &str {
        self.lines.first().map(|l| l.text.as_str()).unwrap_or("")
    }

    pub fn first_no(&self) -> usize {
        self.lines.first().map(|l| l.no).unwrap_or(0)
    }

    /// The paragraph's lines joined with spaces.
    pub fn joined(&self) -> String {
        let parts: Vec<&str> = self.lines.iter().map(|l| l.text.as_str()).collect();
        parts.join(" ")
    }
}

/// Splits raw text into trimmed, numbered lines.
pub(crate) fn split_lines(raw: &str) -> Vec<Line> {
    let raw = raw.strip_prefix('\u{feff}').unwrap_or(raw);
    let mut out = Vec::new();
    let mut no = 0;
    for piece in raw.split('\n') {
        let piece = piece.strip_suffix('\r').unwrap_or(piece);
        // A lone CR is a line end too.
        for part in piece.split('\r') {
            no += 1;
            out.push(Line {
                no,
                text: clean(part),
            });
        }
    }
    // A final line end does not start another line.
    if out.last().is_some_and(|l| l.is_blank()) && raw.ends_with(['\n', '\r']) {
        out.pop();
    }
    out
}

/// Trims a line and removes characters that are line or paragraph separators
/// to some readers (so the output's lines are the lines every reader sees).
fn clean(line: &str) -> String {
    let replaced: String = line
        .chars()
        .map(|c| match c {
            '\u{2028}' | '\u{2029}' | '\u{85}' | '\u{b}' | '\u{c}' => ' ',
            c => c,
        })
        .collect();
    replaced.trim().to_string()
}

/// Groups lines into paragraphs (runs of non-blank lines).
pub(crate) fn paragraphs(lines: &[Line]) -> Vec<Paragraph> {
    let mut out = Vec::new();
    let mut current: Vec<Line> = Vec::new();
    for line in lines {
        if line.is_blank() {
            if !current.is_empty() {
                out.push(Paragraph {
                    lines: std::mem::take(&mut current),
                    joined_at: None,
                });
            }
        } else {
            current.push(line.clone());
        }
    }
    if !current.is_empty() {
        out.push(Paragraph {
            lines: current,
            joined_at: None,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_ends_and_bom() {
        let lines = split_lines("\u{feff}a\r\nb\rc\n\n d \n");
        let texts: Vec<&str> = lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(texts, ["a", "b", "c", "", "d"]);
        assert_eq!(lines[4].no, 5);
        let paras = paragraphs(&lines);
        assert_eq!(paras.len(), 2);
        assert_eq!(paras[0].joined(), "a b c");
    }

    #[test]
    fn empty() {
        assert!(split_lines("").iter().all(|l| l.is_blank()));
        assert!(paragraphs(&split_lines("")).is_empty());
    }
}
