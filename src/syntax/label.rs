//! Recognising the label that opens a turn: `Question (attribution):`, a
//! declared speaker, or a prefix that looks like a name.

use super::model::{Label, LabelKind};

/// What the parser needs to know to recognise labels.
#[derive(Debug, Clone)]
pub struct LabelContext {
    /// Question labels (`Question` and any the registry adds).
    pub question_labels: Vec<String>,
    /// Speakers declared outside the file (the registry's `speakers`).
    pub speakers: Vec<String>,
}

impl Default for LabelContext {
    fn default() -> Self {
        LabelContext {
            question_labels: vec!["Question".to_string()],
            speakers: Vec::new(),
        }
    }
}

/// Longest prefix that can look like a name, in characters.
const MAX_NAME_CHARS: usize = 60;
const MAX_NAME_WORDS: usize = 6;
const PARTICLES: &[&str] = &[
    "de", "da", "del", "della", "di", "du", "der", "den", "van", "von", "zu", "al", "el", "bin",
    "ibn", "ben", "la", "le", "dos", "das", "y", "ter",
];
const FORBIDDEN: &[char] = &[
    '.', ',', ';', ':', '!', '?', '(', ')', '[', ']', '{', '}', '"', '“', '”', '«', '»', '/',
];

/// The label at the start of `line` (which starts at byte `offset` of the
/// text), with the offset where the turn's text starts.
pub fn parse_label(
    line: &str,
    offset: usize,
    ctx: &LabelContext,
    declared: &[String],
) -> Option<(Label, usize)> {
    let colon = line.find(':')?;
    let after = &line[colon + 1..];
    if !(after.is_empty() || after.starts_with([' ', '\t'])) {
        return None;
    }
    let candidate = &line[..colon];
    if candidate.is_empty() || candidate.trim() != candidate {
        return None;
    }
    let span = offset..offset + colon;
    let content = offset + colon + 1 + (after.len() - after.trim_start().len());
    let label = question_label(candidate, offset, ctx).unwrap_or_else(|| Label {
        kind: LabelKind::Speaker,
        name: candidate.to_string(),
        span: span.clone(),
        name_span: span.clone(),
    });
    let known = matches!(label.kind, LabelKind::Question { .. })
        || ctx.speakers.iter().chain(declared).any(|s| s == candidate)
        || looks_like_name(candidate);
    known.then_some((label, content))
}

fn question_label(candidate: &str, offset: usize, ctx: &LabelContext) -> Option<Label> {
    ctx.question_labels.iter().find_map(|q| {
        let rest = candidate.strip_prefix(q.as_str())?;
        let attribution = if rest.is_empty() {
            None
        } else {
            let inner = rest.strip_prefix(" (")?.strip_suffix(')')?;
            let start = offset + q.len() + 2;
            Some((inner.to_string(), start..start + inner.len()))
        };
        Some(Label {
            kind: LabelKind::Question { attribution },
            name: q.clone(),
            span: offset..offset + candidate.len(),
            name_span: offset..offset + q.len(),
        })
    })
}

/// 1 to 6 capitalised words (lowercase particles between them), no digits, no
/// sentence punctuation, at most 60 characters.
pub fn looks_like_name(s: &str) -> bool {
    if s.chars().count() > MAX_NAME_CHARS
        || s.chars().any(|c| c.is_numeric() || FORBIDDEN.contains(&c))
    {
        return false;
    }
    let words: Vec<&str> = s.split(' ').collect();
    if words.len() > MAX_NAME_WORDS {
        return false;
    }
    let last = words.len() - 1;
    words.iter().enumerate().all(|(i, w)| {
        let capitalised = w.chars().next().is_some_and(char::is_uppercase)
            && w.chars()
                .all(|c| c.is_alphabetic() || matches!(c, '’' | '\'' | '-'));
        capitalised || (i > 0 && i < last && PARTICLES.contains(w))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_not_names() {
        for name in [
            "Sergey Lavrov",
            "Staffan de Mistura",
            "Jean-Claude Juncker",
            "O’Brien",
            "Question",
        ] {
            assert!(looks_like_name(name), "{name}");
        }
        for not in [
            "In 2016",
            "the press",
            "de Gaulle",
            "Well, yes",
            "A B C D E F G",
            "Mr. Smith",
            "",
        ] {
            assert!(!looks_like_name(not), "{not}");
        }
    }

    #[test]
    fn question_with_attribution() {
        let ctx = LabelContext::default();
        let (label, content) = parse_label("Question (RIA Novosti): Why?", 10, &ctx, &[]).unwrap();
        let LabelKind::Question {
            attribution: Some((who, span)),
        } = &label.kind
        else {
            panic!("not a question: {label:?}");
        };
        assert_eq!(who, "RIA Novosti");
        assert_eq!(span.clone(), 20..31);
        assert_eq!(label.span, 10..32);
        assert_eq!(content, 34);
    }

    #[test]
    fn a_colon_needs_a_space_after_it() {
        let ctx = LabelContext::default();
        assert!(parse_label("Time:12", 0, &ctx, &[]).is_none());
        assert!(parse_label("Sergey Lavrov:", 0, &ctx, &[]).is_some());
        let declared = vec!["UN Secretary-General (via video)".to_string()];
        assert!(
            parse_label(
                "UN Secretary-General (via video): Hello",
                0,
                &ctx,
                &declared
            )
            .is_some()
        );
    }
}
