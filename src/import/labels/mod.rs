//! Speaker labels of raw paragraphs: finds the `LABEL:` that opens a turn
//! ([`find`]), removes the site's tooltip text from it, keeps a final
//! parenthesis as context (`(retranslated)`), and splits a long label into
//! name and role ([`names`]: `President of Russia Vladimir Putin` ->
//! `Vladimir Putin`, role `President of Russia`). Question labels keep their
//! attribution. Labels in capitals are put in ordinary case or resolved to
//! the person the page names ([`capitals`]).

mod capitals;
mod find;
mod names;
mod words;

use std::collections::HashSet;

pub(crate) use capitals::NameContext;
use capitals::unshout;
pub(crate) use find::split_label;
pub(crate) use names::{is_bare_name, is_speaker_name, role_before};
use names::{is_one_word_label, is_sentence_like, person_in};
use words::GENERIC;

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
