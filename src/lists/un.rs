//! UN Security Council consolidated list XML (`CONSOLIDATED_LIST` with `INDIVIDUALS` and `ENTITIES`).
//!
//! Streamed one `INDIVIDUAL` / `ENTITY` at a time. Names are the `FIRST_NAME` .. `FOURTH_NAME` parts
//! joined (stray spaces trimmed); aliases carry a quality (`Good` → strong, `Low` → weak; `a.k.a.` and
//! `f.k.a.` are plain strong aliases), `NAME_ORIGINAL_SCRIPT` is an original-script name. Dates of birth
//! are `EXACT`, `APPROXIMATELY` or `BETWEEN` (`FROM_YEAR`..`TO_YEAR`). The UN fills absent facts with
//! empty placeholder elements (`<COUNTRY/>`, `<ALIAS_NAME/>`); those are ignored.

use super::ofac_csv::push_country;
use super::ofac_xml::{root_element, Node, XmlRecords};
use super::{country, ListEvent, ListFormat, ListInfo, ListReader, ListWarning};
use crate::model::{Address, DateValue, Entity, EntityKind, EntityName, Gender, Identifier, NameQuality, NameType};
use crate::{Error, PartialDate, Publisher, Result};
use std::collections::VecDeque;
use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};

/// Whether the file's root element is `CONSOLIDATED_LIST`.
pub(crate) fn sniff(path: &Path, head: &[u8]) -> Option<ListFormat> {
    let _ = path;
    (root_element(head).as_deref() == Some("CONSOLIDATED_LIST")).then_some(ListFormat::UnXml)
}

/// Reads a UN consolidated list XML file.
///
/// ```no_run
/// let reader = saring::lists::un::read(std::path::Path::new("data/lists/un_consolidated_2026-02-27.xml")).unwrap();
/// assert_eq!(reader.info.publication_date.as_deref(), Some("2026-02-27"));
/// ```
pub fn read(path: &Path) -> Result<ListReader> {
    let mut records = XmlRecords::open(path, &["INDIVIDUAL", "ENTITY"])?;
    let first = records.next_record()?;
    let root = records.root.as_ref();
    match root.map(|r| r.name.as_str()) {
        Some("CONSOLIDATED_LIST") => {}
        Some(other) => {
            return Err(Error::ListFormat {
                file: path.to_path_buf(),
                reason: format!("root element is <{other}>, not <CONSOLIDATED_LIST>: not a UN consolidated list"),
            })
        }
        None => return Err(Error::ListFormat { file: path.to_path_buf(), reason: "empty XML file".into() }),
    }
    let publication_date = root
        .and_then(|r| r.attrs.iter().find(|(k, _)| k == "dateGenerated"))
        .map(|(_, v)| v.get(..10).filter(|d| d.parse::<PartialDate>().is_ok()).unwrap_or(v).to_string());
    let info =
        ListInfo { path: path.to_path_buf(), format: ListFormat::UnXml, publisher: Publisher::Unscr, publication_date };
    let entries = UnEntries { records, pending: first, path: path.to_path_buf(), queue: VecDeque::new() };
    Ok(ListReader::new(info, Box::new(entries)))
}

struct UnEntries {
    records: XmlRecords<BufReader<File>>,
    pending: Option<Node>,
    path: PathBuf,
    queue: VecDeque<ListEvent>,
}

impl Iterator for UnEntries {
    type Item = Result<ListEvent>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(ev) = self.queue.pop_front() {
                return Some(Ok(ev));
            }
            let node = match self.pending.take() {
                Some(n) => n,
                None => match self.records.next_record() {
                    Ok(Some(n)) => n,
                    Ok(None) => return None,
                    Err(e) => return Some(Err(e)),
                },
            };
            let record = self.records.count;
            let mut problems = Vec::new();
            if let Some(e) = record_entity(&node, &mut problems) {
                self.queue.push_back(ListEvent::Entity(Box::new(e)));
            }
            for reason in problems {
                self.queue.push_back(ListEvent::Warning(ListWarning { file: self.path.clone(), line: record, reason }));
            }
        }
    }
}

/// Collapses runs of whitespace and trims.
fn clean(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn cleaned(n: &Node, tag: &str) -> Option<String> {
    n.text_of(tag).map(clean).filter(|s| !s.is_empty())
}

/// Maps one INDIVIDUAL or ENTITY record.
fn record_entity(node: &Node, problems: &mut Vec<String>) -> Option<Entity> {
    let kind = if node.name == "INDIVIDUAL" { EntityKind::Individual } else { EntityKind::Entity };
    let id = match (node.text_of("REFERENCE_NUMBER"), node.text_of("DATAID")) {
        (Some(r), _) => format!("UN-{}", r.trim()),
        (None, Some(d)) => {
            problems.push(format!("record DATAID {d} has no REFERENCE_NUMBER; id built from DATAID"));
            format!("UN-DATAID-{}", d.trim())
        }
        (None, None) => {
            problems.push(format!("{} without REFERENCE_NUMBER or DATAID; skipped", node.name));
            return None;
        }
    };
    let parts: Vec<String> =
        ["FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME"].iter().filter_map(|t| cleaned(node, t)).collect();
    if parts.is_empty() {
        problems.push(format!("{id}: no name; skipped"));
        return None;
    }
    let list = cleaned(node, "UN_LIST_TYPE").unwrap_or_default();
    let mut e =
        Entity { id: id.clone(), publisher: Some(Publisher::Unscr), list: list.clone(), kind, ..Default::default() };
    if !list.is_empty() {
        e.programs.push(list);
    }
    e.names.push(EntityName::new(parts.join(" "), NameType::Primary, NameQuality::Strong));
    if let Some(orig) = cleaned(node, "NAME_ORIGINAL_SCRIPT") {
        e.names.push(EntityName::new(orig, NameType::OriginalScript, NameQuality::Strong));
    }
    let alias_tag = if kind == EntityKind::Individual { "INDIVIDUAL_ALIAS" } else { "ENTITY_ALIAS" };
    for a in node.all(alias_tag) {
        let Some(name) = cleaned(a, "ALIAS_NAME") else { continue };
        let q = a.text_of("QUALITY").unwrap_or("").to_ascii_lowercase();
        let quality = if q.contains("low") { NameQuality::Weak } else { NameQuality::Strong };
        let name_type = if q.contains("f.k.a") || q == "fka" { NameType::Fka } else { NameType::Aka };
        // Kept as the UN wrote them, repeats included.
        e.names.push(EntityName::new(name, name_type, quality));
        // Some aliases carry their own date of birth.
        if let Some(d) = a.text_of("DATE_OF_BIRTH") {
            match iso_date(d) {
                Some(v) => push_date(&mut e.dates_of_birth, v),
                None => problems.push(format!("{id}: alias date of birth {d:?} not understood; kept in raw")),
            }
        }
    }
    for v in node.all("NATIONALITY").flat_map(|n| n.all("VALUE")) {
        if !v.text.is_empty() {
            push_country(&mut e.nationalities, &v.text);
        }
    }
    let addr_tag = if kind == EntityKind::Individual { "INDIVIDUAL_ADDRESS" } else { "ENTITY_ADDRESS" };
    for a in node.all(addr_tag) {
        if let Some(addr) = address(a) {
            e.addresses.push(addr);
        }
    }
    for d in node.all("INDIVIDUAL_DATE_OF_BIRTH") {
        if d.is_empty() {
            continue;
        }
        match birth_date(d) {
            Ok(Some(v)) => push_date(&mut e.dates_of_birth, v),
            Ok(None) => {}
            Err(reason) => problems.push(format!("{id}: {reason}; kept in raw")),
        }
    }
    for p in node.all("INDIVIDUAL_PLACE_OF_BIRTH") {
        let place: Vec<String> = ["CITY", "STATE_PROVINCE", "COUNTRY"].iter().filter_map(|t| cleaned(p, t)).collect();
        if !place.is_empty() {
            e.places_of_birth.push(place.join(", "));
        }
    }
    for d in node.all("INDIVIDUAL_DOCUMENT") {
        if let Some(ident) = document(d) {
            e.identifiers.push(ident);
        }
    }
    e.gender = match node.text_of("GENDER").map(str::to_ascii_lowercase).as_deref() {
        Some("male") => Some(Gender::Male),
        Some("female") => Some(Gender::Female),
        _ => None,
    };
    if let Some(c) = node.text_of("COMMENTS1") {
        e.remarks.push(c.to_string());
    }
    e.listed_on = cleaned(node, "LISTED_ON");
    e.updated = node
        .all("LAST_DAY_UPDATED")
        .flat_map(|n| n.all("VALUE"))
        .filter(|v| !v.text.is_empty())
        .map(|v| v.text.clone())
        .max();
    e.raw = node.to_json();
    Some(e)
}

fn push_date(list: &mut Vec<DateValue>, d: DateValue) {
    if !list.contains(&d) {
        list.push(d);
    }
}

/// `YYYY-MM-DD`, `YYYY-MM` or `YYYY` (time part, if any, ignored).
fn iso_date(s: &str) -> Option<DateValue> {
    let s = s.trim();
    // xs:date may carry a time or a zone: "1960-01-01-05:00", "1960-01-01Z", "1960-01-01T00:00:00".
    let s = s
        .get(..10)
        .filter(|_| s.len() > 10 && matches!(s.as_bytes().get(10), Some(b'T' | b'-' | b'+' | b'Z')))
        .unwrap_or(s);
    s.parse::<PartialDate>().ok().map(DateValue::exact)
}

fn year(n: &Node, tag: &str) -> std::result::Result<Option<u16>, String> {
    match n.text_of(tag) {
        None => Ok(None),
        Some(t) => t
            .trim()
            .parse::<u16>()
            .ok()
            .filter(|y| (1000..=9999).contains(y))
            .map(Some)
            .ok_or_else(|| format!("{tag} {t:?} is not a year")),
    }
}

/// One INDIVIDUAL_DATE_OF_BIRTH element.
fn birth_date(d: &Node) -> std::result::Result<Option<DateValue>, String> {
    let kind = d.text_of("TYPE_OF_DATE").unwrap_or("EXACT").to_ascii_uppercase();
    let base = match (d.text_of("DATE"), year(d, "YEAR")?) {
        (Some(text), _) => Some(iso_date(text).ok_or_else(|| format!("date of birth {text:?} not understood"))?),
        (None, Some(y)) => Some(DateValue::exact(PartialDate { y, m: 0, d: 0 })),
        (None, None) => None,
    };
    match kind.as_str() {
        "BETWEEN" => {
            let (from, to) = (year(d, "FROM_YEAR")?, year(d, "TO_YEAR")?);
            match (from, to, base) {
                (Some(f), Some(t), _) => Ok(Some(DateValue {
                    y: f,
                    m: 0,
                    d: 0,
                    approximate: false,
                    to: Some(PartialDate { y: t, m: 0, d: 0 }),
                })),
                (Some(y), None, _) | (None, Some(y), _) => Ok(Some(DateValue::exact(PartialDate { y, m: 0, d: 0 }))),
                (None, None, b) => b.map(Some).ok_or_else(|| "BETWEEN date without FROM_YEAR/TO_YEAR".to_string()),
            }
        }
        "APPROXIMATELY" => Ok(base.map(|mut b| {
            b.approximate = true;
            b
        })),
        "EXACT" => Ok(base),
        other => match base {
            Some(b) => Ok(Some(b)),
            None => Err(format!("unknown TYPE_OF_DATE {other:?}")),
        },
    }
}

fn address(a: &Node) -> Option<Address> {
    let street = cleaned(a, "STREET");
    let city = cleaned(a, "CITY");
    let province = cleaned(a, "STATE_PROVINCE");
    let postal = cleaned(a, "ZIP_CODE");
    let ctry = cleaned(a, "COUNTRY");
    let note = cleaned(a, "NOTE");
    let text =
        [street.as_deref(), city.as_deref(), province.as_deref(), postal.as_deref(), ctry.as_deref(), note.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(", ");
    if text.is_empty() {
        return None;
    }
    Some(Address {
        street,
        city,
        province,
        postal_code: postal,
        country: ctry.as_deref().and_then(country::to_iso).map(String::from),
        text: Some(text),
    })
}

fn document(d: &Node) -> Option<Identifier> {
    let number = cleaned(d, "NUMBER");
    let label = cleaned(d, "TYPE_OF_DOCUMENT").or_else(|| cleaned(d, "TYPE_OF_DOCUMENT2"));
    if number.is_none() && label.is_none() {
        return None;
    }
    let label_l = label.as_deref().unwrap_or("").to_ascii_lowercase();
    let kind = if label_l.contains("passport") {
        "passport".to_string()
    } else if label_l.contains("national identification") || label_l.contains("national id") {
        "national_id".to_string()
    } else if label_l.is_empty() {
        "document".to_string()
    } else {
        label_l.replace(' ', "_")
    };
    let country_text = cleaned(d, "ISSUING_COUNTRY").or_else(|| cleaned(d, "COUNTRY_OF_ISSUE"));
    let notes: Vec<String> = [
        ("", "TYPE_OF_DOCUMENT2"),
        ("issuing country ", "ISSUING_COUNTRY"),
        ("country of issue ", "COUNTRY_OF_ISSUE"),
        ("issued ", "DATE_OF_ISSUE"),
        ("issued in ", "CITY_OF_ISSUE"),
        ("", "NOTE"),
    ]
    .iter()
    .filter_map(|(w, t)| cleaned(d, t).map(|v| format!("{w}{v}")))
    .collect();
    Some(Identifier {
        kind,
        number: number.unwrap_or_default(),
        country: country_text.as_deref().and_then(country::to_iso).map(String::from),
        note: (!notes.is_empty()).then(|| notes.join("; ")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(xml: &str) -> Node {
        let mut r = XmlRecords::new(xml.as_bytes(), Path::new("t.xml"), &["INDIVIDUAL_DATE_OF_BIRTH"]);
        r.next_record().unwrap().unwrap()
    }

    #[test]
    fn birth_dates() {
        let d = birth_date(&node("<INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>BETWEEN</TYPE_OF_DATE><FROM_YEAR>1973</FROM_YEAR><TO_YEAR>1974</TO_YEAR></INDIVIDUAL_DATE_OF_BIRTH>")).unwrap().unwrap();
        assert_eq!((d.y, d.to.map(|t| t.y)), (1973, Some(1974)));
        let d = birth_date(&node("<INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>APPROXIMATELY</TYPE_OF_DATE><YEAR>1966</YEAR></INDIVIDUAL_DATE_OF_BIRTH>")).unwrap().unwrap();
        assert_eq!((d.y, d.approximate), (1966, true));
        let d = birth_date(&node("<INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>EXACT</TYPE_OF_DATE><DATE>1969-08-18</DATE></INDIVIDUAL_DATE_OF_BIRTH>")).unwrap().unwrap();
        assert_eq!((d.y, d.m, d.d), (1969, 8, 18));
        assert!(
            birth_date(&node("<INDIVIDUAL_DATE_OF_BIRTH><DATE>18/08/1969</DATE></INDIVIDUAL_DATE_OF_BIRTH>")).is_err()
        );
        assert_eq!(clean("  ABU   BAKR "), "ABU BAKR");
        assert_eq!(iso_date("1960-01-01-05:00").map(|d| (d.y, d.m, d.d)), Some((1960, 1, 1)));
    }
}
