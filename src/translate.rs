//! `haven translations stamp` and `haven translations status`: the commands over the pure
//! functions of [`crate::translations`], loading the config and the site through the pipeline.
//! See `docs/translations.md`.

use std::path::{Path, PathBuf};

use crate::diagnostic::{Diagnostic, Errors};
use crate::pipeline::{BuildOptions, load_config, load_site};
use crate::translations::{Untranslated, display_of, pairs, stamp_text, untranslated};

/// A translation `haven translations stamp` looked at.
#[derive(Debug, Clone)]
pub struct Stamped {
    /// `content/...es.md`.
    pub file: PathBuf,
    pub hash: String,
    /// The file was rewritten (it was unstamped or stamped with another hash).
    pub changed: bool,
}

/// `haven translations stamp [PAGE]`: writes the source's hash into every translation, or only
/// PAGE's (a translation, or a source page for all its translations).
pub fn stamp(options: &BuildOptions, page: Option<&Path>) -> Result<Vec<Stamped>, Errors> {
    let config = load_config(options)?;
    let site = load_site(options, &config)?;
    let wanted = page.map(|p| content_path(p, &options.root));
    let mut out = Vec::new();
    for pair in pairs(&site, &config) {
        let (display, _) = display_of(&site, pair.translation);
        let (src_display, _) = display_of(&site, pair.source);
        if wanted
            .as_ref()
            .is_some_and(|w| w != display && w != src_display)
        {
            continue;
        }
        let path = options.root.join(display);
        let text = std::fs::read_to_string(&path)
            .map_err(|e| crate::diagnostic::io_error(display, "read", &e))?;
        let new = stamp_text(&text, &pair.current).ok_or_else(|| {
            Diagnostic::error("this file has no front matter to stamp").in_file(display)
        })?;
        let changed = new != text;
        if changed {
            // Never rewritten in place: an interruption must not leave half an article.
            crate::output::replace_file(&path, new.as_bytes())
                .map_err(|e| crate::diagnostic::io_error(display, "write", &e))?;
        }
        out.push(Stamped {
            file: display.to_path_buf(),
            hash: pair.current,
            changed,
        });
    }
    if let (Some(w), true) = (&wanted, out.is_empty()) {
        return Err(Diagnostic::error(format!(
            "{} is not a translation, nor a page with translations",
            w.display()
        ))
        .with_help("name a file like content/aftercare/what-is-aftercare.es.md, or run `haven translations status` to list them")
        .into());
    }
    Ok(out)
}

/// The state of one translation for `haven translations status`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum State {
    UpToDate,
    Outdated,
    NotStamped,
}

/// `haven translations status`: every translation, its source and its state; then the pages
/// some language lacks ([`untranslated`]).
pub fn status(options: &BuildOptions) -> Result<Status, Errors> {
    let config = load_config(options)?;
    let site = load_site(options, &config)?;
    let missing = untranslated(&site, &config);
    let list = pairs(&site, &config)
        .into_iter()
        .map(|p| {
            let state = match &p.recorded {
                None => State::NotStamped,
                Some(r) if *r == p.current => State::UpToDate,
                Some(_) => State::Outdated,
            };
            (
                display_of(&site, p.translation).0.to_path_buf(),
                display_of(&site, p.source).0.to_path_buf(),
                state,
            )
        })
        .collect();
    Ok(Status {
        translations: list,
        untranslated: missing,
    })
}

/// What `haven translations status` prints.
#[derive(Debug, Clone)]
pub struct Status {
    /// Every translation, its source and its state.
    pub translations: Vec<(PathBuf, PathBuf, State)>,
    /// The default-language pages some language lacks.
    pub untranslated: Vec<Untranslated>,
}

/// A page named on the command line as `content/...` relative to the site: accepts paths under
/// the root, under `content/`, or absolute.
fn content_path(p: &Path, root: &Path) -> PathBuf {
    let rel = match (p.canonicalize(), root.canonicalize()) {
        (Ok(a), Ok(r)) if a.starts_with(&r) => a.strip_prefix(&r).unwrap_or(&a).to_path_buf(),
        _ => p.strip_prefix(root).unwrap_or(p).to_path_buf(),
    };
    let rel = rel.strip_prefix(".").unwrap_or(&rel).to_path_buf();
    if rel.starts_with("content") {
        rel
    } else {
        Path::new("content").join(rel)
    }
}
