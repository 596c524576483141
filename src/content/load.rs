//! Load: walks `content/` and finds every file the site is made of.
//!
//! Owns what counts as content: Markdown files are read as text (BOM
//! removed, CRLF made LF) by [`Markdown::read`], each when its reader is
//! ready for it; every other file is an asset copied as it is.
//! Hidden files and editor leftovers are ignored; symbolic links are followed
//! only while they stay inside the site root, and loops are reported, not
//! followed. Paths are kept relative to the site root for messages.

use crate::content::image::{self, Picture};
use crate::diagnostics::Diagnostic;
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// Markdown files larger than this are built with a warning (a tutorial is
/// a few KB).
pub const LARGE_MARKDOWN_BYTES: u64 = 1024 * 1024;
/// Markdown files larger than this are refused (no page is that long; a
/// file that size is an export or a mistake, and would stall the build).
pub const MAX_MARKDOWN_BYTES: u64 = 32 * 1024 * 1024;
/// Folders deeper than this under content/ are refused.
pub const MAX_DEPTH: usize = 32;

/// A Markdown file, read.
#[derive(Clone, Debug)]
pub struct Source {
    /// Path relative to the site root, `/`-separated (`content/tutorial/x.md`).
    pub path: String,
    /// The file's text, shared by every stage that shows its lines.
    pub text: std::sync::Arc<str>,
}

/// Any other file under content/.
#[derive(Clone, Debug, PartialEq)]
pub struct Asset {
    /// Path relative to content/, `/`-separated (`tutorial/x/foto.png`).
    pub rel: String,
    pub abs: PathBuf,
    /// What it is as a picture, read from its header when loaded.
    pub picture: Picture,
}

/// A Markdown file found under content/, still to be read.
#[derive(Clone, Debug)]
pub struct Markdown {
    /// Path relative to the site root, `/`-separated.
    pub rel: String,
    pub abs: PathBuf,
}

impl Markdown {
    /// The file's text, with a warning when it is large.
    pub fn read(self) -> Result<(Source, Option<Diagnostic>), Diagnostic> {
        read_markdown(self.rel, &self.abs)
    }
}

#[derive(Default)]
pub struct Loaded {
    pub assets: Vec<Asset>,
    pub diagnostics: Vec<Diagnostic>,
}

/// True for files an editor or the system leaves behind.
pub fn is_ignored(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swo")
        || name.ends_with(".tmp")
        || name.ends_with(".bak")
        || (name.starts_with('#') && name.ends_with('#'))
        || name == "Thumbs.db"
        || name == "desktop.ini"
}

/// Walks `<root>/content` in a stable order, handing each Markdown file
/// to `found` as the walk comes to it (so its reading can start while the
/// walk goes on); returns the other files and what the walk found wrong.
pub fn load(root: &Path, mut found: impl FnMut(Markdown)) -> Loaded {
    let content = root.join("content");
    let mut loaded = Loaded::default();
    if !content.is_dir() {
        loaded.diagnostics.push(
            Diagnostic::error("content", "content-missing", "manca la cartella content/").hint(
                "crea la cartella content/ con dentro almeno _index.md (lo fa `pillole init`)",
            ),
        );
        return loaded;
    }
    let canonical_root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    let mut walker = walkdir::WalkDir::new(&content)
        .follow_links(true)
        .max_depth(MAX_DEPTH)
        // By name: siblings' paths differ only there, and comparing them
        // whole is cheaper than finding each name again (a folder of
        // thousands of pages is sorted here, before any thread can help).
        .sort_by(|a, b| {
            let (a, b) = (a.path().as_os_str(), b.path().as_os_str());
            a.as_encoded_bytes().cmp(b.as_encoded_bytes())
        })
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored(&e.file_name().to_string_lossy()));
    while let Some(entry) = walker.next() {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                // An editor's lock file is a link to nowhere (`.#spid.md`):
                // skipped like every file an editor leaves behind.
                let name = e.path().and_then(Path::file_name);
                if name.is_some_and(|n| is_ignored(&n.to_string_lossy())) {
                    continue;
                }
                let path = e
                    .path()
                    .map(|p| relative(root, p))
                    .unwrap_or_else(|| "content".into());
                let message = if e.loop_ancestor().is_some() {
                    "questo collegamento simbolico rimanda a una cartella che lo contiene"
                        .to_string()
                } else {
                    match e.io_error() {
                        Some(io) => format!("non riesco a leggere: {}", crate::io_reason(io)),
                        None => "non riesco a leggere questo percorso".into(),
                    }
                };
                loaded.diagnostics.push(
                    Diagnostic::error(path, "unreadable", message)
                        .hint("togli il collegamento o controlla i permessi del file"),
                );
                continue;
            }
        };
        let rel_root = relative(root, entry.path());
        if entry.path_is_symlink() {
            let target = std::fs::canonicalize(entry.path());
            let inside = target
                .as_ref()
                .map(|t| t.starts_with(&canonical_root))
                .unwrap_or(false);
            if !inside {
                loaded.diagnostics.push(
                    Diagnostic::warning(rel_root, "symlink-outside", "questo collegamento simbolico porta fuori dalla cartella del sito: lo ignoro")
                        .hint("copia il file dentro content/ invece di collegarlo"),
                );
                // A linked folder outside the root is not walked either.
                if entry.file_type().is_dir() {
                    walker.skip_current_dir();
                }
                continue;
            }
        }
        if entry.depth() == MAX_DEPTH && entry.file_type().is_dir() {
            loaded.diagnostics.push(
                Diagnostic::error(rel_root, "too-deep", "troppe cartelle una dentro l'altra")
                    .hint(format!("usa al massimo {MAX_DEPTH} livelli di cartelle")),
            );
            continue;
        }
        if !entry.file_type().is_file() {
            continue;
        }
        let rel_content = match rel_root.strip_prefix("content/") {
            Some(rel) => rel.to_string(),
            None => relative(&content, entry.path()),
        };
        if rel_content.ends_with(".md") {
            found(Markdown {
                rel: rel_root,
                abs: entry.into_path(),
            });
        } else {
            loaded.assets.push(Asset {
                rel: rel_content,
                abs: entry.into_path(),
                picture: Picture::None,
            });
        }
    }
    loaded.assets.par_iter_mut().for_each(|a| {
        a.picture = image::measure(&a.rel, &a.abs);
    });
    loaded.diagnostics.extend(
        loaded
            .assets
            .iter()
            .filter_map(|a| image::diagnostic(&format!("content/{}", a.rel), &a.picture)),
    );
    loaded
}

/// A Markdown file's text, with a warning when it is large.
fn read_markdown(rel: String, abs: &Path) -> Result<(Source, Option<Diagnostic>), Diagnostic> {
    let unreadable = |e: std::io::Error| {
        Diagnostic::error(
            &rel,
            "unreadable",
            format!("non riesco a leggere il file: {}", crate::io_reason(&e)),
        )
    };
    let mut file = std::fs::File::open(abs).map_err(unreadable)?;
    let meta = file.metadata().map_err(unreadable)?;
    if meta.len() > MAX_MARKDOWN_BYTES {
        return Err(Diagnostic::error(
            &rel,
            "file-too-large",
            format!("il file è troppo grande ({} KB)", meta.len() / 1024),
        )
        .hint(format!(
            "una pagina può essere al massimo di {} MB: dividila in più pagine",
            MAX_MARKDOWN_BYTES >> 20
        )));
    }
    let warning = (meta.len() > LARGE_MARKDOWN_BYTES).then(|| {
        Diagnostic::warning(
            &rel,
            "file-large",
            format!(
                "la pagina è molto lunga ({} KB): su un telefono si carica e si legge a fatica",
                meta.len() / 1024
            ),
        )
        .hint("dividila in più pagine brevi, una per argomento, e collegale tra loro")
    });
    let bytes = read_all(&mut file, meta.len() as usize).map_err(unreadable)?;
    let text = decode(&rel, bytes)?;
    Ok((
        Source {
            path: rel,
            text: text.into(),
        },
        warning,
    ))
}

/// The rest of the open `file`, about `expected` bytes, read into room for
/// them: `std::fs::read` would ask the file's size first, one system call
/// more for every page read, and a large build reads each page back
/// several times.
pub fn read_all(file: &mut std::fs::File, expected: usize) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    // One byte more than expected: the read that finds the end has room.
    let mut bytes = vec![0; expected + 1];
    let mut filled = 0;
    loop {
        if filled == bytes.len() {
            bytes.resize(bytes.len() * 2, 0);
        }
        match file.read(&mut bytes[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    bytes.truncate(filled);
    Ok(bytes)
}

/// Turns file bytes into text: UTF-8 only, BOM removed, CRLF and CR made LF.
pub fn decode(rel: &str, bytes: Vec<u8>) -> Result<String, Diagnostic> {
    let mut text = String::from_utf8(bytes).map_err(|e| {
        let before = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
        Diagnostic::error(rel, "encoding", "il file non è in UTF-8")
            .at(line, 1)
            .hint("salva il file con codifica UTF-8 (nel tuo editor: «Salva con nome», codifica UTF-8)")
    })?;
    // The file's own bytes, unless a BOM or a carriage return must go.
    if text.starts_with('\u{feff}') {
        text.drain(..'\u{feff}'.len_utf8());
    }
    if text.contains('\r') {
        text = text.replace("\r\n", "\n").replace('\r', "\n");
    }
    Ok(text)
}

/// `path` relative to `base`, `/`-separated, for messages and URLs.
pub fn relative(base: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(base).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editor_leftovers_are_ignored() {
        for name in [
            ".DS_Store",
            ".#x.md",
            "x.md~",
            ".x.md.swp",
            "x.swp",
            "#x.md#",
            ".git",
        ] {
            assert!(is_ignored(name), "{name}");
        }
        assert!(!is_ignored("spid.md"));
        assert!(!is_ignored("_index.md"));
    }

    /// A file is read whole whatever was expected of its length: less (it
    /// grew, or a BOM and carriage returns were taken out of the text),
    /// exactly, or more (it shrank).
    #[test]
    fn a_file_is_read_whole_whatever_its_expected_length() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.md");
        let text: Vec<u8> = (0..20_000u32).map(|i| b'a' + (i % 26) as u8).collect();
        std::fs::write(&path, &text).unwrap();
        for expected in [
            0,
            1,
            4095,
            text.len() - 1,
            text.len(),
            text.len() + 1,
            3 * text.len(),
        ] {
            let mut file = std::fs::File::open(&path).unwrap();
            assert_eq!(
                read_all(&mut file, expected).unwrap(),
                text,
                "expected {expected}"
            );
        }
        std::fs::write(&path, "").unwrap();
        let mut file = std::fs::File::open(&path).unwrap();
        assert!(read_all(&mut file, 10).unwrap().is_empty());
    }

    /// The pages come in the order of their names, folder by folder, as
    /// walkdir's own sort by file name gives them.
    #[test]
    fn pages_come_in_the_order_of_their_names() {
        let dir = tempfile::tempdir().unwrap();
        let content = dir.path().join("content");
        for file in [
            "b.md",
            "a.md",
            "a-b.md",
            "a.b.md",
            "a/z.md",
            "a/c.md",
            "A.md",
            "è.md",
            "e.md",
            "a0/x.md",
            "_index.md",
        ] {
            let path = content.join(file);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, "---\ntitle: x\n---\n").unwrap();
        }
        let mut got: Vec<String> = Vec::new();
        load(dir.path(), |m| got.push(m.rel));
        let want: Vec<String> = walkdir::WalkDir::new(&content)
            .sort_by_file_name()
            .into_iter()
            .map(|e| e.unwrap())
            .filter(|e| e.file_type().is_file())
            .map(|e| relative(dir.path(), e.path()))
            .collect();
        assert_eq!(got.len(), 11);
        assert_eq!(got, want);
    }

    #[test]
    fn decode_accepts_bom_and_crlf_and_rejects_latin1() {
        assert_eq!(
            decode("a", b"\xef\xbb\xbf---\r\nx\r\n".to_vec()).unwrap(),
            "---\nx\n"
        );
        let err = decode("a", b"ok\n\xe0 la carte".to_vec()).unwrap_err();
        assert_eq!(err.rule, "encoding");
        assert_eq!(err.line, 2);
    }
}
