//! `SERVICE` calls to remote SPARQL endpoints, on an allow-list.
//!
//! Oxigraph evaluates `SERVICE` through a handler; gardkg's ([`ServiceClient`]) refuses every endpoint that is not
//! on the allow-list (empty by default, so a query cannot make the process call out: no SSRF), including one
//! reached through `SERVICE ?var`, whose name is only known while the query runs. An allowed call is a SPARQL 1.1
//! Protocol POST with a timeout, and at most [`ServicePolicy::max_rows`] rows are accepted from it.
//!
//! The allow-list comes from the configuration file ([`Config`]) and from flags. An entry is an endpoint URL;
//! it allows that endpoint and any URL under it (same scheme, host and port, a path that continues it).

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use oxigraph::model::NamedNode;
use oxigraph::sparql::results::{QueryResultsFormat, QueryResultsParser, ReaderQueryResultsParserOutput};
use oxigraph::sparql::{DefaultServiceHandler, QuerySolutionIter};
use serde::Deserialize;
use spargebra::algebra::GraphPattern;

/// The environment variable naming the configuration file.
pub const CONFIG_ENV: &str = "GARDKG_CONFIG";

/// Why a `SERVICE` call failed or was refused.
#[derive(Debug, Clone, thiserror::Error)]
pub enum ServiceError {
    /// The endpoint is not on the allow-list.
    #[error(
        "SERVICE <{0}> refused: the endpoint is not on the allow-list (add it with --service-allow or in the \
         [service] allow list of the configuration file)"
    )]
    NotAllowed(String),
    /// The call failed.
    #[error("SERVICE <{endpoint}>: {reason}")]
    Failed {
        /// The endpoint.
        endpoint: String,
        /// What went wrong.
        reason: String,
    },
}

/// The configuration file (TOML): `[service] allow = [...]`, `timeout_seconds`, `max_rows`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// `SERVICE` settings.
    #[serde(default)]
    pub service: ServiceConfig,
}

/// The `[service]` table.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceConfig {
    /// Endpoints `SERVICE` may call.
    #[serde(default)]
    pub allow: Vec<String>,
    /// Timeout of one call, in seconds.
    pub timeout_seconds: Option<u64>,
    /// Largest number of rows accepted from one call.
    pub max_rows: Option<usize>,
}

impl Config {
    /// The default location: `$GARDKG_CONFIG`, else `$XDG_CONFIG_HOME/gardkg/config.toml`, else
    /// `~/.config/gardkg/config.toml`.
    pub fn default_path() -> Option<PathBuf> {
        if let Some(p) = std::env::var_os(CONFIG_ENV).filter(|p| !p.is_empty()) {
            return Some(PathBuf::from(p));
        }
        if let Some(p) = std::env::var_os("XDG_CONFIG_HOME").filter(|p| !p.is_empty()) {
            return Some(PathBuf::from(p).join("gardkg/config.toml"));
        }
        std::env::var_os("HOME").filter(|p| !p.is_empty()).map(|h| PathBuf::from(h).join(".config/gardkg/config.toml"))
    }

    /// Reads a configuration file. `explicit` is whether the user named it: a missing default file is no error.
    pub fn read(path: &Path, explicit: bool) -> Result<Self, String> {
        match std::fs::read_to_string(path) {
            Ok(text) => toml::from_str(&text).map_err(|e| format!("{}: {e}", path.display())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !explicit => Ok(Self::default()),
            Err(e) => Err(format!("{}: {e}", path.display())),
        }
    }
}

/// What `SERVICE` may call, and how.
#[derive(Debug, Clone)]
pub struct ServicePolicy {
    allow: Vec<reqwest::Url>,
    /// Timeout of one call.
    pub timeout: Duration,
    /// Largest number of rows accepted from one call; more is an error.
    pub max_rows: usize,
}

impl Default for ServicePolicy {
    /// Nothing allowed; 30 s and 10,000 rows per call once something is.
    fn default() -> Self {
        Self { allow: Vec::new(), timeout: Duration::from_secs(30), max_rows: 10_000 }
    }
}

impl ServicePolicy {
    /// A policy from the configuration file and flags (flags add to the file's allow-list and override its
    /// limits).
    pub fn new(
        config: &ServiceConfig,
        allow: &[String],
        timeout: Option<Duration>,
        max_rows: Option<usize>,
    ) -> Result<Self, String> {
        let mut policy = Self::default();
        for entry in config.allow.iter().chain(allow) {
            let url = reqwest::Url::parse(entry).map_err(|e| format!("service allow-list entry {entry:?}: {e}"))?;
            if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
                return Err(format!("service allow-list entry {entry:?}: only http(s) endpoints can be allowed"));
            }
            policy.allow.push(url);
        }
        if let Some(t) = timeout.or(config.timeout_seconds.map(Duration::from_secs)) {
            policy.timeout = t;
        }
        if let Some(n) = max_rows.or(config.max_rows) {
            policy.max_rows = n;
        }
        Ok(policy)
    }

    /// The allowed endpoints.
    pub fn allowed(&self) -> impl Iterator<Item = &str> {
        self.allow.iter().map(reqwest::Url::as_str)
    }

    /// Whether `SERVICE <endpoint>` may be called.
    pub fn allows(&self, endpoint: &str) -> bool {
        let Ok(url) = reqwest::Url::parse(endpoint) else { return false };
        self.allow.iter().any(|a| {
            a.scheme() == url.scheme()
                && a.host_str().map(str::to_ascii_lowercase) == url.host_str().map(str::to_ascii_lowercase)
                && a.port_or_known_default() == url.port_or_known_default()
                && (url.path() == a.path()
                    || url.path().starts_with(a.path())
                        && (a.path().ends_with('/') || url.path()[a.path().len()..].starts_with('/')))
        })
    }
}

/// The `SERVICE` handler gardkg gives Oxigraph. Clones share the record of refused and failed calls, which the
/// caller reads after the query (a `SERVICE SILENT` failure gives no error, only that record).
#[derive(Clone)]
pub struct ServiceClient {
    policy: ServicePolicy,
    client: Option<reqwest::blocking::Client>,
    problems: Arc<Mutex<Vec<ServiceError>>>,
}

impl ServiceClient {
    /// A handler for the policy (no HTTP client is built when nothing is allowed).
    pub fn new(policy: ServicePolicy) -> Result<Self, String> {
        let client = if policy.allow.is_empty() {
            None
        } else {
            let limits = crate::source::fetch::FetchLimits {
                timeout: policy.timeout,
                max_redirects: 0,
                ..crate::source::fetch::FetchLimits::default()
            };
            Some(crate::source::fetch::client(&limits)?)
        };
        Ok(Self { policy, client, problems: Arc::default() })
    }

    /// A handler with the same policy and HTTP client and its own record of problems: one per query, when many
    /// queries run at once (a server).
    #[must_use]
    pub fn for_query(&self) -> Self {
        Self { policy: self.policy.clone(), client: self.client.clone(), problems: Arc::default() }
    }

    /// The policy.
    pub fn policy(&self) -> &ServicePolicy {
        &self.policy
    }

    /// The calls refused or failed so far, each once.
    pub fn problems(&self) -> Vec<ServiceError> {
        let mut seen = Vec::new();
        for p in self.problems.lock().map(|p| p.clone()).unwrap_or_default() {
            if !seen.iter().any(|s: &ServiceError| s.to_string() == p.to_string()) {
                seen.push(p);
            }
        }
        seen
    }

    fn record(&self, error: ServiceError) -> ServiceError {
        if let Ok(mut problems) = self.problems.lock() {
            problems.push(error.clone());
        }
        error
    }

    fn call(
        &self,
        endpoint: &str,
        pattern: &GraphPattern,
        base_iri: Option<&oxiri::Iri<String>>,
    ) -> Result<QuerySolutionIter<'static>, ServiceError> {
        let failed = |reason: String| ServiceError::Failed { endpoint: endpoint.to_owned(), reason };
        let client = self.client.as_ref().ok_or_else(|| ServiceError::NotAllowed(endpoint.to_owned()))?;
        let query = spargebra::Query::Select { dataset: None, pattern: pattern.clone(), base_iri: base_iri.cloned() };
        let response = client
            .post(endpoint)
            .header(
                reqwest::header::ACCEPT,
                "application/sparql-results+json, application/sparql-results+xml;q=0.9, text/tab-separated-values;q=0.8",
            )
            .form(&[("query", query.to_string())])
            .send()
            .map_err(|e| failed(crate::source::fetch::describe(&e)))?;
        let status = response.status();
        if !status.is_success() {
            let body: String = response.text().unwrap_or_default().chars().take(300).collect();
            return Err(failed(format!("HTTP {status}: {}", crate::source::sanitize(body.trim()))));
        }
        let content_type = response
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        let format = QueryResultsFormat::from_media_type(&content_type)
            .ok_or_else(|| failed(format!("unsupported results content type {content_type:?}")))?;
        let parsed = QueryResultsParser::from_format(format)
            .for_reader(response)
            .map_err(|e| failed(format!("malformed results: {e}")))?;
        let ReaderQueryResultsParserOutput::Solutions(solutions) = parsed else {
            return Err(failed("the endpoint answered a boolean to a SELECT".into()));
        };
        let variables: Arc<[oxigraph::sparql::Variable]> = solutions.variables().into();
        let mut rows = Vec::new();
        for solution in solutions {
            if rows.len() == self.policy.max_rows {
                return Err(failed(format!(
                    "more than {} rows (the per-call cap; raise it with --service-max-rows)",
                    self.policy.max_rows
                )));
            }
            rows.push(solution.map_err(|e| failed(format!("malformed results: {e}")))?);
        }
        Ok(QuerySolutionIter::new(variables, rows.into_iter().map(Ok)))
    }
}

impl DefaultServiceHandler for ServiceClient {
    type Error = ServiceError;

    fn handle(
        &self,
        service_name: &NamedNode,
        pattern: &GraphPattern,
        base_iri: Option<&oxiri::Iri<String>>,
    ) -> Result<QuerySolutionIter<'static>, ServiceError> {
        let endpoint = service_name.as_str();
        if !self.policy.allows(endpoint) {
            return Err(self.record(ServiceError::NotAllowed(endpoint.to_owned())));
        }
        self.call(endpoint, pattern, base_iri).map_err(|e| self.record(e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allow_list_matches_endpoint_and_paths_under_it() {
        let config = ServiceConfig { allow: vec!["http://127.0.0.1:7879/sparql".into()], ..ServiceConfig::default() };
        let policy = ServicePolicy::new(&config, &["https://query.example.org/".into()], None, None).unwrap();
        assert!(policy.allows("http://127.0.0.1:7879/sparql"));
        assert!(policy.allows("http://127.0.0.1:7879/sparql/sub"));
        assert!(!policy.allows("http://127.0.0.1:7879/sparqlx"));
        assert!(!policy.allows("http://127.0.0.1:7880/sparql"));
        assert!(!policy.allows("https://127.0.0.1:7879/sparql"));
        assert!(!policy.allows("http://169.254.169.254/latest/meta-data"));
        assert!(policy.allows("https://QUERY.example.org/anything"));
        assert!(!ServicePolicy::default().allows("http://127.0.0.1:7879/sparql"));
        assert!(ServicePolicy::new(&ServiceConfig::default(), &["file:///etc/passwd".into()], None, None).is_err());
    }

    #[test]
    fn config_files_are_strict() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        std::fs::write(&path, "[service]\nallow = [\"http://localhost:1/sparql\"]\ntimeout_seconds = 3\n").unwrap();
        let config = Config::read(&path, true).unwrap();
        assert_eq!(config.service.allow, ["http://localhost:1/sparql"]);
        assert_eq!(config.service.timeout_seconds, Some(3));
        std::fs::write(&path, "[service]\nalow = []\n").unwrap();
        assert!(Config::read(&path, true).unwrap_err().contains("alow"));
        assert!(Config::read(&dir.path().join("missing.toml"), false).is_ok());
        assert!(Config::read(&dir.path().join("missing.toml"), true).is_err());
    }
}
