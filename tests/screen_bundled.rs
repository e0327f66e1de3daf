//! End to end on the bundled lists: the seed examples through the library and the CLI binary, the
//! cached bundled index, and `saring index` building from list files.

use saring::index::{build_from_lists, Index};
use saring::screen::Query;
use saring::{Decision, Publisher};
use std::path::Path;
use std::process::Command;
use std::sync::OnceLock;

/// One bundled index per test binary (built once; tests run in parallel).
fn bundled() -> &'static Index {
    static INDEX: OnceLock<(tempfile::TempDir, Index)> = OnceLock::new();
    &INDEX
        .get_or_init(|| {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("bundled.sidx");
            let report = build_from_lists(&saring::index::cache::bundled_sources().unwrap(), &path).unwrap();
            assert!(report.info.entities > 12_000, "{}", report.info.entities);
            (dir, Index::open(&path).unwrap())
        })
        .1
}

#[test]
fn kim_kyong_ok_person_query_finds_the_un_entry() {
    let q = Query { given_name: Some("Kim Kyong".into()), surname: Some("Ok".into()), ..Default::default() };
    let r = bundled().screen(&q).unwrap();
    let un = r.results.iter().find(|h| h.publisher == Publisher::Unscr).expect("a UN hit");
    assert_eq!(un.id, "UN-KPi.045");
    assert_eq!(un.matched_name, "KIM KYONG OK");
    assert_eq!(un.score, 100.0);
    assert_eq!(un.decision, Decision::Match);
    assert_eq!(un.nationalities, vec!["KP"]);
    assert!(un.dates_of_birth.iter().any(|d| d.y == 1937), "{:?}", un.dates_of_birth);
    assert_eq!(un.record_data.value()["REFERENCE_NUMBER"], "KPi.045", "{}", un.record_data);
    // The same person on the OFAC and UK lists also scores 100.
    let ids: Vec<&str> = r.results.iter().filter(|h| h.score == 100.0).map(|h| h.id.as_str()).collect();
    assert_eq!(ids, vec!["OFAC-SDN-20125", "UK-13475", "UN-KPi.045"]);
    // With the UN filter only UN hits come back.
    let un_only = bundled().screen(&Query { publishers: vec![Publisher::Unscr], ..q }).unwrap();
    assert_eq!(un_only.results[0].id, "UN-KPi.045");
    assert!(un_only.results.iter().all(|h| h.publisher == Publisher::Unscr));
}

#[test]
fn yuk_tung_energy_business_query_with_domicile() {
    let q = Query {
        business_name: Some("Yuk Tung Energy".into()),
        business_domicile: Some("SG".into()),
        publishers: vec![Publisher::Ofac],
        ..Default::default()
    };
    let r = bundled().screen(&q).unwrap();
    let h = &r.results[0];
    assert_eq!(h.id, "OFAC-SDN-23787");
    assert_eq!(h.matched_name, "YUK TUNG ENERGY PTE LTD");
    assert_eq!(h.decision, Decision::Match);
    assert!(h.explanation.qualifiers.iter().any(|q| q.name == "domicile" && q.points > 0.0), "{:?}", h.explanation);
    // The vessel YUK TUNG is an organisation-like entry; the company ranks above it.
    assert!(r.results.iter().skip(1).all(|x| x.score <= h.score));
}

#[test]
fn typo_and_reordered_queries_still_find_the_entry() {
    for (name, id) in [
        ("Kim Kyong Ock", "UN-KPi.045"),
        ("Ok Kim Kyong", "UN-KPi.045"),
        ("Yuk Tung Enrgy Pte Ltd", "OFAC-SDN-23787"),
        ("YUKTUNG ENERGY", "OFAC-SDN-23787"),
    ] {
        let r = bundled().screen(&Query { limit: Some(20), ..Query::name(name) }).unwrap();
        assert!(
            r.results.iter().any(|h| h.id == id),
            "{name}: {:?}",
            r.results.iter().map(|h| &h.id).collect::<Vec<_>>()
        );
    }
}

#[test]
fn bundled_index_verifies_and_round_trips_a_record() {
    let index = bundled();
    index.verify().unwrap();
    let info = index.info().unwrap();
    assert_eq!(info.sources.len(), 6, "{:?}", info.sources);
    let un = info.sources.iter().find(|s| s.format == "un_xml").unwrap();
    assert_eq!(un.entities, 1003);
    assert_eq!(un.publication_date.as_deref(), Some("2026-02-27"));
    let sdn = info.sources.iter().find(|s| s.path.ends_with("ofac_sdn_2021-07")).unwrap();
    assert_eq!(sdn.entities, 8976);
    let e = index.entity("UN-KPi.045").unwrap().unwrap();
    assert_eq!(e.primary_name(), "KIM KYONG OK");
    let hashes: Vec<(String, String)> = index.entity_hashes().take(3).collect::<saring::Result<_>>().unwrap();
    for (id, h) in hashes {
        assert_eq!(h, index.entity(&id).unwrap().unwrap().content_hash());
    }
}

fn saring(cache: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_saring"));
    c.env("SARING_CACHE_DIR", cache);
    c
}

#[test]
fn an_unusable_cache_directory_says_how_to_screen_anyway() {
    let dir = tempfile::tempdir().unwrap();
    // A cache directory under a regular file cannot be created, whoever runs the test.
    let file = dir.path().join("file");
    std::fs::write(&file, "").unwrap();
    let out = saring(&file.join("cache")).args(["screen", "Kim Kyong Ok"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("SARING_CACHE_DIR") && err.contains("--index FILE"), "{err}");
    assert!(err.contains(&file.join("cache").display().to_string()), "{err}");
}

#[test]
fn cli_uses_the_cached_bundled_index_and_builds_from_lists() {
    let cache = tempfile::tempdir().unwrap();
    // First use builds the cache (two processes at once: both must succeed).
    let a = saring(cache.path())
        .args(["screen", "--given", "Kim Kyong", "--surname", "Ok", "--publisher", "UNSCR", "--json"])
        .spawn()
        .unwrap();
    let out = saring(cache.path())
        .args(["screen", "Yuk Tung Energy", "--entity", "--nationality", "SG", "--json"])
        .output()
        .unwrap();
    let a = a.wait_with_output().unwrap();
    assert!(a.status.success() && out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let ids: Vec<&str> = v["results"].as_array().unwrap().iter().filter_map(|h| h["id"].as_str()).collect();
    assert!(ids.contains(&"OFAC-SDN-23787"), "{ids:?}");
    let files: Vec<String> = std::fs::read_dir(cache.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    assert!(files[0].starts_with("bundled-") && files[0].ends_with(".sidx"));
    // Second use opens the cache (no rebuild: the file is unchanged).
    let before = std::fs::metadata(cache.path().join(&files[0])).unwrap().modified().unwrap();
    let out = saring(cache.path()).args(["screen", "Kim Kyong Ok", "--publisher", "UN"]).output().unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("UN-KPi.045"));
    assert_eq!(std::fs::metadata(cache.path().join(&files[0])).unwrap().modified().unwrap(), before);
    // Thorough screening: `HASSAN, Hassan el-Hajj` pairs `Haqqani` with his second `Hassan` (doubled
    // letters are cheap: 0.76), a hit default screening does not return.
    let out = saring(cache.path()).args(["screen", "Hasan Haqqani", "--thorough", "--json"]).output().unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let hit = v["results"].as_array().unwrap().iter().find(|h| h["id"] == "OFAC-SDN-18050").expect("the OFAC entry");
    assert!(hit["score"].as_f64().unwrap() >= 70.0, "{hit}");

    // `saring index --out FILE LIST...` (the default subcommand) and `saring index build`.
    let out_file = cache.path().join("un.sidx");
    let un = saring::lists::bundled_dir().join("un_consolidated_2026-02-27.xml");
    let out = saring(cache.path()).args(["index", "--out"]).arg(&out_file).arg(&un).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("1003 entities"), "{}", String::from_utf8_lossy(&out.stdout));
    let out =
        saring(cache.path()).args(["screen", "Kim Kyong Ok", "--json", "--index"]).arg(&out_file).output().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["results"][0]["id"], "UN-KPi.045");
    let out = saring(cache.path()).args(["index", "build", "--out"]).arg(&out_file).arg(&un).output().unwrap();
    assert!(out.status.success());
    let out = saring(cache.path()).args(["index", "info"]).arg(&out_file).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("published 2026-02-27"));
    // A file that is not a list is a clear error.
    let junk = cache.path().join("junk.txt");
    std::fs::write(&junk, "hello").unwrap();
    let out = saring(cache.path()).args(["index", "--out"]).arg(&out_file).arg(&junk).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("junk.txt"));
    // A directory as the index file: the error names it once.
    let out = saring(cache.path()).args(["index", "--out"]).arg(cache.path()).arg(&un).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.matches(&cache.path().display().to_string()).count(), 1, "{err}");
    // A list given as the index file is refused, and left as it was.
    let list = cache.path().join("un.xml");
    std::fs::copy(&un, &list).unwrap();
    let out = saring(cache.path()).args(["index", "--out"]).arg(&list).arg(cache.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("the index file is a list file"));
    assert_eq!(std::fs::read(&list).unwrap(), std::fs::read(&un).unwrap());
    // A missing index names the file and says why, once.
    let missing = cache.path().join("missing.sidx");
    let out = saring(cache.path()).args(["screen", "Kim", "--index"]).arg(&missing).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    let cause = std::io::Error::from_raw_os_error(2).to_string(); // "not found", as the OS words it
    assert!(err.starts_with("error: ") && err.contains("missing.sidx"), "{err}");
    assert_eq!(err.matches(&cause).count(), 1, "{err} / {cause}");
}

#[test]
fn bundled_hits_show_the_entity_names_dates_and_raw_record() {
    let index = bundled();
    let mut checked = 0;
    for name in ["Kim Kyong Ok", "Yuk Tung Energy", "Mohammed Ali", "Sergei Ivanov", "Bank Melli"] {
        let r = index.screen(&Query { limit: Some(10), ..Query::name(name) }).unwrap();
        for h in &r.results {
            let e = index.entity(&h.id).unwrap().unwrap();
            assert_eq!(h.record_data.get(), serde_json::to_string(&e.raw).unwrap(), "{}", h.id);
            assert_eq!(h.names, e.names.iter().map(|n| n.full.clone()).collect::<Vec<_>>(), "{}", h.id);
            assert_eq!(h.dates_of_birth, e.dates_of_birth.iter().map(|d| d.date()).collect::<Vec<_>>(), "{}", h.id);
            assert_eq!(h.entity_hash, e.content_hash(), "{}", h.id);
            checked += 1;
        }
    }
    assert!(checked >= 30, "{checked} hits checked");
}

#[test]
fn screening_with_a_name_cache_gives_the_results_of_screening_without() {
    let index = bundled();
    let names = [
        "Kim Kyong Ok",
        "Budi Santoso",
        "Mohammed Ali",
        "Siti Aminah",
        "Yuk Tung Energy",
        "Farkhad Akilov",
        "Kaledbelkasam",
        "Wang Wei",
    ];
    let dates = [None, Some("1937"), Some("1975-06-14"), Some("1980-02")];
    let countries = [None, Some("KP"), Some("ID"), Some("SG")];
    let mut queries = Vec::new();
    for k in 0..240 {
        let mut q = Query::name(names[(k * 7) % names.len()]);
        q.date_of_birth = dates[k % dates.len()].map(String::from);
        q.nationality = countries[(k / 3) % countries.len()].map(String::from);
        if k % 5 == 0 {
            q.score_threshold = Some(30.0);
            q.limit = Some(3);
        }
        if k % 11 == 0 {
            q.publishers = vec![Publisher::Ofac];
        }
        queries.push(q);
    }
    // A small budget forces the cache to empty and fill again on the way.
    let mut caches = [saring::screen::NameCache::default(), saring::screen::NameCache::with_budget(600)];
    let json = |r: &saring::screen::ScreenResult| serde_json::to_string(&r.results).unwrap();
    for q in &queries {
        let want = json(&index.screen(q).unwrap());
        for cache in caches.iter_mut() {
            assert_eq!(json(&index.screen_cached(q, cache).unwrap()), want, "{q:?}");
        }
    }
    // Eight names at two score thresholds, each with and without a date of birth and a country: held
    // once each (the candidates are taken down to the lowest floor a query needed).
    assert_eq!(caches[0].len(), 8);
    assert!(caches[1].len() < caches[0].len(), "{} {}", caches[1].len(), caches[0].len());
    // A cache filled from another index starts over: same results against a second index.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("un.sidx");
    build_from_lists(&[Path::new(env!("CARGO_MANIFEST_DIR")).join("data/lists/un_consolidated_2026-02-27.xml")], &path)
        .unwrap();
    let un = Index::open(&path).unwrap();
    for q in queries.iter().take(40) {
        let want = json(&un.screen(q).unwrap());
        assert_eq!(json(&un.screen_cached(q, &mut caches[0]).unwrap()), want, "{q:?}");
    }
}

#[test]
fn the_caches_of_a_pool_share_their_names() {
    let index = bundled();
    let pool = rayon::ThreadPoolBuilder::new().num_threads(2).build().unwrap();
    let caches = pool.install(|| saring::screen::NameCaches::for_current_pool(100_000));
    let names = ["Kim Kyong Ok", "Mohd bin Hassan"];
    let json = |r: &saring::screen::ScreenResult| serde_json::to_string(&r.results).unwrap();
    let both_screened = std::sync::Barrier::new(2);
    // Each thread screens its own name, then the other's.
    for round in 0..2 {
        let got = pool.broadcast(|ctx| {
            let q = Query { date_of_birth: Some("1970".into()), ..Query::name(names[(ctx.index() + round) % 2]) };
            let result = caches.with(|cache| index.screen_cached(&q, cache).unwrap());
            assert_eq!(json(&result), json(&index.screen(&q).unwrap()), "{q:?}");
            both_screened.wait();
            caches.with(|cache| cache.len())
        });
        // Both names are held once, and each thread sees both after the first round.
        assert_eq!(got, vec![2, 2], "round {round}");
    }
}

#[test]
fn results_do_not_depend_on_what_the_thread_screened_before() {
    // Each thread keeps its query words' lookups, their edit similarities and the briefs of the
    // entities met; a thread that has screened other queries, against another index too, gives what a
    // fresh thread gives. (Dates of birth and nationalities have the briefs weighed: the same entity
    // numbers are other entities in the other index.)
    let index = bundled();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("un.sidx");
    build_from_lists(&[Path::new(env!("CARGO_MANIFEST_DIR")).join("data/lists/un_consolidated_2026-02-27.xml")], &path)
        .unwrap();
    let un = Index::open(&path).unwrap();
    let names = [
        "Kim Kyong Ok",
        "Mohd bin Hassan",
        "Hassan Khalil",
        "Mohammed Ali",
        "Abdul Rahman Yusuf",
        "Siti Aminah",
        "Kaledbelkasam",
        "Ri Chol Man",
    ];
    let query = |k: usize, q: &str| match k % 3 {
        0 => Query::name(q),
        1 => Query { date_of_birth: Some("1968".into()), nationality: Some("KP".into()), ..Query::name(q) },
        _ => Query { date_of_birth: Some("1975-03-01".into()), nationality: Some("IQ".into()), ..Query::name(q) },
    };
    let queries: Vec<Query> = (0..3).flat_map(|k| names.iter().map(move |q| query(k + q.len(), q))).collect();
    let json = |r: saring::screen::ScreenResult| serde_json::to_string(&r.results).unwrap();
    let fresh = |ix: &Index, q: &Query| std::thread::scope(|s| s.spawn(|| json(ix.screen(q).unwrap())).join().unwrap());
    let want: Vec<(String, String)> = queries.iter().map(|q| (fresh(index, q), fresh(&un, q))).collect();
    assert!(want.iter().filter(|(b, u)| b.len() > 20 && u.len() > 20).count() >= 12, "{want:?}");
    for round in 0..2 {
        for (q, (b, u)) in queries.iter().zip(&want) {
            assert_eq!(&json(index.screen(q).unwrap()), b, "round {round}: {q:?}");
            assert_eq!(&json(un.screen(q).unwrap()), u, "round {round}: {q:?}");
        }
    }
}

#[test]
fn a_query_asking_for_more_hits_has_more_names_scored() {
    let index = bundled();
    let few = saring::index::ScreenOptions { max_scored: 20, ..Default::default() };
    let all = saring::index::ScreenOptions { max_scored: usize::MAX, ..Default::default() };
    let q = |limit| Query { limit: Some(limit), ..Query::name("Muhammad Hassan") };
    let json = |r: &saring::screen::ScreenResult| serde_json::to_string(&r.results).unwrap();
    // Twenty names scored for each ten hits asked for: a query asking for 1,000 hits has up to 2,000
    // names scored, enough for every hit of this one.
    let wide = index.screen_with(&q(1000), &few).unwrap();
    assert!(wide.results.len() > 40, "{}", wide.results.len());
    assert_eq!(json(&wide), json(&index.screen_with(&q(1000), &all).unwrap()));
    // Ten hits asked for: at most twenty names scored, so at most twenty entities met.
    assert!(index.screen_with(&q(10), &few).unwrap().results.len() <= 10);
    // A cached name first screened for ten hits serves a later query for more, and the reverse.
    let mut cache = saring::screen::NameCache::default();
    for limit in [10, 1000, 10, 30] {
        let want = json(&index.screen_with(&q(limit), &few).unwrap());
        assert_eq!(json(&index.screen_cached_with(&q(limit), &few, &mut cache).unwrap()), want, "limit {limit}");
    }
}
