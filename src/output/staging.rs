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
/// unchanged files alone. It is also Haven's record of which files in the output are its own:
/// a build removes or replaces only those (and, with `--force`, replaces files at the paths it
/// writes), never anything else.
pub const MANIFEST: &str = ".haven-manifest";

/// A file Haven puts in its staging folder on making it, so that a folder of that name left by
/// a build that was stopped can be told from one that someone else put there.
const STAGING_MARK: &str = ".haven-staging";

/// A build's files on their way to the output folder (see the module documentation).
pub struct Staging {
    dir: PathBuf,
    output: PathBuf,
    old: Manifest,
    /// Replace files at this build's paths even when Haven did not write them (`--force`).
    force: bool,
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
    /// Makes an empty staging folder beside `output`. With `force`, the commit may replace
    /// files at this build's paths that Haven did not write; without it, it refuses to.
    pub fn open(output: &Path, force: bool) -> Result<Staging, Diagnostic> {
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
        make_fresh_staging(&dir)?;
        Ok(Staging {
            old: Manifest::read(output),
            output: output.to_path_buf(),
            dir,
            force,
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

    /// Every file of the build so far with where it is now: in the staging folder, or in the
    /// output when the previous build's file was kept. For reading the build back before the
    /// commit (the offline copy's zip).
    pub fn files(&self) -> Vec<(String, PathBuf)> {
        let written = self.written.lock().unwrap_or_else(|e| e.into_inner());
        written
            .iter()
            .map(|w| (w.path.clone(), self.now_at(w)))
            .collect()
    }

    /// Where the file this build made at `rel` can be read now: in the staging folder when it
    /// was written there, else in the output (unchanged since the last build). `None` when the
    /// build made no file at `rel`. (The PDF stage serves the built site to Chromium from here.)
    pub fn locate(&self, rel: &str) -> Option<PathBuf> {
        let written = self.written.lock().unwrap_or_else(|e| e.into_inner());
        let w = written.iter().rev().find(|w| w.path == rel)?;
        Some(self.now_at(w))
    }

    /// Where a file of this build is now: staged, or kept in the output from the last build.
    fn now_at(&self, w: &Written) -> PathBuf {
        let base = if w.staged { &self.dir } else { &self.output };
        base.join(&w.path)
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

    /// Moves the staged files into the output, removes the files of the previous build that
    /// this one no longer makes, and writes the new manifest. Checks first, before touching the
    /// output, that nothing Haven did not write is in the way.
    pub fn commit(mut self) -> Result<(), Vec<Diagnostic>> {
        let written = std::mem::take(&mut *self.written.lock().unwrap_or_else(|e| e.into_inner()));
        let mut lines: Vec<&str> = written.iter().map(|w| w.line.as_str()).collect();
        lines.sort_unstable();
        let manifest = lines.join("\n");

        if std::fs::symlink_metadata(&self.output).is_err() {
            // A first build: the staging folder holds everything and becomes the output.
            let mark = self.dir.join(STAGING_MARK);
            std::fs::remove_file(&mark).map_err(|e| vec![io_error(&mark, "remove", &e)])?;
            let path = self.dir.join(MANIFEST);
            std::fs::write(&path, &manifest).map_err(|e| vec![io_error(&path, "write", &e)])?;
            std::fs::rename(&self.dir, &self.output)
                .map_err(|e| vec![io_error(&self.output, "put the new site in place at", &e)])?;
            self.committed = true;
            return Ok(());
        }

        let new: HashSet<&str> = written.iter().map(|w| w.path.as_str()).collect();
        let conflicts = self.conflicts(&written);
        if !conflicts.is_empty() {
            return Err(conflicts);
        }
        // Before touching anything, record every path that is or is about to be Haven's, none
        // trusted as unchanged: if this stops half-way, the next build still knows which files
        // are its own, and writes each of them again.
        let mut pending: Vec<String> = self
            .old
            .owned
            .iter()
            .map(String::as_str)
            .chain(new.iter().copied())
            .collect::<HashSet<&str>>()
            .into_iter()
            .map(|p| format!("- - - {p}"))
            .collect();
        pending.sort_unstable();
        write_manifest(&self.output, &pending.join("\n")).map_err(|d| vec![d])?;

        remove_unmade(&self.output, &self.old.owned, &new).map_err(|d| vec![d])?;
        let staged: Vec<&str> = written
            .iter()
            .filter(|w| w.staged)
            .map(|w| w.path.as_str())
            .collect();
        let made = Mutex::new(HashSet::new());
        staged
            .par_iter()
            .try_for_each(|rel| self.move_in(rel, &made))
            .map_err(|d| vec![d])?;
        write_manifest(&self.output, &manifest).map_err(|d| vec![d])?;
        // Only empty folders are left in it.
        let _ = remove_tree(&self.dir);
        self.committed = true;
        Ok(())
    }

    /// What in the output stands in the way of this build and is not Haven's to replace: a
    /// file Haven did not write at one of the build's paths or where one of its folders must
    /// be (allowed with `--force`), or a folder holding such files where a file must be (never
    /// allowed: Haven does not delete folders it did not make).
    fn conflicts(&self, written: &[Written]) -> Vec<Diagnostic> {
        let owned = &self.old.owned;
        let mut problems = Vec::new();
        let mut folders: HashMap<&str, Standing> = HashMap::new();
        // Each folder in the way is reported once, not once per file under it.
        let mut reported: HashSet<&str> = HashSet::new();
        let force_help = "move it out of the output folder, or run `haven build --force` to let \
                          Haven replace it (Haven still deletes nothing it did not write)";
        for w in written {
            let mut end = 0;
            while let Some(slash) = w.path[end..].find('/') {
                end += slash;
                let folder = &w.path[..end];
                end += 1;
                let standing = *folders
                    .entry(folder)
                    .or_insert_with(|| standing(&self.output.join(folder)));
                match standing {
                    Standing::Folder => continue,
                    Standing::Missing => break,
                    Standing::Other { .. } if reported.contains(folder) => break,
                    Standing::Other { link } => {
                        let at = self.output.join(folder);
                        if !w.staged && link {
                            reported.insert(folder);
                            problems.push(
                                Diagnostic::error(format!(
                                    "{} is a link; Haven does not write through links",
                                    at.display()
                                ))
                                .with_help(
                                    "remove the link from the output folder and build again",
                                ),
                            );
                        } else if !owned.contains(folder) && !self.force {
                            reported.insert(folder);
                            problems.push(
                                Diagnostic::error(format!(
                                    "refusing to replace {}: Haven did not write it, and a folder of the site must go there",
                                    at.display()
                                ))
                                .with_help(force_help),
                            );
                        }
                        break;
                    }
                }
            }
            if !w.staged {
                continue;
            }
            let target = self.output.join(&w.path);
            match std::fs::symlink_metadata(&target) {
                Err(_) => {}
                Ok(m) if m.is_dir() => {
                    if let Some(theirs) = foreign_file_under(&target, &w.path, owned) {
                        problems.push(
                            Diagnostic::error(format!(
                                "refusing to replace the folder {}: it holds {}, which Haven did not write, and the site's file {} must go there",
                                target.display(),
                                theirs.display(),
                                w.path
                            ))
                            .with_help("move that folder out of the output folder and build again"),
                        );
                    }
                }
                Ok(_) => {
                    if !owned.contains(&w.path) && !self.force {
                        problems.push(
                            Diagnostic::error(format!(
                                "refusing to replace {}: Haven did not write it (it is not in the output's {MANIFEST})",
                                target.display()
                            ))
                            .with_help(force_help),
                        );
                    }
                }
            }
        }
        const SHOWN: usize = 10;
        if problems.len() > SHOWN {
            let more = problems.len() - SHOWN;
            problems.truncate(SHOWN);
            problems.push(Diagnostic::error(format!(
                "and {more} more files in {} that Haven did not write are in the way",
                self.output.display()
            )));
        }
        problems
    }

    /// Renames one staged file into the output, making its folder there when needed and
    /// removing whatever stands in the way ([`Staging::conflicts`] has checked that it may).
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
            // Holds no file Haven did not write (checked), only emptied folders.
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

/// What stands at a path in the output, looked at without following a link.
#[derive(Clone, Copy)]
enum Standing {
    Missing,
    Folder,
    Other { link: bool },
}

fn standing(path: &Path) -> Standing {
    match std::fs::symlink_metadata(path) {
        Err(_) => Standing::Missing,
        Ok(m) if m.is_dir() => Standing::Folder,
        Ok(m) => Standing::Other {
            link: m.file_type().is_symlink(),
        },
    }
}

/// The first file (or link) under `folder` (at `rel` in the output) that is not Haven's.
fn foreign_file_under(folder: &Path, rel: &str, owned: &HashSet<String>) -> Option<PathBuf> {
    walkdir::WalkDir::new(folder)
        .min_depth(1)
        .into_iter()
        .find_map(|entry| {
            let Ok(entry) = entry else {
                return Some(folder.to_path_buf());
            };
            if entry.file_type().is_dir() {
                return None;
            }
            let inner = entry.path().strip_prefix(folder).ok()?.to_string_lossy();
            (!owned.contains(&format!("{rel}/{inner}"))).then(|| entry.path().to_path_buf())
        })
}

/// Makes the staging folder at `dir`, fresh. Something already there is removed only when it
/// is a real folder (not a link) holding Haven's mark, left by a build that was stopped; a link
/// is never followed, and anything else is an error, not deleted.
fn make_fresh_staging(dir: &Path) -> Result<(), Diagnostic> {
    match std::fs::symlink_metadata(dir) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(io_error(dir, "look at", &e)),
        Ok(m) if m.is_dir() && is_plain_file(&dir.join(STAGING_MARK)) => {
            remove_tree(dir).map_err(|e| io_error(dir, "clear the staging folder", &e))?;
        }
        Ok(m) => {
            let what = if m.file_type().is_symlink() {
                "a link"
            } else if m.is_dir() {
                "a folder that Haven did not make"
            } else {
                "a file"
            };
            return Err(Diagnostic::error(format!(
                "{} is in the way: Haven keeps a build's new files under this name until the build succeeds, and this is {what}",
                dir.display()
            ))
            .with_help("move or rename it (Haven will not delete it or follow it), then build again"));
        }
    }
    std::fs::create_dir(dir).map_err(|e| {
        io_error(dir, "create the staging folder", &e)
            .with_help("check that the output's parent folder is writable")
    })?;
    let mark = dir.join(STAGING_MARK);
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&mark)
        .map_err(|e| io_error(&mark, "write", &e))?;
    Ok(())
}

fn is_plain_file(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| m.is_file())
}

/// Writes the manifest through a new file renamed over the old one, never through a link.
fn write_manifest(output: &Path, text: &str) -> Result<(), Diagnostic> {
    use std::io::Write;
    let tmp = output.join(format!("{MANIFEST}.new"));
    let target = output.join(MANIFEST);
    if std::fs::symlink_metadata(&tmp).is_ok() {
        std::fs::remove_file(&tmp).map_err(|e| io_error(&tmp, "remove", &e))?;
    }
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&tmp)
        .and_then(|mut f| f.write_all(text.as_bytes()))
        .map_err(|e| io_error(&tmp, "write", &e))?;
    std::fs::rename(&tmp, &target).map_err(|e| {
        io_error(&target, "write", &e).with_help("check that the output folder is writable")
    })
}

/// Makes `output/folder`, replacing any file (or link, never followed) that stands where one
/// of its folders must be ([`Staging::conflicts`] has checked that it may).
fn make_output_folder(output: &Path, folder: &str) -> Result<(), Diagnostic> {
    let mut p = output.to_path_buf();
    for part in folder.split('/') {
        p.push(part);
        match std::fs::symlink_metadata(&p) {
            Ok(m) if m.is_dir() => continue,
            Ok(_) => match std::fs::remove_file(&p) {
                Ok(()) => {}
                // Folders are made from several threads: another one removed it first (and
                // may already have made the folder in its place).
                Err(e)
                    if e.kind() == std::io::ErrorKind::NotFound
                        || std::fs::symlink_metadata(&p).is_ok_and(|m| m.is_dir()) => {}
                Err(e) => return Err(io_error(&p, "remove the old file", &e)),
            },
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

/// Removes the files the previous build wrote (`owned`) that this build does not make (pages
/// deleted since), then the folders that leaves empty. Nothing else is touched: a file put in
/// the output by hand stays, and nothing is removed through a link.
fn remove_unmade(
    output: &Path,
    owned: &HashSet<String>,
    new: &HashSet<&str>,
) -> Result<(), Diagnostic> {
    let mut gone: Vec<&str> = owned
        .iter()
        .map(String::as_str)
        .filter(|p| !new.contains(p))
        .collect();
    gone.sort_unstable();
    let mut real_folders: HashMap<&str, bool> = HashMap::new();
    let mut emptied: HashSet<&str> = HashSet::new();
    for rel in gone {
        // Every folder on the way must be a real folder: never remove through a link.
        let mut through_link = false;
        let mut end = 0;
        while let Some(slash) = rel[end..].find('/') {
            end += slash;
            let folder = &rel[..end];
            end += 1;
            let real = *real_folders
                .entry(folder)
                .or_insert_with(|| matches!(standing(&output.join(folder)), Standing::Folder));
            if !real {
                through_link = true;
                break;
            }
        }
        if through_link {
            continue;
        }
        let path = output.join(rel);
        match standing(&path) {
            // Someone put a folder where Haven's file was: not Haven's to delete.
            Standing::Missing | Standing::Folder => continue,
            Standing::Other { .. } => {
                std::fs::remove_file(&path)
                    .map_err(|e| io_error(&path, "remove the old copy of", &e))?;
            }
        }
        if let Some((folder, _)) = rel.rsplit_once('/') {
            emptied.insert(folder);
        }
    }
    // Deepest first, so a folder that held only emptied folders goes too.
    let mut folders: Vec<&str> = emptied
        .iter()
        .flat_map(|f| {
            std::iter::successors(Some(*f), |f| f.rsplit_once('/').map(|(parent, _)| parent))
        })
        .collect::<HashSet<&str>>()
        .into_iter()
        .collect();
    folders.sort_unstable_by_key(|f| std::cmp::Reverse(f.matches('/').count()));
    for folder in folders {
        // Fails, and is left, when it still holds anything.
        let _ = std::fs::remove_dir(output.join(folder));
    }
    Ok(())
}

impl Sink for Staging {
    fn put(&self, file: OutputFile) -> Result<(), Diagnostic> {
        if !is_safe_relative(&file.path) || file.path == MANIFEST || file.path == STAGING_MARK {
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

/// What the previous build wrote: the paths of its files (Haven's own, see [`MANIFEST`]) and,
/// for those it can vouch for, path -> (content hash, length, modification time).
#[derive(Default)]
struct Manifest {
    owned: HashSet<String>,
    trusted: HashMap<String, (u64, u64, u128)>,
}

impl Manifest {
    /// Reads `output/.haven-manifest`. A line is `HASH LEN MTIME PATH`, or `- - - PATH` for a
    /// file that is Haven's but that a build stopped half-way may have left changed. A link in
    /// the manifest's place, or a path that would leave the output, is not believed.
    fn read(output: &Path) -> Manifest {
        let path = output.join(MANIFEST);
        if !is_plain_file(&path) {
            return Manifest::default();
        }
        let Ok(text) = std::fs::read_to_string(path) else {
            return Manifest::default();
        };
        let mut manifest = Manifest::default();
        for line in text.lines() {
            let mut parts = line.splitn(4, ' ');
            let (Some(hash), Some(len), Some(mtime), Some(path)) =
                (parts.next(), parts.next(), parts.next(), parts.next())
            else {
                continue;
            };
            if !is_safe_relative(path) || path == MANIFEST {
                continue;
            }
            manifest.owned.insert(path.to_string());
            let (Ok(hash), Ok(len), Ok(mtime)) =
                (u64::from_str_radix(hash, 16), len.parse(), mtime.parse())
            else {
                continue;
            };
            manifest
                .trusted
                .insert(path.to_string(), (hash, len, mtime));
        }
        manifest
    }

    /// When `output/path` is still the file the previous build made from content with this
    /// hash, its manifest line. Its length and modification time must match too, so a hand
    /// edit in the output is not kept.
    fn kept(&self, output: &Path, path: &str, hash: u64) -> Option<String> {
        let &(old_hash, len, mtime) = self.trusted.get(path)?;
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
/// is slow on some disks). Links are removed, never followed; `dir` itself must be a real folder.
fn remove_tree(dir: &Path) -> std::io::Result<()> {
    if !std::fs::symlink_metadata(dir)?.is_dir() {
        return Err(std::io::Error::other("not a folder"));
    }
    let entries: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.par_iter().try_for_each(|p| {
        // `remove_dir_all` removes links inside without following them.
        if std::fs::symlink_metadata(p)?.is_dir() {
            std::fs::remove_dir_all(p)
        } else {
            std::fs::remove_file(p)
        }
    })?;
    std::fs::remove_dir(dir)
}
