//! `haven serve` against hostile requests: another site's page reaching it through DNS
//! rebinding, request text that tries to get into response headers, oversized requests, and
//! clients that connect and then send nothing (or next to nothing).
//!
//! And an editor that saves in place, slowly, under load: the half-saved file is not built.
//!
//! And the security headers: `haven build` writes them to `_headers` (with the pages' own
//! Content-Security-Policy), and `haven serve` sends the same ones.
//!
//! Each serve test starts `haven serve --port 0` on a copy of a fixture site, reads the port it chose
//! from what it prints, and waits until it answers by polling.

mod common;

use std::io::{Read, Write};
use std::net::{Shutdown, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long the server may take to start (debug build, busy 2-core machine).
const DEADLINE: Duration = Duration::from_secs(20);

/// A running `haven serve`, killed when dropped (also when a test fails).
struct Serve {
    child: Child,
    port: u16,
    output: Arc<Mutex<String>>,
    site: tempfile::TempDir,
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Serve {
    /// `haven serve --port 0` on a copy of the `basic` fixture, once it answers.
    fn start() -> Serve {
        Serve::start_in(common::copy_fixture("basic"))
    }

    fn start_in(site: tempfile::TempDir) -> Serve {
        let mut child = Command::new(env!("CARGO_BIN_EXE_haven"))
            .args(["serve", "--port", "0", "--root"])
            .arg(site.path())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("haven serve starts");
        let output = common::capture_output(&mut child);
        let mut serve = Serve {
            child,
            port: 0,
            output,
            site,
        };
        let started = Instant::now();
        loop {
            if let Some(port) = printed_port(&serve.output()) {
                serve.port = port;
                break;
            }
            if let Some(status) = serve.child.try_wait().unwrap() {
                panic!("haven serve exited ({status}):\n{}", serve.output());
            }
            assert!(
                started.elapsed() < DEADLINE,
                "haven serve never said where it serves:\n{}",
                serve.output()
            );
            std::thread::sleep(Duration::from_millis(25));
        }
        while serve.get("/").status != 200 {
            assert!(
                started.elapsed() < DEADLINE,
                "haven serve never served its first page:\n{}",
                serve.output()
            );
            std::thread::sleep(Duration::from_millis(25));
        }
        serve
    }

    fn output(&self) -> String {
        self.output.lock().unwrap().clone()
    }

    fn host(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    fn get(&self, path: &str) -> Response {
        self.send(
            format!(
                "GET {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
                self.host()
            )
            .as_bytes(),
        )
    }

    fn get_with_host(&self, path: &str, host: &str) -> Response {
        self.send(
            format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n").as_bytes(),
        )
    }

    /// Sends `request` as given, then reads the whole answer.
    fn send(&self, request: &[u8]) -> Response {
        let Ok(mut stream) = TcpStream::connect(("127.0.0.1", self.port)) else {
            return Response::none();
        };
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .unwrap();
        if stream.write_all(request).is_err() {
            // The server may refuse and close before reading all of it; its answer is read below.
        }
        Response::read(&mut stream)
    }
}

/// The port in `Serving DIR at http://127.0.0.1:PORT/`.
fn printed_port(output: &str) -> Option<u16> {
    let at = output.find("at http://127.0.0.1:")? + "at http://127.0.0.1:".len();
    output[at..].split('/').next()?.parse().ok()
}

#[derive(Debug)]
struct Response {
    status: u16,
    head: String,
    body: String,
}

impl Response {
    fn none() -> Response {
        Response {
            status: 0,
            head: String::new(),
            body: String::new(),
        }
    }

    fn read(stream: &mut TcpStream) -> Response {
        let mut raw = Vec::new();
        let _ = stream.read_to_end(&mut raw);
        let text = String::from_utf8_lossy(&raw).into_owned();
        let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
        let status = head
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        Response {
            status,
            head: head.to_string(),
            body: body.to_string(),
        }
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.head.split("\r\n").skip(1).find_map(|line| {
            let (k, v) = line.split_once(':')?;
            k.eq_ignore_ascii_case(name).then_some(v.trim())
        })
    }
}

#[test]
fn a_host_that_is_not_this_machine_is_refused() {
    let serve = Serve::start();
    let port = serve.port;
    // What a page on another site sees after its name is rebound to 127.0.0.1.
    for host in [
        format!("evil.example:{port}"),
        "evil.example".to_string(),
        format!("localhost.evil.example:{port}"),
        format!("127.0.0.1.evil.example:{port}"),
        format!("10.0.0.1:{port}"),
        // This machine, but another port: another origin.
        "127.0.0.1:1".to_string(),
        "localhost".to_string(),
        String::new(),
    ] {
        for path in ["/", "/aftercare/why/", "/__haven/status", "/__haven/events"] {
            let r = serve.get_with_host(path, &host);
            assert!(
                r.status == 403 || r.status == 421,
                "Host {host:?} {path}: {r:?}"
            );
            assert!(r.body.is_empty(), "Host {host:?} {path}: {r:?}");
            assert_eq!(r.header("Content-Length"), Some("0"), "{r:?}");
        }
    }
    // No Host at all.
    let r = serve.send(b"GET / HTTP/1.1\r\nConnection: close\r\n\r\n");
    assert!(matches!(r.status, 400 | 403 | 421), "{r:?}");
    assert!(!r.body.contains("<html"), "{r:?}");
    // Two Host headers.
    let r = serve.send(
        format!("GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nHost: evil.example\r\n\r\n")
            .as_bytes(),
    );
    assert!(matches!(r.status, 400 | 403 | 421), "{r:?}");

    // This machine by the names a browser uses for it.
    for host in [
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        format!("LocalHost:{port}"),
        format!("[::1]:{port}"),
    ] {
        let r = serve.get_with_host("/aftercare/why/", &host);
        assert_eq!(r.status, 200, "Host {host:?}: {r:?}");
    }
}

#[test]
fn redirects_do_not_echo_the_request() {
    let serve = Serve::start();
    let r = serve.get("/aftercare?<script>alert(1)</script>=%0d%0aSet-Cookie:%20haven=1");
    assert_eq!(r.status, 301, "{r:?}");
    assert_eq!(r.header("Location"), Some("/aftercare/"), "{r:?}");

    // A bare carriage return in the request target must never reach the response head.
    let r = serve.send(
        format!(
            "GET /aftercare?x\rSet-Cookie:haven=1 HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            serve.host()
        )
        .as_bytes(),
    );
    assert_eq!(r.status, 400, "{r:?}");
    assert!(!r.head.contains("Set-Cookie"), "{r:?}");
    assert!(!r.head.contains("haven=1"), "{r:?}");
}

#[test]
fn oversized_requests_are_refused_and_the_server_keeps_serving() {
    let serve = Serve::start();
    let host = serve.host();
    let long_path = format!("/{}", "a".repeat(12 * 1024));
    let many_headers: String = (0..100).map(|i| format!("X-Filler-{i}: {i}\r\n")).collect();
    let huge_header = format!("X-Big: {}\r\n", "b".repeat(64 * 1024));
    let cases: Vec<(&str, String, &[u16])> = vec![
        (
            "a 12 KiB request line",
            format!("GET {long_path} HTTP/1.1\r\nHost: {host}\r\n\r\n"),
            &[414, 431, 400],
        ),
        (
            "100 headers",
            format!("GET / HTTP/1.1\r\nHost: {host}\r\n{many_headers}\r\n"),
            &[431, 400],
        ),
        (
            "a 64 KiB header",
            format!("GET / HTTP/1.1\r\nHost: {host}\r\n{huge_header}\r\n"),
            &[431, 400],
        ),
        (
            "a 10 MB body announced",
            format!("GET / HTTP/1.1\r\nHost: {host}\r\nContent-Length: 10000000\r\n\r\n"),
            &[413],
        ),
        (
            "a chunked body",
            format!(
                "GET / HTTP/1.1\r\nHost: {host}\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"
            ),
            &[413, 400, 411, 501],
        ),
    ];
    for (what, request, allowed) in cases {
        let r = serve.send(request.as_bytes());
        assert!(allowed.contains(&r.status), "{what}: {r:?}");
        assert!(!r.body.contains("<html"), "{what}: {r:?}");
        assert_eq!(serve.get("/").status, 200, "{what}: still serving");
    }
}

#[test]
fn idle_clients_do_not_block_others() {
    let serve = Serve::start();
    // More connections than the server serves at once, each sending nothing, or the start of a
    // request and no more.
    let mut idle = Vec::new();
    for i in 0..300 {
        let mut stream = TcpStream::connect(("127.0.0.1", serve.port)).unwrap();
        if i % 2 == 1 {
            stream.write_all(b"GET / HTTP/1.1\r\nHost: ").unwrap();
        }
        idle.push(stream);
    }
    let r = serve.get("/aftercare/why/");
    assert_eq!(r.status, 200, "{r:?}");
    assert!(r.body.contains("Hormones rise and fall."), "{r:?}");
    drop(idle);
    assert_eq!(serve.get("/").status, 200);
}

#[test]
fn a_client_trickling_its_request_is_cut_off() {
    let serve = Serve::start();
    let stream = TcpStream::connect(("127.0.0.1", serve.port)).unwrap();
    let mut writer = stream.try_clone().unwrap();
    // One header byte every 100 ms: each read is quick, the request never ends.
    let trickle = std::thread::spawn(move || {
        if writer.write_all(b"GET / HTTP/1.1\r\nX-Slow: ").is_err() {
            return;
        }
        for _ in 0..3000 {
            if writer.write_all(b"a").is_err() {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    });
    // The server must close the connection long before the request could end (300 s).
    let mut reader = stream;
    reader
        .set_read_timeout(Some(Duration::from_secs(120)))
        .unwrap();
    let mut answer = Vec::new();
    if let Err(e) = reader.read_to_end(&mut answer) {
        // Closed with part of the request unread is a reset: cut off all the same.
        assert!(
            !matches!(
                e.kind(),
                std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
            ),
            "the connection was still open after 120 s"
        );
    }
    let text = String::from_utf8_lossy(&answer);
    assert!(
        text.is_empty() || text.starts_with("HTTP/1.1 408"),
        "{text}"
    );
    let _ = reader.shutdown(Shutdown::Both);
    trickle.join().unwrap();
    assert_eq!(serve.get("/").status, 200);
}

/// `haven build` of `site` into a fresh folder.
fn build(site: &Path) -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    let built = Command::new(env!("CARGO_BIN_EXE_haven"))
        .args(["build", "--root"])
        .arg(site)
        .arg("--output")
        .arg(out.path())
        .output()
        .unwrap();
    assert!(built.status.success(), "{built:?}");
    out
}

/// `(name, value)` for each header line under `/*` in a `_headers` file.
fn headers_for_every_path(file: &str) -> Vec<(String, String)> {
    let mut lines = file.lines().skip_while(|l| l.trim() != "/*").skip(1);
    let mut out = Vec::new();
    for line in lines.by_ref() {
        if !line.starts_with(char::is_whitespace) || line.trim().is_empty() {
            break;
        }
        let (name, value) = line.trim().split_once(':').unwrap();
        out.push((name.trim().to_string(), value.trim().to_string()));
    }
    out
}

fn meta_policy(html: &str) -> String {
    let tag = "<meta http-equiv=\"Content-Security-Policy\" content=\"";
    let at = html.find(tag).expect("the page has a CSP meta tag") + tag.len();
    html[at..].split('"').next().unwrap().to_string()
}

#[test]
fn the_build_writes_the_pages_policy_and_the_other_headers_to_headers_file() {
    let site = common::copy_fixture("basic");
    let out = build(site.path());
    let file = std::fs::read_to_string(out.path().join("_headers")).expect("_headers is written");
    let headers = headers_for_every_path(&file);
    let value = |name: &str| {
        headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_else(|| panic!("no {name} in _headers:\n{file}"))
    };
    for page in ["index.html", "aftercare/why/index.html", "404.html"] {
        let html = std::fs::read_to_string(out.path().join(page)).unwrap();
        assert_eq!(
            value("Content-Security-Policy"),
            format!("{}; frame-ancestors 'none'", meta_policy(&html)),
            "{page}"
        );
    }
    assert_eq!(value("Referrer-Policy"), "no-referrer");
    assert_eq!(value("X-Content-Type-Options"), "nosniff");
    let permissions = value("Permissions-Policy");
    for feature in [
        "camera=()",
        "microphone=()",
        "geolocation=()",
        "payment=()",
        "usb=()",
    ] {
        assert!(permissions.contains(feature), "{permissions}");
    }

    // A site's own `static/_headers` is published as it is.
    std::fs::create_dir_all(site.path().join("static")).unwrap();
    std::fs::write(site.path().join("static/_headers"), "/*\n  X-Mine: yes\n").unwrap();
    let out = build(site.path());
    assert_eq!(
        std::fs::read_to_string(out.path().join("_headers")).unwrap(),
        "/*\n  X-Mine: yes\n"
    );
}

#[test]
fn serve_sends_the_headers_the_build_writes() {
    let site = common::copy_fixture("basic");
    let built = build(site.path());
    let file = std::fs::read_to_string(built.path().join("_headers")).unwrap();
    let expected = headers_for_every_path(&file);
    assert_eq!(expected.len(), 4, "{file}");
    let serve = Serve::start_in(site);
    for path in [
        "/",
        "/aftercare/why/",
        "/style.css",
        "/no/such/page/",
        "/aftercare",
    ] {
        let r = serve.get(path);
        assert!(matches!(r.status, 200 | 301 | 404), "{path}: {r:?}");
        for (name, value) in &expected {
            assert_eq!(r.header(name), Some(value.as_str()), "{path}: {r:?}");
        }
    }
    // Like Netlify and Cloudflare Pages, serve does not publish the file itself.
    assert_eq!(serve.get("/_headers").status, 404);
}

#[test]
fn a_file_saved_in_place_is_built_once_written_not_half_way() {
    let serve = Serve::start();
    let page = serve.site.path().join("content/aftercare/why.md");
    let text = std::fs::read_to_string(&page).unwrap();
    // An editor that saves in place truncates the file, then writes it; on a busy machine the
    // two can be far apart. The pause makes that happen here; it synchronises nothing.
    let mut file = std::fs::File::create(&page).unwrap();
    std::thread::sleep(Duration::from_millis(300));
    file.write_all(
        text.replace("Hormones rise and fall.", "Hormones rise, then fall.")
            .as_bytes(),
    )
    .unwrap();
    drop(file);
    let started = Instant::now();
    while !serve
        .get("/aftercare/why/")
        .body
        .contains("Hormones rise, then fall.")
    {
        assert!(
            started.elapsed() < DEADLINE,
            "the edit never showed:\n{}",
            serve.output()
        );
        std::thread::sleep(Duration::from_millis(25));
    }
    let output = serve.output();
    assert!(!output.contains("the file is empty"), "{output}");
    assert!(!output.contains("Build failed"), "{output}");
}
