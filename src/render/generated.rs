//! The generated-files cache: the files made from the site as a whole rather than from one page
//! (the sitemap, feeds, robots.txt, brand.css, redirects, search pages, collection pages,
//! handouts, the tags lists and the 404 page) are grouped in *units*, each made by one
//! generator call, and each unit has a key hashing what its generator reads. A unit whose key is
//! as when its files were last made, and whose files the output still holds as then
//! ([`crate::output::Sink::keep`]), is not made again. `haven build` keeps the keys between
//! builds in `.haven-cache/generated.bin`; `haven serve` keeps them in memory between edits
//! ([`crate::pipeline::incremental`]), as with [`super::page_cache`].
//!
//! Every key starts from the same shared part: the haven binary, the Markdown keys' global key
//! (the config, every page's and section's file, URL and front matter, the quiz files, the
//! assets), the whole config as the build holds it (its debug form: parts the global key leaves
//! out, like a clinic block's translations), the UI strings and today's date (review dates,
//! "printed on"). A generator adds what else it reads ([`Key`]): the templates it renders
//! through (with every template they use), the Markdown key of each page whose rendered content
//! it shows (which decides that page's HTML, blocks, words and so its reading time), a glossary's
//! text. Reading something new means hashing it into the unit's key; when unsure, hash it.
//!
//! A unit whose generator reported anything (a warning) is not recorded, so it is made, and
//! warns, again each build, as a page with diagnostics is in the Markdown cache.

use std::collections::{HashMap, HashSet};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::model::Target;
use crate::output::{Contents, OutputFile, Sink};
use crate::templates::Templates;

use super::cache::Keys;

/// Where the cache lives, under the site's folder.
pub const PATH: &str = ".haven-cache/generated.bin";

const MAGIC: &[u8; 8] = b"HAVENGF1";

/// Unit name -> (key, each of its files' path and hash of contents), as one build or one
/// `serve` rebuild left them.
pub type Entries = HashMap<String, (u64, Vec<(String, u64)>)>;

/// A unit as the file keeps it: (name, key, its files' paths and hashes).
type Stored = (String, u64, Vec<(String, u64)>);

/// Generated files kept as the output held them, and made again, in one build.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub kept: usize,
    pub made: usize,
}

/// Last build's units and this build's, as they are made or kept.
pub struct Generated {
    /// What every unit's key shares (see the module's comment).
    shared: u64,
    markdown: Keys,
    /// Template name -> hash of its source and of every template it uses.
    templates: HashMap<String, u64>,
    old: Entries,
    new: Mutex<Entries>,
    kept: AtomicUsize,
    made: AtomicUsize,
}

/// The key of one unit, made from the shared part and what its generator reads.
pub struct Key<'a> {
    cache: &'a Generated,
    h: DefaultHasher,
}

impl Key<'_> {
    /// The generator renders through template `name` (its source and every template it uses;
    /// a template the theme lacks hashes as absent).
    pub fn template(mut self, name: &str) -> Self {
        (0u8, name, self.cache.templates.get(name)).hash(&mut self.h);
        self
    }

    /// The generator shows what page or section `t`'s Markdown made (its HTML, blocks, words).
    pub fn markdown(mut self, t: Target) -> Self {
        (1u8, t, self.cache.markdown.of(t)).hash(&mut self.h);
        self
    }

    /// The generator reads `value`, which no other part of the key covers.
    pub fn value(mut self, value: impl Hash) -> Self {
        (2u8, value).hash(&mut self.h);
        self
    }
}

impl Generated {
    /// The cache for a build through `templates` with the UI strings `strings` and `config`, whose
    /// Markdown has the keys `markdown`, starting from the units `old`; `None` when a template's
    /// output may not follow from its context alone, or the running binary cannot be told from
    /// another.
    pub fn new(
        templates: &Templates,
        strings: &impl Hash,
        config: &Config,
        markdown: Keys,
        old: Entries,
    ) -> Option<Generated> {
        let mut h = DefaultHasher::new();
        (super::cache::binary_identity()?, markdown.global(), strings).hash(&mut h);
        // Debug, not serde: it shows what serialising leaves out (a clinic's translations).
        format!("{config:?}").hash(&mut h);
        format!("{:?}", crate::readability::today()).hash(&mut h);
        Some(Generated {
            shared: h.finish(),
            templates: templates.closure_keys()?,
            markdown,
            old,
            new: Mutex::default(),
            kept: AtomicUsize::new(0),
            made: AtomicUsize::new(0),
        })
    }

    /// [`Generated::new`] with the last build's units from the site's `.haven-cache/`.
    pub fn open(
        root: &Path,
        templates: &Templates,
        strings: &impl Hash,
        config: &Config,
        markdown: Keys,
    ) -> Option<Generated> {
        let old = read(&root.join(PATH)).unwrap_or_default();
        Generated::new(templates, strings, config, markdown, old)
    }

    fn key(&self) -> Key<'_> {
        let mut h = DefaultHasher::new();
        self.shared.hash(&mut h);
        Key { cache: self, h }
    }

    /// Files kept and made so far.
    pub fn counts(&self) -> Counts {
        Counts {
            kept: self.kept.load(Ordering::Relaxed),
            made: self.made.load(Ordering::Relaxed),
        }
    }

    /// This build's units, for the next (`serve` keeps them in memory).
    pub fn into_entries(self) -> Entries {
        self.new.into_inner().unwrap_or_else(|e| e.into_inner())
    }

    /// Writes this build's units in place of the last build's.
    pub fn commit(self, root: &Path) -> bool {
        let mut entries: Vec<Stored> = self
            .into_entries()
            .into_iter()
            .map(|(name, (key, files))| (name, key, files))
            .collect();
        entries.sort_unstable();
        let Ok(payload) = postcard::to_allocvec(&entries) else {
            return false;
        };
        super::cache::write_whole(&root.join(PATH), &[MAGIC], &payload)
    }

    fn record(&self, name: &str, key: u64, files: Vec<(String, u64)>) {
        self.new
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(name.to_string(), (key, files));
    }
}

/// Hands `sink` the files of the unit `name`: with a cache, kept as the output holds them when
/// the unit's key (the shared part and what `key` adds) is as when they were made, else made by
/// `make` and put. Returns what `make` reported, and any file that could not be put.
pub fn unit(
    cache: Option<&Generated>,
    name: &str,
    key: impl FnOnce(Key<'_>) -> Key<'_>,
    sink: &dyn Sink,
    make: impl FnOnce() -> (Vec<OutputFile>, Vec<Diagnostic>),
) -> Vec<Diagnostic> {
    let Some(cache) = cache else {
        let (files, mut diags) = make();
        diags.extend(sink.put_all(files).err());
        return diags;
    };
    let key = key(cache.key()).h.finish();
    let mut kept: HashSet<&str> = HashSet::new();
    if let Some((old_key, files)) = cache.old.get(name)
        && *old_key == key
    {
        for (path, hash) in files {
            if sink.keep(path, *hash) {
                kept.insert(path);
            }
        }
        if kept.len() == files.len() {
            cache.kept.fetch_add(files.len(), Ordering::Relaxed);
            cache.record(name, key, files.clone());
            return Vec::new();
        }
    }
    // Made again; a file the output still held as made under this very key stays kept.
    let (files, mut diags) = make();
    let hashes: Vec<(String, u64)> = files
        .iter()
        .filter_map(|f| match &f.contents {
            Contents::Bytes(b) => Some((f.path.clone(), crate::output::content_hash(b))),
            Contents::Copy(_) => None,
        })
        .collect();
    let whole = hashes.len() == files.len();
    let (same, fresh): (Vec<OutputFile>, Vec<OutputFile>) = files
        .into_iter()
        .partition(|f| kept.contains(f.path.as_str()));
    cache.kept.fetch_add(same.len(), Ordering::Relaxed);
    cache.made.fetch_add(fresh.len(), Ordering::Relaxed);
    diags.extend(sink.put_all(fresh).err());
    if diags.is_empty() && whole {
        cache.record(name, key, hashes);
    }
    diags
}

/// The units of the file at `path`, when it is whole.
fn read(path: &Path) -> Option<Entries> {
    if !super::cache::usable(path) {
        return None;
    }
    let bytes = std::fs::read(path).ok()?;
    if bytes.get(..8)? != MAGIC {
        return None;
    }
    let sum = u64::from_le_bytes(bytes.get(8..16)?.try_into().ok()?);
    let payload = bytes.get(16..)?;
    if super::cache::checksum(payload) != sum {
        return None;
    }
    let entries: Vec<Stored> = postcard::from_bytes(payload).ok()?;
    Some(
        entries
            .into_iter()
            .map(|(name, key, files)| (name, (key, files)))
            .collect(),
    )
}
