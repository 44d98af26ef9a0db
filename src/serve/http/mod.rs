//! A small HTTP/1.1 server on `std::net`: one thread per connection, one request per connection.
//!
//! It serves the site from memory (never from the output folder), so a request can only ever
//! reach a file the build made: the path is checked anyway, and anything that tries to leave the
//! site (`..`, encoded or not, encoded slashes, backslashes, NUL) is refused with 403.
//!
//! Requests are parsed by `httparse` (strict about what may appear in a request line and in
//! headers, so no bare CR or LF gets through), and only requests naming this machine in `Host`
//! are answered: a page on another site whose name is rebound to 127.0.0.1 (DNS rebinding) gets
//! an empty 403. Nothing from the request is copied into a response header. The request head is
//! size-limited, a request must arrive within [`HEAD_DEADLINE`], and when every connection is
//! taken the oldest one still sending its request is dropped, so idle or trickling clients
//! cannot hold the server.

use std::io;
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::Server;
use super::incremental::Body;
use connections::{Admitted, Connections};
use live_reload::events;
use request::{Head, read_head};
use response::{Response, linger, refuse};

/// Connections open at once. Beyond it, the oldest connection still sending its request is
/// dropped; when every one is being answered, a new one gets a 503.
const MAX_CONNECTIONS: usize = 256;
/// Event streams (one per open page) at once: they last, so they must not take every connection.
const MAX_EVENT_STREAMS: usize = 64;
/// The longest request line (method, target, version).
const MAX_REQUEST_LINE: usize = 8 * 1024;
/// The longest request head (request line and headers).
const MAX_HEAD: usize = 16 * 1024;
/// The most headers in a request (browsers send about 15).
const MAX_HEADERS: usize = 64;
/// The whole request head must arrive within this, however it trickles in.
pub const HEAD_DEADLINE: Duration = Duration::from_secs(10);
/// The whole response must be taken within this (a large PDF on a slow link takes seconds).
const RESPONSE_DEADLINE: Duration = Duration::from_secs(60);
/// Each write to an event stream must be taken within this.
const EVENT_WRITE_TIMEOUT: Duration = Duration::from_secs(10);
/// After refusing a request, what is left of it is read (and dropped) for at most this long
/// and this many bytes before closing, so the client gets the answer rather than a reset.
const LINGER: Duration = Duration::from_secs(2);
const LINGER_BYTES: usize = 256 * 1024;
/// A comment sent on idle event streams so closed browsers are noticed.
const KEEPALIVE: Duration = Duration::from_secs(15);

const TEXT: &str = "text/plain; charset=utf-8";

mod connections;
mod hosts;
mod live_reload;
mod request;
mod response;

pub use crate::output::web::{Refused, mime_of, resolve};
pub use hosts::Hosts;
pub use live_reload::{RELOAD_JS, inject};

/// Accepts connections until the process ends.
pub fn serve(listener: TcpListener, server: Arc<Server>, hosts: Hosts) {
    let connections = Arc::new(Connections::default());
    let hosts = Arc::new(hosts);
    for stream in listener.incoming() {
        let stream = match stream {
            Ok(s) => Arc::new(s),
            Err(_) => {
                // Out of file descriptors or similar: give closing connections a moment rather
                // than spinning on the error.
                std::thread::sleep(Duration::from_millis(10));
                continue;
            }
        };
        let Some(id) = connections.admit(&stream) else {
            let _ = stream.set_write_timeout(Some(Duration::from_secs(1)));
            let _ = Response::new(503, TEXT).send(&stream, false, b"too many connections\n");
            continue;
        };
        let admitted = Admitted {
            connections: connections.clone(),
            id,
        };
        let (server, hosts) = (server.clone(), hosts.clone());
        // A refused spawn drops the closure, and with it the stream and the slot.
        let _ = std::thread::Builder::new()
            .name("haven-http".into())
            .spawn(move || {
                let _ = handle(&stream, &server, &hosts, &admitted);
            });
    }
}

fn handle(
    stream: &TcpStream,
    server: &Server,
    hosts: &Hosts,
    admitted: &Admitted,
) -> io::Result<()> {
    // Heads and small bodies go out in one write: no waiting on delayed ACKs.
    stream.set_nodelay(true)?;
    let head = read_head(stream);
    admitted.connections.done_reading(admitted.id);
    let request = match head? {
        Head::Request(r) => r,
        Head::Gone => return Ok(()),
        Head::Refused(status) => return refuse(stream, status),
    };
    // Before anything else: a request for another name gets nothing at all.
    match &request.host {
        None => return refuse(stream, 400),
        Some(host) if !hosts.allows(host) => return refuse(stream, 403),
        Some(_) => {}
    }
    let head_only = request.method == "HEAD";
    if request.method != "GET" && !head_only {
        let mut response = Response::new(405, TEXT);
        response.headers.push(("Allow", "GET, HEAD".into()));
        response.send(stream, false, b"method not allowed\n")?;
        return linger(stream);
    }
    if request.has_body {
        return refuse(stream, 413);
    }
    let path = request.path.as_str();
    match path {
        "/__haven/reload.js" => {
            return Response::new(200, "text/javascript; charset=utf-8").send(
                stream,
                head_only,
                RELOAD_JS.as_bytes(),
            );
        }
        "/__haven/events" => {
            if head_only {
                return Response::new(200, "text/event-stream").send(stream, true, b"");
            }
            if !admitted.connections.start_event_stream() {
                return Response::new(503, TEXT).send(stream, false, b"too many open pages\n");
            }
            let result = events(stream, server);
            admitted.connections.end_event_stream();
            return result;
        }
        "/__haven/status" => {
            let body = server.status_json();
            return Response::new(200, "application/json; charset=utf-8").send(
                stream,
                head_only,
                body.as_bytes(),
            );
        }
        _ => {}
    }
    let key = match resolve(path) {
        Ok(k) => k,
        Err(Refused::BadRequest) => {
            return Response::new(400, TEXT).send(stream, head_only, b"bad request\n");
        }
        Err(Refused::OutsideSite) => {
            return Response::new(403, TEXT).send(
                stream,
                head_only,
                b"refused: the path leaves the site\n",
            );
        }
    };
    // Netlify and Cloudflare Pages read `_headers` and do not publish it; neither does serve.
    if key == crate::security::HEADERS_FILE {
        return not_found(stream, server, head_only);
    }
    let (found, folder) = {
        let files = server.files.read().unwrap_or_else(|e| e.into_inner());
        let found = files.map.get(&key).cloned();
        let folder = found.is_none()
            && !key.ends_with("index.html")
            && files.map.contains_key(&format!("{key}/index.html"));
        (found, folder)
    };
    if folder {
        // Made from the file's own name, never from the request text (the query is dropped).
        let mut response = Response::new(301, TEXT);
        response
            .headers
            .push(("Location", format!("/{}/", encode_path(&key))));
        return response.send(stream, head_only, b"moved\n");
    }
    match found.map(read_body) {
        Some(Ok(bytes)) => send_file(stream, server, head_only, 200, &key, bytes),
        Some(Err(_)) | None => not_found(stream, server, head_only),
    }
}

fn remaining(deadline: Instant) -> Option<Duration> {
    deadline
        .checked_duration_since(Instant::now())
        .filter(|d| !d.is_zero())
}

/// `/`-separated path text with every byte but unreserved ones percent-encoded.
fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn read_body(body: Body) -> io::Result<Arc<[u8]>> {
    match body {
        Body::Bytes(b) => Ok(b),
        Body::File(p) => std::fs::read(p).map(Arc::from),
    }
}

fn not_found(stream: &TcpStream, server: &Server, head_only: bool) -> io::Result<()> {
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
    Response::new(404, TEXT).send(stream, head_only, b"not found\n")
}

fn send_file(
    stream: &TcpStream,
    server: &Server,
    head_only: bool,
    status: u16,
    key: &str,
    bytes: Arc<[u8]>,
) -> io::Result<()> {
    let mime = mime_of(key);
    let response = Response::new(status, mime);
    if mime.starts_with("text/html") {
        let html = inject(&bytes, &server.script_tag());
        response.send(stream, head_only, &html)
    } else {
        response.send(stream, head_only, &bytes)
    }
}

#[cfg(test)]
mod tests;
