use super::index::{build, build_with, encode_postings, Limits, SUMMARY_CHARS, TEXT_CHARS};
use super::*;
use serde_json::Value;
use std::collections::{BTreeMap, HashSet};

fn doc(url: &str, title: &str, summary: &str, body: &str) -> SearchDoc {
    SearchDoc {
        url: url.into(),
        title: title.into(),
        summary: summary.into(),
        body: body.into(),
        ..SearchDoc::default()
    }
}

/// Inverse of `encode_postings`, as search.js reads it.
fn decode(s: &str) -> Vec<(u32, u8)> {
    let (mut out, mut next, mut v) = (Vec::new(), 0, 0u64);
    for c in s.bytes() {
        if c < 0x5D {
            v = v * 32 + u64::from(c - 0x23);
        } else {
            v = v * 32 + u64::from(c - 0x5D);
            let doc = next + (v / 4) as u32;
            out.push((doc, (v % 4) as u8));
            (next, v) = (doc + 1, 0);
        }
    }
    out
}

/// A built index, read the way search.js reads it.
struct Read {
    files: BTreeMap<String, String>,
    manifest: Value,
}

impl Read {
    fn new(docs: &[SearchDoc], synonyms: &[Vec<String>]) -> Read {
        Read::from(build(docs, synonyms).files)
    }

    fn from(files: Vec<(String, String)>) -> Read {
        let files: BTreeMap<String, String> = files.into_iter().collect();
        let manifest = parse(&files["indice.json"]);
        Read { files, manifest }
    }

    fn file(&self, name: &str) -> Value {
        parse(&self.files[&format!("indice/{name}.json")])
    }

    fn starts(&self, key: &str) -> Vec<String> {
        self.manifest[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_string())
            .collect()
    }

    /// The term chunk that must hold `stem`: the last one starting at or before it.
    fn term_chunk(&self, stem: &str) -> usize {
        self.starts("t")
            .iter()
            .rposition(|s| s.as_str() <= stem)
            .unwrap()
    }

    fn postings(&self, stem: &str) -> Vec<(u32, u8)> {
        let chunk = self.file(&format!("t{}", self.term_chunk(stem)));
        chunk[stem].as_str().map(decode).unwrap_or_default()
    }

    /// The typo chunks to read for `key`: the last starting before it, and
    /// every one starting with it.
    fn fuzzy_chunks(&self, key: &str) -> Vec<usize> {
        let f = self.starts("f");
        (0..f.len())
            .filter(|&i| {
                f[i] == key
                    || (f[i].as_str() < key && f.get(i + 1).is_none_or(|n| n.as_str() >= key))
            })
            .collect()
    }

    fn fuzzy(&self, key: &str) -> Vec<String> {
        let mut out = Vec::new();
        for i in self.fuzzy_chunks(key) {
            if let Some(list) = self.file(&format!("f{i}"))[key].as_str() {
                out.extend(list.split(' ').map(String::from));
            }
        }
        out
    }

    fn doc(&self, d: usize) -> Value {
        self.file(&format!("d{d}"))
    }
}

fn parse(json: &str) -> Value {
    serde_json::from_str(json).expect("valid JSON")
}

fn stem(word: &str) -> String {
    let t = tokens(word);
    assert_eq!(t.len(), 1, "{word} gives one token");
    t[0].clone()
}

fn demo() -> Vec<SearchDoc> {
    vec![
        SearchDoc {
            fields: vec![
                ("SPID".into(), 2),
                ("identità digitale".into(), 2),
                ("facile".into(), 0),
            ],
            detail: "Livello: facile".into(),
            ..doc(
                "/tutorial/spid/",
                "Come attivare lo SPID",
                "Attiva l'identità digitale con l'app del gestore.",
                "Cosa ti serve\nUn documento valido. La tessera sanitaria.\nScarica l'app del gestore e apri la pagina di registrazione. Inquadra il documento.",
            )
        },
        doc(
            "/tutorial/cie/",
            "Usare la CIE sul telefono",
            "Entra nei servizi con la CIE e il PIN.",
            "Avvicina la CIE al telefono. Scrivi il PIN di otto cifre.",
        ),
        doc(
            "/tutorial/pagopa/",
            "Pagare la TARI con PagoPA",
            "Paga l'avviso di pagamento dal telefono.",
            "Trova il codice avviso sul foglio. Paga con carta o conto.",
        ),
        SearchDoc {
            kind: DocKind::HelpDesk,
            fields: vec![
                ("martedì".into(), 2),
                ("Casa di quartiere di via Padova".into(), 2),
                ("Municipio 2".into(), 2),
                ("Sportello settimanale".into(), 1),
            ],
            detail: "Ogni martedì, dalle 9:30 alle 12:30 · Municipio 2".into(),
            ..doc(
                "/eventi/sportello/",
                "Aiuto digitale in via Padova",
                "I volontari ti aiutano.",
                "Porta il telefono carico.",
            )
        },
    ]
}

#[test]
fn postings_round_trip() {
    let list = vec![
        (0, 3),
        (1, 0),
        (2, 1),
        (9, 2),
        (40, 0),
        (1_000, 3),
        (70_000, 1),
    ];
    let s = encode_postings(&list);
    assert_eq!(decode(&s), list);
    assert!(!s.contains(['"', '\\']));
    assert_eq!(
        encode_postings(&[(0, 3), (1, 3)]),
        "``",
        "adjacent docs take one character each"
    );
}

#[test]
fn the_index_has_a_manifest_terms_typo_keys_and_docs() {
    let synonyms = vec![vec!["carta d'identità".to_string(), "CIE".to_string()]];
    let ix = Read::new(&demo(), &synonyms);
    let m = &ix.manifest;
    assert_eq!(m["v"], 2);
    assert_eq!(m["b"], "/");
    assert_eq!(m["n"], 4);
    assert_eq!(m["p"], "indice/");
    assert_eq!(m["w"].as_array().unwrap().len(), STOP_WORDS.len());
    assert_eq!(m["t"][0], "");
    assert_eq!(m["h"].as_str().unwrap().len(), 16);
    // Every file is an index file; all names are as the manifest says.
    for name in ix.files.keys() {
        assert!(is_index_file(&format!("cerca/{name}")), "{name}");
    }
    assert!(!is_index_file("cerca/index.html"));
    // Weights: title 3, services and tags 2, summary 1, body 0, level 0.
    assert_eq!(ix.postings("spid"), vec![(0, 3)]);
    assert_eq!(ix.postings(&stem("identità")), vec![(0, 2), (1, 3)]);
    assert_eq!(ix.postings(&stem("gestore")), vec![(0, 1)]);
    assert_eq!(ix.postings(&stem("tessera")), vec![(0, 0)]);
    assert_eq!(ix.postings(&stem("facile")), vec![(0, 0)]);
    assert_eq!(ix.postings("cie"), vec![(1, 3)]);
    assert_eq!(ix.postings(&stem("telefono")), vec![(1, 3), (2, 1), (3, 0)]);
    // Help desks by weekday, place and Municipio; one digit is a word.
    assert_eq!(ix.postings(&stem("martedì")), vec![(3, 2)]);
    assert_eq!(ix.postings(&stem("Padova")), vec![(3, 3)]);
    assert_eq!(ix.postings("2"), vec![(3, 2)]);
    assert_eq!(ix.postings(&stem("sportello")), vec![(3, 1)]);
    assert!(ix.postings("la").is_empty(), "stop words are not indexed");
    // "carta d'identità" = "CIE": doc 1 (CIE in its title) is also posted
    // under carta and identità (above); doc 2 has "carta" alone: no CIE.
    assert_eq!(ix.postings(&stem("carta")), vec![(1, 3), (2, 0)]);
    assert_eq!(m["y"], serde_json::json!([["cart", "cie", "ident"]]));
    // Typo keys lead to the stems.
    for word in ["gestore", "telefono", "digitale", "Padova"] {
        let s = stem(word);
        for k in fuzzy_keys(&s) {
            assert!(ix.fuzzy(&k).contains(&s), "{word}: {s} under {k}");
        }
    }
    // Not a word used once in one body only.
    let s = stem("registrazione");
    assert!(!fuzzy_keys(&s).iter().any(|k| ix.fuzzy(k).contains(&s)));
    // Results: address after the base, title, kind, summary, detail, passages.
    let d = ix.doc(0);
    assert_eq!(d[0], "tutorial/spid/");
    assert_eq!(d[1], "Come attivare lo SPID");
    assert_eq!(d[2], 0);
    assert_eq!(d[3], "Attiva l'identità digitale con l'app del gestore.");
    assert_eq!(d[4], "Livello: facile");
    assert!(d[5]
        .as_str()
        .unwrap()
        .starts_with("Cosa ti serve\nUn documento valido."));
    let d = ix.doc(3);
    assert_eq!(d[2], 2);
    assert_eq!(d[4], "Ogni martedì, dalle 9:30 alle 12:30 · Municipio 2");
}

#[test]
fn synonyms_post_docs_under_the_other_phrases() {
    let groups = vec![vec![
        "bollettino".to_string(),
        "avviso di pagamento".to_string(),
    ]];
    let docs = vec![
        doc(
            "/a/",
            "Pagare un avviso",
            "Serve l'avviso di pagamento.",
            "",
        ),
        doc(
            "/b/",
            "Il bollettino postale",
            "",
            "Compila il bollettino. Paga il bollettino. Un bollettino.",
        ),
        doc(
            "/c/",
            "Un avviso",
            "Leggi l'avviso.",
            "Nessun pagamento qui? No.",
        ),
        doc("/e/", "Avvisi", "Solo avvisi, niente da pagare?", ""),
        doc("/d/", "Pagamenti", "", "avviso"),
    ];
    let ix = Read::new(&docs, &groups);
    // Docs 0, 2, 3, 4 hold avviso and pagamento (pagare, pagamenti share
    // the stem): posted under bollettino with the weaker of the weights.
    assert_eq!(
        ix.postings(&stem("bollettino")),
        vec![(0, 3), (1, 3), (2, 0), (3, 1), (4, 0)]
    );
    // Doc 1 holds bollettino (title): posted under avviso and pagamento.
    assert_eq!(
        ix.postings(&stem("avviso")),
        vec![(0, 3), (1, 3), (2, 3), (3, 3), (4, 0)]
    );
    assert_eq!(
        ix.postings(&stem("pagamento")),
        vec![(0, 3), (1, 3), (2, 0), (3, 1), (4, 3)]
    );
    let none = Read::new(&docs, &[]);
    assert_eq!(none.postings(&stem("bollettino")), vec![(1, 3)]);
}

#[test]
fn synonym_groups_lose_empty_and_duplicate_phrases() {
    let groups = vec![
        vec![
            "bollettino".into(),
            "avviso di pagamento".into(),
            "Bollettini".into(),
        ],
        vec!["di".into(), "CIE".into()],
        vec![],
    ];
    assert_eq!(
        text::synonym_groups(&groups),
        vec![vec![
            vec![stem("bollettino")],
            vec![stem("avviso"), stem("pagamento")]
        ]]
    );
}

#[test]
fn summaries_and_texts_are_clipped() {
    let summary = "parola ".repeat(60);
    let body = "Una frase breve. ".to_string() + &"lunghissima ".repeat(400) + "fine.";
    let ix = Read::new(&[doc("/a/", "A", &summary, &body)], &[]);
    let d = ix.doc(0);
    let s = d[3].as_str().unwrap();
    assert!(
        s.ends_with('…') && s.chars().count() <= SUMMARY_CHARS + 1,
        "{s}"
    );
    assert_eq!(ix.manifest["b"], "/a/");
    assert_eq!(d[0], "");
    let text = d[5].as_str().unwrap();
    assert!(text.starts_with("Una frase breve. lunghissima"), "{text}");
    assert!(text.ends_with("lunghissima…") && text.chars().count() <= TEXT_CHARS + 1);
    // Accented text is clipped by characters, not bytes: the cut is at the
    // same word as in the plain text above.
    let accented = "Una frase breve. ".to_string() + &"lùnghìssimà ".repeat(400) + "fine.";
    let ix = Read::new(&[doc("/a/", "A", &summary, &accented)], &[]);
    let d = ix.doc(0);
    let text = d[5].as_str().unwrap();
    let plain = "Una frase breve. ".to_string() + &"lunghissima ".repeat(400);
    let words = |t: &str| t.split(' ').count();
    assert!(text.ends_with("lùnghìssimà…"), "{text}");
    assert!(text.chars().count() <= TEXT_CHARS + 1);
    assert_eq!(words(text), words(&clip_like(&plain)), "{text}");
}

/// The plain text cut as the index cuts it, for comparing cuts.
fn clip_like(text: &str) -> String {
    let end = text.char_indices().nth(TEXT_CHARS).unwrap().0;
    let cut = text[..end].rfind(' ').unwrap();
    text[..cut].to_string()
}

/// Deterministic guides: a Zipf-like vocabulary of 12,000 made-up words
/// plus stop words, ~600 words of body, realistic titles and summaries.
fn generated(n: usize) -> Vec<SearchDoc> {
    let mut seed = 0x2545_f491_4f6c_dd1d_u64;
    let mut rnd = move |m: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % m as u64) as usize
    };
    let syl = [
        "ba", "ce", "di", "fo", "gu", "la", "me", "ni", "po", "ra", "se", "ti", "vo", "za", "bri",
        "cla", "stro", "gno", "tte", "ssa", "nte", "men", "zio", "ver", "par", "col",
    ];
    let ends = [
        "a", "e", "i", "o", "are", "ato", "ione", "mente", "ità", "oso", "ando",
    ];
    let vocab: Vec<String> = (0..12_000)
        .map(|i| {
            let (a, b, c) = (i % 26, (i / 26) % 26, (i / 676) % 18);
            format!(
                "{}{}{}",
                syl[a],
                syl[b],
                if c < 11 { ends[c] } else { syl[c] }
            )
        })
        .collect();
    let word = |rnd: &mut dyn FnMut(usize) -> usize| -> String {
        if rnd(10) < 4 {
            return STOP_WORDS[rnd(STOP_WORDS.len())].to_string();
        }
        // log-uniform rank: P(r) ~ 1/r
        let r = (12_000f64.powf(rnd(10_000) as f64 / 10_000.0)) as usize;
        vocab[r.clamp(1, 12_000) - 1].clone()
    };
    let services = [
        "SPID",
        "CIE",
        "PagoPA",
        "IO",
        "Fascicolo del Cittadino",
        "FSE",
    ];
    let tags = [
        "truffe",
        "scuola",
        "salute",
        "pagamenti",
        "telefono",
        "email",
        "anziani",
    ];
    (0..n)
        .map(|i| {
            let sentence = |len: usize, rnd: &mut dyn FnMut(usize) -> usize| {
                (0..len).map(|_| word(rnd)).collect::<Vec<_>>().join(" ")
            };
            let title = format!("Come {}", sentence(3 + rnd(3), &mut rnd));
            let summary = format!("{}.", sentence(12 + rnd(8), &mut rnd));
            let mut body = String::new();
            while body.split(' ').count() < 600 {
                body.push_str(&sentence(8 + rnd(12), &mut rnd));
                body.push_str(if rnd(4) == 0 { ".\n" } else { ". " });
            }
            let slug: String = normalize(&title).replace(' ', "-");
            SearchDoc {
                url: format!("/tutorial/{slug}-{i}/"),
                title,
                summary,
                body: body.into(),
                fields: vec![
                    (services[rnd(services.len())].to_string(), 2),
                    (tags[rnd(tags.len())].to_string(), 2),
                    (["facile", "medio", "avanzato"][rnd(3)].to_string(), 0),
                ],
                ..SearchDoc::default()
            }
        })
        .collect()
}

#[test]
fn chunks_are_small_and_every_stem_is_where_the_manifest_says() {
    let docs = generated(1_500);
    let built = build(&docs, &[]);
    assert!(built.over.is_empty(), "{:?}", built.over);
    let ix = Read::from(built.files);
    let terms = ix.starts("t").len();
    let typos = ix.starts("f").len();
    assert!(
        terms > 20 && typos >= 4,
        "{terms} term chunks, {typos} typo chunks"
    );
    assert!(
        ix.files["indice.json"].len() < 8_000,
        "{}",
        ix.files["indice.json"].len()
    );
    let mut seen_docs = HashSet::new();
    let mut stems = 0;
    for (name, text) in &ix.files {
        let Some(i) = name
            .strip_prefix("indice/t")
            .and_then(|n| n.strip_suffix(".json"))
        else {
            continue;
        };
        let chunk = parse(text);
        let map = chunk.as_object().unwrap();
        // A chunk grows past its target only by its last entry.
        assert!(
            text.len() < index::TERM_CHUNK + 2_000,
            "{name}: {} bytes",
            text.len()
        );
        for (s, list) in map {
            assert_eq!(ix.term_chunk(s).to_string(), i, "{s} is in t{i}");
            seen_docs.extend(decode(list.as_str().unwrap()).into_iter().map(|(d, _)| d));
            stems += 1;
        }
    }
    assert!(stems > 1_000, "{stems} stems");
    assert_eq!(seen_docs.len(), docs.len(), "every doc is findable");
    for (name, text) in &ix.files {
        let Some(i) = name
            .strip_prefix("indice/f")
            .and_then(|n| n.strip_suffix(".json"))
        else {
            continue;
        };
        assert!(
            text.len() < index::FUZZY_CHUNK + 500,
            "{name}: {} bytes",
            text.len()
        );
        for k in parse(text).as_object().unwrap().keys() {
            let i: usize = i.parse().unwrap();
            assert!(ix.fuzzy_chunks(k).contains(&i), "key {k} in f{i}");
        }
    }
    let metas = ix
        .files
        .keys()
        .filter(|n| n.starts_with("indice/d"))
        .count();
    assert_eq!(metas, docs.len());
    assert_eq!(ix.doc(1_499)[0], docs[1_499].url["/tutorial/".len()..]);
}

#[test]
fn a_first_search_reads_little_of_a_large_index() {
    let docs = generated(1_500);
    let ix = Read::new(&docs, &[]);
    let total: usize = ix.files.values().map(String::len).sum();
    // Two words, one of them misspelt, and ten results.
    let words = [
        stem("ridiculous"),
        docs[7].title.split(' ').nth(1).map(stem).unwrap(),
    ];
    let mut read: HashSet<String> = HashSet::from(["indice.json".to_string()]);
    for s in &words {
        read.insert(format!("indice/t{}.json", ix.term_chunk(s)));
        for k in fuzzy_keys(s) {
            read.extend(
                ix.fuzzy_chunks(&k)
                    .iter()
                    .map(|i| format!("indice/f{i}.json")),
            );
        }
    }
    read.extend((0..10).map(|i| format!("indice/d{}.json", i * 150)));
    let fetched: usize = read.iter().map(|n| ix.files[n].len()).sum();
    eprintln!(
        "index {total} bytes, a first search reads {fetched} bytes in {} files",
        read.len()
    );
    assert!(
        fetched < 100_000 && fetched < total / 10,
        "{fetched} bytes of {total}"
    );
}

#[test]
fn a_file_over_its_budget_is_written_with_a_warning() {
    let docs = generated(300);
    let limits = Limits {
        term_chunk: 4_000,
        fuzzy_chunk: 2_000,
        manifest_budget: 1_000,
        chunk_budget: 3_000,
    };
    let built = build_with(&docs, &[], limits);
    let names: Vec<&str> = built.over.iter().map(|o| o.0.as_str()).collect();
    assert!(names.contains(&"cerca/indice.json"), "{names:?}");
    assert!(
        names.iter().any(|n| n.starts_with("cerca/indice/t")),
        "{names:?}"
    );
    let big = built
        .over
        .iter()
        .find(|o| o.0.starts_with("cerca/indice/t"))
        .unwrap();
    assert!(
        big.1 > 3_000 && big.2 == 3_000 && big.3.contains("la parola"),
        "{big:?}"
    );
    // Still written, and complete.
    let ix = Read::from(built.files);
    assert_eq!(ix.manifest["n"], 300);
    assert_eq!(ix.doc(299)[0], docs[299].url["/tutorial/".len()..]);
    // As the build reports it.
    let input = SearchInput {
        docs,
        synonyms: vec![],
    };
    let (files, warnings) = input.files_and_warnings();
    assert!(files.len() > 40);
    assert!(warnings.is_empty(), "the real budgets hold for 300 guides");
    let w = Diagnostic::warning("content", "search-size", "x");
    assert_eq!(w.severity, crate::diagnostics::Severity::Warning);
}

#[test]
fn no_docs_give_an_empty_index() {
    let ix = Read::new(&[], &[vec!["a b".into(), "c d".into()]]);
    assert_eq!(ix.manifest["b"], "");
    assert_eq!(ix.manifest["n"], 0);
    assert_eq!(ix.file("t0"), serde_json::json!({}));
    assert_eq!(ix.file("f0"), serde_json::json!({}));
}

#[test]
fn same_input_same_bytes() {
    let docs = generated(200);
    let synonyms = vec![vec!["SPID".to_string(), "identità digitale".to_string()]];
    let a = build(&docs, &synonyms).files;
    let b = build(&docs, &synonyms).files;
    assert_eq!(a, b);
    let c = build(&docs[1..], &synonyms).files;
    assert_ne!(a[0], c[0], "the manifest names its version");
}

#[test]
fn markup_in_pages_stays_text() {
    let ix = Read::new(
        &[doc("/a/", "<script>alert(1)</script>", "<b>x</b>", "")],
        &[],
    );
    for text in ix.files.values() {
        assert!(!text.contains('<') && !text.contains('>'), "{text}");
    }
    assert_eq!(ix.doc(0)[1], "<script>alert(1)</script>");
}

/// The demo site's events and help desks are found by place, weekday and
/// Municipio, its diary and plain pages are docs too.
#[test]
fn the_demo_site_gives_every_kind_of_doc() {
    let root = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let loaded = crate::load(&crate::Options {
        root,
        drafts: false,
        base_url: None,
        now: crate::parse_now("2026-11-23T10:00").unwrap(),
    });
    let site = loaded.site.expect("the demo loads");
    let input = input(&site);
    let docs = input.docs();
    let kinds: HashSet<u8> = docs.iter().map(|d| d.kind as u8).collect();
    assert_eq!(kinds, HashSet::from([0, 1, 2, 3, 4]));
    assert_eq!(
        docs.len(),
        site.tutorials.len() + site.events.len() + site.diary.len() + 2
    );
    let desk = docs.iter().find(|d| d.kind == DocKind::HelpDesk).unwrap();
    assert!(desk.detail.starts_with("Ogni martedì"), "{}", desk.detail);
    assert!(desk.detail.contains("Municipio 2"), "{}", desk.detail);
    let ix = Read::from(index::build(docs, &site.config.synonyms).files);
    let at = |stem_of: &str| -> Vec<String> {
        let s = stem(stem_of);
        ix.postings(&s)
            .iter()
            .filter(|&&(_, w)| w >= 2)
            .map(|&(d, _)| docs[d as usize].url.clone())
            .collect()
    };
    assert_eq!(at("martedì"), vec![desk.url.clone()]);
    let calvairate = at("Calvairate");
    assert!(
        calvairate.iter().any(|u| u.starts_with("/eventi/")),
        "{calvairate:?}"
    );
    assert!(
        calvairate.iter().any(|u| u.starts_with("/diario/")),
        "{calvairate:?}"
    );
}

#[test]
fn words_of_any_length_and_place_find_the_same_stems() {
    // Keys of up to 16 bytes are read from the text in one load: words
    // at its very end, of 16 and 17 bytes, accented or not, seen once or
    // again, must give the stems the plain analysis gives.
    let text =
        "Identità, precipitevolissimevolmente! abcdefghijklmnop abcdefghijklmnopq caffè città";
    let mut an = text::Analyzer::new();
    for _ in 0..2 {
        let mut seen = Vec::new();
        an.words(text, |at, stem| seen.push((at, stem.to_string())));
        let stems: Vec<String> = seen.iter().map(|(_, s)| s.clone()).collect();
        assert_eq!(stems, tokens(text));
        let starts: Vec<usize> = seen.iter().map(|&(at, _)| at).collect();
        let want: Vec<usize> = [
            "Identità",
            "precipitevolissimevolmente",
            "abcdefghijklmnop ",
            "abcdefghijklmnopq",
            "caffè",
            "città",
        ]
        .iter()
        .map(|w| text.find(w).unwrap())
        .collect();
        assert_eq!(starts, want);
    }
    // Two words that differ only past byte 16 are two words.
    assert_ne!(tokens("abcdefghijklmnopq"), tokens("abcdefghijklmnopz"));
    assert_eq!(tokens("città"), tokens("citta"));
}
