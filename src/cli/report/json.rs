//! `--format json`: one array, one object per diagnostic, with stable field
//! names (documented in the README).

use serde_json::json;

use super::{FileReport, related};

pub fn render(reports: &[FileReport]) -> String {
    let items: Vec<serde_json::Value> = reports
        .iter()
        .flat_map(|r| {
            r.diagnostics.iter().map(move |d| {
                let loc = r.location(&d.span);
                let related: Vec<serde_json::Value> = related(reports, r, d)
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
                json!({
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
                })
            })
        })
        .collect();
    let mut out =
        crate::escape::json_safe(serde_json::to_string_pretty(&items).unwrap_or_default());
    out.push('\n');
    out
}
