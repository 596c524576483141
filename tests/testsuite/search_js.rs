//! Runs the node tests of search.js (tests/js/search.test.js): the JS stemmer
//! against rust-stemmers on a word list, and searches against a real index
//! built by `index::build` (files written to a folder, read as the browser
//! would fetch them), and the typo keys against `fuzzy_keys`. Needs node (tests/run.sh checks it is there).

use pillole::render::search::index::build;
use pillole::render::search::{fuzzy_keys, normalize, DocKind, SearchDoc};
use rust_stemmers::{Algorithm, Stemmer};
use std::path::Path;
use std::process::Command;

/// The hand-written list plus roots x every suffix the stemmer knows.
fn words() -> Vec<String> {
    let mut words: Vec<String> = include_str!("../fixtures/search/stem-words.txt")
        .lines()
        .filter(|l| !l.starts_with('#'))
        .flat_map(|l| {
            normalize(l)
                .split(' ')
                .map(String::from)
                .collect::<Vec<_>>()
        })
        .filter(|w| !w.is_empty())
        .collect();
    let suffixes = "a e i o u h ch gh che chi ghe ghi ic at iv os abil ativ icativ ativa icativo \
        ica ice ici ico iche ichi ista iste isti ismo ismi osa ose osi oso anza anze ante anti abile abili \
        ibile ibili atrice atrici mente azione azioni atore atori icazione icatore logia logie usione usioni \
        uzione uzioni enza enze amento amenti imento imenti amente ivamente ativamente osamente icamente \
        abilmente iva ive ivi ivo ativo ativi icativi ita itá ar ir are ere ire ata ate ati ato ita ite iti ito \
        uta ute uti uto ava avi avo eva evi evo ano ono ete ende endi enda endo ando asse assi isca isce isci \
        isco iamo ammo emmo immo erai irai erei irei avate evate ivate erete irete eremo iremo avamo evamo \
        ivamo avano evano ivano iscano iscono arono erono irono eranno iranno eresti iresti ereste ireste \
        erebbe irebbe eremmo iremmo assimo assero essero issero erebbero irebbero";
    let pronouns =
        "ci gli la le li lo mi ne si ti vi sene cela cele celi celo cene gliela gliele glieli \
        glielo gliene mela mele meli melo mene tela tele teli telo tene vela vele veli velo vene";
    let mut all: Vec<String> = suffixes.split_whitespace().map(String::from).collect();
    for end in ["ando", "endo", "ar", "er", "ir", "and", "re"] {
        all.extend(pronouns.split_whitespace().map(|p| format!("{end}{p}")));
    }
    let roots = [
        "parl", "cred", "dorm", "fin", "pag", "attiv", "ident", "comunic", "aiu", "qu", "acqu",
        "gu", "ab", "i", "au", "scriv", "leggibil", "organizz", "cert", "sicur", "naz", "ostr",
        "a", "bri", "", "x", "mand", "ric", "ag", "uo", "ea", "str",
    ];
    for r in roots {
        words.extend(all.iter().map(|s| normalize(&format!("{r}{s}"))));
    }
    words.retain(|w| !w.is_empty() && !w.contains(' '));
    words.sort();
    words.dedup();
    words
}

fn demo() -> Vec<SearchDoc> {
    let d = |slug: &str, title: &str, summary: &str, body: &str, services: &[&str]| SearchDoc {
        url: format!("/tutorial/{slug}/"),
        kind: DocKind::Tutorial,
        title: title.into(),
        summary: summary.into(),
        body: body.into(),
        fields: vec![
            (services.join(", "), 2),
            ("facile".into(), 0),
            ("Guida".into(), 1),
        ],
        detail: "Livello: facile".into(),
    };
    let mut spid = d("spid", "Attivare lo SPID", "L'identità digitale per entrare nei servizi online.",
        "Cosa ti serve\nUn documento valido e la tessera sanitaria.\nScarica l'app del gestore. Inquadra il documento con il telefono.",
        &["SPID"]);
    spid.fields.push(("identità digitale".into(), 2));
    vec![
        spid,
        d(
            "cie",
            "Usare la CIE sul telefono",
            "Entra nei servizi con la CIE e il PIN.",
            "Avvicina la CIE al retro del telefono. Scrivi le otto cifre del PIN.",
            &["CIE"],
        ),
        d(
            "pagopa",
            "Pagare la TARI con PagoPA",
            "Paga dal telefono l'avviso di pagamento che ti arriva a casa.",
            "Trova il codice avviso sul foglio. Inquadra il codice QR con l'app IO.",
            &["PagoPA", "IO"],
        ),
        d(
            "fascicolo",
            "Il Fascicolo del Cittadino",
            "Vedi i tuoi documenti del Comune.",
            "Entra con SPID o CIE. Scarica i certificati anagrafici.",
            &[],
        ),
        d(
            "truffe",
            "Riconoscere le truffe",
            "Messaggi falsi che chiedono soldi o password.",
            "Non dare mai il codice a chi ti chiama. La banca non chiede la password per telefono. \
             Il phishing arriva per email.",
            &[],
        ),
        d(
            "scuola",
            "Iscrizione a scuola online",
            "Iscrivi tuo figlio alla scuola primaria.",
            "Entra con SPID nel sito del Ministero. Compila la domanda di iscrizione.",
            &[],
        ),
        SearchDoc {
            url: "/eventi/sportello/".into(),
            kind: DocKind::HelpDesk,
            title: "Aiuto digitale in via Padova".into(),
            summary: "Ogni settimana i volontari ti aiutano con SPID e CIE.".into(),
            body: "Porta il telefono carico e un documento valido.".into(),
            fields: vec![
                ("martedì".into(), 2),
                ("Casa di quartiere di via Padova".into(), 2),
                ("Municipio 2".into(), 2),
                ("Sportello settimanale".into(), 1),
            ],
            detail: "Ogni martedì, dalle 9:30 alle 12:30 · Casa di quartiere di via Padova · Municipio 2"
                .into(),
        },
        SearchDoc {
            url: "/diario/calvairate/".into(),
            kind: DocKind::Diary,
            title: "Tappa 2: a Calvairate".into(),
            summary: "Piccoli gruppi, quattro persone per tavolo.".into(),
            body: "Una signora ha fatto lo SPID con la sua CIE in venti minuti.".into(),
            fields: vec![("Biblioteca Calvairate".into(), 2), ("Municipio 4".into(), 2)],
            detail: "18 aprile 2026 · Biblioteca Calvairate · Municipio 4".into(),
        },
    ]
}

#[test]
fn search_js_passes_its_node_tests() {
    assert!(
        Command::new("node").arg("--version").output().is_ok(),
        "node is needed for the search.js tests: install Node.js 20+"
    );
    let dir = std::env::temp_dir().join(format!("pillole-search-js-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("indice")).unwrap();
    let stemmer = Stemmer::create(Algorithm::Italian);
    let words = words();
    assert!(words.len() >= 300, "{} words", words.len());
    let stems: String = words
        .iter()
        .map(|w| {
            let s = stemmer.stem(w);
            format!("{w} {s} {}\n", fuzzy_keys(&s).join(","))
        })
        .collect();
    std::fs::write(dir.join("stems.txt"), stems).unwrap();
    let synonyms = vec![
        vec!["carta d'identità".to_string(), "CIE".to_string()],
        vec!["bollettino".to_string(), "avviso di pagamento".to_string()],
        vec!["truffa".to_string(), "phishing".to_string()],
    ];
    for (name, text) in build(&demo(), &synonyms).files {
        std::fs::write(dir.join(name), text).unwrap();
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let script = std::env::var_os("SEARCH_JS")
        .map_or_else(|| root.join("themes/agid/static/js/search.js"), Into::into);
    let out = Command::new("node")
        .arg("--test")
        .arg(root.join("tests/js/search.test.js"))
        .env("SEARCH_JS", script)
        .env("STEMS", dir.join("stems.txt"))
        .env("INDEX", &dir)
        .output()
        .unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    let text = String::from_utf8_lossy(&out.stdout);
    eprintln!("{text}{}", String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "node tests failed");
}
