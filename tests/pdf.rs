//! `haven build --pdf` (docs/handouts.md#pdf-files): every handout and its large-print version
//! printed by Chromium to A4 and Letter PDFs beside the handout page, linked with their sizes;
//! each PDF checked with poppler (pdfinfo: pages, paper, title, tags; pdftotext: the title and
//! the clinic's phone) and zbar (the QR code on page 1 decodes to the article's URL). A second
//! build prints only the PDFs of the handout that changed. A build without a browser fails
//! with a message naming the way to turn PDFs off, and leaves the last good output.
//!
//! The printing tests need `chromium`, `pdfinfo`, `pdftotext`, `pdftoppm` and `zbarimg`
//! (tests/run.sh installs them); without them they are skipped (tests/common `skip`), except
//! under `CI`, where a missing tool fails them.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::SystemTime;

const PHONE: &str = "0100 222 3333";

/// The tools the printing tests need, or the reason they cannot run (a failure under `CI`).
fn tools(test: &str) -> bool {
    let missing: Vec<&str> = ["chromium", "pdfinfo", "pdftotext", "pdftoppm", "zbarimg"]
        .into_iter()
        .filter(|tool| !on_path(tool))
        .collect();
    if missing.is_empty() {
        return true;
    }
    let reason = format!(
        "missing {} (tests/run.sh installs chromium, poppler-utils and zbar-tools)",
        missing.join(", ")
    );
    assert!(std::env::var_os("CI").is_none(), "{test}: {reason}");
    common::skip(test, &reason);
    false
}

fn on_path(name: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|path| std::env::split_paths(&path).any(|dir| dir.join(name).is_file()))
}

fn haven(root: &Path, output: &Path, extra: &[&str]) -> Output {
    haven_with(root, output, extra, None)
}

/// `haven build`, with `HAVEN_CHROMIUM` set to `chromium` when given.
fn haven_with(root: &Path, output: &Path, extra: &[&str], chromium: Option<&Path>) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_haven"));
    command.env_remove("HAVEN_CHROMIUM");
    if let Some(chromium) = chromium {
        command.env("HAVEN_CHROMIUM", chromium);
    }
    command
        .args(["build", "--root"])
        .arg(root)
        .arg("--output")
        .arg(output)
        .args(extra)
        .env("NO_COLOR", "1")
        .env("HAVEN_TODAY", "2026-02-03")
        .output()
        .unwrap()
}

fn succeeded(output: &Output) -> String {
    let stdout = String::from_utf8_lossy(&output.stdout).to_string();
    assert!(
        output.status.success(),
        "haven build failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}

fn tool(program: &str, args: &[&str], file: &Path) -> String {
    let out = Command::new(program).args(args).arg(file).output().unwrap();
    assert!(
        out.status.success(),
        "{program} {args:?} {}: {}",
        file.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).to_string()
}

/// `pdfinfo`'s fields: `Pages`, `Page size`, `Title`, `Tagged`...
fn info(pdf: &Path) -> BTreeMap<String, String> {
    tool("pdfinfo", &[], pdf)
        .lines()
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect()
}

/// The PDF's text with whitespace runs as single spaces.
fn text(pdf: &Path) -> String {
    let out = Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap();
    assert!(out.status.success(), "pdftotext {}", pdf.display());
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// What the QR code on page 1 (rendered at 150 dpi) decodes to.
fn qr(pdf: &Path) -> String {
    let dir = tempfile::tempdir().unwrap();
    let prefix = dir.path().join("page");
    let out = Command::new("pdftoppm")
        .args(["-r", "150", "-png", "-f", "1", "-l", "1"])
        .arg(pdf)
        .arg(&prefix)
        .output()
        .unwrap();
    assert!(out.status.success(), "pdftoppm {}", pdf.display());
    let png = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "png"))
        .expect("pdftoppm wrote a page image");
    // zbarimg writes D-Bus noise on stderr: read stdout only.
    let out = Command::new("zbarimg")
        .args(["--raw", "-q"])
        .arg(&png)
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .next()
        .unwrap_or_default()
        .to_string()
}

fn unescape(s: &str) -> String {
    s.replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// The text between `open` (its end) and the next `close` in `html`.
fn between<'a>(html: &'a str, open: &str, close: &str) -> &'a str {
    let start = html.find(open).unwrap_or_else(|| panic!("no {open}")) + open.len();
    let rest = &html[start..];
    let start = rest.find('>').map_or(0, |i| i + 1);
    let rest = &rest[start..];
    &rest[..rest.find(close).unwrap()]
}

/// The attribute value that `open` (ending in `="`) starts.
fn value_after(html: &str, open: &str) -> String {
    let start = html.find(open).unwrap_or_else(|| panic!("no {open}")) + open.len();
    html[start..][..html[start..].find('"').unwrap()].to_string()
}

/// One handout page of a built site and what its PDFs must show.
struct Handout {
    /// Its folder in the output, `handouts/x/` or `handouts/x/large-print/`.
    dir: String,
    large_print: bool,
    /// The page's `<title>` (the PDF's title).
    page_title: String,
    /// The handout's heading (in the PDF's text).
    title: String,
    /// The article's URL (the QR code's).
    url: String,
    /// `<html lang>` (the PDF's `/Lang`).
    lang: String,
}

/// Every handout page in `out` (not the print-all pages).
fn handouts(out: &Path) -> Vec<Handout> {
    let mut found = Vec::new();
    for entry in walkdir::WalkDir::new(out) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(out).unwrap().to_string_lossy();
        let Some(dir) = rel.strip_suffix("index.html") else {
            continue;
        };
        let parts: Vec<&str> = dir.trim_end_matches('/').split('/').collect();
        let Some(at) = parts.iter().position(|p| *p == "handouts") else {
            continue;
        };
        let rest = &parts[at + 1..];
        let large_print = rest.len() == 2 && rest[1] == "large-print";
        if !(rest.len() == 1 && rest[0] != "print-all" || large_print) {
            continue;
        }
        let html = std::fs::read_to_string(entry.path()).unwrap();
        let url = value_after(&html, "<link rel=\"canonical\" href=\"");
        let heading = between(&html, "class=\"handout-title\"", "</h1>");
        found.push(Handout {
            dir: dir.to_string(),
            large_print,
            page_title: unescape(between(&html, "<title", "</title>")),
            title: unescape(heading.trim()),
            url: unescape(&url),
            lang: value_after(&html, "<html lang=\""),
        });
    }
    found.sort_by(|a, b| a.dir.cmp(&b.dir));
    found
}

/// The PDFs a handout page links to: (href, label).
fn pdf_links(html: &str) -> Vec<(String, String)> {
    let mut links = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find("<a href=\"") {
        rest = &rest[at + 9..];
        let href = &rest[..rest.find('"').unwrap()];
        let label_start = rest.find('>').unwrap() + 1;
        let label = &rest[label_start..][..rest[label_start..].find("</a>").unwrap()];
        if href.ends_with(".pdf") {
            links.push((href.to_string(), label.to_string()));
        }
    }
    links
}

/// Checks every PDF of every handout in `out`: both papers, the page limit of a standard
/// handout, title, language tags, the phone (when given) and the handout's title in its text,
/// the QR code, and the link with its size on the handout page and the list.
fn check_pdfs(out: &Path, phone: Option<&str>) -> usize {
    let pages = handouts(out);
    assert!(!pages.is_empty(), "no handouts in {}", out.display());
    let mut checked = 0;
    for h in &pages {
        let page = std::fs::read_to_string(out.join(&h.dir).join("index.html")).unwrap();
        let links = pdf_links(&page);
        assert_eq!(links.len(), 2, "{}: links to two PDFs: {links:?}", h.dir);
        let lang_root = &h.dir[..h.dir.find("handouts/").unwrap()];
        let index =
            std::fs::read_to_string(out.join(lang_root).join("handouts/index.html")).unwrap();
        for (paper, size) in [("a4", "(A4)"), ("letter", "(letter)")] {
            let (href, label) = links
                .iter()
                .find(|(href, _)| href.ends_with(&format!("-{paper}.pdf")))
                .unwrap_or_else(|| panic!("{}: no {paper} PDF linked: {links:?}", h.dir));
            assert!(
                href.starts_with(&format!("/{}", h.dir)),
                "{href} beside {}",
                h.dir
            );
            let pdf = out.join(href.trim_start_matches('/'));
            let bytes = std::fs::metadata(&pdf)
                .unwrap_or_else(|_| panic!("{href} was not written"))
                .len();
            let kb = bytes.div_ceil(1024);
            assert!(
                label.ends_with(&format!(", {kb} KB")) && label.starts_with("PDF, "),
                "{}: link label {label:?} for a {bytes}-byte PDF",
                h.dir
            );
            assert!(
                index.contains(&format!("href=\"{href}\"")),
                "{lang_root}handouts/ links {href}"
            );
            let meta = info(&pdf);
            let n: usize = meta["Pages"].parse().unwrap();
            if !h.large_print {
                assert!(n <= 2, "{href}: {n} pages, a handout fits on two");
            }
            assert!(
                meta["Page size"].ends_with(size),
                "{href}: {:?}",
                meta["Page size"]
            );
            assert_eq!(meta["Title"], h.page_title, "{href}: title");
            assert_eq!(meta["Tagged"], "yes", "{href}: tagged PDF");
            // Chromium writes the catalog's /Lang uncompressed.
            let raw = String::from_utf8_lossy(&std::fs::read(&pdf).unwrap()).to_string();
            assert!(
                raw.contains(&format!("/Lang ({})", h.lang)),
                "{href}: /Lang ({}) in the PDF",
                h.lang
            );
            let text = text(&pdf);
            let title = h.title.split_whitespace().collect::<Vec<_>>().join(" ");
            assert!(
                text.contains(&title),
                "{href}: title {title:?} not in {text}"
            );
            if let Some(phone) = phone {
                assert!(text.contains(phone), "{href}: phone {phone} not in {text}");
            }
            assert_eq!(qr(&pdf), h.url, "{href}: QR code");
            checked += 1;
        }
    }
    checked
}

fn fixture_with_two_handouts() -> tempfile::TempDir {
    let site = common::copy_fixture("handout-basic");
    std::fs::write(
        site.path().join("content/learn/second.md"),
        "+++\ntitle = \"Talking after sex\"\ndescription = \"Words for a check-in.\"\nhandout = true\n+++\nA short check-in helps you both.\n\n## Try this\n\nAsk how they feel, then listen.\n",
    )
    .unwrap();
    site
}

fn mtimes(out: &Path) -> BTreeMap<String, SystemTime> {
    walkdir::WalkDir::new(out)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.path().extension().is_some_and(|x| x == "pdf"))
        .map(|e| {
            (
                e.path()
                    .strip_prefix(out)
                    .unwrap()
                    .to_string_lossy()
                    .to_string(),
                e.metadata().unwrap().modified().unwrap(),
            )
        })
        .collect()
}

#[test]
fn every_handout_is_printed_to_a4_and_letter_and_only_a_changed_one_again() {
    if !tools("every_handout_is_printed_to_a4_and_letter_and_only_a_changed_one_again") {
        return;
    }
    let site = fixture_with_two_handouts();
    let out = site.path().join("public");
    // Chromium through a script that counts its starts.
    let starts = site.path().join("chromium-starts.log");
    let wrapper = site.path().join("chromium-counted");
    std::fs::write(
        &wrapper,
        format!(
            "#!/bin/sh\necho start >> '{}'\nexec chromium \"$@\"\n",
            starts.display()
        ),
    )
    .unwrap();
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&wrapper, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let count_starts = || {
        std::fs::read_to_string(&starts)
            .unwrap_or_default()
            .lines()
            .count()
    };
    let build = |extra: &[&str]| succeeded(&haven_with(site.path(), &out, extra, Some(&wrapper)));
    let first = build(&["--pdf"]);
    assert_eq!(count_starts(), 1);
    // Three handouts (leaflet in English and Spanish, second), each with a large-print page,
    // on two papers.
    assert!(
        first.contains("Handout PDFs: 12 printed, 0 unchanged and kept"),
        "{first}"
    );
    assert_eq!(check_pdfs(&out, Some(PHONE)), 12);
    assert!(out.join("handouts/second/second-a4.pdf").is_file());
    assert!(
        out.join("handouts/leaflet/large-print/leaflet-large-print-letter.pdf")
            .is_file()
    );
    let before = mtimes(&out);
    assert_eq!(before.len(), 12);

    // One handout changed: only its four PDFs are printed again.
    let page = site.path().join("content/learn/second.md");
    let source = std::fs::read_to_string(&page).unwrap();
    std::fs::write(&page, source.replace("then listen.", "then listen well.")).unwrap();
    let second = build(&["--pdf"]);
    assert_eq!(count_starts(), 2);
    assert!(
        second.contains("Handout PDFs: 4 printed, 8 unchanged and kept"),
        "{second}"
    );
    let after = mtimes(&out);
    for (path, time) in &before {
        if path.starts_with("handouts/second/") {
            assert_ne!(after[path], *time, "{path} was printed again");
        } else {
            assert_eq!(after[path], *time, "{path} was left as it was");
        }
    }
    assert!(
        text(&out.join("handouts/second/second-a4.pdf")).contains("then listen well."),
        "the new PDF has the new text"
    );

    // Nothing changed: every PDF kept, and Chromium not even started.
    let before = mtimes(&out);
    let third = build(&["--pdf"]);
    assert!(
        third.contains("Handout PDFs: 0 printed, 12 unchanged and kept"),
        "{third}"
    );
    assert_eq!(
        count_starts(),
        2,
        "no Chromium started for nothing to print"
    );
    assert_eq!(mtimes(&out), before);

    // A build without PDFs removes them (they are the manifest's); no page links to one.
    build(&[]);
    assert!(mtimes(&out).is_empty());
    let page = std::fs::read_to_string(out.join("handouts/second/index.html")).unwrap();
    assert!(!page.contains(".pdf"), "no PDF links without --pdf");
}

#[test]
fn pdf_true_in_haven_toml_prints_them_and_the_profiles_clinic_is_on_them() {
    if !tools("pdf_true_in_haven_toml_prints_them_and_the_profiles_clinic_is_on_them") {
        return;
    }
    let site = common::copy_fixture("handout-basic");
    let toml = site.path().join("haven.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(
        &toml,
        text.replace("[handouts]\n", "[handouts]\npdf = true\n"),
    )
    .unwrap();
    let out = site.path().join("public-northside");
    succeeded(&haven(
        site.path(),
        &out,
        &["--clinic", "northside", "--no-cache"],
    ));
    assert_eq!(check_pdfs(&out, Some("0100 444 5555")), 8);
}

#[test]
fn the_example_site_builds_with_pdf() {
    if !tools("the_example_site_builds_with_pdf") {
        return;
    }
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let phone = std::fs::read_to_string(root.join("haven.toml"))
        .unwrap()
        .parse::<toml::Table>()
        .unwrap()["clinic"]["phone"]
        .as_str()
        .unwrap()
        .to_string();
    let out = tempfile::tempdir().unwrap();
    // The example is the source tree: --no-cache leaves no build cache in it.
    let stdout = succeeded(&haven(
        &root,
        &out.path().join("site"),
        &["--pdf", "--no-cache"],
    ));
    let checked = check_pdfs(&out.path().join("site"), Some(&phone));
    assert!(
        stdout.contains(&format!("Handout PDFs: {checked} printed, 0 unchanged")),
        "{stdout}"
    );
}

/// A fresh copy of the fixture built once without PDFs: (site, output, its handout page).
fn built_without_pdfs() -> (tempfile::TempDir, PathBuf, String) {
    let site = common::copy_fixture("handout-basic");
    let out = site.path().join("public");
    succeeded(&haven(site.path(), &out, &[]));
    let page = std::fs::read_to_string(out.join("handouts/leaflet/index.html")).unwrap();
    (site, out, page)
}

fn fails_clearly(output: &Output, out: &Path, page: &str, says: &[&str]) {
    assert!(!output.status.success(), "the build must fail");
    assert_eq!(output.status.code(), Some(1), "an error exit, not a crash");
    let stderr = String::from_utf8_lossy(&output.stderr);
    for words in says {
        assert!(
            stderr.contains(words),
            "the error says {words:?}:\n{stderr}"
        );
    }
    assert!(!stderr.contains("panicked"), "{stderr}");
    // The last good output stays.
    assert_eq!(
        std::fs::read_to_string(out.join("handouts/leaflet/index.html")).unwrap(),
        page
    );
    assert!(mtimes(out).is_empty());
}

#[test]
fn no_browser_on_path_is_a_clear_error_that_says_how_to_turn_pdfs_off() {
    let (site, out, page) = built_without_pdfs();
    let empty = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_haven"))
        .args(["build", "--pdf", "--root"])
        .arg(site.path())
        .arg("--output")
        .arg(&out)
        .env("NO_COLOR", "1")
        .env("HAVEN_TODAY", "2026-02-03")
        .env("PATH", empty.path())
        .env_remove("HAVEN_CHROMIUM")
        .output()
        .unwrap();
    fails_clearly(
        &output,
        &out,
        &page,
        &[
            "no Chromium was found on PATH",
            "--pdf",
            "pdf = true",
            "chromium = ",
        ],
    );
}

#[test]
fn a_chromium_path_in_haven_toml_that_is_not_there_is_a_clear_error() {
    let (site, out, page) = built_without_pdfs();
    let toml = site.path().join("haven.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(
        &toml,
        text.replace(
            "[handouts]\n",
            "[handouts]\npdf = true\nchromium = \"/nowhere/chromium\"\n",
        ),
    )
    .unwrap();
    let line = std::fs::read_to_string(&toml)
        .unwrap()
        .lines()
        .position(|l| l.starts_with("chromium = "))
        .unwrap()
        + 1;
    let output = haven(site.path(), &out, &[]);
    fails_clearly(
        &output,
        &out,
        &page,
        &[
            &format!("haven.toml:{line}:1: error"),
            "/nowhere/chromium",
            "haven.toml",
            "remove `pdf = true`",
            "without PDFs",
        ],
    );
}
