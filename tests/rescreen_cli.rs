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
fn previous_needs_since() {
    let dir = tempfile::tempdir().unwrap();
    let customers = write(dir.path(), "c.csv", "customer_id,name\n1,Budi\n");
    let out = run(saring().args(["rescreen", "--customers"]).arg(&customers).args(["--previous", "p.jsonl"]));
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--since"));
}
