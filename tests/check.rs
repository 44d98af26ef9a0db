//! `haven check`: lints, exit codes, strict mode and the JSON shape.

use std::path::Path;
use std::process::{Command, Output};

fn check(root: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_haven"))
        .arg("check")
        .arg("--root")
        .arg(root)
        .args(args)
        .output()
        .expect("haven runs")
}

fn fixture(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

#[test]
fn lints_are_located_and_an_error_fails() {
    let out = check(&fixture("lints"), &[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    for expected in [
        "content/facts/claims.md:4:11: error: this image has no alt text",
        "content/facts/claims.md:6:3: warning: this link has no text",
        "content/facts/claims.md:8:1: warning: heading level 4 follows level 1: a level is skipped",
        "content/facts/claims.md:10:1: warning: this paragraph has 45 words (the limit is 40)",
        "warning: this page states facts but lists no sources",
        "warning: this page has no review date",
    ] {
        assert!(
            stderr.contains(expected),
            "missing {expected:?} in\n{stderr}"
        );
    }
    assert!(
        !stderr.contains("content/about.md"),
        "about.md is not factual and is clean:\n{stderr}"
    );
    assert!(
        stdout.contains("Checked 2 pages: 1 error, 5 warnings"),
        "{stdout}"
    );
    // check writes nothing.
    assert!(!fixture("lints").join("public").exists());
}

#[test]
fn clean_site_passes_and_strict_fails_on_warnings() {
    let basic = fixture("basic");
    let out = check(&basic, &["--strict"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("content")).unwrap();
    std::fs::write(dir.path().join("haven.toml"), "title = \"x\"\n").unwrap();
    std::fs::write(
        dir.path().join("content/_index.md"),
        "+++\ntitle = \"x\"\n+++\n#### Deep\n",
    )
    .unwrap();
    assert!(
        check(dir.path(), &[]).status.success(),
        "warnings alone pass"
    );
    assert_eq!(
        check(dir.path(), &["--strict"]).status.code(),
        Some(1),
        "--strict fails on warnings"
    );
}

#[test]
fn reading_grade_and_overdue_reviews_are_warnings() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("content")).unwrap();
    std::fs::write(dir.path().join("haven.toml"), "title = \"x\"\n").unwrap();
    let hard = "Notwithstanding considerable methodological heterogeneity, epidemiological investigations consistently demonstrate substantial interindividual variability regarding postcoital psychological manifestations. ".repeat(8);
    std::fs::write(
        dir.path().join("content/hard.md"),
        format!(
            "+++\ntitle = \"Hard\"\nreviewed_on = 2020-01-01\nreview_every = 12\n+++\n{hard}\n"
        ),
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_haven"))
        .args(["check", "--format", "json", "--root"])
        .arg(dir.path())
        .env("HAVEN_TODAY", "2026-11-23")
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let codes: Vec<&str> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|d| d["code"].as_str())
        .collect();
    assert!(codes.contains(&"reading-grade"), "{v}");
    let overdue = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "review-overdue")
        .unwrap();
    assert_eq!(overdue["line"], 3, "{v}");
    assert!(overdue["message"].as_str().unwrap().contains("2021-01-01"));
}

#[test]
fn json_output_has_a_stable_shape() {
    let out = check(&fixture("lints"), &["--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("stdout is JSON alone");
    assert_eq!(v["version"], 1);
    assert_eq!(v["errors"], 1);
    assert_eq!(v["warnings"], 5);
    let first = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "image-alt")
        .unwrap();
    assert_eq!(first["severity"], "error");
    assert_eq!(first["file"], "content/facts/claims.md");
    assert_eq!(first["line"], 4);
    assert_eq!(first["column"], 11);
    assert!(
        first["help"]
            .as_str()
            .unwrap()
            .contains("describe the image")
    );
}

#[test]
fn build_errors_are_check_errors_too() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("content")).unwrap();
    std::fs::write(dir.path().join("haven.toml"), "title = \"x\"\n").unwrap();
    std::fs::write(
        dir.path().join("content/_index.md"),
        "+++\ntitle = \"x\"\n+++\n[gone](@/nope.md)\n\n<script src=\"https://tracker.example/t.js\"></script>\n",
    )
    .unwrap();
    let out = check(dir.path(), &["--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let codes: Vec<&str> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|d| d["code"].as_str())
        .collect();
    assert!(codes.contains(&"broken-link"), "{v}");
    assert!(codes.contains(&"third-party-resource"), "{v}");
}
