//! Where a build keeps what it made for the next one: the Markdown keys, the page cache, the
//! generated-files cache, and keeping them once the build went through ([`Store`]).

use crate::config::Config;
use crate::model::Site;
use crate::render::cache::{Keys, Writer};
use crate::render::generated::{self, Generated};
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

/// The generated-files cache: the last build's on disk, or a new one in memory.
pub(super) fn generated(
    options: &BuildOptions,
    store: Store,
    keys: Option<Keys>,
    templates: &Templates,
    strings: &Strings,
    config: &Config,
) -> Option<Generated> {
    keys.and_then(|k| match store {
        Store::Disk => Generated::open(&options.root, templates, strings, config, k),
        _ => Generated::new(templates, strings, config, k, Default::default()),
    })
}

/// Keeps the caches of a build that went through: on disk, or returned to be kept in memory.
/// Returns how many pages the page cache kept, the generated files kept and made again, and
/// the in-memory caches.
#[allow(clippy::type_complexity)]
pub(super) fn keep(
    options: &BuildOptions,
    store: Store,
    keys: Option<Keys>,
    markdown: Option<Writer>,
    pages: Option<PageCache>,
    files: Option<Generated>,
) -> (
    usize,
    generated::Counts,
    Option<(Keys, Entries, generated::Entries)>,
) {
    if let Some(out) = markdown {
        out.commit();
    }
    let kept = pages.as_ref().map_or(0, PageCache::kept);
    let counts = files.as_ref().map(Generated::counts).unwrap_or_default();
    let memory = match (pages, files, store) {
        (Some(cache), Some(files), Store::Disk) => {
            cache.commit(&options.root);
            files.commit(&options.root);
            None
        }
        (Some(cache), Some(files), Store::Memory) => {
            keys.map(|k| (k, cache.into_entries(), files.into_entries()))
        }
        _ => None,
    };
    (kept, counts, memory)
}
