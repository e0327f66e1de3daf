//! A per-query memo of edit similarities.
//!
//! Screening scores one query name against dozens to hundreds of list names, and the same list words
//! come back (`mohammed`, `ali`, a surname shared by a family): about half the edit-distance tables a
//! customer query computes are ones it computed before. [`EditMemo`] keeps each (query token, list word)
//! similarity the first time it is computed; the words are kept in one byte arena and compared in full,
//! so a hash collision cannot return another word's similarity.

/// Edit similarities of one query's tokens against list words, computed once each.
#[derive(Debug, Default)]
pub(crate) struct EditMemo {
    /// Open addressing: 0 is empty, else an index into `entries` plus one. Length a power of two.
    slots: Vec<u32>,
    entries: Vec<Entry>,
    arena: Vec<u8>,
}

#[derive(Debug, Clone, Copy)]
struct Entry {
    hash: u64,
    token: u32,
    start: u32,
    len: u32,
    similarity: f32,
}

impl EditMemo {
    /// The similarity of query token `token` to list word `word`, from `compute` the first time.
    pub(crate) fn get_or(&mut self, token: usize, word: &str, compute: impl FnOnce() -> f32) -> f32 {
        if self.slots.len() < 2 * (self.entries.len() + 1) {
            self.grow();
        }
        let (token, bytes) = (token as u32, word.as_bytes());
        let hash = xxhash_rust::xxh3::xxh3_64_with_seed(bytes, u64::from(token));
        let mask = self.slots.len() - 1;
        let mut at = hash as usize & mask;
        loop {
            let slot = self.slots[at];
            if slot == 0 {
                break;
            }
            let e = self.entries[slot as usize - 1];
            if e.hash == hash
                && e.token == token
                && self.arena.get(e.start as usize..(e.start + e.len) as usize) == Some(bytes)
            {
                return e.similarity;
            }
            at = (at + 1) & mask;
        }
        let similarity = compute();
        // Words are short; a memo that would outgrow `u32` offsets just stops remembering.
        if let (Ok(start), Ok(len)) = (u32::try_from(self.arena.len()), u32::try_from(bytes.len())) {
            if start.checked_add(len).is_some() {
                self.arena.extend_from_slice(bytes);
                self.entries.push(Entry { hash, token, start, len, similarity });
                self.slots[at] = self.entries.len() as u32;
            }
        }
        similarity
    }

    /// Doubles the table (at least 64 slots) and re-inserts the entries.
    fn grow(&mut self) {
        let n = (self.slots.len() * 2).max(64);
        self.slots.clear();
        self.slots.resize(n, 0);
        let mask = n - 1;
        for (k, e) in self.entries.iter().enumerate() {
            let mut at = e.hash as usize & mask;
            while self.slots[at] != 0 {
                at = (at + 1) & mask;
            }
            self.slots[at] = k as u32 + 1;
        }
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
        let mut calls = 0;
        let words: Vec<String> = (0..500).map(|k| format!("word{k}")).collect();
        for round in 0..3 {
            for (k, w) in words.iter().enumerate() {
                for token in 0..2 {
                    let s = memo.get_or(token, w, || {
                        calls += 1;
                        (k * 2 + token) as f32
                    });
                    assert_eq!(s, (k * 2 + token) as f32, "round {round}, {w}, token {token}");
                }
            }
        }
        assert_eq!(calls, 1000);
        // A prefix of a remembered word is another word.
        assert_eq!(memo.get_or(0, "word1", || -1.0), 2.0);
        assert_eq!(memo.get_or(0, "word", || -1.0), -1.0);
    }

    #[test]
    fn a_memo_never_changes_a_score() {
        // A joined query run meets `mohamed` by fuzzy similarity in Latin script and by skeleton in
        // Arabic script: what one list name taught the memo must not leak into the other's score.
        let query = analyze("mohám méd mohan", NameKind::Unknown);
        let list: Vec<_> = ["Mohamed AMIN", "محمد أمين مصطفى", "Mohamed Mustafa", "محمد منصور", "Moham Med"]
            .iter()
            .map(|n| analyze(n, NameKind::Unknown))
            .collect();
        for order in [[0, 1, 2, 3, 4], [1, 0, 3, 2, 4], [4, 3, 2, 1, 0]] {
            let mut memo = EditMemo::default();
            for &k in &order {
                assert_eq!(score_names_memo(&query, &list[k], &mut memo), score_names(&query, &list[k]), "{k}");
            }
        }
    }
}
