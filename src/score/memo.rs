//! A per-thread memo of edit similarities.
//!
//! Screening scores one query name against dozens to hundreds of list names, and the same list words
//! come back (`mohammed`, `ali`, a surname shared by a family): about half the edit-distance tables a
//! customer query computes are ones it computed before. Customers' own words come back from query to
//! query as well, so the memo is kept per thread ([`ThreadMemo`]) and keyed by texts: each query
//! word is interned once, and a (query word, list word) similarity computed for one query serves the
//! next. The words are kept in one byte arena and compared in full, so a hash collision cannot return
//! another word's similarity. The memo is emptied when it reaches [`MAX_ENTRIES`] similarities,
//! [`MAX_WORDS`] query words or [`MAX_BYTES`] bytes of words. Its tables are allocated at those sizes
//! when a thread first screens (about 6 MB of address space, touched as they fill) and emptying keeps
//! them, so that no query pays for growing them or freeing their words.

use crate::interned::Interned;
use crate::text::Name;
use std::cell::Cell;

/// Similarities kept before the memo is emptied.
pub(crate) const MAX_ENTRIES: usize = 1 << 16;
/// Query words interned before the memo is emptied.
pub(crate) const MAX_WORDS: usize = 1 << 16;
/// Bytes of list words (and of query words) kept before the memo is emptied.
pub(crate) const MAX_BYTES: usize = 1 << 20;

/// What a remembered similarity is of, besides the list-side word it is looked up with.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Key {
    /// Query token number `i` (of the query being scored) against a list word.
    Token(usize),
    /// The query's tokens at these positions joined ([`Run::code`](super::name::Run)), against a list
    /// word: positions, not texts, so remembered for this query only.
    QueryRun(u32),
    /// A joined run of list words against query token number `j`.
    ListRun(usize),
}

/// Edit similarities of query words against list words, computed once each.
#[derive(Debug, Default)]
pub(crate) struct EditMemo {
    /// The list words remembered, each with its key ([`EditMemo::code`]) as tag.
    entries: Interned,
    /// The similarity of each entry.
    similarities: Vec<f32>,
    /// The query words met, each numbered.
    words: Interned,
    /// The number of each token of the query being scored.
    ids: Vec<u32>,
    /// The number of the query being scored (keys by position hold it).
    serial: u32,
}

thread_local! {
    static MEMO: Cell<EditMemo> = Cell::new(EditMemo::default());
}

/// This thread's memo, taken out for one query name and given back when dropped (a scoring nested in
/// another on the same thread takes an empty one).
pub(crate) struct ThreadMemo(EditMemo);

impl ThreadMemo {
    /// This thread's memo, made ready for query name `query` ([`EditMemo::start`]).
    pub(crate) fn take(query: &Name) -> ThreadMemo {
        let mut memo = MEMO.try_with(Cell::take).unwrap_or_default();
        memo.start(query);
        ThreadMemo(memo)
    }
}

impl std::ops::Deref for ThreadMemo {
    type Target = EditMemo;
    fn deref(&self) -> &EditMemo {
        &self.0
    }
}

impl std::ops::DerefMut for ThreadMemo {
    fn deref_mut(&mut self) -> &mut EditMemo {
        &mut self.0
    }
}

impl Drop for ThreadMemo {
    fn drop(&mut self) {
        let memo = std::mem::take(&mut self.0);
        // A thread being torn down keeps nothing.
        let _ = MEMO.try_with(|cell| cell.set(memo));
    }
}

impl EditMemo {
    /// Prepares the memo for another query name: its words are numbered, and what earlier queries
    /// remembered of their own positions can no longer be found. Empties the memo when it is full.
    pub(crate) fn start(&mut self, query: &Name) {
        self.serial = self.serial.wrapping_add(1);
        let text_len: usize = query.tokens.iter().map(|t| t.text.len()).sum();
        if self.entries.len() >= MAX_ENTRIES
            || self.words.len() + query.tokens.len() > MAX_WORDS
            || self.words.bytes() + text_len > MAX_BYTES
            || self.entries.bytes() >= MAX_BYTES
            || self.serial == 0
        {
            self.empty();
        }
        if self.entries.capacity() < MAX_ENTRIES {
            self.entries.reserve(MAX_ENTRIES, MAX_BYTES);
            self.similarities.reserve_exact(MAX_ENTRIES);
            self.words.reserve(MAX_WORDS, MAX_BYTES);
        }
        self.ids.clear();
        for t in &query.tokens {
            let bytes = t.text.as_bytes();
            let hash = Interned::hash(0, bytes);
            let id = match self.words.get(hash, 0, bytes) {
                Some(id) => id,
                None => self.words.insert(hash, 0, bytes),
            };
            self.ids.push(id);
        }
    }

    /// Forgets everything, keeping the buffers.
    fn empty(&mut self) {
        self.entries.clear();
        self.similarities.clear();
        self.words.clear();
        self.serial = 1;
    }

    /// The key of `key` as one number: a query word's number, a list run's query word number, or a
    /// query run's positions and the query's serial number, each under its own tag.
    fn code(&self, key: Key) -> u64 {
        let word = |i: usize| u64::from(self.ids.get(i).copied().unwrap_or(u32::MAX));
        match key {
            Key::Token(i) => word(i),
            Key::ListRun(j) => 1 << 62 | word(j),
            Key::QueryRun(code) => 1 << 63 | u64::from(self.serial) << 32 | u64::from(code),
        }
    }

    /// The similarity of `key` to list word `word`, from `compute` the first time.
    pub(crate) fn get_or(&mut self, key: Key, word: &str, compute: impl FnOnce() -> f32) -> f32 {
        let (key, bytes) = (self.code(key), word.as_bytes());
        let hash = Interned::hash(key, bytes);
        if let Some(k) = self.entries.get(hash, key, bytes) {
            return self.similarities[k as usize];
        }
        let similarity = compute();
        // Words are short; a memo whose words fill its bytes stops remembering until it is emptied.
        if self.entries.bytes() + bytes.len() <= MAX_BYTES {
            self.entries.insert(hash, key, bytes);
            self.similarities.push(similarity);
        }
        similarity
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::score::{score_names, score_names_memo};
    use crate::text::{analyze, NameKind};

    #[test]
    fn computes_each_pair_once_and_tells_words_and_tokens_apart() {
        let mut memo = EditMemo::default();
        memo.start(&analyze("alpha beta", NameKind::Unknown));
        let mut calls = 0;
        let words: Vec<String> = (0..500).map(|k| format!("word{k}")).collect();
        for round in 0..3 {
            for (k, w) in words.iter().enumerate() {
                for token in 0..2 {
                    let s = memo.get_or(Key::Token(token), w, || {
                        calls += 1;
                        (k * 2 + token) as f32
                    });
                    assert_eq!(s, (k * 2 + token) as f32, "round {round}, {w}, token {token}");
                }
            }
        }
        assert_eq!(calls, 1000);
        // A prefix of a remembered word is another word.
        assert_eq!(memo.get_or(Key::Token(0), "word1", || -1.0), 2.0);
        assert_eq!(memo.get_or(Key::Token(0), "word", || -1.0), -1.0);
        // The three kinds of key are apart.
        assert_eq!(memo.get_or(Key::ListRun(0), "word1", || -2.0), -2.0);
        assert_eq!(memo.get_or(Key::QueryRun(0), "word1", || -3.0), -3.0);
    }

    #[test]
    fn words_are_remembered_across_queries_by_text_and_positions_for_one_query_only() {
        let mut memo = EditMemo::default();
        memo.start(&analyze("alpha beta", NameKind::Unknown));
        memo.get_or(Key::Token(1), "bete", || 0.9);
        memo.get_or(Key::ListRun(0), "alphabet", || 0.8);
        memo.get_or(Key::QueryRun(7), "alphabeta", || 0.7);
        // `beta` is now the first token, `alpha` the second.
        memo.start(&analyze("beta alpha", NameKind::Unknown));
        assert_eq!(memo.get_or(Key::Token(0), "bete", || -1.0), 0.9);
        assert_eq!(memo.get_or(Key::Token(1), "bete", || -1.0), -1.0);
        assert_eq!(memo.get_or(Key::ListRun(1), "alphabet", || -1.0), 0.8);
        assert_eq!(memo.get_or(Key::ListRun(0), "alphabet", || -2.0), -2.0);
        // The same positions of another query are another run.
        assert_eq!(memo.get_or(Key::QueryRun(7), "alphabeta", || -3.0), -3.0);
    }

    #[test]
    fn a_full_memo_starts_again() {
        let mut memo = EditMemo::default();
        memo.start(&analyze("alpha", NameKind::Unknown));
        for k in 0..MAX_ENTRIES {
            memo.get_or(Key::Token(0), &k.to_string(), || 0.5);
        }
        assert_eq!(memo.get_or(Key::Token(0), "7", || -1.0), 0.5);
        memo.start(&analyze("alpha", NameKind::Unknown));
        assert_eq!(memo.get_or(Key::Token(0), "7", || -1.0), -1.0);
        // Emptied in place: what it remembers again is found again.
        assert_eq!(memo.get_or(Key::Token(0), "7", || -2.0), -1.0);
        assert!(memo.entries.len() < 10 && memo.words.len() == 1);
        // The tables were allocated at their full sizes, and emptying kept them.
        assert!(memo.entries.capacity() >= MAX_ENTRIES && memo.words.capacity() >= MAX_WORDS);
    }

    #[test]
    fn a_memo_never_changes_a_score() {
        // A joined query run meets `mohamed` by fuzzy similarity in Latin script and by skeleton in
        // Arabic script: what one list name taught the memo must not leak into the other's score; nor
        // may what one query taught it leak into another's (the same words in other positions, and
        // other words at the same positions).
        let queries: Vec<_> = [
            "mohám méd mohan",
            "mohan mohám méd",
            "mustafa mohan",
            "med mohan moham",
            "zorbatak plimsoll",
            "zorbaxek plimsoll",
            "plimsol zorbaxek",
        ]
        .iter()
        .map(|n| analyze(n, NameKind::Unknown))
        .collect();
        let list: Vec<_> = [
            "Mohamed AMIN",
            "محمد أمين مصطفى",
            "Mohamed Mustafa",
            "محمد منصور",
            "Moham Med",
            "Mohan Mohamed",
            "Zorbatek Plimsoll",
        ]
        .iter()
        .map(|n| analyze(n, NameKind::Unknown))
        .collect();
        let mut memo = EditMemo::default();
        for order in [[0, 1, 2, 3, 4, 5, 6], [1, 0, 3, 2, 5, 4, 6], [6, 5, 4, 3, 2, 1, 0]] {
            for query in queries.iter().chain(queries.iter().rev()) {
                memo.start(query);
                for &k in &order {
                    assert_eq!(score_names_memo(query, &list[k], &mut memo), score_names(query, &list[k]), "{k}");
                }
            }
        }
    }
}
