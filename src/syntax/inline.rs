//! Inline elements of a paragraph line: entity mentions `[surface]{ref}`,
//! editorial notes `[text]` and time codes `[hh:mm:ss]`.

use super::model::{Empty, Inline, Mention, Note, ProblemKind, Span, SyntaxProblem, Unclosed};

/// Parses the inline elements of one line (`line` starts at byte `offset`),
/// appending them, with the text between them, to `out`.
pub fn parse_line(
    line: &str,
    offset: usize,
    out: &mut Vec<Inline>,
    problems: &mut Vec<SyntaxProblem>,
) {
    let bytes = line.as_bytes();
    let mut text_start = 0;
    let mut i = 0;
    // Once a `}` search has failed, none after that point can succeed.
    let mut no_brace_from = usize::MAX;
    let push_text = |out: &mut Vec<Inline>, from: usize, to: usize| {
        if to > from {
            out.push(Inline::Text(offset + from..offset + to));
        }
    };
    loop {
        i = next_special(bytes, i);
        if i >= bytes.len() {
            break;
        }
        match bytes[i] {
            b'\\' if matches!(bytes.get(i + 1), Some(b'[' | b']')) => i += 2,
            b'[' => {
                let Some(close) = find_close(bytes, i + 1) else {
                    problems.push(problem(
                        ProblemKind::UnclosedMention {
                            what: Unclosed::Bracket,
                        },
                        offset + i..offset + line.len(),
                    ));
                    i += 1;
                    continue;
                };
                if bytes[close] == b'[' {
                    problems.push(problem(
                        ProblemKind::UnclosedMention {
                            what: Unclosed::Bracket,
                        },
                        offset + i..offset + close,
                    ));
                    i = close;
                    continue;
                }
                let inner = i + 1..close;
                if bytes.get(close + 1) == Some(&b'{') {
                    let brace = close + 1;
                    let end = if brace < no_brace_from {
                        line[brace..].find('}').map(|k| brace + k)
                    } else {
                        None
                    };
                    let Some(end) = end else {
                        no_brace_from = brace;
                        problems.push(problem(
                            ProblemKind::UnclosedMention {
                                what: Unclosed::Brace,
                            },
                            offset + i..offset + line.len(),
                        ));
                        i = brace + 1;
                        continue;
                    };
                    push_text(out, text_start, i);
                    let span = offset + i..offset + end + 1;
                    let surface = trimmed(line, inner, offset);
                    let reference = trimmed(line, brace + 1..end, offset);
                    if surface.0.is_empty() {
                        problems.push(problem(
                            ProblemKind::EmptyMention {
                                what: Empty::Surface,
                            },
                            span,
                        ));
                    } else if reference.0.is_empty() {
                        problems.push(problem(
                            ProblemKind::EmptyMention {
                                what: Empty::Reference,
                            },
                            span,
                        ));
                    } else {
                        out.push(Inline::Mention(Box::new(Mention {
                            span,
                            surface: surface.0.to_string(),
                            surface_span: surface.1,
                            reference: reference.0.to_string(),
                            reference_span: reference.1,
                        })));
                    }
                    i = end + 1;
                } else {
                    push_text(out, text_start, i);
                    let span = offset + i..offset + close + 1;
                    let (text, text_span) = trimmed(line, inner, offset);
                    if text.is_empty() {
                        problems.push(problem(
                            ProblemKind::EmptyMention {
                                what: Empty::Brackets,
                            },
                            span,
                        ));
                    } else {
                        out.push(Inline::Note(Box::new(Note {
                            span,
                            text: text.to_string(),
                            text_span,
                            time_code: time_code(text),
                        })));
                    }
                    i = close + 1;
                }
                text_start = i;
            }
            _ => i += 1,
        }
    }
    push_text(out, text_start, bytes.len());
}

/// The index of the first `[` or `\\` at or after `from`, or the length of
/// `bytes`: the only bytes where an inline element or an escape can start.
/// Reads eight bytes at a time: most of a line is plain text.
fn next_special(bytes: &[u8], from: usize) -> usize {
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGHS: u64 = u64::from_ne_bytes([0x80; 8]);
    const OPEN: u64 = u64::from_ne_bytes([b'['; 8]);
    const ESCAPE: u64 = u64::from_ne_bytes([b'\\'; 8]);
    // The high bit of each zero byte of `x` is set, and maybe some above it,
    // never one below the first: the lowest set bit marks the first zero byte.
    let zero_bytes = |x: u64| x.wrapping_sub(ONES) & !x & HIGHS;
    let mut i = from;
    while let Some(chunk) = bytes.get(i..i + 8) {
        let word = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
        let found = zero_bytes(word ^ OPEN) | zero_bytes(word ^ ESCAPE);
        if found != 0 {
            return i + (found.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while i < bytes.len() && !matches!(bytes[i], b'[' | b'\\') {
        i += 1;
    }
    i
}

/// The index of the `]` closing a bracket opened before `from`, or of a `[`
/// that comes first (the bracket is then unclosed); `None` at the end of the line.
fn find_close(bytes: &[u8], from: usize) -> Option<usize> {
    let mut j = from;
    while j < bytes.len() {
        match bytes[j] {
            b'\\' if matches!(bytes.get(j + 1), Some(b'[' | b']')) => j += 2,
            b'[' | b']' => return Some(j),
            _ => j += 1,
        }
    }
    None
}

fn trimmed(line: &str, range: Span, offset: usize) -> (&str, Span) {
    let s = &line[range.clone()];
    let lead = s.len() - s.trim_start().len();
    let t = s.trim();
    let start = offset + range.start + lead;
    (t, start..start + t.len())
}

fn problem(kind: ProblemKind, span: Span) -> SyntaxProblem {
    SyntaxProblem { kind, span }
}

/// `hh:mm:ss`, `h:mm:ss` or `mm:ss` as seconds; minutes and seconds below 60
/// (the leading field of `mm:ss` may be larger).
pub fn time_code(s: &str) -> Option<u32> {
    let parts: Vec<&str> = s.split(':').collect();
    let num = |p: &str, max_len: usize| -> Option<u32> {
        (!p.is_empty() && p.len() <= max_len && p.bytes().all(|b| b.is_ascii_digit()))
            .then(|| p.parse().ok())?
    };
    match parts.as_slice() {
        [m, s] if s.len() == 2 => {
            let (m, s) = (num(m, 3)?, num(s, 2)?);
            (s < 60).then_some(m * 60 + s)
        }
        [h, m, s] if m.len() == 2 && s.len() == 2 => {
            let (h, m, s) = (num(h, 2)?, num(m, 2)?, num(s, 2)?);
            (m < 60 && s < 60).then_some(h * 3600 + m * 60 + s)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(line: &str) -> (Vec<Inline>, Vec<SyntaxProblem>) {
        let (mut out, mut problems) = (Vec::new(), Vec::new());
        parse_line(line, 0, &mut out, &mut problems);
        (out, problems)
    }

    #[test]
    fn mention_note_and_time_code() {
        let (out, problems) = parse("Mr [John Kerry]{kerry} said [laughs] at [01:02:03].");
        assert!(problems.is_empty());
        let kinds: Vec<_> = out
            .iter()
            .map(|i| match i {
                Inline::Text(s) => format!("text {s:?}"),
                Inline::Mention(m) => format!(
                    "mention {} {} {:?}",
                    m.surface, m.reference, m.reference_span
                ),
                Inline::Note(n) => format!("note {} {:?}", n.text, n.time_code),
            })
            .collect();
        assert_eq!(
            kinds,
            [
                "text 0..3",
                "mention John Kerry kerry 16..21",
                "text 22..28",
                "note laughs None",
                "text 36..40",
                "note 01:02:03 Some(3723)",
                "text 50..51",
            ]
        );
    }

    #[test]
    fn unclosed_and_empty() {
        let (_, p) = parse("a [b c");
        assert_eq!(
            p,
            [problem(
                ProblemKind::UnclosedMention {
                    what: Unclosed::Bracket
                },
                2..6
            )]
        );
        let (_, p) = parse("[x]{y and [z]{w");
        let spans: Vec<_> = p.iter().map(|p| p.span.clone()).collect();
        assert_eq!(spans, [0..15, 10..15], "{p:?}");
        let (_, p) = parse("[]{x} [y]{ } [ ]");
        let what: Vec<_> = p.iter().map(|p| p.kind.clone()).collect();
        assert_eq!(
            what,
            [
                ProblemKind::EmptyMention {
                    what: Empty::Surface
                },
                ProblemKind::EmptyMention {
                    what: Empty::Reference
                },
                ProblemKind::EmptyMention {
                    what: Empty::Brackets
                },
            ]
        );
    }

    #[test]
    fn escaped_brackets_are_text() {
        let (out, p) = parse(r"a \[sic\] b");
        assert!(p.is_empty());
        assert_eq!(out, [Inline::Text(0..11)]);
    }

    #[test]
    fn time_codes() {
        assert_eq!(time_code("12:30"), Some(750));
        assert_eq!(time_code("1:02:03"), Some(3723));
        assert_eq!(time_code("12:60"), None);
        assert_eq!(time_code("inaudible"), None);
        assert_eq!(time_code("1:2"), None);
    }
}
