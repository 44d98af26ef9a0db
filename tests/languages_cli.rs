//! Per-language behaviour from the command line: which reading-level formula `haven check` uses
//! (docs/reading-level.md) and right-to-left direction by language (docs/translations.md).

use std::path::Path;
use std::process::{Command, Output};

fn haven(root: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_haven"))
        .args(args)
        .arg("--root")
        .arg(root)
        .output()
        .expect("haven runs")
}

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn page(title: &str, body: &str) -> String {
    format!("+++\ntitle = \"{title}\"\n+++\n{body}\n")
}

#[test]
fn check_names_the_reading_level_formula_of_each_language() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "haven.toml",
        "title = \"x\"\n[languages.fr]\nname = \"Français\"\n[languages.de]\nname = \"Deutsch\"\n[languages.ja]\nname = \"日本語\"\n",
    );
    let fr = "Les investigations épidémiologiques disponibles reposent essentiellement sur des questionnaires rétrospectifs administrés à des échantillons universitaires, ce qui limite considérablement la généralisation des conclusions. ".repeat(4);
    let de = "Epidemiologische Untersuchungen dokumentieren unterschiedliche psychologische Empfindungen unmittelbar nach einvernehmlichen sexuellen Begegnungen zwischen erwachsenen Beziehungspartnern. ".repeat(5);
    let ja = "性交後に気分が落ち込むことがあります。 ".repeat(80);
    write(root, "content/hard.fr.md", &page("Difficile", &fr));
    write(root, "content/hard.de.md", &page("Schwer", &de));
    write(root, "content/hard.ja.md", &page("難しい", &ja));
    write(
        root,
        "content/hard.md",
        &page(
            "Easy",
            &"We talk after sex. It helps us feel close. ".repeat(10),
        ),
    );
    let out = haven(root, &["check"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let line = |file: &str| {
        stderr
            .lines()
            .find(|l| l.contains(file) && l.contains("reading"))
            .unwrap_or_else(|| panic!("no reading-level line for {file} in\n{stderr}"))
            .to_string()
    };
    let fr_line = line("content/hard.fr.md");
    assert!(
        fr_line.contains("warning: reading grade")
            && fr_line.contains("is above the limit of 8 (Kandel-Moles reading ease"),
        "{fr_line}"
    );
    let de_line = line("content/hard.de.md");
    assert!(
        de_line.contains("warning: reading grade") && de_line.contains("(LIX "),
        "{de_line}"
    );
    let ja_line = line("content/hard.ja.md");
    assert!(
        ja_line.contains("note: no reading-level formula applies to language `ja`"),
        "{ja_line}"
    );
    assert!(
        !stderr.contains("content/hard.md:"),
        "the easy English page is under the limit:\n{stderr}"
    );

    // `haven build --stats` names the formula too.
    let out = haven(root, &["build", "--stats"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for (path, formula) in [
        ("/fr/hard/", "Kandel-Moles"),
        ("/de/hard/", "LIX"),
        ("/ja/hard/", "none"),
        ("/hard/", "Flesch-Kincaid"),
    ] {
        let row = stdout
            .lines()
            .find(|l| l.starts_with(&format!("{path} ")))
            .unwrap_or_else(|| panic!("no row {path} in\n{stdout}"));
        assert!(row.contains(formula), "{row}");
    }
}

#[test]
fn right_to_left_languages_get_dir_rtl_without_a_setting() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "haven.toml",
        "title = \"x\"\n[languages.ar-EG]\nname = \"العربية\"\n[languages.fa]\nname = \"فارسی\"\n[languages.he]\nname = \"עברית\"\nrtl = false\n[languages.de]\nname = \"Deutsch\"\nrtl = true\n",
    );
    write(
        root,
        "content/care.md",
        &page("Care", "Rest and drink water."),
    );
    for lang in ["ar-EG", "fa", "he", "de"] {
        write(
            root,
            &format!("content/care.{lang}.md"),
            &page("x", "Text."),
        );
    }
    let out = haven(root, &["build"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let html = |rel: &str| std::fs::read_to_string(root.join("public").join(rel)).unwrap();
    for (rel, tag) in [
        ("care/index.html", r#"<html lang="en" dir="ltr">"#),
        ("ar-EG/care/index.html", r#"<html lang="ar-EG" dir="rtl">"#),
        ("fa/care/index.html", r#"<html lang="fa" dir="rtl">"#),
        // The setting overrides the default both ways.
        ("he/care/index.html", r#"<html lang="he" dir="ltr">"#),
        ("de/care/index.html", r#"<html lang="de" dir="rtl">"#),
    ] {
        assert!(html(rel).contains(tag), "{rel}: no {tag}");
    }
}
