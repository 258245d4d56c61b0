//! `../shared` beside the repository: the development material (the raw
//! corpus pages in `corpus/`, the seeds in `seeds/`) that some tests read.
//!
//! Without that folder, build.rs sets `cfg(shared_absent)` and those tests
//! are compiled as ignored, with the reason, so `cargo test` lists them as
//! skipped. Should the folder go away after the build, they fail with the
//! message below instead of passing having checked nothing.

use std::path::PathBuf;

/// A folder of `../shared`, such as `corpus/kremlin`; panics, saying what
/// is missing, when it is not there.
pub fn folder(rel: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared")
        .join(rel);
    assert!(
        dir.is_dir(),
        "{} is missing: this test needs the shared development material (../shared, \
         with corpus/ and seeds/) beside the repository; see the README, \"Tests and CI\"",
        dir.display()
    );
    dir
}
