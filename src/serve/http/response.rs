//! Writing a response within its deadline, and refusing a request without resetting the
//! connection.

use std::io::{self, Read, Write};
use std::net::{Shutdown, TcpStream};
use std::time::Instant;

use super::{LINGER, LINGER_BYTES, RESPONSE_DEADLINE, TEXT, remaining};

/// An empty answer with `status`, then the rest of the request is drained before closing.
pub(super) fn refuse(stream: &TcpStream, status: u16) -> io::Result<()> {
    Response::new(status, TEXT).send(stream, false, b"")?;
    linger(stream)
}

/// Closes the sending side, then reads what the client still sends (for at most [`LINGER`]):
/// closing with unread data would reset the connection, and the client could lose the answer.
pub(super) fn linger(stream: &TcpStream) -> io::Result<()> {
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
pub(super) struct Response {
    status: u16,
    mime: &'static str,
    pub(super) headers: Vec<(&'static str, String)>,
}

impl Response {
    pub(super) fn new(status: u16, mime: &'static str) -> Response {
        Response {
            status,
            mime,
            headers: Vec::new(),
        }
    }

    /// Sends the head, then `body` unless `head_only`, all within [`RESPONSE_DEADLINE`].
    pub(super) fn send(&self, stream: &TcpStream, head_only: bool, body: &[u8]) -> io::Result<()> {
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
