//! Finding the label of a paragraph: the text before the first colon that
//! is followed by a space, without the site's tooltip text, with a final
//! parenthesis kept apart as the turn's context.

use super::LabelParts;

/// Longest raw label considered, in characters (labels with tooltips are long).
const MAX_LABEL_CHARS: usize = 320;

/// Finds the label of a paragraph's first line: the text before the first
/// colon followed by a space or the end of the line.
pub(crate) fn split_label(line: &str) -> Option<LabelParts> {
    let mut colon = None;
    for (i, c) in line.char_indices() {
        if c == ':' {
            let after = &line[i + 1..];
            if after.is_empty() || after.starts_with(char::is_whitespace) {
                colon = Some(i);
                break;
            }
        }
    }
    let colon = colon?;
    let raw = line[..colon].trim_end();
    if raw.is_empty() || raw.chars().count() > MAX_LABEL_CHARS {
        return None;
    }
    let rest = line[colon + 1..].trim().to_string();
    // The site's tooltip: `Name     Surname FirstnameCurrent role (context)`.
    let (mut base, mut tooltip, mut tail) = (raw.to_string(), None, String::new());
    if let Some(i) = raw.find("   ") {
        base = raw[..i].trim().to_string();
        let right = raw[i..].trim();
        // A final parenthesis after the tooltip is the label's context.
        match final_parenthesis(right) {
            Some((before, ctx)) => {
                tooltip = Some(before.trim().to_string()).filter(|s| !s.is_empty());
                tail = format!("({ctx})");
            }
            None => tooltip = Some(right.to_string()).filter(|s| !s.is_empty()),
        }
    }
    let mut context = None;
    let with_tail = if tail.is_empty() {
        base.clone()
    } else {
        format!("{base} {tail}")
    };
    if let Some((before, ctx)) = final_parenthesis(&with_tail) {
        base = before.trim().to_string();
        context = Some(ctx.trim().to_string()).filter(|s| !s.is_empty());
    }
    if base.is_empty() {
        return None;
    }
    Some(LabelParts {
        raw: raw.to_string(),
        base,
        context,
        tooltip,
        rest,
    })
}

/// `text (inner)` -> (`text`, `inner`), the parenthesis balanced.
fn final_parenthesis(s: &str) -> Option<(&str, &str)> {
    let inner_end = s.strip_suffix(')')?.len();
    let mut depth = 0usize;
    for (i, c) in s[..inner_end].char_indices().rev() {
        match c {
            ')' => depth += 1,
            '(' if depth == 0 => return Some((&s[..i], &s[i + 1..inner_end])),
            '(' => depth -= 1,
            _ => {}
        }
    }
    None
}
