//! Core results -> LSP types. The one place where a diagnostic, a symbol or a
//! hover becomes its protocol form, and where byte offsets become positions.

use std::path::Path;

use tower_lsp_server::ls_types as lsp;

use super::documents::Snapshot;
use crate::analysis::completion::{Completion, CompletionKind};
use crate::analysis::fixes::Fix;
use crate::analysis::folding::{Fold, FoldKind};
use crate::analysis::highlight::{Highlight, HighlightKind};
use crate::analysis::index::Range;
use crate::analysis::inlay_hints::{InlayHint, InlayHintKind};
use crate::analysis::links::Link;
use crate::analysis::semantic_tokens::{TOKEN_MODIFIERS, TOKEN_TYPES, Token};
use crate::analysis::{Analysis, HoverInfo, Severity, Symbol, SymbolKind};
use crate::diagnostic::Diagnostic;
use crate::syntax::Span;
use crate::text::{Cursor, Encoding, LineCol, LineIndex, column_width};

/// Where positions are counted: a text with its line index, or an open
/// document's snapshot, which counts in its rope and needs no text in one piece.
pub trait Positions {
    fn line_col(&self, offset: usize, encoding: Encoding) -> LineCol;
}

/// A text and its line index.
pub struct Text<'a>(pub &'a LineIndex, pub &'a str);

impl Positions for Text<'_> {
    fn line_col(&self, offset: usize, encoding: Encoding) -> LineCol {
        self.0.line_col(self.1, offset, encoding)
    }
}

impl Positions for Snapshot {
    fn line_col(&self, offset: usize, encoding: Encoding) -> LineCol {
        Snapshot::line_col(self, offset, encoding)
    }
}

pub fn range(at: &impl Positions, span: &Span, encoding: Encoding) -> lsp::Range {
    let position = |offset| {
        let lc = at.line_col(offset, encoding);
        lsp::Position::new(lc.line, lc.col)
    };
    lsp::Range::new(position(span.start), position(span.end))
}

/// A range of lines and columns (a place in the workspace index).
pub fn lsp_range(r: &Range) -> lsp::Range {
    lsp::Range::new(
        lsp::Position::new(r.start.line, r.start.col),
        lsp::Position::new(r.end.line, r.end.col),
    )
}

pub fn line_col(p: lsp::Position) -> LineCol {
    LineCol {
        line: p.line,
        col: p.character,
    }
}

pub fn file_uri(path: &Path) -> Option<lsp::Uri> {
    lsp::Uri::from_file_path(path)
}

/// A diagnostic in a text (a transcript or a registry) as LSP has it.
/// `elsewhere` gives the range of a span in another file, when that file is known.
pub fn diagnostic(
    d: &Diagnostic,
    index: &LineIndex,
    text: &str,
    uri: &lsp::Uri,
    encoding: Encoding,
    elsewhere: &dyn Fn(&Path, &Span) -> Option<lsp::Range>,
) -> lsp::Diagnostic {
    diagnostic_at(
        d,
        range(&Text(index, text), &d.span, encoding),
        index,
        text,
        uri,
        encoding,
        elsewhere,
    )
}

/// A diagnostic whose own range is already converted.
fn diagnostic_at(
    d: &Diagnostic,
    at: lsp::Range,
    index: &LineIndex,
    text: &str,
    uri: &lsp::Uri,
    encoding: Encoding,
    elsewhere: &dyn Fn(&Path, &Span) -> Option<lsp::Range>,
) -> lsp::Diagnostic {
    let severity = match d.severity {
        Severity::Error => lsp::DiagnosticSeverity::ERROR,
        Severity::Warning => lsp::DiagnosticSeverity::WARNING,
        Severity::Info => lsp::DiagnosticSeverity::INFORMATION,
        Severity::Hint => lsp::DiagnosticSeverity::HINT,
    };
    let mut message = d.message.clone();
    if let Some(help) = &d.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    let related: Vec<lsp::DiagnosticRelatedInformation> = d
        .related
        .iter()
        .filter_map(|r| {
            let location = match &r.file {
                None => {
                    lsp::Location::new(uri.clone(), range(&Text(index, text), &r.span, encoding))
                }
                Some(file) => lsp::Location::new(
                    file_uri(file)?,
                    elsewhere(file, &r.span).unwrap_or_default(),
                ),
            };
            Some(lsp::DiagnosticRelatedInformation {
                location,
                message: r.message.clone(),
            })
        })
        .collect();
    lsp::Diagnostic {
        range: at,
        severity: Some(severity),
        code: Some(lsp::NumberOrString::String(d.rule.name().to_string())),
        code_description: d
            .rule
            .docs_url()
            .parse()
            .ok()
            .map(|href| lsp::CodeDescription { href }),
        source: Some("transcript-ls".to_string()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        tags: None,
        data: (!d.suggestions.is_empty())
            .then(|| serde_json::json!({ "suggestions": d.suggestions })),
    }
}

/// A document's diagnostics, with `extra` ones from rules across files.
pub fn diagnostics(
    snapshot: &Snapshot,
    analysis: &Analysis,
    text: &str,
    extra: &[Diagnostic],
    uri: &lsp::Uri,
    encoding: Encoding,
    elsewhere: &dyn Fn(&Path, &Span) -> Option<lsp::Range>,
) -> Vec<lsp::Diagnostic> {
    let index = &snapshot.index;
    // Diagnostics come sorted by position: cursors count each line once.
    let mut starts = Cursor::new(index, text, encoding);
    let mut ends = Cursor::new(index, text, encoding);
    analysis
        .diagnostics
        .iter()
        .chain(extra)
        .map(|d| {
            let (start, end) = (starts.line_col(d.span.start), ends.line_col(d.span.end));
            let range = lsp::Range::new(
                lsp::Position::new(start.line, start.col),
                lsp::Position::new(end.line, end.col),
            );
            diagnostic_at(d, range, index, text, uri, encoding, elsewhere)
        })
        .collect()
}

fn symbol_kind(kind: SymbolKind) -> lsp::SymbolKind {
    match kind {
        SymbolKind::Metadata => lsp::SymbolKind::NAMESPACE,
        SymbolKind::Section => lsp::SymbolKind::MODULE,
        SymbolKind::Question => lsp::SymbolKind::EVENT,
        SymbolKind::Answer => lsp::SymbolKind::STRING,
    }
}

#[allow(deprecated)] // `deprecated` is a required field of the LSP types.
pub fn document_symbols(
    symbols: &[Symbol],
    snapshot: &Snapshot,
    encoding: Encoding,
) -> Vec<lsp::DocumentSymbol> {
    symbols
        .iter()
        .map(|s| lsp::DocumentSymbol {
            name: s.name.clone(),
            detail: s.detail.clone(),
            kind: symbol_kind(s.kind),
            tags: None,
            deprecated: None,
            range: range(snapshot, &s.span, encoding),
            selection_range: range(snapshot, &s.selection, encoding),
            children: (!s.children.is_empty())
                .then(|| document_symbols(&s.children, snapshot, encoding)),
        })
        .collect()
}

/// The outline flattened, for clients without hierarchical symbols.
#[allow(deprecated)] // `deprecated` is a required field of the LSP types.
pub fn symbol_information(
    symbols: &[Symbol],
    snapshot: &Snapshot,
    uri: &lsp::Uri,
    encoding: Encoding,
    container: Option<&str>,
    out: &mut Vec<lsp::SymbolInformation>,
) {
    for s in symbols {
        out.push(lsp::SymbolInformation {
            name: s.name.clone(),
            kind: symbol_kind(s.kind),
            tags: None,
            deprecated: None,
            location: lsp::Location::new(uri.clone(), range(snapshot, &s.span, encoding)),
            container_name: container.map(str::to_string),
        });
        symbol_information(&s.children, snapshot, uri, encoding, Some(&s.name), out);
    }
}

pub fn hover(info: &HoverInfo, snapshot: &Snapshot, encoding: Encoding) -> lsp::Hover {
    lsp::Hover {
        contents: lsp::HoverContents::Markup(lsp::MarkupContent {
            kind: lsp::MarkupKind::Markdown,
            value: info.markdown.clone(),
        }),
        range: Some(range(snapshot, &info.span, encoding)),
    }
}

/// A fix as a code action: a quick fix of `diagnostic`, a rewrite, or (with
/// `kind`) a source action, editing this document.
pub fn code_action(
    fix: &Fix,
    diagnostic: Option<lsp::Diagnostic>,
    kind: Option<lsp::CodeActionKind>,
    snapshot: &Snapshot,
    uri: &lsp::Uri,
    encoding: Encoding,
) -> lsp::CodeActionOrCommand {
    let edits = fix
        .edits
        .iter()
        .map(|(span, new)| lsp::TextEdit::new(range(snapshot, span, encoding), new.clone()))
        .collect();
    let kind = kind.unwrap_or(if diagnostic.is_some() {
        lsp::CodeActionKind::QUICKFIX
    } else {
        lsp::CodeActionKind::REFACTOR_REWRITE
    });
    lsp::CodeActionOrCommand::CodeAction(lsp::CodeAction {
        title: fix.title.clone(),
        kind: Some(kind),
        diagnostics: diagnostic.map(|d| vec![d]),
        edit: Some(lsp::WorkspaceEdit {
            changes: Some([(uri.clone(), edits)].into_iter().collect()),
            ..Default::default()
        }),
        is_preferred: Some(fix.preferred),
        ..Default::default()
    })
}

/// The diagnostic of `analysis` that a client's diagnostic is (same rule,
/// same range), if it is still current.
pub fn current<'a>(
    client: &lsp::Diagnostic,
    analysis: &'a Analysis,
    snapshot: &Snapshot,
    encoding: Encoding,
) -> Option<&'a Diagnostic> {
    if client.source.as_deref() != Some("transcript-ls") {
        return None;
    }
    let Some(lsp::NumberOrString::String(code)) = &client.code else {
        return None;
    };
    analysis
        .diagnostics
        .iter()
        .find(|d| d.rule.name() == code && range(snapshot, &d.span, encoding) == client.range)
}

pub fn completion(
    c: &Completion,
    snapshot: &Snapshot,
    encoding: Encoding,
) -> lsp::CompletionResponse {
    let replace = range(snapshot, &c.replace, encoding);
    let items = c
        .items
        .iter()
        .map(|item| lsp::CompletionItem {
            label: item.label.clone(),
            kind: Some(match item.kind {
                CompletionKind::Key => lsp::CompletionItemKind::PROPERTY,
                CompletionKind::Value => lsp::CompletionItemKind::VALUE,
                CompletionKind::Speaker => lsp::CompletionItemKind::CLASS,
                CompletionKind::QuestionLabel => lsp::CompletionItemKind::KEYWORD,
                CompletionKind::Entity => lsp::CompletionItemKind::ENUM_MEMBER,
                CompletionKind::EntityType => lsp::CompletionItemKind::TYPE_PARAMETER,
            }),
            detail: item.detail.clone(),
            documentation: item.documentation.as_ref().map(|d| {
                lsp::Documentation::MarkupContent(lsp::MarkupContent {
                    kind: lsp::MarkupKind::Markdown,
                    value: d.clone(),
                })
            }),
            text_edit: Some(lsp::CompletionTextEdit::Edit(lsp::TextEdit::new(
                replace,
                item.insert_text.clone(),
            ))),
            ..Default::default()
        })
        .collect();
    // Incomplete: the client asks again as the user types, for the next matches.
    lsp::CompletionResponse::List(lsp::CompletionList {
        is_incomplete: !c.complete,
        items,
    })
}

pub fn folding_ranges(folds: &[Fold], snapshot: &Snapshot) -> Vec<lsp::FoldingRange> {
    folds
        .iter()
        .map(|f| {
            // Folding ranges are whole lines: no column unit is involved.
            let start = snapshot.index.line_of(f.span.start) as u32;
            let end = snapshot
                .index
                .line_of(f.span.end.saturating_sub(1).max(f.span.start))
                as u32;
            lsp::FoldingRange {
                start_line: start,
                end_line: end,
                kind: Some(match f.kind {
                    FoldKind::Comment => lsp::FoldingRangeKind::Comment,
                    FoldKind::Header => lsp::FoldingRangeKind::Imports,
                    FoldKind::Section | FoldKind::Question => lsp::FoldingRangeKind::Region,
                }),
                ..Default::default()
            }
        })
        .collect()
}

pub fn links(links: &[Link], snapshot: &Snapshot, encoding: Encoding) -> Vec<lsp::DocumentLink> {
    links
        .iter()
        .filter_map(|l| {
            Some(lsp::DocumentLink {
                range: range(snapshot, &l.span, encoding),
                target: Some(l.target.parse().ok()?),
                tooltip: l.tooltip.clone(),
                data: None,
            })
        })
        .collect()
}

pub fn inlay_hints(
    hints: &[InlayHint],
    snapshot: &Snapshot,
    encoding: Encoding,
) -> Vec<lsp::InlayHint> {
    hints
        .iter()
        .map(|h| {
            let lc = snapshot.line_col(h.offset, encoding);
            let (label, kind, padding_left, padding_right) = match h.kind {
                // `[Mr Kerry]{kerry}` then ` John Kerry`.
                InlayHintKind::EntityName => {
                    (h.label.clone(), lsp::InlayHintKind::PARAMETER, true, false)
                }
                // `Q3 ` then `Q:`.
                InlayHintKind::QuestionNumber => {
                    (h.label.clone(), lsp::InlayHintKind::TYPE, false, true)
                }
            };
            lsp::InlayHint {
                position: lsp::Position::new(lc.line, lc.col),
                label: lsp::InlayHintLabel::String(label),
                kind: Some(kind),
                text_edits: None,
                tooltip: None,
                padding_left: Some(padding_left),
                padding_right: Some(padding_right),
                data: None,
            }
        })
        .collect()
}

pub fn highlights(
    found: &[Highlight],
    snapshot: &Snapshot,
    encoding: Encoding,
) -> Vec<lsp::DocumentHighlight> {
    found
        .iter()
        .map(|h| lsp::DocumentHighlight {
            range: range(snapshot, &h.span, encoding),
            kind: Some(match h.kind {
                HighlightKind::Read => lsp::DocumentHighlightKind::READ,
                HighlightKind::Write => lsp::DocumentHighlightKind::WRITE,
            }),
        })
        .collect()
}

/// Spans from the innermost out, as the nested `parent` chain LSP wants.
pub fn selection_range(
    spans: &[Span],
    snapshot: &Snapshot,
    encoding: Encoding,
) -> Option<lsp::SelectionRange> {
    spans.iter().rev().fold(None, |parent, span| {
        Some(lsp::SelectionRange {
            range: range(snapshot, span, encoding),
            parent: parent.map(Box::new),
        })
    })
}

pub fn semantic_tokens_legend() -> lsp::SemanticTokensLegend {
    lsp::SemanticTokensLegend {
        token_types: TOKEN_TYPES
            .iter()
            .map(|t| lsp::SemanticTokenType::new(t))
            .collect(),
        token_modifiers: TOKEN_MODIFIERS
            .iter()
            .map(|m| lsp::SemanticTokenModifier::new(m))
            .collect(),
    }
}

/// The tokens, delta-encoded as LSP wants them, in one pass: a token's
/// column is counted on from the previous token of its line, so a long line
/// with many tokens is not rescanned for each.
pub fn semantic_tokens(
    tokens: &[Token],
    snapshot: &Snapshot,
    text: &str,
    encoding: Encoding,
) -> lsp::SemanticTokens {
    let mut data = Vec::with_capacity(tokens.len());
    // The previous token's line, start column, and end (offset, column).
    let mut previous: Option<(u32, u32, usize, u32)> = None;
    for t in tokens {
        let line = snapshot.index.line_of(t.span.start) as u32;
        let col = match previous {
            Some((l, _, end, end_col)) if l == line && end <= t.span.start => {
                end_col + column_width(&text[end..t.span.start], encoding) as u32
            }
            _ => snapshot.index.line_col(text, t.span.start, encoding).col,
        };
        let length = column_width(&text[t.span.clone()], encoding) as u32;
        let (delta_line, delta_start) = match previous {
            Some((l, c, ..)) if l == line => (0, col - c),
            Some((l, ..)) => (line - l, col),
            None => (line, col),
        };
        data.push(lsp::SemanticToken {
            delta_line,
            delta_start,
            length,
            token_type: t.kind.index(),
            token_modifiers_bitset: t.modifiers,
        });
        previous = Some((line, col, t.span.end, col + length));
    }
    lsp::SemanticTokens {
        result_id: None,
        data,
    }
}
