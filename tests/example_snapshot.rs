//! The example site's whole output, as a listing of every file's length and hash, kept as an
//! insta snapshot: optimisations must not change a byte. After a deliberate change to content,
//! themes or rendering, review and accept the new listing with `cargo insta review` (or
//! INSTA_UPDATE=always cargo test --test example_snapshot).

use std::fmt::Write;
use std::path::Path;
use std::process::Command;

/// FNV-1a: a fixed, dependency-free hash, the same on every Rust version.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf29ce484222325, |h, &b| {
        (h ^ b as u64).wrapping_mul(0x100000001b3)
    })
}

#[test]
fn example_site_output_is_unchanged() {
    let out = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let result = Command::new(env!("CARGO_BIN_EXE_haven"))
        .args(["build", "--root"])
        .arg(root)
        .arg("--output")
        .arg(out.path())
        .env("HAVEN_TODAY", "2026-11-23")
        .output()
        .unwrap();
    assert!(
        result.status.success(),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
    let mut files: Vec<_> = walkdir::WalkDir::new(out.path())
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file() && e.file_name() != haven::output::MANIFEST)
        .map(|e| e.path().to_path_buf())
        .collect();
    files.sort();
    let mut listing = String::new();
    for f in files {
        let bytes = std::fs::read(&f).unwrap();
        let rel = f
            .strip_prefix(out.path())
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        writeln!(listing, "{:016x} {:>8} {rel}", fnv1a(&bytes), bytes.len()).unwrap();
    }
    insta::assert_snapshot!("example_site_output", listing);
}
