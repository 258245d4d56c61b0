//! The parser's problems as diagnostics: what each means and how to fix it.

use crate::diagnostic::{Diagnostic, Rule};
use crate::syntax::{Empty, ProblemKind, SyntaxProblem, Unclosed, is_valid_key};

/// The rules of the parser's problems. No allow silences them: the text
/// cannot be read as meant until they are corrected.
pub const RULES: &[Rule] = &[
    Rule::MissingHeader,
    Rule::UnclosedHeader,
    Rule::MalformedHeaderLine,
    Rule::InvalidKey,
    Rule::UnclosedMention,
    Rule::EmptyMention,
];

pub fn diagnostic(text: &str, p: &SyntaxProblem) -> Diagnostic {
    let span = p.span.clone();
    match &p.kind {
        ProblemKind::MissingHeader => Diagnostic::new(Rule::MissingHeader, span, "the file does not start with a metadata header")
            .help("start the file with a line `---`, then `title: …` and `date: YYYY-MM-DD` lines, then a line `---`"),
        ProblemKind::UnclosedHeader => Diagnostic::new(Rule::UnclosedHeader, span, "the metadata header is never closed")
            .help("add a line `---` after the last `key: value` line"),
        ProblemKind::MalformedHeaderLine => Diagnostic::new(Rule::MalformedHeaderLine, span, "this header line is not of the form `key: value`")
            .help("write a key, a colon and the value, as in `place: Moscow, Russia`; or start the line with `//` to make it a comment"),
        ProblemKind::InvalidKey { key } => {
            let fixed = key.trim().to_lowercase().replace([' ', '_'], "-");
            let d = Diagnostic::new(Rule::InvalidKey, span, format!("`{key}` is not a valid key"))
                .help("keys are lowercase ASCII letters, digits and `-`");
            if is_valid_key(&fixed) { d.suggest(vec![fixed]) } else { d }
        }
        ProblemKind::UnclosedMention { what: Unclosed::Bracket } => {
            // An escaped `[` is never a mention, except after the backslash
            // that starts a paragraph: that one is the label escape.
            let help = if text.get(..span.start).is_some_and(|t| t.ends_with('\\')) {
                "a paragraph's first backslash only says it is not a turn, so this `[` opens a mention: write `\\\\[` for a literal bracket here, or close it with `]`"
            } else {
                "close it with `]`, or write `\\[` for a literal bracket"
            };
            Diagnostic::new(Rule::UnclosedMention, span, "this `[` is not closed on its line").help(help)
        }
        ProblemKind::UnclosedMention { what: Unclosed::Brace } => {
            Diagnostic::new(Rule::UnclosedMention, span, "the reference `{` of this mention is not closed on its line")
                .help("close the reference with `}`, as in `[John Kerry]{kerry}`")
        }
        ProblemKind::EmptyMention { what } => {
            let (message, help) = match what {
                Empty::Surface => ("this mention has no text", "write the words of the text inside `[…]`, or remove the mention"),
                Empty::Reference => ("this mention has an empty reference", "write an entity id or a type inside `{…}`, such as `{person}`"),
                Empty::Brackets => ("empty brackets", "write a note inside them, such as `[inaudible]`, or remove them"),
            };
            Diagnostic::new(Rule::EmptyMention, span, message).help(help)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::{LabelContext, parse};

    #[test]
    fn every_problem_has_one_of_the_syntax_rules() {
        // One of each kind of problem.
        let texts = [
            "---\ntitle: T\nno colon\nBad Key: x\n---\nA [b]{c d [e\n\n[]{x} [a]{}\n",
            "---\ntitle: T\n",
            "no header",
        ];
        let mut seen: Vec<Rule> = texts
            .iter()
            .flat_map(|text| {
                let doc = parse(text, &LabelContext::default());
                doc.problems
                    .iter()
                    .map(|p| diagnostic(text, p).rule)
                    .collect::<Vec<_>>()
            })
            .collect();
        seen.sort();
        seen.dedup();
        assert_eq!(seen, RULES);
    }
}
