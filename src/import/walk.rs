//! What of SRC goes where in DEST: which files are documents (and their new
//! path under `content/`), which are copied as they are, and which are left
//! out and why. Knows each generator's folders: Hugo's and Zola's
//! `content/` and `static/`, Jekyll's `_posts/`, collections (`_name/`,
//! documents under `content/name/`) and other `_`-folders, mdBook's `src/`
//! and `SUMMARY.md`.
//!
//! Static files go under `content/` at the address they had: pillole copies
//! every file there to the same place, and its checks then know them (a
//! file in a site's `static/` folder is a theme override, and a link to it
//! would be reported as broken). Nothing is read here but names, and the
//! first line of files that may be templates.

use super::layout::{Collection, Layout, SourceSite};
use crate::content::load::is_ignored;
use chrono::NaiveDate;
use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

/// A document to import.
#[derive(Clone, Debug)]
pub struct DocSource {
    pub abs: PathBuf,
    /// Relative to SRC, `/`-separated.
    pub src_rel: String,
    /// Relative to the old content folder, as the old generator saw it.
    pub content_rel: String,
    /// Relative to DEST's `content/`.
    pub dest_rel: String,
    /// File name without extension and date (`ciao` for `2024-01-05-ciao.md`).
    pub name: String,
    pub name_date: Option<NaiveDate>,
    pub is_post: bool,
    pub is_draft: bool,
    /// The Jekyll collection it is a document of (`components`).
    pub collection: Option<String>,
    /// Place in mdBook's SUMMARY.md.
    pub order: Option<i64>,
}

/// A file copied as it is.
#[derive(Clone, Debug)]
pub struct FileCopy {
    pub abs: PathBuf,
    pub src_rel: String,
    /// Relative to DEST's `content/`.
    pub dest_rel: String,
}

/// The plan: documents, files, and what was left out.
#[derive(Debug, Default)]
pub struct Plan {
    pub docs: Vec<DocSource>,
    pub files: Vec<FileCopy>,
    /// (SRC-relative path, why it was left out).
    pub skipped: Vec<(String, String)>,
    /// Top folders renamed because pillole gives their name a meaning
    /// (`eventi` -> `eventi-importati`).
    pub renamed: Vec<(String, String)>,
}

/// Addresses the theme or pillole itself writes: a copied file must not take them.
pub fn reserved_files(theme_statics: &HashSet<String>, rel: &str) -> bool {
    const MADE: &[&str] = &[
        "robots.txt",
        "sitemap.xml",
        "404.html",
        "sw.js",
        "manifest.webmanifest",
        "index.html",
    ];
    MADE.contains(&rel) || theme_statics.contains(rel)
}

fn is_markdown(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.ends_with(".md") || lower.ends_with(".markdown")
}

/// Whether a file starts with a header (a Jekyll template, a Hugo HTML page).
fn has_header(path: &Path) -> bool {
    use std::io::Read;
    let mut head = [0u8; 4];
    let n = std::fs::File::open(path)
        .and_then(|mut f| f.read(&mut head))
        .unwrap_or(0);
    let head = &head[..n];
    head.starts_with(b"---") || head.starts_with(b"+++")
}

/// `2024-01-05-ciao` -> the date and `ciao` (Jekyll's and Zola's dated names).
pub fn dated_name(stem: &str) -> (Option<NaiveDate>, &str) {
    if stem.len() > 11 && stem.is_char_boundary(10) {
        if let Ok(d) = NaiveDate::parse_from_str(&stem[..10], "%Y-%m-%d") {
            let rest = &stem[10..];
            if let Some(name) = rest.strip_prefix(['-', '_']) {
                return (Some(d), name);
            }
        }
    }
    (None, stem)
}

fn stem_of(file: &str) -> &str {
    file.rsplit_once('.').map_or(file, |(s, _)| s)
}

/// Every file under `dir` (not following links), sorted, with its path
/// relative to `dir`. Folders for which `skip_dir` says so are not entered;
/// hidden files and editor leftovers are left out.
/// The folders (relative) that hold an `index.md`.
fn folders_with_index(listed: &[(PathBuf, String)]) -> HashSet<String> {
    listed
        .iter()
        .filter(|(_, r)| {
            stem_of(r.rsplit('/').next().unwrap_or("")).eq_ignore_ascii_case("index")
                && is_markdown(r)
        })
        .map(|(_, r)| {
            r.rsplit_once('/')
                .map_or(String::new(), |(d, _)| d.to_string())
        })
        .collect()
}

fn files_under(
    dir: &Path,
    skip_dir: &dyn Fn(&str) -> bool,
    plan: &mut Plan,
    src: &Path,
) -> Vec<(PathBuf, String)> {
    let mut out = Vec::new();
    if !dir.is_dir() {
        return out;
    }
    let mut walker = walkdir::WalkDir::new(dir).sort_by_file_name().into_iter();
    while let Some(entry) = walker.next() {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let path = e.path().map(|p| rel_to(src, p)).unwrap_or_default();
                plan.skipped.push((path, "non si può leggere".into()));
                continue;
            }
        };
        if entry.depth() == 0 {
            continue;
        }
        let name = entry.file_name().to_string_lossy();
        let rel = rel_to(dir, entry.path());
        if is_ignored(&name) {
            if entry.file_type().is_dir() {
                walker.skip_current_dir();
            }
            continue;
        }
        if entry.path_is_symlink() {
            plan.skipped.push((
                rel_to(src, entry.path()),
                "collegamento simbolico, non seguito".into(),
            ));
            continue;
        }
        if entry.file_type().is_dir() {
            if skip_dir(&rel) {
                walker.skip_current_dir();
            }
            continue;
        }
        out.push((entry.into_path(), rel));
    }
    out
}

/// `path` relative to `base`, `/`-separated.
pub fn rel_to(base: &Path, path: &Path) -> String {
    crate::content::load::relative(base, path)
}

/// Lists what to import from `src`.
pub fn plan(src: &Path, site: &SourceSite, theme_statics: &HashSet<String>) -> Plan {
    let mut plan = Plan::default();
    match site.layout {
        Layout::Hugo | Layout::Zola => hugo_like(src, site, &mut plan),
        Layout::Jekyll => jekyll(src, site, &mut plan),
        Layout::MdBook => mdbook(src, site, &mut plan),
        Layout::Plain => plain(src, site, &mut plan),
    }
    rename_kind_folders(&mut plan);
    finish(&mut plan, theme_statics);
    plan
}

/// A document to read at `abs`, named after its new file.
pub fn doc(abs: PathBuf, src_rel: String, content_rel: String, dest_rel: String) -> DocSource {
    let file = dest_rel.rsplit('/').next().unwrap_or("");
    DocSource {
        abs,
        src_rel,
        content_rel,
        name: stem_of(file).to_string(),
        dest_rel,
        name_date: None,
        is_post: false,
        is_draft: false,
        collection: None,
        order: None,
    }
}

/// `.markdown` written as `.md`, and a folder's `index.md` (or
/// `README.md`, when `readme` is set) as its `_index.md`.
fn dest_of(rel: &str, index_to_section: bool, readme: bool) -> String {
    let (dir, file) = match rel.rsplit_once('/') {
        Some((d, f)) => (format!("{d}/"), f),
        None => (String::new(), rel),
    };
    let stem = stem_of(file);
    let lower = stem.to_ascii_lowercase();
    if (index_to_section && lower == "index") || (readme && lower == "readme") {
        return format!("{dir}_index.md");
    }
    format!("{dir}{stem}.md")
}

fn hugo_like(src: &Path, site: &SourceSite, plan: &mut Plan) {
    let content = src.join(&site.content_dir);
    for (abs, rel) in files_under(&content, &|_| false, plan, src) {
        let src_rel = rel_to(src, &abs);
        if is_markdown(&rel) {
            let mut d = doc(abs, src_rel, rel.clone(), dest_of(&rel, false, false));
            if site.layout == Layout::Zola {
                let (date, name) = dated_name(stem_of(rel.rsplit('/').next().unwrap_or("")));
                if date.is_some() {
                    d.name_date = date;
                    d.name = name.to_string();
                    let dir = rel
                        .rsplit_once('/')
                        .map_or(String::new(), |(d, _)| format!("{d}/"));
                    d.dest_rel = format!("{dir}{name}.md");
                }
            }
            plan.docs.push(d);
        } else if not_content_format(&abs, &rel) {
            plan.skipped
                .push((src_rel, "pagina in un formato che pillole non legge".into()));
        } else {
            plan.files.push(FileCopy {
                abs,
                src_rel,
                dest_rel: rel,
            });
        }
    }
    static_files(src, site, plan);
}

/// The files of the site's static folders, at the addresses they were
/// published under.
fn static_files(src: &Path, site: &SourceSite, plan: &mut Plan) {
    for (dir, under) in &site.static_dirs {
        for (abs, rel) in files_under(&src.join(dir), &|_| false, plan, src) {
            let src_rel = rel_to(src, &abs);
            if is_markdown(&rel) {
                plan.skipped
                    .push((src_rel, "file Markdown tra i file statici".into()));
            } else {
                let dest_rel = if under.is_empty() {
                    rel
                } else {
                    format!("{under}/{rel}")
                };
                plan.files.push(FileCopy {
                    abs,
                    src_rel,
                    dest_rel,
                });
            }
        }
    }
}

/// A content file in a format pillole does not read (HTML pages with a
/// header, AsciiDoc, Org, reStructuredText).
fn not_content_format(abs: &Path, rel: &str) -> bool {
    let lower = rel.to_ascii_lowercase();
    [
        ".adoc",
        ".asciidoc",
        ".org",
        ".rst",
        ".pandoc",
        ".pdc",
        ".mmark",
    ]
    .iter()
    .any(|e| lower.ends_with(e))
        || ((lower.ends_with(".html") || lower.ends_with(".htm")) && has_header(abs))
}

fn jekyll(src: &Path, site: &SourceSite, plan: &mut Plan) {
    let exclude: Vec<String> = site.exclude.clone();
    let excluded = move |rel: &str| {
        exclude
            .iter()
            .any(|e| rel == e || rel.starts_with(&format!("{e}/")))
            || [
                "_site",
                "node_modules",
                "vendor",
                ".jekyll-cache",
                ".sass-cache",
            ]
            .contains(&rel)
    };
    // Each collection's folder (`_components`, `dir/_components`).
    let collections: Vec<(String, &Collection)> = site
        .collections
        .iter()
        .filter(|c| c.name != "posts" && c.name != "drafts")
        .map(|c| {
            let folder = if site.collections_dir.is_empty() {
                format!("_{}", c.name)
            } else {
                format!("{}/_{}", site.collections_dir, c.name)
            };
            (folder, c)
        })
        .collect();
    let skip_dir = |rel: &str| {
        let name = rel.rsplit('/').next().unwrap_or(rel);
        let collection = collections.iter().any(|(f, _)| f == rel);
        excluded(rel)
            || (name.starts_with('_') && name != "_posts" && name != "_drafts" && !collection)
    };
    let cdir_parts: Vec<&str> = site
        .collections_dir
        .split('/')
        .filter(|p| !p.is_empty())
        .collect();
    const PROJECT_FILES: &[&str] = &[
        "readme",
        "license",
        "licence",
        "changelog",
        "contributing",
        "code_of_conduct",
        "security",
    ];
    for (abs, rel) in files_under(src, &skip_dir, plan, src) {
        let file_name = rel.rsplit('/').next().unwrap_or("").to_string();
        let file = file_name.as_str();
        if excluded(&rel) || file.starts_with('_') || file.starts_with("Gemfile") {
            continue;
        }
        let parts: Vec<String> = rel.split('/').map(str::to_string).collect();
        let folders: Vec<&str> = parts[..parts.len() - 1]
            .iter()
            .map(String::as_str)
            .collect();
        let folders = folders.as_slice();
        if let Some((folder, c)) = collections
            .iter()
            .find(|(f, _)| rel.starts_with(&format!("{f}/")))
        {
            collection_file(site, plan, c, abs, &rel, &rel[folder.len() + 1..]);
            continue;
        }
        let in_posts = folders
            .iter()
            .position(|f| *f == "_posts" || *f == "_drafts");
        if !is_markdown(&rel) {
            if in_posts.is_none() && has_header(&abs) {
                plan.skipped
                    .push((rel, "modello o pagina con Liquid: da rifare a mano".into()));
            } else if in_posts.is_none() {
                plan.files.push(FileCopy {
                    abs,
                    src_rel: rel.clone(),
                    dest_rel: rel,
                });
            }
            continue;
        }
        let lower_stem = stem_of(file).to_ascii_lowercase();
        if folders.is_empty() && PROJECT_FILES.contains(&lower_stem.as_str()) && !has_header(&abs) {
            plan.skipped
                .push((rel, "file del progetto, non una pagina".into()));
            continue;
        }
        match in_posts {
            Some(k) => {
                let (date, name) = dated_name(stem_of(file));
                let is_draft = folders[k] == "_drafts";
                if date.is_none() && !is_draft {
                    plan.skipped.push((
                        rel,
                        "articolo senza data nel nome (AAAA-MM-GG-nome.md)".into(),
                    ));
                    continue;
                }
                // Folders above `_posts`, without `collections_dir`.
                let above = match folders[..k].strip_prefix(cdir_parts.as_slice()) {
                    Some(rest) => rest,
                    None => &folders[..k],
                };
                let mut dest: Vec<&str> = above.to_vec();
                dest.push("posts");
                dest.extend(&folders[k + 1..]);
                let dest_rel = format!("{}/{name}.md", dest.join("/"));
                let mut d = doc(abs, rel.clone(), rel, dest_rel);
                d.name = name.to_string();
                d.name_date = date;
                d.is_post = !is_draft;
                d.is_draft = is_draft;
                plan.docs.push(d);
            }
            None => {
                let dest_rel = dest_of(&rel, true, false);
                plan.docs.push(doc(abs, rel.clone(), rel, dest_rel));
            }
        }
    }
}

/// A file of a Jekyll collection's folder (`inner` is its path there):
/// with a header, a document under `content/<collection>/`; Markdown
/// without one was copied by Jekyll as it was, not made a page, and is
/// left out (a template includes it); other files are copied to the
/// address Jekyll gave them. Nothing of a collection with `output: false`
/// was published.
fn collection_file(
    site: &SourceSite,
    plan: &mut Plan,
    c: &Collection,
    abs: PathBuf,
    rel: &str,
    inner: &str,
) {
    let rel = rel.to_string();
    if !c.output {
        plan.skipped.push((
            rel,
            format!(
                "raccolta «{}» con output: false, non pubblicata nel vecchio sito",
                c.name
            ),
        ));
        return;
    }
    let header = has_header(&abs);
    if is_markdown(inner) && header {
        let dest_rel = dest_of(&format!("{}/{inner}", c.name), true, false);
        let mut d = doc(abs, rel.clone(), rel, dest_rel);
        d.collection = Some(c.name.clone());
        // Jekyll dates a document by its name, as a post.
        d.name_date = dated_name(&d.name).0;
        plan.docs.push(d);
    } else if is_markdown(inner) {
        plan.skipped.push((
            rel,
            "testo senza intestazione in una raccolta: Jekyll non ne faceva una pagina (lo includono i modelli)".into(),
        ));
    } else if header {
        plan.skipped
            .push((rel, "modello o pagina con Liquid: da rifare a mano".into()));
    } else {
        let address = super::addresses::collection_file(site, c, inner);
        plan.files.push(FileCopy {
            abs,
            src_rel: rel,
            dest_rel: address.trim_start_matches('/').to_string(),
        });
    }
}

fn mdbook(src: &Path, site: &SourceSite, plan: &mut Plan) {
    let book = src.join(&site.content_dir);
    let order = summary_order(&book.join("SUMMARY.md"));
    let listed = files_under(&book, &|_| false, plan, src);
    let has_index = folders_with_index(&listed);
    for (abs, rel) in listed {
        let src_rel = rel_to(src, &abs);
        if rel == "SUMMARY.md" {
            continue;
        }
        if !is_markdown(&rel) {
            plan.files.push(FileCopy {
                abs,
                src_rel,
                dest_rel: rel,
            });
            continue;
        }
        if !order.is_empty() && !order.contains_key(&rel) {
            plan.skipped.push((
                src_rel,
                "non è nel SUMMARY.md (testo incluso o pagina non pubblicata)".into(),
            ));
            continue;
        }
        let dir = rel
            .rsplit_once('/')
            .map_or(String::new(), |(d, _)| d.to_string());
        let readme = !has_index.contains(&dir);
        let mut d = doc(abs, src_rel, rel.clone(), dest_of(&rel, true, readme));
        d.order = order.get(&rel).copied();
        plan.docs.push(d);
    }
}

/// Each chapter's place in SUMMARY.md (1 for the first).
fn summary_order(path: &Path) -> BTreeMap<String, i64> {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let mut order = BTreeMap::new();
    let mut n = 0;
    for line in text.lines() {
        let Some(open) = line.find("](") else {
            continue;
        };
        let Some(close) = line[open + 2..].find(')') else {
            continue;
        };
        let target = line[open + 2..open + 2 + close].trim();
        let target = target
            .trim_start_matches("./")
            .split('#')
            .next()
            .unwrap_or("");
        if target.is_empty() || order.contains_key(target) {
            continue;
        }
        n += 1;
        order.insert(target.to_string(), n);
    }
    order
}

fn plain(src: &Path, site: &SourceSite, plan: &mut Plan) {
    // A Gatsby site's code, build folders and YAML data (read by
    // `gatsby`) are not content; its `static/` is the top of the site.
    let skip_dir = |rel: &str| {
        rel == "node_modules"
            || (site.gatsby && ["public", ".cache", "plugins", "static"].contains(&rel))
    };
    let listed = files_under(src, &skip_dir, plan, src);
    let has_index = folders_with_index(&listed);
    for (abs, rel) in listed {
        if !is_markdown(&rel) {
            let lower = rel.to_ascii_lowercase();
            let code = !rel.contains('/') || rel.starts_with("src/");
            if site.gatsby && (code || lower.ends_with(".yml") || lower.ends_with(".yaml")) {
                plan.skipped
                    .push((rel, "codice o dati del vecchio sito (Gatsby)".into()));
                continue;
            }
            plan.files.push(FileCopy {
                abs,
                src_rel: rel.clone(),
                dest_rel: rel,
            });
            continue;
        }
        if site.gatsby && !rel.contains('/') {
            plan.skipped.push((
                rel,
                "documento del repository, non del sito (Gatsby)".into(),
            ));
            continue;
        }
        let dir = rel
            .rsplit_once('/')
            .map_or(String::new(), |(d, _)| d.to_string());
        let readme = !has_index.contains(&dir);
        let dest_rel = dest_of(&rel, true, readme);
        plan.docs.push(doc(abs, rel.clone(), rel, dest_rel));
    }
    static_files(src, site, plan);
}

/// pillole reads `eventi/` as events (they need `start` and `end`) and
/// `tutorial/` as guides made of steps (`##` headings): old pages there
/// go to a folder of their own, unless every tutorial has steps. Folders
/// named like pages pillole makes itself (`servizi/`, `tag/`, `municipi/`,
/// `cerca/`, `offline/`) are renamed the same way.
fn rename_kind_folders(plan: &mut Plan) {
    let tutorials_have_steps = plan
        .docs
        .iter()
        .filter(|d| d.dest_rel.starts_with("tutorial/") && !d.dest_rel.ends_with("/_index.md"))
        .all(|d| {
            std::fs::read_to_string(&d.abs).is_ok_and(|t| t.lines().any(|l| l.starts_with("## ")))
        });
    for (folder, keep) in [
        ("eventi", false),
        ("tutorial", tutorials_have_steps),
        ("servizi", false),
        ("tag", false),
        ("municipi", false),
        ("cerca", false),
        ("offline", false),
    ] {
        let prefix = format!("{folder}/");
        let used = plan.docs.iter().any(|d| d.dest_rel.starts_with(&prefix));
        if keep || !used {
            continue;
        }
        let new = format!("{folder}-importati/");
        for d in &mut plan.docs {
            if let Some(rest) = d.dest_rel.strip_prefix(&prefix) {
                d.dest_rel = format!("{new}{rest}");
            }
        }
        for f in &mut plan.files {
            if let Some(rest) = f.dest_rel.strip_prefix(&prefix) {
                f.dest_rel = format!("{new}{rest}");
            }
        }
        plan.renamed
            .push((folder.to_string(), new.trim_end_matches('/').to_string()));
    }
}

/// Two documents with one new path: the second gets `-2`. Files that
/// would take an address of pillole's, or of another file, are left out.
fn finish(plan: &mut Plan, theme_statics: &HashSet<String>) {
    let mut taken: HashSet<String> = HashSet::new();
    for d in &mut plan.docs {
        if taken.contains(&d.dest_rel) {
            let stem = d.dest_rel.trim_end_matches(".md").to_string();
            let mut n = 2;
            while taken.contains(&format!("{stem}-{n}.md")) {
                n += 1;
            }
            d.dest_rel = format!("{stem}-{n}.md");
            d.name = format!("{}-{n}", d.name);
        }
        taken.insert(d.dest_rel.clone());
    }
    let mut files = Vec::new();
    for f in std::mem::take(&mut plan.files) {
        if reserved_files(theme_statics, &f.dest_rel) {
            plan.skipped
                .push((f.src_rel, "il suo indirizzo è di un file di pillole".into()));
        } else if !taken.insert(f.dest_rel.clone()) {
            plan.skipped
                .push((f.src_rel, "c'è già un file con lo stesso indirizzo".into()));
        } else {
            files.push(f);
        }
    }
    plan.files = files;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dated_names() {
        assert_eq!(
            dated_name("2024-01-05-ciao"),
            (NaiveDate::from_ymd_opt(2024, 1, 5), "ciao")
        );
        assert_eq!(
            dated_name("2024-01-05_ciao"),
            (NaiveDate::from_ymd_opt(2024, 1, 5), "ciao")
        );
        assert_eq!(dated_name("ciao"), (None, "ciao"));
        assert_eq!(dated_name("2024-13-05-x"), (None, "2024-13-05-x"));
    }

    #[test]
    fn index_and_readme_become_sections() {
        assert_eq!(dest_of("a/index.md", true, false), "a/_index.md");
        assert_eq!(dest_of("a/index.md", false, false), "a/index.md");
        assert_eq!(dest_of("README.markdown", true, true), "_index.md");
        assert_eq!(dest_of("a/b.markdown", true, true), "a/b.md");
    }
}
