//! PDF files of handouts (`haven build --pdf`, or `[handouts] pdf = true`).
//!
//! Each handout page and its large-print version is printed by the machine's Chromium, driven
//! through the DevTools protocol (the `headless_chrome` crate), once per paper size: A4 and US
//! Letter. Chromium reads the built site from a loopback server that answers only with the
//! build's own files (the files this build made, in its staging folder or unchanged in the
//! output), and its host resolver maps every other name to nothing, so printing fetches nothing
//! from outside the site. Every wait on the browser is bounded ([`WAIT`]): a stuck browser is an
//! error, never a hang.
//!
//! The PDF is printed from the handout page as it is rendered *without* the links to its PDFs
//! (they sit in the screen-only part of the page, which print CSS hides): the page that lists the
//! PDFs' sizes then cannot change the PDFs it lists. The key of a PDF is a hash of that page,
//! of the stylesheets and images it loads, of the paper and of Chromium's version; a PDF whose
//! key is the one recorded in [`CACHE_PATH`] after the last build (and whose file in the output
//! is still the one recorded) is carried over, not printed again. See docs/handouts.md.

use std::collections::{BTreeMap, HashMap};
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use headless_chrome::protocol::cdp::types::Event;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::handout::{MARGINS_MM, PAPER_CSS, Paper};
use crate::output::content_hash;
use crate::templates::context::PdfLink;

/// Where the keys of the last build's PDFs are kept, under the site's folder.
pub const CACHE_PATH: &str = ".haven-cache/pdf.tsv";

/// The longest Haven waits for Chromium to start, load a handout or print it.
pub const WAIT: Duration = Duration::from_secs(60);

/// The environment variable naming the Chromium to use (over `PATH`, under `[handouts]
/// chromium`).
pub const CHROMIUM_ENV: &str = "HAVEN_CHROMIUM";

/// Program names looked for on `PATH`, in order.
const PROGRAMS: &[&str] = &[
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
];

/// What to tell someone whose build asked for PDFs and has no browser for them.
const NO_BROWSER_HELP: &str = "install Chromium (on Debian or Ubuntu: `sudo apt install chromium`), \
    or give its path with `chromium = \"/path/to/chromium\"` under [handouts] in haven.toml \
    (or the HAVEN_CHROMIUM environment variable); or build without PDFs: leave out `--pdf` and \
    remove `pdf = true` from [handouts] in haven.toml";

/// The file name of a handout's PDF on `paper`: `SLUG-a4.pdf`, `SLUG-large-print-letter.pdf`.
pub fn file_name(slug: &str, large_print: bool, paper: Paper) -> String {
    let large = if large_print { "-large-print" } else { "" };
    format!("{slug}{large}-{}.pdf", paper.name())
}

/// The link to a PDF as pages show it: "PDF, A4, 120 KB".
pub fn link(href: String, paper: Paper, bytes: usize, h: &BTreeMap<String, String>) -> PdfLink {
    let kb = bytes.div_ceil(1024);
    let paper_label = &h[match paper {
        Paper::A4 => "handout_pdf_a4",
        Paper::Letter => "handout_pdf_letter",
    }];
    PdfLink {
        label: format!(
            "{}, {paper_label}, {kb} {}",
            h["handout_pdf"], h["handout_pdf_kb"]
        ),
        href,
        paper: paper.name(),
        kb,
    }
}

/// The Chromium to print with: `[handouts] chromium`, else `HAVEN_CHROMIUM`, else the first of
/// `chromium`, `chromium-browser`, `google-chrome` or `google-chrome-stable` on `PATH`. An
/// error, saying how to install one or turn PDFs off, when there is none.
pub fn find_browser(config: &Config, root: &Path) -> Result<PathBuf, Diagnostic> {
    let named = |given: &Path, from: &str| -> Result<PathBuf, Diagnostic> {
        let found = if given.components().count() > 1 || given.is_absolute() {
            let p = if given.is_absolute() {
                given.to_path_buf()
            } else {
                root.join(given)
            };
            is_program(&p).then_some(p)
        } else {
            on_path(given.as_os_str())
        };
        found.ok_or_else(|| {
            Diagnostic::error(format!(
                "PDFs of handouts are on, but the Chromium named by {from} ({}) is not a program that can be run",
                given.display()
            ))
            .with_code("pdf-no-browser")
            .with_help(NO_BROWSER_HELP)
        })
    };
    if let Some(path) = &config.handouts.chromium {
        return named(path, "`chromium` under [handouts] in haven.toml")
            .map_err(|d| at_chromium_line(d, root));
    }
    if let Some(path) = std::env::var_os(CHROMIUM_ENV).filter(|p| !p.is_empty()) {
        return named(Path::new(&path), CHROMIUM_ENV);
    }
    PROGRAMS
        .iter()
        .find_map(|name| on_path(std::ffi::OsStr::new(name)))
        .ok_or_else(|| {
            Diagnostic::error(format!(
                "PDFs of handouts are on (`haven build --pdf` or `pdf = true` under [handouts] in haven.toml), but no Chromium was found on PATH (looked for {})",
                PROGRAMS.join(", ")
            ))
            .with_code("pdf-no-browser")
            .with_help(NO_BROWSER_HELP)
        })
}

/// `d` located at the `chromium = ...` line of `[handouts]` in haven.toml (a clinic profile
/// cannot set it, so it is there).
fn at_chromium_line(d: Diagnostic, root: &Path) -> Diagnostic {
    let d = d.in_file(crate::config::CONFIG_FILE);
    let Ok(text) = std::fs::read_to_string(root.join(crate::config::CONFIG_FILE)) else {
        return d;
    };
    let mut at = 0;
    let mut in_handouts = false;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim();
        if trimmed.starts_with('[') {
            in_handouts = trimmed == "[handouts]";
        } else if in_handouts && trimmed.starts_with("chromium") {
            let start = at + (line.len() - line.trim_start().len());
            let end = start + trimmed.len();
            return d.at(&std::sync::Arc::from(text.as_str()), start, end);
        }
        at += line.len();
    }
    d
}

fn on_path(name: &std::ffi::OsStr) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .filter(|dir| !dir.as_os_str().is_empty())
        .map(|dir| dir.join(name))
        .find(|p| is_program(p))
}

fn is_program(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

/// The key of a PDF: its handout page as printed, every stylesheet and image the page loads
/// (read through `read`), the paper and the browser's version.
pub fn key(
    html: &[u8],
    read: &dyn Fn(&str) -> Option<Vec<u8>>,
    paper: Paper,
    version: &str,
) -> u64 {
    let mut all = Vec::with_capacity(html.len() + 256);
    all.extend_from_slice(html);
    for rel in local_references(&String::from_utf8_lossy(html)) {
        all.extend_from_slice(b"\0");
        all.extend_from_slice(rel.as_bytes());
        all.extend_from_slice(b"\0");
        all.extend_from_slice(&content_hash(&read(&rel).unwrap_or_default()).to_le_bytes());
    }
    all.extend_from_slice(b"\0");
    all.extend_from_slice(paper.name().as_bytes());
    all.extend_from_slice(b"\0");
    all.extend_from_slice(version.as_bytes());
    content_hash(&all)
}

/// The site's own files a page loads: `href="/..."` and `src="/..."` values that are not pages
/// (not ending in `/`), as paths in the output.
fn local_references(html: &str) -> Vec<String> {
    let mut refs = Vec::new();
    for attr in ["href=\"/", "src=\"/"] {
        let mut rest = html;
        while let Some(at) = rest.find(attr) {
            rest = &rest[at + attr.len()..];
            let Some(end) = rest.find('"') else { break };
            let value = &rest[..end];
            let value = value.split(['?', '#']).next().unwrap_or_default();
            if !value.is_empty() && !value.ends_with('/') && !value.starts_with('/') {
                refs.push(value.to_string());
            }
        }
    }
    refs.sort();
    refs.dedup();
    refs
}

/// What tells one Chromium program from another without starting it: its real path, size and
/// modification time (an upgrade changes them).
pub fn identity(chromium: &Path) -> String {
    let real = std::fs::canonicalize(chromium).unwrap_or_else(|_| chromium.to_path_buf());
    let (len, modified) = std::fs::metadata(&real).map_or((0, 0), |m| {
        let modified = m
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos());
        (m.len(), modified)
    });
    format!("{} {len} {modified}", real.display()).replace(['\t', '\n'], " ")
}

/// The keys of the last build's PDFs, by path in the output: (key, hash of the file's bytes);
/// and the Chromium they were printed with: (its [`identity`], its version).
#[derive(Debug, Default)]
pub struct KeyCache {
    pdfs: HashMap<String, (u64, u64)>,
    browser: Option<(String, String)>,
}

impl KeyCache {
    /// The cache left by the last build; empty when there is none or it cannot be read.
    pub fn read(root: &Path) -> KeyCache {
        let text = std::fs::read_to_string(root.join(CACHE_PATH)).unwrap_or_default();
        let browser = text.lines().find_map(|line| {
            let mut parts = line.strip_prefix("browser\t")?.splitn(2, '\t');
            Some((parts.next()?.to_string(), parts.next()?.to_string()))
        });
        let pdfs = text
            .lines()
            .filter_map(|line| {
                let mut parts = line.splitn(3, '\t');
                let key = u64::from_str_radix(parts.next()?, 16).ok()?;
                let hash = u64::from_str_radix(parts.next()?, 16).ok()?;
                Some((parts.next()?.to_string(), (key, hash)))
            })
            .collect();
        KeyCache { pdfs, browser }
    }

    /// The version of the Chromium at `identity`, when the last build printed with it.
    pub fn version_of(&self, identity: &str) -> Option<&str> {
        self.browser
            .as_ref()
            .filter(|(id, _)| id == identity)
            .map(|(_, version)| version.as_str())
    }

    /// Records the Chromium of this build.
    pub fn set_browser(&mut self, identity: String, version: String) {
        self.browser = Some((identity, version.replace(['\t', '\n'], " ")));
    }

    /// The PDF at `rel` in `output` as the last build printed it for `key`: its bytes, when the
    /// key is the same and the file is still the one that build wrote.
    pub fn reuse(&self, output: &Path, rel: &str, key: u64) -> Option<Vec<u8>> {
        let &(old_key, hash) = self.pdfs.get(rel)?;
        if old_key != key {
            return None;
        }
        let bytes = std::fs::read(output.join(rel)).ok()?;
        (content_hash(&bytes) == hash).then_some(bytes)
    }

    /// Records a PDF of this build.
    pub fn insert(&mut self, rel: &str, key: u64, bytes: &[u8]) {
        self.pdfs
            .insert(rel.to_string(), (key, content_hash(bytes)));
    }

    /// Writes the cache for the next build (after this one's output is in place). A cache that
    /// cannot be written only means the next build prints every PDF again.
    pub fn write(&self, root: &Path) {
        let mut lines: Vec<String> = self
            .pdfs
            .iter()
            .map(|(rel, (key, hash))| format!("{key:016x}\t{hash:016x}\t{rel}"))
            .collect();
        lines.sort();
        if let Some((identity, version)) = &self.browser {
            lines.insert(0, format!("browser\t{identity}\t{version}"));
        }
        let path = root.join(CACHE_PATH);
        if let Some(dir) = path.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        let text = lines.join("\n") + "\n";
        if path.exists() {
            let _ = crate::output::replace_file(&path, text.as_bytes());
        } else {
            let _ = std::fs::write(&path, text);
        }
    }
}

/// A page's files as the printer's server reads them: the output path (`a/b/index.html`) to
/// its bytes, `None` when the build made no such file.
pub type Reader<'a> = &'a (dyn Fn(&str) -> Option<Vec<u8>> + Sync);

/// Chromium with one tab, and the loopback server it reads the site from.
pub struct Printer<'a> {
    tab: Arc<headless_chrome::Tab>,
    base: String,
    paper: &'a Mutex<Paper>,
    /// Set when the tab's page has fired `load`, cleared when a navigation starts.
    loaded: Arc<AtomicBool>,
    version: String,
    chromium: &'a Path,
}

impl Printer<'_> {
    /// The browser's product and version ("Chrome/131.0.6778.85"), part of every PDF's key.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// Prints the page at `url_path` (`/handouts/x/`) on `paper`: the PDF's bytes.
    pub fn print(&self, url_path: &str, paper: Paper) -> Result<Vec<u8>, Diagnostic> {
        *self.paper.lock().unwrap_or_else(|e| e.into_inner()) = paper;
        let url = format!("{}{}", self.base, url_path);
        let fail = |what: &str, e: &dyn std::fmt::Display| {
            Diagnostic::error(format!(
                "could not print {url_path} to PDF: Chromium ({}) failed to {what}: {e}",
                self.chromium.display()
            ))
            .with_code("pdf-print")
            .with_help("build again; if it keeps failing, check that this Chromium opens pages (`chromium --headless --no-sandbox --dump-dom about:blank`), or build without PDFs (leave out `--pdf` and `pdf = true` under [handouts])")
        };
        self.loaded.store(false, Ordering::SeqCst);
        self.tab
            .navigate_to(&url)
            .map_err(|e| fail("load the handout", &e))?;
        // The page's `load` event (its stylesheets and images are in); not the crate's
        // wait_until_navigated, which waits for half a second of network quiet on every page.
        let deadline = std::time::Instant::now() + WAIT;
        while !self.loaded.load(Ordering::SeqCst) {
            if std::time::Instant::now() > deadline {
                return Err(fail(
                    "load the handout",
                    &format!("no load event within {} s", WAIT.as_secs()),
                ));
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        // Web fonts and images in, before the layout is printed.
        self.tab
            .evaluate("document.fonts.ready.then(() => document.readyState)", true)
            .map_err(|e| fail("load the handout's fonts", &e))?;
        let (width, height) = paper.size_in();
        let (top, side, bottom) = MARGINS_MM;
        let inch = |mm: f64| mm / 25.4;
        let options = headless_chrome::types::PrintToPdfOptions {
            paper_width: Some(width),
            paper_height: Some(height),
            margin_top: Some(inch(top)),
            margin_bottom: Some(inch(bottom)),
            margin_left: Some(inch(side)),
            margin_right: Some(inch(side)),
            // /handouts/paper.css (served for the paper being printed) sets the same size and
            // margins, as a browser's own printing of the page uses them.
            prefer_css_page_size: Some(true),
            display_header_footer: Some(false),
            generate_tagged_pdf: Some(true),
            generate_document_outline: Some(true),
            ..Default::default()
        };
        self.tab
            .print_to_pdf(Some(options))
            .map_err(|e| fail("print the handout", &e))
    }
}

/// Starts Chromium at `chromium` and a loopback server over `read`, runs `work` with them, and
/// stops both (also when `work` fails).
pub fn with_printer<R>(
    chromium: &Path,
    read: Reader,
    work: impl FnOnce(&Printer) -> Result<R, Diagnostic>,
) -> Result<R, Diagnostic> {
    let listener = TcpListener::bind("127.0.0.1:0").map_err(|e| {
        Diagnostic::error(format!(
            "could not open a loopback port to show the handouts to Chromium: {e}"
        ))
        .with_code("pdf-server")
    })?;
    let port = listener.local_addr().map(|a| a.port()).unwrap_or_default();
    let stop = AtomicBool::new(false);
    let paper = Mutex::new(Paper::A4);
    std::thread::scope(|scope| {
        scope.spawn(|| serve(&listener, &stop, &paper, read));
        let result = (|| {
            let browser = launch(chromium, port)?;
            let started = |e: &dyn std::fmt::Display| {
                Diagnostic::error(format!(
                    "Chromium ({}) started but did not answer: {e}",
                    chromium.display()
                ))
                .with_code("pdf-no-browser")
                .with_help(NO_BROWSER_HELP)
            };
            let version = browser.get_version().map_err(|e| started(&e))?.product;
            let tab = browser.new_tab().map_err(|e| started(&e))?;
            tab.set_default_timeout(WAIT);
            let loaded = Arc::new(AtomicBool::new(false));
            let flag = loaded.clone();
            tab.add_event_listener(Arc::new(move |event: &Event| {
                if let Event::PageLifecycleEvent(e) = event {
                    match e.params.name.as_str() {
                        "init" => flag.store(false, Ordering::SeqCst),
                        "load" => flag.store(true, Ordering::SeqCst),
                        _ => {}
                    }
                }
            }))
            .map_err(|e| started(&e))?;
            let printer = Printer {
                tab,
                loaded,
                base: format!("http://127.0.0.1:{port}"),
                paper: &paper,
                version,
                chromium,
            };
            work(&printer)
        })();
        stop.store(true, Ordering::SeqCst);
        // Wakes the accept loop so it sees `stop`.
        let _ = TcpStream::connect(("127.0.0.1", port));
        result
    })
}

fn launch(chromium: &Path, _port: u16) -> Result<headless_chrome::Browser, Diagnostic> {
    use std::ffi::OsStr;
    let args: Vec<&OsStr> = [
        "--disable-quic",
        "--disable-component-update",
        "--disable-background-networking",
        "--disable-sync",
        "--no-first-run",
        // No name resolves but the loopback address: nothing outside the site can be fetched.
        "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
        "--no-proxy-server",
    ]
    .iter()
    .map(OsStr::new)
    .collect();
    let options = headless_chrome::LaunchOptions {
        headless: true,
        sandbox: false,
        enable_gpu: false,
        path: Some(chromium.to_path_buf()),
        // A fresh temporary profile, removed when the browser stops.
        user_data_dir: None,
        args,
        idle_browser_timeout: WAIT,
        ..Default::default()
    };
    headless_chrome::Browser::new(options).map_err(|e| {
        Diagnostic::error(format!(
            "PDFs of handouts are on, but Chromium ({}) did not start: {e:#}",
            chromium.display()
        ))
        .with_code("pdf-no-browser")
        .with_help(NO_BROWSER_HELP)
    })
}

/// The loopback server: the build's files by path, `/handouts/paper.css` for the paper being
/// printed, nothing else. One thread per connection, each closed after one answer.
fn serve(listener: &TcpListener, stop: &AtomicBool, paper: &Mutex<Paper>, read: Reader) {
    std::thread::scope(|scope| {
        for stream in listener.incoming() {
            if stop.load(Ordering::SeqCst) {
                break;
            }
            let Ok(stream) = stream else { continue };
            scope.spawn(move || answer(stream, paper, read));
        }
    });
}

fn answer(mut stream: TcpStream, paper: &Mutex<Paper>, read: Reader) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let _ = stream.set_write_timeout(Some(Duration::from_secs(10)));
    let mut request = Vec::new();
    let mut buf = [0u8; 4096];
    while !request.windows(4).any(|w| w == b"\r\n\r\n") && request.len() < 64 * 1024 {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => request.extend_from_slice(&buf[..n]),
        }
    }
    let mut headers = [httparse::EMPTY_HEADER; 64];
    let mut parsed = httparse::Request::new(&mut headers);
    let target = match parsed.parse(&request) {
        Ok(_) if matches!(parsed.method, Some("GET" | "HEAD")) => parsed.path.unwrap_or("/"),
        _ => "",
    };
    let body = file_for(target, paper, read);
    let head = match &body {
        Some((mime, bytes)) => format!(
            "HTTP/1.1 200 OK\r\nContent-Type: {mime}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
            bytes.len()
        ),
        None => "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n".to_string(),
    };
    let _ = stream.write_all(head.as_bytes());
    if let Some((_, bytes)) = body
        && parsed.method != Some("HEAD")
    {
        let _ = stream.write_all(&bytes);
    }
    let _ = stream.flush();
}

fn file_for(target: &str, paper: &Mutex<Paper>, read: Reader) -> Option<(&'static str, Vec<u8>)> {
    let path = target.split(['?', '#']).next()?;
    // `/` -> `index.html`, `/a/` -> `a/index.html`; anything leaving the output refused.
    let rel = crate::output::web::resolve(path).ok()?;
    let mime = crate::output::web::mime_of(&rel);
    if rel == PAPER_CSS.trim_start_matches('/') {
        let paper = *paper.lock().unwrap_or_else(|e| e.into_inner());
        return Some((mime, crate::handout::paper_css_for(paper).into_bytes()));
    }
    read(&rel).map(|bytes| (mime, bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_are_the_sites_own_files() {
        let html = r#"<link rel="stylesheet" href="/handout.css"><a href="/handouts/">x</a>
            <img src="/logo.png?v=2"><a href="https://example.org/a.css">y</a><script src="//cdn/x.js"></script>"#;
        assert_eq!(local_references(html), ["handout.css", "logo.png"]);
    }

    #[test]
    fn the_key_follows_the_page_its_files_the_paper_and_the_browser() {
        let html = br#"<link href="/a.css">"#;
        let v1 = |_: &str| Some(b"body{}".to_vec());
        let v2 = |_: &str| Some(b"body{color:red}".to_vec());
        let k = key(html, &v1, Paper::A4, "Chrome/1");
        assert_eq!(k, key(html, &v1, Paper::A4, "Chrome/1"));
        assert_ne!(k, key(html, &v2, Paper::A4, "Chrome/1"));
        assert_ne!(k, key(html, &v1, Paper::Letter, "Chrome/1"));
        assert_ne!(k, key(html, &v1, Paper::A4, "Chrome/2"));
        assert_ne!(k, key(b"<p>", &v1, Paper::A4, "Chrome/1"));
    }
}
