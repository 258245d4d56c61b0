//! `--format sarif`: SARIF 2.1.0, for code-scanning dashboards. Columns are
//! declared as Unicode code points.

use serde_json::{Value, json};

use super::{Elsewhere, FileReport, Location, related};
use crate::diagnostic::{Rule, Severity};

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info | Severity::Hint => "note",
    }
}

/// The log without its results, pretty-printed: what comes before the
/// results and what comes after them (the results are written in between).
fn frame() -> (String, String) {
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
            "results": [],
        }],
    });
    let text = serde_json::to_string_pretty(&log).unwrap_or_default();
    let at = text
        .find("\"results\": [")
        .map_or(text.len(), |i| i + "\"results\": [".len());
    let (head, tail) = text.split_at(at);
    (head.to_string(), format!("{tail}\n"))
}

/// What comes before the results.
pub fn head() -> String {
    frame().0
}

/// What comes after the results.
pub fn tail() -> String {
    frame().1
}

/// One pretty-printed result per diagnostic of a file.
pub fn render(r: &FileReport, elsewhere: &Elsewhere) -> Vec<String> {
    r.diagnostics
        .iter()
        .map(|d| {
            let loc = r.location(&d.span);
            let mut text = d.message.clone();
            if let Some(help) = &d.help {
                text.push_str(&format!(" (help: {help})"));
            }
            let related: Vec<Value> = related(r, d, elsewhere)
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
            crate::escape::json_safe(serde_json::to_string_pretty(&result).unwrap_or_default())
        })
        .collect()
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
