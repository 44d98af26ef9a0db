//! Per-language glossaries (issue 21.5) on `tests/fixtures/glossary-lang`: English pages are
//! marked from `content/glossary.toml`, Spanish pages from `content/glossary.es.toml` and link to
//! `/es/glossary/`; `haven check` warns, with file, line and fix, about a term one glossary has
//! and the other lacks; a broken language glossary fails the build with its file and line.

mod common;

use std::path::Path;
use std::process::{Command, Output};

fn haven(root: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_haven"))
        .args(args)
        .arg("--root")
        .arg(root)
        .env("NO_COLOR", "1")
        .env("HAVEN_TODAY", "2026-06-01")
        .output()
        .unwrap()
}

/// Builds `root` into `out/site` without a cache; returns what it printed.
fn build(root: &Path, out: &Path) -> Output {
    let site = out.join("site");
    haven(
        root,
        &["build", "--no-cache", "--output", site.to_str().unwrap()],
    )
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn read(out: &Path, path: &str) -> String {
    std::fs::read_to_string(out.join("site").join(path)).unwrap_or_else(|_| panic!("no {path}"))
}

#[test]
fn each_language_is_marked_from_its_own_glossary() {
    let site = common::copy_fixture("glossary-lang");
    let out = tempfile::tempdir().unwrap();
    let built = build(site.path(), out.path());
    assert!(built.status.success(), "{}", text(&built));

    let es = read(out.path(), "es/talk/after/index.html");
    assert!(
        es.contains("<a class=\"haven-term-link\" href=\"/es/glossary/#aftercare\" aria-describedby=\"term-aftercare\">cuidados posteriores</a><span class=\"haven-term-tip\" role=\"tooltip\" id=\"term-aftercare\">Los cuidados que las personas se dan después del sexo.</span>"),
        "{es}"
    );
    assert!(
        es.contains("href=\"/es/glossary/#drop\" aria-describedby=\"term-drop\">bajón</a>"),
        "{es}"
    );
    // A Spanish term with no English counterpart is still marked in Spanish pages.
    assert!(es.contains("href=\"/es/glossary/#ternura\""), "{es}");
    // Nothing from the English glossary: `consent` has no Spanish entry.
    assert!(!es.contains("href=\"/glossary/"), "{es}");
    assert!(!es.contains("#consent"), "{es}");
    assert!(es.contains("href=\"/haven/glossary.css\""), "{es}");

    let en = read(out.path(), "talk/after/index.html");
    assert!(
        en.contains("href=\"/glossary/#aftercare\" aria-describedby=\"term-aftercare\">Aftercare</a><span class=\"haven-term-tip\" role=\"tooltip\" id=\"term-aftercare\">The care partners give each other after sex.</span>"),
        "{en}"
    );
    assert!(
        en.contains("href=\"/glossary/#consent\" aria-describedby=\"term-consent\">consent</a>"),
        "{en}"
    );
    assert!(
        !en.contains("/es/glossary/") && !en.contains("#ternura"),
        "{en}"
    );

    // One glossary page per language, in its language, with the same ids.
    let es_page = read(out.path(), "es/glossary/index.html");
    assert!(es_page.contains("<html lang=\"es\""), "{es_page}");
    assert!(es_page.contains("<h1>Glosario</h1>"), "{es_page}");
    assert!(es_page.contains("id=\"aftercare\""), "{es_page}");
    assert!(
        es_page.contains("Un ánimo bajo que puede llegar"),
        "{es_page}"
    );
    assert!(es_page.contains("También: aftercare"), "{es_page}");
    assert!(!es_page.contains("Freely agreeing"), "{es_page}");
    let en_page = read(out.path(), "glossary/index.html");
    assert!(en_page.contains("<h1>Glossary</h1>"), "{en_page}");
    assert!(en_page.contains("id=\"consent\""), "{en_page}");
    assert!(!en_page.contains("cuidados posteriores"), "{en_page}");
}

#[test]
fn check_warns_about_a_term_without_its_translation() {
    let site = common::copy_fixture("glossary-lang");
    let root = site.path();
    let out = haven(root, &["check"]);
    let printed = text(&out);
    assert!(out.status.success(), "warnings only: {printed}");
    // At the English term, naming the Spanish file and what to add to it.
    assert!(
        printed.contains("content/glossary.toml:12:8: warning: the term `consent` has no `es` translation in content/glossary.es.toml: `es` pages leave it unmarked"),
        "{printed}"
    );
    assert!(
        printed.contains("help: add it to content/glossary.es.toml: [[term]] id = \"consent\", term = \"...\", definition = \"...\""),
        "{printed}"
    );
    // At the Spanish term that translates nothing, suggesting the id it most likely means.
    assert!(
        printed.contains("content/glossary.es.toml:15:8: warning: the term `ternura` (id `ternura`) translates no term of content/glossary.toml"),
        "{printed}"
    );
    assert!(
        printed.contains("help: set id to the id of the term it translates, e.g. id = \"consent\""),
        "{printed}"
    );
    assert!(printed.contains("0 errors, 2 warnings"), "{printed}");
    assert!(!haven(root, &["check", "--strict"]).status.success());

    // Translating the missing term, and giving the stray one its English counterpart's id,
    // leaves nothing to warn about.
    let es = root.join("content/glossary.es.toml");
    let text_es = std::fs::read_to_string(&es).unwrap();
    std::fs::write(
        &es,
        text_es.replace(
            "[[term]]\nterm = \"ternura\"\ndefinition = \"Un cariño suave y cercano.\"",
            "[[term]]\nid = \"consent\"\nterm = \"consentimiento\"\ndefinition = \"Aceptar algo con libertad.\"",
        ),
    )
    .unwrap();
    let clean = haven(root, &["check", "--strict"]);
    assert!(clean.status.success(), "{}", text(&clean));
}

#[test]
fn a_language_without_a_glossary_is_one_warning() {
    let site = common::copy_fixture("glossary-lang");
    std::fs::remove_file(site.path().join("content/glossary.es.toml")).unwrap();
    let out = haven(site.path(), &["check"]);
    let printed = text(&out);
    assert!(
        printed.contains("content/glossary.toml: warning: there is no glossary for `es` (content/glossary.es.toml): `es` pages mark none of the 3 terms of content/glossary.toml"),
        "{printed}"
    );
    assert!(
        printed.contains("help: create content/glossary.es.toml with each term translated"),
        "{printed}"
    );
    assert!(printed.contains("0 errors, 1 warning"), "{printed}");

    let dir = tempfile::tempdir().unwrap();
    assert!(build(site.path(), dir.path()).status.success());
    assert!(!read(dir.path(), "es/talk/after/index.html").contains("haven-term"));
    assert!(!dir.path().join("site/es/glossary/index.html").exists());
}

#[test]
fn a_broken_language_glossary_fails_with_file_line_and_fix() {
    let site = common::copy_fixture("glossary-lang");
    let es = site.path().join("content/glossary.es.toml");
    std::fs::write(
        &es,
        "[[term]]\nid = \"aftercare\"\nterm = \"cuidados posteriores\"\ndefinicion = \"Los cuidados.\"\n",
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    let built = build(site.path(), out.path());
    let printed = text(&built);
    assert!(!built.status.success(), "{printed}");
    assert!(
        printed.contains(
            "content/glossary.es.toml:4:1: error: invalid glossary: unknown field `definicion`"
        ),
        "{printed}"
    );
    assert!(printed.contains("definition"), "{printed}");
    assert!(
        !out.path().join("site").exists(),
        "a failed build wrote output"
    );
    assert!(!haven(site.path(), &["check"]).status.success());

    // An id that cannot be an anchor, and one set twice.
    std::fs::write(
        &es,
        "[[term]]\nid = \"cuidados posteriores\"\nterm = \"cuidados\"\ndefinition = \"a\"\n\n[[term]]\nid = \"drop\"\nterm = \"bajón\"\ndefinition = \"b\"\n\n[[term]]\nid = \"drop\"\nterm = \"caída\"\ndefinition = \"c\"\n",
    )
    .unwrap();
    let printed = text(&build(site.path(), out.path()));
    assert!(
        printed.contains("content/glossary.es.toml:2:6: error: the id `cuidados posteriores` of `cuidados` cannot be used in a link"),
        "{printed}"
    );
    assert!(
        printed.contains("content/glossary.es.toml:12:6: error: two terms have the id `drop`"),
        "{printed}"
    );
    assert!(printed.contains("the other is on line 7"), "{printed}");
}

#[test]
fn a_glossary_for_a_language_the_site_lacks_is_a_warning_and_not_published() {
    let site = common::copy_fixture("glossary-lang");
    std::fs::write(
        site.path().join("content/glossary.fr.toml"),
        "[[term]]\nterm = \"tendresse\"\ndefinition = \"Une douceur.\"\n",
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    let built = build(site.path(), out.path());
    let printed = text(&built);
    assert!(built.status.success(), "{printed}");
    assert!(
        printed.contains("content/glossary.fr.toml: warning: content/glossary.fr.toml is a glossary for `fr`, which is not a language of this site"),
        "{printed}"
    );
    assert!(
        printed.contains("add [languages.fr] to haven.toml"),
        "{printed}"
    );
    assert!(!out.path().join("site/glossary.fr.toml").exists());
    assert!(!out.path().join("site/fr").exists());
}

#[test]
fn two_glossaries_for_one_language_are_an_error() {
    let site = common::copy_fixture("glossary-lang");
    std::fs::copy(
        site.path().join("content/glossary.toml"),
        site.path().join("content/glossary.en.toml"),
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    let built = build(site.path(), out.path());
    let printed = text(&built);
    assert!(!built.status.success(), "{printed}");
    assert!(
        printed.contains("error: two glossaries for the language `en`"),
        "{printed}"
    );
    assert!(printed.contains("keep one"), "{printed}");
}
