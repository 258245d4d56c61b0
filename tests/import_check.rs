//! Checks of an import's output against its raw page, shared by the import
//! tests (included with `#[path]`): errors under `check`, the number of
//! questions, and every word of every turn kept in order. A [`Source`] says
//! how a source's raw pages write questions and labels; the Kremlin's and
//! the foreign ministry's are the defaults of `raw_questions` and
//! `turns_preserved`.
#![allow(dead_code)]

use regex::Regex;

use transcript_ls::analysis::{Severity, analyze};
use transcript_ls::import::Imported;
use transcript_ls::syntax::{Inline, Item, Paragraph};

/// The errors `check` reports on a transcript, as `line N: message (rule)`.
pub fn errors(text: &str) -> Vec<String> {
    analyze(text, None)
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| {
            let line = text
                .get(..d.span.start)
                .map_or(0, |s| s.matches('\n').count())
                + 1;
            format!("line {line}: {} ({})", d.message, d.rule.name())
        })
        .collect()
}

/// How a source's raw pages write their turns.
pub struct Source {
    /// A paragraph that is a question.
    pub question: Regex,
    /// The label at the start of a paragraph, with what may stand before it
    /// on its line (removed before comparing words).
    pub label: Regex,
    /// A line that opens with a label after a finished sentence starts a
    /// paragraph (hard-wrapped pages).
    pub split_at_labels: bool,
    /// The page is Markdown with YAML front matter.
    pub markdown: bool,
}

/// The Kremlin's and the foreign ministry's pages.
pub fn kremlin() -> Source {
    Source {
        question: Regex::new(r"^Question(?: \([^)]*\)| (?:from|to) [^:]{1,80})?:(\s|$)").unwrap(),
        label: Regex::new(r"^.{1,320}?:(\s|$)").unwrap(),
        split_at_labels: false,
        markdown: false,
    }
}

/// The White House's pages: `Q` and labels in capitals.
pub fn whitehouse() -> Source {
    // Emphasis before a label (`**Q`, `_A:`) is Markdown, which the import undoes.
    Source {
        question: Regex::new(r"^[*_]{0,3}Q(?:\s*:|\s*[–—]|\s)").unwrap(),
        label: Regex::new(
            r"^(?:\d{1,2}:\d{2}\s*[AP]\.?\s?M\.?(?:\s+[A-Z]{2,5})?\s+)?[*_]{0,3}(?:Q(?:\s*:|\s*[–—]|\s)|[A-Z][A-Z.’'-]*(?:\s+[A-Z][A-Z.’'-]*){0,7}:(?:\s|$))",
        )
        .unwrap(),
        split_at_labels: true,
        markdown: true,
    }
}

/// Raw paragraphs: runs of non-blank lines, trimmed, with the 1-based
/// number of their first line.
pub fn raw_paragraphs(raw: &str) -> Vec<(usize, Vec<String>)> {
    paragraphs_of(raw, &kremlin())
}

/// Raw paragraphs of a source's page (after its front matter).
pub fn paragraphs_of(raw: &str, source: &Source) -> Vec<(usize, Vec<String>)> {
    let raw = raw.strip_prefix('\u{feff}').unwrap_or(raw);
    let lines: Vec<&str> = raw.split('\n').collect();
    let mut skip = 0;
    if source.markdown && lines.first().is_some_and(|l| l.trim() == "---") {
        skip = lines
            .iter()
            .skip(1)
            .position(|l| l.trim() == "---")
            .map_or(0, |k| k + 2);
    }
    let mut out: Vec<(usize, Vec<String>)> = Vec::new();
    let mut current: Option<(usize, Vec<String>)> = None;
    for (i, line) in lines.iter().enumerate().skip(skip) {
        let t = line.trim();
        // A label opens a paragraph after a finished sentence (or a dash);
        // markup at the end of the line (`A) _`) is no text.
        let after_sentence = current.as_ref().is_none_or(|(_, lines)| {
            lines.last().is_some_and(|l| {
                l.trim_end_matches(|c: char| c == '*' || c == '_' || c.is_whitespace())
                    .ends_with([
                        '.', '?', '!', '—', '–', '-', ':', ';', '”', '"', '’', ')', ']', '*',
                    ])
            })
        });
        if t.is_empty() || (source.split_at_labels && after_sentence && source.label.is_match(t)) {
            out.extend(current.take());
        }
        // A line of markup only (`**`) does not start a paragraph of a Markdown page.
        let markup_only = source.markdown && !t.chars().any(char::is_alphanumeric);
        if !(t.is_empty() || markup_only && current.is_none()) {
            current
                .get_or_insert_with(|| (i + 1, Vec::new()))
                .1
                .push(t.to_string());
        }
    }
    out.extend(current);
    out
}

/// `Question:` turns of a raw page: paragraphs starting `Question:`,
/// `Question (…):` or `Question from …:`.
pub fn raw_questions(raw: &str) -> usize {
    questions_of(raw, &kremlin())
}

/// Question paragraphs of a source's raw page.
pub fn questions_of(raw: &str, source: &Source) -> usize {
    paragraphs_of(raw, source)
        .iter()
        .filter(|(_, lines)| source.question.is_match(&lines[0]))
        .count()
}

/// `Question` turns of a transcript, as the parser reads them.
pub fn output_questions(text: &str) -> usize {
    analyze(text, None)
        .syntax
        .turns()
        .filter(|t| t.is_question())
        .count()
}

/// Word tokens: letters and digits only, split at brackets too, so
/// `(Laughter)` and `[Laughter]` match, and so do `question,[name]` and
/// `question, [name]`; HTML tags are left out (`<s>in</s>appropriate` is
/// one word).
fn words(s: &str) -> Vec<String> {
    static TAG: std::sync::LazyLock<Regex> = std::sync::LazyLock::new(|| {
        Regex::new(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>").unwrap()
    });
    TAG.replace_all(s, "")
        .split(|c: char| c.is_whitespace() || matches!(c, '[' | ']' | '(' | ')'))
        .map(|w| {
            w.chars()
                .filter(|c| c.is_alphanumeric())
                .collect::<String>()
        })
        .filter(|w| !w.is_empty())
        .collect()
}

/// The readable text of an output paragraph: escapes resolved, mentions as
/// their surface, notes with their text.
fn paragraph_text(src: &str, p: &Paragraph) -> String {
    let mut out = String::new();
    for inline in &p.inlines {
        match inline {
            Inline::Text(span) => {
                out.push_str(&src[span.clone()].replace("\\[", "[").replace("\\]", "]"))
            }
            Inline::Mention(m) => out.push_str(&m.surface),
            Inline::Note(n) => {
                out.push(' ');
                out.push_str(&n.text);
                out.push(' ');
            }
        }
    }
    out
}

/// Checks that every word of the raw page from its first turn to the
/// dropped navigation is in the output, in order: each raw paragraph's
/// words (after a leading `LABEL:`) appear as one run of the output's
/// words, and the runs come in raw order. Also checks that the dropped lines
/// hold no turn.
pub fn turns_preserved(raw: &str, imported: &Imported) -> Result<(), String> {
    words_kept(raw, imported, &kremlin())
}

/// [`turns_preserved`] for a source's raw page.
pub fn words_kept(raw: &str, imported: &Imported, source: &Source) -> Result<(), String> {
    let text = &imported.text;
    let doc = analyze(text, None).syntax;
    let mut out_words: Vec<String> = Vec::new();
    let mut first_turn_words: Option<Vec<String>> = None;
    for item in &doc.items {
        let paragraphs: &[Paragraph] = match item {
            Item::Narration(p) => std::slice::from_ref(p),
            Item::Turn(t) => {
                if first_turn_words.is_none() {
                    let w = words(&paragraph_text(text, &t.paragraphs[0]));
                    first_turn_words = Some(w.into_iter().take(8).collect());
                }
                &t.paragraphs
            }
            Item::Heading(_) => &[],
        };
        for p in paragraphs {
            out_words.extend(words(&paragraph_text(text, p)));
        }
    }
    // Site links inside the text are kept as comments.
    let comment_words: Vec<String> = doc
        .comments
        .iter()
        .flat_map(|span| words(&text[span.clone()]))
        .collect();
    let Some(probe) = first_turn_words.filter(|w| !w.is_empty()) else {
        return Ok(()); // no turn with text: nothing to compare
    };
    let paragraphs = paragraphs_of(raw, source);
    let trailer = imported.report.trailer_line.unwrap_or(usize::MAX);
    let after_label = |line: &str| -> String {
        match source.label.find(line) {
            Some(m) => line[m.end()..].to_string(),
            None => line.to_string(),
        }
    };
    // A paragraph's words after its label (`Q:a` has the word `a`).
    let words_after_label = |lines: &[String]| -> Vec<String> {
        let Some(first) = lines.first() else {
            return Vec::new();
        };
        let mut text = after_label(first);
        for l in &lines[1..] {
            text.push(' ');
            text.push_str(l);
        }
        words(&text)
    };
    // With its label or without: a label's aside (`(retranslated)`) is a
    // note of the turn, a label glued to its text (`Q:a`) is not a word.
    let start = paragraphs
        .iter()
        .position(|(_, lines)| {
            [words(&lines.join(" ")), words_after_label(lines)]
                .iter()
                .any(|w| w.windows(probe.len()).any(|win| win == probe.as_slice()))
        })
        .ok_or_else(|| format!("the first turn's words {probe:?} are not in the raw page"))?;
    let mut cursor = 0;
    for (no, lines) in &paragraphs[start..] {
        if *no >= trailer {
            break;
        }
        // Lines from the trailer's first on are not the transcript's.
        let lines = &lines[..lines.len().min(trailer.saturating_sub(*no))];
        if lines.is_empty() {
            break;
        }
        let want = words_after_label(lines);
        if want.is_empty() {
            continue;
        }
        let found = out_words
            .len()
            .checked_sub(want.len())
            .and_then(|last| (cursor..=last).find(|&k| out_words[k..k + want.len()] == want[..]));
        let in_comments = || {
            comment_words
                .windows(want.len())
                .any(|w| w == want.as_slice())
        };
        match found {
            Some(k) => cursor = k + want.len(),
            None if in_comments() => {}
            None => {
                return Err(format!(
                    "the words of the raw paragraph at line {no} are not in the output, in order: {:?}",
                    lines[0].chars().take(100).collect::<String>()
                ));
            }
        }
    }
    // The dropped navigation holds no turn.
    for (no, lines) in &paragraphs {
        if *no >= trailer && source.question.is_match(&lines[0]) {
            return Err(format!(
                "a question at line {no} was dropped with the navigation"
            ));
        }
    }
    Ok(())
}
