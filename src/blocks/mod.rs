//! Our fenced blocks (```` ```quiz ````, ```` ```script ````): each kind is a module that parses
//! the block's text into data and turns that into HTML. They run on the parsed event stream (see
//! [`crate::markdown`]), so their output is never re-read as Markdown.

pub mod quiz;
pub mod script;

use serde::Serialize;

use crate::diagnostic::Diagnostic;
use crate::markdown::headings::IdSet;
use crate::markdown::{AnchorRef, RenderContext, render_inline};

/// The block kinds Haven understands, by fence info word.
pub const KINDS: &[&str] = &["quiz", "script"];

/// Browser files a block kind needs, written under `/haven/` in the output (a theme's own
/// `static/haven/NAME` replaces one). Loaded only on pages that use the kind.
pub struct BlockAsset {
    pub name: &'static str,
    pub bytes: &'static [u8],
}

/// The browser files of glossary terms marked in a page (tooltips on hover, focus and tap). Not
/// a block, but loaded the same way; `crate::glossary` re-exports them as `ASSETS`.
pub const GLOSSARY_ASSETS: &[BlockAsset] = &[
    BlockAsset {
        name: "glossary.css",
        bytes: include_bytes!("assets/glossary.css"),
    },
    BlockAsset {
        name: "glossary.js",
        bytes: include_bytes!("assets/glossary.js"),
    },
];

/// The stylesheets and scripts of a block kind.
pub fn assets(kind: &str) -> &'static [BlockAsset] {
    match kind {
        "quiz" => &[
            BlockAsset {
                name: "quiz.css",
                bytes: include_bytes!("assets/quiz.css"),
            },
            BlockAsset {
                name: "quiz.js",
                bytes: include_bytes!("assets/quiz.js"),
            },
        ],
        "script" => script::ASSETS,
        // Not a block, but loaded the same way on pages where a glossary term is marked.
        "glossary" => GLOSSARY_ASSETS,
        _ => &[],
    }
}

/// Every block asset, for writing the output.
pub fn all_assets() -> impl Iterator<Item = &'static BlockAsset> {
    KINDS
        .iter()
        .chain(&["glossary"])
        .flat_map(|k| assets(k).iter())
}

pub fn is_block(info: &str) -> bool {
    info.split_whitespace()
        .next()
        .is_some_and(|w| KINDS.contains(&w))
}

/// A rendered block and what other pages need to know of it.
#[derive(Debug, Clone, Serialize)]
pub struct BlockOutput {
    pub kind: &'static str,
    /// The block's element id, linkable as `page#id`.
    pub id: Option<String>,
    pub title: Option<String>,
    pub html: String,
}

/// A problem in a block, on a line counted from the block's first line (1-based).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlockError {
    pub line: usize,
    pub message: String,
    pub help: Option<String>,
}

impl BlockError {
    pub fn new(line: usize, message: impl Into<String>) -> Self {
        BlockError {
            line,
            message: message.into(),
            help: None,
        }
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

/// What a block renderer may use: inline Markdown with link checking, unique ids, the site.
pub struct BlockContext<'r, 'a> {
    pub render: &'r RenderContext<'a>,
    /// 1-based position of this block among the page's blocks.
    pub index: usize,
    /// Byte offset of the block's first line in the source file.
    start: usize,
    ids: &'r mut IdSet,
    diags: Vec<Diagnostic>,
    anchor_refs: Vec<AnchorRef>,
}

impl<'r, 'a> BlockContext<'r, 'a> {
    pub fn new(
        render: &'r RenderContext<'a>,
        index: usize,
        start: usize,
        ids: &'r mut IdSet,
    ) -> Self {
        BlockContext {
            render,
            index,
            start,
            ids,
            diags: Vec::new(),
            anchor_refs: Vec::new(),
        }
    }

    /// Renders inline Markdown written on `line` of the block; bad links are located there.
    pub fn inline(&mut self, text: &str, line: usize) -> String {
        let at = self.line_offset(line);
        render_inline(
            text,
            self.render,
            at,
            &mut self.anchor_refs,
            &mut self.diags,
        )
    }

    /// An element id unique on the page.
    pub fn unique_id(&mut self, base: &str) -> String {
        self.ids.claim(base)
    }

    /// Turns a block error into a diagnostic located in the file.
    pub fn locate(&self, e: BlockError) -> Diagnostic {
        let at = self.line_offset(e.line);
        let end = self.render.source[at..]
            .find('\n')
            .map_or(self.render.source.len(), |i| at + i);
        let mut d = Diagnostic::error(e.message)
            .in_file(self.render.display)
            .at(self.render.source, at, end);
        if let Some(h) = e.help {
            d = d.with_help(h);
        }
        d
    }

    /// A problem the build can live with, located like an error, reported by build and check.
    pub fn warn(&mut self, e: BlockError, code: &'static str) {
        let mut d = self.locate(e);
        d.severity = crate::diagnostic::Severity::Warning;
        self.diags.push(d.with_code(code));
    }

    pub fn take_diagnostics(&mut self) -> Vec<Diagnostic> {
        std::mem::take(&mut self.diags)
    }

    pub fn take_anchor_refs(&mut self) -> Vec<AnchorRef> {
        std::mem::take(&mut self.anchor_refs)
    }

    fn line_offset(&self, line: usize) -> usize {
        let src = &self.render.source[self.start.min(self.render.source.len())..];
        let mut at = self.start;
        for (i, l) in src.split_inclusive('\n').enumerate() {
            if i + 1 >= line {
                return at;
            }
            at += l.len();
        }
        at.min(self.render.source.len())
    }
}

/// Pages the build makes from the blocks across the site (the scripts page, the quiz index...).
pub fn collection_pages(
    site: &crate::model::Site,
    content: &crate::render::RenderedContent,
    shared: &crate::render::Shared,
) -> Vec<crate::templates::context::CollectionPage> {
    let mut pages = Vec::new();
    pages.extend(quiz::collection_pages(site, content, shared));
    pages.extend(script::collection_pages(site, content, shared));
    pages
}

/// Renders one block of kind `kind`.
pub fn render(
    kind: &str,
    text: &str,
    ctx: &mut BlockContext,
) -> Result<BlockOutput, Vec<BlockError>> {
    if kind == "quiz" {
        return quiz::render(text, ctx);
    }
    if kind == "script" {
        return script::render(text, ctx);
    }
    let _ = (text, &ctx);
    Err(vec![BlockError::new(
        1,
        format!("unknown block kind `{kind}`"),
    )])
}
