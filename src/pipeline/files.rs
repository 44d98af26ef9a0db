//! The output files that are not rendered: the static files, and the check that no two files
//! of a build share a path.

use std::collections::BTreeMap;
use std::path::Path;

use crate::diagnostic::{Diagnostic, Errors};
use crate::discover;
use crate::model::Site;
use crate::output::{Contents, OutputFile};
use crate::theme::Theme;

/// The theme's static files, then the site's `static/` over them, then content assets.
pub fn static_files(theme: &Theme, root: &Path, site: &Site) -> Result<Vec<OutputFile>, Errors> {
    let mut files: BTreeMap<String, OutputFile> = BTreeMap::new();
    for asset in crate::blocks::all_assets() {
        let path = format!("haven/{}", asset.name);
        files.insert(path.clone(), OutputFile::bytes(path, asset.bytes.to_vec()));
    }
    // Before the theme's and the site's static files: a `static/_headers` of their own wins.
    let headers = crate::security::headers_file();
    files.insert(headers.path.clone(), headers);
    for (rel, file) in theme.files_under("static") {
        files.insert(rel.to_string(), OutputFile::bytes(rel, file.bytes.clone()));
    }
    let static_dir = root.join("static");
    if static_dir.is_dir() {
        let mut errors = Vec::new();
        for entry in discover::SiteWalk::new(&static_dir, root) {
            let entry = match entry {
                Ok(entry) => entry,
                Err(discover::WalkError::Outside(d)) => {
                    errors.push(d);
                    continue;
                }
                Err(discover::WalkError::Walk(e)) => {
                    errors.push(
                        Diagnostic::error(format!("could not read static/: {e}")).in_file("static"),
                    );
                    continue;
                }
            };
            if entry.file_type().is_file() {
                let rel = entry
                    .path()
                    .strip_prefix(&static_dir)
                    .unwrap_or(entry.path())
                    .to_string_lossy()
                    .replace('\\', "/");
                files.insert(
                    rel.clone(),
                    OutputFile {
                        path: rel,
                        contents: Contents::Copy(entry.path().to_path_buf()),
                    },
                );
            }
        }
        if !errors.is_empty() {
            return Err(Errors(errors));
        }
    }
    for asset in &site.assets {
        files.insert(
            asset.output.clone(),
            OutputFile {
                path: asset.output.clone(),
                contents: Contents::Copy(root.join("content").join(&asset.rel)),
            },
        );
    }
    Ok(files.into_values().collect())
}

/// Two output files with one path is an error on each repeat. When one of them is a page or a
/// section of the site (a folder `content/search/` against the search page, say), the error
/// names its file, so the author knows what to rename.
pub fn check_unique_outputs<'a>(
    paths: impl IntoIterator<Item = &'a str>,
    site: &Site,
) -> Result<(), Errors> {
    let mut seen = std::collections::HashSet::new();
    let mut errors = Vec::new();
    let content_file = |path: &str| {
        let url = format!("/{}", path.strip_suffix("index.html")?);
        site.pages
            .iter()
            .map(|p| (&p.path, &p.display))
            .chain(site.sections.iter().map(|s| (&s.path, &s.display)))
            .find(|(p, _)| **p == url)
            .map(|(_, display)| display.clone())
    };
    for path in paths {
        if !seen.insert(path) {
            let d = Diagnostic::error(format!("two things would be written to {path}"));
            errors.push(match content_file(path) {
                Some(display) => d.in_file(display).with_help(
                    "this page or folder has the address of another page or file (Haven's own pages include search/, handouts/, quizzes/, scripts/, glossary/ and tags/): rename it, or give it another slug",
                ),
                None => d.with_help(
                    "a page, alias, static file or asset shares this path with another; rename one of them",
                ),
            });
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Errors(errors))
    }
}
