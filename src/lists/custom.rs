//! Custom watchlists: a bank's own list as CSV (with a header row) or JSON lines.
//!
//! Columns (CSV header names or JSON keys, case-insensitive):
//!
//! | column | meaning |
//! |---|---|
//! | `id` | stable id within the list (entity id `CUSTOM-<id>`; the line number when absent) |
//! | `name` | **required**: the primary name |
//! | `kind` | `person` / `individual`, `entity` / `organisation` / `company`, `vessel` / `ship`, `aircraft` |
//! | `aliases` | other names: `;`-separated in CSV, an array (or `;`-separated string) in JSON |
//! | `date_of_birth` | `YYYY`, `YYYY-MM`, `YYYY-MM-DD` or `DD/MM/YYYY`; several separated by `;` |
//! | `nationality` | country names or codes (`ID`, `Indonesia`, `Jerman; Maroko`) |
//! | `country` | country of address |
//! | `gender` | `male` / `female` (`m` / `f`) |
//! | `list` | sub-list name (e.g. `internal-blacklist`) |
//! | `remarks` | free text |
//!
//! Any other column is kept in `raw`, which holds the whole row. A column named twice is an error, and
//! a JSON line giving a key twice is skipped with a warning (one of the two values would be lost).

use super::country;
use super::{ListEvent, ListFormat, ListInfo, ListReader, ListWarning};
use crate::model::{Address, DateValue, EntityName, Gender, NameQuality, NameType};
use crate::records::{named_twice, Pairs};
use crate::{Entity, EntityKind, Error, PartialDate, Publisher, Result};
use serde_json::{Map, Value};
use std::collections::VecDeque;
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};

/// Reads a custom list as CSV or JSON lines.
///
/// ```
/// use std::io::Write;
/// let dir = tempfile::tempdir().unwrap();
/// let path = dir.path().join("watch.csv");
/// std::fs::write(&path, "id,name,aliases\n7,Budi Santoso,Budi S.;B. Santoso\n").unwrap();
/// let reader = saring::lists::custom::read(&path, saring::lists::ListFormat::CustomCsv).unwrap();
/// let e = match reader.into_iter().next().unwrap().unwrap() {
///     saring::lists::ListEvent::Entity(e) => e,
///     w => panic!("{w:?}"),
/// };
/// assert_eq!(e.id, "CUSTOM-7");
/// assert_eq!(e.names.len(), 3);
/// ```
pub fn read(path: &Path, format: ListFormat) -> Result<ListReader> {
    let file = File::open(path).map_err(|e| Error::io(path, e))?;
    let info = ListInfo { path: path.to_path_buf(), format, publisher: Publisher::Custom, publication_date: None };
    let events: Box<dyn Iterator<Item = Result<ListEvent>> + Send> = match format {
        ListFormat::CustomJsonl => Box::new(JsonlEvents {
            lines: BufReader::new(file),
            path: path.to_path_buf(),
            line: 0,
            done: false,
            pending: VecDeque::new(),
        }),
        _ => {
            let mut rdr = csv::ReaderBuilder::new().flexible(true).from_reader(BufReader::new(file));
            let headers = rdr.headers().map_err(|e| Error::ListFormat {
                file: path.to_path_buf(),
                reason: format!("cannot read the CSV header: {e}"),
            })?;
            let headers: Vec<String> =
                headers.iter().map(|h| h.trim().trim_start_matches('\u{feff}').to_string()).collect();
            if !headers.iter().any(|h| h.eq_ignore_ascii_case("name")) {
                return Err(Error::ListFormat {
                    file: path.to_path_buf(),
                    reason: format!("custom CSV list needs a `name` column; header is {headers:?}"),
                });
            }
            // Every column is read (into `raw` at least): one named twice would lose a value, such as
            // a second `aliases` column.
            if let Some((name, first, again)) = named_twice(headers.iter().map(String::as_str).enumerate()) {
                return Err(Error::ListFormat {
                    file: path.to_path_buf(),
                    reason: format!("the header names {name} twice (columns {} and {})", first + 1, again + 1),
                });
            }
            Box::new(CsvEvents {
                rdr,
                headers,
                path: path.to_path_buf(),
                record: csv::StringRecord::new(),
                pending: VecDeque::new(),
            })
        }
    };
    Ok(ListReader::new(info, events))
}

/// Whether `path` (with `head`, its first bytes; empty for a directory) looks like this format.
pub(crate) fn sniff(path: &Path, head: &[u8]) -> Option<ListFormat> {
    let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
    match ext.as_deref() {
        Some("jsonl" | "ndjson") => Some(ListFormat::CustomJsonl),
        Some("csv") => {
            let head = String::from_utf8_lossy(head);
            let first = head.trim_start_matches('\u{feff}').lines().next().unwrap_or("");
            let mut rdr = csv::ReaderBuilder::new().has_headers(false).from_reader(first.as_bytes());
            let header = rdr.records().next()?.ok()?;
            header.iter().any(|h| h.trim().eq_ignore_ascii_case("name")).then_some(ListFormat::CustomCsv)
        }
        _ => None,
    }
}

struct CsvEvents {
    rdr: csv::Reader<BufReader<File>>,
    headers: Vec<String>,
    path: PathBuf,
    record: csv::StringRecord,
    pending: VecDeque<ListEvent>,
}

impl Iterator for CsvEvents {
    type Item = Result<ListEvent>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(ev) = self.pending.pop_front() {
                return Some(Ok(ev));
            }
            let line = self.rdr.position().line();
            match self.rdr.read_record(&mut self.record) {
                Ok(false) => return None,
                Ok(true) => {}
                Err(e) => {
                    if let csv::ErrorKind::Io(_) = e.kind() {
                        return Some(Err(Error::ListFormat { file: self.path.clone(), reason: e.to_string() }));
                    }
                    let line = e.position().map(|p| p.line()).unwrap_or(line);
                    return Some(Ok(warning(&self.path, line, format!("bad CSV row ({e}); skipped"))));
                }
            }
            if self.record.iter().all(|c| c.trim().is_empty()) {
                continue;
            }
            if self.record.len() != self.headers.len() {
                let reason =
                    format!("row has {} fields, header has {}; skipped", self.record.len(), self.headers.len());
                return Some(Ok(warning(&self.path, line, reason)));
            }
            let mut row = Map::new();
            for (h, v) in self.headers.iter().zip(self.record.iter()) {
                row.insert(h.clone(), Value::String(v.to_string()));
            }
            convert(row, &self.path, line, &mut self.pending);
        }
    }
}

struct JsonlEvents {
    lines: BufReader<File>,
    path: PathBuf,
    line: u64,
    done: bool,
    pending: VecDeque<ListEvent>,
}

impl Iterator for JsonlEvents {
    type Item = Result<ListEvent>;

    fn next(&mut self) -> Option<Self::Item> {
        let mut buf = Vec::new();
        loop {
            if let Some(ev) = self.pending.pop_front() {
                return Some(Ok(ev));
            }
            if self.done {
                return None;
            }
            buf.clear();
            match self.lines.read_until(b'\n', &mut buf) {
                Ok(0) => return None,
                Ok(_) => self.line += 1,
                Err(e) => {
                    self.done = true;
                    return Some(Err(Error::io(&self.path, e)));
                }
            }
            let Ok(text) = std::str::from_utf8(&buf) else {
                return Some(Ok(warning(&self.path, self.line, "line is not valid UTF-8; skipped".into())));
            };
            let text = text.trim().trim_start_matches('\u{feff}');
            if text.is_empty() {
                continue;
            }
            match serde_json::from_str::<Pairs>(text) {
                Ok(Pairs(pairs)) => {
                    // A key given twice would lose one of its values (a second `aliases`).
                    if let Some((key, _, _)) = named_twice(pairs.iter().map(|(k, _)| k.as_str()).enumerate()) {
                        let reason = format!("key {key} given twice; skipped");
                        return Some(Ok(warning(&self.path, self.line, reason)));
                    }
                    convert(pairs.into_iter().collect(), &self.path, self.line, &mut self.pending)
                }
                Err(e) if e.classify() == serde_json::error::Category::Data => {
                    return Some(Ok(warning(&self.path, self.line, "line is not a JSON object; skipped".into())))
                }
                Err(e) => return Some(Ok(warning(&self.path, self.line, format!("invalid JSON ({e}); skipped")))),
            }
        }
    }
}

fn warning(path: &Path, line: u64, reason: String) -> ListEvent {
    ListEvent::Warning(ListWarning { file: path.to_path_buf(), line, reason })
}

/// A field as a list of strings: JSON arrays as they are, strings split on `;`.
fn values(row: &Map<String, Value>, key: &str) -> Vec<String> {
    let v = row.iter().find(|(k, _)| k.eq_ignore_ascii_case(key)).map(|(_, v)| v);
    let mut out = Vec::new();
    match v {
        Some(Value::String(s)) => out.extend(s.split(';').map(str::trim).filter(|s| !s.is_empty()).map(String::from)),
        Some(Value::Array(items)) => {
            for item in items {
                match item {
                    Value::String(s) if !s.trim().is_empty() => out.push(s.trim().to_string()),
                    Value::Number(n) => out.push(n.to_string()),
                    _ => {}
                }
            }
        }
        Some(Value::Number(n)) => out.push(n.to_string()),
        _ => {}
    }
    out
}

/// A single text field (JSON numbers accepted, e.g. for `id`).
fn value(row: &Map<String, Value>, key: &str) -> Option<String> {
    let v = row.iter().find(|(k, _)| k.eq_ignore_ascii_case(key)).map(|(_, v)| v)?;
    match v {
        Value::String(s) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// `YYYY`, `YYYY-MM`, `YYYY-MM-DD` or `DD/MM/YYYY`.
fn parse_date(s: &str) -> Option<PartialDate> {
    s.parse::<PartialDate>().ok().or_else(|| super::uk_csv::parse_dmy(s))
}

fn convert(row: Map<String, Value>, path: &Path, line: u64, out: &mut VecDeque<ListEvent>) {
    let Some(name) = value(&row, "name") else {
        out.push_back(warning(path, line, "record without a name; skipped".into()));
        return;
    };
    let mut problems = Vec::new();
    let mut e = Entity { publisher: Some(Publisher::Custom), ..Default::default() };
    e.id = match value(&row, "id") {
        Some(id) => format!("CUSTOM-{id}"),
        None => format!("CUSTOM-line-{line}"),
    };
    e.kind = match value(&row, "kind").map(|k| k.to_ascii_lowercase()).as_deref() {
        None => EntityKind::Unknown,
        Some("person" | "individual" | "natural person" | "orang") => EntityKind::Individual,
        Some("entity" | "organisation" | "organization" | "company" | "korporasi") => EntityKind::Entity,
        Some("vessel" | "ship") => EntityKind::Vessel,
        Some("aircraft") => EntityKind::Aircraft,
        Some(other) => {
            problems.push(format!("unknown kind {other:?}"));
            EntityKind::Unknown
        }
    };
    e.names.push(EntityName::new(name, NameType::Primary, NameQuality::Strong));
    for alias in values(&row, "aliases") {
        if !e.names.iter().any(|n| n.full == alias) {
            e.names.push(EntityName::new(alias, NameType::Aka, NameQuality::Strong));
        }
    }
    for d in values(&row, "date_of_birth") {
        match parse_date(&d) {
            Some(p) => e.dates_of_birth.push(DateValue::exact(p)),
            None => problems.push(format!("unreadable date_of_birth {d:?}")),
        }
    }
    for n in values(&row, "nationality") {
        let found = country::split_countries(&n);
        if found.is_empty() {
            problems.push(format!("unknown nationality {n:?}"));
        }
        for c in found {
            if !e.nationalities.iter().any(|x| x == c) {
                e.nationalities.push(c.to_string());
            }
        }
    }
    for c in values(&row, "country") {
        match country::to_iso(&c) {
            Some(iso) => e.addresses.push(Address { country: Some(iso.to_string()), ..Default::default() }),
            None => {
                problems.push(format!("unknown country {c:?}"));
                e.addresses.push(Address { text: Some(c), ..Default::default() });
            }
        }
    }
    e.gender = match value(&row, "gender").map(|g| g.to_ascii_lowercase()).as_deref() {
        Some("male" | "m" | "laki-laki") => Some(Gender::Male),
        Some("female" | "f" | "perempuan") => Some(Gender::Female),
        _ => None,
    };
    e.list = value(&row, "list").unwrap_or_default();
    e.remarks.extend(value(&row, "remarks"));
    e.raw = Value::Object(row);
    // The entity is kept; unreadable fields stay in raw and are reported.
    if !problems.is_empty() {
        out.push_back(warning(path, line, format!("{}: {}; kept in raw", e.id, problems.join("; "))));
    }
    out.push_front(ListEvent::Entity(Box::new(e)));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_by_extension_and_header() {
        assert_eq!(sniff(Path::new("a.csv"), b"id,Name,kind\n"), Some(ListFormat::CustomCsv));
        assert_eq!(sniff(Path::new("a.csv"), b"\xef\xbb\xbfname\n"), Some(ListFormat::CustomCsv));
        assert_eq!(sniff(Path::new("a.csv"), b"id,full_name\n"), None);
        assert_eq!(sniff(Path::new("a.txt"), b"id,name\n"), None);
        assert_eq!(sniff(Path::new("a.jsonl"), b""), Some(ListFormat::CustomJsonl));
        assert_eq!(sniff(Path::new("a.NDJSON"), b"{}"), Some(ListFormat::CustomJsonl));
    }

    #[test]
    fn a_field_given_twice_is_refused_rather_than_half_read() {
        let dir = tempfile::tempdir().unwrap();
        let csv = dir.path().join("list.csv");
        std::fs::write(&csv, "id,name,aliases,Aliases\n1,Budi,Bud,Budiman\n").unwrap();
        let e = read(&csv, ListFormat::CustomCsv).err().expect("an error").to_string();
        assert!(e.contains("the header names aliases twice (columns 3 and 4)"), "{e}");
        let jsonl = dir.path().join("list.jsonl");
        let lines = "{\"id\": 1, \"name\": \"Budi\", \"aliases\": [\"Bud\"], \"aliases\": \"Budiman\"}\n\
                     {\"id\": 2, \"name\": \"Siti\", \"aliases\": \"Sity\"}\n\
                     [1, 2]\n";
        std::fs::write(&jsonl, lines).unwrap();
        let events: Vec<ListEvent> = read(&jsonl, ListFormat::CustomJsonl).unwrap().map(Result::unwrap).collect();
        let reasons: Vec<String> = events
            .iter()
            .filter_map(
                |e| if let ListEvent::Warning(w) = e { Some(format!("{}: {}", w.line, w.reason)) } else { None },
            )
            .collect();
        assert_eq!(reasons, ["1: key aliases given twice; skipped", "3: line is not a JSON object; skipped"]);
        let ids: Vec<&str> = events
            .iter()
            .filter_map(|e| if let ListEvent::Entity(e) = e { Some(e.id.as_str()) } else { None })
            .collect();
        assert_eq!(ids, ["CUSTOM-2"]);
    }

    #[test]
    fn dates() {
        assert_eq!(parse_date("1980-05"), Some(PartialDate { y: 1980, m: 5, d: 0 }));
        assert_eq!(parse_date("17/08/1945"), Some(PartialDate { y: 1945, m: 8, d: 17 }));
        assert_eq!(parse_date("soon"), None);
    }
}
