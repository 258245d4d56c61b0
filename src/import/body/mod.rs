//! The body: classifies the raw paragraphs (turns, unlabelled text,
//! separators, asides, pull quotes, photo captions, "See also" links),
//! attributes opening remarks to the main speaker, adds the `# Opening
//! remarks` / `# Questions and answers` sections, and renders everything as
//! escaped transcript text with notes and (given entities) mentions.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use regex::Regex;

use super::ImportOptions;
use super::entities::{Annotator, Piece};
use super::labels::{self, LabelKind, LabelParts, Speaker};
use super::lines::Paragraph;
use super::markup::{escape_text, is_structure_line, needs_escape, note};
use super::page::Page;
use super::profile::Profile;
use super::report::{ImportReport, SpeakerSummary};
use super::trailer::link_block;

/// The rendered body and the speakers to declare.
pub(crate) struct BodyOut {
    pub text: String,
    pub speakers: Vec<Speaker>,
}

/// Who a turn is by.
#[derive(Debug, Clone, PartialEq)]
enum Who {
    Question(Option<String>),
    Speaker(String),
}

/// A unit of the output body.
#[derive(Debug, Clone)]
enum Block {
    Turn {
        who: Who,
        context: Option<String>,
        /// Raw text after the label on the first line, then the paragraph's other lines.
        lines: Vec<String>,
        line_no: usize,
    },
    /// An unlabelled paragraph: narration, or the continuation of a turn.
    Text {
        lines: Vec<String>,
        line_no: usize,
    },
    /// A paragraph that is one editorial note.
    Note(String),
    Comments(Vec<String>),
    Heading(String),
}

/// Words that show a paragraph is speech, not a caption or a lead.
const FIRST_PERSON: &[&str] = &[
    "i", "we", "you", "my", "our", "your", "me", "us", "i’m", "i'm", "we’re", "we're", "let’s",
    "let's", "i’d", "i'd",
];

fn words_lower(s: &str) -> impl Iterator<Item = String> + '_ {
    s.split_whitespace().map(|w| {
        w.trim_matches(|c: char| !c.is_alphanumeric() && c != '’' && c != '\'')
            .to_lowercase()
    })
}

fn has_first_person(s: &str) -> bool {
    words_lower(s).any(|w| FIRST_PERSON.contains(&w.as_str()))
}

fn normalised_words(s: &str) -> Vec<String> {
    s.split_whitespace()
        .map(|w| {
            w.chars()
                .filter(|c| c.is_alphanumeric())
                .flat_map(char::to_lowercase)
                .collect::<String>()
        })
        .filter(|w| !w.is_empty())
        .collect()
}

/// A paragraph that only repeats, in quotation marks, text said near it (a
/// site's highlighted quote).
fn is_pull_quote(paras: &[Paragraph], at: usize) -> bool {
    let p = &paras[at];
    if p.lines.len() != 1 {
        return false;
    }
    let t = p.first();
    let opens = t.starts_with(['“', '”', '"', '«']);
    let closes = t.ends_with(['”', '“', '"', '»']);
    if !(opens && closes) || t.chars().count() < 40 {
        return false;
    }
    let words = normalised_words(t);
    if words.len() < 8 {
        return false;
    }
    let probe = &words[..6];
    let lo = at.saturating_sub(12);
    let hi = (at + 12).min(paras.len() - 1);
    (lo..=hi).filter(|&k| k != at).any(|k| {
        let other = normalised_words(&paras[k].joined());
        other.windows(probe.len()).any(|w| w == probe)
    })
}

/// A photo caption: one short line, not speech, starting as captions do.
fn is_caption(p: &Paragraph, title: &str, starts: &Regex) -> bool {
    if p.lines.len() != 1 {
        return false;
    }
    let t = p.first();
    if !title.is_empty() && t.trim_end_matches('.') == title.trim_end_matches('.') {
        return true;
    }
    t.chars().count() <= 160
        && starts.is_match(t)
        && !t.contains(['?', '!', ':', '“', '"'])
        && t.matches(". ").count() == 0
        && !has_first_person(t)
}

/// A whole paragraph in parentheses: a stage direction or a summary.
fn aside(p: &Paragraph) -> Option<String> {
    if p.lines.len() != 1 {
        return None;
    }
    let t = p.first();
    let inner = t.strip_prefix('(')?.strip_suffix(')')?;
    let mut depth = 0i32;
    for c in inner.chars() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth < 0 {
                    return None;
                }
            }
            _ => {}
        }
    }
    (depth == 0).then(|| inner.trim().to_string())
}

/// A label's parenthesis naming an organisation (`RDIF`, `Rospotrebnadzor`),
/// not a stage direction (`Laughing`, `retranslated`).
fn is_organisation(context: &str) -> bool {
    const DIRECTIONS: &[&str] = &[
        "Laughing",
        "Laughter",
        "Laughs",
        "Applause",
        "Smiling",
        "Smiles",
        "Retranslated",
        "Interpreted",
        "Translated",
        "Inaudible",
        "Continuing",
        "Joking",
        "Sighs",
    ];
    !context.contains(char::is_whitespace)
        && context.chars().next().is_some_and(char::is_uppercase)
        && context.chars().all(|c| c.is_alphanumeric() || c == '-')
        && !DIRECTIONS.contains(&context)
}

fn is_separator(t: &str) -> bool {
    let squeezed: String = t.chars().filter(|c| !c.is_whitespace()).collect();
    squeezed.len() >= 3 && squeezed.chars().all(|c| c == '*')
}

fn is_elision(t: &str) -> bool {
    matches!(t, "<…>" | "<...>" | "[…]" | "[...]" | "…" | "(…)" | "(...)")
}

/// `1 turn`, `2 turns`.
fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Similar labels: the same letters, or the same words but for one or two
/// small slips (`Vladmir Putin`, `Kirill Kleimenov`), never a different
/// surname (`Vladimir Lukin`).
fn near_duplicate(a: &str, b: &str) -> bool {
    let squeeze = |s: &str| -> String {
        s.chars()
            .filter(|c| !c.is_whitespace())
            .flat_map(char::to_lowercase)
            .collect()
    };
    if squeeze(a) == squeeze(b) {
        return a != b;
    }
    let wa: Vec<String> = a.split_whitespace().map(str::to_lowercase).collect();
    let wb: Vec<String> = b.split_whitespace().map(str::to_lowercase).collect();
    if wa.len() != wb.len() {
        return false;
    }
    let mut total = 0;
    for (x, y) in wa.iter().zip(&wb) {
        let d = strsim::damerau_levenshtein(x, y);
        let len = x.chars().count().max(y.chars().count());
        if d > 2 || (d > 0 && d * 100 > len * 34) {
            return false;
        }
        total += d;
    }
    (1..=2).contains(&total)
}

/// Builds the body of the transcript.
pub(crate) fn build(
    page: &Page,
    profile: &Profile,
    options: &ImportOptions,
    report: &mut ImportReport,
) -> BodyOut {
    let annotator = Annotator::new(&options.entities);
    let title = page.header.title.clone().unwrap_or_default();
    let paras = &page.body;
    let (parts, kinds) = read_labels(page, profile, report);
    let mut comments = page.comments.iter().peekable();

    // Blocks.
    let mut blocks: Vec<Block> = Vec::new();
    let mut roles: Vec<(String, String, usize)> = Vec::new();
    let mut tooltips: Vec<usize> = Vec::new();
    let (mut pull_quotes, mut captions, mut asides, mut see_also) = (0, 0, 0, 0);
    let mut i = 0;
    while i < paras.len() {
        while let Some((_, c)) = comments.next_if(|(at, _)| *at <= i) {
            blocks.push(Block::Comments(vec![format!("// {c}")]));
        }
        let p = &paras[i];
        let line_no = p.first_no();
        let rest_lines = || p.lines[1..].iter().map(|l| l.text.clone());
        if let (Some(kind), Some(lp)) = (&kinds[i], &parts[i]) {
            if lp.tooltip.is_some() {
                tooltips.push(line_no);
            }
            let who = match kind {
                LabelKind::Question { attribution } => Who::Question(attribution.clone()),
                LabelKind::Person { name, role } => {
                    if let Some(r) = role {
                        roles.push((name.clone(), r.clone(), line_no));
                    }
                    Who::Speaker(name.clone())
                }
                LabelKind::Generic(g) => Who::Speaker(g.clone()),
                LabelKind::Single { word, role } => {
                    if let Some(r) = role {
                        roles.push((word.clone(), r.clone(), line_no));
                    }
                    Who::Speaker(word.clone())
                }
            };
            // A question's attribution is its context when it is not already
            // one; an organisation in parentheses (`(RDIF)`) is the role's.
            let mut context = match &who {
                Who::Question(_) => None,
                Who::Speaker(_) => lp.context.clone(),
            };
            if let (Who::Speaker(name), Some(c)) = (&who, &context)
                && is_organisation(c)
            {
                match roles
                    .iter_mut()
                    .rev()
                    .find(|(n, _, l)| n == name && *l == line_no)
                {
                    Some((_, role, _)) => role.push_str(&format!(" ({c})")),
                    None => roles.push((name.clone(), c.clone(), line_no)),
                }
                context = None;
            }
            let mut lines = vec![lp.rest.clone()];
            lines.extend(rest_lines());
            blocks.push(Block::Turn {
                who,
                context,
                lines,
                line_no,
            });
            i += 1;
            continue;
        }
        if let Some((end, links)) = link_block(paras, i, &profile.link_blocks) {
            see_also += links.len();
            blocks.push(Block::Comments(links));
            i = end;
            continue;
        }
        let t = p.first();
        if p.lines.len() == 1 && is_separator(t) {
            blocks.push(Block::Note("* * *".to_string()));
        } else if p.lines.len() == 1 && is_elision(t) {
            blocks.push(Block::Note("…".to_string()));
        } else if let Some(inner) = aside(p).filter(|a| note(a).is_some()) {
            asides += 1;
            blocks.push(Block::Note(inner));
        } else if profile.pull_quotes && is_pull_quote(paras, i) && note(t).is_some() {
            pull_quotes += 1;
            blocks.push(Block::Note(format!("Pull quote: {t}")));
        } else if profile
            .captions
            .as_ref()
            .is_some_and(|starts| is_caption(p, &title, starts))
            && note(t).is_some()
        {
            captions += 1;
            blocks.push(Block::Note(format!("Caption: {t}")));
        } else {
            blocks.push(Block::Text {
                lines: p.lines.iter().map(|l| l.text.clone()).collect(),
                line_no,
            });
        }
        i += 1;
    }
    for (_, c) in comments {
        blocks.push(Block::Comments(vec![format!("// {c}")]));
    }
    if !tooltips.is_empty() {
        report.note(format!(
            "removed the site's tooltip text (name and current post) from {} (first at line {})",
            count(tooltips.len(), "speaker label", "speaker labels"),
            tooltips[0]
        ));
    }
    if pull_quotes > 0 {
        report.note(format!(
            "kept {} as editorial notes `[Pull quote: …]`",
            count(
                pull_quotes,
                "highlighted pull quote",
                "highlighted pull quotes"
            )
        ));
    }
    if captions > 0 {
        report.note(format!(
            "kept {} as editorial notes `[Caption: …]`",
            count(captions, "photo caption", "photo captions")
        ));
    }
    if asides > 0 {
        report.note(format!(
            "kept {} as editorial notes",
            count(asides, "parenthesised aside", "parenthesised asides")
        ));
    }
    if see_also > 0 {
        report.note(format!(
            "kept {} of the site (\"See also\") as comments",
            count(see_also, "link", "links")
        ));
    }

    // The main speaker, and the opening remarks attributed to them.
    let main = main_speaker(&blocks, &title);
    if profile.opening_remarks
        && let Some(main) = &main
    {
        attribute_opening(&mut blocks, main, report);
    }

    // Sections.
    add_sections(&mut blocks);

    // Speakers, main first, then in order of appearance.
    let mut order: Vec<String> = Vec::new();
    let mut counts: HashMap<String, usize> = HashMap::new();
    let mut first_line: HashMap<String, usize> = HashMap::new();
    for b in &blocks {
        if let Block::Turn {
            who: Who::Speaker(name),
            line_no,
            ..
        } = b
        {
            if !counts.contains_key(name) {
                order.push(name.clone());
                first_line.insert(name.clone(), *line_no);
            }
            *counts.entry(name.clone()).or_default() += 1;
        }
    }
    if let Some(m) = &main
        && let Some(k) = order.iter().position(|n| n == m)
    {
        let name = order.remove(k);
        order.insert(0, name);
    }
    let mut speakers: Vec<Speaker> = Vec::new();
    for name in &order {
        let mine: Vec<&(String, String, usize)> =
            roles.iter().filter(|(n, _, _)| n == name).collect();
        let mut role = mine.first().map(|(_, r, _)| r.clone());
        if role.is_none() {
            role = labels::role_before(name, &title).or_else(|| {
                page.lead
                    .iter()
                    .find_map(|p| labels::role_before(name, &p.joined()))
            });
        }
        let others: Vec<&str> = mine
            .iter()
            .map(|(_, r, _)| r.as_str())
            .filter(|r| Some(*r) != role.as_deref())
            .collect::<HashSet<_>>()
            .into_iter()
            .collect();
        if !others.is_empty() {
            let mut others = others;
            others.sort();
            report.note(format!(
                "`{name}` also appears with the role{} {}; declared with `{}`",
                if others.len() == 1 { "" } else { "s" },
                others
                    .iter()
                    .map(|r| format!("`{r}`"))
                    .collect::<Vec<_>>()
                    .join(", "),
                role.as_deref().unwrap_or("")
            ));
        }
        speakers.push(Speaker {
            name: name.clone(),
            role,
        });
    }
    // Near-duplicate labels.
    for (a_i, a) in order.iter().enumerate() {
        for b in order.iter().skip(a_i + 1) {
            if near_duplicate(a, b) {
                let (ca, cb) = (counts[a], counts[b]);
                let (rare, common) = if ca <= cb { (a, b) } else { (b, a) };
                report.note(format!(
                    "the label `{rare}` ({}, first at line {}) looks like a misspelling of `{common}` ({}); both are kept and declared",
                    count(counts[rare], "turn", "turns"),
                    first_line[rare],
                    count(counts[common], "turn", "turns")
                ));
            }
        }
    }

    // Render.
    let declared: Vec<String> = speakers.iter().map(|s| s.name.clone()).collect();
    let mut r = Renderer {
        annotator: &annotator,
        asides: &profile.asides,
        declared: &declared,
        mentions: 0,
        notes: 0,
        escaped: Vec::new(),
    };
    let mut out: Vec<String> = Vec::new();
    for p in &page.lead {
        out.push(r.text_paragraph(
            &p.lines.iter().map(|l| l.text.clone()).collect::<Vec<_>>(),
            p.first_no(),
        ));
    }
    for b in &blocks {
        let rendered = match b {
            Block::Heading(h) => format!("# {h}"),
            Block::Comments(c) => c.join("\n"),
            Block::Note(n) => {
                r.notes += 1;
                note(n).unwrap_or_else(|| escape_text(n))
            }
            Block::Text { lines, line_no } => r.text_paragraph(lines, *line_no),
            Block::Turn {
                who,
                context,
                lines,
                ..
            } => r.turn(who, context.as_deref(), lines),
        };
        out.push(rendered);
    }
    if !r.escaped.is_empty() {
        let shown: Vec<String> = r.escaped.iter().take(5).map(|n| n.to_string()).collect();
        report.note(format!(
            "escaped {} with `\\` so they are not read as labels, headings or comments (line{} {}{})",
            count(r.escaped.len(), "paragraph", "paragraphs"),
            if r.escaped.len() == 1 { "" } else { "s" },
            shown.join(", "),
            if r.escaped.len() > 5 { ", …" } else { "" }
        ));
    }

    report.questions = blocks
        .iter()
        .filter(|b| {
            matches!(
                b,
                Block::Turn {
                    who: Who::Question(_),
                    ..
                }
            )
        })
        .count();
    report.turns = blocks
        .iter()
        .filter(|b| matches!(b, Block::Turn { .. }))
        .count();
    report.mentions = r.mentions;
    report.notes_written = r.notes;
    report.speakers = speakers
        .iter()
        .map(|s| SpeakerSummary {
            name: s.name.clone(),
            role: s.role.clone(),
            turns: counts.get(&s.name).copied().unwrap_or(0),
        })
        .collect();

    let mut text = out.join("\n\n");
    if !text.is_empty() {
        text.push('\n');
    }
    BodyOut { text, speakers }
}

/// The label of each paragraph, taken apart and classified: by the
/// profile's patterns when it has them (speakers resolved to the people the
/// page names), else by the name heuristics.
fn read_labels(
    page: &Page,
    profile: &Profile,
    report: &mut ImportReport,
) -> (Vec<Option<LabelParts>>, Vec<Option<LabelKind>>) {
    let paras = &page.body;
    if profile.question.is_none() && profile.speaker.is_none() {
        // Labels, with the file's bare names to match long labels against.
        let parts: Vec<Option<LabelParts>> = paras
            .iter()
            .map(|p| labels::split_label(p.first()))
            .collect();
        let bare: HashSet<String> = parts
            .iter()
            .flatten()
            .filter(|p| labels::is_bare_name(&p.base))
            .map(|p| p.base.clone())
            .collect();
        let mut kinds: Vec<Option<LabelKind>> = parts
            .iter()
            .map(|p| p.as_ref().and_then(|p| labels::classify(p, &bare)))
            .collect();
        resolve_single_words(&mut kinds, report, paras);
        return (parts, kinds);
    }
    let title = page.header.title.as_deref().unwrap_or("");
    let texts = page
        .lead
        .iter()
        .chain(paras)
        .flat_map(|p| &p.lines)
        .map(|l| l.text.as_str());
    let names = labels::NameContext::new(&profile.people, page.header.date, title, texts);
    fn at_start<'t>(re: &Option<Regex>, text: &'t str) -> Option<regex::Captures<'t>> {
        re.as_ref()?
            .captures(text)
            .filter(|c| c.get(0).is_some_and(|m| m.start() == 0))
    }
    let mut parts = Vec::with_capacity(paras.len());
    let mut kinds = Vec::with_capacity(paras.len());
    let mut rejected: Vec<(usize, String)> = Vec::new();
    for p in paras {
        let first = p.first();
        // The text starts after the match, or where its `text` group does.
        let whole = |c: &regex::Captures| match c.name("text") {
            Some(t) => t.start(),
            None => c.get(0).map_or(0, |m| m.end()),
        };
        // A label stands on the first raw line of joined lines.
        let within = p.joined_at.unwrap_or(first.len());
        let at_start = |re: &Option<Regex>, group: &str| {
            at_start(re, first).filter(|c| {
                let m = c.name(group).or_else(|| c.get(0));
                m.is_some_and(|m| m.as_str().trim_end().len() + m.start() <= within)
            })
        };
        let found = if let Some(c) = at_start(&profile.question, "") {
            let attribution = c
                .name("attribution")
                .map(|m| m.as_str().trim().to_string())
                .filter(|a| !a.is_empty());
            Some((
                whole(&c),
                c[0].trim().to_string(),
                LabelKind::Question { attribution },
            ))
        } else if let Some(c) = at_start(&profile.speaker, "label") {
            let label = c.name("label").map_or("", |m| m.as_str()).trim();
            let (name, role) = names.resolve(label);
            if labels::is_speaker_name(&name) {
                Some((
                    whole(&c),
                    label.to_string(),
                    LabelKind::Person { name, role },
                ))
            } else {
                rejected.push((p.first_no(), label.to_string()));
                None
            }
        } else {
            None
        };
        match found {
            Some((end, raw, kind)) => {
                let base = match &kind {
                    LabelKind::Person { name, .. } => name.clone(),
                    _ => "Question".to_string(),
                };
                parts.push(Some(LabelParts {
                    raw,
                    base,
                    context: None,
                    tooltip: None,
                    rest: first[end..].trim().to_string(),
                }));
                kinds.push(Some(kind));
            }
            None => {
                parts.push(None);
                kinds.push(None);
            }
        }
    }
    if !rejected.is_empty() {
        let shown: Vec<String> = rejected
            .iter()
            .take(5)
            .map(|(no, w)| format!("`{w}:` (line {no})"))
            .collect();
        report.note(format!(
            "not read as speakers (not a name a header can declare): {}{}",
            shown.join(", "),
            if rejected.len() > 5 { ", …" } else { "" }
        ));
    }
    (parts, kinds)
}

/// One-word labels are turns where they sit among turns, or where they are a
/// squeezed or misspelt form of a speaker's name (`VladimirPUTIN`).
fn resolve_single_words(
    kinds: &mut [Option<LabelKind>],
    report: &mut ImportReport,
    paras: &[Paragraph],
) {
    let confirmed = |k: &Option<LabelKind>| {
        matches!(
            k,
            Some(LabelKind::Question { .. } | LabelKind::Person { .. } | LabelKind::Generic(_))
        )
    };
    let names: Vec<String> = kinds
        .iter()
        .filter_map(|k| match k {
            Some(LabelKind::Person { name, .. }) => Some(name.clone()),
            _ => None,
        })
        .collect();
    let mut singles: HashMap<&str, usize> = HashMap::new();
    for k in kinds.iter() {
        if let Some(LabelKind::Single { word, .. }) = k {
            *singles.entry(word.as_str()).or_default() += 1;
        }
    }
    let singles: HashMap<String, usize> = singles
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
    let mut rejected = Vec::new();
    for i in 0..kinds.len() {
        let Some(LabelKind::Single { word, .. }) = &kinds[i] else {
            continue;
        };
        let near = names.iter().any(|n| near_duplicate(n, word));
        let prev = i > 0 && confirmed(&kinds[i - 1]);
        let next = i + 1 < kinds.len() && confirmed(&kinds[i + 1]);
        let repeated = singles.get(word.as_str()).copied().unwrap_or(0) >= 2;
        if !(near || next || (prev && repeated)) {
            rejected.push((paras[i].first_no(), word.clone()));
            kinds[i] = None;
        }
    }
    if !rejected.is_empty() {
        let shown: Vec<String> = rejected
            .iter()
            .take(5)
            .map(|(no, w)| format!("`{w}:` (line {no})"))
            .collect();
        report.note(format!(
            "not read as speakers: {}{}",
            shown.join(", "),
            if rejected.len() > 5 { ", …" } else { "" }
        ));
    }
}

/// The main speaker: a labelled speaker named in the title, else the one
/// with the most turns, else a name in the title (`Sergey Lavrov’s remarks`).
fn main_speaker(blocks: &[Block], title: &str) -> Option<String> {
    let mut counts: Vec<(String, usize)> = Vec::new();
    for b in blocks {
        if let Block::Turn {
            who: Who::Speaker(name),
            ..
        } = b
        {
            match counts.iter_mut().find(|(n, _)| n == name) {
                Some((_, c)) => *c += 1,
                None => counts.push((name.clone(), 1)),
            }
        }
    }
    // `Sergey Lavrov’s remarks`: the title says whose event it is.
    if let Some((name, _)) = counts.iter().find(|(n, _)| {
        n.contains(' ') && (title.contains(&format!("{n}’s")) || title.contains(&format!("{n}'s")))
    }) {
        return Some(name.clone());
    }
    // Otherwise the one with the most turns (the first of equals).
    let most = counts.iter().map(|(_, c)| *c).max().unwrap_or(0);
    if let Some((name, _)) = counts.iter().find(|(_, c)| *c == most) {
        return Some(name.clone());
    }
    static POSSESSIVE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"\b([A-Z][\p{L}-]+(?: [A-Z][\p{L}-]+){1,2})(?:’s|'s)\b").expect("valid regex")
    });
    POSSESSIVE
        .captures(title)
        .map(|c| c[1].to_string())
        .filter(|n| labels::is_bare_name(n))
}

/// The unlabelled speech before the first turn is the main speaker's opening
/// remarks; a first paragraph about them in the third person stays narration.
fn attribute_opening(blocks: &mut [Block], main: &str, report: &mut ImportReport) {
    let first_turn = blocks
        .iter()
        .position(|b| matches!(b, Block::Turn { .. }))
        .unwrap_or(blocks.len());
    let surname = main.split_whitespace().last().unwrap_or(main);
    for (k, block) in blocks.iter_mut().enumerate().take(first_turn) {
        let Block::Text { lines, line_no } = block else {
            continue;
        };
        let text = lines.join(" ");
        if k == 0 && text.contains(surname) && !has_first_person(&text) {
            report.note(format!(
                "the first paragraph (line {line_no}) reads as a lead about {main}: kept as narration"
            ));
            continue;
        }
        let (lines, line_no) = (lines.clone(), *line_no);
        report.note(format!(
            "the unlabelled remarks before the first turn (from line {line_no}) are attributed to the main speaker, {main}"
        ));
        *block = Block::Turn {
            who: Who::Speaker(main.to_string()),
            context: None,
            lines,
            line_no,
        };
        return;
    }
}

/// `# Opening remarks` before the turns that precede the first question
/// (when a few speakers make them), `# Questions and answers` before it.
fn add_sections(blocks: &mut Vec<Block>) {
    let Some(first_q) = blocks.iter().position(|b| {
        matches!(
            b,
            Block::Turn {
                who: Who::Question(_),
                ..
            }
        )
    }) else {
        return;
    };
    let before: Vec<Who> = blocks[..first_q]
        .iter()
        .filter_map(|b| match b {
            Block::Turn { who, .. } => Some(who.clone()),
            _ => None,
        })
        .collect();
    let distinct: HashSet<String> = before
        .iter()
        .map(|w| match w {
            Who::Speaker(s) => s.clone(),
            Who::Question(_) => String::new(),
        })
        .collect();
    blocks.insert(first_q, Block::Heading("Questions and answers".to_string()));
    if !before.is_empty() && before.len() <= 12 && distinct.len() <= 3 {
        let first_turn = blocks
            .iter()
            .position(|b| matches!(b, Block::Turn { .. }))
            .unwrap_or(0);
        blocks.insert(first_turn, Block::Heading("Opening remarks".to_string()));
    }
}

struct Renderer<'a> {
    annotator: &'a Annotator,
    asides: &'a [Regex],
    declared: &'a [String],
    mentions: usize,
    notes: usize,
    /// Line numbers of paragraphs escaped with `\`.
    escaped: Vec<usize>,
}

impl Renderer<'_> {
    /// A line of raw text: asides as notes, known names as mentions, brackets escaped.
    fn inline(&mut self, raw: &str) -> String {
        let mut out = String::new();
        let mut from = 0;
        // Every pattern's asides, in text order; where two overlap, the first.
        let mut found: Vec<(std::ops::Range<usize>, String)> = self
            .asides
            .iter()
            .flat_map(|re| re.captures_iter(raw))
            .filter_map(|c| {
                let whole = c.get(0)?;
                let inner = match c.name("note") {
                    Some(n) => n.as_str(),
                    None => {
                        let t = whole.as_str();
                        let mut chars = t.chars();
                        chars.next();
                        chars.next_back();
                        chars.as_str()
                    }
                };
                Some((whole.range(), inner.to_string()))
            })
            .collect();
        found.sort_by_key(|(r, _)| (r.start, std::cmp::Reverse(r.end)));
        for (whole, inner) in found {
            if whole.start < from || whole.is_empty() {
                continue;
            }
            let next_is_brace = raw[whole.end..].starts_with('{');
            let after_backslash = raw[..whole.start].ends_with('\\');
            let Some(n) = note(&inner).filter(|_| !next_is_brace && !after_backslash) else {
                continue;
            };
            self.plain(&raw[from..whole.start], &mut out);
            out.push_str(&n);
            self.notes += 1;
            from = whole.end;
        }
        self.plain(&raw[from..], &mut out);
        out
    }

    fn plain(&mut self, raw: &str, out: &mut String) {
        for piece in self.annotator.annotate(raw) {
            match piece {
                Piece::Text(t) => out.push_str(&escape_text(&t)),
                Piece::Mention { surface, id } => {
                    if out.ends_with('\\') {
                        out.push_str(&escape_text(&surface));
                    } else {
                        self.mentions += 1;
                        out.push_str(&format!("[{surface}]{{{id}}}"));
                    }
                }
            }
        }
    }

    /// Lines after the first: one that would read as a heading or comment is
    /// joined to the line before it.
    fn more_lines(&mut self, lines: &[String], out: &mut String) {
        for l in lines {
            if l.is_empty() {
                continue;
            }
            if is_structure_line(l) {
                out.push(' ');
            } else {
                out.push('\n');
            }
            out.push_str(&self.inline(l));
        }
    }

    fn text_paragraph(&mut self, lines: &[String], line_no: usize) -> String {
        let Some(first) = lines.first() else {
            return String::new();
        };
        let mut out = String::new();
        let rendered = self.inline(first);
        // A paragraph starting with `\` (an escaped bracket too) needs its own
        // escape, or the parser takes that backslash for one.
        if needs_escape(first, self.declared) || rendered.starts_with('\\') {
            out.push('\\');
            self.escaped.push(line_no);
        }
        out.push_str(&rendered);
        self.more_lines(&lines[1..], &mut out);
        out
    }

    fn turn(&mut self, who: &Who, context: Option<&str>, lines: &[String]) -> String {
        let mut out = String::new();
        let mut context_text: Option<String> = None;
        match who {
            Who::Speaker(name) => out.push_str(name),
            Who::Question(None) => out.push_str("Question"),
            Who::Question(Some(a)) => {
                let clean = !a.is_empty() && !a.contains([':', '(', ')', '[', ']', '\\']);
                if clean {
                    out.push_str(&format!("Question ({a})"));
                } else {
                    out.push_str("Question");
                    context_text = Some(a.clone());
                }
            }
        }
        out.push(':');
        let context = context.map(str::to_string).or(context_text);
        if let Some(c) = context {
            match note(&c) {
                Some(n) => {
                    self.notes += 1;
                    out.push(' ');
                    out.push_str(&n);
                }
                None => {
                    out.push_str(" (");
                    out.push_str(&escape_text(&c));
                    out.push(')');
                }
            }
        }
        let first = lines.first().map(String::as_str).unwrap_or("");
        if !first.is_empty() {
            out.push(' ');
            out.push_str(&self.inline(first));
        }
        if lines.len() > 1 {
            self.more_lines(&lines[1..], &mut out);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn near_duplicates() {
        assert!(near_duplicate("Vladmir Putin", "Vladimir Putin"));
        assert!(near_duplicate("VladimirPUTIN", "Vladimir Putin"));
        assert!(near_duplicate("Kirill Kleimenov", "Kirill Kleymenov"));
        assert!(!near_duplicate("Vladimir Lukin", "Vladimir Putin"));
        assert!(!near_duplicate("Dmitry Pavlov", "Dmitry Petrov"));
    }
}
