//! `haven export quizzes`: the site's quizzes for learning platforms, as a QTI 2.1 content
//! package, Moodle XML or GIFT (`docs/export.md`).
//!
//! Pure: it reads a site built in memory and returns the files to write and the notes to print
//! (what a format could not hold). Quiz text is rendered by the quiz block's own inline
//! Markdown ([`crate::blocks::quiz::html::inline`]), so links are resolved and checked as in the
//! build, then made absolute on `base_url`: an exported quiz lives on another site.

mod gift;
mod moodle;
mod qti;

use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag, TagEnd};

use crate::blocks::BlockContext;
use crate::blocks::quiz::html::{inline, plain};
use crate::blocks::quiz::parse;
use crate::blocks::quiz::types::{self, Answer, QuizType, Source};
use crate::config::Config;
use crate::markdown::headings::IdSet;
use crate::markdown::{RenderContext, options};
use crate::model::{Site, Target};

/// The formats `haven export quizzes` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Qti,
    Moodle,
    Gift,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::Qti => "QTI 2.1",
            Format::Moodle => "Moodle XML",
            Format::Gift => "GIFT",
        }
    }
}

/// A quiz ready for export: its text already HTML with absolute links.
#[derive(Debug, Clone)]
pub struct ExportQuiz {
    pub lang: String,
    pub id: String,
    /// Plain text.
    pub title: String,
    pub kind: QuizType,
    /// Options in a random order (`shuffle:`, else the site's `[quiz] shuffle`).
    pub shuffle: bool,
    /// Absolute URL of the first page it appears on.
    pub page_url: String,
    pub questions: Vec<ExportQuestion>,
    /// Checklists only.
    pub bands: Vec<ExportBand>,
}

#[derive(Debug, Clone)]
pub struct ExportQuestion {
    /// Unique in its quiz: `{#id}` or `q1`, `q2`...
    pub id: String,
    pub html: String,
    pub plain: String,
    pub answer: Answer,
    pub options: Vec<ExportOption>,
    pub explanation: Option<String>,
    /// Ordering questions: the order the steps are shown in (indices of `options`, which are in
    /// the right order), as on the page.
    pub shown: Vec<usize>,
}

#[derive(Debug, Clone)]
pub struct ExportOption {
    pub html: String,
    pub plain: String,
    pub right: bool,
    pub feedback: Option<String>,
    /// A flagged checklist statement's message.
    pub flag: Option<String>,
}

#[derive(Debug, Clone)]
pub struct ExportBand {
    pub min: usize,
    pub max: Option<usize>,
    pub html: String,
}

/// What an export writes: files (relative paths, bytes) and notes on what was left out.
#[derive(Debug, Default)]
pub struct Export {
    pub files: Vec<(String, Vec<u8>)>,
    pub notes: Vec<String>,
}

/// Every quiz of the site, once per language and id, in a stable order (language, then the
/// order of pages by URL, then the order on the page).
pub fn quizzes(site: &Site, config: &Config) -> Vec<ExportQuiz> {
    let mut targets: Vec<(String, String, Target)> = Vec::new();
    for (i, p) in site
        .pages
        .iter()
        .enumerate()
        .filter(|(_, p)| !p.is_fallback())
    {
        targets.push((p.file.lang.clone(), p.path.clone(), Target::Page(i)));
    }
    for (i, s) in site.sections.iter().enumerate() {
        if s.file.is_some() {
            targets.push((s.lang.clone(), s.path.clone(), Target::Section(i)));
        }
    }
    targets.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
    let mut out: Vec<ExportQuiz> = Vec::new();
    for (lang, path, target) in targets {
        let (display, source, body_offset, key) = match target {
            Target::Page(i) => {
                let p = &site.pages[i];
                (
                    &p.display,
                    &p.source,
                    p.body_offset,
                    p.file.translation_key(),
                )
            }
            Target::Section(i) => {
                let s = &site.sections[i];
                (&s.display, &s.source, s.body_offset, s.translation_key())
            }
        };
        let ctx = RenderContext {
            site,
            config,
            lang: &lang,
            key: &key,
            display,
            source,
            body_offset,
            target: Some(target),
            blocks: crate::blocks::ALL,
        };
        let mut ids = IdSet::default();
        for (index, (start, text)) in quiz_blocks(&source[body_offset..], config)
            .into_iter()
            .enumerate()
        {
            let mut bctx = BlockContext::new(&ctx, index + 1, body_offset + start, &mut ids);
            let quiz = match parse::parse_block(&text) {
                Ok(Source::Inline(quiz)) => export_quiz(&quiz, &path, &mut bctx),
                Ok(Source::Use { name, .. }) => {
                    let Some(file) = site.quiz_files.get(&name) else {
                        continue;
                    };
                    let key = format!("quizzes/{name}.quiz");
                    let inner = RenderContext {
                        site,
                        config,
                        lang: &lang,
                        key: &key,
                        display: &file.display,
                        source: &file.text,
                        body_offset: 0,
                        target: None,
                        blocks: crate::blocks::ALL,
                    };
                    let mut ids = IdSet::default();
                    let mut sub = BlockContext::new(&inner, 1, 0, &mut ids);
                    match parse::parse(&file.text) {
                        Ok(quiz) => export_quiz(&quiz, &path, &mut sub),
                        Err(_) => continue,
                    }
                }
                // The build has reported it; a site with errors never gets this far.
                Err(_) => continue,
            };
            if !out.iter().any(|q| q.lang == quiz.lang && q.id == quiz.id) {
                out.push(quiz);
            }
        }
    }
    out
}

/// `(offset of the block's first line in body, block text)` of each ```` ```quiz ```` block.
fn quiz_blocks(body: &str, config: &Config) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut open: Option<(usize, String)> = None;
    for (event, range) in Parser::new_ext(body, options(config)).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info)))
                if info.split_whitespace().next() == Some("quiz") =>
            {
                let start = body[range.start..]
                    .find('\n')
                    .map_or(range.start, |i| range.start + i + 1);
                open = Some((start, String::new()));
            }
            Event::Text(t) => {
                if let Some((_, text)) = &mut open {
                    text.push_str(&t);
                }
            }
            Event::End(TagEnd::CodeBlock) => {
                if let Some(block) = open.take() {
                    out.push(block);
                }
            }
            _ => {}
        }
    }
    out
}

fn export_quiz(quiz: &types::Quiz, page_path: &str, ctx: &mut BlockContext) -> ExportQuiz {
    let config = ctx.render.config;
    let html = |ctx: &mut BlockContext, text: &types::Text| {
        absolute_links(&inline(ctx, &text.text, text.line), &config.base_url)
    };
    let questions = quiz
        .questions
        .iter()
        .enumerate()
        .map(|(i, q)| ExportQuestion {
            id: q.id.clone().unwrap_or_else(|| format!("q{}", i + 1)),
            html: html(ctx, &q.text),
            plain: plain(&q.text.text),
            answer: q.answer(),
            options: q
                .options
                .iter()
                .map(|o| ExportOption {
                    html: html(ctx, &o.text),
                    plain: plain(&o.text.text),
                    right: o.right == Some(true),
                    feedback: o.feedback.as_ref().map(|f| html(ctx, f)),
                    flag: o.flag.as_ref().map(|f| html(ctx, f)),
                })
                .collect(),
            explanation: q.explanation.as_ref().map(|e| html(ctx, e)),
            shown: if q.answer() == Answer::Order {
                crate::blocks::quiz::html::shown_order(q)
            } else {
                Vec::new()
            },
        })
        .collect();
    let bands = quiz
        .bands
        .iter()
        .map(|b| ExportBand {
            min: b.min,
            max: b.max,
            html: html(ctx, &b.message),
        })
        .collect();
    ExportQuiz {
        lang: ctx.render.lang.to_string(),
        id: quiz.id.clone(),
        title: plain(&quiz.title.text),
        kind: quiz.kind,
        shuffle: quiz.shuffle.unwrap_or(config.quiz.shuffle),
        page_url: config.absolute_url(page_path),
        questions,
        bands,
    }
}

/// Site-absolute links (`href="/learn/"`) on `base_url` (`https://example.org/learn/`);
/// protocol-relative ones (`//host/`) are left alone.
pub fn absolute_links(html: &str, base_url: &str) -> String {
    let base = base_url.trim_end_matches('/');
    let mut out = html.to_string();
    for attr in ["href=\"/", "src=\"/"] {
        let mut result = String::with_capacity(out.len());
        let mut rest = out.as_str();
        while let Some(i) = rest.find(attr) {
            let after = i + attr.len();
            // Up to and including the quote.
            result.push_str(&rest[..after - 1]);
            if !rest[after..].starts_with('/') {
                result.push_str(base);
            }
            result.push('/');
            rest = &rest[after..];
        }
        result.push_str(rest);
        out = result;
    }
    out
}

/// Writes every quiz in `format`. Per language; anything a format cannot hold is a note.
pub fn export(quizzes: &[ExportQuiz], format: Format, config: &Config) -> Export {
    let mut out = Export::default();
    let mut langs: Vec<&str> = quizzes.iter().map(|q| q.lang.as_str()).collect();
    langs.dedup();
    for lang in langs {
        let list: Vec<&ExportQuiz> = quizzes.iter().filter(|q| q.lang == lang).collect();
        match format {
            Format::Qti => qti::package(&list, lang, &mut out),
            Format::Moodle => {
                for q in list {
                    moodle::file(q, config, &mut out);
                }
            }
            Format::Gift => {
                for q in list {
                    gift::file(q, config, &mut out);
                }
            }
        }
    }
    // One note per thing lost, however often it occurs.
    let mut seen = std::collections::HashSet::new();
    out.notes.retain(|n| seen.insert(n.clone()));
    out
}

/// A note on a quiz: `what-helps-you (en): ...`.
fn note(out: &mut Export, quiz: &ExportQuiz, what: impl std::fmt::Display) {
    out.notes.push(format!(
        "{} ({}, {}): {what}",
        quiz.id, quiz.lang, quiz.page_url
    ));
}

/// The category a quiz goes in: the site's title, then the quiz's (Moodle reads `/` as a level).
fn category(quiz: &ExportQuiz, config: &Config) -> String {
    let part = |s: &str| s.replace('/', "//");
    format!("$course$/top/{}/{}", part(&config.title), part(&quiz.title))
}

/// The grades Moodle accepts for an answer, as it writes them: a right answer of a question
/// with `n` right answers is worth `100 / n`, which is in this list for n up to 10.
const MOODLE_GRADES: &[(usize, &str)] = &[
    (1, "100"),
    (2, "50"),
    (3, "33.33333"),
    (4, "25"),
    (5, "20"),
    (6, "16.66667"),
    (7, "14.28571"),
    (8, "12.5"),
    (9, "11.11111"),
    (10, "10"),
];

/// The grade Moodle accepts for each right answer of a question with `rights` right answers.
fn moodle_grade(rights: usize) -> Option<&'static str> {
    MOODLE_GRADES
        .iter()
        .find(|(k, _)| *k == rights)
        .map(|(_, g)| *g)
}

/// Escapes text for XML content and attribute values: the HTML escaper, whose numeric `&#39;`
/// is valid XML too.
fn xml(s: &str) -> String {
    crate::html::escape(s)
}

/// A question's name in a platform's question bank: its number and the start of its text.
fn question_name(n: usize, q: &ExportQuestion) -> String {
    let mut text: String = q.plain.chars().take(80).collect();
    if text.len() < q.plain.len() {
        text.push('…');
    }
    format!("{n}. {text}")
}
