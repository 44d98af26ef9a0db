//! Watching the site's folders with `notify`, and turning a burst of events into one batch.
//!
//! One save is often several events: an editor writes a temporary file, renames it over the
//! original, touches a backup. [`Watcher::next_batch`] waits for the first event, then for
//! [`QUIET`] without any, so a burst is one rebuild; a stream of writes is cut at [`LONGEST`].

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use notify::event::{AccessKind, AccessMode};
use notify::{Event, EventKind, RecommendedWatcher, RecursiveMode, Watcher as _};

use crate::diagnostic::Diagnostic;

/// The folders of a site that serve watches, each recursively.
pub const FOLDERS: [&str; 5] = ["content", "templates", "static", "themes", "i18n"];

/// How long a burst must be silent before it is built.
pub const QUIET: Duration = Duration::from_millis(30);
/// The longest a burst is collected before it is built anyway.
pub const LONGEST: Duration = Duration::from_millis(1000);

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
            let left = LONGEST.saturating_sub(started.elapsed());
            if left.is_zero() {
                break;
            }
            match self.events.recv_timeout(QUIET.min(left)) {
                Ok(event) => {
                    self.take(event, &mut paths);
                }
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => break,
            }
        }
        Next::Batch(paths.into_iter().collect())
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
            EventKind::Access(AccessKind::Close(AccessMode::Write)) => {}
            EventKind::Access(_) => return false,
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

fn watch_error(path: &Path, e: &notify::Error) -> Diagnostic {
    Diagnostic::error(format!(
        "could not watch {} for changes: {e}",
        path.display()
    ))
    .with_help("on Linux, raise the inotify limit: sysctl fs.inotify.max_user_watches=524288")
}
