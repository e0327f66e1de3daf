//! Entity-level score: the best name score, adjusted by what else the query and the list entry say.
//!
//! The name score (0–100, from [`compare_names`](crate::compare_names)) is the base. Each qualifier then
//! adds or removes a fixed number of points, recorded as a [`Qualifier`] so every hit explains itself;
//! the result is clamped to 0–100. A qualifier only applies when both sides state the fact: a query
//! without a date of birth, or a list entry without one, leaves the score as it is.
//!
//! | qualifier | condition | points |
//! |---|---|---|
//! | weak alias | the best name is a low-quality / weak alias | −[`WEAK_ALIAS`] |
//! | date of birth | same full date (or same year-month, or same year when that is all either side knows) | +[`DOB_SAME`] |
//! | | same year, the parts both sides know otherwise differ | −[`DOB_PARTIAL`] |
//! | | same year, day and month swapped (`1975-03-04` vs `1975-04-03`) | −[`DOB_SWAPPED`] |
//! | | years one apart (or within an approximate date's ±2 years / a range's bounds ± 1) | −[`DOB_NEAR`] |
//! | | years disjoint | −[`DOB_DISJOINT`] |
//! | nationality / domicile | the query's country is among the entry's countries | +[`COUNTRY_SAME`] |
//! | | the entry states countries and the query's is not among them | −[`COUNTRY_DIFFERENT`] |
//! | kind | a person query against an organisation, vessel or aircraft (or the reverse) | −[`KIND_MISMATCH`] |
//! | gender | both state a gender and they differ | −[`GENDER_MISMATCH`] |
//!
//! With several dates on the list entry, the most favourable one counts. For an organisation query the
//! country is the domicile, compared with the entry's address countries and nationalities.

use crate::model::{DateValue, EntityKind, Gender, PartialDate};
use crate::screen::Qualifier;
use crate::text::NameKind;

/// Points removed when the best-matching name is a weak alias.
pub const WEAK_ALIAS: f64 = 8.0;
/// Points added for the same date of birth.
pub const DOB_SAME: f64 = 5.0;
/// Points removed for the same birth year with other known parts differing.
pub const DOB_PARTIAL: f64 = 5.0;
/// Points removed for day and month swapped (counts half of a partial disagreement).
pub const DOB_SWAPPED: f64 = 2.5;
/// Points removed when the years are close but not equal.
pub const DOB_NEAR: f64 = 8.0;
/// Points removed when the years are disjoint.
pub const DOB_DISJOINT: f64 = 15.0;
/// Points added when the query country is one of the entry's.
pub const COUNTRY_SAME: f64 = 3.0;
/// Points removed when the entry's countries do not include the query's.
pub const COUNTRY_DIFFERENT: f64 = 7.0;
/// Points removed for a person/organisation mismatch.
pub const KIND_MISMATCH: f64 = 15.0;
/// Points removed for a gender mismatch.
pub const GENDER_MISMATCH: f64 = 10.0;

/// What the query says beyond the name.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct QueryFacts {
    /// Person, entity, or not stated.
    pub kind: NameKind,
    /// Date of birth (or of registration, for an organisation).
    pub date: Option<PartialDate>,
    /// Nationality (person) or domicile (organisation), ISO alpha-2.
    pub country: Option<String>,
    /// Gender, if stated.
    pub gender: Option<Gender>,
}

/// What the list entry says beyond its names.
#[derive(Debug, Clone, Copy, Default)]
pub struct EntryFacts<'a> {
    /// Person, organisation, vessel, aircraft.
    pub kind: EntityKind,
    /// Gender, if stated.
    pub gender: Option<Gender>,
    /// Dates of birth or registration.
    pub dates: &'a [DateValue],
    /// Nationalities and citizenships.
    pub nationalities: &'a [String],
    /// Countries of the addresses.
    pub address_countries: &'a [String],
}

/// A qualified entity score.
#[derive(Debug, Clone, PartialEq)]
pub struct EntityScore {
    /// 0–100 after qualifiers.
    pub score: f64,
    /// Each qualifier that applied, with its points.
    pub qualifiers: Vec<Qualifier>,
}

/// Applies the qualifiers to a name score.
///
/// ```
/// use saring::model::{DateValue, EntityKind, PartialDate};
/// use saring::score::entity::{score_entity, EntryFacts, QueryFacts, DOB_DISJOINT};
/// use saring::NameKind;
///
/// let dates = [DateValue::exact(PartialDate { y: 1960, m: 0, d: 0 })];
/// let entry = EntryFacts { kind: EntityKind::Individual, dates: &dates, ..Default::default() };
/// let query = QueryFacts {
///     kind: NameKind::Person,
///     date: Some("1990-01-02".parse().unwrap()),
///     ..Default::default()
/// };
/// let s = score_entity(90.0, false, &query, &entry);
/// assert_eq!(s.score, 90.0 - DOB_DISJOINT);
/// assert_eq!(s.qualifiers[0].name, "date_of_birth");
/// ```
pub fn score_entity(name_score: f64, weak_alias: bool, query: &QueryFacts, entry: &EntryFacts) -> EntityScore {
    let mut qualifiers = Vec::new();
    if weak_alias {
        qualifiers.push(Qualifier {
            name: "weak_alias".into(),
            points: -WEAK_ALIAS,
            reason: "best-matching name is a weak (low-quality) alias".into(),
        });
    }
    if let Some(q) = query.date.filter(|d| d.y > 0) {
        if let Some(qual) = date_qualifier(q, entry.dates) {
            qualifiers.push(qual);
        }
    }
    if let Some(c) = query.country.as_deref() {
        let organisation = query.kind == NameKind::Entity;
        let mut countries: Vec<&String> = entry.nationalities.iter().collect();
        if organisation || countries.is_empty() {
            countries.extend(entry.address_countries);
        }
        let what = if organisation { "domicile" } else { "nationality" };
        if !countries.is_empty() {
            if countries.iter().any(|x| x.eq_ignore_ascii_case(c)) {
                qualifiers.push(Qualifier {
                    name: what.into(),
                    points: COUNTRY_SAME,
                    reason: format!("{c} is one of the entry's countries"),
                });
            } else {
                let list: Vec<&str> = countries.iter().map(|s| s.as_str()).collect();
                qualifiers.push(Qualifier {
                    name: what.into(),
                    points: -COUNTRY_DIFFERENT,
                    reason: format!("{c} is not among the entry's countries ({})", list.join(", ")),
                });
            }
        }
    }
    let kind_mismatch = matches!(
        (query.kind, entry.kind),
        (NameKind::Person, EntityKind::Entity | EntityKind::Vessel | EntityKind::Aircraft)
            | (NameKind::Entity, EntityKind::Individual)
    );
    if kind_mismatch {
        qualifiers.push(Qualifier {
            name: "kind".into(),
            points: -KIND_MISMATCH,
            reason: format!("query is {:?}, entry is {:?}", query.kind, entry.kind).to_lowercase(),
        });
    }
    if let (Some(q), Some(e)) = (query.gender, entry.gender) {
        if q != e {
            qualifiers.push(Qualifier {
                name: "gender".into(),
                points: -GENDER_MISMATCH,
                reason: format!("query is {q:?}, entry is {e:?}").to_lowercase(),
            });
        }
    }
    let score = name_score + qualifiers.iter().map(|q| q.points).sum::<f64>();
    EntityScore { score: (score.clamp(0.0, 100.0) * 10.0).round() / 10.0, qualifiers }
}

/// The most favourable date qualifier over the entry's dates (None when the entry states none).
fn date_qualifier(q: PartialDate, dates: &[DateValue]) -> Option<Qualifier> {
    dates.iter().filter(|d| d.y > 0).map(|d| compare_date(q, d)).max_by(|a, b| a.points.total_cmp(&b.points))
}

fn compare_date(q: PartialDate, d: &DateValue) -> Qualifier {
    let listed = d.date();
    let shown = match d.to {
        Some(to) => format!("{listed} to {to}"),
        None if d.approximate => format!("circa {listed}"),
        None => listed.to_string(),
    };
    let make = |points: f64, why: &str| Qualifier {
        name: "date_of_birth".into(),
        points,
        reason: format!("query {q} vs listed {shown}: {why}"),
    };
    // Ranges and approximate dates: compare years only.
    if let Some(to) = d.to.filter(|t| t.y >= d.y) {
        return if (d.y..=to.y).contains(&q.y) {
            make(DOB_SAME, "year within the listed range")
        } else if (d.y.saturating_sub(1)..=to.y.saturating_add(1)).contains(&q.y) {
            make(-DOB_NEAR, "year just outside the listed range")
        } else {
            make(-DOB_DISJOINT, "year outside the listed range")
        };
    }
    if d.approximate {
        let diff = q.y.abs_diff(d.y);
        return match diff {
            0 => make(DOB_SAME, "same year (listed as approximate)"),
            1..=2 => make(-DOB_NEAR / 2.0, "within two years of an approximate date"),
            _ => make(-DOB_DISJOINT, "years disjoint"),
        };
    }
    if q.y != d.y {
        return if q.y.abs_diff(d.y) == 1 {
            make(-DOB_NEAR, "years one apart")
        } else {
            make(-DOB_DISJOINT, "years disjoint")
        };
    }
    // Same year; compare the parts both sides know.
    let both_month = q.m > 0 && d.m > 0;
    let both_day = q.d > 0 && d.d > 0;
    if both_month && both_day && q.m != d.m && q.m == d.d && q.d == d.m {
        return make(-DOB_SWAPPED, "same year, day and month swapped");
    }
    if both_month && q.m != d.m {
        return make(-DOB_PARTIAL, "same year, different month");
    }
    if both_day && q.d != d.d {
        return make(-DOB_PARTIAL, "same year and month, different day");
    }
    if both_month && both_day {
        make(DOB_SAME, "same date")
    } else {
        make(DOB_SAME, "agree on every part both state")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry_dates(dates: &[DateValue]) -> EntryFacts<'_> {
        EntryFacts { kind: EntityKind::Individual, dates, ..Default::default() }
    }

    fn q(date: &str) -> QueryFacts {
        QueryFacts { kind: NameKind::Person, date: Some(date.parse().unwrap()), ..Default::default() }
    }

    fn exact(y: u16, m: u8, d: u8) -> DateValue {
        DateValue::exact(PartialDate { y, m, d })
    }

    #[test]
    fn date_cases() {
        let cases: &[(&str, DateValue, f64)] = &[
            ("1975-06-14", exact(1975, 6, 14), DOB_SAME),
            ("1975", exact(1975, 6, 14), DOB_SAME),
            ("1975-06-14", exact(1975, 0, 0), DOB_SAME),
            ("1975-06-14", exact(1975, 7, 14), -DOB_PARTIAL),
            ("1975-06-14", exact(1975, 6, 15), -DOB_PARTIAL),
            ("1975-03-04", exact(1975, 4, 3), -DOB_SWAPPED),
            ("1976-06-14", exact(1975, 6, 14), -DOB_NEAR),
            ("1990-06-14", exact(1975, 6, 14), -DOB_DISJOINT),
            (
                "1956",
                DateValue { y: 1955, m: 0, d: 0, approximate: false, to: Some(PartialDate { y: 1957, m: 0, d: 0 }) },
                DOB_SAME,
            ),
            ("1957", DateValue { y: 1955, m: 0, d: 0, approximate: true, to: None }, -DOB_NEAR / 2.0),
        ];
        for (query, listed, points) in cases {
            let dates = [*listed];
            let s = score_entity(80.0, false, &q(query), &entry_dates(&dates));
            assert_eq!(s.qualifiers.len(), 1, "{query} vs {listed:?}");
            assert_eq!(s.qualifiers[0].points, *points, "{query} vs {listed:?}");
            assert_eq!(s.score, 80.0 + points);
        }
    }

    #[test]
    fn best_of_several_dates_counts() {
        let dates = [exact(1960, 1, 1), exact(1975, 6, 14)];
        let s = score_entity(80.0, false, &q("1975-06-14"), &entry_dates(&dates));
        assert_eq!(s.score, 85.0);
    }

    #[test]
    fn no_facts_no_change_and_clamped() {
        let s = score_entity(99.0, false, &QueryFacts::default(), &EntryFacts::default());
        assert_eq!((s.score, s.qualifiers.len()), (99.0, 0));
        let dates = [exact(1975, 6, 14)];
        let s = score_entity(99.0, false, &q("1975-06-14"), &entry_dates(&dates));
        assert_eq!(s.score, 100.0);
        let s = score_entity(5.0, true, &q("1900"), &entry_dates(&dates));
        assert_eq!(s.score, 0.0);
    }

    #[test]
    fn country_kind_gender_weak() {
        let nat = ["KP".to_string()];
        let addr = ["SG".to_string()];
        let person = EntryFacts {
            kind: EntityKind::Individual,
            gender: Some(Gender::Female),
            nationalities: &nat,
            ..Default::default()
        };
        let mut query = QueryFacts { kind: NameKind::Person, country: Some("KP".into()), ..Default::default() };
        assert_eq!(score_entity(80.0, false, &query, &person).score, 80.0 + COUNTRY_SAME);
        query.country = Some("ID".into());
        assert_eq!(score_entity(80.0, false, &query, &person).score, 80.0 - COUNTRY_DIFFERENT);
        query.country = None;
        query.gender = Some(Gender::Male);
        assert_eq!(score_entity(80.0, true, &query, &person).score, 80.0 - GENDER_MISMATCH - WEAK_ALIAS);
        let company = EntryFacts { kind: EntityKind::Entity, address_countries: &addr, ..Default::default() };
        let q2 = QueryFacts { kind: NameKind::Entity, country: Some("SG".into()), ..Default::default() };
        let s = score_entity(90.0, false, &q2, &company);
        assert_eq!(s.score, 90.0 + COUNTRY_SAME);
        assert_eq!(s.qualifiers[0].name, "domicile");
        let q3 = QueryFacts { kind: NameKind::Person, ..Default::default() };
        assert_eq!(score_entity(90.0, false, &q3, &company).score, 90.0 - KIND_MISMATCH);
    }
}
