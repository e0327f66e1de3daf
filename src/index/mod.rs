//! The index: one memory-mapped file built from list entities, answering screening queries.
//!
//! [`IndexBuilder`] (or [`build_from_lists`]) writes the file; [`Index::open`] maps it and checks only the
//! header and section table, so opening takes the same time whatever the file size; [`Index::screen`]
//! finds candidates through the token FSTs (exact, typo-tolerant, phonetic, variant and joined keys),
//! scores them with [`compare_names`](crate::compare_names) and the entity qualifiers, and returns hits.
//! [`Index::verify`] checks the whole-file checksum and decodes every record.
//!
//! The layout is described in [`mod@format`].
//!
//! # Examples
//!
//! ```
//! use saring::index::{Index, IndexBuilder};
//! use saring::model::{EntityName, NameQuality, NameType};
//! use saring::screen::Query;
//! use saring::{Entity, EntityKind};
//!
//! let dir = tempfile::tempdir().unwrap();
//! let path = dir.path().join("demo.sidx");
//! let mut b = IndexBuilder::new(&path).unwrap();
//! b.add(&Entity {
//!     id: "UN-1".into(),
//!     kind: EntityKind::Individual,
//!     names: vec![EntityName::new("KIM KYONG OK", NameType::Primary, NameQuality::Strong)],
//!     ..Default::default()
//! })
//! .unwrap();
//! b.finish().unwrap();
//!
//! let index = Index::open(&path).unwrap();
//! let query = Query {
//!     given_name: Some("Kim Kyong".into()),
//!     surname: Some("Ok".into()),
//!     ..Default::default()
//! };
//! let result = index.screen(&query).unwrap();
//! assert_eq!(result.results[0].id, "UN-1");
//! ```

mod build;
pub mod cache;
pub(crate) mod candidates;
pub mod format;
mod mmap;
pub mod typo;

pub use build::{build_from_lists, source_hash, BuildReport, IndexBuilder};
pub use candidates::{ScreenOptions, Typo};

use crate::screen::{Query, ScreenResult};
use crate::{Entity, Error, Publisher, Result};
use format::{section, Facts, Header, NameRecord, Reader, SectionEntry, HEADER_LEN};
use serde::{Deserialize, Serialize};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// One list file an index was built from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceInfo {
    /// The file or directory as given to the build.
    pub path: String,
    /// Detected format (`ofac_csv`, `un_xml`, ...).
    pub format: String,
    /// Publisher of its records.
    pub publisher: Publisher,
    /// Publication date stated by the file, if any.
    pub publication_date: Option<String>,
    /// xxh3-64 of the file's contents (of every file, for a directory), 16 hex digits.
    pub file_hash: String,
    /// Entities read from it.
    pub entities: u64,
    /// Malformed records reported while reading it.
    pub warnings: u64,
}

/// Header metadata of an index file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndexInfo {
    /// Format version of the file.
    pub format_version: u32,
    /// Build time, ISO 8601 UTC.
    pub build_time: String,
    /// Build time, seconds since the Unix epoch.
    pub build_time_unix: u64,
    /// saring version that built it.
    pub saring_version: String,
    /// Fingerprint of the name analysis used to build it (an index built by another analysis is stale).
    pub analysis_fingerprint: String,
    /// Number of entities.
    pub entities: u64,
    /// Number of names (all aliases).
    pub names: u64,
    /// Number of searchable terms in the token FST.
    pub terms: u64,
    /// Number of phonetic keys.
    pub phonetic_keys: u64,
    /// File size in bytes.
    pub file_size: u64,
    /// The lists it was built from.
    pub sources: Vec<SourceInfo>,
    /// Warnings raised while building (by the list readers and the builder).
    pub warnings: u64,
}

/// A slice of the shared mapping, usable as FST storage.
#[derive(Clone)]
pub(crate) struct Slice {
    bytes: Arc<mmap::Bytes>,
    range: Range<usize>,
}

impl AsRef<[u8]> for Slice {
    fn as_ref(&self) -> &[u8] {
        self.bytes.as_ref().as_ref().get(self.range.clone()).unwrap_or(&[])
    }
}

/// The fields of an entity record a hit shows.
pub(crate) struct HitRecord<'a> {
    /// Full text of every name, primary first.
    pub names: Vec<String>,
    /// Dates of birth (or registration).
    pub dates_of_birth: Vec<crate::model::PartialDate>,
    /// The raw source record's JSON text, in the mapped file (checked when a hit is serialised: see
    /// [`crate::screen::RawRecord`]).
    pub raw: &'a str,
}

/// An opened index file.
pub struct Index {
    path: PathBuf,
    bytes: Arc<mmap::Bytes>,
    header: Header,
    sections: Vec<SectionEntry>,
    pub(crate) terms: fst::Map<Slice>,
    pub(crate) keys: fst::Map<Slice>,
    ids: fst::Map<Slice>,
    postings: Range<usize>,
    name_offsets: Range<usize>,
    name_data: Range<usize>,
    entity_offsets: Range<usize>,
    entity_data: Range<usize>,
    fact_offsets: Range<usize>,
    fact_data: Range<usize>,
    name_info: Range<usize>,
    term_offsets: Range<usize>,
    term_data: Range<usize>,
    pub(crate) typos: fst::Map<Slice>,
    /// Terms written backwards → term ordinal (the REVERSED section).
    pub(crate) reversed: fst::Map<Slice>,
    typo_lists: Range<usize>,
    /// A number no other `Index` opened by this process has (what a [`NameCache`](crate::screen::NameCache)
    /// was filled from).
    pub(crate) instance: u64,
}

/// The next [`Index::instance`].
static INSTANCES: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

impl std::fmt::Debug for Index {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Index").field("path", &self.path).field("header", &self.header).finish()
    }
}

impl Index {
    /// Opens (memory-maps) an index file, checking its magic, format version, header CRC and section
    /// table (not the whole-file checksum: see [`verify`](Index::verify)).
    ///
    /// Errors: [`Error::IndexVersion`] for a file of another format version, [`Error::IndexCorrupt`] for
    /// anything else that is wrong (not an index, truncated, header damaged).
    pub fn open(path: &Path) -> Result<Index> {
        let bytes = Arc::new(mmap::map(path)?);
        Index::from_bytes(path, bytes, format::FORMAT_VERSION)
    }

    /// Opens an index file as [`open`](Index::open) does, accepting also the earlier format versions
    /// whose layout this build reads ([`format::OLDEST_READABLE_VERSION`] on): the older index of a
    /// delta rescreen (`rescreen --since`), whose entities and content hashes are all that is read
    /// ([`rescreen::diff`](crate::rescreen::diff)), so that last month's index still serves after an
    /// upgrade. Screening with an older file would miss what its format lacks (format 9: the list words
    /// found by skeletons one consonant shorter): screen with an index built by this version.
    ///
    /// ```
    /// use saring::index::{Index, IndexBuilder};
    /// let dir = tempfile::tempdir().unwrap();
    /// let path = dir.path().join("last-month.sidx");
    /// IndexBuilder::new(&path).unwrap().finish().unwrap();
    /// // A file of this build's version opens too; one older than the oldest readable is an
    /// // `Error::IndexVersion`.
    /// let old = Index::open_older(&path).unwrap();
    /// assert_eq!(old.entity_count(), 0);
    /// ```
    pub fn open_older(path: &Path) -> Result<Index> {
        let bytes = Arc::new(mmap::map(path)?);
        Index::from_bytes(path, bytes, format::OLDEST_READABLE_VERSION)
    }

    /// The index in `bytes`, of a format version from `oldest` to [`format::FORMAT_VERSION`].
    fn from_bytes(path: &Path, bytes: Arc<mmap::Bytes>, oldest: u32) -> Result<Index> {
        let corrupt = |reason: String| Error::IndexCorrupt { path: path.to_path_buf(), reason };
        let b: &[u8] = bytes.as_ref().as_ref();
        if b.len() < HEADER_LEN {
            return Err(corrupt(format!("file is {} bytes, shorter than an index header", b.len())));
        }
        if &b[..8] != format::MAGIC {
            return Err(corrupt("not a saring index file (bad magic)".into()));
        }
        let header = Header::decode(b).ok_or_else(|| corrupt("unreadable header".into()))?;
        if !(oldest..=format::FORMAT_VERSION).contains(&header.version) {
            return Err(Error::IndexVersion {
                path: path.to_path_buf(),
                expected: format::FORMAT_VERSION,
                oldest,
                got: header.version,
            });
        }
        if header.file_len != b.len() as u64 {
            return Err(corrupt(format!(
                "file is {} bytes but its header says {} (truncated or appended to)",
                b.len(),
                header.file_len
            )));
        }
        let table_len = (header.section_count as usize)
            .checked_mul(format::SECTION_ENTRY_LEN)
            .filter(|n| HEADER_LEN + n <= b.len())
            .ok_or_else(|| corrupt("section table runs past the end of the file".into()))?;
        let table = &b[HEADER_LEN..HEADER_LEN + table_len];
        let crc = Reader::new(b).u32_at(60).unwrap_or(0);
        if format::header_crc(&b[..HEADER_LEN], table) != crc {
            return Err(corrupt("header checksum mismatch".into()));
        }
        let mut sections = Vec::new();
        for chunk in table.chunks_exact(format::SECTION_ENTRY_LEN) {
            let e = SectionEntry::decode(chunk).ok_or_else(|| corrupt("bad section entry".into()))?;
            let inside = matches!(e.offset.checked_add(e.len), Some(end) if end <= b.len() as u64);
            if e.offset < (HEADER_LEN + table_len) as u64 || !inside {
                return Err(corrupt(format!("section {} lies outside the file", e.id)));
            }
            sections.push(e);
        }
        let range = |id: u32| -> Result<Range<usize>> {
            let e = sections.iter().find(|e| e.id == id).ok_or_else(|| corrupt(format!("section {id} is missing")))?;
            Ok(e.offset as usize..(e.offset + e.len) as usize)
        };
        let fst_of = |id: u32| -> Result<fst::Map<Slice>> {
            let slice = Slice { bytes: bytes.clone(), range: range(id)? };
            fst::Map::new(slice).map_err(|e| corrupt(format!("section {id}: {e}")))
        };
        let index = Index {
            terms: fst_of(section::TERMS)?,
            keys: fst_of(section::KEYS)?,
            ids: fst_of(section::IDS)?,
            postings: range(section::POSTINGS)?,
            name_offsets: range(section::NAME_OFFSETS)?,
            name_data: range(section::NAME_DATA)?,
            entity_offsets: range(section::ENTITY_OFFSETS)?,
            entity_data: range(section::ENTITY_DATA)?,
            fact_offsets: range(section::FACT_OFFSETS)?,
            fact_data: range(section::FACT_DATA)?,
            name_info: range(section::NAME_INFO)?,
            term_offsets: range(section::TERM_OFFSETS)?,
            term_data: range(section::TERM_DATA)?,
            typos: fst_of(section::TYPOS)?,
            typo_lists: range(section::TYPO_LISTS)?,
            reversed: fst_of(section::REVERSED)?,
            path: path.to_path_buf(),
            header,
            sections,
            bytes: bytes.clone(),
            instance: INSTANCES.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
        };
        let need = |r: &Range<usize>, n: u32| r.len() as u64 == (u64::from(n) + 1) * 8;
        if !need(&index.name_offsets, header.names)
            || !need(&index.entity_offsets, header.entities)
            || !need(&index.fact_offsets, header.entities)
            || !need(&index.term_offsets, header.terms)
            || index.name_info.len() != header.names as usize * format::NAME_INFO_LEN
        {
            return Err(corrupt("offset tables do not match the header counts".into()));
        }
        Ok(index)
    }

    /// Opens the cached index of the bundled lists, building it on first use (see [`cache`]).
    pub fn open_bundled() -> Result<Index> {
        cache::open_bundled()
    }

    /// The file this index was opened from.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn data(&self) -> &[u8] {
        self.bytes.as_ref().as_ref()
    }

    pub(crate) fn corrupt(&self, reason: impl Into<String>) -> Error {
        Error::IndexCorrupt { path: self.path.clone(), reason: reason.into() }
    }

    fn record(&self, offsets: &Range<usize>, data: &Range<usize>, i: usize, what: &str) -> Result<&[u8]> {
        let b = self.data();
        let off = b.get(offsets.clone()).ok_or_else(|| self.corrupt(format!("{what} offsets")))?;
        let d = b.get(data.clone()).ok_or_else(|| self.corrupt(format!("{what} data")))?;
        let r = format::record_range(off, d.len(), i).ok_or_else(|| self.corrupt(format!("{what} {i}: bad offset")))?;
        d.get(r).ok_or_else(|| self.corrupt(format!("{what} {i}: out of bounds")))
    }

    /// Number of entities.
    pub fn entity_count(&self) -> usize {
        self.header.entities as usize
    }

    /// Number of terms (checked at open against the term table, unlike the term FST's own count).
    pub(crate) fn term_count(&self) -> usize {
        self.header.terms as usize
    }

    /// Number of names.
    pub fn name_count(&self) -> usize {
        self.header.names as usize
    }

    /// The raw bytes of a name record.
    pub(crate) fn name_bytes(&self, name: u32) -> Result<&[u8]> {
        self.record(&self.name_offsets, &self.name_data, name as usize, "name")
    }

    /// The `NAME_INFO` entry of a name (entity, weights), read without decoding the name.
    #[inline(always)]
    pub(crate) fn name_info(&self, name: u32) -> Result<format::NameInfo> {
        let t = self.data().get(self.name_info.clone()).ok_or_else(|| self.corrupt("name info"))?;
        format::NameInfo::decode(t, name as usize).ok_or_else(|| self.no_name_info(name))
    }

    /// Appends the `NAME_INFO` entries of `names` to `out`, in a loop of their reads alone: they do not
    /// depend on each other, so the processor overlaps their cache misses.
    pub(crate) fn name_infos_into(
        &self,
        names: impl Iterator<Item = u32>,
        out: &mut Vec<format::NameInfo>,
    ) -> Result<()> {
        let t = self.data().get(self.name_info.clone()).ok_or_else(|| self.corrupt("name info"))?;
        for name in names {
            out.push(format::NameInfo::decode(t, name as usize).ok_or_else(|| self.no_name_info(name))?);
        }
        Ok(())
    }

    #[cold]
    fn no_name_info(&self, name: u32) -> Error {
        self.corrupt(format!("name {name}: no name info"))
    }

    /// Decodes what scoring reads of name record `name` into `out`, reusing its buffers: everything but
    /// the original texts, which are left empty ([`format::decode_name_for_scoring`]); a hit's matched
    /// name comes from [`name_record`](Index::name_record).
    pub(crate) fn name_record_into(&self, name: u32, out: &mut NameRecord) -> Result<()> {
        format::decode_name_for_scoring(self.name_bytes(name)?, out)
            .ok_or_else(|| self.corrupt(format!("name {name}: undecodable")))
    }

    /// Term `ordinal` (its rank in the TERMS FST): (postings offset, term bytes).
    pub(crate) fn term(&self, ordinal: u32) -> Result<(u64, &[u8])> {
        let b = self.record(&self.term_offsets, &self.term_data, ordinal as usize, "term")?;
        format::decode_term(b).ok_or_else(|| self.corrupt(format!("term {ordinal}: undecodable")))
    }

    /// Calls `f` with the ordinal of every term that has the deletion variant `variant`.
    pub(crate) fn typo_terms(&self, variant: &[u8], f: impl FnMut(u32)) -> Result<()> {
        self.typo_terms_within(variant, u64::MAX, f)
    }

    /// Calls `f` with the ordinal of every term that has one of the deletion variants `variants` (each
    /// variant's terms in turn, as [`typo_terms`](Index::typo_terms) for each would).
    pub(crate) fn typo_terms_of(&self, variants: &typo::Variants, mut f: impl FnMut(u32)) -> Result<()> {
        typo::lookup_sorted(self.typos.as_fst(), variants, |v| self.typo_value_terms(v, u64::MAX, &mut f))
    }

    /// Calls `f` with the ordinal of every term under `key` in TYPOS (a deletion variant or a consonant
    /// skeleton), unless they are more than `cap`.
    pub(crate) fn typo_terms_within(&self, key: &[u8], cap: u64, f: impl FnMut(u32)) -> Result<()> {
        match self.typos.get(key) {
            Some(v) => self.typo_value_terms(v, cap, f),
            None => Ok(()),
        }
    }

    /// The term ordinals a TYPOS value stands for: one ordinal (odd values) or a list's offset; none
    /// when the list has more than `cap`.
    fn typo_value_terms(&self, v: u64, cap: u64, mut f: impl FnMut(u32)) -> Result<()> {
        if v & 1 == 1 {
            f(u32::try_from(v >> 1).map_err(|_| self.corrupt("typo term ordinal"))?);
            return Ok(());
        }
        let lists = self.data().get(self.typo_lists.clone()).ok_or_else(|| self.corrupt("typo lists"))?;
        let start = usize::try_from(v >> 1).map_err(|_| self.corrupt("typo list offset"))?;
        if cap < u64::MAX && Reader::at(lists, start).varint().ok_or_else(|| self.corrupt("typo list count"))? > cap {
            return Ok(());
        }
        format::read_postings(lists, start, f).ok_or_else(|| self.corrupt("typo list truncated"))
    }

    /// Decodes a name record into `out`, originals included (unlike [`name_record_into`]), reusing its
    /// allocations.
    ///
    /// [`name_record_into`]: Index::name_record_into
    pub(crate) fn name_record_full_into(&self, name: u32, out: &mut NameRecord) -> Result<()> {
        format::decode_name_into(self.name_bytes(name)?, out)
            .ok_or_else(|| self.corrupt(format!("name {name}: undecodable")))
    }

    /// A decoded name record.
    pub(crate) fn name_record(&self, name: u32) -> Result<NameRecord> {
        format::decode_name(self.name_bytes(name)?).ok_or_else(|| self.corrupt(format!("name {name}: undecodable")))
    }

    /// The facts record of an entity number.
    pub(crate) fn facts(&self, entity: u32) -> Result<Facts> {
        let b = self.record(&self.fact_offsets, &self.fact_data, entity as usize, "facts")?;
        format::decode_facts(b).ok_or_else(|| self.corrupt(format!("facts {entity}: undecodable")))
    }

    /// The facts of an entity, decoded into `out` (reusing its buffers).
    pub(crate) fn facts_into(&self, entity: u32, out: &mut Facts) -> Result<()> {
        let b = self.record(&self.fact_offsets, &self.fact_data, entity as usize, "facts")?;
        format::decode_facts_into(b, out).ok_or_else(|| self.corrupt(format!("facts {entity}: undecodable")))
    }

    /// The parts of entity record `entity`.
    fn entity_parts(&self, entity: u32) -> Result<format::EntityParts<'_>> {
        let b = self.record(&self.entity_offsets, &self.entity_data, entity as usize, "entity")?;
        format::entity_parts(b).ok_or_else(|| self.corrupt(format!("entity {entity}: bad record lengths")))
    }

    /// The full entity of an entity number.
    pub(crate) fn entity_at(&self, entity: u32) -> Result<Entity> {
        let parts = self.entity_parts(entity)?;
        let mut e: Entity =
            serde_json::from_slice(parts.json).map_err(|e| self.corrupt(format!("entity {entity}: {e}")))?;
        e.raw = serde_json::from_slice(parts.raw).map_err(|e| self.corrupt(format!("entity {entity}: raw: {e}")))?;
        Ok(e)
    }

    /// What a hit shows of an entity: the binary hit fields, and the raw record's text, without parsing
    /// the entity's JSON.
    pub(crate) fn hit_record(&self, entity: u32) -> Result<HitRecord<'_>> {
        let parts = self.entity_parts(entity)?;
        let (names, dates_of_birth) =
            format::decode_hit_fields(parts.hit).ok_or_else(|| self.corrupt(format!("entity {entity}: hit fields")))?;
        let raw = std::str::from_utf8(parts.raw)
            .map_err(|_| self.corrupt(format!("entity {entity}: raw record is not UTF-8")))?;
        Ok(HitRecord { names, dates_of_birth, raw })
    }

    /// Calls `f` with every entry of the posting list at `offset` (see [`format::posting_parts`]).
    #[inline]
    pub(crate) fn postings(&self, offset: u64, f: impl FnMut(u32)) -> Result<()> {
        let p = self.data().get(self.postings.clone()).ok_or_else(|| self.corrupt("postings"))?;
        let start = usize::try_from(offset).map_err(|_| self.corrupt("posting offset"))?;
        format::read_postings(p, start, f).ok_or_else(|| self.corrupt("posting list truncated"))
    }

    /// The fixed-width entries of a long posting list (`None` for a short one).
    pub(crate) fn long_postings(&self, offset: u64) -> Result<Option<&[u8]>> {
        let p = self.data().get(self.postings.clone()).ok_or_else(|| self.corrupt("postings"))?;
        let start = usize::try_from(offset).map_err(|_| self.corrupt("posting offset"))?;
        format::long_postings(p, start).ok_or_else(|| self.corrupt("posting list truncated"))
    }

    /// Length of the posting list at `offset`.
    pub(crate) fn posting_len(&self, offset: u64) -> Result<u64> {
        let p = self.data().get(self.postings.clone()).ok_or_else(|| self.corrupt("postings"))?;
        let start = usize::try_from(offset).map_err(|_| self.corrupt("posting offset"))?;
        Reader::at(p, start).varint().ok_or_else(|| self.corrupt("posting count"))
    }

    /// Runs `f`, turning a panic inside the `fst` crate (which trusts its bytes: a damaged FST section that
    /// only [`verify`](Index::verify) would catch) into [`Error::IndexCorrupt`].
    pub(crate) fn guarded<T>(&self, f: impl FnOnce() -> Result<T>) -> Result<T> {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(f))
            .unwrap_or_else(|_| Err(self.corrupt("damaged token or id table; run `saring index verify`")))
    }

    /// Screens one query with default options.
    pub fn screen(&self, query: &Query) -> Result<ScreenResult> {
        self.screen_with(query, &ScreenOptions::default())
    }

    /// Screens one query with explicit candidate-generation options.
    pub fn screen_with(&self, query: &Query, options: &ScreenOptions) -> Result<ScreenResult> {
        self.guarded(|| crate::screen::screen_index(self, query, options))
    }

    /// Screens one query of many (a customer base), keeping in `cache` the name-level work of recent
    /// query names: a name screened again (another customer with the same name, kind and presence of a
    /// date of birth and country) skips candidate generation and the name scores already computed.
    /// Results are those of [`Index::screen`].
    ///
    /// ```no_run
    /// use saring::index::Index;
    /// use saring::screen::{NameCache, Query};
    /// let index = Index::open_bundled()?;
    /// let mut cache = NameCache::default();
    /// for name in ["Budi Santoso", "Siti Aminah", "Budi Santoso"] {
    ///     let hits = index.screen_cached(&Query::name(name), &mut cache)?;
    ///     println!("{name}: {} hits", hits.results.len());
    /// }
    /// # Ok::<(), saring::Error>(())
    /// ```
    pub fn screen_cached(&self, query: &Query, cache: &mut crate::screen::NameCache) -> Result<ScreenResult> {
        self.screen_cached_with(query, &ScreenOptions::default(), cache)
    }

    /// [`screen_cached`](Index::screen_cached) with explicit candidate-generation options (the cache
    /// keeps the work of one set of options: other options start it afresh).
    pub fn screen_cached_with(
        &self,
        query: &Query,
        options: &ScreenOptions,
        cache: &mut crate::screen::NameCache,
    ) -> Result<ScreenResult> {
        let q = query.validate()?;
        self.guarded(|| crate::screen::screen_valid_cached(self, &q, options, cache))
    }

    /// All entities, in id order.
    pub fn entities(&self) -> Box<dyn Iterator<Item = Result<Entity>> + '_> {
        use fst::Streamer;
        let numbers = self.guarded(|| {
            let mut stream = self.ids.stream();
            let mut numbers = Vec::with_capacity(self.entity_count());
            while let Some((_, n)) = stream.next() {
                numbers.push(n as u32);
            }
            Ok(numbers)
        });
        match numbers {
            Ok(numbers) => Box::new(numbers.into_iter().map(move |n| self.entity_at(n))),
            Err(e) => Box::new(std::iter::once(Err(e))),
        }
    }

    /// The entity with this id, if the index has it.
    pub fn entity(&self, id: &str) -> Result<Option<Entity>> {
        match self.guarded(|| Ok(self.ids.get(id.as_bytes())))? {
            Some(n) => self.entity_at(n as u32).map(Some),
            None => Ok(None),
        }
    }

    /// `(id, content hash)` of every entity, in id order (the hash is [`Entity::content_hash`], computed
    /// at build time).
    pub fn entity_hashes(&self) -> Box<dyn Iterator<Item = Result<(String, String)>> + '_> {
        use fst::Streamer;
        let items = self.guarded(|| {
            let mut stream = self.ids.stream();
            let mut items = Vec::with_capacity(self.entity_count());
            while let Some((id, n)) = stream.next() {
                items.push((String::from_utf8_lossy(id).into_owned(), n as u32));
            }
            Ok(items)
        });
        let items = match items {
            Ok(items) => items,
            Err(e) => return Box::new(std::iter::once(Err(e))),
        };
        Box::new(items.into_iter().map(move |(id, n)| {
            let b = self.record(&self.fact_offsets, &self.fact_data, n as usize, "facts")?;
            let h = format::facts_hash(b).ok_or_else(|| self.corrupt(format!("facts {n}: undecodable")))?;
            Ok((id, format!("{h:016x}")))
        }))
    }

    /// Header metadata: build time, sources (with file hash and publication date), counts.
    pub fn info(&self) -> Result<IndexInfo> {
        let e = self.sections.iter().find(|e| e.id == section::META).ok_or_else(|| self.corrupt("no metadata"))?;
        let b = self
            .data()
            .get(e.offset as usize..(e.offset + e.len) as usize)
            .ok_or_else(|| self.corrupt("metadata out of bounds"))?;
        let mut info: IndexInfo = serde_json::from_slice(b).map_err(|e| self.corrupt(format!("metadata: {e}")))?;
        info.file_size = self.data().len() as u64;
        Ok(info)
    }

    /// Whether the index was built with the same name analysis as this build of saring.
    pub fn is_current_analysis(&self) -> bool {
        self.header.analysis_fingerprint == analysis_fingerprint()
    }

    /// Checks everything: the whole-file checksum, then every name, fact and entity record and every
    /// posting list decodes and points inside the index, and each entity's hit fields agree with its
    /// JSON.
    pub fn verify(&self) -> Result<()> {
        let b = self.data();
        let table_end = HEADER_LEN + self.sections.len() * format::SECTION_ENTRY_LEN;
        let mut sections_hash = xxhash_rust::xxh3::Xxh3::new();
        sections_hash.update(b.get(table_end..).unwrap_or(&[]));
        let mut full = xxhash_rust::xxh3::Xxh3::new();
        full.update(b.get(HEADER_LEN..table_end).unwrap_or(&[]));
        full.update(&sections_hash.digest().to_le_bytes());
        if full.digest() != self.header.checksum {
            return Err(self.corrupt("checksum mismatch: the file was modified or damaged"));
        }
        self.info()?;
        let names = self.header.names;
        let entities = self.header.entities;
        for n in 0..names {
            let rec = self.name_record(n)?;
            if rec.entity >= entities {
                return Err(self.corrupt(format!("name {n} points to entity {} of {entities}", rec.entity)));
            }
            // Entity, weights, miss costs and name-word bits, as the builder derives them from the name.
            if self.name_info(n)?.encode() != build::name_info(rec.entity, &rec.name).encode() {
                return Err(self.corrupt(format!("name {n}: name info disagrees with the name record")));
            }
        }
        let terms = self.header.terms;
        for t in 0..terms {
            let (postings, _) = self.term(t)?;
            self.posting_len(postings)?;
        }
        {
            use fst::Streamer;
            let mut s = self.typos.stream();
            while let Some((variant, _)) = s.next() {
                let mut bad = false;
                self.typo_terms(variant, |t| bad |= t >= terms)?;
                if bad {
                    return Err(self.corrupt("typo list points past the term table"));
                }
            }
            let mut s = self.reversed.stream();
            while let Some((backwards, ordinal)) = s.next() {
                let term = u32::try_from(ordinal).ok().filter(|&o| u64::from(o) < u64::from(terms));
                let same = match term {
                    Some(o) => self.term(o)?.1.iter().rev().eq(backwards.iter()),
                    None => false,
                };
                if !same {
                    return Err(self.corrupt("reversed term table disagrees with the term table"));
                }
            }
        }
        for e in 0..entities {
            let f = self.facts(e)?;
            if u64::from(f.first_name) + u64::from(f.name_count) > u64::from(names) {
                return Err(self.corrupt(format!("entity {e}: names out of range")));
            }
            let ent = self.entity_at(e)?;
            if ent.id != f.id {
                return Err(self.corrupt(format!("entity {e}: id {:?} does not match its facts {:?}", ent.id, f.id)));
            }
            let hit = self.hit_record(e)?;
            let names_agree = hit.names.iter().eq(ent.names.iter().map(|n| &n.full));
            if !names_agree || !hit.dates_of_birth.iter().copied().eq(ent.dates_of_birth.iter().map(|d| d.date())) {
                return Err(self.corrupt(format!("entity {e}: hit fields disagree with the entity record")));
            }
            if self.ids.get(ent.id.as_bytes()) != Some(u64::from(e)) {
                return Err(self.corrupt(format!("entity {e}: id {:?} missing from the id table", ent.id)));
            }
        }
        use fst::Streamer;
        for map in [&self.terms, &self.keys] {
            let mut s = map.stream();
            while let Some((_, off)) = s.next() {
                let mut bad = false;
                self.postings(off, |entry| bad |= format::posting_parts(entry).0 >= names)?;
                if bad {
                    return Err(self.corrupt("posting list points past the name table"));
                }
            }
        }
        Ok(())
    }
}

/// A fingerprint of the name analysis: a hash of [`analyze`](crate::analyze)'s output on fixed probe
/// names in several scripts. An index built with another analysis (another saring version) is stale.
pub fn analysis_fingerprint() -> u64 {
    use crate::text::{analyze, NameKind};
    static FP: std::sync::OnceLock<u64> = std::sync::OnceLock::new();
    *FP.get_or_init(|| {
        const PROBES: [(&str, NameKind); 12] = [
            ("Mohammed bin Abdul Rahman AL-SAUD", NameKind::Person),
            ("AKILOV, Farkhad Ataullaevich", NameKind::Person),
            ("Nicolás Maduro Moros", NameKind::Person),
            ("Soekarno Djojo Ba'asyir", NameKind::Person),
            ("Сергей Шойгу", NameKind::Person),
            ("麦克里里 김경옥 ザポトッキー", NameKind::Person),
            ("محمد علي عماد", NameKind::Person),
            ("PT Bank Rakyat Indonesia (Persero) Tbk", NameKind::Entity),
            ("YUK TUNG ENERGY PTE. LTD.", NameKind::Entity),
            ("11420 CORP", NameKind::Unknown),
            ("Dr. H. M. Noordin Top, S.H.", NameKind::Unknown),
            ("JSC ARGUMENT  ΑΘΗΝΑ", NameKind::Unknown),
        ];
        let mut h = xxhash_rust::xxh3::Xxh3::new();
        for (p, k) in PROBES {
            let n = analyze(p, k);
            h.update(serde_json::to_string(&n).unwrap_or_default().as_bytes());
        }
        h.digest()
    })
}

/// Formats seconds since the Unix epoch as ISO 8601 UTC (`2026-11-22T06:46:20Z`).
pub(crate) fn iso_time(secs: u64) -> String {
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    let (y, m, d) = crate::model::civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z", rem / 3600, rem / 60 % 60, rem % 60)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{EntityName, NameQuality, NameType};
    use crate::EntityKind;

    #[test]
    fn verify_rederives_the_name_info_from_the_names() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("info.sidx");
        let mut b = IndexBuilder::new(&path).unwrap();
        for (id, name) in [("UN-1", "Abu Kassem"), ("UN-2", "Hafiz bin Kassim")] {
            let names = vec![EntityName::new(name, NameType::Primary, NameQuality::Strong)];
            b.add(&Entity { id: id.into(), kind: EntityKind::Individual, names, ..Default::default() }).unwrap();
        }
        b.finish().unwrap();
        Index::open(&path).unwrap().verify().unwrap();
        // One token weight changed, and the checksum and header CRC made to match it again: only the
        // comparison with the name records can tell.
        let (info_at, tables) = {
            let index = Index::open(&path).unwrap();
            (index.name_info.start, HEADER_LEN + index.sections.len() * format::SECTION_ENTRY_LEN)
        };
        let mut bytes = std::fs::read(&path).unwrap();
        bytes[info_at + 16] ^= 0x40;
        let mut sections = xxhash_rust::xxh3::Xxh3::new();
        sections.update(&bytes[tables..]);
        let mut full = xxhash_rust::xxh3::Xxh3::new();
        full.update(&bytes[HEADER_LEN..tables]);
        full.update(&sections.digest().to_le_bytes());
        bytes[24..32].copy_from_slice(&full.digest().to_le_bytes());
        let crc = format::header_crc(&bytes[..HEADER_LEN], &bytes[HEADER_LEN..tables]);
        bytes[60..64].copy_from_slice(&crc.to_le_bytes());
        std::fs::write(&path, &bytes).unwrap();
        let err = Index::open(&path).unwrap().verify().unwrap_err().to_string();
        assert!(err.contains("name 0: name info disagrees"), "{err}");
    }

    #[test]
    fn a_long_posting_list_is_stored_once_for_every_term_and_key_that_has_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("shared.sidx");
        let mut b = IndexBuilder::new(&path).unwrap();
        // 70 names with `zorbaqx` (no other word shares its keys), 66 of them with `melwitz` too.
        let letters = b"bcdfghjklmnprstvwz";
        for i in 0..70 {
            let surname: String =
                [letters[i % 18], b'a', letters[i / 18], b'o', b'n'].iter().map(|&c| c as char).collect();
            let name = if i < 66 { format!("Zorbaqx Melwitz {surname}") } else { format!("Zorbaqx {surname}") };
            let names = vec![EntityName::new(name, NameType::Primary, NameQuality::Strong)];
            b.add(&Entity { id: format!("T-{i}"), kind: EntityKind::Individual, names, ..Default::default() }).unwrap();
        }
        b.finish().unwrap();
        let index = Index::open(&path).unwrap();
        index.verify().unwrap();
        let list = |offset: u64| {
            let mut v = Vec::new();
            index.postings(offset, |e| v.push(e)).unwrap();
            v
        };
        let zorbaqx = index.terms.get("zorbaqx").unwrap();
        let melwitz = index.terms.get("melwitz").unwrap();
        assert_eq!(list(zorbaqx).len(), 70);
        assert_eq!(list(melwitz).len(), 66);
        assert_ne!(zorbaqx, melwitz);
        // Its phonetic and variant keys have the term's own list, at the term's own offset.
        let mut keys = index.keys.stream();
        let mut sharing = 0;
        while let Some((key, offset)) = fst::Streamer::next(&mut keys) {
            if list(offset) == list(zorbaqx) {
                assert_eq!(offset, zorbaqx, "{:?}", String::from_utf8_lossy(key));
                sharing += 1;
            }
        }
        assert!(sharing > 0);
        // A short list is written for each term and key that has it.
        let short = index.terms.get("babon").unwrap();
        assert_eq!(list(short).len(), 1);
        let mut keys = index.keys.stream();
        while let Some((_, offset)) = fst::Streamer::next(&mut keys) {
            assert_ne!(offset, short);
        }
    }

    #[test]
    fn every_term_of_four_to_24_bytes_is_listed_backwards_with_its_ordinal() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("reversed.sidx");
        let mut b = IndexBuilder::new(&path).unwrap();
        let names = ["Abdurrahman Haqqani", "Kim Jong", "Сергей Шойгу", "Mohammedabdulrahmanalqahtani Ali"];
        for (i, name) in names.iter().enumerate() {
            let names = vec![EntityName::new(*name, NameType::Primary, NameQuality::Strong)];
            b.add(&Entity { id: format!("T-{i}"), kind: EntityKind::Individual, names, ..Default::default() }).unwrap();
        }
        b.finish().unwrap();
        let index = Index::open(&path).unwrap();
        index.verify().unwrap();
        let (mut listed, mut long, mut short) = (0, 0, 0);
        for o in 0..index.header.terms {
            let term = index.term(o).unwrap().1.to_vec();
            let backwards: Vec<u8> = term.iter().rev().copied().collect();
            match term.len() {
                0..=3 => short += 1,
                4..=24 => {
                    assert_eq!(
                        index.reversed.get(&backwards),
                        Some(u64::from(o)),
                        "{:?}",
                        String::from_utf8_lossy(&term)
                    );
                    listed += 1;
                }
                _ => long += 1,
            }
        }
        assert_eq!(index.reversed.len(), listed);
        // Short words (`kim`), long joined ones and Cyrillic ones (listed: the walk compares bytes).
        assert!(listed > 5 && long > 0 && short > 0, "{listed} {long} {short}");
    }

    #[test]
    fn scoring_records_and_facts_decode_as_whole_records_do() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("shapes.sidx");
        let mut b = IndexBuilder::new(&path).unwrap();
        let people: [(&str, &[&str]); 4] = [
            ("UN-1", &["محمد عبد الرحمن", "Mohammed bin Abdul Rahman", "Abu Abdallah"]),
            ("UN-2", &["KIM Kyong Ok"]),
            ("UK-3", &["Сергей Кужугетович Шойгу", "Sergei Shoigu"]),
            ("OFAC-4", &["金正恩", "Kim Jong Un", "Kim Jong-un", "Kim Chong-un"]),
        ];
        for (id, names) in people {
            let names = names
                .iter()
                .enumerate()
                .map(|(i, n)| {
                    let (t, q) = if i == 0 {
                        (NameType::Primary, NameQuality::Strong)
                    } else {
                        (NameType::Aka, NameQuality::Weak)
                    };
                    EntityName::new(*n, t, q)
                })
                .collect();
            let e = Entity {
                id: id.into(),
                kind: EntityKind::Individual,
                list: "SHAPES".into(),
                nationalities: vec!["KP".into()],
                names,
                ..Default::default()
            };
            b.add(&e).unwrap();
        }
        b.finish().unwrap();
        let index = Index::open(&path).unwrap();
        assert_eq!((index.entity_count(), index.name_count()), (4, 10));
        let n = index.name_count() as u32;
        let mut rec = index.name_record(n - 1).unwrap();
        // Forwards, backwards and strided, so the reused record follows names of every length.
        let order: Vec<u32> = (0..n).chain((0..n).rev()).chain((0..3 * n).map(|i| i * 7 % n)).collect();
        for name in order {
            index.name_record_into(name, &mut rec).unwrap();
            let mut whole = index.name_record(name).unwrap();
            assert!(!whole.name.tokens.is_empty() && !whole.name.original.is_empty());
            whole.name.original.clear();
            whole.name.tokens.iter_mut().for_each(|t| t.original.clear());
            assert_eq!(rec, whole, "name {name}");
        }
        for e in 0..4 {
            let f = index.facts(e).unwrap();
            let entity = index.entity_at(e).unwrap();
            assert_eq!((f.id.as_str(), f.list.as_str()), (entity.id.as_str(), "SHAPES"));
            assert_eq!(f.nationalities, ["KP"]);
            assert_eq!(f.name_count as usize, entity.names.len());
            assert_eq!(index.name_record(f.first_name).unwrap().entity, e);
        }
    }

    #[test]
    fn iso_time_known_values() {
        assert_eq!(super::iso_time(0), "1970-01-01T00:00:00Z");
        assert_eq!(super::iso_time(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(super::iso_time(1_795_329_980), "2026-11-22T06:46:20Z");
    }
}
