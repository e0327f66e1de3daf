//! Dow Jones-scale index: build, open and query an index of millions of synthetic entities.
//!
//! ```text
//! cargo run --release --example dj_scale -- build  2000000 /tmp/dj.sidx   # build (measure with /usr/bin/time -v)
//! cargo run --release --example dj_scale -- query  /tmp/dj.sidx 2000      # open time, p50/p99, RSS
//! cargo run --release --example dj_scale -- queries /tmp/dj.sidx 20000 /tmp/q.jsonl   # JSONL for `saring screen --queries`
//! ```
//!
//! Entities are invented: multi-cultural given names and surnames (Arabic, Indonesian/Malay, Chinese,
//! Korean, Russian, Hispanic, English, Indian), plus syllable-built surnames so that names stay diverse
//! at millions of records; 80% persons with 1–4 names (aliases), 20% companies with a legal form.

use saring::index::{Index, IndexBuilder};
use saring::model::{Address, DateValue, EntityName, NameQuality, NameType, PartialDate};
use saring::screen::Query;
use saring::{Entity, EntityKind, Publisher};
use std::time::Instant;

#[path = "../tests/recall/gen.rs"]
mod gen;
use gen::Rng;

const GIVEN: &[&str] = &[
    "Mohammed", "Ahmad", "Ali", "Omar", "Yusuf", "Ibrahim", "Hassan", "Fatima", "Aisha", "Khalid", "Abdul", "Rahman",
    "Budi", "Siti", "Agus", "Dewi", "Joko", "Sri", "Wahyu", "Putri", "Bambang", "Nur", "Wei", "Li", "Jun", "Ming",
    "Xiao", "Hong", "Min-jun", "Ji-woo", "Seo-yeon", "Kyong", "Sergei", "Vladimir", "Olga", "Natalia", "Dmitri",
    "Ivan", "Jose", "Maria", "Carlos", "Juan", "Ana", "Luis", "John", "Michael", "David", "Sarah", "James", "Emma",
    "Rajesh", "Priya", "Amit", "Sunita", "Vikram", "Anil",
];
const SURNAME: &[&str] = &[
    "Al-Rashid",
    "Hussein",
    "Khan",
    "Haddad",
    "Nasser",
    "Saleh",
    "Mansour",
    "Suharto",
    "Wijaya",
    "Santoso",
    "Hidayat",
    "Kusuma",
    "Pratama",
    "Setiawan",
    "Wang",
    "Zhang",
    "Chen",
    "Liu",
    "Huang",
    "Kim",
    "Park",
    "Lee",
    "Choi",
    "Ivanov",
    "Petrov",
    "Smirnov",
    "Kuznetsov",
    "Popova",
    "Garcia",
    "Rodriguez",
    "Martinez",
    "Lopez",
    "Gonzalez",
    "Smith",
    "Johnson",
    "Brown",
    "Williams",
    "Taylor",
    "Sharma",
    "Patel",
    "Singh",
    "Gupta",
    "Reddy",
];
const SYL: &[&str] = &[
    "ka", "ri", "mo", "ta", "sun", "dar", "el", "na", "vo", "lin", "ber", "ha", "zu", "qi", "tor", "man", "sa", "ko",
    "ne", "bu", "ra", "shi", "den", "go", "pa", "le", "wi", "jo", "ya", "mir", "han", "ov", "ez", "ton", "ska", "yu",
];
const WORDS: &[&str] = &[
    "Global",
    "Energy",
    "Trading",
    "Shipping",
    "Holdings",
    "Petro",
    "Star",
    "Ocean",
    "Golden",
    "Eastern",
    "Capital",
    "Industrial",
    "Logistics",
    "Mining",
    "Finance",
    "Nusantara",
    "Sejahtera",
    "Maju",
    "Jaya",
    "Abadi",
    "Silk",
    "Dragon",
    "Baltic",
    "Caspian",
    "Sahara",
    "Pacific",
    "Alliance",
    "Group",
    "Tech",
    "Agro",
];
const FORMS: &[&str] = &["LTD", "LLC", "PT", "PTE LTD", "JSC", "GmbH", "SA", "INC", "CORP", "Tbk", "CO"];
const COUNTRIES: &[&str] = &["ID", "MY", "SG", "CN", "KR", "KP", "RU", "IR", "SY", "US", "GB", "MX", "IN", "AE", "PK"];

fn pick<'a>(rng: &mut Rng, v: &[&'a str]) -> &'a str {
    v[rng.below(v.len())]
}

fn surname(rng: &mut Rng) -> String {
    if rng.below(3) == 0 {
        pick(rng, SURNAME).to_string()
    } else {
        let n = 2 + rng.below(2);
        let s: String = (0..n).map(|_| pick(rng, SYL)).collect();
        let mut c = s.chars();
        c.next().map(|f| f.to_uppercase().collect::<String>() + c.as_str()).unwrap_or_default()
    }
}

/// The `i`-th synthetic entity (deterministic).
pub fn entity(i: u64) -> Entity {
    let mut rng = Rng::new(i.wrapping_mul(0x2545_F491_4F6C_DD1D) ^ 0xDEAD_BEEF);
    let company = rng.below(5) == 0;
    let mut names = Vec::new();
    let (kind, list) = if company {
        let base = format!("{} {} {}", pick(&mut rng, WORDS), surname(&mut rng), pick(&mut rng, WORDS));
        names.push(EntityName::new(
            format!("{base} {}", pick(&mut rng, FORMS)),
            NameType::Primary,
            NameQuality::Strong,
        ));
        if rng.below(2) == 0 {
            names.push(EntityName::new(
                format!("{base} {}", pick(&mut rng, FORMS)),
                NameType::Aka,
                NameQuality::Strong,
            ));
        }
        names.push(EntityName::new(
            format!("{} {} {}", pick(&mut rng, WORDS), surname(&mut rng), pick(&mut rng, FORMS)),
            NameType::Fka,
            NameQuality::Strong,
        ));
        (EntityKind::Entity, "SIP")
    } else {
        let given = pick(&mut rng, GIVEN);
        let middle = if rng.below(2) == 0 { Some(pick(&mut rng, GIVEN)) } else { None };
        let family = surname(&mut rng);
        let full = match middle {
            Some(m) => format!("{given} {m} {family}"),
            None => format!("{given} {family}"),
        };
        names.push(EntityName {
            full,
            name_type: NameType::Primary,
            quality: NameQuality::Strong,
            given: Some(given.into()),
            middle: middle.map(String::from),
            family: Some(family.clone()),
            language: None,
        });
        for _ in 0..rng.below(4) {
            let alias = match rng.below(3) {
                0 => format!("{} {family}", pick(&mut rng, GIVEN)),
                1 => format!("{given} {}", surname(&mut rng)),
                _ => format!("{family} {given}"),
            };
            let q = if rng.below(4) == 0 { NameQuality::Weak } else { NameQuality::Strong };
            names.push(EntityName::new(alias, NameType::Aka, q));
        }
        (EntityKind::Individual, if rng.below(3) == 0 { "RCA" } else { "PEP" })
    };
    let country = pick(&mut rng, COUNTRIES).to_string();
    let dob = PartialDate { y: 1940 + rng.below(60) as u16, m: rng.below(13) as u8, d: 0 };
    Entity {
        id: format!("DJ-{i}"),
        publisher: Some(Publisher::DowJones),
        list: list.into(),
        kind,
        raw: serde_json::json!({ "id": i, "names": names.iter().map(|n| n.full.clone()).collect::<Vec<_>>(),
            "country": country, "description": "synthetic record" }),
        names,
        dates_of_birth: if company { vec![] } else { vec![DateValue::exact(dob)] },
        nationalities: if company { vec![] } else { vec![country.clone()] },
        addresses: vec![Address { country: Some(country), city: Some("City".into()), ..Default::default() }],
        ..Default::default()
    }
}

fn rss_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmRSS:")).map(|l| l.to_string()))
        .and_then(|l| l.split_whitespace().nth(1).and_then(|v| v.parse().ok()))
        .unwrap_or(0)
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("build") => {
            let n: u64 = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(2_000_000);
            let out = args.get(2).cloned().unwrap_or_else(|| "/tmp/dj.sidx".into());
            let start = Instant::now();
            let mut b = IndexBuilder::new(&out).expect("builder");
            let mut names = 0usize;
            for i in 0..n {
                let e = entity(i);
                names += e.names.len();
                b.add(&e).expect("add");
                if i > 0 && i % 500_000 == 0 {
                    eprintln!("{i} entities, {:.1} s", start.elapsed().as_secs_f64());
                }
            }
            let info = b.finish().expect("finish");
            println!(
                "built {out}: {} entities, {} names ({names} given), {} terms, {} bytes ({:.1} MB) in {:.1} s",
                info.entities,
                info.names,
                info.terms,
                info.file_size,
                info.file_size as f64 / 1e6,
                start.elapsed().as_secs_f64()
            );
        }
        Some("query") => {
            let path = args.get(1).cloned().unwrap_or_else(|| "/tmp/dj.sidx".into());
            let nq: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(2000);
            let rss0 = rss_kb();
            let start = Instant::now();
            let index = Index::open(std::path::Path::new(&path)).expect("open");
            let open_ms = start.elapsed().as_secs_f64() * 1e3;
            println!("open {open_ms:.3} ms, RSS before {rss0} kB, after open {} kB", rss_kb());
            let n = index.entity_count() as u64;
            let mut rng = Rng::new(7);
            let mut times = Vec::with_capacity(nq);
            let mut found = 0;
            for _ in 0..nq {
                let id = rng.next() % n;
                let e = entity(id);
                let name = &e.names[rng.below(e.names.len())].full;
                let text = gen::perturb(name, &mut rng).map(|p| p.0).unwrap_or_else(|| name.clone());
                let t = Instant::now();
                let r = index.screen(&Query::name(text)).expect("screen");
                times.push(t.elapsed().as_secs_f64() * 1e6);
                found += usize::from(r.results.iter().any(|h| h.id == e.id));
            }
            times.sort_by(f64::total_cmp);
            println!(
                "{nq} queries single-thread: p50 {:.0} µs, p90 {:.0} µs, p99 {:.0} µs, max {:.0} µs; source entity in top 10: {:.1}%; RSS {} kB",
                percentile(&times, 0.5),
                percentile(&times, 0.9),
                percentile(&times, 0.99),
                times.last().copied().unwrap_or(0.0),
                100.0 * found as f64 / nq as f64,
                rss_kb()
            );
        }
        Some("queries") => {
            let path = args.get(1).cloned().unwrap_or_else(|| "/tmp/dj.sidx".into());
            let nq: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(20_000);
            let out = args.get(3).cloned().unwrap_or_else(|| "/tmp/q.jsonl".into());
            let index = Index::open(std::path::Path::new(&path)).expect("open");
            let n = index.entity_count() as u64;
            let mut rng = Rng::new(11);
            let mut s = String::new();
            for _ in 0..nq {
                let e = entity(rng.next() % n);
                let name = &e.names[rng.below(e.names.len())].full;
                let text = gen::perturb(name, &mut rng).map(|p| p.0).unwrap_or_else(|| name.clone());
                s.push_str(&serde_json::json!({ "name": text }).to_string());
                s.push('\n');
            }
            std::fs::write(&out, s).expect("write");
            println!("wrote {nq} queries to {out}");
        }
        _ => eprintln!("usage: dj_scale build N OUT | query INDEX NQ | queries INDEX NQ OUT.jsonl"),
    }
}
