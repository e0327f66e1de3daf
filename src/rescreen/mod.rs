//! Bulk and delta rescreening of whole customer bases.
//!
//! A [`Job`] streams a customer file ([`customers`]: CSV or JSON lines) in chunks of
//! [`Job::chunk_size`] rows; each chunk is screened in parallel (rayon) while the next one is read, and
//! its hits are written in input order, one line per (customer, hit) ([`output`]). Memory is bounded by
//! the chunk size, whatever the file size. Malformed rows go to a reject file with their line number and
//! reason; rows read = rows screened + rows rejected, always.
//!
//! After every chunk the output is `fsync`ed and a [`checkpoint`] records what is committed, so a
//! killed run resumes with [`Job::resume`] and ends with the same bytes as an uninterrupted run.
//!
//! **Delta rescreening** ([`delta`]): after a list update, [`Delta`] restricts hits to entities added or
//! changed in the new index. The customers are screened normally and only hits on those entities are
//! kept — simple, and exactly equal to a full run's hits restricted to them (the same query against the
//! same index). Previous hits (a prior run's output) on removed entities are reported as resolved.
//!
//! **Dispositions** ([`dispositions`]): cleared hits are suppressed while the entity is unchanged.
//!
//! The engine only needs a [`Screener`]: the [`Index`] is one, and tests use others.
//!
//! ```no_run
//! use saring::index::Index;
//! use saring::rescreen::Job;
//! use std::path::Path;
//!
//! let index = Index::open(Path::new("lists.idx")).unwrap();
//! let mut job = Job::new("customers.csv");
//! job.out = Some("hits.jsonl".into());
//! let summary = job.run(&index, &mut |_| {}).unwrap();
//! assert_eq!(summary.counters.rows_read, summary.counters.rows_screened + summary.counters.rows_rejected);
//! ```

pub mod checkpoint;
pub mod customers;
pub mod delta;
pub mod dispositions;
pub mod output;

pub use delta::{diff, Change, IndexDiff};
pub use output::OutputFormat;

use crate::files::Described;
use crate::index::{Index, ScreenOptions};
use crate::screen::{Hit, NameCache, NameCaches, Query};
use crate::{Error, Result};
use checkpoint::{Checkpoint, InputIdentity, CHECKPOINT_VERSION};
use customers::{Customer, CustomerReader, CustomerRow, Reject};
use dispositions::{Dispositions, Verdict};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Anything that screens one query: the [`Index`], or a stand-in in tests.
pub trait Screener: Sync {
    /// Hits for one query, best first. An error that [`Error::is_user_error`] says is the query's fault
    /// rejects that customer row; any other error stops the run.
    fn screen(&self, query: &Query) -> Result<Vec<Hit>>;

    /// [`Screener::screen`] for one customer of a run, with the name-level work the worker thread keeps
    /// for the run ([`NameCache`]: customers who share a name share it). By default the cache is not
    /// used.
    fn screen_in_run(&self, query: &Query, cache: &mut NameCache) -> Result<Vec<Hit>> {
        let _ = cache;
        self.screen(query)
    }
}

impl Screener for Index {
    fn screen(&self, query: &Query) -> Result<Vec<Hit>> {
        Ok(Index::screen(self, query)?.results)
    }

    fn screen_in_run(&self, query: &Query, cache: &mut NameCache) -> Result<Vec<Hit>> {
        Ok(Index::screen_cached(self, query, cache)?.results)
    }
}

/// An [`Index`] screened with other candidate-generation options than the default, such as
/// [`ScreenOptions::thorough`].
///
/// ```no_run
/// use saring::index::{Index, ScreenOptions};
/// use saring::rescreen::{IndexWith, Job};
/// let index = Index::open_bundled()?;
/// let thorough = IndexWith { index: &index, options: ScreenOptions::thorough() };
/// let summary = Job::new("customers.csv").run(&thorough, &mut |_| {})?;
/// println!("{} hits", summary.counters.hits);
/// # Ok::<(), saring::Error>(())
/// ```
pub struct IndexWith<'a> {
    /// The index screened.
    pub index: &'a Index,
    /// The options every customer is screened with.
    pub options: ScreenOptions,
}

impl Screener for IndexWith<'_> {
    fn screen(&self, query: &Query) -> Result<Vec<Hit>> {
        Ok(self.index.screen_with(query, &self.options)?.results)
    }

    fn screen_in_run(&self, query: &Query, cache: &mut NameCache) -> Result<Vec<Hit>> {
        Ok(self.index.screen_cached_with(query, &self.options, cache)?.results)
    }
}

/// Default rows per chunk: large enough to keep both cores busy, small enough to bound memory.
pub const DEFAULT_CHUNK_SIZE: usize = 4096;

/// A delta run's restriction: screen only against changed entities, resolve hits on removed ones.
#[derive(Debug, Clone, Default)]
pub struct Delta {
    /// Entities added or changed in the new index; only hits on these are kept.
    pub screen: HashMap<String, Change>,
    /// Entities removed from the new index.
    pub removed: HashSet<String>,
    /// The previous run's output (JSON lines): its hits on removed entities are written as resolved.
    pub previous: Option<PathBuf>,
}

impl Delta {
    /// A delta from an index diff.
    pub fn new(diff: &IndexDiff, previous: Option<PathBuf>) -> Delta {
        Delta { screen: diff.screen_set(), removed: diff.removed_set(), previous }
    }

    fn fingerprint(&self) -> Result<u64> {
        let mut ids: Vec<String> = self.screen.iter().map(|(id, c)| format!("{c:?}\u{1}{id}")).collect();
        ids.extend(self.removed.iter().map(|id| format!("Removed\u{1}{id}")));
        ids.sort();
        let mut text = ids.join("\n");
        if let Some(p) = &self.previous {
            let id = InputIdentity::of(p)?;
            text.push_str(&format!("\nprevious {} {} {}", id.size, id.modified_secs, id.head_hash));
        }
        Ok(xxhash_rust::xxh3::xxh3_64(text.as_bytes()))
    }
}

/// A rescreening run: input, output, options.
#[derive(Debug, Clone)]
pub struct Job {
    /// The customer file (CSV with a header, or JSON lines).
    pub customers: PathBuf,
    /// The output file; `None` writes to standard output (then the run cannot be resumed).
    pub out: Option<PathBuf>,
    /// The reject file; default `<out>.rejects.jsonl` (or `<customers>.rejects.jsonl` without `out`).
    pub rejects: Option<PathBuf>,
    /// JSON lines (default) or CSV.
    pub format: OutputFormat,
    /// Drop hits below this score (default: the screener's lower threshold).
    pub threshold: Option<f64>,
    /// Rows read, screened and committed at a time.
    pub chunk_size: usize,
    /// Continue a killed run from its checkpoint (starts afresh when there is none).
    pub resume: bool,
    /// Restrict to a list delta.
    pub delta: Option<Delta>,
    /// Suppress cleared hits, mark confirmed ones.
    pub dispositions: Option<Dispositions>,
    /// Identity of the screener (e.g. the index file's hash), so resuming against another index fails.
    pub screener_fingerprint: String,
    /// Candidate names kept for each worker thread for customers who share a name ([`NameCaches`], 20
    /// bytes each, shared by the threads); 0 keeps no names (the threads still keep what they met of the
    /// entities). Results are the same either way.
    pub name_cache: usize,
}

impl Job {
    /// A job with default options, writing to standard output.
    pub fn new(customers: impl Into<PathBuf>) -> Job {
        Job {
            customers: customers.into(),
            out: None,
            rejects: None,
            format: OutputFormat::Jsonl,
            threshold: None,
            chunk_size: DEFAULT_CHUNK_SIZE,
            resume: false,
            delta: None,
            dispositions: None,
            screener_fingerprint: String::new(),
            name_cache: NameCache::DEFAULT_BUDGET,
        }
    }

    /// The reject file this job writes.
    pub fn rejects_path(&self) -> PathBuf {
        if let Some(r) = &self.rejects {
            return r.clone();
        }
        let base = self.out.as_ref().unwrap_or(&self.customers);
        let mut name = base.as_os_str().to_os_string();
        name.push(".rejects.jsonl");
        PathBuf::from(name)
    }

    /// The files the job reads and the files it writes, each with what it is (see
    /// [`distinct_files`](crate::files::distinct_files), which the run checks them with).
    pub fn files(&self) -> (Described, Described) {
        let mut reads = vec![("the customer file", self.customers.clone())];
        reads.extend(self.delta.as_ref().and_then(|d| d.previous.clone()).map(|p| ("the previous output", p)));
        let mut writes = vec![("the reject file", self.rejects_path())];
        if let Some(out) = &self.out {
            writes.push(("the output file", out.clone()));
            writes.push(("the checkpoint", Checkpoint::path_for(out)));
        }
        (reads, writes)
    }

    fn options_hash(&self) -> Result<String> {
        let delta = match &self.delta {
            Some(d) => d.fingerprint()?,
            None => 0,
        };
        let dispositions = self.dispositions.as_ref().map(|d| d.fingerprint()).unwrap_or(0);
        let text = format!(
            "format={:?} threshold={:?} screener={} delta={delta:x} dispositions={dispositions:x}",
            self.format, self.threshold, self.screener_fingerprint
        );
        Ok(format!("{:016x}", xxhash_rust::xxh3::xxh3_64(text.as_bytes())))
    }

    /// Runs the job; `progress` is called on the calling thread after each committed chunk.
    pub fn run<S: Screener + ?Sized>(&self, screener: &S, progress: &mut dyn FnMut(&Progress)) -> Result<Summary> {
        let started = Instant::now();
        if self.resume && self.out.is_none() {
            return Err(Error::InvalidInput("--resume needs an output file (--out)".into()));
        }
        if let Some(t) = self.threshold {
            if !(0.0..=100.0).contains(&t) {
                return Err(Error::InvalidInput(format!("threshold {t} is outside 0–100")));
            }
        }
        let chunk_size = self.chunk_size.max(1);
        let (reads, writes) = self.files();
        crate::files::distinct_files(&reads, &writes)?;
        let rejects_path = self.rejects_path();
        let checkpoint_path = self.out.as_deref().map(Checkpoint::path_for);
        let input = InputIdentity::of(&self.customers)?;
        let options_hash = self.options_hash()?;
        let mut reader = CustomerReader::open(&self.customers)?;

        let mut sink = Sink::open(self, &rejects_path, checkpoint_path.as_deref(), &input, &options_hash)?;
        let resumed_from_row = sink.checkpoint.as_ref().map(|c| c.rows_committed).unwrap_or(0);
        let mut counters = sink.checkpoint.as_ref().map(|c| c.counters.clone()).unwrap_or_default();
        if resumed_from_row > 0 {
            let skipped = reader.skip_rows(resumed_from_row)?;
            if skipped != resumed_from_row {
                return Err(Error::InvalidInput(format!(
                    "{}: the checkpoint says {resumed_from_row} rows were committed but the file has {skipped}; \
                     run without --resume to start over",
                    self.customers.display()
                )));
            }
        }
        let bytes_total = input.size;
        let mut session_rows = 0u64;
        let ctx = Context { job: self, screener, caches: NameCaches::for_current_pool(self.name_cache) };

        // A writer thread writes chunk k's lines and commits them (append, sync, checkpoint) while chunk
        // k + 1 is screened, so the pool does not wait for the disk; chunks are committed in order, one
        // at a time.
        let mut sink = std::thread::scope(|scope| -> Result<Sink> {
            let (to_writer, chunks) = std::sync::mpsc::sync_channel::<(Vec<RowOutcome>, Counters)>(1);
            let (ack, acks) = std::sync::mpsc::channel::<Result<()>>();
            let writer = scope.spawn(move || {
                for (rows, committed) in chunks {
                    let result = sink.commit(&rows, &committed);
                    let failed = result.is_err();
                    if ack.send(result).is_err() || failed {
                        break;
                    }
                }
                sink
            });
            let stopped = || Error::Internal("the rescreen writer stopped".into());
            // The progress of the chunk the writer holds, reported once it is committed.
            let mut in_flight: Option<Progress> = None;
            let mut settle = |in_flight: &mut Option<Progress>| -> Result<()> {
                if let Some(p) = in_flight.take() {
                    acks.recv().map_err(|_| stopped())??;
                    progress(&p);
                }
                Ok(())
            };
            let mut chunk = read_chunk(&mut reader, chunk_size, self.threshold)?;
            while !chunk.is_empty() {
                // Screen this chunk while the next one is read.
                let (next, results) = rayon::join(
                    || read_chunk(&mut reader, chunk_size, self.threshold),
                    || {
                        use rayon::prelude::*;
                        chunk.par_iter().map(|row| ctx.process(row)).collect::<Vec<Result<RowOutcome>>>()
                    },
                );
                // The writer writes the rows' lines, so that the pool goes on to the next chunk.
                let rows = results.into_iter().collect::<Result<Vec<RowOutcome>>>()?;
                rows.iter().for_each(|r| counters.add(r));
                session_rows += chunk.len() as u64;
                settle(&mut in_flight)?;
                to_writer.send((rows, counters.clone())).map_err(|_| stopped())?;
                in_flight = Some(Progress {
                    rows_read: counters.rows_read,
                    bytes_read: reader.bytes_read().min(bytes_total),
                    bytes_total,
                    hits: counters.hits,
                });
                chunk = next?;
            }
            settle(&mut in_flight)?;
            drop(to_writer);
            writer.join().map_err(|_| Error::Internal("the rescreen writer panicked".into()))
        })?;

        if let Some(delta) = &self.delta {
            if let Some(previous) = &delta.previous {
                let buf = resolved_lines(previous, &delta.removed, self.format, &mut counters)?;
                sink.finish_with(&buf)?;
            }
        }
        sink.close()?;
        debug_assert_eq!(counters.rows_read, counters.rows_screened + counters.rows_rejected);
        let elapsed = started.elapsed().as_secs_f64();
        Ok(Summary {
            counters,
            resumed_from_row,
            elapsed_seconds: elapsed,
            rows_per_second: if elapsed > 0.0 { session_rows as f64 / elapsed } else { 0.0 },
            output: self.out.as_ref().map(|p| p.display().to_string()),
            rejects: rejects_path.display().to_string(),
            unread_fields: reader.unread_fields(),
        })
    }
}

/// Reads up to `n` rows.
fn read_chunk(reader: &mut CustomerReader, n: usize, threshold: Option<f64>) -> Result<Vec<CustomerRow>> {
    let mut rows = Vec::with_capacity(n);
    while rows.len() < n {
        match reader.next_row()? {
            Some(CustomerRow::Customer(mut c)) => {
                if threshold.is_some() {
                    c.query.score_threshold = threshold;
                }
                rows.push(CustomerRow::Customer(c));
            }
            Some(row) => rows.push(row),
            None => break,
        }
    }
    Ok(rows)
}

/// What one row produced.
#[derive(Debug, Default)]
struct RowOutcome {
    out: Vec<u8>,
    reject: Vec<u8>,
    rejected: bool,
    hits: Vec<(crate::Decision, crate::Publisher)>,
    suppressed: u64,
    confirmed: u64,
}

struct Context<'a, S: ?Sized> {
    job: &'a Job,
    screener: &'a S,
    /// One name cache per worker thread of the run's pool, sharing their names (none kept when the job
    /// turns them off).
    caches: NameCaches,
}

impl<S: Screener + ?Sized> Context<'_, S> {
    fn process(&self, row: &CustomerRow) -> Result<RowOutcome> {
        let mut o = RowOutcome::default();
        let c: &Customer = match row {
            CustomerRow::Reject(r) => {
                o.rejected = true;
                output::write_reject(&mut o.reject, r)?;
                return Ok(o);
            }
            CustomerRow::Customer(c) => c,
        };
        let screened = self.caches.with(|cache| self.screener.screen_in_run(&c.query, cache));
        let hits = match screened {
            Ok(h) => h,
            Err(e) if e.is_user_error() => {
                o.rejected = true;
                let reject = Reject {
                    line: c.line,
                    customer_id: Some(c.customer_id.clone()),
                    reason: format!("query refused: {e}"),
                    record: String::new(),
                };
                output::write_reject(&mut o.reject, &reject)?;
                return Ok(o);
            }
            Err(e) => return Err(e),
        };
        // Room for the lines at once (the raw record is most of a line), not grown hit by hit.
        o.out.reserve(hits.iter().map(|h| h.record_data.get().len() + 1024).sum());
        for hit in &hits {
            let change = match &self.job.delta {
                Some(d) => match d.screen.get(&hit.id) {
                    Some(c) => Some(*c),
                    None => continue,
                },
                None => None,
            };
            let verdict = match &self.job.dispositions {
                Some(d) => d.verdict(&c.customer_id, &hit.id, &hit.entity_hash),
                None => Verdict::None,
            };
            let mark = match verdict {
                Verdict::Suppress => {
                    o.suppressed += 1;
                    continue;
                }
                Verdict::Mark(m) => {
                    if m.status == dispositions::DispositionStatus::Confirmed {
                        o.confirmed += 1;
                    }
                    Some(m)
                }
                Verdict::None => None,
            };
            output::write_hit(&mut o.out, self.job.format, &c.customer_id, hit, change, mark.as_ref())?;
            o.hits.push((hit.decision, hit.publisher));
        }
        Ok(o)
    }
}

/// Resolved lines for previous hits on removed entities.
fn resolved_lines(
    previous: &Path,
    removed: &HashSet<String>,
    format: OutputFormat,
    counters: &mut Counters,
) -> Result<Vec<u8>> {
    let file = File::open(previous).map_err(|e| Error::io(previous, e))?;
    let mut buf = Vec::new();
    let mut seen = HashSet::new();
    for (i, line) in BufReader::new(file).split(b'\n').enumerate() {
        let line = line.map_err(|e| Error::io(previous, e))?;
        if line.iter().all(|b| b.is_ascii_whitespace()) {
            continue;
        }
        let bad = |reason: String| Error::ListParse { file: previous.to_path_buf(), line: i as u64 + 1, reason };
        let value: serde_json::Value =
            serde_json::from_slice(&line).map_err(|e| bad(format!("not a JSON hit line of a previous run: {e}")))?;
        let serde_json::Value::Object(map) = value else {
            return Err(bad("not a JSON object".into()));
        };
        if map.get("status").and_then(|s| s.as_str()) == Some("resolved") {
            continue;
        }
        let customer = map.get("customer_id").and_then(|v| v.as_str()).map(str::to_string);
        let entity = map.get("id").and_then(|v| v.as_str()).map(str::to_string);
        let (Some(customer), Some(entity)) = (customer, entity) else {
            return Err(bad("a previous hit line needs customer_id and id".into()));
        };
        if removed.contains(&entity) && seen.insert((customer, entity)) {
            output::write_resolved(&mut buf, format, map)?;
            counters.resolved += 1;
        }
    }
    Ok(buf)
}

/// Where committed output goes: files with a checkpoint, or standard output.
struct Sink {
    out: Option<File>,
    out_path: Option<PathBuf>,
    rejects: File,
    rejects_path: PathBuf,
    checkpoint_path: Option<PathBuf>,
    checkpoint: Option<Checkpoint>,
    template: Checkpoint,
    /// Output bytes synced and dropped from the page cache.
    dropped: u64,
}

impl Sink {
    fn open(
        job: &Job,
        rejects_path: &Path,
        checkpoint_path: Option<&Path>,
        input: &InputIdentity,
        options_hash: &str,
    ) -> Result<Sink> {
        let template = Checkpoint {
            version: CHECKPOINT_VERSION,
            input_path: job.customers.display().to_string(),
            input: input.clone(),
            options_hash: options_hash.to_string(),
            rows_committed: 0,
            output_len: 0,
            rejects_len: 0,
            counters: Counters::default(),
        };
        let existing = match (job.resume, checkpoint_path) {
            (true, Some(p)) => Checkpoint::read(p)?,
            _ => None,
        };
        if let (Some(cp), Some(p)) = (&existing, checkpoint_path) {
            if cp.input != *input {
                return Err(Error::InvalidInput(format!(
                    "{}: the checkpoint was written for another version of {} (size, date or content differ); \
                     run without --resume to start over",
                    p.display(),
                    job.customers.display()
                )));
            }
            if cp.options_hash != options_hash {
                return Err(Error::InvalidInput(format!(
                    "{}: the checkpoint was written with other options (format, threshold, index, delta or \
                     dispositions); use the same options, or run without --resume to start over",
                    p.display()
                )));
            }
        }
        let open_at = |path: &Path, len: Option<u64>| -> Result<File> {
            match len {
                Some(len) => {
                    let mut f = OpenOptions::new().write(true).open(path).map_err(|e| Error::io(path, e))?;
                    let actual = f.metadata().map_err(|e| Error::io(path, e))?.len();
                    if actual < len {
                        return Err(Error::InvalidInput(format!(
                            "{}: {actual} bytes, shorter than the {len} bytes the checkpoint committed; \
                             run without --resume to start over",
                            path.display()
                        )));
                    }
                    f.set_len(len).map_err(|e| Error::io(path, e))?;
                    f.seek(SeekFrom::End(0)).map_err(|e| Error::io(path, e))?;
                    Ok(f)
                }
                None => File::create(path).map_err(|e| Error::io(path, e)),
            }
        };
        let out = match &job.out {
            Some(p) => Some(open_at(p, existing.as_ref().map(|c| c.output_len))?),
            None => None,
        };
        let rejects = open_at(rejects_path, existing.as_ref().map(|c| c.rejects_len))?;
        let mut sink = Sink {
            out,
            out_path: job.out.clone(),
            rejects,
            rejects_path: rejects_path.to_path_buf(),
            checkpoint_path: checkpoint_path.map(Path::to_path_buf),
            checkpoint: existing.clone(),
            template,
            dropped: 0,
        };
        if existing.is_none() {
            let header = if job.format == OutputFormat::Csv { output::CSV_HEADER.as_bytes() } else { b"" };
            let header = RowOutcome { out: header.to_vec(), ..Default::default() };
            sink.commit(&[header], &Counters::default())?;
            sink.checkpoint = None;
        }
        Ok(sink)
    }

    /// Appends `parts` in order to the output (standard output without an output file).
    fn write_out(&mut self, parts: &[&[u8]]) -> Result<()> {
        match (&mut self.out, &self.out_path) {
            (Some(f), Some(p)) => write_parts(f, parts).map_err(|e| Error::io(p, e)),
            _ => {
                let mut stdout = std::io::stdout().lock();
                write_parts(&mut stdout, parts).and_then(|_| stdout.flush()).map_err(|e| Error::io("<stdout>", e))
            }
        }
    }

    /// Appends a chunk's lines, makes them durable, then records the checkpoint.
    fn commit(&mut self, rows: &[RowOutcome], counters: &Counters) -> Result<()> {
        let lines: Vec<&[u8]> = rows.iter().map(|r| r.out.as_slice()).collect();
        let written = self.write_out(&lines);
        let rejects: Vec<&[u8]> = rows.iter().map(|r| r.reject.as_slice()).collect();
        let rejected = write_parts(&mut self.rejects, &rejects).map_err(|e| Error::io(&self.rejects_path, e));
        written.and(rejected)?;
        let Some(cp_path) = self.checkpoint_path.clone() else { return Ok(()) };
        let (Some(out_file), Some(out_path)) = (&self.out, &self.out_path) else { return Ok(()) };
        sync(out_file, out_path, false)?;
        sync(&self.rejects, &self.rejects_path, false)?;
        let output_len = out_file.metadata().map_err(|e| Error::io(out_path, e))?.len();
        drop_cached(out_file, self.dropped, output_len);
        self.dropped = output_len;
        let rejects_len = self.rejects.metadata().map_err(|e| Error::io(&self.rejects_path, e))?.len();
        let cp = Checkpoint {
            rows_committed: counters.rows_read,
            output_len,
            rejects_len,
            counters: counters.clone(),
            ..self.template.clone()
        };
        cp.write_atomic(&cp_path)?;
        Ok(())
    }

    /// Appends the final lines (resolved hits) without a new checkpoint: a crash before [`Sink::close`]
    /// truncates them away on resume and they are written again.
    fn finish_with(&mut self, bytes: &[u8]) -> Result<()> {
        self.write_out(&[bytes])
    }

    /// Makes everything durable and removes the checkpoint: the run is complete.
    fn close(self) -> Result<()> {
        if let (Some(f), Some(p)) = (&self.out, &self.out_path) {
            sync(f, p, true)?;
        }
        sync(&self.rejects, &self.rejects_path, true)?;
        if let Some(cp) = &self.checkpoint_path {
            match std::fs::remove_file(cp) {
                Ok(()) => checkpoint::sync_dir(cp),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(Error::io(cp, e)),
            }
        }
        Ok(())
    }
}

/// Writes `parts` in order with vectored writes: a chunk's rows go out as they are, without a joined
/// copy of them (about 45 MB a chunk of 4,096 customers with the raw records).
fn write_parts(w: &mut impl Write, parts: &[&[u8]]) -> std::io::Result<()> {
    use std::io::IoSlice;
    /// At most this many slices a call (Linux's `IOV_MAX`).
    const MAX_SLICES: usize = 1024;
    let mut slices: Vec<IoSlice> = parts.iter().filter(|p| !p.is_empty()).map(|p| IoSlice::new(p)).collect();
    let mut left = &mut slices[..];
    while !left.is_empty() {
        let n = left.len().min(MAX_SLICES);
        match w.write_vectored(&left[..n]) {
            Ok(0) => return Err(std::io::ErrorKind::WriteZero.into()),
            Ok(written) => IoSlice::advance_slices(&mut left, written),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// Flushes a file to disk; devices and pipes (`/dev/null`) that cannot be synced are left alone.
fn sync(file: &File, path: &Path, all: bool) -> Result<()> {
    let result = if all { file.sync_all() } else { file.sync_data() };
    match result {
        Ok(()) => Ok(()),
        Err(_) if file.metadata().map(|m| !m.is_file()).unwrap_or(false) => Ok(()),
        Err(e) => Err(Error::io(path, e)),
    }
}

/// Advises the kernel that the synced bytes `from..to` of `file` will not be read again, so that it
/// drops them from the page cache. A run's output (about 11 KB a customer on the bundled lists) then
/// neither evicts the mapped index's pages nor makes the kernel find fresh pages for every chunk:
/// rescreening 100,000 customers (1.09 GB of hits) took 2.5–2.8 s of system time with the pages kept,
/// 0.6–0.8 s with them dropped. Advice only: where it is not taken (a pipe, another system), nothing
/// changes.
fn drop_cached(file: &File, from: u64, to: u64) {
    #[cfg(target_os = "linux")]
    if let Some(len) = std::num::NonZeroU64::new(to.saturating_sub(from)) {
        // Advice: an error changes nothing that was written.
        let _ = rustix::fs::fadvise(file, from, Some(len), rustix::fs::Advice::DontNeed);
    }
    #[cfg(not(target_os = "linux"))]
    let _ = (file, from, to);
}

/// Progress after a committed chunk.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Progress {
    /// Rows read so far (including rows committed before a resume).
    pub rows_read: u64,
    /// Bytes of the customer file read so far.
    pub bytes_read: u64,
    /// Size of the customer file.
    pub bytes_total: u64,
    /// Hit lines written so far.
    pub hits: u64,
}

/// Running totals, kept in the checkpoint so a resumed run's summary covers the whole file.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Counters {
    /// Non-blank input rows read (= screened + rejected).
    pub rows_read: u64,
    /// Rows written to the reject file.
    pub rows_rejected: u64,
    /// Rows screened.
    pub rows_screened: u64,
    /// Screened customers with at least one hit written.
    pub customers_with_hits: u64,
    /// Hit lines written.
    pub hits: u64,
    /// Hit lines by decision (`MATCH`, `UNCLEAR`, `NOT_MATCH`).
    pub hits_by_decision: BTreeMap<String, u64>,
    /// Hit lines by publisher (`OFAC`, `UNSCR`, ...).
    pub hits_by_publisher: BTreeMap<String, u64>,
    /// Hits suppressed by a `cleared` disposition.
    pub suppressed: u64,
    /// Hits kept and marked by a `confirmed` disposition.
    pub confirmed: u64,
    /// Previous hits on removed entities, written as resolved.
    pub resolved: u64,
}

impl Counters {
    fn add(&mut self, r: &RowOutcome) {
        self.rows_read += 1;
        if r.rejected {
            self.rows_rejected += 1;
            return;
        }
        self.rows_screened += 1;
        if !r.hits.is_empty() {
            self.customers_with_hits += 1;
        }
        for (decision, publisher) in &r.hits {
            self.hits += 1;
            *self.hits_by_decision.entry(decision.as_str().to_string()).or_default() += 1;
            *self.hits_by_publisher.entry(publisher.code().to_string()).or_default() += 1;
        }
        self.suppressed += r.suppressed;
        self.confirmed += r.confirmed;
    }
}

/// The end-of-run report (also written as JSON with `--summary`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    /// Totals over the whole input.
    #[serde(flatten)]
    pub counters: Counters,
    /// Rows already committed when this run resumed (0 for a fresh run).
    pub resumed_from_row: u64,
    /// Wall time of this run.
    pub elapsed_seconds: f64,
    /// Rows processed per second in this run.
    pub rows_per_second: f64,
    /// The output file (`None`: standard output).
    pub output: Option<String>,
    /// The reject file.
    pub rejects: String,
    /// Columns or keys of the customer file that are not customer fields, so not read
    /// ([`CustomerReader::unread_fields`](customers::CustomerReader::unread_fields)): a misspelt
    /// `nationalty` shows here.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unread_fields: Vec<String>,
}

impl std::fmt::Display for Summary {
    /// A short human report.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let c = &self.counters;
        writeln!(
            f,
            "rows read {}: screened {}, rejected {}{}",
            c.rows_read,
            c.rows_screened,
            c.rows_rejected,
            if c.rows_rejected > 0 { format!(" (see {})", self.rejects) } else { String::new() }
        )?;
        if self.resumed_from_row > 0 {
            writeln!(f, "resumed after row {}", self.resumed_from_row)?;
        }
        if !self.unread_fields.is_empty() {
            writeln!(f, "fields not read (not customer fields): {}", self.unread_fields.join(", "))?;
        }
        let join = |m: &BTreeMap<String, u64>| m.iter().map(|(k, v)| format!("{k} {v}")).collect::<Vec<_>>().join(", ");
        writeln!(f, "hits {} on {} customers", c.hits, c.customers_with_hits)?;
        if c.hits > 0 {
            writeln!(f, "  by decision: {}", join(&c.hits_by_decision))?;
            writeln!(f, "  by publisher: {}", join(&c.hits_by_publisher))?;
        }
        if c.suppressed > 0 || c.confirmed > 0 {
            writeln!(
                f,
                "dispositions: {} cleared hits suppressed, {} confirmed hits marked",
                c.suppressed, c.confirmed
            )?;
        }
        if c.resolved > 0 {
            writeln!(f, "resolved: {} previous hits on removed entities", c.resolved)?;
        }
        write!(f, "elapsed {:.2} s, {:.0} rows/s", self.elapsed_seconds, self.rows_per_second)
    }
}

#[cfg(test)]
mod tests {
    use super::write_parts;
    use std::io::{IoSlice, Write};

    /// Takes at most `per_call` bytes a call, across slices, and fails once with `Interrupted`.
    struct Trickle {
        out: Vec<u8>,
        per_call: usize,
        calls: usize,
        interrupted: bool,
    }

    impl Write for Trickle {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.write_vectored(&[IoSlice::new(buf)])
        }
        fn write_vectored(&mut self, bufs: &[IoSlice<'_>]) -> std::io::Result<usize> {
            assert!(bufs.len() <= 1024, "{} slices in one call", bufs.len());
            self.calls += 1;
            if !self.interrupted && self.calls == 3 {
                self.interrupted = true;
                return Err(std::io::ErrorKind::Interrupted.into());
            }
            let mut left = self.per_call;
            for b in bufs {
                let n = b.len().min(left);
                self.out.extend_from_slice(&b[..n]);
                left -= n;
                if left == 0 {
                    break;
                }
            }
            Ok(self.per_call - left)
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn parts_are_written_whole_and_in_order_across_partial_writes() {
        // 3,000 parts (some empty), more than one call's slices; writes that stop inside a part.
        let parts: Vec<Vec<u8>> = (0..3000u32).map(|k| vec![(k % 251) as u8; (k as usize * 7) % 23]).collect();
        let refs: Vec<&[u8]> = parts.iter().map(Vec::as_slice).collect();
        for per_call in [1, 5, 1000, 1 << 20] {
            let mut w = Trickle { out: Vec::new(), per_call, calls: 0, interrupted: false };
            write_parts(&mut w, &refs).unwrap();
            assert_eq!(w.out, parts.concat(), "{per_call} bytes a call");
        }
        // A writer that takes nothing is an error, not a loop.
        let mut w = Trickle { out: Vec::new(), per_call: 0, calls: 0, interrupted: true };
        assert_eq!(write_parts(&mut w, &refs).unwrap_err().kind(), std::io::ErrorKind::WriteZero);
        assert!(write_parts(&mut w, &[b"", b""]).is_ok());
    }
}
