//! The search page of every language (`/search/`, `/es/search/`) and the index files of a whole
//! site rendered at once. See `docs/search.md`.

use serde::Serialize;

use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::model::Site;
use crate::output::OutputFile;
use crate::render::{RenderedContent, Shared};
use crate::search::{Document, index_path, page_path};
use crate::site_index::{SiteIndex, document};
use crate::templates::Templates;
use crate::templates::context::{Common, SectionLink};

/// The pages and sections (with an `_index.md`, home excepted) of `lang`, in model order.
/// `content` must have kept its prose ([`crate::render::ProseTo::Content`]); without, there is
/// nothing to index.
pub fn documents<'a>(
    site: &'a Site,
    content: &'a RenderedContent,
    lang: &str,
) -> Vec<Document<'a>> {
    let Some(all) = content.all_with_prose() else {
        return Vec::new();
    };
    all.filter_map(|(t, r, prose)| document(site, t, r, prose))
        .filter(|(l, _)| *l == lang)
        .map(|(_, d)| d)
        .collect()
}

/// Every language's index files (nothing when search is off), from the prose `content` kept
/// ([`crate::render::ProseTo::Content`]).
pub fn index_files(site: &Site, content: &RenderedContent, config: &Config) -> Vec<OutputFile> {
    let mut index = SiteIndex::new(config);
    let mut files = match content.all_with_prose() {
        Some(all) => index.add(site, all),
        None => Vec::new(),
    };
    files.extend(index.files());
    files
}

/// `search.html`'s data.
#[derive(Debug, Serialize)]
pub struct SearchTemplate<'a> {
    #[serde(flatten)]
    pub common: Common<'a>,
    pub search: SearchView,
}

#[derive(Debug, Serialize)]
pub struct SearchView {
    /// The folder of this language's index files, for `search.js`.
    pub index: String,
    /// Top-level sections of this language: listed for readers without JavaScript.
    pub sections: Vec<SectionLink>,
}

/// The search page of every language, when the theme has `search.html`.
pub fn pages(
    config: &Config,
    shared: &Shared,
    templates: &Templates,
) -> (Vec<OutputFile>, Vec<Diagnostic>) {
    let mut files = Vec::new();
    let mut diags = Vec::new();
    if !config.search.enabled || !templates.has("search.html") {
        return (files, diags);
    }
    for lang in config.all_languages() {
        let path = page_path(config, lang);
        let common = shared.common(lang, &path);
        let ctx = SearchTemplate {
            search: SearchView {
                index: index_path(lang),
                sections: common.nav.to_vec(),
            },
            common,
        };
        match templates.render("search.html", &ctx) {
            Ok(html) => files.push(OutputFile::html(&path, html)),
            Err(d) => diags.push(d),
        }
    }
    (files, diags)
}
