//! Entity annotation: known names and aliases in raw text become mentions of
//! their registry ids, whole words only, the longest name winning. The text
//! given here is raw (not yet escaped), so no existing annotation can be
//! entered: notes and labels are never passed in.

use std::collections::HashMap;

use super::EntityNames;

/// A piece of annotated text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Piece {
    Text(String),
    Mention { surface: String, id: String },
}

/// Finds known names in text.
#[derive(Debug, Default)]
pub(crate) struct Annotator {
    /// Names by their first word, longest first: (name, id).
    by_first_word: HashMap<String, Vec<(String, String)>>,
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

fn first_word(s: &str) -> &str {
    let end = s.find(|c: char| !is_word_char(c)).unwrap_or(s.len());
    &s[..end]
}

fn valid_id(id: &str) -> bool {
    !id.is_empty() && !id.contains(|c: char| c.is_whitespace() || "[]{}\\".contains(c))
}

fn valid_name(name: &str) -> bool {
    name.chars().count() >= 2
        && name.trim() == name
        && !name.contains(['[', ']', '{', '}', '\\', '\n', '\r'])
        && name.starts_with(is_word_char)
        && name.ends_with(|c: char| is_word_char(c) || c == '.')
}

impl Annotator {
    pub fn new(entities: &[EntityNames]) -> Self {
        let mut by_first_word: HashMap<String, Vec<(String, String)>> = HashMap::new();
        let mut seen = std::collections::HashSet::new();
        for e in entities {
            if !valid_id(&e.id) {
                continue;
            }
            for name in &e.names {
                if !valid_name(name) || !seen.insert(name.clone()) {
                    continue;
                }
                by_first_word
                    .entry(first_word(name).to_string())
                    .or_default()
                    .push((name.clone(), e.id.clone()));
            }
        }
        for list in by_first_word.values_mut() {
            list.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.0.cmp(&b.0)));
        }
        Annotator { by_first_word }
    }

    pub fn is_empty(&self) -> bool {
        self.by_first_word.is_empty()
    }

    /// Splits `text` into plain pieces and mentions.
    pub fn annotate(&self, text: &str) -> Vec<Piece> {
        let mut out = Vec::new();
        if self.is_empty() {
            out.push(Piece::Text(text.to_string()));
            return out;
        }
        let mut plain_from = 0;
        let mut pos = 0;
        let mut prev: Option<char> = None;
        while pos < text.len() {
            let Some(c) = text[pos..].chars().next() else {
                break;
            };
            let at_word_start = is_word_char(c) && !prev.is_some_and(is_word_char);
            if at_word_start && let Some((name, id)) = self.match_at(text, pos) {
                if plain_from < pos {
                    out.push(Piece::Text(text[plain_from..pos].to_string()));
                }
                out.push(Piece::Mention {
                    surface: name.to_string(),
                    id: id.to_string(),
                });
                pos += name.len();
                plain_from = pos;
                prev = name.chars().last();
                continue;
            }
            prev = Some(c);
            pos += c.len_utf8();
        }
        if plain_from < text.len() {
            out.push(Piece::Text(text[plain_from..].to_string()));
        }
        out
    }

    fn match_at<'a>(&'a self, text: &str, pos: usize) -> Option<(&'a str, &'a str)> {
        let rest = &text[pos..];
        let candidates = self.by_first_word.get(first_word(rest))?;
        candidates.iter().find_map(|(name, id)| {
            let after = rest.strip_prefix(name.as_str())?;
            let glued = after.starts_with(is_word_char);
            let dotted = name.ends_with('.') && after.starts_with('.');
            let whole = !(glued || dotted);
            whole.then_some((name.as_str(), id.as_str()))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn annotator() -> Annotator {
        Annotator::new(&[
            EntityNames {
                id: "asean".into(),
                names: vec![
                    "Association of Southeast Asian Nations".into(),
                    "ASEAN".into(),
                ],
            },
            EntityNames {
                id: "kerry".into(),
                names: vec![
                    "John Kerry".into(),
                    "Mr Kerry".into(),
                    "Secretary of State John Kerry".into(),
                ],
            },
        ])
    }

    #[test]
    fn whole_words_longest_first() {
        let pieces = annotator().annotate(
            "Secretary of State John Kerry met ASEAN’s heads, not ASEANs or Mr Kerryson.",
        );
        assert_eq!(
            pieces,
            [
                Piece::Mention {
                    surface: "Secretary of State John Kerry".into(),
                    id: "kerry".into()
                },
                Piece::Text(" met ".into()),
                Piece::Mention {
                    surface: "ASEAN".into(),
                    id: "asean".into()
                },
                Piece::Text("’s heads, not ASEANs or Mr Kerryson.".into()),
            ]
        );
    }
}
