//! Quick fixes: the edits that fix a diagnostic, routed on its rule (never on
//! its message), each marked with how safe it is to apply unseen; annotating
//! a plain-text name of a registry entity; and [`fix_all`], which applies a
//! file's fixes of a chosen safety, pass after pass, until none is left.

use std::collections::BTreeMap;

use super::{Analysis, Diagnostic, analyze, suppress};
use crate::diagnostic::Rule;
use crate::registry::Registry;
use crate::syntax::{Document, Inline, Span};

/// Whether a fix may be applied without a person looking at it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Applicability {
    /// Keeps what the text means: `check --fix` applies it.
    Safe,
    /// A guess that may change what the text means (one of several
    /// candidates, a new declaration): applied only with `--unsafe-fixes`.
    Unsafe,
    /// A starting point that still needs a person (an empty value to fill
    /// in), or a choice only a person makes: never applied automatically.
    DisplayOnly,
}

impl Applicability {
    pub fn name(self) -> &'static str {
        match self {
            Applicability::Safe => "safe",
            Applicability::Unsafe => "unsafe",
            Applicability::DisplayOnly => "display only",
        }
    }

    /// Whether [`fix_all`] at `level` applies a fix of this applicability.
    pub fn applies_at(self, level: Applicability) -> bool {
        self != Applicability::DisplayOnly && self <= level
    }
}

/// What a fix does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FixKind {
    /// Replaces the problem with one of the diagnostic's suggestions.
    Replace,
    CloseHeader,
    AddKey,
    DeclareSpeaker,
    LineEndings,
    /// Removes an allow that can never silence anything where it stands.
    RemoveAllow,
    /// Removes an allow that names an unknown rule or stands where it
    /// applies to nothing: what it was meant to silence is lost.
    RemoveBrokenAllow,
    /// Adds a suppression comment ([`suppress::allow_fixes`]).
    Allow,
    /// Marks a registry name written as plain text as a mention.
    Annotate,
    /// Every fix of a file at once ([`FixedFile::as_fix`]).
    All,
}

impl FixKind {
    /// What the fix does, as docs/format.md says it.
    pub fn describe(self) -> &'static str {
        match self {
            FixKind::Replace => "replace with the suggestion",
            FixKind::CloseHeader => "add the closing `---`",
            FixKind::AddKey => "add an empty `key: ` line to the header",
            FixKind::DeclareSpeaker => "declare the speaker in the header",
            FixKind::LineEndings => "convert every line end to the kind the first line has",
            FixKind::RemoveAllow => "remove the rule name, or the comment when it names no other",
            FixKind::RemoveBrokenAllow => "remove a misspelt name or a misplaced comment",
            FixKind::Allow => "allow the rule here, or in the file",
            FixKind::Annotate => "annotate the name as a mention",
            FixKind::All => "apply every fix of the file",
        }
    }
}

/// How safe a rule's fix of one kind is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Safety {
    Always(Applicability),
    /// Safe when the diagnostic has exactly one suggestion, unsafe when it
    /// has several (the first is only the likeliest).
    OneCandidate,
}

impl Safety {
    pub fn applicability(self, candidates: usize) -> Applicability {
        match self {
            Safety::Always(a) => a,
            Safety::OneCandidate if candidates == 1 => Applicability::Safe,
            Safety::OneCandidate => Applicability::Unsafe,
        }
    }

    pub fn describe(self) -> &'static str {
        match self {
            Safety::Always(a) => a.name(),
            Safety::OneCandidate => "safe with one suggestion, unsafe with several",
        }
    }
}

/// The fixes each rule offers and how safe each is: the one table that
/// [`fixes`] takes applicabilities from and docs/format.md states.
pub fn rule_fixes(rule: Rule) -> &'static [(FixKind, Safety)] {
    use Applicability::*;
    use FixKind::*;
    use Safety::*;
    match rule {
        Rule::UnclosedHeader => &[(CloseHeader, Always(Safe))],
        // Corrected forms, not guesses: `16 June 2017`, `Place`, `en_GB`.
        Rule::InvalidKey | Rule::InvalidDate | Rule::InvalidLanguageTag => {
            &[(Replace, Always(Safe))]
        }
        // Every odd character becomes `-`: an identifier others may cite.
        Rule::InvalidId => &[(Replace, Always(Unsafe))],
        Rule::UnknownKey | Rule::UnknownEntity => &[(Replace, OneCandidate)],
        Rule::UndeclaredSpeaker => &[(Replace, OneCandidate), (DeclareSpeaker, Always(Unsafe))],
        Rule::MissingKey => &[(AddKey, Always(DisplayOnly))],
        Rule::MixedLineEndings => &[(LineEndings, Always(Safe))],
        Rule::UnusedAllow => &[
            (RemoveAllow, Always(Safe)),
            (Replace, OneCandidate),
            (RemoveBrokenAllow, Always(Unsafe)),
        ],
        _ => &[],
    }
}

/// The line of a rule's section in docs/format.md that states its fixes.
pub fn documented(rule: Rule) -> String {
    let fixes = rule_fixes(rule);
    if fixes.is_empty() {
        return "Automatic fix: none.".to_string();
    }
    let each: Vec<String> = fixes
        .iter()
        .map(|(kind, safety)| format!("{} ({})", kind.describe(), safety.describe()))
        .collect();
    format!("Automatic fix: {}.", each.join("; "))
}

/// A named set of edits to one document's text.
#[derive(Debug, Clone, PartialEq)]
pub struct Fix {
    pub title: String,
    pub edits: Vec<(Span, String)>,
    /// The one fix an editor may apply without asking (the best suggestion).
    pub preferred: bool,
    pub kind: FixKind,
    pub applicability: Applicability,
}

impl Fix {
    pub(super) fn new(
        title: String,
        edits: Vec<(Span, String)>,
        preferred: bool,
        kind: FixKind,
        applicability: Applicability,
    ) -> Self {
        Fix {
            title,
            edits,
            preferred,
            kind,
            applicability,
        }
    }

    /// The text with the edits applied (edits must not overlap).
    pub fn apply(&self, text: &str) -> String {
        apply_edits(text, self.edits.iter())
    }
}

/// `text` with non-overlapping edits applied, in one pass.
fn apply_edits<'a>(text: &str, edits: impl Iterator<Item = &'a (Span, String)>) -> String {
    let mut edits: Vec<&(Span, String)> = edits.collect();
    edits.sort_by_key(|(span, _)| (span.start, span.end));
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (span, new) in edits {
        out.push_str(&text[at..span.start]);
        out.push_str(new);
        at = span.end;
    }
    out.push_str(&text[at..]);
    out
}

/// The file's line ending, as its first line has it.
pub(super) fn eol(text: &str) -> &'static str {
    match text.find('\n') {
        Some(i) if i > 0 && text.as_bytes()[i - 1] == b'\r' => "\r\n",
        _ => "\n",
    }
}

/// Inserts a header line before the closing `---`.
fn header_line(text: &str, doc: &Document, line: String) -> Option<(Span, String)> {
    let close = doc.header.as_ref()?.close.as_ref()?;
    Some((close.start..close.start, format!("{line}{}", eol(text))))
}

/// The edits that give every line the first line's ending.
fn line_ending_edits(text: &str) -> Vec<(Span, String)> {
    let crlf = eol(text) == "\r\n";
    let bytes = text.as_bytes();
    let mut edits = Vec::new();
    for (i, _) in text.match_indices('\n') {
        let has_cr = i > 0 && bytes[i - 1] == b'\r';
        if crlf && !has_cr {
            edits.push((i..i, "\r".to_string()));
        } else if !crlf && has_cr {
            edits.push((i - 1..i + 1, "\n".to_string()));
        }
    }
    edits
}

/// The fixes of a diagnostic, best first.
pub fn fixes(text: &str, doc: &Document, d: &Diagnostic) -> Vec<Fix> {
    let safety = |kind: FixKind| {
        rule_fixes(d.rule)
            .iter()
            .find(|(k, _)| *k == kind)
            .map(|(_, s)| s.applicability(d.suggestions.len()))
    };
    let mut out: Vec<Fix> = Vec::new();
    // An allow that can do nothing is removed first; a misspelt one is
    // corrected rather than removed.
    if d.rule == Rule::UnusedAllow
        && let Some((edit, kind)) = suppress::removal(text, doc, &d.span)
        && kind == FixKind::RemoveAllow
        && let Some(a) = safety(kind)
    {
        out.push(Fix::new(
            "Remove the unused allow".to_string(),
            vec![(edit, String::new())],
            true,
            kind,
            a,
        ));
    }
    if let Some(a) = safety(FixKind::Replace) {
        for (i, s) in d.suggestions.iter().enumerate() {
            out.push(Fix::new(
                format!("Replace with `{s}`"),
                vec![(d.span.clone(), s.clone())],
                i == 0 && out.is_empty(),
                FixKind::Replace,
                a,
            ));
        }
    }
    // The first fix is preferred, unless it still needs a person.
    let push = |out: &mut Vec<Fix>, title: String, edits, kind| {
        if let Some(a) = safety(kind) {
            let preferred = out.is_empty() && a != Applicability::DisplayOnly;
            out.push(Fix::new(title, edits, preferred, kind, a));
        }
    };
    match d.rule {
        Rule::MissingKey => {
            if let Some(key) = &d.subject
                && let Some(edit) = header_line(text, doc, format!("{key}: "))
            {
                push(
                    &mut out,
                    format!("Add `{key}:` to the header"),
                    vec![edit],
                    FixKind::AddKey,
                );
            }
        }
        Rule::UndeclaredSpeaker => {
            let name = &text[d.span.clone()];
            if let Some(edit) = header_line(text, doc, format!("speaker: {name}")) {
                push(
                    &mut out,
                    format!("Declare `{name}` in the header"),
                    vec![edit],
                    FixKind::DeclareSpeaker,
                );
            }
        }
        Rule::UnclosedHeader => {
            if let Some(h) = &doc.header {
                let end = h.span.end;
                push(
                    &mut out,
                    "Close the header with `---`".to_string(),
                    vec![(end..end, format!("{}---", eol(text)))],
                    FixKind::CloseHeader,
                );
            }
        }
        Rule::MixedLineEndings => {
            let edits = line_ending_edits(text);
            if !edits.is_empty() {
                let kind = if eol(text) == "\r\n" { "CRLF" } else { "LF" };
                push(
                    &mut out,
                    format!("End every line with {kind}, as the first line"),
                    edits,
                    FixKind::LineEndings,
                );
            }
        }
        Rule::UnusedAllow => {
            if let Some((edit, kind)) = suppress::removal(text, doc, &d.span)
                && kind == FixKind::RemoveBrokenAllow
            {
                push(
                    &mut out,
                    "Remove this allow".to_string(),
                    vec![(edit, String::new())],
                    kind,
                );
            }
        }
        _ => {}
    }
    out
}

/// Fixes that annotate a registry entity's name or alias written as plain
/// text where `range` touches it: `Mr Kerry` -> `[Mr Kerry]{kerry}`.
pub fn annotations(text: &str, doc: &Document, registry: &Registry, range: Span) -> Vec<Fix> {
    let mut out = Vec::new();
    for p in doc
        .paragraphs()
        .filter(|p| p.span.start <= range.end && range.start <= p.span.end)
    {
        for inline in &p.inlines {
            let Inline::Text(span) = inline else { continue };
            if span.end < range.start || range.end < span.start {
                continue;
            }
            let segment = &text[span.clone()];
            for (found, entity) in registry.index.names_in(&registry.entities, segment) {
                let found = span.start + found.start..span.start + found.end;
                let touches = found.start <= range.end && range.start <= found.end;
                let Some(e) = registry.entities.at(entity).filter(|_| touches) else {
                    continue;
                };
                let (name, id) = (&text[found.clone()], e.id());
                // A choice of the person editing: never applied in bulk.
                out.push(Fix::new(
                    format!("Annotate `{name}` as a mention of `{id}`"),
                    vec![(found, format!("[{name}]{{{id}}}"))],
                    false,
                    FixKind::Annotate,
                    Applicability::DisplayOnly,
                ));
            }
        }
    }
    out
}

/// The most passes [`fix_all`] makes over one file.
pub const MAX_PASSES: usize = 10;

/// What [`fix_all`] did to a file.
#[derive(Debug, Clone)]
pub struct FixedFile {
    /// The new text (the same as the old when nothing was fixed).
    pub text: String,
    /// The fixes applied, in the order of the passes.
    pub fixed: Vec<Fixed>,
    /// The analysis of the new text: what remains.
    pub analysis: Analysis,
}

impl FixedFile {
    /// What [`fix_all`] did to `old` as one fix: the stretch where the two
    /// texts differ, replaced, so an editor keeps the rest (and the cursor)
    /// where it was. `None` when nothing was fixed.
    pub fn as_fix(&self, old: &str, level: Applicability) -> Option<Fix> {
        if self.fixed.is_empty() || self.text == old {
            return None;
        }
        let new = self.text.as_str();
        let mut start = old
            .bytes()
            .zip(new.bytes())
            .take_while(|(a, b)| a == b)
            .count();
        while !old.is_char_boundary(start) || !new.is_char_boundary(start) {
            start -= 1;
        }
        let room = old.len().min(new.len()) - start;
        let mut suffix = old.as_bytes()[start..]
            .iter()
            .rev()
            .zip(new.as_bytes()[start..].iter().rev())
            .take(room)
            .take_while(|(a, b)| a == b)
            .count();
        while !old.is_char_boundary(old.len() - suffix) || !new.is_char_boundary(new.len() - suffix)
        {
            suffix -= 1;
        }
        let title = match self.fixed.len() {
            1 => format!("Fix 1 problem ({})", level.name()),
            n => format!("Fix {n} problems ({})", level.name()),
        };
        Some(Fix::new(
            title,
            vec![(
                start..old.len() - suffix,
                new[start..new.len() - suffix].to_string(),
            )],
            false,
            FixKind::All,
            level,
        ))
    }
}

/// One fix applied: the rule of the diagnostic it fixed, its title and safety.
#[derive(Debug, Clone, PartialEq)]
pub struct Fixed {
    pub rule: Rule,
    pub title: String,
    pub applicability: Applicability,
}

/// Applies the fixes of `level` (`Safe`, or `Unsafe` for both) to a text:
/// analyse, apply each diagnostic's best fix of that level where it does
/// not overlap another, and again, up to [`MAX_PASSES`] times. A pass that
/// would add a problem (more diagnostics of a rule than before, less those
/// it fixed) is not kept: its fixes are tried one by one, and those that add
/// nothing are kept.
pub fn fix_all(text: &str, registry: Option<&Registry>, level: Applicability) -> FixedFile {
    let mut text = text.to_string();
    let mut analysis = analyze(&text, registry);
    let mut fixed = Vec::new();
    for _ in 0..MAX_PASSES {
        let chosen = choose(&text, &analysis, level);
        if chosen.is_empty() {
            break;
        }
        let Some((new_text, new_analysis, applied)) = pass(&text, &analysis, &chosen, registry)
            .or_else(|| {
                let alone: Vec<(Rule, Fix)> = chosen
                    .iter()
                    .filter(|c| pass(&text, &analysis, std::slice::from_ref(c), registry).is_some())
                    .cloned()
                    .collect();
                pass(&text, &analysis, &alone, registry)
                    .or_else(|| pass(&text, &analysis, alone.get(..1)?, registry))
            })
        else {
            break;
        };
        fixed.extend(applied);
        text = new_text;
        analysis = new_analysis;
    }
    FixedFile {
        text,
        fixed,
        analysis,
    }
}

/// Each diagnostic's first fix of `level`, with the rule it fixes, skipping
/// those that overlap one chosen before.
fn choose(text: &str, analysis: &Analysis, level: Applicability) -> Vec<(Rule, Fix)> {
    // Chosen edits by start: they never overlap, so each new one need only
    // be compared with its neighbours.
    let mut taken: BTreeMap<usize, usize> = BTreeMap::new();
    let free = |taken: &BTreeMap<usize, usize>, span: &Span| {
        let before = taken.range(..=span.start).next_back();
        let after = taken.range(span.start..).next();
        before.is_none_or(|(&s, &e)| s != span.start && e <= span.start)
            && after.is_none_or(|(&s, _)| s != span.start && s >= span.end)
    };
    let valid = |span: &Span| {
        span.start <= span.end
            && span.end <= text.len()
            && text.is_char_boundary(span.start)
            && text.is_char_boundary(span.end)
    };
    let mut chosen = Vec::new();
    for d in &analysis.diagnostics {
        let Some(fix) = fixes(text, &analysis.syntax, d)
            .into_iter()
            .find(|f| f.applicability.applies_at(level))
        else {
            continue;
        };
        if fix.edits.is_empty()
            || !fix
                .edits
                .iter()
                .all(|(span, _)| valid(span) && free(&taken, span))
        {
            continue;
        }
        let mut edits: Vec<&Span> = fix.edits.iter().map(|(s, _)| s).collect();
        edits.sort_by_key(|s| s.start);
        if edits
            .windows(2)
            .any(|w| w[0].start == w[1].start || w[0].end > w[1].start)
        {
            continue;
        }
        for span in edits {
            taken.insert(span.start, span.end);
        }
        chosen.push((d.rule, fix));
    }
    chosen
}

/// The text with `chosen` applied and its analysis, unless that adds a problem.
fn pass(
    text: &str,
    before: &Analysis,
    chosen: &[(Rule, Fix)],
    registry: Option<&Registry>,
) -> Option<(String, Analysis, Vec<Fixed>)> {
    if chosen.is_empty() {
        return None;
    }
    let new = apply_edits(text, chosen.iter().flat_map(|(_, f)| &f.edits));
    let after = analyze(&new, registry);
    let mut budget: BTreeMap<Rule, isize> = BTreeMap::new();
    for d in &before.diagnostics {
        *budget.entry(d.rule).or_default() += 1;
    }
    for (rule, _) in chosen {
        *budget.entry(*rule).or_default() -= 1;
    }
    for d in &after.diagnostics {
        *budget.entry(d.rule).or_default() -= 1;
    }
    if budget.values().any(|&n| n < 0) {
        return None;
    }
    let applied = chosen
        .iter()
        .map(|(rule, fix)| Fixed {
            rule: *rule,
            title: fix.title.clone(),
            applicability: fix.applicability,
        })
        .collect();
    Some((new, after, applied))
}

#[cfg(test)]
mod tests {
    use super::*;

    const REGISTRY: &str =
        r#"{ "entities": { "kerry": { "name": "John Kerry", "type": "person" } } }"#;

    #[test]
    fn safe_fixes_are_applied_and_unsafe_ones_only_when_asked() {
        let registry = Registry::parse(REGISTRY);
        // A long-form date (safe), an unclosed header (safe), an undeclared
        // speaker with two candidates (unsafe), an entity id with one (safe).
        let text = "---\ntitle: T\ndate: 16 June 2017\nspeaker: Sergey Lavrov\nspeaker: Sergey Lavrova\n\n\
                    Sergey Lavro: We met [Mr Kerry]{kery}.\n";
        let safe = fix_all(text, Some(&registry), Applicability::Safe);
        assert_eq!(
            safe.text,
            "---\ntitle: T\ndate: 2017-06-16\nspeaker: Sergey Lavrov\nspeaker: Sergey Lavrova\n\n---\n\
             Sergey Lavro: We met [Mr Kerry]{kerry}.\n"
        );
        let mut rules: Vec<&str> = safe.fixed.iter().map(|f| f.rule.name()).collect();
        rules.sort();
        assert_eq!(rules, ["invalid-date", "unclosed-header", "unknown-entity"]);
        let remaining: Vec<&str> = safe
            .analysis
            .diagnostics
            .iter()
            .map(|d| d.rule.name())
            .collect();
        assert_eq!(
            remaining,
            ["unused-speaker", "unused-speaker", "undeclared-speaker"]
        );

        let unsafe_ = fix_all(text, Some(&registry), Applicability::Unsafe);
        assert!(
            unsafe_.text.contains("\nSergey Lavrov: We met"),
            "{}",
            unsafe_.text
        );
        assert!(
            unsafe_
                .fixed
                .iter()
                .any(|f| f.rule == Rule::UndeclaredSpeaker)
        );
    }

    #[test]
    fn display_only_fixes_are_never_applied() {
        // `missing-key`'s fix adds `date: `, which is still wrong.
        let text = "---\ntitle: T\n---\nHello.\n";
        let out = fix_all(text, None, Applicability::Unsafe);
        assert_eq!(out.text, text);
        assert!(out.fixed.is_empty());
        let analysis = analyze(text, None);
        let fix = &fixes(text, &analysis.syntax, &analysis.diagnostics[0])[0];
        assert_eq!(fix.applicability, Applicability::DisplayOnly);
    }

    #[test]
    fn a_fix_that_adds_a_problem_is_not_kept() {
        // `Place` -> `place` would duplicate `place`; the date is still fixed.
        let text = "---\ntitle: T\ndate: 16 June 2017\nplace: Moscow\nPlace: Moscow\n---\nHello.\n";
        let out = fix_all(text, None, Applicability::Safe);
        assert_eq!(
            out.text,
            "---\ntitle: T\ndate: 2017-06-16\nplace: Moscow\nPlace: Moscow\n---\nHello.\n"
        );
        assert_eq!(out.fixed.len(), 1);
        assert_eq!(fix_all(&out.text, None, Applicability::Safe).text, out.text);
    }

    #[test]
    fn line_endings_follow_the_first_line() {
        let text = "---\r\ntitle: T\ndate: 2017-06-16\r\n---\nHello.\n";
        let out = fix_all(text, None, Applicability::Safe);
        assert_eq!(
            out.text,
            "---\r\ntitle: T\r\ndate: 2017-06-16\r\n---\r\nHello.\r\n"
        );
        assert!(out.analysis.diagnostics.is_empty());
        let lf = "---\ntitle: T\r\ndate: 2017-06-16\n---\r\nHello.\n";
        assert_eq!(
            fix_all(lf, None, Applicability::Safe).text,
            "---\ntitle: T\ndate: 2017-06-16\n---\nHello.\n"
        );
    }

    #[test]
    fn one_candidate_is_safe_and_several_are_not() {
        let one = "---\ntitle: T\ndate: 2017-06-16\nplcae: Moscow\n---\nHello.\n";
        let analysis = analyze(one, None);
        let fix = &fixes(one, &analysis.syntax, &analysis.diagnostics[0])[0];
        assert_eq!(
            (fix.kind, fix.applicability),
            (FixKind::Replace, Applicability::Safe)
        );
        let several = "---\ntitle: T\ndate: 2017-06-16\nspeaker: Ann Lee\nspeaker: Ann Lea\n---\nAnn Le: Hi.\n";
        let analysis = analyze(several, None);
        let d = analysis
            .diagnostics
            .iter()
            .find(|d| d.rule == Rule::UndeclaredSpeaker)
            .unwrap();
        let all = fixes(several, &analysis.syntax, d);
        assert!(all.len() == 3 && all.iter().all(|f| f.applicability == Applicability::Unsafe));
    }

    #[test]
    fn every_fix_has_the_safety_its_rule_states() {
        assert_eq!(
            documented(Rule::UndeclaredSpeaker),
            "Automatic fix: replace with the suggestion (safe with one suggestion, unsafe with several); \
             declare the speaker in the header (unsafe)."
        );
        assert_eq!(documented(Rule::EmptyTurn), "Automatic fix: none.");
    }
}
