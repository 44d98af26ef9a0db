//! The staging folder: where a build's new and changed files wait until the build succeeds.
//!
//! A build compares each file with the manifest the previous build left in the output. A file
//! whose bytes (or, for a copied file, whose source) are unchanged, and which nobody has touched
//! in the output since, is not written at all. Everything else is written into the staging
//! folder. On [`Staging::commit`] the staged files are renamed into the output and files the
//! build no longer makes are removed; dropped without a commit (an error anywhere), the staging
//! folder removes itself and the output is as it was.
//!
//! Why not write a whole new tree and swap folders: on ext4, creating thousands of folders right
//! after deleting the previous thousands gets slower the more there are (the allocator searches
//! past recently freed inodes), and a site of 10,000 pages is 10,000 folders. Rebuilding a site
//! where little changed now touches only what changed.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rayon::prelude::*;

use super::{Contents, OutputFile, Sink, is_safe_relative};
use crate::diagnostic::{Diagnostic, io_error};

/// Name of the file inside the output listing what a build wrote, so the next build can leave
/// unchanged files alone.
pub const MANIFEST: &str = ".haven-manifest";

/// A build's files on their way to the output folder (see the module documentation).
pub struct Staging {
    dir: PathBuf,
    output: PathBuf,
    old: Manifest,
    /// Folders made in the staging folder so far, so each is created once.
    folders: Mutex<HashSet<String>>,
    /// Every file of the build, in the order they came.
    written: Mutex<Vec<Written>>,
    committed: bool,
}

struct Written {
    path: String,
    /// Its manifest line.
    line: String,
    /// In the staging folder (else the output already has it).
    staged: bool,
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
        // Left by Haven versions that swapped whole folders, if one stopped half-way.
        let _ = remove_tree(&parent.join(format!(".{name}.haven-old")));
        std::fs::create_dir_all(&dir).map_err(|e| {
            io_error(&dir, "create the staging folder", &e)
                .with_help("check that the output's parent folder is writable")
        })?;
        Ok(Staging {
            old: Manifest::read(output),
            output: output.to_path_buf(),
            dir,
            folders: Default::default(),
            written: Default::default(),
            committed: false,
        })
    }

    /// Every path of the build so far.
    pub fn paths(&self) -> Vec<String> {
        let written = self.written.lock().unwrap_or_else(|e| e.into_inner());
        written.iter().map(|w| w.path.clone()).collect()
    }

    fn make_folder(&self, rel: &str) -> Result<(), Diagnostic> {
        let Some((folder, _)) = rel.rsplit_once('/') else {
            return Ok(());
        };
        let mut folders = self.folders.lock().unwrap_or_else(|e| e.into_inner());
        if folders.contains(folder) {
            return Ok(());
        }
        let p = self.dir.join(folder);
        std::fs::create_dir_all(&p).map_err(|e| io_error(&p, "create the folder", &e))?;
        folders.insert(folder.to_string());
        Ok(())
    }

    /// Moves the staged files into the output, removes what the build no longer makes, and
    /// writes the new manifest.
    pub fn commit(mut self) -> Result<(), Diagnostic> {
        let written = std::mem::take(&mut *self.written.lock().unwrap_or_else(|e| e.into_inner()));
        let mut lines: Vec<&str> = written.iter().map(|w| w.line.as_str()).collect();
        lines.sort_unstable();
        let manifest = lines.join("\n");

        if std::fs::symlink_metadata(&self.output).is_err() {
            // A first build: the staging folder holds everything and becomes the output.
            let path = self.dir.join(MANIFEST);
            std::fs::write(&path, &manifest).map_err(|e| io_error(&path, "write", &e))?;
            std::fs::rename(&self.dir, &self.output)
                .map_err(|e| io_error(&self.output, "put the new site in place at", &e))?;
            self.committed = true;
            return Ok(());
        }

        // Forget the old manifest before touching anything: if this stops half-way, the next
        // build writes every file again instead of trusting a record that no longer holds.
        let old_manifest = self.output.join(MANIFEST);
        match std::fs::remove_file(&old_manifest) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => {
                return Err(io_error(&old_manifest, "remove", &e)
                    .with_help("check that the output folder is writable"));
            }
        }
        let staged: Vec<&str> = written
            .iter()
            .filter(|w| w.staged)
            .map(|w| w.path.as_str())
            .collect();
        let made = Mutex::new(HashSet::new());
        staged
            .par_iter()
            .try_for_each(|rel| self.move_in(rel, &made))?;
        let keep: HashSet<&str> = written.iter().map(|w| w.path.as_str()).collect();
        remove_unmade(&self.output, &keep)?;
        let tmp = self.output.join(format!("{MANIFEST}.new"));
        std::fs::write(&tmp, &manifest).map_err(|e| io_error(&tmp, "write", &e))?;
        std::fs::rename(&tmp, &old_manifest).map_err(|e| io_error(&old_manifest, "write", &e))?;
        // Only empty folders are left in it.
        let _ = remove_tree(&self.dir);
        self.committed = true;
        Ok(())
    }

    /// Renames one staged file into the output, making its folder there when needed and
    /// removing whatever stands in the way (a folder where the file goes, a file where a
    /// folder goes).
    fn move_in(&self, rel: &str, made: &Mutex<HashSet<String>>) -> Result<(), Diagnostic> {
        let target = self.output.join(rel);
        if let Some((folder, _)) = rel.rsplit_once('/') {
            let known = made
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .contains(folder);
            if !known {
                make_output_folder(&self.output, folder)?;
                made.lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .insert(folder.to_string());
            }
        }
        if std::fs::symlink_metadata(&target).is_ok_and(|m| m.is_dir()) {
            std::fs::remove_dir_all(&target)
                .map_err(|e| io_error(&target, "remove the old folder", &e))?;
        }
        let from = self.dir.join(rel);
        std::fs::rename(&from, &target).map_err(|e| {
            io_error(&target, "put the new file in place at", &e)
                .with_help("check that the output folder is writable")
        })
    }
}

/// Makes `output/folder`, replacing any file (or link) that stands where one of its folders
/// must be.
fn make_output_folder(output: &Path, folder: &str) -> Result<(), Diagnostic> {
    let mut p = output.to_path_buf();
    for part in folder.split('/') {
        p.push(part);
        match std::fs::symlink_metadata(&p) {
            Ok(m) if m.is_dir() => continue,
            Ok(_) => {
                std::fs::remove_file(&p).map_err(|e| io_error(&p, "remove the old file", &e))?
            }
            Err(_) => {}
        }
        match std::fs::create_dir(&p) {
            Ok(()) => {}
            // Another thread made it first.
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && p.is_dir() => {}
            Err(e) => return Err(io_error(&p, "create the folder", &e)),
        }
    }
    Ok(())
}

/// Removes every file and folder under `output` that the build did not make (pages deleted
/// since, files put there by hand).
fn remove_unmade(output: &Path, keep: &HashSet<&str>) -> Result<(), Diagnostic> {
    let mut folders: HashSet<&str> = HashSet::new();
    for path in keep {
        let mut rest = *path;
        while let Some((folder, _)) = rest.rsplit_once('/') {
            if !folders.insert(folder) {
                break;
            }
            rest = folder;
        }
    }
    let mut walk = walkdir::WalkDir::new(output).min_depth(1).into_iter();
    while let Some(entry) = walk.next() {
        let entry = entry.map_err(|e| {
            let at = e.path().unwrap_or(output).to_path_buf();
            io_error(&at, "read", &std::io::Error::other(e.to_string()))
        })?;
        let Ok(rel) = entry.path().strip_prefix(output) else {
            continue;
        };
        let rel = rel.to_string_lossy();
        let is_dir = entry.file_type().is_dir();
        let wanted = if is_dir {
            folders.contains(rel.as_ref())
        } else {
            keep.contains(rel.as_ref()) || rel == MANIFEST
        };
        if wanted {
            continue;
        }
        let path = entry.path();
        let removed = if is_dir {
            walk.skip_current_dir();
            std::fs::remove_dir_all(path)
        } else {
            std::fs::remove_file(path)
        };
        removed.map_err(|e| io_error(path, "remove the old copy of", &e))?;
    }
    Ok(())
}

impl Sink for Staging {
    fn put(&self, file: OutputFile) -> Result<(), Diagnostic> {
        if !is_safe_relative(&file.path) || file.path == MANIFEST {
            return Err(Diagnostic::error(format!(
                "refusing to write `{}`: it would land outside the output folder",
                file.path
            )));
        }
        let hash = match &file.contents {
            Contents::Bytes(b) => content_hash(b),
            Contents::Copy(from) => {
                let meta = std::fs::metadata(from).map_err(|e| io_error(from, "read", &e))?;
                source_hash(from, &meta)
            }
        };
        let staged = match self.old.kept(&self.output, &file.path, hash) {
            Some(line) => Written {
                path: file.path,
                line,
                staged: false,
            },
            None => {
                self.make_folder(&file.path)?;
                let path = self.dir.join(&file.path);
                match &file.contents {
                    Contents::Bytes(b) => {
                        std::fs::write(&path, b).map_err(|e| io_error(&path, "write", &e))?
                    }
                    Contents::Copy(from) => {
                        std::fs::copy(from, &path).map_err(|e| io_error(from, "copy", &e))?;
                    }
                }
                let meta =
                    std::fs::metadata(&path).map_err(|e| io_error(&path, "read back", &e))?;
                Written {
                    line: manifest_line(hash, &meta, &file.path),
                    path: file.path,
                    staged: true,
                }
            }
        };
        self.record(staged);
        Ok(())
    }

    fn keep(&self, path: &str, hash: u64) -> bool {
        if !is_safe_relative(path) || path == MANIFEST {
            return false;
        }
        match self.old.kept(&self.output, path, hash) {
            Some(line) => {
                self.record(Written {
                    path: path.to_string(),
                    line,
                    staged: false,
                });
                true
            }
            None => false,
        }
    }
}

impl Staging {
    fn record(&self, written: Written) {
        self.written
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(written);
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
struct Manifest(HashMap<String, (u64, u64, u128)>);

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

    /// When `output/path` is still the file the previous build made from content with this
    /// hash, its manifest line. Its length and modification time must match too, so a hand
    /// edit in the output is not kept.
    fn kept(&self, output: &Path, path: &str, hash: u64) -> Option<String> {
        let &(old_hash, len, mtime) = self.0.get(path)?;
        if old_hash != hash {
            return None;
        }
        let meta = std::fs::symlink_metadata(output.join(path)).ok()?;
        (meta.is_file() && meta.len() == len && modified_nanos(&meta) == mtime)
            .then(|| manifest_line(hash, &meta, path))
    }
}

fn manifest_line(hash: u64, meta: &std::fs::Metadata, path: &str) -> String {
    format!("{hash:016x} {} {} {path}", meta.len(), modified_nanos(meta))
}

/// The hash of a file's bytes, as the manifest records it.
pub fn content_hash(bytes: &[u8]) -> u64 {
    use std::hash::{Hash, Hasher};
    // SipHash with fixed keys: stable for one Haven binary, which is all a cache needs.
    let mut h = std::collections::hash_map::DefaultHasher::new();
    bytes.hash(&mut h);
    h.finish()
}

/// A copied file's stand-in for a content hash: where it comes from, its length and its
/// modification time (reading every image of a site to hash it would cost more than copying).
fn source_hash(from: &Path, meta: &std::fs::Metadata) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    from.hash(&mut h);
    meta.len().hash(&mut h);
    modified_nanos(meta).hash(&mut h);
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
