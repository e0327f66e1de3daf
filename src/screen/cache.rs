//! What screening keeps from query to query: a query name's work (its candidates, the name scores
//! computed so far), and per thread the entities met (a brief of what the qualifiers weigh, and what a
//! hit shows of each). A [`NameCache`] holds them for one caller; the [`NameCaches`] of a rayon pool
//! share their names between the pool's threads.

use super::{entry_facts, floor_of, not_json, screen_work, Best, Raw, RawRecord, ScreenResult, ValidQuery};
use crate::index::candidates::{Candidate, IdMap};
use crate::index::format::{Facts, NameRecord};
use crate::index::{Index, ScreenOptions};
use crate::model::{DateValue, EntityKind, Gender, PartialDate, Publisher};
use crate::score::entity::{qualifier_points, EntryFactsOf};
use crate::text::NameKind;
use crate::Result;
use serde_json::value::RawValue;
use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// Name-level screening work kept for queries that repeat a name: when a customer base is screened in
/// bulk, customers share names (`Siti Aminah`, `Budi Santoso`), and the candidates of a name and the
/// name scores do not depend on who carries it. Each cached name keeps its candidate names and the
/// scores computed so far (in candidate order; a later query may need more of them). Only the
/// qualifiers, the entity bookkeeping and the hits are done again per query, so results are exactly
/// those of screening without the cache.
///
/// A cache follows one index and one set of options: used with another, it starts over. It holds at
/// most [`NameCache::DEFAULT_BUDGET`] candidate names (20 bytes each, with their scores) and is emptied
/// when full. The caches of [`NameCaches`] share their names between threads.
#[derive(Debug)]
pub struct NameCache {
    owner: Option<(u64, ScreenOptions)>,
    names: Names,
    /// Entities' briefs and what their hits show (queries that share a name meet the same entities,
    /// whoever carries it).
    entities: EntitySlots,
}

/// A query name as the name cache knows it: its text and its kind.
type NameKey = (String, NameKind);

/// Where a [`NameCache`] keeps its names: its own store, or one shared by the threads of a pool.
#[derive(Debug)]
enum Names {
    Own(NameStore),
    Shared(Arc<SharedNames>),
}

/// Query names' work, held up to a budget of candidate names, for one index and one set of options.
#[derive(Debug, Default)]
struct NameStore {
    owner: Option<(u64, ScreenOptions)>,
    names: HashMap<NameKey, NameWork>,
    held: usize,
    budget: usize,
}

impl NameStore {
    fn with_budget(budget: usize) -> NameStore {
        NameStore { budget, ..Default::default() }
    }

    /// The work of `key`, taken out (`None` if not held); everything is forgotten first if the store
    /// followed another index or other options.
    fn take(&mut self, index: &Index, options: &ScreenOptions, key: &NameKey) -> Option<NameWork> {
        if follow(&mut self.owner, index, options) {
            self.names.clear();
            self.held = 0;
        }
        let work = self.names.remove(key)?;
        self.held -= work.candidates.len();
        Some(work)
    }

    /// Keeps `work` under `key` (emptied first when it would exceed the budget; nothing kept with a
    /// budget of 0).
    fn put(&mut self, key: NameKey, work: NameWork) {
        if self.budget == 0 {
            return;
        }
        let size = work.candidates.len();
        if self.held + size > self.budget {
            self.names.clear();
            self.held = 0;
        }
        self.held += size;
        if let Some(replaced) = self.names.insert(key, work) {
            self.held -= replaced.candidates.len();
        }
    }
}

/// Makes `owner` the index and options given; whether it was another (what was kept for it is then
/// to be forgotten).
fn follow(owner: &mut Option<(u64, ScreenOptions)>, index: &Index, options: &ScreenOptions) -> bool {
    if owner.as_ref().is_some_and(|(i, o)| *i == index.instance && o == options) {
        return false;
    }
    *owner = Some((index.instance, options.clone()));
    true
}

/// Name stores shared by the threads of a pool, each name in one shard (by its hash), so that the
/// threads do not screen a name once each. A name in use is out of its shard; a thread that meets it
/// then works it out again, and the two are put back one after the other.
#[derive(Debug)]
struct SharedNames(Vec<Mutex<NameStore>>);

/// Shards of [`SharedNames`]: enough that threads seldom wait for one another.
const NAME_SHARDS: usize = 64;

impl SharedNames {
    fn shard(&self, key: &NameKey) -> &Mutex<NameStore> {
        use std::hash::BuildHasher;
        let hash = std::hash::BuildHasherDefault::<std::collections::hash_map::DefaultHasher>::default().hash_one(key);
        &self.0[hash as usize % self.0.len()]
    }
}

impl Names {
    fn take(&mut self, index: &Index, options: &ScreenOptions, key: &NameKey) -> Option<NameWork> {
        match self {
            Names::Own(store) => store.take(index, options, key),
            Names::Shared(shared) => lock(shared.shard(key)).take(index, options, key),
        }
    }

    fn put(&mut self, key: NameKey, work: NameWork) {
        match self {
            Names::Own(store) => store.put(key, work),
            Names::Shared(shared) => lock(shared.shard(&key)).put(key, work),
        }
    }

    fn len(&self) -> usize {
        match self {
            Names::Own(store) => store.names.len(),
            Names::Shared(shared) => shared.0.iter().map(|s| lock(s).names.len()).sum(),
        }
    }
}

/// Locks a mutex, whether or not another thread panicked holding it: a cache's entries are complete
/// whenever it is unlocked.
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Entities whose [`Brief`] a [`NameCache`] keeps (64 bytes each; all the bundled lists' entities).
const BRIEF_SLOTS: usize = 16384;

/// Entities whose [`HitParts`] a [`NameCache`] keeps (about 3 KB each on the bundled lists, mostly the
/// raw record).
const HIT_SLOTS: usize = 4096;

/// What screening keeps of the entities it met, one slot per entity number modulo the slots' count:
/// briefs of their facts, and what their hits show (none kept when the vectors are empty).
#[derive(Debug, Default)]
pub(super) struct EntitySlots {
    briefs: Vec<Brief>,
    hits: Vec<Option<(u32, Arc<HitParts>)>>,
    /// A query's entities: their best names and qualifier points (kept for their allocations).
    pub(super) maps: (IdMap<Best>, IdMap<Option<f64>>),
    /// The record names are decoded into (kept for its tokens' allocations).
    pub(super) record: Option<NameRecord>,
}

/// What a hit shows of its entity: decoded once and shared by the hits on the entity in bulk screening.
#[derive(Debug, Clone)]
pub(super) struct HitParts {
    pub(super) facts: Facts,
    pub(super) names: Vec<String>,
    pub(super) dates_of_birth: Vec<PartialDate>,
    pub(super) record: RawRecord,
}

/// A country code in two bytes.
#[derive(Debug, Clone, Copy, Default)]
struct Country([u8; 2]);

impl AsRef<str> for Country {
    fn as_ref(&self) -> &str {
        std::str::from_utf8(&self.0).unwrap_or_default()
    }
}

/// Dates and countries a [`Brief`] holds; an entity with more is weighed from its decoded facts.
const BRIEF_DATES: usize = 3;
const BRIEF_COUNTRIES: usize = 6;

/// What screening weighs of an entity for every candidate name (its publisher and the qualifiers'
/// facts), in one cache line: decoded facts, with their strings on the heap, cost several cache
/// misses a candidate once the entities met outgrow the processor's caches.
#[derive(Debug, Clone, Copy)]
#[repr(align(64))]
struct Brief {
    /// Entity number (`u32::MAX`: none).
    entity: u32,
    publisher: Option<Publisher>,
    kind: EntityKind,
    gender: Option<Gender>,
    date_count: u8,
    dates: [DateValue; BRIEF_DATES],
    /// Nationalities, then address countries.
    countries: [Country; BRIEF_COUNTRIES],
    nationality_count: u8,
    country_count: u8,
}

// One cache line.
const _: () = assert!(std::mem::size_of::<Brief>() == 64);

impl Brief {
    const NONE: Brief = Brief {
        entity: u32::MAX,
        publisher: None,
        kind: EntityKind::Individual,
        gender: None,
        date_count: 0,
        dates: [DateValue { y: 0, m: 0, d: 0, approximate: false, to: None }; BRIEF_DATES],
        countries: [Country([0; 2]); BRIEF_COUNTRIES],
        nationality_count: 0,
        country_count: 0,
    };

    /// The brief of entity `entity` whose facts are `f`, if they fit.
    fn of(entity: u32, f: &Facts) -> Option<Brief> {
        let mut b = Brief { entity, publisher: f.publisher, kind: f.kind, gender: f.gender, ..Brief::NONE };
        b.dates.get_mut(..f.dates.len())?.copy_from_slice(&f.dates);
        let listed = f.nationalities.iter().chain(&f.address_countries);
        let slots = b.countries.get_mut(..f.nationalities.len() + f.address_countries.len())?;
        for (slot, c) in slots.iter_mut().zip(listed) {
            // Only two ASCII bytes read back as the same `str`.
            *slot = Country(c.as_bytes().try_into().ok().filter(|c: &[u8; 2]| c.is_ascii())?);
        }
        b.date_count = f.dates.len() as u8;
        b.nationality_count = f.nationalities.len() as u8;
        b.country_count = slots.len() as u8;
        Some(b)
    }

    fn entry(&self) -> EntryFactsOf<'_, Country> {
        let (nationalities, rest) = self.countries.split_at(usize::from(self.nationality_count));
        EntryFactsOf {
            kind: self.kind,
            gender: self.gender,
            dates: &self.dates[..usize::from(self.date_count)],
            nationalities,
            address_countries: &rest[..usize::from(self.country_count - self.nationality_count)],
        }
    }
}

/// The qualifier points of an entity whose publisher is `publisher` and whose facts are `entry`, or
/// `None` when the query leaves its publisher out.
fn weigh<C: AsRef<str>>(q: &ValidQuery, publisher: Option<Publisher>, entry: &EntryFactsOf<C>) -> Option<f64> {
    let keep = q.publishers.is_empty() || publisher.is_some_and(|p| q.publishers.contains(&p));
    keep.then(|| qualifier_points(&q.facts, entry))
}

thread_local! {
    /// The entity briefs of single queries on this thread, and the index they are of.
    static SINGLE: RefCell<(Option<u64>, EntitySlots)> = RefCell::new((None, EntitySlots::default()));
}

/// Runs `f` with slots for one query on `index`: this thread's briefs, kept from query to query on the
/// same index (a query meets a hundred entities or more, and the next query many of the same), and no
/// hit slots (a single query's hits are decoded afresh, not kept).
pub(super) fn with_single_slots<R>(index: &Index, f: impl FnOnce(&mut EntitySlots) -> R) -> R {
    SINGLE.with(|cell| match cell.try_borrow_mut() {
        Ok(mut single) => {
            let (owner, slots) = &mut *single;
            if *owner != Some(index.instance) {
                *owner = Some(index.instance);
                slots.reset_briefs();
            }
            f(slots)
        }
        // A query screened while another is on this thread: slots of its own.
        Err(_) => f(&mut EntitySlots::default()),
    })
}

impl EntitySlots {
    /// Empty slots, `BRIEF_SLOTS` and `HIT_SLOTS` of them.
    fn reset(&mut self) {
        self.reset_briefs();
        self.hits.clear();
        self.hits.resize_with(HIT_SLOTS, || None);
    }

    /// Empty brief slots, `BRIEF_SLOTS` of them.
    fn reset_briefs(&mut self) {
        self.briefs.clear();
        self.briefs.resize(BRIEF_SLOTS, Brief::NONE);
    }

    /// The qualifier points of `entity` for `q` (`None`: publisher left out), from its brief (one slot
    /// per entity number modulo their number; made there when another entity held it), or from its
    /// facts decoded into `scratch` (no slots, or facts too many for a brief).
    pub(super) fn points(
        &mut self,
        index: &Index,
        q: &ValidQuery,
        entity: u32,
        scratch: &mut Facts,
    ) -> Result<Option<f64>> {
        let n = self.briefs.len();
        if let Some(slot) = self.briefs.get_mut(entity as usize % n.max(1)) {
            if slot.entity == entity {
                return Ok(weigh(q, slot.publisher, &slot.entry()));
            }
            index.facts_into(entity, scratch)?;
            if let Some(brief) = Brief::of(entity, scratch) {
                *slot = brief;
                return Ok(weigh(q, slot.publisher, &slot.entry()));
            }
        } else {
            index.facts_into(entity, scratch)?;
        }
        Ok(weigh(q, scratch.publisher, &entry_facts(scratch)))
    }

    /// What a hit on `entity` shows of it: decoded afresh, the raw record unchecked, without slots;
    /// else decoded once, the raw record checked, and shared from the entity's slot.
    pub(super) fn hit_parts(&mut self, index: &Index, entity: u32) -> Result<Arc<HitParts>> {
        let n = self.hits.len();
        let slot = self.hits.get_mut(entity as usize % n.max(1));
        if let Some(Some((held, parts))) = &slot {
            if *held == entity {
                return Ok(parts.clone());
            }
        }
        let e = index.hit_record(entity)?;
        let record = match slot {
            None => RawRecord::unchecked(e.raw.into()),
            Some(_) => checked_record(index, entity, e.raw)?,
        };
        let parts = Arc::new(HitParts {
            facts: index.facts(entity)?,
            names: e.names,
            dates_of_birth: e.dates_of_birth,
            record,
        });
        if let Some(slot) = slot {
            *slot = Some((entity, parts.clone()));
        }
        Ok(parts)
    }
}

/// The raw record `text` of `entity`, checked to be JSON (a damaged one is the index's error).
fn checked_record(index: &Index, entity: u32, text: &str) -> Result<RawRecord> {
    let json = RawValue::from_string(text.to_owned())
        .map_err(|e| index.corrupt(format!("entity {entity}: {}", not_json(&e))))?;
    Ok(RawRecord(Raw::Json(json.into())))
}

/// One [`NameCache`] per worker thread of the current rayon pool, for screening many queries in
/// parallel (`saring rescreen`, batch `saring screen --queries`): each worker locks only its own, and
/// their names are shared (a name met on one thread is not screened again on another).
#[derive(Debug)]
pub struct NameCaches(Vec<Mutex<NameCache>>);

impl NameCaches {
    /// Caches for the threads of the current rayon pool, holding `budget` candidate names for each
    /// thread between them. With a budget of 0 no name is kept, but each thread still keeps what it
    /// met of the entities (their briefs and hit parts).
    ///
    /// ```
    /// use saring::screen::{NameCaches, Query};
    /// # let dir = tempfile::tempdir().unwrap();
    /// # let path = dir.path().join("un.sidx");
    /// # let un = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/lists/un_consolidated_2026-02-27.xml");
    /// # saring::index::build_from_lists(&[un], &path).unwrap();
    /// let index = saring::index::Index::open(&path).unwrap();
    /// for budget in [1000, 0] {
    ///     let caches = NameCaches::for_current_pool(budget);
    ///     let hits = caches.with(|cache| index.screen_cached(&Query::name("Kim Kyong Ok"), cache).unwrap());
    ///     assert_eq!(hits.results[0].id, "UN-KPi.045");
    ///     assert_eq!(caches.with(|cache| cache.len()), if budget > 0 { 1 } else { 0 });
    /// }
    /// ```
    pub fn for_current_pool(budget: usize) -> NameCaches {
        let workers = rayon::current_num_threads().max(1);
        let shard_budget = budget.saturating_mul(workers) / NAME_SHARDS;
        let shared =
            Arc::new(SharedNames((0..NAME_SHARDS).map(|_| Mutex::new(NameStore::with_budget(shard_budget))).collect()));
        NameCaches(
            (0..workers)
                .map(|_| Mutex::new(NameCache { names: Names::Shared(shared.clone()), ..NameCache::with_budget(0) }))
                .collect(),
        )
    }

    /// Calls `f` with the calling worker's cache.
    pub fn with<R>(&self, f: impl FnOnce(&mut NameCache) -> R) -> R {
        // Never empty: `for_current_pool` makes one cache a worker, and a pool has one worker at least.
        let slot = rayon::current_thread_index().unwrap_or(0) % self.0.len();
        f(&mut lock(&self.0[slot]))
    }
}

impl Default for NameCache {
    fn default() -> Self {
        NameCache::with_budget(NameCache::DEFAULT_BUDGET)
    }
}

impl NameCache {
    /// Candidate names held by default: about 40 MB (20 bytes each).
    pub const DEFAULT_BUDGET: usize = 2_000_000;

    /// A cache holding at most `budget` candidate names.
    pub fn with_budget(budget: usize) -> NameCache {
        NameCache { owner: None, names: Names::Own(NameStore::with_budget(budget)), entities: EntitySlots::default() }
    }

    /// Number of query names held.
    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// Whether no query name is held.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The name-level work of one query name: its candidates down to a floor (at most a cap of them) and,
/// in candidate order, the name scores computed so far.
#[derive(Debug)]
pub(super) struct NameWork {
    pub(super) floor: f32,
    pub(super) cap: usize,
    pub(super) candidates: Vec<Candidate>,
    pub(super) scores: Vec<Option<NameScore>>,
}

/// A candidate name's score against the query name, and what the entity score needs of the name, in
/// four bytes (name scores are whole tenths: [`score_names`](crate::score::score_names)).
#[derive(Debug, Clone, Copy)]
pub(super) struct NameScore {
    pub(super) tenths: u16,
    pub(super) weak: bool,
    pub(super) kind: NameKind,
}

impl NameScore {
    pub(super) fn new(score: f64, weak: bool, kind: NameKind) -> NameScore {
        NameScore { tenths: (score * 10.0).round() as u16, weak, kind }
    }

    /// The score, bit for bit as the scorer gave it.
    pub(super) fn score(self) -> f64 {
        f64::from(self.tenths) / 10.0
    }
}

impl NameWork {
    pub(super) fn new(index: &Index, q: &ValidQuery, options: &ScreenOptions, floor: f32) -> Result<NameWork> {
        let mut work = NameWork { floor: f32::INFINITY, cap: 0, candidates: Vec::new(), scores: Vec::new() };
        work.lower(index, q, options, floor)?;
        Ok(work)
    }

    /// Takes the candidates down to `floor`, and up to the query's cap of names scored, if they stop
    /// above the one or short of the other. The candidates down to a floor are those down to a higher
    /// one followed by the rest (best reach first), and a longer cap only adds to the end, so the
    /// scores computed so far keep their places.
    fn lower(&mut self, index: &Index, q: &ValidQuery, options: &ScreenOptions, floor: f32) -> Result<()> {
        let cap = options.scored_cap(q.limit);
        if floor < self.floor || cap > self.cap {
            let (floor, cap) = (floor.min(self.floor), cap.max(self.cap));
            let candidates = crate::index::candidates::candidates(index, &q.name, options, floor, cap)?;
            debug_assert!(candidates.iter().zip(&self.candidates).all(|(a, b)| a.name == b.name));
            self.scores.resize(candidates.len(), None);
            self.candidates = candidates;
            self.floor = floor;
            self.cap = cap;
        }
        Ok(())
    }
}

/// [`screen_valid`] with the name-level work taken from, or kept in, `cache`.
pub(crate) fn screen_valid_cached(
    index: &Index,
    q: &ValidQuery,
    options: &ScreenOptions,
    cache: &mut NameCache,
) -> Result<ScreenResult> {
    if follow(&mut cache.owner, index, options) {
        cache.entities.reset();
    }
    // One entry serves every query carrying the name, whatever its qualifiers and threshold: the
    // candidates are taken down to the lowest floor a query has needed. A query's own candidates are a
    // prefix of those (best reach first), and its scoring stops at the end of that prefix.
    let floor = floor_of(q);
    let key = (q.name_text.clone(), q.kind);
    // Taken out while the query uses it, and put back with the name scores it added.
    let mut work = match cache.names.take(index, options, &key) {
        Some(mut work) => {
            work.lower(index, q, options, floor)?;
            work
        }
        None => NameWork::new(index, q, options, floor)?,
    };
    let result = screen_work(index, q, options, &mut work, &mut cache.entities);
    cache.names.put(key, work);
    result
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::NameQuality;
    use crate::screen::Query;
    use crate::Error;

    #[test]
    fn a_cached_name_score_is_the_scorers_bit_for_bit() {
        // Name scores are rounded to tenths: `((x * 10).round() / 10).clamp(0, 100)`.
        for k in 0..=100_000u32 {
            let x = f64::from(k) / 1000.0 + 0.000_3;
            let s = ((x * 10.0).round() / 10.0).clamp(0.0, 100.0);
            let cached = NameScore::new(s, false, NameKind::Person);
            assert_eq!(cached.score().to_bits(), s.to_bits(), "{x} → {s}");
        }
    }

    #[test]
    fn bulk_screening_decodes_what_a_hit_shows_of_an_entity_once_and_shares_it() {
        use crate::model::{EntityName, NameType};
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.sidx");
        let mut b = crate::index::IndexBuilder::new(&path).unwrap();
        let name = EntityName::new("Kim Kyong Ok".to_string(), NameType::Primary, NameQuality::Strong);
        let e = crate::Entity { id: "R-1".into(), names: vec![name], ..Default::default() };
        b.add(&e).unwrap();
        b.finish().unwrap();
        let index = Index::open(&path).unwrap();
        // Without slots (a single query): decoded afresh, the text unchecked.
        let mut kept = EntitySlots::default();
        let alone = kept.hit_parts(&index, 0).unwrap();
        assert!(matches!(alone.record.0, Raw::Text(_)));
        assert!(!Arc::ptr_eq(&alone, &kept.hit_parts(&index, 0).unwrap()));
        // With slots: decoded and checked once, then shared.
        kept.reset();
        let first = kept.hit_parts(&index, 0).unwrap();
        let again = kept.hit_parts(&index, 0).unwrap();
        assert!(Arc::ptr_eq(&first, &again));
        assert!(matches!(first.record.0, Raw::Json(_)));
        assert_eq!(first.record.get(), alone.record.get());
        assert_eq!((&first.names, &first.facts), (&vec!["Kim Kyong Ok".to_string()], &index.facts(0).unwrap()));
        // A damaged record is the index's error.
        let err = checked_record(&index, 0, "{bad").unwrap_err();
        assert!(matches!(err, Error::IndexCorrupt { .. }), "{err}");
        assert!(err.to_string().contains("saring index verify"), "{err}");
    }

    #[test]
    fn an_entitys_brief_weighs_it_as_its_facts_do() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("un.sidx");
        let lists = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/lists");
        crate::index::build_from_lists(
            &[lists.join("un_consolidated_2026-02-27.xml"), lists.join("uk_sanctions_list_excerpt_2026-08-14.xml")],
            &path,
        )
        .unwrap();
        let index = Index::open(&path).unwrap();
        let mut queries = Vec::new();
        for (k, dob) in [None, Some("1960"), Some("1975-06"), Some("1962-03-10"), Some("1958")].iter().enumerate() {
            for (j, country) in [None, Some("KP"), Some("IQ"), Some("GB"), Some("AF")].iter().enumerate() {
                let q = Query {
                    date_of_birth: dob.map(String::from),
                    nationality: country.map(String::from),
                    gender: (k == j).then(|| "female".to_string()),
                    publishers: if k + j == 3 { vec![Publisher::Unscr] } else { vec![] },
                    ..Query::name("x")
                };
                queries.push(q.validate().unwrap());
                let entity = Query { business_name: Some("x".into()), ..q.clone() };
                queries.push(Query { name: None, ..entity }.validate().unwrap());
            }
        }
        let mut facts = Facts::default();
        let (mut briefed, mut weighed) = (0, 0);
        for entity in 0..index.entity_count() as u32 {
            index.facts_into(entity, &mut facts).unwrap();
            let Some(brief) = Brief::of(entity, &facts) else { continue };
            briefed += 1;
            for q in &queries {
                let want = weigh(q, facts.publisher, &entry_facts(&facts));
                assert_eq!(weigh(q, brief.publisher, &brief.entry()), want, "{entity} {facts:?} {:?}", q.facts);
                weighed += usize::from(want.is_some_and(|p| p != 0.0));
            }
        }
        // Most entities fit a brief, and the queries weigh many of them.
        assert!(briefed * 10 > index.entity_count() * 9, "{briefed} of {}", index.entity_count());
        assert!(weighed > 10_000, "{weighed}");
        // What does not fit is weighed from the decoded facts.
        let date = DateValue { y: 1960, m: 0, d: 0, approximate: false, to: None };
        let codes = |n: usize| vec!["KP".to_string(); n];
        assert!(Brief::of(0, &Facts { dates: vec![date; BRIEF_DATES + 1], ..Default::default() }).is_none());
        let (nationalities, address_countries) = (codes(3), codes(BRIEF_COUNTRIES - 2));
        assert!(Brief::of(0, &Facts { nationalities, address_countries, ..Default::default() }).is_none());
        assert!(Brief::of(0, &Facts { nationalities: vec!["É".into()], ..Default::default() }).is_none());
        let (dates, address_countries) = (vec![date; BRIEF_DATES], codes(BRIEF_COUNTRIES - 1));
        let full = Facts { dates, nationalities: codes(1), address_countries, ..Default::default() };
        assert_eq!(Brief::of(7, &full).unwrap().entry().address_countries.len(), BRIEF_COUNTRIES - 1);
    }

    #[test]
    fn a_cached_candidate_name_takes_the_bytes_the_docs_say() {
        // `NameCache`, `--name-cache` and the README give 20 bytes a candidate name.
        assert_eq!(std::mem::size_of::<Candidate>() + std::mem::size_of::<Option<NameScore>>(), 20);
    }
}
