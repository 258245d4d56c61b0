//! Escaping raw text so the parser reads it as the plain text it is: literal
//! brackets become `\[` `\]`, a paragraph that would be read as a turn label,
//! a heading or a comment gets a leading `\`, and editorial notes are only
//! written where they parse as notes.

use crate::syntax::{looks_like_name, time_code};

/// Question labels a registry may add, beyond `Question`.
const QUESTION_WORDS: &[&str] = &["Question", "Вопрос"];

/// Escapes the brackets of raw text.
pub(crate) fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '[' | ']') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// `[content]`, when it parses back as an editorial note with that content.
pub(crate) fn note(content: &str) -> Option<String> {
    let c = content.split_whitespace().collect::<Vec<_>>().join(" ");
    let ok = !c.is_empty() && !c.contains(['[', ']', '\\', '\n', '\r']) && time_code(&c).is_none();
    ok.then(|| format!("[{c}]"))
}

/// Whether a line at the start of a paragraph would be read as a turn label
/// by the parser (`declared` being the speakers the header declares).
pub(crate) fn reads_as_label(line: &str, declared: &[String]) -> bool {
    let Some(colon) = line.find(':') else {
        return false;
    };
    let after = &line[colon + 1..];
    if !(after.is_empty() || after.starts_with([' ', '\t'])) {
        return false;
    }
    let candidate = &line[..colon];
    if candidate.is_empty() || candidate.trim() != candidate {
        return false;
    }
    QUESTION_WORDS.iter().any(|q| candidate.starts_with(q))
        || declared.iter().any(|d| d == candidate)
        || looks_like_name(candidate)
}

/// A line the parser would read as a heading or a comment.
pub(crate) fn is_structure_line(line: &str) -> bool {
    let t = line.trim_start();
    if t.starts_with("//") {
        return true;
    }
    let hashes = t.bytes().take_while(|&b| b == b'#').count();
    (1..=6).contains(&hashes) && {
        let rest = &t[hashes..];
        rest.is_empty() || rest.starts_with([' ', '\t'])
    }
}

/// Whether the first line of an unlabelled paragraph needs a leading `\`.
pub(crate) fn needs_escape(first_line: &str, declared: &[String]) -> bool {
    first_line.starts_with('\\')
        || is_structure_line(first_line)
        || reads_as_label(first_line, declared)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes() {
        assert_eq!(escape_text("a [b] c"), r"a \[b\] c");
        assert_eq!(note("Laughter."), Some("[Laughter.]".into()));
        assert_eq!(note("12:30"), None);
        assert_eq!(note(" "), None);
        assert!(reads_as_label("Moscow: text", &[]));
        assert!(!reads_as_label("Moscow, June 16: text", &[]));
        assert!(reads_as_label("A. Repik: text", &["A. Repik".into()]));
        assert!(needs_escape("# heading", &[]));
        assert!(needs_escape("// x", &[]));
        assert!(!needs_escape("#hashtag", &[]));
    }
}
