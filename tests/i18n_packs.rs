//! Haven's built-in UI strings (issue 21.3): every `src/i18n/LANG.toml` ships complete. Each file
//! parses, has exactly the keys of `en.toml` in the same order, no empty string, the same
//! `{placeholders}` per key as English, and text in Unicode NFC (so search folding and string
//! comparison see one form of "é" or "ế"). Right-to-left packs get `dir="rtl"` without a setting.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use unicode_normalization::is_nfc;

fn i18n_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src/i18n")
}

/// Every pack, `(language code, path)`, sorted by code.
fn packs() -> Vec<(String, PathBuf)> {
    let mut packs: Vec<(String, PathBuf)> = std::fs::read_dir(i18n_dir())
        .expect("src/i18n exists")
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "toml"))
        .map(|path| {
            (
                path.file_stem().unwrap().to_string_lossy().into_owned(),
                path,
            )
        })
        .collect();
    packs.sort();
    packs
}

/// A path as the report shows it: from the repository root when it is inside it.
fn shown(path: &Path) -> std::path::Display<'_> {
    path.strip_prefix(env!("CARGO_MANIFEST_DIR"))
        .unwrap_or(path)
        .display()
}

/// A pack's strings in file order, or every problem found reading it.
fn load(path: &Path) -> Result<Vec<(String, String)>, Vec<String>> {
    let name = shown(path);
    let text = std::fs::read_to_string(path).map_err(|e| vec![format!("{name}: {e}")])?;
    let table: toml::Table = text
        .parse()
        .map_err(|e| vec![format!("{name}: not valid TOML: {e}")])?;
    let mut problems = Vec::new();
    // toml::Table does not keep file order: read the order from the lines (the files are flat,
    // one `key = "value"` a line).
    let mut strings = Vec::new();
    for line in text.lines() {
        let Some((key, _)) = line.split_once('=') else {
            continue;
        };
        let key = key.trim();
        if line.starts_with('#') || key.is_empty() || !table.contains_key(key) {
            continue;
        }
        match table[key].as_str() {
            Some(value) => strings.push((key.to_string(), value.to_string())),
            None => problems.push(format!("{name}: `{key}` is not a string")),
        }
    }
    if strings.len() != table.len() {
        problems.push(format!(
            "{name}: {} keys parsed but {} found as `key = \"...\"` lines; keep one key a line",
            table.len(),
            strings.len()
        ));
    }
    if problems.is_empty() {
        Ok(strings)
    } else {
        Err(problems)
    }
}

/// The `{name}` placeholders in a string.
fn placeholders(text: &str) -> BTreeSet<&str> {
    let mut found = BTreeSet::new();
    let mut rest = text;
    while let Some(start) = rest.find('{') {
        rest = &rest[start..];
        let Some(end) = rest.find('}') else { break };
        let name = &rest[1..end];
        if !name.is_empty() && name.chars().all(|c| c.is_ascii_lowercase() || c == '_') {
            found.insert(&rest[..=end]);
        }
        rest = &rest[1..];
    }
    found
}

/// Every problem in the pack at `path`, compared with English.
fn problems_in(path: &Path, english: &[(String, String)]) -> Vec<String> {
    let name = shown(path);
    let strings = match load(path) {
        Ok(strings) => strings,
        Err(problems) => return problems,
    };
    let english_keys: Vec<&str> = english.iter().map(|(k, _)| k.as_str()).collect();
    let keys: Vec<&str> = strings.iter().map(|(k, _)| k.as_str()).collect();
    let missing: Vec<&str> = english_keys
        .iter()
        .copied()
        .filter(|k| !keys.contains(k))
        .collect();
    let extra: Vec<&str> = keys
        .iter()
        .copied()
        .filter(|k| !english_keys.contains(k))
        .collect();
    let mut problems = Vec::new();
    if !missing.is_empty() {
        problems.push(format!(
            "{name}: missing {} (in en.toml): {}",
            missing.len(),
            missing.join(", ")
        ));
    }
    if !extra.is_empty() {
        problems.push(format!(
            "{name}: {} not in en.toml: {}",
            extra.len(),
            extra.join(", ")
        ));
    }
    if missing.is_empty()
        && extra.is_empty()
        && let Some((ours, theirs)) = keys.iter().zip(&english_keys).find(|(a, b)| a != b)
    {
        problems.push(format!(
            "{name}: keys not in en.toml's order (first difference: `{ours}` where en.toml has `{theirs}`); keep the same order so the files read side by side"
        ));
    }
    for (key, value) in &strings {
        if value.trim().is_empty() {
            problems.push(format!("{name}: `{key}` is empty"));
        }
        if !is_nfc(value) {
            problems.push(format!(
                "{name}: `{key}` is not Unicode NFC (letters and accents must be precomposed, e.g. one \"é\", not \"e\" + U+0301)"
            ));
        }
        if let Some((_, en)) = english.iter().find(|(k, _)| k == key) {
            let (ours, theirs) = (placeholders(value), placeholders(en));
            if ours != theirs {
                problems.push(format!(
                    "{name}: `{key}` has placeholders {ours:?}, English has {theirs:?}; keep each {{name}} exactly"
                ));
            }
        }
    }
    problems
}

fn english() -> Vec<(String, String)> {
    load(&i18n_dir().join("en.toml")).unwrap_or_else(|p| panic!("{}", p.join("\n")))
}

#[test]
fn every_shipped_language_is_complete() {
    let codes: Vec<String> = packs().into_iter().map(|(code, _)| code).collect();
    for code in ["en", "es", "fr", "pt", "de", "ar", "vi"] {
        assert!(
            codes.iter().any(|c| c == code),
            "no src/i18n/{code}.toml (shipped: {codes:?})"
        );
    }
    let english = english();
    let problems: Vec<String> = packs()
        .iter()
        .flat_map(|(_, path)| problems_in(path, &english))
        .collect();
    assert!(
        problems.is_empty(),
        "built-in UI strings incomplete:\n{}",
        problems.join("\n")
    );
}

#[test]
fn the_check_names_the_file_and_the_key() {
    // The checks above, on broken copies of en.toml: a missing key, an extra key, an empty
    // value, a changed placeholder, a decomposed accent, keys out of order, a non-string value.
    let english_text = std::fs::read_to_string(i18n_dir().join("en.toml")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let broken = dir.path().join("xx.toml");
    let cases: [(&str, String, &str); 7] = [
        (
            "missing",
            english_text.replace("quiz_js_and = \" and \"\n", ""),
            "missing 1 (in en.toml): quiz_js_and",
        ),
        (
            "extra",
            format!("{english_text}\nquiz_js_or = \" or \"\n"),
            "not in en.toml: quiz_js_or",
        ),
        (
            "empty",
            english_text.replace("home = \"Home\"", "home = \" \""),
            "`home` is empty",
        ),
        (
            "placeholder",
            english_text.replace("Question {n} of {total}:", "Question {n} of {count}:"),
            "`quiz_question_n` has placeholders",
        ),
        (
            "nfc",
            english_text.replace(
                "language_name = \"English\"",
                "language_name = \"Franc\u{0327}ais\"",
            ),
            "`language_name` is not Unicode NFC",
        ),
        (
            "order",
            english_text.replace(
                "main_nav = \"Main\"\nfooter_nav = \"Site\"",
                "footer_nav = \"Site\"\nmain_nav = \"Main\"",
            ),
            "first difference: `footer_nav` where en.toml has `main_nav`",
        ),
        (
            "not a string",
            english_text.replace("home = \"Home\"", "home = 1"),
            "`home` is not a string",
        ),
    ];
    let english = english();
    for (what, text, expected) in cases {
        std::fs::write(&broken, &text).unwrap();
        let found = problems_in(&broken, &english);
        assert!(
            found
                .iter()
                .any(|p| p.contains("xx.toml") && p.contains(expected)),
            "{what}: expected a problem naming xx.toml and containing {expected:?}, got {found:?}"
        );
    }
}

#[test]
fn placeholders_are_read_as_names_in_braces() {
    assert_eq!(
        placeholders("{text}: now {n} of {total}. {} {N} {a b}"),
        BTreeSet::from(["{text}", "{n}", "{total}"])
    );
    assert_eq!(placeholders("«\u{a0}{q}\u{a0}»"), BTreeSet::from(["{q}"]));
}

#[test]
fn an_arabic_site_is_right_to_left_without_a_setting() {
    // Arabic is the right-to-left pack Haven ships: a site whose only language is `ar` gets
    // dir="rtl" on its pages with no `rtl` setting (languages_cli.rs covers `ar-EG` as a second
    // language).
    assert!(haven::config::is_rtl_language("ar"));
    for (code, _) in packs() {
        assert_eq!(
            haven::config::is_rtl_language(&code),
            code == "ar",
            "src/i18n/{code}.toml: right-to-left should be exactly the Arabic pack"
        );
    }
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(
        root.join("haven.toml"),
        "title = \"دليل\"\ndefault_language = \"ar\"\n",
    )
    .unwrap();
    std::fs::create_dir_all(root.join("content")).unwrap();
    std::fs::write(
        root.join("content/care.md"),
        "+++\ntitle = \"العناية بعد العلاقة\"\n+++\nخذ وقتك واشرب الماء.\n",
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_haven"))
        .args(["build", "--root"])
        .arg(root)
        .output()
        .expect("haven runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for page in ["index.html", "care/index.html"] {
        let html = std::fs::read_to_string(root.join("public").join(page)).unwrap();
        assert!(
            html.contains(r#"<html lang="ar" dir="rtl">"#),
            "{page}: not lang=\"ar\" dir=\"rtl\":\n{}",
            &html[..html.len().min(300)]
        );
    }
}
