//! Speaker labels of raw paragraphs: finds the `LABEL:` that opens a turn,
//! removes the site's tooltip text from it, keeps a final parenthesis as
//! context (`(retranslated)`), and splits a long label into name and role
//! (`President of Russia Vladimir Putin` -> `Vladimir Putin`, role
//! `President of Russia`). Question labels keep their attribution.

use std::collections::HashSet;

/// A declared speaker: the label used in the body and the role for the header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Speaker {
    pub name: String,
    pub role: Option<String>,
}

/// A raw label taken apart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LabelParts {
    /// The label as written, without the colon.
    pub raw: String,
    /// The label without tooltip text and without a final parenthesis.
    pub base: String,
    /// The text of a final parenthesis: `retranslated`, `responding to …`.
    pub context: Option<String>,
    /// Site tooltip text removed from the label.
    pub tooltip: Option<String>,
    /// The text after the colon on the first line.
    pub rest: String,
}

/// What a label says about its turn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum LabelKind {
    Question {
        attribution: Option<String>,
    },
    /// A person: the name used as the label, and the role if the label had one.
    Person {
        name: String,
        role: Option<String>,
    },
    /// A generic speaker such as `Remark` or `Presenter`.
    Generic(String),
    /// One capitalised word (`Alina`, `France`): a turn only where the
    /// paragraphs around it are turns too.
    Single {
        word: String,
        role: Option<String>,
    },
}

/// Longest raw label considered, in characters (labels with tooltips are long).
const MAX_LABEL_CHARS: usize = 320;

/// Particles that may stand inside a name.
const PARTICLES: &[&str] = &[
    "de", "da", "del", "della", "di", "du", "der", "den", "van", "von", "zu", "al", "el", "bin",
    "ibn", "ben", "la", "le", "dos", "das", "y", "ter", "bin", "ul",
];

/// Capitalised words that never start or make a name.
const NOT_NAME: &[&str] = &[
    "The", "A", "An", "This", "That", "These", "Those", "Our", "My", "Your", "His", "Her", "Their",
    "Its", "In", "On", "At", "For", "From", "To", "By", "With", "And", "But", "Or", "So", "Then",
    "Now", "Here", "There", "What", "Why", "How", "When", "Where", "Who", "Which", "As", "If",
    "It", "We", "You", "They", "He", "She", "I", "Yes", "No", "Well", "Thank", "Let", "Please",
    "Also", "Just", "One", "Two", "Three", "First", "Second", "Third", "Next", "Another", "Last",
    "Finally", "Question", "Answer", "Note", "See", "Mr", "Ms", "Mrs",
];

/// Honorifics that may open a name (`Mr Kerry`).
const HONORIFICS: &[&str] = &["Mr", "Ms", "Mrs", "Dr", "Sir", "Madam"];

/// Words of roles and organisations: a name never ends with one, and the name
/// in a long label starts after the last one.
const ROLE_WORDS: &[&str] = &[
    "Minister",
    "Ministry",
    "President",
    "Vice-President",
    "Premier",
    "Governor",
    "Mayor",
    "Chairman",
    "Chairwoman",
    "Chairperson",
    "Chair",
    "Co-Chair",
    "Director",
    "Director-General",
    "Head",
    "CEO",
    "CFO",
    "COO",
    "Chief",
    "Deputy",
    "Secretary",
    "Secretary-General",
    "Commissioner",
    "Ombudsman",
    "Ambassador",
    "Envoy",
    "Aide",
    "Adviser",
    "Advisor",
    "Assistant",
    "Spokesman",
    "Spokeswoman",
    "Spokesperson",
    "Speaker",
    "Press",
    "Prosecutor",
    "Prosecutor-General",
    "General",
    "Admiral",
    "Marshal",
    "Colonel",
    "Lieutenant",
    "Major",
    "Commander",
    "Commander-in-Chief",
    "Officer",
    "Rector",
    "Dean",
    "Professor",
    "Academician",
    "Editor",
    "Editor-in-Chief",
    "Correspondent",
    "Journalist",
    "Reporter",
    "Presenter",
    "Host",
    "Anchor",
    "Moderator",
    "Founder",
    "Co-founder",
    "Owner",
    "Coach",
    "Captain",
    "Member",
    "Representative",
    "Senator",
    "Manager",
    "Executive",
    "Partner",
    "Analyst",
    "Expert",
    "Researcher",
    "Scientist",
    "Teacher",
    "Student",
    "Pilot",
    "Worker",
    "Leader",
    "Writer",
    "Actor",
    "Actress",
    "Singer",
    "Musician",
    "Composer",
    "Artist",
    "Painter",
    "Poet",
    "Conductor",
    "Athlete",
    "Player",
    "Skater",
    "Wrestler",
    "Boxer",
    "Footballer",
    "Cosmonaut",
    "Astronaut",
    "Businessman",
    "Businesswoman",
    "Entrepreneur",
    "Farmer",
    "Engineer",
    "Designer",
    "Architect",
    "Economist",
    "Historian",
    "Philosopher",
    "Blogger",
    "Activist",
    "Volunteer",
    "Priest",
    "Metropolitan",
    "Archbishop",
    "Bishop",
    "Mufti",
    "Rabbi",
    "Imam",
    "Commission",
    "Committee",
    "Council",
    "Board",
    "Corporation",
    "Company",
    "Bank",
    "Agency",
    "Service",
    "Union",
    "Federation",
    "Republic",
    "Kingdom",
    "States",
    "Region",
    "Territory",
    "Fund",
    "Foundation",
    "Club",
    "Party",
    "University",
    "Academy",
    "Institute",
    "Centre",
    "Center",
    "Group",
    "Court",
    "Duma",
    "Assembly",
    "Office",
    "Administration",
    "Government",
    "Chamber",
    "Department",
    "Directorate",
    "Inspectorate",
    "Guard",
    "Forces",
    "Army",
    "Navy",
    "Fleet",
    "District",
    "City",
    "Oblast",
    "Krai",
    "Area",
    "Authority",
    "Holding",
    "Association",
    "Society",
    "Organisation",
    "Organization",
    "Programme",
    "Program",
    "Project",
    "Forum",
    "Channel",
    "Radio",
    "Television",
    "TV",
    "News",
    "Media",
    "Network",
    "Newspaper",
    "Magazine",
    "Staff",
    "Affairs",
    "Station",
    "School",
    "Hospital",
    "Plant",
    "Factory",
    "Works",
    "Team",
    "Championship",
    "Festival",
    "Contest",
    "Nations",
    "Emirates",
    "Islands",
    "Affairs",
    "Agriculture",
    "Healthcare",
    "Defence",
    "Defense",
    "Finance",
    "Energy",
    "Transport",
    "Education",
    "Culture",
    "Justice",
    "Labour",
    "Sport",
    "Sports",
    "Industry",
    "Trade",
    "Science",
    "Economy",
    "Development",
    "Construction",
    "Communications",
    "Resources",
    "Environment",
    "Interior",
    "Emergencies",
    "Tourism",
    "Policy",
    "Inc",
    "Ltd",
    "LLC",
    "PJSC",
    "JSC",
    "OJSC",
    "Paramedic",
    "Sergeant",
    "Nurse",
    "Doctor",
    "Driver",
    "Operator",
    "Mechanic",
    "Miner",
    "Soldier",
    "Corporal",
    "Cadet",
    "Welder",
    "Veteran",
    "Pensioner",
    "Resident",
    "Chef",
    "Grandmaster",
    "Monitoring",
    "Protection",
    "Relations",
    "Activities",
    "Infrastructure",
    "Communities",
    "Business",
    "Security",
    "Safety",
    "Supervision",
    "Planning",
    "Cooperation",
    "Integration",
    "Technologies",
    "Technology",
    "Systems",
    "Research",
    "Studies",
    "Sciences",
    "Health",
    "Welfare",
    "Rights",
    "Ecology",
    "Aviation",
    "Railways",
    "Roads",
    "Rosneft",
    "Gazprom",
    "Sberbank",
    "Rostec",
    "Rosatom",
    "Roscosmos",
];

/// Words that make a label a sentence rather than a role (lowercase).
const SENTENCE_WORDS: &[&str] = &[
    "i",
    "we",
    "you",
    "he",
    "she",
    "they",
    "it",
    "is",
    "are",
    "was",
    "were",
    "be",
    "been",
    "am",
    "said",
    "says",
    "say",
    "asked",
    "asks",
    "ask",
    "wrote",
    "writes",
    "told",
    "tells",
    "will",
    "would",
    "can",
    "could",
    "should",
    "must",
    "may",
    "might",
    "have",
    "has",
    "had",
    "do",
    "does",
    "did",
    "here",
    "there",
    "this",
    "that",
    "these",
    "those",
    "my",
    "our",
    "your",
    "me",
    "us",
    "his",
    "her",
    "their",
    "them",
    "what",
    "why",
    "how",
    "when",
    "where",
    "which",
    "who",
    "not",
    "no",
    "yes",
    "just",
    "let",
    "only",
    "also",
    "if",
    "so",
    "but",
    "because",
    "then",
    "now",
    "very",
    "well",
    "example",
    "question",
    "thing",
    "like",
    "follows",
    "following",
    "following:",
    "repeat",
    "look",
    "said:",
    "quote",
    "reads",
    "says:",
];

/// Labels of unnamed speakers.
const GENERIC: &[&str] = &[
    "Remark",
    "Remarks",
    "Reply",
    "Replies",
    "Comment",
    "Speaker",
    "Presenter",
    "Moderator",
    "Host",
    "Answer",
    "Response",
    "Voice",
    "Voices",
    "Audience",
    "Participant",
    "Participants",
    "Journalist",
    "Journalists",
    "Correspondent",
    "Interpreter",
    "Translator",
    "Volunteers",
    "Volunteer",
    "Anchor",
    "Announcer",
    "Narrator",
    "Interviewer",
    "Students",
    "Pupils",
    "Children",
    "Voice from the audience",
    "Voices from the audience",
    "Remark from the audience",
    "Reply from the audience",
    "Comment from the audience",
    "Unidentified speaker",
    "Off-screen voice",
];

/// Connectors after which the first capitalised word belongs to the role
/// (`President of Russia Vladimir Putin`).
const CONNECTORS: &[&str] = &[
    "of", "for", "the", "and", "in", "on", "at", "to", "with", "from", "by", "under", "between",
];

/// Finds the label of a paragraph's first line: the text before the first
/// colon followed by a space or the end of the line.
pub(crate) fn split_label(line: &str) -> Option<LabelParts> {
    let mut colon = None;
    for (i, c) in line.char_indices() {
        if c == ':' {
            let after = &line[i + 1..];
            if after.is_empty() || after.starts_with(char::is_whitespace) {
                colon = Some(i);
                break;
            }
        }
    }
    let colon = colon?;
    let raw = line[..colon].trim_end();
    if raw.is_empty() || raw.chars().count() > MAX_LABEL_CHARS {
        return None;
    }
    let rest = line[colon + 1..].trim().to_string();
    // The site's tooltip: `Name     Surname FirstnameCurrent role (context)`.
    let (mut base, mut tooltip, mut tail) = (raw.to_string(), None, String::new());
    if let Some(i) = raw.find("   ") {
        base = raw[..i].trim().to_string();
        let right = raw[i..].trim();
        // A final parenthesis after the tooltip is the label's context.
        match final_parenthesis(right) {
            Some((before, ctx)) => {
                tooltip = Some(before.trim().to_string()).filter(|s| !s.is_empty());
                tail = format!("({ctx})");
            }
            None => tooltip = Some(right.to_string()).filter(|s| !s.is_empty()),
        }
    }
    let mut context = None;
    let with_tail = if tail.is_empty() {
        base.clone()
    } else {
        format!("{base} {tail}")
    };
    if let Some((before, ctx)) = final_parenthesis(&with_tail) {
        base = before.trim().to_string();
        context = Some(ctx.trim().to_string()).filter(|s| !s.is_empty());
    }
    if base.is_empty() {
        return None;
    }
    Some(LabelParts {
        raw: raw.to_string(),
        base,
        context,
        tooltip,
        rest,
    })
}

/// `text (inner)` -> (`text`, `inner`), the parenthesis balanced.
fn final_parenthesis(s: &str) -> Option<(&str, &str)> {
    let inner_end = s.strip_suffix(')')?.len();
    let mut depth = 0usize;
    for (i, c) in s[..inner_end].char_indices().rev() {
        match c {
            ')' => depth += 1,
            '(' if depth == 0 => return Some((&s[..i], &s[i + 1..inner_end])),
            '(' => depth -= 1,
            _ => {}
        }
    }
    None
}

fn is_initial(w: &str) -> bool {
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

fn is_role_word(w: &str) -> bool {
    let w = w
        .strip_suffix("’s")
        .or_else(|| w.strip_suffix("'s"))
        .unwrap_or(w);
    ROLE_WORDS.contains(&w)
}

fn is_sentence_like(s: &str) -> bool {
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
fn person_in(part: &str, bare: &HashSet<String>) -> Option<(String, String)> {
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

/// A label written in capitals (`DEPUTY DIRECTOR … VALERY BUKHTIYAROV`) in
/// ordinary case, so its name and role can be told apart.
fn unshout(base: &str) -> Option<String> {
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

/// Classifies a label. `bare` holds the labels of the file that are wholly a
/// name, so long labels can be matched to them.
pub(crate) fn classify(parts: &LabelParts, bare: &HashSet<String>) -> Option<LabelKind> {
    let unshouted = unshout(&parts.base);
    let base = unshouted.as_deref().unwrap_or(parts.base.as_str());
    if base == "Question" {
        return Some(LabelKind::Question {
            attribution: parts.context.clone(),
        });
    }
    if let Some(rest) = base.strip_prefix("Question ")
        && (rest.starts_with("from ") || rest.starts_with("to "))
    {
        let attribution = match &parts.context {
            Some(c) => format!("{rest}, {c}"),
            None => rest.to_string(),
        };
        return Some(LabelKind::Question {
            attribution: Some(attribution),
        });
    }
    if GENERIC.contains(&base) {
        return Some(LabelKind::Generic(base.to_string()));
    }
    if is_sentence_like(base) {
        return None;
    }
    let parts_list: Vec<&str> = base.split(',').map(str::trim).collect();
    if parts_list.iter().any(|p| p.is_empty()) || parts_list.len() > 4 {
        return None;
    }
    // A part that is wholly a name (`Alexander Duimamet, welding engineer at …`).
    if parts_list.len() > 1
        && let Some(k) = parts_list.iter().rposition(|p| is_bare_name(p))
    {
        let role: Vec<&str> = parts_list
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != k)
            .map(|(_, p)| *p)
            .collect();
        return Some(LabelKind::Person {
            name: parts_list[k].to_string(),
            role: Some(role.join(", ")),
        });
    }
    // The last part that ends with a person gives the name; the rest is role.
    for (k, part) in parts_list.iter().enumerate().rev() {
        if let Some((name, before)) = person_in(part, bare) {
            let mut role_parts: Vec<String> = Vec::new();
            role_parts.extend(parts_list[..k].iter().map(|s| s.to_string()));
            if !before.is_empty() {
                role_parts.push(before);
            }
            role_parts.extend(parts_list[k + 1..].iter().map(|s| s.to_string()));
            let role = role_parts.join(", ");
            if role.split_whitespace().count() > 40
                || role.starts_with(char::is_lowercase) && role.split_whitespace().count() < 2
            {
                return None;
            }
            // A role must read like one: it starts with a capital or is a known form.
            let role = (!role.is_empty()).then_some(role);
            return Some(LabelKind::Person { name, role });
        }
    }
    // One capitalised word, perhaps with a place: `Alina`, `Dmitry, Moscow`.
    let first = parts_list[0];
    let place_only = parts_list[1..]
        .iter()
        .all(|p| !p.chars().any(|c| c.is_numeric()));
    if !first.contains(' ') && is_one_word_label(first) && place_only {
        let role = (parts_list.len() > 1).then(|| parts_list[1..].join(", "));
        return Some(LabelKind::Single {
            word: first.to_string(),
            role,
        });
    }
    None
}

/// One word that could be a speaker's name or a label squeezed together
/// (`VladimirPUTIN`).
fn is_one_word_label(w: &str) -> bool {
    w.chars().next().is_some_and(char::is_uppercase)
        && w.chars()
            .all(|c| c.is_alphabetic() || matches!(c, '-' | '’' | '\''))
        && !NOT_NAME.contains(&w)
        && !is_role_word(w)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(label: &str, bare: &[&str]) -> Option<(String, Option<String>)> {
        let bare: HashSet<String> = bare.iter().map(|s| s.to_string()).collect();
        let parts = split_label(&format!("{label}: text"))?;
        match classify(&parts, &bare)? {
            LabelKind::Person { name, role } => Some((name, role)),
            other => panic!("{label}: {other:?}"),
        }
    }

    #[test]
    fn long_labels() {
        let cases = [
            (
                "President of Russia Vladimir Putin",
                "Vladimir Putin",
                Some("President of Russia"),
            ),
            ("Vladimir Putin", "Vladimir Putin", None),
            (
                "Research Director of the Foundation for Development and Support of the Valdai Discussion Club, moderator Fyodor Lukyanov",
                "Fyodor Lukyanov",
                Some(
                    "Research Director of the Foundation for Development and Support of the Valdai Discussion Club, moderator",
                ),
            ),
            (
                "Sports commentator Dmitry Guberniyev, ceremony moderator",
                "Dmitry Guberniyev",
                Some("Sports commentator, ceremony moderator"),
            ),
            (
                "Minister of Foreign Affairs of the Lao People’s Democratic Republic Saleumxay Kommasith",
                "Saleumxay Kommasith",
                Some("Minister of Foreign Affairs of the Lao People’s Democratic Republic"),
            ),
            (
                "Gazprom CEO Alexei Miller",
                "Alexei Miller",
                Some("Gazprom CEO"),
            ),
            (
                "chairman of the Eurasian Economic Commission Board Viktor Khristenko",
                "Viktor Khristenko",
                Some("chairman of the Eurasian Economic Commission Board"),
            ),
            (
                "Minister of Construction, Housing and Utilities Mikhail Men",
                "Mikhail Men",
                Some("Minister of Construction, Housing and Utilities"),
            ),
            (
                "Valeriya Korableva, reporter at Channel One",
                "Valeriya Korableva",
                Some("reporter at Channel One"),
            ),
            ("Dmitry de Koshko", "Dmitry de Koshko", None),
            ("A. Repik", "A. Repik", None),
            ("Patriarch Kirill", "Patriarch Kirill", None),
            (
                "Special Representative of the French Government on relations with Russia Jean-Pierre Chevenement",
                "Jean-Pierre Chevenement",
                Some("Special Representative of the French Government on relations with Russia"),
            ),
            (
                "General Director of State Space Corporation ROSCOSMOS Igor Komarov",
                "Igor Komarov",
                Some("General Director of State Space Corporation ROSCOSMOS"),
            ),
            (
                "Alexander Duimamet, welding engineer at a branch of JSC AEM-technology ATOMMASH",
                "Alexander Duimamet",
                Some("welding engineer at a branch of JSC AEM-technology ATOMMASH"),
            ),
            (
                "Head of the Federal Service for Financial Monitoring Yury Chikhanchin",
                "Yury Chikhanchin",
                Some("Head of the Federal Service for Financial Monitoring"),
            ),
            (
                "DEPUTY DIRECTOR OF THE INSTITUTE OF CATALYSIS VALERY BUKHTIYAROV",
                "Valery Bukhtiyarov",
                Some("Deputy Director of the Institute of Catalysis"),
            ),
            ("Vladimir PUTIN", "Vladimir PUTIN", None),
            (
                "Minister of Labour and Social Protection Maxim Topilin",
                "Maxim Topilin",
                Some("Minister of Labour and Social Protection"),
            ),
        ];
        for (label, name, role) in cases {
            let got = person(label, &[]).unwrap_or_else(|| panic!("{label}: no person"));
            assert_eq!(got, (name.to_string(), role.map(str::to_string)), "{label}");
        }
        assert_eq!(
            person("Writer Eduard Bagirov", &["Eduard Bagirov"])
                .unwrap()
                .0,
            "Eduard Bagirov"
        );
        assert_eq!(
            person(
                "President of Turkey Recep Tayyip Erdogan",
                &["Recep Tayyip Erdogan"]
            )
            .unwrap()
            .0,
            "Recep Tayyip Erdogan"
        );
    }

    #[test]
    fn tooltips_and_context() {
        let p = split_label("Prime Minister Dmitry Medvedev     Medvedev DmitryDeputy Chairman of the Security Council : Mr President").unwrap();
        assert_eq!(p.base, "Prime Minister Dmitry Medvedev");
        assert_eq!(p.rest, "Mr President");
        assert!(p.tooltip.is_some());
        let p = split_label(
            "President of Egypt Mohamed Morsi     Morsi Mohamed  (retranslated): Hello",
        )
        .unwrap();
        assert_eq!(p.base, "President of Egypt Mohamed Morsi");
        assert_eq!(p.context.as_deref(), Some("retranslated"));
        let p = split_label(
            "Vladimir Putin (responding to remarks by test pilot Magomed Tolboyev): First",
        )
        .unwrap();
        assert_eq!(p.base, "Vladimir Putin");
        assert_eq!(
            p.context.as_deref(),
            Some("responding to remarks by test pilot Magomed Tolboyev")
        );
    }

    #[test]
    fn not_labels() {
        let bare = HashSet::new();
        for line in [
            "I repeat: yes",
            "The United Kingdom: “Secession”",
            "For example: this",
            "Interior Minister: Vladimir Kolokoltsev.",
            "Here is what Ms Clinton wrote: text",
            "From left: Aide",
            "Moscow, June 16: text",
        ] {
            let kind = split_label(line).and_then(|p| classify(&p, &bare));
            assert!(
                !matches!(
                    kind,
                    Some(
                        LabelKind::Person { .. }
                            | LabelKind::Question { .. }
                            | LabelKind::Generic(_)
                    )
                ),
                "{line}: {kind:?}"
            );
        }
        let q = split_label("Question from Perm Territory: Hello").unwrap();
        assert_eq!(
            classify(&q, &bare),
            Some(LabelKind::Question {
                attribution: Some("from Perm Territory".into())
            })
        );
        let s = split_label("Dmitry, Moscow: Good afternoon").unwrap();
        assert_eq!(
            classify(&s, &bare),
            Some(LabelKind::Single {
                word: "Dmitry".into(),
                role: Some("Moscow".into())
            })
        );
    }
}
