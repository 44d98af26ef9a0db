//! The contract between the Markdown stage and event passes: a pass rewrites a page's finished
//! pulldown-cmark events before they become HTML (the glossary marks the first use of its
//! terms). The render stage hands the pass in, so this stage never names one: `crate::glossary`
//! (a module above) implements it.

use pulldown_cmark::Event;

use super::RenderContext;
use super::headings::IdSet;

/// A pass over the events of a page rendered with `ctx`, after the blocks and links are done.
pub trait EventPass: Sync {
    /// Rewrites `events`; `ids` holds the page's element ids, so new ones stay unique. Returns
    /// the ids of the terms it marked (`Rendered::glossary_terms`).
    fn run(&self, events: &mut Vec<Event<'_>>, ctx: &RenderContext, ids: &mut IdSet)
    -> Vec<String>;
}
