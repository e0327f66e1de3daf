//! Decisions from scores: [`Thresholds`] and [`Decision`].
//!
//! The boundary rule, stated once: with thresholds `upper` and `lower` (0 ≤ lower ≤ upper ≤ 100),
//! a score **≥ upper** is `MATCH`, a score **< lower** is `NOT_MATCH`, and anything in between
//! (`lower ≤ score < upper`) is `UNCLEAR`. When `upper == lower` there is never an `UNCLEAR`.

use serde::{Deserialize, Serialize};
use std::fmt;

/// The outcome of comparing a score with [`Thresholds`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Decision {
    /// Below the lower threshold.
    #[serde(rename = "NOT_MATCH")]
    NotMatch,
    /// Between the thresholds: needs review.
    #[serde(rename = "UNCLEAR")]
    Unclear,
    /// At or above the upper threshold.
    #[serde(rename = "MATCH")]
    Match,
}

impl Decision {
    /// `MATCH`, `UNCLEAR` or `NOT_MATCH`.
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Match => "MATCH",
            Decision::Unclear => "UNCLEAR",
            Decision::NotMatch => "NOT_MATCH",
        }
    }
}

impl fmt::Display for Decision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Upper and lower decision thresholds on the 0–100 score (defaults 80 and 40).
///
/// ```
/// use saring::{Decision, Thresholds};
/// let t = Thresholds::default();
/// assert_eq!(t.decide(80.0), Decision::Match);
/// assert_eq!(t.decide(79.9), Decision::Unclear);
/// assert_eq!(t.decide(40.0), Decision::Unclear);
/// assert_eq!(t.decide(39.9), Decision::NotMatch);
/// assert!(Thresholds::new(30.0, 50.0).is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Thresholds {
    /// Scores at or above this are `MATCH`.
    pub upper: f64,
    /// Scores below this are `NOT_MATCH`.
    pub lower: f64,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds { upper: 80.0, lower: 40.0 }
    }
}

impl Thresholds {
    /// Checked constructor: both in 0–100 and `lower <= upper`.
    pub fn new(upper: f64, lower: f64) -> crate::Result<Self> {
        let t = Thresholds { upper, lower };
        t.validate()?;
        Ok(t)
    }

    /// Checks the invariants (both finite, in 0–100, `lower <= upper`).
    pub fn validate(&self) -> crate::Result<()> {
        for (what, v) in [("upper", self.upper), ("lower", self.lower)] {
            if !v.is_finite() || !(0.0..=100.0).contains(&v) {
                return Err(crate::Error::InvalidInput(format!("{what} threshold {v} is outside 0–100")));
            }
        }
        if self.lower > self.upper {
            return Err(crate::Error::InvalidInput(format!(
                "lower threshold {} is above upper threshold {}",
                self.lower, self.upper
            )));
        }
        Ok(())
    }

    /// The decision for a score: `MATCH` if `score >= upper`, `NOT_MATCH` if `score < lower`,
    /// otherwise `UNCLEAR`.
    pub fn decide(&self, score: f64) -> Decision {
        if score >= self.upper {
            Decision::Match
        } else if score < self.lower {
            Decision::NotMatch
        } else {
            Decision::Unclear
        }
    }
}
