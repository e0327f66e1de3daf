//! KryptoGO: due-diligence tasks (KYC/KYB), their 0–100 potential risk in five bands, and blockchain
//! address risk (KYA).
//!
//! Authentication is an API key in a header whose name KryptoGO does not publish: `X-API-KEY` by default,
//! configurable (`kryptogo.api_key_header`). The task paths are configurable too.
//!
//! Flow: `POST` a task (`search_setting_id`, `target` of type `KYC` or `KYB`, `search_source` codes —
//! 0 negative news, 1 Dow Jones, 2 Taiwan company, 3 Taiwan verdict, 4 sanction list —,
//! `customer_reference`), then `GET` its detail, polled with backoff while its `status` is pending or
//! processing. The detail's `potential_risk` becomes a [`RiskBand`] (0–24 low, 25–49 low-medium, 50–74
//! medium, 75–99 high, 100 very high), `sanction_matched` is kept, and each `result` entry becomes a
//! [`Hit`] whose score is the entry's own `score` if it has one, else the task's `potential_risk` (a risk
//! rating, not a name similarity: compare with care).
//!
//! Retries: creating a task and `POST /kya` are not documented as idempotent and are not retried once they
//! may have reached KryptoGO; reading a task is a GET and is.
//!
//! Answers may be wrapped as `{"code": 0, "data": {...}}`; a non-zero `code` is an error.

use super::config::{check_header_name, require, KryptoGoConfig};
use super::http::{check_path, encode_segment, BaseUrl, HttpClient, HttpConfig, Request, Response, Secret};
use super::{
    empty_hit, json_f64, json_str, json_strings, query_full_name, query_thresholds, record_hash, Provider,
    ProviderAnswer, ProviderError,
};
use crate::model::{EntityKind, Publisher};
use crate::screen::{Hit, Query};
use crate::{Decision, Thresholds};
use serde::{Deserialize, Serialize, Serializer};
use serde_json::Value;
use std::fmt;
use std::time::Duration;

const PROVIDER: &str = "kryptogo";

/// KryptoGO's five KYC risk bands of the 0–100 `potential_risk`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RiskBand {
    /// 0–24.
    Low,
    /// 25–49.
    LowMedium,
    /// 50–74.
    Medium,
    /// 75–99.
    High,
    /// 100.
    VeryHigh,
}

impl RiskBand {
    /// The band of a 0–100 risk; `None` outside 0–100.
    ///
    /// ```
    /// use saring::providers::RiskBand;
    /// assert_eq!(RiskBand::of(0.0), Some(RiskBand::Low));
    /// assert_eq!(RiskBand::of(24.9), Some(RiskBand::Low));
    /// assert_eq!(RiskBand::of(25.0), Some(RiskBand::LowMedium));
    /// assert_eq!(RiskBand::of(74.0), Some(RiskBand::Medium));
    /// assert_eq!(RiskBand::of(99.0), Some(RiskBand::High));
    /// assert_eq!(RiskBand::of(100.0), Some(RiskBand::VeryHigh));
    /// assert_eq!(RiskBand::of(101.0), None);
    /// ```
    pub fn of(risk: f64) -> Option<RiskBand> {
        if !risk.is_finite() || !(0.0..=100.0).contains(&risk) {
            return None;
        }
        Some(if risk < 25.0 {
            RiskBand::Low
        } else if risk < 50.0 {
            RiskBand::LowMedium
        } else if risk < 75.0 {
            RiskBand::Medium
        } else if risk < 100.0 {
            RiskBand::High
        } else {
            RiskBand::VeryHigh
        })
    }

    /// `low`, `low-medium`, `medium`, `high`, `very high`.
    pub fn label(self) -> &'static str {
        match self {
            RiskBand::Low => "low",
            RiskBand::LowMedium => "low-medium",
            RiskBand::Medium => "medium",
            RiskBand::High => "high",
            RiskBand::VeryHigh => "very high",
        }
    }
}

impl fmt::Display for RiskBand {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// Where a due-diligence task searches (sent as its number).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(try_from = "u8")]
pub enum SearchSource {
    /// 0: negative news.
    NegativeNews = 0,
    /// 1: Dow Jones.
    DowJones = 1,
    /// 2: Taiwan company registry.
    TaiwanCompany = 2,
    /// 3: Taiwan court verdicts.
    TaiwanVerdict = 3,
    /// 4: sanction lists.
    SanctionList = 4,
}

impl TryFrom<u8> for SearchSource {
    type Error = String;
    fn try_from(v: u8) -> Result<Self, String> {
        Ok(match v {
            0 => SearchSource::NegativeNews,
            1 => SearchSource::DowJones,
            2 => SearchSource::TaiwanCompany,
            3 => SearchSource::TaiwanVerdict,
            4 => SearchSource::SanctionList,
            _ => return Err(format!("unknown search_source {v}")),
        })
    }
}

impl Serialize for SearchSource {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u8(*self as u8)
    }
}

/// KYC (a person) or KYB (a business).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TargetType {
    /// A person.
    #[serde(rename = "KYC")]
    Kyc,
    /// A business.
    #[serde(rename = "KYB")]
    Kyb,
}

/// Who a task is about.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Target {
    /// KYC or KYB.
    #[serde(rename = "type")]
    pub target_type: TargetType,
    /// Full name or business name.
    pub name: String,
    /// ISO alpha-2 nationality or domicile.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// Date of birth or of registration.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub birthday: Option<String>,
}

/// A due-diligence task to create.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaskRequest {
    /// Search setting configured in KryptoGO's console (default from the config).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub search_setting_id: Option<i64>,
    /// Who.
    pub target: Target,
    /// Where to search.
    pub search_source: Vec<SearchSource>,
    /// Caller's reference.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customer_reference: Option<String>,
}

/// A task's detail, mapped.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DueDiligence {
    /// Task id.
    pub task_id: String,
    /// Status as written (`completed`, ...).
    pub status: Option<String>,
    /// Whether a sanction list matched.
    pub sanction_matched: Option<bool>,
    /// 0–100.
    pub potential_risk: Option<f64>,
    /// The band of `potential_risk`.
    pub risk_band: Option<RiskBand>,
    /// `result` entries as hits.
    pub hits: Vec<Hit>,
    /// GET polls made.
    pub polls: u32,
    /// The detail's raw answer.
    pub raw: Value,
}

/// A blockchain address's risk (`POST /kya`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AddressRisk {
    /// The address.
    pub address: String,
    /// The chain.
    pub chain: String,
    /// Risk score, if given (`risk_score` or `score`).
    pub risk_score: Option<f64>,
    /// Risk level as written (`risk_level` or `level`).
    pub risk_level: Option<String>,
    /// The raw answer.
    pub raw: Value,
}

/// A KryptoGO client.
#[derive(Debug, Clone)]
pub struct KryptoGoClient {
    http: HttpClient,
    key: Secret,
    header: String,
    config: KryptoGoConfig,
}

impl KryptoGoClient {
    /// A client from settings; fails when the API key is missing or a setting is not acceptable.
    pub fn new(config: &KryptoGoConfig, http: &HttpConfig) -> Result<Self, ProviderError> {
        let key = require(PROVIDER, &config.api_key, "SARING_KRYPTOGO_API_KEY", "kryptogo.api_key")?;
        check_header_name(PROVIDER, &config.api_key_header)?;
        let base = BaseUrl::parse(PROVIDER, &config.base_url)?;
        for p in [&config.task_path, &config.task_detail_path, &config.kya_path] {
            check_path(PROVIDER, p)?;
        }
        if !config.task_detail_path.contains("{task_id}") {
            return Err(ProviderError::Config {
                provider: PROVIDER,
                reason: "task_detail_path must contain {task_id}".into(),
            });
        }
        let http = HttpClient::new(PROVIDER, base, http.clone(), vec![key.clone()]);
        Ok(KryptoGoClient { http, key, header: config.api_key_header.clone(), config: config.clone() })
    }

    fn call(&self, req: Request) -> Result<(Response, Value), ProviderError> {
        let req = req.header(self.header.clone(), self.key.expose()).header("Accept", "application/json");
        let resp = self.http.send(&req)?;
        if !resp.is_success() {
            let body = resp.json_lenient();
            return Err(match body.as_ref().and_then(|b| self.body_error(b, resp.status)) {
                Some(e) => e,
                None => ProviderError::KryptoGo {
                    status: resp.status,
                    code: resp.status.to_string(),
                    message: String::new(),
                },
            });
        }
        let v: Value = resp.json(PROVIDER)?;
        if let Some(e) = self.body_error(&v, resp.status) {
            return Err(e);
        }
        Ok((resp, v))
    }

    /// A `{code, message}` error in a body (`code` 0 or absent means success).
    fn body_error(&self, v: &Value, status: u16) -> Option<ProviderError> {
        let code = json_str(v.get("code")).or_else(|| json_str(v.get("error_code")))?;
        if code == "0" || code == "200" || code.eq_ignore_ascii_case("ok") {
            return None;
        }
        let message = json_str(v.get("message")).or_else(|| json_str(v.get("msg"))).unwrap_or_default();
        Some(ProviderError::KryptoGo { status, code, message: self.http.scrub(&message) })
    }

    /// Creates a task; returns its id.
    pub fn create_task(&self, request: &TaskRequest) -> Result<String, ProviderError> {
        if request.target.name.trim().is_empty() {
            return Err(ProviderError::InvalidRequest { provider: PROVIDER, reason: "target name is required".into() });
        }
        let mut request = request.clone();
        if request.search_setting_id.is_none() {
            request.search_setting_id = self.config.search_setting_id;
        }
        let body = serde_json::to_vec(&request)
            .map_err(|e| ProviderError::InvalidRequest { provider: PROVIDER, reason: e.to_string() })?;
        let (resp, v) = self.call(Request::post_json(self.config.task_path.clone(), body))?;
        let data = payload(&v);
        ["task_id", "id"]
            .iter()
            .find_map(|k| json_str(data.get(*k)).or_else(|| json_str(v.get(*k))))
            .filter(|s| !s.is_empty())
            .ok_or_else(|| ProviderError::MalformedJson {
                provider: PROVIDER,
                endpoint: resp.endpoint.clone(),
                status: resp.status,
                reason: "no task id".into(),
            })
    }

    /// Reads a task once.
    pub fn task(&self, task_id: &str) -> Result<DueDiligence, ProviderError> {
        self.task_polled(task_id, 0)
    }

    fn task_polled(&self, task_id: &str, polls: u32) -> Result<DueDiligence, ProviderError> {
        let path = self.config.task_detail_path.replace("{task_id}", &encode_segment(task_id));
        let (resp, v) = self.call(Request::get(path))?;
        let data = payload(&v).clone();
        let potential_risk = json_f64(data.get("potential_risk"));
        if let Some(r) = potential_risk {
            if RiskBand::of(r).is_none() {
                return Err(ProviderError::MalformedJson {
                    provider: PROVIDER,
                    endpoint: resp.endpoint.clone(),
                    status: resp.status,
                    reason: format!("potential_risk {r} outside 0–100"),
                });
            }
        }
        let kind = match json_str(data.get("target").and_then(|t| t.get("type"))).as_deref() {
            Some("KYB") => EntityKind::Entity,
            Some("KYC") => EntityKind::Individual,
            _ => EntityKind::Unknown,
        };
        let hits = result_hits(data.get("result"), potential_risk, kind, &Thresholds::default());
        Ok(DueDiligence {
            task_id: task_id.to_string(),
            status: json_str(data.get("status")),
            sanction_matched: data.get("sanction_matched").and_then(Value::as_bool),
            potential_risk,
            risk_band: potential_risk.and_then(RiskBand::of),
            hits,
            polls,
            raw: v,
        })
    }

    /// Reads a task, polling with backoff (`poll_base_ms`, doubling, at most 8 s) while it is pending or
    /// processing.
    pub fn wait_task(&self, task_id: &str) -> Result<DueDiligence, ProviderError> {
        let mut polls = 0u32;
        loop {
            let dd = self.task_polled(task_id, polls)?;
            let pending = dd.status.as_deref().map(str::to_ascii_lowercase).is_some_and(|s| {
                matches!(s.as_str(), "pending" | "processing" | "running" | "in_progress" | "queued" | "created")
            });
            if !pending {
                return Ok(dd);
            }
            if polls >= self.config.max_polls {
                return Err(ProviderError::PollExhausted {
                    provider: PROVIDER,
                    endpoint: format!("GET {}", self.config.task_detail_path),
                    state: dd.status.unwrap_or_default(),
                    attempts: polls,
                });
            }
            let factor = 1u32.checked_shl(polls.min(16)).unwrap_or(u32::MAX);
            let delay = Duration::from_millis(self.config.poll_base_ms).saturating_mul(factor);
            (self.http.config().sleep)(delay.min(Duration::from_secs(8)));
            polls += 1;
        }
    }

    /// The risk of a blockchain address.
    pub fn address_risk(&self, address: &str, chain: &str) -> Result<AddressRisk, ProviderError> {
        if address.trim().is_empty() || chain.trim().is_empty() {
            return Err(ProviderError::InvalidRequest {
                provider: PROVIDER,
                reason: "address and chain are required".into(),
            });
        }
        let body = serde_json::to_vec(&serde_json::json!({"address": address, "chain": chain}))
            .map_err(|e| ProviderError::InvalidRequest { provider: PROVIDER, reason: e.to_string() })?;
        let (_, v) = self.call(Request::post_json(self.config.kya_path.clone(), body))?;
        let data = payload(&v);
        Ok(AddressRisk {
            address: address.to_string(),
            chain: chain.to_string(),
            risk_score: json_f64(data.get("risk_score")).or_else(|| json_f64(data.get("score"))),
            risk_level: json_str(data.get("risk_level")).or_else(|| json_str(data.get("level"))),
            raw: v.clone(),
        })
    }
}

/// `data` when the answer is wrapped, else the answer itself.
fn payload(v: &Value) -> &Value {
    v.get("data").filter(|d| d.is_object()).unwrap_or(v)
}

/// `result` entries (an array, or an object of arrays keyed by source) as hits.
fn result_hits(result: Option<&Value>, risk: Option<f64>, kind: EntityKind, thresholds: &Thresholds) -> Vec<Hit> {
    let mut entries: Vec<(Option<String>, &Value)> = Vec::new();
    match result {
        Some(Value::Array(a)) => entries.extend(a.iter().map(|e| (None, e))),
        Some(Value::Object(m)) => {
            for (k, v) in m {
                if let Value::Array(a) = v {
                    entries.extend(a.iter().map(|e| (Some(k.clone()), e)));
                }
            }
        }
        _ => {}
    }
    let mut hits = Vec::new();
    for (i, (group, e)) in entries.into_iter().enumerate() {
        if !e.is_object() {
            continue;
        }
        let source = json_f64(e.get("search_source")).or_else(|| json_f64(e.get("source")));
        let publisher = if source == Some(1.0) { Publisher::DowJones } else { Publisher::Custom };
        let score = json_f64(e.get("score")).or_else(|| json_f64(e.get("similarity"))).or(risk).unwrap_or(0.0);
        let names: Vec<String> = ["name", "title", "entity_name"]
            .iter()
            .flat_map(|k| json_strings(e.get(*k)))
            .chain(json_strings(e.get("aliases")))
            .collect();
        let id = json_str(e.get("id")).unwrap_or_else(|| format!("kryptogo:{i}"));
        let mut hit = empty_hit(id, publisher, score, thresholds);
        hit.kind = kind;
        hit.matched_name = names.first().cloned().unwrap_or_default();
        hit.names = names;
        hit.list = json_str(e.get("list"))
            .or_else(|| json_str(e.get("source_name")))
            .or(group)
            .or_else(|| source.map(|s| format!("search_source {s}")))
            .unwrap_or_default();
        hit.nationalities =
            json_strings(e.get("nationality")).into_iter().chain(json_strings(e.get("country"))).collect();
        hit.entity_hash = record_hash(e);
        hit.record_data = e.into();
        hits.push(hit);
    }
    hits.sort_by(|a, b| b.score.total_cmp(&a.score));
    hits
}

impl Provider for KryptoGoClient {
    fn name(&self) -> &'static str {
        PROVIDER
    }

    /// Creates a KYC (or KYB, for a business name) task on Dow Jones and sanction lists, waits for it, and
    /// maps it. The overall decision is the thresholds' decision on `potential_risk`; the verdict its band.
    fn screen(&self, query: &Query) -> Result<ProviderAnswer, ProviderError> {
        let thresholds = query_thresholds(query);
        let business = query.business_name.as_deref().is_some_and(|b| !b.trim().is_empty());
        let req = TaskRequest {
            search_setting_id: None,
            target: Target {
                target_type: if business { TargetType::Kyb } else { TargetType::Kyc },
                name: query_full_name(query),
                country: if business { query.business_domicile.clone() } else { query.nationality.clone() },
                birthday: if business { query.date_of_registration.clone() } else { query.date_of_birth.clone() },
            },
            search_source: vec![SearchSource::DowJones, SearchSource::SanctionList],
            customer_reference: None,
        };
        let id = self.create_task(&req)?;
        let dd = self.wait_task(&id)?;
        let mut hits = dd.hits;
        for h in &mut hits {
            h.decision = thresholds.decide(h.score);
        }
        Ok(ProviderAnswer {
            provider: PROVIDER.into(),
            decision: dd.potential_risk.map(|r| thresholds.decide(r)).or(Some(Decision::NotMatch)),
            verdict: dd.risk_band.map(|b| format!("{} ({})", b.label(), dd.potential_risk.unwrap_or(0.0))),
            hits,
            raw: dd.raw,
        })
    }
}
