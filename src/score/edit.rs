//! A vowel-tolerant edit similarity for romanised names.
//!
//! Romanisations of the same name differ mostly in vowels (`Mushakhas` / `Mishkhis`, `Hatim` / `Hattem`),
//! doubled letters and silent `h`, and in a few consonant pairs (`k`/`q`, `s`/`z`, `d`/`t`, `v`/`w`). Plain
//! Levenshtein charges all of these a full edit, so an optimal-string-alignment distance is computed here
//! with cheaper costs for them: vowel ↔ vowel 0.4, a close consonant pair 0.6, inserting or deleting a
//! vowel or `h` 0.5, a doubled letter 0.3, a transposition 0.8, anything else 1. `strsim` has no weighted
//! variant, hence this small function, which works on stack buffers of 32 characters and adds the costs
//! as whole tenths in integers, so that the distance is exact (a pair exactly at a floor is at the
//! floor, not a rounding error below it). Inputs are canonical
//! tokens (ASCII); a token longer than that (a long compound) is compared with `strsim`'s plain
//! Damerau-Levenshtein similarity instead. Callers that credit only close pairs pass their floor to
//! [`similarity_at_least`], which abandons the table as soon as a lower bound shows the floor out of reach
//! (most pairs of different names): the result is the same, only sooner.

pub(crate) const MAX: usize = 32;

const fn is_vowel(c: u8) -> bool {
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

/// For each letter `a`–`z`, the bit set of the letters it forms a [`CLOSE`] pair with.
const CLOSE_SETS: [u32; 26] = {
    let mut sets = [0u32; 26];
    let mut k = 0;
    while k < CLOSE.len() {
        let (x, y) = CLOSE[k];
        sets[(x - b'a') as usize] |= 1 << (y - b'a');
        sets[(y - b'a') as usize] |= 1 << (x - b'a');
        k += 1;
    }
    sets
};

const fn is_close(a: u8, b: u8) -> bool {
    a.is_ascii_lowercase() && b.is_ascii_lowercase() && CLOSE_SETS[(a - b'a') as usize] >> (b - b'a') & 1 == 1
}

/// The cost of substituting `b` for `a`, in tenths.
const fn sub_tenths(a: u8, b: u8) -> u8 {
    if a == b {
        0
    } else if is_vowel(a) && is_vowel(b) {
        4
    } else if is_close(a, b) {
        6
    } else {
        10
    }
}

/// The cheapest insertion or deletion (of a doubled letter), in tenths.
pub(crate) const MIN_INDEL_TENTHS: u8 = 3;

/// The cost of inserting or deleting `c`, in tenths, given whether a neighbour is the same letter.
#[inline]
fn indel_tenths(c: u8, doubled: bool) -> u8 {
    if doubled {
        MIN_INDEL_TENTHS
    } else {
        INDEL_TENTHS[usize::from(c)]
    }
}

/// The cost of inserting or deleting each byte when not doubled: a vowel or `h` 0.5, anything else 1.
static INDEL_TENTHS: [u8; 256] = {
    let mut table = [10u8; 256];
    let mut c = 0;
    while c < 256 {
        if is_vowel(c as u8) || c as u8 == b'h' {
            table[c] = 5;
        }
        c += 1;
    }
    table
};

/// The cost of transposing two adjacent letters, in tenths.
pub(crate) const TRANSPOSE_TENTHS: u8 = 8;

/// Calls `f` with the position and the cost, in tenths, of inserting or deleting each byte of `s` (at
/// most [`MAX`]): a letter next to the same letter is a doubled one.
#[inline]
fn each_indel_tenths(s: &[u8], mut f: impl FnMut(usize, u8)) {
    for i in 0..s.len() {
        f(i, indel_at(s, i));
    }
}

/// The cost, in tenths, of inserting or deleting byte `i` of `s`: a letter next to the same letter is a
/// doubled one.
#[inline]
fn indel_at(s: &[u8], i: usize) -> u8 {
    let c = s[i];
    indel_tenths(c, (i > 0 && s[i - 1] == c) || s.get(i + 1) == Some(&c))
}

/// [`sub_tenths`] for every pair of ASCII bytes, read by the distance table's inner loop.
static SUB_TENTHS: [[u8; 128]; 128] = {
    let mut table = [[0u8; 128]; 128];
    let mut a = 0;
    while a < 128 {
        let mut b = 0;
        while b < 128 {
            table[a][b] = sub_tenths(a as u8, b as u8);
            b += 1;
        }
        a += 1;
    }
    table
};

/// Weighted edit distance between two ASCII strings, in tenths (see the module docs for the costs).
#[cfg(test)]
pub(crate) fn distance_tenths(a: &str, b: &str) -> u16 {
    let (a, b) = (&a.as_bytes()[..a.len().min(MAX)], &b.as_bytes()[..b.len().min(MAX)]);
    distance_unless(a, b, u16::MAX).unwrap_or(u16::MAX)
}

/// A lower bound of the final distance for paths through one row of the table: a path from cell
/// `(i, j)` to `(n, m)` adds non-negative costs, among them at least `|(n - i) - (m - j)|` insertions or
/// deletions of at least [`MIN_INDEL_TENTHS`] each.
pub(crate) fn row_bound<T: Copy + Into<u16>>(row: &[T], rows_left: usize, m: usize) -> u16 {
    row[..=m].iter().zip(even_out(rows_left, m)).fold(u16::MAX, |bound, (&v, &rest)| bound.min(v.into() + rest))
}

/// The distance in tenths between `a` and `b` (at most [`MAX`] bytes each), or `None` as soon as a
/// lower bound of it exceeds `limit`. Every path to the last cell passes through the current row, or
/// jumps over it by a transposition from the row before, so the lesser [`row_bound`] of the last two
/// rows bounds the distance. Costs are added as integers: the distance is exact.
fn distance_unless(a: &[u8], b: &[u8], limit: u16) -> Option<u16> {
    if a.is_ascii() && b.is_ascii() {
        table_unless(a, b, limit, |costs: &[u8; 128], _, cb| costs[usize::from(cb)])
    } else {
        table_unless(a, b, limit, |_, ca, cb| sub_tenths(ca, cb))
    }
}

/// The bit of the ordered pair of adjacent bytes `x`, `y` in [`adjacent_pairs`].
fn pair_bit(x: u8, y: u8) -> u64 {
    1 << ((u32::from(x) * 31 + u32::from(y)) & 63)
}

/// Which ordered pairs of adjacent bytes `s` has, hashed into 64 bits: a row of the table can only meet
/// a transposition when the pair it would swap is there, so most rows skip looking for one.
fn adjacent_pairs(s: &[u8]) -> u64 {
    s.windows(2).fold(0, |acc, w| acc | pair_bit(w[0], w[1]))
}

/// `EVEN_OUT[k]`: the least cost, in tenths, of the insertions or deletions that even out lengths
/// `|k - MAX|` bytes apart (each at least [`MIN_INDEL_TENTHS`]); read through [`even_out`].
static EVEN_OUT: [u16; 2 * MAX + 1] = {
    let mut table = [0u16; 2 * MAX + 1];
    let mut k = 0;
    while k <= 2 * MAX {
        table[k] = k.abs_diff(MAX) as u16 * MIN_INDEL_TENTHS as u16;
        k += 1;
    }
    table
};

/// For each cell `j` (0 to `m`) of a row with `rows_left` rows after it, the least cost of what a path
/// from the cell to the last one still needs to even out the lengths left, `|rows_left - (m - j)|`
/// insertions or deletions.
fn even_out(rows_left: usize, m: usize) -> &'static [u16] {
    &EVEN_OUT[rows_left + MAX - m..][..=m]
}

/// The table of [`distance_unless`], with `sub(costs, ca, cb)` the cost of substituting `cb` for `ca`,
/// given the [`SUB_TENTHS`] row of `ca` (of `ca & 127` for a non-ASCII byte). A row without a possible
/// transposition (most rows) is built in one pass: each cell from the one above (a deletion), the one
/// above on the left (a substitution) and the one on the left (an insertion), the row's bound alongside.
/// A row that may meet a transposition is built in two: first the cells from the rows above, then the
/// rare transpositions, then the insertions from the left.
#[inline(always)]
fn table_unless(a: &[u8], b: &[u8], limit: u16, sub: impl Fn(&[u8; 128], u8, u8) -> u8) -> Option<u16> {
    let (n, m) = (a.len(), b.len());
    // Three rolling rows of the OSA table, the first inserting `b`'s prefixes.
    let (mut r0, mut r1, mut r2) = ([0u16; MAX + 1], [0u16; MAX + 1], [0u16; MAX + 1]);
    let (mut prev2, mut prev, mut cur) = (&mut r0, &mut r1, &mut r2);
    let mut ib = [0u16; MAX];
    each_indel_tenths(b, |j, t| {
        ib[j] = u16::from(t);
        prev[j + 1] = prev[j] + u16::from(t);
    });
    let ib = &ib[..m];
    let pairs = adjacent_pairs(b);
    let mut prev_bound = row_bound(&prev[..], n, m);
    for i in 1..=n {
        let (ca, del) = (a[i - 1], u16::from(indel_at(a, i - 1)));
        let costs = &SUB_TENTHS[usize::from(ca & 127)];
        // Every path still needs the insertions or deletions that even out the lengths left.
        let even_out = even_out(n - i, m);
        let mut left = prev[0] + del;
        cur[0] = left;
        let mut bound = left + even_out[0];
        if i > 1 && a[i - 2] != ca && pairs & pair_bit(ca, a[i - 2]) != 0 {
            // A deletion from the cell above, or a substitution from the one above on the left.
            for ((cell, w), &cb) in cur[1..=m].iter_mut().zip(prev[..=m].windows(2)).zip(b) {
                *cell = (w[1] + del).min(w[0] + u16::from(sub(costs, ca, cb)));
            }
            // A transposition of `ca` and the byte before it against the same two bytes of `b` swapped.
            for j in 2..=m {
                if b[j - 2] == ca && b[j - 1] == a[i - 2] {
                    cur[j] = cur[j].min(prev2[j - 2] + u16::from(TRANSPOSE_TENTHS));
                }
            }
            // Then the insertions from the left, a short chain of additions, and the row's bound.
            for ((cell, &ins), &rest) in cur[1..=m].iter_mut().zip(ib).zip(&even_out[1..]) {
                left = (*cell).min(left + ins);
                *cell = left;
                bound = bound.min(left + rest);
            }
        } else {
            let mut diag = prev[0];
            for (((cell, &up), &cb), (&ins, &rest)) in
                cur[1..=m].iter_mut().zip(&prev[1..=m]).zip(b).zip(ib.iter().zip(&even_out[1..]))
            {
                left = (up + del).min(diag + u16::from(sub(costs, ca, cb))).min(left + ins);
                *cell = left;
                diag = up;
                bound = bound.min(left + rest);
            }
        }
        if i < n {
            if bound.min(prev_bound) > limit {
                return None;
            }
            prev_bound = bound;
        }
        let spare = prev2;
        prev2 = prev;
        prev = cur;
        cur = spare;
    }
    Some(prev[m])
}

/// Similarity 0–1 from [`distance_tenths`], relative to the longer string.
#[cfg(test)]
pub(crate) fn similarity(a: &str, b: &str) -> f32 {
    similarity_at_least(a, b, f32::NEG_INFINITY).unwrap_or(0.0)
}

/// The similarity of words whose longer has `long` bytes, `tenths` tenths apart.
pub(crate) fn similarity_of(tenths: u16, long: usize) -> f32 {
    (1.0 - f32::from(tenths) / 10.0 / long as f32).max(0.0)
}

/// The largest distance in tenths whose [`similarity_of`] reaches `floor` (similarity falls as
/// distance grows); `u16::MAX` for a floor of 0 or less.
pub(crate) fn tenths_within(floor: f32, long: usize) -> u16 {
    if floor <= 0.0 {
        return u16::MAX;
    }
    let mut t = ((1.0 - floor).max(0.0) * 10.0 * long as f32) as u16 + 2;
    while t > 0 && similarity_of(t, long) < floor {
        t -= 1;
    }
    t
}

/// Similarity 0–1 from [`distance_tenths`], relative to the longer string, if it is at least `floor`;
/// the distance table is abandoned as soon as the similarity cannot reach `floor`.
pub(crate) fn similarity_at_least(a: &str, b: &str, floor: f32) -> Option<f32> {
    let long = a.len().max(b.len());
    let sim = if long > MAX {
        strsim::normalized_damerau_levenshtein(a, b) as f32
    } else if long == 0 {
        1.0
    } else {
        similarity_of(distance_unless(a.as_bytes(), b.as_bytes(), tenths_within(floor, long))?, long)
    };
    (sim >= floor).then_some(sim)
}

/// A row of the distance table in tenths ([`Rows`]): cell `i` is the cost of aligning a prefix of the
/// other word with the first `i` bytes of the word.
pub(crate) type Row = [u8; MAX + 1];

/// The word side of the distance table, for building it one byte of the other word at a time, in whole
/// tenths (saturating), as an automaton walking an FST of terms does. The costs are those of
/// [`similarity_at_least`]; the result is the same distance.
pub(crate) struct Rows {
    word: [u8; MAX],
    indel: [u8; MAX],
    n: usize,
    /// The word's [`adjacent_pairs`].
    pairs: u64,
}

impl Rows {
    /// The rows of `word`, or `None` if it is longer than the table takes.
    pub(crate) fn new(word: &[u8]) -> Option<Rows> {
        let n = word.len();
        if n > MAX {
            return None;
        }
        let mut w = [0u8; MAX];
        w[..n].copy_from_slice(word);
        let mut indel = [0u8; MAX];
        each_indel_tenths(word, |i, t| indel[i] = t);
        Some(Rows { word: w, indel, n, pairs: adjacent_pairs(word) })
    }

    /// The word's length in bytes: the cell of the last row that is the distance.
    pub(crate) fn len(&self) -> usize {
        self.n
    }

    /// The row before any byte of the other word: deleting the word's prefixes.
    pub(crate) fn first(&self) -> Row {
        let mut row = [u8::MAX; MAX + 1];
        row[0] = 0;
        for i in 1..=self.n {
            row[i] = row[i - 1].saturating_add(self.indel[i - 1]);
        }
        row
    }

    /// The row after the other word's byte `c`, given the two rows before it (`before_last` is only
    /// read for a transposition, when `before` is the byte preceding `c`) and the byte after `c`, if
    /// known (a doubled letter is cheap to insert).
    pub(crate) fn next(&self, before_last: &Row, last: &Row, before: Option<u8>, c: u8, after: Option<u8>) -> Row {
        let ins = indel_tenths(c, before == Some(c) || after == Some(c));
        let n = self.n;
        let mut row = [u8::MAX; MAX + 1];
        row[0] = last[0].saturating_add(ins);
        // As in `table_unless`: the cells from the row before, then the deletions from the left.
        let costs = &SUB_TENTHS[usize::from(c & 127)];
        for ((cell, w), &a) in row[1..=n].iter_mut().zip(last[..=n].windows(2)).zip(&self.word[..n]) {
            let sub = if a.is_ascii() && c.is_ascii() { costs[usize::from(a)] } else { sub_tenths(a, c) };
            *cell = w[1].saturating_add(ins).min(w[0].saturating_add(sub));
        }
        // A transposition of `c` and the byte before it against the word's same two bytes swapped.
        if let Some(b) = before.filter(|&b| b != c && self.pairs & pair_bit(c, b) != 0) {
            for i in 2..=n {
                if self.word[i - 1] == b && self.word[i - 2] == c {
                    row[i] = row[i].min(before_last[i - 2].saturating_add(TRANSPOSE_TENTHS));
                }
            }
        }
        let mut left = row[0];
        for (cell, &del) in row[1..=n].iter_mut().zip(&self.indel[..n]) {
            left = (*cell).min(left.saturating_add(del));
            *cell = left;
        }
        row
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// The distance as first written: full table, `f32::min`, a precomputed substitution table.
    fn reference_distance(a: &str, b: &str) -> f32 {
        thread_local!(static TABLE: Box<[[f32; 128]; 128]> = sub_table());
        TABLE.with(|t| reference_distance_with(t, a, b))
    }

    fn sub_table() -> Box<[[f32; 128]; 128]> {
        let mut table = Box::new([[1.0f32; 128]; 128]);
        for (x, row) in table.iter_mut().enumerate() {
            for (y, cell) in row.iter_mut().enumerate() {
                let (x, y) = (x as u8, y as u8);
                *cell = if x == y {
                    0.0
                } else if is_vowel(x) && is_vowel(y) {
                    0.4
                } else if CLOSE.iter().any(|&(p, q)| (x == p && y == q) || (x == q && y == p)) {
                    0.6
                } else {
                    1.0
                };
            }
        }
        table
    }

    fn reference_distance_with(table: &[[f32; 128]; 128], a: &str, b: &str) -> f32 {
        let sub = |x: u8, y: u8| {
            if x < 128 && y < 128 {
                table[x as usize][y as usize]
            } else if x == y {
                0.0
            } else {
                1.0
            }
        };
        let a = &a.as_bytes()[..a.len().min(MAX)];
        let b = &b.as_bytes()[..b.len().min(MAX)];
        let (n, m) = (a.len(), b.len());
        let indel_costs = |s: &[u8]| {
            let mut out = [1f32; MAX];
            each_indel_tenths(s, |i, t| out[i] = f32::from(t) / 10.0);
            out
        };
        let (ia, ib) = (indel_costs(a), indel_costs(b));
        let mut prev2 = [0f32; MAX + 1];
        let mut prev = [0f32; MAX + 1];
        let mut cur = [0f32; MAX + 1];
        for j in 1..=m {
            prev[j] = prev[j - 1] + ib[j - 1];
        }
        for i in 1..=n {
            cur[0] = prev[0] + ia[i - 1];
            for j in 1..=m {
                let mut v =
                    (prev[j] + ia[i - 1]).min(cur[j - 1] + ib[j - 1]).min(prev[j - 1] + sub(a[i - 1], b[j - 1]));
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

    fn reference_similarity(a: &str, b: &str) -> f32 {
        let long = a.len().max(b.len());
        if long > MAX {
            return strsim::normalized_damerau_levenshtein(a, b) as f32;
        }
        if long == 0 {
            return 1.0;
        }
        // The f32 sums of tenths are within rounding of the exact distance.
        similarity_of((reference_distance(a, b) * 10.0).round() as u16, long)
    }

    /// Random word pairs from a small alphabet of letters with special costs, half of them a variant
    /// of the other (one to three edits), so that many pairs are close; a few words are longer than the
    /// table.
    pub(crate) fn random_pairs(count: usize, mut seed: u64) -> Vec<(String, String)> {
        let alphabet = b"aeiouyhkqcszdtvwbpjgfmnrlx";
        let mut next = move |bound: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % bound as u64) as usize
        };
        let word = |next: &mut dyn FnMut(usize) -> usize| -> String {
            let len = if next(20) == 0 { 30 + next(8) } else { next(12) };
            let letters = 3 + next(alphabet.len() - 3);
            (0..len).map(|_| alphabet[next(letters)] as char).collect()
        };
        (0..count)
            .map(|_| {
                let a = word(&mut next);
                let b = if next(2) == 0 {
                    let mut b = a.clone().into_bytes();
                    for _ in 0..1 + next(3) {
                        if b.is_empty() {
                            break;
                        }
                        let at = next(b.len());
                        match next(3) {
                            0 => b[at] = alphabet[next(alphabet.len())],
                            1 => drop(b.remove(at)),
                            _ => b.insert(at, alphabet[next(alphabet.len())]),
                        }
                    }
                    String::from_utf8(b).unwrap()
                } else {
                    word(&mut next)
                };
                (a, b)
            })
            .collect()
    }

    #[test]
    fn early_stop_never_changes_a_result() {
        let mut stopped = 0;
        for (a, b) in random_pairs(100_000, 0x2545_f491_4f6c_dd1d) {
            let want = reference_similarity(&a, &b);
            assert_eq!(similarity(&a, &b).to_bits(), want.to_bits(), "{a} / {b}");
            for floor in [0.75f32, 0.8] {
                let got = similarity_at_least(&a, &b, floor);
                assert_eq!(got.map(f32::to_bits), (want >= floor).then_some(want.to_bits()), "{a} / {b} / {floor}");
                stopped += usize::from(got.is_none() && a.len().max(b.len()) <= MAX);
            }
        }
        assert!(stopped > 0);
    }

    #[test]
    fn rows_built_byte_by_byte_give_the_distance_in_tenths() {
        for (a, b) in random_pairs(50_000, 0x9e37_79b9_7f4a_7c15) {
            let (Some(rows), true) = (Rows::new(a.as_bytes()), b.len() <= MAX) else { continue };
            let bytes = b.as_bytes();
            let (mut before_last, mut last) = ([u8::MAX; MAX + 1], rows.first());
            for (k, &c) in bytes.iter().enumerate() {
                let row =
                    rows.next(&before_last, &last, k.checked_sub(1).map(|p| bytes[p]), c, bytes.get(k + 1).copied());
                before_last = last;
                last = row;
            }
            let want = reference_distance(&a, &b);
            if want >= 25.0 {
                // Past what a row holds (saturated).
                continue;
            }
            assert!(
                (f32::from(last[rows.len()]) / 10.0 - want).abs() < 1e-4,
                "{a} / {b}: {} != {want}",
                last[rows.len()]
            );
        }
    }

    #[test]
    fn transpositions_anywhere_in_either_word_cost_one_swap() {
        let word = "mohammedomar";
        for i in 0..word.len() - 1 {
            let mut swapped = word.as_bytes().to_vec();
            swapped.swap(i, i + 1);
            let swapped = String::from_utf8(swapped).unwrap();
            let want = reference_distance(word, &swapped);
            for (a, b) in [(word, swapped.as_str()), (swapped.as_str(), word)] {
                assert_eq!(f32::from(distance_tenths(a, b)) / 10.0, want, "{a} / {b}");
                let rows = Rows::new(a.as_bytes()).unwrap();
                let (mut before_last, mut last) = ([u8::MAX; MAX + 1], rows.first());
                for (k, &c) in b.as_bytes().iter().enumerate() {
                    let next = b.as_bytes().get(k + 1).copied();
                    let row = rows.next(&before_last, &last, k.checked_sub(1).map(|p| b.as_bytes()[p]), c, next);
                    before_last = last;
                    last = row;
                }
                assert_eq!(f32::from(last[rows.len()]) / 10.0, want, "rows: {a} / {b}");
            }
        }
        // A swap of two different letters is one transposition (0.8), cheaper than two substitutions.
        assert_eq!(distance_tenths("hamid", "hamdi"), u16::from(TRANSPOSE_TENTHS));
    }

    #[test]
    fn a_pair_exactly_at_the_floor_reaches_it() {
        // Deleting `h` 0.5, inserting the doubled `i` 0.3, `s` → `z` 0.6: 1.4 over 7 letters, 0.8 exactly
        // (summed in f32, 0.5 + 0.3 + 0.6 is not 1.4).
        assert_eq!(distance_tenths("hamirsa", "amiirza"), 14);
        assert_eq!(similarity_at_least("hamirsa", "amiirza", 0.8), Some(0.8));
        assert_eq!(similarity_at_least("hamirsa", "amiirza", 0.81), None);
    }

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
            let got = f32::from(distance_tenths(a, b)) / 10.0;
            assert!((got - want).abs() < 1e-5, "{a} / {b}: {got} != {want}");
            assert_eq!(distance_tenths(b, a), distance_tenths(a, b), "{b} / {a} not symmetric");
        }
    }
}
