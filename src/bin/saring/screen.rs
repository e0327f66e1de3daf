//! `saring screen`: screen one name, or a JSONL file of queries, against an index.

use anyhow::Context;
use rayon::prelude::*;
use saring::index::{Index, ScreenOptions};
use saring::screen::{Hit, NameCache, NameCaches, Query};
use saring::Publisher;
use std::io::{BufRead, BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `saring screen`.
///
/// `saring screen "NAME"` screens a plain name; `--entity` makes it a business name; `--given`,
/// `--middle`, `--surname` make a person query. Without `--index`, the bundled lists are used (their
/// index is built on first use into the cache directory).
///
/// With `--queries FILE.jsonl`, each line is a query object. `--publisher`, `--threshold`, `--upper`,
/// `--lower` and `--limit` then apply to every line that does not set the field itself, and
/// `--explain` keeps each hit's explanation; the query fields (`--entity`, `--given`, `--dob`, ...)
/// come from the lines only.
#[derive(clap::Args)]
pub struct Args {
    /// The name to screen (a plain name; with --entity, a business name).
    #[arg(value_name = "NAME", conflicts_with = "queries")]
    name: Option<String>,
    /// Treat NAME as an organisation (business_name).
    #[arg(long, conflicts_with = "queries")]
    entity: bool,
    /// Person: given name.
    #[arg(long, value_name = "G", conflicts_with = "queries")]
    given: Option<String>,
    /// Person: middle name.
    #[arg(long, value_name = "M", conflicts_with = "queries")]
    middle: Option<String>,
    /// Person: surname.
    #[arg(long, value_name = "S", conflicts_with = "queries")]
    surname: Option<String>,
    /// Date of birth (or of registration with --entity): YYYY, YYYY-MM or YYYY-MM-DD.
    #[arg(long, value_name = "D", conflicts_with = "queries")]
    dob: Option<String>,
    /// Nationality (or domicile with --entity), ISO alpha-2.
    #[arg(long, value_name = "CC", conflicts_with = "queries")]
    nationality: Option<String>,
    /// Gender: male or female.
    #[arg(long, conflicts_with = "queries")]
    gender: Option<String>,
    /// Only these publishers (UNSCR, OFAC, PPATK, MAS, EC, UK, DOWJONES, CUSTOM); repeatable.
    #[arg(long = "publisher", value_name = "P")]
    publishers: Vec<String>,
    /// Drop hits below this score (default: the lower threshold).
    #[arg(long, value_name = "N")]
    threshold: Option<f64>,
    /// MATCH threshold (default 80).
    #[arg(long, value_name = "N")]
    upper: Option<f64>,
    /// NOT_MATCH threshold (default 40).
    #[arg(long, value_name = "N")]
    lower: Option<f64>,
    /// At most this many hits (default 10). Up to 500 candidate names are scored for each ten hits
    /// asked for, so a large limit (e.g. 1000) for every hit above the threshold is not cut short
    /// by that cap; it costs more time only when there are that many candidates.
    #[arg(long, value_name = "N")]
    limit: Option<usize>,
    /// Index file (default: the cached index of the bundled lists).
    #[arg(long, value_name = "FILE")]
    index: Option<PathBuf>,
    /// Print JSON (Iluma CFT-like `{"results": [...]}`).
    #[arg(long)]
    json: bool,
    /// Show the token alignment and qualifier effects of each hit.
    #[arg(long)]
    explain: bool,
    /// Batch: a JSONL file of queries (Query field names); prints one JSON line per query, in order.
    /// --publisher, --threshold, --upper, --lower and --limit apply to the lines that do not set them.
    #[arg(long, value_name = "FILE.jsonl")]
    queries: Option<PathBuf>,
    /// Thorough screening: find every list word the scorer would pair with a query word (of up to 16
    /// letters) and score every name found. Fewer missed low-scoring hits, at milliseconds instead of
    /// a fraction of one per query (see the README's recall figures).
    #[arg(long)]
    thorough: bool,
}

/// Runs `saring screen`.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let index = crate::open_index(args.index.as_deref())?;
    let options = if args.thorough { ScreenOptions::thorough() } else { ScreenOptions::default() };
    let query = query_of(&args)?;
    if let Some(file) = &args.queries {
        // The options every line inherits are checked once, before the file is read.
        query.validate_options()?;
        return batch(&index, &options, file, &query, args.explain);
    }
    let result = index.screen_with(&query, &options)?;
    if args.json {
        let mut v = serde_json::to_value(&result)?;
        if !args.explain {
            strip_explanations(&mut v);
        }
        outln!("{}", serde_json::to_string_pretty(&v)?);
        return Ok(ExitCode::SUCCESS);
    }
    print_table(&result.results, args.explain)?;
    Ok(ExitCode::SUCCESS)
}

fn query_of(args: &Args) -> anyhow::Result<Query> {
    let mut q = Query {
        date_of_birth: args.dob.clone(),
        gender: args.gender.clone(),
        score_threshold: args.threshold,
        upper_threshold: args.upper,
        lower_threshold: args.lower,
        limit: args.limit,
        ..Default::default()
    };
    for p in &args.publishers {
        q.publishers.push(p.parse::<Publisher>()?);
    }
    let person = args.given.is_some() || args.middle.is_some() || args.surname.is_some();
    if person {
        if args.entity {
            anyhow::bail!("--entity cannot be combined with --given/--middle/--surname");
        }
        if args.given.is_some() && args.name.is_some() {
            anyhow::bail!(
                "NAME and --given both give the given name: pass one (NAME with --middle/--surname is the given name)"
            );
        }
        q.given_name = args.given.clone().or_else(|| args.name.clone());
        q.middle_name = args.middle.clone();
        q.surname = args.surname.clone();
        q.nationality = args.nationality.clone();
    } else if args.entity {
        if args.gender.is_some() {
            anyhow::bail!("--gender is a person's: it cannot be combined with --entity");
        }
        q.business_name = args.name.clone();
        q.business_domicile = args.nationality.clone();
        q.date_of_registration = q.date_of_birth.take();
    } else {
        q.name = args.name.clone();
        q.nationality = args.nationality.clone();
    }
    Ok(q)
}

/// Removes `explanation` from each hit (kept with --explain).
fn strip_explanations(v: &mut serde_json::Value) {
    if let Some(hits) = v.get_mut("results").and_then(|r| r.as_array_mut()) {
        for h in hits {
            if let Some(o) = h.as_object_mut() {
                o.remove("explanation");
            }
        }
    }
}

fn print_table(hits: &[Hit], explain: bool) -> std::io::Result<()> {
    if hits.is_empty() {
        outln!("no hits");
        return Ok(());
    }
    outln!(
        "{:>5}  {:<9}  {:<8}  {:<10}  {:<18}  {:<10}  MATCHED NAME",
        "SCORE",
        "DECISION",
        "PUBLISH.",
        "LIST",
        "ID",
        "KIND"
    );
    for h in hits {
        let kind = serde_json::to_value(h.kind).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default();
        outln!(
            "{:>5.1}  {:<9}  {:<8}  {:<10}  {:<18}  {:<10}  {}",
            h.score,
            h.decision.as_str(),
            h.publisher.code(),
            truncate(&h.list, 10),
            truncate(&h.id, 18),
            kind,
            h.matched_name
        );
        if explain {
            let e = &h.explanation;
            outln!("       name score {:.1}: {:?} ~ {:?}", e.name_score, e.name.query, e.name.candidate);
            for t in &e.name.tokens {
                outln!(
                    "         {:<16} ~ {:<16} {:<9} sim {:.2}  cost {:.1}",
                    t.query,
                    t.candidate,
                    t.how,
                    t.similarity,
                    t.cost
                );
            }
            for n in &e.name.notes {
                outln!("         note: {n}");
            }
            for q in &e.qualifiers {
                outln!("       {:+.1} {}: {}", q.points, q.name, q.reason);
            }
            if !h.dates_of_birth.is_empty() || !h.nationalities.is_empty() {
                let dobs: Vec<String> = h.dates_of_birth.iter().map(|d| d.to_string()).collect();
                outln!("       dob {}  nationality {}", dobs.join(", "), h.nationalities.join(", "));
            }
        }
    }
    Ok(())
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

/// Lines screened together (in parallel) before their results are written, in order.
const CHUNK: usize = 4096;

/// Screens each line of `file`; `defaults` gives the options a line does not set (publishers,
/// thresholds, limit).
fn batch(
    index: &Index,
    options: &ScreenOptions,
    file: &PathBuf,
    defaults: &Query,
    explain: bool,
) -> anyhow::Result<ExitCode> {
    let f = std::fs::File::open(file).with_context(|| format!("opening {}", file.display()))?;
    let reader = std::io::BufReader::new(f);
    let out = std::io::stdout();
    let mut out = BufWriter::new(out.lock());
    let mut chunk: Vec<(usize, Result<String, String>)> = Vec::with_capacity(CHUNK);
    // One name cache per worker thread: queries that repeat a name (the same counterparty in many
    // transfers) reuse its candidates and name scores; results are the same.
    let caches = NameCaches::for_current_pool(NameCache::DEFAULT_BUDGET);
    let flush = |chunk: &mut Vec<(usize, Result<String, String>)>, out: &mut BufWriter<_>| -> anyhow::Result<()> {
        let lines: Vec<String> = chunk
            .par_iter()
            .map(|(n, line)| caches.with(|cache| screen_line(index, options, *n, line, defaults, explain, cache)))
            .collect();
        for l in lines {
            writeln!(out, "{l}")?;
        }
        chunk.clear();
        Ok(())
    };
    let mut unreadable = None;
    for (i, line) in reader.lines().enumerate() {
        let n = i + 1;
        // A line that is not UTF-8 is reported and the run goes on; a byte order mark before the first
        // line (files saved by some Windows editors) is not part of the query. Any other read error (the
        // path is a directory, the disk fails) ends the run after the lines read so far are written.
        let line = match line {
            Ok(l) => Ok(match l.strip_prefix('\u{feff}') {
                Some(rest) if n == 1 => rest.to_string(),
                _ => l,
            }),
            Err(e) if e.kind() == std::io::ErrorKind::InvalidData => Err(e.to_string()),
            Err(e) => {
                unreadable = Some(anyhow::Error::new(e).context(format!("reading {} at line {n}", file.display())));
                break;
            }
        };
        if line.as_ref().is_ok_and(|l| l.trim().is_empty()) {
            continue;
        }
        chunk.push((n, line));
        if chunk.len() >= CHUNK {
            flush(&mut chunk, &mut out)?;
        }
    }
    flush(&mut chunk, &mut out)?;
    out.flush()?;
    match unreadable {
        Some(e) => Err(e),
        None => Ok(ExitCode::SUCCESS),
    }
}

fn screen_line(
    index: &Index,
    options: &ScreenOptions,
    n: usize,
    line: &Result<String, String>,
    defaults: &Query,
    explain: bool,
    cache: &mut NameCache,
) -> String {
    let error = |msg: String| serde_json::json!({ "line": n, "error": msg }).to_string();
    let line = match line {
        Ok(l) => l,
        Err(e) => return error(format!("unreadable line: {e}")),
    };
    // Fields the query does not know (a misspelt `nationalty`) are not an error, since callers' payloads
    // carry fields of their own, but the result line names them.
    let mut ignored = Vec::new();
    let mut json = serde_json::Deserializer::from_str(line);
    let parsed = serde_ignored::deserialize(&mut json, |path| ignored.push(path.to_string()))
        .and_then(|q: Query| json.end().map(|()| q));
    let mut query = match parsed {
        Ok(q) => q,
        Err(e) => return error(format!("not a query object: {e}")),
    };
    if query.publishers.is_empty() {
        query.publishers.clone_from(&defaults.publishers);
    }
    query.score_threshold = query.score_threshold.or(defaults.score_threshold);
    query.upper_threshold = query.upper_threshold.or(defaults.upper_threshold);
    query.lower_threshold = query.lower_threshold.or(defaults.lower_threshold);
    query.limit = query.limit.or(defaults.limit);
    match index.screen_cached_with(&query, options, cache) {
        Ok(r) => {
            let mut v = serde_json::json!({ "line": n, "results": r.results });
            if !explain {
                strip_explanations(&mut v);
            }
            if !ignored.is_empty() {
                v["ignored_fields"] = serde_json::json!(ignored);
            }
            v.to_string()
        }
        // `no name` for a line that wrote `Name`: the ignored fields say why.
        Err(e) if !ignored.is_empty() => {
            serde_json::json!({ "line": n, "error": e.to_string(), "ignored_fields": ignored }).to_string()
        }
        Err(e) => error(e.to_string()),
    }
}
