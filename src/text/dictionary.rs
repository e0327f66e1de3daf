//! Cross-script name dictionary: non-Latin name words mapped to their English (Latin) spellings.
//!
//! String transliteration cannot know that `麦克里里` is `McCreary` or that `Сергей` is written both
//! `Sergei` and `Sergey`. This module answers such questions from a dictionary of name words mined from
//! Wikidata labels (Arabic, Chinese, Hebrew, Japanese, Korean and Russian against English; see
//! `data/NOTICE`), compiled by `examples/build_dictionary.rs` into `data/translit.fst` and embedded in the
//! binary, so it works without any file at run time.
//!
//! The file holds an FST, a list of English words and a table. The FST maps each foreign word to an
//! offset in the table, where its English equivalents are listed most frequent first, each as the offset
//! of the word in the list (every English word is stored once), after a logarithmic frequency class of
//! the first. A lookup is one FST walk plus direct reads. This keeps the file about a fifth smaller than
//! one FST keyed by `foreign\0english`. Both sides are normalised with [`normalize`] (foreign) and
//! [`normalize_latin`] (English) at build and at lookup time.
//!
//! Scripts written without spaces between name words (Han, Kana, Hangul) can be split into dictionary
//! words with [`segment`].

use std::collections::BTreeMap;
use std::sync::OnceLock;

use fst::raw::Output;
use fst::{Map, MapBuilder};
use unicode_normalization::{is_nfkc_quick, IsNormalized, UnicodeNormalization};
use unicode_script::{Script, UnicodeScript};

use crate::{Error, Result};

/// The compiled dictionary, embedded at build time.
static DICTIONARY_BYTES: &[u8] = include_bytes!("../../data/translit.fst");

/// Traditional → simplified Chinese characters (`traditional<TAB>simplified` lines, `#` comments).
static HAN_SIMPLIFIED: &str = include_str!("../../data/han_simplified.tsv");

/// First bytes of a dictionary file (format version 2).
pub const MAGIC: &[u8; 8] = b"SARDICT2";

/// At most this many equivalents are returned by [`equivalents`].
pub const MAX_EQUIVALENTS: usize = 5;

/// Longest run (in characters) that [`segment`] tries to split; longer runs give `None`.
const MAX_SEGMENT_RUN: usize = 64;

/// Longest dictionary word (in characters) that [`segment`] tries as one piece.
const MAX_PIECE: usize = 20;

/// Highest frequency class stored (counts of 2^15 and above share it).
const MAX_CLASS: u64 = 15;

/// At most this many English words are stored per foreign word (the most frequent).
const MAX_STORED: usize = 64;

/// A compiled cross-script dictionary, borrowed from its bytes (see [`embedded`] for the shipped one).
pub struct Dictionary<'a> {
    /// Foreign word → offset of its entry in `table`.
    words: Map<&'a [u8]>,
    /// The English words, sorted, each as one length byte and its bytes.
    english: &'a [u8],
    /// Entries: `n << 4 | class of the first`, then `n` offsets into `english`, all LEB128 varints.
    table: &'a [u8],
}

impl std::fmt::Debug for Dictionary<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Dictionary")
            .field("foreign_words", &self.words.len())
            .field("english_bytes", &self.english.len())
            .field("table_bytes", &self.table.len())
            .finish()
    }
}

/// The dictionary shipped in `data/translit.fst`, opened on first use. `None` only if the embedded file
/// were corrupt (then every lookup is empty rather than a panic).
pub fn embedded() -> Option<&'static Dictionary<'static>> {
    static DICT: OnceLock<Option<Dictionary<'static>>> = OnceLock::new();
    DICT.get_or_init(|| Dictionary::from_bytes(DICTIONARY_BYTES).ok()).as_ref()
}

fn corrupt(reason: &str) -> Error {
    Error::InvalidInput(format!("cross-script dictionary: {reason}"))
}

fn read_u64(bytes: &[u8], at: usize) -> Option<u64> {
    let b: [u8; 8] = bytes.get(at..at + 8)?.try_into().ok()?;
    Some(u64::from_le_bytes(b))
}

fn push_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// Reads a LEB128 varint at `*pos`, advancing it; `None` on truncated or overlong input.
fn read_varint(bytes: &[u8], pos: &mut usize) -> Option<u64> {
    let mut v = 0u64;
    for shift in (0..64).step_by(7) {
        let b = *bytes.get(*pos)?;
        *pos += 1;
        v |= u64::from(b & 0x7F) << shift;
        if b & 0x80 == 0 {
            return Some(v);
        }
    }
    None
}

/// The stored frequency class of a count: 1 → 1, 2–3 → 2, 4–7 → 3, ... (capped at 15).
fn count_class(count: u64) -> u64 {
    u64::from(u64::BITS - count.leading_zeros()).min(MAX_CLASS)
}

/// Compiles a dictionary file from `(foreign, english, count)` pairs, as `examples/build_dictionary.rs`
/// does. Both sides are normalised here ([`normalize`], [`normalize_latin`]); pairs whose foreign side is
/// not a valid key or whose English side is empty are skipped, and pairs that normalise alike are summed.
/// Filtering noise is the caller's business.
///
/// ```
/// use saring::text::dictionary::{compile, Dictionary};
/// let bytes = compile(vec![("Сергей".into(), "Sergei".into(), 170), ("сергей".into(), "sergey".into(), 139)]).unwrap();
/// let dict = Dictionary::from_bytes(&bytes).unwrap();
/// assert_eq!(dict.equivalents("СЕРГЕЙ"), ["sergei", "sergey"]);
/// ```
pub fn compile(pairs: impl IntoIterator<Item = (String, String, u64)>) -> Result<Vec<u8>> {
    let mut by_word: BTreeMap<String, BTreeMap<String, u64>> = BTreeMap::new();
    for (foreign, english, count) in pairs {
        let key = normalize(&foreign);
        let english = normalize_latin(&english);
        if !is_valid_key(&key) || english.is_empty() || english.len() > 255 {
            continue;
        }
        *by_word.entry(key).or_default().entry(english).or_insert(0) += count;
    }
    let fst_err = |e: fst::Error| Error::InvalidInput(format!("cross-script dictionary: {e}"));

    let mut english_words: Vec<&str> = by_word.values().flat_map(|m| m.keys().map(String::as_str)).collect();
    english_words.sort_unstable();
    english_words.dedup();
    let mut english = Vec::new();
    let mut english_offsets = Vec::with_capacity(english_words.len());
    for word in &english_words {
        english_offsets.push(english.len() as u64);
        english.push(word.len() as u8); // words over 255 bytes were skipped above
        english.extend_from_slice(word.as_bytes());
    }

    let mut words = MapBuilder::memory();
    let mut table = Vec::new();
    for (key, list) in &by_word {
        let mut list: Vec<(&String, u64)> = list.iter().map(|(e, c)| (e, *c)).collect();
        list.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
        list.truncate(MAX_STORED);
        words.insert(key, table.len() as u64).map_err(fst_err)?;
        let top = list.first().map_or(0, |p| count_class(p.1));
        push_varint(&mut table, (list.len() as u64) << 4 | top);
        for (e, _) in list {
            let i = english_words.binary_search(&e.as_str()).map_err(|_| corrupt("English word lost"))?;
            push_varint(&mut table, english_offsets.get(i).copied().unwrap_or(0));
        }
    }
    let words = words.into_inner().map_err(fst_err)?;

    let mut out = Vec::with_capacity(32 + words.len() + english.len() + table.len());
    out.extend_from_slice(MAGIC);
    for len in [words.len(), english.len(), table.len()] {
        out.extend_from_slice(&(len as u64).to_le_bytes());
    }
    out.extend_from_slice(&words);
    out.extend_from_slice(&english);
    out.extend_from_slice(&table);
    Ok(out)
}

impl<'a> Dictionary<'a> {
    /// Opens a dictionary from the bytes [`compile`] produced; an error if they are not such a file.
    pub fn from_bytes(bytes: &'a [u8]) -> Result<Self> {
        if bytes.get(..8) != Some(MAGIC.as_slice()) {
            return Err(corrupt("not a dictionary file (bad magic)"));
        }
        let lens: Vec<usize> = (0..3)
            .map(|i| read_u64(bytes, 8 + 8 * i).and_then(|v| usize::try_from(v).ok()))
            .collect::<Option<_>>()
            .ok_or_else(|| corrupt("truncated header"))?;
        let mut at = 32usize;
        let mut sections = Vec::with_capacity(3);
        for len in lens {
            let end = at.checked_add(len).ok_or_else(|| corrupt("bad section length"))?;
            sections.push(bytes.get(at..end).ok_or_else(|| corrupt("truncated file"))?);
            at = end;
        }
        if at != bytes.len() {
            return Err(corrupt("trailing bytes"));
        }
        let map = |b: &'a [u8]| Map::new(b).map_err(|e| corrupt(&e.to_string()));
        Ok(Dictionary { words: map(sections[0])?, english: sections[1], table: sections[2] })
    }

    /// Number of foreign words.
    pub fn len(&self) -> usize {
        self.words.len()
    }

    /// Whether there are no foreign words.
    pub fn is_empty(&self) -> bool {
        self.words.len() == 0
    }

    /// A normalised key's entry: (number of equivalents, frequency class of the first, table position
    /// of the first).
    fn entry(&self, key: &str) -> Option<(usize, u64, usize)> {
        let mut pos = usize::try_from(self.words.get(key)?).ok()?;
        let head = read_varint(self.table, &mut pos)?;
        Some((usize::try_from(head >> 4).ok()?.min(MAX_STORED), head & 0xF, pos))
    }

    /// The English word stored at an offset of the word list.
    fn english_at(&self, offset: u64) -> Option<&'a str> {
        let at = usize::try_from(offset).ok()?;
        let len = usize::from(*self.english.get(at)?);
        std::str::from_utf8(self.english.get(at + 1..at + 1 + len)?).ok()
    }

    /// The English equivalents of a normalised key, most frequent first.
    fn english_of<'s>(&'s self, key: &str) -> impl Iterator<Item = &'a str> + 's {
        let (n, _, mut pos) = self.entry(key).unwrap_or((0, 0, 0));
        (0..n).map_while(move |_| read_varint(self.table, &mut pos)).filter_map(|o| self.english_at(o))
    }

    /// English equivalents of one non-Latin word, most frequent first, at most [`MAX_EQUIVALENTS`]
    /// (see the free function [`equivalents`]).
    pub fn equivalents(&self, word: &str) -> Vec<String> {
        let key = normalize(word);
        if !is_valid_key(&key) {
            return Vec::new();
        }
        self.english_of(&key).take(MAX_EQUIVALENTS).map(str::to_string).collect()
    }

    /// Whether this non-Latin word is in the dictionary.
    pub fn is_known(&self, word: &str) -> bool {
        let key = normalize(word);
        is_valid_key(&key) && self.words.contains_key(&key)
    }

    /// Whether `english` is among the equivalents (any rank) of the non-Latin word `foreign`.
    pub fn has_equivalent(&self, foreign: &str, english: &str) -> bool {
        let key = normalize(foreign);
        if !is_valid_key(&key) {
            return false;
        }
        let english = normalize_latin(english);
        !english.is_empty() && self.english_of(&key).any(|e| e == english)
    }

    /// Splits a run written without spaces into dictionary words (see the free function [`segment`]).
    pub fn segment(&self, run: &str) -> Option<Vec<(String, Vec<String>)>> {
        let key = normalize(run);
        if !is_valid_key(&key) || !key.chars().all(is_unspaced_script) {
            return None;
        }
        let chars: Vec<usize> = key.char_indices().map(|(b, _)| b).collect();
        let n = chars.len();
        if n > MAX_SEGMENT_RUN {
            return None;
        }
        let byte_at = |i: usize| chars.get(i).copied().unwrap_or(key.len());
        // best[i]: best split of the first i characters as (pieces, score, previous boundary); the score,
        // the sum of the pieces' top frequency classes, breaks ties between equally short splits.
        let mut best: Vec<Option<(usize, u64, usize)>> = vec![None; n + 1];
        best[0] = Some((0, 0, 0));
        let fst = self.words.as_fst();
        for start in 0..n {
            let Some((pieces, score, _)) = best[start] else { continue };
            // One walk down the FST from `start` finds every dictionary word beginning there.
            let mut node = fst.root();
            let mut out = Output::zero();
            'walk: for (end, slot) in best.iter_mut().enumerate().skip(start + 1).take(MAX_PIECE) {
                for &b in key.as_bytes().get(byte_at(end - 1)..byte_at(end)).unwrap_or_default() {
                    let Some(i) = node.find_input(b) else { break 'walk };
                    let t = node.transition(i);
                    out = out.cat(t.out);
                    node = fst.node(t.addr);
                }
                if !node.is_final() {
                    continue;
                }
                let Some(mut pos) = usize::try_from(out.cat(node.final_output()).value()).ok() else { continue };
                let Some(head) = read_varint(self.table, &mut pos) else { continue };
                let cand = (pieces + 1, score + (head & 0xF), start);
                let better = match *slot {
                    None => true,
                    Some((p, s, _)) => cand.0 < p || (cand.0 == p && cand.1 > s),
                };
                if better {
                    *slot = Some(cand);
                }
            }
        }
        let mut bounds = vec![n];
        let mut i = n;
        while i > 0 {
            let (_, _, prev) = best[i]?;
            bounds.push(prev);
            i = prev;
        }
        bounds.reverse();
        let pieces = bounds
            .windows(2)
            .map(|w| {
                let piece = key[byte_at(w[0])..byte_at(w[1])].to_string();
                let eq = self.english_of(&piece).take(MAX_EQUIVALENTS).map(str::to_string).collect();
                (piece, eq)
            })
            .collect();
        Some(pieces)
    }
}

/// Normalises a non-Latin word into the form used as a dictionary key.
///
/// NFKC, lower case, then: combining marks of the Latin/Cyrillic, Hebrew and Arabic blocks dropped
/// (stress accents, niqqud, harakat), `ё` → `е`, Arabic letter variants folded (`أ إ آ ٱ` → `ا`,
/// `ى ی` → `ي`, `ک` → `ك`, `ة` → `ه`), hiragana → katakana, traditional Chinese characters → simplified
/// (`data/han_simplified.tsv`), katakana `ヴァ ヴィ ヴ ヴェ ヴォ ヴュ` → `バ ビ ブ ベ ボ ビュ`, and everything that is not a letter dropped,
/// including the katakana long vowel mark `ー`, the middle dots `・` and `·`, the Arabic tatweel, and
/// apostrophes or gereshes.
///
/// ```
/// use saring::text::dictionary::normalize;
/// assert_eq!(normalize("Влади́мир"), "владимир");
/// assert_eq!(normalize("ザポロージェツ"), "ザポロジェツ");
/// assert_eq!(normalize("ｳﾗｼﾞｰﾐﾙ・ﾌﾟｰﾁﾝ"), "ウラジミルプチン");
/// assert_eq!(normalize("أحمد"), "احمد");
/// assert_eq!(normalize("喬治"), "乔治");
/// assert_eq!(normalize("ヴァレリー"), normalize("バレリー"));
/// ```
pub fn normalize(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    // Words made only of plain letters of the dictionary's scripts are already in NFKC: skip the
    // normalising iterator and the Unicode property look-ups for them.
    let plain = word.chars().all(|c| is_plain_letter(c) || is_separator(c));
    if plain {
        push_normalized(&mut out, word.chars().map(plain_lowercase), plain);
    } else if is_nfkc_quick(word.chars()) == IsNormalized::Yes {
        push_normalized(&mut out, word.chars().flat_map(char::to_lowercase), plain);
    } else {
        push_normalized(&mut out, word.nfkc().flat_map(char::to_lowercase), plain);
    }
    if out.ends_with('\u{30F4}') {
        out.pop();
        out.push('\u{30D6}');
    }
    out
}

/// The lower case of a plain letter or separator: only Cyrillic `А`–`Я` have one (`а`–`я`).
fn plain_lowercase(c: char) -> char {
    match c {
        '\u{0410}'..='\u{042F}' => char::from_u32(c as u32 + 0x20).unwrap_or(c),
        _ => c,
    }
}

/// The body of [`normalize`], over the lower-cased (and if need be NFKC-normalised) characters.
fn push_normalized(out: &mut String, chars: impl Iterator<Item = char>, plain: bool) {
    for c in chars {
        if is_dropped_mark(c) || is_separator(c) {
            continue;
        }
        let c = fold(c);
        if !plain && !c.is_alphabetic() {
            continue;
        }
        // Katakana ヴ (vu) is written with バ/ビ/ブ/ベ/ボ just as often: ヴァ → バ, ヴィ → ビ, ヴェ → ベ,
        // ヴォ → ボ, ヴュ → ビュ, any other ヴ → ブ.
        if out.ends_with('\u{30F4}') {
            out.pop();
            let (base, absorbed) = match c {
                '\u{30A1}' => ('\u{30D0}', true),
                '\u{30A3}' => ('\u{30D3}', true),
                '\u{30A7}' => ('\u{30D9}', true),
                '\u{30A9}' => ('\u{30DC}', true),
                '\u{30E5}' => ('\u{30D3}', false),
                _ => ('\u{30D6}', false),
            };
            out.push(base);
            if absorbed {
                continue;
            }
        }
        out.push(c);
    }
}

/// Normalises an English (Latin) word: ASCII transliteration, lower case, letters only.
///
/// ```
/// use saring::text::dictionary::normalize_latin;
/// assert_eq!(normalize_latin("Jaëll"), "jaell");
/// assert_eq!(normalize_latin("O'Neill"), "oneill");
/// ```
pub fn normalize_latin(word: &str) -> String {
    any_ascii::any_ascii(word).chars().filter(char::is_ascii_alphabetic).map(|c| c.to_ascii_lowercase()).collect()
}

/// NFKC-stable characters dropped from keys: the katakana long vowel mark, the Arabic tatweel, and
/// the middle dots that separate name words.
fn is_separator(c: char) -> bool {
    matches!(c, '\u{30FC}' | '\u{0640}' | '\u{30FB}' | '\u{00B7}')
}

/// Combining marks that carry no name identity in the dictionary's scripts.
fn is_dropped_mark(c: char) -> bool {
    matches!(c,
        '\u{0300}'..='\u{036F}'   // generic combining diacritics (Cyrillic stress marks)
        | '\u{0483}'..='\u{0489}' // Cyrillic combining marks
        | '\u{0591}'..='\u{05BD}' | '\u{05BF}' | '\u{05C1}'..='\u{05C2}' | '\u{05C4}'..='\u{05C7}' // Hebrew points
        | '\u{0610}'..='\u{061A}' | '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{06D6}'..='\u{06ED}' // Arabic harakat
    )
}

/// Folds letters that are spelling variants of each other onto one form.
fn fold(c: char) -> char {
    match c {
        'ё' => 'е',
        // Alef with hamza or madda, and alef wasla → bare alef.
        '\u{0623}' | '\u{0625}' | '\u{0622}' | '\u{0671}' => '\u{0627}',
        // Alef maksura and Persian yeh → Arabic yeh.
        '\u{0649}' | '\u{06CC}' => '\u{064A}',
        // Persian keheh → Arabic kaf.
        '\u{06A9}' => '\u{0643}',
        // Teh marbuta → heh.
        '\u{0629}' => '\u{0647}',
        // Hiragana → katakana (same layout, 0x60 apart).
        '\u{3041}'..='\u{3096}' => char::from_u32(c as u32 + 0x60).unwrap_or(c),
        '\u{3400}'..='\u{9FFF}' | '\u{20000}'..='\u{3FFFF}' => simplified(c),
        _ => c,
    }
}

/// The simplified form of a traditional Chinese character (the character itself if it has none).
fn simplified(c: char) -> char {
    static TABLE: OnceLock<Vec<(char, char)>> = OnceLock::new();
    let table = TABLE.get_or_init(|| {
        let mut t: Vec<(char, char)> = HAN_SIMPLIFIED
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| {
                let mut cols = l.split('\t').map(|f| f.chars());
                let (mut a, mut b) = (cols.next()?, cols.next()?);
                Some((a.next()?, b.next()?))
            })
            .collect();
        t.sort_unstable();
        t
    });
    table.binary_search_by_key(&c, |&(t, _)| t).map_or(c, |i| table.get(i).map_or(c, |&(_, s)| s))
}

/// Whether a normalised key is acceptable as a dictionary word: non-empty, no Latin letters, no digits.
pub fn is_valid_key(key: &str) -> bool {
    !key.is_empty()
        && key
            .chars()
            .all(|c| is_plain_letter(c) || (c.is_alphabetic() && !c.is_numeric() && c.script() != Script::Latin))
}

/// A letter of the dictionary's scripts that NFKC leaves alone, lower-cases within the same range, and
/// that is alphabetic (Cyrillic basic letters, Hebrew and Arabic letters, katakana, hiragana, CJK
/// unified ideographs, Hangul syllables). Checked by range, far cheaper than the Unicode tables.
pub(crate) fn is_plain_letter(c: char) -> bool {
    matches!(c,
        '\u{0410}'..='\u{044F}' | '\u{0451}' // Cyrillic А–я, ё
        | '\u{05D0}'..='\u{05EA}' // Hebrew letters
        | '\u{0621}'..='\u{063A}' | '\u{0641}'..='\u{064A}' // Arabic letters
        | '\u{3041}'..='\u{3096}' | '\u{30A1}'..='\u{30FA}' // hiragana, katakana (not ー or ・)
        | '\u{4E00}'..='\u{9FFF}' // CJK unified ideographs
        | '\u{AC00}'..='\u{D7A3}' // Hangul syllables
    )
}

/// Whether a character belongs to a script written without spaces between name words (Han, Kana,
/// Hangul), whose runs callers may pass to [`segment`].
pub fn is_unspaced_script(c: char) -> bool {
    matches!(c.script(), Script::Han | Script::Hangul | Script::Katakana | Script::Hiragana)
}

/// English equivalents of one non-Latin word in the shipped dictionary, most frequent first, at most
/// [`MAX_EQUIVALENTS`]; empty if the word is unknown. The input is normalised with [`normalize`] first,
/// so case, NFC/NFKC form, stress marks, katakana long vowel marks and middle dots do not matter.
///
/// ```
/// use saring::text::dictionary::equivalents;
/// let e = equivalents("Сергей");
/// assert!(e.iter().any(|w| w == "sergei") && e.iter().any(|w| w == "sergey"));
/// assert!(equivalents("麦克里里").iter().any(|w| w == "mccreary"));
/// assert!(equivalents("Smith").is_empty());
/// ```
pub fn equivalents(word: &str) -> Vec<String> {
    embedded().map_or_else(Vec::new, |d| d.equivalents(word))
}

/// Whether the shipped dictionary knows this non-Latin word.
///
/// ```
/// use saring::text::dictionary::is_known;
/// assert!(is_known("محمد"));
/// assert!(!is_known("Mohammed"));
/// ```
pub fn is_known(word: &str) -> bool {
    embedded().is_some_and(|d| d.is_known(word))
}

/// Whether the non-Latin word `foreign` has `english` among its equivalents in the shipped dictionary
/// (any rank, not only the first [`MAX_EQUIVALENTS`]). Both sides are normalised first.
///
/// ```
/// use saring::text::dictionary::has_equivalent;
/// assert!(has_equivalent("محمد", "Mohamed"));
/// assert!(!has_equivalent("محمد", "Smith"));
/// ```
pub fn has_equivalent(foreign: &str, english: &str) -> bool {
    embedded().is_some_and(|d| d.has_equivalent(foreign, english))
}

/// Splits a run written without spaces (Han, Kana or Hangul, e.g. a Chinese full name) into words of the
/// shipped dictionary, each with its equivalents.
///
/// The split uses the fewest pieces that cover the whole run (so longer dictionary words win), and among
/// those the one whose pieces are most frequent. Returns `None` if the run cannot be fully covered by
/// known words, is empty or longer than 64 characters, or has characters outside Han, Kana and Hangul
/// (splitting an alphabetic word such as `Президент` into dictionary pieces would only find noise). Middle dots (`・`, `·`) and long vowel marks are
/// ignored, as in [`normalize`]; callers normally split on middle dots themselves.
///
/// ```
/// use saring::text::dictionary::segment;
/// let pieces = segment("ウラジーミル・プーチン").unwrap();
/// assert_eq!(pieces.len(), 2);
/// assert_eq!(pieces[0].0, "ウラジミル");
/// assert!(pieces[0].1.iter().any(|w| w == "vladimir"));
/// assert_eq!(pieces[1].1, ["putin"]);
/// ```
pub fn segment(run: &str) -> Option<Vec<(String, Vec<String>)>> {
    embedded().and_then(|d| d.segment(run))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalisation_folds_variants() {
        assert_eq!(normalize("ЁЛКИН"), "елкин");
        assert_eq!(normalize("مُحَمَّد"), "محمد");
        assert_eq!(normalize("فاطمة"), "فاطمه");
        assert_eq!(normalize("پوتین"), "پوتين");
        assert_eq!(normalize("さくら"), "サクラ");
        assert_eq!(normalize("צ'רצ'יל"), "צרציל");
        assert_eq!(normalize(""), "");
        assert_eq!(normalize("ヴィクトル"), "ビクトル");
        assert_eq!(normalize("ヴ"), "ブ");
        assert_eq!(normalize("ヴヴ"), "ブブ");
        assert_eq!(normalize("ヴュ"), "ビュ");
        assert_eq!(normalize("ゔぁ"), "バ");
        // Every plain letter is alphabetic, NFKC-stable, and lower-cases inside the plain ranges.
        for c in ('\u{0}'..='\u{FFFF}').filter(|&c| is_plain_letter(c)) {
            assert!(c.is_alphabetic(), "{c:?}");
            assert_eq!(c.to_string().nfkc().collect::<String>(), c.to_string(), "{c:?}");
            assert!(c.to_lowercase().all(is_plain_letter), "{c:?}");
            assert_eq!(c.to_lowercase().collect::<Vec<_>>(), [plain_lowercase(c)], "{c:?}");
        }
        for c in ['\u{30FC}', '\u{0640}', '\u{30FB}', '\u{00B7}'] {
            assert!(is_separator(c));
            assert_eq!(c.to_lowercase().collect::<Vec<_>>(), [plain_lowercase(c)], "{c:?}");
        }
    }

    #[test]
    fn keys_reject_latin_and_digits() {
        assert!(is_valid_key("сергей"));
        assert!(!is_valid_key("sergei"));
        assert!(!is_valid_key("96猫"));
        assert!(!is_valid_key(""));
    }

    #[test]
    fn odd_input_does_not_panic() {
        for s in ["", " ", "\u{0}", "・", "ー", "\u{FFFD}", &"麦".repeat(1000)] {
            let _ = equivalents(s);
            let _ = is_known(s);
            let _ = segment(s);
            let _ = has_equivalent(s, s);
        }
    }
}
