//! The label of each body paragraph: by the profile's patterns when it has
//! them (speakers resolved to the people the page names), else by the name
//! heuristics, with one-word labels kept only where the file confirms them.

use std::collections::{HashMap, HashSet};

use regex::Regex;

use super::super::labels::{self, LabelKind, LabelParts};
use super::super::lines::Paragraph;
use super::super::page::Page;
use super::super::profile::Profile;
use super::super::report::ImportReport;
use super::kinds::near_duplicate;

/// The label of each paragraph, taken apart and classified: by the
/// profile's patterns when it has them (speakers resolved to the people the
/// page names), else by the name heuristics.
pub(super) fn read_labels(
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
    let mut resolved: HashMap<String, (String, Option<String>)> = HashMap::new();
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
            // Each distinct label is resolved once.
            let (name, role) = resolved
                .entry(label.to_string())
                .or_insert_with(|| names.resolve(label))
                .clone();
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
