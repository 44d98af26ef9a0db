//! The Markdown stage: every page and section rendered (in batches, in parallel), then the
//! checks that need all of them (anchors, resources from other origins).

use rayon::prelude::*;

use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::glossary::Glossaries;
use crate::markdown::{self, LinkFacts, LintFacts, RenderContext, Rendered};
use crate::model::{IdVec, PageId, SectionId, Site, Target};
use crate::site_index::Indexed;

use super::cache::{Frame, Reader};

/// The Markdown of every page and section, in the model's order.
#[derive(Debug, Default)]
pub struct RenderedContent {
    pub pages: IdVec<PageId, Rendered>,
    pub sections: IdVec<SectionId, Rendered>,
    /// Every page's prose, kept only when the search index is made from it at the end
    /// ([`ProseTo::Content`]).
    pub prose: Option<ContentProse>,
    /// What only the checks across pages read, kept past them only when the build was asked
    /// to keep it (`serve`, which checks again after each edit).
    pub links: Option<ContentLinks>,
    /// What only `haven check` reads, kept only when the build was asked to keep it.
    pub lints: Option<ContentLints>,
}

/// A value for each page and each section, by id.
#[derive(Debug, Clone)]
pub struct PerTarget<T> {
    pub pages: IdVec<PageId, T>,
    pub sections: IdVec<SectionId, T>,
}

impl<T> Default for PerTarget<T> {
    fn default() -> Self {
        PerTarget {
            pages: IdVec::default(),
            sections: IdVec::default(),
        }
    }
}

impl<T> PerTarget<T> {
    pub fn get(&self, t: Target) -> Option<&T> {
        match t {
            Target::Page(i) => self.pages.get(i),
            Target::Section(i) => self.sections.get(i),
        }
    }

    fn slot(&mut self, t: Target) -> &mut T {
        match t {
            Target::Page(i) => &mut self.pages[i],
            Target::Section(i) => &mut self.sections[i],
        }
    }

    /// Adds a batch of pages (or the sections), as `first` says.
    fn extend(&mut self, first: Target, items: Vec<T>) {
        match first {
            Target::Page(_) => self.pages.extend(items),
            Target::Section(_) => self.sections.extend(items),
        }
    }
}

/// A page's Markdown rendered again (`serve`), as [`RenderedContent::replace`] takes it.
#[derive(Debug, Clone, Default)]
pub struct Again {
    pub rendered: Rendered,
    pub prose: String,
    pub links: LinkFacts,
}

/// Every page's and section's prose (see [`markdown::Output::prose`]).
pub type ContentProse = PerTarget<String>;

/// What the checks across pages read of every page and section.
pub type ContentLinks = PerTarget<LinkFacts>;

/// What only `haven check`'s lints (and `--external`) read of every page and section.
pub type ContentLints = PerTarget<LintFacts>;

/// Where each page's prose goes once it is rendered.
pub enum ProseTo<'a> {
    /// Kept in [`RenderedContent::prose`], for a search index made at the end.
    Content,
    /// Handed by value to the function with its batch (see [`RenderedBatch::prose`]), then
    /// dropped.
    Each(&'a mut (dyn FnMut(RenderedBatch) + Send)),
}

impl RenderedContent {
    /// Every page's Markdown, then every section's, with its target.
    pub fn all(&self) -> impl Iterator<Item = (Target, &Rendered)> {
        let pages = self.pages.enumerate().map(|(i, r)| (Target::Page(i), r));
        let sections = self
            .sections
            .enumerate()
            .map(|(i, r)| (Target::Section(i), r));
        pages.chain(sections)
    }

    /// A page's or section's Markdown.
    pub fn get(&self, t: Target) -> Option<&Rendered> {
        match t {
            Target::Page(i) => self.pages.get(i),
            Target::Section(i) => self.sections.get(i),
        }
    }

    /// [`RenderedContent::all`] with each one's prose: None unless the prose was kept
    /// ([`ProseTo::Content`]).
    pub fn all_with_prose(&self) -> Option<impl Iterator<Item = (Target, &Rendered, &str)>> {
        let prose = self.prose.as_ref()?;
        Some(
            self.all()
                .map(move |(t, r)| (t, r, prose.get(t).map_or("", String::as_str))),
        )
    }

    /// Puts a page's (or section's) Markdown rendered again in its place, with its prose and
    /// link facts when they are kept (`serve`, which keeps no lint facts). Returns what it
    /// replaced.
    pub fn replace(&mut self, t: Target, again: Again) -> Again {
        let old_prose = (self.prose.as_mut()).map(|p| std::mem::replace(p.slot(t), again.prose));
        let old_links = (self.links.as_mut()).map(|l| std::mem::replace(l.slot(t), again.links));
        let slot = match t {
            Target::Page(i) => &mut self.pages[i],
            Target::Section(i) => &mut self.sections[i],
        };
        Again {
            rendered: std::mem::replace(slot, again.rendered),
            prose: old_prose.unwrap_or_default(),
            links: old_links.unwrap_or_default(),
        }
    }
}

/// Renders all Markdown (keeping what only `check` reads) and checks every `#anchor` link
/// against the rendered target, with neither cache nor batches: for tests and benchmarks.
pub fn render_content(
    site: &Site,
    config: &Config,
    glossaries: &Glossaries,
) -> (RenderedContent, Vec<Diagnostic>) {
    render_content_with(site, config, glossaries, None, true, true, ProseTo::Content)
}

/// A batch of pages (or the sections) as [`render_content_with`] hands it over.
pub struct RenderedBatch<'a> {
    /// Which page (or section) each is.
    pub targets: &'a [Target],
    pub rendered: &'a [Rendered],
    /// What the checks across pages read of each.
    pub links: &'a [LinkFacts],
    /// Each one's prose, by value (empty for one taken from the cache: its search analysis is
    /// in its [`Origin::Cached`]).
    pub prose: Vec<String>,
    /// Where each came from.
    pub origins: &'a mut [Origin],
}

/// Where a page's rendered Markdown came from.
#[derive(Debug)]
pub enum Origin {
    /// Rendered in this build; `clean` when that gave no diagnostic.
    Rendered { clean: bool },
    /// Taken from the build cache, with what it adds to the search index (taken out by the
    /// caller) and its entry as read (written back as it is).
    Cached {
        search: Option<Indexed>,
        entry: Frame,
    },
}

/// [`render_content`], taking pages whose entry in `cache` is still good from it rather than
/// rendering them. With [`ProseTo::Each`], each batch of pages, then the sections, is handed
/// with its prose to the function before it is kept: `build` indexes them for search, so the
/// prose of a whole site is never in memory at once. It runs on one batch while the next one
/// renders, so its serial parts do not leave a core idle. What only `check` reads is kept when
/// `keep_lints` (a page taken from the cache has none: `check` reads no cache), and what the
/// checks across pages read is kept past them when `keep_links`.
pub fn render_content_with(
    site: &Site,
    config: &Config,
    glossaries: &Glossaries,
    mut cache: Option<&mut Reader>,
    keep_lints: bool,
    keep_links: bool,
    prose_to: ProseTo,
) -> (RenderedContent, Vec<Diagnostic>) {
    const BATCH: usize = 256;
    // Pages are independent: render them in parallel, collecting in the model's order.
    let render = |targets: Vec<Target>, frames: Vec<Option<Frame>>| -> Batch {
        let mut batch = Batch {
            targets: targets.clone(),
            rendered: Vec::with_capacity(targets.len()),
            origins: Vec::with_capacity(targets.len()),
            prose: Vec::with_capacity(targets.len()),
            links: Vec::with_capacity(targets.len()),
            lints: Vec::new(),
            diags: Vec::new(),
        };
        let results: Vec<(markdown::Output, Vec<Diagnostic>, Origin)> = targets
            .into_par_iter()
            .zip(frames)
            .map(
                |(t, frame)| match frame.and_then(|f| Some((f.decode()?, f))) {
                    Some((hit, entry)) => {
                        let origin = Origin::Cached {
                            search: hit.search,
                            entry,
                        };
                        let out = markdown::Output {
                            rendered: hit.rendered,
                            links: hit.links,
                            prose: String::new(),
                            lints: LintFacts::default(),
                        };
                        (out, Vec::new(), origin)
                    }
                    None => {
                        let (out, diags) = render_markdown(site, config, glossaries, t);
                        let clean = diags.is_empty();
                        (out, diags, Origin::Rendered { clean })
                    }
                },
            )
            .collect();
        for (out, diags, origin) in results {
            batch.rendered.push(out.rendered);
            batch.prose.push(out.prose);
            batch.links.push(out.links);
            if keep_lints {
                batch.lints.push(out.lints);
            }
            batch.diags.extend(diags);
            batch.origins.push(origin);
        }
        batch
    };
    // Batches of pages, then the sections; none empty.
    let pages: Vec<Target> = site.pages.ids().map(Target::Page).collect();
    let mut batches: Vec<Vec<Target>> = pages.chunks(BATCH).map(<[Target]>::to_vec).collect();
    if !site.sections.is_empty() {
        batches.push(site.sections.ids().map(Target::Section).collect());
    }

    let mut diags = Vec::new();
    let mut content = RenderedContent {
        lints: keep_lints.then(ContentLints::default),
        ..RenderedContent::default()
    };
    let mut links = ContentLinks::default();
    let mut each = match prose_to {
        ProseTo::Content => {
            content.prose = Some(ContentProse::default());
            None
        }
        ProseTo::Each(each) => Some(each),
    };
    let mut finish = |mut batch: Batch| {
        if let Some(each) = &mut each {
            each(RenderedBatch {
                targets: &batch.targets,
                rendered: &batch.rendered,
                links: &batch.links,
                prose: std::mem::take(&mut batch.prose),
                origins: &mut batch.origins,
            });
        }
        batch
    };
    let mut keep = |batch: Batch| {
        diags.extend(batch.diags);
        let first = batch.targets[0];
        match first {
            Target::Page(_) => content.pages.extend(batch.rendered),
            Target::Section(_) => content.sections.extend(batch.rendered),
        }
        if let Some(prose) = &mut content.prose {
            prose.extend(first, batch.prose);
        }
        links.extend(first, batch.links);
        if let Some(lints) = &mut content.lints {
            lints.extend(first, batch.lints);
        }
    };
    let mut pending: Option<Batch> = None;
    for targets in batches {
        let (done, next) = rayon::join(
            || pending.take().map(&mut finish),
            || {
                // Read in order, while the previous batch is finished.
                let frames = targets
                    .iter()
                    .map(|&t| cache.as_deref_mut().and_then(|c| c.take(t)))
                    .collect();
                render(targets, frames)
            },
        );
        if let Some(done) = done {
            keep(done);
        }
        pending = Some(next);
    }
    if let Some(last) = pending {
        keep(finish(last));
    }
    diags.extend(check_content(site, &links));
    content.links = keep_links.then_some(links);
    (content, diags)
}

/// One batch of rendered pages or sections.
struct Batch {
    targets: Vec<Target>,
    rendered: Vec<Rendered>,
    /// Each one's prose, until it is handed on or kept.
    prose: Vec<String>,
    links: Vec<LinkFacts>,
    origins: Vec<Origin>,
    /// What only `check` reads: empty unless it is kept.
    lints: Vec<LintFacts>,
    diags: Vec<Diagnostic>,
}

/// Renders the Markdown of one page or section (`serve` re-renders a single edited page),
/// marking terms from the glossary of its language.
pub fn render_markdown(
    site: &Site,
    config: &Config,
    glossaries: &Glossaries,
    target: Target,
) -> (markdown::Output, Vec<Diagnostic>) {
    let (file_lang, key, display, source, body_offset) = match target {
        Target::Page(i) => {
            let p = &site.pages[i];
            // A fallback page is its original's text: rendered in the original's language
            // (callout labels, quiz wording and links match the text around them).
            let text_lang = p
                .fallback_of
                .map_or(&p.file.lang, |j| &site.pages[j].file.lang);
            (
                text_lang,
                p.file.translation_key(),
                &p.display,
                &p.source,
                p.body_offset,
            )
        }
        Target::Section(i) => {
            let s = &site.sections[i];
            (
                &s.lang,
                s.translation_key(),
                &s.display,
                &s.source,
                s.body_offset,
            )
        }
    };
    let ctx = RenderContext {
        site,
        config,
        lang: file_lang,
        key: &key,
        display,
        source,
        body_offset,
        target: Some(target),
        blocks: crate::blocks::ALL,
    };
    let glossary = glossaries
        .get(file_lang)
        .map(|g| g as &dyn markdown::pass::EventPass);
    let (mut out, diags) = markdown::render_with_pass(&source[body_offset..], &ctx, glossary);
    // Every page's HTML (and, for `serve`, its prose) stays in memory until the templates have
    // run: give back the room the strings grew into (a quarter of it on average).
    out.rendered.html.shrink_to_fit();
    out.prose.shrink_to_fit();
    // A fallback page's problems are its original's, reported once, there.
    let fallback = matches!(target, Target::Page(i) if site.pages[i].is_fallback());
    let diags = if fallback { Vec::new() } else { diags };
    (out, diags)
}

/// The checks across rendered content (anchors, third-party resources): `serve` runs them again
/// after re-rendering one page.
pub fn check_content(site: &Site, links: &ContentLinks) -> Vec<Diagnostic> {
    let mut diags = check_anchors(site, links);
    diags.extend(third_party_resources(site, links));
    diags
}

/// Content that loads a script, style, font, frame or image from another site breaks readers'
/// privacy (and the Content-Security-Policy would block it anyway).
fn third_party_resources(site: &Site, content: &ContentLinks) -> Vec<Diagnostic> {
    // A fallback page's problems are its original's, reported there.
    let pages = site
        .pages
        .zip(&content.pages)
        .filter(|(p, _)| !p.is_fallback())
        .map(|(p, r)| ((&p.display, &p.source), r));
    let sections = site
        .sections
        .zip(&content.sections)
        .map(|(s, r)| ((&s.display, &s.source), r));
    pages
        .chain(sections)
        .flat_map(|((display, source), r)| {
            r.external_resources.iter().map(move |(url, (start, end))| {
                Diagnostic::error(format!("this page loads {url} from another site"))
                    .in_file(display)
                    .at(source, *start, *end)
                    .with_code("third-party-resource")
                    .with_help("readers' privacy: download the file into the page's folder or static/ and link it with a local path")
            })
        })
        .collect()
}

fn check_anchors(site: &Site, content: &ContentLinks) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    // A fallback page's links are its original's, checked there.
    let all = site
        .pages
        .zip(&content.pages)
        .filter(|(p, _)| !p.is_fallback())
        .map(|(p, r)| (r, (&p.display, &p.source)))
        .chain(
            site.sections
                .zip(&content.sections)
                .map(|(s, r)| (r, (&s.display, &s.source))),
        );
    for (rendered, (display, source)) in all {
        for r in &rendered.anchor_refs {
            let target = match r.target {
                Target::Page(i) => &content.pages[i],
                Target::Section(i) => &content.sections[i],
            };
            if !target.anchors.iter().any(|a| a == &r.anchor) {
                let mut known: Vec<&str> = target.anchors.iter().map(String::as_str).collect();
                known.sort_by(|a, b| {
                    strsim::jaro_winkler(&r.anchor, b)
                        .total_cmp(&strsim::jaro_winkler(&r.anchor, a))
                });
                let help = match known.first() {
                    Some(best) => format!(
                        "the page {} has no heading with the id `{}`; did you mean `#{best}`?",
                        site.path_of(r.target),
                        r.anchor
                    ),
                    None => format!(
                        "the page {} has no headings to link to",
                        site.path_of(r.target)
                    ),
                };
                diags.push(
                    Diagnostic::error(format!("link to a missing anchor: #{}", r.anchor))
                        .with_code("missing-anchor")
                        .in_file(display)
                        .at(source, r.span.0, r.span.1)
                        .with_help(help),
                );
            }
        }
    }
    diags
}

/// Reading statistics of every page and section that has prose, in site order (the rows of
/// `haven build --stats`). Here, not in `readability`, so that text statistics need not know
/// the rendered site.
pub fn reading_stats(
    site: &crate::model::Site,
    content: &crate::render::RenderedContent,
    config: &crate::config::Config,
) -> Vec<crate::readability::PageStats> {
    let max = config.readability.max_grade;
    let row = |path: &str, lang: &str, title: &str, rendered: &Rendered| {
        let stats = rendered.stats.clone();
        (stats.words > 0).then(|| crate::readability::PageStats {
            path: path.to_string(),
            lang: lang.to_string(),
            title: title.to_string(),
            over_limit: crate::readability::over_limit(&stats, max),
            stats,
        })
    };
    let pages = site
        .pages
        .zip(&content.pages)
        .filter(|(p, _)| !p.is_fallback())
        .filter_map(|(p, r)| row(&p.path, &p.file.lang, &p.front.title, r));
    let sections = site
        .sections
        .zip(&content.sections)
        .filter_map(|(s, r)| row(&s.path, &s.lang, &s.front.title, r));
    pages.chain(sections).collect()
}
