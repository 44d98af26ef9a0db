//! Sites in any language (issue 21.1, 21.2). A French-only and an Arabic-only site built with
//! both built-in themes get every word of the page chrome, quizzes, handouts and scripts page
//! from Haven's strings of their language (`src/i18n/LANG.toml`), with the right `lang` and
//! `dir`; a site's `i18n/LANG.toml` overrides any string; a language Haven has no strings for
//! builds in English and `haven check` names the missing keys.

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Output};

fn haven(root: &Path, command: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_haven"))
        .arg(command)
        .arg("--root")
        .arg(root)
        .env("HAVEN_TODAY", "2026-12-01")
        .output()
        .expect("haven runs")
}

/// A copy of `tests/fixtures/FIXTURE` using the built-in theme `theme`, its default language
/// replaced by `lang` when given.
fn site(fixture: &str, theme: &str, lang: Option<&str>) -> tempfile::TempDir {
    let dir = common::copy_fixture(fixture);
    let config = dir.path().join("haven.toml");
    let mut text = std::fs::read_to_string(&config).unwrap();
    if let Some(lang) = lang {
        let line = text
            .lines()
            .find(|l| l.starts_with("default_language"))
            .unwrap()
            .to_string();
        text = text.replace(&line, &format!("default_language = \"{lang}\""));
    }
    std::fs::write(&config, format!("theme = \"{theme}\"\n{text}")).unwrap();
    dir
}

fn read(root: &Path, path: &str) -> String {
    std::fs::read_to_string(root.join("public").join(path))
        .unwrap_or_else(|e| panic!("public/{path}: {e}"))
}

fn build(root: &Path, what: &str) {
    let out = haven(root, "build");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{what}: build failed:\n{stderr}");
    assert!(!stderr.contains("template error"), "{what}:\n{stderr}");
}

/// Every HTML page of the built site, by path under `public/`.
fn pages(root: &Path) -> BTreeMap<String, String> {
    let public = root.join("public");
    let mut out = BTreeMap::new();
    let mut dirs = vec![public.clone()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "html") {
                let rel = path.strip_prefix(&public).unwrap().to_string_lossy();
                out.insert(rel.into_owned(), std::fs::read_to_string(&path).unwrap());
            }
        }
    }
    out
}

/// What a reader meets in a page: its text, and the attribute values that are read out or
/// shown (labels, titles, and the `data-` attributes scripts take their words from). Scripts
/// and styles are left out; entities are decoded.
fn reader_text(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    'tags: while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        out.push(' ');
        rest = &rest[open..];
        let lower = rest.get(..8).unwrap_or("").to_ascii_lowercase();
        for element in ["script", "style"] {
            if lower.starts_with(&format!("<{element}")) {
                let end = format!("</{element}>");
                let at = rest.find(&end).map_or(rest.len(), |i| i + end.len());
                rest = &rest[at..];
                continue 'tags;
            }
        }
        let close = rest.find('>').map_or(rest.len(), |i| i + 1);
        let tag = &rest[..close];
        rest = &rest[close..];
        // Attribute values in double quotes, with their names.
        let mut t = tag;
        while let Some(eq) = t.find("=\"") {
            let name = t[..eq]
                .rsplit(|c: char| c.is_whitespace())
                .next()
                .unwrap_or("");
            let value_start = eq + 2;
            let value_end = t[value_start..]
                .find('"')
                .map_or(t.len(), |i| value_start + i);
            let shown = matches!(
                name,
                "aria-label" | "title" | "alt" | "placeholder" | "value"
            ) || (name.starts_with("data-") && name != "data-search-index");
            if shown {
                out.push(' ');
                out.push_str(&t[value_start..value_end]);
                out.push(' ');
            }
            t = &t[(value_end + 1).min(t.len())..];
        }
    }
    out.push_str(rest);
    out.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// Whether `word` stands in `text` as a word of its own (not inside a longer word).
fn has_word(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + word.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

/// The English words a page in `lang` must not show: the parts of each English string (around
/// its `{placeholders}`) of four letters or more, for the keys whose text differs in `lang`,
/// and which no string of `lang` uses too (a word both languages share, such as "Atom").
fn english_words(lang: &str) -> Vec<(String, String)> {
    let english = haven::i18n::builtin("en").unwrap();
    let pack = haven::i18n::builtin(lang).unwrap();
    let mut out = Vec::new();
    for (key, en) in english {
        if pack.get(key) == Some(en) {
            continue;
        }
        for part in en.split(['{', '}']).step_by(2) {
            let part = part.trim_matches(|c: char| !c.is_alphanumeric());
            if part.chars().filter(|c| c.is_alphabetic()).count() < 4
                || pack.values().any(|v| has_word(v, part))
            {
                continue;
            }
            out.push((key.clone(), part.to_string()));
        }
    }
    out
}

/// Builds `fixture` (in `lang`, right to left or not) with both themes, and checks every page.
fn fully_translated(fixture: &str, lang: &str, dir: &str) {
    let words = english_words(lang);
    assert!(words.len() > 100, "{lang}: only {} words", words.len());
    for theme in ["guide", "clinic"] {
        let site = site(fixture, theme, None);
        let root = site.path();
        build(root, &format!("{lang}, {theme}"));
        let pages = pages(root);
        for wanted in [
            "index.html",
            "scripts/index.html",
            "quizzes/index.html",
            "handouts/index.html",
            "search/index.html",
            "tags/index.html",
            "glossary/index.html",
            "404.html",
        ] {
            assert!(pages.contains_key(wanted), "{theme}: no {wanted}");
        }
        assert!(
            pages.keys().filter(|p| p.starts_with("handouts/")).count() >= 4,
            "{theme}: {:?}",
            pages.keys()
        );
        for (path, html) in &pages {
            assert!(
                html.contains(&format!("<html lang=\"{lang}\" dir=\"{dir}\"")),
                "{lang}, {theme}: {path} has {:?}",
                html.lines().find(|l| l.contains("<html"))
            );
            let text = reader_text(html);
            let leaks: Vec<String> = words
                .iter()
                .filter(|(_, w)| has_word(&text, w))
                .map(|(k, w)| format!("{w:?} ({k})"))
                .collect();
            assert!(
                leaks.is_empty(),
                "{lang}, {theme}: English in {path}: {}",
                leaks.join(", ")
            );
        }
        // The words really are there: a quiz, a callout, a script, a handout's answers.
        let pack = haven::i18n::builtin(lang).unwrap();
        let everything: String = pages.values().map(|h| reader_text(h)).collect();
        for key in [
            "skip_link",
            "quiz_check",
            "quiz_js_score",
            "callout_tip",
            "script_copy",
            "scripts_title",
            "handout_answers",
            "handout_scan",
            "month_3",
            "content_note",
            "glossary_intro",
            "alias_moved",
        ] {
            let first = pack[key].split('{').next().unwrap().trim();
            assert!(
                everything.contains(first),
                "{lang}, {theme}: {key} = {first:?} is nowhere"
            );
        }
    }
}

#[test]
fn a_french_only_site_is_french_throughout_with_both_themes() {
    fully_translated("lang-fr", "fr", "ltr");
}

#[test]
fn an_arabic_only_site_is_arabic_and_right_to_left_with_both_themes() {
    fully_translated("lang-ar-ui", "ar", "rtl");
}

#[test]
fn the_leak_check_finds_english() {
    // The check above would see an English word left in a French page.
    let words = english_words("fr");
    let text = reader_text(
        "<p>Bonjour</p><form data-t-score=\"You got 1 of 2 right.\"><script>var x = 'Home';</script>",
    );
    assert!(words.iter().any(|(_, w)| has_word(&text, w)), "{text}");
    assert!(!words.iter().any(|(_, w)| has_word("Bonjour Accueil", w)));
}

#[test]
fn a_site_in_a_language_without_strings_builds_in_english_with_both_themes() {
    for theme in ["guide", "clinic"] {
        let site = site("lang-fr", theme, Some("sw"));
        let root = site.path();
        build(root, theme);
        for path in [
            "index.html",
            "apres/index.html",
            "apres/tristesse/index.html",
            "apres/parler/index.html",
            "handouts/tristesse/index.html",
            "scripts/index.html",
        ] {
            let html = read(root, path);
            assert!(
                html.contains("<html lang=\"sw\" dir=\"ltr\""),
                "{theme}: {path} is not lang=\"sw\""
            );
            assert!(
                html.contains("Skip to main content"),
                "{theme}: {path} has no skip link"
            );
        }
        let page = read(root, "apres/tristesse/index.html");
        assert!(page.contains("Check my answer"), "{theme}: no quiz words");
        assert!(page.contains(">Tip</p>"), "{theme}: no callout label");
        assert!(page.contains("5 March 2026"), "{theme}: no English date");
        let handout = read(root, "handouts/tristesse/index.html");
        assert!(
            handout.contains("Answers"),
            "{theme}: handout without answers"
        );
    }
}

#[test]
fn check_names_the_missing_keys_and_passes() {
    for theme in ["guide", "clinic"] {
        let site = site("lang-fr", theme, Some("sw"));
        let out = haven(site.path(), "check");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{theme}:\n{stderr}");
        let warning = stderr
            .lines()
            .find(|l| l.contains("UI strings are missing in `sw`"))
            .unwrap_or_else(|| panic!("{theme}: no missing-string warning in\n{stderr}"));
        // No i18n/sw.toml anywhere: the warning has no file, and says which file to add.
        assert!(
            warning.starts_with("warning: "),
            "{theme}: unexpected location: {warning}"
        );
        assert!(
            warning.contains("(`language_name`, `address`, `alias_moved`, `all_tags`,")
                && warning.contains("readers see the English text"),
            "{theme}: {warning}"
        );
        assert!(
            stderr.contains("help: add i18n/sw.toml to the site with these keys"),
            "{theme}:\n{stderr}"
        );
        assert!(!stderr.contains("template error"), "{theme}:\n{stderr}");
    }
}

#[test]
fn a_french_site_has_no_missing_string_warning() {
    let site = site("lang-fr", "clinic", None);
    let out = haven(site.path(), "check");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("missing-ui-string"), "{stderr}");
    assert!(!stderr.contains("UI string"), "{stderr}");
}

#[test]
fn a_site_sw_toml_is_used_and_the_rest_still_falls_back() {
    let site = site("lang-fr", "guide", Some("sw"));
    let root = site.path();
    std::fs::create_dir(root.join("i18n")).unwrap();
    std::fs::write(
        root.join("i18n/sw.toml"),
        "skip_link = \"Ruka hadi maudhui\"\nall_tags = \"Lebo zote\"\n",
    )
    .unwrap();
    build(root, "sw");
    let html = read(root, "apres/parler/index.html");
    assert!(html.contains("Ruka hadi maudhui"));
    assert!(!html.contains("Skip to main content"));

    let out = haven(root, "check");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let warning = stderr
        .lines()
        .find(|l| l.contains("UI strings are missing in `sw`"))
        .unwrap_or_else(|| panic!("no missing-string warning in\n{stderr}"));
    assert!(
        warning.contains("i18n/sw.toml: warning: ")
            && warning.contains("(`language_name`, `address`, `alias_moved`, `back_home`,"),
        "{warning}"
    );
    assert!(!warning.contains("`all_tags`"), "{warning}");
}

#[test]
fn a_site_fr_toml_overrides_a_quiz_string_a_callout_label_and_a_month() {
    for theme in ["guide", "clinic"] {
        let site = site("lang-fr", theme, None);
        let root = site.path();
        std::fs::create_dir(root.join("i18n")).unwrap();
        std::fs::write(
            root.join("i18n/fr.toml"),
            "quiz_check = \"Voir si c'est juste\"\ncallout_tip = \"Bon à savoir\"\n\
             month_3 = \"mars (printemps)\"\nscript_copy = \"Copier ce dialogue\"\n",
        )
        .unwrap();
        build(root, theme);
        let page = read(root, "apres/tristesse/index.html");
        assert!(
            page.contains("Voir si c&#39;est juste") || page.contains("Voir si c'est juste"),
            "{theme}: quiz string not overridden"
        );
        assert!(
            page.contains("<p class=\"callout-title\">Bon à savoir</p>"),
            "{theme}: callout label not overridden"
        );
        assert!(
            page.contains("5 mars (printemps) 2026"),
            "{theme}: month not overridden"
        );
        // The rest is still Haven's French.
        assert!(page.contains("Voir la réponse"), "{theme}");
        let scripts = read(root, "scripts/index.html");
        assert!(scripts.contains("Copier ce dialogue"), "{theme}");
        let out = haven(root, "check");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("UI string"), "{theme}: {stderr}");
    }
}

#[test]
fn a_theme_overrides_haven_and_the_site_overrides_the_theme() {
    let site = site("lang-fr", "guide", None);
    let root = site.path();
    let config = root.join("haven.toml");
    let text = std::fs::read_to_string(&config)
        .unwrap()
        .replace("theme = \"guide\"", "theme = \"mine\"");
    std::fs::write(&config, text).unwrap();
    std::fs::create_dir_all(root.join("themes/mine/i18n")).unwrap();
    std::fs::write(root.join("themes/mine/theme.toml"), "parent = \"clinic\"\n").unwrap();
    std::fs::write(
        root.join("themes/mine/i18n/fr.toml"),
        "skip_link = \"Aller au texte\"\nhome = \"Maison du thème\"\n",
    )
    .unwrap();
    std::fs::create_dir(root.join("i18n")).unwrap();
    std::fs::write(root.join("i18n/fr.toml"), "home = \"Accueil du site\"\n").unwrap();
    build(root, "mine");
    let html = read(root, "apres/parler/index.html");
    assert!(html.contains("Aller au texte"), "theme string not used");
    assert!(html.contains("Accueil du site"), "site string not used");
    assert!(!html.contains("Maison du thème"), "theme beat the site");
}

#[test]
fn the_deprecated_quiz_strings_table_still_works_and_check_says_where_to_move_it() {
    let site = site("lang-fr", "guide", None);
    let root = site.path();
    let config = root.join("haven.toml");
    let mut text = std::fs::read_to_string(&config).unwrap();
    text.push_str("\n[quiz.strings.fr]\ncheck = \"Je vérifie\"\n");
    std::fs::write(&config, text).unwrap();
    build(root, "quiz.strings");
    let page = read(root, "apres/tristesse/index.html");
    assert!(page.contains("Je vérifie"), "alias not read");
    let out = haven(root, "check");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("[quiz.strings.fr] in haven.toml is still read")
            && stderr.contains("quiz_check = \"...\""),
        "{stderr}"
    );
}

#[test]
fn a_site_string_file_that_does_not_parse_is_a_located_error() {
    let site = site("lang-fr", "guide", None);
    let root = site.path();
    std::fs::create_dir(root.join("i18n")).unwrap();
    std::fs::write(
        root.join("i18n/fr.toml"),
        "home = \"Accueil\"\nskip_link = 3\n",
    )
    .unwrap();
    let out = haven(root, "build");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{stderr}");
    assert!(stderr.contains("i18n/fr.toml:2:"), "{stderr}");
    assert!(stderr.contains("invalid UI strings"), "{stderr}");
    assert!(!root.join("public").exists(), "output written");
}

#[test]
fn a_changed_string_reaches_pages_whose_markdown_came_from_the_cache() {
    // Callout labels, quizzes and scripts are rendered with the Markdown, which the build cache
    // keeps between builds: a changed i18n file must not leave the old words there.
    let site = site("lang-fr", "guide", None);
    let root = site.path();
    build(root, "first");
    assert!(read(root, "apres/tristesse/index.html").contains(">Conseil</p>"));
    std::fs::create_dir(root.join("i18n")).unwrap();
    std::fs::write(
        root.join("i18n/fr.toml"),
        "callout_tip = \"Petit conseil\"\nquiz_check = \"Je vérifie\"\n",
    )
    .unwrap();
    build(root, "second");
    let page = read(root, "apres/tristesse/index.html");
    assert!(page.contains(">Petit conseil</p>"), "stale callout label");
    assert!(page.contains("Je vérifie"), "stale quiz button");
}
