//! `haven build --offline DIR`: a copy of the site that works opened from `file://` (a USB
//! stick, a kiosk, a laptop with no connection). See docs/offline.md.
//!
//! Under `file://` there is no server: a folder address does not open its `index.html`, and an
//! address starting with `/` means the root of the disk. So every file the build makes passes
//! through [`Rewrite`], which turns the site's own addresses into addresses relative to the file
//! that holds them (`/pcd/` on `aftercare/index.html` becomes `../pcd/index.html`), and turns the
//! search index, which the search page cannot `fetch` from disk, into script files it loads with
//! `<script>` instead. The copy also gets a short `START-HERE.html` and a zip of the whole copy.
//!
//! Why rewrite the built files rather than make every address relative where it is made:
//! addresses come from the theme's templates (and a site's own templates, which are the site's,
//! not ours), from Markdown links, blocks, the glossary and the search page. Making each of them
//! relative would change every template's contract (`page.path`, `/style.css`) and still miss a
//! site's own templates. The rewriter works on the built files, in one place, after templates
//! ran: it reads tags and attributes (quoted or not), skips comments and the text of `<script>`,
//! `<title>` and `<textarea>`, and changes only the values of URL attributes (those starting with
//! one `/` become relative; folder addresses, `/pcd/` or `pcd/`, get their `index.html`), plus
//! `url(...)` in CSS. Text, scripts and everything else pass through byte for byte.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::Mutex;

use crate::config::Config;
use crate::diagnostic::{Diagnostic, io_error};
use crate::output::{Contents, OutputFile, Sink, Staging};

/// The zip of the offline copy, written inside it (so it is staged, recorded in the manifest and
/// replaced like every other file the build writes).
pub const ZIP_NAME: &str = "offline-site.zip";

/// The short page at the top of the copy that says how to open it.
pub const START_HERE: &str = "START-HERE.html";

/// The global the search index scripts fill (`window.havenSearchFiles["t/ab.json"] = ...`); the
/// theme's search.js reads it.
const SEARCH_GLOBAL: &str = "havenSearchFiles";

/// Wraps the build's staging folder: rewrites each file for `file://` on its way in, and
/// remembers which files it passed, for the zip.
pub struct Rewrite<'a> {
    inner: &'a Staging,
    config: &'a Config,
    paths: Mutex<BTreeSet<String>>,
}

impl<'a> Rewrite<'a> {
    pub fn new(inner: &'a Staging, config: &'a Config) -> Self {
        Rewrite {
            inner,
            config,
            paths: Mutex::new(BTreeSet::new()),
        }
    }

    /// Adds `START-HERE.html`, then the zip of every file the site made. The zip is made from
    /// the staged files, read back one at a time, so the site is never held in memory whole.
    /// Files of the user's in the folder (`--force`) are not the site's and are left out.
    pub fn finish(
        self,
        strings: &BTreeMap<String, BTreeMap<String, String>>,
    ) -> Result<(), Diagnostic> {
        let start = start_here(self.config, strings);
        self.put(OutputFile::bytes(START_HERE, start.into_bytes()))?;
        let paths = self.paths.into_inner().unwrap_or_else(|e| e.into_inner());
        let mut files: Vec<(String, PathBuf)> = self
            .inner
            .files()
            .into_iter()
            .filter(|(p, _)| paths.contains(p))
            .collect();
        files.sort();
        let zip = zip(&files).map_err(|e| {
            Diagnostic::error(format!("could not make {ZIP_NAME}: {e}"))
                .with_help("check that the disk is not full, then build again")
        })?;
        self.inner.put(OutputFile::bytes(ZIP_NAME, zip))
    }

    /// The search index file at `path`, when it is one: (its folder, its name in the folder).
    fn search_file<'p>(&self, path: &'p str) -> Option<(&'p str, &'p str)> {
        let rest = path.strip_prefix("search/")?;
        let (lang, name) = rest.split_once('/')?;
        let is_index = name == "index.json"
            || name
                .strip_prefix("t/")
                .or_else(|| name.strip_prefix("d/"))
                .is_some_and(|n| n.ends_with(".json") && !n.contains('/'));
        (self.config.is_language(lang) && is_index).then(|| (&path[..7 + lang.len()], name))
    }
}

impl Sink for Rewrite<'_> {
    fn put(&self, file: OutputFile) -> Result<(), Diagnostic> {
        let bytes = match file.contents {
            Contents::Bytes(b) => b,
            Contents::Copy(from) => {
                std::fs::read(&from).map_err(|e| io_error(&from, "read", &e))?
            }
        };
        let (path, bytes) = if let Some((folder, name)) = self.search_file(&file.path) {
            let text = String::from_utf8_lossy(&bytes);
            let script = search_script(folder, name, &text)?;
            (
                format!("{}.js", file.path.trim_end_matches(".json")),
                script,
            )
        } else if file.path.ends_with(".html") {
            match String::from_utf8(bytes) {
                Ok(text) => (file.path.clone(), html(&file.path, &text).into_bytes()),
                Err(e) => (file.path.clone(), e.into_bytes()),
            }
        } else if file.path.ends_with(".css") {
            match String::from_utf8(bytes) {
                Ok(text) => (file.path.clone(), css(&file.path, &text).into_bytes()),
                Err(e) => (file.path.clone(), e.into_bytes()),
            }
        } else {
            (file.path, bytes)
        };
        self.paths
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(path.clone());
        self.inner.put(OutputFile::bytes(path, bytes))
    }
}

/// `../` once per folder `path` (a file of the output) is in; empty at the top.
fn up(path: &str) -> String {
    "../".repeat(path.matches('/').count())
}

/// The site-root address `url` (`/pcd/#x`) as seen from the file at `path`
/// (`aftercare/index.html`): `../pcd/index.html#x`. A folder address gets its `index.html`
/// unless `folder` (the search page's index folder, which search.js adds file names to).
/// Addresses not starting with a single `/` are returned unchanged, but a relative folder
/// address (`pcd/`) still gets its `index.html`.
fn relative(url: &str, path: &str, folder: bool) -> Option<String> {
    if url.starts_with("//") || url.contains(':') && !url.starts_with('/') {
        return None;
    }
    let rooted = url.strip_prefix('/');
    let rest = rooted.unwrap_or(url);
    let split = rest.find(['?', '#']).unwrap_or(rest.len());
    let (route, tail) = rest.split_at(split);
    if rooted.is_none() && route.is_empty() {
        return None; // `#top`, `?q=`, or empty: the page itself.
    }
    let index = if !folder && (route.is_empty() || route.ends_with('/')) {
        "index.html"
    } else {
        ""
    };
    if rooted.is_none() && index.is_empty() {
        return None;
    }
    let prefix = if rooted.is_some() {
        up(path)
    } else {
        String::new()
    };
    let mut out = format!("{prefix}{route}{index}{tail}");
    if out.is_empty() {
        out.push_str("./");
    }
    Some(out)
}

/// Attributes that hold one URL.
const URL_ATTRIBUTES: [&str; 8] = [
    "href",
    "src",
    "action",
    "formaction",
    "poster",
    "data",
    "cite",
    "xlink:href",
];

/// An HTML file at `path` with its site addresses made relative and folder addresses ending in
/// `index.html`. Only attribute values (and `url()` in `style` attributes and `<style>`) change.
pub fn html(path: &str, text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    let bytes = text.as_bytes();
    let mut i = 0;
    while let Some(off) = text[i..].find('<') {
        let lt = i + off;
        out.push_str(&text[i..lt]);
        let after = &text[lt..];
        if after.starts_with("<!--") {
            let end = after.find("-->").map_or(text.len(), |e| lt + e + 3);
            out.push_str(&text[lt..end]);
            i = end;
            continue;
        }
        let starts_tag = bytes.get(lt + 1).is_some_and(u8::is_ascii_alphabetic);
        if !starts_tag {
            out.push('<');
            i = lt + 1;
            continue;
        }
        let (tag_end, name) = tag(path, text, lt, &mut out);
        i = tag_end;
        // Raw text: nothing in it is markup.
        let raw = match name.as_str() {
            "script" => Some("</script"),
            "style" => Some("</style"),
            "textarea" => Some("</textarea"),
            "title" => Some("</title"),
            _ => None,
        };
        if let Some(close) = raw {
            let end = find_ci(&text[i..], close).map_or(text.len(), |e| i + e);
            if name == "style" {
                out.push_str(&css(path, &text[i..end]));
            } else {
                out.push_str(&text[i..end]);
            }
            i = end;
        }
    }
    out.push_str(&text[i..]);
    out
}

/// Byte offset of `needle` (ASCII, lowercase) in `hay`, ignoring ASCII case.
fn find_ci(hay: &str, needle: &str) -> Option<usize> {
    let n = needle.len();
    hay.as_bytes()
        .windows(n)
        .position(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

/// Copies the start tag at `lt` to `out` with its URL attributes rewritten; returns where it
/// ends and its lowercase name.
fn tag(path: &str, text: &str, lt: usize, out: &mut String) -> (usize, String) {
    let b = text.as_bytes();
    let mut i = lt + 1;
    while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' && b[i] != b'/' {
        i += 1;
    }
    let name = text[lt + 1..i].to_ascii_lowercase();
    out.push_str(&text[lt..i]);
    let is_refresh = name == "meta" && find_ci(tag_text(text, i), "http-equiv").is_some();
    loop {
        let ws = i;
        while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
            i += 1;
        }
        out.push_str(&text[ws..i]);
        if i >= b.len() {
            return (i, name);
        }
        if b[i] == b'>' {
            out.push('>');
            return (i + 1, name);
        }
        let at = i;
        while i < b.len() && !b[i].is_ascii_whitespace() && !matches!(b[i], b'=' | b'>' | b'/') {
            i += 1;
        }
        let attr = text[at..i].to_ascii_lowercase();
        out.push_str(&text[at..i]);
        let eq = i;
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        if b.get(i) != Some(&b'=') {
            out.push_str(&text[eq..i]);
            continue;
        }
        i += 1;
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        out.push_str(&text[eq..i]);
        // (value, its opening quote, its closing quote when there is one, where it ends)
        let (value, open, close, end) = match b.get(i) {
            Some(&q @ (b'"' | b'\'')) => match text[i + 1..].find(q as char) {
                Some(e) => (
                    &text[i + 1..i + 1 + e],
                    Some(q as char),
                    Some(q as char),
                    i + e + 2,
                ),
                None => (&text[i + 1..], Some(q as char), None, text.len()),
            },
            _ => {
                let mut e = i;
                while e < b.len() && !b[e].is_ascii_whitespace() && b[e] != b'>' {
                    e += 1;
                }
                (&text[i..e], None, None, e)
            }
        };
        let new = attribute(path, &attr, value, is_refresh);
        out.extend(open);
        out.push_str(new.as_deref().unwrap_or(value));
        out.extend(close);
        i = end;
    }
}

/// The rest of a start tag from `i`, for looking ahead at its attributes.
fn tag_text(text: &str, i: usize) -> &str {
    let end = text[i..].find('>').map_or(text.len(), |e| i + e);
    &text[i..end]
}

/// The new value of attribute `attr`, or None to keep it.
fn attribute(path: &str, attr: &str, value: &str, is_refresh: bool) -> Option<String> {
    if URL_ATTRIBUTES.contains(&attr) {
        return relative(value, path, false);
    }
    match attr {
        "data-search-index" => relative(value, path, true),
        "srcset" => {
            let mut changed = false;
            let parts: Vec<String> = value
                .split(',')
                .map(|candidate| {
                    let lead = candidate.len() - candidate.trim_start().len();
                    let trimmed = candidate.trim_start();
                    let url_end = trimmed.find(char::is_whitespace).unwrap_or(trimmed.len());
                    match relative(&trimmed[..url_end], path, false) {
                        Some(new) => {
                            changed = true;
                            format!("{}{new}{}", &candidate[..lead], &trimmed[url_end..])
                        }
                        None => candidate.to_string(),
                    }
                })
                .collect();
            changed.then(|| parts.join(","))
        }
        "style" => {
            let new = css(path, value);
            (new != value).then_some(new)
        }
        // `<meta http-equiv="refresh" content="0; url=/x/">`
        "content" if is_refresh => {
            let at = find_ci(value, "url=")? + 4;
            let new = relative(value[at..].trim(), path, false)?;
            Some(format!("{}{new}", &value[..at]))
        }
        _ => None,
    }
}

/// A style sheet at `path` with each `url(/...)` made relative to it.
pub fn css(path: &str, text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while let Some(off) = find_ci(&text[i..], "url(") {
        let open = i + off + 4;
        out.push_str(&text[i..open]);
        let close = text[open..].find(')').map_or(text.len(), |e| open + e);
        let inner = &text[open..close];
        let trimmed = inner.trim();
        let (quote, url) = match trimmed.chars().next() {
            Some(q @ ('"' | '\'')) if trimmed.len() >= 2 && trimmed.ends_with(q) => {
                (Some(q), &trimmed[1..trimmed.len() - 1])
            }
            _ => (None, trimmed),
        };
        match relative(url, path, false) {
            Some(new) => {
                if let Some(q) = quote {
                    out.push(q);
                    out.push_str(&new);
                    out.push(q);
                } else {
                    out.push_str(&new);
                }
            }
            None => out.push_str(inner),
        }
        i = close;
    }
    out.push_str(&text[i..]);
    out
}

/// A search index file (`name` in `folder`, `search/en`) as a script that stores it in
/// `window.havenSearchFiles[name]`, for search.js to read without `fetch`. The documents' URLs
/// become relative to the index folder (search.js resolves them against it).
fn search_script(folder: &str, name: &str, json: &str) -> Result<Vec<u8>, Diagnostic> {
    let broken = |e: serde_json::Error| {
        Diagnostic::error(format!(
            "could not read the search index file {folder}/{name}: {e}"
        ))
        .with_help("this is a bug in Haven; please report it")
    };
    let data = if name.starts_with("d/") {
        let mut docs: serde_json::Value = serde_json::from_str(json).map_err(broken)?;
        let from = format!("{folder}/{name}");
        for doc in docs.as_array_mut().into_iter().flatten() {
            if let Some(url) = doc.get_mut(0)
                && let Some(new) = url.as_str().and_then(|u| relative(u, &from, false))
            {
                // From `search/en/d/0.json` that is one folder too deep: the links resolve
                // against the index folder, `search/en/`.
                *url = serde_json::Value::String(new.strip_prefix("../").unwrap_or(&new).into());
            }
        }
        docs.to_string()
    } else {
        // Checked, so a broken file fails the build here rather than the search in a browser.
        serde_json::from_str::<serde_json::Value>(json).map_err(broken)?;
        json.to_string()
    };
    let key = serde_json::Value::String(name.to_string());
    Ok(
        format!("(window.{SEARCH_GLOBAL} = window.{SEARCH_GLOBAL} || {{}})[{key}] = {data};\n")
            .into_bytes(),
    )
}

/// START-HERE.html's look: readable on any screen, light or dark, links easy to tap. Inline (the
/// page loads nothing), which its own policy allows: it has no script and nothing in it comes
/// from a reader.
const STYLE: &str = "html{color-scheme:light dark}body{font:1.125rem/1.6 system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem}li{margin:.75rem 0}a{display:inline-block;padding:.25rem 0}";

/// `START-HERE.html`: what the copy is, how to open it, what works without a connection. In
/// the default language, with a link to each language's home page.
fn start_here(config: &Config, strings: &BTreeMap<String, BTreeMap<String, String>>) -> String {
    let lang = config.default_language.as_str();
    let empty = BTreeMap::new();
    let t = strings.get(lang).unwrap_or(&empty);
    let get = |key: &str| {
        t.get(key)
            .map(String::as_str)
            .unwrap_or_default()
            .replace("{site}", &config.title)
    };
    let esc = crate::html::escape;
    let mut homes = String::new();
    for code in config.all_languages() {
        let (name, path) = if code == lang {
            (get("offline_start_open"), "index.html".to_string())
        } else {
            let name = config
                .languages
                .get(code)
                .map_or(code.to_string(), |l| l.name.clone());
            (name, format!("{code}/index.html"))
        };
        homes.push_str(&format!(
            "<li><a href=\"{path}\" hreflang=\"{code}\" lang=\"{code}\">{}</a></li>\n",
            esc(&name)
        ));
    }
    let mut works = String::new();
    for key in [
        "offline_start_works_pages",
        "offline_start_works_search",
        "offline_start_works_handouts",
    ] {
        works.push_str(&format!("<li>{}</li>\n", esc(&get(key))));
    }
    format!(
        "<!doctype html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'\">\n\
         <meta name=\"referrer\" content=\"no-referrer\">\n\
         <title>{title}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n<h1>{title}</h1>\n<p>{intro}</p>\n<ul>\n{homes}</ul>\n\
         <h2>{works_title}</h2>\n<ul>\n{works}</ul>\n<p>{online}</p>\n<p>{private}</p>\n</main>\n</body>\n</html>\n",
        title = esc(&get("offline_start_title")),
        intro = esc(&get("offline_start_intro")),
        works_title = esc(&get("offline_start_works")),
        online = esc(&get("offline_start_online")),
        private = esc(&get("offline_start_private")),
    )
}

/// The zip of `files` (path in the zip, file on disk), the same bytes for the same files:
/// entries in the order given (sorted by the caller), every date 1980-01-01, the same
/// permissions. Deflated: a site's HTML shrinks to about a quarter.
fn zip(files: &[(String, PathBuf)]) -> std::io::Result<Vec<u8>> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default())
        .unix_permissions(0o644);
    for (path, file) in files {
        if path == ZIP_NAME {
            continue;
        }
        w.start_file(path.as_str(), options)?;
        let mut from = std::fs::File::open(file)?;
        std::io::copy(&mut from, &mut w)?;
    }
    Ok(w.finish()?.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_become_relative_to_the_file() {
        let at = "aftercare/what/index.html";
        assert_eq!(relative("/", at, false).unwrap(), "../../index.html");
        assert_eq!(relative("/", "index.html", false).unwrap(), "index.html");
        assert_eq!(
            relative("/pcd/#x", at, false).unwrap(),
            "../../pcd/index.html#x"
        );
        assert_eq!(
            relative("/search/?q=a", "index.html", false).unwrap(),
            "search/index.html?q=a"
        );
        assert_eq!(
            relative("/style.css", at, false).unwrap(),
            "../../style.css"
        );
        assert_eq!(
            relative("/search/en/", "search/index.html", true).unwrap(),
            "../search/en/"
        );
        assert_eq!(
            relative("/#top", "index.html", false).unwrap(),
            "index.html#top"
        );
        assert_eq!(
            relative("pcd/", "index.html", false).unwrap(),
            "pcd/index.html"
        );
        for kept in [
            "#x",
            "",
            "?q=1",
            "https://a.org/",
            "//a.org/x",
            "mailto:a@b.c",
            "tel:+1",
            "a.png",
            "data:image/png;base64,AA",
        ] {
            assert_eq!(relative(kept, at, false), None, "{kept}");
        }
    }

    #[test]
    fn html_rewrites_url_attributes_only() {
        let page = "<!doctype html><html><head><link rel=\"stylesheet\" href=\"/style.css\">\
<script src='/a.js'></script><script>var u = \"/not-me/\"; if (a<b) {}</script>\
<style>body{background:url(/bg.png)}</style><!-- <a href=\"/c/\"> -->\
<meta http-equiv=\"refresh\" content=\"0; url=/new/\"></head><body>\
<p>1 < 2 and href=\"/text/\"</p><a class=x href=/pcd/ data-title=\"/kept/\">a</a>\
<img srcset=\"/a.png 1x, /b.png 2x\" src=\"/a.png\" alt=\"\" style=\"background: url('/c.png')\">\
<form action=\"/search/\" data-search-index=\"/search/en/\"></form><a HREF=\"https://x.org/\">x</a></body></html>";
        let got = html("a/index.html", page);
        assert_eq!(
            got,
            "<!doctype html><html><head><link rel=\"stylesheet\" href=\"../style.css\">\
<script src='../a.js'></script><script>var u = \"/not-me/\"; if (a<b) {}</script>\
<style>body{background:url(../bg.png)}</style><!-- <a href=\"/c/\"> -->\
<meta http-equiv=\"refresh\" content=\"0; url=../new/index.html\"></head><body>\
<p>1 < 2 and href=\"/text/\"</p><a class=x href=../pcd/index.html data-title=\"/kept/\">a</a>\
<img srcset=\"../a.png 1x, ../b.png 2x\" src=\"../a.png\" alt=\"\" style=\"background: url('../c.png')\">\
<form action=\"../search/index.html\" data-search-index=\"../search/en/\"></form><a HREF=\"https://x.org/\">x</a></body></html>"
        );
    }

    #[test]
    fn a_broken_tag_at_the_end_is_copied() {
        for text in [
            "<a href=\"/x/",
            "<a href",
            "<a",
            "<!-- open",
            "<script>x",
            "<a href='/y/'",
        ] {
            let got = html("index.html", text);
            assert!(got.len() >= text.len() - 1, "{text} -> {got}");
        }
        assert_eq!(
            html("index.html", "<a href='/y/'"),
            "<a href='y/index.html'"
        );
    }

    #[test]
    fn css_urls_are_relative_to_the_sheet() {
        assert_eq!(
            css(
                "haven/quiz.css",
                "a{b:url(\"/i.svg\")} c{d:url(data:x)} e{f:URL( /g.png )}"
            ),
            "a{b:url(\"../i.svg\")} c{d:url(data:x)} e{f:URL(../g.png)}"
        );
    }

    #[test]
    fn search_documents_link_from_the_index_folder() {
        let js = search_script("search/en", "d/0.json", r#"[["/pcd/","T","S","x"]]"#).unwrap();
        assert_eq!(
            String::from_utf8(js).unwrap(),
            "(window.havenSearchFiles = window.havenSearchFiles || {})[\"d/0.json\"] = [[\"../../pcd/index.html\",\"T\",\"S\",\"x\"]];\n"
        );
    }

    #[test]
    fn the_zip_is_the_same_for_the_same_files() {
        let dir = tempfile::tempdir().unwrap();
        let files: Vec<(String, PathBuf)> = ["a/index.html", "b.html"]
            .iter()
            .map(|p| {
                let file = dir.path().join(p.replace('/', "-"));
                std::fs::write(&file, p.repeat(100)).unwrap();
                (p.to_string(), file)
            })
            .collect();
        let first = zip(&files).unwrap();
        // Made again later: the file times differ, the zip does not.
        std::fs::write(&files[0].1, "a/index.html".repeat(100)).unwrap();
        assert_eq!(zip(&files).unwrap(), first);
        assert!(first.len() < 2 * 100 * 12, "deflated");
    }
}
