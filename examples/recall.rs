//! Recall of the index path against brute-force scoring, and what each lookup kind buys per microsecond.
//!
//! ```text
//! cargo run --release --example recall                       # bundled lists, 2,000 queries, all brute-forced
//! cargo run --release --example recall -- INDEX.sidx 2000 2000 --ablation
//! ```
//!
//! Queries are perturbed list names (see `tests/recall/gen.rs`). Recall = share of the (query, entity)
//! pairs brute force puts at or above the lower threshold that the index path also returns;
//! top-10 = share of queries whose source entity is among the first 10 hits. `--ablation` repeats the
//! run with the joined-token, typo-tolerant and phonetic lookups switched off one at a time.

use saring::index::{Index, ScreenOptions};
use std::path::Path;

#[path = "../tests/recall/gen.rs"]
mod gen;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let ablation = args.iter().any(|a| a == "--ablation");
    let pos: Vec<&String> = args.iter().filter(|a| !a.starts_with("--")).collect();
    let index = match pos.first() {
        Some(p) => Index::open(Path::new(p)).expect("open index"),
        None => Index::open_bundled().expect("bundled index"),
    };
    let nq: usize = pos.get(1).and_then(|s| s.parse().ok()).unwrap_or(2000);
    let brute: usize = pos.get(2).and_then(|s| s.parse().ok()).unwrap_or(nq);
    let names = gen::list_names(&index);
    let qs = gen::queries(&names, nq, 20_261_122);
    println!("{} list names, {} queries, {} brute-forced", names.len(), qs.len(), brute.min(qs.len()));
    let mut variants = vec![("all lookups", ScreenOptions::default())];
    if ablation {
        variants.push(("no joined-token lookup", ScreenOptions { joined: false, ..Default::default() }));
        variants.push(("no typo-tolerant lookup", ScreenOptions { fuzzy: false, ..Default::default() }));
        variants.push(("no phonetic lookup", ScreenOptions { phonetic: false, ..Default::default() }));
        variants.push((
            "exact tokens only",
            ScreenOptions { joined: false, fuzzy: false, phonetic: false, ..Default::default() },
        ));
    }
    println!("| lookups | recall vs brute force | source in top 10 | mean µs/query | recall per 10 µs |");
    println!("|---|---|---|---|---|");
    let mut first = None;
    for (label, opts) in &variants {
        let f = gen::measure(&index, &names, &qs, brute, opts);
        println!(
            "| {label} | {:.2}% ({}/{}) | {:.2}% ({}/{}) | {:.1} | {:.3} |",
            100.0 * f.recall(),
            f.found,
            f.brute_hits,
            100.0 * f.top10_rate(),
            f.top10,
            f.queries,
            f.mean_us,
            f.recall() / f.mean_us * 10.0
        );
        first.get_or_insert(f);
    }
    if let Some(f) = first {
        println!("\nfirst misses (query → entity, brute-force score):");
        for (q, e, s) in f.misses.iter().take(15) {
            println!("  {q:?} → {e} ({s:.1})");
        }
        println!("first top-10 misses (query, source, perturbations):");
        for (q, e, k) in f.top10_misses.iter().take(15) {
            println!("  {q:?} ← {e} {k:?}");
        }
    }
}
