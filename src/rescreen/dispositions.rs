//! Dispositions: an analyst's memory of reviewed hits, so false positives are not raised again.
//!
//! A dispositions file holds JSON lines `{customer_id, entity_id, entity_hash, status, note}` with
//! `status` `cleared` (a false positive) or `confirmed` (a true match). When rescreening:
//! - a **cleared** hit is suppressed (not written, counted in the summary) as long as the entity's
//!   content hash is still the one the analyst cleared; if the publisher changed the record since, the
//!   hit comes back, marked `cleared` with `entity_changed: true`, for a new review;
//! - a **confirmed** hit is kept and marked `confirmed`.
//!
//! A later line for the same (customer, entity) pair replaces an earlier one, so the file can be an
//! append-only log of decisions.

use crate::{Error, Result};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::path::Path;

/// The analyst's decision on a hit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DispositionStatus {
    /// A false positive: suppress while the entity is unchanged.
    Cleared,
    /// A true match: keep and mark.
    Confirmed,
}

/// One line of a dispositions file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Disposition {
    /// The customer.
    pub customer_id: String,
    /// The list entity.
    pub entity_id: String,
    /// The entity's content hash when the decision was taken.
    pub entity_hash: String,
    /// Cleared or confirmed.
    pub status: DispositionStatus,
    /// Free text.
    #[serde(default)]
    pub note: Option<String>,
}

/// What a disposition does to one hit.
#[derive(Debug, Clone, PartialEq)]
pub enum Verdict<'a> {
    /// No disposition: keep the hit as is.
    None,
    /// Cleared and unchanged: drop the hit.
    Suppress,
    /// Keep the hit and mark it.
    Mark(Mark<'a>),
}

/// The mark written on a kept hit that has a disposition.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Mark<'a> {
    /// The analyst's decision.
    pub status: DispositionStatus,
    /// True when the entity's content changed since the decision.
    pub entity_changed: bool,
    /// The analyst's note.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<&'a str>,
}

/// All dispositions, keyed by (customer id, entity id).
#[derive(Debug, Clone, Default)]
pub struct Dispositions {
    by_pair: HashMap<(String, String), Disposition>,
}

impl Dispositions {
    /// Reads a dispositions file; a malformed line is an error naming the file and line.
    ///
    /// ```
    /// # use std::io::Write;
    /// use saring::rescreen::dispositions::{Dispositions, Verdict};
    /// let mut f = tempfile::NamedTempFile::new().unwrap();
    /// writeln!(f, r#"{{"customer_id":"C1","entity_id":"OFAC-1","entity_hash":"ab","status":"cleared","note":"other DOB"}}"#).unwrap();
    /// let d = Dispositions::read(f.path()).unwrap();
    /// assert_eq!(d.verdict("C1", "OFAC-1", "ab"), Verdict::Suppress);
    /// assert!(matches!(d.verdict("C1", "OFAC-1", "cd"), Verdict::Mark(_)));
    /// assert_eq!(d.verdict("C2", "OFAC-1", "ab"), Verdict::None);
    /// ```
    pub fn read(path: &Path) -> Result<Dispositions> {
        let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
        let mut by_pair = HashMap::new();
        for (i, line) in BufReader::new(file).split(b'\n').enumerate() {
            let line = line.map_err(|e| Error::io(path, e))?;
            let lineno = i as u64 + 1;
            if line.iter().all(|b| b.is_ascii_whitespace()) {
                continue;
            }
            let bad = |reason: String| Error::ListParse { file: path.to_path_buf(), line: lineno, reason };
            let d: Disposition = serde_json::from_slice(&line).map_err(|e| {
                bad(format!(
                    "bad disposition ({e}); expected {{\"customer_id\", \"entity_id\", \"entity_hash\", \
                     \"status\": \"cleared\"|\"confirmed\", \"note\"}}"
                ))
            })?;
            if d.customer_id.trim().is_empty() || d.entity_id.trim().is_empty() {
                return Err(bad("customer_id and entity_id must not be empty".into()));
            }
            if d.status == DispositionStatus::Cleared && d.entity_hash.trim().is_empty() {
                return Err(bad("a cleared disposition needs the entity_hash that was reviewed".into()));
            }
            by_pair.insert((d.customer_id.clone(), d.entity_id.clone()), d);
        }
        Ok(Dispositions { by_pair })
    }

    /// Builds dispositions from values (later ones replace earlier ones for the same pair).
    pub fn new(items: impl IntoIterator<Item = Disposition>) -> Dispositions {
        let by_pair = items.into_iter().map(|d| ((d.customer_id.clone(), d.entity_id.clone()), d)).collect();
        Dispositions { by_pair }
    }

    /// Number of (customer, entity) pairs with a disposition.
    pub fn len(&self) -> usize {
        self.by_pair.len()
    }

    /// True when there are none.
    pub fn is_empty(&self) -> bool {
        self.by_pair.is_empty()
    }

    /// What to do with a hit of `entity_id` (content hash `entity_hash`) for `customer_id`.
    pub fn verdict(&self, customer_id: &str, entity_id: &str, entity_hash: &str) -> Verdict<'_> {
        // Borrowed lookup without allocating a key tuple would need a custom key type; the map is small
        // next to the screening cost, so the two short allocations are acceptable.
        let Some(d) = self.by_pair.get(&(customer_id.to_string(), entity_id.to_string())) else {
            return Verdict::None;
        };
        let entity_changed = d.entity_hash != entity_hash;
        match d.status {
            DispositionStatus::Cleared if !entity_changed => Verdict::Suppress,
            status => Verdict::Mark(Mark { status, entity_changed, note: d.note.as_deref() }),
        }
    }

    /// A fingerprint of the content (for the checkpoint's options hash).
    pub(crate) fn fingerprint(&self) -> u64 {
        let mut keys: Vec<String> = self
            .by_pair
            .values()
            .map(|d| format!("{}\u{1}{}\u{1}{}\u{1}{:?}", d.customer_id, d.entity_id, d.entity_hash, d.status))
            .collect();
        keys.sort();
        xxhash_rust::xxh3::xxh3_64(keys.join("\n").as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn malformed_lines_name_the_line() {
        let mut f = tempfile::NamedTempFile::new().unwrap();
        writeln!(f, r#"{{"customer_id":"C1","entity_id":"E1","entity_hash":"h","status":"confirmed"}}"#).unwrap();
        writeln!(f).unwrap();
        writeln!(f, r#"{{"customer_id":"C1","entity_id":"E2","entity_hash":"h","status":"maybe"}}"#).unwrap();
        let err = Dispositions::read(f.path()).unwrap_err().to_string();
        assert!(err.contains(":3: bad disposition"), "{err}");
        assert!(err.contains("maybe"), "{err}");

        let mut g = tempfile::NamedTempFile::new().unwrap();
        writeln!(g, r#"{{"customer_id":"C1","entity_id":"E2","entity_hash":"","status":"cleared"}}"#).unwrap();
        let err = Dispositions::read(g.path()).unwrap_err().to_string();
        assert!(err.contains(":1: a cleared disposition needs"), "{err}");
    }

    #[test]
    fn later_lines_win_and_confirmed_is_marked() {
        let mut f = tempfile::NamedTempFile::new().unwrap();
        writeln!(f, r#"{{"customer_id":"C1","entity_id":"E1","entity_hash":"h1","status":"cleared"}}"#).unwrap();
        writeln!(f, r#"{{"customer_id":"C1","entity_id":"E1","entity_hash":"h1","status":"confirmed","note":"yes"}}"#)
            .unwrap();
        let d = Dispositions::read(f.path()).unwrap();
        assert_eq!(d.len(), 1);
        assert_eq!(
            d.verdict("C1", "E1", "h1"),
            Verdict::Mark(Mark { status: DispositionStatus::Confirmed, entity_changed: false, note: Some("yes") })
        );
    }
}
