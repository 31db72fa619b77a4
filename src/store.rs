//! A thin wrapper over `oxigraph::store::Store`: one named graph per page, replaced atomically.
//!
//! Durability: every page is replaced in one RocksDB transaction ([`GraphStore::replace_page`]), so after a crash
//! each page graph is either the old or the new one. The metadata graph is recomputed from the store's content
//! ([`GraphStore::refresh_meta`]), so it never disagrees with what is stored.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use oxigraph::io::RdfSerializer;
use oxigraph::model::{
    GraphName, GraphNameRef, Literal, NamedNode, NamedNodeRef, NamedOrBlankNode, NamedOrBlankNodeRef, Quad, Term,
};
use oxigraph::sparql::{QueryResults, SparqlEvaluator, Variable};
use oxigraph::store::{StorageError, Store};

use crate::federation::{ServiceClient, ServicePolicy};
use crate::model::PageGraph;
use crate::model::vocab::{self, Namespace, dcterms, prov, rdf, rdfs, void};
use crate::search::SearchService;

/// Memory the bulk loader may use for its buffers, in MB: 64k quads per loader thread on two cores. With one
/// loader for a whole ingest its threads keep working while the next chunk is modeled, so their buffers add to the
/// chunks in memory (single 10x runs of the benchmark's ingest phase, quads still copied: 560 MB at 256 MB, 487 MB
/// at 128, 497 MB at 64; the benchmark report at 128 measured 557 MB, so timing matters as much as the size).
const BULK_MEMORY_MB: usize = 128;

/// The environment variable that overrides the default store location.
pub const STORE_ENV: &str = "GARDKG_STORE";

/// Why a store operation failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The store could not be opened.
    #[error("cannot open the store at {path}: {source}")]
    Open {
        /// The store directory.
        path: PathBuf,
        /// The storage error (a lock held by another process, a corrupt or foreign directory...).
        #[source]
        source: StorageError,
    },
    /// Another process holds the store's write lock (an ingest, a server, an ontology load).
    #[error("the store at {} is in use by {holder}: wait for it to finish (`gardkg ingest --wait`), stop it, or use another --store", path.display())]
    InUse {
        /// The store directory.
        path: PathBuf,
        /// Who holds it: `process 1234 (gardkg serve …)` when the system says, else `another process`.
        holder: String,
    },
    /// The store was written by a gardkg whose store format this one does not read.
    #[error("{}", format_mismatch_message(path, found, *expected))]
    Format {
        /// The store directory.
        path: PathBuf,
        /// The format recorded in the store's metadata graph.
        found: String,
        /// The format this gardkg reads and writes ([`STORE_FORMAT`]).
        expected: u32,
    },
    /// A read or write failed.
    #[error("store: {0}")]
    Storage(#[from] StorageError),
    /// A query is malformed.
    #[error("malformed SPARQL query")]
    Syntax(#[from] oxigraph::sparql::SparqlSyntaxError),
    /// A value was bound to a variable the query neither projects nor uses in its first graph pattern.
    #[error("cannot bind ?{}: the query does not project it and its first graph pattern does not use it", .0.as_str())]
    Unbindable(Variable),
    /// A SPARQL Update was given where a query is expected.
    #[error(
        "this is a SPARQL Update, not a query: `gardkg query` only reads; the store changes through `gardkg ingest` \
         and `gardkg ontology load`, or a server started with `gardkg serve --writable` (POST /sparql with update=)"
    )]
    UpdateNotAccepted,
    /// A query nests deeper than [`MAX_QUERY_DEPTH`] (groups, `UNION` branches, path steps, expressions).
    #[error(
        "the query nests more than {max} levels deep (groups, UNION branches, property path steps or expressions): \
         gardkg refuses it rather than risk overflowing its stack"
    )]
    TooDeep {
        /// The limit.
        max: usize,
    },
    /// A query failed while running.
    #[error("query failed")]
    Evaluation(#[from] oxigraph::sparql::QueryEvaluationError),
    /// A search `SERVICE` call failed ([`crate::search::SearchService`]).
    #[error(transparent)]
    Search(Box<crate::search::SearchError>),
    /// A SPARQL Update failed while running (nothing of it was written).
    #[error("update failed")]
    UpdateFailed(#[from] oxigraph::sparql::UpdateEvaluationError),
    /// A SPARQL Update asked to `LOAD` a document: the store never fetches URLs on a request's behalf.
    #[error(
        "LOAD is refused: the store does not fetch documents for an update (load ontologies with `gardkg ontology \
         load`, pages with `gardkg ingest`, or send the graph with the Graph Store Protocol)"
    )]
    LoadRefused,
    /// One bulk load was given the same page twice ([`PageLoader::load`]).
    #[error("the page graph <{}> was given twice to one bulk load", .0.as_str())]
    PageTwice(NamedNode),
    /// A streaming bulk load was given a page the store holds ([`GraphStore::page_loader`]).
    #[error("the page graph <{}> is in the store already: a streaming bulk load only adds pages (use bulk_load or replace_page)", .0.as_str())]
    PageStored(NamedNode),
    /// Writing a serialization failed.
    #[error("cannot write the export: {0}")]
    Serialize(#[from] std::io::Error),
}

/// The deepest query evaluated: nested groups and brackets in the text, and levels of the parsed algebra (a chain
/// of `UNION`s or path steps is as deep as it is long). Parsing and evaluation recurse once per level, and a query
/// thousands of levels deep overflowed the stack and aborted the process; deeper queries are refused instead.
/// (`gardkg query` also runs on a thread with a large stack, so every query under the limit has room.)
pub const MAX_QUERY_DEPTH: usize = 1_000;

/// Refuses query text whose brackets (outside strings and comments) nest deeper than [`MAX_QUERY_DEPTH`], before
/// the parser recurses into them.
fn check_text_depth(query: &str) -> Result<(), StoreError> {
    let mut depth = 0usize;
    let mut chars = query.chars();
    while let Some(c) = chars.next() {
        match c {
            '(' | '{' | '[' => {
                depth += 1;
                if depth > MAX_QUERY_DEPTH {
                    return Err(StoreError::TooDeep { max: MAX_QUERY_DEPTH });
                }
            }
            ')' | '}' | ']' => depth = depth.saturating_sub(1),
            '<' => {
                // An IRI (`<http://x/a#b>`: no space before its `>`) is skipped whole; a `<` operator is not.
                let mut ahead = chars.clone();
                if ahead.by_ref().take_while(|d| !d.is_whitespace()).any(|d| d == '>') {
                    chars.by_ref().find(|&d| d == '>');
                }
            }
            '#' => {
                chars.by_ref().find(|&c| c == '\n');
            }
            '"' | '\'' => {
                // A string: skip to its closing quote (escapes skip one character).
                while let Some(d) = chars.next() {
                    if d == '\\' {
                        chars.next();
                    } else if d == c {
                        break;
                    }
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// Refuses a parsed query whose algebra is deeper than [`MAX_QUERY_DEPTH`]: a `UNION` chain or a long path has
/// no deep brackets but parses into a tree as deep as it is long. spargebra has no visitor; its `Debug` rendering
/// mirrors the tree, one bracket per level, so its bracket depth is the tree's depth (the rendering is linear in
/// the query's size).
fn check_algebra_depth(query: &spargebra::Query) -> Result<(), StoreError> {
    let rendering = format!("{query:?}");
    let mut depth = 0usize;
    let mut deepest = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for c in rendering.chars() {
        if in_string {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
            continue;
        }
        match c {
            '"' => in_string = true,
            '(' | '{' | '[' => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            ')' | '}' | ']' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    if deepest > MAX_QUERY_DEPTH {
        return Err(StoreError::TooDeep { max: MAX_QUERY_DEPTH });
    }
    Ok(())
}

/// The store format this gardkg writes and reads, recorded in the metadata graph as `gardkg:store_format` on the
/// dataset ([`GraphStore::refresh_meta`]) and checked when a store is opened. It changes when what is stored stops
/// being readable by the previous release: graph names, the metadata graph's layout, or an incompatible change of
/// the RDF contract (MODELING.md only grows, so most releases keep it). A store that records none was written
/// before the format was recorded, and is format 1.
pub const STORE_FORMAT: u32 = 1;

fn format_mismatch_message(path: &Path, found: &str, expected: u32) -> String {
    let path = path.display();
    match found.parse::<u32>() {
        Ok(n) if n > expected => format!(
            "the store at {path} was written by a newer gardkg (store format {n}; this gardkg reads format \
             {expected}): use that gardkg or a newer one, or ingest the pages into a new store with this one \
             (`gardkg ingest --store NEW PAGES…`)"
        ),
        Ok(n) => format!(
            "the store at {path} was written by an older gardkg (store format {n}; this gardkg reads format \
             {expected}): ingest its pages into a new store (`gardkg ingest --store NEW PAGES…`), or use the gardkg \
             that wrote it"
        ),
        Err(_) => format!(
            "the store at {path} records an unknown store format ({found:?}; this gardkg reads format {expected}): \
             it was not written by gardkg, or its metadata graph was edited; ingest the pages into a new store"
        ),
    }
}

/// The on-disk (RocksDB) side of Oxigraph, present with the `rocksdb` feature (the default).
#[cfg(feature = "rocksdb")]
mod disk {
    use std::path::Path;

    use oxigraph::store::{StorageError, Store};

    pub fn open(path: &Path) -> Result<Store, StorageError> {
        Store::open(path)
    }

    pub fn open_read_only(path: &Path) -> Result<Store, StorageError> {
        Store::open_read_only(path)
    }

    pub fn flush(store: &Store) -> Result<(), StorageError> {
        store.flush()
    }
}

/// A build without the `rocksdb` feature (the fuzz targets) has in-memory stores only: opening a directory is a
/// clear error, and flushing (nothing is on disk) does nothing.
#[cfg(not(feature = "rocksdb"))]
mod disk {
    use std::path::Path;

    use oxigraph::store::{StorageError, Store};

    fn no_disk_store() -> StorageError {
        StorageError::Other("this build has no on-disk store (gardkg was built without the `rocksdb` feature)".into())
    }

    pub fn open(_path: &Path) -> Result<Store, StorageError> {
        Err(no_disk_store())
    }

    pub fn open_read_only(_path: &Path) -> Result<Store, StorageError> {
        Err(no_disk_store())
    }

    #[expect(clippy::unnecessary_wraps, reason = "the same signature as the RocksDB build's")]
    pub fn flush(_store: &Store) -> Result<(), StorageError> {
        Ok(())
    }
}

/// Whether a RocksDB error is a file that vanished under a reader (compacted away by a writer beside it).
fn is_vanished_file(message: &str) -> bool {
    message.contains("No such file or directory")
}

/// Whether a RocksDB open failed on the store's lock (held by another process, or by this one).
fn is_lock_error(message: &str) -> bool {
    let message = message.to_ascii_lowercase();
    message.contains("lock") && (message.contains("resource temporarily unavailable") || message.contains("hold"))
}

/// Who holds the lock on `dir/LOCK`, as the system says (Linux: `/proc/locks` names the process of each POSIX
/// lock, `/proc/PID/cmdline` its command). `another process` elsewhere, or when the holder cannot be read.
fn lock_holder(dir: &Path) -> String {
    lock_holder_pid(dir).map_or_else(
        || "another process".to_owned(),
        |pid| {
            // Arguments are NUL-separated; the shared sanitizer drops control and bidi characters.
            let raw = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
            let text = crate::source::sanitize(&String::from_utf8_lossy(&raw).replace('\0', " "));
            let mut command = text.split_whitespace().collect::<Vec<_>>().join(" ");
            if command.chars().count() > 160 {
                command = command.chars().take(160).collect::<String>() + "…";
            }
            if command.is_empty() { format!("process {pid}") } else { format!("process {pid} ({command})") }
        },
    )
}

#[cfg(target_os = "linux")]
fn lock_holder_pid(dir: &Path) -> Option<u32> {
    use std::os::unix::fs::MetadataExt;
    let metadata = std::fs::metadata(dir.join("LOCK")).ok()?;
    let locks = std::fs::read_to_string("/proc/locks").ok()?;
    // `1: POSIX  ADVISORY  WRITE 1234 fd:01:5678 0 EOF`: the pid, then major:minor:inode of the file.
    locks.lines().find_map(|line| {
        let fields: Vec<&str> = line.split_whitespace().collect();
        let (pid, file) = (fields.get(4)?, fields.get(5)?);
        let inode = file.rsplit(':').next()?.parse::<u64>().ok()?;
        (inode == metadata.ino()).then(|| pid.parse().ok()).flatten()
    })
}

#[cfg(not(target_os = "linux"))]
fn lock_holder_pid(_dir: &Path) -> Option<u32> {
    None
}

/// How a query is evaluated beyond its text.
#[derive(Clone, Default)]
pub struct QueryOptions {
    /// The `SERVICE` handler (default: every endpoint refused).
    pub services: Option<ServiceClient>,
    /// Stops the evaluation when cancelled (a timeout, a closed connection).
    pub cancellation: Option<oxigraph::sparql::CancellationToken>,
    /// The search `SERVICE` ([`crate::search::SearchService`]), always reachable at its IRI whatever the
    /// allow-list says (default: one that answers that this store has no search index open).
    pub search: Option<SearchService>,
}

/// What a page ingest did to the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Change {
    /// The page was not in the store.
    Added,
    /// The page's graph was replaced by different content.
    Replaced,
    /// The page's graph already held exactly these quads; nothing was written.
    Unchanged,
}

/// The gardkg store: Oxigraph plus the project's namespace.
pub struct GraphStore {
    inner: Store,
    namespace: Namespace,
    /// Keep the previous version of each replaced page (`ingest --record-changes`).
    record_changes: bool,
}

/// Removes what a bulk load that never finished left in the store directory: Oxigraph writes each chunk to a
/// `bulk-<random>.sst` file there and, when the load succeeds, RocksDB moves it into the store under a numbered
/// name. A file still called `bulk-*.sst` is therefore a load that was killed or ran out of disk; nothing reads
/// it, and on a full disk it holds the space the next run needs. Called with the store's lock held, so no other
/// writer can be making one. Best effort: a file that cannot be removed is left for the next open.
fn remove_unfinished_bulk_files(path: &Path) {
    let Ok(entries) = std::fs::read_dir(path) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with("bulk-") && name.ends_with(".sst") {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

impl GraphStore {
    /// Opens (or creates) the on-disk store at `path`.
    pub fn open(path: &Path, namespace: Namespace) -> Result<Self, StoreError> {
        let inner = disk::open(path).map_err(|source| {
            if is_lock_error(&source.to_string()) {
                StoreError::InUse { path: path.to_owned(), holder: lock_holder(path) }
            } else {
                StoreError::Open { path: path.to_owned(), source }
            }
        })?;
        remove_unfinished_bulk_files(path);
        Self { inner, namespace, record_changes: false }.checked_format(path)
    }

    /// Opens the store at `path` for writing, waiting up to `wait` for another process to release it. `waiting`
    /// is called once, with the holder, when the first attempt finds the store in use.
    pub fn open_waiting(
        path: &Path,
        namespace: &Namespace,
        wait: std::time::Duration,
        waiting: impl FnOnce(&str),
    ) -> Result<Self, StoreError> {
        // No deadline when `wait` is too long to add (`Duration::MAX`: as long as it takes).
        let deadline = std::time::Instant::now().checked_add(wait);
        let mut waiting = Some(waiting);
        loop {
            match Self::open(path, namespace.clone()) {
                Err(StoreError::InUse { holder, .. }) if deadline.is_none_or(|d| std::time::Instant::now() < d) => {
                    if let Some(report) = waiting.take() {
                        report(&holder);
                    }
                    std::thread::sleep(std::time::Duration::from_millis(200));
                }
                result => return result,
            }
        }
    }

    /// The store format recorded in the metadata graph, if any ([`STORE_FORMAT`]).
    pub fn recorded_format(&self) -> Result<Option<String>, StoreError> {
        let meta = self.namespace.meta_graph();
        let property = self.namespace.iri("store_format");
        let dataset = self.namespace.dataset();
        for quad in self.inner.quads_for_pattern(
            Some(dataset.as_ref().into()),
            Some(property.as_ref()),
            None,
            Some(GraphNameRef::NamedNode(meta.as_ref())),
        ) {
            if let Term::Literal(l) = quad?.object {
                return Ok(Some(l.value().to_owned()));
            }
        }
        Ok(None)
    }

    /// Refuses a store whose recorded format is not [`STORE_FORMAT`].
    fn checked_format(self, path: &Path) -> Result<Self, StoreError> {
        match self.recorded_format()? {
            Some(found) if found != STORE_FORMAT.to_string() => {
                Err(StoreError::Format { path: path.to_owned(), found, expected: STORE_FORMAT })
            }
            _ => Ok(self),
        }
    }

    /// Opens an on-disk store read-only (another process may be writing it).
    pub fn open_read_only(path: &Path, namespace: Namespace) -> Result<Self, StoreError> {
        if !path.join("CURRENT").exists() {
            return Err(StoreError::Open {
                path: path.to_owned(),
                source: StorageError::Other("no store here: run `gardkg ingest` first or pass --store".into()),
            });
        }
        // A writer running beside the reader may compact away a file between the moment the reader lists the
        // store's files and the moment it opens them: that open fails on a missing file, and opening again (on the
        // new list) succeeds. A few tries, then the error.
        let mut tries = 0;
        let inner = loop {
            match disk::open_read_only(path) {
                Ok(inner) => break inner,
                Err(source) if tries < 5 && is_vanished_file(&source.to_string()) => {
                    tries += 1;
                    std::thread::sleep(std::time::Duration::from_millis(20 * tries));
                }
                Err(source) => return Err(StoreError::Open { path: path.to_owned(), source }),
            }
        };
        Self { inner, namespace, record_changes: false }.checked_format(path)
    }

    /// A throwaway in-memory store.
    pub fn memory(namespace: Namespace) -> Result<Self, StoreError> {
        Ok(Self { inner: Store::new()?, namespace, record_changes: false })
    }

    /// The default on-disk location: `$GARDKG_STORE`, else `$XDG_DATA_HOME/gardkg/store`, else
    /// `~/.local/share/gardkg/store`, else `./gardkg-store`.
    pub fn default_path() -> PathBuf {
        if let Some(p) = std::env::var_os(STORE_ENV).filter(|p| !p.is_empty()) {
            return PathBuf::from(p);
        }
        if let Some(p) = std::env::var_os("XDG_DATA_HOME").filter(|p| !p.is_empty()) {
            return PathBuf::from(p).join("gardkg").join("store");
        }
        if let Some(home) = std::env::var_os("HOME").filter(|p| !p.is_empty()) {
            return PathBuf::from(home).join(".local/share/gardkg/store");
        }
        PathBuf::from("gardkg-store")
    }

    /// Keeps, from now on, the previous version of every page [`replace_page`](Self::replace_page) replaces: one
    /// version per page (the last), as sorted N-Quads in `gardkg:graph/history` (`gardkg:previous_version` of the
    /// page graph), so `gardkg diff GARD:…` can show what the last ingest changed. A literal, not quads: the
    /// union default graph must not see old statements.
    #[must_use]
    pub fn recording_changes(mut self, record: bool) -> Self {
        self.record_changes = record;
        self
    }

    /// The previous version of a page graph, when one was recorded.
    pub fn previous_version(&self, graph: NamedNodeRef<'_>) -> Result<Option<Vec<Quad>>, StoreError> {
        let history = self.namespace.iri("graph/history");
        let property = self.namespace.iri("previous_version");
        let Some(quad) = self
            .inner
            .quads_for_pattern(
                Some(graph.into()),
                Some(property.as_ref()),
                None,
                Some(GraphNameRef::NamedNode(history.as_ref())),
            )
            .next()
        else {
            return Ok(None);
        };
        let Term::Literal(text) = quad?.object else { return Ok(None) };
        let quads = oxigraph::io::RdfParser::from_format(oxigraph::io::RdfFormat::NQuads)
            .for_slice(text.value().as_bytes())
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| StorageError::Other(format!("the recorded version of {graph} is corrupt: {e}").into()))?;
        Ok(Some(quads))
    }

    /// The page graphs with a recorded previous version.
    pub fn recorded_pages(&self) -> Result<Vec<NamedNode>, StoreError> {
        let history = self.namespace.iri("graph/history");
        let property = self.namespace.iri("previous_version");
        let mut out = Vec::new();
        for quad in self.inner.quads_for_pattern(
            None,
            Some(property.as_ref()),
            None,
            Some(GraphNameRef::NamedNode(history.as_ref())),
        ) {
            if let NamedOrBlankNode::NamedNode(n) = quad?.subject {
                out.push(n);
            }
        }
        out.sort();
        Ok(out)
    }

    /// The Oxigraph store underneath, for what this wrapper does not cover.
    pub fn oxigraph(&self) -> &Store {
        &self.inner
    }

    /// The namespace of minted IRIs.
    pub fn namespace(&self) -> &Namespace {
        &self.namespace
    }

    /// Replaces one page's named graph in a single transaction. Writes nothing when the graph already holds
    /// exactly these quads, so ingesting the same page twice leaves the store unchanged.
    pub fn replace_page(&self, page: &PageGraph) -> Result<Change, StoreError> {
        let graph = GraphNameRef::NamedNode(page.graph.as_ref());
        let mut transaction = self.inner.start_transaction()?;
        let existing: HashSet<Quad> =
            transaction.quads_for_pattern(None, None, None, Some(graph)).collect::<Result<_, _>>()?;
        let change = if existing.is_empty() {
            Change::Added
        } else if existing.len() == page.quads.len() && page.quads.iter().all(|q| existing.contains(q)) {
            // The terms it describes may be missing (a store made before they moved out of page graphs).
            let mut missing = Vec::new();
            for quad in &page.descriptions {
                if !transaction.contains(quad)? {
                    missing.push(quad);
                }
            }
            if !missing.is_empty() {
                transaction.extend(missing);
                transaction.commit()?;
            }
            return Ok(Change::Unchanged);
        } else {
            Change::Replaced
        };
        if self.record_changes && change == Change::Replaced {
            let history = GraphName::NamedNode(self.namespace.iri("graph/history"));
            let property = self.namespace.iri("previous_version");
            let old: Vec<Quad> = transaction
                .quads_for_pattern(
                    Some(page.graph.as_ref().into()),
                    Some(property.as_ref()),
                    None,
                    Some(history.as_ref()),
                )
                .collect::<Result<_, _>>()?;
            for quad in &old {
                transaction.remove(quad);
            }
            let mut lines: Vec<String> = existing.iter().map(|q| format!("{q} .")).collect();
            lines.sort_unstable();
            let version = Literal::new_simple_literal(lines.join("\n") + "\n");
            transaction.insert(&Quad::new(page.graph.clone(), property, version, history));
        }
        transaction.clear_graph(graph)?;
        transaction.extend(page.quads.iter());
        // The terms it uses, each once in the store: inserting a quad that is there already changes nothing.
        transaction.extend(page.descriptions.iter());
        // The page's line in the metadata graph changes with it, in the same transaction.
        let meta = GraphNameRef::NamedNode(self.namespace.meta_graph().as_ref()).into_owned();
        let old: Vec<Quad> = transaction
            .quads_for_pattern(Some(page.graph.as_ref().into()), None, None, Some(meta.as_ref()))
            .collect::<Result<_, _>>()?;
        for quad in &old {
            transaction.remove(quad);
        }
        transaction.extend(self.page_meta(page).iter());
        transaction.commit()?;
        Ok(change)
    }

    /// The metadata quads that describe one page graph: it is a VoID subset with its triple count.
    fn page_meta(&self, page: &PageGraph) -> Vec<Quad> {
        let meta = GraphName::NamedNode(self.namespace.meta_graph());
        let g = &page.graph;
        vec![
            Quad::new(self.namespace.dataset(), void::SUBSET, g.clone(), meta.clone()),
            Quad::new(g.clone(), rdf::TYPE, void::DATASET, meta.clone()),
            Quad::new(
                g.clone(),
                void::TRIPLES,
                Literal::from(i64::try_from(page.quads.len()).unwrap_or(i64::MAX)),
                meta,
            ),
        ]
    }

    /// Loads pages with Oxigraph's bulk loader: fast for a new store or a large batch. Pages already in the store
    /// are first removed, each removal committed on its own, then the pages are loaded in one atomic step
    /// ([`page_loader`](Self::page_loader)); the result equals a sequence of [`replace_page`](Self::replace_page)
    /// calls, but a crash between the two leaves a replaced page missing (re-running the same load completes it).
    /// Returns the number of pages loaded.
    pub fn bulk_load<'a>(&self, pages: impl IntoIterator<Item = &'a PageGraph>) -> Result<usize, StoreError> {
        let pages: Vec<&PageGraph> = pages.into_iter().collect();
        // Before the loader exists: an in-memory store's loader holds its write lock until the commit.
        for page in &pages {
            self.remove_stored_page(page)?;
        }
        let mut loader = self.page_loader();
        loader.load(pages)?;
        loader.commit()
    }

    /// A bulk load of new pages given a batch at a time and committed once: the streaming form of
    /// [`bulk_load`](Self::bulk_load), for an ingest that models the next batch while the loader's threads write
    /// the last one. Pages the store already holds are refused ([`StoreError::PageStored`]): removing them while
    /// the loader is open is not possible on an in-memory store, and would not be atomic with the load.
    ///
    /// One loader for a whole ingest rather than one per batch: with a commit per batch, each batch waited for
    /// RocksDB to take in files overlapping the last ones (`benches/results/2026-12-02-4e9f7e4.md` against
    /// `2026-12-02-bb2aeba.md`; the merging is not saved but moved after the single commit). Nothing loaded is
    /// visible before [`PageLoader::commit`]: a loader dropped, or a process killed, before it leaves the store as
    /// it was (the loader's files are removed when the store is next opened for writing).
    pub fn page_loader(&self) -> PageLoader<'_> {
        PageLoader { store: self, loader: self.bulk_loader(), graphs: HashSet::new() }
    }

    /// Oxigraph's bulk loader with gardkg's memory bound.
    fn bulk_loader(&self) -> oxigraph::store::BulkLoader<'_> {
        // Bounded buffers: the default (about a million quads per thread) dominated peak memory at corpus scale.
        self.inner.bulk_loader().with_max_memory_size_in_megabytes(BULK_MEMORY_MB)
    }

    /// Removes a page graph (quads and name) and its line in the metadata graph, if the store has them (each removal
    /// committed on its own).
    fn remove_stored_page(&self, page: &PageGraph) -> Result<(), StoreError> {
        if !self.inner.contains_named_graph(page.graph.as_ref())? {
            return Ok(());
        }
        // The graph's name goes with its quads, so that `PageLoader` sees the page as gone.
        self.inner.remove_named_graph(page.graph.as_ref())?;
        let meta = self.namespace.meta_graph();
        let subject = NamedOrBlankNodeRef::from(page.graph.as_ref());
        for quad in
            self.inner.quads_for_pattern(Some(subject), None, None, Some(GraphNameRef::NamedNode(meta.as_ref())))
        {
            self.inner.remove(&quad?)?;
        }
        Ok(())
    }

    /// Runs a SPARQL query with the union of all graphs as the default graph.
    pub fn query(&self, query: &str) -> Result<QueryResults<'static>, StoreError> {
        self.query_with(query, Vec::new())
    }

    /// Runs a SPARQL query with values bound to variables (SPARQL SEP-0007 substitution: values are never pasted
    /// into the query text, so they cannot inject SPARQL). `SERVICE` calls are refused.
    pub fn query_with(
        &self,
        query: &str,
        bindings: Vec<(Variable, Term)>,
    ) -> Result<QueryResults<'static>, StoreError> {
        self.query_with_options(query, bindings, &QueryOptions::default())
    }

    /// Runs a SPARQL query with bindings and options.
    ///
    /// The dataset: a query that names none (no `FROM`, no `FROM NAMED`) sees the union of all graphs as its default
    /// graph and every named graph by `GRAPH`; a query with `FROM`/`FROM NAMED` sees exactly the graphs it names.
    ///
    /// Oxigraph plans the query before the substitution, so a bound variable does not drive its joins (a bound
    /// disease made the `phenotypes` query scan every association: 0.5 s on the corpus). The value is therefore also
    /// joined, as a `VALUES` row, to the first basic graph pattern that uses the variable: same results, and the
    /// planner starts from it (0.02 s).
    pub fn query_with_options(
        &self,
        query: &str,
        bindings: Vec<(Variable, Term)>,
        options: &QueryOptions,
    ) -> Result<QueryResults<'static>, StoreError> {
        check_text_depth(query)?;
        let mut parsed = match spargebra::SparqlParser::new().parse_query(query) {
            Ok(parsed) => parsed,
            Err(e) if spargebra::SparqlParser::new().parse_update(query).is_ok() => {
                drop(e);
                return Err(StoreError::UpdateNotAccepted);
            }
            Err(e) => return Err(e.into()),
        };
        if let Err(e) = check_algebra_depth(&parsed) {
            // Dropping a tree recurses as deep as it is: a very deep one is left to the end of the process.
            std::mem::forget(parsed);
            return Err(e);
        }
        let search = match &options.search {
            Some(search) => search.clone(),
            None => SearchService::unavailable(
                &self.namespace,
                "no search index is open for this store (an in-memory store has none; `gardkg query` and \
                 `gardkg serve` use the one beside an on-disk store)",
            ),
        };
        let in_search =
            resolve_search_services(&mut parsed, &search, &bindings).map_err(|e| StoreError::Search(Box::new(e)))?;
        // A variable the query does not project (`?term` of an aggregate query) cannot be substituted; it is bound by
        // the VALUES join alone, which needs the variable in the query's first graph pattern (or by a search
        // SERVICE pattern, where it was just written).
        let projected = projected_variables(&parsed);
        let mut substituted = Vec::with_capacity(bindings.len());
        for (variable, value) in bindings {
            let hinted = hint_binding(&mut parsed, &variable, &value);
            if projected.as_ref().is_none_or(|p| p.contains(&variable)) {
                substituted.push((variable, value));
            } else if !hinted && !in_search.contains(&variable) {
                return Err(StoreError::Unbindable(variable));
            }
        }
        let names_dataset = match &parsed {
            spargebra::Query::Select { dataset, .. }
            | spargebra::Query::Construct { dataset, .. }
            | spargebra::Query::Describe { dataset, .. }
            | spargebra::Query::Ask { dataset, .. } => dataset.is_some(),
        };
        let services = match &options.services {
            Some(services) => services.clone(),
            None => ServiceClient::new(ServicePolicy::default()).map_err(|e| StorageError::Other(e.into()))?,
        };
        let mut evaluator = SparqlEvaluator::new()
            .with_default_service_handler(services)
            .with_service_handler(search.iri().clone(), search);
        if let Some(token) = &options.cancellation {
            evaluator = evaluator.with_cancellation_token(token.clone());
        }
        let mut prepared = evaluator.for_query(parsed);
        if !names_dataset {
            prepared.dataset_mut().set_default_graph_as_union();
        }
        for (variable, value) in substituted {
            prepared = prepared.substitute_variable(variable, value);
        }
        Ok(prepared.on_store(&self.inner).execute()?)
    }

    /// Runs a SPARQL Update in one transaction (all of it or nothing), with the same dataset as queries: the `WHERE`
    /// of a `DELETE`/`INSERT` that names no dataset (`USING`, `USING NAMED`) sees the union of all graphs, and a
    /// template without `GRAPH` writes the store's own default graph. `LOAD` is refused ([`StoreError::LoadRefused`]);
    /// `SERVICE` goes through `options.services` (every endpoint refused by default).
    pub fn update(&self, update: &str, options: &QueryOptions) -> Result<(), StoreError> {
        let parsed = spargebra::SparqlParser::new().parse_update(update)?;
        if parsed.operations.iter().any(|op| matches!(op, spargebra::GraphUpdateOperation::Load { .. })) {
            return Err(StoreError::LoadRefused);
        }
        // One flag per DELETE/INSERT, in order, as Oxigraph lists their datasets.
        let unions: Vec<bool> = parsed
            .operations
            .iter()
            .filter_map(|op| match op {
                spargebra::GraphUpdateOperation::DeleteInsert { using, .. } => Some(using.is_none()),
                _ => None,
            })
            .collect();
        let services = match &options.services {
            Some(services) => services.clone(),
            None => ServiceClient::new(ServicePolicy::default()).map_err(|e| StorageError::Other(e.into()))?,
        };
        let mut evaluator = SparqlEvaluator::new().with_default_service_handler(services);
        if let Some(search) = &options.search {
            evaluator = evaluator.with_service_handler(search.iri().clone(), search.clone());
        }
        if let Some(token) = &options.cancellation {
            evaluator = evaluator.with_cancellation_token(token.clone());
        }
        let mut prepared = evaluator.for_update(parsed);
        for (dataset, union) in prepared.using_datasets_mut().zip(unions) {
            if union {
                dataset.set_default_graph_as_union();
            }
        }
        prepared.on_store(&self.inner).execute()?;
        Ok(())
    }

    /// Writes the store (or one graph) with `serializer`. Triple formats get the union of all graphs.
    pub fn dump<W: std::io::Write>(
        &self,
        serializer: RdfSerializer,
        graph: Option<NamedNodeRef<'_>>,
        writer: W,
    ) -> Result<W, StoreError> {
        let supports_datasets = serializer.format().supports_datasets();
        let mut out = serializer.for_writer(writer);
        let graph = graph.map(GraphNameRef::NamedNode);
        for quad in self.inner.quads_for_pattern(None, None, None, graph) {
            let quad = quad?;
            if supports_datasets && graph.is_none() {
                out.serialize_quad(&quad)?;
            } else {
                out.serialize_triple(quad.as_ref())?;
            }
        }
        Ok(out.finish()?)
    }

    /// The page graphs in the store (`gardkg:graph/gard/…` and `gardkg:graph/page/…`; not the metadata, terms,
    /// ontology or closure graphs).
    pub fn page_graphs(&self) -> Result<Vec<NamedNode>, StoreError> {
        let mut graphs = Vec::new();
        for g in self.inner.named_graphs() {
            if let NamedOrBlankNode::NamedNode(n) = g? {
                if self.namespace.is_page_graph(n.as_str()) {
                    graphs.push(n);
                }
            }
        }
        graphs.sort();
        Ok(graphs)
    }

    /// Number of quads in one graph.
    pub fn graph_len(&self, graph: NamedNodeRef<'_>) -> Result<usize, StoreError> {
        let mut n = 0;
        for q in self.inner.quads_for_pattern(None, None, None, Some(GraphNameRef::NamedNode(graph))) {
            q?;
            n += 1;
        }
        Ok(n)
    }

    /// Recomputes the dataset-level part of the metadata graph (`gardkg:graph/meta`): a VoID description with the
    /// total triple and page counts, the pinned releases and the tool version. Each page's own line (a VoID subset
    /// with its triple count) is written with the page, so this reads only the metadata graph, not the pages.
    pub fn refresh_meta(&self, releases: &[(&str, &str)]) -> Result<(), StoreError> {
        let ns = &self.namespace;
        let meta = ns.meta_graph();
        let meta_ref = GraphNameRef::NamedNode(meta.as_ref());
        let graph = GraphName::NamedNode(meta.clone());
        let dataset = ns.dataset();
        let (mut total, mut pages) = (0i64, 0i64);
        for quad in self.inner.quads_for_pattern(None, Some(void::TRIPLES), None, Some(meta_ref)) {
            let quad = quad?;
            // Only pages count here; ontology graphs have their own lines (`gardkg ontology list`).
            if !matches!(&quad.subject, NamedOrBlankNode::NamedNode(n) if ns.is_page_graph(n.as_str())) {
                continue;
            }
            if let Term::Literal(n) = &quad.object {
                total += n.value().parse::<i64>().unwrap_or(0);
                pages += 1;
            }
        }
        let mut quads = Vec::new();
        let mut add = |p: NamedNodeRef<'_>, o: Term| quads.push(Quad::new(dataset.clone(), p, o, graph.clone()));
        add(rdf::TYPE, void::DATASET.into());
        add(rdfs::LABEL, Literal::new_simple_literal("gardkg: GARD rare-disease pages as a knowledge graph").into());
        add(prov::WAS_GENERATED_BY, ns.iri(&format!("tool/gardkg/{}", env!("CARGO_PKG_VERSION"))).into());
        add(dcterms::SOURCE, vocab::INFORES_GARD.into());
        for (name, release) in releases {
            add(ns.iri("pinned_release").as_ref(), Literal::new_simple_literal(format!("{name} {release}")).into());
        }
        add(ns.iri("store_format").as_ref(), Literal::new_simple_literal(STORE_FORMAT.to_string()).into());
        add(void::TRIPLES, Literal::from(total).into());
        add(void::ENTITIES, Literal::from(pages).into());
        let ontology_link = ns.iri("ontology");
        let existing: HashSet<Quad> = self
            .inner
            .quads_for_pattern(Some(dataset.as_ref().into()), None, None, Some(meta_ref))
            // Page lines (void:subset) and ontology lines (gardkg:ontology) are written with what they describe.
            .filter(|q| q.as_ref().map_or(true, |q| q.predicate != void::SUBSET && q.predicate != ontology_link))
            .collect::<Result<_, _>>()?;
        if existing.len() == quads.len() && quads.iter().all(|q| existing.contains(q)) {
            return Ok(());
        }
        let mut transaction = self.inner.start_transaction()?;
        for quad in &existing {
            transaction.remove(quad);
        }
        transaction.extend(quads.iter());
        transaction.commit()?;
        Ok(())
    }

    /// Flushes writes to disk.
    pub fn flush(&self) -> Result<(), StoreError> {
        Ok(disk::flush(&self.inner)?)
    }
}

/// The variables a SELECT query projects (`None` for other query forms, which project nothing to substitute).
fn projected_variables(query: &spargebra::Query) -> Option<Vec<Variable>> {
    use spargebra::algebra::GraphPattern;
    let spargebra::Query::Select { pattern, .. } = query else { return None };
    let mut pattern = pattern;
    loop {
        match pattern {
            GraphPattern::Project { variables, .. } => return Some(variables.clone()),
            GraphPattern::Distinct { inner }
            | GraphPattern::Reduced { inner }
            | GraphPattern::Slice { inner, .. }
            | GraphPattern::OrderBy { inner, .. } => pattern = inner,
            _ => return None,
        }
    }
}

/// Runs every search `SERVICE` call named by its IRI before the query, and puts its hits in its place as a
/// `VALUES` block.
///
/// The search sees only its own pattern (as Oxigraph hands a `SERVICE` its pattern, not the solutions around it),
/// so running it first gives the same solutions; but the planner, which cannot guess how many rows a `SERVICE`
/// gives, sees a few `VALUES` rows and starts the joins from them (a search joined with the phenotype associations
/// took 8.7 s, scanning every association, and now takes as long as the search). First, the caller's bound values
/// are written into the patterns that use their variables (`search:query ?q` with `--bind q=…`), as terms of the
/// algebra, never as query text. A failed call is an error, or one empty solution under `SERVICE SILENT`.
/// `SERVICE ?var` calls, whose name is only known while the query runs, go to the handler at that time. Returns the
/// variables whose values it wrote into a pattern.
fn resolve_search_services(
    query: &mut spargebra::Query,
    search: &SearchService,
    bindings: &[(Variable, Term)],
) -> Result<Vec<Variable>, crate::search::SearchError> {
    use spargebra::algebra::GraphPattern;
    use spargebra::term::{GroundTerm, NamedNodePattern, TermPattern};

    fn walk(
        pattern: &mut GraphPattern,
        search: &SearchService,
        bindings: &[(Variable, Term)],
        used: &mut Vec<Variable>,
    ) -> Result<(), crate::search::SearchError> {
        match pattern {
            GraphPattern::Service { name: NamedNodePattern::NamedNode(name), inner, silent }
                if name == search.iri() =>
            {
                if let GraphPattern::Bgp { patterns } = &mut **inner {
                    for triple in patterns {
                        for position in [&mut triple.subject, &mut triple.object] {
                            let TermPattern::Variable(v) = &*position else { continue };
                            let v = v.clone();
                            match bindings.iter().find(|(b, _)| *b == v).map(|(_, t)| t) {
                                Some(Term::NamedNode(n)) => *position = TermPattern::NamedNode(n.clone()),
                                Some(Term::Literal(l)) => *position = TermPattern::Literal(l.clone()),
                                _ => continue,
                            }
                            used.push(v);
                        }
                    }
                }
                *pattern = match search.evaluate(inner) {
                    Ok(solutions) => GraphPattern::Values {
                        variables: solutions.variables,
                        bindings: solutions
                            .rows
                            .into_iter()
                            .map(|row| {
                                row.into_iter()
                                    .map(|t| match t {
                                        Some(Term::NamedNode(n)) => Some(GroundTerm::NamedNode(n)),
                                        Some(Term::Literal(l)) => Some(GroundTerm::Literal(l)),
                                        _ => None,
                                    })
                                    .collect()
                            })
                            .collect(),
                    },
                    Err(_) if *silent => GraphPattern::Values { variables: Vec::new(), bindings: vec![Vec::new()] },
                    Err(e) => return Err(e),
                };
            }
            GraphPattern::Join { left, right }
            | GraphPattern::LeftJoin { left, right, .. }
            | GraphPattern::Union { left, right }
            | GraphPattern::Minus { left, right } => {
                walk(left, search, bindings, used)?;
                walk(right, search, bindings, used)?;
            }
            GraphPattern::Filter { inner, .. }
            | GraphPattern::Graph { inner, .. }
            | GraphPattern::Extend { inner, .. }
            | GraphPattern::OrderBy { inner, .. }
            | GraphPattern::Project { inner, .. }
            | GraphPattern::Distinct { inner }
            | GraphPattern::Reduced { inner }
            | GraphPattern::Slice { inner, .. }
            | GraphPattern::Group { inner, .. }
            | GraphPattern::Service { inner, .. } => walk(inner, search, bindings, used)?,
            _ => {}
        }
        Ok(())
    }

    let (spargebra::Query::Select { pattern, .. }
    | spargebra::Query::Construct { pattern, .. }
    | spargebra::Query::Describe { pattern, .. }
    | spargebra::Query::Ask { pattern, .. }) = query;
    let mut used = Vec::new();
    walk(pattern, search, bindings, &mut used)?;
    Ok(used)
}

/// Joins `variable = value` to the leftmost basic graph pattern of the WHERE clause when that pattern uses the
/// variable, and says whether it did. With the substitution also applied, this only restricts solutions that the
/// substitution restricts anyway; it exists so that the planner sees the constant. For a variable the query does
/// not project, it is the binding itself.
fn hint_binding(query: &mut spargebra::Query, variable: &Variable, value: &Term) -> bool {
    use spargebra::algebra::GraphPattern;
    use spargebra::term::{GroundTerm, TermPattern};

    fn leftmost_bgp(pattern: &mut GraphPattern) -> Option<&mut GraphPattern> {
        match pattern {
            GraphPattern::Project { inner, .. }
            | GraphPattern::Distinct { inner }
            | GraphPattern::Reduced { inner }
            | GraphPattern::Slice { inner, .. }
            | GraphPattern::OrderBy { inner, .. }
            | GraphPattern::Group { inner, .. }
            | GraphPattern::Extend { inner, .. }
            | GraphPattern::Filter { inner, .. } => leftmost_bgp(inner),
            GraphPattern::Join { left, .. }
            | GraphPattern::LeftJoin { left, .. }
            | GraphPattern::Minus { left, .. } => leftmost_bgp(left),
            bgp @ GraphPattern::Bgp { .. } => Some(bgp),
            _ => None,
        }
    }

    let ground = match value {
        Term::NamedNode(n) => GroundTerm::NamedNode(n.clone()),
        Term::Literal(l) => GroundTerm::Literal(l.clone()),
        Term::BlankNode(_) => return false,
    };
    let pattern = match query {
        spargebra::Query::Select { pattern, .. }
        | spargebra::Query::Construct { pattern, .. }
        | spargebra::Query::Describe { pattern, .. }
        | spargebra::Query::Ask { pattern, .. } => pattern,
    };
    let Some(bgp) = leftmost_bgp(pattern) else { return false };
    let GraphPattern::Bgp { patterns } = &*bgp else { return false };
    let is_var = |t: &TermPattern| matches!(t, TermPattern::Variable(v) if v == variable);
    if !patterns.iter().any(|t| is_var(&t.subject) || is_var(&t.object)) {
        return false;
    }
    let right = std::mem::replace(bgp, GraphPattern::Bgp { patterns: Vec::new() });
    let values = GraphPattern::Values { variables: vec![variable.clone()], bindings: vec![vec![Some(ground)]] };
    *bgp = GraphPattern::Join { left: Box::new(values), right: Box::new(right) };
    true
}

/// A bulk load of pages in progress ([`GraphStore::page_loader`]).
#[must_use = "nothing loaded is stored before `commit`"]
pub struct PageLoader<'a> {
    store: &'a GraphStore,
    loader: oxigraph::store::BulkLoader<'a>,
    /// The page graphs given so far: a page given twice would be stored as the union of both versions.
    graphs: HashSet<NamedNode>,
}

impl PageLoader<'_> {
    /// Hands a batch of new pages to the loader; returns once its threads have taken it (they may still be writing
    /// it). A page the store holds, or given twice to one loader, is an error and nothing of the batch is loaded.
    pub fn load<'p>(&mut self, pages: impl IntoIterator<Item = &'p PageGraph>) -> Result<usize, StoreError> {
        let pages: Vec<&PageGraph> = pages.into_iter().collect();
        self.admit(&pages)?;
        let store = self.store;
        self.loader.load_quads(
            pages.iter().flat_map(|p| p.quads.iter().chain(&p.descriptions).cloned().chain(store.page_meta(p))),
        )?;
        Ok(pages.len())
    }

    /// [`load`](Self::load) for pages the caller is done with: their quads move into the loader's buffers instead
    /// of being copied, and each page's memory is freed as the loader takes it, so a chunk is not held twice.
    pub fn load_owned(&mut self, pages: impl IntoIterator<Item = PageGraph>) -> Result<usize, StoreError> {
        let pages: Vec<PageGraph> = pages.into_iter().collect();
        self.admit(&pages.iter().collect::<Vec<_>>())?;
        let count = pages.len();
        let store = self.store;
        self.loader.load_quads(pages.into_iter().flat_map(|p| {
            let meta = store.page_meta(&p);
            p.quads.into_iter().chain(p.descriptions).chain(meta)
        }))?;
        Ok(count)
    }

    /// Checks that no page of a batch was given before (to this loader or in the batch) or is in the store.
    /// Checked before anything is done, so a refused batch leaves the loader as it was.
    fn admit(&mut self, pages: &[&PageGraph]) -> Result<(), StoreError> {
        let mut batch = HashSet::with_capacity(pages.len());
        for page in pages {
            if self.graphs.contains(&page.graph) || !batch.insert(&page.graph) {
                return Err(StoreError::PageTwice(page.graph.clone()));
            }
            if self.store.inner.contains_named_graph(page.graph.as_ref())? {
                return Err(StoreError::PageStored(page.graph.clone()));
            }
        }
        self.graphs.extend(pages.iter().map(|p| p.graph.clone()));
        Ok(())
    }

    /// Whether a page graph was given to this loader.
    pub fn holds(&self, graph: &NamedNode) -> bool {
        self.graphs.contains(graph)
    }

    /// Waits for the loader's threads and makes every page given visible at once; returns the number of pages.
    pub fn commit(self) -> Result<usize, StoreError> {
        self.loader.commit()?;
        Ok(self.graphs.len())
    }
}
