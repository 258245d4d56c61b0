//! Byte ranges of the keys and values of a small JSON document (a profile),
//! by path, so that problems point at the exact place. serde_json checks the
//! syntax first; this walk only runs over text that parsed. (The registry,
//! which may be large, is read by its own one-pass walk instead.)

use std::collections::HashMap;

use crate::syntax::Span;

/// For each path (object keys and array indices from the root), the span of
/// the key (or of the element, for array items) and of the value.
#[derive(Debug, Clone, Default)]
pub struct JsonSpans {
    map: HashMap<Vec<String>, (Span, Span)>,
}

impl JsonSpans {
    pub fn new(text: &str) -> Self {
        let mut walker = Walker {
            bytes: text.as_bytes(),
            text,
            pos: if text.starts_with('\u{feff}') { 3 } else { 0 },
            path: Vec::new(),
            spans: JsonSpans::default(),
        };
        walker.value();
        walker.spans
    }

    /// The span of the key at `path` (the element itself for array items).
    pub fn key(&self, path: &[&str]) -> Option<Span> {
        self.get(path).map(|(k, _)| k)
    }

    pub fn value(&self, path: &[&str]) -> Option<Span> {
        self.get(path).map(|(_, v)| v)
    }

    fn get(&self, path: &[&str]) -> Option<(Span, Span)> {
        let path: Vec<String> = path.iter().map(|s| s.to_string()).collect();
        self.map.get(&path).cloned()
    }
}

struct Walker<'a> {
    bytes: &'a [u8],
    text: &'a str,
    pos: usize,
    path: Vec<String>,
    spans: JsonSpans,
}

impl Walker<'_> {
    fn skip_ws(&mut self) {
        while self.pos < self.bytes.len() && self.bytes[self.pos].is_ascii_whitespace() {
            self.pos += 1;
        }
    }

    /// Walks one value starting at `pos` and returns its span.
    fn value(&mut self) -> Span {
        self.skip_ws();
        let start = self.pos;
        match self.bytes.get(self.pos) {
            Some(b'{') => self.object(),
            Some(b'[') => self.array(),
            Some(b'"') => {
                self.string();
            }
            Some(_) => {
                while self.pos < self.bytes.len()
                    && !matches!(self.bytes[self.pos], b',' | b'}' | b']')
                    && !self.bytes[self.pos].is_ascii_whitespace()
                {
                    self.pos += 1;
                }
            }
            None => {}
        }
        start..self.pos
    }

    /// Walks a string and returns its decoded content.
    fn string(&mut self) -> String {
        let start = self.pos;
        self.pos += 1;
        while self.pos < self.bytes.len() {
            match self.bytes[self.pos] {
                b'\\' => self.pos += 2,
                b'"' => {
                    self.pos += 1;
                    break;
                }
                _ => self.pos += 1,
            }
        }
        let raw = &self.text[start..self.pos.min(self.text.len())];
        serde_json::from_str(raw).unwrap_or_default()
    }

    fn object(&mut self) {
        self.pos += 1;
        loop {
            self.skip_ws();
            match self.bytes.get(self.pos) {
                Some(b'"') => {
                    let key_start = self.pos;
                    let key = self.string();
                    let key_span = key_start..self.pos;
                    self.skip_ws();
                    self.pos += 1; // the colon
                    self.path.push(key);
                    let value = self.value();
                    self.spans.map.insert(self.path.clone(), (key_span, value));
                    self.path.pop();
                }
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    return;
                }
                _ => return,
            }
        }
    }

    fn array(&mut self) {
        self.pos += 1;
        let mut index = 0;
        loop {
            self.skip_ws();
            match self.bytes.get(self.pos) {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    return;
                }
                None => return,
                Some(_) => {
                    self.path.push(index.to_string());
                    let value = self.value();
                    self.spans
                        .map
                        .insert(self.path.clone(), (value.clone(), value));
                    self.path.pop();
                    index += 1;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_of_nested_keys_and_items() {
        let text = r#"{ "entities": { "kérry": { "aliases": ["Mr K", "JK"] } }, "n": 12 }"#;
        let spans = JsonSpans::new(text);
        assert_eq!(
            &text[spans.key(&["entities", "kérry"]).unwrap()],
            r#""kérry""#
        );
        assert_eq!(
            &text[spans.key(&["entities", "kérry", "aliases", "1"]).unwrap()],
            r#""JK""#
        );
        assert_eq!(&text[spans.value(&["n"]).unwrap()], "12");
    }
}
