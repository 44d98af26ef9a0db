//! `haven check --external` against a local HTTP server (these machines have no Web access):
//! statuses, redirects, HEAD-then-GET, timeouts, skips, exit codes, the JSON shape, what is sent,
//! and the bound on requests in flight.

use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::Path;
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// One request as the server saw it.
#[derive(Debug, Clone)]
struct Seen {
    method: String,
    path: String,
    /// Header names in lower case, with their values.
    headers: Vec<(String, String)>,
}

#[derive(Default)]
struct State {
    active: AtomicUsize,
    most_active: AtomicUsize,
    seen: Mutex<Vec<Seen>>,
}

/// A tiny HTTP/1.1 server on 127.0.0.1, one thread per connection, `Connection: close`.
struct Server {
    addr: SocketAddr,
    state: Arc<State>,
}

impl Server {
    fn start() -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let state = Arc::new(State::default());
        let shared = state.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let state = shared.clone();
                std::thread::spawn(move || handle(stream, &state));
            }
        });
        Server { addr, state }
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    fn seen(&self) -> Vec<Seen> {
        self.state.seen.lock().unwrap().clone()
    }

    fn requests_for(&self, path: &str) -> Vec<String> {
        self.seen()
            .into_iter()
            .filter(|s| s.path == path)
            .map(|s| s.method)
            .collect()
    }
}

fn handle(stream: TcpStream, state: &State) {
    // Counted from the connection until just before the answer is written, so a client that
    // starts its next request only after an answer can never be counted twice.
    let now = state.active.fetch_add(1, Ordering::SeqCst) + 1;
    state.most_active.fetch_max(now, Ordering::SeqCst);
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut line = String::new();
    let _ = reader.read_line(&mut line);
    let mut parts = line.split_whitespace();
    let method = parts.next().unwrap_or("").to_string();
    let path = parts.next().unwrap_or("").to_string();
    let mut headers = Vec::new();
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).unwrap_or(0) == 0 || h.trim().is_empty() {
            break;
        }
        if let Some((name, value)) = h.split_once(':') {
            headers.push((name.trim().to_ascii_lowercase(), value.trim().to_string()));
        }
    }
    state.seen.lock().unwrap().push(Seen {
        method: method.clone(),
        path: path.clone(),
        headers,
    });
    let (status, extra): (&str, String) = match path.as_str() {
        "/ok" | "/landing" => ("200 OK", String::new()),
        "/gone" => ("404 Not Found", String::new()),
        "/error" => ("500 Internal Server Error", String::new()),
        "/moved" => (
            "301 Moved Permanently",
            "Location: /landing\r\nSet-Cookie: session=secret; Path=/\r\n".into(),
        ),
        "/loop" => ("302 Found", "Location: /loop\r\n".into()),
        "/no-head" if method == "HEAD" => ("405 Method Not Allowed", "Allow: GET\r\n".into()),
        "/no-head" => ("200 OK", String::new()),
        // A bot filter that turns HEAD away but serves GET.
        "/head-forbidden" if method == "HEAD" => ("403 Forbidden", String::new()),
        "/head-forbidden" => ("200 OK", String::new()),
        "/sleep" => {
            std::thread::sleep(Duration::from_secs(3));
            ("200 OK", String::new())
        }
        p if p.starts_with("/slow/") => {
            std::thread::sleep(Duration::from_millis(400));
            ("200 OK", String::new())
        }
        _ => ("404 Not Found", String::new()),
    };
    state.active.fetch_sub(1, Ordering::SeqCst);
    let body = if method == "HEAD" { "" } else { "ok" };
    let mut stream = stream;
    let _ = write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Length: 2\r\nConnection: close\r\n{extra}\r\n{body}"
    );
    let _ = stream.flush();
}

fn haven_check(root: &Path, args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_haven"));
    cmd.arg("check").arg("--root").arg(root).args(args);
    // The test server is local: never go through a proxy from the environment.
    for var in [
        "HTTP_PROXY",
        "http_proxy",
        "HTTPS_PROXY",
        "https_proxy",
        "ALL_PROXY",
        "all_proxy",
    ] {
        cmd.env_remove(var);
    }
    cmd.output().expect("haven runs")
}

/// 1-based (line, column) of the first `needle` in `text` (ASCII).
fn place(text: &str, needle: &str) -> (usize, usize) {
    let at = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle} in {text}"));
    let line = text[..at].matches('\n').count() + 1;
    let col = at - text[..at].rfind('\n').map_or(0, |i| i + 1) + 1;
    (line, col)
}

struct Site {
    dir: tempfile::TempDir,
    index: String,
    links: String,
}

fn site(server: &Server) -> Site {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("content")).unwrap();
    std::fs::write(
        dir.path().join("haven.toml"),
        format!(
            "title = \"x\"\n[check]\nexternal_skip = [\"{}\"]\n",
            server.url("/skipped/")
        ),
    )
    .unwrap();
    let index = format!(
        "+++\ntitle = \"Home\"\n+++\nRead [the guide]({}), an [old address]({}) and [again]({}).\n",
        server.url("/ok"),
        server.url("/moved"),
        server.url("/gone").replace("http://", "HTTP://"),
    );
    let links = format!(
        "+++\ntitle = \"Links\"\n[[sources]]\ntitle = \"A study\"\nurl = \"{gone}\"\n+++\nSome places to read more.\n\n- [Gone]({gone}#section)\n- [No head]({nohead})\n- [Picky]({picky})\n- [Slow]({sleep})\n- [Skipped]({skipped})\n- [Server error]({error})\n- [Loop]({lp})\n",
        gone = server.url("/gone"),
        nohead = server.url("/no-head"),
        picky = server.url("/head-forbidden"),
        sleep = server.url("/sleep"),
        skipped = server.url("/skipped/page"),
        error = server.url("/error"),
        lp = server.url("/loop"),
    );
    std::fs::write(dir.path().join("content/_index.md"), &index).unwrap();
    std::fs::write(dir.path().join("content/links.md"), &links).unwrap();
    Site { dir, index, links }
}

#[test]
fn nothing_is_fetched_without_external() {
    let server = Server::start();
    let site = site(&server);
    let out = haven_check(site.dir.path(), &["--strict"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = haven_check(site.dir.path(), &["--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v.get("external").is_none(), "{v}");
    // The timeout and jobs options only make sense with --external.
    let out = haven_check(site.dir.path(), &["--external-timeout", "1"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("--external"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(server.seen().is_empty(), "{:?}", server.seen());
}

#[test]
fn broken_links_are_warnings_at_every_use_and_strict_fails() {
    let server = Server::start();
    let site = site(&server);
    let out = haven_check(site.dir.path(), &["--external", "--external-timeout", "1"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "warnings alone pass\n{stderr}");

    let gone = server.url("/gone");
    let (l, c) = place(&site.links, "- [Gone]");
    let (fl, fc) = place(&site.links, "http://");
    let (il, ic) = place(&site.index, "[again]");
    for (file, line, col) in [
        ("content/links.md", l, c + 2),
        ("content/links.md", fl, fc),
        ("content/_index.md", il, ic),
    ] {
        let expected = format!(
            "{file}:{line}:{col}: warning: link to {gone} is broken: the server answered 404 Not Found"
        );
        assert!(
            stderr.contains(&expected),
            "missing {expected:?} in\n{stderr}"
        );
    }
    for expected in [
        format!(
            "warning: link to {} is broken: the server answered 500 Internal Server Error",
            server.url("/error")
        ),
        format!(
            "warning: link to {} timed out: no answer within 1 s",
            server.url("/sleep")
        ),
        format!(
            "warning: link to {} could not be reached: more than 10 redirects",
            server.url("/loop")
        ),
        "help: the page may have moved; update or remove the link".to_string(),
    ] {
        assert!(
            stderr.contains(&expected),
            "missing {expected:?} in\n{stderr}"
        );
    }
    for fine in ["/ok", "/moved", "/no-head", "/head-forbidden", "/skipped/"] {
        assert!(
            !stderr.contains(&format!("link to {}", server.url(fine))),
            "{fine} is fine or skipped:\n{stderr}"
        );
    }
    assert!(
        stdout.contains(
            "Checked 1 page and 8 external links (1 skipped), 4 failing: 0 errors, 6 warnings"
        ),
        "{stdout}"
    );

    // Each URL once, however often it is used; HEAD first, GET only when HEAD gets an error
    // status, and then the GET decides.
    assert_eq!(server.requests_for("/gone"), ["HEAD", "GET"]);
    assert_eq!(server.requests_for("/error"), ["HEAD", "GET"]);
    assert_eq!(server.requests_for("/ok"), ["HEAD"]);
    assert_eq!(server.requests_for("/no-head"), ["HEAD", "GET"]);
    assert_eq!(server.requests_for("/head-forbidden"), ["HEAD", "GET"]);
    assert_eq!(server.requests_for("/moved"), ["HEAD"]);
    assert_eq!(
        server.requests_for("/landing"),
        ["HEAD"],
        "redirects are followed"
    );
    assert_eq!(
        server.requests_for("/loop").len(),
        11,
        "redirects are limited"
    );
    assert!(server.requests_for("/skipped/page").is_empty());

    // Nothing but the plain request: no cookies (not even the one /moved set), no referrer.
    let ua = format!("haven-link-check/{}", env!("CARGO_PKG_VERSION"));
    for seen in server.seen() {
        let names: Vec<&str> = seen.headers.iter().map(|(n, _)| n.as_str()).collect();
        for name in &names {
            assert!(
                ["host", "user-agent", "accept"].contains(name),
                "{name} sent with {seen:?}"
            );
        }
        let agent = seen.headers.iter().find(|(n, _)| n == "user-agent");
        assert_eq!(
            agent.map(|(_, v)| v.as_str()),
            Some(ua.as_str()),
            "{seen:?}"
        );
    }

    let out = haven_check(
        site.dir.path(),
        &["--external", "--external-timeout", "1", "--strict"],
    );
    assert_eq!(
        out.status.code(),
        Some(1),
        "--strict fails on broken links\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn json_reports_external_links_in_the_stable_shape() {
    let server = Server::start();
    let site = site(&server);
    let out = haven_check(
        site.dir.path(),
        &["--external", "--external-timeout", "1", "--format", "json"],
    );
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("stdout is JSON alone");
    assert_eq!(v["version"], 1);
    assert_eq!(v["errors"], 0);
    assert_eq!(v["warnings"], 6);
    assert_eq!(
        v["external"],
        serde_json::json!({"urls": 8, "skipped": 1, "failed": 4})
    );
    let diags = v["diagnostics"].as_array().unwrap();
    let (line, col) = place(&site.links, "- [Gone]");
    let gone = diags
        .iter()
        .find(|d| d["file"] == "content/links.md" && d["line"] == line)
        .unwrap_or_else(|| panic!("{v}"));
    assert_eq!(gone["severity"], "warning");
    assert_eq!(gone["code"], "external-broken");
    assert_eq!(gone["column"], col + 2);
    assert_eq!(
        gone["message"],
        format!(
            "link to {} is broken: the server answered 404 Not Found",
            server.url("/gone")
        )
    );
    assert!(gone["help"].as_str().unwrap().contains("may have moved"));
    let timeout = diags
        .iter()
        .find(|d| d["code"] == "external-timeout")
        .unwrap_or_else(|| panic!("{v}"));
    assert_eq!(timeout["line"], place(&site.links, "[Slow]").0);
    assert!(
        timeout["message"]
            .as_str()
            .unwrap()
            .contains(&server.url("/sleep"))
    );
    let codes: Vec<&str> = diags.iter().filter_map(|d| d["code"].as_str()).collect();
    assert_eq!(
        codes
            .iter()
            .filter(|c| **c == "external-unreachable")
            .count(),
        1,
        "the redirect loop: {v}"
    );
}

#[test]
fn requests_in_flight_are_bounded_by_jobs() {
    let server = Server::start();
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("content")).unwrap();
    std::fs::write(dir.path().join("haven.toml"), "title = \"x\"\n").unwrap();
    let list: String = (1..=7)
        .map(|i| format!("- [Slow {i}]({})\n", server.url(&format!("/slow/{i}"))))
        .collect();
    std::fs::write(
        dir.path().join("content/_index.md"),
        format!("+++\ntitle = \"Home\"\n+++\n{list}"),
    )
    .unwrap();
    let out = haven_check(
        dir.path(),
        &[
            "--external",
            "--external-jobs",
            "2",
            "--external-timeout",
            "5",
            "--strict",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(server.seen().len(), 7, "{:?}", server.seen());
    // Two at a time: never more, and not one after another either.
    assert_eq!(server.state.most_active.load(Ordering::SeqCst), 2);
}
