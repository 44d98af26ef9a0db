//! Search and translations through the `haven` command: the index files and search pages a
//! build writes, `haven translations stamp|status`, and `haven check`'s warnings for outdated
//! translations and missing UI strings.

mod common;

use std::path::{Path, PathBuf};

use common::haven;

use common::printed as text;

/// A copy of a fixture (or of the example site) in a temporary folder.
fn copy_site(from: &Path) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    copy_dir(from, &root);
    (tmp, root)
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn example_site() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    std::fs::create_dir_all(&root).unwrap();
    std::fs::copy(repo().join("haven.toml"), root.join("haven.toml")).unwrap();
    copy_dir(&repo().join("content"), &root.join("content"));
    (tmp, root)
}

fn json(path: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn build_writes_an_index_and_a_search_page_per_language() {
    let (_tmp, root) = example_site();
    let out = root.join("public");
    let r = haven(&["build", "--root", root.to_str().unwrap()]);
    assert!(r.status.success(), "{}", text(&r));
    for lang in ["en", "es"] {
        let manifest = json(&out.join(format!("search/{lang}/index.json")));
        assert_eq!(manifest["lang"], lang);
        assert!(manifest["docs"].as_u64().unwrap() > 2, "{manifest}");
        for key in manifest["keys"].as_array().unwrap() {
            let key = key.as_str().unwrap();
            let file = haven::search::index::key_file(key);
            assert!(out.join(format!("search/{lang}/t/{file}.json")).is_file());
        }
        assert!(out.join(format!("search/{lang}/d/0.json")).is_file());
    }
    let en = std::fs::read_to_string(out.join("search/index.html")).unwrap();
    assert!(en.contains(r#"data-search-index="/search/en/""#), "{en}");
    assert!(en.contains("<html lang=\"en\""));
    assert!(en.contains("Search needs JavaScript"));
    assert!(
        en.contains(r#"<a href="/pcd/">"#),
        "sections are listed for readers without JS"
    );
    let es = std::fs::read_to_string(out.join("es/search/index.html")).unwrap();
    assert!(es.contains(r#"data-search-index="/search/es/""#));
    assert!(es.contains("<html lang=\"es\""));
    assert!(es.contains("La búsqueda necesita JavaScript"));
    // The header's box on other pages sends readers to their language's search page.
    let page = std::fs::read_to_string(out.join("es/pcd/what-is-pcd/index.html")).unwrap();
    assert!(page.contains(r#"<form class="site-search" role="search" action="/es/search/""#));
    // The Spanish index holds the Spanish page, the English index does not.
    // Every shard of the Spanish documents, however many the guide's size makes.
    let es_docs: String = std::fs::read_dir(out.join("search/es/d"))
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .collect();
    assert!(es_docs.contains("/es/pcd/what-is-pcd/"));
    assert!(!es_docs.contains("\"/pcd/what-is-pcd/\""));
}

#[test]
fn search_can_be_turned_off() {
    let (_tmp, root) = example_site();
    let config = root.join("haven.toml");
    let mut text_toml = std::fs::read_to_string(&config).unwrap();
    text_toml.push_str("\n[search]\nenabled = false\n");
    std::fs::write(&config, text_toml).unwrap();
    let r = haven(&["build", "--root", root.to_str().unwrap()]);
    assert!(r.status.success(), "{}", text(&r));
    let out = root.join("public");
    assert!(!out.join("search").exists());
    let home = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(!home.contains("site-search"));
}

#[test]
fn stamp_then_edit_the_source_and_check_warns() {
    let (_tmp, root) = example_site();
    let r = root.to_str().unwrap();
    let es = root.join("content/pcd/what-is-pcd.es.md");
    // Start from an unstamped translation (the example's own is stamped already).
    let before: String = std::fs::read_to_string(&es)
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with("translation_of = "))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&es, &before).unwrap();

    let out = haven(&["translations", "status", "--root", r]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains("content/pcd/what-is-pcd.es.md (of content/pcd/what-is-pcd.md)"),
        "{}",
        text(&out)
    );

    let out = haven(&[
        "translations",
        "stamp",
        "--root",
        r,
        "content/pcd/what-is-pcd.es.md",
    ]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains("Stamped 1 of 1 translation"),
        "{}",
        text(&out)
    );
    let after = std::fs::read_to_string(&es).unwrap();
    // Exactly one line added, before the first table; every other byte kept.
    let added: Vec<&str> = after
        .lines()
        .filter(|l| !before.lines().any(|b| b == *l))
        .collect();
    assert_eq!(added.len(), 1, "{added:?}");
    assert!(added[0].starts_with("translation_of = \""), "{added:?}");
    assert_eq!(after.replace(&format!("{}\n", added[0]), ""), before);
    assert!(after.find("translation_of").unwrap() < after.find("[[sources]]").unwrap());

    // Stamping again changes nothing.
    let out = haven(&[
        "translations",
        "stamp",
        "--root",
        r,
        "content/pcd/what-is-pcd.md",
    ]);
    assert!(
        text(&out).contains("Stamped 0 of 1 translation"),
        "{}",
        text(&out)
    );
    assert_eq!(std::fs::read_to_string(&es).unwrap(), after);

    let out = haven(&["check", "--root", r]);
    assert!(
        !text(&out).contains("translation-outdated") && !text(&out).contains("outdated"),
        "{}",
        text(&out)
    );
    let html = build_page(&root, "es/pcd/what-is-pcd/index.html");
    assert!(!html.contains("translation-notice"));

    // The source changes: check warns at the stamp, and the page shows the notice.
    let src = root.join("content/pcd/what-is-pcd.md");
    let mut s = std::fs::read_to_string(&src).unwrap();
    s.push_str("\nA new paragraph in the English page.\n");
    std::fs::write(&src, s).unwrap();
    let out = haven(&["check", "--root", r, "--format", "json"]);
    let diags: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let outdated: Vec<&serde_json::Value> = diags["diagnostics"]
        .as_array()
        .or(diags.as_array())
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "translation-outdated")
        .collect();
    assert_eq!(outdated.len(), 1, "{diags}");
    assert!(
        outdated[0].to_string().contains("what-is-pcd.es.md"),
        "{}",
        outdated[0]
    );
    let html = build_page(&root, "es/pcd/what-is-pcd/index.html");
    assert!(html.contains("class=\"translation-notice\""), "{html}");
    assert!(html.contains(r#"<a href="/pcd/what-is-pcd/" hreflang="en" lang="en">English</a>"#));
    let out = haven(&["translations", "status", "--root", r]);
    assert!(
        text(&out).contains("outdated     content/pcd/what-is-pcd.es.md"),
        "{}",
        text(&out)
    );

    // Whitespace-only edits of the source do not count as a change.
    let out = haven(&["translations", "stamp", "--root", r]);
    assert!(out.status.success(), "{}", text(&out));
    let mut s = std::fs::read_to_string(&src).unwrap();
    s = s.replace('\n', "  \r\n");
    std::fs::write(&src, s).unwrap();
    let out = haven(&["check", "--root", r]);
    assert!(!text(&out).contains("outdated"), "{}", text(&out));
}

fn build_page(root: &Path, rel: &str) -> String {
    let out = root.join("public");
    let r = haven(&["build", "--root", root.to_str().unwrap()]);
    assert!(r.status.success(), "{}", text(&r));
    std::fs::read_to_string(out.join(rel)).unwrap()
}

#[test]
fn stamp_names_a_page_that_is_no_translation() {
    let (_tmp, root) = example_site();
    // A page in the default language with no translation yet.
    std::fs::write(
        root.join("content/untranslated.md"),
        "+++\ntitle = \"Not translated\"\n+++\nOnly in English.\n",
    )
    .unwrap();
    let out = haven(&[
        "translations",
        "stamp",
        "--root",
        root.to_str().unwrap(),
        "content/untranslated.md",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out).contains("is not a translation"),
        "{}",
        text(&out)
    );
}

#[test]
fn check_warns_about_missing_ui_strings_and_outdated_rtl_translation() {
    let (_tmp, root) = copy_site(&repo().join("tests/fixtures/i18n-rtl"));
    let out = haven(&["check", "--root", root.to_str().unwrap()]);
    let t = text(&out);
    assert!(out.status.success(), "{t}");
    assert!(t.contains("missing in `ar`"), "{t}");
    assert!(t.contains("`rtl_test_only`") || t.contains("more)"), "{t}");
    assert!(t.contains("readers see the English text"), "{t}");
    assert!(
        t.contains("content/care/after.ar.md:4:1: warning: this translation is outdated"),
        "{t}"
    );
    // The example site translates every string of its theme.
    let (_tmp2, example) = example_site();
    let out = haven(&["check", "--root", example.to_str().unwrap()]);
    assert!(
        !text(&out).contains("missing-ui-string") && !text(&out).contains("UI string"),
        "{}",
        text(&out)
    );
    // And so does the clinic theme.
    let config = example.join("haven.toml");
    let c = std::fs::read_to_string(&config)
        .unwrap()
        .replace("theme = \"guide\"", "theme = \"clinic\"");
    std::fs::write(&config, c).unwrap();
    let out = haven(&["check", "--root", example.to_str().unwrap()]);
    assert!(!text(&out).contains("UI string"), "{}", text(&out));
}

#[test]
fn rtl_pages_get_dir_and_their_own_index() {
    let (_tmp, root) = copy_site(&repo().join("tests/fixtures/i18n-rtl"));
    let r = haven(&["build", "--root", root.to_str().unwrap()]);
    assert!(r.status.success(), "{}", text(&r));
    let out = root.join("public");
    let ar = std::fs::read_to_string(out.join("ar/care/after/index.html")).unwrap();
    assert!(ar.contains(r#"<html lang="ar" dir="rtl">"#));
    assert!(ar.contains(r#"hreflang="en""#));
    let en = std::fs::read_to_string(out.join("care/after/index.html")).unwrap();
    assert!(en.contains(r#"<html lang="en" dir="ltr">"#));
    assert!(
        en.contains(r#"<a href="/ar/care/after/" hreflang="ar" lang="ar">"#),
        "{en}"
    );
    let manifest = json(&out.join("search/ar/index.json"));
    assert_eq!(manifest["docs"], 2, "the Arabic page and section");
    assert!(out.join("ar/search/index.html").is_file());
}

/// The one term shard of a small index (key `""`, file `t/x.json`).
fn only_shard(index: &Path) -> serde_json::Value {
    let manifest = json(&index.join("index.json"));
    assert_eq!(manifest["keys"], serde_json::json!([""]), "one shard");
    json(&index.join("t/x.json"))
}

/// Document numbers in a stem's postings (`[doc delta, weight, ...]`).
fn docs_of(shard: &serde_json::Value, stem: &str) -> Vec<u64> {
    let list = shard["s"][stem]
        .as_array()
        .unwrap_or_else(|| panic!("no stem {stem:?}"));
    let mut doc = 0;
    list.chunks(2)
        .map(|p| {
            doc += p[0].as_u64().unwrap();
            doc
        })
        .collect()
}

/// The index of a French site is stemmed by the French Snowball stemmer (issue 21.6): the
/// plural `tristes` and the singular `triste` are one stem, `émotions` is found from `emotion`.
#[test]
fn a_french_index_uses_the_french_stemmer() {
    let (_tmp, root) = copy_site(&repo().join("tests/fixtures/lang-fr"));
    let r = haven(&["build", "--root", root.to_str().unwrap()]);
    assert!(r.status.success(), "{}", text(&r));
    let shard = only_shard(&root.join("public/search/fr"));
    // Forms are folded (no accents, lower case) and lead to the French stem.
    assert_eq!(shard["f"]["tristes"], "trist", "{shard}");
    assert_eq!(shard["f"]["emotions"], "emot", "{shard}");
    assert_eq!(shard["f"]["ecoutez"], "ecout", "{shard}");
    // "Se sentir triste…" (title) and "…se sentent tristes…" (text) are one page under one stem;
    // "écoute" (noun) and "Écouter" (title) another.
    assert_eq!(docs_of(&shard, "trist").len(), 1);
    assert!(shard["s"].get("tristes").is_none());
    assert!(shard["s"].get("ecoute").is_none());
}

/// The index of an Arabic site holds its words without harakat, with one alef for أ إ آ, ha for
/// ta marbuta, stemmed by the Arabic stemmer, as search.js folds what readers type.
#[test]
fn an_arabic_index_is_folded_and_stemmed() {
    let (_tmp, root) = copy_site(&repo().join("tests/fixtures/lang-ar"));
    let r = haven(&["build", "--root", root.to_str().unwrap()]);
    assert!(r.status.success(), "{}", text(&r));
    let shard = only_shard(&root.join("public/search/ar"));
    // الإِحْساسُ, الأَمانُ, الصِّحَّةِ in the text.
    assert_eq!(shard["f"]["الاحساس"], "احساس", "{shard}");
    assert!(shard["f"].get("الامان").is_some(), "{shard}");
    assert!(shard["f"].get("الصحه").is_some(), "{shard}");
    let text = shard.to_string();
    for c in ['أ', 'إ', 'آ', 'ة', 'ى', '\u{064E}', '\u{0651}', '\u{0652}'] {
        assert!(!text.contains(c), "{c} in the index: {text}");
    }
}
