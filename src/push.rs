//! `gardkg push`: the store's graphs sent to a remote triple store with the SPARQL 1.1 Graph Store Protocol.
//!
//! Each graph is one `PUT <endpoint>?graph=<IRI>` with its triples as N-Triples, so a re-push replaces what the
//! remote store held for that graph and nothing else. Fuseki (`…/dataset/data`), Virtuoso
//! (`…/sparql-graph-crud-auth`), `GraphDB` (`…/repositories/R/rdf-graphs/service`), Neptune and Oxigraph's server
//! (`…/store`) all speak it. Transient failures (connection errors, 5xx, 429) are retried with exponential backoff;
//! every graph's outcome is reported.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::model::{GraphNameRef, NamedNode};
use reqwest::StatusCode;

use crate::source::fetch::{self, FetchLimits};
use crate::store::{GraphStore, StoreError};

/// The environment variable with a bearer token for the remote store.
pub const TOKEN_ENV: &str = "GARDKG_PUSH_TOKEN";
/// The environment variables with a user name and password (HTTP basic authentication).
pub const USER_ENV: &str = "GARDKG_PUSH_USER";
/// See [`USER_ENV`].
pub const PASSWORD_ENV: &str = "GARDKG_PUSH_PASSWORD";

/// How to authenticate to the remote store.
#[derive(Clone)]
pub enum Auth {
    /// `Authorization: Bearer …`.
    Bearer(String),
    /// HTTP basic authentication.
    Basic {
        /// User name.
        user: String,
        /// Password.
        password: Option<String>,
    },
}

impl std::fmt::Debug for Auth {
    /// Never prints the secret.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Bearer(_) => f.write_str("Bearer(…)"),
            Self::Basic { user, .. } => write!(f, "Basic({user}, …)"),
        }
    }
}

impl Auth {
    /// Credentials from the environment: [`TOKEN_ENV`], else [`USER_ENV`] and [`PASSWORD_ENV`].
    pub fn from_env() -> Option<Self> {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        if let Some(token) = var(TOKEN_ENV) {
            return Some(Self::Bearer(token));
        }
        var(USER_ENV).map(|user| Self::Basic { user, password: var(PASSWORD_ENV) })
    }
}

/// Where and how to push.
#[derive(Debug, Clone)]
pub struct PushOptions {
    /// The Graph Store Protocol endpoint (`http://localhost:3030/gard/data`).
    pub endpoint: reqwest::Url,
    /// Credentials.
    pub auth: Option<Auth>,
    /// Retries of one graph after a transient failure.
    pub retries: u32,
    /// The first backoff; each retry doubles it.
    pub backoff: Duration,
    /// Timeout of one request.
    pub timeout: Duration,
    /// Graphs sent at the same time.
    pub jobs: usize,
}

/// What a push did.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct PushReport {
    /// Graphs to send.
    pub graphs: usize,
    /// Graphs the remote store accepted.
    pub sent: usize,
    /// Bytes of N-Triples accepted.
    pub bytes: u64,
    /// Triples accepted.
    pub triples: u64,
    /// Requests retried.
    pub retries: usize,
    /// Graphs that failed, with the reason.
    pub failures: Vec<PushFailure>,
    /// Wall time.
    pub seconds: f64,
}

/// One graph that could not be pushed.
#[derive(Debug, Clone, serde::Serialize)]
pub struct PushFailure {
    /// The graph IRI.
    pub graph: String,
    /// Why.
    pub reason: String,
}

/// Pushes `graphs` of `store` to the remote store; `progress` is called after each graph.
pub fn push(
    store: &GraphStore,
    graphs: &[NamedNode],
    options: &PushOptions,
    progress: &(dyn Fn(usize) + Sync),
) -> Result<PushReport, String> {
    // The remote store is the user's choice, usually on the local network.
    let limits =
        FetchLimits { timeout: options.timeout, max_redirects: 0, allow_private: true, ..FetchLimits::default() };
    let client = fetch::client(&limits)?;
    let started = Instant::now();
    let next = AtomicUsize::new(0);
    let report = Mutex::new(PushReport { graphs: graphs.len(), ..PushReport::default() });
    std::thread::scope(|scope| {
        for _ in 0..options.jobs.clamp(1, 64) {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(graph) = graphs.get(i) else { break };
                    let outcome = push_graph(store, &client, graph, options);
                    let mut r = report.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
                    r.retries += outcome.retries;
                    match outcome.result {
                        Ok((bytes, triples)) => {
                            r.sent += 1;
                            r.bytes += bytes;
                            r.triples += triples;
                        }
                        Err(reason) => r.failures.push(PushFailure { graph: graph.as_str().to_owned(), reason }),
                    }
                    drop(r);
                    progress(i + 1);
                }
            });
        }
    });
    let mut report = report.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner);
    report.failures.sort_by(|a, b| a.graph.cmp(&b.graph));
    report.seconds = started.elapsed().as_secs_f64();
    Ok(report)
}

struct Outcome {
    result: Result<(u64, u64), String>,
    retries: usize,
}

/// One graph: serialize, then PUT with retries.
fn push_graph(
    store: &GraphStore,
    client: &reqwest::blocking::Client,
    graph: &NamedNode,
    options: &PushOptions,
) -> Outcome {
    let (body, triples) = match ntriples(store, graph) {
        Ok(b) => b,
        Err(e) => return Outcome { result: Err(format!("cannot read the graph: {e}")), retries: 0 },
    };
    let mut url = options.endpoint.clone();
    url.query_pairs_mut().append_pair("graph", graph.as_str());
    let bytes = body.len() as u64;
    let mut retries = 0;
    let mut wait = options.backoff;
    loop {
        let mut request =
            client.put(url.clone()).header(reqwest::header::CONTENT_TYPE, "application/n-triples").body(body.clone());
        request = match &options.auth {
            Some(Auth::Bearer(token)) => request.bearer_auth(token),
            Some(Auth::Basic { user, password }) => request.basic_auth(user, password.as_ref()),
            None => request,
        };
        let (transient, reason, retry_after) = match request.send() {
            Ok(response) if response.status().is_success() => {
                return Outcome { result: Ok((bytes, triples)), retries };
            }
            Ok(response) => {
                let status = response.status();
                let retry_after = response
                    .headers()
                    .get(reqwest::header::RETRY_AFTER)
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| v.trim().parse::<u64>().ok())
                    .map(|s| Duration::from_secs(s.min(60)));
                let text: String = response.text().unwrap_or_default().chars().take(200).collect();
                let transient = status.is_server_error() || status == StatusCode::TOO_MANY_REQUESTS;
                let hint = match status {
                    StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN => {
                        format!(" (credentials come from ${TOKEN_ENV}, or ${USER_ENV} and ${PASSWORD_ENV})")
                    }
                    _ => String::new(),
                };
                (transient, format!("HTTP {status}{hint}: {}", crate::source::sanitize(text.trim())), retry_after)
            }
            Err(e) => (true, fetch::describe(&e), None),
        };
        if !transient || retries >= options.retries as usize {
            let attempts = retries + 1;
            return Outcome {
                result: Err(format!("{reason} (after {attempts} attempt{})", if attempts == 1 { "" } else { "s" })),
                retries,
            };
        }
        std::thread::sleep(retry_after.unwrap_or(wait));
        wait = wait.saturating_mul(2);
        retries += 1;
    }
}

/// A graph's triples as N-Triples, with their count.
fn ntriples(store: &GraphStore, graph: &NamedNode) -> Result<(Vec<u8>, u64), StoreError> {
    let mut serializer = RdfSerializer::from_format(RdfFormat::NTriples).for_writer(Vec::new());
    let mut n = 0;
    for quad in store.oxigraph().quads_for_pattern(None, None, None, Some(GraphNameRef::NamedNode(graph.as_ref()))) {
        serializer.serialize_triple(quad?.as_ref())?;
        n += 1;
    }
    Ok((serializer.finish()?, n))
}
