//! Screening: a [`Query`] (Iluma CFT-shaped fields) against an index becomes a list of [`Hit`]s.
//!
//! The query is validated ([`Query::validate`]: a name, well-formed dates, ISO country codes, sane
//! thresholds) and its name analysed once. The index proposes candidate names with an estimated score
//! ([`Index::screen`](crate::index::Index::screen), `index/candidates.rs`); they are scored with
//! [`score_names`](crate::score_names) best estimate first, grouped by entity (the best name wins; weak
//! aliases are discounted) with the entity qualifiers applied ([`score::entity`](crate::score::entity)),
//! until no later candidate can reach the results. The hits are sorted by score (then id), cut at
//! `score_threshold` and `limit`, and filled with the explanation and the raw record.

use crate::index::candidates::{Candidate, IdMap};
use crate::index::format::{Facts, NameRecord};
use crate::index::{Index, ScreenOptions};
use crate::model::{DateValue, EntityKind, Gender, NameQuality, PartialDate, Publisher};
use crate::score::entity::{
    qualified, qualifier_points, score_entity, EntryFacts, EntryFactsOf, QueryFacts, COUNTRY_SAME, DOB_PARTIAL,
    DOB_SAME,
};
use crate::score::{
    compare_names, score_names_memo, CompareOptions, Decision, EditMemo, Explanation, Similarity, Thresholds,
};
use crate::text::{analyze, Name, NameKind};
use crate::{Error, Result};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// A screening query; field names follow Iluma's CFT API.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Query {
    /// Person: given name (required for a person query).
    pub given_name: Option<String>,
    /// Person: middle name.
    pub middle_name: Option<String>,
    /// Person: surname.
    pub surname: Option<String>,
    /// Entity: business name.
    pub business_name: Option<String>,
    /// A plain name of unknown kind.
    pub name: Option<String>,
    /// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    pub date_of_birth: Option<String>,
    /// ISO alpha-2.
    pub nationality: Option<String>,
    /// Entity: ISO alpha-2 country of domicile.
    pub business_domicile: Option<String>,
    /// Entity: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    pub date_of_registration: Option<String>,
    /// Free-text addresses.
    pub addresses: Vec<String>,
    /// Restrict to these publishers (default all).
    pub publishers: Vec<Publisher>,
    /// Drop hits below this score (default: the lower threshold).
    pub score_threshold: Option<f64>,
    /// At most this many hits.
    pub limit: Option<usize>,
    /// MATCH threshold (default 80).
    pub upper_threshold: Option<f64>,
    /// NOT_MATCH threshold (default 40).
    pub lower_threshold: Option<f64>,
    /// Person: `male` or `female` (`m` / `f` accepted).
    pub gender: Option<String>,
}

/// How each qualifier (date of birth, nationality, kind, gender) moved a hit's score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Qualifier {
    /// `date_of_birth`, `nationality`, `kind`, `gender`, `weak_alias`.
    pub name: String,
    /// Points added (negative: removed).
    pub points: f64,
    /// Why.
    pub reason: String,
}

/// Why a hit scored what it did.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct HitExplanation {
    /// Name score before qualifiers.
    pub name_score: f64,
    /// Query name ↔ list name token alignment.
    pub name: Explanation,
    /// Qualifiers and their effect in points.
    pub qualifiers: Vec<Qualifier>,
}

/// One screening hit; the shape mirrors Iluma's CFT `results[]` and adds saring's fields.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hit {
    /// Entity id.
    pub id: String,
    /// Publisher.
    pub publisher: Publisher,
    /// Sub-list / programme.
    pub list: String,
    /// Person, entity, vessel, aircraft.
    pub kind: EntityKind,
    /// All names of the entity.
    pub names: Vec<String>,
    /// The name that matched best.
    pub matched_name: String,
    /// 0–100.
    pub score: f64,
    /// MATCH / UNCLEAR / NOT_MATCH.
    pub decision: Decision,
    /// ISO alpha-2.
    pub nationalities: Vec<String>,
    /// `{y, m, d}` with 0 for unknown parts.
    pub dates_of_birth: Vec<PartialDate>,
    /// The raw source record, passed through unparsed (see [`RawRecord`]).
    pub record_data: RawRecord,
    /// Content hash of the entity (changes when the publisher changes the record).
    pub entity_hash: String,
    /// Token alignment and qualifier effects.
    pub explanation: HitExplanation,
}

/// A JSON record kept as its text: hits pass the publisher's record through without building a tree
/// of it (most callers only write it out again). [`value`](RawRecord::value) parses it on demand.
///
/// A hit's record is the text the index builder wrote (`serde_json` output, which
/// [`Index::verify`](crate::index::Index::verify) checks is JSON). A single query's hit checks it is one
/// JSON value when it is serialised, not when the hit is made: screening does not pay for the check of a
/// record nobody writes out, and a damaged index still never produces invalid JSON (serialising fails
/// instead). Bulk screening ([`NameCaches`]) checks each entity's record once and shares it between
/// the hits on that entity.
///
/// ```
/// use saring::screen::RawRecord;
/// let r = RawRecord::from(serde_json::json!({"uid": "7024"}));
/// assert_eq!(r.value()["uid"], "7024");
/// assert_eq!(serde_json::to_string(&r).unwrap(), r#"{"uid":"7024"}"#);
/// assert_eq!(RawRecord::default().get(), "null");
/// let back: RawRecord = serde_json::from_str(r#" {"uid": "7024"} "#).unwrap();
/// assert_eq!(back.get(), r#"{"uid": "7024"}"#);
/// ```
#[derive(Debug, Clone)]
pub struct RawRecord(Raw);

#[derive(Debug, Clone)]
enum Raw {
    /// Text not checked yet.
    Text(Box<str>),
    /// Checked to be one JSON value (shared between hits on one entity).
    Json(Arc<RawValue>),
}

impl RawRecord {
    /// A record from the text of one JSON value, not checked until it is serialised.
    pub(crate) fn unchecked(text: Box<str>) -> RawRecord {
        RawRecord(Raw::Text(text))
    }

    /// The record parsed (`null` if the text is not JSON).
    pub fn value(&self) -> serde_json::Value {
        serde_json::from_str(self.get()).unwrap_or(serde_json::Value::Null)
    }

    /// The record's JSON text.
    pub fn get(&self) -> &str {
        match &self.0 {
            Raw::Text(t) => t,
            Raw::Json(j) => j.get(),
        }
    }
}

impl Default for RawRecord {
    fn default() -> Self {
        RawRecord(Raw::Text("null".into()))
    }
}

impl PartialEq for RawRecord {
    fn eq(&self, other: &Self) -> bool {
        self.get() == other.get()
    }
}

impl Serialize for RawRecord {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        match &self.0 {
            Raw::Json(j) => j.serialize(serializer),
            Raw::Text(t) => {
                // Borrowed: the check reads the text without copying it.
                let raw: &RawValue = serde_json::from_str(t).map_err(|e| serde::ser::Error::custom(not_json(&e)))?;
                raw.serialize(serializer)
            }
        }
    }
}

/// The error of a hit's raw record that is not JSON.
fn not_json(e: &serde_json::Error) -> String {
    format!("a hit's raw record is not JSON ({e}); the index may be damaged: run `saring index verify`")
}

impl<'de> Deserialize<'de> for RawRecord {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        Box::<RawValue>::deserialize(deserializer).map(|raw| RawRecord(Raw::Json(raw.into())))
    }
}

impl From<serde_json::Value> for RawRecord {
    fn from(v: serde_json::Value) -> Self {
        RawRecord::from(&v)
    }
}

impl From<&serde_json::Value> for RawRecord {
    fn from(v: &serde_json::Value) -> Self {
        RawRecord(Raw::Text(v.to_string().into()))
    }
}

impl std::fmt::Display for RawRecord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.get())
    }
}

/// The answer to one query.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ScreenResult {
    /// Hits, best first.
    pub results: Vec<Hit>,
}

/// Hits returned when the query sets no `limit`.
pub const DEFAULT_LIMIT: usize = 10;

/// ISO 3166-1 alpha-2 codes (plus `XK`, Kosovo, as used by several lists).
const ISO_ALPHA2: &str = "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ \
BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET \
FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR \
IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN \
MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY \
QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR \
TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS XK YE YT ZA ZM ZW";

/// Checks an ISO 3166-1 alpha-2 code (case-insensitive; `UK` is read as `GB`) and returns it upper-case.
///
/// ```
/// use saring::screen::country_code;
/// assert_eq!(country_code("sg").unwrap(), "SG");
/// assert_eq!(country_code("UK").unwrap(), "GB");
/// assert!(country_code("Singapore").is_err());
/// assert!(country_code("QQ").is_err());
/// ```
pub fn country_code(raw: &str) -> Result<String> {
    let up = raw.trim().to_ascii_uppercase();
    let up = if up == "UK" { "GB".to_string() } else { up };
    if is_iso_alpha2(&up) {
        Ok(up)
    } else {
        Err(Error::InvalidInput(format!("{raw:?} is not an ISO 3166-1 alpha-2 country code (e.g. ID, SG, US)")))
    }
}

/// Whether `code` is an upper-case ISO 3166-1 alpha-2 code (or `XK`).
pub(crate) fn is_iso_alpha2(code: &str) -> bool {
    code.len() == 2 && code.bytes().all(|b| b.is_ascii_uppercase()) && ISO_ALPHA2.split(' ').any(|c| c == code)
}

/// A query after validation: what screening runs on.
#[derive(Debug, Clone)]
pub struct ValidQuery {
    /// The name as one string.
    pub name_text: String,
    /// The analysed name.
    pub name: Name,
    /// Person, entity, or unknown (plain `name`).
    pub kind: NameKind,
    /// Date, country and gender for the qualifiers.
    pub facts: QueryFacts,
    /// Publishers to keep (empty: all).
    pub publishers: Vec<Publisher>,
    /// Decision thresholds.
    pub thresholds: Thresholds,
    /// Hits below this score are dropped.
    pub score_threshold: f64,
    /// At most this many hits.
    pub limit: usize,
}

fn present(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

impl Query {
    /// A plain-name query.
    pub fn name(name: impl Into<String>) -> Query {
        Query { name: Some(name.into()), ..Default::default() }
    }

    /// Checks the query and analyses its name.
    ///
    /// Errors ([`Error::InvalidInput`]): no name (or a name without letters or digits); a middle name or
    /// surname without a given name; both person and business fields; a malformed date; a country that is
    /// not ISO alpha-2; thresholds outside 0–100 or lower above upper; a limit of 0; an unknown gender.
    ///
    /// ```
    /// use saring::screen::Query;
    /// let q = Query { given_name: Some("Kim Kyong".into()), surname: Some("Ok".into()), ..Default::default() };
    /// assert_eq!(q.validate().unwrap().name_text, "Kim Kyong Ok");
    /// assert!(Query { date_of_birth: Some("1975-13".into()), ..Query::name("X") }.validate().is_err());
    /// assert!(Query::default().validate().is_err());
    /// ```
    pub fn validate(&self) -> Result<ValidQuery> {
        let bad = |m: String| Err(Error::InvalidInput(m));
        let person = [present(&self.given_name), present(&self.middle_name), present(&self.surname)];
        let business = present(&self.business_name);
        let plain = present(&self.name);
        let (name_text, kind) = if person.iter().any(Option::is_some) {
            if person[0].is_none() {
                return bad("given_name is required for a person query (middle_name/surname alone are not)".into());
            }
            if business.is_some() {
                return bad(
                    "a query is either a person (given_name, ...) or an entity (business_name), not both".into()
                );
            }
            (person.iter().flatten().copied().collect::<Vec<_>>().join(" "), NameKind::Person)
        } else if let Some(b) = business {
            (b.to_string(), NameKind::Entity)
        } else if let Some(n) = plain {
            (n.to_string(), NameKind::Unknown)
        } else {
            return bad("no name: give given_name (person), business_name (entity) or name".into());
        };
        let name = analyze(&name_text, kind);
        if name.tokens.is_empty() {
            return bad(format!("name {name_text:?} has no letters or digits"));
        }
        let date_of = |field: &str, v: &Option<String>| -> Result<Option<PartialDate>> {
            match present(v) {
                None => Ok(None),
                Some(s) => s
                    .parse::<PartialDate>()
                    .map(Some)
                    .map_err(|_| Error::InvalidInput(format!("{field} {s:?}: expected YYYY, YYYY-MM or YYYY-MM-DD"))),
            }
        };
        let dob = date_of("date_of_birth", &self.date_of_birth)?;
        let dor = date_of("date_of_registration", &self.date_of_registration)?;
        let nationality = present(&self.nationality).map(country_code).transpose()?;
        let domicile = present(&self.business_domicile).map(country_code).transpose()?;
        let (date, country) = match kind {
            NameKind::Entity => (dor.or(dob), domicile.or(nationality)),
            _ => (dob.or(dor), nationality.or(domicile)),
        };
        let gender = match present(&self.gender).map(|g| g.to_ascii_lowercase()) {
            None => None,
            Some(g) if g == "male" || g == "m" => Some(Gender::Male),
            Some(g) if g == "female" || g == "f" => Some(Gender::Female),
            Some(g) => return bad(format!("gender {g:?}: expected male or female")),
        };
        let defaults = Thresholds::default();
        let thresholds = Thresholds::new(
            self.upper_threshold.unwrap_or(defaults.upper),
            self.lower_threshold.unwrap_or(defaults.lower),
        )?;
        let score_threshold = self.score_threshold.unwrap_or(thresholds.lower);
        if !score_threshold.is_finite() || !(0.0..=100.0).contains(&score_threshold) {
            return bad(format!("score_threshold {score_threshold} is outside 0–100"));
        }
        let limit = self.limit.unwrap_or(DEFAULT_LIMIT);
        if limit == 0 {
            return bad("limit must be at least 1".into());
        }
        let mut publishers = self.publishers.clone();
        publishers.sort();
        publishers.dedup();
        Ok(ValidQuery {
            name_text,
            name,
            kind,
            facts: QueryFacts { kind, date, country, gender },
            publishers,
            thresholds,
            score_threshold,
            limit,
        })
    }
}

/// The best name of one entity during scoring.
#[derive(Debug)]
struct Best {
    /// Name score minus the weak-alias discount.
    adjusted: f64,
    weak: bool,
    /// Name number (the full explanation is built only for the hits returned).
    name: u32,
    score: f64,
    kind: NameKind,
    /// Entity score (name score with the qualifiers).
    entity_score: f64,
}

/// Screens a query against an index (see [`Index::screen`]).
pub(crate) fn screen_index(index: &Index, query: &Query, options: &ScreenOptions) -> Result<ScreenResult> {
    let q = query.validate()?;
    screen_valid(index, &q, options)
}

/// What the qualifiers need of an entity's facts.
fn entry_facts(f: &Facts) -> EntryFacts<'_> {
    EntryFacts {
        kind: f.kind,
        gender: f.gender,
        dates: &f.dates,
        nationalities: &f.nationalities,
        address_countries: &f.address_countries,
    }
}

/// Most points the qualifiers can add to a name score for this query (a matching date of birth and
/// country).
fn max_bonus(q: &ValidQuery) -> f64 {
    let date = if q.facts.date.is_some_and(|d| d.y > 0) { DATE_BONUS } else { 0.0 };
    let country = if q.facts.country.is_some() { COUNTRY_SAME } else { 0.0 };
    date + country
}

/// Most points an agreeing date of birth can add.
const DATE_BONUS: f64 = if DOB_SAME > DOB_PARTIAL { DOB_SAME } else { DOB_PARTIAL };

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
        if self.owner.as_ref().is_none_or(|(i, o)| *i != index.instance || o != options) {
            self.names.clear();
            self.held = 0;
            self.owner = Some((index.instance, options.clone()));
        }
        let work = self.names.remove(key)?;
        self.held -= work.candidates.len();
        Some(work)
    }

    /// Keeps `work` under `key` (emptied first when it would exceed the budget).
    fn put(&mut self, key: NameKey, work: NameWork) {
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
struct EntitySlots {
    briefs: Vec<Brief>,
    hits: Vec<Option<(u32, Arc<HitParts>)>>,
    /// A query's entities: their best names and qualifier points (kept for their allocations).
    maps: (IdMap<Best>, IdMap<Option<f64>>),
}

/// What a hit shows of its entity: decoded once and shared by the hits on the entity in bulk screening.
#[derive(Debug, Clone)]
struct HitParts {
    facts: Facts,
    names: Vec<String>,
    dates_of_birth: Vec<PartialDate>,
    record: RawRecord,
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

impl EntitySlots {
    /// Empty slots, `BRIEF_SLOTS` and `HIT_SLOTS` of them.
    fn reset(&mut self) {
        self.briefs.clear();
        self.briefs.resize(BRIEF_SLOTS, Brief::NONE);
        self.hits.clear();
        self.hits.resize_with(HIT_SLOTS, || None);
    }

    /// What a hit on `entity` shows of it: decoded afresh, the raw record unchecked, without slots;
    /// else decoded once, the raw record checked, and shared from the entity's slot.
    fn hit_parts(&mut self, index: &Index, entity: u32) -> Result<Arc<HitParts>> {
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
    /// thread between them; none at all with a budget of 0.
    ///
    /// ```
    /// use saring::screen::NameCaches;
    /// let caches = NameCaches::for_current_pool(1000);
    /// assert_eq!(caches.with(|cache| cache.map(|c| c.len())), Some(0));
    /// assert_eq!(NameCaches::for_current_pool(0).with(|cache| cache.is_none()), true);
    /// ```
    pub fn for_current_pool(budget: usize) -> NameCaches {
        let workers = if budget > 0 { rayon::current_num_threads().max(1) } else { 0 };
        let shard_budget = budget.saturating_mul(workers) / NAME_SHARDS;
        let shared =
            Arc::new(SharedNames((0..NAME_SHARDS).map(|_| Mutex::new(NameStore::with_budget(shard_budget))).collect()));
        NameCaches(
            (0..workers)
                .map(|_| Mutex::new(NameCache { names: Names::Shared(shared.clone()), ..NameCache::with_budget(0) }))
                .collect(),
        )
    }

    /// Calls `f` with the calling worker's cache (`None` when there are none).
    pub fn with<R>(&self, f: impl FnOnce(Option<&mut NameCache>) -> R) -> R {
        let slot = rayon::current_thread_index().unwrap_or(0) % self.0.len().max(1);
        match self.0.get(slot) {
            Some(cache) => f(Some(&mut lock(cache))),
            None => f(None),
        }
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

/// The name-level work of one query name: its candidates down to a floor and, in candidate order, the
/// name scores computed so far.
#[derive(Debug)]
struct NameWork {
    floor: f32,
    candidates: Vec<Candidate>,
    scores: Vec<Option<NameScore>>,
}

/// A candidate name's score against the query name, and what the entity score needs of the name, in
/// four bytes (name scores are whole tenths: [`score_names`](crate::score::score_names)).
#[derive(Debug, Clone, Copy)]
struct NameScore {
    tenths: u16,
    weak: bool,
    kind: NameKind,
}

impl NameScore {
    fn new(score: f64, weak: bool, kind: NameKind) -> NameScore {
        NameScore { tenths: (score * 10.0).round() as u16, weak, kind }
    }

    /// The score, bit for bit as the scorer gave it.
    fn score(self) -> f64 {
        f64::from(self.tenths) / 10.0
    }
}

impl NameWork {
    fn new(index: &Index, q: &ValidQuery, options: &ScreenOptions, floor: f32) -> Result<NameWork> {
        let candidates = crate::index::candidates::candidates(index, &q.name, options, floor)?;
        let scores = vec![None; candidates.len()];
        Ok(NameWork { floor, candidates, scores })
    }

    /// Takes the candidates down to `floor` if they stop above it. The candidates down to a floor are
    /// those down to a higher one followed by the rest (best reach first), so the scores computed so
    /// far keep their places.
    fn lower(&mut self, index: &Index, q: &ValidQuery, options: &ScreenOptions, floor: f32) -> Result<()> {
        if floor < self.floor {
            let candidates = crate::index::candidates::candidates(index, &q.name, options, floor)?;
            debug_assert!(candidates.iter().zip(&self.candidates).all(|(a, b)| a.name == b.name));
            self.scores.resize(candidates.len(), None);
            self.candidates = candidates;
            self.floor = floor;
        }
        Ok(())
    }
}

/// The lowest estimate a candidate name needs for this query: the score threshold less the most the
/// qualifiers can add.
fn floor_of(q: &ValidQuery) -> f32 {
    (q.score_threshold - max_bonus(q)) as f32
}

/// Screens an already validated query.
///
/// Candidate names come best estimate first ([`candidates`](crate::index::candidates)); each is scored
/// fully and its entity's score (best name, qualifiers) updated. Scoring stops when a candidate's
/// estimate plus the margin and the qualifiers' largest bonus falls below both the score threshold and
/// the `limit`-th best entity score so far: no later candidate can then enter the results.
pub fn screen_valid(index: &Index, q: &ValidQuery, options: &ScreenOptions) -> Result<ScreenResult> {
    let mut work = NameWork::new(index, q, options, floor_of(q))?;
    screen_work(index, q, options, &mut work, &mut EntitySlots::default())
}

/// [`screen_valid`] with the name-level work taken from, or kept in, `cache`.
pub(crate) fn screen_valid_cached(
    index: &Index,
    q: &ValidQuery,
    options: &ScreenOptions,
    cache: &mut NameCache,
) -> Result<ScreenResult> {
    if cache.owner.as_ref().is_none_or(|(i, o)| *i != index.instance || o != options) {
        cache.entities.reset();
        cache.owner = Some((index.instance, options.clone()));
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

/// The qualifier points of `entity` for `q` (`None`: publisher left out), from its brief in `briefs`
/// (one slot per entity number modulo their number; made there when another entity held it), or from
/// its facts decoded into `scratch` (no slots, or facts too many for a brief).
fn entity_points(
    index: &Index,
    q: &ValidQuery,
    entity: u32,
    briefs: &mut [Brief],
    scratch: &mut Facts,
) -> Result<Option<f64>> {
    let n = briefs.len();
    if let Some(slot) = briefs.get_mut(entity as usize % n.max(1)) {
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

/// Scores the candidates of `work` (those not scored yet) for one query, and makes its hits. Entity facts
/// and raw records are kept in `kept`, if it has slots.
fn screen_work(
    index: &Index,
    q: &ValidQuery,
    options: &ScreenOptions,
    work: &mut NameWork,
    kept: &mut EntitySlots,
) -> Result<ScreenResult> {
    let bonus = max_bonus(q);
    let plain = q.facts.states_nothing() && q.publishers.is_empty();
    let NameWork { candidates, scores: name_scores, .. } = work;
    let mut memo = EditMemo::default();
    // Entities met, at most one per name scored, and each one's qualifier points (None: filtered out by
    // publisher); the maps are kept from query to query in bulk screening.
    let (mut best, mut points_of) = std::mem::take(&mut kept.maps);
    best.clear();
    points_of.clear();
    let room = candidates.len().min(options.max_scored);
    best.reserve(room);
    points_of.reserve(room);
    let mut facts = Facts::default();
    let mut record = NameRecord {
        entity: 0,
        name_type: crate::model::NameType::Primary,
        quality: NameQuality::Strong,
        name: Name { original: String::new(), kind: NameKind::Unknown, tokens: Vec::new() },
    };
    // The limit-th best entity score so far (recomputed as scores come in).
    let mut kth = f64::NEG_INFINITY;
    // Every entity's score so far, ascending in `total_cmp` order: the limit-th best is read off it.
    let mut sorted: Vec<f64> = Vec::new();
    let position = |sorted: &[f64], x: f64| sorted.partition_point(|y| y.total_cmp(&x).is_lt());
    for (scored, c) in candidates.iter().enumerate() {
        let reach = f64::from(c.reach) + bonus;
        if scored >= options.max_scored || reach < q.score_threshold || reach < kth {
            break;
        }
        if let Some(b) = best.get(&c.entity) {
            // This entity already has a name the candidate cannot beat.
            if b.adjusted >= reach {
                continue;
            }
        }
        let points = match points_of.entry(c.entity) {
            std::collections::hash_map::Entry::Occupied(e) => *e.get(),
            // Nothing to weigh and every publisher kept: no need to decode the entity's facts.
            std::collections::hash_map::Entry::Vacant(e) if plain => *e.insert(Some(0.0)),
            std::collections::hash_map::Entry::Vacant(e) => {
                *e.insert(entity_points(index, q, c.entity, &mut kept.briefs, &mut facts)?)
            }
        };
        // The qualifiers' points are not used to skip names: estimates run low often enough that the
        // slack of the largest bonus keeps hits (measured on qualified customer queries). Except for a
        // name found only through initials or particles: its reach is the scorer's cap for such names,
        // and only its own entity's qualifiers can lift it into the results.
        let Some(points) = points else { continue };
        if c.light {
            let own = f64::from(c.reach) + points.max(0.0);
            if own < q.score_threshold || own < kth {
                continue;
            }
        }
        let name = match name_scores.get(scored).copied().flatten() {
            Some(known) => known,
            None => {
                index.name_record_into(c.name, &mut record)?;
                let score = score_names_memo(&q.name, &record.name, &mut memo);
                let known = NameScore::new(score, record.quality == NameQuality::Weak, record.name.kind);
                if let Some(slot) = name_scores.get_mut(scored) {
                    *slot = Some(known);
                }
                known
            }
        };
        let kind = if q.kind == NameKind::Unknown { name.kind } else { q.kind };
        let (score, weak) = (name.score(), name.weak);
        let discount = if weak { crate::score::entity::WEAK_ALIAS } else { 0.0 };
        let adjusted = score - discount;
        let better = match best.get(&c.entity) {
            None => true,
            Some(b) => adjusted > b.adjusted || (adjusted == b.adjusted && !weak && b.weak),
        };
        if !better {
            continue;
        }
        let entity_score = qualified(score, points - discount);
        let previous = best.insert(c.entity, Best { adjusted, weak, name: c.name, score, kind, entity_score });
        if let Some(p) = &previous {
            let at = position(&sorted, p.entity_score);
            if at < sorted.len() {
                sorted.remove(at);
            }
        }
        sorted.insert(position(&sorted, entity_score), entity_score);
        // The bar only rises; raising it only every few new entities keeps it low, which is safe (more is
        // scored, nothing is missed).
        if best.len() >= q.limit && (previous.is_some() || (best.len() - q.limit) % 8 == 0) {
            kth = sorted.get(sorted.len().saturating_sub(q.limit)).copied().unwrap_or(f64::NEG_INFINITY);
        }
    }
    // Only the entities that make the results have their facts decoded in full (ids order ties).
    let mut passing: Vec<(f64, u32, &Best)> = best
        .iter()
        .filter(|(e, b)| b.entity_score >= q.score_threshold && points_of.get(e).is_some_and(Option::is_some))
        .map(|(&e, b)| (b.entity_score, e, b))
        .collect();
    // Only entities scoring at least the limit-th best score can be among the first `limit`.
    if passing.len() > q.limit {
        passing.sort_by(|a, b| b.0.total_cmp(&a.0));
        let cut = passing[q.limit.max(1) - 1].0;
        passing.retain(|p| p.0.total_cmp(&cut).is_ge());
    }
    let mut ranked: Vec<(f64, Arc<HitParts>, &Best)> = Vec::with_capacity(passing.len());
    for (score, entity, b) in passing {
        ranked.push((score, kept.hit_parts(index, entity)?, b));
    }
    ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.facts.id.cmp(&b.1.facts.id)));
    ranked.truncate(q.limit);
    let mut results = Vec::with_capacity(ranked.len());
    for (score, parts, b) in ranked {
        // Moved out when decoded for this query alone, copied when shared.
        let HitParts { facts: f, names, dates_of_birth, record } =
            Arc::try_unwrap(parts).unwrap_or_else(|shared| (*shared).clone());
        let name = index.name_record(b.name)?;
        let similarity: Similarity =
            compare_names(&q.name, &name.name, &CompareOptions { kind: b.kind, thresholds: q.thresholds });
        let s = score_entity(b.score, b.weak, &q.facts, &entry_facts(&f));
        results.push(Hit {
            publisher: f.publisher.unwrap_or(Publisher::Custom),
            kind: f.kind,
            entity_hash: format!("{:016x}", f.hash),
            names,
            matched_name: name.name.original.clone(),
            score,
            decision: q.thresholds.decide(score),
            dates_of_birth,
            explanation: HitExplanation {
                name_score: similarity.score,
                name: similarity.explanation,
                qualifiers: s.qualifiers,
            },
            record_data: record,
            id: f.id,
            list: f.list,
            nationalities: f.nationalities,
        });
    }
    kept.maps = (best, points_of);
    Ok(ScreenResult { results })
}

impl ScreenResult {
    /// The decision of the best hit (`NOT_MATCH` when there are no hits).
    pub fn decision(&self) -> Decision {
        self.results.first().map(|h| h.decision).unwrap_or(Decision::NotMatch)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn a_raw_record_that_is_not_json_fails_to_serialise_instead_of_writing_bad_json() {
        for bad in ["{\"uid\": ", "{} {}", "", "nul"] {
            let r = RawRecord::unchecked(bad.into());
            let err = serde_json::to_string(&r).expect_err(bad).to_string();
            assert!(err.contains("saring index verify"), "{bad:?}: {err}");
            assert_eq!(r.value(), serde_json::Value::Null);
        }
        let good = RawRecord::unchecked(r#"{"uid":"7024","n":[1,2.5e3]}"#.into());
        assert_eq!(serde_json::to_string(&good).unwrap(), r#"{"uid":"7024","n":[1,2.5e3]}"#);
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
