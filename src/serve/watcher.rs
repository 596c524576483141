//! Watcher: turns file-system events under the site root into [`Changes`].
//!
//! Watches content/, templates/, static/ and themes/ (recursively) and the
//! root itself (for site.yaml, and for those folders when they appear).
//! Events are debounced: a burst of events (one save is several: write,
//! rename, attributes) is reported as one batch once the files have been
//! quiet for [`DEBOUNCE`]. Reads are not changes (the rebuild reads the
//! files it watches), and editor leftovers (`.x.swp`, `x~`) and hidden
//! files are dropped here, as the loader drops them.

use crate::content::load::is_ignored;
use crate::pipeline::Changes;
use notify::event::{AccessKind, AccessMode, EventKind};
use notify::{RecommendedWatcher, RecursiveMode, Watcher as _};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

/// Quiet time after the last event of a burst before it is reported. One
/// save is a burst of a few events within a millisecond or two; this groups
/// them without delaying the reload much.
pub const DEBOUNCE: Duration = Duration::from_millis(50);
/// A burst that goes on (a big copy) is still reported this often.
const LONGEST_WAIT: Duration = Duration::from_millis(1000);

/// Folders of the site that are watched recursively.
const FOLDERS: [&str; 4] = ["content", "templates", "static", "themes"];

pub struct Watcher {
    root: PathBuf,
    watcher: RecommendedWatcher,
    watched: HashSet<PathBuf>,
    /// Batches of changes, in the order they happened.
    pub changes: Receiver<Changes>,
}

impl Watcher {
    /// Starts watching `root` (a canonical path).
    pub fn start(root: &Path) -> Result<Watcher, notify::Error> {
        let (raw_tx, raw_rx) = channel::<Vec<PathBuf>>();
        let watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
            if let Ok(event) = event {
                if changes_files(&event.kind) {
                    let _ = raw_tx.send(event.paths);
                }
            }
        })?;
        let (tx, rx) = channel();
        let base = root.to_path_buf();
        std::thread::spawn(move || {
            // One batch per burst: wait for a first event, then until quiet.
            while let Ok(first) = raw_rx.recv() {
                let mut paths = first;
                let started = Instant::now();
                let mut deadline = started + DEBOUNCE;
                loop {
                    let wait = deadline.saturating_duration_since(Instant::now());
                    match raw_rx.recv_timeout(wait) {
                        Ok(more) => {
                            paths.extend(more);
                            deadline = (Instant::now() + DEBOUNCE).min(started + LONGEST_WAIT);
                        }
                        Err(RecvTimeoutError::Timeout) => break,
                        Err(RecvTimeoutError::Disconnected) => return,
                    }
                }
                let changes = classify(&base, paths.into_iter());
                if !changes.is_empty() && tx.send(changes).is_err() {
                    return;
                }
            }
        });
        let mut w = Watcher {
            root: root.to_path_buf(),
            watcher,
            watched: HashSet::new(),
            changes: rx,
        };
        w.watcher.watch(root, RecursiveMode::NonRecursive)?;
        w.refresh();
        Ok(w)
    }

    /// Watches the site's folders that exist now and were not watched yet
    /// (a templates/ folder made while serving).
    pub fn refresh(&mut self) {
        for name in FOLDERS {
            let dir = self.root.join(name);
            if !dir.is_dir() {
                // Removed: watch it again if it comes back.
                self.watched.remove(&dir);
            } else if !self.watched.contains(&dir)
                && self.watcher.watch(&dir, RecursiveMode::Recursive).is_ok()
            {
                self.watched.insert(dir);
            }
        }
    }
}

/// Events that may change what a file holds (not opening or reading it).
fn changes_files(kind: &EventKind) -> bool {
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        _ => true,
    }
}

/// Sorts changed paths (absolute, under `root`) into what they change.
pub fn classify(root: &Path, paths: impl Iterator<Item = PathBuf>) -> Changes {
    let mut changes = Changes::default();
    for path in paths {
        let Ok(rel) = path.strip_prefix(root) else {
            continue;
        };
        let parts: Vec<String> = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        let Some(first) = parts.first() else {
            continue;
        };
        if parts.iter().any(|p| is_ignored(p)) {
            continue;
        }
        match first.as_str() {
            "content" => {
                changes.content.insert(parts.join("/"));
            }
            "templates" | "static" | "themes" => changes.theme = true,
            "site.yaml" if parts.len() == 1 => changes.config = true,
            _ => {}
        }
    }
    changes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reading_a_file_is_not_a_change() {
        assert!(!changes_files(&EventKind::Access(AccessKind::Open(
            notify::event::AccessMode::Any
        ))));
        assert!(!changes_files(&EventKind::Access(AccessKind::Close(
            AccessMode::Read
        ))));
        assert!(changes_files(&EventKind::Access(AccessKind::Close(
            AccessMode::Write
        ))));
        assert!(changes_files(&EventKind::Any));
    }

    #[test]
    fn paths_are_sorted_by_what_they_change() {
        let root = Path::new("/s");
        let c = classify(
            root,
            [
                "/s/content/tutorial/spid.md",
                "/s/content/tutorial/.spid.md.swp",
                "/s/content/tutorial/spid.md~",
                "/s/templates/base.html",
                "/s/site.yaml",
                "/s/public/index.html",
                "/elsewhere/site.yaml",
            ]
            .into_iter()
            .map(PathBuf::from),
        );
        assert_eq!(
            c.content.into_iter().collect::<Vec<_>>(),
            vec!["content/tutorial/spid.md".to_string()]
        );
        assert!(c.theme);
        assert!(c.config);
    }
}
