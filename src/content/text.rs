//! A source file's text: held in memory, or left in its file and read
//! again where a stage needs it.
//!
//! A page's Markdown is read once by load and used again by link (the body
//! analysis), check (reading level, positions), the search index and render.
//! A build holds up to [`HOLD_LIMIT`] bytes of it; past that (a site of tens
//! of thousands of pages) each text is left in its file once its page is
//! parsed, and read back by each stage that needs it: a few microseconds a
//! file, where holding every text would take the memory of a small machine.
//! Serve always holds them (it compares each save with what it knows).
//!
//! A file read back must be the one first read (same length, same CRC-32).
//! If it changed while the site was being made, the stage gets blanks of
//! the same length (so nothing made from the first reading breaks) and
//! [`Changed`] records the file: the build then stops with an error before
//! its output replaces the previous one.

use std::ops::Deref;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

/// Bytes of source text a build holds in memory (about 35,000 pages of
/// the benchmark corpus); past it, texts are left in their files.
pub const HOLD_LIMIT: usize = 256 * 1024 * 1024;

/// The text of a source file.
#[derive(Clone, Debug)]
pub struct Text(Inner);

#[derive(Clone, Debug)]
enum Inner {
    Held(Arc<str>),
    InFile(Arc<InFile>),
}

/// A text left in its file, with what it must be when read back.
#[derive(Debug)]
struct InFile {
    abs: PathBuf,
    /// Path relative to the site root, for messages.
    rel: String,
    len: usize,
    crc: u32,
    changed: Changed,
}

/// The files that were no longer what they were when first read, shared by
/// every text of a site left in its file.
#[derive(Clone, Debug, Default)]
pub struct Changed(Arc<Mutex<Vec<String>>>);

impl Changed {
    /// The files found changed, sorted, each once.
    pub fn files(&self) -> Vec<String> {
        let mut files = self.0.lock().unwrap_or_else(|e| e.into_inner()).clone();
        files.sort();
        files.dedup();
        files
    }

    fn add(&self, rel: &str) {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(rel.to_string());
    }
}

impl Text {
    /// A text held in memory.
    pub fn held(text: Arc<str>) -> Text {
        Text(Inner::Held(text))
    }

    /// The text (read back from its file when left there).
    pub fn get(&self) -> Arc<str> {
        match &self.0 {
            Inner::Held(text) => Arc::clone(text),
            Inner::InFile(file) => file.read(),
        }
    }

    /// Its length in bytes.
    pub fn len(&self) -> usize {
        match &self.0 {
            Inner::Held(text) => text.len(),
            Inner::InFile(file) => file.len,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether the text is held in memory.
    pub fn is_held(&self) -> bool {
        matches!(self.0, Inner::Held(_))
    }

    /// The same text, left in its file `abs` (`rel` from the site root);
    /// a change found when it is read back goes to `changed`.
    pub fn left_in_file(&self, abs: PathBuf, rel: &str, changed: &Changed) -> Text {
        match &self.0 {
            Inner::Held(text) => Text(Inner::InFile(Arc::new(InFile {
                abs,
                rel: rel.to_string(),
                len: text.len(),
                crc: crc32fast::hash(text.as_bytes()),
                changed: changed.clone(),
            }))),
            Inner::InFile(_) => self.clone(),
        }
    }
}

impl InFile {
    fn read(&self) -> Arc<str> {
        // The file holds at least the text's bytes (a BOM or carriage
        // returns more).
        let text = std::fs::File::open(&self.abs)
            .and_then(|mut file| super::load::read_all(&mut file, self.len))
            .ok()
            .and_then(|bytes| super::load::decode(&self.rel, bytes).ok());
        match text {
            Some(t) if t.len() == self.len && crc32fast::hash(t.as_bytes()) == self.crc => t.into(),
            _ => {
                self.changed.add(&self.rel);
                " ".repeat(self.len).into()
            }
        }
    }
}

/// A part of a text (a page's front matter, its body), holding the text.
pub struct Part {
    text: Arc<str>,
    range: std::ops::Range<usize>,
}

impl Part {
    /// `text[range]` (empty if the range is not in the text).
    pub fn new(text: Arc<str>, range: std::ops::Range<usize>) -> Part {
        Part { text, range }
    }
}

impl Deref for Part {
    type Target = str;
    fn deref(&self) -> &str {
        self.text.get(self.range.clone()).unwrap_or("")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_left_in_its_file_reads_back_or_says_it_changed() {
        let dir = tempfile::tempdir().unwrap();
        let abs = dir.path().join("a.md");
        std::fs::write(&abs, "\u{feff}---\r\ntitle: \"è\"\r\n---\r\nCiao.\r\n").unwrap();
        let first: Arc<str> = "---\ntitle: \"è\"\n---\nCiao.\n".into();
        let changed = Changed::default();
        let text =
            Text::held(Arc::clone(&first)).left_in_file(abs.clone(), "content/a.md", &changed);
        assert!(!text.is_held());
        assert_eq!(text.len(), first.len());
        // Read back as load read it (BOM gone, line ends made LF).
        assert_eq!(text.get(), first);
        assert!(changed.files().is_empty());

        // Same length, other words: blanks, and the file is named.
        std::fs::write(&abs, "---\ntitle: \"é\"\n---\nCiao.\n").unwrap();
        let got = text.get();
        assert_eq!(got.len(), first.len());
        assert!(got.bytes().all(|b| b == b' '));
        std::fs::remove_file(&abs).unwrap();
        assert_eq!(&*text.get(), " ".repeat(first.len()));
        assert_eq!(changed.files(), vec!["content/a.md".to_string()]);
    }
}
