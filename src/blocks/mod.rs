//! Our fenced blocks (```` ```quiz ````, ```` ```script ````): each kind is a module that parses
//! the block's text into data and turns that into HTML. They run on the parsed event stream (see
//! [`crate::markdown`]), so their output is never re-read as Markdown.

pub mod quiz;
pub mod script;

pub use crate::markdown::fenced::{BlockContext, BlockData, BlockError, BlockOutput, FencedBlock};

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

/// Every block kind, as the Markdown stage takes them (`RenderContext::blocks`).
pub const ALL: &[&dyn FencedBlock] = &[&quiz::QuizBlock, &script::ScriptBlock];
