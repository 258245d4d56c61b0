//! `--to tsv`: one row per turn (narration paragraphs included), for
//! dataframes and spreadsheets. Tab-separated with a header row; in every
//! field a backslash, tab, line feed and carriage return are written `\\`,
//! `\t`, `\n` and `\r`, so that a row is one line; a field with a double
//! quote is quoted (`"…"`, the quote doubled), as pandas and R expect.

use super::Facts;

/// The columns, in order.
pub const COLUMNS: &[&str] = &[
    "file", "id", "date", "turn", "section", "speaker", "role", "entity", "kind", "question",
    "answers", "words", "text",
];

/// How a turn's section path is written in the `section` column.
pub const SECTION_SEPARATOR: &str = " / ";

/// The header row.
pub fn header() -> String {
    write(|w| w.write_record(COLUMNS))
}

/// The rows of a transcript, without the header row.
pub fn rows(facts: &Facts) -> String {
    write(|w| {
        let m = &facts.metadata;
        let date = m.date.map(|d| d.format("%Y-%m-%d").to_string());
        for (i, (t, f)) in facts.body.turns.iter().zip(&facts.turns).enumerate() {
            let speaker = facts.speaker_of(i);
            let number = |n: Option<usize>| n.map(|n| n.to_string()).unwrap_or_default();
            let record = [
                facts.file.to_string(),
                m.id.unwrap_or_default().to_string(),
                date.clone().unwrap_or_default(),
                (i + 1).to_string(),
                facts.body.section_path(t.section).join(SECTION_SEPARATOR),
                speaker.as_ref().map(|s| s.name.clone()).unwrap_or_default(),
                speaker
                    .as_ref()
                    .and_then(|s| s.role.clone())
                    .unwrap_or_default(),
                speaker
                    .as_ref()
                    .and_then(|s| s.entity.clone())
                    .unwrap_or_default(),
                t.kind.name().to_string(),
                number(t.asks()),
                number(t.answers()),
                f.words.to_string(),
                f.joined().0,
            ];
            w.write_record(record.iter().map(|field| escape(field)))?;
        }
        Ok(())
    })
}

/// A whole table: the header row and the transcript's rows.
pub fn render(facts: &Facts) -> String {
    header() + &rows(facts)
}

fn write(f: impl FnOnce(&mut csv::Writer<Vec<u8>>) -> csv::Result<()>) -> String {
    let mut w = csv::WriterBuilder::new()
        .delimiter(b'\t')
        .quote_style(csv::QuoteStyle::Necessary)
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    f(&mut w).expect("writing to memory does not fail");
    let bytes = w.into_inner().expect("writing to memory does not fail");
    String::from_utf8(bytes).expect("UTF-8 fields make UTF-8 rows")
}

/// A field on one line: `\`, tab, LF and CR written as `\\`, `\t`, `\n`, `\r`.
pub fn escape(field: &str) -> String {
    let mut out = String::with_capacity(field.len());
    for c in field.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c => out.push(c),
        }
    }
    out
}
