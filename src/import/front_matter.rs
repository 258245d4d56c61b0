//! YAML front matter at the top of a page (`---`, `key: value` lines,
//! `---`), read for the plain values a header needs: plain, single-quoted and
//! double-quoted scalars, folded over several lines, with YAML's escapes
//! (`\_` is a no-break space, `\u2060`, an escaped line break). Anything
//! else (lists, nested maps) is read as plain text; nothing is evaluated.

use super::lines::Line;

/// Most lines read looking for the closing `---`.
const MAX_LINES: usize = 200;

/// The front matter's `key: value` pairs, in order, and the index of the
/// first line after it; `None` when the page has none.
pub(crate) fn read(lines: &[Line]) -> Option<(Vec<(String, String)>, usize)> {
    if lines.first()?.text != "---" {
        return None;
    }
    let close = lines
        .iter()
        .take(MAX_LINES)
        .skip(1)
        .position(|l| l.text == "---" || l.text == "...")?
        + 1;
    let mut pairs: Vec<(String, String)> = Vec::new();
    // The raw text of the current value, line by line.
    let mut current: Option<(String, Vec<&str>)> = None;
    for line in &lines[1..close] {
        let t = line.text.as_str();
        let open_quote = current
            .as_ref()
            .is_some_and(|(_, parts)| !quote_closed(&parts.join("\n")));
        if !open_quote && let Some((key, value)) = key_value(t) {
            pairs.extend(current.take().map(|(k, parts)| (k, scalar(&parts))));
            current = Some((key.to_string(), vec![value]));
        } else if let Some((_, parts)) = &mut current {
            parts.push(t);
        }
    }
    pairs.extend(current.map(|(k, parts)| (k, scalar(&parts))));
    Some((pairs, close + 1))
}

/// `key: value` with a plain key.
fn key_value(line: &str) -> Option<(&str, &str)> {
    let (key, value) = line.split_once(':')?;
    let plain_key = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-'));
    (plain_key && (value.is_empty() || value.starts_with(' '))).then(|| (key, value.trim()))
}

/// Whether a value's text has closed the quote it opened (always, for a
/// value that opened none).
fn quote_closed(raw: &str) -> bool {
    let mut chars = raw.chars();
    match chars.next() {
        Some('"') => {
            let mut escaped = false;
            for c in chars {
                match c {
                    _ if escaped => escaped = false,
                    '\\' => escaped = true,
                    '"' => return true,
                    _ => {}
                }
            }
            false
        }
        Some('\'') => {
            // `''` is an escaped quote: an odd count of quotes after the first closes.
            chars.filter(|&c| c == '\'').count() % 2 == 1
        }
        _ => true,
    }
}

/// A scalar from its lines (trimmed): quoted values unescaped and folded,
/// plain ones folded.
fn scalar(parts: &[&str]) -> String {
    let first = parts.first().copied().unwrap_or("");
    if first.starts_with('"') {
        double_quoted(&parts.join("\n"))
    } else if first.starts_with('\'') {
        let joined = fold(parts);
        let inner = joined.strip_prefix('\'').unwrap_or(&joined);
        let inner = inner.strip_suffix('\'').unwrap_or(inner);
        inner.replace("''", "'")
    } else {
        fold(parts)
    }
}

/// Lines folded into one: each line break is a space.
fn fold(parts: &[&str]) -> String {
    parts
        .iter()
        .filter(|p| !p.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" ")
}

/// A double-quoted scalar (`"` to `"`), with its escapes and line folding.
fn double_quoted(raw: &str) -> String {
    let mut out = String::new();
    let mut chars = raw.chars().skip(1).peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => break,
            '\n' => out.push(' '),
            '\\' => {
                let Some(e) = chars.next() else { break };
                match e {
                    // An escaped line break joins the lines without a space.
                    '\n' => {}
                    '0' => out.push('\0'),
                    'a' => out.push('\u{7}'),
                    'b' => out.push('\u{8}'),
                    't' | '\t' => out.push('\t'),
                    'n' => out.push('\n'),
                    'v' => out.push('\u{b}'),
                    'f' => out.push('\u{c}'),
                    'r' => out.push('\r'),
                    'e' => out.push('\u{1b}'),
                    ' ' => out.push(' '),
                    '_' => out.push('\u{a0}'),
                    'N' => out.push('\u{85}'),
                    'L' => out.push('\u{2028}'),
                    'P' => out.push('\u{2029}'),
                    'x' | 'u' | 'U' => {
                        let len = match e {
                            'x' => 2,
                            'u' => 4,
                            _ => 8,
                        };
                        let hex: String = (0..len).filter_map(|_| chars.next()).collect();
                        match u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                            Some(ch) => out.push(ch),
                            None => out.push('\u{fffd}'),
                        }
                    }
                    other => out.push(other),
                }
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::lines::split_lines;
    use super::*;

    #[test]
    fn white_house_front_matter() {
        let raw = "---\ntags: press-briefings\ndate: '2021-01-27'\nsource_url: https://example.gov/a/\ntitle: \"Press Briefing by Press Secretary Jen\\_Psaki, Special Presidential Envoy for\\\n  \\ Climate John Kerry, January 27,\\_\\\n  2021\"\nother: 'it''s\n  folded'\n---\n\nBody";
        let lines = split_lines(raw);
        let (pairs, after) = read(&lines).unwrap();
        let get = |k: &str| {
            pairs
                .iter()
                .find(|(key, _)| key == k)
                .map(|(_, v)| v.as_str())
        };
        assert_eq!(get("date"), Some("2021-01-27"));
        assert_eq!(get("tags"), Some("press-briefings"));
        assert_eq!(get("source_url"), Some("https://example.gov/a/"));
        assert_eq!(
            get("title"),
            Some(
                "Press Briefing by Press Secretary Jen\u{a0}Psaki, Special Presidential Envoy for Climate John Kerry, January 27,\u{a0}2021"
            )
        );
        assert_eq!(get("other"), Some("it's folded"));
        assert_eq!(lines[after].text, "");
    }

    #[test]
    fn no_front_matter() {
        assert!(read(&split_lines("title: x\n---\n")).is_none());
        assert!(read(&split_lines("---\ntitle: x\n")).is_none());
        assert!(read(&[]).is_none());
    }
}
