//! Accuracy report on labelled name pairs.
//!
//! ```text
//! cargo run --release --example accuracy -- FILE.csv [--upper 80] [--lower 40] [--misses N]
//! ```
//! The CSV has a header with `name_a`, `name_b`, `label` (1 same entity, 0 different) and optionally
//! `kind` or `schema` (Person / Organization / Vessel / ...), `relation`, `shares_token`, `script_a`,
//! `script_b`. Prints precision, recall and F1 of MATCH, the recall of MATCH ∪ UNCLEAR ("alert recall"),
//! the MATCH and alert rates on negatives, the same per `relation` and per `kind`, the threshold that
//! maximises F1, and the "variant" subset (positives that share a word or differ in script, and all
//! negatives) on which the targets are set. `--misses N` prints N missed positives and N false MATCHes.
//! `--cross-script-negatives` also pairs each `original_script` positive's first name with the second
//! name of every other such positive of the same kind (a Latin name against another person's
//! Arabic-script name, say) and reports the MATCH and alert rates of those negatives apart.

use rayon::prelude::*;
use saring::{compare, CompareOptions, Decision, NameKind, Thresholds};
use std::collections::BTreeMap;

struct Row {
    a: String,
    b: String,
    label: bool,
    kind: NameKind,
    relation: String,
    variant_subset: bool,
}

#[derive(Default)]
struct Counts {
    tp: usize,
    fn_: usize,
    fp: usize,
    tn: usize,
    pos_alert: usize,
    neg_alert: usize,
}

impl Counts {
    fn add(&mut self, label: bool, d: Decision) {
        match (label, d) {
            (true, Decision::Match) => self.tp += 1,
            (true, _) => self.fn_ += 1,
            (false, Decision::Match) => self.fp += 1,
            (false, _) => self.tn += 1,
        }
        if d != Decision::NotMatch {
            if label {
                self.pos_alert += 1
            } else {
                self.neg_alert += 1
            }
        }
    }
    fn line(&self, name: &str) -> String {
        let pos = self.tp + self.fn_;
        let neg = self.fp + self.tn;
        let p = ratio(self.tp, self.tp + self.fp);
        let r = ratio(self.tp, pos);
        let f1 = if p + r > 0.0 { 2.0 * p * r / (p + r) } else { 0.0 };
        format!(
            "{name:<34} {pos:>6} {neg:>6}  {:>9} {:>7} {:>6}  {:>11}  {:>11} {:>11}",
            fmt(p, self.tp + self.fp),
            fmt(r, pos),
            fmt(f1, pos),
            fmt(ratio(self.pos_alert, pos), pos),
            fmt(ratio(self.fp, neg), neg),
            fmt(ratio(self.neg_alert, neg), neg),
        )
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

fn fmt(x: f64, n: usize) -> String {
    if n == 0 {
        "-".into()
    } else {
        format!("{x:.3}")
    }
}

fn kind_of(s: &str) -> NameKind {
    match s.to_ascii_lowercase().as_str() {
        "person" | "individual" => NameKind::Person,
        "" | "auto" | "unknown" => NameKind::Unknown,
        _ => NameKind::Entity,
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let path = args.first().ok_or("usage: accuracy FILE.csv [--upper N] [--lower N] [--misses N]")?;
    let opt = |name: &str, default: f64| -> f64 {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    let thresholds = Thresholds::new(opt("--upper", 80.0), opt("--lower", 40.0))?;
    let misses = opt("--misses", 0.0) as usize;
    let cross_negatives = args.iter().any(|a| a == "--cross-script-negatives");

    let mut rdr = csv::Reader::from_path(path)?;
    let h = rdr.headers()?.clone();
    let col = |n: &str| h.iter().position(|x| x == n);
    let (ia, ib, il) =
        (col("name_a").ok_or("no name_a")?, col("name_b").ok_or("no name_b")?, col("label").ok_or("no label")?);
    let ik = col("kind").or(col("schema"));
    let (ir, ist, isa, isb) = (col("relation"), col("shares_token"), col("script_a"), col("script_b"));
    let mut rows = Vec::new();
    for rec in rdr.records() {
        let rec = rec?;
        let get = |i: Option<usize>| i.and_then(|i| rec.get(i)).unwrap_or("").to_string();
        let label = get(Some(il)).trim() == "1";
        let shares = get(ist) == "1";
        let cross_script = get(isa) != get(isb);
        rows.push(Row {
            a: get(Some(ia)),
            b: get(Some(ib)),
            label,
            kind: kind_of(&get(ik)),
            relation: get(ir),
            variant_subset: !label || shares || cross_script || ist.is_none(),
        });
    }
    let start = std::time::Instant::now();
    let scores: Vec<f64> =
        rows.par_iter().map(|r| compare(&r.a, &r.b, &CompareOptions { kind: r.kind, thresholds }).score).collect();
    let elapsed = start.elapsed();

    let mut all = Counts::default();
    let mut subset = Counts::default();
    let mut by_rel: BTreeMap<String, Counts> = BTreeMap::new();
    let mut by_kind: BTreeMap<String, Counts> = BTreeMap::new();
    for (r, &s) in rows.iter().zip(&scores) {
        let d = thresholds.decide(s);
        all.add(r.label, d);
        if r.variant_subset {
            subset.add(r.label, d);
        }
        by_rel.entry(r.relation.clone()).or_default().add(r.label, d);
        by_kind.entry(format!("{:?}", r.kind).to_lowercase()).or_default().add(r.label, d);
    }
    println!(
        "{} pairs scored in {:.2} s wall time ({:.1} µs CPU-equivalent per pair over {} threads); thresholds upper {} lower {}",
        rows.len(),
        elapsed.as_secs_f64(),
        elapsed.as_secs_f64() * 1e6 / rows.len().max(1) as f64 * rayon::current_num_threads() as f64,
        rayon::current_num_threads(),
        thresholds.upper,
        thresholds.lower
    );
    println!(
        "\n{:<34} {:>6} {:>6}  {:>9} {:>7} {:>6}  {:>11}  {:>11} {:>11}",
        "set", "pos", "neg", "precision", "recall", "F1", "alertRecall", "negMATCH", "negAlert"
    );
    println!("{}", all.line("all pairs"));
    println!("{}", subset.line("variant subset (targets)"));
    for (k, c) in &by_rel {
        println!("{}", c.line(&format!("relation={k}")));
    }
    for (k, c) in &by_kind {
        println!("{}", c.line(&format!("kind={k}")));
    }

    // Threshold maximising F1 of MATCH (on all pairs and on the variant subset).
    for (name, filter) in [("all pairs", false), ("variant subset", true)] {
        let mut best = (0.0, 0.0);
        for t in (30..=100).map(|t| t as f64) {
            let (mut tp, mut fp, mut pos) = (0, 0, 0);
            for (r, &s) in rows.iter().zip(&scores) {
                if filter && !r.variant_subset {
                    continue;
                }
                pos += r.label as usize;
                if s >= t {
                    if r.label {
                        tp += 1
                    } else {
                        fp += 1
                    }
                }
            }
            let p = ratio(tp, tp + fp);
            let rc = ratio(tp, pos);
            let f1 = if p + rc > 0.0 { 2.0 * p * rc / (p + rc) } else { 0.0 };
            if f1 > best.1 {
                best = (t, f1);
            }
        }
        println!("best F1 threshold ({name}): {} (F1 {:.3})", best.0, best.1);
    }
    println!("\nprecision / recall of `score >= t` on the variant subset:");
    for t in (50..=95).step_by(5).map(|t| t as f64) {
        let (mut tp, mut fp, mut pos) = (0, 0, 0);
        for (r, &s) in rows.iter().zip(&scores).filter(|(r, _)| r.variant_subset) {
            pos += r.label as usize;
            if s >= t {
                if r.label {
                    tp += 1
                } else {
                    fp += 1
                }
            }
        }
        println!("  t={t:>3}: precision {:.3} recall {:.3}", ratio(tp, tp + fp), ratio(tp, pos));
    }
    if misses > 0 {
        println!("\nmissed positives (variant subset, not MATCH):");
        for (r, s) in
            rows.iter().zip(&scores).filter(|(r, s)| r.label && r.variant_subset && **s < thresholds.upper).take(misses)
        {
            println!("  {s:>5.1}  {} | {} ({})", r.a, r.b, r.relation);
        }
        println!("\nfalse MATCHes:");
        for (r, s) in rows.iter().zip(&scores).filter(|(r, s)| !r.label && **s >= thresholds.upper).take(misses) {
            println!("  {s:>5.1}  {} | {} ({})", r.a, r.b, r.relation);
        }
    }
    if cross_negatives {
        report_cross_script_negatives(&rows, thresholds, misses);
    }
    Ok(())
}

/// Negatives across scripts: the first name of each `original_script` positive against the second name
/// of every other one of the same kind (texts that differ on both sides).
fn report_cross_script_negatives(rows: &[Row], thresholds: Thresholds, misses: usize) {
    let pos: Vec<&Row> = rows.iter().filter(|r| r.label && r.relation == "original_script").collect();
    let mut pairs = Vec::new();
    for x in &pos {
        for y in &pos {
            if x.kind == y.kind && x.a != y.a && x.b != y.b {
                pairs.push((x.a.as_str(), y.b.as_str(), x.kind));
            }
        }
    }
    let scores: Vec<f64> =
        pairs.par_iter().map(|(a, b, kind)| compare(a, b, &CompareOptions { kind: *kind, thresholds }).score).collect();
    let mut c = Counts::default();
    scores.iter().for_each(|&s| c.add(false, thresholds.decide(s)));
    println!(
        "\ncross-script negatives ({} pairs from {} original-script positives): MATCH {} ({:.3}%), alert {} ({:.3}%)",
        pairs.len(),
        pos.len(),
        c.fp,
        100.0 * ratio(c.fp, pairs.len()),
        c.neg_alert,
        100.0 * ratio(c.neg_alert, pairs.len())
    );
    for ((a, b, _), s) in pairs.iter().zip(&scores).filter(|(_, s)| **s >= thresholds.upper).take(misses) {
        println!("  {s:>5.1}  {a} | {b}");
    }
}
