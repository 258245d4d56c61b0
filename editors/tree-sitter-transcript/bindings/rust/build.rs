//! Compiles the generated parser and the external scanner with the system C
//! compiler.

fn main() {
    let src = std::path::Path::new("src");
    let mut build = cc::Build::new();
    build.std("c11").include(src);
    #[cfg(target_env = "msvc")]
    build.flag("-utf-8");
    for file in ["parser.c", "scanner.c"] {
        let path = src.join(file);
        build.file(&path);
        println!("cargo:rerun-if-changed={}", path.display());
    }
    for header in [
        "unicode.h",
        "tree_sitter/parser.h",
        "tree_sitter/array.h",
        "tree_sitter/alloc.h",
    ] {
        println!("cargo:rerun-if-changed={}", src.join(header).display());
    }
    build.compile("tree-sitter-transcript");
}
