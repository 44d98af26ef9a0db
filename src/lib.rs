//! Haven: a static site generator for sexual-health education.
//!
//! The build is a pipeline of stages, each a module with one job:
//! [`config`] -> [`discover`] -> [`frontmatter`] + [`model`] -> [`markdown`] (with [`blocks`])
//! -> [`templates`] ([`render`]) -> [`output`] (with [`feeds`]). [`pipeline`] runs them in order;
//! the command line is a thin layer over it.

pub mod blocks;
pub mod check;
pub mod collections;
pub mod config;
pub mod diagnostic;
pub mod discover;
pub mod export;
pub mod external;
pub mod feeds;
pub mod frontmatter;
pub mod glossary;
pub mod handout;
pub mod handout_data;
pub mod html;
pub mod i18n;
pub mod lint;
pub mod markdown;
pub mod model;
pub mod offline;
pub mod output;
pub mod pipeline;
pub mod placeholders;
pub mod readability;
pub mod render;
pub mod scaffold;
pub mod search;
pub mod search_page;
pub mod security;
pub mod serve;
pub mod site_index;
pub mod slug;
pub mod templates;
pub mod theme;
pub mod translate;
pub mod translations;

pub use diagnostic::{Diagnostic, Errors};
pub use pipeline::{BuildOptions, BuildSummary, build};
