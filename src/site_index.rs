//! What rendered pages add to each language's search index ([`crate::search`]): a page or
//! section as a search document, analysed in parallel as the build renders, so a build can drop
//! each page's prose once it is indexed. See `docs/search.md`.

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::markdown::{Rendered, TocEntry};
use crate::model::{SectionId, Site, Target};
use crate::output::OutputFile;
use crate::search::index::{self, Document, IndexBuilder, Limits};
use crate::search::{index_file, tokenize};

/// The title of a section as documents show it (empty for a language's home).
fn section_title(site: &Site, i: SectionId) -> &str {
    let s = &site.sections[i];
    if s.dir.is_empty() {
        ""
    } else {
        s.front.title.as_str()
    }
}

fn headings(toc: &[TocEntry]) -> Vec<&str> {
    toc.iter().map(|e| e.title.as_str()).collect()
}

/// A page or section as a document of its language's index, with its rendered Markdown `r` and
/// its prose.
/// None for a section that is not indexed (without an `_index.md`, or a language's home) and for
/// a fallback page: its text is in another language, found in that language's index.
pub fn document<'a>(
    site: &'a Site,
    t: Target,
    r: &'a Rendered,
    prose: &'a str,
) -> Option<(&'a str, Document<'a>)> {
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
                    body: prose,
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
                        body: prose,
                    },
                )
            })
        }
    }
}

/// What a page or section adds to its language's index.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Indexed {
    lang: String,
    analysis: index::Analysis,
}

/// Every language's index, built as pages are rendered (all pages first, then sections, the
/// order of the search page's documents), so a build can drop each page's prose once it is
/// indexed.
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

    /// Adds the rendered pages and sections `docs`, in order. Returns the document chunks this
    /// completed, to be written now.
    pub fn add<'r>(
        &mut self,
        site: &Site,
        docs: impl IntoIterator<Item = (Target, &'r Rendered, &'r str)>,
    ) -> Vec<OutputFile> {
        // A batch at a time, so memory holds one batch's analyses.
        const BATCH: usize = 512;
        let mut ready = Vec::new();
        let mut docs = docs.into_iter().peekable();
        while docs.peek().is_some() {
            let batch: Vec<_> = docs.by_ref().take(BATCH).collect();
            let analyses = self.analyze(site, &batch);
            ready.extend(self.push(analyses));
        }
        ready
    }

    /// What indexing each of `docs` adds, in parallel: `None` for a section that is not
    /// indexed, and for everything when search is off.
    pub fn analyze(&self, site: &Site, docs: &[(Target, &Rendered, &str)]) -> Vec<Option<Indexed>> {
        self.analyze_where(site, docs, &|_| true)
    }

    /// [`SiteIndex::analyze`] for those of `docs` that `wanted` picks by their place in it
    /// (`None` for the others).
    pub fn analyze_where(
        &self,
        site: &Site,
        docs: &[(Target, &Rendered, &str)],
        wanted: &(dyn Fn(usize) -> bool + Sync),
    ) -> Vec<Option<Indexed>> {
        if self.langs.is_empty() {
            return vec![None; docs.len()];
        }
        docs.par_iter()
            .enumerate()
            // A word's stem depends on the language: one tokenizer cache for each.
            .map_init(
                || vec![tokenize::Cache::new(); self.langs.len()],
                |caches, (k, &(target, r, prose))| {
                    if !wanted(k) {
                        return None;
                    }
                    let (lang, doc) = document(site, target, r, prose)?;
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
        let (content, _) = crate::render::render_content(
            &site,
            &config,
            &crate::glossary::Glossaries::load(&site, &config).0,
        );
        let docs: Vec<_> = (content.all_with_prose().unwrap())
            .filter(|(t, _, _)| matches!(t, Target::Page(_)))
            .collect();
        let together = SiteIndex::new(&config).analyze(&site, &docs);
        for (i, analysed) in site.pages.ids().zip(&together) {
            let p = &site.pages[i];
            let prose = &content.prose.as_ref().unwrap().pages[i];
            let (lang, doc) = document(&site, Target::Page(i), &content.pages[i], prose).unwrap();
            let alone = IndexBuilder::new(lang, Limits::default())
                .analyze(&mut tokenize::Cache::new(), &doc);
            let analysed = analysed.as_ref().unwrap();
            assert_eq!(analysed.lang, p.file.lang);
            assert_eq!(analysed.analysis, alone, "{}", p.path);
        }
    }
}
