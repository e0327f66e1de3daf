//! EU, UK, MAS, PPATK, Dow Jones and custom list readers: real counts, records field by field,
//! fixtures, and robustness against truncated and garbled input.

use saring::lists::{self, ListEvent, ListWarning};
use saring::Entity;
use std::path::{Path, PathBuf};

fn read_all(reader: lists::ListReader) -> (Vec<Entity>, Vec<ListWarning>) {
    let mut entities = Vec::new();
    let mut warnings = Vec::new();
    for ev in reader {
        match ev.expect("no fatal error") {
            ListEvent::Entity(e) => entities.push(*e),
            ListEvent::Warning(w) => warnings.push(w),
        }
    }
    (entities, warnings)
}

fn bundled(name: &str) -> PathBuf {
    lists::bundled_dir().join(name)
}

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests").join("fixtures").join(rel)
}

#[test]
#[ignore]
fn dump() {
    let path = PathBuf::from(std::env::var("DUMP").unwrap());
    let (es, ws) = read_all(lists::open(&path).unwrap());
    for e in es.iter().take(std::env::var("N").ok().and_then(|n| n.parse().ok()).unwrap_or(5)) {
        println!("{}", serde_json::to_string_pretty(e).unwrap());
    }
    for w in ws.iter().take(30) {
        println!("WARN {w:?}");
    }
    println!("{} entities, {} warnings", es.len(), ws.len());
}

fn find<'a>(entities: &'a [Entity], id: &str) -> &'a Entity {
    entities.iter().find(|e| e.id == id).unwrap_or_else(|| panic!("{id} not found"))
}

fn names(e: &Entity) -> Vec<(&str, NameType, NameQuality)> {
    e.names.iter().map(|n| (n.full.as_str(), n.name_type, n.quality)).collect()
}

fn dates(e: &Entity) -> Vec<String> {
    e.dates_of_birth
        .iter()
        .map(|d| {
            let mut s = d.date().to_string();
            if d.approximate {
                s.push('~');
            }
            if let Some(to) = d.to {
                s.push_str(&format!("..{to}"));
            }
            s
        })
        .collect()
}

use saring::model::{EntityName, NameQuality, NameType};
use saring::{EntityKind, Publisher};

#[test]
fn eu_real_excerpt() {
    let path = bundled("eu_fsf_excerpt_2026-08-05.xml");
    assert_eq!(lists::detect(&path).unwrap(), lists::ListFormat::EuXml);
    let reader = lists::open(&path).unwrap();
    assert_eq!(reader.info.publisher, Publisher::Ec);
    assert_eq!(reader.info.publication_date.as_deref(), Some("2026-08-05"));
    let (es, ws) = read_all(reader);
    assert!(ws.is_empty(), "{ws:?}");
    assert_eq!(es.iter().map(|e| e.id.as_str()).collect::<Vec<_>>(), ["EU-13", "EU-191", "EU-980", "EU-330"]);
    assert_eq!(es.iter().map(|e| e.names.len()).sum::<usize>(), 23);

    let saddam = find(&es, "EU-13");
    assert_eq!(saddam.kind, EntityKind::Individual);
    assert_eq!(saddam.publisher, Some(Publisher::Ec));
    assert_eq!(saddam.list, "IRQ");
    assert_eq!(
        saddam.names[0],
        EntityName {
            full: "Saddam Hussein Al-Tikriti".into(),
            name_type: NameType::Primary,
            quality: NameQuality::Strong,
            given: Some("Saddam".into()),
            middle: None,
            family: Some("Hussein Al-Tikriti".into()),
            language: None,
        }
    );
    assert_eq!(
        names(saddam)[1..],
        [("Abu Ali", NameType::Aka, NameQuality::Strong), ("Abou Ali", NameType::Aka, NameQuality::Strong)]
    );
    assert_eq!(saddam.names[2].language.as_deref(), Some("fr"));
    assert_eq!(dates(saddam), ["1937-04-28"]);
    assert_eq!(saddam.places_of_birth, ["al-Awja, near Tikrit, IRAQ"]);
    assert_eq!(saddam.citizenships, ["IQ"]);
    assert_eq!(saddam.gender, Some(saring::model::Gender::Male));
    assert_eq!(saddam.remarks, ["UNSC RESOLUTION 1483"]);
    assert_eq!(saddam.listed_on.as_deref(), Some("2003-07-08"));

    let ksm = find(&es, "EU-191");
    assert_eq!(ksm.names.len(), 7);
    assert_eq!(ksm.names[0].full, "Khalid Sheikh MOHAMMED");
    assert_eq!(ksm.names[0].given.as_deref(), Some("Khalid Sheikh"));
    assert_eq!(ksm.names[0].family.as_deref(), Some("MOHAMMED"));
    assert_eq!(ksm.names[0].language.as_deref(), Some("en"));
    assert_eq!(ksm.names[1].full, "Bin Khalid Fahd Bin Adballah");
    assert_eq!(dates(ksm), ["1965-04-14", "1964-03-01"]);
    assert_eq!(ksm.places_of_birth, ["PAKISTAN"]);
    assert_eq!(ksm.identifiers.len(), 1);
    assert_eq!(ksm.identifiers[0].kind, "passport");
    assert_eq!(ksm.identifiers[0].number, "488555");
    assert_eq!(ksm.identifiers[0].country, None, "countryIso2Code 00 is unknown");
    assert_eq!(ksm.list, "TERR");

    let grf = find(&es, "EU-980");
    assert_eq!(grf.kind, EntityKind::Entity);
    assert_eq!(names(grf), [("Global Relief Foundation (GRF)", NameType::Primary, NameQuality::Strong)]);
    assert_eq!(grf.addresses.len(), 2);
    assert_eq!(grf.addresses[0].city.as_deref(), Some("Bridgeview, Illinois"));
    assert_eq!(grf.addresses[0].postal_code.as_deref(), Some("PO Box 1406 - 60455"));
    assert_eq!(grf.addresses[0].country.as_deref(), Some("US"));
    assert_eq!(grf.addresses[1].street.as_deref(), Some("9935 South 76th Avenue, Unit 1"));
    assert_eq!(grf.addresses[1].postal_code.as_deref(), Some("60455"));

    let trust = find(&es, "EU-330");
    assert_eq!(trust.names.len(), 12);
    assert_eq!(trust.names[0].full, "Al-Rasheed Trust");
    assert!(trust.names.iter().any(|n| n.full.starts_with("Организация") && n.language.as_deref() == Some("bg")));
    assert_eq!(trust.listed_on.as_deref(), Some("2001-10-06"));
    assert_eq!(
        trust.addresses.iter().map(|a| a.city.as_deref().unwrap()).collect::<Vec<_>>(),
        ["Karachi", "Karachi", "Lahore"]
    );
    assert!(trust.addresses.iter().all(|a| a.country.as_deref() == Some("PK")));
    assert!(trust.remarks.iter().any(|r| r.starts_with("Banned in Pakistan since October 2001")));
    // raw keeps every attribute and child.
    assert_eq!(trust.raw["@euReferenceNumber"], "EU.522.39");
    assert_eq!(trust.raw["nameAlias"].as_array().unwrap().len(), 12);
    assert_eq!(trust.raw["address"][1]["contactInfo"][1]["@value"], "662 38 14");
}

#[test]
fn uk_xml_real_excerpt() {
    let path = bundled("uk_sanctions_list_excerpt_2026-08-14.xml");
    assert_eq!(lists::detect(&path).unwrap(), lists::ListFormat::UkXml);
    let reader = lists::open(&path).unwrap();
    assert_eq!(reader.info.publication_date.as_deref(), Some("2026-08-14"));
    let (es, ws) = read_all(reader);
    assert!(ws.is_empty(), "{ws:?}");
    assert_eq!(es.len(), 4);

    let m = find(&es, "UK-AFG0011");
    assert_eq!(m.kind, EntityKind::Individual);
    assert_eq!(m.list, "The Afghanistan (Sanctions) (EU Exit) Regulations 2020");
    assert_eq!(
        names(m),
        [
            ("ABDUL LATIF MANSUR", NameType::Primary, NameQuality::Strong),
            ("Abdul Latif MANSOOR", NameType::Aka, NameQuality::Strong),
            ("Wali MOHAMMAD", NameType::Aka, NameQuality::Strong),
            ("عبد اللطيف منصور", NameType::OriginalScript, NameQuality::Strong),
        ]
    );
    assert_eq!(m.names[0].given.as_deref(), Some("ABDUL"));
    assert_eq!(m.names[0].middle.as_deref(), Some("LATIF"));
    assert_eq!(m.names[0].family.as_deref(), Some("MANSUR"));
    assert_eq!(dates(m), ["1968", "1967-11-12"]);
    assert_eq!(m.nationalities, ["AF"]);
    assert_eq!(m.places_of_birth.len(), 3);
    assert_eq!(m.places_of_birth[0], "Zurmat District, Paktia Province, Afghanistan");
    assert_eq!(m.identifiers.iter().map(|i| i.number.as_str()).collect::<Vec<_>>(), ["D0009720", "D0010442"]);
    assert_eq!(m.addresses[0].street.as_deref(), Some("Darul Aman, Kabul"));
    assert_eq!(m.addresses[0].country.as_deref(), Some("AF"));
    assert_eq!(m.listed_on.as_deref(), Some("2001-01-31"));
    assert_eq!(m.updated.as_deref(), Some("2026-04-29"));
    assert_eq!(m.raw["OFSIGroupID"], "7270");
    assert_eq!(m.raw["Titles"]["Title"], "Maulavi");

    let a = find(&es, "UK-AQD0128");
    assert_eq!(a.names.iter().filter(|n| n.quality == NameQuality::Weak).count(), 2);
    assert_eq!(a.names[0].full, "AKRAM TURKI HISHAN AL-MAZIDIH");
    assert_eq!(dates(a), ["1974", "1975", "1979", "1958-09", "1985"]);
    assert_eq!(a.identifiers[0].kind, "national_id");
    assert_eq!(a.identifiers[0].number, "0075258");
    assert_eq!(a.addresses.len(), 2);
    assert_eq!(a.addresses[1].city.as_deref(), Some("Deir ez-Zor Governorate"));
    assert_eq!(a.addresses[1].country.as_deref(), Some("SY"));

    let k = find(&es, "UK-AQD0377");
    assert_eq!(k.kind, EntityKind::Entity);
    assert_eq!(k.names.len(), 4);
    assert_eq!(k.names[2].full, "Jannat Oshiklari");

    let ship = find(&es, "UK-DPR0075");
    assert_eq!(ship.kind, EntityKind::Vessel);
    assert_eq!(
        ship.names.iter().map(|n| n.full.as_str()).collect::<Vec<_>>(),
        ["Petrel 8", "Jal Vahini", "Jal_Vahini", "Tian Tai 36"]
    );
    assert_eq!(ship.identifiers[0].kind, "imo");
    assert_eq!(ship.identifiers[0].number, "IMO9562233");
    assert_eq!(ship.raw["ShipDetails"]["Ship"]["TonnageOfShipDetails"]["TonnageOfShip"], "7078");
}

#[test]
fn uk_csv_real_list() {
    let path = bundled("uk_ofsi_conlist_2018-11-29.csv");
    assert_eq!(lists::detect(&path).unwrap(), lists::ListFormat::UkCsv);
    let (es, ws) = read_all(lists::open(&path).unwrap());
    assert_eq!(es.len(), 2137);
    let rows: usize = es.iter().map(|e| e.raw["rows"].as_array().unwrap().len()).sum();
    assert_eq!(rows, 9717);
    assert_eq!(es.iter().filter(|e| e.kind == EntityKind::Individual).count(), 1468);
    assert_eq!(es.iter().filter(|e| e.kind == EntityKind::Entity).count(), 669);
    // Every reported problem names the file and a line.
    assert!(ws.iter().all(|w| w.line > 0 && w.file == path), "{ws:?}");

    let q = find(&es, "UK-13349");
    assert_eq!(q.names.len(), 8);
    assert_eq!(q.names[0].full, "Nayef Salam Muhammad Ujaym AL-HABABI");
    assert_eq!(q.names[0].name_type, NameType::Primary);
    assert_eq!(q.names[0].given.as_deref(), Some("Nayef"));
    assert_eq!(q.names[0].middle.as_deref(), Some("Salam Muhammad Ujaym"));
    assert_eq!(q.names[0].family.as_deref(), Some("AL-HABABI"));
    assert!(q.names.iter().any(|n| n.full == "Sheikh Farooq AL-QAHTANI" && n.name_type == NameType::Aka));
    assert!(q.names.iter().any(|n| n.full == "Nayf Salam Muhammad Ujaym AL-HABABI"), "trailing spaces trimmed");
    assert_eq!(dates(q), ["1981", "1980"]);
    assert_eq!(q.nationalities, ["SA", "QA"]);
    assert_eq!(q.places_of_birth, ["Saudi Arabia"]);
    assert_eq!(q.identifiers[0].number, "Passport No: 592667 (Qatari passport issued on 3 May 2007).");
    assert_eq!(q.addresses[0].country.as_deref(), Some("AF"));
    assert_eq!(q.addresses[0].text.as_deref(), Some("Afghanistan (since 2009)"));
    assert_eq!(q.list, "The ISIL (Da'esh) and Al-Qaida organisations");
    assert_eq!(q.listed_on.as_deref(), Some("2016-04-01"));
    assert_eq!(q.raw["rows"].as_array().unwrap().len(), 16);
    assert_eq!(q.raw["rows"][0]["Name 6"], " AL-QAHTANI", "raw keeps the value as written");

    let academy = find(&es, "UK-12871");
    assert_eq!(academy.kind, EntityKind::Entity);
    assert_eq!(academy.names.len(), 9);
    assert_eq!(academy.names[0].full, "SECOND ACADEMY OF NATURAL SCIENCES");
    assert_eq!(academy.addresses.len(), 1);
    assert_eq!(academy.addresses[0].city.as_deref(), Some("Pyongyang"));
    assert_eq!(academy.addresses[0].country.as_deref(), Some("KP"));
    assert_eq!(academy.listed_on.as_deref(), Some("2013-04-23"));
    assert_eq!(academy.updated.as_deref(), Some("2017-09-15"));
}

#[test]
fn uk_csv_with_publisher_preamble() {
    let path = fixture("uk/conlist_with_preamble.csv");
    assert_eq!(lists::detect(&path).unwrap(), lists::ListFormat::UkCsv);
    let reader = lists::open(&path).unwrap();
    assert_eq!(reader.info.publication_date.as_deref(), Some("2018-11-29"));
    let (es, ws) = read_all(reader);
    assert!(ws.is_empty(), "{ws:?}");
    assert_eq!(es.len(), 3);
    let q = find(&es, "UK-13349");
    assert_eq!(q.names.len(), 2);
    // Windows-1252 right quote (0x92) decoded.
    let t = find(&es, "UK-13222");
    assert!(t.remarks[0].contains("so-called \u{2019}2nd Army Corps\u{2019}"), "{:?}", t.remarks);
}

fn addr_texts(e: &Entity) -> Vec<&str> {
    e.addresses.iter().map(|a| a.text.as_deref().unwrap_or("")).collect()
}

fn check_ppatk_2026(es: &[Entity], ws: &[ListWarning], row10_id: &str) {
    assert_eq!(es.len(), 12, "{:?}", es.iter().map(|e| &e.id).collect::<Vec<_>>());
    assert!(es.iter().all(|e| e.publisher == Some(Publisher::Ppatk) && e.list == "DTTOT"));
    let budi = find(es, "PPATK-DN-0101");
    assert_eq!(
        names(budi),
        [
            ("Budi Santoso", NameType::Primary, NameQuality::Strong),
            ("Abu Hamzah", NameType::Aka, NameQuality::Strong),
            ("Budi Gondrong", NameType::Aka, NameQuality::Strong)
        ]
    );
    assert_eq!(budi.kind, EntityKind::Individual);
    assert_eq!(dates(budi), ["1975-12-12", "1976-10-12"]);
    assert_eq!(budi.places_of_birth, ["Surakarta"]);
    assert_eq!(budi.nationalities, ["ID"]);
    assert_eq!(addr_texts(budi), ["Jl. Melati No. 5, RT 002/RW 003, Bekasi", "Jl. Kenanga Gg. 7, Surakarta"]);
    assert_eq!(budi.remarks, ["Data rekaan untuk pengujian (invented record)"]);
    assert_eq!(budi.raw["Kode Densus"], "DN-0101");
    assert_eq!(budi.raw["Tanggal_Lahir"], "12 Desember 1975 atau 12 Oktober 1976");

    let siti = find(es, "PPATK-DN-0102");
    assert_eq!(dates(siti), ["1954..1955"]);
    assert_eq!(siti.nationalities, ["SY"]);
    assert!(siti.addresses.is_empty() && siti.places_of_birth.is_empty(), "`-` is empty");
    let fauzi = find(es, "PPATK-DN-0103");
    assert_eq!(dates(fauzi), ["1958~"]);
    assert_eq!(addr_texts(fauzi), ["Jalan Mawar 3, Johor Bahru", "Kampung Baru, Kuala Lumpur"]);
    let hendra = find(es, "PPATK-DN-0104");
    assert_eq!(names(hendra)[1], ("Hendro", NameType::Aka, NameQuality::Strong));
    assert_eq!(dates(hendra), ["1973-01-04", "1974-11-04", "1973-11-04"]);
    assert_eq!(hendra.nationalities, ["FR", "TN"]);
    let yayasan = find(es, "PPATK-DN-0105");
    assert_eq!(yayasan.kind, EntityKind::Entity);
    assert_eq!(yayasan.names[1].full, "YASB");
    assert_eq!(
        addr_texts(yayasan),
        ["Kantor cabang 1: Jl. Merdeka 10, Medan", "Kantor cabang 2: Jl. Diponegoro 22, Makassar"]
    );
    let hijri = find(es, "PPATK-DN-0106");
    assert!(hijri.dates_of_birth.is_empty());
    assert_eq!(hijri.nationalities, ["DE", "MA"]);
    assert_eq!(dates(find(es, "PPATK-DN-0107")), ["1953..1958"]);
    assert_eq!(find(es, "PPATK-DN-0107").nationalities, ["MR", "ML"]);
    assert!(find(es, "PPATK-DN-0109").dates_of_birth.is_empty());
    assert_eq!(find(es, "PPATK-DN-0109").nationalities, ["PH"]);
    let dewi = find(es, row10_id);
    assert_eq!(dewi.names[0].full, "Dewi Lestari");
    assert_eq!(dates(dewi), ["1983-09-23"], "Excel serial 30582");
    assert_eq!(dewi.nationalities, ["AF", "PK"]);
    assert_eq!(dates(find(es, "PPATK-DN-0111")), ["1970~"]);
    let niko = find(es, "PPATK-DN-0112");
    assert_eq!(dates(niko), ["1960-05"]);
    assert_eq!(niko.nationalities, ["RU", "GB"]);
    assert_eq!(dates(find(es, "PPATK-DN-0113")), ["1983-04-01"]);

    let reasons: Vec<&str> = ws.iter().map(|w| w.reason.as_str()).collect();
    assert_eq!(ws.len(), 4, "{reasons:?}");
    assert!(reasons[0].starts_with("PPATK-DN-0106: Hijri date"), "{reasons:?}");
    assert!(reasons[1].starts_with("PPATK-DN-0108: row without a name"), "{reasons:?}");
    assert!(reasons[2].starts_with("PPATK-DN-0109: invalid date"), "{reasons:?}");
    assert!(reasons[3].contains("Asia Tenggara"), "{reasons:?}");
}

#[test]
fn ppatk_csv_fixture() {
    let path = fixture("ppatk/dttot_invented_2026.csv");
    assert_eq!(lists::detect(&path).unwrap(), lists::ListFormat::PpatkCsv);
    let (es, ws) = read_all(lists::open(&path).unwrap());
    // Row 10 has no Kode Densus: its id is its line (the first row spans lines 2-3).
    check_ppatk_2026(&es, &ws, "PPATK-row-12");
    assert_eq!(ws.iter().map(|w| w.line).collect::<Vec<_>>(), [8, 10, 11, 13]);
}

#[test]
fn ppatk_xlsx_fixture() {
    let path = fixture("ppatk/dttot_invented_2026.xlsx");
    assert_eq!(lists::detect(&path).unwrap(), lists::ListFormat::PpatkSheet);
    let (es, ws) = read_all(lists::open(&path).unwrap());
    check_ppatk_2026(&es, &ws, "PPATK-row-11");
    assert_eq!(ws.iter().map(|w| w.line).collect::<Vec<_>>(), [7, 9, 10, 12]);
}

#[test]
fn ppatk_legacy_xls_fixture() {
    let path = fixture("ppatk/20251208091237.xls");
    let reader = lists::open(&path).unwrap();
    assert_eq!(reader.info.format, lists::ListFormat::PpatkSheet);
    assert_eq!(reader.info.publication_date.as_deref(), Some("2025-12-08"));
    let (es, ws) = read_all(reader);
    assert_eq!(es.len(), 3);
    let joko = find(&es, "PPATK-DN-0201");
    assert_eq!(joko.names.iter().map(|n| n.full.as_str()).collect::<Vec<_>>(), ["Joko Susilo", "Abu Jundi"]);
    assert_eq!(dates(joko), ["1943-08-17", "1944"]);
    assert_eq!(joko.places_of_birth, ["Cilacap"]);
    assert_eq!(addr_texts(joko), ["Jl. Sawo 4, Cilacap"]);
    assert_eq!(joko.raw["pekerjaan"], "Petani");
    let kpf = find(&es, "PPATK-DN-0202");
    assert_eq!(kpf.kind, EntityKind::Entity);
    assert!(kpf.addresses.is_empty(), "N/A is empty");
    let rahmat = find(&es, "PPATK-DN-0203");
    assert_eq!(dates(rahmat), ["1973-02-20", "1980-02-20"]);
    assert!(rahmat.nationalities.is_empty());
    assert_eq!(ws.len(), 1);
    assert!(ws[0].reason.contains("Eks Uni Soviet") && ws[0].line == 4, "{ws:?}");
}

#[test]
fn dowjones_fixture() {
    let path = fixture("dowjones/pfa_invented.xml");
    assert_eq!(lists::detect(&path).unwrap(), lists::ListFormat::DowJonesXml);
    let reader = lists::open(&path).unwrap();
    assert_eq!(reader.info.publication_date.as_deref(), Some("2026-11-22"));
    let (es, ws) = read_all(reader);
    let ids: Vec<&str> = es.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(
        ids,
        ["DJ-1001", "DJ-1002", "DJ-1003", "DJ-1004", "DJ-2001", "DJ-1005", "DJ-1006", "DJ-1007", "DJ-1009"]
    );

    let b = find(&es, "DJ-1001");
    assert_eq!(b.kind, EntityKind::Individual);
    assert_eq!(b.list, "PEP");
    assert_eq!(b.programs, ["Politically Exposed Person (PEP)"]);
    assert_eq!(
        names(b),
        [
            ("Bambang Sutrisno Wibowo", NameType::Primary, NameQuality::Strong),
            ("Bambang S. Wibowo", NameType::Aka, NameQuality::Strong),
            ("Pak Bambang", NameType::Aka, NameQuality::Weak)
        ]
    );
    assert_eq!(b.names[0].given.as_deref(), Some("Bambang"));
    assert_eq!(b.names[0].middle.as_deref(), Some("Sutrisno"));
    assert_eq!(b.names[0].family.as_deref(), Some("Wibowo"));
    assert_eq!(dates(b), ["1961-01-05"]);
    assert_eq!(b.places_of_birth, ["Semarang, Central Java, Indonesia"]);
    assert_eq!(b.citizenships, ["ID"]);
    assert_eq!(b.addresses.len(), 1, "{:?}", b.addresses);
    assert_eq!(b.addresses[0].street.as_deref(), Some("Jl. Sudirman Kav. 52"));
    assert_eq!(b.addresses[0].city.as_deref(), Some("Jakarta"));
    assert_eq!(b.addresses[0].country.as_deref(), Some("ID"));
    assert_eq!(b.identifiers[0].kind, "national_id");
    assert_eq!(b.identifiers[0].number, "3174050501610009");
    assert_eq!(b.identifiers[0].note.as_deref(), Some("Indonesia"));
    assert_eq!(b.remarks, ["Invented profile & test record.\nSecond line of notes."]);
    assert_eq!(b.gender, Some(saring::model::Gender::Male));
    assert_eq!(b.updated.as_deref(), Some("2026-11-02"));
    assert_eq!(b.raw["RoleDetail"]["Roles"]["OccTitle"]["#text"], "Member, House of Representatives (invented)");
    assert_eq!(b.raw["NameDetails"]["Name"][0]["NameValue"]["TitleHonorific"], "Dr.");

    let n = find(&es, "DJ-1002");
    assert_eq!(n.list, "RCA");
    assert_eq!(
        names(n),
        [
            ("Nurul Aisyah binti Ahmad", NameType::Primary, NameQuality::Strong),
            ("Nurul Aisyah Rahman", NameType::Fka, NameQuality::Strong)
        ]
    );
    assert_eq!(dates(n), ["1965-03"]);
    assert_eq!(n.citizenships, ["MY"]);

    let z = find(&es, "DJ-1003");
    assert_eq!(z.list, "SIP");
    assert_eq!(
        names(z),
        [
            ("Wei Zhang", NameType::Primary, NameQuality::Strong),
            ("张伟", NameType::OriginalScript, NameQuality::Strong),
            ("Wei Chang", NameType::SpellingVariant, NameQuality::Strong)
        ]
    );
    assert_eq!(dates(z), ["1970"], "the deceased date is not a birth date");
    assert_eq!(z.programs, ["Special Interest Person (SIP)", "Terror"]);

    let s = find(&es, "DJ-1004");
    assert_eq!(s.list, "Sanctions");
    assert_eq!(s.programs, ["Sanctions Lists", "Current Sanctions", "OFAC - Specially Designated Nationals"]);
    assert_eq!(s.names[1].full, "Иван Петрович Соколов");
    assert_eq!(dates(s), ["1968-02-14", "1969"]);
    assert_eq!(s.citizenships, ["RU"], "USSR is in the file's CountryList but is no ISO country");
    assert_eq!((s.identifiers[0].kind.as_str(), s.identifiers[0].number.as_str()), ("passport", "750000001"));

    let pt = find(&es, "DJ-2001");
    assert_eq!(pt.kind, EntityKind::Entity);
    assert_eq!(
        pt.names.iter().map(|n| n.full.as_str()).collect::<Vec<_>>(),
        ["PT Maju Bersama Sejahtera Tbk", "Maju Bersama"]
    );
    assert_eq!(dates(pt), ["1998"], "date of registration");
    assert_eq!(pt.addresses.len(), 1);
    assert_eq!(pt.addresses[0].city.as_deref(), Some("Surabaya"));
    assert_eq!(pt.identifiers[0].kind, "registration");

    let chg = find(&es, "DJ-1005");
    assert_eq!(chg.raw["@action"], "chg");
    assert!(!saring::lists::dowjones::is_deletion(chg));
    assert_eq!(chg.names[1].quality, NameQuality::Weak);
    assert_eq!(chg.citizenships, ["SA"]);
    let del = find(&es, "DJ-1006");
    assert!(saring::lists::dowjones::is_deletion(del));
    assert!(del.names.is_empty());
    let bad = find(&es, "DJ-1007");
    assert_eq!(bad.list, "");
    assert_eq!(bad.citizenships, ["TH"]);
    assert!(bad.dates_of_birth.is_empty());
    assert_eq!(find(&es, "DJ-1009").citizenships, ["US"]);

    let reasons: Vec<&str> = ws.iter().map(|w| w.reason.as_str()).collect();
    assert_eq!(reasons.len(), 4, "{reasons:?}");
    assert!(reasons[0].contains("month \"Foo\""));
    assert!(reasons[1].contains("\"XXXXX\""));
    assert!(reasons[2].contains("Description1 code \"99\""));
    assert!(reasons[3].starts_with("DJ-1008: record without any name"));
    assert_eq!(ws.iter().map(|w| w.line).collect::<Vec<_>>(), [8, 8, 8, 9], "record numbers");
}

fn check_mas(path: &Path) {
    assert_eq!(lists::detect(path).unwrap(), lists::ListFormat::MasText);
    let reader = lists::open(path).unwrap();
    assert_eq!(reader.info.publisher, Publisher::Mas);
    assert_eq!(reader.info.publication_date.as_deref(), Some("2026-11-22"));
    let (es, ws) = read_all(reader);
    assert_eq!(es.iter().map(|e| e.id.as_str()).collect::<Vec<_>>(), ["MAS-1", "MAS-2", "MAS-4", "MAS-5", "MAS-6"]);
    let r = find(&es, "MAS-1");
    assert_eq!(r.kind, EntityKind::Individual);
    assert_eq!(r.list, "TSFA First Schedule");
    assert_eq!(
        names(r),
        [
            ("Rahim bin Salleh s/o Salleh", NameType::Primary, NameQuality::Strong),
            ("Rahim bin Salleh", NameType::Aka, NameQuality::Strong),
            ("Abu Rahim", NameType::Aka, NameQuality::Strong)
        ]
    );
    assert_eq!(r.names[0].given.as_deref(), Some("Rahim bin Salleh"));
    assert_eq!(r.nationalities, ["SG"]);
    assert_eq!(dates(r), ["1987-04-10"]);
    assert_eq!((r.identifiers[0].kind.as_str(), r.identifiers[0].number.as_str()), ("national_id", "S8700001Z"));
    assert_eq!(r.raw["item"], "1");
    // (The text file wraps item 1 over two lines: the lines are joined with a space.)
    assert_eq!(
        r.raw["text"].as_str().unwrap().replace(") (", ")("),
        "Rahim bin Salleh s/o Salleh @ Abu Rahim (Singapore citizen)(Date of Birth: 10 April 1987)(NRIC No. S8700001Z);"
    );
    let n = find(&es, "MAS-2");
    assert_eq!(
        n.names.iter().map(|n| n.full.as_str()).collect::<Vec<_>>(),
        ["Nurul Huda d/o Ismail", "Nurul Huda", "Ummu Huda", "Huda Ismail"]
    );
    assert_eq!(n.nationalities, ["MY"]);
    assert_eq!(dates(n), ["1990-03-03"]);
    assert_eq!(n.identifiers[0].kind, "passport");
    assert_eq!(n.identifiers[0].number, "A00000017");
    assert_eq!(n.identifiers[0].country.as_deref(), Some("MY"));
    let k = find(&es, "MAS-4");
    assert_eq!(k.names.len(), 1);
    assert_eq!(k.gender, Some(saring::model::Gender::Male));
    assert_eq!(k.remarks, ["Formerly a member of an invented group & its youth wing"]);
    let a = find(&es, "MAS-5");
    assert_eq!(a.nationalities, ["ID"]);
    assert!(a.dates_of_birth.is_empty());
    let l = find(&es, "MAS-6");
    assert_eq!(l.places_of_birth, ["Singapore"]);
    assert_eq!(dates(l), ["2001-08-15"]);
    assert_eq!(ws.len(), 1);
    assert!(ws[0].reason.contains("31 June 1985"), "{ws:?}");
}

#[test]
fn mas_schedule_html_and_text() {
    check_mas(&fixture("mas/tsfa_first_schedule_invented.html"));
    check_mas(&fixture("mas/tsfa_first_schedule_invented.txt"));
}

#[test]
fn mas_tags_un_entries() {
    let path = fixture("mas/tsfa_first_schedule_invented.txt");
    let opts = lists::ReadOptions { publisher_override: Some(Publisher::Mas) };
    let reader = lists::open_with(&path, &opts).unwrap();
    assert_eq!(reader.info.publisher, Publisher::Mas);
}

#[test]
fn custom_csv_fixture() {
    let path = fixture("custom/watchlist.csv");
    assert_eq!(lists::detect(&path).unwrap(), lists::ListFormat::CustomCsv);
    let (es, ws) = read_all(lists::open(&path).unwrap());
    assert_eq!(
        es.iter().map(|e| e.id.as_str()).collect::<Vec<_>>(),
        ["CUSTOM-C-001", "CUSTOM-C-002", "CUSTOM-C-003", "CUSTOM-C-004", "CUSTOM-line-6", "CUSTOM-C-007"]
    );
    let b = find(&es, "CUSTOM-C-001");
    assert_eq!(b.publisher, Some(Publisher::Custom));
    assert_eq!(b.kind, EntityKind::Individual);
    assert_eq!(b.names.iter().map(|n| n.full.as_str()).collect::<Vec<_>>(), ["Budi Santoso", "Budi S.", "Abu Hamzah"]);
    assert_eq!(dates(b), ["1975-12-12"]);
    assert_eq!(b.nationalities, ["ID"]);
    assert_eq!(b.addresses[0].country.as_deref(), Some("ID"));
    assert_eq!(b.list, "internal-blacklist");
    assert_eq!(b.remarks, ["Invented: fraud ring 2025"]);
    assert_eq!(b.raw["risk_owner"], "ops-team");
    assert_eq!(find(&es, "CUSTOM-C-002").kind, EntityKind::Entity);
    assert_eq!(find(&es, "CUSTOM-C-003").kind, EntityKind::Vessel);
    let a = find(&es, "CUSTOM-C-004");
    assert_eq!(dates(a), ["1980-05-12", "1981"]);
    assert_eq!(a.nationalities, ["DE", "MA"]);
    assert_eq!(find(&es, "CUSTOM-C-007").kind, EntityKind::Unknown);
    assert_eq!(ws.len(), 3, "{ws:?}");
    assert_eq!(ws.iter().map(|w| w.line).collect::<Vec<_>>(), [7, 8, 9]);
    assert!(ws[0].reason.contains("without a name"));
    assert!(ws[1].reason.contains("robot") && ws[1].reason.contains("someday") && ws[1].reason.contains("Atlantis"));
    assert!(ws[2].reason.contains("3 fields"));
}

#[test]
fn custom_jsonl_fixture() {
    let path = fixture("custom/watchlist.jsonl");
    assert_eq!(lists::detect(&path).unwrap(), lists::ListFormat::CustomJsonl);
    let (es, ws) = read_all(lists::open(&path).unwrap());
    assert_eq!(es.iter().map(|e| e.id.as_str()).collect::<Vec<_>>(), ["CUSTOM-J-1", "CUSTOM-2", "CUSTOM-J-3"]);
    let s = find(&es, "CUSTOM-J-1");
    assert_eq!(s.names.iter().map(|n| n.full.as_str()).collect::<Vec<_>>(), ["Siti Aminah", "Siti A.", "Ummu Aminah"]);
    assert_eq!(dates(s), ["1988-03"]);
    assert_eq!(s.nationalities, ["ID", "MY"]);
    assert_eq!(s.list, "pep-local");
    assert_eq!(s.raw["source"], "branch 12");
    assert_eq!(find(&es, "CUSTOM-2").kind, EntityKind::Entity);
    assert_eq!(find(&es, "CUSTOM-2").addresses[0].country.as_deref(), Some("ID"));
    let z = find(&es, "CUSTOM-J-3");
    assert_eq!(z.names.iter().map(|n| n.full.as_str()).collect::<Vec<_>>(), ["Zhang Wei", "Chang Wei", "张伟"]);
    assert_eq!(z.gender, Some(saring::model::Gender::Male));
    assert_eq!(ws.iter().map(|w| w.line).collect::<Vec<_>>(), [5, 6, 7, 8]);
}

#[test]
fn not_a_list_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        ("a.xml", "<html><body>hello</body></html>", lists::ListFormat::EuXml),
        ("b.xml", "<export generationDate=\"2026-01-01\"><sanctionEntity logicalId=\"1\">", lists::ListFormat::EuXml),
        ("c.xml", "not xml at all", lists::ListFormat::UkXml),
        ("d.xml", "", lists::ListFormat::DowJonesXml),
        ("e.csv", "just,some,words\n", lists::ListFormat::UkCsv),
        ("f.csv", "id,full_name\n1,x\n", lists::ListFormat::CustomCsv),
        ("g.csv", "foo,bar\n1,2\n", lists::ListFormat::PpatkCsv),
        ("h.xlsx", "this is not a zip file", lists::ListFormat::PpatkSheet),
        ("i.txt", "nothing to see", lists::ListFormat::MasText),
    ];
    for (name, content, format) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, content).unwrap();
        let err = match lists::open_as(&path, format, &Default::default()) {
            Err(e) => e,
            Ok(reader) => match reader.into_iter().find_map(|ev| ev.err()) {
                Some(e) => e,
                None => panic!("{name}: no error"),
            },
        };
        assert!(matches!(err, saring::Error::ListFormat { .. }), "{name}: {err}");
        assert!(err.to_string().contains(name), "{name}: {err}");
    }
}

/// Reads a (possibly damaged) file as `format`; returns whether a fatal error was reported. Panics on a
/// panic inside the reader (the test then fails), on an error that does not name the file, and on an
/// endless read.
fn read_damaged(path: &Path, format: lists::ListFormat) -> bool {
    let name = path.file_name().unwrap().to_string_lossy().to_string();
    let reader = match lists::open_as(path, format, &Default::default()) {
        Ok(r) => r,
        Err(e) => {
            assert!(e.to_string().contains(&name), "{format:?}: error does not name the file: {e}");
            return true;
        }
    };
    let mut failed = false;
    for (n, ev) in reader.enumerate() {
        assert!(n < 1_000_000, "{format:?}: endless read");
        match ev {
            Ok(ListEvent::Warning(w)) => assert_eq!(w.file, path, "{format:?}: warning names another file"),
            Ok(ListEvent::Entity(_)) => {}
            Err(e) => {
                assert!(e.to_string().contains(&name), "{format:?}: error does not name the file: {e}");
                failed = true;
            }
        }
    }
    failed
}

/// A fixed-seed xorshift generator for reproducible damage.
struct XorShift(u64);
impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

#[test]
fn truncated_and_garbled_inputs_never_panic() {
    use lists::ListFormat as F;
    let samples: Vec<(PathBuf, F)> = vec![
        (bundled("eu_fsf_excerpt_2026-08-05.xml"), F::EuXml),
        (bundled("uk_sanctions_list_excerpt_2026-08-14.xml"), F::UkXml),
        (fixture("uk/conlist_with_preamble.csv"), F::UkCsv),
        (fixture("mas/tsfa_first_schedule_invented.html"), F::MasText),
        (fixture("mas/tsfa_first_schedule_invented.txt"), F::MasText),
        (fixture("ppatk/dttot_invented_2026.csv"), F::PpatkCsv),
        (fixture("ppatk/dttot_invented_2026.xlsx"), F::PpatkSheet),
        (fixture("ppatk/20251208091237.xls"), F::PpatkSheet),
        (fixture("dowjones/pfa_invented.xml"), F::DowJonesXml),
        (fixture("custom/watchlist.csv"), F::CustomCsv),
        (fixture("custom/watchlist.jsonl"), F::CustomJsonl),
    ];
    let dir = tempfile::tempdir().unwrap();
    let mut rng = XorShift(0x5A41_494E_4721_2026);
    for (path, format) in samples {
        let bytes = std::fs::read(&path).unwrap();
        let ext = path.extension().unwrap().to_string_lossy().to_string();
        let is_xml = matches!(format, F::EuXml | F::UkXml | F::DowJonesXml);
        let len = bytes.len();
        // Truncations: XML must fail with an error naming the file (the document is not closed).
        for cut in [0, 1, len / 7, len / 3, len / 2, 2 * len / 3, len - 20] {
            let damaged = dir.path().join(format!("cut_{cut}.{ext}"));
            std::fs::write(&damaged, &bytes[..cut]).unwrap();
            let failed = read_damaged(&damaged, format);
            if is_xml {
                assert!(failed, "{}: cut at {cut} not reported", path.display());
            }
        }
        // Garbled: flipped bytes at fixed-seed positions, and a block of invalid UTF-8.
        for round in 0..6 {
            let mut g = bytes.clone();
            for _ in 0..(4 + round * 4) {
                let at = (rng.next() % len as u64) as usize;
                g[at] ^= (rng.next() % 255 + 1) as u8;
            }
            let damaged = dir.path().join(format!("garbled_{round}.{ext}"));
            std::fs::write(&damaged, &g).unwrap();
            read_damaged(&damaged, format);
        }
        let mut g = bytes.clone();
        let start = len / 2;
        for b in g.iter_mut().skip(start).take(64) {
            *b = 0xFF;
        }
        let damaged = dir.path().join(format!("invalid_utf8.{ext}"));
        std::fs::write(&damaged, &g).unwrap();
        let failed = read_damaged(&damaged, format);
        if is_xml {
            assert!(failed, "{}: invalid UTF-8 not reported", path.display());
        }
    }
}

#[test]
fn real_uk_csv_garbled_keeps_reading() {
    let bytes = std::fs::read(bundled("uk_ofsi_conlist_2018-11-29.csv")).unwrap();
    let mut rng = XorShift(42);
    let mut g = bytes.clone();
    for _ in 0..200 {
        let at = (rng.next() % g.len() as u64) as usize;
        g[at] = b"\",\n\r\x92\x00"[(rng.next() % 6) as usize];
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("conlist_garbled.csv");
    std::fs::write(&path, &g).unwrap();
    let (mut entities, mut warnings) = (0, 0);
    for ev in lists::open_as(&path, lists::ListFormat::UkCsv, &Default::default()).unwrap() {
        match ev {
            Ok(ListEvent::Entity(_)) => entities += 1,
            Ok(ListEvent::Warning(w)) => {
                assert!(w.line > 0);
                warnings += 1;
            }
            Err(e) => panic!("{e}"),
        }
    }
    assert!(entities > 2000, "{entities}");
    assert!(warnings > 0);
}

/// Attributes and non-blank text values inside each `record` element of an XML file, per record.
fn xml_leaf_counts(path: &Path, records: &[&str]) -> Vec<usize> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_file(path).unwrap();
    let mut buf = Vec::new();
    let mut counts = Vec::new();
    let mut depth_in_record = 0usize;
    loop {
        let ev = reader.read_event_into(&mut buf).unwrap();
        match ev {
            Event::Start(ref s) | Event::Empty(ref s) => {
                let name = String::from_utf8_lossy(s.local_name().as_ref()).to_string();
                let is_empty = matches!(ev, Event::Empty(_));
                let starts_record = depth_in_record == 0 && records.contains(&name.as_str());
                if starts_record {
                    counts.push(0);
                }
                if starts_record || depth_in_record > 0 {
                    let attrs = s.attributes().flatten().filter(|a| !a.key.as_ref().starts_with(b"xmlns")).count();
                    *counts.last_mut().unwrap() += attrs;
                    if !is_empty {
                        depth_in_record += 1;
                    }
                }
            }
            Event::End(_) if depth_in_record > 0 => depth_in_record -= 1,
            Event::Text(t) if depth_in_record > 0 && !t.iter().all(u8::is_ascii_whitespace) => {
                *counts.last_mut().unwrap() += 1;
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    counts
}

/// Attributes and non-blank strings in a raw JSON record.
fn json_leaf_count(v: &serde_json::Value) -> usize {
    match v {
        serde_json::Value::Object(m) => {
            m.iter().map(|(k, v)| if k.starts_with('@') { 1 } else { json_leaf_count(v) }).sum()
        }
        serde_json::Value::Array(a) => a.iter().map(json_leaf_count).sum(),
        serde_json::Value::String(s) => usize::from(!s.trim().is_empty()),
        _ => 0,
    }
}

#[test]
fn raw_round_trips_every_source_field() {
    // XML readers: every attribute and text value of each record is in `raw`.
    for (path, records) in [
        (bundled("eu_fsf_excerpt_2026-08-05.xml"), &["sanctionEntity"][..]),
        (bundled("uk_sanctions_list_excerpt_2026-08-14.xml"), &["Designation"][..]),
        (fixture("dowjones/pfa_invented.xml"), &["Person", "Entity"][..]),
    ] {
        let want = xml_leaf_counts(&path, records);
        let reader = lists::open(&path).unwrap();
        let raws: Vec<serde_json::Value> = reader
            .filter_map(|ev| match ev.unwrap() {
                ListEvent::Entity(e) => Some(e.raw),
                _ => None,
            })
            .collect();
        // (Dow Jones record 1008 has no name and is reported instead of read.)
        let want: Vec<usize> = if records[0] == "Person" {
            want.into_iter().enumerate().filter(|(i, _)| *i != 8).map(|(_, c)| c).collect()
        } else {
            want
        };
        let got: Vec<usize> = raws.iter().map(json_leaf_count).collect();
        assert_eq!(got, want, "{}", path.display());
        assert!(want.iter().sum::<usize>() > 0);
    }
    // UK CSV: the raw rows are exactly the file's rows.
    let path = bundled("uk_ofsi_conlist_2018-11-29.csv");
    let bytes = std::fs::read(&path).unwrap();
    // Compare on the ASCII characters (the file is Windows-1252; raw holds the decoded text).
    let text: String = bytes.iter().filter(|b| b.is_ascii()).map(|&b| b as char).collect();
    let mut rows: Vec<Vec<String>> = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(|c| c.chars().filter(char::is_ascii).collect()).collect())
        .collect();
    let mut raw_rows: Vec<Vec<String>> = Vec::new();
    for ev in lists::open(&path).unwrap() {
        if let ListEvent::Entity(e) = ev.unwrap() {
            for row in e.raw["rows"].as_array().unwrap() {
                let cells = row.as_object().unwrap().values();
                raw_rows.push(cells.map(|c| c.as_str().unwrap().chars().filter(char::is_ascii).collect()).collect());
            }
        }
    }
    rows.sort();
    raw_rows.sort();
    assert_eq!(raw_rows.len(), 9717);
    assert!(raw_rows == rows, "raw rows differ from the file's rows");
}
