//! What the rest of the build needs to know of handouts, below the generator
//! ([`crate::handout`]): which pages get one, where handouts and their stylesheets are, the
//! words they print ([`strings`]), and the link an article shows to its handout.

pub mod strings;

use std::collections::BTreeMap;

use crate::config::Config;
use crate::model::Page;
use crate::templates::context::HandoutLink;

/// Whether `page` gets a handout.
pub fn is_handout(page: &Page, config: &Config) -> bool {
    // A fallback page is not the handout's language: its original's handout is the one.
    !page.is_fallback() && page.front.handout.unwrap_or(config.handouts.default)
}

fn lang_prefix(lang: &str, config: &Config) -> String {
    if lang == config.default_language {
        String::new()
    } else {
        format!("/{lang}")
    }
}

/// The handout of `page`: `/handouts/<slug>/`, with `/LANG` in front outside the default
/// language.
pub fn path(page: &Page, config: &Config) -> String {
    format!(
        "{}/handouts/{}/",
        lang_prefix(&page.file.lang, config),
        page.slug
    )
}

/// The large-print version of `page`'s handout: `/handouts/<slug>/large-print/`.
pub fn large_print_path(page: &Page, config: &Config) -> String {
    format!("{}large-print/", path(page, config))
}

/// The stylesheet a large-print handout loads after `handout.css` (the theme's static file).
pub const LARGE_PRINT_CSS: &str = "/handout-large.css";

/// The list of handouts of `lang`.
pub fn index_path(lang: &str, config: &Config) -> String {
    format!("{}/handouts/", lang_prefix(lang, config))
}

/// The page joining every handout of `lang`.
pub fn print_all_path(lang: &str, config: &Config) -> String {
    format!("{}/handouts/print-all/", lang_prefix(lang, config))
}

/// The stylesheet the build writes with the `@page` size from `[handouts] paper`.
pub const PAPER_CSS: &str = "/handouts/paper.css";

/// `page.handout` in `page.html`: where the article's handout is and the link's words (`ui`:
/// the UI strings of the page's language).
pub fn page_link(
    page: &Page,
    config: &Config,
    ui: Option<&BTreeMap<String, String>>,
) -> Option<HandoutLink> {
    if !is_handout(page, config) {
        return None;
    }
    let h = strings::for_lang(&page.file.lang, ui);
    Some(HandoutLink {
        path: path(page, config),
        label: h["handout_link"].clone(),
    })
}
