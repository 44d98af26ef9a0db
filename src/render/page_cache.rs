//! The page cache: for each page, section and tag page, a key of everything its template
//! context is made from, and a hash of the HTML that came out. `haven build` keeps it between
//! builds in `.haven-cache/pages.bin`; `haven serve` keeps it in memory between edits
//! ([`crate::pipeline::incremental`]). A page whose key is as last time renders to the same
//! HTML; when the output still holds that HTML untouched (the output says so,
//! [`crate::output::Sink::keep`]), the page is not rendered again.
//!
//! The key ([`PageCache::key`]) hashes: the shared part (the haven binary, the Markdown keys'
//! global key, which covers the config and every page's and section's front matter, file and
//! URL; the UI strings; today's date, for review dates), the source of the template and of
//! every template it uses, the page's own Markdown key, and what the context read of other
//! pages ([`super::deps`]: the links of the pages it lists, the source of its original). So
//! editing one page's text changes its own key, and the keys of the pages that show its
//! reading time (its section, its neighbours, its tags, a home page that features it) only
//! when that changed; editing `page.html` changes the keys of the pages rendered through it.
//!
//! This holds only while a template's output follows from its context: tera's `get_env` and
//! functions registered from Rust can read more, so [`crate::templates::Templates::fingerprint`]
//! turns the cache off for templates that use them.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use crate::model::{IdVec, PageId, Target};
use crate::templates::Templates;
use crate::templates::context::PageLink;

use super::cache::Keys;
use super::deps::Read;

/// Where the page cache lives, under the site's folder.
pub const PATH: &str = ".haven-cache/pages.bin";

const MAGIC: &[u8; 8] = b"HAVENPG2";

/// Output path -> (key, hash of the HTML, what its context read when it was last made), as
/// one build or one `serve` rebuild left them. What a context read is kept in memory only
/// (`serve`): with it, a page whose key is as before is kept without making its context.
pub type Entries = HashMap<String, (u64, u64, Option<Arc<[Read]>>)>;

/// One file as this build made or kept it: (path, key, hash of the HTML, what its context read).
type Made = (String, u64, u64, Arc<[Read]>);

/// Last build's keys and hashes, and this build's as pages render.
pub struct PageCache {
    /// What every page's key shares (see the module's comment).
    shared: u64,
    /// This build's Markdown keys, the same the build cache uses.
    markdown: Keys,
    /// Template name -> hash of its source and of every template it uses.
    templates: HashMap<String, u64>,
    /// Of each page's link, made when a key first needs them.
    links: OnceLock<IdVec<PageId, u64>>,
    old: Entries,
    new: Mutex<Vec<Made>>,
    kept: AtomicUsize,
}

impl PageCache {
    /// The cache for a build through `templates` with `strings`, whose Markdown has the keys
    /// `markdown`, starting from the entries `old`; `None` when a template's output may not
    /// follow from its context alone, or the running binary cannot be told from another.
    pub fn new(
        templates: &Templates,
        strings: &impl Hash,
        markdown: Keys,
        old: Entries,
    ) -> Option<PageCache> {
        let mut h = DefaultHasher::new();
        (super::cache::binary_identity()?, markdown.global(), strings).hash(&mut h);
        // Review dates ("due for review") follow the calendar.
        format!("{:?}", crate::readability::today()).hash(&mut h);
        Some(PageCache {
            shared: h.finish(),
            templates: templates.closure_keys()?,
            markdown,
            links: OnceLock::new(),
            old,
            new: Mutex::default(),
            kept: AtomicUsize::new(0),
        })
    }

    /// [`PageCache::new`] with the last build's entries from the site's `.haven-cache/`.
    pub fn open(
        root: &Path,
        templates: &Templates,
        strings: &impl Hash,
        markdown: Keys,
    ) -> Option<PageCache> {
        let mut cache = PageCache::new(templates, strings, markdown, Entries::new())?;
        cache.old = read(&root.join(PATH), cache.shared).unwrap_or_default();
        Some(cache)
    }

    /// The key of rendering `template` for `own` (a page or a section; `None` for a tag page)
    /// with a context that read `reads` of other pages, whose links are `links`.
    pub fn key(
        &self,
        template: &str,
        own: Option<Target>,
        reads: &[Read],
        links: &IdVec<PageId, PageLink>,
    ) -> u64 {
        let link_keys = self.links.get_or_init(|| {
            use rayon::prelude::*;
            let keys: Vec<u64> = links
                .par_iter()
                .map(|l| {
                    let mut h = DefaultHasher::new();
                    (&l.title, &l.description, &l.path, &l.permalink).hash(&mut h);
                    (l.date, l.reading_time, &l.lang).hash(&mut h);
                    h.finish()
                })
                .collect();
            IdVec::from(keys)
        });
        let mut h = DefaultHasher::new();
        (self.shared, template, self.templates.get(template)).hash(&mut h);
        own.map(|t| self.markdown.of(t)).hash(&mut h);
        for read in reads {
            match *read {
                Read::Link(i) => (0u8, link_keys.get(i)).hash(&mut h),
                Read::Source(t) => (1u8, self.markdown.of(t)).hash(&mut h),
            }
        }
        h.finish()
    }

    /// The hash of what `path` rendered to last time, when its key was `key` then too.
    pub fn previous(&self, path: &str, key: u64) -> Option<u64> {
        self.old
            .get(path)
            .filter(|(k, _, _)| *k == key)
            .map(|(_, out, _)| *out)
    }

    /// What the context of `path` read when it was last made, when that is known (in memory).
    /// Whatever decides what a context reads (the site's order, lists, front matter) is in
    /// every key, so with the same key it read the same.
    pub fn previous_reads(&self, path: &str) -> Option<Arc<[Read]>> {
        self.old.get(path).and_then(|(_, _, reads)| reads.clone())
    }

    /// Records that `path`, made under the key `key`, holds HTML hashing to `output`; `kept`
    /// when it was not rendered again.
    pub fn record(&self, path: &str, key: u64, output: u64, reads: Arc<[Read]>, kept: bool) {
        if kept {
            self.kept.fetch_add(1, Ordering::Relaxed);
        }
        self.new.lock().unwrap_or_else(|e| e.into_inner()).push((
            path.to_string(),
            key,
            output,
            reads,
        ));
    }

    /// Pages and sections kept without rendering.
    pub fn kept(&self) -> usize {
        self.kept.load(Ordering::Relaxed)
    }

    /// This build's entries, for the next (`serve` keeps them in memory).
    pub fn into_entries(self) -> Entries {
        let entries = self.new.into_inner().unwrap_or_else(|e| e.into_inner());
        entries
            .into_iter()
            .map(|(path, key, output, reads)| (path, (key, output, Some(reads))))
            .collect()
    }

    /// Writes this build's hashes in place of the last build's.
    pub fn commit(self, root: &Path) -> bool {
        let mut entries: Vec<(String, u64, u64)> = self
            .new
            .into_inner()
            .unwrap_or_else(|e| e.into_inner())
            .into_iter()
            .map(|(path, key, output, _)| (path, key, output))
            .collect();
        entries.sort_unstable();
        let Ok(payload) = postcard::to_allocvec(&entries) else {
            return false;
        };
        super::cache::write_whole(
            &root.join(PATH),
            &[MAGIC, &self.shared.to_le_bytes()],
            &payload,
        )
    }
}

/// The entries of the file at `path`, when it was written under `global` and is whole.
fn read(path: &Path, global: u64) -> Option<Entries> {
    if !super::cache::usable(path) {
        return None;
    }
    let bytes = std::fs::read(path).ok()?;
    let word = |i: usize| Some(u64::from_le_bytes(bytes.get(i..i + 8)?.try_into().ok()?));
    if bytes.get(..8)? != MAGIC || word(8)? != global {
        return None;
    }
    let payload = bytes.get(24..)?;
    if super::cache::checksum(payload) != word(16)? {
        return None;
    }
    let entries: Vec<(String, u64, u64)> = postcard::from_bytes(payload).ok()?;
    Some(
        entries
            .into_iter()
            .map(|(path, key, output)| (path, (key, output, None)))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::theme::Theme;

    fn templates(site: &Path) -> Templates {
        Templates::load(&Theme::load(site, "guide").unwrap(), site).unwrap()
    }

    fn strings() -> Strings {
        Strings::from([("en".to_string(), Default::default())])
    }

    type Strings = std::collections::BTreeMap<String, std::collections::BTreeMap<String, String>>;

    fn keys() -> Keys {
        Keys::made_up(1, IdVec::from(vec![10, 11, 12]), IdVec::from(vec![20]))
    }

    fn link(path: &str, reading_time: usize) -> PageLink {
        PageLink {
            title: path.to_string(),
            description: None,
            path: path.to_string(),
            permalink: format!("https://example.org{path}"),
            date: None,
            reading_time,
            lang: "en".into(),
            fallback: None,
        }
    }

    #[test]
    fn the_key_follows_the_template_the_page_and_what_its_context_read() {
        let site = tempfile::tempdir().unwrap();
        let templates = templates(site.path());
        let links = IdVec::from(vec![link("/a/", 1), link("/b/", 2), link("/c/", 3)]);
        let key = |cache: &PageCache, template: &str, own: Target, reads: &[Read], links| {
            cache.key(template, Some(own), reads, links)
        };
        let new =
            |keys: Keys| PageCache::new(&templates, &strings(), keys, Entries::new()).unwrap();
        let cache = new(keys());
        let base = key(
            &cache,
            "page.html",
            Target::Page(PageId::nth(0)),
            &[Read::Link(PageId::nth(1))],
            &links,
        );
        assert_eq!(
            base,
            key(
                &new(keys()),
                "page.html",
                Target::Page(PageId::nth(0)),
                &[Read::Link(PageId::nth(1))],
                &links
            )
        );
        // Another template, another page, another read.
        assert_ne!(
            base,
            key(
                &cache,
                "section.html",
                Target::Page(PageId::nth(0)),
                &[Read::Link(PageId::nth(1))],
                &links
            )
        );
        assert_ne!(
            base,
            key(
                &cache,
                "page.html",
                Target::Page(PageId::nth(1)),
                &[Read::Link(PageId::nth(1))],
                &links
            )
        );
        assert_ne!(
            base,
            key(
                &cache,
                "page.html",
                Target::Page(PageId::nth(0)),
                &[Read::Link(PageId::nth(2))],
                &links
            )
        );
        let source = key(
            &cache,
            "page.html",
            Target::Page(PageId::nth(0)),
            &[Read::Source(Target::Page(PageId::nth(2)))],
            &links,
        );
        // The page's own Markdown, the source it read, what every page shares.
        let changed = |pages: Vec<u64>, global: u64| {
            let cache = new(Keys::made_up(
                global,
                IdVec::from(pages),
                IdVec::from(vec![20]),
            ));
            (
                key(
                    &cache,
                    "page.html",
                    Target::Page(PageId::nth(0)),
                    &[Read::Link(PageId::nth(1))],
                    &links,
                ),
                key(
                    &cache,
                    "page.html",
                    Target::Page(PageId::nth(0)),
                    &[Read::Source(Target::Page(PageId::nth(2)))],
                    &links,
                ),
            )
        };
        assert_ne!(changed(vec![99, 11, 12], 1).0, base);
        assert_eq!(
            changed(vec![10, 99, 12], 1).0,
            base,
            "another page's Markdown: not read"
        );
        assert_ne!(changed(vec![10, 11, 99], 1).1, source);
        assert_ne!(changed(vec![10, 11, 12], 2).0, base);
        // The link it read (its reading time), not one it did not.
        let mut longer = links.clone();
        longer[PageId::nth(1)].reading_time = 5;
        assert_ne!(
            key(
                &new(keys()),
                "page.html",
                Target::Page(PageId::nth(0)),
                &[Read::Link(PageId::nth(1))],
                &longer
            ),
            base
        );
        let mut other = links.clone();
        other[PageId::nth(2)].reading_time = 5;
        assert_eq!(
            key(
                &new(keys()),
                "page.html",
                Target::Page(PageId::nth(0)),
                &[Read::Link(PageId::nth(1))],
                &other
            ),
            base
        );
    }

    #[test]
    fn a_template_key_follows_the_templates_it_uses_only() {
        let site = tempfile::tempdir().unwrap();
        let before = templates(site.path()).closure_keys().unwrap();
        std::fs::create_dir_all(site.path().join("templates")).unwrap();
        std::fs::write(site.path().join("templates/404.html"), "gone").unwrap();
        let after = templates(site.path()).closure_keys().unwrap();
        assert_ne!(before["404.html"], after["404.html"]);
        assert_eq!(before["page.html"], after["page.html"]);
        // base.html is what page.html extends.
        std::fs::write(
            site.path().join("templates/base.html"),
            "{% block content %}{% endblock %}",
        )
        .unwrap();
        let base = templates(site.path()).closure_keys().unwrap();
        assert_ne!(before["page.html"], base["page.html"]);
    }

    #[test]
    fn hashes_are_kept_for_the_same_shared_key_only() {
        let site = tempfile::tempdir().unwrap();
        let open = || PageCache::open(site.path(), &templates(site.path()), &strings(), keys());
        let cache = open().unwrap();
        assert_eq!(cache.previous("a/index.html", 1), None);
        cache.record("a/index.html", 1, 100, Arc::from([]), false);
        cache.record("b/index.html", 2, 200, Arc::from([]), true);
        assert_eq!(cache.kept(), 1);
        assert!(cache.commit(site.path()));

        let cache = open().unwrap();
        assert_eq!(cache.previous("a/index.html", 1), Some(100));
        assert_eq!(cache.previous("b/index.html", 2), Some(200));
        // Another key: render again.
        assert_eq!(cache.previous("a/index.html", 2), None);

        // Another global Markdown key (the config, a front matter): nothing from before counts.
        let other = PageCache::open(
            site.path(),
            &templates(site.path()),
            &strings(),
            Keys::made_up(2, IdVec::from(vec![10, 11, 12]), IdVec::from(vec![20])),
        )
        .unwrap();
        assert_eq!(other.previous("a/index.html", 1), None);

        // A damaged file is not read.
        let path = site.path().join(PATH);
        let mut bytes = std::fs::read(&path).unwrap();
        let last = bytes.len() - 1;
        bytes[last] ^= 1;
        std::fs::write(&path, bytes).unwrap();
        assert_eq!(open().unwrap().previous("a/index.html", 1), None);
    }

    #[test]
    fn no_cache_for_templates_that_read_more_than_their_context() {
        let site = tempfile::tempdir().unwrap();
        let open = |t: &Templates| PageCache::new(t, &strings(), keys(), Entries::new());
        assert!(open(&templates(site.path())).is_some());
        std::fs::create_dir_all(site.path().join("templates")).unwrap();
        std::fs::write(
            site.path().join("templates/404.html"),
            "{{ get_env(name=\"HOME\", default=\"\") }}",
        )
        .unwrap();
        let with_env = templates(site.path());
        assert!(with_env.fingerprint().is_none());
        assert!(open(&with_env).is_none());

        std::fs::remove_file(site.path().join("templates/404.html")).unwrap();
        let mut with_function = templates(site.path());
        with_function.register_function("site_pages", |_: &HashMap<String, tera::Value>| {
            Ok(tera::Value::Null)
        });
        assert!(open(&with_function).is_none());
    }
}
