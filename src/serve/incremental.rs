//! The site kept in memory between edits, and the smallest rebuild for each change.
//!
//! | what changed | what is redone |
//! | --- | --- |
//! | `haven.toml`, the theme's `theme.toml`, `i18n/` or the theme's strings (they reach the Markdown: callouts, quizzes, scripts) | everything |
//! | the body of pages or sections in `content/` (front matter as it was) | the Markdown of those files; their pages; when the reading time or blocks changed, the pages that list them (section, neighbours, tags, home) and the collection pages |
//! | anything else in `content/` (front matter, new, deleted or renamed files, quizzes, assets) | everything (the model's order, links and URLs may all change) |
//! | `templates/`, the theme's templates | every page through the templates, without parsing Markdown again |
//! | `static/`, the theme's static files | the static files only |
//!
//! A rebuild that fails changes nothing: the last good site stays, and the failed changes are
//! tried again with the next batch, so fixing any file retries them all.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::config::Config;
use crate::diagnostic::{Diagnostic, Errors};
use crate::discover::is_ignored_name;
use crate::frontmatter;
use crate::markdown::Rendered;
use crate::model::{Site, Target};
use crate::output::{Contents, OutputFile};
use crate::pipeline::{self, BuildOptions, Built, Strings};
use crate::render::{self, RenderedContent, Shared};
use crate::templates::Templates;
use crate::templates::context::PageLink;
use crate::theme::Theme;

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
    /// Builds the index files as the build does ([`crate::search::index_files`]).
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
    pub warnings: Vec<Diagnostic>,
}

impl Outcome {
    /// Some files re-rendered in place (none removed): open pages reload.
    fn pages_patched(what: String, set: Vec<OutputFile>, warnings: Vec<Diagnostic>) -> Outcome {
        Outcome {
            what,
            elapsed: Duration::ZERO,
            update: Update::Patch {
                set,
                remove: Vec::new(),
            },
            reload: Reload::Page,
            warnings,
        }
    }
}

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

/// The last good build, kept for incremental rebuilds.
struct State {
    config: Config,
    theme: Theme,
    templates: Templates,
    strings: Strings,
    site: Site,
    content: RenderedContent,
    /// Parsed by the build: a change to a glossary file rebuilds everything.
    glossaries: crate::glossary::Glossaries,
    /// Paths of the files made from the model (not static files).
    generated: HashSet<String>,
    /// Paths of static files and content assets.
    statics: BTreeSet<String>,
    /// `content/` path -> page or section.
    by_file: HashMap<String, Target>,
    /// Every `content/` file the model holds (pages, sections, quizzes, glossary, assets).
    known: BTreeSet<String>,
    /// What lists show of each page, kept because counting every page's words is the slow part
    /// of preparing the templates' shared data.
    page_links: Vec<PageLink>,
    /// The search index lags behind body edits: [`Live::deferred`] brings it up to date.
    search_stale: bool,
}

impl State {
    fn from_built(built: Built, root: &Path) -> (State, Vec<OutputFile>, Vec<Diagnostic>) {
        let statics = static_paths(&built.theme, root, &built.site);
        let generated = built
            .files
            .iter()
            .map(|f| f.path.clone())
            .filter(|p| !statics.contains(p))
            .collect();
        let page_links = (0..built.site.pages.len())
            .map(|i| render::page_link(&built.site, &built.content, &built.config, i))
            .collect();
        let state = State {
            page_links,
            search_stale: false,
            by_file: index_files(&built.site),
            known: known_files(&built.site),
            config: built.config,
            theme: built.theme,
            templates: built.templates,
            strings: built.strings,
            site: built.site,
            content: built.content,
            glossaries: built.glossaries,
            generated,
            statics,
        };
        (state, built.files, built.warnings)
    }
}

/// The paths of static files (block assets, the theme's and the site's static files, content
/// assets): only their listing is read.
fn static_paths(theme: &Theme, root: &Path, site: &Site) -> BTreeSet<String> {
    pipeline::static_files(theme, root, site)
        .map(|files| files.into_iter().map(|f| f.path).collect())
        .unwrap_or_default()
}

fn known_files(site: &Site) -> BTreeSet<String> {
    let mut set: BTreeSet<String> = index_files(site).into_keys().collect();
    set.extend(site.assets.iter().map(|a| a.rel.clone()));
    set.extend(site.quiz_files.values().map(|q| q.file.rel.clone()));
    set.extend(site.glossaries.values().map(|g| g.file.rel.clone()));
    set
}

fn index_files(site: &Site) -> HashMap<String, Target> {
    let mut map = HashMap::new();
    // A fallback page shares its original's file: the file names the original.
    for (i, p) in site
        .pages
        .iter()
        .enumerate()
        .filter(|(_, p)| !p.is_fallback())
    {
        map.insert(p.file.rel.clone(), Target::Page(i));
    }
    for (i, s) in site.sections.iter().enumerate() {
        if let Some(f) = &s.file {
            map.insert(f.rel.clone(), Target::Section(i));
        }
    }
    map
}

/// The site being served: the last good build plus the changes not yet built.
pub struct Live {
    options: BuildOptions,
    /// The root as the watcher names it (absolute, symlinks resolved).
    canonical: PathBuf,
    state: Option<State>,
    /// Changes whose rebuild failed: tried again with the next batch.
    pending: BTreeSet<Change>,
    generation: u64,
}

impl Live {
    pub fn new(options: BuildOptions) -> Self {
        Live {
            canonical: options
                .root
                .canonicalize()
                .unwrap_or_else(|_| options.root.clone()),
            options,
            state: None,
            pending: BTreeSet::new(),
            generation: 0,
        }
    }

    pub fn root(&self) -> &Path {
        &self.options.root
    }

    /// The active theme and its parents (from the last good build): the `themes/` folders whose
    /// changes matter.
    pub fn theme_family(&self) -> Option<&[String]> {
        self.state.as_ref().map(|s| s.theme.family.as_slice())
    }

    /// Builds everything.
    pub fn full(&mut self) -> Result<Outcome, Errors> {
        let started = Instant::now();
        let built = pipeline::build_in_memory(&self.options)?;
        let pages = built.site.pages.len();
        let sections = built.site.sections.len();
        let (state, files, warnings) = State::from_built(built, &self.options.root);
        self.state = Some(state);
        self.pending.clear();
        self.generation += 1;
        Ok(Outcome {
            what: format!("everything ({pages} pages, {sections} sections)"),
            elapsed: started.elapsed(),
            update: Update::Replace(files),
            reload: Reload::Page,
            warnings,
        })
    }

    /// Work left after a body edit was served: the search index, made from every page's text
    /// (seconds on a large site, and not needed to show the edited page). The job is built
    /// here (it copies the pages' text); [`SearchJob::run`] does the slow part, on any thread.
    pub fn deferred(&mut self) -> Option<SearchJob> {
        let state = self.state.as_mut()?;
        if !std::mem::take(&mut state.search_stale) || !state.config.search.enabled {
            return None;
        }
        let langs = state
            .config
            .all_languages()
            .map(|lang| {
                (
                    lang.to_string(),
                    crate::search::index_path(lang)
                        .trim_start_matches('/')
                        .to_string(),
                    crate::search::documents(&state.site, &state.content, lang)
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
        self.state
            .as_ref()
            .is_some_and(|s| s.search_stale && s.config.search.enabled)
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
        let Some(state) = self.state.as_mut() else {
            return self.full();
        };
        if changes
            .iter()
            .any(|c| matches!(c, Change::Config | Change::ThemeManifest))
        {
            return self.full();
        }
        let content: Vec<&str> = changes
            .iter()
            .filter_map(|c| match c {
                Change::Content(rel) => Some(rel.as_str()),
                _ => None,
            })
            .collect();
        if !content.is_empty() {
            if content.len() < changes.len() {
                return self.full();
            }
            return match body_edits(state, &self.options.root, &content)? {
                Some(edits) if edits.is_empty() => Ok(nothing(Instant::now())),
                Some(edits) => rebuild_bodies(state, edits),
                None => self.full(),
            };
        }
        let templates = changes.iter().any(|c| matches!(c, Change::Templates(_)));
        let theme_changed = changes.iter().any(|c| match c {
            Change::Templates(p) | Change::Static(p) => p.starts_with("themes/"),
            _ => false,
        });
        if theme_changed {
            state.theme = Theme::load(&self.options.root, &state.config.theme)?;
        }
        if templates {
            // Template files by name (`partials/nav.html`); UI strings touch every page.
            let names: Option<BTreeSet<String>> = changes
                .iter()
                .filter_map(|c| match c {
                    Change::Templates(p) => Some(p),
                    _ => None,
                })
                .map(|p| p.split_once("templates/").map(|(_, name)| name.to_string()))
                .collect();
            let statics = changes.iter().any(|c| matches!(c, Change::Static(_)));
            match names {
                Some(names) if !statics => {
                    rebuild_template_users(state, &self.options.root, &names)
                }
                _ => rebuild_templates(state, &self.options.root),
            }
        } else {
            // A folder appearing with the stylesheet in it is no reason to reload.
            let css_only = changes.iter().all(|c| match c {
                Change::Static(p) => p.ends_with(".css") || self.options.root.join(p).is_dir(),
                _ => false,
            });
            rebuild_statics(state, &self.options.root, css_only)
        }
    }
}

fn nothing(started: Instant) -> Outcome {
    Outcome {
        what: "nothing (no file changed)".into(),
        elapsed: started.elapsed(),
        update: Update::None,
        reload: Reload::Nothing,
        warnings: Vec::new(),
    }
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

/// One page or section whose body changed and whose front matter did not.
struct BodyEdit {
    target: Target,
    source: Arc<str>,
    body_offset: usize,
}

/// The edits when every changed content file is an existing page or section whose front matter
/// is unchanged; `None` when a full rebuild is needed. Front matter that no longer parses is an
/// error, located as in a build.
fn body_edits(state: &State, root: &Path, rels: &[&str]) -> Result<Option<Vec<BodyEdit>>, Errors> {
    let mut edits = Vec::new();
    for rel in rels {
        let path = root.join("content").join(rel);
        let Some(&target) = state.by_file.get(*rel) else {
            // An editor's temporary file, written and renamed away within the burst, was never
            // part of the site. Anything else new (or a folder that held pages) changes the model.
            let under = format!("{rel}/");
            if !path.exists()
                && !state
                    .known
                    .iter()
                    .any(|k| k == rel || k.starts_with(&under))
            {
                continue;
            }
            return Ok(None);
        };
        let Ok(text) = std::fs::read_to_string(&path) else {
            // Deleted, renamed away, or no longer text: the model changes.
            return Ok(None);
        };
        let (old_source, old_front) = match target {
            Target::Page(i) => (&state.site.pages[i].source, &state.site.pages[i].front),
            Target::Section(i) => (
                &state.site.sections[i].source,
                &state.site.sections[i].front,
            ),
        };
        if **old_source == *text {
            continue;
        }
        // Its fallback pages show the same text: a full rebuild redoes them all.
        if let Target::Page(i) = target
            && state.site.pages.iter().any(|p| p.fallback_of == Some(i))
        {
            return Ok(None);
        }
        let display = Path::new("content").join(rel);
        let source: Arc<str> = Arc::from(text);
        let (front, body_offset) = {
            let split = frontmatter::split(&source, &source, &display)?;
            (
                frontmatter::parse(&split, &source, &display)?,
                split.body_offset,
            )
        };
        let same = serde_json::to_value(&front).ok() == serde_json::to_value(old_front).ok();
        if !same {
            return Ok(None);
        }
        edits.push(BodyEdit {
            target,
            source,
            body_offset,
        });
    }
    Ok(Some(edits))
}

/// Re-renders the edited pages' Markdown and the pages that show something of them.
fn rebuild_bodies(state: &mut State, edits: Vec<BodyEdit>) -> Result<Outcome, Errors> {
    // Keep what is replaced, to put it back if the edit does not build.
    let mut undo: Vec<Undo> = Vec::new();
    let result = apply_bodies(state, &edits, &mut undo);
    if result.is_err() {
        for Undo {
            target,
            source,
            offset,
            rendered,
            link,
        } in undo.into_iter().rev()
        {
            match target {
                Target::Page(i) => {
                    state.site.pages[i].source = source;
                    state.site.pages[i].body_offset = offset;
                    state.content.pages[i] = rendered;
                    if let Some(link) = link {
                        state.page_links[i] = link;
                    }
                }
                Target::Section(i) => {
                    state.site.sections[i].source = source;
                    state.site.sections[i].body_offset = offset;
                    state.content.sections[i] = rendered;
                }
            }
        }
    }
    result
}

/// What a body edit replaced.
struct Undo {
    target: Target,
    source: Arc<str>,
    offset: usize,
    rendered: Rendered,
    link: Option<PageLink>,
}

fn apply_bodies(
    state: &mut State,
    edits: &[BodyEdit],
    undo: &mut Vec<Undo>,
) -> Result<Outcome, Errors> {
    let mut diags = Vec::new();
    let mut listed_changed: Vec<usize> = Vec::new();
    let mut blocks_changed = false;
    for edit in edits {
        let (source, offset) = match edit.target {
            Target::Page(i) => {
                let p = &mut state.site.pages[i];
                (
                    std::mem::replace(&mut p.source, edit.source.clone()),
                    std::mem::replace(&mut p.body_offset, edit.body_offset),
                )
            }
            Target::Section(i) => {
                let s = &mut state.site.sections[i];
                (
                    std::mem::replace(&mut s.source, edit.source.clone()),
                    std::mem::replace(&mut s.body_offset, edit.body_offset),
                )
            }
        };
        let (rendered, d) =
            render::render_markdown(&state.site, &state.config, &state.glossaries, edit.target);
        diags.extend(d);
        let slot = match edit.target {
            Target::Page(i) => &mut state.content.pages[i],
            Target::Section(i) => &mut state.content.sections[i],
        };
        let old = std::mem::replace(slot, rendered);
        blocks_changed |= !old.blocks.is_empty() || !slot.blocks.is_empty();
        let link = match edit.target {
            Target::Page(i) => {
                let new = render::page_link(&state.site, &state.content, &state.config, i);
                if new.reading_time != state.page_links[i].reading_time {
                    listed_changed.push(i);
                }
                Some(std::mem::replace(&mut state.page_links[i], new))
            }
            Target::Section(_) => None,
        };
        undo.push(Undo {
            target: edit.target,
            source,
            offset,
            rendered: old,
            link,
        });
    }
    diags.extend(render::check_content(&state.site, &state.content));
    let warnings = pipeline::fail_if_errors(diags)?;

    // What to render again: the edited files, and what lists a page whose reading time changed.
    let site = &state.site;
    let mut pages: BTreeSet<usize> = BTreeSet::new();
    let mut sections: BTreeSet<usize> = BTreeSet::new();
    let mut tags: BTreeSet<usize> = BTreeSet::new();
    for e in edits {
        match e.target {
            Target::Page(i) => pages.insert(i),
            Target::Section(i) => sections.insert(i),
        };
    }
    for &i in &listed_changed {
        let page = &site.pages[i];
        sections.insert(page.section);
        let (prev, next) = site.prev_next(i);
        pages.extend(prev);
        pages.extend(next);
        tags.extend(
            site.tags
                .iter()
                .enumerate()
                .filter(|(_, t)| t.pages.contains(&i))
                .map(|(n, _)| n),
        );
        if page
            .front
            .extra
            .get("featured")
            .and_then(serde_json::Value::as_bool)
            == Some(true)
        {
            sections.extend(site.home(&page.file.lang));
        }
    }

    let links = std::mem::take(&mut state.page_links);
    let shared = Shared::with_page_links(site, &state.config, state.strings.clone(), links);
    let templates = &state.templates;
    let (mut set, mut errors) =
        render_pages_and_sections(site, &state.content, &shared, templates, &pages, &sections);
    if templates.has("taxonomy_single.html") {
        for &t in &tags {
            let tag = &site.tags[t];
            match render::render_tag(&shared, templates, tag) {
                Ok(html) => set.push(OutputFile::html(&tag.path, html)),
                Err(d) => errors.push(d),
            }
        }
    }
    let mut collections = 0;
    if blocks_changed {
        let pages = crate::collections::pages(site, &state.content, &shared);
        let (files, diags) = render::render_collections(&pages, &shared, templates);
        collections = files.len();
        set.extend(files);
        errors.extend(diags);
    }
    // A handout prints the article's body, and the handout list its page count.
    let mut handouts = 0;
    if edits.iter().any(|e| match e.target {
        Target::Page(i) => crate::handout::is_handout(&site.pages[i], &state.config),
        Target::Section(_) => false,
    }) {
        let (files, diags) = crate::handout::files(site, &state.content, &shared, templates);
        handouts = files.len();
        set.extend(files);
        errors.extend(diags);
    }
    // The links go back before anything can fail.
    state.page_links = shared.page_links;
    state.search_stale = true;
    let mut warnings = warnings;
    warnings.extend(pipeline::fail_if_errors(errors)?);

    let names: Vec<String> = edits
        .iter()
        .map(|e| match e.target {
            Target::Page(i) => site.pages[i].display.display().to_string(),
            Target::Section(i) => site.sections[i].display.display().to_string(),
        })
        .collect();
    let listing = sections.len() + tags.len() + pages.len() + collections - edits.len();
    let what = format!(
        "{} ({} page{}{}{})",
        names.join(", "),
        edits.len(),
        if edits.len() == 1 { "" } else { "s" },
        if listing > 0 {
            format!(" + {listing} that list it")
        } else {
            String::new()
        },
        if handouts > 0 {
            format!(" + {handouts} handout files")
        } else {
            String::new()
        }
    );
    Ok(Outcome::pages_patched(what, set, warnings))
}

/// Pages `pages` and sections `sections` through their templates again.
fn render_pages_and_sections<'p>(
    site: &Site,
    content: &RenderedContent,
    shared: &Shared,
    templates: &Templates,
    pages: impl IntoIterator<Item = &'p usize>,
    sections: impl IntoIterator<Item = &'p usize>,
) -> (Vec<OutputFile>, Vec<Diagnostic>) {
    let mut set = Vec::new();
    let mut errors = Vec::new();
    let mut emit = |path: &str, r: Result<String, Diagnostic>| match r {
        Ok(html) => set.push(OutputFile::html(path, html)),
        Err(d) => errors.push(d),
    };
    for &i in pages {
        emit(
            &site.pages[i].path,
            render::render_page(site, content, shared, templates, i),
        );
    }
    for &i in sections {
        emit(
            &site.sections[i].path,
            render::render_section(site, content, shared, templates, i),
        );
    }
    (set, errors)
}

mod templates;
use templates::{rebuild_statics, rebuild_template_users, rebuild_templates};

#[cfg(test)]
mod tests;
