//! Deterministic perturbed queries from list names, shared by `tests/recall.rs` and `examples/recall.rs`.
//!
//! Each query applies one or two perturbations to a list name: a typo, transposed letters, a dropped
//! letter, a dropped or reordered token, a transliteration variant, joined or split tokens, an added
//! honorific, or stripped accents and case changes.

#![allow(dead_code)]

/// A small deterministic PRNG (SplitMix64).
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

/// The kinds of perturbation.
pub const KINDS: [&str; 9] =
    ["typo", "transpose", "drop_letter", "drop_token", "reorder", "translit", "join_split", "honorific", "case"];

/// Transliteration variants (both directions are tried).
const TRANSLIT: [(&str, &str); 16] = [
    ("mohammed", "muhammad"),
    ("mohammad", "muhammad"),
    ("ou", "u"),
    ("y", "i"),
    ("kh", "h"),
    ("sh", "sch"),
    ("ph", "f"),
    ("j", "dj"),
    ("u", "oe"),
    ("c", "k"),
    ("ie", "i"),
    ("ei", "ey"),
    ("q", "k"),
    ("dh", "d"),
    ("ck", "k"),
    ("ee", "i"),
];

const HONORIFICS: [&str; 8] = ["Mr", "Dr", "Haji", "Sheikh", "Mrs", "Prof", "H.", "Ir."];

fn tokens(name: &str) -> Vec<String> {
    name.split(|c: char| c.is_whitespace() || c == ',').filter(|t| !t.is_empty()).map(String::from).collect()
}

fn edit_token(t: &str, rng: &mut Rng, kind: &str) -> Option<String> {
    let chars: Vec<char> = t.chars().collect();
    if chars.len() < 4 {
        return None;
    }
    let i = 1 + rng.below(chars.len() - 2);
    let mut c = chars.clone();
    match kind {
        "typo" => {
            let letters = "aeioustrnlkm";
            let l = letters.chars().nth(rng.below(letters.len()))?;
            if c[i].to_lowercase().next() == Some(l) {
                return None;
            }
            c[i] = l;
        }
        "transpose" => {
            let j = i + 1;
            if j >= c.len() || c[i] == c[j] {
                return None;
            }
            c.swap(i, j);
        }
        _ => {
            c.remove(i);
        }
    }
    Some(c.into_iter().collect())
}

/// Applies one perturbation of `kind`; `None` when it does not apply to this name.
pub fn perturb_once(name: &str, kind: &str, rng: &mut Rng) -> Option<String> {
    let mut toks = tokens(name);
    if toks.is_empty() {
        return None;
    }
    match kind {
        "typo" | "transpose" | "drop_letter" => {
            let long: Vec<usize> = (0..toks.len()).filter(|i| toks[*i].chars().count() >= 5).collect();
            if long.is_empty() {
                return None;
            }
            let i = long[rng.below(long.len())];
            toks[i] = edit_token(&toks[i], rng, kind)?;
        }
        "drop_token" => {
            if toks.len() < 3 {
                return None;
            }
            let i = rng.below(toks.len());
            toks.remove(i);
        }
        "reorder" => {
            if toks.len() < 2 {
                return None;
            }
            let k = 1 + rng.below(toks.len() - 1);
            toks.rotate_left(k);
        }
        "translit" => {
            let lower = name.to_lowercase();
            let start = rng.below(TRANSLIT.len());
            for k in 0..TRANSLIT.len() {
                let (a, b) = TRANSLIT[(start + k) % TRANSLIT.len()];
                let (from, to) = if rng.below(2) == 0 { (a, b) } else { (b, a) };
                if lower.contains(from) {
                    return Some(lower.replacen(from, to, 1));
                }
            }
            return None;
        }
        "join_split" => {
            if toks.len() >= 2 && rng.below(2) == 0 {
                let i = rng.below(toks.len() - 1);
                let joined = format!("{}{}", toks[i], toks[i + 1]);
                toks.splice(i..i + 2, [joined]);
            } else {
                let long: Vec<usize> = (0..toks.len()).filter(|i| toks[*i].chars().count() >= 7).collect();
                if long.is_empty() {
                    return None;
                }
                let i = long[rng.below(long.len())];
                let c: Vec<char> = toks[i].chars().collect();
                let cut = 3 + rng.below(c.len() - 5);
                let (a, b) = c.split_at(cut);
                toks.splice(i..=i, [a.iter().collect::<String>(), b.iter().collect::<String>()]);
            }
        }
        "honorific" => {
            toks.insert(0, HONORIFICS[rng.below(HONORIFICS.len())].to_string());
        }
        _ => {
            // Case and accents: lower-case everything and put an accent on the first vowel.
            let s = toks.join(" ").to_lowercase();
            return Some(s.replacen('e', "é", 1).replacen('a', "á", 1));
        }
    }
    Some(toks.join(" "))
}

/// One or two perturbations of `name`, with the kinds applied.
pub fn perturb(name: &str, rng: &mut Rng) -> Option<(String, Vec<&'static str>)> {
    let n = 1 + rng.below(2);
    let mut out = name.to_string();
    let mut kinds = Vec::new();
    for _ in 0..n {
        for _attempt in 0..4 {
            let kind = KINDS[rng.below(KINDS.len())];
            if let Some(p) = perturb_once(&out, kind, rng) {
                out = p;
                kinds.push(kind);
                break;
            }
        }
    }
    (!kinds.is_empty() && out != name).then_some((out, kinds))
}

use saring::index::{Index, ScreenOptions};
use saring::screen::Query;
use saring::text::{analyze, Name, NameKind};
use saring::{compare_names, CompareOptions, EntityKind, Thresholds};
use std::collections::{HashMap, HashSet};
use std::time::Instant;

/// One list name, analysed as the index builder analyses it.
pub struct ListName {
    pub entity: String,
    pub weak: bool,
    pub raw: String,
    pub name: Name,
}

/// Every name of every entity in the index, analysed.
pub fn list_names(index: &Index) -> Vec<ListName> {
    let mut out = Vec::new();
    for e in index.entities() {
        let e = e.expect("entity decodes");
        let kind = match e.kind {
            EntityKind::Individual => NameKind::Person,
            EntityKind::Entity | EntityKind::Vessel | EntityKind::Aircraft => NameKind::Entity,
            EntityKind::Unknown => NameKind::Unknown,
        };
        for n in &e.names {
            let text = if n.full.trim().is_empty() {
                [&n.given, &n.middle, &n.family].iter().filter_map(|p| p.as_deref()).collect::<Vec<_>>().join(" ")
            } else {
                n.full.clone()
            };
            let name = analyze(&text, kind);
            if !name.tokens.is_empty() {
                out.push(ListName {
                    entity: e.id.clone(),
                    weak: n.quality == saring::model::NameQuality::Weak,
                    raw: text,
                    name,
                });
            }
        }
    }
    out
}

/// A perturbed query and the entity it came from.
pub struct TestQuery {
    pub text: String,
    pub source: String,
    pub kinds: Vec<&'static str>,
}

/// `n` perturbed queries from names with at least two tokens, chosen with a seeded PRNG.
pub fn queries(names: &[ListName], n: usize, seed: u64) -> Vec<TestQuery> {
    let mut rng = Rng::new(seed);
    let pool: Vec<&ListName> = names.iter().filter(|l| l.name.tokens.len() >= 2 && !l.weak).collect();
    let mut out = Vec::with_capacity(n);
    let mut guard = 0;
    while out.len() < n && !pool.is_empty() && guard < n * 20 {
        guard += 1;
        let l = pool[rng.below(pool.len())];
        if let Some((text, kinds)) = perturb(&l.raw, &mut rng) {
            out.push(TestQuery { text, source: l.entity.clone(), kinds });
        }
    }
    out
}

/// The score brute force gives a list name for a query: the name score, less the weak-alias discount.
pub fn name_score(query: &Name, l: &ListName) -> f64 {
    let kind = if query.kind == NameKind::Unknown { l.name.kind } else { query.kind };
    let s = compare_names(query, &l.name, &CompareOptions { kind, thresholds: Thresholds::default() }).score
        - if l.weak { saring::score::entity::WEAK_ALIAS } else { 0.0 };
    s.clamp(0.0, 100.0)
}

/// The entities brute-force scoring puts at or above the lower threshold (best name, weak aliases
/// discounted as the screen does), with their scores.
pub fn brute_force(query: &Name, names: &[ListName]) -> HashMap<String, f64> {
    let thresholds = Thresholds::default();
    let mut best: HashMap<String, f64> = HashMap::new();
    for l in names {
        let s = name_score(query, l);
        let e = best.entry(l.entity.clone()).or_insert(f64::MIN);
        if s > *e {
            *e = s;
        }
    }
    best.retain(|_, s| *s >= thresholds.lower);
    best
}

/// Recall and speed figures.
#[derive(Debug, Default)]
pub struct Figures {
    /// Queries screened through the index.
    pub queries: usize,
    /// Queries whose source entity is in the top 10.
    pub top10: usize,
    /// Queries also scored by brute force.
    pub brute_queries: usize,
    /// Brute-force hits (entity ≥ lower threshold), summed over queries.
    pub brute_hits: usize,
    /// Of those, returned by the index path.
    pub found: usize,
    /// Brute-force top-10 hits (entity ≥ lower threshold, best 10 per query), summed over queries.
    pub top_hits: usize,
    /// Of those, in the index path's top 10 (or displaced there by hits scoring at least as much).
    pub top_found: usize,
    /// Mean index-path time per query, microseconds.
    pub mean_us: f64,
    /// Top-10 misses: (query, entity, brute-force score).
    pub top_misses: Vec<(String, String, f64)>,
    /// Misses: (query, entity, brute-force score).
    pub misses: Vec<(String, String, f64)>,
    /// Queries whose source was not in the top 10, with their perturbations.
    pub top10_misses: Vec<(String, String, Vec<&'static str>)>,
    /// Brute-force hits and those the index path returned, by score band ([`BANDS`]).
    pub bands: [(usize, usize); BANDS.len()],
}

/// Score bands of the recall breakdown: from each bound up to the next (the last up to 100).
pub const BANDS: [f64; 5] = [40.0, 50.0, 60.0, 70.0, 80.0];

/// The band of a brute-force score at or above the lowest bound.
pub fn band(score: f64) -> usize {
    BANDS.iter().rposition(|b| score >= *b).unwrap_or(0)
}

/// `part / whole`, 1 when there is nothing to find.
fn ratio(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        1.0
    } else {
        part as f64 / whole as f64
    }
}

/// `part / whole` as a percentage with its counts: `93.02% (13570/14589)`.
pub fn share(part: usize, whole: usize) -> String {
    format!("{:.2}% ({part}/{whole})", 100.0 * ratio(part, whole))
}

impl Figures {
    pub fn recall(&self) -> f64 {
        ratio(self.found, self.brute_hits)
    }
    pub fn top_recall(&self) -> f64 {
        ratio(self.top_found, self.top_hits)
    }
    pub fn top10_rate(&self) -> f64 {
        ratio(self.top10, self.queries)
    }
    /// The figures in one line, each share with its counts.
    pub fn summary(&self) -> String {
        format!(
            "queries {}: source entity in top 10 {}; brute-forced {}: top-10 recall {}, full recall {}; mean {:.0} µs/query",
            self.queries,
            share(self.top10, self.queries),
            self.brute_queries,
            share(self.top_found, self.top_hits),
            share(self.found, self.brute_hits),
            self.mean_us
        )
    }
}

/// Screens every query through the index (top-10 check and timing) and the first `brute` of them by
/// brute force too (recall check). Brute force runs in parallel.
pub fn measure(index: &Index, names: &[ListName], qs: &[TestQuery], brute: usize, opts: &ScreenOptions) -> Figures {
    use rayon::prelude::*;
    let mut f = Figures { queries: qs.len(), ..Default::default() };
    let mut spent = 0.0;
    let mut wide: Vec<HashSet<String>> = Vec::new();
    let mut tops: Vec<Vec<(String, f64)>> = Vec::new();
    for (i, q) in qs.iter().enumerate() {
        let t = Instant::now();
        let top = index.screen_with(&Query::name(q.text.clone()), opts).expect("screen");
        spent += t.elapsed().as_secs_f64();
        if i < brute {
            tops.push(top.results.iter().map(|h| (h.id.clone(), h.score)).collect());
        }
        if top.results.iter().any(|h| h.id == q.source) {
            f.top10 += 1;
        } else {
            f.top10_misses.push((q.text.clone(), q.source.clone(), q.kinds.clone()));
        }
        if i < brute {
            let all = index
                .screen_with(&Query { limit: Some(100_000), ..Query::name(q.text.clone()) }, opts)
                .expect("screen");
            wide.push(all.results.into_iter().map(|h| h.id).collect());
        }
    }
    f.mean_us = spent * 1e6 / qs.len().max(1) as f64;
    let n = brute.min(qs.len());
    let brute_sets: Vec<HashMap<String, f64>> =
        qs[..n].par_iter().map(|q| brute_force(&analyze(&q.text, NameKind::Unknown), names)).collect();
    f.brute_queries = n;
    for (i, b) in brute_sets.iter().enumerate() {
        // Top 10 by brute force (score desc, then id, as the screen sorts).
        let mut sorted: Vec<(&String, f64)> = b.iter().map(|(e, s)| (e, *s)).collect();
        sorted.sort_by(|x, y| y.1.total_cmp(&x.1).then(x.0.cmp(y.0)));
        let top = &tops[i];
        let floor = if top.len() == 10 { top.last().map(|t| t.1).unwrap_or(f64::MAX) } else { f64::MAX };
        for (e, s) in sorted.iter().take(10) {
            f.top_hits += 1;
            if top.iter().any(|t| &t.0 == *e) || *s <= floor + 0.05 {
                f.top_found += 1;
            } else {
                f.top_misses.push((qs[i].text.clone(), (*e).clone(), *s));
            }
        }
        f.brute_hits += b.len();
        for (e, s) in b {
            let band = &mut f.bands[band(*s)];
            band.0 += 1;
            if wide[i].contains(e) {
                f.found += 1;
                band.1 += 1;
            } else {
                f.misses.push((qs[i].text.clone(), e.clone(), *s));
            }
        }
    }
    f
}
