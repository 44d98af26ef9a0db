//! One HTML escaper: the same awkward text (`tests/fixtures/escaping`), written by templates,
//! blocks, the glossary, handouts, the search page, the feed and serve's error page, comes out
//! escaped the same way everywhere, as pulldown-cmark escapes it in an attribute; JSON gets JSON
//! escaping instead, and Markdown text pulldown-cmark's own (here with smart punctuation).

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const TRICKY: &str = r#"Tom & Jerry's <"tips">"#;
/// TRICKY through `haven::html::escape`, which is pulldown-cmark's attribute escaping.
const ESCAPED: &str = "Tom &amp; Jerry&#39;s &lt;&quot;tips&quot;&gt;";
/// TRICKY in JSON-LD: `json_encode`, with `<` written as `\u003c`.
const IN_JSON_LD: &str = r#""Tom & Jerry's \u003c\"tips\">""#;
/// TRICKY as Markdown text: smart punctuation, then pulldown-cmark's body-text escaping.
const IN_MARKDOWN: &str = "Tom &amp; Jerry’s &lt;“tips”&gt;";

fn build() -> tempfile::TempDir {
    let site = common::copy_fixture("escaping");
    let out = tempfile::tempdir().unwrap();
    let result = common::haven(&[
        "build",
        "--root",
        site.path().to_str().unwrap(),
        "--output",
        out.path().to_str().unwrap(),
    ]);
    assert!(result.status.success(), "{}", common::printed(&result));
    out
}

fn read(out: &Path, rel: &str) -> String {
    std::fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

#[test]
fn the_same_text_is_escaped_the_same_way_in_every_place() {
    assert_eq!(haven::html::escape(TRICKY), ESCAPED);
    let out = build();
    let out = out.path();
    let expected = [
        // The page's title, the site's title, the navigation and the breadcrumbs (templates).
        (
            "guide/tips/index.html",
            format!("<title>{ESCAPED} · {ESCAPED}</title>"),
        ),
        (
            "guide/tips/index.html",
            format!("<a href=\"/guide/\" aria-current=\"true\">{ESCAPED}</a>"),
        ),
        (
            "guide/tips/index.html",
            format!("<meta name=\"description\" content=\"{ESCAPED}\">"),
        ),
        // The glossary's tooltip (the marking pass).
        (
            "guide/tips/index.html",
            format!("role=\"tooltip\" id=\"term-aftercare\">{ESCAPED}</span>"),
        ),
        // A script's label (the script block), and its words as Markdown.
        (
            "guide/tips/index.html",
            format!("copy it instead.\">{ESCAPED}</button>"),
        ),
        ("guide/tips/index.html", format!("<dd>{IN_MARKDOWN}</dd>")),
        (
            "guide/tips/index.html",
            format!("<template class=\"haven-script-plain\">Asking\n\nYou: {IN_MARKDOWN}\n"),
        ),
        // The handout's title and its note on the answers (handouts).
        (
            "handouts/tips/index.html",
            format!("id=\"handout-tips-title\">{ESCAPED}</h1>"),
        ),
        (
            "handouts/tips/index.html",
            format!("<p class=\"handout-answers-note\">{ESCAPED}</p>"),
        ),
        // The search page's sections.
        (
            "search/index.html",
            format!("<h2 id=\"search-sections-title\">{ESCAPED}</h2>"),
        ),
        (
            "search/index.html",
            format!("<span class=\"search-section-description\">{ESCAPED}</span>"),
        ),
        // The feed (XML: `&#39;` is valid there too).
        ("atom.xml", format!("<title>{ESCAPED}</title>")),
        // JSON in a page is JSON, never HTML-escaped.
        ("index.html", format!("\"name\":{IN_JSON_LD}")),
    ];
    let mut missing = Vec::new();
    for (file, wanted) in &expected {
        if !read(out, file).contains(wanted.as_str()) {
            missing.push(format!("{file}: {wanted}"));
        }
    }
    assert!(missing.is_empty(), "not found:\n{}", missing.join("\n"));

    // And nowhere any other form: each place the text appears is one of the three.
    let mut other = Vec::new();
    for entry in walkdir::WalkDir::new(out) {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy();
        if !(name.ends_with(".html") || name.ends_with(".xml")) {
            continue;
        }
        let text = std::fs::read_to_string(entry.path()).unwrap();
        let rest = text
            .replace(ESCAPED, "")
            .replace(IN_JSON_LD, "")
            .replace(IN_MARKDOWN, "");
        if let Some(at) = rest.find("Tom ") {
            let end = (at + 60).min(rest.len());
            other.push(format!(
                "{}: {}",
                entry.path().strip_prefix(out).unwrap().display(),
                rest.get(at..end).unwrap_or(&rest[at..])
            ));
        }
    }
    assert!(
        other.is_empty(),
        "escaped another way:\n{}",
        other.join("\n")
    );
}

#[test]
fn search_index_files_hold_the_text_as_json_not_html() {
    let out = build();
    let docs: serde_json::Value =
        serde_json::from_str(&read(out.path(), "search/en/d/0.json")).unwrap();
    let strings = docs.to_string();
    assert!(
        strings.contains(&serde_json::to_string(TRICKY).unwrap()),
        "{strings}"
    );
    assert!(!strings.contains("&amp;"), "{strings}");
}

/// One GET with this machine's address in `Host`, as a browser sends it.
fn get(port: u16, path: &str) -> Option<(u16, String)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .ok()?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).ok()?;
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n")?;
    let status = head.split(' ').nth(1)?.parse().ok()?;
    Some((status, body.to_string()))
}

#[test]
fn serve_escapes_the_error_page_the_same_way() {
    let site = common::copy_fixture("escaping");
    // A quiz option without its feedback: an error located on a line holding the text.
    let page = site.path().join("content/guide/tips.md");
    let text = std::fs::read_to_string(&page).unwrap();
    let broken = text.replace(
        "- [ ] Yes\n  > It helps after anything close, too.\n",
        &format!("- [ ] {TRICKY}\n"),
    );
    assert_ne!(text, broken);
    std::fs::write(&page, broken).unwrap();

    let mut child = Command::new(env!("CARGO_BIN_EXE_haven"))
        .args(["serve", "--root"])
        .arg(site.path())
        .args(["--port", "0", "--bind", "127.0.0.1"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let printed = common::capture_output(&mut child);
    struct Kill(std::process::Child);
    impl Drop for Kill {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
    let _child = Kill(child);
    // Polled, not timed: the guard only stops a hung server from hanging the suite.
    let started = Instant::now();
    let page = loop {
        let port = printed.lock().unwrap().lines().find_map(|l| {
            let l = l.strip_prefix("Serving ")?;
            let url = &l[l.find(" at http://")? + " at http://".len()..];
            url.split('/')
                .next()?
                .rsplit(':')
                .next()?
                .parse::<u16>()
                .ok()
        });
        if let Some((503, body)) = port.and_then(|p| get(p, "/")) {
            break body;
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "no error page; serve printed:\n{}",
            printed.lock().unwrap()
        );
        std::thread::sleep(Duration::from_millis(25));
    };
    assert!(page.contains("The site did not build"), "{page}");
    assert!(page.contains(&format!("- [ ] {ESCAPED}")), "{page}");
}
