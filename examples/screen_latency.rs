//! Single-thread screening latency percentiles over many perturbed queries, and open time.
//!
//! ```text
//! cargo run --release --example screen_latency                 # bundled lists, 5,000 queries
//! cargo run --release --example screen_latency -- INDEX.sidx 5000
//! cargo run --release --example screen_latency -- --thorough  # ScreenOptions::thorough()
//! cargo run --release --example screen_latency -- --slowest 20 # and the 20 slowest queries (by fastest round)
//! cargo run --release --example screen_latency -- --customers customers.csv  # a customer file's queries
//! cargo run --release --example screen_latency -- --common-postings 2000        # ScreenOptions::common_postings
//! cargo run --release --example screen_latency -- --max-scored 250              # ScreenOptions::max_scored
//! cargo run --release --example screen_latency -- --rounds 3   # also each query's fastest of 3 rounds
//! ```
//!
//! The queries are perturbed list names (`tests/recall/gen.rs`), or with `--customers FILE` the first N
//! rows of a customer file as `saring rescreen` reads it (names, dates of birth, nationalities; e.g. from
//! `gen_customers`), each screened on its own (no name cache). With `--rounds N` the whole sequence is
//! screened N times, each round on a thread of its own (so the thread's kept lookups, edit similarities
//! and entity briefs start over, as in the first round), and the percentiles of each query's fastest time are
//! printed too: the host's interruptions (another process, a page fault) rarely hit one query in every
//! round, so they show how much of the tail is the host's.

use saring::index::{Index, ScreenOptions};
use saring::rescreen::customers::{CustomerReader, CustomerRow};
use saring::screen::Query;
use std::path::Path;
use std::time::Instant;

#[path = "../tests/recall/gen.rs"]
mod gen;

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted.get(((sorted.len().max(1) - 1) as f64 * p).round() as usize).copied().unwrap_or(0.0)
}

fn main() {
    let all: Vec<String> = std::env::args().skip(1).collect();
    let mut options =
        if all.iter().any(|a| a == "--thorough") { ScreenOptions::thorough() } else { ScreenOptions::default() };
    let value = |flag: &str| all.iter().position(|a| a == flag).and_then(|i| all.get(i + 1)).cloned();
    if let Some(v) = value("--common-postings") {
        options.common_postings = v.parse().expect("--common-postings N");
    }
    if let Some(v) = value("--max-scored") {
        options.max_scored = v.parse().expect("--max-scored N");
    }
    let slowest: usize = value("--slowest").and_then(|v| v.parse().ok()).unwrap_or(0);
    let rounds: usize = value("--rounds").map(|v| v.parse().expect("--rounds N")).unwrap_or(1).max(1);
    let customers = value("--customers");
    let takes_value =
        |a: &str| matches!(a, "--slowest" | "--customers" | "--common-postings" | "--max-scored" | "--rounds");
    let args: Vec<&String> = all
        .iter()
        .enumerate()
        .filter(|(i, a)| !a.starts_with("--") && (*i == 0 || !takes_value(&all[i - 1])))
        .map(|(_, a)| a)
        .collect();
    let path = match args.first() {
        Some(p) => p.as_str().into(),
        None => {
            Index::open_bundled().expect("bundled index");
            saring::index::cache::bundled_index_path().expect("cache path")
        }
    };
    let n: usize = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(5000);
    let mut opens = Vec::new();
    for _ in 0..20 {
        let t = Instant::now();
        let index = Index::open(Path::new(&path)).expect("open");
        opens.push(t.elapsed().as_secs_f64() * 1e3);
        drop(index);
    }
    opens.sort_by(f64::total_cmp);
    let index = Index::open(Path::new(&path)).expect("open");
    let qs: Vec<Query> = match &customers {
        Some(file) => {
            let mut reader = CustomerReader::open(Path::new(file)).expect("customer file");
            let mut qs = Vec::with_capacity(n);
            while qs.len() < n {
                match reader.next_row().expect("read customers") {
                    Some(CustomerRow::Customer(c)) => qs.push(c.query),
                    Some(CustomerRow::Reject(_)) => {}
                    None => break,
                }
            }
            qs
        }
        None => gen::queries(&gen::list_names(&index), n, 42).into_iter().map(|q| Query::name(q.text)).collect(),
    };
    // One round: the queries in order, on a thread of its own (whose kept lookups, edit similarities and
    // entity briefs start empty) after warming the page cache and the automaton builders; each query's
    // time and hit count.
    let round = || -> Vec<(f64, usize)> {
        let screen_all = || -> Vec<(f64, usize)> {
            for q in qs.iter().take(100) {
                index.screen_with(q, &options).expect("screen");
            }
            qs.iter()
                .map(|query| {
                    let t = Instant::now();
                    let r = index.screen_with(query, &options).expect("screen");
                    let micros = t.elapsed().as_secs_f64() * 1e6;
                    (micros, std::hint::black_box(r).results.len())
                })
                .collect()
        };
        std::thread::scope(|s| s.spawn(screen_all).join().expect("round"))
    };
    let first = round();
    let mut fastest: Vec<f64> = first.iter().map(|t| t.0).collect();
    for _ in 1..rounds {
        for (best, (micros, _)) in fastest.iter_mut().zip(round()) {
            *best = best.min(micros);
        }
    }
    let mut times: Vec<f64> = first.iter().map(|t| t.0).collect();
    // The slowest queries by their fastest round (the first round's times with one round).
    let mut each: Vec<(f64, usize, &Query)> =
        fastest.iter().zip(&first).zip(&qs).map(|((&t, &(_, hits)), q)| (t, hits, q)).collect();
    times.sort_by(f64::total_cmp);
    fastest.sort_by(f64::total_cmp);
    each.sort_by(|a, b| b.0.total_cmp(&a.0));
    for (micros, hits, query) in each.iter().take(slowest) {
        let text = query.validate().map(|v| v.name_text).unwrap_or_default();
        println!("{micros:8.0} µs  {hits:3} hits  {text}");
    }
    println!("index {} ({} names)", path.display(), index.name_count());
    println!("open: median {:.3} ms, max {:.3} ms (20 opens)", percentile(&opens, 0.5), opens.last().unwrap_or(&0.0));
    println!(
        "{} queries, single thread: p50 {:.0} µs, p90 {:.0} µs, p99 {:.0} µs, max {:.0} µs",
        times.len(),
        percentile(&times, 0.5),
        percentile(&times, 0.9),
        percentile(&times, 0.99),
        times.last().copied().unwrap_or(0.0)
    );
    if rounds > 1 {
        println!(
            "each query's fastest of {rounds} rounds: p50 {:.0} µs, p90 {:.0} µs, p99 {:.0} µs, max {:.0} µs",
            percentile(&fastest, 0.5),
            percentile(&fastest, 0.9),
            percentile(&fastest, 0.99),
            fastest.last().copied().unwrap_or(0.0)
        );
    }
}
