//! List readers: every publisher's real format becomes the same [`Entity`] model.
//!
//! [`open`] detects the format of a file (or of an OFAC CSV set's directory) and returns a
//! [`ListReader`], a streaming iterator of [`ListEvent`]s: entities, and warnings for malformed records
//! (with file, line or record number and reason). A malformed record never stops the read and is never
//! dropped silently; a file that is not a list at all is an [`Error::ListFormat`](crate::Error::ListFormat).

pub mod country;
pub mod custom;
mod detect;
pub mod dowjones;
pub mod eu;
pub mod mas;
pub mod ofac_csv;
pub mod ofac_xml;
pub mod ppatk;
pub mod uk_csv;
pub mod uk_xml;
pub mod un;
mod xmltree;

pub use detect::{detect, discover};

use crate::{Entity, Publisher, Result};
use serde::Serialize;
use std::path::{Path, PathBuf};

/// A list file format saring reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ListFormat {
    /// OFAC legacy CSV set (`sdn.csv` + `alt.csv` + `add.csv` + `sdn_comments.csv`), or the
    /// consolidated `cons_*.csv` set; given as the directory or as the main CSV file.
    OfacCsv,
    /// OFAC `sdnList` XML (SDN or consolidated).
    OfacXml,
    /// UN Security Council consolidated XML.
    UnXml,
    /// EU Financial Sanctions Files XML v1.1.
    EuXml,
    /// UK OFSI consolidated list, legacy CSV.
    UkCsv,
    /// UK Sanctions List XML.
    UkXml,
    /// Singapore TSFA First Schedule text or HTML.
    MasText,
    /// PPATK DTTOT spreadsheet (`.xlsx` / `.xls`).
    PpatkSheet,
    /// PPATK DTTOT CSV export.
    PpatkCsv,
    /// Dow Jones PFA-style XML.
    DowJonesXml,
    /// A custom watchlist as CSV.
    CustomCsv,
    /// A custom watchlist as JSON lines.
    CustomJsonl,
}

/// A malformed record: reported, never hidden.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ListWarning {
    /// The file.
    pub file: PathBuf,
    /// Line number (CSV/text) or record number (XML), 1-based; 0 when not applicable.
    pub line: u64,
    /// What is wrong and what was done (skipped, field ignored, ...).
    pub reason: String,
}

/// One item of a list read.
#[derive(Debug, Clone)]
pub enum ListEvent {
    /// An entity.
    Entity(Box<Entity>),
    /// A problem with one record; the read goes on.
    Warning(ListWarning),
}

/// What is known about a list before reading its records.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ListInfo {
    /// The file or directory.
    pub path: PathBuf,
    /// Detected format.
    pub format: ListFormat,
    /// Publisher of the records.
    pub publisher: Publisher,
    /// Publication date stated by the file (ISO `YYYY-MM-DD` where it could be parsed), if any.
    pub publication_date: Option<String>,
}

/// Options for reading a list.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    /// Tag every entity with this publisher instead of the file's own (e.g. UN entries as MAS, since
    /// MAS gives effect to the UN list).
    pub publisher_override: Option<Publisher>,
}

/// A streaming reader: an iterator of entities and warnings.
///
/// `Err` items are fatal (the file stopped being readable); iteration ends after one.
pub struct ListReader {
    /// Format, publisher and publication date.
    pub info: ListInfo,
    events: Box<dyn Iterator<Item = Result<ListEvent>> + Send>,
}

impl ListReader {
    /// Wraps an event iterator (used by the per-format readers).
    pub fn new(info: ListInfo, events: Box<dyn Iterator<Item = Result<ListEvent>> + Send>) -> Self {
        ListReader { info, events }
    }
}

impl Iterator for ListReader {
    type Item = Result<ListEvent>;
    fn next(&mut self) -> Option<Self::Item> {
        self.events.next()
    }
}

/// Opens a list file (or OFAC CSV directory), detecting its format.
pub fn open(path: &Path) -> Result<ListReader> {
    open_with(path, &ReadOptions::default())
}

/// Opens a list with options, detecting its format.
pub fn open_with(path: &Path, options: &ReadOptions) -> Result<ListReader> {
    let format = detect(path)?;
    open_as(path, format, options)
}

/// Opens a list in a given format.
pub fn open_as(path: &Path, format: ListFormat, options: &ReadOptions) -> Result<ListReader> {
    let mut reader = match format {
        ListFormat::OfacCsv => ofac_csv::read(path)?,
        ListFormat::OfacXml => ofac_xml::read(path)?,
        ListFormat::UnXml => un::read(path)?,
        ListFormat::EuXml => eu::read(path)?,
        ListFormat::UkCsv => uk_csv::read(path)?,
        ListFormat::UkXml => uk_xml::read(path)?,
        ListFormat::MasText => mas::read(path)?,
        ListFormat::PpatkSheet | ListFormat::PpatkCsv => ppatk::read(path, format)?,
        ListFormat::DowJonesXml => dowjones::read(path)?,
        ListFormat::CustomCsv | ListFormat::CustomJsonl => custom::read(path, format)?,
    };
    if let Some(p) = options.publisher_override {
        reader.info.publisher = p;
        let inner = std::mem::replace(&mut reader.events, Box::new(std::iter::empty()));
        reader.events = Box::new(inner.map(move |ev| {
            ev.map(|ev| match ev {
                ListEvent::Entity(mut e) => {
                    e.publisher = Some(p);
                    ListEvent::Entity(e)
                }
                w => w,
            })
        }));
    }
    Ok(reader)
}

/// The directory of lists bundled with saring (`data/lists` in the source tree).
pub fn bundled_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data").join("lists")
}
