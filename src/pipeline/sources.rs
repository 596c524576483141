//! Sources: the site's files under content/ as last read (serve mode).
//!
//! Holds every Markdown file's text (a large run once leaves it in its file,
//! see [`Keep`]) with its parse diagnostics, the list of
//! content files and the loader's diagnostics. [`Sources::read`] takes the
//! paths a change names: a known Markdown file is read and parsed again on
//! its own; a content file changed in place needs nothing; anything that
//! appears or disappears walks content/ again through the loader (which
//! judges links and reports unreadable files), parsing only what changed.

use crate::content::image;
use crate::content::load::{self, Asset, Source};
use crate::content::text::{Changed, Text};
use crate::content::{self, Page};
use crate::diagnostics::Diagnostic;
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

/// A file read again: its path, text, page (when it parsed) and diagnostics.
type Parsed = (String, Text, Option<Page>, Vec<Diagnostic>);

/// A Markdown file the walk found: its path, what parsing it gave when its
/// text changed, and the loader's warning about it; or why it was not read.
type Found = Result<(String, Option<Parsed>, Option<Diagnostic>), Diagnostic>;

/// Markdown files read and parsed by one task: one takes tens of
/// microseconds, too little to be a task of its own.
const BATCH: usize = 32;

/// Where a run once keeps the texts it reads: held until `limit` bytes
/// have been read, left in their files past it (a large site is then never
/// held whole, not even while it is read).
pub(crate) struct Keep<'a> {
    pub(crate) limit: usize,
    pub(crate) root: &'a Path,
    pub(crate) changed: &'a Changed,
    pub(crate) read: AtomicUsize,
}

impl Keep<'_> {
    /// The text of `path`, held or left in its file.
    fn keep(&self, path: &str, text: Arc<str>) -> Text {
        let read = self.read.fetch_add(text.len(), Ordering::Relaxed) + text.len();
        let held = Text::held(text);
        if read <= self.limit {
            return held;
        }
        held.left_in_file(self.root.join(path), path, self.changed)
    }
}

/// A Markdown file as last read.
pub(crate) struct SourceFile {
    /// Its text, shared with its page.
    pub(crate) text: Text,
    pub(crate) diagnostics: Vec<Diagnostic>,
    /// Parsing gave a page.
    pub(crate) parsed: bool,
}

/// The files of content/, as last read.
#[derive(Default)]
pub(crate) struct Sources {
    /// Markdown files by path relative to the site root.
    pub(crate) files: BTreeMap<String, SourceFile>,
    pub(crate) assets: Vec<Asset>,
    /// What the loader said when it last walked content/.
    pub(crate) load_diags: Vec<Diagnostic>,
}

/// What reading the changed paths found.
#[derive(Default)]
pub(crate) struct Read {
    /// Markdown files whose text changed, appeared or disappeared.
    pub(crate) changed: BTreeSet<String>,
    /// The pages of the changed files that parsed.
    pub(crate) fresh: Vec<Page>,
    /// A content file changed in place.
    pub(crate) asset: bool,
    /// content/ was walked again.
    pub(crate) rescanned: bool,
    /// The list of content files changed.
    pub(crate) assets_changed: bool,
}

/// How a changed path under content/ is handled.
enum Step {
    /// A known Markdown file with new text.
    Text(String),
    /// Same text as before, or a file that came and went.
    Nothing,
    /// A known content file changed in place.
    Asset,
    /// Files appeared or disappeared: walk content/ again.
    Rescan,
}

impl Sources {
    /// Reads the changed paths (relative to `root`, a canonical path);
    /// with `everything`, walks content/ whatever they are.
    pub(crate) fn read(
        &mut self,
        root: &Path,
        paths: &BTreeSet<String>,
        everything: bool,
        keep: Option<&Keep>,
    ) -> Read {
        let mut read = Read::default();
        let mut rescan = everything;
        for path in paths {
            match self.step(root, path) {
                Step::Text(text) => {
                    let text: Arc<str> = text.into();
                    let (page, diags) = content::parse(Source {
                        path: path.clone(),
                        text: Arc::clone(&text),
                    });
                    self.files.insert(
                        path.clone(),
                        SourceFile {
                            text: Text::held(text),
                            diagnostics: diags,
                            parsed: page.is_some(),
                        },
                    );
                    read.fresh.extend(page);
                    read.changed.insert(path.clone());
                }
                Step::Nothing => {}
                Step::Asset => read.asset = true,
                Step::Rescan => rescan = true,
            }
        }
        if rescan {
            self.rescan(root, &mut read, keep);
            read.rescanned = true;
        }
        read
    }

    /// Reads one changed path under content/.
    fn step(&self, root: &Path, path: &str) -> Step {
        let abs = root.join(path);
        let known = self.files.get(path);
        if path.ends_with(".md") && abs.is_file() {
            let Some(known) = known else {
                return Step::Rescan;
            };
            // Only a plain file inside the site; links are the loader's to judge.
            let plain = std::fs::symlink_metadata(&abs).is_ok_and(|m| m.file_type().is_file());
            let inside = std::fs::canonicalize(&abs).is_ok_and(|p| p.starts_with(root));
            if !plain || !inside {
                return Step::Rescan;
            }
            // Anything unusual (unreadable, too large, not UTF-8) goes through
            // the loader, which reports it.
            let Ok(meta) = std::fs::metadata(&abs) else {
                return Step::Rescan;
            };
            if meta.len() > load::LARGE_MARKDOWN_BYTES {
                return Step::Rescan;
            }
            let Ok(bytes) = std::fs::read(&abs) else {
                return Step::Rescan;
            };
            return match load::decode(path, bytes) {
                Ok(text) if *text == *known.text.get() => Step::Nothing,
                Ok(text) => Step::Text(text),
                Err(_) => Step::Rescan,
            };
        }
        let rel = path.strip_prefix("content/").unwrap_or(path);
        if let Some(asset) = self.assets.iter().find(|a| a.rel == rel) {
            if abs.is_file() && !path.ends_with(".md") {
                // A picture whose weight or size changed changes the pages
                // that show it and its warning.
                return if image::measure(rel, &abs) == asset.picture {
                    Step::Asset
                } else {
                    Step::Rescan
                };
            }
        }
        let inside = |p: &str| {
            p.len() > path.len() && p.starts_with(path) && p.as_bytes()[path.len()] == b'/'
        };
        let known_dir = self.files.keys().any(|s| inside(s))
            || self
                .assets
                .iter()
                .any(|a| inside(&format!("content/{}", a.rel)));
        if abs.is_dir() && known_dir {
            // A folder's own event; its files report their changes.
            return Step::Nothing;
        }
        if !abs.exists()
            && known.is_none()
            && !known_dir
            && !self.assets.iter().any(|a| a.rel == rel)
        {
            // An editor's temporary file, already gone.
            return Step::Nothing;
        }
        Step::Rescan
    }

    /// Walks content/ again; reads every Markdown file and parses those
    /// whose text changed, each as soon as it is read (with `keep`, its
    /// text is then held or left in its file).
    fn rescan(&mut self, root: &Path, read: &mut Read, keep: Option<&Keep>) {
        let (changed, fresh) = (&mut read.changed, &mut read.fresh);
        let (files, known_changed) = (&self.files, &*changed);
        let read_and_parse = |m: load::Markdown| -> Found {
            let (s, warning) = m.read()?;
            let same = files.get(&s.path).is_some_and(|f| *f.text.get() == *s.text)
                && !known_changed.contains(&s.path);
            if same {
                return Ok((s.path, None, warning));
            }
            let (path, text) = (s.path.clone(), Arc::clone(&s.text));
            let (mut page, diags) = content::parse(s);
            let text = match keep {
                Some(keep) => keep.keep(&path, text),
                None => Text::held(text),
            };
            if let Some(page) = page.as_mut() {
                page.text = text.clone();
            }
            Ok((path.clone(), Some((path, text, page, diags)), warning))
        };
        // The files are read and parsed in batches as the walk finds them
        // (the walk is one core's work), and put back in the walk's order.
        let batches: Mutex<Vec<(usize, Vec<Found>)>> = Mutex::default();
        let loaded = rayon::scope(|s| {
            let (read_and_parse, batches) = (&read_and_parse, &batches);
            let hand_over = |at: usize, batch: Vec<load::Markdown>| {
                s.spawn(move |_| {
                    let found = batch.into_iter().map(read_and_parse).collect();
                    batches
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .push((at, found));
                });
            };
            let mut batch = Vec::with_capacity(BATCH);
            let mut at = 0;
            let loaded = load::load(root, |m| {
                batch.push(m);
                if batch.len() == BATCH {
                    hand_over(at, std::mem::replace(&mut batch, Vec::with_capacity(BATCH)));
                    at += 1;
                }
            });
            hand_over(at, batch);
            loaded
        });
        self.load_diags = loaded.diagnostics;
        if loaded.assets != self.assets {
            read.assets_changed = true;
            self.assets = loaded.assets;
        }
        let mut batches = batches.into_inner().unwrap_or_else(|e| e.into_inner());
        batches.sort_unstable_by_key(|&(at, _)| at);
        // Sized at once, as the pages below.
        let mut results: Vec<Found> =
            Vec::with_capacity(batches.iter().map(|(_, found)| found.len()).sum());
        for (_, found) in batches {
            results.extend(found);
        }
        // Sized at once: a page is big, and a list of them grown by
        // doubling is copied over and over into fresh memory.
        let mut seen = HashSet::with_capacity(results.len());
        let mut parsed: Vec<Parsed> = Vec::with_capacity(results.len());
        for r in results {
            match r {
                Ok((path, p, warning)) => {
                    seen.insert(path);
                    parsed.extend(p);
                    self.load_diags.extend(warning);
                }
                Err(d) => self.load_diags.push(d),
            }
        }
        let gone: Vec<String> = self
            .files
            .keys()
            .filter(|k| !seen.contains(*k))
            .cloned()
            .collect();
        for k in &gone {
            self.files.remove(k);
            changed.insert(k.clone());
        }
        // Pages read before the walk that it read again or found gone.
        if !fresh.is_empty() {
            let stale: HashSet<&str> = gone
                .iter()
                .map(String::as_str)
                .chain(parsed.iter().map(|(path, ..)| path.as_str()))
                .collect();
            fresh.retain(|p| !stale.contains(p.source.as_str()));
        }
        fresh.reserve(parsed.len());
        for (path, text, page, diags) in parsed {
            self.files.insert(
                path.clone(),
                SourceFile {
                    text,
                    diagnostics: diags,
                    parsed: page.is_some(),
                },
            );
            fresh.extend(page);
            changed.insert(path);
        }
    }
}
