//! Site navigation around the text, as a profile lists it: the trailer after
//! the transcript (from a line such as `Publication status`, with the
//! navigation blocks just above it), dropped with its source link and
//! publication date kept for the header; and the "See also" link blocks
//! inside the text, kept as comments.

use super::dates;
use super::lines::{Line, Paragraph, paragraphs};
use super::page::{HeaderInfo, Page};
use super::profile::Profile;

/// Index of the first line of the trailing site navigation (`lines.len()`
/// when none).
fn trailer_start(lines: &[Line], from: usize, profile: &Profile) -> usize {
    let starts = &profile.trailer_starts;
    let Some(mut start) = (from..lines.len()).find(|&i| starts.contains(&lines[i].text)) else {
        return lines.len();
    };
    // Navigation blocks (Geography, Topics, Persons…) just above it go too.
    loop {
        let mut i = start;
        let mut found = None;
        while i > from {
            i -= 1;
            let t = lines[i].text.as_str();
            if t.is_empty() {
                continue;
            }
            if profile.trailer_headings.iter().any(|h| h == t) {
                found = Some(i);
                break;
            }
            if !is_nav_like(t) {
                break;
            }
        }
        match found {
            Some(i) => start = i,
            None => return start,
        }
    }
}

/// A short line that reads like a link or a list entry, not like speech.
fn is_nav_like(t: &str) -> bool {
    t.chars().count() <= 150
        && !t.ends_with(['.', '!', '?', '…', '”', '"', '»', ':', ';', ')'])
        && !t.contains(": ")
        && !t.starts_with(['<', '*', '('])
}

/// Takes the source URL and, where the header lacks them, the publication
/// date and time from the dropped navigation.
fn harvest(dropped: &[&Line], header: &mut HeaderInfo, profile: &Profile) {
    if header.source.is_none() {
        header.source = dropped
            .iter()
            .map(|l| l.text.as_str())
            .find(|t| dates::is_source_url(t))
            .map(str::to_string);
    }
    if header.date.is_none()
        && let Some(marker) = &profile.publication_date
        && let Some(k) = dropped.iter().position(|l| &l.text == marker)
        && let Some(next) = dropped.get(k + 1)
    {
        let (date_part, time_part) = match next.text.rsplit_once(", ") {
            Some((d, t)) if dates::time_line(t).is_some() => (d, Some(t)),
            _ => (next.text.as_str(), None),
        };
        if let Some(date) = dates::us_date(date_part) {
            header.date = Some(date);
            if header.time.is_none() {
                header.time = time_part.and_then(dates::time_line);
            }
        }
    }
}

/// Drops the site navigation found in `lines[from..]` (harvesting it) and
/// returns where it starts (`lines.len()` when there is none).
pub(crate) fn navigation(page: &mut Page, lines: &[Line], from: usize, profile: &Profile) -> usize {
    let trailer = trailer_start(lines, from, profile);
    if trailer < lines.len() {
        let dropped: Vec<&Line> = lines[trailer..].iter().filter(|l| !l.is_blank()).collect();
        page.dropped_lines += dropped.len();
        page.trailer_start = dropped.first().map(|l| (l.no, l.text.clone()));
        page.trailer_is_navigation = true;
        harvest(&dropped, &mut page.header, profile);
    }
    trailer
}

/// Fills the page from where its body starts: the trailer dropped (and
/// harvested), the lead's and the body's paragraphs.
pub(crate) fn finish(
    page: &mut Page,
    lines: &[Line],
    body_from: usize,
    lead: Option<(usize, usize)>,
    profile: &Profile,
) {
    let body_from = body_from.min(lines.len());
    let trailer = navigation(page, lines, body_from, profile);
    if let Some((from, to)) = lead {
        page.lead = paragraphs(&lines[from..to]);
    }
    page.body = paragraphs(&lines[body_from..trailer.max(body_from)]);
}

/// "See also" link blocks inside the body: the block heading and its entries
/// (each a title line and a date line), as comment lines.
pub(crate) fn link_block(
    paras: &[Paragraph],
    at: usize,
    headings: &[String],
) -> Option<(usize, Vec<String>)> {
    let p = paras.get(at)?;
    let heading = p.first();
    if !headings.iter().any(|h| h == heading) {
        return None;
    }
    let mut entries = p.lines[1..]
        .iter()
        .map(|l| l.text.clone())
        .collect::<Vec<_>>();
    let mut end = at + 1;
    while let Some(q) = paras.get(end) {
        let last = q.lines.last().map(|l| l.text.as_str()).unwrap_or("");
        if q.lines.len() >= 2 && dates::link_date(last) {
            let title: Vec<&str> = q.lines[..q.lines.len() - 1]
                .iter()
                .map(|l| l.text.as_str())
                .collect();
            entries.push(format!("{} ({last})", title.join(" ")));
            end += 1;
        } else {
            break;
        }
    }
    if entries.is_empty() {
        return None;
    }
    let comments = entries
        .into_iter()
        .map(|e| format!("// {heading}: {e}"))
        .collect();
    Some((end, comments))
}
