//! The Kremlin's layout: the title, a lead, then separate date, time and
//! place lines like `September 5, 2016` / `17:20` / `Hangzhou`. Its lists
//! (trailer, link blocks) are in its profile, `profiles/kremlin.json`.

use super::super::dates;
use super::super::lines::Line;
use super::super::page::Page;
use super::super::profile::Profile;
use super::super::trailer;

/// How far below the title the date line may be (the lead is between).
const DATE_WITHIN: usize = 16;

/// The date line's index among the non-blank lines.
fn date_line(lines: &[Line], nonblank: &[usize]) -> Option<usize> {
    (1..nonblank.len().min(DATE_WITHIN))
        .find(|&k| dates::us_date(&lines[nonblank[k]].text).is_some())
}

/// A date line within the first lines, below the title.
pub(crate) fn detect(lines: &[Line]) -> bool {
    let nonblank: Vec<usize> = (0..lines.len())
        .filter(|&i| !lines[i].is_blank())
        .take(DATE_WITHIN)
        .collect();
    date_line(lines, &nonblank).is_some()
}

pub(crate) fn split(lines: &[Line], profile: &Profile) -> Page {
    let nonblank: Vec<usize> = (0..lines.len()).filter(|&i| !lines[i].is_blank()).collect();
    let mut page = Page::default();
    let Some(k) = date_line(lines, &nonblank) else {
        return page;
    };
    let text = |k: usize| lines[nonblank[k]].text.as_str();
    page.header.title = Some(text(0).to_string());
    page.header.date = dates::us_date(text(k));
    let lead = (k > 1).then(|| (nonblank[0] + 1, nonblank[k]));
    let mut body_from = nonblank[k] + 1;
    let mut k = k + 1;
    if k < nonblank.len()
        && let Some(time) = dates::time_line(text(k))
    {
        page.header.time = Some(time);
        body_from = nonblank[k] + 1;
        k += 1;
    }
    if k < nonblank.len() && dates::is_place_line(text(k), text(0)) {
        page.header.place = Some(text(k).to_string());
        body_from = nonblank[k] + 1;
    }
    if page.header.place.is_none()
        && let Some(place) = dates::place_from_title(text(0))
    {
        page.header.place = Some(place);
    }
    trailer::finish(&mut page, lines, body_from, lead, profile);
    page
}
