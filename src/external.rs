//! `haven check --external`: do the links to other sites still lead somewhere?
//!
//! Collecting and planning are pure: which URLs the content links to, where each is used, which
//! are skipped (`[check] external_skip`). Fetching is the only place Haven talks to the network,
//! and only when asked: each URL once, a fixed number at a time, with a timeout, sending nothing
//! but the request line, `Host`, `Accept: */*` and `User-Agent: haven-link-check/VERSION` (no
//! cookies, no referrer, no compression negotiation).

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::diagnostic::Diagnostic;
use crate::model::Site;
use crate::render::RenderedContent;

/// The `User-Agent` sent with every request.
pub const USER_AGENT: &str = concat!("haven-link-check/", env!("CARGO_PKG_VERSION"));

/// Redirects followed before a link counts as broken.
pub const MAX_REDIRECTS: u32 = 10;

/// How hard to try: `--external-timeout` and `--external-jobs`.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// For each request, from connecting to the end of the answer (redirects included).
    pub timeout: Duration,
    /// Requests in flight at once.
    pub jobs: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            timeout: Duration::from_secs(10),
            jobs: 8,
        }
    }
}

/// One place a URL is used: a file and a byte span in it.
#[derive(Debug, Clone)]
pub struct Use {
    pub file: Arc<Path>,
    pub source: Arc<str>,
    pub span: (usize, usize),
}

/// The URLs to fetch, each once, with every place it is used (in the order first met).
#[derive(Debug, Default)]
pub struct Plan {
    pub urls: Vec<(String, Vec<Use>)>,
    /// Distinct URLs left out by `[check] external_skip`.
    pub skipped: usize,
}

/// What fetching one URL found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// A 2xx answer (after any redirects).
    Ok,
    /// A 4xx or 5xx answer.
    Status(u16),
    /// No complete answer within the timeout.
    Timeout,
    /// The URL cannot be requested as written.
    Invalid(String),
    /// No answer: unknown host, refused connection, TLS failure, a redirect loop...
    Unreachable(String),
}

/// Counts for the report (`external` in the JSON output).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Summary {
    /// Distinct URLs fetched.
    pub urls: usize,
    /// Distinct URLs not fetched because of `[check] external_skip`.
    pub skipped: usize,
    /// Distinct URLs that failed.
    pub failed: usize,
}

/// Collects, fetches and reports: the whole of `haven check --external`.
pub fn check(
    site: &Site,
    content: &RenderedContent,
    skip: &[String],
    options: &Options,
) -> (Vec<Diagnostic>, Summary) {
    let plan = plan(collect(site, content), skip);
    let urls: Vec<&str> = plan.urls.iter().map(|(u, _)| u.as_str()).collect();
    let outcomes = fetch_all(&urls, options);
    report(&plan, &outcomes, options)
}

/// Every link to another site in the content, where it is written: Markdown links in page and
/// section bodies, and the `url` of each of a page's `[[sources]]`.
pub fn collect(site: &Site, content: &RenderedContent) -> Vec<(String, Use)> {
    let mut out = Vec::new();
    // A build that kept no lint facts found no link in the text (`check` keeps them).
    let no_facts = crate::render::ContentLints::default();
    let facts = content.lints.as_ref().unwrap_or(&no_facts);
    let pages = site.pages.enumerate();
    let pages = pages.filter(|(_, p)| !p.is_fallback()).map(|(i, p)| {
        (
            p.display.as_path(),
            &p.source,
            p.body_offset,
            &p.front.sources,
            facts.pages.get(i),
        )
    });
    let sections = site.sections.enumerate().map(|(i, s)| {
        (
            s.display.as_path(),
            &s.source,
            s.body_offset,
            &s.front.sources,
            facts.sections.get(i),
        )
    });
    for (display, source, body_offset, sources, rendered) in pages.chain(sections) {
        let file: Arc<Path> = Arc::from(display);
        // Front matter first, so uses come out in the order they are written.
        let mut from = 0;
        for url in sources.iter().filter_map(|s| s.url.as_deref()) {
            let url = url.trim();
            if !crate::markdown::links::is_external(url) {
                continue;
            }
            let front = &source[..body_offset.min(source.len())];
            let span = match front.get(from..).and_then(|rest| rest.find(url)) {
                Some(i) => {
                    from += i + url.len();
                    (from - url.len(), from)
                }
                None => (0, 0),
            };
            out.push((
                url.to_string(),
                Use {
                    file: file.clone(),
                    source: source.clone(),
                    span,
                },
            ));
        }
        let links = rendered.map_or(&[][..], |f| &f.external_links[..]);
        for (url, span) in links {
            out.push((
                url.clone(),
                Use {
                    file: file.clone(),
                    source: source.clone(),
                    span: *span,
                },
            ));
        }
    }
    out
}

/// Groups uses by URL (so each is fetched once) and leaves out the skipped ones. URLs that
/// differ only in their `#fragment` or the case of the scheme and host are one URL.
pub fn plan(links: Vec<(String, Use)>, skip: &[String]) -> Plan {
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut urls: Vec<(String, Vec<Use>)> = Vec::new();
    let mut skipped = std::collections::HashSet::new();
    for (url, at) in links {
        let Some(url) = normalize(&url) else {
            continue;
        };
        if is_skipped(&url, skip) {
            skipped.insert(url);
            continue;
        }
        match index.get(&url) {
            Some(&i) => urls[i].1.push(at),
            None => {
                index.insert(url.clone(), urls.len());
                urls.push((url, vec![at]));
            }
        }
    }
    Plan {
        urls,
        skipped: skipped.len(),
    }
}

/// The URL as it is requested: trimmed, `//host` as `https://host`, scheme and host in lower
/// case, no `#fragment` (it is never sent). `None` for anything but http(s).
pub fn normalize(url: &str) -> Option<String> {
    let url = url.trim();
    let url = url.split_once('#').map_or(url, |(u, _)| u);
    let (scheme, rest) = if let Some(rest) = url.strip_prefix("//") {
        ("https", rest)
    } else {
        let (scheme, rest) = url.split_once("://")?;
        (scheme, rest)
    };
    let scheme = scheme.to_ascii_lowercase();
    if scheme != "http" && scheme != "https" {
        return None;
    }
    Some(format!("{scheme}://{}", lower_host(rest)))
}

/// `Host.Example/Path` -> `host.example/Path`.
fn lower_host(rest: &str) -> String {
    let end = rest.find(['/', '?']).unwrap_or(rest.len());
    format!("{}{}", rest[..end].to_ascii_lowercase(), &rest[end..])
}

/// Whether `url` (normalized) starts with one of the `external_skip` prefixes. A prefix without a
/// scheme (`example.org/`) skips both http and https.
pub fn is_skipped(url: &str, skip: &[String]) -> bool {
    let without_scheme = url.split_once("://").map_or(url, |(_, r)| r);
    skip.iter().map(|p| p.trim()).any(|prefix| {
        if prefix.is_empty() {
            return false;
        }
        match normalize(prefix) {
            Some(p) if prefix.contains("://") => url.starts_with(&p),
            _ => without_scheme.starts_with(&lower_host(prefix.trim_start_matches('/'))),
        }
    })
}

/// The host of a normalized URL, for spreading requests across hosts.
fn host(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    rest.split(['/', '?']).next().unwrap_or(rest)
}

/// Indexes of `urls` in the order to fetch them: one per host in turn, so that a site linking
/// to one host many times does not send it every request at once.
fn polite_order(urls: &[&str]) -> Vec<usize> {
    let mut by_host: BTreeMap<&str, VecDeque<usize>> = BTreeMap::new();
    for (i, url) in urls.iter().enumerate() {
        by_host.entry(host(url)).or_default().push_back(i);
    }
    let mut order = Vec::with_capacity(urls.len());
    while order.len() < urls.len() {
        for queue in by_host.values_mut() {
            order.extend(queue.pop_front());
        }
    }
    order
}

/// Fetches every URL over HTTP(S), `options.jobs` at a time. Outcomes are in the order of `urls`.
pub fn fetch_all(urls: &[&str], options: &Options) -> Vec<Outcome> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(options.timeout))
        .max_redirects(MAX_REDIRECTS)
        .user_agent(USER_AGENT)
        .build()
        .into();
    run_pool(urls, options.jobs, |url| fetch(&agent, url))
}

/// Runs `fetch` over `urls` on a fixed pool of `jobs` threads (never more threads than URLs).
pub fn run_pool<F>(urls: &[&str], jobs: usize, fetch: F) -> Vec<Outcome>
where
    F: Fn(&str) -> Outcome + Sync,
{
    let order = polite_order(urls);
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<Outcome>>> = Mutex::new(vec![None; urls.len()]);
    std::thread::scope(|scope| {
        for _ in 0..jobs.clamp(1, urls.len().max(1)) {
            scope.spawn(|| {
                while let Some(&i) = order.get(next.fetch_add(1, Ordering::Relaxed)) {
                    let outcome = fetch(urls[i]);
                    results.lock().unwrap_or_else(|e| e.into_inner())[i] = Some(outcome);
                }
            });
        }
    });
    results
        .into_inner()
        .unwrap_or_else(|e| e.into_inner())
        .into_iter()
        .map(|o| o.unwrap_or_else(|| Outcome::Unreachable("not checked".into())))
        .collect()
}

/// HEAD, then GET when HEAD gets an error status: servers that do not do HEAD answer 405 or
/// 501, and some answer 403 or 404 to HEAD alone (bot filters, some CDNs), which would be false
/// alarms. Only the GET's answer counts. Redirects are followed; the body of a GET is never read.
fn fetch(agent: &ureq::Agent, url: &str) -> Outcome {
    match agent.head(url).call() {
        Ok(_) => Outcome::Ok,
        Err(ureq::Error::StatusCode(_)) => match agent.get(url).call() {
            Ok(_) => Outcome::Ok,
            Err(e) => outcome_of(e),
        },
        Err(e) => outcome_of(e),
    }
}

fn outcome_of(e: ureq::Error) -> Outcome {
    match e {
        ureq::Error::StatusCode(code) => Outcome::Status(code),
        ureq::Error::Timeout(_) => Outcome::Timeout,
        ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::TimedOut => Outcome::Timeout,
        ureq::Error::Io(io) => Outcome::Unreachable(io.to_string()),
        ureq::Error::HostNotFound => Outcome::Unreachable("the host was not found".into()),
        ureq::Error::TooManyRedirects => {
            Outcome::Unreachable(format!("more than {MAX_REDIRECTS} redirects"))
        }
        ureq::Error::BadUri(reason) => Outcome::Invalid(reason),
        ureq::Error::Http(e) => Outcome::Invalid(e.to_string()),
        other => Outcome::Unreachable(other.to_string()),
    }
}

/// A warning at every use of every URL that failed, sorted by file and place.
pub fn report(plan: &Plan, outcomes: &[Outcome], options: &Options) -> (Vec<Diagnostic>, Summary) {
    let mut diags = Vec::new();
    let mut failed = 0;
    for ((url, uses), outcome) in plan.urls.iter().zip(outcomes) {
        let Some((code, message, help)) = describe(url, outcome, options) else {
            continue;
        };
        failed += 1;
        for at in uses {
            diags.push(
                Diagnostic::warning(message.clone())
                    .with_code(code)
                    .in_file(at.file.to_path_buf())
                    .at(&at.source, at.span.0, at.span.1)
                    .with_help(help.clone()),
            );
        }
    }
    diags.sort_by(|a, b| (&a.file, a.span).cmp(&(&b.file, b.span)));
    let summary = Summary {
        urls: plan.urls.len(),
        skipped: plan.skipped,
        failed,
    };
    (diags, summary)
}

const MOVED: &str = "the page may have moved; update or remove the link";

/// The code, message and hint for a failed URL; `None` when it is fine.
fn describe(
    url: &str,
    outcome: &Outcome,
    options: &Options,
) -> Option<(&'static str, String, String)> {
    Some(match outcome {
        Outcome::Ok => return None,
        Outcome::Status(code) => {
            let reason = ureq::http::StatusCode::from_u16(*code)
                .ok()
                .and_then(|s| s.canonical_reason())
                .map_or(String::new(), |r| format!(" {r}"));
            let help = match code {
                401 | 403 | 429 => "some sites refuse automated checks: open the link in a browser; if it works there, add its prefix to [check] external_skip in haven.toml, otherwise update or remove the link".to_string(),
                _ => MOVED.to_string(),
            };
            (
                "external-broken",
                format!("link to {url} is broken: the server answered {code}{reason}"),
                help,
            )
        }
        Outcome::Timeout => (
            "external-timeout",
            format!(
                "link to {url} timed out: no answer within {} s",
                options.timeout.as_secs_f64()
            ),
            "the site may be slow or down: try again later or with a longer --external-timeout; if it stays unreachable, update or remove the link".to_string(),
        ),
        Outcome::Invalid(reason) => (
            "external-broken",
            format!("link to {url} is not a valid URL: {reason}"),
            "check the address for typos or spaces (write a space as %20)".to_string(),
        ),
        Outcome::Unreachable(reason) => (
            "external-unreachable",
            format!("link to {url} could not be reached: {reason}"),
            "the site may be down or the address mistyped; if it stays unreachable, update or remove the link".to_string(),
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(file: &str, start: usize) -> Use {
        Use {
            file: Arc::from(Path::new(file)),
            source: Arc::from("x".repeat(100).as_str()),
            span: (start, start + 1),
        }
    }

    #[test]
    fn urls_are_normalized_for_fetching() {
        assert_eq!(
            normalize(" HTTPS://WWW.Example.ORG/Path?q=A#Part ").as_deref(),
            Some("https://www.example.org/Path?q=A")
        );
        assert_eq!(
            normalize("//cdn.example/x").as_deref(),
            Some("https://cdn.example/x")
        );
        assert_eq!(normalize("http://a.org").as_deref(), Some("http://a.org"));
        assert_eq!(normalize("ftp://a.org/x"), None);
        assert_eq!(normalize("mailto:a@b.org"), None);
    }

    #[test]
    fn each_url_is_planned_once_with_every_use() {
        let links = vec![
            ("https://a.org/x#one".to_string(), at("content/a.md", 1)),
            ("https://b.org/".to_string(), at("content/a.md", 5)),
            ("HTTPS://A.org/x#two".to_string(), at("content/b.md", 7)),
            ("https://a.org/X".to_string(), at("content/b.md", 9)),
            (
                "https://skip.example/deep/page".to_string(),
                at("content/c.md", 2),
            ),
            (
                "https://skip.example/other".to_string(),
                at("content/c.md", 4),
            ),
            ("http://plain.example/a".to_string(), at("content/c.md", 6)),
            ("https://plain.example/a".to_string(), at("content/c.md", 8)),
            ("https://keep.example/".to_string(), at("content/c.md", 10)),
        ];
        let skip = vec![
            "https://Skip.Example/".to_string(),
            "plain.example/".to_string(),
            "  ".to_string(),
        ];
        let plan = plan(links, &skip);
        let urls: Vec<(&str, Vec<(String, usize)>)> = plan
            .urls
            .iter()
            .map(|(u, uses)| {
                (
                    u.as_str(),
                    uses.iter()
                        .map(|u| (u.file.display().to_string(), u.span.0))
                        .collect(),
                )
            })
            .collect();
        assert_eq!(
            urls,
            [
                (
                    "https://a.org/x",
                    vec![("content/a.md".into(), 1), ("content/b.md".into(), 7)]
                ),
                ("https://b.org/", vec![("content/a.md".into(), 5)]),
                // Paths are case-sensitive: another page.
                ("https://a.org/X", vec![("content/b.md".into(), 9)]),
                ("https://keep.example/", vec![("content/c.md".into(), 10)]),
            ]
        );
        // Two skip.example URLs and plain.example over http and https.
        assert_eq!(plan.skipped, 4);
    }

    #[test]
    fn skip_prefixes_match_from_the_start_only() {
        let skip = vec!["https://a.org/private/".to_string()];
        assert!(is_skipped("https://a.org/private/x", &skip));
        assert!(!is_skipped("http://a.org/private/x", &skip));
        assert!(!is_skipped("https://a.org/public/private/x", &skip));
        assert!(!is_skipped(
            "https://evil.example/https://a.org/private/",
            &skip
        ));
        assert!(!is_skipped("https://a.org/private/x", &[]));
    }

    #[test]
    fn requests_take_turns_between_hosts() {
        let urls = [
            "https://a.org/1",
            "https://a.org/2",
            "https://a.org/3",
            "https://b.org/1",
            "https://c.org/1",
            "https://b.org/2",
        ];
        let order: Vec<&str> = polite_order(&urls).into_iter().map(|i| urls[i]).collect();
        assert_eq!(
            order,
            [
                "https://a.org/1",
                "https://b.org/1",
                "https://c.org/1",
                "https://a.org/2",
                "https://b.org/2",
                "https://a.org/3",
            ]
        );
    }

    #[test]
    fn the_pool_keeps_its_bound_and_the_order_of_results() {
        let urls: Vec<String> = (0..12)
            .map(|i| format!("https://h{}.org/{i}", i % 3))
            .collect();
        let urls: Vec<&str> = urls.iter().map(String::as_str).collect();
        let running = AtomicUsize::new(0);
        let most = AtomicUsize::new(0);
        let outcomes = run_pool(&urls, 3, |url| {
            let now = running.fetch_add(1, Ordering::SeqCst) + 1;
            most.fetch_max(now, Ordering::SeqCst);
            std::thread::sleep(Duration::from_millis(30));
            running.fetch_sub(1, Ordering::SeqCst);
            Outcome::Unreachable(url.to_string())
        });
        assert_eq!(most.load(Ordering::SeqCst), 3);
        let back: Vec<String> = outcomes
            .into_iter()
            .map(|o| match o {
                Outcome::Unreachable(u) => u,
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(back, urls);
        assert!(run_pool(&[], 8, |_| Outcome::Ok).is_empty());
    }

    #[test]
    fn failures_are_reported_at_every_use() {
        let plan = Plan {
            urls: vec![
                (
                    "https://gone.example/".into(),
                    vec![at("content/b.md", 3), at("content/a.md", 9)],
                ),
                ("https://fine.example/".into(), vec![at("content/a.md", 1)]),
                ("https://slow.example/".into(), vec![at("content/a.md", 2)]),
                (
                    "https://nohost.example/".into(),
                    vec![at("content/a.md", 4)],
                ),
            ],
            skipped: 1,
        };
        let outcomes = [
            Outcome::Status(404),
            Outcome::Ok,
            Outcome::Timeout,
            Outcome::Unreachable("the host was not found".into()),
        ];
        let options = Options {
            timeout: Duration::from_secs(3),
            jobs: 2,
        };
        let (diags, summary) = report(&plan, &outcomes, &options);
        assert_eq!(
            summary,
            Summary {
                urls: 4,
                skipped: 1,
                failed: 3
            }
        );
        let shown: Vec<(String, &str, &str)> = diags
            .iter()
            .map(|d| (d.location(), d.code.unwrap(), d.message.as_str()))
            .collect();
        assert_eq!(
            shown,
            [
                (
                    "content/a.md:1:3".to_string(),
                    "external-timeout",
                    "link to https://slow.example/ timed out: no answer within 3 s"
                ),
                (
                    "content/a.md:1:5".to_string(),
                    "external-unreachable",
                    "link to https://nohost.example/ could not be reached: the host was not found"
                ),
                (
                    "content/a.md:1:10".to_string(),
                    "external-broken",
                    "link to https://gone.example/ is broken: the server answered 404 Not Found"
                ),
                (
                    "content/b.md:1:4".to_string(),
                    "external-broken",
                    "link to https://gone.example/ is broken: the server answered 404 Not Found"
                ),
            ]
        );
        assert!(diags.iter().all(|d| !d.is_error()));
        assert_eq!(diags[2].help.as_deref(), Some(MOVED));
    }
}
