//! `verify`: a local screen and a provider's answer, side by side; and the `saring verify` command line.

mod providers_support;

use providers_support::{fast_http, fixture, Reply, Server};
use saring::providers::config::IlumaConfig;
use saring::providers::{verify, Agreement, IlumaClient, ProviderError, Secret};
use saring::screen::{Hit, Query, ScreenResult};
use saring::{Decision, EntityKind, Publisher};
use std::process::Command;
use std::sync::{Arc, Mutex};

fn local_hit(id: &str, name: &str, score: f64) -> Hit {
    Hit {
        id: id.into(),
        publisher: Publisher::Unscr,
        list: "UN".into(),
        kind: EntityKind::Individual,
        names: vec![name.into()],
        matched_name: name.into(),
        score,
        decision: saring::Thresholds::default().decide(score),
        nationalities: vec![],
        dates_of_birth: vec![],
        record_data: Default::default(),
        entity_hash: String::new(),
        explanation: Default::default(),
    }
}

fn iluma(server: &Server) -> IlumaClient {
    let cfg = IlumaConfig { base_url: server.url(), api_key: Some(Secret::new("k")), ..Default::default() };
    IlumaClient::new(&cfg, &fast_http(&Arc::new(Mutex::new(Vec::new())))).unwrap()
}

#[test]
fn both_only_local_only_provider_and_neither() {
    let server = Server::start(|_, _| Reply::json(200, fixture("iluma_cft_individual.json")));
    let provider = iluma(&server);
    let seen = Mutex::new(Vec::new());
    let local = |q: &Query| -> saring::Result<ScreenResult> {
        seen.lock().unwrap().push(q.clone());
        Ok(ScreenResult {
            results: vec![
                local_hit("UN-QDi.217", "ABU BAKAR BA'ASYIR", 97.0),
                local_hit("UN-QDi.999", "Umar Patek", 82.0),
                local_hit("UN-QDi.555", "Zulkarnaen", 20.0),
            ],
        })
    };
    let query = Query { given_name: Some("Abu Bakar".into()), surname: Some("Baasyir".into()), ..Default::default() };
    let cmp = verify(&local, &provider, &query).unwrap();
    assert_eq!(seen.lock().unwrap().as_slice(), std::slice::from_ref(&query), "the local screener got the same query");
    assert_eq!(cmp.provider, "iluma");
    assert_eq!(cmp.local.len(), 3);
    assert_eq!(cmp.remote.len(), 2);
    assert_eq!(
        (cmp.summary.both, cmp.summary.only_local, cmp.summary.only_provider, cmp.summary.neither),
        (1, 1, 1, 1)
    );
    assert_eq!(cmp.provider_decision, Some(Decision::Match));

    let both = &cmp.rows[0];
    assert_eq!(both.agreement, Agreement::Both);
    assert_eq!(both.local.as_ref().unwrap().id, "UN-QDi.217");
    let p = both.provider.as_ref().unwrap();
    assert_eq!((p.id.as_str(), p.score, p.decision), ("QDi.217", 91.0, Decision::Match));
    assert_eq!(both.name_similarity, Some(100.0));

    assert_eq!(cmp.rows[1].agreement, Agreement::OnlyLocal);
    assert_eq!(cmp.rows[1].name, "Umar Patek");
    assert!(cmp.rows[1].provider.is_none());

    assert_eq!(cmp.rows[2].agreement, Agreement::OnlyProvider);
    let p = cmp.rows[2].provider.as_ref().unwrap();
    assert_eq!((p.publisher, p.score, p.decision), (Publisher::Ppatk, 64.0, Decision::Unclear));
    assert!(cmp.rows[2].local.is_none());

    assert_eq!(cmp.rows[3].agreement, Agreement::Neither);
    assert_eq!(cmp.rows[3].name, "Zulkarnaen");

    let json = serde_json::to_value(&cmp).unwrap();
    assert_eq!(json["rows"][0]["agreement"], "both");
    assert_eq!(json["summary"]["only_provider"], 1);
}

#[test]
fn errors_from_either_side_propagate_typed() {
    let server = Server::start(|_, _| Reply::json(401, r#"{"error_code":"INVALID_API_KEY","message":"no"}"#));
    let provider = iluma(&server);
    let query = Query { name: Some("x".into()), ..Default::default() };
    let ok_local = |_: &Query| -> saring::Result<ScreenResult> { Ok(ScreenResult::default()) };
    match verify(&ok_local, &provider, &query) {
        Err(saring::Error::ProviderCall(e @ ProviderError::Iluma { .. })) => assert!(e.is_auth()),
        other => panic!("{other:?}"),
    }
    let bad_local = |_: &Query| -> saring::Result<ScreenResult> { Err(saring::Error::Internal("no index".into())) };
    assert!(matches!(verify(&bad_local, &provider, &query), Err(saring::Error::Internal(_))));
    assert_eq!(server.requests().len(), 1, "the provider is not called when the local side failed");
    let bad_thresholds = Query { upper_threshold: Some(30.0), lower_threshold: Some(50.0), ..query };
    assert!(matches!(verify(&ok_local, &provider, &bad_thresholds), Err(saring::Error::InvalidInput(_))));
}

#[test]
fn cli_needs_a_reachable_provider_and_a_name() {
    let bin = env!("CARGO_BIN_EXE_saring");
    // Without --index the bundled index is used (built into a temporary cache); the provider is
    // unreachable (nothing listens on the port), which is a clear error that never shows the key.
    let cache = tempfile::tempdir().unwrap();
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let out = Command::new(bin)
        .args(["verify", "--provider", "iluma", "--name", "Abu Bakar Baasyir"])
        .env("SARING_ILUMA_API_KEY", "SECRET-cli-key")
        .env("SARING_ILUMA_BASE_URL", &url)
        .env("SARING_CACHE_DIR", cache.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.to_lowercase().contains("iluma"), "{err}");
    assert!(!err.contains("SECRET-cli-key"));

    let out = Command::new(bin).args(["verify", "--provider", "bri", "--index", "x.idx"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("give a name"));

    let out = Command::new(bin)
        .args(["verify", "--provider", "iluma", "--name", "A", "--index", "/nonexistent/x.idx"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent/x.idx"));
}
