//! The analysis pipeline.
//!
//! 1. Unicode: NFKC, control characters to spaces, lower case; apostrophes inside words are dropped
//!    (`Ba'asyir` → `baasyir`); anything that is not a letter, mark or digit separates words.
//! 2. Words are transliterated by script ([`super::translit`]); Han, Kana and Hangul runs are split into
//!    dictionary words where the cross-script dictionary covers them, otherwise Han and Hangul per
//!    character (syllables stay apart).
//! 3. Organisation legal forms (`data/legal_forms.tsv`) are recognised as phrases, canonicalised and
//!    tagged; a strong legal form makes a name of unknown kind an organisation.
//! 4. For persons: honorifics and academic titles (`data/honorifics.txt`) are dropped, and `SURNAME, Given`
//!    is reordered to `Given SURNAME`. A name of unknown kind changed by this is read for legal forms again
//!    in its new order, so that analysing the output again gives the same tokens.
//! 5. Each token gets its tag, weight (rarer tokens weigh more: `data/token_freq.tsv`), phonetic key and
//!    equivalence keys (name-variant classes, `data/name_variants.tsv`).

use super::names::tables;
use super::phonetic::phonetic_key;
use super::translit::{alternate, char_script, is_abjad, is_unspaced, romanize};
use super::{dictionary, Name, NameKind, Script, Token, TokenTag};
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::{is_nfkc_quick, IsNormalized, UnicodeNormalization};

/// A word before tagging.
#[derive(Debug, Clone)]
struct Piece {
    text: String,
    original: String,
    script: Script,
    alternates: Vec<String>,
    /// An abjad word's mechanical romanisation (its text or one of its alternates): a consonant skeleton,
    /// not a spelling, so it is not looked up in the variant classes (`عماد` → `md` is not the `Md` of
    /// Muhammad).
    skeleton: Option<String>,
    /// Followed by a dot in the input (`H.`, `M.`).
    dotted: bool,
    /// A comma stood between the previous piece and this one.
    comma_before: bool,
    /// Came from `s/o`, `d/o` and similar.
    is_particle: bool,
    legal_form: bool,
}

/// `c.is_alphanumeric()`, answered without the Unicode tables for ASCII and for the plain letters of the
/// dictionary's scripts (all alphabetic).
fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric()
    } else {
        dictionary::is_plain_letter(c) || c.is_alphanumeric()
    }
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | 'ʼ' | '‘' | '`' | '´' | 'ʻ' | 'ʹ' | '′')
}

/// A word of the input, before transliteration.
struct RawWord {
    text: String,
    /// Followed by a dot.
    dotted: bool,
    /// A comma or semicolon stood before it.
    comma_before: bool,
    /// `s/o`, `d/o`, `w/o` (son/daughter/wife of).
    is_particle: bool,
}

/// Splits the normalised input into raw words with their dot and comma flags.
fn split_words(s: &str) -> Vec<RawWord> {
    let mut words: Vec<RawWord> = Vec::new();
    let mut cur = String::new();
    let mut comma = false;
    let chars: Vec<char> = s.chars().collect();
    let push = |words: &mut Vec<RawWord>, cur: &mut String, comma: &mut bool, dotted: bool, particle: bool| {
        if !cur.is_empty() {
            words.push(RawWord { text: std::mem::take(cur), dotted, comma_before: *comma, is_particle: particle });
            *comma = false;
        }
    };
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if is_word_char(c) || (!c.is_ascii() && is_combining_mark(c)) {
            cur.push(c);
        } else if is_apostrophe(c) && !cur.is_empty() && next.is_some_and(char::is_alphanumeric) {
            // Apostrophe inside a word: the word stays joined.
        } else if c == '/'
            && cur.chars().count() == 1
            && next == Some('o')
            && chars.get(i + 2).is_none_or(|n| !n.is_alphanumeric())
        {
            cur.push('o');
            push(&mut words, &mut cur, &mut comma, false, true);
            i += 2;
            continue;
        } else {
            push(&mut words, &mut cur, &mut comma, c == '.', false);
            if c == ',' || c == ';' {
                comma = true;
            }
        }
        i += 1;
    }
    push(&mut words, &mut cur, &mut comma, false, false);
    words
}

/// Splits a word at script changes (e.g. `ABC株式会社`), so each part is transliterated by its script:
/// calls `each` with every same-script run, in order.
fn split_scripts(word: &str, mut each: impl FnMut(&str, Script)) {
    let mut run: Option<(usize, Script)> = None;
    for (pos, c) in word.char_indices() {
        let mut s = char_script(c);
        if c.is_ascii_digit() || (!c.is_ascii() && (is_combining_mark(c) || c == 'ー')) {
            // Digits, marks and the kana length mark belong to the preceding run.
            if run.is_some() {
                continue;
            }
            s = if c.is_ascii_digit() { Script::Latin } else { s };
        }
        match run {
            Some((_, script)) if script == s => {}
            Some((start, script)) => {
                each(&word[start..pos], script);
                run = Some((pos, s));
            }
            None => run = Some((pos, s)),
        }
    }
    if let Some((start, script)) = run {
        each(&word[start..], script);
    }
}

fn piece(text: String, original: String, script: Script, alternates: Vec<String>) -> Piece {
    Piece {
        text,
        original,
        script,
        alternates,
        skeleton: None,
        dotted: false,
        comma_before: false,
        is_particle: false,
        legal_form: false,
    }
}

/// Transliterates one same-script run into pieces.
fn transliterate(run: &str, script: Script, out: &mut Vec<Piece>) {
    if script == Script::Latin || script == Script::Other {
        let text = romanize(run);
        if !text.is_empty() {
            out.push(piece(text, run.to_string(), script, Vec::new()));
        }
        return;
    }
    if is_unspaced(script) {
        let whole = dictionary::equivalents(run);
        if !whole.is_empty() {
            let mut alts: Vec<String> = whole[1..].to_vec();
            alts.push(romanize(run));
            out.push(piece(whole[0].clone(), run.to_string(), script, alts));
            return;
        }
        if let Some(segments) = dictionary::segment(run) {
            if segments.len() < run.chars().count() {
                for (seg, eqs) in segments {
                    let rom = romanize(&seg);
                    match eqs.split_first() {
                        Some((first, rest)) => {
                            let mut alts = rest.to_vec();
                            alts.push(rom);
                            out.push(piece(first.clone(), seg, script, alts));
                        }
                        None => out.push(piece(rom, seg, script, Vec::new())),
                    }
                }
                return;
            }
        }
        if script == Script::Kana {
            let text = romanize(run);
            if !text.is_empty() {
                out.push(piece(text, run.to_string(), script, Vec::new()));
            }
            return;
        }
        // Han and Hangul: one token per character (syllable).
        for c in run.chars() {
            let s = c.to_string();
            let text = romanize(&s);
            if !text.is_empty() {
                let alts = dictionary::equivalents(&s);
                out.push(piece(text, s, script, alts));
            }
        }
        return;
    }
    let primary = romanize(run);
    let skeleton = is_abjad(script).then(|| primary.clone());
    let known = dictionary::equivalents(run);
    let in_dictionary = !known.is_empty();
    let mut alts: Vec<String> = known;
    if let Some(a) = alternate(run, script, &primary) {
        alts.push(a);
    }
    if primary.is_empty() && alts.is_empty() {
        return;
    }
    // A dictionary spelling is the canonical form when there is one (it is a real romanised name);
    // the mechanical romanisation stays as an alternate.
    let (text, mut rest) = if in_dictionary {
        let text = alts.remove(0);
        if text != primary && !primary.is_empty() {
            alts.push(primary);
        }
        (text, alts)
    } else {
        (primary, alts)
    };
    rest.retain(|a| a != &text && !a.is_empty());
    rest.dedup();
    out.push(Piece { skeleton, ..piece(text, run.to_string(), script, rest) });
}

/// Analyses a raw name into tokens.
///
/// ```
/// use saring::{analyze, NameKind};
/// let name = analyze("Nicolás  MADURO", NameKind::Person);
/// assert_eq!(name.canonical(), "nicolas maduro");
/// let name = analyze("AKILOV, Farkhad Ataullaevich", NameKind::Person);
/// assert_eq!(name.canonical(), "farkhad ataullaevich akilov");
/// let name = analyze("PT Bank Rakyat Indonesia (Persero) Tbk", NameKind::Unknown);
/// assert_eq!(name.kind, NameKind::Entity);
/// ```
pub fn analyze(raw: &str, kind: NameKind) -> Name {
    let cleaned: String = if raw.is_ascii() {
        raw.bytes().map(|b| if b.is_ascii_control() { ' ' } else { b.to_ascii_lowercase() as char }).collect()
    } else {
        let spaced = raw.chars().map(|c| if c.is_control() { ' ' } else { c });
        // Most input is already in NFKC: the quick check is far cheaper than normalising.
        if is_nfkc_quick(spaced.clone()) == IsNormalized::Yes {
            spaced.flat_map(char::to_lowercase).collect()
        } else {
            spaced.nfkc().flat_map(char::to_lowercase).collect()
        }
    };
    let mut pieces: Vec<Piece> = Vec::new();
    for word in split_words(&cleaned) {
        let start = pieces.len();
        if word.is_particle {
            let mut pc = piece(romanize(&word.text), word.text, Script::Latin, Vec::new());
            pc.is_particle = true;
            pieces.push(pc);
        } else {
            split_scripts(&word.text, |run, script| transliterate(run, script, &mut pieces));
        }
        if pieces.len() > start {
            pieces[start].comma_before = word.comma_before;
            if let Some(last) = pieces.last_mut() {
                last.dotted = word.dotted;
            }
        }
    }

    let mut kind = kind;
    if kind != NameKind::Person && mark_all_legal_forms(&mut pieces, kind == NameKind::Entity) {
        kind = NameKind::Entity;
    }
    if kind != NameKind::Entity {
        let dropped = drop_honorifics(&mut pieces);
        let reordered = reorder_surname_first(&mut pieces);
        // Dropping a title or moving the surname makes words neighbours that were not (`p, l` → `l p`,
        // `A H. G` → `a g`). Re-analysis of the output sees only the new order, so a name of unknown kind
        // is read again in it: if a legal form now appears, the name is an organisation, as it would be
        // on re-analysis. (When the first reading found a legal form, the name was already one.)
        if kind == NameKind::Unknown && (dropped || reordered) && mark_all_legal_forms(&mut pieces, false) {
            kind = NameKind::Entity;
        }
    }
    let tokens = pieces.into_iter().map(|p| make_token(p, kind)).collect();
    Name { original: raw.to_string(), kind, tokens }
}

/// Tags legal-form phrases until nothing changes: canonicalising single words can complete a longer phrase
/// (`Co. Limited` → `co ltd` → `coltd`). Weak forms are tagged only in an organisation (`is_entity`, or
/// once a strong form was found). Returns whether a strong form was found.
fn mark_all_legal_forms(pieces: &mut Vec<Piece>, is_entity: bool) -> bool {
    let mut found_strong = false;
    for _ in 0..3 {
        let (strong, changed) = mark_legal_forms(pieces, is_entity || found_strong);
        found_strong |= strong;
        if !changed {
            break;
        }
    }
    found_strong
}

/// Tags legal-form phrases, merging each into one canonical token. Returns whether a strong form was
/// found (one that marks a name as an organisation on its own), and whether the pieces' texts changed
/// (a phrase of several words, or one word with another canonical form).
fn mark_legal_forms(pieces: &mut Vec<Piece>, is_entity: bool) -> (bool, bool) {
    let t = tables();
    let mut found_strong = false;
    let mut changed = false;
    let mut i = 0;
    while i < pieces.len() {
        let mut matched = None;
        for (phrase, canon) in t.legal_forms.get(&pieces[i].text).map(Vec::as_slice).unwrap_or(&[]) {
            let len = phrase.len();
            if i + len > pieces.len() || !pieces[i..i + len].iter().zip(phrase).all(|(p, w)| &p.text == w) {
                continue;
            }
            // Strength depends on the canonical form only, so a re-analysed canonical name is read the same.
            let strong = t.strong_legal_forms.contains(canon);
            if is_entity || strong {
                matched = Some((len, canon.clone(), strong));
                break;
            }
        }
        if let Some((len, canon, strong)) = matched {
            found_strong |= strong;
            changed |= len != 1 || pieces[i].text != canon;
            let original = pieces[i..i + len].iter().map(|p| p.original.as_str()).collect::<Vec<_>>().join(" ");
            let dotted = pieces[i + len - 1].dotted;
            let comma_before = pieces[i].comma_before;
            pieces.splice(
                i..i + len,
                [Piece {
                    text: canon,
                    original,
                    script: Script::Latin,
                    alternates: Vec::new(),
                    skeleton: None,
                    dotted,
                    comma_before,
                    is_particle: false,
                    legal_form: true,
                }],
            );
        }
        i += 1;
    }
    (found_strong, changed)
}

/// Drops honorifics and titles. A name made of nothing but titles keeps its plain titles (`Sheikh`),
/// or, if it has none, everything; so analysis never empties a name and re-analysis gives the same result.
/// Returns whether anything was dropped.
fn drop_honorifics(pieces: &mut Vec<Piece>) -> bool {
    let t = tables();
    // 0: keep, 1: plain title, 2: dotted abbreviation.
    let mut drop = vec![0u8; pieces.len()];
    let mut i = 0;
    while i < pieces.len() {
        if t.honorifics.contains(&pieces[i].text) {
            drop[i] = 1;
            i += 1;
            continue;
        }
        // Dotted abbreviations (`H.`, `S.H.`, `M.Sc.`): every part followed by a dot.
        let mut matched = 0;
        let max = if pieces[i].dotted { 3.min(pieces.len() - i) } else { 0 };
        for len in (1..=max).rev() {
            let span = &pieces[i..i + len];
            if !span.iter().all(|p| p.dotted) {
                continue;
            }
            let phrase: Vec<String> = span.iter().map(|p| p.text.clone()).collect();
            if t.dotted_honorifics.contains(&phrase) {
                matched = len;
                break;
            }
        }
        if matched > 0 {
            drop[i..i + matched].iter_mut().for_each(|d| *d = 2);
            i += matched;
        } else {
            i += 1;
        }
    }
    if !drop.iter().any(|d| *d != 0) {
        // Nothing to drop: the pieces stay as they are.
        return false;
    }
    if drop.iter().all(|d| *d != 0) {
        if drop.contains(&1) {
            drop.iter_mut().for_each(|d| *d = if *d == 1 { 0 } else { *d });
        } else {
            return false;
        }
    }
    if drop.iter().all(|d| *d == 0) {
        return false;
    }
    let mut it = drop.iter();
    let mut dropped_comma = false;
    let mut kept: Vec<Piece> = Vec::with_capacity(pieces.len());
    for mut p in pieces.drain(..) {
        if it.next().copied().unwrap_or(0) == 0 {
            p.comma_before |= dropped_comma;
            dropped_comma = false;
            kept.push(p);
        } else {
            dropped_comma |= p.comma_before;
        }
    }
    *pieces = kept;
    true
}

/// `SURNAME, Given` (one comma, something on both sides) becomes `Given SURNAME`. Returns whether the
/// pieces were moved.
fn reorder_surname_first(pieces: &mut [Piece]) -> bool {
    let mut commas = (1..pieces.len()).filter(|&i| pieces[i].comma_before);
    if let (Some(k), None) = (commas.next(), commas.next()) {
        pieces.rotate_left(k);
        return true;
    }
    false
}

fn make_token(p: Piece, kind: NameKind) -> Token {
    let t = tables();
    let is_number = p.text.bytes().all(|b| b.is_ascii_digit());
    let tag = if p.legal_form {
        TokenTag::LegalForm
    } else if is_number {
        TokenTag::Number
    } else if p.is_particle || (t.particles.contains(&p.text) && kind != NameKind::Entity) {
        TokenTag::Particle
    } else if p.text.len() == 1 && p.script == Script::Latin {
        TokenTag::Initial
    } else {
        TokenTag::Name
    };
    let weight = match tag {
        TokenTag::LegalForm => 0.15,
        TokenTag::Particle => 0.2,
        TokenTag::Initial => 0.35,
        TokenTag::Number => 1.0,
        TokenTag::Name => rarity_weight(&p.text),
    };
    let mut keys: Vec<String> = Vec::new();
    for form in std::iter::once(&p.text).chain(&p.alternates).filter(|f| p.skeleton.as_ref() != Some(*f)) {
        if let Some(k) = t.variant_class.get(form) {
            if !keys.contains(k) {
                keys.push(k.clone());
            }
        }
    }
    let phonetic = if tag == TokenTag::Name { phonetic_key(&p.text) } else { p.text.clone() };
    Token {
        text: p.text,
        original: p.original,
        script: p.script,
        tag,
        weight,
        phonetic,
        keys,
        alternates: p.alternates,
    }
}

/// Weight of a name word from its frequency in list names: common words (`mohammed`, `ali`, `trading`)
/// weigh less than rare ones. Between 0.3 and 1.2; a word never seen weighs 1.2.
pub(crate) fn rarity_weight(text: &str) -> f32 {
    let t = tables();
    let df = t.token_freq.get(text).copied().unwrap_or(0) as f32;
    let n = t.token_freq_total as f32;
    if n <= 1.0 {
        return 1.0;
    }
    // idf relative to a word seen in 1 of 2,000 names, which weighs 1.0.
    let idf = ((n + 1.0) / (df + 1.0)).ln();
    let reference = 2000f32.ln();
    (idf / reference).clamp(0.3, 1.2)
}
