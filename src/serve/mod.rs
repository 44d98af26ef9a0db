//! `haven serve`: build the site into memory, serve it, watch its files, rebuild what changed and
//! reload open pages.
//!
//! - [`incremental`]: the site kept in memory and the smallest rebuild for each change.
//! - [`watch`]: `notify` events turned into one batch per save.
//! - [`http`]: a small HTTP server on `std::net` (the site from memory, the reload script, the
//!   event stream).
//!
//! The site is served from memory, never written: `serve` cannot clobber `public/` or leave
//! half-written files behind, and Ctrl-C (which ends the process) leaves nothing to clean up.

pub mod http;
pub mod incremental;
pub mod watch;

use std::net::{IpAddr, SocketAddr, TcpListener};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, RwLock};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::diagnostic::{Diagnostic, Errors, Severity};
use crate::pipeline::BuildOptions;
use incremental::{Files, Live, Outcome, Reload, SearchJob, Update};

/// How long no file must change before the search index is rebuilt after a body edit.
pub const SEARCH_AFTER_IDLE: Duration = Duration::from_millis(1000);

/// The port tried first when none is given (then the next ones).
pub const DEFAULT_PORT: u16 = 1111;

#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub build: BuildOptions,
    /// `None`: [`DEFAULT_PORT`] or the next free one.
    pub port: Option<u16>,
    pub bind: IpAddr,
    pub open: bool,
}

/// What the terminal is told. The command line prints diagnostics with source snippets.
pub trait Report {
    fn diagnostics(&self, diags: &[Diagnostic]);
    fn line(&self, text: &str);
}

/// State shared by the HTTP threads and the rebuild loop.
pub struct Server {
    pub files: RwLock<Files>,
    status: Mutex<Status>,
    changed: Condvar,
    /// Changes on every start of `serve`, so a page reloads after a restart.
    session: String,
    /// The [`Live::generation`] of the files served: a search index made from an older one is
    /// dropped.
    generation: AtomicU64,
}

struct Status {
    version: u64,
    /// The failed build's errors as plain text, while the last edit does not build.
    error: Option<String>,
    last: Reload,
    /// The pages the last version changed ([`Outcome::pages`]).
    pages: Option<Vec<String>>,
    built_once: bool,
}

impl Default for Server {
    fn default() -> Self {
        Self::new()
    }
}

impl Server {
    pub fn new() -> Server {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        Server {
            files: RwLock::new(Files::default()),
            status: Mutex::new(Status {
                version: 0,
                error: None,
                last: Reload::Page,
                pages: None,
                built_once: false,
            }),
            changed: Condvar::new(),
            session: format!("{:x}", nanos ^ u128::from(std::process::id())),
            generation: AtomicU64::new(0),
        }
    }

    fn status(&self) -> std::sync::MutexGuard<'_, Status> {
        self.status.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Serves the result of a rebuild at `generation` and tells open pages.
    pub fn publish(&self, result: Result<Outcome, Errors>, generation: u64) {
        match result {
            Ok(outcome) => {
                let mut files = self.files.write().unwrap_or_else(|e| e.into_inner());
                files.apply(outcome.update);
                self.generation.store(generation, Ordering::SeqCst);
                drop(files);
                let mut status = self.status();
                let had_error = status.error.take().is_some();
                status.built_once = true;
                if outcome.reload != Reload::Nothing || had_error {
                    status.version += 1;
                    status.last = if had_error {
                        Reload::Page
                    } else {
                        outcome.reload
                    };
                    // After an error every open page shows the overlay: all of them reload.
                    status.pages = if had_error { None } else { outcome.pages };
                    self.changed.notify_all();
                }
            }
            Err(errors) => {
                let mut status = self.status();
                status.error = Some(plain_text(&errors.0));
                status.version += 1;
                self.changed.notify_all();
            }
        }
    }

    /// Serves a search index unless the site changed since its job was made. Returns whether
    /// it was served.
    fn publish_search(&self, job_generation: u64, outcome: Outcome) -> bool {
        let mut files = self.files.write().unwrap_or_else(|e| e.into_inner());
        if self.generation.load(Ordering::SeqCst) != job_generation {
            return false;
        }
        files.apply(outcome.update);
        true
    }

    fn never_built(&self) -> bool {
        !self.status().built_once
    }

    /// The tag added to every HTML page served: it names the version the page was served at.
    fn script_tag(&self) -> String {
        let version = self.status().version;
        format!(
            "<script src=\"/__haven/reload.js?v={}.{version}\" defer></script>",
            self.session
        )
    }

    fn event_data(&self, status: &Status) -> String {
        self.event_data_with(status, None)
    }

    /// The event's data; `pages`: the only pages that need to reload (`reload` events).
    fn event_data_with(&self, status: &Status, pages: Option<&[String]>) -> String {
        serde_json::json!({
            "session": self.session,
            "version": status.version,
            "error": status.error,
            "pages": pages,
        })
        .to_string()
    }

    /// `/__haven/status`: the version and the current error, for tools and tests.
    pub fn status_json(&self) -> String {
        let status = self.status();
        self.event_data(&status)
    }

    fn event_now(&self) -> (u64, String) {
        let status = self.status();
        (status.version, self.event_data(&status))
    }

    /// Waits for a version after `seen`: (version, event name, data); `None` after `timeout`.
    fn wait_event(&self, seen: u64, timeout: Duration) -> Option<(u64, &'static str, String)> {
        let status = self.status();
        let (status, _) = self
            .changed
            .wait_timeout_while(status, timeout, |s| s.version == seen)
            .unwrap_or_else(|e| e.into_inner());
        if status.version == seen {
            return None;
        }
        let name = if status.error.is_some() {
            "build-error"
        } else if status.version == seen + 1 && status.last == Reload::Css {
            "css"
        } else {
            "reload"
        };
        // The pages one rebuild changed; after several, every page reloads.
        let pages = status
            .pages
            .as_deref()
            .filter(|_| name == "reload" && status.version == seen + 1);
        Some((status.version, name, self.event_data_with(&status, pages)))
    }

    /// A page for when the site has never built: the error, and the reload script to pick up
    /// the fix.
    fn error_page(&self) -> String {
        let error = self.status().error.clone().unwrap_or_default();
        format!(
            "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>The site did not build</title></head>\n<body><h1>The site did not build</h1><p>Fix the error below and save: this page reloads by itself.</p><pre>{}</pre></body></html>\n",
            crate::html::escape(&error)
        )
    }
}

/// Diagnostics as plain text for the browser: `file:line:col: error: message`, the line with a
/// caret under the problem, and the hint.
pub fn plain_text(diags: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in diags {
        let kind = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        };
        let location = d.location();
        if location.is_empty() {
            out.push_str(&format!("{kind}: {}\n", d.message));
        } else {
            out.push_str(&format!("{location}: {kind}: {}\n", d.message));
        }
        if let (Some(source), Some((start, _)), Some((line, col))) =
            (&d.source, d.span, d.line_col())
        {
            let line_start = source[..start].rfind('\n').map_or(0, |i| i + 1);
            let text = source[line_start..].lines().next().unwrap_or("");
            let gutter = line.to_string();
            out.push_str(&format!("{gutter} | {text}\n"));
            out.push_str(&format!(
                "{} | {}^\n",
                " ".repeat(gutter.len()),
                " ".repeat(text.chars().take(col.saturating_sub(1)).count())
            ));
        }
        if let Some(help) = &d.help {
            out.push_str(&format!("help: {help}\n"));
        }
        out.push('\n');
    }
    out.trim_end().to_string()
}

/// Binds the listening socket: the given port or a clear error; else [`DEFAULT_PORT`] or the
/// next free one.
pub fn bind(addr: IpAddr, port: Option<u16>) -> Result<TcpListener, Diagnostic> {
    let in_use = |p: u16| {
        Diagnostic::error(format!("port {p} on {addr} is already in use")).with_help(
            "stop the other server, choose another port with --port N, or leave --port out to take the next free one",
        )
    };
    let other = |p: u16, e: std::io::Error| {
        Diagnostic::error(format!(
            "could not listen on {}: {e}",
            SocketAddr::new(addr, p)
        ))
    };
    if let Some(p) = port {
        return TcpListener::bind((addr, p)).map_err(|e| match e.kind() {
            std::io::ErrorKind::AddrInUse => in_use(p),
            _ => other(p, e),
        });
    }
    for p in DEFAULT_PORT..DEFAULT_PORT.saturating_add(50) {
        match TcpListener::bind((addr, p)) {
            Ok(l) => return Ok(l),
            Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => continue,
            Err(e) => return Err(other(p, e)),
        }
    }
    TcpListener::bind((addr, 0)).map_err(|e| other(0, e))
}

/// The URL readers use: the bound address, or 127.0.0.1 when listening on every address.
pub fn url_of(addr: SocketAddr) -> String {
    let ip = addr.ip();
    let host = if ip.is_unspecified() {
        "127.0.0.1".to_string()
    } else if ip.is_ipv6() {
        format!("[{ip}]")
    } else {
        ip.to_string()
    };
    format!("http://{host}:{}/", addr.port())
}

/// Runs `haven serve` until the process is stopped.
pub fn run(
    options: ServeOptions,
    shared_report: Arc<dyn Report + Send + Sync>,
) -> Result<(), Errors> {
    let report: &dyn Report = &*shared_report;
    let root = options.build.root.clone();
    if !root.join("haven.toml").is_file() {
        return Err(Diagnostic::error(format!(
            "{} is not a site: it has no haven.toml",
            root.display()
        ))
        .with_help(
            "run haven serve inside a site, pass --root DIR, or make a site with haven new DIR",
        )
        .into());
    }
    let listener = bind(options.bind, options.port)?;
    let addr = listener
        .local_addr()
        .map_err(|e| Diagnostic::error(format!("could not read the listening address: {e}")))?;
    if options.port.is_none() && addr.port() != DEFAULT_PORT {
        report.line(&format!(
            "Port {DEFAULT_PORT} is taken: using {} instead.",
            addr.port()
        ));
    }
    if !options.bind.is_loopback() {
        report.diagnostics(&[Diagnostic::warning(format!(
            "serving on {}: other machines on the network can read this preview, drafts included",
            options.bind
        ))
        .with_help(
            "leave --bind out to serve on 127.0.0.1, this machine only; other devices open it by this machine's address (host names other than localhost are refused, against DNS rebinding)",
        )]);
    }
    let url = url_of(addr);
    let mut build = options.build.clone();
    if build.base_url.is_none() {
        build.base_url = Some(url.clone());
    }

    // Watch before the first build and before serving: a save made while the site builds, or
    // right after the first page is served, must not be missed.
    let mut watcher = watch::Watcher::start(&root)?;
    let server = Arc::new(Server::new());
    let mut live = Live::new(build);
    let first = live.full();
    tell(report, &first, "Built");
    server.publish(first, live.generation());
    let background = Background::start(server.clone(), shared_report.clone());

    let http_server = server.clone();
    let hosts = http::Hosts::for_address(addr);
    std::thread::Builder::new()
        .name("haven-accept".into())
        .spawn(move || http::serve(listener, http_server, hosts))
        .map_err(|e| Diagnostic::error(format!("could not start the server thread: {e}")))?;

    report.line(&format!(
        "Serving {} at {url} (watching for changes; Ctrl-C to stop)",
        root.display()
    ));
    if options.open {
        open_browser(&url, report);
    }
    // The search index waits until the author pauses: while they save, the pages come first.
    let mut search_waiting = false;
    loop {
        let idle = search_waiting.then_some(SEARCH_AFTER_IDLE);
        match watcher.next_batch_or_idle(idle) {
            watch::Next::Batch(batch) => {
                if let Some(result) = live.apply(&batch) {
                    tell(report, &result, "Rebuilt");
                    server.publish(result, live.generation());
                    search_waiting |= live.has_deferred();
                }
            }
            watch::Next::Idle => {
                search_waiting = false;
                if let Some(job) = live.deferred() {
                    background.submit(job);
                }
            }
            watch::Next::Stopped => break,
        }
    }
    Ok(())
}

/// Runs search jobs on a thread of its own, one at a time, with one rayon thread so a core stays
/// free for rebuilding pages. A job submitted while another runs waits; a newer one replaces it.
struct Background {
    slot: Arc<(Mutex<Option<SearchJob>>, Condvar)>,
}

impl Background {
    fn start(server: Arc<Server>, report: Arc<dyn Report + Send + Sync>) -> Background {
        let slot: Arc<(Mutex<Option<SearchJob>>, Condvar)> = Arc::default();
        let worker_slot = slot.clone();
        let worker_report = report.clone();
        let spawned = std::thread::Builder::new()
            .name("haven-search".into())
            .spawn(move || {
                let pool = rayon::ThreadPoolBuilder::new().num_threads(1).build().ok();
                let (lock, ready) = &*worker_slot;
                loop {
                    let job = {
                        let mut job = lock.lock().unwrap_or_else(|e| e.into_inner());
                        while job.is_none() {
                            job = ready.wait(job).unwrap_or_else(|e| e.into_inner());
                        }
                        job.take().expect("a job is waiting")
                    };
                    let generation = job.generation;
                    let outcome = match &pool {
                        Some(pool) => pool.install(|| job.run()),
                        None => job.run(),
                    };
                    let line = format!(
                        "Rebuilt {} in {} (after the pages)",
                        outcome.what,
                        millis(outcome.elapsed)
                    );
                    if server.publish_search(generation, outcome) {
                        worker_report.line(&line);
                    }
                }
            });
        if spawned.is_err() {
            report.line("Could not start the search index thread: the index is rebuilt on the next full rebuild.");
        }
        Background { slot }
    }

    fn submit(&self, job: SearchJob) {
        let (lock, ready) = &*self.slot;
        *lock.lock().unwrap_or_else(|e| e.into_inner()) = Some(job);
        ready.notify_one();
    }
}

fn tell(report: &dyn Report, result: &Result<Outcome, Errors>, verb: &str) {
    match result {
        Ok(o) => {
            report.diagnostics(&o.warnings);
            if matches!(o.update, Update::None) && o.warnings.is_empty() {
                report.line(&format!("Unchanged: {}", o.what));
            } else {
                report.line(&format!("{verb} {} in {}", o.what, millis(o.elapsed)));
            }
        }
        Err(errors) => {
            report.diagnostics(&errors.0);
            let n = errors.0.iter().filter(|d| d.is_error()).count();
            report.line(&format!(
                "Build failed: {n} error{}; still serving the last good site. Fix it and save.",
                if n == 1 { "" } else { "s" }
            ));
        }
    }
}

fn millis(d: Duration) -> String {
    let ms = d.as_secs_f64() * 1000.0;
    if ms < 10.0 {
        format!("{ms:.1} ms")
    } else {
        format!("{ms:.0} ms")
    }
}

/// Opens `url` in the browser named by `$BROWSER` (a program, maybe with arguments, as Python's
/// `webbrowser` and many tools read it), else the system's default.
fn open_browser(url: &str, report: &dyn Report) {
    let named = std::env::var("BROWSER").ok();
    let mut words = named.as_deref().unwrap_or("").split_whitespace();
    let mut command = if let Some(program) = words.next() {
        let mut c = std::process::Command::new(program);
        c.args(words);
        c
    } else if cfg!(target_os = "macos") {
        std::process::Command::new("open")
    } else if cfg!(windows) {
        let mut c = std::process::Command::new("cmd");
        c.args(["/C", "start", ""]);
        c
    } else {
        std::process::Command::new("xdg-open")
    };
    command
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    if let Err(e) = command.spawn() {
        report.line(&format!(
            "Could not open a browser ({e}); open {url} yourself."
        ));
    }
}
