//! `--format sarif`: SARIF 2.1.0, for code-scanning dashboards. Columns are
//! declared as Unicode code points.

use serde_json::{Value, json};

use super::{FileReport, Location, related};
use crate::diagnostic::{Rule, Severity};

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info | Severity::Hint => "note",
    }
}

pub fn render(reports: &[FileReport]) -> String {
    let rules: Vec<Value> = Rule::ALL
        .iter()
        .map(|r| {
            json!({
                "id": r.name(),
                "shortDescription": { "text": r.description() },
                "helpUri": r.docs_url(),
                "defaultConfiguration": { "level": level(r.default_severity()) },
            })
        })
        .collect();
    let results: Vec<Value> = reports
        .iter()
        .flat_map(|r| {
            r.diagnostics.iter().map(move |d| {
                let loc = r.location(&d.span);
                let mut text = d.message.clone();
                if let Some(help) = &d.help {
                    text.push_str(&format!(" (help: {help})"));
                }
                let related: Vec<Value> = related(reports, r, d)
                    .iter()
                    .enumerate()
                    .map(|(id, p)| {
                        json!({
                            "id": id,
                            "message": { "text": p.message },
                            "physicalLocation": physical(&p.path, p.location),
                        })
                    })
                    .collect();
                let mut result = json!({
                    "ruleId": d.rule.name(),
                    "ruleIndex": Rule::ALL.iter().position(|x| *x == d.rule),
                    "level": level(d.severity),
                    "message": { "text": text },
                    "locations": [{ "physicalLocation": physical(&r.path, Some(loc)) }],
                });
                if !related.is_empty() {
                    result["relatedLocations"] = Value::Array(related);
                }
                result
            })
        })
        .collect();
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "transcript-ls",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": crate::diagnostic::DOCS_URL,
                "rules": rules,
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    let mut out = crate::escape::json_safe(serde_json::to_string_pretty(&log).unwrap_or_default());
    out.push('\n');
    out
}

/// A file and, when known, the region in it.
fn physical(path: &str, loc: Option<Location>) -> Value {
    let mut out = json!({ "artifactLocation": { "uri": uri(path) } });
    if let Some(loc) = loc {
        out["region"] = json!({
            "startLine": loc.line,
            "startColumn": loc.column,
            "endLine": loc.end_line,
            "endColumn": loc.end_column,
        });
    }
    out
}

/// A relative path as a URI reference: `/` separators, reserved bytes escaped.
fn uri(path: &str) -> String {
    let path = path.replace('\\', "/");
    let mut out = String::new();
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
