//! The rescreening engine against a small deterministic screener: streaming, order, rejects,
//! checkpoints and resume (including after SIGKILL), dispositions, deltas and summaries.

use saring::rescreen::delta::diff_sorted;
use saring::rescreen::dispositions::{Disposition, DispositionStatus, Dispositions};
use saring::rescreen::{Delta, Job, OutputFormat, Screener, Summary};
use saring::screen::{Hit, HitExplanation, Query};
use saring::{Decision, EntityKind, Error, Publisher, Result};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// Scores a query by the share of its name words found in an entity's name.
struct WordScreener {
    entities: Vec<(String, Vec<String>, String, Publisher)>,
    delay: Duration,
    fail_after: Option<u64>,
    calls: AtomicU64,
}

impl WordScreener {
    fn new(entities: &[(&str, &str, &str, Publisher)]) -> Self {
        WordScreener {
            entities: entities
                .iter()
                .map(|(id, name, hash, p)| {
                    (id.to_string(), name.split(' ').map(|w| w.to_lowercase()).collect(), hash.to_string(), *p)
                })
                .collect(),
            delay: Duration::ZERO,
            fail_after: None,
            calls: AtomicU64::new(0),
        }
    }
}

fn query_words(q: &Query) -> Vec<String> {
    [&q.given_name, &q.middle_name, &q.surname, &q.business_name, &q.name]
        .iter()
        .filter_map(|f| f.as_deref())
        .flat_map(|s| s.split_whitespace())
        .map(|w| w.to_lowercase())
        .collect()
}

impl Screener for WordScreener {
    fn screen(&self, q: &Query) -> Result<Vec<Hit>> {
        let n = self.calls.fetch_add(1, Ordering::SeqCst);
        if self.fail_after.is_some_and(|f| n >= f) {
            return Err(Error::Internal("simulated crash".into()));
        }
        if !self.delay.is_zero() {
            std::thread::sleep(self.delay);
        }
        let words = query_words(q);
        if words.iter().any(|w| w == "refuse") {
            return Err(Error::InvalidInput("the screener refuses this query".into()));
        }
        let threshold = q.score_threshold.unwrap_or(40.0);
        let mut hits = Vec::new();
        for (id, name, hash, publisher) in &self.entities {
            let shared = words.iter().filter(|w| name.contains(w)).count();
            let score = (100 * shared / words.len().max(name.len()).max(1)) as f64;
            if score >= threshold && shared > 0 {
                hits.push(Hit {
                    id: id.clone(),
                    publisher: *publisher,
                    list: "SDN".into(),
                    kind: EntityKind::Individual,
                    names: vec![name.join(" ").to_uppercase(), format!("alias {id}")],
                    matched_name: name.join(" ").to_uppercase(),
                    score,
                    decision: if score >= 80.0 { Decision::Match } else { Decision::Unclear },
                    nationalities: vec![],
                    dates_of_birth: vec![],
                    record_data: serde_json::json!({ "uid": id }).into(),
                    entity_hash: hash.clone(),
                    explanation: HitExplanation::default(),
                });
            }
        }
        hits.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.id.cmp(&b.id)));
        Ok(hits)
    }
}

const ENTITIES: [(&str, &str, &str, Publisher); 4] = [
    ("OFAC-1", "budi santoso", "h1", Publisher::Ofac),
    ("OFAC-2", "osama bin laden", "h2", Publisher::Ofac),
    ("UN-1", "kim kyong ok", "h3", Publisher::Unscr),
    ("UN-2", "yuk tung energy", "h4", Publisher::Unscr),
];

fn screener() -> WordScreener {
    WordScreener::new(&ENTITIES)
}

const CUSTOMERS: &str = "customer_id,given_name,surname,business_name,date_of_birth,nationality\n\
C1,Budi,Santoso,,1980-01-02,ID\n\
C2,Siti,Aminah,,,ID\n\
C3,,,Yuk Tung Energy Pte,,\n\
,Budi,Santoso,,,\n\
C5,Budi,Laden,,,\n\
C6,Kim,Ok,,1980-99,\n\
C7,Refuse,Me,,,\n\
C8,Osama,Laden,,,SA\n";

fn write_file(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

fn lines(path: &Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(path).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect()
}

fn check_totals(s: &Summary) {
    let c = &s.counters;
    assert_eq!(c.rows_read, c.rows_screened + c.rows_rejected, "{c:?}");
}

#[test]
fn hits_rejects_and_summary() {
    let dir = tempfile::tempdir().unwrap();
    let input = write_file(dir.path(), "c.csv", CUSTOMERS);
    let mut job = Job::new(&input);
    job.out = Some(dir.path().join("out.jsonl"));
    let mut calls = 0;
    let summary = job.run(&screener(), &mut |_| calls += 1).unwrap();
    check_totals(&summary);
    let c = &summary.counters;
    assert_eq!((c.rows_read, c.rows_screened, c.rows_rejected), (8, 5, 3));
    assert_eq!(calls, 1);

    let out = lines(&dir.path().join("out.jsonl"));
    let pairs: Vec<(String, String, f64)> = out
        .iter()
        .map(|l| {
            (l["customer_id"].as_str().unwrap().into(), l["id"].as_str().unwrap().into(), l["score"].as_f64().unwrap())
        })
        .collect();
    assert_eq!(
        pairs,
        [
            ("C1".to_string(), "OFAC-1".to_string(), 100.0),
            ("C3".into(), "UN-2".into(), 75.0),
            ("C5".into(), "OFAC-1".into(), 50.0),
            ("C8".into(), "OFAC-2".into(), 66.0),
        ]
    );
    let first = &out[0];
    assert_eq!(first["publisher"], "OFAC");
    assert_eq!(first["decision"], "MATCH");
    assert_eq!(first["entity_hash"], "h1");
    assert_eq!(first["kind"], "individual");
    assert_eq!(first["record_data"]["uid"], "OFAC-1");
    assert_eq!(first["names"][1], "alias OFAC-1");
    assert!(first.get("change").is_none() && first.get("disposition").is_none());
    assert_eq!(c.hits, 4);
    assert_eq!(c.customers_with_hits, 4);
    assert_eq!(c.hits_by_decision["MATCH"], 1);
    assert_eq!(c.hits_by_decision["UNCLEAR"], 3);
    assert_eq!(c.hits_by_publisher["OFAC"], 3);
    assert_eq!(c.hits_by_publisher["UNSCR"], 1);

    let rejects = lines(&dir.path().join("out.jsonl.rejects.jsonl"));
    let got: Vec<(u64, &str)> =
        rejects.iter().map(|r| (r["line"].as_u64().unwrap(), r["reason"].as_str().unwrap())).collect();
    assert_eq!(got.len(), 3);
    assert_eq!(got[0], (5, "missing customer_id"));
    assert_eq!(got[1].0, 7);
    assert!(got[1].1.starts_with("bad date_of_birth \"1980-99\""), "{}", got[1].1);
    assert_eq!(got[2], (8, "query refused: invalid input: the screener refuses this query"));
    assert_eq!(rejects[2]["customer_id"], "C7");
    assert!(!dir.path().join("out.jsonl.checkpoint").exists(), "a complete run leaves no checkpoint");

    let text = summary.to_string();
    assert!(text.contains("rows read 8: screened 5, rejected 3"), "{text}");
    let json = serde_json::to_value(&summary).unwrap();
    assert_eq!(json["rows_read"], 8);
    assert_eq!(json["hits_by_publisher"]["UNSCR"], 1);
}

/// Many rows, small chunks: output is in input order and independent of the chunk size and threads.
#[test]
fn order_is_input_order_whatever_the_chunking() {
    let dir = tempfile::tempdir().unwrap();
    let input = write_file(dir.path(), "c.jsonl", &many_customers(3000));
    let run = |chunk: usize, threads: usize, name: &str| {
        let mut job = Job::new(&input);
        job.out = Some(dir.path().join(name));
        job.chunk_size = chunk;
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
        let s = pool.install(|| job.run(&screener(), &mut |_| {})).unwrap();
        check_totals(&s);
        (s, std::fs::read(dir.path().join(name)).unwrap())
    };
    let (s1, a) = run(7, 2, "a.jsonl");
    let (_, b) = run(4096, 1, "b.jsonl");
    assert_eq!(a, b);
    assert_eq!(s1.counters.rows_read, 3000);
    assert_eq!(s1.counters.rows_rejected, 300);
    let ids: Vec<u64> = lines(&dir.path().join("a.jsonl"))
        .iter()
        .map(|l| l["customer_id"].as_str().unwrap().trim_start_matches('C').parse().unwrap())
        .collect();
    assert!(ids.windows(2).all(|w| w[0] <= w[1]));
    assert_eq!(ids.len() as u64, s1.counters.hits);
}

#[test]
fn progress_is_reported_after_each_chunk_is_committed() {
    let dir = tempfile::tempdir().unwrap();
    let input = write_file(dir.path(), "c.jsonl", &many_customers(3000));
    let out = dir.path().join("out.jsonl");
    let mut job = Job::new(&input);
    job.out = Some(out.clone());
    job.chunk_size = 100;
    let mut reports = Vec::new();
    let s = job
        .run(&screener(), &mut |p| {
            // By the time a chunk is reported, its hits are in the output file.
            let written = std::fs::read_to_string(&out).unwrap().lines().count() as u64;
            reports.push((p.rows_read, p.hits, written));
        })
        .unwrap();
    assert_eq!(reports.len(), 30);
    for (k, &(rows, hits, written)) in reports.iter().enumerate() {
        assert_eq!(rows, 100 * (k as u64 + 1));
        assert_eq!(hits, written, "chunk {k}");
    }
    assert_eq!(reports.last().map(|r| r.1), Some(s.counters.hits));
}

fn many_customers(n: usize) -> String {
    let names = ["Budi Santoso", "Siti Aminah", "Osama Laden", "Kim Kyong Ok", "Ahmad Wijaya"];
    let mut s = String::new();
    for i in 0..n {
        if i % 10 == 9 {
            s.push_str(&format!("{{\"customer_id\": \"C{i}\"}}\n"));
        } else {
            s.push_str(&format!("{{\"customer_id\": \"C{i}\", \"name\": \"{}\"}}\n", names[i % names.len()]));
        }
    }
    s
}

#[test]
fn csv_output() {
    let dir = tempfile::tempdir().unwrap();
    let input = write_file(dir.path(), "c.csv", CUSTOMERS);
    let mut job = Job::new(&input);
    job.out = Some(dir.path().join("out.csv"));
    job.format = OutputFormat::Csv;
    job.run(&screener(), &mut |_| {}).unwrap();
    let text = std::fs::read_to_string(dir.path().join("out.csv")).unwrap();
    let rows: Vec<&str> = text.lines().collect();
    assert_eq!(rows.len(), 5);
    assert_eq!(rows[0], "customer_id,entity_id,publisher,list,kind,matched_name,score,decision,entity_hash,names,change,disposition,status");
    assert_eq!(rows[1], "C1,OFAC-1,OFAC,SDN,individual,BUDI SANTOSO,100,MATCH,h1,BUDI SANTOSO | alias OFAC-1,,,");
}

#[test]
fn a_job_never_writes_over_its_customer_file() {
    let dir = tempfile::tempdir().unwrap();
    let input = write_file(dir.path(), "c.csv", CUSTOMERS);
    let mut job = Job::new(&input);
    job.out = Some(dir.path().join(".").join("c.csv"));
    let e = job.run(&screener(), &mut |_| {}).unwrap_err();
    assert!(matches!(e, Error::InvalidInput(_)) && e.to_string().contains("the customer file"), "{e}");
    job.out = Some(dir.path().join("out.jsonl"));
    job.rejects = Some(input.clone());
    assert!(job
        .run(&screener(), &mut |_| {})
        .unwrap_err()
        .to_string()
        .contains("the reject file is the customer file"));
    assert_eq!(std::fs::read_to_string(&input).unwrap(), CUSTOMERS);
    assert!(!dir.path().join("out.jsonl").exists());
}

#[test]
fn threshold_is_passed_to_the_screener() {
    let dir = tempfile::tempdir().unwrap();
    let input = write_file(dir.path(), "c.csv", CUSTOMERS);
    let mut job = Job::new(&input);
    job.out = Some(dir.path().join("out.jsonl"));
    job.threshold = Some(70.0);
    let s = job.run(&screener(), &mut |_| {}).unwrap();
    let ids: Vec<String> =
        lines(&dir.path().join("out.jsonl")).iter().map(|l| l["customer_id"].as_str().unwrap().into()).collect();
    assert_eq!(ids, ["C1", "C3"]);
    assert_eq!(s.counters.hits, 2);
    job.threshold = Some(101.0);
    assert!(job.run(&screener(), &mut |_| {}).is_err());
}

#[test]
fn dispositions_suppress_cleared_unchanged_hits() {
    let dir = tempfile::tempdir().unwrap();
    let input = write_file(dir.path(), "c.csv", CUSTOMERS);
    let d = |c: &str, e: &str, h: &str, status| Disposition {
        customer_id: c.into(),
        entity_id: e.into(),
        entity_hash: h.into(),
        status,
        note: Some(format!("note {c}")),
    };
    let mut job = Job::new(&input);
    job.out = Some(dir.path().join("out.jsonl"));
    job.dispositions = Some(Dispositions::new([
        d("C1", "OFAC-1", "h1", DispositionStatus::Cleared),
        d("C3", "UN-2", "old", DispositionStatus::Cleared),
        d("C5", "OFAC-1", "h1", DispositionStatus::Confirmed),
        d("C8", "OFAC-1", "h1", DispositionStatus::Cleared),
    ]));
    let s = job.run(&screener(), &mut |_| {}).unwrap();
    check_totals(&s);
    assert_eq!((s.counters.suppressed, s.counters.confirmed, s.counters.hits), (1, 1, 3));
    let out = lines(&dir.path().join("out.jsonl"));
    let ids: Vec<&str> = out.iter().map(|l| l["customer_id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["C3", "C5", "C8"]);
    assert_eq!(
        out[0]["disposition"],
        serde_json::json!({"status": "cleared", "entity_changed": true, "note": "note C3"})
    );
    assert_eq!(
        out[1]["disposition"],
        serde_json::json!({"status": "confirmed", "entity_changed": false, "note": "note C5"})
    );
    assert!(out[2].get("disposition").is_none());
    assert!(s.to_string().contains("1 cleared hits suppressed, 1 confirmed hits marked"));
}

#[test]
fn delta_keeps_changed_entities_and_resolves_removed_ones() {
    let dir = tempfile::tempdir().unwrap();
    let input = write_file(dir.path(), "c.csv", CUSTOMERS);
    // A previous run against the old lists (OFAC-3 has since been removed).
    let previous = write_file(
        dir.path(),
        "previous.jsonl",
        "{\"customer_id\":\"C2\",\"id\":\"OFAC-3\",\"publisher\":\"OFAC\",\"matched_name\":\"SITI AMINAH\",\"score\":90.0}\n\
         {\"customer_id\":\"C1\",\"id\":\"OFAC-1\",\"publisher\":\"OFAC\",\"score\":100.0}\n\
         {\"customer_id\":\"C2\",\"id\":\"OFAC-3\",\"status\":\"resolved\"}\n",
    );
    let pairs = |v: &[(&str, &str)]| v.iter().map(|(a, b)| Ok((a.to_string(), b.to_string()))).collect::<Vec<_>>();
    let old = pairs(&[("OFAC-1", "h1"), ("OFAC-2", "old"), ("OFAC-3", "h9"), ("UN-1", "h3")]);
    let new = pairs(&[("OFAC-1", "h1"), ("OFAC-2", "h2"), ("UN-1", "h3"), ("UN-2", "h4")]);
    let diff = diff_sorted(old.into_iter(), new.into_iter()).unwrap();
    assert_eq!(
        (diff.added.clone(), diff.changed.clone(), diff.removed.clone()),
        (vec!["UN-2".to_string()], vec!["OFAC-2".to_string()], vec!["OFAC-3".to_string()])
    );

    let mut full = Job::new(&input);
    full.out = Some(dir.path().join("full.jsonl"));
    full.run(&screener(), &mut |_| {}).unwrap();
    let mut job = Job::new(&input);
    job.out = Some(dir.path().join("delta.jsonl"));
    job.delta = Some(Delta::new(&diff, Some(previous)));
    let s = job.run(&screener(), &mut |_| {}).unwrap();
    check_totals(&s);

    let screen_set = diff.screen_set();
    let expected: Vec<serde_json::Value> = lines(&dir.path().join("full.jsonl"))
        .into_iter()
        .filter(|l| screen_set.contains_key(l["id"].as_str().unwrap()))
        .collect();
    let got = lines(&dir.path().join("delta.jsonl"));
    let (resolved, hits): (Vec<_>, Vec<_>) = got.into_iter().partition(|l| l.get("status").is_some());
    let strip = |mut v: serde_json::Value| {
        v.as_object_mut().unwrap().remove("change");
        v
    };
    assert_eq!(hits.iter().cloned().map(strip).collect::<Vec<_>>(), expected);
    assert_eq!(hits.len(), 2);
    assert_eq!(hits[0]["change"], "added");
    assert_eq!(hits[1]["change"], "changed");
    assert_eq!(resolved.len(), 1);
    assert_eq!(resolved[0]["customer_id"], "C2");
    assert_eq!(resolved[0]["id"], "OFAC-3");
    assert_eq!(resolved[0]["status"], "resolved");
    assert_eq!(resolved[0]["matched_name"], "SITI AMINAH");
    assert_eq!(s.counters.resolved, 1);
    assert_eq!(s.counters.hits, 2);
}

/// A run that dies mid-way (the screener fails) leaves a checkpoint; `resume` finishes it with the
/// same bytes as an uninterrupted run, even with half a chunk of garbage after the committed part.
#[test]
fn resume_after_a_failure_gives_identical_output() {
    let dir = tempfile::tempdir().unwrap();
    let input = write_file(dir.path(), "c.jsonl", &many_customers(2000));
    for format in [OutputFormat::Jsonl, OutputFormat::Csv] {
        let mut reference = Job::new(&input);
        reference.out = Some(dir.path().join("ref.out"));
        reference.chunk_size = 64;
        reference.format = format;
        let full = reference.run(&screener(), &mut |_| {}).unwrap();

        let out = dir.path().join("resumed.out");
        let mut job = Job::new(&input);
        job.out = Some(out.clone());
        job.chunk_size = 64;
        job.format = format;
        let mut failing = screener();
        failing.fail_after = Some(1000);
        assert!(job.run(&failing, &mut |_| {}).is_err());
        let cp = dir.path().join("resumed.out.checkpoint");
        assert!(cp.exists());
        let committed: serde_json::Value = serde_json::from_slice(&std::fs::read(&cp).unwrap()).unwrap();
        let rows = committed["rows_committed"].as_u64().unwrap();
        assert!(rows > 0 && rows < 2000 && rows % 64 == 0, "{rows}");
        // A half-written chunk after the checkpoint.
        std::fs::OpenOptions::new().append(true).open(&out).unwrap().write_all(b"{\"customer_id\":\"C99").unwrap();

        job.resume = true;
        let resumed = job.run(&screener(), &mut |_| {}).unwrap();
        assert_eq!(resumed.resumed_from_row, rows);
        assert_eq!(std::fs::read(&out).unwrap(), std::fs::read(dir.path().join("ref.out")).unwrap());
        assert_eq!(
            std::fs::read(dir.path().join("resumed.out.rejects.jsonl")).unwrap(),
            std::fs::read(dir.path().join("ref.out.rejects.jsonl")).unwrap()
        );
        assert_eq!(resumed.counters, full.counters);
        assert!(!cp.exists());
    }
}

use std::io::Write;

#[test]
fn resume_refuses_other_options_or_input() {
    let dir = tempfile::tempdir().unwrap();
    let input = write_file(dir.path(), "c.jsonl", &many_customers(500));
    let mut job = Job::new(&input);
    job.out = Some(dir.path().join("o.jsonl"));
    job.chunk_size = 50;
    let mut failing = screener();
    failing.fail_after = Some(200);
    assert!(job.run(&failing, &mut |_| {}).is_err());
    let mut other = job.clone();
    other.resume = true;
    other.threshold = Some(90.0);
    let err = other.run(&screener(), &mut |_| {}).unwrap_err().to_string();
    assert!(err.contains("other options"), "{err}");
    std::fs::write(&input, many_customers(501)).unwrap();
    let mut again = job.clone();
    again.resume = true;
    let err = again.run(&screener(), &mut |_| {}).unwrap_err().to_string();
    assert!(err.contains("another version of"), "{err}");
    // Without a checkpoint, resume starts afresh.
    std::fs::remove_file(dir.path().join("o.jsonl.checkpoint")).unwrap();
    let s = again.run(&screener(), &mut |_| {}).unwrap();
    assert_eq!((s.resumed_from_row, s.counters.rows_read), (0, 501));
}

const CHILD_ENV: &str = "SARING_RESCREEN_KILL_CHILD";

fn slow_job(dir: &Path) -> Job {
    let mut job = Job::new(dir.join("c.jsonl"));
    job.out = Some(dir.join("killed.jsonl"));
    job.chunk_size = 100;
    job
}

/// The process the kill test starts and kills: a slow run (about 4 s uninterrupted).
#[test]
fn kill_child() {
    let Ok(dir) = std::env::var(CHILD_ENV) else { return };
    let mut slow = screener();
    slow.delay = Duration::from_micros(800);
    slow_job(Path::new(&dir)).run(&slow, &mut |_| {}).unwrap();
}

/// SIGKILL mid-run, then resume: no lost and no duplicated lines.
#[test]
fn resume_after_sigkill_gives_identical_output() {
    let dir = tempfile::tempdir().unwrap();
    write_file(dir.path(), "c.jsonl", &many_customers(10_000));
    let mut reference = slow_job(dir.path());
    reference.out = Some(dir.path().join("ref.jsonl"));
    reference.run(&screener(), &mut |_| {}).unwrap();

    let mut child = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "kill_child", "--nocapture", "--test-threads", "1"])
        .env(CHILD_ENV, dir.path())
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let cp = dir.path().join("killed.jsonl.checkpoint");
    let started = std::time::Instant::now();
    let mut committed = 0;
    while started.elapsed() < Duration::from_secs(20) {
        if let Ok(bytes) = std::fs::read(&cp) {
            if let Ok(v) = serde_json::from_slice::<serde_json::Value>(&bytes) {
                committed = v["rows_committed"].as_u64().unwrap_or(0);
                if committed >= 1000 {
                    break;
                }
            }
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap();
    let status = child.wait().unwrap();
    assert!(!status.success(), "the child finished before it was killed");
    assert!((1000..10_000).contains(&committed), "{committed}");

    let mut job = slow_job(dir.path());
    job.resume = true;
    let s = job.run(&screener(), &mut |_| {}).unwrap();
    assert!(s.resumed_from_row >= committed);
    assert_eq!(s.counters.rows_read, 10_000);
    assert_eq!(s.counters.rows_read, s.counters.rows_screened + s.counters.rows_rejected);
    assert_eq!(
        std::fs::read(dir.path().join("killed.jsonl")).unwrap(),
        std::fs::read(dir.path().join("ref.jsonl")).unwrap()
    );
    assert_eq!(
        std::fs::read(dir.path().join("killed.jsonl.rejects.jsonl")).unwrap(),
        std::fs::read(dir.path().join("ref.jsonl.rejects.jsonl")).unwrap()
    );
}

#[test]
fn stdout_output_cannot_resume() {
    let dir = tempfile::tempdir().unwrap();
    let input = write_file(dir.path(), "c.csv", CUSTOMERS);
    let mut job = Job::new(&input);
    job.resume = true;
    let err = job.run(&screener(), &mut |_| {}).unwrap_err().to_string();
    assert!(err.contains("--resume needs an output file"), "{err}");
}
