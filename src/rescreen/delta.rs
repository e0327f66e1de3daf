//! List deltas: which entities were added, changed (content hash differs) or removed between two indexes.
//!
//! Both indexes give their `(id, content hash)` pairs in id order; one merge pass over the two sorted
//! streams classifies every id, holding only the differing ids in memory. If a stream turns out not to
//! be sorted, the pairs are collected and sorted first (same answer, more memory).

use crate::index::Index;
use crate::{Error, Result};
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;
use std::collections::{HashMap, HashSet};

/// How an entity differs in the newer index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Change {
    /// Not in the older index.
    Added,
    /// In both, with a different content hash.
    Changed,
}

/// The differences between an older and a newer index; ids sorted.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct IndexDiff {
    /// Entities only in the newer index.
    pub added: Vec<String>,
    /// Entities in both whose content hash differs.
    pub changed: Vec<String>,
    /// Entities only in the older index.
    pub removed: Vec<String>,
    /// Entities in both with the same hash.
    pub unchanged: u64,
}

impl IndexDiff {
    /// The ids worth screening after a list update (added ∪ changed), with how each changed.
    pub fn screen_set(&self) -> HashMap<String, Change> {
        let added = self.added.iter().map(|id| (id.clone(), Change::Added));
        added.chain(self.changed.iter().map(|id| (id.clone(), Change::Changed))).collect()
    }

    /// The removed ids as a set.
    pub fn removed_set(&self) -> HashSet<String> {
        self.removed.iter().cloned().collect()
    }

    /// True when the two indexes hold the same entities with the same content.
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.changed.is_empty() && self.removed.is_empty()
    }
}

/// Compares two indexes entity by entity (id and content hash).
pub fn diff(old: &Index, new: &Index) -> Result<IndexDiff> {
    match diff_sorted(hashes(old), hashes(new)) {
        Err(Error::Internal(reason)) if reason.starts_with(UNSORTED) => {
            let mut a = hashes(old).collect::<Result<Vec<_>>>()?;
            let mut b = hashes(new).collect::<Result<Vec<_>>>()?;
            a.sort_unstable();
            b.sort_unstable();
            diff_sorted(a.into_iter().map(Ok), b.into_iter().map(Ok))
        }
        other => other,
    }
}

fn hashes(index: &Index) -> impl Iterator<Item = Result<(String, String)>> + '_ {
    index.entity_hashes()
}

const UNSORTED: &str = "entity ids not in sorted order";

/// Merges two streams of `(id, hash)` sorted by id (strictly increasing) into a diff.
///
/// ```
/// use saring::rescreen::delta::diff_sorted;
/// fn pairs(v: &[(&str, &str)]) -> Vec<saring::Result<(String, String)>> {
///     v.iter().map(|(i, h)| Ok((i.to_string(), h.to_string()))).collect()
/// }
/// let old = pairs(&[("a", "1"), ("b", "1"), ("c", "1")]);
/// let new = pairs(&[("b", "2"), ("c", "1"), ("d", "1")]);
/// let d = diff_sorted(old.into_iter(), new.into_iter()).unwrap();
/// assert_eq!((d.added, d.changed, d.removed, d.unchanged), (vec!["d".to_string()], vec!["b".to_string()], vec!["a".to_string()], 1));
/// ```
pub fn diff_sorted<A, B>(old: A, new: B) -> Result<IndexDiff>
where
    A: Iterator<Item = Result<(String, String)>>,
    B: Iterator<Item = Result<(String, String)>>,
{
    let mut old = Sorted::new(old, "older");
    let mut new = Sorted::new(new, "newer");
    let mut d = IndexDiff::default();
    let mut a = old.next()?;
    let mut b = new.next()?;
    loop {
        match (a.take(), b.take()) {
            (None, None) => break,
            (Some((id, _)), None) => {
                d.removed.push(id);
                a = old.next()?;
            }
            (None, Some((id, _))) => {
                d.added.push(id);
                b = new.next()?;
            }
            (Some((ia, ha)), Some((ib, hb))) => match ia.cmp(&ib) {
                Ordering::Less => {
                    d.removed.push(ia);
                    a = old.next()?;
                    b = Some((ib, hb));
                }
                Ordering::Greater => {
                    d.added.push(ib);
                    a = Some((ia, ha));
                    b = new.next()?;
                }
                Ordering::Equal => {
                    if ha == hb {
                        d.unchanged += 1;
                    } else {
                        d.changed.push(ia);
                    }
                    a = old.next()?;
                    b = new.next()?;
                }
            },
        }
    }
    Ok(d)
}

/// A stream that checks its ids strictly increase.
struct Sorted<I> {
    inner: I,
    last: Option<String>,
    which: &'static str,
}

impl<I: Iterator<Item = Result<(String, String)>>> Sorted<I> {
    fn new(inner: I, which: &'static str) -> Self {
        Sorted { inner, last: None, which }
    }

    fn next(&mut self) -> Result<Option<(String, String)>> {
        let Some(item) = self.inner.next().transpose()? else { return Ok(None) };
        if let Some(last) = &self.last {
            if item.0.as_str() <= last.as_str() {
                return Err(Error::Internal(format!(
                    "{UNSORTED} in the {} index: {:?} after {:?}",
                    self.which, item.0, last
                )));
            }
        }
        self.last = Some(item.0.clone());
        Ok(Some(item))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(v: &[(&str, &str)]) -> impl Iterator<Item = Result<(String, String)>> {
        v.iter().map(|(i, h)| Ok((i.to_string(), h.to_string()))).collect::<Vec<_>>().into_iter()
    }

    #[test]
    fn merge_classifies_every_id() {
        let old = [("A-1", "x"), ("A-2", "x"), ("B-1", "y"), ("C-9", "z")];
        let new = [("A-0", "n"), ("A-2", "x"), ("B-1", "Y"), ("D-1", "q"), ("D-2", "q")];
        let d = diff_sorted(pairs(&old), pairs(&new)).unwrap();
        assert_eq!(d.added, ["A-0", "D-1", "D-2"]);
        assert_eq!(d.changed, ["B-1"]);
        assert_eq!(d.removed, ["A-1", "C-9"]);
        assert_eq!(d.unchanged, 1);
        let set = d.screen_set();
        assert_eq!(set.len(), 4);
        assert_eq!(set["B-1"], Change::Changed);
        assert_eq!(set["D-2"], Change::Added);
        let empty = diff_sorted(pairs(&[]), pairs(&[])).unwrap();
        assert!(empty.is_empty());
    }

    #[test]
    fn unsorted_streams_are_detected() {
        let err = diff_sorted(pairs(&[("b", "1"), ("a", "1")]), pairs(&[])).unwrap_err().to_string();
        assert!(err.contains(UNSORTED) && err.contains("older"), "{err}");
    }
}
