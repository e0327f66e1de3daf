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
//! run with the typo-tolerant lookup done by Levenshtein automata instead of deletion variants, and with
//! the joined-token, typo-tolerant, phonetic and initial lookups switched off one at a time.
//! `--margin POINTS` and `--max-scored N` change the stopping rule of screening, `--common-postings N`
//! the length from which a posting list only adds to names found through rarer keys, and
//! `--typo deletions|reach|automaton|off` the typo-tolerant lookup; `--thorough` starts from
//! `ScreenOptions::thorough()` instead of the default. The output breaks the hits found down by
//! brute-force score band; `--misses-above SCORE` lists the misses scoring at least `SCORE`.

use saring::index::{Index, ScreenOptions, Typo};
use std::path::Path;

#[path = "../tests/recall/gen.rs"]
mod gen;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let ablation = args.iter().any(|a| a == "--ablation");
    let flag = |name: &str| args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).cloned();
    let mut base =
        if args.iter().any(|a| a == "--thorough") { ScreenOptions::thorough() } else { ScreenOptions::default() };
    if let Some(v) = flag("--max-scored") {
        base.max_scored = v.parse().expect("--max-scored N");
    }
    if let Some(v) = flag("--typo") {
        base.typo = match v.as_str() {
            "deletions" => Typo::Deletions,
            "reach" => Typo::Reach,
            "automaton" => Typo::Automaton,
            "off" => Typo::Off,
            _ => panic!("--typo deletions|reach|automaton|off"),
        };
    }
    if let Some(v) = flag("--common-postings") {
        base.common_postings = v.parse().expect("--common-postings N");
    }
    if let Some(v) = flag("--margin") {
        base.margin = v.parse().expect("--margin POINTS");
    }
    let values: Vec<&String> = ["--max-scored", "--margin", "--typo", "--common-postings", "--misses-above"]
        .iter()
        .filter_map(|f| args.iter().position(|a| a == f).and_then(|i| args.get(i + 1)))
        .collect();
    let pos: Vec<&String> =
        args.iter().filter(|a| !a.starts_with("--") && !values.iter().any(|v| std::ptr::eq(*v, *a))).collect();
    let index = match pos.first() {
        Some(p) => Index::open(Path::new(p)).expect("open index"),
        None => Index::open_bundled().expect("bundled index"),
    };
    let nq: usize = pos.get(1).and_then(|s| s.parse().ok()).unwrap_or(2000);
    let brute: usize = pos.get(2).and_then(|s| s.parse().ok()).unwrap_or(nq);
    let names = gen::list_names(&index);
    let qs = gen::queries(&names, nq, 20_261_122);
    println!("{} list names, {} queries, {} brute-forced", names.len(), qs.len(), brute.min(qs.len()));
    let mut variants = vec![("all lookups", base.clone())];
    if ablation {
        variants.push(("no joined-token lookup", ScreenOptions { joined: false, ..base.clone() }));
        variants.push(("typos by Levenshtein automata", ScreenOptions { typo: Typo::Automaton, ..base.clone() }));
        variants.push(("no typo-tolerant lookup", ScreenOptions { typo: Typo::Off, ..base.clone() }));
        variants.push(("no phonetic lookup", ScreenOptions { phonetic: false, ..base.clone() }));
        variants.push(("no initial lookup", ScreenOptions { initials: false, ..base.clone() }));
        variants.push((
            "exact tokens only",
            ScreenOptions { joined: false, typo: Typo::Off, phonetic: false, initials: false, ..base.clone() },
        ));
    }
    println!(
        "| lookups | top-10 recall vs brute force | full recall vs brute force | source in top 10 | mean µs/query |"
    );
    println!("|---|---|---|---|---|");
    let mut first = None;
    for (label, opts) in &variants {
        let f = gen::measure(&index, &names, &qs, brute, opts);
        println!(
            "| {label} | {} | {} | {} | {:.1} |",
            gen::share(f.top_found, f.top_hits),
            gen::share(f.found, f.brute_hits),
            gen::share(f.top10, f.queries),
            f.mean_us,
        );
        first.get_or_insert(f);
    }
    if let Some(f) = first {
        println!("\nbrute-force hits found by the first row's screening, by score band:");
        println!("| score | hits found |");
        println!("|---|---|");
        for (k, (hits, found)) in f.bands.iter().enumerate() {
            let upper = gen::BANDS.get(k + 1).map_or("100".to_string(), |b| format!("{b}"));
            println!("| {}–{upper} | {} |", gen::BANDS[k], gen::share(*found, *hits));
        }
        if let Some(floor) = flag("--misses-above").and_then(|v| v.parse::<f64>().ok()) {
            println!("\nmisses scoring {floor} or more by brute force (query → entity, score, matched list name):");
            let mut above: Vec<&(String, String, f64)> = f.misses.iter().filter(|m| m.2 >= floor).collect();
            above.sort_by(|a, b| b.2.total_cmp(&a.2));
            let mut by_entity: std::collections::HashMap<&str, Vec<&gen::ListName>> = Default::default();
            for l in &names {
                by_entity.entry(l.entity.as_str()).or_default().push(l);
            }
            for (q, e, s) in above {
                let query = saring::text::analyze(q, saring::text::NameKind::Unknown);
                let matched = by_entity
                    .get(e.as_str())
                    .and_then(|ns| {
                        ns.iter().map(|l| (gen::name_score(&query, l), l)).max_by(|a, b| a.0.total_cmp(&b.0))
                    })
                    .map_or("", |(_, l)| l.raw.as_str());
                println!("  {q:?} → {e} ({s:.1}) {matched:?}");
            }
        }
        println!("\ntop-10 misses (query → entity, brute-force score):");
        for (q, e, s) in f.top_misses.iter().step_by((f.top_misses.len() / 25).max(1)).take(25) {
            let names = index
                .entity(e)
                .ok()
                .flatten()
                .map(|x| x.names.iter().map(|n| n.full.clone()).collect::<Vec<_>>().join(" | "))
                .unwrap_or_default();
            println!("  {q:?} → {e} ({s:.1}) {names}");
        }
        println!("first top-10 misses (query, source, perturbations):");
        for (q, e, k) in f.top10_misses.iter().take(15) {
            println!("  {q:?} ← {e} {k:?}");
        }
    }
}
