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

use std::collections::VecDeque;
use std::io::{self, Read, Write};
use std::net::{IpAddr, Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::Server;
use super::incremental::Body;

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

pub const RELOAD_JS: &str = include_str!("reload.js");

/// The `Host` values answered: this machine's loopback names and the bound address, with the
/// bound port. Bound to every address (`--bind 0.0.0.0`), any IP address is answered too (other
/// devices reach it by the machine's address), but still no other name: DNS rebinding needs one.
#[derive(Debug, Clone)]
pub struct Hosts {
    port: u16,
    bound: IpAddr,
}

impl Hosts {
    pub fn for_address(addr: SocketAddr) -> Hosts {
        Hosts {
            port: addr.port(),
            bound: addr.ip(),
        }
    }

    /// Whether a `Host` header value names this server.
    pub fn allows(&self, host: &str) -> bool {
        let Some((name, port)) = split_host(host) else {
            return false;
        };
        // No port means the scheme's default.
        if port.unwrap_or(80) != self.port {
            return false;
        }
        if name.eq_ignore_ascii_case("localhost") {
            return true;
        }
        let ip = match name.strip_prefix('[').and_then(|n| n.strip_suffix(']')) {
            Some(v6) => v6.parse::<std::net::Ipv6Addr>().map(IpAddr::V6),
            None => name.parse::<std::net::Ipv4Addr>().map(IpAddr::V4),
        };
        let Ok(ip) = ip else { return false };
        ip.is_loopback() || ip == self.bound || self.bound.is_unspecified()
    }
}

/// `name[:port]` or `[v6][:port]`; `None` when malformed.
fn split_host(host: &str) -> Option<(&str, Option<u16>)> {
    let (name, port) = if host.starts_with('[') {
        let end = host.find(']')? + 1;
        match &host[end..] {
            "" => (&host[..end], None),
            rest => (&host[..end], Some(rest.strip_prefix(':')?)),
        }
    } else {
        match host.split_once(':') {
            Some((name, port)) => (name, Some(port)),
            None => (host, None),
        }
    };
    if name.is_empty() {
        return None;
    }
    let port = match port {
        Some(p) if !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()) => Some(p.parse().ok()?),
        Some(_) => return None,
        None => None,
    };
    Some((name, port))
}

/// The connections open, and which of them are still sending their request.
#[derive(Default)]
struct Connections {
    slots: Mutex<Slots>,
    next_id: AtomicU64,
}

#[derive(Default)]
struct Slots {
    open: usize,
    event_streams: usize,
    /// Oldest first.
    reading: VecDeque<(u64, Arc<TcpStream>)>,
}

impl Connections {
    fn slots(&self) -> std::sync::MutexGuard<'_, Slots> {
        self.slots.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Takes a slot for a new connection, dropping the oldest one still sending its request
    /// when all are taken. `None` when every connection is being answered.
    fn admit(&self, stream: &Arc<TcpStream>) -> Option<u64> {
        let mut slots = self.slots();
        if slots.open >= MAX_CONNECTIONS {
            let (_, oldest) = slots.reading.pop_front()?;
            // Its thread sees the end of the stream at once and gives the slot back.
            let _ = oldest.shutdown(Shutdown::Both);
        }
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        slots.open += 1;
        slots.reading.push_back((id, stream.clone()));
        Some(id)
    }

    /// The request has arrived: this connection can no longer be dropped to make room.
    fn done_reading(&self, id: u64) {
        self.slots().reading.retain(|(i, _)| *i != id);
    }

    fn close(&self, id: u64) {
        let mut slots = self.slots();
        slots.reading.retain(|(i, _)| *i != id);
        slots.open -= 1;
    }

    fn start_event_stream(&self) -> bool {
        let mut slots = self.slots();
        if slots.event_streams >= MAX_EVENT_STREAMS {
            return false;
        }
        slots.event_streams += 1;
        true
    }

    fn end_event_stream(&self) {
        self.slots().event_streams -= 1;
    }
}

/// Gives a connection's slot back when its thread ends, however it ends.
struct Admitted {
    connections: Arc<Connections>,
    id: u64,
}

impl Drop for Admitted {
    fn drop(&mut self) {
        self.connections.close(self.id);
    }
}

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

/// A parsed request head: only what serving needs.
struct Request {
    method: String,
    /// The request target before any `?`, as sent.
    path: String,
    host: Option<String>,
    has_body: bool,
}

enum Head {
    Request(Request),
    /// Not answered: the status to refuse it with.
    Refused(u16),
    /// The client went away (or was dropped to make room) before sending a request.
    Gone,
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

/// An empty answer with `status`, then the rest of the request is drained before closing.
fn refuse(stream: &TcpStream, status: u16) -> io::Result<()> {
    Response::new(status, TEXT).send(stream, false, b"")?;
    linger(stream)
}

/// Closes the sending side, then reads what the client still sends (for at most [`LINGER`]):
/// closing with unread data would reset the connection, and the client could lose the answer.
fn linger(stream: &TcpStream) -> io::Result<()> {
    stream.shutdown(Shutdown::Write)?;
    let deadline = Instant::now() + LINGER;
    let mut buf = [0u8; 8192];
    let mut drained = 0;
    while drained < LINGER_BYTES {
        let Some(left) = remaining(deadline) else {
            break;
        };
        stream.set_read_timeout(Some(left))?;
        match (&*stream).read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => drained += n,
        }
    }
    Ok(())
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
pub use crate::output::web::{Refused, mime_of, resolve};

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

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        413 => "Content Too Large",
        414 => "URI Too Long",
        431 => "Request Header Fields Too Large",
        503 => "Service Unavailable",
        _ => "",
    }
}

/// A response head: the status, the type, and any headers beyond those every response has.
struct Response {
    status: u16,
    mime: &'static str,
    headers: Vec<(&'static str, String)>,
}

impl Response {
    fn new(status: u16, mime: &'static str) -> Response {
        Response {
            status,
            mime,
            headers: Vec::new(),
        }
    }

    /// Sends the head, then `body` unless `head_only`, all within [`RESPONSE_DEADLINE`].
    fn send(&self, stream: &TcpStream, head_only: bool, body: &[u8]) -> io::Result<()> {
        let mut head = format!(
            "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n",
            self.status,
            reason(self.status),
            self.mime,
            body.len()
        );
        for (name, value) in crate::security::HEADERS {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        for (name, value) in &self.headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str("\r\n");
        let mut out = Deadline {
            stream,
            deadline: Instant::now() + RESPONSE_DEADLINE,
        };
        out.write_all(head.as_bytes())?;
        if !head_only {
            out.write_all(body)?;
        }
        out.flush()
    }
}

/// Writes that must all be done by `deadline`, however slowly the client reads.
struct Deadline<'a> {
    stream: &'a TcpStream,
    deadline: Instant,
}

impl Write for Deadline<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let left = remaining(self.deadline).ok_or(io::ErrorKind::TimedOut)?;
        self.stream.set_write_timeout(Some(left))?;
        (&*self.stream).write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        (&*self.stream).flush()
    }
}

/// Reads the request head, within [`HEAD_DEADLINE`] and the size limits.
fn read_head(stream: &TcpStream) -> io::Result<Head> {
    let deadline = Instant::now() + HEAD_DEADLINE;
    let mut buf = Vec::with_capacity(1024);
    let mut chunk = [0u8; 4096];
    loop {
        let Some(left) = remaining(deadline) else {
            return Ok(if buf.is_empty() {
                Head::Gone
            } else {
                Head::Refused(408)
            });
        };
        stream.set_read_timeout(Some(left))?;
        let n = match (&*stream).read(&mut chunk) {
            Ok(n) => n,
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) =>
            {
                continue;
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if n == 0 {
            return Ok(Head::Gone);
        }
        buf.extend_from_slice(&chunk[..n]);
        let line_end = buf.iter().position(|&b| b == b'\n');
        if line_end.map_or(buf.len(), |end| end) > MAX_REQUEST_LINE {
            return Ok(Head::Refused(414));
        }
        let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
        let mut request = httparse::Request::new(&mut headers);
        match request.parse(&buf) {
            Ok(httparse::Status::Complete(len)) if len <= MAX_HEAD => {
                return Ok(Request::from_parsed(&request).map_or(Head::Refused(400), Head::Request));
            }
            Ok(httparse::Status::Complete(_)) => return Ok(Head::Refused(431)),
            Ok(httparse::Status::Partial) if buf.len() > MAX_HEAD => {
                return Ok(Head::Refused(431));
            }
            Ok(httparse::Status::Partial) => {}
            Err(httparse::Error::TooManyHeaders) => return Ok(Head::Refused(431)),
            Err(_) => return Ok(Head::Refused(400)),
        }
    }
}

impl Request {
    /// `None` for a request this server cannot make sense of (no HTTP/1.x, a Host or length
    /// that is not text).
    fn from_parsed(parsed: &httparse::Request) -> Option<Request> {
        let (method, target) = (parsed.method?, parsed.path?);
        parsed.version?;
        let mut host = None;
        let mut hosts = 0;
        let mut has_body = false;
        for header in parsed.headers.iter() {
            let value = std::str::from_utf8(header.value).ok()?.trim();
            if header.name.eq_ignore_ascii_case("host") {
                hosts += 1;
                host = Some(value.to_string());
            } else if header.name.eq_ignore_ascii_case("transfer-encoding")
                || (header.name.eq_ignore_ascii_case("content-length") && value != "0")
            {
                has_body = true;
            }
        }
        if hosts > 1 {
            return None;
        }
        let path = target.split(['?', '#']).next().unwrap_or("");
        Some(Request {
            method: method.to_string(),
            path: path.to_string(),
            host,
            has_body,
        })
    }
}

/// Server-Sent Events: `hello` with the current state, then `reload`, `css` or `build-error`
/// after each rebuild, until the browser goes away.
fn events(stream: &TcpStream, server: &Server) -> io::Result<()> {
    stream.set_write_timeout(Some(EVENT_WRITE_TIMEOUT))?;
    let mut out = stream;
    let mut head = String::from(
        "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: close\r\n",
    );
    for (name, value) in crate::security::HEADERS {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\nretry: 500\n\n");
    let (mut seen, hello) = server.event_now();
    head.push_str(&format!("event: hello\ndata: {hello}\n\n"));
    out.write_all(head.as_bytes())?;
    loop {
        match server.wait_event(seen, KEEPALIVE) {
            Some((version, name, data)) => {
                seen = version;
                out.write_all(format!("event: {name}\ndata: {data}\n\n").as_bytes())?;
            }
            None => out.write_all(b": keepalive\n\n")?,
        }
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
        assert_eq!(resolve("/%+1"), Err(Refused::BadRequest));
    }

    #[test]
    fn only_this_machines_names_with_the_port_are_answered() {
        let loopback = Hosts::for_address("127.0.0.1:1111".parse().unwrap());
        for ok in [
            "127.0.0.1:1111",
            "localhost:1111",
            "LOCALHOST:1111",
            "[::1]:1111",
            "127.0.0.2:1111",
        ] {
            assert!(loopback.allows(ok), "{ok}");
        }
        for bad in [
            "evil.example:1111",
            "localhost.evil.example:1111",
            "127.0.0.1.nip.io:1111",
            "192.168.1.5:1111",
            "127.0.0.1:1112",
            "127.0.0.1",
            "127.0.0.1:",
            "127.0.0.1:+1111",
            "[::1]x:1111",
            "::1:1111",
            ":1111",
            "",
        ] {
            assert!(!loopback.allows(bad), "{bad}");
        }
        let lan = Hosts::for_address("192.168.1.5:80".parse().unwrap());
        assert!(lan.allows("192.168.1.5") && lan.allows("192.168.1.5:80"));
        assert!(!lan.allows("192.168.1.6") && !lan.allows("intranet.example"));
        // Bound to every address: any address (how other devices reach it), but no other name.
        let every = Hosts::for_address("0.0.0.0:1111".parse().unwrap());
        assert!(every.allows("10.1.2.3:1111") && every.allows("[fe80::1]:1111"));
        assert!(!every.allows("evil.example:1111"));
    }

    #[test]
    fn redirects_name_the_file_percent_encoded() {
        assert_eq!(encode_path("aftercare"), "aftercare");
        assert_eq!(encode_path("café/a b"), "caf%C3%A9/a%20b");
        assert_eq!(encode_path("a?b\r\n<x>"), "a%3Fb%0D%0A%3Cx%3E");
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
