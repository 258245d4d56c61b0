//! Metadata rules: keys, values, required keys and speaker declarations.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};

use super::keys::{self, KEYS};
use crate::diagnostic::{Diagnostic, Rule, did_you_mean};
use crate::registry::Registry;
use crate::syntax::{Header, HeaderEntry, Span, speaker_name};

pub const DEFAULT_REQUIRED: &[&str] = &["title", "date"];

pub fn check(header: &Header, registry: Option<&Registry>, out: &mut Vec<Diagnostic>) {
    // Keys the registry adds or requires are allowed.
    let extra: Vec<String> = registry
        .into_iter()
        .flat_map(|r| r.extra_keys.iter().chain(r.required_keys.iter().flatten()))
        .cloned()
        .collect();
    let known: Vec<&str> = KEYS
        .iter()
        .map(|s| s.key)
        .chain(extra.iter().map(String::as_str))
        .collect();
    let mut first_of: HashMap<&str, &HeaderEntry> = HashMap::new();
    for entry in &header.entries {
        let key = entry.key.as_str();
        let spec = keys::spec(key);
        if spec.is_none() && !keys::is_extension(key) && !extra.iter().any(|k| k == key) {
            out.push(
                Diagnostic::new(Rule::UnknownKey, entry.key_span.clone(), format!("unknown header key `{key}`"))
                    .help("use a standard key, an `x-` key for your own data, or add it to `metadata.keys` in transcripts.json")
                    .suggest(did_you_mean(key, known.iter().copied())),
            );
        }
        let repeatable = spec.is_none_or(|s| s.repeatable);
        match first_of.get(key) {
            Some(first) if !repeatable => out.push(
                Diagnostic::new(
                    Rule::DuplicateKey,
                    entry.key_span.clone(),
                    format!("`{key}` appears more than once"),
                )
                .help("keep one of them and remove the other")
                .related(
                    first.key_span.clone(),
                    format!("`{key}` is first given here"),
                ),
            ),
            Some(_) => {}
            None => {
                first_of.insert(key, entry);
            }
        }
        if entry.value.is_empty() {
            if !keys::is_extension(key) {
                let form = spec.map_or("a value".to_string(), |s| s.form.to_string());
                out.push(
                    Diagnostic::new(
                        Rule::EmptyValue,
                        entry.key_span.start..entry.line_span.end,
                        format!("`{key}` has no value"),
                    )
                    .help(format!("write {form} after `{key}: `, or remove the line")),
                );
            }
            continue;
        }
        check_value(entry, out);
    }
    let required: Vec<&str> = match registry.and_then(|r| r.required_keys.as_ref()) {
        Some(keys) => keys.iter().map(String::as_str).collect(),
        None => DEFAULT_REQUIRED.to_vec(),
    };
    for key in required.into_iter().filter(|k| !first_of.contains_key(k)) {
        let form = keys::spec(key).map_or("its value".to_string(), |s| s.form.to_string());
        out.push(
            Diagnostic::new(
                Rule::MissingKey,
                header.open.clone(),
                format!("the header has no `{key}`"),
            )
            .subject(key)
            .help(format!("add a line `{key}: …` with {form}")),
        );
    }
    check_speakers(header, out);
    check_language_listed(header, out);
}

fn check_value(entry: &HeaderEntry, out: &mut Vec<Diagnostic>) {
    let value = entry.value.as_str();
    let span = entry.value_span.clone();
    match entry.key.as_str() {
        "date" => {
            if let Err(d) = parse_date(value, span) {
                out.push(*d);
            }
        }
        "time" if !is_valid_time(value) => {
            out.push(
                Diagnostic::new(Rule::InvalidTime, span, format!("`{value}` is not a time of day"))
                    .help("write `HH:MM` or `HH:MM:SS` on the 24-hour clock, optionally followed by `Z` or an offset such as `+03:00`"),
            );
        }
        "language" => check_language_tag(value, span, out),
        "languages" => {
            for (item, item_span) in list_items(value, span.start) {
                if item.is_empty() {
                    out.push(
                        Diagnostic::new(
                            Rule::InvalidLanguageTag,
                            item_span,
                            "an empty item in `languages`",
                        )
                        .help("separate the language tags with single commas"),
                    );
                } else {
                    check_language_tag(item, item_span, out);
                }
            }
        }
        "source" => {
            let ok = url::Url::parse(value)
                .is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.has_host());
            if !ok {
                out.push(
                    Diagnostic::new(
                        Rule::InvalidUrl,
                        span,
                        format!("`{value}` is not an absolute http or https URL"),
                    )
                    .help("give the full address of the page, starting with `https://`"),
                );
            }
        }
        "id" if !value.chars().all(is_id_char) => {
            let fixed: String = value
                .chars()
                .map(|c| if is_id_char(c) { c } else { '-' })
                .collect();
            out.push(
                Diagnostic::new(
                    Rule::InvalidId,
                    span,
                    format!("`{value}` is not a valid id"),
                )
                .help("an id may hold only letters, digits, `.`, `_` and `-`")
                .suggest(vec![fixed]),
            );
        }
        _ => {}
    }
}

fn is_id_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')
}

/// A header `date` as a calendar date, or the diagnostic that explains why not.
pub fn parse_date(value: &str, span: Span) -> Result<NaiveDate, Box<Diagnostic>> {
    let b = value.as_bytes();
    let shaped = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shaped {
        let d = Diagnostic::new(
            Rule::InvalidDate,
            span,
            format!("`{value}` is not a date in the form YYYY-MM-DD"),
        )
        .help("write the date as year, month and day, e.g. `2016-07-26`");
        let suggestion = long_form_date(value).map(|d| d.format("%Y-%m-%d").to_string());
        return Err(Box::new(d.suggest(suggestion.into_iter().collect())));
    }
    let (y, m, d) = (
        value[..4].parse().unwrap_or(0),
        value[5..7].parse().unwrap_or(0),
        value[8..].parse().unwrap_or(0),
    );
    NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| {
        let why = match NaiveDate::from_ymd_opt(y, m, 1) {
            None => format!("there is no month {m:02}"),
            Some(first) => {
                let next = first
                    .checked_add_months(chrono::Months::new(1))
                    .unwrap_or(first);
                let days = next.signed_duration_since(first).num_days();
                format!("{} {} has {days} days", first.format("%B"), first.year())
            }
        };
        Box::new(
            Diagnostic::new(
                Rule::InvalidDate,
                span,
                format!("`{value}` is not a real date: {why}"),
            )
            .help("check the day and the month against the source"),
        )
    })
}

/// Dates written out, as raw transcripts have them: `16 June 2017`, `June 16, 2017`.
pub fn long_form_date(value: &str) -> Option<NaiveDate> {
    const FORMS: &[&str] = &[
        "%d %B %Y",
        "%B %d, %Y",
        "%d %b %Y",
        "%b %d, %Y",
        "%B %d %Y",
        "%Y/%m/%d",
        "%d.%m.%Y",
    ];
    FORMS
        .iter()
        .find_map(|f| NaiveDate::parse_from_str(value.trim(), f).ok())
}

fn is_valid_time(value: &str) -> bool {
    let (clock, offset) = match value.find(['Z', '+', '-']) {
        Some(i) => value.split_at(i),
        None => (value, ""),
    };
    let two = |s: &str, max: u32| {
        s.len() == 2
            && s.bytes().all(|b| b.is_ascii_digit())
            && s.parse::<u32>().is_ok_and(|n| n < max)
    };
    let clock_ok = match clock.split(':').collect::<Vec<_>>().as_slice() {
        [h, m] => two(h, 24) && two(m, 60),
        [h, m, s] => two(h, 24) && two(m, 60) && two(s, 60),
        _ => false,
    };
    let offset_ok = match offset {
        "" | "Z" => true,
        o => o[1..]
            .split_once(':')
            .is_some_and(|(h, m)| two(h, 15) && two(m, 60)),
    };
    clock_ok && offset_ok
}

fn check_language_tag(tag: &str, span: Span, out: &mut Vec<Diagnostic>) {
    if oxilangtag::LanguageTag::parse(tag).is_err() {
        let fixed = tag.replace('_', "-");
        let suggestion = (fixed != tag && oxilangtag::LanguageTag::parse(fixed.as_str()).is_ok())
            .then_some(fixed);
        out.push(
            Diagnostic::new(
                Rule::InvalidLanguageTag,
                span,
                format!("`{tag}` is not a BCP 47 language tag"),
            )
            .help("write a tag such as `en`, `en-GB` or `ru-RU`")
            .suggest(suggestion.into_iter().collect()),
        );
    }
}

/// The comma-separated items of a value starting at `start`, trimmed, with spans.
pub fn list_items(value: &str, start: usize) -> Vec<(&str, Span)> {
    let mut items = Vec::new();
    let mut offset = start;
    for piece in value.split(',') {
        let lead = piece.len() - piece.trim_start().len();
        let item = piece.trim();
        items.push((item, offset + lead..offset + lead + item.len()));
        offset += piece.len() + 1;
    }
    items
}

fn check_speakers(header: &Header, out: &mut Vec<Diagnostic>) {
    let mut seen: HashMap<&str, &HeaderEntry> = HashMap::new();
    for entry in header.get("speaker").filter(|e| !e.value.is_empty()) {
        let name = speaker_name(&entry.value);
        match seen.get(name) {
            Some(first) => out.push(
                Diagnostic::new(
                    Rule::DuplicateSpeaker,
                    entry.value_span.clone(),
                    format!("the speaker `{name}` is declared twice"),
                )
                .help("remove one of the declarations")
                .related(first.value_span.clone(), "first declared here"),
            ),
            None => {
                seen.insert(name, entry);
            }
        }
    }
}

fn check_language_listed(header: &Header, out: &mut Vec<Diagnostic>) {
    let (Some(language), Some(languages)) = (header.first("language"), header.first("languages"))
    else {
        return;
    };
    let listed = list_items(&languages.value, 0);
    if language.value.is_empty()
        || listed
            .iter()
            .any(|(t, _)| t.eq_ignore_ascii_case(&language.value))
    {
        return;
    }
    out.push(
        Diagnostic::new(
            Rule::LanguageNotListed,
            language.value_span.clone(),
            format!("`{}` is not among the `languages`", language.value),
        )
        .help(format!(
            "add `{}` to `languages`, or correct `language`",
            language.value
        ))
        .related(
            languages.value_span.clone(),
            "the languages are listed here",
        ),
    );
}
