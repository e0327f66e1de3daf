//! Candidate generation and ranking: which list names are worth scoring fully, and in what order.
//!
//! Every query token is looked up in the token FST by its canonical text (exact), within an edit
//! distance that grows with its length ([`typo`](super::typo)), by its alternates and equivalence keys
//! (name-variant classes, cross-script dictionary equivalents), by its first letter (a list-side initial,
//! `M.` in `Noordin M. Top`) and by its phonetic key; each pair of adjacent query tokens is also looked up
//! joined (`Abdul Rahman` → `abdulrahman`; list names are indexed under their joined pairs too). Each hit
//! carries the similarity the scorer would give that token pair: 1 exact, the scorer's edit similarity
//! for a typo, 0.97 for a variant or joined pair, 0.9 phonetic, 0.8 initial.
//!
//! The posting lists are accumulated, best similarity first, into per-thread dense arrays (one slot a
//! name): which query tokens each name matched, the sum of their weight × similarity, and which of the
//! name's token positions they matched (posting entries carry the position), so that one list token
//! serves one query token, as in the scorer's alignment. From these and the name's `NAME_INFO` (token
//! count, total weight, what its tokens would cost unmatched) each name gets an *estimated score*, the
//! scorer's formula with the matched tokens paired and everything else unmatched. Names are then scored
//! fully in order of estimate, and screening stops once the estimate, plus [`ScreenOptions::margin`],
//! cannot reach the results any more (see [`screen`](crate::screen)). Posting lists longer than
//! [`ScreenOptions::common_postings`] (very common words at Dow Jones scale) only add to names already
//! found through rarer keys; when nothing rarer matched, the lists of the token with the fewest postings
//! bring in at most `common_postings` names (lowest name numbers first), which bounds the work of a
//! query such as `Ana Xyzq` against millions of names.

use super::build::PHONETIC_PREFIX;
use super::format::{posting_parts, NameInfo};
use super::typo::{self, max_distance};
use super::Index;
use crate::score::{fuzzy, miss_cost, miss_costs, INITIAL, PHONETIC, VARIANT};
use crate::text::{Name, Token, TokenTag};
use crate::Result;
use fst::{IntoStreamer, Streamer};
use levenshtein_automata::Distance;
use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// How typo-tolerant lookups find the terms within a few edits of a query token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Typo {
    /// Deletion variants looked up in the index's TYPOS FST (fast; the default).
    #[default]
    Deletions,
    /// Levenshtein automata intersected with the TERMS FST (exact, but slow at distance 2).
    Automaton,
    /// No typo tolerance in candidate generation (the scorer still credits typos it sees).
    Off,
}

/// Options of candidate generation.
#[derive(Debug, Clone, PartialEq)]
pub struct ScreenOptions {
    /// At most this many names are scored fully per query, whatever the estimates say.
    pub max_scored: usize,
    /// Posting lists longer than this only add to names found through rarer keys (and, when every key
    /// is that common, at most this many names are considered).
    pub common_postings: u64,
    /// Typo-tolerant lookup.
    pub typo: Typo,
    /// Phonetic-key lookup.
    pub phonetic: bool,
    /// Joined adjacent query tokens looked up as one term.
    pub joined: bool,
    /// Each query token's first letter looked up as a list-side initial.
    pub initials: bool,
    /// Points by which a true score may exceed its estimate: names whose estimate plus this margin
    /// cannot reach the results are not scored.
    pub margin: f32,
}

impl Default for ScreenOptions {
    fn default() -> Self {
        ScreenOptions {
            max_scored: 500,
            common_postings: 20_000,
            typo: Typo::Deletions,
            phonetic: true,
            joined: true,
            initials: true,
            margin: 10.0,
        }
    }
}

/// Maximum number of query tokens used for candidate generation (all are still scored).
pub(crate) const MAX_QUERY_TOKENS: usize = 12;
/// A long common posting list is bisected per found name when it has more than this many entries per
/// name to check (else it is read through).
const PROBE_RATIO: usize = 16;
/// Score cap when no name word or number matched (as in the scorer).
const LIGHT_ONLY_CAP: f32 = 35.0;

/// A multiplicative hasher for `u32` keys (per-query entity maps are hot).
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

/// One key hit: a posting list and the similarity it stands for, for one query token (two for a joined
/// pair of query tokens).
#[derive(Debug, Clone, Copy)]
struct Lookup {
    /// Bit set of the query tokens.
    tokens: u32,
    offset: u64,
    quality: f32,
    /// A name word or number matched a name word or number (not only an initial).
    strong: bool,
    len: u64,
}

/// A candidate name and how high its score can plausibly be.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Candidate {
    pub name: u32,
    pub entity: u32,
    /// The best score the name can plausibly have: the estimate plus the margin, or the scorer's cap
    /// when no name word or number matched.
    pub reach: f32,
}

fn heavy(t: &Token) -> bool {
    matches!(t.tag, TokenTag::Name | TokenTag::Number)
}

/// Reusable buffers of [`lookups`].
#[derive(Default)]
struct LookupBuffers {
    variants: typo::Variants,
    ordinals: Vec<u32>,
    key: Vec<u8>,
    joined: String,
}

/// Finds every posting list the query's tokens hit, with its similarity per token, into `out`.
fn lookups(
    index: &Index,
    tokens: &[Token],
    opts: &ScreenOptions,
    buf: &mut LookupBuffers,
    out: &mut Vec<Lookup>,
) -> Result<()> {
    out.clear();
    let mut push = |token: usize, offset: u64, quality: f32, strong: bool| {
        out.push(Lookup { tokens: 1 << token, offset, quality, strong, len: 0 });
    };
    let LookupBuffers { variants, ordinals, key, joined } = buf;
    for (i, t) in tokens.iter().enumerate() {
        if t.text.is_empty() {
            continue;
        }
        let strong = heavy(t);
        if let Some(off) = index.terms.get(t.text.as_bytes()) {
            push(i, off, 1.0, strong);
        }
        // Numbers match only when equal; initials are single letters.
        let d = max_distance(t.text.chars().count());
        if d > 0 && t.tag != TokenTag::Number {
            let mut typo_hit = |term: &[u8], off: u64| {
                if term != t.text.as_bytes() {
                    let s = std::str::from_utf8(term).map(|term| fuzzy(&t.text, term)).unwrap_or(0.0);
                    if s > 0.0 {
                        push(i, off, s, strong);
                    }
                }
            };
            match opts.typo {
                Typo::Off => {}
                Typo::Deletions => {
                    variants.make(t.text.as_bytes());
                    ordinals.clear();
                    index.typo_terms_of(variants, |o| ordinals.push(o))?;
                    ordinals.sort_unstable();
                    ordinals.dedup();
                    for &o in ordinals.iter() {
                        let (off, term) = index.term(o)?;
                        typo_hit(term, off);
                    }
                }
                Typo::Automaton => {
                    let dfa = typo::automata()[usize::from(d) - 1].build_dfa(&t.text);
                    let mut stream = index.terms.search_with_state(&dfa).into_stream();
                    while let Some((term, off, state)) = stream.next() {
                        if let Distance::Exact(_) = dfa.distance(state) {
                            typo_hit(term, off);
                        }
                    }
                }
            }
        }
        for a in t.alternates.iter().chain(&t.keys) {
            if let Some(off) = index.terms.get(a.as_bytes()) {
                push(i, off, VARIANT, strong);
            }
        }
        // A list name may give this token as an initial (`M.` for `Mohammad`).
        if opts.initials && t.text.len() > 1 {
            if let Some(off) = t.text.get(..1).and_then(|c| index.terms.get(c.as_bytes())) {
                push(i, off, INITIAL, false);
            }
        }
        if opts.phonetic && t.tag == TokenTag::Name && t.phonetic.len() >= 2 {
            key.clear();
            key.push(PHONETIC_PREFIX);
            key.extend_from_slice(t.phonetic.as_bytes());
            if let Some(off) = index.keys.get(&key) {
                push(i, off, PHONETIC, strong);
            }
        }
    }
    if opts.joined {
        // Joined adjacent tokens, exactly (a typo inside a joined pair is left to the per-token lookups).
        for (i, pair) in tokens.windows(2).enumerate() {
            joined.clear();
            joined.push_str(&pair[0].text);
            joined.push_str(&pair[1].text);
            if let Some(off) = index.terms.get(joined.as_bytes()) {
                let strong = heavy(&pair[0]) || heavy(&pair[1]);
                out.push(Lookup { tokens: 3 << i, offset: off, quality: VARIANT, strong, len: 0 });
            }
        }
    }
    // One entry per (tokens, posting list), its best similarity first.
    out.sort_unstable_by(|a, b| {
        a.tokens.cmp(&b.tokens).then(a.offset.cmp(&b.offset)).then(b.quality.total_cmp(&a.quality))
    });
    out.dedup_by(|b, a| a.tokens == b.tokens && a.offset == b.offset);
    for l in out.iter_mut() {
        l.len = index.posting_len(l.offset)?;
    }
    // Best similarity first, as the scorer pairs tokens: a list token goes to the query token that
    // matches it best.
    out.sort_by(|a, b| b.quality.total_cmp(&a.quality).then(a.tokens.cmp(&b.tokens)).then(a.offset.cmp(&b.offset)));
    Ok(())
}

/// What one query has gathered about one list name (one memory access per posting entry).
#[derive(Debug, Clone, Copy, Default)]
struct Slot {
    /// Sum over matched query tokens of `weight × similarity`.
    acc: f32,
    /// Bits 0–15: query tokens matched; bits 16–31: query tokens matched strongly.
    mask: u32,
    /// List-token positions matched.
    used: u32,
}

/// Per-thread accumulators, one slot a name, reset after each query through `touched`.
#[derive(Default)]
struct Scratch {
    slots: Vec<Slot>,
    /// One bit a name: touched by this query (small enough to stay in cache while long common lists
    /// are read, unlike the slots).
    seen: Vec<u64>,
    touched: Vec<u32>,
    buffers: LookupBuffers,
    lookups: Vec<Lookup>,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

/// The query-side numbers of the estimate, tabulated by bit set of matched query tokens (at most
/// [`MAX_QUERY_TOKENS`] bits, so at most 4,096 entries; a query of `n` tokens needs `2^n`).
struct QuerySide {
    /// Sum of the token weights (each at least 0.01) of each set of tokens, added in token order.
    hit_w: Vec<f32>,
    /// What the tokens of each set cost unmatched, without and with a conflict (the tokens beyond
    /// [`MAX_QUERY_TOKENS`], always unmatched here, first, then the set's tokens in token order).
    miss: Vec<f32>,
    miss_conflict: Vec<f32>,
    /// Bits of the name words and numbers among the tokens.
    heavy: u32,
    /// Bits of all the tokens.
    all: u32,
}

impl QuerySide {
    fn new(name: &Name) -> QuerySide {
        let n = name.tokens.len().min(MAX_QUERY_TOKENS);
        let costs = miss_costs(false);
        let conflict = miss_costs(true);
        let tokens = &name.tokens[..n];
        let extra_miss: f32 = name.tokens[n..].iter().map(|t| miss_cost(t, costs.query, costs.floor)).sum();
        let size = 1usize << n;
        let (mut hit_w, mut miss, mut miss_conflict) =
            (vec![0.0f32; size], vec![extra_miss; size], vec![extra_miss; size]);
        // Each set's sums extend those of the set without its highest token: the same additions, in the
        // same order, as summing the set's tokens one by one.
        for set in 1..size {
            let top = set.ilog2() as usize;
            let rest = set & !(1 << top);
            let t = &tokens[top];
            hit_w[set] = hit_w[rest] + t.weight.max(0.01);
            miss[set] = miss[rest] + miss_cost(t, costs.query, costs.floor);
            miss_conflict[set] = miss_conflict[rest] + miss_cost(t, conflict.query, conflict.floor);
        }
        QuerySide {
            hit_w,
            miss,
            miss_conflict,
            heavy: tokens.iter().enumerate().filter(|(_, t)| heavy(t)).fold(0, |m, (i, _)| m | 1 << i),
            all: (size - 1) as u32,
        }
    }

    /// Weight of the query tokens in bit set `tokens`.
    fn weight(&self, tokens: u32) -> f32 {
        self.hit_w.get((tokens & self.all) as usize).copied().unwrap_or(0.0)
    }

    /// The estimated score of a name from its accumulators and its `NAME_INFO`: the scorer's formula
    /// with the matched query tokens paired one-to-one with the list tokens they hit (at the average
    /// similarity, the list side weighing its average token weight), the other tokens of both sides
    /// unmatched, and the conflict costs when both sides keep unmatched words. Without `NAME_INFO`, a
    /// generous bound: the list side matched as heavy as one and a half times the query side, nothing
    /// left over.
    fn estimate(&self, acc: f32, mask: u32, used: u32, info: Option<&NameInfo>) -> f32 {
        let matched = (mask & self.all) as usize;
        let hit_w = self.hit_w.get(matched).copied().unwrap_or(0.0);
        if hit_w <= 0.0 {
            return 0.0;
        }
        let (cand_w, cand_miss, cand_unmatched) = match info {
            Some(info) => {
                let n = info.tokens.max(1) as f32;
                let u = (used.count_ones() as f32).min(n);
                (info.weight * u / n, info.miss * (n - u) / n, u < n)
            }
            None => (1.5 * hit_w, 0.0, false),
        };
        let conflict = self.heavy & !mask != 0 && cand_unmatched;
        let (misses, factor) = if conflict { (&self.miss_conflict, 1.6) } else { (&self.miss, 1.0) };
        let miss = misses.get(!mask as usize & self.all as usize).copied().unwrap_or(0.0);
        let num = acc + acc / hit_w * cand_w;
        let den = hit_w + cand_w + miss + cand_miss * factor;
        100.0 * num / den
    }
}

/// The candidate names for a query whose reach (estimate plus margin) is at least `floor`, best reach
/// first (ties by name number).
pub(crate) fn candidates(index: &Index, query: &Name, opts: &ScreenOptions, floor: f32) -> Result<Vec<Candidate>> {
    let tokens = &query.tokens[..query.tokens.len().min(MAX_QUERY_TOKENS)];
    if tokens.is_empty() {
        return Ok(Vec::new());
    }
    SCRATCH.with(|cell| {
        let mut scratch = cell.borrow_mut();
        let s = &mut *scratch;
        // A query abandoned half-way (a panic on a damaged index, caught by the caller) leaves its marks.
        s.reset();
        let names = index.name_count();
        if s.slots.len() < names {
            s.slots.resize(names, Slot::default());
            s.seen.resize(names.div_ceil(64), 0);
        }
        let mut hits = std::mem::take(&mut s.lookups);
        let result = lookups(index, tokens, opts, &mut s.buffers, &mut hits)
            .and_then(|()| gather(index, query, tokens, opts, floor, &hits, s));
        s.lookups = hits;
        s.reset();
        result
    })
}

impl Scratch {
    /// Clears the slots and bits of the names touched.
    fn reset(&mut self) {
        for &id in &self.touched {
            if let Some(slot) = self.slots.get_mut(id as usize) {
                *slot = Slot::default();
            }
            if let Some(word) = self.seen.get_mut(id as usize / 64) {
                *word = 0;
            }
        }
        self.touched.clear();
    }
}

/// Accumulates the posting lists of `lookups` into the scratch slots and ranks the names touched.
fn gather(
    index: &Index,
    query: &Name,
    tokens: &[Token],
    opts: &ScreenOptions,
    floor: f32,
    lookups: &[Lookup],
    s: &mut Scratch,
) -> Result<Vec<Candidate>> {
    let side = QuerySide::new(query);

    // Generators: posting lists short enough to enumerate. If every hit list is common, the lists of
    // the token whose lists are shortest in total become generators.
    let mut is_generator: Vec<bool> = lookups.iter().map(|l| l.len <= opts.common_postings).collect();
    // When every key is common, the rarest token's lists generate, up to `common_postings` names.
    let fallback = !is_generator.iter().any(|g| *g) && !lookups.is_empty();
    let cap = if fallback { usize::try_from(opts.common_postings).unwrap_or(usize::MAX) } else { usize::MAX };
    if fallback {
        let mut per_token = vec![0u64; tokens.len()];
        for l in lookups {
            per_token[l.tokens.trailing_zeros() as usize] += l.len;
        }
        let best = (0..tokens.len()).filter(|i| per_token[*i] > 0).min_by_key(|i| per_token[*i]).unwrap_or(0);
        for (g, l) in is_generator.iter_mut().zip(lookups) {
            *g = l.tokens.trailing_zeros() as usize == best;
        }
    }

    // Names found in phase 1, sorted, for probing long common lists (made on first need).
    let mut found: Option<Vec<u32>> = None;
    for phase in [true, false] {
        for (l, _) in lookups.iter().zip(&is_generator).filter(|(_, g)| **g == phase) {
            let bits = l.tokens | if l.strong { l.tokens << 16 } else { 0 };
            let add = side.weight(l.tokens) * l.quality;
            // A long common list and few names to check: bisect for each name instead of
            // reading the whole list.
            let mut probe = None;
            if !phase {
                if let Some(body) = index.long_postings(l.offset)? {
                    if s.touched.len().saturating_mul(PROBE_RATIO) < body.len() / 4 {
                        if found.is_none() {
                            let mut v = s.touched.clone();
                            v.sort_unstable();
                            found = Some(v);
                        }
                        probe = Some(body);
                    }
                }
            }
            let (slots, seen, touched) = (&mut s.slots, &mut s.seen, &mut s.touched);
            let mut visit = |entry: u32| {
                let (id, span) = posting_parts(entry);
                let i = id as usize;
                let Some(word) = seen.get_mut(i / 64) else { return };
                let bit = 1u64 << (i % 64);
                // A name not seen yet is only taken by a generator list, and within the cap.
                if *word & bit == 0 && (!phase || touched.len() >= cap) {
                    return;
                }
                let Some(slot) = slots.get_mut(i) else { return };
                let (m, u) = (slot.mask, slot.used);
                // One list token for one query token, one query token for one list token.
                if m & l.tokens != 0 || u & span != 0 {
                    return;
                }
                if m == 0 {
                    touched.push(id);
                    *word |= bit;
                }
                slot.mask = m | bits;
                slot.used = u | span;
                slot.acc += add;
            };
            if let (Some(body), Some(names)) = (probe, found.as_deref()) {
                let entries = body.len() / 4;
                let at = |k: usize| {
                    let c = &body[4 * k..4 * k + 4];
                    u32::from_le_bytes([c[0], c[1], c[2], c[3]])
                };
                for &name in names {
                    let first = u64::from(name) << 6;
                    let (mut lo, mut hi) = (0usize, entries);
                    while lo < hi {
                        let mid = (lo + hi) / 2;
                        if u64::from(at(mid)) < first {
                            lo = mid + 1;
                        } else {
                            hi = mid;
                        }
                    }
                    while lo < entries && at(lo) >> 6 == name {
                        visit(at(lo));
                        lo += 1;
                    }
                }
                continue;
            }
            index.postings(l.offset, visit)?;
        }
    }
    let mut out = Vec::new();
    for &id in &s.touched {
        let Slot { acc, mask, used } = s.slots[id as usize];
        // A generous bound first: it spares most names reached only through a common word the
        // read of their name info.
        if side.estimate(acc, mask, used, None) + opts.margin < floor {
            continue;
        }
        let info = index.name_info(id)?;
        let est = side.estimate(acc, mask, used, Some(&info));
        let reach = if mask >> 16 == 0 { LIGHT_ONLY_CAP.min(est + opts.margin) } else { est + opts.margin };
        if reach >= floor {
            out.push(Candidate { name: id, entity: info.entity, reach });
        }
    }
    out.sort_unstable_by(|a, b| b.reach.total_cmp(&a.reach).then(a.name.cmp(&b.name)));
    Ok(out)
}
