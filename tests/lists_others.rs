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
