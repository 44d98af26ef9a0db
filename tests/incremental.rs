//! A second build, after one page changed, reuses unchanged files and matches a cold build
//! byte for byte.

use std::path::{Path, PathBuf};
use std::process::Command;

fn build(root: &Path, output: &Path) {
    let out = Command::new(env!("CARGO_BIN_EXE_haven"))
        .args(["build", "--root"])
        .arg(root)
        .arg("--output")
        .arg(output)
        .env("HAVEN_TODAY", "2026-11-23")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Every file but the build manifest (which holds modification times), with its bytes.
fn tree(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files: Vec<_> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file() && e.file_name() != haven::output::MANIFEST)
        .map(|e| {
            (
                e.path().strip_prefix(dir).unwrap().to_path_buf(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}

#[test]
fn warm_build_after_an_edit_equals_a_cold_build() {
    let site = tempfile::tempdir().unwrap();
    let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/basic");
    for entry in walkdir::WalkDir::new(&from) {
        let entry = entry.unwrap();
        let target = site.path().join(entry.path().strip_prefix(&from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
    let out = tempfile::tempdir().unwrap();
    let warm = out.path().join("warm");
    build(site.path(), &warm);
    let unchanged = warm.join("aftercare/why/index.html");
    let inode_before = std::fs::metadata(&unchanged)
        .map(|m| std::os::unix::fs::MetadataExt::ino(&m))
        .unwrap();

    let page = site.path().join("content/aftercare/what.md");
    let text = std::fs::read_to_string(&page).unwrap();
    std::fs::write(
        &page,
        text.replace(
            "Keep water near the bed.",
            "Keep water and a blanket near the bed.",
        ),
    )
    .unwrap();
    build(site.path(), &warm);
    let cold = out.path().join("cold");
    build(site.path(), &cold);

    assert_eq!(
        tree(&warm),
        tree(&cold),
        "a warm build differs from a cold one"
    );
    assert!(
        std::fs::read_to_string(warm.join("aftercare/what/index.html"))
            .unwrap()
            .contains("water and a blanket")
    );
    // The page that did not change was left in place, not written again.
    let inode_after = std::fs::metadata(&unchanged)
        .map(|m| std::os::unix::fs::MetadataExt::ino(&m))
        .unwrap();
    assert_eq!(inode_before, inode_after, "an unchanged page was rewritten");
}
