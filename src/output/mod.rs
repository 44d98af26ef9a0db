//! Writing the built site. Files go to a staging folder beside the output as they are rendered
//! and reach the output only once the whole build has succeeded (`staging.rs`), so a failed
//! build leaves the last good site as it was.

mod staging;
pub mod web;

use std::path::{Component, Path, PathBuf};

use crate::diagnostic::Diagnostic;

pub use staging::{MANIFEST, Staging, content_hash};

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
        OutputFile::bytes(OutputFile::html_path(url_path), html.into_bytes())
    }

    /// Where the HTML page at a URL path is written: `/a/b/` -> `a/b/index.html`.
    pub fn html_path(url_path: &str) -> String {
        format!("{}index.html", url_path.trim_start_matches('/'))
    }
}

/// Checks that `output` is a safe place for the site: not the site itself or a folder holding
/// its sources, and either new, empty or made by Haven (holding its [`MANIFEST`]) unless
/// `force` (`haven build --force`). `explicit` is true when the folder was named on the command
/// line rather than in haven.toml.
pub fn check_output_dir(
    root: &Path,
    output: &Path,
    explicit: bool,
    force: bool,
) -> Result<(), Diagnostic> {
    let given = output;
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
    let shown = given.display();
    match std::fs::metadata(given) {
        Ok(m) if !m.is_dir() => Err(Diagnostic::error(format!(
            "refusing to write the site to {shown}: it is a file, not a folder"
        ))
        .with_help("choose another output folder, or move the file away")),
        Ok(_) if !force && !made_by_haven(given) && !is_empty_dir(given) => {
            let choose = if explicit {
                "pass another --output folder (a new or empty one)"
            } else {
                "set output_dir in haven.toml to a new or empty folder"
            };
            Err(Diagnostic::error(format!(
                "refusing to write the site to {shown}: the folder is not empty, and Haven did not make it (it holds no {MANIFEST})"
            ))
            .with_help(format!(
                "{choose}, or empty this one; or run `haven build --force` to write into it anyway: \
                 Haven then replaces files at the paths it writes and deletes nothing else"
            )))
        }
        Ok(_) => Ok(()),
        Err(_) if std::fs::symlink_metadata(given).is_ok() => Err(Diagnostic::error(format!(
            "refusing to write the site to {shown}: it is a link to something that does not exist"
        ))
        .with_help("remove the link, or point it at a folder")),
        Err(_) => Ok(()),
    }
}

/// The folder holds the manifest of a Haven build (a real file, not a link).
fn made_by_haven(dir: &Path) -> bool {
    std::fs::symlink_metadata(dir.join(MANIFEST)).is_ok_and(|m| m.is_file())
}

fn is_empty_dir(dir: &Path) -> bool {
    std::fs::read_dir(dir).is_ok_and(|mut entries| entries.next().is_none())
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

/// Replaces the file at `path` with `bytes` through a new file beside it, renamed over it once
/// complete, so an interruption leaves the old file or the new one, never half of one. The file
/// keeps its permissions; when `path` is a link, the file it links to is replaced and the link
/// stays.
pub fn replace_file(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let target = std::fs::canonicalize(path)?;
    let (Some(dir), Some(name)) = (target.parent(), target.file_name()) else {
        return Err(std::io::Error::other("not a file"));
    };
    let tmp = dir.join(format!(
        ".{}.haven-{}.tmp",
        name.to_string_lossy(),
        std::process::id()
    ));
    if std::fs::symlink_metadata(&tmp).is_ok() {
        std::fs::remove_file(&tmp)?;
    }
    let written = (|| {
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)?;
        file.write_all(bytes)?;
        file.set_permissions(std::fs::metadata(&target)?.permissions())?;
        file.sync_all()?;
        std::fs::rename(&tmp, &target)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written
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

/// Where rendered files go as they are made: kept in memory ([`Collect`], for `serve`),
/// dropped ([`Discard`], for `check`), or written straight to the staging folder ([`Staging`],
/// for `build`), so a big site is never held in memory whole.
pub trait Sink: Sync {
    fn put(&self, file: OutputFile) -> Result<(), Diagnostic>;

    fn put_all(&self, files: Vec<OutputFile>) -> Result<(), Diagnostic> {
        use rayon::prelude::*;
        files.into_par_iter().try_for_each(|f| self.put(f))
    }

    /// Keeps, as this build's file at `path`, the one the previous build wrote there, when its
    /// contents hash to `hash` ([`content_hash`]) and nobody has changed it since. False when it
    /// cannot: the caller then makes the file and puts it.
    fn keep(&self, _path: &str, _hash: u64) -> bool {
        false
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
    let staging = Staging::open(output, false).map_err(|d| vec![d])?;
    use rayon::prelude::*;
    let errors: Vec<Diagnostic> = files
        .par_iter()
        .filter_map(|f| staging.put(f.clone()).err())
        .collect();
    if !errors.is_empty() {
        return Err(errors);
    }
    staging.commit()
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
        assert!(check_output_dir(r, r, true, false).is_err());
        assert!(check_output_dir(r, &r.join("content"), true, false).is_err());
        assert!(check_output_dir(r, &r.join("content/x"), true, false).is_err());
        assert!(check_output_dir(r, r.parent().unwrap(), true, false).is_err());
        assert!(check_output_dir(r, &r.join("public"), false, false).is_ok());
        let outside = tempfile::tempdir().unwrap();
        assert!(check_output_dir(r, outside.path(), false, false).is_err());
        assert!(check_output_dir(r, outside.path(), true, false).is_ok());
        // A folder that is not empty and holds no manifest is someone else's.
        std::fs::write(outside.path().join("thesis.txt"), "mine").unwrap();
        let refused = check_output_dir(r, outside.path(), true, false).unwrap_err();
        assert!(refused.message.contains("not empty"), "{}", refused.message);
        assert!(refused.help.unwrap().contains("--force"));
        assert!(check_output_dir(r, outside.path(), true, true).is_ok());
        std::fs::write(outside.path().join(MANIFEST), "").unwrap();
        assert!(check_output_dir(r, outside.path(), true, false).is_ok());
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

    fn inode(path: &Path) -> u64 {
        std::os::unix::fs::MetadataExt::ino(&std::fs::metadata(path).unwrap())
    }

    /// Every file under `dir`, with its contents (the manifest left out).
    fn files(dir: &Path) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = walkdir::WalkDir::new(dir)
            .into_iter()
            .map(|e| e.unwrap())
            .filter(|e| e.file_type().is_file() && e.file_name() != MANIFEST)
            .map(|e| {
                let rel = e.path().strip_prefix(dir).unwrap();
                (
                    rel.to_string_lossy().into_owned(),
                    std::fs::read_to_string(e.path()).unwrap(),
                )
            })
            .collect();
        out.sort();
        out
    }

    #[test]
    fn a_rebuild_touches_only_what_changed_and_ends_equal_to_a_fresh_build() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let first = [
            OutputFile::html("/a/", "<p>a".into()),
            OutputFile::html("/b/", "<p>b".into()),
            OutputFile::html("/gone/deep/", "<p>gone".into()),
            OutputFile::bytes("x/y.txt", b"a file where a folder will be".to_vec()),
            OutputFile::bytes("z", b"a file that becomes a folder".to_vec()),
        ];
        write_site(&out, &first).unwrap();
        let a = inode(&out.join("a/index.html"));
        let b = inode(&out.join("b/index.html"));
        std::fs::write(out.join("stray.txt"), "put there by hand").unwrap();
        std::fs::create_dir_all(out.join("stray/folder")).unwrap();

        let second = [
            OutputFile::html("/a/", "<p>a".into()),
            OutputFile::html("/b/", "<p>b, changed".into()),
            OutputFile::bytes("x", b"now a file".to_vec()),
            OutputFile::bytes("z/inside.txt", b"now a folder".to_vec()),
            OutputFile::html("/new/page/", "<p>new".into()),
        ];
        write_site(&out, &second).unwrap();
        let fresh = dir.path().join("fresh");
        write_site(&fresh, &second).unwrap();
        // Files put in the output by hand are not Haven's to delete: they stay, and the rest
        // is what a fresh build makes.
        assert_eq!(
            std::fs::read_to_string(out.join("stray.txt")).unwrap(),
            "put there by hand"
        );
        assert!(out.join("stray/folder").is_dir());
        std::fs::remove_file(out.join("stray.txt")).unwrap();
        assert_eq!(files(&out), files(&fresh));
        assert!(
            !out.join("gone").exists(),
            "an empty folder was left behind"
        );
        assert_eq!(
            inode(&out.join("a/index.html")),
            a,
            "an unchanged file was rewritten"
        );
        assert_ne!(
            inode(&out.join("b/index.html")),
            b,
            "a changed file was kept"
        );
        assert!(!dir.path().join(".public.haven-new").exists());
        // The manifest matches what is there: a third, identical build writes nothing.
        let kept: Vec<u64> = ["a/index.html", "b/index.html", "x", "z/inside.txt"]
            .iter()
            .map(|p| inode(&out.join(p)))
            .collect();
        write_site(&out, &second).unwrap();
        let again: Vec<u64> = ["a/index.html", "b/index.html", "x", "z/inside.txt"]
            .iter()
            .map(|p| inode(&out.join(p)))
            .collect();
        assert_eq!(kept, again);
    }

    #[test]
    fn a_commit_stopped_half_way_leaves_a_record_of_ownership_but_not_of_contents() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_site(
            &out,
            &[
                OutputFile::html("/a/", "<p>a".into()),
                OutputFile::bytes("old.txt", b"old".to_vec()),
            ],
        )
        .unwrap();
        // What a commit writes before it touches anything, had it stopped there.
        std::fs::write(out.join(MANIFEST), "- - - a/index.html\n- - - old.txt").unwrap();
        std::fs::write(out.join("mine.txt"), "mine").unwrap();
        let a = inode(&out.join("a/index.html"));
        write_site(&out, &[OutputFile::html("/a/", "<p>a".into())]).unwrap();
        assert!(!out.join("old.txt").exists(), "Haven's own file was kept");
        assert_eq!(
            std::fs::read_to_string(out.join("mine.txt")).unwrap(),
            "mine"
        );
        assert_ne!(
            inode(&out.join("a/index.html")),
            a,
            "an untrusted record was trusted"
        );
        let manifest = std::fs::read_to_string(out.join(MANIFEST)).unwrap();
        assert!(!manifest.contains("- - -") && manifest.ends_with(" a/index.html"));
    }

    #[test]
    fn a_manifest_naming_paths_outside_the_output_is_not_believed() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        std::fs::create_dir_all(&out).unwrap();
        std::fs::write(dir.path().join("victim.txt"), "mine").unwrap();
        std::fs::write(
            out.join(MANIFEST),
            format!(
                "- - - ../victim.txt\n- - - {}",
                dir.path().join("victim.txt").display()
            ),
        )
        .unwrap();
        write_site(&out, &[OutputFile::html("/a/", "<p>a".into())]).unwrap();
        assert_eq!(
            std::fs::read_to_string(dir.path().join("victim.txt")).unwrap(),
            "mine"
        );
    }

    #[test]
    fn a_symlinked_manifest_makes_no_folder_haven_s() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        std::fs::create_dir_all(&out).unwrap();
        std::fs::write(out.join("thesis.txt"), "mine").unwrap();
        std::fs::write(dir.path().join("m"), "- - - thesis.txt").unwrap();
        std::os::unix::fs::symlink(dir.path().join("m"), out.join(MANIFEST)).unwrap();
        assert!(check_output_dir(dir.path(), &out, true, false).is_err());
        // Even past that check, the linked record is not believed.
        assert!(write_site(&out, &[OutputFile::bytes("thesis.txt", b"site".to_vec())]).is_err());
        assert_eq!(
            std::fs::read_to_string(out.join("thesis.txt")).unwrap(),
            "mine"
        );
    }

    #[test]
    fn copied_files_are_copied_again_only_when_their_source_changes() {
        let dir = tempfile::tempdir().unwrap();
        let src = dir.path().join("photo.png");
        std::fs::write(&src, "one").unwrap();
        let out = dir.path().join("public");
        let copy = || OutputFile {
            path: "img/photo.png".into(),
            contents: Contents::Copy(src.clone()),
        };
        write_site(&out, &[copy()]).unwrap();
        let before = inode(&out.join("img/photo.png"));
        write_site(&out, &[copy()]).unwrap();
        assert_eq!(inode(&out.join("img/photo.png")), before);
        std::fs::write(&src, "two, longer").unwrap();
        write_site(&out, &[copy()]).unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("img/photo.png")).unwrap(),
            "two, longer"
        );
    }

    #[test]
    fn a_build_that_fails_before_the_commit_leaves_the_output_as_it_was() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_site(&out, &[OutputFile::html("/a/", "<p>a".into())]).unwrap();
        let before = files(&out);
        let manifest = std::fs::read(out.join(MANIFEST)).unwrap();
        {
            let staging = Staging::open(&out, false).unwrap();
            staging
                .put(OutputFile::html("/a/", "<p>changed".into()))
                .unwrap();
            staging.put(OutputFile::html("/b/", "<p>b".into())).unwrap();
            // Dropped without a commit, as when a later page fails.
        }
        assert_eq!(files(&out), before);
        assert_eq!(std::fs::read(out.join(MANIFEST)).unwrap(), manifest);
        assert!(!dir.path().join(".public.haven-new").exists());
    }
}
