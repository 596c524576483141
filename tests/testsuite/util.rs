//! Helpers for the end-to-end tests: a fixture site copied into a fresh
//! temporary folder, the real `pillole` binary run in a cleared environment
//! with "today" pinned, and checks that panic with everything needed to
//! understand a failure (command, folder, exit status, stdout, stderr and the
//! files on disk).
//!
//! Fixtures live in `tests/fixtures/NAME/`, one small site per behaviour.
//! Nothing here ever writes into the repository: sites are copied first, and
//! the demo site (the repository root) is only read, with its output sent to
//! a temporary folder.

#![allow(dead_code)] // Some helpers serve only the tests of one feature at a time.

use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

/// "Today" for every build and check: 23 November 2026, 10:00 in Rome.
pub const NOW: &str = "2026-11-23T10:00";

/// The repository root, which is also the demo site.
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A site in a temporary folder: `<tmp>/site` is the site root, and builds
/// go to `<tmp>/out`, beside it (so the temporary folder a build swaps
/// through is visible and checkable too).
pub struct Site {
    tmp: tempfile::TempDir,
    pub root: PathBuf,
    /// The demo site is the repository itself: never written to.
    read_only: bool,
}

impl Site {
    /// Copies `tests/fixtures/<name>` into a new temporary folder.
    #[track_caller]
    pub fn fixture(name: &str) -> Site {
        let from = repo_root().join("tests/fixtures").join(name);
        assert!(from.is_dir(), "no fixture folder {}", from.display());
        let site = Site::empty();
        copy_dir(&from, &site.root);
        site
    }

    /// A temporary folder with no site in it yet (`root` does not exist).
    pub fn empty() -> Site {
        let tmp = tempfile::Builder::new()
            .prefix("pillole-test-")
            .tempdir()
            .expect("cannot create a temporary folder");
        let root = tmp.path().join("site");
        Site {
            tmp,
            root,
            read_only: false,
        }
    }

    /// The demo site (the repository root, read only) with a temporary
    /// folder for its output.
    pub fn demo() -> Site {
        let site = Site::empty();
        Site {
            root: repo_root(),
            read_only: true,
            ..site
        }
    }

    /// The temporary folder that holds the site and its output.
    pub fn tmp(&self) -> &Path {
        self.tmp.path()
    }

    /// A path under the site root.
    pub fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    /// The default output folder of [`Site::build`].
    pub fn out(&self) -> PathBuf {
        self.tmp.path().join("out")
    }

    /// Writes a file under the site root, creating its folders.
    #[track_caller]
    pub fn write(&self, rel: &str, bytes: impl AsRef<[u8]>) {
        assert!(!self.read_only, "tests never write into the repository");
        let path = self.path(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("cannot create folder");
        }
        std::fs::write(&path, bytes).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
    }

    /// Runs `pillole ARGS` with the site root as working directory (the
    /// temporary folder when there is no site yet, or for the demo).
    pub fn run<S: AsRef<OsStr>>(&self, args: &[S]) -> Run {
        let cwd = if self.root.is_dir() && !self.read_only {
            self.root.clone()
        } else {
            self.tmp.path().to_path_buf()
        };
        run_in(&cwd, self.tmp.path(), args)
    }

    /// `pillole build --root ROOT --output <tmp>/out --now NOW`.
    pub fn build(&self) -> Run {
        self.build_into(&self.out())
    }

    /// A file of `<tmp>/out`, as text.
    #[track_caller]
    pub fn read_out(&self, rel: &str) -> String {
        read(&self.out().join(rel))
    }

    /// `pillole build --drafts --root ROOT --output <tmp>/out --now NOW`.
    pub fn build_drafts(&self) -> Run {
        self.build_with(&["--drafts"], NOW, &self.out())
    }

    /// `pillole build --root ROOT --output OUTPUT --now NOW`.
    pub fn build_into(&self, output: &Path) -> Run {
        self.build_as_of(NOW, output)
    }

    /// `pillole build --root ROOT --output OUTPUT --now now`.
    pub fn build_as_of(&self, now: &str, output: &Path) -> Run {
        self.build_with(&[], now, output)
    }

    /// `pillole build FLAGS --root ROOT --output OUTPUT --now now`.
    fn build_with(&self, flags: &[&str], now: &str, output: &Path) -> Run {
        let mut args: Vec<&OsStr> = vec![OsStr::new("build")];
        args.extend(flags.iter().map(OsStr::new));
        args.extend([
            OsStr::new("--root"),
            self.root.as_os_str(),
            OsStr::new("--output"),
            output.as_os_str(),
            OsStr::new("--now"),
            OsStr::new(now),
        ]);
        self.run(&args)
    }

    /// Builds as of `now` into `<tmp>/OUT`, which must succeed.
    #[track_caller]
    pub fn built(&self, now: &str, out: &str) -> Built {
        let dir = self.tmp.path().join(out);
        self.build_as_of(now, &dir).success();
        Built { dir }
    }

    /// Builds as of `now`, which must fail with exit code 1 and leave no
    /// output; returns the messages.
    #[track_caller]
    pub fn build_error(&self, now: &str) -> String {
        let run = self.build_as_of(now, &self.out());
        run.code(1);
        if self.out().exists() {
            run.fail("a failed build left an output folder");
        }
        run.stderr.clone()
    }

    /// `pillole check --root ROOT --now NOW --format json`, parsed.
    #[track_caller]
    pub fn check_json(&self) -> (Run, Vec<serde_json::Value>) {
        let run = self.run(&[
            OsStr::new("check"),
            OsStr::new("--root"),
            self.root.as_os_str(),
            OsStr::new("--now"),
            OsStr::new(NOW),
            OsStr::new("--format"),
            OsStr::new("json"),
        ]);
        let parsed: Result<Vec<serde_json::Value>, _> = serde_json::from_str(&run.stdout);
        match parsed {
            Ok(list) => (run, list),
            Err(e) => run.fail(format!("stdout is not a JSON array of diagnostics: {e}")),
        }
    }
}

/// The output folder of a build, read by path relative to it.
pub struct Built {
    pub dir: PathBuf,
}

impl Built {
    #[track_caller]
    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.dir.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }

    #[track_caller]
    pub fn bytes(&self, rel: &str) -> Vec<u8> {
        std::fs::read(self.dir.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }

    pub fn exists(&self, rel: &str) -> bool {
        self.dir.join(rel).exists()
    }
}

/// Runs the real binary in `cwd` with a cleared environment. `listing` is
/// the folder whose files are shown when a check on the result fails.
pub fn run_in<S: AsRef<OsStr>>(cwd: &Path, listing: &Path, args: &[S]) -> Run {
    let bin = env!("CARGO_BIN_EXE_pillole");
    let mut cmd = Command::new(bin);
    // Nothing from the caller's environment may change the output: no
    // NO_COLOR / CLICOLOR / TERM, no RUST_LOG, no TZ, no locale.
    cmd.env_clear().current_dir(cwd).args(args);
    let mut command = String::from("pillole");
    for a in args {
        command.push(' ');
        command.push_str(&shell_quote(&a.as_ref().to_string_lossy()));
    }
    let output = cmd
        .output()
        .unwrap_or_else(|e| panic!("cannot run {bin}: {e}"));
    let run = Run {
        command,
        cwd: cwd.to_path_buf(),
        listing: listing.to_path_buf(),
        code: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    };
    if run.stderr.contains("panicked") || run.code.is_none() || run.code == Some(101) {
        run.fail("the program panicked or was killed (a panic is always a bug)");
    }
    run
}

fn shell_quote(s: &str) -> String {
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:=@".contains(c))
    {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

/// The outcome of one run of the binary.
pub struct Run {
    pub command: String,
    pub cwd: PathBuf,
    listing: PathBuf,
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Panics with `why` and everything about this run.
    #[track_caller]
    pub fn fail(&self, why: impl std::fmt::Display) -> ! {
        let mut files = String::new();
        for (i, f) in list_files(&self.listing).iter().enumerate() {
            if i == 300 {
                files.push_str("  ...\n");
                break;
            }
            let _ = writeln!(files, "  {f}");
        }
        panic!(
            "\n{why}\n\ncommand: {}\ncwd: {}\nexit code: {:?}\n\n--- stdout ---\n{}\n--- stderr ---\n{}\n--- files under {} ---\n{files}",
            self.command,
            self.cwd.display(),
            self.code,
            self.stdout,
            self.stderr,
            self.listing.display(),
        );
    }

    /// Exit code 0.
    #[track_caller]
    pub fn success(&self) -> &Self {
        self.code(0)
    }

    #[track_caller]
    pub fn code(&self, expected: i32) -> &Self {
        if self.code != Some(expected) {
            self.fail(format!("expected exit code {expected}"));
        }
        self
    }

    #[track_caller]
    pub fn stderr_has(&self, needle: &str) -> &Self {
        if !self.stderr.contains(needle) {
            self.fail(format!("stderr should contain {needle:?}"));
        }
        self
    }

    #[track_caller]
    pub fn stderr_lacks(&self, needle: &str) -> &Self {
        if self.stderr.contains(needle) {
            self.fail(format!("stderr should not contain {needle:?}"));
        }
        self
    }

    /// No warning and no error among the messages.
    #[track_caller]
    pub fn no_diagnostics(&self) -> &Self {
        self.stderr_lacks("avviso[").stderr_lacks("errore[")
    }

    /// A diagnostic with this rule on this file at this line, in the human
    /// form `errore[RULE]: FILE:LINE:COLUMN: ...`.
    #[track_caller]
    pub fn diagnostic(&self, severity: &str, rule: &str, file: &str, line: usize) -> &Self {
        self.stderr_has(&format!("{severity}[{rule}]: {file}:{line}:"))
    }

    /// A diagnostic with this rule on this file, whatever the line.
    #[track_caller]
    pub fn diagnostic_on(&self, severity: &str, rule: &str, file: &str) -> &Self {
        self.stderr_has(&format!("{severity}[{rule}]: {file}:"))
    }
}

/// Every file and folder under `dir`, relative and sorted; folders end in
/// `/`, symbolic links show their target.
pub fn list_files(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(dir).min_depth(1).sort_by_file_name() {
        let Ok(entry) = entry else { continue };
        let rel = entry
            .path()
            .strip_prefix(dir)
            .unwrap_or(entry.path())
            .to_string_lossy()
            .into_owned();
        if entry.path_is_symlink() {
            let target = std::fs::read_link(entry.path()).unwrap_or_default();
            out.push(format!("{rel} -> {}", target.display()));
        } else if entry.file_type().is_dir() {
            out.push(format!("{rel}/"));
        } else {
            out.push(rel);
        }
    }
    out
}

/// Every file under `dir` (relative path -> bytes) and every folder
/// (`path/` -> empty), for byte-for-byte comparisons.
#[track_caller]
pub fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    assert!(dir.is_dir(), "{} is not a folder", dir.display());
    let mut out = BTreeMap::new();
    for entry in walkdir::WalkDir::new(dir).min_depth(1) {
        let entry = entry.expect("cannot walk the output");
        let rel = entry
            .path()
            .strip_prefix(dir)
            .expect("walked path outside its root")
            .to_string_lossy()
            .into_owned();
        if entry.file_type().is_dir() {
            out.insert(format!("{rel}/"), Vec::new());
        } else {
            let bytes = std::fs::read(entry.path()).expect("cannot read output file");
            out.insert(rel, bytes);
        }
    }
    out
}

/// Panics naming the paths that differ between two trees.
#[track_caller]
pub fn assert_same_tree(a: &BTreeMap<String, Vec<u8>>, b: &BTreeMap<String, Vec<u8>>, what: &str) {
    let only_a: Vec<&String> = a.keys().filter(|k| !b.contains_key(*k)).collect();
    let only_b: Vec<&String> = b.keys().filter(|k| !a.contains_key(*k)).collect();
    let changed: Vec<&String> = a
        .iter()
        .filter(|(k, v)| b.get(*k).is_some_and(|w| w != *v))
        .map(|(k, _)| k)
        .collect();
    if !only_a.is_empty() || !only_b.is_empty() || !changed.is_empty() {
        panic!(
            "{what}: trees differ\n only in the first: {only_a:?}\n only in the second: {only_b:?}\n different bytes: {changed:?}"
        );
    }
}

/// Copies a folder recursively (plain files and folders only).
#[track_caller]
pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("cannot walk fixture");
        let rel = entry.path().strip_prefix(from).expect("walked outside");
        let dest = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).expect("cannot create folder");
        } else {
            std::fs::copy(entry.path(), &dest)
                .unwrap_or_else(|e| panic!("copy {}: {e}", entry.path().display()));
        }
    }
}

/// Reads a text file the test expects to exist.
#[track_caller]
pub fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}
