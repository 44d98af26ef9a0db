//! Fallback pages (`[translations] fallback_pages = true`, docs/translations.md): a page with no
//! translation in a language is still at that language's address, in its original language
//! (marked with `lang`), under a notice in the reader's language; its canonical address is the
//! original's, so it is left out of the sitemap, the feeds and that language's search index.
//!
//! Over `tests/fixtures/fallback-site`: English by default, Spanish and French; `aftercare/what`
//! is translated into both, `aftercare/talking` and `pcd/what-is-pcd` into neither.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn haven(root: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_haven"))
        .args(args)
        .arg("--root")
        .arg(root)
        .env("NO_COLOR", "1")
        .env("HAVEN_TODAY", "2026-11-23")
        .output()
        .expect("haven runs")
}

/// Builds `root` into `out` (with the build cache), failing the test on an error.
fn build(root: &Path, out: &Path) {
    let mut args = vec!["build", "--output"];
    args.push(out.to_str().unwrap());
    let result = haven(root, &args);
    assert!(
        result.status.success(),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
}

fn read(out: &Path, rel: &str) -> String {
    std::fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// Every file's text under `dir`, joined (the search index of one language).
fn all_text(dir: &Path) -> String {
    let mut text = String::new();
    for entry in walkdir::WalkDir::new(dir) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            text.push_str(&std::fs::read_to_string(entry.path()).unwrap());
        }
    }
    text
}

fn built_fixture() -> (tempfile::TempDir, PathBuf) {
    let site = common::copy_fixture("fallback-site");
    let out = site.path().join("out");
    build(site.path(), &out);
    (site, out)
}

#[test]
fn a_missing_translation_is_the_original_under_a_notice_in_the_readers_language() {
    let (_site, out) = built_fixture();
    let es = read(&out, "es/aftercare/talking/index.html");
    // The chrome is Spanish; the notice is in Spanish and links to the original.
    assert!(es.contains("<html lang=\"es\" dir=\"ltr\">"), "{es}");
    assert!(
        es.contains(
            "Esta página aún no está traducida, así que se muestra en su idioma original. Página original: <a href=\"/aftercare/talking/\" lang=\"en\">English</a>"
        ),
        "{es}"
    );
    // The original's words carry their own language.
    assert!(
        es.contains("<h1 lang=\"en\">Talking after sex</h1>"),
        "{es}"
    );
    assert!(
        es.contains("<p class=\"lede\" lang=\"en\">Simple ways to check in.</p>"),
        "{es}"
    );
    let prose = es
        .find("<div class=\"prose\" lang=\"en\">")
        .expect("prose in English");
    assert!(
        es[prose..].contains("Ask your partner how they feel."),
        "{es}"
    );
    // No direction is set where both languages are left to right.
    assert!(!es.contains("dir=\"rtl\""), "{es}");
    // The structured data says what language the text is in.
    assert!(es.contains("\"inLanguage\":\"en\""), "{es}");

    // French readers get Haven's French notice (src/i18n/fr.toml, as the page escapes it), never
    // the English one.
    let fr = read(&out, "fr/pcd/what-is-pcd/index.html");
    assert!(fr.contains("<html lang=\"fr\""), "{fr}");
    let notice = "Cette page n&#39;est pas encore traduite : elle s&#39;affiche donc dans sa langue d&#39;origine.";
    assert!(fr.contains(notice), "{fr}");
    assert!(!fr.contains("This page is not translated yet"), "{fr}");
    assert!(fr.contains("<div class=\"prose\" lang=\"en\">"), "{fr}");

    // A real translation has no notice and no lang on its text.
    let translated = read(&out, "es/aftercare/what/index.html");
    assert!(!translated.contains("fallback-notice"), "{translated}");
    assert!(translated.contains("<div class=\"prose\">"), "{translated}");
}

#[test]
fn a_fallback_page_is_canonical_at_its_original_and_no_hreflang_alternate() {
    let (_site, out) = built_fixture();
    let es = read(&out, "es/aftercare/talking/index.html");
    assert!(
        es.contains(
            "<link rel=\"canonical\" href=\"https://guide.example.org/aftercare/talking/\">"
        ),
        "{es}"
    );
    // Only the original exists as a real version: no alternates at all.
    assert!(!es.contains("rel=\"alternate\" hreflang"), "{es}");
    let original = read(&out, "aftercare/talking/index.html");
    assert!(
        !original.contains("rel=\"alternate\" hreflang"),
        "{original}"
    );
    assert!(
        original.contains(
            "<link rel=\"canonical\" href=\"https://guide.example.org/aftercare/talking/\">"
        ),
        "{original}"
    );
    // The language switcher still leads a Spanish reader to the Spanish site, without claiming
    // the page is in Spanish (no hreflang on the link).
    assert!(
        original.contains("<a href=\"/es/aftercare/talking/\" lang=\"es\">Español</a>"),
        "{original}"
    );

    // A page with real translations lists them, and only them.
    let what = read(&out, "aftercare/what/index.html");
    for (lang, url) in [
        ("en", "https://guide.example.org/aftercare/what/"),
        ("es", "https://guide.example.org/es/aftercare/what/"),
        ("fr", "https://guide.example.org/fr/aftercare/what/"),
    ] {
        assert!(
            what.contains(&format!(
                "<link rel=\"alternate\" hreflang=\"{lang}\" href=\"{url}\">"
            )),
            "{lang} in\n{what}"
        );
    }
}

#[test]
fn fallback_pages_are_left_out_of_the_sitemap_feeds_and_their_languages_search_index() {
    let (_site, out) = built_fixture();
    let sitemap = read(&out, "sitemap.xml");
    assert!(sitemap.contains("<loc>https://guide.example.org/aftercare/talking/</loc>"));
    assert!(sitemap.contains("<loc>https://guide.example.org/es/aftercare/what/</loc>"));
    for fallback in [
        "/es/aftercare/talking/",
        "/fr/aftercare/talking/",
        "/fr/pcd/what-is-pcd/",
    ] {
        assert!(
            !sitemap.contains(&format!("<loc>https://guide.example.org{fallback}</loc>")),
            "{fallback} in\n{sitemap}"
        );
    }

    let es_feed = read(&out, "es/atom.xml");
    assert!(es_feed.contains("/es/aftercare/what/"), "{es_feed}");
    assert!(!es_feed.contains("talking"), "{es_feed}");

    let es_index = all_text(&out.join("search/es"));
    assert!(es_index.contains("/es/aftercare/what/"), "{es_index}");
    assert!(!es_index.contains("/es/aftercare/talking/"), "{es_index}");
    assert!(!es_index.contains("what-is-pcd"), "{es_index}");
    // The original is found in its own language's index.
    let en_index = all_text(&out.join("search/en"));
    assert!(en_index.contains("/aftercare/talking/"), "{en_index}");
}

#[test]
fn navigation_in_a_language_lists_its_fallback_pages_marked() {
    let (_site, out) = built_fixture();
    let section = read(&out, "es/aftercare/index.html");
    assert!(
        section.contains(
            "<a href=\"/es/aftercare/talking/\" class=\"page-list-title\" lang=\"en\">Talking after sex</a> <span class=\"fallback-mark\">(aún sin traducir)</span>"
        ),
        "{section}"
    );
    assert!(
        section.contains(
            "<a href=\"/es/aftercare/what/\" class=\"page-list-title\">¿Qué son los cuidados posteriores?</a>"
        ),
        "{section}"
    );
    // A folder with no Spanish page at all is still in the Spanish site's navigation.
    let home = read(&out, "es/index.html");
    assert!(home.contains("href=\"/es/pcd/\""), "{home}");
    // A featured page is featured in every language, marked where it is a fallback.
    assert!(
        home.contains("<a href=\"/es/pcd/what-is-pcd/\" class=\"card-title\" lang=\"en\">Feeling low after sex</a> <span class=\"fallback-mark\">(aún sin traducir)</span>"),
        "{home}"
    );
    let pcd = read(&out, "es/pcd/index.html");
    assert!(pcd.contains("href=\"/es/pcd/what-is-pcd/\""), "{pcd}");
    // Links stay in the reader's language: from a translation to a fallback page, and from a
    // fallback page to a translation (the original links to `what.md`).
    let fr_what = read(&out, "fr/aftercare/what/index.html");
    assert!(
        fr_what.contains("<a href=\"/fr/aftercare/talking/\">parler après le sexe</a>"),
        "{fr_what}"
    );
    let es_talking = read(&out, "es/aftercare/talking/index.html");
    assert!(
        es_talking.contains("<a href=\"/es/aftercare/what/\">what aftercare is</a>"),
        "{es_talking}"
    );
    let original = read(&out, "aftercare/talking/index.html");
    assert!(
        original.contains("<a href=\"/aftercare/what/\">what aftercare is</a>"),
        "{original}"
    );
    // Previous and next stay in the reader's language, the English title marked.
    let what = read(&out, "es/aftercare/what/index.html");
    assert!(
        what.contains("<a rel=\"next\" href=\"/es/aftercare/talking/\" class=\"next\"><span class=\"prev-next-label\">")
            && what.contains("<span lang=\"en\">Talking after sex</span></a>"),
        "{what}"
    );
}

#[test]
fn fallback_pages_are_off_by_default() {
    let site = common::copy_fixture("fallback-site");
    let config = site.path().join("haven.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    let off = text.replace("fallback_pages = true", "");
    assert_ne!(off, text);
    std::fs::write(&config, off).unwrap();
    let out = site.path().join("out");
    build(site.path(), &out);
    assert!(out.join("aftercare/talking/index.html").exists());
    assert!(out.join("es/aftercare/what/index.html").exists());
    assert!(!out.join("es/aftercare/talking/index.html").exists());
    assert!(!out.join("fr/pcd/what-is-pcd/index.html").exists());
    let section = read(&out, "es/aftercare/index.html");
    assert!(!section.contains("talking"), "{section}");
    assert!(!section.contains("fallback-mark"), "{section}");
}

#[test]
fn a_warm_build_after_editing_the_original_updates_its_fallback_pages() {
    let (site, out) = built_fixture();
    let file = site.path().join("content/aftercare/talking.md");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(
        &file,
        text.replace("Listen to the answer.", "Listen closely to the answer."),
    )
    .unwrap();
    build(site.path(), &out);
    for page in [
        "aftercare/talking",
        "es/aftercare/talking",
        "fr/aftercare/talking",
    ] {
        let html = read(&out, &format!("{page}/index.html"));
        assert!(
            html.contains("Listen closely to the answer."),
            "{page}:\n{html}"
        );
    }
    // And matches a build from nothing.
    let cold = site.path().join("cold");
    let result = haven(
        site.path(),
        &["build", "--no-cache", "--output", cold.to_str().unwrap()],
    );
    assert!(result.status.success());
    for page in [
        "es/aftercare/talking",
        "es/aftercare",
        "fr/aftercare/talking",
    ] {
        let rel = format!("{page}/index.html");
        assert_eq!(read(&out, &rel), read(&cold, &rel), "{rel}");
    }
}

#[test]
fn fallback_pages_are_no_translations_to_stamp_or_check() {
    let site = common::copy_fixture("fallback-site");
    let status = haven(site.path(), &["translations", "status"]);
    let stdout = String::from_utf8_lossy(&status.stdout);
    assert!(status.status.success(), "{stdout}");
    // The fallback pages are no translations; their originals are listed as untranslated.
    assert!(stdout.contains("5 translations, 0 outdated"), "{stdout}");
    assert!(
        stdout.contains("untranslated content/aftercare/talking.md in es, fr\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("untranslated content/pcd/what-is-pcd.md in es, fr\n"),
        "{stdout}"
    );
    assert!(!stdout.contains("aftercare/what.md in"), "{stdout}");
    assert!(
        stdout.contains("2 pages not translated into every language"),
        "{stdout}"
    );
    // Stamping every translation leaves the originals alone.
    let original = std::fs::read(site.path().join("content/aftercare/talking.md")).unwrap();
    let stamp = haven(site.path(), &["translations", "stamp"]);
    assert!(
        stamp.status.success(),
        "{}",
        String::from_utf8_lossy(&stamp.stderr)
    );
    assert_eq!(
        std::fs::read(site.path().join("content/aftercare/talking.md")).unwrap(),
        original
    );
    // `haven check` counts the pages written (three English, two translations), not their
    // fallback pages, and reports an original's problem once, at the original.
    let check = haven(site.path(), &["check"]);
    let printed = format!(
        "{}{}",
        String::from_utf8_lossy(&check.stdout),
        String::from_utf8_lossy(&check.stderr)
    );
    assert!(printed.contains("Checked 5 pages: 0 errors"), "{printed}");
    let file = site.path().join("content/aftercare/talking.md");
    let text = String::from_utf8(original).unwrap();
    std::fs::write(
        &file,
        text.replace("Listen to the answer.", "[broken](#nowhere)"),
    )
    .unwrap();
    let check = haven(site.path(), &["check"]);
    let stderr = String::from_utf8_lossy(&check.stderr);

    assert_eq!(
        stderr.matches("error: link to a missing anchor").count(),
        1,
        "{stderr}"
    );
}

#[test]
fn a_right_to_left_original_is_marked_with_its_direction_in_a_left_to_right_language() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let write = |rel: &str, text: &str| {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write(
        "haven.toml",
        "title = \"x\"\ndefault_language = \"ar\"\n[languages.en]\nname = \"English\"\n[translations]\nfallback_pages = true\n",
    );
    write("content/_index.md", "+++\ntitle = \"الرئيسية\"\n+++\n");
    write("content/_index.en.md", "+++\ntitle = \"Home\"\n+++\n");
    write(
        "content/care.md",
        "+++\ntitle = \"الرعاية\"\n+++\nالرعاية بعد العلاقة مهمة.\n",
    );
    let out = root.join("out");
    build(root, &out);
    let en = read(&out, "en/care/index.html");
    assert!(en.contains("<html lang=\"en\" dir=\"ltr\">"), "{en}");
    assert!(
        en.contains("<div class=\"prose\" lang=\"ar\" dir=\"rtl\">"),
        "{en}"
    );
    assert!(
        en.contains("<h1 lang=\"ar\" dir=\"rtl\">الرعاية</h1>"),
        "{en}"
    );
}
