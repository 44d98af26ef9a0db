//! Finding the site's content files with walkdir and sorting them into kinds.
//!
//! Pure classification lives in [`classify`]; [`discover`] is the thin I/O walk around it.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::config::Config;
use crate::diagnostic::Diagnostic;

/// What a file under `content/` is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileKind {
    /// `_index.md` (or `_index.LANG.md`): a section.
    Section,
    /// Any other `.md`; `bundle` when it is a folder's `index.md`.
    Page { bundle: bool },
    /// A quiz kept in its own file (`*.quiz`), embedded by name.
    Quiz,
    /// `glossary.toml` (the default language's) or `glossary.LANG.toml` at the top of
    /// `content/`; `lang` says which. A `LANG` the site does not have is still a glossary
    /// (never published as a file): the model warns about it.
    Glossary,
    /// Anything else: copied beside the page or section it sits with.
    Asset,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContentFile {
    /// Path relative to `content/`, with `/` separators.
    pub rel: String,
    pub kind: FileKind,
    /// Language code, from a `.LANG.md` suffix or the default.
    pub lang: String,
}

impl ContentFile {
    /// The path without its language suffix: the key shared by a page and its translations.
    pub fn translation_key(&self) -> String {
        strip_lang(&self.rel, &self.lang)
    }
}

/// Removes `.LANG` before `.md`: `a/b.es.md` -> `a/b.md`.
pub fn strip_lang(rel: &str, lang: &str) -> String {
    let suffix = format!(".{lang}.md");
    match rel.strip_suffix(&suffix) {
        Some(stem) => format!("{stem}.md"),
        None => rel.to_string(),
    }
}

/// Walks a folder of the site (`content/`, `static/`, `templates/`, a theme), following links
/// that stay inside the site folder. A link that leads outside it is an error naming the link
/// and its target, and is not followed: Haven never reads or publishes a file from outside the
/// site, so a committed `static/env -> /proc/self/environ` cannot end up on the web. Names
/// editors and systems leave behind ([`is_ignored_name`]) are skipped, folders included.
pub struct SiteWalk {
    inner: walkdir::FilterEntry<walkdir::IntoIter, fn(&walkdir::DirEntry) -> bool>,
    /// The site folder, canonical.
    root: PathBuf,
    /// How the site folder is shown in messages: paths are shown relative to it.
    shown_root: PathBuf,
}

pub enum WalkError {
    /// Unreadable, or a link loop.
    Walk(walkdir::Error),
    /// A link that leads outside the site.
    Outside(Diagnostic),
}

impl SiteWalk {
    /// Walks `dir`, inside the site folder `root`, in file-name order.
    pub fn new(dir: &Path, root: &Path) -> SiteWalk {
        fn keep(e: &walkdir::DirEntry) -> bool {
            e.depth() == 0 || !is_ignored_name(&e.file_name().to_string_lossy())
        }
        SiteWalk {
            inner: WalkDir::new(dir)
                .follow_links(true)
                .sort_by_file_name()
                .into_iter()
                .filter_entry(keep as fn(&walkdir::DirEntry) -> bool),
            root: root.canonicalize().unwrap_or_else(|_| root.to_path_buf()),
            shown_root: root.to_path_buf(),
        }
    }
}

impl Iterator for SiteWalk {
    type Item = Result<walkdir::DirEntry, WalkError>;

    fn next(&mut self) -> Option<Self::Item> {
        let entry = match self.inner.next()? {
            Ok(entry) => entry,
            Err(e) => return Some(Err(WalkError::Walk(e))),
        };
        if entry.depth() == 0 || entry.path_is_symlink() {
            let shown = entry
                .path()
                .strip_prefix(&self.shown_root)
                .unwrap_or(entry.path());
            if let Some(d) = link_leaving(entry.path(), &self.root, shown) {
                if entry.file_type().is_dir() {
                    self.inner.skip_current_dir();
                }
                return Some(Err(WalkError::Outside(d)));
            }
        }
        Some(Ok(entry))
    }
}

/// When `path` is a link whose target is outside `root` (canonical), an error naming the link
/// (as `shown`) and its target.
pub fn link_leaving(path: &Path, root: &Path, shown: &Path) -> Option<Diagnostic> {
    if !std::fs::symlink_metadata(path)
        .ok()?
        .file_type()
        .is_symlink()
    {
        return None;
    }
    outside_site(path, root, shown)
}

/// When `path`, followed through every link on the way, is outside `root` (canonical), an error
/// naming it (as `shown`) and where it leads. For a single file the site reads by name
/// (`i18n/LANG.toml`, `clinics/NAME.toml`), which may sit in a linked folder.
pub fn outside_site(path: &Path, root: &Path, shown: &Path) -> Option<Diagnostic> {
    // A link to nothing is reported by whatever reads it.
    let target = std::fs::canonicalize(path).ok()?;
    if target.starts_with(root) {
        return None;
    }
    let message = match std::fs::read_link(path) {
        Ok(written) => format!("this is a link to {}", written.display()),
        Err(_) => format!("this is reached through a link and is {}", target.display()),
    };
    Some(
        Diagnostic::error(format!(
            "{message}, which is outside the site folder; Haven does not read or publish files from outside the site"
        ))
        .in_file(shown)
        .with_help("copy the file (or folder) into the site instead of linking to it, or remove the link"),
    )
}

/// Names that editors and systems leave behind, never content.
pub fn is_ignored_name(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with('~')
        || (name.starts_with('#') && name.ends_with('#'))
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name == "4913"
        || name == "Thumbs.db"
}

/// Decides the kind of each file from its path alone. `bundle_dirs` are folders holding `index.md`.
pub fn classify(rel: &str, config: &Config, bundle_dirs: &[String]) -> ContentFile {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    let (stem_lang, is_md) = match name.strip_suffix(".md") {
        Some(stem) => (stem, true),
        None => (name, false),
    };
    let (base, lang) = match stem_lang.rsplit_once('.') {
        Some((base, code)) if is_md && config.is_language(code) => (base, code.to_string()),
        _ => (stem_lang, config.default_language.clone()),
    };
    let kind = if is_md && base == "_index" {
        FileKind::Section
    } else if is_md {
        let in_bundle = base == "index";
        FileKind::Page { bundle: in_bundle }
    } else if name.ends_with(".quiz") {
        FileKind::Quiz
    } else if let Some(code) = glossary_language(rel) {
        if !code.is_empty() {
            return ContentFile {
                rel: rel.to_string(),
                kind: FileKind::Glossary,
                lang: code.to_string(),
            };
        }
        FileKind::Glossary
    } else {
        FileKind::Asset
    };
    // A Markdown file inside a bundle (but not its index) is an asset of that bundle.
    let kind = match kind {
        FileKind::Page { bundle: false }
            if bundle_dirs
                .iter()
                .any(|d| rel.starts_with(&format!("{d}/"))) =>
        {
            FileKind::Asset
        }
        k => k,
    };
    ContentFile {
        rel: rel.to_string(),
        kind,
        lang,
    }
}

/// The language of a glossary file at the top of `content/`: `""` for `glossary.toml` (the
/// default language's), `LANG` for `glossary.LANG.toml`; `None` for any other file.
pub fn glossary_language(rel: &str) -> Option<&str> {
    if rel == "glossary.toml" {
        return Some("");
    }
    let code = rel.strip_prefix("glossary.")?.strip_suffix(".toml")?;
    crate::config::is_language_code(code).then_some(code)
}

/// Walks `content_dir` and classifies every file. Unreadable entries and symlink loops are errors.
pub fn discover(content_dir: &Path, config: &Config) -> Result<Vec<ContentFile>, Vec<Diagnostic>> {
    let mut rels: Vec<String> = Vec::new();
    let mut errors = Vec::new();
    let root = content_dir.parent().unwrap_or(Path::new("."));
    for entry in SiteWalk::new(content_dir, root) {
        match entry {
            Ok(entry) if entry.file_type().is_file() => {
                match entry.path().strip_prefix(content_dir) {
                    Ok(rel) => match rel.to_str() {
                        Some(rel) => rels.push(rel.replace('\\', "/")),
                        None => errors.push(
                            Diagnostic::error("file name is not valid UTF-8")
                                .in_file(entry.path())
                                .with_help("rename the file using UTF-8 characters"),
                        ),
                    },
                    Err(_) => continue,
                }
            }
            Ok(_) => {}
            Err(WalkError::Outside(d)) => errors.push(d),
            Err(WalkError::Walk(e)) => {
                let path = e
                    .path()
                    .map(Path::to_path_buf)
                    .unwrap_or_else(|| content_dir.to_path_buf());
                let (message, help) = if e.loop_ancestor().is_some() {
                    (
                        "symbolic link loop: this folder links back to one of its own parents"
                            .to_string(),
                        "remove the symbolic link or point it somewhere outside this folder",
                    )
                } else {
                    (
                        format!("could not read: {e}"),
                        "check that the file exists and can be read",
                    )
                };
                errors.push(
                    Diagnostic::error(message)
                        .in_file(display(&path))
                        .with_help(help),
                );
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let bundle_dirs: Vec<String> = rels
        .iter()
        .filter_map(|r| {
            let (dir, name) = r.rsplit_once('/')?;
            let is_index = name == "index.md"
                || name
                    .strip_prefix("index.")
                    .and_then(|n| n.strip_suffix(".md"))
                    .is_some_and(|code| config.is_language(code));
            is_index.then(|| dir.to_string())
        })
        .collect();
    Ok(rels
        .iter()
        .map(|r| classify(r, config, &bundle_dirs))
        .collect())
}

fn display(path: &Path) -> PathBuf {
    path.to_path_buf()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> Config {
        Config::parse(
            "[languages.es]\nname = \"Español\"\n",
            Path::new("haven.toml"),
        )
        .unwrap()
    }

    #[test]
    fn kinds_and_languages_come_from_the_path() {
        let c = config();
        let bundles = vec!["pcd/intro".to_string()];
        let f = classify("aftercare/_index.md", &c, &bundles);
        assert_eq!((f.kind, f.lang.as_str()), (FileKind::Section, "en"));
        let f = classify("aftercare/what.es.md", &c, &bundles);
        assert_eq!(
            (f.kind.clone(), f.lang.as_str()),
            (FileKind::Page { bundle: false }, "es")
        );
        assert_eq!(f.translation_key(), "aftercare/what.md");
        let f = classify("notes.v1.md", &c, &bundles);
        assert_eq!(f.lang, "en");
        assert_eq!(
            classify("pcd/intro/index.md", &c, &bundles).kind,
            FileKind::Page { bundle: true }
        );
        assert_eq!(
            classify("pcd/intro/diagram.png", &c, &bundles).kind,
            FileKind::Asset
        );
        assert_eq!(
            classify("pcd/intro/extra.md", &c, &bundles).kind,
            FileKind::Asset
        );
        assert_eq!(
            classify("quizzes/a.quiz", &c, &bundles).kind,
            FileKind::Quiz
        );
        assert_eq!(
            classify("glossary.toml", &c, &bundles).kind,
            FileKind::Glossary
        );
        let es = classify("glossary.es.toml", &c, &bundles);
        assert_eq!((es.kind, es.lang.as_str()), (FileKind::Glossary, "es"));
        assert_eq!(
            classify("notes/glossary.es.toml", &c, &bundles).kind,
            FileKind::Asset
        );
    }

    #[test]
    fn editor_leftovers_are_ignored() {
        for name in [
            ".hidden.md",
            "page.md~",
            "#page.md#",
            ".page.md.swp",
            "4913",
        ] {
            assert!(is_ignored_name(name), "{name}");
        }
        assert!(!is_ignored_name("page.md"));
    }
}
