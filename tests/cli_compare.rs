//! `saring compare` run as a real binary: human output, `--json`, `--explain`, threshold errors, and
//! `--pairs` batch mode on temporary CSV files.
//!
//! Decisions are asserted only where they are unambiguous (identical names, clear non-matches); the
//! scorer's exact figures are tested in the library.

use serde_json::Value;
use std::io::Write;
use std::process::{Command, Output};

fn saring(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_saring")).args(args).output().expect("run saring")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("stdout is UTF-8")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn json_lines(o: &Output) -> Vec<Value> {
    stdout(o).lines().map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("bad JSON line {l:?}: {e}"))).collect()
}

fn csv_file(bytes: &[u8]) -> tempfile::NamedTempFile {
    let mut f = tempfile::Builder::new().suffix(".csv").tempfile().expect("temp file");
    f.write_all(bytes).expect("write temp CSV");
    f.flush().expect("flush");
    f
}

#[test]
fn human_output_shows_score_decision_and_kind() {
    let o = saring(&["compare", "Kim Kyong Ok", "KIM KYONG OK"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "score:     100.0");
    assert_eq!(lines[1], "decision:  MATCH  (MATCH at >= 80, NOT_MATCH below 40)");
    assert_eq!(lines[2], "kind:      auto");
    assert_eq!(lines.len(), 3, "no table without --explain: {out}");
}

#[test]
fn human_output_reflects_thresholds_and_kind() {
    let o =
        saring(&["compare", "George Bush", "George Habbash", "--upper", "90.5", "--lower", "10", "--kind", "person"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("(MATCH at >= 90.5, NOT_MATCH below 10)"), "{out}");
    assert!(out.contains("kind:      person"), "{out}");
    assert!(!out.contains("decision:  MATCH"), "George Bush is not George Habbash: {out}");
}

#[test]
fn json_has_the_documented_fields() {
    let o = saring(&["compare", "Kim Kyong Ok", "KIM KYONG OK", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let lines = json_lines(&o);
    assert_eq!(lines.len(), 1);
    let v = &lines[0];
    assert_eq!(v["score"], 100.0);
    assert_eq!(v["decision"], "MATCH");
    assert_eq!(v["kind"], "auto");
    assert_eq!(v["upper"], 80.0);
    assert_eq!(v["lower"], 40.0);
    assert!(v.get("explanation").is_none(), "explanation only with --explain: {v}");
    let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys, ["score", "decision", "kind", "upper", "lower"]);
}

#[test]
fn json_non_match_and_custom_thresholds() {
    let o = saring(&["compare", "George Bush", "George Habbash", "--json", "--upper", "95", "--lower", "95"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v = &json_lines(&o)[0];
    // upper == lower: never UNCLEAR, and this pair is well below 95.
    assert_eq!(v["decision"], "NOT_MATCH");
    assert_eq!(v["upper"], 95.0);
    assert_eq!(v["lower"], 95.0);
    let score = v["score"].as_f64().unwrap();
    assert!((0.0..95.0).contains(&score), "{score}");
}

#[test]
fn json_explain_carries_the_alignment() {
    let o = saring(&["compare", "Kim Kyong Ok", "KIM KYONG OK", "--json", "--explain", "--kind", "person"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v = &json_lines(&o)[0];
    assert_eq!(v["kind"], "person");
    let e = &v["explanation"];
    assert_eq!(e["query"], "kim kyong ok");
    assert_eq!(e["candidate"], "kim kyong ok");
    let tokens = e["tokens"].as_array().unwrap();
    assert_eq!(tokens.len(), 3);
    for (t, word) in tokens.iter().zip(["kim", "kyong", "ok"]) {
        assert_eq!(t["query"], word);
        assert_eq!(t["candidate"], word);
        assert_eq!(t["how"], "exact");
        assert_eq!(t["similarity"], 1.0);
        assert_eq!(t["cost"], 0.0);
    }
    assert_eq!(e["notes"], Value::Array(vec![]));
}

#[test]
fn explain_prints_a_token_table() {
    let o = saring(&["compare", "George Bush", "George Habbash", "--explain"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("query:     george bush"), "{out}");
    assert!(out.contains("candidate: george habbash"), "{out}");
    let header = out.lines().find(|l| l.starts_with("QUERY TOKEN")).expect("table header");
    for col in ["CANDIDATE TOKEN", "HOW", "SIMILARITY", "COST"] {
        assert!(header.contains(col), "{header}");
    }
    let george = out.lines().find(|l| l.starts_with("george")).expect("george row");
    let cells: Vec<&str> = george.split_whitespace().collect();
    assert_eq!(cells, ["george", "george", "exact", "1.000", "0.0"]);
    // Every token of both names appears in the table.
    assert!(out.lines().any(|l| l.split_whitespace().next() == Some("bush")), "{out}");
    assert!(out.lines().any(|l| l.split_whitespace().nth(1) == Some("habbash")), "{out}");
}

#[test]
fn invalid_thresholds_exit_2_with_a_message() {
    let cases: [(&[&str], &str); 5] = [
        (&["--upper", "101"], "outside 0–100"),
        (&["--lower", "-1"], "outside 0–100"),
        (&["--upper", "abc"], "not a number"),
        (&["--upper", "NaN"], "outside 0–100"),
        (&["--upper", "30", "--lower", "50"], "lower threshold 50 is above upper threshold 30"),
    ];
    for (extra, message) in cases {
        let mut args = vec!["compare", "Kim Kyong Ok", "KIM KYONG OK"];
        args.extend_from_slice(extra);
        let o = saring(&args);
        assert_eq!(o.status.code(), Some(2), "{extra:?}");
        assert!(o.stdout.is_empty(), "{extra:?}");
        assert!(stderr(&o).contains(message), "{extra:?}: {}", stderr(&o));
    }
}

#[test]
fn missing_names_are_a_usage_error() {
    for args in [&["compare"][..], &["compare", "only one"][..]] {
        let o = saring(args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(stderr(&o).contains("required"), "{}", stderr(&o));
    }
    // An empty name is refused, as a `--pairs` row with one is.
    for (args, what) in [(["compare", "", "Kim"], "name_a is empty"), (["compare", "Kim", "  "], "name_b is empty")] {
        let o = saring(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(o.stdout.is_empty() && stderr(&o).contains(what), "{args:?}: {}", stderr(&o));
    }
    let f = csv_file(b"name_a,name_b\na,b\n");
    let o = saring(&["compare", "a", "b", "--pairs", f.path().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("cannot be used with"), "{}", stderr(&o));
}

#[test]
fn help_has_examples_and_the_boundary_rule() {
    let o = saring(&["compare", "--help"]);
    assert!(o.status.success());
    let out = stdout(&o);
    assert!(out.contains("Examples:"), "{out}");
    assert!(out.contains("--pairs pairs.csv"), "{out}");
    assert!(out.contains("at or above --upper is MATCH"), "{out}");
}

#[test]
fn pairs_rows_in_order_with_errors_and_kinds() {
    let f = csv_file(
        b"id,name_a,name_b,kind\n\
          1,Kim Kyong Ok,KIM KYONG OK,person\n\
          2,only one field\n\
          3,George Bush,George Habbash,Person\n\
          4,Yuk Tung Energy,Yuk Tung Energy,Organization\n\
          5,a,b,robot\n\
          6,,Somebody,\n\
          7,Jos\xe9 Mar\xeda,Jose Maria,\n\
          8,Farkhad Akilov,Farkhad Akilov,\n",
    );
    let o = saring(&["compare", "--pairs", f.path().to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let rows = json_lines(&o);
    assert_eq!(rows.len(), 8, "{}", stdout(&o));
    for (i, r) in rows.iter().enumerate() {
        assert_eq!(r["row"], (i + 1) as u64, "rows in input order: {r}");
    }
    assert_eq!(rows[0], serde_json::json!({"row": 1, "score": 100.0, "decision": "MATCH"}));
    assert_eq!(rows[1], serde_json::json!({"row": 2, "error": "no name_b field"}));
    assert_ne!(rows[2]["decision"], "MATCH");
    assert!(rows[2].get("error").is_none());
    assert_eq!(rows[3], serde_json::json!({"row": 4, "score": 100.0, "decision": "MATCH"}));
    assert!(rows[4]["error"].as_str().unwrap().contains("unknown kind `robot`"), "{}", rows[4]);
    assert_eq!(rows[5], serde_json::json!({"row": 6, "error": "name_a is empty"}));
    let utf8 = rows[6]["error"].as_str().unwrap();
    assert!(utf8.contains("name_a is not valid UTF-8") && utf8.contains("0xE9"), "{utf8}");
    assert_eq!(rows[7], serde_json::json!({"row": 8, "score": 100.0, "decision": "MATCH"}));
    assert!(stderr(&o).contains("4 of 8 rows"), "{}", stderr(&o));
}

#[test]
fn pairs_kind_column_changes_how_names_are_read() {
    // Honorifics are dropped from person names only: the kind column must reach the analyser.
    let f = csv_file(b"name_a,name_b,kind\nDr John Smith,John Smith,person\nDr John Smith,John Smith,entity\n");
    let o = saring(&["compare", "--pairs", f.path().to_str().unwrap(), "--explain"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let rows = json_lines(&o);
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0]["explanation"]["query"], "john smith", "{}", rows[0]);
    assert_eq!(rows[0]["score"], 100.0);
    assert_eq!(rows[0]["decision"], "MATCH");
    assert_eq!(rows[1]["explanation"]["query"], "dr john smith", "{}", rows[1]);
    assert!(rows[1]["score"].as_f64().unwrap() < 100.0, "{}", rows[1]);
}

#[test]
fn pairs_kind_column_default_and_schema_fallback() {
    // No kind column: the `schema` column is used; an empty cell falls back to --kind.
    let f = csv_file(b"schema,name_b,name_a\nPerson,KIM KYONG OK,Kim Kyong Ok\nVessel,x,y\n,Kim,Kim\nrobot,a,b\n");
    let o = saring(&["compare", "--pairs", f.path().to_str().unwrap(), "--kind", "entity"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let rows = json_lines(&o);
    assert_eq!(rows.len(), 4);
    assert_eq!(rows[0], serde_json::json!({"row": 1, "score": 100.0, "decision": "MATCH"}));
    assert!(rows[1]["score"].is_number(), "Vessel is a known schema: {}", rows[1]);
    assert_eq!(rows[2], serde_json::json!({"row": 3, "score": 100.0, "decision": "MATCH"}));
    assert!(rows[3]["error"].as_str().unwrap().contains("unknown kind"), "{}", rows[3]);
}

#[test]
fn pairs_thresholds_apply_to_every_row() {
    let f = csv_file(b"name_a,name_b\nKim Kyong Ok,KIM KYONG OK\nGeorge Bush,George Habbash\n");
    let o = saring(&["compare", "--pairs", f.path().to_str().unwrap(), "--upper", "100", "--lower", "100"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let rows = json_lines(&o);
    assert_eq!(rows[0]["decision"], "MATCH");
    assert_eq!(rows[1]["decision"], "NOT_MATCH");
}

#[test]
fn pairs_handles_bom_quotes_and_crlf() {
    let f = csv_file(b"\xef\xbb\xbfname_a,name_b\r\n\"AKILOV, Farkhad\",\"AKILOV, Farkhad\"\r\n");
    let o = saring(&["compare", "--pairs", f.path().to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(json_lines(&o), [serde_json::json!({"row": 1, "score": 100.0, "decision": "MATCH"})]);
}

#[test]
fn pairs_reads_standard_input() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_saring"))
        .args(["compare", "--pairs", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    child.stdin.take().unwrap().write_all(b"name_a,name_b\nKim Kyong Ok,KIM KYONG OK\n").unwrap();
    let o = child.wait_with_output().unwrap();
    assert!(o.status.success());
    assert_eq!(json_lines(&o), [serde_json::json!({"row": 1, "score": 100.0, "decision": "MATCH"})]);
}

#[test]
fn pairs_keeps_order_across_chunks() {
    // More rows than one parallel chunk (8,192): every row comes back once, in order, and identical
    // pairs score 100.
    let mut text = String::from("name_a,name_b\n");
    let names = ["Kim Kyong Ok", "Farkhad Ataullaevich Akilov", "Yuk Tung Energy", "Nicolás Maduro"];
    let n = 20_000;
    for i in 0..n {
        let name = names[i % names.len()];
        if i % 1000 == 999 {
            text.push_str("broken row\n");
        } else {
            text.push_str(&format!("{name},{name}\n"));
        }
    }
    let f = csv_file(text.as_bytes());
    let o = saring(&["compare", "--pairs", f.path().to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let rows = json_lines(&o);
    assert_eq!(rows.len(), n);
    for (i, r) in rows.iter().enumerate() {
        assert_eq!(r["row"], (i + 1) as u64);
        if i % 1000 == 999 {
            assert_eq!(r["error"], "no name_b field", "{r}");
        } else {
            assert_eq!(r["score"], 100.0, "{r}");
        }
    }
}

#[test]
fn pairs_without_name_columns_exit_2() {
    let f = csv_file(b"a,b\nKim,Kim\n");
    let o = saring(&["compare", "--pairs", f.path().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(o.stdout.is_empty());
    let err = stderr(&o);
    assert!(err.contains("no name_a or name_b column") && err.contains("found: a, b"), "{err}");

    let f = csv_file(b"name_a,other\nKim,Kim\n");
    let o = saring(&["compare", "--pairs", f.path().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no name_b column"), "{}", stderr(&o));

    let f = csv_file(b"");
    let o = saring(&["compare", "--pairs", f.path().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));

    // A column named twice would leave one of them unread.
    let f = csv_file(b"name_a,name_b,Name_A\nKim,Kim Jong,Jong\n");
    let o = saring(&["compare", "--pairs", f.path().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(o.stdout.is_empty());
    assert!(stderr(&o).contains("the header names name_a twice (columns 1 and 3)"), "{}", stderr(&o));

    let o = saring(&["compare", "--pairs", "/nonexistent/pairs.csv"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("/nonexistent/pairs.csv: cannot open"), "{}", stderr(&o));
}

#[test]
fn explain_lists_the_same_notes_as_json() {
    let pair = ["compare", "Abu Bakr bin Talal", "Abu Omar bin Laden", "--explain"];
    let o = saring(&[&pair[..], &["--json"]].concat());
    assert!(o.status.success(), "{}", stderr(&o));
    let v = &json_lines(&o)[0];
    assert_ne!(v["decision"], "MATCH", "{v}");
    let notes: Vec<String> =
        v["explanation"]["notes"].as_array().unwrap().iter().map(|n| n.as_str().unwrap().to_string()).collect();
    let rows = v["explanation"]["tokens"].as_array().unwrap().len();

    let o = saring(&pair);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    // One table line per token pairing, after the header.
    let table: Vec<&str> =
        out.lines().skip_while(|l| !l.starts_with("QUERY TOKEN")).skip(1).take_while(|l| !l.is_empty()).collect();
    assert_eq!(table.len(), rows, "{out}");
    let printed: Vec<&str> = out.lines().skip_while(|l| *l != "notes:").skip(1).collect();
    assert_eq!(printed.len(), notes.len(), "{out}");
    for (line, note) in printed.iter().zip(&notes) {
        assert_eq!(*line, format!("  - {note}"));
    }
}
