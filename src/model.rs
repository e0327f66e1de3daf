//! The one entity model every list reader produces and every screening result carries.
//!
//! Each publisher's records, whatever their source format, become an [`Entity`]: a stable
//! publisher-scoped id, the names (with their type and quality), dates of birth as [`PartialDate`]s
//! (`{y, m, d}` with 0 for an unknown part, as the Iluma API returns them), countries as ISO 3166-1
//! alpha-2 codes, and `raw`, the unmodified source record as JSON.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Who publishes a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Publisher {
    /// US Treasury OFAC (SDN and consolidated non-SDN lists).
    #[serde(rename = "OFAC")]
    Ofac,
    /// United Nations Security Council consolidated list.
    #[serde(rename = "UNSCR")]
    Unscr,
    /// European Commission financial sanctions file.
    #[serde(rename = "EC")]
    Ec,
    /// United Kingdom (OFSI / UK Sanctions List).
    #[serde(rename = "UK")]
    Uk,
    /// Monetary Authority of Singapore.
    #[serde(rename = "MAS")]
    Mas,
    /// Indonesia PPATK DTTOT.
    #[serde(rename = "PPATK")]
    Ppatk,
    /// Dow Jones Risk & Compliance style feeds (PEP, RCA, SIP, sanctions).
    #[serde(rename = "DOWJONES")]
    DowJones,
    /// A bank's own list.
    #[serde(rename = "CUSTOM")]
    Custom,
}

impl Publisher {
    /// All publishers, in display order.
    pub const ALL: [Publisher; 8] = [
        Publisher::Unscr,
        Publisher::Ofac,
        Publisher::Ppatk,
        Publisher::Mas,
        Publisher::Ec,
        Publisher::Uk,
        Publisher::DowJones,
        Publisher::Custom,
    ];

    /// The code used in the API and on the command line (`OFAC`, `UNSCR`, ...).
    pub fn code(self) -> &'static str {
        match self {
            Publisher::Ofac => "OFAC",
            Publisher::Unscr => "UNSCR",
            Publisher::Ec => "EC",
            Publisher::Uk => "UK",
            Publisher::Mas => "MAS",
            Publisher::Ppatk => "PPATK",
            Publisher::DowJones => "DOWJONES",
            Publisher::Custom => "CUSTOM",
        }
    }
}

impl fmt::Display for Publisher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Publisher {
    type Err = crate::Error;

    /// Parses a publisher code, case-insensitively; `UN` and `EU` are accepted for `UNSCR` and `EC`.
    ///
    /// ```
    /// use saring::Publisher;
    /// assert_eq!("ofac".parse::<Publisher>().unwrap(), Publisher::Ofac);
    /// assert_eq!("EU".parse::<Publisher>().unwrap(), Publisher::Ec);
    /// assert!("NASA".parse::<Publisher>().is_err());
    /// ```
    fn from_str(s: &str) -> crate::Result<Self> {
        let up = s.trim().to_ascii_uppercase();
        let p = match up.as_str() {
            "OFAC" => Publisher::Ofac,
            "UNSCR" | "UN" => Publisher::Unscr,
            "EC" | "EU" => Publisher::Ec,
            "UK" | "OFSI" => Publisher::Uk,
            "MAS" => Publisher::Mas,
            "PPATK" | "DTTOT" => Publisher::Ppatk,
            "DOWJONES" | "DJ" | "DOW_JONES" => Publisher::DowJones,
            "CUSTOM" => Publisher::Custom,
            _ => {
                return Err(crate::Error::InvalidInput(format!(
                    "unknown publisher {s:?}; expected one of UNSCR, OFAC, PPATK, MAS, EC, UK, DOWJONES, CUSTOM"
                )))
            }
        };
        Ok(p)
    }
}

/// What a list entry designates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EntityKind {
    /// A natural person.
    Individual,
    /// An organisation, company or group.
    Entity,
    /// A ship.
    Vessel,
    /// An aircraft.
    Aircraft,
    /// Not stated by the source.
    #[default]
    Unknown,
}

/// The role of one name of an entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NameType {
    /// The main name.
    #[default]
    Primary,
    /// Also known as.
    Aka,
    /// Formerly known as.
    Fka,
    /// Now known as.
    Nka,
    /// A spelling variant of another name.
    SpellingVariant,
    /// The name in its original (non-Latin) script.
    OriginalScript,
}

/// How reliable a name is as an identifier (OFAC/UN "low quality" or "weak" aliases are `Weak`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum NameQuality {
    /// A good-quality name.
    #[default]
    Strong,
    /// A low-quality or weak alias: discounted in screening.
    Weak,
}

/// One name of an entity, with its parts where the source gives them.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct EntityName {
    /// The whole name as the source wrote it (for OFAC individuals, `SURNAME, Given`).
    pub full: String,
    /// Primary, aka, fka, ...
    #[serde(rename = "type")]
    pub name_type: NameType,
    /// Strong or weak.
    pub quality: NameQuality,
    /// Given name(s), when the source separates them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub given: Option<String>,
    /// Middle name(s), when the source separates them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub middle: Option<String>,
    /// Family name, when the source separates it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub family: Option<String>,
    /// Language or script tag from the source (`ru`, `ar`, ...), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
}

impl EntityName {
    /// A name of the given type with only its full text.
    pub fn new(full: impl Into<String>, name_type: NameType, quality: NameQuality) -> Self {
        EntityName { full: full.into(), name_type, quality, ..Default::default() }
    }
}

/// A date with possibly unknown parts: `{y, m, d}` with 0 for an unknown part (Iluma's convention).
///
/// ```
/// use saring::PartialDate;
/// let d: PartialDate = "1981-05".parse().unwrap();
/// assert_eq!((d.y, d.m, d.d), (1981, 5, 0));
/// assert_eq!(d.to_string(), "1981-05");
/// assert!("1981-13-01".parse::<PartialDate>().is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize)]
pub struct PartialDate {
    /// Year, 0 when unknown.
    pub y: u16,
    /// Month 1–12, 0 when unknown.
    pub m: u8,
    /// Day 1–31, 0 when unknown.
    pub d: u8,
}

impl PartialDate {
    /// Builds a date, checking ranges (0 means unknown for each part; a day needs a month).
    pub fn new(y: u16, m: u8, d: u8) -> crate::Result<Self> {
        if m > 12 || d > 31 || (d > 0 && m == 0) || y > 9999 {
            return Err(crate::Error::InvalidInput(format!("invalid date {y:04}-{m:02}-{d:02}")));
        }
        if d > 0 {
            let max = days_in_month(y, m);
            if d > max {
                return Err(crate::Error::InvalidInput(format!("invalid date {y:04}-{m:02}-{d:02}")));
            }
        }
        Ok(PartialDate { y, m, d })
    }

    /// True when no part is known.
    pub fn is_empty(&self) -> bool {
        self.y == 0 && self.m == 0 && self.d == 0
    }
}

fn days_in_month(y: u16, m: u8) -> u8 {
    match m {
        2 if y == 0 || (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.y, self.m, self.d) {
            (y, 0, _) => write!(f, "{y:04}"),
            (y, m, 0) => write!(f, "{y:04}-{m:02}"),
            (y, m, d) => write!(f, "{y:04}-{m:02}-{d:02}"),
        }
    }
}

impl FromStr for PartialDate {
    type Err = crate::Error;

    /// Parses `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    fn from_str(s: &str) -> crate::Result<Self> {
        let bad = || crate::Error::InvalidInput(format!("invalid date {s:?}: expected YYYY, YYYY-MM or YYYY-MM-DD"));
        let parts: Vec<&str> = s.trim().split('-').collect();
        if parts.is_empty() || parts.len() > 3 || parts[0].len() != 4 {
            return Err(bad());
        }
        let num = |p: &str, len: usize| -> crate::Result<u32> {
            if p.len() != len || !p.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad());
            }
            p.parse::<u32>().map_err(|_| bad())
        };
        let y = num(parts[0], 4)? as u16;
        let m = if parts.len() > 1 { num(parts[1], 2)? as u8 } else { 0 };
        let d = if parts.len() > 2 { num(parts[2], 2)? as u8 } else { 0 };
        if (parts.len() > 1 && m == 0) || (parts.len() > 2 && d == 0) {
            return Err(bad());
        }
        PartialDate::new(y, m, d).map_err(|_| bad())
    }
}

/// A date of birth (or of registration) as a list states it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct DateValue {
    /// Year, 0 when unknown.
    pub y: u16,
    /// Month, 0 when unknown.
    pub m: u8,
    /// Day, 0 when unknown.
    pub d: u8,
    /// The source says "circa" / "approximately".
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub approximate: bool,
    /// End of a range ("1955 to 1957", BETWEEN): this value is the start.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<PartialDate>,
}

impl DateValue {
    /// An exact (possibly partial) date.
    pub fn exact(date: PartialDate) -> Self {
        DateValue { y: date.y, m: date.m, d: date.d, approximate: false, to: None }
    }

    /// The (start) date as a [`PartialDate`].
    pub fn date(&self) -> PartialDate {
        PartialDate { y: self.y, m: self.m, d: self.d }
    }
}

/// A postal address; countries are ISO 3166-1 alpha-2 codes.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Address {
    /// Street lines.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub street: Option<String>,
    /// City.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    /// Province or state.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub province: Option<String>,
    /// Postal code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postal_code: Option<String>,
    /// ISO 3166-1 alpha-2 country code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// Free text when the source does not split the address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

/// An identity document or registration number.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Identifier {
    /// `passport`, `national_id`, `tax_id`, `imo`, `registration`, ... or the source's own label.
    pub kind: String,
    /// The number as written.
    pub number: String,
    /// Issuing country (ISO alpha-2), if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// Extra text (issue date, "expires ...").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A digital currency address (OFAC `Digital Currency Address - XBT ...`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct CryptoAddress {
    /// Currency code (XBT, ETH, ...).
    pub currency: String,
    /// The address.
    pub address: String,
}

/// Gender as stated by the source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Gender {
    /// Male.
    Male,
    /// Female.
    Female,
}

/// One designated person, organisation, vessel or aircraft.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Entity {
    /// Publisher-scoped stable id (`OFAC-SDN-10000`, `UN-QDi.410`).
    pub id: String,
    /// Who publishes the list.
    pub publisher: Option<Publisher>,
    /// Sub-list or programme: `SDN`, `NON-SDN`, UN list type, DJ category (PEP, RCA, SIP, Sanctions).
    pub list: String,
    /// Person, organisation, vessel, aircraft.
    pub kind: EntityKind,
    /// All names; the first is the primary name.
    pub names: Vec<EntityName>,
    /// Dates of birth (for organisations: dates of registration).
    #[serde(default)]
    pub dates_of_birth: Vec<DateValue>,
    /// Places of birth as written.
    #[serde(default)]
    pub places_of_birth: Vec<String>,
    /// Nationalities (ISO alpha-2).
    #[serde(default)]
    pub nationalities: Vec<String>,
    /// Citizenships (ISO alpha-2).
    #[serde(default)]
    pub citizenships: Vec<String>,
    /// Addresses.
    #[serde(default)]
    pub addresses: Vec<Address>,
    /// Passports, national ids, registration numbers, IMO numbers.
    #[serde(default)]
    pub identifiers: Vec<Identifier>,
    /// Digital currency addresses.
    #[serde(default)]
    pub crypto_addresses: Vec<CryptoAddress>,
    /// Gender, if stated.
    #[serde(default)]
    pub gender: Option<Gender>,
    /// Sanctions programmes (`SDGT`, `DPRK3`, ...).
    #[serde(default)]
    pub programs: Vec<String>,
    /// Remarks / other information, as written.
    #[serde(default)]
    pub remarks: Vec<String>,
    /// Date first listed, as written by the source (ISO where it could be parsed).
    #[serde(default)]
    pub listed_on: Option<String>,
    /// Date last updated.
    #[serde(default)]
    pub updated: Option<String>,
    /// The unmodified source record as JSON (Iluma's `record_data`).
    #[serde(default)]
    pub raw: serde_json::Value,
}

impl Entity {
    /// The primary name (the first name), or `""` if the entity has none.
    pub fn primary_name(&self) -> &str {
        self.names.first().map(|n| n.full.as_str()).unwrap_or("")
    }

    /// A stable 64-bit hash of the entity's content (everything, `raw` included), as 16 hex digits.
    ///
    /// Two entities with the same id but a different hash changed between two list versions.
    pub fn content_hash(&self) -> String {
        let bytes = serde_json::to_vec(self).unwrap_or_default();
        format!("{:016x}", xxhash_rust::xxh3::xxh3_64(&bytes))
    }
}

/// The proleptic Gregorian date (year, month, day) of a day number counted from 1970-01-01 (Howard
/// Hinnant's civil-from-days algorithm).
pub(crate) fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}
