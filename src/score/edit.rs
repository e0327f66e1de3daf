//! A vowel-tolerant edit similarity for romanised names.
//!
//! Romanisations of the same name differ mostly in vowels (`Mushakhas` / `Mishkhis`, `Hatim` / `Hattem`),
//! doubled letters and silent `h`, and in a few consonant pairs (`k`/`q`, `s`/`z`, `d`/`t`, `v`/`w`). Plain
//! Levenshtein charges all of these a full edit, so an optimal-string-alignment distance is computed here
//! with cheaper costs for them: vowel ↔ vowel 0.4, a close consonant pair 0.6, inserting or deleting a
//! vowel or `h` 0.5, a doubled letter 0.3, a transposition 0.8, anything else 1. `strsim` has no weighted
//! variant, hence this small function, which works on stack buffers of 32 characters. Inputs are canonical
//! tokens (ASCII); a token longer than that (a long compound) is compared with `strsim`'s plain
//! Damerau-Levenshtein similarity instead.

const MAX: usize = 32;

fn is_vowel(c: u8) -> bool {
    matches!(c, b'a' | b'e' | b'i' | b'o' | b'u' | b'y')
}

/// Close consonant pairs (either order) that cost less to substitute.
const CLOSE: [(u8, u8); 9] = [
    (b'k', b'q'),
    (b'c', b'k'),
    (b's', b'z'),
    (b'd', b't'),
    (b'v', b'w'),
    (b'b', b'p'),
    (b'j', b'y'),
    (b'g', b'k'),
    (b'f', b'v'),
];

/// Substitution costs for every byte pair, computed once.
fn sub_table() -> &'static [[f32; 128]; 128] {
    static TABLE: std::sync::OnceLock<Box<[[f32; 128]; 128]>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let mut t = Box::new([[1.0f32; 128]; 128]);
        for a in 0..128u8 {
            for b in 0..128u8 {
                t[a as usize][b as usize] = if a == b {
                    0.0
                } else if is_vowel(a) && is_vowel(b) {
                    0.4
                } else if CLOSE.iter().any(|&(x, y)| (a == x && b == y) || (a == y && b == x)) {
                    0.6
                } else {
                    1.0
                };
            }
        }
        t
    })
}

fn sub_cost(table: &[[f32; 128]; 128], a: u8, b: u8) -> f32 {
    if a < 128 && b < 128 {
        table[a as usize][b as usize]
    } else if a == b {
        0.0
    } else {
        1.0
    }
}

fn indel_costs(s: &[u8]) -> [f32; MAX] {
    let mut out = [1f32; MAX];
    for (i, &c) in s.iter().enumerate() {
        out[i] = if (i > 0 && s[i - 1] == c) || s.get(i + 1) == Some(&c) {
            0.3
        } else if is_vowel(c) || c == b'h' {
            0.5
        } else {
            1.0
        };
    }
    out
}

/// Weighted edit distance between two ASCII strings (see the module docs for the costs).
pub(crate) fn distance(a: &str, b: &str) -> f32 {
    let a = &a.as_bytes()[..a.len().min(MAX)];
    let b = &b.as_bytes()[..b.len().min(MAX)];
    let (n, m) = (a.len(), b.len());
    let (ia, ib) = (indel_costs(a), indel_costs(b));
    let table = sub_table();
    // Three rolling rows of the OSA table.
    let mut prev2 = [0f32; MAX + 1];
    let mut prev = [0f32; MAX + 1];
    let mut cur = [0f32; MAX + 1];
    for j in 1..=m {
        prev[j] = prev[j - 1] + ib[j - 1];
    }
    for i in 1..=n {
        cur[0] = prev[0] + ia[i - 1];
        for j in 1..=m {
            let mut v = (prev[j] + ia[i - 1])
                .min(cur[j - 1] + ib[j - 1])
                .min(prev[j - 1] + sub_cost(table, a[i - 1], b[j - 1]));
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && a[i - 1] != b[j - 1] {
                v = v.min(prev2[j - 2] + 0.8);
            }
            cur[j] = v;
        }
        prev2 = prev;
        prev = cur;
    }
    prev[m]
}

/// Similarity 0–1 from [`distance`], relative to the longer string.
pub(crate) fn similarity(a: &str, b: &str) -> f32 {
    let long = a.len().max(b.len());
    if long > MAX {
        return strsim::normalized_damerau_levenshtein(a, b) as f32;
    }
    if long == 0 {
        return 1.0;
    }
    (1.0 - distance(a, b) / long as f32).max(0.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_tokens_are_compared_whole() {
        let a = "abcdefghijklmnopqrstuvwxyzabcdefghij";
        let b = "abcdefghijklmnopqrstuvwxyzabcdefghik";
        let s = similarity(a, b);
        assert!(s > 0.95 && s < 1.0, "{s}");
        assert_eq!(similarity(a, a), 1.0);
        // Differing only after the 32nd character still counts.
        assert!(similarity(a, "abcdefghijklmnopqrstuvwxyzabcdefxxxx") < s);
    }

    #[test]
    fn costs() {
        let cases = [
            ("hatim", "hattem", 0.3 + 0.4),
            ("mushakhas", "mishkhis", 0.4 + 0.5 + 0.4),
            ("bush", "bush", 0.0),
            ("bush", "bash", 0.4),
            ("ab", "ba", 0.8),
            ("yong", "song", 1.0),
            ("", "abc", 0.5 + 1.0 + 1.0),
        ];
        for (a, b, want) in cases {
            let got = distance(a, b);
            assert!((got - want).abs() < 1e-5, "{a} / {b}: {got} != {want}");
            assert!((distance(b, a) - want).abs() < 1e-5, "{b} / {a} not symmetric");
        }
    }
}
