//! Live reload: the script added to every page served, and the event stream that tells open
//! pages what a rebuild changed.

use std::io::{self, Write};
use std::net::TcpStream;

use super::{EVENT_WRITE_TIMEOUT, KEEPALIVE};
use crate::serve::Server;

pub const RELOAD_JS: &str = include_str!("../reload.js");

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

/// Server-Sent Events: `hello` with the current state, then `reload`, `css` or `build-error`
/// after each rebuild, until the browser goes away.
pub(super) fn events(stream: &TcpStream, server: &Server) -> io::Result<()> {
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
