//! `haven serve` as an author uses it: start it on a copy of a fixture site, edit files, and
//! read what it serves over HTTP.

mod common;

use std::io::{Read, Write};
use std::net::{IpAddr, TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long a change may take to show up (debug build, busy 2-core machine).
const DEADLINE: Duration = Duration::from_secs(10);

/// A running `haven serve`, killed when dropped (also when a test fails).
struct Serve {
    child: Child,
    host: IpAddr,
    port: u16,
    output: Arc<Mutex<String>>,
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Serve {
    fn start(root: &Path) -> Serve {
        Serve::start_with(root, "127.0.0.1".parse().unwrap(), &[], &[])
    }

    /// `haven serve` bound to `host`, with more arguments and environment variables.
    /// `--port 0`: serve picks a free port and prints it (a port chosen here and passed on could
    /// be taken by another test in between).
    fn start_with(root: &Path, host: IpAddr, args: &[&str], env: &[(&str, &Path)]) -> Serve {
        let mut child = Command::new(env!("CARGO_BIN_EXE_haven"))
            .args(["serve", "--root"])
            .arg(root)
            .args(["--port", "0", "--bind", &host.to_string()])
            .args(args)
            .envs(env.iter().map(|(k, v)| (*k, v.as_os_str())))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("haven serve starts");
        let output = common::capture_output(&mut child);
        let mut serve = Serve {
            child,
            host,
            port: 0,
            output,
        };
        serve.wait_for("the address it serves at", |s| {
            printed_port(&s.output()).is_some()
        });
        serve.port = printed_port(&serve.output()).unwrap();
        serve.wait_for("the first page", |s| s.get("/").status == 200);
        serve
    }

    fn output(&self) -> String {
        self.output.lock().unwrap().clone()
    }

    fn get(&self, path: &str) -> Response {
        get_from(self.host, self.port, path)
    }

    /// Polls `check` until it holds, or fails with what serve printed.
    fn wait_for(&self, what: &str, check: impl Fn(&Serve) -> bool) {
        let started = Instant::now();
        while started.elapsed() < DEADLINE {
            if check(self) {
                return;
            }
            std::thread::sleep(Duration::from_millis(25));
        }
        panic!(
            "timed out waiting for {what}; haven serve printed:\n{}",
            self.output()
        );
    }

    fn status(&self) -> serde_json::Value {
        serde_json::from_str(&self.get("/__haven/status").body).unwrap()
    }
}

/// The port in serve's `Serving DIR at http://HOST:PORT/` line.
fn printed_port(output: &str) -> Option<u16> {
    let line = output.lines().find(|l| l.starts_with("Serving "))?;
    let url = &line[line.find(" at http://")? + " at http://".len()..];
    let authority = url.split('/').next()?;
    authority.rsplit(':').next()?.parse().ok()
}

#[derive(Debug)]
struct Response {
    status: u16,
    head: String,
    body: String,
}

/// One raw HTTP/1.1 request: the path is sent exactly as given (no normalising of `..`).
fn get(port: u16, path: &str) -> Response {
    get_from("127.0.0.1".parse().unwrap(), port, path)
}

fn get_from(host: IpAddr, port: u16, path: &str) -> Response {
    let Ok(mut stream) = TcpStream::connect((host, port)) else {
        return Response {
            status: 0,
            head: String::new(),
            body: String::new(),
        };
    };
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    // As a browser sends it: the address and the port (serve answers no other Host).
    let authority = std::net::SocketAddr::new(host, port);
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {authority}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
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

fn edit(root: &Path, rel: &str, from: &str, to: &str) {
    let path = root.join(rel);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{rel} has no {from:?}");
    std::fs::write(&path, text.replace(from, to)).unwrap();
}

#[test]
fn edits_additions_deletions_and_errors_show_up() {
    let site = common::copy_fixture("basic");
    let root = site.path();
    let serve = Serve::start(root);

    let page = serve.get("/aftercare/why/");
    assert_eq!(page.status, 200, "{page:?}");
    assert!(page.body.contains("Hormones rise and fall."));
    assert!(page.head.contains("Content-Type: text/html; charset=utf-8"));

    // A body edit: served within seconds, and only that page is re-rendered.
    edit(
        root,
        "content/aftercare/why.md",
        "Hormones rise and fall.",
        "Hormones rise, then fall.",
    );
    serve.wait_for("the edited text", |s| {
        s.get("/aftercare/why/")
            .body
            .contains("Hormones rise, then fall.")
    });
    serve.wait_for("the rebuild report", |s| {
        s.output()
            .contains("Rebuilt content/aftercare/why.md (1 page)")
    });

    // An editor's save: a temporary file renamed over the page is one rebuild.
    let before = serve.status()["version"].as_u64().unwrap();
    let text = std::fs::read_to_string(root.join("content/aftercare/why.md")).unwrap();
    let temp = root.join("content/aftercare/.why.md.tmp-save");
    std::fs::write(&temp, text.replace("then fall.", "then fall again.")).unwrap();
    std::fs::rename(&temp, root.join("content/aftercare/why.md")).unwrap();
    serve.wait_for("the renamed-over text", |s| {
        s.get("/aftercare/why/").body.contains("then fall again.")
    });
    // No fixed wait for a second rebuild that may or may not come: a later edit of another
    // page is a marker. Batches are built in order, so once the marker is served every rebuild
    // the save caused has happened; it was one if the version moved by two (save, marker) and
    // the marker's rebuild was of the marker alone (a late event of the save would share it).
    let printed_before = serve.output().len();
    let marker = std::fs::read_to_string(root.join("content/_index.md")).unwrap();
    std::fs::write(
        root.join("content/_index.md"),
        format!("{marker}\nA marker line.\n"),
    )
    .unwrap();
    serve.wait_for("the marker edit", |s| {
        s.status()["version"].as_u64().unwrap() >= before + 2
            && s.output()[printed_before..].contains("content/_index.md")
    });
    let printed = serve.output()[printed_before..].to_string();
    let rebuilds: Vec<&str> = printed
        .lines()
        .filter(|l| l.starts_with("Rebuilt ") || l.starts_with("Unchanged"))
        .collect();
    assert_eq!(
        serve.status()["version"].as_u64().unwrap(),
        before + 2,
        "one save, one rebuild:\n{}",
        serve.output()
    );
    assert!(
        rebuilds.len() == 1 && !rebuilds[0].contains("why.md"),
        "the marker was rebuilt alone: {rebuilds:?}"
    );

    // A new page is served and listed in its section.
    std::fs::write(
        root.join("content/aftercare/new-page.md"),
        "+++\ntitle = \"A brand new page\"\n+++\nFresh words.\n",
    )
    .unwrap();
    serve.wait_for("the new page", |s| {
        s.get("/aftercare/new-page/").body.contains("Fresh words.")
    });
    assert!(serve.get("/aftercare/").body.contains("A brand new page"));

    // Deleted: 404, with the site's own 404 page.
    std::fs::remove_file(root.join("content/aftercare/new-page.md")).unwrap();
    serve.wait_for("the deleted page to go", |s| {
        s.get("/aftercare/new-page/").status == 404
    });
    assert!(!serve.get("/aftercare/").body.contains("A brand new page"));

    // Broken front matter: the error is reported, the last good site is still served.
    edit(
        root,
        "content/aftercare/why.md",
        "title: Why it matters",
        "title: [Why it matters",
    );
    serve.wait_for("the error", |s| s.status()["error"].is_string());
    let error = serve.status()["error"].as_str().unwrap().to_string();
    assert!(
        error.contains("content/aftercare/why.md:2:"),
        "the error is located: {error}"
    );
    serve.wait_for("the error printed", |s| {
        s.output().contains("Build failed: 1 error")
    });
    let why = serve.get("/aftercare/why/");
    assert_eq!(why.status, 200);
    assert!(why.body.contains("then fall again."), "last good page");
    assert_eq!(serve.get("/aftercare/what/").status, 200);
    assert!(
        why.body.contains("/__haven/reload.js"),
        "the script that shows the overlay"
    );

    // Fixed: the error clears and the page is rebuilt.
    edit(
        root,
        "content/aftercare/why.md",
        "title: [Why it matters",
        "title: Why it really matters",
    );
    serve.wait_for("the fix", |s| s.status()["error"].is_null());
    assert!(
        serve
            .get("/aftercare/why/")
            .body
            .contains("Why it really matters")
    );
}

#[test]
fn http_behaves_like_a_static_host_and_refuses_paths_outside_the_site() {
    let site = common::copy_fixture("basic");
    let root = site.path();
    std::fs::write(root.join("secret.txt"), "[package] secret").unwrap();
    let serve = Serve::start(root);

    for bad in [
        "/../Cargo.toml",
        "/../secret.txt",
        "/aftercare/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E/secret.txt",
        "/.%2e/secret.txt",
        "/..%2fsecret.txt",
        "/%2e%2e%2fsecret.txt",
        "/..\\secret.txt",
        "/..%5csecret.txt",
        "/%2e%2e%5csecret.txt",
        "//etc/passwd",
        "/a%00b",
    ] {
        let r = serve.get(bad);
        assert!(
            r.status == 403 || r.status == 400,
            "{bad} gave {}",
            r.status
        );
        assert!(!r.body.contains("secret"), "{bad}");
    }
    // The site's own files are not the output either.
    assert_eq!(serve.get("/haven.toml").status, 404);
    assert_eq!(serve.get("/secret.txt").status, 404);

    let missing = serve.get("/no/such/page/");
    assert_eq!(missing.status, 404);
    assert!(missing.body.contains("<html"), "the site's 404 page");
    assert!(missing.body.contains("/__haven/reload.js"));

    let folder = serve.get("/aftercare");
    assert_eq!(folder.status, 301);
    assert!(folder.head.contains("Location: /aftercare/"));
    let css = serve.get("/style.css");
    assert_eq!(css.status, 200);
    assert!(css.head.contains("Content-Type: text/css; charset=utf-8"));
    assert!(!css.body.contains("__haven"));
    let js = serve.get("/__haven/reload.js");
    assert!(js.head.contains("Content-Type: text/javascript"));
    assert!(js.body.contains("EventSource"));
    assert!(serve.get("/sitemap.xml").head.contains("application/xml"));

    // The reload script is serve's alone: never in what `haven build` writes.
    let out = tempfile::tempdir().unwrap();
    let built = Command::new(env!("CARGO_BIN_EXE_haven"))
        .args(["build", "--root"])
        .arg(root)
        .arg("--output")
        .arg(out.path())
        .output()
        .unwrap();
    assert!(built.status.success(), "{built:?}");
    for entry in walkdir::WalkDir::new(out.path()) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let bytes = std::fs::read(entry.path()).unwrap();
            assert!(
                !String::from_utf8_lossy(&bytes).contains("__haven"),
                "{} has serve's script",
                entry.path().display()
            );
        }
    }
    // Serving never wrote the site's output folder.
    assert!(!root.join("public").exists());
}

#[test]
fn a_taken_port_is_a_clear_error() {
    let site = common::copy_fixture("basic");
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let out = Command::new(env!("CARGO_BIN_EXE_haven"))
        .args(["serve", "--root"])
        .arg(site.path())
        .args(["--port", &port.to_string()])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!("port {port} on 127.0.0.1 is already in use")),
        "{stderr}"
    );
}

#[cfg(unix)]
#[test]
fn ctrl_c_stops_it() {
    let site = common::copy_fixture("basic");
    let mut serve = Serve::start(site.path());
    let sent = Command::new("kill")
        .args(["-INT", &serve.child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    let started = Instant::now();
    loop {
        if serve.child.try_wait().unwrap().is_some() {
            break;
        }
        assert!(started.elapsed() < DEADLINE, "still running after Ctrl-C");
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(get(serve.port, "/").status, 0, "no longer listening");
    assert!(!site.path().join("public").exists());
}

#[test]
fn serves_on_ipv6_loopback_when_asked() {
    let host: IpAddr = "::1".parse().unwrap();
    if TcpListener::bind((host, 0)).is_err() {
        common::skip(
            "serve::serves_on_ipv6_loopback_when_asked",
            "this machine has no IPv6 loopback (::1)",
        );
        return;
    }
    let site = common::copy_fixture("basic");
    let serve = Serve::start_with(site.path(), host, &[], &[]);
    let page = serve.get("/aftercare/why/");
    assert_eq!(page.status, 200, "{page:?}");
    let port = serve.port;
    // The server answers as soon as it listens, a moment before it prints where.
    serve.wait_for("the address it serves at", |s| {
        s.output().contains(&format!("http://[::1]:{port}/"))
    });
    // Loopback, so no warning about other machines.
    assert!(
        !serve.output().contains("other machines"),
        "{}",
        serve.output()
    );
    // Not on IPv4.
    assert_eq!(get(port, "/").status, 0);
}

#[test]
fn another_address_is_served_with_a_warning() {
    let site = common::copy_fixture("basic");
    let serve = Serve::start_with(site.path(), "0.0.0.0".parse().unwrap(), &[], &[]);
    assert_eq!(get(serve.port, "/").status, 200);
    serve.wait_for("the warning", |s| {
        s.output()
            .contains("other machines on the network can read this preview")
    });
}

#[test]
fn open_starts_the_browser_named_in_browser_with_the_url() {
    let site = common::copy_fixture("basic");
    let dir = tempfile::tempdir().unwrap();
    let opened = dir.path().join("opened.txt");
    let browser = dir.path().join("browser.sh");
    std::fs::write(
        &browser,
        format!("#!/bin/sh\nprintf '%s' \"$1\" > '{}'\n", opened.display()),
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&browser, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let serve = Serve::start_with(
        site.path(),
        "127.0.0.1".parse().unwrap(),
        &["--open"],
        &[("BROWSER", &browser)],
    );
    serve.wait_for("the browser to be opened", |_| opened.exists());
    let deadline = Instant::now() + DEADLINE;
    let mut url = String::new();
    while Instant::now() < deadline {
        url = std::fs::read_to_string(&opened).unwrap_or_default();
        if !url.is_empty() {
            break;
        }
        std::thread::sleep(Duration::from_millis(25));
    }
    assert_eq!(url, format!("http://127.0.0.1:{}/", serve.port));
}

#[test]
fn editing_an_original_updates_its_fallback_pages() {
    // tests/fixtures/fallback-site: `aftercare/talking` has no Spanish or French translation, so
    // /es/ and /fr/ show the English text under a notice (docs/translations.md).
    let site = common::copy_fixture("fallback-site");
    let root = site.path();
    let serve = Serve::start(root);
    let page = serve.get("/es/aftercare/talking/");
    assert_eq!(page.status, 200, "{page:?}");
    assert!(page.body.contains("Listen to the answer."));
    edit(
        root,
        "content/aftercare/talking.md",
        "Listen to the answer.",
        "Listen closely to the answer.",
    );
    for path in [
        "/aftercare/talking/",
        "/es/aftercare/talking/",
        "/fr/aftercare/talking/",
    ] {
        serve.wait_for(path, |s| {
            s.get(path).body.contains("Listen closely to the answer.")
        });
    }
}
