//! Semantic tokens: the kind of every meaningful piece of a document, for
//! highlighting, computed in one pass over the model.
//!
//! Only the LSP's standard token types and modifiers are used, so any theme
//! colours them. The mapping:
//!
//! | element | type | modifiers |
//! | --- | --- | --- |
//! | header key | `property` | |
//! | header value | `string` | |
//! | `date` and `time` value | `number` | |
//! | `speaker:` value: the name | `class` | `declaration` |
//! | `speaker:` value: the role | `string` | |
//! | heading text | `namespace` | |
//! | question label (`Question`) | `keyword` | |
//! | question attribution | `parameter` | |
//! | speaker label | `class` | |
//! | mention surface text | `variable` | |
//! | reference to a registry entity | `enumMember` | `readonly` |
//! | reference to a built-in type | `type` | `defaultLibrary` |
//! | editorial note, brackets included | `macro` | |
//! | time code, brackets included | `number` | |
//! | comment line | `comment` | |
//!
//! Plain text, brackets and braces, `#` marks, the `---` lines and references
//! that are neither a type nor a registry id (which have a diagnostic) get no
//! token. Tokens are in document order, never overlap, and each lies within
//! one line (a span over several lines is split; line endings are never part
//! of a token).

use crate::registry::{ENTITY_TYPES, Registry};
use crate::syntax::{Document, Inline, Item, LabelKind, Paragraph, Span, split_speaker};

/// The token types, by index: the legend's `tokenTypes`.
pub const TOKEN_TYPES: &[&str] = &[
    "namespace",
    "property",
    "string",
    "keyword",
    "class",
    "variable",
    "enumMember",
    "comment",
    "number",
    "macro",
    "type",
    "parameter",
];

/// The token modifiers, by bit: the legend's `tokenModifiers`.
pub const TOKEN_MODIFIERS: &[&str] = &["declaration", "readonly", "defaultLibrary"];

/// Modifier bits of [`Token::modifiers`], in the order of [`TOKEN_MODIFIERS`].
pub const DECLARATION: u32 = 1 << 0;
pub const READONLY: u32 = 1 << 1;
pub const DEFAULT_LIBRARY: u32 = 1 << 2;

/// A token type; its discriminant is its index in [`TOKEN_TYPES`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TokenKind {
    Namespace = 0,
    Property = 1,
    String = 2,
    Keyword = 3,
    Class = 4,
    Variable = 5,
    EnumMember = 6,
    Comment = 7,
    Number = 8,
    Macro = 9,
    Type = 10,
    Parameter = 11,
}

impl TokenKind {
    /// The index of this type in [`TOKEN_TYPES`].
    pub fn index(self) -> u32 {
        self as u32
    }

    /// The LSP name of this type.
    pub fn name(self) -> &'static str {
        TOKEN_TYPES[self as usize]
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// Within one line; never empty.
    pub span: Span,
    pub kind: TokenKind,
    /// Bits: [`DECLARATION`], [`READONLY`], [`DEFAULT_LIBRARY`].
    pub modifiers: u32,
}

/// The tokens of a document, in document order.
pub fn semantic_tokens(text: &str, doc: &Document, registry: Option<&Registry>) -> Vec<Token> {
    let mut t = Tokens {
        text,
        comments: &doc.comments,
        next_comment: 0,
        last_end: 0,
        out: Vec::new(),
    };
    if let Some(header) = &doc.header {
        for entry in &header.entries {
            t.push(entry.key_span.clone(), TokenKind::Property, 0);
            let value = entry.value_span.clone();
            match entry.key.as_str() {
                "date" | "time" => t.push(value, TokenKind::Number, 0),
                "speaker" => {
                    let (name, role) = split_speaker(&entry.value);
                    let at = |part: &str| {
                        let start =
                            value.start + (part.as_ptr() as usize - entry.value.as_ptr() as usize);
                        start..start + part.len()
                    };
                    t.push(at(name), TokenKind::Class, DECLARATION);
                    if let Some(role) = role {
                        t.push(at(role), TokenKind::String, 0);
                    }
                }
                _ => t.push(value, TokenKind::String, 0),
            }
        }
    }
    for item in &doc.items {
        match item {
            Item::Heading(h) => t.push(h.text_span.clone(), TokenKind::Namespace, 0),
            Item::Narration(p) => t.paragraph(p, registry),
            Item::Turn(turn) => {
                let label = &turn.label;
                match &label.kind {
                    LabelKind::Question { attribution } => {
                        t.push(label.name_span.clone(), TokenKind::Keyword, 0);
                        if let Some((_, span)) = attribution {
                            t.push(span.clone(), TokenKind::Parameter, 0);
                        }
                    }
                    LabelKind::Speaker => t.push(label.name_span.clone(), TokenKind::Class, 0),
                }
                for p in &turn.paragraphs {
                    t.paragraph(p, registry);
                }
            }
        }
    }
    t.flush_comments(usize::MAX);
    t.out
}

struct Tokens<'a> {
    text: &'a str,
    /// Comment lines, in order, merged into the stream as it goes.
    comments: &'a [Span],
    next_comment: usize,
    last_end: usize,
    out: Vec<Token>,
}

impl Tokens<'_> {
    fn paragraph(&mut self, p: &Paragraph, registry: Option<&Registry>) {
        for inline in &p.inlines {
            match inline {
                Inline::Text(_) => {}
                Inline::Mention(m) => {
                    self.push(m.surface_span.clone(), TokenKind::Variable, 0);
                    let r = m.reference.as_str();
                    if ENTITY_TYPES.contains(&r) {
                        self.push(m.reference_span.clone(), TokenKind::Type, DEFAULT_LIBRARY);
                    } else if registry.is_some_and(|reg| reg.entity(r).is_some()) {
                        self.push(m.reference_span.clone(), TokenKind::EnumMember, READONLY);
                    }
                }
                Inline::Note(n) => {
                    let kind = if n.time_code.is_some() {
                        TokenKind::Number
                    } else {
                        TokenKind::Macro
                    };
                    self.push(n.span.clone(), kind, 0);
                }
            }
        }
    }

    /// Adds a token, after the comment lines that come before it.
    fn push(&mut self, span: Span, kind: TokenKind, modifiers: u32) {
        self.flush_comments(span.start);
        self.emit(span, kind, modifiers);
    }

    fn flush_comments(&mut self, before: usize) {
        while let Some(c) = self.comments.get(self.next_comment) {
            if c.start >= before {
                break;
            }
            self.next_comment += 1;
            self.emit(c.clone(), TokenKind::Comment, 0);
        }
    }

    /// Adds a token, one per line of `span`, leaving out line endings, empty
    /// pieces and whatever overlaps the previous token.
    fn emit(&mut self, span: Span, kind: TokenKind, modifiers: u32) {
        let start = span.start.max(self.last_end);
        let end = span.end.min(self.text.len());
        if start >= end || !self.text.is_char_boundary(start) || !self.text.is_char_boundary(end) {
            return;
        }
        let mut piece_start = start;
        for piece in self.text[start..end].split('\n') {
            let piece_end = piece_start + piece.len();
            // The CR of a CRLF is part of the line ending; a lone CR is not.
            let crlf = piece.ends_with('\r') && self.text.as_bytes().get(piece_end) == Some(&b'\n');
            let content_end = piece_end - usize::from(crlf);
            if content_end > piece_start {
                self.out.push(Token {
                    span: piece_start..content_end,
                    kind,
                    modifiers,
                });
                self.last_end = content_end;
            }
            piece_start = piece_end + 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::{LabelContext, parse};

    #[test]
    fn kinds_are_indices_of_the_legend() {
        use TokenKind::*;
        for kind in [
            Namespace, Property, String, Keyword, Class, Variable, EnumMember, Comment, Number,
            Macro, Type, Parameter,
        ] {
            assert_eq!(TOKEN_TYPES[kind.index() as usize], kind.name());
        }
        assert_eq!(TokenKind::EnumMember.name(), "enumMember");
        assert_eq!(
            TOKEN_MODIFIERS[DEFAULT_LIBRARY.trailing_zeros() as usize],
            "defaultLibrary"
        );
    }

    #[test]
    fn comments_merge_in_order() {
        let text = "---\n// h\ntitle: T\n---\n// b\n# H\n// c\nA B: [x]{person} [12:00]\n// d";
        let doc = parse(text, &LabelContext::default());
        let tokens: Vec<(&str, &str)> = semantic_tokens(text, &doc, None)
            .iter()
            .map(|t| (t.kind.name(), &text[t.span.clone()]))
            .collect();
        assert_eq!(
            tokens,
            [
                ("comment", "// h"),
                ("property", "title"),
                ("string", "T"),
                ("comment", "// b"),
                ("namespace", "H"),
                ("comment", "// c"),
                ("class", "A B"),
                ("variable", "x"),
                ("type", "person"),
                ("number", "[12:00]"),
                ("comment", "// d"),
            ]
        );
    }
}
