//! `saring rescreen` and `saring index diff`: the real binary on temporary directories.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn saring() -> Command {
    Command::new(env!("CARGO_BIN_EXE_saring"))
}

fn run(cmd: &mut Command) -> Output {
    let out = cmd.output().unwrap();
    eprintln!("{}", String::from_utf8_lossy(&out.stderr));
    out
}

/// An index of the bundled UN list, built by the binary into `dir`.
fn un_index(dir: &Path) -> PathBuf {
    let index = dir.join("un.sidx");
    let un = saring::lists::bundled_dir().join("un_consolidated_2026-02-27.xml");
    assert!(run(saring().args(["index", "--out"]).arg(&index).arg(&un)).status.success());
    index
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

#[test]
fn malformed_dispositions_name_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let customers = write(dir.path(), "c.csv", "customer_id,name\n1,Budi\n");
    let disp = write(
        dir.path(),
        "d.jsonl",
        "{\"customer_id\":\"1\",\"entity_id\":\"E\",\"entity_hash\":\"h\",\"status\":\"cleared\"}\n{\"customer_id\":\"1\"}\n",
    );
    let out = run(saring().args(["rescreen", "--customers"]).arg(&customers).arg("--dispositions").arg(&disp));
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("d.jsonl:2: bad disposition"), "{err}");
}

#[test]
fn zero_threads_or_rows_per_chunk_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let customers = write(dir.path(), "c.csv", "customer_id,name\n1,Budi\n");
    for flag in ["--threads", "--chunk-size"] {
        let out = run(saring().args(["rescreen", "--customers"]).arg(&customers).args([flag, "0"]));
        assert_eq!(out.status.code(), Some(2), "{flag} 0");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(flag) && err.contains("must be at least 1"), "{err}");
        assert!(out.stdout.is_empty(), "{flag} 0 screened nothing");
    }
}

#[test]
fn resuming_a_finished_run_says_so_and_screens_again() {
    let dir = tempfile::tempdir().unwrap();
    let customers = write(dir.path(), "c.csv", "customer_id,name\n1,Kim Kyong Ok\n2,Budi\n");
    let index = un_index(dir.path());
    let out = dir.path().join("hits.csv");
    let rescreen = || {
        let mut c = saring();
        c.args(["rescreen", "--customers"]).arg(&customers).arg("--index").arg(&index).arg("--out").arg(&out);
        c
    };
    assert!(run(&mut rescreen()).status.success());
    let written = std::fs::read(&out).unwrap();
    assert!(String::from_utf8_lossy(&written).contains("UN-KPi.045"));
    // The finished run left no checkpoint: nothing to resume, the file is screened again.
    assert!(!dir.path().join("hits.csv.checkpoint").exists());
    let again = run(rescreen().arg("--resume"));
    assert!(again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("nothing to resume"));
    assert_eq!(std::fs::read(&out).unwrap(), written);
}

#[test]
fn previous_needs_since() {
    let dir = tempfile::tempdir().unwrap();
    let customers = write(dir.path(), "c.csv", "customer_id,name\n1,Budi\n");
    let out = run(saring().args(["rescreen", "--customers"]).arg(&customers).args(["--previous", "p.jsonl"]));
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--since"));
}

#[test]
fn no_file_written_is_one_read_or_another_written() {
    let dir = tempfile::tempdir().unwrap();
    let text = "customer_id,name\n1,Kim Kyong Ok\n";
    let customers = write(dir.path(), "c.csv", text);
    let d = |name: &str| dir.path().join(name);
    let cases: [(Vec<PathBuf>, &str); 5] = [
        (vec!["--out".into(), customers.clone()], "the output file is the customer file"),
        (
            vec!["--out".into(), d("./hits.jsonl"), "--summary".into(), d("hits.jsonl")],
            "the summary file is the output file",
        ),
        (vec!["--rejects".into(), customers.clone()], "the reject file is the customer file"),
        (vec!["--out".into(), d("h.jsonl"), "--index".into(), d("h.jsonl")], "the output file is the index"),
        (
            vec!["--out".into(), d("h.jsonl"), "--since".into(), d("old.sidx"), "--previous".into(), d("h.jsonl")],
            "the output file is the previous output",
        ),
    ];
    for (args, needle) in cases {
        let out = run(saring().args(["rescreen", "--customers"]).arg(&customers).args(&args));
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(String::from_utf8_lossy(&out.stderr).contains(needle), "{args:?}: {needle}");
        assert_eq!(std::fs::read_to_string(&customers).unwrap(), text, "{args:?}");
        let made: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(made, ["c.csv"], "{args:?} wrote nothing");
    }
}

#[test]
fn the_summary_names_the_columns_it_did_not_read() {
    let dir = tempfile::tempdir().unwrap();
    let customers = write(dir.path(), "c.csv", "customer_id,name,nationalty,account_no\n1,Budi,ID,77\n");
    let index = un_index(dir.path());
    let summary = dir.path().join("summary.json");
    let out = run(saring()
        .args(["rescreen", "--customers"])
        .arg(&customers)
        .arg("--index")
        .arg(&index)
        .arg("--out")
        .arg(dir.path().join("hits.jsonl"))
        .arg("--summary")
        .arg(&summary));
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("fields not read (not customer fields): account_no, nationalty"), "{err}");
    let json: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&summary).unwrap()).unwrap();
    assert_eq!(json["unread_fields"], serde_json::json!(["account_no", "nationalty"]));
}
