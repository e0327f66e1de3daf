//! Rescreening throughput and planted-name recall.
//!
//! Runs a full rescreen of a customer file (from `gen_customers`) against an index and reports rows per
//! second, hits, peak resident memory (`VmHWM` from `/proc/self/status`, Linux), and the recall of the
//! planted list names: the share of planted (customer, entity) pairs found among the hits.
//!
//! ```text
//! cargo run --release --example gen_customers -- --count 1000000 --out /tmp/customers.csv --planted 0.001
//! cargo run --release --example rescreen_bench -- --customers /tmp/customers.csv \
//!     [--planted /tmp/customers.csv.planted.csv] [--index FILE] [--threads 2] [--out /tmp/hits.jsonl]
//!     [--null-screener] [--name-cache N]
//! ```
//!
//! `--null-screener` replaces the index by a screener that finds nothing, to measure the rescreening
//! pipeline's own cost apart from the index's. `--name-cache 0` keeps no name-level work (the threads
//! still keep what they met of the entities), which is what a base whose customers all have different
//! names would cost.

use saring::index::Index;
use saring::rescreen::{Job, Screener};
use saring::screen::{Hit, Query};
use std::collections::{HashMap, HashSet};
use std::io::BufRead;
use std::path::PathBuf;

/// Answers every query with no hit: measures the pipeline alone (reading, validation, chunking,
/// parallel dispatch, output and checkpoints).
struct NullScreener;

impl Screener for NullScreener {
    fn screen(&self, _query: &Query) -> saring::Result<Vec<Hit>> {
        Ok(Vec::new())
    }
}

fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut customers: Option<PathBuf> = None;
    let mut planted: Option<PathBuf> = None;
    let mut index_path: Option<PathBuf> = None;
    let mut threads: Option<usize> = None;
    let mut out: Option<PathBuf> = None;
    let mut null = false;
    let mut name_cache: Option<usize> = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("{a} needs a value"));
        match a.as_str() {
            "--customers" => customers = Some(value()?.into()),
            "--planted" => planted = Some(value()?.into()),
            "--index" => index_path = Some(value()?.into()),
            "--threads" => threads = Some(value()?.parse()?),
            "--out" => out = Some(value()?.into()),
            "--null-screener" => null = true,
            "--name-cache" => name_cache = Some(value()?.parse()?),
            "--bench" => {} // passed by `cargo bench`-style runners; ignored
            other => return Err(format!("unknown argument {other}").into()),
        }
    }
    let customers = customers.ok_or("--customers FILE is required")?;
    let planted = planted.unwrap_or_else(|| {
        let mut p = customers.as_os_str().to_os_string();
        p.push(".planted.csv");
        p.into()
    });
    let tmp = tempfile::tempdir()?;
    let out = out.unwrap_or_else(|| tmp.path().join("hits.jsonl"));

    let opened = std::time::Instant::now();
    let index = match &index_path {
        Some(p) => Index::open(p)?,
        None => Index::open_bundled()?,
    };
    eprintln!("index opened in {:.1} ms", opened.elapsed().as_secs_f64() * 1e3);

    let mut job = Job::new(&customers);
    job.out = Some(out.clone());
    if let Some(n) = name_cache {
        job.name_cache = n;
    }
    let pool = rayon::ThreadPoolBuilder::new().num_threads(threads.unwrap_or(0)).build()?;
    let summary = if null {
        pool.install(|| job.run(&NullScreener, &mut |_| {}))?
    } else {
        pool.install(|| job.run(&index, &mut |_| {}))?
    };
    println!("{summary}");
    println!("threads: {}", pool.current_num_threads());

    // Recall of planted names.
    let mut expected: HashMap<String, String> = HashMap::new();
    if let Ok(mut r) = csv::Reader::from_path(&planted) {
        for rec in r.records() {
            let rec = rec?;
            expected.insert(rec.get(0).unwrap_or("").to_string(), rec.get(1).unwrap_or("").to_string());
        }
    }
    if !expected.is_empty() {
        let mut found = HashSet::new();
        let file = std::io::BufReader::new(std::fs::File::open(&out)?);
        for line in file.lines() {
            let line = line?;
            let v: serde_json::Value = serde_json::from_str(&line)?;
            let (Some(c), Some(id)) = (v["customer_id"].as_str(), v["id"].as_str()) else { continue };
            if expected.get(c).is_some_and(|e| e == id) {
                found.insert(c.to_string());
            }
        }
        println!(
            "planted-name recall: {}/{} = {:.1}%",
            found.len(),
            expected.len(),
            100.0 * found.len() as f64 / expected.len() as f64
        );
    }
    if let Some(kib) = peak_rss_kib() {
        println!("peak RSS: {:.1} MiB", kib as f64 / 1024.0);
    }
    Ok(())
}
