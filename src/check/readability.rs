//! Gulpease readability index (Lucisano & Piemontese, 1988), counted as ACCESSIBILITY.md says:
//! `G = 89 + (300 × sentences − 10 × letters) / words`, shown clamped to 0..=100.
//! - URLs (`http://`, `https://`, `www.`) and e-mail addresses are removed before counting.
//! - Letters are `char::is_alphabetic` characters: accented letters count; digits, punctuation,
//!   symbols, emoji and combining marks do not.
//! - Words are maximal runs of letters and digits holding at least one letter ("2024" is not a
//!   word, "A4" is one). Apostrophes (' ’ ʼ) and hyphens split words, so an elided article is its
//!   own word: "l'app" and "dell'identità" are two words each, "e-mail" is two.
//! - Sentences end at a run of `.` `!` `?` `…` ("?!" and "..." count once), except when the run
//!   is directly followed by a letter or digit (3.5, 1.000, 12.30, sig.ra, modulo.pdf) or is a
//!   single `.` after an abbreviation in [`ABBREVIATIONS`] (any case) or a capital initial ("G.").
//! - Every block ends a sentence: a list item, heading or cell (`is_unit`) without final
//!   punctuation is one sentence, and so is a paragraph's unpunctuated tail. Stretches with no
//!   words ("2024.", an emoji, a lone URL) are not sentences.

/// Abbreviations (without their final dot) after which a `.` does not end a sentence.
pub const ABBREVIATIONS: &[&str] = &[
    "es", "ecc", "dott", "dr", "sig", "sig.ra", "n", "pag", "tel", "art", "prof",
];

/// One unit of prose taken from a Markdown body: a paragraph, a list item, a heading, a table cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextBlock<'a> {
    /// Plain text; may still hold URLs and e-mail addresses (they are removed here).
    pub text: &'a str,
    /// 1-based line in the source file where the block starts.
    pub line: usize,
    /// True for list items, headings and table cells.
    pub is_unit: bool,
}

/// One counted sentence: its text (whitespace collapsed), 1-based line and word count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sentence {
    pub text: String,
    pub line: usize,
    pub words: usize,
}

/// Counts over a set of blocks; `words` is the sum of the sentences' words.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Analysis {
    pub letters: usize,
    pub words: usize,
    pub sentences: Vec<Sentence>,
    /// Which sentences keep their text.
    pub keep: KeepText,
    /// Word counts of the longest sentences so far, longest first (at most
    /// `keep.longest`).
    top: Vec<usize>,
}

/// Which sentences keep their text; the others keep their line and words,
/// with an empty text (a page has hundreds of sentences, and its warnings
/// name only a few).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct KeepText {
    /// Every sentence of more words than this (0: every sentence).
    pub over: usize,
    /// And the longest this many, as [`Analysis::longest`] picks them.
    pub longest: usize,
}

impl Analysis {
    /// An empty analysis keeping the texts `keep` says.
    pub fn keeping(keep: KeepText) -> Self {
        Analysis {
            keep,
            ..Analysis::default()
        }
    }

    /// Whether a sentence of `words` words, closing now, keeps its text. A
    /// sentence not among the longest when it closes never will be: later
    /// ones only push it down, and ties keep the earlier one.
    fn keeps(&mut self, words: usize) -> bool {
        let longest = push_longest(&mut self.top, words, self.keep.longest, |&w| w);
        self.keep.over == 0 || words > self.keep.over || longest
    }

    /// Unclamped Gulpease index; `None` when there are no words.
    pub fn index(&self) -> Option<f64> {
        gulpease(self.letters, self.words, self.sentences.len())
    }

    /// The index as shown to people: clamped to 0..=100 and rounded to one decimal.
    pub fn shown(&self) -> Option<f64> {
        self.index().map(shown)
    }

    /// The `n` sentences with the most words, longest first (ties keep text order).
    pub fn longest(&self, n: usize) -> Vec<&Sentence> {
        let mut top: Vec<&Sentence> = Vec::with_capacity(n + 1);
        for s in &self.sentences {
            push_longest(&mut top, s, n, |t| t.words);
        }
        top
    }

    /// Adds another analysis (e.g. a step's) to this one (e.g. the page's).
    pub fn merge(&mut self, other: Analysis) {
        self.letters += other.letters;
        self.words += other.words;
        self.sentences.extend(other.sentences);
    }
}

/// Puts `item` into `top`, the `n` longest so far by `words`, longest
/// first, ties in the order they came; whether it went in.
fn push_longest<T>(top: &mut Vec<T>, item: T, n: usize, words: impl Fn(&T) -> usize) -> bool {
    let at = top.partition_point(|t| words(t) >= words(&item));
    if at >= n {
        return false;
    }
    top.insert(at, item);
    top.truncate(n);
    true
}

/// `G = 89 + (300 × sentences − 10 × letters) / words`, unclamped; `None` when `words` is 0.
pub fn gulpease(letters: usize, words: usize, sentences: usize) -> Option<f64> {
    if words == 0 {
        return None;
    }
    Some(89.0 + (300.0 * sentences as f64 - 10.0 * letters as f64) / words as f64)
}

/// Clamps an index to 0..=100 and rounds it to one decimal, for display.
pub fn shown(index: f64) -> f64 {
    (index.clamp(0.0, 100.0) * 10.0).round() / 10.0
}

/// Counts letters, words and sentences in `blocks`, in order.
pub fn analyze(blocks: &[TextBlock]) -> Analysis {
    let mut out = Analysis::default();
    for block in blocks {
        scan(block, &mut out);
    }
    out
}

fn is_word_char(c: char) -> bool {
    c != '\u{2BC}' && (c.is_alphabetic() || c.is_numeric())
}

/// Combining marks (decomposed accents) continue a word but are not letters.
fn is_mark(c: char) -> bool {
    matches!(c as u32, 0x300..=0x36F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F)
}

fn is_terminator(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | '…')
}

fn is_opener(c: char) -> bool {
    matches!(
        c,
        '(' | '[' | '{' | '<' | '"' | '\'' | '«' | '“' | '‘' | '`' | '*' | '_'
    )
}

fn is_closer(c: char) -> bool {
    matches!(
        c,
        ')' | ']' | '}' | '>' | '"' | '\'' | '»' | '”' | '’' | '`' | '*' | '_'
    )
}

/// The sentence being built inside one block.
#[derive(Default)]
struct Open {
    /// Byte offset and line of its first non-blank character.
    start: Option<(usize, usize)>,
    words: usize,
}

impl Open {
    fn close(&mut self, text: &str, end: usize, out: &mut Analysis) {
        if let Some((start, line)) = self.start.take() {
            if self.words > 0 {
                let text = if out.keeps(self.words) {
                    collapse_whitespace(text.get(start..end).unwrap_or(""))
                } else {
                    String::new()
                };
                out.sentences.push(Sentence {
                    text,
                    line,
                    words: self.words,
                });
            }
        }
        self.words = 0;
    }
}

/// A sentence's words separated by single spaces. Most sentences already
/// are (ASCII, one space between words): they are copied as they are.
fn collapse_whitespace(raw: &str) -> String {
    let bytes = raw.as_bytes();
    let plain = bytes
        .iter()
        .all(|&b| b.is_ascii() && (b == b' ' || !b.is_ascii_whitespace()))
        && !bytes.windows(2).any(|w| w == b"  ")
        && bytes.first() != Some(&b' ')
        && bytes.last() != Some(&b' ');
    if plain {
        return raw.to_string();
    }
    let mut text = String::with_capacity(raw.len());
    for word in raw.split_whitespace() {
        if !text.is_empty() {
            text.push(' ');
        }
        text.push_str(word);
    }
    text
}

/// Adds the counts of one block to `out`.
pub fn scan(block: &TextBlock, out: &mut Analysis) {
    let text = block.text;
    let bytes = text.as_bytes();
    let mut open = Open::default();
    let mut newlines = 0;
    let mut at = 0;
    while at < bytes.len() {
        let width = whitespace_at(text, at);
        if width > 0 {
            newlines += usize::from(bytes[at] == b'\n');
            at += width;
            continue;
        }
        // The token up to the next whitespace; on the way, whether it is
        // one plain ASCII word (letters and digits, maybe a final comma)
        // and how many letters it has.
        let start = at;
        let (mut letters, mut others, mut wide) = (0usize, 0usize, false);
        while at < bytes.len() {
            match TOKEN_BYTE[usize::from(bytes[at])] {
                LETTER => {
                    // Most of a text: runs of ASCII letters, counted whole.
                    let run = crate::ascii::run_len(&bytes[at..], false);
                    letters += run;
                    at += run;
                    continue;
                }
                DIGIT => {}
                SPACE => break,
                OTHER => others += 1,
                _ => {
                    let c = text[at..].chars().next().expect("a char boundary");
                    if c.is_whitespace() {
                        break;
                    }
                    wide = true;
                    at += c.len_utf8();
                    continue;
                }
            }
            at += 1;
        }
        let plain =
            !wide && (others == 0 || (others == 1 && at - start > 1 && bytes[at - 1] == b','));
        let line = block.line.saturating_add(newlines);
        scan_token(
            text,
            start,
            at,
            line,
            plain.then_some(letters),
            &mut open,
            out,
        );
    }
    // A list item, heading or cell without final punctuation is one sentence, and so is
    // the unpunctuated tail of a paragraph: both close here (if they have words).
    open.close(text, text.len(), out);
}

/// The length in bytes of the whitespace character at byte `at` of `text`
/// (a char boundary), or 0 when the character there is not whitespace.
fn whitespace_at(text: &str, at: usize) -> usize {
    let b = text.as_bytes()[at];
    if b.is_ascii() {
        // `char::is_whitespace` on ASCII: tab, line feed, vertical tab, form feed, return, space.
        return usize::from(matches!(b, b'\t'..=b'\r' | b' '));
    }
    match text[at..].chars().next() {
        Some(c) if c.is_whitespace() => c.len_utf8(),
        _ => 0,
    }
}

/// What a byte is to the token scan: an ASCII letter, digit, whitespace or
/// other character, or a byte of a wider character.
const LETTER: u8 = 0;
const DIGIT: u8 = 1;
const SPACE: u8 = 2;
const OTHER: u8 = 3;
const WIDE: u8 = 4;
static TOKEN_BYTE: [u8; 256] = {
    let mut table = [WIDE; 256];
    let mut b = 0;
    while b < 0x80 {
        table[b] = match b as u8 {
            b'a'..=b'z' | b'A'..=b'Z' => LETTER,
            b'0'..=b'9' => DIGIT,
            // `char::is_whitespace` on ASCII: tab, line feed, vertical tab, form feed, return, space.
            b'\t'..=b'\r' | b' ' => SPACE,
            _ => OTHER,
        };
        b += 1;
    }
    table
};

/// Scans one whitespace-free token `text[from..to]`, which starts on `line`;
/// `plain_letters` is the letter count of a token that is one plain ASCII
/// word, maybe with a final comma (most tokens), read without its chars.
fn scan_token(
    text: &str,
    from: usize,
    to: usize,
    line: usize,
    plain_letters: Option<usize>,
    open: &mut Open,
    out: &mut Analysis,
) {
    let token = &text[from..to];
    if let Some(letters) = plain_letters {
        if open.start.is_none() {
            open.start = Some((from, line));
        }
        let mut in_run = true;
        let mut run_letters = letters;
        flush(&mut in_run, &mut run_letters, open, out);
        return;
    }
    let (skip_from, skip_to) = removed_span(token);
    let mut run_letters = 0;
    let mut in_run = false;
    let mut chars = token.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if open.start.is_none() {
            open.start = Some((from + i, line));
        }
        if i >= skip_from && i < skip_to {
            flush(&mut in_run, &mut run_letters, open, out);
            continue;
        }
        if is_word_char(c) {
            in_run = true;
            run_letters += usize::from(c.is_alphabetic());
            continue;
        }
        if in_run && is_mark(c) {
            continue;
        }
        flush(&mut in_run, &mut run_letters, open, out);
        if !is_terminator(c) {
            continue;
        }
        let mut end = i + c.len_utf8();
        let mut single = c == '.';
        while let Some(&(j, d)) = chars.peek() {
            if !is_terminator(d) {
                break;
            }
            single = false;
            end = j + d.len_utf8();
            chars.next();
        }
        // "3.5", "12.30", "sig.ra", "modulo.pdf": not a sentence end.
        if token[end..].chars().next().is_some_and(is_word_char) {
            continue;
        }
        let floor = if skip_to <= i { skip_to } else { 0 };
        if single && is_abbreviation(&token[floor..i]) {
            continue;
        }
        while let Some(&(j, d)) = chars.peek() {
            if !is_closer(d) {
                break;
            }
            end = j + d.len_utf8();
            chars.next();
        }
        open.close(text, from + end, out);
    }
    flush(&mut in_run, &mut run_letters, open, out);
}

/// Ends the current run of word characters; it is a word if it holds a letter.
fn flush(in_run: &mut bool, run_letters: &mut usize, open: &mut Open, out: &mut Analysis) {
    if *in_run && *run_letters > 0 {
        out.words += 1;
        out.letters += *run_letters;
        open.words += 1;
    }
    *in_run = false;
    *run_letters = 0;
}

/// True when the text just before a single `.` is a known abbreviation or a capital initial.
fn is_abbreviation(before: &str) -> bool {
    let start = before
        .char_indices()
        .rev()
        .take_while(|&(_, c)| is_word_char(c) || is_mark(c) || c == '.')
        .last()
        .map_or(before.len(), |(j, _)| j);
    let word = before[start..].trim_start_matches('.');
    let mut chars = word.chars();
    if let (Some(c), None) = (chars.next(), chars.next()) {
        if c.is_uppercase() {
            return true;
        }
    }
    ABBREVIATIONS.iter().any(|a| a.eq_ignore_ascii_case(word))
}

/// Byte range of `token` holding a URL or an e-mail address, without surrounding
/// brackets, quotes and trailing punctuation; `(0, 0)` when there is none.
fn removed_span(token: &str) -> (usize, usize) {
    // Every address holds one of these (most words none).
    if !token.bytes().any(|b| matches!(b, b':' | b'@' | b'.')) {
        return (0, 0);
    }
    let core_start = token.find(|c: char| !is_opener(c)).unwrap_or(token.len());
    let core_end = token
        .trim_end_matches(|c: char| {
            is_closer(c) || is_terminator(c) || matches!(c, ',' | ';' | ':')
        })
        .len();
    if core_end <= core_start {
        return (0, 0);
    }
    let core = &token[core_start..core_end];
    if let Some(p) = find_ascii_ci(core, "https://").or_else(|| find_ascii_ci(core, "http://")) {
        return (core_start + p, core_end);
    }
    if core.len() >= 4 && core.as_bytes()[..4].eq_ignore_ascii_case(b"www.") {
        return (core_start, core_end);
    }
    if let Some(at) = core.find('@') {
        let domain = &core[at + 1..];
        if at > 0 && domain.contains('.') && domain.chars().any(is_word_char) {
            return (core_start, core_end);
        }
    }
    (0, 0)
}

/// Byte offset of an ASCII `needle` in `hay`, ignoring ASCII case. A match starts with an
/// ASCII byte, so the offset is always a char boundary.
fn find_ascii_ci(hay: &str, needle: &str) -> Option<usize> {
    hay.as_bytes()
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prose(text: &str) -> TextBlock<'_> {
        TextBlock {
            text,
            line: 1,
            is_unit: false,
        }
    }

    fn unit(text: &str) -> TextBlock<'_> {
        TextBlock {
            text,
            line: 1,
            is_unit: true,
        }
    }

    /// (letters, words, sentences) of one prose block.
    fn counts(text: &str) -> (usize, usize, usize) {
        let a = analyze(&[prose(text)]);
        (a.letters, a.words, a.sentences.len())
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn worked_example_short_sentences() {
        // Apri(4) l(1) app(3) IO(2) | Tocca(5) il(2) tasto(5) Entra(5) con(3) SPID(4)
        // | Scegli(6) il(2) tuo(3) gestore(7): L = 10 + 24 + 18 = 52, W = 4 + 6 + 4 = 14, S = 3.
        // G = 89 + (900 − 520) / 14 = 116.142..., shown 100.
        let a = analyze(&[prose(
            "Apri l'app IO. Tocca il tasto Entra con SPID. Scegli il tuo gestore.",
        )]);
        assert_eq!((a.letters, a.words, a.sentences.len()), (52, 14, 3));
        assert!(close(a.index().unwrap(), 89.0 + 380.0 / 14.0));
        assert_eq!((a.index().unwrap() * 10.0).round() / 10.0, 116.1);
        assert_eq!(a.shown(), Some(100.0));
    }

    #[test]
    fn worked_example_bureaucratic() {
        // S = 1, L = 187, W = 33 (all'|dell' split): G = 89 + (300 − 1870) / 33 = 41.42... → 41.4.
        let a = analyze(&[prose(
            "Per procedere all'attivazione dell'identità digitale è necessario che il\n\
             cittadino disponga di un documento di riconoscimento in corso di validità,\n\
             della tessera sanitaria e di un indirizzo di posta elettronica personale.",
        )]);
        assert_eq!((a.letters, a.words, a.sentences.len()), (187, 33, 1));
        assert_eq!(a.shown(), Some(41.4));
        assert_eq!(a.sentences[0].words, 33);
    }

    #[test]
    fn elision_and_accents() {
        // L(1) ufficio(7) è(1) aperto(6) = 15 | Porta(5) la(2) carta(5) d(1) identità(8) = 21.
        // L = 36, W = 4 + 5 = 9, S = 2: G = 89 + (600 − 360) / 9 = 115.67.
        let a = analyze(&[prose("L'ufficio è aperto. Porta la carta d’identità.")]);
        assert_eq!((a.letters, a.words, a.sentences.len()), (36, 9, 2));
        assert!(close(a.index().unwrap(), 89.0 + 240.0 / 9.0));
        // Decomposed accents (e + U+0300) count the same as precomposed ones.
        assert_eq!(
            counts("perche\u{301} citta\u{300}dina e\u{300}"),
            counts("perché cittàdina è")
        );
        assert_eq!(counts("perché cittàdina è"), (16, 3, 1));
    }

    #[test]
    fn abbreviations_do_not_end_sentences() {
        // Porta(5) un(2) documento(9) es(2) la(2) carta(5) d(1) identità(8) il(2) passaporto(10)
        // ecc(3) e(1) la(2) tessera(7) = 59, 14 words | Chiedi(6) al(2) Dott(4) Rossi(5) = 17, 4 words.
        // L = 76, W = 18, S = 2: G = 89 + (600 − 760) / 18 = 80.11.
        let a = analyze(&[prose(
            "Porta un documento, es. la carta d'identità, il passaporto ecc. e la tessera. \
             Chiedi al Dott. Rossi.",
        )]);
        assert_eq!((a.letters, a.words, a.sentences.len()), (76, 18, 2));
        assert!(close(a.index().unwrap(), 89.0 - 160.0 / 18.0));
        assert_eq!(a.shown(), Some(80.1));
        assert_eq!(a.sentences[1].text, "Chiedi al Dott. Rossi.");
    }

    #[test]
    fn more_abbreviations_and_initials() {
        // La(2) sig(3) ra(2) G(1) Rossi(5) risponde(8) al(2) tel(3) vedi(4) pag(3) e(1) art(3)
        // del(3) modulo(6) n(1) = 47, 15 words | Grazie(6), 1 word. "n. 7." ends on "7.".
        // L = 53, W = 16, S = 2: G = 89 + (600 − 530) / 16 = 93.375.
        let a = analyze(&[prose(
            "La sig.ra G. Rossi risponde al tel. 02 1234, vedi pag. 3 e art. 5 del modulo n. 7. Grazie.",
        )]);
        assert_eq!((a.letters, a.words, a.sentences.len()), (53, 16, 2));
        assert!(close(a.index().unwrap(), 93.375));
        // PROF. and Sig.Ra. match in any case; a lower-case single letter is not an initial.
        assert_eq!(counts("Il PROF. Bianchi e la Sig.Ra. Neri."), (25, 8, 1));
        assert_eq!(counts("Scrivi la x. Poi invia."), (17, 5, 2));
    }

    #[test]
    fn numbers_and_times() {
        // Lo(2) sportello(9) apre(4) alle(4) e(1) costa(5) euro(4) = 29, 7 words
        // | Il(2) tasso(5) è(1) per(3) cento(5) = 16, 5 words; 12.30, 1.000 and 3.5 are no words.
        // L = 45, W = 12, S = 2: G = 89 + (600 − 450) / 12 = 101.5, shown 100.
        let a = analyze(&[prose(
            "Lo sportello apre alle 12.30 e costa 1.000 euro. Il tasso è 3.5 per cento.",
        )]);
        assert_eq!((a.letters, a.words, a.sentences.len()), (45, 12, 2));
        assert!(close(a.index().unwrap(), 101.5));
        assert_eq!(a.shown(), Some(100.0));
        // A time at the end of a sentence still ends it; "A4" is a word, "2024" is not.
        assert_eq!(
            counts("Vieni alle 12.30. Porta un foglio A4 del 2024."),
            (26, 7, 2)
        );
    }

    #[test]
    fn urls_and_emails_are_removed() {
        // Vai(3) su(2) = 5 | Scrivi(6) a(1) per(3) aiuto(5) = 15 | Oppure(6) apri(4) = 10.
        // L = 30, W = 8, S = 3: G = 89 + (900 − 300) / 8 = 164.
        let a = analyze(&[prose(
            "Vai su https://www.spid.gov.it/cos-e-spid. Scrivi a info@comune.milano.it per aiuto! \
             Oppure apri (www.comune.milano.it).",
        )]);
        assert_eq!((a.letters, a.words, a.sentences.len()), (30, 8, 3));
        assert!(close(a.index().unwrap(), 164.0));
        // The shown sentence keeps the address, so the editor can find it.
        assert_eq!(
            a.sentences[0].text,
            "Vai su https://www.spid.gov.it/cos-e-spid."
        );
        assert_eq!(
            counts("Apri <HTTPS://io.italia.it> o mailto:pec@pec.it."),
            (5, 2, 1)
        );
        // A lone address is no sentence at all.
        assert_eq!(analyze(&[unit("https://www.inps.it")]).index(), None);
    }

    #[test]
    fn terminator_runs_count_once() {
        // Hai(3) perso(5) il(2) PIN(3) = 13 | Niente(6) paura(5) = 11 | Chiedi(6) aiuto(5) = 11.
        // L = 35, W = 8, S = 3: G = 89 + (900 − 350) / 8 = 157.75.
        let a = analyze(&[prose("Hai perso il PIN?! Niente paura... Chiedi aiuto.")]);
        assert_eq!((a.letters, a.words, a.sentences.len()), (35, 8, 3));
        assert!(close(a.index().unwrap(), 157.75));
        assert_eq!(counts("Aspetta… poi tocca Avanti!!!"), (21, 4, 2));
        // Closing quotes stay with the sentence they close.
        let a = analyze(&[prose("Tocca «Entra». \"Fatto!\" Ora esci.")]);
        let texts: Vec<&str> = a.sentences.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(texts, ["Tocca «Entra».", "\"Fatto!\"", "Ora esci."]);
    }

    #[test]
    fn headings_and_list_items_are_units() {
        // Heading Cosa(4) ti(2) serve(5) = 11, 3 words; items La(2) tessera(7) sanitaria(9) = 18,
        // 3 words; Il(2) telefono(8) = 10, 2 words; Un(2) indirizzo(9) e(1) mail(4) = 16, 4 words.
        // L = 55, W = 12, S = 4: G = 89 + (1200 − 550) / 12 = 143.17.
        let blocks = [
            unit("Cosa ti serve"),
            unit("La tessera sanitaria"),
            unit("Il telefono"),
            unit("Un indirizzo e-mail"),
        ];
        let a = analyze(&blocks);
        assert_eq!((a.letters, a.words, a.sentences.len()), (55, 12, 4));
        assert!(close(a.index().unwrap(), 89.0 + 650.0 / 12.0));
        // The same words run together as one paragraph are one sentence:
        // G = 89 + (300 − 550) / 12 = 68.17.
        let joined = analyze(&[prose(
            "Cosa ti serve La tessera sanitaria Il telefono Un indirizzo e-mail",
        )]);
        assert_eq!(joined.sentences.len(), 1);
        assert_eq!(joined.shown(), Some(68.2));
        // A paragraph's unpunctuated tail is a sentence too; "ecc." at the end closes it.
        assert_eq!(counts("Apri l'app. Poi tocca Entra"), (21, 6, 2));
        assert_eq!(counts("Porta i documenti ecc."), (18, 4, 1));
    }

    #[test]
    fn sentence_lines_across_a_block() {
        let block = TextBlock {
            text: "Apri l'app.\nTocca Entra. Poi\n\n  scegli il gestore e\nscrivi il codice.",
            line: 10,
            is_unit: false,
        };
        let tail = TextBlock {
            text: "\n\nGrazie",
            line: 20,
            is_unit: true,
        };
        let a = analyze(&[block, tail]);
        let got: Vec<(usize, &str, usize)> = a
            .sentences
            .iter()
            .map(|s| (s.line, s.text.as_str(), s.words))
            .collect();
        assert_eq!(
            got,
            [
                (10, "Apri l'app.", 3),
                (11, "Tocca Entra.", 2),
                (11, "Poi scegli il gestore e scrivi il codice.", 8),
                (22, "Grazie", 1),
            ]
        );
    }

    #[test]
    fn longest_sentences_in_order() {
        // Word counts: 3, 5, 3, 5, 1.
        let a = analyze(&[prose(
            "Apri l'app. Tocca il tasto blu grande. Scegli il gestore. Scrivi qui nome e cognome. Fine.",
        )]);
        let words: Vec<usize> = a.sentences.iter().map(|s| s.words).collect();
        assert_eq!(words, [3, 5, 3, 5, 1]);
        let top: Vec<&str> = a.longest(3).iter().map(|s| s.text.as_str()).collect();
        assert_eq!(
            top,
            [
                "Tocca il tasto blu grande.",
                "Scrivi qui nome e cognome.",
                "Apri l'app."
            ]
        );
        assert_eq!(a.longest(10).len(), 5);
        assert!(a.longest(0).is_empty());
    }

    #[test]
    fn kept_texts_are_the_long_and_the_longest_sentences() {
        let blocks = [
            prose("Apri l'app. Tocca il tasto blu grande. Scegli il gestore."),
            prose("Scrivi qui nome e cognome. Fine. Poi premi il tasto Entra."),
            prose("Tocca Avanti. Hai finito."),
        ];
        let all = analyze(&blocks);
        let keep = KeepText {
            over: 4,
            longest: 2,
        };
        let mut some = Analysis::keeping(keep);
        for b in &blocks {
            scan(b, &mut some);
        }
        assert_eq!((some.letters, some.words), (all.letters, all.words));
        let texts =
            |a: &Analysis| -> Vec<String> { a.longest(2).iter().map(|s| s.text.clone()).collect() };
        assert_eq!(texts(&some), texts(&all));
        // Those over four words, and those among the two longest when they
        // closed (the first one, while there were fewer than two).
        let words: Vec<usize> = all.sentences.iter().map(|s| s.words).collect();
        assert_eq!(words, [3, 5, 3, 5, 1, 5, 2, 2]);
        let kept: Vec<bool> = some.sentences.iter().map(|s| !s.text.is_empty()).collect();
        assert_eq!(kept, [true, true, false, true, false, true, false, false]);
        for (s, full) in some.sentences.iter().zip(&all.sentences) {
            assert_eq!((s.line, s.words), (full.line, full.words));
            assert!(s.text.is_empty() || s.text == full.text);
        }
    }

    #[test]
    fn empty_input_has_no_index() {
        assert_eq!(analyze(&[]).index(), None);
        assert_eq!(analyze(&[]).shown(), None);
        let a = analyze(&[prose(""), unit("   \n "), prose("2024. 12.30 ... 😀 ?!")]);
        assert_eq!(
            (a.letters, a.words, a.sentences.len(), a.index()),
            (0, 0, 0, None)
        );
        assert_eq!(gulpease(10, 0, 1), None);
        // No sentences but words: 89 − 10·10/2 = 39.
        assert_eq!(gulpease(10, 2, 0), Some(39.0));
        assert_eq!(shown(-12.34), 0.0);
        assert_eq!(shown(55.56), 55.6);
    }

    #[test]
    fn merge_adds_counts() {
        let mut page = analyze(&[prose("Apri l'app.")]);
        page.merge(analyze(&[prose("Tocca Entra.")]));
        let both = analyze(&[prose("Apri l'app. Tocca Entra.")]);
        assert_eq!(page, both);
    }

    /// Words summed over sentences always equal the total, and letters never exceed 1 per char.
    fn check_invariants(blocks: &[TextBlock]) -> Analysis {
        let a = analyze(blocks);
        assert_eq!(a.sentences.iter().map(|s| s.words).sum::<usize>(), a.words);
        assert!(a.words <= a.letters);
        assert!(a.letters <= blocks.iter().map(|b| b.text.chars().count()).sum());
        assert!(a
            .sentences
            .iter()
            .all(|s| s.words > 0 && !s.text.is_empty()));
        if let Some(g) = a.shown() {
            assert!((0.0..=100.0).contains(&g));
        }
        a
    }

    #[test]
    fn weird_unicode_never_panics() {
        let samples = [
            "e\u{301}\u{301}\u{301} \u{301}' ’ '' l' 'app ʼ ʼʼ ’’’ l’ ’",
            "😀👍🏽 👨‍👩‍👧 🇮🇹. Ciao 😀! ❤️?",
            "مرحبا بالعالم. كيف حالك؟ שלום עולם. \u{202E}Apri\u{202C} l'app.",
            "@ @@ a@ @b a@b. http:// https://. www. ... .?!. …… \u{0} \u{FEFF}",
            "日本語のテキスト。한국어. Ⅻ ½ ² 3.5.5... 1.000.000,00",
            ".",
            "?",
            "a",
            "'",
            "\n\n\n",
            "sig.ra.",
            "G.",
            "n..",
        ];
        for s in samples {
            check_invariants(&[prose(s), unit(s)]);
        }
        // Arabic letters count (5 + 7 + 3 + 4 = 19); "؟" is no terminator, the tail still counts.
        assert_eq!(counts("مرحبا بالعالم. كيف حالك؟"), (19, 4, 2));
        // 100 KB+ of text with every kind of token.
        let chunk =
            "Apri l'app IO (https://io.italia.it) alle 12.30, es. già?! Scrivi a a@b.it… 😀 ";
        let big = chunk.repeat(100_000 / chunk.len() + 1);
        let a = check_invariants(&[prose(&big)]);
        let n = big.matches(chunk).count();
        // Per chunk: Apri l app IO alle es già | Scrivi a (9 words, 2 sentences).
        assert_eq!((a.words, a.sentences.len()), (9 * n, 2 * n));
        // Pseudo-random characters drawn from a tricky alphabet.
        let alphabet: Vec<char> = "aèZ '’.!?…@:/wh3 \n\u{301}😀ב«»\"()-_".chars().collect();
        let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
        for _ in 0..50 {
            let text: String = (0..2_000)
                .map(|_| {
                    seed = seed
                        .wrapping_mul(6_364_136_223_846_793_005)
                        .wrapping_add(1_442_695_040_888_963_407);
                    alphabet[(seed >> 33) as usize % alphabet.len()]
                })
                .collect();
            check_invariants(&[prose(&text), unit(&text)]);
        }
    }
}
