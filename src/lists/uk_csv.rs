//! UK OFSI consolidated list ("ConList"), legacy CSV (and the 2022 layout, read by header names).
//!
//! One row per name of a target; the rows of one target share a `Group ID` but need not be consecutive
//! (the legacy file is sorted by name), so the file is read whole (it is a few MiB) and rows are grouped by
//! id, in order of first appearance. The legacy file is Windows-1252 (2022+ files are UTF-8, often with a
//! BOM): the encoding is detected. Publisher files start with a 2-line preamble (`Last Updated,DD/MM/YYYY`
//! then the header); copies without it are read in the legacy 29-column order.
//!
//! Mapping: id `UK-<Group ID>`; `Name 6` is the family (or entity) name, `Name 1`..`Name 5` the given
//! names; `Alias Type` `Prime Alias` → primary, `AKA` → aka, `FKA` → fka (`Alias Quality` `Low` → weak);
//! partial dates `00/00/1981` → `{1981, 0, 0}`; `raw` is `{"Group ID": .., "rows": [{column: value}...]}`
//! with every column of every row.

use super::country;
use super::{ListEvent, ListFormat, ListInfo, ListReader, ListWarning};
use crate::model::{Address, DateValue, EntityName, Identifier, NameQuality, NameType};
use crate::{Entity, EntityKind, Error, PartialDate, Publisher, Result};
use serde_json::{Map, Value};
use std::collections::{HashMap, VecDeque};
use std::path::{Path, PathBuf};

/// The legacy (pre-2022) column order, used when the file has no header row.
const LEGACY_COLUMNS: [&str; 29] = [
    "Name 6",
    "Name 1",
    "Name 2",
    "Name 3",
    "Name 4",
    "Name 5",
    "Title",
    "DOB",
    "Town of Birth",
    "Country of Birth",
    "Nationality",
    "Passport Details",
    "NI Number",
    "Position",
    "Address 1",
    "Address 2",
    "Address 3",
    "Address 4",
    "Address 5",
    "Address 6",
    "Post/Zip Code",
    "Country",
    "Other Information",
    "Group Type",
    "Alias Type",
    "Regime",
    "Listed On",
    "Last Updated",
    "Group ID",
];

/// Reads a UK OFSI ConList CSV file.
///
/// ```
/// let path = saring::lists::bundled_dir().join("uk_ofsi_conlist_2018-11-29.csv");
/// let reader = saring::lists::uk_csv::read(&path).unwrap();
/// assert_eq!(reader.count(), 2137);
/// ```
pub fn read(path: &Path) -> Result<ListReader> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    let text = decode(&bytes);
    let parsed = parse(&text, path)?;
    let info = ListInfo {
        path: path.to_path_buf(),
        format: ListFormat::UkCsv,
        publisher: Publisher::Uk,
        publication_date: parsed.publication_date.clone(),
    };
    let pending = parsed.row_warnings.iter().cloned().map(ListEvent::Warning).collect();
    let events = UkCsvEvents { parsed, path: path.to_path_buf(), next_group: 0, pending };
    Ok(ListReader::new(info, Box::new(events)))
}

/// Whether `path` (with `head`, its first bytes; empty for a directory) looks like this format.
pub(crate) fn sniff(path: &Path, head: &[u8]) -> Option<ListFormat> {
    let is_csv = path.extension().and_then(|e| e.to_str()).is_some_and(|e| e.eq_ignore_ascii_case("csv"));
    if !is_csv || head.is_empty() {
        return None;
    }
    let text = decode(head);
    let mut lines = text.lines();
    let first = lines.next().unwrap_or("");
    if first.starts_with("Last Updated,") || first.starts_with("Name 6,") {
        return Some(ListFormat::UkCsv);
    }
    // No preamble: a legacy data row has 29 fields ending with a numeric Group ID and a group type.
    let mut rdr = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    let row = rdr.records().next()?.ok()?;
    let looks = row.len() == 29
        && row.get(28).is_some_and(|g| !g.is_empty() && g.trim().bytes().all(|b| b.is_ascii_digit()))
        && matches!(row.get(23), Some("Individual" | "Entity" | "Ship"));
    looks.then_some(ListFormat::UkCsv)
}

/// UTF-8 (BOM stripped) when the bytes are valid UTF-8, Windows-1252 otherwise.
pub(crate) fn decode(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        // A cut in the middle of a multi-byte character (a sniffer's head) is still UTF-8.
        Err(e) if e.error_len().is_none() && e.valid_up_to() + 4 > bytes.len() => {
            String::from_utf8_lossy(bytes.get(..e.valid_up_to()).unwrap_or_default()).into_owned()
        }
        Err(_) => encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes).0.into_owned(),
    }
}

/// Parses a `dd/mm/yyyy` date where day and month may be unknown (`00`, `dd`, `mm`), or a bare year.
///
/// ```
/// use saring::lists::uk_csv::parse_dmy;
/// assert_eq!(parse_dmy("00/00/1981").map(|d| d.to_string()), Some("1981".into()));
/// assert_eq!(parse_dmy("dd/09/1958").map(|d| d.to_string()), Some("1958-09".into()));
/// assert_eq!(parse_dmy("12/11/1967").map(|d| d.to_string()), Some("1967-11-12".into()));
/// assert_eq!(parse_dmy("1985").map(|d| d.to_string()), Some("1985".into()));
/// assert_eq!(parse_dmy("31/02/1980"), None);
/// ```
pub fn parse_dmy(s: &str) -> Option<PartialDate> {
    let parts: Vec<&str> = s.trim().split('/').map(str::trim).collect();
    let num = |p: &str, max_len: usize| -> Option<u32> {
        let p = p.trim();
        if p.is_empty() || p.eq_ignore_ascii_case("dd") || p.eq_ignore_ascii_case("mm") {
            return Some(0);
        }
        if p.len() > max_len || !p.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        p.parse().ok()
    };
    let (d, m, y) = match parts.as_slice() {
        [y] => (0, 0, num(y, 4)?),
        [d, m, y] => (num(d, 2)?, num(m, 2)?, num(y, 4)?),
        _ => return None,
    };
    if !(1000..=9999).contains(&y) {
        return None;
    }
    let (d, m) = if m == 0 { (0, 0) } else { (d, m) };
    PartialDate::new(y as u16, m as u8, d as u8).ok()
}

/// Line numbers of byte offsets in a text, counted incrementally (offsets must not decrease). Unlike the
/// CSV reader's own line count, newlines inside quoted fields count.
pub(crate) struct LineCounter<'a> {
    text: &'a [u8],
    byte: usize,
    line: u64,
}

impl<'a> LineCounter<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        LineCounter { text: text.as_bytes(), byte: 0, line: 1 }
    }

    /// The 1-based line of the record starting at `byte` (the CSV reader stops before the `\n` of a
    /// `\r\n` terminator: line ends at `byte` are skipped).
    pub(crate) fn line_at(&mut self, byte: u64) -> u64 {
        let mut end = usize::try_from(byte).unwrap_or(usize::MAX).min(self.text.len());
        while matches!(self.text.get(end), Some(b'\r' | b'\n')) {
            end += 1;
        }
        if end > self.byte {
            let newlines = self.text.get(self.byte..end).map_or(0, |t| t.iter().filter(|&&b| b == b'\n').count());
            self.line += newlines as u64;
            self.byte = end;
        }
        self.line
    }
}

struct Group {
    id: String,
    first_line: u64,
    rows: Vec<Vec<String>>,
}

struct Parsed {
    columns: Vec<String>,
    groups: Vec<Group>,
    /// Warnings for rows that could not be assigned to a group, by line.
    row_warnings: Vec<ListWarning>,
    publication_date: Option<String>,
}

fn parse(text: &str, path: &Path) -> Result<Parsed> {
    let not_list = |reason: &str| Error::ListFormat { file: path.to_path_buf(), reason: reason.to_string() };
    let mut rdr = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut columns: Vec<String> = LEGACY_COLUMNS.iter().map(|s| s.to_string()).collect();
    let mut publication_date = None;
    let mut groups: Vec<Group> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut row_warnings = Vec::new();
    let mut first = true;
    let mut group_col = 28;
    let mut good_rows = 0usize;
    let mut record = csv::StringRecord::new();
    let mut lines = LineCounter::new(text);
    loop {
        let line = lines.line_at(rdr.position().byte());
        match rdr.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                row_warnings.push(ListWarning { file: path.to_path_buf(), line, reason: format!("bad CSV row: {e}") });
                continue;
            }
        }
        let head = record.get(0).unwrap_or("").trim();
        if first && head == "Last Updated" {
            publication_date = record.get(1).and_then(parse_dmy).map(|d| d.to_string());
            continue;
        }
        if first && head == "Name 6" {
            columns = record.iter().map(|c| c.trim().to_string()).collect();
            group_col = columns
                .iter()
                .position(|c| c == "Group ID")
                .ok_or_else(|| not_list("header has no Group ID column"))?;
            first = false;
            continue;
        }
        first = false;
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        if record.len() != columns.len() {
            row_warnings.push(ListWarning {
                file: path.to_path_buf(),
                line,
                reason: format!("row has {} fields, expected {}; skipped", record.len(), columns.len()),
            });
            continue;
        }
        let gid = record.get(group_col).unwrap_or("").trim();
        if gid.is_empty() || !gid.bytes().all(|b| b.is_ascii_digit()) {
            row_warnings.push(ListWarning {
                file: path.to_path_buf(),
                line,
                reason: format!("Group ID {gid:?} is not a number; row skipped"),
            });
            continue;
        }
        good_rows += 1;
        let row: Vec<String> = record.iter().map(str::to_string).collect();
        match index.get(gid) {
            Some(&i) => {
                if let Some(g) = groups.get_mut(i) {
                    g.rows.push(row);
                }
            }
            None => {
                index.insert(gid.to_string(), groups.len());
                groups.push(Group { id: gid.to_string(), first_line: line, rows: vec![row] });
            }
        }
    }
    if good_rows == 0 {
        return Err(not_list("no UK ConList rows (expected 29 columns ending with a numeric Group ID)"));
    }
    Ok(Parsed { columns, groups, row_warnings, publication_date })
}

struct UkCsvEvents {
    parsed: Parsed,
    path: PathBuf,
    next_group: usize,
    pending: VecDeque<ListEvent>,
}

impl Iterator for UkCsvEvents {
    type Item = Result<ListEvent>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(ev) = self.pending.pop_front() {
                return Some(Ok(ev));
            }
            let group = self.parsed.groups.get(self.next_group)?;
            self.next_group += 1;
            convert(group, &self.parsed.columns, &self.path, &mut self.pending);
        }
    }
}

fn convert(group: &Group, columns: &[String], path: &Path, out: &mut VecDeque<ListEvent>) {
    let col = |name: &str| columns.iter().position(|c| c == name);
    let get = |row: &[String], name: &str| -> Option<String> {
        col(name).and_then(|i| row.get(i)).map(|v| v.trim().to_string()).filter(|v| !v.is_empty())
    };
    let mut warnings: Vec<ListEvent> = Vec::new();
    let warn =
        |reason: String| ListEvent::Warning(ListWarning { file: path.to_path_buf(), line: group.first_line, reason });
    let id = format!("UK-{}", group.id);
    let mut e = Entity { id: id.clone(), publisher: Some(Publisher::Uk), ..Default::default() };
    let mut raw_rows = Vec::new();
    for row in &group.rows {
        let mut m = Map::new();
        for (name, value) in columns.iter().zip(row) {
            m.insert(name.clone(), Value::String(value.clone()));
        }
        raw_rows.push(Value::Object(m));
    }
    let mut raw = Map::new();
    raw.insert("Group ID".into(), Value::String(group.id.clone()));
    raw.insert("rows".into(), Value::Array(raw_rows));
    e.raw = Value::Object(raw);

    for row in &group.rows {
        if e.kind == EntityKind::Unknown {
            e.kind = match get(row, "Group Type").map(|t| t.to_ascii_lowercase()).as_deref() {
                Some("individual") => EntityKind::Individual,
                Some("entity") => EntityKind::Entity,
                Some("ship") => EntityKind::Vessel,
                _ => EntityKind::Unknown,
            };
        }
        // Names.
        let given: Vec<String> = (1..=5).filter_map(|i| get(row, &format!("Name {i}"))).collect();
        let family = get(row, "Name 6");
        let mut parts = given.clone();
        parts.extend(family.clone());
        if parts.is_empty() {
            warnings.push(warn(format!("{id}: a row without any name part")));
        } else {
            let alias_type = get(row, "Alias Type").unwrap_or_default().to_ascii_lowercase();
            let name_type = match alias_type.as_str() {
                "prime alias" | "primary name" => NameType::Primary,
                "fka" => NameType::Fka,
                "nka" => NameType::Nka,
                _ => NameType::Aka,
            };
            let quality = match get(row, "Alias Quality").map(|q| q.to_ascii_lowercase()) {
                Some(q) if q.starts_with("low") => NameQuality::Weak,
                _ => NameQuality::Strong,
            };
            let full = parts.join(" ");
            if !e.names.iter().any(|n| n.full == full) {
                e.names.push(EntityName {
                    full,
                    name_type,
                    quality,
                    given: given.first().cloned(),
                    middle: (given.len() > 1).then(|| given.get(1..).unwrap_or_default().join(" ")),
                    family,
                    language: None,
                });
            }
        }
        if let Some(nl) = get(row, "Name Non-Latin Script") {
            if !e.names.iter().any(|n| n.full == nl) {
                let mut n = EntityName::new(nl, NameType::OriginalScript, NameQuality::Strong);
                n.language = get(row, "Non-Latin Script Language").map(|l| l.to_ascii_lowercase());
                e.names.push(n);
            }
        }
        if let Some(dob) = get(row, "DOB") {
            match parse_dmy(&dob) {
                Some(d) => {
                    let v = DateValue::exact(d);
                    if !e.dates_of_birth.contains(&v) {
                        e.dates_of_birth.push(v);
                    }
                }
                None => warnings.push(warn(format!("{id}: unreadable DOB {dob:?}; kept in raw"))),
            }
        }
        let place: Vec<String> = ["Town of Birth", "Country of Birth"].iter().filter_map(|k| get(row, k)).collect();
        let place = place.join(", ");
        if !place.is_empty() && !e.places_of_birth.contains(&place) {
            e.places_of_birth.push(place);
        }
        if let Some(nat) = get(row, "Nationality") {
            let found = country::split_countries(&nat);
            if found.is_empty() {
                warnings.push(warn(format!("{id}: unknown nationality {nat:?}; kept in raw")));
            }
            for c in found {
                if !e.nationalities.iter().any(|x| x == c) {
                    e.nationalities.push(c.to_string());
                }
            }
        }
        for (column, kind) in [
            ("Passport Details", "passport"),
            ("Passport Number", "passport"),
            ("NI Number", "national_id"),
            ("National Identification Number", "national_id"),
        ] {
            if let Some(number) = get(row, column) {
                if !e.identifiers.iter().any(|i| i.number == number) {
                    e.identifiers.push(Identifier { kind: kind.into(), number, ..Default::default() });
                }
            }
        }
        let street: Vec<String> = (1..=5).filter_map(|i| get(row, &format!("Address {i}"))).collect();
        let country_text = get(row, "Country");
        let addr = Address {
            street: (!street.is_empty()).then(|| street.join(", ")),
            city: get(row, "Address 6"),
            postal_code: get(row, "Post/Zip Code"),
            country: country_text
                .as_deref()
                .and_then(|c| country::split_countries(c).first().copied())
                .map(str::to_string),
            text: country_text.filter(|c| country::to_iso(c).is_none()),
            ..Default::default()
        };
        if addr != Address::default() && !e.addresses.contains(&addr) {
            e.addresses.push(addr);
        }
        if let Some(info) = get(row, "Other Information") {
            if !e.remarks.contains(&info) {
                e.remarks.push(info);
            }
        }
        if let Some(regime) = get(row, "Regime") {
            if !e.programs.contains(&regime) {
                e.programs.push(regime);
            }
        }
        let date = |k: &str| get(row, k).map(|d| parse_dmy(&d).map(|p| p.to_string()).unwrap_or(d));
        if let Some(d) = date("Listed On") {
            if e.listed_on.as_ref().is_none_or(|x| d < *x) {
                e.listed_on = Some(d);
            }
        }
        if let Some(d) = date("Last Updated") {
            if e.updated.as_ref().is_none_or(|x| d > *x) {
                e.updated = Some(d);
            }
        }
    }
    e.list = e.programs.first().cloned().unwrap_or_default();
    // Primary name first; further "Prime Alias" rows with another spelling become spelling variants.
    if let Some(pos) = e.names.iter().position(|n| n.name_type == NameType::Primary) {
        let primary = e.names.remove(pos);
        e.names.insert(0, primary);
        for n in e.names.iter_mut().skip(1) {
            if n.name_type == NameType::Primary {
                n.name_type = NameType::SpellingVariant;
            }
        }
    } else if let Some(first) = e.names.first_mut() {
        first.name_type = NameType::Primary;
    }
    let mut seen = std::collections::HashSet::new();
    warnings.retain(|w| match w {
        ListEvent::Warning(w) => seen.insert(w.reason.clone()),
        ListEvent::Entity(_) => true,
    });
    if e.names.is_empty() {
        out.push_back(warn(format!("{id}: group without any name; skipped")));
    } else {
        out.push_back(ListEvent::Entity(Box::new(e)));
    }
    out.extend(warnings);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(parse_dmy("00/05/1960"), Some(PartialDate { y: 1960, m: 5, d: 0 }));
        assert_eq!(parse_dmy("dd/mm/1968"), Some(PartialDate { y: 1968, m: 0, d: 0 }));
        assert_eq!(parse_dmy("05/00/1960"), Some(PartialDate { y: 1960, m: 0, d: 0 }));
        assert_eq!(parse_dmy(""), None);
        assert_eq!(parse_dmy("1/2/3/4"), None);
        assert_eq!(parse_dmy("0"), None);
    }

    #[test]
    fn decodes_windows_1252_and_utf8() {
        assert_eq!(decode(b"O\x92Brien"), "O\u{2019}Brien");
        assert_eq!(decode("\u{feff}Łódź".as_bytes()), "Łódź");
    }

    #[test]
    fn sniffs() {
        let row = b" AL-QAHTANI,Sheikh,Farooq,,,,,00/00/1981,,Saudi Arabia,x,y,,,,,,,,,,A,B,Individual,AKA,R,01/04/2016,01/04/2016,13349\n";
        assert_eq!(sniff(Path::new("x.csv"), row), Some(ListFormat::UkCsv));
        assert_eq!(sniff(Path::new("x.txt"), row), None);
        assert_eq!(sniff(Path::new("x.csv"), b"Last Updated,29/11/2018\nName 6,Name 1\n"), Some(ListFormat::UkCsv));
        assert_eq!(sniff(Path::new("x.csv"), b"id,name\n1,Foo\n"), None);
    }
}
