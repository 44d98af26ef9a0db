//! Quizzes (```` ```quiz ````): knowledge checks, checklists and self-assessments, written in a
//! Markdown-like syntax (`docs/quizzes.md`), checked at build time, rendered as forms that work
//! without JavaScript and that `assets/quiz.js` makes interactive in the reader's browser.
//!
//! - [`parse`]: the syntax to a [`parse::Quiz`], every mistake a located error.
//! - [`html`]: the quiz to HTML.
//! - [`strings`]: interface text per language, overridable in `haven.toml`.
//! - [`collection_pages`]: the quiz index (`/quizzes/`) and one page per quiz.

pub mod html;
pub mod parse;
pub mod strings;

use super::{BlockContext, BlockError, BlockOutput};
use crate::markdown::RenderContext;
use crate::model::Site;
use crate::render::{RenderedContent, Shared};
use crate::templates::context::{CollectionItem, CollectionPage};
use parse::Source;
use strings::Strings;

/// The files a page with a quiz loads.
pub const STYLE: &str = "/haven/quiz.css";
pub const SCRIPT: &str = "/haven/quiz.js";

/// Renders one ```` ```quiz ```` block: a quiz, or `use: NAME` for `content/quizzes/NAME.quiz`.
pub fn render(text: &str, ctx: &mut BlockContext) -> Result<BlockOutput, Vec<BlockError>> {
    match parse::parse_block(text)? {
        Source::Inline(quiz) => render_quiz(&quiz, ctx),
        Source::Use { name, line } => render_file(&name, line, ctx),
    }
}

fn render_quiz(quiz: &parse::Quiz, ctx: &mut BlockContext) -> Result<BlockOutput, Vec<BlockError>> {
    if let Some(e) = duplicate_id(quiz, ctx) {
        return Err(vec![e]);
    }
    let config = ctx.render.config;
    let t = Strings::new(ctx.render.lang, config);
    if let Some(e) = top_band_without_help(quiz) {
        ctx.warn(e, "checklist-help-link");
    }
    let id = ctx.unique_id(&quiz.id);
    let html = html::render(quiz, &id, ctx, &t, config.quiz.remember_answers);
    Ok(BlockOutput {
        kind: "quiz",
        id: Some(id),
        title: Some(html::plain(&quiz.title.text)),
        html,
    })
}

/// A checklist's top band (the most ticked) with no link: the readers it speaks to are the
/// ones most in need of somewhere to turn.
fn top_band_without_help(quiz: &parse::Quiz) -> Option<BlockError> {
    if quiz.kind != parse::QuizType::Checklist {
        return None;
    }
    let top = quiz.bands.iter().max_by_key(|b| b.min)?;
    let has_link = pulldown_cmark::Parser::new(&top.message.text).any(|e| {
        matches!(
            e,
            pulldown_cmark::Event::Start(pulldown_cmark::Tag::Link { .. })
        )
    });
    (!has_link).then(|| {
        BlockError::new(top.message.line, "the top band of this checklist has no help link").help(
            "readers who tick the most statements need to know where to turn: add a link, e.g. `See [where to get help](@/getting-help/where-to-get-help.md).`",
        )
    })
}

/// `use: NAME`: the quiz in `content/quizzes/NAME.quiz`, its problems located in that file.
fn render_file(
    name: &str,
    line: usize,
    ctx: &mut BlockContext,
) -> Result<BlockOutput, Vec<BlockError>> {
    let site = ctx.render.site;
    let Some(file) = site.quiz_files.get(name) else {
        let mut known: Vec<&str> = site.quiz_files.keys().map(String::as_str).collect();
        known.sort_by(|a, b| {
            strsim::jaro_winkler(name, b).total_cmp(&strsim::jaro_winkler(name, a))
        });
        let help = match known.first() {
            Some(best) => {
                format!("there is no `content/quizzes/{name}.quiz`; did you mean `use: {best}`?")
            }
            None => format!(
                "create `content/quizzes/{name}.quiz` with the quiz, or write the quiz in this block"
            ),
        };
        return Err(vec![
            BlockError::new(line, format!("no quiz file named `{name}`")).help(help),
        ]);
    };
    let key = format!("quizzes/{name}.quiz");
    let inner = RenderContext {
        site,
        config: ctx.render.config,
        lang: ctx.render.lang,
        key: &key,
        display: &file.display,
        source: &file.text,
        body_offset: 0,
        target: None,
    };
    // The quiz's text and links are located in its own file; anchors it links to are checked
    // from the page that embeds it, so their problems point at the `use:` line.
    let use_at = ctx.line_offset(line);
    let use_end = use_at
        + ctx.render.source[use_at..]
            .find('\n')
            .unwrap_or(ctx.render.source.len() - use_at);
    let mut sub = BlockContext::new(&inner, ctx.index, 0, ctx.ids);
    let result = match parse::parse(&file.text) {
        Ok(quiz) => render_quiz(&quiz, &mut sub),
        Err(errors) => Err(errors),
    };
    let mut diags = sub.take_diagnostics();
    let refs = sub.take_anchor_refs();
    let result = result.map_err(|errors| {
        diags.extend(errors.into_iter().map(|e| sub.locate(e)));
        vec![]
    });
    ctx.diags.append(&mut diags);
    ctx.anchor_refs.extend(refs.into_iter().map(|mut r| {
        r.span = (use_at, use_end);
        r
    }));
    result
}

/// Another quiz of the same language (or a quiz file) declaring the same `id:`.
fn duplicate_id(quiz: &parse::Quiz, ctx: &BlockContext) -> Option<BlockError> {
    let line = quiz.id_line?;
    let site = ctx.render.site;
    let here = (ctx.render.display, ctx.start);
    let pages = site
        .pages
        .iter()
        .filter(|p| p.file.lang == ctx.render.lang)
        .map(|p| (p.display.as_path(), &*p.source));
    let files = site
        .quiz_files
        .values()
        .map(|f| (f.display.as_path(), &*f.text));
    for (display, source) in pages.chain(files) {
        let is_quiz_file = display.extension().is_some_and(|e| e == "quiz");
        for (start, id, at) in declared_ids(source, is_quiz_file) {
            if id == quiz.id && (display, start) != here {
                let other_line = source[..at].matches('\n').count() + 1;
                return Some(BlockError::new(line, format!("another quiz already has the id `{id}`")).help(format!(
                    "{}:{other_line} declares it too; a quiz's id names its page (/quizzes/{id}/), so give each quiz its own",
                    display.display()
                )));
            }
        }
    }
    None
}

/// `(block start, id, offset of the id line)` for each quiz in a page (or a whole `.quiz` file).
pub(crate) fn declared_ids(source: &str, whole: bool) -> Vec<(usize, &str, usize)> {
    let mut out = Vec::new();
    let mut offset = 0;
    let mut block: Option<(usize, String)> = if whole {
        Some((0, String::new()))
    } else {
        None
    };
    let mut in_header = whole;
    for line in source.split_inclusive('\n') {
        let at = offset;
        offset += line.len();
        let t = line.trim();
        match &block {
            None => {
                let fence: String = t.chars().take_while(|&c| c == '`' || c == '~').collect();
                if fence.len() >= 3
                    && t[fence.len()..].split_whitespace().next() == Some("quiz")
                    && line.len() - line.trim_start().len() < 4
                {
                    block = Some((offset, fence));
                    in_header = true;
                }
            }
            Some((start, fence)) => {
                if !whole
                    && t.starts_with(fence.as_str())
                    && t.chars().all(|c| c == fence.chars().next().unwrap_or('`'))
                {
                    block = None;
                    continue;
                }
                if t.starts_with("##") || t.starts_with('[') {
                    in_header = false;
                }
                if in_header && let Some(id) = t.strip_prefix("id:") {
                    out.push((*start, id.trim(), at));
                    in_header = false;
                }
            }
        }
    }
    out
}

/// The quiz index (`/quizzes/`, per language) and a page for each quiz.
pub fn collection_pages(
    site: &Site,
    content: &RenderedContent,
    shared: &Shared,
) -> Vec<CollectionPage> {
    struct Entry<'c> {
        lang: String,
        quiz: String,
        title: String,
        kind: String,
        html: &'c str,
        pages: Vec<usize>,
    }
    let mut entries: Vec<Entry> = Vec::new();
    for (i, rendered) in content.pages.iter().enumerate() {
        let lang = &site.pages[i].file.lang;
        for b in rendered.blocks.iter().filter(|b| b.kind == "quiz") {
            let quiz = attr(&b.html, "data-quiz").unwrap_or_default();
            let title = b.title.clone().unwrap_or_default();
            match entries
                .iter_mut()
                .find(|e| &e.lang == lang && e.quiz == quiz && e.title == title)
            {
                Some(e) => {
                    if !e.pages.contains(&i) {
                        e.pages.push(i);
                    }
                }
                None => entries.push(Entry {
                    lang: lang.clone(),
                    kind: attr(&b.html, "data-type").unwrap_or_default(),
                    quiz,
                    title,
                    html: &b.html,
                    pages: vec![i],
                }),
            }
        }
    }
    let config = shared.config;
    let mut out = Vec::new();
    for lang in config.all_languages() {
        let list: Vec<&Entry> = entries.iter().filter(|e| e.lang == lang).collect();
        if list.is_empty() {
            continue;
        }
        let t = Strings::new(lang, config);
        let prefix = if lang == config.default_language {
            String::new()
        } else {
            format!("/{lang}")
        };
        let mut items = Vec::new();
        let mut used: Vec<String> = Vec::new();
        for e in &list {
            let mut slug = e.quiz.clone();
            let mut n = 2;
            while used.contains(&slug) {
                slug = format!("{}-{n}", e.quiz);
                n += 1;
            }
            used.push(slug.clone());
            let path = format!("{prefix}/quizzes/{slug}/");
            let links: Vec<String> = e
                .pages
                .iter()
                .map(|&p| {
                    format!(
                        "<a href=\"{}\">{}</a>",
                        html::esc(&site.pages[p].path),
                        html::esc(&site.pages[p].front.title)
                    )
                })
                .collect();
            let count = match e.kind.as_str() {
                "checklist" => e.html.matches("class=\"quiz-option\"").count(),
                _ => e.html.matches("<fieldset class=\"quiz-q\"").count(),
            };
            let summary = t.fill(&format!("summary_{}", e.kind), 0, count);
            items.push(CollectionItem {
                title: e.title.clone(),
                id: slug.clone(),
                path: Some(path.clone()),
                html: (links.len() > 1).then(|| {
                    format!(
                        "<p class=\"quiz-also\">{} {}</p>",
                        html::esc(t.get("appears_in")),
                        links.join(", ")
                    )
                }),
                summary: Some(summary.clone()),
                from: (links.len() == 1).then(|| shared.page_links[e.pages[0]].clone()),
            });
            // The quiz's own page: its title is the page's h1, so the quiz's heading moves up.
            let body = e
                .html
                .replacen("<h3 class=\"quiz-title\"", "<h2 class=\"quiz-title\"", 1)
                .replacen("</h3>", "</h2>", 1);
            let from = format!(
                "<p class=\"quiz-from\">{} {}</p>\n",
                html::esc(t.get("appears_in")),
                links.join(", ")
            );
            out.push(CollectionPage {
                kind: "quiz".to_string(),
                path,
                lang: lang.to_string(),
                title: e.title.clone(),
                description: Some(summary),
                intro_html: Some(format!("{body}{from}")),
                items: Vec::new(),
                styles: vec![STYLE.to_string()],
                scripts: vec![SCRIPT.to_string()],
            });
        }
        out.push(CollectionPage {
            kind: "quizzes".to_string(),
            path: format!("{prefix}/quizzes/"),
            lang: lang.to_string(),
            title: t.get("index_title").to_string(),
            description: Some(t.get("index_description").to_string()),
            intro_html: Some(format!(
                "<p>{}</p>\n",
                html::esc(t.get("index_description"))
            )),
            items,
            styles: Vec::new(),
            scripts: Vec::new(),
        });
    }
    out
}

/// The value of `name="..."` on the first element that has it.
fn attr(html: &str, name: &str) -> Option<String> {
    let at = html.find(&format!(" {name}=\""))? + name.len() + 3;
    let end = html[at..].find('"')?;
    Some(html[at..at + end].to_string())
}

#[cfg(test)]
mod tests;
