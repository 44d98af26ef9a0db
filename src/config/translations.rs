//! `[translations]` in `haven.toml`: what the site does about pages a language lacks
//! (`crate::model` makes the fallback pages; docs/translations.md).

use serde::{Deserialize, Serialize};

/// `[translations]` in `haven.toml`.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct TranslationsConfig {
    /// A page with no translation in a language still gets an address in that language's site:
    /// the original text, marked with its own language, under a notice in the reader's language
    /// ("This page is not yet translated"). Off by default.
    pub fallback_pages: bool,
}
