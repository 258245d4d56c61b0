//! The importer over the whole development corpus (`../shared/corpus/kremlin`
//! and `../shared/corpus/whitehouse` relative to the repository): every file
//! imports to a transcript with no errors under `check`, as many questions
//! as the raw page has, and every turn's words kept in order; White House
//! pages also with the date and source of their front matter and no speaker
//! declared in capitals. The figures are printed (`-- --nocapture`).
//!
//! The tests need `../shared`: a plain `cargo test` ignores them, `.ci/run`
//! runs them (`-- --ignored`).
//!
//! `IMPORT_DUMP=<dir>` writes the outputs and reports there for reading.

#[path = "import_check.rs"]
mod import_check;
#[path = "common/shared.rs"]
mod shared;

use import_check::{
    errors, output_questions, questions_of, raw_questions, turns_preserved, whitehouse, words_kept,
};
use transcript_ls::analysis::analyze;
use transcript_ls::import::{ImportOptions, import};

#[test]
#[cfg_attr(
    shared_absent,
    ignore = "needs ../shared beside the repository (then `touch build.rs`)"
)]
fn whole_corpus_imports_cleanly() {
    let dir = shared::folder("corpus/kremlin");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("corpus folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    files.sort();
    let dump = std::env::var_os("IMPORT_DUMP").map(std::path::PathBuf::from);
    if let Some(d) = &dump {
        std::fs::create_dir_all(d).expect("dump folder");
    }
    let (mut clean, mut questions_ok, mut preserved) = (0, 0, 0);
    let (mut raw_q_total, mut out_q_total) = (0, 0);
    let mut failures = Vec::new();
    for path in &files {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let raw = std::fs::read_to_string(path).expect("readable corpus file");
        let imported = import(&raw, &ImportOptions::default());
        if let Some(d) = &dump {
            let stem = path.file_stem().unwrap().to_string_lossy();
            std::fs::write(d.join(format!("{stem}.transcript")), &imported.text).unwrap();
            std::fs::write(
                d.join(format!("{stem}.report")),
                imported.report.to_string(),
            )
            .unwrap();
        }
        let errs = errors(&imported.text);
        if errs.is_empty() {
            clean += 1;
        } else {
            failures.push(format!("{name}: {} errors, first: {}", errs.len(), errs[0]));
        }
        let (rq, oq) = (raw_questions(&raw), output_questions(&imported.text));
        raw_q_total += rq;
        out_q_total += oq;
        if rq == oq {
            questions_ok += 1;
        } else {
            failures.push(format!(
                "{name}: {rq} questions in the raw page, {oq} in the output"
            ));
        }
        match turns_preserved(&raw, &imported) {
            Ok(()) => preserved += 1,
            Err(e) => failures.push(format!("{name}: {e}")),
        }
    }
    let n = files.len();
    println!(
        "import corpus: {n} files; {clean} with no errors; {questions_ok} with matching questions ({out_q_total} of {raw_q_total}); {preserved} with every turn's words in order"
    );
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// A header value of a transcript.
fn header_values(text: &str, key: &str) -> Vec<String> {
    analyze(text, None)
        .syntax
        .header
        .map(|h| h.get(key).map(|e| e.value.clone()).collect())
        .unwrap_or_default()
}

/// A front matter value of a raw page (`key: value`, quotes removed).
fn front_matter(raw: &str, key: &str) -> Option<String> {
    raw.lines()
        .skip(1)
        .take_while(|l| l.trim() != "---")
        .find_map(|l| l.strip_prefix(&format!("{key}:")))
        .map(|v| v.trim().trim_matches(['\'', '"']).to_string())
}

/// A speaker's name written in capitals: wholly, or with a word of five
/// letters or more in capitals (acronyms such as `NSC` are fine).
fn in_capitals(name: &str) -> bool {
    let letters: Vec<char> = name.chars().filter(|c| c.is_alphabetic()).collect();
    let all = !letters.is_empty() && letters.iter().all(|c| c.is_uppercase());
    all || name.split_whitespace().any(|w| {
        let l: Vec<char> = w.chars().filter(|c| c.is_alphabetic()).collect();
        l.len() >= 5 && l.iter().all(|c| c.is_uppercase())
    })
}

#[test]
#[cfg_attr(
    shared_absent,
    ignore = "needs ../shared beside the repository (then `touch build.rs`)"
)]
fn whitehouse_corpus_imports_cleanly() {
    let dir = shared::folder("corpus/whitehouse");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("corpus folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    files.sort();
    let dump = std::env::var_os("IMPORT_DUMP").map(std::path::PathBuf::from);
    if let Some(d) = &dump {
        std::fs::create_dir_all(d).expect("dump folder");
    }
    let source = whitehouse();
    let (
        mut clean,
        mut questions_ok,
        mut preserved,
        mut dated,
        mut sourced,
        mut named,
        mut detected,
    ) = (0, 0, 0, 0, 0, 0, 0);
    let (mut raw_q_total, mut out_q_total) = (0, 0);
    let mut failures = Vec::new();
    for path in &files {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let raw = std::fs::read_to_string(path).expect("readable corpus file");
        let imported = import(&raw, &ImportOptions::default());
        if let Some(d) = &dump {
            let stem = path.file_stem().unwrap().to_string_lossy();
            std::fs::write(d.join(format!("{stem}.transcript")), &imported.text).unwrap();
            std::fs::write(
                d.join(format!("{stem}.report")),
                imported.report.to_string(),
            )
            .unwrap();
        }
        let text = &imported.text;
        if imported.report.layout == "whitehouse" {
            detected += 1;
        } else {
            failures.push(format!("{name}: read as {}", imported.report.layout));
        }
        let errs = errors(text);
        if errs.is_empty() {
            clean += 1;
        } else {
            failures.push(format!("{name}: {} errors, first: {}", errs.len(), errs[0]));
        }
        let (rq, oq) = (questions_of(&raw, &source), output_questions(text));
        raw_q_total += rq;
        out_q_total += oq;
        if rq == oq {
            questions_ok += 1;
        } else {
            failures.push(format!(
                "{name}: {rq} questions in the raw page, {oq} in the output"
            ));
        }
        match words_kept(&raw, &imported, &source) {
            Ok(()) => preserved += 1,
            Err(e) => failures.push(format!("{name}: {e}")),
        }
        let date = front_matter(&raw, "date");
        if date.is_some() && header_values(text, "date") == Vec::from_iter(date.clone()) {
            dated += 1;
        } else {
            failures.push(format!(
                "{name}: the date is not the front matter's {date:?}"
            ));
        }
        let url = front_matter(&raw, "source_url");
        if url.is_some() && header_values(text, "source") == Vec::from_iter(url.clone()) {
            sourced += 1;
        } else {
            failures.push(format!(
                "{name}: the source is not the front matter's {url:?}"
            ));
        }
        let shouted: Vec<String> = header_values(text, "speaker")
            .into_iter()
            .filter(|s| in_capitals(s.split(" (").next().unwrap_or(s)))
            .collect();
        if shouted.is_empty() {
            named += 1;
        } else {
            failures.push(format!("{name}: speakers in capitals: {shouted:?}"));
        }
    }
    let n = files.len();
    println!(
        "import whitehouse corpus: {n} files; {detected} read as whitehouse; {clean} with no errors; {questions_ok} with matching questions ({out_q_total} of {raw_q_total}); {preserved} with every turn's words in order; {dated} with the front matter's date, {sourced} with its source; {named} with no speaker in capitals"
    );
    assert!(n > 0, "no pages in {}", dir.display());
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
