//! `--format json`: one array, one object per diagnostic, with stable field
//! names (documented in the README).

use serde_json::json;

use super::{Elsewhere, FileReport, related};

/// One pretty-printed object per diagnostic of a file.
pub fn render(r: &FileReport, elsewhere: &Elsewhere) -> Vec<String> {
    r.diagnostics
        .iter()
        .map(|d| {
            let loc = r.location(&d.span);
            let related: Vec<serde_json::Value> = related(r, d, elsewhere)
                .iter()
                .map(|p| {
                    let loc = p.location;
                    json!({
                        "message": p.message,
                        "file": p.path,
                        "line": loc.map(|l| l.line),
                        "column": loc.map(|l| l.column),
                        "endLine": loc.map(|l| l.end_line),
                        "endColumn": loc.map(|l| l.end_column),
                    })
                })
                .collect();
            let item = json!({
                "file": r.path,
                "line": loc.line,
                "column": loc.column,
                "endLine": loc.end_line,
                "endColumn": loc.end_column,
                "severity": d.severity.name(),
                "code": d.rule.name(),
                "message": d.message,
                "help": d.help,
                "suggestions": d.suggestions,
                "related": related,
                "url": d.rule.docs_url(),
            });
            crate::escape::json_safe(serde_json::to_string_pretty(&item).unwrap_or_default())
        })
        .collect()
}
