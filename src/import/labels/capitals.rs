//! Labels written in capitals (`MS. PSAKI`, `DEPUTY DIRECTOR … VALERY
//! BUKHTIYAROV`): put in ordinary case, and, where the page names the person,
//! resolved to the name and role it gives (`Jen Psaki`, `Press Secretary`).

use std::collections::HashMap;

use chrono::NaiveDate;

use super::names::{is_initial, is_role_word, role_before};
use super::words::{CONNECTORS, GENERIC, HONORIFICS, NOT_NAME, PARTICLES};
use crate::import::profile::Person;

/// A label written in capitals (`DEPUTY DIRECTOR … VALERY BUKHTIYAROV`) in
/// ordinary case, so its name and role can be told apart.
pub(crate) fn unshout(base: &str) -> Option<String> {
    let letters = base.chars().filter(|c| c.is_alphabetic()).count();
    if letters < 4 || base.chars().any(char::is_lowercase) || !base.contains(' ') {
        return None;
    }
    let words: Vec<String> = base
        .split_whitespace()
        .enumerate()
        .map(|(i, w)| {
            let lower = w.to_lowercase();
            if i > 0
                && (CONNECTORS.contains(&lower.as_str()) || PARTICLES.contains(&lower.as_str()))
            {
                return lower;
            }
            let mut out = String::new();
            let mut start_of_part = true;
            for c in lower.chars() {
                if start_of_part && c.is_alphabetic() {
                    out.extend(c.to_uppercase());
                    start_of_part = false;
                } else {
                    out.push(c);
                    if c == '-' {
                        start_of_part = true;
                    }
                }
            }
            out
        })
        .collect();
    Some(words.join(" "))
}

/// Words of a label that say who someone is without naming them.
const UNNAMED: &[&str] = &[
    "Official",
    "Officials",
    "Operator",
    "Aide",
    "Member",
    "Customer",
    "Photojournalist",
    "Staff",
    "Crew",
    "Audience",
    "Reporter",
    "Reporters",
    "Participant",
    "Interpreter",
    "Moderator",
    "Spokesperson",
    "Administration",
    "One",
    "Two",
    "Three",
    "Four",
];

/// Honorifics as labels write them, without their dot (`MS.`, `Dr.`).
const LABEL_HONORIFICS: &[&str] = &[
    "Mr", "Ms", "Mrs", "Miss", "Mx", "Dr", "Sir", "Madam", "Dame", "Rev", "Hon", "The",
];

/// A word of a label's role prefix (beyond the role words of long labels).
const ROLE_PREFIX: &[&str] = &[
    "Acting",
    "Senior",
    "Principal",
    "Special",
    "National",
    "Vice",
    "First",
    "Lady",
    "Prime",
    "Surgeon",
    "Administrator",
    "Coordinator",
    "Adviser",
    "Advisor",
    "Counselor",
    "Counsellor",
    "Envoy",
    "Congressman",
    "Congresswoman",
    "Senator",
    "Representative",
    "Chancellor",
    "King",
    "Queen",
    "Prince",
    "Princess",
    "Emir",
    "Sheikh",
    "Crown",
    "Doctor",
    "Doctors",
    "Drs",
    "Professor",
    "Messrs",
];

/// `word` with only the first letter of each of its parts capital
/// (`JEAN-PIERRE` -> `Jean-Pierre`).
fn title_case(word: &str) -> String {
    let mut out = String::new();
    let mut start_of_part = true;
    for c in word.chars() {
        if start_of_part && c.is_alphabetic() {
            out.extend(c.to_uppercase());
            start_of_part = false;
        } else {
            out.extend(c.to_lowercase());
            if c == '-' {
                start_of_part = true;
            }
        }
    }
    out
}

fn bare(word: &str) -> String {
    title_case(word.trim_end_matches('.'))
}

/// The core of a word of running text: without quotes, brackets, final
/// punctuation and a possessive `’s`.
fn core(token: &str) -> &str {
    let t = token.trim_matches(|c: char| {
        matches!(
            c,
            '“' | '”'
                | '"'
                | '‘'
                | '('
                | ')'
                | '['
                | ']'
                | ','
                | ';'
                | ':'
                | '!'
                | '?'
                | '*'
                | '’'
                | '\''
        )
    });
    let t = t
        .strip_suffix("’s")
        .or_else(|| t.strip_suffix("'s"))
        .unwrap_or(t);
    if is_initial(t) {
        t
    } else {
        t.trim_end_matches('.')
    }
}

/// A word that can be part of a person's name in running text.
fn is_name_token(w: &str) -> bool {
    if is_initial(w) {
        return true;
    }
    let letters = w.chars().filter(|c| c.is_alphabetic()).count();
    w.chars().next().is_some_and(char::is_uppercase)
        && w.chars().any(char::is_lowercase)
        && letters >= 2
        && w.chars()
            .all(|c| c.is_alphabetic() || matches!(c, '-' | '’' | '\''))
        && !NOT_NAME.contains(&w)
        && !HONORIFICS.contains(&w)
        && !is_role_word(w)
        && !ROLE_PREFIX.contains(&w)
}

/// People named in full in `text` (`… Press Secretary Jen Psaki …`): by their
/// last name in lower case, the first full form written; and every word's
/// first spelling in ordinary case (`mccarthy` -> `McCarthy`).
fn names_in(
    text: &str,
    names: &mut HashMap<String, String>,
    spellings: &mut HashMap<String, String>,
) {
    let tokens: Vec<&str> = text.split_whitespace().collect();
    // A label in capitals at the start (`MS. PSAKI:`) is not running text.
    let label_end = tokens
        .iter()
        .take(10)
        .position(|t| t.ends_with(':'))
        .filter(|&k| {
            tokens[..=k]
                .iter()
                .all(|t| !t.chars().any(char::is_lowercase))
        })
        .map_or(0, |k| k + 1);
    for (i, token) in tokens.iter().enumerate() {
        let word = core(token);
        let capital = word.chars().next().is_some_and(char::is_uppercase);
        if capital && word.chars().any(char::is_lowercase) {
            // The first spelling in ordinary case wins over an acronym's.
            let known = spellings.get(&word.to_lowercase());
            if known.is_none_or(|k| !k.chars().any(char::is_lowercase)) {
                spellings.insert(word.to_lowercase(), word.to_string());
            }
        } else if capital
            && i >= label_end
            && (2..=4).contains(&word.chars().count())
            && word.chars().all(char::is_uppercase)
            && !token.ends_with(['.', ':'])
            && !tokens.get(i + 1).is_some_and(|t| t.ends_with(':'))
        {
            // An acronym (`NSC`), unless the word is also written otherwise.
            spellings
                .entry(word.to_lowercase())
                .or_insert_with(|| word.to_string());
        }
        if !is_name_token(word) || is_initial(word) {
            continue;
        }
        // One first name, with any initials after it (`Vivek H. Murthy`).
        let mut start = i;
        while start > 0 {
            let before = tokens[start - 1];
            let w = core(before);
            let joined = !before.ends_with([',', ';', ':', '”', '"', ')'])
                && (is_initial(w) || !before.ends_with('.'));
            if !(joined && is_name_token(w)) {
                break;
            }
            start -= 1;
            if !is_initial(w) {
                break;
            }
        }
        if start < i && is_initial(core(tokens[start])) {
            continue;
        }
        if start < i {
            let full: Vec<&str> = tokens[start..=i].iter().map(|t| core(t)).collect();
            names
                .entry(word.to_lowercase())
                .or_insert_with(|| full.join(" "));
        }
    }
}

/// What resolves labels to people: the profile's people for the page's
/// date, the people the title names (with their roles) and those the page
/// names, and how the page spells words.
#[derive(Debug, Default)]
pub(crate) struct NameContext {
    people: Vec<Person>,
    date: Option<NaiveDate>,
    title: String,
    in_title: HashMap<String, String>,
    in_page: HashMap<String, String>,
    spellings: HashMap<String, String>,
}

impl NameContext {
    pub fn new<'a>(
        people: &[Person],
        date: Option<NaiveDate>,
        title: &str,
        page: impl IntoIterator<Item = &'a str>,
    ) -> Self {
        let mut cx = NameContext {
            people: people.to_vec(),
            date,
            title: title.split_whitespace().collect::<Vec<_>>().join(" "),
            ..NameContext::default()
        };
        names_in(&cx.title.clone(), &mut cx.in_title, &mut cx.spellings);
        for text in page {
            names_in(text, &mut cx.in_page, &mut cx.spellings);
        }
        cx
    }

    /// A word of a label as the page spells it, else in ordinary case.
    fn spelt(&self, word: &str) -> String {
        let plain = word.trim_end_matches('.');
        match self.spellings.get(&plain.to_lowercase()) {
            Some(s) if word.ends_with('.') => format!("{s}."),
            Some(s) => s.clone(),
            None if word.chars().any(char::is_lowercase) => word.to_string(),
            None => {
                let t = title_case(plain);
                if word.ends_with('.') {
                    format!("{t}.")
                } else {
                    t
                }
            }
        }
    }

    /// The label in ordinary case, spelt as the page spells its words.
    fn ordinary(&self, words: &[&str]) -> String {
        words
            .iter()
            .enumerate()
            .map(|(i, w)| {
                let lower = w.to_lowercase();
                if i > 0
                    && (CONNECTORS.contains(&lower.as_str()) || PARTICLES.contains(&lower.as_str()))
                {
                    lower
                } else {
                    self.spelt(w)
                }
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The speaker a label names, and their role: a person of the profile
    /// holding the label; else the person the title or the page names with
    /// the label's last name (`MS. PSAKI` -> `Jen Psaki`, role from the title:
    /// `Press Secretary`); else the label in ordinary case (`Senior
    /// Administration Official`, `Dr. Fauci`).
    pub fn resolve(&self, label: &str) -> (String, Option<String>) {
        let words: Vec<&str> = label.split_whitespace().collect();
        let title_role = |name: &str| role_before(name, &self.title);
        if let Some(p) = self.people.iter().find(|p| p.holds(label, self.date)) {
            let role = title_role(&p.name).or_else(|| p.role.clone());
            return (p.name.clone(), role);
        }
        let is_prefix = |w: &str| {
            let b = bare(w);
            LABEL_HONORIFICS.contains(&b.as_str())
                || is_role_word(&b)
                || ROLE_PREFIX.contains(&b.as_str())
        };
        let split = words
            .iter()
            .position(|w| !is_prefix(w))
            .unwrap_or(words.len());
        let (prefix, rest) = words.split_at(split);
        let unnamed = rest.last().is_none_or(|w| {
            let b = bare(w);
            UNNAMED.contains(&b.as_str()) || GENERIC.contains(&b.as_str()) || is_role_word(&b)
        });
        if unnamed {
            return (self.ordinary(&words), None);
        }
        let role_words: Vec<&str> = prefix
            .iter()
            .copied()
            .filter(|w| !LABEL_HONORIFICS.contains(&bare(w).as_str()))
            .collect();
        let label_role = (!role_words.is_empty()).then(|| self.ordinary(&role_words));
        // A first name given as an initial (`S. PSAKI`) is looked up by the last.
        let initial = rest.len() == 2 && is_initial(rest[0]);
        if rest.len() >= 2 && !initial {
            return (self.ordinary(rest), label_role);
        }
        let surname = bare(rest[rest.len() - 1]).to_lowercase();
        if let Some(full) = self.in_title.get(&surname) {
            return (full.clone(), title_role(full).or(label_role));
        }
        if let Some(full) = self.in_page.get(&surname) {
            return (full.clone(), label_role);
        }
        (self.ordinary(&words), None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cx(title: &str, page: &str) -> NameContext {
        let biden = Person {
            name: "Joe Biden".into(),
            role: Some("President of the United States".into()),
            labels: vec!["THE PRESIDENT".into()],
            from: NaiveDate::from_ymd_opt(2021, 1, 20),
            until: NaiveDate::from_ymd_opt(2025, 1, 20),
        };
        NameContext::new(&[biden], NaiveDate::from_ymd_opt(2021, 5, 1), title, [page])
    }

    #[test]
    fn capitals_resolve_to_people_the_page_names() {
        let c = cx(
            "Press Briefing by Press Secretary Jen\u{a0}Psaki, Special Presidential Envoy for Climate John Kerry, and National Climate Advisor Gina McCarthy, January 27, 2021",
            "MS. PSAKI: joined by Dr. Rochelle Walensky and “Secretary Mayorkas”.",
        );
        let r = |l: &str| c.resolve(l);
        assert_eq!(
            r("MS. PSAKI"),
            ("Jen Psaki".into(), Some("Press Secretary".into()))
        );
        assert_eq!(r("S. PSAKI").0, "Jen Psaki");
        assert_eq!(
            r("SECRETARY KERRY"),
            (
                "John Kerry".into(),
                Some("Special Presidential Envoy for Climate".into())
            )
        );
        assert_eq!(
            r("ADMINISTRATOR MCCARTHY"),
            (
                "Gina McCarthy".into(),
                Some("National Climate Advisor".into())
            )
        );
        assert_eq!(r("DR. WALENSKY"), ("Rochelle Walensky".into(), None));
        assert_eq!(r("SECRETARY MAYORKAS"), ("Secretary Mayorkas".into(), None));
        assert_eq!(
            r("THE PRESIDENT"),
            (
                "Joe Biden".into(),
                Some("President of the United States".into())
            )
        );
        assert_eq!(
            r("SENIOR ADMINISTRATION OFFICIAL"),
            ("Senior Administration Official".into(), None)
        );
        assert_eq!(
            r("SENIOR ADMINISTRATION OFFICIAL ONE").0,
            "Senior Administration Official One"
        );
        assert_eq!(r("MODERATOR"), ("Moderator".into(), None));
        assert_eq!(r("DR. FAUCI"), ("Dr. Fauci".into(), None));
        assert_eq!(r("MS. NATALIE BIDEN"), ("Natalie Biden".into(), None));
        assert_eq!(r("MS. JEAN-PIERRE"), ("Ms. Jean-Pierre".into(), None));
    }
}
