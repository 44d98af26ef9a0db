//! Themes: a folder of `templates/`, `static/` and `i18n/`. A site's own `themes/NAME` wins; else
//! the built-in theme of that name, embedded in the binary, is used. A theme may name a `parent`
//! in its `theme.toml`: it then has every file of the parent, its own files replacing them one by
//! one (the built-in `clinic` theme is `guide` with its own look and header).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::diagnostic::Diagnostic;

include!(concat!(env!("OUT_DIR"), "/builtin_themes.rs"));

/// A theme file's contents and the path shown in messages.
#[derive(Debug, Clone)]
pub struct ThemeFile {
    pub display: PathBuf,
    pub bytes: Vec<u8>,
}

#[derive(Debug, Clone)]
pub struct Theme {
    pub name: String,
    /// Its name, then its parent's, and so on: the `themes/` folders it is made of.
    pub family: Vec<String>,
    /// Paths inside the theme (`templates/page.html`, `static/style.css`...) to contents.
    pub files: BTreeMap<String, ThemeFile>,
}

impl Theme {
    /// Loads theme `name` for the site at `root`, with the files of its parents under its own.
    pub fn load(root: &Path, name: &str) -> Result<Theme, Diagnostic> {
        /// Deep enough for any real family of themes; a longer chain is a loop.
        const MAX_DEPTH: usize = 8;
        let mut chain = vec![Self::load_one(root, name)?];
        while let Some(parent) = chain[chain.len() - 1].parent()? {
            let child = &chain[chain.len() - 1];
            if chain.len() >= MAX_DEPTH || chain.iter().any(|t| t.name == parent) {
                return Err(Diagnostic::error(format!(
                    "the theme `{}` has `{parent}` as a parent, which makes a loop of parents",
                    child.name
                ))
                .in_file(child.manifest_display())
                .with_help("a theme's parent chain must end in a theme with no `parent`"));
            }
            let loaded = Self::load_one(root, &parent).map_err(|_| {
                Diagnostic::error(format!(
                    "the theme `{}` has `{parent}` as a parent, but there is no theme `{parent}`",
                    child.name
                ))
                .in_file(child.manifest_display())
                .with_help(format!(
                    "the built-in themes are: {}; or put a theme in themes/{parent}/",
                    builtin_names().join(", ")
                ))
            })?;
            chain.push(loaded);
        }
        let mut files = BTreeMap::new();
        for theme in chain.iter().rev() {
            files.extend(theme.files.clone());
        }
        Ok(Theme {
            name: name.to_string(),
            family: chain.into_iter().map(|t| t.name).collect(),
            files,
        })
    }

    /// The `parent` named in the theme's `theme.toml`, if any.
    fn parent(&self) -> Result<Option<String>, Diagnostic> {
        let Some(file) = self.files.get("theme.toml") else {
            return Ok(None);
        };
        let text = String::from_utf8_lossy(&file.bytes);
        let table: toml::Table = toml::from_str(&text).map_err(|e| {
            let source: std::sync::Arc<str> = std::sync::Arc::from(text.as_ref());
            let (start, end) = e.span().map_or((0, 0), |r| (r.start, r.end));
            Diagnostic::error(format!("invalid theme.toml: {}", e.message().trim()))
                .in_file(&file.display)
                .at(&source, start, end)
                .with_help("write theme.toml as TOML: name = \"...\", and parent = \"guide\" to build on a theme")
        })?;
        match table.get("parent") {
            None => Ok(None),
            Some(toml::Value::String(parent)) if crate::config::is_plain_name(parent) => {
                Ok(Some(parent.clone()))
            }
            Some(toml::Value::String(parent)) => Err(Diagnostic::error(format!(
                "parent = {parent:?} in theme.toml is not a theme name: a theme is named, not given as a path"
            ))
            .in_file(&file.display)
            .with_help("write parent = \"guide\"")),
            Some(_) => Err(
                Diagnostic::error("`parent` in theme.toml must be a theme name")
                    .in_file(&file.display)
                    .with_help("write parent = \"guide\""),
            ),
        }
    }

    fn manifest_display(&self) -> PathBuf {
        self.files
            .get("theme.toml")
            .map_or_else(|| PathBuf::from("theme.toml"), |f| f.display.clone())
    }

    /// One theme's own files, without its parents'.
    fn load_one(root: &Path, name: &str) -> Result<Theme, Diagnostic> {
        if !crate::config::is_plain_name(name) {
            return Err(Diagnostic::error(format!(
                "{name:?} is not a theme name: a theme is named, not given as a path"
            ))
            .with_help("name a built-in theme or a folder in themes/, such as \"guide\""));
        }
        let dir = root.join("themes").join(name);
        if dir.is_dir() {
            return Self::from_dir(root, &dir, name, &Path::new("themes").join(name));
        }
        let prefix = format!("{name}/");
        let files: BTreeMap<String, ThemeFile> = BUILTIN_THEME_FILES
            .iter()
            .filter_map(|(path, bytes)| {
                path.strip_prefix(&prefix).map(|rel| {
                    (
                        rel.to_string(),
                        ThemeFile {
                            display: PathBuf::from(format!("(built-in theme) {path}")),
                            bytes: bytes.to_vec(),
                        },
                    )
                })
            })
            .collect();
        if files.is_empty() {
            return Err(
                Diagnostic::error(format!("the theme `{name}` was not found"))
                    .in_file("haven.toml")
                    .with_help(format!(
                        "the built-in themes are: {}; or put a theme in themes/{name}/",
                        builtin_names().join(", ")
                    )),
            );
        }
        Ok(Theme {
            name: name.to_string(),
            family: vec![name.to_string()],
            files,
        })
    }

    /// A theme in the site's `themes/` folder; `root` is the site folder, which its files and
    /// links must stay inside.
    fn from_dir(root: &Path, dir: &Path, name: &str, display: &Path) -> Result<Theme, Diagnostic> {
        let mut files = BTreeMap::new();
        for entry in crate::discover::SiteWalk::new(dir, root) {
            let entry = entry.map_err(|e| match e {
                crate::discover::WalkError::Outside(d) => d,
                crate::discover::WalkError::Walk(e) => {
                    Diagnostic::error(format!("could not read the theme `{name}`: {e}"))
                        .in_file(display)
                }
            })?;
            if !entry.file_type().is_file()
                || crate::discover::is_ignored_name(&entry.file_name().to_string_lossy())
            {
                continue;
            }
            let rel = entry
                .path()
                .strip_prefix(dir)
                .unwrap_or(entry.path())
                .to_string_lossy()
                .replace('\\', "/");
            let bytes = std::fs::read(entry.path())
                .map_err(|e| crate::diagnostic::io_error(entry.path(), "read", &e))?;
            files.insert(
                rel.clone(),
                ThemeFile {
                    display: display.join(&rel),
                    bytes,
                },
            );
        }
        Ok(Theme {
            name: name.to_string(),
            family: vec![name.to_string()],
            files,
        })
    }

    /// Files under `folder/` (e.g. `templates`), keyed by the rest of their path.
    pub fn files_under<'a>(
        &'a self,
        folder: &'a str,
    ) -> impl Iterator<Item = (&'a str, &'a ThemeFile)> + 'a {
        let prefix = format!("{folder}/");
        self.files
            .iter()
            .filter_map(move |(k, v)| k.strip_prefix(&prefix).map(|rest| (rest, v)))
    }
}

pub fn builtin_names() -> Vec<&'static str> {
    let mut names: Vec<&str> = BUILTIN_THEME_FILES
        .iter()
        .filter_map(|(p, _)| p.split('/').next())
        .collect();
    names.dedup();
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clinic_is_guide_with_its_own_files_over_it() {
        let root = tempfile::tempdir().unwrap();
        let clinic = Theme::load(root.path(), "clinic").unwrap();
        let guide = Theme::load(root.path(), "guide").unwrap();
        let page = &clinic.files["templates/page.html"];
        assert_eq!(page.bytes, guide.files["templates/page.html"].bytes);
        assert!(
            page.display
                .to_string_lossy()
                .contains("guide/templates/page.html")
        );
        assert!(
            clinic.files["templates/base.html"]
                .display
                .to_string_lossy()
                .contains("clinic/templates/base.html")
        );
        assert!(
            clinic
                .files
                .contains_key("templates/partials/clinic_contact.html")
        );
        assert!(
            !guide
                .files
                .contains_key("templates/partials/clinic_contact.html")
        );
    }

    fn site_theme(root: &Path, name: &str, manifest: &str, files: &[(&str, &str)]) {
        let dir = root.join("themes").join(name);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("theme.toml"), manifest).unwrap();
        for (rel, text) in files {
            let path = dir.join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
    }

    #[test]
    fn a_site_theme_can_build_on_another_and_loops_are_errors() {
        let root = tempfile::tempdir().unwrap();
        let r = root.path();
        site_theme(
            r,
            "mine",
            "name = \"mine\"\nparent = \"clinic\"\n",
            &[("static/style.css", "x")],
        );
        let mine = Theme::load(r, "mine").unwrap();
        assert_eq!(mine.files["static/style.css"].bytes, b"x");
        assert!(
            mine.files
                .contains_key("templates/partials/clinic_contact.html")
        );
        assert!(mine.files.contains_key("templates/page.html"));
        assert_eq!(mine.family, ["mine", "clinic", "guide"]);

        site_theme(r, "a", "parent = \"b\"\n", &[]);
        site_theme(r, "b", "parent = \"a\"\n", &[]);
        let e = Theme::load(r, "a").unwrap_err();
        assert!(e.message.contains("loop of parents"), "{}", e.message);

        site_theme(r, "orphan", "parent = \"nowhere\"\n", &[]);
        let e = Theme::load(r, "orphan").unwrap_err();
        assert!(e.message.contains("no theme `nowhere`"), "{}", e.message);
        assert!(
            e.location().contains("themes/orphan/theme.toml"),
            "{}",
            e.location()
        );

        site_theme(r, "typo", "parent = [1]\n", &[]);
        assert!(Theme::load(r, "typo").is_err());
    }
}
