//! `saring rescreen` against real index files built from real lists: end to end, SIGKILL and resume,
//! and delta rescreening between the older (2018) and newer (bundled) OFAC SDN and UN lists.

mod index_support;

use index_support::with_version;
use saring::index::{build_from_lists, Index};
use serde_json::Value;
use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

fn saring() -> Command {
    Command::new(env!("CARGO_BIN_EXE_saring"))
}

fn run_ok(cmd: &mut Command) -> Output {
    let out = cmd.output().unwrap();
    assert!(out.status.success(), "{:?} failed: {}", cmd, String::from_utf8_lossy(&out.stderr));
    out
}

fn repo(p: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(p)
}

fn lines(path: &Path) -> Vec<Value> {
    std::fs::read_to_string(path).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect()
}

fn un_index(dir: &Path) -> PathBuf {
    let out = dir.join("un.idx");
    build_from_lists(&[repo("data/lists/un_consolidated_2026-02-27.xml")], &out).unwrap();
    out
}

fn summary(path: &Path) -> Value {
    let s: Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    assert_eq!(
        s["rows_read"].as_u64().unwrap(),
        s["rows_screened"].as_u64().unwrap() + s["rows_rejected"].as_u64().unwrap(),
        "{s}"
    );
    s
}

#[test]
fn end_to_end_on_the_un_list() {
    let dir = tempfile::tempdir().unwrap();
    let index_path = un_index(dir.path());
    let customers = dir.path().join("c.csv");
    std::fs::write(
        &customers,
        "customer_id,given_name,middle_name,surname,business_name,date_of_birth,nationality,kind,branch\n\
         K1,Kim Kyong,,Ok,,,,individual,Jakarta\n\
         B1,,,,Yuk Tung Energy,,SG,entity,Medan\n\
         R1,,,,,1980,ID,,Bandung\n\
         R2,Siti,,Aminah,,1980-02-30,ID,,Bandung\n",
    )
    .unwrap();
    let out = dir.path().join("hits.jsonl");
    let summary_path = dir.path().join("summary.json");
    run_ok(
        saring()
            .args(["rescreen", "--customers"])
            .arg(&customers)
            .arg("--index")
            .arg(&index_path)
            .arg("--out")
            .arg(&out)
            .arg("--summary")
            .arg(&summary_path),
    );
    let s = summary(&summary_path);
    assert_eq!((s["rows_read"].as_u64(), s["rows_rejected"].as_u64()), (Some(4), Some(2)));
    let hits = lines(&out);
    let index = Index::open(&index_path).unwrap();
    let kim =
        hits.iter().find(|h| h["customer_id"] == "K1" && h["decision"] == "MATCH").expect("Kim Kyong Ok is a MATCH");
    assert_eq!(kim["publisher"], "UNSCR");
    assert!(kim["names"].as_array().unwrap().iter().any(|n| n
        .as_str()
        .unwrap()
        .to_uppercase()
        .contains("KIM KYONG OK")));
    let yuk = hits.iter().find(|h| h["customer_id"] == "B1").expect("Yuk Tung Energy hit");
    assert!(yuk["matched_name"].as_str().unwrap().to_uppercase().contains("YUK TUNG ENERGY"), "{yuk}");
    // The entity hash written is the entity's content hash in the index.
    for h in [kim, yuk] {
        let e = index.entity(h["id"].as_str().unwrap()).unwrap().unwrap();
        assert_eq!(h["entity_hash"], e.content_hash());
        assert!(h["record_data"].is_object(), "{h}");
        assert!(h.get("explanation").is_some());
    }
    let rejects = lines(&dir.path().join("hits.jsonl.rejects.jsonl"));
    assert_eq!(rejects.len(), 2);
    assert_eq!((rejects[0]["line"].as_u64(), rejects[0]["customer_id"].as_str()), (Some(4), Some("R1")));
    assert_eq!(rejects[1]["line"], 5);

    // Without an output file the same lines go to standard output.
    let printed = run_ok(
        saring()
            .args(["rescreen", "--customers"])
            .arg(&customers)
            .arg("--index")
            .arg(&index_path)
            .arg("--rejects")
            .arg(dir.path().join("stdout.rejects.jsonl")),
    );
    assert!(!printed.stdout.is_empty());
    assert_eq!(printed.stdout, std::fs::read(&out).unwrap());

    // CSV output: same hits, flattened.
    let csv_out = dir.path().join("hits.csv");
    run_ok(
        saring()
            .args(["rescreen", "--customers"])
            .arg(&customers)
            .arg("--index")
            .arg(&index_path)
            .arg("--out")
            .arg(&csv_out),
    );
    let mut reader = csv::Reader::from_path(&csv_out).unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), hits.len());
    assert_eq!(&rows[0][0], hits[0]["customer_id"].as_str().unwrap());
    assert_eq!(&rows[0][1], hits[0]["id"].as_str().unwrap());
    assert_eq!(&rows[0][8], hits[0]["entity_hash"].as_str().unwrap());

    // Dispositions: clear every hit of K1 (one with a stale hash), confirm B1's first hit.
    let k1: Vec<&Value> = hits.iter().filter(|h| h["customer_id"] == "K1").collect();
    let mut disp = String::new();
    for (i, h) in k1.iter().enumerate() {
        let hash = if i == 0 { "0000000000000000".to_string() } else { h["entity_hash"].as_str().unwrap().to_string() };
        disp.push_str(&format!(
            "{{\"customer_id\":\"K1\",\"entity_id\":{},\"entity_hash\":\"{hash}\",\"status\":\"cleared\",\"note\":\"reviewed\"}}\n",
            h["id"]
        ));
    }
    disp.push_str(&format!(
        "{{\"customer_id\":\"B1\",\"entity_id\":{},\"entity_hash\":{},\"status\":\"confirmed\"}}\n",
        yuk["id"], yuk["entity_hash"]
    ));
    let disp_path = dir.path().join("dispositions.jsonl");
    std::fs::write(&disp_path, disp).unwrap();
    let out2 = dir.path().join("hits2.jsonl");
    let summary2 = dir.path().join("summary2.json");
    run_ok(
        saring()
            .args(["rescreen", "--customers"])
            .arg(&customers)
            .arg("--index")
            .arg(&index_path)
            .arg("--out")
            .arg(&out2)
            .arg("--dispositions")
            .arg(&disp_path)
            .arg("--summary")
            .arg(&summary2),
    );
    let s2 = summary(&summary2);
    assert_eq!(s2["suppressed"].as_u64().unwrap() as usize, k1.len() - 1);
    assert_eq!(s2["confirmed"], 1);
    let hits2 = lines(&out2);
    let k1_after: Vec<&Value> = hits2.iter().filter(|h| h["customer_id"] == "K1").collect();
    assert_eq!(k1_after.len(), 1, "only the hit whose entity changed since it was cleared comes back");
    assert_eq!(k1_after[0]["id"], k1[0]["id"]);
    assert_eq!(k1_after[0]["disposition"]["entity_changed"], true);
    let b1 = hits2.iter().find(|h| h["customer_id"] == "B1" && h["id"] == yuk["id"]).unwrap();
    assert_eq!(b1["disposition"]["status"], "confirmed");
    assert_eq!(hits2.len(), hits.len() - (k1.len() - 1));
}

/// Customers for the kill test: list names, everyday names, and a few malformed rows.
fn kill_customers(index: &Index, n: usize) -> String {
    let list_names: Vec<String> =
        index.entities().take(300).map(|e| e.unwrap().primary_name().replace(['"', ','], " ")).collect();
    let everyday = ["Budi Santoso", "Siti Aminah", "Ahmad bin Ismail", "Wang Wei", "Ivan Petrov", "John Smith"];
    let mut s = String::from("customer_id,name,date_of_birth\n");
    for i in 0..n {
        let name = if i % 7 == 0 {
            list_names[i % list_names.len()].clone()
        } else {
            everyday[i % everyday.len()].to_string()
        };
        let dob = if i % 501 == 0 { "1980-13-01" } else { "" };
        s.push_str(&format!("C{i},{name},{dob}\n"));
    }
    s
}

/// `kill -9` in the middle of a run, then `--resume`: the output equals an uninterrupted run's.
#[test]
fn sigkill_then_resume_gives_identical_output() {
    let dir = tempfile::tempdir().unwrap();
    let index_path = un_index(dir.path());
    let index = Index::open(&index_path).unwrap();
    let customers = dir.path().join("c.csv");

    // Size the input so an uninterrupted single-thread run takes a few seconds.
    let probe = dir.path().join("probe.csv");
    std::fs::write(&probe, kill_customers(&index, 200)).unwrap();
    let started = Instant::now();
    let base = |input: &Path, out: &Path| {
        let mut c = saring();
        c.args(["rescreen", "--threads", "1", "--chunk-size", "20", "--customers"])
            .arg(input)
            .arg("--index")
            .arg(&index_path)
            .arg("--out")
            .arg(out);
        c
    };
    run_ok(&mut base(&probe, &dir.path().join("probe.jsonl")));
    let per_row = started.elapsed().as_secs_f64() / 200.0;
    let n = ((2.0 / per_row) as usize).clamp(400, 400_000);
    std::fs::write(&customers, kill_customers(&index, n)).unwrap();

    let reference = dir.path().join("ref.jsonl");
    run_ok(&mut base(&customers, &reference));

    let out = dir.path().join("killed.jsonl");
    let checkpoint = dir.path().join("killed.jsonl.checkpoint");
    let mut child = base(&customers, &out).stderr(std::process::Stdio::null()).spawn().unwrap();
    let t0 = Instant::now();
    let mut committed = 0;
    while t0.elapsed() < Duration::from_secs(20) {
        if let Ok(v) = std::fs::read(&checkpoint).map(|b| serde_json::from_slice::<Value>(&b)) {
            committed = v.ok().and_then(|v| v["rows_committed"].as_u64()).unwrap_or(0);
            if committed as usize >= n / 4 {
                break;
            }
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    child.kill().unwrap();
    assert!(!child.wait().unwrap().success(), "the run ended before it was killed");
    assert!(committed > 0 && (committed as usize) < n, "{committed} of {n}");

    // The killed run screened by default: resuming it thoroughly would mix two kinds of results.
    let refused = base(&customers, &out).args(["--resume", "--thorough"]).output().unwrap();
    assert!(!refused.status.success());
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("other options"),
        "{}",
        String::from_utf8_lossy(&refused.stderr)
    );

    let summary_path = dir.path().join("s.json");
    run_ok(base(&customers, &out).arg("--resume").arg("--summary").arg(&summary_path));
    let s = summary(&summary_path);
    assert!(s["resumed_from_row"].as_u64().unwrap() >= committed);
    assert_eq!(s["rows_read"].as_u64().unwrap() as usize, n);
    let a = std::fs::read(&out).unwrap();
    let b = std::fs::read(&reference).unwrap();
    assert!(!b.is_empty());
    assert!(a == b, "resumed output differs: {} vs {} bytes", a.len(), b.len());
    assert_eq!(
        std::fs::read(dir.path().join("killed.jsonl.rejects.jsonl")).unwrap(),
        std::fs::read(dir.path().join("ref.jsonl.rejects.jsonl")).unwrap()
    );
    assert!(!checkpoint.exists());
}

/// Delta rescreening on real list versions: OFAC SDN 2018-12 → 2021-07 and UN 2018-10 → 2026-02.
#[test]
fn delta_run_equals_full_run_restricted_to_changed_entities() {
    let dir = tempfile::tempdir().unwrap();
    let old_path = dir.path().join("old.idx");
    let new_path = dir.path().join("new.idx");
    std::thread::scope(|s| {
        s.spawn(|| {
            build_from_lists(
                &[
                    repo("tests/fixtures/rescreen/ofac_sdn_2018-12"),
                    repo("tests/fixtures/rescreen/un_consolidated_2018-10-29.xml"),
                ],
                &old_path,
            )
            .unwrap()
        });
        s.spawn(|| {
            build_from_lists(
                &[repo("data/lists/ofac_sdn_2021-07"), repo("data/lists/un_consolidated_2026-02-27.xml")],
                &new_path,
            )
            .unwrap()
        });
    });
    let diff: Value = serde_json::from_slice(
        &run_ok(saring().args(["index", "diff", "--json"]).arg(&old_path).arg(&new_path)).stdout,
    )
    .unwrap();
    let ids = |k: &str| -> HashSet<String> {
        diff[k].as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_string()).collect()
    };
    let (added, changed, removed) = (ids("added"), ids("changed"), ids("removed"));
    assert!(added.len() > 100 && changed.len() > 100 && removed.len() > 100, "{}", diff["counts"]);
    assert_eq!(diff["counts"]["added"].as_u64().unwrap() as usize, added.len());

    // Customers carrying names of added, changed, removed and unchanged entities.
    let old = Index::open(&old_path).unwrap();
    let new = Index::open(&new_path).unwrap();
    let mut names = Vec::new();
    for (i, e) in old.entities().chain(new.entities()).enumerate() {
        let e = e.unwrap();
        if i % 120 == 0 || (removed.contains(&e.id) && i % 25 == 0) {
            names.push(e.primary_name().replace(['"', ','], " "));
        }
    }
    let mut text = String::from("customer_id,name\n");
    for (i, n) in names.iter().enumerate() {
        text.push_str(&format!("C{i},{n}\n"));
    }
    let customers = dir.path().join("c.csv");
    std::fs::write(&customers, text).unwrap();
    let rescreen = |index: &Path, out: &Path| {
        let mut c = saring();
        c.args(["rescreen", "--customers"]).arg(&customers).arg("--index").arg(index).arg("--out").arg(out);
        c
    };
    let (prev, full, delta) =
        (dir.path().join("prev.jsonl"), dir.path().join("full.jsonl"), dir.path().join("delta.jsonl"));
    run_ok(&mut rescreen(&old_path, &prev));
    run_ok(&mut rescreen(&new_path, &full));
    let summary_path = dir.path().join("s.json");
    run_ok(
        rescreen(&new_path, &delta)
            .arg("--since")
            .arg(&old_path)
            .arg("--previous")
            .arg(&prev)
            .arg("--summary")
            .arg(&summary_path),
    );

    let key = |v: &Value| (v["customer_id"].as_str().unwrap().to_string(), v["id"].as_str().unwrap().to_string());
    let expected: Vec<Value> = lines(&full)
        .into_iter()
        .filter(|h| {
            let id = h["id"].as_str().unwrap();
            added.contains(id) || changed.contains(id)
        })
        .collect();
    let (resolved, hits): (Vec<Value>, Vec<Value>) = lines(&delta).into_iter().partition(|l| l.get("status").is_some());
    let stripped: Vec<Value> = hits
        .iter()
        .map(|h| {
            let mut h = h.clone();
            let change = h.as_object_mut().unwrap().remove("change").unwrap();
            let id = h["id"].as_str().unwrap();
            assert_eq!(change, if added.contains(id) { "added" } else { "changed" });
            h
        })
        .collect();
    assert!(stripped == expected, "delta hits differ from the full run restricted to added/changed entities");
    assert!(hits.iter().any(|h| h["change"] == "added") && hits.iter().any(|h| h["change"] == "changed"));

    let expected_resolved: BTreeSet<_> =
        lines(&prev).iter().filter(|h| removed.contains(h["id"].as_str().unwrap())).map(key).collect();
    let got_resolved: BTreeSet<_> = resolved.iter().map(key).collect();
    assert!(!expected_resolved.is_empty());
    assert_eq!(got_resolved, expected_resolved);
    assert!(resolved.iter().all(|r| r["status"] == "resolved"));
    let s = summary(&summary_path);
    assert_eq!(s["resolved"].as_u64().unwrap() as usize, got_resolved.len());
    assert_eq!(s["hits"].as_u64().unwrap() as usize, hits.len());

    // The older index as an earlier build wrote it (format 9: the same layout, fewer typo keys) serves
    // as well: a delta run reads only its entities.
    let older = dir.path().join("old9.sidx");
    std::fs::write(&older, with_version(&std::fs::read(&old_path).unwrap(), 9)).unwrap();
    assert!(Index::open(&older).is_err());
    let delta9 = dir.path().join("delta9.jsonl");
    run_ok(rescreen(&new_path, &delta9).arg("--since").arg(&older).arg("--previous").arg(&prev));
    assert_eq!(std::fs::read(&delta9).unwrap(), std::fs::read(&delta).unwrap());
    // One too old is refused with a clear error.
    std::fs::write(&older, with_version(&std::fs::read(&old_path).unwrap(), 8)).unwrap();
    let out = rescreen(&new_path, &dir.path().join("delta8.jsonl")).arg("--since").arg(&older).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("older index") && err.contains("format version 8"), "{err}");
    assert!(err.contains("reads versions 9 to"), "{err}");
}

/// Customers who share names: the per-thread name cache (on by default, small, or off) changes nothing in
/// the output.
#[test]
fn the_name_cache_does_not_change_the_output() {
    let dir = tempfile::tempdir().unwrap();
    let index_path = un_index(dir.path());
    let index = Index::open(&index_path).unwrap();
    // The kill test's customers with an empty nationality column.
    let mut customers: String = kill_customers(&index, 600).lines().skip(1).map(|l| format!("{l},\n")).collect();
    customers.insert_str(0, "customer_id,name,date_of_birth,nationality\n");
    // The same names again with dates of birth and nationalities (other qualifiers, other floors).
    for i in 0..300 {
        let name = ["Kim Kyong Ok", "Budi Santoso", "Wang Wei", "Ri Tae Chol"][i % 4];
        let (dob, nat) = [("1937", "KP"), ("", "ID"), ("1980-02", ""), ("1975-06-14", "CN")][i % 4];
        customers.push_str(&format!("D{i},{name},{dob},{nat}\n"));
    }
    let path = dir.path().join("c.csv");
    std::fs::write(&path, customers).unwrap();
    let run = |cache: &str| {
        let out = dir.path().join(format!("hits-{cache}.jsonl"));
        run_ok(
            saring()
                .args(["rescreen", "--threads", "2", "--chunk-size", "128", "--name-cache", cache, "--customers"])
                .arg(&path)
                .arg("--index")
                .arg(&index_path)
                .arg("--out")
                .arg(&out),
        );
        std::fs::read_to_string(out).unwrap()
    };
    let off = run("0");
    assert!(off.lines().count() > 300, "{} hit lines", off.lines().count());
    assert!(off.contains("\"customer_id\":\"C7\"") && off.contains("\"customer_id\":\"D0\""), "{off}");
    assert_eq!(run("2000000"), off);
    assert_eq!(run("300"), off);
}

/// `--thorough` screens every customer as `ScreenOptions::thorough()` does (checked against the library,
/// one customer at a time).
#[test]
fn a_thorough_rescreen_screens_each_customer_thoroughly() {
    use saring::index::ScreenOptions;
    use saring::screen::Query;
    let dir = tempfile::tempdir().unwrap();
    let index_path = un_index(dir.path());
    let index = Index::open(&index_path).unwrap();
    let names = ["Hasan Haqqani", "Abdul Baqi Basir", "Kim Kyong Ok", "Budi Santoso", "Jalaluddin Hakkani"];
    let mut csv = String::from("customer_id,name\n");
    for (i, n) in names.iter().enumerate() {
        csv.push_str(&format!("T{i},{n}\n"));
    }
    let path = dir.path().join("c.csv");
    std::fs::write(&path, csv).unwrap();
    let out = dir.path().join("hits.jsonl");
    run_ok(
        saring()
            .args(["rescreen", "--thorough", "--threads", "2", "--customers"])
            .arg(&path)
            .arg("--index")
            .arg(&index_path)
            .arg("--out")
            .arg(&out),
    );
    let got: BTreeSet<(String, String, String)> = lines(&out)
        .iter()
        .map(|h| (h["customer_id"].as_str().unwrap().into(), h["id"].as_str().unwrap().into(), h["score"].to_string()))
        .collect();
    let mut want = BTreeSet::new();
    for (i, n) in names.iter().enumerate() {
        for h in index.screen_with(&Query::name(*n), &ScreenOptions::thorough()).unwrap().results {
            want.insert((format!("T{i}"), h.id, serde_json::to_value(h.score).unwrap().to_string()));
        }
    }
    assert_eq!(got, want);
    assert!(got.iter().any(|(c, _, _)| c == "T0") && got.iter().any(|(c, _, _)| c == "T4"), "{got:?}");
}
