//! The warm pipeline (what `pillole serve` runs) against a cold build:
//! random sequences of edits (bodies, titles, tags, dates, event times,
//! renames, deletions, new files, template and site.yaml changes) are
//! applied to a generated site, each through the warm pipeline as serve
//! applies it, and after each one every output file must equal what a
//! fresh `pillole build` of the same tree writes.
//!
//! Run with `cargo test --test testsuite incremental::`.

use pillole::output::Body;
use pillole::pipeline::{Changes, Mode, Pipeline, Update};
use pillole::render::RenderOptions;
use proptest::prelude::*;
use proptest::test_runner::RngSeed;
use std::collections::BTreeMap;

const NOW: &str = "2026-11-23T10:00";
const SITE_YAML: &str = "title: Prova\nbase_url: https://pillole.example.org\nfeedback: {email: segnalazioni@example.org}\ndiary_page_size: 2\nlist_page_size: 2\n";
const TAGS: [&str; 4] = ["SPID", "posta", "scuola", "salute"];
const SERVICES: [&str; 3] = ["SPID", "CIE", "PagoPA"];

/// One edit to the site.
#[derive(Clone, Debug)]
enum Edit {
    Body(usize, u8),
    Title(usize, u8),
    Tags(usize, u8),
    Date(usize, u8),
    /// An event's hour; a tutorial's level, a diary entry's Municipio.
    EventTime(usize, u8),
    Rename(usize),
    Delete(usize),
    New(u8),
    Template(u8),
    Config(u8),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        3 => (0..32usize, any::<u8>()).prop_map(|(i, n)| Edit::Body(i, n)),
        3 => (0..32usize, any::<u8>()).prop_map(|(i, n)| Edit::Title(i, n)),
        2 => (0..32usize, any::<u8>()).prop_map(|(i, n)| Edit::Tags(i, n)),
        2 => (0..32usize, any::<u8>()).prop_map(|(i, n)| Edit::Date(i, n)),
        2 => (0..32usize, any::<u8>()).prop_map(|(i, n)| Edit::EventTime(i, n)),
        1 => (0..32usize).prop_map(Edit::Rename),
        1 => (0..32usize).prop_map(Edit::Delete),
        2 => any::<u8>().prop_map(Edit::New),
        1 => any::<u8>().prop_map(Edit::Template),
        1 => any::<u8>().prop_map(Edit::Config),
    ]
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Kind {
    Tutorial,
    Diary,
    Event,
}

/// A page as the test knows it; [`Page::text`] writes its file.
#[derive(Clone, Debug)]
struct Page {
    kind: Kind,
    name: String,
    title: String,
    day: u8,
    hour: u8,
    tags: Vec<&'static str>,
    body: String,
}

impl Page {
    fn new(kind: Kind, n: u8) -> Self {
        Page {
            kind,
            name: format!("pagina-{n}"),
            title: format!("Pagina numero {n}"),
            day: 1 + n % 27,
            hour: 9 + n % 8,
            tags: vec![TAGS[n as usize % TAGS.len()]],
            body: format!("Una frase breve per la pagina {n}."),
        }
    }

    fn dir(&self) -> &'static str {
        match self.kind {
            Kind::Tutorial => "tutorial",
            Kind::Diary => "diario",
            Kind::Event => "eventi",
        }
    }

    fn path(&self) -> String {
        format!("content/{}/{}.md", self.dir(), self.name)
    }

    fn text(&self, events: &[String]) -> String {
        let tags = self.tags.join(", ");
        let mut t = format!(
            "---\ntitle: \"{}\"\nsummary: \"Il riassunto di {}.\"\ntags: [{tags}]\n",
            self.title, self.name
        );
        match self.kind {
            Kind::Tutorial => {
                let service = SERVICES[self.day as usize % SERVICES.len()];
                t += &format!(
                    "date: 2026-03-{:02}\nlevel: {}\nservices: [{service}]\n---\n\n{}\n\n## Apri il sito\n\nApri il sito del servizio.\n\n## Entra\n\nScrivi il tuo nome.\n",
                    self.day,
                    ["facile", "medio", "avanzato"][self.hour as usize % 3],
                    self.body
                );
            }
            Kind::Diary => {
                t += &format!(
                    "date: 2026-04-{:02}\nmunicipio: {}\n",
                    self.day,
                    1 + self.hour % 3
                );
                if let Some(e) = events.get(self.day as usize % events.len().max(1)) {
                    t += &format!("event: {e}\n");
                }
                t += &format!("---\n\n{}\n", self.body);
            }
            Kind::Event => {
                t += &format!(
                    "start: 2026-12-{:02}T{:02}:00\nend: 2026-12-{:02}T{:02}:30\nplace: \"Biblioteca\"\nmunicipio: {}\n---\n\n{}\n",
                    self.day,
                    self.hour,
                    self.day,
                    self.hour,
                    1 + self.day % 9,
                    self.body
                );
            }
        }
        t
    }
}

/// The site: its pages, written under a temporary root.
struct Site {
    dir: tempfile::TempDir,
    pages: Vec<Page>,
}

impl Site {
    fn new() -> Self {
        let site = Site {
            dir: tempfile::tempdir().expect("a temporary folder"),
            pages: (0..9u8)
                .map(|n| {
                    let kind = [Kind::Tutorial, Kind::Diary, Kind::Event][n as usize % 3];
                    Page::new(kind, n)
                })
                .collect(),
        };
        std::fs::create_dir_all(site.root().join("content")).expect("mkdir");
        std::fs::write(site.root().join("site.yaml"), SITE_YAML).expect("write");
        site.write_file("content/_index.md", "---\ntitle: Casa\n---\nBenvenuti.\n");
        for i in 0..site.pages.len() {
            site.write_page(i);
        }
        site
    }

    fn root(&self) -> std::path::PathBuf {
        self.dir.path().join("site")
    }

    fn write_file(&self, rel: &str, text: &str) {
        let path = self.root().join(rel);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    }

    fn events(&self) -> Vec<String> {
        self.pages
            .iter()
            .filter(|p| p.kind == Kind::Event)
            .map(|p| p.name.clone())
            .collect()
    }

    fn write_page(&self, i: usize) {
        let text = self.pages[i].text(&self.events());
        self.write_file(&self.pages[i].path(), &text);
    }

    /// Applies an edit on disk; returns what a watcher would report.
    fn apply(&mut self, edit: &Edit) -> Changes {
        let mut changes = Changes::default();
        let n = self.pages.len();
        let mut touched = |p: String| {
            changes.content.insert(p);
        };
        match *edit {
            Edit::Body(i, k) if n > 0 => {
                let i = i % n;
                self.pages[i].body = format!("Testo cambiato {k}. Ancora una frase.");
                self.write_page(i);
                touched(self.pages[i].path());
            }
            Edit::Title(i, k) if n > 0 => {
                let i = i % n;
                self.pages[i].title = format!("Titolo {k}");
                self.write_page(i);
                touched(self.pages[i].path());
            }
            Edit::Tags(i, k) if n > 0 => {
                let i = i % n;
                self.pages[i].tags = TAGS
                    .iter()
                    .enumerate()
                    .filter(|(b, _)| k & (1 << b) != 0)
                    .map(|(_, t)| *t)
                    .collect();
                self.write_page(i);
                touched(self.pages[i].path());
            }
            Edit::Date(i, k) | Edit::EventTime(i, k) if n > 0 => {
                let i = i % n;
                match edit {
                    Edit::Date(..) => self.pages[i].day = 1 + k % 27,
                    _ => self.pages[i].hour = 8 + k % 10,
                }
                self.write_page(i);
                touched(self.pages[i].path());
            }
            Edit::Rename(i) if n > 0 => {
                let i = i % n;
                let old = self.pages[i].path();
                std::fs::remove_file(self.root().join(&old)).expect("remove");
                self.pages[i].name.push_str("-nuova");
                self.write_page(i);
                touched(old);
                touched(self.pages[i].path());
            }
            Edit::Delete(i) if n > 1 => {
                let page = self.pages.remove(i % n);
                std::fs::remove_file(self.root().join(page.path())).expect("remove");
                touched(page.path());
            }
            Edit::New(k) => {
                let kind = [Kind::Tutorial, Kind::Diary, Kind::Event][k as usize % 3];
                let mut page = Page::new(kind, k);
                page.name = format!("nuova-{k}-{}", self.pages.len());
                self.pages.push(page);
                self.write_page(self.pages.len() - 1);
                touched(self.pages[self.pages.len() - 1].path());
            }
            Edit::Template(k) => {
                let card = format!(
                    "<article class=\"scheda-prova\"><h3>{{{{ p.title }}}}</h3><p>{k}</p></article>\n"
                );
                self.write_file("templates/card.html", &card);
                changes.theme = true;
            }
            Edit::Config(k) => {
                let yaml = SITE_YAML
                    .replace("title: Prova", &format!("title: Prova {k}"))
                    .replace(
                        "diary_page_size: 2",
                        &format!("diary_page_size: {}", 1 + k % 3),
                    )
                    .replace(
                        "list_page_size: 2",
                        &format!("list_page_size: {}", 1 + k % 4),
                    );
                std::fs::write(self.root().join("site.yaml"), yaml).expect("write");
                changes.config = true;
            }
            _ => {}
        }
        changes
    }

    fn options(&self) -> pillole::Options {
        pillole::Options {
            root: self.root(),
            drafts: false,
            base_url: None,
            now: pillole::parse_now(NOW).expect("a date"),
        }
    }

    /// Every file a cold build writes (None when it fails).
    fn cold(&self) -> Option<Files> {
        let out = self.dir.path().join("out");
        let (_, result) = pillole::build(&self.options(), &out, &RenderOptions::default());
        result.ok()?;
        let mut files = Files::new();
        for entry in walkdir::WalkDir::new(&out) {
            let entry = entry.expect("a file");
            if entry.file_type().is_file() {
                let rel = entry.path().strip_prefix(&out).expect("inside");
                let bytes = std::fs::read(entry.path()).expect("read");
                files.insert(rel.to_string_lossy().replace('\\', "/"), bytes);
            }
        }
        Some(files)
    }
}

type Files = BTreeMap<String, Vec<u8>>;

/// The warm pipeline and the files it has published, as serve keeps them.
struct Warm {
    pipeline: Pipeline,
    files: Files,
    ok: bool,
}

impl Warm {
    fn start(site: &Site) -> Self {
        let mut warm = Warm {
            pipeline: Pipeline::new(&site.options(), Mode::Warm, RenderOptions::default()),
            files: Files::new(),
            ok: false,
        };
        warm.apply(Changes::default());
        warm
    }

    /// What serve does with a change: update, render the plan (the changed
    /// pages first), drop what is gone, then the search index.
    fn apply(&mut self, changes: Changes) {
        let report = match self.pipeline.update(changes) {
            Update::Unchanged | Update::Reload => return,
            Update::Changed(report) => report,
        };
        let sink = pillole::output::Collect::default();
        let made = self.pipeline.render_update(&sink);
        assert!(made.errors.is_empty(), "{:?}", made.errors);
        let mut outputs = sink.into_files();
        if made.full {
            self.files.clear();
        }
        for file in &made.removed {
            self.files.remove(file);
        }
        self.files
            .retain(|k, _| !pillole::render::search::is_index_file(k));
        if let Some(input) = self.pipeline.search_input() {
            outputs.extend(input.files());
        }
        for o in outputs {
            let bytes = match o.body {
                Body::Bytes(b) => b,
                Body::Copy(p) => std::fs::read(p).expect("a content file"),
            };
            self.files.insert(o.path, bytes);
        }
        self.ok = report.fatal.is_empty();
    }
}

fn assert_same(warm: &Warm, cold: &Option<Files>, after: &[Edit]) {
    let Some(cold) = cold else {
        assert!(
            !warm.ok,
            "after {after:?}: the build fails, serve says all is well"
        );
        return;
    };
    assert!(
        warm.ok,
        "after {after:?}: the build succeeds, serve reports errors"
    );
    let ours: Vec<&String> = warm.files.keys().collect();
    let theirs: Vec<&String> = cold.keys().collect();
    assert_eq!(ours, theirs, "after {after:?}: not the same files");
    for (path, bytes) in cold {
        assert!(
            warm.files[path] == *bytes,
            "after {after:?}: {path} differs from a fresh build:\n--- serve\n{}\n--- build\n{}",
            String::from_utf8_lossy(&warm.files[path]),
            String::from_utf8_lossy(bytes)
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 24,
        rng_seed: RngSeed::Fixed(0x14),
        failure_persistence: None,
        max_shrink_iters: 256,
        ..ProptestConfig::default()
    })]

    #[test]
    fn warm_pipeline_makes_what_a_cold_build_makes(edits in proptest::collection::vec(edit(), 1..10)) {
        let mut site = Site::new();
        let mut warm = Warm::start(&site);
        assert_same(&warm, &site.cold(), &[]);
        for (n, e) in edits.iter().enumerate() {
            let changes = site.apply(e);
            warm.apply(changes);
            assert_same(&warm, &site.cold(), &edits[..=n]);
        }
    }
}

/// A tutorial that changes level leaves one level's list for another: the
/// list it joins is made again though it did not show it before (the
/// sequence the property test above found when level lists were not part
/// of the tutorials' list signature).
#[test]
fn a_tutorial_changing_level_is_listed_at_its_new_level() {
    let mut site = Site::new();
    let mut warm = Warm::start(&site);
    // Page 0, a tutorial: facile, then avanzato (hour 17), then medio (hour 10).
    let edits = [Edit::EventTime(27, 119), Edit::EventTime(9, 202)];
    for (n, e) in edits.iter().enumerate() {
        let changes = site.apply(e);
        warm.apply(changes);
        assert_same(&warm, &site.cold(), &edits[..=n]);
    }
}

/// Saving a file without changing it makes nothing.
#[test]
fn saving_unchanged_does_nothing() {
    let site = Site::new();
    let mut warm = Warm::start(&site);
    let path = site.pages[0].path();
    let text = std::fs::read_to_string(site.root().join(&path)).expect("read");
    std::fs::write(site.root().join(&path), text).expect("write");
    let mut changes = Changes::default();
    changes.content.insert(path);
    assert!(matches!(warm.pipeline.update(changes), Update::Unchanged));
    assert!(warm.pipeline.plan().is_empty());
}

/// A body edit makes its own page first and touches no list.
#[test]
fn a_body_edit_makes_only_what_shows_the_body() {
    let mut site = Site::new();
    let mut warm = Warm::start(&site);
    let i = site
        .pages
        .iter()
        .position(|p| p.kind == Kind::Tutorial)
        .expect("a tutorial");
    let changes = site.apply(&Edit::Body(i, 7));
    assert!(matches!(warm.pipeline.update(changes), Update::Changed(_)));
    let plan = warm.pipeline.plan();
    let first: Vec<&str> = plan.first.iter().map(|r| r.path.as_str()).collect();
    let name = &site.pages[i].name;
    assert_eq!(
        first,
        [
            format!("/tutorial/{name}/"),
            format!("/tutorial/{name}/stampa/")
        ]
    );
    let rest: Vec<&str> = plan.rest.iter().map(|r| r.path.as_str()).collect();
    assert!(
        !rest.contains(&"/tutorial/") && !rest.contains(&"/"),
        "lists do not show bodies: {rest:?}"
    );
    assert!(!plan.full);
}
