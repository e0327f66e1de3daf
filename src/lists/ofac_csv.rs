//! OFAC legacy CSV sets: `sdn.csv` + `alt.csv` + `add.csv` + `sdn_comments.csv` (SDN list) and
//! `cons_prim.csv` + `cons_alt.csv` + `cons_add.csv` + `cons_comments.csv` (consolidated non-SDN list).
//!
//! The files have no header, `-0- ` as null, CRLF line ends and a trailing Ctrl-Z byte. Long remarks
//! spill over into the comments file, continuing mid-word. Much of what matters for screening is only
//! inside the remarks: weak aliases (`a.k.a. 'X'`), dates and places of birth, nationality, documents,
//! gender, digital currency addresses. The side files (aliases, addresses, comments) are small, so they
//! are loaded into maps keyed by `ent_num`; the main file is then streamed row by row.
//!
//! The remark parsing helpers here ([`parse_date`], `parse_feature`) also serve the OFAC XML reader.

use super::{country, ListEvent, ListFormat, ListInfo, ListReader, ListWarning};
use crate::model::{Address, CryptoAddress, DateValue, Entity, EntityKind, EntityName, Gender, Identifier};
use crate::model::{NameQuality, NameType, PartialDate};
use crate::{Error, Publisher, Result};
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};

/// Column names of the main file, as OFAC's specification names them.
const MAIN_FIELDS: [&str; 12] = [
    "ent_num",
    "SDN_Name",
    "SDN_Type",
    "Program",
    "Title",
    "Call_Sign",
    "Vess_type",
    "Tonnage",
    "GRT",
    "Vess_flag",
    "Vess_owner",
    "Remarks",
];
/// Column names of the alias file.
const ALT_FIELDS: [&str; 5] = ["ent_num", "alt_num", "alt_type", "alt_name", "alt_remarks"];
/// Column names of the address file.
const ADD_FIELDS: [&str; 6] =
    ["Ent_num", "Add_num", "Address", "City/State/Province/Postal Code", "Country", "Add_remarks"];

/// Which of OFAC's two CSV sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Set {
    Sdn,
    Consolidated,
}

impl Set {
    fn files(self) -> [&'static str; 4] {
        match self {
            Set::Sdn => ["sdn.csv", "alt.csv", "add.csv", "sdn_comments.csv"],
            Set::Consolidated => ["cons_prim.csv", "cons_alt.csv", "cons_add.csv", "cons_comments.csv"],
        }
    }
}

/// Finds the OFAC set of a directory, if it holds one.
fn set_of_dir(dir: &Path) -> Option<Set> {
    if dir.join("sdn.csv").is_file() {
        Some(Set::Sdn)
    } else if dir.join("cons_prim.csv").is_file() {
        Some(Set::Consolidated)
    } else {
        None
    }
}

/// Where the files of a set are: (main file, side files or None, set).
fn locate(path: &Path) -> Result<(PathBuf, Option<[PathBuf; 3]>, Set)> {
    let meta = std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
    let side = |dir: &Path, set: Set| {
        let f = set.files();
        [dir.join(f[1]), dir.join(f[2]), dir.join(f[3])]
    };
    if meta.is_dir() {
        let set = set_of_dir(path).ok_or_else(|| Error::ListFormat {
            file: path.to_path_buf(),
            reason: "directory holds no OFAC CSV set (sdn.csv or cons_prim.csv)".into(),
        })?;
        return Ok((path.join(set.files()[0]), Some(side(path, set)), set));
    }
    let name = file_name_lower(path);
    let dir = path.parent().unwrap_or(Path::new("."));
    for set in [Set::Sdn, Set::Consolidated] {
        let files = set.files();
        if files.contains(&name.as_str()) {
            return Ok((dir.join(files[0]), Some(side(dir, set)), set));
        }
    }
    // A headerless SDN-layout file under another name: read on its own.
    let set = if name.contains("cons") { Set::Consolidated } else { Set::Sdn };
    Ok((path.to_path_buf(), None, set))
}

fn file_name_lower(path: &Path) -> String {
    path.file_name().map(|n| n.to_string_lossy().to_ascii_lowercase()).unwrap_or_default()
}

/// Whether `path` is an OFAC CSV set (directory, `sdn.csv`/`cons_prim.csv` or a side file next to one)
/// or a headerless CSV whose first row has the SDN layout.
pub(crate) fn sniff(path: &Path, head: &[u8]) -> Option<ListFormat> {
    if path.is_dir() {
        return set_of_dir(path).map(|_| ListFormat::OfacCsv);
    }
    let name = file_name_lower(path);
    if name == "sdn.csv" || name == "cons_prim.csv" {
        return Some(ListFormat::OfacCsv);
    }
    let dir = path.parent().unwrap_or(Path::new("."));
    for set in [Set::Sdn, Set::Consolidated] {
        if set.files()[1..].contains(&name.as_str()) && dir.join(set.files()[0]).is_file() {
            return Some(ListFormat::OfacCsv);
        }
    }
    looks_like_sdn_row(head).then_some(ListFormat::OfacCsv)
}

/// First row: 12 fields, a numeric `ent_num`, a quoted name and at least one `-0-` null.
fn looks_like_sdn_row(head: &[u8]) -> bool {
    let mut rdr = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(head);
    let mut rec = csv::ByteRecord::new();
    match rdr.read_byte_record(&mut rec) {
        Ok(true) => {}
        _ => return false,
    }
    let first_line = head.split(|&b| b == b'\n').next().unwrap_or(&[]);
    rec.len() == 12
        && rec.get(0).is_some_and(|f| !f.is_empty() && f.iter().all(u8::is_ascii_digit))
        && first_line.windows(3).any(|w| w == b"-0-")
        && first_line.windows(2).any(|w| w == b",\"")
}

/// Decodes one CSV field: UTF-8, or Windows-1252 for older files; `-0-` and empty become `None`.
fn field(rec: &csv::ByteRecord, i: usize) -> Option<String> {
    let raw = rec.get(i)?;
    let s = match std::str::from_utf8(raw) {
        Ok(s) => s.to_string(),
        Err(_) => encoding_rs::WINDOWS_1252.decode(raw).0.into_owned(),
    };
    let t = s.trim_matches(|c: char| c.is_whitespace() || c == '\u{1a}');
    if t.is_empty() || t == "-0-" {
        None
    } else {
        Some(t.to_string())
    }
}

/// True for the trailing Ctrl-Z "record" and blank lines.
fn is_filler(rec: &csv::ByteRecord) -> bool {
    rec.iter().all(|f| f.iter().all(|&b| b == 0x1a || b.is_ascii_whitespace()))
}

fn line_of(rec: &csv::ByteRecord) -> u64 {
    rec.position().map(|p| p.line()).unwrap_or(0)
}

fn csv_reader(path: &Path) -> Result<csv::Reader<BufReader<File>>> {
    let file = File::open(path).map_err(|e| Error::io(path, e))?;
    Ok(csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(BufReader::new(file)))
}

/// A row of a side file, kept as read, with its line.
#[derive(Debug, Clone)]
struct SideRow {
    line: u64,
    fields: Vec<Option<String>>,
}

/// Side rows by `ent_num`, plus warnings for unreadable rows.
type SideMap = HashMap<u64, Vec<SideRow>>;

/// Loads a side file (aliases, addresses or comments) into a map; a missing file is an empty map.
fn load_side(path: &Path, width: usize, warnings: &mut Vec<ListWarning>) -> Result<SideMap> {
    let mut map: SideMap = HashMap::new();
    if !path.is_file() {
        return Ok(map);
    }
    let mut rdr = csv_reader(path)?;
    let mut rec = csv::ByteRecord::new();
    loop {
        match rdr.read_byte_record(&mut rec) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                return Err(Error::ListFormat { file: path.to_path_buf(), reason: format!("unreadable CSV: {e}") });
            }
        }
        if is_filler(&rec) {
            continue;
        }
        let line = line_of(&rec);
        let ent = field(&rec, 0).and_then(|s| s.parse::<u64>().ok());
        let Some(ent) = ent else {
            warnings.push(ListWarning {
                file: path.to_path_buf(),
                line,
                reason: "row without a numeric ent_num; skipped".into(),
            });
            continue;
        };
        if rec.len() != width {
            warnings.push(ListWarning {
                file: path.to_path_buf(),
                line,
                reason: format!("expected {width} fields, found {}; missing fields left empty", rec.len()),
            });
        }
        let fields = (0..width.max(rec.len())).map(|i| field(&rec, i)).collect();
        map.entry(ent).or_default().push(SideRow { line, fields });
    }
    Ok(map)
}

/// Reads the OFAC CSV set at `path` (the directory, the main file or a side file).
///
/// ```no_run
/// use saring::lists::{ofac_csv, ListEvent};
/// let reader = ofac_csv::read(std::path::Path::new("data/lists/ofac_sdn_2021-07")).unwrap();
/// for event in reader {
///     if let ListEvent::Entity(e) = event.unwrap() {
///         println!("{} {}", e.id, e.primary_name());
///     }
/// }
/// ```
pub fn read(path: &Path) -> Result<ListReader> {
    let (main, side, set) = locate(path)?;
    if !main.is_file() {
        return Err(Error::ListFormat { file: main, reason: "OFAC main file not found".into() });
    }
    let mut warnings = Vec::new();
    let (alts, adds, comments) = match &side {
        Some([alt, add, com]) => (
            load_side(alt, ALT_FIELDS.len(), &mut warnings)?,
            load_side(add, ADD_FIELDS.len(), &mut warnings)?,
            load_side(com, 2, &mut warnings)?,
        ),
        None => Default::default(),
    };
    let paths = side.unwrap_or_else(|| [PathBuf::new(), PathBuf::new(), PathBuf::new()]);
    let info = ListInfo {
        path: path.to_path_buf(),
        format: ListFormat::OfacCsv,
        publisher: Publisher::Ofac,
        publication_date: None,
    };
    let rows = CsvRows {
        reader: csv_reader(&main)?,
        main,
        side_paths: paths,
        set,
        alts,
        adds,
        comments,
        pending: warnings.into(),
        rec: csv::ByteRecord::new(),
        done: false,
    };
    Ok(ListReader::new(info, Box::new(rows)))
}

struct CsvRows {
    reader: csv::Reader<BufReader<File>>,
    main: PathBuf,
    side_paths: [PathBuf; 3],
    set: Set,
    alts: SideMap,
    adds: SideMap,
    comments: SideMap,
    pending: std::collections::VecDeque<ListWarning>,
    rec: csv::ByteRecord,
    done: bool,
}

impl Iterator for CsvRows {
    type Item = Result<ListEvent>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(w) = self.pending.pop_front() {
                return Some(Ok(ListEvent::Warning(w)));
            }
            if self.done {
                return None;
            }
            match self.reader.read_byte_record(&mut self.rec) {
                Ok(true) => {}
                Ok(false) => {
                    self.done = true;
                    self.orphans();
                    continue;
                }
                Err(e) => {
                    self.done = true;
                    return Some(Err(Error::ListFormat {
                        file: self.main.clone(),
                        reason: format!("unreadable CSV: {e}"),
                    }));
                }
            }
            if is_filler(&self.rec) {
                continue;
            }
            if let Some(entity) = self.entity() {
                return Some(Ok(ListEvent::Entity(Box::new(entity))));
            }
        }
    }
}

impl CsvRows {
    fn warn(&mut self, file: PathBuf, line: u64, reason: String) {
        self.pending.push_back(ListWarning { file, line, reason });
    }

    /// Aliases, addresses and comments whose entry never appeared in the main file.
    fn orphans(&mut self) {
        let maps = [
            (std::mem::take(&mut self.alts), 0usize, "alias"),
            (std::mem::take(&mut self.adds), 1, "address"),
            (std::mem::take(&mut self.comments), 2, "remarks continuation"),
        ];
        for (map, i, what) in maps {
            let mut rows: Vec<(u64, u64)> = map.iter().flat_map(|(ent, v)| v.iter().map(|r| (r.line, *ent))).collect();
            rows.sort_unstable();
            for (line, ent) in rows {
                let file = self.side_paths[i].clone();
                self.warn(file, line, format!("{what} for ent_num {ent}, which is not in the main file; ignored"));
            }
        }
    }

    /// Builds the entity of the current main row (warnings go to `pending`).
    fn entity(&mut self) -> Option<Entity> {
        let rec = std::mem::take(&mut self.rec);
        let line = line_of(&rec);
        let main = self.main.clone();
        let fields: Vec<Option<String>> = (0..MAIN_FIELDS.len().max(rec.len())).map(|i| field(&rec, i)).collect();
        self.rec = rec;
        let Some(ent) = fields[0].as_deref().and_then(|s| s.parse::<u64>().ok()) else {
            self.warn(main, line, "row without a numeric ent_num; skipped".into());
            return None;
        };
        if fields.len() != MAIN_FIELDS.len() || self.rec.len() != MAIN_FIELDS.len() {
            self.warn(
                main.clone(),
                line,
                format!("expected {} fields, found {}; missing fields left empty", MAIN_FIELDS.len(), self.rec.len()),
            );
        }
        let Some(name) = fields[1].clone() else {
            self.warn(main, line, format!("ent_num {ent} has no name; skipped"));
            return None;
        };
        let get = |i: usize| fields.get(i).cloned().flatten();
        let alts = self.alts.remove(&ent).unwrap_or_default();
        let adds = self.adds.remove(&ent).unwrap_or_default();
        let comments = self.comments.remove(&ent).unwrap_or_default();

        // Remarks with their spill-over (continues mid-word: no separator).
        let mut remarks = get(11).unwrap_or_default();
        for c in &comments {
            if let Some(text) = c.fields.get(1).cloned().flatten() {
                remarks.push_str(&text);
            }
        }

        let kind = match get(2).map(|s| s.to_ascii_lowercase()).as_deref() {
            Some("individual") => EntityKind::Individual,
            Some("vessel") => EntityKind::Vessel,
            Some("aircraft") => EntityKind::Aircraft,
            None => EntityKind::Entity,
            Some(other) => {
                let other = other.to_string();
                self.warn(main.clone(), line, format!("ent_num {ent}: unknown SDN_Type {other:?}; kind left unknown"));
                EntityKind::Unknown
            }
        };
        let (prefix, list) = match self.set {
            Set::Sdn => ("OFAC-SDN-", "SDN"),
            Set::Consolidated => ("OFAC-CONS-", "NON-SDN"),
        };
        let mut e = Entity {
            id: format!("{prefix}{ent}"),
            publisher: Some(Publisher::Ofac),
            list: list.to_string(),
            kind,
            ..Default::default()
        };
        e.names.push(person_name(&name, NameType::Primary, NameQuality::Strong, kind));
        for a in &alts {
            let Some(alt_name) = a.fields.get(3).cloned().flatten() else {
                let file = self.side_paths[0].clone();
                self.warn(file, a.line, format!("alias of ent_num {ent} has no name; skipped"));
                continue;
            };
            let alt_type = a.fields.get(2).cloned().flatten().unwrap_or_default().to_ascii_lowercase();
            let alt_remarks = a.fields.get(4).cloned().flatten().unwrap_or_default().to_ascii_lowercase();
            let name_type = alias_type(&alt_type);
            let quality = if alt_type.contains("weak") || alt_remarks.contains("weak") {
                NameQuality::Weak
            } else {
                NameQuality::Strong
            };
            e.names.push(person_name(&alt_name, name_type, quality, kind));
        }
        e.programs = get(3).map(|p| split_programs(&p)).unwrap_or_default();
        if let Some(cs) = get(5) {
            e.identifiers.push(Identifier { kind: "call_sign".into(), number: cs, country: None, note: None });
        }
        for a in &adds {
            let f = |i: usize| a.fields.get(i).cloned().flatten();
            let (street, place, country_text, add_remarks) = (f(2), f(3), f(4), f(5));
            let text = [street.as_deref(), place.as_deref(), country_text.as_deref(), add_remarks.as_deref()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(", ");
            if text.is_empty() {
                // An address row with every field null: nothing to keep beyond raw.
                continue;
            }
            let is_postal =
                place.as_deref().is_some_and(|p| p.chars().all(|c| c.is_ascii_digit() || c == '-' || c == ' '));
            let (city, postal_code) = if is_postal { (None, place) } else { (place, None) };
            e.addresses.push(Address {
                street,
                city,
                province: None,
                postal_code,
                country: country_text.as_deref().and_then(country::to_iso).map(String::from),
                text: Some(text),
            });
        }
        if !remarks.is_empty() {
            let mut problems = Vec::new();
            mine_remarks(&remarks, kind, &mut e, &mut problems);
            for p in problems {
                self.warn(main.clone(), line, format!("ent_num {ent}: {p}"));
            }
            e.remarks.push(remarks.clone());
        }

        // raw: every field of the source record, by the specification's names.
        let mut raw = Map::new();
        for (i, key) in MAIN_FIELDS.iter().enumerate() {
            let v = if i == 11 && !remarks.is_empty() { Some(remarks.clone()) } else { get(i) };
            raw.insert((*key).to_string(), v.map(Value::String).unwrap_or(Value::Null));
        }
        for (i, extra) in fields.iter().enumerate().skip(MAIN_FIELDS.len()) {
            raw.insert(format!("extra_{i}"), extra.clone().map(Value::String).unwrap_or(Value::Null));
        }
        if !comments.is_empty() {
            // The spill-over rows as written (already appended to Remarks above).
            let texts =
                comments.iter().map(|c| c.fields.get(1).cloned().flatten().map(Value::String).unwrap_or(Value::Null));
            raw.insert("comments".into(), Value::Array(texts.collect()));
        }
        raw.insert("alt".into(), side_json(&alts, &ALT_FIELDS));
        raw.insert("add".into(), side_json(&adds, &ADD_FIELDS));
        e.raw = Value::Object(raw);
        Some(e)
    }
}

fn side_json(rows: &[SideRow], names: &[&str]) -> Value {
    Value::Array(
        rows.iter()
            .map(|r| {
                let mut m = Map::new();
                for (i, v) in r.fields.iter().enumerate() {
                    let key = names.get(i).map(|s| s.to_string()).unwrap_or_else(|| format!("extra_{i}"));
                    m.insert(key, v.clone().map(Value::String).unwrap_or(Value::Null));
                }
                Value::Object(m)
            })
            .collect(),
    )
}

/// `aka`/`fka`/`nka` (CSV) or `a.k.a.`/`f.k.a.`/`n.k.a.` (XML) to a name type.
pub(crate) fn alias_type(t: &str) -> NameType {
    let t: String = t.chars().filter(|c| c.is_ascii_alphabetic()).collect::<String>().to_ascii_lowercase();
    if t.starts_with("fka") {
        NameType::Fka
    } else if t.starts_with("nka") {
        NameType::Nka
    } else {
        NameType::Aka
    }
}

/// `SDGT] [IRGC` (the CSV's bracket-joined programmes) to a list.
pub(crate) fn split_programs(p: &str) -> Vec<String> {
    p.split(['[', ']']).map(str::trim).filter(|s| !s.is_empty()).map(String::from).collect()
}

/// A name as OFAC writes it; for individuals `SURNAME, Given` fills the family and given parts.
pub(crate) fn person_name(full: &str, name_type: NameType, quality: NameQuality, kind: EntityKind) -> EntityName {
    let mut n = EntityName::new(full.trim(), name_type, quality);
    if kind == EntityKind::Individual {
        if let Some((family, given)) = full.split_once(',') {
            let (family, given) = (family.trim(), given.trim());
            if !family.is_empty() {
                n.family = Some(family.to_string());
            }
            if !given.is_empty() {
                n.given = Some(given.to_string());
            }
        }
    }
    n
}

/// One labelled fact from a remark or an XML id element.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Feature {
    /// A date of birth (or establishment date).
    Dob(DateValue),
    /// A date the parser could not read.
    BadDate(String),
    /// Place of birth.
    Pob(String),
    /// Nationality (country text).
    Nationality(String),
    /// Citizenship (country text).
    Citizen(String),
    /// Gender.
    Gender(Gender),
    /// A document or registration number.
    Id(Identifier),
    /// A digital currency address.
    Crypto(CryptoAddress),
    /// A weak alias quoted in the remarks.
    WeakAlias(NameType, String),
}

/// Document labels OFAC uses, and the identifier kind each becomes. Longest labels first where one
/// is a prefix of another.
const ID_LABELS: [(&str, &str); 44] = [
    ("Aircraft Manufacturer's Serial Number (MSN)", "aircraft_msn"),
    ("Aircraft Construction Number (also called L/N or S/N or F/N)", "aircraft_construction_number"),
    ("Aircraft Tail Number", "aircraft_tail_number"),
    ("Vessel Registration Identification", "imo"),
    ("National Foreign ID Number", "national_id"),
    ("National ID No.", "national_id"),
    ("Personal ID Card", "national_id"),
    ("Identification Number", "national_id"),
    ("Cedula No.", "national_id"),
    ("C.U.R.P.", "national_id"),
    ("D.N.I.", "national_id"),
    ("SSN", "national_id"),
    ("Credencial electoral", "national_id"),
    ("Electoral Registry No.", "national_id"),
    ("Residency Number", "residency"),
    ("Diplomatic Passport", "passport"),
    ("Passport", "passport"),
    ("Driver's License No.", "drivers_license"),
    ("Tax ID No.", "tax_id"),
    ("R.F.C.", "tax_id"),
    ("RFC", "tax_id"),
    ("NIT #", "tax_id"),
    ("RUC #", "tax_id"),
    ("RIF #", "tax_id"),
    ("V.A.T. Number", "tax_id"),
    ("C.U.I.T.", "tax_id"),
    ("UK Company Number", "registration"),
    ("Company Number", "registration"),
    ("Public Registration Number", "registration"),
    ("Registration Number", "registration"),
    ("Registration ID", "registration"),
    ("Business Registration Document #", "registration"),
    ("Business Registration Number", "registration"),
    ("Commercial Registry Number", "registration"),
    ("Trade License No.", "registration"),
    ("Government Gazette Number", "registration"),
    ("Legal Entity Number", "lei"),
    ("D-U-N-S Number", "duns"),
    ("Matricula Mercantil No", "registration"),
    ("Chinese Commercial Code", "chinese_commercial_code"),
    ("SWIFT/BIC", "swift_bic"),
    ("MMSI", "mmsi"),
    ("BIK (RU)", "bik"),
    ("Stateless Person ID Card", "national_id"),
];

const MONTHS: [&str; 12] = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

fn month(s: &str) -> Option<u8> {
    let l = s.to_ascii_lowercase();
    if l.len() < 3 || !l.is_ascii() {
        return None;
    }
    let m = MONTHS.iter().position(|m| l.starts_with(m))?;
    // "June", "Sept": accept full names and the abbreviation only.
    Some(m as u8 + 1)
}

/// One OFAC date: `14 Jun 1975`, `Jun 1975`, `1975`.
fn parse_single_date(s: &str) -> Option<PartialDate> {
    let parts: Vec<&str> = s.split_whitespace().collect();
    let year = |p: &str| -> Option<u16> {
        (p.len() == 4 && p.bytes().all(|b| b.is_ascii_digit())).then(|| p.parse().ok()).flatten()
    };
    let date = match parts.as_slice() {
        [y] => PartialDate::new(year(y)?, 0, 0),
        [m, y] => PartialDate::new(year(y)?, month(m)?, 0),
        [d, m, y] => {
            let d: u8 = d.parse().ok()?;
            PartialDate::new(year(y)?, month(m)?, d)
        }
        _ => return None,
    };
    date.ok()
}

/// An OFAC date of birth: `14 Jun 1975`, `Mar 1955`, `1955`, `circa 1955`, `1955 to 1957`,
/// `01 Jan 1960 to 31 Dec 1962`.
///
/// ```
/// # use saring::lists::ofac_csv::parse_date;
/// let d = parse_date("circa 1955").unwrap();
/// assert_eq!((d.y, d.m, d.d, d.approximate), (1955, 0, 0, true));
/// let r = parse_date("1955 to 1957").unwrap();
/// assert_eq!((r.y, r.to.unwrap().y), (1955, 1957));
/// assert!(parse_date("sometime").is_none());
/// ```
pub fn parse_date(s: &str) -> Option<DateValue> {
    let s = s.trim().trim_end_matches('.').trim();
    let (s, approximate) = match s.strip_prefix("circa ").or_else(|| s.strip_prefix("Circa ")) {
        Some(rest) => (rest.trim(), true),
        None => (s, false),
    };
    let (from, to) = match s.split_once(" to ") {
        Some((a, b)) => (a, Some(parse_single_date(b)?)),
        // "1979-1982"
        None => match s.split_once('-') {
            Some((a, b)) if a.len() == 4 && b.len() == 4 => (a, Some(parse_single_date(b)?)),
            _ => (s, None),
        },
    };
    let start = parse_single_date(from)?;
    Some(DateValue { y: start.y, m: start.m, d: start.d, approximate, to })
}

/// Splits `NUMBER (Country) rest` into (number, country text, note).
fn split_number(value: &str) -> (String, Option<String>, Option<String>) {
    let value = value.trim();
    if let Some(open) = value.find(" (") {
        let number = value[..open].trim().to_string();
        let after = &value[open + 2..];
        if let Some(close) = after.find(')') {
            let country = after[..close].trim().to_string();
            let note = value[open..].trim().to_string();
            return (number, (!country.is_empty()).then_some(country), Some(note));
        }
    }
    // "issued ..." / "expires ..." without a country.
    for marker in [" issued ", " expires "] {
        if let Some(at) = value.find(marker) {
            return (value[..at].trim().to_string(), None, Some(value[at..].trim().to_string()));
        }
    }
    (value.to_string(), None, None)
}

/// The identifier kind for an OFAC document label (`Passport`, `National ID No.`, ...), if it is one.
pub(crate) fn id_kind(label: &str) -> Option<&'static str> {
    let label = label.trim().trim_end_matches(':').trim();
    ID_LABELS.iter().find(|(l, _)| l.eq_ignore_ascii_case(label)).map(|(_, k)| *k)
}

/// Builds an identifier from a label and its value (with `(Country)` and issue notes).
pub(crate) fn identifier(kind: &str, value: &str, country_text: Option<&str>) -> Identifier {
    let (mut number, paren_country, note) = split_number(value);
    if kind == "imo" || number.starts_with("IMO ") {
        if let Some(n) = number.strip_prefix("IMO ") {
            number = n.trim().to_string();
        }
    }
    let kind = if number.len() == 7 && value.trim_start().starts_with("IMO ") { "imo" } else { kind };
    let country_text = country_text.map(String::from).or(paren_country);
    Identifier {
        kind: kind.to_string(),
        number,
        country: country_text.as_deref().and_then(country::to_iso).map(String::from),
        note,
    }
}

/// Reads one remark piece (`DOB 14 Jun 1975`, `Passport X (Iran)`, `a.k.a. 'Y'`, ...); `None` when it
/// is not a fact saring models (it stays in the remarks text).
pub(crate) fn parse_feature(piece: &str, kind: EntityKind) -> Option<Feature> {
    let p = piece.trim();
    let p = p.strip_prefix("alt. ").unwrap_or(p).trim();
    for (prefix, t) in [("a.k.a. '", NameType::Aka), ("f.k.a. '", NameType::Fka), ("n.k.a. '", NameType::Nka)] {
        if let Some(rest) = p.strip_prefix(prefix) {
            let rest = rest.trim_end_matches('.').trim_end();
            let name = rest.strip_suffix('\'').unwrap_or(rest).trim();
            return (!name.is_empty()).then(|| Feature::WeakAlias(t, name.to_string()));
        }
    }
    let p = p.trim_end_matches('.').trim();
    let date_value = p.strip_prefix("DOB ").or_else(|| {
        (kind != EntityKind::Individual).then(|| p.strip_prefix("Organization Established Date ")).flatten()
    });
    if let Some(v) = date_value {
        return Some(match parse_date(v) {
            Some(d) => Feature::Dob(d),
            None => Feature::BadDate(p.to_string()),
        });
    }
    if let Some(v) = p.strip_prefix("POB ") {
        return Some(Feature::Pob(v.trim().to_string()));
    }
    if let Some(v) = p.strip_prefix("nationality ") {
        return Some(Feature::Nationality(v.trim().to_string()));
    }
    if let Some(v) = p.strip_prefix("citizen ") {
        return Some(Feature::Citizen(v.trim().to_string()));
    }
    if let Some(v) = p.strip_prefix("Gender ") {
        return match v.trim().to_ascii_lowercase().as_str() {
            "male" => Some(Feature::Gender(Gender::Male)),
            "female" => Some(Feature::Gender(Gender::Female)),
            _ => None,
        };
    }
    if let Some(v) = p.strip_prefix("Digital Currency Address - ") {
        let (cur, addr) = v.trim().split_once(' ')?;
        return Some(Feature::Crypto(CryptoAddress { currency: cur.trim().into(), address: addr.trim().into() }));
    }
    // Longest matching document label.
    let (label, kind) = ID_LABELS
        .iter()
        .filter(|(l, _)| p.len() > l.len() && p.starts_with(l) && p.as_bytes().get(l.len()) == Some(&b' '))
        .max_by_key(|(l, _)| l.len())?;
    let value = p[label.len()..].trim();
    (!value.is_empty()).then(|| Feature::Id(identifier(kind, value, None)))
}

/// Applies one feature to an entity.
pub(crate) fn apply_feature(f: Feature, e: &mut Entity, problems: &mut Vec<String>) {
    match f {
        Feature::Dob(d) => {
            if !e.dates_of_birth.contains(&d) {
                e.dates_of_birth.push(d);
            }
        }
        Feature::BadDate(s) => problems.push(format!("date {s:?} not understood; kept in remarks")),
        Feature::Pob(p) => e.places_of_birth.push(p),
        Feature::Nationality(c) => push_country(&mut e.nationalities, &c),
        Feature::Citizen(c) => push_country(&mut e.citizenships, &c),
        Feature::Gender(g) => e.gender = Some(g),
        Feature::Id(id) => e.identifiers.push(id),
        Feature::Crypto(c) => e.crypto_addresses.push(c),
        Feature::WeakAlias(t, n) => e.names.push(person_name(&n, t, NameQuality::Weak, e.kind)),
    }
}

/// Adds the ISO code of a country text, once.
pub(crate) fn push_country(list: &mut Vec<String>, text: &str) {
    if let Some(code) = country::to_iso(text.trim()) {
        if !list.iter().any(|c| c == code) {
            list.push(code.to_string());
        }
    }
}

/// Mines the facts in an OFAC remarks text (pieces separated by `;`).
fn mine_remarks(remarks: &str, kind: EntityKind, e: &mut Entity, problems: &mut Vec<String>) {
    for piece in remarks.split(';') {
        if let Some(f) = parse_feature(piece, kind) {
            apply_feature(f, e, problems);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        let d = parse_date("14 Jun 1975").unwrap();
        assert_eq!((d.y, d.m, d.d, d.approximate, d.to), (1975, 6, 14, false, None));
        let d = parse_date("Mar 1955").unwrap();
        assert_eq!((d.y, d.m, d.d), (1955, 3, 0));
        let d = parse_date("01 Jan 1960 to 31 Dec 1962").unwrap();
        assert_eq!(d.to, Some(PartialDate { y: 1962, m: 12, d: 31 }));
        assert!(parse_date("31 Feb 1960").is_none());
        let d = parse_date("circa 1979-1982").unwrap();
        assert_eq!((d.y, d.approximate, d.to.map(|t| t.y)), (1979, true, Some(1982)));
        assert!(parse_date("").is_none());
    }

    #[test]
    fn features() {
        let k = EntityKind::Individual;
        assert_eq!(
            parse_feature(" a.k.a. 'CHAFFORI, Petit'.", k),
            Some(Feature::WeakAlias(NameType::Aka, "CHAFFORI, Petit".into()))
        );
        assert_eq!(
            parse_feature("Digital Currency Address - XBT 12udabs2TkX7NXCSj6KpqXfakjE52ZPLhz", k),
            Some(Feature::Crypto(CryptoAddress {
                currency: "XBT".into(),
                address: "12udabs2TkX7NXCSj6KpqXfakjE52ZPLhz".into()
            }))
        );
        match parse_feature("alt. Passport D001001 (Libya) issued 22 Jan 2015 expires 22 Jan 2017", k) {
            Some(Feature::Id(id)) => {
                assert_eq!(id.kind, "passport");
                assert_eq!(id.number, "D001001");
                assert_eq!(id.note.as_deref(), Some("(Libya) issued 22 Jan 2015 expires 22 Jan 2017"));
            }
            other => panic!("{other:?}"),
        }
        match parse_feature("Vessel Registration Identification IMO 9283007", EntityKind::Vessel) {
            Some(Feature::Id(id)) => assert_eq!((id.kind.as_str(), id.number.as_str()), ("imo", "9283007")),
            other => panic!("{other:?}"),
        }
        assert_eq!(parse_feature("Gender Female.", k), Some(Feature::Gender(Gender::Female)));
        assert_eq!(parse_feature("Linked To: X", k), None);
        assert_eq!(parse_feature("DOB about then", k), Some(Feature::BadDate("DOB about then".into())));
    }

    #[test]
    fn names_and_programs() {
        let n = person_name(
            "CIFUENTES VILLA, Jorge Milton",
            NameType::Primary,
            NameQuality::Strong,
            EntityKind::Individual,
        );
        assert_eq!(n.family.as_deref(), Some("CIFUENTES VILLA"));
        assert_eq!(n.given.as_deref(), Some("Jorge Milton"));
        let n = person_name("CECOEX, S.A.", NameType::Primary, NameQuality::Strong, EntityKind::Entity);
        assert_eq!(n.family, None);
        assert_eq!(split_programs("DPRK3] [CYBER2"), vec!["DPRK3", "CYBER2"]);
    }
}
