//! Writing the built site: everything goes into a fresh folder beside the target, which is
//! swapped into place only when complete, so a failed build leaves the last good site whole.

use std::path::{Component, Path, PathBuf};

use crate::diagnostic::{Diagnostic, io_error};

/// One file of the built site.
#[derive(Debug, Clone)]
pub struct OutputFile {
    /// Path inside the output folder, `/`-separated, never absolute, never with `..`.
    pub path: String,
    pub contents: Contents,
}

#[derive(Debug, Clone)]
pub enum Contents {
    Bytes(Vec<u8>),
    /// Copied from this file on disk.
    Copy(PathBuf),
}

impl OutputFile {
    pub fn bytes(path: impl Into<String>, bytes: Vec<u8>) -> Self {
        OutputFile {
            path: path.into(),
            contents: Contents::Bytes(bytes),
        }
    }

    /// An HTML page at a URL path: `/a/b/` -> `a/b/index.html`.
    pub fn html(url_path: &str, html: String) -> Self {
        let dir = url_path.trim_start_matches('/');
        OutputFile::bytes(format!("{dir}index.html"), html.into_bytes())
    }
}

/// Checks that `output` is a safe place to replace wholesale.
pub fn check_output_dir(root: &Path, output: &Path, explicit: bool) -> Result<(), Diagnostic> {
    let root = absolute(root);
    let output = absolute(output);
    let refuse = |why: &str, help: &str| {
        Err(Diagnostic::error(format!(
            "refusing to write the site to {}: {why}",
            output.display()
        ))
        .with_help(help.to_string()))
    };
    if output == root {
        return refuse(
            "it is the site folder itself, and building replaces the whole output folder",
            "set output_dir in haven.toml to a subfolder such as \"public\"",
        );
    }
    if root.starts_with(&output) {
        return refuse(
            "it holds the site folder",
            "choose an output folder inside the site, such as \"public\"",
        );
    }
    for protected in ["content", "templates", "static", "themes"] {
        if output.starts_with(root.join(protected)) {
            return refuse(
                &format!("it is inside {protected}/, which holds your work"),
                "choose an output folder such as \"public\"",
            );
        }
    }
    if !output.starts_with(&root) && !explicit {
        return refuse(
            "it is outside the site folder",
            "pass --output DIR on the command line to write outside the site on purpose",
        );
    }
    Ok(())
}

fn absolute(path: &Path) -> PathBuf {
    let path = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    // Resolve the longest existing prefix, then add the rest lexically.
    let mut existing = path.clone();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.file_name(), existing.parent()) {
            (Some(name), Some(parent)) => {
                rest.push(name.to_os_string());
                existing = parent.to_path_buf();
            }
            _ => break,
        }
    }
    let mut out = existing.canonicalize().unwrap_or(existing);
    for part in rest.into_iter().rev() {
        out.push(part);
    }
    let mut clean = PathBuf::new();
    for c in out.components() {
        match c {
            Component::ParentDir => {
                clean.pop();
            }
            Component::CurDir => {}
            other => clean.push(other),
        }
    }
    clean
}

/// A path inside the output: relative, with no `..`, `.` or root parts.
pub fn is_safe_relative(path: &str) -> bool {
    !path.is_empty()
        && !path.starts_with('/')
        && !path.contains('\\')
        && !path.contains('\0')
        && path
            .split('/')
            .all(|seg| !seg.is_empty() && seg != "." && seg != "..")
        && !Path::new(path).has_root()
}

/// Name of the file inside the output listing what a build wrote, so the next build can keep
/// unchanged files (by hard link) instead of writing them again.
pub const MANIFEST: &str = ".haven-manifest";

/// Where rendered files go as they are made: kept in memory ([`Collect`], for `serve`),
/// dropped ([`Discard`], for `check`), or written straight to the staging folder ([`Staging`],
/// for `build`), so a big site is never held in memory whole.
pub trait Sink: Sync {
    fn put(&self, file: OutputFile) -> Result<(), Diagnostic>;

    fn put_all(&self, files: Vec<OutputFile>) -> Result<(), Diagnostic> {
        use rayon::prelude::*;
        files.into_par_iter().try_for_each(|f| self.put(f))
    }
}

/// Keeps every file, in memory.
#[derive(Default)]
pub struct Collect(std::sync::Mutex<Vec<OutputFile>>);

impl Collect {
    /// The files, sorted by path so the result does not depend on thread timing.
    pub fn into_files(self) -> Vec<OutputFile> {
        let mut files = self.0.into_inner().unwrap_or_else(|e| e.into_inner());
        files.sort_by(|a, b| a.path.cmp(&b.path));
        files
    }
}

impl Sink for Collect {
    fn put(&self, file: OutputFile) -> Result<(), Diagnostic> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).push(file);
        Ok(())
    }
}

/// Keeps only the paths (`haven check` writes nothing but still checks for clashes).
#[derive(Default)]
pub struct Discard(std::sync::Mutex<Vec<String>>);

impl Discard {
    pub fn into_paths(self) -> Vec<String> {
        self.0.into_inner().unwrap_or_else(|e| e.into_inner())
    }
}

impl Sink for Discard {
    fn put(&self, file: OutputFile) -> Result<(), Diagnostic> {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(file.path);
        Ok(())
    }
}

/// Writes `files` into `output`, replacing it only once everything is written.
pub fn write_site(output: &Path, files: &[OutputFile]) -> Result<(), Vec<Diagnostic>> {
    let staging = Staging::open(output).map_err(|d| vec![d])?;
    use rayon::prelude::*;
    let errors: Vec<Diagnostic> = files
        .par_iter()
        .filter_map(|f| staging.put(f.clone()).err())
        .collect();
    if !errors.is_empty() {
        return Err(errors);
    }
    staging.commit().map_err(|d| vec![d])
}

/// A new site being written beside the output folder, swapped in by [`Staging::commit`] with
/// two renames, so a failure at any point leaves the last good output whole. Dropped without a
/// commit, it removes itself. Files whose bytes are the same as in the previous build are
/// hard-linked from it rather than written again.
pub struct Staging {
    dir: PathBuf,
    output: PathBuf,
    previous: PathBuf,
    old: Manifest,
    /// Folders made so far, so each is created once.
    folders: std::sync::Mutex<std::collections::HashSet<String>>,
    /// Every path written, with its manifest line for generated files.
    written: std::sync::Mutex<Vec<(String, Option<String>)>>,
    committed: bool,
}

impl Staging {
    /// Makes an empty staging folder beside `output`.
    pub fn open(output: &Path) -> Result<Staging, Diagnostic> {
        let name = output
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_else(|| "public".into());
        let parent = output
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        std::fs::create_dir_all(parent).map_err(|e| io_error(parent, "create the folder", &e))?;
        let dir = parent.join(format!(".{name}.haven-new"));
        if dir.exists() {
            remove_tree(&dir).map_err(|e| io_error(&dir, "clear the staging folder", &e))?;
        }
        std::fs::create_dir_all(&dir).map_err(|e| {
            io_error(&dir, "create the staging folder", &e)
                .with_help("check that the output's parent folder is writable")
        })?;
        Ok(Staging {
            previous: parent.join(format!(".{name}.haven-old")),
            old: Manifest::read(output),
            output: output.to_path_buf(),
            dir,
            folders: Default::default(),
            written: Default::default(),
            committed: false,
        })
    }

    /// Every path a file was written to so far.
    pub fn paths(&self) -> Vec<String> {
        let written = self.written.lock().unwrap_or_else(|e| e.into_inner());
        written.iter().map(|(p, _)| p.clone()).collect()
    }

    fn make_folder(&self, rel: &str) -> Result<(), Diagnostic> {
        let Some((folder, _)) = rel.rsplit_once('/') else {
            return Ok(());
        };
        if self
            .folders
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .contains(folder)
        {
            return Ok(());
        }
        let p = self.dir.join(folder);
        std::fs::create_dir_all(&p).map_err(|e| io_error(&p, "create the folder", &e))?;
        self.folders
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(folder.to_string());
        Ok(())
    }

    /// Writes the manifest and swaps the staging folder in for the output.
    pub fn commit(mut self) -> Result<(), Diagnostic> {
        let written = std::mem::take(&mut *self.written.lock().unwrap_or_else(|e| e.into_inner()));
        let mut lines: Vec<String> = written.into_iter().filter_map(|(_, line)| line).collect();
        lines.sort_unstable();
        let path = self.dir.join(MANIFEST);
        std::fs::write(&path, lines.join("\n")).map_err(|e| io_error(&path, "write", &e))?;
        swap(&self.dir, &self.output, &self.previous)?;
        self.committed = true;
        Ok(())
    }
}

impl Sink for Staging {
    fn put(&self, file: OutputFile) -> Result<(), Diagnostic> {
        if !is_safe_relative(&file.path) || file.path == MANIFEST {
            return Err(Diagnostic::error(format!(
                "refusing to write `{}`: it would land outside the output folder",
                file.path
            )));
        }
        self.make_folder(&file.path)?;
        let path = self.dir.join(&file.path);
        let line = match &file.contents {
            Contents::Bytes(b) => {
                let old_dir = &self.output;
                let kept = self.old.unchanged(old_dir, &file.path, b)
                    && std::fs::hard_link(old_dir.join(&file.path), &path).is_ok();
                if !kept {
                    std::fs::write(&path, b).map_err(|e| io_error(&path, "write", &e))?;
                }
                let meta =
                    std::fs::metadata(&path).map_err(|e| io_error(&path, "read back", &e))?;
                Some(format!(
                    "{:016x} {} {} {}",
                    content_hash(b),
                    b.len(),
                    modified_nanos(&meta),
                    file.path
                ))
            }
            Contents::Copy(from) => {
                std::fs::copy(from, &path).map_err(|e| io_error(from, "copy", &e))?;
                None
            }
        };
        self.written
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((file.path, line));
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = remove_tree(&self.dir);
        }
    }
}

/// What the previous build wrote: path -> (content hash, length, modification time).
#[derive(Default)]
struct Manifest(std::collections::HashMap<String, (u64, u64, u128)>);

impl Manifest {
    fn read(output: &Path) -> Manifest {
        let Ok(text) = std::fs::read_to_string(output.join(MANIFEST)) else {
            return Manifest::default();
        };
        let entries = text
            .lines()
            .filter_map(|line| {
                let mut parts = line.splitn(4, ' ');
                let hash = u64::from_str_radix(parts.next()?, 16).ok()?;
                let len = parts.next()?.parse().ok()?;
                let mtime = parts.next()?.parse().ok()?;
                Some((parts.next()?.to_string(), (hash, len, mtime)))
            })
            .collect();
        Manifest(entries)
    }

    /// Is `old_dir/path` still the file the previous build wrote with these bytes? Its length
    /// and modification time must match too, so a hand edit in the output is not kept.
    fn unchanged(&self, old_dir: &Path, path: &str, bytes: &[u8]) -> bool {
        let Some(&(hash, len, mtime)) = self.0.get(path) else {
            return false;
        };
        if len != bytes.len() as u64 || hash != content_hash(bytes) {
            return false;
        }
        std::fs::metadata(old_dir.join(path))
            .is_ok_and(|m| m.len() == len && modified_nanos(&m) == mtime)
    }
}

fn content_hash(bytes: &[u8]) -> u64 {
    use std::hash::{Hash, Hasher};
    // SipHash with fixed keys: stable for one Haven binary, which is all a cache needs.
    let mut h = std::collections::hash_map::DefaultHasher::new();
    bytes.hash(&mut h);
    h.finish()
}

fn modified_nanos(meta: &std::fs::Metadata) -> u128 {
    meta.modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos())
}

/// Removes a folder tree, its top-level entries in parallel (deleting thousands of small folders
/// is slow on some disks).
fn remove_tree(dir: &Path) -> std::io::Result<()> {
    use rayon::prelude::*;
    let entries: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.par_iter().try_for_each(|p| {
        if p.is_dir() && !p.is_symlink() {
            std::fs::remove_dir_all(p)
        } else {
            std::fs::remove_file(p)
        }
    })?;
    std::fs::remove_dir(dir)
}

fn swap(staging: &Path, output: &Path, previous: &Path) -> Result<(), Diagnostic> {
    if previous.exists() {
        remove_tree(previous).map_err(|e| io_error(previous, "remove the old copy", &e))?;
    }
    let had_output = output.exists();
    if had_output {
        std::fs::rename(output, previous).map_err(|e| {
            io_error(output, "move aside", &e)
                .with_help("check that the output folder and its parent are writable")
        })?;
    }
    if let Err(e) = std::fs::rename(staging, output) {
        if had_output {
            let _ = std::fs::rename(previous, output);
        }
        return Err(io_error(output, "put the new site in place at", &e));
    }
    if had_output {
        let _ = remove_tree(previous);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_relative_paths_are_safe() {
        assert!(is_safe_relative("a/b/index.html"));
        for bad in ["", "/etc/passwd", "../x", "a/../../x", "a/./b", "a\\..\\b"] {
            assert!(!is_safe_relative(bad), "{bad}");
        }
    }

    #[test]
    fn output_must_not_be_the_site_or_its_content() {
        let root = tempfile::tempdir().unwrap();
        let r = root.path();
        assert!(check_output_dir(r, r, true).is_err());
        assert!(check_output_dir(r, &r.join("content"), true).is_err());
        assert!(check_output_dir(r, &r.join("content/x"), true).is_err());
        assert!(check_output_dir(r, r.parent().unwrap(), true).is_err());
        assert!(check_output_dir(r, &r.join("public"), false).is_ok());
        let outside = tempfile::tempdir().unwrap();
        assert!(check_output_dir(r, outside.path(), false).is_err());
        assert!(check_output_dir(r, outside.path(), true).is_ok());
    }

    #[test]
    fn write_replaces_the_whole_folder() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_site(&out, &[OutputFile::bytes("old.txt", b"x".to_vec())]).unwrap();
        write_site(&out, &[OutputFile::html("/a/", "<p>".into())]).unwrap();
        assert!(!out.join("old.txt").exists());
        // A second build keeps the unchanged file by hard link and rewrites a changed one.
        write_site(
            &out,
            &[
                OutputFile::html("/a/", "<p>".into()),
                OutputFile::bytes("b.txt", b"1".to_vec()),
            ],
        )
        .unwrap();
        write_site(
            &out,
            &[
                OutputFile::html("/a/", "<p>".into()),
                OutputFile::bytes("b.txt", b"2".to_vec()),
            ],
        )
        .unwrap();
        assert_eq!(std::fs::read_to_string(out.join("b.txt")).unwrap(), "2");
        // A hand edit in the output is not mistaken for the previous build's file.
        std::fs::write(out.join("a/index.html"), "<p>edited").unwrap();
        write_site(&out, &[OutputFile::html("/a/", "<p>".into())]).unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("a/index.html")).unwrap(),
            "<p>"
        );
        assert!(write_site(&out, &[OutputFile::bytes("../evil", vec![])]).is_err());
        assert!(out.join("a/index.html").exists());
    }
}
