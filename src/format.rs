//! Formatting: header keys in canonical order with `key: value` spacing, one
//! blank line between paragraphs, no trailing spaces, a final newline, the
//! file's line ending kept. Never changes a word, and formatting twice gives
//! the same text as formatting once.

use crate::analysis::keys::KEYS;
use crate::syntax::{self, Document, LabelContext, ProblemKind};

/// The formatted text. `doc` must be the parse of `text`.
pub fn format(text: &str, doc: &Document) -> String {
    // The first line's ending is the file's.
    let crlf = text
        .find('\n')
        .is_some_and(|i| i > 0 && text.as_bytes()[i - 1] == b'\r');
    let eol = if crlf { "\r\n" } else { "\n" };
    let bom = if text.starts_with('\u{feff}') {
        "\u{feff}"
    } else {
        ""
    };
    let body_text = &text[bom.len()..];
    let lines: Vec<&str> = body_text
        .split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .collect();
    let mut out: Vec<String> = Vec::new();
    let mut rest = &lines[..];
    if let Some(header_lines) = header_block(doc, &lines) {
        out.extend(format_header(&lines[..header_lines]));
        rest = &lines[header_lines..];
    } else if doc.header.is_none() && lines[0].trim().is_empty() {
        // A blank first line keeps a later `---` from becoming a header.
        out.push(String::new());
    }
    // One blank line between the header and the body.
    let mut blank_pending = !out.is_empty();
    let mut previous_heading = false;
    for line in rest {
        let line = line.trim_end_matches([' ', '\t', '\r']);
        if line.is_empty() {
            blank_pending = !out.is_empty();
            continue;
        }
        let heading = is_heading(line);
        let need_blank = blank_pending
            || ((heading || previous_heading) && !out.is_empty() && !is_comment(line));
        if need_blank && out.last().is_some_and(|l| !l.is_empty()) {
            out.push(String::new());
        }
        out.push(line.to_string());
        blank_pending = false;
        previous_heading = heading;
    }
    while out.last().is_some_and(|l| l.is_empty()) {
        out.pop();
    }
    let mut formatted = String::from(bom);
    for line in &out {
        formatted.push_str(line);
        formatted.push_str(eol);
    }
    formatted
}

/// Formats a text from scratch, parsing it first.
pub fn format_text(text: &str, ctx: &LabelContext) -> String {
    format(text, &syntax::parse(text, ctx))
}

fn is_heading(line: &str) -> bool {
    let level = line.bytes().take_while(|&b| b == b'#').count();
    (1..=6).contains(&level) && (line.len() == level || line[level..].starts_with([' ', '\t']))
}

fn is_comment(line: &str) -> bool {
    line.trim_start().starts_with("//")
}

/// The number of lines of a well-formed header, closing `---` included;
/// `None` when there is none or it has problems (then it is left as it is,
/// apart from trailing spaces).
fn header_block(doc: &Document, lines: &[&str]) -> Option<usize> {
    let header = doc.header.as_ref()?;
    header.close.as_ref()?;
    let broken = doc.problems.iter().any(|p| {
        matches!(
            p.kind,
            ProblemKind::MalformedHeaderLine | ProblemKind::InvalidKey { .. }
        )
    });
    if broken {
        return None;
    }
    let close = lines.iter().skip(1).position(|l| l.trim_end() == "---")? + 1;
    Some(close + 1)
}

/// The header's lines: `---`, the entries in canonical order (comments stay
/// with the entry after them), `---`.
fn format_header(lines: &[&str]) -> Vec<String> {
    let rank = |key: &str| KEYS.iter().position(|k| k.key == key).unwrap_or(KEYS.len());
    let mut entries: Vec<(usize, usize, Vec<String>)> = Vec::new();
    let mut comments: Vec<String> = Vec::new();
    for (i, line) in lines[1..lines.len() - 1].iter().enumerate() {
        let line = line.trim_end_matches([' ', '\t', '\r']);
        if line.trim().is_empty() {
            continue;
        }
        if is_comment(line) {
            comments.push(line.trim_start().to_string());
            continue;
        }
        let Some((key, value)) = line.split_once(':') else {
            comments.push(line.to_string());
            continue;
        };
        let (key, value) = (key.trim(), value.trim());
        let mut block = std::mem::take(&mut comments);
        block.push(if value.is_empty() {
            format!("{key}:")
        } else {
            format!("{key}: {value}")
        });
        entries.push((rank(key), i, block));
    }
    entries.sort_by_key(|(rank, i, _)| (*rank, *i));
    let mut out = vec!["---".to_string()];
    out.extend(entries.into_iter().flat_map(|(_, _, block)| block));
    out.extend(comments);
    out.push("---".to_string());
    out
}
