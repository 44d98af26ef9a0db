//! The files made from the site as a whole after its pages: collection pages (the quiz index and
//! quiz pages, the scripts page, the glossary pages), handouts, search pages, the sitemap,
//! robots.txt, brand.css, feeds and redirects. Each is a unit of the generated-files cache
//! ([`crate::render::generated`]) whose key hashes what its generator reads, so a rebuild makes
//! again only the units whose inputs changed (with no cache, every unit is made).
//!
//! What each unit's key adds to the shared part (the binary, the config with its UI strings,
//! every page's and section's file, URL and front matter, today's date):
//! - the quiz index and quiz pages: `collection.html`, and the Markdown of every page with a quiz
//!   (its quiz's data and HTML, its reading time in the link back);
//! - the scripts page: `collection.html`, and the Markdown of every page and section with a script;
//! - a glossary page: `collection.html` and that glossary's file;
//! - a search page: `search.html`;
//! - handouts: see [`crate::handout::generate`];
//! - the sitemap, robots.txt, brand.css, feeds and redirects: nothing more (they read the config,
//!   and pages' URLs, dates, titles, descriptions and aliases, all front matter).

use crate::diagnostic::Diagnostic;
use crate::glossary::Glossaries;
use crate::model::{Site, Target};
use crate::output::Sink;
use crate::render::generated::unit;
use crate::render::{self, RenderedContent, Shared};
use crate::templates::Templates;
use crate::templates::context::CollectionPage;
use crate::{collections, feeds};

/// The pages (fallbacks excepted, their blocks are their original's) and sections whose
/// Markdown made a block of `kind`.
fn with_blocks<'a>(
    site: &'a Site,
    content: &'a RenderedContent,
    kind: &'a str,
) -> impl Iterator<Item = Target> + 'a {
    let has = move |r: &crate::markdown::Rendered| r.blocks.iter().any(|b| b.kind == kind);
    let pages = (content.pages.enumerate())
        .filter(move |(i, r)| !site.pages[*i].is_fallback() && has(r))
        .map(|(i, _)| Target::Page(i));
    let sections = (content.sections.enumerate())
        .filter(move |(_, r)| has(r))
        .map(|(i, _)| Target::Section(i));
    pages.chain(sections)
}

/// Every generated file but the pages, sections, tag pages and 404 page, each unit kept or made
/// and handed to `sink`. Returns the diagnostics; the search index only when `search_index`,
/// the handouts unless `skip_handouts` (the PDF stage makes them).
#[allow(clippy::too_many_arguments)]
pub fn files(
    site: &Site,
    content: &RenderedContent,
    shared: &Shared,
    glossaries: &Glossaries,
    templates: &Templates,
    search_index: bool,
    skip_handouts: bool,
    sink: &dyn Sink,
) -> Vec<Diagnostic> {
    let config = shared.config;
    let cache = shared.generated;
    let collection_units = |name: &str, kind: &str, make: &dyn Fn() -> Vec<CollectionPage>| {
        unit(
            cache,
            name,
            |key| {
                with_blocks(site, content, kind)
                    .fold(key.template("collection.html"), |key, t| key.markdown(t))
            },
            sink,
            || {
                let pages = make();
                render::render_collections(&pages, shared, templates)
            },
        )
    };
    let mut diags = collection_units("quizzes", "quiz", &|| {
        collections::quizzes::pages(site, content, shared)
    });
    diags.extend(collection_units("scripts", "script", &|| {
        collections::scripts::pages(site, content, shared)
    }));
    for glossary in glossaries.iter() {
        diags.extend(unit(
            cache,
            &format!("glossary {}", glossary.lang),
            |key| {
                key.template("collection.html").value((
                    &glossary.lang,
                    &glossary.display,
                    &*glossary.text,
                ))
            },
            sink,
            || {
                let page = collections::glossary::collection_page(glossary, config);
                render::render_collections(&[page], shared, templates)
            },
        ));
    }
    if !skip_handouts {
        diags.extend(crate::handout::generate(
            site, content, shared, templates, None, sink,
        ));
    }
    diags.extend(unit(
        cache,
        "search pages",
        |key| key.template("search.html"),
        sink,
        || crate::search_page::pages(config, shared, templates),
    ));
    // The sitemap and robots.txt are for search engines crawling the published site: the
    // offline copy has neither a crawler nor an address of its own.
    if !config.offline {
        diags.extend(unit(
            cache,
            "sitemap",
            |key| key,
            sink,
            || (vec![feeds::sitemap(site, config)], Vec::new()),
        ));
        diags.extend(unit(
            cache,
            "robots",
            |key| key,
            sink,
            || (vec![feeds::robots(config)], Vec::new()),
        ));
    }
    diags.extend(unit(
        cache,
        "brand.css",
        |key| key,
        sink,
        || (vec![feeds::brand_css(config)], Vec::new()),
    ));
    if search_index {
        diags.extend(
            sink.put_all(crate::search_page::index_files(site, content, config))
                .err(),
        );
    }
    if config.generate_feed {
        diags.extend(unit(
            cache,
            "feeds",
            |key| key,
            sink,
            || (feeds::feeds(site, config), Vec::new()),
        ));
    }
    diags.extend(unit(
        cache,
        "redirects",
        |key| key,
        sink,
        || {
            let (redirects, diags) = feeds::redirects(site, config);
            // An old address leads to the published page (base_url): no one reaches the offline
            // copy by an old address, and following one would leave the copy for the network.
            if config.offline {
                (Vec::new(), diags)
            } else {
                (redirects, diags)
            }
        },
    ));
    diags
}
