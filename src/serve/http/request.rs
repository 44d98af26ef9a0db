//! Reading a request head within the time and size limits, parsed by `httparse`.

use std::io::{self, Read};
use std::net::TcpStream;
use std::time::Instant;

use super::{HEAD_DEADLINE, MAX_HEAD, MAX_HEADERS, MAX_REQUEST_LINE, remaining};

/// A parsed request head: only what serving needs.
pub(super) struct Request {
    pub(super) method: String,
    /// The request target before any `?`, as sent.
    pub(super) path: String,
    pub(super) host: Option<String>,
    pub(super) has_body: bool,
}

pub(super) enum Head {
    Request(Request),
    /// Not answered: the status to refuse it with.
    Refused(u16),
    /// The client went away (or was dropped to make room) before sending a request.
    Gone,
}

/// Reads the request head, within [`HEAD_DEADLINE`] and the size limits.
pub(super) fn read_head(stream: &TcpStream) -> io::Result<Head> {
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
