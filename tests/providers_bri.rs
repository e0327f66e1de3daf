//! BRI adapter against a real HTTP server on 127.0.0.1 that checks the token, timestamp and signature.

mod providers_support;

use base64::Engine as _;
use providers_support::{fast_http, fixture, Recorded, Reply, Server};
use saring::providers::bri::{BriClient, SimilarityRequest};
use saring::providers::config::BriConfig;
use saring::providers::{BriErrorCode, Provider, ProviderError, Secret};
use saring::screen::Query;
use saring::{Decision, PartialDate, Publisher};
use sha2::{Digest, Sha256};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

const CLIENT_ID: &str = "bri-consumer-key-7Hq2";
const CLIENT_SECRET: &str = "bri-consumer-secret-Pz90xw";

/// HMAC-SHA256 written out from RFC 2104 over the sha2 crate, independent of the `hmac` crate the client uses.
fn hmac_sha256(key: &[u8], msg: &[u8]) -> [u8; 32] {
    let mut k = [0u8; 64];
    if key.len() > 64 {
        k[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        k[..key.len()].copy_from_slice(key);
    }
    let ipad: Vec<u8> = k.iter().map(|b| b ^ 0x36).collect();
    let opad: Vec<u8> = k.iter().map(|b| b ^ 0x5c).collect();
    let inner = Sha256::new().chain_update(&ipad).chain_update(msg).finalize();
    Sha256::new().chain_update(&opad).chain_update(inner).finalize().into()
}

#[test]
fn hand_written_hmac_matches_rfc4231_case_2() {
    // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
    let mac = hmac_sha256(b"Jefe", b"what do ya want for nothing?");
    let hex: String = mac.iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(hex, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

fn expected_signature(r: &Recorded, token: &str) -> String {
    let ts = r.header("bri-timestamp").unwrap_or("");
    let mut payload =
        format!("path={}&verb={}&token=Bearer {token}&timestamp={ts}&body=", r.path(), r.method).into_bytes();
    payload.extend_from_slice(&r.body);
    base64::engine::general_purpose::STANDARD.encode(hmac_sha256(CLIENT_SECRET.as_bytes(), &payload))
}

fn is_bri_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 24
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            10 => *c == b'T',
            13 | 16 => *c == b':',
            19 => *c == b'.',
            23 => *c == b'Z',
            _ => c.is_ascii_digit(),
        })
}

/// A BRI double: issues `tok-1`, `tok-2`, ...; answers the similarity call after checking the bearer token
/// is the current one (unless `reject_first` tokens are to be refused as expired) and the signature.
struct Bri {
    tokens: AtomicUsize,
    reject_tokens_below: usize,
    /// Path prefix the double is served under (routing strips it; the signature covers the full path).
    prefix: &'static str,
}

impl Bri {
    fn handle(&self, r: &Recorded) -> Reply {
        let route = r.path().strip_prefix(self.prefix).unwrap_or("");
        if route == "/oauth/client_credential/accesstoken" {
            let form = String::from_utf8_lossy(&r.body).to_string();
            let ok = r.method == "POST"
                && r.target.ends_with("?grant_type=client_credentials")
                && r.header("content-type") == Some("application/x-www-form-urlencoded")
                && form == format!("client_id={CLIENT_ID}&client_secret={CLIENT_SECRET}");
            if !ok {
                return Reply::json(401, r#"{"errorCode":"020","responseMessage":"bad client"}"#);
            }
            let n = self.tokens.fetch_add(1, Ordering::SeqCst) + 1;
            return Reply::json(200, fixture("bri_token.json").replace("TOKEN_PLACEHOLDER", &format!("tok-{n}")));
        }
        let current = self.tokens.load(Ordering::SeqCst);
        let auth = r.header("authorization").unwrap_or("");
        let Some(token) = auth.strip_prefix("Bearer ") else {
            return Reply::json(401, r#"{"errorCode":"020","responseMessage":"no token"}"#);
        };
        if token != format!("tok-{current}") || current < self.reject_tokens_below {
            return Reply::json(401, fixture("bri_error_401_021.json"));
        }
        if !is_bri_timestamp(r.header("bri-timestamp").unwrap_or("")) {
            return Reply::json(400, r#"{"errorCode":"017","responseMessage":"bad timestamp"}"#);
        }
        if r.header("bri-signature") != Some(expected_signature(r, token).as_str()) {
            return Reply::json(401, r#"{"errorCode":"022","responseMessage":"signature mismatch"}"#);
        }
        Reply::json(200, fixture("bri_similarity.json"))
    }
}

fn start(reject_tokens_below: usize) -> Server {
    let bri = Arc::new(Bri { tokens: AtomicUsize::new(0), reject_tokens_below, prefix: "" });
    Server::start(move |r, _| bri.handle(r))
}

fn client(url: &str, sleeps: &Arc<Mutex<Vec<Duration>>>) -> BriClient {
    let cfg = BriConfig {
        base_url: url.into(),
        client_id: Some(Secret::new(CLIENT_ID)),
        client_secret: Some(Secret::new(CLIENT_SECRET)),
        ..Default::default()
    };
    BriClient::new(&cfg, &fast_http(sleeps)).unwrap()
}

fn request() -> SimilarityRequest {
    SimilarityRequest {
        sender_name: "Farkhad Akilov".into(),
        sender_id_number: Some("3171234567890123".into()),
        sender_citizenship: Some("Uzbekistan".into()),
        sender_place_of_birth: Some("Tashkent".into()),
        sender_date_of_birth: Some("1990-01-01".into()),
        receiver_name: Some("Siti Aminah".into()),
        receiver_citizenship: Some("Malaysia".into()),
        threshold: 70.0,
    }
}

#[test]
fn similarity_signed_and_mapped() {
    let server = start(0);
    let s = Arc::new(Mutex::new(Vec::new()));
    let c = client(&server.url(), &s);
    let a = c.similarity(&request()).unwrap();

    let reqs = server.requests();
    assert_eq!(reqs.len(), 2, "one token, one similarity call");
    let r = &reqs[1];
    assert_eq!((r.method.as_str(), r.path()), ("POST", "/v1.0/aml/similarity"));
    assert_eq!(r.header("authorization"), Some("Bearer tok-1"));
    assert_eq!(r.header("bri-signature"), Some(expected_signature(r, "tok-1").as_str()));
    let body = r.json();
    assert_eq!(body["senderName"], "Farkhad Akilov");
    assert_eq!(body["senderIdNumber"], "3171234567890123");
    assert_eq!(body["senderCitizenship"], "Uzbekistan");
    assert_eq!(body["senderPlaceOfBirth"], "Tashkent");
    assert_eq!(body["senderDateOfBirth"], "1990-01-01");
    assert_eq!(body["receiverName"], "Siti Aminah");
    assert_eq!(body["receiverCitizenship"], "Malaysia");
    assert_eq!(body["threshold"], 70.0);

    assert_eq!(a.prescreening_message, (Some("SD-04".into()), Some("Sender Suspect Dowjones".into())));
    assert_eq!(a.status_prescreening.0.as_deref(), Some("01"));
    assert_eq!(a.status_dowjones_data.1.as_deref(), Some("Dowjones Data Found"));
    assert_eq!(a.validation_item.as_deref(), Some("NOT MATCH (Malaysia-Uzbekistan)"));
    let hs = a.highest_sender.as_ref().unwrap();
    assert_eq!((hs.profile_id.as_str(), hs.score), ("1103548", 93.1));
    assert_eq!(a.highest_receiver.as_ref().unwrap().score, 0.0);
    assert!(a.receiver_hits.is_empty());
    assert_eq!(a.sender_hits.len(), 2);
    let h = &a.sender_hits[0];
    assert_eq!(h.id, "1103548");
    assert_eq!(h.publisher, Publisher::DowJones);
    assert_eq!(h.matched_name, "Farkhad Ataullaevich Akilov");
    assert_eq!(h.names, vec!["Farkhad Ataullaevich Akilov"]);
    assert_eq!(h.score, 93.1, "highestScoreSimilarity of the same profile, parsed from \"93.10\"");
    assert_eq!(h.decision, Decision::Match);
    assert_eq!(h.list, "Sanctions List; Other Official List");
    assert_eq!(h.nationalities, vec!["Uzbekistan"]);
    assert_eq!(h.dates_of_birth, vec![PartialDate { y: 1990, m: 1, d: 1 }]);
    assert_eq!(h.record_data.value()["watchlist"][0]["crime"], "Terror");
    assert_eq!(h.record_data.value()["watchlist"][1]["status2"], "Active");
    let h = &a.sender_hits[1];
    assert_eq!((h.matched_name.as_str(), h.score, h.decision), ("Farhod Akilov", 71.45, Decision::Unclear));

    // The token is cached: a second call does not ask for another.
    c.similarity(&request()).unwrap();
    let reqs = server.requests();
    assert_eq!(reqs.len(), 3);
    assert_eq!(reqs[2].header("authorization"), Some("Bearer tok-1"));
}

#[test]
fn expired_token_is_refreshed_once() {
    // Tokens below number 2 are refused as expired (401 / 021): the client must fetch tok-2 and retry.
    let server = start(2);
    let s = Arc::new(Mutex::new(Vec::new()));
    let c = client(&server.url(), &s);
    let a = c.similarity(&request()).unwrap();
    assert_eq!(a.sender_hits.len(), 2);
    let paths: Vec<String> = server.requests().iter().map(|r| r.path().to_string()).collect();
    assert_eq!(
        paths,
        [
            "/oauth/client_credential/accesstoken",
            "/v1.0/aml/similarity",
            "/oauth/client_credential/accesstoken",
            "/v1.0/aml/similarity"
        ]
    );
    assert_eq!(server.requests()[3].header("authorization"), Some("Bearer tok-2"));

    // Refused every time: one refresh only, then the typed error.
    let server = start(usize::MAX);
    let c = client(&server.url(), &s);
    let e = c.similarity(&request()).unwrap_err();
    match &e {
        ProviderError::Bri { status, code, message } => {
            assert_eq!((*status, code), (401, &BriErrorCode::ExpiredToken));
            assert_eq!(message, "Access token expired");
        }
        other => panic!("{other:?}"),
    }
    assert!(e.is_auth());
    assert_eq!(server.requests().len(), 4);
}

#[test]
fn wrong_secret_fails_the_server_signature_check() {
    let server = start(0);
    let s = Arc::new(Mutex::new(Vec::new()));
    // Same client id and a secret the server does not know: the token request itself is refused.
    let cfg = BriConfig {
        base_url: server.url(),
        client_id: Some(Secret::new(CLIENT_ID)),
        client_secret: Some(Secret::new("not-the-secret")),
        ..Default::default()
    };
    let e = BriClient::new(&cfg, &fast_http(&s)).unwrap().similarity(&request()).unwrap_err();
    assert!(matches!(e, ProviderError::Bri { status: 401, code: BriErrorCode::InvalidToken, .. }), "{e:?}");
    assert!(!e.to_string().contains("not-the-secret"));
}

#[test]
fn whole_error_table_is_typed() {
    let table = [
        (400, "010"),
        (400, "011"),
        (400, "012"),
        (400, "013"),
        (400, "014"),
        (400, "015"),
        (400, "016"),
        (400, "017"),
        (401, "020"),
        (401, "021"),
        (401, "022"),
        (408, "030"),
        (500, "050"),
        (500, "059"),
        (500, "888"),
        (500, "999"),
    ];
    for (status, code) in table {
        let server = Server::start(move |r, _| {
            if r.path().starts_with("/oauth") {
                Reply::json(200, fixture("bri_token.json").replace("TOKEN_PLACEHOLDER", "tok"))
            } else {
                Reply::json(
                    status,
                    format!(
                        r#"{{"statusCode":{status},"errorCode":"{code}","responseMessage":"message {code}","errors":[]}}"#
                    ),
                )
            }
        });
        let s = Arc::new(Mutex::new(Vec::new()));
        let e = client(&server.url(), &s).similarity(&request()).unwrap_err();
        match &e {
            ProviderError::Bri { status: st, code: c, message } => {
                assert_eq!(*st, status, "{code}");
                assert_eq!(c.code(), code);
                assert!(!matches!(c, BriErrorCode::Other(_)), "{code}");
                assert_eq!(c.http_status(), Some(status));
                assert_eq!(message, &format!("message {code}"));
                assert!(e.to_string().contains(c.meaning()), "{e}");
            }
            other => panic!("{code}: {other:?}"),
        }
        let similarity_calls = server.requests().iter().filter(|r| r.path() == "/v1.0/aml/similarity").count();
        let want = if status == 401 { 2 } else { 1 };
        assert_eq!(similarity_calls, want, "{code}: 401 refreshes once; 408/500 are not retried for this POST");
    }
}

#[test]
fn token_endpoint_is_retried_but_similarity_is_not() {
    let n_token = Arc::new(AtomicUsize::new(0));
    let nt = n_token.clone();
    let server = Server::start(move |r, _| {
        if r.path().starts_with("/oauth") {
            if nt.fetch_add(1, Ordering::SeqCst) == 0 {
                Reply::json(503, "{}")
            } else {
                Reply::json(200, fixture("bri_token.json").replace("TOKEN_PLACEHOLDER", "tok"))
            }
        } else {
            Reply::json(503, "{}")
        }
    });
    let s = Arc::new(Mutex::new(Vec::new()));
    let e = client(&server.url(), &s).similarity(&request()).unwrap_err();
    assert!(matches!(e, ProviderError::UnexpectedStatus { status: 503, .. }), "{e:?}");
    let paths: Vec<String> = server.requests().iter().map(|r| r.path().to_string()).collect();
    assert_eq!(paths.iter().filter(|p| p.starts_with("/oauth")).count(), 2, "token retried after 503");
    assert_eq!(paths.iter().filter(|p| *p == "/v1.0/aml/similarity").count(), 1, "similarity not retried");
}

#[test]
fn provider_trait_uses_query_and_thresholds() {
    let server = start(0);
    let s = Arc::new(Mutex::new(Vec::new()));
    let c = client(&server.url(), &s);
    let q = Query {
        name: Some("Farkhad Akilov".into()),
        nationality: Some("UZ".into()),
        upper_threshold: Some(95.0),
        lower_threshold: Some(75.0),
        ..Default::default()
    };
    let a = c.screen(&q).unwrap();
    assert_eq!(a.verdict.as_deref(), Some("SD-04 Sender Suspect Dowjones"));
    assert_eq!(a.hits.iter().map(|h| h.decision).collect::<Vec<_>>(), vec![Decision::Unclear, Decision::NotMatch]);
    let body = server.requests()[1].json();
    assert_eq!(body["senderName"], "Farkhad Akilov");
    assert_eq!(body["senderCitizenship"], "UZ");
    assert_eq!(body["threshold"], 75.0);
    assert!(body.get("receiverName").is_none());
}

#[test]
fn base_url_prefix_is_signed() {
    let bri = Arc::new(Bri { tokens: AtomicUsize::new(0), reject_tokens_below: 0, prefix: "/gateway" });
    let server = Server::start(move |r, _| bri.handle(r));
    let s = Arc::new(Mutex::new(Vec::new()));
    let c = client(&format!("{}/gateway", server.url()), &s);
    assert!(c.similarity(&request()).is_ok());
    assert_eq!(server.requests()[1].path(), "/gateway/v1.0/aml/similarity");
}

#[test]
fn timestamp_comes_from_the_clock_in_utc_millis() {
    let server = start(0);
    let s = Arc::new(Mutex::new(Vec::new()));
    // python3 -c "import datetime;print(datetime.datetime.fromtimestamp(1700000000.5,datetime.timezone.utc))"
    // → 2023-11-14 22:13:20.500000+00:00
    let c = client(&server.url(), &s).with_clock(|| std::time::UNIX_EPOCH + Duration::from_millis(1_700_000_000_500));
    c.similarity(&request()).unwrap();
    assert_eq!(server.requests()[1].header("bri-timestamp"), Some("2023-11-14T22:13:20.500Z"));
}
