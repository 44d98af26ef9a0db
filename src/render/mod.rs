//! From the site model to output files: Markdown for every page and section (`content.rs`),
//! then templates. `build` keeps what both made between builds ([`cache`] for the Markdown,
//! [`page_cache`] for the templates), so a build after a small edit redoes little.

pub mod cache;
mod content;
pub mod deps;
pub mod generated;
pub mod page_cache;
mod shared;

pub use content::{
    Again, ContentLinks, ContentLints, ContentProse, Origin, PerTarget, ProseTo, RenderedBatch,
    RenderedContent, check_content, reading_stats, render_content, render_content_with,
    render_markdown,
};
pub use shared::{Shared, language_name, page_link};

use rayon::prelude::*;
use std::sync::Arc;

use crate::diagnostic::Diagnostic;
use crate::markdown::Rendered;
use crate::model::{PageId, SectionId, Site, Target};
use crate::output::{OutputFile, Sink};
use crate::templates::Templates;
use crate::templates::context::*;

/// Words per minute for reading time: a plain-language pace.
const WORDS_PER_MINUTE: usize = 200;

pub fn word_count(prose: &str) -> usize {
    crate::readability::word_count(prose)
}

pub fn reading_time(words: usize) -> usize {
    words.div_ceil(WORDS_PER_MINUTE).max(1)
}

/// The `/haven/` files of a page's blocks (and of the glossary when a term is marked).
fn asset_files(kinds: &[&'static str], r: &Rendered, ext: &str) -> Vec<String> {
    let glossary: &[&str] = if r.glossary_terms.is_empty() {
        &[]
    } else {
        &["glossary"]
    };
    kinds
        .iter()
        .chain(glossary)
        .flat_map(|k| crate::blocks::assets(k))
        .filter(|a| a.name.ends_with(ext))
        .map(|a| format!("/haven/{}", a.name))
        .collect()
}

/// Renders every page, section, tag page and the 404 page through the templates, handing each
/// file to `sink` as soon as it is made.
pub fn render_templates(
    site: &Site,
    content: &RenderedContent,
    shared: &Shared,
    templates: &Templates,
    sink: &dyn Sink,
) -> Vec<Diagnostic> {
    let config = shared.config;
    let langs: Vec<&str> = config.all_languages().collect();
    let targets: Vec<Target> = site
        .pages
        .ids()
        .map(Target::Page)
        .chain(site.sections.ids().map(Target::Section))
        .collect();
    let mut diags: Vec<Diagnostic> = targets
        .into_par_iter()
        .filter_map(|t| render_target(site, content, shared, templates, t, sink))
        .collect();

    for lang in &langs {
        let lang_tags: Vec<&crate::model::Tag> =
            site.tags.iter().filter(|t| t.lang == *lang).collect();
        let prefix = if *lang == config.default_language {
            String::new()
        } else {
            format!("/{lang}")
        };
        if !lang_tags.is_empty() && templates.has("taxonomy_list.html") {
            // The tags and their pages come from front matter, in every key.
            let name = format!("tags {lang}");
            let key = "taxonomy_list.html";
            let cache = shared.generated;
            diags.extend(generated::unit(
                cache,
                &name,
                |k| k.template(key),
                sink,
                || {
                    let path = format!("{prefix}/tags/");
                    let ctx = TagListTemplate {
                        common: shared.common(lang, &path),
                        tags: lang_tags.iter().map(|t| tag_link(t)).collect(),
                    };
                    match templates.render("taxonomy_list.html", &ctx) {
                        Ok(html) => (vec![OutputFile::html(&path, html)], Vec::new()),
                        Err(d) => (Vec::new(), vec![d]),
                    }
                },
            ));
        }
        if templates.has("taxonomy_single.html") {
            diags.extend(
                lang_tags
                    .par_iter()
                    .filter_map(|tag| render_tag_or_keep(shared, templates, tag, sink))
                    .collect::<Vec<_>>(),
            );
        }
    }

    if templates.has("404.html") {
        let key = "404.html";
        diags.extend(generated::unit(
            shared.generated,
            "404",
            |k| k.template(key),
            sink,
            || {
                let ctx = NotFoundTemplate {
                    common: shared.common(&config.default_language, "/404.html"),
                };
                match templates.render("404.html", &ctx) {
                    Ok(html) => (
                        vec![OutputFile::bytes("404.html", html.into_bytes())],
                        Vec::new(),
                    ),
                    Err(d) => (Vec::new(), vec![d]),
                }
            },
        ));
    }
    diags
}

/// Renders a page or section through its template into `sink`, or keeps it as the output holds
/// it ([`render_or_keep`]).
fn render_target(
    site: &Site,
    content: &RenderedContent,
    shared: &Shared,
    templates: &Templates,
    t: Target,
    sink: &dyn Sink,
) -> Option<Diagnostic> {
    let (url_path, template, counted) = match t {
        Target::Page(i) => (&site.pages[i].path, page_template(&site.pages[i]), true),
        Target::Section(i) => {
            let s = &site.sections[i];
            (&s.path, section_template(s), s.file.is_some())
        }
    };
    if kept_as_before(
        shared,
        templates,
        (template, Some(t), counted),
        url_path,
        sink,
    ) {
        return None;
    }
    match t {
        Target::Page(i) => {
            let p = &site.pages[i];
            let ((template, ctx), reads) =
                deps::recording(|| page_context(site, content, shared, i));
            let source = (p.display.as_path(), &p.source, p.front.template.is_some());
            let made = (template, Some(t), &reads[..], true);
            render_or_keep(shared, templates, made, &ctx, &p.path, source, sink)
        }
        Target::Section(i) => {
            let s = &site.sections[i];
            let ((template, ctx), reads) =
                deps::recording(|| section_context(site, content, shared, i));
            let source = (s.display.as_path(), &s.source, s.front.template.is_some());
            // The summary line counts sections made from an `_index.md` only.
            let made = (template, Some(t), &reads[..], s.file.is_some());
            render_or_keep(shared, templates, made, &ctx, &s.path, source, sink)
        }
    }
}

/// Whether the page cache kept the file at `url_path` as the output holds it without making its
/// context: when what the context read last time is known (`serve`) and the key made from it is
/// as before. `made` is (the template, the page or section, whether the summary counts it).
fn kept_as_before(
    shared: &Shared,
    templates: &Templates,
    made: (&str, Option<Target>, bool),
    url_path: &str,
    sink: &dyn Sink,
) -> bool {
    let (template, own, counted) = made;
    let Some(cache) = shared.page_cache.filter(|_| templates.has(template)) else {
        return false;
    };
    let file_path = OutputFile::html_path(url_path);
    let Some(reads) = cache.previous_reads(&file_path) else {
        return false;
    };
    let key = cache.key(template, own, &reads, &shared.page_links);
    match cache.previous(&file_path, key) {
        Some(output) if sink.keep(&file_path, output) => {
            cache.record(&file_path, key, output, reads, counted);
            true
        }
        _ => false,
    }
}

/// Renders a page or section's `template` with `ctx` and puts it at `url_path`, unless the page
/// cache knows it would come out as the output already holds it (then it is kept as it is).
/// `made` is (the template, the page or section, what its context read of other pages, whether
/// the summary line counts it);
/// `source` locates a template's error: (file shown, its text, whether its front matter chose
/// the template).
fn render_or_keep<T: serde::Serialize>(
    shared: &Shared,
    templates: &Templates,
    made: (&str, Option<Target>, &[deps::Read], bool),
    ctx: &T,
    url_path: &str,
    source: (&std::path::Path, &std::sync::Arc<str>, bool),
    sink: &dyn Sink,
) -> Option<Diagnostic> {
    let (template, own, reads, counted) = made;
    let cache = shared.page_cache.filter(|_| templates.has(template));
    let key = cache.map(|c| c.key(template, own, reads, &shared.page_links));
    let file_path = OutputFile::html_path(url_path);
    if let (Some(cache), Some(key)) = (cache, key)
        && let Some(output) = cache.previous(&file_path, key)
        && sink.keep(&file_path, output)
    {
        cache.record(&file_path, key, output, Arc::from(reads), counted);
        return None;
    }
    let html = match render_named(templates, template, source.2, ctx, source.0, source.1) {
        Ok(html) => html,
        Err(d) => return Some(d),
    };
    if let (Some(cache), Some(key)) = (cache, key) {
        let output = crate::output::content_hash(html.as_bytes());
        cache.record(&file_path, key, output, Arc::from(reads), false);
    }
    sink.put(OutputFile::html(url_path, html)).err()
}

/// Renders page `i` through its template.
pub fn render_page(
    site: &Site,
    content: &RenderedContent,
    shared: &Shared,
    templates: &Templates,
    i: PageId,
) -> Result<String, Diagnostic> {
    let page = &site.pages[i];
    let (template, ctx) = page_context(site, content, shared, i);
    let chosen = page.front.template.is_some();
    render_named(
        templates,
        template,
        chosen,
        &ctx,
        &page.display,
        &page.source,
    )
}

/// Page `i`'s template and the data it gets.
fn page_context<'a>(
    site: &'a Site,
    content: &'a RenderedContent,
    shared: &'a Shared,
    i: PageId,
) -> (&'a str, PageTemplate<'a>) {
    let config = shared.config;
    let langs: Vec<&str> = config.all_languages().collect();
    let page = &site.pages[i];
    let r = &content.pages[i];
    let fallback = page.fallback_of.and_then(|j| {
        let original = &site.pages[j];
        Some(FallbackView {
            text: shared::fallback_text(site, config, i)?,
            name: language_name(config, &original.file.lang),
            path: original.path.clone(),
            permalink: config.absolute_url(&original.path),
        })
    });
    // Measured in the text's language (a fallback page's is its original's).
    let stats = r.stats.clone();
    let words = stats.words;
    let (prev, next) = site.prev_next(i);
    let tags = page
        .front
        .tags
        .iter()
        .filter_map(|name| {
            let slug = crate::slug::slug_or_fallback(name, "tag");
            site.tags
                .iter()
                .find(|t| t.slug == slug && t.lang == page.file.lang)
                .map(tag_link)
        })
        .collect();
    let mut kinds: Vec<&'static str> = r.blocks.iter().map(|b| b.kind).collect();
    kinds.sort_unstable();
    kinds.dedup();
    let block_files = |ext: &str| asset_files(&kinds, r, ext);
    let review_due =
        crate::readability::review_due(page.front.reviewed_on, page.front.review_every);
    let view = PageView {
        title: &page.front.title,
        description: page.front.description.as_deref(),
        path: &page.path,
        permalink: config.absolute_url(&page.path),
        date: page.front.date,
        updated: page.front.updated,
        tags,
        content: &r.html,
        toc: &r.toc,
        word_count: words,
        reading_time: reading_time(words),
        prev: prev.map(|p| shared.link(p)),
        next: next.map(|p| shared.link(p)),
        ancestors: site
            .ancestors(page.section)
            .iter()
            .map(|&s| shared.section_links[s].clone())
            .collect(),
        content_notes: &page.front.content_notes,
        reviewed_by: page.front.reviewed_by.as_deref(),
        reviewed_on: page.front.reviewed_on,
        review_due,
        review_overdue: crate::readability::review_overdue(review_due, crate::readability::today()),
        stats,
        sources: &page.front.sources,
        translations: translations(
            site,
            shared,
            &page.file.translation_key(),
            &page.file.lang,
            &langs,
        ),
        translation_outdated: {
            // Whether the original's text changed since: a read of another page's source.
            if let Some(original) = crate::translations::source_of(site, config, Target::Page(i)) {
                deps::note(deps::Read::Source(original));
            }
            crate::translations::page_outdated(site, config, i)
        },
        fallback,
        assets: page
            .assets
            .iter()
            .map(|a| format!("{}{}", page.path, a.rsplit('/').next().unwrap_or(a)))
            .collect(),
        styles: block_files(".css"),
        scripts: block_files(".js"),
        block_kinds: kinds,
        handout: crate::handout_data::page_link(
            page,
            shared.config,
            shared.strings.get(&page.file.lang),
        ),
        extra: &page.front.extra,
    };
    let ctx = PageTemplate {
        common: shared.common(&page.file.lang, &page.path),
        page: view,
        section: shared.section_links[page.section].clone(),
    };
    (page_template(page), ctx)
}

/// The template a page renders through: its front matter's `template`, else `page.html`.
pub fn page_template(page: &crate::model::Page) -> &str {
    page.front.template.as_deref().unwrap_or("page.html")
}

/// The template a section renders through: its `template`, else `index.html` for a home page
/// and `section.html` for the others.
pub fn section_template(section: &crate::model::Section) -> &str {
    let default = if section.dir.is_empty() {
        "index.html"
    } else {
        "section.html"
    };
    section.front.template.as_deref().unwrap_or(default)
}

/// Renders section `i` through its template.
pub fn render_section(
    site: &Site,
    content: &RenderedContent,
    shared: &Shared,
    templates: &Templates,
    i: SectionId,
) -> Result<String, Diagnostic> {
    let section = &site.sections[i];
    let (template, ctx) = section_context(site, content, shared, i);
    let chosen = section.front.template.is_some();
    render_named(
        templates,
        template,
        chosen,
        &ctx,
        &section.display,
        &section.source,
    )
}

/// Section `i`'s template and the data it gets.
fn section_context<'a>(
    site: &'a Site,
    content: &'a RenderedContent,
    shared: &'a Shared,
    i: SectionId,
) -> (&'a str, SectionTemplate<'a>) {
    let config = shared.config;
    let langs: Vec<&str> = config.all_languages().collect();
    let section = &site.sections[i];
    let r = &content.sections[i];
    let mut kinds: Vec<&'static str> = r.blocks.iter().map(|b| b.kind).collect();
    kinds.sort_unstable();
    kinds.dedup();
    let view = SectionView {
        stats: r.stats.clone(),
        styles: asset_files(&kinds, r, ".css"),
        scripts: asset_files(&kinds, r, ".js"),
        title: &section.front.title,
        description: section.front.description.as_deref(),
        path: &section.path,
        permalink: config.absolute_url(&section.path),
        content: &r.html,
        toc: &r.toc,
        pages: section.pages.iter().map(|&p| shared.link(p)).collect(),
        subsections: section
            .subsections
            .iter()
            .map(|&s| shared.section_links[s].clone())
            .collect(),
        ancestors: site
            .ancestors(i)
            .iter()
            .map(|&s| shared.section_links[s].clone())
            .collect(),
        translations: translations(
            site,
            shared,
            &section.translation_key(),
            &section.lang,
            &langs,
        ),
        featured: if section.dir.is_empty() {
            featured_pages(site, shared, &section.lang)
        } else {
            Vec::new()
        },
        extra: &section.front.extra,
    };
    let ctx = SectionTemplate {
        common: shared.common(&section.lang, &section.path),
        section: view,
    };
    (section_template(section), ctx)
}

/// Renders one tag's page through `taxonomy_single.html` (which must exist).
pub fn render_tag(
    shared: &Shared,
    templates: &Templates,
    tag: &crate::model::Tag,
) -> Result<String, Diagnostic> {
    templates.render("taxonomy_single.html", &tag_context(shared, tag))
}

fn tag_context<'a>(shared: &'a Shared, tag: &'a crate::model::Tag) -> TagTemplate<'a> {
    TagTemplate {
        common: shared.common(&tag.lang, &tag.path),
        tag: tag_link(tag),
        pages: tag.pages.iter().map(|&p| shared.link(p)).collect(),
    }
}

/// Renders one tag's page into `sink`, or keeps it ([`render_or_keep`]).
fn render_tag_or_keep(
    shared: &Shared,
    templates: &Templates,
    tag: &crate::model::Tag,
    sink: &dyn Sink,
) -> Option<Diagnostic> {
    if kept_as_before(
        shared,
        templates,
        ("taxonomy_single.html", None, false),
        &tag.path,
        sink,
    ) {
        return None;
    }
    let (ctx, reads) = deps::recording(|| tag_context(shared, tag));
    let made = ("taxonomy_single.html", None, &reads[..], false);
    let source = (std::path::Path::new(""), &Default::default(), false);
    render_or_keep(shared, templates, made, &ctx, &tag.path, source, sink)
}

/// Renders through `name`; `chosen` when the file's own `template` named it, so a failure is
/// also reported at that key (the usual cause: a page naming a section's template, or the
/// other way round, whose variables it does not have).
fn render_named<T: serde::Serialize>(
    templates: &Templates,
    name: &str,
    chosen: bool,
    ctx: &T,
    display: &std::path::Path,
    source: &std::sync::Arc<str>,
) -> Result<String, Diagnostic> {
    let at = source.find("template").unwrap_or(0);
    if !templates.has(name) {
        return Err(Diagnostic::error(format!("the template `{name}` does not exist"))
            .in_file(display)
            .at(source, at, at + 8)
            .with_help("name a template of the theme (page.html, section.html...) or add it to templates/"));
    }
    templates.render(name, ctx).map_err(|e| {
        if !chosen {
            return e;
        }
        Diagnostic::error(format!("the template `{name}` named here failed: {}", e.message))
            .in_file(display)
            .at(source, at, at + 8)
            .with_help("page.html is made for pages, section.html for sections and index.html for the home page: name one made for this kind of file, or remove `template`")
    })
}

/// Pages of `lang` marked `extra.featured = true` in front matter, for the home page.
fn featured_pages(site: &Site, shared: &Shared, lang: &str) -> Vec<PageLink> {
    site.pages
        .enumerate()
        .filter(|(_, p)| {
            p.file.lang == lang
                && p.front
                    .extra
                    .get("featured")
                    .and_then(serde_json::Value::as_bool)
                    == Some(true)
        })
        .map(|(i, _)| shared.link(i))
        .collect()
}

fn tag_link(t: &crate::model::Tag) -> TagLink {
    TagLink {
        name: t.name.clone(),
        slug: t.slug.clone(),
        path: t.path.clone(),
        page_count: t.pages.len(),
    }
}

fn translations(
    site: &Site,
    shared: &Shared,
    key: &str,
    lang: &str,
    langs: &[&str],
) -> Vec<TranslationLink> {
    let found = site.translations(key, langs);
    if found.len() < 2 {
        return Vec::new();
    }
    found
        .into_iter()
        .map(|(code, target)| {
            let path = site.path_of(target).to_string();
            TranslationLink {
                name: language_name(shared.config, &code),
                permalink: shared.config.absolute_url(&path),
                current: code == lang,
                lang: code,
                path,
                fallback: matches!(target, Target::Page(i) if site.pages[i].is_fallback()),
            }
        })
        .collect()
}

/// Renders the generated collection pages through `collection.html`.
pub fn render_collections(
    pages: &[CollectionPage],
    shared: &Shared,
    templates: &Templates,
) -> (Vec<OutputFile>, Vec<Diagnostic>) {
    let mut files = Vec::new();
    let mut diags = Vec::new();
    for collection in pages {
        let ctx = CollectionTemplate {
            common: shared.common(&collection.lang, &collection.path),
            collection,
        };
        match templates.render("collection.html", &ctx) {
            Ok(html) => files.push(OutputFile::html(&collection.path, html)),
            Err(d) => diags.push(d),
        }
    }
    (files, diags)
}
