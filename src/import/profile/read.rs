//! Reading profiles from JSON, with every problem reported at its place in
//! the JSON text (as the registry's are): unknown fields (with a did-you-mean),
//! wrong types, names, patterns that do not compile or are too large,
//! patterns without the groups they need, dates and time zone offsets.

use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::LazyLock;

use regex::{Regex, RegexBuilder};
use serde_json::{Map, Value};

use super::json_spans::JsonSpans;
use super::{Person, Profile, Skipped, Step};
use crate::diagnostic::did_you_mean;
use crate::import::dates::{is_offset, iso_date};

/// Largest profile file read, in bytes.
pub const MAX_PROFILE_BYTES: u64 = 1 << 20;
/// Longest pattern, in characters.
const MAX_PATTERN_CHARS: usize = 1000;
/// Largest compiled pattern (the `regex` crate's size limit), in bytes.
const PATTERN_SIZE_LIMIT: usize = 1 << 20;
/// Most patterns in one profile.
const MAX_PATTERNS: usize = 300;
/// Most people in one profile, and labels per person.
const MAX_PEOPLE: usize = 10_000;
/// Most profiles in a registry.
const MAX_PROFILES: usize = 100;
/// Most header steps, and the furthest a step may look.
const MAX_STEPS: usize = 20;
const MAX_WITHIN: u64 = 50;

/// A problem in a profile's JSON: where (a byte range of the text), what,
/// and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileError {
    pub span: Range<usize>,
    pub message: String,
    pub help: Option<String>,
}

const FIELDS: &[&str] = &[
    "name",
    "description",
    "detect",
    "detect_lines",
    "front_matter",
    "header",
    "title_place",
    "hard_wrapped",
    "markdown",
    "labels",
    "drop",
    "drop_blocks",
    "comments",
    "end",
    "trailer",
    "link_blocks",
    "asides",
    "captions",
    "pull_quotes",
    "zones",
    "opening_remarks",
];
const FRONT_MATTER_FIELDS: &[&str] = &["title", "date", "place", "source", "tags"];
const STEP_FIELDS: &[&str] = &["match", "within", "optional", "skipped"];
const LABEL_FIELDS: &[&str] = &["question", "speaker", "people"];
const PERSON_FIELDS: &[&str] = &["name", "role", "labels", "from", "until"];
const BLOCK_FIELDS: &[&str] = &["from", "to"];
const TRAILER_FIELDS: &[&str] = &["starts", "headings", "publication_date"];
/// The named groups a header step may capture.
pub(crate) const STEP_GROUPS: &[&str] = &[
    "title", "place", "date", "year", "month", "day", "hour", "minute", "ampm", "zone", "rest",
];

/// One profile from the text of a profile file (a JSON object).
pub fn from_file_text(text: &str) -> Result<Profile, Vec<ProfileError>> {
    let (value, mut reader) = parse(text)?;
    let profile = reader.profile(&value, &[]);
    if let Some(p) = &profile
        && reader.errors.is_empty()
    {
        reader.must_detect(p, &[]);
    }
    match profile {
        Some(p) if reader.errors.is_empty() => Ok(p),
        _ => Err(reader.sorted()),
    }
}

/// The profiles of a registry (`import.profiles`, none when absent). A
/// registry that is not valid JSON gives none: the registry's own check
/// reports that.
pub fn from_registry_text(text: &str) -> Result<Vec<Profile>, Vec<ProfileError>> {
    let Ok((value, mut reader)) = parse(text) else {
        return Ok(Vec::new());
    };
    let Some(import) = value.get("import") else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    if let Some(map) = reader.object(import, &["import"], &["profiles"])
        && let Some(list) = map.get("profiles")
    {
        match list.as_array() {
            Some(items) if items.len() > MAX_PROFILES => reader.error(
                &["import", "profiles"],
                false,
                format!("at most {MAX_PROFILES} profiles are read"),
                None,
            ),
            Some(items) => {
                for (i, item) in items.iter().enumerate() {
                    let index = i.to_string();
                    let path = ["import", "profiles", index.as_str()];
                    let before = reader.errors.len();
                    if let Some(p) = reader.profile(item, &path) {
                        // Whether it detects is only known once its patterns compile.
                        if reader.errors.len() == before {
                            reader.must_detect(&p, &path);
                        }
                        out.push(p);
                    }
                }
            }
            None => reader.error(
                &["import", "profiles"],
                false,
                "`import.profiles` must be an array of profiles".into(),
                Some("see docs/import.md".into()),
            ),
        }
    }
    if reader.errors.is_empty() {
        Ok(out)
    } else {
        Err(reader.sorted())
    }
}

static BUILTIN: LazyLock<Vec<Profile>> = LazyLock::new(|| {
    [
        include_str!("../profiles/whitehouse.json"),
        include_str!("../profiles/foreign-ministry.json"),
        include_str!("../profiles/kremlin.json"),
    ]
    .iter()
    .map(|text| {
        let (value, mut reader) = parse(text).expect("a built-in profile is valid JSON");
        let profile = reader.profile(&value, &[]);
        assert!(reader.errors.is_empty(), "{:?}", reader.errors);
        profile.expect("a built-in profile is valid")
    })
    .collect()
});

/// The built-in profile named `name`.
pub(crate) fn builtin(name: &str) -> &'static Profile {
    BUILTIN
        .iter()
        .find(|p| p.name == name)
        .expect("a built-in profile of that name")
}

fn parse(text: &str) -> Result<(Value, Reader<'_>), Vec<ProfileError>> {
    let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    match serde_json::from_str::<Value>(&text[start..]) {
        Ok(v) => Ok((
            v,
            Reader {
                text,
                spans: JsonSpans::new(text),
                errors: Vec::new(),
            },
        )),
        Err(e) => {
            let at = start + offset_of(&text[start..], e.line(), e.column());
            let end = text[at..].chars().next().map_or(at, |c| at + c.len_utf8());
            let message = e.to_string();
            let what = message.split(" at line ").next().unwrap_or(&message);
            Err(vec![ProfileError {
                span: at..end,
                message: format!("not valid JSON: {what}"),
                help: Some("fix the JSON syntax".into()),
            }])
        }
    }
}

/// serde_json's 1-based line and byte column as an offset.
fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let line_start = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum::<usize>();
    crate::text::floor_char_boundary(text, line_start + column.saturating_sub(1))
}

/// The first line of a `regex` error that says what is wrong.
fn regex_problem(e: &regex::Error) -> String {
    match e {
        regex::Error::CompiledTooBig(_) => format!(
            "the pattern is too large once compiled (the limit is {} KiB); make it simpler",
            PATTERN_SIZE_LIMIT / 1024
        ),
        other => {
            let text = other.to_string();
            text.lines()
                .find_map(|l| l.strip_prefix("error: "))
                .unwrap_or(text.lines().last().unwrap_or(""))
                .to_string()
        }
    }
}

struct Reader<'a> {
    text: &'a str,
    spans: JsonSpans,
    errors: Vec<ProfileError>,
}

fn joined(base: &[&str], more: &[&str]) -> Vec<String> {
    base.iter().chain(more).map(|s| s.to_string()).collect()
}

impl Reader<'_> {
    /// The problems in the order of the text.
    fn sorted(mut self) -> Vec<ProfileError> {
        self.errors.sort_by_key(|e| e.span.start);
        self.errors
    }

    fn span(&self, path: &[&str], key: bool) -> Range<usize> {
        let found = if key {
            self.spans.key(path)
        } else {
            self.spans.value(path)
        };
        found.unwrap_or(0..self.text.len().min(1))
    }

    fn error(&mut self, path: &[&str], key: bool, message: String, help: Option<String>) {
        let span = self.span(path, key);
        self.errors.push(ProfileError {
            span,
            message,
            help,
        });
    }

    fn shape(&mut self, path: &[&str], expected: &str) {
        let joined = path.join(".");
        let what = if joined.is_empty() {
            "the profile"
        } else {
            joined.as_str()
        };
        self.error(
            path,
            false,
            format!("`{what}` must be {expected}"),
            Some("the profile format is described in docs/import.md".into()),
        );
    }

    fn object<'v>(
        &mut self,
        value: &'v Value,
        path: &[&str],
        known: &[&str],
    ) -> Option<&'v Map<String, Value>> {
        let Some(map) = value.as_object() else {
            self.shape(path, "an object");
            return None;
        };
        // An empty list of known fields: any key (a map).
        for key in map
            .keys()
            .filter(|k| !known.is_empty() && !known.contains(&k.as_str()))
        {
            let mut p = path.to_vec();
            p.push(key);
            let suggestion = did_you_mean(key, known.iter().copied());
            let help = match suggestion.first() {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!(
                    "the fields here are {}",
                    known
                        .iter()
                        .map(|k| format!("`{k}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            };
            self.error(&p, true, format!("unknown field `{key}`"), Some(help));
        }
        Some(map)
    }

    fn string(&mut self, value: &Value, path: &[&str]) -> Option<String> {
        match value.as_str() {
            Some(s) => Some(s.to_string()),
            None => {
                self.shape(path, "a string");
                None
            }
        }
    }

    fn boolean(&mut self, value: &Value, path: &[&str]) -> bool {
        value.as_bool().unwrap_or_else(|| {
            self.shape(path, "true or false");
            false
        })
    }

    fn strings(&mut self, value: &Value, path: &[&str], max: usize) -> Vec<String> {
        let Some(items) = value.as_array() else {
            self.shape(path, "an array of strings");
            return Vec::new();
        };
        if items.len() > max {
            self.shape(path, &format!("an array of at most {max} strings"));
            return Vec::new();
        }
        items
            .iter()
            .enumerate()
            .filter_map(|(i, item)| {
                let index = i.to_string();
                let mut p = path.to_vec();
                p.push(&index);
                self.string(item, &p)
            })
            .collect()
    }

    fn pattern(&mut self, value: &Value, path: &[&str]) -> Option<Regex> {
        let text = self.string(value, path)?;
        if text.chars().count() > MAX_PATTERN_CHARS {
            self.error(
                path,
                false,
                format!("this pattern is longer than {MAX_PATTERN_CHARS} characters"),
                Some("split it, or make it simpler".into()),
            );
            return None;
        }
        match RegexBuilder::new(&text)
            .size_limit(PATTERN_SIZE_LIMIT)
            .dfa_size_limit(PATTERN_SIZE_LIMIT)
            .build()
        {
            Ok(re) => Some(re),
            Err(e) => {
                self.error(
                    path,
                    false,
                    format!("this pattern does not compile: {}", regex_problem(&e)),
                    Some("patterns use the syntax of the Rust `regex` crate (no look-around, no backreferences)".into()),
                );
                None
            }
        }
    }

    fn patterns(&mut self, value: &Value, path: &[&str]) -> Vec<Regex> {
        let Some(items) = value.as_array() else {
            self.shape(path, "an array of patterns");
            return Vec::new();
        };
        items
            .iter()
            .enumerate()
            .filter_map(|(i, item)| {
                let index = i.to_string();
                let mut p = path.to_vec();
                p.push(&index);
                self.pattern(item, &p)
            })
            .collect()
    }

    fn integer(&mut self, value: &Value, path: &[&str], range: Range<u64>) -> Option<usize> {
        match value.as_u64().filter(|n| range.contains(n)) {
            Some(n) => Some(n as usize),
            None => {
                self.shape(
                    path,
                    &format!("a whole number from {} to {}", range.start, range.end - 1),
                );
                None
            }
        }
    }

    /// Requires a named group (`group`) in a pattern.
    fn needs_group(&mut self, re: &Regex, group: &str, path: &[&str]) -> bool {
        if re.capture_names().flatten().any(|n| n == group) {
            return true;
        }
        self.error(
            path,
            false,
            format!("this pattern needs a group named `{group}`: `(?<{group}>…)`"),
            None,
        );
        false
    }

    fn profile(&mut self, value: &Value, base: &[&str]) -> Option<Profile> {
        let map = self.object(value, base, FIELDS)?;
        let at = |k: &'static str| -> Vec<String> { joined(base, &[k]) };
        let mut p = Profile {
            detect_lines: 40,
            ..Profile::default()
        };
        let mut named = false;
        for (key, v) in map {
            let path_owned = at(match FIELDS.iter().find(|f| **f == key) {
                Some(f) => f,
                None => continue,
            });
            let path: Vec<&str> = path_owned.iter().map(String::as_str).collect();
            let path = path.as_slice();
            match key.as_str() {
                "name" => {
                    if let Some(name) = self.string(v, path) {
                        named = true;
                        if valid_name(&name) {
                            p.name = name;
                        } else {
                            self.error(
                                path,
                                false,
                                format!("`{name}` is not a layout name"),
                                Some("a name is 1 to 40 lowercase letters, digits and `-`, starting with a letter or digit".into()),
                            );
                        }
                    }
                }
                "description" => p.description = self.string(v, path).unwrap_or_default(),
                "detect" => p.detect = self.patterns(v, path),
                "detect_lines" => {
                    p.detect_lines = self.integer(v, path, 1..1001).unwrap_or(40);
                }
                "front_matter" => p.front_matter = self.front_matter(v, path),
                "header" => p.header = self.steps(v, path),
                "title_place" => {
                    p.title_place = self
                        .pattern(v, path)
                        .filter(|re| self.needs_group(re, "place", path));
                }
                "hard_wrapped" => p.hard_wrapped = self.boolean(v, path),
                "markdown" => p.markdown = self.boolean(v, path),
                "opening_remarks" => p.opening_remarks = self.boolean(v, path),
                "labels" => self.labels(v, path, &mut p),
                "drop" => p.drop = self.patterns(v, path),
                "drop_blocks" => p.drop_blocks = self.blocks(v, path),
                "comments" => p.comments = self.patterns(v, path),
                "end" => p.end = self.patterns(v, path),
                "trailer" => self.trailer(v, path, &mut p),
                "link_blocks" => p.link_blocks = self.strings(v, path, 100),
                "asides" => p.asides = self.patterns(v, path),
                "captions" => p.captions = self.pattern(v, path),
                "pull_quotes" => p.pull_quotes = self.boolean(v, path),
                "zones" => p.zones = self.zones(v, path),
                _ => {}
            }
        }
        if !named {
            self.error(
                base,
                false,
                "a profile needs a `name`".into(),
                Some("add `\"name\": \"my-source\"`: it is what `--layout` takes".into()),
            );
        }
        let count = p.detect.len()
            + p.header.len()
            + usize::from(p.title_place.is_some())
            + usize::from(p.question.is_some())
            + usize::from(p.speaker.is_some())
            + p.drop.len()
            + 2 * p.drop_blocks.len()
            + p.comments.len()
            + p.end.len()
            + p.asides.len()
            + usize::from(p.captions.is_some());
        if count > MAX_PATTERNS {
            self.error(
                base,
                false,
                format!("this profile has {count} patterns; at most {MAX_PATTERNS} are read"),
                None,
            );
        }
        Some(p)
    }

    /// A profile of a user's must say how to recognise its pages (checked
    /// once the rest of it is sound).
    fn must_detect(&mut self, p: &Profile, base: &[&str]) {
        if !p.detects() && !p.name.is_empty() {
            self.error(
                base,
                false,
                format!("profile `{}` would fit every page: it has no `detect` pattern and no required `header` step", p.name),
                Some("add `\"detect\": [\"…\"]` with a pattern that only this source's pages match near the top".into()),
            );
        }
    }

    fn front_matter(&mut self, v: &Value, path: &[&str]) -> Option<BTreeMap<String, String>> {
        let map = self.object(v, path, FRONT_MATTER_FIELDS)?;
        let mut out = BTreeMap::new();
        for (field, key) in map {
            if !FRONT_MATTER_FIELDS.contains(&field.as_str()) {
                continue;
            }
            let mut p = path.to_vec();
            p.push(field);
            if let Some(k) = self.string(key, &p) {
                out.insert(field.clone(), k);
            }
        }
        Some(out)
    }

    fn steps(&mut self, v: &Value, path: &[&str]) -> Vec<Step> {
        let Some(items) = v.as_array() else {
            self.shape(path, "an array of steps");
            return Vec::new();
        };
        if items.len() > MAX_STEPS {
            self.shape(path, &format!("an array of at most {MAX_STEPS} steps"));
            return Vec::new();
        }
        let mut out = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let index = i.to_string();
            let mut p = path.to_vec();
            p.push(&index);
            let Some(map) = self.object(item, &p, STEP_FIELDS) else {
                continue;
            };
            let at = |k: &'static str| {
                let mut q = p.clone();
                q.push(k);
                q
            };
            let Some(m) = map.get("match") else {
                self.error(
                    &p,
                    false,
                    "a header step needs a `match` pattern".into(),
                    None,
                );
                continue;
            };
            let Some(pattern) = self.pattern(m, &at("match")) else {
                continue;
            };
            let groups: Vec<&str> = pattern.capture_names().flatten().collect();
            if let Some(bad) = groups.iter().find(|g| !STEP_GROUPS.contains(g)) {
                self.error(
                    &at("match"),
                    false,
                    format!("unknown group `{bad}`"),
                    Some(format!(
                        "the groups a header step fills are {}",
                        STEP_GROUPS
                            .iter()
                            .map(|g| format!("`{g}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )),
                );
                continue;
            }
            let within = match map.get("within") {
                Some(w) => self
                    .integer(w, &at("within"), 1..MAX_WITHIN + 1)
                    .unwrap_or(1),
                None => 1,
            };
            let optional = map
                .get("optional")
                .is_some_and(|o| self.boolean(o, &at("optional")));
            let skipped = match map.get("skipped").map(|s| (s, s.as_str())) {
                None => Skipped::Lead,
                Some((_, Some("lead"))) => Skipped::Lead,
                Some((_, Some("place"))) => Skipped::Place,
                Some((_, Some("drop"))) => Skipped::Drop,
                Some(_) => {
                    self.shape(&at("skipped"), "one of \"lead\", \"place\", \"drop\"");
                    Skipped::Lead
                }
            };
            out.push(Step {
                pattern,
                within,
                optional,
                skipped,
            });
        }
        out
    }

    fn labels(&mut self, v: &Value, path: &[&str], p: &mut Profile) {
        let Some(map) = self.object(v, path, LABEL_FIELDS) else {
            return;
        };
        let at = |k: &'static str| {
            let mut q = path.to_vec();
            q.push(k);
            q
        };
        if let Some(q) = map.get("question") {
            p.question = self.pattern(q, &at("question"));
        }
        if let Some(s) = map.get("speaker") {
            p.speaker = self
                .pattern(s, &at("speaker"))
                .filter(|re| self.needs_group(re, "label", &at("speaker")));
        }
        if let Some(people) = map.get("people") {
            p.people = self.people(people, &at("people"));
        }
    }

    fn people(&mut self, v: &Value, path: &[&str]) -> Vec<Person> {
        let Some(items) = v.as_array() else {
            self.shape(path, "an array of people");
            return Vec::new();
        };
        if items.len() > MAX_PEOPLE {
            self.shape(path, &format!("an array of at most {MAX_PEOPLE} people"));
            return Vec::new();
        }
        let mut out = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let index = i.to_string();
            let mut p = path.to_vec();
            p.push(&index);
            let Some(map) = self.object(item, &p, PERSON_FIELDS) else {
                continue;
            };
            let at = |k: &'static str| {
                let mut q = p.clone();
                q.push(k);
                q
            };
            let name = match map.get("name") {
                Some(n) => self.string(n, &at("name")),
                None => {
                    self.error(&p, false, "a person needs a `name`".into(), None);
                    None
                }
            };
            let role = map.get("role").and_then(|r| self.string(r, &at("role")));
            let labels = match map.get("labels") {
                Some(l) => self.strings(l, &at("labels"), 100),
                None => {
                    self.error(
                        &p,
                        false,
                        "a person needs `labels`: the labels that name them".into(),
                        None,
                    );
                    Vec::new()
                }
            };
            let mut date = |k: &'static str| {
                let v = map.get(k)?;
                let s = self.string(v, &at(k))?;
                let d = iso_date(&s).filter(|_| s.len() == 10);
                if d.is_none() {
                    self.shape(&at(k), "a date written YYYY-MM-DD");
                }
                d
            };
            let (from, until) = (date("from"), date("until"));
            if let Some(name) =
                name.filter(|n| !n.trim().is_empty() && !n.contains(['(', ')', ':', '\n']))
            {
                out.push(Person {
                    name,
                    role,
                    labels,
                    from,
                    until,
                });
            } else if map.contains_key("name") {
                self.shape(&at("name"), "a name without parentheses or colons");
            }
        }
        out
    }

    fn blocks(&mut self, v: &Value, path: &[&str]) -> Vec<(Regex, Regex)> {
        let Some(items) = v.as_array() else {
            self.shape(path, "an array of blocks");
            return Vec::new();
        };
        let mut out = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let index = i.to_string();
            let mut p = path.to_vec();
            p.push(&index);
            let Some(map) = self.object(item, &p, BLOCK_FIELDS) else {
                continue;
            };
            let mut get = |k: &'static str| {
                let mut q = p.clone();
                q.push(k);
                match map.get(k) {
                    Some(v) => self.pattern(v, &q),
                    None => {
                        self.error(&p, false, format!("a block needs `{k}`"), None);
                        None
                    }
                }
            };
            if let (Some(from), Some(to)) = (get("from"), get("to")) {
                out.push((from, to));
            }
        }
        out
    }

    fn trailer(&mut self, v: &Value, path: &[&str], p: &mut Profile) {
        let Some(map) = self.object(v, path, TRAILER_FIELDS) else {
            return;
        };
        let at = |k: &'static str| {
            let mut q = path.to_vec();
            q.push(k);
            q
        };
        if let Some(s) = map.get("starts") {
            p.trailer_starts = self.strings(s, &at("starts"), 100);
        }
        if let Some(h) = map.get("headings") {
            p.trailer_headings = self.strings(h, &at("headings"), 100);
        }
        if let Some(d) = map.get("publication_date") {
            p.publication_date = self.string(d, &at("publication_date"));
        }
    }

    fn zones(&mut self, v: &Value, path: &[&str]) -> BTreeMap<String, String> {
        let Some(map) = self.object(v, path, &[]) else {
            return BTreeMap::new();
        };
        let mut out = BTreeMap::new();
        if map.len() > 500 {
            self.shape(path, "an object of at most 500 zones");
            return out;
        }
        for (zone, offset) in map {
            let mut p = path.to_vec();
            p.push(zone);
            if let Some(o) = self.string(offset, &p) {
                if is_offset(&o) {
                    out.insert(zone.clone(), o);
                } else {
                    self.error(
                        &p,
                        false,
                        format!("`{o}` is not a UTC offset"),
                        Some("write it `+03:00`, `-04:00` or `Z`".into()),
                    );
                }
            }
        }
        out
    }
}

fn valid_name(name: &str) -> bool {
    (1..=40).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !name.starts_with('-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_profiles_are_valid() {
        for name in ["whitehouse", "foreign-ministry", "kremlin"] {
            assert_eq!(builtin(name).name, name);
        }
        assert!(builtin("whitehouse").detects());
    }
}
