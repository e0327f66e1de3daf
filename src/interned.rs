//! Byte strings numbered in the order they are first met: the keys of the per-thread caches (a word's
//! lookups, a query word's number, an edit similarity's list word). Each string is kept in one byte
//! buffer with a tag (which the same string may come with twice, as two keys) and found by the xxh3
//! hash of its bytes seeded with the tag, through a `hashbrown::HashTable` of numbers, small enough for
//! the processor's caches. Nothing is allocated or freed per string, and a table allocated at its
//! budget and emptied with [`Interned::clear`] never grows again: no lookup pays for a rehash.

use hashbrown::HashTable;
use xxhash_rust::xxh3::xxh3_64_with_seed;

/// Byte strings with tags, each numbered by its place ([`Interned::insert`]); the caller keeps what a
/// number stands for in a vector of its own.
#[derive(Debug, Default)]
pub(crate) struct Interned {
    /// Each string's number, found by its hash.
    table: HashTable<u32>,
    /// The strings, in the order they were met.
    spans: Vec<Span>,
    /// Their bytes, one after another.
    bytes: Vec<u8>,
}

/// A kept string: its hash, its tag and its place in `bytes`.
#[derive(Debug, Clone, Copy)]
struct Span {
    hash: u64,
    tag: u64,
    start: u32,
    len: u32,
}

impl Interned {
    /// The hash under which [`get`](Interned::get) and [`insert`](Interned::insert) find `s` with `tag`.
    pub(crate) fn hash(tag: u64, s: &[u8]) -> u64 {
        xxh3_64_with_seed(s, tag)
    }

    /// Room for `strings` strings of `bytes` bytes in all, allocated now.
    pub(crate) fn reserve(&mut self, strings: usize, bytes: usize) {
        self.spans.reserve_exact(strings.saturating_sub(self.spans.len()));
        let spans = &self.spans;
        self.table.reserve(strings.saturating_sub(self.table.len()), |&k| spans[k as usize].hash);
        self.bytes.reserve_exact(bytes.saturating_sub(self.bytes.len()));
    }

    /// The number of `s` with `tag` (of hash [`Interned::hash`]), if it was met.
    #[inline]
    pub(crate) fn get(&self, hash: u64, tag: u64, s: &[u8]) -> Option<u32> {
        let same =
            |&k: &u32| self.spans.get(k as usize).is_some_and(|x| x.hash == hash && x.tag == tag && self.text(x) == s);
        self.table.find(hash, same).copied()
    }

    /// Keeps `s` with `tag` (of hash [`Interned::hash`]), not met before, as the next number.
    pub(crate) fn insert(&mut self, hash: u64, tag: u64, s: &[u8]) -> u32 {
        let k = self.spans.len() as u32;
        self.spans.push(Span { hash, tag, start: self.bytes.len() as u32, len: s.len() as u32 });
        self.bytes.extend_from_slice(s);
        let spans = &self.spans;
        self.table.insert_unique(hash, k, |&k| spans[k as usize].hash);
        k
    }

    /// Strings kept.
    pub(crate) fn len(&self) -> usize {
        self.spans.len()
    }

    /// Bytes kept.
    pub(crate) fn bytes(&self) -> usize {
        self.bytes.len()
    }

    /// Strings the table holds without growing.
    pub(crate) fn capacity(&self) -> usize {
        self.table.capacity().min(self.spans.capacity())
    }

    /// Forgets every string, keeping the buffers.
    pub(crate) fn clear(&mut self) {
        self.table.clear();
        self.spans.clear();
        self.bytes.clear();
    }

    fn text(&self, x: &Span) -> &[u8] {
        &self.bytes[x.start as usize..(x.start + x.len) as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_numbered_apart_by_bytes_and_tag_and_cleared_in_place() {
        let mut kept = Interned::default();
        kept.reserve(100, 1000);
        let capacity = kept.capacity();
        let put = |kept: &mut Interned, tag: u64, s: &[u8]| kept.insert(Interned::hash(tag, s), tag, s);
        let find = |kept: &Interned, tag: u64, s: &[u8]| kept.get(Interned::hash(tag, s), tag, s);
        assert_eq!(put(&mut kept, 0, b"ab"), 0);
        assert_eq!(put(&mut kept, 0, b"a"), 1);
        assert_eq!(put(&mut kept, 7, b"ab"), 2);
        assert_eq!((find(&kept, 0, b"ab"), find(&kept, 0, b"a"), find(&kept, 7, b"ab")), (Some(0), Some(1), Some(2)));
        // A prefix, another tag, or the right hash with other bytes is another string.
        assert_eq!(find(&kept, 0, b"b"), None);
        assert_eq!(find(&kept, 1, b"ab"), None);
        assert_eq!(kept.get(Interned::hash(0, b"ab"), 0, b"ba"), None);
        assert_eq!((kept.len(), kept.bytes()), (3, 5));
        kept.clear();
        assert_eq!((kept.len(), kept.bytes(), find(&kept, 0, b"ab")), (0, 0, None));
        assert_eq!(kept.capacity(), capacity);
        assert!(capacity >= 100);
    }
}
