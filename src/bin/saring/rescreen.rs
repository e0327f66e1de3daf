//! `saring rescreen`: screen a whole customer file (CSV or JSONL), in full or against a list delta.

use anyhow::Context;
use saring::index::{Index, ScreenOptions};
use saring::rescreen::checkpoint::InputIdentity;
use saring::rescreen::dispositions::Dispositions;
use saring::rescreen::{Delta, IndexWith, Job, OutputFormat, Progress, DEFAULT_CHUNK_SIZE};
use saring::screen::NameCache;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Arguments of `saring rescreen`.
///
/// Customer columns (CSV header or JSONL keys): customer_id (required), name or
/// given_name/middle_name/surname, business_name, date_of_birth (YYYY, YYYY-MM, YYYY-MM-DD),
/// date_of_registration, nationality, business_domicile (ISO alpha-2), kind (individual|entity).
/// Unknown columns are ignored. Malformed rows go to the reject file with line number and reason.
#[derive(clap::Args)]
pub struct Args {
    /// Boxed: the options are many, and the subcommand enum stays small.
    #[command(flatten)]
    options: Box<Options>,
}

/// The options of `saring rescreen` (see [`Args`]).
#[derive(clap::Args)]
pub struct Options {
    /// Customer file: CSV with a header, or JSON lines.
    #[arg(long, value_name = "FILE")]
    customers: PathBuf,
    /// Index file (default: the cached index of the bundled lists).
    #[arg(long, value_name = "FILE")]
    index: Option<PathBuf>,
    /// Output file (default: standard output, not resumable).
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// Output format (default: csv if --out ends in .csv, else jsonl).
    #[arg(long, value_parser = ["jsonl", "csv"])]
    format: Option<String>,
    /// Keep hits scoring at least this (0–100; default: the lower decision threshold).
    #[arg(long, value_name = "N")]
    threshold: Option<f64>,
    /// Worker threads, at least 1 (default: all cores).
    #[arg(long, value_name = "N", value_parser = at_least_one)]
    threads: Option<usize>,
    /// Reject file (default: <out>.rejects.jsonl).
    #[arg(long, value_name = "FILE")]
    rejects: Option<PathBuf>,
    /// Also write the summary as JSON to this file.
    #[arg(long, value_name = "FILE")]
    summary: Option<PathBuf>,
    /// Continue an interrupted run from its checkpoint (<out>.checkpoint).
    #[arg(long)]
    resume: bool,
    /// Thorough screening (as `saring screen --thorough`): fewer missed low-scoring hits, at
    /// milliseconds per customer instead of a fraction of one.
    #[arg(long)]
    thorough: bool,
    /// Delta run: keep only hits on entities added or changed since this older index (built by this
    /// version, or by an earlier one of index format 9 on: only its entities are read).
    #[arg(long, value_name = "OLD_INDEX")]
    since: Option<PathBuf>,
    /// With --since: the previous run's output (JSONL); its hits on removed entities are written as resolved.
    #[arg(long, value_name = "FILE", requires = "since")]
    previous: Option<PathBuf>,
    /// Dispositions (JSONL: customer_id, entity_id, entity_hash, status cleared|confirmed, note).
    #[arg(long, value_name = "FILE")]
    dispositions: Option<PathBuf>,
    /// Rows per committed chunk, at least 1.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_CHUNK_SIZE, value_parser = at_least_one)]
    chunk_size: usize,
    /// Candidate names kept for each worker thread (the threads share them) for customers who share a
    /// name, so that a repeated name is not looked up and scored again (20 bytes each; 0 keeps no
    /// names; results are the same).
    #[arg(long, value_name = "N", default_value_t = NameCache::DEFAULT_BUDGET)]
    name_cache: usize,
}

/// A count that must be at least 1: `--threads 0` or `--chunk-size 0` is refused rather than read as 1.
fn at_least_one(s: &str) -> Result<usize, String> {
    match s.parse::<usize>() {
        Ok(0) => Err("must be at least 1".into()),
        Ok(n) => Ok(n),
        Err(e) => Err(e.to_string()),
    }
}

/// Opens the given index, or the cached index of the bundled lists.
fn open_index(path: Option<&Path>) -> anyhow::Result<(Index, String)> {
    let index = crate::open_index(path)?;
    let fingerprint = fingerprint(index.path())?;
    Ok((index, fingerprint))
}

fn fingerprint(path: &Path) -> anyhow::Result<String> {
    let id = InputIdentity::of(path)?;
    Ok(format!("{}:{}:{}", id.size, id.modified_secs, id.head_hash))
}

/// Runs `saring rescreen`.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let args = *args.options;
    let format = match (&args.format, &args.out) {
        (Some(f), _) => f.parse::<OutputFormat>()?,
        (None, Some(out)) if out.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv")) => OutputFormat::Csv,
        _ => OutputFormat::Jsonl,
    };
    // Cheap input checks first, so a bad dispositions file fails before the index is opened; and no
    // file written may be one read or another one written (`--out` naming the customer file).
    let mut job = Job::new(&args.customers);
    job.out = args.out.clone();
    job.rejects = args.rejects.clone();
    let (mut reads, mut writes) = job.files();
    let given = |what, path: &Option<PathBuf>| path.clone().map(|p| (what, p));
    reads.extend(given("the previous output", &args.previous));
    reads.extend(given("the dispositions file", &args.dispositions));
    reads.extend(given("the index", &args.index));
    reads.extend(given("the older index", &args.since));
    writes.extend(given("the summary file", &args.summary));
    saring::files::distinct_files(&reads, &writes)?;
    let dispositions = match &args.dispositions {
        Some(path) => Some(Dispositions::read(path)?),
        None => None,
    };
    let (index, index_fingerprint) = open_index(args.index.as_deref())?;
    job.dispositions = dispositions;
    job.format = format;
    job.threshold = args.threshold;
    job.chunk_size = args.chunk_size;
    job.name_cache = args.name_cache;
    job.resume = args.resume;
    if let Some(out) = args.out.as_deref().filter(|_| args.resume) {
        let checkpoint = saring::rescreen::checkpoint::Checkpoint::path_for(out);
        if !checkpoint.exists() {
            // A finished run removes its checkpoint: resuming it screens the file again, from the start.
            eprintln!("note: nothing to resume (no {}): screening from the first row", checkpoint.display());
        }
    }
    // A run resumes only with the same index and the same screening options.
    job.screener_fingerprint = if args.thorough { format!("{index_fingerprint} thorough") } else { index_fingerprint };
    if let Some(old_path) = &args.since {
        let old = Index::open_older(old_path).context("opening the older index (--since)")?;
        let diff = saring::rescreen::diff(&old, &index)?;
        eprintln!(
            "delta since {}: {} added, {} changed, {} removed, {} unchanged",
            old_path.display(),
            diff.added.len(),
            diff.changed.len(),
            diff.removed.len(),
            diff.unchanged
        );
        job.delta = Some(Delta::new(&diff, args.previous.clone()));
    }

    let bar = std::io::stderr().is_terminal().then(|| {
        let bar = indicatif::ProgressBar::new(0);
        bar.set_style(
            indicatif::ProgressStyle::with_template("{bar:30} {percent:>3}% {msg} (ETA {eta})")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        bar
    });
    let started = std::time::Instant::now();
    let mut first_rows = None;
    let mut on_progress = |p: &Progress| {
        if let Some(bar) = &bar {
            let base = *first_rows.get_or_insert(p.rows_read);
            let secs = started.elapsed().as_secs_f64().max(1e-3);
            let rate = (p.rows_read.saturating_sub(base)) as f64 / secs;
            bar.set_length(p.bytes_total);
            bar.set_position(p.bytes_read);
            bar.set_message(format!("{} rows, {} hits, {:.0} rows/s", p.rows_read, p.hits, rate));
        }
    };
    let options = if args.thorough { ScreenOptions::thorough() } else { ScreenOptions::default() };
    let screener = IndexWith { index: &index, options };
    let result = match args.threads {
        Some(n) => {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(n).build()?;
            pool.install(|| job.run(&screener, &mut on_progress))
        }
        None => job.run(&screener, &mut on_progress),
    };
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    let summary = result?;
    eprintln!("{summary}");
    if let Some(path) = &args.summary {
        let json = serde_json::to_string_pretty(&summary)?;
        std::fs::write(path, json + "\n").with_context(|| format!("writing summary {}", path.display()))?;
    }
    Ok(ExitCode::SUCCESS)
}
