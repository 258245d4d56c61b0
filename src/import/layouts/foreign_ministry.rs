//! The foreign ministry's layout (the seeds): a first line like `26 July
//! 201611:31` (date and time run together), the title, a language line
//! `• en-GB1 ru-RU1`; the place from the title's tail (`…, Vientiane, July
//! 26, 2016`). Its lists (trailer, link blocks) are in its profile,
//! `profiles/foreign-ministry.json`.

use super::super::dates;
use super::super::lines::Line;
use super::super::page::Page;
use super::super::profile::Profile;
use super::super::trailer;

/// The first non-blank line is a date line.
pub(crate) fn detect(lines: &[Line]) -> bool {
    lines
        .iter()
        .find(|l| !l.is_blank())
        .is_some_and(|l| dates::mfa_date_line(&l.text).is_some())
}

pub(crate) fn split(lines: &[Line], profile: &Profile) -> Page {
    let nonblank: Vec<usize> = (0..lines.len()).filter(|&i| !lines[i].is_blank()).collect();
    let mut page = Page::default();
    let text = |k: usize| lines[nonblank[k]].text.as_str();
    let Some((date, time)) = nonblank.first().and_then(|_| dates::mfa_date_line(text(0))) else {
        return page;
    };
    page.header.date = Some(date);
    page.header.time = time;
    let mut body_from = nonblank[0] + 1;
    let mut k = 1;
    if k < nonblank.len() && dates::language_line(text(k)).is_none() {
        page.header.title = Some(text(k).to_string());
        body_from = nonblank[k] + 1;
        k += 1;
    }
    if k < nonblank.len()
        && let Some(tags) = dates::language_line(text(k))
    {
        page.header.languages = tags;
        body_from = nonblank[k] + 1;
    }
    if let Some(title) = &page.header.title
        && let Some(place) = dates::place_from_title(title)
    {
        page.header.place = Some(place);
    }
    trailer::finish(&mut page, lines, body_from, None, profile);
    page
}
