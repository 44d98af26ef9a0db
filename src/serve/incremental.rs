//! The site kept in memory between edits, rebuilt through the build's own stages
//! ([`crate::pipeline::incremental`]): the same keys as `haven build`'s decide which pages'
//! Markdown and which pages' HTML are made again, and only the files whose contents changed are
//! served anew. Here: which inputs a changed path belongs to, what the browser is told, and the
//! search index, made once the author pauses.
//!
//! A rebuild that fails changes nothing: the last good site stays, and the failed changes are
//! tried again with the next batch, so fixing any file retries them all.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::diagnostic::{Diagnostic, Errors};
use crate::discover::is_ignored_name;
use crate::model::Target;
use crate::output::{Contents, OutputFile};
use crate::pipeline::BuildOptions;
use crate::pipeline::incremental::{Changed, Made, Memory};

/// A file served from memory, or copied from disk when asked for (static files and assets).
#[derive(Debug, Clone)]
pub enum Body {
    Bytes(Arc<[u8]>),
    File(PathBuf),
}

impl From<Contents> for Body {
    fn from(c: Contents) -> Self {
        match c {
            Contents::Bytes(b) => Body::Bytes(Arc::from(b)),
            Contents::Copy(p) => Body::File(p),
        }
    }
}

/// The files of the site being served, by path inside the output (`a/index.html`).
#[derive(Debug, Default)]
pub struct Files {
    pub map: HashMap<String, Body>,
}

impl Files {
    pub fn apply(&mut self, update: Update) {
        match update {
            Update::Replace(files) => {
                self.map = files
                    .into_iter()
                    .map(|f| (f.path, Body::from(f.contents)))
                    .collect();
            }
            Update::Patch { set, remove } => {
                for path in remove {
                    self.map.remove(&path);
                }
                for f in set {
                    self.map.insert(f.path, Body::from(f.contents));
                }
            }
            Update::ReplaceUnder { folders, set } => {
                self.map
                    .retain(|path, _| !folders.iter().any(|f| path.starts_with(f.as_str())));
                for f in set {
                    self.map.insert(f.path, Body::from(f.contents));
                }
            }
            Update::None => {}
        }
    }
}

/// The search index of every language, from the pages' text at one generation.
pub struct SearchJob {
    pub generation: u64,
    /// (language, index folder inside the output, documents)
    langs: Vec<(String, String, Vec<crate::search::index::OwnedDocument>)>,
}

impl SearchJob {
    /// Builds the index files as the build does ([`crate::search_page::index_files`]).
    pub fn run(self) -> Outcome {
        let started = Instant::now();
        let limits = crate::search::Limits::default();
        let mut set = Vec::new();
        let mut folders = Vec::new();
        for (lang, folder, docs) in self.langs {
            let docs: Vec<_> = docs.iter().map(|d| d.borrow()).collect();
            for (rel, text) in crate::search::index::build(&lang, &docs, &limits) {
                set.push(OutputFile::bytes(
                    format!("{folder}{rel}"),
                    text.into_bytes(),
                ));
            }
            folders.push(folder);
        }
        Outcome {
            what: format!("the search index ({} files)", set.len()),
            elapsed: started.elapsed(),
            update: Update::ReplaceUnder { folders, set },
            reload: Reload::Nothing,
            pages: None,
            generated: Default::default(),
            warnings: Vec::new(),
        }
    }
}

/// How the served files change after a rebuild.
#[derive(Debug)]
pub enum Update {
    /// The whole site.
    Replace(Vec<OutputFile>),
    /// Some files set, some removed.
    Patch {
        set: Vec<OutputFile>,
        remove: Vec<String>,
    },
    /// Every file under these folders replaced by `set` (the search index).
    ReplaceUnder {
        folders: Vec<String>,
        set: Vec<OutputFile>,
    },
    None,
}

/// What an open browser should do after a rebuild.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reload {
    /// Reload the page.
    Page,
    /// Only stylesheets changed: swap them in place.
    Css,
    /// Nothing visible changed.
    Nothing,
}

/// A successful rebuild.
#[derive(Debug)]
pub struct Outcome {
    /// What was redone, for the terminal: `1 page (content/a.md)`.
    pub what: String,
    pub elapsed: Duration,
    pub update: Update,
    pub reload: Reload,
    /// With [`Reload::Page`]: the HTML files that changed, when nothing else did (and they are
    /// not too many to list): open pages showing another file stay as they are. `None`: every
    /// open page reloads.
    pub pages: Option<Vec<String>>,
    /// Generated files (collections, handouts, feeds, sitemap...) kept as they were, and made
    /// again; nothing for a whole build.
    pub generated: crate::render::generated::Counts,
    pub warnings: Vec<Diagnostic>,
}

/// Past this many changed pages, every open page reloads (the list is sent to each of them).
const MAX_LISTED_PAGES: usize = 200;

/// Where a changed path sits in the site.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Change {
    Config,
    ThemeManifest,
    Templates(String),
    Static(String),
    /// Path relative to `content/`.
    Content(String),
}

/// The site being served: the last good build plus the changes not yet built.
pub struct Live {
    options: BuildOptions,
    /// The root as the watcher names it (absolute, symlinks resolved).
    canonical: PathBuf,
    memory: Option<Memory>,
    /// Changes whose rebuild failed: tried again with the next batch.
    pending: BTreeSet<Change>,
    generation: u64,
    /// The search index lags behind edits of pages' text: [`Live::deferred`] brings it up to
    /// date.
    search_stale: bool,
}

impl Live {
    pub fn new(options: BuildOptions) -> Self {
        Live {
            canonical: options
                .root
                .canonicalize()
                .unwrap_or_else(|_| options.root.clone()),
            options,
            memory: None,
            pending: BTreeSet::new(),
            generation: 0,
            search_stale: false,
        }
    }

    pub fn root(&self) -> &Path {
        &self.options.root
    }

    /// The active theme and its parents (from the last good build): the `themes/` folders whose
    /// changes matter.
    pub fn theme_family(&self) -> Option<&[String]> {
        self.memory.as_ref().map(|m| m.theme.family.as_slice())
    }

    /// Builds everything.
    pub fn full(&mut self) -> Result<Outcome, Errors> {
        let started = Instant::now();
        let (memory, files, warnings) = Memory::build(&self.options)?;
        let what = everything(&memory);
        self.memory = Some(memory);
        self.pending.clear();
        self.search_stale = false;
        self.generation += 1;
        Ok(Outcome {
            what,
            elapsed: started.elapsed(),
            update: Update::Replace(files),
            reload: Reload::Page,
            pages: None,
            generated: Default::default(),
            warnings,
        })
    }

    /// Work left after an edit was served: the search index, made from every page's text
    /// (seconds on a large site, and not needed to show the edited page). The job is built
    /// here (it copies the pages' text); [`SearchJob::run`] does the slow part, on any thread.
    pub fn deferred(&mut self) -> Option<SearchJob> {
        if !self.has_deferred() {
            return None;
        }
        self.search_stale = false;
        let memory = self.memory.as_ref()?;
        let langs = memory
            .config
            .all_languages()
            .zip(crate::pipeline::incremental::search_folders(&memory.config))
            .map(|(lang, folder)| {
                (
                    lang.to_string(),
                    folder,
                    crate::search_page::documents(&memory.site, &memory.content, lang)
                        .iter()
                        .map(crate::search::index::OwnedDocument::new)
                        .collect(),
                )
            })
            .collect();
        Some(SearchJob {
            generation: self.generation,
            langs,
        })
    }

    /// Whether [`Live::deferred`] has work.
    pub fn has_deferred(&self) -> bool {
        self.search_stale
            && self
                .memory
                .as_ref()
                .is_some_and(|m| m.config.search.enabled)
    }

    /// Counts the rebuilds that changed the site: a [`SearchJob`] from an older one is stale.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// Rebuilds what `paths` (absolute, or relative to the root) affect; `None` when none of
    /// them is part of the site.
    pub fn apply(&mut self, paths: &[PathBuf]) -> Option<Result<Outcome, Errors>> {
        let started = Instant::now();
        let family = self.theme_family().map(<[String]>::to_vec);
        let mut changes: BTreeSet<Change> = paths
            .iter()
            .filter_map(|p| {
                let rel = p
                    .strip_prefix(&self.canonical)
                    .or_else(|_| p.strip_prefix(&self.options.root))
                    .unwrap_or(p);
                classify(rel, family.as_deref())
            })
            .collect();
        if changes.is_empty() {
            return None;
        }
        changes.extend(std::mem::take(&mut self.pending));
        let result = self.rebuild(&changes);
        let result = result.map(|mut o| {
            o.elapsed = started.elapsed();
            o
        });
        match &result {
            Err(_) => self.pending = changes,
            Ok(o) if !matches!(o.update, Update::None) => self.generation += 1,
            Ok(_) => {}
        }
        Some(result)
    }

    fn rebuild(&mut self, changes: &BTreeSet<Change>) -> Result<Outcome, Errors> {
        let Some(memory) = self.memory.as_mut() else {
            return self.full();
        };
        let in_theme = |p: &String| p.starts_with("themes/");
        let changed = Changed {
            config: changes
                .iter()
                .any(|c| matches!(c, Change::Config | Change::ThemeManifest)),
            theme: changes.iter().any(|c| match c {
                Change::Templates(p) | Change::Static(p) => in_theme(p),
                _ => false,
            }),
            templates: changes.iter().any(|c| matches!(c, Change::Templates(_))),
            content: changes
                .iter()
                .filter_map(|c| match c {
                    Change::Content(rel) => Some(rel.clone()),
                    _ => None,
                })
                .collect(),
        };
        let made = memory.rebuild(&self.options, &changed)?;
        let what = describe(memory, changes, &made);
        if made.everything || made.whole {
            // Built whole, the search index included.
            self.search_stale = false;
            return Ok(Outcome {
                what,
                elapsed: Duration::ZERO,
                update: Update::Replace(made.set),
                reload: Reload::Page,
                pages: None,
                generated: made.generated,
                warnings: made.warnings,
            });
        }
        self.search_stale |= !made.rendered.is_empty();
        let reload = if made.set.is_empty() && made.remove.is_empty() {
            Reload::Nothing
        } else if made
            .set
            .iter()
            .map(|f| f.path.as_str())
            .chain(made.remove.iter().map(String::as_str))
            .all(|p| p.ends_with(".css"))
        {
            Reload::Css
        } else {
            Reload::Page
        };
        // The output says which files changed: when they are all pages, only those reload.
        let changed: Vec<&str> = made
            .set
            .iter()
            .map(|f| f.path.as_str())
            .chain(made.remove.iter().map(String::as_str))
            .collect();
        let pages = (reload == Reload::Page
            && changed.len() <= MAX_LISTED_PAGES
            && changed.iter().all(|p| p.ends_with(".html")))
        .then(|| changed.iter().map(|p| p.to_string()).collect());
        let update = if reload == Reload::Nothing {
            Update::None
        } else {
            Update::Patch {
                set: made.set,
                remove: made.remove,
            }
        };
        Ok(Outcome {
            what,
            elapsed: Duration::ZERO,
            update,
            reload,
            pages,
            generated: made.generated,
            warnings: made.warnings,
        })
    }
}

fn everything(memory: &Memory) -> String {
    format!(
        "everything ({} pages, {} sections)",
        memory.site.pages.len(),
        memory.site.sections.len()
    )
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// What a rebuild redid, for the terminal: `content/a.md (1 page + 2 that list it)`.
fn describe(memory: &Memory, changes: &BTreeSet<Change>, made: &Made) -> String {
    if made.everything || made.whole {
        return everything(memory);
    }
    if made.set.is_empty() && made.remove.is_empty() {
        return "nothing (no file changed)".into();
    }
    let site = &memory.site;
    let own: BTreeSet<String> = made
        .rendered
        .iter()
        .map(|&t| {
            OutputFile::html_path(match t {
                Target::Page(i) => &site.pages[i].path,
                Target::Section(i) => &site.sections[i].path,
            })
        })
        .collect();
    let changed = made.set.len() + made.remove.len();
    let handouts = made
        .set
        .iter()
        .filter(|f| f.path.starts_with("handouts/"))
        .count();
    let own_changed = made.set.iter().filter(|f| own.contains(&f.path)).count();
    let listing = made.set.len() - own_changed - handouts;
    let content = changes.iter().any(|c| matches!(c, Change::Content(_)));
    if content && !made.rendered.is_empty() {
        let names: Vec<String> = made
            .rendered
            .iter()
            .map(|&t| match t {
                Target::Page(i) => site.pages[i].display.display().to_string(),
                Target::Section(i) => site.sections[i].display.display().to_string(),
            })
            .collect();
        let shown = if names.len() > 3 {
            format!("{} and {} more", names[..3].join(", "), names.len() - 3)
        } else {
            names.join(", ")
        };
        let mut what = format!("{shown} ({}", plural(names.len(), "page", "pages"));
        if listing > 0 {
            what.push_str(&format!(" + {listing} that list it"));
        }
        if handouts > 0 {
            what.push_str(&format!(" + {handouts} handout files"));
        }
        what.push(')');
        return what;
    }
    let templates: Vec<&str> = changes
        .iter()
        .filter_map(|c| match c {
            Change::Templates(p) => {
                Some(p.rsplit_once("templates/").map_or(p.as_str(), |(_, n)| n))
            }
            _ => None,
        })
        .collect();
    if !templates.is_empty() {
        return format!(
            "templates {}: {} changed",
            templates.join(", "),
            plural(changed, "file", "files")
        );
    }
    format!(
        "{} ({})",
        if content { "content" } else { "static files" },
        plural(changed, "file changed", "files changed")
    )
}

/// Sorts a changed path into the part of the site it belongs to; `None` for paths serve ignores
/// (the output folder, editors' temporary files, other themes...).
fn classify(rel: &Path, theme_family: Option<&[String]>) -> Option<Change> {
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts.iter().any(|p| is_ignored_name(p)) {
        return None;
    }
    let rest = || parts[1..].join("/");
    match parts.first().map(String::as_str)? {
        "haven.toml" if parts.len() == 1 => Some(Change::Config),
        "content" if parts.len() > 1 => Some(Change::Content(rest())),
        // A whole folder created, removed or renamed.
        "content" => Some(Change::Config),
        "templates" => Some(Change::Templates(parts.join("/"))),
        // UI strings reach the Markdown too (callouts, quizzes, scripts): everything again.
        "i18n" => Some(Change::Config),
        "static" => Some(Change::Static(parts.join("/"))),
        "themes" => {
            let name = parts.get(1)?;
            if theme_family.is_some_and(|family| !family.contains(name)) {
                return None;
            }
            match parts.get(2).map(String::as_str) {
                Some("static") => Some(Change::Static(parts.join("/"))),
                Some("templates") => Some(Change::Templates(parts.join("/"))),
                Some("i18n") => Some(Change::Config),
                _ => Some(Change::ThemeManifest),
            }
        }
        _ => None,
    }
}

#[cfg(test)]
#[path = "incremental_tests.rs"]
mod tests;
