//! Reading customer files: CSV with a header, or JSON lines, streamed row by row.
//!
//! Both formats use the same field names: `customer_id` (required), `name` or
//! `given_name`/`middle_name`/`surname`, `business_name`, `date_of_birth` (`YYYY`, `YYYY-MM`,
//! `YYYY-MM-DD`), `date_of_registration`, `nationality` and `business_domicile` (ISO 3166-1 alpha-2, or a
//! country name the country table knows), `kind` (`individual`/`person` or `entity`/`business`/
//! `organisation`) and `gender` (`male`/`female`, `m`/`f`; Indonesian `L`/`P`). For an organisation a
//! `nationality` is taken as its domicile. Header names are matched case-insensitively; unknown columns
//! and keys are ignored.
//!
//! Every non-blank row becomes a [`CustomerRow`]: either a [`Customer`] ready to screen or a [`Reject`]
//! with the line number and the reason. Only an unreadable file (an I/O error) stops the read.

use crate::records::{named_twice, Pairs};
use crate::screen::Query;
use crate::{Error, PartialDate, Result};
use serde::Serialize;
use std::collections::BTreeSet;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// The format of a customer file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CustomerFormat {
    /// CSV with a header row.
    Csv,
    /// One JSON object per line.
    Jsonl,
}

impl CustomerFormat {
    /// Detects the format from the extension (`.csv`, `.jsonl`, `.ndjson`, `.json`), else from the first
    /// non-blank byte (`{` means JSON lines).
    pub fn detect(path: &Path) -> Result<CustomerFormat> {
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
        match ext.as_str() {
            "csv" | "tsv" => return Ok(CustomerFormat::Csv),
            "jsonl" | "ndjson" | "json" => return Ok(CustomerFormat::Jsonl),
            _ => {}
        }
        let mut head = Vec::new();
        File::open(path).and_then(|f| f.take(4096).read_to_end(&mut head)).map_err(|e| Error::io(path, e))?;
        let first = head.iter().copied().find(|b| !b.is_ascii_whitespace() && *b != 0xEF && *b != 0xBB && *b != 0xBF);
        Ok(if first == Some(b'{') { CustomerFormat::Jsonl } else { CustomerFormat::Csv })
    }
}

/// The UTF-8 byte order mark.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// A customer ready to screen.
#[derive(Debug, Clone, PartialEq)]
pub struct Customer {
    /// The bank's customer id.
    pub customer_id: String,
    /// Line of the input file where the row starts (1-based).
    pub line: u64,
    /// The screening query built from the row.
    pub query: Query,
}

/// A malformed customer row, written to the reject file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reject {
    /// Line of the input file where the row starts (1-based).
    pub line: u64,
    /// The customer id, when the row had one.
    pub customer_id: Option<String>,
    /// What is wrong.
    pub reason: String,
    /// The row as read (CSV fields joined with commas, or the JSON line), cut at 2,000 characters.
    pub record: String,
}

/// One non-blank row of a customer file.
#[allow(clippy::large_enum_variant)] // rows are moved once, into a chunk
#[derive(Debug, Clone, PartialEq)]
pub enum CustomerRow {
    /// A well-formed customer.
    Customer(Customer),
    /// A malformed row.
    Reject(Reject),
}

/// The recognised fields of one row, before validation.
#[derive(Debug, Default)]
struct Fields {
    customer_id: Option<String>,
    name: Option<String>,
    given_name: Option<String>,
    middle_name: Option<String>,
    surname: Option<String>,
    business_name: Option<String>,
    date_of_birth: Option<String>,
    date_of_registration: Option<String>,
    nationality: Option<String>,
    business_domicile: Option<String>,
    kind: Option<String>,
    gender: Option<String>,
}

impl Fields {
    fn slot(&mut self, key: &str) -> Option<&mut Option<String>> {
        let slot = match key.trim().to_ascii_lowercase().as_str() {
            "customer_id" => &mut self.customer_id,
            "name" => &mut self.name,
            "given_name" => &mut self.given_name,
            "middle_name" => &mut self.middle_name,
            "surname" => &mut self.surname,
            "business_name" => &mut self.business_name,
            "date_of_birth" => &mut self.date_of_birth,
            "date_of_registration" => &mut self.date_of_registration,
            "nationality" => &mut self.nationality,
            "business_domicile" => &mut self.business_domicile,
            "kind" => &mut self.kind,
            "gender" => &mut self.gender,
            _ => return None,
        };
        Some(slot)
    }
}

/// Column index of each recognised CSV header field (same order as [`Fields::slot`] names).
const FIELD_NAMES: [&str; 12] = [
    "customer_id",
    "name",
    "given_name",
    "middle_name",
    "surname",
    "business_name",
    "date_of_birth",
    "date_of_registration",
    "nationality",
    "business_domicile",
    "kind",
    "gender",
];

/// A `Read` that counts the bytes it has handed out (for progress).
struct Counting<R> {
    inner: R,
    count: Arc<AtomicU64>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

enum Source {
    Csv { reader: csv::Reader<Counting<File>>, columns: Vec<Option<usize>>, width: usize, record: csv::ByteRecord },
    Jsonl { reader: BufReader<Counting<File>>, line: u64, buf: Vec<u8> },
}

/// A streaming reader of customer rows.
///
/// ```no_run
/// use saring::rescreen::customers::{CustomerReader, CustomerRow};
/// let mut reader = CustomerReader::open(std::path::Path::new("customers.csv")).unwrap();
/// while let Some(row) = reader.next_row().unwrap() {
///     match row {
///         CustomerRow::Customer(c) => println!("{} {:?}", c.customer_id, c.query.name),
///         CustomerRow::Reject(r) => eprintln!("line {}: {}", r.line, r.reason),
///     }
/// }
/// ```
pub struct CustomerReader {
    path: PathBuf,
    format: CustomerFormat,
    source: Source,
    bytes: Arc<AtomicU64>,
    /// Columns (CSV) or keys (JSON lines, as met) that are not customer fields.
    unread: BTreeSet<String>,
}

/// The most distinct unread keys of JSON lines remembered ([`CustomerReader::unread_fields`]).
const MAX_UNREAD: usize = 32;

impl CustomerReader {
    /// Opens a customer file, detecting its format.
    pub fn open(path: &Path) -> Result<CustomerReader> {
        let format = CustomerFormat::detect(path)?;
        CustomerReader::open_as(path, format)
    }

    /// Opens a customer file in a given format (reads the CSV header).
    pub fn open_as(path: &Path, format: CustomerFormat) -> Result<CustomerReader> {
        let file = File::open(path).map_err(|e| Error::io(path, e))?;
        let bytes = Arc::new(AtomicU64::new(0));
        let counting = Counting { inner: file, count: bytes.clone() };
        let mut unread = BTreeSet::new();
        let source = match format {
            CustomerFormat::Csv => {
                let delimiter =
                    if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("tsv")) { b'\t' } else { b',' };
                let mut reader = csv::ReaderBuilder::new()
                    .has_headers(false)
                    .flexible(true)
                    .delimiter(delimiter)
                    .buffer_capacity(256 * 1024)
                    .from_reader(counting);
                let mut header = csv::ByteRecord::new();
                let has_header = reader.read_byte_record(&mut header).map_err(|e| csv_error(path, e))?;
                if !has_header {
                    return Err(Error::ListParse {
                        file: path.to_path_buf(),
                        line: 1,
                        reason: "empty file: no header".into(),
                    });
                }
                let names: Vec<String> = header
                    .iter()
                    .map(|raw| String::from_utf8_lossy(raw).trim_start_matches('\u{feff}').trim().to_ascii_lowercase())
                    .collect();
                // Two columns of one field would leave one of them unread (unknown columns are not read).
                let known = names.iter().map(String::as_str).enumerate().filter(|(_, n)| FIELD_NAMES.contains(n));
                if let Some((name, first, again)) = named_twice(known) {
                    return Err(Error::ListParse {
                        file: path.to_path_buf(),
                        line: 1,
                        reason: format!("the header names {name} twice (columns {} and {})", first + 1, again + 1),
                    });
                }
                let mut columns = vec![None; FIELD_NAMES.len()];
                for (i, name) in names.iter().enumerate() {
                    match FIELD_NAMES.iter().position(|f| f == name) {
                        Some(k) => columns[k] = Some(i),
                        None => {
                            unread.insert(name.clone());
                        }
                    }
                }
                if columns[0].is_none() {
                    return Err(Error::ListParse {
                        file: path.to_path_buf(),
                        line: 1,
                        reason: "the header has no customer_id column".into(),
                    });
                }
                Source::Csv { reader, columns, width: header.len(), record: csv::ByteRecord::new() }
            }
            CustomerFormat::Jsonl => {
                Source::Jsonl { reader: BufReader::with_capacity(256 * 1024, counting), line: 0, buf: Vec::new() }
            }
        };
        Ok(CustomerReader { path: path.to_path_buf(), format, source, bytes, unread })
    }

    /// The detected format.
    pub fn format(&self) -> CustomerFormat {
        self.format
    }

    /// The columns of a CSV header, or the keys of the JSON lines read so far (at most 32 of them),
    /// that are not customer fields and so are not read: a file's own data (`account_no`), or a
    /// misspelt field (`nationalty`), which weighs nothing.
    pub fn unread_fields(&self) -> Vec<String> {
        self.unread.iter().cloned().collect()
    }

    /// Bytes of the file read so far (for progress; read-ahead makes it run slightly ahead of the rows).
    pub fn bytes_read(&self) -> u64 {
        self.bytes.load(Ordering::Relaxed)
    }

    /// Reads the next non-blank row; `Ok(None)` at the end of the file.
    pub fn next_row(&mut self) -> Result<Option<CustomerRow>> {
        match self.next_fields(true)? {
            None => Ok(None),
            Some((line, Err(reject))) => Ok(Some(CustomerRow::Reject(Reject { line, ..reject }))),
            Some((line, Ok((fields, record)))) => Ok(Some(match build_customer(fields, line) {
                Ok(c) => CustomerRow::Customer(c),
                Err(mut r) => {
                    r.record = record;
                    CustomerRow::Reject(r)
                }
            })),
        }
    }

    /// Skips `n` rows without validating them (resuming a run); returns how many were skipped.
    pub fn skip_rows(&mut self, n: u64) -> Result<u64> {
        let mut skipped = 0;
        while skipped < n {
            if self.next_fields(false)?.is_none() {
                break;
            }
            skipped += 1;
        }
        Ok(skipped)
    }

    /// Reads one row's recognised fields; `parse` false only finds the row boundary.
    #[allow(clippy::type_complexity)]
    fn next_fields(&mut self, parse: bool) -> Result<Option<(u64, std::result::Result<(Fields, String), Reject>)>> {
        match &mut self.source {
            Source::Csv { reader, columns, width, record } => {
                if !reader.read_byte_record(record).map_err(|e| csv_error(&self.path, e))? {
                    return Ok(None);
                }
                let line = record.position().map(|p| p.line()).unwrap_or(0);
                if !parse {
                    return Ok(Some((line, Err(empty_reject(line)))));
                }
                let raw = cut(&record.iter().map(|f| String::from_utf8_lossy(f)).collect::<Vec<_>>().join(","));
                if record.len() < *width {
                    let reason = format!("{} fields where the header has {}", record.len(), *width);
                    return Ok(Some((line, Err(Reject { line, customer_id: None, reason, record: raw }))));
                }
                if record.iter().skip(*width).any(|f| !f.iter().all(|b| b.is_ascii_whitespace())) {
                    let reason = format!("{} fields where the header has {}", record.len(), *width);
                    return Ok(Some((line, Err(Reject { line, customer_id: None, reason, record: raw }))));
                }
                let mut fields = Fields::default();
                for (k, col) in columns.iter().enumerate() {
                    let Some(col) = col else { continue };
                    let Some(bytes) = record.get(*col) else { continue };
                    let value = match std::str::from_utf8(bytes) {
                        Ok(s) => s,
                        Err(_) => {
                            let reason = format!("column {} is not valid UTF-8", FIELD_NAMES[k]);
                            return Ok(Some((line, Err(Reject { line, customer_id: None, reason, record: raw }))));
                        }
                    };
                    if let Some(slot) = fields.slot(FIELD_NAMES[k]) {
                        *slot = non_empty(value);
                    }
                }
                Ok(Some((line, Ok((fields, raw)))))
            }
            Source::Jsonl { reader, line, buf } => loop {
                buf.clear();
                let n = reader.read_until(b'\n', buf).map_err(|e| Error::io(&self.path, e))?;
                if n == 0 {
                    return Ok(None);
                }
                *line += 1;
                let line = *line;
                // A byte order mark before the first line is not part of the record.
                if line == 1 && buf.starts_with(BOM) {
                    buf.drain(..BOM.len());
                }
                if buf.iter().all(|b| b.is_ascii_whitespace()) {
                    continue;
                }
                if !parse {
                    return Ok(Some((line, Err(empty_reject(line)))));
                }
                let raw = cut(String::from_utf8_lossy(buf).trim_end());
                let reject = |customer_id: Option<String>, reason: String| {
                    Ok(Some((line, Err(Reject { line, customer_id, reason, record: raw.clone() }))))
                };
                let Pairs(pairs) = match serde_json::from_slice(buf) {
                    Ok(pairs) => pairs,
                    Err(e) if e.classify() == serde_json::error::Category::Data => {
                        return reject(None, "not a JSON object".into())
                    }
                    Err(e) => return reject(None, format!("not valid JSON: {e}")),
                };
                let customer_id = pairs.iter().find(|(k, _)| k == "customer_id").and_then(|(_, v)| scalar_string(v));
                // A field given twice (`name`, or `name` and `Name`) would leave one of them unread.
                let known = pairs
                    .iter()
                    .map(|(k, _)| k.as_str())
                    .enumerate()
                    .filter(|(_, k)| FIELD_NAMES.iter().any(|f| f.eq_ignore_ascii_case(k.trim())));
                if let Some((field, _, _)) = named_twice(known) {
                    return reject(customer_id, format!("field {field} given twice"));
                }
                let mut fields = Fields::default();
                for (key, value) in &pairs {
                    let Some(slot) = fields.slot(key) else {
                        // Rows repeat their keys: a key already named is not copied again.
                        if self.unread.len() < MAX_UNREAD && !self.unread.contains(key.trim()) {
                            self.unread.insert(key.trim().to_string());
                        }
                        continue;
                    };
                    *slot = match value {
                        serde_json::Value::Null => None,
                        serde_json::Value::String(s) => non_empty(s),
                        serde_json::Value::Number(n) if key == "customer_id" => Some(n.to_string()),
                        _ => return reject(customer_id, format!("field {key} must be a string")),
                    };
                }
                return Ok(Some((line, Ok((fields, raw)))));
            },
        }
    }
}

fn empty_reject(line: u64) -> Reject {
    Reject { line, customer_id: None, reason: String::new(), record: String::new() }
}

fn csv_error(path: &Path, e: csv::Error) -> Error {
    let line = e.position().map(|p| p.line()).unwrap_or(0);
    match e.into_kind() {
        csv::ErrorKind::Io(io) => Error::io(path, io),
        other => Error::ListParse { file: path.to_path_buf(), line, reason: format!("{other:?}") },
    }
}

fn scalar_string(v: &serde_json::Value) -> Option<String> {
    match v {
        serde_json::Value::String(s) => non_empty(s),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn non_empty(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_string())
}

fn cut(s: &str) -> String {
    match s.char_indices().nth(2000) {
        Some((i, _)) => s[..i].to_string(),
        None => s.to_string(),
    }
}

/// Whether a row is a person, an organisation, or not stated.
#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Person,
    Entity,
    Unstated,
}

fn parse_kind(s: &str) -> Option<Kind> {
    match s.trim().to_ascii_lowercase().as_str() {
        "individual" | "person" | "i" | "p" | "natural_person" => Some(Kind::Person),
        "entity" | "organisation" | "organization" | "business" | "company" | "corporate" | "e" | "o" | "c" => {
            Some(Kind::Entity)
        }
        "" | "unknown" => Some(Kind::Unstated),
        _ => None,
    }
}

/// Validates the fields of one row into a customer (the reject's `record` is filled by the caller).
fn build_customer(f: Fields, line: u64) -> std::result::Result<Customer, Reject> {
    let reject = |customer_id: &Option<String>, reason: String| Reject {
        line,
        customer_id: customer_id.clone(),
        reason,
        record: String::new(),
    };
    let Some(customer_id) = f.customer_id.clone() else {
        return Err(reject(&None, "missing customer_id".into()));
    };
    let id = &f.customer_id;
    let kind = match &f.kind {
        None => Kind::Unstated,
        Some(k) => parse_kind(k).ok_or_else(|| {
            reject(id, format!("unknown kind {k:?}: expected individual/person or entity/business/organisation"))
        })?,
    };
    let has_parts = f.given_name.is_some() || f.middle_name.is_some() || f.surname.is_some();
    let mut query = Query::default();
    let person = |q: &mut Query| -> std::result::Result<(), Reject> {
        if f.given_name.is_none() {
            return Err(reject(
                id,
                "given_name is required with middle_name or surname (or use the name column)".into(),
            ));
        }
        q.given_name = f.given_name.clone();
        q.middle_name = f.middle_name.clone();
        q.surname = f.surname.clone();
        Ok(())
    };
    match kind {
        Kind::Person if has_parts => person(&mut query)?,
        Kind::Person if f.name.is_some() => query.name = f.name.clone(),
        Kind::Entity if f.business_name.is_some() => query.business_name = f.business_name.clone(),
        Kind::Entity if f.name.is_some() => query.business_name = f.name.clone(),
        Kind::Unstated if has_parts => person(&mut query)?,
        Kind::Unstated if f.business_name.is_some() => query.business_name = f.business_name.clone(),
        Kind::Unstated if f.name.is_some() => query.name = f.name.clone(),
        _ => {
            let reason = match kind {
                Kind::Person => "no name: give name or given_name/middle_name/surname",
                Kind::Entity => "no name: give business_name or name",
                Kind::Unstated => "no name: give name, given_name/middle_name/surname or business_name",
            };
            return Err(reject(id, reason.into()));
        }
    }
    for (field, value, slot) in [
        ("date_of_birth", &f.date_of_birth, &mut query.date_of_birth),
        ("date_of_registration", &f.date_of_registration, &mut query.date_of_registration),
    ] {
        if let Some(v) = value {
            let date: PartialDate = v
                .parse()
                .map_err(|_| reject(id, format!("bad {field} {v:?}: expected YYYY, YYYY-MM or YYYY-MM-DD")))?;
            *slot = Some(date.to_string());
        }
    }
    for (field, value, slot) in [
        ("nationality", &f.nationality, &mut query.nationality),
        ("business_domicile", &f.business_domicile, &mut query.business_domicile),
    ] {
        if let Some(v) = value {
            let code = country_code(v)
                .ok_or_else(|| reject(id, format!("bad {field} {v:?}: expected an ISO 3166-1 alpha-2 code")))?;
            *slot = Some(code.to_string());
        }
    }
    // An organisation's country is its domicile, whichever column the bank put it in.
    if query.business_name.is_some() && query.business_domicile.is_none() {
        query.business_domicile = query.nationality.take();
    }
    if let Some(g) = &f.gender {
        query.gender = Some(
            match g.trim().to_ascii_lowercase().as_str() {
                "male" | "m" | "man" | "l" | "laki-laki" => "male",
                "female" | "f" | "woman" | "p" | "perempuan" | "w" | "wanita" => "female",
                _ => return Err(reject(id, format!("bad gender {g:?}: expected male or female"))),
            }
            .to_string(),
        );
    }
    Ok(Customer { customer_id, line, query })
}

/// The ISO alpha-2 code for a customer's country field: a code (any case) or a name the country table knows.
fn country_code(value: &str) -> Option<String> {
    let v = value.trim();
    if v.len() == 2 && v.bytes().all(|b| b.is_ascii_alphabetic()) {
        let up = v.to_ascii_uppercase();
        if crate::lists::country::is_alpha2(&up) {
            return Some(up);
        }
        return None;
    }
    crate::lists::country::to_iso(v).map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn write(ext: &str, text: &str) -> tempfile::NamedTempFile {
        let mut f = tempfile::Builder::new().suffix(ext).tempfile().unwrap();
        f.write_all(text.as_bytes()).unwrap();
        f
    }

    fn rows(path: &Path) -> Vec<CustomerRow> {
        let mut r = CustomerReader::open(path).unwrap();
        let mut out = Vec::new();
        while let Some(row) = r.next_row().unwrap() {
            out.push(row);
        }
        out
    }

    fn customer(row: &CustomerRow) -> &Customer {
        match row {
            CustomerRow::Customer(c) => c,
            CustomerRow::Reject(r) => panic!("unexpected reject {r:?}"),
        }
    }

    fn reject(row: &CustomerRow) -> &Reject {
        match row {
            CustomerRow::Reject(r) => r,
            CustomerRow::Customer(c) => panic!("unexpected customer {c:?}"),
        }
    }

    #[test]
    fn csv_rows_become_queries_and_rejects() {
        let f = write(
            ".csv",
            "\u{feff}Customer_ID,given_name,middle_name,surname,business_name,name,date_of_birth,nationality,extra,kind\n\
             C1,Budi,,Santoso,,,1980-05-17,id,x,\n\
             C2,,,,PT Maju Jaya,,,Indonesia,,\n\
             ,Siti,,Aminah,,,,,,\n\
             C4,,,,,,,,,\n\
             C5,Ali,,,,,1980-13-01,,,\n\
             C6,Ali,,,,,,XX,,\n\
             C7,,,,,\"Osama, bin\",1957,,,individual\n\
             C8,,,Wijaya,,,,,,\n\
             C9,,,,,Acme,,Atlantis,,entity\n\
             C10,Ali\n\
             C11,,,,,Zed,,,,alien\n",
        );
        let rows = rows(f.path());
        assert_eq!(rows.len(), 11);
        let c1 = customer(&rows[0]);
        assert_eq!(c1.customer_id, "C1");
        assert_eq!(c1.line, 2);
        assert_eq!(c1.query.given_name.as_deref(), Some("Budi"));
        assert_eq!(c1.query.surname.as_deref(), Some("Santoso"));
        assert_eq!(c1.query.middle_name, None);
        assert_eq!(c1.query.date_of_birth.as_deref(), Some("1980-05-17"));
        assert_eq!(c1.query.nationality.as_deref(), Some("ID"));
        let c2 = customer(&rows[1]);
        assert_eq!(c2.query.business_name.as_deref(), Some("PT Maju Jaya"));
        assert_eq!(c2.query.given_name, None);
        assert_eq!((c2.query.business_domicile.as_deref(), c2.query.nationality.as_deref()), (Some("ID"), None));
        let r3 = reject(&rows[2]);
        assert_eq!((r3.line, r3.reason.as_str()), (4, "missing customer_id"));
        assert!(r3.record.contains("Siti"));
        assert!(reject(&rows[3]).reason.starts_with("no name"));
        assert_eq!(reject(&rows[3]).customer_id.as_deref(), Some("C4"));
        assert!(reject(&rows[4]).reason.starts_with("bad date_of_birth \"1980-13-01\""));
        assert!(reject(&rows[5]).reason.starts_with("bad nationality \"XX\""));
        let c7 = customer(&rows[6]);
        assert_eq!(c7.query.name.as_deref(), Some("Osama, bin"));
        assert_eq!(c7.query.date_of_birth.as_deref(), Some("1957"));
        assert!(reject(&rows[7]).reason.starts_with("given_name is required"));
        assert!(reject(&rows[8]).reason.starts_with("bad nationality"));
        assert_eq!(reject(&rows[9]).reason, "2 fields where the header has 10");
        assert_eq!(reject(&rows[9]).line, 11);
        assert!(reject(&rows[10]).reason.starts_with("unknown kind"));
    }

    #[test]
    fn jsonl_rows_become_queries_and_rejects() {
        let f = write(
            ".jsonl",
            "{\"customer_id\": 17, \"name\": \"Kim Kyong Ok\", \"nationality\": \"KP\", \"unknown\": [1]}\n\
             \n\
             {\"customer_id\": \"B1\", \"business_name\": \"Yuk Tung Energy\", \"business_domicile\": \"sg\"}\n\
             not json\n\
             [1, 2]\n\
             {\"customer_id\": \"X\", \"name\": 42}\n\
             {\"customer_id\": \"Y\", \"name\": \"A\", \"kind\": \"entity\"}\n\
             {\"customer_id\": \"G1\", \"given_name\": \"Ani\", \"gender\": \"P\"}\n\
             {\"customer_id\": \"G2\", \"given_name\": \"Ani\", \"gender\": \"x\"}\n\
             {\"customer_id\": \"D1\", \"name\": \"Kim\", \"name\": \"Jong\"}\n\
             {\"customer_id\": \"D2\", \"name\": \"Kim\", \" Name\": null, \"note\": 1, \"Note\": 2}\n",
        );
        let rows = rows(f.path());
        assert_eq!(rows.len(), 10);
        // A field given twice, whatever its case, is a reject: one of them would go unread. Unknown
        // fields are not looked at.
        assert_eq!(reject(&rows[8]).reason, "field name given twice");
        assert_eq!(reject(&rows[8]).customer_id.as_deref(), Some("D1"));
        assert_eq!(reject(&rows[9]).reason, "field name given twice");
        assert_eq!(customer(&rows[6]).query.gender.as_deref(), Some("female"));
        assert_eq!(reject(&rows[7]).reason, "bad gender \"x\": expected male or female");
        let c = customer(&rows[0]);
        assert_eq!((c.customer_id.as_str(), c.line), ("17", 1));
        assert_eq!(c.query.name.as_deref(), Some("Kim Kyong Ok"));
        let b = customer(&rows[1]);
        assert_eq!(b.line, 3);
        assert_eq!(b.query.business_domicile.as_deref(), Some("SG"));
        assert_eq!(reject(&rows[2]).line, 4);
        assert!(reject(&rows[2]).reason.starts_with("not valid JSON"));
        assert_eq!(reject(&rows[2]).record, "not json");
        assert_eq!(reject(&rows[3]).reason, "not a JSON object");
        assert_eq!(reject(&rows[4]).reason, "field name must be a string");
        assert_eq!(reject(&rows[4]).customer_id.as_deref(), Some("X"));
        assert_eq!(customer(&rows[5]).query.business_name.as_deref(), Some("A"));
    }

    #[test]
    fn a_byte_order_mark_before_the_first_json_line_is_skipped() {
        let f =
            write(".jsonl", "\u{feff}{\"customer_id\":\"1\",\"name\":\"Ani\"}\r\n\u{feff}{\"customer_id\":\"2\"}\r\n");
        let rows = rows(f.path());
        assert_eq!(rows.len(), 2);
        let c = customer(&rows[0]);
        assert_eq!((c.customer_id.as_str(), c.line, c.query.name.as_deref()), ("1", 1, Some("Ani")));
        // Only the first line's: a mark further on is a malformed line.
        assert!(reject(&rows[1]).reason.starts_with("not valid JSON"), "{:?}", reject(&rows[1]));
    }

    #[test]
    fn skipping_counts_rows_not_lines() {
        let f =
            write(".jsonl", "{\"customer_id\":\"1\",\"name\":\"a\"}\n\n{bad\n{\"customer_id\":\"3\",\"name\":\"c\"}\n");
        let mut r = CustomerReader::open(f.path()).unwrap();
        assert_eq!(r.skip_rows(2).unwrap(), 2);
        let CustomerRow::Customer(c) = r.next_row().unwrap().unwrap() else { panic!() };
        assert_eq!((c.customer_id.as_str(), c.line), ("3", 4));
        assert_eq!(r.skip_rows(5).unwrap(), 0);
    }

    #[test]
    fn csv_without_customer_id_is_an_error() {
        let f = write(".csv", "id,name\n1,a\n");
        let err = CustomerReader::open(f.path()).err().unwrap().to_string();
        assert!(err.contains(":1: the header has no customer_id column"), "{err}");
        // Columns that are not customer fields are not read, and are named.
        let extra = write(".csv", "customer_id,name,Nationalty,account_no\n1,Kim,KP,77\n");
        assert_eq!(CustomerReader::open(extra.path()).unwrap().unread_fields(), ["account_no", "nationalty"]);
        let lines = write(
            ".jsonl",
            "{\"customer_id\": 1, \"name\": \"a\", \"nationalty\": \"KP\"}\n{\"customer_id\": 2, \"name\": \"b\"}\n",
        );
        let mut r = CustomerReader::open(lines.path()).unwrap();
        while r.next_row().unwrap().is_some() {}
        assert_eq!(r.unread_fields(), ["nationalty"]);
        // A field named twice (whatever the case and spaces) is an error, not a column left unread.
        let twice = write(".csv", "customer_id,name, Name \n1,Kim,Jong\n");
        let err = CustomerReader::open(twice.path()).err().unwrap().to_string();
        assert!(err.contains(":1: the header names name twice (columns 2 and 3)"), "{err}");
        let sniffed = write(".txt", "  {\"customer_id\":\"1\"}\n");
        assert_eq!(CustomerFormat::detect(sniffed.path()).unwrap(), CustomerFormat::Jsonl);
    }
}
