//! Site search with no server and no third party: the build writes a split index per language
//! under `/search/LANG/` and a search page per language (`/search/`, `/es/search/`); the
//! themes' `static/search.js` fetches only the shards a query needs. See `docs/search.md`.

pub mod index;
pub mod tokenize;

use serde::{Deserialize, Serialize};

use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::model::Site;
use crate::output::OutputFile;
use crate::render::{RenderedContent, Shared};
use crate::templates::Templates;
use crate::templates::context::{Common, SectionLink};

pub use index::{Document, Limits};

/// `[search]` in `haven.toml`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct SearchConfig {
    /// Build the index and the search page, and show the search box.
    pub enabled: bool,
}

impl Default for SearchConfig {
    fn default() -> Self {
        SearchConfig { enabled: true }
    }
}

/// The search page's URL path in `lang`: `/search/`, `/es/search/`.
pub fn page_path(config: &Config, lang: &str) -> String {
    if lang == config.default_language {
        "/search/".to_string()
    } else {
        format!("/{lang}/search/")
    }
}

/// Where `lang`'s index files are: `/search/es/`.
pub fn index_path(lang: &str) -> String {
    format!("/search/{lang}/")
}

/// The pages and sections (with an `_index.md`, home excepted) of `lang`, in model order.
pub fn documents<'a>(
    site: &'a Site,
    content: &'a RenderedContent,
    lang: &str,
) -> Vec<Document<'a>> {
    let section_title = |i: usize| {
        let s = &site.sections[i];
        if s.dir.is_empty() {
            ""
        } else {
            s.front.title.as_str()
        }
    };
    let headings = |toc: &'a [crate::markdown::TocEntry]| -> Vec<&'a str> {
        toc.iter().map(|e| e.title.as_str()).collect()
    };
    let mut docs: Vec<Document> = site
        .pages
        .iter()
        .zip(&content.pages)
        .filter(|(p, _)| p.file.lang == lang)
        .map(|(p, r)| Document {
            url: &p.path,
            title: &p.front.title,
            section: section_title(p.section),
            headings: headings(&r.toc),
            description: p.front.description.as_deref(),
            body: &r.prose,
        })
        .collect();
    docs.extend(
        site.sections
            .iter()
            .zip(&content.sections)
            .filter(|(s, _)| s.lang == lang && s.file.is_some() && !s.dir.is_empty())
            .map(|(s, r)| Document {
                url: &s.path,
                title: &s.front.title,
                section: s.parent.map(section_title).unwrap_or_default(),
                headings: headings(&r.toc),
                description: s.front.description.as_deref(),
                body: &r.prose,
            }),
    );
    docs
}

/// Every language's index files (nothing when search is off).
pub fn index_files(site: &Site, content: &RenderedContent, config: &Config) -> Vec<OutputFile> {
    if !config.search.enabled {
        return Vec::new();
    }
    let limits = Limits::default();
    config
        .all_languages()
        .flat_map(|lang| {
            let docs = documents(site, content, lang);
            let base = index_path(lang);
            index::build(lang, &docs, &limits)
                .into_iter()
                .map(move |(rel, text)| {
                    OutputFile::bytes(
                        format!("{}{rel}", base.trim_start_matches('/')),
                        text.into_bytes(),
                    )
                })
        })
        .collect()
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
