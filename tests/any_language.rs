//! A site in a language the built-in themes ship no UI strings for (issue 21.2): it builds with
//! both themes, falling back to the themes' English strings, its pages say `lang="fr"`, and
//! `haven check` warns about the missing strings without failing.

mod common;

use std::path::Path;
use std::process::{Command, Output};

fn haven(root: &Path, command: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_haven"))
        .arg(command)
        .arg("--root")
        .arg(root)
        .output()
        .expect("haven runs")
}

/// A copy of `tests/fixtures/lang-fr` using the built-in theme `theme`.
fn french_site(theme: &str) -> tempfile::TempDir {
    let dir = common::copy_fixture("lang-fr");
    let config = dir.path().join("haven.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(&config, format!("theme = \"{theme}\"\n{text}")).unwrap();
    dir
}

fn read(root: &Path, path: &str) -> String {
    std::fs::read_to_string(root.join("public").join(path))
        .unwrap_or_else(|e| panic!("public/{path}: {e}"))
}

#[test]
fn a_french_only_site_builds_with_both_themes_in_english_fallback() {
    for theme in ["guide", "clinic"] {
        let site = french_site(theme);
        let root = site.path();
        let out = haven(root, "build");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{theme}: build failed:\n{stderr}");
        assert!(!stderr.contains("template error"), "{theme}:\n{stderr}");
        for path in [
            "index.html",
            "apres/index.html",
            "apres/tristesse/index.html",
            "apres/parler/index.html",
            "handouts/tristesse/index.html",
        ] {
            let html = read(root, path);
            assert!(
                html.contains("<html lang=\"fr\""),
                "{theme}: {path} is not lang=\"fr\""
            );
            // No French strings anywhere: the theme's built-in English shows.
            assert!(
                html.contains("Skip to main content"),
                "{theme}: {path} has no skip link"
            );
        }
        let page = read(root, "apres/tristesse/index.html");
        assert!(
            page.contains("class=\"quiz quiz-knowledge\""),
            "{theme}: no quiz"
        );
        let handout = read(root, "handouts/tristesse/index.html");
        assert!(
            handout.contains("Answers"),
            "{theme}: handout without answers"
        );
    }
}

#[test]
fn check_warns_about_the_missing_strings_and_passes() {
    for theme in ["guide", "clinic"] {
        let site = french_site(theme);
        let out = haven(site.path(), "check");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{theme}:\n{stderr}");
        let warning = stderr
            .lines()
            .find(|l| l.contains("UI strings are missing in `fr`"))
            .unwrap_or_else(|| panic!("{theme}: no missing-string warning in\n{stderr}"));
        // No i18n/fr.toml anywhere: the warning has no file, and says which file to add.
        assert!(
            warning.starts_with("warning: "),
            "{theme}: unexpected location: {warning}"
        );
        assert!(
            warning.contains("`all_tags`, `back_home`, `breadcrumbs`,")
                && warning.contains("readers see the built-in English text"),
            "{theme}: {warning}"
        );
        assert!(
            stderr.contains(
                "help: add i18n/fr.toml to the site with these keys: copy (built-in theme)"
            ),
            "{theme}:\n{stderr}"
        );
    }
}

#[test]
fn a_site_fr_toml_is_used_and_the_rest_still_falls_back() {
    let site = french_site("guide");
    let root = site.path();
    std::fs::create_dir(root.join("i18n")).unwrap();
    std::fs::write(
        root.join("i18n/fr.toml"),
        "skip_link = \"Aller au contenu\"\nall_tags = \"Toutes les étiquettes\"\n",
    )
    .unwrap();
    let out = haven(root, "build");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let html = read(root, "apres/parler/index.html");
    assert!(html.contains("Aller au contenu"));
    assert!(!html.contains("Skip to main content"));

    let out = haven(root, "check");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let warning = stderr
        .lines()
        .find(|l| l.contains("UI strings are missing in `fr`"))
        .unwrap_or_else(|| panic!("no missing-string warning in\n{stderr}"));
    assert!(
        warning.contains("i18n/fr.toml: warning: ") && warning.contains("(`back_home`,"),
        "{warning}"
    );
    assert!(!warning.contains("`all_tags`"), "{warning}");
}
