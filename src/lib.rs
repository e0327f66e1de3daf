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
//!
//! Screening: list files are built once into an index file ([`index`]), which opens in microseconds
//! (memory-mapped) and screens [`screen::Query`]s, Iluma CFT-shaped, into hits with scores, decisions
//! and explanations. [`index::Index::open_bundled`] opens (building on first use) the index of the lists
//! bundled with saring; [`rescreen`] screens whole customer files.
//!
//! ```
//! use saring::index::{build_from_lists, Index};
//! use saring::screen::Query;
//! use saring::Decision;
//! # let dir = tempfile::tempdir().unwrap();
//! # let path = dir.path().join("un.sidx");
//! let un = saring::lists::bundled_dir().join("un_consolidated_2026-02-27.xml");
//! build_from_lists(&[un], &path)?;
//! let index = Index::open(&path)?;
//! let query = Query { given_name: Some("Kim Kyong".into()), surname: Some("Ok".into()), ..Query::default() };
//! let hit = &index.screen(&query)?.results[0];
//! assert_eq!((hit.id.as_str(), hit.decision), ("UN-KPi.045", Decision::Match));
//! assert!(!hit.explanation.name.tokens.is_empty()); // which query word met which list word, and how
//! # Ok::<(), saring::Error>(())
//! ```
#![deny(unsafe_code)]
#![warn(missing_docs)]

pub mod error;
pub mod files;
pub mod index;
mod interned;
pub mod lists;
pub mod model;
#[cfg(feature = "providers")]
pub mod providers;
pub mod records;
pub mod rescreen;
pub mod score;
pub mod screen;
pub mod text;

pub use error::{Error, Result};
pub use model::{Entity, EntityKind, PartialDate, Publisher};
pub use score::{compare, compare_names, CompareOptions, Decision, Similarity, Thresholds};
pub use text::{analyze, Name, NameKind};
