//! OFAC CSV, OFAC XML and UN XML readers against the bundled real lists and fixtures.
//!
//! Expected counts were checked by hand against the source files, e.g.
//! `grep -c '^[0-9]' data/lists/ofac_sdn_2021-07/sdn.csv` (8,976), `.../alt.csv` (11,910 rows: 11,523
//! aka, 369 fka, 18 nka), `grep -o "[afn]\.k\.a\. '" sdn.csv sdn_comments.csv | wc -l` (2,441 weak
//! aliases in Remarks), `grep -c '<INDIVIDUAL>'` (730) and `grep -c '<ENTITY>'` (273) in the UN file.

use saring::lists::{self, country, ListEvent, ListFormat, ListReader, ListWarning};
use saring::model::{DateValue, EntityKind, Gender, NameQuality, NameType};
use saring::{Entity, Error, PartialDate, Publisher};
use serde_json::Value;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

fn bundled(name: &str) -> PathBuf {
    lists::bundled_dir().join(name)
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests").join("fixtures").join(name)
}

struct Read {
    entities: Vec<Entity>,
    warnings: Vec<ListWarning>,
    error: Option<Error>,
}

fn collect(reader: ListReader) -> Read {
    let mut r = Read { entities: Vec::new(), warnings: Vec::new(), error: None };
    for ev in reader {
        match ev {
            Ok(ListEvent::Entity(e)) => r.entities.push(*e),
            Ok(ListEvent::Warning(w)) => r.warnings.push(w),
            Err(e) => {
                r.error = Some(e);
                break;
            }
        }
    }
    r
}

fn read_all(path: &Path) -> Read {
    let r = collect(lists::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display())));
    if let Some(e) = &r.error {
        panic!("{}: {e}", path.display());
    }
    r
}

fn by_id<'a>(r: &'a Read, id: &str) -> &'a Entity {
    r.entities.iter().find(|e| e.id == id).unwrap_or_else(|| panic!("{id} not found"))
}

fn count_names(r: &Read, t: NameType, q: NameQuality) -> usize {
    r.entities.iter().flat_map(|e| &e.names).filter(|n| n.name_type == t && n.quality == q).count()
}

fn date(y: u16, m: u8, d: u8) -> DateValue {
    DateValue::exact(PartialDate { y, m, d })
}

#[test]
fn ofac_sdn_2021_07_counts() {
    let dir = bundled("ofac_sdn_2021-07");
    let reader = lists::open(&dir).unwrap();
    assert_eq!(reader.info.format, ListFormat::OfacCsv);
    assert_eq!(reader.info.publisher, Publisher::Ofac);
    let r = collect(reader);
    assert!(r.error.is_none());
    assert_eq!(r.entities.len(), 8976);
    assert!(r.warnings.is_empty(), "{:?}", &r.warnings[..r.warnings.len().min(5)]);
    // alt.csv rows, by type: all strong.
    assert_eq!(count_names(&r, NameType::Aka, NameQuality::Strong), 11523);
    assert_eq!(count_names(&r, NameType::Fka, NameQuality::Strong), 369);
    assert_eq!(count_names(&r, NameType::Nka, NameQuality::Strong), 18);
    let weak: usize = r.entities.iter().flat_map(|e| &e.names).filter(|n| n.quality == NameQuality::Weak).count();
    assert_eq!(weak, 2441);
    let kinds = |k: EntityKind| r.entities.iter().filter(|e| e.kind == k).count();
    assert_eq!(
        (
            kinds(EntityKind::Individual),
            kinds(EntityKind::Entity),
            kinds(EntityKind::Vessel),
            kinds(EntityKind::Aircraft)
        ),
        (4620, 3673, 406, 277)
    );
    // 13,837 add.csv rows, of which 2,397 have every field null.
    assert_eq!(r.entities.iter().map(|e| e.addresses.len()).sum::<usize>(), 13837 - 2397);
    let ids: HashSet<&str> = r.entities.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids.len(), 8976);
    assert!(r.entities.iter().all(|e| e.id.starts_with("OFAC-SDN-") && e.list == "SDN"));
    // 65 "Digital Currency Address - XBT" in sdn.csv and sdn_comments.csv.
    let xbt = r.entities.iter().flat_map(|e| &e.crypto_addresses).filter(|c| c.currency == "XBT").count();
    assert_eq!(xbt, 65);
}

#[test]
fn ofac_yuk_tung_energy() {
    let r = read_all(&bundled("ofac_sdn_2021-07"));
    let e = by_id(&r, "OFAC-SDN-23787");
    assert_eq!(e.primary_name(), "YUK TUNG ENERGY PTE LTD");
    assert_eq!(e.names.len(), 1);
    assert_eq!(e.kind, EntityKind::Entity);
    assert_eq!(e.publisher, Some(Publisher::Ofac));
    assert_eq!(e.programs, ["DPRK4"]);
    assert_eq!(e.addresses.len(), 1);
    let a = &e.addresses[0];
    assert_eq!(a.street.as_deref(), Some("17-22, UOB Plaza 2, Raffles Place"));
    assert_eq!(a.postal_code.as_deref(), Some("048624"));
    assert_eq!(a.city, None);
    assert_eq!(a.text.as_deref(), Some("17-22, UOB Plaza 2, Raffles Place, 048624, Singapore"));
    assert_eq!(a.country.as_deref(), country::to_iso("Singapore"));
    if let Some(code) = country::to_iso("Singapore") {
        assert_eq!(code, "SG");
    }
    assert_eq!(e.raw["add"][0]["Country"], "Singapore");
    assert_eq!(e.raw["add"][0]["Add_num"], "36084");
    assert_eq!(e.identifiers.len(), 1);
    assert_eq!((e.identifiers[0].kind.as_str(), e.identifiers[0].number.as_str()), ("imo", "5987860"));
    assert!(e.remarks[0].starts_with("Secondary sanctions risk: North Korea"));
    // The vessel linked to it.
    let v = by_id(&r, "OFAC-SDN-23788");
    assert_eq!((v.kind, v.primary_name()), (EntityKind::Vessel, "YUK TUNG"));
    assert_eq!(v.identifiers[0].number, "9030591");
}

#[test]
fn ofac_remarks_are_mined() {
    let r = read_all(&bundled("ofac_sdn_2021-07"));
    // Remarks continued in sdn_comments.csv mid-word ("PROMO RAI" + "Z S.A.S.").
    let e = by_id(&r, "OFAC-SDN-12300");
    assert_eq!(e.kind, EntityKind::Individual);
    assert_eq!(e.names[0].full, "CIFUENTES VILLA, Jorge Milton");
    assert_eq!(e.names[0].family.as_deref(), Some("CIFUENTES VILLA"));
    assert_eq!(e.names[0].given.as_deref(), Some("Jorge Milton"));
    assert!(e.remarks[0].contains("Linked To: PROMO RAIZ S.A.S.; Linked To: RED MUNDIAL"));
    assert!(e.remarks[0].ends_with("Linked To: R D I S.A."));
    assert_eq!(e.dates_of_birth, [date(1965, 5, 13), date(1968, 4, 13), date(1964, 7, 7)]);
    assert_eq!(
        e.places_of_birth,
        ["Medellin, Colombia", "Marinilla, Antioquia, Colombia", "Ciudad Victoria, Tamaulipas, Mexico"]
    );
    let passport = e.identifiers.iter().find(|i| i.kind == "passport").unwrap();
    assert_eq!(passport.number, "AL720622");
    assert_eq!(passport.note.as_deref(), Some("(Colombia)"));
    assert_eq!(passport.country.as_deref(), country::to_iso("Colombia"));
    assert_eq!(e.identifiers.iter().filter(|i| i.kind == "national_id").count(), 5); // 3 cedula + 2 CURP
    assert_eq!(e.names.len(), 3);

    // Weak akas in Remarks, one of them split across the spill-over ("snowsjo" + "hn'").
    let e = by_id(&r, "OFAC-SDN-28263");
    let weak: Vec<&str> = e.names.iter().filter(|n| n.quality == NameQuality::Weak).map(|n| n.full.as_str()).collect();
    assert_eq!(weak, ["tianyinyin0404", "snowsjohn"]);
    assert_eq!(e.gender, Some(Gender::Male));
    assert_eq!(e.dates_of_birth, [date(1986, 7, 12)]);
    assert_eq!(e.crypto_addresses.len(), 8);
    assert_eq!(e.crypto_addresses[0].address, "134r8iHv69xdT6p5qVKTsHrcUEuBVZAYak");
    assert_eq!(e.programs, ["DPRK3", "CYBER2"]);
    let id = e.identifiers.iter().find(|i| i.kind == "national_id").unwrap();
    assert_eq!(id.number, "321284198607120616");

    // DOB circa, ranges and month-only dates.
    let e = by_id(&r, "OFAC-SDN-7782");
    assert_eq!(e.dates_of_birth, [DateValue { y: 1951, m: 0, d: 0, approximate: true, to: None }]);
    assert_eq!(e.places_of_birth, ["Foca, Bosnia-Herzegovina"]);
    let e = by_id(&r, "OFAC-SDN-15496");
    assert_eq!(
        e.dates_of_birth,
        [DateValue { y: 1929, m: 0, d: 0, approximate: false, to: Some(PartialDate { y: 1930, m: 0, d: 0 }) }]
    );
    let e = by_id(&r, "OFAC-SDN-8170");
    assert_eq!(e.dates_of_birth, [date(1947, 3, 18), date(1949, 2, 0)]);
    // alt.csv fka.
    let e = by_id(&r, "OFAC-SDN-306");
    assert_eq!(e.names.iter().find(|n| n.full == "BNC").map(|n| n.quality), Some(NameQuality::Weak));
}

#[test]
fn ofac_consolidated_2025_12() {
    let r = read_all(&bundled("ofac_cons_2025-12"));
    assert_eq!(r.entities.len(), 442);
    assert!(r.warnings.is_empty());
    assert!(r.entities.iter().all(|e| e.id.starts_with("OFAC-CONS-") && e.list == "NON-SDN"));
    assert_eq!(
        count_names(&r, NameType::Aka, NameQuality::Strong)
            + count_names(&r, NameType::Fka, NameQuality::Strong)
            + count_names(&r, NameType::Nka, NameQuality::Strong),
        1073
    );
    assert_eq!(r.entities.iter().flat_map(|e| &e.names).filter(|n| n.quality == NameQuality::Weak).count(), 72);
    let e = by_id(&r, "OFAC-CONS-9639");
    assert_eq!(e.names[0].full, "HANIYA, Ismail Abdul Salah");
    assert_eq!(e.names[0].family.as_deref(), Some("HANIYA"));
    assert_eq!(e.programs, ["NS-PLC"]);
    assert_eq!(e.dates_of_birth, [date(1962, 0, 0)]);
    assert_eq!(e.places_of_birth, ["Shati"]);
    assert_eq!(e.names[1].full, "HANIYA, Ismail");
    // The main file given directly reads the same set.
    let again = read_all(&bundled("ofac_cons_2025-12").join("cons_prim.csv"));
    assert_eq!(again.entities.len(), 442);
}

#[test]
fn ofac_tiny_fixture() {
    let r = read_all(&fixture("ofac_tiny"));
    assert_eq!(r.entities.len(), 17);
    // The excerpt keeps aliases and addresses of entries that are not in it: each is reported.
    assert_eq!(r.warnings.len(), 9);
    assert!(r.warnings.iter().all(|w| w.reason.contains("not in the main file")));
    assert!(r.warnings[0].file.ends_with("alt.csv"));
    let e = by_id(&r, "OFAC-SDN-20540");
    assert_eq!((e.kind, e.primary_name()), (EntityKind::Aircraft, "P-532"));
}

#[test]
fn ofac_xml_consolidated_2018() {
    let reader = lists::open(&fixture("ofac_xml").join("consolidated.xml")).unwrap();
    assert_eq!(reader.info.format, ListFormat::OfacXml);
    assert_eq!(reader.info.publication_date.as_deref(), Some("2018-04-06"));
    let r = collect(reader);
    assert!(r.error.is_none());
    assert!(r.warnings.is_empty());
    // 639 <sdnEntry>, 1,255 <aka> of which 46 weak.
    assert_eq!(r.entities.len(), 639);
    let aliases = r.entities.iter().flat_map(|e| &e.names).filter(|n| n.name_type != NameType::Primary);
    assert_eq!(aliases.clone().count(), 1255);
    assert_eq!(aliases.filter(|n| n.quality == NameQuality::Weak).count(), 46);
    let e = by_id(&r, "OFAC-CONS-4632");
    assert_eq!(e.primary_name(), "BANK MARKAZI JOMHOURI ISLAMI IRAN");
    assert_eq!(e.kind, EntityKind::Entity);
    assert_eq!(e.list, "NON-SDN");
    assert_eq!(e.programs, ["IRAN"]);
    assert_eq!(e.names[1].full, "CENTRAL BANK OF THE ISLAMIC REPUBLIC OF IRAN");
    assert_eq!(e.addresses.len(), 2);
    assert_eq!(e.addresses[1].postal_code.as_deref(), Some("11365"));
    assert_eq!(e.addresses[1].city.as_deref(), Some("Tehran"));
    assert_eq!(e.raw["addressList"]["address"][1]["country"], "Iran");
    let kinds = |k: EntityKind| r.entities.iter().filter(|e| e.kind == k).count();
    assert_eq!((kinds(EntityKind::Entity), kinds(EntityKind::Individual), kinds(EntityKind::Vessel)), (471, 94, 74));
    assert_eq!(r.entities.iter().map(|e| e.dates_of_birth.len()).sum::<usize>(), 87);
}

#[test]
fn un_2026_02_27() {
    let reader = lists::open(&bundled("un_consolidated_2026-02-27.xml")).unwrap();
    assert_eq!(reader.info.format, ListFormat::UnXml);
    assert_eq!(reader.info.publisher, Publisher::Unscr);
    assert_eq!(reader.info.publication_date.as_deref(), Some("2026-02-27"));
    let r = collect(reader);
    assert!(r.error.is_none());
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
    let kinds = |k: EntityKind| r.entities.iter().filter(|e| e.kind == k).count();
    assert_eq!((kinds(EntityKind::Individual), kinds(EntityKind::Entity)), (730, 273));
    // 2,752 non-empty <ALIAS_NAME>, 615 with QUALITY Low; 378 <NAME_ORIGINAL_SCRIPT>.
    let aliases: Vec<_> = r
        .entities
        .iter()
        .flat_map(|e| &e.names)
        .filter(|n| matches!(n.name_type, NameType::Aka | NameType::Fka))
        .collect();
    assert_eq!(aliases.len(), 2752);
    assert_eq!(aliases.iter().filter(|n| n.quality == NameQuality::Weak).count(), 615);
    assert_eq!(count_names(&r, NameType::OriginalScript, NameQuality::Strong), 378);

    let e = by_id(&r, "UN-KPi.045");
    assert_eq!(e.kind, EntityKind::Individual);
    assert_eq!(e.list, "DPRK");
    assert_eq!(e.publisher, Some(Publisher::Unscr));
    assert_eq!(e.names.len(), 2);
    assert_eq!((e.names[0].full.as_str(), e.names[0].name_type), ("KIM KYONG OK", NameType::Primary));
    assert_eq!(
        (e.names[1].full.as_str(), e.names[1].name_type, e.names[1].quality),
        ("Kim Kyong Ok", NameType::Aka, NameQuality::Strong)
    );
    assert_eq!(e.dates_of_birth, [date(1937, 0, 0), date(1938, 0, 0)]);
    assert_eq!(e.listed_on.as_deref(), Some("2017-06-02"));
    assert_eq!(e.addresses[0].city.as_deref(), Some("Pyongyang"));
    assert_eq!(e.raw["NATIONALITY"]["VALUE"], "Democratic People's Republic of Korea");
    assert_eq!(e.raw["FIRST_NAME"], "KIM");
    assert_eq!(e.raw["SECOND_NAME"], "KYONG OK");
    assert!(e.remarks.is_empty()); // <COMMENTS1/> is an empty placeholder
    assert_eq!(e.gender, None);
    assert_eq!(e.identifiers.len(), 0);

    let e = by_id(&r, "UN-QDi.410");
    assert_eq!(e.primary_name(), "SHANE DOMINIC CRAWFORD");
    let weak: Vec<&str> = e.names.iter().filter(|n| n.quality == NameQuality::Weak).map(|n| n.full.as_str()).collect();
    assert_eq!(weak, ["Asadullah", "Abu Sa’d at-Trinidadi", "Asad"]);
    assert_eq!(e.dates_of_birth, [date(1986, 2, 22)]);
    assert_eq!(e.places_of_birth, ["Mount Hope, Trinidad and Tobago"]);
    let passport = e.identifiers.iter().find(|i| i.kind == "passport").unwrap();
    assert_eq!(passport.number, "TA959547");

    // BETWEEN and APPROXIMATELY dates: 62 BETWEEN and 241 APPROXIMATELY in the file.
    let dobs: Vec<&DateValue> = r.entities.iter().flat_map(|e| &e.dates_of_birth).collect();
    assert!(dobs.iter().any(|d| d.y == 1973 && d.to == Some(PartialDate { y: 1974, m: 0, d: 0 })));
    assert!(dobs.iter().filter(|d| d.approximate).count() > 100);
    let first = &r.entities[0];
    assert_eq!((first.id.as_str(), first.primary_name()), ("UN-CDi.001", "ERIC BADEGE"));
    assert_eq!(first.gender, Some(Gender::Male));
    assert_eq!(first.updated.as_deref(), Some("2016-10-13"));
    assert_eq!(first.dates_of_birth, [date(1971, 0, 0)]);
    assert!(first.remarks[0].starts_with("He fled to Rwanda in March 2013"));
}

/// Unescapes the five XML entities (enough for these files).
fn unescape(s: &str) -> String {
    s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'").replace("&amp;", "&")
}

/// Every leaf `<TAG>text</TAG>` of a record's XML, as (tag, text).
fn leaves(xml: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = xml;
    while let Some(open) = rest.find('<') {
        rest = &rest[open + 1..];
        let Some(close) = rest.find('>') else { break };
        let tag = &rest[..close];
        if tag.starts_with('/') || tag.ends_with('/') || tag.contains(' ') {
            continue;
        }
        let body = &rest[close + 1..];
        let end = format!("</{tag}>");
        if let Some(text_end) = body.find(&end) {
            let text = &body[..text_end];
            if !text.contains('<') && !text.trim().is_empty() {
                out.push((tag.to_string(), unescape(text.trim())));
            }
        }
    }
    out
}

/// All (key, string value) pairs in a JSON value.
fn json_pairs(v: &Value, key: &str, out: &mut HashSet<(String, String)>) {
    match v {
        Value::String(s) => {
            out.insert((key.to_string(), s.clone()));
        }
        Value::Array(a) => a.iter().for_each(|x| json_pairs(x, key, out)),
        Value::Object(m) => m.iter().for_each(|(k, x)| json_pairs(x, k, out)),
        _ => {}
    }
}

/// Checks that every leaf element of every record in an XML file appears, under its tag, in `raw`.
fn check_xml_raw(file: &Path, record_tags: &[&str], id_of: impl Fn(&str) -> String) {
    let text = std::fs::read_to_string(file).unwrap();
    let r = read_all(file);
    let raws: HashMap<&str, &Value> = r.entities.iter().map(|e| (e.id.as_str(), &e.raw)).collect();
    let mut checked = 0;
    for tag in record_tags {
        let open = format!("<{tag}>");
        let close = format!("</{tag}>");
        for chunk in text.split(&open).skip(1) {
            let record = &chunk[..chunk.find(&close).unwrap()];
            let id = id_of(record);
            let raw = raws.get(id.as_str()).unwrap_or_else(|| panic!("{id} not read"));
            let mut pairs = HashSet::new();
            json_pairs(raw, "", &mut pairs);
            for (k, v) in leaves(record) {
                assert!(pairs.contains(&(k.clone(), v.clone())), "{id}: <{k}>{v:?} missing from raw");
                checked += 1;
            }
        }
    }
    assert!(checked > 1000, "only {checked} fields checked");
}

fn between<'a>(s: &'a str, a: &str, b: &str) -> &'a str {
    let start = s.find(a).unwrap() + a.len();
    &s[start..start + s[start..].find(b).unwrap()]
}

#[test]
fn raw_keeps_every_field_un() {
    check_xml_raw(&bundled("un_consolidated_2026-02-27.xml"), &["INDIVIDUAL", "ENTITY"], |rec| {
        format!("UN-{}", between(rec, "<REFERENCE_NUMBER>", "</REFERENCE_NUMBER>").trim())
    });
}

#[test]
fn raw_keeps_every_field_ofac_xml() {
    check_xml_raw(&fixture("ofac_xml").join("consolidated.xml"), &["sdnEntry"], |rec| {
        format!("OFAC-CONS-{}", between(rec, "<uid>", "</uid>"))
    });
}

#[test]
fn raw_keeps_every_field_ofac_csv() {
    let dir = bundled("ofac_sdn_2021-07");
    let r = read_all(&dir);
    let raws: HashMap<&str, &Value> = r.entities.iter().map(|e| (e.id.as_str(), &e.raw)).collect();
    let rows = |name: &str| -> Vec<Vec<String>> {
        let mut rdr = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_path(dir.join(name)).unwrap();
        rdr.records()
            .map(|r| r.unwrap().iter().map(|f| f.trim().to_string()).collect())
            .filter(|r: &Vec<String>| r.len() > 1)
            .collect()
    };
    let null = |s: &str| if s == "-0-" { Value::Null } else { Value::String(s.to_string()) };
    let comments: HashMap<String, String> =
        rows("sdn_comments.csv").into_iter().map(|r| (r[0].clone(), r[1].clone())).collect();
    let names = [
        "ent_num",
        "SDN_Name",
        "SDN_Type",
        "Program",
        "Title",
        "Call_Sign",
        "Vess_type",
        "Tonnage",
        "GRT",
        "Vess_flag",
        "Vess_owner",
        "Remarks",
    ];
    let sdn = rows("sdn.csv");
    assert_eq!(sdn.len(), 8976);
    for row in &sdn {
        let raw = raws[format!("OFAC-SDN-{}", row[0]).as_str()];
        for (i, name) in names.iter().enumerate() {
            let mut expected = null(&row[i]);
            if i == 11 {
                if let Some(more) = comments.get(&row[0]) {
                    expected = Value::String(format!("{}{more}", row[11]));
                }
            }
            assert_eq!(raw[name], expected, "{} {name}", row[0]);
        }
    }
    let mut alt_seen = 0;
    for row in rows("alt.csv") {
        let raw = raws[format!("OFAC-SDN-{}", row[0]).as_str()];
        let alt = raw["alt"].as_array().unwrap().iter().find(|a| a["alt_num"] == row[1].as_str()).unwrap();
        for (i, name) in ["ent_num", "alt_num", "alt_type", "alt_name", "alt_remarks"].iter().enumerate() {
            assert_eq!(alt[name], null(&row[i]));
        }
        alt_seen += 1;
    }
    assert_eq!(alt_seen, 11910);
    for row in rows("add.csv") {
        let raw = raws[format!("OFAC-SDN-{}", row[0]).as_str()];
        let add = raw["add"].as_array().unwrap().iter().find(|a| a["Add_num"] == row[1].as_str()).unwrap();
        assert_eq!(add["Address"], null(&row[2]));
        assert_eq!(add["City/State/Province/Postal Code"], null(&row[3]));
        assert_eq!(add["Country"], null(&row[4]));
        assert_eq!(add["Add_remarks"], null(&row[5]));
    }
}

#[test]
fn not_a_list_is_a_clear_error() {
    let un = bundled("un_consolidated_2026-02-27.xml");
    let err = lists::ofac_xml::read(&un).err().expect("UN file is not OFAC XML").to_string();
    assert!(err.contains("un_consolidated_2026-02-27.xml") && err.contains("sdnList"), "{err}");
    let xml = fixture("ofac_xml").join("consolidated.xml");
    let err = lists::un::read(&xml).err().expect("OFAC XML is not UN").to_string();
    assert!(err.contains("CONSOLIDATED_LIST"), "{err}");
    let csv = bundled("ofac_sdn_2021-07").join("sdn.csv");
    let err = lists::un::read(&csv).err().expect("CSV is not XML").to_string();
    assert!(err.contains("sdn.csv") && err.contains("XML"), "{err}");
    let err = lists::ofac_csv::read(&fixture("ofac_xml")).err().expect("no OFAC set").to_string();
    assert!(err.contains("OFAC CSV set"), "{err}");
    let err = lists::open(Path::new("/no/such/list.xml")).err().unwrap();
    assert!(err.to_string().contains("/no/such/list.xml"));
}

#[test]
fn detection_and_discovery() {
    let dir = tempfile::tempdir().unwrap();
    // A headerless SDN-layout file under another name.
    let row = "36,\"AEROCARIBBEAN AIRLINES\",-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n\u{1a}";
    std::fs::write(dir.path().join("export.csv"), row).unwrap();
    std::fs::write(dir.path().join("README.md"), "# lists").unwrap();
    std::fs::write(dir.path().join("schema.xsd"), "<xs:schema/>").unwrap();
    let sub = dir.path().join("ofac");
    std::fs::create_dir(&sub).unwrap();
    for f in ["sdn.csv", "alt.csv", "add.csv", "sdn_comments.csv"] {
        std::fs::copy(fixture("ofac_tiny").join(f), sub.join(f)).unwrap();
    }
    let nested = dir.path().join("more");
    std::fs::create_dir(&nested).unwrap();
    std::fs::copy(fixture("ofac_xml").join("consolidated.xml"), nested.join("consolidated.xml")).unwrap();
    std::fs::create_dir(nested.join("deeper")).unwrap();
    std::fs::copy(fixture("ofac_xml").join("consolidated.xml"), nested.join("deeper").join("x.xml")).unwrap();

    let found = lists::discover(dir.path()).unwrap();
    assert_eq!(found, [dir.path().join("export.csv"), nested.join("consolidated.xml"), sub.clone()]);
    assert_eq!(lists::detect(&dir.path().join("export.csv")).unwrap(), ListFormat::OfacCsv);
    let r = read_all(&dir.path().join("export.csv"));
    assert_eq!(r.entities.len(), 1);
    assert_eq!(r.entities[0].id, "OFAC-SDN-36");
    assert_eq!(lists::discover(&sub).unwrap(), vec![sub.clone()]);
    assert_eq!(lists::discover(&sub.join("alt.csv")).unwrap(), [sub.join("alt.csv")]);
    assert_eq!(lists::detect(&sub.join("add.csv")).unwrap(), ListFormat::OfacCsv);
    assert!(lists::detect(&dir.path().join("README.md")).is_err());
}

/// A fixed-seed xorshift generator, so garbled inputs are the same on every run.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

/// Cuts and garbles `bytes`, writing each variant to `target` and calling `check` on the read.
fn damage(bytes: &[u8], target: &Path, mut check: impl FnMut(&str, usize, Result<Read, Error>)) {
    let len = bytes.len();
    for cut in [0, 1, 7, 40, 100, 1000, 4096, len / 3, len / 2, len - 100, len - 5, len - 1] {
        let cut = cut.min(len);
        std::fs::write(target, &bytes[..cut]).unwrap();
        check("cut", cut, lists::open(target).map(collect));
    }
    for seed in 1..=8u64 {
        let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        let mut v = bytes.to_vec();
        for _ in 0..(20 * seed) {
            let i = (rng.next() % len as u64) as usize;
            v[i] = (rng.next() & 0xff) as u8;
        }
        std::fs::write(target, &v).unwrap();
        check("garbled", seed as usize, lists::open(target).map(collect));
    }
}

#[test]
fn damaged_inputs_never_panic() {
    let dir = tempfile::tempdir().unwrap();

    // UN XML: any cut before the end is a truncation error naming the file.
    let un = std::fs::read(bundled("un_consolidated_2026-02-27.xml")).unwrap();
    let target = dir.path().join("un.xml");
    damage(&un, &target, |how, at, res| {
        let err = match res {
            Err(e) => Some(e),
            Ok(r) => r.error,
        };
        if how == "cut" && at + 20 < un.len() {
            let err = err.unwrap_or_else(|| panic!("UN cut at {at}: no error"));
            assert!(matches!(err, Error::ListFormat { .. } | Error::Io { .. }), "{err}");
            assert!(err.to_string().contains("un.xml"), "{err}");
        }
    });

    // OFAC XML.
    let xml = std::fs::read(fixture("ofac_xml").join("consolidated.xml")).unwrap();
    let target = dir.path().join("sdn_list.xml");
    damage(&xml, &target, |how, at, res| {
        let err = match res {
            Err(e) => Some(e),
            Ok(r) => r.error,
        };
        if how == "cut" && at + 20 < xml.len() {
            let msg = err.unwrap_or_else(|| panic!("OFAC XML cut at {at}: no error")).to_string();
            assert!(msg.contains("sdn_list.xml"), "{msg}");
            if at > 1000 {
                assert!(msg.contains("truncated") || msg.contains("malformed"), "{msg}");
            }
        }
    });

    // OFAC CSV: damage the main file and each side file of the tiny set.
    for name in ["sdn.csv", "alt.csv", "add.csv", "sdn_comments.csv"] {
        let set = dir.path().join(format!("set_{name}"));
        std::fs::create_dir(&set).unwrap();
        for f in ["sdn.csv", "alt.csv", "add.csv", "sdn_comments.csv"] {
            std::fs::copy(fixture("ofac_tiny").join(f), set.join(f)).unwrap();
        }
        let bytes = std::fs::read(fixture("ofac_tiny").join(name)).unwrap();
        let target = set.join(name);
        damage(&bytes, &target, |how, at, res| {
            let r = res.unwrap_or_else(|e| panic!("{name} {how} {at}: {e}"));
            assert!(r.error.is_none());
            assert!(r.entities.len() <= 17);
            if name == "sdn.csv" && how == "cut" && (7..=40).contains(&at) {
                // The first row is cut short: reported, not dropped silently.
                assert!(r.warnings.iter().any(|w| w.reason.contains("fields")), "{:?}", r.warnings);
            }
        });
    }
}
