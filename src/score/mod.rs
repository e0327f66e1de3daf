//! Similarity: two analysed names become a deterministic 0–100 score with an explanation.

mod decision;
pub mod entity;

pub use decision::{Decision, Thresholds};

use crate::text::{analyze, Name, NameKind};
use serde::{Deserialize, Serialize};

/// Options for [`compare`].
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct CompareOptions {
    /// Person, entity, or detect from the names.
    pub kind: NameKind,
    /// Decision thresholds.
    pub thresholds: Thresholds,
}

/// How one query token was paired.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TokenMatch {
    /// Query token (canonical).
    pub query: String,
    /// Candidate token (canonical); empty when unmatched.
    pub candidate: String,
    /// How they matched: `exact`, `variant`, `dictionary`, `phonetic`, `fuzzy`, `joined`, `initial`, `unmatched`.
    pub how: String,
    /// Token similarity 0–1.
    pub similarity: f64,
}

/// Why a pair got its score.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Explanation {
    /// Query name after analysis.
    pub query: String,
    /// Candidate name after analysis.
    pub candidate: String,
    /// Token alignment, query side first.
    pub tokens: Vec<TokenMatch>,
    /// Candidate tokens left unmatched.
    pub unmatched_candidate: Vec<String>,
    /// Free-text notes (penalties, caps).
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

/// Compares two raw names (analysing both).
pub fn compare(a: &str, b: &str, options: &CompareOptions) -> Similarity {
    let na = analyze(a, options.kind);
    let nb = analyze(b, options.kind);
    compare_names(&na, &nb, options)
}

/// Compares two analysed names; use this in hot loops (analyse once, compare many times).
pub fn compare_names(a: &Name, b: &Name, options: &CompareOptions) -> Similarity {
    let ta: Vec<&str> = a.tokens.iter().map(|t| t.text.as_str()).collect();
    let tb: Vec<&str> = b.tokens.iter().map(|t| t.text.as_str()).collect();
    let mut sa = ta.clone();
    sa.sort();
    let mut sb = tb.clone();
    sb.sort();
    let score = (strsim::normalized_levenshtein(&sa.join(" "), &sb.join(" ")) * 1000.0).round() / 10.0;
    Similarity {
        score,
        decision: options.thresholds.decide(score),
        explanation: Explanation { query: a.canonical(), candidate: b.canonical(), ..Default::default() },
    }
}
