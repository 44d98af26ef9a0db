//! Markdown to HTML on pulldown-cmark's event stream.
//!
//! Our additions work on parsed events, never on text placeholders: heading ids and the table of
//! contents ([`headings`]), internal links ([`links`]), callouts, and fenced blocks handed to
//! [`crate::blocks`] (quizzes, scripts).

pub mod fenced;
pub mod headings;
pub mod links;
pub mod pass;

use std::path::Path;
use std::sync::Arc;

use pulldown_cmark::{BlockQuoteKind, CodeBlockKind, CowStr, Event, Options, Parser, Tag, TagEnd};

use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::model::{Site, Target};
use fenced::{BlockContext, BlockOutput, FencedBlock};

pub use headings::TocEntry;
pub use links::AnchorRef;

/// What a page's (or section's) Markdown renders to.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    pub html: String,
    pub toc: Vec<TocEntry>,
    /// Reading statistics of the prose.
    pub stats: crate::readability::Stats,
    /// Words of the prose for reading time ([`crate::readability::word_count`]).
    pub words: usize,
    /// Our blocks on the page, for collection pages (scripts) and for loading their scripts.
    pub blocks: Vec<BlockOutput>,
    /// Ids of the glossary terms marked on the page (their first use), for loading the
    /// glossary's tooltip files.
    pub glossary_terms: Vec<String>,
}

/// What only the checks across pages read ([`crate::render::check_content`]), once every page
/// is rendered: kept past them only by `serve`, which checks again after each edit.
#[derive(Debug, Clone, Default)]
pub struct LinkFacts {
    /// Every id a link may point at: headings and our blocks.
    pub anchors: Vec<String>,
    /// Links to anchors.
    pub anchor_refs: Vec<AnchorRef>,
    /// Resources from other origins the content embeds: (url, span).
    pub external_resources: Vec<(String, (usize, usize))>,
}

/// What only `haven check` reads of a page's Markdown (its lints, and its links to other sites
/// for `--external`): made with every render, kept only by a build that checks.
#[derive(Debug, Clone, Default)]
pub struct LintFacts {
    /// Images with no alt text: (byte span in the source).
    pub images_without_alt: Vec<(usize, usize)>,
    /// Links to other sites: (url as written, span of the link), for `haven check --external`.
    pub external_links: Vec<(String, (usize, usize))>,
    /// Every heading's level and span, in order, for outline checks.
    pub heading_levels: Vec<(u8, (usize, usize))>,
    /// Links with no text a screen reader could read.
    pub empty_links: Vec<(usize, usize)>,
    /// Each paragraph's word count and span, for print-length checks.
    pub paragraphs: Vec<(usize, (usize, usize))>,
}

/// A page's Markdown rendered: what later stages keep, what only the search index reads, what
/// only the checks across pages read, and what only `check` reads.
#[derive(Debug, Clone, Default)]
pub struct Output {
    pub rendered: Rendered,
    /// The prose alone (no code, quizzes or scripts), paragraphs split by blank lines: what the
    /// search index reads. What else needs of it is measured as it is rendered
    /// ([`Rendered::stats`], [`Rendered::words`]).
    pub prose: String,
    pub links: LinkFacts,
    pub lints: LintFacts,
}

/// Everything the renderer needs to know about where it is.
pub struct RenderContext<'a> {
    pub site: &'a Site,
    pub config: &'a Config,
    pub lang: &'a str,
    /// The file's key under `content/` (e.g. `pcd/what.md`), for relative links.
    pub key: &'a str,
    pub display: &'a Path,
    pub source: &'a Arc<str>,
    pub body_offset: usize,
    /// The page itself, so `#anchor` links can be checked.
    pub target: Option<Target>,
    /// The fenced block kinds this render understands (`crate::blocks::ALL` in a build); a
    /// fence naming none of them is ordinary code.
    pub blocks: &'a [&'a dyn FencedBlock],
}

impl RenderContext<'_> {
    /// The block kind a fence's info string names, if it is one of ours.
    pub fn block_kind(&self, info: &str) -> Option<&dyn FencedBlock> {
        let word = info.split_whitespace().next()?;
        self.blocks.iter().copied().find(|b| b.kind() == word)
    }
}

pub fn options(config: &Config) -> Options {
    let mut o = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM;
    if config.markdown.smart_punctuation {
        o |= Options::ENABLE_SMART_PUNCTUATION;
    }
    o
}

/// Renders a Markdown body. Problems are returned beside the (still usable) result.
pub fn render(body: &str, ctx: &RenderContext) -> (Output, Vec<Diagnostic>) {
    render_with_pass(body, ctx, None)
}

/// [`render`], then `pass` over the page's events (the glossary marking the first use of each
/// of its terms outside headings, links, code and our blocks).
pub fn render_with_pass(
    body: &str,
    ctx: &RenderContext,
    pass: Option<&dyn pass::EventPass>,
) -> (Output, Vec<Diagnostic>) {
    let mut out = Rendered::default();
    let mut lints = LintFacts::default();
    let mut prose = String::new();
    let mut link_facts = LinkFacts::default();
    let mut diags = Vec::new();
    let mut ids = headings::IdSet::default();
    let mut events: Vec<Event> = Vec::new();
    let mut link_stack: Vec<bool> = Vec::new();
    let mut heading: Option<headings::Pending> = None;
    let mut fence: Option<(String, String, usize)> = None;
    let mut image_alt: Option<(String, (usize, usize))> = None;
    let mut in_code = false;
    let mut block_index = 0usize;
    // Text seen inside the open link(s) and where each started, for empty-link checks.
    let mut link_text: Vec<(usize, (usize, usize))> = Vec::new();
    let mut paragraph: Option<(usize, (usize, usize))> = None;

    let parser = Parser::new_ext(body, options(ctx.config)).into_offset_iter();
    for (event, range) in parser {
        let span = (ctx.body_offset + range.start, ctx.body_offset + range.end);
        // Fenced blocks of ours collect their text first.
        if let Some((lang, text, start)) = &mut fence {
            match event {
                Event::Text(t) => text.push_str(&t),
                Event::End(TagEnd::CodeBlock) => {
                    let (lang, text, start) = (lang.clone(), std::mem::take(text), *start);
                    fence = None;
                    block_index += 1;
                    let mut bctx = BlockContext::new(ctx, block_index, start, &mut ids);
                    let kind = ctx.block_kind(&lang).expect("the fence was one of ours");
                    match kind.render(&text, &mut bctx) {
                        Ok(output) => {
                            events.push(Event::Html(CowStr::from(output.html.clone())));
                            link_facts.anchors.extend(output.id.clone());
                            out.blocks.push(output);
                        }
                        Err(errors) => {
                            for e in errors {
                                diags.push(bctx.locate(e));
                            }
                        }
                    }
                    diags.append(&mut bctx.take_diagnostics());
                    link_facts.anchor_refs.append(&mut bctx.take_anchor_refs());
                }
                _ => {}
            }
            continue;
        }
        if let Some(pending) = &mut heading {
            match event {
                Event::End(TagEnd::Heading(level)) => {
                    lints.heading_levels.push((level as u8, span));
                    let pending = heading.take().expect("heading is pending");
                    let (mut hevents, entry) = pending.finish(&mut ids);
                    link_facts.anchors.push(entry.id.clone());
                    if entry.level > 1 {
                        out.toc.push(entry);
                    }
                    events.append(&mut hevents);
                }
                other => {
                    lints
                        .external_links
                        .extend(links::external_target(&other).map(|u| (u, span)));
                    let other = links::rewrite(
                        other,
                        span,
                        ctx,
                        &mut link_stack,
                        &mut link_facts.anchor_refs,
                        &mut diags,
                    );
                    pending.push(other);
                }
            }
            continue;
        }
        if let Some((alt, _)) = &mut image_alt {
            if let Event::Text(t) | Event::Code(t) = &event {
                alt.push_str(t);
            }
            if let Event::End(TagEnd::Image) = event {
                let (alt, at) = image_alt.take().expect("image is open");
                if alt.trim().is_empty() {
                    lints.images_without_alt.push(at);
                }
            }
            events.push(event);
            continue;
        }
        match event {
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => {
                heading = Some(headings::Pending::new(level, id, classes, attrs));
            }
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(ref info)))
                if ctx.block_kind(info).is_some() =>
            {
                let lang = info.split_whitespace().next().unwrap_or("").to_string();
                // The block's first line is the one after the opening fence.
                let start = body[range.start..]
                    .find('\n')
                    .map_or(range.start, |i| range.start + i + 1);
                fence = Some((lang, String::new(), ctx.body_offset + start));
            }
            Event::Start(Tag::CodeBlock(_)) => {
                in_code = true;
                events.push(event);
            }
            Event::End(TagEnd::CodeBlock) => {
                in_code = false;
                events.push(event);
            }
            Event::Start(Tag::BlockQuote(Some(kind))) => {
                events.push(Event::Html(CowStr::from(callout_open(
                    kind, ctx.config, ctx.lang,
                ))));
            }
            Event::End(TagEnd::BlockQuote(Some(_))) => {
                events.push(Event::Html(CowStr::from("</aside>\n")));
            }
            Event::Start(Tag::Image { ref dest_url, .. }) => {
                if links::is_external(dest_url) {
                    link_facts
                        .external_resources
                        .push((dest_url.to_string(), span));
                }
                image_alt = Some((String::new(), span));
                for (n, _) in &mut link_text {
                    *n += 1;
                }
                events.push(event);
            }
            Event::Html(ref html) | Event::InlineHtml(ref html) => {
                for url in links::external_resources_in_html(html) {
                    link_facts.external_resources.push((url, span));
                }
                events.push(event);
            }
            Event::Text(ref t) if !in_code => {
                prose.push_str(t);
                let words = t.split_whitespace().count();
                if let Some((n, _)) = &mut paragraph {
                    *n += words;
                }
                for (n, _) in &mut link_text {
                    *n += words.max(usize::from(!t.trim().is_empty()));
                }
                events.push(event);
            }
            Event::Start(Tag::Paragraph) => {
                paragraph = Some((0, span));
                events.push(event);
            }
            Event::End(TagEnd::Paragraph) => {
                lints.paragraphs.extend(paragraph.take());
                prose.push_str("\n\n");
                events.push(event);
            }
            Event::SoftBreak | Event::HardBreak => {
                prose.push(' ');
                events.push(event);
            }
            Event::End(TagEnd::Item | TagEnd::TableCell) => {
                prose.push_str("\n\n");
                events.push(event);
            }
            other => {
                match &other {
                    Event::Start(Tag::Link { .. }) => link_text.push((0, span)),
                    Event::Code(_) | Event::InlineHtml(_) => {
                        for (n, _) in &mut link_text {
                            *n += 1;
                        }
                    }
                    Event::End(TagEnd::Link) => {
                        if let Some((0, at)) = link_text.pop() {
                            lints.empty_links.push(at);
                        }
                    }
                    _ => {}
                }
                lints
                    .external_links
                    .extend(links::external_target(&other).map(|u| (u, span)));
                let other = links::rewrite(
                    other,
                    span,
                    ctx,
                    &mut link_stack,
                    &mut link_facts.anchor_refs,
                    &mut diags,
                );
                events.push(other);
            }
        }
    }
    if let Some((_, _, start)) = fence {
        diags.push(
            Diagnostic::error("this block is never closed")
                .in_file(ctx.display)
                .at(ctx.source, start, start + 1)
                .with_help("end the block with a line of three backticks"),
        );
    }
    if let Some(pass) = pass {
        out.glossary_terms = pass.run(&mut events, ctx, &mut ids);
    }
    let mut html = String::with_capacity(body.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    out.html = html;
    out.stats = crate::readability::stats(&prose, ctx.lang);
    out.words = crate::readability::word_count(&prose);
    (
        Output {
            rendered: out,
            prose,
            links: link_facts,
            lints,
        },
        diags,
    )
}

/// Renders a short piece of inline Markdown (a quiz option, a script line) without the `<p>`.
pub fn render_inline(
    text: &str,
    ctx: &RenderContext,
    span_start: usize,
    anchor_refs: &mut Vec<AnchorRef>,
    diags: &mut Vec<Diagnostic>,
) -> String {
    let mut link_stack = Vec::new();
    let span = (span_start, span_start + text.len());
    let events: Vec<Event> = Parser::new_ext(text, options(ctx.config))
        .filter(|e| {
            !matches!(
                e,
                Event::Start(Tag::Paragraph) | Event::End(TagEnd::Paragraph)
            )
        })
        .map(|e| links::rewrite(e, span, ctx, &mut link_stack, anchor_refs, diags))
        .collect();
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    html.trim_end().to_string()
}

/// A GFM callout's opening, its label the page language's `callout_KIND` string.
fn callout_open(kind: BlockQuoteKind, config: &Config, lang: &str) -> String {
    let class = match kind {
        BlockQuoteKind::Note => "note",
        BlockQuoteKind::Tip => "tip",
        BlockQuoteKind::Important => "important",
        BlockQuoteKind::Warning => "warning",
        BlockQuoteKind::Caution => "caution",
    };
    let key = format!("callout_{class}");
    let title = crate::html::escape(crate::i18n::text(config, lang, &key));
    format!(
        "<aside class=\"callout callout-{class}\" role=\"note\" aria-label=\"{title}\">\n<p class=\"callout-title\">{title}</p>\n"
    )
}

#[cfg(test)]
mod tests;
