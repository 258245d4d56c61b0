//! Code lens facts: above each `speaker:` declaration "N turns · M words",
//! above each section heading "K questions" (its subsections' included),
//! counted as `stats` counts them. The registry's "mentioned N times in M
//! files" needs the workspace's counts: [`mentions_title`] only words them.

use super::stats::Stats;
use super::turns::{TurnKind, body};
use crate::syntax::{Document, Span, speaker_name};

/// Which lenses to give.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CodeLensConfig {
    pub speakers: bool,
    pub sections: bool,
}

impl Default for CodeLensConfig {
    fn default() -> Self {
        CodeLensConfig {
            speakers: true,
            sections: true,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeLensKind {
    /// Above a `speaker:` header line.
    Speaker,
    /// Above a section heading.
    Section,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeLens {
    /// The line the lens stands above.
    pub span: Span,
    pub title: String,
    pub kind: CodeLensKind,
}

/// The lenses on lines that touch `range`, in document order.
pub fn code_lenses(
    text: &str,
    doc: &Document,
    range: Span,
    config: CodeLensConfig,
) -> Vec<CodeLens> {
    let touches = |span: &Span| span.start <= range.end && range.start <= span.end;
    let mut out = Vec::new();
    if config.speakers
        && let Some(header) = &doc.header
    {
        let declarations: Vec<_> = header
            .get("speaker")
            .filter(|e| !e.value.is_empty() && touches(&e.line_span))
            .collect();
        if !declarations.is_empty() {
            let stats = Stats::of_file(text, doc, None);
            for e in declarations {
                let tally = stats
                    .speakers
                    .get(speaker_name(&e.value))
                    .copied()
                    .unwrap_or_default();
                out.push(CodeLens {
                    span: e.line_span.clone(),
                    title: format!(
                        "{} · {}",
                        plural(tally.turns, "turn"),
                        plural(tally.words, "word")
                    ),
                    kind: CodeLensKind::Speaker,
                });
            }
        }
    }
    if config.sections {
        let body = body(text, doc);
        let mut questions = vec![0; body.sections.len()];
        for turn in body.turns.iter().filter(|t| t.kind == TurnKind::Question) {
            let mut at = turn.section;
            while let Some(i) = at {
                questions[i] += 1;
                at = body.sections[i].parent;
            }
        }
        for (section, n) in body.sections.iter().zip(questions) {
            if touches(&section.heading.span) {
                out.push(CodeLens {
                    span: section.heading.span.clone(),
                    title: plural(n, "question"),
                    kind: CodeLensKind::Section,
                });
            }
        }
    }
    out
}

/// The title of the lens above a registry entity, from the workspace's counts.
pub fn mentions_title(mentions: usize, files: usize) -> String {
    match mentions {
        0 => "not mentioned".to_string(),
        1 => "mentioned once in 1 file".to_string(),
        n => format!("mentioned {n} times in {}", plural(files, "file")),
    }
}

fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::{LabelContext, parse};

    fn lenses(text: &str, range: Span, config: CodeLensConfig) -> Vec<(String, String)> {
        let doc = parse(text, &LabelContext::default());
        code_lenses(text, &doc, range, config)
            .into_iter()
            .map(|l| (text[l.span].to_string(), l.title))
            .collect()
    }

    const TEXT: &str = "---\ntitle: T\ndate: 2017-06-16\n\
        speaker: Sergey Lavrov (Minister)\nspeaker: Maria Zakharova\nspeaker: Ann Lee\n---\n\
        # Opening\n\nSergey Lavrov: Good afternoon, [Mr Kerry]{kerry} – welcome.\n\nIt’s “fine”.\n\n\
        # Questions\n\nQuestion: Why?\n\nSergey Lavrov: Because.\n\n\
        ## Russian media\n\nQuestion (TASS): And?\n\nMaria Zakharova: 😀 Indeed.\n\nQuestion: Last?\n";

    #[test]
    fn turns_and_words_per_speaker_and_questions_per_section() {
        assert_eq!(
            lenses(TEXT, 0..TEXT.len(), CodeLensConfig::default()),
            [
                (
                    "speaker: Sergey Lavrov (Minister)".to_string(),
                    "2 turns · 8 words".to_string()
                ),
                (
                    "speaker: Maria Zakharova".to_string(),
                    "1 turn · 1 word".to_string()
                ),
                (
                    "speaker: Ann Lee".to_string(),
                    "0 turns · 0 words".to_string()
                ),
                ("# Opening".to_string(), "0 questions".to_string()),
                ("# Questions".to_string(), "3 questions".to_string()),
                ("## Russian media".to_string(), "2 questions".to_string()),
            ]
        );
    }

    #[test]
    fn only_the_lenses_asked_for_in_the_range() {
        let start = TEXT.find("## ").unwrap();
        assert_eq!(
            lenses(TEXT, start..start + 3, CodeLensConfig::default()),
            [("## Russian media".to_string(), "2 questions".to_string())]
        );
        let speakers = CodeLensConfig {
            sections: false,
            ..CodeLensConfig::default()
        };
        assert_eq!(lenses(TEXT, 0..TEXT.len(), speakers).len(), 3);
    }

    #[test]
    fn mention_counts_are_worded() {
        assert_eq!(mentions_title(0, 0), "not mentioned");
        assert_eq!(mentions_title(1, 1), "mentioned once in 1 file");
        assert_eq!(mentions_title(7, 1), "mentioned 7 times in 1 file");
        assert_eq!(mentions_title(7, 3), "mentioned 7 times in 3 files");
    }
}
