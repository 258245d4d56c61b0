//! Unified diffs of the fixes `check --diff` would make, safe to print: a
//! character that must not reach a terminal raw is shown escaped (`\u{1b}`),
//! except a tab; and, when the diff goes to a file or a pipe rather than a
//! terminal, the carriage return that ends a line, so that the diff of a
//! CRLF file still applies with `patch`. On a terminal it is shown
//! (`\u{d}`), so that a change of line end is seen.

use similar::{ChangeTag, TextDiff};

use crate::escape::{is_unsafe_char, push_shown, shown};

/// Lines of context around each change.
const CONTEXT: usize = 3;

/// The diff from `old` to `new` of the file `name`; `None` when they are
/// equal. `raw_cr`: a carriage return that ends a line is written as it is.
pub fn unified(name: &str, old: &str, new: &str, raw_cr: bool) -> Option<String> {
    if old == new {
        return None;
    }
    let diff = TextDiff::from_lines(old, new);
    let name = shown(name);
    let mut out = format!("--- {name}\n+++ {name}\n");
    for hunk in diff.unified_diff().context_radius(CONTEXT).iter_hunks() {
        out.push_str(&format!("{}\n", hunk.header()));
        for change in hunk.iter_changes() {
            out.push(match change.tag() {
                ChangeTag::Delete => '-',
                ChangeTag::Insert => '+',
                ChangeTag::Equal => ' ',
            });
            push_line(&mut out, change.value(), raw_cr);
        }
    }
    Some(out)
}

/// A line of the diff: its text made safe, its line end as it is.
fn push_line(out: &mut String, line: &str, raw_cr: bool) {
    let (body, end) = match line.strip_suffix('\n') {
        Some(body) => match body.strip_suffix('\r').filter(|_| raw_cr) {
            Some(body) => (body, "\r\n"),
            None => (body, "\n"),
        },
        None => (line, ""),
    };
    for c in body.chars() {
        if c == '\t' || !is_unsafe_char(c) {
            out.push(c);
        } else {
            push_shown(out, c);
        }
    }
    out.push_str(end);
    if end.is_empty() {
        out.push_str("\n\\ No newline at end of file\n");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_diff_with_context_and_safe_lines() {
        let old =
            "---\r\ntitle: T\r\ndate: 16 June 2017\r\n---\r\n\tIndented \u{1b}[31m text.\r\nLast";
        let new = old
            .replace("16 June 2017", "2017-06-16")
            .replace("Last", "End");
        let diff = unified("a/x\u{202e}.transcript", old, &new, true).unwrap();
        assert_eq!(
            diff,
            "--- a/x\\u{202e}.transcript\n+++ a/x\\u{202e}.transcript\n\
             @@ -1,6 +1,6 @@\n \
             ---\r\n \
             title: T\r\n\
             -date: 16 June 2017\r\n\
             +date: 2017-06-16\r\n \
             ---\r\n \
             \tIndented \\u{1b}[31m text.\r\n\
             -Last\n\\ No newline at end of file\n\
             +End\n\\ No newline at end of file\n"
        );
        assert_eq!(unified("x", old, old, true), None);
        // On a terminal, the carriage returns are shown.
        let shown = unified("x", old, &new, false).unwrap();
        assert!(
            shown.contains("\n-date: 16 June 2017\\u{d}\n+date: 2017-06-16\\u{d}\n"),
            "{shown}"
        );
        assert!(!shown.contains('\r'));
    }
}
