//! The layout a profile describes, for sources with no code of their own
//! (the White House's, and any a user writes): the front matter and the
//! header steps give the header, the end marks and the site navigation end
//! the body, the profile's drops and comments are applied, and the lines
//! have their Markdown undone and are re-flowed as the profile says.

use regex::Captures;

use super::super::dates;
use super::super::front_matter;
use super::super::lines::{Line, Paragraph, paragraphs};
use super::super::markdown;
use super::super::page::Page;
use super::super::profile::{Profile, Skipped};
use super::super::reflow;
use super::super::trailer;

/// The most lines a dropped block may span.
const MAX_BLOCK_LINES: usize = 200;

/// What a header step's groups give.
#[derive(Debug, Default)]
struct Fields {
    title: Option<String>,
    place: Option<String>,
    date: Option<chrono::NaiveDate>,
    time: Option<String>,
    zone: Option<String>,
    rest: Option<String>,
}

/// The header steps' result.
#[derive(Debug, Default)]
struct Top {
    fields: Fields,
    /// Index of the first line after the last matched step.
    body_from: usize,
    /// Line ranges passed over into the lead.
    lead: Vec<(usize, usize)>,
    /// Lines passed over into the place.
    place: Vec<String>,
    /// Lines passed over that are not the place (a date in parentheses):
    /// kept as comments.
    aside: Vec<(usize, String)>,
    /// Lines passed over and dropped.
    dropped: usize,
    /// The text after a step's match on its line, with the line's number.
    rest: Option<Line>,
}

/// A line's text as the profile reads it (Markdown undone).
fn read_text(text: &str, profile: &Profile) -> String {
    if profile.markdown {
        reflow::squeeze(&markdown::plain(text))
    } else {
        text.to_string()
    }
}

/// The groups of a match, when they make sense: a real date, a real time.
fn fields(c: &Captures) -> Option<Fields> {
    let g = |n: &str| {
        c.name(n)
            .map(|m| m.as_str().trim().to_string())
            .filter(|s| !s.is_empty())
    };
    let mut f = Fields {
        title: g("title"),
        place: g("place"),
        zone: g("zone"),
        rest: g("rest"),
        ..Fields::default()
    };
    if let Some(d) = g("date") {
        f.date = Some(
            dates::iso_date(&d)
                .or_else(|| dates::us_date(&d))
                .or_else(|| dates::date_in_text(&d))?,
        );
    } else {
        match (g("year"), g("month"), g("day")) {
            (Some(y), Some(m), Some(d)) => f.date = Some(dates::date_of(&y, &m, &d)?),
            (None, None, None) => {}
            _ => return None,
        }
    }
    match (g("hour"), g("minute")) {
        (Some(h), Some(m)) => f.time = Some(dates::clock_of(&h, &m, g("ampm").as_deref())?),
        (None, None) => {}
        _ => return None,
    }
    Some(f)
}

/// Runs the header steps from line `start`; `None` when a required step
/// finds no line.
fn steps(lines: &[Line], start: usize, profile: &Profile) -> Option<Top> {
    let reach: usize = profile.header.iter().map(|s| s.within).sum();
    let nonblank: Vec<usize> = (start..lines.len())
        .filter(|&i| !lines[i].is_blank())
        .take(reach)
        .collect();
    let mut top = Top {
        body_from: start,
        ..Top::default()
    };
    let mut k = 0;
    for step in &profile.header {
        let end = (k + step.within).min(nonblank.len());
        let found = (k..end).find_map(|j| {
            let text = read_text(&lines[nonblank[j]].text, profile);
            let c = step.pattern.captures(&text)?;
            Some((j, fields(&c)?))
        });
        let Some((j, f)) = found else {
            if step.optional {
                continue;
            }
            return None;
        };
        match step.skipped {
            Skipped::Lead if j > k => top.lead.push((nonblank[k], nonblank[j])),
            Skipped::Lead => {}
            Skipped::Place => {
                for &i in &nonblank[k..j] {
                    let text = read_text(&lines[i].text, profile);
                    if text.starts_with('(') && text.ends_with(')') {
                        top.aside.push((lines[i].no, text));
                    } else {
                        top.place.push(text);
                    }
                }
            }
            Skipped::Drop => top.dropped += j - k,
        }
        let line = &lines[nonblank[j]];
        top.rest = f.rest.clone().map(|text| Line { no: line.no, text });
        let old = std::mem::take(&mut top.fields);
        top.fields = Fields {
            title: old.title.or(f.title),
            place: old.place.or(f.place),
            date: old.date.or(f.date),
            time: old.time.or(f.time),
            zone: old.zone.or(f.zone),
            rest: None,
        };
        top.body_from = nonblank[j] + 1;
        k = j + 1;
    }
    Some(top)
}

/// Whether the page is one of the profile's: its front matter (when the
/// profile reads one), its detection patterns near the top, its required
/// header steps.
pub(crate) fn detect(lines: &[Line], profile: &Profile) -> bool {
    let mut start = 0;
    if profile.front_matter.is_some() {
        match front_matter::read(lines) {
            Some((_, after)) => start = after,
            None => return false,
        }
    }
    let window: Vec<&str> = lines
        .iter()
        .take(profile.detect_lines)
        .map(|l| l.text.as_str())
        .collect();
    profile
        .detect
        .iter()
        .all(|re| window.iter().any(|t| re.is_match(t)))
        && steps(lines, start, profile).is_some()
}

/// Whether a line opens a turn under the profile's label patterns.
fn opens_turn(text: &str, profile: &Profile) -> bool {
    [&profile.question, &profile.speaker]
        .into_iter()
        .flatten()
        .any(|re| re.find(text).is_some_and(|m| m.start() == 0))
}

/// The line where the transcript ends: the last one matching an `end`
/// pattern with no turn after it (or the first of the end marks just above
/// it).
fn end_line(lines: &[Line], from: usize, profile: &Profile) -> Option<usize> {
    if profile.end.is_empty() {
        return None;
    }
    let mut i = lines.len();
    while i > from {
        i -= 1;
        let t = lines[i].text.as_str();
        if opens_turn(&read_text(t, profile), profile) {
            return None;
        }
        if profile.end.iter().any(|re| re.is_match(t)) {
            // End marks on the lines just above belong to it (`END 1:10 P.M.` / `EST`).
            let mut start = i;
            for j in (from..i).rev() {
                let t = lines[j].text.as_str();
                if t.is_empty() {
                    continue;
                }
                if !profile.end.iter().any(|re| re.is_match(t)) {
                    break;
                }
                start = j;
            }
            return Some(start);
        }
    }
    None
}

pub(crate) fn split(lines: &[Line], profile: &Profile) -> Page {
    let mut page = Page::default();
    let mut start = 0;
    if let Some(keys) = &profile.front_matter
        && let Some((pairs, after)) = front_matter::read(lines)
    {
        start = after;
        let value = |field: &str| {
            let key = keys.get(field)?;
            pairs
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };
        let h = &mut page.header;
        h.title = value("title");
        h.place = value("place");
        if let Some(d) = value("date") {
            h.date = dates::iso_date(&d)
                .or_else(|| dates::us_date(&d))
                .or_else(|| dates::date_in_text(&d));
            if h.date.is_none() {
                page.notes.push(format!(
                    "the front matter's date `{d}` is not a date I can read"
                ));
            }
        }
        if let Some(s) = value("source") {
            if dates::is_source_url(&s) {
                page.header.source = Some(s);
            } else {
                page.notes.push(format!(
                    "the front matter's source `{s}` is not an absolute http(s) link: left out"
                ));
            }
        }
        if let Some(t) = value("tags") {
            let t = t.trim_start_matches('[').trim_end_matches(']');
            page.header.tags = t
                .split(',')
                .map(|s| s.trim().trim_matches(['\'', '"']).to_string())
                .filter(|s| !s.is_empty())
                .collect();
        }
    }
    let top = steps(lines, start, profile).unwrap_or(Top {
        body_from: start,
        ..Top::default()
    });
    let h = &mut page.header;
    h.title = h.title.take().or(top.fields.title);
    h.date = h.date.or(top.fields.date);
    if let Some(time) = top.fields.time {
        match top.fields.zone {
            Some(zone) => match profile.zones.get(&zone) {
                Some(offset) => h.time = Some(format!("{time}{offset}")),
                None => {
                    h.time = Some(time);
                    h.extra.push(("x-time-zone".into(), zone.clone()));
                    page.notes.push(format!(
                        "the time zone `{zone}` is not in the profile's `zones`: kept as `x-time-zone`"
                    ));
                }
            },
            None => h.time = Some(time),
        }
    }
    let place = top.fields.place.or_else(|| {
        let lines: Vec<&String> = top.place.iter().filter(|p| !p.is_empty()).collect();
        (!lines.is_empty()).then(|| {
            lines
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        })
    });
    h.place = h.place.take().or(place);
    if h.place.is_none()
        && let (Some(re), Some(title)) = (&profile.title_place, &h.title)
    {
        h.place = re
            .captures(title)
            .and_then(|c| c.name("place"))
            .map(|m| m.as_str().trim().to_string())
            .filter(|p| !p.is_empty());
    }
    page.dropped_lines += top.dropped;
    for &(from, to) in &top.lead {
        page.lead.extend(paragraphs(&lines[from..to]));
    }

    // Where the body ends: the end marks, else the site navigation.
    let body_from = top.body_from.min(lines.len());
    let mut body_end = lines.len();
    if let Some(e) = end_line(lines, body_from, profile) {
        body_end = e;
        page.trailer_start = Some((lines[e].no, lines[e].text.clone()));
        let mut after: Vec<Line> = Vec::new();
        for line in &lines[e..] {
            let t = line.text.as_str();
            let marked = profile
                .end
                .iter()
                .chain(&profile.drop)
                .any(|re| re.is_match(t));
            if line.is_blank() {
                after.push(line.clone());
            } else if marked {
                page.dropped_lines += 1;
            } else {
                after.push(line.clone());
            }
        }
        for p in reflow::paragraphs(&after, |_| false) {
            let text = read_text(p.first(), profile);
            if !text.is_empty() {
                page.after.push(text);
            }
        }
    }
    let nav = trailer::navigation(&mut page, &lines[..body_end], body_from, profile);
    body_end = body_end.min(nav);

    // The body: drops, comments, then paragraphs.
    let mut kept: Vec<Line> = top
        .rest
        .into_iter()
        .map(|l| Line {
            no: l.no,
            text: read_text(&l.text, profile),
        })
        .collect();
    let mut comments: Vec<(usize, String)> = top.aside;
    let region = &lines[body_from..body_end.max(body_from)];
    let mut i = 0;
    while i < region.len() {
        let line = &region[i];
        let t = line.text.as_str();
        let blank = |line: &Line| Line {
            no: line.no,
            text: String::new(),
        };
        // A block is dropped only when it ends within reach.
        let block_end = profile.drop_blocks.iter().find_map(|(from, to)| {
            if !from.is_match(t) {
                return None;
            }
            (i..region.len().min(i + MAX_BLOCK_LINES)).find(|&j| to.is_match(&region[j].text))
        });
        if let Some(end) = block_end {
            for l in &region[i..=end] {
                page.dropped_lines += usize::from(!l.is_blank());
                kept.push(blank(l));
            }
            i = end + 1;
            continue;
        }
        if line.is_blank() {
            kept.push(blank(line));
        } else if profile.drop.iter().any(|re| re.is_match(t)) {
            page.dropped_lines += 1;
            kept.push(blank(line));
        } else if profile.comments.iter().any(|re| re.is_match(t)) {
            comments.push((line.no, read_text(t, profile)));
            kept.push(blank(line));
        } else {
            // A line that is only markup (`**`) is left out without ending its paragraph.
            let text = read_text(t, profile);
            if !text.is_empty() {
                kept.push(Line { no: line.no, text });
            }
        }
        i += 1;
    }
    let body: Vec<Paragraph> = if profile.hard_wrapped {
        reflow::paragraphs(&kept, |t| opens_turn(t, profile))
    } else {
        paragraphs(&kept)
    };
    page.comments = comments
        .into_iter()
        .map(|(no, text)| {
            let at = body
                .iter()
                .position(|p| p.first_no() > no)
                .unwrap_or(body.len());
            (at, text)
        })
        .collect();
    page.body = body;
    page
}
