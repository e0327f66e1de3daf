//! `saring lists inspect` run as the real binary.

use std::path::Path;
use std::process::Command;

fn saring() -> Command {
    Command::new(env!("CARGO_BIN_EXE_saring"))
}

#[test]
fn inspect_json_reports_counts() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = saring()
        .args(["lists", "inspect", "--json"])
        .arg(dir.join("data/lists/un_consolidated_2026-02-27.xml"))
        .arg(dir.join("tests/fixtures/ofac_tiny"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let un = &v[0];
    assert_eq!(un["format"], "un_xml");
    assert_eq!(un["publisher"], "UNSCR");
    assert_eq!(un["publication_date"], "2026-02-27");
    assert_eq!(un["entities"], 1003);
    assert_eq!(un["kinds"]["individual"], 730);
    assert_eq!(un["kinds"]["entity"], 273);
    assert_eq!(un["aliases_weak"], 615);
    let ofac = &v[1];
    assert_eq!(ofac["format"], "ofac_csv");
    assert_eq!(ofac["entities"], 17);
    assert_eq!(ofac["warnings"], 9);
    assert_eq!(ofac["first_warnings"].as_array().unwrap().len(), 5);
}

#[test]
fn inspect_text_and_missing_file() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out =
        saring().args(["lists", "inspect"]).arg(dir.join("tests/fixtures/ofac_xml/consolidated.xml")).output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("format ofac_xml, publisher OFAC, published 2018-04-06"), "{text}");
    assert!(text.contains("entities 639 (entity 471, individual 94, vessel 74)"), "{text}");
    assert!(text.contains("aliases 1209 strong, 46 weak"), "{text}");

    let out = saring().args(["lists", "inspect", "/no/such/list.csv"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("/no/such/list.csv") && err.contains("No such file"), "{err}");
    assert_eq!(err.matches("/no/such/list.csv").count(), 1, "the path once: {err}");
    // An error that does not name its source gets it in front.
    let empty = tempfile::tempdir().unwrap();
    let out = saring().args(["lists", "inspect", "--json"]).arg(empty.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.trim_end(), format!("error: {}: no list files found in this directory", empty.path().display()));
}
