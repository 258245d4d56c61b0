//! Header extraction and rendering: dates (`26 July 201611:31`, `September 5,
//! 2016`), times, places (a place line, or the title's tail `…, Vientiane,
//! July 26, 2016`), language lines (`• en-GB1 ru-RU1`), the source link, and
//! the `---` block written from them with the declared speakers.

use std::sync::LazyLock;

use chrono::NaiveDate;
use regex::Regex;

use super::labels::Speaker;
use super::report::ImportReport;

/// What the raw page says about itself.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct HeaderInfo {
    pub title: Option<String>,
    pub date: Option<NaiveDate>,
    /// `HH:MM`.
    pub time: Option<String>,
    pub place: Option<String>,
    /// BCP 47 tags, in page order.
    pub languages: Vec<String>,
    pub source: Option<String>,
}

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

/// A header value: one line, trimmed, with no characters the header would
/// misread.
fn value(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `X (Y)` in a role would be read as a name and a role: keep it as `X, Y`.
fn role_value(role: &str) -> String {
    let mut out = String::new();
    for c in role.chars() {
        match c {
            '(' => {
                let trimmed = out.trim_end().to_string();
                out = trimmed;
                if !out.is_empty() && !out.ends_with(',') {
                    out.push(',');
                }
                out.push(' ');
            }
            ')' => {}
            c => out.push(c),
        }
    }
    value(&out)
}

/// Writes the header block.
pub(crate) fn render(info: &HeaderInfo, speakers: &[Speaker], report: &mut ImportReport) -> String {
    let mut out = String::from("---\n");
    let title = info.title.as_deref().map(value).filter(|t| !t.is_empty());
    match &title {
        Some(t) => out.push_str(&format!("title: {t}\n")),
        None => {
            out.push_str("title: Untitled\n");
            report.note("no title found: wrote `title: Untitled`");
        }
    }
    match info.date {
        Some(d) => out.push_str(&format!("date: {}\n", d.format("%Y-%m-%d"))),
        None => {
            out.push_str("// The raw text gives no date: 1970-01-01 is a placeholder.\n");
            out.push_str("date: 1970-01-01\n");
            report.note("no date found: wrote the placeholder `date: 1970-01-01`; correct it");
        }
    }
    if let Some(t) = &info.time {
        out.push_str(&format!("time: {t}\n"));
    }
    if let Some(p) = info.place.as_deref().map(value).filter(|p| !p.is_empty()) {
        out.push_str(&format!("place: {p}\n"));
    }
    if !info.languages.is_empty() {
        let language = info
            .languages
            .iter()
            .find(|t| t.starts_with("en"))
            .unwrap_or(&info.languages[0]);
        out.push_str(&format!("language: {language}\n"));
        out.push_str(&format!("languages: {}\n", info.languages.join(", ")));
    }
    if let Some(s) = &info.source {
        out.push_str(&format!("source: {s}\n"));
    }
    for s in speakers {
        let name = value(&s.name);
        match s.role.as_deref().map(role_value).filter(|r| !r.is_empty()) {
            Some(role) => out.push_str(&format!("speaker: {name} ({role})\n")),
            None => out.push_str(&format!("speaker: {name}\n")),
        }
    }
    out.push_str("---\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(
            role_value("CEO of the Fund (RDIF)"),
            "CEO of the Fund, RDIF"
        );
    }
}
