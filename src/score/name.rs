//! Name similarity: token alignment → 0–100.
//!
//! Tokens are aligned one-to-one, order-tolerant, greedily by similarity (ties: heavier tokens first,
//! then position, so the result is deterministic). Tokens left over are then tried joined: two or three
//! adjacent tokens on one side against one token on the other (`Abdul Rahman` = `Abdulrahman`,
//! `JSC ARGUMENT` = `JSCARGUMENT`), then any two left-over name words in either order, more strictly
//! (`KALED, Belkasam` = `Kaledbelkasam`: a surname written first and joined to the given name).
//!
//! The score is a weighted agreement: each matched pair adds `similarity × (wq + wc)` to the numerator and
//! `wq + wc` to the denominator; an unmatched query token adds `2 × 0.6 × wq` to the denominator only, an
//! unmatched candidate token `2 × 0.25 × wc` (a list name that says more than the query costs less than a
//! query word the list name lacks). Weights come from analysis: rare words weigh more than common ones,
//! particles and legal forms little, numbers fully. When no name word or number matched at all (only
//! particles, legal forms or initials, or a name word only against an initial) and the names are not
//! identical, the score is capped at 35.

use super::memo::{EditMemo, Key};
use super::token::{add_skeletons, fuzzy, masks_may_fuzz, may_fuzz, similarity, skeleton_meets, Facts, How, SKELETON};
use crate::text::{is_abjad, Name, Token, TokenTag};

/// Cost factor of an unmatched query token.
pub(crate) const QUERY_MISS: f32 = 0.42;
/// Cost factor of an unmatched candidate token.
pub(crate) const CANDIDATE_MISS: f32 = 0.16;
/// Multiplier of miss costs when both names have unmatched name words.
const CONFLICT: f32 = 1.6;
/// Weight floor of an unmatched name word.
const MISS_WEIGHT_FLOOR: f32 = 0.6;
/// Weight floor of an unmatched name word in a conflict.
const CONFLICT_WEIGHT_FLOOR: f32 = 1.0;
/// Score cap when only light tokens matched.
const LIGHT_ONLY_CAP: f32 = 35.0;
/// Least similarity of adjacent leftover tokens joined in name order to a word of the other side.
pub(crate) const ADJACENT_JOIN_FLOOR: f32 = 0.8;
/// Least similarity of two leftover name words joined in another order than the name's, or not adjacent,
/// to a word of the other side.
pub(crate) const FREE_JOIN_FLOOR: f32 = 0.9;
/// Shortest word joined in another order than the name's, or not adjacent.
pub(crate) const FREE_JOIN_MIN_LEN: usize = 3;
/// Whether a token may be joined to another in another order than the name's, or not adjacent: a
/// name word of [`FREE_JOIN_MIN_LEN`] characters or more.
pub(crate) fn freely_joinable(t: &Token) -> bool {
    t.tag == TokenTag::Name && t.text.len() >= FREE_JOIN_MIN_LEN
}

/// Tokens beyond this many per name are ignored (bounds the cost of pathological inputs). At most 64:
/// token positions are kept in the bits of a `u64` ([`Set`]).
pub(crate) const MAX_TOKENS: usize = 48;

/// A set of token positions, one bit each (`MAX_TOKENS` ≤ 64).
pub(crate) type Set = u64;

/// The positions in a set, in increasing order.
pub(crate) fn members(mut s: Set) -> impl Iterator<Item = usize> {
    std::iter::from_fn(move || {
        (s != 0).then(|| {
            let i = s.trailing_zeros() as usize;
            s &= s - 1;
            i
        })
    })
}

/// The set of positions `start..start + len`.
fn span(start: usize, len: usize) -> Set {
    (if len >= 64 { !0 } else { (1u64 << len) - 1 }) << start
}

/// The token positions of one side of an aligned group (1–3 tokens), in the order they are read: a
/// single token, adjacent tokens in name order, or two tokens joined in either order.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Run {
    pos: [u8; 3],
    len: u8,
}

impl Run {
    /// The positions `start..start + len` (`len` at most 3).
    fn new(start: usize, len: usize) -> Run {
        // Both are below MAX_TOKENS.
        let mut pos = [0u8; 3];
        for (k, p) in pos.iter_mut().enumerate().take(len) {
            *p = (start + k) as u8;
        }
        Run { pos, len: len as u8 }
    }

    /// Two positions, read in this order.
    fn two(first: usize, second: usize) -> Run {
        Run { pos: [first as u8, second as u8, 0], len: 2 }
    }

    /// The lowest position.
    pub fn first(self) -> usize {
        self.pos[..self.len as usize].iter().min().copied().unwrap_or(0) as usize
    }

    /// The positions and their count in one number (distinct runs, distinct numbers; below `1 << 26`).
    fn code(self) -> u32 {
        u32::from_le_bytes([self.pos[0], self.pos[1], self.pos[2], self.len])
    }

    /// The positions, in reading order.
    pub fn iter(self) -> impl Iterator<Item = usize> {
        self.pos.into_iter().take(self.len as usize).map(usize::from)
    }
}

/// One aligned group: 1–3 query tokens with 1–3 candidate tokens (one side is always a single token).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Pair {
    pub q: Run,
    pub c: Run,
    pub sim: f32,
    pub how: How,
}

/// The alignment of two names and its score. Scoring keeps only the sums the score is made of (no
/// allocation per comparison); the pairs themselves are kept when an explanation needs them.
#[derive(Debug, Clone, Default)]
pub(crate) struct Alignment {
    /// Pairs in the order they were made, if kept.
    pairs: Vec<Pair>,
    keep: bool,
    /// Sums over the pairs of similarity × the weight of their tokens (both sides), and of the weight.
    numerator: f32,
    matched: f32,
    /// Some pair has a name word or number on both sides.
    any_heavy: bool,
    /// Every pair is at similarity 1.
    all_full: bool,
    pub unmatched_q: Set,
    pub unmatched_c: Set,
    pub denominator: f32,
    pub score: f32,
    pub capped: bool,
    /// Both names have name words the other lacks (`MAKHLUF, Muhammad` / `MAKHLUF, Rami`).
    pub conflict: bool,
}

impl Alignment {
    /// The aligned groups, in the order they were made (empty unless kept: see [`align`]).
    pub fn pairs(&self) -> &[Pair] {
        &self.pairs
    }

    /// Adds a pair, of query tokens from `q` and list tokens from `c`, to the sums (and to the pairs,
    /// if kept).
    fn push(&mut self, p: Pair, q: &[Token], c: &[Token]) {
        let w: f32 = p.q.iter().map(|i| q[i].weight).sum::<f32>() + p.c.iter().map(|j| c[j].weight).sum::<f32>();
        self.numerator += p.sim * w;
        self.matched += w;
        // Evidence needs a pair with a name word or number on both sides: initials alone (`C.I.` against
        // `Chongsng Ionhap`) or particles alone do not identify anyone.
        let heavy = |t: &Token| t.tag.is_name_word_or_number();
        self.any_heavy |= p.q.iter().any(|i| heavy(&q[i])) && p.c.iter().any(|j| heavy(&c[j]));
        self.all_full &= p.sim >= 1.0;
        if self.keep {
            self.pairs.push(p);
        }
    }
}

/// A candidate pairing of the greedy pass: (similarity, combined weight, query position, candidate
/// position, how).
type Cand = (f32, f32, u8, u8, How);

/// Candidate pairings held on the stack up to this many (names of up to 8 × 8 tokens).
const STACK_CANDS: usize = 64;

/// The alignment of query name `a` with list name `b`; with a memo of the query's edit similarities
/// (started for `a`: [`EditMemo::start`]). `keep_pairs`: keep the aligned groups, for an
/// explanation (the score needs only their sums).
pub(crate) fn align(a: &Name, b: &Name, mut memo: Option<&mut EditMemo>, keep_pairs: bool) -> Alignment {
    let q = &a.tokens[..a.tokens.len().min(MAX_TOKENS)];
    let c = &b.tokens[..b.tokens.len().min(MAX_TOKENS)];
    let (n, m) = (q.len(), c.len());
    let mut used_q: Set = 0;
    let mut used_c: Set = 0;
    let mut al = Alignment { keep: keep_pairs, all_full: true, ..Alignment::default() };

    let mut stack = [(0f32, 0f32, 0u8, 0u8, How::Exact); STACK_CANDS];
    let mut heap: Vec<Cand> = Vec::new();
    let buf: &mut [Cand] = if n * m <= STACK_CANDS {
        &mut stack[..]
    } else {
        heap.resize(n * m, (0.0, 0.0, 0, 0, How::Exact));
        &mut heap[..]
    };

    // Exact pairs first: they would win the greedy pass anyway (nothing scores above 1.0), and taking
    // them out spares the similarity of every other pair in their rows and columns. Same tie-breaking as
    // below: heavier pairs first, then position. (Positions make every key distinct, so an unstable sort
    // gives the one order.)
    let mut k = 0;
    for (i, qt) in q.iter().enumerate() {
        for (j, ct) in c.iter().enumerate() {
            if qt.text == ct.text {
                buf[k] = (1.0, qt.weight + ct.weight, i as u8, j as u8, How::Exact);
                k += 1;
            }
        }
    }
    let exact = &mut buf[..k];
    exact.sort_unstable_by(|x, y| y.1.total_cmp(&x.1).then(x.2.cmp(&y.2)).then(x.3.cmp(&y.3)));
    for &(_, _, i, j, _) in exact.iter() {
        let (bi, bj) = (1u64 << i, 1u64 << j);
        if used_q & bi == 0 && used_c & bj == 0 {
            used_q |= bi;
            used_c |= bj;
            al.push(Pair { q: Run::new(i as usize, 1), c: Run::new(j as usize, 1), sim: 1.0, how: How::Exact }, q, c);
        }
    }

    // The consonant masks of the tokens left after the exact pairs (the joins below look only at those).
    let mut masks_q = [0u32; MAX_TOKENS];
    let mut masks_c = [0u32; MAX_TOKENS];
    if used_q != span(0, n) && used_c != span(0, m) {
        let (todo_q, todo_c) = (span(0, n) & !used_q, span(0, m) & !used_c);
        let mut stack_q = [NO_FACTS; STACK_FACTS];
        let mut stack_c = [NO_FACTS; STACK_FACTS];
        let (mut heap_q, mut heap_c) = (Vec::new(), Vec::new());
        let fq = facts(q, todo_q, &mut stack_q, &mut heap_q);
        let fc = facts(c, todo_c, &mut stack_c, &mut heap_c);
        members(todo_q).for_each(|i| masks_q[i] = fq[i].mask());
        members(todo_c).for_each(|j| masks_c[j] = fc[j].mask());
        let abjad_q = members(todo_q).filter(|&i| fq[i].abjad).count();
        let abjad_c = members(todo_c).filter(|&j| fc[j].abjad).count();
        let k = if (abjad_q > 0 && abjad_c < todo_c.count_ones() as usize)
            || (abjad_c > 0 && abjad_q < todo_q.count_ones() as usize)
        {
            // Abjad tokens can meet tokens of other scripts: list the skeletons once.
            let mut keys = [0u128; SKELETON_KEYS];
            let mut used = 0;
            members(todo_q).for_each(|i| add_skeletons(&q[i], &mut fq[i], &mut keys, &mut used));
            members(todo_c).for_each(|j| add_skeletons(&c[j], &mut fc[j], &mut keys, &mut used));
            candidates(q, c, todo_q, todo_c, fq, fc, &keys[..used], buf, memo.as_deref_mut())
        } else {
            candidates(q, c, todo_q, todo_c, fq, fc, &[], buf, memo.as_deref_mut())
        };
        let cands = &mut buf[..k];
        cands.sort_unstable_by(|x, y| {
            y.0.total_cmp(&x.0).then(y.1.total_cmp(&x.1)).then(x.2.cmp(&y.2)).then(x.3.cmp(&y.3))
        });
        for &(s, _, i, j, how) in cands.iter() {
            let (bi, bj) = (1u64 << i, 1u64 << j);
            if used_q & bi == 0 && used_c & bj == 0 {
                used_q |= bi;
                used_c |= bj;
                al.push(Pair { q: Run::new(i as usize, 1), c: Run::new(j as usize, 1), sim: s, how }, q, c);
            }
        }
    }

    // (Both sides have tokens left whenever a join is possible, so their masks were made above.)
    let mut joined = String::new();
    let (lq, lc) = (Leftovers { toks: q, masks: &masks_q }, Leftovers { toks: c, masks: &masks_c });
    join_leftovers(lq, lc, &mut used_q, &mut used_c, &mut al, false, &mut joined, memo.as_deref_mut());
    join_leftovers(lc, lq, &mut used_c, &mut used_q, &mut al, true, &mut joined, memo);

    let unmatched_q = span(0, n) & !used_q;
    let unmatched_c = span(0, m) & !used_c;
    let numerator = al.numerator;
    let mut denominator = al.matched;
    let conflict = is_conflict(q, c, unmatched_q, unmatched_c);
    let costs = miss_costs(conflict);
    denominator += members(unmatched_q).map(|i| miss_cost(&q[i], costs.query, costs.floor)).sum::<f32>();
    denominator += members(unmatched_c).map(|j| miss_cost(&c[j], costs.candidate, costs.floor)).sum::<f32>();
    let mut score = if denominator > 0.0 { 100.0 * numerator / denominator } else { 0.0 };
    let identical = unmatched_q == 0 && unmatched_c == 0 && al.all_full;
    let capped = !al.any_heavy && !identical && score > LIGHT_ONLY_CAP;
    if capped {
        score = LIGHT_ONLY_CAP;
    }
    al.unmatched_q = unmatched_q;
    al.unmatched_c = unmatched_c;
    al.denominator = denominator;
    al.score = score;
    al.capped = capped;
    al.conflict = conflict;
    al
}

/// Token facts held on the stack for names of up to this many tokens.
const STACK_FACTS: usize = 16;

/// Room for skeleton keys of abjad tokens' alternates (beyond it they are computed when needed).
const SKELETON_KEYS: usize = 64;

const NO_FACTS: Facts = Facts::NONE;

/// The facts of the tokens in `todo` (the others are never looked at), in `stack` if it is long enough.
fn facts<'s>(toks: &[Token], todo: Set, stack: &'s mut [Facts], heap: &'s mut Vec<Facts>) -> &'s mut [Facts] {
    let out = if toks.len() <= stack.len() {
        &mut stack[..toks.len()]
    } else {
        heap.resize(toks.len(), NO_FACTS);
        &mut heap[..]
    };
    for i in members(todo) {
        out[i] = Facts::of(&toks[i]);
    }
    out
}

/// Scores every pairing of a token in `todo_q` with one in `todo_c` into `buf`; returns how many
/// scored above 0.
#[allow(clippy::too_many_arguments)]
fn candidates(
    q: &[Token],
    c: &[Token],
    todo_q: Set,
    todo_c: Set,
    fq: &[Facts],
    fc: &[Facts],
    keys: &[u128],
    buf: &mut [Cand],
    mut memo: Option<&mut EditMemo>,
) -> usize {
    let mut k = 0;
    for i in members(todo_q) {
        let qt = &q[i];
        for j in members(todo_c) {
            let ct = &c[j];
            let (s, how) = similarity(qt, ct, &fq[i], &fc[j], keys, memo.as_deref_mut().map(|m| (m, i)));
            if s > 0.0 {
                buf[k] = (s, qt.weight + ct.weight, i as u8, j as u8, how);
                k += 1;
            }
        }
    }
    k
}

/// Whether both sides have unmatched name words: a conflict (different given names), not just a
/// shorter alias.
fn is_conflict(q: &[Token], c: &[Token], uq: Set, uc: Set) -> bool {
    let named = |t: &Token| t.tag.is_name_word_or_number();
    members(uq).any(|i| named(&q[i])) && members(uc).any(|j| named(&c[j]))
}

/// How much unmatched tokens cost: a factor per side and a weight floor for name words.
#[derive(Debug, Clone, Copy)]
pub(crate) struct MissCosts {
    pub query: f32,
    pub candidate: f32,
    pub floor: f32,
}

/// Conflicts cost more than a shorter alias: higher factors, and a missing name word then costs as much
/// as an ordinary one however common it is (`Ali GHOLAMI` is not `Mohammad GHOLAMI`).
pub(crate) fn miss_costs(conflict: bool) -> MissCosts {
    if conflict {
        MissCosts { query: QUERY_MISS * CONFLICT, candidate: CANDIDATE_MISS * CONFLICT, floor: CONFLICT_WEIGHT_FLOOR }
    } else {
        MissCosts { query: QUERY_MISS, candidate: CANDIDATE_MISS, floor: MISS_WEIGHT_FLOOR }
    }
}

/// What an unmatched token adds to the denominator. A missing name word costs at least as much as a
/// middling word, however common it is (a different given name is evidence of a different person even
/// when it is `Ali`); a missing number always costs as much as on the query side (numbers distinguish
/// `IMICO NEKA 455` from `IMICO NEKA 456`, `ASIA BRIDGE` from `ASIA BRIDGE 1`).
pub(crate) fn miss_cost(t: &Token, factor: f32, floor: f32) -> f32 {
    match t.tag {
        TokenTag::Number => 2.0 * QUERY_MISS * t.weight,
        TokenTag::Name => 2.0 * factor * t.weight.max(floor),
        _ => 2.0 * factor * t.weight,
    }
}

/// One name's tokens, and the [`consonant_mask`](super::token::consonant_mask) of each token left
/// unmatched by the greedy pass.
#[derive(Clone, Copy)]
struct Leftovers<'a> {
    toks: &'a [Token],
    masks: &'a [u32; MAX_TOKENS],
}

/// Tries runs of 2–3 adjacent unmatched tokens of `side` against single unmatched tokens of `other`.
/// `joined` is scratch space for the joined run. `swapped`: `side` is the list name, `other` the query.
/// With a memo, the similarities of joined words are kept for the query's other list names.
#[allow(clippy::too_many_arguments)]
fn join_leftovers(
    Leftovers { toks: side, masks }: Leftovers,
    Leftovers { toks: other, masks: other_masks }: Leftovers,
    used_side: &mut Set,
    used_other: &mut Set,
    al: &mut Alignment,
    swapped: bool,
    joined: &mut String,
    mut memo: Option<&mut EditMemo>,
) {
    let all_side = span(0, side.len());
    let all_other = span(0, other.len());
    if (all_side & !*used_side).count_ones() < 2 || *used_other == all_other {
        return;
    }
    // Lengths and consonant masks of the leftovers rule out most joined words before they are written
    // (a joined word's mask is the union of its parts').
    // Leftovers of the other side in an abjad script, when this side has none: a joined run of this
    // side may have their consonant skeleton (`abdul rahman` against عبدالرحمن, `bdlrhmn`).
    let abjad_other = if side.iter().any(|t| is_abjad(t.script)) {
        0
    } else {
        members(all_other & !*used_other).filter(|&j| is_abjad(other[j].script)).fold(0 as Set, |s, j| s | 1 << j)
    };
    // Every joined word is at least as long as the two shortest leftovers together: when even that is
    // too long for the longest leftover of the other side, nothing joins (the common case: a list name's
    // given names left over against a short query word).
    if abjad_other == 0 {
        let (mut short, mut second) = (usize::MAX, usize::MAX);
        for i in members(all_side & !*used_side) {
            let l = side[i].text.len();
            if l < short {
                (short, second) = (l, short);
            } else if l < second {
                second = l;
            }
        }
        let least = short.saturating_add(second);
        let longest = members(all_other & !*used_other).map(|j| other[j].text.len()).max().unwrap_or(0);
        if least > longest && !may_fuzz(least, longest) {
            return;
        }
    }
    // The leftovers of the other side a joined word of this length and mask may be similar to.
    let fits = |len: usize, mask: u32, used_other: Set| {
        members(all_other & !used_other)
            .filter(|&j| {
                let o = other[j].text.len();
                abjad_other & 1 << j != 0 || (o == len || may_fuzz(len, o)) && masks_may_fuzz(mask, other_masks[j])
            })
            .fold(0 as Set, |s, j| s | 1 << j)
    };
    // A joined word's similarity to leftover `j` of the other side.
    let mut similarity_to = |joined: &str, run: Run, j: usize| {
        let o = &other[j].text;
        if o == joined {
            return 1.0;
        }
        // Not memoised: the memo keeps what the texts alone decide.
        if abjad_other & 1 << j != 0 && skeleton_meets(&other[j], joined) {
            return SKELETON;
        }
        match memo.as_deref_mut() {
            // The joined query run is known by its positions; the list word is the memo's word.
            Some(memo) if !swapped => memo.get_or(Key::QueryRun(run.code()), o, || fuzzy(joined, o)),
            // A joined list word against query token `j`.
            Some(memo) => memo.get_or(Key::ListRun(j), joined, || fuzzy(joined, o)),
            None => fuzzy(joined, o),
        }
    };
    // Records a joined group of this side against leftover `j` of the other.
    let push = |al: &mut Alignment, run: Run, j: usize, s: f32| {
        let one = Run::new(j, 1);
        let pair = |q, c| Pair { q, c, sim: s * super::token::VARIANT, how: How::Joined };
        if swapped {
            al.push(pair(one, run), other, side);
        } else {
            al.push(pair(run, one), side, other);
        }
    };
    for len in [3usize, 2] {
        let mut i = 0;
        while i + len <= side.len() {
            if *used_side & span(i, len) != 0 {
                i += 1;
                continue;
            }
            let chars = side[i..i + len].iter().map(|t| t.text.len()).sum::<usize>();
            let fits = fits(chars, (i..i + len).fold(0, |m, k| m | masks[k]), *used_other);
            if fits == 0 {
                i += 1;
                continue;
            }
            joined.clear();
            side[i..i + len].iter().for_each(|t| joined.push_str(&t.text));
            let run = Run::new(i, len);
            let best = members(fits)
                .map(|j| (similarity_to(joined, run, j), j))
                .filter(|(s, _)| *s >= ADJACENT_JOIN_FLOOR)
                .max_by(|x, y| x.0.total_cmp(&y.0).then(y.1.cmp(&x.1)));
            if let Some((s, j)) = best {
                *used_side |= span(i, len);
                *used_other |= 1 << j;
                push(al, run, j, s);
                i += len;
            } else {
                i += 1;
            }
        }
    }
    // Then any two leftover name words, in either order (`KALED, Belkasam` written `Kaledbelkasam`: the
    // names were reordered, or the words between them matched elsewhere), best pairing first. Held to
    // closer agreement: a free choice of two short words and an order fits many a long word loosely
    // (`Jang Ha` ~ `Jinghu`).
    let joinable =
        members(all_side & !*used_side).filter(|&i| freely_joinable(&side[i])).fold(0 as Set, |s, i| s | 1 << i);
    loop {
        let left = joinable & !*used_side;
        let others = all_other & !*used_other;
        if left.count_ones() < 2 || others == 0 {
            return;
        }
        let mut best: Option<(f32, usize, usize, usize)> = None;
        for a in members(left) {
            for b in members(left & !(1 << a)) {
                if b == a + 1 {
                    // Tried above, in name order.
                    continue;
                }
                let fits = fits(side[a].text.len() + side[b].text.len(), masks[a] | masks[b], *used_other);
                if fits == 0 {
                    continue;
                }
                joined.clear();
                joined.push_str(&side[a].text);
                joined.push_str(&side[b].text);
                for j in members(fits) {
                    let s = similarity_to(joined, Run::two(a, b), j);
                    if s >= FREE_JOIN_FLOOR && best.is_none_or(|(t, ..)| s > t) {
                        best = Some((s, a, b, j));
                    }
                }
            }
        }
        let Some((s, a, b, j)) = best else { return };
        *used_side |= 1 << a | 1 << b;
        *used_other |= 1 << j;
        push(al, Run::two(a, b), j, s);
    }
}
