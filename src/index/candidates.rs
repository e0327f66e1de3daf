//! Candidate generation and ranking: which list names are worth scoring fully, and in what order.
//!
//! Every query token is looked up in the token FST by its canonical text (exact), within an edit
//! distance that grows with its length and by its consonant skeleton and those one consonant shorter
//! ([`typo`](super::typo)); an
//! Arabic- or Hebrew-script token, whatever its length, also by the skeletons of its forms (and of them
//! without a joined article) against the Latin words the scorer pairs with it (`rht` ~ `rahat`); by its
//! alternates and equivalence keys
//! (name-variant classes, cross-script dictionary equivalents), by its first letter (a list-side initial,
//! `M.` in `Noordin M. Top`) and by its phonetic key; each pair of adjacent query tokens is also looked up
//! joined, in either order, and so are the last and first tokens (`Abdul Rahman` → `abdulrahman`; a long
//! name word split into two indexed words is also looked up with them swapped, `majidabdul` →
//! `abdulmajid`; list
//! names are indexed under their joined adjacent pairs and their last token joined to their first, the
//! `KALED, Belkasam` written `Kaledbelkasam`; every pair also by the joined word's skeleton, at the
//! scorer's join floors: `RAHMAN Abdur` → `abdurrahman` ~ `Abdirahman`). Each hit
//! carries the similarity the scorer would give that token pair: 1 exact, the scorer's edit similarity
//! for a typo or a shared skeleton, 0.85 for an abjad word's skeleton, 0.97 for a variant or joined pair,
//! 0.9 phonetic, 0.8 initial. A
//! word's lookups depend on the word, the index and the options only: each thread keeps them from query
//! to query (`LookupCache`).
//!
//! The posting lists are accumulated, best similarity first, into per-thread dense arrays (one slot a
//! name): which query tokens each name matched, the sum of their weight × similarity, and which of the
//! name's token positions they matched (posting entries carry the position), so that one list token
//! serves one query token, as in the scorer's alignment. From these and the name's `NAME_INFO` (token
//! count, total weight, what its tokens would cost unmatched, and its first eight tokens' own weights
//! and miss costs) each name gets an *estimated score*, the scorer's formula with the matched tokens
//! paired (each list token at its own weight) and everything else unmatched. Names are then scored
//! fully in order of estimate, and screening stops once the estimate, plus [`ScreenOptions::margin`],
//! cannot reach the results any more (see [`screen`](crate::screen)). Posting lists longer than
//! [`ScreenOptions::common_postings`] (very common words at Dow Jones scale) only add to names already
//! found through rarer keys; when nothing rarer matched, the lists of the token with the fewest postings
//! bring in at most `common_postings` names (lowest name numbers first), which bounds the work of a
//! query such as `Ana Xyzq` against millions of names.

use super::build::PHONETIC_PREFIX;
use super::format::{long_entries, long_entry, posting_parts, NameInfo};
use super::typo::{self, max_distance};
use super::Index;
use crate::interned::Interned;
use crate::score::{
    freely_joinable, fuzzy_at_least, may_fuzz, miss_cost, miss_costs, skeleton_meets, without_article, FuzzyReach,
    FuzzyScan, ADJACENT_JOIN_FLOOR, FREE_JOIN_FLOOR, FREE_JOIN_MIN_LEN, INITIAL, PHONETIC, SKELETON, VARIANT,
};
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
    /// The deletion lookups, and for each query token the scorer's own weighted distance as an
    /// automaton walking the TERMS FST: every term of up to 32 bytes that the scorer's fuzzy similarity
    /// pairs with the token (milliseconds a token; see [`ScreenOptions::thorough`]).
    Reach,
    /// No typo tolerance in candidate generation (the scorer still credits typos it sees).
    Off,
}

/// Options of candidate generation.
#[derive(Debug, Clone, PartialEq)]
pub struct ScreenOptions {
    /// At most this many names are scored fully per query for the first ten hits it asks for
    /// (`limit`), whatever the estimates say; a larger limit raises the cap in proportion
    /// ([`ScreenOptions::scored_cap`]).
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

impl ScreenOptions {
    /// Thorough screening, for investigations and onboarding checks where a few milliseconds a query
    /// do not matter: every query word's fuzzy reach is walked in full ([`Typo::Reach`]), every name a
    /// lookup finds is scored (a margin of 100 points, up to 5,000 names), and common posting lists
    /// generate candidates like rare ones (up to 200,000 entries). About thirty times slower than the
    /// default on the bundled lists; see the README for the recall each buys.
    ///
    /// ```
    /// use saring::index::{ScreenOptions, Typo};
    /// let o = ScreenOptions::thorough();
    /// assert_eq!(o.typo, Typo::Reach);
    /// assert!(o.margin >= 100.0 && o.max_scored > ScreenOptions::default().max_scored);
    /// ```
    pub fn thorough() -> Self {
        ScreenOptions {
            max_scored: 5_000,
            common_postings: 200_000,
            typo: Typo::Reach,
            margin: 100.0,
            ..ScreenOptions::default()
        }
    }

    /// The names a query asking for `limit` hits may score: [`max_scored`](ScreenOptions::max_scored)
    /// for each ten hits ([`DEFAULT_LIMIT`](crate::screen::DEFAULT_LIMIT)) or part of ten. A caller
    /// asking for every hit (a large limit) gets every name within reach scored; the default ten hits
    /// keep the cap that bounds a query's time.
    ///
    /// ```
    /// use saring::index::ScreenOptions;
    /// let o = ScreenOptions::default();
    /// assert_eq!(o.scored_cap(1), o.max_scored);
    /// assert_eq!(o.scored_cap(10), o.max_scored);
    /// assert_eq!(o.scored_cap(11), 2 * o.max_scored);
    /// assert_eq!(o.scored_cap(usize::MAX), usize::MAX);
    /// ```
    pub fn scored_cap(&self, limit: usize) -> usize {
        self.max_scored.saturating_mul(limit.div_ceil(crate::screen::DEFAULT_LIMIT).max(1))
    }
}

/// A consonant skeleton shared by more terms than this is not looked up: it is a common shape
/// (`#mt`: `mohamed`, `ahmad`, `mahmoud`, `mota`, ...) whose terms would each need an edit distance,
/// and the deletion variants, alternates and phonetic keys still find the close ones.
const MAX_SKELETON_TERMS: u64 = 256;
/// Maximum number of query tokens used for candidate generation (all are still scored).
pub(crate) const MAX_QUERY_TOKENS: usize = 12;
/// A long common posting list is bisected per found name when it has more than this many entries per
/// name to check (else it is read through).
const PROBE_RATIO: usize = 32;
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
    /// Short enough to enumerate: its names not seen yet are taken (see [`gather`]).
    generator: bool,
}

impl Lookup {
    /// The bits its list sets in a slot's mask: the query tokens, and again 16 bits up if strong.
    fn bits(&self) -> u32 {
        self.tokens | if self.strong { self.tokens << 16 } else { 0 }
    }
}

/// A candidate name and how high its score can plausibly be.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Candidate {
    pub name: u32,
    pub entity: u32,
    /// The best score the name can plausibly have: the estimate plus the margin, or the scorer's cap
    /// when no name word or number matched.
    pub reach: f32,
    /// No name word or number matched (only initials or particles): the reach is the scorer's cap.
    pub light: bool,
}

impl Candidate {
    /// The sort key of best reach first (in `f32::total_cmp` order), ties by name number, as one integer.
    fn rank(&self) -> u64 {
        // `f32::total_cmp`'s key: the sign-magnitude bits turned two's complement, then offset.
        let bits = self.reach.to_bits() as i32;
        let total = (bits ^ (((bits >> 31) as u32) >> 1) as i32) as u32 ^ 0x8000_0000;
        u64::from(!total) << 32 | u64::from(self.name)
    }
}

fn heavy(t: &Token) -> bool {
    t.tag.is_name_word_or_number()
}

/// Term ordinals gathered from typo lists, each once. The lists of a word's deletion variants name the
/// same terms over and over (`industrial` at Dow Jones scale: 540,000 entries for 9,700 terms), and a
/// bit a term drops the repeats for less than sorting them all would cost.
#[derive(Default)]
struct Ordinals {
    list: Vec<u32>,
    seen: Vec<u64>,
}

impl Ordinals {
    /// Empties the list, for an index of `terms` terms.
    fn clear(&mut self, terms: usize) {
        for &o in &self.list {
            if let Some(w) = self.seen.get_mut(o as usize / 64) {
                *w = 0;
            }
        }
        self.list.clear();
        self.seen.resize(terms.div_ceil(64), 0);
    }

    /// Adds `o` unless it is in the list already (an ordinal past the index's terms, which only a
    /// corrupt index gives and [`Index::term`] rejects, is always added).
    fn push(&mut self, o: u32) {
        let bit = 1u64 << (o % 64);
        match self.seen.get_mut(o as usize / 64) {
            Some(w) if *w & bit != 0 => {}
            Some(w) => {
                *w |= bit;
                self.list.push(o);
            }
            None => self.list.push(o),
        }
    }

    /// The ordinals, ascending.
    fn sorted(&mut self) -> &[u32] {
        self.list.sort_unstable();
        &self.list
    }
}

/// Reusable buffers of [`lookups`].
#[derive(Default)]
struct LookupBuffers {
    variants: typo::Variants,
    ordinals: Ordinals,
    key: Vec<u8>,
    joined: String,
    cache: LookupCache,
}

/// The lookups of query tokens and joined pairs, kept per thread from query to query: in a stream of
/// queries the same words come back (`muhammad`, `siti`, `al`), and what a word finds depends on the
/// word alone (its text, tag and keys), the index and the options. Held for one index and one set of
/// options at a time, at most [`LOOKUP_CACHE_BUDGET`] lookups of [`WORD_BUDGET`] words (then emptied).
///
/// Its buffers are allocated once, at their budgets (about 17 MB of address space a thread, whose
/// pages are touched only as they fill), and emptying keeps them: no query pays for copying them to a
/// larger buffer, rehashing the words or freeing each word's key, which cost single queries 1–3 ms at
/// a time when the cache grew as it filled.
struct LookupCache {
    /// The index instance and the options the lookups were made with.
    owner: Option<(u64, Typo, bool, bool)>,
    /// The words kept, by their keys (see [`token_key`], [`pair_key`]).
    words: Interned,
    /// Each kept word's lookups' range in `store`.
    ranges: Vec<(u32, u32)>,
    /// Lookups, with `tokens` 1 for a single token, 0b11 for a pair.
    store: Vec<Lookup>,
}

/// Lookups held by one thread's [`LookupCache`] (32 bytes each).
const LOOKUP_CACHE_BUDGET: usize = 1 << 18;
/// Words held by one thread's [`LookupCache`] (5,000 perturbed list names make tens of thousands).
const WORD_BUDGET: usize = 1 << 16;
/// Bytes of the words' keys held by one thread's [`LookupCache`].
const KEY_BUDGET: usize = 1 << 22;

impl Default for LookupCache {
    fn default() -> Self {
        let mut words = Interned::default();
        words.reserve(WORD_BUDGET, KEY_BUDGET);
        LookupCache {
            owner: None,
            words,
            ranges: Vec::with_capacity(WORD_BUDGET),
            // One word's lookups may pass the budget before it is checked again.
            store: Vec::with_capacity(LOOKUP_CACHE_BUDGET + LOOKUP_CACHE_BUDGET / 4),
        }
    }
}

impl LookupCache {
    /// Forgets every word, keeping the buffers; the cache follows `owner` from now on.
    fn forget(&mut self, owner: Option<(u64, Typo, bool, bool)>) {
        self.words.clear();
        self.ranges.clear();
        self.store.clear();
        self.owner = owner;
    }

    /// The cached lookups of `key`, after making them with `make` (which appends to the store) if
    /// needed; `tokens` replaces their placeholder token bits.
    fn get_or(
        &mut self,
        key: &[u8],
        tokens: u32,
        out: &mut Vec<Lookup>,
        make: impl FnOnce(&mut Vec<Lookup>) -> Result<()>,
    ) -> Result<()> {
        let hash = Interned::hash(0, key);
        let range = match self.words.get(hash, 0, key) {
            Some(k) => self.ranges[k as usize],
            None => {
                if self.store.len() > LOOKUP_CACHE_BUDGET
                    || self.words.len() >= WORD_BUDGET
                    || self.words.bytes() + key.len() > KEY_BUDGET
                {
                    self.forget(self.owner);
                }
                let start = self.store.len();
                if let Err(e) = make(&mut self.store) {
                    self.store.truncate(start);
                    return Err(e);
                }
                let range = (start as u32, self.store.len() as u32);
                self.words.insert(hash, 0, key);
                self.ranges.push(range);
                range
            }
        };
        out.extend(self.store[range.0 as usize..range.1 as usize].iter().map(|l| Lookup { tokens, ..*l }));
        Ok(())
    }
}

/// What a token's lookups depend on, as one byte string: tag, text, phonetic key, alternates and keys.
fn token_key(t: &Token, key: &mut Vec<u8>) {
    key.clear();
    key.push(b't');
    key.push(t.tag as u8);
    for part in [&t.text, &t.phonetic].into_iter().chain(&t.alternates).chain([&String::new()]).chain(&t.keys) {
        key.extend_from_slice(part.as_bytes());
        key.push(0);
    }
}

/// What a joined pair's lookups depend on: the two words in reading order, their tags, and whether
/// they are adjacent in the query.
fn pair_key(x: &Token, y: &Token, adjacent: bool, key: &mut Vec<u8>) {
    key.clear();
    key.extend_from_slice(&[b'j', x.tag as u8, y.tag as u8, u8::from(adjacent)]);
    key.extend_from_slice(x.text.as_bytes());
    key.push(0);
    key.extend_from_slice(y.text.as_bytes());
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
    let LookupBuffers { variants, ordinals, key, joined, cache } = buf;
    let owner = Some((index.instance, opts.typo, opts.phonetic, opts.initials));
    if cache.owner != owner {
        cache.forget(owner);
    }
    for (i, t) in tokens.iter().enumerate() {
        if t.text.is_empty() {
            continue;
        }
        token_key(t, key);
        cache.get_or(key, 1 << i, out, |found| token_lookups(index, t, opts, variants, ordinals, found))?;
    }
    if opts.joined {
        // A long name word written for two list words joined in the other order.
        for (i, t) in tokens.iter().enumerate() {
            if freely_joinable(t) && t.text.len() >= 2 * FREE_JOIN_MIN_LEN {
                key.clear();
                key.push(b'r');
                key.extend_from_slice(t.text.as_bytes());
                cache.get_or(key, 1 << i, out, |found| rotation_lookups(index, t, opts, joined, ordinals, found))?;
            }
        }
        // Joined tokens: adjacent ones, and as the scorer joins leftovers, name words in the other order
        // and the last with the first.
        for (a, b) in joined_pairs(tokens.len()) {
            let (x, y) = (&tokens[a], &tokens[b]);
            if b != a + 1 && !(freely_joinable(x) && freely_joinable(y)) {
                continue;
            }
            pair_key(x, y, b == a + 1, key);
            cache.get_or(key, 1 << a | 1 << b, out, |found| {
                pair_lookups(index, x, y, b == a + 1, opts, joined, ordinals, found)
            })?;
        }
    }
    // One entry per (tokens, posting list), its best similarity first.
    out.sort_unstable_by(|a, b| {
        a.tokens.cmp(&b.tokens).then(a.offset.cmp(&b.offset)).then(b.quality.total_cmp(&a.quality))
    });
    out.dedup_by(|b, a| a.tokens == b.tokens && a.offset == b.offset);
    // Best similarity first, as the scorer pairs tokens: a list token goes to the query token that
    // matches it best. (No two entries are equal any more: an unstable sort gives the one order.)
    out.sort_unstable_by(|a, b| {
        b.quality.total_cmp(&a.quality).then(a.tokens.cmp(&b.tokens)).then(a.offset.cmp(&b.offset))
    });
    Ok(())
}

/// A lookup of query token(s) `tokens` (placeholder bits) with its posting list's length.
fn found(index: &Index, tokens: u32, offset: u64, quality: f32, strong: bool) -> Result<Lookup> {
    Ok(Lookup { tokens, offset, quality, strong, len: index.posting_len(offset)?, generator: false })
}

/// The lookups of one query token (token bits 1): exact, typo-tolerant, alternates and keys, initial,
/// phonetic.
fn token_lookups(
    index: &Index,
    t: &Token,
    opts: &ScreenOptions,
    variants: &mut typo::Variants,
    ordinals: &mut Ordinals,
    out: &mut Vec<Lookup>,
) -> Result<()> {
    let strong = heavy(t);
    if let Some(off) = index.terms.get(t.text.as_bytes()) {
        out.push(found(index, 1, off, 1.0, strong)?);
    }
    // Numbers match only when equal; initials are single letters.
    let d = max_distance(t.text.chars().count());
    if d > 0 && t.tag != TokenTag::Number {
        // Typo terms come mostly in sorted order (by ordinal, or from an FST stream).
        let mut scan = FuzzyScan::new(&t.text);
        let mut typo_hit = |term: &[u8], off: u64| -> Result<()> {
            if term != t.text.as_bytes() {
                let s = scan.fuzzy(term);
                if s > 0.0 {
                    out.push(found(index, 1, off, s, strong)?);
                }
            }
            Ok(())
        };
        // The reach walks, for words they take (else the deletion lookups).
        let reach = if opts.typo == Typo::Reach { FuzzyReach::halves(&t.text) } else { None };
        match (opts.typo, reach) {
            (Typo::Off, _) => {}
            (Typo::Reach, Some((forward, backward))) => {
                // A term both walks find is checked twice; the lookups are deduplicated below.
                let mut stream = index.terms.search(&forward).into_stream();
                while let Some((term, off)) = stream.next() {
                    typo_hit(term, off)?;
                }
                let mut stream = index.reversed.search(&backward).into_stream();
                while let Some((_, ordinal)) = stream.next() {
                    let ordinal = u32::try_from(ordinal).map_err(|_| index.corrupt("reversed term ordinal"))?;
                    let (off, term) = index.term(ordinal)?;
                    typo_hit(term, off)?;
                }
            }
            (Typo::Deletions | Typo::Reach, _) => {
                // Deletion variants (two letters deleted from five on: `query_distance`) and the
                // consonant skeleton (unless it is too common).
                variants.make(t.text.as_bytes(), typo::query_distance(t.text.chars().count()));
                ordinals.clear(index.term_count());
                index.typo_terms_of(variants, |o| ordinals.push(o))?;
                near_skeleton_terms(index, t.text.as_bytes(), ordinals)?;
                for &o in ordinals.sorted() {
                    let (off, term) = index.term(o)?;
                    typo_hit(term, off)?;
                }
            }
            (Typo::Automaton, _) => {
                let dfa = typo::automata()[usize::from(d) - 1].build_dfa(&t.text);
                let mut stream = index.terms.search_with_state(&dfa).into_stream();
                while let Some((term, off, state)) = stream.next() {
                    if let Distance::Exact(_) = dfa.distance(state) {
                        typo_hit(term, off)?;
                    }
                }
            }
        }
    }
    if opts.typo != Typo::Off && crate::text::is_abjad(t.script) {
        abjad_lookups(index, t, ordinals, out)?;
    }
    for a in t.alternates.iter().chain(&t.keys) {
        if let Some(off) = index.terms.get(a.as_bytes()) {
            out.push(found(index, 1, off, VARIANT, strong)?);
        }
    }
    // A list name may give this token as an initial (`M.` for `Mohammad`).
    if opts.initials && t.text.len() > 1 {
        if let Some(off) = t.text.get(..1).and_then(|c| index.terms.get(c.as_bytes())) {
            out.push(found(index, 1, off, INITIAL, false)?);
        }
    }
    if opts.phonetic && t.tag == TokenTag::Name && t.phonetic.len() >= 2 {
        let mut key = Vec::with_capacity(t.phonetic.len() + 1);
        key.push(PHONETIC_PREFIX);
        key.extend_from_slice(t.phonetic.as_bytes());
        if let Some(off) = index.keys.get(&key) {
            out.push(found(index, 1, off, PHONETIC, strong)?);
        }
    }
    Ok(())
}

/// The skeleton lookups of an abjad query word (Arabic, Hebrew; token bits 1): written mostly without
/// vowels, it meets Latin words by consonant skeleton, as the scorer pairs them (`rht` / `rahat`, and
/// `lslmy` / `islami` without the joined article), whatever its length. The terms sharing the index's
/// skeleton key of its text or an alternate, or of either without a joined article, that the scorer's
/// own skeleton check credits.
fn abjad_lookups(index: &Index, t: &Token, ordinals: &mut Ordinals, out: &mut Vec<Lookup>) -> Result<()> {
    ordinals.clear(index.term_count());
    for form in std::iter::once(&t.text).chain(&t.alternates) {
        skeleton_terms(index, form.as_bytes(), ordinals)?;
        if let Some(rest) = without_article(form) {
            skeleton_terms(index, rest.as_bytes(), ordinals)?;
        }
    }
    let strong = heavy(t);
    for &o in ordinals.sorted() {
        let (off, term) = index.term(o)?;
        if std::str::from_utf8(term).is_ok_and(|term| skeleton_meets(t, term)) {
            out.push(found(index, 1, off, SKELETON, strong)?);
        }
    }
    Ok(())
}

/// Adds to `ordinals` the terms under the skeleton key `key`, unless they are more than
/// [`MAX_SKELETON_TERMS`]; once a read has failed, nothing more is read and `read` keeps the error.
fn skeleton_list(index: &Index, key: &[u8], ordinals: &mut Ordinals, read: &mut Result<()>) {
    if read.is_ok() {
        *read = index.typo_terms_within(key, MAX_SKELETON_TERMS, |o| ordinals.push(o));
    }
}

/// Adds to `ordinals` the terms sharing `word`'s consonant skeleton ([`skeleton_list`]).
fn skeleton_terms(index: &Index, word: &[u8], ordinals: &mut Ordinals) -> Result<()> {
    let mut read = Ok(());
    typo::skeleton_key(word, |key| skeleton_list(index, key, ordinals, &mut read));
    read
}

/// Adds to `ordinals` the terms sharing `word`'s consonant skeleton or one a consonant shorter
/// ([`typo::shorter_skeleton_keys`]), and those whose own skeleton is a consonant longer than `word`'s
/// ([`typo::SHORTER_SKELETON_MARK`]), each skeleton's through [`skeleton_list`].
fn near_skeleton_terms(index: &Index, word: &[u8], ordinals: &mut Ordinals) -> Result<()> {
    let mut read = Ok(());
    typo::skeleton_key(word, |key| {
        typo::shorter_marked(key, |k| skeleton_list(index, k, ordinals, &mut read));
        skeleton_list(index, key, ordinals, &mut read);
        typo::shorter_skeleton_keys(key, |k| skeleton_list(index, k, ordinals, &mut read));
    });
    read
}

/// The lookups of two query tokens joined, `x` then `y` (token bits 0b11): the joined word exactly
/// (a typo inside a joined pair is left to the per-token lookups), and with the typo-tolerant lookup
/// the terms sharing its consonant skeleton that the scorer would pair with it: at its floor for
/// tokens `adjacent` in name order, at its higher one for the other order or the last token with the
/// first (`RAHMAN Abdur` ~ `Abdirahman`).
#[allow(clippy::too_many_arguments)]
fn pair_lookups(
    index: &Index,
    x: &Token,
    y: &Token,
    adjacent: bool,
    opts: &ScreenOptions,
    joined: &mut String,
    ordinals: &mut Ordinals,
    out: &mut Vec<Lookup>,
) -> Result<()> {
    joined.clear();
    joined.push_str(&x.text);
    joined.push_str(&y.text);
    let floor = if adjacent { ADJACENT_JOIN_FLOOR } else { FREE_JOIN_FLOOR };
    let seam = adjacent.then_some(x.text.len());
    joined_lookups(index, joined, 0b11, floor, heavy(x) || heavy(y), seam, opts, ordinals, out)
}

/// The lookups of a joined word standing for query tokens `tokens` (bits): the word exactly and, with
/// the typo-tolerant lookup, the terms sharing its consonant skeleton that the scorer pairs with it at
/// `floor`. For two words joined in name order (`seam`: where the second starts), also the terms whose
/// skeleton lacks one of the two consonants that meet at the seam: a particle's consonant assimilated
/// to the next word's (`Abdul Rahman`, `#btlrmn`, written `Abderahmane`, `#btrmn`), or one of two
/// consonants run together; and the terms whose skeleton has one consonant more, through the index's
/// [`typo::SHORTER_SKELETON_MARK`] keys (`Abur Rehman`, `#brmn`, for `Abdurrahman`, `#btrmn`).
#[allow(clippy::too_many_arguments)]
fn joined_lookups(
    index: &Index,
    joined: &str,
    tokens: u32,
    floor: f32,
    strong: bool,
    seam: Option<usize>,
    opts: &ScreenOptions,
    ordinals: &mut Ordinals,
    out: &mut Vec<Lookup>,
) -> Result<()> {
    if let Some(off) = index.terms.get(joined.as_bytes()) {
        out.push(found(index, tokens, off, VARIANT, strong)?);
    }
    if matches!(opts.typo, Typo::Deletions | Typo::Reach) {
        ordinals.clear(index.term_count());
        // The first word's consonants in the joined key: the last of them, and the next, meet at the seam.
        let first = seam.map(|at| {
            let mut n = 0;
            typo::skeleton_key(&joined.as_bytes()[..at], |k| n = k.len() - 1);
            n
        });
        let mut read = Ok(());
        typo::skeleton_key(joined.as_bytes(), |key| {
            skeleton_list(index, key, ordinals, &mut read);
            if seam.is_some() {
                // The reversed pairs and the last word with the first, held to the higher floor of free
                // joins, rarely pass with a consonant more: 3.3% more instructions for one hit ≥ 80 in
                // the recall example's 2,000 queries.
                typo::shorter_marked(key, |k| skeleton_list(index, k, ordinals, &mut read));
            }
            for i in first.into_iter().flat_map(|n| [n, n + 1]).filter(|i| (1..key.len()).contains(i)) {
                typo::skeleton_without(key, i, |k| skeleton_list(index, k, ordinals, &mut read));
            }
        });
        read?;
        for &o in ordinals.sorted() {
            let (off, term) = index.term(o)?;
            // Most terms are ruled out by their length alone, before their text is read as UTF-8.
            if term == joined.as_bytes() || !may_fuzz(joined.len(), term.len()) {
                continue;
            }
            let s = std::str::from_utf8(term).map(|term| fuzzy_at_least(joined, term, floor)).unwrap_or(0.0);
            if s >= floor {
                out.push(found(index, tokens, off, s * VARIANT, strong)?);
            }
        }
    }
    Ok(())
}

/// The lookups of one long query name word read as two list words joined in the other order (token bits
/// 1), as the scorer joins two leftover name words: `majidabdul` for `Abdul Majid`, and
/// `abderahmanemaghrebi` for `Abderahmane al Maghrebi` through the name's last word joined to its first.
/// At each split into two indexed words of [`FREE_JOIN_MIN_LEN`] bytes or more (the first ones found in
/// one walk of the term FST), the two are swapped and joined, and looked up exactly and, with the
/// typo-tolerant lookup, by skeleton at the scorer's floor for words joined in another order.
fn rotation_lookups(
    index: &Index,
    t: &Token,
    opts: &ScreenOptions,
    rotated: &mut String,
    ordinals: &mut Ordinals,
    out: &mut Vec<Lookup>,
) -> Result<()> {
    let word = t.text.as_str();
    let strong = heavy(t);
    let fst = index.terms.as_fst();
    let mut node = fst.root();
    for (i, &b) in word.as_bytes().iter().enumerate() {
        let Some(k) = node.find_input(b) else { break };
        node = fst.node(node.transition(k).addr);
        let at = i + 1;
        let split = node.is_final() && at >= FREE_JOIN_MIN_LEN && word.len() - at >= FREE_JOIN_MIN_LEN;
        if !split || !word.is_char_boundary(at) || index.terms.get(&word[at..]).is_none() {
            continue;
        }
        rotated.clear();
        rotated.push_str(&word[at..]);
        rotated.push_str(&word[..at]);
        joined_lookups(index, rotated, 1, FREE_JOIN_FLOOR, strong, None, opts, ordinals, out)?;
    }
    Ok(())
}

/// The query token pairs looked up joined, in reading order: adjacent ones in either order, and for
/// three tokens or more the last with the first.
fn joined_pairs(n: usize) -> impl Iterator<Item = (usize, usize)> {
    let adjacent = (1..n).flat_map(|b| [(b - 1, b), (b, b - 1)]);
    adjacent.chain((n >= 3).then(|| (n - 1, 0)))
}

/// What one query has gathered about one list name.
#[derive(Debug, Clone, Copy)]
struct Slot {
    /// The name number.
    name: u32,
    /// Sum over matched query tokens of `weight × similarity`.
    acc: f32,
    /// Bits 0–15: query tokens matched; bits 16–31: query tokens matched strongly.
    mask: u32,
    /// List-token positions matched.
    used: u32,
}

/// Per-thread accumulators: the slots of the names a query touched, in the order it touched them, and
/// where each name's slot is. Only `seen` needs clearing after a query (through the slots' names).
#[derive(Default)]
struct Scratch {
    slots: Vec<Slot>,
    /// One bit a name: touched by this query (small enough to stay in cache while long common lists
    /// are read).
    seen: Vec<u64>,
    /// A name's slot number, meaningful while its `seen` bit is set.
    slot_of: Vec<u32>,
    /// A short posting list's entries.
    entries: Vec<u32>,
    /// The slots within the generous bound, and their names' info.
    within: Vec<Slot>,
    infos: Vec<NameInfo>,
    buffers: LookupBuffers,
    lookups: Vec<Lookup>,
    side: QuerySide,
    out: Vec<Candidate>,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

/// The query-side numbers of the estimate, tabulated by bit set of matched query tokens (at most
/// [`MAX_QUERY_TOKENS`] bits, so at most 4,096 entries; a query of `n` tokens needs `2^n`).
#[derive(Default)]
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
    margin: f32,
    floor: f32,
}

impl QuerySide {
    /// The tables for `name`, against `floor` with `margin`, reusing the buffers.
    fn fill(&mut self, name: &Name, margin: f32, floor: f32) {
        let n = name.tokens.len().min(MAX_QUERY_TOKENS);
        let costs = miss_costs(false);
        let conflict = miss_costs(true);
        let tokens = &name.tokens[..n];
        let extra_miss: f32 = name.tokens[n..].iter().map(|t| miss_cost(t, costs.query, costs.floor)).sum();
        let size = 1usize << n;
        for (v, x) in [(&mut self.hit_w, 0.0), (&mut self.miss, extra_miss), (&mut self.miss_conflict, extra_miss)] {
            v.clear();
            v.resize(size, x);
        }
        // Each set's sums extend those of the set without its highest token: the same additions, in the
        // same order, as summing the set's tokens one by one.
        for set in 1..size {
            let top = set.ilog2() as usize;
            let rest = set & !(1 << top);
            let t = &tokens[top];
            self.hit_w[set] = self.hit_w[rest] + t.weight.max(0.01);
            self.miss[set] = self.miss[rest] + miss_cost(t, costs.query, costs.floor);
            self.miss_conflict[set] = self.miss_conflict[rest] + miss_cost(t, conflict.query, conflict.floor);
        }
        self.heavy = tokens.iter().enumerate().filter(|(_, t)| heavy(t)).fold(0, |m, (i, _)| m | 1 << i);
        self.all = (size - 1) as u32;
        self.margin = margin;
        self.floor = floor;
    }

    /// Whether a name's generous bound ([`estimate`](QuerySide::estimate) without `NAME_INFO`) plus
    /// the margin falls short of the floor.
    #[inline]
    fn out_of_reach(&self, acc: f32, mask: u32) -> bool {
        self.estimate(acc, mask, 0, None) + self.margin < self.floor
    }

    /// Weight of the query tokens in bit set `tokens`.
    fn weight(&self, tokens: u32) -> f32 {
        self.hit_w.get((tokens & self.all) as usize).copied().unwrap_or(0.0)
    }

    /// The estimated score of a name from its accumulators and its `NAME_INFO`: the scorer's formula
    /// with the matched query tokens paired one-to-one with the list tokens they hit (at the average
    /// similarity, each list token at its own weight), the other tokens of both sides unmatched, and
    /// the conflict costs when both sides keep unmatched name words or numbers. Without `NAME_INFO`, a
    /// generous bound: the list side matched as heavy as one and a half times the query side, nothing
    /// left over.
    #[inline]
    fn estimate(&self, acc: f32, mask: u32, used: u32, info: Option<&NameInfo>) -> f32 {
        let matched = (mask & self.all) as usize;
        let hit_w = self.hit_w.get(matched).copied().unwrap_or(0.0);
        if hit_w <= 0.0 {
            return 0.0;
        }
        let (cand_w, cand_miss, cand_words_left) = list_side(hit_w, used, info);
        let conflict = self.heavy & !mask != 0 && cand_words_left;
        let (misses, factor) = if conflict { (&self.miss_conflict, 1.6) } else { (&self.miss, 1.0) };
        let miss = misses.get(!mask as usize & self.all as usize).copied().unwrap_or(0.0);
        let num = acc + acc / hit_w * cand_w;
        let den = hit_w + cand_w + miss + cand_miss * factor;
        100.0 * num / den
    }
}

/// The list side of the estimate, for a name whose list-token positions `used` were matched by query
/// tokens weighing `hit_w`: the weight matched (each list token its own), what its other tokens cost
/// unmatched, and whether name words or numbers are left ([`NameInfo::list_side`]). Without
/// `NAME_INFO`, the generous bound: matched as heavy as one and a half times the query side, nothing
/// left over.
#[inline]
fn list_side(hit_w: f32, used: u32, info: Option<&NameInfo>) -> (f32, f32, bool) {
    match info {
        Some(info) => info.list_side(used),
        None => (1.5 * hit_w, 0.0, false),
    }
}

/// The candidate names for a query whose reach (estimate plus margin) is at least `floor`, best reach
/// first (ties by name number), at most `cap` of them ([`ScreenOptions::scored_cap`]).
pub(crate) fn candidates(
    index: &Index,
    query: &Name,
    opts: &ScreenOptions,
    floor: f32,
    cap: usize,
) -> Result<Vec<Candidate>> {
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
        if s.slot_of.len() < names {
            s.slot_of.resize(names, 0);
            s.seen.resize(names.div_ceil(64), 0);
        }
        let mut hits = std::mem::take(&mut s.lookups);
        let result = lookups(index, tokens, opts, &mut s.buffers, &mut hits)
            .and_then(|()| gather(index, query, opts, floor, cap, &mut hits, s));
        s.lookups = hits;
        s.reset();
        result
    })
}

impl Scratch {
    /// Forgets the names touched.
    fn reset(&mut self) {
        if self.slots.len() > self.seen.len() / 4 {
            self.seen.fill(0);
        } else {
            for slot in &self.slots {
                if let Some(word) = self.seen.get_mut(slot.name as usize / 64) {
                    *word = 0;
                }
            }
        }
        self.slots.clear();
    }
}

/// One generator's posting list being accumulated into the scratch slots.
struct Visit<'a> {
    slots: &'a mut Vec<Slot>,
    seen: &'a mut [u64],
    slot_of: &'a mut [u32],
    /// Names not seen yet are taken while there are fewer than `cap` names.
    cap: usize,
    /// The list's query tokens, and the bits it sets in a slot's mask.
    tokens: u32,
    bits: u32,
    /// Weight × similarity.
    add: f32,
}

impl Visit<'_> {
    /// Adds one posting entry.
    #[inline(always)]
    fn entry(&mut self, entry: u32) {
        let (id, span) = posting_parts(entry);
        let i = id as usize;
        let Some(word) = self.seen.get_mut(i / 64) else { return };
        let bit = 1u64 << (i % 64);
        if *word & bit == 0 {
            let Some(at) = self.slot_of.get_mut(i) else { return };
            if self.slots.len() >= self.cap {
                return;
            }
            *word |= bit;
            *at = self.slots.len() as u32;
            self.slots.push(Slot { name: id, acc: 0.0 + self.add, mask: self.bits, used: span });
            return;
        }
        if let Some(slot) = self.slot_of.get(i).and_then(|&k| self.slots.get_mut(k as usize)) {
            slot.add(self.tokens, self.bits, span, self.add);
        }
    }
}

impl Slot {
    /// Adds a posting entry of list token positions `span` from a list of query tokens `tokens`.
    #[inline(always)]
    fn add(&mut self, tokens: u32, bits: u32, span: u32, add: f32) {
        // One list token for one query token, one query token for one list token.
        if self.mask & tokens != 0 || self.used & span != 0 {
            return;
        }
        self.mask |= bits;
        self.used |= span;
        self.acc += add;
    }
}

/// Adds the ascending posting `entries` of one list to the `slots` (sorted by name) of the names in it.
///
/// The list is read through in a tight loop: most of its entries are names not in `slots` and cost one
/// comparison with the next slot's name.
fn merge(slots: &mut [Slot], entries: impl Iterator<Item = u32>, tokens: u32, bits: u32, add: f32) {
    let mut k = 0;
    let Some(mut next) = slots.first().map(|s| s.name) else { return };
    for e in entries {
        let (id, span) = posting_parts(e);
        if id < next {
            continue;
        }
        while next < id {
            k += 1;
            match slots.get(k) {
                Some(slot) => next = slot.name,
                None => return,
            }
        }
        if next == id {
            slots[k].add(tokens, bits, span, add);
        }
    }
}

/// The first position in `start..end` where `below` turns false (`end` if it never does), for a
/// `below` that is true up to some position and false after it: a gallop forward from `start`, then
/// bisection within the last step, so a search near the previous one reads only near it.
fn gallop(start: usize, end: usize, below: impl Fn(usize) -> bool) -> usize {
    let (mut lo, mut hi, mut step) = (start, start, 1usize);
    while hi < end && below(hi) {
        lo = hi + 1;
        hi = hi.saturating_add(step);
        step = step.saturating_mul(2);
    }
    hi = hi.min(end);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if below(mid) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    lo
}

/// Accumulates the posting lists of `lookups` into the scratch slots and ranks the names touched.
fn gather(
    index: &Index,
    query: &Name,
    opts: &ScreenOptions,
    floor: f32,
    scored: usize,
    lookups: &mut [Lookup],
    s: &mut Scratch,
) -> Result<Vec<Candidate>> {
    s.side.fill(query, opts.margin, floor);
    let side = &s.side;

    // Generators: posting lists short enough to enumerate. If every hit list is common, the lists of
    // the token whose lists are shortest in total become generators.
    for l in lookups.iter_mut() {
        l.generator = l.len <= opts.common_postings;
    }
    // When every key is common, the rarest token's lists generate, up to `common_postings` names.
    let fallback = !lookups.iter().any(|l| l.generator) && !lookups.is_empty();
    let cap = if fallback { usize::try_from(opts.common_postings).unwrap_or(usize::MAX) } else { usize::MAX };
    if fallback {
        let mut per_token = [0u64; MAX_QUERY_TOKENS];
        for l in lookups.iter() {
            per_token[l.tokens.trailing_zeros() as usize] += l.len;
        }
        let best = (0..MAX_QUERY_TOKENS).filter(|i| per_token[*i] > 0).min_by_key(|i| per_token[*i]).unwrap_or(0);
        for l in lookups.iter_mut() {
            l.generator = l.tokens.trailing_zeros() as usize == best;
        }
    }

    // Phase 1: the generators' lists, each name met taken (within the cap).
    for l in lookups.iter().filter(|l| l.generator) {
        let mut visit = Visit {
            slots: &mut s.slots,
            seen: &mut s.seen,
            slot_of: &mut s.slot_of,
            cap,
            tokens: l.tokens,
            bits: l.bits(),
            add: side.weight(l.tokens) * l.quality,
        };
        match index.long_postings(l.offset)? {
            Some(body) => long_entries(body).for_each(|e| visit.entry(e)),
            None => {
                // Decoded first, in a tight loop of its own.
                s.entries.clear();
                index.postings(l.offset, |e| s.entries.push(e))?;
                s.entries.iter().for_each(|&e| visit.entry(e));
            }
        }
    }
    // Phase 2: the common lists only add to the names phase 1 found. Those are sorted by name (a stable
    // sort merges the ascending runs each list left), so each list is merged with them in order rather
    // than looked up name by name in tables as large as the index's name count.
    if lookups.iter().any(|l| !l.generator) {
        s.slots.sort_by_key(|slot| slot.name);
    }
    for l in lookups.iter().filter(|l| !l.generator) {
        let (tokens, bits, add) = (l.tokens, l.bits(), side.weight(l.tokens) * l.quality);
        let slots = &mut s.slots[..];
        match index.long_postings(l.offset)? {
            // A long list and few names: search the list for each name instead of reading all of it.
            Some(body) if slots.len().saturating_mul(PROBE_RATIO) < body.len() / 4 => {
                let entries = body.len() / 4;
                let at = |k: usize| long_entry(body, k);
                // The names ascend, so each search starts where the previous one ended.
                let mut start = 0usize;
                for slot in slots.iter_mut() {
                    let name = slot.name;
                    let mut k = gallop(start, entries, |k| u64::from(at(k)) < u64::from(name) << 6);
                    start = k;
                    while k < entries && at(k) >> 6 == name {
                        slot.add(tokens, bits, posting_parts(at(k)).1, add);
                        k += 1;
                    }
                }
            }
            Some(body) => merge(slots, long_entries(body), tokens, bits, add),
            None => {
                s.entries.clear();
                index.postings(l.offset, |e| s.entries.push(e))?;
                merge(slots, s.entries.iter().copied(), tokens, bits, add);
            }
        }
    }
    // A generous bound first: it spares most names reached only through a common word the read of
    // their name info. The others' name info is read in a loop of its own: the reads do not depend on
    // each other, so the processor overlaps their cache misses (the table is 160 MB at Dow Jones scale).
    s.within.clear();
    s.within.extend(s.slots.iter().filter(|slot| !side.out_of_reach(slot.acc, slot.mask)).copied());
    s.infos.clear();
    index.name_infos_into(s.within.iter().map(|slot| slot.name), &mut s.infos)?;
    let out = &mut s.out;
    out.clear();
    for (&Slot { name: id, acc, mask, used }, info) in s.within.iter().zip(&s.infos) {
        let est = side.estimate(acc, mask, used, Some(info));
        let light = mask >> 16 == 0;
        let reach = if light { LIGHT_ONLY_CAP.min(est + opts.margin) } else { est + opts.margin };
        if reach >= floor {
            out.push(Candidate { name: id, entity: info.entity, reach, light });
        }
    }
    // Screening looks at the first `scored` at most: only those are sorted (a common word at Dow
    // Jones scale leaves hundreds of thousands within reach).
    if out.len() > scored {
        out.select_nth_unstable_by_key(scored, Candidate::rank);
        out.truncate(scored);
    }
    out.sort_unstable_by_key(Candidate::rank);
    Ok(out.to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::IndexBuilder;
    use crate::model::{EntityName, NameQuality, NameType};
    use crate::score::fuzzy;
    use crate::{analyze, Entity, EntityKind, NameKind};
    use std::collections::{BTreeSet, HashMap};

    /// The lookups as first written: one TYPOS `get` per deletion variant, strings allocated freely.
    fn reference_lookups(index: &Index, tokens: &[Token], opts: &ScreenOptions) -> Vec<Lookup> {
        let skeletons = Skeletons::of(index);
        let mut out = Vec::new();
        let lookup = |tokens: u32, offset: u64, quality: f32, strong: bool| Lookup {
            tokens,
            offset,
            quality,
            strong,
            len: index.posting_len(offset).unwrap(),
            generator: false,
        };
        for (i, t) in tokens.iter().enumerate() {
            if t.text.is_empty() {
                continue;
            }
            let strong = heavy(t);
            if let Some(off) = index.terms.get(&t.text) {
                out.push(lookup(1 << i, off, 1.0, strong));
            }
            if max_distance(t.text.chars().count()) > 0 && t.tag != TokenTag::Number && opts.typo == Typo::Deletions {
                let mut variants = BTreeSet::new();
                typo::deletion_variants_within(t.text.as_bytes(), typo::query_distance(t.text.chars().count()), |v| {
                    variants.insert(v.to_vec());
                });
                let mut ordinals = BTreeSet::new();
                for v in &variants {
                    index
                        .typo_terms(v, |o| {
                            ordinals.insert(o);
                        })
                        .unwrap();
                }
                let mut offsets: BTreeSet<(u64, String)> = ordinals
                    .into_iter()
                    .map(|o| index.term(o).unwrap())
                    .map(|(off, term)| (off, String::from_utf8(term.to_vec()).unwrap()))
                    .collect();
                // The terms of the same consonant skeleton or one a consonant shorter, found by
                // reading every term.
                offsets.extend(skeletons.near(&t.text));
                for (off, term) in offsets {
                    if term != t.text && fuzzy(&t.text, &term) > 0.0 {
                        out.push(lookup(1 << i, off, fuzzy(&t.text, &term), strong));
                    }
                }
            }
            if opts.typo != Typo::Off && crate::text::is_abjad(t.script) {
                let mut forms = Vec::new();
                for form in std::iter::once(&t.text).chain(&t.alternates) {
                    forms.push(form.as_str());
                    forms.extend(without_article(form));
                }
                let terms: BTreeSet<(u64, String)> = forms.iter().flat_map(|f| skeletons.same(f)).collect();
                for (off, term) in terms {
                    if skeleton_meets(t, &term) {
                        out.push(lookup(1 << i, off, SKELETON, strong));
                    }
                }
            }
            for a in t.alternates.iter().chain(&t.keys) {
                if let Some(off) = index.terms.get(a) {
                    out.push(lookup(1 << i, off, VARIANT, strong));
                }
            }
            if opts.initials && t.text.len() > 1 {
                if let Some(off) = t.text.get(..1).and_then(|c| index.terms.get(c)) {
                    out.push(lookup(1 << i, off, INITIAL, false));
                }
            }
            if opts.phonetic && t.tag == TokenTag::Name && t.phonetic.len() >= 2 {
                if let Some(off) = index.keys.get([&[PHONETIC_PREFIX][..], t.phonetic.as_bytes()].concat()) {
                    out.push(lookup(1 << i, off, PHONETIC, strong));
                }
            }
        }
        if opts.joined {
            // Long name words as two indexed words joined in the other order, split at every point.
            for (i, t) in tokens.iter().enumerate() {
                if !freely_joinable(t) {
                    continue;
                }
                let strong = heavy(t);
                for at in FREE_JOIN_MIN_LEN..=t.text.len().saturating_sub(FREE_JOIN_MIN_LEN) {
                    let (Some(first), Some(second)) = (t.text.get(..at), t.text.get(at..)) else { continue };
                    if index.terms.get(first).is_none() || index.terms.get(second).is_none() {
                        continue;
                    }
                    let rotated = format!("{second}{first}");
                    if let Some(off) = index.terms.get(&rotated) {
                        out.push(lookup(1 << i, off, VARIANT, strong));
                    }
                    if opts.typo == Typo::Deletions {
                        for (off, term) in skeletons.same(&rotated) {
                            let s = fuzzy(&rotated, &term);
                            if term != rotated && s >= FREE_JOIN_FLOOR {
                                out.push(lookup(1 << i, off, s * VARIANT, strong));
                            }
                        }
                    }
                }
            }
            let n = tokens.len();
            let mut pairs: Vec<(usize, usize)> = (1..n).flat_map(|b| [(b - 1, b), (b, b - 1)]).collect();
            if n >= 3 {
                pairs.push((n - 1, 0));
            }
            for (a, b) in pairs {
                if b != a + 1 && !(freely_joinable(&tokens[a]) && freely_joinable(&tokens[b])) {
                    continue;
                }
                let joined = format!("{}{}", tokens[a].text, tokens[b].text);
                let strong = heavy(&tokens[a]) || heavy(&tokens[b]);
                if let Some(off) = index.terms.get(&joined) {
                    out.push(lookup(1 << a | 1 << b, off, VARIANT, strong));
                }
                if opts.typo == Typo::Deletions {
                    let floor = if b == a + 1 { ADJACENT_JOIN_FLOOR } else { FREE_JOIN_FLOOR };
                    let mut terms = skeletons.same(&joined);
                    if b == a + 1 {
                        terms.extend(skeletons.seam(&tokens[a].text, &joined));
                        terms.extend(skeletons.longer(&joined));
                    }
                    for (off, term) in terms {
                        let s = fuzzy(&joined, &term);
                        if term != joined && s >= floor {
                            out.push(lookup(1 << a | 1 << b, off, s * VARIANT, strong));
                        }
                    }
                }
            }
        }
        // The best similarity of each (tokens, list), best first.
        out.sort_by(|a, b| a.tokens.cmp(&b.tokens).then(a.offset.cmp(&b.offset)).then(b.quality.total_cmp(&a.quality)));
        out.dedup_by(|b, a| a.tokens == b.tokens && a.offset == b.offset);
        out.sort_by(|a, b| b.quality.total_cmp(&a.quality).then(a.tokens.cmp(&b.tokens)).then(a.offset.cmp(&b.offset)));
        out
    }

    /// Every typo-eligible term of an index with its consonant skeleton key, read once.
    struct Skeletons(Vec<(u64, String, String)>);

    impl Skeletons {
        fn of(index: &Index) -> Skeletons {
            let mut all = Vec::new();
            let mut stream = index.terms.stream();
            while let Some((term, off)) = stream.next() {
                if let Some(key) = skeleton_string(term).filter(|_| typo::eligible(term)) {
                    all.push((off, String::from_utf8(term.to_vec()).unwrap(), key));
                }
            }
            Skeletons(all)
        }

        /// The terms whose skeleton key `accept`s, none when they are too many.
        fn terms(&self, accept: impl Fn(&str) -> bool) -> Vec<(u64, String)> {
            let out: Vec<_> = self.0.iter().filter(|(_, _, k)| accept(k)).map(|(o, t, _)| (*o, t.clone())).collect();
            if out.len() as u64 > MAX_SKELETON_TERMS {
                return Vec::new();
            }
            out
        }

        /// The terms whose skeleton is `word`'s (none when they are too many).
        fn same(&self, word: &str) -> Vec<(u64, String)> {
            let Some(key) = skeleton_string(word.as_bytes()) else { return Vec::new() };
            self.terms(|k| k == key)
        }

        /// The terms whose skeleton is `word`'s, or `word`'s with one consonant left out and repeats
        /// collapsed (of three consonants at least), or whose own skeleton gives `word`'s with one of
        /// its consonants left out (for each skeleton, none when its terms are too many).
        fn near(&self, word: &str) -> Vec<(u64, String)> {
            let Some(key) = skeleton_string(word.as_bytes()) else { return Vec::new() };
            let consonants = key.chars().count() - 1;
            let mut keys: BTreeSet<String> = (0..consonants).filter_map(|i| without(&key, i)).collect();
            keys.insert(key.clone());
            let mut out: Vec<_> = keys.iter().flat_map(|near| self.terms(|k| k == near)).collect();
            out.extend(self.longer(word));
            out
        }

        /// The terms whose own skeleton gives `word`'s with one of its consonants left out (none when
        /// they are too many).
        fn longer(&self, word: &str) -> Vec<(u64, String)> {
            let Some(key) = skeleton_string(word.as_bytes()) else { return Vec::new() };
            self.terms(|k| (0..k.chars().count() - 1).any(|i| without(k, i).as_ref() == Some(&key)))
        }

        /// The terms whose skeleton is `joined`'s without the last consonant of `first` (the first word
        /// of the two joined) or the next one, of three consonants at least (for each skeleton, none
        /// when its terms are too many).
        fn seam(&self, first: &str, joined: &str) -> Vec<(u64, String)> {
            let Some(key) = skeleton_string(joined.as_bytes()) else { return Vec::new() };
            let seam = skeleton_string(first.as_bytes()).map_or(0, |k| k.chars().count() - 1);
            let keys: BTreeSet<String> =
                [seam.checked_sub(1), Some(seam)].into_iter().flatten().filter_map(|i| without(&key, i)).collect();
            keys.iter().flat_map(|near| self.terms(|k| k == near)).collect()
        }
    }

    /// The skeleton key of a word, as a string.
    fn skeleton_string(word: &[u8]) -> Option<String> {
        let mut key = None;
        typo::skeleton_key(word, |v| key = Some(String::from_utf8(v.to_vec()).unwrap()));
        key
    }

    /// The skeleton key `key` without its `i`-th consonant (from 0), repeats collapsed, if three
    /// consonants at least remain.
    fn without(key: &str, i: usize) -> Option<String> {
        if i + 1 >= key.chars().count() {
            return None;
        }
        let mut rest: Vec<char> = key.chars().skip(1).enumerate().filter(|(j, _)| *j != i).map(|(_, c)| c).collect();
        rest.dedup();
        (rest.len() >= typo::NEAR_MIN_CONSONANTS).then(|| std::iter::once('#').chain(rest).collect())
    }

    /// The estimate as first written: the sums taken token by token for each name.
    fn reference_estimate(query: &Name, acc: f32, mask: u32, used: u32, info: Option<&NameInfo>) -> f32 {
        let n = query.tokens.len().min(MAX_QUERY_TOKENS);
        let (costs, conflict_costs) = (miss_costs(false), miss_costs(true));
        let mut hit_w = 0.0;
        for (i, t) in query.tokens[..n].iter().enumerate() {
            if mask & (1 << i) != 0 {
                hit_w += t.weight.max(0.01);
            }
        }
        if hit_w <= 0.0 {
            return 0.0;
        }
        let (cand_w, cand_miss, cand_words_left) = list_side(hit_w, used, info);
        let heavy_bits = query.tokens[..n].iter().enumerate().filter(|(_, t)| heavy(t)).fold(0, |m, (i, _)| m | 1 << i);
        let conflict = heavy_bits & !mask != 0 && cand_words_left;
        let (c, factor) = if conflict { (conflict_costs, 1.6) } else { (costs, 1.0) };
        let mut miss: f32 = query.tokens[n..].iter().map(|t| miss_cost(t, costs.query, costs.floor)).sum();
        for (i, t) in query.tokens[..n].iter().enumerate() {
            if mask & (1 << i) == 0 {
                miss += miss_cost(t, c.query, c.floor);
            }
        }
        let num = acc + acc / hit_w * cand_w;
        let den = hit_w + cand_w + miss + cand_miss * factor;
        100.0 * num / den
    }

    /// Candidate generation as first written: a map of names, every posting list read whole, the
    /// positions decoded with checked shifts, the estimate token by token, a full sort.
    fn reference(index: &Index, query: &Name, opts: &ScreenOptions, floor: f32) -> Vec<Candidate> {
        let tokens = &query.tokens[..query.tokens.len().min(MAX_QUERY_TOKENS)];
        if tokens.is_empty() {
            return Vec::new();
        }
        let lookups = reference_lookups(index, tokens, opts);
        let mut generator: Vec<bool> = lookups.iter().map(|l| l.len <= opts.common_postings).collect();
        let fallback = !generator.contains(&true) && !lookups.is_empty();
        let cap = if fallback { opts.common_postings as usize } else { usize::MAX };
        if fallback {
            let mut per_token = vec![0u64; tokens.len()];
            for l in &lookups {
                per_token[l.tokens.trailing_zeros() as usize] += l.len;
            }
            let best = (0..tokens.len()).filter(|i| per_token[*i] > 0).min_by_key(|i| per_token[*i]).unwrap_or(0);
            for (g, l) in generator.iter_mut().zip(&lookups) {
                *g = l.tokens.trailing_zeros() as usize == best;
            }
        }
        // Name → (acc, mask, used).
        let mut found: HashMap<u32, (f32, u32, u32)> = HashMap::new();
        for phase in [true, false] {
            for (l, _) in lookups.iter().zip(&generator).filter(|(_, g)| **g == phase) {
                let weight: f32 =
                    (0..tokens.len()).filter(|i| l.tokens & (1 << i) != 0).map(|i| tokens[i].weight.max(0.01)).sum();
                let add = weight * l.quality;
                let bits = l.tokens | if l.strong { l.tokens << 16 } else { 0 };
                index
                    .postings(l.offset, |entry| {
                        let pos = entry & 31;
                        let span = if entry & 32 != 0 { 3u32.checked_shl(pos).unwrap_or(1 << 31) } else { 1 << pos };
                        let count = found.len();
                        match found.get_mut(&(entry >> 6)) {
                            None if phase && count < cap => {
                                found.insert(entry >> 6, (0.0 + add, bits, span));
                            }
                            None => {}
                            Some((acc, mask, used)) if *mask & l.tokens == 0 && *used & span == 0 => {
                                *mask |= bits;
                                *used |= span;
                                *acc += add;
                            }
                            Some(_) => {}
                        }
                    })
                    .unwrap();
            }
        }
        let mut out = Vec::new();
        for (&name, &(acc, mask, used)) in &found {
            if reference_estimate(query, acc, mask, used, None) + opts.margin < floor {
                continue;
            }
            let info = index.name_info(name).unwrap();
            let est = reference_estimate(query, acc, mask, used, Some(&info));
            let light = mask >> 16 == 0;
            let reach = if light { LIGHT_ONLY_CAP.min(est + opts.margin) } else { est + opts.margin };
            if reach >= floor {
                out.push(Candidate { name, entity: info.entity, reach, light });
            }
        }
        out.sort_by(|a, b| b.reach.total_cmp(&a.reach).then(a.name.cmp(&b.name)));
        out.truncate(opts.max_scored);
        out
    }

    /// Hand-made names sharing words, initials, joined and split forms, and 900 synthetic ones sharing
    /// one given name (`ali`, a long posting list) and a few surname syllables.
    fn names() -> Vec<String> {
        let mut names: Vec<String> = [
            "KIM KYONG OK",
            "Kim Kyong Il",
            "Kim Jong Un",
            "Kyong Ok Trading LLC",
            "Mohammed Ali Hassan",
            "Muhammad Ali",
            "Mohamad Mohammed Ali",
            "Ali Hassan Mohamed",
            "Abdul Rahman Yusuf",
            "Abdulrahman Yusuf Hamdan",
            "Noordin M. Top",
            "Noordin Mohammad Top",
            "Sergei Shoigu",
            "Sergey Kuzhugetovich Shoygu",
            "Nicolas Maduro Moros",
            "AKILOV, Farkhad Ataullaevich",
            "Yuk Tung Energy Pte Ltd",
            "Asia Bridge 1",
            "Gholamreza Nasrallah Rahimi",
            "Ahmad Abdul Karim bin Abdullah Al Hashimi Al Qurashi Al Baghdadi Abu Bakr",
            "HUSAYN, Zuhair",
            "BENHAMMEDI, Mohammed",
            "RASHID, Abdul Majid",
            "MUSA, Abdirahman",
            "Abderahmane al Maghrebi",
            "RAHAT LTD",
            "HARAKAT UL JIHAD ISLAMI",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let syllables = ["ka", "ri", "mo", "su", "ta", "ne", "lo", "vi", "dra", "zu", "pe", "ho", "sha", "gu"];
        let mut seed = 7u64;
        let mut next = |n: usize| {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (seed >> 33) as usize % n
        };
        for i in 0..900 {
            let mut surname = String::new();
            for _ in 0..2 + next(2) {
                surname.push_str(syllables[next(syllables.len())]);
            }
            let given = if i % 3 == 0 { ["Ali", "Siti", "Kim", "Ahmad"][next(4)] } else { "Ali" };
            names.push(format!("{given} {surname}"));
        }
        names
    }

    fn build(dir: &std::path::Path) -> Index {
        let path = dir.join("c.sidx");
        let mut b = IndexBuilder::new(&path).unwrap();
        for (i, n) in names().iter().enumerate() {
            let kind = if n.contains("LLC") || n.contains("Ltd") { EntityKind::Entity } else { EntityKind::Individual };
            let mut e = Entity {
                id: format!("T-{i}"),
                kind,
                names: vec![EntityName::new(n.clone(), NameType::Primary, NameQuality::Strong)],
                raw: serde_json::json!({ "n": i }),
                ..Default::default()
            };
            if i % 7 == 0 {
                // A second name of the same entity.
                e.names.push(EntityName::new(format!("{n} Jr"), NameType::Aka, NameQuality::Weak));
            }
            b.add(&e).unwrap();
        }
        b.finish().unwrap();
        Index::open(&path).unwrap()
    }

    /// Queries: the names themselves and perturbed ones (a letter changed, dropped or transposed,
    /// tokens joined, reordered or dropped, a first name reduced to its initial, a word added).
    fn queries() -> Vec<String> {
        let mut out = Vec::new();
        for (i, n) in names().iter().enumerate().filter(|(i, _)| *i < 19 || i % 37 == 0) {
            out.push(n.clone());
            let chars: Vec<char> = n.chars().collect();
            let k = (i * 5 + 3) % chars.len();
            let mut typo = chars.clone();
            typo[k] = if typo[k] == 'e' { 'a' } else { 'e' };
            out.push(typo.iter().collect());
            let mut dropped = chars.clone();
            dropped.remove(k);
            out.push(dropped.iter().collect());
            let mut swapped = chars.clone();
            swapped.swap(k, (k + 1) % chars.len());
            out.push(swapped.iter().collect());
            let words: Vec<&str> = n.split_whitespace().collect();
            if words.len() >= 2 {
                out.push(format!("{}{} {}", words[0], words[1], words[2..].join(" ")));
                out.push(format!("{} {}", words[words.len() - 1], words[..words.len() - 1].join(" ")));
                out.push(words[1..].join(" "));
                out.push(format!("{}. {}", &words[0][..1], words[1..].join(" ")));
                out.push(format!("Haji {n} 12"));
            }
        }
        out.extend(
            [
                "Ali Xyzq",
                "Ali",
                "Kim",
                "Ali Siti Kim Ahmad",
                "A",
                "12 34",
                "Abdul Rahman",
                "Kyongok",
                "Muhammad Muhammad Ali",
                "Hassan Ali Hassan 12 12",
                "Kyong Kim Kyong",
                "Majidabdul",
                "Rahman Abdur",
                "AbderahmaneMaghrebi",
                "لمتد راحت",
                "حرکت الجہاد الاسلامی",
            ]
            .map(String::from),
        );
        out
    }

    /// The token bits and similarity with which `query`'s lookups reach `term`'s posting list, if they do.
    fn finds(index: &Index, query: &str, term: &str, opts: &ScreenOptions) -> Option<(u32, f32)> {
        let offset = index.terms.get(term).unwrap();
        let mut out = Vec::new();
        let name = analyze(query, NameKind::Unknown);
        lookups(index, &name.tokens, opts, &mut LookupBuffers::default(), &mut out).unwrap();
        out.iter().find(|l| l.offset == offset).map(|l| (l.tokens, l.quality))
    }

    #[test]
    fn words_joined_in_another_order_are_found_as_the_scorer_joins_them() {
        let dir = tempfile::tempdir().unwrap();
        let index = build(dir.path());
        let d = ScreenOptions::default();
        // Two query words joined in the other order, by skeleton at the scorer's floor for such joins.
        let joined = fuzzy("abdurrahman", "abdirahman");
        assert!((FREE_JOIN_FLOOR..1.0).contains(&joined));
        assert_eq!(finds(&index, "Rahman Abdur", "abdirahman", &d), Some((0b11, joined * VARIANT)));
        // One query word for two list words in the other order: the list's pair (`abdulmajid`), or its
        // last word joined to its first (`maghrebiabderahmane`, the particle between left out).
        assert_eq!(finds(&index, "Majidabdul", "abdulmajid", &d), Some((0b1, VARIANT)));
        assert_eq!(finds(&index, "AbderahmaneMaghrebi", "maghrebiabderahmane", &d), Some((0b1, VARIANT)));
        // Not where the two parts are not both indexed words, nor without the joined lookups.
        assert_eq!(finds(&index, "Majidabdux", "abdulmajid", &d), None);
        let unjoined = ScreenOptions { joined: false, ..d.clone() };
        assert_eq!(finds(&index, "Majidabdul", "abdulmajid", &unjoined), None);
        // And screening returns them as the scorer's matches.
        for (query, listed) in [
            ("Rahman Abdur", "MUSA, Abdirahman"),
            ("Majidabdul", "RASHID, Abdul Majid"),
            ("AbderahmaneMaghrebi", "Abderahmane al Maghrebi"),
        ] {
            let hits = index.screen(&crate::screen::Query::name(query)).unwrap().results;
            let hit = hits.iter().find(|h| h.matched_name == listed).unwrap_or_else(|| panic!("{query}: {hits:?}"));
            assert!(hit.score >= 80.0, "{query} ~ {listed}: {}", hit.score);
        }
    }

    #[test]
    fn an_abjad_word_finds_the_latin_words_of_its_consonant_skeleton() {
        let dir = tempfile::tempdir().unwrap();
        let index = build(dir.path());
        let d = ScreenOptions::default();
        // Three consonants (too short for the typo lookups), and words whose joined article is left out.
        assert_eq!(finds(&index, "لمتد راحت", "rahat", &d), Some((0b10, SKELETON)));
        assert_eq!(finds(&index, "حرکت الجہاد الاسلامی", "harakat", &d), Some((0b1, SKELETON)));
        assert_eq!(finds(&index, "حرکت الجہاد الاسلامی", "jihad", &d), Some((0b10, SKELETON)));
        assert_eq!(finds(&index, "حرکت الجہاد الاسلامی", "islami", &d), Some((0b100, SKELETON)));
        // Not without the typo-tolerant lookup, nor for Latin words of the same consonants.
        assert_eq!(finds(&index, "لمتد راحت", "rahat", &ScreenOptions { typo: Typo::Off, ..d.clone() }), None);
        assert_eq!(finds(&index, "Ltd Rht", "rahat", &d), None);
        // And screening returns them as the scorer's matches.
        for (query, listed) in [("لمتد راحت", "RAHAT LTD"), ("حرکت الجہاد الاسلامی", "HARAKAT UL JIHAD ISLAMI")]
        {
            let hits = index.screen(&crate::screen::Query::name(query)).unwrap().results;
            let hit = hits.iter().find(|h| h.matched_name == listed).unwrap_or_else(|| panic!("{query}: {hits:?}"));
            assert!(hit.score >= 80.0, "{query} ~ {listed}: {}", hit.score);
        }
    }

    #[test]
    fn the_consonant_skeleton_finds_romanisations_too_far_apart_for_deletions() {
        // Three edits apart (one is allowed at six letters), and yet paired by the scorer.
        assert!(strsim::levenshtein("hassan", "husayn") > usize::from(max_distance(6)));
        assert!(fuzzy("hassan", "husayn") > 0.0);
        assert!(fuzzy("binhamid", "benhammedi") >= ADJACENT_JOIN_FLOOR);
        let dir = tempfile::tempdir().unwrap();
        let index = build(dir.path());
        let finds = |query: &str, term: &str, typo: Typo| {
            finds(&index, query, term, &ScreenOptions { typo, phonetic: false, ..ScreenOptions::default() })
        };
        assert_eq!(finds("Zuhair Hassan", "husayn", Typo::Deletions), Some((0b10, fuzzy("hassan", "husayn"))));
        // Three plain edits, different skeletons (`krk`, `krm`), and yet paired by the scorer: found
        // because a query word of five letters or more loses up to two in its variants (`kari`).
        assert!(strsim::osa_distance("karaik", "karim") > usize::from(max_distance(6)));
        assert!(fuzzy("karaik", "karim") > 0.0);
        assert_eq!(finds("Ali Karaik", "karim", Typo::Deletions), Some((0b10, fuzzy("karaik", "karim"))));
        assert_eq!(finds("Zuhair Hassan", "husayn", Typo::Automaton), None);
        // A joined pair too: `bin hamid` written as one word.
        let joined = fuzzy("binhamid", "benhammedi") * VARIANT;
        assert_eq!(finds("Mohd Bin Hamid", "benhammedi", Typo::Deletions), Some((0b110, joined)));
        assert_eq!(finds("Mohd Bin Hamid", "benhammedi", Typo::Off), None);
    }

    #[test]
    fn words_one_consonant_apart_find_each_other_by_skeleton() {
        // Three plain edits, and the vowels differ, so no two deletions on each side meet; the skeletons
        // differ by the `t` (`#nsrtl`, `#nsrl`), and yet the scorer pairs the words: a query word with
        // one consonant more finds the list word by its own skeleton one consonant shorter.
        assert!(strsim::osa_distance("nisrtalloh", "nasrallah") > usize::from(max_distance(10)));
        assert!(fuzzy("nisrtalloh", "nasrallah") > 0.0);
        let dir = tempfile::tempdir().unwrap();
        let index = build(dir.path());
        let opts = ScreenOptions { phonetic: false, ..ScreenOptions::default() };
        let found = finds(&index, "Gholamreza Nisrtalloh", "nasrallah", &opts);
        assert_eq!(found, Some((0b10, fuzzy("nisrtalloh", "nasrallah"))));
        // And the other way round: a query word with one consonant fewer (`#nsl` against `#nsrl`),
        // through the index's keys of list words' skeletons one consonant shorter.
        assert!(strsim::osa_distance("nusalloh", "nasrallah") > usize::from(max_distance(8)));
        let found = finds(&index, "Gholamreza Nusalloh", "nasrallah", &opts);
        assert_eq!(found, Some((0b10, fuzzy("nusalloh", "nasrallah"))));
    }

    #[test]
    fn two_words_joined_find_list_words_a_consonant_apart() {
        let dir = tempfile::tempdir().unwrap();
        let index = build(dir.path());
        let opts = ScreenOptions { phonetic: false, ..ScreenOptions::default() };
        // (query, its words joined, list word): `Abdul Rahman` (`#btlrmn`) against `Abderahmane`
        // (`#btrmn`), the article's `l` assimilated to the `r`, found by the joined skeleton without
        // the consonants at the seam; `Abdu Rahman` (`#btrmn`) against `Abdulrahman` (`#btlrmn`), the
        // list word a consonant longer, found through its skeleton keys one consonant shorter.
        for (query, joined, term) in
            [("Abdul Rahman", "abdulrahman", "abderahmane"), ("Abdu Rahman", "abdurahman", "abdulrahman")]
        {
            let s = fuzzy(joined, term);
            assert!(s >= ADJACENT_JOIN_FLOOR, "{joined} / {term}");
            assert_eq!(finds(&index, query, term, &opts), Some((0b11, s * VARIANT)), "{query}");
            // Only in name order: the other order is held to the higher floor of free joins.
            let (first, second) = query.split_once(' ').unwrap();
            let reversed = format!("{second}{first}").to_lowercase();
            assert!(fuzzy(&reversed, term) < FREE_JOIN_FLOOR, "{reversed} / {term}");
            assert_eq!(finds(&index, &format!("{second} {first}"), term, &opts), None, "{query} reversed");
        }
    }

    #[test]
    fn the_lookup_cache_keeps_words_apart_and_empties_in_place() {
        let made = std::cell::Cell::new(0);
        // A word's one lookup has its key's length as offset.
        let get = |cache: &mut LookupCache, key: &[u8], tokens: u32| -> Vec<(u32, u64)> {
            let mut out = Vec::new();
            let lookup =
                Lookup { tokens: 1, offset: key.len() as u64, quality: 1.0, strong: true, len: 1, generator: false };
            cache
                .get_or(key, tokens, &mut out, |store| {
                    made.set(made.get() + 1);
                    store.push(lookup);
                    Ok(())
                })
                .unwrap();
            out.iter().map(|l| (l.tokens, l.offset)).collect()
        };
        let mut cache = LookupCache::default();
        let capacities = (cache.words.capacity(), cache.ranges.capacity(), cache.store.capacity());
        assert_eq!(get(&mut cache, b"ab", 0b10), [(0b10, 2)]);
        assert_eq!(get(&mut cache, b"a", 0b1), [(0b1, 1)]);
        // Kept: made once, with the token bits of the query that asks.
        assert_eq!(get(&mut cache, b"ab", 0b100), [(0b100, 2)]);
        assert_eq!(made.get(), 2);
        // A failed make keeps nothing.
        let failed = cache.get_or(b"x", 1, &mut Vec::new(), |store| {
            store.push(Lookup { tokens: 1, offset: 99, quality: 1.0, strong: true, len: 1, generator: false });
            Err(crate::Error::InvalidInput("damaged".into()))
        });
        assert!(failed.is_err());
        assert_eq!(get(&mut cache, b"x", 1), [(1, 1)]);
        assert_eq!(made.get(), 3);
        // Full at its word budget: the next new word empties it, in place.
        for k in cache.words.len()..WORD_BUDGET {
            get(&mut cache, format!("w{k}").as_bytes(), 1);
        }
        assert_eq!(cache.words.len(), WORD_BUDGET);
        get(&mut cache, b"new", 1);
        assert_eq!((cache.words.len(), cache.ranges.len(), cache.store.len()), (1, 1, 1));
        assert_eq!(get(&mut cache, b"ab", 1), [(1, 2)]);
        assert_eq!(made.get(), 3 + WORD_BUDGET - 3 + 2);
        let now = (cache.words.capacity(), cache.ranges.capacity(), cache.store.capacity());
        assert_eq!(now, capacities, "no buffer grew or shrank");
    }

    #[test]
    fn kept_lookups_follow_the_index_and_the_options() {
        // Two indexes with different names, screened in turn on one thread with a warm lookup cache.
        let dir = tempfile::tempdir().unwrap();
        let index = build(dir.path());
        let other_dir = tempfile::tempdir().unwrap();
        let path = other_dir.path().join("o.sidx");
        let mut b = IndexBuilder::new(&path).unwrap();
        for (i, n) in ["Ali Hasan", "Kim Kyong Ok", "Husain Ali Mohamed"].iter().enumerate() {
            let names = vec![EntityName::new(n.to_string(), NameType::Primary, NameQuality::Strong)];
            b.add(&Entity { id: format!("O-{i}"), names, ..Default::default() }).unwrap();
        }
        b.finish().unwrap();
        let other = Index::open(&path).unwrap();
        let d = ScreenOptions::default();
        let no_typo = ScreenOptions { typo: Typo::Off, ..d.clone() };
        for round in 0..3 {
            for q in ["Ali Hassan", "Kim Kyong", "Husayn Ali", "Mohamed Ali Hassan"] {
                let name = analyze(q, NameKind::Unknown);
                for (ix, opts) in [(&index, &d), (&other, &d), (&index, &no_typo), (&other, &no_typo)] {
                    let got = candidates(ix, &name, opts, 0.0, opts.max_scored).unwrap();
                    assert_eq!(got, reference(ix, &name, opts, 0.0), "round {round}, {q:?}, {opts:?}");
                }
            }
        }
    }

    #[test]
    fn ordinals_are_kept_once_each_and_come_out_ascending() {
        let mut o = Ordinals::default();
        for round in 0..3u32 {
            o.clear(200);
            // Repeats, across the bit set's words, out of order; and one past the terms (corrupt).
            for x in [130, 5, 64, 5, 199, 63, 130, 0, 64, 63 + round, 7000] {
                o.push(x);
            }
            let mut want = vec![0, 5, 63, 64, 130, 199, 63 + round, 7000];
            want.sort_unstable();
            want.dedup();
            assert_eq!(o.sorted(), &want[..], "round {round}");
        }
        // Cleared, nothing is remembered.
        o.clear(200);
        o.push(130);
        assert_eq!(o.sorted(), &[130]);
    }

    #[test]
    fn a_gallop_finds_what_bisection_of_the_whole_range_finds() {
        for len in 0..40usize {
            let v: Vec<u32> = (0..len as u32).map(|i| i * 3 / 2).collect();
            for start in 0..=len {
                for key in 0..(len as u32 * 2 + 2) {
                    // From `start`, as the probe uses it: everything before `start` is below the key.
                    if v[..start].iter().any(|&x| x >= key) {
                        continue;
                    }
                    let want = v.partition_point(|&x| x < key);
                    assert_eq!(gallop(start, len, |k| v[k] < key), want, "len {len} start {start} key {key}");
                }
            }
        }
    }

    #[test]
    fn candidates_are_those_of_the_straightforward_computation() {
        let dir = tempfile::tempdir().unwrap();
        let index = build(dir.path());
        let d = ScreenOptions::default();
        let options = [
            d.clone(),
            ScreenOptions { common_postings: 40, ..d.clone() },
            ScreenOptions { common_postings: 3, margin: 0.0, ..d.clone() },
            ScreenOptions { max_scored: 3, ..d.clone() },
            ScreenOptions { typo: Typo::Off, phonetic: false, joined: false, initials: false, ..d.clone() },
        ];
        let (mut compared, mut nonempty) = (0, 0);
        for q in queries() {
            let name = analyze(&q, NameKind::Unknown);
            for opts in &options {
                for floor in [f32::NEG_INFINITY, 0.0, 30.0, 60.0] {
                    let got = candidates(&index, &name, opts, floor, opts.max_scored).unwrap();
                    let want = reference(&index, &name, opts, floor);
                    assert_eq!(got.len(), want.len(), "{q:?} {opts:?} floor {floor}");
                    for (g, w) in got.iter().zip(&want) {
                        assert!(
                            g.name == w.name && g.entity == w.entity && g.reach.to_bits() == w.reach.to_bits(),
                            "{q:?} {opts:?} floor {floor}: {g:?} != {w:?}"
                        );
                    }
                    compared += 1;
                    nonempty += usize::from(!got.is_empty());
                }
            }
        }
        assert!(compared > 1000 && nonempty > compared / 2, "{compared} {nonempty}");
    }

    #[test]
    fn the_rank_key_orders_as_reach_by_total_cmp_then_name() {
        let reaches = [f32::NEG_INFINITY, -1.0, -0.0, 0.0, f32::MIN_POSITIVE / 2.0, 0.5, 35.0, 110.0, f32::INFINITY];
        let mut all: Vec<Candidate> = Vec::new();
        for (k, &reach) in reaches.iter().chain(&[f32::NAN, -f32::NAN]).enumerate() {
            for name in [0, 7, u32::MAX] {
                all.push(Candidate { name: name ^ k as u32, entity: 0, reach, light: false });
            }
        }
        let mut by_key = all.clone();
        by_key.sort_by_key(Candidate::rank);
        let mut by_cmp = all;
        by_cmp.sort_by(|a, b| b.reach.total_cmp(&a.reach).then(a.name.cmp(&b.name)));
        let bits = |v: &[Candidate]| v.iter().map(|c| (c.name, c.reach.to_bits())).collect::<Vec<_>>();
        assert_eq!(bits(&by_key), bits(&by_cmp));
        assert!(by_key[0].reach.is_nan() && by_key[3].reach == f32::INFINITY);
    }

    #[test]
    fn an_exact_name_comes_first_at_the_full_estimate() {
        let dir = tempfile::tempdir().unwrap();
        let index = build(dir.path());
        let opts = ScreenOptions::default();
        let got = candidates(&index, &analyze("Kim Kyong Ok", NameKind::Person), &opts, 40.0, opts.max_scored).unwrap();
        let first = got.first().unwrap();
        assert!((first.reach - (100.0 + opts.margin)).abs() < 1e-4, "{first:?}");
        assert_eq!(index.name_record(first.name).unwrap().name.original, "KIM KYONG OK");
        assert_eq!(index.name_record(first.name).unwrap().entity, first.entity);
        // Best reach first, ties by name number, all at or above the floor.
        assert!(got.windows(2).all(|w| w[0].reach > w[1].reach || (w[0].reach == w[1].reach && w[0].name < w[1].name)));
        assert!(got.iter().all(|c| c.reach >= 40.0));
        // The trading company (it scores 67.2) and the other Kim Kyong (61.2) follow the longer form of
        // the name, in that order.
        let originals: Vec<String> =
            got.iter().take(4).map(|c| index.name_record(c.name).unwrap().name.original).collect();
        assert_eq!(originals[2..], ["Kyong Ok Trading LLC", "Kim Kyong Il"], "{originals:?}");
    }
}
