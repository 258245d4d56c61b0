//! `--format github`: GitHub Actions workflow commands, which the runner
//! turns into annotations on the pull request.

use super::{Elsewhere, FileReport, related};
use crate::diagnostic::Severity;

/// One workflow command per diagnostic of a file.
pub fn render(r: &FileReport, elsewhere: &Elsewhere) -> Vec<String> {
    let mut out = Vec::new();
    {
        for d in &r.diagnostics {
            let loc = r.location(&d.span);
            let command = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info | Severity::Hint => "notice",
            };
            let mut message = d.message.clone();
            if let Some(help) = &d.help {
                message.push_str("\nhelp: ");
                message.push_str(help);
            }
            for place in related(r, d, elsewhere) {
                message.push_str("\nnote: ");
                message.push_str(&place.note());
            }
            out.push(format!(
                "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}",
                property(&r.path),
                loc.line,
                loc.column,
                loc.end_line,
                loc.end_column,
                property(d.rule.name()),
                data(&message),
            ));
        }
    }
    out
}

/// A workflow command's message: `%`, CR and LF encoded as the runner
/// wants, and characters that must not reach the log raw shown escaped.
fn data(s: &str) -> String {
    let encoded = s
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A");
    crate::escape::shown(&encoded).into_owned()
}

fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}
