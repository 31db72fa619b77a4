//! `/search?q=&limit=`: the search index beside the store over HTTP: JSON for programs (the query page's search
//! box), an HTML page for people.
//!
//! The index is opened and checked against the store when the server starts. A missing or stale index is not
//! served: `/search` answers 503 and the search `SERVICE` fails, both with the reason and the command that rebuilds
//! it. A writable server rebuilds the index after the writes it makes, at the next search (it holds the store's
//! lock, so nothing else writes meanwhile): a SPARQL Update can change a name without changing what the index's
//! freshness check sees, so a refresh of the changed pages would not do.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::AppState;
use super::formats::{self, ApiError};
use super::html;
use super::limits::Answer;
use super::negotiate::{Offer, choose};
use super::resource::href;
use crate::search::{Hit, MAX_LIMIT, SearchIndex, SearchService};
use crate::store::GraphStore;

/// Hits when the request gives no `limit`.
pub const DEFAULT_LIMIT: usize = 20;

/// The index a server answers from, and the store generation it was last checked at.
pub(crate) struct SearchState {
    /// The store directory (none for a store without one: no index).
    store_path: Option<PathBuf>,
    current: Mutex<(u64, Result<Arc<SearchIndex>, String>)>,
}

impl SearchState {
    /// Opens the index beside the store at `store_path`, checked against `store`; a missing or stale index is
    /// remembered with its reason (and printed), not fatal: the rest of the server works without it.
    pub(crate) fn open(store: &GraphStore, store_path: Option<&Path>) -> Self {
        let index = match store_path {
            Some(path) => SearchIndex::open(store, path).map(Arc::new).map_err(|e| e.to_string()),
            None => Err("no search index: the store has no directory".to_owned()),
        };
        if let (Err(reason), Some(_)) = (&index, store_path) {
            eprintln!("gardkg serve: search is off until the index is rebuilt: {reason}");
        }
        Self { store_path: store_path.map(Path::to_owned), current: Mutex::new((0, index)) }
    }

    /// The index for the store as it is at `generation`. After a write through the server (a new generation), the
    /// index is first rebuilt from the store.
    pub(crate) fn index(&self, store: &GraphStore, generation: u64) -> Result<Arc<SearchIndex>, String> {
        let mut current = self.current.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if current.0 != generation {
            if let Some(path) = &self.store_path {
                let refreshed = SearchIndex::rebuild(store, path)
                    .and_then(|_| SearchIndex::open(store, path))
                    .map(Arc::new)
                    .map_err(|e| e.to_string());
                *current = (generation, refreshed);
            }
        }
        current.1.clone()
    }

    /// The search `SERVICE` for a query evaluated at `generation`.
    pub(crate) fn service(&self, store: &GraphStore, generation: u64) -> SearchService {
        match self.index(store, generation) {
            Ok(index) => SearchService::new(index),
            Err(reason) => SearchService::unavailable(store.namespace(), reason),
        }
    }
}

/// `/search` parameters.
#[derive(Debug, serde::Deserialize)]
pub struct SearchParams {
    q: Option<String>,
    limit: Option<String>,
    format: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SearchFormat {
    Html,
    Json,
}

/// Search answers, by preference: HTML for a browser (and when nothing is asked), JSON when asked for.
const OFFERS: &[Offer<SearchFormat>] = &[
    Offer { media_type: "text/html", names: &["html"], value: SearchFormat::Html },
    Offer { media_type: "application/xhtml+xml", names: &[], value: SearchFormat::Html },
    Offer { media_type: "application/json", names: &["json"], value: SearchFormat::Json },
];

/// A hit as `/search` gives it: the hit and its page on this server.
#[derive(serde::Serialize)]
struct ServedHit<'a> {
    #[serde(flatten)]
    hit: &'a Hit,
    /// The hit's page on this server (a path).
    url: String,
}

/// `GET /search?q=TEXT&limit=N`.
pub async fn search(
    State(state): State<Arc<AppState>>,
    Query(params): Query<SearchParams>,
    headers: HeaderMap,
) -> Response {
    answer(&state, &params, &headers).await.unwrap_or_else(IntoResponse::into_response)
}

async fn answer(state: &Arc<AppState>, params: &SearchParams, headers: &HeaderMap) -> Result<Response, ApiError> {
    let accept = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok());
    let format = choose(accept, params.format.as_deref(), OFFERS).map_err(ApiError::from_negotiation)?;
    let text = params.q.as_deref().map(str::trim).unwrap_or_default().to_owned();
    let limit = match params.limit.as_deref().map(str::trim) {
        None | Some("") => DEFAULT_LIMIT,
        Some(n) => n.parse::<usize>().ok().filter(|n| (1..=MAX_LIMIT).contains(n)).ok_or_else(|| {
            ApiError::bad_request(format!("limit={n:?}: expected a whole number from 1 to {MAX_LIMIT}"))
        })?,
    };
    if text.is_empty() && format == SearchFormat::Json {
        return Err(ApiError::bad_request("give the text to look for: /search?q=…"));
    }
    let timeout = state.config.timeout;
    let reader = state.clone();
    let query = text.clone();
    let hits = state
        .gate
        .run(timeout, move |_| -> Result<Vec<Hit>, ApiError> {
            if query.is_empty() {
                return Ok(Vec::new());
            }
            let index = reader
                .search
                .index(&reader.store, reader.generation())
                .map_err(|reason| ApiError::new(StatusCode::SERVICE_UNAVAILABLE, reason))?;
            index.search(&query, limit).map_err(ApiError::internal)
        })
        .await
        .map_err(|refusal| ApiError::refused(refusal, timeout))??;
    let namespace = state.store.namespace();
    let answer = match format {
        SearchFormat::Json => {
            let hits: Vec<ServedHit<'_>> =
                hits.iter().map(|hit| ServedHit { hit, url: href(namespace, &hit.iri) }).collect();
            let body = serde_json::to_vec(&serde_json::json!({ "query": text, "limit": limit, "hits": hits }))
                .map_err(ApiError::internal)?;
            Answer { content_type: "application/json", body: body.into() }
        }
        SearchFormat::Html => html::search(namespace, &text, &hits),
    };
    let mut response = formats::respond(&Arc::new(answer), None);
    response.headers_mut().insert(header::VARY, header::HeaderValue::from_static("accept"));
    Ok(response)
}
