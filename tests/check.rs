//! `haven check`: lints, exit codes, strict mode and the JSON shape.

mod common;

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

/// The handout fixture's clinic details are example ones (example.org addresses, a `0800 000`
/// phone in a profile file): without `sample_details` each is a located warning, so `--strict`
/// fails before they reach a printed handout.
#[test]
fn placeholder_clinic_details_are_warnings_until_marked_as_samples() {
    let site = common::copy_fixture("handout-basic");
    let root = site.path();
    let toml = root.join("haven.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    let text = text.replace("phone = \"0100 222 3333\"", "phone = \"0000 000 0000\"");
    std::fs::write(&toml, &text).unwrap();
    std::fs::write(
        root.join("clinics/southside.toml"),
        std::fs::read_to_string(root.join("clinics/southside.toml"))
            .unwrap()
            .replace("https://south.example.org/", "https://south.example/"),
    )
    .unwrap();

    let out = check(root, &["--strict"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let line_of = |needle: &str| text.lines().position(|l| l.contains(needle)).unwrap() + 1;
    for expected in [
        format!(
            "haven.toml:{}:12: warning: base_url is a placeholder (https://guide.example.org/)",
            line_of("base_url = ")
        ),
        format!(
            "haven.toml:{}:9: warning: [clinic] phone is a placeholder (0000 000 0000): readers who need help would call a number that does not exist",
            line_of("0000 000 0000")
        ),
        format!(
            "haven.toml:{}:11: warning: [clinic] website is a placeholder",
            line_of("website = \"https://fixture-clinic")
        ),
        "warning: [clinic] email is a placeholder (hello@fixture-clinic.example.org)".into(),
        "warning: [clinics.northside] base_url is a placeholder".into(),
        "warning: [clinics.northside.clinic] website is a placeholder".into(),
        "clinics/southside.toml:2:12: warning: clinic profile southside: base_url is a placeholder (https://south.example/)".into(),
    ] {
        assert!(stderr.contains(&expected), "missing {expected:?} in\n{stderr}");
    }
    // A real-looking phone is not a placeholder.
    assert!(!stderr.contains("0100 444 5555"), "{stderr}");
    assert!(stderr.contains("set sample_details = true"), "{stderr}");
    assert!(stdout.contains("0 errors, 7 warnings"), "{stdout}");

    // Marked as samples: the same findings are notes, and --strict passes.
    std::fs::write(&toml, format!("sample_details = true\n{text}")).unwrap();
    let out = check(root, &["--strict"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("note: [clinic] phone is a placeholder"),
        "{stderr}"
    );
    assert!(stdout.contains("0 errors, 0 warnings, 7 notes"), "{stdout}");
}

/// `sample_details = true` puts a visible banner on every handout, in the page's language; once
/// no placeholder is left, check says to remove the flag.
#[test]
fn sample_details_mark_every_handout_and_are_removed_once_details_are_real() {
    let site = common::copy_fixture("handout-basic");
    let root = site.path();
    let toml = root.join("haven.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(&toml, format!("sample_details = true\n{text}")).unwrap();
    let out_dir = tempfile::tempdir().unwrap();
    let built = Command::new(env!("CARGO_BIN_EXE_haven"))
        .args(["build", "--root"])
        .arg(root)
        .arg("--output")
        .arg(out_dir.path().join("public"))
        .output()
        .unwrap();
    assert!(
        built.status.success(),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
    let public = out_dir.path().join("public");
    let en = std::fs::read_to_string(public.join("handouts/leaflet/index.html")).unwrap();
    assert!(
        en.contains("<p class=\"handout-sample\" role=\"note\">Sample handout: the clinic details on it are examples. Replace them before giving this to patients.</p>"),
        "{en}"
    );
    let es = std::fs::read_to_string(public.join("es/handouts/leaflet/index.html")).unwrap();
    assert!(es.contains("Folleto de muestra"), "{es}");
    // Articles on screen carry no banner: it is for paper.
    let article = std::fs::read_to_string(public.join("learn/leaflet/index.html")).unwrap();
    assert!(!article.contains("handout-sample"));

    // Real details everywhere: the flag is now the problem.
    let real = text
        .replace("guide.example.org", "guide.fixture-clinic.nhs.uk")
        .replace("fixture-clinic.example.org", "fixture-clinic.nhs.uk")
        .replace("northside.example.org", "northside.nhs.uk");
    std::fs::write(&toml, format!("sample_details = true\n{real}")).unwrap();
    std::fs::write(
        root.join("clinics/southside.toml"),
        std::fs::read_to_string(root.join("clinics/southside.toml"))
            .unwrap()
            .replace("south.example.org", "south.nhs.uk"),
    )
    .unwrap();
    let out = check(root, &["--strict"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(
            "haven.toml:1:1: warning: sample_details = true, but no placeholder details are left"
        ),
        "{stderr}"
    );
    // Without the flag, a site with real details is clean.
    std::fs::write(&toml, &real).unwrap();
    let out = check(root, &["--strict"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// `check` leaves out the search index (no lint reads it), but a file that would overwrite one
/// of its files is still the error `build` gives: the index is made when something else lands
/// in `search/LANG/`.
#[test]
fn a_static_file_where_the_search_index_goes_fails_check_as_it_fails_build() {
    let dir = common::copy_fixture("basic");
    std::fs::create_dir_all(dir.path().join("static/search/en")).unwrap();
    std::fs::write(dir.path().join("static/search/en/index.json"), "{}").unwrap();
    let expected = "two things would be written to search/en/index.json";
    let out = check(dir.path(), &[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains(expected), "{stderr}");
    let output = dir.path().join("out");
    let built = common::haven(&[
        "build",
        "--root",
        dir.path().to_str().unwrap(),
        "--output",
        output.to_str().unwrap(),
    ]);
    assert!(!built.status.success());
    assert!(common::printed(&built).contains(expected));
    // A static file elsewhere under search/ clashes with nothing.
    std::fs::remove_file(dir.path().join("static/search/en/index.json")).unwrap();
    std::fs::write(dir.path().join("static/search/en/notes.txt"), "hi").unwrap();
    let out = check(dir.path(), &[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
