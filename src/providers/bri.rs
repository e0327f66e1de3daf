//! BRI AML prescreening: sender and receiver names checked against Dow Jones data.
//!
//! Flow: an OAuth 2.0 client-credentials token (`POST /oauth/client_credential/accesstoken?grant_type=
//! client_credentials`, form fields `client_id`, `client_secret`) is cached until shortly before it
//! expires; then `POST /v1.0/aml/similarity` is sent with `Authorization: Bearer <token>`,
//! `BRI-Timestamp` (UTC, `yyyy-MM-ddTHH:mm:ss.SSSZ`) and
//! `BRI-Signature = base64(HMAC-SHA256(client_secret, "path=<path>&verb=POST&token=Bearer <token>&timestamp=<timestamp>&body=<body>"))`
//! over the exact body bytes sent ([`signature`]). A 401 with error code 020–022 drops the cached token,
//! fetches a new one and retries once.
//!
//! Retries: the token request has no side effect and is retried on retryable failures; the similarity
//! call is logged by BRI as a prescreening transaction and is not retried once it may have reached BRI.
//!
//! Mapping: every profile of `data.dataInformation.sender[]` and `.receiver[]` becomes a [`Hit`]
//! (publisher `DOWJONES`): `profileId` as id, the `fullName` — a search vector such as
//! `'farkhad':1 'ataullaevich':1 'akilov':1` — parsed back to `Farkhad Ataullaevich Akilov`
//! ([`parse_full_name`]), watchlist names as `list`, and the profile as `record_data`. The score is the
//! profile's own score when it has one, else the `highestScoreSimilarity` score when the profile ids agree,
//! else the request threshold (the lowest score BRI returns profiles for). Scores are strings (`"93.10"`).

use super::config::{require, BriConfig};
use super::http::{
    encode_form_value, utc_timestamp_millis, BaseUrl, HttpClient, HttpConfig, Request, Response, Retry, Secret,
};
use super::{
    empty_hit, json_f64, json_str, json_strings, query_full_name, query_thresholds, record_hash, Provider,
    ProviderAnswer, ProviderError,
};
use crate::model::Publisher;
use crate::screen::{Hit, Query};
use crate::{Decision, Thresholds};
use base64::Engine as _;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::fmt;
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime};

const PROVIDER: &str = "bri";

/// BRI's error table: HTTP 400 (010–017), 401 (020–022), 408 (030), 500 (050, 059, 888, 999).
///
/// The short meanings are saring's summaries of BRI's table; BRI's own `responseMessage` is always kept
/// in [`ProviderError::Bri`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum BriErrorCode {
    /// 010 (HTTP 400): a mandatory field is missing.
    MandatoryFieldMissing,
    /// 011 (HTTP 400): a field has an invalid format.
    InvalidFieldFormat,
    /// 012 (HTTP 400): a field is longer than allowed.
    InvalidFieldLength,
    /// 013 (HTTP 400): the threshold is out of range.
    InvalidThreshold,
    /// 014 (HTTP 400): a date is not a valid date.
    InvalidDate,
    /// 015 (HTTP 400): a citizenship is not a known country.
    InvalidCitizenship,
    /// 016 (HTTP 400): the body is not valid JSON.
    InvalidBody,
    /// 017 (HTTP 400): `BRI-Timestamp` is missing, malformed or outside the allowed window.
    InvalidTimestamp,
    /// 020 (HTTP 401): the access token is invalid.
    InvalidToken,
    /// 021 (HTTP 401): the access token has expired.
    ExpiredToken,
    /// 022 (HTTP 401): `BRI-Signature` does not match.
    InvalidSignature,
    /// 030 (HTTP 408): BRI timed out processing the request.
    RequestTimeout,
    /// 050 (HTTP 500): the Dow Jones data service is unavailable.
    DowJonesUnavailable,
    /// 059 (HTTP 500): BRI database error.
    DatabaseError,
    /// 888 (HTTP 500): no answer from the BRI backend in time.
    BackendTimeout,
    /// 999 (HTTP 500): general system error.
    GeneralError,
    /// A code outside the table, as written.
    Other(String),
}

impl BriErrorCode {
    /// Parses a code (`"010"`, `"10"` and `10` are the same code).
    pub fn parse(code: &str) -> Self {
        let c = code.trim();
        let normal = match c.parse::<u32>() {
            Ok(n) if c.bytes().all(|b| b.is_ascii_digit()) => format!("{n:03}"),
            _ => c.to_string(),
        };
        match normal.as_str() {
            "010" => BriErrorCode::MandatoryFieldMissing,
            "011" => BriErrorCode::InvalidFieldFormat,
            "012" => BriErrorCode::InvalidFieldLength,
            "013" => BriErrorCode::InvalidThreshold,
            "014" => BriErrorCode::InvalidDate,
            "015" => BriErrorCode::InvalidCitizenship,
            "016" => BriErrorCode::InvalidBody,
            "017" => BriErrorCode::InvalidTimestamp,
            "020" => BriErrorCode::InvalidToken,
            "021" => BriErrorCode::ExpiredToken,
            "022" => BriErrorCode::InvalidSignature,
            "030" => BriErrorCode::RequestTimeout,
            "050" => BriErrorCode::DowJonesUnavailable,
            "059" => BriErrorCode::DatabaseError,
            "888" => BriErrorCode::BackendTimeout,
            "999" => BriErrorCode::GeneralError,
            _ => BriErrorCode::Other(c.to_string()),
        }
    }

    /// The three-digit code.
    pub fn code(&self) -> &str {
        match self {
            BriErrorCode::MandatoryFieldMissing => "010",
            BriErrorCode::InvalidFieldFormat => "011",
            BriErrorCode::InvalidFieldLength => "012",
            BriErrorCode::InvalidThreshold => "013",
            BriErrorCode::InvalidDate => "014",
            BriErrorCode::InvalidCitizenship => "015",
            BriErrorCode::InvalidBody => "016",
            BriErrorCode::InvalidTimestamp => "017",
            BriErrorCode::InvalidToken => "020",
            BriErrorCode::ExpiredToken => "021",
            BriErrorCode::InvalidSignature => "022",
            BriErrorCode::RequestTimeout => "030",
            BriErrorCode::DowJonesUnavailable => "050",
            BriErrorCode::DatabaseError => "059",
            BriErrorCode::BackendTimeout => "888",
            BriErrorCode::GeneralError => "999",
            BriErrorCode::Other(s) => s,
        }
    }

    /// The HTTP status BRI documents for the code (`None` for codes outside the table).
    pub fn http_status(&self) -> Option<u16> {
        match self.code() {
            "010" | "011" | "012" | "013" | "014" | "015" | "016" | "017" => Some(400),
            "020" | "021" | "022" => Some(401),
            "030" => Some(408),
            "050" | "059" | "888" | "999" => Some(500),
            _ => None,
        }
    }

    /// What the code means.
    pub fn meaning(&self) -> &'static str {
        match self {
            BriErrorCode::MandatoryFieldMissing => "a mandatory field is missing",
            BriErrorCode::InvalidFieldFormat => "a field has an invalid format",
            BriErrorCode::InvalidFieldLength => "a field is longer than allowed",
            BriErrorCode::InvalidThreshold => "the threshold is out of range",
            BriErrorCode::InvalidDate => "a date is not valid",
            BriErrorCode::InvalidCitizenship => "a citizenship is not a known country",
            BriErrorCode::InvalidBody => "the request body is not valid JSON",
            BriErrorCode::InvalidTimestamp => "BRI-Timestamp is missing, malformed or too old",
            BriErrorCode::InvalidToken => "the access token is invalid",
            BriErrorCode::ExpiredToken => "the access token has expired",
            BriErrorCode::InvalidSignature => "BRI-Signature does not match",
            BriErrorCode::RequestTimeout => "BRI timed out processing the request",
            BriErrorCode::DowJonesUnavailable => "the Dow Jones data service is unavailable",
            BriErrorCode::DatabaseError => "BRI database error",
            BriErrorCode::BackendTimeout => "no answer from the BRI backend in time",
            BriErrorCode::GeneralError => "general system error",
            BriErrorCode::Other(_) => "code outside BRI's documented table",
        }
    }

    /// True for 020–022: a fresh token may fix it.
    pub fn is_auth(&self) -> bool {
        matches!(self, BriErrorCode::InvalidToken | BriErrorCode::ExpiredToken | BriErrorCode::InvalidSignature)
    }
}

impl fmt::Display for BriErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// `BRI-Signature`: base64 of HMAC-SHA256 keyed with the client secret over
/// `path=<path>&verb=<METHOD>&token=Bearer <token>&timestamp=<timestamp>&body=<body>`.
///
/// ```
/// // python3 -c "import hmac,hashlib,base64;print(base64.b64encode(hmac.new(b'secret',
/// //   b'path=/v1.0/aml/similarity&verb=POST&token=Bearer tok&timestamp=2024-01-02T03:04:05.006Z&body={}',
/// //   hashlib.sha256).digest()).decode())"
/// use saring::providers::bri::signature;
/// let s = signature(b"secret", "/v1.0/aml/similarity", "POST", "tok", "2024-01-02T03:04:05.006Z", b"{}");
/// assert_eq!(s, "/52yYYhOFIvqydJieD6Rtwu+AMOoaSj6I2Don0krxlo=");
/// ```
pub fn signature(secret: &[u8], path: &str, verb: &str, token: &str, timestamp: &str, body: &[u8]) -> String {
    let mut payload = Vec::with_capacity(body.len() + path.len() + token.len() + 80);
    payload.extend_from_slice(
        format!("path={path}&verb={verb}&token=Bearer {token}&timestamp={timestamp}&body=").as_bytes(),
    );
    payload.extend_from_slice(body);
    // HMAC accepts keys of any length, so `new_from_slice` cannot fail here.
    let mut mac = match Hmac::<sha2::Sha256>::new_from_slice(secret) {
        Ok(m) => m,
        Err(_) => return String::new(),
    };
    mac.update(&payload);
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

/// Parses BRI's `fullName` search vector (`'farkhad':1 'ataullaevich':1 'akilov':1`) back to a name,
/// in word-position order, each word capitalised. Text not in that form is returned trimmed.
///
/// ```
/// use saring::providers::bri::parse_full_name;
/// assert_eq!(parse_full_name("'farkhad':1 'ataullaevich':1 'akilov':1"), "Farkhad Ataullaevich Akilov");
/// assert_eq!(parse_full_name("'akilov':3 'farkhad':1,4 'ataullaevich':2"), "Farkhad Ataullaevich Akilov");
/// assert_eq!(parse_full_name("'o''brien':2 'sean':1"), "Sean O'brien");
/// assert_eq!(parse_full_name("John Smith"), "John Smith");
/// ```
pub fn parse_full_name(s: &str) -> String {
    let t = s.trim();
    if !t.starts_with('\'') {
        return t.to_string();
    }
    let chars: Vec<char> = t.chars().collect();
    let mut i = 0;
    let mut words: Vec<(u32, usize, String)> = Vec::new();
    while i < chars.len() {
        if chars[i].is_whitespace() {
            i += 1;
            continue;
        }
        if chars[i] != '\'' {
            return t.to_string();
        }
        i += 1;
        let mut word = String::new();
        loop {
            match chars.get(i) {
                None => return t.to_string(),
                Some('\'') if chars.get(i + 1) == Some(&'\'') => {
                    word.push('\'');
                    i += 2;
                }
                Some('\'') => {
                    i += 1;
                    break;
                }
                Some(c) => {
                    word.push(*c);
                    i += 1;
                }
            }
        }
        let mut pos = u32::MAX;
        if chars.get(i) == Some(&':') {
            i += 1;
            let mut digits = String::new();
            while let Some(c) = chars.get(i).filter(|c| !c.is_whitespace()) {
                if c.is_ascii_digit() && !digits.contains(',') {
                    digits.push(*c);
                } else if *c == ',' {
                    digits.push(',');
                }
                i += 1;
            }
            pos = digits.trim_end_matches(',').split(',').next().and_then(|d| d.parse().ok()).unwrap_or(u32::MAX);
        }
        let n = words.len();
        words.push((pos, n, word));
    }
    words.sort_by_key(|w| (w.0, w.1));
    words
        .into_iter()
        .map(|(_, _, w)| {
            let mut cs = w.chars();
            match cs.next() {
                Some(f) => f.to_uppercase().chain(cs).collect::<String>(),
                None => String::new(),
            }
        })
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// A prescreening request (`POST /v1.0/aml/similarity`); field names are BRI's.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SimilarityRequest {
    /// Sender's full name.
    pub sender_name: String,
    /// Sender's identity number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sender_id_number: Option<String>,
    /// Sender's citizenship.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sender_citizenship: Option<String>,
    /// Sender's place of birth.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sender_place_of_birth: Option<String>,
    /// Sender's date of birth.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sender_date_of_birth: Option<String>,
    /// Receiver's full name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub receiver_name: Option<String>,
    /// Receiver's citizenship.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub receiver_citizenship: Option<String>,
    /// Similarity threshold, 0–100.
    pub threshold: f64,
}

/// The highest similarity on one side.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HighestScore {
    /// Dow Jones profile id.
    pub profile_id: String,
    /// 0–100.
    pub score: f64,
}

/// A prescreening answer, mapped.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SimilarityAnswer {
    /// `data.statusPrescreeningCode` / `Desc`.
    pub status_prescreening: (Option<String>, Option<String>),
    /// `data.prescreeningMessageCode` / `Desc` (e.g. `SD-04`).
    pub prescreening_message: (Option<String>, Option<String>),
    /// `data.statusDowjonesDataCode` / `Desc`.
    pub status_dowjones_data: (Option<String>, Option<String>),
    /// `data.highestScoreSimilarity.sender`.
    pub highest_sender: Option<HighestScore>,
    /// `data.highestScoreSimilarity.receiver`.
    pub highest_receiver: Option<HighestScore>,
    /// Sender profiles as hits, best first.
    pub sender_hits: Vec<Hit>,
    /// Receiver profiles as hits, best first.
    pub receiver_hits: Vec<Hit>,
    /// `data.validationItem` (e.g. `NOT MATCH (Malaysia-Uzbekistan)`).
    pub validation_item: Option<String>,
    /// `responseCode` and `responseMessage`.
    pub response: (Option<String>, Option<String>),
    /// The whole answer.
    pub raw: Value,
}

struct Token {
    value: Secret,
    expires: Instant,
}

/// A BRI client; the access token is cached inside, behind a mutex (the client is `Sync`).
pub struct BriClient {
    http: HttpClient,
    client_id: Secret,
    client_secret: Secret,
    token_path: String,
    similarity_path: String,
    token: Mutex<Option<Token>>,
    clock: fn() -> SystemTime,
}

impl fmt::Debug for BriClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BriClient")
            .field("http", &self.http)
            .field("client_id", &self.client_id)
            .field("client_secret", &self.client_secret)
            .field("token_path", &self.token_path)
            .field("similarity_path", &self.similarity_path)
            .field("token", &self.token.lock().map(|t| t.is_some()).unwrap_or(false).then_some("Secret(***)"))
            .finish()
    }
}

impl BriClient {
    /// A client from settings; fails when a credential is missing or the base URL is not acceptable.
    pub fn new(config: &BriConfig, http: &HttpConfig) -> Result<Self, ProviderError> {
        let client_id = require(PROVIDER, &config.client_id, "SARING_BRI_CLIENT_ID", "bri.client_id")?;
        let client_secret = require(PROVIDER, &config.client_secret, "SARING_BRI_CLIENT_SECRET", "bri.client_secret")?;
        let base = BaseUrl::parse(PROVIDER, &config.base_url)?;
        super::http::check_path(PROVIDER, &config.token_path)?;
        super::http::check_path(PROVIDER, &config.similarity_path)?;
        if config.token_path.contains('?') || config.similarity_path.contains('?') {
            return Err(ProviderError::Config {
                provider: PROVIDER,
                reason: "paths may not carry a query string".into(),
            });
        }
        let http = HttpClient::new(PROVIDER, base, http.clone(), vec![client_id.clone(), client_secret.clone()]);
        Ok(BriClient {
            http,
            client_id,
            client_secret,
            token_path: config.token_path.clone(),
            similarity_path: config.similarity_path.clone(),
            token: Mutex::new(None),
            clock: SystemTime::now,
        })
    }

    /// Uses another clock for `BRI-Timestamp` (tests).
    pub fn with_clock(mut self, clock: fn() -> SystemTime) -> Self {
        self.clock = clock;
        self
    }

    /// The cached token, or a new one.
    fn token(&self) -> Result<Secret, ProviderError> {
        if let Ok(guard) = self.token.lock() {
            if let Some(t) = guard.as_ref().filter(|t| t.expires > Instant::now()) {
                return Ok(t.value.clone());
            }
        }
        let body = format!(
            "client_id={}&client_secret={}",
            encode_form_value(self.client_id.expose()),
            encode_form_value(self.client_secret.expose())
        );
        let req = Request {
            method: "POST",
            path: format!("{}?grant_type=client_credentials", self.token_path),
            headers: vec![("Accept".into(), "application/json".into())],
            body: Some(("application/x-www-form-urlencoded", body.into_bytes())),
            retry: Retry::Safe,
        };
        let resp = self.http.send(&req)?;
        if !resp.is_success() {
            return Err(self.error_of(&resp));
        }
        let v: Value = resp.json(PROVIDER)?;
        let token =
            json_str(v.get("access_token")).filter(|t| !t.is_empty()).ok_or_else(|| ProviderError::MalformedJson {
                provider: PROVIDER,
                endpoint: resp.endpoint.clone(),
                status: resp.status,
                reason: "no access_token".into(),
            })?;
        let lifetime = json_f64(v.get("expires_in")).filter(|s| *s > 0.0).unwrap_or(300.0).min(86_400.0);
        // Refresh a little early: 10 % of the lifetime, at most a minute.
        let margin = (lifetime * 0.1).min(60.0);
        let secret = Secret::new(token);
        self.http.add_secret(secret.clone());
        if let Ok(mut guard) = self.token.lock() {
            *guard = Some(Token {
                value: secret.clone(),
                expires: Instant::now() + Duration::from_secs_f64(lifetime - margin),
            });
        }
        Ok(secret)
    }

    fn drop_token(&self) {
        if let Ok(mut guard) = self.token.lock() {
            *guard = None;
        }
    }

    fn error_of(&self, resp: &Response) -> ProviderError {
        let body = resp.json_lenient();
        let field = |k: &str| body.as_ref().and_then(|b| json_str(b.get(k))).filter(|s| !s.is_empty());
        let code = field("errorCode").or_else(|| field("responseCode").filter(|c| c.len() == 3));
        match code {
            Some(code) => ProviderError::Bri {
                status: resp.status,
                code: BriErrorCode::parse(&code),
                message: self.http.scrub(&field("responseMessage").unwrap_or_default()),
            },
            None => ProviderError::UnexpectedStatus {
                provider: PROVIDER,
                endpoint: resp.endpoint.clone(),
                status: resp.status,
            },
        }
    }

    /// Sends a prescreening request (refreshing the token once on 401 020–022) and maps the answer.
    pub fn similarity(&self, request: &SimilarityRequest) -> Result<SimilarityAnswer, ProviderError> {
        if request.sender_name.trim().is_empty() {
            return Err(ProviderError::InvalidRequest { provider: PROVIDER, reason: "senderName is required".into() });
        }
        if !request.threshold.is_finite() || !(0.0..=100.0).contains(&request.threshold) {
            return Err(ProviderError::InvalidRequest {
                provider: PROVIDER,
                reason: "threshold must be in 0–100".into(),
            });
        }
        let body = serde_json::to_vec(request)
            .map_err(|e| ProviderError::InvalidRequest { provider: PROVIDER, reason: e.to_string() })?;
        let mut refreshed = false;
        loop {
            let token = self.token()?;
            let resp = self.send_similarity(&token, &body)?;
            let status = resp.status;
            let err = if resp.is_success() { self.answer_error(&resp) } else { Some(self.error_of(&resp)) };
            match err {
                None => return self.map_answer(&resp, request.threshold),
                Some(e) => {
                    let auth = status == 401
                        && match &e {
                            ProviderError::Bri { code, .. } => code.is_auth(),
                            ProviderError::UnexpectedStatus { .. } => true,
                            _ => false,
                        };
                    if auth && !refreshed {
                        refreshed = true;
                        self.drop_token();
                        continue;
                    }
                    return Err(e);
                }
            }
        }
    }

    fn send_similarity(&self, token: &Secret, body: &[u8]) -> Result<Response, ProviderError> {
        let timestamp = utc_timestamp_millis((self.clock)());
        let wire_path = self.http.base().wire_path(&self.similarity_path);
        let sig =
            signature(self.client_secret.expose().as_bytes(), &wire_path, "POST", token.expose(), &timestamp, body);
        let req = Request::post_json(self.similarity_path.clone(), body.to_vec())
            .header("Authorization", format!("Bearer {}", token.expose()))
            .header("BRI-Timestamp", timestamp)
            .header("BRI-Signature", sig)
            .header("Accept", "application/json");
        self.http.send(&req)
    }

    /// An error carried in a 2xx answer (a code of the error table in `errorCode`).
    fn answer_error(&self, resp: &Response) -> Option<ProviderError> {
        let v = resp.json_lenient()?;
        let code = json_str(v.get("errorCode")).filter(|c| !c.is_empty())?;
        let parsed = BriErrorCode::parse(&code);
        if matches!(parsed, BriErrorCode::Other(_)) {
            return None;
        }
        Some(ProviderError::Bri {
            status: resp.status,
            code: parsed,
            message: self.http.scrub(&json_str(v.get("responseMessage")).unwrap_or_default()),
        })
    }

    fn map_answer(&self, resp: &Response, threshold: f64) -> Result<SimilarityAnswer, ProviderError> {
        let raw: Value = resp.json(PROVIDER)?;
        let malformed = |reason: &str| ProviderError::MalformedJson {
            provider: PROVIDER,
            endpoint: resp.endpoint.clone(),
            status: resp.status,
            reason: reason.to_string(),
        };
        let data = raw.get("data").filter(|d| d.is_object()).ok_or_else(|| malformed("no data object"))?;
        let s = |k: &str| json_str(data.get(k)).filter(|v| !v.is_empty());
        let highest = |side: &str| -> Option<HighestScore> {
            let h = data.get("highestScoreSimilarity")?.get(side)?;
            Some(HighestScore { profile_id: json_str(h.get("profileId"))?, score: json_f64(h.get("score"))? })
        };
        let highest_sender = highest("sender");
        let highest_receiver = highest("receiver");
        let thresholds = Thresholds::default();
        let side_hits = |side: &str, best: &Option<HighestScore>| -> Result<Vec<Hit>, ProviderError> {
            let Some(info) = data.get("dataInformation") else { return Ok(Vec::new()) };
            let profiles = match info.get(side) {
                None | Some(Value::Null) => return Ok(Vec::new()),
                Some(Value::Array(a)) => a,
                Some(_) => return Err(malformed(&format!("dataInformation.{side} is not an array"))),
            };
            let mut hits = Vec::new();
            for p in profiles {
                if !p.is_object() {
                    return Err(malformed(&format!("dataInformation.{side}[] holds a non-object")));
                }
                hits.push(profile_hit(p, best, threshold, &thresholds));
            }
            hits.sort_by(|a, b| b.score.total_cmp(&a.score));
            Ok(hits)
        };
        Ok(SimilarityAnswer {
            status_prescreening: (s("statusPrescreeningCode"), s("statusPrescreeningDesc")),
            prescreening_message: (s("prescreeningMessageCode"), s("prescreeningMessageDesc")),
            status_dowjones_data: (s("statusDowjonesDataCode"), s("statusDowjonesDataDesc")),
            sender_hits: side_hits("sender", &highest_sender)?,
            receiver_hits: side_hits("receiver", &highest_receiver)?,
            highest_sender,
            highest_receiver,
            validation_item: s("validationItem"),
            response: (json_str(raw.get("responseCode")), json_str(raw.get("responseMessage"))),
            raw,
        })
    }
}

fn profile_hit(p: &Value, best: &Option<HighestScore>, threshold: f64, thresholds: &Thresholds) -> Hit {
    let id = json_str(p.get("profileId")).unwrap_or_default();
    let score = json_f64(p.get("score"))
        .or_else(|| json_f64(p.get("scoreSimilarity")))
        .or_else(|| best.as_ref().filter(|b| b.profile_id == id).map(|b| b.score))
        .unwrap_or(threshold);
    let mut hit = empty_hit(id, Publisher::DowJones, score, thresholds);
    let name = parse_full_name(&json_str(p.get("fullName")).unwrap_or_default());
    if !name.is_empty() {
        hit.names = vec![name.clone()];
    }
    hit.matched_name = name;
    let mut lists: Vec<String> = Vec::new();
    match p.get("watchlist") {
        Some(Value::Array(entries)) => {
            for e in entries {
                if let Some(w) = json_str(e.get("watchlist")).or_else(|| json_str(Some(e))) {
                    lists.push(w);
                }
            }
        }
        Some(v) => lists.extend(json_str(Some(v))),
        None => {}
    }
    lists.retain(|l| !l.is_empty());
    lists.dedup();
    hit.list = lists.join("; ");
    for key in ["citizenship", "nationality", "country"] {
        hit.nationalities.extend(json_strings(p.get(key)));
    }
    if let Some(dob) = json_str(p.get("dateOfBirth")).and_then(|d| d.get(..10).unwrap_or(&d).parse().ok()) {
        hit.dates_of_birth.push(dob);
    }
    hit.entity_hash = record_hash(p);
    hit.record_data = p.into();
    hit
}

impl Provider for BriClient {
    fn name(&self) -> &'static str {
        PROVIDER
    }

    /// The query's name is sent as `senderName` (with its nationality and date of birth); the sender
    /// profiles are the hits. The threshold is the query's `score_threshold`, else its lower threshold.
    fn screen(&self, query: &Query) -> Result<ProviderAnswer, ProviderError> {
        let thresholds = query_thresholds(query);
        let req = SimilarityRequest {
            sender_name: query_full_name(query),
            sender_citizenship: query.nationality.clone(),
            sender_date_of_birth: query.date_of_birth.clone(),
            threshold: query.score_threshold.unwrap_or(thresholds.lower),
            ..Default::default()
        };
        let answer = self.similarity(&req)?;
        let mut hits = answer.sender_hits;
        for h in &mut hits {
            h.decision = thresholds.decide(h.score);
        }
        let verdict = match (&answer.prescreening_message.0, &answer.prescreening_message.1) {
            (Some(c), Some(d)) => Some(format!("{c} {d}")),
            (Some(c), None) => Some(c.clone()),
            _ => answer.validation_item.clone(),
        };
        Ok(ProviderAnswer {
            provider: PROVIDER.into(),
            decision: Some(hits.iter().map(|h| h.decision).max().unwrap_or(Decision::NotMatch)),
            verdict,
            hits,
            raw: answer.raw,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_table_is_complete() {
        let table = [
            ("010", 400),
            ("011", 400),
            ("012", 400),
            ("013", 400),
            ("014", 400),
            ("015", 400),
            ("016", 400),
            ("017", 400),
            ("020", 401),
            ("021", 401),
            ("022", 401),
            ("030", 408),
            ("050", 500),
            ("059", 500),
            ("888", 500),
            ("999", 500),
        ];
        for (code, status) in table {
            let c = BriErrorCode::parse(code);
            assert!(!matches!(c, BriErrorCode::Other(_)), "{code}");
            assert_eq!(c.code(), code);
            assert_eq!(c.http_status(), Some(status), "{code}");
            assert_eq!(c.is_auth(), status == 401);
        }
        assert_eq!(BriErrorCode::parse("10"), BriErrorCode::MandatoryFieldMissing);
        assert_eq!(BriErrorCode::parse("0401"), BriErrorCode::Other("0401".into()));
    }

    #[test]
    fn full_name_edge_cases() {
        assert_eq!(parse_full_name(""), "");
        assert_eq!(parse_full_name("'unterminated"), "'unterminated");
        assert_eq!(parse_full_name("'a':2 'b'"), "A B");
        assert_eq!(parse_full_name("'müller':1"), "Müller");
    }

    #[test]
    fn signature_vector() {
        // python3 -c "import hmac,hashlib,base64;print(base64.b64encode(hmac.new(b'secret',
        //   b'path=/v1.0/aml/similarity&verb=POST&token=Bearer tok&timestamp=2024-01-02T03:04:05.006Z&body={}',
        //   hashlib.sha256).digest()).decode())"
        let s = signature(b"secret", "/v1.0/aml/similarity", "POST", "tok", "2024-01-02T03:04:05.006Z", b"{}");
        assert_eq!(s, "/52yYYhOFIvqydJieD6Rtwu+AMOoaSj6I2Don0krxlo=");
    }
}
