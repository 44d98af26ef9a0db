//! The site model: sections, pages, URLs, ordering and tags, built from parsed content files.
//!
//! [`build_model`] is pure: it takes files already read and returns the model or every problem
//! found. Reading the files is [`read_content`]'s job, at the edge.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::discover::{ContentFile, FileKind};
use crate::frontmatter::{self, FrontMatter};
use crate::slug::slug_or_fallback;
pub use crate::slug::slugify;

pub mod ids;
pub use ids::{IdVec, PageId, SectionId};

/// A content file's text, as read from disk.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub file: ContentFile,
    /// Path shown in messages, e.g. `content/aftercare/what.md`.
    pub display: PathBuf,
    pub text: Arc<str>,
    /// What a block made of this text, made by the first page that needs it and shared by the
    /// others (a quiz file's parsed quiz, parsed once per build however many pages embed it).
    pub parsed: Parsed,
}

/// A slot for what a higher layer parses out of a file, filled once. The model cannot name the
/// type (a block's), so it holds it opaque; a site read again starts with empty slots.
#[derive(Clone, Default)]
pub struct Parsed(Arc<std::sync::OnceLock<Box<dyn std::any::Any + Send + Sync>>>);

impl Parsed {
    /// What `make` made the first time this was asked for; `None` when the slot holds
    /// another type than `T` (filled by another reader).
    pub fn get_or_init<T: std::any::Any + Send + Sync>(
        &self,
        make: impl FnOnce() -> T,
    ) -> Option<&T> {
        self.0.get_or_init(|| Box::new(make())).downcast_ref()
    }
}

impl std::fmt::Debug for Parsed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.get().is_some() {
            "Parsed(filled)"
        } else {
            "Parsed(empty)"
        })
    }
}

#[derive(Debug, Clone)]
pub struct Page {
    pub file: ContentFile,
    pub display: PathBuf,
    pub source: Arc<str>,
    pub front: FrontMatter,
    /// Byte offset where the Markdown body starts in `source`.
    pub body_offset: usize,
    pub slug: String,
    /// URL path, `/aftercare/what-is-aftercare/` (with `/es` in front for Spanish).
    pub path: String,
    pub section: SectionId,
    /// Files of a page bundle, relative to `content/`, copied beside the page.
    pub assets: Vec<String>,
    /// A fallback page (`[translations] fallback_pages`): the default-language page it shows, in
    /// the language of `file.lang`, which has no translation of it. It shares the original's
    /// file, text and front matter; only its language, address and section are its own.
    pub fallback_of: Option<PageId>,
}

impl Page {
    pub fn body(&self) -> &str {
        &self.source[self.body_offset..]
    }

    /// Whether this is a fallback page (the original's text at another language's address).
    pub fn is_fallback(&self) -> bool {
        self.fallback_of.is_some()
    }
}

#[derive(Debug, Clone)]
pub struct Section {
    /// Folder relative to `content/`; empty for the home page.
    pub dir: String,
    pub lang: String,
    /// `None` for a folder with no `_index.md`.
    pub file: Option<ContentFile>,
    pub display: PathBuf,
    pub source: Arc<str>,
    pub front: FrontMatter,
    pub body_offset: usize,
    pub path: String,
    pub parent: Option<SectionId>,
    pub subsections: Vec<SectionId>,
    /// In reading order: weight, then newest date, then title.
    pub pages: Vec<PageId>,
}

impl Section {
    pub fn body(&self) -> &str {
        &self.source[self.body_offset..]
    }

    /// The key shared with translations: `aftercare/_index.md`.
    pub fn translation_key(&self) -> String {
        if self.dir.is_empty() {
            "_index.md".into()
        } else {
            format!("{}/_index.md", self.dir)
        }
    }
}

#[derive(Debug, Clone)]
pub struct Tag {
    pub name: String,
    pub slug: String,
    pub lang: String,
    pub path: String,
    pub pages: Vec<PageId>,
}

/// A file copied as is from `content/` into the output.
#[derive(Debug, Clone)]
pub struct Asset {
    pub rel: String,
    pub output: String,
}

#[derive(Debug, Clone)]
pub struct Site {
    pub pages: IdVec<PageId, Page>,
    pub sections: IdVec<SectionId, Section>,
    pub tags: Vec<Tag>,
    pub assets: Vec<Asset>,
    /// Quizzes kept in their own files, by name.
    pub quiz_files: BTreeMap<String, SourceFile>,
    /// Glossary files by language (`glossary.toml` under the default language), unparsed: the
    /// pipeline parses each once (`glossary::Glossaries::load`).
    pub glossaries: BTreeMap<String, SourceFile>,
    /// (translation key, language) -> page or section.
    lookup: HashMap<(String, String), Target>,
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum Target {
    Page(PageId),
    Section(SectionId),
}

impl Site {
    /// Finds `key` (a path under `content/` such as `pcd/what-is-pcd.md`) in `lang`, falling back
    /// to the default language.
    pub fn find(&self, key: &str, lang: &str, default_lang: &str) -> Option<Target> {
        let key = key.trim_start_matches('/');
        let key = if key.is_empty() || key.ends_with('/') {
            format!("{key}_index.md")
        } else {
            key.to_string()
        };
        // `folder/index.md` of a bundle and `folder.md` both name the page.
        let candidates = [key.clone(), key.replace("/index.md", ".md")];
        for k in &candidates {
            for l in [lang, default_lang] {
                if let Some(t) = self.lookup.get(&(k.clone(), l.to_string())) {
                    return Some(*t);
                }
            }
        }
        None
    }

    pub fn path_of(&self, target: Target) -> &str {
        match target {
            Target::Page(i) => &self.pages[i].path,
            Target::Section(i) => &self.sections[i].path,
        }
    }

    /// Every language version of a page or section, keyed by language.
    pub fn translations(&self, key: &str, languages: &[&str]) -> Vec<(String, Target)> {
        languages
            .iter()
            .filter_map(|l| {
                self.lookup
                    .get(&(key.to_string(), l.to_string()))
                    .map(|t| (l.to_string(), *t))
            })
            .collect()
    }

    /// The section chain from the home page down to (and including) `section`.
    pub fn ancestors(&self, section: SectionId) -> Vec<SectionId> {
        let mut chain = vec![section];
        let mut at = section;
        while let Some(p) = self.sections[at].parent {
            chain.push(p);
            at = p;
        }
        chain.reverse();
        chain
    }

    /// The home section of a language.
    pub fn home(&self, lang: &str) -> Option<SectionId> {
        self.sections
            .position(|s| s.dir.is_empty() && s.lang == lang)
    }

    pub fn prev_next(&self, page: PageId) -> (Option<PageId>, Option<PageId>) {
        let list = &self.sections[self.pages[page].section].pages;
        let pos = list.iter().position(|&p| p == page);
        match pos {
            Some(i) => (i.checked_sub(1).map(|j| list[j]), list.get(i + 1).copied()),
            None => (None, None),
        }
    }
}

/// Reads every content file as UTF-8 text. Binary or badly encoded files are located errors.
pub fn read_content(root: &Path, files: Vec<ContentFile>) -> (Vec<SourceFile>, Vec<Diagnostic>) {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for file in files {
        if file.kind == FileKind::Asset {
            out.push(SourceFile {
                display: Path::new("content").join(&file.rel),
                file,
                text: Arc::from(""),
                parsed: Default::default(),
            });
            continue;
        }
        let display = Path::new("content").join(&file.rel);
        let bytes = match std::fs::read(root.join("content").join(&file.rel)) {
            Ok(b) => b,
            Err(e) => {
                errors.push(crate::diagnostic::io_error(&display, "read", &e));
                continue;
            }
        };
        match String::from_utf8(bytes) {
            Ok(text) if text.contains('\0') => {
                let at = text.find('\0').unwrap_or(0);
                let source: Arc<str> = Arc::from(text.replace('\0', " "));
                errors.push(
                    Diagnostic::error("this looks like a binary file, not text")
                        .in_file(&display)
                        .at(&source, at, at + 1)
                        .with_help(
                            "only text files may end in .md; move binary files out or rename them",
                        ),
                );
            }
            Ok(text) => out.push(SourceFile {
                file,
                display,
                text: Arc::from(text),
                parsed: Default::default(),
            }),
            Err(e) => {
                let at = e.utf8_error().valid_up_to();
                let bytes = e.into_bytes();
                let lossy: Arc<str> = Arc::from(String::from_utf8_lossy(&bytes).into_owned());
                // Count lines in the valid prefix so the location is exact.
                let prefix = String::from_utf8_lossy(&bytes[..at]).len();
                errors.push(
                    Diagnostic::error("the file is not valid UTF-8 text")
                        .in_file(&display)
                        .at(&lossy, prefix, prefix + 1)
                        .with_help("save the file as UTF-8 in your editor; if it is not meant to be text, give it another extension"),
                );
            }
        }
    }
    (out, errors)
}

/// Options that change what the model holds.
#[derive(Debug, Clone, Default)]
pub struct ModelOptions {
    pub include_drafts: bool,
}

/// Builds the model from read files: every problem is reported, not just the first.
pub fn build_model(
    config: &Config,
    sources: Vec<SourceFile>,
    options: &ModelOptions,
) -> Result<Site, Vec<Diagnostic>> {
    let mut errors = Vec::new();
    let mut sections: IdVec<SectionId, Section> = IdVec::new();
    let mut section_index: HashMap<(String, String), SectionId> = HashMap::new();
    let mut parsed_pages = Vec::new();
    let mut quiz_files = BTreeMap::new();
    let mut glossaries: BTreeMap<String, SourceFile> = BTreeMap::new();
    let mut asset_files = Vec::new();

    for src in sources {
        match src.file.kind {
            FileKind::Section | FileKind::Page { .. } => {
                let parsed =
                    frontmatter::split(&src.text, &src.text, &src.display).and_then(|split| {
                        frontmatter::parse(&split, &src.text, &src.display)
                            .map(|fm| (fm, split.body_offset))
                    });
                match parsed {
                    Err(d) => errors.push(d),
                    Ok((front, _)) if front.draft && !options.include_drafts => {}
                    Ok((front, body_offset)) => {
                        if src.file.kind == FileKind::Section {
                            let dir = parent_dir(&src.file.rel);
                            let key = (dir.clone(), src.file.lang.clone());
                            let id = sections.push(Section {
                                path: section_path(config, &dir, &src.file.lang),
                                dir,
                                lang: src.file.lang.clone(),
                                file: Some(src.file),
                                display: src.display,
                                source: src.text,
                                front,
                                body_offset,
                                parent: None,
                                subsections: Vec::new(),
                                pages: Vec::new(),
                            });
                            section_index.insert(key, id);
                        } else {
                            parsed_pages.push((src, front, body_offset));
                        }
                    }
                }
            }
            FileKind::Quiz => {
                let name = src
                    .file
                    .rel
                    .rsplit('/')
                    .next()
                    .unwrap_or("")
                    .trim_end_matches(".quiz")
                    .to_string();
                if let Some(prev) = quiz_files.insert(name.clone(), src.clone()) {
                    errors.push(
                        Diagnostic::error(format!("two quiz files are named `{name}`"))
                            .in_file(&src.display)
                            .with_help(format!(
                                "rename one; the other is {}",
                                prev.display.display()
                            )),
                    );
                }
            }
            FileKind::Glossary => {
                if let Some(prev) = glossaries.get(&src.file.lang) {
                    errors.push(
                        Diagnostic::error(format!(
                            "two glossaries for the language `{}`",
                            src.file.lang
                        ))
                        .in_file(&src.display)
                        .with_help(format!(
                            "keep one: {} is the same language's (`glossary.toml` is the default language's)",
                            prev.display.display()
                        )),
                    );
                } else {
                    glossaries.insert(src.file.lang.clone(), src);
                }
            }
            FileKind::Asset => asset_files.push(src.file),
        }
    }

    let fallbacks = fallback_pages(config, &parsed_pages);

    // Every page needs a section in its language: make plain ones for folders without `_index.md`.
    let mut needed: Vec<(String, String)> = parsed_pages
        .iter()
        .map(|(src, _, _)| (page_section_dir(&src.file), src.file.lang.clone()))
        .chain(
            fallbacks
                .iter()
                .map(|(j, lang)| (page_section_dir(&parsed_pages[*j].0.file), lang.clone())),
        )
        .collect();
    for lang in config.all_languages() {
        needed.push((String::new(), lang.to_string()));
    }
    let mut i = 0;
    while i < needed.len() {
        let (dir, lang) = needed[i].clone();
        if !dir.is_empty() {
            needed.push((parent_dir(&dir), lang.clone()));
        }
        if !section_index.contains_key(&(dir.clone(), lang.clone())) {
            let title = implicit_title(config, &dir, &lang, &sections, &section_index);
            let key = (dir.clone(), lang.clone());
            let id = sections.push(Section {
                path: section_path(config, &dir, &lang),
                display: PathBuf::from("content").join(&dir),
                dir,
                lang,
                file: None,
                source: Arc::from(""),
                front: FrontMatter {
                    title,
                    ..FrontMatter::default()
                },
                body_offset: 0,
                parent: None,
                subsections: Vec::new(),
                pages: Vec::new(),
            });
            section_index.insert(key, id);
        }
        i += 1;
    }

    // Link sections to their parents.
    for idx in sections.ids() {
        if sections[idx].dir.is_empty() {
            continue;
        }
        let parent = parent_dir(&sections[idx].dir);
        if let Some(&p) = section_index.get(&(parent, sections[idx].lang.clone())) {
            sections[idx].parent = Some(p);
            sections[p].subsections.push(idx);
        }
    }

    let mut pages: IdVec<PageId, Page> = IdVec::new();
    // The id of each parsed page, by its place in `parsed_pages` (which `fallbacks` names).
    let mut real: Vec<PageId> = Vec::with_capacity(parsed_pages.len());
    for (src, front, body_offset) in parsed_pages {
        let dir = page_section_dir(&src.file);
        let section = section_index[&(dir.clone(), src.file.lang.clone())];
        let slug = front.slug.clone().unwrap_or_else(|| file_slug(&src.file));
        let lang_prefix = lang_prefix(config, &src.file.lang);
        let path = if dir.is_empty() {
            format!("{lang_prefix}/{slug}/")
        } else {
            format!("{lang_prefix}/{dir}/{slug}/")
        };
        real.push(pages.push(Page {
            file: src.file,
            display: src.display,
            source: src.text,
            front,
            body_offset,
            slug,
            path,
            section,
            assets: Vec::new(),
            fallback_of: None,
        }));
    }
    // Fallback pages come after every real page, so a real page's index is the same with or
    // without them. A real page or section at a fallback's address keeps it (no fallback there).
    let taken: std::collections::HashSet<String> = pages
        .iter()
        .map(|p| p.path.clone())
        .chain(sections.iter().map(|s| s.path.clone()))
        .collect();
    for (j, lang) in fallbacks {
        let j = real[j];
        let original = &pages[j];
        let dir = page_section_dir(&original.file);
        let path = if dir.is_empty() {
            format!("{}/{}/", lang_prefix(config, &lang), original.slug)
        } else {
            format!("{}/{dir}/{}/", lang_prefix(config, &lang), original.slug)
        };
        if taken.contains(&path) {
            continue;
        }
        let mut file = original.file.clone();
        file.lang = lang.clone();
        let page = Page {
            file,
            display: original.display.clone(),
            source: original.source.clone(),
            front: original.front.clone(),
            body_offset: original.body_offset,
            slug: original.slug.clone(),
            path,
            section: section_index[&(dir, lang)],
            assets: Vec::new(),
            fallback_of: Some(j),
        };
        pages.push(page);
    }

    // Bundle assets go beside their page; other assets keep their place.
    let mut assets = Vec::new();
    for file in asset_files {
        let owner = pages.iter_mut().find(|p| {
            matches!(p.file.kind, FileKind::Page { bundle: true })
                && p.file.lang == config.default_language
                && file
                    .rel
                    .starts_with(&format!("{}/", parent_dir(&p.file.rel)))
        });
        let output = match owner {
            Some(page) => {
                let inner = &file.rel[parent_dir(&page.file.rel).len() + 1..];
                page.assets.push(file.rel.clone());
                format!("{}{inner}", page.path.trim_start_matches('/'))
            }
            None => file.rel.clone(),
        };
        assets.push(Asset {
            rel: file.rel,
            output,
        });
    }

    // Sort each section's pages.
    let mut by_section: IdVec<SectionId, Vec<PageId>> =
        sections.iter().map(|_| Vec::new()).collect();
    for (i, p) in pages.enumerate() {
        by_section[p.section].push(i);
    }
    for (s, mut list) in sections.ids().zip(by_section) {
        list.sort_by(|&a, &b| {
            let (a, b) = (&pages[a].front, &pages[b].front);
            a.weight
                .unwrap_or(i64::MAX)
                .cmp(&b.weight.unwrap_or(i64::MAX))
                .then(b.date.cmp(&a.date))
                .then(a.title.cmp(&b.title))
        });
        sections[s].pages = list;
    }
    for s in sections.ids() {
        let mut subs = std::mem::take(&mut sections[s].subsections);
        subs.sort_by(|&a, &b| {
            let (a, b) = (&sections[a], &sections[b]);
            a.front
                .weight
                .unwrap_or(i64::MAX)
                .cmp(&b.front.weight.unwrap_or(i64::MAX))
                .then(a.front.title.cmp(&b.front.title))
        });
        sections[s].subsections = subs;
    }

    let tags = collect_tags(config, &pages);

    let mut lookup = HashMap::new();
    for (i, p) in pages.enumerate() {
        lookup.insert(
            (p.file.translation_key(), p.file.lang.clone()),
            Target::Page(i),
        );
    }
    for (i, s) in sections.enumerate() {
        lookup.insert((s.translation_key(), s.lang.clone()), Target::Section(i));
    }

    let site = Site {
        pages,
        sections,
        tags,
        assets,
        quiz_files,
        glossaries,
        lookup,
    };
    errors.extend(check_unique_paths(&site));
    if errors.is_empty() {
        Ok(site)
    } else {
        Err(errors)
    }
}

fn lang_prefix(config: &Config, lang: &str) -> String {
    if lang == config.default_language {
        String::new()
    } else {
        format!("/{lang}")
    }
}

fn section_path(config: &Config, dir: &str, lang: &str) -> String {
    let prefix = lang_prefix(config, lang);
    if dir.is_empty() {
        format!("{prefix}/")
    } else {
        format!("{prefix}/{dir}/")
    }
}

/// With `[translations] fallback_pages`: (index in `parsed` of a default-language page, a
/// language with no translation of it), for every such pair, in the order of `parsed` then of
/// the config's languages.
fn fallback_pages(
    config: &Config,
    parsed: &[(SourceFile, FrontMatter, usize)],
) -> Vec<(usize, String)> {
    if !config.translations.fallback_pages {
        return Vec::new();
    }
    let translated: std::collections::HashSet<(String, &str)> = parsed
        .iter()
        .map(|(src, _, _)| (src.file.translation_key(), src.file.lang.as_str()))
        .collect();
    let mut out = Vec::new();
    for (j, (src, _, _)) in parsed.iter().enumerate() {
        if src.file.lang != config.default_language {
            continue;
        }
        let key = src.file.translation_key();
        for lang in config.languages.keys() {
            if !translated.contains(&(key.clone(), lang.as_str())) {
                out.push((j, lang.clone()));
            }
        }
    }
    out
}

/// Folder of a path: `a/b/c.md` -> `a/b`.
fn parent_dir(rel: &str) -> String {
    rel.rsplit_once('/')
        .map_or(String::new(), |(d, _)| d.to_string())
}

/// The section folder a page belongs to (a bundle's parent folder).
fn page_section_dir(file: &ContentFile) -> String {
    let dir = parent_dir(&file.rel);
    match file.kind {
        FileKind::Page { bundle: true } => parent_dir(&dir),
        _ => dir,
    }
}

/// A page's slug from its file or bundle folder name.
fn file_slug(file: &ContentFile) -> String {
    let key = file.translation_key();
    let name = match file.kind {
        FileKind::Page { bundle: true } => parent_dir(&key)
            .rsplit('/')
            .next()
            .unwrap_or("")
            .to_string(),
        _ => key
            .rsplit('/')
            .next()
            .unwrap_or("")
            .trim_end_matches(".md")
            .to_string(),
    };
    slug_or_fallback(&name, "page")
}

fn implicit_title(
    config: &Config,
    dir: &str,
    lang: &str,
    sections: &IdVec<SectionId, Section>,
    index: &HashMap<(String, String), SectionId>,
) -> String {
    if let Some(&i) = index.get(&(dir.to_string(), config.default_language.clone())) {
        return sections[i].front.title.clone();
    }
    if dir.is_empty() {
        return config
            .languages
            .get(lang)
            .and_then(|l| l.title.clone())
            .unwrap_or_else(|| config.title.clone());
    }
    let name = dir
        .rsplit('/')
        .next()
        .unwrap_or(dir)
        .replace(['-', '_'], " ");
    let mut chars = name.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => name,
    }
}

fn collect_tags(config: &Config, pages: &IdVec<PageId, Page>) -> Vec<Tag> {
    let mut tags: BTreeMap<(String, String), Tag> = BTreeMap::new();
    // A fallback page's tags are words of another language: it is not listed under them.
    for (i, p) in pages.enumerate().filter(|(_, p)| !p.is_fallback()) {
        for name in &p.front.tags {
            let slug = slug_or_fallback(name, "tag");
            let lang = p.file.lang.clone();
            let tag = tags
                .entry((lang.clone(), slug.clone()))
                .or_insert_with(|| Tag {
                    name: name.clone(),
                    path: format!("{}/tags/{slug}/", lang_prefix(config, &lang)),
                    slug,
                    lang,
                    pages: Vec::new(),
                });
            tag.pages.push(i);
        }
    }
    let mut tags: Vec<Tag> = tags.into_values().collect();
    for t in &mut tags {
        t.pages
            .sort_by(|&a, &b| pages[a].front.title.cmp(&pages[b].front.title));
    }
    tags
}

/// Two pages, or a page and a section, writing to one URL is an error on each.
fn check_unique_paths(site: &Site) -> Vec<Diagnostic> {
    let mut seen: HashMap<&str, &Path> = HashMap::new();
    let mut errors = Vec::new();
    let entries = site
        .sections
        .iter()
        .map(|s| (s.path.as_str(), s.display.as_path()))
        .chain(
            site.pages
                .iter()
                .map(|p| (p.path.as_str(), p.display.as_path())),
        );
    for (path, display) in entries {
        if let Some(other) = seen.insert(path, display) {
            errors.push(
                Diagnostic::error(format!("two pages would be written to the same URL {path}"))
                    .in_file(display)
                    .with_help(format!(
                        "{} has the same URL; change the `slug` of one of them or rename a file",
                        other.display()
                    )),
            );
        }
    }
    errors
}

/// A site of `files` (path under `content/`, text) under the config `config_text`: unit tests'
/// way to a model without a folder.
#[cfg(test)]
pub(crate) fn test_site(config_text: &str, files: &[(&str, &str)]) -> (Config, Site) {
    let mut config = Config::parse(config_text, Path::new("haven.toml")).unwrap();
    config.ui = crate::i18n::resolve_builtin(&config);
    let sources = files
        .iter()
        .map(|(rel, text)| SourceFile {
            file: crate::discover::classify(rel, &config, &[]),
            display: Path::new("content").join(rel),
            text: Arc::from(*text),
            parsed: Default::default(),
        })
        .collect();
    let site = build_model(&config, sources, &ModelOptions::default()).unwrap();
    (config, site)
}

#[cfg(test)]
mod tests;
