//! Provider configuration: base URLs, paths, header names and credentials.
//!
//! Values come from an optional JSON config file and are then overridden by environment variables.
//! Credentials are read only from these two places and kept as [`Secret`]s.
//!
//! | setting | environment variable | config file key | default |
//! |---|---|---|---|
//! | Iluma API key | `SARING_ILUMA_API_KEY` | `iluma.api_key` | — |
//! | Iluma base URL | `SARING_ILUMA_BASE_URL` | `iluma.base_url` | `https://api.iluma.ai` |
//! | BRI client id | `SARING_BRI_CLIENT_ID` | `bri.client_id` | — |
//! | BRI client secret | `SARING_BRI_CLIENT_SECRET` | `bri.client_secret` | — |
//! | BRI base URL | `SARING_BRI_BASE_URL` | `bri.base_url` | `https://partner.api.bri.co.id` |
//! | KryptoGO API key | `SARING_KRYPTOGO_API_KEY` | `kryptogo.api_key` | — |
//! | KryptoGO base URL | `SARING_KRYPTOGO_BASE_URL` | `kryptogo.base_url` | `https://api.kryptogo.com` |
//! | KryptoGO key header | `SARING_KRYPTOGO_API_KEY_HEADER` | `kryptogo.api_key_header` | `X-API-KEY` |
//! | IDWise API key | `SARING_IDWISE_API_KEY` | `idwise.api_key` | — |
//! | IDWise base URL | `SARING_IDWISE_BASE_URL` | `idwise.base_url` | `https://api-eu.idwise.com` |
//! | IDWise key header | `SARING_IDWISE_API_KEY_HEADER` | `idwise.api_key_header` | `X-API-KEY` |
//! | IDWise AML path | `SARING_IDWISE_AML_PATH` | `idwise.aml_path` | `/v2/journeys/{journey_id}/aml` |
//!
//! The file may also set `bri.token_path`, `bri.similarity_path`, `kryptogo.task_path`,
//! `kryptogo.task_detail_path`, `kryptogo.kya_path`, `kryptogo.search_setting_id`, and an `http` section
//! (`connect_timeout_ms`, `read_timeout_ms`, `total_timeout_ms`, `max_retries`, `backoff_base_ms`, `backoff_max_ms`,
//! `max_response_bytes`). Unknown keys are an error, so a misspelt key is not silently ignored.
//!
//! ```
//! use saring::providers::ProvidersConfig;
//! let env = |name: &str| (name == "SARING_ILUMA_API_KEY").then(|| "key_123".to_string());
//! let cfg = ProvidersConfig::load(None, &env).unwrap();
//! assert_eq!(cfg.iluma.base_url, "https://api.iluma.ai");
//! assert!(!format!("{cfg:?}").contains("key_123"));
//! ```

use super::http::{HttpConfig, Secret};
use super::ProviderError;
use serde::Deserialize;
use std::path::Path;
use std::time::Duration;

/// Iluma settings.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct IlumaConfig {
    /// Base URL (default `https://api.iluma.ai`).
    pub base_url: String,
    /// API key (HTTP Basic user name, empty password).
    pub api_key: Option<Secret>,
    /// Polls of a PENDING bank account validation before giving up (default 10).
    pub max_polls: u32,
    /// First delay between polls, doubled each time up to 8 s (default 500 ms).
    pub poll_base_ms: u64,
}

impl Default for IlumaConfig {
    fn default() -> Self {
        IlumaConfig { base_url: "https://api.iluma.ai".into(), api_key: None, max_polls: 10, poll_base_ms: 500 }
    }
}

/// BRI settings.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct BriConfig {
    /// Base URL (default `https://partner.api.bri.co.id`).
    pub base_url: String,
    /// OAuth client id (consumer key).
    pub client_id: Option<Secret>,
    /// OAuth client secret (consumer secret), also the HMAC key of `BRI-Signature`.
    pub client_secret: Option<Secret>,
    /// Token path (default `/oauth/client_credential/accesstoken`; `?grant_type=client_credentials` is added).
    pub token_path: String,
    /// Similarity path (default `/v1.0/aml/similarity`).
    pub similarity_path: String,
}

impl Default for BriConfig {
    fn default() -> Self {
        BriConfig {
            base_url: "https://partner.api.bri.co.id".into(),
            client_id: None,
            client_secret: None,
            token_path: "/oauth/client_credential/accesstoken".into(),
            similarity_path: "/v1.0/aml/similarity".into(),
        }
    }
}

/// KryptoGO settings (paths and header name are not published: documented defaults, configurable).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct KryptoGoConfig {
    /// Base URL (default `https://api.kryptogo.com`).
    pub base_url: String,
    /// API key.
    pub api_key: Option<Secret>,
    /// Header carrying the API key (default `X-API-KEY`).
    pub api_key_header: String,
    /// Create a due-diligence task (default `/v1/due-diligence/tasks`).
    pub task_path: String,
    /// Read a task; `{task_id}` is replaced (default `/v1/due-diligence/tasks/{task_id}`).
    pub task_detail_path: String,
    /// Blockchain address risk (default `/kya`).
    pub kya_path: String,
    /// `search_setting_id` sent with tasks when the caller gives none (default none).
    pub search_setting_id: Option<i64>,
    /// Polls of an unfinished task before giving up (default 10).
    pub max_polls: u32,
    /// First delay between polls, doubled each time up to 8 s (default 500 ms).
    pub poll_base_ms: u64,
}

impl Default for KryptoGoConfig {
    fn default() -> Self {
        KryptoGoConfig {
            base_url: "https://api.kryptogo.com".into(),
            api_key: None,
            api_key_header: "X-API-KEY".into(),
            task_path: "/v1/due-diligence/tasks".into(),
            task_detail_path: "/v1/due-diligence/tasks/{task_id}".into(),
            kya_path: "/kya".into(),
            search_setting_id: None,
            max_polls: 10,
            poll_base_ms: 500,
        }
    }
}

/// IDWise settings (path and header name are not published: documented defaults, configurable).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct IdWiseConfig {
    /// Base URL (default `https://api-eu.idwise.com`).
    pub base_url: String,
    /// API key.
    pub api_key: Option<Secret>,
    /// Header carrying the API key (default `X-API-KEY`).
    pub api_key_header: String,
    /// AML result path; `{journey_id}` is replaced (default `/v2/journeys/{journey_id}/aml`).
    pub aml_path: String,
}

impl Default for IdWiseConfig {
    fn default() -> Self {
        IdWiseConfig {
            base_url: "https://api-eu.idwise.com".into(),
            api_key: None,
            api_key_header: "X-API-KEY".into(),
            aml_path: "/v2/journeys/{journey_id}/aml".into(),
        }
    }
}

/// HTTP settings as written in the config file.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
struct HttpSection {
    connect_timeout_ms: Option<u64>,
    read_timeout_ms: Option<u64>,
    total_timeout_ms: Option<u64>,
    max_retries: Option<u32>,
    backoff_base_ms: Option<u64>,
    backoff_max_ms: Option<u64>,
    max_response_bytes: Option<usize>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
struct FileConfig {
    http: HttpSection,
    iluma: IlumaConfig,
    bri: BriConfig,
    kryptogo: KryptoGoConfig,
    idwise: IdWiseConfig,
}

/// All provider settings.
#[derive(Debug, Clone, Default)]
pub struct ProvidersConfig {
    /// Timeouts, retries, size cap.
    pub http: HttpConfig,
    /// Iluma.
    pub iluma: IlumaConfig,
    /// BRI.
    pub bri: BriConfig,
    /// KryptoGO.
    pub kryptogo: KryptoGoConfig,
    /// IDWise.
    pub idwise: IdWiseConfig,
}

impl ProvidersConfig {
    /// Loads the config file (if any), then applies the process environment.
    pub fn from_env(file: Option<&Path>) -> crate::Result<Self> {
        Self::load(file, &|name| std::env::var(name).ok())
    }

    /// Loads the config file (if any), then applies `env` (a lookup of environment variables).
    pub fn load(file: Option<&Path>, env: &dyn Fn(&str) -> Option<String>) -> crate::Result<Self> {
        let parsed: FileConfig = match file {
            Some(path) => {
                let bytes = std::fs::read(path).map_err(|e| crate::Error::io(path, e))?;
                serde_json::from_slice(&bytes).map_err(|e| config_parse_error(path, &e))?
            }
            None => FileConfig::default(),
        };
        let mut http = HttpConfig::default();
        let h = &parsed.http;
        if let Some(v) = h.connect_timeout_ms {
            http.connect_timeout = Duration::from_millis(v);
        }
        if let Some(v) = h.read_timeout_ms {
            http.read_timeout = Duration::from_millis(v);
        }
        if let Some(v) = h.total_timeout_ms {
            http.total_timeout = Duration::from_millis(v);
        }
        if let Some(v) = h.max_retries {
            http.max_retries = v.min(10);
        }
        if let Some(v) = h.backoff_base_ms {
            http.backoff_base = Duration::from_millis(v);
        }
        if let Some(v) = h.backoff_max_ms {
            http.backoff_max = Duration::from_millis(v);
        }
        if let Some(v) = h.max_response_bytes {
            http.max_response_bytes = v;
        }
        let mut cfg = ProvidersConfig {
            http,
            iluma: parsed.iluma,
            bri: parsed.bri,
            kryptogo: parsed.kryptogo,
            idwise: parsed.idwise,
        };
        let text = |name: &str| env(name).map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
        let secret = |name: &str| text(name).map(Secret::new);
        if let Some(v) = secret("SARING_ILUMA_API_KEY") {
            cfg.iluma.api_key = Some(v);
        }
        if let Some(v) = text("SARING_ILUMA_BASE_URL") {
            cfg.iluma.base_url = v;
        }
        if let Some(v) = secret("SARING_BRI_CLIENT_ID") {
            cfg.bri.client_id = Some(v);
        }
        if let Some(v) = secret("SARING_BRI_CLIENT_SECRET") {
            cfg.bri.client_secret = Some(v);
        }
        if let Some(v) = text("SARING_BRI_BASE_URL") {
            cfg.bri.base_url = v;
        }
        if let Some(v) = secret("SARING_KRYPTOGO_API_KEY") {
            cfg.kryptogo.api_key = Some(v);
        }
        if let Some(v) = text("SARING_KRYPTOGO_BASE_URL") {
            cfg.kryptogo.base_url = v;
        }
        if let Some(v) = text("SARING_KRYPTOGO_API_KEY_HEADER") {
            cfg.kryptogo.api_key_header = v;
        }
        if let Some(v) = secret("SARING_IDWISE_API_KEY") {
            cfg.idwise.api_key = Some(v);
        }
        if let Some(v) = text("SARING_IDWISE_BASE_URL") {
            cfg.idwise.base_url = v;
        }
        if let Some(v) = text("SARING_IDWISE_API_KEY_HEADER") {
            cfg.idwise.api_key_header = v;
        }
        if let Some(v) = text("SARING_IDWISE_AML_PATH") {
            cfg.idwise.aml_path = v;
        }
        Ok(cfg)
    }
}

/// A config parse error that never quotes values (which could be credentials): position, and the field
/// name for unknown or missing fields.
fn config_parse_error(path: &Path, e: &serde_json::Error) -> crate::Error {
    let msg = e.to_string();
    let what = if msg.starts_with("unknown field") || msg.starts_with("missing field") {
        msg.split(" at line").next().unwrap_or("").split(", expected").next().unwrap_or("").to_string()
    } else {
        match e.classify() {
            serde_json::error::Category::Data => "a value has the wrong type".to_string(),
            _ => "invalid JSON".to_string(),
        }
    };
    crate::Error::ListParse {
        file: path.to_path_buf(),
        line: e.line() as u64,
        reason: format!("provider config: {what}"),
    }
}

/// The credential or a typed "missing" error.
pub(crate) fn require(
    provider: &'static str,
    value: &Option<Secret>,
    variable: &'static str,
    key: &'static str,
) -> Result<Secret, ProviderError> {
    match value {
        Some(s) if !s.is_empty() => {
            // Credentials go into HTTP headers or form bodies: printable ASCII only (the value is not shown).
            if !s.expose().bytes().all(|b| b.is_ascii_graphic() || b == b' ') {
                return Err(ProviderError::Config {
                    provider,
                    reason: format!(
                        "the credential from {variable} / `{key}` contains control or non-ASCII characters"
                    ),
                });
            }
            Ok(s.clone())
        }
        _ => Err(ProviderError::MissingCredential { provider, variable, key }),
    }
}

/// Checks a configured header name (visible ASCII token characters only).
pub(crate) fn check_header_name(provider: &'static str, name: &str) -> Result<(), ProviderError> {
    let ok = !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b));
    if ok {
        Ok(())
    } else {
        Err(ProviderError::Config { provider, reason: format!("invalid header name {name:?}") })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_then_env() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("c.json");
        std::fs::write(
            &p,
            r#"{"http":{"read_timeout_ms":250,"max_retries":1},
                "iluma":{"api_key":"file_key","base_url":"http://127.0.0.1:9"},
                "kryptogo":{"api_key_header":"X-KG-Key","search_setting_id":7},
                "idwise":{"aml_path":"/aml/{journey_id}"}}"#,
        )
        .unwrap();
        let env = |n: &str| match n {
            "SARING_ILUMA_API_KEY" => Some("env_key".to_string()),
            "SARING_BRI_CLIENT_ID" => Some("  ".to_string()),
            _ => None,
        };
        let c = ProvidersConfig::load(Some(&p), &env).unwrap();
        assert_eq!(c.iluma.api_key.as_ref().unwrap().expose(), "env_key");
        assert_eq!(c.iluma.base_url, "http://127.0.0.1:9");
        assert!(c.bri.client_id.is_none(), "blank env values are ignored");
        assert_eq!(c.http.read_timeout, Duration::from_millis(250));
        assert_eq!(c.http.max_retries, 1);
        assert_eq!(c.kryptogo.api_key_header, "X-KG-Key");
        assert_eq!(c.kryptogo.search_setting_id, Some(7));
        assert_eq!(c.idwise.aml_path, "/aml/{journey_id}");
        assert_eq!(c.bri.similarity_path, "/v1.0/aml/similarity");
        let dbg = format!("{c:?}");
        assert!(!dbg.contains("env_key") && !dbg.contains("file_key"), "{dbg}");
    }

    #[test]
    fn parse_errors_do_not_quote_values() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("c.json");
        std::fs::write(&p, r#"{"iluma":{"api_key": 987654321}}"#).unwrap();
        let e = ProvidersConfig::load(Some(&p), &|_| None).unwrap_err().to_string();
        assert!(!e.contains("987654321"), "{e}");
        assert!(e.contains("wrong type"), "{e}");
        std::fs::write(&p, r#"{"iluma":{"api_kye":"sekrit"}}"#).unwrap();
        let e = ProvidersConfig::load(Some(&p), &|_| None).unwrap_err().to_string();
        assert!(e.contains("unknown field `api_kye`") && !e.contains("sekrit"), "{e}");
    }

    #[test]
    fn credentials_must_be_printable_ascii() {
        let bad = Some(Secret::new("abc\ndef"));
        let e = require("iluma", &bad, "SARING_ILUMA_API_KEY", "iluma.api_key").unwrap_err().to_string();
        assert!(e.contains("control") && !e.contains("abc"), "{e}");
        assert!(require("iluma", &Some(Secret::new("ok-key_1")), "V", "k").is_ok());
        assert!(matches!(require("iluma", &None, "V", "k"), Err(ProviderError::MissingCredential { .. })));
    }

    #[test]
    fn header_names() {
        assert!(check_header_name("k", "X-API-KEY").is_ok());
        assert!(check_header_name("k", "X API").is_err());
        assert!(check_header_name("k", "").is_err());
        assert!(check_header_name("k", "A:b").is_err());
    }
}
