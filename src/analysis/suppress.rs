//! Inline suppression. A comment `// transcript-ls: allow RULE[, RULE…]`
//! directly before a paragraph, a heading or a header line silences those
//! rules there; `// transcript-ls: allow-file RULE…` anywhere silences them
//! in the whole file. Read off the model's comments (the parser knows
//! nothing of rules) and applied in `analyze` right after the severities,
//! so that `check` and the editor agree. An allow that silences nothing is
//! reported as `unused-allow`; the quick fix "allow RULE here" is built here.

use super::fixes::{Applicability, Fix, FixKind, eol};
use super::syntax_problems;
use crate::diagnostic::{Diagnostic, Rule, did_you_mean};
use crate::syntax::{Document, Item, Span};

/// What a suppression comment starts with, after `//`.
pub const MARKER: &str = "transcript-ls:";

const ALLOW: &str = "allow";
const ALLOW_FILE: &str = "allow-file";

#[derive(Debug, Clone, Copy, PartialEq)]
enum Verb {
    Allow,
    AllowFile,
    Unknown,
}

/// A suppression comment.
#[derive(Debug, Clone)]
struct Directive {
    /// The comment line, without its line end.
    line: Span,
    verb: Verb,
    /// The directive word; empty at the end of the comment when missing.
    verb_span: Span,
    names: Vec<Span>,
    /// What an `allow` applies to: from the start of the line after it (and
    /// after the comments that directly follow it) to the end of the
    /// paragraph, heading or header line there. `None` when nothing is there.
    target: Option<Span>,
}

/// How an allow's rule name stands.
enum Named {
    /// A rule that can be silenced in a transcript.
    Suppressible,
    /// A rule reported across files (`duplicate-id`): whether the allow is
    /// used is known only with the other files, so it is never reported.
    CrossFile,
    /// A rule an allow can never silence, and why.
    Never(&'static str),
    Unknown,
}

fn named(name: &str) -> Named {
    let Some(rule) = Rule::from_name(name) else {
        return Named::Unknown;
    };
    match rule {
        _ if syntax_problems::RULES.contains(&rule) => Named::Never(
            "it is a syntax problem, which makes the text unreadable: correct the text instead",
        ),
        Rule::UnusedAllow => Named::Never(
            "an allow cannot silence the report of an allow: remove the allow, or turn the rule off in transcripts.json",
        ),
        Rule::InvalidRegistry | Rule::InvalidEntity | Rule::DuplicateAlias => {
            Named::Never("it is reported in transcripts.json, not in transcripts")
        }
        Rule::DuplicateId => Named::CrossFile,
        _ => Named::Suppressible,
    }
}

/// Whether an allow can silence the rule.
pub fn suppressible(rule: Rule) -> bool {
    matches!(named(rule.name()), Named::Suppressible | Named::CrossFile)
}

/// Separates the kept diagnostics from those an allow silences, and reports
/// the allows that silence nothing (with their rule's default severity).
pub(super) fn apply(
    text: &str,
    doc: &Document,
    diagnostics: Vec<Diagnostic>,
) -> (Vec<Diagnostic>, Vec<Diagnostic>) {
    let directives = directives(text, doc);
    if directives.is_empty() {
        return (diagnostics, Vec::new());
    }
    let mut used: Vec<Vec<bool>> = directives
        .iter()
        .map(|d| vec![false; d.names.len()])
        .collect();
    let kept = diagnostics
        .into_iter()
        .filter(|d| !silence(text, &directives, d, &mut used))
        .collect();
    let mut unused = Vec::new();
    for (directive, used) in directives.iter().zip(&used) {
        report(text, directive, used, &mut unused);
    }
    (kept, unused)
}

/// The diagnostics no allow silences: for rules added after `analyze`
/// (across files, such as `duplicate-id`). Reports nothing.
pub fn filter(text: &str, doc: &Document, diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let directives = directives(text, doc);
    let mut used: Vec<Vec<bool>> = directives
        .iter()
        .map(|d| vec![false; d.names.len()])
        .collect();
    diagnostics
        .into_iter()
        .filter(|d| !silence(text, &directives, d, &mut used))
        .collect()
}

/// Whether an allow silences `d`; marks every allow that does.
fn silence(text: &str, directives: &[Directive], d: &Diagnostic, used: &mut [Vec<bool>]) -> bool {
    if !suppressible(d.rule) {
        return false;
    }
    let mut silenced = false;
    for (directive, used) in directives.iter().zip(used) {
        let applies = match directive.verb {
            Verb::AllowFile => true,
            Verb::Allow => directive.target.as_ref().is_some_and(|t| {
                (t.start <= d.span.start && d.span.start < t.end)
                    || (d.span.is_empty() && d.span.start == t.end)
            }),
            Verb::Unknown => false,
        };
        if !applies {
            continue;
        }
        for (name, used) in directive.names.iter().zip(used.iter_mut()) {
            if &text[name.clone()] == d.rule.name() {
                *used = true;
                silenced = true;
            }
        }
    }
    silenced
}

/// The `unused-allow` diagnostics of a directive.
fn report(text: &str, directive: &Directive, used: &[bool], out: &mut Vec<Diagnostic>) {
    let words = &text[directive.verb_span.clone()];
    let how = "write `// transcript-ls: allow RULE` directly before a paragraph, heading or header line, or `// transcript-ls: allow-file RULE` anywhere";
    match directive.verb {
        Verb::Unknown => {
            let (span, message) = if words.is_empty() {
                (
                    directive.line.clone(),
                    "this transcript-ls comment says nothing".to_string(),
                )
            } else {
                (
                    directive.verb_span.clone(),
                    format!("`{words}` is not a transcript-ls directive"),
                )
            };
            out.push(
                Diagnostic::new(Rule::UnusedAllow, span, message)
                    .help(how)
                    .suggest(did_you_mean(words, [ALLOW, ALLOW_FILE])),
            );
            return;
        }
        _ if directive.names.is_empty() => {
            out.push(
                Diagnostic::new(Rule::UnusedAllow, directive.line.clone(), format!("this `{words}` names no rule"))
                    .help("name the rules to allow after it, as in `// transcript-ls: allow empty-turn`, or remove the comment"),
            );
            return;
        }
        Verb::Allow if directive.target.is_none() => {
            out.push(
                Diagnostic::new(
                    Rule::UnusedAllow,
                    directive.line.clone(),
                    "this allow applies to nothing: no paragraph, heading or header line follows it directly",
                )
                .help("remove the blank line after it, or move it directly before the line it is meant for"),
            );
            return;
        }
        _ => {}
    }
    let place = match directive.verb {
        Verb::AllowFile => "in this file",
        _ => "where it applies (the next paragraph, heading or header line)",
    };
    for (span, used) in directive.names.iter().zip(used) {
        let name = &text[span.clone()];
        let d = match named(name) {
            Named::Unknown => Diagnostic::new(
                Rule::UnusedAllow,
                span.clone(),
                format!("`{name}` is not a rule"),
            )
            .help("`transcript-ls rules` lists the rules")
            .suggest(did_you_mean(name, Rule::ALL.iter().map(|r| r.name()))),
            Named::Never(why) => Diagnostic::new(
                Rule::UnusedAllow,
                span.clone(),
                format!("`{name}` cannot be allowed"),
            )
            .help(why),
            Named::Suppressible if !used => Diagnostic::new(
                Rule::UnusedAllow,
                span.clone(),
                format!("`allow {name}` silences nothing: no `{name}` problem is reported {place}"),
            )
            .help("remove it; it would hide a future problem of this kind"),
            Named::Suppressible | Named::CrossFile => continue,
        };
        out.push(d);
    }
}

/// The suppression comments of a document, with what each applies to.
fn directives(text: &str, doc: &Document) -> Vec<Directive> {
    let mut out: Vec<Directive> = doc
        .comments
        .iter()
        .filter_map(|c| parse(text, c.clone()))
        .collect();
    if out.iter().any(|d| d.verb == Verb::Allow) {
        let targets = Targets::new(text, doc);
        for d in out.iter_mut().filter(|d| d.verb == Verb::Allow) {
            d.target = next_line(text, doc, d.line.end).and_then(|l| targets.at_line(l));
        }
    }
    out
}

/// Reads a comment line as a directive, if it is one.
fn parse(text: &str, line: Span) -> Option<Directive> {
    let s = &text[line.clone()];
    let rest = s.trim_start().strip_prefix("//")?.trim_start();
    let rest = rest.strip_prefix(MARKER)?;
    let mut tokens = tokens(rest, line.end - rest.len());
    let verb_span = tokens.next().unwrap_or(line.end..line.end);
    let verb = match &text[verb_span.clone()] {
        ALLOW => Verb::Allow,
        ALLOW_FILE => Verb::AllowFile,
        _ => Verb::Unknown,
    };
    // A reason may follow the names after `--`.
    let names = tokens
        .take_while(|t| !text[t.clone()].starts_with("--"))
        .collect();
    Some(Directive {
        line,
        verb,
        verb_span,
        names,
        target: None,
    })
}

/// The words of `s` (which starts at byte `start`) between spaces and commas.
fn tokens(s: &str, start: usize) -> impl Iterator<Item = Span> + '_ {
    s.split(|c: char| c == ',' || c.is_whitespace())
        .filter(|t| !t.is_empty())
        .map(move |t| {
            let at = start + (t.as_ptr() as usize - s.as_ptr() as usize);
            at..at + t.len()
        })
}

/// The start of the first line after the one ending at `end` that is not a
/// comment line; `None` at the end of the text.
fn next_line(text: &str, doc: &Document, end: usize) -> Option<usize> {
    let mut end = end;
    loop {
        let start = end + text[end..].find('\n')? + 1;
        match doc.comments.binary_search_by_key(&start, |c| c.start) {
            Ok(i) => end = doc.comments[i].end,
            Err(_) => return Some(start),
        }
    }
}

/// `at`, or after the line end there.
fn through_eol(text: &str, at: usize) -> usize {
    let rest = &text[at..];
    at + if rest.starts_with("\r\n") {
        2
    } else {
        usize::from(rest.starts_with('\n'))
    }
}

/// The end of the line that starts at `start`, without its line end.
fn line_end(text: &str, start: usize) -> usize {
    let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    if text[..end].ends_with('\r') {
        end - 1
    } else {
        end
    }
}

/// What allows can apply to: header lines, headings and paragraphs (a
/// turn's first paragraph with its label).
struct Targets<'a> {
    text: &'a str,
    /// Where the header's lines are (after the opening `---`, before the
    /// closing one).
    header: Option<Span>,
    /// Body elements in document order: where each starts (its first line
    /// may start a byte earlier, with a backslash) and what it covers.
    body: Vec<(usize, usize)>,
}

impl<'a> Targets<'a> {
    fn new(text: &'a str, doc: &Document) -> Self {
        let header = doc.header.as_ref().map(|h| {
            let end = h.close.as_ref().map_or(h.span.end, |c| c.start);
            h.open.end..end
        });
        let mut body = Vec::new();
        for item in &doc.items {
            match item {
                Item::Heading(h) => body.push((h.span.start, h.span.end)),
                Item::Narration(p) => body.push((p.span.start, p.span.end)),
                Item::Turn(t) => {
                    for (i, p) in t.paragraphs.iter().enumerate() {
                        let start = if i == 0 { t.span.start } else { p.span.start };
                        body.push((start, p.span.end));
                    }
                }
            }
        }
        Targets { text, header, body }
    }

    /// What an allow before the line starting at `line` applies to: up to
    /// the end of the line end of the target's last line.
    fn at_line(&self, line: usize) -> Option<Span> {
        let end = line_end(self.text, line);
        if self.header.as_ref().is_some_and(|h| h.contains(&line)) {
            return (!self.text[line..end].trim().is_empty())
                .then(|| line..through_eol(self.text, end));
        }
        let i = self.body.partition_point(|(s, _)| *s < line);
        let (start, stop) = *self.body.get(i)?;
        (start <= end).then(|| line..through_eol(self.text, stop))
    }

    /// The line start of the target that holds `offset`.
    fn holding(&self, offset: usize) -> Option<usize> {
        let line = self.text[..offset].rfind('\n').map_or(0, |i| i + 1);
        if self.header.as_ref().is_some_and(|h| h.contains(&line)) {
            let end = line_end(self.text, line);
            return (!self.text[line..end].trim().is_empty()).then_some(line);
        }
        let i = self.body.partition_point(|(s, _)| *s <= offset);
        let (start, stop) = *self.body.get(i.checked_sub(1)?)?;
        (offset < through_eol(self.text, stop).max(stop + 1))
            .then(|| self.text[..start].rfind('\n').map_or(0, |i| i + 1))
    }
}

/// The edit that removes what an `unused-allow` diagnostic at `span`
/// reports (a name, or the whole comment when it is the only name or the
/// comment is broken), and whether that loses nothing meant.
pub(super) fn removal(text: &str, doc: &Document, span: &Span) -> Option<(Span, FixKind)> {
    let c = doc
        .comments
        .iter()
        .find(|c| c.start <= span.start && span.end <= c.end)?;
    let directive = directives_at(text, doc, c.clone())?;
    let whole = remove_line(text, &directive.line);
    let broken = (whole.clone(), FixKind::RemoveBrokenAllow);
    let i = directive.names.iter().position(|n| n == span);
    let Some(i) = i.filter(|_| directive.verb != Verb::Unknown) else {
        return Some(broken);
    };
    if directive.verb == Verb::Allow && directive.target.is_none() {
        return Some(broken);
    }
    let kind = match named(&text[span.clone()]) {
        Named::Unknown => FixKind::RemoveBrokenAllow,
        _ => FixKind::RemoveAllow,
    };
    let names = &directive.names;
    let edit = match names.len() {
        1 => whole,
        n if i + 1 < n => names[i].start..names[i + 1].start,
        _ => names[i - 1].end..names[i].end,
    };
    Some((edit, kind))
}

/// The directive on one comment line, with its target.
fn directives_at(text: &str, doc: &Document, line: Span) -> Option<Directive> {
    let mut d = parse(text, line)?;
    if d.verb == Verb::Allow {
        d.target =
            next_line(text, doc, d.line.end).and_then(|l| Targets::new(text, doc).at_line(l));
    }
    Some(d)
}

/// The span that removes a whole line with its line end.
fn remove_line(text: &str, line: &Span) -> Span {
    let start = text[..line.start].rfind('\n').map_or(0, |i| i + 1);
    match text[line.end..].find('\n') {
        Some(i) => start..line.end + i + 1,
        // The last line: the line end before it goes with it.
        None => {
            let before = text[..start].strip_suffix('\n').unwrap_or(&text[..start]);
            let before = before.strip_suffix('\r').unwrap_or(before);
            before.len()..line.end
        }
    }
}

/// The quick fixes that silence `d` with a comment: "allow it here" (before
/// its paragraph, heading or header line) and "allow it in this file". An
/// allow already there gets the rule added to its names.
pub fn allow_fixes(text: &str, doc: &Document, d: &Diagnostic) -> Vec<Fix> {
    if !suppressible(d.rule) || d.span.start > text.len() || !text.is_char_boundary(d.span.start) {
        return Vec::new();
    }
    let rule = d.rule.name();
    let directives = directives(text, doc);
    let targets = Targets::new(text, doc);
    let fix = |title: String, edit: (Span, String)| {
        Fix::new(
            title,
            vec![edit],
            false,
            FixKind::Allow,
            Applicability::DisplayOnly,
        )
    };
    let mut out = Vec::new();
    if let Some(line) = targets.holding(d.span.start) {
        let existing = directives
            .iter()
            .find(|x| x.verb == Verb::Allow && x.target.as_ref().is_some_and(|t| t.start == line));
        let edit = match existing.and_then(|x| x.names.last()) {
            Some(last) => (last.end..last.end, format!(", {rule}")),
            None => {
                let indent: String = text[line..]
                    .chars()
                    .take_while(|c| *c == ' ' || *c == '\t')
                    .collect();
                (
                    line..line,
                    format!("{indent}// {MARKER} {ALLOW} {rule}{}", eol(text)),
                )
            }
        };
        out.push(fix(format!("Allow `{rule}` here"), edit));
    }
    let existing = directives.iter().find(|x| x.verb == Verb::AllowFile);
    let edit = match existing.and_then(|x| x.names.last()) {
        Some(last) => (last.end..last.end, format!(", {rule}")),
        None => {
            let line = format!("// {MARKER} {ALLOW_FILE} {rule}");
            match &doc.header {
                // The line after the opening `---`.
                Some(h) => match text[h.open.end..].find('\n') {
                    Some(i) => {
                        let at = h.open.end + i + 1;
                        (at..at, format!("{line}{}", eol(text)))
                    }
                    None => (h.open.end..h.open.end, format!("{}{line}", eol(text))),
                },
                None => {
                    let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
                    (start..start, format!("{line}{}", eol(text)))
                }
            }
        }
    };
    out.push(fix(format!("Allow `{rule}` in this file"), edit));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::analyze;

    fn rules(text: &str) -> Vec<(&'static str, String)> {
        analyze(text, None)
            .diagnostics
            .iter()
            .map(|d| (d.rule.name(), text[d.span.clone()].to_string()))
            .collect()
    }

    const HEAD: &str = "---\ntitle: T\ndate: 2017-06-16\n---\n";

    #[test]
    fn an_allow_silences_its_rules_on_the_next_paragraph_only() {
        let text = format!(
            "{HEAD}// transcript-ls: allow empty-turn, question-without-answer\nQuestion:\n\nQuestion:\n\nAnn Lee: Yes.\n"
        );
        assert_eq!(
            rules(&text),
            [("empty-turn", "Question".to_string())],
            "the first question is silenced, the second not"
        );
    }

    #[test]
    fn an_allow_file_silences_its_rules_everywhere() {
        let text = format!(
            "{HEAD}Question:\n\n// transcript-ls: allow-file empty-turn -- deliberate\n\nQuestion:\n"
        );
        assert_eq!(
            rules(&text),
            [
                ("question-without-answer", "Question".to_string()),
                ("question-without-answer", "Question".to_string())
            ]
        );
    }

    #[test]
    fn allows_stack_and_apply_in_the_header() {
        let text = "---\ntitle: T\n// transcript-ls: allow invalid-date\n// a note\n// transcript-ls: allow unknown-key\ndate: 16 June 2017\nplcae: x\n---\nHi.\n";
        // Both allows apply to the date line; the one for `plcae` is unused.
        assert_eq!(
            rules(text),
            [
                ("unused-allow", "unknown-key".to_string()),
                ("unknown-key", "plcae".to_string())
            ]
        );
    }

    #[test]
    fn allows_that_silence_nothing_are_reported() {
        let text = format!(
            "{HEAD}// transcript-ls: allow empty-turn, emtpy-section, unclosed-mention, duplicate-id\nAnn Lee: Hi.\n\n\
             // transcript-ls: allow empty-turn\n\nAnn Lee: Hi.\n// transcript-ls: alow x\n// transcript-ls: allow\n"
        );
        let analysis = analyze(&text, None);
        let seen: Vec<(String, Option<String>)> = analysis
            .diagnostics
            .iter()
            .map(|d| {
                (
                    text[d.span.clone()].to_string(),
                    d.suggestions.first().cloned(),
                )
            })
            .collect();
        assert!(
            analysis
                .diagnostics
                .iter()
                .all(|d| d.rule == Rule::UnusedAllow)
        );
        assert_eq!(
            seen,
            [
                ("empty-turn".to_string(), None),
                (
                    "emtpy-section".to_string(),
                    Some("empty-section".to_string())
                ),
                ("unclosed-mention".to_string(), None),
                ("// transcript-ls: allow empty-turn".to_string(), None),
                ("alow".to_string(), Some("allow".to_string())),
                ("// transcript-ls: allow".to_string(), None),
            ]
        );
        assert_eq!(
            analysis.diagnostics[0].severity,
            crate::diagnostic::Severity::Hint
        );
    }

    #[test]
    fn syntax_problems_cannot_be_silenced() {
        let text = format!("{HEAD}// transcript-ls: allow-file unclosed-mention\nAnn Lee: [oops\n");
        let found: Vec<&str> = rules(&text).into_iter().map(|(r, _)| r).collect();
        assert_eq!(found, ["unused-allow", "unclosed-mention"]);
    }

    #[test]
    fn removing_an_unused_name_keeps_the_others() {
        let text = format!(
            "{HEAD}// transcript-ls: allow empty-turn, unknown-key, question-without-answer\nQuestion:\n"
        );
        let analysis = analyze(&text, None);
        let [d] = analysis.diagnostics.as_slice() else {
            panic!("{:?}", analysis.diagnostics)
        };
        let (edit, kind) = removal(&text, &analysis.syntax, &d.span).unwrap();
        assert_eq!(kind, FixKind::RemoveAllow);
        let mut fixed = text.clone();
        fixed.replace_range(edit, "");
        assert!(
            fixed.contains("allow empty-turn, question-without-answer\n"),
            "{fixed}"
        );
        assert!(analyze(&fixed, None).diagnostics.is_empty());
    }

    #[test]
    fn the_allow_fix_inserts_a_comment_or_adds_to_one() {
        let text = format!("{HEAD}Intro.\n\nQuestion: Why?\nAnd how?\n");
        let analysis = analyze(&text, None);
        let d = &analysis.diagnostics[0];
        assert_eq!(d.rule, Rule::QuestionWithoutAnswer);
        let here = &allow_fixes(&text, &analysis.syntax, d)[0];
        assert_eq!(here.title, "Allow `question-without-answer` here");
        let fixed = here.apply(&text);
        assert!(
            fixed.ends_with(
                "\n\n// transcript-ls: allow question-without-answer\nQuestion: Why?\nAnd how?\n"
            ),
            "{fixed}"
        );
        assert!(analyze(&fixed, None).diagnostics.is_empty());

        // An indented header line keeps its indentation.
        let indented = "---\ntitle: T\ndate: 2017-06-16\n  plcae: x\n---\n";
        let analysis = analyze(indented, None);
        let fixed =
            allow_fixes(indented, &analysis.syntax, &analysis.diagnostics[0])[0].apply(indented);
        assert_eq!(
            fixed,
            "---\ntitle: T\ndate: 2017-06-16\n  // transcript-ls: allow unknown-key\n  plcae: x\n---\n"
        );
        assert!(analyze(&fixed, None).diagnostics.is_empty());

        let two = format!("{HEAD}// transcript-ls: allow empty-turn\nQuestion:\n");
        let analysis = analyze(&two, None);
        let d = analysis
            .diagnostics
            .iter()
            .find(|d| d.rule == Rule::QuestionWithoutAnswer)
            .unwrap();
        let fixed = allow_fixes(&two, &analysis.syntax, d)[0].apply(&two);
        assert!(
            fixed
                .contains("// transcript-ls: allow empty-turn, question-without-answer\nQuestion:"),
            "{fixed}"
        );
        assert!(analyze(&fixed, None).diagnostics.is_empty());
    }

    #[test]
    fn the_file_fix_goes_after_the_opening_line() {
        let text = "---\r\ntitle: T\r\n---\r\nHi.\r\n";
        let analysis = analyze(text, None);
        let d = &analysis.diagnostics[0];
        assert_eq!(d.rule, Rule::MissingKey);
        let fixes = allow_fixes(text, &analysis.syntax, d);
        assert_eq!(
            fixes.len(),
            1,
            "`missing-key` is on the opening line: no paragraph to allow it on"
        );
        let fixed = fixes[0].apply(text);
        assert_eq!(
            fixed,
            "---\r\n// transcript-ls: allow-file missing-key\r\ntitle: T\r\n---\r\nHi.\r\n"
        );
        assert!(analyze(&fixed, None).diagnostics.is_empty());
    }
}
