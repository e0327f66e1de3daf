//! Similarity: two analysed names become a deterministic 0–100 score with an explanation.
//!
//! [`token`](self) similarity (exact, variant, phonetic, fuzzy, ...) feeds an order-tolerant alignment
//! in `name.rs`; the score weighs rare tokens above common ones and charges unmatched query tokens more
//! than unmatched candidate tokens. [`Thresholds`] turn the score into a [`Decision`].

mod decision;
pub(crate) mod edit;
pub mod entity;
mod memo;
mod name;
mod token;

pub use decision::{Decision, Thresholds};
// What the index's candidate ranking needs to estimate scores the same way.
pub(crate) use memo::{EditMemo, ThreadMemo};
pub(crate) use name::{
    freely_joinable, miss_cost, miss_costs, ADJACENT_JOIN_FLOOR, FREE_JOIN_FLOOR, FREE_JOIN_MIN_LEN,
};
#[cfg(test)]
pub(crate) use token::fuzzy;
pub(crate) use token::{
    fuzzy_at_least, may_fuzz, skeleton_meets, without_article, FuzzyReach, FuzzyScan, INITIAL, MAX_REACH_LEN, PHONETIC,
    SKELETON, VARIANT,
};

use crate::text::{analyze, Name, NameKind};
use serde::{Deserialize, Serialize};

/// Options for [`compare`].
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct CompareOptions {
    /// Person, entity, or `Unknown` to detect from the names (a legal form such as `LTD` or `PT` makes
    /// both names be read as organisations).
    pub kind: NameKind,
    /// Decision thresholds.
    pub thresholds: Thresholds,
}

/// How tokens were paired, and what each cost.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TokenMatch {
    /// Query token(s), canonical; empty for an unmatched candidate token.
    pub query: String,
    /// Candidate token(s), canonical; empty for an unmatched query token.
    pub candidate: String,
    /// `exact`, `variant` (shared romanisation, dictionary equivalent or variant class), `phonetic`,
    /// `initial`, `skeleton` (consonants of an Arabic/Hebrew token), `fuzzy` (typos), `joined`
    /// (split/joined words), or `unmatched`.
    pub how: String,
    /// Token similarity 0–1.
    pub similarity: f64,
    /// Points this pairing (or missing token) removed from 100; the costs add up to `100 - score`.
    pub cost: f64,
}

/// Why a pair got its score.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Explanation {
    /// Query name after analysis.
    pub query: String,
    /// Candidate name after analysis.
    pub candidate: String,
    /// Token alignment: matched pairs in query order, then unmatched query tokens, then unmatched
    /// candidate tokens.
    pub tokens: Vec<TokenMatch>,
    /// Caps or other adjustments applied.
    pub notes: Vec<String>,
}

/// The result of comparing two names.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Similarity {
    /// 0–100, one decimal.
    pub score: f64,
    /// MATCH / UNCLEAR / NOT_MATCH under the options' thresholds.
    pub decision: Decision,
    /// Token alignment and costs.
    pub explanation: Explanation,
}

/// Compares two raw names, analysing both.
///
/// ```
/// use saring::{compare, CompareOptions, Decision, NameKind};
/// let opts = CompareOptions { kind: NameKind::Entity, ..Default::default() };
/// let sim = compare("Yuk Tung Energy", "YUK TUNG ENERGY PTE LTD", &opts);
/// assert_eq!(sim.decision, Decision::Match);
/// assert!(compare("George Bush", "George Habbash", &CompareOptions::default()).decision != Decision::Match);
/// ```
pub fn compare(a: &str, b: &str, options: &CompareOptions) -> Similarity {
    let mut na = analyze(a, options.kind);
    let mut nb = analyze(b, options.kind);
    if options.kind == NameKind::Unknown {
        // One side is clearly an organisation: read both as organisations.
        if na.kind == NameKind::Entity && nb.kind != NameKind::Entity {
            nb = analyze(b, NameKind::Entity);
        } else if nb.kind == NameKind::Entity && na.kind != NameKind::Entity {
            na = analyze(a, NameKind::Entity);
        }
    }
    compare_names(&na, &nb, options)
}

/// Compares two analysed names: analyse once with [`analyze`], compare many times.
///
/// ```
/// use saring::{analyze, compare_names, CompareOptions, NameKind};
/// let query = analyze("Kim Kyong Ok", NameKind::Person);
/// let listed = analyze("KIM KYONG OK", NameKind::Person);
/// assert_eq!(compare_names(&query, &listed, &CompareOptions::default()).score, 100.0);
/// ```
pub fn compare_names(a: &Name, b: &Name, options: &CompareOptions) -> Similarity {
    let al = name::align(a, b, None, true);
    let score = final_score(a, b, &al);
    Similarity { score, decision: options.thresholds.decide(score), explanation: explain(a, b, &al) }
}

/// The 0–100 score of two analysed names, without building an explanation (for hot loops).
pub fn score_names(a: &Name, b: &Name) -> f64 {
    final_score(a, b, &name::align(a, b, None, false))
}

/// [`score_names`] of one query name `a` against many list names, its edit similarities remembered in
/// `memo` (started for `a`: [`EditMemo::start`]).
pub(crate) fn score_names_memo(a: &Name, b: &Name, memo: &mut EditMemo) -> f64 {
    final_score(a, b, &name::align(a, b, Some(memo), false))
}

fn final_score(a: &Name, b: &Name, al: &name::Alignment) -> f64 {
    if a.tokens.is_empty() || b.tokens.is_empty() {
        // Names with no letters or digits at all: equal text is the only evidence.
        let same = !a.original.trim().is_empty() && a.original.trim() == b.original.trim();
        return if same { 100.0 } else { 0.0 };
    }
    round1(al.score as f64)
}

fn round1(x: f64) -> f64 {
    ((x * 10.0).round() / 10.0).clamp(0.0, 100.0)
}

fn explain(a: &Name, b: &Name, al: &name::Alignment) -> Explanation {
    let text = |toks: &[crate::text::Token], run: name::Run| {
        let mut s = String::with_capacity(run.iter().map(|i| toks[i].text.len() + 1).sum());
        for (k, i) in run.iter().enumerate() {
            if k > 0 {
                s.push(' ');
            }
            s.push_str(&toks[i].text);
        }
        s
    };
    let den = al.denominator as f64;
    let pts = |x: f32| if den > 0.0 { round1(100.0 * x as f64 / den) } else { 0.0 };
    let costs = name::miss_costs(al.conflict);
    let (uq, uc) = (al.unmatched_q.count_ones() as usize, al.unmatched_c.count_ones() as usize);
    let mut tokens = Vec::with_capacity(al.pairs().len() + uq + uc);
    let mut pairs = [None; name::MAX_TOKENS];
    for p in al.pairs() {
        // Each pair has its own first query token: in query order.
        pairs[p.q.first()] = Some(p);
    }
    for p in pairs.iter().flatten() {
        let w: f32 =
            p.q.iter().map(|i| a.tokens[i].weight).sum::<f32>() + p.c.iter().map(|j| b.tokens[j].weight).sum::<f32>();
        tokens.push(TokenMatch {
            query: text(&a.tokens, p.q),
            candidate: text(&b.tokens, p.c),
            how: p.how.as_str().to_string(),
            similarity: round3(p.sim),
            cost: pts((1.0 - p.sim) * w),
        });
    }
    for i in name::members(al.unmatched_q) {
        tokens.push(TokenMatch {
            query: a.tokens[i].text.clone(),
            candidate: String::new(),
            how: "unmatched".into(),
            similarity: 0.0,
            cost: pts(name::miss_cost(&a.tokens[i], costs.query, costs.floor)),
        });
    }
    for j in name::members(al.unmatched_c) {
        tokens.push(TokenMatch {
            query: String::new(),
            candidate: b.tokens[j].text.clone(),
            how: "unmatched".into(),
            similarity: 0.0,
            cost: pts(name::miss_cost(&b.tokens[j], costs.candidate, costs.floor)),
        });
    }
    let mut notes = Vec::new();
    if al.conflict {
        notes.push("both names have words the other lacks: unmatched words cost more".to_string());
    }
    if al.capped {
        notes.push("no name word or number matched one on the other side: score capped at 35".to_string());
    }
    if a.tokens.len() > name::MAX_TOKENS || b.tokens.len() > name::MAX_TOKENS {
        notes.push(format!("only the first {} tokens of each name were compared", name::MAX_TOKENS));
    }
    Explanation { query: a.canonical(), candidate: b.canonical(), tokens, notes }
}

fn round3(x: f32) -> f64 {
    (x as f64 * 1000.0).round() / 1000.0
}
