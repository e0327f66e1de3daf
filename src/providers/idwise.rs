//! IDWise: the AML result of a finished journey.
//!
//! `GET` of the journey's AML check (path configurable, default `/v2/journeys/{journey_id}/aml`; header
//! name of the API key configurable, default `X-API-KEY`: IDWise does not publish them for this call).
//! A GET has no side effect and is retried on retryable failures.
//!
//! Mapping: `final_decision` (Complete / Refer, or a manual Approved / Rejected) is kept as
//! [`FinalDecision`]; each `aml.matches[]` entry becomes a [`Hit`]: `name` (and `aliases`) as names,
//! `countries` as nationalities (as IDWise writes them), `datesOfBirth` (`YYYY`, `YYYY-MM` or
//! `YYYY-MM-DD`), `datasets` (Politically Exposed Person, Sanctions, Adverse Media, ...) joined as the
//! list, `resourceId` as id (the key for whitelisting), `details` and the whole entry in `record_data`.
//! The float `score` is read as a fraction when it is at most 1 (0.93 → 93) and as 0–100 otherwise.
//! The publisher is `CUSTOM`: IDWise names datasets, not publishers.

use super::config::{check_header_name, require, IdWiseConfig};
use super::http::{check_path, encode_segment, BaseUrl, HttpClient, HttpConfig, Request, Secret};
use super::{
    empty_hit, json_f64, json_str, json_strings, query_thresholds, record_hash, Provider, ProviderAnswer, ProviderError,
};
use crate::model::{PartialDate, Publisher};
use crate::screen::{Hit, Query};
use crate::{Decision, Thresholds};
use serde::{Deserialize, Serialize};
use serde_json::Value;

const PROVIDER: &str = "idwise";

/// A journey's final decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum FinalDecision {
    /// Passed every check automatically.
    Complete,
    /// Needs a manual review.
    Refer,
    /// Approved by a reviewer.
    Approved,
    /// Rejected by a reviewer.
    Rejected,
    /// Anything else, as written.
    Other(String),
}

impl FinalDecision {
    /// Parses IDWise's value (case-insensitive).
    pub fn parse(s: &str) -> Self {
        match s.trim().to_ascii_lowercase().as_str() {
            "complete" | "completed" => FinalDecision::Complete,
            "refer" | "referred" => FinalDecision::Refer,
            "approved" => FinalDecision::Approved,
            "rejected" => FinalDecision::Rejected,
            _ => FinalDecision::Other(s.to_string()),
        }
    }
}

/// A journey's AML result, mapped.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AmlResult {
    /// The journey.
    pub journey_id: String,
    /// Final decision, if given.
    pub final_decision: Option<FinalDecision>,
    /// Matches as hits, best first.
    pub hits: Vec<Hit>,
    /// Whether ongoing monitoring is on.
    pub ongoing_monitoring_enabled: Option<bool>,
    /// The raw answer.
    pub raw: Value,
}

/// An IDWise client.
#[derive(Debug, Clone)]
pub struct IdWiseClient {
    http: HttpClient,
    key: Secret,
    header: String,
    aml_path: String,
}

impl IdWiseClient {
    /// A client from settings; fails when the API key is missing or a setting is not acceptable.
    pub fn new(config: &IdWiseConfig, http: &HttpConfig) -> Result<Self, ProviderError> {
        let key = require(PROVIDER, &config.api_key, "SARING_IDWISE_API_KEY", "idwise.api_key")?;
        check_header_name(PROVIDER, &config.api_key_header)?;
        check_path(PROVIDER, &config.aml_path)?;
        if !config.aml_path.contains("{journey_id}") {
            return Err(ProviderError::Config {
                provider: PROVIDER,
                reason: "aml_path must contain {journey_id}".into(),
            });
        }
        let base = BaseUrl::parse(PROVIDER, &config.base_url)?;
        let http = HttpClient::new(PROVIDER, base, http.clone(), vec![key.clone()]);
        Ok(IdWiseClient { http, key, header: config.api_key_header.clone(), aml_path: config.aml_path.clone() })
    }

    /// Reads the AML result of a journey; decisions of the hits under `thresholds`.
    pub fn aml_result(&self, journey_id: &str, thresholds: &Thresholds) -> Result<AmlResult, ProviderError> {
        if journey_id.trim().is_empty() {
            return Err(ProviderError::InvalidRequest { provider: PROVIDER, reason: "journey id is required".into() });
        }
        let path = self.aml_path.replace("{journey_id}", &encode_segment(journey_id.trim()));
        let req =
            Request::get(path).header(self.header.clone(), self.key.expose()).header("Accept", "application/json");
        let resp = self.http.send(&req)?;
        if !resp.is_success() {
            let body = resp.json_lenient();
            let field = |k: &str| body.as_ref().and_then(|b| json_str(b.get(k)));
            return Err(ProviderError::IdWise {
                status: resp.status,
                code: field("error_code").or_else(|| field("code")).unwrap_or_else(|| resp.status.to_string()),
                message: self.http.scrub(&field("message").or_else(|| field("error")).unwrap_or_default()),
            });
        }
        let raw: Value = resp.json(PROVIDER)?;
        let malformed = |reason: &str| ProviderError::MalformedJson {
            provider: PROVIDER,
            endpoint: resp.endpoint.clone(),
            status: resp.status,
            reason: reason.to_string(),
        };
        let root = raw.get("data").filter(|d| d.is_object()).unwrap_or(&raw);
        let aml = root.get("aml").filter(|a| a.is_object()).unwrap_or(root);
        let matches = match aml.get("matches") {
            Some(Value::Array(m)) => m.as_slice(),
            None | Some(Value::Null) => &[],
            Some(_) => return Err(malformed("aml.matches is not an array")),
        };
        let mut hits = Vec::with_capacity(matches.len());
        for (i, m) in matches.iter().enumerate() {
            if !m.is_object() {
                return Err(malformed("aml.matches[] holds a non-object"));
            }
            let raw_score =
                json_f64(m.get("score")).ok_or_else(|| malformed(&format!("aml.matches[{i}].score missing")))?;
            let score = if raw_score <= 1.0 { raw_score * 100.0 } else { raw_score };
            let id = json_str(m.get("resourceId")).unwrap_or_else(|| format!("idwise:{i}"));
            let mut hit = empty_hit(id, Publisher::Custom, score, thresholds);
            let name = json_str(m.get("name")).unwrap_or_default();
            hit.names =
                std::iter::once(name.clone()).filter(|n| !n.is_empty()).chain(json_strings(m.get("aliases"))).collect();
            hit.matched_name = name;
            hit.list = json_strings(m.get("datasets")).join("; ");
            hit.nationalities = json_strings(m.get("countries"));
            hit.dates_of_birth = json_strings(m.get("datesOfBirth"))
                .iter()
                .filter_map(|d| d.trim().parse::<PartialDate>().ok())
                .collect();
            hit.entity_hash = record_hash(m);
            hit.record_data = m.into();
            hits.push(hit);
        }
        hits.sort_by(|a, b| b.score.total_cmp(&a.score));
        let monitoring = aml
            .get("ongoing_monitoring_enabled")
            .or_else(|| root.get("ongoing_monitoring_enabled"))
            .and_then(Value::as_bool);
        Ok(AmlResult {
            journey_id: journey_id.trim().to_string(),
            final_decision: json_str(root.get("final_decision")).map(|d| FinalDecision::parse(&d)),
            hits,
            ongoing_monitoring_enabled: monitoring,
            raw,
        })
    }
}

/// An IDWise journey as a [`Provider`]: IDWise screens during the journey, so "screening" a query reads
/// that journey's AML result (the query only supplies the thresholds).
#[derive(Debug)]
pub struct IdWiseJourney<'a> {
    /// The client.
    pub client: &'a IdWiseClient,
    /// The journey to read.
    pub journey_id: String,
}

impl Provider for IdWiseJourney<'_> {
    fn name(&self) -> &'static str {
        PROVIDER
    }

    fn screen(&self, query: &Query) -> Result<ProviderAnswer, ProviderError> {
        let r = self.client.aml_result(&self.journey_id, &query_thresholds(query))?;
        let decision = match &r.final_decision {
            Some(FinalDecision::Rejected) => Some(Decision::Match),
            Some(FinalDecision::Refer) => Some(Decision::Unclear),
            Some(FinalDecision::Complete | FinalDecision::Approved) => Some(Decision::NotMatch),
            _ => r.hits.iter().map(|h| h.decision).max(),
        };
        let verdict = json_str(r.raw.get("final_decision"))
            .or_else(|| json_str(r.raw.get("data").and_then(|d| d.get("final_decision"))));
        Ok(ProviderAnswer { provider: PROVIDER.into(), hits: r.hits, decision, verdict, raw: r.raw })
    }
}
