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

impl QueryFacts {
    /// Whether the query states nothing a qualifier could weigh: [`qualifier_points`] is then 0 against
    /// every entry.
    ///
    /// ```
    /// use saring::score::entity::{qualifier_points, EntryFacts, QueryFacts};
    /// use saring::{EntityKind, NameKind};
    /// let plain = QueryFacts::default();
    /// assert!(plain.states_nothing());
    /// let entry = EntryFacts { kind: EntityKind::Entity, ..Default::default() };
    /// assert_eq!(qualifier_points(&plain, &entry), 0.0);
    /// assert!(!QueryFacts { kind: NameKind::Person, ..Default::default() }.states_nothing());
    /// ```
    pub fn states_nothing(&self) -> bool {
        self.kind == NameKind::Unknown
            && self.date.is_none_or(|d| d.y == 0)
            && self.country.is_none()
            && self.gender.is_none()
    }
}

/// What the list entry says beyond its names, its countries (ISO alpha-2 codes) as `String`s.
pub type EntryFacts<'a> = EntryFactsOf<'a, String>;

/// [`EntryFacts`] with its countries in any form that reads as a `str` (screening keeps them as two
/// bytes).
#[derive(Debug)]
pub struct EntryFactsOf<'a, C> {
    /// Person, organisation, vessel, aircraft.
    pub kind: EntityKind,
    /// Gender, if stated.
    pub gender: Option<Gender>,
    /// Dates of birth or registration.
    pub dates: &'a [DateValue],
    /// Nationalities and citizenships.
    pub nationalities: &'a [C],
    /// Countries of the addresses.
    pub address_countries: &'a [C],
}

impl<C> Clone for EntryFactsOf<'_, C> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<C> Copy for EntryFactsOf<'_, C> {}

impl<C> Default for EntryFactsOf<'_, C> {
    fn default() -> Self {
        EntryFactsOf {
            kind: EntityKind::default(),
            gender: None,
            dates: &[],
            nationalities: &[],
            address_countries: &[],
        }
    }
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
pub fn score_entity<C: AsRef<str>>(
    name_score: f64,
    weak_alias: bool,
    query: &QueryFacts,
    entry: &EntryFactsOf<C>,
) -> EntityScore {
    let mut qualifiers = Vec::new();
    if weak_alias {
        qualifiers.push(Qualifier {
            name: "weak_alias".into(),
            points: -WEAK_ALIAS,
            reason: "best-matching name is a weak (low-quality) alias".into(),
        });
    }
    if let Some((q, d, (points, why))) = date_outcome(query, entry) {
        let listed = d.date();
        let shown = match d.to {
            Some(to) => format!("{listed} to {to}"),
            None if d.approximate => format!("circa {listed}"),
            None => listed.to_string(),
        };
        qualifiers.push(Qualifier {
            name: "date_of_birth".into(),
            points,
            reason: format!("query {q} vs listed {shown}: {why}"),
        });
    }
    if let Some((c, same)) = country_outcome(query, entry) {
        let organisation = query.kind == NameKind::Entity;
        let what = if organisation { "domicile" } else { "nationality" };
        let (points, reason) = if same {
            (COUNTRY_SAME, format!("{c} is one of the entry's countries"))
        } else {
            let list: Vec<&str> = entry_countries(organisation, entry).collect();
            (-COUNTRY_DIFFERENT, format!("{c} is not among the entry's countries ({})", list.join(", ")))
        };
        qualifiers.push(Qualifier { name: what.into(), points, reason });
    }
    if kind_mismatch(query, entry) {
        qualifiers.push(Qualifier {
            name: "kind".into(),
            points: -KIND_MISMATCH,
            reason: format!("query is {:?}, entry is {:?}", query.kind, entry.kind).to_lowercase(),
        });
    }
    if let Some((q, e)) = gender_mismatch(query, entry) {
        qualifiers.push(Qualifier {
            name: "gender".into(),
            points: -GENDER_MISMATCH,
            reason: format!("query is {q:?}, entry is {e:?}").to_lowercase(),
        });
    }
    let points = qualifiers.iter().map(|q| q.points).sum::<f64>();
    EntityScore { score: qualified(name_score, points), qualifiers }
}

/// The points the date, country, kind and gender qualifiers give an entry (the weak-alias discount
/// aside), without building their explanations: what screening needs for every candidate entity.
/// [`score_entity`]'s score is [`qualified`]`(name_score, points)` (minus [`WEAK_ALIAS`] for a weak
/// alias).
///
/// ```
/// use saring::model::{DateValue, EntityKind, PartialDate};
/// use saring::score::entity::*;
/// use saring::NameKind;
///
/// let dates = [DateValue::exact(PartialDate { y: 1960, m: 0, d: 0 })];
/// let nat = ["KP".to_string()];
/// let entry = EntryFacts { kind: EntityKind::Individual, dates: &dates, nationalities: &nat, ..Default::default() };
/// let query = QueryFacts {
///     kind: NameKind::Person,
///     date: Some("1960".parse().unwrap()),
///     country: Some("KP".into()),
///     ..Default::default()
/// };
/// assert_eq!(qualifier_points(&query, &entry), DOB_SAME + COUNTRY_SAME);
/// assert_eq!(score_entity(80.0, false, &query, &entry).score, qualified(80.0, DOB_SAME + COUNTRY_SAME));
/// ```
pub fn qualifier_points<C: AsRef<str>>(query: &QueryFacts, entry: &EntryFactsOf<C>) -> f64 {
    let mut points = 0.0;
    if let Some((_, _, (p, _))) = date_outcome(query, entry) {
        points += p;
    }
    if let Some((_, same)) = country_outcome(query, entry) {
        points += if same { COUNTRY_SAME } else { -COUNTRY_DIFFERENT };
    }
    if kind_mismatch(query, entry) {
        points -= KIND_MISMATCH;
    }
    if gender_mismatch(query, entry).is_some() {
        points -= GENDER_MISMATCH;
    }
    points
}

/// A name score with qualifier points added: clamped to 0–100 and rounded to one decimal.
pub fn qualified(name_score: f64, points: f64) -> f64 {
    ((name_score + points).clamp(0.0, 100.0) * 10.0).round() / 10.0
}

/// The query date, the entry date that counts (the most favourable) and its points and reason.
fn date_outcome<'e, C>(
    query: &QueryFacts,
    entry: &EntryFactsOf<'e, C>,
) -> Option<(PartialDate, &'e DateValue, (f64, &'static str))> {
    let q = query.date.filter(|d| d.y > 0)?;
    entry.dates.iter().filter(|d| d.y > 0).map(|d| (q, d, compare_date(q, d))).max_by(|a, b| a.2 .0.total_cmp(&b.2 .0))
}

/// The countries a query country is compared with: nationalities, or for an organisation (or an
/// entry without nationalities) also the address countries.
fn entry_countries<'e, C: AsRef<str>>(
    organisation: bool,
    entry: &EntryFactsOf<'e, C>,
) -> impl Iterator<Item = &'e str> {
    let addresses = organisation || entry.nationalities.is_empty();
    let listed = entry.nationalities.iter().chain(entry.address_countries.iter().filter(move |_| addresses));
    listed.map(AsRef::as_ref)
}

/// The query country and whether it is among the entry's countries (None when either side states none).
fn country_outcome<'q, C: AsRef<str>>(query: &'q QueryFacts, entry: &EntryFactsOf<C>) -> Option<(&'q str, bool)> {
    let c = query.country.as_deref()?;
    let mut countries = entry_countries(query.kind == NameKind::Entity, entry).peekable();
    countries.peek()?;
    Some((c, countries.any(|x| x.eq_ignore_ascii_case(c))))
}

fn kind_mismatch<C>(query: &QueryFacts, entry: &EntryFactsOf<C>) -> bool {
    matches!(
        (query.kind, entry.kind),
        (NameKind::Person, EntityKind::Entity | EntityKind::Vessel | EntityKind::Aircraft)
            | (NameKind::Entity, EntityKind::Individual)
    )
}

fn gender_mismatch<C>(query: &QueryFacts, entry: &EntryFactsOf<C>) -> Option<(Gender, Gender)> {
    match (query.gender, entry.gender) {
        (Some(q), Some(e)) if q != e => Some((q, e)),
        _ => None,
    }
}

/// Points and reason of one listed date against the query's.
fn compare_date(q: PartialDate, d: &DateValue) -> (f64, &'static str) {
    // Ranges and approximate dates: compare years only.
    if let Some(to) = d.to.filter(|t| t.y >= d.y) {
        return if (d.y..=to.y).contains(&q.y) {
            (DOB_SAME, "year within the listed range")
        } else if (d.y.saturating_sub(1)..=to.y.saturating_add(1)).contains(&q.y) {
            (-DOB_NEAR, "year just outside the listed range")
        } else {
            (-DOB_DISJOINT, "year outside the listed range")
        };
    }
    if d.approximate {
        let diff = q.y.abs_diff(d.y);
        return match diff {
            0 => (DOB_SAME, "same year (listed as approximate)"),
            1..=2 => (-DOB_NEAR / 2.0, "within two years of an approximate date"),
            _ => (-DOB_DISJOINT, "years disjoint"),
        };
    }
    if q.y != d.y {
        return if q.y.abs_diff(d.y) == 1 { (-DOB_NEAR, "years one apart") } else { (-DOB_DISJOINT, "years disjoint") };
    }
    // Same year; compare the parts both sides know.
    let both_month = q.m > 0 && d.m > 0;
    let both_day = q.d > 0 && d.d > 0;
    if both_month && both_day && q.m != d.m && q.m == d.d && q.d == d.m {
        return (-DOB_SWAPPED, "same year, day and month swapped");
    }
    if both_month && q.m != d.m {
        return (-DOB_PARTIAL, "same year, different month");
    }
    if both_day && q.d != d.d {
        return (-DOB_PARTIAL, "same year and month, different day");
    }
    if both_month && both_day {
        (DOB_SAME, "same date")
    } else {
        (DOB_SAME, "agree on every part both state")
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
    fn points_without_reasons_agree_with_the_explained_qualifiers() {
        let dates = [exact(1975, 6, 14), DateValue { y: 1960, m: 0, d: 0, approximate: true, to: None }];
        let nat = ["KP".to_string()];
        let addr = ["SG".to_string(), "ID".to_string()];
        let mut checked = 0;
        for kind in [EntityKind::Individual, EntityKind::Entity, EntityKind::Vessel] {
            for gender in [None, Some(Gender::Female)] {
                for (d, n, a) in
                    [(&dates[..], &nat[..], &addr[..]), (&[][..], &[][..], &addr[..]), (&[][..], &[][..], &[][..])]
                {
                    let entry = EntryFacts { kind, gender, dates: d, nationalities: n, address_countries: a };
                    for qk in [NameKind::Person, NameKind::Entity, NameKind::Unknown] {
                        for date in [None, Some("1975-06-14"), Some("1975-06-15"), Some("1961"), Some("1990")] {
                            for country in [None, Some("KP"), Some("SG"), Some("US")] {
                                for qg in [None, Some(Gender::Male)] {
                                    let query = QueryFacts {
                                        kind: qk,
                                        date: date.and_then(|d| d.parse().ok()),
                                        country: country.map(String::from),
                                        gender: qg,
                                    };
                                    let points = qualifier_points(&query, &entry);
                                    let s = score_entity(50.0, false, &query, &entry);
                                    let sum: f64 = s.qualifiers.iter().map(|q| q.points).sum();
                                    assert_eq!(points, sum, "{query:?} {entry:?}");
                                    assert_eq!(s.score, qualified(50.0, points));
                                    let weak = score_entity(50.0, true, &query, &entry);
                                    assert_eq!(weak.score, qualified(50.0, points - WEAK_ALIAS));
                                    checked += 1;
                                }
                            }
                        }
                    }
                }
            }
        }
        assert_eq!(checked, 3 * 2 * 3 * 3 * 5 * 4 * 2);
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
