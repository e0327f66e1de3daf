//! Screening: a [`Query`] (Iluma CFT-shaped fields) against an index becomes a list of [`Hit`]s.
//!
//! The query is validated ([`Query::validate`]: a name, well-formed dates, ISO country codes, sane
//! thresholds) and its name analysed once. The index proposes candidate names with an estimated score
//! ([`Index::screen`](crate::index::Index::screen), `index/candidates.rs`); they are scored with
//! [`score_names`](crate::score::score_names) best estimate first, grouped by entity (the best name wins; weak
//! aliases are discounted) with the entity qualifiers applied ([`score::entity`](crate::score::entity)),
//! until no later candidate can reach the results. The hits are sorted by score (then id), cut at
//! `score_threshold` and `limit`, and filled with the explanation and the raw record. Bulk screening
//! keeps a name's work and what it met of the entities from query to query ([`NameCache`],
//! [`NameCaches`], `screen/cache.rs`).

mod cache;

use crate::index::format::{Facts, NameRecord};
use crate::index::{Index, ScreenOptions};
use crate::model::{EntityKind, Gender, NameQuality, PartialDate, Publisher};
use crate::score::entity::{qualified, score_entity, EntryFacts, QueryFacts, COUNTRY_SAME, DOB_PARTIAL, DOB_SAME};
use crate::score::{
    compare_names, score_names_memo, CompareOptions, Decision, Explanation, Similarity, ThreadMemo, Thresholds,
};
use crate::text::{analyze, Name, NameKind};
use crate::{Error, Result};
pub(crate) use cache::screen_valid_cached;
use cache::{with_single_slots, EntitySlots, HitParts, NameScore, NameWork};
pub use cache::{NameCache, NameCaches};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use std::sync::Arc;

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
    /// At most this many hits (default [`DEFAULT_LIMIT`]); a larger limit also has more candidate names
    /// scored ([`ScreenOptions::scored_cap`](crate::index::ScreenOptions::scored_cap)).
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
    if crate::lists::country::is_alpha2(&up) {
        Ok(up)
    } else {
        Err(Error::InvalidInput(format!("{raw:?} is not an ISO 3166-1 alpha-2 country code (e.g. ID, SG, US)")))
    }
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
    /// surname without a given name; both person and business fields, or a plain `name` with either (a
    /// query names one party, once); a malformed date; a country that is
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
        if plain.is_some() && (business.is_some() || person.iter().any(Option::is_some)) {
            return bad(
                "a query gives its name once: name, or given_name (with middle_name, surname), or business_name".into(),
            );
        }
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
        let (thresholds, score_threshold, limit) = self.options()?;
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

    /// Checks the query's options alone, whatever its name: thresholds outside 0–100 or lower above
    /// upper, and a limit of 0, are errors ([`Error::InvalidInput`]). What [`validate`](Query::validate)
    /// checks of them, for options given once for many queries (a batch's defaults).
    ///
    /// ```
    /// use saring::screen::Query;
    /// assert!(Query { limit: Some(5), ..Default::default() }.validate_options().is_ok());
    /// assert!(Query { score_threshold: Some(101.0), ..Default::default() }.validate_options().is_err());
    /// ```
    pub fn validate_options(&self) -> Result<()> {
        self.options().map(|_| ())
    }

    /// The thresholds, the score below which hits are dropped, and the limit, checked.
    fn options(&self) -> Result<(Thresholds, f64, usize)> {
        let defaults = Thresholds::default();
        let thresholds = Thresholds::new(
            self.upper_threshold.unwrap_or(defaults.upper),
            self.lower_threshold.unwrap_or(defaults.lower),
        )?;
        let score_threshold = self.score_threshold.unwrap_or(thresholds.lower);
        if !score_threshold.is_finite() || !(0.0..=100.0).contains(&score_threshold) {
            return Err(Error::InvalidInput(format!("score_threshold {score_threshold} is outside 0–100")));
        }
        let limit = self.limit.unwrap_or(DEFAULT_LIMIT);
        if limit == 0 {
            return Err(Error::InvalidInput("limit must be at least 1".into()));
        }
        Ok((thresholds, score_threshold, limit))
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

/// The lowest estimate a candidate name needs for this query: the score threshold less the most the
/// qualifiers can add.
fn floor_of(q: &ValidQuery) -> f32 {
    (q.score_threshold - max_bonus(q)) as f32
}

/// Screens an already validated query.
///
/// Candidate names come best estimate first (`index/candidates.rs`); each is scored
/// fully and its entity's score (best name, qualifiers) updated. Scoring stops when a candidate's
/// estimate plus the margin and the qualifiers' largest bonus falls below both the score threshold and
/// the `limit`-th best entity score so far: no later candidate can then enter the results.
pub fn screen_valid(index: &Index, q: &ValidQuery, options: &ScreenOptions) -> Result<ScreenResult> {
    let mut work = NameWork::new(index, q, options, floor_of(q))?;
    with_single_slots(index, |slots| screen_work(index, q, options, &mut work, slots))
}

/// Scores the candidates of `work` (those not scored yet) for one query, and makes its hits. Entities'
/// briefs and hit parts are kept in `kept`, if it has slots.
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
    // The query's edit similarities, remembered from name to name and from query to query.
    let mut memo = ThreadMemo::take(&q.name);
    // Entities met, at most one per name scored, and each one's qualifier points (None: filtered out by
    // publisher); the maps are kept from query to query in bulk screening.
    let (mut best, mut points_of) = std::mem::take(&mut kept.maps);
    best.clear();
    points_of.clear();
    // The candidates may run past this query's cap when a cached name served a larger limit.
    let cap = options.scored_cap(q.limit);
    let room = candidates.len().min(cap);
    best.reserve(room);
    points_of.reserve(room);
    let mut facts = Facts::default();
    let mut decoded = kept.record.take().unwrap_or_else(|| NameRecord {
        entity: 0,
        name_type: crate::model::NameType::Primary,
        quality: NameQuality::Strong,
        name: Name { original: String::new(), kind: NameKind::Unknown, tokens: Vec::new() },
    });
    // The limit-th best entity score so far (recomputed as scores come in).
    let mut kth = f64::NEG_INFINITY;
    // Every entity's score so far, ascending in `total_cmp` order: the limit-th best is read off it.
    let mut sorted: Vec<f64> = Vec::new();
    let position = |sorted: &[f64], x: f64| sorted.partition_point(|y| y.total_cmp(&x).is_lt());
    for (scored, c) in candidates.iter().enumerate() {
        let reach = f64::from(c.reach) + bonus;
        if scored >= cap || reach < q.score_threshold || reach < kth {
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
            std::collections::hash_map::Entry::Vacant(e) => *e.insert(kept.points(index, q, c.entity, &mut facts)?),
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
                index.name_record_into(c.name, &mut decoded)?;
                let score = score_names_memo(&q.name, &decoded.name, &mut memo);
                let known = NameScore::new(score, decoded.quality == NameQuality::Weak, decoded.name.kind);
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
        index.name_record_full_into(b.name, &mut decoded)?;
        let similarity: Similarity =
            compare_names(&q.name, &decoded.name, &CompareOptions { kind: b.kind, thresholds: q.thresholds });
        let s = score_entity(b.score, b.weak, &q.facts, &entry_facts(&f));
        results.push(Hit {
            publisher: f.publisher.unwrap_or(Publisher::Custom),
            kind: f.kind,
            entity_hash: format!("{:016x}", f.hash),
            names,
            matched_name: decoded.name.original.clone(),
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
    kept.record = Some(decoded);
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
}
