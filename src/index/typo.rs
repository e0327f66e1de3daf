//! Typo-tolerant term lookup: which indexed terms lie within a few edits of a query token.
//!
//! The edit distance allowed grows with the token's length ([`max_distance`]: 0 up to 3 characters, 1 up
//! to 7, 2 beyond; a transposition of adjacent letters counts as one edit). Two ways to find those terms
//! are built in, selected by [`Typo`](super::Typo):
//!
//! - **Deletion neighbourhoods** (the default). Two words within `d` edits of each other share a string
//!   obtained by deleting at most `d` characters from each. The index maps every such deletion variant of
//!   every term (up to the term's own allowed distance, over its first [`PREFIX`] characters) to the
//!   terms that have it; a query token's variants are looked up exactly, a few dozen FST lookups. Each
//!   term found is then checked with the scorer's own edit similarity, which is what the candidate
//!   ranking uses as the term's quality.
//! - **Levenshtein automata** (`levenshtein_automata`, builders made once per process) intersected with
//!   the TERMS FST. Exact by construction, but the intersection visits a large part of the FST near its
//!   root: about 65 µs per token at distance 1 and 600–750 µs at distance 2 on the bundled index
//!   (63,000 terms), against a few microseconds for the deletion lookups.

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

/// Whether a term gets deletion variants: canonical ASCII, 4 to [`MAX_TERM_LEN`] characters.
pub(crate) fn eligible(term: &[u8]) -> bool {
    (4..=MAX_TERM_LEN).contains(&term.len()) && term.iter().all(|b| b.is_ascii_alphanumeric())
}

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
pub fn deletion_variants(term: &[u8], mut emit: impl FnMut(&[u8])) {
    let base = &term[..term.len().min(PREFIX)];
    let d = max_distance(term.len());
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
