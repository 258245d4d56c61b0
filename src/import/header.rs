//! The rendered header: the `---` block written from what the page says
//! about itself and the declared speakers.

use super::labels::Speaker;
use super::page::HeaderInfo;
use super::report::ImportReport;

/// A header value: one line, trimmed, with no characters the header would
/// misread.
fn value(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `X (Y)` in a role would be read as a name and a role: keep it as `X, Y`.
fn role_value(role: &str) -> String {
    let mut out = String::new();
    for c in role.chars() {
        match c {
            '(' => {
                let trimmed = out.trim_end().to_string();
                out = trimmed;
                if !out.is_empty() && !out.ends_with(',') {
                    out.push(',');
                }
                out.push(' ');
            }
            ')' => {}
            c => out.push(c),
        }
    }
    value(&out)
}

/// Writes the header block.
pub(crate) fn render(info: &HeaderInfo, speakers: &[Speaker], report: &mut ImportReport) -> String {
    let mut out = String::from("---\n");
    let title = info.title.as_deref().map(value).filter(|t| !t.is_empty());
    match &title {
        Some(t) => out.push_str(&format!("title: {t}\n")),
        None => {
            out.push_str("title: Untitled\n");
            report.note("no title found: wrote `title: Untitled`");
        }
    }
    match info.date {
        Some(d) => out.push_str(&format!("date: {}\n", d.format("%Y-%m-%d"))),
        None => {
            out.push_str("// The raw text gives no date: 1970-01-01 is a placeholder.\n");
            out.push_str("date: 1970-01-01\n");
            report.note("no date found: wrote the placeholder `date: 1970-01-01`; correct it");
        }
    }
    if let Some(t) = &info.time {
        out.push_str(&format!("time: {t}\n"));
    }
    if let Some(p) = info.place.as_deref().map(value).filter(|p| !p.is_empty()) {
        out.push_str(&format!("place: {p}\n"));
    }
    if !info.languages.is_empty() {
        let language = info
            .languages
            .iter()
            .find(|t| t.starts_with("en"))
            .unwrap_or(&info.languages[0]);
        out.push_str(&format!("language: {language}\n"));
        out.push_str(&format!("languages: {}\n", info.languages.join(", ")));
    }
    if let Some(s) = &info.source {
        out.push_str(&format!("source: {s}\n"));
    }
    for s in speakers {
        let name = value(&s.name);
        match s.role.as_deref().map(role_value).filter(|r| !r.is_empty()) {
            Some(role) => out.push_str(&format!("speaker: {name} ({role})\n")),
            None => out.push_str(&format!("speaker: {name}\n")),
        }
    }
    let tags: Vec<String> = info
        .tags
        .iter()
        .map(|t| value(t))
        .filter(|t| !t.is_empty())
        .collect();
    if !tags.is_empty() {
        out.push_str(&format!("tags: {}\n", tags.join(", ")));
    }
    for (key, v) in &info.extra {
        out.push_str(&format!("{key}: {}\n", value(v)));
    }
    out.push_str("---\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_keep_their_parentheses_as_commas() {
        assert_eq!(
            role_value("CEO of the Fund (RDIF)"),
            "CEO of the Fund, RDIF"
        );
    }
}
