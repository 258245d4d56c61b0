//! The body: classifies the raw paragraphs (turns by their labels,
//! [`turn_labels`]; unlabelled text, separators, asides, pull quotes, photo
//! captions, [`kinds`]; "See also" links), attributes opening remarks to the
//! main speaker, adds the `# Opening remarks` / `# Questions and answers`
//! sections, declares the speakers, and renders everything ([`render`]) as
//! escaped transcript text with notes and (given entities) mentions.

mod kinds;
mod render;
mod turn_labels;

use kinds::{
    aside, has_first_person, is_caption, is_elision, is_organisation, is_pull_quote, is_separator,
    near_duplicate,
};
use render::Renderer;
use turn_labels::read_labels;

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use regex::Regex;

use super::ImportOptions;
use super::entities::Annotator;
use super::labels::{self, LabelKind, Speaker};
use super::markup::{escape_text, note};
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

/// `1 turn`, `2 turns`.
fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
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
