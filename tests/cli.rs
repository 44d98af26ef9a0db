//! Command-level tests: run the `haven` binary on fixture sites, as a user would.

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

use common::haven;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// A fresh copy of a fixture site, so tests can break it and build it.
fn copy_fixture(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture(name), dir.path());
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(from).unwrap();
        let target = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

fn text(o: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

fn read(path: PathBuf) -> String {
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Every file under `dir` with its bytes, to compare an output folder before and after.
fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files: Vec<(PathBuf, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
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
fn build_writes_pages_feeds_sitemap_404_and_redirects() {
    let site = copy_fixture("basic");
    let root = site.path().to_str().unwrap();
    let out = haven(&["build", "--root", root]);
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{stderr}");
    assert!(stdout.contains("Built 2 pages and 2 sections"), "{stdout}");
    assert!(
        stdout.trim_end().lines().count() == 1,
        "one summary line: {stdout}"
    );
    let public = site.path().join("public");
    let page = read(public.join("aftercare/what/index.html"));
    // Links resolved, relative .md links too, with anchors.
    assert!(
        page.contains(r#"<a href="/aftercare/why/#the-body">why it matters</a>"#),
        "{page}"
    );
    assert!(page.contains(r#"<h2 id="four-kinds">Four kinds</h2>"#));
    assert!(page.contains(r#"<aside class="callout callout-tip" role="note""#));
    assert!(
        page.contains(r#"rel="next" href="/aftercare/why/""#),
        "{page}"
    );
    assert!(
        page.contains(r#"<link rel="canonical" href="https://guide.example.org/aftercare/what/">"#)
    );
    // YAML front matter page.
    assert!(read(public.join("aftercare/why/index.html")).contains("<h1>Why it matters</h1>"));
    let sitemap = read(public.join("sitemap.xml"));
    assert!(sitemap.contains("<loc>https://guide.example.org/aftercare/why/</loc>"));
    assert!(sitemap.contains("<lastmod>2026-11-02</lastmod>"));
    let feed = read(public.join("atom.xml"));
    assert!(feed.contains("<title>What aftercare is</title>"));
    assert!(
        read(public.join("robots.txt")).contains("Sitemap: https://guide.example.org/sitemap.xml")
    );
    assert!(read(public.join("404.html")).contains("Page not found"));
    assert!(
        read(public.join("old/what/index.html"))
            .contains(r#"url=https://guide.example.org/aftercare/what/"#)
    );
    assert!(read(public.join("tags/basics/index.html")).contains("What aftercare is"));
    assert!(public.join("style.css").is_file());
}

#[test]
fn base_url_and_output_can_be_set_on_the_command_line() {
    let site = copy_fixture("basic");
    let out_dir = tempfile::tempdir().unwrap();
    let target = out_dir.path().join("site");
    let out = haven(&[
        "build",
        "--root",
        site.path().to_str().unwrap(),
        "--output",
        target.to_str().unwrap(),
        "--base-url",
        "http://localhost:8000",
    ]);
    assert!(out.status.success(), "{}", text(&out).1);
    assert!(read(target.join("index.html")).contains(r#"href="http://localhost:8000/""#));
}

#[test]
fn drafts_appear_only_with_the_flag() {
    let site = copy_fixture("basic");
    let draft = "+++\ntitle = \"Unfinished\"\ndraft = true\n+++\nNot yet.\n";
    std::fs::write(site.path().join("content/aftercare/draft.md"), draft).unwrap();
    // Editor leftovers are not pages.
    std::fs::write(
        site.path().join("content/aftercare/.what.md.swp"),
        [0u8, 1, 2],
    )
    .unwrap();
    std::fs::write(site.path().join("content/aftercare/what.md~"), "junk").unwrap();
    let root = site.path().to_str().unwrap();
    assert!(haven(&["build", "--root", root]).status.success());
    assert!(!site.path().join("public/aftercare/draft").exists());
    let out = haven(&["build", "--root", root, "--drafts"]);
    assert!(out.status.success(), "{}", text(&out).1);
    assert!(
        site.path()
            .join("public/aftercare/draft/index.html")
            .exists()
    );
}

/// Builds once, breaks the site with `break_it`, builds again: the second build must fail with
/// `expected` in its located message, exit 1, and leave the first output byte for byte.
fn assert_fails_and_keeps_output(break_it: impl Fn(&Path), expected: &[&str]) {
    let site = copy_fixture("basic");
    let root = site.path().to_str().unwrap();
    assert!(haven(&["build", "--root", root]).status.success());
    let before = snapshot(&site.path().join("public"));
    break_it(site.path());
    let out = haven(&["build", "--root", root]);
    let (_, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    for e in expected {
        assert!(stderr.contains(e), "expected {e:?} in:\n{stderr}");
    }
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(
        before,
        snapshot(&site.path().join("public")),
        "public/ changed after a failed build"
    );
    // Nothing is left behind beside the output either (the build cache the first build made
    // is kept, but no half-written one).
    let leftovers: Vec<_> = std::fs::read_dir(site.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| n.to_string_lossy().contains("haven-") && n != ".haven-cache")
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    let mut cache: Vec<_> = std::fs::read_dir(site.path().join(".haven-cache"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    cache.sort();
    assert_eq!(
        cache,
        ["generated.bin", "markdown.bin", "pages.bin"],
        "only the last good caches are kept"
    );
}

fn edit(root: &Path, rel: &str, from: &str, to: &str) {
    let path = root.join(rel);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{from} not in {rel}");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn front_matter_typo_is_located_with_a_suggestion() {
    assert_fails_and_keeps_output(
        |root| {
            edit(
                root,
                "content/aftercare/what.md",
                "weight = 1",
                "wieght = 1",
            )
        },
        &[
            "content/aftercare/what.md:5:1: error: invalid front matter: unknown field `wieght`",
            "did you mean `weight`?",
        ],
    );
}

#[test]
fn broken_internal_link_and_anchor_are_located() {
    assert_fails_and_keeps_output(
        |root| {
            edit(
                root,
                "content/aftercare/what.md",
                "@/aftercare/why.md#the-body",
                "@/aftercare/nope.md",
            );
            edit(
                root,
                "content/aftercare/what.md",
                "why.md#the-body",
                "why.md#the-bod",
            );
        },
        &[
            "content/aftercare/what.md:24:",
            "link to a page that does not exist: @/aftercare/nope.md",
            "link to a missing anchor: #the-bod",
            "did you mean `#the-body`?",
            "2 errors",
        ],
    );
}

#[test]
fn template_errors_are_located() {
    assert_fails_and_keeps_output(
        |root| {
            std::fs::create_dir_all(root.join("templates")).unwrap();
            std::fs::write(root.join("templates/page.html"), "{% extends \"base.html\" %}\n{% block main %}\n{{ page.nonexistent }}\n{% endblock main %}\n").unwrap();
        },
        &[
            "templates/page.html:3:4: error: template error",
            "Variable `page.nonexistent` not found",
        ],
    );
    assert_fails_and_keeps_output(
        |root| {
            std::fs::create_dir_all(root.join("templates")).unwrap();
            std::fs::write(
                root.join("templates/page.html"),
                "{% extends \"base.html\" %}\n{% block main %}\n{% if x %}\n{% endblock main %}\n",
            )
            .unwrap();
        },
        &["templates/page.html:4:1: error: template error: Failed to parse 'page.html'"],
    );
}

#[test]
fn config_typo_and_missing_theme_are_errors() {
    assert_fails_and_keeps_output(
        |root| edit(root, "haven.toml", "base_url", "base_ur"),
        &[
            "haven.toml:3:1: error: invalid haven.toml: unknown field `base_ur`",
            "did you mean `base_url`?",
        ],
    );
    assert_fails_and_keeps_output(
        |root| {
            edit(
                root,
                "haven.toml",
                "title = \"Fixture guide\"",
                "title = \"Fixture guide\"\ntheme = \"nope\"",
            )
        },
        &["the theme `nope` was not found", "guide"],
    );
}

#[test]
fn every_problem_is_reported_in_one_run() {
    assert_fails_and_keeps_output(
        |root| {
            std::fs::write(root.join("content/a.md"), "+++\ntitle = \"A\"\n").unwrap();
            std::fs::write(root.join("content/b.md"), [0xff, 0xfe, b'x']).unwrap();
            std::fs::write(root.join("content/c.md"), "").unwrap();
        },
        &[
            "content/a.md:1:1: error: front matter opened with `+++` is never closed",
            "content/b.md:1:1: error: the file is not valid UTF-8",
            "content/c.md:1:1: error: the file is empty",
            "3 errors",
        ],
    );
}

#[test]
fn site_templates_override_the_theme_file_by_file() {
    let site = copy_fixture("basic");
    std::fs::create_dir_all(site.path().join("templates")).unwrap();
    std::fs::write(site.path().join("templates/404.html"), "{% extends \"base.html\" %}{% block main %}<h1>Lost? Try the home page.</h1>{% endblock main %}").unwrap();
    let out = haven(&["build", "--root", site.path().to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out).1);
    let not_found = read(site.path().join("public/404.html"));
    assert!(not_found.contains("Lost? Try the home page."));
    // The rest of the theme still applies.
    assert!(not_found.contains("Skip to main content"));
}

#[test]
fn output_folder_must_be_safe() {
    let site = copy_fixture("basic");
    let root = site.path().to_str().unwrap();
    for bad in [
        "output_dir = \".\"",
        "output_dir = \"content\"",
        "output_dir = \"../elsewhere\"",
    ] {
        edit(
            site.path(),
            "haven.toml",
            "title = \"Fixture guide\"",
            &format!("title = \"Fixture guide\"\n{bad}"),
        );
        let out = haven(&["build", "--root", root]);
        assert_eq!(out.status.code(), Some(1), "{bad}");
        assert!(
            text(&out).1.contains("refusing to write the site"),
            "{bad}: {}",
            text(&out).1
        );
        edit(site.path(), "haven.toml", &format!("\n{bad}"), "");
    }
    assert!(site.path().join("content/aftercare/what.md").exists());
}

#[test]
fn new_site_builds_as_is() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("my-guide");
    let out = haven(&["new", target.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out).1);
    let out = haven(&["build", "--root", target.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out).1);
    assert!(
        target
            .join("public/guide/first-article/index.html")
            .is_file()
    );
    // What builds make stays out of version control.
    let ignored = read(target.join(".gitignore"));
    for made in ["public/", ".haven-cache/"] {
        assert!(ignored.lines().any(|l| l == made), "{ignored}");
        assert!(target.join(made).is_dir(), "{made}");
    }
    // It refuses to scaffold over existing work.
    let again = haven(&["new", target.to_str().unwrap()]);
    assert_eq!(again.status.code(), Some(1));
    assert!(text(&again).1.contains("already exists"));
}

#[test]
fn help_and_version() {
    let out = haven(&["--help"]);
    let (stdout, _) = text(&out);
    for cmd in ["build", "check", "new"] {
        assert!(stdout.contains(cmd), "{stdout}");
    }
    let out = haven(&["--version"]);
    assert!(text(&out).0.starts_with("haven "));
}

#[test]
fn the_example_site_builds() {
    let out_dir = tempfile::tempdir().unwrap();
    let root = env!("CARGO_MANIFEST_DIR");
    let out = haven(&[
        "build",
        "--root",
        root,
        "--output",
        out_dir.path().to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", text(&out).1);
    for f in [
        "index.html",
        "404.html",
        "sitemap.xml",
        "atom.xml",
        "es/index.html",
        "aftercare/what-is-aftercare/index.html",
    ] {
        assert!(out_dir.path().join(f).is_file(), "{f}");
    }
}
