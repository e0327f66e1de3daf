//! Typo-tolerant term lookup: which indexed terms lie within a few edits of a query token.
//!
//! The edit distance allowed grows with the token's length ([`max_distance`]: 0 up to 3 characters, 1 up
//! to 7, 2 beyond; a transposition of adjacent letters counts as one edit). Three ways to find those terms
//! are built in, selected by [`Typo`](super::Typo):
//!
//! - **Deletion neighbourhoods** (the default). Two words within `d` edits of each other share a string
//!   obtained by deleting at most `d` characters from each. The index maps every such deletion variant of
//!   every term (up to the term's own allowed distance, over its first [`PREFIX`] characters) to the
//!   terms that have it; a query token's variants (up to two letters deleted from five letters on:
//!   [`query_distance`]) are looked up exactly, a few dozen FST lookups. Each
//!   term found is then checked with the scorer's own edit similarity, which is what the candidate
//!   ranking uses as the term's quality.
//!
//!   The same FST also maps every term's consonant skeleton ([`skeleton_key`]) to the terms: spellings
//!   that differ in vowels, `h`, doubled letters and close consonants, often more edits apart than the
//!   distance allows, which the scorer's edit similarity still pairs. A query token is looked up by its
//!   skeleton and by each skeleton one consonant shorter ([`shorter_skeleton_keys`]); the FST also maps
//!   each term's skeletons one consonant shorter, under their own mark ([`SHORTER_SKELETON_MARK`]), so
//!   that the query token's skeleton finds the terms with one consonant more.
//! - **Levenshtein automata** (`levenshtein_automata`, builders made once per process) intersected with
//!   the TERMS FST. Exact by construction, but the intersection visits a large part of the FST near its
//!   root: about 65 µs per token at distance 1 and 600–750 µs at distance 2 on the bundled index
//!   (63,000 terms), against a few microseconds for the deletion lookups.
//! - **The scorer's own reach** (`Typo::Reach`, thorough screening): the deletion lookups, plus an
//!   automaton of the scorer's weighted, vowel-tolerant edit distance (`score::token::FuzzyReach`)
//!   walking the TERMS FST, which finds every term the scorer's fuzzy similarity pairs with the token,
//!   however many plain edits apart (`hassan` / `haqqani`). The walk is split in two, each half of the
//!   budget: forwards over TERMS, and backwards over the REVERSED FST (every term of 4 to
//!   [`MAX_TERM_LEN`] bytes written backwards → its ordinal). Complete, but the walks still visit many
//!   thousands of FST transitions, about a millisecond a token, so this is not the default.

use fst::raw::{Fst, Node, Output};
use levenshtein_automata::LevenshteinAutomatonBuilder;
use std::sync::OnceLock;

/// Deletion variants are made from a term's first `PREFIX` characters (edits further on are left to
/// the other tokens of the name, phonetic keys and joined terms).
pub const PREFIX: usize = 10;
/// Terms longer than this get no deletion variants (long joined compounds).
pub const MAX_TERM_LEN: usize = 24;

/// Edit distance allowed for a token of `chars` characters.
///
/// ```
/// use saring::index::typo::max_distance;
/// assert_eq!((max_distance(3), max_distance(4), max_distance(7), max_distance(8)), (0, 1, 1, 2));
/// ```
pub fn max_distance(chars: usize) -> u8 {
    match chars {
        0..=3 => 0,
        4..=7 => 1,
        _ => 2,
    }
}

/// Letters a query token of `chars` characters may lose in its deletion variants: two from five
/// characters on, where the terms' own variants lose one ([`max_distance`]), so that pairs three plain
/// edits apart whose deletions meet are found too (`karaik` / `karim`: both give `kari`); the scorer's
/// vowel-tolerant similarity pairs many of them. One for four characters, none below.
///
/// ```
/// use saring::index::typo::query_distance;
/// assert_eq!((query_distance(3), query_distance(4), query_distance(5), query_distance(9)), (0, 1, 2, 2));
/// ```
pub fn query_distance(chars: usize) -> u8 {
    match chars {
        0..=3 => 0,
        4 => 1,
        _ => 2,
    }
}

/// Whether a term gets deletion variants: canonical ASCII, 4 to [`MAX_TERM_LEN`] characters.
pub(crate) fn eligible(term: &[u8]) -> bool {
    (4..=MAX_TERM_LEN).contains(&term.len()) && term.iter().all(|b| b.is_ascii_alphanumeric())
}

/// Whether a term gets a key in the REVERSED FST: 4 to [`MAX_TERM_LEN`] bytes, in any script (the
/// reach automaton compares bytes).
pub(crate) fn reversible(term: &[u8]) -> bool {
    (4..=MAX_TERM_LEN).contains(&term.len())
}

// Every term a reach walk can match (at most a third longer than its word) has a backward key.
const _: () = assert!(crate::score::MAX_REACH_LEN * 4 / 3 <= MAX_TERM_LEN);

/// Calls `emit` with every deletion variant of `term` (its first [`PREFIX`] bytes with up to
/// [`max_distance`]`(term.len())` bytes deleted, the undeleted prefix included). A variant may be emitted
/// more than once when the term has doubled letters; callers deduplicate.
///
/// ```
/// let mut v = Vec::new();
/// saring::index::typo::deletion_variants(b"kyong", |x| v.push(String::from_utf8(x.to_vec()).unwrap()));
/// v.sort();
/// assert_eq!(v, ["kong", "kyng", "kyog", "kyon", "kyong", "yong"]);
/// ```
pub fn deletion_variants(term: &[u8], emit: impl FnMut(&[u8])) {
    deletion_variants_within(term, max_distance(term.len()), emit);
}

/// [`deletion_variants`] with up to `d` (at most 2) bytes deleted.
pub fn deletion_variants_within(term: &[u8], d: u8, mut emit: impl FnMut(&[u8])) {
    let base = &term[..term.len().min(PREFIX)];
    emit(base);
    if d == 0 {
        return;
    }
    let mut buf = [0u8; PREFIX];
    let n = base.len();
    for i in 0..n {
        // Deleting either of two equal neighbours gives the same string.
        if i > 0 && base[i] == base[i - 1] {
            continue;
        }
        let mut k = 0;
        for (p, &b) in base.iter().enumerate() {
            if p != i {
                buf[k] = b;
                k += 1;
            }
        }
        emit(&buf[..k]);
        if d < 2 {
            continue;
        }
        for j in i + 1..n {
            if j > i + 1 && base[j] == base[j - 1] {
                continue;
            }
            let mut k = 0;
            for (p, &b) in base.iter().enumerate() {
                if p != i && p != j {
                    buf[k] = b;
                    k += 1;
                }
            }
            emit(&buf[..k]);
        }
    }
}

/// First byte of a consonant-skeleton key in the TYPOS FST (deletion variants are alphanumeric).
pub(crate) const SKELETON_MARK: u8 = b'#';

/// First byte of a key one consonant shorter than a term's skeleton in the TYPOS FST
/// ([`shorter_skeleton_keys`]): a query word's own skeleton looked up under it finds the list words with
/// one consonant more.
pub const SHORTER_SKELETON_MARK: u8 = b'%';

/// Calls `f` with the skeleton key `key` under [`SHORTER_SKELETON_MARK`] instead of its own first byte.
pub(crate) fn shorter_marked<R>(key: &[u8], f: impl FnOnce(&[u8]) -> R) -> R {
    let mut out = [0u8; PREFIX];
    out[..key.len()].copy_from_slice(key);
    out[0] = SHORTER_SKELETON_MARK;
    f(&out[..key.len()])
}

/// Letter classes of a consonant skeleton: vowels (`y` included) and `h` are dropped (the scorer's edit
/// similarity inserts and deletes them cheaply), the consonant pairs it substitutes cheaply share a
/// class, the rest stand for themselves.
fn skeleton_class(b: u8) -> Option<u8> {
    match b {
        b'a' | b'e' | b'i' | b'o' | b'u' | b'y' | b'h' => None,
        b'c' | b'g' | b'k' | b'q' => Some(b'k'),
        b's' | b'z' => Some(b's'),
        b'd' | b't' => Some(b't'),
        b'f' | b'v' | b'w' => Some(b'f'),
        b'b' | b'p' => Some(b'b'),
        other => Some(other),
    }
}

/// Calls `emit` with the consonant-skeleton key of `term` (a typo-eligible word of letters), if it has
/// one: `SKELETON_MARK` (`#`), then its consonants by class with repeats collapsed, at most [`PREFIX`]` - 1`
/// of them. Romanisations that differ in vowels, doubled letters and close consonants share it
/// (`hassan`, `husayn` → `#sn`; `mohamed`, `muhammad` → `#mt`) where they are too many edits apart
/// for the deletion variants. Skeletons of fewer than two consonants are not keys: too many words
/// share them.
///
/// ```
/// let key = |t: &str| {
///     let mut k = None;
///     saring::index::typo::skeleton_key(t.as_bytes(), |v| k = Some(String::from_utf8(v.to_vec()).unwrap()));
///     k
/// };
/// assert_eq!(key("hassan"), key("husayn"));
/// assert_eq!(key("muhammad").as_deref(), Some("#mt"));
/// assert_eq!(key("aiya"), None);
/// assert_eq!(key("a1b2c3"), None);
/// ```
pub fn skeleton_key(term: &[u8], emit: impl FnOnce(&[u8])) {
    if !term.iter().all(u8::is_ascii_lowercase) {
        return;
    }
    let mut key = [0u8; PREFIX];
    key[0] = SKELETON_MARK;
    let mut n = 1;
    for class in term.iter().filter_map(|&b| skeleton_class(b)) {
        if key[n - 1] == class && n > 1 {
            continue;
        }
        if n == PREFIX {
            break;
        }
        key[n] = class;
        n += 1;
    }
    if n >= 3 {
        emit(&key[..n]);
    }
}

/// Fewest consonants of a key one consonant shorter than a skeleton ([`shorter_skeleton_keys`]). Keys of two consonants list so many terms that checking them took 16%
/// more instructions a bundled query (query side only, on the recall example's 2,000 perturbed names)
/// for 0.64 points more of the brute-force hits ≥ 40, the loosest ones.
pub const NEAR_MIN_CONSONANTS: usize = 3;

/// Calls `emit` with each key one consonant shorter than the skeleton key `key`, of at least
/// [`NEAR_MIN_CONSONANTS`] consonants (repeats collapsed again where a deletion brings two of a class
/// together, so a key may come twice), each with `key`'s first byte. A query word's shorter skeletons,
/// looked up among the index's skeleton keys, find the words with one consonant fewer and the vowels
/// changed as they may be, which the scorer's edit similarity pairs and no deletion variant reaches
/// (`berantrading`, `#brntrtnk`, and the list's `BEHINEH TRADING` joined, `#bntrtnk`, at 0.83). The
/// list words with one consonant *more* are found the other way round: the index keys each term's
/// shorter skeletons too, under [`SHORTER_SKELETON_MARK`].
///
/// ```
/// let shorter = |key: &[u8]| {
///     let mut keys = Vec::new();
///     saring::index::typo::shorter_skeleton_keys(key, |k| keys.push(String::from_utf8(k.to_vec()).unwrap()));
///     keys
/// };
/// assert_eq!(shorter(b"#btlrmn"), ["#tlrmn", "#blrmn", "#btrmn", "#btlmn", "#btlrn", "#btlrm"]);
/// assert_eq!(shorter(b"#mstf"), ["#stf", "#mtf", "#msf", "#mst"]);
/// // `#smsm`: deleting the second or third consonant leaves `#sm`, too short.
/// assert_eq!(shorter(b"#smsm"), ["#msm", "#sms"]);
/// ```
pub fn shorter_skeleton_keys(key: &[u8], mut emit: impl FnMut(&[u8])) {
    for i in 1..key.len().min(PREFIX) {
        skeleton_without(key, i, &mut emit);
    }
}

/// Calls `emit` with the skeleton key `key` without its byte `i` (a consonant: `i` ≥ 1), repeats
/// collapsed again, if at least [`NEAR_MIN_CONSONANTS`] consonants remain.
pub(crate) fn skeleton_without(key: &[u8], i: usize, mut emit: impl FnMut(&[u8])) {
    let n = key.len().min(PREFIX);
    let mut near = [0u8; PREFIX];
    let mut m = 0;
    for (j, &b) in key[..n].iter().enumerate() {
        if j == i || (m > 1 && near[m - 1] == b) {
            continue;
        }
        near[m] = b;
        m += 1;
    }
    if m > NEAR_MIN_CONSONANTS {
        emit(&near[..m]);
    }
}

/// The distinct deletion variants of a query token, sorted, each packed into one integer: its bytes
/// from the top, big-endian and zero-padded, then its length in the low byte. Integer order is then the
/// variants' byte order (a proper prefix first), so they sort and deduplicate cheaply, and consecutive
/// variants share their longest prefixes (which [`lookup_sorted`] walks once).
#[derive(Debug, Default)]
pub(crate) struct Variants(Vec<u128>);

impl Variants {
    /// Replaces the variants with those of `term` with up to `d` bytes deleted
    /// ([`deletion_variants_within`]).
    pub(crate) fn make(&mut self, term: &[u8], d: u8) {
        self.0.clear();
        deletion_variants_within(term, d, |v| self.0.push(pack(v)));
        self.0.sort_unstable();
        self.0.dedup();
    }

    /// The variants in byte order: (bytes, length).
    pub(crate) fn iter(&self) -> impl Iterator<Item = ([u8; PREFIX], usize)> + '_ {
        self.0.iter().map(|&k| {
            let mut b = [0u8; PREFIX];
            for (i, x) in b.iter_mut().enumerate() {
                *x = (k >> (120 - 8 * i)) as u8;
            }
            (b, (k & 0xff) as usize)
        })
    }
}

/// A variant (at most [`PREFIX`] bytes) as a [`Variants`] integer.
fn pack(v: &[u8]) -> u128 {
    let v = &v[..v.len().min(PREFIX)];
    v.iter().enumerate().fold(v.len() as u128, |k, (i, &b)| k | u128::from(b) << (120 - 8 * i))
}

/// Calls `found` with the value of each of `variants` that is a key of `fst`. Consecutive variants
/// share prefixes: the walk from the root is resumed where the previous variant's path diverges, and a
/// variant is passed over at once when it extends a prefix the previous one found missing. Same values
/// as one `get` per variant, in variant order, for about half the node reads.
pub(crate) fn lookup_sorted<D: AsRef<[u8]>, E>(
    fst: &Fst<D>,
    variants: &Variants,
    mut found: impl FnMut(u64) -> Result<(), E>,
) -> Result<(), E> {
    // path[k]: the node reached by the previous variant's first k bytes, and the output so far.
    let mut path: [(Node<'_>, Output); PREFIX + 1] = [(fst.root(), Output::zero()); PREFIX + 1];
    let mut prev = [0u8; PREFIX];
    let mut prev_len = 0;
    // How many bytes of the previous variant were walked, and whether the next one had no transition.
    let (mut walked, mut failed) = (0usize, false);
    for (key, len) in variants.iter() {
        let key = &key[..len];
        let common = key.iter().zip(&prev[..prev_len]).take_while(|(a, b)| a == b).count();
        prev = [0u8; PREFIX];
        prev[..len].copy_from_slice(key);
        prev_len = len;
        if failed && common > walked {
            // The missing prefix is this variant's too.
            continue;
        }
        let mut depth = common.min(walked);
        failed = false;
        while let Some(&b) = key.get(depth) {
            let (node, out) = path[depth];
            match node.find_input(b) {
                Some(i) => {
                    let t = node.transition(i);
                    path[depth + 1] = (fst.node(t.addr), out.cat(t.out));
                    depth += 1;
                }
                None => {
                    failed = true;
                    break;
                }
            }
        }
        walked = depth;
        let (node, out) = path[depth];
        if !failed && node.is_final() {
            found(out.cat(node.final_output()).value())?;
        }
    }
    Ok(())
}

/// The Levenshtein automaton builders for distances 1 and 2 (with transpositions), built once.
pub(crate) fn automata() -> &'static [LevenshteinAutomatonBuilder; 2] {
    static A: OnceLock<[LevenshteinAutomatonBuilder; 2]> = OnceLock::new();
    A.get_or_init(|| [LevenshteinAutomatonBuilder::new(1, true), LevenshteinAutomatonBuilder::new(2, true)])
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    fn variants(t: &str) -> HashSet<Vec<u8>> {
        let mut v = HashSet::new();
        deletion_variants(t.as_bytes(), |x| {
            v.insert(x.to_vec());
        });
        v
    }

    #[test]
    fn two_words_within_the_allowed_distance_share_a_variant() {
        // Every edit of a few words (within their first PREFIX letters) is found.
        let words = ["kyong", "gholami", "nasrallah", "mohammed", "abdulrahman", "bashir", "rahimi"];
        let letters = b"aeikmnorsuyz";
        for w in words {
            let wb = w.as_bytes();
            let d = usize::from(max_distance(w.len()));
            let mut edits: Vec<Vec<u8>> = Vec::new();
            for i in 0..wb.len().min(PREFIX) {
                let mut del = wb.to_vec();
                del.remove(i);
                edits.push(del);
                for &c in letters {
                    let mut sub = wb.to_vec();
                    sub[i] = c;
                    edits.push(sub);
                    let mut ins = wb.to_vec();
                    ins.insert(i, c);
                    edits.push(ins);
                }
                if i + 1 < wb.len() {
                    let mut tr = wb.to_vec();
                    tr.swap(i, i + 1);
                    edits.push(tr);
                }
            }
            let vw = variants(w);
            for e in edits {
                let dist = strsim::osa_distance(w, std::str::from_utf8(&e).unwrap());
                if dist == 0 || dist > d || dist > usize::from(max_distance(e.len())) {
                    continue;
                }
                let ve = variants(std::str::from_utf8(&e).unwrap());
                assert!(vw.intersection(&ve).next().is_some(), "{w} / {}", String::from_utf8_lossy(&e));
            }
        }
    }

    #[test]
    fn packed_variants_sort_in_byte_order_and_unpack() {
        let mut v = Variants::default();
        v.make(b"kyong", 1);
        let got: Vec<String> = v.iter().map(|(b, n)| String::from_utf8(b[..n].to_vec()).unwrap()).collect();
        assert_eq!(got, ["kong", "kyng", "kyog", "kyon", "kyong", "yong"]);
        // A proper prefix sorts first; the packing keeps the order of any bytes.
        let mut keys = [&b"ab"[..], b"ab\0", b"a\xff", b"abc", b"b", b"", b"\xff\xff"];
        let mut packed: Vec<u128> = keys.iter().map(|k| pack(k)).collect();
        keys.sort();
        packed.sort();
        assert_eq!(packed, keys.iter().map(|k| pack(k)).collect::<Vec<_>>());
    }

    #[test]
    fn sorted_lookups_find_what_one_get_per_variant_finds() {
        // A small FST over some variants of a few words; every word's variants looked up both ways.
        let words = ["kyong", "kong", "kim", "gholami", "gholam", "rahimi", "rahman", "mohammed", "muhammad"];
        let mut keys: Vec<Vec<u8>> = Vec::new();
        for w in ["kong", "kyog", "ghlami", "gholmi", "rahimi", "ahimi", "mohamed", "mhammad", "muhamad", "kim"] {
            keys.push(w.as_bytes().to_vec());
        }
        keys.sort();
        let map = fst::Map::from_iter(keys.iter().enumerate().map(|(i, k)| (k.clone(), 7 * i as u64 + 3))).unwrap();
        let mut total = 0;
        for w in words {
            let mut v = Variants::default();
            v.make(w.as_bytes(), query_distance(w.len()));
            let mut one_by_one = Vec::new();
            for (b, n) in v.iter() {
                one_by_one.extend(map.get(&b[..n]));
            }
            let mut walked = Vec::new();
            lookup_sorted(map.as_fst(), &v, |x| {
                walked.push(x);
                Ok::<(), ()>(())
            })
            .unwrap();
            assert_eq!(walked, one_by_one, "{w}");
            total += walked.len();
        }
        assert!(total >= 9, "{total}");
        // The callback's error stops the walk.
        let mut v = Variants::default();
        v.make(b"kyong", 1);
        assert_eq!(lookup_sorted(map.as_fst(), &v, Err::<(), u64>), Err(map.get("kong").unwrap()));
    }

    #[test]
    fn unrelated_words_share_no_variant() {
        assert!(variants("kyong").is_disjoint(&variants("kim")));
        assert!(variants("gholami").is_disjoint(&variants("rahimi")));
    }

    #[test]
    fn short_words_have_only_themselves_and_long_terms_are_not_eligible() {
        assert_eq!(variants("ali").len(), 1);
        assert!(!eligible(b"ali"));
        assert!(eligible(b"kyong"));
        assert!(!eligible("ĸyong".as_bytes()));
        assert!(!eligible(&[b'a'; MAX_TERM_LEN + 1]));
    }
}
