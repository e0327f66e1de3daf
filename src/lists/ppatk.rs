//! Indonesia PPATK DTTOT (Daftar Terduga Teroris dan Organisasi Teroris) reader: the published
//! spreadsheet (`.xlsx` since 2026, legacy `.xls` before) and its CSV export.
//!
//! Headers are Indonesian and drift between releases (`Nama`/`nama`, `Kode Densus`/`referensi`,
//! `Tanggal_Lahir`/`tgl lahir`/`tangal lahir`, `WN_Asal_Negara`/`WN`, ...): columns are found by name.
//! Cell values are free text: names carry aliases (`X alias Y alias Z`), dates mix Indonesian and English
//! (`4 Januari 1973 atau 4 November 1974`, `00/00/1954-1955`, `Perkiraan 1958`, `Antara tahun 1953 dan
//! 1958`, `24/06/1402 (kalender Hijriah)`, Excel serial numbers), countries are Indonesian
//! (`Republik Arab Suriah`, `Jerman; Maroko`), cells hold several addresses, and `-` means empty.
//!
//! Mapping: id `PPATK-<Kode Densus>` (or `PPATK-row-<n>` when the cell is empty); `Terduga` `Orang` →
//! individual, `Korporasi` → entity; Hijri dates are not converted: they are reported and kept in `raw`.
//! `raw` maps every header to the cell text.

use super::country;
use super::{ListEvent, ListFormat, ListInfo, ListReader, ListWarning};
use crate::model::{Address, DateValue, EntityName, NameQuality, NameType};
use crate::{Entity, EntityKind, Error, PartialDate, Publisher, Result};
use serde_json::{Map, Value};
use std::path::{Path, PathBuf};

/// Reads a DTTOT spreadsheet (`ListFormat::PpatkSheet`) or CSV export (`ListFormat::PpatkCsv`).
pub fn read(path: &Path, format: ListFormat) -> Result<ListReader> {
    let rows = match format {
        ListFormat::PpatkSheet => sheet_rows(path)?,
        _ => csv_rows(path)?,
    };
    let (header_idx, columns) = find_header(&rows).ok_or_else(|| Error::ListFormat {
        file: path.to_path_buf(),
        reason: "no DTTOT header row (a `Nama` column) in the first 10 rows".into(),
    })?;
    let info = ListInfo {
        path: path.to_path_buf(),
        format,
        publisher: Publisher::Ppatk,
        publication_date: date_from_file_name(path),
    };
    let data: Vec<(u64, Vec<String>)> = rows.into_iter().skip(header_idx + 1).collect();
    let events = PpatkEvents { rows: data.into_iter(), columns, path: path.to_path_buf(), pending: Vec::new() };
    Ok(ListReader::new(info, Box::new(events)))
}

/// Whether `path` (with `head`, its first bytes; empty for a directory) looks like this format.
pub(crate) fn sniff(path: &Path, head: &[u8]) -> Option<ListFormat> {
    let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
    match ext.as_deref() {
        Some("xlsx" | "xls" | "xlsm") => Some(ListFormat::PpatkSheet),
        Some("csv") => {
            let text = String::from_utf8_lossy(head);
            let first = text.trim_start_matches('\u{feff}').lines().take(10).find(|l| {
                let cells = split_header_line(l);
                cells.iter().any(|c| field_of(c) == Some(Field::Name))
            })?;
            let known = split_header_line(first).iter().filter_map(|c| field_of(c)).count();
            (known >= 3).then_some(ListFormat::PpatkCsv)
        }
        _ => None,
    }
}

fn split_header_line(line: &str) -> Vec<String> {
    let sep = if line.matches(';').count() > line.matches(',').count() { ';' } else { ',' };
    line.split(sep).map(|c| c.trim().trim_matches('"').to_string()).collect()
}

/// A DTTOT column, whatever the release calls it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Name,
    Code,
    Kind,
    Address,
    Description,
    BirthDate,
    BirthPlace,
    Nationality,
    Occupation,
    Title,
}

fn field_of(header: &str) -> Option<Field> {
    let h: String = header
        .to_lowercase()
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let f = match h.as_str() {
        "nama" | "nama lengkap" => Field::Name,
        "kode densus" | "referensi" | "kode" => Field::Code,
        "terduga" | "jenis" => Field::Kind,
        "alamat" => Field::Address,
        "deskripsi" | "informasi lain" | "informasi" | "keterangan" => Field::Description,
        "tanggal lahir" | "tgl lahir" | "tangal lahir" | "tanggal lahir tgl" => Field::BirthDate,
        "tempat lahir" | "tpt lahir" => Field::BirthPlace,
        "wn asal negara" | "wn" | "kewarganegaraan" | "warga negara" => Field::Nationality,
        "pekerjaan" => Field::Occupation,
        "gelar" => Field::Title,
        _ => return None,
    };
    Some(f)
}

/// The header row (within the first 10 rows) and each column's field.
/// Header names with the field each one is.
type Columns = Vec<(String, Option<Field>)>;

fn find_header(rows: &[(u64, Vec<String>)]) -> Option<(usize, Columns)> {
    rows.iter().take(10).enumerate().find_map(|(i, (_, cells))| {
        let cols: Vec<(String, Option<Field>)> = cells.iter().map(|c| (c.trim().to_string(), field_of(c))).collect();
        cols.iter().any(|(_, f)| *f == Some(Field::Name)).then_some((i, cols))
    })
}

/// `20251208091237.xls` → `2025-12-08`.
fn date_from_file_name(path: &Path) -> Option<String> {
    let stem = path.file_stem()?.to_str()?;
    let digits = stem.get(..8).filter(|d| d.bytes().all(|b| b.is_ascii_digit()))?;
    let iso = format!("{}-{}-{}", digits.get(..4)?, digits.get(4..6)?, digits.get(6..8)?);
    iso.parse::<PartialDate>().ok().filter(|d| d.d > 0 && d.y >= 2000).map(|_| iso)
}

fn csv_rows(path: &Path) -> Result<Vec<(u64, Vec<String>)>> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    let text = super::uk_csv::decode(&bytes);
    let first = text.lines().next().unwrap_or("");
    let sep = if first.matches(';').count() > first.matches(',').count() { b';' } else { b',' };
    let mut rdr =
        csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(sep).from_reader(text.as_bytes());
    let mut rows = Vec::new();
    let mut record = csv::StringRecord::new();
    let mut lines = super::uk_csv::LineCounter::new(&text);
    loop {
        let line = lines.line_at(rdr.position().byte());
        match rdr.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => rows.push((line, record.iter().map(str::to_string).collect())),
            Err(e) => {
                // A broken quote swallows the rest of the file; report it as one bad row.
                rows.push((line, vec![format!("\u{0}bad CSV row: {e}")]));
            }
        }
    }
    Ok(rows)
}

fn sheet_rows(path: &Path) -> Result<Vec<(u64, Vec<String>)>> {
    use calamine::{open_workbook_auto, Data, Reader};
    let not_sheet = |e: &dyn std::fmt::Display| Error::ListFormat {
        file: path.to_path_buf(),
        reason: format!("not a readable DTTOT spreadsheet: {e}"),
    };
    let mut book = open_workbook_auto(path).map_err(|e| not_sheet(&e))?;
    let names = book.sheet_names();
    let sheet = names
        .iter()
        .find(|n| n.eq_ignore_ascii_case("Export"))
        .or_else(|| names.first())
        .cloned()
        .ok_or_else(|| not_sheet(&"the workbook has no sheet"))?;
    let range = book.worksheet_range(&sheet).map_err(|e| not_sheet(&e))?;
    let first_row = range.start().map(|(r, _)| r as u64).unwrap_or(0);
    let mut rows = Vec::new();
    for (i, row) in range.rows().enumerate() {
        let cells = row
            .iter()
            .map(|c| match c {
                Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
                Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
                Data::Float(f) => f.to_string(),
                Data::Int(n) => n.to_string(),
                Data::Bool(b) => b.to_string(),
                Data::DateTime(dt) => serial_to_date(dt.as_f64()).map(|d| format_dmy(&d)).unwrap_or_default(),
                Data::Error(_) | Data::Empty => String::new(),
            })
            .collect();
        rows.push((first_row + i as u64 + 1, cells));
    }
    Ok(rows)
}

fn format_dmy(d: &PartialDate) -> String {
    format!("{:02}/{:02}/{:04}", d.d, d.m, d.y)
}

/// An Excel serial day number (1900 date system) as a date.
fn serial_to_date(serial: f64) -> Option<PartialDate> {
    if !(1.0..2_958_466.0).contains(&serial) {
        return None;
    }
    let mut days = serial.floor() as i64;
    if days == 60 {
        return None; // 1900-02-29, which does not exist (a Lotus 1-2-3 compatibility bug).
    }
    if days > 60 {
        days -= 1;
    }
    // Days since 1899-12-31 → days since 1970-01-01.
    let (y, m, d) = crate::model::civil_from_days(days - 25_568);
    PartialDate::new(u16::try_from(y).ok()?, m as u8, d as u8).ok()
}

struct PpatkEvents {
    rows: std::vec::IntoIter<(u64, Vec<String>)>,
    columns: Columns,
    path: PathBuf,
    pending: Vec<ListEvent>,
}

impl Iterator for PpatkEvents {
    type Item = Result<ListEvent>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if !self.pending.is_empty() {
                return Some(Ok(self.pending.remove(0)));
            }
            let (line, cells) = self.rows.next()?;
            if cells.iter().all(|c| is_empty(c)) {
                continue;
            }
            if let Some(reason) = cells.first().and_then(|c| c.strip_prefix('\u{0}')) {
                self.pending.push(warning(&self.path, line, reason.to_string()));
                continue;
            }
            convert(&cells, &self.columns, &self.path, line, &mut self.pending);
        }
    }
}

fn warning(path: &Path, line: u64, reason: String) -> ListEvent {
    ListEvent::Warning(ListWarning { file: path.to_path_buf(), line, reason })
}

/// Blank, `-`, `N/A`.
fn is_empty(cell: &str) -> bool {
    let t = cell.trim();
    t.is_empty() || t == "-" || t == "--" || t.eq_ignore_ascii_case("n/a")
}

fn convert(cells: &[String], columns: &[(String, Option<Field>)], path: &Path, line: u64, out: &mut Vec<ListEvent>) {
    let get = |f: Field| -> Option<&str> {
        columns
            .iter()
            .zip(cells)
            .find(|((_, field), cell)| *field == Some(f) && !is_empty(cell))
            .map(|(_, cell)| cell.trim())
    };
    let mut raw = Map::new();
    for (i, cell) in cells.iter().enumerate() {
        let key = match columns.get(i) {
            Some((h, _)) if !h.is_empty() => h.clone(),
            _ => format!("column {}", i + 1),
        };
        raw.insert(key, Value::String(cell.clone()));
    }
    let mut problems: Vec<String> = Vec::new();
    let mut e = Entity { publisher: Some(Publisher::Ppatk), list: "DTTOT".into(), ..Default::default() };
    e.id = match get(Field::Code) {
        Some(code) => format!("PPATK-{code}"),
        None => format!("PPATK-row-{line}"),
    };
    let Some(name_cell) = get(Field::Name) else {
        out.push(warning(path, line, format!("{}: row without a name (Nama); skipped", e.id)));
        return;
    };
    for (i, n) in split_aliases(name_cell).into_iter().enumerate() {
        if e.names.iter().any(|x| x.full == n) {
            continue;
        }
        let ty = if i == 0 { NameType::Primary } else { NameType::Aka };
        e.names.push(EntityName::new(n, ty, NameQuality::Strong));
    }
    if e.names.is_empty() {
        out.push(warning(path, line, format!("{}: name cell {name_cell:?} holds no name; skipped", e.id)));
        return;
    }
    e.kind = match get(Field::Kind).map(|k| k.to_lowercase()) {
        None => EntityKind::Unknown,
        Some(k) if k.starts_with("orang") || k.contains("individu") || k.contains("perorangan") => {
            EntityKind::Individual
        }
        Some(k) if k.starts_with("korporasi") || k.contains("organisasi") || k.contains("kelompok") => {
            EntityKind::Entity
        }
        Some(k) => {
            problems.push(format!("unknown Terduga value {k:?}"));
            EntityKind::Unknown
        }
    };
    if let Some(cell) = get(Field::BirthDate) {
        let parsed = parse_dates(cell);
        e.dates_of_birth = parsed.dates;
        problems.extend(parsed.problems);
    }
    if let Some(cell) = get(Field::BirthPlace) {
        for p in split_list(cell, &[" atau ", ";", "\n"]) {
            if !e.places_of_birth.contains(&p) {
                e.places_of_birth.push(p);
            }
        }
    }
    if let Some(cell) = get(Field::Nationality) {
        let found = country::split_countries(cell);
        if found.is_empty() {
            problems.push(format!("nationality {cell:?} is not a known country"));
        }
        e.nationalities = found.into_iter().map(str::to_string).collect();
    }
    if let Some(cell) = get(Field::Address) {
        for text in split_addresses(cell) {
            e.addresses.push(Address { text: Some(text), ..Default::default() });
        }
    }
    if let Some(d) = get(Field::Description) {
        e.remarks.push(d.to_string());
    }
    e.raw = Value::Object(raw);
    let id = e.id.clone();
    out.push(ListEvent::Entity(Box::new(e)));
    for p in problems {
        out.push(warning(path, line, format!("{id}: {p}; kept in raw")));
    }
}

/// `X alias Y alias Z` (any case; also `als.`) → `[X, Y, Z]`.
pub(crate) fn split_aliases(cell: &str) -> Vec<String> {
    let lower = cell.to_lowercase();
    // Work on char boundaries shared by `cell` and `lower` only when lowercasing keeps lengths (ASCII-ish
    // names); otherwise fall back to splitting on the exact spellings.
    let mut parts = Vec::new();
    if lower.len() == cell.len() {
        let mut start = 0;
        let bytes = lower.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            let rest = lower.get(i..).unwrap_or("");
            let before_ok = i == 0 || bytes.get(i - 1).is_some_and(|b| !b.is_ascii_alphanumeric());
            let marker = ["alias", "als."].iter().find(|m| rest.starts_with(*m)).copied();
            if let (true, Some(m)) = (before_ok, marker) {
                let after = bytes.get(i + m.len());
                let after_ok = m.ends_with('.') || after.is_none_or(|b| !b.is_ascii_alphanumeric());
                if after_ok {
                    parts.push(cell.get(start..i).unwrap_or(""));
                    i += m.len();
                    start = i;
                    continue;
                }
            }
            i += 1;
        }
        parts.push(cell.get(start..).unwrap_or(""));
    } else {
        parts.extend(cell.split(" alias ").flat_map(|p| p.split(" ALIAS ")).flat_map(|p| p.split(" Alias ")));
    }
    parts
        .into_iter()
        .map(|p| p.trim().trim_matches(|c: char| c == ',' || c == ';' || c == ':' || c == '-').trim())
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|p| !p.is_empty())
        .collect()
}

fn split_list(cell: &str, seps: &[&str]) -> Vec<String> {
    let mut parts = vec![cell.to_string()];
    for sep in seps {
        parts = parts.iter().flat_map(|p| p.split(sep).map(str::to_string).collect::<Vec<_>>()).collect();
    }
    parts.into_iter().map(|p| p.trim().to_string()).filter(|p| !is_empty(p)).collect()
}

/// Several addresses in one cell: separated by newlines, `;`, `, - `, or `a)`, `b)` enumerations.
fn split_addresses(cell: &str) -> Vec<String> {
    let mut text = cell.replace("\r\n", "\n").replace(", - ", "\n").replace(';', "\n");
    // Enumerations "a) ... b) ..." at a line start or after a space.
    for letter in 'a'..='z' {
        text = text.replace(&format!(" {letter}) "), "\n");
        if text.starts_with(&format!("{letter}) ")) {
            text = text.replacen(&format!("{letter}) "), "", 1);
        }
    }
    text.lines()
        .map(|l| l.trim().trim_start_matches("- ").trim_start_matches('-').trim().trim_end_matches(',').trim())
        .map(|l| l.strip_prefix("a) ").unwrap_or(l).to_string())
        .filter(|l| !is_empty(l))
        .collect()
}

/// Dates read from one DTTOT date cell, and what could not be read.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct ParsedDates {
    pub dates: Vec<DateValue>,
    pub problems: Vec<String>,
}

const MONTHS: [(&str, u8); 31] = [
    ("januari", 1),
    ("january", 1),
    ("februari", 2),
    ("february", 2),
    ("pebruari", 2),
    ("maret", 3),
    ("march", 3),
    ("april", 4),
    ("mei", 5),
    ("may", 5),
    ("juni", 6),
    ("june", 6),
    ("juli", 7),
    ("july", 7),
    ("agustus", 8),
    ("august", 8),
    ("september", 9),
    ("oktober", 10),
    ("october", 10),
    ("november", 11),
    ("nopember", 11),
    ("desember", 12),
    ("december", 12),
    ("jan", 1),
    ("feb", 2),
    ("mar", 3),
    ("apr", 4),
    ("jun", 6),
    ("jul", 7),
    ("agu", 8),
    ("aug", 8),
];
const MONTHS_SHORT: [(&str, u8); 6] = [("sep", 9), ("okt", 10), ("oct", 10), ("nov", 11), ("des", 12), ("dec", 12)];

/// Words that may appear in a date cell around the dates.
const FILLER: [&str; 14] = [
    "atau",
    "dan",
    "tahun",
    "antara",
    "perkiraan",
    "sekira",
    "sekitar",
    "kira",
    "kalender",
    "hijriah",
    "hijriyah",
    "circa",
    "or",
    "and",
];

fn month_at(s: &str) -> Option<(u8, usize)> {
    MONTHS
        .iter()
        .chain(MONTHS_SHORT.iter())
        .filter(|(name, _)| s.starts_with(name))
        .max_by_key(|(name, _)| name.len())
        .map(|(name, m)| {
            // Swallow the rest of an abbreviated or dotted month ("Sept.", "Agt").
            let extra =
                s.get(name.len()..).unwrap_or("").chars().take_while(|c| c.is_alphabetic() || *c == '.').count();
            (*m, name.len() + extra)
        })
}

/// Parses a DTTOT date cell (see the module docs for the formats).
pub(crate) fn parse_dates(cell: &str) -> ParsedDates {
    let mut out = ParsedDates::default();
    let text = cell.trim().to_lowercase();
    if is_empty(&text) {
        return out;
    }
    // A bare Excel serial number.
    if text.len() == 5 && text.bytes().all(|b| b.is_ascii_digit()) {
        match text.parse::<f64>().ok().and_then(serial_to_date) {
            Some(d) => out.dates.push(DateValue::exact(d)),
            None => out.problems.push(format!("date {cell:?} is not a valid Excel serial number")),
        }
        return out;
    }
    let hijri = text.contains("hijri");
    let approximate =
        ["perkiraan", "sekira", "sekitar", "kira-kira", "circa", "approx", "±"].iter().any(|w| text.contains(w));
    let between = text.contains("antara");

    let chars: Vec<char> = text.chars().collect();
    let s: String = chars.iter().collect();
    let mut found: Vec<DateValue> = Vec::new();
    let mut leftovers: Vec<String> = Vec::new();
    let mut i = 0usize; // byte index into s
    let num_at = |pos: usize| -> (u32, usize) {
        let digits: String = s.get(pos..).unwrap_or("").chars().take_while(char::is_ascii_digit).take(5).collect();
        (digits.parse().unwrap_or(0), digits.len())
    };
    let skip_spaces =
        |pos: usize| -> usize { pos + s.get(pos..).unwrap_or("").chars().take_while(|c| *c == ' ').count() };
    let mut prev_full: Option<PartialDate> = None;
    while i < s.len() {
        let rest = s.get(i..).unwrap_or("");
        let Some(c) = rest.chars().next() else { break };
        if c.is_ascii_digit() {
            let (a, alen) = num_at(i);
            let after_a = i + alen;
            // dd/mm/yyyy (also '-' or '.'; stray spaces: "28 /10/1994").
            let sep1 = skip_spaces(after_a);
            let sep_ch = s.get(sep1..).and_then(|r| r.chars().next());
            if alen <= 2 && matches!(sep_ch, Some('/' | '.' | '-')) {
                let p2 = skip_spaces(sep1 + 1);
                let (b, blen) = num_at(p2);
                let sep2 = skip_spaces(p2 + blen);
                let sep2_ch = s.get(sep2..).and_then(|r| r.chars().next());
                if blen > 0 && blen <= 2 && sep2_ch == sep_ch {
                    let p3 = skip_spaces(sep2 + 1);
                    let (y, ylen) = num_at(p3);
                    if ylen == 4 {
                        let mut end = p3 + 4;
                        let (d, m) = if b == 0 { (0, 0) } else { (a, b) };
                        match make_date(y, m, d) {
                            Some(date) => {
                                let mut v = DateValue::exact(date);
                                // A year range after the date: 00/00/1954-1955.
                                if s.get(end..).is_some_and(|r| r.starts_with('-')) {
                                    let (y2, y2len) = num_at(end + 1);
                                    if y2len == 4 {
                                        if let Some(to) = make_date(y2, 0, 0) {
                                            v.to = Some(to);
                                            end += 5;
                                        }
                                    }
                                }
                                prev_full = Some(date);
                                found.push(v);
                            }
                            None => out.problems.push(format!("invalid date {:?}", s.get(i..end).unwrap_or(""))),
                        }
                        i = end;
                        continue;
                    }
                }
            }
            // yyyy-mm-dd (ISO, from spreadsheets).
            if alen == 4 && s.get(after_a..).is_some_and(|r| r.starts_with('-')) {
                let (m, mlen) = num_at(after_a + 1);
                if mlen == 2 && s.get(after_a + 3..).is_some_and(|r| r.starts_with('-')) {
                    let (d, dlen) = num_at(after_a + 4);
                    if dlen == 2 {
                        if let Some(date) = make_date(a, m, d) {
                            found.push(DateValue::exact(date));
                            i = after_a + 6;
                            continue;
                        }
                    }
                }
            }
            // d month yyyy ("4 Januari1973", "01 apr 1983").
            if alen <= 2 {
                let p2 = skip_spaces(after_a);
                if let Some((m, mlen)) = month_at(s.get(p2..).unwrap_or("")) {
                    let p3 = skip_spaces(p2 + mlen);
                    let (y, ylen) = num_at(p3);
                    if ylen == 4 {
                        match make_date(y, u32::from(m), a) {
                            Some(date) => {
                                prev_full = Some(date);
                                found.push(DateValue::exact(date));
                            }
                            None => out.problems.push(format!("invalid date {:?}", s.get(i..p3 + 4).unwrap_or(""))),
                        }
                        i = p3 + 4;
                        continue;
                    }
                }
            }
            // A bare year, maybe a range "1970-1973"; after a full date, "/1944" is an alternative year.
            if alen == 4 {
                let mut v = match make_date(a, 0, 0) {
                    Some(d) => DateValue::exact(d),
                    None => {
                        out.problems.push(format!("invalid year {a}"));
                        i = after_a;
                        continue;
                    }
                };
                let mut end = after_a;
                if s.get(after_a..).is_some_and(|r| r.starts_with('-')) {
                    let (y2, y2len) = num_at(after_a + 1);
                    if y2len == 4 {
                        v.to = make_date(y2, 0, 0);
                        end = after_a + 5;
                    }
                }
                let _ = prev_full.take();
                found.push(v);
                i = end;
                continue;
            }
            leftovers.push(s.get(i..after_a).unwrap_or("").to_string());
            i = after_a.max(i + 1);
            continue;
        }
        if c.is_alphabetic() {
            // month yyyy ("Maret 1980").
            if let Some((m, mlen)) = month_at(rest) {
                let word_len = rest.chars().take_while(|c| c.is_alphabetic()).map(char::len_utf8).sum::<usize>();
                if mlen >= word_len {
                    let p2 = skip_spaces(i + mlen);
                    let (y, ylen) = num_at(p2);
                    if ylen == 4 {
                        if let Some(date) = make_date(y, u32::from(m), 0) {
                            found.push(DateValue::exact(date));
                        }
                        i = p2 + 4;
                        continue;
                    }
                }
            }
            let word: String = rest.chars().take_while(|c| c.is_alphabetic()).collect();
            if !FILLER.contains(&word.as_str()) {
                leftovers.push(word.clone());
            }
            i += word.len().max(c.len_utf8());
            continue;
        }
        i += c.len_utf8();
    }

    if between && found.len() == 2 && found.iter().all(|d| d.m == 0 && d.to.is_none()) {
        let (a, b) = (found[0].date(), found[1].date());
        found = vec![DateValue { to: Some(b), ..DateValue::exact(a) }];
    }
    if hijri {
        let (hijri_dates, rest): (Vec<DateValue>, Vec<DateValue>) = found.into_iter().partition(|d| d.y < 1600);
        if !hijri_dates.is_empty() {
            out.problems.push(format!("Hijri date {cell:?} not converted"));
        }
        found = rest;
    }
    for mut d in found {
        d.approximate = approximate;
        if !out.dates.contains(&d) {
            out.dates.push(d);
        }
    }
    if !leftovers.is_empty() {
        out.problems.push(format!("date text {:?} partly not understood ({})", cell.trim(), leftovers.join(" ")));
    } else if out.dates.is_empty() && !hijri && out.problems.is_empty() {
        out.problems.push(format!("no date found in {:?}", cell.trim()));
    }
    out
}

fn make_date(y: u32, m: u32, d: u32) -> Option<PartialDate> {
    if !(1000..=2100).contains(&y) {
        return None;
    }
    let (m, d) = if m == 0 { (0, 0) } else { (m, d) };
    PartialDate::new(u16::try_from(y).ok()?, u8::try_from(m).ok()?, u8::try_from(d).ok()?).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(cell: &str) -> (Vec<String>, usize) {
        let p = parse_dates(cell);
        let dates = p
            .dates
            .iter()
            .map(|d| {
                let mut s = d.date().to_string();
                if let Some(to) = d.to {
                    s.push_str(&format!("..{to}"));
                }
                if d.approximate {
                    s.push('~');
                }
                s
            })
            .collect();
        (dates, p.problems.len())
    }

    #[test]
    fn dttot_dates() {
        let ok = |cell: &str, want: &[&str]| {
            let (got, problems) = show(cell);
            assert_eq!(got, want, "{cell}");
            assert_eq!(problems, 0, "{cell}: {:?}", parse_dates(cell).problems);
        };
        ok("01/04/1983", &["1983-04-01"]);
        ok("01 apr 1983", &["1983-04-01"]);
        ok("4 Januari1973/4 November 1974/4 November 1973", &["1973-01-04", "1974-11-04", "1973-11-04"]);
        ok("20/02/1973 20/02/1980", &["1973-02-20", "1980-02-20"]);
        ok("17/08/1943/1944", &["1943-08-17", "1944"]);
        ok("00/00/1954-1955", &["1954..1955"]);
        ok("00/00/1970-1973", &["1970..1973"]);
        ok("00/05/1960", &["1960-05"]);
        ok("12 Desember 1975 atau 12 Oktober 1976;", &["1975-12-12", "1976-10-12"]);
        ok("Antara tahun 1953 dan 1958", &["1953..1958"]);
        ok("Perkiraan 1958", &["1958~"]);
        ok("sekira 1958", &["1958~"]);
        ok("28 /10/1994", &["1994-10-28"]);
        ok("Maret 1980", &["1980-03"]);
        ok("1975 dan 1976", &["1975", "1976"]);
        ok("30582", &["1983-09-23"]);
        ok("1983-04-01", &["1983-04-01"]);
        ok("-", &[]);
        let (got, problems) = show("24/06/1402 (kalender Hijriah)");
        assert!(got.is_empty());
        assert_eq!(problems, 1);
        let (_, problems) = show("tidak diketahui");
        assert_eq!(problems, 1);
        let (_, problems) = show("31/02/1980");
        assert_eq!(problems, 1, "{:?}", parse_dates("31/02/1980"));
    }

    #[test]
    fn excel_serials() {
        assert_eq!(serial_to_date(1.0), Some(PartialDate { y: 1900, m: 1, d: 1 }));
        assert_eq!(serial_to_date(59.0), Some(PartialDate { y: 1900, m: 2, d: 28 }));
        assert_eq!(serial_to_date(61.0), Some(PartialDate { y: 1900, m: 3, d: 1 }));
        assert_eq!(serial_to_date(25569.0), Some(PartialDate { y: 1970, m: 1, d: 1 }));
        assert_eq!(serial_to_date(45658.0), Some(PartialDate { y: 2025, m: 1, d: 1 }));
        assert_eq!(serial_to_date(-3.0), None);
    }

    #[test]
    fn aliases_and_addresses() {
        assert_eq!(split_aliases("Budi Santoso alias Abu Hamzah ALIAS Budi"), ["Budi Santoso", "Abu Hamzah", "Budi"]);
        assert_eq!(split_aliases("Salim Alias  Abu Salim"), ["Salim", "Abu Salim"]);
        assert_eq!(split_aliases("Aliaskar Bey"), ["Aliaskar Bey"]);
        assert_eq!(
            split_addresses("a) Jl. Melati No. 5, Bekasi b) Jl. Kenanga 7, Solo"),
            ["Jl. Melati No. 5, Bekasi", "Jl. Kenanga 7, Solo"]
        );
        assert_eq!(split_addresses("Jl. A 1\n- Jl. B 2; Jl. C 3"), ["Jl. A 1", "Jl. B 2", "Jl. C 3"]);
        assert_eq!(date_from_file_name(Path::new("/x/20251208091237.xls")).as_deref(), Some("2025-12-08"));
        assert_eq!(date_from_file_name(Path::new("dttot.xlsx")), None);
    }

    #[test]
    fn headers_drift() {
        for h in ["Nama", "nama", "NAMA"] {
            assert_eq!(field_of(h), Some(Field::Name));
        }
        for h in ["Tanggal_Lahir", "tgl lahir", "tangal lahir"] {
            assert_eq!(field_of(h), Some(Field::BirthDate));
        }
        assert_eq!(field_of("WN_Asal_Negara"), Some(Field::Nationality));
        assert_eq!(field_of("Kode Densus"), Some(Field::Code));
        assert_eq!(field_of("informasi lain"), Some(Field::Description));
        assert_eq!(sniff(Path::new("d.csv"), b"Nama,Kode Densus,Terduga,Alamat\n"), Some(ListFormat::PpatkCsv));
        assert_eq!(sniff(Path::new("d.csv"), b"id,name\n"), None);
        assert_eq!(sniff(Path::new("d.xlsx"), b"PK"), Some(ListFormat::PpatkSheet));
    }
}
