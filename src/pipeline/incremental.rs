//! Rebuilding a site kept in memory (`haven serve`): the build's stages run again over the inputs
//! that changed, and the same keys as `haven build`'s decide what is redone. The Markdown of a
//! page is rendered again when its key ([`render::cache::Keys`]) changed; a page, section or tag
//! page goes through its template again when its key ([`render::page_cache`]) changed; a unit of
//! generated files (a handout, the quiz pages, the sitemap...) is made again when its key
//! ([`render::generated`]) changed; static files are listed again; every file made is compared
//! with what is served. The result is the files whose
//! contents changed and the paths no longer made: nothing else is sent, and open pages reload
//! only when something changed.
//!
//! Inputs are loaded again only when they changed: the config and the theme's manifest (then
//! everything is built again), the theme's files, templates and UI strings, and `content/`. A
//! content change that only edits the text of existing pages and sections (their front matter
//! as it was) patches their source into the model; any other (front matter, new, deleted or
//! renamed files, quiz files, the glossary, assets) reads the model again. Either way, the keys
//! decide what is rendered again: a front matter edit changes the key every page shares.
//!
//! The search index is made apart from this (it needs every page's text, which takes seconds on
//! a big site): `serve` makes it once the author pauses.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;
use std::sync::{Arc, Mutex};

use rayon::prelude::*;

use super::{BuildOptions, Strings, fail_if_errors, load_site, load_strings};
use crate::config::Config;
use crate::diagnostic::{Diagnostic, Errors};
use crate::model::{IdVec, PageId, Site, Target};
use crate::output::{Contents, OutputFile, Sink};
use crate::render::cache::Keys;
use crate::render::generated::{self, Generated};
use crate::render::page_cache::{Entries, PageCache};
use crate::render::{self, RenderedContent, Shared};
use crate::templates::Templates;
use crate::templates::context::PageLink;
use crate::theme::Theme;

/// Which inputs changed since the last build.
#[derive(Debug, Clone, Default)]
pub struct Changed {
    /// `haven.toml` or the theme's manifest: everything is loaded again.
    pub config: bool,
    /// A file of the active theme (templates, strings, static files): the theme is loaded again.
    pub theme: bool,
    /// Templates or UI strings (the site's or the theme's).
    pub templates: bool,
    /// Files and folders under `content/`, relative to it.
    pub content: Vec<String>,
}

/// The last good build, in memory.
pub struct Memory {
    pub config: Config,
    pub theme: Theme,
    pub templates: Templates,
    pub strings: Strings,
    pub site: Site,
    pub content: RenderedContent,
    /// The Markdown keys of `content`; `None` when the running binary cannot be told apart
    /// from another (nothing is reused then).
    keys: Option<Keys>,
    /// What lists show of each page: made again only for pages whose Markdown was.
    page_links: IdVec<PageId, PageLink>,
    /// The page cache's entries.
    pages: Entries,
    /// The generated-files cache's units.
    generated: generated::Entries,
    /// Every file made, by path: the hash of its contents.
    files: HashMap<String, u64>,
    /// `content/` path -> page or section.
    by_file: HashMap<String, Target>,
    /// Every `content/` file the model holds (pages, sections, quizzes, glossary, assets).
    known: BTreeSet<String>,
}

/// What a rebuild changed.
#[derive(Debug)]
pub struct Made {
    /// The files whose contents changed (or that are new).
    pub set: Vec<OutputFile>,
    /// The paths no longer made.
    pub remove: Vec<String>,
    /// Pages and sections whose Markdown was rendered again.
    pub rendered: Vec<Target>,
    /// Whether everything was built again (the config or the theme's manifest changed).
    pub everything: bool,
    /// Whether `set` holds every file of the site, the search index's included (the model was
    /// read again and no file could be kept), so it replaces what is served.
    pub whole: bool,
    /// Generated files (collections, handouts, feeds, sitemap...) kept, and made again.
    pub generated: generated::Counts,
    pub warnings: Vec<Diagnostic>,
}

/// The hash of a file's contents; for a file copied from disk, of where it comes from, its
/// length and time of change (as the output does).
fn file_hash(file: &OutputFile) -> u64 {
    match &file.contents {
        Contents::Bytes(b) => crate::output::content_hash(b),
        Contents::Copy(from) => std::fs::metadata(from)
            .map(|meta| crate::output::source_hash(from, &meta))
            .unwrap_or(0),
    }
}

/// The folders of the search index (made apart, see the module's comment).
pub fn search_folders(config: &Config) -> Vec<String> {
    config
        .all_languages()
        .map(|lang| {
            crate::search::index_path(lang)
                .trim_start_matches('/')
                .to_string()
        })
        .collect()
}

fn is_search_file(folders: &[String], path: &str) -> bool {
    folders.iter().any(|f| path.starts_with(f.as_str()))
}

/// An output that keeps what is served unchanged and collects what changed.
struct Diff<'a> {
    served: &'a HashMap<String, u64>,
    made: Mutex<Vec<(String, u64)>>,
    changed: Mutex<Vec<OutputFile>>,
    /// Files made as they are served, when every file is wanted (else dropped).
    same: Option<Mutex<Vec<OutputFile>>>,
    kept_any: std::sync::atomic::AtomicBool,
}

impl Sink for Diff<'_> {
    fn put(&self, file: OutputFile) -> Result<(), Diagnostic> {
        let hash = file_hash(&file);
        self.made
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((file.path.clone(), hash));
        if self.served.get(&file.path) != Some(&hash) {
            self.changed
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(file);
        } else if let Some(same) = &self.same {
            same.lock().unwrap_or_else(|e| e.into_inner()).push(file);
        }
        Ok(())
    }

    fn keep(&self, path: &str, hash: u64) -> bool {
        if self.served.get(path) != Some(&hash) {
            return false;
        }
        self.made
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((path.to_string(), hash));
        self.kept_any
            .store(true, std::sync::atomic::Ordering::Relaxed);
        true
    }
}

fn index_files(site: &Site) -> HashMap<String, Target> {
    let mut map = HashMap::new();
    // A fallback page shares its original's file: the file names the original.
    for (i, p) in site.pages.enumerate().filter(|(_, p)| !p.is_fallback()) {
        map.insert(p.file.rel.clone(), Target::Page(i));
    }
    for (i, s) in site.sections.enumerate() {
        if let Some(f) = &s.file {
            map.insert(f.rel.clone(), Target::Section(i));
        }
    }
    map
}

fn known_files(site: &Site) -> BTreeSet<String> {
    let mut set: BTreeSet<String> = index_files(site).into_keys().collect();
    set.extend(site.assets.iter().map(|a| a.rel.clone()));
    set.extend(site.quiz_files.values().map(|q| q.file.rel.clone()));
    set.extend(site.glossaries.values().map(|g| g.file.rel.clone()));
    set
}

/// A page or section whose text changed and whose front matter did not.
struct TextEdit {
    target: Target,
    source: Arc<str>,
    body_offset: usize,
}

/// What a failed rebuild puts back.
#[derive(Default)]
struct Undo {
    sources: Vec<(Target, Arc<str>, usize)>,
    /// Each page's Markdown, prose and link facts as they were.
    rendered: Vec<(Target, render::Again)>,
}

impl Memory {
    /// Builds everything (as [`super::build_in_memory`]), keeping what the next rebuild needs.
    /// Returns the files, the search index's included.
    pub fn build(
        options: &BuildOptions,
    ) -> Result<(Memory, Vec<OutputFile>, Vec<Diagnostic>), Errors> {
        let built = super::build_in_memory(options, super::load_config(options)?)?;
        let (keys, pages, generated) = match built.memory {
            Some((k, e, g)) => (Some(k), e, g),
            None => (None, Entries::new(), generated::Entries::new()),
        };
        let page_links = built
            .site
            .pages
            .ids()
            .map(|i| render::page_link(&built.site, &built.content, &built.config, i))
            .collect();
        let memory = Memory {
            files: built
                .files
                .iter()
                .map(|f| (f.path.clone(), file_hash(f)))
                .collect(),
            by_file: index_files(&built.site),
            known: known_files(&built.site),
            config: built.config,
            theme: built.theme,
            templates: built.templates,
            strings: built.strings,
            site: built.site,
            content: built.content,
            keys,
            page_links,
            pages,
            generated,
        };
        Ok((memory, built.files, built.warnings))
    }

    /// Rebuilds after `changed`; on an error, the memory is as it was.
    pub fn rebuild(&mut self, options: &BuildOptions, changed: &Changed) -> Result<Made, Errors> {
        if changed.config {
            return self.rebuild_everything(options);
        }
        let root = &options.root;
        let theme = changed
            .theme
            .then(|| Theme::load(root, &self.config.theme))
            .transpose()?;
        let theme_now = theme.as_ref().unwrap_or(&self.theme);
        let (templates, strings) = if changed.templates || changed.theme {
            (
                Some(Templates::load(theme_now, root).map_err(Errors)?),
                Some(load_strings(theme_now, root, &self.config)?),
            )
        } else {
            (None, None)
        };
        let edits = self.text_edits(root, &changed.content)?;
        let site = match edits {
            Some(_) => None,
            None => Some(load_site(options, &self.config)?),
        };
        let mut undo = Undo::default();
        for edit in edits.into_iter().flatten() {
            let (source, offset) = match edit.target {
                Target::Page(i) => {
                    let p = &mut self.site.pages[i];
                    (
                        std::mem::replace(&mut p.source, edit.source),
                        std::mem::replace(&mut p.body_offset, edit.body_offset),
                    )
                }
                Target::Section(i) => {
                    let s = &mut self.site.sections[i];
                    (
                        std::mem::replace(&mut s.source, edit.source),
                        std::mem::replace(&mut s.body_offset, edit.body_offset),
                    )
                }
            };
            undo.sources.push((edit.target, source, offset));
        }
        let result = self.run(root, site, theme, templates, strings, &mut undo);
        if result.is_err() {
            for (target, again) in undo.rendered.into_iter().rev() {
                self.content.replace(target, again);
            }
            for (target, source, offset) in undo.sources.into_iter().rev() {
                match target {
                    Target::Page(i) => {
                        self.site.pages[i].source = source;
                        self.site.pages[i].body_offset = offset;
                    }
                    Target::Section(i) => {
                        self.site.sections[i].source = source;
                        self.site.sections[i].body_offset = offset;
                    }
                }
            }
        }
        result
    }

    /// Builds everything again and compares it with what is served.
    fn rebuild_everything(&mut self, options: &BuildOptions) -> Result<Made, Errors> {
        let (memory, files, warnings) = Memory::build(options)?;
        let remove = self
            .files
            .keys()
            .filter(|p| !memory.files.contains_key(*p))
            .cloned()
            .collect();
        let set = files;
        let rendered = memory
            .site
            .pages
            .ids()
            .map(Target::Page)
            .chain(memory.site.sections.ids().map(Target::Section))
            .collect();
        *self = memory;
        Ok(Made {
            set,
            remove,
            rendered,
            everything: true,
            whole: false,
            generated: generated::Counts::default(),
            warnings,
        })
    }

    /// The text edits when every changed `content/` path is an existing page or section whose
    /// front matter is unchanged (or a file that was never part of the site, like an editor's
    /// temporary file); `None` when the model must be read again. Front matter that no longer
    /// parses is an error, located as in a build.
    fn text_edits(&self, root: &Path, rels: &[String]) -> Result<Option<Vec<TextEdit>>, Errors> {
        let mut edits = Vec::new();
        for rel in rels {
            let path = root.join("content").join(rel);
            let Some(&target) = self.by_file.get(rel) else {
                // An editor's temporary file, written and renamed away within the burst, was
                // never part of the site. Anything else new (or a folder that held pages)
                // changes the model.
                let under = format!("{rel}/");
                if !path.exists() && !self.known.iter().any(|k| k == rel || k.starts_with(&under)) {
                    continue;
                }
                return Ok(None);
            };
            let Ok(text) = std::fs::read_to_string(&path) else {
                // Deleted, renamed away, or no longer text: the model changes.
                return Ok(None);
            };
            let (old_source, old_front) = match target {
                Target::Page(i) => (&self.site.pages[i].source, &self.site.pages[i].front),
                Target::Section(i) => (&self.site.sections[i].source, &self.site.sections[i].front),
            };
            if **old_source == *text {
                continue;
            }
            let display = Path::new("content").join(rel);
            let source: Arc<str> = Arc::from(text);
            let (front, body_offset) = {
                let split = crate::frontmatter::split(&source, &source, &display)?;
                (
                    crate::frontmatter::parse(&split, &source, &display)?,
                    split.body_offset,
                )
            };
            if serde_json::to_value(&front).ok() != serde_json::to_value(old_front).ok() {
                return Ok(None);
            }
            // Its fallback pages show the same text from their own copy of the page: the same
            // edit, so the keys redo them too.
            if let Target::Page(i) = target {
                for (j, _) in self
                    .site
                    .pages
                    .enumerate()
                    .filter(|(_, p)| p.fallback_of == Some(i))
                {
                    edits.push(TextEdit {
                        target: Target::Page(j),
                        source: source.clone(),
                        body_offset,
                    });
                }
            }
            edits.push(TextEdit {
                target,
                source,
                body_offset,
            });
        }
        Ok(Some(edits))
    }

    /// The stages after reading: Markdown where its key changed, templates and generated files
    /// where theirs did, static files listed again; then what changed. `site` is the model read again, if it
    /// was; text edits are already in `self.site` (recorded in `undo`).
    fn run(
        &mut self,
        root: &Path,
        site: Option<Site>,
        theme: Option<Theme>,
        templates: Option<Templates>,
        strings: Option<Strings>,
        undo: &mut Undo,
    ) -> Result<Made, Errors> {
        let mut timings = super::Timings::start();
        let config = &self.config;
        let reloaded = site.is_some();
        let site_now = site.as_ref().unwrap_or(&self.site);
        let edited: Vec<Target> = undo.sources.iter().map(|(t, _, _)| *t).collect();
        let keys = match (&self.keys, reloaded) {
            (Some(keys), false) => keys.update(site_now, config, &edited),
            _ => Keys::new(site_now, config),
        };
        // A target's Markdown is kept when it sits at the same place with the same key.
        let same_shape = self.content.pages.len() == site_now.pages.len()
            && self.content.sections.len() == site_now.sections.len();
        let kept = |t: Target| {
            same_shape
                && matches!((&keys, &self.keys), (Some(new), Some(old)) if new.of(t) == old.of(t))
        };
        let targets: Vec<Target> = site_now
            .pages
            .ids()
            .map(Target::Page)
            .chain(site_now.sections.ids().map(Target::Section))
            .collect();
        let redo: Vec<Target> = targets.iter().copied().filter(|&t| !kept(t)).collect();
        timings.lap("rebuild: keys");
        // Parsed once per rebuild, as in a build (an edit of a glossary reads the model again).
        let (glossaries, mut diags) = crate::glossary::Glossaries::load(site_now, config);
        let mut rendered: Vec<(Target, render::Again)> = redo
            .par_iter()
            .map(|&t| {
                // `serve` never lints: what only `check` reads is dropped here.
                let (out, d) = render::render_markdown(site_now, config, &glossaries, t);
                let again = render::Again {
                    rendered: out.rendered,
                    prose: out.prose,
                    links: out.links,
                };
                (t, again, d)
            })
            .collect::<Vec<_>>()
            .into_iter()
            .map(|(t, r, d)| {
                diags.extend(d);
                (t, r)
            })
            .collect();
        // The Markdown now: in place (with what it replaced kept in `undo`), or a new set
        // when the model changed shape.
        let mut fresh = None;
        if same_shape && !reloaded {
            for (t, again) in rendered.drain(..) {
                let old = self.content.replace(t, again);
                undo.rendered.push((t, old));
            }
        } else {
            let mut by_target: HashMap<Target, render::Again> = rendered.drain(..).collect();
            let old = &self.content;
            let mut take = |t: Target| {
                let old_again = || {
                    Some(render::Again {
                        rendered: old.get(t)?.clone(),
                        prose: old.prose.as_ref()?.get(t)?.clone(),
                        links: old.links.as_ref()?.get(t)?.clone(),
                    })
                };
                by_target.remove(&t).or_else(old_again).unwrap_or_default()
            };
            let (mut pages, mut sections) = (IdVec::new(), IdVec::new());
            let mut prose = render::ContentProse::default();
            let mut links = render::ContentLinks::default();
            for a in site_now.pages.ids().map(|i| take(Target::Page(i))) {
                pages.push(a.rendered);
                prose.pages.push(a.prose);
                links.pages.push(a.links);
            }
            for a in site_now.sections.ids().map(|i| take(Target::Section(i))) {
                sections.push(a.rendered);
                prose.sections.push(a.prose);
                links.sections.push(a.links);
            }
            fresh = Some(RenderedContent {
                pages,
                sections,
                prose: Some(prose),
                links: Some(links),
                lints: None,
            });
        }
        timings.lap("rebuild: markdown");
        let content_now = fresh.as_ref().unwrap_or(&self.content);
        // Kept by `serve`'s build (`Keep::Prose`) and above.
        if let Some(links) = &content_now.links {
            diags.extend(render::check_content(site_now, links));
        }
        let mut warnings = fail_if_errors(diags)?;

        timings.lap("rebuild: checks");
        // What lists show of each page: again for the pages whose Markdown was rendered.
        let mut page_links = if same_shape && !reloaded {
            self.page_links.clone()
        } else {
            IdVec::new()
        };
        if page_links.is_empty() {
            page_links = site_now
                .pages
                .ids()
                .collect::<Vec<_>>()
                .into_par_iter()
                .map(|i| render::page_link(site_now, content_now, config, i))
                .collect();
        } else {
            for t in &redo {
                if let Target::Page(i) = *t {
                    page_links[i] = render::page_link(site_now, content_now, config, i);
                }
            }
        }

        timings.lap("rebuild: page links");
        let theme_now = theme.as_ref().unwrap_or(&self.theme);
        let templates_now = templates.as_ref().unwrap_or(&self.templates);
        let strings_now = strings.as_ref().unwrap_or(&self.strings);
        let cache = keys
            .clone()
            .and_then(|k| PageCache::new(templates_now, strings_now, k, self.pages.clone()));
        let generated = keys.clone().and_then(|k| {
            Generated::new(
                templates_now,
                strings_now,
                config,
                k,
                self.generated.clone(),
            )
        });
        let shared = Shared::with_page_links(site_now, config, strings_now.clone(), page_links)
            .with_page_cache(cache.as_ref())
            .with_generated(generated.as_ref());
        timings.lap("rebuild: caches");
        // With the model read again, the search index is made now too (the pages' order, URLs
        // and titles may all have changed).
        let sink = Diff {
            served: &self.files,
            made: Mutex::default(),
            changed: Mutex::default(),
            same: reloaded.then(Mutex::default),
            kept_any: Default::default(),
        };
        warnings.extend(super::render_generated_with(
            site_now,
            content_now,
            &shared,
            &glossaries,
            templates_now,
            reloaded,
            false,
            &sink,
        )?);
        timings.lap("rebuild: pages and generated");
        sink.put_all(super::static_files(theme_now, root, site_now)?)
            .map_err(Errors::from)?;
        timings.lap("rebuild: static");
        let page_links = shared.page_links;
        let made: HashMap<String, u64> = sink
            .made
            .into_inner()
            .unwrap_or_else(|e| e.into_inner())
            .into_iter()
            .collect();
        let mut set = sink.changed.into_inner().unwrap_or_else(|e| e.into_inner());
        let whole = reloaded && !sink.kept_any.into_inner();
        if whole {
            set.extend(
                sink.same
                    .into_iter()
                    .flat_map(|m| m.into_inner().unwrap_or_else(|e| e.into_inner())),
            );
        }
        // Else the search index is made apart: what is served of it stays until then.
        let folders = search_folders(config);
        let search: Vec<(&String, &u64)> = self
            .files
            .iter()
            .filter(|(p, _)| !reloaded && is_search_file(&folders, p))
            .collect();
        super::check_unique_outputs(
            made.keys()
                .map(String::as_str)
                .chain(search.iter().map(|(p, _)| p.as_str())),
            site_now,
        )?;
        timings.lap("rebuild: made, unique");
        let remove: Vec<String> = self
            .files
            .keys()
            .filter(|p| !made.contains_key(*p) && (reloaded || !is_search_file(&folders, p)))
            .cloned()
            .collect();

        // Everything went through: keep it all for the next rebuild.
        let mut files = made;
        files.extend(search.into_iter().map(|(p, h)| (p.clone(), *h)));
        self.files = files;
        self.pages = cache.map(PageCache::into_entries).unwrap_or_default();
        let generated_counts = generated
            .as_ref()
            .map(Generated::counts)
            .unwrap_or_default();
        self.generated = generated.map(Generated::into_entries).unwrap_or_default();
        self.keys = keys;
        self.page_links = page_links;
        if let Some(content) = fresh {
            self.content = content;
        }
        if let Some(site) = site {
            self.by_file = index_files(&site);
            self.known = known_files(&site);
            self.site = site;
        }
        if let Some(theme) = theme {
            self.theme = theme;
        }
        if let Some(templates) = templates {
            self.templates = templates;
        }
        if let Some(strings) = strings {
            self.strings = strings;
        }
        timings.lap("rebuild: kept for next");
        Ok(Made {
            remove: if whole { Vec::new() } else { remove },
            set,
            rendered: redo,
            everything: false,
            whole,
            generated: generated_counts,
            warnings,
        })
    }
}
