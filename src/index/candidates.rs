//! Candidate generation: which list names are worth scoring fully for a query.
//!
//! Every query token is looked up, in the token FST, by its canonical text and its alternates exactly and
//! within an edit distance that grows with its length (0 up to 3 characters, 1 up to 7, 2 beyond;
//! Levenshtein DFAs from `levenshtein_automata`, transpositions counting one edit, the automaton builders
//! built once per process); by its equivalence keys (name-variant classes, cross-script dictionary
//! equivalents) exactly; and by its phonetic key in the phonetic FST. Each pair of adjacent query tokens
//! is also looked up joined (`Abdul Rahman` → `abdulrahman`), exactly and with typos; list names are
//! indexed under their joined adjacent pairs too, so a joined query token finds a split list name.
//!
//! Each hit key carries a quality (exact 1.0, variant key 0.95, joined 0.9, one edit 0.85, two edits
//! 0.7, phonetic 0.7). A name's cheap rank is the weight-averaged best quality per query token. Posting
//! lists longer than [`ScreenOptions::common_postings`] (very common tokens at Dow Jones scale) only add
//! to names already found through rarer keys, unless nothing rarer matched. The best
//! [`ScreenOptions::max_scored`] names go on to full scoring.

use super::build::PHONETIC_PREFIX;
use super::Index;
use crate::text::Name;
use crate::Result;
use fst::{IntoStreamer, Streamer};
use levenshtein_automata::{Distance, LevenshteinAutomatonBuilder};
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::OnceLock;

/// Options of candidate generation.
#[derive(Debug, Clone, PartialEq)]
pub struct ScreenOptions {
    /// How many candidate names (best cheap rank first) are scored fully.
    pub max_scored: usize,
    /// Posting lists longer than this only re-rank names found through rarer keys.
    pub common_postings: u64,
    /// Typo-tolerant lookup (Levenshtein automata over the token FST).
    pub fuzzy: bool,
    /// Phonetic-key lookup.
    pub phonetic: bool,
    /// Joined adjacent query tokens looked up as one term.
    pub joined: bool,
}

impl Default for ScreenOptions {
    fn default() -> Self {
        ScreenOptions { max_scored: 200, common_postings: 20_000, fuzzy: true, phonetic: true, joined: true }
    }
}

/// Maximum number of query tokens used for candidate generation (all are still scored).
const MAX_QUERY_TOKENS: usize = 12;

/// Quality of each kind of key hit.
const Q_EXACT: f32 = 1.0;
const Q_VARIANT: f32 = 0.95;
const Q_JOINED: f32 = 0.9;
const Q_EDIT1: f32 = 0.85;
const Q_EDIT2: f32 = 0.7;
const Q_PHONETIC: f32 = 0.7;

/// The Levenshtein automaton builders for distances 1 and 2 (with transpositions), built once.
fn automata() -> &'static [LevenshteinAutomatonBuilder; 2] {
    static A: OnceLock<[LevenshteinAutomatonBuilder; 2]> = OnceLock::new();
    A.get_or_init(|| [LevenshteinAutomatonBuilder::new(1, true), LevenshteinAutomatonBuilder::new(2, true)])
}

/// Edit distance allowed for a token of `chars` characters.
pub(crate) fn max_distance(chars: usize) -> u8 {
    match chars {
        0..=3 => 0,
        4..=7 => 1,
        _ => 2,
    }
}

/// A multiplicative hasher for `u32` keys (candidate maps are hot).
#[derive(Default)]
pub(crate) struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0.rotate_left(5) ^ u64::from(*b)).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
    }
    fn write_u32(&mut self, i: u32) {
        self.0 = u64::from(i).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

pub(crate) type IdMap<V> = HashMap<u32, V, BuildHasherDefault<IdHasher>>;

/// One key hit: a posting list and its quality for a query token.
struct Lookup {
    token: usize,
    offset: u64,
    quality: f32,
    len: u64,
}

/// A candidate name with its cheap rank (0–1).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Candidate {
    pub name: u32,
    pub rank: f32,
}

/// Finds every posting list the query's tokens hit, with its quality per token.
fn lookups(index: &Index, query: &Name, opts: &ScreenOptions) -> Result<Vec<Lookup>> {
    let tokens = &query.tokens[..query.tokens.len().min(MAX_QUERY_TOKENS)];
    let mut out: Vec<Lookup> = Vec::new();
    let mut push = |token: usize, offset: u64, quality: f32| -> Result<()> {
        // Keep the best quality per (token, posting list).
        if let Some(l) = out.iter_mut().find(|l| l.token == token && l.offset == offset) {
            l.quality = l.quality.max(quality);
            return Ok(());
        }
        out.push(Lookup { token, offset, quality, len: index.posting_len(offset)? });
        Ok(())
    };
    let fuzzy = |term: &str, mut f: &mut dyn FnMut(u64, u8) -> Result<()>| -> Result<()> {
        let d = max_distance(term.chars().count());
        if d == 0 || !opts.fuzzy {
            if let Some(off) = index.terms.get(term.as_bytes()) {
                f(off, 0)?;
            }
            return Ok(());
        }
        let dfa = automata()[usize::from(d) - 1].build_dfa(term);
        let mut stream = index.terms.search_with_state(&dfa).into_stream();
        while let Some((_, off, state)) = stream.next() {
            if let Distance::Exact(dist) = dfa.distance(state) {
                f(off, dist)?;
            }
        }
        let _ = &mut f;
        Ok(())
    };
    for (i, t) in tokens.iter().enumerate() {
        for v in std::iter::once(&t.text).chain(&t.alternates) {
            if v.is_empty() {
                continue;
            }
            fuzzy(v, &mut |off, dist| {
                let q = match dist {
                    0 => Q_EXACT,
                    1 => Q_EDIT1,
                    _ => Q_EDIT2,
                };
                push(i, off, q)
            })?;
        }
        for k in &t.keys {
            if let Some(off) = index.terms.get(k.as_bytes()) {
                push(i, off, Q_VARIANT)?;
            }
        }
        if opts.phonetic && !t.phonetic.is_empty() {
            let mut key = Vec::with_capacity(t.phonetic.len() + 1);
            key.push(PHONETIC_PREFIX);
            key.extend_from_slice(t.phonetic.as_bytes());
            if let Some(off) = index.keys.get(&key) {
                push(i, off, Q_PHONETIC)?;
            }
        }
    }
    if opts.joined {
        for (i, pair) in tokens.windows(2).enumerate() {
            let joined = format!("{}{}", pair[0].text, pair[1].text);
            fuzzy(&joined, &mut |off, dist| {
                let q = match dist {
                    0 => Q_JOINED,
                    1 => Q_JOINED * Q_EDIT1,
                    _ => Q_JOINED * Q_EDIT2,
                };
                push(i, off, q)?;
                push(i + 1, off, q)
            })?;
        }
    }
    Ok(out)
}

/// The candidate names for a query, best cheap rank first, at most `opts.max_scored` of them, keeping
/// only names for which `keep` (e.g. a publisher filter) is true.
pub(crate) fn candidates(
    index: &Index,
    query: &Name,
    opts: &ScreenOptions,
    mut keep: impl FnMut(u32) -> Result<bool>,
) -> Result<Vec<Candidate>> {
    let tokens = &query.tokens[..query.tokens.len().min(MAX_QUERY_TOKENS)];
    if tokens.is_empty() {
        return Ok(Vec::new());
    }
    let lookups = lookups(index, query, opts)?;
    let weights: Vec<f32> = tokens.iter().map(|t| if t.weight > 0.0 { t.weight } else { 0.01 }).collect();
    let total: f32 = weights.iter().sum();

    // Generators: posting lists short enough to enumerate. If every hit list is common, the shortest
    // lists of the token whose lists are shortest in total become generators.
    let mut is_generator: Vec<bool> = lookups.iter().map(|l| l.len <= opts.common_postings).collect();
    if !is_generator.iter().any(|g| *g) && !lookups.is_empty() {
        let mut per_token = vec![0u64; tokens.len()];
        for l in &lookups {
            per_token[l.token] += l.len;
        }
        let best = (0..tokens.len()).filter(|i| per_token[*i] > 0).min_by_key(|i| per_token[*i]).unwrap_or(0);
        for (g, l) in is_generator.iter_mut().zip(&lookups) {
            *g = l.token == best;
        }
    }

    // Per token: (name, quality) from its generator lists.
    let mut per_token: Vec<Vec<(u32, f32)>> = vec![Vec::new(); tokens.len()];
    for (l, _) in lookups.iter().zip(&is_generator).filter(|(_, g)| **g) {
        let v = &mut per_token[l.token];
        index.postings(l.offset, |id| v.push((id, l.quality)))?;
    }
    let mut found: IdMap<f32> = IdMap::default();
    for v in &per_token {
        for (id, _) in v {
            found.insert(*id, 0.0);
        }
    }
    // Common lists: only names already found.
    for (l, _) in lookups.iter().zip(&is_generator).filter(|(_, g)| !**g) {
        let v = &mut per_token[l.token];
        index.postings(l.offset, |id| {
            if found.contains_key(&id) {
                v.push((id, l.quality));
            }
        })?;
    }
    for (i, v) in per_token.iter_mut().enumerate() {
        v.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(b.1.total_cmp(&a.1)));
        v.dedup_by_key(|e| e.0);
        let w = weights[i] / total;
        for (id, q) in v.iter() {
            if let Some(r) = found.get_mut(id) {
                *r += w * q;
            }
        }
    }
    let mut ranked: Vec<Candidate> = found.into_iter().map(|(name, rank)| Candidate { name, rank }).collect();
    let order = |a: &Candidate, b: &Candidate| b.rank.total_cmp(&a.rank).then(a.name.cmp(&b.name));
    let n = opts.max_scored;
    let mut out = Vec::with_capacity(n.min(ranked.len()));
    // Partial selection, widened until enough names pass `keep`.
    let mut want = n;
    loop {
        if ranked.len() > want {
            ranked.select_nth_unstable_by(want, order);
            let (head, _) = ranked.split_at_mut(want);
            head.sort_unstable_by(order);
        } else {
            ranked.sort_unstable_by(order);
        }
        out.clear();
        for c in ranked.iter().take(want) {
            if keep(c.name)? {
                out.push(*c);
                if out.len() == n {
                    return Ok(out);
                }
            }
        }
        if want >= ranked.len() {
            return Ok(out);
        }
        want = want.saturating_mul(4);
    }
}
