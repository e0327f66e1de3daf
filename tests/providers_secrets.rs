//! Credentials never appear in `Debug` / `Display` of clients, configs or errors — even when a hostile or
//! careless server echoes them back in its error messages — and never in a URL.

mod providers_support;

use base64::Engine as _;
use providers_support::{fast_http, fixture, Reply, Server};
use saring::providers::bri::{BriClient, SimilarityRequest};
use saring::providers::config::{BriConfig, IdWiseConfig, IlumaConfig, KryptoGoConfig};
use saring::providers::iluma::CftEntityRequest;
use saring::providers::{IdWiseClient, IlumaClient, KryptoGoClient, ProviderError, ProvidersConfig, Secret};
use saring::Thresholds;
use std::sync::{Arc, Mutex};
use std::time::Duration;

const ILUMA_KEY: &str = "SECRET-iluma-4f8a1c";
const BRI_ID: &str = "SECRET-bri-id-77e2";
const BRI_SECRET: &str = "SECRET-bri-secret-0d9b";
const BRI_TOKEN: &str = "SECRET-bri-token-a1a1";
const KG_KEY: &str = "SECRET-kryptogo-5c5c";
const IDW_KEY: &str = "SECRET-idwise-9e9e";

fn secrets() -> Vec<String> {
    let basic = base64::engine::general_purpose::STANDARD.encode(format!("{ILUMA_KEY}:"));
    vec![ILUMA_KEY, BRI_ID, BRI_SECRET, BRI_TOKEN, KG_KEY, IDW_KEY]
        .into_iter()
        .map(String::from)
        .chain([basic])
        .collect()
}

fn assert_clean(what: &str, text: &str) {
    for s in secrets() {
        assert!(!text.contains(&s), "{what} leaks a credential: {text}");
    }
    assert!(!text.contains("SECRET-"), "{what} leaks a credential: {text}");
}

fn check_error(what: &str, e: ProviderError) {
    assert_clean(what, &format!("{e}"));
    assert_clean(what, &format!("{e:?}"));
    let top: saring::Error = e.into();
    assert_clean(what, &format!("{top} {top:?}"));
}

/// A server that echoes every header and the request body back inside a provider error message.
fn echo_server(status: u16) -> Server {
    Server::start(move |r, _| {
        if r.path().starts_with("/oauth") {
            return Reply::json(200, fixture("bri_token.json").replace("TOKEN_PLACEHOLDER", BRI_TOKEN));
        }
        let echoed: String =
            r.headers.iter().map(|(k, v)| format!("{k}={v} ")).collect::<String>() + &String::from_utf8_lossy(&r.body);
        let echoed = echoed.replace('"', "'");
        let msg = format!(
            r#"{{"error_code":"INVALID_API_KEY","errorCode":"020","code":"E1","message":"{echoed}","responseMessage":"{echoed}"}}"#
        );
        Reply::json(status, msg)
    })
}

fn http() -> saring::providers::HttpConfig {
    fast_http(&Arc::new(Mutex::new(Vec::new())))
}

#[test]
fn clients_and_configs_do_not_show_secrets() {
    let server = echo_server(401);
    let iluma = IlumaClient::new(
        &IlumaConfig { base_url: server.url(), api_key: Some(Secret::new(ILUMA_KEY)), ..Default::default() },
        &http(),
    )
    .unwrap();
    let bri_cfg = BriConfig {
        base_url: server.url(),
        client_id: Some(Secret::new(BRI_ID)),
        client_secret: Some(Secret::new(BRI_SECRET)),
        ..Default::default()
    };
    let bri = BriClient::new(&bri_cfg, &http()).unwrap();
    let kg_cfg = KryptoGoConfig { base_url: server.url(), api_key: Some(Secret::new(KG_KEY)), ..Default::default() };
    let kg = KryptoGoClient::new(&kg_cfg, &http()).unwrap();
    let idw_cfg = IdWiseConfig { base_url: server.url(), api_key: Some(Secret::new(IDW_KEY)), ..Default::default() };
    let idw = IdWiseClient::new(&idw_cfg, &http()).unwrap();
    assert_clean("iluma client", &format!("{iluma:?}"));
    assert_clean("kryptogo client", &format!("{kg:?}"));
    assert_clean("idwise client", &format!("{idw:?}"));
    assert_clean("bri config", &format!("{bri_cfg:?}"));

    // Errors whose messages come from a server echoing the credentials back.
    let e = iluma
        .screen_entity(
            &CftEntityRequest { business_name: "x".into(), score_threshold: 1.0, ..Default::default() },
            &Thresholds::default(),
        )
        .unwrap_err();
    assert!(matches!(e, ProviderError::Iluma { .. }));
    check_error("iluma error", e);
    let e = bri
        .similarity(&SimilarityRequest { sender_name: "x".into(), threshold: 50.0, ..Default::default() })
        .unwrap_err();
    assert!(matches!(e, ProviderError::Bri { .. }), "{e:?}");
    check_error("bri error", e);
    assert_clean("bri client after token", &format!("{bri:?}"));
    let e = kg.task("t1").unwrap_err();
    check_error("kryptogo error", e);
    let e = idw.aml_result("j1", &Thresholds::default()).unwrap_err();
    check_error("idwise error", e);
    // The echo proves the secrets were on the wire (to the configured host), never in the URL.
    let reqs = server.requests();
    assert!(reqs.iter().any(|r| r.header("x-api-key") == Some(KG_KEY)));
    assert!(reqs.iter().any(|r| r.header("authorization") == Some(&format!("Bearer {BRI_TOKEN}"))));
    for r in &reqs {
        assert_clean("request target", &r.target);
    }

    // Environment-built config.
    let env = |n: &str| match n {
        "SARING_ILUMA_API_KEY" => Some(ILUMA_KEY.to_string()),
        "SARING_BRI_CLIENT_ID" => Some(BRI_ID.to_string()),
        "SARING_BRI_CLIENT_SECRET" => Some(BRI_SECRET.to_string()),
        "SARING_KRYPTOGO_API_KEY" => Some(KG_KEY.to_string()),
        "SARING_IDWISE_API_KEY" => Some(IDW_KEY.to_string()),
        _ => None,
    };
    let cfg = ProvidersConfig::load(None, &env).unwrap();
    assert_clean("providers config", &format!("{cfg:?}"));
}

#[test]
fn transport_errors_do_not_show_secrets() {
    let slow = Server::start(|_, _| Reply::json(200, "{}").delayed(Duration::from_millis(800)));
    let iluma = IlumaClient::new(
        &IlumaConfig { base_url: slow.url(), api_key: Some(Secret::new(ILUMA_KEY)), ..Default::default() },
        &http(),
    )
    .unwrap();
    let e = iluma
        .screen_entity(
            &CftEntityRequest { business_name: "x".into(), score_threshold: 1.0, ..Default::default() },
            &Thresholds::default(),
        )
        .unwrap_err();
    assert!(matches!(e, ProviderError::Timeout { .. }), "{e:?}");
    check_error("timeout", e);
    let e = IlumaClient::new(
        &IlumaConfig {
            base_url: format!("https://{ILUMA_KEY}@api.iluma.ai"),
            api_key: Some(Secret::new(ILUMA_KEY)),
            ..Default::default()
        },
        &http(),
    )
    .unwrap_err();
    check_error("insecure url", e);
}

#[test]
fn a_token_ureq_refuses_as_a_header_is_not_quoted() {
    // A token with a control character: ureq refuses the header line and quotes it in its message.
    let server = Server::start(|_, _| {
        Reply::json(200, fixture("bri_token.json").replace("TOKEN_PLACEHOLDER", &format!("{BRI_TOKEN}\\u0001x")))
    });
    let cfg = BriConfig {
        base_url: server.url(),
        client_id: Some(Secret::new(BRI_ID)),
        client_secret: Some(Secret::new(BRI_SECRET)),
        ..Default::default()
    };
    let e = BriClient::new(&cfg, &http())
        .unwrap()
        .similarity(&SimilarityRequest { sender_name: "x".into(), threshold: 50.0, ..Default::default() })
        .unwrap_err();
    assert!(matches!(e, ProviderError::Network { .. }), "{e:?}");
    check_error("bad header", e);
    assert_eq!(server.requests().len(), 1, "the similarity call never left");
}
