//! Write: puts the rendered files in the output folder, all or nothing.
//!
//! Render hands each file to a [`Sink`] as soon as it is made. For a build
//! the sink is a [`Staging`] folder beside the output, swapped in at the end
//! ([`Staging::commit`]), so a failed build leaves the previous output
//! untouched; serve collects the files in memory ([`Collect`]). The output
//! may not be the site root, `content/`, or an ancestor of either, and no
//! file is ever written outside it.

use rayon::prelude::*;
use std::collections::HashSet;
use std::ffi::OsString;
use std::io::Write as _;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

/// What goes in one output file.
#[derive(Clone, Debug)]
pub enum Body {
    Bytes(Vec<u8>),
    /// A file copied as it is from this path.
    Copy(PathBuf),
}

/// One output file: its path relative to the output folder (`tutorial/x/index.html`).
#[derive(Clone, Debug)]
pub struct Output {
    pub path: String,
    pub body: Body,
}

impl Output {
    pub fn bytes(path: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Self {
        Output {
            path: path.into(),
            body: Body::Bytes(bytes.into()),
        }
    }
}

/// Where rendered files go, one at a time, from any thread.
pub trait Sink: Sync {
    fn put(&self, file: Output) -> Result<(), WriteError>;
}

/// Files kept in memory (serve, tests).
#[derive(Default)]
pub struct Collect(Mutex<Vec<Output>>);

impl Collect {
    pub fn into_files(self) -> Vec<Output> {
        self.0.into_inner().unwrap_or_else(|e| e.into_inner())
    }
}

impl Sink for Collect {
    fn put(&self, file: Output) -> Result<(), WriteError> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).push(file);
        Ok(())
    }
}

#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("la cartella di uscita {output} coincide con il sito o lo contiene")]
    Dangerous { output: PathBuf },
    #[error("la cartella di uscita {output} è dentro content/")]
    InsideContent { output: PathBuf },
    #[error("percorso di uscita non valido: {path}")]
    BadPath { path: String },
    #[error("due file avrebbero lo stesso percorso di uscita: {path}")]
    Duplicate { path: String },
    #[error("non riesco a scrivere {path}: {reason}")]
    Io { path: PathBuf, reason: String },
}

fn io(path: &Path, e: std::io::Error) -> WriteError {
    WriteError::Io {
        path: path.to_path_buf(),
        reason: crate::io_reason(&e),
    }
}

/// Absolute, normalised form of a path that may not exist yet.
fn absolute(path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    // `a/b/..` is `a`, whether or not `b` exists.
    let mut abs = PathBuf::new();
    for c in joined.components() {
        match c {
            Component::ParentDir => {
                abs.pop();
            }
            Component::CurDir => {}
            c => abs.push(c),
        }
    }
    // Resolve what exists (symlinks included), keep the rest as written.
    let mut existing = abs.clone();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (
            existing.file_name().map(|n| n.to_os_string()),
            existing.parent(),
        ) {
            (Some(name), Some(parent)) => {
                rest.push(name);
                existing = parent.to_path_buf();
            }
            _ => break,
        }
    }
    let mut out = std::fs::canonicalize(&existing).unwrap_or(existing);
    for name in rest.into_iter().rev() {
        match Path::new(&name).components().next() {
            Some(Component::ParentDir) => {
                out.pop();
            }
            Some(Component::CurDir) => {}
            _ => out.push(name),
        }
    }
    out
}

/// Refuses outputs that would delete the site or write into its content.
pub fn check_output(root: &Path, output: &Path) -> Result<PathBuf, WriteError> {
    let root = absolute(root);
    let content = root.join("content");
    let out = absolute(output);
    if root.starts_with(&out) || content.starts_with(&out) || out.parent().is_none() {
        return Err(WriteError::Dangerous {
            output: output.to_path_buf(),
        });
    }
    if out.starts_with(&content) {
        return Err(WriteError::InsideContent {
            output: output.to_path_buf(),
        });
    }
    Ok(out)
}

/// A relative output path made safe to join under the output folder.
fn safe_join(base: &Path, rel: &str) -> Result<PathBuf, WriteError> {
    let mut path = base.to_path_buf();
    let mut depth = 0;
    for part in rel.split('/') {
        match part {
            "" | "." => {}
            ".." => return Err(WriteError::BadPath { path: rel.into() }),
            p if p.contains('\\') || p.contains('\0') || Path::new(p).is_absolute() => {
                return Err(WriteError::BadPath { path: rel.into() })
            }
            p => {
                path.push(p);
                depth += 1;
            }
        }
    }
    if depth == 0 {
        return Err(WriteError::BadPath { path: rel.into() });
    }
    Ok(path)
}

/// A temporary folder beside the output that files are written into as
/// they come, and that [`Staging::commit`] swaps in. Dropped without a
/// commit, it is removed and the output stays as it was.
pub struct Staging {
    out: PathBuf,
    parent: PathBuf,
    name: String,
    tmp: tempfile::TempDir,
    /// Folders already made (thousands of files share `cerca/indice/`).
    folders: Mutex<HashSet<OsString>>,
}

impl Staging {
    /// Checks the output folder and makes the temporary one beside it.
    pub fn begin(root: &Path, output: &Path) -> Result<Self, WriteError> {
        let out = check_output(root, output)?;
        let parent = out
            .parent()
            .ok_or_else(|| WriteError::Dangerous {
                output: out.clone(),
            })?
            .to_path_buf();
        std::fs::create_dir_all(&parent).map_err(|e| io(&parent, e))?;
        let name = out
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_else(|| "public".into());
        let tmp = tempfile::Builder::new()
            .prefix(&format!(".{name}.new-"))
            .tempdir_in(&parent)
            .map_err(|e| io(&parent, e))?;
        Ok(Staging {
            out,
            parent,
            name,
            tmp,
            folders: Mutex::new(HashSet::new()),
        })
    }

    /// Swaps the written folder in place of the output.
    pub fn commit(self) -> Result<(), WriteError> {
        let Staging {
            out,
            parent,
            name,
            tmp,
            ..
        } = self;
        let kept = tmp.keep();
        if out.exists() {
            let old = tempfile::Builder::new()
                .prefix(&format!(".{name}.old-"))
                .tempdir_in(&parent)
                .map_err(|e| io(&parent, e))?;
            let old_path = old.path().join("previous");
            std::fs::rename(&out, &old_path).map_err(|e| {
                let _ = std::fs::remove_dir_all(&kept);
                io(&out, e)
            })?;
            if let Err(e) = std::fs::rename(&kept, &out) {
                // Put the previous output back.
                let _ = std::fs::rename(&old_path, &out);
                let _ = std::fs::remove_dir_all(&kept);
                return Err(io(&out, e));
            }
            // The previous output goes, folders in parallel (a big site
            // has tens of thousands of files); what is left, `old` takes.
            remove_tree(&old_path);
            drop(old);
        } else {
            std::fs::rename(&kept, &out).map_err(|e| {
                let _ = std::fs::remove_dir_all(&kept);
                io(&out, e)
            })?;
        }
        Ok(())
    }
}

/// Removes the folder at `path` and what it holds, its subfolders in
/// parallel; stops quietly on what it cannot remove.
fn remove_tree(path: &Path) {
    let Ok(entries) = std::fs::read_dir(path) else {
        return;
    };
    let entries: Vec<_> = entries.filter_map(Result::ok).collect();
    entries.par_iter().for_each(|e| {
        let path = e.path();
        match e.file_type() {
            Ok(t) if t.is_dir() => remove_tree(&path),
            _ => {
                let _ = std::fs::remove_file(&path);
            }
        }
    });
    let _ = std::fs::remove_dir(path);
}

impl Sink for Staging {
    fn put(&self, file: Output) -> Result<(), WriteError> {
        let path = safe_join(self.tmp.path(), &file.path)?;
        if let Some(dir) = path.parent() {
            let folders = || self.folders.lock().unwrap_or_else(|e| e.into_inner());
            if !folders().contains(dir.as_os_str()) {
                std::fs::create_dir_all(dir).map_err(|e| io(dir, e))?;
                folders().insert(dir.as_os_str().to_owned());
            }
        }
        // The folder starts empty, so a file already there is another
        // output's: the system tells, and two on one path cannot race.
        let mut to = std::fs::File::options()
            .write(true)
            .create_new(true)
            .open(&path)
            .map_err(|e| match e.kind() {
                std::io::ErrorKind::AlreadyExists => WriteError::Duplicate {
                    path: file.path.clone(),
                },
                _ => io(&path, e),
            })?;
        match &file.body {
            Body::Bytes(b) => to.write_all(b).map_err(|e| io(&path, e)),
            Body::Copy(from) => std::fs::File::open(from)
                .and_then(|mut from| std::io::copy(&mut from, &mut to))
                .map(|_| ())
                .map_err(|e| io(from, e)),
        }
    }
}

/// Writes `outputs` to `output` atomically.
pub fn write(root: &Path, output: &Path, outputs: &[Output]) -> Result<(), WriteError> {
    let staging = Staging::begin(root, output)?;
    outputs
        .par_iter()
        .try_for_each(|o| staging.put(o.clone()))?;
    staging.commit()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_root_content_and_ancestors() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        std::fs::create_dir_all(root.join("content")).unwrap();
        assert!(check_output(&root, &root).is_err());
        assert!(check_output(&root, &root.join("content")).is_err());
        assert!(check_output(&root, dir.path()).is_err());
        assert!(check_output(&root, &root.join("content/x")).is_err());
        assert!(check_output(&root, &root.join("public/..")).is_err());
        assert!(check_output(&root, &root.join("public")).is_ok());
        assert!(check_output(&root, Path::new("/")).is_err());
    }

    #[test]
    fn paths_cannot_climb_out() {
        let base = Path::new("/tmp/x");
        assert!(safe_join(base, "a/../../b").is_err());
        assert!(safe_join(base, "").is_err());
        assert_eq!(safe_join(base, "a/b.html").unwrap(), base.join("a/b.html"));
    }

    #[test]
    fn swap_replaces_and_failure_keeps_previous() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("content")).unwrap();
        let out = root.join("public");
        write(root, &out, &[Output::bytes("a.html", "uno")]).unwrap();
        write(root, &out, &[Output::bytes("b.html", "due")]).unwrap();
        assert!(!out.join("a.html").exists());
        assert_eq!(std::fs::read_to_string(out.join("b.html")).unwrap(), "due");
        let bad = [
            Output::bytes("c.html", "tre"),
            Output::bytes("../evil.html", "x"),
        ];
        assert!(write(root, &out, &bad).is_err());
        assert_eq!(std::fs::read_to_string(out.join("b.html")).unwrap(), "due");
        assert!(!root.join("evil.html").exists());
        let twice = [Output::bytes("d.html", "1"), Output::bytes("./d.html", "2")];
        assert!(matches!(
            write(root, &out, &twice),
            Err(WriteError::Duplicate { .. })
        ));
        assert_eq!(std::fs::read_to_string(out.join("b.html")).unwrap(), "due");
        let leftovers: Vec<_> = std::fs::read_dir(root)
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(leftovers.len(), 2, "{leftovers:?}");
    }

    #[test]
    fn the_previous_output_goes_whole_and_links_in_it_are_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("sito");
        std::fs::create_dir_all(root.join("content")).unwrap();
        let outside = dir.path().join("fuori");
        std::fs::create_dir_all(&outside).unwrap();
        std::fs::write(outside.join("tenere.txt"), "resta").unwrap();
        let out = root.join("public");
        let many: Vec<Output> = (0..40)
            .map(|i| Output::bytes(format!("t/p{i}/index.html"), "x"))
            .collect();
        write(&root, &out, &many).unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(&outside, out.join("t").join("link")).unwrap();
        write(&root, &out, &[Output::bytes("nuovo.html", "y")]).unwrap();
        assert!(!out.join("t").exists());
        assert_eq!(
            std::fs::read_to_string(outside.join("tenere.txt")).unwrap(),
            "resta"
        );
        let names: Vec<_> = std::fs::read_dir(&root)
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        assert!(!names.iter().any(|n| n.contains(".old-")), "{names:?}");
    }
}
