//! Index building, opening, lookups and corruption handling on hand-made entities.

mod index_support;

use index_support::{with_analysis, with_version};
use saring::index::format::{FORMAT_VERSION, OLDEST_READABLE_VERSION};
use saring::index::{Index, IndexBuilder, SourceInfo};
use saring::model::{Address, DateValue, EntityName, Gender, NameQuality, NameType, PartialDate};
use saring::screen::Query;
use saring::{Entity, EntityKind, Error, Publisher};
use std::path::{Path, PathBuf};

fn person(id: &str, publisher: Publisher, names: &[(&str, NameQuality)]) -> Entity {
    Entity {
        id: id.into(),
        publisher: Some(publisher),
        list: "TEST".into(),
        kind: EntityKind::Individual,
        names: names
            .iter()
            .enumerate()
            .map(|(i, (n, q))| EntityName::new(*n, if i == 0 { NameType::Primary } else { NameType::Aka }, *q))
            .collect(),
        raw: serde_json::json!({ "source_id": id, "names": names.iter().map(|n| n.0).collect::<Vec<_>>() }),
        ..Default::default()
    }
}

pub fn sample() -> Vec<Entity> {
    let mut kim = person("UN-KPi.1", Publisher::Unscr, &[("KIM KYONG OK", NameQuality::Strong)]);
    kim.dates_of_birth = vec![DateValue::exact(PartialDate { y: 1937, m: 0, d: 0 })];
    kim.nationalities = vec!["KP".into()];
    kim.gender = Some(Gender::Female);
    let mut yuk = Entity {
        id: "OFAC-SDN-9".into(),
        publisher: Some(Publisher::Ofac),
        list: "SDN".into(),
        kind: EntityKind::Entity,
        names: vec![EntityName::new("YUK TUNG ENERGY PTE. LTD.", NameType::Primary, NameQuality::Strong)],
        raw: serde_json::json!({"sdn_name": "YUK TUNG ENERGY PTE. LTD."}),
        ..Default::default()
    };
    yuk.addresses = vec![Address { city: Some("Singapore".into()), country: Some("SG".into()), ..Default::default() }];
    vec![
        yuk,
        kim,
        person(
            "OFAC-SDN-1",
            Publisher::Ofac,
            &[("AKILOV, Farkhad Ataullaevich", NameQuality::Strong), ("Farik", NameQuality::Weak)],
        ),
        person("UK-7", Publisher::Uk, &[("Abdulrahman Yusuf", NameQuality::Strong)]),
        person("OFAC-SDN-2", Publisher::Ofac, &[("Nicolás MADURO MOROS", NameQuality::Strong)]),
        person("EC-3", Publisher::Ec, &[("Sergei Shoigu", NameQuality::Strong)]),
    ]
}

/// [`build`], and the file's bytes.
fn built(dir: &Path, entities: &[Entity]) -> (PathBuf, Vec<u8>) {
    let path = build(dir, entities);
    let bytes = std::fs::read(&path).unwrap();
    (path, bytes)
}

pub fn build(dir: &Path, entities: &[Entity]) -> PathBuf {
    let path = dir.join("test.sidx");
    let mut b = IndexBuilder::new(&path).unwrap();
    for e in entities {
        b.add(e).unwrap();
    }
    b.add_source(SourceInfo {
        path: "hand-made".into(),
        format: "custom_jsonl".into(),
        publisher: Publisher::Custom,
        publication_date: Some("2026-01-01".into()),
        file_hash: "0123456789abcdef".into(),
        entities: entities.len() as u64,
        warnings: 0,
    });
    let info = b.finish().unwrap();
    assert_eq!(info.entities, entities.len() as u64);
    path
}

#[test]
fn entities_round_trip_in_id_order_with_hashes() {
    let dir = tempfile::tempdir().unwrap();
    let entities = sample();
    let path = build(dir.path(), &entities);
    let index = Index::open(&path).unwrap();
    assert_eq!(index.entity_count(), 6);
    assert_eq!(index.name_count(), 7);

    let all: Vec<Entity> = index.entities().collect::<saring::Result<_>>().unwrap();
    let ids: Vec<&str> = all.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids, ["EC-3", "OFAC-SDN-1", "OFAC-SDN-2", "OFAC-SDN-9", "UK-7", "UN-KPi.1"]);
    for e in &entities {
        let got = index.entity(&e.id).unwrap().unwrap();
        assert_eq!(&got, e, "entity {} round-trips field by field", e.id);
    }
    assert!(index.entity("NOPE").unwrap().is_none());

    let hashes: Vec<(String, String)> = index.entity_hashes().collect::<saring::Result<_>>().unwrap();
    assert_eq!(hashes.len(), 6);
    for (id, h) in &hashes {
        let e = entities.iter().find(|e| &e.id == id).unwrap();
        assert_eq!(h, &e.content_hash());
    }

    let info = index.info().unwrap();
    assert_eq!(info.entities, 6);
    assert_eq!(info.names, 7);
    assert_eq!(info.sources.len(), 1);
    assert_eq!(info.sources[0].publication_date.as_deref(), Some("2026-01-01"));
    assert_eq!(info.sources[0].file_hash, "0123456789abcdef");
    assert_eq!(info.file_size, std::fs::metadata(&path).unwrap().len());
    assert!(info.build_time.ends_with('Z') && info.build_time.len() == 20, "{}", info.build_time);
    index.verify().unwrap();
}

#[test]
fn duplicate_ids_are_skipped_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("dup.sidx");
    let mut b = IndexBuilder::new(&path).unwrap();
    let e = person("X-1", Publisher::Custom, &[("John Smith", NameQuality::Strong)]);
    b.add(&e).unwrap();
    b.add(&person("X-1", Publisher::Custom, &[("Other Name", NameQuality::Strong)])).unwrap();
    assert_eq!(b.warnings().len(), 1);
    assert!(b.warnings()[0].reason.contains("duplicate entity id \"X-1\""));
    b.finish().unwrap();
    let index = Index::open(&path).unwrap();
    assert_eq!(index.entity_count(), 1);
    assert_eq!(index.entity("X-1").unwrap().unwrap().primary_name(), "John Smith");
    // No leftovers of the build next to the output.
    let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(left, vec![std::ffi::OsString::from("dup.sidx")]);
}

#[test]
fn empty_index_opens_and_finds_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = build(dir.path(), &[]);
    let index = Index::open(&path).unwrap();
    assert_eq!(index.entity_count(), 0);
    index.verify().unwrap();
    assert!(index.screen(&Query::name("anyone")).unwrap().results.is_empty());
}

#[test]
fn an_index_of_an_older_readable_format_opens_for_its_entities() {
    let dir = tempfile::tempdir().unwrap();
    let (path, good) = built(dir.path(), &sample());
    let older = dir.path().join("older.sidx");
    let version = |v: u32| {
        std::fs::write(&older, with_version(&good, v)).unwrap();
        &older
    };
    // `open` takes this build's version only; `open_older` the earlier ones of the same layout too.
    match Index::open(version(OLDEST_READABLE_VERSION)).unwrap_err() {
        Error::IndexVersion { got, expected, .. } => {
            assert_eq!((got, expected), (OLDEST_READABLE_VERSION, FORMAT_VERSION))
        }
        e => panic!("expected IndexVersion, got {e}"),
    }
    let old = Index::open_older(&older).unwrap();
    let current = Index::open(&path).unwrap();
    let hashes = |i: &Index| i.entity_hashes().collect::<saring::Result<Vec<_>>>().unwrap();
    assert_eq!(hashes(&old), hashes(&current));
    assert_eq!(hashes(&old).len(), sample().len());
    old.verify().unwrap();
    for v in [OLDEST_READABLE_VERSION - 1, FORMAT_VERSION + 1] {
        let e = Index::open_older(version(v)).unwrap_err();
        match &e {
            Error::IndexVersion { got, oldest, .. } => assert_eq!((*got, *oldest), (v, OLDEST_READABLE_VERSION)),
            e => panic!("expected IndexVersion, got {e}"),
        }
        // The message names every version `open_older` reads.
        let reads = format!("this build reads versions {OLDEST_READABLE_VERSION} to {FORMAT_VERSION};");
        assert!(e.to_string().contains(&reads), "{e}");
    }
}

#[test]
fn an_index_of_another_name_analysis_is_flagged_when_screened() {
    let dir = tempfile::tempdir().unwrap();
    let (path, good) = built(dir.path(), &sample());
    let other = dir.path().join("other.sidx");
    let fingerprint = u64::from_le_bytes(good[52..60].try_into().unwrap());
    std::fs::write(&other, with_analysis(&good, fingerprint ^ 1)).unwrap();
    assert!(Index::open(&path).unwrap().is_current_analysis());
    assert!(!Index::open(&other).unwrap().is_current_analysis());
    // The CLI screens with it, and says on stderr that it should be rebuilt.
    let screen = |file: &std::path::Path| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_saring"))
            .args(["screen", "Farkhad Akilov", "--json", "--index"])
            .arg(file)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        (String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned())
    };
    let (results, warning) = screen(&other);
    assert!(warning.contains("other.sidx") && warning.contains("rebuild it with `saring index`"), "{warning}");
    assert_eq!(screen(&path), (results, String::new()));
}

#[test]
fn corrupt_files_give_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let (_, good) = built(dir.path(), &sample());
    let bad = dir.path().join("bad.sidx");
    let open_bad = |bytes: &[u8]| {
        std::fs::write(&bad, bytes).unwrap();
        Index::open(&bad)
    };

    // Truncated.
    let e = open_bad(&good[..good.len() - 10]).unwrap_err();
    assert!(matches!(e, Error::IndexCorrupt { .. }), "{e}");
    assert!(e.to_string().contains("truncated"), "{e}");
    let e = open_bad(&good[..20]).unwrap_err();
    assert!(matches!(e, Error::IndexCorrupt { .. }), "{e}");
    assert!(matches!(open_bad(&[]).unwrap_err(), Error::IndexCorrupt { .. }));

    // A directory, not a file.
    let e = Index::open(dir.path()).unwrap_err();
    assert!(matches!(e, Error::Io { .. }), "{e}");
    assert!(e.to_string().contains("is a directory, not an index file"), "{e}");

    // Not an index.
    let e = open_bad(b"<?xml version=\"1.0\"?><sdnList></sdnList> and some more bytes to pass the header length..")
        .unwrap_err();
    assert!(e.to_string().contains("not a saring index"), "{e}");

    // Another format version.
    let mut v = good.clone();
    v[8..12].copy_from_slice(&999u32.to_le_bytes());
    let e = open_bad(&v).unwrap_err();
    match &e {
        Error::IndexVersion { got, expected, .. } => {
            assert_eq!((*got, *expected), (999, saring::index::format::FORMAT_VERSION))
        }
        e => panic!("expected IndexVersion, got {e}"),
    }
    let reads = format!("this build reads version {};", saring::index::format::FORMAT_VERSION);
    assert!(e.to_string().contains(&reads), "{e}");

    // Header damaged: caught at open by the header CRC.
    let mut h = good.clone();
    h[40] ^= 0xff;
    let e = open_bad(&h).unwrap_err();
    assert!(e.to_string().contains("header checksum"), "{e}");

    // A flipped byte in the middle of the data: open works (O(1)), verify catches it.
    let mut d = good.clone();
    let mid = good.len() / 2;
    d[mid] ^= 0x55;
    let index = open_bad(&d).unwrap();
    let e = index.verify().unwrap_err();
    assert!(e.to_string().contains("checksum mismatch"), "{e}");
}

#[test]
fn every_single_byte_corruption_is_an_error_or_harmless() {
    // No panic whatever byte is damaged: open, verify and screen return errors or results.
    let dir = tempfile::tempdir().unwrap();
    let (_, good) = built(dir.path(), &sample()[..3]);
    let bad = dir.path().join("bad.sidx");
    let step = (good.len() / 400).max(1);
    for i in (0..good.len()).step_by(step) {
        let mut d = good.clone();
        d[i] ^= 0xa5;
        std::fs::write(&bad, &d).unwrap();
        if let Ok(index) = Index::open(&bad) {
            assert!(index.verify().is_err(), "byte {i} damaged but verify passed");
            let _ = index.screen(&Query::name("Kim Kyong Ok"));
            let _ = index.entities().count();
        }
    }
}

#[test]
fn hits_carry_names_dates_and_the_raw_record_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let mut entities = sample();
    // A raw record with what JSON writers differ on: escapes, non-ASCII, large and small numbers,
    // nesting, empty containers and a key order that is not alphabetical.
    let mut tricky = person("X-RAW", Publisher::Custom, &[("Zhou Tricky Record", NameQuality::Strong)]);
    tricky.names.push(EntityName::new("Чжоу", NameType::Aka, NameQuality::Strong));
    tricky.dates_of_birth = vec![
        DateValue::exact(PartialDate { y: 1961, m: 4, d: 12 }),
        DateValue { y: 1955, m: 0, d: 0, approximate: true, to: Some(PartialDate { y: 1957, m: 0, d: 0 }) },
    ];
    tricky.raw = serde_json::json!({
        "zeta": "quote \" backslash \\ newline \n tab \t",
        "alpha": ["Чжоу", "周", "e\u{301}"],
        "n": [18446744073709551615u64, -9223372036854775808i64, 1.5e-7, 0.1, -0.0, 1e300],
        "nested": {"b": {}, "a": [], "c": null, "d": true}
    });
    entities.push(tricky);
    let mut no_raw = person("X-NULL", Publisher::Custom, &[("Quentin Nullraw", NameQuality::Strong)]);
    no_raw.raw = serde_json::Value::Null;
    entities.push(no_raw);
    let path = build(dir.path(), &entities);
    let index = Index::open(&path).unwrap();
    index.verify().unwrap();

    let mut checked = 0;
    for e in &entities {
        assert_eq!(&index.entity(&e.id).unwrap().unwrap(), e, "entity {} round-trips", e.id);
        let r = index.screen(&Query { limit: Some(20), ..Query::name(e.primary_name()) }).unwrap();
        let h = r.results.iter().find(|h| h.id == e.id).unwrap_or_else(|| panic!("{} not found", e.id));
        assert_eq!(h.record_data.get(), serde_json::to_string(&e.raw).unwrap(), "{}", e.id);
        assert_eq!(h.record_data.value(), e.raw, "{}", e.id);
        assert_eq!(h.names, e.names.iter().map(|n| n.full.clone()).collect::<Vec<_>>(), "{}", e.id);
        assert_eq!(h.dates_of_birth, e.dates_of_birth.iter().map(|d| d.date()).collect::<Vec<_>>(), "{}", e.id);
        checked += 1;
    }
    assert_eq!(checked, 8);

    // The tricky record, checked against text written by hand.
    let h = index.screen(&Query::name("Zhou Tricky Record")).unwrap().results.remove(0);
    assert_eq!(
        h.record_data.get(),
        r#"{"zeta":"quote \" backslash \\ newline \n tab \t","alpha":["Чжоу","周","e"#.to_string()
            + "\u{301}\"],"
            + r#""n":[18446744073709551615,-9223372036854775808,1.5e-7,0.1,-0.0,1e+300],"#
            + r#""nested":{"b":{},"a":[],"c":null,"d":true}}"#
    );
    assert_eq!(h.names, ["Zhou Tricky Record", "Чжоу"]);
    assert_eq!(h.dates_of_birth, [PartialDate { y: 1961, m: 4, d: 12 }, PartialDate { y: 1955, m: 0, d: 0 }]);
    let h = index.screen(&Query::name("Quentin Nullraw")).unwrap().results.remove(0);
    assert_eq!(h.record_data.get(), "null");
}
