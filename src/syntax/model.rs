//! The syntax model: what a `.transcript` file is made of, every element with
//! its byte range in the original text (BOM included). Plain data; no rules.

use std::ops::Range;

/// Byte range into the document text.
pub type Span = Range<usize>;

/// A parsed document. Parsing never fails: problems found on the way are in
/// `problems`, and whatever could be recognised is in the model.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Document {
    pub header: Option<Header>,
    pub items: Vec<Item>,
    pub comments: Vec<Span>,
    pub problems: Vec<SyntaxProblem>,
    pub line_endings: LineEndings,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct LineEndings {
    pub lf: usize,
    pub crlf: usize,
    /// The first line ending that differs from the file's first one.
    pub first_odd: Option<Span>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Header {
    /// From the opening `---` to the end of the closing one (or of the last header line).
    pub span: Span,
    pub open: Span,
    pub close: Option<Span>,
    pub entries: Vec<HeaderEntry>,
}

impl Header {
    pub fn get<'a>(&'a self, key: &'a str) -> impl Iterator<Item = &'a HeaderEntry> + 'a {
        self.entries.iter().filter(move |e| e.key == key)
    }

    pub fn first(&self, key: &str) -> Option<&HeaderEntry> {
        self.entries.iter().find(|e| e.key == key)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct HeaderEntry {
    pub key: String,
    pub key_span: Span,
    pub value: String,
    /// The trimmed value; empty at the end of the line when there is no value.
    pub value_span: Span,
    pub line_span: Span,
}

/// A top-level element of the body, in document order.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    Heading(Heading),
    /// Unlabelled paragraphs outside any turn.
    Narration(Paragraph),
    Turn(Turn),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Heading {
    pub level: usize,
    pub text: String,
    pub text_span: Span,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Turn {
    pub label: Label,
    /// The first paragraph starts after the label; the others follow it.
    pub paragraphs: Vec<Paragraph>,
    /// From the label to the end of the last paragraph.
    pub span: Span,
}

impl Turn {
    pub fn is_question(&self) -> bool {
        matches!(self.label.kind, LabelKind::Question { .. })
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Label {
    pub kind: LabelKind,
    /// The speaker's name, or the question label without its attribution.
    pub name: String,
    /// The whole label, without the colon.
    pub span: Span,
    pub name_span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum LabelKind {
    Question { attribution: Option<(String, Span)> },
    Speaker,
}

/// A run of non-blank lines: its text pieces and inline elements.
#[derive(Debug, Clone, PartialEq)]
pub struct Paragraph {
    /// The paragraph's content (after a label or escape, if any).
    pub span: Span,
    pub inlines: Vec<Inline>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Inline {
    Text(Span),
    // Boxed: most inlines are text, and an unboxed mention would make every
    // inline as large as a mention.
    Mention(Box<Mention>),
    Note(Box<Note>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Mention {
    pub span: Span,
    pub surface: String,
    pub surface_span: Span,
    pub reference: String,
    pub reference_span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Note {
    pub span: Span,
    pub text: String,
    pub text_span: Span,
    /// Seconds from the start, when the note is a time code.
    pub time_code: Option<u32>,
}

/// A problem the parser found; its code is a rule name of the analysis layer.
#[derive(Debug, Clone, PartialEq)]
pub struct SyntaxProblem {
    pub kind: ProblemKind,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ProblemKind {
    MissingHeader,
    UnclosedHeader,
    MalformedHeaderLine,
    InvalidKey { key: String },
    UnclosedMention { what: Unclosed },
    EmptyMention { what: Empty },
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Unclosed {
    Bracket,
    Brace,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Empty {
    Surface,
    Reference,
    Brackets,
}

impl Document {
    pub fn turns(&self) -> impl Iterator<Item = &Turn> {
        self.items.iter().filter_map(|item| match item {
            Item::Turn(t) => Some(t),
            _ => None,
        })
    }

    pub fn paragraphs(&self) -> impl Iterator<Item = &Paragraph> {
        self.items.iter().flat_map(|item| match item {
            Item::Narration(p) => std::slice::from_ref(p),
            Item::Turn(t) => t.paragraphs.as_slice(),
            Item::Heading(_) => &[],
        })
    }

    pub fn mentions(&self) -> impl Iterator<Item = &Mention> {
        self.paragraphs().flat_map(|p| {
            p.inlines.iter().filter_map(|i| match i {
                Inline::Mention(m) => Some(&**m),
                _ => None,
            })
        })
    }

    pub fn notes(&self) -> impl Iterator<Item = &Note> {
        self.paragraphs().flat_map(|p| {
            p.inlines.iter().filter_map(|i| match i {
                Inline::Note(n) => Some(&**n),
                _ => None,
            })
        })
    }
}
