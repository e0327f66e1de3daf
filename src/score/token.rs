//! Token similarity: how alike two analysed tokens are, 0–1, and why.
//!
//! In order of strength: the same canonical text (1.0); a shared alternate romanisation, dictionary
//! equivalent or name-variant class (0.97); the same phonetic key (0.9); an initial against a word it
//! starts (0.8); for Arabic and Hebrew tokens, the same consonant skeleton as a Latin token of the same
//! kind (0.85: a particle such as `al` never meets a name word such as Ali this way); else
//! a character-level edit similarity, credited only when close (one or two typos in a long word).
//! Numbers match only when equal. Measures run on the canonical ASCII forms, character by character.

use super::edit::{row_bound, similarity_of, tenths_within, Row, Rows, MAX, MIN_INDEL_TENTHS, TRANSPOSE_TENTHS};
use super::memo::{EditMemo, Key};
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

/// The least edit similarity [`fuzzy`] credits for words whose longer has `long` bytes.
fn fuzzy_floor(long: usize) -> f32 {
    if long <= SHORT_LEN {
        SHORT_FUZZY_FLOOR
    } else {
        FUZZY_FLOOR
    }
}

/// The largest distance, in tenths, [`fuzzy`] credits for words whose longer has `long` bytes.
fn fuzzy_tenths(long: usize) -> u16 {
    tenths_within(fuzzy_floor(long), long)
}

/// Facts about a token that every pairing of it needs, computed once per alignment rather than once per
/// pair.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Facts {
    /// [`consonant_mask`] of the canonical text.
    mask: u32,
    /// Written in an abjad (Arabic, Hebrew).
    pub abjad: bool,
    /// [`skeleton_key`] of the canonical text; set by [`add_skeletons`] only.
    skeleton: u128,
    /// Where the [`skeleton_key`]s of the alternates are in the key list given to [`similarity`]
    /// (abjad tokens only), or `UNLISTED` (then they are computed when needed).
    alternates_at: u16,
}

/// [`Facts::alternates_at`] of a token whose alternates' skeleton keys are not listed.
const UNLISTED: u16 = u16::MAX;

/// [`skeleton_key`] of a skeleton too long (or not ASCII) to pack: compared character by character.
const LONG_SKELETON: u128 = u128::MAX;

/// A consonant skeleton ([`skeleton_chars`]) packed into an integer: up to 16 ASCII bytes, the rest zero
/// bytes (skeleton characters are never NUL, so equal keys are equal skeletons); [`LONG_SKELETON`] for
/// anything longer, and for text that is not ASCII or has a NUL. An empty skeleton is 0.
fn skeleton_key(s: &str) -> u128 {
    let mut key = 0u128;
    let mut k = 0;
    let mut prev = 0u8;
    for (i, &b) in s.as_bytes().iter().enumerate() {
        let c = if i == 0 && b == b'h' { b'h' } else { SKELETON_BYTE[b as usize] };
        if c == 0 {
            // A vowel, `h`, `w`, `y` or `v`: skipped; `h` ends a run of equal consonants.
            if b == b'h' {
                prev = 0;
            }
            continue;
        }
        if c == 0xFF {
            return LONG_SKELETON;
        }
        if c != prev {
            if k == 16 {
                return LONG_SKELETON;
            }
            key |= (c as u128) << (8 * k);
            k += 1;
        }
        prev = c;
    }
    key
}

/// Each byte as [`skeleton_chars`] maps it: 0 if skipped, 0xFF for NUL and non-ASCII bytes (left to
/// [`skeleton_chars`] itself), else the consonant it stands for.
const SKELETON_BYTE: [u8; 256] = {
    let mut t = [0xFFu8; 256];
    let mut b = 1;
    while b < 128 {
        t[b] = match b as u8 {
            b'a' | b'e' | b'i' | b'o' | b'u' | b'h' | b'w' | b'y' | b'v' => 0,
            b'q' | b'c' => b'k',
            b'p' => b'b',
            other => other,
        };
        b += 1;
    }
    t
};

/// Whether two texts have the same skeleton, given their keys.
fn same_skeleton(x: &str, kx: u128, y: &str, ky: u128) -> bool {
    if kx == LONG_SKELETON || ky == LONG_SKELETON {
        skeleton_chars(x).eq(skeleton_chars(y))
    } else {
        kx == ky
    }
}

impl Facts {
    /// Placeholder facts (of a token not looked at).
    pub(crate) const NONE: Facts = Facts { mask: 0, abjad: false, skeleton: 0, alternates_at: UNLISTED };

    /// The facts of a token, without its skeletons.
    pub(crate) fn of(t: &Token) -> Facts {
        Facts { mask: consonant_mask(&t.text), abjad: is_abjad(t.script), skeleton: 0, alternates_at: UNLISTED }
    }

    /// The token's [`consonant_mask`].
    pub(crate) fn mask(&self) -> u32 {
        self.mask
    }
}

/// Adds the skeleton keys to a token's facts (needed when abjad tokens meet others): of its text, and
/// for an abjad token of its alternates, appended to `keys` while there is room.
pub(crate) fn add_skeletons(t: &Token, f: &mut Facts, keys: &mut [u128], used: &mut usize) {
    f.skeleton = skeleton_key(&t.text);
    if f.abjad && *used + t.alternates.len() <= keys.len() {
        f.alternates_at = *used as u16;
        for alt in &t.alternates {
            keys[*used] = skeleton_key(alt);
            *used += 1;
        }
    }
}

/// Similarity of two tokens, 0–1, given their [`Facts`] and, if an abjad token can meet a token of
/// another script, the skeleton keys [`add_skeletons`] listed.
///
/// With a memo, `a` is query token number `i` of the query the memo belongs to, and its edit
/// similarities to list words are remembered ([`EditMemo`]).
pub(crate) fn similarity(
    a: &Token,
    b: &Token,
    fa: &Facts,
    fb: &Facts,
    keys: &[u128],
    memo: Option<(&mut EditMemo, usize)>,
) -> (f32, How) {
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
    if fa.abjad != fb.abjad && a.tag == b.tag {
        let (x, y, fx, fy) = if fa.abjad { (a, b, fa, fb) } else { (b, a, fb, fa) };
        // A skeleton key is non-zero exactly when the skeleton has a consonant.
        let ky = fy.skeleton;
        if ky != 0
            && (same_skeleton(&x.text, fx.skeleton, &y.text, ky)
                || alternate_skeleton(x, fx, y, ky, keys)
                || article_skeleton(x, &y.text))
        {
            return (SKELETON, How::Skeleton);
        }
    }
    (fuzzy_masked(&a.text, &b.text, fa.mask, fb.mask, 0.0, memo), How::Fuzzy)
}

/// Whether the abjad token `x` without a leading article (`al`, or the unvocalised `l` of ال) has the
/// skeleton of the Latin word `y`, of at least two consonants: Arabic writes the article joined to the
/// word (الحاكم, `lhkm`), Latin names often apart (`al Hakim`).
fn article_skeleton(x: &Token, y: &str) -> bool {
    std::iter::once(&x.text).chain(&x.alternates).any(|f| {
        let rest = without_article(f).unwrap_or("");
        skeleton_chars(rest).nth(1).is_some() && skeleton_chars(rest).eq(skeleton_chars(y))
    })
}

/// An abjad form without its joined article (`al`, or the unvocalised `l` of ال), if it starts with one.
pub(crate) fn without_article(form: &str) -> Option<&str> {
    form.strip_prefix("al").or_else(|| form.strip_prefix('l'))
}

/// Whether the abjad token `x` (its text, an alternate, or either without a joined article) has the
/// consonant skeleton of the Latin text `y`, such as words joined to meet it (`abdul rahman` against
/// عبدالرحمن, `bdlrhmn`). What [`similarity`] checks with the keys [`add_skeletons`] listed, here read
/// character by character: a joined run is compared once, and the comparison stops at the first
/// difference (building the keys instead cost 2.5% more instructions a bundled query).
pub(crate) fn skeleton_meets(x: &Token, y: &str) -> bool {
    skeleton_chars(y).next().is_some()
        && (std::iter::once(&x.text).chain(&x.alternates).any(|f| skeleton_chars(f).eq(skeleton_chars(y)))
            || article_skeleton(x, y))
}

/// Whether an alternate of the abjad token `x` has the skeleton of `y` (key `ky`).
fn alternate_skeleton(x: &Token, fx: &Facts, y: &Token, ky: u128, keys: &[u128]) -> bool {
    if fx.alternates_at == UNLISTED {
        return x.alternates.iter().any(|f| same_skeleton(f, skeleton_key(f), &y.text, ky));
    }
    let at = fx.alternates_at as usize;
    x.alternates.iter().zip(&keys[at..at + x.alternates.len()]).any(|(f, &kf)| same_skeleton(f, kf, &y.text, ky))
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
    if !may_fuzz(a.len(), b.len()) {
        return 0.0;
    }
    fuzzy_at_least(a, b, 0.0)
}

/// [`fuzzy`] where only a similarity of at least `floor` counts (0 below it): the consonant gate and
/// the edit distance rule a pair out against the higher floor, so that a check at a join's floor stops
/// sooner. Equal to [`fuzzy`] wherever either is at least `floor`.
pub(crate) fn fuzzy_at_least(a: &str, b: &str, floor: f32) -> f32 {
    if !may_fuzz(a.len(), b.len()) {
        return 0.0;
    }
    fuzzy_masked(a, b, consonant_mask(a), consonant_mask(b), floor, None)
}

/// Whether words of these lengths (bytes) can be typos of each other: short words get no typo
/// tolerance, and a length gap alone rules a pair out. [`fuzzy`] is 0 when this is false.
pub(crate) fn may_fuzz(la: usize, lb: usize) -> bool {
    let (short, long) = (la.min(lb), la.max(lb));
    // (long - short) / long ≤ 1 - FUZZY_FLOOR, without the division (exact for word lengths).
    short >= MIN_FUZZY_LEN && (long - short) as f32 <= (1.0 - FUZZY_FLOOR) * long as f32
}

/// [`fuzzy_at_least`] `floor` (0: [`fuzzy`]), given the [`consonant_mask`]s of both words (and a memo
/// of the edit similarities of the query token `a`, if any; only with a floor of 0).
fn fuzzy_masked(a: &str, b: &str, mask_a: u32, mask_b: u32, floor: f32, memo: Option<(&mut EditMemo, usize)>) -> f32 {
    if !may_fuzz(a.len(), b.len()) {
        return 0.0;
    }
    let long = a.len().max(b.len());
    // Cheap filter: words sharing few consonants are not typos of each other.
    if !masks_may_fuzz(mask_a, mask_b) {
        return 0.0;
    }
    let floor = floor.max(fuzzy_floor(long));
    if !foreign_within(mask_a, mask_b, long, floor) {
        return 0.0;
    }
    // Below the floor earns nothing: the edit distance may stop as soon as it is sure of that.
    let edit = || super::edit::similarity_at_least(a, b, floor).unwrap_or(0.0);
    match memo {
        Some((memo, token)) => memo.get_or(Key::Token(token), b, edit),
        None => edit(),
    }
}

/// Whether words of these [`consonant_mask`]s, the longer `long` bytes, can be similar at `floor`: each
/// consonant one word has and the other lacks costs at least 0.6 (every occurrence is deleted, 0.3 at
/// best for a doubled letter, or substituted, 0.6 at best for a close pair, and a substitution stands
/// for one such consonant of each word), so the distance is at least 0.6 × the more of them on one side.
fn foreign_within(mask_a: u32, mask_b: u32, long: usize, floor: f32) -> bool {
    similarity_of(foreign_tenths(mask_a, mask_b), long) >= floor
}

/// The least distance, in tenths, that the consonants of one [`consonant_mask`] missing from the other
/// cost ([`foreign_within`]).
fn foreign_tenths(mask_a: u32, mask_b: u32) -> u16 {
    6 * (mask_a & !mask_b).count_ones().max((mask_b & !mask_a).count_ones()) as u16
}

/// [`fuzzy`] of one word against many terms that come in sorted order. The distance table is built one
/// byte of the term at a time ([`Rows`]) and its rows are kept, so that a term sharing a prefix with the
/// one before starts where the two part: the typo lookups of a long word check thousands of terms that
/// share its first letters (`mohammedomar` against every `mohammed…` compound). Terms in another order
/// give the same results, with less shared. Shorter words, whose terms share little, are compared pair by
/// pair as [`fuzzy`] does.
pub(crate) struct FuzzyScan<'w> {
    word: &'w str,
    mask: u32,
    /// The word's side of the table; `None` for a word shorter than [`SCAN_MIN_LEN`] or longer than the
    /// table.
    rows: Option<Rows>,
    /// `stack[k]`: the row after the first `k` bytes of `term`.
    stack: Vec<Row>,
    /// The last term whose rows were built.
    term: Vec<u8>,
    /// For each length of the longer word, the largest distance (tenths) [`fuzzy`] credits.
    limits: [u16; MAX + 1],
}

/// The shortest word whose terms [`FuzzyScan`] builds row by row.
const SCAN_MIN_LEN: usize = 10;

impl<'w> FuzzyScan<'w> {
    pub(crate) fn new(word: &'w str) -> FuzzyScan<'w> {
        let rows = if word.len() >= SCAN_MIN_LEN { Rows::new(word.as_bytes()) } else { None };
        let mut limits = [0u16; MAX + 1];
        if rows.is_some() {
            for (long, limit) in limits.iter_mut().enumerate().skip(1) {
                *limit = fuzzy_tenths(long);
            }
        }
        let stack = rows.iter().map(Rows::first).collect();
        FuzzyScan { word, mask: consonant_mask(word), rows, stack, term: Vec::new(), limits }
    }

    /// [`fuzzy`] of the word and `term`, a term read from an index: 0 if it is not UTF-8 (a damaged
    /// file), which is checked only once the lengths and the consonants leave the pair in the running.
    pub(crate) fn fuzzy(&mut self, term: &[u8]) -> f32 {
        let (word, mask) = (self.word, consonant_mask(term));
        if !may_fuzz(word.len(), term.len()) || !masks_may_fuzz(self.mask, mask) {
            return 0.0;
        }
        let Ok(term) = std::str::from_utf8(term) else {
            return 0.0;
        };
        let long = word.len().max(term.len());
        let Some(rows) = self.rows.as_ref().filter(|_| long <= MAX) else {
            return fuzzy_masked(word, term, self.mask, mask, 0.0, None);
        };
        let (limit, t, n) = (self.limits[long], term.as_bytes(), rows.len());
        if foreign_tenths(self.mask, mask) > limit {
            return 0.0;
        }
        let m = t.len();
        // Rows that depend on this term's bytes only as far as it shares them with the last term built:
        // the row after byte `k` also reads byte `k + 1` (a doubled letter is cheap to insert).
        let shared = self.term.iter().zip(t).take_while(|(x, y)| x == y).count();
        let keep = (self.stack.len() - 1).min(shared.saturating_sub(1));
        self.stack.truncate(keep + 1);
        self.term.clear();
        self.term.extend_from_slice(t);
        // Every path passes through a row or, by a transposition, the row before it.
        let mut before_bound = row_bound(&self.stack[keep][..], m - keep, n);
        let none = [u8::MAX; MAX + 1];
        for k in keep + 1..=m {
            let before_last = if k >= 2 { &self.stack[k - 2] } else { &none };
            let before = k.checked_sub(2).map(|p| t[p]);
            let row = rows.next(before_last, &self.stack[k - 1], before, t[k - 1], t.get(k).copied());
            self.stack.push(row);
            if k < m {
                let here = row_bound(&row[..], m - k, n);
                if here.min(before_bound) > limit {
                    return 0.0;
                }
                before_bound = here;
            }
        }
        let distance = u16::from(self.stack[m][n]);
        if distance > limit {
            return 0.0;
        }
        similarity_of(distance, long)
    }
}

/// Whether words of these [`consonant_mask`]s can be typos of each other: they differ in at most three
/// consonants. [`fuzzy`] is 0 when this is false.
pub(crate) fn masks_may_fuzz(mask_a: u32, mask_b: u32) -> bool {
    (mask_a ^ mask_b).count_ones() <= MAX_FOREIGN
}

/// The most consonants two words may differ in ([`masks_may_fuzz`]).
const MAX_FOREIGN: u32 = 3;

/// Bit set of the consonants (a–z other than vowels) in a canonical token (of a joined word, the union
/// of its parts' masks).
pub(crate) fn consonant_mask(s: impl AsRef<[u8]>) -> u32 {
    s.as_ref().iter().fold(0, |m, &b| m | CONSONANT_BIT[usize::from(b)])
}

/// The [`consonant_mask`] bit of each byte (none for vowels, `h`, `y` and anything not `a`–`z`).
const CONSONANT_BIT: [u32; 256] = {
    let mut t = [0u32; 256];
    let mut b = b'a';
    while b <= b'z' {
        if !matches!(b, b'a' | b'e' | b'i' | b'o' | b'u' | b'y' | b'h') {
            t[b as usize] = 1 << (b - b'a');
        }
        b += 1;
    }
    t
};

/// The terms a word may be paired with by [`fuzzy`], as an automaton over the bytes of a term
/// (`fst::Automaton`): a walk of an FST of terms with it visits only the prefixes that can still end
/// within the similarity floor, and matches a superset of the terms [`fuzzy`] credits (lengths allowed
/// by [`may_fuzz`], at most three consonants the word lacks, the weighted distance within the floor,
/// counted exactly in tenths). Callers check each match with
/// [`fuzzy`]. `None` for words too short for typos or longer than [`MAX_REACH_LEN`]; terms longer than
/// the distance table (32 bytes) are not reached.
pub(crate) struct FuzzyReach {
    rows: Rows,
    /// The consonants of the word.
    mask: u32,
    /// For each term length, the largest distance (tenths) it may be at, or [`RULED_OUT`].
    budget: [u8; MAX + 1],
    /// `allowance[r][i]`: the largest cost cell `i` of row `r` may hold for some allowed term length
    /// `m ≥ r`, whose distance is at least the cell's cost plus the cheapest insertions or deletions
    /// that even out the `n - i` and `m - r` bytes left on either side (negative: none).
    allowance: [[i16; MAX + 1]; MAX + 1],
    /// Until a cell at or past `split` holds at most `half`, some cell of every row must: see
    /// [`FuzzyReach::halves`] (`half` is `i16::MAX` for a walk of the whole budget).
    split: usize,
    half: i16,
}

/// Longer words (joined compounds) allow so many edits that the walk would visit much of the FST: they
/// are left to the other lookups.
pub(crate) const MAX_REACH_LEN: usize = 16;

/// [`FuzzyReach::budget`] of a term length [`may_fuzz`] rules out.
const RULED_OUT: u8 = u8::MAX;

/// A term prefix read by [`FuzzyReach`]. The distance table's row for a byte is final only when the
/// next byte (or the end) is known, since a doubled letter costs less to insert; until then the row is
/// built as if the next byte doubled it, which bounds the final row from below.
#[derive(Clone)]
pub(crate) struct ReachState {
    /// Bytes read.
    depth: u8,
    /// The last byte read and the one before it.
    pending: u8,
    before: u8,
    /// The term ended: `last` is its final row.
    done: bool,
    /// Consonants read that the word lacks.
    foreign: u32,
    /// The final rows after the bytes before `pending`: the last one and the one before it.
    last: Row,
    before_last: Row,
    /// The row after `pending`, as if the next byte were the same (a lower bound).
    ahead: Row,
    /// A cell at or past the split has held at most half the budget.
    passed: bool,
}

impl FuzzyReach {
    /// The whole reach of `word` in one walk of the terms.
    #[cfg(test)]
    pub(crate) fn new(word: &str) -> Option<FuzzyReach> {
        Self::walk(word.as_bytes(), consonant_mask(word), Self::budget(word.len())?, usize::MAX, i16::MAX)
    }

    /// The reach of `word` as two walks that each keep prefixes within about half the budget: one over
    /// the terms, and one over the terms written backwards with the word written backwards (costs are
    /// the same read either way). An alignment within a budget `B` spends at most `H` = `B / 2` up to
    /// the first cell at or past the word's middle `h`, or else at most `B - H - 1` from there on;
    /// the first walk finds the former, the second the latter (that cell is at `n - h` or, after a
    /// transposition, `n - h - 1` bytes from the word's end). Together they match what one walk of the
    /// whole budget matches; each abandons a prefix that has not passed its split within its half as
    /// soon as no cell of its row holds at most that half.
    pub(crate) fn halves(word: &str) -> Option<(FuzzyReach, FuzzyReach)> {
        let (bytes, n, mask) = (word.as_bytes(), word.len(), consonant_mask(word));
        let budget = Self::budget(n)?;
        let widest = budget.iter().filter(|&&b| b != RULED_OUT).max().copied().map(i16::from)?;
        let (half, rest) = (widest / 2, widest - widest / 2 - 1);
        let reversed: Vec<u8> = bytes.iter().rev().copied().collect();
        Some((
            Self::walk(bytes, mask, budget, n / 2, half)?,
            Self::walk(&reversed, mask, budget, (n - n / 2).saturating_sub(1), rest)?,
        ))
    }

    /// For each term length, the largest distance (tenths) a word of `n` bytes may be at, or `None`
    /// for words the walk does not take.
    fn budget(n: usize) -> Option<[u8; MAX + 1]> {
        if !(MIN_FUZZY_LEN..=MAX_REACH_LEN).contains(&n) {
            return None;
        }
        let mut budget = [RULED_OUT; MAX + 1];
        for (m, b) in budget.iter_mut().enumerate() {
            if may_fuzz(n, m) {
                *b = fuzzy_tenths(n.max(m)).min(u16::from(RULED_OUT - 1)) as u8;
            }
        }
        Some(budget)
    }

    /// A walk of `word` (its consonants `mask`), given its [`budget`](Self::budget).
    fn walk(word: &[u8], mask: u32, budget: [u8; MAX + 1], split: usize, half: i16) -> Option<FuzzyReach> {
        let n = word.len();
        let rows = Rows::new(word)?;
        let mut allowance = [[-1i16; MAX + 1]; MAX + 1];
        for (r, row) in allowance.iter_mut().enumerate() {
            for (i, cell) in row[..=n].iter_mut().enumerate() {
                for (m, &b) in budget.iter().enumerate().skip(r.max(1)) {
                    if b != RULED_OUT {
                        let uneven = (n - i).abs_diff(m - r) as i16;
                        *cell = (*cell).max(i16::from(b) - uneven * i16::from(MIN_INDEL_TENTHS));
                    }
                }
            }
        }
        Some(FuzzyReach { rows, mask, budget, allowance, split, half })
    }

    /// Whether some cell of `row` (row number `r`), plus `extra`, is within its allowance.
    fn within(&self, row: &Row, r: usize, extra: u8) -> bool {
        let allowed = &self.allowance[r.min(MAX)];
        row[..=self.rows.len()].iter().zip(allowed).any(|(&c, &a)| i16::from(c) + i16::from(extra) <= a)
    }

    /// Whether some cell of `row`, plus `extra`, holds at most `half`.
    fn near(&self, row: &Row, extra: u8) -> bool {
        row[..=self.rows.len()].iter().any(|&c| i16::from(c) + i16::from(extra) <= self.half)
    }

    /// Whether a cell of `row` at or past the split holds at most `half`.
    fn passes(&self, row: &Row) -> bool {
        row.get(self.split..=self.rows.len()).is_some_and(|cells| cells.iter().any(|&c| i16::from(c) <= self.half))
    }

    /// The final row of `s.pending`, given the byte after it (`None`: the term ends).
    fn pending_row(&self, s: &ReachState, after: Option<u8>) -> Row {
        let before = (s.depth >= 2).then_some(s.before);
        self.rows.next(&s.before_last, &s.last, before, s.pending, after)
    }
}

impl fst::Automaton for FuzzyReach {
    type State = ReachState;

    fn start(&self) -> ReachState {
        let first = self.rows.first();
        ReachState {
            depth: 0,
            pending: 0,
            before: 0,
            done: false,
            foreign: 0,
            last: first,
            before_last: [u8::MAX; MAX + 1],
            ahead: first,
            passed: self.passes(&first),
        }
    }

    fn is_match(&self, s: &ReachState) -> bool {
        let budget = self.budget.get(usize::from(s.depth)).copied().unwrap_or(RULED_OUT);
        s.done && budget != RULED_OUT && s.last[self.rows.len()] <= budget
    }

    fn can_match(&self, s: &ReachState) -> bool {
        // `ahead` bounds row `depth`; an alignment that passes over that row does so by a
        // transposition from a cell of `last` (row `depth - 1`).
        let d = usize::from(s.depth);
        !s.done
            && s.foreign.count_ones() <= MAX_FOREIGN
            && (self.within(&s.ahead, d, 0) || (d >= 1 && self.within(&s.last, d - 1, TRANSPOSE_TENTHS)))
            && (s.passed || self.near(&s.ahead, 0) || (d >= 1 && self.near(&s.last, TRANSPOSE_TENTHS)))
    }

    fn accept(&self, s: &ReachState, byte: u8) -> ReachState {
        let foreign = s.foreign | CONSONANT_BIT[byte as usize] & !self.mask;
        // The final row of `pending`, now that the byte after it is known.
        let (last, before_last) =
            if s.depth == 0 { (s.last, s.before_last) } else { (self.pending_row(s, Some(byte)), s.last) };
        // The row of `byte` itself, as if the next byte doubled it.
        let before = (s.depth >= 1).then_some(s.pending);
        let ahead = self.rows.next(&before_last, &last, before, byte, Some(byte));
        let passed = s.passed || self.passes(&ahead);
        ReachState {
            passed,
            depth: s.depth.saturating_add(1),
            pending: byte,
            before: s.pending,
            done: false,
            foreign,
            last,
            before_last,
            ahead,
        }
    }

    fn accept_eof(&self, s: &ReachState) -> Option<ReachState> {
        (s.depth > 0 && !s.done).then(|| ReachState { done: true, last: self.pending_row(s, None), ..s.clone() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_length_gate_is_the_ratio_test() {
        for la in 0..300usize {
            for lb in 1..300usize {
                let (short, long) = (la.min(lb), la.max(lb));
                let ratio = short >= MIN_FUZZY_LEN && (long - short) as f32 / long as f32 <= 1.0 - FUZZY_FLOOR;
                assert_eq!(may_fuzz(la, lb), ratio, "{la} {lb}");
            }
        }
        assert!(may_fuzz(4, 5) && may_fuzz(12, 9) && !may_fuzz(12, 8) && !may_fuzz(3, 3));
    }

    #[test]
    fn the_cheap_gates_rule_out_only_pairs_below_the_floor() {
        let mut ruled_out = 0;
        for (a, b) in crate::score::edit::tests::random_pairs(100_000, 0x3c6e_f372_fe94_f82b) {
            let long = a.len().max(b.len());
            if !may_fuzz(a.len(), b.len()) || !masks_may_fuzz(consonant_mask(&a), consonant_mask(&b)) {
                continue;
            }
            let floor = fuzzy_floor(long);
            let s = crate::score::edit::similarity(&a, &b);
            let want = if s >= floor { s } else { 0.0 };
            assert_eq!(fuzzy(&a, &b).to_bits(), want.to_bits(), "{a} / {b}");
            ruled_out += usize::from(!foreign_within(consonant_mask(&a), consonant_mask(&b), long, floor));
        }
        assert!(ruled_out > 100, "{ruled_out}");
    }

    #[test]
    fn fuzzy_at_a_higher_floor_is_fuzzy_where_either_reaches_it() {
        let (mut above, mut below) = (0, 0);
        for (a, b) in crate::score::edit::tests::random_pairs(100_000, 0x9b05_688c_2b3e_6c1f) {
            let s = fuzzy(&a, &b);
            for floor in [0.0, 0.8, 0.85, 0.9] {
                let at = fuzzy_at_least(&a, &b, floor);
                if s >= floor || at >= floor {
                    assert_eq!(at.to_bits(), s.to_bits(), "{a} / {b} at {floor}");
                    above += usize::from(floor == 0.9 && s > 0.0);
                } else {
                    below += usize::from(s > 0.0);
                }
            }
        }
        // Pairs credited above the highest floor, and credited pairs below a floor, both met.
        assert!(above > 100 && below > 100, "{above} {below}");
    }

    #[test]
    fn a_scan_of_sorted_terms_gives_what_fuzzy_gives() {
        let pairs = crate::score::edit::tests::random_pairs(4_000, 0x510e_527f_ade6_82d1);
        let mut credited = 0;
        for (k, (a, b)) in pairs.iter().enumerate().step_by(40) {
            // A long word (a joined one), and terms that share its first letters, are a typo of it, or
            // neither, with doubled letters where rows part (`…ss` / `…s`).
            let word = format!("{a}{b}{}", &pairs[k + 1].0);
            let mut terms: Vec<String> = pairs[k..k + 40].iter().map(|(x, y)| format!("{x}{y}")).collect();
            for (cut, (x, _)) in pairs[k..k + 40].iter().enumerate() {
                let at = cut % (word.len() + 1);
                terms.push(format!("{}{x}", &word[..at]));
                terms.push(format!("{}{}{}", &word[..at], &word[at.saturating_sub(1)..at], &word[at..]));
            }
            for (x, y) in &pairs[k..k + 40] {
                terms.push(format!("{y}{x}"));
            }
            terms.sort();
            terms.dedup();
            let mut scan = FuzzyScan::new(&word);
            for order in [terms.clone(), terms.iter().rev().cloned().collect()] {
                for term in &order {
                    let want = fuzzy(&word, term);
                    assert_eq!(scan.fuzzy(term.as_bytes()).to_bits(), want.to_bits(), "{word} / {term}");
                    credited += usize::from(want > 0.0);
                }
            }
        }
        assert!(credited > 100, "{credited}");
    }

    #[test]
    fn the_reach_automaton_matches_every_term_fuzzy_credits() {
        use fst::{IntoStreamer, Streamer};
        // Name pairs several plain edits apart (vowels, doubled letters, a transposition at the start),
        // then random ones.
        let named = [("hassan", "haqqani"), ("karaik", "karim"), ("hassan", "husayn"), ("ohmamed", "mohammed")];
        let mut pairs: Vec<(String, String)> = named.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect();
        pairs.extend(crate::score::edit::tests::random_pairs(20_000, 0x6a09_e667_f3bc_c908));
        let mut terms: Vec<&str> = pairs.iter().map(|p| p.1.as_str()).filter(|t| !t.is_empty()).collect();
        terms.sort_unstable();
        terms.dedup();
        let set = fst::Set::from_iter(&terms).unwrap();
        let mut backwards: Vec<Vec<u8>> = terms.iter().map(|t| t.bytes().rev().collect()).collect();
        backwards.sort_unstable();
        let reversed = fst::Set::from_iter(&backwards).unwrap();
        let matches = |set: &fst::Set<Vec<u8>>, reach: &FuzzyReach, backwards: bool| -> Vec<String> {
            let mut out = Vec::new();
            let mut stream = set.search(reach).into_stream();
            while let Some(t) = stream.next() {
                let mut t = t.to_vec();
                if backwards {
                    t.reverse();
                }
                out.push(String::from_utf8(t).unwrap());
            }
            out
        };
        let (mut credited, mut extra, mut whole_visits, mut halves_visits) = (0, 0, 0, 0);
        for (word, _) in pairs.iter().take(600) {
            let want: Vec<&str> = terms.iter().copied().filter(|t| *t != word && fuzzy(word, t) > 0.0).collect();
            let (Some(reach), Some((forward, backward))) = (FuzzyReach::new(word), FuzzyReach::halves(word)) else {
                assert!(want.is_empty() || word.len() > MAX_REACH_LEN, "{word}: {want:?}");
                continue;
            };
            let whole = matches(&set, &reach, false);
            let mut halves = matches(&set, &forward, false);
            halves.extend(matches(&reversed, &backward, true));
            for t in &want {
                assert!(t.len() > MAX || whole.iter().any(|g| g == t), "whole: {word} / {t}: {}", fuzzy(word, t));
                assert!(t.len() > MAX || halves.iter().any(|g| g == t), "halves: {word} / {t}: {}", fuzzy(word, t));
            }
            credited += want.len();
            extra += whole.iter().filter(|g| g.as_str() != word && fuzzy(word, g) == 0.0).count();
            whole_visits += visits(&set, &reach);
            halves_visits += visits(&set, &forward) + visits(&reversed, &backward);
        }
        assert!(credited > 1_000, "{credited}");
        // A superset, but not much wider: the mask and length rules are checked afterwards.
        assert!(extra < 2 * credited, "{extra} / {credited}");
        // The two half-budget walks visit fewer prefixes than the whole one.
        assert!(halves_visits < whole_visits, "{halves_visits} / {whole_visits}");
        eprintln!("VISITS {halves_visits} / {whole_visits}");
    }

    /// How many prefixes of `set` a walk with `reach` expands.
    fn visits(set: &fst::Set<Vec<u8>>, reach: &FuzzyReach) -> usize {
        use fst::Automaton;
        let fst = set.as_fst();
        let mut stack = vec![(fst.root(), reach.start())];
        let mut n = 0;
        while let Some((node, state)) = stack.pop() {
            if !reach.can_match(&state) {
                continue;
            }
            n += 1;
            for t in node.transitions() {
                stack.push((fst.node(t.addr), reach.accept(&state, t.inp)));
            }
        }
        n
    }

    #[test]
    fn skeleton_keys_compare_like_skeletons() {
        let words = [
            "",
            "a",
            "aeiou",
            "mhmd",
            "mohammed",
            "muhammad",
            "mahmoud",
            "ldn",
            "laden",
            "ladin",
            "bn",
            "bin",
            "ibn",
            "qasim",
            "kasim",
            "cassim",
            "zaid",
            "said",
            "pqcz",
            "bkks",
            "abcdefghijklmnopqrstuvwxyz",
            "bcdfgjklmnprstbcdfgjkl",
            "bcdfgjklmnprstbcdfgjkm",
            "bcdfgjklmnprstbc",
            "bcdfgjklmnprstbcd",
            "a\0b",
            "\0b",
            "b\0",
            "b\0\0",
            "mühammad",
            "mhmdé",
            "ssss",
            "s",
            "z",
            "12",
            "1a2",
            "h",
            "hh",
            "hamid",
            "ahmed",
            "hussein",
            "hsyn",
            "snny",
            "mhhm",
            "hbhb",
        ];
        for x in words {
            let kx = skeleton_key(x);
            assert_eq!(kx == 0, skeleton_chars(x).next().is_none(), "{x:?}");
            for y in words {
                let ky = skeleton_key(y);
                assert_eq!(same_skeleton(x, kx, y, ky), skeleton_chars(x).eq(skeleton_chars(y)), "{x:?} / {y:?}");
            }
        }
    }

    /// How an Arabic-script word and a Latin one compare, and how much.
    fn across_scripts(arabic: &str, latin: &str) -> (f32, How) {
        let x = crate::text::analyze(arabic, crate::text::NameKind::Person).tokens.remove(0);
        let y = crate::text::analyze(latin, crate::text::NameKind::Person).tokens.remove(0);
        let (mut fx, mut fy) = (Facts::of(&x), Facts::of(&y));
        let (mut keys, mut used) = ([0u128; 16], 0);
        add_skeletons(&x, &mut fx, &mut keys, &mut used);
        add_skeletons(&y, &mut fy, &mut keys, &mut used);
        similarity(&x, &y, &fx, &fy, &keys, None)
    }

    #[test]
    fn skeletons_keep_common_arabic_names_apart() {
        // Same letters, vowels left out or written, the article joined or apart: a skeleton match.
        for (arabic, latin) in [
            ("جانان", "janan"),
            ("حسين", "hassine"),
            ("خدايداد", "khudaidad"),
            ("سنانی", "sanani"),
            ("الحاكم", "hakim"),
        ] {
            assert_eq!(across_scripts(arabic, latin), (SKELETON, How::Skeleton), "{arabic} / {latin}");
        }
        // Ahmed (md) is not Muhammad (mmd, the m repeated across an h); Hussein (hsn) is not Sanani (sn);
        // z is not s; a word after an article has two consonants at least.
        for (arabic, latin) in [
            ("محمد", "ahmedi"),
            ("احمد", "mohamadi"),
            ("سنانی", "hossein"),
            ("محمود", "ahmedi"),
            ("انصار", "nazer"),
            ("ليث", "taha"),
        ] {
            assert_ne!(across_scripts(arabic, latin).1, How::Skeleton, "{arabic} / {latin}");
        }
    }

    #[test]
    fn an_arabic_skeleton_is_not_a_latin_abbreviation() {
        // عماد (Imad) romanises mechanically to `md` and مهد (Mahd) to `mhd`, both abbreviations of
        // Muhammad in Latin script; علي (Ali) to `ly`, a spelling of Lee. Only the dictionary's spellings
        // are variants.
        for (arabic, latin) in [("عماد", "muhamad"), ("مهد", "muhammad"), ("علي", "lee")] {
            assert_ne!(across_scripts(arabic, latin).1, How::Variant, "{arabic} / {latin}");
        }
        for (arabic, latin) in [("عماد", "imad"), ("محمد", "mohd"), ("علي", "aly"), ("بن", "bin")] {
            assert_eq!(across_scripts(arabic, latin), (VARIANT, How::Variant), "{arabic} / {latin}");
        }
    }

    #[test]
    fn a_particle_meets_no_name_word_by_its_skeleton() {
        // `al` has the skeleton of Ali (علي): a brother of the list entry, not the entry itself.
        let opts = crate::CompareOptions { kind: crate::NameKind::Person, ..Default::default() };
        let sim = crate::compare("Qusay Saddam Hussein al Tikriti", "علي صدام حسين التكريتي", &opts);
        assert!(
            sim.explanation.tokens.iter().all(|t| t.query != "al" || t.candidate.is_empty()),
            "{:?}",
            sim.explanation
        );
        assert_eq!(sim.decision, crate::Decision::Unclear);
    }

    #[test]
    fn consonant_mask_table() {
        for b in 0..=255u8 {
            let want = if b.is_ascii_lowercase() && !matches!(b, b'a' | b'e' | b'i' | b'o' | b'u' | b'y' | b'h') {
                1 << (b - b'a')
            } else {
                0
            };
            assert_eq!(CONSONANT_BIT[b as usize], want, "{b}");
        }
    }
}
