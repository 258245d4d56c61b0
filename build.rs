//! Whether `../shared` (the development corpus and seeds) is beside the
//! repository: when it is not, the tests that read it are compiled as
//! ignored, with the reason (`cfg(shared_absent)`), so `cargo test` says it
//! skipped them instead of passing having read nothing.

use std::path::Path;

fn main() {
    println!("cargo::rustc-check-cfg=cfg(shared_absent)");
    println!("cargo::rerun-if-changed=build.rs");
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared");
    let folders = ["corpus", "seeds"].map(|f| shared.join(f));
    if folders.iter().all(|f| f.is_dir()) {
        // Watched while there: a folder that goes away reruns this script.
        for folder in &folders {
            println!("cargo::rerun-if-changed={}", folder.display());
        }
    } else {
        // Not watched while absent (a missing path would rerun this script,
        // and rebuild everything, on every build): after adding ../shared,
        // `touch build.rs` or `cargo clean` to run those tests.
        println!("cargo::rustc-cfg=shared_absent");
    }
}
