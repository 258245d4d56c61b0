//! The vocabulary of problems: every rule with its name, default severity and
//! description, and the diagnostic that the analysis produces. Frontends turn
//! these into terminal reports or LSP diagnostics, each in one place.

use std::fmt;
use std::path::PathBuf;

use crate::syntax::Span;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
    Info,
    Hint,
}

impl Severity {
    pub fn name(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
            Severity::Hint => "hint",
        }
    }

    /// A severity as written in `transcripts.json`; `Some(None)` is `off`.
    pub fn parse_level(s: &str) -> Option<Option<Severity>> {
        Some(Some(match s {
            "error" => Severity::Error,
            "warning" => Severity::Warning,
            "info" => Severity::Info,
            "hint" => Severity::Hint,
            "off" => return Some(None),
            _ => return None,
        }))
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

macro_rules! rules {
    ($($variant:ident $name:literal $severity:ident $description:literal;)*) => {
        /// A diagnostic rule. Its name is the diagnostic's code.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Rule {
            $($variant,)*
        }

        impl Rule {
            pub const ALL: &'static [Rule] = &[$(Rule::$variant,)*];

            pub fn name(self) -> &'static str {
                match self {
                    $(Rule::$variant => $name,)*
                }
            }

            pub fn default_severity(self) -> Severity {
                match self {
                    $(Rule::$variant => Severity::$severity,)*
                }
            }

            /// One line, the same as in `docs/format.md`.
            pub fn description(self) -> &'static str {
                match self {
                    $(Rule::$variant => $description,)*
                }
            }
        }
    };
}

rules! {
    MissingHeader "missing-header" Error "The file does not start with a `---` metadata header.";
    UnclosedHeader "unclosed-header" Error "The metadata header opened with `---` is never closed.";
    MalformedHeaderLine "malformed-header-line" Error "A header line is not of the form `key: value`.";
    InvalidKey "invalid-key" Error "A header key has characters other than lowercase ASCII letters, digits and `-`.";
    UnknownKey "unknown-key" Warning "A header key is neither a standard key, an `x-` extension nor a key the registry adds.";
    DuplicateKey "duplicate-key" Error "A key that may appear only once appears again.";
    MissingKey "missing-key" Error "A required header key is missing.";
    EmptyValue "empty-value" Error "A header key has no value.";
    InvalidDate "invalid-date" Error "`date` is not a real calendar date written `YYYY-MM-DD`.";
    InvalidTime "invalid-time" Error "`time` is not `HH:MM` or `HH:MM:SS` (24-hour) with an optional `Z` or `±HH:MM` offset.";
    InvalidLanguageTag "invalid-language-tag" Error "`language` or an item of `languages` is not a well-formed BCP 47 tag.";
    LanguageNotListed "language-not-listed" Warning "`language` is not among the `languages` the transcript is published in.";
    InvalidUrl "invalid-url" Error "`source` is not an absolute `http` or `https` URL.";
    InvalidId "invalid-id" Error "`id` has characters other than letters, digits, `.`, `_` and `-`.";
    DuplicateSpeaker "duplicate-speaker" Error "The same speaker is declared twice.";
    DuplicateId "duplicate-id" Error "Another transcript in the workspace has the same `id`.";
    UnknownEntity "unknown-entity" Error "A mention refers to an id that is neither a built-in type nor an entity of the registry.";
    UnclosedMention "unclosed-mention" Error "A `[` or `{` is not closed on the same line.";
    EmptyMention "empty-mention" Error "A mention or note has empty brackets or an empty reference.";
    UndeclaredSpeaker "undeclared-speaker" Warning "A turn's speaker is not declared, while the header or the registry declares speakers.";
    UnusedSpeaker "unused-speaker" Warning "A speaker declared in the header never has a turn.";
    QuestionWithoutAnswer "question-without-answer" Warning "A question has no answer before the next question or heading.";
    EmptyTurn "empty-turn" Warning "A turn has a label but no text.";
    EmptySection "empty-section" Warning "A heading has nothing under it.";
    TimeCodeBackwards "time-code-backwards" Error "A time code is earlier than the one before it.";
    MixedLineEndings "mixed-line-endings" Warning "The file mixes LF and CRLF line ends.";
    InvalidRegistry "invalid-registry" Error "`transcripts.json` is not valid JSON or does not have the expected shape.";
    InvalidEntity "invalid-entity" Error "A registry entity has no name, an unknown type, an id equal to a type name or that no mention can name, or a malformed Wikidata id.";
    DuplicateAlias "duplicate-alias" Warning "Two registry entities share an alias or a name.";
    UnusedAllow "unused-allow" Hint "A `transcript-ls: allow` comment suppresses nothing: no such problem where it applies, an unknown or unsuppressible rule, or nothing directly after it.";
}

impl Rule {
    pub fn from_name(name: &str) -> Option<Rule> {
        Rule::ALL.iter().copied().find(|r| r.name() == name)
    }

    /// The rule's section in the format documentation.
    pub fn docs_url(self) -> String {
        format!("{DOCS_URL}#{}", self.name())
    }
}

/// Where the format documentation is published.
pub const DOCS_URL: &str =
    "https://github.com/transcript-ls/transcript-ls/blob/main/docs/format.md";

/// One problem, with byte ranges into the text it was found in.
#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostic {
    pub rule: Rule,
    pub severity: Severity,
    pub span: Span,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub help: Option<String>,
    /// Other places that explain the problem (the first declaration of a duplicate).
    pub related: Vec<Related>,
    /// Replacements for `span` that would fix it (did-you-mean), best first.
    pub suggestions: Vec<String>,
    /// What the problem is about when the span does not say it (a missing key).
    pub subject: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Related {
    /// `None` for the same file.
    pub file: Option<PathBuf>,
    pub span: Span,
    pub message: String,
}

impl Diagnostic {
    pub fn new(rule: Rule, span: Span, message: impl Into<String>) -> Self {
        Diagnostic {
            rule,
            severity: rule.default_severity(),
            span,
            message: message.into(),
            help: None,
            related: Vec::new(),
            suggestions: Vec::new(),
            subject: None,
        }
    }

    pub fn subject(mut self, subject: impl Into<String>) -> Self {
        self.subject = Some(subject.into());
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn related(mut self, span: Span, message: impl Into<String>) -> Self {
        self.related.push(Related {
            file: None,
            span,
            message: message.into(),
        });
        self
    }

    /// Adds did-you-mean suggestions and says them in the help text.
    pub fn suggest(mut self, suggestions: Vec<String>) -> Self {
        if let Some(best) = suggestions.first() {
            let did_you_mean = format!("did you mean `{best}`?");
            self.help = Some(match self.help.take() {
                Some(help) => format!("{did_you_mean} {help}"),
                None => did_you_mean,
            });
        }
        self.suggestions = suggestions;
        self
    }
}

/// The candidates closest to `word`, best first: those within a small edit
/// distance, or equal ignoring case.
pub fn did_you_mean<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let lower = word.to_lowercase();
    let mut scored: Vec<(usize, &str)> = candidates
        .into_iter()
        .filter(|c| *c != word)
        .filter_map(|c| {
            let d = strsim::osa_distance(&lower, &c.to_lowercase());
            let limit = (word.chars().count().max(c.chars().count()) / 3).max(1);
            (d <= limit).then_some((d, c))
        })
        .collect();
    scored.sort();
    scored.dedup_by(|a, b| a.1 == b.1);
    scored
        .into_iter()
        .take(3)
        .map(|(_, c)| c.to_string())
        .collect()
}
