//! EU Financial Sanctions Files (FSF) XML v1.1 reader.
//!
//! The file is `<export generationDate=..>` with one `<sanctionEntity logicalId=..>` per designation;
//! each holds `nameAlias` (name parts, `nameLanguage`, `strong`), `citizenship`, `birthdate` (full date,
//! year only, or `circa` with a year range), `identification`, `address`, `regulation` and `remark`
//! children, nearly everything as attributes. Records are streamed one `sanctionEntity` at a time.
//!
//! Mapping: id `EU-<logicalId>`; the EU marks no primary name, so the first `nameAlias` with separate name
//! parts (else the first in English or without a language) is the primary name, the others are akas
//! (`strong="false"` → weak; repeated identical aliases are kept once); `list` is the first regulation's
//! programme (`TAQA`, `IRQ`, ...), `programs` all of them; `countryIso2Code="00"` means unknown.

use super::country;
use super::xmltree::{Node, RecordEvents, XmlStream};
use super::{ListEvent, ListFormat, ListInfo, ListReader, ListWarning};
use crate::model::{Address, DateValue, EntityName, Gender, Identifier, NameQuality, NameType};
use crate::{Entity, EntityKind, PartialDate, Publisher, Result};
use std::collections::VecDeque;
use std::path::Path;

/// Reads an EU FSF XML file.
///
/// ```
/// let path = saring::lists::bundled_dir().join("eu_fsf_excerpt_2026-08-05.xml");
/// let reader = saring::lists::eu::read(&path).unwrap();
/// assert_eq!(reader.info.publication_date.as_deref(), Some("2026-08-05"));
/// let entities = reader.filter_map(|e| match e.unwrap() {
///     saring::lists::ListEvent::Entity(e) => Some(e),
///     _ => None,
/// });
/// assert_eq!(entities.count(), 4);
/// ```
pub fn read(path: &Path) -> Result<ListReader> {
    let mut xml = XmlStream::open(path)?;
    let root = xml.read_root()?;
    if root.name() != "export" {
        return Err(crate::Error::ListFormat {
            file: path.to_path_buf(),
            reason: format!("not an EU FSF file: root element is <{}>, expected <export>", root.name()),
        });
    }
    let publication_date = root.attr("generationDate").and_then(iso_date_prefix);
    let info =
        ListInfo { path: path.to_path_buf(), format: ListFormat::EuXml, publisher: Publisher::Ec, publication_date };
    let events = RecordEvents::new(xml, &["sanctionEntity"], path, convert);
    Ok(ListReader::new(info, Box::new(events)))
}

/// Whether `path` (with `head`, its first bytes; empty for a directory) looks like this format.
pub(crate) fn sniff(_path: &Path, head: &[u8]) -> Option<ListFormat> {
    let head = String::from_utf8_lossy(head);
    let looks = head.contains("<export") && (head.contains("fpi/fsd/export") || head.contains("<sanctionEntity"));
    looks.then_some(ListFormat::EuXml)
}

/// `2026-08-05T16:47:04.449+02:00` → `2026-08-05`.
pub(crate) fn iso_date_prefix(s: &str) -> Option<String> {
    let d = s.get(..10)?;
    d.parse::<PartialDate>().ok().filter(|p| p.d > 0).map(|_| d.to_string())
}

fn warn(path: &Path, record: u64, reason: String) -> ListEvent {
    ListEvent::Warning(ListWarning { file: path.to_path_buf(), line: record, reason })
}

/// A country from an element's `countryIso2Code` / `countryDescription` (`00` / `UNKNOWN` → none).
fn country_of(node: Node<'_>) -> Option<String> {
    let code = node.attr("countryIso2Code").filter(|c| *c != "00");
    code.and_then(country::to_iso)
        .or_else(|| node.attr("countryDescription").and_then(country::to_iso))
        .map(str::to_string)
}

/// A meaningful attribute: not empty, not `-`.
fn val<'a>(node: Node<'a>, name: &str) -> Option<&'a str> {
    node.attr(name).filter(|v| *v != "-")
}

fn convert(node: Node<'_>, path: &Path, record: u64, out: &mut VecDeque<ListEvent>) {
    let mut e = Entity { publisher: Some(Publisher::Ec), ..Default::default() };
    e.id = match node.attr("logicalId") {
        Some(id) => format!("EU-{id}"),
        None => {
            out.push_back(warn(
                path,
                record,
                "sanctionEntity without logicalId; id made from the record number".into(),
            ));
            format!("EU-record-{record}")
        }
    };
    e.kind = match node.child("subjectType").and_then(|s| s.attr("code")) {
        Some("person") => EntityKind::Individual,
        Some("enterprise") => EntityKind::Entity,
        _ => EntityKind::Unknown,
    };
    for reg in node.children_named("regulation") {
        if let Some(p) = reg.attr("programme") {
            if !e.programs.iter().any(|x| x == p) {
                e.programs.push(p.to_string());
            }
        }
    }
    e.list = e.programs.first().cloned().unwrap_or_default();
    e.listed_on = node
        .attr("designationDate")
        .or_else(|| node.children_named("regulation").filter_map(|r| r.attr("publicationDate")).min())
        .map(str::to_string);
    for r in node.children_named("remark").filter_map(Node::text) {
        e.remarks.push(r.to_string());
    }
    if let Some(d) = node.attr("designationDetails") {
        e.remarks.push(d.to_string());
    }

    for alias in node.children_named("nameAlias") {
        let given = val(alias, "firstName");
        let middle = val(alias, "middleName");
        let family = val(alias, "lastName");
        let full = match val(alias, "wholeName") {
            Some(w) => w.to_string(),
            None => [given, middle, family].iter().flatten().copied().collect::<Vec<_>>().join(" "),
        };
        if full.is_empty() {
            out.push_back(warn(path, record, format!("{}: nameAlias without any name; ignored", e.id)));
            continue;
        }
        let language = alias.attr("nameLanguage").map(str::to_ascii_lowercase);
        if e.names.iter().any(|n| n.full == full && n.language == language) {
            continue;
        }
        let quality = if alias.attr("strong") == Some("false") { NameQuality::Weak } else { NameQuality::Strong };
        e.names.push(EntityName {
            full,
            name_type: NameType::Aka,
            quality,
            given: given.map(str::to_string),
            middle: middle.map(str::to_string),
            family: family.map(str::to_string),
            language,
        });
        if e.gender.is_none() {
            e.gender = match alias.attr("gender") {
                Some("M") => Some(Gender::Male),
                Some("F") => Some(Gender::Female),
                _ => None,
            };
        }
        for r in alias.children_named("remark").filter_map(Node::text) {
            e.remarks.push(r.to_string());
        }
    }

    // The EU marks no primary name: take the first alias with separate name parts, else the first in
    // English or without a language, else the first.
    let primary = e
        .names
        .iter()
        .position(|n| n.family.is_some())
        .or_else(|| e.names.iter().position(|n| matches!(n.language.as_deref(), None | Some("en"))))
        .unwrap_or(0);
    if primary < e.names.len() {
        let mut p = e.names.remove(primary);
        p.name_type = NameType::Primary;
        e.names.insert(0, p);
    }

    for c in node.children_named("citizenship") {
        match country_of(c) {
            Some(iso) if !e.citizenships.contains(&iso) => e.citizenships.push(iso),
            Some(_) => {}
            None if c.attr("countryDescription").is_some_and(|d| d != "UNKNOWN") => out.push_back(warn(
                path,
                record,
                format!("{}: unknown citizenship country {:?}; kept in raw", e.id, c.attr("countryDescription")),
            )),
            None => {}
        }
    }

    for b in node.children_named("birthdate") {
        match birth_date(b) {
            Ok(Some(d)) => {
                if !e.dates_of_birth.contains(&d) {
                    e.dates_of_birth.push(d);
                }
            }
            Ok(None) => {}
            Err(reason) => out.push_back(warn(path, record, format!("{}: {reason}; date ignored, kept in raw", e.id))),
        }
        let place: Vec<&str> = ["city", "place", "region"].iter().filter_map(|k| val(b, k)).collect();
        let country = b.attr("countryDescription").filter(|c| *c != "UNKNOWN");
        let mut place = place.join(", ");
        if let Some(c) = country {
            if !place.is_empty() {
                place.push_str(", ");
            }
            place.push_str(c);
        }
        if !place.is_empty() && !e.places_of_birth.contains(&place) {
            e.places_of_birth.push(place);
        }
        for r in b.children_named("remark").filter_map(Node::text) {
            e.remarks.push(r.to_string());
        }
    }

    for id in node.children_named("identification") {
        let Some(number) = val(id, "number").or_else(|| val(id, "latinNumber")) else {
            continue;
        };
        let kind = match id.attr("identificationTypeCode") {
            Some("passport") => "passport".to_string(),
            Some("id") => "national_id".to_string(),
            Some(other) => other.to_string(),
            None => "other".to_string(),
        };
        let mut notes: Vec<String> = Vec::new();
        if let Some(d) = id.attr("identificationTypeDescription") {
            notes.push(d.to_string());
        }
        for flag in ["knownFalse", "knownExpired", "reportedLost", "revokedByIssuer", "diplomatic"] {
            if id.attr(flag) == Some("true") {
                notes.push(flag.to_string());
            }
        }
        for k in ["issuedBy", "issueDate", "nameOnDocument"] {
            if let Some(v) = val(id, k) {
                notes.push(format!("{k}: {v}"));
            }
        }
        e.identifiers.push(Identifier {
            kind,
            number: number.to_string(),
            country: country_of(id),
            note: (!notes.is_empty()).then(|| notes.join("; ")),
        });
    }

    for a in node.children_named("address") {
        let text: Vec<String> = [val(a, "place").map(str::to_string), val(a, "poBox").map(|p| format!("PO Box {p}"))]
            .into_iter()
            .flatten()
            .collect();
        let addr = Address {
            street: val(a, "street").map(str::to_string),
            city: val(a, "city").map(str::to_string),
            province: val(a, "region").map(str::to_string),
            postal_code: val(a, "zipCode").map(str::to_string),
            country: country_of(a),
            text: (!text.is_empty()).then(|| text.join(", ")),
        };
        if addr != Address::default() {
            e.addresses.push(addr);
        }
    }

    if e.names.is_empty() {
        out.push_back(warn(path, record, format!("{}: sanctionEntity without any name; skipped", e.id)));
        return;
    }
    e.raw = node.to_json();
    out.push_back(ListEvent::Entity(Box::new(e)));
}

/// A `birthdate` element: `birthdate="1937-04-28"`, or `year`/`monthOfYear`/`dayOfMonth`, or a
/// `yearRangeFrom`/`yearRangeTo` range; `circa="true"` marks it approximate.
fn birth_date(b: Node<'_>) -> std::result::Result<Option<DateValue>, String> {
    let num = |k: &str| -> std::result::Result<u32, String> {
        match b.attr(k) {
            None => Ok(0),
            Some(v) => v.parse::<u32>().map_err(|_| format!("birthdate {k}={v:?} is not a number")),
        }
    };
    let approximate = b.attr("circa") == Some("true");
    let make = |y: u32, m: u32, d: u32| -> std::result::Result<PartialDate, String> {
        let (y, m, d) = (
            u16::try_from(y).map_err(|_| format!("year {y} out of range"))?,
            u8::try_from(m).map_err(|_| format!("month {m} out of range"))?,
            u8::try_from(d).map_err(|_| format!("day {d} out of range"))?,
        );
        PartialDate::new(y, m, d).map_err(|e| e.to_string())
    };
    let from = num("yearRangeFrom")?;
    let to = num("yearRangeTo")?;
    let date = if let Some(full) = b.attr("birthdate") {
        full.parse::<PartialDate>().map_err(|_| format!("birthdate {full:?} is not YYYY-MM-DD"))?
    } else if num("year")? > 0 {
        make(num("year")?, num("monthOfYear")?, num("dayOfMonth")?)?
    } else if from > 0 {
        make(from, 0, 0)?
    } else {
        return Ok(None);
    };
    let mut v = DateValue::exact(date);
    v.approximate = approximate;
    if from > 0 && to > 0 && to != from && b.attr("birthdate").is_none() {
        v = DateValue::exact(make(from, 0, 0)?);
        v.approximate = approximate;
        v.to = Some(make(to, 0, 0)?);
    }
    Ok(Some(v))
}

#[cfg(test)]
mod tests {
    use super::super::xmltree::Tree;
    use super::*;

    fn node(attrs: &[(&str, &str)]) -> Tree {
        let attrs: String = attrs.iter().map(|(k, v)| format!(" {k}=\"{v}\"")).collect();
        Tree::parse(&format!("<birthdate{attrs}/>"), "birthdate")
    }

    #[test]
    fn birth_dates() {
        let d = birth_date(node(&[("birthdate", "1937-04-28"), ("year", "1937")]).root()).unwrap().unwrap();
        assert_eq!((d.y, d.m, d.d, d.approximate, d.to), (1937, 4, 28, false, None));
        let d = birth_date(node(&[("year", "1960"), ("monthOfYear", "5")]).root()).unwrap().unwrap();
        assert_eq!((d.y, d.m, d.d), (1960, 5, 0));
        let d = birth_date(node(&[("circa", "true"), ("yearRangeFrom", "1953"), ("yearRangeTo", "1958")]).root())
            .unwrap()
            .unwrap();
        assert_eq!((d.y, d.approximate), (1953, true));
        assert_eq!(d.to, Some(PartialDate { y: 1958, m: 0, d: 0 }));
        assert_eq!(birth_date(node(&[("circa", "false")]).root()).unwrap(), None);
        assert!(birth_date(node(&[("year", "19x0")]).root()).is_err());
        assert!(birth_date(node(&[("year", "1960"), ("monthOfYear", "13")]).root()).is_err());
    }

    #[test]
    fn sniffs_only_eu() {
        let head = br#"<?xml version="1.0"?><export xmlns="http://eu.europa.ec/fpi/fsd/export" generationDate="x">"#;
        assert_eq!(sniff(Path::new("a.xml"), head), Some(ListFormat::EuXml));
        assert_eq!(sniff(Path::new("a.xml"), b"<sdnList>"), None);
        assert_eq!(iso_date_prefix("2026-08-05T16:47:04.449+02:00").as_deref(), Some("2026-08-05"));
        assert_eq!(iso_date_prefix("05/08/2026"), None);
    }
}
