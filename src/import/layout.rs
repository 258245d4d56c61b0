//! Raw page layout detection: which site layout the page has, and where its
//! parts are — the header lines (title, date, time, place, languages), the
//! lead, the body, the "See also" link blocks and the trailing site
//! navigation, which is dropped (its source link and publication date are
//! kept for the header).

use super::header::{self, HeaderInfo};
use super::lines::{Line, Paragraph, paragraphs};

/// The page layouts the importer knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PageLayout {
    /// The foreign ministry's layout (the seeds): a first line like
    /// `26 July 201611:31`, the title, a language line `• en-GB1 ru-RU1`.
    ForeignMinistry,
    /// The Kremlin's layout: title, lead, then separate date, time and place
    /// lines like `September 5, 2016` / `17:20` / `Hangzhou`.
    Kremlin,
    /// Neither: the first line is taken as the title, the rest as the body.
    #[default]
    Unknown,
}

impl PageLayout {
    pub fn describe(self) -> &'static str {
        match self {
            PageLayout::ForeignMinistry => "foreign ministry page",
            PageLayout::Kremlin => "Kremlin page",
            PageLayout::Unknown => "unknown layout",
        }
    }
}

/// The page cut into its parts.
#[derive(Debug, Clone, Default)]
pub(crate) struct Page {
    pub layout: PageLayout,
    pub header: HeaderInfo,
    /// Paragraphs between the title and the date (Kremlin layout).
    pub lead: Vec<Paragraph>,
    pub body: Vec<Paragraph>,
    /// Non-blank lines of site navigation dropped after the body.
    pub dropped_lines: usize,
    /// The first dropped line, with its number.
    pub trailer_start: Option<(usize, String)>,
    pub notes: Vec<String>,
}

/// Lines that start the site navigation after a transcript, wherever they are.
const TRAILER_STARTS: &[&str] = &[
    "Publication status",
    "Additional materials",
    "Publication date:",
    "Published in sections:",
];

/// Headings of navigation blocks that may come just before the trailer.
const NAV_BLOCKS: &[&str] = &[
    "Geography",
    "Topics",
    "Persons",
    "See also",
    "Regions",
    "Organisations",
    "Organizations",
    "Additional materials",
    "Additional",
    "Related materials",
    "Tags",
];

/// Headings of link blocks that the site inserts inside the text.
const LINK_BLOCKS: &[&str] = &["See also", "Additional", "Additional materials"];

/// Cuts the raw lines into a page.
pub(crate) fn analyse(lines: &[Line]) -> Page {
    let nonblank: Vec<usize> = (0..lines.len()).filter(|&i| !lines[i].is_blank()).collect();
    let mut page = Page::default();
    if nonblank.is_empty() {
        page.notes
            .push("the raw text is empty: wrote a header only".to_string());
        return page;
    }

    // Where the body starts (index into `lines`), and the lead's line range.
    let mut body_from;
    let mut lead: Option<(usize, usize)> = None;
    let text = |k: usize| lines[nonblank[k]].text.as_str();

    if let Some((date, time)) = header::mfa_date_line(text(0)) {
        page.layout = PageLayout::ForeignMinistry;
        page.header.date = Some(date);
        page.header.time = time;
        body_from = nonblank[0] + 1;
        let mut k = 1;
        if k < nonblank.len() && header::language_line(text(k)).is_none() {
            page.header.title = Some(text(k).to_string());
            body_from = nonblank[k] + 1;
            k += 1;
        }
        if k < nonblank.len()
            && let Some(tags) = header::language_line(text(k))
        {
            page.header.languages = tags;
            body_from = nonblank[k] + 1;
        }
        if let Some(title) = &page.header.title
            && let Some(place) = header::place_from_title(title)
        {
            page.header.place = Some(place);
        }
    } else if let Some(k) =
        (1..nonblank.len().min(16)).find(|&k| header::us_date(text(k)).is_some())
    {
        page.layout = PageLayout::Kremlin;
        page.header.title = Some(text(0).to_string());
        page.header.date = header::us_date(text(k));
        if k > 1 {
            lead = Some((nonblank[0] + 1, nonblank[k]));
        }
        body_from = nonblank[k] + 1;
        let mut k = k + 1;
        if k < nonblank.len()
            && let Some(time) = header::time_line(text(k))
        {
            page.header.time = Some(time);
            body_from = nonblank[k] + 1;
            k += 1;
        }
        if k < nonblank.len() && header::is_place_line(text(k), text(0)) {
            page.header.place = Some(text(k).to_string());
            body_from = nonblank[k] + 1;
        }
        if page.header.place.is_none()
            && let Some(place) = header::place_from_title(text(0))
        {
            page.header.place = Some(place);
        }
    } else {
        page.layout = PageLayout::Unknown;
        page.header.title = Some(text(0).to_string());
        body_from = nonblank[0] + 1;
        // A date anywhere near the top; a line that is only a date is header.
        for &i in nonblank.iter().take(30) {
            let line = lines[i].text.as_str();
            if let Some(date) =
                header::us_date(line).or_else(|| header::mfa_date_line(line).map(|d| d.0))
            {
                page.header.date = Some(date);
                if i == body_from
                    || (i > body_from && lines[body_from..i].iter().all(Line::is_blank))
                {
                    body_from = i + 1;
                }
                break;
            }
            if let Some(date) = header::date_in_text(line) {
                page.header.date = Some(date);
                break;
            }
        }
        if let Some(place) = header::place_from_title(text(0)) {
            page.header.place = Some(place);
        }
    }

    let body_from = body_from.min(lines.len());
    let trailer = trailer_start(lines, body_from);
    if trailer < lines.len() {
        let dropped: Vec<&Line> = lines[trailer..].iter().filter(|l| !l.is_blank()).collect();
        page.dropped_lines = dropped.len();
        page.trailer_start = dropped.first().map(|l| (l.no, l.text.clone()));
        harvest_trailer(&dropped, &mut page.header);
    }
    if let Some((from, to)) = lead {
        page.lead = paragraphs(&lines[from..to]);
    }
    page.body = paragraphs(&lines[body_from..trailer.max(body_from)]);
    page
}

/// Index of the first line of the trailing site navigation (`lines.len()` when none).
fn trailer_start(lines: &[Line], from: usize) -> usize {
    let Some(mut start) =
        (from..lines.len()).find(|&i| TRAILER_STARTS.contains(&lines[i].text.as_str()))
    else {
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
            if NAV_BLOCKS.contains(&t) {
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
fn harvest_trailer(dropped: &[&Line], header: &mut HeaderInfo) {
    if header.source.is_none() {
        header.source = dropped
            .iter()
            .map(|l| l.text.as_str())
            .find(|t| header::is_source_url(t))
            .map(str::to_string);
    }
    if header.date.is_none()
        && let Some(k) = dropped.iter().position(|l| l.text == "Publication date:")
        && let Some(next) = dropped.get(k + 1)
    {
        let (date_part, time_part) = match next.text.rsplit_once(", ") {
            Some((d, t)) if header::time_line(t).is_some() => (d, Some(t)),
            _ => (next.text.as_str(), None),
        };
        if let Some(date) = header::us_date(date_part) {
            header.date = Some(date);
            if header.time.is_none() {
                header.time = time_part.and_then(header::time_line);
            }
        }
    }
}

/// "See also" link blocks inside the body: the block heading and its entries
/// (each a title line and a date line), as comment lines.
pub(crate) fn see_also_block(paras: &[Paragraph], at: usize) -> Option<(usize, Vec<String>)> {
    let p = paras.get(at)?;
    let heading = p.first();
    if !LINK_BLOCKS.contains(&heading) {
        return None;
    }
    let mut comments = Vec::new();
    let mut entries = p.lines[1..]
        .iter()
        .map(|l| l.text.clone())
        .collect::<Vec<_>>();
    let mut end = at + 1;
    while let Some(q) = paras.get(end) {
        let last = q.lines.last().map(|l| l.text.as_str()).unwrap_or("");
        if q.lines.len() >= 2 && header::link_date(last) {
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
    for e in entries {
        comments.push(format!("// {heading}: {e}"));
    }
    Some((end, comments))
}

#[cfg(test)]
mod tests {
    use super::super::lines::split_lines;
    use super::*;

    #[test]
    fn kremlin_header_and_trailer() {
        let raw = "Meeting with X\n\nLead text.\n\nDecember 10, 2012\n\n17:15\n\nMoscow\n\nVladimir Putin: Hello.\n\nGeography\n\nMoscow\n\nTopics\n\nRegions\n\nPublication status\n\nhttp://en.kremlin.ru/events/president/news/17108\n";
        let page = analyse(&split_lines(raw));
        assert_eq!(page.layout, PageLayout::Kremlin);
        assert_eq!(page.header.time.as_deref(), Some("17:15"));
        assert_eq!(page.header.place.as_deref(), Some("Moscow"));
        assert_eq!(page.lead.len(), 1);
        assert_eq!(page.body.len(), 1);
        assert_eq!(page.dropped_lines, 6);
        assert_eq!(
            page.header.source.as_deref(),
            Some("http://en.kremlin.ru/events/president/news/17108")
        );
    }

    #[test]
    fn mfa_header() {
        let raw = "26 July 201611:31\n\nRemarks, Vientiane, July 26, 2016\n\n\n  • en-GB1 ru-RU1\n\nText.\n\nAdditional materials\n\nNATO\n";
        let page = analyse(&split_lines(raw));
        assert_eq!(page.layout, PageLayout::ForeignMinistry);
        assert_eq!(page.header.languages, ["en-GB", "ru-RU"]);
        assert_eq!(page.header.place.as_deref(), Some("Vientiane"));
        assert_eq!(page.body.len(), 1);
        assert_eq!(page.dropped_lines, 2);
    }
}
