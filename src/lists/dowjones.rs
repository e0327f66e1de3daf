//! Dow Jones Risk & Compliance "PFA"-style XML reader (PEP, RCA, SIP and sanctions profiles).
//!
//! A feed is one `<PFA>` document: reference lists first (`CountryList` of Dow Jones country codes,
//! `Description1List`/`2`/`3` category taxonomies, `SanctionsReferencesList`, `RelationshipList`, ...),
//! then `<Person>` and `<Entity>` records. Full files hold millions of records, so the reader makes two
//! streaming passes with memory independent of the file size:
//!
//! 1. the reference lists are read (pass 1 stops at the first record when the lists come first, as in
//!    every feed; otherwise it scans the whole file, skipping records);
//! 2. records are streamed, their codes resolved through those lists: a parsing thread cuts the file
//!    into batches of record trees, sent through a bounded channel, and the records become entities (in
//!    file order) on the thread reading the events, or on the parsing thread when it is ahead (on a
//!    single-core machine, one thread does it all).
//!
//! Mapping: id `DJ-<id>`; `NameType` `Primary Name` → primary, `Also Known As` → aka, `Low Quality AKA`
//! → weak aka, `Formerly Known As` / `Maiden Name` → fka, `Spelling Variation` → spelling variant,
//! `OriginalScriptName` → original script; `DateDetails` dates of birth (or registration, for entities)
//! with partial `Day`/`Month`/`Year`; `CountryValue` codes resolved through the file's `CountryList` and
//! the country table; `list` is the category of `Description1` (`PEP`, `RCA`, `SIP`, `Sanctions`, or the
//! description text), `programs` all description texts and sanctions references.
//!
//! Incremental files carry `action="add|chg|del"` on each record. Every record, deletions included, is
//! yielded as an entity whose `raw` keeps `"@action"`; a deletion may have no names and should be applied
//! as a removal of that id ([`is_deletion`]).

use super::country;
use super::xmltree::{Node, PipelinedRecordEvents, RecordEvents, XmlStream};
use super::{ListEvent, ListFormat, ListInfo, ListReader, ListWarning};
use crate::model::{Address, DateValue, EntityName, Gender, Identifier, NameQuality, NameType};
use crate::{Entity, EntityKind, PartialDate, Publisher, Result};
use std::collections::{HashMap, VecDeque};
use std::path::Path;
use std::sync::Arc;

const RECORDS: [&str; 2] = ["Person", "Entity"];
const LISTS: [&str; 7] = [
    "CountryList",
    "Description1List",
    "Description2List",
    "Description3List",
    "SanctionsReferencesList",
    "RelationshipList",
    "OccupationList",
];

/// Reads a Dow Jones PFA-style XML file (two streaming passes).
///
/// ```
/// let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/dowjones/pfa_invented.xml");
/// let reader = saring::lists::dowjones::read(&path).unwrap();
/// assert_eq!(reader.info.publisher, saring::Publisher::DowJones);
/// ```
pub fn read(path: &Path) -> Result<ListReader> {
    let refs = Arc::new(read_reference_lists(path)?);
    let mut xml = XmlStream::open(path)?;
    xml.read_root()?;
    let publication_date = refs.publication_date.clone().or_else(|| date_from_file_name(path));
    let info = ListInfo {
        path: path.to_path_buf(),
        format: ListFormat::DowJonesXml,
        publisher: Publisher::DowJones,
        publication_date,
    };
    let convert = move |node: Node<'_>, path: &Path, record, out: &mut VecDeque<ListEvent>| {
        convert(node, &refs, path, record, out)
    };
    // A second thread only pays on a second core.
    let events: Box<dyn Iterator<Item = Result<ListEvent>> + Send> =
        if std::thread::available_parallelism().is_ok_and(|n| n.get() > 1) {
            Box::new(PipelinedRecordEvents::new(xml, &RECORDS, path, convert)?)
        } else {
            Box::new(RecordEvents::new(xml, &RECORDS, path, convert))
        };
    Ok(ListReader::new(info, events))
}

/// Whether `path` (with `head`, its first bytes; empty for a directory) looks like this format.
pub(crate) fn sniff(_path: &Path, head: &[u8]) -> Option<ListFormat> {
    let head = String::from_utf8_lossy(head);
    let looks = head.contains("<PFA")
        && (head.contains("<CountryList") || head.contains("<Person") || head.contains("Description1List"));
    looks.then_some(ListFormat::DowJonesXml)
}

/// True for a record of an incremental file that deletes the profile (`action="del"`).
pub fn is_deletion(e: &Entity) -> bool {
    e.raw.get("@action").and_then(|a| a.as_str()) == Some("del")
}

/// What pass 1 reads: code tables used to resolve record fields.
#[derive(Debug, Default)]
struct References {
    /// Dow Jones country code → ISO alpha-2 (None when the name is not a country, e.g. a region).
    countries: HashMap<String, Option<&'static str>>,
    description1: HashMap<String, String>,
    description2: HashMap<String, String>,
    description3: HashMap<String, String>,
    sanctions: HashMap<String, String>,
    publication_date: Option<String>,
}

fn read_reference_lists(path: &Path) -> Result<References> {
    let mut xml = XmlStream::open(path)?;
    let root = xml.read_root()?;
    if root.name() != "PFA" {
        return Err(crate::Error::ListFormat {
            file: path.to_path_buf(),
            reason: format!("not a Dow Jones PFA file: root element is <{}>, expected <PFA>", root.name()),
        });
    }
    let mut refs = References { publication_date: root.attr("date").and_then(parse_feed_date), ..Default::default() };
    let mut wanted: Vec<&str> = LISTS.to_vec();
    wanted.extend(RECORDS);
    let mut seen_lists = false;
    while let Some(node) = xml.next_record(&wanted)? {
        if RECORDS.contains(&node.name()) {
            if seen_lists {
                break; // Lists come before the records: pass 1 is done.
            }
            wanted.retain(|w| !RECORDS.contains(w));
            continue;
        }
        seen_lists = true;
        match node.name() {
            "CountryList" => {
                for c in node.children() {
                    if let Some(code) = c.attr("code") {
                        let iso = c.attr("name").and_then(country::to_iso).or_else(|| country::to_iso(code));
                        refs.countries.insert(code.to_string(), iso);
                    }
                }
            }
            "Description1List" | "Description2List" | "Description3List" => {
                let (key, map) = match node.name() {
                    "Description1List" => ("Description1Id", &mut refs.description1),
                    "Description2List" => ("Description2Id", &mut refs.description2),
                    _ => ("Description3Id", &mut refs.description3),
                };
                for d in node.children() {
                    if let (Some(id), Some(text)) = (d.attr(key), d.text().or_else(|| d.attr("name"))) {
                        map.insert(id.to_string(), text.to_string());
                    }
                }
            }
            "SanctionsReferencesList" => {
                for r in node.children() {
                    if let (Some(code), Some(name)) = (r.attr("code"), r.attr("name").or_else(|| r.text())) {
                        refs.sanctions.insert(code.to_string(), name.to_string());
                    }
                }
            }
            _ => {}
        }
    }
    Ok(refs)
}

/// Feed dates: `17-Mar-2023`, `202302282200` (file-name style) or ISO `2023-03-17`.
fn parse_feed_date(s: &str) -> Option<String> {
    let s = s.trim();
    // ISO needs `-` after the year; checking first spares a failed parse of every `17-Mar-2023`.
    let iso = s.as_bytes().get(4) == Some(&b'-');
    if let Some(d) = s.get(..10).filter(|_| iso).and_then(|d| d.parse::<PartialDate>().ok()).filter(|d| d.d > 0) {
        return Some(d.to_string());
    }
    if s.len() >= 8 && s.bytes().take(8).all(|b| b.is_ascii_digit()) {
        let iso = format!("{}-{}-{}", s.get(..4)?, s.get(4..6)?, s.get(6..8)?);
        return iso.parse::<PartialDate>().ok().filter(|d| d.d > 0).map(|d| d.to_string());
    }
    let mut parts = s.split('-');
    let (d, m, y) = (parts.next()?, parts.next()?, parts.next()?);
    let date = make_date(Some(y), Some(m), Some(d)).ok()??;
    Some(date.to_string())
}

/// `PFA2_201902282200_F.xml` → `2019-02-28`.
fn date_from_file_name(path: &Path) -> Option<String> {
    let stem = path.file_stem()?.to_str()?;
    stem.split('_').find(|p| p.len() >= 8 && p.bytes().all(|b| b.is_ascii_digit())).and_then(parse_feed_date)
}

fn month_number(m: &str) -> Option<u8> {
    if let Ok(n) = m.parse::<u8>() {
        return (1..=12).contains(&n).then_some(n);
    }
    let names = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
    let m = m.trim().as_bytes();
    names
        .iter()
        .position(|n| m.get(..n.len()).is_some_and(|p| p.eq_ignore_ascii_case(n.as_bytes())))
        .map(|i| i as u8 + 1)
}

/// A partial date from Day/Month/Year parts; `Ok(None)` when there is no year.
fn make_date(y: Option<&str>, m: Option<&str>, d: Option<&str>) -> std::result::Result<Option<PartialDate>, String> {
    let Some(y) = y else { return Ok(None) };
    let year: u16 = y.trim().parse().map_err(|_| format!("year {y:?} is not a number"))?;
    let month = match m {
        Some(m) => month_number(m).ok_or_else(|| format!("month {m:?} is not a month"))?,
        None => 0,
    };
    let day: u8 = match d {
        Some(d) if month > 0 => d.trim().parse().map_err(|_| format!("day {d:?} is not a number"))?,
        _ => 0,
    };
    PartialDate::new(year, month, day).map(Some).map_err(|e| e.to_string())
}

/// Whether `text` contains `needle` (lowercase ASCII), ignoring ASCII case.
fn contains_ignore_case(text: &str, needle: &str) -> bool {
    text.as_bytes().windows(needle.len()).any(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

/// Whether `text` starts with `prefix` (lowercase ASCII), ignoring ASCII case.
fn starts_with_ignore_case(text: &str, prefix: &str) -> bool {
    text.as_bytes().get(..prefix.len()).is_some_and(|p| p.eq_ignore_ascii_case(prefix.as_bytes()))
}

/// `parts` that are present, joined by spaces.
fn join_present(parts: &[Option<&str>]) -> String {
    let mut joined = String::new();
    for part in parts.iter().flatten() {
        if !joined.is_empty() {
            joined.push(' ');
        }
        joined.push_str(part);
    }
    joined
}

fn name_type_of(t: &str) -> (NameType, NameQuality) {
    if contains_ignore_case(t, "low quality") {
        (NameType::Aka, NameQuality::Weak)
    } else if contains_ignore_case(t, "primary") {
        (NameType::Primary, NameQuality::Strong)
    } else if contains_ignore_case(t, "formerly") || contains_ignore_case(t, "maiden") {
        (NameType::Fka, NameQuality::Strong)
    } else if contains_ignore_case(t, "spelling") {
        (NameType::SpellingVariant, NameQuality::Strong)
    } else {
        (NameType::Aka, NameQuality::Strong)
    }
}

/// The category of a Description1 text: PEP, RCA, SIP, Sanctions, or the text itself.
fn category(text: &str) -> String {
    let t = text;
    if contains_ignore_case(t, "(pep)") || starts_with_ignore_case(t, "politically exposed") {
        "PEP".into()
    } else if contains_ignore_case(t, "(rca)") || starts_with_ignore_case(t, "relative or close") {
        "RCA".into()
    } else if contains_ignore_case(t, "(sip)") || starts_with_ignore_case(t, "special interest") {
        "SIP".into()
    } else if contains_ignore_case(t, "sanction") {
        "Sanctions".into()
    } else {
        text.to_string()
    }
}

fn convert(node: Node<'_>, refs: &References, path: &Path, record: u64, out: &mut VecDeque<ListEvent>) {
    let mut warns: Vec<String> = Vec::new();
    let mut e = Entity { publisher: Some(Publisher::DowJones), ..Default::default() };
    e.id = match node.attr("id") {
        Some(id) => format!("DJ-{id}"),
        None => {
            warns.push("record without id; id made from the record number".into());
            format!("DJ-record-{record}")
        }
    };
    e.kind = if node.name() == "Person" { EntityKind::Individual } else { EntityKind::Entity };
    e.updated = node.attr("date").and_then(parse_feed_date);
    let deletion = node.attr("action") == Some("del");
    e.gender = match node.child_text("Gender") {
        Some(g) if g.eq_ignore_ascii_case("male") => Some(Gender::Male),
        Some(g) if g.eq_ignore_ascii_case("female") => Some(Gender::Female),
        _ => None,
    };
    if let Some(notes) = node.child_text("ProfileNotes") {
        e.remarks.push(notes.to_string());
    }

    for name in node.children_named("NameDetails").flat_map(|d| d.children_named("Name")) {
        let (name_type, quality) = name_type_of(name.attr("NameType").unwrap_or(""));
        for v in name.children_named("NameValue") {
            let given = v.child_text("FirstName");
            let middle = v.child_text("MiddleName");
            let family = v.child_text("Surname");
            let full = v
                .child_text("SingleStringName")
                .or_else(|| v.child_text("EntityName"))
                .map(str::to_string)
                .unwrap_or_else(|| join_present(&[given, middle, family, v.child_text("Suffix")]));
            if !full.is_empty() && !e.names.iter().any(|n| n.full == full) {
                e.names.push(EntityName {
                    full,
                    name_type,
                    quality,
                    given: given.map(str::to_string),
                    middle: middle.map(str::to_string),
                    family: family.map(str::to_string),
                    language: None,
                });
            }
            if let Some(maiden) = v.child_text("MaidenName") {
                let full = join_present(&[given, Some(maiden)]);
                if !e.names.iter().any(|n| n.full == full) {
                    e.names.push(EntityName {
                        full,
                        name_type: NameType::Fka,
                        quality,
                        given: given.map(str::to_string),
                        family: Some(maiden.to_string()),
                        ..Default::default()
                    });
                }
            }
            if let Some(orig) = v.child_text("OriginalScriptName") {
                if !e.names.iter().any(|n| n.full == orig) {
                    e.names.push(EntityName::new(orig, NameType::OriginalScript, quality));
                }
            }
        }
    }
    // The primary name first.
    if let Some(pos) = e.names.iter().position(|n| n.name_type == NameType::Primary) {
        if pos > 0 {
            let p = e.names.remove(pos);
            e.names.insert(0, p);
        }
    } else if let Some(first) = e.names.first_mut() {
        first.name_type = NameType::Primary;
    }

    let birth_type = if e.kind == EntityKind::Individual { "date of birth" } else { "date of registration" };
    for date in node.children_named("DateDetails").flat_map(|d| d.children_named("Date")) {
        if !date.attr("DateType").is_some_and(|t| t.eq_ignore_ascii_case(birth_type)) {
            continue;
        }
        for v in date.children_named("DateValue") {
            match make_date(v.attr("Year"), v.attr("Month"), v.attr("Day")) {
                Ok(Some(d)) => {
                    let dv = DateValue::exact(d);
                    if !e.dates_of_birth.contains(&dv) {
                        e.dates_of_birth.push(dv);
                    }
                }
                Ok(None) => {}
                Err(reason) => warns.push(format!("unreadable date ({reason}); kept in raw")),
            }
        }
    }
    for place in node.children_named("BirthPlace").flat_map(|b| b.children_named("Place")) {
        if let Some(p) = place.attr("name") {
            e.places_of_birth.push(p.to_string());
        }
    }

    let resolve = |code: &str, warns: &mut Vec<String>| -> Option<String> {
        match refs.countries.get(code) {
            Some(Some(iso)) => Some(iso.to_string()),
            Some(None) => None, // A region or former country listed by the file itself.
            None => {
                let iso = country::to_iso(code).map(str::to_string);
                if iso.is_none() {
                    warns.push(format!("unknown country code {code:?}; kept in raw"));
                }
                iso
            }
        }
    };
    for c in node.children_named("CountryDetails").flat_map(|d| d.children_named("Country")) {
        let ty = c.attr("CountryType").unwrap_or("");
        let is = |name: &str| ty.eq_ignore_ascii_case(name);
        for v in c.children_named("CountryValue") {
            let Some(iso) = v.attr("Code").and_then(|code| resolve(code, &mut warns)) else { continue };
            if is("citizenship") {
                if !e.citizenships.contains(&iso) {
                    e.citizenships.push(iso);
                }
            } else if is("nationality") {
                if !e.nationalities.contains(&iso) {
                    e.nationalities.push(iso);
                }
            } else if is("resident of") || is("country of registration") {
                e.addresses.push(Address { country: Some(iso), ..Default::default() });
            }
        }
    }
    for a in node.children_named("Address").chain(node.children_named("CompanyDetails")) {
        let addr = Address {
            street: a.child_text("AddressLine").map(str::to_string),
            city: a.child_text("AddressCity").map(str::to_string),
            country: a.child_text("AddressCountry").and_then(|c| resolve(c, &mut warns)),
            ..Default::default()
        };
        if addr != Address::default() && !e.addresses.contains(&addr) {
            // A full address replaces the bare "resident of" country it details.
            e.addresses.retain(|x| !(x.street.is_none() && x.city.is_none() && x.country == addr.country));
            e.addresses.push(addr);
        }
    }
    for id_node in node.children_named("IDNumberTypes").flat_map(|t| t.children_named("ID")) {
        let ty = id_node.attr("IDType").unwrap_or("other");
        let kind = match ty.to_ascii_lowercase().as_str() {
            "passport no." | "passport no" | "passport" => "passport".to_string(),
            "national id" => "national_id".to_string(),
            "company identification no." | "company identification no" => "registration".to_string(),
            _ => ty.to_string(),
        };
        for v in id_node.children_named("IDValue") {
            if let Some(number) = v.text() {
                e.identifiers.push(Identifier {
                    kind: kind.clone(),
                    number: number.to_string(),
                    country: None,
                    note: v.attr("IDnotes").map(str::to_string),
                });
            }
        }
    }
    for d in node.children_named("Descriptions").flat_map(|d| d.children_named("Description")) {
        for (attr, map) in [
            ("Description1", &refs.description1),
            ("Description2", &refs.description2),
            ("Description3", &refs.description3),
        ] {
            let Some(code) = d.attr(attr) else { continue };
            match map.get(code) {
                Some(text) => {
                    if attr == "Description1" && e.list.is_empty() {
                        e.list = category(text);
                    }
                    if !e.programs.contains(text) {
                        e.programs.push(text.clone());
                    }
                }
                None => warns.push(format!("{attr} code {code:?} not in the file's {attr}List; kept in raw")),
            }
        }
    }
    for r in node.children_named("SanctionsReferences").flat_map(|s| s.children_named("Reference")) {
        if let Some(code) = r.text() {
            let name = refs.sanctions.get(code).cloned().unwrap_or_else(|| code.to_string());
            if !e.programs.contains(&name) {
                e.programs.push(name);
            }
        }
    }

    if e.names.is_empty() && !deletion {
        warns.push("record without any name; skipped".into());
        out.extend(warns.into_iter().map(|w| warning(path, record, format!("{}: {w}", e.id))));
        return;
    }
    e.raw = node.to_json();
    // The entity comes before its warnings, which name it.
    let warnings: Vec<ListEvent> = warns.into_iter().map(|w| warning(path, record, format!("{}: {w}", e.id))).collect();
    out.push_back(ListEvent::Entity(Box::new(e)));
    out.extend(warnings);
}

fn warning(path: &Path, record: u64, reason: String) -> ListEvent {
    ListEvent::Warning(ListWarning { file: path.to_path_buf(), line: record, reason })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_types() {
        assert_eq!(parse_feed_date("17-Mar-2023").as_deref(), Some("2023-03-17"));
        assert_eq!(parse_feed_date("201902282200").as_deref(), Some("2019-02-28"));
        assert_eq!(parse_feed_date("2019-02-28T10:00").as_deref(), Some("2019-02-28"));
        assert_eq!(parse_feed_date("yesterday"), None);
        assert_eq!(date_from_file_name(Path::new("PFA2_201902282200_F.xml")).as_deref(), Some("2019-02-28"));
        assert_eq!(make_date(Some("1937"), Some("Oct"), Some("21")), Ok(Some(PartialDate { y: 1937, m: 10, d: 21 })));
        assert_eq!(make_date(Some("1937"), None, Some("21")), Ok(Some(PartialDate { y: 1937, m: 0, d: 0 })));
        assert_eq!(make_date(None, Some("Oct"), None), Ok(None));
        assert!(make_date(Some("1937"), Some("Foo"), None).is_err());
        assert_eq!(name_type_of("Low Quality AKA"), (NameType::Aka, NameQuality::Weak));
        assert_eq!(name_type_of("Spelling Variation"), (NameType::SpellingVariant, NameQuality::Strong));
        assert_eq!(category("Politically Exposed Person (PEP)"), "PEP");
        assert_eq!(category("Relative or Close Associate (RCA)"), "RCA");
        assert_eq!(category("Special Interest Person (SIP)"), "SIP");
        assert_eq!(category("Sanctions Lists"), "Sanctions");
    }

    /// Events as text: entities and warnings in full, then the fatal error, if any.
    fn dump(events: impl Iterator<Item = Result<ListEvent>>) -> Vec<String> {
        events
            .map(|ev| match ev {
                Ok(ListEvent::Entity(e)) => format!("{e:?}"),
                Ok(ListEvent::Warning(w)) => format!("{w:?}"),
                Err(e) => format!("error: {e}"),
            })
            .collect()
    }

    /// The reader's events read on one thread, record by record (what the pipelined reader must match).
    fn read_sequentially(path: &Path) -> Vec<String> {
        let refs = read_reference_lists(path).unwrap();
        let mut xml = XmlStream::open(path).unwrap();
        xml.read_root().unwrap();
        dump(RecordEvents::new(xml, &RECORDS, path, |node, path: &Path, record, out: &mut _| {
            convert(node, &refs, path, record, out)
        }))
    }

    /// The fixture's records (with its warnings) repeated `times`, so batches are crossed many times.
    fn repeated_fixture(times: usize) -> String {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/dowjones/pfa_invented.xml");
        let text = std::fs::read_to_string(path).unwrap();
        let (start, end) = (text.find("<Records>").unwrap() + "<Records>".len(), text.find("</Records>").unwrap());
        format!("{}{}{}", &text[..start], text[start..end].repeat(times), &text[end..])
    }

    #[test]
    fn pipelined_reader_matches_sequential_reading() {
        let dir = tempfile::tempdir().unwrap();
        let full = repeated_fixture(120);
        let mut cases = vec![full.as_bytes().to_vec()];
        // Truncated inside a record and between records, far into the file; and broken mid-file.
        cases.extend([0.31, 0.5, 0.77, 0.999].map(|f| full.as_bytes()[..(full.len() as f64 * f) as usize].to_vec()));
        let mut broken = full.as_bytes().to_vec();
        let at = full[full.len() * 3 / 5..].find("<Surname>").unwrap() + full.len() * 3 / 5;
        broken[at + 3] = b'<';
        cases.push(broken);
        for (i, bytes) in cases.iter().enumerate() {
            let path = dir.path().join(format!("case{i}.xml"));
            std::fs::write(&path, bytes).unwrap();
            let want = read_sequentially(&path);
            let got = dump(read(&path).unwrap());
            assert!(want.len() > 400, "case {i}: {} events", want.len());
            assert_eq!(got.len(), want.len(), "case {i}");
            assert!(got == want, "case {i}: events differ");
            let last = got.last().unwrap();
            assert_eq!(i == 0, !last.starts_with("error: "), "case {i}: {last}");
        }
        let mut reader = read(&dir.path().join("case1.xml")).unwrap();
        assert!(reader.by_ref().any(|ev| ev.is_err()));
        assert!(reader.next().is_none(), "nothing after the fatal error");
        assert!(reader.next().is_none());
    }

    #[test]
    fn dropping_the_reader_early_stops_its_thread() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("many.xml");
        std::fs::write(&path, repeated_fixture(400)).unwrap();
        let (done, finished) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            // Unread, partly read (the parsing thread waiting on a full channel), and read to its end.
            drop(read(&path).unwrap());
            let mut reader = read(&path).unwrap();
            assert!(reader.by_ref().take(5).all(|ev| ev.is_ok()));
            std::thread::sleep(std::time::Duration::from_millis(200));
            drop(reader);
            assert!(read(&path).unwrap().all(|ev| ev.is_ok()));
            done.send(()).unwrap();
        });
        finished.recv_timeout(std::time::Duration::from_secs(120)).expect("dropping a reader hangs");
    }

    #[test]
    fn sniffs() {
        assert_eq!(sniff(Path::new("a.xml"), b"<?xml?>\n<PFA date='x'>\n<CountryList>"), Some(ListFormat::DowJonesXml));
        assert_eq!(sniff(Path::new("a.xml"), b"<Designations>"), None);
    }
}
