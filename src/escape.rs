//! Text from files, shown safely: control characters made visible for
//! terminals and logs (an escape sequence in a header value must not drive
//! the user's terminal), and Markdown punctuation escaped for hovers (a
//! registry description must not become a link, an image or HTML).

use std::borrow::Cow;
use std::fmt::Write;

/// Whether a character must not reach a terminal as it is: C0 controls, DEL,
/// C1 controls, and the characters that reorder text (bidi controls) or
/// break lines where the reader does not expect it.
pub fn is_unsafe_char(c: char) -> bool {
    matches!(c,
        '\0'..='\u{1f}' | '\u{7f}'..='\u{9f}'
        | '\u{61c}' | '\u{200e}' | '\u{200f}'
        | '\u{2028}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `s` with every unsafe character written as a visible escape (`\u{1b}`).
pub fn shown(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_unsafe_char) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        push_shown(&mut out, c);
    }
    Cow::Owned(out)
}

/// Pushes `c`, escaped when it is unsafe.
pub fn push_shown(out: &mut String, c: char) {
    if is_unsafe_char(c) {
        let _ = write!(out, "\\u{{{:x}}}", c as u32);
    } else {
        out.push(c);
    }
}

/// How many columns `shown(c)` takes for a character that is unsafe.
pub fn shown_width(c: char) -> usize {
    // `\u{` + hex digits + `}`.
    4 + format!("{:x}", c as u32).len()
}

/// JSON text with the unsafe characters that JSON allows raw inside strings
/// (DEL, C1, bidi controls) written as `\uXXXX` escapes: the same JSON
/// values, safe to print. Control characters below U+0020 are escaped by
/// any JSON writer already.
pub fn json_safe(json: String) -> String {
    // Below U+0020 are the JSON text's own line breaks and indents.
    let unsafe_in_json = |c: char| c >= '\u{7f}' && is_unsafe_char(c);
    if !json.chars().any(unsafe_in_json) {
        return json;
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if unsafe_in_json(c) {
            let _ = write!(out, "\\u{:04x}", c as u32);
        } else {
            out.push(c);
        }
    }
    out
}

/// `s` as Markdown that shows exactly `s`: ASCII punctuation is
/// backslash-escaped (so nothing becomes a link, an image, emphasis, a
/// heading or HTML, and no URL is linked automatically), line breaks are
/// kept as spaces, and unsafe characters are shown escaped.
pub fn markdown(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\n' | '\r' | '\t' => out.push(' '),
            c if c.is_ascii_punctuation() => {
                out.push('\\');
                out.push(c);
            }
            c => push_shown(&mut out, c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_are_made_visible() {
        assert_eq!(shown("a\u{1b}[31mb"), "a\\u{1b}[31mb");
        assert_eq!(shown("x\u{202e}y\u{9b}"), "x\\u{202e}y\\u{9b}");
        assert_eq!(shown("’ “ ” – \u{a0} 😀"), "’ “ ” – \u{a0} 😀");
        assert!(matches!(shown("plain"), Cow::Borrowed(_)));
        assert_eq!(shown_width('\u{1b}'), "\\u{1b}".len());
    }

    #[test]
    fn json_keeps_its_values() {
        let value = "a\u{202e}b\u{7f}c\u{1b}";
        let json = json_safe(serde_json::to_string_pretty(&[value]).unwrap());
        assert!(json.contains('\n'), "the layout is kept: {json}");
        assert!(
            !json.chars().any(|c| c != '\n' && is_unsafe_char(c)),
            "{json}"
        );
        assert_eq!(serde_json::from_str::<Vec<String>>(&json).unwrap(), [value]);
    }

    #[test]
    fn markdown_shows_text_as_text() {
        assert_eq!(
            markdown("[x](command:rm) ![i](http://a) <b>"),
            "\\[x\\]\\(command\\:rm\\) \\!\\[i\\]\\(http\\:\\/\\/a\\) \\<b\\>"
        );
        assert_eq!(markdown("# h\n* l"), "\\# h \\* l");
        assert_eq!(markdown("Jen Psaki’s"), "Jen Psaki’s");
    }
}
