//! The importer over the whole development corpus (`../shared/corpus/kremlin`
//! relative to the repository; skipped when absent): every file imports to a
//! transcript with no errors under `check`, as many `Question` turns as the
//! raw page has, and every turn's words kept in order.
//!
//! `IMPORT_DUMP=<dir>` writes the outputs and reports there for reading.

#[path = "import_check.rs"]
mod import_check;

use import_check::{corpus_dir, errors, output_questions, raw_questions, turns_preserved};
use transcript_ls::import::{ImportOptions, import};

#[test]
fn whole_corpus_imports_cleanly() {
    let Some(dir) = corpus_dir() else {
        println!("skipped: no corpus at ../shared/corpus/kremlin");
        return;
    };
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
