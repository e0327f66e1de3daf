//! Iluma: CFT screening (individuals and entities), bank account name validation (v2.1) and KTP validation.
//!
//! Authentication is HTTP Basic with the API key as user name and an empty password. Error answers carry
//! `error_code` and `message` and become [`ProviderError::Iluma`] with a typed [`IlumaErrorCode`].
//!
//! Retries: every Iluma call here is a POST that creates a (billed) data request, so none is retried after
//! it may have reached Iluma — except on HTTP 429 `RATE_LIMIT_EXCEEDED`, which Iluma rejects before
//! processing and asks to back off from exponentially (the HTTP layer does so). Polling a bank account
//! validation is a GET and is retried on any retryable failure.
//!
//! CFT results map onto [`Hit`]: `list`, `names`, `score` (integer 0–100), `publisher`, `nationalities`,
//! `dates_of_birth` (or `dates_of_registration` for entities, `{y, m, d}` with 0 for unknown parts), and
//! the whole result object as `record_data`. Iluma does not say which name matched: `matched_name` is the
//! name closest to the query by saring's own name comparison.

use super::config::{require, IlumaConfig};
use super::http::{encode_segment, BaseUrl, HttpClient, HttpConfig, Request, Response};
use super::{
    empty_hit, json_f64, json_str, json_strings, query_full_name, query_thresholds, record_hash, Provider,
    ProviderAnswer, ProviderError,
};
use crate::model::{EntityKind, PartialDate, Publisher};
use crate::screen::{Hit, Query};
use crate::{Decision, Thresholds};
use base64::Engine as _;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::fmt;
use std::time::Duration;

const PROVIDER: &str = "iluma";
const CFT_INDIVIDUAL: &str = "/v2/identity/cft/individual_data_requests";
const CFT_ENTITY: &str = "/v2/identity/cft/entity_data_requests";
const BANK_ACCOUNT: &str = "/v2.1/identity/bank_account_data_requests";
const KTP: &str = "/v2/identity/ktp_data_requests";

/// Iluma's error codes, typed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum IlumaErrorCode {
    /// `RATE_LIMIT_EXCEEDED`: too many requests; back off exponentially.
    RateLimitExceeded,
    /// `UNSUPPORTED_BANK_CODE_ERROR`: the bank code is not supported.
    UnsupportedBankCode,
    /// `BANK_ACCOUNT_NUMBER_VALIDATION_ERROR`: the account number is malformed for that bank.
    BankAccountNumberValidation,
    /// `INVALID_API_KEY`: the API key is wrong or revoked.
    InvalidApiKey,
    /// `API_VALIDATION_ERROR`: a request field is missing or invalid.
    ApiValidation,
    /// `DATA_NOT_FOUND`: no such request id.
    DataNotFound,
    /// Any other code, as written.
    Other(String),
}

impl IlumaErrorCode {
    /// Parses a code as Iluma writes it.
    pub fn parse(code: &str) -> Self {
        match code {
            "RATE_LIMIT_EXCEEDED" => IlumaErrorCode::RateLimitExceeded,
            "UNSUPPORTED_BANK_CODE_ERROR" => IlumaErrorCode::UnsupportedBankCode,
            "BANK_ACCOUNT_NUMBER_VALIDATION_ERROR" => IlumaErrorCode::BankAccountNumberValidation,
            "INVALID_API_KEY" => IlumaErrorCode::InvalidApiKey,
            "API_VALIDATION_ERROR" => IlumaErrorCode::ApiValidation,
            "DATA_NOT_FOUND" => IlumaErrorCode::DataNotFound,
            other => IlumaErrorCode::Other(other.to_string()),
        }
    }

    /// The code as Iluma writes it.
    pub fn as_str(&self) -> &str {
        match self {
            IlumaErrorCode::RateLimitExceeded => "RATE_LIMIT_EXCEEDED",
            IlumaErrorCode::UnsupportedBankCode => "UNSUPPORTED_BANK_CODE_ERROR",
            IlumaErrorCode::BankAccountNumberValidation => "BANK_ACCOUNT_NUMBER_VALIDATION_ERROR",
            IlumaErrorCode::InvalidApiKey => "INVALID_API_KEY",
            IlumaErrorCode::ApiValidation => "API_VALIDATION_ERROR",
            IlumaErrorCode::DataNotFound => "DATA_NOT_FOUND",
            IlumaErrorCode::Other(s) => s,
        }
    }
}

impl fmt::Display for IlumaErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A CFT screening request for an individual (`POST /v2/identity/cft/individual_data_requests`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct CftIndividualRequest {
    /// Required.
    pub given_name: String,
    /// Optional.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub middle_name: Option<String>,
    /// Optional.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub surname: Option<String>,
    /// ISO alpha-2.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nationality: Option<String>,
    /// Addresses (strings or Iluma address objects).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub addresses: Vec<Value>,
    /// `YYYY-MM-DD`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date_of_birth: Option<String>,
    /// Optional.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone_number: Option<String>,
    /// Optional.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Any of UNSCR, OFAC, PPATK, MAS, EC.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub publishers: Vec<Publisher>,
    /// Required: results below this score are not returned.
    pub score_threshold: f64,
}

/// A CFT screening request for an entity (`POST /v2/identity/cft/entity_data_requests`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct CftEntityRequest {
    /// Required.
    pub business_name: String,
    /// ISO alpha-2.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub business_domicile: Option<String>,
    /// Addresses (strings or Iluma address objects).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub addresses: Vec<Value>,
    /// `YYYY-MM-DD`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date_of_registration: Option<String>,
    /// Any of UNSCR, OFAC, PPATK, MAS, EC.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub publishers: Vec<Publisher>,
    /// Required.
    pub score_threshold: f64,
}

/// The publishers Iluma screens against.
pub const ILUMA_PUBLISHERS: [Publisher; 5] =
    [Publisher::Unscr, Publisher::Ofac, Publisher::Ppatk, Publisher::Mas, Publisher::Ec];

/// A bank account name validation request (v2.1).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BankAccountRequest {
    /// Account number.
    pub bank_account_number: String,
    /// Iluma bank code (`BCA`, `BRI`, ...).
    pub bank_code: String,
    /// Account holder's given name.
    pub given_name: String,
    /// Account holder's surname.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub surname: Option<String>,
    /// Caller's reference.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reference_id: Option<String>,
    /// MATCH threshold (default 80).
    pub upper_threshold: f64,
    /// NOT_MATCH threshold (default 40).
    pub lower_threshold: f64,
}

/// The final state of a bank account validation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum BankValidationStatus {
    /// Iluma finished; see the result fields.
    Completed,
    /// Iluma could not finish; see `failure_reason`.
    Failed,
}

/// The outcome of a bank account name validation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BankAccountValidation {
    /// Iluma's request id.
    pub id: String,
    /// COMPLETED or FAILED.
    pub status: BankValidationStatus,
    /// Whether the account exists.
    pub is_found: Option<bool>,
    /// MATCH / UNCLEAR / NOT_MATCH of the holder's name.
    pub name_matching_result: Option<Decision>,
    /// Whether it is a virtual account.
    pub is_virtual_account: Option<bool>,
    /// Whether Iluma advises a manual review.
    pub need_review: Option<bool>,
    /// Why it FAILED (`TEMPORARY_NETWORK_ERROR`, ...).
    pub failure_reason: Option<String>,
    /// Number of GET polls made after the POST.
    pub polls: u32,
    /// The last raw answer.
    pub raw: Value,
}

/// A KTP (Indonesian identity card) validation request.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct KtpRequest {
    /// NIK: 16 digits.
    pub nik: String,
    /// Name on the card.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Place of birth.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub birthplace: Option<String>,
    /// `YYYY-MM-DD`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub birthdate: Option<String>,
    /// Address.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
}

/// The outcome of a KTP validation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KtpValidation {
    /// Iluma's request id, if given.
    pub id: Option<String>,
    /// `FOUND`, `NOT_FOUND` (or another status as written).
    pub status: String,
    /// True when `status` is `FOUND`.
    pub is_found: bool,
    /// Every `*_match` field (`name_match`, `birthdate_match`, ...), as Iluma gives it.
    pub matches: BTreeMap<String, Value>,
    /// The raw answer.
    pub raw: Value,
}

/// An Iluma client.
#[derive(Debug, Clone)]
pub struct IlumaClient {
    http: HttpClient,
    auth: super::http::Secret,
    max_polls: u32,
    poll_base: Duration,
}

impl IlumaClient {
    /// A client from settings; fails when the API key is missing or the base URL is not acceptable.
    pub fn new(config: &IlumaConfig, http: &HttpConfig) -> Result<Self, ProviderError> {
        let key = require(PROVIDER, &config.api_key, "SARING_ILUMA_API_KEY", "iluma.api_key")?;
        let base = BaseUrl::parse(PROVIDER, &config.base_url)?;
        let encoded = base64::engine::general_purpose::STANDARD.encode(format!("{}:", key.expose()));
        let auth = super::http::Secret::new(format!("Basic {encoded}"));
        let http = HttpClient::new(PROVIDER, base, http.clone(), vec![key, auth.clone()]);
        Ok(IlumaClient {
            http,
            auth,
            max_polls: config.max_polls,
            poll_base: Duration::from_millis(config.poll_base_ms),
        })
    }

    fn send(&self, req: Request) -> Result<Response, ProviderError> {
        let req = req.header("Authorization", self.auth.expose()).header("Accept", "application/json");
        let resp = self.http.send(&req)?;
        if resp.is_success() {
            return Ok(resp);
        }
        Err(self.error_of(&resp))
    }

    fn error_of(&self, resp: &Response) -> ProviderError {
        let body = resp.json_lenient();
        let code = body.as_ref().and_then(|b| json_str(b.get("error_code")));
        match code {
            Some(code) => ProviderError::Iluma {
                status: resp.status,
                code: IlumaErrorCode::parse(&code),
                message: self.http.scrub(&body.as_ref().and_then(|b| json_str(b.get("message"))).unwrap_or_default()),
            },
            None if resp.status == 429 => {
                ProviderError::Iluma { status: 429, code: IlumaErrorCode::RateLimitExceeded, message: String::new() }
            }
            None => ProviderError::UnexpectedStatus {
                provider: PROVIDER,
                endpoint: resp.endpoint.clone(),
                status: resp.status,
            },
        }
    }

    fn post_json<T: Serialize>(&self, path: &str, body: &T) -> Result<Value, ProviderError> {
        let bytes = serde_json::to_vec(body)
            .map_err(|e| ProviderError::InvalidRequest { provider: PROVIDER, reason: e.to_string() })?;
        let resp = self.send(Request::post_json(path, bytes))?;
        resp.json(PROVIDER)
    }

    /// Screens an individual; results mapped onto [`Hit`]s with decisions under `thresholds`.
    pub fn screen_individual(
        &self,
        request: &CftIndividualRequest,
        thresholds: &Thresholds,
    ) -> Result<(Vec<Hit>, Value), ProviderError> {
        if request.given_name.trim().is_empty() {
            return Err(ProviderError::InvalidRequest { provider: PROVIDER, reason: "given_name is required".into() });
        }
        check_publishers(&request.publishers)?;
        let raw = self.post_json(CFT_INDIVIDUAL, request)?;
        let query_name = [Some(&request.given_name), request.middle_name.as_ref(), request.surname.as_ref()]
            .into_iter()
            .flatten()
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        let hits = map_cft_results(&raw, EntityKind::Individual, &query_name, thresholds, CFT_INDIVIDUAL)?;
        Ok((hits, raw))
    }

    /// Screens an entity; results mapped onto [`Hit`]s with decisions under `thresholds`.
    pub fn screen_entity(
        &self,
        request: &CftEntityRequest,
        thresholds: &Thresholds,
    ) -> Result<(Vec<Hit>, Value), ProviderError> {
        if request.business_name.trim().is_empty() {
            return Err(ProviderError::InvalidRequest {
                provider: PROVIDER,
                reason: "business_name is required".into(),
            });
        }
        check_publishers(&request.publishers)?;
        let raw = self.post_json(CFT_ENTITY, request)?;
        let hits = map_cft_results(&raw, EntityKind::Entity, request.business_name.trim(), thresholds, CFT_ENTITY)?;
        Ok((hits, raw))
    }

    /// Validates a bank account holder's name: POST, then poll the GET endpoint with exponential backoff
    /// (`poll_base_ms`, doubling, at most 8 s) while the answer is `PENDING`.
    pub fn validate_bank_account(&self, request: &BankAccountRequest) -> Result<BankAccountValidation, ProviderError> {
        Thresholds::new(request.upper_threshold, request.lower_threshold)
            .map_err(|e| ProviderError::InvalidRequest { provider: PROVIDER, reason: e.to_string() })?;
        let mut raw = self.post_json(BANK_ACCOUNT, request)?;
        let mut polls = 0u32;
        loop {
            let status = json_str(raw.get("status")).unwrap_or_default();
            match status.as_str() {
                "COMPLETED" | "FAILED" => return bank_validation(raw, polls),
                "PENDING" | "IN_PROGRESS" => {}
                other => {
                    return Err(ProviderError::MalformedJson {
                        provider: PROVIDER,
                        endpoint: format!("GET {BANK_ACCOUNT}/{{id}}"),
                        status: 200,
                        reason: format!("unknown status {:?}", self.http.scrub(other)),
                    })
                }
            }
            let id = json_str(raw.get("id")).filter(|s| !s.is_empty()).ok_or_else(|| ProviderError::MalformedJson {
                provider: PROVIDER,
                endpoint: format!("POST {BANK_ACCOUNT}"),
                status: 200,
                reason: "PENDING answer without an id".into(),
            })?;
            if polls >= self.max_polls {
                return Err(ProviderError::PollExhausted {
                    provider: PROVIDER,
                    endpoint: format!("GET {BANK_ACCOUNT}/{{id}}"),
                    state: status,
                    attempts: polls,
                });
            }
            let factor = 1u32.checked_shl(polls.min(16)).unwrap_or(u32::MAX);
            (self.http.config().sleep)(self.poll_base.saturating_mul(factor).min(Duration::from_secs(8)));
            polls += 1;
            let resp = self.send(Request::get(format!("{BANK_ACCOUNT}/{}", encode_segment(&id))))?;
            raw = resp.json(PROVIDER)?;
        }
    }

    /// Validates a KTP (NIK of 16 digits, plus any of name, birthplace, birthdate, address).
    pub fn validate_ktp(&self, request: &KtpRequest) -> Result<KtpValidation, ProviderError> {
        if request.nik.len() != 16 || !request.nik.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ProviderError::InvalidRequest { provider: PROVIDER, reason: "nik must be 16 digits".into() });
        }
        let raw = self.post_json(KTP, request)?;
        let status = json_str(raw.get("status")).ok_or_else(|| ProviderError::MalformedJson {
            provider: PROVIDER,
            endpoint: format!("POST {KTP}"),
            status: 200,
            reason: "no status".into(),
        })?;
        let mut matches = BTreeMap::new();
        for obj in [Some(&raw), raw.get("result")].into_iter().flatten() {
            if let Some(map) = obj.as_object() {
                for (k, v) in map {
                    if k.ends_with("_match") {
                        matches.insert(k.clone(), v.clone());
                    }
                }
            }
        }
        Ok(KtpValidation { id: json_str(raw.get("id")), is_found: status == "FOUND", status, matches, raw })
    }
}

fn check_publishers(publishers: &[Publisher]) -> Result<(), ProviderError> {
    if let Some(p) = publishers.iter().find(|p| !ILUMA_PUBLISHERS.contains(p)) {
        return Err(ProviderError::InvalidRequest {
            provider: PROVIDER,
            reason: format!("Iluma does not screen against {p}; use UNSCR, OFAC, PPATK, MAS or EC"),
        });
    }
    Ok(())
}

fn bank_validation(raw: Value, polls: u32) -> Result<BankAccountValidation, ProviderError> {
    let status = if json_str(raw.get("status")).as_deref() == Some("COMPLETED") {
        BankValidationStatus::Completed
    } else {
        BankValidationStatus::Failed
    };
    let result = raw.get("result").filter(|v| v.is_object()).unwrap_or(&raw);
    let decision = match json_str(result.get("name_matching_result")).as_deref() {
        None => None,
        Some("MATCH") => Some(Decision::Match),
        Some("UNCLEAR") => Some(Decision::Unclear),
        Some("NOT_MATCH") => Some(Decision::NotMatch),
        Some(other) => {
            return Err(ProviderError::MalformedJson {
                provider: PROVIDER,
                endpoint: format!("GET {BANK_ACCOUNT}/{{id}}"),
                status: 200,
                reason: format!("unknown name_matching_result {other:?}"),
            })
        }
    };
    if status == BankValidationStatus::Completed && result.get("is_found").is_none() {
        return Err(ProviderError::MalformedJson {
            provider: PROVIDER,
            endpoint: format!("GET {BANK_ACCOUNT}/{{id}}"),
            status: 200,
            reason: "COMPLETED answer without result.is_found".into(),
        });
    }
    Ok(BankAccountValidation {
        id: json_str(raw.get("id")).unwrap_or_default(),
        status,
        is_found: result.get("is_found").and_then(Value::as_bool),
        name_matching_result: decision,
        is_virtual_account: result.get("is_virtual_account").and_then(Value::as_bool),
        need_review: result.get("need_review").and_then(Value::as_bool),
        failure_reason: json_str(raw.get("failure_reason")).or_else(|| json_str(result.get("failure_reason"))),
        polls,
        raw,
    })
}

/// `{y, m, d}` objects (0 for unknown parts) to dates; invalid or empty ones are skipped.
pub(crate) fn ymd_dates(v: Option<&Value>) -> Vec<PartialDate> {
    let Some(Value::Array(items)) = v else { return Vec::new() };
    items
        .iter()
        .filter_map(|d| {
            let part = |k: &str| d.get(k).and_then(Value::as_u64).unwrap_or(0);
            let (y, m, dd) = (part("y"), part("m"), part("d"));
            if y > 9999 || m > 12 || dd > 31 {
                return None;
            }
            PartialDate::new(y as u16, m as u8, dd as u8).ok().filter(|p| !p.is_empty())
        })
        .collect()
}

/// Maps a CFT answer's `results[]` onto hits.
fn map_cft_results(
    raw: &Value,
    kind: EntityKind,
    query_name: &str,
    thresholds: &Thresholds,
    path: &str,
) -> Result<Vec<Hit>, ProviderError> {
    let malformed = |reason: String| ProviderError::MalformedJson {
        provider: PROVIDER,
        endpoint: format!("POST {path}"),
        status: 200,
        reason,
    };
    let results = match raw.get("results") {
        Some(Value::Array(a)) => a,
        Some(Value::Null) | None if json_str(raw.get("status")).as_deref() == Some("COMPLETED") => {
            return Ok(Vec::new())
        }
        _ => return Err(malformed("no results array".into())),
    };
    let query = crate::analyze(query_name, crate::NameKind::default());
    let mut hits = Vec::with_capacity(results.len());
    for (i, r) in results.iter().enumerate() {
        if !r.is_object() {
            return Err(malformed(format!("results[{i}] is not an object")));
        }
        let score = json_f64(r.get("score")).ok_or_else(|| malformed(format!("results[{i}].score missing")))?;
        let publisher = json_str(r.get("publisher")).and_then(|p| p.parse().ok()).unwrap_or(Publisher::Custom);
        let names = json_strings(r.get("names"));
        let list = json_str(r.get("list")).unwrap_or_default();
        let record = r.get("record_data").cloned().unwrap_or(Value::Null);
        let id = json_str(r.get("id"))
            .or_else(|| ["id", "dataid", "reference_number", "uid"].iter().find_map(|k| json_str(record.get(*k))))
            .unwrap_or_else(|| format!("iluma:{publisher}:{list}:{}", names.first().map(String::as_str).unwrap_or("")));
        let mut hit = empty_hit(id, publisher, score, thresholds);
        hit.kind = kind;
        hit.list = list;
        hit.matched_name = names
            .iter()
            .map(|n| {
                let s =
                    crate::compare_names(&query, &crate::analyze(n, crate::NameKind::default()), &Default::default());
                (s.score, n)
            })
            .fold(None::<(f64, &String)>, |best, c| match best {
                Some(b) if b.0 >= c.0 => Some(b),
                _ => Some(c),
            })
            .map(|(_, n)| n.clone())
            .unwrap_or_default();
        hit.names = names;
        hit.nationalities = json_strings(r.get("nationalities"));
        hit.dates_of_birth = ymd_dates(r.get("dates_of_birth").or_else(|| r.get("dates_of_registration")));
        hit.entity_hash = record_hash(r);
        hit.record_data = r.into();
        hits.push(hit);
    }
    hits.sort_by(|a, b| b.score.total_cmp(&a.score));
    Ok(hits)
}

impl Provider for IlumaClient {
    fn name(&self) -> &'static str {
        PROVIDER
    }

    /// An entity query (`business_name`) goes to the entity endpoint, anything else to the individual one
    /// (a plain `name` is sent as `given_name`). Publishers Iluma does not cover are left out.
    fn screen(&self, query: &Query) -> Result<ProviderAnswer, ProviderError> {
        let thresholds = query_thresholds(query);
        let publishers: Vec<Publisher> =
            query.publishers.iter().copied().filter(|p| ILUMA_PUBLISHERS.contains(p)).collect();
        if !query.publishers.is_empty() && publishers.is_empty() {
            return Err(ProviderError::InvalidRequest {
                provider: PROVIDER,
                reason: "none of the requested publishers is screened by Iluma (UNSCR, OFAC, PPATK, MAS, EC)".into(),
            });
        }
        let score_threshold = query.score_threshold.unwrap_or(thresholds.lower);
        let addresses: Vec<Value> = query.addresses.iter().map(|a| json!(a)).collect();
        let (hits, raw) = if query.business_name.as_deref().is_some_and(|b| !b.trim().is_empty()) {
            let req = CftEntityRequest {
                business_name: query_full_name(query),
                business_domicile: query.business_domicile.clone(),
                addresses,
                date_of_registration: query.date_of_registration.clone(),
                publishers,
                score_threshold,
            };
            self.screen_entity(&req, &thresholds)?
        } else {
            let (given, middle, surname) = match query.given_name.as_deref().filter(|g| !g.trim().is_empty()) {
                Some(g) => (g.to_string(), query.middle_name.clone(), query.surname.clone()),
                None => (query_full_name(query), None, None),
            };
            let req = CftIndividualRequest {
                given_name: given,
                middle_name: middle,
                surname,
                nationality: query.nationality.clone(),
                addresses,
                date_of_birth: query.date_of_birth.clone(),
                publishers,
                score_threshold,
                ..Default::default()
            };
            self.screen_individual(&req, &thresholds)?
        };
        let decision = hits.iter().map(|h| h.decision).max();
        Ok(ProviderAnswer {
            provider: PROVIDER.into(),
            decision: Some(decision.unwrap_or(Decision::NotMatch)),
            verdict: json_str(raw.get("status")),
            hits,
            raw,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_skip_empty_and_invalid() {
        let v = json!([{"y": 1981, "m": 0, "d": 0}, {"y": 0, "m": 0, "d": 0}, {"y": 1999, "m": 2, "d": 30}, {"y": 1990, "m": 5, "d": 17}]);
        let d = ymd_dates(Some(&v));
        assert_eq!(d, vec![PartialDate { y: 1981, m: 0, d: 0 }, PartialDate { y: 1990, m: 5, d: 17 }]);
    }

    #[test]
    fn error_codes_round_trip() {
        for c in [
            "RATE_LIMIT_EXCEEDED",
            "UNSUPPORTED_BANK_CODE_ERROR",
            "BANK_ACCOUNT_NUMBER_VALIDATION_ERROR",
            "INVALID_API_KEY",
            "X",
        ] {
            assert_eq!(IlumaErrorCode::parse(c).as_str(), c);
        }
        assert_eq!(IlumaErrorCode::parse("INVALID_API_KEY"), IlumaErrorCode::InvalidApiKey);
    }
}
