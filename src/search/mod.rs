//! Site search with no server and no third party: the build writes a split index per language
//! under `/search/LANG/` and a search page per language (`/search/`, `/es/search/`); the
//! themes' `static/search.js` fetches only the shards a query needs. See `docs/search.md`.

pub mod index;
pub mod tokenize;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::markdown::Rendered;
use crate::model::{Site, Target};
use crate::output::OutputFile;
use crate::render::{RenderedContent, Shared};
use crate::templates::Templates;
use crate::templates::context::{Common, SectionLink};

pub use crate::config::search::SearchConfig;
pub use index::{Document, IndexBuilder, Limits};

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

/// The title of a section as documents show it (empty for a language's home).
fn section_title(site: &Site, i: usize) -> &str {
    let s = &site.sections[i];
    if s.dir.is_empty() {
        ""
    } else {
        s.front.title.as_str()
    }
}

fn headings(toc: &[crate::markdown::TocEntry]) -> Vec<&str> {
    toc.iter().map(|e| e.title.as_str()).collect()
}

/// A page or section as a document of its language's index, with its rendered Markdown `r`.
/// None for a section that is not indexed (without an `_index.md`, or a language's home) and for
/// a fallback page: its text is in another language, found in that language's index.
fn document<'a>(site: &'a Site, t: Target, r: &'a Rendered) -> Option<(&'a str, Document<'a>)> {
    match t {
        Target::Page(i) if site.pages[i].is_fallback() => None,
        Target::Page(i) => {
            let p = &site.pages[i];
            Some((
                p.file.lang.as_str(),
                Document {
                    url: &p.path,
                    title: &p.front.title,
                    section: section_title(site, p.section),
                    headings: headings(&r.toc),
                    description: p.front.description.as_deref(),
                    body: &r.prose,
                },
            ))
        }
        Target::Section(i) => {
            let s = &site.sections[i];
            (s.file.is_some() && !s.dir.is_empty()).then(|| {
                (
                    s.lang.as_str(),
                    Document {
                        url: &s.path,
                        title: &s.front.title,
                        section: s.parent.map(|p| section_title(site, p)).unwrap_or_default(),
                        headings: headings(&r.toc),
                        description: s.front.description.as_deref(),
                        body: &r.prose,
                    },
                )
            })
        }
    }
}

/// The pages and sections (with an `_index.md`, home excepted) of `lang`, in model order.
pub fn documents<'a>(
    site: &'a Site,
    content: &'a RenderedContent,
    lang: &str,
) -> Vec<Document<'a>> {
    let pages = (0..site.pages.len()).map(|i| (Target::Page(i), &content.pages[i]));
    let sections = (0..site.sections.len()).map(|i| (Target::Section(i), &content.sections[i]));
    pages
        .chain(sections)
        .filter_map(|(t, r)| document(site, t, r))
        .filter(|(l, _)| *l == lang)
        .map(|(_, d)| d)
        .collect()
}

/// An index file of `lang`, from its path under the language's folder.
fn index_file(lang: &str, rel: &str, text: String) -> OutputFile {
    let base = index_path(lang);
    OutputFile::bytes(
        format!("{}{rel}", base.trim_start_matches('/')),
        text.into_bytes(),
    )
}

/// What a page or section adds to its language's index.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Indexed {
    lang: String,
    analysis: index::Analysis,
}

/// Every language's index, built as pages are rendered (all pages first, then sections, as
/// [`documents`] orders them), so a build can drop each page's prose once it is indexed.
pub struct SiteIndex {
    /// (language, its index); empty when search is off.
    langs: Vec<(String, IndexBuilder)>,
}

impl SiteIndex {
    pub fn new(config: &Config) -> Self {
        let limits = Limits::default();
        let langs = if config.search.enabled {
            config
                .all_languages()
                .map(|l| (l.to_string(), IndexBuilder::new(l, limits)))
                .collect()
        } else {
            Vec::new()
        };
        SiteIndex { langs }
    }

    /// Adds the rendered pages or sections `rendered`, the first of them being `first`.
    /// Returns the document chunks this completed, to be written now.
    pub fn add(&mut self, site: &Site, first: Target, rendered: &[Rendered]) -> Vec<OutputFile> {
        // A batch at a time, so memory holds one batch's analyses.
        const BATCH: usize = 512;
        let mut ready = Vec::new();
        for (n, batch) in rendered.chunks(BATCH).enumerate() {
            let analyses = self.analyze(site, first.offset(n * BATCH), batch);
            ready.extend(self.push(analyses));
        }
        ready
    }

    /// What indexing each of `rendered` (the first being `first`) adds, in parallel: `None`
    /// for a section that is not indexed, and for everything when search is off.
    pub fn analyze(
        &self,
        site: &Site,
        first: Target,
        rendered: &[Rendered],
    ) -> Vec<Option<Indexed>> {
        self.analyze_where(site, first, rendered, &|_| true)
    }

    /// [`SiteIndex::analyze`] for those of `rendered` that `wanted` picks by their place in
    /// it (`None` for the others).
    pub fn analyze_where(
        &self,
        site: &Site,
        first: Target,
        rendered: &[Rendered],
        wanted: &(dyn Fn(usize) -> bool + Sync),
    ) -> Vec<Option<Indexed>> {
        if self.langs.is_empty() {
            return vec![None; rendered.len()];
        }
        rendered
            .par_iter()
            .enumerate()
            // A word's stem depends on the language: one tokenizer cache for each.
            .map_init(
                || vec![tokenize::Cache::new(); self.langs.len()],
                |caches, (k, r)| {
                    if !wanted(k) {
                        return None;
                    }
                    let (lang, doc) = document(site, first.offset(k), r)?;
                    let at = self.langs.iter().position(|(l, _)| l == lang)?;
                    Some(Indexed {
                        lang: lang.to_string(),
                        analysis: self.langs[at].1.analyze(&mut caches[at], &doc),
                    })
                },
            )
            .collect()
    }

    /// Adds analysed documents in order. Returns the document chunks this completed, to be
    /// written now.
    pub fn push(&mut self, batch: Vec<Option<Indexed>>) -> Vec<OutputFile> {
        for indexed in batch.into_iter().flatten() {
            if let Some((_, builder)) = self.langs.iter_mut().find(|(l, _)| *l == indexed.lang) {
                builder.push(indexed.analysis);
            }
        }
        let mut ready = Vec::new();
        for (lang, builder) in &mut self.langs {
            builder.end_batch();
            for (rel, text) in builder.take_ready() {
                ready.push(index_file(lang, &rel, text));
            }
        }
        ready
    }

    /// The index files of every language.
    pub fn files(self) -> Vec<OutputFile> {
        self.langs
            .into_iter()
            .flat_map(|(lang, builder)| {
                builder
                    .finish()
                    .into_iter()
                    .map(move |(rel, text)| index_file(&lang, &rel, text))
            })
            .collect()
    }

    /// Hands every language's index files to `put` one at a time, as they are made.
    pub fn finish_into(
        self,
        put: &mut dyn FnMut(OutputFile) -> Result<(), Diagnostic>,
    ) -> Result<(), Diagnostic> {
        for (lang, builder) in self.langs {
            let mut failed = None;
            builder.finish_into(&mut |rel, text| {
                if failed.is_none() {
                    failed = put(index_file(&lang, &rel, text)).err();
                }
            });
            if let Some(e) = failed {
                return Err(e);
            }
        }
        Ok(())
    }
}

/// Every language's index files (nothing when search is off).
pub fn index_files(site: &Site, content: &RenderedContent, config: &Config) -> Vec<OutputFile> {
    let mut index = SiteIndex::new(config);
    let mut files = index.add(site, Target::Page(0), &content.pages);
    files.extend(index.add(site, Target::Section(0), &content.sections));
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

#[cfg(test)]
mod tests {

    use super::*;

    /// Pages of two languages analysed in one batch give what each language's own index gives:
    /// a word's stem is the language's (`ideas` is `idea` in English, `ide` in Spanish).
    #[test]
    fn a_batch_of_two_languages_is_analysed_by_each_language() {
        let mut files = Vec::new();
        for i in 0..40 {
            files.push((
                format!("a/p{i}.md"),
                format!("+++\ntitle = \"P{i}\"\n+++\nIdeas and more ideas help.\n"),
            ));
            files.push((
                format!("a/p{i}.es.md"),
                format!("+++\ntitle = \"P{i}\"\n+++\nLas ideas ayudan.\n"),
            ));
        }
        let files: Vec<(&str, &str)> = files
            .iter()
            .map(|(r, t)| (r.as_str(), t.as_str()))
            .collect();
        let (config, site) = crate::model::test_site("[languages.es]\n", &files);
        let (content, _) = crate::render::render_content(&site, &config);
        let together = SiteIndex::new(&config).analyze(&site, Target::Page(0), &content.pages);
        for (i, analysed) in together.iter().enumerate() {
            let p = &site.pages[i];
            let (lang, doc) = document(&site, Target::Page(i), &content.pages[i]).unwrap();
            let alone = IndexBuilder::new(lang, Limits::default())
                .analyze(&mut tokenize::Cache::new(), &doc);
            let analysed = analysed.as_ref().unwrap();
            assert_eq!(analysed.lang, p.file.lang);
            assert_eq!(analysed.analysis, alone, "{}", p.path);
        }
    }
}
