//! Markdown undone, for sources that publish it: backslash escapes (`\[`,
//! `\###`), emphasis (`*…*`, `**…**`, `_…_`), HTML tags and comments
//! (`<s>…</s>` keeps its text), autolinks (`<https://…>`) and links
//! (`[text](url)`) written as plain text.

use std::sync::LazyLock;

use regex::Regex;

static AUTOLINK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^<((?:https?://|mailto:)[^\s<>]{1,2000}|[^\s<>@]{1,200}@[^\s<>@]{1,200})>")
        .expect("valid regex")
});
static TAG: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"^</?[A-Za-z][A-Za-z0-9-]{0,20}(?:\s[^<>]{0,2000})?/?>"#).expect("valid regex")
});
static LINK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^!?\[([^\[\]\n]{0,500})\]\(([^()\s]{0,2000})\)").expect("valid regex")
});

/// The plain text of a Markdown paragraph.
pub(crate) fn plain(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < text.len() {
        let rest = &text[i..];
        let Some(c) = rest.chars().next() else { break };
        match c {
            '\\' => {
                let next = rest[1..].chars().next();
                match next {
                    Some(n) if n.is_ascii_punctuation() => {
                        out.push(n);
                        i += 1 + n.len_utf8();
                    }
                    _ => {
                        out.push('\\');
                        i += 1;
                    }
                }
            }
            '<' if rest.starts_with("<!--") => {
                i += rest.find("-->").map_or(rest.len(), |k| k + 3);
            }
            '<' => {
                if let Some(m) = AUTOLINK.captures(rest) {
                    out.push_str(&m[1]);
                    i += m[0].len();
                } else if let Some(m) = TAG.find(rest) {
                    i += m.end();
                } else {
                    out.push('<');
                    i += 1;
                }
            }
            '[' | '!' if LINK.is_match(rest) => {
                let m = LINK.captures(rest).expect("matched");
                let (label, url) = (plain(&m[1]), &m[2]);
                if label.is_empty() || label == url {
                    out.push_str(url);
                } else if url.is_empty() {
                    out.push_str(&label);
                } else {
                    out.push_str(&format!("{label} ({url})"));
                }
                i += m[0].len();
            }
            '*' => i += 1,
            '_' => {
                let before = out.chars().last().is_some_and(char::is_alphanumeric);
                let after = rest[1..].chars().next().is_some_and(char::is_alphanumeric);
                // Emphasis at a word's edge; inside a word it is text.
                if before && after {
                    out.push('_');
                }
                i += 1;
            }
            c => {
                out.push(c);
                i += c.len_utf8();
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_to_plain_text() {
        assert_eq!(
            plain(r"\[senior administration official\] said"),
            "[senior administration official] said"
        );
        assert_eq!(plain(r"\###"), "###");
        assert_eq!(
            plain("*Sláinte*. **Bold** and _this_ but snake_case"),
            "Sláinte. Bold and this but snake_case"
        );
        assert_eq!(
            plain(r"March <s>2013</s> \[23\], 2018"),
            "March 2013 [23], 2018"
        );
        assert_eq!(
            plain("visit: <https://example.gov/a_b.pdf>"),
            "visit: https://example.gov/a_b.pdf"
        );
        assert_eq!(
            plain("[HERE](https://example.gov/x)"),
            "HERE (https://example.gov/x)"
        );
        assert_eq!(
            plain("[https://e.gov/x](https://e.gov/x)"),
            "https://e.gov/x"
        );
        assert_eq!(plain("a <!-- x --> b"), "a  b");
        assert_eq!(plain("a < b and c<d"), "a < b and c<d");
        assert_eq!(plain(r"\*\[16 of 21\] \x"), r"*[16 of 21] \x");
        assert_eq!(
            plain("<DL.NSC.Press@nsc.eop.gov>"),
            "DL.NSC.Press@nsc.eop.gov"
        );
        assert_eq!(plain("ends with \\"), "ends with \\");
    }
}
