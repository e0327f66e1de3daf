//! Iluma adapter and the shared HTTP layer, against a real HTTP server on 127.0.0.1.

mod providers_support;

use base64::Engine as _;
use providers_support::{fast_http, fixture, Reply, Server};
use saring::providers::config::IlumaConfig;
use saring::providers::iluma::{
    BankAccountRequest, BankValidationStatus, CftEntityRequest, CftIndividualRequest, KtpRequest,
};
use saring::providers::{IlumaClient, IlumaErrorCode, Provider, ProviderError, Secret};
use saring::screen::Query;
use saring::{Decision, EntityKind, PartialDate, Publisher, Thresholds};
use std::sync::{Arc, Mutex};
use std::time::Duration;

const KEY: &str = "iluma_development_Zx81kQ";

fn client(server: &Server, sleeps: &Arc<Mutex<Vec<Duration>>>) -> IlumaClient {
    let cfg = IlumaConfig { base_url: server.url(), api_key: Some(Secret::new(KEY)), max_polls: 4, poll_base_ms: 10 };
    IlumaClient::new(&cfg, &fast_http(sleeps)).unwrap()
}

fn sleeps() -> Arc<Mutex<Vec<Duration>>> {
    Arc::new(Mutex::new(Vec::new()))
}

fn basic() -> String {
    format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(format!("{KEY}:")))
}

#[test]
fn cft_individual_maps_results_and_sends_documented_fields() {
    let server = Server::start(|_, _| Reply::json(200, fixture("iluma_cft_individual.json")));
    let s = sleeps();
    let req = CftIndividualRequest {
        given_name: "Abu Bakar".into(),
        surname: Some("Baasyir".into()),
        nationality: Some("ID".into()),
        date_of_birth: Some("1938-08-17".into()),
        publishers: vec![Publisher::Unscr, Publisher::Ppatk],
        score_threshold: 50.0,
        ..Default::default()
    };
    let (hits, raw) = client(&server, &s).screen_individual(&req, &Thresholds::default()).unwrap();

    let reqs = server.requests();
    assert_eq!(reqs.len(), 1);
    let r = &reqs[0];
    assert_eq!(r.method, "POST");
    assert_eq!(r.path(), "/v2/identity/cft/individual_data_requests");
    assert_eq!(r.header("authorization"), Some(basic().as_str()));
    assert_eq!(r.header("content-type"), Some("application/json"));
    let body = r.json();
    assert_eq!(body["given_name"], "Abu Bakar");
    assert_eq!(body["surname"], "Baasyir");
    assert_eq!(body["nationality"], "ID");
    assert_eq!(body["date_of_birth"], "1938-08-17");
    assert_eq!(body["publishers"], serde_json::json!(["UNSCR", "PPATK"]));
    assert_eq!(body["score_threshold"], 50.0);
    assert!(body.get("middle_name").is_none(), "absent fields are not sent");

    assert_eq!(raw["id"], "cft_ind_5f1b2c3d4e");
    assert_eq!(hits.len(), 2);
    let h = &hits[0];
    assert_eq!(h.id, "QDi.217");
    assert_eq!(h.publisher, Publisher::Unscr);
    assert_eq!(h.list, "UN List");
    assert_eq!(h.kind, EntityKind::Individual);
    assert_eq!(h.names, vec!["ABU BAKAR BA'ASYIR", "Abu Bakar Baasyir", "Abdus Samad"]);
    assert!(h.names.contains(&h.matched_name));
    assert_ne!(h.matched_name, "Abdus Samad");
    assert_eq!(h.score, 91.0);
    assert_eq!(h.decision, Decision::Match);
    assert_eq!(h.nationalities, vec!["ID"]);
    assert_eq!(h.dates_of_birth, vec![PartialDate { y: 1938, m: 8, d: 17 }, PartialDate { y: 1938, m: 0, d: 0 }]);
    assert_eq!(h.record_data.value()["record_data"]["un_list_type"], "Al-Qaida");
    assert_eq!(h.entity_hash.len(), 16);
    let h = &hits[1];
    assert_eq!((h.publisher, h.score, h.decision), (Publisher::Ppatk, 64.0, Decision::Unclear));
    assert!(h.dates_of_birth.is_empty(), "{{0,0,0}} is no date");
    assert!(h.nationalities.is_empty());
    assert_eq!(h.id, "iluma:PPATK:DTTOT:ABU BAKAR BAASYIR");
}

#[test]
fn cft_entity_maps_registration_dates() {
    let server = Server::start(|_, _| Reply::json(200, fixture("iluma_cft_entity.json")));
    let s = sleeps();
    let req = CftEntityRequest {
        business_name: "Jemaah Islamiyah".into(),
        business_domicile: Some("ID".into()),
        score_threshold: 40.0,
        ..Default::default()
    };
    let (hits, _) = client(&server, &s).screen_entity(&req, &Thresholds::new(90.0, 40.0).unwrap()).unwrap();
    let r = &server.requests()[0];
    assert_eq!(r.path(), "/v2/identity/cft/entity_data_requests");
    assert_eq!(r.json()["business_name"], "Jemaah Islamiyah");
    assert_eq!(r.json()["business_domicile"], "ID");
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].id, "7024");
    assert_eq!(hits[0].kind, EntityKind::Entity);
    assert_eq!(hits[0].publisher, Publisher::Ofac);
    assert_eq!(hits[0].decision, Decision::Unclear, "88 is under an upper threshold of 90");
    assert_eq!(hits[0].dates_of_birth, vec![PartialDate { y: 1993, m: 1, d: 0 }]);
}

#[test]
fn provider_trait_picks_endpoint_and_filters_publishers() {
    let server = Server::start(|_, _| Reply::json(200, fixture("iluma_cft_individual.json")));
    let s = sleeps();
    let c = client(&server, &s);
    let q = Query {
        name: Some("Abu Bakar Baasyir".into()),
        publishers: vec![Publisher::Ofac, Publisher::Uk],
        ..Default::default()
    };
    let answer = c.screen(&q).unwrap();
    assert_eq!(answer.provider, "iluma");
    assert_eq!(answer.decision, Some(Decision::Match));
    let body = server.requests()[0].json();
    assert_eq!(body["given_name"], "Abu Bakar Baasyir");
    assert_eq!(body["publishers"], serde_json::json!(["OFAC"]), "UK is not an Iluma publisher");
    assert_eq!(body["score_threshold"], 40.0);
    let q = Query { publishers: vec![Publisher::Uk], ..q };
    assert!(matches!(c.screen(&q), Err(ProviderError::InvalidRequest { .. })));
    assert_eq!(server.requests().len(), 1, "nothing sent for an impossible request");
}

#[test]
fn bank_account_pending_then_completed_with_backoff() {
    let server = Server::start(|r, n| match (r.method.as_str(), n) {
        ("POST", _) => Reply::json(200, fixture("iluma_bank_pending.json")),
        ("GET", 1) => Reply::json(200, fixture("iluma_bank_pending.json")),
        ("GET", _) => Reply::json(200, fixture("iluma_bank_completed.json")),
        _ => Reply::json(500, "{}"),
    });
    let s = sleeps();
    let req = BankAccountRequest {
        bank_account_number: "1234567890".into(),
        bank_code: "BCA".into(),
        given_name: "Budi".into(),
        surname: Some("Santoso".into()),
        reference_id: Some("payout-42".into()),
        upper_threshold: 80.0,
        lower_threshold: 40.0,
    };
    let v = client(&server, &s).validate_bank_account(&req).unwrap();
    assert_eq!(v.status, BankValidationStatus::Completed);
    assert_eq!(v.id, "bknv_6580ee4b8a5e4d1a");
    assert_eq!(v.is_found, Some(true));
    assert_eq!(v.name_matching_result, Some(Decision::Unclear));
    assert_eq!(v.is_virtual_account, Some(false));
    assert_eq!(v.need_review, Some(true));
    assert_eq!(v.polls, 2);
    let reqs = server.requests();
    assert_eq!(reqs.len(), 3);
    assert_eq!(reqs[0].path(), "/v2.1/identity/bank_account_data_requests");
    let body = reqs[0].json();
    assert_eq!(body["bank_account_number"], "1234567890");
    assert_eq!(body["bank_code"], "BCA");
    assert_eq!(body["upper_threshold"], 80.0);
    assert_eq!(body["lower_threshold"], 40.0);
    assert_eq!(body["reference_id"], "payout-42");
    for r in &reqs[1..] {
        assert_eq!(r.method, "GET");
        assert_eq!(r.path(), "/v2.1/identity/bank_account_data_requests/bknv_6580ee4b8a5e4d1a");
        assert_eq!(r.header("authorization"), Some(basic().as_str()));
    }
    assert_eq!(
        *s.lock().unwrap(),
        vec![Duration::from_millis(10), Duration::from_millis(20)],
        "exponential poll backoff"
    );
}

#[test]
fn bank_account_failed_and_poll_exhaustion() {
    let server = Server::start(|r, _| match r.method.as_str() {
        "POST" => Reply::json(200, fixture("iluma_bank_pending.json")),
        _ => Reply::json(200, fixture("iluma_bank_failed.json")),
    });
    let s = sleeps();
    let req = BankAccountRequest {
        bank_account_number: "1234567890".into(),
        bank_code: "BCA".into(),
        given_name: "Budi".into(),
        surname: None,
        reference_id: None,
        upper_threshold: 80.0,
        lower_threshold: 40.0,
    };
    let v = client(&server, &s).validate_bank_account(&req).unwrap();
    assert_eq!(v.status, BankValidationStatus::Failed);
    assert_eq!(v.failure_reason.as_deref(), Some("TEMPORARY_NETWORK_ERROR"));
    assert_eq!(v.is_found, None);

    let pending = Server::start(|_, _| Reply::json(200, fixture("iluma_bank_pending.json")));
    let e = client(&pending, &s).validate_bank_account(&req).unwrap_err();
    assert!(matches!(e, ProviderError::PollExhausted { attempts: 4, .. }), "{e:?}");
    assert_eq!(pending.requests().len(), 5);
}

#[test]
fn ktp_validation() {
    let server = Server::start(|_, _| Reply::json(200, fixture("iluma_ktp_found.json")));
    let s = sleeps();
    let c = client(&server, &s);
    let req = KtpRequest {
        nik: "3171234567890123".into(),
        name: Some("Budi Santoso".into()),
        birthplace: Some("Jakarta".into()),
        birthdate: Some("1990-01-31".into()),
        address: Some("Jl. Sudirman 1".into()),
    };
    let v = c.validate_ktp(&req).unwrap();
    assert!(v.is_found);
    assert_eq!(v.status, "FOUND");
    assert_eq!(v.matches.len(), 4);
    assert_eq!(v.matches["name_match"], true);
    assert_eq!(v.matches["birthdate_match"], false);
    assert_eq!(v.matches["address_match"], 0.82);
    let r = &server.requests()[0];
    assert_eq!(r.path(), "/v2/identity/ktp_data_requests");
    assert_eq!(r.json()["nik"], "3171234567890123");
    assert_eq!(r.json()["birthplace"], "Jakarta");
    let bad = KtpRequest { nik: "31712345".into(), ..req };
    assert!(matches!(c.validate_ktp(&bad), Err(ProviderError::InvalidRequest { .. })));
    assert_eq!(server.requests().len(), 1);
}

fn bank_req() -> BankAccountRequest {
    BankAccountRequest {
        bank_account_number: "12".into(),
        bank_code: "XYZ".into(),
        given_name: "Budi".into(),
        surname: None,
        reference_id: None,
        upper_threshold: 80.0,
        lower_threshold: 40.0,
    }
}

#[test]
fn error_codes_are_typed() {
    let cases = [
        (400, "UNSUPPORTED_BANK_CODE_ERROR", IlumaErrorCode::UnsupportedBankCode),
        (400, "BANK_ACCOUNT_NUMBER_VALIDATION_ERROR", IlumaErrorCode::BankAccountNumberValidation),
        (401, "INVALID_API_KEY", IlumaErrorCode::InvalidApiKey),
        (400, "API_VALIDATION_ERROR", IlumaErrorCode::ApiValidation),
        (404, "SOMETHING_NEW", IlumaErrorCode::Other("SOMETHING_NEW".into())),
    ];
    for (status, code, want) in cases {
        let server = Server::start(move |_, _| {
            Reply::json(status, format!(r#"{{"error_code":"{code}","message":"explained {code}"}}"#))
        });
        let s = sleeps();
        let e = client(&server, &s).validate_bank_account(&bank_req()).unwrap_err();
        match &e {
            ProviderError::Iluma { status: st, code: c, message } => {
                assert_eq!((*st, c), (status, &want));
                assert_eq!(message, &format!("explained {code}"));
            }
            other => panic!("{code}: {other:?}"),
        }
        assert_eq!(e.is_auth(), code == "INVALID_API_KEY");
        assert_eq!(server.requests().len(), 1, "{code}: client errors are not retried");
    }
}

#[test]
fn rate_limit_backs_off_exponentially_then_succeeds() {
    let server = Server::start(|_, n| {
        if n < 2 {
            Reply::json(429, r#"{"error_code":"RATE_LIMIT_EXCEEDED","message":"slow down"}"#)
        } else {
            Reply::json(200, fixture("iluma_cft_entity.json"))
        }
    });
    let s = sleeps();
    let req = CftEntityRequest { business_name: "JI".into(), score_threshold: 40.0, ..Default::default() };
    let (hits, _) = client(&server, &s).screen_entity(&req, &Thresholds::default()).unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(server.requests().len(), 3, "429 is retried even for a POST: Iluma did not process it");
    let waits = s.lock().unwrap().clone();
    assert_eq!(waits.len(), 2);
    assert!(waits[0] >= Duration::from_millis(50) && waits[0] <= Duration::from_millis(100), "{waits:?}");
    assert!(waits[1] >= Duration::from_millis(100) && waits[1] <= Duration::from_millis(200), "{waits:?}");
}

#[test]
fn rate_limit_gives_up_with_typed_error_and_honours_retry_after() {
    let server = Server::start(|_, _| {
        Reply::json(429, r#"{"error_code":"RATE_LIMIT_EXCEEDED","message":"slow down"}"#).header("Retry-After", "1")
    });
    let s = sleeps();
    let req = CftEntityRequest { business_name: "JI".into(), score_threshold: 40.0, ..Default::default() };
    let e = client(&server, &s).screen_entity(&req, &Thresholds::default()).unwrap_err();
    assert!(matches!(e, ProviderError::Iluma { status: 429, code: IlumaErrorCode::RateLimitExceeded, .. }), "{e:?}");
    assert_eq!(server.requests().len(), 4, "first try plus max_retries = 3");
    assert!(s.lock().unwrap().iter().all(|d| *d == Duration::from_secs(1)), "Retry-After wins over a shorter backoff");
}

#[test]
fn server_error_on_post_is_not_retried_but_on_get_is() {
    let server = Server::start(|_, _| Reply::json(503, "{}"));
    let s = sleeps();
    let req = CftEntityRequest { business_name: "JI".into(), score_threshold: 40.0, ..Default::default() };
    let e = client(&server, &s).screen_entity(&req, &Thresholds::default()).unwrap_err();
    assert!(matches!(e, ProviderError::UnexpectedStatus { status: 503, .. }), "{e:?}");
    assert_eq!(server.requests().len(), 1, "a POST that may have created a data request is not sent twice");

    let server = Server::start(|r, n| match (r.method.as_str(), n) {
        ("POST", _) => Reply::json(200, fixture("iluma_bank_pending.json")),
        ("GET", 1) => Reply::json(503, "{}"),
        ("GET", 2) => Reply::json(500, "{}"),
        _ => Reply::json(200, fixture("iluma_bank_completed.json")),
    });
    let s = sleeps();
    let v = client(&server, &s).validate_bank_account(&bank_req()).unwrap();
    assert_eq!(v.status, BankValidationStatus::Completed);
    assert_eq!(server.requests().len(), 4, "the GET poll was retried after 503 and 500");
}

#[test]
fn timeout_is_typed_and_post_not_retried() {
    let server =
        Server::start(|_, _| Reply::json(200, fixture("iluma_cft_entity.json")).delayed(Duration::from_millis(900)));
    let s = sleeps();
    let req = CftEntityRequest { business_name: "JI".into(), score_threshold: 40.0, ..Default::default() };
    let started = std::time::Instant::now();
    let e = client(&server, &s).screen_entity(&req, &Thresholds::default()).unwrap_err();
    assert!(matches!(e, ProviderError::Timeout { .. }), "{e:?}");
    assert!(started.elapsed() < Duration::from_millis(850), "gave up at the read timeout");
    assert_eq!(server.requests().len(), 1);
    assert!(e.to_string().contains("POST /v2/identity/cft/entity_data_requests"), "{e}");
}

#[test]
fn a_dripping_server_hits_the_total_timeout() {
    // Each byte arrives well within the 300 ms read timeout, but the whole body would take ~6 s.
    let body = fixture("iluma_cft_entity.json");
    let server = Server::start(move |_, _| Reply::json(200, body.clone()).dripped(Duration::from_millis(20)));
    let s = sleeps();
    let http = saring::providers::HttpConfig { total_timeout: Duration::from_millis(400), ..fast_http(&s) };
    let cfg = IlumaConfig { base_url: server.url(), api_key: Some(Secret::new(KEY)), ..Default::default() };
    let c = IlumaClient::new(&cfg, &http).unwrap();
    let req = CftEntityRequest { business_name: "JI".into(), score_threshold: 40.0, ..Default::default() };
    let started = std::time::Instant::now();
    let e = c.screen_entity(&req, &Thresholds::default()).unwrap_err();
    assert!(matches!(e, ProviderError::Timeout { .. }), "{e:?}");
    assert!(started.elapsed() < Duration::from_millis(1500), "{:?}", started.elapsed());
}

#[test]
fn truncated_body_wrong_type_malformed_and_oversized() {
    let s = sleeps();
    let req = CftEntityRequest { business_name: "JI".into(), score_threshold: 40.0, ..Default::default() };
    let t = Thresholds::default();

    let server = Server::start(|_, _| Reply::json(200, r#"{"results": [{"list""#).truncated(400));
    let e = client(&server, &s).screen_entity(&req, &t).unwrap_err();
    assert!(matches!(e, ProviderError::TruncatedBody { .. }), "{e:?}");

    let server = Server::start(|_, _| Reply::with_type(200, "text/html; charset=utf-8", "<html>maintenance</html>"));
    let e = client(&server, &s).screen_entity(&req, &t).unwrap_err();
    match e {
        ProviderError::UnexpectedContentType { status, content_type, .. } => {
            assert_eq!((status, content_type.as_str()), (200, "text/html; charset=utf-8"))
        }
        other => panic!("{other:?}"),
    }

    let server = Server::start(|_, _| Reply::json(200, r#"{"results": 5}"#));
    let e = client(&server, &s).screen_entity(&req, &t).unwrap_err();
    assert!(matches!(e, ProviderError::MalformedJson { .. }), "{e:?}");

    let server = Server::start(|_, _| Reply::json(200, r#"{"results": [{"names": ["x"]}]}"#));
    let e = client(&server, &s).screen_entity(&req, &t).unwrap_err();
    assert!(e.to_string().contains("score"), "{e}");

    let server = Server::start(|_, _| Reply::json(200, "{not json"));
    let e = client(&server, &s).screen_entity(&req, &t).unwrap_err();
    assert!(matches!(e, ProviderError::MalformedJson { .. }), "{e:?}");

    let big = format!(r#"{{"results": [], "pad": "{}"}}"#, "x".repeat(70 * 1024));
    let server = Server::start(move |_, _| Reply::json(200, big.clone()));
    let e = client(&server, &s).screen_entity(&req, &t).unwrap_err();
    assert!(matches!(e, ProviderError::ResponseTooLarge { limit: 65536, .. }), "{e:?}");
}

#[test]
fn redirects_are_not_followed() {
    let other = Server::start(|_, _| Reply::json(200, fixture("iluma_cft_entity.json")));
    let target = format!("{}/v2/identity/cft/entity_data_requests", other.url().replace("127.0.0.1", "localhost"));
    let server = Server::start(move |_, _| Reply::json(302, "{}").header("Location", &target));
    let s = sleeps();
    let req = CftEntityRequest { business_name: "JI".into(), score_threshold: 40.0, ..Default::default() };
    let e = client(&server, &s).screen_entity(&req, &Thresholds::default()).unwrap_err();
    assert!(matches!(e, ProviderError::UnexpectedStatus { status: 302, .. }), "{e:?}");
    assert!(other.requests().is_empty(), "the API key never went to the redirect target");
}

#[test]
fn connection_refused_is_retried_even_for_post() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let s = sleeps();
    let cfg = IlumaConfig {
        base_url: format!("http://127.0.0.1:{port}"),
        api_key: Some(Secret::new(KEY)),
        ..Default::default()
    };
    let c = IlumaClient::new(&cfg, &fast_http(&s)).unwrap();
    let req = CftEntityRequest { business_name: "JI".into(), score_threshold: 40.0, ..Default::default() };
    let e = c.screen_entity(&req, &Thresholds::default()).unwrap_err();
    assert!(matches!(e, ProviderError::Network { connect: true, .. }), "{e:?}");
    assert_eq!(s.lock().unwrap().len(), 3, "a request that never left is safe to retry");
}

#[test]
fn insecure_base_url_and_missing_key_are_refused() {
    let s = sleeps();
    for url in ["http://api.iluma.ai", "http://10.0.0.1:8080", "ftp://api.iluma.ai", "https://u:p@api.iluma.ai"] {
        let cfg = IlumaConfig { base_url: url.into(), api_key: Some(Secret::new(KEY)), ..Default::default() };
        let e = IlumaClient::new(&cfg, &fast_http(&s)).unwrap_err();
        assert!(matches!(e, ProviderError::InsecureUrl { .. }), "{url}: {e:?}");
    }
    let cfg = IlumaConfig { api_key: None, ..Default::default() };
    let e = IlumaClient::new(&cfg, &fast_http(&s)).unwrap_err();
    assert!(e.to_string().contains("SARING_ILUMA_API_KEY"), "{e}");
    assert!(IlumaClient::new(&IlumaConfig { api_key: Some(Secret::new(KEY)), ..Default::default() }, &fast_http(&s))
        .is_ok());
}
