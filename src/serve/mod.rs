//! `gardkg serve`: the store as a linked-data server, on axum and tokio.
//!
//! - [`protocol`]: the SPARQL 1.1 Protocol on `/sparql` (query and, with `--writable`, update), its Service
//!   Description, and the Graph Store Protocol on `/store`.
//! - [`resource`]: linked data. Every IRI the project mints, and every disease, dereferences here: HTML for a
//!   browser ([`html`], the disease page from [`disease`]), Turtle, N-Triples, JSON-LD or RDF/XML otherwise.
//! - [`assets`]: the query page (`static/`, compiled into the binary).
//! - [`limits`]: what bounds a request: the gate of concurrent evaluations with its queue, the query timeout (a
//!   cancellation token), the body size, the number of result rows; [`listener`] bounds connections and the time a
//!   client may take to send its headers.
//!
//! Every answer that depends only on the store (a query without `SERVICE`, `NOW()`, `RAND()`...; a page) is cached
//! under the store's generation, which every write through the server changes: the server holds the store's lock,
//! so nothing else writes while it runs.

mod assets;
mod disease;
mod formats;
mod html;
mod limits;
mod listener;
mod negotiate;
mod protocol;
mod resource;
mod search;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use axum::Router;
use axum::http::{HeaderName, HeaderValue, Method, header};
use axum::routing::get;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::set_header::SetResponseHeaderLayer;

use crate::federation::ServiceClient;
use crate::store::{GraphStore, StoreError};

pub use limits::Status;

/// The environment variable holding the bearer token that writes must present.
pub const TOKEN_ENV: &str = "GARDKG_SERVE_TOKEN";

/// How the server runs: every limit is here, with the defaults `gardkg serve` documents.
#[derive(Clone)]
pub struct ServeConfig {
    /// Where to listen.
    pub bind: SocketAddr,
    /// Accept SPARQL Update and Graph Store writes.
    pub writable: bool,
    /// The bearer token writes must present (required for a writable server on a non-loopback address).
    pub token: Option<String>,
    /// Longest evaluation of one request; the evaluation is cancelled then.
    pub timeout: Duration,
    /// Most result rows (or triples) of one answer; more is an error.
    pub max_rows: usize,
    /// Largest request body, in bytes.
    pub max_body: usize,
    /// Evaluations running at once.
    pub max_running: usize,
    /// Requests waiting for an evaluation slot; more are answered 503 with `Retry-After`.
    pub max_waiting: usize,
    /// Time a client has to send its request headers, and then its body.
    pub header_timeout: Duration,
    /// Open connections at once; more wait in the kernel's accept queue.
    pub max_connections: usize,
    /// Origins allowed by CORS (`*` for any); none by default.
    pub cors: Vec<String>,
    /// Bytes of answers kept in memory (0: no cache).
    pub cache_bytes: usize,
    /// The `SERVICE` allow-list and its limits.
    pub services: ServiceClient,
    /// The store's directory, whose search index (`DIR.search`) `/search` and the search `SERVICE` answer from
    /// (none: search answers 503).
    pub store_path: Option<PathBuf>,
}

impl ServeConfig {
    /// A configuration with the documented defaults, listening on `bind`.
    pub fn new(bind: SocketAddr, services: ServiceClient) -> Self {
        let cores = std::thread::available_parallelism().map_or(2, std::num::NonZero::get);
        Self {
            bind,
            writable: false,
            token: None,
            timeout: Duration::from_secs(30),
            max_rows: 100_000,
            max_body: 1024 * 1024,
            max_running: (2 * cores).max(4),
            max_waiting: 256,
            header_timeout: Duration::from_secs(10),
            max_connections: 1024,
            cors: Vec::new(),
            cache_bytes: 64 * 1024 * 1024,
            services,
            store_path: None,
        }
    }
}

/// Why the server cannot start.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The store cannot be opened.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Another process holds the store.
    #[error(
        "the store at {0} is already open in {1} (a running `gardkg serve`, or an ingest): stop it first, or serve a \
         copy of the store"
    )]
    StoreInUse(PathBuf, String),
    /// There is no store at the path.
    #[error("no store at {0}: run `gardkg ingest --store {0} PAGES…` first, or pass --store")]
    NoStore(PathBuf),
    /// The configuration is unsafe or contradictory.
    #[error("{0}")]
    Config(String),
    /// The address cannot be bound, or the runtime cannot start.
    #[error("{context}: {source}")]
    Io {
        /// What was being done.
        context: String,
        /// The error.
        #[source]
        source: std::io::Error,
    },
}

/// Opens the store a server serves: on disk, read-write so that the server holds its lock (a store opened
/// read-only while another process writes it is undefined behaviour in Oxigraph, and a second server on the same
/// store must fail clearly). Writes still need `--writable`. A store on read-only media (a read-only mount, a
/// container layer) is opened read-only by a read-only server: no process can write it there, so there is no
/// writer for the lock to keep out.
pub fn open_store(
    path: &std::path::Path,
    namespace: crate::model::vocab::Namespace,
    writable: bool,
) -> Result<GraphStore, ServeError> {
    if !path.join("CURRENT").exists() {
        return Err(ServeError::NoStore(path.to_owned()));
    }
    match GraphStore::open(path, namespace.clone()) {
        Ok(store) => Ok(store),
        Err(StoreError::InUse { path, holder }) => Err(ServeError::StoreInUse(path, holder)),
        Err(StoreError::Open { source, .. }) if !writable && source.to_string().contains("Read-only file system") => {
            GraphStore::open_read_only(path, namespace).map_err(ServeError::Store)
        }
        Err(e) => Err(ServeError::Store(e)),
    }
}

/// What every handler shares.
pub(crate) struct AppState {
    store: GraphStore,
    config: ServeConfig,
    gate: limits::Gate,
    cache: limits::Cache,
    /// Changes with every write through the server; cached answers and `ETag`s carry it.
    generation: AtomicU64,
    /// Distinguishes this run of the server in `ETag`s (the store may have changed while no server held it).
    epoch: u64,
    /// One write at a time.
    writing: tokio::sync::Mutex<()>,
    /// The search index beside the store.
    search: search::SearchState,
}

impl AppState {
    fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    /// Called after a write has committed.
    fn bump_generation(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
        self.cache.clear();
    }

    /// A weak `ETag` for a representation of the current state: `variant` says which (the negotiation's inputs).
    fn etag(&self, generation: u64, variant: &str) -> String {
        use std::hash::{Hash, Hasher};
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        variant.hash(&mut hasher);
        format!("W/\"{:x}-{generation}-{:x}\"", self.epoch, hasher.finish())
    }

    /// An answer that depends only on the store, under `variant` (what was asked and how it was negotiated): 304
    /// when the client holds the current one, else from the cache, else rendered through the gate (with the
    /// timeout) and cached under the store's generation.
    async fn cached(
        self: &Arc<Self>,
        headers: &axum::http::HeaderMap,
        variant: &str,
        render: impl FnOnce(&Arc<Self>, &oxigraph::sparql::CancellationToken) -> Result<limits::Answer, formats::ApiError>
        + Send
        + 'static,
    ) -> Result<axum::response::Response, formats::ApiError> {
        let generation = self.generation();
        let key = format!("{variant}\u{0}{generation}");
        let etag = self.etag(generation, &key);
        if let Some(response) = formats::not_modified(headers, &etag) {
            return Ok(response);
        }
        if let Some(answer) = self.cache.get(&key) {
            return Ok(formats::respond(&answer, Some(&etag)));
        }
        let timeout = self.config.timeout;
        let state = self.clone();
        let answer = self
            .gate
            .run(timeout, move |token| render(&state, token))
            .await
            .map_err(|refusal| formats::ApiError::refused(refusal, timeout))??;
        let answer = Arc::new(answer);
        self.cache.insert(key, answer.clone());
        Ok(formats::respond(&answer, Some(&etag)))
    }
}

/// A configured server over an open store.
pub struct Server {
    state: Arc<AppState>,
}

impl Server {
    /// Checks the configuration and builds the server. A writable server on an address other than loopback needs
    /// a token.
    pub fn new(store: GraphStore, config: ServeConfig) -> Result<Self, ServeError> {
        if config.writable && !config.bind.ip().is_loopback() && config.token.is_none() {
            return Err(ServeError::Config(format!(
                "refusing to serve a writable store on {} (not a loopback address) without a bearer token: set \
                 {TOKEN_ENV} or pass --token-file FILE",
                config.bind
            )));
        }
        if config.token.as_deref().is_some_and(|t| t.trim().len() < 16) {
            return Err(ServeError::Config("the bearer token must be at least 16 characters".into()));
        }
        if config.max_running == 0 || config.max_rows == 0 || config.max_body == 0 || config.max_connections == 0 {
            return Err(ServeError::Config(
                "--max-running, --max-rows, --max-body and --max-connections must be at least 1".into(),
            ));
        }
        let epoch = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| u64::try_from(d.as_nanos() % u128::from(u64::MAX)).unwrap_or(0))
            ^ u64::from(std::process::id()).rotate_left(32);
        let search = search::SearchState::open(&store, config.store_path.as_deref());
        let state = AppState {
            search,
            gate: limits::Gate::new(config.max_running, config.max_waiting),
            cache: limits::Cache::new(config.cache_bytes),
            store,
            config,
            generation: AtomicU64::new(0),
            epoch,
            writing: tokio::sync::Mutex::new(()),
        };
        Ok(Self { state: Arc::new(state) })
    }

    /// The routes, with CORS (when configured) and the headers every answer carries.
    pub fn router(&self) -> Router {
        let state = self.state.clone();
        let mut router = Router::new()
            .route("/", get(assets::index))
            .route("/static/{*path}", get(assets::file))
            .route("/api/queries", get(assets::queries))
            .route("/api/prefixes", get(assets::prefixes))
            .route("/api/status", get(status))
            .route("/context.jsonld", get(assets::context))
            .route("/sparql", get(protocol::sparql).post(protocol::sparql))
            .route(
                "/store",
                get(protocol::graph_store)
                    .put(protocol::graph_store)
                    .post(protocol::graph_store)
                    .delete(protocol::graph_store),
            )
            .route("/search", get(search::search))
            .route("/.well-known/void", get(resource::void))
            .route("/resource", get(resource::by_iri))
            .route("/gard/{id}", get(resource::gard))
            .fallback(resource::minted)
            .with_state(state.clone());
        router = router
            .layer(tower_http::compression::CompressionLayer::new())
            .layer(SetResponseHeaderLayer::if_not_present(
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            ))
            .layer(SetResponseHeaderLayer::if_not_present(
                HeaderName::from_static("referrer-policy"),
                HeaderValue::from_static("no-referrer"),
            ));
        if !state.config.cors.is_empty() {
            router = router.layer(cors(&state.config));
        }
        router
    }

    /// Serves on `listener` until `shutdown` completes, then lets open requests finish (up to 10 s).
    pub async fn serve(
        self,
        listener: tokio::net::TcpListener,
        shutdown: impl std::future::Future<Output = ()> + Send,
    ) -> std::io::Result<()> {
        let limits = listener::Limits {
            header_timeout: self.state.config.header_timeout,
            max_connections: self.state.config.max_connections,
        };
        listener::serve(listener, self.router(), limits, shutdown).await
    }
}

fn cors(config: &ServeConfig) -> CorsLayer {
    let origins = if config.cors.iter().any(|o| o == "*") {
        AllowOrigin::any()
    } else {
        AllowOrigin::list(config.cors.iter().filter_map(|o| HeaderValue::from_str(o).ok()))
    };
    let mut methods = vec![Method::GET, Method::HEAD, Method::POST];
    if config.writable {
        methods.extend([Method::PUT, Method::DELETE]);
    }
    CorsLayer::new()
        .allow_origin(origins)
        .allow_methods(methods)
        .allow_headers([header::ACCEPT, header::CONTENT_TYPE, header::AUTHORIZATION, header::IF_NONE_MATCH])
        .expose_headers([header::ETAG, header::RETRY_AFTER])
        .max_age(Duration::from_secs(3600))
}

/// `GET /api/status`: what the server is doing (evaluations running and waiting, timeouts so far), as JSON.
async fn status(axum::extract::State(state): axum::extract::State<Arc<AppState>>) -> axum::Json<Status> {
    axum::Json(state.gate.status(state.generation(), state.cache.len()))
}

/// Runs the server: opens the store, binds, prints where it listens on standard error, and serves until
/// interrupted (Ctrl-C or SIGTERM).
pub fn run(
    store_path: &std::path::Path,
    namespace: crate::model::vocab::Namespace,
    config: ServeConfig,
) -> Result<(), ServeError> {
    let store = open_store(store_path, namespace, config.writable)?;
    let mut config = config;
    config.store_path = Some(store_path.to_owned());
    let bind = config.bind;
    let max_blocking = config.max_running + 8;
    let server = Server::new(store, config)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .max_blocking_threads(max_blocking)
        // Query parsing and evaluation recurse with the query's nesting (bounded by protocol::MAX_DEPTH).
        .thread_stack_size(16 * 1024 * 1024)
        .thread_name("gardkg-serve")
        .build()
        .map_err(|source| ServeError::Io { context: "cannot start the runtime".into(), source })?;
    let outcome = runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(bind)
            .await
            .map_err(|source| ServeError::Io { context: format!("cannot listen on {bind}"), source })?;
        let address = listener
            .local_addr()
            .map_err(|source| ServeError::Io { context: "cannot read the bound address".into(), source })?;
        eprintln!("gardkg serve: listening on http://{address}/ (SPARQL endpoint http://{address}/sparql)");
        server
            .serve(listener, shutdown_signal())
            .await
            .map_err(|source| ServeError::Io { context: "server failed".into(), source })
    });
    // An evaluation Oxigraph cannot interrupt must not keep the process alive.
    runtime.shutdown_timeout(Duration::from_secs(1));
    outcome
}

async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
    eprintln!("gardkg serve: shutting down");
}
