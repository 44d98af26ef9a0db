//! A small HTTP/1.1 server on `std::net`: one thread per connection, one request per connection.
//!
//! It serves the site from memory (never from the output folder), so a request can only ever
//! reach a file the build made: the path is checked anyway, and anything that tries to leave the
//! site (`..`, encoded or not, encoded slashes, backslashes, NUL) is refused with 403.

use std::io::{self, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use super::Server;
use super::incremental::Body;

/// Connections served at once; more wait for a free one (the OS queues them) or get a 503.
const MAX_CONNECTIONS: usize = 256;
/// The longest request head read.
const MAX_HEAD: usize = 16 * 1024;
/// A comment sent on idle event streams so closed browsers are noticed.
const KEEPALIVE: Duration = Duration::from_secs(15);

pub const RELOAD_JS: &str = include_str!("reload.js");

/// Accepts connections until the process ends.
pub fn serve(listener: TcpListener, server: Arc<Server>) {
    let active = Arc::new(AtomicUsize::new(0));
    for stream in listener.incoming() {
        let Ok(mut stream) = stream else { continue };
        if active.load(Ordering::SeqCst) >= MAX_CONNECTIONS {
            let _ = respond(
                &mut stream,
                false,
                503,
                "text/plain; charset=utf-8",
                &[],
                b"too many connections\n",
            );
            continue;
        }
        active.fetch_add(1, Ordering::SeqCst);
        let server = server.clone();
        let counter = active.clone();
        let spawned = std::thread::Builder::new()
            .name("haven-http".into())
            .spawn(move || {
                let _ = handle(stream, &server);
                counter.fetch_sub(1, Ordering::SeqCst);
            });
        if spawned.is_err() {
            // The OS refused a thread; the connection was dropped with the closure.
            active.fetch_sub(1, Ordering::SeqCst);
        }
    }
}

fn handle(mut stream: TcpStream, server: &Server) -> io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    stream.set_write_timeout(Some(Duration::from_secs(10)))?;
    let Some(head) = read_head(&mut stream)? else {
        return respond(
            &mut stream,
            false,
            400,
            "text/plain; charset=utf-8",
            &[],
            b"bad request\n",
        );
    };
    let mut parts = head.lines().next().unwrap_or("").split(' ');
    let (method, target, version) = (
        parts.next().unwrap_or(""),
        parts.next().unwrap_or(""),
        parts.next().unwrap_or(""),
    );
    if !version.starts_with("HTTP/1.") {
        return respond(
            &mut stream,
            false,
            400,
            "text/plain; charset=utf-8",
            &[],
            b"bad request\n",
        );
    }
    let head_only = method == "HEAD";
    if method != "GET" && !head_only {
        return respond(
            &mut stream,
            false,
            405,
            "text/plain; charset=utf-8",
            &[("Allow", "GET, HEAD")],
            b"method not allowed\n",
        );
    }
    let (path, query) = match target.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (target, None),
    };
    let path = path.split('#').next().unwrap_or("");
    match path {
        "/__haven/reload.js" => {
            return respond(
                &mut stream,
                head_only,
                200,
                "text/javascript; charset=utf-8",
                &[],
                RELOAD_JS.as_bytes(),
            );
        }
        "/__haven/events" => return events(stream, server),
        "/__haven/status" => {
            let body = server.status_json();
            return respond(
                &mut stream,
                head_only,
                200,
                "application/json; charset=utf-8",
                &[],
                body.as_bytes(),
            );
        }
        _ => {}
    }
    let key = match resolve(path) {
        Ok(k) => k,
        Err(Refused::BadRequest) => {
            return respond(
                &mut stream,
                head_only,
                400,
                "text/plain; charset=utf-8",
                &[],
                b"bad request\n",
            );
        }
        Err(Refused::OutsideSite) => {
            return respond(
                &mut stream,
                head_only,
                403,
                "text/plain; charset=utf-8",
                &[],
                b"refused: the path leaves the site\n",
            );
        }
    };
    let (found, folder) = {
        let files = server.files.read().unwrap_or_else(|e| e.into_inner());
        let found = files.map.get(&key).cloned();
        let folder = found.is_none()
            && !key.ends_with("index.html")
            && files.map.contains_key(&format!("{key}/index.html"));
        (found, folder)
    };
    if folder {
        let location = match query {
            Some(q) => format!("{path}/?{q}"),
            None => format!("{path}/"),
        };
        return respond(
            &mut stream,
            head_only,
            301,
            "text/plain; charset=utf-8",
            &[("Location", &location)],
            b"moved\n",
        );
    }
    match found.map(read_body) {
        Some(Ok(bytes)) => send_file(&mut stream, server, head_only, 200, &key, bytes),
        Some(Err(_)) | None => not_found(&mut stream, server, head_only),
    }
}

fn read_body(body: Body) -> io::Result<Arc<[u8]>> {
    match body {
        Body::Bytes(b) => Ok(b),
        Body::File(p) => std::fs::read(p).map(Arc::from),
    }
}

fn not_found(stream: &mut TcpStream, server: &Server, head_only: bool) -> io::Result<()> {
    let page = {
        let files = server.files.read().unwrap_or_else(|e| e.into_inner());
        files.map.get("404.html").cloned()
    };
    if let Some(Ok(bytes)) = page.map(read_body) {
        return send_file(stream, server, head_only, 404, "404.html", bytes);
    }
    if server.never_built() {
        // No good build yet: a page that shows the error (and picks up the fix).
        let page = server.error_page();
        return send_file(
            stream,
            server,
            head_only,
            503,
            "error.html",
            Arc::from(page.into_bytes()),
        );
    }
    respond(
        stream,
        head_only,
        404,
        "text/plain; charset=utf-8",
        &[],
        b"not found\n",
    )
}

fn send_file(
    stream: &mut TcpStream,
    server: &Server,
    head_only: bool,
    status: u16,
    key: &str,
    bytes: Arc<[u8]>,
) -> io::Result<()> {
    let mime = mime_of(key);
    if mime.starts_with("text/html") {
        let html = inject(&bytes, &server.script_tag());
        respond(stream, head_only, status, mime, &[], &html)
    } else {
        respond(stream, head_only, status, mime, &[], &bytes)
    }
}

#[derive(Debug, PartialEq, Eq)]
pub enum Refused {
    BadRequest,
    OutsideSite,
}

/// The file a request path names inside the output: `/` -> `index.html`, `/a/` ->
/// `a/index.html`, `/a/b.css` -> `a/b.css`. Anything that could leave the output is refused.
pub fn resolve(raw: &str) -> Result<String, Refused> {
    if !raw.starts_with('/') {
        return Err(Refused::BadRequest);
    }
    let lower = raw.to_ascii_lowercase();
    // Encoded separators and NUL have no business in a site's URLs.
    if raw.contains('\\') || ["%2f", "%5c", "%00"].iter().any(|e| lower.contains(e)) {
        return Err(Refused::OutsideSite);
    }
    let decoded = percent_decode(raw).ok_or(Refused::BadRequest)?;
    if decoded.contains('\\') || decoded.contains('\0') {
        return Err(Refused::OutsideSite);
    }
    // Checked before and after decoding, so `%2e%2e` is caught as well as `..`.
    for text in [raw, decoded.as_str()] {
        if text.split('/').any(|seg| seg == ".." || seg == ".") {
            return Err(Refused::OutsideSite);
        }
    }
    let rel = &decoded[1..];
    if rel.contains("//") || rel.starts_with('/') {
        return Err(Refused::BadRequest);
    }
    let key = if rel.is_empty() || rel.ends_with('/') {
        format!("{rel}index.html")
    } else {
        rel.to_string()
    };
    if !crate::output::is_safe_relative(&key) {
        return Err(Refused::OutsideSite);
    }
    Ok(key)
}

/// `%XX` decoding; `None` for a malformed escape or text that is not UTF-8.
fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Adds the reload script before `</head>` (or at the end when there is none).
pub fn inject(html: &[u8], tag: &str) -> Vec<u8> {
    let at = find_ascii_ci(html, b"</head>")
        .or_else(|| find_ascii_ci(html, b"</body>"))
        .unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + tag.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(tag.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

fn find_ascii_ci(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
}

pub fn mime_of(path: &str) -> &'static str {
    let ext = path
        .rsplit('/')
        .next()
        .and_then(|name| name.rsplit_once('.'))
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" | "map" => "application/json; charset=utf-8",
        "webmanifest" => "application/manifest+json",
        "xml" => "application/xml; charset=utf-8",
        "txt" | "md" => "text/plain; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "ics" => "text/calendar; charset=utf-8",
        "vcf" => "text/vcard; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "pdf" => "application/pdf",
        "mp3" => "audio/mpeg",
        "ogg" => "audio/ogg",
        "wav" => "audio/wav",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        "vtt" => "text/vtt; charset=utf-8",
        "wasm" => "application/wasm",
        "zip" => "application/zip",
        _ => "application/octet-stream",
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        503 => "Service Unavailable",
        _ => "",
    }
}

fn respond(
    stream: &mut TcpStream,
    head_only: bool,
    status: u16,
    mime: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> io::Result<()> {
    let mut head = format!(
        "HTTP/1.1 {status} {}\r\nContent-Type: {mime}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n",
        reason(status),
        body.len()
    );
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes())?;
    if !head_only {
        stream.write_all(body)?;
    }
    stream.flush()
}

/// Reads up to the blank line ending the request head; `None` when it is not HTTP.
fn read_head(stream: &mut TcpStream) -> io::Result<Option<String>> {
    let mut buf = Vec::with_capacity(1024);
    let mut chunk = [0u8; 1024];
    loop {
        let n = stream.read(&mut chunk)?;
        if n == 0 {
            return Ok(None);
        }
        buf.extend_from_slice(&chunk[..n]);
        if buf.windows(4).any(|w| w == b"\r\n\r\n") {
            return Ok(String::from_utf8(buf).ok());
        }
        if buf.len() > MAX_HEAD {
            return Ok(None);
        }
    }
}

/// Server-Sent Events: `hello` with the current state, then `reload`, `css` or `build-error`
/// after each rebuild, until the browser goes away.
fn events(mut stream: TcpStream, server: &Server) -> io::Result<()> {
    stream.write_all(
        b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\nretry: 500\n\n",
    )?;
    let (mut seen, hello) = server.event_now();
    stream.write_all(format!("event: hello\ndata: {hello}\n\n").as_bytes())?;
    stream.flush()?;
    loop {
        match server.wait_event(seen, KEEPALIVE) {
            Some((version, name, data)) => {
                seen = version;
                stream.write_all(format!("event: {name}\ndata: {data}\n\n").as_bytes())?;
            }
            None => stream.write_all(b": keepalive\n\n")?,
        }
        stream.flush()?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_map_to_files_inside_the_output() {
        assert_eq!(resolve("/").unwrap(), "index.html");
        assert_eq!(resolve("/a/b/").unwrap(), "a/b/index.html");
        assert_eq!(resolve("/style.css").unwrap(), "style.css");
        assert_eq!(resolve("/caf%C3%A9/").unwrap(), "café/index.html");
        assert_eq!(resolve("/a%20b.txt").unwrap(), "a b.txt");
    }

    #[test]
    fn paths_that_leave_the_output_are_refused() {
        for bad in [
            "/../Cargo.toml",
            "/a/../../Cargo.toml",
            "/%2e%2e/Cargo.toml",
            "/%2E%2E/Cargo.toml",
            "/.%2e/Cargo.toml",
            "/..%2fCargo.toml",
            "/%2e%2e%2fCargo.toml",
            "/..\\Cargo.toml",
            "/..%5cCargo.toml",
            "/%252e%252e/x",
            "/a/./b",
            "/a%00b",
            "//etc/passwd",
        ] {
            let r = resolve(bad);
            assert!(r.is_err() || r == Ok("%2e%2e/x".into()), "{bad}: {r:?}");
        }
        assert_eq!(resolve("no-slash"), Err(Refused::BadRequest));
        assert_eq!(resolve("/%zz"), Err(Refused::BadRequest));
        assert_eq!(resolve("/%ff"), Err(Refused::BadRequest));
    }

    #[test]
    fn the_script_goes_before_head_end() {
        let out = inject(b"<html><HEAD><title>x</title></HEAD><body></body>", "<s>");
        assert_eq!(out, b"<html><HEAD><title>x</title><s></HEAD><body></body>");
        assert_eq!(inject(b"plain", "<s>"), b"plain<s>");
    }

    #[test]
    fn types_by_extension() {
        assert_eq!(mime_of("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(mime_of("style.CSS"), "text/css; charset=utf-8");
        assert_eq!(mime_of("feed/atom.xml"), "application/xml; charset=utf-8");
        assert_eq!(mime_of("a.b/c"), "application/octet-stream");
        assert_eq!(mime_of("x.woff2"), "font/woff2");
    }
}
