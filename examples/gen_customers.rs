//! Synthetic customer bases for rescreening benchmarks and demos.
//!
//! Writes N customers (Indonesian/Malay-heavy, plus Arabic, Chinese, Russian and Western names, some
//! businesses), with dates of birth and nationalities, as CSV or JSON lines. A chosen fraction carry a
//! real list name (from the bundled lists, or from an index) with a realistic perturbation: a typo, a
//! dropped middle name, reordered tokens, old Indonesian spelling (u→oe, j→dj, c→tj), or an added
//! honorific. Their (customer_id, entity_id) pairs go to a side file so a benchmark can report recall.
//! The output is deterministic for a given seed (a small xorshift generator; no external crate).
//!
//! ```text
//! cargo run --release --example gen_customers -- --count 1000000 --out customers.csv \
//!     [--format csv|jsonl] [--seed 42] [--planted 0.001] [--planted-out customers.planted.csv] \
//!     [--malformed 0.0005] [--index FILE | --lists PATH ...]
//! ```

use saring::lists::{self, ListEvent};
use saring::model::NameQuality;
use saring::{Entity, EntityKind};
use std::io::{BufWriter, Write};
use std::path::PathBuf;

/// xorshift64*: small, fast, deterministic.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
    fn chance(&mut self, p: f64) -> bool {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const ID_GIVEN: &[&str] = &[
    "Budi", "Siti", "Agus", "Dewi", "Sri", "Eko", "Putri", "Ahmad", "Nur", "Rizky", "Adi", "Wahyu", "Dian", "Fitri",
    "Andi", "Rina", "Bambang", "Hendra", "Yudi", "Indah", "Ratna", "Joko", "Slamet", "Suharti", "Wulan", "Teguh",
    "Bayu", "Ayu", "Intan", "Rudi", "Hadi", "Lestari", "Yulia", "Dwi", "Tri", "Mega", "Ilham", "Fajar", "Gilang",
    "Nanda", "Citra", "Rahmat", "Arif", "Taufik", "Irwan", "Yanti", "Sutrisno", "Mulyadi", "Suparman", "Endang",
    "Kartika", "Anisa", "Reza", "Dimas", "Aditya", "Maya", "Novi", "Wati", "Sugeng", "Heru",
];
const ID_FAMILY: &[&str] = &[
    "Santoso",
    "Wijaya",
    "Susanto",
    "Hidayat",
    "Saputra",
    "Pratama",
    "Kurniawan",
    "Setiawan",
    "Nugroho",
    "Hartono",
    "Gunawan",
    "Halim",
    "Siregar",
    "Nasution",
    "Simanjuntak",
    "Sitompul",
    "Lubis",
    "Harahap",
    "Tanjung",
    "Wibowo",
    "Purnomo",
    "Suryadi",
    "Rahayu",
    "Utomo",
    "Salim",
    "Sembiring",
    "Ginting",
    "Manurung",
    "Panjaitan",
    "Sinaga",
    "Permana",
    "Firmansyah",
    "Ramadhan",
    "Syahputra",
    "Hakim",
    "Rahman",
    "Prasetyo",
    "Kusuma",
    "Lestari",
];
const MY_GIVEN: &[&str] = &[
    "Muhammad",
    "Nurul",
    "Ahmad",
    "Mohd",
    "Aminah",
    "Farah",
    "Hafiz",
    "Aziz",
    "Zainal",
    "Roslan",
    "Faizal",
    "Azman",
    "Noraini",
    "Zulkifli",
    "Siti Nurhaliza",
    "Amirul",
    "Hakimi",
    "Aisyah",
    "Izzati",
    "Syafiq",
];
const MY_FATHER: &[&str] =
    &["Ismail", "Abdullah", "Hassan", "Othman", "Yusof", "Ibrahim", "Razak", "Hamid", "Salleh", "Osman", "Kassim"];
const AR_GIVEN: &[&str] = &[
    "Mohammed",
    "Ahmed",
    "Ali",
    "Omar",
    "Fatima",
    "Aisha",
    "Hassan",
    "Hussein",
    "Khalid",
    "Yusuf",
    "Ibrahim",
    "Abdullah",
    "Layla",
    "Mariam",
    "Tariq",
    "Abdulrahman",
    "Saeed",
    "Nour",
    "Rania",
    "Faisal",
];
const AR_FAMILY: &[&str] = &[
    "Al-Rashid",
    "Haddad",
    "Nasser",
    "Khalil",
    "Mansour",
    "Saleh",
    "Hamdan",
    "Al-Farsi",
    "Qasim",
    "Al-Hashimi",
    "Darwish",
    "Aziz",
    "Al-Amin",
    "Bakr",
    "Suleiman",
];
const ZH_FAMILY: &[&str] = &[
    "Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou", "Tan", "Lim", "Lee", "Ng", "Goh",
    "Chua", "Ong", "Teo", "Koh", "Lau",
];
const ZH_GIVEN: &[&str] = &[
    "Wei",
    "Na",
    "Jie",
    "Yang",
    "Fang",
    "Min",
    "Lei",
    "Hao",
    "Xin",
    "Mei Ling",
    "Ah Kow",
    "Boon Huat",
    "Siew Lan",
    "Jun Jie",
    "Xiao Ming",
    "Hui Min",
    "Kok Wai",
];
const RU_GIVEN: &[(&str, &str)] = &[
    ("Ivan", "Ivanovich"),
    ("Sergei", "Sergeyevich"),
    ("Dmitry", "Dmitrievich"),
    ("Olga", "Petrovna"),
    ("Anna", "Nikolaevna"),
    ("Alexei", "Alekseevich"),
    ("Natalia", "Ivanovna"),
    ("Mikhail", "Mikhailovich"),
    ("Elena", "Sergeyevna"),
    ("Andrei", "Andreevich"),
];
const RU_FAMILY: &[&str] =
    &["Petrov", "Ivanov", "Smirnov", "Kuznetsov", "Popov", "Volkov", "Sokolov", "Lebedev", "Kozlov", "Novikov"];
const WEST_GIVEN: &[&str] = &[
    "John", "Mary", "James", "Sarah", "Michael", "Emma", "David", "Laura", "Peter", "Anna", "Thomas", "Sophie",
    "Robert", "Claire", "William", "Julia",
];
const WEST_FAMILY: &[&str] = &[
    "Smith", "Johnson", "Brown", "Williams", "Jones", "Garcia", "Miller", "Davis", "Wilson", "Muller", "Martin",
    "van Dijk", "O'Brien", "Schmidt", "Taylor",
];
const BIZ_WORDS: &[&str] = &[
    "Maju",
    "Jaya",
    "Sejahtera",
    "Abadi",
    "Makmur",
    "Sentosa",
    "Mandiri",
    "Sinar",
    "Cahaya",
    "Bumi",
    "Nusantara",
    "Karya",
    "Indah",
    "Sukses",
    "Global",
    "Mitra",
    "Prima",
    "Utama",
    "Lestari",
    "Samudra",
    "Harapan",
    "Berkah",
];
const HONORIFICS: &[&str] = &["H.", "Hj.", "Haji", "Dr.", "Ir.", "Mr", "Sheikh", "Datuk", "Tuan", "Ustadz"];

/// One generated customer.
#[derive(Default)]
struct Row {
    customer_id: String,
    given_name: String,
    middle_name: String,
    surname: String,
    business_name: String,
    name: String,
    date_of_birth: String,
    nationality: String,
    kind: &'static str,
}

/// A list entity usable for planting.
struct Target {
    id: String,
    kind: EntityKind,
    names: Vec<String>,
    dob: Option<String>,
    nationality: Option<String>,
}

fn targets_from(entities: impl Iterator<Item = Entity>) -> Vec<Target> {
    entities
        .filter(|e| matches!(e.kind, EntityKind::Individual | EntityKind::Entity))
        .filter_map(|e| {
            let names: Vec<String> = e
                .names
                .iter()
                .filter(|n| n.quality == NameQuality::Strong)
                .map(|n| match (&n.given, &n.family) {
                    (Some(g), Some(f)) => format!("{g} {f}"),
                    _ => match n.full.split_once(", ") {
                        Some((family, given)) if e.kind == EntityKind::Individual => format!("{given} {family}"),
                        _ => n.full.clone(),
                    },
                })
                .filter(|n| {
                    n.chars().all(|c| c.is_ascii() || c.is_alphabetic()) && n.chars().any(|c| c.is_ascii_alphabetic())
                })
                .filter(|n| n.split_whitespace().count() >= 2)
                .collect();
            if names.is_empty() {
                return None;
            }
            Some(Target {
                id: e.id.clone(),
                kind: e.kind,
                names,
                dob: e.dates_of_birth.first().map(|d| d.date()).filter(|d| d.y > 0).map(|d| d.to_string()),
                nationality: e.nationalities.first().cloned(),
            })
        })
        .collect()
}

fn load_targets(index: Option<&PathBuf>, lists: &[PathBuf]) -> Vec<Target> {
    if let Some(path) = index {
        match saring::index::Index::open(path) {
            Ok(ix) => return targets_from(ix.entities().filter_map(|e| e.ok())),
            Err(e) => {
                eprintln!("warning: {e}; no planted names");
                return Vec::new();
            }
        }
    }
    let mut entities = Vec::new();
    for path in lists {
        let sources = match lists::discover(path) {
            Ok(s) => s,
            Err(e) => {
                eprintln!("warning: {e}");
                continue;
            }
        };
        for source in sources {
            match lists::open(&source) {
                Ok(reader) => entities.extend(reader.filter_map(|ev| match ev {
                    Ok(ListEvent::Entity(e)) => Some(*e),
                    _ => None,
                })),
                Err(e) => eprintln!("warning: {e}"),
            }
        }
    }
    targets_from(entities.into_iter())
}

/// A typo: substitute, delete, insert or transpose one letter of one longer token.
fn typo(rng: &mut Rng, name: &str) -> String {
    let mut tokens: Vec<Vec<char>> = name.split_whitespace().map(|t| t.chars().collect()).collect();
    let long: Vec<usize> = (0..tokens.len()).filter(|&i| tokens[i].len() >= 5).collect();
    if long.is_empty() {
        return name.to_string();
    }
    let t = &mut tokens[long[rng.below(long.len())]];
    let i = 1 + rng.below(t.len() - 2);
    let letters = ['a', 'e', 'i', 'o', 'u', 'h', 'n', 'r', 's', 'y'];
    // A new letter takes the case of the one it replaces or follows.
    let mut letter = letters[rng.below(letters.len())];
    if t[i].is_uppercase() {
        letter = letter.to_ascii_uppercase();
    }
    match rng.below(4) {
        0 => t[i] = letter,
        1 => {
            t.remove(i);
        }
        2 => t.insert(i, letter),
        _ => t.swap(i, i + 1),
    }
    tokens.iter().map(|t| t.iter().collect::<String>()).collect::<Vec<_>>().join(" ")
}

/// Old (pre-1972) Indonesian spelling: u→oe, j→dj, c→tj, y→j.
fn old_spelling(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        match c {
            'u' => out.push_str("oe"),
            'U' => out.push_str("Oe"),
            'j' => out.push_str("dj"),
            'J' => out.push_str("Dj"),
            'c' => out.push_str("tj"),
            'C' => out.push_str("Tj"),
            'y' => out.push('j'),
            'Y' => out.push('J'),
            c => out.push(c),
        }
    }
    out
}

/// A list name with a realistic perturbation, and its label.
fn perturb(rng: &mut Rng, name: &str, kind: EntityKind) -> (String, &'static str) {
    let tokens: Vec<&str> = name.split_whitespace().collect();
    let r = rng.below(if kind == EntityKind::Individual { 6 } else { 3 });
    match r {
        0 => (name.to_string(), "exact"),
        1 => (typo(rng, name), "typo"),
        2 if kind == EntityKind::Individual || tokens.len() < 2 => (name.to_lowercase(), "case"),
        2 => {
            let mut t = tokens.clone();
            t.swap(0, 1);
            (t.join(" "), "reordered")
        }
        3 if tokens.len() >= 3 => {
            let mut t = tokens.clone();
            t.remove(1 + rng.below(t.len() - 2));
            (t.join(" "), "dropped_middle")
        }
        3 | 4 => {
            let mut t = tokens.clone();
            t.rotate_left(1);
            (t.join(" "), "reordered")
        }
        _ => {
            if rng.chance(0.5) && name.chars().any(|c| "ujcyUJCY".contains(c)) {
                (old_spelling(name), "old_spelling")
            } else {
                (format!("{} {name}", rng.pick(HONORIFICS)), "honorific")
            }
        }
    }
}

fn random_dob(rng: &mut Rng) -> String {
    let y = 1940 + rng.below(66);
    let m = 1 + rng.below(12);
    let d = 1 + rng.below(28);
    match rng.below(20) {
        0 => format!("{y:04}"),
        1 => format!("{y:04}-{m:02}"),
        _ => format!("{y:04}-{m:02}-{d:02}"),
    }
}

fn person(rng: &mut Rng, row: &mut Row) {
    let culture = rng.below(100);
    let nat: &str;
    match culture {
        0..=54 => {
            // Indonesian: many single names, some two or three words.
            nat = "ID";
            row.given_name = rng.pick(ID_GIVEN).to_string();
            match rng.below(10) {
                0..=2 => {}
                3..=4 => row.middle_name = rng.pick(ID_GIVEN).to_string(),
                _ => row.surname = rng.pick(ID_FAMILY).to_string(),
            }
            if rng.chance(0.15) {
                row.surname = rng.pick(ID_FAMILY).to_string();
            }
        }
        55..=66 => {
            nat = "MY";
            let given = rng.pick(MY_GIVEN);
            let female =
                matches!(given, "Nurul" | "Aminah" | "Farah" | "Noraini" | "Siti Nurhaliza" | "Aisyah" | "Izzati");
            row.name = format!("{given} {} {}", if female { "binti" } else { "bin" }, rng.pick(MY_FATHER));
        }
        67..=76 => {
            nat = rng.pick(&["SA", "AE", "EG", "JO", "YE", "IQ", "ID"]);
            row.given_name = rng.pick(AR_GIVEN).to_string();
            if rng.chance(0.3) {
                row.middle_name = rng.pick(AR_GIVEN).to_string();
            }
            row.surname = rng.pick(AR_FAMILY).to_string();
        }
        77..=86 => {
            nat = rng.pick(&["CN", "SG", "ID", "MY", "TW", "HK"]);
            // Family name first, as Chinese names are written.
            row.name = format!("{} {}", rng.pick(ZH_FAMILY), rng.pick(ZH_GIVEN));
        }
        87..=91 => {
            nat = "RU";
            let (given, patronymic) = RU_GIVEN[rng.below(RU_GIVEN.len())];
            row.given_name = given.to_string();
            row.middle_name = patronymic.to_string();
            let family = rng.pick(RU_FAMILY);
            let female = given.ends_with('a');
            row.surname = if female { format!("{family}a") } else { family.to_string() };
        }
        _ => {
            nat = rng.pick(&["US", "GB", "AU", "DE", "NL", "FR"]);
            row.given_name = rng.pick(WEST_GIVEN).to_string();
            row.surname = rng.pick(WEST_FAMILY).to_string();
        }
    }
    row.kind = "individual";
    if rng.chance(0.92) {
        row.date_of_birth = random_dob(rng);
    }
    if rng.chance(0.9) {
        row.nationality = nat.to_string();
    }
}

fn business(rng: &mut Rng, row: &mut Row) {
    let (a, b) = (rng.pick(BIZ_WORDS), rng.pick(BIZ_WORDS));
    let (name, domicile) = match rng.below(5) {
        0 | 1 => (format!("PT {a} {b}"), "ID"),
        2 => (format!("CV {a} {b}"), "ID"),
        3 => (format!("{a} {b} Sdn Bhd"), "MY"),
        _ => (format!("{a} {b} Pte Ltd"), "SG"),
    };
    row.business_name = name;
    row.nationality = domicile.to_string();
    row.kind = "entity";
}

/// A CSV field, quoted when needed.
fn csv_field(v: &str) -> String {
    if v.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", v.replace('"', "\"\""))
    } else {
        v.to_string()
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut count = 1000usize;
    let mut out: Option<PathBuf> = None;
    let mut format: Option<String> = None;
    let mut seed = 42u64;
    let mut planted = 0.001f64;
    let mut planted_out: Option<PathBuf> = None;
    let mut malformed = 0.0f64;
    let mut index: Option<PathBuf> = None;
    let mut list_paths: Vec<PathBuf> = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("{a} needs a value"));
        match a.as_str() {
            "--count" | "-n" => count = value()?.parse()?,
            "--out" | "-o" => out = Some(value()?.into()),
            "--format" => format = Some(value()?),
            "--seed" => seed = value()?.parse()?,
            "--planted" => planted = value()?.parse()?,
            "--planted-out" => planted_out = Some(value()?.into()),
            "--malformed" => malformed = value()?.parse()?,
            "--index" => index = Some(value()?.into()),
            "--lists" => list_paths.push(value()?.into()),
            "-h" | "--help" => {
                eprintln!(
                    "gen_customers --count N --out FILE [--format csv|jsonl] [--seed S] [--planted FRACTION] \
                     [--planted-out FILE] [--malformed FRACTION] [--index FILE | --lists PATH ...]"
                );
                return Ok(());
            }
            other => return Err(format!("unknown argument {other}").into()),
        }
    }
    let out = out.ok_or("--out FILE is required")?;
    let is_csv = match format.as_deref() {
        Some("csv") => true,
        Some("jsonl") => false,
        Some(f) => return Err(format!("unknown format {f}").into()),
        None => !out.extension().is_some_and(|e| e == "jsonl" || e == "ndjson"),
    };
    let planted_out = planted_out.unwrap_or_else(|| {
        let mut p = out.as_os_str().to_os_string();
        p.push(".planted.csv");
        p.into()
    });
    if list_paths.is_empty() {
        list_paths.push(lists::bundled_dir());
    }
    let targets = if planted > 0.0 { load_targets(index.as_ref(), &list_paths) } else { Vec::new() };
    if planted > 0.0 && targets.is_empty() {
        eprintln!("warning: no list names available; writing no planted names");
    }

    let mut rng = Rng::new(seed);
    let mut w = BufWriter::with_capacity(1 << 20, std::fs::File::create(&out)?);
    let mut pw = csv::Writer::from_path(&planted_out)?;
    pw.write_record(["customer_id", "entity_id", "perturbation", "name"])?;
    let columns = [
        "customer_id",
        "given_name",
        "middle_name",
        "surname",
        "business_name",
        "name",
        "date_of_birth",
        "nationality",
        "kind",
    ];
    if is_csv {
        w.write_all(columns.join(",").as_bytes())?;
        w.write_all(b"\n")?;
    }
    let (mut n_planted, mut n_malformed) = (0u64, 0u64);
    for i in 0..count {
        let mut row = Row { customer_id: format!("CUST{:08}", i + 1), ..Default::default() };
        if !targets.is_empty() && rng.chance(planted) {
            let t = &targets[rng.below(targets.len())];
            let name = t.names[if rng.chance(0.7) { 0 } else { rng.below(t.names.len()) }].clone();
            let (perturbed, how) = perturb(&mut rng, &name, t.kind);
            if t.kind == EntityKind::Individual {
                row.name = perturbed.clone();
                row.kind = "individual";
                if rng.chance(0.5) {
                    row.date_of_birth = t.dob.clone().unwrap_or_default();
                }
                if rng.chance(0.5) {
                    row.nationality = t.nationality.clone().unwrap_or_default();
                }
            } else {
                row.business_name = perturbed.clone();
                row.kind = "entity";
            }
            pw.write_record([row.customer_id.as_str(), &t.id, how, &perturbed])?;
            n_planted += 1;
        } else if rng.chance(0.1) {
            business(&mut rng, &mut row);
        } else {
            person(&mut rng, &mut row);
        }
        if malformed > 0.0 && rng.chance(malformed) {
            n_malformed += 1;
            match rng.below(3) {
                0 => row.customer_id.clear(),
                1 => row.date_of_birth = "31/02/1980".into(),
                _ => row.nationality = "Atlantis".into(),
            }
        }
        let values = [
            row.customer_id.as_str(),
            &row.given_name,
            &row.middle_name,
            &row.surname,
            &row.business_name,
            &row.name,
            &row.date_of_birth,
            &row.nationality,
            row.kind,
        ];
        if is_csv {
            let line: Vec<String> = values.iter().map(|v| csv_field(v)).collect();
            w.write_all(line.join(",").as_bytes())?;
            w.write_all(b"\n")?;
        } else {
            let mut obj = serde_json::Map::new();
            for (k, v) in columns.iter().zip(values) {
                if !v.is_empty() {
                    obj.insert(k.to_string(), v.into());
                }
            }
            serde_json::to_writer(&mut w, &obj)?;
            w.write_all(b"\n")?;
        }
    }
    w.flush()?;
    pw.flush()?;
    eprintln!(
        "wrote {count} customers to {} ({} planted list names from {} entities, listed in {}; {} malformed)",
        out.display(),
        n_planted,
        targets.len(),
        planted_out.display(),
        n_malformed
    );
    Ok(())
}
