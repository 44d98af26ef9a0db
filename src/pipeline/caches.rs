//! Where a build keeps what it made for the next one: the Markdown keys, the page cache, and
//! keeping both once the build went through ([`Store`]).

use crate::config::Config;
use crate::model::Site;
use crate::render::cache::{Keys, Writer};
use crate::render::page_cache::{Entries, PageCache};
use crate::templates::Templates;

use super::{BuildOptions, Store, Strings};

/// The Markdown keys of every page and section, when this build keeps a cache.
pub(super) fn markdown_keys(
    options: &BuildOptions,
    store: Store,
    site: &Site,
    config: &Config,
) -> Option<Keys> {
    let kept = match store {
        Store::Disk => !options.no_cache,
        Store::Memory => true,
        Store::Nothing => false,
    };
    kept.then(|| Keys::new(site, config)).flatten()
}

/// The page cache: the last build's on disk, or a new one in memory.
pub(super) fn page_cache(
    options: &BuildOptions,
    store: Store,
    keys: Option<Keys>,
    templates: &Templates,
    strings: &Strings,
) -> Option<PageCache> {
    keys.and_then(|k| match store {
        Store::Disk => PageCache::open(&options.root, templates, strings, k),
        _ => PageCache::new(templates, strings, k, Entries::new()),
    })
}

/// Keeps both caches of a build that went through: on disk, or returned to be kept in memory.
/// Returns how many pages the page cache kept, and the in-memory caches.
pub(super) fn keep(
    options: &BuildOptions,
    store: Store,
    keys: Option<Keys>,
    markdown: Option<Writer>,
    pages: Option<PageCache>,
) -> (usize, Option<(Keys, Entries)>) {
    if let Some(out) = markdown {
        out.commit();
    }
    let kept = pages.as_ref().map_or(0, PageCache::kept);
    let memory = match (pages, store) {
        (Some(cache), Store::Disk) => {
            cache.commit(&options.root);
            None
        }
        (Some(cache), Store::Memory) => keys.map(|k| (k, cache.into_entries())),
        _ => None,
    };
    (kept, memory)
}
