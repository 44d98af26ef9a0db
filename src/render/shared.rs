//! What every template shares, prepared once per build: the site's data per language, UI
//! strings, navigation, and what lists and neighbours show of each page and section.

use std::collections::BTreeMap;

use super::{RenderedContent, page_cache, reading_time};
use crate::config::Config;
use crate::model::{IdVec, PageId, SectionId, Site};
use crate::templates::context::*;

/// Everything the templates share, prepared once per build.
pub struct Shared<'a> {
    pub config: &'a Config,
    /// By language: the clinic block is translated.
    pub site_info: BTreeMap<String, SiteInfo<'a>>,
    pub strings: BTreeMap<String, BTreeMap<String, String>>,
    pub nav: BTreeMap<String, Vec<SectionLink>>,
    pub homes: BTreeMap<String, SectionLink>,
    pub page_links: IdVec<PageId, PageLink>,
    pub section_links: IdVec<SectionId, SectionLink>,
    /// Languages with at least one tag: only they have a tags page (`/tags/`, `/es/tags/`).
    pub tag_languages: std::collections::BTreeSet<String>,
    /// The page cache: pages whose key did not change are not rendered ([`page_cache`]).
    pub page_cache: Option<&'a page_cache::PageCache>,
    /// The generated-files cache: files whose unit's key did not change are not made again
    /// ([`super::generated`]).
    pub generated: Option<&'a super::generated::Generated>,
}

/// What lists and neighbours show of page `i`.
pub fn page_link(site: &Site, content: &RenderedContent, config: &Config, i: PageId) -> PageLink {
    let p = &site.pages[i];
    let fallback = fallback_text(site, config, i);
    PageLink {
        title: p.front.title.clone(),
        description: p.front.description.clone(),
        path: p.path.clone(),
        permalink: config.absolute_url(&p.path),
        date: p.front.date,
        reading_time: reading_time(content.pages[i].words),
        lang: fallback
            .as_ref()
            .map_or_else(|| p.file.lang.clone(), |f| f.lang.clone()),
        fallback,
    }
}

/// The language (and direction, where it differs) of fallback page `i`'s text; `None` for
/// every other page.
pub fn fallback_text(site: &Site, config: &Config, i: PageId) -> Option<FallbackText> {
    let p = &site.pages[i];
    let original = &site.pages[p.fallback_of?];
    let lang = original.file.lang.clone();
    let rtl = config.is_rtl(&lang);
    let dir = (rtl != config.is_rtl(&p.file.lang)).then_some(if rtl { "rtl" } else { "ltr" });
    Some(FallbackText { lang, dir })
}

impl<'a> Shared<'a> {
    pub fn new(
        site: &Site,
        content: &RenderedContent,
        config: &'a Config,
        strings: BTreeMap<String, BTreeMap<String, String>>,
    ) -> Self {
        let page_links = site
            .pages
            .ids()
            .map(|i| page_link(site, content, config, i))
            .collect();
        Self::with_page_links(site, config, strings, page_links)
    }

    /// As [`Shared::new`], with the pages' links already made (`serve` keeps them between
    /// edits: counting every page's words again costs more than re-rendering one page).
    pub fn with_page_links(
        site: &Site,
        config: &'a Config,
        strings: BTreeMap<String, BTreeMap<String, String>>,
        page_links: IdVec<PageId, PageLink>,
    ) -> Self {
        let section_links: IdVec<SectionId, SectionLink> = site
            .sections
            .iter()
            .map(|s| SectionLink {
                title: s.front.title.clone(),
                description: s.front.description.clone(),
                path: s.path.clone(),
                permalink: config.absolute_url(&s.path),
                page_count: s.pages.len(),
            })
            .collect();
        let mut nav = BTreeMap::new();
        let mut homes = BTreeMap::new();
        for lang in config.all_languages() {
            if let Some(home) = site.home(lang) {
                homes.insert(lang.to_string(), section_links[home].clone());
                let links = site.sections[home]
                    .subsections
                    .iter()
                    .map(|&s| section_links[s].clone())
                    .collect();
                nav.insert(lang.to_string(), links);
            }
        }
        let languages: Vec<LanguageInfo> = config
            .all_languages()
            .map(|code| LanguageInfo {
                code: code.to_string(),
                name: language_name(config, code),
                rtl: config.is_rtl(code),
                path: site
                    .home(code)
                    .map_or_else(|| "/".to_string(), |h| site.sections[h].path.clone()),
            })
            .collect();
        Shared {
            config,
            site_info: config
                .all_languages()
                .map(|lang| {
                    (
                        lang.to_string(),
                        SiteInfo::new(config, languages.clone(), lang),
                    )
                })
                .collect(),
            strings,
            nav,
            homes,
            page_links,
            section_links,
            tag_languages: site.tags.iter().map(|t| t.lang.clone()).collect(),
            page_cache: None,
            generated: None,
        }
    }

    /// What lists show of page `i`, noted as read by the context being made ([`super::deps`]).
    pub fn link(&self, i: PageId) -> PageLink {
        super::deps::note(super::deps::Read::Link(i));
        self.page_links[i].clone()
    }

    /// With the page cache.
    pub fn with_page_cache(self, cache: Option<&'a page_cache::PageCache>) -> Self {
        Shared {
            page_cache: cache,
            ..self
        }
    }

    /// With the generated-files cache.
    pub fn with_generated(self, cache: Option<&'a super::generated::Generated>) -> Self {
        Shared {
            generated: cache,
            ..self
        }
    }

    pub fn common(&'a self, lang: &'a str, path: &str) -> Common<'a> {
        static EMPTY: BTreeMap<String, String> = BTreeMap::new();
        let default = &self.config.default_language;
        Common {
            config: self
                .site_info
                .get(lang)
                .or_else(|| self.site_info.get(default))
                .expect("every language has the site's data"),
            lang,
            dir: if self.config.is_rtl(lang) {
                "rtl"
            } else {
                "ltr"
            },
            t: self
                .strings
                .get(lang)
                .or_else(|| self.strings.get(default))
                .unwrap_or(&EMPTY),
            nav: self.nav.get(lang).map_or(&[], Vec::as_slice),
            home: self
                .homes
                .get(lang)
                .or_else(|| self.homes.get(default))
                .expect("every language has a home section"),
            tags_path: self.tag_languages.contains(lang).then(|| {
                format!(
                    "{}tags/",
                    self.homes.get(lang).map_or("/", |h| h.path.as_str())
                )
            }),
            current_path: path.to_string(),
            current_url: self.config.absolute_url(path),
            feed_path: self.config.generate_feed.then(|| {
                if lang == default.as_str() {
                    "/atom.xml".to_string()
                } else {
                    format!("/{lang}/atom.xml")
                }
            }),
            site_title: self
                .config
                .languages
                .get(lang)
                .and_then(|l| l.title.as_deref())
                .unwrap_or(&self.config.title),
            site_description: self
                .config
                .languages
                .get(lang)
                .and_then(|l| l.description.as_deref())
                .unwrap_or(&self.config.description),
            search_path: self
                .config
                .search
                .enabled
                .then(|| crate::search::page_path(self.config, lang)),
        }
    }
}

/// A language's name in its own words: the site's `[languages.X] name`, else the language's
/// `language_name` string (its own pack's, which the site's or theme's `i18n/X.toml` may
/// override), else its code. Never another language's name for it.
pub fn language_name(config: &Config, code: &str) -> String {
    if let Some(l) = config.languages.get(code).filter(|l| !l.name.is_empty()) {
        return l.name.clone();
    }
    let resolved = config.ui.get(code).and_then(|m| m.get("language_name"));
    let builtin = || {
        crate::i18n::builtin(code)
            .or_else(|| {
                code.split_once(['-', '_'])
                    .and_then(|(base, _)| crate::i18n::builtin(base))
            })
            .and_then(|m| m.get("language_name"))
    };
    resolved
        .or_else(builtin)
        .map_or_else(|| code.to_string(), Clone::clone)
}
