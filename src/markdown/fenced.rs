//! The contract between the Markdown stage and fenced blocks (```` ```quiz ````, ```` ```script
//! ````): a block kind implements [`FencedBlock`], gets the block's text and a [`BlockContext`]
//! (inline Markdown with located link checks, unique ids), and returns a [`BlockOutput`] of data
//! and HTML. The kinds are passed in through [`RenderContext::blocks`], so this stage never
//! names one: `crate::blocks` (a layer above) implements them.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::headings::IdSet;
use super::{AnchorRef, RenderContext, render_inline};
use crate::diagnostic::Diagnostic;

/// A kind of fenced block, named by the fence's first info word.
pub trait FencedBlock: Sync {
    /// The info word that selects it (`quiz` for ```` ```quiz ````).
    fn kind(&self) -> &'static str;
    /// The block's data and HTML, or its problems, located on lines of the block.
    fn render(&self, text: &str, ctx: &mut BlockContext) -> Result<BlockOutput, Vec<BlockError>>;
}

/// A rendered block and what other pages need to know of it.
#[derive(Debug, Clone, Serialize)]
pub struct BlockOutput {
    pub kind: &'static str,
    /// The block's element id, linkable as `page#id`.
    pub id: Option<String>,
    pub title: Option<String>,
    pub html: String,
    /// What the block kind tells the pages made from blocks (a quiz's facts and print form, a
    /// script's rendered lines), in the kind's own type.
    pub data: BlockData,
}

/// A block's own data, serialised (postcard) by its kind and read back by the same kind's
/// type, so this stage carries it without knowing it, and the Markdown cache keeps it as bytes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BlockData(Vec<u8>);

impl BlockData {
    pub fn encode<T: Serialize>(value: &T) -> Self {
        // Our data types are plain structs of strings, numbers and vectors: postcard cannot
        // fail on them.
        BlockData(postcard::to_allocvec(value).unwrap_or_default())
    }

    /// The value [`BlockData::encode`] stored, or `None` if it was written for another type.
    /// (The cache never keeps another binary's entries, so that is a bug, not a user error.)
    pub fn decode<T: DeserializeOwned>(&self) -> Option<T> {
        postcard::from_bytes(&self.0).ok()
    }
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
    pub(crate) start: usize,
    pub(crate) ids: &'r mut IdSet,
    pub(crate) diags: Vec<Diagnostic>,
    pub(crate) anchor_refs: Vec<AnchorRef>,
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

    pub(crate) fn line_offset(&self, line: usize) -> usize {
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
