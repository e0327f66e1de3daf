//! UK Sanctions List (FCDO, the only official UK list since 28 January 2026) XML reader.
//!
//! `<Designations dateGenerated=..>` holds one `<Designation>` per person, entity or ship: `UniqueID`,
//! `Names/Name` (`Name1`..`Name6`, Name6 being the family or entity name, `NameType` with inconsistent
//! casing, `AliasStrength` good/low quality), `NonLatinNames`, `RegimeName`, `IndividualEntityShip`,
//! `Addresses`, and per-kind details (`IndividualDetails` with DOBs such as `dd/mm/1968` or `dd/09/1958`,
//! nationalities, passports, national ids, birth places; `ShipDetails` with IMO numbers). Streamed one
//! designation at a time. Ids are `UK-<UniqueID>`.

use super::country;
use super::uk_csv::parse_dmy;
use super::xmltree::{Node, RecordEvents, XmlStream};
use super::{ListEvent, ListFormat, ListInfo, ListReader, ListWarning};
use crate::model::{Address, DateValue, EntityName, Gender, Identifier, NameQuality, NameType};
use crate::{Entity, EntityKind, Publisher, Result};
use std::collections::VecDeque;
use std::path::Path;

/// Reads a UK Sanctions List XML file.
///
/// ```
/// let path = saring::lists::bundled_dir().join("uk_sanctions_list_excerpt_2026-08-14.xml");
/// let reader = saring::lists::uk_xml::read(&path).unwrap();
/// assert_eq!(reader.info.publication_date.as_deref(), Some("2026-08-14"));
/// assert_eq!(reader.count(), 4);
/// ```
pub fn read(path: &Path) -> Result<ListReader> {
    let mut xml = XmlStream::open(path)?;
    let root = xml.read_root()?;
    if root.name() != "Designations" {
        return Err(crate::Error::ListFormat {
            file: path.to_path_buf(),
            reason: format!("not a UK Sanctions List file: root element is <{}>, expected <Designations>", root.name()),
        });
    }
    let publication_date = root.attr("dateGenerated").and_then(super::eu::iso_date_prefix);
    let info =
        ListInfo { path: path.to_path_buf(), format: ListFormat::UkXml, publisher: Publisher::Uk, publication_date };
    let events = RecordEvents::new(xml, &["Designation"], path, convert);
    Ok(ListReader::new(info, Box::new(events)))
}

/// Whether `path` (with `head`, its first bytes; empty for a directory) looks like this format.
pub(crate) fn sniff(_path: &Path, head: &[u8]) -> Option<ListFormat> {
    let head = String::from_utf8_lossy(head);
    let looks = head.contains("<Designations")
        && (head.contains("<Designation>") || head.contains("SanctionsListSchema") || head.contains("<DateGenerated>"));
    looks.then_some(ListFormat::UkXml)
}

fn texts<'a>(node: Node<'a>, path: &[&str]) -> Vec<&'a str> {
    node.descendants(path).into_iter().filter_map(Node::text).collect()
}

fn convert(node: Node<'_>, path: &Path, record: u64, out: &mut VecDeque<ListEvent>) {
    let warn = |reason: String| ListEvent::Warning(ListWarning { file: path.to_path_buf(), line: record, reason });
    let mut e = Entity { publisher: Some(Publisher::Uk), ..Default::default() };
    e.id = match node.child_text("UniqueID") {
        Some(id) => format!("UK-{id}"),
        None => {
            out.push_back(warn("Designation without UniqueID; id made from the record number".into()));
            format!("UK-record-{record}")
        }
    };
    e.kind = match node.child_text("IndividualEntityShip").map(str::to_ascii_lowercase).as_deref() {
        Some("individual") => EntityKind::Individual,
        Some("entity") => EntityKind::Entity,
        Some("ship") => EntityKind::Vessel,
        _ => EntityKind::Unknown,
    };
    if let Some(regime) = node.child_text("RegimeName") {
        e.list = regime.to_string();
        e.programs.push(regime.to_string());
    }
    e.listed_on = node.child_text("DateDesignated").map(iso_or_text);
    e.updated = node.child_text("LastUpdated").map(iso_or_text);
    for k in ["OtherInformation", "UKStatementofReasons"] {
        if let Some(t) = node.child_text(k) {
            e.remarks.push(t.to_string());
        }
    }

    let mut names: Vec<EntityName> = Vec::new();
    for n in node.descendants(&["Names", "Name"]) {
        let parts: Vec<&str> = (1..=6).filter_map(|i| n.child_text(&format!("Name{i}"))).collect();
        if parts.is_empty() {
            out.push_back(warn(format!("{}: Name without any name part; ignored", e.id)));
            continue;
        }
        let given = n.child_text("Name1");
        let middle: Vec<&str> = (2..=5).filter_map(|i| n.child_text(&format!("Name{i}"))).collect();
        let family = n.child_text("Name6");
        let ty = n.child_text("NameType").unwrap_or("").to_ascii_lowercase();
        let name_type = match ty.as_str() {
            "primary name" | "primary name variation" => NameType::Primary,
            t if t.contains("former") || t.contains("fka") => NameType::Fka,
            _ => NameType::Aka,
        };
        let strength = n.child_text("AliasStrength").unwrap_or("").to_ascii_lowercase();
        let quality = if strength.starts_with("low") { NameQuality::Weak } else { NameQuality::Strong };
        let name = EntityName {
            full: parts.join(" "),
            name_type,
            quality,
            given: given.map(str::to_string),
            middle: (!middle.is_empty()).then(|| middle.join(" ")),
            family: family.map(str::to_string),
            language: None,
        };
        if !names.iter().any(|x| x.full == name.full) {
            names.push(name);
        }
    }
    // The primary name first; if none is marked primary, the first name becomes it.
    if let Some(pos) = names.iter().position(|n| n.name_type == NameType::Primary) {
        let primary = names.remove(pos);
        names.insert(0, primary);
        for n in names.iter_mut().skip(1) {
            if n.name_type == NameType::Primary {
                n.name_type = NameType::SpellingVariant;
            }
        }
    } else if let Some(first) = names.first_mut() {
        first.name_type = NameType::Primary;
    }
    for t in texts(node, &["NonLatinNames", "NonLatinName", "NameNonLatinScript"]) {
        names.push(EntityName::new(t, NameType::OriginalScript, NameQuality::Strong));
    }
    e.names = names;

    for a in node.descendants(&["Addresses", "Address"]) {
        let street: Vec<&str> = (1..=5).filter_map(|i| a.child_text(&format!("AddressLine{i}"))).collect();
        let country_text = a.child_text("AddressCountry");
        let addr = Address {
            street: (!street.is_empty()).then(|| street.join(", ")),
            city: a.child_text("AddressLine6").map(str::to_string),
            postal_code: a.child_text("AddressPostalCode").map(str::to_string),
            country: country_text.and_then(|c| country::split_countries(c).first().copied()).map(str::to_string),
            text: country_text.filter(|c| country::to_iso(c).is_none()).map(str::to_string),
            ..Default::default()
        };
        if addr != Address::default() {
            e.addresses.push(addr);
        }
    }

    for ind in node.descendants(&["IndividualDetails", "Individual"]) {
        for dob in texts(ind, &["DOBs", "DOB"]) {
            match parse_dmy(dob) {
                Some(d) => {
                    let v = DateValue::exact(d);
                    if !e.dates_of_birth.contains(&v) {
                        e.dates_of_birth.push(v);
                    }
                }
                None => out.push_back(warn(format!("{}: unreadable DOB {dob:?}; kept in raw", e.id))),
            }
        }
        for nat in texts(ind, &["Nationalities", "Nationality"]) {
            let found = country::split_countries(nat);
            if found.is_empty() {
                out.push_back(warn(format!("{}: unknown nationality {nat:?}; kept in raw", e.id)));
            }
            for c in found {
                if !e.nationalities.iter().any(|x| x == c) {
                    e.nationalities.push(c.to_string());
                }
            }
        }
        for loc in ind.descendants(&["BirthDetails", "Location"]) {
            let parts: Vec<&str> = ["TownOfBirth", "CountryOfBirth"].iter().filter_map(|k| loc.child_text(k)).collect();
            let place = parts.join(", ");
            if !place.is_empty() && !e.places_of_birth.contains(&place) {
                e.places_of_birth.push(place);
            }
        }
        for p in ind.descendants(&["PassportDetails", "Passport"]) {
            if let Some(num) = p.child_text("PassportNumber") {
                e.identifiers.push(Identifier {
                    kind: "passport".into(),
                    number: num.to_string(),
                    country: None,
                    note: p.child_text("PassportAdditionalInformation").map(str::to_string),
                });
            }
        }
        for p in ind.descendants(&["NationalIdentifierDetails", "NationalIdentifier"]) {
            if let Some(num) = p.child_text("NationalIdentifierNumber") {
                e.identifiers.push(Identifier {
                    kind: "national_id".into(),
                    number: num.to_string(),
                    country: None,
                    note: p.child_text("NationalIdentifierAdditionalInformation").map(str::to_string),
                });
            }
        }
        e.gender = match ind.child_text("Gender").map(str::to_ascii_lowercase).as_deref() {
            Some("male") => Some(Gender::Male),
            Some("female") => Some(Gender::Female),
            _ => e.gender,
        };
    }
    for imo in texts(node, &["ShipDetails", "Ship", "IMONumbers", "IMONumber"]) {
        e.identifiers.push(Identifier { kind: "imo".into(), number: imo.to_string(), ..Default::default() });
    }

    if e.names.is_empty() {
        out.push_back(warn(format!("{}: Designation without any name; skipped", e.id)));
        return;
    }
    e.raw = node.to_json();
    out.push_back(ListEvent::Entity(Box::new(e)));
}

/// `29/04/2026` → `2026-04-29`; text that is not such a date is kept as written.
fn iso_or_text(s: &str) -> String {
    parse_dmy(s).map(|d| d.to_string()).unwrap_or_else(|| s.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_only_uk() {
        assert_eq!(sniff(Path::new("a.xml"), b"<Designations x='1'>\n <DateGenerated>"), Some(ListFormat::UkXml));
        assert_eq!(sniff(Path::new("a.xml"), b"<export>"), None);
        assert_eq!(iso_or_text("29/04/2026"), "2026-04-29");
    }
}
