//! The Markdown stage of a build: every page and section rendered (or taken from the build
//! cache). `build` indexes each batch for search as it is rendered and drops its prose, and
//! writes it to the build cache for the next build.

use crate::config::Config;
use crate::diagnostic::{Diagnostic, Errors};
use crate::glossary::Glossaries;
use crate::model::{Site, Target};
use crate::output::Sink;
use crate::render::cache::{Entry as CacheEntry, Keys, Reader, Writer};
use crate::render::{self, Origin, ProseTo, RenderedBatch, RenderedContent};
use crate::site_index::SiteIndex;

use super::{BuildOptions, Keep};

/// What the Markdown stage made.
pub(super) struct Markdown {
    pub content: RenderedContent,
    pub diags: Vec<Diagnostic>,
    /// Pages whose Markdown came from the build cache.
    pub reused: usize,
    /// The search index, made batch by batch, to finish once the Markdown is checked
    /// ([`Keep::Measures`]; with [`Keep::Prose`] it is made later, from the prose).
    pub search_index: Option<SiteIndex>,
    /// The build cache being written, committed only when the whole build went through.
    pub cache_out: Option<Writer>,
}

/// Renders every page and section, reading and writing the build cache under `on_disk`'s keys
/// when there are any, and (with [`Keep::Measures`]) handing each batch's search index files
/// to `sink` and dropping its prose; what only `check` reads is kept when `keep` says so.
pub(super) fn render(
    options: &BuildOptions,
    site: &Site,
    config: &Config,
    glossaries: &Glossaries,
    on_disk: Option<Keys>,
    keep: Keep,
    sink: &dyn Sink,
) -> Result<Markdown, Errors> {
    let cache_path = options.root.join(render::cache::PATH);
    let mut cache_in = on_disk.clone().and_then(|k| Reader::open(&cache_path, k));
    let mut cache_out = on_disk.and_then(|k| Writer::create(&cache_path, k));
    let mut search_index = SiteIndex::new(config);
    let mut write_failed = None;
    let mut reused = 0;
    let mut index_batch = |batch: RenderedBatch| {
        if keep != Keep::Measures {
            return;
        }
        let origins = &*batch.origins;
        let fresh = |k: usize| matches!(origins[k], Origin::Rendered { .. });
        let docs: Vec<_> = (batch.targets.iter().copied())
            .zip(batch.rendered.iter())
            .zip(batch.prose.iter().map(String::as_str))
            .map(|((t, r), prose)| (t, r, prose))
            .collect();
        let mut analyses = search_index.analyze_where(site, &docs, &fresh);
        for (k, origin) in batch.origins.iter_mut().enumerate() {
            if let Origin::Cached { search, .. } = origin {
                analyses[k] = search.take();
                reused += usize::from(matches!(batch.targets[k], Target::Page(_)));
            }
        }
        if let Some(out) = &mut cache_out {
            let entries: Vec<_> = batch
                .rendered
                .iter()
                .zip(batch.links)
                .zip(batch.origins.iter())
                .zip(&analyses)
                .map(|(((r, links), origin), search)| match origin {
                    Origin::Rendered { clean: true } => {
                        Some(CacheEntry::Rendered(r, links, search.as_ref()))
                    }
                    Origin::Rendered { clean: false } => None,
                    Origin::Cached { entry, .. } => Some(CacheEntry::Read(entry)),
                })
                .collect();
            out.put_batch(batch.targets, &entries);
        }
        for file in search_index.push(analyses) {
            if write_failed.is_none() {
                write_failed = sink.put(file).err();
            }
        }
    };
    // The prose goes to the search index batch by batch (`build`), or is kept for the index
    // made at the end (`serve`, `check` when another file could clash with the index's), or
    // is dropped batch by batch (`check`).
    let prose_to = if keep.prose() {
        ProseTo::Content
    } else {
        ProseTo::Each(&mut index_batch)
    };
    let (content, diags) = render::render_content_with(
        site,
        config,
        glossaries,
        cache_in.as_mut(),
        keep.lints(),
        keep == Keep::Prose,
        prose_to,
    );
    if let Some(e) = write_failed {
        return Err(e.into());
    }
    Ok(Markdown {
        content,
        diags,
        reused,
        search_index: (keep == Keep::Measures).then_some(search_index),
        cache_out,
    })
}
