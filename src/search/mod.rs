//! Site search with no server and no third party: the build writes a split index per language
//! under `/search/LANG/` and a search page per language (`/search/`, `/es/search/`); the
//! themes' `static/search.js` fetches only the shards a query needs. See `docs/search.md`.
//!
//! This module holds the pure text side: the tokenizer, the sharded index and the index's paths.
//! What rendered pages add to it is `crate::site_index`; the search page and the index files of
//! a whole site are `crate::search_page`.

pub mod index;
pub mod tokenize;

use crate::config::Config;
use crate::output::OutputFile;

pub use crate::config::search::SearchConfig;
pub use index::{Document, IndexBuilder, Limits};

/// The search page's URL path in `lang`: `/search/`, `/es/search/`.
pub fn page_path(config: &Config, lang: &str) -> String {
    if lang == config.default_language {
        "/search/".to_string()
    } else {
        format!("/{lang}/search/")
    }
}

/// Where `lang`'s index files are: `/search/es/`.
pub fn index_path(lang: &str) -> String {
    format!("/search/{lang}/")
}

/// An index file of `lang`, from its path under the language's folder.
pub fn index_file(lang: &str, rel: &str, text: String) -> OutputFile {
    let base = index_path(lang);
    OutputFile::bytes(
        format!("{}{rel}", base.trim_start_matches('/')),
        text.into_bytes(),
    )
}
