//! Dates, times, places and language lines as raw pages write them:
//! `26 July 201611:31`, `September 5, 2016`, `17:20`, `1:07 P.M. EDT`,
//! `• en-GB1 ru-RU1`, a title ending `…, Vientiane, July 26, 2016`, and an
//! absolute source link.

use std::sync::LazyLock;

use chrono::NaiveDate;
use regex::Regex;

const MONTHS: &str =
    "January|February|March|April|May|June|July|August|September|October|November|December";

static MFA_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^(\d{{1,2}})\s+({MONTHS})\s+(\d{{4}})\s*(?:(\d{{1,2}}):(\d{{2}}))?$"
    ))
    .expect("valid regex")
});
static US_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"^({MONTHS})\s+(\d{{1,2}}),\s*(\d{{4}})$")).expect("valid regex")
});
static US_DATE_IN_TEXT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"\b(?:({MONTHS})\s+(\d{{1,2}}),\s*(\d{{4}})|(\d{{1,2}})\s+({MONTHS})\s+(\d{{4}}))\b"
    ))
    .expect("valid regex")
});
static TITLE_TAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r",\s*([^,]{{2,60}}?),\s*(?:{MONTHS})\s+\d{{1,2}},\s*\d{{4}}\s*$"
    ))
    .expect("valid regex")
});

fn month_number(name: &str) -> Option<u32> {
    MONTHS
        .split('|')
        .position(|m| m == name)
        .map(|i| i as u32 + 1)
}

/// A month as pages write it: `7`, `07`, `July`, `JULY`, `Jul`, `Jul.`.
fn month_any(m: &str) -> Option<u32> {
    let m = m.trim().trim_end_matches('.');
    if let Ok(n) = m.parse::<u32>() {
        return (1..=12).contains(&n).then_some(n);
    }
    let lower = m.to_lowercase();
    if lower.chars().count() < 3 {
        return None;
    }
    MONTHS
        .split('|')
        .position(|full| {
            let full = full.to_lowercase();
            full == lower
                || (lower.len() <= full.len() && full.starts_with(&lower) && lower.len() == 3)
        })
        .map(|i| i as u32 + 1)
}

/// A date from the parts a profile's pattern captured: a year of four
/// digits (two digits are 20xx), a month as a number or an English name,
/// and a day.
pub(crate) fn date_of(year: &str, month: &str, day: &str) -> Option<NaiveDate> {
    let year = year.trim();
    let y: i32 = match year.len() {
        4 => year.parse().ok()?,
        2 => 2000 + year.parse::<i32>().ok()?,
        _ => return None,
    };
    NaiveDate::from_ymd_opt(y, month_any(month)?, day.trim().parse().ok()?)
}

/// `2021-01-27`, also quoted (`'2021-01-27'`) or followed by a time.
pub(crate) fn iso_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim().trim_matches(['\'', '"']);
    let day = s.get(..10)?;
    if s.len() > 10 && !s[10..].starts_with(['T', ' ']) {
        return None;
    }
    NaiveDate::parse_from_str(day, "%Y-%m-%d").ok()
}

/// A 24-hour `HH:MM` from an hour, minutes and, for a 12-hour clock, the
/// `A.M.`/`P.M.` mark as written (`P.M.`, `pm`, `p`).
pub(crate) fn clock_of(hour: &str, minute: &str, meridiem: Option<&str>) -> Option<String> {
    let (mut h, m): (u32, u32) = (hour.trim().parse().ok()?, minute.trim().parse().ok()?);
    if let Some(mark) = meridiem {
        let first = mark.trim().chars().next()?.to_ascii_lowercase();
        if !(1..=12).contains(&h) {
            return None;
        }
        match first {
            'a' if h == 12 => h = 0,
            'a' => {}
            'p' if h < 12 => h += 12,
            'p' => {}
            _ => return None,
        }
    }
    clock(&h.to_string(), &format!("{m:02}"))
}

/// A UTC offset as the header writes it: `Z`, `+03:00`, `-04:00`.
pub(crate) fn is_offset(s: &str) -> bool {
    if s == "Z" {
        return true;
    }
    let b = s.as_bytes();
    b.len() == 6
        && matches!(b[0], b'+' | b'-')
        && b[1..3].iter().all(u8::is_ascii_digit)
        && b[3] == b':'
        && b[4..6].iter().all(u8::is_ascii_digit)
        && s[1..3].parse::<u32>().is_ok_and(|h| h <= 14)
        && s[4..6].parse::<u32>().is_ok_and(|m| m < 60)
}

fn ymd(y: &str, m: &str, d: &str) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y.parse().ok()?, month_number(m)?, d.parse().ok()?)
}

/// `26 July 201611:31` (date and time run together) or `26 July 2016`.
pub(crate) fn mfa_date_line(line: &str) -> Option<(NaiveDate, Option<String>)> {
    let c = MFA_DATE.captures(line.trim())?;
    let date = ymd(&c[3], &c[2], &c[1])?;
    let time = match (c.get(4), c.get(5)) {
        (Some(h), Some(m)) => clock(h.as_str(), m.as_str()),
        _ => None,
    };
    Some((date, time))
}

/// `September 5, 2016`.
pub(crate) fn us_date(line: &str) -> Option<NaiveDate> {
    let c = US_DATE.captures(line.trim())?;
    ymd(&c[3], &c[1], &c[2])
}

static LINK_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^(?:{MONTHS})\s+\d{{1,2}}(?:\s*[−–-]\s*(?:(?:{MONTHS})\s+)?\d{{1,2}})?,\s*\d{{4}}$"
    ))
    .expect("valid regex")
});

/// The date line of a link entry: `March 26, 2013` or `March 26 − 27, 2013`.
pub(crate) fn link_date(line: &str) -> bool {
    LINK_DATE.is_match(line.trim())
}

/// A date written out anywhere in a line.
pub(crate) fn date_in_text(line: &str) -> Option<NaiveDate> {
    let c = US_DATE_IN_TEXT.captures(line)?;
    if let (Some(m), Some(d), Some(y)) = (c.get(1), c.get(2), c.get(3)) {
        return ymd(y.as_str(), m.as_str(), d.as_str());
    }
    ymd(c.get(6)?.as_str(), c.get(5)?.as_str(), c.get(4)?.as_str())
}

fn clock(h: &str, m: &str) -> Option<String> {
    let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
    (h < 24 && m < 60).then(|| format!("{h:02}:{m:02}"))
}

/// `17:20`.
pub(crate) fn time_line(line: &str) -> Option<String> {
    let (h, m) = line.trim().split_once(':')?;
    let digits = |s: &str, n: std::ops::RangeInclusive<usize>| {
        n.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
    };
    if !(digits(h, 1..=2) && digits(m, 2..=2)) {
        return None;
    }
    clock(h, m)
}

/// `• en-GB1 ru-RU1` -> `["en-GB", "ru-RU"]` (the counts after the tags are dropped).
pub(crate) fn language_line(line: &str) -> Option<Vec<String>> {
    let rest = line.trim().strip_prefix('•')?;
    let mut tags = Vec::new();
    for token in rest.split_whitespace() {
        let tag = strip_count(token);
        let primary = tag.split('-').next().unwrap_or("");
        let primary_ok =
            (2..=3).contains(&primary.len()) && primary.bytes().all(|b| b.is_ascii_lowercase());
        if !primary_ok || oxilangtag::LanguageTag::parse(tag).is_err() {
            return None;
        }
        if !tags.iter().any(|t| t == tag) {
            tags.push(tag.to_string());
        }
    }
    (!tags.is_empty()).then_some(tags)
}

/// `en-GB1` -> `en-GB`: the digits glued to a letter subtag are a count.
fn strip_count(token: &str) -> &str {
    let trimmed = token.trim_end_matches(|c: char| c.is_ascii_digit());
    let last_subtag = trimmed.rsplit('-').next().unwrap_or("");
    if trimmed.len() < token.len() && last_subtag.chars().any(|c| c.is_ascii_alphabetic()) {
        trimmed
    } else {
        // A numeric subtag (`es-419`) followed by a count: drop one digit.
        token.get(..token.len().saturating_sub(1)).unwrap_or(token)
    }
}

/// The place in a title that ends `…, Vientiane, July 26, 2016`.
pub(crate) fn place_from_title(title: &str) -> Option<String> {
    let c = TITLE_TAIL.captures(title)?;
    let place = c[1].trim();
    let plausible = place.chars().next().is_some_and(char::is_uppercase)
        && place.split_whitespace().count() <= 5
        && !place.chars().any(|c| c.is_ascii_digit());
    plausible.then(|| place.to_string())
}

/// A line after the time that names a place: short, capitalised, no sentence.
pub(crate) fn is_place_line(line: &str, title: &str) -> bool {
    let t = line.trim();
    t != title.trim()
        && t.chars().count() <= 60
        && t.split_whitespace().count() <= 6
        && t.chars().next().is_some_and(char::is_uppercase)
        && !t.ends_with(['.', '!', '?', ':', ';', '…', ')'])
        && !t.contains(": ")
        && !t
            .chars()
            .any(|c| c.is_ascii_digit() || matches!(c, '(' | '[' | '“' | '"' | '*'))
        && !matches!(t, "See also" | "Question" | "Additional materials")
}

/// An absolute http(s) link on a line of its own.
pub(crate) fn is_source_url(line: &str) -> bool {
    (line.starts_with("http://") || line.starts_with("https://"))
        && !line.contains(char::is_whitespace)
        && url::Url::parse(line).is_ok_and(|u| u.has_host())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_from_parts() {
        assert_eq!(
            date_of("2021", "January", "27").unwrap().to_string(),
            "2021-01-27"
        );
        assert_eq!(
            date_of("2021", "jan.", "27").unwrap().to_string(),
            "2021-01-27"
        );
        assert_eq!(date_of("21", "1", "27").unwrap().to_string(), "2021-01-27");
        assert!(date_of("2021", "Ja", "27").is_none());
        assert!(date_of("2021", "February", "30").is_none());
        assert_eq!(iso_date("'2021-01-27'").unwrap().to_string(), "2021-01-27");
        assert_eq!(
            iso_date("2021-01-27 17:31:58-05:00").unwrap().to_string(),
            "2021-01-27"
        );
        assert!(iso_date("2021-01-27x").is_none());
        assert_eq!(clock_of("1", "07", Some("P.M.")).as_deref(), Some("13:07"));
        assert_eq!(clock_of("12", "30", Some("a.m.")).as_deref(), Some("00:30"));
        assert_eq!(clock_of("12", "30", Some("PM")).as_deref(), Some("12:30"));
        assert!(clock_of("13", "30", Some("PM")).is_none());
        assert_eq!(clock_of("17", "5", None).as_deref(), Some("17:05"));
        assert!(is_offset("-04:00") && is_offset("Z") && !is_offset("+15:00") && !is_offset("EDT"));
    }

    #[test]
    fn dates_and_times() {
        let (d, t) = mfa_date_line("26 July 201611:31").unwrap();
        assert_eq!(d.to_string(), "2016-07-26");
        assert_eq!(t.as_deref(), Some("11:31"));
        assert_eq!(
            us_date("September 5, 2016").unwrap().to_string(),
            "2016-09-05"
        );
        assert!(us_date("February 30, 2016").is_none());
        assert_eq!(time_line("7:05").as_deref(), Some("07:05"));
        assert!(time_line("25:00").is_none());
        assert!(link_date("March 26 − 27, 2013"));
        assert!(link_date("June 27, 2017"));
        assert_eq!(
            date_in_text("recorded on April 2, 2013 in")
                .unwrap()
                .to_string(),
            "2013-04-02"
        );
    }

    #[test]
    fn languages_and_places() {
        assert_eq!(
            language_line("  • en-GB1 ru-RU1").unwrap(),
            ["en-GB", "ru-RU"]
        );
        assert_eq!(language_line("• es-4191").unwrap(), ["es-419"]);
        assert!(language_line("• Flag").is_none());
        assert_eq!(
            place_from_title("Remarks at a news conference, Vientiane, July 26, 2016").as_deref(),
            Some("Vientiane")
        );
        assert!(is_place_line("Novo-Ogaryovo, Moscow Region", "T"));
        assert!(!is_place_line(
            "With Deputy Prime Minister Olga Golodets.",
            "T"
        ));
    }
}
