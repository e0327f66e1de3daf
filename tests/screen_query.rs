//! Screening on hand-made entities: candidates, grouping, qualifiers, filters, validation, CLI.

use saring::index::{Index, IndexBuilder, ScreenOptions, Typo};
use saring::model::{Address, DateValue, EntityName, Gender, NameQuality, NameType, PartialDate};
use saring::screen::Query;
use saring::{Decision, Entity, EntityKind, Error, Publisher};
use std::path::{Path, PathBuf};
use std::process::Command;

fn names(list: &[(&str, NameQuality)]) -> Vec<EntityName> {
    list.iter()
        .enumerate()
        .map(|(i, (n, q))| EntityName::new(*n, if i == 0 { NameType::Primary } else { NameType::Aka }, *q))
        .collect()
}

fn entity(id: &str, publisher: Publisher, kind: EntityKind, n: &[(&str, NameQuality)]) -> Entity {
    Entity {
        id: id.into(),
        publisher: Some(publisher),
        list: "TEST".into(),
        kind,
        names: names(n),
        raw: serde_json::json!({ "id": id }),
        ..Default::default()
    }
}

const S: NameQuality = NameQuality::Strong;
const W: NameQuality = NameQuality::Weak;

fn sample() -> Vec<Entity> {
    let mut kim = entity("UN-KPi.1", Publisher::Unscr, EntityKind::Individual, &[("KIM KYONG OK", S)]);
    kim.dates_of_birth = vec![DateValue::exact(PartialDate { y: 1937, m: 0, d: 0 })];
    kim.nationalities = vec!["KP".into()];
    kim.gender = Some(Gender::Female);
    kim.raw = serde_json::json!({"FIRST_NAME": "KIM", "SECOND_NAME": "KYONG", "THIRD_NAME": "OK"});
    let mut yuk = entity("OFAC-SDN-9", Publisher::Ofac, EntityKind::Entity, &[("YUK TUNG ENERGY PTE. LTD.", S)]);
    yuk.addresses = vec![Address { city: Some("Singapore".into()), country: Some("SG".into()), ..Default::default() }];
    let mut mad = entity("OFAC-SDN-2", Publisher::Ofac, EntityKind::Individual, &[("Nicolás MADURO MOROS", S)]);
    mad.dates_of_birth = vec![DateValue::exact(PartialDate { y: 1962, m: 11, d: 23 })];
    vec![
        yuk,
        kim,
        entity(
            "OFAC-SDN-1",
            Publisher::Ofac,
            EntityKind::Individual,
            &[("AKILOV, Farkhad Ataullaevich", S), ("Farik Akilov", W)],
        ),
        entity("UK-7", Publisher::Uk, EntityKind::Individual, &[("Abdulrahman Yusuf Hamdan", S)]),
        mad,
        entity("EC-3", Publisher::Ec, EntityKind::Individual, &[("Sergei Shoigu", S)]),
        entity("UK-8", Publisher::Uk, EntityKind::Individual, &[("Kim Kyong Il", S)]),
        entity("OFAC-SDN-7944", Publisher::Ofac, EntityKind::Individual, &[("KALED, Belkasam Mansour", S)]),
        entity("CUSTOM-1", Publisher::Custom, EntityKind::Entity, &[("Kim Kyong Ok Trading LLC", S)]),
    ]
}

fn build(dir: &Path) -> PathBuf {
    let path = dir.join("s.sidx");
    let mut b = IndexBuilder::new(&path).unwrap();
    for e in sample() {
        b.add(&e).unwrap();
    }
    b.finish().unwrap();
    path
}

fn ids(r: &saring::screen::ScreenResult) -> Vec<&str> {
    r.results.iter().map(|h| h.id.as_str()).collect()
}

#[test]
fn person_query_finds_kim_kyong_ok_with_every_field_filled() {
    let dir = tempfile::tempdir().unwrap();
    let index = Index::open(&build(dir.path())).unwrap();
    let q = Query {
        given_name: Some("Kim Kyong".into()),
        surname: Some("Ok".into()),
        date_of_birth: Some("1937".into()),
        nationality: Some("kp".into()),
        ..Default::default()
    };
    let r = index.screen(&q).unwrap();
    let h = &r.results[0];
    assert_eq!(h.id, "UN-KPi.1");
    assert_eq!(h.publisher, Publisher::Unscr);
    assert_eq!(h.list, "TEST");
    assert_eq!(h.kind, EntityKind::Individual);
    assert_eq!(h.names, vec!["KIM KYONG OK"]);
    assert_eq!(h.matched_name, "KIM KYONG OK");
    assert_eq!(h.decision, Decision::Match);
    assert_eq!(h.explanation.name_score, 100.0);
    assert_eq!(h.score, 100.0);
    assert_eq!(h.nationalities, vec!["KP"]);
    assert_eq!(h.dates_of_birth, vec![PartialDate { y: 1937, m: 0, d: 0 }]);
    assert_eq!(h.record_data.value()["THIRD_NAME"], "OK");
    assert_eq!(h.entity_hash, index.entity("UN-KPi.1").unwrap().unwrap().content_hash());
    let quals: Vec<(&str, f64)> = h.explanation.qualifiers.iter().map(|q| (q.name.as_str(), q.points)).collect();
    assert_eq!(quals, vec![("date_of_birth", 5.0), ("nationality", 3.0)]);
    // Sorted by score, then id; every hit at or above the lower threshold.
    for w in r.results.windows(2) {
        assert!(w[0].score > w[1].score || (w[0].score == w[1].score && w[0].id < w[1].id));
    }
    assert!(r.results.iter().all(|h| h.score >= 40.0));
}

#[test]
fn qualifiers_move_the_score() {
    let dir = tempfile::tempdir().unwrap();
    let index = Index::open(&build(dir.path())).unwrap();
    let base = Query { name: Some("Nicolas Maduro Moros".into()), ..Default::default() };
    let plain = index.screen(&base).unwrap().results[0].clone();
    assert_eq!(plain.id, "OFAC-SDN-2");
    let with = |dob: &str| {
        let q = Query { date_of_birth: Some(dob.into()), ..base.clone() };
        index.screen(&q).unwrap().results.into_iter().find(|h| h.id == "OFAC-SDN-2").unwrap().score
    };
    assert_eq!(with("1962-11-23"), (plain.score + 5.0).min(100.0));
    assert_eq!(with("1990"), plain.score - 15.0);
    assert_eq!(with("1962-11-24"), plain.score - 5.0);
    // A person query against an organisation loses the kind points.
    let q = Query { given_name: Some("Yuk Tung".into()), surname: Some("Energy".into()), ..Default::default() };
    let h = index.screen(&q).unwrap().results.into_iter().find(|h| h.id == "OFAC-SDN-9").unwrap();
    assert!(h.explanation.qualifiers.iter().any(|q| q.name == "kind" && q.points == -15.0));
    // Gender: the listed person is female.
    let q = Query { given_name: Some("Kim Kyong".into()), surname: Some("Ok".into()), ..Default::default() };
    let kim = |g: &str| {
        let r = index.screen(&Query { gender: Some(g.into()), ..q.clone() }).unwrap();
        r.results.into_iter().find(|h| h.id == "UN-KPi.1").unwrap().score
    };
    assert_eq!(kim("female"), 100.0);
    assert_eq!(kim("m"), 90.0);
}

#[test]
fn business_query_with_domicile_finds_yuk_tung() {
    let dir = tempfile::tempdir().unwrap();
    let index = Index::open(&build(dir.path())).unwrap();
    let q = Query {
        business_name: Some("Yuk Tung Energy".into()),
        business_domicile: Some("SG".into()),
        ..Default::default()
    };
    let r = index.screen(&q).unwrap();
    assert_eq!(r.results[0].id, "OFAC-SDN-9");
    assert_eq!(r.results[0].explanation.qualifiers[0].name, "domicile");
    assert_eq!(r.results[0].explanation.qualifiers[0].points, 3.0);
}

#[test]
fn typos_joined_tokens_and_weak_aliases() {
    let dir = tempfile::tempdir().unwrap();
    let index = Index::open(&build(dir.path())).unwrap();
    // One typo in a long token, a transposition, a dropped accent.
    for name in ["Farkhad Ataulaevich Akilov", "Farkhda Ataullaevich Akilov", "Sergei Shoigu", "Nicolas Madruo"] {
        let r = index.screen(&Query::name(name)).unwrap();
        assert!(!r.results.is_empty(), "{name}: no hits");
    }
    // Split query finds joined list token.
    let r = index.screen(&Query::name("Abdul Rahman Yusuf Hamdan")).unwrap();
    assert_eq!(r.results.first().map(|h| h.id.as_str()), Some("UK-7"), "{:?}", ids(&r));
    // A surname written first and joined to the given name: found through the list name's last word
    // joined to its first (the query shares no word with it); two words joined in the other order.
    let r = index.screen(&Query::name("Kaledbelkasam")).unwrap();
    assert_eq!(r.results.first().map(|h| h.id.as_str()), Some("OFAC-SDN-7944"), "{:?}", ids(&r));
    let r = index.screen(&Query::name("Yusufabdulrahman Hamdan")).unwrap();
    assert_eq!(r.results.first().map(|h| h.id.as_str()), Some("UK-7"), "{:?}", ids(&r));
    // The weak alias matches exactly but is discounted.
    let r = index.screen(&Query::name("Farik Akilov")).unwrap();
    let h = r.results.iter().find(|h| h.id == "OFAC-SDN-1").unwrap();
    assert_eq!(h.matched_name, "Farik Akilov");
    assert_eq!(h.explanation.qualifiers[0].name, "weak_alias");
    assert_eq!(h.score, h.explanation.name_score - 8.0);
}

#[test]
fn publisher_filter_limit_and_threshold() {
    let dir = tempfile::tempdir().unwrap();
    let index = Index::open(&build(dir.path())).unwrap();
    let q = Query { name: Some("Kim Kyong Ok".into()), ..Default::default() };
    let all = index.screen(&q).unwrap();
    assert!(all.results.len() >= 2, "{:?}", ids(&all));
    let uk = index.screen(&Query { publishers: vec![Publisher::Uk], ..q.clone() }).unwrap();
    assert!(!uk.results.is_empty());
    assert!(uk.results.iter().all(|h| h.publisher == Publisher::Uk), "{:?}", ids(&uk));
    let one = index.screen(&Query { limit: Some(1), ..q.clone() }).unwrap();
    assert_eq!(ids(&one), vec!["UN-KPi.1"]);
    let strict = index.screen(&Query { score_threshold: Some(100.0), ..q.clone() }).unwrap();
    assert!(strict.results.iter().all(|h| h.score >= 100.0));
    assert_eq!(strict.results[0].id, "UN-KPi.1");
    // Thresholds decide.
    let t = index.screen(&Query { upper_threshold: Some(100.0), lower_threshold: Some(100.0), ..q.clone() }).unwrap();
    assert!(t.results.iter().all(|h| h.decision == Decision::Match));
    // Options: no typo, phonetic or joined lookup still finds the exact name.
    let opts = ScreenOptions { typo: Typo::Off, phonetic: false, joined: false, ..Default::default() };
    assert_eq!(index.screen_with(&q, &opts).unwrap().results[0].id, "UN-KPi.1");
}

#[test]
fn invalid_queries_are_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let index = Index::open(&build(dir.path())).unwrap();
    let bad = |q: Query, needle: &str| {
        let e = index.screen(&q).unwrap_err();
        assert!(matches!(e, Error::InvalidInput(_)), "{e}");
        assert!(e.to_string().contains(needle), "{e} should mention {needle}");
    };
    bad(Query::default(), "no name");
    bad(Query::name("  ,.;  "), "no letters or digits");
    bad(Query { surname: Some("Ok".into()), ..Default::default() }, "given_name is required");
    bad(Query { given_name: Some("A".into()), business_name: Some("B".into()), ..Default::default() }, "not both");
    // A plain name beside a person's or an entity's name fields is not dropped silently.
    bad(Query { given_name: Some("Jong".into()), ..Query::name("Kim") }, "name once");
    bad(Query { surname: Some("Ok".into()), ..Query::name("Kim") }, "name once");
    bad(Query { business_name: Some("Yuk Tung".into()), ..Query::name("Energy") }, "name once");
    bad(Query { date_of_birth: Some("1975-13-01".into()), ..Query::name("x") }, "date_of_birth");
    bad(Query { date_of_birth: Some("75".into()), ..Query::name("x") }, "YYYY");
    bad(Query { nationality: Some("Indonesia".into()), ..Query::name("x") }, "ISO 3166-1");
    bad(Query { business_domicile: Some("ZZ".into()), business_name: Some("x".into()), ..Default::default() }, "ZZ");
    bad(Query { upper_threshold: Some(30.0), lower_threshold: Some(50.0), ..Query::name("x") }, "lower threshold");
    bad(Query { upper_threshold: Some(130.0), ..Query::name("x") }, "outside");
    bad(Query { score_threshold: Some(-1.0), ..Query::name("x") }, "score_threshold");
    bad(Query { limit: Some(0), ..Query::name("x") }, "limit");
    bad(Query { gender: Some("x".into()), ..Query::name("x") }, "gender");
}

#[test]
fn json_shape_mirrors_iluma() {
    let dir = tempfile::tempdir().unwrap();
    let index = Index::open(&build(dir.path())).unwrap();
    let r = index.screen(&Query::name("Kim Kyong Ok")).unwrap();
    let v = serde_json::to_value(&r).unwrap();
    let h = &v["results"][0];
    for field in ["id", "publisher", "list", "kind", "names", "matched_name", "score", "decision", "nationalities"] {
        assert!(!h[field].is_null(), "{field} missing in {h}");
    }
    assert_eq!(h["publisher"], "UNSCR");
    assert_eq!(h["decision"], "MATCH");
    assert_eq!(h["dates_of_birth"][0], serde_json::json!({"y": 1937, "m": 0, "d": 0}));
    assert_eq!(h["kind"], "individual");
    // Queries deserialise from the API field names.
    let q: Query =
        serde_json::from_str(r#"{"given_name":"Kim Kyong","surname":"Ok","publishers":["UNSCR"],"limit":3}"#).unwrap();
    assert_eq!(index.screen(&q).unwrap().results[0].id, "UN-KPi.1");
}

fn saring() -> Command {
    Command::new(env!("CARGO_BIN_EXE_saring"))
}

/// The JSON lines a batch run printed.
fn json_lines(out: &std::process::Output) -> Vec<serde_json::Value> {
    String::from_utf8_lossy(&out.stdout).lines().map(|l| serde_json::from_str(l).unwrap()).collect()
}

/// The JSON lines of `saring screen --queries` over a file of `lines`, against the index at `index`.
fn batch(dir: &Path, index: &Path, lines: &str) -> Vec<serde_json::Value> {
    let queries = dir.join("q.jsonl");
    std::fs::write(&queries, lines).unwrap();
    let out = saring().args(["screen", "--queries"]).arg(&queries).arg("--index").arg(index).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    json_lines(&out)
}

#[test]
fn cli_screen_single_and_batch() {
    let dir = tempfile::tempdir().unwrap();
    let path = build(dir.path());
    let out = saring()
        .args(["screen", "--given", "Kim Kyong", "--surname", "Ok", "--json", "--index"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["results"][0]["id"], "UN-KPi.1");
    assert!(v["results"][0].get("explanation").is_none());

    let out = saring()
        .args(["screen", "Yuk Tung Energy", "--entity", "--nationality", "SG", "--explain", "--index"])
        .arg(&path)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let first = text.lines().nth(1).unwrap();
    assert!(first.contains("OFAC-SDN-9") && first.contains("YUK TUNG ENERGY PTE. LTD."), "{text}");
    assert!(text.contains("+3.0 domicile"), "{text}");

    let bad = saring().args(["screen", "x", "--dob", "1975-13", "--index"]).arg(&path).output().unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("date_of_birth"));

    let lines = batch(
        dir.path(),
        &path,
        // Saved by a Windows editor: a byte order mark first, CRLF line ends.
        concat!(
            "\u{feff}{\"given_name\": \"Kim Kyong\", \"surname\": \"Ok\"}\r\n",
            "this is not json\r\n",
            "\n",
            "{\"business_name\": \"Yuk Tung Energy\", \"business_domicile\": \"SG\"}\n",
            "{\"name\": \"x\", \"date_of_birth\": \"1975-13\"}\n",
        ),
    );
    assert_eq!(lines.len(), 4);
    assert_eq!(lines[0]["line"], 1);
    assert_eq!(lines[0]["results"][0]["id"], "UN-KPi.1");
    assert_eq!(lines[1]["line"], 2);
    assert!(lines[1]["error"].as_str().unwrap().contains("not a query object"));
    assert_eq!(lines[2]["line"], 4);
    assert_eq!(lines[2]["results"][0]["id"], "OFAC-SDN-9");
    assert_eq!(lines[3]["line"], 5);
    assert!(lines[3]["error"].as_str().unwrap().contains("date_of_birth"));
}

#[test]
fn a_closed_standard_output_ends_the_run_quietly() {
    // `saring screen … | head`: the reader is gone before anything is written.
    let dir = tempfile::tempdir().unwrap();
    let path = build(dir.path());
    let queries = dir.path().join("q.jsonl");
    std::fs::write(&queries, "{\"name\": \"Kim Kyong Ok\"}\n").unwrap();
    let runs: [Vec<std::ffi::OsString>; 4] = [
        vec!["screen".into(), "Kim Kyong Ok".into(), "--index".into(), path.clone().into()],
        vec!["screen".into(), "Kim Kyong Ok".into(), "--json".into(), "--index".into(), path.clone().into()],
        vec!["screen".into(), "--queries".into(), queries.into(), "--index".into(), path.clone().into()],
        vec!["index".into(), "info".into(), path.into()],
    ];
    for args in runs {
        let mut child = saring()
            .args(&args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success() && err.is_empty(), "{args:?}: {:?} {err}", out.status);
    }
}

#[test]
fn unreadable_files_and_conflicting_fields_are_usage_errors() {
    let dir = tempfile::tempdir().unwrap();
    let path = build(dir.path());
    let usage_error = |args: &[&std::ffi::OsStr], needle: &str| {
        // A run that does not end within a minute is killed: a read error must end the run, not be
        // reported again and again.
        let mut child = saring()
            .args(args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let start = std::time::Instant::now();
        while child.try_wait().unwrap().is_none() {
            if start.elapsed() > std::time::Duration::from_secs(60) {
                child.kill().unwrap();
                panic!("{args:?} still running after a minute");
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        let out = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(out.stdout.is_empty(), "{args:?}: {}", String::from_utf8_lossy(&out.stdout));
        assert!(err.contains(needle), "{args:?}: {err} should say {needle:?}");
    };
    let (d, p) = (dir.path().as_os_str(), path.as_os_str());
    let os = std::ffi::OsStr::new;
    usage_error(&[os("screen"), os("--queries"), d, os("--index"), p], "at line 1");
    usage_error(&[os("screen"), os("Kim"), os("--index"), d], "is a directory, not an index file");
    // NAME with --given would have been dropped; with --surname it is the given name.
    usage_error(&[os("screen"), os("Kim"), os("--given"), os("Jong"), os("--index"), p], "NAME and --given");
    usage_error(
        &[os("screen"), os("Yuk Tung"), os("--entity"), os("--gender"), os("male"), os("--index"), p],
        "--gender",
    );
    let out = saring().args(["screen", "Kim Kyong", "--surname", "Ok", "--json", "--index"]).arg(p).output().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["results"][0]["id"], "UN-KPi.1");
}

#[test]
fn cli_batch_lines_name_the_fields_they_ignored() {
    let dir = tempfile::tempdir().unwrap();
    let path = build(dir.path());
    let lines = batch(
        dir.path(),
        &path,
        concat!(
            "{\"given_name\": \"Kim Kyong\", \"surname\": \"Ok\", \"nationalty\": \"KP\", \"reference\": 7}\n",
            "{\"Name\": \"Kim Kyong Ok\"}\n",
            "{\"name\": \"Kim Kyong Ok\"}\n",
            "{\"name\": \"Kim Kyong Ok\"} and more\n",
        ),
    );
    // Screened, with the fields it did not know named (a misspelt nationality weighs nothing).
    assert_eq!(lines[0]["results"][0]["id"], "UN-KPi.1");
    assert_eq!(lines[0]["ignored_fields"], serde_json::json!(["nationalty", "reference"]));
    // An error line says which fields were not read: `Name` is not `name`.
    assert!(lines[1]["error"].as_str().unwrap().contains("no name"), "{}", lines[1]);
    assert_eq!(lines[1]["ignored_fields"], serde_json::json!(["Name"]));
    assert!(lines[2].get("ignored_fields").is_none(), "{}", lines[2]);
    // Text after the object is not ignored: the line is not a query object.
    assert!(lines[3]["error"].as_str().unwrap().contains("trailing characters"), "{}", lines[3]);
}

#[test]
fn cli_batch_options_apply_to_the_lines_that_do_not_set_them() {
    let dir = tempfile::tempdir().unwrap();
    let path = build(dir.path());
    let queries = dir.path().join("q.jsonl");
    std::fs::write(
        &queries,
        concat!(
            "{\"given_name\": \"Kim Kyong\", \"surname\": \"Ok\"}\n",
            "{\"given_name\": \"Kim Kyong\", \"surname\": \"Ok\", \"publishers\": [\"UNSCR\"], \"limit\": 5}\n",
            "{\"name\": \"Kim Kyong Ok\", \"score_threshold\": 101}\n",
        ),
    )
    .unwrap();
    let run = |extra: &[&str]| {
        let out = saring().args(["screen", "--queries"]).arg(&queries).arg("--index").arg(&path).args(extra).output();
        out.unwrap()
    };
    let out = run(&["--publisher", "UK", "--limit", "1", "--explain"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let lines = json_lines(&out);
    let ids = |v: &serde_json::Value| -> Vec<String> {
        v["results"].as_array().unwrap().iter().map(|h| h["id"].as_str().unwrap().to_string()).collect()
    };
    // The flags fill what the line leaves out: UK only, one hit, explained.
    assert_eq!(ids(&lines[0]), ["UK-8"]);
    assert!(lines[0]["results"][0]["explanation"]["name"]["tokens"].is_array(), "{}", lines[0]);
    // A line's own publishers and limit win.
    assert_eq!(ids(&lines[1]), ["UN-KPi.1"]);
    assert!(lines[2]["error"].as_str().unwrap().contains("score_threshold"), "{}", lines[2]);
    // Without the flags, every publisher, and no explanations.
    let first = json_lines(&run(&[])).remove(0);
    assert!(ids(&first).len() > 1 && ids(&first)[0] == "UN-KPi.1", "{first}");
    assert!(first["results"][0].get("explanation").is_none());
    // Bad flags stop the run before it starts; query fields come from the lines only.
    for bad in [&["--threshold", "101"][..], &["--publisher", "FOO"], &["--dob", "1950"], &["--given", "Kim"]] {
        let out = run(bad);
        assert_eq!(out.status.code(), Some(2), "{bad:?}");
        assert!(out.stdout.is_empty(), "{bad:?}");
    }
}

#[test]
fn cli_index_info_and_verify() {
    let dir = tempfile::tempdir().unwrap();
    let path = build(dir.path());
    let out = saring().args(["index", "verify"]).arg(&path).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("OK (9 entities, 10 names"));
    let out = saring().args(["index", "info", "--json"]).arg(&path).output().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["entities"], 9);
    assert_eq!(v["format_version"], saring::index::format::FORMAT_VERSION);
    // Damage one byte near the end: verify fails with exit code 2 and a clear message.
    let mut b = std::fs::read(&path).unwrap();
    let n = b.len();
    b[n - 100] ^= 0x5a;
    let bad = dir.path().join("bad.sidx");
    std::fs::write(&bad, &b).unwrap();
    let out = saring().args(["index", "verify"]).arg(&bad).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("checksum mismatch"));
}

#[test]
fn typo_lookups_by_deletion_variants_and_by_automata_find_the_same_entities() {
    let dir = tempfile::tempdir().unwrap();
    let index = Index::open(&build(dir.path())).unwrap();
    let with = |typo: Typo, name: &str| -> Vec<String> {
        let opts = ScreenOptions { typo, phonetic: false, ..Default::default() };
        let q = Query { limit: Some(100), score_threshold: Some(0.0), ..Query::name(name) };
        index.screen_with(&q, &opts).unwrap().results.into_iter().map(|h| h.id).collect()
    };
    // One typo in a 6-letter word, two in long words, a transposition.
    for (name, id) in
        [("Akilof", "OFAC-SDN-1"), ("Atauallaevic", "OFAC-SDN-1"), ("Abdulrahmna", "UK-7"), ("Shoigo", "EC-3")]
    {
        let deletions = with(Typo::Deletions, name);
        assert!(deletions.contains(&id.to_string()), "{name}: {deletions:?}");
        assert_eq!(deletions, with(Typo::Automaton, name), "{name}");
        // Without typo tolerance the single misspelt word finds nothing.
        assert!(!with(Typo::Off, name).contains(&id.to_string()), "{name}");
    }
}

#[test]
fn the_stopping_rule_returns_what_scoring_every_candidate_returns() {
    let dir = tempfile::tempdir().unwrap();
    let index = Index::open(&build(dir.path())).unwrap();
    // A margin of 100 points scores every candidate found; the default stops early.
    let everything = ScreenOptions { margin: 100.0, ..Default::default() };
    for name in ["Kim Kyong Ok", "Kim", "Farik Akilov", "Abdul Rahman Yusuf", "Sergey Shoygu", "Yuk Tung Energy"] {
        for limit in [1, 3, 10] {
            let q = Query { limit: Some(limit), ..Query::name(name) };
            let fast: Vec<(String, f64)> =
                index.screen(&q).unwrap().results.into_iter().map(|h| (h.id, h.score)).collect();
            let full: Vec<(String, f64)> =
                index.screen_with(&q, &everything).unwrap().results.into_iter().map(|h| (h.id, h.score)).collect();
            assert_eq!(fast, full, "{name} limit {limit}");
        }
    }
}

#[test]
fn a_name_found_only_through_an_initial_needs_its_own_qualifiers() {
    // `Aditya Purnomo` reaches `PERDOMO, Gustavo A` only through the initial `A` (`purnomo` and
    // `perdomo` are two edits apart and share no key); the scorer still pairs them (74.1).
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.sidx");
    let mut b = IndexBuilder::new(&path).unwrap();
    let mut perdomo = entity("OFAC-SDN-5", Publisher::Ofac, EntityKind::Individual, &[("PERDOMO, Gustavo A", S)]);
    perdomo.dates_of_birth = vec![DateValue::exact(PartialDate { y: 1980, m: 5, d: 5 })];
    for e in [perdomo, entity("UK-9", Publisher::Uk, EntityKind::Individual, &[("Sergei Shoigu", S)])] {
        b.add(&e).unwrap();
    }
    b.finish().unwrap();
    let index = Index::open(&path).unwrap();
    let found = |dob: Option<&str>| {
        let q = Query { date_of_birth: dob.map(String::from), ..Query::name("Aditya Purnomo") };
        index.screen(&q).unwrap().results.into_iter().map(|h| (h.id, h.score)).collect::<Vec<_>>()
    };
    // Its entity's date of birth agrees: the name is scored and the date adds its 5 points.
    assert_eq!(found(Some("1980-05-05")), [("OFAC-SDN-5".to_string(), 79.1)]);
    // Without a date, or with one that disagrees, its capped reach (35) stays below the threshold.
    assert_eq!(found(None), []);
    assert_eq!(found(Some("1950")), []);
    // Scoring every candidate found changes nothing: the cap does not depend on the margin.
    let everything = ScreenOptions { margin: 100.0, ..Default::default() };
    let q = Query { date_of_birth: Some("1950".into()), ..Query::name("Aditya Purnomo") };
    assert!(index.screen_with(&q, &everything).unwrap().results.is_empty());
}
