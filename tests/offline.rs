//! `haven build --offline DIR` through the command (docs/offline.md): on the example site and
//! fixtures, every address in the copy is relative and leads to a file of the copy (folder
//! addresses to their index.html), the search index is scripts, nothing would store anything in
//! the browser, the zip holds exactly the folder's files and is the same on a rebuild, and DIR
//! follows the output-safety rules of every build. tests/browser/offline.test.js opens the
//! copy in Chromium.

mod common;

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use common::haven;

use common::printed as text;

fn build_offline(root: &Path, dir: &Path) {
    let out = haven(&[
        "build",
        "--root",
        root.to_str().unwrap(),
        "--offline",
        dir.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", text(&out));
}

/// Every file of `dir`, by `/`-separated path.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap();
            (
                rel.to_string_lossy().replace('\\', "/"),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

/// The values of `attr="..."` in `html`.
fn values<'a>(html: &'a str, attr: &str) -> Vec<&'a str> {
    let needle = format!(" {attr}=\"");
    html.match_indices(&needle)
        .map(|(at, _)| {
            let start = at + needle.len();
            let end = html[start..].find('"').map_or(html.len(), |e| start + e);
            &html[start..end]
        })
        .collect()
}

/// Checks every HTML and CSS file of the copy: no address starting with `/`, and every local
/// address leads to a file in the copy. Returns how many local addresses were followed.
fn check_addresses(dir: &Path, all: &BTreeMap<String, Vec<u8>>) -> usize {
    let mut followed = 0;
    let mut problems = Vec::new();
    for (path, bytes) in all {
        if !(path.ends_with(".html") || path.ends_with(".css")) {
            continue;
        }
        let text = String::from_utf8_lossy(bytes);
        for rooted in [
            "href=\"/",
            "src=\"/",
            "action=\"/",
            "srcset=\"/",
            "url(/",
            "url(\"/",
            "data-search-index=\"/",
            "url=/",
        ] {
            for (at, _) in text.match_indices(rooted) {
                let after = &text[at + rooted.len()..];
                if !after.starts_with('/') {
                    problems.push(format!("{path}: `{rooted}` at byte {at}"));
                }
            }
        }
        for attr in ["href", "src", "action"] {
            for url in values(&text, attr) {
                if url.is_empty() || url.starts_with('#') || url.contains(':') {
                    continue;
                }
                let route = url.split(['#', '?']).next().unwrap();
                if route.is_empty() {
                    continue;
                }
                let from = dir.join(path);
                let target = from.parent().unwrap().join(route);
                followed += 1;
                if !target.is_file() {
                    problems.push(format!("{path}: {attr}=\"{url}\" leads to no file"));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    followed
}

/// The zip's entries, unpacked.
fn unzip(bytes: &[u8]) -> BTreeMap<String, Vec<u8>> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = BTreeMap::new();
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).unwrap();
        let mut data = Vec::new();
        entry.read_to_end(&mut data).unwrap();
        out.insert(entry.name().to_string(), data);
    }
    out
}

/// The folder's files as the zip should hold them: all but Haven's manifest and the zip.
fn shipped(all: &BTreeMap<String, Vec<u8>>) -> BTreeMap<String, Vec<u8>> {
    all.iter()
        .filter(|(p, _)| *p != ".haven-manifest" && *p != "offline-site.zip")
        .map(|(p, b)| (p.clone(), b.clone()))
        .collect()
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn the_example_site_offline_has_only_relative_addresses_that_lead_to_files() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("copy");
    build_offline(&repo(), &dir);
    let all = files(&dir);
    let followed = check_addresses(&dir, &all);
    assert!(followed > 1000, "only {followed} addresses checked");

    for present in [
        "START-HERE.html",
        "index.html",
        "es/index.html",
        "offline-site.zip",
        "search/en/index.js",
        "search/es/index.js",
        "search/index.html",
        "glossary/index.html",
        "handouts/index.html",
    ] {
        assert!(all.contains_key(present), "{present} is missing");
    }
    for path in all.keys() {
        assert!(
            !(path.starts_with("search/") && path.ends_with(".json")),
            "{path}: the search index is scripts offline"
        );
    }
    for absent in ["_headers", "sitemap.xml", "robots.txt"] {
        assert!(!all.contains_key(absent), "{absent} is in the offline copy");
    }
    let home = String::from_utf8_lossy(&all["index.html"]);
    assert!(
        home.contains("href=\"search/index.html\"")
            || home.contains("action=\"search/index.html\"")
    );
    assert!(
        !home.contains("theme-toggle"),
        "the theme toggle stores the choice"
    );
    let search = String::from_utf8_lossy(&all["search/index.html"]);
    assert!(
        search.contains("data-search-index=\"../search/en/\" data-search-scripts"),
        "{search}"
    );

    // A search document's address is relative to its index folder and leads to the page.
    let chunk = String::from_utf8_lossy(&all["search/en/d/0.js"]);
    assert!(
        chunk.starts_with(
            "(window.havenSearchFiles = window.havenSearchFiles || {})[\"d/0.json\"] = [[\"../../"
        ),
        "{}",
        &chunk[..200]
    );
    let first = chunk
        .split("[[\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    assert!(dir.join("search/en").join(first).is_file(), "{first}");

    let start = String::from_utf8_lossy(&all["START-HERE.html"]);
    assert!(start.contains("<a href=\"index.html\""), "{start}");
    assert!(start.contains("<a href=\"es/index.html\""), "{start}");

    // The zip unpacks to the folder's files, byte for byte.
    assert_eq!(unzip(&all["offline-site.zip"]), shipped(&all));
}

#[test]
fn a_fixture_offline_drops_what_leads_online_or_stores_anything() {
    let site = common::copy_fixture("quiz-basic");
    let dir = site.path().join("copy");
    build_offline(site.path(), &dir);
    let all = files(&dir);
    check_addresses(&dir, &all);
    for (path, bytes) in all.iter().filter(|(p, _)| p.ends_with(".html")) {
        let text = String::from_utf8_lossy(bytes);
        assert!(
            !text.contains("data-remember") && !text.contains("quiz-remember-box"),
            "{path}: a quiz offers to remember answers (localStorage) in the offline copy"
        );
    }
    assert!(
        !site.path().join(".haven-cache").exists(),
        "the offline build wrote the build cache"
    );

    // The basic fixture has an alias (/old/what/): its redirect leads to the published site.
    let basic = common::copy_fixture("basic");
    let dir = basic.path().join("copy");
    build_offline(basic.path(), &dir);
    let all = files(&dir);
    check_addresses(&dir, &all);
    assert!(!all.contains_key("old/what/index.html"));
    assert!(all.contains_key("aftercare/what/index.html"));
    assert_eq!(unzip(&all["offline-site.zip"]), shipped(&all));

    // The clinic theme too.
    let config = basic.path().join("haven.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(&config, format!("theme = \"clinic\"\n{text}")).unwrap();
    let dir = basic.path().join("clinic-copy");
    build_offline(basic.path(), &dir);
    let all = files(&dir);
    assert!(String::from_utf8_lossy(&all["index.html"]).contains("clinic"));
    check_addresses(&dir, &all);
}

#[test]
fn a_rebuild_makes_the_same_zip_and_a_normal_build_is_unchanged() {
    let site = common::copy_fixture("basic");
    let dir = site.path().join("copy");
    build_offline(site.path(), &dir);
    let zip1 = std::fs::read(dir.join("offline-site.zip")).unwrap();
    let other = site.path().join("copy2");
    build_offline(site.path(), &other);
    build_offline(site.path(), &dir);
    assert_eq!(std::fs::read(dir.join("offline-site.zip")).unwrap(), zip1);
    assert_eq!(std::fs::read(other.join("offline-site.zip")).unwrap(), zip1);

    // The normal build still has absolute addresses and its server files.
    let out = haven(&["build", "--root", site.path().to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out));
    let public = site.path().join("public");
    let page = std::fs::read_to_string(public.join("aftercare/what/index.html")).unwrap();
    assert!(page.contains("href=\"/style.css\""));
    assert!(public.join("sitemap.xml").is_file() && !public.join("START-HERE.html").exists());
}

#[test]
fn the_offline_folder_follows_the_output_safety_rules() {
    let site = common::copy_fixture("basic");
    let dir = site.path().join("mine");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("notes.txt"), "my notes").unwrap();
    let out = haven(&[
        "build",
        "--root",
        site.path().to_str().unwrap(),
        "--offline",
        dir.to_str().unwrap(),
    ]);
    assert!(!out.status.success());
    assert!(
        text(&out).contains("the folder is not empty, and Haven did not make it"),
        "{}",
        text(&out)
    );
    assert_eq!(files(&dir).len(), 1, "nothing written");

    // --force writes beside the user's file and keeps it; later builds need no --force.
    let out = haven(&[
        "build",
        "--root",
        site.path().to_str().unwrap(),
        "--offline",
        dir.to_str().unwrap(),
        "--force",
    ]);
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(
        std::fs::read_to_string(dir.join("notes.txt")).unwrap(),
        "my notes"
    );
    build_offline(site.path(), &dir);
    assert!(dir.join("START-HERE.html").is_file());
    // The user's file is theirs: not in the zip, which holds the site.
    let zipped = unzip(&std::fs::read(dir.join("offline-site.zip")).unwrap());
    assert!(!zipped.contains_key("notes.txt"));

    // A page deleted from the site leaves the copy on the next build.
    let extra = site.path().join("content/aftercare/extra.md");
    std::fs::write(
        &extra,
        "---\ntitle: Extra\ndescription: A page for a while.\n---\nA page for a while.\n",
    )
    .unwrap();
    build_offline(site.path(), &dir);
    assert!(dir.join("aftercare/extra/index.html").is_file());
    std::fs::remove_file(&extra).unwrap();
    build_offline(site.path(), &dir);
    assert!(!dir.join("aftercare/extra/index.html").exists());
    assert!(dir.join("notes.txt").is_file());

    // --offline names the output folder: --output with it is a mistake.
    let out = haven(&["build", "--offline", "a", "--output", "b"]);
    assert!(!out.status.success());
    assert!(text(&out).contains("cannot be used with"), "{}", text(&out));
}
