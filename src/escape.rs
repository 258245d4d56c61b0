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

/// `s` as Markdown that shows exactly `s`, escaping only what could start
/// markup, so that plain prose stays readable in clients that show the
/// Markdown source: emphasis, code, links, images, HTML, entities and
/// tables anywhere; automatic links (`://`, `www.`); headings, lists and
/// quotes at the start. Line breaks become spaces and unsafe characters
/// are shown escaped.
pub fn markdown(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    let chars: Vec<char> = s.chars().collect();
    // The start of the text: a heading, a list, a quote, a thematic break.
    let digits = chars.iter().take_while(|c| c.is_ascii_digit()).count();
    let at_start = match chars.first() {
        Some('#' | '-' | '+' | '=' | '>') => Some(0),
        Some(c) if c.is_ascii_digit() && matches!(chars.get(digits), Some('.' | ')')) => {
            Some(digits)
        }
        _ => None,
    };
    for (i, &c) in chars.iter().enumerate() {
        let next = |k: usize| chars.get(i + k).copied();
        let escape = Some(i) == at_start
            || matches!(
                c,
                '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '&' | '|' | '~' | '!'
            )
            || (c == ':' && next(1) == Some('/') && next(2) == Some('/'))
            || (c == '.'
                && i >= 3
                && chars[i - 3..i]
                    .iter()
                    .collect::<String>()
                    .eq_ignore_ascii_case("www"));
        match c {
            '\n' | '\r' | '\t' => out.push(' '),
            c if escape => {
                out.push('\\');
                out.push(c);
            }
            c => push_shown(&mut out, c),
        }
    }
    out
}

/// `s` as a Markdown code span: fenced with more backticks than any run
/// inside it, so that nothing in `s` can close it early.
pub fn code_span(s: &str) -> String {
    let mut longest = 0;
    let mut run = 0;
    let mut text = String::with_capacity(s.len());
    for c in s.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
        match c {
            '\n' | '\r' | '\t' => text.push(' '),
            c => push_shown(&mut text, c),
        }
    }
    let fence = "`".repeat(longest + 1);
    // A space on both sides keeps a backtick at either end apart from the fence.
    let pad = if s.starts_with('`') || s.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{text}{pad}{fence}")
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
            "\\[x\\](command:rm) \\!\\[i\\](http\\://a) \\<b\\>"
        );
        assert_eq!(markdown("# h\n* l"), "\\# h \\* l");
        assert_eq!(
            markdown("12. x &amp; www.x.org"),
            "12\\. x \\&amp; www\\.x.org"
        );
        assert_eq!(
            markdown("US Secretary (2013-2017): Jen Psaki’s"),
            "US Secretary (2013-2017): Jen Psaki’s"
        );
    }

    #[test]
    fn code_spans_cannot_be_closed_from_inside() {
        assert_eq!(code_span("kerry"), "`kerry`");
        assert_eq!(code_span("a`b"), "``a`b``");
        assert_eq!(code_span("`x"), "`` `x ``");
    }
}
