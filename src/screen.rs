//! Screening: a [`Query`] (Iluma CFT-shaped fields) against an index becomes a list of [`Hit`]s.

use crate::model::{EntityKind, PartialDate, Publisher};
use crate::score::{Decision, Explanation};
use serde::{Deserialize, Serialize};

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
    /// The raw source record.
    pub record_data: serde_json::Value,
    /// Content hash of the entity (changes when the publisher changes the record).
    pub entity_hash: String,
    /// Token alignment and qualifier effects.
    pub explanation: HitExplanation,
}

/// The answer to one query.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ScreenResult {
    /// Hits, best first.
    pub results: Vec<Hit>,
}
