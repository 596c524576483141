//! Text analysis shared by the index and the search script: [`normalize`]
//! (lowercase ASCII, accents gone), [`tokens`] (normalized words minus stop
//! words, each reduced by the Italian Snowball stemmer), [`fuzzy_keys`] (where
//! a stem is filed for typo tolerance) and excerpt windows.
//! `themes/agid/static/js/search.js` repeats `normalize`, the stop-word rule,
//! the stemmer and `fuzzy_keys` on the query; tests/testsuite/search_js.rs checks that
//! both sides agree.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::Arc;

use rust_stemmers::{Algorithm, Stemmer};

/// Italian stop words, normalized (no accents) and sorted. Shipped in the
/// manifest so the browser drops the same words. "io" is missing on purpose:
/// it is also the name of the public services app.
pub const STOP_WORDS: &[&str] = &[
    "ad", "agli", "ai", "al", "all", "alla", "alle", "allo", "anche", "che", "chi", "ci", "coi",
    "col", "come", "con", "cui", "da", "dagli", "dai", "dal", "dall", "dalla", "dalle", "dallo",
    "degli", "dei", "del", "dell", "della", "delle", "dello", "di", "ed", "gli", "ha", "hai",
    "hanno", "ho", "il", "in", "la", "le", "li", "lo", "loro", "ma", "me", "mi", "mia", "mie",
    "miei", "mio", "ne", "negli", "nei", "nel", "nell", "nella", "nelle", "nello", "noi", "non",
    "od", "per", "perche", "piu", "quell", "quella", "quelle", "quelli", "quello", "quest",
    "questa", "queste", "questi", "questo", "se", "si", "sia", "sono", "su", "sua", "sue", "sugli",
    "sui", "sul", "sull", "sulla", "sulle", "sullo", "suo", "suoi", "te", "ti", "tra", "tu", "tua",
    "tue", "tuo", "tuoi", "un", "una", "uno", "vi", "voi",
];

/// Lowercase ASCII words separated by single spaces: accents removed
/// (deunicode), and anything that is not a letter or a digit, apostrophes
/// included, splits words ("Carta d'Identità" -> "carta d identita").
pub fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    normalize_into(text, &mut out);
    out
}

fn normalize_into(text: &str, out: &mut String) {
    out.clear();
    let push = |c: char, out: &mut String| {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with(' ') {
            out.push(' ');
        }
    };
    for c in text.chars() {
        if c.is_ascii() || !c.is_alphanumeric() {
            push(c, out);
        } else {
            deunicode::deunicode_char(c)
                .unwrap_or(" ")
                .chars()
                .for_each(|t| push(t, out));
        }
    }
    if out.ends_with(' ') {
        out.pop();
    }
}

/// Whether a normalized word is searched for: two characters or more, or one
/// digit ("Municipio 4"), and not a stop word.
pub fn is_kept(word: &str) -> bool {
    (word.len() > 1 || word.bytes().all(|b| b.is_ascii_digit()))
        && !word.is_empty()
        && STOP_WORDS.binary_search(&word).is_err()
}

/// Stemmed search words of `text` ("bollettini" and "bollettino" both give
/// "bollettin").
pub fn tokens(text: &str) -> Vec<String> {
    let mut an = Analyzer::new();
    let mut out = Vec::new();
    an.words(text, |_, s| out.push(s.to_string()));
    out
}

/// Where a stem is filed for typo tolerance: its first three consonants
/// ("ph" read as "f", k and q as c, w as v; vowels, h, j and y dropped;
/// repeated consonants once), less one of them. Two words one or two typos
/// apart share a key unless two of the typos hit those consonants:
/// "fishing" and "phishing" both give `fs`, `fn`, `sn`.
pub fn fuzzy_keys(stem: &str) -> Vec<String> {
    let mut c: Vec<u8> = Vec::with_capacity(3);
    let s = stem.replace("ph", "f");
    for b in s.bytes() {
        let b = match b {
            b'k' | b'q' => b'c',
            b'w' => b'v',
            _ => b,
        };
        if b"aeiouyjh".contains(&b) || c.last() == Some(&b) {
            continue;
        }
        if c.len() == 3 {
            break;
        }
        c.push(b);
    }
    let key = |idx: &[usize]| idx.iter().map(|&i| char::from(c[i])).collect::<String>();
    let mut keys = match c.len() {
        0 => vec!["_".to_string()],
        1 => vec![key(&[0])],
        2 => vec![key(&[0, 1]), key(&[0]), key(&[1])],
        _ => vec![key(&[0, 1]), key(&[0, 2]), key(&[1, 2])],
    };
    keys.sort();
    keys.dedup();
    keys
}

/// FxHash (as in rustc): a fast hash for the index's own words, which need
/// no protection from crafted collisions.
#[derive(Clone, Copy, Default)]
pub(crate) struct Fx(u64);

impl Hasher for Fx {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.add(u64::from_le_bytes(c.try_into().expect("8 bytes")));
        }
        for &b in chunks.remainder() {
            self.add(u64::from(b));
        }
    }
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }
    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i));
    }
    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

impl Fx {
    fn add(&mut self, v: u64) {
        self.0 = (self.0.rotate_left(5) ^ v).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

pub(crate) type FxMap<K, V> = HashMap<K, V, BuildHasherDefault<Fx>>;

/// Stemmer plus caches: a corpus repeats the same words many times. Stems
/// are interned, so a page's words are numbers (`Sym`) until the end.
pub(crate) struct Analyzer {
    stemmer: Stemmer,
    /// Word as written -> its stems (a written word may normalize to two).
    words: WordCache,
    /// Stem -> its number.
    ids: FxMap<Arc<str>, Sym>,
    pub(crate) stems: Vec<Arc<str>>,
    buf: String,
    /// Per stem number, for the page being analysed: its weight (NONE: not
    /// in the page) and body count; reset after each page.
    pub(crate) weight: Vec<u8>,
    pub(crate) count: Vec<u32>,
}

/// Words as written -> their stems. A corpus repeats the same few thousand
/// words millions of times, so this lookup is the index's inner loop: a word
/// of up to 16 bytes is keyed by its bytes as two numbers (no string hashed
/// or compared byte by byte), a longer one by its text.
#[derive(Default)]
struct WordCache {
    short: FxMap<ShortWord, (u32, u32)>,
    long: FxMap<Box<str>, (u32, u32)>,
    /// The stems of every word, each word's a range of them.
    stems: Vec<Sym>,
}

/// A word of up to 16 bytes, zero-padded (a word holds no zero byte).
#[derive(Clone, Copy, PartialEq, Eq)]
struct ShortWord(u64, u64);

impl std::hash::Hash for ShortWord {
    fn hash<H: Hasher>(&self, h: &mut H) {
        h.write_u64(self.0);
        h.write_u64(self.1);
    }
}

impl ShortWord {
    /// The key of the word `bytes[from..to]`, if it is short enough.
    fn of(bytes: &[u8], from: usize, to: usize) -> Option<Self> {
        let len = to - from;
        if len > 16 {
            return None;
        }
        let mut buf = [0u8; 16];
        match bytes.get(from..from + 16) {
            // Most words: one load of 16 bytes, the bytes past the word zeroed.
            Some(sixteen) => buf.copy_from_slice(sixteen),
            None => buf[..len].copy_from_slice(&bytes[from..to]),
        }
        let mut all = u128::from_le_bytes(buf);
        if len < 16 {
            all &= (1u128 << (8 * len)) - 1;
        }
        Some(ShortWord(all as u64, (all >> 64) as u64))
    }
}

impl WordCache {
    /// The stems of `word`, whose key is `key` when it has one.
    fn get(&self, key: Option<ShortWord>, word: &str) -> Option<&[Sym]> {
        let &(at, n) = match key {
            Some(key) => self.short.get(&key)?,
            None => self.long.get(word)?,
        };
        Some(&self.stems[at as usize..(at + n) as usize])
    }

    fn insert(&mut self, key: Option<ShortWord>, word: &str, stems: &[Sym]) {
        let place = (self.stems.len() as u32, stems.len() as u32);
        self.stems.extend_from_slice(stems);
        match key {
            Some(key) => self.short.insert(key, place),
            None => self.long.insert(word.into(), place),
        };
    }
}

/// What a byte of a text is to the word scan: an ASCII letter or digit, other
/// ASCII, or a byte of a wider character (looked at as a character).
const SEPARATOR: u8 = 0;
const WORD: u8 = 1;
const WIDE: u8 = 2;
static BYTE_CLASS: [u8; 256] = {
    let mut table = [SEPARATOR; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = if b >= 0x80 {
            WIDE
        } else if (b as u8).is_ascii_alphanumeric() {
            WORD
        } else {
            SEPARATOR
        };
        b += 1;
    }
    table
};

/// No weight: the stem is not in the page.
pub(crate) const NONE: u8 = u8::MAX;

pub(crate) type Sym = u32;

impl Analyzer {
    pub(crate) fn new() -> Self {
        Analyzer {
            stemmer: Stemmer::create(Algorithm::Italian),
            words: WordCache::default(),
            ids: FxMap::default(),
            stems: Vec::new(),
            buf: String::new(),
            weight: Vec::new(),
            count: Vec::new(),
        }
    }

    pub(crate) fn intern(&mut self, stem: &str) -> Sym {
        if let Some(&id) = self.ids.get(stem) {
            return id;
        }
        let id = self.stems.len() as Sym;
        let s: Arc<str> = Arc::from(stem);
        self.stems.push(Arc::clone(&s));
        self.ids.insert(s, id);
        id
    }

    /// The number of a stem already seen, if any.
    pub(crate) fn known(&self, stem: &str) -> Option<Sym> {
        self.ids.get(stem).copied()
    }

    /// Calls `f(byte offset, stem)` for every kept word of `text`; a word is
    /// a run of letters and digits, as in search.js when it marks matches.
    pub(crate) fn syms(&mut self, text: &str, mut f: impl FnMut(usize, Sym)) {
        let bytes = text.as_bytes();
        let n = bytes.len();
        // The letter or digit that starts at byte i (not ASCII), and its length.
        let wide = |i: usize| -> Option<usize> {
            let c = text[i..].chars().next().expect("a char boundary");
            c.is_alphanumeric().then(|| c.len_utf8())
        };
        let class = |i: usize| BYTE_CLASS[usize::from(bytes[i])];
        let mut i = 0;
        while i < n {
            while i < n && class(i) == SEPARATOR {
                i += 1;
            }
            if i == n {
                break;
            }
            if class(i) == WIDE && wide(i).is_none() {
                i += text[i..].chars().next().map_or(1, char::len_utf8);
                continue;
            }
            let s = i;
            loop {
                i += crate::ascii::run_len(&bytes[i..], true);
                match (i < n && class(i) == WIDE).then(|| wide(i)).flatten() {
                    Some(len) => i += len,
                    None => break,
                }
            }
            let word = &text[s..i];
            let key = ShortWord::of(bytes, s, i);
            if let Some(ids) = self.words.get(key, word) {
                ids.iter().for_each(|&id| f(s, id));
                continue;
            }
            let mut buf = std::mem::take(&mut self.buf);
            normalize_into(word, &mut buf);
            let mut ids = Vec::new();
            for w in buf.split(' ').filter(|w| is_kept(w)) {
                let stem = self.stemmer.stem(w).into_owned();
                ids.push(self.intern(&stem));
            }
            self.buf = buf;
            ids.iter().for_each(|&id| f(s, id));
            self.words.insert(key, word, &ids);
        }
    }

    /// [`Analyzer::syms`] with the stems as text.
    pub(crate) fn words(&mut self, text: &str, mut f: impl FnMut(usize, &str)) {
        let mut found = Vec::new();
        self.syms(text, |at, id| found.push((at, id)));
        for (at, id) in found {
            f(at, &self.stems[id as usize]);
        }
    }
}

/// Synonym groups as stem lists: empty phrases and duplicates dropped, groups
/// left with fewer than two phrases dropped.
pub fn synonym_groups(synonyms: &[Vec<String>]) -> Vec<Vec<Vec<String>>> {
    let mut groups = Vec::new();
    for group in synonyms {
        let mut alts: Vec<Vec<String>> = Vec::new();
        for t in group.iter().map(|phrase| tokens(phrase)) {
            if !t.is_empty() && !alts.contains(&t) {
                alts.push(t);
            }
        }
        if alts.len() > 1 {
            groups.push(alts);
        }
    }
    groups
}

/// At most `max` characters of `text` around byte offset `at`, cut at
/// spaces, with "…" where something was left out.
pub(crate) fn window(text: &str, at: usize, max: usize) -> String {
    // No more bytes than `max`: no more characters either.
    if text.len() <= max {
        return text.to_string();
    }
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let n = chars.len();
    if n <= max {
        return text.to_string();
    }
    let pos = chars.iter().position(|&(b, _)| b >= at).unwrap_or(0);
    let mut a = pos.saturating_sub(max / 4);
    let mut e = (a + max).min(n);
    if e == n {
        a = n - max;
    }
    if a > 0 {
        a = (a..pos).find(|&k| chars[k].1 == ' ').map_or(a, |k| k + 1);
    }
    if e < n {
        e = (pos + 1..e).rev().find(|&k| chars[k].1 == ' ').unwrap_or(e);
    }
    let end = chars.get(e).map_or(text.len(), |&(b, _)| b);
    let mut out = String::new();
    if a > 0 {
        out.push('…');
    }
    out.push_str(text[chars[a].0..end].trim());
    if e < n {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stem(word: &str) -> String {
        let t = tokens(word);
        assert_eq!(t.len(), 1, "{word} gives one token");
        t[0].clone()
    }

    #[test]
    fn normalize_lowercases_drops_accents_and_splits_at_apostrophes() {
        assert_eq!(normalize("Carta d'Identità"), "carta d identita");
        assert_eq!(normalize("  PERCHÉ l’app  IO? Sì!"), "perche l app io si");
        assert_eq!(normalize("Città, più: è 730"), "citta piu e 730");
        assert_eq!(normalize("Straße “ok” — 😀"), "strasse ok");
        assert_eq!(normalize("...  "), "");
    }

    #[test]
    fn stop_words_are_sorted_normalized_and_keep_io() {
        assert!(
            STOP_WORDS.windows(2).all(|w| w[0] < w[1]),
            "sorted, no duplicates"
        );
        assert!(STOP_WORDS.iter().all(|w| normalize(w) == *w && w.len() > 1));
        assert!(is_kept("io") && is_kept("4") && !is_kept("a") && !is_kept("di"));
        assert_eq!(tokens("l'app IO"), vec!["app", "io"]);
        assert_eq!(tokens("Municipio 4"), vec!["municip", "4"]);
    }

    #[test]
    fn tokens_drop_stop_words_and_meet_on_stems() {
        assert_eq!(stem("bollettini"), stem("bollettino"));
        assert_eq!(stem("identità"), stem("identita"));
        assert_eq!(stem("IDENTITÀ"), stem("identita"));
        assert_eq!(stem("pagamenti"), stem("pagamento"));
        assert_eq!(stem("carte"), stem("carta"));
        assert_eq!(stem("martedì"), stem("martedi"));
        assert_ne!(stem("carta"), stem("cartella"));
        assert_eq!(tokens("la carta di identità"), tokens("Carta d'identita"));
        assert_eq!(tokens("il, lo, la, di, e, a"), Vec::<String>::new());
    }

    #[test]
    fn fuzzy_keys_survive_typos_outside_two_of_the_first_consonants() {
        let shares = |a: &str, b: &str| {
            let (ka, kb) = (fuzzy_keys(&stem(a)), fuzzy_keys(&stem(b)));
            ka.iter().any(|k| kb.contains(k))
        };
        for (typo, word) in [
            ("fishing", "phishing"),
            ("fasciclo", "fascicolo"),
            ("bolletino", "bollettino"),
            ("scoula", "scuola"),
            ("trufe", "truffe"),
            ("pgamento", "pagamento"),
            ("iscirzione", "iscrizione"),
            ("sipd", "spid"),
            ("identta", "identita"),
            ("kartella", "cartella"),
            ("rtuffa", "truffa"),
            ("stada", "strada"),
        ] {
            assert!(shares(typo, word), "{typo} {word}");
        }
        assert_eq!(fuzzy_keys("phishing"), vec!["fn", "fs", "sn"]);
        assert_eq!(fuzzy_keys("aiut"), vec!["t"]);
        assert_eq!(fuzzy_keys("io"), vec!["_"]);
        assert_eq!(fuzzy_keys("cas"), vec!["c", "cs", "s"]);
        assert!(!shares("casa", "pane"));
    }

    #[test]
    fn windows_are_cut_at_spaces() {
        let long = "Prima di iniziare controlla di avere tutto quello che serve, con calma e senza fretta, \
                    perché il gestore chiede una foto del documento e poi anche un video breve in cui leggi \
                    ad alta voce il codice che compare sullo schermo del telefono durante la registrazione.";
        assert!(window(long, long.find("video").unwrap(), 60).contains("video"));
        let w = window(long, long.find("registrazione").unwrap(), 60);
        assert!(
            w.starts_with('…') && w.ends_with("registrazione.") && w.chars().count() <= 61,
            "{w}"
        );
        assert_eq!(window("breve", 0, 60), "breve");
    }
}
