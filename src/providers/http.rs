//! The one HTTP layer every provider adapter goes through.
//!
//! It is deliberately small and strict:
//!
//! - **HTTPS only.** A [`BaseUrl`] refuses `http://` unless the host is a loopback address
//!   (`127.0.0.1`, `localhost`, `[::1]`), which the tests use. URLs with user info, a query or a fragment
//!   are refused, and request paths are checked so that a request can only ever go to the configured host.
//!   Redirects are never followed: a 3xx answer is an error, so credentials never reach another host.
//! - **Timeouts.** Connect and read timeouts on every request ([`HttpConfig`]).
//! - **Retries only where they are harmless.** A failure is retried with jittered exponential backoff when
//!   it is retryable (network error, 408, 429, 5xx) *and* the request is safe to repeat ([`Retry::Safe`]:
//!   a GET, or a POST the adapter documents as idempotent). Two failures are retried for every request
//!   because the server did not act on it: a connection that could not be opened, and HTTP 429 (the
//!   request was rejected by the rate limiter before being processed). A `Retry-After` header is honoured
//!   up to [`HttpConfig::backoff_max`].
//! - **Bounded answers.** Bodies larger than [`HttpConfig::max_response_bytes`] are refused; a body cut
//!   short is a [`ProviderError::TruncatedBody`]; JSON is checked for its content type and parsed into
//!   typed errors ([`ProviderError::UnexpectedContentType`], [`ProviderError::MalformedJson`]).
//! - **Secrets stay secret.** Credentials are [`Secret`]s whose `Debug` and `Display` print `***`; error
//!   messages are built from the endpoint (method and path), never from headers, bodies or the full URL,
//!   and any text taken from a server answer is scrubbed of the client's secrets.

use super::ProviderError;
use serde::de::DeserializeOwned;
use serde::Deserialize;
use std::fmt;
use std::io::Read;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// A credential (API key, client secret, token). `Debug` and `Display` print `***`.
///
/// ```
/// use saring::providers::http::Secret;
/// let key = Secret::new("sk_live_abc123");
/// assert_eq!(format!("{key:?} {key}"), "Secret(***) ***");
/// assert_eq!(key.expose(), "sk_live_abc123");
/// ```
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    /// Wraps a credential.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The credential itself, to put on the wire. Never format or log the result.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// True when the credential is the empty string.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// A checked base URL: `https://host[:port][/prefix]`, or `http://` to a loopback host.
///
/// ```
/// use saring::providers::http::BaseUrl;
/// assert!(BaseUrl::parse("iluma", "https://api.iluma.ai").is_ok());
/// assert!(BaseUrl::parse("iluma", "http://127.0.0.1:8080").is_ok());
/// assert!(BaseUrl::parse("iluma", "http://api.iluma.ai").is_err());
/// assert!(BaseUrl::parse("iluma", "https://user:pw@api.iluma.ai").is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseUrl {
    origin: String,
    prefix: String,
}

impl BaseUrl {
    /// Parses and checks a base URL for `provider` (used in error messages).
    pub fn parse(provider: &'static str, url: &str) -> Result<BaseUrl, ProviderError> {
        let refuse = |reason: &str| ProviderError::InsecureUrl { provider, reason: reason.to_string() };
        let url = url.trim();
        let (scheme, rest) = url.split_once("://").ok_or_else(|| refuse("not an absolute URL"))?;
        let scheme = scheme.to_ascii_lowercase();
        if rest.contains(['?', '#']) {
            return Err(refuse("a base URL may not have a query or a fragment"));
        }
        if rest.bytes().any(|b| !b.is_ascii_graphic()) {
            return Err(refuse("a base URL may only contain visible ASCII characters"));
        }
        let (authority, path) = match rest.find('/') {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, ""),
        };
        if authority.contains('@') {
            return Err(refuse("credentials in the URL are not allowed; use the environment or the config file"));
        }
        if authority.is_empty() {
            return Err(refuse("no host"));
        }
        let host = host_of(authority).ok_or_else(|| refuse("malformed host or port"))?;
        let is_loopback = matches!(host.as_str(), "127.0.0.1" | "localhost" | "[::1]");
        match scheme.as_str() {
            "https" => {}
            "http" if is_loopback => {}
            "http" => return Err(refuse("plain http is allowed only to 127.0.0.1, localhost or [::1]; use https")),
            _ => return Err(refuse("only https URLs are allowed")),
        }
        if path.contains("//") || path.contains("/../") || path.ends_with("/..") {
            return Err(refuse("malformed path"));
        }
        let prefix = path.trim_end_matches('/').to_string();
        Ok(BaseUrl { origin: format!("{scheme}://{}", authority.to_ascii_lowercase()), prefix })
    }

    /// `scheme://host[:port]`.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// The path as sent on the wire: the base URL's own path prefix, then `path`.
    pub fn wire_path(&self, path: &str) -> String {
        format!("{}{}", self.prefix, path)
    }

    /// The full URL of a request path (which must start with `/`).
    fn join(&self, provider: &'static str, path: &str) -> Result<String, ProviderError> {
        check_path(provider, path)?;
        Ok(format!("{}{}{}", self.origin, self.prefix, path))
    }
}

/// The host part of an authority (`host`, `host:port`, `[v6]:port`), lowercased, if well formed.
fn host_of(authority: &str) -> Option<String> {
    let (host, port) = if let Some(rest) = authority.strip_prefix('[') {
        let end = rest.find(']')?;
        let host = &authority[..end + 2];
        let after = &rest[end + 1..];
        let port = if after.is_empty() { None } else { Some(after.strip_prefix(':')?) };
        (host, port)
    } else {
        match authority.rsplit_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (authority, None),
        }
    };
    if let Some(p) = port {
        if p.is_empty() || p.len() > 5 || !p.bytes().all(|b| b.is_ascii_digit()) || p.parse::<u32>().ok()? > 65535 {
            return None;
        }
    }
    if host.is_empty() || (!host.starts_with('[') && host.contains(':')) {
        return None;
    }
    Some(host.to_ascii_lowercase())
}

/// Checks a configured or built request path: absolute, same host, visible ASCII, no query or fragment
/// markers other than one `?` for a query string.
pub(crate) fn check_path(provider: &'static str, path: &str) -> Result<(), ProviderError> {
    let bad = |reason: &str| ProviderError::Config { provider, reason: format!("request path: {reason}") };
    if !path.starts_with('/') || path.starts_with("//") {
        return Err(bad("must start with a single '/'"));
    }
    if path.contains("://") || path.contains('#') || path.contains('@') {
        return Err(bad("must be a path on the configured host"));
    }
    if path.bytes().any(|b| !b.is_ascii_graphic()) {
        return Err(bad("may only contain visible ASCII characters"));
    }
    Ok(())
}

/// Percent-encodes one path segment (an id supplied by the caller or the provider).
///
/// ```
/// use saring::providers::http::encode_segment;
/// assert_eq!(encode_segment("ab-12_x.y~z"), "ab-12_x.y~z");
/// assert_eq!(encode_segment("../a b/?"), "..%2Fa%20b%2F%3F");
/// ```
pub fn encode_segment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    if out == "." || out == ".." {
        return out.replace('.', "%2E");
    }
    out
}

/// Percent-encodes a form or query value (`application/x-www-form-urlencoded`).
pub fn encode_form_value(s: &str) -> String {
    encode_segment(s)
}

/// A function that sleeps (injected so tests can run without waiting).
pub type Sleeper = Arc<dyn Fn(Duration) + Send + Sync>;

/// Timeouts, retries and limits of the HTTP layer.
#[derive(Clone)]
pub struct HttpConfig {
    /// Time allowed to open a connection (default 5 s).
    pub connect_timeout: Duration,
    /// Time allowed for each read from the server (default 30 s).
    pub read_timeout: Duration,
    /// Time allowed for one whole attempt, checked while the body is read, against servers that drip
    /// bytes just fast enough to dodge the read timeout (default 60 s).
    pub total_timeout: Duration,
    /// Retries after the first attempt, for retryable failures of safe requests (default 3).
    pub max_retries: u32,
    /// First backoff delay; attempt `n` waits a random time in `[d/2, d]` with `d = base * 2^n` (default 250 ms).
    pub backoff_base: Duration,
    /// Upper bound of one backoff delay, `Retry-After` included (default 10 s).
    pub backoff_max: Duration,
    /// Largest accepted response body (default 4 MiB).
    pub max_response_bytes: usize,
    /// How to wait between attempts (default `std::thread::sleep`).
    pub sleep: Sleeper,
}

impl Default for HttpConfig {
    fn default() -> Self {
        HttpConfig {
            connect_timeout: Duration::from_secs(5),
            read_timeout: Duration::from_secs(30),
            total_timeout: Duration::from_secs(60),
            max_retries: 3,
            backoff_base: Duration::from_millis(250),
            backoff_max: Duration::from_secs(10),
            max_response_bytes: 4 << 20,
            sleep: Arc::new(std::thread::sleep),
        }
    }
}

impl fmt::Debug for HttpConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpConfig")
            .field("connect_timeout", &self.connect_timeout)
            .field("read_timeout", &self.read_timeout)
            .field("total_timeout", &self.total_timeout)
            .field("max_retries", &self.max_retries)
            .field("backoff_base", &self.backoff_base)
            .field("backoff_max", &self.backoff_max)
            .field("max_response_bytes", &self.max_response_bytes)
            .finish_non_exhaustive()
    }
}

impl HttpConfig {
    /// The delay before retry number `attempt` (0-based): full jitter in `[d/2, d]`, `d = base * 2^attempt`,
    /// capped at `backoff_max`.
    pub fn backoff(&self, attempt: u32) -> Duration {
        let factor = 1u32.checked_shl(attempt.min(20)).unwrap_or(u32::MAX);
        let d = self.backoff_base.saturating_mul(factor).min(self.backoff_max);
        let nanos = d.as_nanos().min(u64::MAX as u128) as u64;
        if nanos < 2 {
            return d;
        }
        let half = nanos / 2;
        Duration::from_nanos(half + jitter() % (nanos - half + 1))
    }
}

/// A cheap pseudo-random number for backoff jitter (splitmix64 over time and a counter; not for secrets).
fn jitter() -> u64 {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let t = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_nanos() as u64).unwrap_or(0);
    let mut z = t ^ COUNTER.fetch_add(0x9E37_79B9_7F4A_7C15, Ordering::Relaxed);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Whether a request may be sent again after a retryable failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Retry {
    /// A GET, or a POST the provider documents (or the adapter states) to be free of side effects.
    Safe,
    /// A request that may create something or be billed: retried only when the server surely did not act
    /// on it (connection refused, HTTP 429).
    Unsafe,
}

/// One request to a provider.
pub struct Request {
    /// `GET` or `POST`.
    pub method: &'static str,
    /// Path (and optional query string) on the configured host, starting with `/`.
    pub path: String,
    /// Extra headers; values may hold credentials (this type has no `Debug` on purpose).
    pub headers: Vec<(String, String)>,
    /// Content type and body bytes, for a POST.
    pub body: Option<(&'static str, Vec<u8>)>,
    /// Retry policy.
    pub retry: Retry,
}

impl Request {
    /// A GET request.
    pub fn get(path: impl Into<String>) -> Self {
        Request { method: "GET", path: path.into(), headers: Vec::new(), body: None, retry: Retry::Safe }
    }

    /// A POST request with a JSON body (not retried unless marked [`Retry::Safe`]).
    pub fn post_json(path: impl Into<String>, body: Vec<u8>) -> Self {
        Request {
            method: "POST",
            path: path.into(),
            headers: Vec::new(),
            body: Some(("application/json", body)),
            retry: Retry::Unsafe,
        }
    }

    /// Adds a header.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Sets the retry policy.
    pub fn retry(mut self, retry: Retry) -> Self {
        self.retry = retry;
        self
    }

    /// `METHOD /path` without the query string, for error messages.
    pub fn endpoint(&self) -> String {
        let path = self.path.split('?').next().unwrap_or("");
        format!("{} {}", self.method, path)
    }
}

/// A response, fully read (within the size cap).
#[derive(Debug, Clone)]
pub struct Response {
    /// HTTP status.
    pub status: u16,
    /// `Content-Type` header, if any.
    pub content_type: Option<String>,
    /// `Retry-After` header, if any.
    pub retry_after: Option<String>,
    /// The body.
    pub body: Vec<u8>,
    /// `METHOD /path` of the request.
    pub endpoint: String,
}

impl Response {
    /// True for 2xx.
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// True when the content type is JSON (`application/json`, `application/problem+json`, ...).
    pub fn is_json(&self) -> bool {
        self.content_type.as_deref().map(|c| c.to_ascii_lowercase()).is_some_and(|c| {
            let mime = c.split(';').next().unwrap_or("").trim().to_string();
            mime == "application/json" || (mime.starts_with("application/") && mime.ends_with("+json"))
        })
    }

    /// Parses the body as JSON into `T`, checking the content type first.
    pub fn json<T: DeserializeOwned>(&self, provider: &'static str) -> Result<T, ProviderError> {
        if !self.is_json() {
            return Err(ProviderError::UnexpectedContentType {
                provider,
                endpoint: self.endpoint.clone(),
                status: self.status,
                content_type: self.content_type.clone().unwrap_or_else(|| "(none)".into()),
            });
        }
        serde_json::from_slice(&self.body).map_err(|e| ProviderError::MalformedJson {
            provider,
            endpoint: self.endpoint.clone(),
            status: self.status,
            reason: e.to_string(),
        })
    }

    /// Like [`Response::json`], but `None` when the body is not JSON (for error answers, which some
    /// gateways send as HTML or plain text).
    pub fn json_lenient(&self) -> Option<serde_json::Value> {
        if !self.is_json() {
            return None;
        }
        serde_json::from_slice(&self.body).ok()
    }
}

/// An HTTP client bound to one provider and one host.
#[derive(Clone)]
pub struct HttpClient {
    provider: &'static str,
    base: BaseUrl,
    agent: ureq::Agent,
    config: HttpConfig,
    /// Shared between clones, so a token obtained by one clone is scrubbed by all.
    secrets: Arc<Mutex<Vec<Secret>>>,
}

impl fmt::Debug for HttpClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpClient")
            .field("provider", &self.provider)
            .field("base", &self.base)
            .field("config", &self.config)
            .field("secrets", &self.secrets)
            .finish()
    }
}

impl HttpClient {
    /// A client for `provider` at `base`. `secrets` are scrubbed from any server text put in an error.
    pub fn new(provider: &'static str, base: BaseUrl, config: HttpConfig, secrets: Vec<Secret>) -> Self {
        let agent = ureq::AgentBuilder::new()
            .timeout_connect(config.connect_timeout)
            .timeout_read(config.read_timeout)
            .timeout_write(config.read_timeout)
            .redirects(0)
            .user_agent(concat!("saring/", env!("CARGO_PKG_VERSION")))
            .build();
        let secrets = secrets.into_iter().filter(|s| !s.is_empty()).collect();
        HttpClient { provider, base, agent, config, secrets: Arc::new(Mutex::new(secrets)) }
    }

    /// The provider name.
    pub fn provider(&self) -> &'static str {
        self.provider
    }

    /// The base URL.
    pub fn base(&self) -> &BaseUrl {
        &self.base
    }

    /// The HTTP settings.
    pub fn config(&self) -> &HttpConfig {
        &self.config
    }

    /// Registers one more secret to scrub (e.g. an access token obtained at run time).
    pub fn add_secret(&self, secret: Secret) {
        if secret.is_empty() {
            return;
        }
        let mut guard = self.secrets.lock().unwrap_or_else(|p| p.into_inner());
        if !guard.contains(&secret) {
            guard.push(secret);
        }
    }

    /// Replaces every registered secret in `text` by `***` and bounds the length (for server messages).
    pub fn scrub(&self, text: &str) -> String {
        // Replace first, then shorten: shortening first could leave part of a secret cut at the edge.
        let mut out = text.to_string();
        let guard = self.secrets.lock().unwrap_or_else(|p| p.into_inner());
        for s in guard.iter() {
            if !s.is_empty() && out.contains(s.expose()) {
                out = out.replace(s.expose(), "***");
            }
        }
        out.chars().take(300).collect()
    }

    /// Sends a request, retrying retryable failures of safe requests; returns the last answer whatever its
    /// status (the adapter maps provider error bodies), or the last transport error.
    pub fn send(&self, request: &Request) -> Result<Response, ProviderError> {
        let url = self.base.join(self.provider, &request.path)?;
        let endpoint = request.endpoint();
        let mut attempt = 0u32;
        loop {
            let outcome = self.send_once(request, &url, &endpoint);
            let (retryable, retry_after) = match &outcome {
                Ok(resp) => {
                    let s = resp.status;
                    let status_retryable = s == 429 || (request.retry == Retry::Safe && (s == 408 || s >= 500));
                    (status_retryable, resp.retry_after.as_deref().and_then(parse_retry_after))
                }
                Err(e) => (e.is_connect_failure() || (request.retry == Retry::Safe && e.is_transient()), None),
            };
            if !retryable || attempt >= self.config.max_retries {
                return outcome;
            }
            let mut delay = self.config.backoff(attempt);
            if let Some(after) = retry_after {
                delay = delay.max(after).min(self.config.backoff_max);
            }
            (self.config.sleep)(delay);
            attempt += 1;
        }
    }

    fn send_once(&self, request: &Request, url: &str, endpoint: &str) -> Result<Response, ProviderError> {
        let provider = self.provider;
        let started = std::time::Instant::now();
        let mut req = self.agent.request(request.method, url);
        for (name, value) in &request.headers {
            req = req.set(name, value);
        }
        let result = match &request.body {
            Some((content_type, body)) => req.set("Content-Type", content_type).send_bytes(body),
            None => req.call(),
        };
        let resp = match result {
            Ok(resp) => resp,
            Err(ureq::Error::Status(_, resp)) => resp,
            Err(ureq::Error::Transport(t)) => {
                return Err(match transport_error(provider, endpoint, &t) {
                    // ureq quotes a rejected header line (name and value) in its message: scrub it.
                    ProviderError::Network { provider, endpoint, reason, connect } => {
                        ProviderError::Network { provider, endpoint, reason: self.scrub(&reason), connect }
                    }
                    other => other,
                });
            }
        };
        let status = resp.status();
        let content_type = resp.header("content-type").map(str::to_string);
        let retry_after = resp.header("retry-after").map(str::to_string);
        let declared_len = resp.header("content-length").and_then(|v| v.trim().parse::<u64>().ok());
        let cap = self.config.max_response_bytes;
        if declared_len.is_some_and(|n| n > cap as u64) {
            return Err(ProviderError::ResponseTooLarge { provider, endpoint: endpoint.to_string(), limit: cap });
        }
        let mut body = Vec::new();
        let mut reader = resp.into_reader().take(cap as u64 + 1);
        let mut chunk = [0u8; 16 * 1024];
        loop {
            if started.elapsed() > self.config.total_timeout {
                return Err(ProviderError::Timeout { provider, endpoint: endpoint.to_string() });
            }
            match reader.read(&mut chunk) {
                Ok(0) => break,
                Ok(n) => body.extend_from_slice(&chunk[..n]),
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) if is_timeout_io(&e) => {
                    return Err(ProviderError::Timeout { provider, endpoint: endpoint.to_string() })
                }
                Err(_) => return Err(ProviderError::TruncatedBody { provider, endpoint: endpoint.to_string() }),
            }
        }
        if body.len() > cap {
            return Err(ProviderError::ResponseTooLarge { provider, endpoint: endpoint.to_string(), limit: cap });
        }
        if declared_len.is_some_and(|n| (body.len() as u64) < n) {
            return Err(ProviderError::TruncatedBody { provider, endpoint: endpoint.to_string() });
        }
        Ok(Response { status, content_type, retry_after, body, endpoint: endpoint.to_string() })
    }
}

/// `Retry-After` in seconds (the HTTP-date form is ignored).
fn parse_retry_after(v: &str) -> Option<Duration> {
    v.trim().parse::<u64>().ok().map(|s| Duration::from_secs(s.min(3600)))
}

fn is_timeout_io(e: &std::io::Error) -> bool {
    matches!(e.kind(), std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock)
}

/// Maps a ureq transport error to a typed error without its URL (which the endpoint replaces).
fn transport_error(provider: &'static str, endpoint: &str, t: &ureq::Transport) -> ProviderError {
    let endpoint = endpoint.to_string();
    let mut source: Option<&(dyn std::error::Error + 'static)> = std::error::Error::source(t);
    while let Some(s) = source {
        if let Some(io) = s.downcast_ref::<std::io::Error>() {
            if is_timeout_io(io) {
                return ProviderError::Timeout { provider, endpoint };
            }
        }
        source = s.source();
    }
    let kind = t.kind();
    let detail = t.message().unwrap_or("").to_string();
    if detail.contains("timed out") {
        return ProviderError::Timeout { provider, endpoint };
    }
    let connect = matches!(kind, ureq::ErrorKind::Dns | ureq::ErrorKind::ConnectionFailed);
    let reason = if detail.is_empty() { kind.to_string() } else { format!("{kind}: {detail}") };
    ProviderError::Network { provider, endpoint, reason, connect }
}

/// Days since 1970-01-01 → (year, month, day) in the proleptic Gregorian calendar (civil-from-days).
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// A time as `yyyy-MM-ddTHH:mm:ss.SSSZ` in UTC (BRI's timestamp format).
///
/// ```
/// use std::time::{Duration, UNIX_EPOCH};
/// use saring::providers::http::utc_timestamp_millis;
/// assert_eq!(utc_timestamp_millis(UNIX_EPOCH), "1970-01-01T00:00:00.000Z");
/// assert_eq!(utc_timestamp_millis(UNIX_EPOCH + Duration::from_millis(951_782_400_123)), "2000-02-29T00:00:00.123Z");
/// ```
pub fn utc_timestamp_millis(t: SystemTime) -> String {
    let ms: i64 = match t.duration_since(UNIX_EPOCH) {
        Ok(d) => d.as_millis().min(i64::MAX as u128) as i64,
        Err(e) => -(e.duration().as_millis().min(i64::MAX as u128) as i64),
    };
    let days = ms.div_euclid(86_400_000);
    let in_day = ms.rem_euclid(86_400_000);
    let (y, m, d) = civil_from_days(days);
    let (h, rest) = (in_day / 3_600_000, in_day % 3_600_000);
    let (mi, rest) = (rest / 60_000, rest % 60_000);
    let (s, milli) = (rest / 1000, rest % 1000);
    format!("{y:04}-{m:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{milli:03}Z")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_from_days_vectors() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(-1), (1969, 12, 31));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
        assert_eq!(civil_from_days(11_017), (2000, 3, 1));
        assert_eq!(civil_from_days(19_782), (2024, 2, 29));
        // 2026-11-22: `echo $(( $(date -u -d 2026-11-22 +%s) / 86400 ))` prints 20779
        assert_eq!(civil_from_days(20_779), (2026, 11, 22));
        assert_eq!(civil_from_days(-719_468), (0, 3, 1));
    }

    #[test]
    fn timestamp_vectors() {
        // python3 -c "import datetime;print(datetime.datetime.fromtimestamp(1700000000.5,datetime.timezone.utc))"
        // → 2023-11-14 22:13:20.500000+00:00
        let t = UNIX_EPOCH + Duration::from_millis(1_700_000_000_500);
        assert_eq!(utc_timestamp_millis(t), "2023-11-14T22:13:20.500Z");
        let t = UNIX_EPOCH + Duration::from_millis(4_102_444_799_999);
        assert_eq!(utc_timestamp_millis(t), "2099-12-31T23:59:59.999Z");
        let t = UNIX_EPOCH - Duration::from_millis(1);
        assert_eq!(utc_timestamp_millis(t), "1969-12-31T23:59:59.999Z");
    }

    #[test]
    fn base_url_rules() {
        let ok = |u: &str| BaseUrl::parse("t", u).map(|b| (b.origin, b.prefix));
        assert_eq!(ok("https://API.example.com/").unwrap(), ("https://api.example.com".into(), "".into()));
        assert_eq!(ok("https://h:8443/v1/").unwrap(), ("https://h:8443".into(), "/v1".into()));
        assert!(ok("http://localhost:1").is_ok());
        assert!(ok("http://[::1]:80").is_ok());
        assert!(ok("http://127.0.0.1").is_ok());
        for bad in [
            "http://example.com",
            "http://127.0.0.2",
            "http://localhost.evil.com",
            "ftp://x",
            "https://a@b",
            "https://h/?q",
            "https://h#f",
            "https://h:99999",
            "https://h:",
            "https://",
            "https://h//x",
            "https://h/a/../b",
            "example.com",
            "https://h x",
        ] {
            assert!(ok(bad).is_err(), "{bad} should be refused");
        }
    }

    #[test]
    fn paths_stay_on_host() {
        let b = BaseUrl::parse("t", "https://h/api").unwrap();
        assert_eq!(b.join("t", "/x?y=1").unwrap(), "https://h/api/x?y=1");
        for bad in ["x", "//evil.com/x", "/x#f", "/a@b", "/http://e", "/a b"] {
            assert!(b.join("t", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn backoff_grows_with_jitter_and_cap() {
        let c = HttpConfig {
            backoff_base: Duration::from_millis(100),
            backoff_max: Duration::from_millis(1000),
            ..HttpConfig::default()
        };
        for _ in 0..50 {
            let d0 = c.backoff(0);
            assert!(d0 >= Duration::from_millis(50) && d0 <= Duration::from_millis(100), "{d0:?}");
            let d2 = c.backoff(2);
            assert!(d2 >= Duration::from_millis(200) && d2 <= Duration::from_millis(400), "{d2:?}");
            let d9 = c.backoff(40);
            assert!(d9 >= Duration::from_millis(500) && d9 <= Duration::from_millis(1000), "{d9:?}");
        }
        let zero = HttpConfig { backoff_base: Duration::ZERO, ..HttpConfig::default() };
        assert_eq!(zero.backoff(3), Duration::ZERO);
    }

    #[test]
    fn secret_is_redacted() {
        let s = Secret::new("hunter2");
        assert!(!format!("{s:?}{s}{:?}", vec![s.clone()]).contains("hunter2"));
    }

    #[test]
    fn retry_after_parsing() {
        assert_eq!(parse_retry_after(" 2 "), Some(Duration::from_secs(2)));
        assert_eq!(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"), None);
    }
}
