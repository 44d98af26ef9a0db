//! Quizzes (```` ```quiz ````): knowledge checks, checklists and self-assessments, written in a
//! Markdown-like syntax (`docs/quizzes.md`), checked at build time, rendered as forms that work
//! without JavaScript and that `assets/quiz.js` makes interactive in the reader's browser.
//!
//! - [`types`]: a quiz as data ([`types::Quiz`]).
//! - [`parse`]: the syntax to a [`types::Quiz`], every mistake a located error (with `syntax`,
//!   the pieces of one line, and `validate`, what only the whole quiz can tell).
//! - [`html`]: the quiz to HTML.
//! - [`strings`]: interface text per language, overridable in `haven.toml`.
//!
//! The quiz index (`/quizzes/`) and one page per quiz are made from the blocks' output by
//! `crate::collections::quizzes`.

pub mod html;
pub mod parse;
pub mod strings;
mod syntax;
pub mod types;
mod validate;

use serde::{Deserialize, Serialize};

use super::{BlockContext, BlockData, BlockError, BlockOutput};
use crate::markdown::RenderContext;
use html::PrintForm;
use strings::Strings;
use types::{QuizType, Source};

/// The files a page with a quiz loads.
pub const STYLE: &str = "/haven/quiz.css";
pub const SCRIPT: &str = "/haven/quiz.js";

/// What a quiz block tells the pages made from it (the quiz index and pages, handouts), kept in
/// its [`BlockOutput::data`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuizData {
    /// The quiz's id (`id:`, or made from its title), which names its page.
    pub name: String,
    pub kind: QuizType,
    /// Its questions, or for a checklist its statements.
    pub count: usize,
    /// Its title as inline HTML.
    pub title_html: String,
    /// The quiz for paper.
    pub print: PrintForm,
}

impl QuizData {
    /// The data of a quiz block; `None` for a block of another kind.
    pub fn of(block: &BlockOutput) -> Option<QuizData> {
        (block.kind == "quiz")
            .then(|| block.data.decode())
            .flatten()
    }
}

/// A quiz's HTML for its own page, where the page's `h1` is the quiz title: the quiz's own
/// title heading moves up from `h3` to `h2`.
pub fn page_html(html: &str) -> String {
    html.replacen("<h3 class=\"quiz-title\"", "<h2 class=\"quiz-title\"", 1)
        .replacen("</h3>", "</h2>", 1)
}

/// The ```` ```quiz ```` block kind.
pub struct QuizBlock;

impl crate::markdown::fenced::FencedBlock for QuizBlock {
    fn kind(&self) -> &'static str {
        "quiz"
    }

    fn render(&self, text: &str, ctx: &mut BlockContext) -> Result<BlockOutput, Vec<BlockError>> {
        render(text, ctx)
    }
}

/// Renders one ```` ```quiz ```` block: a quiz, or `use: NAME` for `content/quizzes/NAME.quiz`.
pub fn render(text: &str, ctx: &mut BlockContext) -> Result<BlockOutput, Vec<BlockError>> {
    match parse::parse_block(text)? {
        Source::Inline(quiz) => render_quiz(&quiz, ctx),
        Source::Use { name, line } => render_file(&name, line, ctx),
    }
}

fn render_quiz(quiz: &types::Quiz, ctx: &mut BlockContext) -> Result<BlockOutput, Vec<BlockError>> {
    if let Some(e) = duplicate_id(quiz, ctx) {
        return Err(vec![e]);
    }
    let config = ctx.render.config;
    let t = Strings::new(ctx.render.lang, config);
    if let Some(e) = top_band_without_help(quiz) {
        ctx.warn(e, "checklist-help-link");
    }
    let id = ctx.unique_id(&quiz.id);
    let rendered = html::render(quiz, &id, ctx, &t, config.quiz.remember_answers);
    let count = match quiz.kind {
        QuizType::Checklist => quiz.questions.iter().map(|q| q.options.len()).sum(),
        _ => quiz.questions.len(),
    };
    let data = QuizData {
        name: quiz.id.clone(),
        kind: quiz.kind,
        count,
        title_html: rendered.title_html,
        print: rendered.print,
    };
    Ok(BlockOutput {
        kind: "quiz",
        id: Some(id),
        title: Some(html::plain(&quiz.title.text)),
        html: rendered.html,
        data: BlockData::encode(&data),
    })
}

/// A checklist's top band (the most ticked) with no link: the readers it speaks to are the
/// ones most in need of somewhere to turn.
fn top_band_without_help(quiz: &types::Quiz) -> Option<BlockError> {
    if quiz.kind != types::QuizType::Checklist {
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
        blocks: ctx.render.blocks,
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
fn duplicate_id(quiz: &types::Quiz, ctx: &BlockContext) -> Option<BlockError> {
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

#[cfg(test)]
mod tests;
