//! Names and roles in a label: which words can make a name, where the name
//! at the end of a long label starts (`President of Russia Vladimir Putin`),
//! and whether a label is wholly a name.

use std::collections::HashSet;

use super::words::{CONNECTORS, HONORIFICS, NOT_NAME, PARTICLES, ROLE_WORDS, SENTENCE_WORDS};

pub(super) fn is_initial(w: &str) -> bool {
    let mut cs = w.chars();
    matches!((cs.next(), cs.next(), cs.next()), (Some(a), Some('.'), None) if a.is_uppercase())
}

/// A capitalised word that can be part of a name.
fn is_name_word(w: &str) -> bool {
    if is_initial(w) {
        return true;
    }
    w.chars().next().is_some_and(char::is_uppercase)
        && w.chars()
            .all(|c| c.is_alphabetic() || matches!(c, '-' | '’' | '\''))
        && !NOT_NAME.contains(&w)
}

pub(super) fn is_role_word(w: &str) -> bool {
    let w = w
        .strip_suffix("’s")
        .or_else(|| w.strip_suffix("'s"))
        .unwrap_or(w);
    ROLE_WORDS.contains(&w)
}

pub(super) fn is_sentence_like(s: &str) -> bool {
    s.chars().any(|c| {
        matches!(
            c,
            '?' | '!' | ';' | '“' | '”' | '"' | '«' | '»' | '[' | ']' | '{' | '}' | '…' | '<' | '>'
        )
    }) || s.split_whitespace().any(|w| {
        SENTENCE_WORDS.contains(
            &w.to_lowercase()
                .trim_matches(|c: char| !c.is_alphanumeric()),
        )
    })
}

/// Whether `base` is wholly a name of two or more words (`Vladimir Putin`):
/// such labels are the short forms that long labels are matched against.
pub(crate) fn is_bare_name(base: &str) -> bool {
    let words: Vec<&str> = base.split_whitespace().collect();
    words.len() >= 2
        && words.len() <= 5
        && run_start(&words) == 0
        && !words.iter().any(|w| is_role_word(w))
        && (!HONORIFICS.contains(&words[0]) || words.len() == 2)
}

/// Index of the first word of the trailing run of name words.
fn run_start(words: &[&str]) -> usize {
    let mut start = words.len();
    while start > 0 {
        let w = words[start - 1];
        let particle_inside = PARTICLES.contains(&w)
            && start < words.len()
            && start >= 2
            && is_name_word(words[start - 2]);
        let honorific_start = HONORIFICS.contains(&w) && start < words.len();
        if is_name_word(w) || particle_inside || honorific_start {
            start -= 1;
            if honorific_start {
                break;
            }
        } else {
            break;
        }
    }
    while start < words.len() && PARTICLES.contains(&words[start]) {
        start += 1;
    }
    start
}

/// The person named at the end of `part` (one comma-separated part of a
/// label): (name, the words before it).
pub(crate) fn person_in(part: &str, bare: &HashSet<String>) -> Option<(String, String)> {
    let words: Vec<&str> = part.split_whitespace().collect();
    let start = run_start(&words);
    if start == words.len() {
        return None;
    }
    // A short form used elsewhere in the file decides.
    for s in start..words.len().saturating_sub(1) {
        let candidate = words[s..].join(" ");
        if bare.contains(&candidate) {
            return Some((candidate, words[..s].join(" ")));
        }
    }
    let run = &words[start..];
    // An acronym before the name is an organisation (`ROSCOSMOS Igor Komarov`).
    let is_org = |k: usize, w: &str| {
        is_role_word(w)
            || (k + start + 1 < words.len()
                && w.chars().filter(|c| c.is_alphabetic()).count() >= 2
                && !w.chars().any(char::is_lowercase))
    };
    let cut = run
        .iter()
        .enumerate()
        .rev()
        .find(|(k, w)| is_org(*k, w))
        .map(|(k, _)| k);
    let mut name_start = match cut {
        Some(i) => start + i + 1,
        None if start > 0 && CONNECTORS.contains(&words[start - 1]) => {
            // `… of Russia Vladimir Putin`: the first word is the role's; a
            // shorter run after `of` or `and` is the end of the role itself
            // (`Minister of Labour and Social Protection`).
            if run.len() < 3 {
                return None;
            }
            // `… of South Ossetia Leonid Tibilov`: a longer run keeps two words.
            if run.len() >= 4 {
                words.len() - 2
            } else {
                start + 1
            }
        }
        None => start,
    };
    while name_start < words.len() && PARTICLES.contains(&words[name_start]) {
        name_start += 1;
    }
    // More than three capitalised words: the name is the last two (with any
    // particles between them), the rest belongs to the role.
    let capitalised = |from: usize| {
        words[from..]
            .iter()
            .filter(|w| !PARTICLES.contains(w))
            .count()
    };
    if capitalised(name_start) > 3 {
        let mut k = words.len();
        let mut seen = 0;
        while k > name_start && seen < 2 {
            k -= 1;
            if !PARTICLES.contains(&words[k]) {
                seen += 1;
            }
        }
        name_start = k;
    }
    let name = &words[name_start..];
    if name.is_empty() || name.last().is_some_and(|w| is_role_word(w)) {
        return None;
    }
    let role_before = cut.is_some() || name_start > start;
    if name.len() == 1 && !role_before {
        return None;
    }
    if name.len() == 1 && HONORIFICS.contains(&name[0]) {
        return None;
    }
    Some((name.join(" "), words[..name_start].join(" ")))
}

/// One word that could be a speaker's name or a label squeezed together
/// (`VladimirPUTIN`).
pub(super) fn is_one_word_label(w: &str) -> bool {
    w.chars().next().is_some_and(char::is_uppercase)
        && w.chars()
            .all(|c| c.is_alphabetic() || matches!(c, '-' | '’' | '\''))
        && !NOT_NAME.contains(&w)
        && !is_role_word(w)
}

/// Words that make the capitalised words before a name a role.
const TITLE_ROLE_WORDS: &[&str] = &[
    "Minister",
    "President",
    "Governor",
    "Mayor",
    "Chairman",
    "Chairperson",
    "Director",
    "Head",
    "CEO",
    "Secretary",
    "Commissioner",
    "Ambassador",
    "Aide",
    "Chancellor",
    "Premier",
    "Speaker",
    "Chief",
    "Spokesperson",
    "Spokeswoman",
    "Spokesman",
    "Envoy",
    "Advisor",
    "Adviser",
    "Coordinator",
    "Administrator",
    "Counselor",
    "Counsellor",
    "General",
];

/// The role written before a name in running text: `Foreign Minister Sergey
/// Lavrov’s` -> `Foreign Minister`.
pub(crate) fn role_before(name: &str, text: &str) -> Option<String> {
    let at = text.find(name)?;
    let before: Vec<&str> = text[..at].split_whitespace().collect();
    let mut k = before.len();
    while k > 0 {
        let w = before[k - 1];
        let capitalised = w.chars().next().is_some_and(char::is_uppercase)
            && w.chars()
                .all(|c| c.is_alphabetic() || matches!(c, '-' | '’' | '\''));
        if capitalised || matches!(w, "of" | "the" | "for") {
            k -= 1;
        } else {
            break;
        }
    }
    while k < before.len() && matches!(before[k], "of" | "the" | "for" | "The") {
        k += 1;
    }
    let role = before[k..].join(" ");
    let has_role_word = before[k..].iter().any(|w| TITLE_ROLE_WORDS.contains(w));
    (has_role_word && !role.is_empty()).then_some(role)
}

/// Whether a name can be declared in a header and used as a turn's label:
/// one line, no colon, parentheses or brackets, nothing the parser reads as
/// markup at the start of a line.
pub(crate) fn is_speaker_name(name: &str) -> bool {
    let t = name.trim();
    !t.is_empty()
        && t == name
        && t.chars().count() <= 200
        && !t.contains([':', '(', ')', '[', ']', '{', '}', '\\', '\n', '\r'])
        && !t.starts_with(['#', '/', '-'])
        && !t.starts_with("Question")
}
