//! Writes a Dow Jones PFA-style XML file of invented, multi-cultural records (Indonesian/Malay, Arabic,
//! Chinese, Russian and Western names, 2–3 names each) for scale tests, or streams one back and reports
//! the read rate.
//!
//! ```text
//! cargo run --release --example gen_dowjones -- --records 2000000 --out /tmp/pfa_2m.xml
//! cargo run --release --example gen_dowjones -- --read /tmp/pfa_2m.xml
//! ```
//!
//! Output is deterministic (a seeded SplitMix64 generator): the same `--records` (and `--seed`) gives the
//! same file.

use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::time::Instant;

/// SplitMix64: small, fast, deterministic.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items.get(self.below(items.len())).copied().unwrap_or("")
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

const ID_GIVEN: [&str; 20] = [
    "Budi", "Agus", "Siti", "Dewi", "Bambang", "Sri", "Joko", "Rina", "Hendra", "Wahyu", "Nur", "Ahmad", "Putri",
    "Rizky", "Eko", "Dian", "Fitri", "Slamet", "Yusuf", "Indah",
];
const ID_FAMILY: [&str; 20] = [
    "Santoso", "Wibowo", "Susanto", "Hidayat", "Lestari", "Pratama", "Saputra", "Nugroho", "Setiawan", "Kusuma",
    "Rahman", "Halim", "Siregar", "Nasution", "Hutapea", "Sitompul", "Gunawan", "Wijaya", "Sulistyo", "Hakim",
];
const AR_GIVEN: [&str; 20] = [
    "Mohammed", "Ahmed", "Abdullah", "Omar", "Khalid", "Youssef", "Fatima", "Aisha", "Hassan", "Ali", "Ibrahim",
    "Mustafa", "Layla", "Zainab", "Tariq", "Hamza", "Karim", "Samir", "Nadia", "Rashid",
];
const AR_FAMILY: [&str; 20] = [
    "Al-Harbi",
    "Al-Qahtani",
    "Al-Masri",
    "Haddad",
    "Nasser",
    "Al-Sayed",
    "Khoury",
    "Mansour",
    "Al-Amin",
    "Saleh",
    "Al-Farsi",
    "Darwish",
    "Hamdan",
    "Al-Zahrani",
    "Bakr",
    "Othman",
    "Kassem",
    "Suleiman",
    "Aziz",
    "Jaber",
];
const ZH_FAMILY: [(&str, &str); 20] = [
    ("Wang", "王"),
    ("Li", "李"),
    ("Zhang", "张"),
    ("Liu", "刘"),
    ("Chen", "陈"),
    ("Yang", "杨"),
    ("Huang", "黄"),
    ("Zhao", "赵"),
    ("Wu", "吴"),
    ("Zhou", "周"),
    ("Xu", "徐"),
    ("Sun", "孙"),
    ("Ma", "马"),
    ("Zhu", "朱"),
    ("Hu", "胡"),
    ("Guo", "郭"),
    ("He", "何"),
    ("Lin", "林"),
    ("Gao", "高"),
    ("Luo", "罗"),
];
const ZH_GIVEN: [(&str, &str); 20] = [
    ("Wei", "伟"),
    ("Fang", "芳"),
    ("Min", "敏"),
    ("Jing", "静"),
    ("Lei", "磊"),
    ("Jun", "军"),
    ("Yan", "燕"),
    ("Hui", "慧"),
    ("Xiaoming", "晓明"),
    ("Jianguo", "建国"),
    ("Lihua", "丽华"),
    ("Haoran", "浩然"),
    ("Yutong", "雨桐"),
    ("Zihan", "子涵"),
    ("Mei", "梅"),
    ("Qiang", "强"),
    ("Bo", "波"),
    ("Tao", "涛"),
    ("Ning", "宁"),
    ("Xin", "欣"),
];
const RU_GIVEN: [(&str, &str); 12] = [
    ("Ivan", "Иван"),
    ("Sergei", "Сергей"),
    ("Dmitri", "Дмитрий"),
    ("Alexei", "Алексей"),
    ("Nikolai", "Николай"),
    ("Olga", "Ольга"),
    ("Natalia", "Наталья"),
    ("Elena", "Елена"),
    ("Andrei", "Андрей"),
    ("Mikhail", "Михаил"),
    ("Vladimir", "Владимир"),
    ("Tatiana", "Татьяна"),
];
const RU_FAMILY: [(&str, &str); 12] = [
    ("Ivanov", "Иванов"),
    ("Smirnov", "Смирнов"),
    ("Kuznetsov", "Кузнецов"),
    ("Popov", "Попов"),
    ("Sokolov", "Соколов"),
    ("Lebedev", "Лебедев"),
    ("Kozlov", "Козлов"),
    ("Novikov", "Новиков"),
    ("Morozov", "Морозов"),
    ("Volkov", "Волков"),
    ("Fedorov", "Федоров"),
    ("Pavlov", "Павлов"),
];
const RU_PATRONYMIC: [(&str, &str); 6] = [
    ("Ivanovich", "Иванович"),
    ("Sergeyevich", "Сергеевич"),
    ("Petrovich", "Петрович"),
    ("Nikolayevich", "Николаевич"),
    ("Alexandrovich", "Александрович"),
    ("Mikhailovich", "Михайлович"),
];
const EN_GIVEN: [&str; 20] = [
    "John",
    "Michael",
    "David",
    "James",
    "Robert",
    "Mary",
    "Patricia",
    "Jennifer",
    "Linda",
    "Elizabeth",
    "William",
    "Thomas",
    "Sarah",
    "Emma",
    "Daniel",
    "Laura",
    "Peter",
    "Anna",
    "Mark",
    "Julia",
];
const EN_FAMILY: [&str; 20] = [
    "Smith",
    "Johnson",
    "Williams",
    "Brown",
    "Jones",
    "Miller",
    "Davis",
    "Garcia",
    "Rodriguez",
    "Wilson",
    "Martinez",
    "Anderson",
    "Taylor",
    "Thomas",
    "Moore",
    "Jackson",
    "Martin",
    "Lee",
    "Thompson",
    "White",
];
const ORG_WORDS: [&str; 16] = [
    "Maju",
    "Sejahtera",
    "Bersama",
    "Global",
    "Trading",
    "Nusantara",
    "Golden",
    "Eastern",
    "Pacific",
    "Harbour",
    "United",
    "Prima",
    "Jaya",
    "Makmur",
    "Star",
    "Ocean",
];
const ORG_FORMS: [&str; 6] = ["PT", "CV", "Sdn Bhd", "LLC", "Ltd", "OOO"];
const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/// One name value: (first, middle, surname, original script).
type NameParts = (String, Option<String>, String, Option<String>);

/// Primary name, a variant, and the country code, for one culture.
fn person_names(rng: &mut Rng) -> (Vec<(&'static str, NameParts)>, &'static str) {
    let culture = rng.below(5);
    let mut names = Vec::new();
    let country;
    match culture {
        0 => {
            country = if rng.chance(70) { "INDON" } else { "MALAY" };
            let g = rng.pick(&ID_GIVEN);
            let f = rng.pick(&ID_FAMILY);
            let father = rng.pick(&ID_GIVEN);
            let (mid, fam) = if country == "MALAY" {
                (None, format!("bin {father}"))
            } else {
                (Some(rng.pick(&ID_GIVEN).to_string()), f.to_string())
            };
            names.push(("Primary Name", (g.to_string(), mid, fam.clone(), None)));
            names.push(("Also Known As", (format!("{g} {fam}").replace("bin ", ""), None, String::new(), None)));
        }
        1 => {
            country = ["SAARB", "IRAQ", "EGYPT", "JORDAN", "YEMAR"][rng.below(5)];
            let g = rng.pick(&AR_GIVEN);
            let father = rng.pick(&AR_GIVEN);
            let f = rng.pick(&AR_FAMILY);
            names.push(("Primary Name", (g.to_string(), Some(format!("bin {father}")), f.to_string(), None)));
            let alt = g.replace("Mohammed", "Muhammad").replace("Ahmed", "Ahmad").replace("Youssef", "Yusuf");
            names.push(("Spelling Variation", (alt, None, f.replace("Al-", "Al "), None)));
            if rng.chance(50) {
                names.push(("Low Quality AKA", (format!("Abu {father}"), None, String::new(), None)));
            }
        }
        2 => {
            country = if rng.chance(80) { "CHINA" } else { "TAIWAN" };
            let (f, fz) = ZH_FAMILY[rng.below(ZH_FAMILY.len())];
            let (g, gz) = ZH_GIVEN[rng.below(ZH_GIVEN.len())];
            names.push(("Primary Name", (g.to_string(), None, f.to_string(), Some(format!("{fz}{gz}")))));
            names.push(("Spelling Variation", (format!("{f} {g}"), None, String::new(), None)));
        }
        3 => {
            country = if rng.chance(80) { "RUSS" } else { "BYELRS" };
            let (g, gc) = RU_GIVEN[rng.below(RU_GIVEN.len())];
            let (p, pc) = RU_PATRONYMIC[rng.below(RU_PATRONYMIC.len())];
            let (f, fc) = RU_FAMILY[rng.below(RU_FAMILY.len())];
            names.push((
                "Primary Name",
                (g.to_string(), Some(p.to_string()), f.to_string(), Some(format!("{gc} {pc} {fc}"))),
            ));
            names.push(("Spelling Variation", (g.replace('i', "y"), None, f.replace("ov", "off"), None)));
        }
        _ => {
            country = ["USA", "UK", "AUSTR", "CANA", "NZ"][rng.below(5)];
            let g = rng.pick(&EN_GIVEN);
            let m = rng.pick(&EN_GIVEN);
            let f = rng.pick(&EN_FAMILY);
            names.push(("Primary Name", (g.to_string(), Some(m.to_string()), f.to_string(), None)));
            names.push((
                "Also Known As",
                (g.chars().take(1).collect::<String>() + ".", Some(m.to_string()), f.to_string(), None),
            ));
            if rng.chance(30) {
                names.push(("Also Known As", (format!("{g} {f}-{}", rng.pick(&EN_FAMILY)), None, String::new(), None)));
            }
        }
    }
    (names, country)
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

fn write_name_value(out: &mut impl Write, parts: &NameParts) -> std::io::Result<()> {
    let (first, middle, surname, original) = parts;
    writeln!(out, "        <NameValue>")?;
    if surname.is_empty() && middle.is_none() {
        writeln!(out, "          <SingleStringName>{}</SingleStringName>", esc(first))?;
    } else {
        writeln!(out, "          <FirstName>{}</FirstName>", esc(first))?;
        if let Some(m) = middle {
            writeln!(out, "          <MiddleName>{}</MiddleName>", esc(m))?;
        }
        writeln!(out, "          <Surname>{}</Surname>", esc(surname))?;
    }
    if let Some(o) = original {
        writeln!(out, "          <OriginalScriptName>{}</OriginalScriptName>", esc(o))?;
    }
    writeln!(out, "        </NameValue>")
}

const HEADER: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<!-- Dow Jones PFA-style feed generated by saring's gen_dowjones example. ALL RECORDS ARE INVENTED. -->
<PFA date="202611220000" type="full">
  <CountryList>
    <CountryName code="INDON" name="Indonesia"/>
    <CountryName code="MALAY" name="Malaysia"/>
    <CountryName code="SAARB" name="Saudi Arabia"/>
    <CountryName code="IRAQ" name="Iraq"/>
    <CountryName code="EGYPT" name="Egypt"/>
    <CountryName code="JORDAN" name="Jordan"/>
    <CountryName code="YEMAR" name="Yemen"/>
    <CountryName code="CHINA" name="China"/>
    <CountryName code="TAIWAN" name="Taiwan"/>
    <CountryName code="RUSS" name="Russia"/>
    <CountryName code="BYELRS" name="Belarus"/>
    <CountryName code="USA" name="United States"/>
    <CountryName code="UK" name="United Kingdom"/>
    <CountryName code="AUSTR" name="Australia"/>
    <CountryName code="CANA" name="Canada"/>
    <CountryName code="NZ" name="New Zealand"/>
    <CountryName code="SINGP" name="Singapore"/>
  </CountryList>
  <SanctionsReferencesList>
    <ReferenceName code="1" name="OFAC - Specially Designated Nationals"/>
    <ReferenceName code="2" name="UN Consolidated List"/>
  </SanctionsReferencesList>
  <Description1List>
    <Description1Name Description1Id="1">Politically Exposed Person (PEP)</Description1Name>
    <Description1Name Description1Id="2">Relative or Close Associate (RCA)</Description1Name>
    <Description1Name Description1Id="3">Special Interest Person (SIP)</Description1Name>
    <Description1Name Description1Id="4">Sanctions Lists</Description1Name>
  </Description1List>
  <Description2List>
    <Description2Name Description2Id="1" Description1Id="4">Sanctions Lists</Description2Name>
  </Description2List>
  <Description3List>
    <Description3Name Description3Id="1" Description2Id="1">Current Sanctions</Description3Name>
  </Description3List>
  <Records>
"#;

fn generate(records: u64, out: PathBuf, seed: u64) -> std::io::Result<()> {
    let file = std::fs::File::create(&out)?;
    let mut w = BufWriter::with_capacity(1 << 20, file);
    let mut rng = Rng(seed);
    w.write_all(HEADER.as_bytes())?;
    for i in 0..records {
        let id = 100_000 + i;
        let action = match rng.below(200) {
            0 => "del",
            1..=3 => "chg",
            _ => "add",
        };
        let date = format!("{:02}-{}-2026", 1 + rng.below(28), MONTHS[rng.below(12)]);
        if action == "del" {
            writeln!(w, "    <Person id=\"{id}\" action=\"del\" date=\"{date}\"/>")?;
            continue;
        }
        let desc = match rng.below(100) {
            0..=59 => "1",
            60..=84 => "2",
            85..=94 => "3",
            _ => "4",
        };
        if rng.chance(10) {
            let name = format!(
                "{} {} {} {}",
                ORG_FORMS[rng.below(ORG_FORMS.len())],
                rng.pick(&ORG_WORDS),
                rng.pick(&ORG_WORDS),
                rng.pick(&ORG_WORDS)
            );
            writeln!(w, "    <Entity id=\"{id}\" action=\"{action}\" date=\"{date}\">")?;
            writeln!(w, "      <ActiveStatus>Active</ActiveStatus>\n      <NameDetails>")?;
            writeln!(w, "        <Name NameType=\"Primary Name\">\n        <NameValue><EntityName>{}</EntityName></NameValue>\n        </Name>", esc(&name))?;
            let short: String = name.split(' ').skip(1).collect::<Vec<_>>().join(" ");
            writeln!(w, "        <Name NameType=\"Also Known As\">\n        <NameValue><EntityName>{}</EntityName></NameValue>\n        </Name>", esc(&short))?;
            writeln!(w, "      </NameDetails>")?;
            writeln!(w, "      <Descriptions><Description Description1=\"4\" Description2=\"1\"/></Descriptions>")?;
            writeln!(
                w,
                "      <SanctionsReferences><Reference>{}</Reference></SanctionsReferences>",
                1 + rng.below(2)
            )?;
            writeln!(w, "      <DateDetails><Date DateType=\"Date of Registration\"><DateValue Year=\"{}\"/></Date></DateDetails>", 1960 + rng.below(60))?;
            writeln!(w, "      <CountryDetails><Country CountryType=\"Country of Registration\"><CountryValue Code=\"SINGP\"/></Country></CountryDetails>")?;
            writeln!(w, "    </Entity>")?;
            continue;
        }
        let (names, country) = person_names(&mut rng);
        writeln!(w, "    <Person id=\"{id}\" action=\"{action}\" date=\"{date}\">")?;
        writeln!(w, "      <Gender>{}</Gender>", if rng.chance(60) { "Male" } else { "Female" })?;
        writeln!(w, "      <ActiveStatus>{}</ActiveStatus>", if rng.chance(85) { "Active" } else { "Inactive" })?;
        writeln!(w, "      <NameDetails>")?;
        for (ty, parts) in &names {
            writeln!(w, "      <Name NameType=\"{ty}\">")?;
            write_name_value(&mut w, parts)?;
            writeln!(w, "      </Name>")?;
        }
        writeln!(w, "      </NameDetails>")?;
        writeln!(w, "      <Descriptions><Description Description1=\"{desc}\"/></Descriptions>")?;
        let year = 1940 + rng.below(60);
        let dob = match rng.below(10) {
            0..=5 => format!("Day=\"{:02}\" Month=\"{}\" Year=\"{year}\"", 1 + rng.below(28), MONTHS[rng.below(12)]),
            6..=7 => format!("Month=\"{}\" Year=\"{year}\"", MONTHS[rng.below(12)]),
            _ => format!("Year=\"{year}\""),
        };
        writeln!(w, "      <DateDetails><Date DateType=\"Date of Birth\"><DateValue {dob}/></Date></DateDetails>")?;
        writeln!(w, "      <CountryDetails>")?;
        writeln!(w, "        <Country CountryType=\"Citizenship\"><CountryValue Code=\"{country}\"/></Country>")?;
        writeln!(w, "        <Country CountryType=\"Resident of\"><CountryValue Code=\"{country}\"/></Country>")?;
        writeln!(w, "      </CountryDetails>")?;
        if rng.chance(40) {
            writeln!(
                w,
                "      <IDNumberTypes><ID IDType=\"National ID\"><IDValue>{:016}</IDValue></ID></IDNumberTypes>",
                rng.next() % 10_000_000_000_000_000
            )?;
        }
        if desc == "1" {
            writeln!(w, "      <RoleDetail><Roles RoleType=\"Primary Occupation\"><OccTitle OccCat=\"3\">Member of Parliament (invented)</OccTitle></Roles></RoleDetail>")?;
        }
        writeln!(w, "    </Person>")?;
    }
    w.write_all(b"  </Records>\n</PFA>\n")?;
    w.flush()
}

fn read(path: PathBuf) -> saring::Result<()> {
    let start = Instant::now();
    let reader = saring::lists::dowjones::read(&path)?;
    let (mut entities, mut names, mut warnings, mut deletions) = (0u64, 0u64, 0u64, 0u64);
    for ev in reader {
        match ev? {
            saring::lists::ListEvent::Entity(e) => {
                entities += 1;
                names += e.names.len() as u64;
                if saring::lists::dowjones::is_deletion(&e) {
                    deletions += 1;
                }
            }
            saring::lists::ListEvent::Warning(_) => warnings += 1,
        }
    }
    let secs = start.elapsed().as_secs_f64();
    let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    println!(
        "{entities} records ({deletions} deletions), {names} names, {warnings} warnings in {secs:.2} s: {:.0} records/s, {:.0} MB/s",
        entities as f64 / secs,
        size as f64 / 1e6 / secs
    );
    Ok(())
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let value = |flag: &str| args.iter().position(|a| a == flag).and_then(|i| args.get(i + 1)).cloned();
    if let Some(path) = value("--read") {
        if let Err(e) = read(PathBuf::from(path)) {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
        return;
    }
    let (Some(records), Some(out)) = (value("--records").and_then(|n| n.parse::<u64>().ok()), value("--out")) else {
        eprintln!("usage: gen_dowjones --records N --out FILE [--seed S]\n       gen_dowjones --read FILE");
        std::process::exit(2);
    };
    let seed = value("--seed").and_then(|s| s.parse().ok()).unwrap_or(20_261_122);
    let start = Instant::now();
    if let Err(e) = generate(records, PathBuf::from(&out), seed) {
        eprintln!("error: {out}: {e}");
        std::process::exit(1);
    }
    eprintln!("wrote {records} records to {out} in {:.1} s", start.elapsed().as_secs_f64());
}
