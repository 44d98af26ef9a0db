//! Watching the site's folders with `notify`, and turning a burst of events into one batch.
//!
//! One save is often several events: an editor writes a temporary file, renames it over the
//! original, touches a backup. [`Watcher::next_batch`] waits for the first event, then for
//! [`QUIET`] without any, so a burst is one rebuild; a stream of writes is cut at [`LONGEST`].

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use notify::event::{AccessKind, AccessMode, ModifyKind};
use notify::{Event, EventKind, RecommendedWatcher, RecursiveMode, Watcher as _};

use crate::diagnostic::Diagnostic;

/// The folders of a site that serve watches, each recursively.
pub const FOLDERS: [&str; 5] = ["content", "templates", "static", "themes", "i18n"];

/// How long a burst must be silent before it is built.
pub const QUIET: Duration = Duration::from_millis(30);
/// The longest a burst is collected before it is built anyway.
pub const LONGEST: Duration = Duration::from_millis(1000);
/// How long a burst waits, past [`LONGEST`] if need be, for a file still being written (opened
/// and not yet closed, or empty) to be finished. An editor that saves in place truncates the
/// file, then writes it: built in between, a page is empty and the build fails for nothing.
pub const UNFINISHED: Duration = Duration::from_millis(2000);

/// What [`Watcher::next_batch_or_idle`] found.
pub enum Next {
    Batch(Vec<PathBuf>),
    Idle,
    Stopped,
}

pub struct Watcher {
    watcher: RecommendedWatcher,
    events: Receiver<notify::Result<Event>>,
    root: PathBuf,
    /// Top-level folders being watched recursively.
    watched: BTreeSet<String>,
    /// Files written to in this burst and not closed since (Linux only).
    writing: BTreeSet<PathBuf>,
}

impl Watcher {
    /// Watches `root` (for `haven.toml` and folders appearing) and its site folders.
    pub fn start(root: &Path) -> Result<Watcher, Diagnostic> {
        let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
        let (tx, events) = channel();
        let mut watcher = notify::recommended_watcher(tx).map_err(|e| watch_error(&root, &e))?;
        watcher
            .watch(&root, RecursiveMode::NonRecursive)
            .map_err(|e| watch_error(&root, &e))?;
        let mut w = Watcher {
            watcher,
            events,
            root,
            watched: BTreeSet::new(),
            writing: BTreeSet::new(),
        };
        for folder in FOLDERS {
            w.watch_folder(folder)?;
        }
        Ok(w)
    }

    /// Starts watching `root/folder` when it exists and is not watched yet.
    fn watch_folder(&mut self, folder: &str) -> Result<(), Diagnostic> {
        let dir = self.root.join(folder);
        if !dir.is_dir() || self.watched.contains(folder) {
            return Ok(());
        }
        self.watcher
            .watch(&dir, RecursiveMode::Recursive)
            .map_err(|e| watch_error(&dir, &e))?;
        self.watched.insert(folder.to_string());
        Ok(())
    }

    /// Blocks until a burst of changes has settled; returns the changed paths (absolute).
    /// `None` when the watcher has stopped.
    pub fn next_batch(&mut self) -> Option<Vec<PathBuf>> {
        match self.next_batch_or_idle(None) {
            Next::Batch(paths) => Some(paths),
            Next::Idle | Next::Stopped => None,
        }
    }

    /// As [`Watcher::next_batch`], but gives up with [`Next::Idle`] when no change starts
    /// within `idle`.
    pub fn next_batch_or_idle(&mut self, idle: Option<Duration>) -> Next {
        let mut paths = BTreeSet::new();
        // The first relevant event starts the burst.
        let waiting = Instant::now();
        loop {
            let event = match idle {
                None => match self.events.recv() {
                    Ok(e) => e,
                    Err(_) => return Next::Stopped,
                },
                Some(idle) => {
                    let left = idle.saturating_sub(waiting.elapsed());
                    match self.events.recv_timeout(left) {
                        Ok(e) => e,
                        Err(RecvTimeoutError::Timeout) => return Next::Idle,
                        Err(RecvTimeoutError::Disconnected) => return Next::Stopped,
                    }
                }
            };
            if self.take(event, &mut paths) {
                break;
            }
        }
        let started = Instant::now();
        loop {
            let longest = if self.unfinished(&paths) {
                UNFINISHED
            } else {
                LONGEST
            };
            let left = longest.saturating_sub(started.elapsed());
            if left.is_zero() {
                break;
            }
            match self.events.recv_timeout(QUIET.min(left)) {
                Ok(event) => {
                    self.take(event, &mut paths);
                }
                // Quiet, but a file of the burst is still being written: wait for its end.
                Err(RecvTimeoutError::Timeout) if self.unfinished(&paths) => {}
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => break,
            }
        }
        self.writing.clear();
        Next::Batch(paths.into_iter().collect())
    }

    /// Whether a file of the burst looks half-saved: written and not closed yet (where the
    /// system says when a file is closed), or empty.
    fn unfinished(&self, paths: &BTreeSet<PathBuf>) -> bool {
        !self.writing.is_empty()
            || paths
                .iter()
                .filter(|p| !is_editor_file(p))
                .any(|p| std::fs::metadata(p).is_ok_and(|m| m.is_file() && m.len() == 0))
    }

    /// Adds the paths of a relevant event; returns whether it was relevant.
    fn take(&mut self, event: notify::Result<Event>, paths: &mut BTreeSet<PathBuf>) -> bool {
        let event = match event {
            Ok(e) => e,
            Err(_) => {
                // The watcher lost track (queue overflow...): rebuild everything.
                paths.insert(self.root.join("haven.toml"));
                return true;
            }
        };
        if event.need_rescan() {
            paths.insert(self.root.join("haven.toml"));
            return true;
        }
        match event.kind {
            // Reads are not changes; a file closed after writing is (it ends a long write).
            EventKind::Access(AccessKind::Close(AccessMode::Write)) => {
                for path in &event.paths {
                    self.writing.remove(path);
                }
            }
            EventKind::Access(_) => return false,
            // Only inotify says when a writer closes a file; elsewhere the empty-file check in
            // `unfinished` is what is left.
            EventKind::Modify(ModifyKind::Data(_) | ModifyKind::Any)
                if cfg!(any(target_os = "linux", target_os = "android")) =>
            {
                // Editors' swap files stay open while they run: never wait for those.
                let content = event.paths.iter().filter(|p| !is_editor_file(p));
                self.writing.extend(content.cloned());
            }
            _ => {}
        }
        for path in &event.paths {
            // A site folder created after serve started (templates/, static/...).
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if path.parent() == Some(self.root.as_path()) && FOLDERS.contains(&name) {
                if path.is_dir() {
                    let _ = self.watch_folder(name);
                } else {
                    self.watched.remove(name);
                }
            }
            paths.insert(path.clone());
        }
        !event.paths.is_empty()
    }
}

/// An editor's temporary, backup or swap file (never part of the site).
fn is_editor_file(path: &Path) -> bool {
    path.file_name()
        .is_some_and(|n| crate::discover::is_ignored_name(&n.to_string_lossy()))
}

fn watch_error(path: &Path, e: &notify::Error) -> Diagnostic {
    Diagnostic::error(format!(
        "could not watch {} for changes: {e}",
        path.display()
    ))
    .with_help("on Linux, raise the inotify limit: sysctl fs.inotify.max_user_watches=524288")
}
