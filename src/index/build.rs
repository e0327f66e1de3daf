//! Building an index file: a streaming writer with bounded memory.
//!
//! [`IndexBuilder`] takes entities one at a time. Each entity's names are analysed (in parallel batches,
//! with the same [`analyze`] the query side uses) and spilled straight to temporary files next to the
//! output: the entity store, the name records and the fact records. Only offsets (8 bytes per
//! entity and per name) and ids stay in memory. The (term, name id) pairs for the inverted index are
//! collected in a byte arena and, whenever it reaches its budget, sorted and written out as a sorted
//! run; [`IndexBuilder::finish`] merges the runs into the FSTs and posting lists (pairs that all fitted
//! in memory are sorted and read where they are, without a run file), then writes the sections into one
//! file under a temporary name and renames it into place.
//!
//! Terms of a name: each token's canonical text, alternates and equivalence keys
//! ([`Name::index_keys`]), plus the concatenation of every pair of adjacent tokens (so `Abdul Rahman`
//! is found by `Abdulrahman`; the query side also looks its adjacent pairs up, so `Abdul Rahman` finds
//! `Abdulrahman`). Phonetic keys of name words go to a second FST that is only looked up exactly. Once the terms are
//! known (during the merge), each one's deletion variants ([`typo`]) are collected the same way, in
//! sorted runs, and merged into the TYPOS FST.

use super::format::{self, put_postings, put_varint, section, Facts, NameInfo, SectionEntry, HEADER_LEN};
use super::typo;
use super::{analysis_fingerprint, IndexInfo, SourceInfo};
use crate::lists::{self, ListEvent, ListWarning};
use crate::model::EntityName;
use crate::score::freely_joinable;
use crate::text::{analyze, Name, NameKind};
use crate::{Entity, EntityKind, Error, Result};
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

/// Entities analysed together (in parallel) before being written.
const BATCH: usize = 512;
/// Bytes of (term, name id) pairs kept in memory before a sorted run is spilled to disk.
const RUN_BUDGET: usize = 96 << 20;
/// Longest joined (two adjacent tokens) term indexed.
const MAX_JOINED_LEN: usize = 40;
/// Prefix of phonetic keys in the KEYS FST.
pub(crate) const PHONETIC_PREFIX: u8 = b'p';
/// Posting lists of at least this many names are stored once for all the terms and keys that have them.
pub(crate) const SHARED_LIST_LEN: usize = 64;
/// Marker byte, in run files, of an entry of the TERMS FST (`b'k'` for the KEYS FST).
const TERM_MARK: u8 = b't';
const KEY_MARK: u8 = b'k';
/// Marker byte of a deletion variant in typo runs.
const TYPO_MARK: u8 = b'y';

/// What a build produced: counts, sources and the warnings of the list readers.
#[derive(Debug, Clone, serde::Serialize)]
pub struct BuildReport {
    /// The index file written.
    pub path: PathBuf,
    /// Header metadata of the new index.
    pub info: IndexInfo,
    /// Problems reported by the list readers (malformed records) and by the builder (duplicate ids).
    pub warnings: Vec<ListWarning>,
}

/// The terms and keys one analysed name is indexed under, each with the position of its token (see
/// [`format::posting_entry`]; `joined` for the concatenation of the tokens at `pos` and `pos + 1`, or
/// of the last token and the first, see below).
pub(crate) fn name_terms(name: &Name, mut emit: impl FnMut(u8, &[u8], usize, bool)) {
    for (pos, t) in name.tokens.iter().enumerate() {
        for (i, k) in std::iter::once(&t.text).chain(&t.alternates).chain(&t.keys).enumerate() {
            // Each distinct form once per token.
            let seen = std::iter::once(&t.text).chain(&t.alternates).chain(&t.keys).take(i).any(|x| x == k);
            if !k.is_empty() && !seen {
                emit(TERM_MARK, k.as_bytes(), pos, false);
            }
        }
    }
    let tokens = &name.tokens;
    // (first token, second token, position marked) of each joined pair: adjacent tokens; and the last
    // token joined to the first, a surname the list writes first (`KALED, Belkasam` is read `belkasam
    // kaled`) joined to the given name that followed it, if both are name words (as the scorer joins
    // them). Two tokens are marked as the pair they are; more at the last position only (the first's
    // bit is not set: estimates may count it twice, never miss it).
    let n = tokens.len();
    let adjacent = (1..n).map(|b| (b - 1, b, b - 1));
    let wrap = (n >= 2 && freely_joinable(&tokens[0]) && freely_joinable(&tokens[n - 1]))
        .then(|| (n - 1, 0, if n == 2 { 0 } else { n - 1 }));
    let mut buf = Vec::with_capacity(32);
    for (a, b, pos) in adjacent.chain(wrap) {
        let (a, b) = (&tokens[a].text, &tokens[b].text);
        if !a.is_empty() && !b.is_empty() && a.len() + b.len() <= MAX_JOINED_LEN {
            buf.clear();
            buf.extend_from_slice(a.as_bytes());
            buf.extend_from_slice(b.as_bytes());
            emit(TERM_MARK, &buf, pos, true);
        }
    }
    // The scorer credits a phonetic match only between tokens of the same tag; name words are the only
    // ones worth it.
    for (pos, t) in name.tokens.iter().enumerate().filter(|(_, t)| t.tag == crate::text::TokenTag::Name) {
        if t.phonetic.len() >= 2 {
            buf.clear();
            buf.push(PHONETIC_PREFIX);
            buf.extend_from_slice(t.phonetic.as_bytes());
            emit(KEY_MARK, &buf, pos, false);
        }
    }
}

/// The analysis kind for an entity's names.
pub(crate) fn name_kind_of(kind: EntityKind) -> NameKind {
    match kind {
        EntityKind::Individual => NameKind::Person,
        EntityKind::Entity | EntityKind::Vessel | EntityKind::Aircraft => NameKind::Entity,
        EntityKind::Unknown => NameKind::Unknown,
    }
}

/// The text of one entity name (the parts joined when the full text is empty).
fn name_text(n: &EntityName) -> String {
    if !n.full.trim().is_empty() {
        return n.full.clone();
    }
    [&n.given, &n.middle, &n.family].iter().filter_map(|p| p.as_deref()).collect::<Vec<_>>().join(" ")
}

/// An entity's analysed names.
type Analysed<'a> = Vec<(Name, &'a EntityName)>;

/// The entity store record of an entity (see [`format::encode_entity`]). The raw record is written apart
/// from the rest, so a hit copies it without parsing the entity; it is taken out of `e` while the rest is
/// serialised and put back.
fn entity_record(e: &mut Entity) -> Vec<u8> {
    let raw = std::mem::take(&mut e.raw);
    let json = serde_json::to_vec(&*e).unwrap_or_default();
    let raw_json = serde_json::to_vec(&raw).unwrap_or_default();
    e.raw = raw;
    let dates: Vec<_> = e.dates_of_birth.iter().map(|d| d.date()).collect();
    let mut record = Vec::with_capacity(json.len() + raw_json.len() + 64);
    format::encode_entity(&mut record, e.names.iter().map(|n| n.full.as_str()), &dates, &json, &raw_json);
    record
}

/// Sorted (term, name id) pairs, in memory, before they are spilled as a run.
#[derive(Default)]
struct PairBuffer {
    /// Each key as its length (varint) and bytes; the first key byte is the TERM/KEY mark.
    arena: Vec<u8>,
    entries: Vec<Pair>,
}

/// One pair of a [`PairBuffer`]. Sorting compares the keys' first eight bytes without reading the
/// arena, and reads it only when they are equal: the 3.4 million typo pairs of the bundled lists sort
/// in 0.16–0.19 s instead of 0.55 s.
#[derive(Clone, Copy)]
struct Pair {
    /// The key's first eight bytes, big-endian, zero-padded: ordered as the keys are wherever they
    /// differ.
    head: u64,
    /// Where the key's length starts in the arena.
    off: u32,
    id: u32,
}

impl PairBuffer {
    fn push(&mut self, mark: u8, key: &[u8], name: u32) {
        let off = self.arena.len() as u32;
        put_varint(&mut self.arena, key.len() as u64 + 1);
        let start = self.arena.len();
        self.arena.push(mark);
        self.arena.extend_from_slice(key);
        let mut head = [0u8; 8];
        let n = (key.len() + 1).min(8);
        head[..n].copy_from_slice(&self.arena[start..start + n]);
        self.entries.push(Pair { head: u64::from_be_bytes(head), off, id: name });
    }

    fn bytes(&self) -> usize {
        self.arena.len() + self.entries.len() * std::mem::size_of::<Pair>()
    }

    fn key(&self, e: &Pair) -> &[u8] {
        key_at(&self.arena, e.off)
    }

    /// Sorts the pairs by key, then id.
    fn sort(&mut self) {
        let arena = &self.arena;
        self.entries.par_sort_unstable_by(|a, b| {
            a.head.cmp(&b.head).then_with(|| key_at(arena, a.off).cmp(key_at(arena, b.off))).then(a.id.cmp(&b.id))
        });
    }

    /// Sorts the pairs and calls `f` once per distinct key, in order, with its ascending, deduplicated
    /// ids, as [`merge_sorted`] does for run files.
    fn for_each_key(&mut self, mut f: impl FnMut(&[u8], &mut Vec<u32>) -> Result<()>) -> Result<()> {
        self.sort();
        let mut ids: Vec<u32> = Vec::new();
        let mut start = 0;
        while start < self.entries.len() {
            let (head, key) = (self.entries[start].head, self.key(&self.entries[start]));
            let same = |e: &&Pair| e.head == head && self.key(e) == key;
            let end = start + self.entries[start..].iter().take_while(same).count();
            ids.clear();
            ids.extend(self.entries[start..end].iter().map(|e| e.id));
            ids.dedup();
            f(key, &mut ids)?;
            start = end;
        }
        Ok(())
    }

    /// Sorts and writes the pairs as a run file; clears the buffer.
    fn spill(&mut self, path: &Path) -> Result<()> {
        self.sort();
        let mut w = BufWriter::with_capacity(1 << 20, File::create(path).map_err(|e| Error::io(path, e))?);
        let mut rec = Vec::with_capacity(64);
        for e in &self.entries {
            rec.clear();
            let k = self.key(e);
            put_varint(&mut rec, k.len() as u64);
            rec.extend_from_slice(k);
            put_varint(&mut rec, u64::from(e.id));
            w.write_all(&rec).map_err(|e| Error::io(path, e))?;
        }
        w.flush().map_err(|e| Error::io(path, e))?;
        self.arena.clear();
        self.entries.clear();
        Ok(())
    }
}

/// The key written at `off` in a [`PairBuffer`]'s arena (after its length).
fn key_at(arena: &[u8], off: u32) -> &[u8] {
    let mut r = format::Reader::new(arena.get(off as usize..).unwrap_or_default());
    let len = r.varint().unwrap_or(0) as usize;
    r.bytes(len).unwrap_or_default()
}

/// A stream of (key, id) pairs written as sorted run files in a work directory (`<prefix>-<n>`): the
/// buffer is spilled whenever it passes [`RUN_BUDGET`], so that memory stays bounded, and
/// [`merge`](Runs::merge) reads the pairs back in order.
struct Runs {
    pairs: PairBuffer,
    paths: Vec<PathBuf>,
    dir: PathBuf,
    prefix: &'static str,
    /// Bytes of pairs kept in memory before a run is spilled ([`RUN_BUDGET`]).
    budget: usize,
}

impl Runs {
    fn new(dir: &Path, prefix: &'static str) -> Runs {
        Runs { pairs: PairBuffer::default(), paths: Vec::new(), dir: dir.to_path_buf(), prefix, budget: RUN_BUDGET }
    }

    fn push(&mut self, mark: u8, key: &[u8], id: u32) {
        self.pairs.push(mark, key, id);
    }

    /// Spills the buffer if it has reached its budget.
    fn spill_if_full(&mut self) -> Result<()> {
        if self.pairs.bytes() >= self.budget {
            self.spill()?;
        }
        Ok(())
    }

    fn spill(&mut self) -> Result<()> {
        let path = self.dir.join(format!("{}-{}", self.prefix, self.paths.len()));
        self.pairs.spill(&path)?;
        self.paths.push(path);
        Ok(())
    }

    /// Calls `f` once per distinct key, in order, with its ascending, deduplicated ids, and frees the
    /// buffer. When no run was spilled (every pair fitted in memory), the pairs are sorted and read
    /// where they are; otherwise the rest is spilled too and the run files are merged.
    fn merge(&mut self, f: impl FnMut(&[u8], &mut Vec<u32>) -> Result<()>) -> Result<()> {
        if self.paths.is_empty() {
            return std::mem::take(&mut self.pairs).for_each_key(f);
        }
        if !self.pairs.entries.is_empty() {
            self.spill()?;
        }
        self.pairs = PairBuffer::default();
        merge_sorted(&self.paths, f)
    }
}

/// One spilled, sorted run being merged.
struct Run {
    reader: BufReader<File>,
    path: PathBuf,
}

impl Run {
    fn varint(&mut self) -> Result<Option<u64>> {
        let mut v = 0u64;
        let mut shift = 0;
        loop {
            let mut b = [0u8; 1];
            match self.reader.read(&mut b) {
                Ok(0) if shift == 0 => return Ok(None),
                Ok(0) => return Err(Error::Internal(format!("{}: truncated run", self.path.display()))),
                Ok(_) => {}
                Err(e) => return Err(Error::io(&self.path, e)),
            }
            v |= u64::from(b[0] & 0x7f) << shift;
            if b[0] & 0x80 == 0 {
                return Ok(Some(v));
            }
            shift += 7;
            if shift > 63 {
                return Err(Error::Internal(format!("{}: bad varint in run", self.path.display())));
            }
        }
    }

    fn next(&mut self) -> Result<Option<(Vec<u8>, u32)>> {
        let Some(len) = self.varint()? else { return Ok(None) };
        let mut key = vec![0u8; len as usize];
        self.reader.read_exact(&mut key).map_err(|e| Error::io(&self.path, e))?;
        let id = self.varint()?.ok_or_else(|| Error::Internal("truncated run".into()))?;
        Ok(Some((key, id as u32)))
    }
}

/// A file being written sequentially, with its length.
struct Spill {
    path: PathBuf,
    w: BufWriter<File>,
    len: u64,
}

impl Spill {
    fn create(path: PathBuf) -> Result<Spill> {
        let f = File::create(&path).map_err(|e| Error::io(&path, e))?;
        Ok(Spill { path, w: BufWriter::with_capacity(1 << 20, f), len: 0 })
    }

    fn write(&mut self, b: &[u8]) -> Result<()> {
        self.w.write_all(b).map_err(|e| Error::io(&self.path, e))?;
        self.len += b.len() as u64;
        Ok(())
    }

    fn finish(mut self) -> Result<PathBuf> {
        self.w.flush().map_err(|e| Error::io(&self.path, e))?;
        Ok(self.path)
    }
}

/// Streaming index writer: [`new`](IndexBuilder::new) → [`add`](IndexBuilder::add) each entity →
/// [`finish`](IndexBuilder::finish).
///
/// Memory stays bounded whatever the number of entities: records are spilled to temporary files next to
/// the output as they arrive, and inverted-index pairs are sorted in runs of at most ~100 MB.
///
/// # Examples
///
/// ```
/// use saring::index::{Index, IndexBuilder};
/// use saring::model::{EntityName, NameQuality, NameType};
/// use saring::{Entity, EntityKind};
///
/// let dir = tempfile::tempdir().unwrap();
/// let path = dir.path().join("tiny.sidx");
/// let mut builder = IndexBuilder::new(&path).unwrap();
/// builder
///     .add(&Entity {
///         id: "X-1".into(),
///         kind: EntityKind::Individual,
///         names: vec![EntityName::new("KIM Kyong Ok", NameType::Primary, NameQuality::Strong)],
///         ..Default::default()
///     })
///     .unwrap();
/// let info = builder.finish().unwrap();
/// assert_eq!(info.entities, 1);
/// let index = Index::open(&path).unwrap();
/// assert_eq!(index.entity("X-1").unwrap().unwrap().primary_name(), "KIM Kyong Ok");
/// ```
pub struct IndexBuilder {
    out: PathBuf,
    work: PathBuf,
    pending: Vec<Entity>,
    entity_data: Spill,
    entity_offsets: Vec<u64>,
    fact_data: Spill,
    fact_offsets: Vec<u64>,
    name_data: Spill,
    name_offsets: Vec<u64>,
    name_info: Spill,
    /// The inverted index's (term or key, posting entry) pairs.
    runs: Runs,
    ids: Vec<(String, u32)>,
    seen_ids: HashSet<String>,
    sources: Vec<SourceInfo>,
    warnings: Vec<ListWarning>,
    finished: bool,
}

impl IndexBuilder {
    /// Starts an index that [`finish`](IndexBuilder::finish) will write to `path` (through a temporary
    /// file in the same directory, renamed into place).
    pub fn new(path: impl AsRef<Path>) -> Result<IndexBuilder> {
        let out = path.as_ref().to_path_buf();
        let dir = out.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new(".")).to_path_buf();
        let stamp = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default().as_nanos();
        let base = out.file_name().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "index".into());
        let work = dir.join(format!(".{base}.build-{}-{stamp}", std::process::id()));
        std::fs::create_dir_all(&work).map_err(|e| Error::io(&work, e))?;
        let runs = Runs::new(&work, "run");
        Ok(IndexBuilder {
            entity_data: Spill::create(work.join("entities"))?,
            fact_data: Spill::create(work.join("facts"))?,
            name_data: Spill::create(work.join("names"))?,
            name_info: Spill::create(work.join("nameinfo"))?,
            out,
            work,
            pending: Vec::with_capacity(BATCH),
            entity_offsets: Vec::new(),
            fact_offsets: Vec::new(),
            name_offsets: Vec::new(),
            runs,
            ids: Vec::new(),
            seen_ids: HashSet::new(),
            sources: Vec::new(),
            warnings: Vec::new(),
            finished: false,
        })
    }

    /// Records a source list (shown by `saring index info`, compared by list-change tools).
    pub fn add_source(&mut self, source: SourceInfo) {
        self.sources.push(source);
    }

    /// Adds one entity. An entity whose id was already added is skipped with a warning.
    pub fn add(&mut self, entity: &Entity) -> Result<()> {
        if !self.seen_ids.insert(entity.id.clone()) {
            self.warnings.push(ListWarning {
                file: self.out.clone(),
                line: 0,
                reason: format!("duplicate entity id {:?}: later record skipped", entity.id),
            });
            return Ok(());
        }
        self.pending.push(entity.clone());
        if self.pending.len() >= BATCH {
            self.flush()?;
        }
        Ok(())
    }

    /// Warnings so far (duplicate ids).
    pub fn warnings(&self) -> &[ListWarning] {
        &self.warnings
    }

    /// Analyses the pending entities in parallel and writes their records.
    fn flush(&mut self) -> Result<()> {
        let mut pending = std::mem::take(&mut self.pending);
        let records: Vec<Vec<u8>> = pending.par_iter_mut().map(entity_record).collect();
        let analysed: Vec<Analysed> = pending
            .par_iter()
            .map(|e| {
                let kind = name_kind_of(e.kind);
                e.names
                    .iter()
                    .map(|n| (analyze(&name_text(n), kind), n))
                    .filter(|(a, _)| !a.tokens.is_empty())
                    .collect()
            })
            .collect();
        let mut rec = Vec::with_capacity(256);
        for ((e, record), names) in pending.iter().zip(records).zip(analysed) {
            let number = u32::try_from(self.entity_offsets.len())
                .map_err(|_| Error::InvalidInput("more than 4 billion entities".into()))?;
            self.entity_offsets.push(self.entity_data.len);
            self.entity_data.write(&record)?;
            let first_name = self.name_offsets.len() as u32;
            for (name, en) in &names {
                let id = u32::try_from(self.name_offsets.len())
                    .map_err(|_| Error::InvalidInput("more than 4 billion names".into()))?;
                rec.clear();
                format::encode_name(&mut rec, number, en.name_type, en.quality, name);
                self.name_offsets.push(self.name_data.len);
                self.name_data.write(&rec)?;
                self.name_info.write(&name_info(number, name).encode())?;
                let runs = &mut self.runs;
                if id > format::MAX_NAME {
                    return Err(Error::InvalidInput(format!("more than {} names", format::MAX_NAME)));
                }
                name_terms(name, |mark, key, pos, joined| runs.push(mark, key, format::posting_entry(id, pos, joined)));
            }
            let facts = facts_of(e, first_name, names.len() as u32);
            rec.clear();
            format::encode_facts(&mut rec, &facts);
            self.fact_offsets.push(self.fact_data.len);
            self.fact_data.write(&rec)?;
            self.ids.push((e.id.clone(), number));
            self.runs.spill_if_full()?;
        }
        Ok(())
    }

    /// Writes the index file and returns its metadata.
    pub fn finish(mut self) -> Result<IndexInfo> {
        let result = self.finish_inner();
        self.finished = true;
        let _ = std::fs::remove_dir_all(&self.work);
        result
    }

    fn finish_inner(&mut self) -> Result<IndexInfo> {
        self.flush()?;
        let entity_count = self.entity_offsets.len() as u32;
        let name_count = self.name_offsets.len() as u32;
        let finish = |s: &mut Spill, work: &Path, name: &str| -> Result<(PathBuf, u64)> {
            let dummy = Spill::create(work.join(name))?;
            let s = std::mem::replace(s, dummy);
            let len = s.len;
            Ok((s.finish()?, len))
        };
        let (entity_path, entity_len) = finish(&mut self.entity_data, &self.work, "x1")?;
        let (fact_path, fact_len) = finish(&mut self.fact_data, &self.work, "x2")?;
        let (name_path, name_len) = finish(&mut self.name_data, &self.work, "x3")?;
        let (name_info_path, _) = finish(&mut self.name_info, &self.work, "x4")?;

        // Merge the runs into the two FSTs, the postings, the term table and the typo FST.
        let merged = self.merge_runs()?;
        let (terms, keys) = (merged.terms.clone(), merged.keys.clone());

        // Ids FST (sorted; ids are unique).
        let mut ids = std::mem::take(&mut self.ids);
        ids.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let mut idb = fst::MapBuilder::memory();
        for (id, n) in &ids {
            idb.insert(id.as_bytes(), u64::from(*n)).map_err(|e| Error::Internal(format!("ids fst: {e}")))?;
        }
        let ids_fst = idb.into_inner().map_err(|e| Error::Internal(format!("ids fst: {e}")))?;
        drop(ids);

        let build_time =
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
        let fingerprint = analysis_fingerprint();
        let mut info = IndexInfo {
            format_version: format::FORMAT_VERSION,
            build_time: super::iso_time(build_time),
            build_time_unix: build_time,
            saring_version: env!("CARGO_PKG_VERSION").to_string(),
            analysis_fingerprint: format!("{fingerprint:016x}"),
            entities: u64::from(entity_count),
            names: u64::from(name_count),
            terms: terms.1,
            phonetic_keys: keys.1,
            file_size: 0,
            sources: self.sources.clone(),
            warnings: self.warnings.len() as u64,
        };
        let meta = serde_json::to_vec(&info)?;

        let offsets_bytes = |v: &[u64], end: u64| -> Vec<u8> {
            let mut b = Vec::with_capacity((v.len() + 1) * 8);
            for o in v.iter().chain(std::iter::once(&end)) {
                b.extend_from_slice(&o.to_le_bytes());
            }
            b
        };
        enum Src {
            Mem(Vec<u8>),
            File(PathBuf),
        }
        let sections: Vec<(u32, Src)> = vec![
            (section::META, Src::Mem(meta)),
            (section::TERMS, Src::File(terms.0)),
            (section::KEYS, Src::File(keys.0)),
            (section::POSTINGS, Src::File(self.work.join("postings"))),
            (section::NAME_OFFSETS, Src::Mem(offsets_bytes(&self.name_offsets, name_len))),
            (section::NAME_DATA, Src::File(name_path)),
            (section::ENTITY_OFFSETS, Src::Mem(offsets_bytes(&self.entity_offsets, entity_len))),
            (section::ENTITY_DATA, Src::File(entity_path)),
            (section::FACT_OFFSETS, Src::Mem(offsets_bytes(&self.fact_offsets, fact_len))),
            (section::FACT_DATA, Src::File(fact_path)),
            (section::IDS, Src::Mem(ids_fst)),
            (section::NAME_INFO, Src::File(name_info_path)),
            (section::TERM_OFFSETS, Src::Mem(offsets_bytes(&merged.term_offsets, merged.term_data_len))),
            (section::TERM_DATA, Src::File(merged.term_data)),
            (section::TYPOS, Src::File(merged.typos)),
            (section::TYPO_LISTS, Src::File(merged.typo_lists)),
            (section::REVERSED, Src::File(merged.reversed)),
        ];

        let tmp = self.work.join("index.tmp");
        let mut f = BufWriter::with_capacity(1 << 20, File::create(&tmp).map_err(|e| Error::io(&tmp, e))?);
        let io = |e| Error::io(&tmp, e);
        let table_len = sections.len() * format::SECTION_ENTRY_LEN;
        f.write_all(&vec![0u8; HEADER_LEN + table_len]).map_err(io)?;
        let mut pos = (HEADER_LEN + table_len) as u64;
        let mut hasher = xxhash_rust::xxh3::Xxh3::new();
        let mut entries = Vec::new();
        let mut buf = vec![0u8; 1 << 20];
        for (id, src) in &sections {
            let start = pos;
            match src {
                Src::Mem(b) => {
                    f.write_all(b).map_err(io)?;
                    hasher.update(b);
                    pos += b.len() as u64;
                }
                Src::File(p) => {
                    let mut r = File::open(p).map_err(|e| Error::io(p, e))?;
                    loop {
                        let n = r.read(&mut buf).map_err(|e| Error::io(p, e))?;
                        if n == 0 {
                            break;
                        }
                        f.write_all(&buf[..n]).map_err(io)?;
                        hasher.update(&buf[..n]);
                        pos += n as u64;
                    }
                }
            }
            entries.push(SectionEntry { id: *id, offset: start, len: pos - start });
        }
        let mut table = Vec::with_capacity(table_len);
        for e in &entries {
            table.extend_from_slice(&e.encode());
        }
        // The checksum covers everything after the header: the table, then the sections.
        let mut full = xxhash_rust::xxh3::Xxh3::new();
        full.update(&table);
        let sections_digest = hasher.digest();
        full.update(&sections_digest.to_le_bytes());
        let header = format::Header {
            version: format::FORMAT_VERSION,
            section_count: entries.len() as u32,
            file_len: pos,
            checksum: full.digest(),
            build_time,
            entities: entity_count,
            names: name_count,
            terms: terms.1 as u32,
            analysis_fingerprint: fingerprint,
        };
        let mut hb = header.encode();
        let crc = format::header_crc(&hb, &table);
        hb[60..64].copy_from_slice(&crc.to_le_bytes());
        let mut file = f.into_inner().map_err(|e| Error::io(&tmp, e.into_error()))?;
        file.seek(SeekFrom::Start(0)).map_err(io)?;
        file.write_all(&hb).map_err(io)?;
        file.write_all(&table).map_err(io)?;
        file.sync_all().map_err(io)?;
        drop(file);
        std::fs::rename(&tmp, &self.out).map_err(|e| Error::io(&self.out, e))?;
        info.file_size = pos;
        Ok(info)
    }

    /// Merges the sorted runs into the TERMS and KEYS FSTs, the postings and the term table, collecting
    /// the terms' deletion variants on the way; then merges those into the TYPOS FST and its lists.
    fn merge_runs(&mut self) -> Result<Merged> {
        let work = self.work.clone();
        let fst_err = |e: fst::Error| Error::Internal(format!("fst: {e}"));
        let create = |name: &str| -> Result<(PathBuf, BufWriter<File>)> {
            let path = work.join(name);
            let f = File::create(&path).map_err(|e| Error::io(&path, e))?;
            Ok((path, BufWriter::with_capacity(1 << 20, f)))
        };
        let (terms_path, w) = create("terms.fst")?;
        let mut terms = fst::MapBuilder::new(w).map_err(fst_err)?;
        let (keys_path, w) = create("keys.fst")?;
        let mut keys = fst::MapBuilder::new(w).map_err(fst_err)?;
        let mut postings = Spill::create(work.join("postings"))?;
        let mut term_data = Spill::create(work.join("termdata"))?;
        let mut term_offsets: Vec<u64> = Vec::new();
        let mut typo_runs = Runs::new(&work, "typo-run");
        let mut reversed_runs = Runs::new(&work, "reversed-run");
        let mut backwards = Vec::new();
        let (mut nterms, mut nkeys) = (0u64, 0u64);
        let mut rec = Vec::new();
        // Long lists are stored once: a phonetic or variant key whose words are one term's has the
        // term's list, and a query that reaches both then reads it once (xxh3-128 of the encoded list).
        let mut stored: HashMap<u128, u64> = HashMap::new();
        self.runs.merge(|key, ids| {
            rec.clear();
            put_postings(&mut rec, ids);
            let hash = (ids.len() >= SHARED_LIST_LEN).then(|| xxhash_rust::xxh3::xxh3_128(&rec));
            let offset = match hash.and_then(|h| stored.get(&h)) {
                Some(&offset) => offset,
                None => {
                    let offset = postings.len;
                    postings.write(&rec)?;
                    if let Some(h) = hash {
                        stored.insert(h, offset);
                    }
                    offset
                }
            };
            let (mark, k) = key.split_first().ok_or_else(|| Error::Internal("empty key".into()))?;
            if *mark == TERM_MARK {
                terms.insert(k, offset).map_err(fst_err)?;
                let ordinal =
                    u32::try_from(nterms).map_err(|_| Error::InvalidInput("more than 4 billion terms".into()))?;
                nterms += 1;
                term_offsets.push(term_data.len);
                rec.clear();
                format::encode_term(&mut rec, offset, k);
                term_data.write(&rec)?;
                if typo::reversible(k) {
                    backwards.clear();
                    backwards.extend(k.iter().rev());
                    reversed_runs.push(TERM_MARK, &backwards, ordinal);
                    reversed_runs.spill_if_full()?;
                }
                if typo::eligible(k) {
                    typo::deletion_variants(k, |v| typo_runs.push(TYPO_MARK, v, ordinal));
                    typo::skeleton_key(k, |v| {
                        typo_runs.push(TYPO_MARK, v, ordinal);
                        typo::shorter_marked(v, |marked| {
                            typo::shorter_skeleton_keys(marked, |s| typo_runs.push(TYPO_MARK, s, ordinal))
                        });
                    });
                    typo_runs.spill_if_full()?;
                }
            } else {
                keys.insert(k, offset).map_err(fst_err)?;
                nkeys += 1;
            }
            Ok(())
        })?;
        postings.finish()?;
        let term_data_len = term_data.len;
        let term_data = term_data.finish()?;
        terms.finish().map_err(fst_err)?;
        keys.finish().map_err(fst_err)?;

        let (typos_path, w) = create("typos.fst")?;
        let mut typos = fst::MapBuilder::new(w).map_err(fst_err)?;
        let mut lists = Spill::create(work.join("typolists"))?;
        typo_runs.merge(|key, ids| {
            let value = if let [one] = ids.as_slice() {
                u64::from(*one) << 1 | 1
            } else {
                let offset = lists.len;
                rec.clear();
                put_postings(&mut rec, ids);
                lists.write(&rec)?;
                offset << 1
            };
            typos.insert(key.get(1..).unwrap_or_default(), value).map_err(fst_err)
        })?;
        typos.finish().map_err(fst_err)?;
        let typo_lists = lists.finish()?;

        // Terms are unique, and so are their backward spellings: one ordinal each.
        let (reversed_path, w) = create("reversed.fst")?;
        let mut reversed = fst::MapBuilder::new(w).map_err(fst_err)?;
        reversed_runs.merge(|key, ids| {
            let ordinal =
                ids.first().copied().ok_or_else(|| Error::Internal("reversed term without ordinal".into()))?;
            reversed.insert(key.get(1..).unwrap_or_default(), u64::from(ordinal)).map_err(fst_err)
        })?;
        reversed.finish().map_err(fst_err)?;
        Ok(Merged {
            terms: (terms_path, nterms),
            keys: (keys_path, nkeys),
            term_offsets,
            term_data,
            term_data_len,
            typos: typos_path,
            typo_lists,
            reversed: reversed_path,
        })
    }
}

/// What [`IndexBuilder::merge_runs`] wrote.
struct Merged {
    /// TERMS FST file and term count.
    terms: (PathBuf, u64),
    /// KEYS FST file and key count.
    keys: (PathBuf, u64),
    term_offsets: Vec<u64>,
    term_data: PathBuf,
    term_data_len: u64,
    typos: PathBuf,
    typo_lists: PathBuf,
    /// REVERSED FST file.
    reversed: PathBuf,
}

/// K-way merges sorted runs, calling `f` once per distinct key with its ascending, deduplicated ids.
fn merge_sorted(paths: &[PathBuf], mut f: impl FnMut(&[u8], &mut Vec<u32>) -> Result<()>) -> Result<()> {
    use std::cmp::Reverse;
    use std::collections::BinaryHeap;
    let mut runs = Vec::new();
    for p in paths {
        let file = File::open(p).map_err(|e| Error::io(p, e))?;
        runs.push(Run { reader: BufReader::with_capacity(1 << 18, file), path: p.clone() });
    }
    let mut heap = BinaryHeap::new();
    for (i, r) in runs.iter_mut().enumerate() {
        if let Some((k, id)) = r.next()? {
            heap.push(Reverse((k, id, i)));
        }
    }
    let mut current: Option<Vec<u8>> = None;
    let mut ids: Vec<u32> = Vec::new();
    while let Some(Reverse((k, id, i))) = heap.pop() {
        if let Some((nk, nid)) = runs[i].next()? {
            heap.push(Reverse((nk, nid, i)));
        }
        if current.as_deref() != Some(k.as_slice()) {
            if let Some(c) = current.take() {
                ids.dedup();
                f(&c, &mut ids)?;
                ids.clear();
            }
            current = Some(k);
        }
        ids.push(id);
    }
    if let Some(c) = current.take() {
        ids.dedup();
        f(&c, &mut ids)?;
    }
    Ok(())
}

/// The `NAME_INFO` entry of an analysed name: its entity, total token weight, and what leaving all of
/// its tokens unmatched would cost as a candidate (no conflict).
pub(crate) fn name_info(entity: u32, name: &Name) -> NameInfo {
    let costs = crate::score::miss_costs(false);
    let tokens: Vec<(f32, f32, bool)> = name
        .tokens
        .iter()
        .map(|t| (t.weight, crate::score::miss_cost(t, costs.candidate, costs.floor), t.tag.is_name_word_or_number()))
        .collect();
    NameInfo::new(entity, &tokens)
}

impl Drop for IndexBuilder {
    fn drop(&mut self) {
        if !self.finished {
            let _ = std::fs::remove_dir_all(&self.work);
        }
    }
}

/// The facts of an entity that screening needs without decoding its record.
fn facts_of(e: &Entity, first_name: u32, name_count: u32) -> Facts {
    let hash = u64::from_str_radix(&e.content_hash(), 16).unwrap_or(0);
    let mut nationalities: Vec<String> = Vec::new();
    for c in e.nationalities.iter().chain(&e.citizenships) {
        let c = c.trim().to_ascii_uppercase();
        if !c.is_empty() && !nationalities.contains(&c) {
            nationalities.push(c);
        }
    }
    let mut address_countries: Vec<String> = Vec::new();
    for c in e.addresses.iter().filter_map(|a| a.country.as_deref()) {
        let c = c.trim().to_ascii_uppercase();
        if !c.is_empty() && !address_countries.contains(&c) {
            address_countries.push(c);
        }
    }
    Facts {
        hash,
        publisher: e.publisher,
        kind: e.kind,
        gender: e.gender,
        first_name,
        name_count,
        dates: e.dates_of_birth.clone(),
        nationalities,
        address_countries,
        id: e.id.clone(),
        list: e.list.clone(),
    }
}

/// A hash of a list source's contents (a file, or every file of a directory such as an OFAC CSV set).
pub fn source_hash(path: &Path) -> Result<String> {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    let mut files = Vec::new();
    if path.is_dir() {
        for e in std::fs::read_dir(path).map_err(|e| Error::io(path, e))? {
            let e = e.map_err(|e| Error::io(path, e))?;
            if e.path().is_file() {
                files.push(e.path());
            }
        }
        files.sort();
    } else {
        files.push(path.to_path_buf());
    }
    let mut buf = vec![0u8; 1 << 16];
    for f in files {
        if path.is_dir() {
            h.update(f.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default().as_bytes());
        }
        let mut r = File::open(&f).map_err(|e| Error::io(&f, e))?;
        loop {
            let n = r.read(&mut buf).map_err(|e| Error::io(&f, e))?;
            if n == 0 {
                break;
            }
            h.update(&buf[..n]);
        }
    }
    Ok(format!("{:016x}", h.digest()))
}

/// Builds one index file at `out` from list files and directories (formats detected; directories
/// expanded with [`lists::discover`]).
///
/// Records the lists' warnings (malformed records) in the report; a file that is not a list at all is an
/// error.
pub fn build_from_lists(paths: &[PathBuf], out: &Path) -> Result<BuildReport> {
    let mut sources = Vec::new();
    for p in paths {
        sources.extend(lists::discover(p)?);
    }
    // The index is renamed over its path at the end: that path must not be one of the lists.
    let reads: Vec<_> = sources.iter().map(|s| ("a list file", s.clone())).collect();
    crate::files::distinct_files(&reads, &[("the index file", out.to_path_buf())])?;
    let mut builder = IndexBuilder::new(out)?;
    let mut warnings = Vec::new();
    for source in sources {
        let reader = lists::open(&source)?;
        let info = reader.info.clone();
        let mut entities = 0u64;
        let mut source_warnings = 0u64;
        for ev in reader {
            match ev? {
                ListEvent::Entity(e) => {
                    entities += 1;
                    builder.add(&e)?;
                }
                ListEvent::Warning(w) => {
                    source_warnings += 1;
                    warnings.push(w);
                }
            }
        }
        builder.add_source(SourceInfo {
            path: source.display().to_string(),
            format: serde_json::to_value(info.format)
                .ok()
                .and_then(|v| v.as_str().map(String::from))
                .unwrap_or_default(),
            publisher: info.publisher,
            publication_date: info.publication_date,
            file_hash: source_hash(&source)?,
            entities,
            warnings: source_warnings,
        });
    }
    warnings.extend(builder.warnings().iter().cloned());
    let info = builder.finish()?;
    Ok(BuildReport { path: out.to_path_buf(), info, warnings })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A key and its ids, as `Runs::merge` gives them.
    type Group = (Vec<u8>, Vec<u32>);

    /// The groups `Runs::merge` gives for these pairs with this budget, and how many runs were spilled.
    fn merged(pairs: &[(&[u8], u32)], budget: usize) -> (Vec<Group>, usize) {
        let dir = tempfile::tempdir().unwrap();
        let mut runs = Runs::new(dir.path(), "run");
        runs.budget = budget;
        for &(key, id) in pairs {
            runs.push(TERM_MARK, key, id);
            runs.spill_if_full().unwrap();
        }
        let spilled = runs.paths.len();
        let mut out = Vec::new();
        runs.merge(|key, ids| {
            out.push((key.to_vec(), ids.clone()));
            Ok(())
        })
        .unwrap();
        (out, spilled)
    }

    #[test]
    fn pairs_merge_the_same_from_memory_and_from_spilled_runs() {
        // Keys sharing prefixes (of eight bytes and more with the mark), of one to eleven bytes, an empty
        // one, one ending in a zero byte, ids repeated and out of order.
        let mut pairs: Vec<(&[u8], u32)> = Vec::new();
        let keys: [&[u8]; 10] =
            [b"abdul", b"abd", b"", b"abdulrahman", b"a", b"zz", b"abd\0", b"abdullahi", b"ab", b"abdulrahim"];
        for i in 0..200u32 {
            pairs.push((keys[(i * 7 % 10) as usize], i % 13));
        }
        let (in_memory, none) = merged(&pairs, RUN_BUDGET);
        let (from_runs, spilled) = merged(&pairs, 64);
        assert_eq!(none, 0);
        assert!(spilled > 10, "{spilled}");
        assert_eq!(in_memory, from_runs);
        // Every key once, in byte order, with its ids ascending and distinct.
        let mut want: Vec<Group> = Vec::new();
        for k in keys {
            let mut key = vec![TERM_MARK];
            key.extend_from_slice(k);
            let mut ids: Vec<u32> = pairs.iter().filter(|p| p.0 == k).map(|p| p.1).collect();
            ids.sort_unstable();
            ids.dedup();
            want.push((key, ids));
        }
        want.sort();
        assert_eq!(in_memory, want);
    }
}
