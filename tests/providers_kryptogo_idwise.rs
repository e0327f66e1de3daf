//! KryptoGO and IDWise adapters against a real HTTP server on 127.0.0.1.

mod providers_support;

use providers_support::{fast_http, fixture, Reply, Server};
use saring::providers::config::{IdWiseConfig, KryptoGoConfig};
use saring::providers::idwise::{FinalDecision, IdWiseJourney};
use saring::providers::kryptogo::{SearchSource, Target, TargetType, TaskRequest};
use saring::providers::{IdWiseClient, KryptoGoClient, Provider, ProviderError, RiskBand, Secret};
use saring::screen::Query;
use saring::{Decision, EntityKind, PartialDate, Publisher, Thresholds};
use std::sync::{Arc, Mutex};
use std::time::Duration;

const KG_KEY: &str = "kg_live_5XbQ0aa";
const IDW_KEY: &str = "idw_secret_LmN42";

fn sleeps() -> Arc<Mutex<Vec<Duration>>> {
    Arc::new(Mutex::new(Vec::new()))
}

fn kryptogo(server: &Server, s: &Arc<Mutex<Vec<Duration>>>) -> KryptoGoClient {
    let cfg = KryptoGoConfig {
        base_url: server.url(),
        api_key: Some(Secret::new(KG_KEY)),
        api_key_header: "X-KG-Api-Key".into(),
        search_setting_id: Some(12),
        poll_base_ms: 5,
        ..Default::default()
    };
    KryptoGoClient::new(&cfg, &fast_http(s)).unwrap()
}

fn task_server() -> Server {
    Server::start(|r, n| match (r.method.as_str(), r.path(), n) {
        ("POST", "/v1/due-diligence/tasks", _) => Reply::json(201, fixture("kryptogo_task_create.json")),
        ("GET", "/v1/due-diligence/tasks/dd-7731", 1) => {
            Reply::json(200, r#"{"code":0,"data":{"id":"dd-7731","status":"processing"}}"#)
        }
        ("GET", "/v1/due-diligence/tasks/dd-7731", _) => Reply::json(200, fixture("kryptogo_task_detail.json")),
        ("POST", "/kya", _) => Reply::json(200, fixture("kryptogo_kya.json")),
        _ => Reply::json(404, r#"{"code":40400,"message":"no such route"}"#),
    })
}

#[test]
fn kryptogo_task_create_poll_and_map() {
    let server = task_server();
    let s = sleeps();
    let c = kryptogo(&server, &s);
    let req = TaskRequest {
        search_setting_id: None,
        target: Target {
            target_type: TargetType::Kyc,
            name: "Farkhad Akilov".into(),
            country: Some("UZ".into()),
            birthday: None,
        },
        search_source: vec![SearchSource::NegativeNews, SearchSource::DowJones, SearchSource::SanctionList],
        customer_reference: Some("cust-9".into()),
    };
    let id = c.create_task(&req).unwrap();
    assert_eq!(id, "dd-7731");
    let dd = c.wait_task(&id).unwrap();
    assert_eq!(dd.polls, 1);
    assert_eq!(dd.status.as_deref(), Some("completed"));
    assert_eq!(dd.sanction_matched, Some(true));
    assert_eq!(dd.potential_risk, Some(87.0));
    assert_eq!(dd.risk_band, Some(RiskBand::High));
    assert_eq!(dd.hits.len(), 2);
    let h = &dd.hits[0];
    assert_eq!((h.id.as_str(), h.publisher, h.score), ("dj-1103548", Publisher::DowJones, 93.1));
    assert_eq!(h.matched_name, "Farkhad Ataullaevich Akilov");
    assert_eq!(h.list, "Dow Jones Watchlist");
    assert_eq!(h.kind, EntityKind::Individual);
    assert_eq!(h.nationalities, vec!["UZ"]);
    let h = &dd.hits[1];
    assert_eq!((h.publisher, h.score), (Publisher::Custom, 87.0), "no own score: the task's potential_risk");
    assert_eq!(h.list, "UN Consolidated List");

    let reqs = server.requests();
    assert_eq!(reqs.len(), 3);
    for r in &reqs {
        assert_eq!(r.header("x-kg-api-key"), Some(KG_KEY), "configured header name");
        assert_eq!(r.header("authorization"), None);
    }
    let body = reqs[0].json();
    assert_eq!(body["search_setting_id"], 12, "default from the config");
    assert_eq!(body["target"]["type"], "KYC");
    assert_eq!(body["target"]["name"], "Farkhad Akilov");
    assert_eq!(body["search_source"], serde_json::json!([0, 1, 4]));
    assert_eq!(body["customer_reference"], "cust-9");
    assert_eq!(*s.lock().unwrap(), vec![Duration::from_millis(5)]);
}

#[test]
fn kryptogo_provider_trait_and_bands() {
    let server = task_server();
    let s = sleeps();
    let q = Query { business_name: Some("Akilov Trading LLC".into()), ..Default::default() };
    let a = kryptogo(&server, &s).screen(&q).unwrap();
    assert_eq!(a.decision, Some(Decision::Match), "potential_risk 87 >= 80");
    assert_eq!(a.verdict.as_deref(), Some("high (87)"));
    assert_eq!(server.requests()[0].json()["target"]["type"], "KYB");
    let bands: Vec<_> =
        [0.0, 24.0, 25.0, 49.0, 50.0, 74.0, 75.0, 99.0, 100.0].iter().map(|r| RiskBand::of(*r).unwrap()).collect();
    use RiskBand::*;
    assert_eq!(bands, vec![Low, Low, LowMedium, LowMedium, Medium, Medium, High, High, VeryHigh]);
}

#[test]
fn kryptogo_address_risk() {
    let server = task_server();
    let s = sleeps();
    let r = kryptogo(&server, &s).address_risk("0x8576acc5c05d6ce88f4e49bf65bdf0c62f91353c", "eth").unwrap();
    assert_eq!(r.risk_score, Some(100.0));
    assert_eq!(r.risk_level.as_deref(), Some("high"));
    assert_eq!(r.raw["data"]["labels"][1], "OFAC SDN");
    let req = &server.requests()[0];
    assert_eq!(req.path(), "/kya");
    assert_eq!(
        req.json(),
        serde_json::json!({"address": "0x8576acc5c05d6ce88f4e49bf65bdf0c62f91353c", "chain": "eth"})
    );
}

#[test]
fn kryptogo_errors() {
    let s = sleeps();
    let server = Server::start(|_, _| Reply::json(200, r#"{"code":4031,"message":"search setting not found"}"#));
    let e = kryptogo(&server, &s).task("dd-1").unwrap_err();
    match e {
        ProviderError::KryptoGo { status, code, message } => {
            assert_eq!((status, code.as_str(), message.as_str()), (200, "4031", "search setting not found"))
        }
        other => panic!("{other:?}"),
    }
    let server = Server::start(|_, _| Reply::json(401, r#"{"code":401,"message":"invalid api key"}"#));
    let e = kryptogo(&server, &s).task("dd-1").unwrap_err();
    assert!(e.is_auth(), "{e:?}");
    let server =
        Server::start(|_, _| Reply::json(200, r#"{"code":0,"data":{"status":"completed","potential_risk":140}}"#));
    assert!(matches!(kryptogo(&server, &s).task("dd-1"), Err(ProviderError::MalformedJson { .. })));
    // Task ids are path segments: encoded, never able to leave the configured path.
    let server = Server::start(|_, _| Reply::json(200, fixture("kryptogo_task_detail.json")));
    kryptogo(&server, &s).task("../../admin?x=1").unwrap();
    assert_eq!(server.requests()[0].target, "/v1/due-diligence/tasks/..%2F..%2Fadmin%3Fx%3D1");
}

fn idwise(server: &Server, s: &Arc<Mutex<Vec<Duration>>>) -> IdWiseClient {
    let cfg = IdWiseConfig {
        base_url: server.url(),
        api_key: Some(Secret::new(IDW_KEY)),
        aml_path: "/v3/journeys/{journey_id}/aml-result".into(),
        ..Default::default()
    };
    IdWiseClient::new(&cfg, &fast_http(s)).unwrap()
}

#[test]
fn idwise_aml_result_mapped() {
    let server = Server::start(|_, _| Reply::json(200, fixture("idwise_aml.json")));
    let s = sleeps();
    let r = idwise(&server, &s).aml_result("64a1f0c2e4b0a7d1c2f3e4d5", &Thresholds::default()).unwrap();
    let req = &server.requests()[0];
    assert_eq!((req.method.as_str(), req.path()), ("GET", "/v3/journeys/64a1f0c2e4b0a7d1c2f3e4d5/aml-result"));
    assert_eq!(req.header("x-api-key"), Some(IDW_KEY));
    assert_eq!(r.final_decision, Some(FinalDecision::Refer));
    assert_eq!(r.ongoing_monitoring_enabled, Some(true));
    assert_eq!(r.hits.len(), 2);
    let h = &r.hits[0];
    assert_eq!(h.id, "res_5c2d9e");
    assert!((h.score - 93.1).abs() < 1e-9, "0.931 read as a fraction: {}", h.score);
    assert_eq!(h.decision, Decision::Match);
    assert_eq!(h.matched_name, "Farkhad Ataullaevich Akilov");
    assert_eq!(h.names, vec!["Farkhad Ataullaevich Akilov", "Farhod Akilov", "Akilov Farkhad"]);
    assert_eq!(h.list, "Sanctions; Politically Exposed Person");
    assert_eq!(h.nationalities, vec!["Uzbekistan", "Kyrgyzstan"]);
    assert_eq!(
        h.dates_of_birth,
        vec![
            PartialDate { y: 1990, m: 0, d: 0 },
            PartialDate { y: 1990, m: 1, d: 0 },
            PartialDate { y: 1990, m: 1, d: 1 }
        ]
    );
    assert_eq!(h.record_data.value()["details"]["sources"][1], "OFAC");
    assert_eq!(h.publisher, Publisher::Custom);
    let h = &r.hits[1];
    assert_eq!((h.score, h.decision), (42.5, Decision::Unclear));
    assert!(h.dates_of_birth.is_empty(), "1975-13 is not a date");

    let journey = IdWiseJourney { client: &idwise(&server, &s), journey_id: "64a1f0c2e4b0a7d1c2f3e4d5".into() };
    let a = journey.screen(&Query::default()).unwrap();
    assert_eq!((a.decision, a.verdict.as_deref()), (Some(Decision::Unclear), Some("Refer")));
}

#[test]
fn idwise_get_is_retried_on_503_and_429() {
    let server = Server::start(|_, n| match n {
        0 => Reply::json(503, "{}"),
        1 => Reply::json(429, "{}"),
        _ => Reply::json(200, fixture("idwise_aml.json")),
    });
    let s = sleeps();
    let r = idwise(&server, &s).aml_result("j1", &Thresholds::default()).unwrap();
    assert_eq!(r.hits.len(), 2);
    assert_eq!(server.requests().len(), 3);
    assert_eq!(s.lock().unwrap().len(), 2);
}

#[test]
fn idwise_errors() {
    let s = sleeps();
    let server =
        Server::start(|_, _| Reply::json(404, r#"{"error_code":"JOURNEY_NOT_FOUND","message":"no such journey"}"#));
    let e = idwise(&server, &s).aml_result("nope", &Thresholds::default()).unwrap_err();
    match e {
        ProviderError::IdWise { status, code, message } => {
            assert_eq!((status, code.as_str(), message.as_str()), (404, "JOURNEY_NOT_FOUND", "no such journey"))
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(server.requests().len(), 1);
    let server = Server::start(|_, _| Reply::json(200, r#"{"final_decision":"Complete","aml":{"matches":{"a":1}}}"#));
    assert!(matches!(
        idwise(&server, &s).aml_result("j", &Thresholds::default()),
        Err(ProviderError::MalformedJson { .. })
    ));
    let server = Server::start(|_, _| Reply::json(200, r#"{"final_decision":"Approved","aml":{"matches":[]}}"#));
    let r = idwise(&server, &s).aml_result("j", &Thresholds::default()).unwrap();
    assert_eq!((r.final_decision, r.hits.len()), (Some(FinalDecision::Approved), 0));
    let bad =
        IdWiseConfig { aml_path: "/no/placeholder".into(), api_key: Some(Secret::new(IDW_KEY)), ..Default::default() };
    assert!(matches!(IdWiseClient::new(&bad, &fast_http(&s)), Err(ProviderError::Config { .. })));
    let bad =
        IdWiseConfig { api_key_header: "Bad Header".into(), api_key: Some(Secret::new(IDW_KEY)), ..Default::default() };
    assert!(matches!(IdWiseClient::new(&bad, &fast_http(&s)), Err(ProviderError::Config { .. })));
}
