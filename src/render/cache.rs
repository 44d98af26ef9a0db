//! The build cache: what the Markdown stage made of each page (its HTML, what the templates and
//! the checks across pages read, and what it adds to the search index), kept between
//! `haven build`s in `.haven-cache/markdown.bin`, so a build after editing one page renders the
//! Markdown of that page alone.
//!
//! A page's entry is reused only when its key matches. The key hashes the page's own source
//! and everything else its rendering reads ([`Keys::new`]): the haven binary itself, the config,
//! the glossary of its language, the quiz files, and every page's and section's file, language, URL and front
//! matter (links resolve through them; search records show titles). A page that declares quiz
//! ids also hashes every id declared anywhere, since a duplicate is an error on both pages. A
//! page whose rendering gave any diagnostic is never kept, so its warnings come back each
//! build. Anything in doubt (another binary, a damaged or missing file) means rendering again:
//! the cache can make a build faster, never different (`tests/incremental.rs`).
//!
//! The file: `HAVENMD2`, the global key and the number of entries (each a little-endian u64),
//! then one frame per page and section in the model's order: a u32 length (0 for no entry),
//! a u64 checksum of the entry, and the entry in postcard. It is read and written a batch at a time, in order, so a big
//! site's cache is never in memory whole.

use std::borrow::Cow;
use std::fs::File;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::config::Config;
use crate::markdown::fenced::BlockData;
use crate::markdown::{AnchorRef, LinkFacts, Rendered, TocEntry};
use crate::model::{IdVec, PageId, SectionId, Site, Target};
use crate::readability::Stats;
use crate::site_index::Indexed;

/// Where the cache lives, under the site's folder.
pub const PATH: &str = ".haven-cache/markdown.bin";

/// Whether the cache file at `path` may be read or written: its folder is absent or a real
/// folder, and the file is absent or a regular file. A link is never followed: `.haven-cache`
/// linked elsewhere would send the build's writes outside the site, and a cache file linked to
/// a device (`/dev/zero`) would never end. Without it the build simply renders everything.
pub fn usable(path: &Path) -> bool {
    let real = |p: &Path, want_dir: bool| match std::fs::symlink_metadata(p) {
        Ok(m) => {
            let t = m.file_type();
            if want_dir { t.is_dir() } else { t.is_file() }
        }
        Err(e) => e.kind() == std::io::ErrorKind::NotFound,
    };
    path.parent().is_none_or(|dir| real(dir, true)) && real(path, false)
}

const MAGIC: &[u8; 8] = b"HAVENMD2";

/// Every page's and section's key, and the key of everything they share.
#[derive(Debug, Clone, PartialEq)]
pub struct Keys {
    global: u64,
    pages: IdVec<PageId, u64>,
    sections: IdVec<SectionId, u64>,
    /// What each part was made from, so that [`Keys::update`] redoes only what an edit touched.
    parts: Parts,
}

/// The parts of [`Keys`]: everything but the pages' text hashed apart.
#[derive(Debug, Clone, PartialEq, Default)]
struct Parts {
    /// The binary, the config, the glossary, the quiz files.
    inputs: u64,
    /// Each page's file, language, URL, section and front matter.
    page_meta: IdVec<PageId, u64>,
    /// The sections' and the assets'.
    rest: u64,
    /// Each page's quiz ids (0 for none).
    page_quizzes: IdVec<PageId, u64>,
    quiz_ids: u64,
    /// Each language's glossary: a page is marked from its own language's, so editing
    /// `glossary.es.toml` renders the Spanish pages again, not the others.
    glossaries: std::collections::BTreeMap<String, u64>,
}

/// Each language's glossary file, hashed.
fn glossary_hashes(site: &Site) -> std::collections::BTreeMap<String, u64> {
    site.glossaries
        .iter()
        .map(|(lang, g)| {
            let mut h = DefaultHasher::new();
            (&g.display, &*g.text).hash(&mut h);
            (lang.clone(), h.finish())
        })
        .collect()
}

/// The sections' files, languages, URLs, front matter and places in the tree, and the assets.
fn rest_of(site: &Site) -> Option<u64> {
    let mut h = DefaultHasher::new();
    for s in &site.sections {
        let front = serde_json::to_string(&s.front).ok()?;
        (
            &s.display,
            &s.dir,
            &s.lang,
            s.file.is_some(),
            &s.path,
            front,
        )
            .hash(&mut h);
        (s.parent, &s.subsections, &s.pages, s.body_offset).hash(&mut h);
    }
    site.assets
        .iter()
        .map(|a| (&a.rel, &a.output))
        .collect::<Vec<_>>()
        .hash(&mut h);
    Some(h.finish())
}

/// Every quiz id declared in a page, from each page's ([`page_quizzes`]).
fn quiz_ids(page_quizzes: &IdVec<PageId, u64>) -> u64 {
    let mut h = DefaultHasher::new();
    for q in page_quizzes.iter().filter(|&&q| q != 0) {
        q.hash(&mut h);
    }
    h.finish()
}

fn page_meta(p: &crate::model::Page) -> Option<u64> {
    let front = serde_json::to_string(&p.front).ok()?;
    let mut h = DefaultHasher::new();
    let key = p.file.translation_key();
    (&p.display, key, &p.file.lang, &p.path, p.section, front).hash(&mut h);
    (p.body_offset, &p.assets).hash(&mut h);
    Some(h.finish())
}

/// Page `p`'s quiz ids: (file, block, id) of every quiz it declares; 0 when none.
fn page_quizzes(p: &crate::model::Page) -> u64 {
    let ids = crate::blocks::quiz::declared_ids(&p.source, false);
    if ids.is_empty() {
        return 0;
    }
    let mut h = DefaultHasher::new();
    (&p.display, ids).hash(&mut h);
    // Never 0, which stands for none.
    h.finish() | 1
}

impl Keys {
    /// The keys of this build; `None` when the running binary cannot be told apart from
    /// another (its file unreadable), since another binary may render differently.
    pub fn new(site: &Site, config: &Config) -> Option<Keys> {
        let mut h = DefaultHasher::new();
        binary_identity()?.hash(&mut h);
        // Debug, not serde: it shows what serialising leaves out (a clinic's translations, which
        // the clinic theme shows on every page).
        format!("{config:?}").hash(&mut h);
        for (name, file) in &site.quiz_files {
            (name, &file.display, &*file.text).hash(&mut h);
        }
        let inputs = h.finish();
        let page_meta: IdVec<PageId, u64> = site
            .pages
            .par_iter()
            .map(page_meta)
            .collect::<Option<_>>()?;
        let page_quizzes: IdVec<PageId, u64> = site.pages.par_iter().map(page_quizzes).collect();
        let parts = Parts {
            inputs,
            page_meta,
            rest: rest_of(site)?,
            quiz_ids: quiz_ids(&page_quizzes),
            page_quizzes,
            glossaries: glossary_hashes(site),
        };
        Some(Keys::from_parts(site, parts, None))
    }

    /// The keys after the text of the pages and sections `edited` changed (their front matter
    /// as it was, nothing else changed since these keys were made): only what the edit touched
    /// is hashed again (a whole site's text takes a while to hash). Equal to [`Keys::new`].
    pub fn update(&self, site: &Site, config: &Config, edited: &[Target]) -> Option<Keys> {
        let mut parts = self.parts.clone();
        if parts.page_meta.len() != site.pages.len() || self.sections.len() != site.sections.len() {
            return Keys::new(site, config);
        }
        for &t in edited {
            if let Target::Page(i) = t {
                parts.page_meta[i] = page_meta(&site.pages[i])?;
                parts.page_quizzes[i] = page_quizzes(&site.pages[i]);
            }
        }
        parts.rest = rest_of(site)?;
        parts.quiz_ids = quiz_ids(&parts.page_quizzes);
        parts.glossaries = glossary_hashes(site);
        Some(Keys::from_parts(site, parts, Some((self, edited))))
    }

    /// The keys from their parts; with `before` (the keys before an edit, and what it edited),
    /// a page's key is hashed again only when it may have changed.
    fn from_parts(site: &Site, parts: Parts, before: Option<(&Keys, &[Target])>) -> Keys {
        let mut h = DefaultHasher::new();
        (parts.inputs, &parts.page_meta, parts.rest).hash(&mut h);
        let global = h.finish();
        let glossary_of = |lang: &str| parts.glossaries.get(lang).copied().unwrap_or(0);
        let key = |source: &str, lang: &str, quizzes: bool| {
            let mut h = DefaultHasher::new();
            (global, source, glossary_of(lang)).hash(&mut h);
            if quizzes {
                parts.quiz_ids.hash(&mut h);
            }
            h.finish()
        };
        let pages = match before {
            Some((old, edited))
                if old.global == global
                    && old.parts.quiz_ids == parts.quiz_ids
                    && old.parts.glossaries == parts.glossaries =>
            {
                let mut pages = old.pages.clone();
                for &t in edited {
                    if let Target::Page(i) = t {
                        let p = &site.pages[i];
                        pages[i] = key(&p.source, &p.file.lang, parts.page_quizzes[i] != 0);
                    }
                }
                pages
            }
            _ => site
                .pages
                .par_iter()
                .zip(parts.page_quizzes.par_iter())
                .map(|(p, &q)| key(&p.source, &p.file.lang, q != 0))
                .collect(),
        };
        let sections = site
            .sections
            .par_iter()
            .map(|s| {
                key(
                    &s.source,
                    &s.lang,
                    !crate::blocks::quiz::declared_ids(&s.source, false).is_empty(),
                )
            })
            .collect();
        Keys {
            global,
            pages,
            sections,
            parts,
        }
    }

    /// The key of what every page shares (the binary, the config, the glossary, the quiz
    /// files, every page's and section's front matter, file and URL).
    pub fn global(&self) -> u64 {
        self.global
    }

    /// Keys made up for a test of what reads them.
    #[cfg(test)]
    pub(crate) fn made_up(
        global: u64,
        pages: IdVec<PageId, u64>,
        sections: IdVec<SectionId, u64>,
    ) -> Keys {
        Keys {
            global,
            pages,
            sections,
            parts: Parts::default(),
        }
    }

    pub fn of(&self, t: Target) -> u64 {
        match t {
            Target::Page(i) => self.pages[i],
            Target::Section(i) => self.sections[i],
        }
    }

    fn count(&self) -> usize {
        self.pages.len() + self.sections.len()
    }

    /// The targets in the order of the file: pages, then sections.
    fn position(&self, t: Target) -> usize {
        match t {
            Target::Page(i) => i.index(),
            Target::Section(i) => self.pages.len() + i.index(),
        }
    }
}

/// The running binary: its version, size and time of change. A rebuilt haven may render the
/// same page differently, so it never trusts another's entries.
pub(super) fn binary_identity() -> Option<(&'static str, u64, std::time::SystemTime)> {
    let meta = std::env::current_exe().ok()?.metadata().ok()?;
    Some((env!("CARGO_PKG_VERSION"), meta.len(), meta.modified().ok()?))
}

/// A block as the cache keeps it: (kind, id, title, HTML, data).
type BlockOut<'a> = (
    &'a str,
    &'a Option<String>,
    &'a Option<String>,
    &'a str,
    &'a BlockData,
);
/// [`BlockOut`] read back.
type BlockIn = (String, Option<String>, Option<String>, String, BlockData);

/// A page as the cache keeps it: what a build reads of [`Rendered`] after the Markdown
/// stage. (Its prose is not kept: its search analysis stands in for it.)
#[derive(Serialize)]
struct EntryOut<'a> {
    key: u64,
    html: &'a str,
    toc: &'a [TocEntry],
    anchors: &'a [String],
    anchor_refs: &'a [AnchorRef],
    external_resources: &'a [(String, (usize, usize))],
    stats: &'a Stats,
    words: usize,
    blocks: Vec<BlockOut<'a>>,
    glossary_terms: &'a [String],
    search: Option<&'a Indexed>,
}

/// [`EntryOut`] read back: the same fields in the same order.
#[derive(Deserialize)]
struct EntryIn {
    key: u64,
    html: String,
    toc: Vec<TocEntry>,
    anchors: Vec<String>,
    anchor_refs: Vec<AnchorRef>,
    external_resources: Vec<(String, (usize, usize))>,
    stats: Stats,
    words: usize,
    blocks: Vec<BlockIn>,
    glossary_terms: Vec<String>,
    search: Option<Indexed>,
}

fn encode(key: u64, r: &Rendered, links: &LinkFacts, search: Option<&Indexed>) -> Option<Vec<u8>> {
    let entry = EntryOut {
        key,
        html: &r.html,
        toc: &r.toc,
        anchors: &links.anchors,
        anchor_refs: &links.anchor_refs,
        external_resources: &links.external_resources,
        stats: &r.stats,
        words: r.words,
        blocks: r
            .blocks
            .iter()
            .map(|b| (b.kind, &b.id, &b.title, b.html.as_str(), &b.data))
            .collect(),
        glossary_terms: &r.glossary_terms,
        search,
    };
    postcard::to_allocvec(&entry).ok()
}

/// What a frame's entry (and the page and generated-files caches' payload) is checked against
/// when read.
pub(super) fn checksum(bytes: &[u8]) -> u64 {
    let mut h = DefaultHasher::new();
    h.write(bytes);
    h.finish()
}

/// Writes a whole cache file: `header`, the checksum of `payload`, then `payload`, into a
/// temporary file renamed over `path`, so a reader sees the last file or this one, never half
/// of one. Writes nothing where [`usable`] says no. Returns whether the file was written.
pub(super) fn write_whole(path: &Path, header: &[&[u8]], payload: &[u8]) -> bool {
    if !usable(path) {
        return false;
    }
    let tmp = path.with_extension(format!("new-{}", std::process::id()));
    let written = (|| -> std::io::Result<()> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let mut f = BufWriter::new(File::create(&tmp)?);
        for part in header {
            f.write_all(part)?;
        }
        f.write_all(&checksum(payload).to_le_bytes())?;
        f.write_all(payload)?;
        f.into_inner().map_err(|e| e.into_error())?;
        std::fs::rename(&tmp, path)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written.is_ok()
}

/// A page taken from the cache.
pub struct Hit {
    pub rendered: Rendered,
    pub links: LinkFacts,
    pub search: Option<Indexed>,
}

fn decode(bytes: &[u8], key: u64) -> Option<Hit> {
    let e: EntryIn = postcard::from_bytes(bytes).ok()?;
    if e.key != key {
        return None;
    }
    let blocks = e
        .blocks
        .into_iter()
        .map(|(kind, id, title, html, data)| {
            let kind = crate::blocks::KINDS.iter().find(|k| **k == kind)?;
            Some(crate::blocks::BlockOutput {
                kind,
                id,
                title,
                html,
                data,
            })
        })
        .collect::<Option<_>>()?;
    Some(Hit {
        rendered: Rendered {
            html: e.html,
            toc: e.toc,
            stats: e.stats,
            words: e.words,
            blocks,
            glossary_terms: e.glossary_terms,
        },
        links: LinkFacts {
            anchors: e.anchors,
            anchor_refs: e.anchor_refs,
            external_resources: e.external_resources,
        },
        search: e.search,
    })
}

/// The previous build's cache, read in order.
pub struct Reader {
    file: BufReader<File>,
    /// Bytes not read yet: a damaged length must not make it allocate more.
    left: u64,
    keys: Keys,
    /// The position of the next frame; `None` once anything went wrong (nothing more is read).
    next: Option<usize>,
}

impl Reader {
    /// The cache at `path` when it was written for `keys`' global key and as many pages and
    /// sections.
    pub fn open(path: &Path, keys: Keys) -> Option<Reader> {
        if !usable(path) {
            return None;
        }
        let file = File::open(path).ok()?;
        let left = file.metadata().ok()?.len().checked_sub(24)?;
        let mut file = BufReader::with_capacity(1 << 20, file);
        let mut header = [0u8; 24];
        file.read_exact(&mut header).ok()?;
        let word = |i: usize| u64::from_le_bytes(header[i..i + 8].try_into().expect("8 bytes"));
        let fits = &header[..8] == MAGIC
            && word(8) == keys.global
            && usize::try_from(word(16)).ok() == Some(keys.count());
        fits.then(|| Reader {
            file,
            left,
            keys,
            next: Some(0),
        })
    }

    /// `t`'s entry, still encoded ([`Frame::decode`] checks that it is still good). Targets
    /// must be asked for in the file's order, each once; out of order, nothing more is read.
    pub fn take(&mut self, t: Target) -> Option<Frame> {
        let at = self.keys.position(t);
        if self.next != Some(at) {
            self.next = None;
            return None;
        }
        let mut head = [0u8; 12];
        let mut bytes = Vec::new();
        let read = self.file.read_exact(&mut head).and_then(|()| {
            let len = u64::from(u32::from_le_bytes(head[..4].try_into().expect("4 bytes")));
            self.left = self
                .left
                .checked_sub(12 + len)
                .ok_or(std::io::ErrorKind::UnexpectedEof)?;
            bytes.resize(len as usize, 0);
            self.file.read_exact(&mut bytes)
        });
        if read.is_err() {
            self.next = None;
            return None;
        }
        self.next = Some(at + 1);
        (!bytes.is_empty()).then(|| Frame {
            bytes,
            checksum: u64::from_le_bytes(head[4..].try_into().expect("8 bytes")),
            key: self.keys.of(t),
        })
    }
}

/// One page's entry as read, decoded apart from reading (in parallel).
#[derive(Debug)]
pub struct Frame {
    bytes: Vec<u8>,
    /// [`checksum`] of `bytes` when written.
    checksum: u64,
    /// The key the page has now.
    key: u64,
}

impl Frame {
    /// The page, when its entry was made for the key it has now.
    pub fn decode(&self) -> Option<Hit> {
        // A damaged entry can still decode, into the wrong page.
        (checksum(&self.bytes) == self.checksum)
            .then(|| decode(&self.bytes, self.key))
            .flatten()
    }
}

/// What [`Writer::put_batch`] keeps of a page: rendered now (with its search analysis), or
/// its entry as read from the last cache (still good: its key matched).
pub enum Entry<'a> {
    Rendered(&'a Rendered, &'a LinkFacts, Option<&'a Indexed>),
    Read(&'a Frame),
}

/// This build's cache, written in order beside the old one and put in its place by
/// [`Writer::commit`] (dropped before, it removes itself).
pub struct Writer {
    file: Option<BufWriter<File>>,
    keys: Keys,
    tmp: PathBuf,
    path: PathBuf,
    next: usize,
}

impl Writer {
    pub fn create(path: &Path, keys: Keys) -> Option<Writer> {
        if !usable(path) {
            return None;
        }
        std::fs::create_dir_all(path.parent()?).ok()?;
        let tmp = path.with_extension(format!("new-{}", std::process::id()));
        let mut file = BufWriter::with_capacity(1 << 20, File::create(&tmp).ok()?);
        let header = [
            &MAGIC[..],
            &keys.global.to_le_bytes(),
            &(keys.count() as u64).to_le_bytes(),
        ]
        .concat();
        let mut writer = Writer {
            file: None,
            keys,
            tmp,
            path: path.to_path_buf(),
            next: 0,
        };
        file.write_all(&header).ok()?;
        writer.file = Some(file);
        Some(writer)
    }

    /// The entries of a batch of `targets`, in order: `Some` for what may be kept (rendered
    /// with no diagnostic, or taken from the cache), with its search analysis.
    pub fn put_batch(&mut self, targets: &[Target], entries: &[Option<Entry>]) {
        if targets.first().map(|&t| self.keys.position(t)) != Some(self.next) {
            self.file = None;
        }
        let keys = &self.keys;
        // Encoded and checksummed in parallel; an entry read from the cache goes back as read.
        let frames: Vec<Option<(Cow<[u8]>, u64)>> = entries
            .par_iter()
            .zip(targets)
            .map(|(e, &target)| match e.as_ref()? {
                Entry::Rendered(r, l, s) => {
                    let bytes = encode(keys.of(target), r, l, *s)?;
                    let sum = checksum(&bytes);
                    Some((Cow::Owned(bytes), sum))
                }
                Entry::Read(frame) => Some((Cow::Borrowed(&frame.bytes[..]), frame.checksum)),
            })
            .collect();
        self.next += entries.len();
        let Some(file) = &mut self.file else {
            return;
        };
        let written = frames.iter().try_for_each(|frame| {
            let (bytes, sum) = frame.as_ref().map_or((&[][..], 0), |(b, s)| (&b[..], *s));
            // An entry past 4 GiB is not kept.
            let (len, bytes) = match u32::try_from(bytes.len()) {
                Ok(len) => (len, bytes),
                Err(_) => (0, &[][..]),
            };
            file.write_all(&len.to_le_bytes())?;
            file.write_all(&sum.to_le_bytes())?;
            file.write_all(bytes)
        });
        if written.is_err() {
            self.file = None;
        }
    }

    /// Puts the new cache in place of the old, when every page and section was written.
    pub fn commit(mut self) -> bool {
        let Some(file) = self.file.take() else {
            return false;
        };
        self.next == self.keys.count()
            && file.into_inner().is_ok()
            && std::fs::rename(&self.tmp, &self.path).is_ok()
    }
}

impl Drop for Writer {
    fn drop(&mut self) {
        self.file = None;
        // After a commit the file is gone already.
        let _ = std::fs::remove_file(&self.tmp);
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    use crate::render::render_content;

    const PAGES: &[(&str, &str)] = &[
        ("_index.md", "+++\ntitle = \"Home\"\n+++\nWelcome.\n"),
        ("pcd/_index.md", "+++\ntitle = \"PCD\"\n+++\nAbout PCD.\n"),
        (
            "pcd/what.md",
            "+++\ntitle = \"What\"\n+++\n## Feelings\n\nSad after sex. See [more](@/pcd/more.md#help).\n\n```quiz\n# Check\ntype: knowledge\nid: check\n\n## Is it common?\n- [x] Yes\n  > Right.\n- [ ] No\n  > It is.\n```\n",
        ),
        (
            "pcd/more.md",
            "+++\ntitle = \"More\"\n+++\n## Help\n\nTalk to someone.\n",
        ),
        (
            "pcd/more.es.md",
            "+++\ntitle = \"Más\"\n+++\n## Ayuda\n\nHabla con alguien. Las ideas ayudan.\n",
        ),
    ];

    fn site(pages: &[(&str, &str)]) -> (Config, Site) {
        crate::model::test_site("[languages.es]\n", pages)
    }

    /// The pages' Markdown, link facts and search analyses, by page.
    type RenderedPages = (
        IdVec<PageId, Rendered>,
        IdVec<PageId, LinkFacts>,
        IdVec<PageId, Option<Indexed>>,
    );

    /// The site's pages, rendered and measured as `build` keeps them, with their analyses.
    fn rendered(site: &Site, config: &Config) -> RenderedPages {
        let (content, diags) = render_content(
            site,
            config,
            &crate::glossary::Glossaries::load(site, config).0,
        );
        assert!(diags.is_empty(), "{diags:?}");
        let index = crate::site_index::SiteIndex::new(config);
        let docs: Vec<_> = (content.all_with_prose().unwrap())
            .filter(|(t, _, _)| matches!(t, Target::Page(_)))
            .collect();
        let search = IdVec::from(index.analyze(site, &docs));
        (content.pages, content.links.unwrap().pages, search)
    }

    /// `serve` updates the keys after a text edit instead of making them all again: the same
    /// keys, whatever the edit (a quiz id added, the front matter's length changed).
    #[test]
    fn keys_updated_after_text_edits_equal_new_ones() {
        let (config, before) = site(PAGES);
        let keys = Keys::new(&before, &config).unwrap();
        let find = |site: &Site, path: &str| site.pages.position(|p| p.path == path).unwrap();
        let more = find(&before, "/pcd/more/");
        let what = find(&before, "/pcd/what/");
        for (page, text) in [
            (
                "pcd/more.md",
                "+++\ntitle = \"More\"\n+++\n## Help\n\nTalk to a friend.\n",
            ),
            (
                "pcd/more.md",
                "+++\ntitle = \"More\"\n+++\n## Help\n\n```quiz\n# Q\ntype: knowledge\nid: other\n\n## Ok?\n- [x] Yes\n  > Yes.\n- [ ] No\n  > No.\n```\n",
            ),
            (
                "pcd/more.md",
                "+++\ntitle =   \"More\"\n+++\n## Help\n\nTalk to someone.\n",
            ),
            (
                "pcd/what.md",
                "+++\ntitle = \"What\"\n+++\n## Feelings\n\nSad after sex. See [more](@/pcd/more.md#help).\n",
            ),
        ] {
            let mut pages = PAGES.to_vec();
            pages.iter_mut().find(|(p, _)| *p == page).unwrap().1 = text;
            let (_, after) = site(&pages);
            let edited = [Target::Page(if page == "pcd/more.md" {
                more
            } else {
                what
            })];
            assert_eq!(
                keys.update(&after, &config, &edited),
                Keys::new(&after, &config),
                "{page}: {text}"
            );
        }
    }

    #[test]
    fn an_entry_reads_back_as_written() {
        let (config, site) = site(PAGES);
        let keys = Keys::new(&site, &config).unwrap();
        let (pages, links, search) = rendered(&site, &config);
        let what = site.pages.position(|p| p.path == "/pcd/what/").unwrap();
        let (r, l) = (&pages[what], &links[what]);
        assert!(!r.blocks.is_empty() && !l.anchor_refs.is_empty() && r.stats.words > 0);
        let key = keys.of(Target::Page(what));
        let bytes = encode(key, r, l, search[what].as_ref()).unwrap();
        let hit = decode(&bytes, key).unwrap();
        let back = &hit.rendered;
        assert_eq!(back.html, r.html);
        assert_eq!(back.toc, r.toc);
        assert_eq!(hit.links.anchors, l.anchors);
        assert_eq!(hit.links.anchor_refs, l.anchor_refs);
        assert_eq!(back.stats, r.stats);
        assert_eq!(back.words, r.words);
        assert_eq!(back.glossary_terms, r.glossary_terms);
        let blocks = |r: &Rendered| {
            r.blocks
                .iter()
                .map(|b| {
                    (
                        b.kind,
                        b.id.clone(),
                        b.title.clone(),
                        b.html.clone(),
                        b.data.clone(),
                    )
                })
                .collect::<Vec<_>>()
        };
        assert_eq!(blocks(back), blocks(r));
        assert_eq!(hit.search, search[what]);
        // Made for another key (the page or what it reads changed): not used.
        assert!(decode(&bytes, key ^ 1).is_none());
    }

    #[test]
    fn keys_change_with_what_a_page_reads() {
        let (config, site_a) = site(PAGES);
        let a = Keys::new(&site_a, &config).unwrap();
        assert_eq!(a, Keys::new(&site_a, &config).unwrap(), "keys are stable");

        // One page's text: that page's key alone.
        let mut edited = PAGES.to_vec();
        edited[3].1 = "+++\ntitle = \"More\"\n+++\n## Help\n\nTalk to a friend.\n";
        let (_, site_b) = site(&edited);
        let b = Keys::new(&site_b, &config).unwrap();
        assert_eq!(a.global, b.global);
        for i in site_a.pages.ids() {
            let changed = site_a.pages[i].path == "/pcd/more/";
            assert_eq!(
                a.pages[i] != b.pages[i],
                changed,
                "{}",
                site_a.pages[i].path
            );
        }

        // Another page's title, or the config: every key.
        edited[3].1 = "+++\ntitle = \"Much more\"\n+++\n## Help\n\nTalk to someone.\n";
        let (_, site_c) = site(&edited);
        assert_ne!(a.global, Keys::new(&site_c, &config).unwrap().global);
        let other = Config::parse(
            "[languages.es]\n[markdown]\nsmart_punctuation = false\n",
            Path::new("haven.toml"),
        )
        .unwrap();
        assert_ne!(a.global, Keys::new(&site_a, &other).unwrap().global);
    }

    #[test]
    fn the_file_is_read_in_order_and_only_for_its_build() {
        let (config, site) = site(PAGES);
        let keys = Keys::new(&site, &config).unwrap();
        let (pages, links, search) = rendered(&site, &config);
        let (content, _) = render_content(
            &site,
            &config,
            &crate::glossary::Glossaries::load(&site, &config).0,
        );
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(".haven-cache/markdown.bin");

        let write = |skip_sections: bool| {
            let mut w = Writer::create(&path, keys.clone()).unwrap();
            let entries: Vec<_> = pages
                .zip(&search)
                .zip(links.iter())
                .map(|((r, s), l)| Some(Entry::Rendered(r, l, s.as_ref())))
                .collect();
            let targets: Vec<_> = site.pages.ids().map(Target::Page).collect();
            w.put_batch(&targets, &entries);
            if !skip_sections {
                let section_links = &content.links.as_ref().unwrap().sections;
                let sections: Vec<_> = (content.sections.iter())
                    .zip(section_links.iter())
                    .map(|(r, l)| Some(Entry::Rendered(r, l, None)))
                    .collect();
                let targets: Vec<_> = site.sections.ids().map(Target::Section).collect();
                w.put_batch(&targets, &sections);
            }
            w.commit()
        };
        // Not every page and section written: nothing is put in place.
        assert!(!write(true));
        assert!(!path.exists());
        assert!(write(false));
        let leftovers = std::fs::read_dir(path.parent().unwrap()).unwrap().count();
        assert_eq!(leftovers, 1, "only the cache itself");

        let mut reader = Reader::open(&path, keys.clone()).unwrap();
        for (i, page) in pages.enumerate() {
            let hit = reader.take(Target::Page(i)).unwrap().decode().unwrap();
            assert_eq!(hit.rendered.html, page.html);
        }
        // Out of order: nothing more is read.
        assert!(reader.take(Target::Section(SectionId::nth(1))).is_none());
        assert!(reader.take(Target::Section(SectionId::nth(0))).is_none());

        // A damaged length (4 GiB): refused (the reader checks it against what is left of the
        // file before making room for it).
        let good = std::fs::read(&path).unwrap();
        let mut bad = good.clone();
        bad[24..28].copy_from_slice(&u32::MAX.to_le_bytes());
        std::fs::write(&path, &bad).unwrap();
        let mut reader = Reader::open(&path, keys.clone()).unwrap();
        assert!(reader.take(Target::Page(PageId::nth(0))).is_none());
        assert!(reader.take(Target::Page(PageId::nth(1))).is_none());
        std::fs::write(&path, &good).unwrap();

        // Another build (another global key, or another number of pages): not opened.
        let mut other = keys.clone();
        other.global ^= 1;
        assert!(Reader::open(&path, other).is_none());
        let mut fewer = keys.clone();
        fewer.pages = fewer.pages.iter().skip(1).copied().collect();
        assert!(Reader::open(&path, fewer).is_none());
    }
}
