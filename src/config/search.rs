//! `[search]` in `haven.toml`: the settings the search index and page (`crate::search`) read.

use serde::{Deserialize, Serialize};

/// `[search]` in `haven.toml`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct SearchConfig {
    /// Build the index and the search page, and show the search box.
    pub enabled: bool,
}

impl Default for SearchConfig {
    fn default() -> Self {
        SearchConfig { enabled: true }
    }
}
