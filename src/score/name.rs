//! Name similarity: token alignment → 0–100.
//!
//! Tokens are aligned one-to-one, order-tolerant, greedily by similarity (ties: heavier tokens first,
//! then position, so the result is deterministic). Tokens left over are then tried joined: two or three
//! adjacent tokens on one side against one token on the other (`Abdul Rahman` = `Abdulrahman`,
//! `JSC ARGUMENT` = `JSCARGUMENT`).
//!
//! The score is a weighted agreement: each matched pair adds `similarity × (wq + wc)` to the numerator and
//! `wq + wc` to the denominator; an unmatched query token adds `2 × 0.6 × wq` to the denominator only, an
//! unmatched candidate token `2 × 0.25 × wc` (a list name that says more than the query costs less than a
//! query word the list name lacks). Weights come from analysis: rare words weigh more than common ones,
//! particles and legal forms little, numbers fully. When no name word or number matched at all (only
//! particles, legal forms or initials, or a name word only against an initial) and the names are not
//! identical, the score is capped at 35.

use super::token::{fuzzy, similarity, How};
use crate::text::{Name, Token, TokenTag};

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
/// Tokens beyond this many per name are ignored (bounds the cost of pathological inputs).
pub(crate) const MAX_TOKENS: usize = 48;

/// One aligned group: 1–3 query tokens with 1–3 candidate tokens (one side is always a single token).
#[derive(Debug, Clone)]
pub(crate) struct Pair {
    pub q: Vec<usize>,
    pub c: Vec<usize>,
    pub sim: f32,
    pub how: How,
}

/// The alignment of two names and its score.
#[derive(Debug, Clone)]
pub(crate) struct Alignment {
    pub pairs: Vec<Pair>,
    pub unmatched_q: Vec<usize>,
    pub unmatched_c: Vec<usize>,
    pub denominator: f32,
    pub score: f32,
    pub capped: bool,
    /// Both names have name words the other lacks (`MAKHLUF, Muhammad` / `MAKHLUF, Rami`).
    pub conflict: bool,
}

pub(crate) fn align(a: &Name, b: &Name) -> Alignment {
    let q = &a.tokens[..a.tokens.len().min(MAX_TOKENS)];
    let c = &b.tokens[..b.tokens.len().min(MAX_TOKENS)];
    let (n, m) = (q.len(), c.len());
    let mut used_q = vec![false; n];
    let mut used_c = vec![false; m];
    let mut pairs: Vec<Pair> = Vec::new();

    // Exact pairs first: they would win the greedy pass anyway (nothing scores above 1.0), and taking
    // them out spares the similarity of every other pair in their rows and columns. Same tie-breaking as
    // below: heavier pairs first, then position.
    let mut exact: Vec<(f32, usize, usize)> = Vec::new();
    for (i, qt) in q.iter().enumerate() {
        for (j, ct) in c.iter().enumerate() {
            if qt.text == ct.text {
                exact.push((qt.weight + ct.weight, i, j));
            }
        }
    }
    exact.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)).then(x.2.cmp(&y.2)));
    for (_, i, j) in exact {
        if !used_q[i] && !used_c[j] {
            used_q[i] = true;
            used_c[j] = true;
            pairs.push(Pair { q: vec![i], c: vec![j], sim: 1.0, how: How::Exact });
        }
    }

    let mut cands: Vec<(f32, f32, usize, usize, How)> = Vec::with_capacity(n * m);
    for (i, qt) in q.iter().enumerate().filter(|(i, _)| !used_q[*i]) {
        for (j, ct) in c.iter().enumerate().filter(|(j, _)| !used_c[*j]) {
            let (s, how) = similarity(qt, ct);
            if s > 0.0 {
                cands.push((s, qt.weight + ct.weight, i, j, how));
            }
        }
    }
    cands.sort_by(|x, y| y.0.total_cmp(&x.0).then(y.1.total_cmp(&x.1)).then(x.2.cmp(&y.2)).then(x.3.cmp(&y.3)));
    for (s, _, i, j, how) in cands {
        if !used_q[i] && !used_c[j] {
            used_q[i] = true;
            used_c[j] = true;
            pairs.push(Pair { q: vec![i], c: vec![j], sim: s, how });
        }
    }

    join_leftovers(q, c, &mut used_q, &mut used_c, &mut pairs, false);
    join_leftovers(c, q, &mut used_c, &mut used_q, &mut pairs, true);

    let unmatched_q: Vec<usize> = (0..n).filter(|&i| !used_q[i]).collect();
    let unmatched_c: Vec<usize> = (0..m).filter(|&j| !used_c[j]).collect();
    let mut numerator = 0.0;
    let mut denominator = 0.0;
    for p in &pairs {
        let w: f32 = p.q.iter().map(|&i| q[i].weight).sum::<f32>() + p.c.iter().map(|&j| c[j].weight).sum::<f32>();
        numerator += p.sim * w;
        denominator += w;
    }
    let conflict = is_conflict(q, c, &unmatched_q, &unmatched_c);
    let costs = miss_costs(conflict);
    denominator += unmatched_q.iter().map(|&i| miss_cost(&q[i], costs.query, costs.floor)).sum::<f32>();
    denominator += unmatched_c.iter().map(|&j| miss_cost(&c[j], costs.candidate, costs.floor)).sum::<f32>();
    let mut score = if denominator > 0.0 { 100.0 * numerator / denominator } else { 0.0 };
    let heavy = |t: &Token| matches!(t.tag, TokenTag::Name | TokenTag::Number);
    // Evidence needs a pair with a name word or number on both sides: initials alone (`C.I.` against
    // `Chongsng Ionhap`) or particles alone do not identify anyone.
    let any_heavy = pairs.iter().any(|p| p.q.iter().any(|&i| heavy(&q[i])) && p.c.iter().any(|&j| heavy(&c[j])));
    let identical = unmatched_q.is_empty() && unmatched_c.is_empty() && pairs.iter().all(|p| p.sim >= 1.0);
    let capped = !any_heavy && !identical && score > LIGHT_ONLY_CAP;
    if capped {
        score = LIGHT_ONLY_CAP;
    }
    Alignment { pairs, unmatched_q, unmatched_c, denominator, score, capped, conflict }
}

/// Whether both sides have unmatched name words: a conflict (different given names), not just a
/// shorter alias.
fn is_conflict(q: &[Token], c: &[Token], uq: &[usize], uc: &[usize]) -> bool {
    let named = |t: &Token| matches!(t.tag, TokenTag::Name | TokenTag::Number);
    uq.iter().any(|&i| named(&q[i])) && uc.iter().any(|&j| named(&c[j]))
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

/// Tries runs of 2–3 adjacent unmatched tokens of `side` against single unmatched tokens of `other`.
fn join_leftovers(
    side: &[Token],
    other: &[Token],
    used_side: &mut [bool],
    used_other: &mut [bool],
    pairs: &mut Vec<Pair>,
    swapped: bool,
) {
    if used_side.iter().filter(|u| !**u).count() < 2 || used_other.iter().all(|u| *u) {
        return;
    }
    for len in [3usize, 2] {
        let mut i = 0;
        while i + len <= side.len() {
            if used_side[i..i + len].iter().any(|u| *u) {
                i += 1;
                continue;
            }
            let joined: String = side[i..i + len].iter().map(|t| t.text.as_str()).collect();
            let best = (0..other.len())
                .filter(|&j| !used_other[j])
                .map(|j| {
                    let o = &other[j].text;
                    let s = if *o == joined { 1.0 } else { fuzzy(&joined, o) };
                    (s, j)
                })
                .filter(|(s, _)| *s >= 0.8)
                .max_by(|x, y| x.0.total_cmp(&y.0).then(y.1.cmp(&x.1)));
            if let Some((s, j)) = best {
                used_side[i..i + len].iter_mut().for_each(|u| *u = true);
                used_other[j] = true;
                let run: Vec<usize> = (i..i + len).collect();
                let (qi, cj) = if swapped { (vec![j], run) } else { (run, vec![j]) };
                pairs.push(Pair { q: qi, c: cj, sim: s * super::token::VARIANT, how: How::Joined });
                i += len;
            } else {
                i += 1;
            }
        }
    }
}
