//! The plain layout, for a page no other layout fits and only when asked
//! for (`--layout plain`): the first line is the title, a date near the top
//! is the date, and everything else is the body.

use super::super::dates;
use super::super::lines::Line;
use super::super::page::Page;
use super::super::profile::Profile;
use super::super::trailer;

pub(crate) fn split(lines: &[Line], profile: &Profile) -> Page {
    let nonblank: Vec<usize> = (0..lines.len()).filter(|&i| !lines[i].is_blank()).collect();
    let mut page = Page::default();
    let Some(&first) = nonblank.first() else {
        page.notes
            .push("the raw text is empty: wrote a header only".to_string());
        return page;
    };
    let title = lines[first].text.as_str();
    page.header.title = Some(title.to_string());
    let mut body_from = first + 1;
    // A date anywhere near the top; a line that is only a date is header.
    for &i in nonblank.iter().take(30) {
        let line = lines[i].text.as_str();
        if let Some(date) = dates::us_date(line).or_else(|| dates::mfa_date_line(line).map(|d| d.0))
        {
            page.header.date = Some(date);
            if i == body_from || (i > body_from && lines[body_from..i].iter().all(Line::is_blank)) {
                body_from = i + 1;
            }
            break;
        }
        if let Some(date) = dates::date_in_text(line) {
            page.header.date = Some(date);
            break;
        }
    }
    if let Some(place) = dates::place_from_title(title) {
        page.header.place = Some(place);
    }
    trailer::finish(&mut page, lines, body_from, None, profile);
    page
}
