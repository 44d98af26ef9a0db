//! Themes: a folder of `templates/`, `static/` and `i18n/`. A site's own `themes/NAME` wins; else
//! the built-in theme of that name, embedded in the binary, is used.

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
    /// Paths inside the theme (`templates/page.html`, `static/style.css`...) to contents.
    pub files: BTreeMap<String, ThemeFile>,
}

impl Theme {
    /// Loads theme `name` for the site at `root`.
    pub fn load(root: &Path, name: &str) -> Result<Theme, Diagnostic> {
        let dir = root.join("themes").join(name);
        if dir.is_dir() {
            return Self::from_dir(&dir, name, &Path::new("themes").join(name));
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
            files,
        })
    }

    fn from_dir(dir: &Path, name: &str, display: &Path) -> Result<Theme, Diagnostic> {
        let mut files = BTreeMap::new();
        for entry in walkdir::WalkDir::new(dir).follow_links(true) {
            let entry = entry.map_err(|e| {
                Diagnostic::error(format!("could not read the theme `{name}`: {e}"))
                    .in_file(display)
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
