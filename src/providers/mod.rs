//! Provider adapters: Iluma, BRI, KryptoGO and IDWise, mapped onto saring's own result model.
//!
//! Each adapter calls one commercial screening API over the shared, hardened [`http`] layer and maps the
//! answer onto [`Hit`] and [`Decision`], so that an offline answer and a provider's answer can be put side
//! by side ([`verify`], [`compare_hits`]). Where a provider gives no value for a field, the field stays
//! empty and the provider's raw answer is kept in [`Hit::record_data`].
//!
//! | provider | module | auth | what is mapped |
//! |---|---|---|---|
//! | Iluma | [`iluma`] | HTTP Basic (API key, empty password) | CFT individual/entity screening, bank account name validation (v2.1, polled), KTP validation |
//! | BRI | [`bri`] | OAuth client credentials + HMAC-SHA256 signature | AML prescreening (`/v1.0/aml/similarity`) against Dow Jones |
//! | KryptoGO | [`kryptogo`] | API key header (name configurable) | due-diligence tasks, KYC risk bands, blockchain address risk |
//! | IDWise | [`idwise`] | API key header (name configurable) | AML result of a journey |
//!
//! Credentials come from environment variables or a JSON config file ([`config`]); they are
//! [`Secret`]s and never appear in `Debug` output, logs or error messages.

pub mod bri;
pub mod config;
pub mod http;
pub mod idwise;
pub mod iluma;
pub mod kryptogo;

use crate::model::Publisher;
use crate::screen::{Hit, Query, ScreenResult};
use crate::{CompareOptions, Decision, Thresholds};
use serde::{Deserialize, Serialize};

pub use bri::{BriClient, BriErrorCode};
pub use config::ProvidersConfig;
pub use http::{HttpConfig, Secret};
pub use idwise::IdWiseClient;
pub use iluma::{IlumaClient, IlumaErrorCode};
pub use kryptogo::{KryptoGoClient, RiskBand};

/// Everything that can go wrong when calling a provider. Messages never contain credentials.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ProviderError {
    /// The configuration is incomplete or invalid.
    #[error("{provider}: configuration: {reason}")]
    Config {
        /// Which provider.
        provider: &'static str,
        /// What is wrong.
        reason: String,
    },
    /// A credential is missing.
    #[error("{provider}: missing credential: set the environment variable {variable} or `{key}` in the config file")]
    MissingCredential {
        /// Which provider.
        provider: &'static str,
        /// The environment variable that would provide it.
        variable: &'static str,
        /// The config file key that would provide it.
        key: &'static str,
    },
    /// The request is invalid before anything is sent (e.g. a NIK that is not 16 digits).
    #[error("{provider}: invalid request: {reason}")]
    InvalidRequest {
        /// Which provider.
        provider: &'static str,
        /// What is wrong.
        reason: String,
    },
    /// The base URL is not HTTPS (or loopback HTTP), or is malformed.
    #[error("{provider}: refusing base URL: {reason}")]
    InsecureUrl {
        /// Which provider.
        provider: &'static str,
        /// Why.
        reason: String,
    },
    /// The connection failed or broke.
    #[error("{provider}: {endpoint}: network error: {reason}")]
    Network {
        /// Which provider.
        provider: &'static str,
        /// `METHOD /path`.
        endpoint: String,
        /// What happened.
        reason: String,
        /// True when no connection could be opened (the request never reached the server).
        connect: bool,
    },
    /// The connect or read timeout expired.
    #[error("{provider}: {endpoint}: timed out")]
    Timeout {
        /// Which provider.
        provider: &'static str,
        /// `METHOD /path`.
        endpoint: String,
    },
    /// The connection closed before the whole body arrived.
    #[error("{provider}: {endpoint}: response body truncated")]
    TruncatedBody {
        /// Which provider.
        provider: &'static str,
        /// `METHOD /path`.
        endpoint: String,
    },
    /// The body is larger than the configured cap.
    #[error("{provider}: {endpoint}: response larger than {limit} bytes")]
    ResponseTooLarge {
        /// Which provider.
        provider: &'static str,
        /// `METHOD /path`.
        endpoint: String,
        /// The cap.
        limit: usize,
    },
    /// The answer is not JSON.
    #[error("{provider}: {endpoint}: HTTP {status} with content type {content_type}, expected JSON")]
    UnexpectedContentType {
        /// Which provider.
        provider: &'static str,
        /// `METHOD /path`.
        endpoint: String,
        /// HTTP status.
        status: u16,
        /// The content type received.
        content_type: String,
    },
    /// The JSON does not have the documented shape.
    #[error("{provider}: {endpoint}: HTTP {status}: unexpected JSON: {reason}")]
    MalformedJson {
        /// Which provider.
        provider: &'static str,
        /// `METHOD /path`.
        endpoint: String,
        /// HTTP status.
        status: u16,
        /// What is wrong.
        reason: String,
    },
    /// An HTTP status the adapter does not expect (a redirect, an undocumented error).
    #[error("{provider}: {endpoint}: unexpected HTTP status {status}")]
    UnexpectedStatus {
        /// Which provider.
        provider: &'static str,
        /// `METHOD /path`.
        endpoint: String,
        /// HTTP status.
        status: u16,
    },
    /// Polling gave up before the provider finished.
    #[error("{provider}: {endpoint}: still {state} after {attempts} polls")]
    PollExhausted {
        /// Which provider.
        provider: &'static str,
        /// `METHOD /path`.
        endpoint: String,
        /// The last state seen.
        state: String,
        /// Number of polls made.
        attempts: u32,
    },
    /// Iluma answered with an error code.
    #[error("iluma: HTTP {status}: {code}: {message}")]
    Iluma {
        /// HTTP status.
        status: u16,
        /// The typed error code.
        code: IlumaErrorCode,
        /// Iluma's message (scrubbed of secrets).
        message: String,
    },
    /// BRI answered with an error code from its error table.
    #[error("bri: HTTP {status}: {code} ({}): {message}", code.meaning())]
    Bri {
        /// HTTP status.
        status: u16,
        /// The typed error code.
        code: BriErrorCode,
        /// BRI's `responseMessage` (scrubbed of secrets).
        message: String,
    },
    /// KryptoGO answered with an error.
    #[error("kryptogo: HTTP {status}: {code}: {message}")]
    KryptoGo {
        /// HTTP status.
        status: u16,
        /// KryptoGO's error code, as text.
        code: String,
        /// KryptoGO's message (scrubbed of secrets).
        message: String,
    },
    /// IDWise answered with an error.
    #[error("idwise: HTTP {status}: {code}: {message}")]
    IdWise {
        /// HTTP status.
        status: u16,
        /// IDWise's error code, as text.
        code: String,
        /// IDWise's message (scrubbed of secrets).
        message: String,
    },
}

impl ProviderError {
    /// True when the request never reached the server (safe to retry for any request).
    pub fn is_connect_failure(&self) -> bool {
        matches!(self, ProviderError::Network { connect: true, .. })
    }

    /// True for failures that may pass on a second try (network, timeout, truncated body).
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            ProviderError::Network { .. } | ProviderError::Timeout { .. } | ProviderError::TruncatedBody { .. }
        )
    }

    /// True when the provider rejected the credentials.
    pub fn is_auth(&self) -> bool {
        match self {
            ProviderError::Iluma { code, .. } => *code == IlumaErrorCode::InvalidApiKey,
            ProviderError::Bri { code, .. } => code.is_auth(),
            ProviderError::KryptoGo { status, .. } | ProviderError::IdWise { status, .. } => {
                *status == 401 || *status == 403
            }
            _ => false,
        }
    }
}

/// A provider's answer to one screening query, mapped onto saring's model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProviderAnswer {
    /// `iluma`, `bri`, `kryptogo` or `idwise`.
    pub provider: String,
    /// The provider's hits, mapped (best first).
    pub hits: Vec<Hit>,
    /// The provider's own overall verdict, mapped to a decision where it gives one.
    pub decision: Option<Decision>,
    /// The provider's overall verdict as it wrote it (`SD-04`, `Refer`, a risk band, ...).
    pub verdict: Option<String>,
    /// The provider's whole raw answer.
    pub raw: serde_json::Value,
}

/// A provider that can screen a [`Query`].
pub trait Provider {
    /// `iluma`, `bri`, `kryptogo` or `idwise`.
    fn name(&self) -> &'static str;
    /// Screens the query with the provider.
    fn screen(&self, query: &Query) -> Result<ProviderAnswer, ProviderError>;
}

/// How a local hit and a provider hit compare.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Agreement {
    /// Both flag the entity (MATCH or UNCLEAR on each side).
    Both,
    /// Only saring flags it.
    OnlyLocal,
    /// Only the provider flags it.
    OnlyProvider,
    /// Both return it, neither flags it (NOT_MATCH on both sides).
    Neither,
}

impl Agreement {
    /// `both`, `only_local`, `only_provider`, `neither`.
    pub fn as_str(self) -> &'static str {
        match self {
            Agreement::Both => "both",
            Agreement::OnlyLocal => "only_local",
            Agreement::OnlyProvider => "only_provider",
            Agreement::Neither => "neither",
        }
    }
}

/// One side of a comparison row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Side {
    /// Entity or profile id.
    pub id: String,
    /// Publisher.
    pub publisher: Publisher,
    /// The name that matched.
    pub matched_name: String,
    /// 0–100.
    pub score: f64,
    /// Decision.
    pub decision: Decision,
}

impl Side {
    fn of(hit: &Hit) -> Side {
        Side {
            id: hit.id.clone(),
            publisher: hit.publisher,
            matched_name: hit.matched_name.clone(),
            score: hit.score,
            decision: hit.decision,
        }
    }

    fn flags(&self) -> bool {
        self.decision != Decision::NotMatch
    }
}

/// One entity seen by saring, by the provider, or by both.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ComparisonRow {
    /// Who flags it.
    pub agreement: Agreement,
    /// The entity's name (local side first).
    pub name: String,
    /// saring's hit.
    pub local: Option<Side>,
    /// The provider's hit.
    pub provider: Option<Side>,
    /// Similarity of the two sides' names (0–100) when paired.
    pub name_similarity: Option<f64>,
}

/// Counts of a comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ComparisonSummary {
    /// Entities both flag.
    pub both: usize,
    /// Entities only saring flags.
    pub only_local: usize,
    /// Entities only the provider flags.
    pub only_provider: usize,
    /// Entities both return without flagging.
    pub neither: usize,
}

/// saring's answer and a provider's answer to the same query, side by side.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    /// Provider name.
    pub provider: String,
    /// The query.
    pub query: Query,
    /// The thresholds used for the provider's decisions.
    pub thresholds: Thresholds,
    /// Rows, both-flag first, then only-local, only-provider, neither; best score first within each.
    pub rows: Vec<ComparisonRow>,
    /// Counts.
    pub summary: ComparisonSummary,
    /// The provider's overall decision, if it gives one.
    pub provider_decision: Option<Decision>,
    /// The provider's overall verdict as written.
    pub provider_verdict: Option<String>,
    /// saring's hits.
    pub local: Vec<Hit>,
    /// The provider's hits.
    pub remote: Vec<Hit>,
}

/// Two hits are the same entity when their best name pair scores at least this (0–100).
pub const DEFAULT_PAIR_THRESHOLD: f64 = 85.0;

/// The thresholds a query asks for (defaults 80/40).
pub fn query_thresholds(query: &Query) -> Thresholds {
    let d = Thresholds::default();
    Thresholds { upper: query.upper_threshold.unwrap_or(d.upper), lower: query.lower_threshold.unwrap_or(d.lower) }
}

/// The full name a query designates (business name, else given/middle/surname, else `name`).
pub fn query_full_name(query: &Query) -> String {
    if let Some(b) = query.business_name.as_deref().filter(|s| !s.trim().is_empty()) {
        return b.trim().to_string();
    }
    let parts: Vec<&str> = [&query.given_name, &query.middle_name, &query.surname]
        .iter()
        .filter_map(|p| p.as_deref())
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    if !parts.is_empty() {
        return parts.join(" ");
    }
    query.name.as_deref().unwrap_or("").trim().to_string()
}

/// Runs the local screen and the provider on the same query and compares the two answers.
///
/// `local` is the offline screener (for instance `|q| index.screen(q)`); it is a closure so the comparison
/// can run against any index, or a fake one in tests.
///
/// ```
/// use saring::providers::{verify, Provider, ProviderAnswer, ProviderError, Agreement};
/// use saring::screen::{Query, ScreenResult};
///
/// struct Silent;
/// impl Provider for Silent {
///     fn name(&self) -> &'static str { "silent" }
///     fn screen(&self, _q: &Query) -> Result<ProviderAnswer, ProviderError> {
///         Ok(ProviderAnswer { provider: "silent".into(), hits: vec![], decision: None, verdict: None,
///                             raw: serde_json::Value::Null })
///     }
/// }
/// let query = Query { name: Some("Nobody".into()), ..Query::default() };
/// let cmp = verify(&|_q: &Query| Ok(ScreenResult::default()), &Silent, &query).unwrap();
/// assert!(cmp.rows.is_empty());
/// ```
pub fn verify(
    local: &dyn Fn(&Query) -> crate::Result<ScreenResult>,
    provider: &dyn Provider,
    query: &Query,
) -> crate::Result<Comparison> {
    let thresholds = query_thresholds(query);
    thresholds.validate()?;
    let local_hits = local(query)?.results;
    let answer = provider.screen(query)?;
    let mut cmp = compare_hits(&answer.provider, query, local_hits, answer.hits, DEFAULT_PAIR_THRESHOLD);
    cmp.provider_decision = answer.decision;
    cmp.provider_verdict = answer.verdict;
    Ok(cmp)
}

/// Pairs local hits with provider hits by name similarity (greedy, best pair first, at least
/// `pair_threshold`) and classifies every entity as flagged by both, only one side, or neither.
pub fn compare_hits(
    provider: &str,
    query: &Query,
    local: Vec<Hit>,
    remote: Vec<Hit>,
    pair_threshold: f64,
) -> Comparison {
    const MAX_NAMES: usize = 12;
    let opts = CompareOptions::default();
    let names_of = |h: &Hit| -> Vec<crate::Name> {
        let mut v: Vec<&str> = Vec::new();
        if !h.matched_name.is_empty() {
            v.push(&h.matched_name);
        }
        v.extend(h.names.iter().map(String::as_str).filter(|n| !n.is_empty()));
        v.dedup();
        v.into_iter().take(MAX_NAMES).map(|n| crate::analyze(n, crate::NameKind::default())).collect()
    };
    let local_names: Vec<_> = local.iter().map(names_of).collect();
    let remote_names: Vec<_> = remote.iter().map(names_of).collect();
    let mut pairs: Vec<(f64, usize, usize)> = Vec::new();
    for (i, ln) in local_names.iter().enumerate() {
        for (j, rn) in remote_names.iter().enumerate() {
            let mut best = 0.0f64;
            for a in ln {
                for b in rn {
                    best = best.max(crate::compare_names(a, b, &opts).score);
                }
            }
            if best >= pair_threshold {
                pairs.push((best, i, j));
            }
        }
    }
    pairs.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let mut local_used = vec![false; local.len()];
    let mut remote_used = vec![false; remote.len()];
    let mut rows = Vec::new();
    for (sim, i, j) in pairs {
        if local_used[i] || remote_used[j] {
            continue;
        }
        local_used[i] = true;
        remote_used[j] = true;
        rows.push(row(Some(&local[i]), Some(&remote[j]), Some(sim)));
    }
    for (i, h) in local.iter().enumerate() {
        if !local_used[i] {
            rows.push(row(Some(h), None, None));
        }
    }
    for (j, h) in remote.iter().enumerate() {
        if !remote_used[j] {
            rows.push(row(None, Some(h), None));
        }
    }
    let order = |a: Agreement| match a {
        Agreement::Both => 0,
        Agreement::OnlyLocal => 1,
        Agreement::OnlyProvider => 2,
        Agreement::Neither => 3,
    };
    let best = |r: &ComparisonRow| {
        r.local.as_ref().map(|s| s.score).unwrap_or(0.0).max(r.provider.as_ref().map(|s| s.score).unwrap_or(0.0))
    };
    rows.sort_by(|a, b| order(a.agreement).cmp(&order(b.agreement)).then(best(b).total_cmp(&best(a))));
    let mut summary = ComparisonSummary::default();
    for r in &rows {
        match r.agreement {
            Agreement::Both => summary.both += 1,
            Agreement::OnlyLocal => summary.only_local += 1,
            Agreement::OnlyProvider => summary.only_provider += 1,
            Agreement::Neither => summary.neither += 1,
        }
    }
    Comparison {
        provider: provider.to_string(),
        query: query.clone(),
        thresholds: query_thresholds(query),
        rows,
        summary,
        provider_decision: None,
        provider_verdict: None,
        local,
        remote,
    }
}

fn row(local: Option<&Hit>, remote: Option<&Hit>, sim: Option<f64>) -> ComparisonRow {
    let l = local.map(Side::of);
    let r = remote.map(Side::of);
    let agreement = match (l.as_ref().is_some_and(Side::flags), r.as_ref().is_some_and(Side::flags)) {
        (true, true) => Agreement::Both,
        (true, false) => Agreement::OnlyLocal,
        (false, true) => Agreement::OnlyProvider,
        (false, false) => Agreement::Neither,
    };
    let name = local
        .or(remote)
        .map(|h| {
            if h.matched_name.is_empty() {
                h.names.first().cloned().unwrap_or_default()
            } else {
                h.matched_name.clone()
            }
        })
        .unwrap_or_default();
    ComparisonRow { agreement, name, local: l, provider: r, name_similarity: sim }
}

/// Builds a [`Hit`] with empty optional fields; adapters fill in what the provider gives.
pub(crate) fn empty_hit(id: String, publisher: Publisher, score: f64, thresholds: &Thresholds) -> Hit {
    let score = if score.is_finite() { score.clamp(0.0, 100.0) } else { 0.0 };
    Hit {
        id,
        publisher,
        list: String::new(),
        kind: crate::EntityKind::Unknown,
        names: Vec::new(),
        matched_name: String::new(),
        score,
        decision: thresholds.decide(score),
        nationalities: Vec::new(),
        dates_of_birth: Vec::new(),
        record_data: Default::default(),
        entity_hash: String::new(),
        explanation: Default::default(),
    }
}

/// Content hash of a provider record (the same scheme as [`crate::Entity::content_hash`]: xxh3 of the JSON).
pub(crate) fn record_hash(v: &serde_json::Value) -> String {
    let bytes = serde_json::to_vec(v).unwrap_or_default();
    format!("{:016x}", xxhash_rust::xxh3::xxh3_64(&bytes))
}

/// A JSON value as a string: strings as is, numbers in their JSON form, anything else `None`.
pub(crate) fn json_str(v: Option<&serde_json::Value>) -> Option<String> {
    match v? {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A JSON value as a number: numbers, or strings holding one (`"93.10"`).
pub(crate) fn json_f64(v: Option<&serde_json::Value>) -> Option<f64> {
    match v? {
        serde_json::Value::Number(n) => n.as_f64(),
        serde_json::Value::String(s) => s.trim().parse::<f64>().ok().filter(|f| f.is_finite()),
        _ => None,
    }
}

/// A JSON array of strings (other items skipped); a lone string becomes a one-item list.
pub(crate) fn json_strings(v: Option<&serde_json::Value>) -> Vec<String> {
    match v {
        Some(serde_json::Value::Array(a)) => a.iter().filter_map(|x| json_str(Some(x))).collect(),
        Some(serde_json::Value::String(s)) if !s.is_empty() => vec![s.clone()],
        _ => Vec::new(),
    }
}

impl From<ProviderError> for crate::Error {
    fn from(e: ProviderError) -> Self {
        crate::Error::ProviderCall(e)
    }
}
