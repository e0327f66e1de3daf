//! # saring — offline fuzzy name matching and watchlist screening
//!
//! saring ("to sieve") screens person and organisation names against sanctions and PEP lists
//! (OFAC, UN, EU, UK, MAS, PPATK DTTOT, Dow Jones-style feeds) without any network call.
//!
//! The flow: list files are read into one [`Entity`] model ([`lists`]); every name, on the list side
//! and the query side alike, goes through the same analysis pipeline ([`text::analyze`]); names are
//! compared into a deterministic 0–100 score with an explanation ([`compare`]); the score becomes a
//! [`Decision`] under [`Thresholds`] (upper/lower, defaults 80/40).
//!
//! # Examples
//!
//! ```
//! use saring::{compare, CompareOptions, Decision};
//!
//! let sim = compare("Farkhad Ataullaevich Akilov", "AKILOV, Farkhad Ataullaevich", &CompareOptions::default());
//! assert_eq!(sim.decision, Decision::Match);
//! ```
#![deny(unsafe_code)]
#![warn(missing_docs)]

pub mod error;
pub mod files;
pub mod index;
pub mod lists;
pub mod model;
#[cfg(feature = "providers")]
pub mod providers;
pub mod rescreen;
pub mod score;
pub mod screen;
pub mod text;

pub use error::{Error, Result};
pub use model::{Entity, EntityKind, PartialDate, Publisher};
pub use score::{compare, compare_names, CompareOptions, Decision, Similarity, Thresholds};
pub use text::{analyze, Name, NameKind};
