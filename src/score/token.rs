//! Token similarity: how alike two analysed tokens are, 0–1, and why.
//!
//! In order of strength: the same canonical text (1.0); a shared alternate romanisation, dictionary
//! equivalent or name-variant class (0.97); the same phonetic key (0.9); an initial against a word it
//! starts (0.8); for Arabic and Hebrew tokens, the same consonant skeleton as a Latin token (0.85); else
//! a character-level edit similarity, credited only when close (one or two typos in a long word).
//! Numbers match only when equal. Measures run on the canonical ASCII forms, character by character.

use crate::text::{is_abjad, skeleton_chars, Token, TokenTag};

/// How two tokens matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum How {
    Exact,
    Variant,
    Phonetic,
    Initial,
    Skeleton,
    Fuzzy,
    Joined,
}

impl How {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            How::Exact => "exact",
            How::Variant => "variant",
            How::Phonetic => "phonetic",
            How::Initial => "initial",
            How::Skeleton => "skeleton",
            How::Fuzzy => "fuzzy",
            How::Joined => "joined",
        }
    }
}

pub(crate) const VARIANT: f32 = 0.97;
pub(crate) const PHONETIC: f32 = 0.9;
pub(crate) const SKELETON: f32 = 0.85;
pub(crate) const INITIAL: f32 = 0.8;
/// Edit similarity below this earns nothing.
const FUZZY_FLOOR: f32 = 0.75;
/// Words shorter than this get no typo tolerance.
const MIN_FUZZY_LEN: usize = 4;
/// Pairs whose longer word has at most this many letters need a closer similarity: only vowel changes
/// and doubled letters (`Iyad` / `Ayyad`, `Said` / `Saed`), not a changed consonant (`Yong` / `Song`).
const SHORT_LEN: usize = 5;
const SHORT_FUZZY_FLOOR: f32 = 0.8;

/// Similarity of two tokens, 0–1.
pub(crate) fn similarity(a: &Token, b: &Token) -> (f32, How) {
    if a.text == b.text {
        return (1.0, How::Exact);
    }
    if a.tag == TokenTag::Number || b.tag == TokenTag::Number {
        return (0.0, How::Exact);
    }
    if shares_form(a, b) {
        return (VARIANT, How::Variant);
    }
    if a.tag == TokenTag::Initial || b.tag == TokenTag::Initial {
        let (i, w) = if a.tag == TokenTag::Initial { (a, b) } else { (b, a) };
        if w.tag != TokenTag::Initial && w.text.starts_with(i.text.as_str()) {
            return (INITIAL, How::Initial);
        }
        return (0.0, How::Fuzzy);
    }
    if a.phonetic.len() >= 2 && a.phonetic == b.phonetic && a.tag == b.tag {
        return (PHONETIC, How::Phonetic);
    }
    let abjad = |t: &Token| is_abjad(t.script);
    if abjad(a) != abjad(b) {
        let (x, y) = if abjad(a) { (a, b) } else { (b, a) };
        let has_consonant = skeleton_chars(&y.text).next().is_some();
        if has_consonant
            && std::iter::once(&x.text).chain(&x.alternates).any(|f| skeleton_chars(f).eq(skeleton_chars(&y.text)))
        {
            return (SKELETON, How::Skeleton);
        }
    }
    (fuzzy(&a.text, &b.text), How::Fuzzy)
}

/// Whether two tokens share a romanisation, dictionary equivalent or variant class.
fn shares_form(a: &Token, b: &Token) -> bool {
    if a.keys.iter().any(|k| b.keys.contains(k)) {
        return true;
    }
    if a.alternates.is_empty() && b.alternates.is_empty() {
        return false;
    }
    a.alternates.contains(&b.text)
        || b.alternates.contains(&a.text)
        || a.alternates.iter().any(|x| b.alternates.contains(x))
}

/// Character-level, vowel-tolerant edit similarity, credited only when close.
pub(crate) fn fuzzy(a: &str, b: &str) -> f32 {
    let (la, lb) = (a.len(), b.len());
    let (short, long) = (la.min(lb), la.max(lb));
    // Short words get no typo tolerance; a length gap alone rules a pair out.
    if short < MIN_FUZZY_LEN || (long - short) as f32 / long as f32 > 1.0 - FUZZY_FLOOR {
        return 0.0;
    }
    // Cheap filter: words sharing few consonants are not typos of each other.
    let diff = (consonant_mask(a) ^ consonant_mask(b)).count_ones();
    if diff > 3 {
        return 0.0;
    }
    let sim = super::edit::similarity(a, b);
    let floor = if long <= SHORT_LEN { SHORT_FUZZY_FLOOR } else { FUZZY_FLOOR };
    if sim < floor {
        return 0.0;
    }
    sim
}

/// Bit set of the consonants (a–z other than vowels) in a canonical token.
fn consonant_mask(s: &str) -> u32 {
    s.bytes()
        .filter(|b| b.is_ascii_lowercase() && !matches!(b, b'a' | b'e' | b'i' | b'o' | b'u' | b'y' | b'h'))
        .fold(0, |m, b| m | 1 << (b - b'a'))
}
