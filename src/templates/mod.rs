//! tera templates: the theme's, with the site's own `templates/` overriding them file by file.
//! Autoescape is on for HTML and XML. Contexts are typed structs ([`context`]).

pub mod context;
pub mod deps;
mod filters;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Serialize;
use tera::Tera;

use crate::diagnostic::Diagnostic;
use crate::markdown::links::external_resources_in_html;
use crate::theme::Theme;

pub struct Templates {
    tera: Tera,
    /// Template name -> (path shown in messages, source text).
    sources: HashMap<String, (PathBuf, Arc<str>)>,
    /// Whether a function that reads something besides the context was registered.
    reads_outside_context: bool,
}

impl Templates {
    /// Loads the theme's templates, then the site's `templates/` over them.
    pub fn load(theme: &Theme, root: &Path) -> Result<Templates, Vec<Diagnostic>> {
        let mut sources: BTreeMap<String, (PathBuf, Arc<str>)> = BTreeMap::new();
        let mut errors = Vec::new();
        for (name, file) in theme.files_under("templates") {
            match String::from_utf8(file.bytes.clone()) {
                Ok(text) => {
                    sources.insert(name.to_string(), (file.display.clone(), Arc::from(text)));
                }
                Err(_) => errors
                    .push(Diagnostic::error("template is not valid UTF-8").in_file(&file.display)),
            }
        }
        let site_dir = root.join("templates");
        if site_dir.is_dir() {
            for entry in crate::discover::SiteWalk::new(&site_dir, root) {
                let entry = match entry {
                    Ok(e) => e,
                    Err(crate::discover::WalkError::Outside(d)) => {
                        errors.push(d);
                        continue;
                    }
                    Err(crate::discover::WalkError::Walk(e)) => {
                        errors.push(
                            Diagnostic::error(format!("could not read templates/: {e}"))
                                .in_file("templates"),
                        );
                        continue;
                    }
                };
                if !entry.file_type().is_file()
                    || crate::discover::is_ignored_name(&entry.file_name().to_string_lossy())
                {
                    continue;
                }
                let rel = entry
                    .path()
                    .strip_prefix(&site_dir)
                    .unwrap_or(entry.path())
                    .to_string_lossy()
                    .replace('\\', "/");
                let display = Path::new("templates").join(&rel);
                match std::fs::read_to_string(entry.path()) {
                    Ok(text) => {
                        sources.insert(rel, (display, Arc::from(text)));
                    }
                    Err(e) => errors.push(crate::diagnostic::io_error(&display, "read", &e)),
                }
            }
        }
        for (display, text) in sources.values() {
            errors.extend(third_party_references(display, text));
        }
        let mut tera = Tera::default();
        tera.autoescape_on(vec![".html", ".htm", ".xml"]);
        // Our escaper, not tera's, which also writes `/` as `&#x2F;` and so makes URLs unreadable.
        tera.set_escape_fn(crate::html::escape);
        filters::register(&mut tera);
        let raw: Vec<(String, String)> = sources
            .iter()
            .map(|(k, (_, t))| (k.clone(), t.to_string()))
            .collect();
        if let Err(e) = tera.add_raw_templates(raw) {
            errors.push(template_error(&e, &sources.clone().into_iter().collect()));
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Templates {
            tera,
            sources: sources.into_iter().collect(),
            reads_outside_context: false,
        })
    }

    /// Every template that uses one of `changed` (by extends, include or macro import,
    /// directly or not), `changed` included.
    pub fn dependents(
        &self,
        changed: &std::collections::BTreeSet<String>,
    ) -> std::collections::BTreeSet<String> {
        deps::dependents(&deps::direct(&self.tera), changed)
    }

    /// Every template another template uses (partials, parents, macro files).
    pub fn used_by_others(&self) -> std::collections::BTreeSet<String> {
        deps::direct(&self.tera).into_values().flatten().collect()
    }

    /// For each template, a hash of its source and of every template it uses (by extends,
    /// include or macro import, directly or not, a missing one counting as missing): what its
    /// output depends on besides its context. `None` when [`Templates::fingerprint`] is.
    pub fn closure_keys(&self) -> Option<HashMap<String, u64>> {
        use std::hash::{Hash, Hasher};
        self.fingerprint()?;
        let uses = deps::direct(&self.tera);
        let keys = self
            .sources
            .keys()
            .map(|name| {
                let mut all = std::collections::BTreeSet::from([name.as_str()]);
                let mut todo = vec![name.as_str()];
                while let Some(next) = todo.pop() {
                    for used in uses.get(next).into_iter().flatten() {
                        if all.insert(used.as_str()) {
                            todo.push(used.as_str());
                        }
                    }
                }
                let mut h = std::hash::DefaultHasher::new();
                for t in all {
                    (t, self.sources.get(t).map(|(_, s)| &**s)).hash(&mut h);
                }
                (name.clone(), h.finish())
            })
            .collect();
        Some(keys)
    }

    pub fn has(&self, name: &str) -> bool {
        self.sources.contains_key(name)
    }

    /// Renders `name` with a typed context.
    pub fn render<T: Serialize>(&self, name: &str, context: &T) -> Result<String, Diagnostic> {
        let ctx = tera::Context::from_serialize(context).map_err(|e| {
            Diagnostic::error(format!("could not prepare the data for {name}: {e}"))
        })?;
        self.tera
            .render(name, &ctx)
            .map_err(|e| template_error(&e, &self.sources))
    }

    /// Registers a tera function (used for `get_page`, `get_section`, `get_url`).
    pub fn register_function<F: tera::Function + 'static>(&mut self, name: &str, f: F) {
        self.tera.register_function(name, f);
        // It may read the site: a page's output no longer follows from its context alone.
        self.reads_outside_context = true;
    }

    /// A hash of every template's name and source, when a template's output follows from
    /// the context alone (the page cache, [`crate::render::page_cache`]); `None` when it may
    /// not: tera's `get_env` reads the environment, a registered function may read anything.
    pub fn fingerprint(&self) -> Option<u64> {
        use std::hash::{Hash, Hasher};
        if self.reads_outside_context || self.sources.values().any(|(_, s)| s.contains("get_env")) {
            return None;
        }
        let mut sources: Vec<(&String, &str)> = self
            .sources
            .iter()
            .map(|(name, (_, s))| (name, &**s))
            .collect();
        sources.sort_unstable();
        let mut h = std::hash::DefaultHasher::new();
        sources.hash(&mut h);
        Some(h.finish())
    }
}

/// A template that loads a script, style, font or image from another origin breaks privacy.
fn third_party_references(display: &Path, text: &Arc<str>) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    let mut searched = 0;
    for line in text.split_inclusive('\n') {
        for url in external_resources_in_html(line) {
            let at = searched + line.find(&url).unwrap_or(0);
            found.push(
                Diagnostic::error(format!("the template loads {url} from another site"))
                    .in_file(display)
                    .at(text, at, at + url.len())
                    .with_help("readers' privacy: ship the file in the theme's static/ folder and link it with a local path"),
            );
        }
        searched += line.len();
    }
    found
}

/// Turns a tera error into a diagnostic located in the template where tera says.
fn template_error(e: &tera::Error, sources: &HashMap<String, (PathBuf, Arc<str>)>) -> Diagnostic {
    let mut chain = vec![e.to_string()];
    let mut cause = std::error::Error::source(e);
    while let Some(c) = cause {
        chain.push(c.to_string());
        cause = c.source();
    }
    // tera names the template in quotes: "Failed to render 'page.html'".
    // The innermost template named is where the problem is (an include, not the page).
    let name = chain
        .iter()
        .flat_map(|m| m.split('\'').skip(1).step_by(2))
        .filter(|n| sources.contains_key(*n))
        .last()
        .map(str::to_string);
    let detail = chain.last().cloned().unwrap_or_default();
    let message = format!("template error: {}", chain.join(": ").replace('\n', " "));
    let message = if message.len() > 400 {
        format!("template error: {detail}")
    } else {
        message
    };
    let mut d = Diagnostic::error(message.trim().to_string());
    if let Some((display, text)) = name.as_ref().and_then(|n| sources.get(n)) {
        d = d.in_file(display);
        if let Some(at) = locate_in_template(&chain, text) {
            let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
            d = d.at(text, at, end);
        }
    }
    d.with_help(if detail.contains("not found in context") {
        "the template uses a variable this page does not have; check its name in docs/templates.md, or guard it with {% if x is defined %}"
    } else {
        "check the template syntax near the line shown: every {% if %} / {% for %} / {% block %} needs its matching end tag"
    })
}

/// Where in the template the error is: tera's ` --> L:C` for syntax errors, else the variable.
fn locate_in_template(chain: &[String], text: &str) -> Option<usize> {
    for msg in chain {
        if let Some(pos) = msg.find("--> ") {
            let rest = &msg[pos + 4..];
            let mut nums = rest
                .split(|c: char| !c.is_ascii_digit())
                .filter(|s| !s.is_empty());
            let line: usize = nums.next()?.parse().ok()?;
            let col: usize = nums.next()?.parse().ok()?;
            let start: usize = text
                .split_inclusive('\n')
                .take(line.saturating_sub(1))
                .map(str::len)
                .sum();
            return Some((start + col.saturating_sub(1)).min(text.len()));
        }
        if let Some(var) = msg
            .split("Variable `")
            .nth(1)
            .and_then(|r| r.split('`').next())
        {
            return text.find(var);
        }
    }
    None
}
