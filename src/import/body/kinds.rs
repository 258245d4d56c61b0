//! What an unlabelled paragraph is, beyond speech: a separator, an
//! elision, a whole paragraph in parentheses, a site's pull quote or photo
//! caption; and two tests on labels: an organisation in a label's
//! parenthesis, and near-duplicate labels.

use regex::Regex;

use super::super::lines::Paragraph;

/// Words that show a paragraph is speech, not a caption or a lead.
const FIRST_PERSON: &[&str] = &[
    "i", "we", "you", "my", "our", "your", "me", "us", "i’m", "i'm", "we’re", "we're", "let’s",
    "let's", "i’d", "i'd",
];

fn words_lower(s: &str) -> impl Iterator<Item = String> + '_ {
    s.split_whitespace().map(|w| {
        w.trim_matches(|c: char| !c.is_alphanumeric() && c != '’' && c != '\'')
            .to_lowercase()
    })
}

pub(super) fn has_first_person(s: &str) -> bool {
    words_lower(s).any(|w| FIRST_PERSON.contains(&w.as_str()))
}

fn normalised_words(s: &str) -> Vec<String> {
    s.split_whitespace()
        .map(|w| {
            w.chars()
                .filter(|c| c.is_alphanumeric())
                .flat_map(char::to_lowercase)
                .collect::<String>()
        })
        .filter(|w| !w.is_empty())
        .collect()
}

/// A paragraph that only repeats, in quotation marks, text said near it (a
/// site's highlighted quote).
pub(super) fn is_pull_quote(paras: &[Paragraph], at: usize) -> bool {
    let p = &paras[at];
    if p.lines.len() != 1 {
        return false;
    }
    let t = p.first();
    let opens = t.starts_with(['“', '”', '"', '«']);
    let closes = t.ends_with(['”', '“', '"', '»']);
    if !(opens && closes) || t.chars().count() < 40 {
        return false;
    }
    let words = normalised_words(t);
    if words.len() < 8 {
        return false;
    }
    let probe = &words[..6];
    let lo = at.saturating_sub(12);
    let hi = (at + 12).min(paras.len() - 1);
    (lo..=hi).filter(|&k| k != at).any(|k| {
        let other = normalised_words(&paras[k].joined());
        other.windows(probe.len()).any(|w| w == probe)
    })
}

/// A photo caption: one short line, not speech, starting as captions do.
pub(super) fn is_caption(p: &Paragraph, title: &str, starts: &Regex) -> bool {
    if p.lines.len() != 1 {
        return false;
    }
    let t = p.first();
    if !title.is_empty() && t.trim_end_matches('.') == title.trim_end_matches('.') {
        return true;
    }
    t.chars().count() <= 160
        && starts.is_match(t)
        && !t.contains(['?', '!', ':', '“', '"'])
        && t.matches(". ").count() == 0
        && !has_first_person(t)
}

/// A whole paragraph in parentheses: a stage direction or a summary.
pub(super) fn aside(p: &Paragraph) -> Option<String> {
    if p.lines.len() != 1 {
        return None;
    }
    let t = p.first();
    let inner = t.strip_prefix('(')?.strip_suffix(')')?;
    let mut depth = 0i32;
    for c in inner.chars() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth < 0 {
                    return None;
                }
            }
            _ => {}
        }
    }
    (depth == 0).then(|| inner.trim().to_string())
}

/// A label's parenthesis naming an organisation (`RDIF`, `Rospotrebnadzor`),
/// not a stage direction (`Laughing`, `retranslated`).
pub(super) fn is_organisation(context: &str) -> bool {
    const DIRECTIONS: &[&str] = &[
        "Laughing",
        "Laughter",
        "Laughs",
        "Applause",
        "Smiling",
        "Smiles",
        "Retranslated",
        "Interpreted",
        "Translated",
        "Inaudible",
        "Continuing",
        "Joking",
        "Sighs",
    ];
    !context.contains(char::is_whitespace)
        && context.chars().next().is_some_and(char::is_uppercase)
        && context.chars().all(|c| c.is_alphanumeric() || c == '-')
        && !DIRECTIONS.contains(&context)
}

pub(super) fn is_separator(t: &str) -> bool {
    let squeezed: String = t.chars().filter(|c| !c.is_whitespace()).collect();
    squeezed.len() >= 3 && squeezed.chars().all(|c| c == '*')
}

pub(super) fn is_elision(t: &str) -> bool {
    matches!(t, "<…>" | "<...>" | "[…]" | "[...]" | "…" | "(…)" | "(...)")
}

/// Similar labels: the same letters, or the same words but for one or two
/// small slips (`Vladmir Putin`, `Kirill Kleimenov`), never a different
/// surname (`Vladimir Lukin`).
pub(super) fn near_duplicate(a: &str, b: &str) -> bool {
    let squeeze = |s: &str| -> String {
        s.chars()
            .filter(|c| !c.is_whitespace())
            .flat_map(char::to_lowercase)
            .collect()
    };
    if squeeze(a) == squeeze(b) {
        return a != b;
    }
    let wa: Vec<String> = a.split_whitespace().map(str::to_lowercase).collect();
    let wb: Vec<String> = b.split_whitespace().map(str::to_lowercase).collect();
    if wa.len() != wb.len() {
        return false;
    }
    let mut total = 0;
    for (x, y) in wa.iter().zip(&wb) {
        let d = strsim::damerau_levenshtein(x, y);
        let len = x.chars().count().max(y.chars().count());
        if d > 2 || (d > 0 && d * 100 > len * 34) {
            return false;
        }
        total += d;
    }
    (1..=2).contains(&total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn near_duplicates() {
        assert!(near_duplicate("Vladmir Putin", "Vladimir Putin"));
        assert!(near_duplicate("VladimirPUTIN", "Vladimir Putin"));
        assert!(near_duplicate("Kirill Kleimenov", "Kirill Kleymenov"));
        assert!(!near_duplicate("Vladimir Lukin", "Vladimir Putin"));
        assert!(!near_duplicate("Dmitry Pavlov", "Dmitry Petrov"));
    }
}
