//! The page cache: for each page and section, a hash of the data its template was given (its
//! context, serialized) and a hash of the HTML that came out, kept between `haven build`s in
//! `.haven-cache/pages.bin`. A page whose context hashes as last time, under the same templates
//! and the same haven binary, renders to the same HTML; when the output still holds that HTML
//! untouched (the output's manifest says so, [`crate::output::Sink::keep`]), the page is not
//! rendered again. Editing one page's text changes its own context and those of the few pages
//! that show its word count or link to it (neighbours, its section), so only they render.
//!
//! This holds only while a template's output follows from its context: tera's `get_env` and
//! functions registered from Rust can read more, so [`crate::templates::Templates::fingerprint`]
//! turns the cache off for templates that use them.

use std::collections::HashMap;
use std::fs::File;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::io::{BufWriter, Write};
use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use serde::Serialize;

use crate::templates::Templates;

/// Where the page cache lives, under the site's folder.
pub const PATH: &str = ".haven-cache/pages.bin";

const MAGIC: &[u8; 8] = b"HAVENPG1";

/// Last build's hashes, and this build's as pages render.
pub struct PageCache {
    /// Of the templates and the binary: the old entries count only under the same.
    global: u64,
    /// Output path -> (context hash, output hash), from the last build.
    old: HashMap<String, (u64, u64)>,
    new: Mutex<Vec<(String, u64, u64)>>,
    kept: AtomicUsize,
}

impl PageCache {
    /// The cache for a build through `templates`; `None` when their output may not follow from
    /// the context alone, or the running binary cannot be told from another.
    pub fn open(root: &Path, templates: &Templates) -> Option<PageCache> {
        let mut h = DefaultHasher::new();
        (templates.fingerprint()?, super::cache::binary_identity()?).hash(&mut h);
        let global = h.finish();
        Some(PageCache {
            global,
            old: read(&root.join(PATH), global).unwrap_or_default(),
            new: Mutex::default(),
            kept: AtomicUsize::new(0),
        })
    }

    /// The hash of rendering `template` with `context`: what decides its output.
    pub fn fingerprint(template: &str, context: &impl Serialize) -> Option<u64> {
        let mut h = HashWriter(DefaultHasher::new());
        template.hash(&mut h.0);
        serde_json::to_writer(&mut h, context).ok()?;
        Some(h.0.finish())
    }

    /// The hash of what `path` rendered to last time, when its context hashed to `context`
    /// then too.
    pub fn previous(&self, path: &str, context: u64) -> Option<u64> {
        self.old
            .get(path)
            .filter(|(c, _)| *c == context)
            .map(|(_, out)| *out)
    }

    /// Records that `path`, from a context hashing to `context`, holds HTML hashing to
    /// `output`; `kept` when it was not rendered again.
    pub fn record(&self, path: &str, context: u64, output: u64, kept: bool) {
        if kept {
            self.kept.fetch_add(1, Ordering::Relaxed);
        }
        self.new.lock().unwrap_or_else(|e| e.into_inner()).push((
            path.to_string(),
            context,
            output,
        ));
    }

    /// Pages and sections kept without rendering.
    pub fn kept(&self) -> usize {
        self.kept.load(Ordering::Relaxed)
    }

    /// Writes this build's hashes in place of the last build's.
    pub fn commit(self, root: &Path) -> bool {
        let mut entries = self.new.into_inner().unwrap_or_else(|e| e.into_inner());
        entries.sort_unstable();
        let path = root.join(PATH);
        if !super::cache::usable(&path) {
            return false;
        }
        let Ok(payload) = postcard::to_allocvec(&entries) else {
            return false;
        };
        let tmp = path.with_extension(format!("new-{}", std::process::id()));
        let written = (|| -> std::io::Result<()> {
            std::fs::create_dir_all(path.parent().unwrap_or(root))?;
            let mut f = BufWriter::new(File::create(&tmp)?);
            f.write_all(MAGIC)?;
            f.write_all(&self.global.to_le_bytes())?;
            f.write_all(&checksum(&payload).to_le_bytes())?;
            f.write_all(&payload)?;
            f.into_inner().map_err(|e| e.into_error())?;
            std::fs::rename(&tmp, &path)
        })();
        if written.is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
        written.is_ok()
    }
}

/// The entries of the file at `path`, when it was written under `global` and is whole.
fn read(path: &Path, global: u64) -> Option<HashMap<String, (u64, u64)>> {
    if !super::cache::usable(path) {
        return None;
    }
    let bytes = std::fs::read(path).ok()?;
    let word = |i: usize| Some(u64::from_le_bytes(bytes.get(i..i + 8)?.try_into().ok()?));
    if bytes.get(..8)? != MAGIC || word(8)? != global {
        return None;
    }
    let payload = bytes.get(24..)?;
    if checksum(payload) != word(16)? {
        return None;
    }
    let entries: Vec<(String, u64, u64)> = postcard::from_bytes(payload).ok()?;
    Some(
        entries
            .into_iter()
            .map(|(path, context, output)| (path, (context, output)))
            .collect(),
    )
}

fn checksum(bytes: &[u8]) -> u64 {
    let mut h = DefaultHasher::new();
    h.write(bytes);
    h.finish()
}

/// Serialized data straight into a hasher.
struct HashWriter(DefaultHasher);

impl Write for HashWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.write(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::theme::Theme;

    fn templates(site: &Path) -> Templates {
        Templates::load(&Theme::load(site, "guide").unwrap(), site).unwrap()
    }

    #[test]
    fn the_fingerprint_follows_the_template_and_every_value_of_the_context() {
        let fp = |t: &str, v: serde_json::Value| PageCache::fingerprint(t, &v).unwrap();
        let ctx = serde_json::json!({"page": {"title": "A", "words": 10, "grade": 6.5}});
        assert_eq!(fp("page.html", ctx.clone()), fp("page.html", ctx.clone()));
        assert_ne!(fp("page.html", ctx.clone()), fp("other.html", ctx));
        for changed in [
            serde_json::json!({"page": {"title": "B", "words": 10, "grade": 6.5}}),
            serde_json::json!({"page": {"title": "A", "words": 11, "grade": 6.5}}),
            serde_json::json!({"page": {"title": "A", "words": 10, "grade": 6.6}}),
            serde_json::json!({"page": {"title": "A", "words": 10}}),
        ] {
            let base = serde_json::json!({"page": {"title": "A", "words": 10, "grade": 6.5}});
            assert_ne!(fp("page.html", base), fp("page.html", changed));
        }
    }

    #[test]
    fn hashes_are_kept_for_the_same_templates_only() {
        let site = tempfile::tempdir().unwrap();
        let cache = PageCache::open(site.path(), &templates(site.path())).unwrap();
        assert_eq!(cache.previous("a/index.html", 1), None);
        cache.record("a/index.html", 1, 100, false);
        cache.record("b/index.html", 2, 200, true);
        assert_eq!(cache.kept(), 1);
        assert!(cache.commit(site.path()));

        let cache = PageCache::open(site.path(), &templates(site.path())).unwrap();
        assert_eq!(cache.previous("a/index.html", 1), Some(100));
        assert_eq!(cache.previous("b/index.html", 2), Some(200));
        // Another context: render again.
        assert_eq!(cache.previous("a/index.html", 2), None);

        // A site template over the theme's: nothing from before counts.
        std::fs::create_dir_all(site.path().join("templates")).unwrap();
        std::fs::write(site.path().join("templates/404.html"), "gone").unwrap();
        let cache = PageCache::open(site.path(), &templates(site.path())).unwrap();
        assert_eq!(cache.previous("a/index.html", 1), None);

        // A damaged file is not read.
        std::fs::remove_file(site.path().join("templates/404.html")).unwrap();
        let path = site.path().join(PATH);
        let mut bytes = std::fs::read(&path).unwrap();
        let last = bytes.len() - 1;
        bytes[last] ^= 1;
        std::fs::write(&path, bytes).unwrap();
        let cache = PageCache::open(site.path(), &templates(site.path())).unwrap();
        assert_eq!(cache.previous("a/index.html", 1), None);
    }

    #[test]
    fn no_cache_for_templates_that_read_more_than_their_context() {
        let site = tempfile::tempdir().unwrap();
        assert!(templates(site.path()).fingerprint().is_some());
        std::fs::create_dir_all(site.path().join("templates")).unwrap();
        std::fs::write(
            site.path().join("templates/404.html"),
            "{{ get_env(name=\"HOME\", default=\"\") }}",
        )
        .unwrap();
        let with_env = templates(site.path());
        assert!(with_env.fingerprint().is_none());
        assert!(PageCache::open(site.path(), &with_env).is_none());

        std::fs::remove_file(site.path().join("templates/404.html")).unwrap();
        let mut with_function = templates(site.path());
        with_function.register_function("site_pages", |_: &HashMap<String, tera::Value>| {
            Ok(tera::Value::Null)
        });
        assert!(with_function.fingerprint().is_none());
    }
}
