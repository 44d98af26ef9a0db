//! Output weight (issue 24.5): what every page of the example site repeats stays small, and what
//! a shared, cacheable file can hold (styles, scripts, icons) is in one, linked, never inline.
//! See BENCHMARKS.md "Output weight" for the figures and for what stays in every page on purpose.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

mod common;

/// The bytes of the lines found in every page may grow with a new control, but an inline icon,
/// stylesheet or script (each 1 KB or more) would break this budget at once. Today: about 1 KB
/// (the head's meta tags and links, the quick exit's fixed lines, the help box's frame).
const EVERY_PAGE_BUDGET: usize = 2048;

fn build_example() -> (tempfile::TempDir, Vec<(PathBuf, String)>) {
    let out = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let result = common::haven(&[
        "build",
        "--no-cache",
        "--root",
        root.to_str().unwrap(),
        "--output",
        out.path().to_str().unwrap(),
    ]);
    assert!(result.status.success(), "{}", common::printed(&result));
    let pages: Vec<(PathBuf, String)> = walkdir::WalkDir::new(out.path())
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| {
            let text = std::fs::read_to_string(e.path()).unwrap();
            (e.path().to_path_buf(), text)
        })
        .collect();
    assert!(pages.len() > 100, "the example has pages in two languages");
    (out, pages)
}

#[test]
fn styles_scripts_and_icons_are_shared_files_not_copies_in_every_page() {
    let (out, pages) = build_example();
    for (path, html) in &pages {
        let at = path.strip_prefix(out.path()).unwrap().display();
        assert!(!html.contains("<style"), "{at}: an inline <style>");
        assert!(
            !html.contains(" style=\""),
            "{at}: an inline style attribute"
        );
        // Scripts load from files; JSON-LD is data, not a script.
        for (i, _) in html.match_indices("<script") {
            let tag = &html[i..i + html[i..].find('>').unwrap()];
            assert!(
                tag.contains(" src=\"/") || tag.contains("type=\"application/ld+json\""),
                "{at}: an inline script {tag}>"
            );
        }
        // The one picture drawn inline is a handout's QR code: its own address, on that page only.
        for (i, _) in html.match_indices("<svg") {
            let tag = &html[i..i + html[i..].find('>').unwrap()];
            assert!(
                tag.contains("class=\"handout-qr-code\""),
                "{at}: an inline SVG {tag}>"
            );
        }
        // What they link is in the output.
        for attr in [" src=\"/", " href=\"/"] {
            for (i, _) in html.match_indices(attr) {
                let start = i + attr.len();
                let link = &html[start..start + html[start..].find('"').unwrap()];
                if link.ends_with(".css") || link.ends_with(".js") || link.ends_with(".svg") {
                    assert!(
                        out.path().join(link).is_file(),
                        "{at} links /{link}, not built"
                    );
                }
            }
        }
    }
}

#[test]
fn what_every_page_repeats_stays_within_its_budget() {
    let (_out, pages) = build_example();
    let mut pages_with_line: HashMap<&str, usize> = HashMap::new();
    for (_, html) in &pages {
        let mut lines: Vec<&str> = html.lines().collect();
        lines.sort_unstable();
        lines.dedup();
        for line in lines {
            *pages_with_line.entry(line).or_default() += 1;
        }
    }
    let in_every_page: Vec<&str> = (pages_with_line.iter())
        .filter(|(_, n)| **n == pages.len())
        .map(|(line, _)| *line)
        .collect();
    let bytes: usize = in_every_page.iter().map(|l| l.len() + 1).sum();
    assert!(
        bytes <= EVERY_PAGE_BUDGET,
        "every page repeats {bytes} bytes (budget {EVERY_PAGE_BUDGET}); could a shared file hold some?\n{}",
        in_every_page.join("\n")
    );
    // The quick exit is in every page itself: it must work before any other file loads.
    assert!(in_every_page.contains(&"<p class=\"quick-exit-status\" role=\"status\"></p>"));
}
